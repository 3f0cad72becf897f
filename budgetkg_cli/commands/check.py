"""``budgetkg check``: the findings of the stored documents (failed checks with their evidence, reading notes)."""

from __future__ import annotations

import json

import click

from kg.types import SEVERITY_ZH, place_text

from ..options import UserError, format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows

COLUMNS = ["doc_id", "rule", "severity", "page", "message", "values", "subjects"]


@click.command()
@click.argument("doc_ids", nargs=-1, metavar="[DOC]...")
@store_option
@format_option
@click.option("--severity", type=click.Choice(sorted(SEVERITY_ZH)), help="Only findings of this severity.")
@click.option("--rule", "rule_prefix", help="Only rules starting with this (reconcile. for the table checks).")
@user_errors
@with_settings
def check(doc_ids, settings, fmt, severity, rule_prefix):
    """List the findings of the stored documents (all, or the DOC ids given): rule, severity, message, page,
    the values compared with where each was printed, and what they concern.

    json gives one object per finding with its values (label, amount, page, snippet; a sum: its terms) and
    subjects; table and csv give one row per finding, its values joined in one cell.

    \b
    Example:
        budgetkg check
        budgetkg check e89d211dea500184 --rule reconcile. --format json
    """
    kg = open_kg(settings)
    known = {d.doc_id for d in kg.documents()}
    missing = [d for d in doc_ids if d not in known]
    if missing:
        raise UserError(f"知识库中没有文档 {'、'.join(missing)}")
    found = kg.findings(doc_ids or None, severity=severity, rule_prefix=rule_prefix)
    if fmt == "json":
        return click.echo(json.dumps([f.as_dict() for f in found], ensure_ascii=False, indent=2))
    if not found and fmt == "table":
        return click.echo("没有发现问题")
    emit_rows([_row(f) for f in found], COLUMNS, fmt, kg.base)


def _value_text(v) -> str:
    """``label：1,152.46 万元（第 3 页第 428 行）``; a sum with its terms' count."""
    notes = [place_text(v.page, v.line), f"{len(v.terms)} 项之和" if v.terms else ""]
    notes = "，".join(n for n in notes if n)
    return f"{v.label}：{v.quantity}{f'（{notes}）' if notes else ''}"


def _row(f) -> dict:
    """One flat row per finding: its values and subjects joined by ``；``."""
    return {"doc_id": f.doc_id, "rule": f.rule, "severity": f.severity, "page": f.page, "message": f.message,
            "values": "；".join(_value_text(v) for v in f.values),
            "subjects": "；".join(s.label or s.iri for s in f.subjects)}
