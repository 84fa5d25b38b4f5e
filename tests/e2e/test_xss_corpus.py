"""The XSS corpus stored in a competency page (title, statement, body, references), in its
wikilinks and in discussion messages, rendered in headless Chromium: no script may run, and
no `javascript:` URL or `on*` attribute may reach the DOM."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from tests.wiki.xss_corpus import payloads
from wiki.markdown import render
from wiki.models import CompetencyPage, DomainPage, Message, Thread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + args.join(",")); };
}
"""

# Every element and attribute in the document that could run script, as a list of findings.
DOM_AUDIT = """() => {
  const found = [];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "background", "data",
                    "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(el.tagName + " " + name);
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/.test(value))
        found.push(el.tagName + " " + name + "=" + attr.value);
    }
  }
  for (const el of document.querySelectorAll(
      "main script, main iframe, main object, main embed, main svg, main img, main style, " +
      "main base, main meta, main link, main math, main video, main audio, main input[autofocus]"))
    found.push("element " + el.tagName);
  for (const el of document.querySelectorAll("head base, head meta[http-equiv]"))
    found.push("head " + el.tagName);
  return found;
}"""


def _login(page, live_server, username: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _assert_clean(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    page.wait_for_load_state("load")
    # Conditions, not a fixed delay: every image has loaded or failed (its onerror has run),
    # then two animation frames for focus (autofocus/onfocus) handlers.
    page.wait_for_function("Array.from(document.images).every((image) => image.complete)")
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    assert page.evaluate("window.__xss") == [], url
    assert page.evaluate(DOM_AUDIT) == [], url


def test_no_vector_runs_in_chromium(seeded, page, live_server):
    vectors = payloads()
    # Wikilink payloads first: an unclosed raw-HTML block turns the Markdown after it into
    # plain text. A vector that swallows what follows it (an unclosed <style>, whose content
    # the sanitiser drops) goes last. Every vector is also rendered alone, in the discussion.
    ordered = sorted(
        vectors, key=lambda v: ("[[" not in v[1], "MARK" not in render(v[1] + "\n\nMARK"))
    )
    text = "\n\n".join(payload for _n, payload in ordered)
    admin = get_user_model().objects.filter(is_superuser=True).first()
    domain = DomainPage.objects.live().get(code="D1", url_path__contains="socle")
    competency = CompetencyPage(
        title='<img src=x onerror="window.__xss.push(\'t\')"><script>alert("t")</script>',
        slug="xss-corpus",
        code="XSS-<B>-01",
        statement=text[:4000],
        body=text,
        references=text,
    )
    domain.add_child(instance=competency)
    competency.save_revision(user=admin).publish()
    thread = Thread.objects.create(page=competency, title=vectors[0][1], created_by=admin)
    parent = None
    for _n, payload in vectors:
        parent = Message.objects.create(thread=thread, author=admin, body=payload, parent=parent)

    page.add_init_script(TRAP)
    page.on("dialog", lambda dialog: dialog.dismiss())
    _login(page, live_server, "patrouilleur")

    competency.refresh_from_db()
    _assert_clean(page, competency.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("<script>")
    assert page.locator("a.wikilink--missing").count() >= 5
    _assert_clean(page, f"/wiki/{competency.pk}/discussion/")
    expect(page.locator(".message")).to_have_count(len(vectors))
    assert page.locator(".message a.wikilink--missing").count() >= 5
    _assert_clean(page, f"/wiki/{competency.pk}/pages-liees/")
    _assert_clean(page, "/wiki/pages-demandees/")
    _assert_clean(page, "/wiki/page-demandee/?titre=" + quote(vectors[0][1]))
    # A red link's own target page, reached by clicking it.
    page.goto(competency.url)
    page.locator("a.wikilink--missing:visible").first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") == []
    assert page.evaluate(DOM_AUDIT) == []
