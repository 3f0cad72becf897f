"""Document metadata and the document-wide facts stated in prose.

:func:`read_document` gives the :class:`~ingest.records.Document` (title, full
department name voted across the places that name it, short names, region,
year, phase, contact phone) and, as side effects on the context: units and
offices from the 单位构成 list, staffing from the 人员情况 sentences, and
totals the tables did not give.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from .context import Context
from .layout import Line
from .narrative import Paragraph, all_paragraphs, narrative_blocks, paragraphs
from .normalise import fold_width, squash
from .numbers import to_wan
from .records import BUDGET, FINAL_ACCOUNT, Document, Staffing, Unit

_CJK = re.compile(r"[\u4e00-\u9fff]")

# --- title, year, phase -----------------------------------------------------------------


def find_title(ctx: Context) -> Line | None:
    """The first text line near the top that names a budget or final account."""
    first = None
    for line in ctx.lines[:60]:
        text = line.plain
        if not text or line.is_row:
            continue
        first = first or line
        if re.search(r"预算|决算", text) and not re.match(r"\s*(?:[-*+]|\d+[.、])", line.text) and len(text) <= 80:
            return line
    return first


def title_text(ctx: Context, line: Line | None) -> str:
    """The title with the cover lines printed above it on its page (a name wrapped over lines:
    ``上海市普陀区规划和自然`` / ``资源局`` / ``2024 年度部门决算``)."""
    if line is None:
        return ""
    above: list[str] = []
    for prev in reversed(ctx.lines[: ctx.lines.index(line)]):
        text = squash(prev.plain)
        if prev.is_row or prev.page != line.page or not text or len(text) > 30 or not _CJK.match(text) \
                or re.search(r"[:：。，]", text):
            break
        above.insert(0, text)
    return "".join(above) + line.plain


_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def year_phase(title: str) -> tuple[int | None, str | None]:
    """``'上海市普陀区财政局2024年度部门决算'`` → ``(2024, 'final_account')``; phase ``None`` if unnamed."""
    s = fold_width(title)
    phase = FINAL_ACCOUNT if "决算" in s else BUDGET if "预算" in s else None
    years = list(_YEAR.finditer(s))
    year = None
    for m in years:  # the year that the 预算/决算 belongs to: "2024年度部门决算", "2023 年部门预算"
        if re.match(r"\s*度?\s*(?:部门|单位)?\s*(?:预算|决算)", s[m.end() :]):
            year = int(m[1])
    if year is None and years:
        year = int(years[0][1])
    return year, phase


def title_name(title: str) -> str:
    """The organisation named in a title: ``'2026年江岸区医保局部门预算公开说明'`` → ``'江岸区医保局'``."""
    s = squash(fold_width(title))
    s = re.sub(r"(?:19|20)\d\d年度?", "", s)
    s = re.split(r"(?:部门|单位)?(?:预算|决算)", s)[0]
    s = re.sub(r"(?:省|市|区|县)级$", "", s.strip("#*：:"))  # 上海市普陀区2025年区级部门预算: the level, no name
    return re.sub(r"[（(]?本级[)）]?$", "", s)


# --- the department's full name ------------------------------------------------------------

_LABEL = (r"(?:单位名称|填报单位|部门名称|部门[（(]单位[)）]名称|单位[（(]部门[)）]名称|编制单位|编制部门|预算单位名称|"
          r"项目主管部门|(?:预算)?主管部门)")
_LABELLED = re.compile(rf"^{_LABEL}[:：]?(?P<name>.*)$")
_LABELLED_INLINE = re.compile(rf"{_LABEL}[:：](?P<name>.*)$")  # mid-line: "2025年… 编制部门：某局 单位：元"
_LEVELS_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{1,9}?(?:省|自治区|市|州|区|县|旗|盟))+")
_NAME_OK = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff（）()]{3,39}$")
_NOT_NAME = re.compile(r"(?:名称|编码|代码|合计|总计|科目|项目)$")


def _clean_name(text: str) -> str | None:
    s = re.split(r"(?:金额)?单位[:：]|[（(]?单位[:：]|[（(](?:万元|元)", squash(text))[0]
    s = re.sub(r"[（(]?本级[)）]?$", "", s)
    if _LEVELS_ONLY.fullmatch(s) and not _NOT_PLACE.search(s):
        return None  # a region only (上海市普陀区), not an organisation
    return s if _NAME_OK.match(s) and not _NOT_NAME.search(s) else None


def _row_name(cells: list[str]) -> str | None:
    """A unit-table row naming the department: ``303 | 武汉市江岸区医疗保障局`` or ``…001 | …本级``."""
    filled = [c for c in cells if c]
    if len(filled) < 2 or not re.fullmatch(r"\d{2,9}", filled[0]):
        return None
    if len(filled[0]) <= 3 or filled[1].endswith("本级"):
        return _clean_name(filled[1])
    return None


def name_votes(ctx: Context) -> Counter:
    """Every place that names the department: labelled lines and cells, unit names, the title."""
    votes: Counter = Counter()
    for block in ctx.blocks:
        if any(re.search(r"单位(?:编码|代码)", squash(c)) for row in block.rows[:6] for c in row.cells):
            for row in block.rows:  # a table by unit: its department-level and 本级 rows
                name = _row_name([squash(c) for c in row.values()])
                if name:
                    votes[name] += 1
    name_col = None  # the 单位名称 column of a unit list: its …（本级） row names the department
    for line in ctx.lines:
        cells = [squash(c) for c in line.values()] if line.is_row else [squash(line.plain)]
        if not line.is_row:
            name_col = None
        elif "单位名称" in cells:
            name_col = cells.index("单位名称")
        elif name_col is not None and name_col < len(cells) and re.search(r"本级[)）]?$", cells[name_col]):
            name = _clean_name(cells[name_col])
            if name:
                votes[name] += 1
        for i, cell in enumerate(cells):
            m = _LABELLED.match(cell) or _LABELLED_INLINE.search(cell)
            if not m:
                continue
            value = m["name"] if m["name"].strip(":：") else next((c for c in cells[i + 1 :] if c), "")
            name = _clean_name(value)
            if name:
                votes[name] += 1
    for unit in ctx.units:
        name = _clean_name(unit.name)
        if name and squash(unit.name).endswith("本级"):
            votes[name] += 1
    title = find_title(ctx)
    if title:
        name = _clean_name(title_name(title_text(ctx, title)))
        if name:
            votes[name] += 1
    return votes


def is_abbreviation(short: str, full: str) -> bool:
    """``short`` reads as a form of ``full``: its characters in order, same last character."""
    if not short or not full or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def vote_name(votes: Counter) -> str | None:
    """The name most places agree on: each vote supports every longer name it abbreviates."""
    if not votes:
        return None
    def support(name: str) -> int:
        return sum(n for other, n in votes.items() if is_abbreviation(other, name))
    return max(votes, key=lambda name: (support(name), votes[name], len(name)))


def department_name(ctx: Context) -> str:
    """The department's full official name ('' when nothing names it)."""
    return vote_name(name_votes(ctx)) or ""


