"""Which files of a batch are parts of one disclosure (tables and narrative published as separate files).

Each file is read on its own for what it says it is (:class:`Part`: department, year, phase, scope from its
title and text; the table roles it holds; whether it carries the narrative).  Files are joined only when
they are clearly one disclosure: the same department, year, phase (预算/决算) and scope (部门/单位), no table
role in two of them, and one of them carrying the narrative.  A file's name is never evidence: two files
stay apart unless what they print says they belong together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .context import Context
from .document import read_document
from .errors import IngestError
from .normalise import squash
from .paragraphs import all_paragraphs
from .pipeline import FileReading, read_blocks, read_file
from .records import BUDGET, FINAL_ACCOUNT
from .sections import FORMS, NARRATIVE, WRITEUP
from .vocabulary.table_roles import UNRECOGNISED, Similarity

NARRATIVE_SENTENCES = 5  # sentences (。) of prose from which a file carries the narrative (说明, 名词解释 …)
NAME_MENTIONS = 2  # how often a file that names no department must print a department's full name


@dataclass(frozen=True)
class Part:
    """What one file says it is, read from its own lines."""

    path: Path
    department: str  # '' when no line names it
    year: int | None
    phase: str
    scope: str
    roles: frozenset[str]  # the table roles it holds
    sentences: int  # sentences of narrative prose
    text: str  # its lines, squashed: where a department it does not name as such may be printed
    reading: FileReading | None = field(compare=False, repr=False)  # what its reader gave, for the extraction

    @property
    def narrative(self) -> bool:
        return self.sentences >= NARRATIVE_SENTENCES

    def mentions(self, name: str) -> int:
        return self.text.count(squash(name)) if name else 0


@dataclass(frozen=True)
class Disclosure:
    """Files read as one disclosure, the narrative first; ``reason`` says why several were joined."""

    paths: tuple[Path, ...]
    reason: str | None = None
    readings: dict[Path, FileReading] = field(default_factory=dict, compare=False, repr=False)  # files read


def read_part(path: Path, similarity: Similarity | None = None, password: str | None = None,
              progress: Callable[[int, int], None] | None = None) -> Part:
    """What ``path`` says it is (:class:`IngestError` or :class:`OSError` when it cannot be read)."""
    findings: list = []
    reading = read_file(path, password, progress)
    lines, blocks = read_blocks([path], "", findings, similarity=similarity, readings={path: reading})
    ctx = Context(doc_id="", path=path, blocks=blocks, lines=lines, findings=findings, similarity=similarity)
    document = read_document(ctx)
    roles = frozenset(b.role for b in blocks) - {NARRATIVE, WRITEUP, UNRECOGNISED}
    sentences = sum(p.text.count("。") for p in all_paragraphs(ctx))
    text = squash("".join(ln.text for ln in lines))
    return Part(path, document.department, document.year, document.phase, document.scope, roles, sentences, text,
                reading)


def _department(part: Part, named: set[str]) -> str:
    """The department a part is of: the one it names, else the one of ``named`` whose full name it
    prints (at least :data:`NAME_MENTIONS` times, and more often than any other), else ''."""
    if part.department:
        return part.department
    counts = sorted(((part.mentions(name), name) for name in named), reverse=True)
    if counts and counts[0][0] >= NAME_MENTIONS and (len(counts) == 1 or counts[1][0] < counts[0][0]):
        return counts[0][1]
    return ""


def _joinable(parts: Sequence[Part]) -> bool:
    """Complementary parts: no table role in two of them, exactly one carrying the narrative (two would be
    two disclosures, or one with a copy of its 说明), each holding something."""
    seen: set[str] = set()
    for part in parts:
        if part.roles & seen or not (part.roles or part.narrative):
            return False
        seen |= part.roles
    return sum(p.narrative for p in parts) == 1 and bool(seen)


def _reading_order(part: Part) -> tuple[bool, bool]:
    """Narrative first, then tables, performance forms last (the order of a disclosure in one file)."""
    return not part.narrative, part.roles <= set(FORMS)


_PHASE_ZH = {BUDGET: "预算", FINAL_ACCOUNT: "决算"}
_SCOPE_ZH = {"department": "部门", "unit": "单位"}


def _describe(key: tuple, parts: Sequence[Part]) -> str:
    """Why the parts were joined (Chinese: the line a user reads)."""
    department, year, phase, scope = key
    what = "、".join(f"{p.path.name}（{'文字说明' if p.narrative and not p.roles else f'{len(p.roles)} 类表格'}"
                     f"{'及文字说明' if p.narrative and p.roles else ''}）" for p in parts)
    kind = f"{_SCOPE_ZH.get(scope, scope)}{_PHASE_ZH.get(phase, phase)}"
    return (f"作为{department} {year} 年{kind}的同一份公开材料读取：{what}（部门、年度、阶段和范围相同，且没有一类表格出现在两个文件中）")


def group_files(paths: Sequence[Path], similarity: Similarity | None = None, password: str | None = None,
                pages: Callable[[Path, int, int], None] | None = None) -> list[Disclosure]:
    """The disclosures of a batch, in the order of their first file: parts of one disclosure joined
    (the narrative-carrying file first), every other file on its own; each carries its files' readings,
    so that its extraction does not read them again.  A file that cannot be read stays on its own (its
    extraction reports why).  ``pages(path, done, total)`` follows the reading of a PDF."""
    parts: dict[Path, Part] = {}
    for path in paths:
        on_page = None if pages is None else (lambda done, total, path=path: pages(path, done, total))
        try:
            parts[path] = read_part(path, similarity, password, on_page)
        except (IngestError, OSError):  # missing, unreadable, not a disclosure: its own extraction says so
            continue
    return group_parts(paths, parts)


def group_parts(paths: Sequence[Path], parts: Mapping[Path, Part]) -> list[Disclosure]:
    """:func:`group_files` over the parts already read (``parts``: the files that could be read; a part
    without its ``reading``, read elsewhere, gives its disclosure no reading of that file)."""
    named = {p.department for p in parts.values() if p.department}
    groups: dict[tuple, list[Part]] = {}
    for part in parts.values():
        department = _department(part, named)
        if department and part.year is not None:
            groups.setdefault((department, part.year, part.phase, part.scope), []).append(part)
    joined: dict[Path, Disclosure] = {}
    for key, members in groups.items():
        if len(members) > 1 and _joinable(members):
            ordered = sorted(members, key=_reading_order)
            disclosure = Disclosure(tuple(p.path for p in ordered), _describe(key, ordered), _readings(ordered))
            joined.update({p.path: disclosure for p in members})
    out: list[Disclosure] = []
    for path in paths:
        disclosure = joined.get(path) or Disclosure((path,), None, _readings([parts[path]] if path in parts else []))
        if disclosure not in out:
            out.append(disclosure)
    return out


def _readings(parts: Sequence[Part]) -> dict[Path, FileReading]:
    return {p.path: p.reading for p in parts if p.reading is not None}
