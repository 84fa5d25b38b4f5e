"""Text as both search backends compare it: folded (case and accents off), stemmed with the
French Snowball stemmer, and plain (the words of wiki Markdown). Pure: no database, no node."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from snowballstemmer.basestemmer import BaseStemmer

from wiki.markdown import plain_text

__all__ = ["folded", "plain_text", "stem", "terms", "WORD"]

WORD = re.compile(r"\w+", re.UNICODE)
# A Snowball stemmer keeps its state in the instance: one per thread.
_local = threading.local()


def _french() -> BaseStemmer:
    if not hasattr(_local, "french"):
        _local.french = snowballstemmer.stemmer("french")
    return _local.french


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A word's French stem, folded first so that a query typed without accents meets the
    accented text (« donnees » and « données » → « donne »), plurals off as Elasticsearch's
    French analyzer does."""
    return _french().stemWord(folded(word))


def terms(text: str) -> list[str]:
    """The stems of a text's words (single letters left out)."""
    return [stem(w) for w in WORD.findall(text) if len(w) > 1]
