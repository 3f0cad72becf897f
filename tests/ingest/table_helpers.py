"""Helpers for the table-parser tests: seed and fixture contexts, gold files, hand-written blocks."""

from __future__ import annotations

from pathlib import Path

from ingest import tables
from ingest.context import Context
from ingest.layout import Block, Line
from ingest.reader_text import read_text
from ingest.sections import split_blocks, table_role

from helpers import document_path

PROJECT_ROLES = ("projects", "project_form", "dept_performance")


def run_parsers(lines: list[Line], roles, doc_id: str, path: Path | None = None) -> Context:
    """A Context with only the parsers of ``roles`` run over ``lines`` (other parsers are not needed)."""
    ctx = Context(doc_id=doc_id, path=path or Path(doc_id), blocks=split_blocks(lines), lines=lines)
    for block in ctx.blocks:
        if block.role in roles:
            tables.get(block.role)(block, ctx)
    return ctx


def parse_lines(texts: list[str], roles, doc_id: str = "t") -> Context:
    """Run the parsers of ``roles`` over raw export lines (tabs between cells)."""
    lines = [Line(no=i, text=t, cells=t.split("\t") if "\t" in t else [t]) for i, t in enumerate(texts, 1)]
    return run_parsers(lines, roles, doc_id)


def seed_ctx(stem: str, roles=PROJECT_ROLES) -> Context:
    """A seed (shared) or fixture document (tests/fixtures/docs) read with only the parsers of ``roles``."""
    path = document_path(stem)
    return run_parsers(read_text(path), roles, stem, path)


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
