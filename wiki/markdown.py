"""Markdown → safe HTML for wiki text: tables, footnotes, table of contents, wikilinks.

Rendering never raises on malformed input, and nh3 sanitises the result on an allowlist, so
whatever an editor types cannot inject script. Wikilinks are resolved in one batch query by
the caller-supplied resolver, so a page with 50 links costs one lookup, not 50.

Pure: no Django. The notice shown when a text falls back to plain text is passed in by the
caller (wiki.rendering translates it).

Rendering takes bounded time, whatever the input (Python-Markdown is quadratic on some: an
opener such as `[` scans to the end of its paragraph for its closer, once per opener):

1. Text over `MAX_RENDER_LENGTH` characters is not parsed (escaped plain text instead).
2. `neutralise()` swaps openers that cannot open anything for inert stand-ins, restored to
   the same characters in the output: a `[` or `(` with no closer after it in its paragraph,
   a `<` with no `>` after it in the document. Those substitutions never change the output.
   In a paragraph where the openers left unmatched (or nested deeper than `MAX_NESTING`)
   would scan more than `SCAN_BUDGET` characters in all, they are swapped too: only such
   pathological paragraphs may render differently from plain Python-Markdown.
3. A deadline (`TIME_LIMIT` seconds) is checked before every block and inline step of the
   parser; past it the text is shown escaped, with a notice (`Rendered.complete` is False).
"""

from __future__ import annotations

import html as html_lib
import re
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from html.parser import HTMLParser
from urllib.parse import quote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
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

MAX_RENDER_LENGTH = 200_000  # the longest text an edit form accepts (wiki.forms.MAX_TEXT_LENGTH)
TIME_LIMIT = 0.5  # seconds of parsing before falling back to plain text
MAX_NESTING = 16  # brackets nested deeper than this never open a link
SCAN_BUDGET = 250_000  # characters the unmatched openers of one paragraph may scan

# Inert stand-ins (Unicode private use area) for openers that cannot open anything, and the
# HTML each one becomes again after rendering. Any such character in the input is replaced
# by U+FFFD first, so a stand-in in the output always comes from `neutralise()`.
_STAND_INS = {"[": "\ue000", "(": "\ue001", "<": "\ue002"}
_RESTORE_HTML = {"\ue000": "[", "\ue001": "(", "\ue002": "&lt;"}
_RESTORE_TEXT = {"\ue000": "[", "\ue001": "(", "\ue002": "<"}
_PRIVATE_USE = re.compile("[\ue000-\ue0ff]")
# Marks the class and id values the renderer itself sets; the sanitiser keeps only those.
_OWN = "\ue0ff"

# Ids of the site's own templates and scripts: a heading never takes one of them.
RESERVED_IDS = frozenset(
    {
        "contenu", "soumis-au-vote",
        "ballot-error", "classification", "conflict-title", "create-title", "diff-new",
        "diff-old", "editors-presence", "facets-heading", "filters-heading", "lang-select",
        "my-ballots", "new-thread-body", "new-thread-body-error", "new-thread-body-help",
        "new-thread-subject", "new-thread-subject-error", "new-thread-title", "page-locked",
        "panel", "participation", "per-round", "recent-changes", "recent-changes-empty",
        "recent-changes-live", "referentiels-title", "results-heading", "search-count",
        "search-q", "search-q-help", "site-search-q", "socle-title", "stability", "studies",
        "unpatrolled-heading", "watchlist-new", "watchlist-older", "watchlist-pages",
        "ballot-confirm", "ballot-confirm-title", "ballot-form", "ballot-progress-title",
        "items-hint", "items-title", "panel-count", "panel-filter", "panel-list",
        "panel-picker", "panel-select-shown",
        "drafts-caption", "site-menu", "refined-by-title", "competency-facts",
        "appliquer", "apply-title", "gate-title", "lifecycle-phase", "lifecycle-status",
        "referent", "referent-title", "vote", "vote-title",
    }
)  # fmt: skip
# The programme's pages (wiki/templates/wiki/programme/).
RESERVED_IDS |= {"actions-filter-heading", "laureates-caption", "plan-caption"}
# The référentiels list (wiki/templates/wiki/referentiel_list.html).
RESERVED_IDS |= {"browse-filters-heading", "browse-results-heading"}
# The methods report (consensus/templates/consensus/study_report.html).
RESERVED_IDS |= {"report-title"}
# The committee decisions table (consensus/templates/consensus/decision_list.html).
RESERVED_IDS |= {"decisions-caption", "decisions-hint"}
# The national dashboard (consensus/templates/consensus/national_dashboard.html).
RESERVED_IDS |= {
    "agenda-title", "gates-title", "progress-caption", "progress-hint", "progress-title",
    "timeline-caption", "timeline-hint", "timeline-svg-desc", "timeline-svg-title",
    "timeline-table-caption", "timeline-title", "votes-due-title",
}  # fmt: skip
# The editions (wiki/templates/wiki/edition_*.html and includes/_edition_*.html).
RESERVED_IDS |= {
    "editions-title", "diff-added", "diff-removed", "diff-moved", "diff-reworded",
    "journal-changes", "journal-studies", "journal-decisions", "journal-votes",
}  # fmt: skip
# The socle matrix (wiki/templates/wiki/programme/socle_matrix.html) and the API docs
# (site/templates/api/docs.html: no Markdown there, but every template's ids are listed).
RESERVED_IDS |= {"matrix-caption", "matrix-hint", "swagger-settings", "swagger-ui"}
# The amendments (consensus/templates/consensus/amendment_*.html, the edition journal).
RESERVED_IDS |= {
    "amendment-status", "amendments-caption", "current-title", "decide-title",
    "journal-amendments", "path-title", "wording-title",
}  # fmt: skip
# « Compétences proches » (search/templates/search/includes/_related*.html).
RESERVED_IDS |= {"related-title", "related-editor-title"}
# The edition PDF's changelog (wiki/templates/wiki/exports/referentiel_pdf.html).
RESERVED_IDS |= {"journal"}
RESERVED_ID_PREFIXES = (
    "id_", "change-", "hist-", "final-", "preview-title-", "per-round-", "stability-",
    "item-", "score-", "comment-", "error-", "band-", "part-", "etu-part-",
)  # fmt: skip
# Shown above a text that was too long or too slow to format (callers pass it translated).
PLAIN_NOTICE = "This text could not be formatted in time: it is shown as typed."


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
        target = normalise_target(_restore_text(m.group(1)))
        label = normalise_target(_restore_text(m.group(2))) if m.group(2) else target
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
    return f"/wiki/page-demandee/?titre={quote(target)}"