# --- region and short names -----------------------------------------------------------------

_LEVEL = re.compile(r"[\u4e00-\u9fff]{1,9}?(?P<level>特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗)")
_NOT_PLACE = re.compile(r"城市|社区|园区|小区|校区|辖区|局|委|办|厅|会|院|所|中心|管理|政府|机关|党|部")


def region_parts(name: str) -> list[tuple[str, str]]:
    """``'武汉市东西湖区医疗保障局'`` → ``[('武汉市', '市'), ('东西湖区', '区')]`` (at most 3 levels)."""
    s = re.sub(r"^(?:中共|中国共产党)", "", squash(name))
    parts, pos = [], 0
    while len(parts) < 3:
        m = _LEVEL.match(s, pos)
        if not m or _NOT_PLACE.search(m[0]) or m.end() >= len(s):
            break
        parts.append((m[0], m["level"]))
        pos = m.end()
    return parts


def split_region(name: str) -> tuple[str | None, str]:
    """(region, organisation): ``'武汉市东西湖区医疗保障局'`` → ``('武汉市东西湖区', '医疗保障局')``."""
    parts = region_parts(name)
    region = "".join(p for p, _ in parts)
    s = squash(name)
    start = s.find(region) if region else 0
    return (region or None), s[start + len(region) :]


