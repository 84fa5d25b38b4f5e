import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.wiki.test_xss import unsafe_markup
from wiki.markdown import (
    PLAIN_NOTICE,
    RESERVED_ID_PREFIXES,
    RESERVED_IDS,
    TIME_LIMIT,
    LinkTarget,
    neutralise,
    render,
    render_result,
    wikilink_targets,
)
from wiki.selectors import wikilink_targets_resolved


def fake_resolver(targets):
    known = {"SOCLE-D1-C01": LinkTarget("/socle/d1/c01/", "Identifier un usager")}
    return {t: known[t] for t in targets if t in known}


def test_markdown_tables_footnotes_and_toc():
    html = render("# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTexte[^1]\n\n[^1]: Note.")
    assert "<table>" in html and "<td>1</td>" in html
    assert 'id="titre"' in html
    assert "footnote" in html


def test_wikilinks_resolve_or_render_red():
    html = render("Voir [[SOCLE-D1-C01|l'identification]] et [[Page absente]].", fake_resolver)
    assert 'href="/socle/d1/c01/"' in html and "l'identification" in html
    assert "wikilink--missing" in html and "Page%20absente" in html


def test_wikilink_targets_are_deduplicated():
    assert wikilink_targets("[[A]] [[ A ]] [[B|x]]") == ["A", "B"]


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        "[[<script>alert(1)</script>]]",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_script_injection_is_neutralised(payload):
    html = render(payload, fake_resolver)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered
    assert "onerror" not in lowered
    assert "<iframe" not in lowered
    assert "style=" not in lowered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[", "<p>[[</p>"),
        ("[[]]", "<p>[[]]</p>"),
        (
            "| a |\n|--",
            "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td></td>\n</tr>\n</tbody>\n</table>",
        ),
        ("[^x]", "<p>[^x]</p>"),
        ("```\nnon fermé", "<p>```\nnon fermé</p>"),
        ("*" * 5000, "<hr>"),
    ],
)
def test_malformed_markdown_renders_as_text(text, expected):
    assert render(text, fake_resolver) == expected


# --- Bounded time ------------------------------------------------------------------------

PATHOLOGICAL = {
    "brackets": "[" * 50_000,
    "asterisks": "*" * 50_000,
    "backticks": "`" * 50_000,
    "angle brackets": "<" * 50_000,
    "images": "![" * 25_000,
    "wikilinks": "[[" * 25_000,
    "inline links": "[x](" * 12_500,
    "nested blockquotes": ">" * 5_000 + " fin",
    "nested blockquotes, spaced": "> " * 5_000 + "fin",
    "brackets closed once at the end": "[" * 49_999 + "]",
    "nested brackets": "[" * 25_000 + "]" * 25_000,
    "links closed once at the end": "[x](" * 12_500 + ")",
    "footnote references": "[^" * 25_000 + "]",
    "unclosed tags": "<a " * 16_000,
    "unclosed tags closed once": "<a " * 16_000 + ">",
    "autolinks": "<http://" * 6_000,
}


def _timed(text: str):
    start = time.perf_counter()
    rendered = render_result(text, fake_resolver)
    return rendered, time.perf_counter() - start


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_renders_in_under_a_second(text):
    rendered, seconds = _timed(text)
    assert seconds < 1.0, f"{seconds:.2f} s"
    assert rendered.complete  # neutralised, not cut off by the deadline
    assert unsafe_markup(rendered.html) == []


def test_pathological_input_is_shown_as_typed():
    assert render("[" * 50_000) == "<p>" + "[" * 50_000 + "</p>"
    assert render("<" * 50_000) == "<p>" + "&lt;" * 50_000 + "</p>"
    assert render("[x](" * 12_500) == "<p>" + "[x](" * 12_500 + "</p>"


def test_mixed_pathological_prefixes_render_in_bounded_time():
    """A quick deterministic fuzz: runs of every troublesome opener, interleaved, with and
    without closers, followed by ordinary text and a script."""
    prefixes = [
        "[",
        "![",
        "[[",
        "[x](",
        "[^",
        "<",
        "<a ",
        "`",
        "``",
        "*",
        "_",
        "> ",
        "(",
        "1. ",
        "- ",
    ]
    tails = ["", "]", ")", ">", "`", "]]", "\n\n", "<script>alert(1)</script>"]
    for i, prefix in enumerate(prefixes):
        other = prefixes[(i * 7 + 3) % len(prefixes)]
        for tail in tails:
            text = (prefix * 2_000 + other * 2_000) * 3 + tail + " [ok](/wiki/)"
            rendered, seconds = _timed(text[:50_000])
            assert seconds < 1.0, (prefix, other, tail, f"{seconds:.2f} s")
            assert unsafe_markup(rendered.html) == [], (prefix, other, tail)
            assert "<script" not in rendered.html


def test_text_too_slow_to_parse_is_shown_escaped_with_a_notice():
    # Backtick runs of every length: each opener scans to the end for its closer (n^1.5),
    # which neutralisation does not address; the deadline does.
    text = "".join("`" * k + "<b>a</b>" for k in range(1, 300))
    rendered, seconds = _timed(text)
    assert seconds < TIME_LIMIT + 0.5
    assert not rendered.complete
    assert PLAIN_NOTICE in rendered.html  # the caller's notice (wiki.rendering translates it)
    assert "&lt;b&gt;a&lt;/b&gt;" in rendered.html and "<b>" not in rendered.html
    assert "Texte tel quel" in render_result(text, notice="Texte tel quel").html


def test_text_over_the_length_limit_is_not_parsed():
    rendered = render_result("**gras** " * 30_000)
    assert not rendered.complete and "<strong>" not in rendered.html


def test_neutralisation_leaves_ordinary_text_alone():
    text = (
        'Voir [ici](https://x.fr/a_(b)) et [[SOCLE-D1-C01]] (note) `a[0]` <abbr title="x">X</abbr>'
    )
    assert neutralise(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "a [b ( c < d `x[` (e\n\n[l](u) ![i]( <http://a.b> a<b",
        "[a \\[ b](https://x.fr) [c `[` d](https://y.fr) (voir [ici](https://x.fr) et (là",
        "# Titre [\n\n| a ( | b [ |\n|---|---|\n| 1 | 2 < |",
        "[[Page (absente]] et [[SOCLE-D1-C01|libellé [1]]",
    ],
)
def test_neutralised_openers_render_as_the_original_characters(text, monkeypatch):
    neutralised = render(text, fake_resolver)
    monkeypatch.setattr("wiki.markdown.neutralise", lambda text: text)
    assert neutralised == render(text, fake_resolver)


