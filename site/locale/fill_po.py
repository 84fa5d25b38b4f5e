"""Fill empty or fuzzy msgstr entries of .po files from JSON dictionaries {msgid: French}.

Used by `make translations`: developers keep their French in .i18n/*.json while they work, so
that makemessages, which rewrites the catalogue, never loses a translation in progress.
Plural entries are left to be translated in the .po file itself."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib


def fill(po_path: Path, translations: dict[str, str]) -> list[str]:
    """Translate the empty or fuzzy singular entries of `po_path` found in `translations`;
    return the msgids still untranslated. The file is rewritten only when an entry changed."""
    catalogue = polib.pofile(str(po_path), wrapwidth=79)
    missing, changed = [], False
    for entry in catalogue:
        if entry.obsolete or entry.msgid_plural or not (entry.fuzzy or not entry.msgstr):
            continue
        if entry.msgid not in translations:
            missing.append(entry.msgid)
            continue
        entry.msgstr = translations[entry.msgid]
        # A fuzzy entry also loses the flag (other flags stay) and makemessages' guess of the
        # previous msgid ("#| msgid …").
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        changed = True
    if changed:
        catalogue.save()
        _rewrap_like_gettext(po_path)
    return missing


def _rewrap_like_gettext(po_path: Path) -> None:
    """polib wraps long strings a little differently from msgmerge: let gettext's msgcat (there
    wherever makemessages runs) lay the file out, so that the diff shows only the new entries.
    (msgcat also drops obsolete entries that have no translation: they carry nothing.)"""
    if msgcat := shutil.which("msgcat"):
        subprocess.run([msgcat, "--output-file", str(po_path), str(po_path)], check=True)


def main(root: Path) -> None:
    merged: dict[str, str] = {}
    for source in sorted((root / ".i18n").glob("*.json")):
        merged.update(json.loads(source.read_text(encoding="utf-8")))
    for po in sorted(root.glob("**/locale/fr/LC_MESSAGES/django.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        left = fill(po, merged)
        if left:
            print(f"{po}: {len(left)} untranslated: {left[:10]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