@dataclass(frozen=True)
class Rendered:
    html: str
    complete: bool  # False: the text was too long or too slow to parse, and is shown as is


def render(
    text: str,
    resolver: Resolver | None = None,
    missing_url: Callable[[str], str] = _default_missing_url,
    notice: str = PLAIN_NOTICE,
) -> str:
    """Render wiki Markdown to sanitised HTML. Never raises on user input."""
    return render_result(text, resolver, missing_url, notice=notice).html


def render_result(
    text: str,
    resolver: Resolver | None = None,
    missing_url: Callable[[str], str] = _default_missing_url,
    time_limit: float = TIME_LIMIT,
    notice: str = PLAIN_NOTICE,
) -> Rendered:
    """Render wiki Markdown within `time_limit` seconds of parsing, else escaped plain text."""
    text = text or ""
    if len(text) > MAX_RENDER_LENGTH:
        return _plain(text, notice)
    deadline = time.perf_counter() + time_limit
    text = neutralise(text)
    targets = wikilink_targets(_restore_text(text))
    resolved = resolver(targets) if (resolver and targets) else {}
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "toc",
            "sane_lists",
            WikiLinkExtension(resolved, missing_url),
            _OwnAttributesExtension(),
        ],
        extension_configs={"toc": {"permalink": False, "slugify": heading_slug}},
        output_format="html",
    )
    _bound(md, deadline)
    try:
        html = md.convert(text)
    except _TooSlow:
        return _plain(_restore_text(text), notice)
    except Exception:  # pragma: no cover - Markdown is lenient; this is a last resort
        return _plain(_restore_text(text), notice)
    return Rendered(sanitise(_restore_html(html)), complete=True)


def _plain(text: str, notice: str) -> Rendered:
    return Rendered(
        f'<div class="markdown-plain"><p class="markdown-plain__notice">{html_lib.escape(notice)}'
        f"</p><pre>{html_lib.escape(_PRIVATE_USE.sub(chr(0xFFFD), text))}</pre></div>",
        complete=False,
    )


# --- Plain text (search) --------------------------------------------------------------

