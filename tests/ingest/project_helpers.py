"""Helpers for the project tests: seed contexts, gold files, hand-written blocks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest import tables
from ingest.context import Context
from ingest.layout import Block, Line
from ingest.reader_text import read_text
from ingest.sections import split_blocks, table_role

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("000_dc10eef729309141", "001_c082f6ab8c9dd51c")
PROJECT_ROLES = ("projects", "project_form", "dept_performance")


def shared_dir() -> Path | None:
    """``$BUDGETKG_SHARED``, else the first ``shared/`` with seeds at or above the repository."""
    env = os.environ.get("BUDGETKG_SHARED")
    candidates = [Path(env)] if env else [d / "shared" for d in [ROOT, *ROOT.parents]]
    return next((c for c in candidates if (c / "seeds").is_dir()), None)


def seed_ctx(stem: str, roles=PROJECT_ROLES) -> Context:
    """A Context with only the project parsers run over a seed (other parsers are not needed)."""
    shared = shared_dir()
    if shared is None:
        pytest.skip("seed documents not available")
    path = shared / "seeds" / f"{stem}.txt"
    lines = read_text(path)
    ctx = Context(doc_id=stem, path=path, blocks=split_blocks(lines), lines=lines)
    for block in ctx.blocks:
        if block.role in roles:
            tables.get(block.role)(block, ctx)
    return ctx


def gold(stem: str) -> dict:
    shared = shared_dir()
    if shared is None:
        pytest.skip("gold annotations not available")
    return json.loads((shared / "eval" / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def block_of(title: str, rows: list[str]) -> Block:
    """A block from a title and tab-separated rows (a hand-written table)."""
    lines = [Line(1, title, [title])]
    for no, text in enumerate(rows, start=2):
        lines.append(Line(no, text, text.split("\t") if "\t" in text else [text]))
    return Block(title=title, role=table_role(title) or "narrative", lines=lines)


def empty_ctx() -> Context:
    return Context(doc_id="test", path=Path("test.txt"), blocks=[], lines=[])


def f1(pred, gold_) -> float:
    pred, gold_ = set(pred), set(gold_)
    tp = len(pred & gold_)
    return 2 * tp / (len(pred) + len(gold_)) if pred or gold_ else 1.0
