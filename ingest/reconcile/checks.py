"""The equalities a disclosure's tables obey by definition, as :class:`~ingest.records.Check` records.

Within a coded table: every 类/款 row equals the sum of the rows one level below it (``level_sum``), the
合计 row equals the sum of the top-level rows (``table_total``; its 基本/项目 figures too, ``column_total``),
and where the table has 基本支出 and 项目支出 columns beside its 合计 column, 合计 = 基本 + 项目 on every row
(``basic_plus_project``); where it prints 人员经费 and 公用经费 columns, 基本支出 = 人员经费 + 公用经费 on every
row (``personnel_plus_public``) and, in the 基本支出表, 人员经费 = 301 + 303, 公用经费 = 302 + 310 (+ 399) on its
合计 row, or on each part's subtotal where it is printed in parts (``personnel_public_classes``).
Within the 收支总表: 收入总计 = 支出总计 (``summary_balance``).  Across tables: the 部门 expenditure table's
合计 = the 收支总表's 支出 (``expenditure_vs_summary``), the 一般公共预算 table's 合计 = the 财政拨款收支总表's
一般公共预算 figure (``gpb_vs_fiscal_summary``), its 基本支出 = the 一般公共预算基本支出表's 合计
(``basic_vs_economic``), each 部门 line ≥ (in a column whose 合计 agrees: =) the same 一般公共预算 line
(``department_line_below_gpb`` / ``department_line_vs_gpb``), 三公 合计 = its parts (``three_public_parts``),
Σ project-table amounts = 项目支出 (``projects_vs_project_expenditure``).  Each figure in its table's unit with its printed precision.
"""

from __future__ import annotations

import re
from ..records import Check, Figure
from ..tables.three_public import CAR_PART
from ..vocabulary.table_parts import PARTS, Part
from .figures import tolerance, total_of
from .ledger import Ledger, LedgerRow


def compare(rule: str, left: Figure, right: Figure, what: str, culprit: str = "") -> Check:
    """``left`` = ``right`` within half a unit of the last printed digit of each term; ``culprit`` (Chinese)
    says which side to suspect when it fails (the template's ``culprit`` field)."""
    tol = tolerance(left, right)
    passed = left.amount is not None and right.amount is not None and abs(left.amount - right.amount) <= tol
    if passed:
        message = f"{what}: {left.label} {left.amount} = {right.label} {right.amount}"
    else:
        message = (f"{what}: {left.label} {left.amount} ≠ {right.label} {right.amount} "
                   f"(difference {_difference(left, right)}, tolerance {tol.normalize()})")
        if culprit:
            message += f"; {culprit}"
    params = (("culprit", f"；{culprit}"),) if culprit and not passed else ()
    return Check(rule, passed, left, right, tol, message, params)


def _difference(left: Figure, right: Figure) -> str:
    if left.amount is None or right.amount is None:
        return "a figure is missing"
    return str((left.amount - right.amount).normalize())


def _culprit(ledger: Ledger) -> str:
    """Which side to suspect when a table's own sums fail."""
    if ledger.unread:
        pages = sorted({p.line for p in ledger.unread if p.line is not None})
        return f"可能是解析问题：本表有 {len(ledger.unread)} 行未能读取（第 {'、'.join(map(str, pages[:5]))} 行）"
    return "可能是文件本身的问题：本表各行均已读取，所印数字本身不相加"


def _parent(code: str, codes: set[str]) -> str | None:
    """The code one level up that the table lists (``2101101`` → ``21011``), else ``None``."""
    return code[:-2] if len(code) > 3 and code[:-2] in codes else None


def _blocks(ledger: Ledger) -> list[list[LedgerRow]]:
    """The rows in runs of one 类 each (a 分单位 table lists a 类 once per unit)."""
    runs: list[list[LedgerRow]] = []
    for row in ledger.rows:
        if not runs or len(row.code) == 3 or not row.code.startswith(runs[-1][0].code[:3]):
            runs.append([])
        runs[-1].append(row)
    return runs


def level_sums(ledger: Ledger) -> list[Check]:
    """Every row with rows one level below it = their sum."""
    out = []
    for run in _blocks(ledger):
        codes = {r.code for r in run}
        for row in run:
            kids = [r.total for r in run if _parent(r.code, codes) == row.code and r.total is not None]
            if not kids or row.total is None:
                continue
            level = "款" if len(row.code) == 3 else "项"
            out.append(compare("level_sum", row.total, total_of(kids, f"{row.code} 下各{level}之和"),
                               f"{ledger.title}: {row.code} {row.name}", _culprit(ledger)))
    return out


def _top_rows(ledger: Ledger) -> list[LedgerRow]:
    """The rows whose parent the table does not list."""
    codes = {r.code for r in ledger.rows}
    return [r for r in ledger.rows if _parent(r.code, codes) is None]


def table_totals(ledger: Ledger) -> list[Check]:
    """The 合计 row = the sum of the top-level rows."""
    if ledger.total is None or ledger.total.total is None or not ledger.rows:
        return []
    top = [r.total for r in _top_rows(ledger) if r.total is not None]
    if not top:
        return []
    return [compare("table_total", ledger.total.total, total_of(top, "各顶层科目之和"),
                    f"{ledger.title}: 合计", _culprit(ledger))]


