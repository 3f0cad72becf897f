"""Chinese BM25 over search passages (DESIGN §7): jieba tokens into bm25s, persisted beside the store.

Tokens are jieba's search-mode words (a word and its shorter dictionary words) plus the character
bigrams of every longer CJK word, so a term split differently in the text and in a query
(``年岗平``/``岗平工资``) still meets.  jieba gets a user dictionary of budget terms: the codelist
labels (功能科目, 经济科目) and the project names and aliases of the ingested documents.

bm25s cannot add or remove rows, so the index keeps every passage's tokens per document
(``tokens.json``) and rebuilds the BM25 matrix from them after a change; that is milliseconds for
thousands of passages, the tokenising is what costs and is done once per passage.  When new words
enter the dictionary, only the passages that contain one are tokenised again.  A query is cut with only
the dictionary entries of its own substrings, read from a table (:mod:`kg.search.dictionary`), so that
searching never loads jieba's main dictionary.

Every file is written atomically (:mod:`kg.atomic`).  ``tokens.json`` is what the index holds (its
keys are the indexed documents); the ``bm25`` folder is derived from it and records the hash of the
``tokens.json`` it was built from, with its rows' IRIs and its documents (``state.json``): when they differ
(a kill between the two writes) or the folder is missing, the matrix is rebuilt on open.  So opening and
searching read the matrix and its state, and hash ``tokens.json`` without parsing it; its rows are read at
the first write (:attr:`LexicalIndex.docs`; at 1M passages a gigabyte: a search's process took 47 s and 10 GB
reading it, 13 s and 3.5 GB without).  An unreadable
``tokens.json`` counts as an empty index, which :class:`~kg.search.index.SearchIndex` refills.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from pathlib import Path

import numpy as np

from ingest.normalise import nfkc, squash

from ..atomic import write_bytes, write_text, written
from . import dictionary

log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
DICTIONARY = "dictionary.sqlite"  # the user dictionary's table for cutting queries (kg.search.dictionary)
FEW_ROWS = 20  # a filter allowing at most 1/FEW_ROWS of the rows is scored over their postings alone
STOPWORDS = frozenset("的 了 和 与 及 等 在 为 对 是 将 按 其 或 以 由 于 并 把 被 之 中 年 万元 元".split())


@functools.lru_cache(maxsize=1)
def _base_tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


def new_tokenizer(words: list[str] = ()):
    """A jieba tokenizer of its own (the main dictionary copied, not reloaded) with ``words`` added."""
    import jieba

    base = _base_tokenizer()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
    for w in words:
        tk.add_word(w)
    return tk


def normalise(text: str) -> str:
    """NFKC, lower case (full-width digits and brackets become ASCII)."""
    return nfkc(text).lower()


def tokenize(text: str, tk) -> list[str]:
    """Search-mode jieba words without punctuation and stop words, plus bigrams of CJK words of 3+ characters."""
    out = []
    for w in tk.lcut_for_search(normalise(text)):
        w = w.strip()
        if not w or not _WORD.search(w) or w in STOPWORDS:
            continue
        out.append(w)
        if len(w) >= 3 and _CJK.search(w):
            out.extend(w[i:i + 2] for i in range(len(w) - 1))
    return out


def query_words(text: str, tk) -> list[str]:
    """The words of ``text`` that :func:`tokenize` keeps, without its bigrams, longest first (for highlighting).

    Single characters are left out when there are longer words (``号`` of ``32号``)."""
    words = [w for w in dict.fromkeys(w.strip() for w in tk.lcut_for_search(normalise(text)))
             if w and _WORD.search(w) and w not in STOPWORDS]
    long = [w for w in words if len(w) > 1]
    return sorted(long or words, key=len, reverse=True)


def dictionary_words(names) -> list[str]:
    """Budget terms for the user dictionary: each name NFKC'd, whitespace removed, 2+ characters."""
    words = {squash(normalise(n)) for n in names if n}
    return sorted(w for w in words if len(w) >= 2)


