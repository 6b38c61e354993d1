"""Dutch stemming for the library index and its queries.

FTS5's ``porter`` tokenizer knows English only: "gesprekken" and "gesprek" stay two words to
it. So Dutch text is stemmed here with the Snowball Dutch stemmer before it is indexed, and
each query word is searched both as written (English, through porter) and as its Dutch stem.
Words are folded first (lower case, no diacritics), as the index's tokenizer sees them, so
"geïnteresseerd" and "geinteresseerd" meet.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[^\W_]+")
#: The index's tokenizer: English through porter, everything folded.
TOKENIZER = "porter unicode61 remove_diacritics 2"


@lru_cache(maxsize=1)
def _dutch() -> Any:  # snowballstemmer has no type hints
    import snowballstemmer

    # The classic Dutch algorithm: Snowball 3 renamed it "dutch_porter" and gave "dutch" to a
    # newer one that cuts "wisselen" to "wis" but "wisseling" to "wissel".
    name = "dutch_porter" if "dutch_porter" in snowballstemmer.algorithms() else "dutch"
    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=8192)
def stem_nl(word: str) -> str:
    """The Dutch stem of one folded word; digits and very short words stay as they are."""
    if len(word) < 3 or not word.isalpha():
        return word
    stem = _dutch().stemWord(word)
    if stem == word and len(word) > 4 and word.endswith("t"):
        # Snowball keeps the -t of "wisselt", "vertrouwt", "opbouwt"; the infinitive loses it.
        stem = _dutch().stemWord(word[:-1])
    return stem


def stem_text_nl(folded: str) -> str:
    """A folded text as space-separated Dutch stems: what the index stores for Dutch versions."""
    return " ".join(stem_nl(w) for w in _WORD.findall(folded))


_porter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _porter_table() -> sqlite3.Connection:
    """An empty FTS5 table with the index's tokenizer, to ask it what a word becomes."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')")
    return conn


@lru_cache(maxsize=8192)
def porter_token(word: str) -> str:
    """The token the index's tokenizer makes of one word ("officers" -> "offic"), as SQLite's
    own porter stemmer makes it, so that a query can tell which words a prefix finds."""
    with _porter_lock:
        conn = _porter_table()
        conn.execute("INSERT INTO t(x) VALUES (?)", (word,))
        terms = [row[0] for row in conn.execute("SELECT term FROM v")]
        conn.execute("DELETE FROM t")
    return terms[0] if len(terms) == 1 else word
