from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from wiki.models import Watch
from wiki.permissions import can_edit_page
from wiki.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    # The HTML is sanitised by nh3 inside render(); only then is it marked safe.
    return mark_safe(render_markdown(text))  # noqa: S308


@register.filter
def user_can_edit(page, user) -> bool:
    return can_edit_page(user, page)


@register.filter
def is_watched_by(page, user) -> bool:
    return user.is_authenticated and Watch.objects.filter(user=user, page=page).exists()


@register.filter
def wiki_url(page) -> str:
    """Public URL of a live page; the draft reader's URL otherwise."""
    return page.url if page.live else reverse("wiki:draft", args=[page.pk])


@register.simple_tag
def change_diff_url(change, previous_revision_id=None) -> str:
    """The diff of a change against the revision before it, or the page's history."""
    if previous_revision_id:
        diff = reverse("wiki:diff", args=[change.page_id])
        return f"{diff}?de={previous_revision_id}&a={change.revision_id}"
    return reverse("wiki:history", args=[change.page_id])
