"""The amendment pages: from the edition's page to the minor edition, thin over the services."""

import pytest
from django.urls import reverse

from consensus.models import Amendment
from consensus.services import amendments
from tests.consensus.amendments.helpers import adopt, propose, published_referentiel
from tests.factories.accounts import UserFactory
from wiki.services.editions import edition_publish

pytestmark = pytest.mark.django_db


def _propose_url(published, code=None, version=None):
    return reverse(
        "consensus:amendment-propose",
        args=[
            published.referentiel.slug,
            version or published.edition.version,
            code or published.competency().code,
        ],
    )


def test_each_competency_of_an_edition_offers_an_amendment_an_older_edition_names_the_latest(
    client,
):
    published = published_referentiel(n_competencies=2)
    page = client.get(reverse("referentiels:edition", args=[published.referentiel.slug, "1.0"]))
    html = page.content.decode()
    assert html.count("Proposer un amendement") == 2
    assert _propose_url(published) in html
    edition_publish(referentiel=published.referentiel, kind="minor")
    # The page of 1.0 never changes; its link now says which edition to amend.
    older = client.get(reverse("referentiels:edition", args=[published.referentiel.slug, "1.0"]))
    assert older.content.decode().count("Proposer un amendement") == 2
    client.force_login(UserFactory())
    refused = client.get(_propose_url(published))
    assert refused.status_code == 404
    assert "n’est pas la dernière édition" in refused.content.decode()
    assert "l’édition 1.1, la dernière" in refused.content.decode()
    newer = reverse("referentiels:edition", args=[published.referentiel.slug, "1.1"])
    assert _propose_url(published, version="1.1") in client.get(newer).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    published = published_referentiel()
    response = client.get(_propose_url(published))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    response = client.post(_propose_url(published), {"title": "x", "statement": "y"})
    assert response.status_code == 302
    assert not Amendment.objects.exists()


def test_a_missing_edition_or_code_answers_404_in_french(client):
    published = published_referentiel()
    client.force_login(UserFactory())
    response = client.get(_propose_url(published, version="7.0"))
    assert response.status_code == 404
    assert "L’édition 7.0" in response.content.decode()
    response = client.post(_propose_url(published, code="NOPE-1"), {"title": "x"})
    assert response.status_code == 404
    assert "La compétence NOPE-1 ne figure pas" in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_proposal_is_recorded_and_a_bad_one_keeps_what_was_typed(client):
    published = published_referentiel()
    client.force_login(UserFactory())
    page = published.competency()
    form = client.get(_propose_url(published))
    assert form.status_code == 200 and page.statement in form.content.decode()

    bad = client.post(
        _propose_url(published),
        {"title": "Titre amendé", "statement": "Énoncé amendé tapé", "rationale": ""},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'class="error-summary"' in html and "Énoncé amendé tapé" in html
    assert 'aria-invalid="true"' in html
    assert not Amendment.objects.exists()

    good = client.post(
        _propose_url(published),
        {"title": "Titre amendé", "statement": "Énoncé amendé", "rationale": "Plus précis."},
    )
    amendment = Amendment.objects.get()
    assert good.status_code == 302
    assert good["Location"] == reverse("consensus:amendment-detail", args=[amendment.pk])


def test_the_amendment_page_hides_the_proposer_from_the_public(client):
    published = published_referentiel()
    proposer = UserFactory(first_name="Camille", last_name="Proposante")
    amendment = propose(published, proposer)
    url = reverse("consensus:amendment-detail", args=[amendment.pk])

    public = client.get(url)
    assert public.status_code == 200
    assert "Proposante" not in public.content.decode()
    assert "interpréter un résultat" in public.content.decode()
    client.force_login(published.referent)
    assert "Camille Proposante" in client.get(url).content.decode()
    listing = client.get(reverse("consensus:amendment-list", args=[published.referentiel.pk]))
    assert "Camille Proposante" in listing.content.decode()
    client.logout()
    listing = client.get(reverse("consensus:amendment-list", args=[published.referentiel.pk]))
    assert listing.status_code == 200 and "Proposante" not in listing.content.decode()


def test_an_amendment_of_a_referentiel_the_reader_may_not_see_is_not_found(client):
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    published.referentiel.unpublish()
    assert client.get(reverse("consensus:amendment-detail", args=[amendment.pk])).status_code == 404
    listing = reverse("consensus:amendment-list", args=[published.referentiel.pk])
    assert client.get(listing).status_code == 404


def test_the_referent_decides_from_the_list_others_are_refused(client):
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    url = reverse("consensus:amendment-decide", args=[amendment.pk])
    data = {f"a{amendment.pk}-decision": "refuse", f"a{amendment.pk}-reasons": ""}

    client.force_login(UserFactory())
    assert client.post(url, data).status_code == 403
    client.force_login(published.referent)
    missing_reasons = client.post(url, data)
    assert missing_reasons.status_code == 400
    assert "Indiquez les motifs" in missing_reasons.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == "proposed"

    listing = reverse("consensus:amendment-list", args=[published.referentiel.pk])
    response = client.post(
        url,
        {f"a{amendment.pk}-decision": "accept", f"a{amendment.pk}-reasons": "", "next": listing},
    )
    assert response.status_code == 302 and response["Location"] == listing
    amendment.refresh_from_db()
    assert amendment.status == "accepted"
    again = client.post(url, {f"a{amendment.pk}-decision": "accept"}, follow=True)
    assert "déjà été tranché" in again.content.decode()


def test_the_committee_publishes_the_minor_edition_and_its_journal_names_the_amendment(client):
    published = published_referentiel()
    amendment = adopt(published, propose(published, UserFactory()))
    url = reverse("consensus:amendment-publish", args=[published.referentiel.pk])
    client.force_login(published.referent)
    assert client.post(url).status_code == 403
    client.force_login(published.committee)
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "referentiels:edition", args=[published.referentiel.slug, "1.1"]
    )
    journal = client.get(
        reverse("referentiels:edition-journal", args=[published.referentiel.slug, "1.1"])
    ).content.decode()
    assert f"Amendement n° {amendment.pk}" in journal
    assert "interpréter un résultat" in journal  # the adopted wording (escaped apostrophe)
    detail = client.get(reverse("consensus:amendment-detail", args=[amendment.pk]))
    assert "Publié" in detail.content.decode()
    assert (
        reverse("referentiels:edition-diff", args=[published.referentiel.slug, "1.0", "1.1"])
        in detail.content.decode()
    )
    again = client.post(url, follow=True)
    assert "Aucun amendement adopté" in again.content.decode()


def test_a_facilitator_opens_the_round_from_the_amendment_page(client):
    published = published_referentiel()
    amendment = propose(published, UserFactory())
    amendments.amendment_decide(user=published.referent, amendment=amendment, accept=True)
    url = reverse("consensus:amendment-study", args=[amendment.pk])
    client.force_login(published.referent)
    assert client.post(url).status_code == 403
    client.force_login(published.facilitator)
    detail = client.get(reverse("consensus:amendment-detail", args=[amendment.pk]))
    assert url in detail.content.decode()
    assert client.post(url).status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == "in_study" and amendment.study.rounds.open().exists()
