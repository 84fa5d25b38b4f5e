"""Watch button, « Liste de suivi », notifications page and the header badge."""

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, edit, radiology_competency, socle_competency
from wiki.models import Notification, ReferentielPage, Watch, WatchlistVisit
from wiki.services.watchlists import notifications_for_change, watch_add

pytestmark = pytest.mark.django_db


def test_watch_and_unwatch_from_the_page_tabs(client):
    page = socle_competency()
    user = UserFactory()
    client.force_login(user)
    html = client.get(page.url).content.decode()
    assert reverse("wiki:watch-toggle", args=[page.pk]) in html

    url = reverse("wiki:watch-toggle", args=[page.pk])
    response = client.post(url, {"action": "watch", "next": page.url})
    assert response.status_code == 302 and response["Location"] == page.url
    assert Watch.objects.filter(user=user, page=page, with_descendants=False).exists()
    assert "Ne plus suivre" in client.get(page.url).content.decode()

    client.post(url, {"action": "unwatch", "next": "https://evil.example/"})
    assert not Watch.objects.filter(user=user, page=page).exists()


def test_a_referentiel_is_watched_with_its_sub_pages_by_default(client):
    referentiel = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("wiki:watch-toggle", args=[referentiel.pk]), {"action": "watch"})
    assert Watch.objects.get(user=user, page=referentiel).with_descendants
    client.post(
        reverse("wiki:watch-toggle", args=[referentiel.pk]),
        {"action": "watch", "with_descendants": "0"},
    )
    assert not Watch.objects.get(user=user, page=referentiel).with_descendants


def test_watch_needs_login_post_and_a_visible_page(client):
    url = reverse("wiki:watch-toggle", args=[radiology_competency().pk])
    assert client.post(url, {"action": "watch"}).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "watch"}).status_code == 404
    assert not Watch.objects.exists()


def test_watchlist_shows_new_changes_then_records_the_visit(client):
    page = socle_competency()
    user = UserFactory()
    watch_add(user=user, page=page)
    client.force_login(user)
    edit(page, account("copil"), statement="Modification suivie", publish=True)

    response = client.get(reverse("wiki:watchlist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Liste de suivi" in html and page.title in html
    assert "watchlist__change--new" in html
    visit = WatchlistVisit.objects.get(user=user)

    html = client.get(reverse("wiki:watchlist")).content.decode()
    assert "Aucune modification depuis votre dernière visite" in html
    assert "Modifications antérieures" in html
    assert WatchlistVisit.objects.get(user=user).visited_at > visit.visited_at


def test_notifications_page_badge_and_mark_read(client, django_assert_max_num_queries):
    page = socle_competency()
    user = UserFactory()
    watch_add(user=user, page=page)
    change = edit(page, account("copil"), statement="Pour la notification", publish=True)
    notifications_for_change(change.pk)
    client.force_login(user)

    html = client.get("/").content.decode()
    assert "Notifications (1)" in html
    response = client.get(reverse("wiki:notifications"))
    html = response.content.decode()
    assert page.title in html and f"/wiki/{page.pk}/diff/?de=" in html

    client.post(reverse("wiki:notifications"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert "Notifications (0)" in client.get("/").content.decode()


def test_the_badge_costs_one_query_and_none_for_visitors(client, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from wiki.context_processors import notifications

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {}
    request.user = UserFactory()
    with django_assert_num_queries(1):
        assert str(notifications(request)["wiki_unread_notifications"]) == "0"


def test_the_watchlist_switches_a_referentiel_watch_to_its_sub_pages(client):
    referentiel = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    user = UserFactory()
    watch_add(user=user, page=referentiel, with_descendants=False)
    client.force_login(user)
    html = client.get(reverse("wiki:watchlist")).content.decode()
    assert "Inclure ses sous-pages" in html
    client.post(
        reverse("wiki:watch-toggle", args=[referentiel.pk]),
        {"action": "watch", "with_descendants": "1", "next": reverse("wiki:watchlist")},
    )
    assert Watch.objects.get(user=user, page=referentiel).with_descendants
    assert "Suivre cette page seule" in client.get(reverse("wiki:watchlist")).content.decode()
