"""One pagination helper for the lists of changes: no COUNT, one row more than a page tells
whether another follows, and a page number from a query string is never trusted."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiki.pagination import MAX_PAGE, page_number, page_slice


@given(total=st.integers(0, 60), per_page=st.integers(1, 12), page=st.integers(1, 12))
def test_pages_partition_the_rows_and_say_whether_another_follows(total, per_page, page):
    rows = list(range(total))
    shown, has_next = page_slice(rows, page, per_page)
    assert shown == rows[(page - 1) * per_page : page * per_page]
    assert has_next == (total > page * per_page)


class CountingRows(list):
    """A sequence that records the slice it was asked for, as a QuerySet would run it."""

    asked: slice | None = None

    def __getitem__(self, key):
        self.asked = key
        return super().__getitem__(key)


def test_only_one_row_more_than_a_page_is_fetched():
    rows = CountingRows(range(1000))
    page_slice(rows, 3, 50)
    assert (rows.asked.start, rows.asked.stop) == (100, 151)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, 1),
        ({"page": "3"}, 3),
        ({"page": "0"}, 1),
        ({"page": "-4"}, 1),
        ({"page": "x"}, 1),
        ({"page": "9" * 30}, MAX_PAGE),
    ],
)
def test_a_page_number_from_the_query_string_is_clamped(query, expected):
    assert page_number(query) == expected


@pytest.mark.django_db
def test_a_huge_page_number_is_an_empty_page_not_an_error(client):
    response = client.get("/wiki/modifications-recentes/", {"page": "9" * 30})
    assert response.status_code == 200
    assert response.context["changes"] == [] and not response.context["has_next"]
