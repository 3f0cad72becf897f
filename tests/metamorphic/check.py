"""One variant rendered, extracted and compared; the failure message a parser developer reproduces it from."""

from __future__ import annotations

import json
from pathlib import Path

from .compare import differences
from .render import command, variant, write


def run(seed: int, medium: str, folder: Path) -> list[str]:
    """The differences between what ``ingest.pipeline.extract`` reads from the variant and the model."""
    from ingest.pipeline import extract

    paths = write(seed, medium, folder)
    want = json.loads(paths["expected"].read_text(encoding="utf-8"))
    return differences(extract(paths["pdf" if medium == "pdf" else "text"]), want)


def message(seed: int, medium: str, diffs: list[str], limit: int = 40) -> str:
    """Which variant (its parameters, the command that writes it) and which records differ."""
    _, lay = variant(seed, medium)
    changed = {k: v for k, v in lay.params().items() if k != "medium"}
    shown = diffs[:limit] + ([f"… and {len(diffs) - limit} more"] if len(diffs) > limit else [])
    return (f"{medium} variant seed {seed} reads differently from its model ({len(diffs)} differences)\n"
            f"  layout: {json.dumps(changed, ensure_ascii=False)}\n"
            f"  reproduce: {command(seed, medium)}\n    " + "\n    ".join(shown))
