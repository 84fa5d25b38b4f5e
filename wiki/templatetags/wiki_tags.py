import re
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from wiki import fragments, markdown
from wiki.markdown import LinkTarget
from wiki.models import Watch
from wiki.permissions import can_edit_page
from wiki.rendering import plain_notice, render_markdown
from wiki.visibility import PUBLIC, request_reader

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Markdown for the public (wikilinks to published pages only). Pages use the
    `wiki_markdown` tag, which resolves wikilinks for the request's reader."""
    # The HTML is sanitised by nh3 inside render(); only then is it marked safe.
    return mark_safe(render_markdown(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def wiki_markdown(context, text: str) -> str:
    """Markdown rendered for the request's reader (wiki.visibility): a wikilink to a draft
    they may read is blue, red for everyone else."""
    request = context.get("request")
    reader = request_reader(request) if request is not None else PUBLIC
    return mark_safe(render_markdown(text, reader))  # noqa: S308


@register.simple_tag(takes_context=True)
def wiki_fragment_key(context, page) -> str:
    """The cache key of `page`'s reader-independent fragments for this request (wiki.fragments),
    or "" when they must be rendered afresh."""
    return fragments.fragment_key(context.get("request"), page) or ""


@register.simple_tag
def wiki_fragment_ttl() -> int:
    return fragments.ttl_seconds()


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


NARROW_NBSP = "\u202f"


@register.filter
def fr_number(value) -> str:
    """An integer with French thousands: a narrow no-break space (« 20 000 »)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return f"{number:,}".replace(",", NARROW_NBSP).replace("-", "\u2212")


@register.filter
def signed_size(value) -> str:
    """A size change as MediaWiki shows it: « +1 234 », « −56 », « 0 »."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    if number > 0:
        return "+" + fr_number(number)
    return fr_number(number)


@register.filter
def magnitude(value) -> int:
    """The absolute value of an integer (plural forms of a size change: « −1 caractère »)."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return 0


def _search_link(targets) -> dict[str, LinkTarget]:
    return {t: LinkTarget(url=f"/recherche/?q={quote(t)}", title=t) for t in targets}


@register.filter
def markdown_frozen(text: str) -> str:
    """Markdown of an edition: its wikilinks are not resolved against today's pages (an
    edition never changes); each one searches the wiki for its target."""
    return mark_safe(markdown.render(text, _search_link, notice=plain_notice()))  # noqa: S308


# A link inside the site (« /recherche/?q=… », « /wiki/… ») in sanitised HTML (nh3 quotes
# every attribute with double quotes).
_SITE_LINK = re.compile(r'<a [^>]*href="/[^"]*"[^>]*>(.*?)</a>', re.S)


@register.filter
def markdown_print(text: str) -> str:
    """Markdown for a PDF: as an edition's (`markdown_frozen`: no page of today is looked up),
    with the links inside the site printed as their text (a PDF has no site to resolve them
    against, and each link is one more box and annotation to lay out); links to other sites
    stay."""
    return mark_safe(
        _SITE_LINK.sub(r"\1", markdown.render(text, _search_link, notice=plain_notice()))
    )  # noqa: S308
