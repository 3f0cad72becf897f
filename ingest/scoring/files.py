"""Gold files to scores: find each gold file's document, extract it, score it into an :class:`EvalReport`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from .. import pipeline
from .gold import extraction_to_gold
from .report import DocResult, EvalReport
from .score import score


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def find_shared(start: Path | None = None) -> Path | None:
    """The shared data folder (``seeds/``, ``eval/gold/``): ``$BUDGETKG_SHARED``, else the first
    ``shared/`` holding ``seeds/`` in ``start`` (default: the repository root) or one of its parents."""
    env = os.environ.get("BUDGETKG_SHARED")
    if env:
        return Path(env)
    start = (start or Path(__file__).resolve().parents[2]).resolve()
    return next((d / "shared" for d in [start, *start.parents] if (d / "shared" / "seeds").is_dir()), None)


def _doc_candidates(gold_path: Path, source: str | None) -> list[Path]:
    """Where a gold file's document may be: same stem beside it, in ../docs, ../seeds, ../../seeds, the shared
    seeds and pdfs, or as named."""
    here = gold_path.parent
    folders = [here, here.parent / "docs", here.parent / "seeds", here.parent.parent / "seeds"]
    shared = find_shared()
    if shared is not None:
        folders += [shared / "seeds", shared / "pdfs"]
    names = [Path(source).name] if source else []
    stems = _unique([Path(source).stem] if source else []) + [gold_path.stem]
    names += [stem + suffix for stem in _unique(stems) for suffix in pipeline.SUFFIXES]
    out = [folder / name for folder in folders for name in _unique(names)]
    if source:
        out.append((here / source).resolve())
    return [p for p in out if p != gold_path]


def find_document(gold_path: Path, gold: dict) -> Path | None:
    """The document a gold file annotates, or ``None`` when none of the usual places has it."""
    return next((p for p in _doc_candidates(gold_path, gold.get("source")) if p.is_file()), None)


def _pair_docs(gold_paths: list[Path], golds: list[dict], doc_paths: list[Path]) -> list[Path | None]:
    if len(gold_paths) == 1 and len(doc_paths) == 1:
        return [doc_paths[0]]
    by_stem = {p.stem: p for p in doc_paths}
    return [
        by_stem.get(g.stem) or by_stem.get(Path(d.get("source") or "").stem)
        for g, d in zip(gold_paths, golds)
    ]


def evaluate_files(gold_paths: list[Path], doc_paths: list[Path] | None = None) -> EvalReport:
    """Extract the document of each gold file and score it; a document that fails is reported, not raised."""
    gold_paths = [Path(p) for p in gold_paths]
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in gold_paths]
    if doc_paths is not None:
        docs = _pair_docs(gold_paths, golds, [Path(p) for p in doc_paths])
    else:
        docs = [find_document(p, g) for p, g in zip(gold_paths, golds)]
    report = EvalReport()
    for gold_path, gold, doc in zip(gold_paths, golds, docs):
        result = DocResult(str(gold_path), str(doc) if doc else None)
        report.results.append(result)
        if doc is None:
            result.error = f"no document found for {gold.get('source') or gold_path.stem}"
            continue
        try:
            got = extraction_to_gold(pipeline.extract(doc))
        except Exception as exc:  # noqa: BLE001 - one bad document must not hide the others' scores
            result.error = f"{type(exc).__name__}: {exc}"
            continue
        result.scores = score(gold, got)
    return report
