"""What commands print besides plain lines: rows in one of kg's row formats, progress on stderr.

One language per output, chosen here once:

* ``table`` and ``csv`` are for people: Chinese column headers (:data:`HEADERS`) and coded values spelled
  out in Chinese (``budget`` → 预算, ``legal_basis`` → 立项依据; :func:`labelled`);
* ``json`` is for programs: the English machine keys of :data:`HEADERS` and the codes themselves
  (``"phase": "budget"``); Chinese appears only where it is data (names, titles, passages).

Every row is flat: one plain value per column (text, number, or nothing), never a list or a dict.
IRIs are printed as kg returns them.
"""

from __future__ import annotations

import io
import sys

import click

from kg.api import BudgetKG
from kg.types import PHASE_ZH, ROW_FORMATS, SEVERITY_ZH

# machine key (json) → header (table, csv)
HEADERS: dict[str, str] = {
    "doc_id": "文档编号", "source_file": "文件", "title": "标题", "department": "部门", "year": "年度",
    "phase": "阶段", "triples": "三元组数", "name": "项目", "amount": "金额（万元）", "unit": "预算单位",
    "project": "项目 IRI", "law": "政策文件 IRI", "page": "页", "line": "行", "field": "所在栏目", "table": "所在表",
    "direction": "方向", "predicate": "谓词", "value": "值", "graph": "命名图", "source": "出处",
    "rank": "名次", "score": "得分", "subject_label": "对象", "subject_type": "对象类型", "subject": "对象 IRI",
    "text": "段落", "rule": "规则", "severity": "严重程度", "message": "说明", "values": "比较值",
    "subjects": "涉及对象",
}

DIRECTIONS = {"out": "→", "in": "←"}


def _value_label(column: str, value: object) -> object:
    if value is None or not isinstance(value, str):
        return value
    if column == "phase":
        return PHASE_ZH.get(value, value)
    if column == "severity":
        return SEVERITY_ZH.get(value, value)
    if column == "direction":
        return DIRECTIONS.get(value, value)
    if column == "field":
        return BudgetKG.value_label("field", value)
    if column == "subject_type":
        return BudgetKG.value_label("subjectType", value)
    return value


def labelled(rows: list[dict], columns: list[str]) -> tuple[list[dict], list[str]]:
    """``rows`` with Chinese headers and coded values spelled out (table and csv); a column without a
    header (a SPARQL variable) keeps its name."""
    headers = [HEADERS.get(c, c) for c in columns]
    return [{h: _value_label(c, r.get(c)) for c, h in zip(columns, headers)} for r in rows], headers


def emit_rows(rows: list[dict], columns: list[str], fmt: str, base: str, translate: bool = True) -> None:
    """``rows`` (machine keys ``columns``) as a table, CSV or JSON; ``translate=False`` keeps the columns and
    values as they are in every format (a SPARQL result is the user's own)."""
    if fmt != "json" and translate:
        rows, columns = labelled(rows, columns)
    buf = io.StringIO()
    ROW_FORMATS[fmt](rows, columns, buf, base=base)
    click.echo(buf.getvalue(), nl=False)


def note(text: str) -> None:
    """A progress or status line on stderr, never mixed into the records on stdout."""
    click.echo(text, err=True)


def embed_with_bar(kg: BudgetKG, quiet: bool = False) -> int:
    """Embed the queued passages with a tqdm bar on stderr (the slow part of ingest)."""
    from tqdm import tqdm

    todo = kg.pending_embeddings()
    if not todo:
        return 0
    with tqdm(total=todo, unit="段", desc="嵌入段落", disable=quiet, file=sys.stderr, leave=False) as bar:
        return kg.embed(progress=bar.update)
