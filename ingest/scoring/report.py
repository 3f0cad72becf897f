"""The scores of a run of gold files: per-document results, threshold failures, the plain-text table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .score import THRESHOLDS, KindScore


@dataclass
class DocResult:
    """The scores of one gold file, or why it could not be scored."""

    gold: str
    document: str | None
    scores: list[KindScore] = field(default_factory=list)
    error: str | None = None

    @property
    def name(self) -> str:
        return Path(self.document or self.gold).name


@dataclass
class EvalReport:
    """The results of one run over gold files."""

    results: list[DocResult] = field(default_factory=list)

    def failures(self, thresholds: dict[str, float] | None = None) -> list[str]:
        """One line per document error and per (document, kind) below its threshold."""
        thresholds = THRESHOLDS if thresholds is None else thresholds
        out = [f"{r.name}: {r.error}" for r in self.results if r.error]
        for r in self.results:
            for s in r.scores:
                if s.kind in thresholds and s.value < thresholds[s.kind]:
                    out.append(f"{r.name}: {s.kind} {s.value:.3f} < {thresholds[s.kind]:.2f}")
        return out

    def ok(self, thresholds: dict[str, float] | None = None) -> bool:
        """Every document scored and every thresholded kind at or above its threshold, per document."""
        return bool(self.results) and not self.failures(thresholds)

    def as_dict(self) -> dict:
        return {
            "documents": [
                {"gold": r.gold, "document": r.document, "error": r.error,
                 "scores": {s.kind: asdict(s) for s in r.scores}}
                for r in self.results
            ],
            "thresholds": dict(THRESHOLDS),
            "ok": self.ok(),
        }

    def format_table(self) -> str:
        """Plain text: one row per (document, kind); project_amounts shows accuracy in P/R/F1."""
        header = ("document", "kind", "P", "R", "F1  ", "tp", "fp", "fn", "note")
        rows = []
        for r in self.results:
            if r.error:
                rows.append((r.name, "ERROR", "", "", "", "", "", "", r.error))
            for s in r.scores:
                mark = " *" if s.kind in THRESHOLDS and s.value < THRESHOLDS[s.kind] else "  "
                rows.append((r.name, s.kind, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}{mark}",
                             str(s.tp), str(s.fp), str(s.fn), s.note))
        widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        right = {2, 3, 4, 5, 6, 7}

        def fmt(row: tuple) -> str:
            cells = [_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths))]
            return "  ".join(cells + [row[-1]]).rstrip()

        lines = [fmt(header), fmt(tuple("-" * w for w in widths) + ("",))] + [fmt(row) for row in rows]
        failures = self.failures()
        lines.append("")
        lines.append("OK: every threshold met" if self.ok() else
                     f"NOT OK ({len(failures)}; * = below threshold): " + "; ".join(failures or ["no documents"]))
        return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap
