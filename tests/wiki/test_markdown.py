import pytest

from wiki.markdown import LinkTarget, render, wikilink_targets
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


@pytest.mark.parametrize("text", ["[[", "[[]]", "| a |\n|--", "[^x]", "```\nnon fermé", "*" * 5000])
def test_malformed_markdown_never_raises(text):
    assert isinstance(render(text, fake_resolver), str)


@pytest.mark.django_db
def test_wikilinks_resolve_against_live_pages_by_code_and_title():
    resolved = wikilink_targets_resolved(["SOCLE-D2-C02", "Cybersécurité", "cybersécurité", "Rien"])
    assert resolved["SOCLE-D2-C02"].title == "Se prémunir et réagir face aux incidents"
    assert resolved["Cybersécurité"].url == "/socle-numerique-en-sante/cybersecurite/"
    assert resolved["cybersécurité"].url == "/socle-numerique-en-sante/cybersecurite/"
    assert "Rien" not in resolved
