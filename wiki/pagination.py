"""Pagination without COUNT: fetch one row more than a page to know whether another follows.
Lists of changes grow to millions of rows, where a COUNT costs more than the page itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

# Beyond this, a page number is a typo or a probe; PostgreSQL's OFFSET must stay a bigint.
MAX_PAGE = 10_000


def page_number(params: Mapping[str, str], name: str = "page") -> int:
    """The page asked for in a query string: 1 when absent or not a number, clamped to MAX_PAGE."""
    try:
        number = int(params.get(name, 1))
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), MAX_PAGE)


def page_slice(rows: Sequence[T], page: int, per_page: int) -> tuple[list[T], bool]:
    """Rows of page `page` (1-based) and whether another page follows. `rows` may be a lazy
    QuerySet: only per_page + 1 rows are fetched."""
    start = (min(max(1, page), MAX_PAGE) - 1) * per_page
    fetched = list(rows[start : start + per_page + 1])
    return fetched[:per_page], len(fetched) > per_page
