"""``budgetkg eval-questions``: how well plain-word questions are understood and answered."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.api import BudgetKG

from ..options import UserError, open_kg, store_option, user_errors, with_settings


def _default_folders() -> list[Path]:
    shared = BudgetKG.shared_folder()
    return [d for d in ([shared / "seeds", shared / "pdfs"] if shared else []) if d.is_dir()]


@click.command(name="eval-questions")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", "folders", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folders holding the documents the questions name (default: ../shared/seeds and ../shared/pdfs).")
@store_option
@click.option("--json", "as_json", is_flag=True, help="Rates and per-question results as JSON.")
@user_errors
@with_settings
def eval_questions(questions, folders, settings, as_json):
    """Exact-filter and correct-answer rates of plain-word questions (the answer card, no search).

    Ingests into --store the documents the questions name that it lacks, found by file name in the
    --docs folders, then asks every question.

    \b
    Example:
        budgetkg eval-questions tests/fixtures/questions/questions.jsonl --docs samples/ --docs tests/fixtures/docs/ --store ./kg
    """
    wanted = BudgetKG.question_files(questions)
    kg = open_kg(settings, create=True)
    have = {Path(d.source_file).name for d in kg.documents() if d.source_file}
    found = {p.name: p for folder in (folders or _default_folders()) for p in sorted(folder.iterdir()) if p.is_file()}
    missing = sorted(wanted - have - set(found))
    if missing:
        raise UserError(f"未找到问题所依据的文档：{'、'.join(missing)}（用 --docs 指定所在文件夹）")
    for result in kg.ingest([found[name] for name in sorted(wanted - have)]):
        if not result.ok:
            raise UserError(result.message)
        click.echo(f"已导入 {result.message}", err=True)
    report = kg.evaluate_questions(questions)
    if as_json:
        return click.echo(json.dumps({"exact_filters": report.exact_filters, "correct_answers": report.correct_answers,
                                      "per_question": report.per_question}, ensure_ascii=False, indent=2))
    click.echo(report.format_table())
