"""Fill empty or fuzzy msgstr entries of .po files from JSON dictionaries {msgid: French}.

Used by `make translations`: developers keep their French in .i18n/*.json while they work, so
that makemessages, which rewrites the catalogue, never loses a translation in progress."""

import json
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines if line.strip().startswith('"'))


def fill(po_path: Path, translations: dict[str, str]) -> list[str]:
    blocks = po_path.read_text(encoding="utf-8").split("\n\n")
    missing, out = [], []
    for block in blocks:
        lines = block.split("\n")
        ids = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
        strs = [i for i, line in enumerate(lines) if line.startswith("msgstr ")]
        if not ids or not strs or any(line.startswith("msgid_plural") for line in lines):
            out.append(block)
            continue
        i, j = ids[0], strs[0]
        msgid = _unquote([lines[i][6:], *lines[i + 1 : j]])
        msgstr = _unquote([lines[j][7:], *lines[j + 1 :]])
        fuzzy = "#, fuzzy" in block
        if msgid and (not msgstr or fuzzy):
            if msgid in translations:
                # Drop the fuzzy flag (alone or among others: "#, fuzzy, python-format") and
                # makemessages' guess of the previous msgid ("#| …").
                head = [
                    line.replace("#, fuzzy, ", "#, ")
                    for line in lines[:j]
                    if line != "#, fuzzy" and not line.startswith("#| ")
                ]
                lines = [*head, "msgstr " + json.dumps(translations[msgid], ensure_ascii=False)]
            else:
                missing.append(msgid)
        out.append("\n".join(lines))
    po_path.write_text("\n\n".join(out), encoding="utf-8")
    return missing


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    merged: dict[str, str] = {}
    for source in sorted((root / ".i18n").glob("*.json")):
        merged.update(json.loads(source.read_text(encoding="utf-8")))
    for po in sorted(root.glob("**/locale/fr/LC_MESSAGES/django.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        left = fill(po, merged)
        if left:
            print(f"{po}: {len(left)} untranslated: {left[:10]}")
