"""``budgetkg export``: the store, one document or one entity's description as RDF."""

from __future__ import annotations

import io
from pathlib import Path

import click

from kg.types import EXPORT_FORMATS

from ..options import open_kg, store_option, user_errors, with_settings


@click.command()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="ttl", show_default=True,
              help="RDF serialisation.")
@click.option("--doc", "doc_id", help="Only this document (its doc id).")
@click.option("--entity", help="Only this entity's description (an IRI, or a path under the base).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@store_option
@user_errors
@with_settings
def export(fmt, doc_id, entity, output, settings):
    """Export the store, one document or one entity's description, as RDF.

    ttl and nt give the union of all graphs; nq, trig and jsonld keep one named graph per document.
    An entity's description is its statements, the citations, indicators, funding and sources it
    owns, and the names of what it links to.

    \b
    Example:
        budgetkg export --format trig -o budgetkg.trig
        budgetkg export --format ttl --doc e89d211dea500184
        budgetkg export --format jsonld --entity "law/武政规〔2016〕32号"
    """
    kg = open_kg(settings)
    buf = io.BytesIO()
    kg.export(fmt, buf, doc_id, entity=entity)
    if output:
        output.write_bytes(buf.getvalue())
        click.echo(f"wrote {output} ({EXPORT_FORMATS[fmt].media_type})", err=True)
    else:
        click.get_binary_stream("stdout").write(buf.getvalue())
