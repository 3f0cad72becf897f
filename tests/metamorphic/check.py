"""One variant rendered, extracted and compared; the failure message a parser developer reproduces it from."""

from __future__ import annotations

import json
from pathlib import Path

from .compare import differences
from .layout import PDF
from .pairs import check_pair
from .render import write
from .variants import Variant


def run(v: Variant, folder: Path) -> list[str]:
    """The differences between what ``ingest.pipeline.extract`` reads from the variant and its model."""
    from ingest.pipeline import extract

    if v.family == "pair":
        return check_pair(v.seed, v.medium, v.layout(), folder)
    paths = write(v.seed, v.medium, folder, v.layout())
    want = json.loads(paths["expected"].read_text(encoding="utf-8"))
    return differences(extract(paths["pdf" if v.medium == PDF else "text"]), want)


def message(v: Variant, diffs: list[str], limit: int = 40) -> str:
    """Which variant (its parameters, the command that writes it) and which records differ."""
    params = {k: val for k, val in v.layout().params().items() if k != "medium"}
    shown = diffs[:limit] + ([f"… and {len(diffs) - limit} more"] if len(diffs) > limit else [])
    kind = f"minimal variant ({', '.join(v.changes())})" if v.changes() and not v.drawn else "drawn variant"
    if v.family:
        kind = f"{v.family} {kind}"
    return (f"{v.medium} {kind}, seed {v.seed}, reads differently from its model ({len(diffs)} differences)\n"
            f"  layout: {json.dumps(params, ensure_ascii=False)}\n"
            f"  reproduce: {v.command()}\n    " + "\n    ".join(shown))