def column_totals(ledger: Ledger) -> list[Check]:
    """The 合计 row's 基本支出 and 项目支出 = the sums of the top-level rows' (a table printing both)."""
    if not ledger.has_split or ledger.total is None or not ledger.rows:  # a table of units lists no lines
        return []
    out = []
    for part, name in (("basic", "基本支出"), ("project", "项目支出")):
        whole = getattr(ledger.total, part)
        figures = [getattr(r, part) for r in _top_rows(ledger) if getattr(r, part) is not None]
        if whole is not None:  # rows printing none of the part sum to 0 (a 合计 that prints it fails)
            out.append(compare("column_total", whole, total_of(figures, f"各顶层科目{name}之和"),
                               f"{ledger.title}: 合计 {name}", _culprit(ledger)))
    return out


def _row_sum(ledger: Ledger, row: LedgerRow) -> Check | None:
    """合计 = 基本支出 + 项目支出 (+ 其他支出) of one row of a table printing the split (blank parts count 0)."""
    parts = [f for f in (row.basic, row.project, row.other) if f is not None]
    if not ledger.has_split or row.total is None or not parts:
        return None
    label = "基本支出 + 项目支出" + (" + 其他支出" if row.other is not None else "")
    return compare("basic_plus_project", row.total, total_of(parts, label),
                   f"{ledger.title}: {row.code or '合计'} {row.name}", "可能是文件本身的问题：该行印出了这三个数")


def basic_plus_project(ledger: Ledger) -> list[Check]:
    """合计 = 基本支出 + 项目支出 (+ 上缴上级支出, 经营支出 … where printed) on every row that prints a 合计
    (blank parts count 0)."""
    checks = (_row_sum(ledger, row) for row in [*ledger.totals, *ledger.rows])
    return [c for c in checks if c is not None]


def lines_across(books: list[Ledger]) -> list[Check]:
    """A code listed once in each of two tables of one role (the 一般公共预算支出表 and its 项级 variant) has
    one amount."""
    out = []
    seen: dict[tuple[str, str], LedgerRow] = {}
    firsts: dict[str, str] = {}
    for book in books:
        counts: dict[str, int] = {}
        for row in book.rows:
            counts[row.code] = counts.get(row.code, 0) + 1
        for row in book.rows:
            if counts[row.code] != 1 or row.total is None:
                continue
            key = (book.role, row.code)
            first = seen.get(key)
            if first is None:
                seen[key] = row
                firsts[f"{book.role}/{row.code}"] = book.title
            elif first.provenance.table != row.provenance.table:
                out.append(compare("line_across_tables", row.total, first.total,
                                   f"{row.code} {row.name} in {book.title} vs {firsts[f'{book.role}/{row.code}']}",
                                   "可能是文件本身的问题：两表所印该行不同"))
    return out


def _single_rows(books: list[Ledger]) -> dict[str, tuple[Ledger, LedgerRow]]:
    """Each code's row (and its table) in the first of ``books`` that lists it once with a 合计."""
    out: dict[str, tuple[Ledger, LedgerRow]] = {}
    for book in books:
        counts: dict[str, int] = {}
        for row in book.rows:
            counts[row.code] = counts.get(row.code, 0) + 1
        for row in book.rows:
            if counts[row.code] == 1 and row.total is not None:
                out.setdefault(row.code, (book, row))
    return out


def _adds_up(book: Ledger, row: LedgerRow) -> bool:
    """The row's 合计 is its 基本支出 + 项目支出 (or the table does not print them)."""
    check = _row_sum(book, row)
    return check is None or check.passed


def at_least(rule: str, left: Figure, right: Figure, what: str, culprit: str = "") -> Check:
    """``left`` ≥ ``right`` within half a unit of the last printed digit of each (see :func:`compare`)."""
    tol = tolerance(left, right)
    passed = left.amount is not None and right.amount is not None and left.amount >= right.amount - tol
    sign = "≥" if passed else "<"
    message = f"{what}: {left.label} {left.amount} {sign} {right.label} {right.amount}"
    if not passed:
        message += f" (difference {_difference(left, right)}, tolerance {tol.normalize()})"
    params = (("culprit", f"；{culprit}"),) if culprit and not passed else ()
    return Check(rule, passed, left, right, tol, message, params)


_PARTS = (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))


