import pytest
from django.db import IntegrityError, connection, transaction

from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.models import Edition, EditionRefused
from wiki.services.editions import edition_get, edition_latest, edition_publish, edition_snapshot
from wiki.snapshots import referentiel_snapshot_live, snapshot_from_json, snapshot_to_json

pytestmark = pytest.mark.django_db


def test_the_first_edition_is_1_0_then_minor_and_major_numbers_follow():
    referentiel = published_referentiel()
    first = edition_publish(referentiel=referentiel, kind="major")
    assert first.version == "1.0"
    assert edition_publish(referentiel=referentiel, kind="minor").version == "1.1"
    assert edition_publish(referentiel=referentiel, kind="minor").version == "1.2"
    assert edition_publish(referentiel=referentiel, kind="major").version == "2.0"
    assert edition_latest(referentiel).version == "2.0"
    assert edition_get(referentiel.slug, "1.1").minor == 1
    assert edition_get(referentiel.slug, "9.9") is None
    assert edition_get(referentiel.slug, "v1") is None


def test_the_snapshot_round_trips_through_json_and_freezes_the_published_pages():
    referentiel = published_referentiel()
    live = referentiel_snapshot_live(referentiel)
    assert snapshot_from_json(snapshot_to_json(live)) == live
    edition = edition_publish(referentiel=referentiel, kind="major")
    assert edition_snapshot(edition) == live
    assert len(edition_snapshot(edition).competencies) == 6


def test_a_withdrawn_competency_is_left_out_of_the_snapshot():
    referentiel = published_referentiel()
    page = competency(referentiel, referentiel.get_children().first().specific.code + "-C1")
    edit_published(page, withdrawn=True)
    codes = [c.code for c in referentiel_snapshot_live(referentiel).competencies]
    assert page.code not in codes and len(codes) == 5


@pytest.mark.parametrize(
    ("versions", "kind", "asked", "message"),
    [
        ([], "minor", None, "1.0"),
        (["major"], "major", "1.0", "ne recule ni ne se répète"),
        (["major", "major"], "major", "1.0", "ne recule ni ne se répète"),
        (["major"], "minor", "1.0", "ne recule ni ne se répète"),
        (["major"], "minor", "2.0", "ne correspond pas"),
        (["major"], "major", "2.1", "ne correspond pas"),
        (["major"], "major", "deux", "n’est pas un numéro de version"),
    ],
)
def test_a_version_that_goes_backwards_repeats_or_mismatches_is_refused_in_french(
    versions, kind, asked, message
):
    referentiel = published_referentiel()
    for k in versions:
        edition_publish(referentiel=referentiel, kind=k)
    count = Edition.objects.count()
    with pytest.raises(EditionRefused, match=message):
        edition_publish(referentiel=referentiel, kind=kind, version=asked)
    assert Edition.objects.count() == count


def test_an_unpublished_referentiel_has_no_edition():
    referentiel = published_referentiel(live=False)
    with pytest.raises(EditionRefused, match="n’est pas publié"):
        edition_publish(referentiel=referentiel, kind="major")


def test_an_edition_refuses_to_change_or_to_be_deleted():
    edition = edition_publish(referentiel=published_referentiel(), kind="major")
    edition.changelog = "Réécrit"
    with pytest.raises(EditionRefused, match="ne change jamais"):
        edition.save()
    with pytest.raises(EditionRefused, match="jamais supprimée"):
        edition.delete()


def test_the_database_refuses_updates_deletions_and_backward_versions():
    referentiel = published_referentiel()
    edition = edition_publish(referentiel=referentiel, kind="major")
    edition_publish(referentiel=referentiel, kind="major")
    for statement in (
        "UPDATE wiki_edition SET snapshot = '{}'::jsonb WHERE id = %s",
        "UPDATE wiki_edition SET changelog = 'x' WHERE id = %s",
        "DELETE FROM wiki_edition WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(statement, [edition.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(changelog="x")
    backwards = Edition(
        referentiel=referentiel,
        slug=referentiel.slug,
        major=1,
        minor=5,
        kind="minor",
        published_at=edition.published_at,
        snapshot={},
        digest="",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()
    edition.refresh_from_db()
    assert edition.changelog == "" and Edition.objects.filter(pk=edition.pk).exists()


def test_a_published_referentiel_cannot_be_deleted_once_it_has_an_edition():
    from django.db.models import ProtectedError

    referentiel = published_referentiel(domains=1, per_domain=1)
    edition_publish(referentiel=referentiel, kind="major")
    with pytest.raises(ProtectedError):
        referentiel.delete()


def test_the_command_publishes_the_next_edition_and_refuses_a_minor_first_one():
    from io import StringIO

    from django.core.management import CommandError, call_command

    referentiel = published_referentiel()
    with pytest.raises(CommandError, match="1.0"):
        call_command("edition_publish", referentiel.slug, "--kind", "minor", "--quiet-progress")
    assert not Edition.objects.filter(referentiel=referentiel).exists()
    out = StringIO()
    call_command("edition_publish", referentiel.slug, "--kind", "major", stdout=out)
    assert "Édition 1.0" in out.getvalue() and "6 compétences" in out.getvalue()
    call_command("edition_publish", referentiel.slug, "--kind", "minor", stdout=out)
    assert edition_latest(referentiel).version == "1.1"
    assert edition_latest(referentiel).provenance == {"source": "command"}


def test_the_seeded_socle_is_published_edition_1_0_and_seeding_again_adds_none():
    from wiki.services.seeding import initial_data_load

    socle = edition_get("socle-numerique-en-sante", "1.0")
    assert socle is not None and socle.kind == "major"
    assert len(edition_snapshot(socle).competencies) > 0
    initial_data_load(with_accounts=False)
    assert Edition.objects.filter(slug="socle-numerique-en-sante").count() == 1


def test_the_list_and_the_referentiel_page_link_to_the_editions(client):
    html = client.get("/referentiels/").content.decode()
    assert 'href="/referentiels/socle-numerique-en-sante/"' in html and "édition 1.0" in html
    from wiki.models import ReferentielPage

    socle = ReferentielPage.objects.get(slug="socle-numerique-en-sante")
    page = client.get(socle.url).content.decode()
    assert 'href="/referentiels/socle-numerique-en-sante/"' in page
    edition = client.get("/referentiels/socle-numerique-en-sante/v1.0/")
    assert edition.status_code == 200


def test_the_database_lets_an_unchanged_row_be_written_again():
    """Django's deserialisation (loaddata, the tests' serialized rollback) saves existing rows
    with their own values: that is not a change."""
    edition = edition_publish(referentiel=published_referentiel(), kind="major")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE wiki_edition SET changelog = changelog WHERE id = %s", [edition.pk])
    assert Edition.objects.filter(pk=edition.pk, changelog="").exists()
