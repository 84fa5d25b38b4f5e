import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from tests.wiki.history_support import account, edit, radiology_competency
from wiki.models import Change
from wiki.roles import TRUSTED_EDITORS
from wiki.selectors import unpatrolled_count_per_college
from wiki.services.patrol import (
    PATROL_ACTION,
    UNPATROL_ACTION,
    change_patrol,
    change_unpatrol,
)

pytestmark = pytest.mark.django_db


def test_an_editors_change_is_unpatrolled_until_a_patroller_marks_it():
    change = edit(radiology_competency(), account("editeur.radiologie"), statement="Nouveau")
    assert change.patrolled_at is None and not change.autopatrolled
    patroller = account("patrouilleur")

    change_patrol(change=change, user=patroller)

    change.refresh_from_db()
    assert change.patrolled_at is not None
    assert change.patrolled_by == patroller
    assert not change.autopatrolled


def test_patrol_is_idempotent_and_audited_once_with_the_patroller():
    change = edit(radiology_competency(), account("editeur.radiologie"), statement="Nouveau")
    patroller = account("patrouilleur")
    change_patrol(change=change, user=patroller)
    first_mark = Change.objects.get(pk=change.pk).patrolled_at
    change_patrol(change=change, user=account("copil"))

    change.refresh_from_db()
    assert change.patrolled_at == first_mark and change.patrolled_by == patroller
    audit = change.history.filter(history_change_reason=PATROL_ACTION)
    assert audit.count() == 1
    assert audit.get().history_user == patroller
    assert audit.get().patrolled_by_id == patroller.pk


def test_unpatrol_withdraws_the_mark_and_is_audited():
    change = edit(radiology_competency(), account("editeur.radiologie"), statement="Nouveau")
    committee = account("copil")
    change_patrol(change=change, user=committee)
    change_unpatrol(change=change, user=committee)
    change_unpatrol(change=change, user=committee)

    change.refresh_from_db()
    assert change.patrolled_at is None and change.patrolled_by is None
    assert change.history.filter(history_change_reason=UNPATROL_ACTION).count() == 1


@pytest.mark.parametrize(
    "username",
    ["editeur.radiologie", "editeur.medecine-generale", "animateur.delphi", "panel.expert"],
)
def test_only_patrollers_may_patrol(username):
    change = edit(radiology_competency(), account("editeur.radiologie"), statement="Nouveau")
    with pytest.raises(PermissionDenied):
        change_patrol(change=change, user=account(username))
    with pytest.raises(PermissionDenied):
        change_unpatrol(change=change, user=account(username))
    change.refresh_from_db()
    assert change.patrolled_at is None


def test_anonymous_may_not_patrol():
    from django.contrib.auth.models import AnonymousUser

    change = edit(radiology_competency(), account("editeur.radiologie"), statement="Nouveau")
    with pytest.raises(PermissionDenied):
        change_patrol(change=change, user=AnonymousUser())


def test_trusted_editors_are_autopatrolled(user_factory):
    trusted = user_factory(username="editeur.confiance")
    trusted.groups.add(
        Group.objects.get(name=TRUSTED_EDITORS), *account("editeur.radiologie").groups.all()
    )
    for user in (trusted, account("patrouilleur"), account("copil"), account("admin")):
        change = edit(radiology_competency(), user, statement=f"Par {user.username}")
        assert change.autopatrolled and change.patrolled_by == user


def test_unpatrolled_count_per_college():
    cerf = radiology_competency()
    before = {row["college__acronym"]: row["count"] for row in unpatrolled_count_per_college()}
    editor = account("editeur.radiologie")
    changes = [edit(cerf, editor, statement=f"Version {n}") for n in range(3)]
    change_patrol(change=changes[0], user=account("patrouilleur"))

    after = {row["college__acronym"]: row["count"] for row in unpatrolled_count_per_college()}
    assert after["CERF"] == before.get("CERF", 0) + 2


def test_group_memberships_are_audited_from_both_sides(user_factory):
    user = user_factory(username="nouvel.editeur")
    patrollers = Group.objects.get(name="Patrouilleurs")
    cerf_editors = account("editeur.radiologie").groups.get()
    already = user.history.count()  # creation (and the factory's password save)

    user.groups.add(cerf_editors)
    patrollers.user_set.add(user)
    user.groups.remove(cerf_editors)
    patrollers.user_set.clear()

    snapshots = [
        sorted(g.group.name for g in record.groups.all())
        for record in user.history.order_by("history_date", "history_id")[already:]
    ]
    assert snapshots == [
        [cerf_editors.name],
        sorted([cerf_editors.name, patrollers.name]),
        [patrollers.name],
        [],
    ]


def test_a_login_alone_is_not_a_history_entry_and_passwords_are_not_copied(user_factory):
    from django.contrib.auth.models import update_last_login

    user = user_factory(username="connexion")
    count = user.history.count()
    update_last_login(None, user)
    assert user.history.count() == count
    assert not hasattr(user.history.model, "password") or "password" not in [
        f.name for f in user.history.model._meta.fields
    ]
