"""The ``budgetkg`` command group and its entry point; each command lives in ``commands/`` (STYLE 1.4)."""

from __future__ import annotations

import click

from .commands.app import app
from .commands.check import check
from .commands.compare import compare
from .commands.cites import cites
from .commands.delete import delete
from .commands.documents import documents
from .commands.entity import entity
from .commands.eval import eval_
from .commands.eval_questions import eval_questions
from .commands.eval_search import eval_search
from .commands.export import export
from .commands.extract import extract
from .commands.ingest import ingest
from .commands.reindex import reindex
from .commands.search import search
from .commands.serve import serve
from .commands.sparql import sparql

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
COMMANDS = (ingest, cites, sparql, export, entity, delete, documents, check, compare, extract, eval_, search,
            eval_search, eval_questions, reindex, app, serve)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("budgetkg")
    except PackageNotFoundError:  # running from a source checkout
        return "0.1.0+source"


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(version=_version(), message="budgetkg %(version)s")
def cli():
    """budgetkg: a knowledge graph over Chinese departmental budget disclosures (部门预算/决算公开).

    \b
    Example:
        budgetkg ingest samples/ --store ./kg
        budgetkg cites "武政规[2016]32号" --store ./kg
    """


for command in COMMANDS:
    cli.add_command(command)

if __name__ == "__main__":
    cli()
