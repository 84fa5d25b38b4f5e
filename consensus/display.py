"""Display formatting shared by templates and documents (DOCX): labels, numbers, shares."""

from django.utils.formats import get_format, number_format
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

# French typography: thousands are separated by a narrow no-break space (« 20 000 »), and a
# narrow no-break space stands before « % ». Django's French format uses a plain no-break space.
NARROW_NBSP = "\u202f"


def label(code):
    return LABELS.get(code, code)


def _grouped(value, decimals: int | None) -> str:
    text = number_format(value, decimal_pos=decimals, force_grouping=True)
    separator = get_format("THOUSAND_SEPARATOR")
    if separator in ("\xa0", " "):  # the French formats (and others that group with a space)
        text = text.replace(separator, NARROW_NBSP)
    return text


def num(value, decimals=2):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _grouped(value, int(decimals))


def count(value):
    """An integer with its thousands grouped as the language writes them."""
    if value is None:
        return "—"
    return _grouped(int(value), None)


def pct(value):
    if value is None:
        return "—"
    return f"{_grouped(100 * value, 0)}{NARROW_NBSP}%"
