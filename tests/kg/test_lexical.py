"""Chinese BM25 (kg.search.lexical): jieba tokens with the budget dictionary, per-document add/delete, persistence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.search import dictionary
from kg.search.lexical import (LexicalIndex, allowed_scores, dictionary_words, new_tokenizer, normalise, query_words,
                               tokenize)


def test_tokens_drop_punctuation_and_add_bigrams():
    tokens = tokenize("按照2019年岗平工资，每月发放。", new_tokenizer())
    assert "，" not in tokens and "。" not in tokens
    assert "岗平" in tokens  # jieba reads 年岗平: its bigrams still meet a query for 岗平工资
    assert "2019" in tokens


def test_user_dictionary_keeps_budget_terms_whole():
    plain = tokenize("伤残军人医疗经费", new_tokenizer())
    with_dict = tokenize("伤残军人医疗经费", new_tokenizer(dictionary_words(["伤残军人医疗经费"])))
    assert "伤残军人医疗经费" not in plain
    assert "伤残军人医疗经费" in with_dict


def test_dictionary_words_are_normalised():
    assert dictionary_words(["后勤服务支出（物业费）", " 物 业 ", "x", None]) == ["后勤服务支出(物业费)", "物业"]


def test_add_search_delete_and_reload(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_words(["医疗救助"])
    lex.add_document("a", [("a/1", "城乡医疗救助：对重点救助对象实施重特大疾病医疗救助"), ("a/2", "物业管理费")])
    lex.add_document("b", [("b/1", "统筹和组织实施医疗救助工作经费"), ("b/2", "在职人员体检费")])
    assert len(lex) == 4
    hits = lex.search("医疗救助", k=10)
    assert [iri for iri, _ in hits][:2] == ["a/1", "b/1"] or {iri for iri, _ in hits[:2]} == {"a/1", "b/1"}
    assert all(score > 0 for _, score in hits)
    assert [iri for iri, _ in lex.search("医疗救助", allowed={"b/1", "b/2"})] == ["b/1"]
    assert lex.search("医疗救助", allowed=set()) == []
    assert lex.search("完全无关的词语xyz") == []

    again = LexicalIndex(tmp_path / "lex")  # from disk
    assert again.documents() == {"a", "b"} and "医疗救助" in again.words
    assert [i for i, _ in again.search("体检")] == ["b/2"]

    assert again.delete_document("a") and not again.delete_document("a")
    assert len(again) == 2 and all(iri.startswith("b/") for iri in again.iris())
    again.add_document("b", [("b/1", "统筹和组织实施医疗救助工作经费")])  # replace: no leftovers
    assert again.iris() == ["b/1"]
    assert LexicalIndex(tmp_path / "lex").iris() == ["b/1"]


def test_searching_a_stored_index_does_not_read_its_tokens(tmp_path, monkeypatch):
    """Opening a saved index and searching it read the matrix and its state only: the tokens (a gigabyte at 1M
    passages) are read at the first write, and an index saved before the state listed its documents reads
    them to say which it holds."""
    import json

    lex = LexicalIndex(tmp_path / "lex")
    lex.add_document("a", [("a/1", "城乡医疗救助经费"), ("a/2", "物业管理费")])
    lex.add_document("b", [("b/1", "在职人员体检费")])
    reads = []
    read = LexicalIndex._read_tokens
    monkeypatch.setattr(LexicalIndex, "_read_tokens", lambda self: (reads.append(1), read(self))[1])
    again = LexicalIndex(tmp_path / "lex")
    assert again.documents() == {"a", "b"} and [i for i, _ in again.search("体检")] == ["b/1"] and reads == []
    again.add_document("c", [("c/1", "办公楼物业费")])  # a write reads them
    assert reads == [1] and again.documents() == {"a", "b", "c"}
    assert {i for i, _ in LexicalIndex(tmp_path / "lex").search("物业")} == {"a/2", "c/1"}
    state = tmp_path / "lex" / "bm25" / "state.json"
    saved = json.loads(state.read_text(encoding="utf-8"))
    del saved["documents"]  # as an older version saved it
    state.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    older = LexicalIndex(tmp_path / "lex")
    assert older.documents() == {"a", "b", "c"} and reads == [1, 1]
    assert {i for i, _ in older.search("物业")} == {"a/2", "c/1"}


def test_new_words_retokenise_only_what_holds_them(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_document("a", [("a/1", "保优离医疗经费支出"), ("a/2", "物业管理费")])
    before = [row[2] for row in lex.docs["a"]]
    assert lex.add_words(["保优离医疗经费"]) == ["保优离医疗经费"]
    after = [row[2] for row in lex.docs["a"]]
    assert "保优离医疗经费" in after[0] and after[1] == before[1]
    assert lex.add_words(["保优离医疗经费"]) == []


# --- queries cut from the dictionary's table (kg.search.dictionary) ---

WORDS = dictionary_words(["伤残军人医疗经费", "城乡医疗救助", "统筹和组织实施医疗救助工作经费", "保优离医疗经费"])
QUERY_CHARS = "医疗救助伤残军人经费城乡统筹和组织实施工作保优离预算决算年万元项目支出收入合计一般公共财政拨款" \
              "武政规〔〕【】()（）2016３２号abcXYZ ，。、%．.-"


@pytest.fixture(scope="module")
def full_and_table(tmp_path_factory):
    table = tmp_path_factory.mktemp("dict") / "dictionary.sqlite"
    full = new_tokenizer(WORDS)
    dictionary.write(table, full, WORDS)
    return full, table


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(QUERY_CHARS), max_size=40))
def test_a_query_is_cut_from_the_table_as_by_the_full_dictionary(full_and_table, query):
    full, table = full_and_table
    tk = dictionary.query_tokenizer(table, normalise(query), WORDS)
    assert len(tk.FREQ) < 2000  # only the query's own substrings
    assert tokenize(query, tk) == tokenize(query, full)
    assert query_words(query, tk) == query_words(query, full)


def test_a_table_of_other_words_is_not_used(full_and_table):
    _, table = full_and_table
    assert dictionary.query_tokenizer(table, "医疗救助", WORDS[:-1]) is None
    assert dictionary.query_tokenizer(table.with_name("missing.sqlite"), "医疗救助", WORDS) is None


def test_searching_a_stored_index_never_loads_the_main_dictionary(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_words(["城乡医疗救助"])
    lex.add_document("a", [("a/1", "城乡医疗救助：对重点救助对象实施重特大疾病医疗救助"), ("a/2", "物业管理费")])
    again = LexicalIndex(tmp_path / "lex")
    assert [iri for iri, _ in again.search("城乡医疗救助")] == ["a/1"]
    assert again.query_words("城乡医疗救助资金") == query_words("城乡医疗救助资金", lex.tk)
    assert "tk" not in again.__dict__  # the full tokenizer was never built

    (tmp_path / "lex" / "dictionary.sqlite").write_bytes(b"not a database")  # damaged: the full one, then rewritten
    third = LexicalIndex(tmp_path / "lex")
    assert [iri for iri, _ in third.search("城乡医疗救助")] == ["a/1"] and "tk" in third.__dict__
    assert dictionary.query_tokenizer(tmp_path / "lex" / "dictionary.sqlite", "城乡医疗救助", third.words) is not None


def test_new_words_update_the_table_as_a_new_table_would_be(tmp_path):
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_words(["城乡医疗救助"])
    lex.add_words(["伤残军人医疗经费", "统筹和组织实施医疗救助工作经费"])  # the table updated in place
    fresh = tmp_path / "fresh.sqlite"
    dictionary.write(fresh, new_tokenizer(lex.words), lex.words)
    for query in ("伤残军人医疗经费和城乡医疗救助", "统筹和组织实施医疗救助工作经费 2026", "医疗救助"):
        text = normalise(query)
        a = dictionary.query_tokenizer(tmp_path / "lex" / "dictionary.sqlite", text, lex.words)
        b = dictionary.query_tokenizer(fresh, text, lex.words)
        assert (a.FREQ, a.total) == (b.FREQ, b.total)
        assert tokenize(query, a) == tokenize(query, lex.tk)


def test_a_search_with_old_words_does_not_write_over_a_newer_table(tmp_path):
    """Another process added words (and updated the table) since this index was opened: cut with the full
    tokenizer, and leave the newer table alone."""
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_words(["城乡医疗救助"])
    old = LexicalIndex(tmp_path / "lex")
    LexicalIndex(tmp_path / "lex").add_words(["伤残军人医疗经费"])  # the other process
    table = tmp_path / "lex" / "dictionary.sqlite"
    before = table.stat().st_mtime_ns, table.stat().st_ino
    assert tokenize("城乡医疗救助", old.query_tokenizer("城乡医疗救助")) == tokenize("城乡医疗救助", old.tk)
    assert (table.stat().st_mtime_ns, table.stat().st_ino) == before
    assert dictionary.query_tokenizer(table, "伤残军人医疗经费", dictionary_words(["城乡医疗救助", "伤残军人医疗经费"]))


def test_a_filtered_search_scores_only_the_allowed_rows_as_bm25s_would(tmp_path):
    """BM25 over the allowed runs of rows only (kg.search.lexical.allowed_scores) gives bm25s' own scores
    of those rows, masked after: the same rows, the same float32 sums, equal scores in row order."""
    import random

    import numpy as np

    rng = random.Random(3)
    words = ["医疗救助", "资金", "项目", "三公经费", "公用经费", "教育", "培训", "会议", "体检", "物业管理"]
    lex = LexicalIndex(tmp_path / "lex")
    lex.add_words(words)
    lex.add_documents({f"d{d}": [(f"d{d}/{i}", "，".join(rng.choices(words, k=rng.randint(1, 6))))
                                 for i in range(rng.randint(5, 40))] for d in range(30)})
    n = len(lex)
    for query in ("医疗救助资金", "三公经费和会议", "项目", "物业管理体检培训"):
        for _ in range(8):
            mask = np.zeros(n, bool)
            for _ in range(rng.randint(0, 6)):  # a few runs of rows, as a filter's documents give
                a = rng.randrange(n)
                mask[a:a + rng.randint(1, 60)] = True
            scores = lex._bm25.get_scores([t for t in tokenize(query, lex.tk) if t in lex._bm25.vocab_dict],
                                          weight_mask=mask.astype(np.float32))
            rows = sorted(np.flatnonzero(scores > 0), key=lambda r: (-scores[r], r))[:15]
            assert lex.search(query, 15, mask) == [(lex.iris()[r], float(scores[r])) for r in rows]
            ids = lex._bm25.get_tokens_ids([t for t in tokenize(query, lex.tk) if t in lex._bm25.vocab_dict])
            found, sums = allowed_scores(lex._bm25, ids, mask)  # (whatever share of the rows is allowed)
            assert found.tolist() == np.flatnonzero(scores > 0).tolist() and sums.tolist() == scores[found].tolist()
            allowed = {lex.iris()[r] for r in np.flatnonzero(mask)}
            assert lex.search(query, 15, allowed) == lex.search(query, 15, mask)


def test_postings_are_sorted_by_row_whatever_order_they_came_in(tmp_path):
    import numpy as np

    from kg.search.lexical import sort_postings

    lex = LexicalIndex(tmp_path / "lex")
    lex.add_documents({"a": [(f"a/{i}", "医疗救助资金" if i % 2 else "会议费") for i in range(20)]})
    before = lex.search("医疗救助", 10, np.ones(20, bool))
    scores = lex._bm25.scores
    lo, hi = int(scores["indptr"][0]), int(scores["indptr"][1])
    order = np.arange(lo, hi)[::-1]  # one column reversed
    scores["indices"][lo:hi], scores["data"][lo:hi] = scores["indices"][order], scores["data"][order]
    sort_postings(lex._bm25)
    assert all(np.all(np.diff(scores["indices"][a:b]) > 0) for a, b in zip(scores["indptr"][:-1], scores["indptr"][1:]))
    assert lex.search("医疗救助", 10, np.ones(20, bool)) == before
