"""The default model's tokenizer narrowed to the scripts of Chinese disclosures, giving the same ids.

Loading the full ``tokenizer.json`` (250,002 unigram pieces of a hundred scripts) takes most of a second,
which every ``budgetkg search`` used to pay.  The narrowed tokenizer keeps only the pieces made of
characters in :data:`RANGES` (Latin, Greek, punctuation and symbols, CJK, full-width forms): about half,
loading in a quarter of the time.  It is exact, not approximate: a unigram piece can match a text only if
each of its characters is in the text, so for a text whose normalised characters all lie in the ranges no
dropped piece could have matched and the best segmentation is the same; the piece of the lowest score is
kept too, since the score of an unknown character is derived from it.  Ids are mapped back to the full
vocabulary's.  A text with any other character is tokenised by the full tokenizer, loaded on first need.

The narrowed file is derived from ``tokenizer.json`` once, beside it (written atomically; the export of
:mod:`kg.embed.fast` writes it with the rest).
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np

from ..atomic import write_bytes

RANGES = ((0x0000, 0x03FF), (0x2000, 0x2BFF), (0x3000, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
          (0xFF00, 0xFFEF))
METASPACE = "\u2581"  # the pre-tokenizer's word start, in pieces
NARROW_FILE = "tokenizer.narrow.json"
FORMAT = 1  # of the narrowed file: a change rebuilds it


_OUTSIDE = re.compile("[^" + METASPACE + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in RANGES) + "]")


def covered(text: str) -> bool:
    """Every character of ``text`` is in :data:`RANGES` (or the word start)."""
    return _OUTSIDE.search(text) is None


def _stamp(full: Path) -> str:
    """What the narrowed file was derived from (the full file's size and time: the folder is written once)."""
    st = full.stat()
    return f"{FORMAT}:{st.st_size}:{st.st_mtime_ns}"


def narrow(full: dict) -> tuple[dict, list[int]]:
    """The tokenizer spec ``full`` (a unigram ``tokenizer.json``) narrowed, with each kept piece's old id."""
    model = full["model"]
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        raise ValueError("only a unigram tokenizer without byte fallback can be narrowed")
    vocab = model["vocab"]
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    specials = {t["id"] for t in full.get("added_tokens", [])}
    keep = [i for i, (piece, _) in enumerate(vocab)
            if i in specials or i == lowest or i == model.get("unk_id") or covered(piece)]
    new_id = {old: new for new, old in enumerate(keep)}
    out = json.loads(json.dumps({**full, "model": {**model, "vocab": []}}))  # a copy, but of the vocabulary
    out["model"]["vocab"] = [vocab[i] for i in keep]
    if model.get("unk_id") is not None:
        out["model"]["unk_id"] = new_id[model["unk_id"]]
    for token in out.get("added_tokens", []):
        token["id"] = new_id[token["id"]]
    for special in ((out.get("post_processor") or {}).get("special_tokens") or {}).values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    return out, keep


def ensure_narrow(folder: Path, spec: dict | None = None) -> Path:
    """The narrowed tokenizer of ``folder``'s ``tokenizer.json`` (``spec``: its contents, when at hand),
    derived on first use."""
    path = folder / NARROW_FILE
    stamp = _stamp(folder / "tokenizer.json")
    if path.is_file():
        with open(path, "rb") as f:
            head = json.loads(f.readline())
        if head.get("stamp") == stamp:
            return path
    spec, keep = narrow(spec or json.loads((folder / "tokenizer.json").read_bytes()))
    head = json.dumps({"stamp": stamp, "ids": keep}, separators=(",", ":"))
    write_bytes(path, (head + "\n" + json.dumps(spec, ensure_ascii=False)).encode("utf-8"))
    return path


class NarrowTokenizer:
    """``encode(text)`` → the full tokenizer's ids, from the narrowed tokenizer wherever it is exact."""

    def __init__(self, folder: Path, max_length: int):
        from tokenizers import Tokenizer

        self.folder, self.max_length = Path(folder), max_length
        with open(ensure_narrow(self.folder), encoding="utf-8") as f:
            head = json.loads(f.readline())
            self._narrow = Tokenizer.from_str(f.read())
        self._ids = np.asarray(head["ids"], np.int64)
        self._narrow.enable_truncation(max_length)
        self._full = None
        self._lock = threading.Lock()

    def encode(self, text: str) -> np.ndarray:
        if covered(self._narrow.normalizer.normalize_str(text)):
            return self._ids[self._narrow.encode(text).ids]
        return np.asarray(self.full().encode(text).ids, np.int64)

    def full(self):
        """The full tokenizer (loaded once, on the first text it is needed for)."""
        with self._lock:
            if self._full is None:
                from tokenizers import Tokenizer

                self._full = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                self._full.enable_truncation(self.max_length)
            return self._full