def region_prefixes(name: str) -> list[str]:
    """The ways a text may name the region before the organisation, longest first (no bare level)."""
    parts = [p for p, _ in region_parts(name)]
    return ["".join(parts[i:]) for i in range(len(parts))]


def _cell_texts(ctx: Context) -> list[str]:
    out = []
    for line in ctx.lines:
        cells = line.values() if line.is_row else [line.plain]
        out.extend(squash(c) for c in cells if c.strip())
    return out


def find_short_names(texts: list[str], full: str) -> tuple[str, ...]:
    """Other names the texts use for ``full`` (region prefix + a form of its organisation), most used first."""
    parts = region_parts(full)
    _, org = split_region(full)
    if not parts or len(org) < 2:
        return ()
    prefixes = region_prefixes(full) + [parts[-1][1]]
    pattern = re.compile("|".join(re.escape(p) for p in prefixes))
    found: Counter = Counter()
    for text in texts:
        for m in pattern.finditer(text):
            bare = m[0] == parts[-1][1]
            if bare and m.start() > 0 and _CJK.match(text[m.start() - 1]):
                continue  # 市医保局 / 全区医疗…: another body or not a name
            window = text[m.end() : m.end() + len(org) + 2]
            forms = [window[:k] for k in range(len(window), 1, -1)
                     if window[k - 1] == org[-1] and window[0] == org[0] and is_abbreviation(window[:k], org)]
            if forms:
                name = m[0] + forms[0]
                if name != full:
                    found[name] += 1
    return tuple(name for name, _ in found.most_common())


# --- contact phone -----------------------------------------------------------------------------

_PHONE = re.compile(r"(?:\d{3,4}[-－—]?)?\d{7,8}|1\d{10}")


def _phone(text: str) -> str | None:
    m = _PHONE.search(squash(fold_width(text)))
    return m[0].replace("－", "-").replace("—", "-") if m else None


def contact_phone(ctx: Context) -> str | None:
    """The 咨询电话 the document gives, else the 联系电话 of the department-level form's 填报人."""
    for line in ctx.lines:
        m = re.search(r"咨询电话[:：]?(.{7,20})", squash(line.plain))
        if m and _phone(m[1]):
            return _phone(m[1])
    for block in ctx.blocks_with_role("dept_performance"):
        for line in block.rows:
            cells = [squash(c) for c in line.values()]
            if any(c.startswith(("填报人", "联系人")) for c in cells):
                for i, c in enumerate(cells):
                    if "电话" in c:
                        phone = _phone(c) or next((_phone(x) for x in cells[i + 1 :] if _phone(x)), None)
                        if phone:
                            return phone
    for line in ctx.lines:
        if "电话" in line.plain:
            cells = [squash(c) for c in line.values()]
            for i, c in enumerate(cells):
                if "电话" in c:
                    phone = _phone(c) or next((_phone(x) for x in cells[i + 1 : i + 3] if _phone(x)), None)
                    if phone:
                        return phone
    return None


# --- staffing -----------------------------------------------------------------------------------

_N = r"(\d+)\s*[人名个]"
_AUTH_TOTAL = re.compile(rf"(?<![政业额关勤])编制(?:总数|人数|数|总额)?(?:为|共|是|共计|合计)?{_N}")
_ACTUAL = re.compile(
    rf"(?:在职实有人数|在职实有人员|实有在职人员|实有人数|实有人员|在职人员|在编在岗人员|在编在岗|在编人员|在岗人员|"
    rf"现有人员|在职实有|实有)"
    rf"(?:总数|人数)?(?:为|共|是|共计|合计)?{_N}"
)
# "行政编制22人" / "行政人员29名" / after 其中: "行政21人"
_ADMIN = re.compile(rf"行政(?:编制|人员)?(?:数)?(?:为)?{_N}")
_INST = re.compile(rf"事业(?:编制|人员)?(?:数)?(?:为)?{_N}")
_RETIRED = re.compile(rf"离退休(?:人员)?(?:总数|人数)?(?:为|共|共计)?{_N}")
_RETIRED_ONLY = re.compile(rf"(?<!离)退休(?:人员)?(?:为|共)?{_N}")
_LEFT = re.compile(rf"离休(?:人员)?(?:为|共)?{_N}")


