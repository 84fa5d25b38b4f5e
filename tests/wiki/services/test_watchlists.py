"""Watchlists: who is notified of a change, in the wiki and by e-mail."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, radiology_competency, socle_competency
from wiki.models import Change, Notification, ReferentielPage, Watch
from wiki.selectors import unread_notifications_count, watched_changes_since
from wiki.services.watchlists import (
    notifications_for_change,
    notifications_mark_read,
    watch_add,
    watch_remove,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def save(django_capture_on_commit_callbacks):
    """Save a revision the way an edit does (published at once by those who may publish a
    live page): the Change is committed, then watchers notified."""

    def run(page, user, **fields) -> Change:
        page = page.specific_class.objects.get(pk=page.pk).get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            revision = page.save_revision(user=user)
            if page.live and page.permissions_for_user(user).can_publish():
                revision.publish(user=user)
        return Change.objects.get(revision=revision)

    return run


def test_watcher_is_notified_in_the_wiki_and_by_email(save, mailoutbox):
    page = socle_competency()
    watcher = UserFactory(email="veilleur@test.invalid")
    watch_add(user=watcher, page=page)
    first = save(page, account("copil"), statement="Première modification")
    mailoutbox.clear()

    change = save(page, account("copil"), statement="Deuxième modification", title=page.title)

    notification = Notification.objects.get(user=watcher, change=change)
    assert notification.emailed and notification.read_at is None
    assert unread_notifications_count(watcher) == 2
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["veilleur@test.invalid"]
    assert page.title in mail.subject
    assert account("copil").get_full_name() in mail.subject
    assert f"/wiki/{page.pk}/diff/?de={first.revision_id}&a={change.revision_id}" in mail.body
    assert "Bonjour" in mail.body or "Hello" in mail.body


def test_the_author_is_never_notified_of_their_own_change(save, mailoutbox):
    page = socle_competency()
    author = account("copil")
    watch_add(user=author, page=page)
    other = UserFactory()
    watch_add(user=other, page=page)

    change = save(page, author, statement="Par l'auteur")

    assert not Notification.objects.filter(user=author, change=change).exists()
    assert Notification.objects.filter(user=other, change=change).exists()
    assert [m.to for m in mailoutbox] == [[other.email]]


def test_a_referentiel_watched_with_descendants_covers_its_pages(save):
    page = socle_competency()
    referentiel = ReferentielPage.objects.ancestor_of(page).get()
    deep, shallow = UserFactory(), UserFactory()
    watch_add(user=deep, page=referentiel, with_descendants=True)
    watch_add(user=shallow, page=referentiel, with_descendants=False)
    start = timezone.now()

    change = save(page, account("copil"), statement="Sous-page modifiée")

    assert Notification.objects.filter(user=deep, change=change).exists()
    assert not Notification.objects.filter(user=shallow, change=change).exists()
    assert list(watched_changes_since(deep, start)) == [change]
    assert list(watched_changes_since(shallow, start)) == []
    assert watched_changes_since(deep, None).count() > 1  # the seeded pages' history too


def test_no_notification_of_a_draft_to_someone_who_cannot_view_it(save, mailoutbox):
    draft = radiology_competency()
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        watch_add(user=outsider, page=draft)
    # A watch made while the page was public, say: the draft must still stay private.
    Watch.objects.create(user=outsider, page=draft)
    patroller = account("patrouilleur")
    watch_add(user=patroller, page=draft)

    change = save(draft, account("editeur.radiologie"), statement="Brouillon modifié")

    assert not Notification.objects.filter(user=outsider).exists()
    assert Notification.objects.filter(user=patroller, change=change).exists()
    assert [m.to for m in mailoutbox] == [[patroller.email]]
    assert list(watched_changes_since(outsider, None)) == []


def test_notifying_twice_creates_one_notification_and_one_email(save, mailoutbox):
    page = socle_competency()
    watcher = UserFactory()
    watch_add(user=watcher, page=page)
    change = save(page, account("copil"), statement="Une fois")

    notifications_for_change(change.pk)
    notifications_for_change(change.pk)

    assert Notification.objects.filter(change=change).count() == 1
    assert len(mailoutbox) == 1


def test_unwatching_stops_notifications_and_mark_read_clears_the_badge(save):
    page = socle_competency()
    watcher = UserFactory()
    watch_add(user=watcher, page=page)
    save(page, account("copil"), statement="Avant")
    assert unread_notifications_count(watcher) == 1
    assert notifications_mark_read(user=watcher) == 1
    assert unread_notifications_count(watcher) == 0

    assert watch_remove(user=watcher, page=page)
    save(page, account("copil"), statement="Après")
    assert Notification.objects.filter(user=watcher).count() == 1


def test_watched_changes_since_a_visit(save):
    page = socle_competency()
    watcher = UserFactory()
    watch_add(user=watcher, page=page)
    before = save(page, account("copil"), statement="Avant la visite")
    visit = timezone.now()
    after = save(page, account("copil"), statement="Après la visite")

    assert list(watched_changes_since(watcher, visit)) == [after]
    assert before in watched_changes_since(watcher, None)
