"""One institution per university: source labels (spelled differently from one table of the
seed to the next, sometimes naming two universities) resolve to canonical institutions."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

from wiki.models import Institution

JOINT = " + "


class UnknownUniversity(LookupError):
    """A source label matches no university of `fixtures/universities.json`."""


def label_fold(label: str) -> str:
    """Case, accents, punctuation and spacing ignored: « Université Saint Etienne » and
    « université saint-étienne » fold alike."""
    text = unicodedata.normalize("NFKD", label.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", text))


@cache
def _universities() -> tuple[dict[str, dict], ...]:
    path = Path(settings.FIXTURES_DIR) / "universities.json"
    with path.open(encoding="utf-8") as handle:
        return tuple(json.load(handle)["universities"])


@cache
def _by_label() -> dict[str, dict]:
    index: dict[str, dict] = {}
    for entry in _universities():
        for label in (entry["name"], *entry.get("aliases", ())):
            folded = label_fold(label)
            if index.setdefault(folded, entry) is not entry:
                raise ValueError(f"universities.json: « {label} » names two universities")
    return index


def university_entries(label: str) -> list[dict]:
    """The canonical entries a source label names, in order (« A + B » names two)."""
    entries = []
    for part in label.split(JOINT):
        entry = _by_label().get(label_fold(part))
        if entry is None:
            raise UnknownUniversity(
                f"« {part.strip()} » is not in fixtures/universities.json (name or alias)"
            )
        entries.append(entry)
    return entries


def universities_ensure(label: str) -> list[tuple[Institution, bool]]:
    """The institutions a source label names, each with whether it was just created (under its
    canonical name)."""
    institutions = []
    for entry in university_entries(label):
        institution, created = Institution.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "acronym": entry.get("acronym", ""),
                "kind": Institution.Kind.UNIVERSITY,
            },
        )
        institutions.append((institution, created))
    return institutions
