"""The variants the suite runs: seeds per medium (text exports and PDFs), fixed so that CI is deterministic."""

from __future__ import annotations

from .layout import PDF, TEXT

TEXT_SEEDS = tuple(range(0, 200))
PDF_SEEDS = tuple(range(1000, 1050))
VARIANTS = tuple((TEXT, s) for s in TEXT_SEEDS) + tuple((PDF, s) for s in PDF_SEEDS)
