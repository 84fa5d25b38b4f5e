"""The methods report as a Word document (python-docx), the format journals ask for.

It walks the same sections as the HTML/PDF report (``report_checklist.REPORT_SECTIONS``) with the
same context (``reports.methods_report_context``), so the three formats say the same things."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils import formats
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument

from consensus.display import label, num, pct


def _table(doc: DocxDocument, header: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _text(doc: DocxDocument, ctx: dict, name: str) -> None:
    text = getattr(ctx["study"], name)
    if text:
        for paragraph in text.split("\n\n"):
            doc.add_paragraph(paragraph)
    else:
        field = ctx["study"]._meta.get_field(name).verbose_name
        doc.add_paragraph(_("To be completed") + " — " + _("write “%(field)s”") % {"field": field})


def _registration(doc: DocxDocument, ctx: dict) -> None:
    study = ctx["study"]
    if study.is_frozen:
        when = formats.date_format(study.protocol_frozen_at, "DATETIME_FORMAT")
        doc.add_paragraph(
            _(
                "The protocol (scale, consensus rule, rounds, stop criteria, anonymity threshold "
                "and the texts of sections 1 to 8 written before round 1) was frozen on "
                "%(when)s, when round 1 opened."
            )
            % {"when": when}
        )
    else:
        doc.add_paragraph(_("The protocol is not frozen yet: it freezes when round 1 opens."))


def _items(doc: DocxDocument, ctx: dict) -> None:
    study = ctx["study"]
    if study.referentiel:
        doc.add_paragraph(
            _(
                "Items are the competencies of the framework “%(ref)s”, each tied to the page "
                "revision that was rated."
            )
            % {"ref": study.referentiel.title}
        )
    rows = [
        [item.code, v.number, v.text, v.context or "—"]
        for item in ctx["items"]
        for v in item.versions.all()
    ]
    _table(
        doc,
        [_("Code"), _("Version"), _("Wording"), _("Information given to panelists")],
        rows,
    )


def _protocol(doc: DocxDocument, ctx: dict) -> None:
    study = ctx["study"]
    rule = _("kept if at least %(share)s rate %(a)s or more") % {
        "share": pct(study.threshold),
        "a": num(study.agree_from, 0),
    }
    if study.median_min is not None:
        rule += " " + _("and the median is at least %(m)s") % {"m": num(study.median_min, 0)}
    rule += "; " + _("dropped if at least %(share)s rate %(d)s or less; otherwise no consensus") % {
        "share": pct(study.threshold),
        "d": num(study.disagree_to, 0),
    }
    _table(
        doc,
        [_("Protocol"), ""],
        [
            [_("Scale"), f"{study.scale_min}–{study.scale_max}"],
            [_("Consensus rule"), rule],
            [_("Rounds planned"), f"{study.rounds_planned} ({_('at most')} {study.max_rounds})"],
            [_("Anonymity threshold"), study.min_ballots],
        ],
    )


def _panel(doc: DocxDocument, ctx: dict) -> None:
    _table(doc, [_("Category"), _("Invited")], [list(row) for row in ctx["composition"]])


def _process(doc: DocxDocument, ctx: dict) -> None:
    doc.add_paragraph(
        _(
            "Feedback between rounds: from round 2, each panelist's ballot shows for every item, "
            "from the previous round, the distribution of the ratings (histogram), the number of "
            "ratings, the median, the panelist's own previous rating and the other panelists' "
            "comments, sorted and without their authors."
        )
    )
    k = ctx["study"].min_ballots
    doc.add_paragraph(
        _(
            "Anonymity: ratings and comments are stored per panelist but shown to no one with a "
            "name. A round's results appear once it is closed with at least %(k)s submitted "
            "ballots; categories of fewer than %(k)s panelists are pooled. Exports give each "
            "panelist a pseudonym that changes with every round, and list comments apart from "
            "any pseudonym."
        )
        % {"k": k}
    )


def _flow(doc: DocxDocument, ctx: dict) -> None:
    note = _("Closed rounds only, as in the results and the exports.")
    if ctx["open_round"]:
        note += " " + _(
            "Round %(n)s is still open: its ballots are still coming in, so it is left out."
        ) % {"n": ctx["open_round"].number}
    doc.add_paragraph(note)
    _table(
        doc,
        [
            _("Round"), _("Opened"), _("Closed"), _("Invited"), _("Started"), _("Submitted"),
            _("Response rate"), _("Lost since previous round"),
        ],
        [
            [
                f["number"], _date(f["opened_at"]), _date(f["closed_at"]), f["invited"],
                f["started"], f["submitted"], f"{pct(f['rate'])} ({f['submitted']}/{f['invited']})",
                "—" if f["lost"] is None else f["lost"],
            ]
            for f in ctx["flow"]
        ],
    )  # fmt: skip


def _results(doc: DocxDocument, ctx: dict) -> None:
    results = ctx["results"]
    disclosure = results.disclosure
    for number, submitted in disclosure.withheld:
        doc.add_paragraph(
            _(
                "The results of round %(n)s are not shown: %(s)s ballots were submitted, and a "
                "round's results appear from %(k)s submitted ballots, so that no rating can be "
                "traced back to a panelist."
            )
            % {"n": number, "s": submitted, "k": disclosure.k}
        )
    rows = []
    for r in results.items:
        final = r.final
        decision = (
            f"{r.decision.get_decision_display()} — {r.decision.rationale}" if r.decision else "—"
        )
        if final:
            rows.append(
                [r.item.code, len(r.rounds), num(final.median, 1), pct(final.share_agree),
                 label(final.classification), decision]
            )  # fmt: skip
        else:
            rows.append([r.item.code, "—", "—", "—", _("not rated yet"), decision])
    _table(
        doc,
        [_("Item"), _("Round"), _("Median"), _("Top third"), _("Classification"),
         _("Committee decision")],
        rows,
    )  # fmt: skip


def _software(doc: DocxDocument, ctx: dict) -> None:
    doc.add_paragraph(_("The study was run, and this report written, with the following software:"))
    for name, version in ctx["software"]:
        doc.add_paragraph(f"{name} {version}", style="List Bullet")


def _checklist(doc: DocxDocument, checklist) -> None:
    doc.add_paragraph(
        _("%(n)s items out of %(total)s filled in")
        % {"n": checklist.filled, "total": checklist.total}
    )
    doc.add_paragraph(checklist.guideline.reference)
    rows = []
    for row in checklist.rows:
        if row.filled:
            where = row.section_label
        else:
            where = " — ".join([_("To be completed"), *(what for _url, what in row.missing)])
            where += f" ({row.section_label})"
        code = row.item.code + ("" if row.item.verified else "*")
        rows.append([code, row.item.section_label, row.item.title, where])
    _table(doc, [_("Item"), _("Section"), _("Topic"), _("Where it is answered")], rows)


WRITERS: dict[str, Callable[[DocxDocument, dict], None]] = {
    "registration": _registration,
    "items": _items,
    "protocol": _protocol,
    "panelists": _panel,
    "process": _process,
    "flow": _flow,
    "results": _results,
    "software": _software,
    "accord": lambda doc, ctx: _checklist(doc, ctx["accord"]),
    "credes": lambda doc, ctx: _checklist(doc, ctx["credes"]),
}


def report_docx(ctx: dict) -> bytes:
    """The report of ``ctx`` (``reports.methods_report_context``) as DOCX bytes."""
    doc = Document()
    study = ctx["study"]
    doc.core_properties.title = _("Methods report: %(title)s") % {"title": study.title}
    doc.add_heading(
        _("Methods report: %(title)s") % {"title": study.title}
        + " — "
        + _("a Delphi consensus study"),
        level=0,
    )
    doc.add_paragraph(
        _(
            "Reported following the CREDES (Conducting and REporting DElphi Studies) and ACCORD "
            "(ACcurate COnsensus Reporting Document) guidelines."
        )
        + " "
        + _("%(n)s items out of %(total)s filled in (ACCORD)")
        % {"n": ctx["accord"].filled, "total": ctx["accord"].total}
    )
    for section in ctx["sections"]:
        doc.add_heading(f"{section['number']}. {section['title']}", level=1)
        if section["text_field"]:
            _text(doc, ctx, section["text_field"])
        if section["has_data"]:
            WRITERS[section["anchor"]](doc, ctx)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
