"""The narrowed tokenizer of the fast path gives the full tokenizer's ids for every text (issue 16).

Compared on the bundled samples' lines, on budget sentences, and on hypothesis-drawn strings from the
kept scripts and from any script (those go to the full tokenizer, loaded only then).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from kg.embed.fast import ensure_fast_model
from kg.embed.narrow_tokenizer import NARROW_FILE, RANGES, NarrowTokenizer, covered, narrow
from helpers import SAMPLES


@pytest.fixture(scope="module")
def pair():
    folder = ensure_fast_model()
    full = Tokenizer.from_file(str(folder / "tokenizer.json"))
    full.enable_truncation(512)
    return NarrowTokenizer(folder, 512), full


def ids(tk, text):
    return [int(i) for i in tk.encode(text)]


def test_every_sample_line_gives_the_full_tokenizers_ids_without_loading_it(pair):
    narrow_tk, full = pair
    lines = [line for path in SAMPLES for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert len(lines) > 500
    fresh = NarrowTokenizer(narrow_tk.folder, 512)
    for line in lines + ["passage: " + line for line in lines[:200]]:
        assert ids(fresh, line) == full.encode(line).ids, line
    assert fresh._full is None  # the samples are all in the kept scripts


def test_long_text_is_truncated_as_the_full_tokenizer_does(pair):
    narrow_tk, full = pair
    text = "医疗救助资金" * 400
    assert ids(narrow_tk, text) == full.encode(text).ids and len(full.encode(text).ids) == 512


KEPT = st.sampled_from([chr(c) for lo, hi in RANGES for c in range(lo, hi + 1)])


@settings(max_examples=300, deadline=None)
@given(st.text(KEPT, max_size=80))
def test_kept_script_text_agrees(pair, text):
    narrow_tk, full = pair
    assert ids(narrow_tk, text) == full.encode(text).ids


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_agrees(pair, text):
    narrow_tk, full = pair
    assert ids(narrow_tk, text) == full.encode(text).ids


def test_a_text_of_another_script_goes_to_the_full_tokenizer(pair):
    narrow_tk, full = pair
    fresh = NarrowTokenizer(narrow_tk.folder, 512)
    text = "医疗救助 Медицинская помощь"
    assert not covered(text)
    assert ids(fresh, text) == full.encode(text).ids and fresh._full is not None


def test_the_narrowed_file_keeps_specials_and_the_lowest_score(pair):
    narrow_tk, _ = pair
    folder = narrow_tk.folder
    spec = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    small, keep = narrow(spec)
    vocab = spec["model"]["vocab"]
    assert len(keep) < 0.6 * len(vocab)
    assert min(s for _, s in small["model"]["vocab"]) == min(s for _, s in vocab)
    assert [t["content"] for t in small["added_tokens"]] == [t["content"] for t in spec["added_tokens"]]
    assert all(keep[t["id"]] == old["id"] for t, old in zip(small["added_tokens"], spec["added_tokens"]))
    head = json.loads((folder / NARROW_FILE).read_text(encoding="utf-8").splitlines()[0])
    assert head["ids"] == keep