# Elements after which a reader sees a break: their text never runs into the next one's.
_BLOCK_TAGS = {
    "blockquote", "br", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class _TextCollector(HTMLParser):
    """The text of rendered HTML, with a space at each block boundary; footnote back-links
    (an arrow) are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        backref = tag == "a" and "footnote-backref" in (dict(attrs).get("class") or "")
        if self._skipping or backref:
            self._skipping += tag == "a"
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == "a":
            self._skipping -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """Wiki Markdown as the words a reader sees: the renderer's output without its tags, so
    markup, links and wikilinks (their label) read exactly as on the page."""
    if not text:
        return ""
    rendered = render_result(text)
    if not rendered.complete:
        return " ".join(text.split())
    collector = _TextCollector()
    collector.feed(rendered.html)
    collector.close()
    return " ".join("".join(collector.parts).split())


# --- Bounded work ------------------------------------------------------------------------


class _TooSlow(Exception):
    pass


def _bound(md: markdown.Markdown, deadline: float) -> None:
    """Check the deadline before every block processor and every inline match: each step
    scans at most one paragraph, so the parse stops soon after the deadline."""

    def checked(method):
        @wraps(method)
        def call(*args, **kwargs):
            if time.perf_counter() > deadline:
                raise _TooSlow
            return method(*args, **kwargs)

        return call

    for processor in md.parser.blockprocessors:
        processor.test = checked(processor.test)
        processor.run = checked(processor.run)
    for pattern in md.inlinePatterns:
        pattern.handleMatch = checked(pattern.handleMatch)
    for processor in md.preprocessors:
        processor.run = checked(processor.run)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def neutralise(text: str) -> str:
    """Swap openers that cannot (or, in a pathological paragraph, must not) open anything for
    inert stand-ins. See the module docstring; `_restore_html` brings the characters back."""
    text = _PRIVATE_USE.sub("\ufffd", text)
    # `<` may start raw HTML spanning paragraphs (Python-Markdown's HTML parser reads the whole
    # document): one with no `>` anywhere after it starts nothing.
    last_gt = text.rfind(">")
    if text.find("<", last_gt + 1) != -1:
        text = text[: last_gt + 1] + text[last_gt + 1 :].replace("<", _STAND_INS["<"])
    pieces = []
    position = 0
    for blank in _BLANK_LINE.finditer(text):
        pieces.append(_neutralise_paragraph(text[position : blank.start()]))
        pieces.append(blank.group())
        position = blank.end()
    pieces.append(_neutralise_paragraph(text[position:]))
    return "".join(pieces)


def _neutralise_paragraph(paragraph: str) -> str:
    for opener, closer in (("[", "]"), ("(", ")")):
        if opener not in paragraph:
            continue
        unmatched = _unmatched_openers(paragraph, opener, closer)
        if not unmatched:
            continue
        if len(unmatched) * len(paragraph) <= SCAN_BUDGET:
            # Only those with no closer after them: they can never open anything.
            last_closer = paragraph.rfind(closer)
            unmatched = [i for i in unmatched if i > last_closer]
        if unmatched:
            chars = list(paragraph)
            for i in unmatched:
                chars[i] = _STAND_INS[opener]
            paragraph = "".join(chars)
    return paragraph


def _unmatched_openers(paragraph: str, opener: str, closer: str) -> list[int]:
    """Positions of the openers that no closer matches (backslash escapes skipped), and of
    those nested deeper than MAX_NESTING."""
    stack: list[int] = []
    unmatched: list[int] = []
    token = re.compile(r"\\.|" + re.escape(opener) + "|" + re.escape(closer), re.DOTALL)
    for match in token.finditer(paragraph):
        char = match.group()
        if char == opener:
            if len(stack) < MAX_NESTING:
                stack.append(match.start())
            else:
                unmatched.append(match.start())
        elif char == closer and stack:
            stack.pop()
    return sorted(unmatched + stack)


def _restore_html(html: str) -> str:
    for stand_in, original in _RESTORE_HTML.items():
        html = html.replace(stand_in, original)
    return html


def _restore_text(text: str) -> str:
    for stand_in, original in _RESTORE_TEXT.items():
        text = text.replace(stand_in, original)
    return text


# --- Classes and ids: only the renderer's own -------------------------------------------


def heading_slug(value: str, separator: str) -> str:
    """The table of contents' slug, kept clear of the ids the site's pages use."""
    slug = toc_slugify(value, separator)
    if slug in RESERVED_IDS or slug.startswith(RESERVED_ID_PREFIXES):
        slug = f"section{separator}{slug}"
    return slug


class _OwnAttributesTreeprocessor(Treeprocessor):
    """Marks every class and id in the tree: they are the renderer's (raw HTML typed by an
    editor is not in the tree but stashed aside), so the sanitiser can tell them apart."""

    def run(self, root):
        for element in root.iter():
            for name in ("class", "id"):
                value = element.get(name)
                if value:
                    element.set(name, _OWN + value)


class _OwnAttributesExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # After every other tree processor (toc 5, footnotes 15-50, unescape 0).
        md.treeprocessors.register(_OwnAttributesTreeprocessor(md), "own-attributes", -100)


def _own_attributes_only(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("class", "id"):
        return value[len(_OWN) :] if value.startswith(_OWN) else None
    return value


def sanitise(html: str) -> str:
    """Sanitise rendered HTML: allowlisted tags and attributes, and only the classes and ids
    the renderer set itself (an editor's `<div class="messages">` loses its class)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_own_attributes_only,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
