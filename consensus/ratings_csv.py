"""Read and validate a ratings CSV (``item,panelist,round,score``) into :class:`Ratings`.

Pure (csv + numpy, no Django). Every problem raises :class:`RatingsFileError` naming the
1-based line of the file where the offending row starts (the header is line 1), so the
person who exported the file can fix it.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from consensus.rules import Scale
from consensus.stats import Ratings

REQUIRED_COLUMNS = ("item", "panelist", "round", "score")
# Round numbers are stored as PostgreSQL smallints; scores lie on a bounded scale. A longer
# run of digits is refused before int() (which refuses more than 4300 digits) or numpy's
# int64 (which overflows) can fail with a traceback.
MAX_ROUND = 32767
MAX_DIGITS = 18


class RatingsFileError(ValueError):
    """A ratings file that cannot be used; ``line`` is 1-based, ``None`` for the whole file."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


def _integer(text: str) -> int | None:
    """int(text) for an optionally signed run of ASCII digits, else None ("7.0" is rejected).

    A run longer than MAX_DIGITS gives +/- (10 ** MAX_DIGITS): out of any bound we check."""
    body = text[1:] if text[:1] in "+-" else text
    if body.isascii() and body.isdigit():
        if len(body.lstrip("0")) > MAX_DIGITS:
            return -(10**MAX_DIGITS) if text.startswith("-") else 10**MAX_DIGITS
        return int(text)
    return None


def _number_shown(text: str) -> str:
    """An integer cell as quoted in a message: the number, or its cut text when very long."""
    return str(int(text)) if len(text) <= MAX_DIGITS else _shown(text)


def _shown(text: str, limit: int = 24) -> str:
    """A cell as quoted in a message, cut when long (a 5000-digit score stays readable)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_ratings(lines: Iterable[str], scale: Scale | None = None) -> Ratings:
    """Parse CSV text lines (header first) into ratings; ``scale`` bounds the scores."""
    scale = scale or Scale()
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise RatingsFileError(1, f"malformed CSV: {exc}") from exc
    if header is None or not any(cell.strip() for cell in header):
        raise RatingsFileError(1, "empty file: expected the header item,panelist,round,score")
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise RatingsFileError(
            1, f"missing column(s) {', '.join(missing)} (header must be item,panelist,round,score)"
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise RatingsFileError(1, f"column(s) {', '.join(repeated)} appear more than once")
    width = len(names)
    i_item, i_panelist, i_round, i_score = (names.index(column) for column in REQUIRED_COLUMNS)

    item_codes: dict[str, int] = {}
    panelist_codes: dict[str, int] = {}
    seen: dict[tuple[int, int, int], int] = {}
    items: list[int] = []
    panelists: list[int] = []
    rounds: list[int] = []
    scores: list[int] = []
    line = reader.line_num  # physical lines consumed so far (a quoted cell may span lines)
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise RatingsFileError(start, f"malformed CSV: {exc}") from exc
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if len(row) != width:
            raise RatingsFileError(start, f"expected {width} fields, found {len(row)}")
        item = row[i_item].strip()
        panelist = row[i_panelist].strip()
        round_text = row[i_round].strip()
        score_text = row[i_score].strip()
        if not item:
            raise RatingsFileError(start, "empty item")
        if not panelist:
            raise RatingsFileError(start, "empty panelist")
        round_number = _integer(round_text)
        if round_number is None:
            raise RatingsFileError(start, f"round {_shown(round_text)} is not an integer")
        if round_number < 1:
            raise RatingsFileError(start, f"round {_number_shown(round_text)} must be 1 or more")
        if round_number > MAX_ROUND:
            raise RatingsFileError(
                start, f"round {_shown(round_text)} is too large (at most {MAX_ROUND})"
            )
        score = _integer(score_text)
        if score is None:
            raise RatingsFileError(start, f"score {_shown(score_text)} is not an integer")
        if not scale.min <= score <= scale.max:
            raise RatingsFileError(
                start, f"score {_number_shown(score_text)} is outside the scale {scale}"
            )
        item_code = item_codes.setdefault(item, len(item_codes))
        panelist_code = panelist_codes.setdefault(panelist, len(panelist_codes))
        key = (item_code, panelist_code, round_number)
        first = seen.setdefault(key, start)
        if first != start:
            raise RatingsFileError(
                start,
                f"panelist {panelist!r} already rated item {item!r} in round {round_number} "
                f"(line {first})",
            )
        items.append(item_code)
        panelists.append(panelist_code)
        rounds.append(round_number)
        scores.append(score)

    item_labels, item_array = _sorted_codes(item_codes, items)
    panelist_labels, panelist_array = _sorted_codes(panelist_codes, panelists)
    return Ratings(
        item=item_array,
        panelist=panelist_array,
        round=np.asarray(rounds, dtype=np.int64),
        score=np.asarray(scores, dtype=np.int64),
        item_labels=item_labels,
        panelist_labels=panelist_labels,
    )


def _sorted_codes(codes: dict[str, int], values: list[int]) -> tuple[tuple[str, ...], np.ndarray]:
    """Renumber first-seen codes so that code order is label order (output is sorted)."""
    labels = sorted(codes)
    remap = np.empty(len(labels), dtype=np.int64)
    remap[[codes[label] for label in labels]] = np.arange(len(labels))
    return tuple(labels), remap[np.asarray(values, dtype=np.int64)]


def read_ratings(path: str | os.PathLike[str], scale: Scale | None = None) -> Ratings:
    """Read a ratings CSV file (UTF-8, optional BOM as written by spreadsheet software)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return parse_ratings(_decoded_lines(handle), scale)
    except FileNotFoundError as exc:
        raise RatingsFileError(None, f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise RatingsFileError(None, f"not a file: {path}") from exc
    except PermissionError as exc:
        raise RatingsFileError(None, f"cannot read {path}: permission denied") from exc


def _decoded_lines(handle: Iterable[bytes]) -> Iterator[str]:
    """Decode line by line so that an encoding error names its own line."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RatingsFileError(number, "not valid UTF-8 text") from exc
        yield text.removeprefix("\ufeff") if number == 1 else text
