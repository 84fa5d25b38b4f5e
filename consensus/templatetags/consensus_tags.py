"""Display helpers only: formatting and translated labels (no statistics here)."""

from django import template
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

register = template.Library()

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


@register.filter
def label(code):
    return LABELS.get(code, code)


def _grouped(value, decimals: int | None) -> str:
    text = number_format(value, decimal_pos=decimals, force_grouping=True)
    separator = get_format("THOUSAND_SEPARATOR")
    if separator in ("\xa0", " "):  # the French formats (and others that group with a space)
        text = text.replace(separator, NARROW_NBSP)
    return text


@register.filter
def num(value, decimals=2):
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return _grouped(value, int(decimals))


@register.filter
def count(value):
    """An integer with its thousands grouped as the language writes them."""
    if value is None:
        return "—"
    return _grouped(int(value), None)


@register.filter
def pct(value):
    if value is None:
        return "—"
    return f"{_grouped(100 * value, 0)}{NARROW_NBSP}%"


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


# Histogram geometry, in CSS pixels: the SVG is drawn at its own size (no scaling), so its
# 12 px labels are 12 px on screen.
HIST_SLOT, HIST_BAR, HIST_BARS_TOP, HIST_BARS_HEIGHT, HIST_FONT = 28, 20, 16, 60, 12


def _svg(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@register.simple_tag
def histogram_geometry(bars) -> dict:
    """Coordinates of a histogram's bars, counts and score labels (bars: score, count, %)."""
    axis_y = HIST_BARS_TOP + HIST_BARS_HEIGHT
    shapes = []
    for index, (score, n, length) in enumerate(bars):
        height = round(HIST_BARS_HEIGHT * length / 100, 1)
        center = index * HIST_SLOT + HIST_SLOT / 2
        shapes.append(
            {  # SVG coordinates: plain numbers, never localised (« 4,5 » is no coordinate)
                "score": score,
                "count": n,
                "x": _svg(center - HIST_BAR / 2),
                "y": _svg(axis_y - height),
                "height": _svg(height),
                "center": _svg(center),
                "count_y": _svg(axis_y - height - 3),
            }
        )
    return {
        "bars": shapes,
        "bar_width": HIST_BAR,
        "width": max(1, len(shapes)) * HIST_SLOT,
        "height": axis_y + HIST_FONT + 6,
        "axis_y": axis_y,
        "label_y": axis_y + HIST_FONT + 2,
    }
