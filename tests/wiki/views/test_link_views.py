"""« Pages liées », « Pages demandées » and the page a red link leads to."""

from html import escape

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.wiki.history_support import account, radiology_competency
from wiki.models import CompetencyPage, DomainPage
from wiki.services.links import page_links_update

pytestmark = pytest.mark.django_db


def test_backlinks_show_only_pages_the_visitor_may_view(client):
    source = radiology_competency()  # a draft
    page_links_update(source)
    target = CompetencyPage.objects.get(code="RAD-D1-C02")
    socle_target = CompetencyPage.objects.get(code="SOCLE-D4-C01")

    assert client.get(reverse("wiki:backlinks", args=[target.pk])).status_code == 404
    html = client.get(reverse("wiki:backlinks", args=[socle_target.pk])).content.decode()
    assert escape(source.title) not in html  # the public does not see the draft linking here
    client.force_login(account("editeur.radiologie"))
    html = client.get(reverse("wiki:backlinks", args=[target.pk])).content.decode()
    assert escape(source.title) in html and "Pages liées" in html


def test_wanted_pages_lists_red_links(client):
    domain = DomainPage.objects.live().get(code="D1", url_path__contains="socle")
    page = CompetencyPage(title="Demande", slug="tst-v-01", code="TST-V-01", body="[[Absente]]")
    domain.add_child(instance=page)
    page.save_revision(user=account("copil")).publish()

    html = client.get(reverse("wiki:wanted-pages")).content.decode()
    assert "Pages demandées" in html and "Absente" in html
    assert f"{reverse('wiki:missing-page')}?titre=Absente" in html


def test_missing_page_offers_editors_their_domains(client):
    url = reverse("wiki:missing-page") + "?titre=Nouvelle%20fiche"
    response = client.get(url)
    assert response.status_code == 404
    assert "/admin/pages/add/" not in response.content.decode()

    client.force_login(account("editeur.radiologie"))
    html = client.get(url).content.decode()
    radiology_domain = DomainPage.objects.get(code="D1", url_path__contains="radiologie")
    add_url = f"/admin/pages/add/wiki/competencypage/{radiology_domain.pk}/"
    assert f"{add_url}?title=Nouvelle+fiche" in html
    socle_domain = DomainPage.objects.get(code="D1", url_path__contains="socle")
    assert f"/competencypage/{socle_domain.pk}/" not in html

    client.force_login(UserFactory())
    assert "/admin/pages/add/" not in client.get(url).content.decode()