def _first(pattern: re.Pattern, text: str) -> int | None:
    m = pattern.search(text)
    return int(m[1]) if m else None


def read_staffing(text: str) -> Staffing | None:
    """Head counts from staffing sentences (编制 …, 在职实有 …, 离退休 …); ``None`` when none is stated."""
    s = squash(fold_width(text)).replace("，", ",")
    actual = _ACTUAL.search(s)
    retired_at = min((m.start() for m in (_RETIRED.search(s), _LEFT.search(s), _RETIRED_ONLY.search(s)) if m),
                     default=len(s))
    auth_end = actual.start() if actual else retired_at
    auth_part, actual_part = s[:auth_end], s[actual.start() : max(retired_at, actual.end())] if actual else ""
    retired = _first(_RETIRED, s)
    if retired is None:
        left, only = _first(_LEFT, s), _first(_RETIRED_ONLY, s)
        retired = (left or 0) + (only or 0) if left is not None or only is not None else None
    staffing = Staffing(
        authorized_total=_first(_AUTH_TOTAL, auth_part),
        authorized_admin=_first(_ADMIN, auth_part),
        authorized_institution=_first(_INST, auth_part),
        actual_total=int(actual[1]) if actual else None,
        actual_admin=_first(_ADMIN, actual_part),
        actual_institution=_first(_INST, actual_part),
        retired_total=retired,
    )
    return staffing if any(v is not None for v in vars(staffing).values()) else None


def staffing_from(ctx: Context) -> Staffing | None:
    """The paragraph that states the most head counts."""
    best, best_n = None, 0
    for para in all_paragraphs(ctx):
        if "编制" not in para.text and "实有" not in para.text:
            continue
        st = read_staffing(para.text)
        n = sum(v is not None for k, v in vars(st).items() if k != "provenance") if st else 0
        if n > best_n:
            best, best_n = Staffing(**{**vars(st), "provenance": ctx.prov(para.first, table=para.heading)}), n
    return best


# --- units and offices named in the narrative -----------------------------------------------------

_COMPOSITION = re.compile(r"单位构成|机构设置|单位组成|预算单位|内设机构|机构情况|单位情况")
_ITEM_LINE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）]|[-*+])\s*(?P<name>[^，。；;,:：]{2,30}?)\s*[。；;，,]?\s*$")
_INLINE = re.compile(r"(?P<kind>内设机构|内设|科室|事业单位|下属单位|二级单位|所属单位)[^：:。；]{0,12}[：:](?P<list>[^。；;]+)")
_OFFICE = re.compile(r"(?:办公室|科|股|处|室|办)$")
# "内设办公室、财务科等6个内设科室" / "设有A、B两个科室": a list closed by its count
_COUNTED = re.compile(
    r"(?:内设|设有|下设|设立|设置|设)(?:机构)?(?P<list>[^：:。；;，,、\d]{2,30}(?:、[^：:。；;，,、\d]{2,30})+?)"
    r"等?(?:\d+|[一二两三四五六七八九十]+)个(?:内设|职能|业务|行政)?(?:科室|处室|股室|机构|部门|科|处|室)"
)
_BRACKETED = re.compile(r"[（(][^（）()]*[)）]$")
_CODE_REMARK = re.compile(r"[（(][^（）()]*?(?:编码|代码)[:：]?(\d{2,})[^（）()]*[)）]$")


def _listed_names(text: str) -> list[str]:
    """The names of ``A、B和C``, numbering, 等 and a trailing remark in brackets removed."""
    out = []
    for name in re.split(r"[、，,]|(?<=[科室处股办局心院所站队馆校会部组])(?:和|及)", text):  # not 建设和…科
        name = re.sub(r"^(?:\d+[.、]|等)|等$", "", _BRACKETED.sub("", name))
        if 2 <= len(name) <= 30 and not re.search(r"\d", name):
            out.append(name)
    return out


_ITEM_HEAD = re.compile(
    r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）])\s*(?P<name>[^，。；;,:：]{2,40}?)\s*(?:[。；;，,](?P<rest>.*))?$")
