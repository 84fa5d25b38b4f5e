from django import template
from django.utils.safestring import mark_safe

from wiki import markdown
from wiki.selectors import wikilink_targets_resolved

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    # The HTML is sanitised by nh3 inside render(); only then is it marked safe.
    return mark_safe(markdown.render(text, resolver=wikilink_targets_resolved))  # noqa: S308


@register.filter
def user_can_edit(page, user) -> bool:
    from wiki.permissions import can_edit_page

    return can_edit_page(user, page)


@register.filter
def is_watched_by(page, user) -> bool:
    from wiki.models import Watch

    return user.is_authenticated and Watch.objects.filter(user=user, page=page).exists()