class LexicalIndex:
    """BM25 over passages keyed by IRI, grouped by document; lives in ``folder``."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.words: list[str] = self._read_userdict()
        self._docs: dict[str, list[list]] | None = None  # doc_id -> [[iri, text, tokens]], read when needed
        self._read_sha = self._tokens_sha()
        self._saved_documents: list[str] | None = None  # the documents of a matrix built from that file
        self._bm25 = None
        self._iris: list[str] = []
        self._pos: dict[str, int] | None = None  # iri → row, for filter masks
        self.version = 0  # counts rebuilds, for tables derived from the rows
        self._load_bm25()

    # --- dictionary ---
    @functools.cached_property
    def tk(self):
        """The full tokenizer (main dictionary and the user words), loaded when passages are tokenised."""
        return new_tokenizer(self.words)

    def query_tokenizer(self, query: str):
        """A tokenizer cutting ``query`` as :attr:`tk` does: from the saved dictionary table
        (:mod:`kg.search.dictionary`), else the full one, which then saves the table."""
        table = self.folder / DICTIONARY
        tk = dictionary.query_tokenizer(table, normalise(query), self.words)
        if tk is None:
            tk = self.tk
            if self._read_userdict() == self.words:  # else another process added words since: its table is newer
                dictionary.write(table, tk, self.words)
        return tk

    def query_words(self, query: str) -> list[str]:
        """:func:`query_words` of ``query`` (for highlighting)."""
        return query_words(query, self.query_tokenizer(query))

    def _read_userdict(self) -> list[str]:
        path = self.folder / "userdict.txt"
        if not path.is_file():
            return []
        return [line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def add_words(self, names) -> list[str]:
        """Add budget terms to the user dictionary; passages holding a new word are tokenised again."""
        known = set(self.words)  # once: a set per word made a batch's words quadratic
        new = [w for w in dictionary_words(names) if w not in known]
        if not new:
            return []
        for w in new:
            self.tk.add_word(w)
        before, self.words = self.words, sorted(set(self.words) | set(new))
        write_text(self.folder / "userdict.txt", "".join(f"{w} 10 n\n" for w in self.words))
        dictionary.add(self.folder / DICTIONARY, self.tk, before, self.words, new)
        changed = False
        for rows in self.docs.values():
            for row in rows:
                if any(w in normalise(row[1]) for w in new):
                    row[2] = tokenize(row[1], self.tk)
                    changed = True
        if changed:
            self._rebuild()
        return new

    # --- documents ---
    def add_document(self, doc_id: str, passages: list[tuple[str, str]]) -> None:
        """Index (or replace) one document's passages, given as ``(iri, text)``."""
        self.add_documents({doc_id: passages})

    def add_documents(self, docs: dict[str, list[tuple[str, str]]]) -> None:
        """Index (or replace) several documents' passages with one BM25 rebuild (bulk loads)."""
        for doc_id, passages in docs.items():
            self.docs[doc_id] = [[iri, text, tokenize(text, self.tk)] for iri, text in passages]
        self._rebuild()

    def delete_document(self, doc_id: str) -> bool:
        if self.docs.pop(doc_id, None) is None:
            return False
        self._rebuild()
        return True

    @property
    def docs(self) -> dict[str, list[list]]:
        """Every document's rows ``[iri, text, tokens]``, read from ``tokens.json`` when first needed (a write):
        searching needs only the matrix, and at 1M passages the file is a gigabyte, 35 s to parse."""
        if self._docs is None:
            self._docs = self._read_tokens()
        return self._docs

    def documents(self) -> set[str]:
        if self._docs is None and self._saved_documents is not None:
            return set(self._saved_documents)
        return set(self.docs)

    def __len__(self) -> int:
        return len(self._iris)

    def iris(self) -> list[str]:
        return list(self._iris)

    # --- BM25 ---
    def _rebuild(self) -> None:
        import bm25s

        rows = [row for doc in sorted(self.docs) for row in self.docs[doc]]
        self._iris, self._pos = [row[0] for row in rows], None
        self._bm25 = None
        self.version += 1
        if rows:
            self._bm25 = bm25s.BM25()
            self._bm25.index([row[2] or [""] for row in rows], show_progress=False)
            sort_postings(self._bm25)
        self._save()

    def _tokens_sha(self) -> str | None:
        """The hash of ``tokens.json`` as it is on disk (``None``: no file), read without parsing it."""
        path = self.folder / "tokens.json"
        if not path.is_file():
            return None
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()

    def _read_tokens(self) -> dict[str, list[list]]:
        """The saved documents (empty without a file, or with one that cannot be read)."""
        path = self.folder / "tokens.json"
        if not path.is_file():
            return {}
        try:
            docs = json.loads(path.read_bytes())
        except ValueError as exc:  # written in place by an older version and cut short
            log.warning("%s is unreadable (%s): the lexical index starts empty and is refilled", path, exc)
            return {}
        return docs if isinstance(docs, dict) else {}

    def _save(self) -> None:
        data = json.dumps(self.docs, ensure_ascii=False).encode("utf-8")
        write_bytes(self.folder / "tokens.json", data)
        self._read_sha = hashlib.sha256(data).hexdigest()
        self._saved_documents = sorted(self.docs)
        state = {"tokens_sha256": self._read_sha, "iris": self._iris, "documents": self._saved_documents}
        with written(self.folder / "bm25") as target:
            target.mkdir()
            if self._bm25 is not None:
                self._bm25.save(str(target), show_progress=False)
            (target / "state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        (self.folder / "iris.json").unlink(missing_ok=True)  # where the IRIs were kept before

    def _load_bm25(self) -> None:
        """The saved matrix if it was built from the ``tokens.json`` read, else a rebuild."""
        import bm25s

        target = self.folder / "bm25"
        state = target / "state.json"
        if state.is_file():
            saved = json.loads(state.read_text(encoding="utf-8"))
            if self._read_sha is not None and saved.get("tokens_sha256") == self._read_sha:
                self._iris = saved["iris"]
                self._saved_documents = saved.get("documents")  # older states: read from the tokens
                self._bm25 = bm25s.BM25.load(str(target), show_progress=False) if self._iris else None
                if self._bm25 is not None:
                    sort_postings(self._bm25)
                return
        if self.docs or target.is_dir():
            self._rebuild()

    def search(self, query: str, k: int = 50, allowed: set[str] | np.ndarray | None = None) -> list[tuple[str, float]]:
        """Passages ranked by BM25 (score > 0 only; equal scores in row order), restricted to ``allowed`` when
        given: a set of IRIs, or a boolean array over the rows (:meth:`iris` order)."""
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        tokens = [t for t in tokenize(query, self.query_tokenizer(query)) if t in vocab]
        if not tokens:
            return []
        mask = None if allowed is None else self._mask(allowed)
        # a filter of a few documents reads their postings only; one of many, or BM25L/BM25+ (where every row
        # scores), bm25s over every row, masked after (benchmarks/hybrid_scale.py at 1M passages)
        if mask is not None and self._bm25.nonoccurrence_array is None and \
                np.count_nonzero(mask) * FEW_ROWS <= len(mask):
            rows, scores = allowed_scores(self._bm25, [vocab[t] for t in tokens], mask)
        else:
            scores = self._bm25.get_scores(tokens, weight_mask=None if mask is None else mask.astype(np.float32))
            rows = np.flatnonzero(scores > 0)
            scores = scores[rows]
        # the top k among the scoring rows only: numpy's partition slows down tenfold over many equal zeros
        if len(rows) > k:  # the k best; of those tied with the k-th, the first rows
            kth = np.partition(scores, -k)[-k]
            above = np.flatnonzero(scores > kth)
            keep = np.concatenate((above, np.flatnonzero(scores == kth)[:k - len(above)]))
            rows, scores = rows[keep], scores[keep]
        order = np.lexsort((rows, -scores))
        return [(self._iris[int(rows[i])], float(scores[i])) for i in order]

    def _mask(self, allowed: set[str] | np.ndarray) -> np.ndarray:
        """A boolean array over the rows for ``allowed``."""
        if isinstance(allowed, np.ndarray):
            if allowed.shape != (len(self._iris),):
                raise ValueError(f"a row mask needs {len(self._iris)} entries, not {allowed.shape}")
            return allowed.astype(bool)
        if self._pos is None:
            self._pos = {iri: i for i, iri in enumerate(self._iris)}
        mask = np.zeros(len(self._iris), dtype=bool)
        mask[[self._pos[iri] for iri in allowed if iri in self._pos]] = True
        return mask


def sort_postings(bm25) -> None:
    """Each token's postings in row order, as :func:`allowed_scores` reads them (bm25s builds them so;
    sorted in place should a column come otherwise)."""
    data, indices, indptr = bm25.scores["data"], bm25.scores["indices"], bm25.scores["indptr"]
    drops = np.flatnonzero(np.diff(indices) < 0) + 1  # where a row number falls: a column starts, or disorder
    for lo in sorted(set(np.searchsorted(indptr, drops[~np.isin(drops, indptr)], side="right") - 1)):
        a, b = int(indptr[lo]), int(indptr[lo + 1])
        order = np.argsort(indices[a:b], kind="stable")
        indices[a:b], data[a:b] = indices[a:b][order], data[a:b][order]


def allowed_scores(bm25, token_ids: list[int], mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BM25 scores of the rows ``mask`` allows that hold a query token: ``(rows ascending, scores)``, the same
    float32 sums as bm25s' ``get_scores`` (token by token).  A filter allows runs of rows (a document's
    passages are consecutive), and each token's postings are sorted by row, so only the postings inside
    the runs are read (bm25s reads every posting of the query's tokens and masks after)."""
    data, indices, indptr = bm25.scores["data"], bm25.scores["indices"], bm25.scores["indptr"]
    inner = np.flatnonzero(mask[1:] != mask[:-1]) + 1  # where a run starts or ends (on the bools: no widening)
    head = np.zeros(int(len(mask) > 0 and mask[0]), dtype=np.int64)
    tail = np.full(int(len(mask) > 0 and mask[-1]), len(mask), dtype=np.int64)
    edges = np.concatenate((head, inner, tail)).astype(indices.dtype)  # searched in the postings' own type
    starts, ends = edges[::2], edges[1::2]  # the allowed runs [start, end)
    taken = []
    for t in token_ids:
        lo, hi = int(indptr[t]), int(indptr[t + 1])
        column = indices[lo:hi]
        first, last = lo + np.searchsorted(column, starts), lo + np.searchsorted(column, ends)
        counts = last - first
        taken.append(np.repeat(first - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
                     + np.arange(int(counts.sum())))
    rows = np.unique(np.concatenate([indices[p] for p in taken]))
    scores = np.zeros(len(rows), dtype=data.dtype)
    for p in taken:  # a row once per token: plain fancy-index addition, in bm25s' order
        scores[np.searchsorted(rows, indices[p])] += data[p]
    return rows, scores
