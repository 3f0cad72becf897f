"""The variants the suite runs, fixed so that CI is deterministic.

*Drawn* variants take every layout parameter from their seed (many kinds combined, as a real document
combines them).  *Minimal* variants take the default layout (the kinds today's fixtures show) with one
parameter changed: each names the one layout kind it tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers import QUICK

from .layout import PDF, TEXT, Layout, draw_forms
from .model import build
from .render import command, custom_layout, draw

# one value per parameter that differs from the default layout (each a layout kind of issue 12)
SINGLE_CHANGES = (
    "money=元", "thousands=false", "title_pos=in_grid", "new_page=true", "numbering=suffix", "numbering=none",
    "codes=split", "codes=split_parts", "codes=code_name", "codes=indented", "eco_codes=split_suffix",
    "header_rows=2", "header_rows=3", "col_order=tpb", "col_order=bpt", "extra_cols=true", "total_row=bottom",
    "page_break=repeat_header", "page_break=continued", "page_break=bare", "page_break=lone_total",
    "spacer=true", "merge_labels=true", "summary_form=six", "three_form=wide", "name_suffix=true",
    "damage=repairable", "damage=beyond", "unit_list=table", "unit_heading=glued",
    "w_code=功能分类科目编码", "w_code=科目代码", "w_name=功能分类科目名称", "w_total=小计", "w_total=总计",
    "w_total=本年支出合计", "w_basic=基本经费", "w_project=项目经费", "w_eco_code=部门经济分类科目编码",
    "w_carry=上年结转（结余）", "titles=1,1,1,1,1,1,1,1", "titles=2,2,2,2,2,2,2,2", "titles=3,3,3,3,3,3,3,3",
    "basic_form=blocks", "basic_form=subtotals", "basic_form=tables", "basic_form=side",
)
PDF_SINGLE_CHANGES = ("title_pos=in_grid", "new_page=true", "page_break=lone_total", "merge_labels=true", "spacer=true",
                      "codes=split", "header_rows=3", "money=元", "page_break=bare", "pages=landscape_tables",
                      "pages=a3_tables", "basic_form=blocks", "basic_form=side")
# performance forms: the default layout with forms=kv and one change (family "forms")
FORM_CHANGES = ("", "forms=kv_merged", "forms=rows", "indicator_rows=blank", "indicator_rows=short",
                "form_break=fields", "form_break=indicators", "form_break=continued", "form_name=qualifier",
                "form_name=prefix", "form_name=code_suffix", "wrap_indicators=true", "spaced_values=true",
                "w_form=1", "w_form=2")
PDF_FORM_CHANGES = ("", "indicator_rows=short", "indicator_rows=blank", "form_break=indicators",
                    "form_name=qualifier", "form_name=code_suffix", "pages=a3_tables")
# 部门/单位 pairs: the unit document's scope and title (family "pair"; the department document is implied)
PAIR_CHANGES = ("scope=unit_own", "scope=unit_sub")
FAMILY_BASE = {"forms": ("forms=kv",), "pair": ("scope=unit_own",)}

# what a change brings with it: a lone 合计 row is the table's last row, its label merged over code and name
IMPLIED = {"page_break=lone_total": ("total_row=bottom", "merge_labels=true")}


@dataclass(frozen=True)
class Variant:
    medium: str
    seed: int
    change: str = ""  # a minimal variant's one change to the default layout ("" for a drawn variant)
    family: str = ""  # "" (the tables), "forms" (with performance forms), "pair" (a 单位预算 and its 部门预算)
    drawn: bool = False  # a forms/pair variant whose layout the seed draws (draw_forms), ``change`` on top

    @property
    def id(self) -> str:
        """``text-0``, ``text-0-header_rows=2``; a change whose value is not ASCII by its index (pytest ids)."""
        change = self.change
        if change and not change.isascii():
            change = f"{change.partition('=')[0]}#{SINGLE_CHANGES.index(change)}"
        family = f"{self.family}{'-drawn' if self.drawn else ''}-" if self.family else ""
        return f"{family}{self.medium}-{self.seed}" + (f"-{change}" if change else "")

    def changes(self) -> list[str]:
        """The changes to the base layout, the family's and those the change implies included."""
        own = [self.change] if self.change else []
        keys = {c.partition("=")[0] for c in own}
        base = [c for c in (() if self.drawn else FAMILY_BASE.get(self.family, ())) if c.partition("=")[0] not in keys]
        return [*base, *own, *(c for x in own for c in IMPLIED.get(x, ()))]

    def layout(self) -> Layout:
        if self.drawn:
            return custom_layout(self.medium, self.changes(), draw_forms(self.seed, self.medium))
        if not self.family and not self.change:
            return draw(self.seed, self.medium)
        return custom_layout(self.medium, self.changes())

    def command(self) -> str:
        """The command line that writes (and checks) this variant's files."""
        extra = "".join(f" --set {c}" for c in self.changes())
        if self.drawn:
            extra = " --layout forms" + extra
        elif self.family or self.change:
            extra = " --layout default" + extra
        if self.family == "pair":
            extra += " --pair"
        return command(self.seed, self.medium, extra, re.sub(r"[^\w.-]+", "_", self.id))


DRAWN = tuple(Variant(TEXT, s) for s in range(240)) + tuple(Variant(PDF, s) for s in range(1000, 1050))
MINIMAL = tuple(Variant(TEXT, s, c) for c in SINGLE_CHANGES for s in (0, 1)) + tuple(
    Variant(PDF, 2, c) for c in PDF_SINGLE_CHANGES)
FORMS = (tuple(Variant(TEXT, s, c, "forms") for c in FORM_CHANGES for s in (0, 3))
         + tuple(Variant(PDF, 4, c, "forms") for c in PDF_FORM_CHANGES)
         + tuple(Variant(TEXT, s, family="forms", drawn=True) for s in range(2000, 2024))
         + tuple(Variant(PDF, s, family="forms", drawn=True) for s in range(3000, 3006)))


def _with_units(seeds: range, n: int) -> list[int]:
    """The first ``n`` seeds whose department has units besides its own (so that its 部门预算 and the
    单位预算 of one unit differ)."""
    return [s for s in seeds if len(build(s).units) > 1][:n]


PAIRS = (tuple(Variant(TEXT, s, c, "pair") for c in PAIR_CHANGES for s in _with_units(range(0, 40), 2))
         + tuple(Variant(TEXT, s, "unit_title=paren", "pair") for s in _with_units(range(40, 80), 2))
         + tuple(Variant(TEXT, s, "scope=unit_own", "pair", drawn=True) for s in _with_units(range(4000, 4100), 4))
         + tuple(Variant(PDF, s, "scope=unit_own", "pair") for s in _with_units(range(80, 120), 1)))
ALL = DRAWN + MINIMAL + FORMS + PAIRS
# ``BUDGETKG_TESTS=quick`` (:data:`helpers.QUICK`, CI): every minimal variant, one drawn variant in four
VARIANTS = tuple(v for v in ALL if not QUICK or (v.change and not v.drawn) or v.seed % 4 == 0)
TEXT_VARIANTS = tuple(v for v in VARIANTS if v.medium == TEXT and v.family != "pair")
PDF_VARIANTS = tuple(v for v in VARIANTS if v.medium == PDF and v.family != "pair")
