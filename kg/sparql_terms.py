"""The one door for values into SPARQL text: checked IRIs, escaped literals, numbers and VALUES blocks.

Every IRI or literal a query is built from (from a user, a URL, a document or our own minting)
enters through this module, never through an f-string of its own.  An IRI is checked by the
engine's own parser (``pyoxigraph.NamedNode``) and must be absolute; anything that parses but would
not be written back as ``<value>`` is refused too.  A literal is written by the engine's own
N-Triples serialiser, which escapes quotes, backslashes and line breaks.  What cannot enter a query
is a :class:`~kg.errors.QueryError` with code ``query_input``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

import pyoxigraph as ox

from .errors import QueryError

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VARIABLE = re.compile(r"\?[A-Za-z_][A-Za-z0-9_]*")
_IRI = "可用的 IRI"  # what a query_input error says was expected


def node(value: object) -> ox.NamedNode:
    """``value`` as an engine IRI node: a well-formed absolute IRI, else ``QueryError`` (``query_input``)."""
    text = str(value)
    if not _SCHEME.match(text):
        raise QueryError(f"not an absolute IRI: {text!r}", "query_input", value=text, expected=_IRI)
    try:
        named = ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(f"not a well-formed IRI: {text!r} ({exc})", "query_input", value=text, expected=_IRI) from None
    if str(named) != f"<{text}>":
        raise QueryError(f"not an IRI that can be written as it is: {text!r}", "query_input", value=text,
                         expected=_IRI)
    return named


def iri(value: object) -> str:
    """``<value>`` for a query, once :func:`node` has checked it."""
    return str(node(value))


def literal(text: object) -> str:
    """``text`` as a quoted, escaped string literal (``"a\\"b"``)."""
    return str(ox.Literal(str(text)))


def term(value: ox.NamedNode | ox.Literal) -> str:
    """An engine IRI (checked by :func:`iri`) or literal (written by the engine's serialiser) for a query;
    a blank node cannot name the same node in another query and is refused."""
    if isinstance(value, ox.NamedNode):
        return iri(value.value)
    if isinstance(value, ox.Literal):
        return str(value)
    raise QueryError(f"not an IRI or a literal for a query: {value!r}", "query_input", value=str(value),
                     expected="IRI 或字面量")


def number(value: object) -> str:
    """A finite number (``Decimal``, ``int`` or its text; never a float or a bool) as a numeric literal."""
    if isinstance(value, (float, bool)):
        raise QueryError(f"not a number for a query: {value!r} (use a Decimal or its text)", "query_input",
                         value=str(value), expected="数字")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise QueryError(f"not a number: {value!r}", "query_input", value=str(value), expected="数字") from None
    if not d.is_finite():
        raise QueryError(f"not a finite number: {value!r}", "query_input", value=str(value), expected="有限的数字")
    return format(d, "f")


def integer(value: object) -> str:
    """A whole number (an ``int`` or its digits) as an integer literal."""
    if isinstance(value, bool):
        raise QueryError(f"not a whole number: {value!r}", "query_input", value=str(value), expected="整数")
    try:
        return str(int(str(value).strip()))
    except ValueError:
        raise QueryError(f"not a whole number: {value!r}", "query_input", value=str(value), expected="整数") from None


def comment(text: object) -> str:
    """``# text`` on one line (a comment ends at a line break, so there is none in it)."""
    return "# " + re.sub(r"[\r\n]", " ", str(text))


def values(var: str, items: Iterable[object], term: Callable[[object], str] = iri) -> str:
    """``VALUES ?var { … }`` of ``items`` in their order (once each), each written by ``term`` (IRIs by default)."""
    if not _VARIABLE.fullmatch(var):
        raise QueryError(f"not a variable: {var!r}", "query_input", value=var, expected="变量名（如 ?x）")
    return f"VALUES {var} {{ {' '.join(term(i) for i in dict.fromkeys(items))} }}"


def iri_list(iris: Iterable[object]) -> str:
    """``<a>, <b>`` for ``IN (…)``, in their order (once each)."""
    return ", ".join(iri(i) for i in dict.fromkeys(iris))
