"""Layout parameters of one rendered variant, and the wordings real disclosures print for each role.

A :class:`Layout` is drawn from a seed; every field is one parameter whose value the report counts
passes and failures by.  Wordings are those of published 部门预算/决算 (national templates and local ones).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace

TEXT, PDF = "text", "pdf"

CODE_HEADS = ("科目编码", "功能分类科目编码", "科目代码", "功能科目编码")
NAME_HEADS = ("科目名称", "功能分类科目名称", "功能科目名称")
TOTAL_HEADS = ("合计", "小计", "总计", "本年支出合计")
BASIC_HEADS = ("基本支出", "基本经费")
PROJECT_HEADS = ("项目支出", "项目经费")
ECO_CODE_HEADS = ("经济分类科目编码", "科目编码", "部门经济分类科目编码", "经济科目编码")
ECO_NAME_HEADS = ("科目名称", "经济分类科目名称")
CARRY_WORDS = ("上年结转", "上年结转结余", "上年结转（结余）")

# table titles per role: (预算 wordings, 决算 wordings); {Y} is the year
TITLES = {
    "summary": (("部门收支总表", "收入支出预算总表", "{Y}年部门收支预算总表", "部门收支预算总表"),
                ("收入支出决算总表", "部门收入支出决算总表", "{Y}年度收入支出决算总表")),
    "income": (("部门收入总表", "收入预算总表", "{Y}年部门收入预算表"), ("收入决算表", "部门收入决算表")),
    "expenditure": (("部门支出总表", "支出预算总表", "{Y}年部门支出预算表", "部门支出预算总表"),
                    ("支出决算表", "部门支出决算表")),
    "fiscal": (("财政拨款收支总表", "财政拨款收支预算总表", "{Y}年财政拨款收支预算总表"),
               ("财政拨款收入支出决算总表", "{Y}年度财政拨款收入支出决算总表")),
    "gpb": (("一般公共预算支出表", "一般公共预算支出预算表", "一般公共预算支出表（分功能科目）",
             "一般公共预算支出功能分类预算表"), ("一般公共预算财政拨款支出决算表",)),
    "basic": (("一般公共预算基本支出表", "一般公共预算基本支出预算表", "一般公共预算基本支出经济分类预算表"),
              ("一般公共预算财政拨款基本支出决算表",)),
    "three": (("一般公共预算“三公”经费支出表", "“三公”经费支出预算表", "一般公共预算“三公”经费预算表"),
              ("一般公共预算财政拨款“三公”经费支出决算表",)),
    "project": (("项目支出表", "项目支出预算表", "项目支出情况表", "{Y}年项目支出预算表"), ("项目支出决算表",)),
}
ROLES = tuple(TITLES)
FORM_TITLES = (("项目支出绩效目标表", "项目绩效目标表", "项目支出绩效目标申报表"),
               ("项目支出绩效自评表", "项目支出绩效自评表", "部门项目支出绩效自评表"))


@dataclass(frozen=True)
class Layout:
    """How one variant prints the model (each field is a layout parameter)."""

    medium: str = TEXT  # text | pdf
    money: str = "万元"  # 万元 | 元
    thousands: bool = True  # thousand separators (always in 元)
    title_pos: str = "above"  # above | in_grid (the title is the first row of the ruled grid)
    new_page: bool = False  # each table starts a page (text: the running footer and header before it)
    numbering: str = "prefix"  # prefix (表一　…) | suffix (…（表1）) | none
    codes: str = "joined"  # joined | split (类/款/项 columns, full codes) | split_parts (208 | 05 | 05) |
    # code_name (code and name in one cell) | indented (names indented by level)
    eco_codes: str = "joined"  # joined | split_suffix (类 | 款 columns, 款 as a spreadsheet prints 02: "2")
    header_rows: int = 1  # 1 | 2 (labels wrapped over two rows; a PDF cell wraps by itself) | 3 (a group row above)
    col_order: str = "tbp"  # order of 合计/基本/项目 in the expenditure tables: tbp | tpb | bpt
    extra_cols: bool = False  # empty 上缴上级支出 / 事业单位经营支出 columns beside 基本/项目
    total_row: str = "top"  # top | bottom: where the 合计 row of a coded table is
    page_break: str = "none"  # none | repeat_header | continued (续表) | bare | lone_total
    break_at: float = 0.5  # where in the department expenditure table the page breaks (fraction of rows)
    spacer: bool = False  # empty spacer columns in the 收支总表
    merge_labels: bool = False  # 合计 label merged over code and name (fewer cells); unit cells blank below
    summary_form: str = "four"  # four (收入 | 支出 by function) | six (also by economic nature)
    three_form: str = "rows"  # rows | wide
    name_suffix: bool = False  # project names in the project table carry their code's tail
    damage: str = "none"  # none | repairable (a 类 code cell) | beyond (a 项 code cell)
    unit_list: str = "numbered"  # numbered (1. name（单位编码…）) | table
    unit_heading: str = "short"  # short (its own line) | glued (a long heading run into the next sentence)
    w_code: str = CODE_HEADS[0]
    w_name: str = NAME_HEADS[0]
    w_total: str = TOTAL_HEADS[0]
    w_basic: str = BASIC_HEADS[0]
    w_project: str = PROJECT_HEADS[0]
    w_eco_code: str = ECO_CODE_HEADS[0]
    w_carry: str = CARRY_WORDS[0]
    # the 基本支出表: columns (a 人员经费 | 公用经费 column pair) | blocks (（一）人员经费 / （二）公用经费 sub-headed
    # blocks, each with its header and subtotal row) | subtotals (one list, 人员经费 / 公用经费 subtotal rows heading
    # their rows) | tables (two tables titled …（人员经费） / …（公用经费）) | side (the two lists side by side)
    basic_form: str = "columns"
    titles: tuple[int, ...] = (0,) * len(ROLES)  # wording index per role (ROLES order)
    # project performance forms (项目支出绩效目标表 / 绩效自评表), the 部门/单位 scope, the PDF's page sizes
    forms: str = "none"  # none | kv (merged cells printed empty) | kv_merged (merged cells dropped: fewer
    # cells) | rows (one field per row: key | value)
    indicator_rows: str = "full"  # full (一级/二级 on every row) | blank (merged down: printed empty below) |
    # short (merged down: later rows have fewer cells; in a PDF a cell spanning the rows)
    form_break: str = "none"  # none | fields (page break between the fields and the indicators) | indicators
    # (page break inside the indicator rows) | continued (inside the indicator rows, 续表 and the header again)
    form_name: str = "same"  # same | qualifier (名称（区级配套）) | prefix (区级名称) | code_suffix (名称T000…)
    wrap_indicators: bool = False  # long 三级指标 names wrapped: the rest on a row of its own
    spaced_values: bool = False  # 指标值 printed with spaces (≤ 30 天)
    w_form: int = 0  # form title wording (FORM_TITLES)
    legal_basis: bool = False  # forms print a 立项依据 row (citations: 文号 and 《titles》)
    scope: str = "department"  # department | unit_own (单位预算 of 局本级) | unit_sub (of a 下属单位)
    unit_title: str = "prefix"  # prefix (XX局本级2025年单位预算) | paren (XX局2025年单位预算（本级）)
    pages: str = "a4"  # PDF page sizes: a4 (portrait, wide tables landscape) | landscape_tables (every
    # table on landscape pages) | a3_tables (narrative A4 portrait, tables A3 landscape)

    def title(self, role: str, phase_index: int, year: int) -> str:
        words = TITLES[role][phase_index]
        return words[self.titles[ROLES.index(role)] % len(words)].replace("{Y}", str(year))

    def form_title(self, final: bool) -> str:
        words = FORM_TITLES[1 if final else 0]
        return words[self.w_form % len(words)]

    def params(self) -> dict:
        """The parameters as plain values (for reports and failure messages)."""
        d = asdict(self)
        d["titles"] = list(self.titles)
        return d


def draw(seed: int, medium: str = TEXT) -> Layout:
    """The layout of ``seed``: the same seed gives the same layout."""
    rng = random.Random(f"layout-{seed}-{medium}")
    money = rng.choice(("万元", "万元", "元"))
    breaks = ("none", "repeat_header", "continued", "bare", "lone_total")
    if medium == PDF:
        breaks = ("none", "repeat_header", "bare", "lone_total")
    page_break = rng.choice(breaks)
    codes = rng.choice(("joined", "split", "split_parts", "code_name", "indented"))
    damage = rng.choice(("none", "none", "none", "repairable", "beyond"))
    if damage == "repairable" and codes == "split_parts":  # 款 parts (05) do not tell their 类
        damage = "none"
    return Layout(
        medium=medium,
        money=money,
        thousands=money == "元" or rng.random() < 0.6,
        title_pos=rng.choice(("above", "above", "in_grid")),
        new_page=rng.random() < 0.4,
        numbering=rng.choice(("prefix", "suffix", "none")),
        codes=codes,
        eco_codes=rng.choice(("joined", "joined", "split_suffix")),
        header_rows=rng.choice((1, 2, 3)),
        col_order=rng.choice(("tbp", "tbp", "tpb", "bpt")),
        extra_cols=rng.random() < 0.4,
        total_row="bottom" if page_break == "lone_total" else rng.choice(("top", "top", "bottom")),
        page_break=page_break,
        break_at=round(rng.uniform(0.15, 0.9), 2),
        spacer=rng.random() < 0.3,
        merge_labels=page_break == "lone_total" or rng.random() < 0.3,
        summary_form=rng.choice(("four", "six")),
        three_form=rng.choice(("rows", "wide")),
        name_suffix=rng.random() < 0.25,
        damage=damage,
        unit_list=rng.choice(("numbered", "table")),
        unit_heading=rng.choice(("short", "short", "glued")),
        w_code=rng.choice(CODE_HEADS), w_name=rng.choice(NAME_HEADS), w_total=rng.choice(TOTAL_HEADS),
        w_basic=rng.choice(BASIC_HEADS), w_project=rng.choice(PROJECT_HEADS),
        w_eco_code=rng.choice(ECO_CODE_HEADS), w_carry=rng.choice(CARRY_WORDS),
        titles=tuple(rng.randrange(4) for _ in ROLES),
        basic_form=rng.choice(("columns", "columns", "blocks", "subtotals", "tables", "side")),  # drawn last: the
        # parameters drawn before it are those of the layouts before it was added
    )


def draw_forms(seed: int, medium: str = TEXT) -> Layout:
    """The layout of ``seed`` with project performance forms, their layout drawn from the seed as well."""
    rng = random.Random(f"layout-forms-{seed}-{medium}")
    base = draw(seed, medium)
    return replace(
        base,
        forms=rng.choice(("kv", "kv_merged", "rows")),
        indicator_rows=rng.choice(("full", "blank", "short")),
        form_break=rng.choice(("none", "none", "fields", "indicators", "continued")),
        form_name=rng.choice(("same", "qualifier", "prefix", "code_suffix")),
        wrap_indicators=rng.random() < 0.3,
        spaced_values=rng.random() < 0.3,
        w_form=rng.randrange(3),
        pages=rng.choice(("a4", "landscape_tables", "a3_tables")) if medium == PDF else "a4",
    )
