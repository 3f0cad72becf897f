"""jieba's dictionary (its main one and the budget terms added) kept as a table on disk, for queries.

Loading jieba's main dictionary takes most of a second (half a million words), which every ``budgetkg
search`` paid to cut a query of a few words.  jieba only ever looks up substrings of the text it cuts
(the words of its DAG and their prefixes, the 2- and 3-grams of search mode), so a tokenizer whose
dictionary holds just the entries of the query's own substrings, with the full dictionary's total,
cuts the query exactly as the full one does.  :func:`write` saves a full tokenizer's entries into SQLite
(atomically), :func:`add` the entries that new user words change (one transaction); :func:`query_tokenizer`
reads back those of one text.  The table records what it was made
from (:func:`stamp`); a stale or missing table is no error: the caller cuts with the full tokenizer and
writes the table again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from pathlib import Path

from ..atomic import written

log = logging.getLogger(__name__)
FORMAT = 1  # of the table; a change makes every table stale


def stamp(words: list[str]) -> str:
    """What a table depends on: jieba's version and main dictionary, the user words, this format."""
    import jieba

    main = Path(os.path.dirname(jieba.__file__)) / jieba.DEFAULT_DICT_NAME
    return hashlib.sha256(repr((FORMAT, jieba.__version__, main.stat().st_size, words)).encode()).hexdigest()


def write(path: Path, tk, words: list[str]) -> None:
    """Save ``tk``'s dictionary (``FREQ`` and ``total``; ``words``: the user words it holds) at ``path``."""
    with written(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", tk.FREQ.items())
            longest = max(map(len, tk.FREQ), default=1)
            db.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("stamp", stamp(words)), ("total", str(tk.total)), ("longest", str(longest))])
            db.commit()
        finally:
            db.close()


def add(path: Path, tk, before: list[str], words: list[str], new: list[str]) -> None:
    """Bring the table at ``path``, made from the user words ``before``, to ``tk`` after ``new`` words were
    added to it (``words``: all of them now): only the entries ``jieba.Tokenizer.add_word`` touches (each
    word and its prefixes) and the total change.  A table not made from ``before`` is written anew."""
    try:
        db = sqlite3.connect(path) if path.is_file() else None
    except sqlite3.Error:
        db = None
    if db is None:
        return write(path, tk, words)
    try:
        with db:  # one transaction
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("stamp") != stamp(before):
                raise LookupError
            touched = {w[:i] for w in new for i in range(1, len(w) + 1)}
            db.executemany("INSERT OR REPLACE INTO freq VALUES (?, ?)", [(k, tk.FREQ[k]) for k in touched])
            longest = max([int(meta["longest"]), *map(len, new)])
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("stamp", stamp(words)), ("total", str(tk.total)), ("longest", str(longest))])
    except (LookupError, sqlite3.Error, KeyError, ValueError):  # not the table of ``before``: all of it again
        db.close()
        return write(path, tk, words)
    db.close()


def query_tokenizer(path: Path, text: str, words: list[str]):
    """A jieba tokenizer that cuts ``text`` as the full one saved at ``path`` does, or ``None`` when there
    is no table made from ``words`` there."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("stamp") != stamp(words):
            return None
        longest = int(meta["longest"])
        subs = list({text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + longest) + 1)})
        freq = {}
        for start in range(0, len(subs), 500):
            part = subs[start:start + 500]
            freq.update(db.execute(f"SELECT word, n FROM freq WHERE word IN ({','.join('?' * len(part))})", part))
        total = int(meta["total"])
    except (sqlite3.Error, KeyError, ValueError) as exc:
        log.warning("%s is unreadable (%s): the query is cut with the full dictionary", path, exc)
        return None
    finally:
        db.close()
    import jieba

    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    return tk
