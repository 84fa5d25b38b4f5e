"""Display helpers only: formatting and translated labels (no statistics here)."""

from django import template

from consensus import display

register = template.Library()

register.filter("label", display.label)
register.filter("num", display.num)
register.filter("pct", display.pct)


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def attr(obj, name):
    """A model field's value by name (the methods report's free texts)."""
    return getattr(obj, name, "")


@register.filter
def field_label(obj, name):
    return obj._meta.get_field(name).verbose_name
