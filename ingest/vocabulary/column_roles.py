"""What a table column holds, by the wordings its header uses in the national templates.

One canonical list of column roles (合计, 基本支出, 项目支出, each income source, 预算数/决算数,
类/款/项 and 科目编码/科目名称 …).  A column's header path (its labels top first, e.g.
``('基本支出', '人员经费')``) is normalised (whitespace removed, full-width folded) and matched against a
role's wordings; parsers ask for a role, never for a position or a wording of their own::

    code_cols = columns(grid.paths, CODE)
    total_col = column(grid.paths, TOTAL, start=name_col + 1)
    basic_cols = group_columns(grid.paths, BASIC.label)   # the 基本支出 group's subtotal column(s)

The wordings come from the 部门预算/决算 templates of many provinces (湖北, 上海, 北京, 广东, 浙江 …):
``支出功能分类科目编码``, ``科目代码``, ``本年支出合计``, ``一般公共预算拨款收入``, ``纳入财政专户管理的资金`` ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..normalise import fold_width, squash
from .table_roles import Similarity


@dataclass(frozen=True)
class ColumnRole:
    """A column role: its name, the wordings of its header path, the wordings that rule it out.

    ``wordings`` and ``exclude`` are regexes on the normalised header path (labels joined by ``/``);
    ``label`` (where set) matches one header label that heads the role's column group
    (``基本支出`` over ``人员经费 | 公用经费``); ``known`` (where set) are printed labels the wordings match, the
    targets a label no wording matches is compared with by similarity (the first is the role's canonical label).
    """

    name: str
    wordings: str
    exclude: str | None = None
    label: str | None = None
    known: tuple[str, ...] = ()
    _rx: re.Pattern = field(init=False, repr=False, compare=False)
    _ex: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rx", re.compile(self.wordings))
        object.__setattr__(self, "_ex", re.compile(self.exclude) if self.exclude else None)

    def matches(self, path: tuple[str, ...]) -> bool:
        """True when the header path says this role."""
        joined = normal_path(path)
        return bool(self._rx.search(joined)) and not (self._ex and self._ex.search(joined))


def normal_path(path: tuple[str, ...]) -> str:
    """A header path as the roles match it: labels whitespace-free, full-width folded, joined by ``/``."""
    return "/".join(fold_width(squash(label)) for label in path)


# --- codes and names ---------------------------------------------------------------

CODE = ColumnRole("code", r"编码|代码|编号|^类$|^款$|^项$|/类$|/款$|/项$|^经济科目$|^功能科目$", exclude=r"名称")
# 科目 / 功能分类科目 alone heads a column printing code and name in one cell (``208 社会保障和就业支出``)
NAME = ColumnRole("name", r"名称|(^|/)[^/]*科目$|^项目$", exclude=r"编码|代码")
CLASS_LEVEL = ColumnRole("class", r"(^|/)类$")  # 类: the 3-digit level of a split code
SECTION_LEVEL = ColumnRole("section", r"(^|/)款$")  # 款: the 2 digits after the 类
ITEM_LEVEL = ColumnRole("item", r"(^|/)项$")  # 项: the 2 digits after the 款
SUBJECT_CODE = ColumnRole("subject_code", r"科目(编码|代码)|分类(编码|代码)")
SUBJECT_NAME = ColumnRole("subject_name", r"科目名称|^科目$|分类名称")
# on a code column (单位编码, 单位/科目): its codes name budget units
UNIT_CODE = ColumnRole("unit_code", r"单位", exclude=r"事业单位|附属单位|经营|收入|支出|补助|上缴")
UNIT_NAME = ColumnRole("unit_name", r"单位名称")

ROW_NUMBER = ColumnRole("row_number", r"行次|栏次")
INCOME_SIDE = ColumnRole("income_side", r"^收入", exclude=r"^收入/.*支出|^收入支出")  # a 收支总表's left half
EXPENDITURE_SIDE = ColumnRole("expenditure_side", r"^[^/]*支出", exclude=r"^[^/]*收入")  # its right half

# --- amounts ------------------------------------------------------------------------

# 合计 itself, or under a label naming the figure (``2026年预算数 / 合计``), never a group's 小计 (基本支出/小计)
_FIGURE_GROUP = r"^([^/]*(预算|决算|执行)[^/]*/)?"
TOTAL = ColumnRole("total", _FIGURE_GROUP + r"(本年)?(总计|合计|小计)|" + _FIGURE_GROUP + r"(本年)?支出合计|金额$|"
                   r"^(预算|决算)数$", exclude=r"编码|名称",
                   known=("合计", "总计", "小计", "本年支出合计", "支出合计", "本年合计", "合计数"))
SPENDING = ColumnRole("spending", r"(^|/)(本年)?支出(合计)?($|/)", label=r"^(本年)?支出(合计)?$")  # 本年支出 group
# 基本支出 / 项目支出, printed 基本经费 / 项目经费 in some provinces' templates (江西, 湖南 单位预算 …)
BASIC = ColumnRole("basic", r"(^|/)基本(支出|经费)", label=r"^基本(支出|经费)",
                   known=("基本支出", "基本经费", "基本支出合计"))
PROJECT = ColumnRole("project", r"(^|/)项目(支出|经费)", label=r"^项目(支出|经费)",
                     known=("项目支出", "项目经费", "项目支出合计"))
# further spending beside 基本/项目 in 决算 tables: 合计 = 基本 + 项目 + these
OTHER_SPENDING = ColumnRole("other_spending", r"(上缴上级支出|经营支出|对附属单位补助支出|对下级单位补助支出)$")
PERSONNEL = ColumnRole("personnel", r"人员经费")
PUBLIC = ColumnRole("public", r"公用经费")
CARRYOVER = ColumnRole("carryover", r"(^|/)(上年|年初)结转",
                       known=("上年结转", "年初结转", "上年结转结余", "年初结转和结余"))

# --- income sources -------------------------------------------------------------------

FISCAL = ColumnRole("fiscal_appropriation", r"财政拨款", exclude=r"非财政拨款",
                    known=("财政拨款", "财政拨款收入", "财政拨款补助收入"))
GENERAL_PUBLIC = ColumnRole("general_public_budget", r"一般公共预算",
                            known=("一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入", "一般公共预算财政拨款"))
GOV_FUND = ColumnRole("gov_fund", r"政府性基金",
                      known=("政府性基金预算", "政府性基金拨款", "政府性基金预算拨款收入", "政府性基金预算财政拨款"))
STATE_CAPITAL = ColumnRole("state_capital", r"国有资本经营",
                           known=("国有资本经营预算", "国有资本经营预算拨款收入", "国有资本经营预算财政拨款"))
SPECIAL_ACCOUNT = ColumnRole("special_account", r"财政专户",
                             known=("财政专户管理资金", "财政专户管理资金收入", "纳入财政专户管理的资金"))
BUSINESS_INCOME = ColumnRole("business_income", r"事业收入", exclude=r"经营", known=("事业收入",))
OPERATING_INCOME = ColumnRole("operating_income", r"经营收入", known=("事业单位经营收入", "经营收入"))
SUPERIOR_SUBSIDY = ColumnRole("superior_subsidy", r"上级(单位)?补助", known=("上级补助收入", "上级补助"))
AFFILIATED = ColumnRole("affiliated_remittance", r"(附属|下级)单位上缴", known=("附属单位上缴收入", "附属单位上缴"))
OTHER_INCOME = ColumnRole("other_income", r"其他收入|其他资金", known=("其他收入", "其他资金"))

# the sources of income beyond the 财政拨款 a 部门 table may add (a 一般公共预算 table has none of them)
NON_FISCAL_SOURCES = (SPECIAL_ACCOUNT, BUSINESS_INCOME, OPERATING_INCOME, SUPERIOR_SUBSIDY, AFFILIATED,
                      OTHER_INCOME)
INCOME_SOURCES = (FISCAL, GENERAL_PUBLIC, GOV_FUND, STATE_CAPITAL, *NON_FISCAL_SOURCES)

# --- which figure ---------------------------------------------------------------------

PLANNED_FIGURE = ColumnRole("planned", r"预算|金额|本年")  # 预算数, 2025年预算, 本年金额: the figure planned
FINAL_FIGURE = ColumnRole("final", r"决算|执行数|实际", known=("决算数", "支出决算", "全年执行数"))  # 决算数, 全年执行数, 实际完成
# a column comparing figures (not 变动后/调整后预算数, a figure; not 用事业基金弥补收支差额, an income line)
CHANGE = ColumnRole("change", r"增减|增长|增幅|变动|同比|比上年|差额|比较|%|％", exclude=r"(变动|调整)后|弥补")
INITIAL_BUDGET = ColumnRole("initial_budget", r"年初预算", known=("年初预算数", "年初预算"))
FULL_YEAR_BUDGET = ColumnRole("full_year_budget", r"全年预算|调整预算|(调整|变动)后预算",
                              known=("全年预算数", "调整预算数", "调整后预算数"))

COLUMN_ROLES: tuple[ColumnRole, ...] = (
    CODE, NAME, CLASS_LEVEL, SECTION_LEVEL, ITEM_LEVEL, SUBJECT_CODE, SUBJECT_NAME, UNIT_CODE, UNIT_NAME,
    ROW_NUMBER, INCOME_SIDE, EXPENDITURE_SIDE,
    TOTAL, SPENDING, BASIC, PROJECT, OTHER_SPENDING, PERSONNEL, PUBLIC, CARRYOVER, *INCOME_SOURCES,
    PLANNED_FIGURE, FINAL_FIGURE, CHANGE, INITIAL_BUDGET, FULL_YEAR_BUDGET,
)


def columns(paths: list[tuple[str, ...]], role: ColumnRole, start: int = 0) -> list[int]:
    """The columns (from ``start``) whose header path says ``role``."""
    return [c for c, path in enumerate(paths) if c >= start and role.matches(path)]


def column(paths: list[tuple[str, ...]], role: ColumnRole, start: int = 0) -> int | None:
    """The first column (from ``start``) whose header path says ``role``, else ``None``."""
    return next(iter(columns(paths, role, start)), None)


def roles_of(path: tuple[str, ...]) -> list[str]:
    """The names of every role a header path says (for messages and for tests)."""
    return [role.name for role in COLUMN_ROLES if role.matches(path)]


# --- by similarity ----------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarRoles:
    """Roles a header label no wording names may take by similarity, and the thresholds measured for them: the
    nearest role is taken when its score is at least ``minimum`` and beats the next role's by ``margin``
    (``stricter``: a role name → its own higher ``(minimum, margin)``)."""

    roles: tuple[ColumnRole, ...]
    minimum: float
    margin: float
    stricter: dict[str, tuple[float, float]] = field(default_factory=dict)

    def thresholds(self, role: ColumnRole) -> tuple[float, float]:
        return self.stricter.get(role.name, (self.minimum, self.margin))


# The roles of a coded table's amount columns, confirmed by 合计 = 基本 + 项目 on every row (a coded table's level
# sums hold for any of its amount columns, so they confirm no role).
SIMILAR_ROLES: tuple[ColumnRole, ...] = (TOTAL, BASIC, PROJECT)

# Measured with the default model (multilingual-e5-small; cosines of short labels lie in 0.85–0.99), see
# tests/kg/test_column_role_similarity.py and tests/ingest/test_column_similarity_measured.py: novel wordings scored
# 0.931–0.984 with margins ≥ 0.011 over the next role (专项业务支出 0.931/0.011, 基本运转支出 0.951/0.045,
# 本年度支出总额 0.956/0.026); labels of other columns (备注, 序号, 上年预算数, 上年决算数, 结转下年, 工资福利支出 …)
# at most 0.922 with a margin ≥ 0.005 (上年决算数 0.922/0.022), or more only with a margin ≤ 0.0022 (资本性支出
# 0.933/0.002).  Each known wording left out scores its own role, or (支出合计, 基本支出合计, 项目支出合计) another
# or its own only with a margin ≤ 0.0042; 小计 left out scores 0.927.  Labels naming another role by wording
# (项目名称 0.928 → project, 收入合计 0.970 → total) never reach this step.  Per role on the measured set:
# 基本 and 项目 precision and recall 1.00; 合计 recall 0.75, precision 0.43 (本年收入 0.951, 本年结余 0.929,
# 支出总计, 全年支出数 are as near 合计's wordings as its novel ones): the separation is thin, and every choice
# needs 合计 = 基本 + 项目 to hold on the rows (ingest.reconcile.similar_columns).
SIMILARITY_MIN = 0.927
SIMILARITY_MARGIN = 0.005
SPENDING_SIMILAR = SimilarRoles(SIMILAR_ROLES, SIMILARITY_MIN, SIMILARITY_MARGIN)

# The parts of a table's income (收入总表, a 部门 table listing its sources): 上年结转 and each source.  Measured
# (tests/ingest/test_column_similarity_measured.py) on the novel wordings and distractors that reach this step:
# at 0.94 / 0.018 the sources are taken with precision 1.00 (no novel wording or distractor taken as a source it
# is not) and recall 24 of 31 (0.77; per source 0.40 财政拨款 – 1.00; lost on the margin: 公共财政预算拨款 0.009,
# 基金预算拨款 0.010, 财政拨付资金 0.014; nearest a wrong source below it: 财政资金 → 财政专户 0.015, 本级财政补助 →
# 上级补助 0.010, 主管部门补助收入 → 财政拨款 0.004, 事业单位收入 → 经营收入 0.004); the nearest distractors stay
# out (资金来源 0.933 → 其他资金, 税收收入 0.952 / 0.008).  上年结转 cannot be told from its opposites by
# similarity: 结转下年 0.975 / 0.099, 年末结转和结余 0.981 / 0.111, 本年结余, 年末结余 score as high as 上年结余
# 0.987, 以前年度结转 0.961 (recall 1.00, precision 0.60).  So every choice here needs the table's arithmetic —
# 合计 = 上年结转 + Σ sources on every row, with the columns and not without them
# (ingest.reconcile.similar_columns.choose_income_roles) — and 上年结转 rests on it alone (its thresholds only
# keep labels far from every part out).  The arithmetic confirms that a column is a part of the income, not which
# source: that rests on the margin above.
INCOME_PARTS = (CARRYOVER, *INCOME_SOURCES)
INCOME_SIMILAR = SimilarRoles(INCOME_PARTS, 0.94, 0.018, stricter={CARRYOVER.name: (0.96, 0.05)})

# Not taken by similarity (measured, same test): which figure a column holds (年初预算数 / 调整预算数 / 决算数).
# Last year's figures score as high as this year's (上年执行数 0.973 / 0.059 and 上年决算数 0.953 / 0.031 →
# 决算数, against 全年完成数 0.951 / 0.015, 年初数 0.955 / 0.041; 决算数 precision 0.20 at 0.94 / 0.018), and no
# equality of the document ties a 预算数 column to a 决算数 one, so nothing could confirm a choice.  Nor the code
# and name columns (类/款/项, 科目编码, 科目名称): they hold no amounts, their cells (codes, names) say what they
# hold, and the amount roles' wordings are far from their labels (科目编码 0.876, 功能分类科目 0.887, 类 0.868).
FIGURE_ROLES = (INITIAL_BUDGET, FULL_YEAR_BUDGET, FINAL_FIGURE)

# roles that qualify a label without saying what its column holds: the 支出 half of a 收支总表 (本年度支出总额
# starts with 支出 words), which figure (本年 / 预算 / 决算)
_QUALIFIERS = (EXPENDITURE_SIDE, PLANNED_FIGURE, FINAL_FIGURE)


def says_no_role(path: tuple[str, ...]) -> bool:
    """True when a header path says no role but, at most, a qualifier (``本年度支出总额``, ``备注``)."""
    return bool(path) and all(role in _QUALIFIERS or not role.matches(path) for role in COLUMN_ROLES)


@dataclass(frozen=True)
class SimilarRole:
    """The role nearest a header label by similarity: ``role`` (``None``: not near enough, or not clearly
    nearer than the next role), its score, its margin over the next role and the nearest wording."""

    label: str
    role: ColumnRole | None
    score: float
    margin: float
    nearest: str


def nearest_roles(labels: list[str], similarity: Similarity,
                  pool: SimilarRoles = SPENDING_SIMILAR) -> list[SimilarRole]:
    """For each label, the role among ``pool.roles`` whose known wordings are most similar to it; taken when its
    score and its margin over the next role reach the role's thresholds (:meth:`SimilarRoles.thresholds`)."""
    targets = [(w, role) for role in pool.roles for w in role.known]
    normal = [fold_width(squash(label)) for label in labels]
    out = []
    for label, scores in zip(labels, similarity(normal, [w for w, _ in targets]) if labels else []):
        best: dict[str, tuple[float, str, ColumnRole]] = {}
        for (wording, role), score in zip(targets, scores):
            if role.name not in best or score > best[role.name][0]:
                best[role.name] = (float(score), wording, role)
        ranked = sorted(best.values(), key=lambda t: -t[0])
        score, wording, role = ranked[0]
        margin = score - (ranked[1][0] if len(ranked) > 1 else 0.0)
        minimum, least_margin = pool.thresholds(role)
        near = score >= minimum and margin >= least_margin
        out.append(SimilarRole(label, role if near else None, score, margin, wording))
    return out
