"""The judged plain-word questions (``questions.jsonl``): exact-filter and correct-answer rates.

Each line holds a ``question``, the ``filters`` it states (:class:`~kg.filters.Filters` keys, the
department by its full name, amounts in 万元 as text) and the ``answer`` (``kind`` figure | list | none
and its ``values``: ``doc`` — the file name —, ``name``, ``code``, ``amount``).  Filters are exact when
every key and value agrees (strings after NFKC, amounts as numbers); an answer is correct when the card
shows exactly the gold (document, amount) pairs, each under the gold name or code (a document total —
``budget``, ``three_public`` — by its kind: 支出总计 and 支出合计 are one total), or says that nothing
answers when the gold is ``none``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ingest.normalise import nfkc_squash

from .answer import Answer

CENT = Decimal("0.01")
TOTALS = ("budget", "three_public")


def read_questions(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def question_files(questions: list[dict]) -> set[str]:
    """The file names the answers name."""
    return {v["doc"] for q in questions for v in q["answer"]["values"]}


def _norm(key: str, value):
    if key in ("min_amount", "max_amount"):
        return Decimal(str(value)).normalize()
    if key in ("min_exclusive", "max_exclusive"):
        return value is True or str(value).lower() == "true"
    if key == "year":
        return int(value)
    return nfkc_squash(str(value))


def filters_exact(got: dict, gold: dict) -> bool:
    return {k: _norm(k, v) for k, v in got.items()} == {k: _norm(k, v) for k, v in gold.items()}


def answer_correct(card: Answer | None, gold: dict, file_of: dict[str, str]) -> bool:
    if gold["kind"] == "none":
        return card is not None and card.kind == "none"
    if card is None or card.kind == "none":
        return False
    shown = [(file_of.get(v.doc_id, v.doc_id), v.amount.quantize(CENT) if v.amount is not None else None,
              nfkc_squash(v.name), v.code, v.kind) for v in card.values]
    wanted = [(g["doc"], Decimal(g["amount"]).quantize(CENT), nfkc_squash(g["name"]), g.get("code"), g["entity"])
              for g in gold["values"]]
    if {w[:2] for w in shown} != {w[:2] for w in wanted} or len(shown) != len(wanted):
        return False
    same = lambda g, s: g[4] == s[4] if g[4] in TOTALS else (g[2] == s[2] or (g[3] and g[3] == s[3]))  # noqa: E731
    return all(any(g[:2] == s[:2] and same(g, s) for s in shown) for g in wanted)


@dataclass
class QuestionEval:
    exact_filters: float
    correct_answers: float
    per_question: list[dict] = field(default_factory=list)

    def format_table(self) -> str:
        wrong = [q for q in self.per_question if not (q["filters_ok"] and q["answer_ok"])]
        lines = [f"问题数 {len(self.per_question)}  筛选条件完全正确 {self.exact_filters:.3f}  答案正确 {self.correct_answers:.3f}"]
        lines += [f"  {q['id']}：{'' if q['filters_ok'] else '筛选条件有误 '}{'' if q['answer_ok'] else '答案有误 '}"
                  f"{q['question']}" for q in wrong]
        return "\n".join(lines)


def evaluate_questions(kg, questions: list[dict], file_of: dict[str, str] | None = None) -> QuestionEval:
    """Ask each question of ``kg`` (a :class:`kg.api.BudgetKG`, no search run) and score it; ``file_of``:
    each document id's file name (default: the names the store's documents were ingested from)."""
    file_of = file_of or {d.doc_id: Path(d.source_file).name for d in kg.documents() if d.source_file}
    rows = []
    for q in questions:
        asked = kg.ask(q["question"], hits=False)
        rows.append({"id": q.get("id"), "question": q["question"],
                     "filters_ok": filters_exact(asked.filters.active(), q["filters"]),
                     "answer_ok": answer_correct(asked.answer, q["answer"], file_of)})
    n = len(rows) or 1
    return QuestionEval(sum(r["filters_ok"] for r in rows) / n, sum(r["answer_ok"] for r in rows) / n, rows)