def department_vs_gpb(dept: list[Ledger], gpb: list[Ledger]) -> list[Check]:
    """Each line of the 部门 expenditure table against the same code in the 一般公共预算 table, per column
    (合计, and 基本支出 / 项目支出 where both tables print them): the 部门 line covers every source, so it is
    ≥ the 一般公共预算 line (``department_line_below_gpb``); in a column whose printed 合计 is the same in both
    tables no other source has an amount, so every line is equal (``department_line_vs_gpb``).  A 合计 that is
    not its row's 基本 + 项目 is reported by ``basic_plus_project`` and not compared again."""
    if not dept or not gpb:
        return []
    ours, theirs = _single_rows(dept), _single_rows(gpb)
    out = []
    for part, name in _PARTS:
        if part != "total" and not (dept[0].has_split and gpb[0].has_split):
            continue
        whole_d, whole_g = (getattr(b.total, part) if b.total is not None else None for b in (dept[0], gpb[0]))
        equal = whole_d is not None and whole_g is not None and compare("", whole_d, whole_g, "").passed
        for code, (book, row) in ours.items():
            if code not in theirs:
                continue
            other_book, other = theirs[code]
            left, right = getattr(row, part), getattr(other, part)
            if left is None or right is None:
                continue
            if part == "total" and not (_adds_up(book, row) and _adds_up(other_book, other)):
                continue
            what = f"{code} {row.name} {name}: {row.provenance.table} vs {other.provenance.table}"
            if equal:
                out.append(compare("department_line_vs_gpb", left, right, what,
                                   f"两表{name}合计相同（{whole_d.amount}），一般公共预算以外的来源在本栏没有金额，"
                                   "各行应相同"))
            else:
                out.append(at_least("department_line_below_gpb", left, right, what,
                                    "部门支出含一般公共预算支出，同一科目不应更小"))
    return out


def _basic(ledger: Ledger, row: LedgerRow) -> Figure | None:
    """A row's 基本支出: its 基本支出 column beside 合计 and 项目支出, else (a 基本支出表) its 合计."""
    return row.basic if ledger.has_split else row.total


def _sum_or_one(figures: list[Figure], label: str) -> Figure:
    """The sum of ``figures``; a single figure as itself (the same quantity printed twice: no rounding slack)."""
    return figures[0] if len(figures) == 1 else total_of(figures, label)


def personnel_plus_public(ledger: Ledger) -> list[Check]:
    """基本支出 = 人员经费 + 公用经费 on every row of a table printing both columns that prints one of them
    (a blank one counts 0)."""
    if not ledger.has_personnel_public:
        return []
    out = []
    for row in [*ledger.totals, *ledger.rows]:
        parts = [f for f in (row.personnel, row.public) if f is not None]
        basic = _basic(ledger, row)
        if basic is None or not parts:
            continue
        out.append(compare("personnel_plus_public", basic, _sum_or_one(parts, "人员经费 + 公用经费"),
                           f"{ledger.title}: {row.code or '合计'} {row.name}", "可能是文件本身的问题：该行所印各数本身不相加"))
    return out


def _stated_part(ledger: Ledger, part: Part) -> tuple[Figure | None, list[LedgerRow]]:
    """What a 基本支出表 states of one part and the 类 rows the part is made of: the 合计 row's 人员经费 / 公用经费
    column and every such 类 row; printed in parts, the part's subtotal (or its list's 合计) and its own such rows."""
    if ledger.has_personnel_public:
        whole = getattr(ledger.total, part.key) if ledger.total is not None else None
        return whole, [r for r in ledger.rows if r.code in part.classes and _basic(ledger, r) is not None]
    stated = ledger.parts.get(part.key)
    rows = [r for r in ledger.rows if r.part == part.key and r.code in part.classes and _basic(ledger, r) is not None]
    return (stated.total if stated is not None else None), rows


def personnel_public_classes(ledger: Ledger) -> list[Check]:
    """In a 基本支出表 that states 人员经费 and 公用经费 (columns of its 合计 row, or subtotals of its parts) and
    prints its 经济分类 类 rows: 人员经费 = the 301 + 303 rows, 公用经费 = the 302 + 310 (+ 399) rows."""
    if ledger.role != "basic_economic" or not any(len(r.code) == 3 for r in ledger.rows):
        return []
    out = []
    for part in PARTS[ledger.role]:
        whole, rows = _stated_part(ledger, part)
        if whole is None or not rows:
            continue
        out.append(compare("personnel_public_classes", whole,
                           _sum_or_one([_basic(ledger, r) for r in rows], f"{'、'.join(r.code for r in rows)} 之和"),
                           f"{ledger.title}: 合计 {part.name}", _culprit(ledger)))
    return out


def within(ledger: Ledger) -> list[Check]:
    return [*level_sums(ledger), *table_totals(ledger), *column_totals(ledger), *basic_plus_project(ledger),
            *personnel_plus_public(ledger), *personnel_public_classes(ledger)]


_ITEMS = (re.compile(r"出国"), re.compile(r"公务接待"))
_CAR = re.compile(r"公务用车")


def three_public_parts(total: Figure, lines: list[Figure]) -> list[Check]:
    """三公 合计 = 因公出国（境） + 公务用车购置及运行 + 公务接待 (the car line, or its 购置 and 运行 parts)."""
    items = [f for f in lines if any(rx.search(f.label) for rx in _ITEMS)]
    car = [f for f in lines if _CAR.search(f.label) and not CAR_PART.search(f.label)]
    car = car[:1] or [f for f in lines if CAR_PART.search(f.label)]
    parts = [f for f in items + car if f.amount is not None]
    if total.amount is None or not parts:
        return []
    return [compare("three_public_parts", total, total_of(parts, "因公出国（境）、公务用车、公务接待之和"),
                    "“三公”经费 合计")]

