"""Wagtail's own screens in French: its default workflow renamed, its catalogue corrected."""

import pytest
from wagtail.models import Task, Workflow

from tests.wiki.history_support import account

pytestmark = pytest.mark.django_db


def test_the_default_workflow_has_a_french_name():
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert Workflow.objects.filter(name="Validation par les modérateurs").exists()


def test_the_admin_dashboard_spells_pages_creees(client):
    client.force_login(account("admin"))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="fr"' in html
    assert "créées dans" in html
    assert "crées dans" not in html.replace("créées dans", "")
