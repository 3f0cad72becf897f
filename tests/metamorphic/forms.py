"""The performance forms of a disclosure's projects (项目支出绩效目标表; 决算: 项目支出绩效自评表), as records.

Each form belongs to one project of the model: its fields (项目名称, 主管部门, 实施单位, 项目资金, 长期目标, 年度目标)
and its indicator rows (一级 / 二级 / 三级指标, 指标值), drawn from a seed of their own so that the disclosure
model itself is the same with or without forms.  An indicator value is a comparator, a number and a unit
(``≥95%``, ``≤ 30 天``, ``=100%``, ``1,900人``) or a 定性 word (``好``, ``逐步提高``); the records expected from
a form are these parts, never a parse of the printed value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from .model import FINAL, Disclosure, ProjectRec

# (一级, 二级, 三级 with {s} the project's stem, comparator, number range or None, unit, 定性 words)
POOL = (
    ("产出指标", "数量指标", "{s}服务对象人数", "≥", (300, 90000), "人", ()),
    ("产出指标", "数量指标", "{s}覆盖单位数量", "≥", (5, 80), "个", ()),
    ("产出指标", "质量指标", "{s}资金使用合规率", "=", (100, 100), "%", ()),
    ("产出指标", "质量指标", "{s}任务验收合格率", "≥", (90, 99), "%", ()),
    ("产出指标", "时效指标", "资金拨付及时率", "", (100, 100), "%", ()),
    ("产出指标", "时效指标", "{s}任务完成时限", "≤", (10, 60), "天", ()),
    ("成本指标", "经济成本指标", "{s}单位服务成本", "≤", (20, 900), "元/人", ()),
    ("效益指标", "社会效益指标", "{s}群众获得感", "", None, "", ("逐步提高", "有效提升", "好", "明显改善")),
    ("效益指标", "可持续影响指标", "{s}长效管理机制", "", None, "", ("持续完善", "长期", "逐步健全")),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", (85, 98), "%", ()),
)
# 立项依据: what a project's form cites (a national 文号, a city's 规范性文件 by title and 文号, a district's bare
# 文号, a 《…办法》 by title alone), per sector the subject of the city's rule
NATIONAL = ("《财政部关于印发〈地方预决算公开操作规程〉的通知》（财预〔2016〕143号）",
            "《财政部关于推进预算绩效管理的指导意见》（财预〔2011〕416号）", "《项目支出绩效评价管理办法》（财预〔2020〕10号）",
            "《中华人民共和国预算法》")
TOPICS = {"卫健局": ("基本公共卫生服务", "重大传染病防控"), "教育局": ("学前教育资助", "义务教育经费保障"),
          "民政局": ("社会救助", "最低生活保障"), "司法局": ("法律援助", "人民调解"),
          "文旅局": ("公共文化服务", "非物质文化遗产保护")}
ALWAYS = (0, 7, 9)  # every form has an output, an effect and a satisfaction indicator
STEM_ENDS = ("专项经费", "工作经费", "补助资金", "补助经费", "奖补资金", "经费", "资金", "补贴", "补助", "项目")


@dataclass(frozen=True)
class IndicatorRec:
    level1: str
    level2: str
    level3: str
    comparator: str  # ≥ ≤ = or "" (printed without one)
    number: Decimal | None
    unit: str
    word: str = ""  # a 定性 value
    actual: str = ""  # 决算: 实际完成值 as printed

    def printed(self, spaced: bool = False) -> str:
        """The 指标值 cell: ``≥95%`` (``≥ 95 %`` when ``spaced``), ``1,900人``, or the 定性 word."""
        if self.word:
            return self.word
        number = f"{self.number:,}" if self.number is not None and self.number >= 1000 else f"{self.number}"
        return f"{self.comparator} {number} {self.unit}".strip() if spaced else f"{self.comparator}{number}{self.unit}"


@dataclass(frozen=True)
class FormRec:
    project: ProjectRec
    long_goal: str
    annual_goal: str
    executor: str  # 实施单位
    indicators: tuple[IndicatorRec, ...]
    basis: str = ""  # 立项依据 (printed when the layout asks: ``Layout.legal_basis``)


def stem(name: str) -> str:
    """A project's name without its kind word (经费, 资金 …): the subject its indicators name."""
    for end in STEM_ENDS:
        if name.endswith(end) and len(name) > len(end) + 1:
            return name[: -len(end)]
    return name


def _indicator(rng: random.Random, spec: tuple, s: str, final: bool) -> IndicatorRec:
    level1, level2, level3, comparator, span, unit, words = spec
    word = rng.choice(words) if words else ""
    number = None if word else Decimal(rng.randint(*span))
    actual = ""
    if final:
        actual = word or f"{number + (1 if comparator == '≥' and unit != '%' else 0)}{unit}"
    return IndicatorRec(level1, level2, level3.format(s=s), comparator, number, unit, word, actual)


def legal_basis(d: Disclosure, p: ProjectRec) -> str:
    """The 立项依据 of ``p``'s form: a national rule, the city's rule on the sector's subject (its title and
    文号) and a district 文号, drawn from a seed of the project's own (the forms' draws do not move)."""
    rng = random.Random(f"basis-{p.code}")
    topic = rng.choice(TOPICS.get(d.sector.short, ("专项资金",)))
    year = rng.randint(2012, d.year - 1)
    city_rule = (f"《{d.city}人民政府关于印发{d.city}{topic}管理办法的通知》"
                 f"（{d.city[0]}政规〔{year}〕{rng.randint(1, 40)}号）")
    district = f"{d.district[0]}办文〔{rng.randint(year, d.year - 1)}〕{rng.randint(1, 60)}号"
    return f"根据{rng.choice(NATIONAL)}、{city_rule}和{district}文件要求，做好{stem(p.name)}工作。"


def build_forms(d: Disclosure, seed: int) -> list[FormRec]:
    """The forms of ``d``: one for each of the first projects (at least two), each with 4–8 indicators."""
    rng = random.Random(f"forms-{seed}")
    n = rng.randint(min(2, len(d.projects)), len(d.projects))
    out = []
    for p in d.projects[:n]:
        picks = sorted(set(ALWAYS) | set(rng.sample(range(len(POOL)), rng.randint(1, 5))))
        s = stem(p.name)
        inds = tuple(_indicator(rng, POOL[i], s, d.phase == FINAL) for i in picks)
        out.append(FormRec(p, long_goal=f"长期目标：持续推进{s}工作，建立健全{s}长效机制。",
                           annual_goal=f"年度目标：按时完成{s}各项任务，资金使用规范，服务对象满意度不断提高。",
                           executor=p.unit.name, indicators=inds, basis=legal_basis(d, p)))
    return out
