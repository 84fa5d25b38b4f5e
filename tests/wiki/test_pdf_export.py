"""The PDF of an edition (WeasyPrint): a cover with the edition's facts and validation, a table
of contents with page numbers, the domains and competencies, the changelog; laid out from the
snapshot alone (no page of today is read), links inside the site printed as text."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from tests.wiki.editions.support import competency, edit_published, published_referentiel
from wiki.exports.pdf import referentiel_pdf
from wiki.services.editions import edition_publish, edition_snapshot

pytestmark = pytest.mark.django_db

PROVENANCE = {
    "studies": [{"title": "Delphi 2026", "rounds": 2, "items": 6, "panelists": 14}],
    "decisions": [
        {"study": "Delphi 2026", "item": "X", "choice": "keep", "wording": "", "rationale": ""}
    ],
    "votes": [
        {
            "step": "Vote du COPIL",
            "body": "COPIL",
            "seat": "CNCEM — président",
            "choice": "approve",
            "comment": "",
            "cast_at": "2026-05-02T10:00:00+00:00",
        }
    ],
}


def _words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _text(pdf: bytes) -> str:
    return _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def _outline(reader: PdfReader) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(reader.outline))


def test_an_edition_pdf_has_its_cover_validation_contents_competencies_and_changelog(client):
    referentiel = published_referentiel()
    edition_publish(referentiel=referentiel, kind="major", provenance=PROVENANCE)
    page = competency(referentiel, f"{referentiel.get_children().first().specific.code}-C1")
    edit_published(page, statement="Formulation de la deuxième édition")
    second = edition_publish(
        referentiel=referentiel,
        kind="minor",
        provenance=PROVENANCE,
        changelog="Reformulation adoptée par le COPIL.",
    )
    response = client.get(f"/referentiels/{referentiel.slug}/v{second.version}/export.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = _text(response.content)
    cover = _words(reader.pages[0].extract_text())
    assert "Édition 1.1" in cover and "Publiée le" in cover
    assert "Validation" in cover and "Delphi 2026" in cover
    assert "1 décision du comité" in cover and "1 vote" in cover
    snapshot = edition_snapshot(second)
    contents = _words(reader.pages[1].extract_text())
    assert "Sommaire" in contents
    for domain in snapshot.domains:
        # Each domain with the page it starts on.
        match = re.search(re.escape(f"{domain.code} {domain.title}") + r" — p\. (\d+)", contents)
        assert match, (domain.code, contents)
        number = int(match.group(1))
        assert domain.code in reader.pages[number - 1].extract_text()
    assert "Journal des modifications — p." in contents
    for item in snapshot.competencies:
        assert item.code in text
        for outcome in item.learning_outcomes:
            assert outcome in text
    assert "Formulation de la deuxième édition" in text
    assert "Reformulation adoptée par le COPIL." in text
    assert "Depuis l'édition 1.0 : 0 ajoutée" in text or "Depuis l’édition 1.0" in text
    assert "Vote du COPIL" in text
    labels = _outline(reader)
    assert all(any(c.code in label for label in labels) for c in snapshot.competencies)


def test_the_pdf_reads_no_page_and_prints_links_inside_the_site_as_text(
    django_assert_num_queries,
):
    referentiel = published_referentiel()
    edition = edition_publish(referentiel=referentiel, kind="major")
    snapshot = edition_snapshot(edition)
    domain = snapshot.domains[0]
    linked = dataclasses.replace(
        domain.competencies[0],
        body="Voir [[Une page du wiki]] et [la HAS](https://www.has-sante.fr/).",
    )
    snapshot = dataclasses.replace(
        snapshot,
        domains=(
            dataclasses.replace(domain, competencies=(linked, *domain.competencies[1:])),
            *snapshot.domains[1:],
        ),
    )
    with django_assert_num_queries(0):
        pdf = referentiel_pdf(snapshot, edition=edition.version)
    assert "Voir Une page du wiki et la HAS." in _text(pdf)
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/A")
    ]
    assert "https://www.has-sante.fr/" in uris
    assert not [u for u in uris if u and not u.startswith("https://")]
