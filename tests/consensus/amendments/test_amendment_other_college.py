"""Another college's member on a college's amendment pages: they read what the visibility rule
lets them read (a published référentiel is public; one restricted to its college is not found),
and they act on nothing (deciding is for the référent and the committee)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consensus.models import Amendment
from tests.consensus.amendments.helpers import propose, published_referentiel
from tests.consensus.lifecycle.helpers import college_editor
from tests.factories.accounts import UserFactory
from wiki.models import Institution

pytestmark = pytest.mark.django_db


def _other_college_editor():
    return college_editor(Institution.objects.get(slug="cnge"))


def _restricted_to_its_college(published) -> None:
    restriction = PageViewRestriction.objects.create(
        page=published.referentiel, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(pk=published.referentiel.college.editors_group_id)])


def test_another_college_reads_a_published_amendment_but_may_not_decide_it(client):
    published = published_referentiel()
    amendment = propose(published, UserFactory(first_name="Camille", last_name="Proposante"))
    decide = reverse("consensus:amendment-decide", args=[amendment.pk])
    client.force_login(_other_college_editor())

    page = client.get(reverse("consensus:amendment-detail", args=[amendment.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert decide not in html and "Proposante" not in html
    listing = client.get(reverse("consensus:amendment-list", args=[published.referentiel.pk]))
    assert listing.status_code == 200 and decide not in listing.content.decode()

    data = {f"a{amendment.pk}-decision": "accept", f"a{amendment.pk}-reasons": ""}
    assert client.post(decide, data).status_code == 403
    opened = client.post(reverse("consensus:amendment-study", args=[amendment.pk]))
    assert opened.status_code == 403
    publish = reverse("consensus:amendment-publish", args=[published.referentiel.pk])
    assert client.post(publish).status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED and amendment.decided_by is None


def test_another_college_finds_nothing_of_a_referentiel_restricted_to_its_college(client):
    published = published_referentiel()
    amendment = propose(published, published.referent)
    _restricted_to_its_college(published)
    detail = reverse("consensus:amendment-detail", args=[amendment.pk])
    listing = reverse("consensus:amendment-list", args=[published.referentiel.pk])
    decide = reverse("consensus:amendment-decide", args=[amendment.pk])

    client.force_login(_other_college_editor())
    assert client.get(detail).status_code == 404
    assert client.get(listing).status_code == 404
    data = {f"a{amendment.pk}-decision": "accept", f"a{amendment.pk}-reasons": ""}
    assert client.post(decide, data).status_code == 404
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED

    client.force_login(published.referent)  # its own college still reads and decides
    assert client.get(detail).status_code == 200
    assert decide in client.get(listing).content.decode()
