"""Property: no later edit, publication, move, deletion or addition of pages in the wiki
changes a published edition: its snapshot, its page and its exports stay byte for byte."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.wiki.editions.support import published_referentiel
from wiki.models import CompetencyPage, DomainPage, Edition
from wiki.services.editions import edition_publish, edition_snapshot

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

operations = st.lists(
    st.tuples(
        st.sampled_from(["edit", "draft", "move", "delete", "add", "unpublish", "referentiel"]),
        st.integers(min_value=0, max_value=50),
        st.text(alphabet="abcdéèà ’[]*_", min_size=1, max_size=30),
    ),
    min_size=1,
    max_size=6,
)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(client: Client, url: str) -> str:
    """The page as served, without the per-request CSRF token of the site's forms."""
    return CSRF.sub("", client.get(url).content.decode())


def _observed(referentiel, edition) -> dict:
    client = Client()
    slug, version = referentiel.slug, edition.version
    fresh = Edition.objects.get(pk=edition.pk)
    snapshot = edition_snapshot(fresh)
    return {
        "snapshot": fresh.snapshot,
        "page": _page(client, f"/referentiels/{slug}/v{version}/"),
        "journal": _page(client, f"/referentiels/{slug}/v{version}/journal/"),
        "case": client.get(f"/referentiels/{slug}/v{version}/export.json").content,
        "pdf_source": render_to_string(
            "wiki/exports/referentiel_pdf.html", {"snapshot": snapshot, "edition": version}
        ),
    }


def _apply(referentiel, operation: str, n: int, text: str) -> None:
    competencies = list(CompetencyPage.objects.descendant_of(referentiel).order_by("path"))
    domains = list(DomainPage.objects.child_of(referentiel).order_by("path"))
    if operation == "add" or not competencies:
        domain = domains[n % len(domains)]
        page = CompetencyPage(
            title=f"Ajout {text}",
            slug=f"ajout-{CompetencyPage.objects.count()}",
            code=f"ADD{n}-" f"{CompetencyPage.objects.count()}",
            statement=text,
        )
        domain.add_child(instance=page)
        page.save_revision().publish()
        return
    page = competencies[n % len(competencies)]
    if operation in ("edit", "draft"):
        draft = page.get_latest_revision_as_object()
        draft.statement = f"{draft.statement} {text}"
        draft.title = f"{draft.title} {text}"[:200]
        revision = draft.save_revision()
        if operation == "edit":
            revision.publish()
    elif operation == "move":
        target = domains[(n + 1) % len(domains)]
        if page.get_parent().pk != target.pk:
            page.move(target, pos="last-child")
    elif operation == "delete":
        page.delete()
    elif operation == "unpublish":
        page.unpublish()
    elif operation == "referentiel":
        draft = referentiel.get_latest_revision_as_object()
        draft.title = f"Référentiel renommé {text}"[:200]
        draft.intro = f"{draft.intro} [[{text}]]"
        draft.save_revision().publish()


@override_settings(CACHES=NO_CACHE)
@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=operations)
def test_no_later_change_in_the_wiki_changes_a_published_edition(sequence):
    referentiel = published_referentiel(domains=2, per_domain=3)
    edition = edition_publish(referentiel=referentiel, kind="major")
    before = _observed(referentiel, edition)
    for operation, n, text in sequence:
        _apply(referentiel, operation, n, text)
        referentiel.refresh_from_db()
    after = _observed(referentiel, edition)
    assert after == before
    # A later edition sees the changes; the earlier one stays as it was (its page now also
    # names the newer edition, above its unchanged content).
    later = edition_publish(referentiel=referentiel, kind="minor")
    assert later.version == "1.1"
    again = _observed(referentiel, edition)
    content = again.pop("page").split("</nav>")[-1]
    assert content == before.pop("page").split("</nav>")[-1]
    assert again == before
