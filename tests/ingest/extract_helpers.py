"""Helpers for tests that extract a hand-written text export: write it, extract it, pick one finding."""

from __future__ import annotations

from ingest.pipeline import extract
from ingest.records import Extraction, Finding


def extract_lines(tmp_path, lines: list[str], name: str = "doc.txt") -> Extraction:
    """Extract the text export whose lines (tabs between cells) are ``lines``."""
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def the_finding(ex: Extraction, rule: str) -> Finding:
    """The one finding of ``rule`` (the test fails when there is none or more than one)."""
    [finding] = [f for f in ex.findings if f.rule == rule]
    return finding
