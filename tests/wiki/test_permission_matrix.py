"""Who may do what, on which page: every cell of role × action × page asserted through the real
views — the wiki's, and Wagtail's admin edit view for publishing — and the predicates they rely
on.

Pages: the socle (live, national), the radiology pilot (draft, CERF), the general-medicine pilot
(draft, CNGE). Y = allowed, N = refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.wiki.history_support import (
    account,
    edit,
    general_medicine_competency,
    radiology_competency,
    socle_competency,
)
from wiki.models import Change
from wiki.permissions import can_edit_page, can_patrol
from wiki.roles import ROLE_GROUPS, TRUSTED_EDITORS
from wiki.visibility import may_read_drafts, reader_for

pytestmark = pytest.mark.django_db

Y, N = True, False
PAGES = ("socle", "radiology", "general_medicine")
ROLES = {
    "anonymous": None,
    "editor_cerf": "editeur.radiologie",
    "editor_cnge": "editeur.medecine-generale",
    "patroller": "patrouilleur",
    "steering_committee": "copil",
    "facilitator": "animateur.delphi",
    "panelist": "panel.expert",
    "admin": "admin",
}
#                      socle radiology general_medicine
MATRIX = {
    "read_drafts": {
        "anonymous": (N, N, N),
        "editor_cerf": (N, Y, N),
        "editor_cnge": (N, N, Y),
        "patroller": (Y, Y, Y),
        "steering_committee": (Y, Y, Y),
        "facilitator": (N, N, N),
        "panelist": (N, N, N),
        "admin": (Y, Y, Y),
    },
    "edit": {
        "anonymous": (N, N, N),
        "editor_cerf": (N, Y, N),
        "editor_cnge": (N, N, Y),
        "patroller": (N, N, N),
        "steering_committee": (Y, Y, Y),
        "facilitator": (N, N, N),
        "panelist": (N, N, N),
        "admin": (Y, Y, Y),
    },
    "history": {
        "anonymous": (Y, N, N),
        "editor_cerf": (Y, Y, N),
        "editor_cnge": (Y, N, Y),
        "patroller": (Y, Y, Y),
        "steering_committee": (Y, Y, Y),
        "facilitator": (Y, N, N),
        "panelist": (Y, N, N),
        "admin": (Y, Y, Y),
    },
    "patrol": {
        "anonymous": (N, N, N),
        "editor_cerf": (N, N, N),
        "editor_cnge": (N, N, N),
        "patroller": (Y, Y, Y),
        "steering_committee": (Y, Y, Y),
        "facilitator": (N, N, N),
        "panelist": (N, N, N),
        "admin": (Y, Y, Y),
    },
    "revert": {
        "anonymous": (N, N, N),
        "editor_cerf": (N, Y, N),
        "editor_cnge": (N, N, Y),
        "patroller": (N, N, N),
        "steering_committee": (Y, Y, Y),
        "facilitator": (N, N, N),
        "panelist": (N, N, N),
        "admin": (Y, Y, Y),
    },
    "publish": {
        "anonymous": (N, N, N),
        "editor_cerf": (N, N, N),
        "editor_cnge": (N, N, N),
        "patroller": (N, N, N),
        "steering_committee": (Y, Y, Y),
        "facilitator": (N, N, N),
        "panelist": (N, N, N),
        "admin": (Y, Y, Y),
    },
}
CELLS = [
    (action, role, page, allowed[i])
    for action, by_role in MATRIX.items()
    for role, allowed in by_role.items()
    for i, page in enumerate(PAGES)
]


def test_the_matrix_covers_every_role_of_the_site():
    """Each role group the site defines (wiki.roles) has its account in the matrix, and every
    action row lists every role: a new role cannot be left out unnoticed."""
    members = {
        name
        for username in ROLES.values()
        if username is not None
        for name in account(username).groups.values_list("name", flat=True)
    }
    assert set(ROLE_GROUPS.values()) - {TRUSTED_EDITORS} <= members
    assert all(set(by_role) == set(ROLES) for by_role in MATRIX.values())


def _page(name: str):
    return {
        "socle": socle_competency,
        "radiology": radiology_competency,
        "general_medicine": general_medicine_competency,
    }[name]()


def _ok(response) -> bool:
    return response.status_code in (200, 302) and "/connexion/" not in response.get("Location", "")


def do_read_drafts(client, user, page) -> bool:
    draft_reader = client.get(reverse("wiki:draft", args=[page.pk]))
    allowed = draft_reader.status_code == 200
    if page.live:
        assert client.get(page.url).status_code == 200  # Wagtail's public page
    assert may_read_drafts(reader_for(user), page) is allowed
    return allowed


def do_edit(client, user, page) -> bool:
    allowed = client.get(reverse("wiki:edit", args=[page.pk])).status_code == 200
    assert can_edit_page(user, page) is allowed
    return allowed


def do_history(client, user, page) -> bool:
    response = client.get(reverse("wiki:history", args=[page.pk]))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def do_patrol(client, user, page, user_factory) -> bool:
    change = edit(page, user_factory(username="auteur.non.fiable"), statement="À relire")
    assert change.patrolled_at is None
    response = client.post(reverse("wiki:patrol", args=[change.pk]))
    change.refresh_from_db()
    allowed = change.patrolled_at is not None
    assert _ok(response) is allowed
    assert can_patrol(user) is allowed
    return allowed


def do_revert(client, user, page) -> bool:
    target = page.get_latest_revision()
    edit(page, account("copil"), statement="Version à révoquer")
    response = client.post(reverse("wiki:revert", args=[page.pk, target.pk]))
    allowed = Change.objects.filter(page_id=page.pk, kind=Change.Kind.REVERT).exists()
    assert _ok(response) is allowed
    return allowed


def do_publish(client, user, page) -> bool:
    """Publishing happens in Wagtail's admin: its edit view offers « Publier » (action-publish)
    only to those Wagtail's page permissions allow to publish."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    allowed = response.status_code == 200 and 'name="action-publish"' in response.content.decode()
    assert (user.is_authenticated and page.permissions_for_user(user).can_publish()) is allowed
    return allowed


@pytest.mark.parametrize(("action", "role", "page_name", "expected"), CELLS)
def test_cell(client, user_factory, action, role, page_name, expected):
    username = ROLES[role]
    user = AnonymousUser() if username is None else account(username)
    if username is not None:
        client.force_login(user)
    page = _page(page_name)
    if action == "patrol":
        allowed = do_patrol(client, user, page, user_factory)
    else:
        allowed = globals()[f"do_{action}"](client, user, page)
    assert allowed is expected, f"{role} {action} {page_name}"
