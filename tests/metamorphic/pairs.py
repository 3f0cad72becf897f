"""A 部门预算 and a 单位预算 of the same department, year and phase: two documents, two budgets.

Both are rendered from one seed (the unit's model is the same department's with one unit and amounts of its
own); each must read as its own model, and ingested into one store (``kg.api.BudgetKG``, public methods only)
they must stay two budget entities, each with one ``income_total``, its own.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from .compare import differences
from .layout import PDF, Layout
from .model import DEPARTMENT
from .render import write

INCOME_TOTAL = "/total/income_total"
STORE = "store: "  # how a difference of the store (not of either document's records) starts


def _amounts(kg, iri: str) -> list[Decimal]:
    """The numeric values the entity ``iri`` states (a total node's amount)."""
    out = []
    for _, value, _ in kg.entity(iri).outgoing:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            out.append(Decimal(str(value)))
    return out


def store_differences(extractions: dict[str, object], wants: dict[str, dict], folder: Path) -> list[str]:
    """Both extractions ingested into one fresh store: which budget entities and income totals differ from
    the models (``wants`` by scope)."""
    from kg.api import BudgetKG

    kg = BudgetKG.open(folder / "store")
    try:
        for ex in extractions.values():
            kg.ingest_extraction(ex)
        refs = {r.doc_id: r for r in kg.budgets()}
        out = []
        iris = {scope: refs.get(ex.document.doc_id) for scope, ex in extractions.items()}
        if len(refs) != 2 or len({r.iri for r in iris.values() if r}) != 2:
            found = sorted({_decoded(r.iri) for r in refs.values()})
            out.append(f"{STORE}expected two budget entities (部门 and 单位), got {len(found)}: {', '.join(found)}")
        for scope, ref in iris.items():
            want = Decimal(str(wants[scope]["totals"]["income_total"])).quantize(Decimal("0.000001"))
            if ref is None:
                out.append(f"{STORE}no budget entity for the {scope} document")
                continue
            nodes = [v for p, v, _ in kg.entity(ref.iri).outgoing if isinstance(v, str) and v.endswith(INCOME_TOTAL)]
            got = sorted({a.quantize(Decimal("0.000001")) for n in nodes for a in _amounts(kg, n)})
            if got != [want]:
                out.append(f"{STORE}{scope} budget income_total: expected [{want}], got {[str(g) for g in got]}")
            unit = wants[scope]["document"].get("budget_unit")
            if unit and unit not in json.dumps([o[1] for o in kg.entity(ref.iri).outgoing], ensure_ascii=False) \
                    and unit not in _decoded(ref.iri):
                out.append(f"{STORE}the unit budget does not name its unit {unit!r} ({_decoded(ref.iri)})")
        return out
    finally:
        kg.close()


def _decoded(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri)


def check_pair(seed: int, medium: str, layout: Layout, folder: Path, extract_only: bool = False) -> list[str]:
    """Write the unit document (``layout``) and the department document (the same with scope=department);
    unless ``extract_only``, every difference of either from its model and of the store from both."""
    from ingest.pipeline import extract

    layouts = {"unit": layout, "department": replace(layout, scope=DEPARTMENT)}
    extractions, wants, out = {}, {}, []
    for scope, lay in layouts.items():
        paths = write(seed, medium, folder / scope, lay)
        print(f"{scope}: {paths['pdf' if medium == PDF else 'text']}")
        if extract_only:
            continue
        wants[scope] = json.loads(paths["expected"].read_text(encoding="utf-8"))
        extractions[scope] = extract(paths["pdf" if medium == PDF else "text"])
        out += [f"[{scope}] {x}" for x in differences(extractions[scope], wants[scope])]
    if not extract_only:
        out += store_differences(extractions, wants, folder)
    return out
