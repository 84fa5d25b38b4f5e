"""The page states and roles of the visibility matrix (test_visibility_matrix.py,
test_visibility_websocket.py).

Each page state lives in the radiology référentiel (CERF's subtree, published for the test):

- ``live``: published, nothing newer;
- ``live_with_draft``: published, then a newer draft (its own words, its own links);
- ``draft_only``: never published;
- ``restricted``: published, with a Wagtail view restriction to the steering committee's group;
- ``unpublished``: published once, then unpublished.

LEVELS says what each role may read of each state: ``-`` nothing, ``P`` the published version
(and the revisions that were published), ``D`` every revision, drafts included.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from tests.wiki.history_support import radiology_competency
from wiki.models import Change, CompetencyPage, Message, ReferentielPage, Thread
from wiki.roles import STEERING_COMMITTEE

STATES = ("live", "live_with_draft", "draft_only", "restricted", "unpublished")
ROLES = {
    "anonymous": None,
    "editor_cerf": "editeur.radiologie",
    "editor_cnge": "editeur.medecine-generale",
    "patroller": "patrouilleur",
    "panelist": "panel.expert",
    "committee": "copil",
    "superuser": "admin",
}
#               live  live_with_draft  draft_only  restricted  unpublished
LEVELS = {
    "anonymous": ("P", "P", "-", "-", "-"),
    "editor_cerf": ("D", "D", "D", "D", "D"),
    "editor_cnge": ("P", "P", "-", "-", "-"),
    "patroller": ("D", "D", "D", "D", "D"),
    "panelist": ("P", "P", "-", "-", "-"),
    "committee": ("D", "D", "D", "D", "D"),
    "superuser": ("D", "D", "D", "D", "D"),
}
# Wagtail serves a restricted page's public URL only to those who pass the restriction.
PASSES_RESTRICTION = {"committee", "superuser"}
TARGET_TITLE = "Cible de la matrice de visibilité"


def title_of(state: str) -> str:
    return f"Visibilité {state} matrice"


def red_link(kind: str, state: str) -> str:
    return f"Page manquante {kind} {state} fin"


def word(kind: str, state: str) -> str:
    """A word found nowhere else: `kind` is "pub" (published text) or "draft"."""
    return f"{kind}{state.replace('_', '')}zorglub"


@dataclass
class StatePage:
    state: str
    page: CompetencyPage
    published_revision_id: int | None = None
    draft_revision_id: int | None = None
    published_change_id: int | None = None
    draft_change_id: int | None = None
    thread_id: int | None = None


def _revision(page, author, *, statement: str, body: str, publish: bool) -> int:
    page = CompetencyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.statement, page.body = statement, body
    revision = page.save_revision(user=author)
    if publish:
        revision.publish(user=author, skip_permission_checks=True)
    return revision.pk


def build_world(author) -> tuple[dict[str, StatePage], CompetencyPage]:
    """The five page states, each linking to a live target page, with one discussion each."""
    referentiel = ReferentielPage.objects.ancestor_of(radiology_competency()).get()
    domain = radiology_competency().get_parent()
    for page in (referentiel, domain):
        page.specific.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    target = CompetencyPage(title=TARGET_TITLE, slug="cible-matrice", code="VIS-CIBLE")
    domain.add_child(instance=target)
    target.save_revision(user=author).publish(user=author, skip_permission_checks=True)

    committee = Group.objects.get(name=STEERING_COMMITTEE)
    world = {}
    for state in STATES:
        page = CompetencyPage(
            title=title_of(state),
            slug=f"visibilite-{state.replace('_', '-')}",
            code=f"VIS-{state.upper().replace('_', '-')}",
            live=False,
        )
        domain.add_child(instance=page)
        entry = StatePage(state, page)
        if state != "draft_only":
            entry.published_revision_id = _revision(
                page,
                author,
                statement=word("pub", state),
                body=f"[[{TARGET_TITLE}]] [[{red_link('publiée', state)}]]",
                publish=True,
            )
        if state in ("live_with_draft", "draft_only"):
            # The draft drops the published red link and asks for another page.
            entry.draft_revision_id = _revision(
                page,
                author,
                statement=word("draft", state),
                body=f"[[{TARGET_TITLE}]] [[{red_link('brouillon', state)}]]",
                publish=False,
            )
        page = CompetencyPage.objects.get(pk=page.pk)
        if state == "restricted":
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.add(committee)
        if state == "unpublished":
            page.unpublish()
        for attr, revision_id in (
            ("published_change_id", entry.published_revision_id),
            ("draft_change_id", entry.draft_revision_id),
        ):
            if revision_id:
                setattr(entry, attr, Change.objects.get(revision_id=revision_id).pk)
        thread = Thread.objects.create(page=page, title=f"Fil {state}", created_by=author)
        Message.objects.create(thread=thread, author=author, body=word("fil", state))
        entry.thread_id = thread.pk
        entry.page = CompetencyPage.objects.get(pk=page.pk)
        world[state] = entry
    return world, CompetencyPage.objects.get(pk=target.pk)


def level(role: str, state: str) -> str:
    return LEVELS[role][STATES.index(state)]
