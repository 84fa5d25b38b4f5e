"""Wikilinks to drafts resolve for the readers who may read those drafts (wiki.visibility), and
stay red « page inexistante » for everyone else, cached renderings included."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.wiki.history_support import account, edit, socle_competency
from wiki.models import CompetencyPage
from wiki.rendering import render_markdown
from wiki.selectors import wikilink_targets_resolved
from wiki.visibility import PUBLIC, audience_key, reader_for

pytestmark = pytest.mark.django_db

TEXT = "Voir [[RAD-D1-C02]] et [[{title}|le même par son titre]]."


@pytest.fixture
def draft_target():
    target = CompetencyPage.objects.get(code="RAD-D1-C02")
    assert not target.live  # the radiology pilot is a draft
    return target


@pytest.fixture
def public_page(draft_target):
    """A published socle page that links to the radiology draft."""
    page = socle_competency()
    edit(
        page,
        account("copil"),
        publish=True,
        body=TEXT.format(title=draft_target.draft_title),
    )
    return CompetencyPage.objects.get(pk=page.pk)


def _client(username=None) -> Client:
    client = Client()
    if username:
        client.force_login(account(username))
    return client


def _links(html: str, draft_target) -> tuple[int, int]:
    """(links to the draft, red links) in the page's body."""
    draft_url = reverse("wiki:draft", args=[draft_target.pk])
    return html.count(f'href="{draft_url}"'), html.count("wikilink--missing")


def test_resolver_follows_the_visibility_rule(draft_target):
    targets = ["RAD-D1-C02", draft_target.draft_title]
    assert wikilink_targets_resolved(targets) == {}
    assert (
        wikilink_targets_resolved(targets, reader_for(account("editeur.medecine-generale"))) == {}
    )
    mine = wikilink_targets_resolved(targets, reader_for(account("editeur.radiologie")))
    draft_url = reverse("wiki:draft", args=[draft_target.pk])
    assert {t.url for t in mine.values()} == {draft_url}


@pytest.mark.parametrize("first", ["public", "editor"])
def test_both_audiences_get_their_own_links_after_a_cached_render(public_page, draft_target, first):
    """Whoever renders the page first, the other audience never gets their cached links."""
    readers = {
        "public": _client(),
        "other-college": _client("editeur.medecine-generale"),
        "editor": _client("editeur.radiologie"),
        "patroller": _client("patrouilleur"),
    }
    order = [first, *(name for name in readers if name != first)] * 2  # second pass: cached
    for name in order:
        response = readers[name].get(public_page.url)
        assert response.status_code == 200
        to_draft, red = _links(response.content.decode(), draft_target)
        if name in ("editor", "patroller"):
            assert (to_draft, red) == (2, 0), name
        else:
            assert (to_draft, red) == (0, 2), name


def test_audiences_are_keyed_apart():
    editor = reader_for(account("editeur.radiologie"))
    other = reader_for(account("editeur.medecine-generale"))
    assert len({audience_key(PUBLIC), audience_key(editor), audience_key(other)}) == 3
    assert audience_key(reader_for(None)) == audience_key(PUBLIC) == "public"
    html_public = render_markdown("[[RAD-D1-C02]]")
    html_editor = render_markdown("[[RAD-D1-C02]]", editor)
    assert "wikilink--missing" in html_public and "wikilink--missing" not in html_editor