_OWN_BRACKET = re.compile(r"[（(](?:本级|本部|机关)[)）]$")  # part of the name, not a remark


def _unit_name(text: str) -> str:
    """A listed unit's name: a trailing remark in brackets dropped, ``（本级）`` / ``（本部）`` kept."""
    s = squash(text)
    return s if _OWN_BRACKET.search(s) else _BRACKETED.sub("", s)


def _is_subheading(para: Paragraph) -> bool:
    """A short unnumbered line standing alone (``上海市普陀区商务委员会机构设置``, ``名词解释``)."""
    text = squash(para.text)
    return len(text) <= 30 and not _LIST_MARK_RE.match(para.text) and not re.search(r"[。；;，,:：\d]", text)


_LIST_MARK_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][\d一二三四五六七八九十]{1,3}[)）]|[-*+]\s)")


def _composition_entries(ctx: Context) -> list[Paragraph]:
    """Paragraphs and table rows under a 单位构成 / 机构设置 heading (block title or a line of its own)."""
    out = []
    for block in narrative_blocks(ctx):
        active = bool(block.title and _COMPOSITION.search(squash(block.title)))
        rows = [Paragraph(ln.plain, [ln], block.title) for ln in block.lines if ln.is_row]
        entries = sorted(paragraphs(block) + rows, key=lambda p: p.first.no)
        for para in entries:
            if not para.first.is_row and _is_subheading(para):
                active = bool(_COMPOSITION.search(squash(para.text)))
                continue
            if active:
                out.append(para)
    return out


def composition_items(ctx: Context) -> list[tuple[str, str | None, Paragraph]]:
    """(name, code, paragraph) of each name listed under the 部门预算单位构成 heading: numbered lines
    (``1. 某局本级（单位编码160001）``, ``2. 某中心，不单列预算。``), rows of a ``序号 | 单位名称 | 备注``
    table, ``内设机构：A、B`` and ``内设A、B、C等6个科室``."""
    out = []
    name_col = None
    for para in _composition_entries(ctx):
        if para.first.is_row:
            cells = [squash(c) for c in para.first.values()]
            if "单位名称" in cells:
                name_col = cells.index("单位名称")
            elif name_col is not None and name_col < len(cells) and cells[name_col]:
                out.append((_unit_name(cells[name_col]), None, para))
            continue
        name_col = None
        m = _ITEM_LINE.match(para.text) or _ITEM_HEAD.match(para.text)
        rest = ""
        if m:
            name = squash(m["name"])
            code = _CODE_REMARK.search(name)
            out.append((_unit_name(name), code[1] if code else None, para))
            rest = squash(m.groupdict().get("rest") or "")
            if not rest:
                continue
        text = rest or squash(para.text)
        lists = [m["list"] for m in _INLINE.finditer(text)] + [m["list"] for m in _COUNTED.finditer(text)]
        for listed in lists:
            out.extend((name, None, para) for name in _listed_names(listed))
    return out


def full_unit_name(texts: list[str], name: str, prefixes: list[str]) -> str:
    """The longest name in the texts that ends with ``name`` and starts with the region (else ``name``)."""
    best = name
    for text in texts:
        for m in re.finditer(rf"[\u4e00-\u9fff]{{0,24}}{re.escape(name)}", text):
            for prefix in prefixes:
                at = m[0].find(prefix)
                if at < 0:
                    continue
                gap = m[0][at + len(prefix) : len(m[0]) - len(name)]
                candidate = m[0][at:]
                if len(gap) <= 6 and not re.search(r"的|成立|设立|由|和|及|与", gap) and len(candidate) > len(best):
                    best = candidate
                break
    return best


def _known(units: list[Unit], name: str) -> bool:
    return any(name in squash(u.name) or (is_abbreviation(name, squash(u.name)) and squash(u.name).endswith(name[-2:]))
               for u in units)


