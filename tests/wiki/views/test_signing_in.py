"""Signing in and out on the site's own pages, in French; what the header offers each role;
« Mes brouillons »."""

import pytest
from django.urls import reverse

from tests.factories.accounts import PASSWORD, UserFactory
from tests.wiki.history_support import account
from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def test_the_login_page_is_the_sites_own_in_french_with_a_way_back(client):
    page = CompetencyPage.objects.live().first()
    html = client.get(page.url).content.decode()
    login_link = f"{reverse('login')}?next={page.url}\""
    assert login_link in html
    assert "/admin/login/" not in html

    response = client.get(reverse("login"), {"next": page.url})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in html
    assert "Nom d’utilisateur" in html and "Mot de passe" in html
    assert "Password" not in html
    assert f'<a href="{page.url}">Retour à la page que vous lisiez</a>' in html


def test_logging_in_returns_to_the_page_and_logging_out_is_a_post(client):
    user = UserFactory(username="lecteur.test", first_name="Camille", last_name="Martin")
    response = client.post(
        reverse("login"), {"username": "lecteur.test", "password": PASSWORD, "next": "/recherche/"}
    )
    assert response.status_code == 302 and response["Location"] == "/recherche/"
    html = client.get("/").content.decode()
    assert "Compte : Camille Martin" in html
    assert f'action="{reverse("logout")}"' in html and "Se déconnecter" in html
    assert client.get(reverse("logout")).status_code == 405  # never a link that logs out
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session
    assert user.pk  # the account stays


def test_a_wrong_password_says_so_in_french_and_keeps_the_username(client):
    UserFactory(username="lecteur.test")
    response = client.post(reverse("login"), {"username": "lecteur.test", "password": "non"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne correspondent à aucun compte" in html
    assert 'value="lecteur.test"' in html


@pytest.mark.parametrize(
    ("username", "contributes"),
    [
        ("editeur.radiologie", True),
        ("copil", True),
        ("admin", True),
        ("panel.expert", False),
        ("animateur.delphi", False),
        ("patrouilleur", False),
    ],
)
def test_contribuer_and_mes_brouillons_only_for_roles_that_edit(client, username, contributes):
    client.force_login(account(username))
    html = client.get(reverse("wiki:recent-changes")).content.decode()
    assert ('href="/admin/">Contribuer<' in html) is contributes
    assert (f'href="{reverse("wiki:my-drafts")}"' in html) is contributes
    assert client.get(reverse("wiki:my-drafts")).status_code == (200 if contributes else 403)


def test_mes_brouillons_lists_the_drafts_of_pages_the_user_may_edit(client):
    client.force_login(account("editeur.radiologie"))
    response = client.get(reverse("wiki:my-drafts"))
    drafts = response.context["drafts"]
    radiology = CompetencyPage.objects.get(code="RAD-D1-C02")
    general_medicine = CompetencyPage.objects.get(code="MG-D1-C01")
    ids = {page.pk for page in drafts}
    assert radiology.pk in ids
    assert general_medicine.pk not in ids  # another college's draft
    html = response.content.decode()
    assert reverse("wiki:draft", args=[radiology.pk]) in html
    assert reverse("wiki:edit", args=[radiology.pk]) in html
    assert "Mes brouillons" in html and "jamais publiée" in html
    assert all(not p.live or p.has_unpublished_changes for p in drafts)
