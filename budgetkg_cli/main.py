"""The ``budgetkg`` command group and its entry point; each command lives in ``commands/`` (STYLE 1.4)."""

from __future__ import annotations

from importlib import import_module

import click

# name → module of commands/ and its function; a command's module (and what it imports of kg) is loaded only
# when that command runs or help lists it, so `budgetkg search` loads no entity pages or ingest code
COMMANDS = {"ingest": "ingest", "cites": "cites", "sparql": "sparql", "export": "export", "entity": "entity",
            "delete": "delete", "documents": "documents", "check": "check", "compare": "compare",
            "extract": "extract", "eval": "eval:eval_", "search": "search", "eval-search": "eval_search:eval_search",
            "eval-questions": "eval_questions:eval_questions", "reindex": "reindex", "app": "app",
            "serve": "serve"}


class LazyGroup(click.Group):
    """A group whose commands are imported when first asked for (click's documented lazy loading)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name].partition(":")
        return getattr(import_module(f"{__package__}.commands.{module}"), attr or module)


def commands() -> dict[str, click.Command]:
    """Every command by name, each imported (help, docs and tests that look at all of them)."""
    return {name: cli.get_command(click.Context(cli), name) for name in cli.list_commands(click.Context(cli))}


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("budgetkg")
    except PackageNotFoundError:  # running from a source checkout
        return "0.1.0+source"


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(version=_version(), message="budgetkg %(version)s")
def cli():
    """budgetkg: a knowledge graph over Chinese departmental budget disclosures (部门预算/决算公开).

    \b
    Example:
        budgetkg ingest samples/ --store ./kg
        budgetkg cites "武政规[2016]32号" --store ./kg
    """

if __name__ == "__main__":
    cli()
