"""Display helpers only: formatting and translated labels (no statistics here)."""

from django import template

from consensus import display

register = template.Library()

register.filter("label", display.label)
register.filter("num", display.num)
register.filter("count", display.count)
register.filter("pct", display.pct)


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


@register.filter
def attr(obj, name):
    """A model field's value by name (the methods report's free texts)."""
    return getattr(obj, name, "")


@register.filter
def field_label(obj, name):
    return obj._meta.get_field(name).verbose_name
