"""``budgetkg entity``: the statements about one IRI and the links to it."""

from __future__ import annotations

import click

from kg.types import EntityNotFound, place_text

from ..options import format_option, open_kg, store_option, user_errors, with_settings
from ..output import emit_rows


@click.command()
@click.argument("iri")
@store_option
@format_option
@user_errors
@with_settings
def entity(iri, settings, fmt):
    """What the store says about one IRI: its statements and the links to it.

    The IRI may be written with raw Chinese or relative to the base.

    \b
    Example:
        budgetkg entity "law/武政规〔2016〕32号"
        budgetkg entity https://w3id.org/budgetkg/org/武汉市东西湖区医疗保障局
    """
    kg = open_kg(settings)
    e = kg.entity(iri)
    if not e.found:
        raise EntityNotFound(f"nothing is known about {e.iri}", iri=e.iri)
    read_at = {(f.prop, f.raw): "；".join(place_text(s.page, s.line) for s in f.sources)  # each value's own
               for f in kg.entity_view(iri).facts}
    rows = [{"direction": "out", "predicate": p, "value": o, "graph": g, "source": read_at.get((p, str(o)), "")}
            for p, o, g in e.outgoing]
    rows += [{"direction": "in", "predicate": p, "value": s, "graph": g, "source": ""} for s, p, g in e.incoming]
    if fmt == "table":
        click.echo(e.iri)
    emit_rows(rows, ["direction", "predicate", "value", "graph", "source"], fmt, kg.base)
