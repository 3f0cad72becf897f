"""Performance-indicator tables (一级/二级/三级指标, 指标值, 指标值确定依据) rebuilt by meaning.

Exports shift cells left or right, leave 一级/二级 labels blank where they carry
down, wrap a 三级指标 onto the next line and mix header words into data rows.
A row is therefore read as its sequence of non-empty cells, each classified by
what it looks like (a level label ends with 指标, a basis is 历史数据/行业标准 …),
never by its column position; only where the header names the parts a value is printed in
(指标性质 | 指标值 | 度量单位 | 权重) are a row's cells read under their header, when the row lines up with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..layout import clean_cell
from ..normalise import squash
from ..numbers import parse_indicator_value, try_amount
from ..records import FieldSource, Indicator, Provenance

LEVEL1 = ("产出指标", "效益指标", "成本指标", "满意度指标")
_LEVEL1_BARE = {name[:-2]: name for name in LEVEL1}

# A row naming column headers only: skipped whole.
_PURE_HEADER = re.compile(r"^(?:[一二三]级指标|指标名称)$")
# Header words that may sit inside a data row (merged header cells): dropped.
_HEADER_WORD = re.compile(
    r"^(?:[一二三]级指?标?|指标值?|指标内容|绩效标准|前年|上年|当年|本年|近两年指标值|"
    r"(?:预计|预期)当年实现值?|指标值确?定?依?据?|确定依据|定依据|依据|目标名称?|名称|称|标|"
    r"(?:长期|年度)绩效(?:指标|目标)表?|绩效指标|绩效目标)$"
)
_BASIS = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,4}数据|(?:行业|国家|地方|省级|市级|历史|计划|部门|单位|预算)标准|"
    r"其他|年度计划|政策文件|文件规定|相关文件|经验值)$"
)
_VALUE = re.compile(
    r"^(?:/|／|-|—|[≥≤><》《=＞＜≧≦]*\s*\d+(?:\.\d+)?\s*(?:%|‰|[\u4e00-\u9fff/a-zA-Z]{0,8})|"
    r"[≥≤><》《＞＜≧≦=].{0,12})$"
)
_BLANK_VALUES = {"/", "／", "-", "—"}
# columns a header may give beside 指标值 (指标性质 | 指标值 | 度量单位 | 权重): the value is printed in parts
_VALUE_PARTS = {"nature": re.compile(r"^(?:指标性质|指标方向|运算符号?|比较符号?)$"), "value": re.compile(r"^指标值$"),
                "unit": re.compile(r"^(?:度量|计量)?单位$"), "weight": re.compile(r"^(?:权重|指标权重)(?:[（(].*)?$")}
_QUALITATIVE = ("定性", "定量")
_EVALUATION = re.compile(r"^(?:实际完成值?|完成值|得分|分值)$")
_SUMMARY_ROWS = ("总分", "合计", "小计")
_VALUE_FIELDS = ("value_raw", "comparator", "number", "unit")  # the Indicator fields read from its value


def is_level1(cell: str) -> bool:
    return cell in LEVEL1 or cell in _LEVEL1_BARE


def is_label(cell: str) -> bool:
    """A level label: 数量指标, 服务对象满意度指标 … (short, ends with 指标)."""
    return is_level1(cell) or (cell.endswith("指标") and 2 < len(cell) <= 12)


def is_value(cell: str) -> bool:
    """A cell that reads as an indicator value (a number with unit, a comparator, ``/``)."""
    return bool(_VALUE.match(cell))


def is_basis(cell: str) -> bool:
    return bool(_BASIS.match(cell))


def level1_for(level2: str) -> str | None:
    """The 一级指标 a 二级指标 belongs to, when its name says so."""
    if "满意" in level2:
        return "满意度指标"
    if "效益" in level2 or "可持续" in level2 or "影响" in level2:
        return "效益指标"
    if "成本" in level2 and level2 != "成本指标":
        return "成本指标"
    if any(w in level2 for w in ("数量", "质量", "时效", "成本")):
        return "产出指标"
    return None


def _consistent(level1: str | None, level2: str | None) -> bool:
    if level1 is None or level2 is None:
        return True
    implied = level1_for(level2)
    return implied is None or implied == level1 or (level1 == "产出指标" and level2 == "成本指标")


@dataclass
class _Row:
    level1: str | None
    level2: str | None
    level3: str
    values: list[str]
    basis: str | None
    provenance: Provenance | None
    printed: bool = True  # the row printed its own 一级/二级 labels (not carried from above)
    # where a field was read that is not printed on the row's line (a carried label, a wrapped name, a value below)
    sources: dict[str, Provenance] = field(default_factory=dict)


class IndicatorTable:
    """Feed the rows of one indicator table; read back :class:`Indicator` records.

    ``annual`` tables print 前年/上年/当年 values: the last value is the current one.
    """

    def __init__(self, annual: bool, evaluation: bool = False):
        self.annual = annual
        self.evaluation = evaluation  # 决算 自评表: 年度指标值, 实际完成值, 分值, 得分
        self.rows: list[_Row] = []
        self._level1: str | None = None
        self._level2: str | None = None
        self._label_rows: dict[str, Provenance | None] = {}  # where the carried level1/level2 labels are printed
        self._parts: dict[str, int] = {}  # column of each value part the header names, with its width
        self._width = 0

    def feed(self, cells: list[str], provenance: Provenance | None = None, skip: tuple[str, ...] = ()) -> None:
        """Read one table row (raw cells); ``skip`` are cell texts to ignore (goal labels, the project name)."""
        squashed = [squash(clean_cell(c)) for c in cells]
        items = [c for c in squashed if c]
        if any(_PURE_HEADER.match(c) for c in items):
            self.evaluation |= any(_EVALUATION.match(c) for c in items)
            self._value_parts(squashed)
            return
        items = self._joined_value(squashed) or items
        if items[0] in _SUMMARY_ROWS:
            return
        items = [c for c in items if not _HEADER_WORD.match(c) and c not in skip]
        if not items:
            return
        basis = items.pop() if is_basis(items[-1]) else None
        level1 = level2 = None
        i = 0
        if i < len(items) and is_level1(items[i]):
            level1, i = _LEVEL1_BARE.get(items[i], items[i]), i + 1
        if level1 == "成本指标" and self._level1 != "成本指标" and i < len(items) and not is_label(items[i]):
            level1, level2 = None, level1  # a 三级指标 right after it: the 二级 成本指标 of 产出指标 (pre-2021 forms)
        elif i < len(items) and (is_label(items[i]) and not is_level1(items[i]) or level1 and is_label(items[i])):
            level2, i = items[i], i + 1
        rest = items[i:]
        if level2 and (not rest or all(is_value(c) for c in rest)):
            rest, level2 = [level2, *rest], None  # the 三级指标 itself ends with 指标
        if not rest:
            self._carry(level1, level2, provenance)
            return
        if level1 is None and level2 is None and self.rows:
            last = self.rows[-1]
            if all(is_value(c) for c in rest) and not self._value_of(last.values):
                last.values.extend(rest)  # values printed on the line below their row
                if provenance is not None and self._value_of(last.values) in rest:
                    last.sources.update(dict.fromkeys(_VALUE_FIELDS, provenance))
                if last.basis is None and basis is not None and provenance is not None:
                    last.sources["basis"] = provenance
                last.basis = last.basis or basis
                return
            if len(rest) == 1 and basis is None and not is_value(rest[0]):
                last.level3 += rest[0]  # a 三级指标 wrapped onto the next line
                if provenance is not None and last.provenance is not None:
                    named = last.sources.get("level3", last.provenance)
                    last.sources["level3"] = replace(named, snippet=f"{named.snippet} {provenance.snippet}")
                return
        self._carry(level1, level2, provenance)
        carried = {f: pv for f, pv in self._label_rows.items() if pv is not None and pv != provenance}
        self.rows.append(_Row(self._level1, self._level2, rest[0], rest[1:], basis, provenance,
                              printed=bool(level1 or level2), sources=carried))

    def _value_parts(self, header: list[str]) -> None:
        """Remember where a header puts 指标性质 / 度量单位 / 权重 beside 指标值 (nothing when it has none)."""
        parts = {role: j for role, pattern in _VALUE_PARTS.items()
                 for j, c in enumerate(header) if pattern.match(c)}
        has_parts = "value" in parts and len(parts) > 1
        self._parts, self._width = (parts, len(header)) if has_parts else ({}, 0)

    def _joined_value(self, cells: list[str]) -> list[str] | None:
        """A row printed under such a header, cell for cell: its non-empty cells with 指标性质 + 指标值 + 度量单位
        joined into one value (``≥`` ``56`` ``万人`` → ``≥56万人``) and the 权重 left out; ``None`` when the row
        is wider than the header (it does not line up; then it is read by meaning alone)."""
        if not self._parts or not self._parts["value"] < len(cells) <= self._width or not cells[self._parts["value"]]:
            return None
        cells = cells + [""] * (self._width - len(cells))  # trailing empty cells left out by the export
        nature, unit = (cells[self._parts[r]] if r in self._parts else "" for r in ("nature", "unit"))
        value = cells[self._parts["value"]]
        if nature not in _QUALITATIVE and not value.startswith(nature):
            value = nature + value
        if unit and not value.endswith(unit):
            value += unit
        parts = set(self._parts.values())
        out = []
        for j, c in enumerate(cells):
            if j == self._parts["value"]:
                out.append(value)
            elif c and j not in parts:
                out.append(c)
        return out

    def _carry(self, level1: str | None, level2: str | None, provenance: Provenance | None) -> None:
        """The labels carried down to the rows below, and the rows printing them (none for a 一级指标 only
        implied by its 二级指标's name)."""
        if level1:
            self._level1, self._level2 = level1, None
            self._label_rows = {"level1": provenance}
        if level2:
            if level1 is None and not _consistent(self._level1, level2):
                self._level1 = level1_for(level2)
                self._label_rows.pop("level1", None)
            self._level2 = level2
            self._label_rows["level2"] = provenance

    def _value_of(self, values: list[str]) -> str | None:
        if not values:
            return None
        value = values[0] if self.evaluation or not self.annual else values[-1]
        return None if value in _BLANK_VALUES else value

    def adopt_levels(self, twin: "IndicatorTable") -> None:
        """Rows whose labels were only carried down take the labels the twin table prints for them.

        Long-term and annual tables list the same 三级指标; where one table left a
        row's labels blank, the other usually shows which 一级/二级指标 it belongs to.
        """
        printed = {r.level3: r for r in twin.rows if r.printed}
        for row in self.rows:
            if not row.printed and row.level3 in printed:
                shown = printed[row.level3]
                row.level1, row.level2 = shown.level1, shown.level2
                for f in ("level1", "level2"):
                    row.sources.pop(f, None)
                    where = shown.sources.get(f, shown.provenance)
                    if getattr(shown, f) and where is not None:
                        row.sources[f] = where

    def indicators(self, goal: str, **extra) -> list[Indicator]:
        out = []
        for row in self.rows:
            value = self._value_of(row.values)
            comparator, number, unit = parse_indicator_value(value)
            if self.evaluation:  # 年度指标值, 实际完成值, 分值, 得分 (then the 偏差原因 text)
                extra = {**extra, "actual": _at(row.values, 1), "score": try_amount(_at(row.values, 3))}
            out.append(Indicator(goal=goal, level1=row.level1, level2=row.level2, level3=row.level3,
                                 value_raw=value, comparator=comparator, number=number, unit=unit,
                                 basis=row.basis, provenance=row.provenance,
                                 field_sources=tuple(FieldSource(f, pv) for f, pv in row.sources.items()), **extra))
        return out


def _at(values: list[str], i: int) -> str | None:
    return values[i] if i < len(values) and values[i] not in _BLANK_VALUES else None
