"""Text as both backends compare it: folded, stemmed, and the plain words of wiki Markdown."""

from search.text import folded, plain_text, stem, terms


def test_stems_fold_accents_and_plurals():
    assert stem("données") == stem("donnees") == stem("donnée")
    assert stem("personnelles") == stem("personnel")
    assert stem("Numériques") == stem("numerique")
    assert terms("Les données, a") == [stem("les"), stem("donnees")]
    assert folded("  Éthique  et IA ") == "ethique et ia"


def test_plain_text_reads_as_the_rendered_page():
    markdown = (
        "## Titre\n\nVoir [[SOCLE-D1-C02|la donnée personnelle]] et [[Page absente]],\n"
        "un [lien](https://example.org) et **gras**.\n\n- un\n- deux\n\n"
        "| a | b |\n|---|---|\n| c | d |\n\nNote[^1].\n\n[^1]: Le pied."
    )
    text = plain_text(markdown)
    assert text.startswith("Titre Voir la donnée personnelle et Page absente, un lien et gras.")
    assert "un deux" in text and "a b" in text and "c d" in text and "Le pied." in text
    assert not any(mark in text for mark in "[]*#|↩<>")
    assert plain_text("") == ""
