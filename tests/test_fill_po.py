"""site/locale/fill_po.py fills the French catalogues from .i18n/*.json (`make translations`)."""

import importlib.util
import json
import subprocess
from pathlib import Path

import polib
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "site" / "locale" / "fill_po.py"
_spec = importlib.util.spec_from_file_location("fill_po", SCRIPT)
fill_po = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fill_po)

CATALOGUE = """\
# French translations.
msgid ""
msgstr ""
"Project-Id-Version: wiki\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

#: wiki/views.py:10
msgid "Save"
msgstr ""

#: wiki/views.py:11
msgid "Unknown"
msgstr ""

#: wiki/views.py:12
#, fuzzy, python-format
#| msgid "Hello %(name)s"
msgid "Hello %(name)s!"
msgstr "Bonjour %(name)s"

#: wiki/views.py:13
msgid "Cancel"
msgstr "Annuler"

#: wiki/views.py:14
msgctxt "verb"
msgid "Open"
msgstr ""

#: wiki/views.py:15
msgid "%(n)s item"
msgid_plural "%(n)s items"
msgstr[0] ""
msgstr[1] ""

#~ msgid "Gone"
#~ msgstr "Parti"
"""

TRANSLATIONS = {
    "Save": "Enregistrer",
    "Hello %(name)s!": "Bonjour %(name)s !",
    "Cancel": "Abandonner",
    "Open": "Ouvrir",
    "%(n)s item": "%(n)s élément",
    "Gone": "Disparu",
    "A long sentence": "Une phrase française assez longue pour que gettext la coupe sur "
    "plusieurs lignes du catalogue, comme le fait msgmerge.",
}


@pytest.fixture
def po_file(tmp_path: Path) -> Path:
    path = tmp_path / "django.po"
    path.write_text(CATALOGUE, encoding="utf-8")
    return path


def test_empty_and_fuzzy_singular_entries_are_filled_and_the_others_reported(po_file):
    missing = fill_po.fill(po_file, TRANSLATIONS)

    assert missing == ["Unknown"]
    catalogue = polib.pofile(str(po_file))
    by_id = {entry.msgid: entry for entry in catalogue}
    assert by_id["Save"].msgstr == "Enregistrer"
    assert by_id["Open"].msgctxt == "verb" and by_id["Open"].msgstr == "Ouvrir"
    assert by_id["Unknown"].msgstr == ""
    # Fuzzy: translated, flag and previous msgid gone, the other flags kept.
    hello = by_id["Hello %(name)s!"]
    assert hello.msgstr == "Bonjour %(name)s !"
    assert hello.flags == ["python-format"]
    assert hello.previous_msgid is None
    # An existing translation, plural entries and obsolete entries are left alone.
    assert by_id["Cancel"].msgstr == "Annuler"
    assert by_id["%(n)s item"].msgstr_plural == {0: "", 1: ""}
    assert [entry.msgstr for entry in catalogue.obsolete_entries()] == ["Parti"]
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_a_catalogue_with_nothing_to_fill_is_not_rewritten(po_file):
    before = po_file.read_bytes()
    assert fill_po.fill(po_file, {"Cancel": "Abandonner"}) == [
        "Save",
        "Unknown",
        "Hello %(name)s!",
        "Open",
    ]
    assert po_file.read_bytes() == before


def test_the_filled_catalogue_is_laid_out_as_gettext_does_and_compiles(po_file):
    po_file.write_text(CATALOGUE + '\nmsgid "A long sentence"\nmsgstr ""\n', encoding="utf-8")
    fill_po.fill(po_file, TRANSLATIONS)

    text = po_file.read_text(encoding="utf-8")
    laid_out = subprocess.run(
        ["msgcat", str(po_file)], check=True, capture_output=True, text=True
    ).stdout
    assert text == laid_out
    assert 'msgstr ""\n"Une phrase française' in text
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], check=True)


def test_main_reads_every_json_of_dot_i18n_and_fills_every_french_catalogue(tmp_path, capsys):
    (tmp_path / ".i18n").mkdir()
    (tmp_path / ".i18n" / "a.json").write_text(json.dumps({"Save": "Enregistrer"}))
    (tmp_path / ".i18n" / "b.json").write_text(json.dumps({"Open": "Ouvrir"}))
    po = tmp_path / "wiki" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(CATALOGUE, encoding="utf-8")

    fill_po.main(tmp_path)

    by_id = {entry.msgid: entry.msgstr for entry in polib.pofile(str(po))}
    assert by_id["Save"] == "Enregistrer" and by_id["Open"] == "Ouvrir"
    assert "2 untranslated: ['Unknown', 'Hello %(name)s!']" in capsys.readouterr().out
