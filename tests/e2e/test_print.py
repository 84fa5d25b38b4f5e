"""Public pages on paper: under `@media print` (site/static/css/site.css) only the content
prints, black on white, external links with their address; Chromium's own PDF of each page has
pages, and an edition prints its version and date with each domain on a page of its own."""

import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

SOCLE = "socle-numerique-en-sante"

PAGES = [
    "/",
    "/referentiels/?cycle=1",
    f"/{SOCLE}/cybersecurite/",
    f"/referentiels/{SOCLE}/v1.0/",
    "/programme/laureats-ami-cma/",
    "/wiki/modifications-recentes/",
]

CHROME = [
    ".skip-link",
    ".site-header",
    "nav[aria-label='Menu principal']",
    ".site-search",
    ".site-footer",
    ".breadcrumb",
    ".page-tabs",
]


def _printed_pdf(page) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))


def _texts(pdf: PdfReader) -> list[str]:
    """Each page's text, ligatures (« ﬁ ») unfolded."""
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in pdf.pages]


@pytest.mark.parametrize("path", PAGES)
def test_a_public_page_prints_its_content_without_the_site_chrome(seeded, page, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.emulate_media(media="print")
    for selector in CHROME:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    for button in page.locator("main button, main .button").all():
        expect(button).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    colours = page.evaluate(
        "() => { const s = getComputedStyle(document.body), a = document.querySelector('main a');"
        " return [s.color, s.backgroundColor, a ? getComputedStyle(a).color : 'rgb(0, 0, 0)']; }"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    pdf = _printed_pdf(page)
    assert len(pdf.pages) >= 1
    text = "".join(_texts(pdf))
    assert page.locator("main h1").inner_text().split()[0] in text
    assert "Aller au contenu principal" not in text


def test_an_external_link_prints_its_address_and_a_site_link_does_not(seeded, page):
    page.goto(f"/{SOCLE}/cybersecurite/")
    page.evaluate(
        "() => { const p = document.createElement('p');"
        ' p.innerHTML = \'<a id="ext" href="https://www.legifrance.gouv.fr/">Légifrance</a>\';'
        " document.querySelector('main').append(p); }"
    )
    page.emulate_media(media="print")
    after = "(s) => getComputedStyle(document.querySelector(s), '::after').content"
    assert page.evaluate(after, "#ext") == '" (https://www.legifrance.gouv.fr/)"'
    assert page.evaluate(after, "main .competency-list a") in ("none", "normal")
    text = "".join(_texts(_printed_pdf(page)))
    assert "https://www.legifrance.gouv.fr/" in text.replace("\n", "")


def test_an_edition_prints_its_version_and_date_and_each_domain_on_a_new_page(seeded, page):
    page.goto(f"/referentiels/{SOCLE}/v1.0/")
    page.emulate_media(media="print")
    expect(page.locator("main .facts").first).to_contain_text("1.0")
    expect(page.locator("main .facts time").first).to_be_visible()
    domains = page.locator(".edition-domain")
    assert domains.count() == 5
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('.edition-domain')]"
        ".map((d) => getComputedStyle(d).breakBefore)"
    )
    assert breaks == ["auto"] + ["page"] * 4
    pdf = _printed_pdf(page)
    assert len(pdf.pages) >= 5
    texts = _texts(pdf)
    # Each domain after the first opens its page.
    titles = page.evaluate(
        "() => [...document.querySelectorAll('.edition-domain h2')].map((h) => h.innerText)"
    )
    for title in titles[1:]:
        code = title.split()[0]
        assert any(t.lstrip().startswith(code) for t in texts), (code, [t[:40] for t in texts])
    assert "Édition" in texts[0] and "1.0" in texts[0]
