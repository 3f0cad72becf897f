"""Project write-ups: ``科技创新专项经费情况说明`` with 一、项目概述 二、立项依据 三、实施主体 四、实施方案
五、实施周期 六、年度预算安排 七、绩效目标.

Each write-up is one ``writeup`` mention (merged like a form) (name from the title, amount from 年度预算安排,
texts and citations).  A write-up under a generic title (``项目经费情况说明``) names
its project in the overview (``…建设的万里街道社区公共服务中心新建工程``), or lists
several projects with their amounts in 年度预算安排 (``信息化系统日常维护费166.66万元，
中介机构服务费418.80万元``): then each listed item is a project, and the write-up's
texts belong to the item the texts talk about.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..context import Context
from ..layout import Block, Line
from ..normalise import fold_width, norm_text, squash
from ..numbers import to_wan
from ..records import ANNUAL, GOAL_FIELDS, Activity, FieldSource, Project, Provenance
from ..citations import find_citations, repair_titles
from .forms import form_citations, full_line, line_showing, value_provenance

SECTIONS: list[tuple[str, re.Pattern]] = [
    ("overview", re.compile(r"项目(?:概述|概况|简介|基本情况|背景)")),
    ("legal_basis", re.compile(r"立项依据|政策依据|设立依据")),
    ("executing_unit", re.compile(r"实施主体|实施单位|执行单位")),
    ("implementation", re.compile(r"实施方案|实施内容|主要内容")),
    ("period", re.compile(r"实施周期|实施期限|项目周期")),
    ("budget", re.compile(r"预算安排|资金安排|预算情况")),
    ("goals", re.compile(r"绩效目标")),
]
_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]\s*(?P<label>[^，。：:]{2,14})[:：]?\s*(?P<rest>.*)$")
_TITLE_SUFFIX = re.compile(r"(?:经费|资金)?(?:使用|安排)?(?:情况)?说明$")
_GENERIC = {"", "项目", "项目经费", "项目支出", "项目资金", "专项经费", "专项资金"}
_AMT = r"(?P<amt>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|万|元)"
_TOTAL = re.compile(rf"(?:总预算|预算总额|资金总额|总额|合计|共计|总计)(?:为|是)?\s*{_AMT}")
_ITEM = re.compile(rf"(?P<name>[^，,。；;：:、\d\s]{{2,30}}?)\s*{_AMT}")
_SCHEDULE = re.compile(r"季度|[一二三四五六七八九十\d]+月|用款计划|阶段")
_NAMED_IN_TEXT = re.compile(r"的(?P<name>[\u4e00-\u9fff（）()]{4,30}?(?:工程|项目))(?=[，,。；]|位于|$)")


def sections(block: Block) -> dict[str, str]:
    """Section label → its text (lines joined), read under the 一、/二、 headings."""
    return {k: norm_text(" ".join(text for _, text in v)) for k, v in section_lines(block).items()}


def section_lines(block: Block) -> dict[str, list[tuple[Line, str]]]:
    """Section label → the lines its text is on, with the text each gives (a heading line: what follows
    the heading)."""
    out: dict[str, list[tuple[Line, str]]] = {}
    current = None
    for line in block.lines[1:]:
        text = line.plain
        if not text or line.is_row:
            continue
        m = _SECTION.match(squash(text))
        key = next((k for k, p in SECTIONS if m and p.search(m["label"])), None) if m else None
        if key:
            current = key
            out.setdefault(key, [])
            if m["rest"]:
                out[key].append((line, m["rest"]))
            continue
        if current:
            out[current].append((line, text))
    return out


# a Project field → the write-up section its value is read from
_FIELD_SECTIONS = {"executing_unit": "executing_unit", "start_year": "period", "end_year": "period",
                   "legal_basis_text": "legal_basis", "implementation_text": "implementation",
                   "amount": "budget"}


def _field_sources(ctx: Context, block: Block, project: Project, name_from: str | None) -> tuple[FieldSource, ...]:
    """Where each field of a write-up's project is read: its section's lines (``name_from``: the section
    naming the project, ``None`` for the title)."""
    lines = section_lines(block)

    def where(section: str | None) -> Provenance | None:
        if section is None:
            return ctx.prov(block.lines[0], table=block.title)
        found = lines.get(section)
        return value_provenance(ctx, [ln for ln, _ in found], sections(block)[section], block.title) if found else None

    out = [FieldSource(f, pv) for f, s in (("name", name_from), *_FIELD_SECTIONS.items())
           if getattr(project, f) not in (None, "") and (pv := where(s)) is not None]
    out += [FieldSource(GOAL_FIELDS[kind], pv, text) for kind, text in project.goals if (pv := where("goals"))]
    return tuple(out)


def _item_place(ctx: Context, block: Block, name: str) -> Provenance | None:
    """The line of the 年度预算安排 section where the named amount ``name`` starts (it may wrap onto the
    next), its snippet the words around it."""
    lines = [ln for ln, _ in section_lines(block).get("budget", [])]
    want = squash(fold_width(name))
    for line, after in zip(lines, [*lines[1:], None]):
        text = squash(fold_width(line.plain + (after.plain if after is not None else "")))
        at = text.find(want)
        if 0 <= at < len(squash(fold_width(line.plain))):
            return replace(ctx.prov(line, table=block.title), snippet=text[max(0, at - 40) : at + len(want) + 20])
    return None


def _money(m: re.Match) -> Decimal:
    return to_wan(Decimal(m["amt"].replace(",", "")), m["unit"])


def budget_items(text: str) -> tuple[Decimal | None, list[tuple[str, Decimal]]]:
    """(the stated total, the named amounts) of a 年度预算安排 text."""
    s = squash(fold_width(text))
    total = _TOTAL.search(s)
    items = []
    for m in _ITEM.finditer(s):
        name = re.sub(r"^(?:其中|包括|主要|用于|以及|及|和)[:：]?", "", m["name"])
        if len(name) < 2 or _TOTAL.search(m[0]) or re.search(r"(?:19|20)\d\d年", name) or "总预算" in name:
            continue
        items.append((name, _money(m)))
    return (_money(total) if total else None), items


def _common(a: str, b: str) -> int:
    """The length of the longest run of characters ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _core(name: str) -> str:
    return re.sub(r"(?:经费|费用|费|资金)$", "", name)


