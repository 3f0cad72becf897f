"""Score extractions against hand-made gold annotations (no RDF).

:func:`~.gold.extraction_to_gold` writes an :class:`~ingest.records.Extraction` in the gold schema
(``shared/eval/gold/README.md``); :func:`~.score.score` compares two such dicts kind by kind, after
:func:`~.match.match_projects` pairs their projects; :func:`~.files.evaluate_files` finds each gold file's
document, extracts it and scores it into an :class:`~.report.EvalReport`.

Comparison rules:

- names, aliases and indicator fields: all whitespace removed (a trailing ``.``
  dropped from project names);
- money: equal to the cent;
- predicted projects are matched one-to-one to gold projects when any of their
  names or aliases agree, and citations and indicators are then counted per
  matched gold project, so a project found under an alias still scores;
- line items and indicators are multisets: a row printed twice must be read twice.
"""

from __future__ import annotations

from .files import evaluate_files, find_document, find_shared
from .gold import ANNOTATION_ONLY_KEYS, extraction_to_gold
from .match import match_projects
from .report import DocResult, EvalReport
from .score import KINDS, THRESHOLDS, KindScore, score

__all__ = [
    "ANNOTATION_ONLY_KEYS", "KINDS", "THRESHOLDS", "DocResult", "EvalReport", "KindScore", "evaluate_files",
    "extraction_to_gold", "find_document", "find_shared", "match_projects", "score",
]
