"""Word-level differences between two revisions of a wiki page. Pure: no ORM, no HTML.

Input: two `Revision.content` dicts (Wagtail's serialised page). Output: one `FieldDiff` per
field, a list of `Segment`s ("equal", "insert", "delete") the template renders with <ins>/<del>
(Django's autoescaping escapes every piece of text). Identifier lists (evaluation methods, socle
competencies) are shown through the labels the caller injects, so this module never queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# Displayed fields, in page order. Kind: "text", "choice" (label lookup), "outcomes" (list of
# {"text"}), "ids" (list of primary keys, label lookup).
FIELDS: tuple[tuple[str, str, object], ...] = (
    ("title", "text", _("Title")),
    ("code", "text", _("Code")),
    ("statement", "text", _("Statement")),
    ("rank", "choice", _("Rank")),
    ("intro", "text", _("Introduction")),
    ("learning_outcomes", "outcomes", _("Learning outcomes")),
    ("evaluation_methods", "ids", _("Evaluation methods")),
    ("socle_refs", "ids", _("Socle competencies refined")),
    ("body", "text", _("Body")),
    ("references", "text", _("References")),
)

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


class Segment(NamedTuple):
    """A piece of text and what happened to it; unpacks as `(op, text)`."""

    op: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(s.op != EQUAL for s in self.segments)

    @property
    def insertions(self) -> int:
        return sum(1 for s in self.segments if s.op == INSERT)

    @property
    def deletions(self) -> int:
        return sum(1 for s in self.segments if s.op == DELETE)


def tokens(text: str) -> list[str]:
    """Words, runs of whitespace and single punctuation marks; joined they give `text` back."""
    return _TOKEN.findall(text)


def diff_text(old: str, new: str) -> list[Segment]:
    """Word-level difference of two strings.

    A change reads as one deletion followed by one insertion; a lone space between two changed
    words is folded into them (« de santé » → « des patients », not word by word)."""
    a, b = tokens(old or ""), tokens(new or "")
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    ops = [
        (tag == "equal", "".join(a[i1:i2]), "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    merged: list[list] = []
    for index, (equal, old_text, new_text) in enumerate(ops):
        between_changes = 0 < index < len(ops) - 1 and not ops[index + 1][0]
        if equal and old_text.isspace() and between_changes and merged and not merged[-1][0]:
            equal = False
        if not equal and merged and not merged[-1][0]:
            merged[-1][1] += old_text
            merged[-1][2] += new_text
        else:
            merged.append([equal, old_text, new_text])
    segments: list[Segment] = []
    for equal, old_text, new_text in merged:
        if equal:
            _append(segments, EQUAL, old_text)
        else:
            _append(segments, DELETE, old_text)
            _append(segments, INSERT, new_text)
    return segments


def word_diff(before: str, after: str) -> list[Segment]:
    """`(op, text)` pairs of a word-level difference (the edit-conflict view uses it)."""
    return diff_text(before, after)


def _append(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


def field_text(
    name: str, kind: str, content: Mapping, labels: Mapping[str, Mapping] | None = None
) -> str:
    """A field of a revision as the text that is compared (one line per list item)."""
    value = content.get(name)
    labels = labels or {}
    if kind == "outcomes":
        items = value or []
        return "\n".join(str(item.get("text", "")) for item in items if isinstance(item, Mapping))
    if kind == "ids":
        names = labels.get(name, {})
        shown = [str(names.get(pk, names.get(str(pk), f"#{pk}"))) for pk in (value or [])]
        return "\n".join(sorted(shown, key=str.casefold))
    if kind == "choice":
        names = labels.get(name, {})
        return str(names.get(value, value or ""))
    return "" if value is None else str(value)


def revisions_diff(
    old: Mapping, new: Mapping, *, labels: Mapping[str, Mapping] | None = None
) -> list[FieldDiff]:
    """Field-by-field word diff of two revision contents (fields absent from both are skipped)."""
    result = []
    for name, kind, label in FIELDS:
        if name not in old and name not in new:
            continue
        segments = diff_text(
            field_text(name, kind, old, labels), field_text(name, kind, new, labels)
        )
        result.append(FieldDiff(name=name, label=str(label), segments=segments))
    return result
