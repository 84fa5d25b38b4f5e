"""Markdown → safe HTML for wiki text: tables, footnotes, table of contents, wikilinks.

Rendering never raises on malformed input, and nh3 sanitises the result on an allowlist, so
whatever an editor types cannot inject script. Wikilinks are resolved in one batch query by
the caller-supplied resolver, so a page with 50 links costs one lookup, not 50.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

WIKILINK_RE = r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]"
_WIKILINK = re.compile(WIKILINK_RE)


@dataclass(frozen=True)
class LinkTarget:
    url: str
    title: str


# Maps each raw wikilink target to a resolved page, or omits it when the page does not exist.
Resolver = Callable[[Iterable[str]], dict[str, LinkTarget]]

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "abbr": {"title"},
    "div": {"class"},
    "span": {"class"},
    "sup": {"id", "class"},
    "li": {"id"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"scope"},
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def wikilink_targets(text: str) -> list[str]:
    """Raw targets of every wikilink in `text`, in order, deduplicated."""
    seen: dict[str, None] = {}
    for match in _WIKILINK.finditer(text or ""):
        seen.setdefault(normalise_target(match.group(1)), None)
    return list(seen)


def normalise_target(raw: str) -> str:
    return " ".join(raw.split())


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, resolved: dict[str, LinkTarget], missing_url: Callable):
        super().__init__(pattern)
        self.resolved = resolved
        self.missing_url = missing_url

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        target = normalise_target(m.group(1))
        label = normalise_target(m.group(2)) if m.group(2) else target
        element = etree.Element("a")
        # Atomic: the label is text, never parsed again (HTML in it shows as text, escaped).
        element.text = AtomicString(label)
        found = self.resolved.get(target)
        if found:
            element.set("href", found.url)
            element.set("class", "wikilink")
            element.set("title", found.title)
        else:
            element.set("href", self.missing_url(target))
            element.set("class", "wikilink wikilink--missing")
            element.set("title", f"{target} (page inexistante)")
        return element, m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    def __init__(self, resolved: dict[str, LinkTarget], missing_url: Callable, **kwargs):
        self.resolved = resolved
        self.missing_url = missing_url
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # Priority above links (160) so `[[x]]` is not read as a reference link.
        md.inlinePatterns.register(
            _WikiLinkProcessor(WIKILINK_RE, self.resolved, self.missing_url), "wikilink", 175
        )


def _default_missing_url(target: str) -> str:
    from urllib.parse import quote

    return f"/wiki/page-demandee/?titre={quote(target)}"


def render(
    text: str,
    resolver: Resolver | None = None,
    missing_url: Callable[[str], str] = _default_missing_url,
) -> str:
    """Render wiki Markdown to sanitised HTML. Never raises on user input."""
    text = text or ""
    targets = wikilink_targets(text)
    resolved = resolver(targets) if (resolver and targets) else {}
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "toc",
            "sane_lists",
            WikiLinkExtension(resolved, missing_url),
        ],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )
    try:
        html = md.convert(text)
    except Exception:  # pragma: no cover - Markdown is lenient; this is a last resort
        html = "<pre>" + nh3.clean_text(text) + "</pre>"
    return sanitise(html)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
