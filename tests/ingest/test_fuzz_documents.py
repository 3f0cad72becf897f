"""Fuzzed text exports and citation strings never crash ingest (issue 11: hypothesis, reproducible).

Any exception of :func:`ingest.pipeline.extract` other than :class:`IngestError` is a crash.  The documents
come from ``doc_grammar``: real lines of the bundled documents, mutated.  ``derandomize=True`` makes every
run (and CI) try the same examples.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from doc_grammar import ODD_CHARS, document_bytes
from helpers import drawn
from ingest.citations import find_citations, normalize_doc_number, normalize_ref, normalize_title
from ingest.errors import IngestError
from ingest.pipeline import extract
from ingest.records import Extraction

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(examples: int) -> settings:
    """Reproducible settings trying ``examples`` inputs."""
    return settings(FUZZ, max_examples=examples)


@fuzz(drawn(400, 100))
@given(data=document_bytes())
def test_fuzzed_documents_extract_or_fail_with_one_line(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzzed.txt"
    path.write_bytes(data)
    try:
        ex = extract(path)
    except IngestError as exc:
        assert str(exc).startswith("fuzzed.txt") and "\n" not in str(exc)
        return
    assert isinstance(ex, Extraction) and ex.document.doc_id
    assert all(f.severity in ("warning", "error", "info") for f in ex.findings)


# --- citations -------------------------------------------------------------------------------------

CITATION_BITS = ["武政规", "鄂财预发", "国务院令", "财政部令", "第", "号", "根据", "和", "及", "、", "《", "》", "〈", "〉",
                 "关于印发", "的通知", "2016", "２０１６", "1999", "32", "３２", "0", "00000", " ", "\u3000", "\n", "（", "）"]
citation_text = st.lists(st.one_of(st.sampled_from(CITATION_BITS), st.sampled_from(ODD_CHARS + "[]［］【】(){}｛｝〖〗"),
                                   st.text(max_size=6)), max_size=40).map("".join)


def assert_citations_are_canonical(text: str) -> None:
    for c in find_citations(text, field="basis"):
        assert c.field == "basis"
        if c.kind == "doc_number":
            assert normalize_doc_number(c.key) == c.key
            assert normalize_ref(c.key) == ("doc_number", c.key)
        else:
            assert normalize_title(c.key) == c.key
            assert c.doc_number is None or normalize_doc_number(c.doc_number) == c.doc_number


@fuzz(700)
@given(text=citation_text)
@example(text="根据《《关于》》（武政规〔2016〕32号）")  # the cited key is 关于: so must the ref 《《关于》》 be
@example(text="《《《办法》》》")  # was not idempotent: 《《办法》》 → 《办法》 → 办法
def test_fuzzed_citation_text_never_raises_and_keys_are_canonical(text):
    assert_citations_are_canonical(text)
    for key in (normalize_doc_number(text), normalize_title(text)):
        assert isinstance(key, str)
    assert normalize_doc_number(normalize_doc_number(text)) == normalize_doc_number(text)
    assert normalize_title(normalize_title(text)) == normalize_title(text)
    kind, key = normalize_ref(text)
    assert normalize_ref(key) == (kind, key) or kind == "title"


@fuzz(400)
@given(text=st.text(max_size=80))
def test_arbitrary_unicode_citation_text_never_raises(text):
    assert_citations_are_canonical(text)
    assert normalize_doc_number(normalize_doc_number(text)) == normalize_doc_number(text)
    assert normalize_title(normalize_title(text)) == normalize_title(text)
