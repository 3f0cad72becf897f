"""The variants the suite runs, fixed so that CI is deterministic.

*Drawn* variants take every layout parameter from their seed (many kinds combined, as a real document
combines them).  *Minimal* variants take the default layout (the kinds today's fixtures show) with one
parameter changed: each names the one layout kind it tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import PDF, TEXT, Layout
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
)
PDF_SINGLE_CHANGES = ("title_pos=in_grid", "new_page=true", "page_break=lone_total", "merge_labels=true", "spacer=true",
                      "codes=split", "header_rows=3", "money=元", "page_break=bare")

# what a change brings with it: a lone 合计 row is the table's last row, its label merged over code and name
IMPLIED = {"page_break=lone_total": ("total_row=bottom", "merge_labels=true")}


@dataclass(frozen=True)
class Variant:
    medium: str
    seed: int
    change: str = ""  # a minimal variant's one change to the default layout ("" for a drawn variant)

    @property
    def id(self) -> str:
        """``text-0``, ``text-0-header_rows=2``; a change whose value is not ASCII by its index (pytest ids)."""
        change = self.change
        if change and not change.isascii():
            change = f"{change.partition('=')[0]}#{SINGLE_CHANGES.index(change)}"
        return f"{self.medium}-{self.seed}" + (f"-{change}" if change else "")

    def layout(self) -> Layout:
        if not self.change:
            return draw(self.seed, self.medium)
        return custom_layout(self.medium, [self.change, *IMPLIED.get(self.change, ())])

    def command(self) -> str:
        """The command line that writes (and checks) this variant's files."""
        extra = ""
        if self.change:
            extra = "".join(f" --set {c}" for c in (self.change, *IMPLIED.get(self.change, ())))
            extra = " --layout default" + extra
        return command(self.seed, self.medium, extra, re.sub(r"[^\w.-]+", "_", self.id))


DRAWN = tuple(Variant(TEXT, s) for s in range(240)) + tuple(Variant(PDF, s) for s in range(1000, 1050))
MINIMAL = tuple(Variant(TEXT, s, c) for c in SINGLE_CHANGES for s in (0, 1)) + tuple(
    Variant(PDF, 2, c) for c in PDF_SINGLE_CHANGES)
VARIANTS = DRAWN + MINIMAL
TEXT_VARIANTS = tuple(v for v in VARIANTS if v.medium == TEXT)
PDF_VARIANTS = tuple(v for v in VARIANTS if v.medium == PDF)
