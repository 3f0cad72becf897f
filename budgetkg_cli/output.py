"""What commands print besides plain lines: rows in one of kg's row formats, progress bars on stderr."""

from __future__ import annotations

import io
import sys

import click

from kg.api import BudgetKG
from kg.types import ROW_FORMATS


def emit_rows(rows: list[dict], columns: list[str], fmt: str, base: str) -> None:
    """``rows`` as a table, CSV or JSON (IRIs under ``base`` shown as ``kg:…`` in the table)."""
    buf = io.StringIO()
    ROW_FORMATS[fmt](rows, columns, buf, base=base)
    click.echo(buf.getvalue(), nl=False)


def embed_with_bar(kg: BudgetKG, quiet: bool = False) -> int:
    """Embed the queued passages with a tqdm bar on stderr (the slow part of ingest)."""
    from tqdm import tqdm

    todo = kg.pending_embeddings()
    if not todo:
        return 0
    with tqdm(total=todo, unit="passage", desc="embedding", disable=quiet, file=sys.stderr, leave=False) as bar:
        return kg.embed(progress=bar.update)