def _years(text: str) -> tuple[int | None, int | None]:
    years = [int(y) for y in re.findall(r"((?:19|20)\d\d)", fold_width(text or ""))]
    return (years[0], years[-1]) if years else (None, None)


def parse_project_writeup(block: Block, ctx: Context) -> None:
    """One ``form`` mention per project the write-up describes."""
    parts = sections(block)
    prov = ctx.prov(block.lines[0], table=block.title)
    title_name = _TITLE_SUFFIX.sub("", squash(block.title))
    total, items = budget_items(parts.get("budget", ""))
    schedule = bool(items) and all(_SCHEDULE.search(n) for n, _ in items)
    executing = parts.get("executing_unit") or ""
    start, end = _years(parts.get("period"))
    base = Project(
        name="", amount=total, executing_unit=squash(executing) if executing and "。" not in executing else None,
        start_year=start, end_year=end, legal_basis_text=parts.get("legal_basis", ""),
        implementation_text=parts.get("implementation", ""),
        goals=((ANNUAL, parts["goals"]),) if parts.get("goals") else (), provenance=prov,
        activities=tuple(Activity(name=n, amount=a, provenance=_item_place(ctx, block, n) or prov)
                         for n, a in items),
    )
    if title_name not in _GENERIC:
        _mention(ctx, block, base, title_name, total if total is not None else _sum(items), parts.get("overview", ""))
        return
    if not items or schedule:
        m = _NAMED_IN_TEXT.search(squash(parts.get("overview", "")))
        if not m:
            ctx.warn("writeup.no_name", prov, table=block.title)
            return
        _mention(ctx, block, base, m["name"], total if total is not None else _sum(items), parts.get("overview", ""),
                 name_from="overview")
        return
    text = squash(" ".join(parts.get(k, "") for k in ("overview", "implementation", "goals")))
    owner = max(range(len(items)), key=lambda i: _common(_core(items[i][0]), text))
    if _common(_core(items[owner][0]), text) < 4:
        owner = None
    for i, (name, amount) in enumerate(items):
        if i == owner:
            _mention(ctx, block, replace(base, activities=()), name, amount, parts.get("overview", ""),
                     name_from="budget")
        else:
            listed = Project(name=name, amount=amount, provenance=prov)
            ctx.mention("writeup", replace(listed, field_sources=_field_sources(ctx, block, listed, "budget")))


def _sum(items: list[tuple[str, Decimal]]) -> Decimal | None:
    return sum((a for _, a in items), Decimal(0)) if items else None


def _mention(ctx: Context, block: Block, base: Project, name: str, amount: Decimal | None, overview: str = "",
             name_from: str | None = None) -> None:
    """The write-up's project, each field placed on its section's lines; citations from its texts, the
    overview's included (field ``overview``)."""
    project = replace(base, name=name, amount=amount)
    project = replace(project, field_sources=_field_sources(ctx, block, project, name_from))
    lines = section_lines(block)
    where = {part: [full_line(ctx.prov(ln, table=block.title), ln) for ln, _ in lines.get(part, [])]
             or [base.provenance]
             for part in ("legal_basis", "implementation", "overview")}
    cited = form_citations(project, base.provenance, where)
    seen = {(c.kind, c.key) for c in cited}
    cited += [replace(c, provenance=line_showing(where["overview"], c.raw))
              for c in find_citations(repair_titles(overview), "overview", base.provenance)
              if (c.kind, c.key) not in seen]
    ctx.mention("writeup", replace(project, citations=tuple(cited)))
