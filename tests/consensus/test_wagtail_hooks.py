import pytest

from tests.factories.consensus import committee_member

pytestmark = pytest.mark.django_db


def test_admin_menu_links_to_the_delphi_pages(client):
    client.force_login(committee_member())
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/consensus/" in response.content.decode()
