"""What a table is: the canonical table roles, each with the wordings disclosures use for its title.

A title is matched in three steps, on its normalised text (:func:`title_core`: whitespace removed, widths and
brackets folded, a leading year, a trailing ``（续）`` and a ``（公开01表）`` numbering removed):

1. **wording**: the core ends with one of a role's known wordings (the longest such wording), so any
   department, unit or year before it does not matter (``上海市普陀区财政局2025年部门收支预算总表``);
2. **key**: the first role, in the order of :data:`ROLES`, whose key phrase the core contains
   (``三公``, ``政府采购``, ``项目支出预算表`` …); where 1 and 2 disagree the role earlier in that order (the more
   specific) wins;
3. **similarity**: where neither matches, the embedding model's similarity of the core to every wording, through
   an injected :data:`Similarity` (ingest does not import kg); the nearest role is taken when its score is at
   least :data:`SIMILARITY_MIN` and beats the next role by :data:`SIMILARITY_MARGIN`.

Without a similarity function only wordings and keys match.  The role ids are those the table parsers are
registered under (:mod:`ingest.tables`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product
from typing import Callable

from ..normalise import fold_brackets, fold_width, squash

# (texts, targets) → one row of cosine similarities per text, one column per target
Similarity = Callable[[list[str], list[str]], list[list[float]]]

# Measured with the default model (multilingual-e5-small, whose cosines of short titles lie in 0.89–1.0):
# novel wordings of known roles scored 0.971–0.998 with margins 0.011–0.029 over the next role; titles of
# other tables and headings scored at most 0.957 with a margin ≥ 0.0075, or more only with a margin ≤ 0.003
# (年度绩效目标表 0.976, margin 0.0025).  tests/kg/test_table_role_similarity.py holds these cases.
SIMILARITY_MIN = 0.965
SIMILARITY_MARGIN = 0.0075

# the label/amount tables with an income side and an expenditure side (收支总表, 财政拨款收支总表)
TWO_SIDED = ("summary", "fiscal_summary")
UNRECOGNISED = "unrecognised_table"  # a block that is a table by its layout but whose title names no role


def _variants(*parts: tuple[str, ...] | str) -> tuple[str, ...]:
    """Every concatenation of one choice per part: ``("项目支出", ("", "预算"), "表")`` → 项目支出表, 项目支出预算表."""
    choices = [(p,) if isinstance(p, str) else p for p in parts]
    return tuple("".join(c) for c in product(*choices))


_PHASE = ("", "预算", "决算")


@dataclass(frozen=True)
class TableRole:
    """A kind of table: its id, its canonical title, its key phrases and its known wordings."""

    id: str
    name: str
    keys: tuple[str, ...]
    wordings: tuple[str, ...]


ROLES: tuple[TableRole, ...] = (
    TableRole("project_form", "项目支出绩效目标表",
              ("项目申报表", "一项一表", "项目支出绩效目标", "项目绩效目标", "绩效目标填报表", "项目绩效自评", "绩效自评表"),
              ("项目支出绩效目标表", "项目绩效目标申报表", "项目支出绩效目标申报表", "项目支出绩效自评表",
               "项目绩效目标表", "项目申报表")),
    TableRole("dept_performance", "部门整体支出绩效目标表", ("整体支出绩效", "整体绩效目标", "部门绩效目标表"),
              ("部门整体支出绩效目标表", "部门整体绩效目标表", "部门绩效目标表", "部门整体支出绩效自评表",
               "单位整体支出绩效目标表")),
    TableRole("three_public", "“三公”经费支出表", ("三公",),
              ("一般公共预算“三公”经费支出表", "“三公”经费预算表", "财政拨款“三公”经费支出决算表",
               "一般公共预算“三公”经费支出情况表", "“三公”经费和机关运行经费预算表", "“三公”经费支出预算表")),
    TableRole("procurement", "政府采购预算表", ("政府采购",),
              ("政府采购预算表", "政府采购预算明细表", "政府采购情况表", "政府采购支出表")),
    TableRole("purchased_service", "政府购买服务预算表", ("购买服务",),
              ("政府购买服务预算表", "政府购买服务情况表", "政府购买服务项目表")),
    TableRole("gov_fund", "政府性基金预算支出表", ("政府性基金",),
              ("政府性基金预算支出表", "政府性基金预算财政拨款收入支出决算表", "政府性基金预算支出情况表",
               "政府性基金支出预算表")),
    TableRole("state_capital", "国有资本经营预算支出表", ("国有资本经营",),
              ("国有资本经营预算支出表", "国有资本经营预算财政拨款支出决算表", "国有资本经营预算支出情况表")),
    TableRole("projects", "项目支出表", _variants("项目支出", ("", "预算", "情况", "决算"), ("", "明细"), "表"),
              ("项目支出表", "项目支出预算表", "项目支出决算表", "项目支出预算明细表", "项目支出情况表",
               "部门项目支出预算表", "项目支出计划表")),
    TableRole("basic_economic", "基本支出表", _variants("基本支出", _PHASE, ("", "明细"), "表") + ("经济分类",),
              ("一般公共预算基本支出表", "一般公共预算基本支出经济分类预算表", "基本支出预算表",
               "一般公共预算财政拨款基本支出决算表", "一般公共预算基本支出情况表", "基本支出预算明细表",
               "部门预算支出经济分类预算表", "一般公共预算基本支出预算表")),
    TableRole("gpb_expenditure", "一般公共预算支出表",
              _variants("一般公共预算", ("", "财政拨款"), "支出", ("", "功能分类"), _PHASE, ("", "总"), "表"),
              ("一般公共预算支出表", "一般公共预算支出功能分类预算表", "一般公共预算财政拨款支出决算表",
               "一般公共预算支出预算表", "一般公共预算支出情况表", "一般公共预算财政拨款支出预算表",
               "财政拨款支出预算表", "一般公共预算支出决算功能分类明细表")),
    TableRole("fiscal_summary", "财政拨款收支总表",
              _variants("财政拨款收", ("", "入"), "支", ("", "出"), _PHASE, "总表"),
              ("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收入支出决算总表", "财政拨款收支决算总表",
               "财政拨款收支总体情况表", "财政拨款收支预算总体情况表")),
    TableRole("income", "收入总表", _variants("收入", _PHASE, ("", "总"), "表"),
              ("部门收入总表", "收入决算表", "部门收入预算表", "单位收入预算表", "收入预算总表", "部门收入总体情况表",
               "部门收入预算总表", "收入总体情况表")),
    TableRole("summary", "收支总表", _variants("收支", _PHASE, "总表") + _variants("收入支出", _PHASE, ("", "总"), "表"),
              ("部门收支总表", "收入支出决算总表", "部门收支预算总表", "单位收支总表", "部门预算收支总表",
               "部门财务收支预算总表", "部门收支决算总表", "单位收支预算总表", "部门收支总体情况表", "收支预算总表")),
    TableRole("expenditure", "支出总表", _variants("支出", _PHASE, ("", "总"), "表"),
              ("部门支出总表", "支出决算表", "部门支出预算表", "部门支出总体情况表", "支出预算总表", "单位支出预算表",
               "部门支出预算总表", "支出总体情况表")),
)

ROLE_IDS: tuple[str, ...] = tuple(r.id for r in ROLES)

_YEAR = re.compile(r"^(?:\d{4}年度?|\d{4})")
_NUMBERED = re.compile(r"[(](?:部门)?(?:公开)?[附]?表?\d+(?:-\d+)?表?[)]$|^(?:附表|表)\d+(?:-\d+)?")
_CONTINUED = re.compile(r"[(]?续表?[)]?$")


def title_core(title: str) -> str:
    """A title as matched: whitespace removed, widths and brackets folded, a leading year and numbering
    (``表3``, ``（公开01表）``) and a trailing ``（续）`` removed."""
    s = fold_brackets(fold_width(squash(title)))
    s = _CONTINUED.sub("", s)
    s = _NUMBERED.sub("", s)
    return _YEAR.sub("", s)


@dataclass(frozen=True)
class RoleMatch:
    """How a title was matched: ``role`` (``None``: no role), ``how`` (``wording`` | ``key`` | ``similarity``
    | ``none``), and for the similarity step the score and the nearest wording."""

    role: str | None
    how: str
    score: float | None = None
    nearest: str | None = None
    reason_given: str | None = field(default=None, kw_only=True)  # why the similarity step gave nothing

    def reason(self) -> str:
        """Why, in words: ``no role matched; nearest: 部门收支总表 (summary) at 0.41``."""
        if self.nearest is not None:
            near = f"nearest: {self.nearest} at {self.score:.3f}"
        else:
            near = self.reason_given or "no similarity model given"
        if self.role is None:
            return f"no role matched; {near}"
        return f"{self.how} match to {self.role}" + (f" ({near})" if self.how == "similarity" else "")


_WORDINGS: list[tuple[str, str]] = sorted(
    ((fold_brackets(fold_width(w)), r.id) for r in ROLES for w in r.wordings), key=lambda t: -len(t[0])
)


def match_known(title: str) -> RoleMatch:
    """The role a title names by a known wording or key phrase (steps 1 and 2); ``how='none'`` otherwise.

    When the wording and the key name different roles, the role earlier in :data:`ROLES` (the more specific)
    wins: ``基本支出决算表`` ends with the 支出总表 wording ``支出决算表`` but is a 基本支出表."""
    core = title_core(title)
    if "表" not in core:
        return RoleMatch(None, "none")
    found = [RoleMatch(role, "wording") for wording, role in _WORDINGS if core.endswith(wording)][:1]
    found += [RoleMatch(role.id, "key") for role in ROLES if any(k in core for k in role.keys)][:1]
    if not found:
        return RoleMatch(None, "none")
    return min(found, key=lambda m: ROLE_IDS.index(m.role))


def match_title(title: str, similarity: Similarity | None = None) -> RoleMatch:
    """The role a title names: a known wording or key, else the nearest wording by ``similarity``."""
    known = match_known(title)
    if known.role is not None or similarity is None:
        return known
    return nearest_role(title_core(title), similarity)


def nearest_role(core: str, similarity: Similarity) -> RoleMatch:
    """The role whose wordings are most similar to ``core``, when near enough and clearly nearer than the next."""
    targets = [w for w, _ in _WORDINGS]
    scores = similarity([core], targets)[0]
    best: dict[str, tuple[float, str]] = {}
    for (wording, role), score in zip(_WORDINGS, scores):
        if role not in best or score > best[role][0]:
            best[role] = (float(score), wording)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    (role, (score, wording)) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    label = f"{wording} ({role})"
    if score >= SIMILARITY_MIN and score - runner_up >= SIMILARITY_MARGIN:
        return RoleMatch(role, "similarity", score, label)
    return RoleMatch(None, "none", score, label)