def add_composition(ctx: Context, department: str) -> None:
    """Offices to ``ctx.offices``; affiliated institutions to ``ctx.units`` (code ``None``) unless known."""
    texts = _cell_texts(ctx)
    prefixes = region_prefixes(department)
    for name, code, para in composition_items(ctx):
        if code and any(u.code and u.code.lstrip("0") == code.lstrip("0") for u in ctx.units):
            continue
        if name.endswith("本级"):
            if not any(squash(u.name).endswith("本级") for u in ctx.units):
                ctx.units.append(Unit(department + "本级", None, ctx.prov(para.first, table=para.heading)))
            continue
        if _OFFICE.search(name) and not re.search(r"中心|所|站|队|院|馆", name):
            if name not in ctx.offices:
                ctx.offices.append(name)
            continue
        full = full_unit_name(texts, name, prefixes) if prefixes else name
        if not (_known(ctx.units, name) or _known(ctx.units, full)):
            ctx.units.append(Unit(full, None, ctx.prov(para.first, table=para.heading)))


# --- totals stated in prose ------------------------------------------------------------------------

_AMT = r"(?:为|是|共计|合计|总计)?(?P<amt>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|万|亿元|元)"
TOTAL_PATTERNS: list[tuple[str, re.Pattern]] = [
    (key, re.compile(p + _AMT)) for key, p in [
        ("income_total", r"部门收支总(?:预算|决算)"),
        ("income_total", r"部门收入(?:预算|决算)"),
        ("income_total", r"(?<!拨款)收入总计"),
        ("income_total", r"收、?支总计各?"),
        ("expenditure_total", r"部门收支总(?:预算|决算)"),
        ("expenditure_total", r"部门支出(?:预算|决算)"),
        ("expenditure_total", r"(?<!拨款)支出总计"),
        ("expenditure_total", r"收、?支总计各?"),
        ("basic_expenditure", r"部门支出(?:预算|决算)[^。]*?基本支出(?:预算|决算)?"),
        ("basic_expenditure", r"支出包括[:：]?基本支出"),
        ("project_expenditure", r"部门支出(?:预算|决算)[^。]*?项目支出(?:预算|决算)?"),
        ("project_expenditure", r"支出包括[:：]?[^。]*?项目支出"),
        ("three_public_total", r"“?三公”?经费(?:财政拨款)?(?:支出)?(?:预算|决算)?数?"),
        ("org_running_cost", r"机关运行经费(?:支出)?(?:预算|决算)?数?"),
        ("government_procurement_total", r"政府采购(?:支出|预算)?(?:预算|决算)?(?:总额|金额|合计)"),
        ("government_purchase_services_total", r"政府购买服务(?:支出)?(?:预算|决算)?(?:总额|金额|合计)?"),
    ]
]


def prose_totals(ctx: Context) -> None:
    """Totals the tables did not give, read from the narrative (the first statement of each wins)."""
    paras = all_paragraphs(ctx)
    for key, pattern in TOTAL_PATTERNS:
        if key in ctx.totals:
            continue
        for para in paras:
            m = pattern.search(squash(fold_width(para.text)))
            if m:
                amount = to_wan(Decimal(m["amt"].replace(",", "")), m["unit"])
                ctx.set_total(key, amount, ctx.prov(para.first, table=para.heading))
                break


# --- the document -----------------------------------------------------------------------------------


def read_document(ctx: Context) -> Document:
    """Document metadata; also adds narrative units/offices, staffing and prose totals to ``ctx``."""
    title_line = find_title(ctx)
    title = title_text(ctx, title_line)
    department = department_name(ctx)
    if not department:
        ctx.warn("document.no_department", "no line names the department", ctx.prov(title_line) if title_line else None)
    region, _ = split_region(department)
    year, phase = year_phase(title)
    if year is None or phase is None:
        head = " ".join(p.text for p in all_paragraphs(ctx)[:20])
        y, ph = year_phase(head)
        year, phase = year or y, phase or ph
    if year is None:
        ctx.warn("document.no_year", "the title names no budget year", ctx.prov(title_line) if title_line else None)
    add_composition(ctx, department)
    if ctx.staffing is None:
        ctx.staffing = staffing_from(ctx)
    prose_totals(ctx)
    return Document(
        doc_id=ctx.doc_id,
        path=str(ctx.path),
        title=title,
        department=department,
        short_names=find_short_names(_cell_texts(ctx), department) if department else (),
        region=region,
        year=year,
        phase=phase or BUDGET,
        contact_phone=contact_phone(ctx),
        provenance=ctx.prov(title_line) if title_line else None,
    )
