"""Tables printed in parts: the 基本支出表 as its 人员经费 and 公用经费, and the words that name a part.

A disclosure may print the 一般公共预算基本支出表 as one table with a 人员经费 | 公用经费 column pair, as one table of
two blocks under the sub-headings （一）人员经费 / （二）公用经费, as one list with 人员经费 / 公用经费 subtotal rows,
as two tables titled …基本支出表（人员经费） / …（公用经费）, or as the two lists side by side in one grid.  A part
is named by a sub-heading, a subtotal row's label (``人员经费合计``), a title's bracketed qualifier or a header
label spanning one list; its lines are the 经济分类 类 it holds (人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助,
公用经费 = 302 商品和服务支出 + 310 资本性支出 (+ 399 其他支出)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalise import fold_brackets, fold_width, squash


@dataclass(frozen=True)
class Part:
    """One part of a table: its key, its name as printed, the 经济分类 类 codes it is made of."""

    key: str
    name: str
    classes: tuple[str, ...]


PERSONNEL_PART = Part("personnel", "人员经费", ("301", "303"))
PUBLIC_PART = Part("public", "公用经费", ("302", "310", "399"))
PARTS: dict[str, tuple[Part, ...]] = {"basic_economic": (PERSONNEL_PART, PUBLIC_PART)}  # by table role
BY_KEY = {p.key: p for parts in PARTS.values() for p in parts}

_NUMBER = r"(?:[(][一二三四五六七八九十\d]+[)]|[一二三四五六七八九十\d]+[、.．])?"
# ``（一）人员经费``, ``人员经费合计``, ``基本支出-公用经费小计``, ``人员经费部分``, ``公用经费（单位：万元）``
_NAMED = re.compile(rf"^{_NUMBER}(?:基本支出[-:：]?)?(?P<name>人员经费|公用经费)(?:支出)?(?:部分|明细)?"
                    r"(?:合计|小计)?(?:[(](?:单位[:：])?(?:万元|元)[)])?$")
_QUALIFIED = re.compile(r"[(](?P<name>人员经费|公用经费)(?:部分|明细)?[)]$")


def _folded(text: str) -> str:
    return fold_brackets(fold_width(squash(text)))


def part_named(role: str, text: str) -> Part | None:
    """The part of a table of ``role`` that ``text`` (a sub-heading, a row label, a header label) names, or ``None``."""
    m = _NAMED.match(_folded(text))
    return next((p for p in PARTS.get(role, ()) if m and p.name == m["name"]), None)


def title_part(role: str, title: str) -> Part | None:
    """The part a table's title names in its closing bracket (``…基本支出表（人员经费）``), or ``None``."""
    m = _QUALIFIED.search(_folded(title))
    return next((p for p in PARTS.get(role, ()) if m and p.name == m["name"]), None)


def whole_title(title: str) -> str:
    """A title without the part its closing bracket names: the table the part belongs to."""
    folded = _folded(title)
    m = _QUALIFIED.search(folded)
    return folded[:m.start()] if m else folded
