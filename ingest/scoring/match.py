"""Which predicted project is which gold project: one-to-one by shared names or aliases.

Names compare with whitespace removed and a trailing ``.`` dropped; money to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..normalise import squash, squash_ascii_dot

_CENT = Decimal("0.01")


def cents(value: Any) -> int | None:
    """An amount (number or text, 万元) in whole cents, halves up; ``None`` for a blank."""
    if value is None or value == "":
        return None
    return int(Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def _names(project: dict) -> set[str]:
    return {n for n in map(squash_ascii_dot, [project.get("name"), *(project.get("aliases") or [])]) if n}


def _preference(g: dict, p: dict) -> tuple[bool, ...]:
    """Sorts first for the pair that agrees on main name, unit, amount and code."""
    return (
        squash_ascii_dot(g.get("name")) != squash_ascii_dot(p.get("name")),
        squash(g.get("unit")) != squash(p.get("unit")),
        cents(g.get("amount")) != cents(p.get("amount")),
        squash(g.get("code")) != squash(p.get("code")),
    )


def match_projects(gold: list[dict], got: list[dict]) -> dict[int, int]:
    """One-to-one matching ``{got index: gold index}`` of projects sharing a name or alias.

    Preferred pairs (same main name, same unit, same amount, same code) are taken
    first; augmenting paths then make the matching as large as possible, so a
    project that shares a name with two others never blocks a match.
    """
    gold_names = [_names(g) for g in gold]
    ranked = sorted(
        (_preference(gold[j], p), i, j)
        for i, p in enumerate(got)
        for j, names in enumerate(gold_names)
        if names & _names(p)
    )
    candidates: dict[int, list[int]] = {i: [] for i in range(len(got))}
    owner: dict[int, int] = {}  # gold index → got index
    for _, i, j in ranked:  # greedy, best-agreeing pairs first
        candidates[i].append(j)
        if j not in owner and i not in owner.values():
            owner[j] = i

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in candidates:
        if i not in owner.values():
            augment(i, set())
    return {i: j for j, i in owner.items()}


def project_keys(gold: list[dict], got: list[dict], matched: dict[int, int]) -> tuple[list, list]:
    """A stable identity per project: the gold index (shared by its match) or a 'got' marker."""
    gold_keys = [("gold", j, squash_ascii_dot(g.get("name"))) for j, g in enumerate(gold)]
    got_keys = [
        gold_keys[matched[i]] if i in matched else ("got", i, squash_ascii_dot(p.get("name")))
        for i, p in enumerate(got)
    ]
    return gold_keys, got_keys
