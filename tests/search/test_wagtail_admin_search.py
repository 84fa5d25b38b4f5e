"""Wagtail's own admin search runs on Wagtail's elasticsearch8 backend under the test (and
production) settings: the same node, its own indices (`<prefix>_wagtail_*`)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.search.backends import get_search_backend

from wiki.models import CompetencyPage

pytestmark = pytest.mark.django_db


def test_the_admin_searches_pages_in_elasticsearch(client, elasticsearch):
    assert (
        settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
        == "wagtail.search.backends.elasticsearch8"
    )
    backend = get_search_backend()
    index = backend.get_index_for_model(CompetencyPage)
    index.reset()
    index.add_model(CompetencyPage)  # Wagtail's mapping, as `manage.py update_index` does
    index.add_items(CompetencyPage, list(CompetencyPage.objects.all()))
    index.refresh()
    found = backend.search("incidents", CompetencyPage.objects.all())
    assert "SOCLE-D2-C02" in [page.code for page in found]

    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/admin/pages/search/", {"q": "incidents"})
    assert response.status_code == 200
    assert "Se prémunir et réagir face aux incidents" in response.content.decode()
