"""What the tests share: the repository's paths, the shared data folder, gold files, document contexts.

``SHARED`` is ``$BUDGETKG_SHARED``, else the first ``shared/`` holding ``seeds/`` at or above the repository
(CI clones the repository with it beside); tests that need it are marked ``needs_shared`` / ``needs_pdfs``
and skip without it, except under CI, where ``tests/test_eval_thresholds.py`` requires it.
Tests that take long (benchmarks, the browser, the shared PDFs) are marked ``slow``: ``-m 'not slow'`` leaves them out.
``BUDGETKG_TESTS=quick`` (CI, on 2 cores within its 20 minutes) draws fewer generated inputs (:func:`drawn`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

from ingest.context import Context
from ingest.reader_text import read_text
from ingest.scoring import find_shared
from ingest.sections import split_blocks

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))  # the two bundled disclosures
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_DOCS = sorted((FIXTURES / "docs").glob("*.txt"))  # documents of our own in other layouts
FIXTURE_GOLD = FIXTURES / "gold"
MULTIYEAR = FIXTURES / "multiyear"  # one department over three years and a 决算, a unit and a second department
MULTIYEAR_DOCS = sorted(MULTIYEAR.glob("*.txt"))
PDF_GOLD = FIXTURES / "gold_pdfs"  # hand-checked gold of the five shared PDFs
OWN_QUERIES = FIXTURES / "queries_extra.jsonl"
SEEDS = ("000_dc10eef729309141", "001_c082f6ab8c9dd51c")  # the shared seeds, by stem
FIXTURE_STEMS = tuple(p.stem for p in FIXTURE_DOCS)

SHARED = find_shared(ROOT)
SHARED_PDFS = SHARED / "pdfs" if SHARED else ROOT / "nonexistent"
SHARED_GOLD_FILES = sorted((SHARED / "eval" / "gold").glob("*.json")) if SHARED else []
SHARED_QUERIES = SHARED / "eval" / "queries.jsonl" if SHARED else ROOT / "nonexistent"

# ``BUDGETKG_TESTS=quick``: the generated inputs (metamorphic variants, fuzzed documents) are a reproducible subset
QUICK = os.environ.get("BUDGETKG_TESTS", "") == "quick"


def drawn(full: int, quick: int) -> int:
    """How many generated inputs a test tries: ``full``, or ``quick`` under ``BUDGETKG_TESTS=quick``."""
    return quick if QUICK else full


needs_shared = pytest.mark.skipif(SHARED is None, reason="shared/ not found (set BUDGETKG_SHARED)")


@cache
def _reader_version() -> str:
    """A digest of everything an extraction depends on: ingest's code and the code lists it reads."""
    h = hashlib.sha256()
    for f in sorted([*(ROOT / "ingest").rglob("*.py"), *(ROOT / "ontology").rglob("*.ttl")]):
        h.update(f.relative_to(ROOT).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


@cache
def extracted(path: Path):
    """``ingest.pipeline.extract(path)`` (no similarity), once per run for all test processes: the xdist
    workers share a cache on disk keyed by the file's bytes and :func:`_reader_version` (written atomically),
    so the seeds and the shared PDFs that many test files read are extracted once.  Treat it as read-only."""
    from ingest.pipeline import extract

    path = Path(path)
    folder = Path(tempfile.gettempdir()) / "budgetkg-test-extractions" / _reader_version()
    kept = folder / (hashlib.sha256(path.read_bytes()).hexdigest()[:24] + ".pickle")
    if kept.is_file():
        return pickle.loads(kept.read_bytes())
    ex = extract(path)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(ex, out)
    os.replace(tmp, kept)
    return ex


def needs_pdfs(test):
    """A test that reads the shared PDFs: skipped without them, and marked ``slow``."""
    return pytest.mark.slow(pytest.mark.skipif(not SHARED_PDFS.is_dir(), reason="shared/pdfs not present")(test))


def load_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def gold(stem: str) -> dict:
    """The gold file of a fixture (tests/fixtures/gold) or of a seed (shared); skips without it."""
    for folder in (FIXTURE_GOLD, SHARED / "eval" / "gold" if SHARED else None):
        if folder is not None and (folder / f"{stem}.json").is_file():
            return load_json(folder / f"{stem}.json")
    pytest.skip(f"no gold file for {stem} (set BUDGETKG_SHARED)")


def document_path(stem: str) -> Path:
    """A fixture document (tests/fixtures/docs) or a seed (shared); skips without it."""
    for path in (FIXTURES / "docs" / f"{stem}.txt", SHARED / "seeds" / f"{stem}.txt" if SHARED else None):
        if path is not None and path.is_file():
            return path
    pytest.skip(f"document {stem} not available (set BUDGETKG_SHARED)")


def context(path: Path, doc_id: str = "test") -> Context:
    """A text export read and cut into blocks, before any parser ran."""
    lines = read_text(path)
    return Context(doc_id=doc_id, path=path, blocks=split_blocks(lines), lines=lines)


def budget_disclosure(title: str, unit: str, income: str) -> str:
    """A budget disclosure as a text export: its title, who fills it in and its 收支总表."""
    return "\n".join([
        f"# {title}", "", "武汉市某区民政局 2025 年部门收支总表（表 1）", "", f"单位名称：{unit}", "", "金额单位：万元", "",
        "收 入\t\t支 出\t",
        "项目\t预算数\t项目（按功能分类）\t预算数",
        f"一、财政拨款收入\t{income}\t208 社会保障和就业支出\t{income}",
        f"本年收入合计\t{income}\t本年支出合计\t{income}",
        f"收入总计\t{income}\t支出总计\t{income}", ""])


@contextmanager
def plain_main():
    """``__main__`` a plain module for the block: Dask spawns its workers by re-running the parent's main
    script, and Streamlit's AppTest (run earlier in the same pytest worker) leaves its page script there."""
    import sys
    import types

    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved
