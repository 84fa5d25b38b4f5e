"""The XSS corpus against the renderer alone (fast; the browser test is tests/e2e)."""

from html.parser import HTMLParser

import pytest

from tests.wiki.xss_corpus import payloads
from wiki.markdown import ALLOWED_TAGS, LinkTarget, render

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "data"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def unsafe_markup(html: str) -> list[str]:
    parser = _Collector()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                problems.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                cleaned = "".join(ch for ch in value if ch > " ").lower()
                if not cleaned.startswith(SAFE_SCHEMES) and ":" in cleaned.split("/")[0]:
                    problems.append(f"{name}={value!r} on <{tag}>")
    return problems


def resolver(targets):
    return {t: LinkTarget("/socle/", "Socle") for t in targets if t == "x"}


@pytest.mark.parametrize(("number", "payload"), payloads(), ids=lambda v: str(v)[:40])
def test_vector_is_neutralised_by_the_renderer(number, payload):
    html = render(payload, resolver)
    assert unsafe_markup(html) == [], html


def test_the_whole_corpus_at_once_is_neutralised():
    text = "\n\n".join(payload for _n, payload in payloads())
    assert unsafe_markup(render(text, resolver)) == []


def test_the_checker_catches_what_it_should():
    assert unsafe_markup('<a href="javascript:x()">x</a><img src=x onerror=y()>') == [
        "href='javascript:x()' on <a>",
        "tag <img>",
        "attribute onerror on <img>",
    ]
