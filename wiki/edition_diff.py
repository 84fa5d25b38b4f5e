"""What changed between two editions of a référentiel, competency by competency, matched by
their stable code: added, removed, reworded (word diff of each changed field) and moved (domain
changed). Pure: snapshots in, plain data out (wiki.diff does the word diff)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wiki.diff import FieldDiff, diff_text
from wiki.snapshots import CompetencySnapshot, ReferentielSnapshot

# Compared fields, in page order: (name, label, how the value reads as text).
COMPARED = (
    ("title", _("Title"), lambda c: c.title),
    ("statement", _("Statement"), lambda c: c.statement),
    ("rank", _("Rank"), lambda c: c.rank),
    ("learning_outcomes", _("Learning outcomes"), lambda c: "\n".join(c.learning_outcomes)),
    ("evaluation_methods", _("Evaluation methods"), lambda c: "\n".join(c.evaluation_methods)),
    ("socle_refs", _("Socle competencies refined"), lambda c: "\n".join(c.socle_refs)),
    ("body", _("Body"), lambda c: c.body),
    ("references", _("References"), lambda c: c.references),
)


@dataclass(frozen=True)
class Placed:
    """A competency with the domain it sits in."""

    competency: CompetencySnapshot
    domain_code: str
    domain_title: str


@dataclass(frozen=True)
class Reworded:
    old: Placed
    new: Placed
    fields: tuple[FieldDiff, ...]


@dataclass
class EditionsDiff:
    added: list[Placed] = field(default_factory=list)
    removed: list[Placed] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    moved: list[tuple[Placed, Placed]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.moved)


def _placed(snapshot: ReferentielSnapshot) -> dict[str, Placed]:
    return {c.code: Placed(c, d.code, d.title) for d in snapshot.domains for c in d.competencies}


def editions_diff(old: ReferentielSnapshot, new: ReferentielSnapshot) -> EditionsDiff:
    before, after = _placed(old), _placed(new)
    result = EditionsDiff()
    for code, placed in after.items():
        if code not in before:
            result.added.append(placed)
    for code, placed in before.items():
        if code not in after:
            result.removed.append(placed)
    for code, new_placed in after.items():
        old_placed = before.get(code)
        if old_placed is None:
            continue
        if old_placed.domain_code != new_placed.domain_code:
            result.moved.append((old_placed, new_placed))
        changed = []
        for name, label, text in COMPARED:
            a, b = text(old_placed.competency), text(new_placed.competency)
            if a != b:
                changed.append(FieldDiff(name=name, label=str(label), segments=diff_text(a, b)))
        if changed:
            result.reworded.append(Reworded(old_placed, new_placed, tuple(changed)))
    return result
