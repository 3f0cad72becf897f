"""Row output for the CLI (and any front-end): every format is one entry of ``ROW_FORMATS`` (STYLE 1.3).

Rows are ``list[dict]`` with plain values; JSON keeps Chinese as is (``ensure_ascii=False``).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from decimal import Decimal
from typing import IO, Callable

from .namespaces import DEFAULT_BASE, PREFIXES, ns_iri


_TERM = re.compile(r"[A-Za-z_][\w-]*")  # a vocabulary term's local name, valid in a SPARQL prefixed name


def display(value: object, base: str = DEFAULT_BASE) -> str:
    """A value for people.  An IRI is shown as the one string the store holds, so that it pastes into SPARQL
    and ``entity`` as it is (readable: :mod:`kg.iri` mints Chinese unencoded); only a vocabulary term reads as
    ``prefix:Term`` (``bgt:Project``), a prefixed name every query of the app may use."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(("http://", "https://")):
        for prefix, ns in PREFIXES.items():
            ns_text = ns_iri(ns)
            if text.startswith(ns_text) and _TERM.fullmatch(text[len(ns_text):]):
                return f"{prefix}:{text[len(ns_text):]}"
    return text


def width(text: str) -> int:
    """Display width: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, w: int) -> str:
    return text + " " * (w - width(text))


def write_table(rows: list[dict], columns: list[str], out: IO[str], base: str = DEFAULT_BASE) -> None:
    cells = [[display(r.get(c), base) for c in columns] for r in rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() + "\n")


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One CSV cell, safe to open in a spreadsheet: text that a spreadsheet would run as a formula (``=``, ``+``,
    ``-``, ``@``, tab, CR first) gets a leading ``'``; numbers, including negative ones, stay numbers."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(csv_cell(v) for v in value)
    text = str(value)
    if isinstance(value, (int, float, Decimal)) or not text.startswith(_FORMULA_START):
        return text
    try:
        Decimal(text)
        return text  # a number as text: "-12.50"
    except ArithmeticError:
        return "'" + text


def write_csv(rows: list[dict], columns: list[str], out: IO[str], base: str = DEFAULT_BASE) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow([csv_cell(c) for c in columns])
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in columns])


def write_json(rows: list[dict], columns: list[str], out: IO[str], base: str = DEFAULT_BASE) -> None:
    json.dump([{c: _plain(r.get(c)) for c in columns} for r in rows], out, ensure_ascii=False, indent=2)
    out.write("\n")


ROW_FORMATS: dict[str, Callable[..., None]] = {"table": write_table, "csv": write_csv, "json": write_json}
