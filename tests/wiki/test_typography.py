"""French typography of the wiki's numbers: thousands with a narrow no-break space, size
changes signed as on MediaWiki, singular and plural."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.wiki.history_support import account, edit, radiology_competency
from wiki.models import Change
from wiki.templatetags.wiki_tags import fr_number, signed_size

NNBSP = "\u202f"


def test_thousands_take_a_narrow_no_break_space():
    assert fr_number(20000) == f"20{NNBSP}000"
    assert fr_number(999) == "999"
    assert fr_number(-1234567) == f"−1{NNBSP}234{NNBSP}567"
    assert signed_size(1234) == f"+1{NNBSP}234"
    assert signed_size(-56) == "−56"
    assert signed_size(0) == "0"


@pytest.mark.django_db
def test_size_changes_in_recent_changes_and_history(client):
    change = edit(radiology_competency(), account("editeur.radiologie"), body="x" * 1234)
    Change.objects.filter(pk=change.pk).update(size_delta=1234, size=1)
    client.force_login(account("patrouilleur"))
    for url in (
        reverse("wiki:recent-changes"),
        reverse("wiki:history", args=[change.page_id]),
    ):
        html = client.get(url).content.decode()
        assert f"+1{NNBSP}234" in html, url
        assert "1 caractère après cette modification" in html, url  # singular


@pytest.mark.django_db
def test_the_size_limit_of_a_message_is_written_the_french_way(client):
    client.force_login(account("editeur.radiologie"))
    html = client.get(reverse("wiki:discussion", args=[radiology_competency().pk])).content
    assert f"20{NNBSP}000 caractères" in html.decode()


def test_template_filters_are_available():
    html = Template("{% load wiki_tags %}{{ n|fr_number }}").render(Context({"n": 1500}))
    assert html == f"1{NNBSP}500"