# --- Only the renderer's own classes and ids ---------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        '<div class="messages success">Enregistré</div>',
        '<span class="messages error">x</span>',
        '<a href="/" class="button" id="contenu">x</a>',
        '<h2 id="recent-changes">x</h2>',
        '<sup id="participation">1</sup>',
        '<li id="editors-presence">x</li>',
        '<div class="wikilink">imitation</div>',
    ],
)
def test_classes_and_ids_typed_by_an_editor_are_dropped(payload):
    html = render(payload)
    assert "class=" not in html and "id=" not in html, html


def test_the_renderers_own_classes_and_ids_are_kept():
    html = render(
        "# Titre\n\n[TOC]\n\nTexte[^1] [[SOCLE-D1-C01]] [[Absente]]\n\n[^1]: Note.",
        fake_resolver,
    )
    for attribute in (
        'id="titre"', 'class="toc"', 'class="wikilink"', 'class="wikilink wikilink--missing"',
        'id="fnref:1"', 'class="footnote-ref"', 'class="footnote"', 'id="fn:1"',
        'class="footnote-backref"',
    ):  # fmt: skip
        assert attribute in html


def test_headings_never_take_an_id_the_site_uses():
    html = render("# Contenu\n\n## Participation\n\n## id_body\n\n## Autre")
    assert 'id="section-contenu"' in html and 'id="section-participation"' in html
    assert 'id="section-id_body"' in html and 'id="autre"' in html


def test_reserved_ids_cover_every_static_id_in_the_templates():
    """A template that gains an id must add it to RESERVED_IDS (or use a reserved prefix)."""
    found = set()
    for folder in (
        settings.SITE_DIR,
        *(Path(settings.BASE_DIR) / app for app in ("wiki", "consensus", "search")),
    ):
        for template in Path(folder).rglob("*.html"):
            found |= set(re.findall(r'\bid="([a-z][a-z0-9_-]*)"', template.read_text()))
    missing = {i for i in found if i not in RESERVED_IDS and not i.startswith(RESERVED_ID_PREFIXES)}
    assert missing <= {"true"}, missing


@pytest.mark.django_db
def test_wikilinks_resolve_against_live_pages_by_code_and_title():
    resolved = wikilink_targets_resolved(["SOCLE-D2-C02", "Cybersécurité", "cybersécurité", "Rien"])
    assert resolved["SOCLE-D2-C02"].title == "Se prémunir et réagir face aux incidents"
    assert resolved["Cybersécurité"].url == "/socle-numerique-en-sante/cybersecurite/"
    assert resolved["cybersécurité"].url == "/socle-numerique-en-sante/cybersecurite/"
    assert "Rien" not in resolved
