"""What user SPARQL may run: one text for both parsers, read by rdflib, UPDATE and SERVICE refused.

rdflib and Oxigraph read ``\\u`` escapes differently: rdflib expands them in the whole text before
tokenising (SPARQL 1.1 §19.2) and takes ``\\u`` with 4 or 8 digits, Oxigraph expands them inside
strings and IRIs only, where ``\\u0022`` is a quote that does not end the string.  So a query could
hide a ``SERVICE`` from one parser and show it to the other.  :func:`expand_escapes` expands every
escape once, as §19.2 says, and refuses a text in which an escape would remain; the check and the
engine then read the same characters, escape-free.
"""

from __future__ import annotations

import re

from .errors import QueryError

# SPARQL 1.1 §19.2: \u with exactly four hex digits, \U with exactly eight
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# what either engine would still read as an escape (rdflib: \u or \U, 4 or 8 digits, any case)
_LEFT_OVER = re.compile(r"\\[uU][0-9A-Fa-f]{4}")

# Update operations (rdflib's parser names) refused in user SPARQL
_UPDATE_NAMES = {
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
    "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


def expand_escapes(query: str) -> str:
    """``query`` with every ``\\uXXXX``/``\\UXXXXXXXX`` replaced by its character (``query_syntax`` when it
    names no character, or when the result would still hold an escape, e.g. ``\\u005Cu0022``)."""

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"malformed SPARQL: {m.group(0)} is not a Unicode character", "query_syntax")
        return chr(code)

    text = _ESCAPE.sub(char, query)
    if (m := _LEFT_OVER.search(text)) is not None:
        raise QueryError(f"malformed SPARQL: {m.group(0)!r} would be read as an escape after escapes are expanded",
                         "query_syntax")
    return text


def _walk(part, found: set[str]) -> None:
    name = getattr(part, "name", None)
    if name == "ServiceGraphPattern":
        found.add("SERVICE")
    if isinstance(part, dict):
        for v in part.values():
            _walk(v, found)
    elif isinstance(part, (list, tuple)):
        for v in part:
            _walk(v, found)


def check_read_only(query: str, prologue: str = "") -> str:
    """Parse ``prologue + query`` (escapes expanded) with rdflib and refuse anything but a read-only query;
    returns the query form (``SelectQuery`` | ``AskQuery`` | ``ConstructQuery`` | ``DescribeQuery``).

    UPDATE operations (INSERT/DELETE/LOAD/CLEAR/DROP/CREATE/ADD/MOVE/COPY) and SERVICE are refused.
    Error positions refer to ``query`` alone.  Run the engine on :func:`expand_escapes` of the same text.
    """
    offset = prologue.count("\n")
    text = prologue + expand_escapes(query)
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = translateQuery(parseQuery(text))
    except ParseException as query_error:
        try:
            update = translateUpdate(parseUpdate(text))
        except Exception:
            line, column = query_error.lineno - offset, query_error.col
            raise QueryError(f"malformed SPARQL at line {line}, column {column}: {query_error.msg}", "query_syntax",
                             line=line, column=column) from None
        ops = sorted({_UPDATE_NAMES.get(op.name, op.name.upper()) for op in update.algebra})
        raise QueryError(f"read-only store: {', '.join(ops)} is not allowed; use SELECT, ASK, CONSTRUCT or DESCRIBE",
                         "query_update")
    except Exception as exc:
        raise QueryError(f"malformed SPARQL: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                         "query_syntax") from None
    found: set[str] = set()
    _walk(parsed.algebra, found)
    if found:
        raise QueryError("SERVICE is not allowed: queries run on the local store only", "query_service")
    return parsed.algebra.name


# SPARQL's lexical parts that hide their characters from the grammar: long and short strings, IRIs,
# comments, and an escaped character (``\#`` in a prefixed name is not a comment)
_OPAQUE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                     r'|"(?:[^"\\\n\r]|\\.)*"' r"|'(?:[^'\\\n\r]|\\.)*'"
                     r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*|\\.', re.S)
# the keywords of an update that open a connection, as keywords (not inside a name or a variable)
_CONNECTING = re.compile(r"(?<![\w?$\-])(SERVICE|LOAD)(?![\w\-])", re.I)
_FOLDING_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")  # the letters re.I also takes for i, s, k


def _may_name(text: str, *words: bytes) -> bool:
    """Whether ``text`` (escapes expanded) may spell one of the ASCII ``words`` (lower case) in any case: as
    bytes only ASCII letters change case, 10x faster than a regular expression over the text."""
    folded = text.encode("utf-8").lower()
    return any(w in folded for w in words) or any(c in text for c in _FOLDING_TO_ASCII)


def check_query(query: str) -> str:
    """What a SPARQL server's query endpoint may run of ``query``: the text escape-expanded, once
    :func:`check_read_only` has passed it; a text that cannot spell ``SERVICE`` at all passes without the
    parse (rdflib's takes 10-70 ms a query, budgetkg's own included; the query endpoint runs no update)."""
    text = expand_escapes(query)
    if _may_name(text, b"service"):
        check_read_only(query)
    return text


def check_update(update: str) -> str:
    """Refuse an update that would make the engine open a connection (``LOAD``, or ``SERVICE`` in a
    ``WHERE``); returns the text to run (escapes expanded, :func:`expand_escapes`).

    A document's update is a large ``INSERT DATA``, which rdflib's parser would take seconds over, so the
    check is lexical (a 14 MiB update: 0.15 s without either word anywhere, 1 s with): the keywords are looked
    for outside strings, IRIs and comments (what the grammar cannot read as a keyword).  A keyword anywhere
    else refuses the update, even where a full parse would have read it otherwise (a false refusal, never a
    missed one)."""
    text = expand_escapes(update)
    if not _may_name(text, b"service", b"load"):
        return text  # neither word anywhere (the usual document): nothing to look for
    found = sorted({m.group(1).upper() for m in _CONNECTING.finditer(_OPAQUE.sub(" ", text))})
    if found:
        raise QueryError(f"{' and '.join(found)} not allowed: updates run on the local store only", "query_service")
    return text
