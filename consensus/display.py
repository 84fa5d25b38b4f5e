"""Display formatting shared by templates and documents (DOCX): labels, numbers, shares."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from consensus.rules import (
    APPROPRIATE,
    CONSENSUS_AGREE,
    CONSENSUS_DISAGREE,
    INAPPROPRIATE,
    NO_CONSENSUS,
    UNCERTAIN,
)

LABELS = {
    CONSENSUS_AGREE: _("Kept (consensus for)"),
    CONSENSUS_DISAGREE: _("Dropped (consensus against)"),
    NO_CONSENSUS: _("No consensus"),
    APPROPRIATE: _("Appropriate"),
    UNCERTAIN: _("Uncertain"),
    INAPPROPRIATE: _("Inappropriate"),
    "all_classified": _("every item is classified"),
    "stable": _("ratings are stable between the last two rounds"),
    "max_rounds": _("the maximum number of rounds is reached"),
}


def label(code):
    return LABELS.get(code, code)


def num(value, decimals=2):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return number_format(value, decimal_pos=int(decimals))


def pct(value):
    if value is None:
        return "—"
    return f"{number_format(100 * value, decimal_pos=0)} %"
