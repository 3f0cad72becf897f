"""Document metadata and the document-wide facts stated in prose.

:func:`read_document` gives the :class:`~ingest.records.Document` (title, full department name voted across
the places that name it, short names, region, year, phase, scope (部门/单位), the unit of a 单位预算, contact
phone) and, as side effects on the context: units and offices from the 单位构成 list, staffing from the 人员情况
sentences, and totals the tables did not give.  One module per concern: :mod:`.title`, :mod:`.names`,
:mod:`.contact`, :mod:`.staffing`, :mod:`.composition`, :mod:`.totals`; where each field is printed:
:mod:`.sources`.
"""

from __future__ import annotations

from dataclasses import replace

from ..context import Context
from ..paragraphs import all_paragraphs
from ..records import BUDGET, Document, Rule
from .composition import add_composition
from .contact import contact_phone
from .names import budget_unit, cell_texts, department_name, find_short_names, split_region
from .sources import document_sources
from .staffing import staffing_from
from .title import find_title, scope, title_lines, title_text, year_phase
from .totals import prose_totals

__all__ = ["RULES", "read_document"]

RULES = (
    Rule("document.no_department", "reading", "warning", "没有一行写明部门名称"),
    Rule("document.no_year", "reading", "warning", "标题没有写明预算年度"),
)


def read_document(ctx: Context) -> Document:
    """Document metadata; also adds narrative units/offices, staffing and prose totals to ``ctx``."""
    title_line = find_title(ctx)
    title = title_text(ctx, title_line)
    department = department_name(ctx)
    if not department:
        ctx.warn("document.no_department", ctx.prov(title_line) if title_line else None)
    region, _ = split_region(department)
    year, phase = year_phase(title)
    if year is None or phase is None:
        head = " ".join(p.text for p in all_paragraphs(ctx)[:20])
        y, ph = year_phase(head)
        year, phase = year or y, phase or ph
    if year is None:
        ctx.warn("document.no_year", ctx.prov(title_line) if title_line else None)
    add_composition(ctx, department)
    if ctx.staffing is None:
        ctx.staffing = staffing_from(ctx)
    prose_totals(ctx)
    doc = Document(
        doc_id=ctx.doc_id,
        path=str(ctx.path),
        title=title,
        department=department,
        short_names=find_short_names(cell_texts(ctx), department) if department else (),
        region=region,
        year=year,
        phase=phase or BUDGET,
        scope=scope(title),
        budget_unit=budget_unit(ctx),
        contact_phone=contact_phone(ctx),
        provenance=ctx.prov(title_line) if title_line else None,
    )
    return replace(doc, field_sources=document_sources(ctx, doc, title_lines(ctx, title_line)))
