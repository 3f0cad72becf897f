"""Document → blocks: table titles (表N) and narrative headings split the lines.

A table title is recognised by what it names (收支总表, 项目支出表, 三公 …; the vocabulary is
:mod:`ingest.vocabulary.table_roles`), not by its position or number, so tables may come in any order and
under any numbering.  Each block gets a ``role`` from :data:`TABLE_ROLES`; the parsers in ``ingest/tables``
are registered per role.  A table printed in parts (the 基本支出表's （一）人员经费 / （二）公用经费 blocks,
:mod:`ingest.vocabulary.table_parts`) gives one block per part, each with the same title, its ``part``, and the
lines printed once above the parts (``head``); a title ``…表（人员经费）`` names its block's part.  A title may be printed in the first row of its own grid; a title repeated with
``（续）``, or repeated with the table's first header row after it, continues the table it names; a title-like line (``…表``, followed by table rows) that names no
known role is matched by similarity when a similarity function is given, else its block has the role
``unrecognised_table`` and a note saying why (see :func:`role_findings`).
"""

from __future__ import annotations

import re

from .layout import Block, Line, is_continued_mark
from .normalise import squash
from .numbers import try_amount
from .records import Finding, Rule
from .rules import finding
from .tables.grid import is_data_row, is_preamble_row, row_key
from .vocabulary.table_parts import Part, part_named, title_part
from .vocabulary.table_roles import (
    ROLE_IDS, ROLES, UNRECOGNISED, RoleMatch, Similarity, match_known, match_title, title_core,
)

TABLE_ROLES: tuple[str, ...] = ROLE_IDS  # the roles a title can name (ingest.vocabulary.table_roles)
_ROLE_NAMES = {r.id: r.name for r in ROLES}

# how a block's title was read (a block's ``notes``: rule and template params; see :func:`role_findings`)
RULES = (
    Rule("table_title_in_grid", "reading", "info", "{table}：表名印在表格的第一行内，已作为表名读取"),
    Rule("table_title_row_in_grid", "reading", "info", "{table}：这一形似表名的行印在“{before}”的表格内，读作本表表名；"
                                                       "是否实为该表的一行由核对决定（reconcile.title_row）"),
    Rule("table_role_by_similarity", "reading", "warning", "{where}的表格“{table}”按相似度读作“{role}”（{near}）"),
    Rule("table_role_unrecognised", "reading", "warning", "{where}的表格“{table}”不是已知的表：{near}"),
)

NARRATIVE = "narrative"
FORMS = ("project_form", "dept_performance")  # forms hold sub-tables and headings of their own (长期绩效目标表)
WRITEUP = "project_writeup"  # a project's 情况说明: 一、项目概述 二、立项依据 … under the project's name

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+\s*[.、．]\s*\S)")
_TABLE_NUMBER = re.compile(r"(?:部门|单位)?(?:公开)?(?:附)?表?[\dA-Za-z一二三四五六七八九十-]*表?")  # 公开01表, 附表3
_QUALIFIER = re.compile(r"(?<=表)[(][^()表]{1,12}[)]$")  # 支出表（分功能科目）, 支出表（按经济分类）
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_REFERENCE = re.compile(r"^(?:详见|参见|具体见|请见|见)|详见")  # "详见单位的项目绩效目标表": points at a table
_WRITEUP_FIRST = re.compile(r"^[一1][、.．]\s*项目(?:概述|概况|简介|基本情况|背景)")
# a row label, not a title: numbered (一、 （一） 其中) or opening with a code (``223国有资本经营预算支出``)
_LABEL_START = re.compile(r"^(?:其中|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+(?![\d年]))")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)


def table_role(title: str) -> str | None:
    """The role a table title names by a known wording or key, or ``None`` when it names none."""
    return match_known(title).role


def _title_shaped(text: str, raw: str) -> bool:
    """Short, not a list item, a sentence, a note or a reference to a table elsewhere."""
    if not text or len(squash(text)) > 70 or _LIST_ITEM.match(raw):
        return False
    if any(p in text for p in "。；;") or "，" in text or "备注" in text or "说明" in text[:4]:
        return False
    return not _REFERENCE.search(squash(text))


def is_table_title(line: Line) -> bool:
    """A short single-cell line that names a table (not a contents entry, not a sentence)."""
    if line.is_row:
        return False
    return _title_shaped(line.plain, line.text) and table_role(line.plain) is not None


def names_a_table(line: Line) -> bool:
    """A short single-cell line whose text ends in ``表`` (``部门经费收支情况一览表``), or in ``表`` and a bracketed
    qualifier (``一般公共预算支出表（分功能科目）``): a table's title by its shape, whether or not the vocabulary
    knows its wording."""
    if line.is_row or not _title_shaped(line.plain, line.text) or len(squash(line.plain)) > 40:
        return False
    core = _QUALIFIER.sub("", title_core(line.plain))
    return core.endswith("表") and not _TABLE_NUMBER.fullmatch(core)


def _row_title(line: Line) -> tuple[str, list[str], int] | None:
    """A grid row shaped like a table's title: its text, its preamble cells and how many cells the text fills.

    The row's filled cells but the preamble are leading and side by side (a year may sit in a cell of its
    own, ``2024 | 年预算单位财政拨款收支预算总表 | |``, and a long title printed over the column rules falls
    into several cells), and hold no amount but that year."""
    if not line.is_row:
        return None
    cells = line.values()
    preamble = [c for c in cells if squash(c) and is_preamble_row([c])]
    filled = [i for i, c in enumerate(cells) if squash(c) and c not in preamble]
    if not filled or filled != list(range(filled[0], filled[0] + len(filled))):
        return None
    texts = [squash(cells[i]) for i in filled]
    if any(try_amount(t) is not None and not re.fullmatch(r"\d{4}", t) for t in texts):
        return None
    return "".join(texts), preamble, len(filled)


def _title_line(line: Line, title: str) -> Line:
    return Line(line.no, title, [title], line.page, line.bbox)


def title_in_row(line: Line) -> tuple[str, list[str]] | None:
    """The title of a table printed in the first row of its own grid, and the row's preamble cells
    (``单位：万元`` beside the title); ``None`` for any other row.  Joined, the row's leading cells
    (:func:`_row_title`) name a known table and end in ``表``."""
    found = _row_title(line)
    if found is None:
        return None
    probe = _title_line(line, found[0])
    return found[:2] if is_table_title(probe) and names_a_table(probe) else None


_PHASE_WORD = re.compile(r"预算|决算")


def unknown_title_in_row(line: Line, after: list[Line]) -> tuple[str, list[str]] | None:
    """A grid row shaped like the title of a table whose wording names no known role, from the grid's first
    column, with a header row (no amount, no code) after it: its text ends in ``表`` (``部门经费收支情况一览表``), or it fills one cell and
    names a 预算/决算 (``2024年机关运行经费预算``, not a ``预算数`` column label).  Such a row may instead
    be a row of the table it is printed in: reconciliation chooses (:mod:`ingest.reconcile.title_rows`)."""
    found = _row_title(line)
    if found is None:
        return None
    title, preamble, cells = found
    probe = _title_line(line, title)
    if not squash(line.values()[0]) or is_preamble_row(line.values()[:1]):
        return None  # a title spans the grid from its first column
    if not _title_shaped(title, title) or match_known(title).role is not None or _LABEL_START.match(title):
        return None
    if not (names_a_table(probe) or cells == 1 and len(title) >= 6 and _PHASE_WORD.search(title)
            and not title.endswith("数")):
        return None
    nxt = next((ln for ln in after if any(squash(c) for c in ln.values()) and not is_preamble_row(ln.values())),
               None)  # the next line but a blank or a ``单位：万元``: the table's header row
    return (title, preamble) if nxt is not None and nxt.is_row and not is_data_row(nxt.values()) else None


def _is_table(block: Block) -> bool:
    """A table block with rows (not text, a form or a write-up)."""
    return block.role not in (NARRATIVE, WRITEUP, *FORMS) and bool(block.rows)


def _continues(block: Block, line: Line, after: list[Line]) -> bool:
    """The next page of the table or form ``block`` holds: ``部门收支总表（续）`` or ``续表`` under it, or (a
    table) its own title printed again with its first header row again right after (``after``: the lines that
    follow).  A form's title alone repeated is the next form (every project's form has one title)."""
    if block.role in (NARRATIVE, WRITEUP) or not block.rows or block.title is None:
        return False
    text = squash("".join(line.values()))
    if is_continued_mark(text):  # also as a row of its own: ``续表 | | |``
        return True
    if line.is_row:
        return False
    if title_core(text) != title_core(block.title):
        return False
    if re.search(r"续表?[)）]?$", text):
        return True
    if block.role in FORMS:
        return False
    first_row = next((ln for ln in after if ln.is_row), None)
    return first_row is not None and row_key(first_row.values()) == row_key(block.rows[0].values())


def _followed_by_rows(lines: list[Line], i: int) -> bool:
    """The next rows come before any other text but a preamble line or two (``单位：万元``)."""
    text_lines = 0
    for ln in lines[i + 1:]:
        if ln.is_row:
            return True
        if ln.plain:
            text_lines += 1
            if text_lines > 3 or is_heading(ln) or names_a_table(ln):
                return False
    return False


def is_heading(line: Line) -> bool:
    """A narrative heading: a markdown heading or a numbered 一、/（一） line."""
    if line.is_row:
        return False
    text = line.plain
    if not text or len(text) > 40:
        return False
    return line.text.lstrip().startswith("#") or bool(_HEADING.match(text)) and "。" not in text


def is_part_heading(line: Line) -> bool:
    """A 第N部分 heading: it ends any table, since the parts of a disclosure never share one."""
    return not line.is_row and bool(_PART.match(line.plain)) and len(line.plain) <= 60


def is_writeup_title(lines: list[Line], i: int) -> bool:
    """A short text line (``科技创新专项经费情况说明``) whose next text line opens ``一、项目概述``."""
    line = lines[i]
    text = squash(line.plain)
    if line.is_row or not text or len(text) > 40 or _HEADING.match(text) or any(p in text for p in "。；，"):
        return False
    nxt = next((ln for ln in lines[i + 1 : i + 3] if ln.plain), None)
    return nxt is not None and not nxt.is_row and bool(_WRITEUP_FIRST.match(squash(nxt.plain)))


def _part_heading(block: Block, line: Line, after: list[Line]) -> tuple[Part, str] | None:
    """A sub-heading inside a table printed in parts (``（一）人员经费`` above its rows: a text line, or a grid row
    with that one cell filled): the part it names and its text; ``None`` for any other line."""
    if block.role in (NARRATIVE, WRITEUP, *FORMS) or block.title is None:
        return None
    filled = [c for c in line.values() if squash(c)] if line.is_row else [line.plain]
    part = part_named(block.role, filled[0]) if len(filled) == 1 else None
    nxt = next((ln for ln in after if ln.plain), None)
    return (part, filled[0]) if part is not None and nxt is not None and nxt.is_row else None


def _has_body(block: Block) -> bool:
    """The block holds a data row (a figure or a code), not only its title, preamble and header."""
    return any(is_data_row(ln.values()) for ln in block.rows if not is_preamble_row(ln.values()))


def _next_part(block: Block, heading: Line, part: Part) -> Block:
    """The block of the next part of the table ``block`` is a part of: its title and role, and the lines the
    parts share (``block``'s head, else its lines before its first data row but its sub-heading)."""
    head = block.head
    if not head:
        first = next((i for i, ln in enumerate(block.lines) if ln.is_row and not is_preamble_row(ln.values())
                      and is_data_row(ln.values())), len(block.lines))
        head = [ln for ln in block.lines[:first] if ln.is_row or part_named(block.role, ln.plain) is None]
    return Block(title=block.title, role=block.role, lines=[heading], part=part.key, head=head)


def _ends_table(block: Block, line: Line) -> bool:
    """A numbered narrative heading after a table's rows: the text that follows the table, not part of it."""
    return block.role not in (NARRATIVE, WRITEUP, *FORMS) and bool(block.rows) \
        and is_heading(line) and not line.text.lstrip().startswith("#")


def split_blocks(lines: list[Line], similarity: Similarity | None = None) -> list[Block]:
    """Split lines into table and narrative blocks, in document order.

    ``similarity`` (see :mod:`ingest.vocabulary.table_roles`) matches titles that no known wording names."""
    blocks: list[Block] = []
    current = Block(title=None, role=NARRATIVE)
    for i, line in enumerate(lines):
        in_row = title_in_row(line)
        extra: list[Line] = []
        if in_row is not None:  # the title line, and the 单位 cells beside it as lines of their own
            extra = [_title_line(line, c) for c in in_row[1]]
            line = _title_line(line, in_row[0])
        if _continues(current, line, lines[i + 1:i + 6]):  # kept as text: no header or body row
            text = " ".join(c for c in line.values() if c)
            current.lines.append(Line(line.no, text, [text], line.page, line.bbox) if line.is_row else line)
            continue
        if is_table_title(line) or is_writeup_title(lines, i):
            blocks.append(current)
            role = table_role(line.plain) or (WRITEUP if is_writeup_title(lines, i) else NARRATIVE)
            current = Block(title=line.plain, role=role, lines=[line, *extra])
            named = title_part(role, line.plain)
            current.part = named.key if named else None
            if in_row is not None:
                current.notes.append(("table_title_in_grid", {}))
            continue
        if current.role not in FORMS and names_a_table(line) and _followed_by_rows(lines, i):
            blocks.append(current)
            current = _matched_block(line, similarity)
            continue
        unknown = unknown_title_in_row(line, lines[i + 1:i + 6]) if _is_table(current) else None
        if unknown is not None:  # read as the title of a table of its own unless reconciliation says otherwise
            blocks.append(current)
            row, line = line, _title_line(line, unknown[0])
            current = _matched_block(line, similarity)
            current.lines += [_title_line(row, c) for c in unknown[1]]
            current.title_row = row
            current.notes.append(("table_title_row_in_grid", {"before": blocks[-1].title}))
            continue
        sub = _part_heading(current, line, lines[i + 1:i + 4])
        if sub is not None:  # a part of the table: the first names the block's part, the next opens a block
            part, text = sub
            heading = _title_line(line, text)
            if _has_body(current):
                blocks.append(current)
                current = _next_part(current, heading, part)
            else:
                current.part = part.key
                current.lines.append(heading)
            continue
        if is_part_heading(line) or current.role == NARRATIVE and is_heading(line) or _ends_table(current, line):
            blocks.append(current)
            current = Block(title=line.plain, role=NARRATIVE, lines=[line])
            continue
        current.lines.append(line)
    blocks.append(current)
    return _contents_entries_to_text([b for b in blocks if b.lines])


def _matched_block(line: Line, similarity: Similarity | None) -> Block:
    """The block a title no known wording names opens: its role by similarity, else ``unrecognised_table``;
    either way with a note saying how."""
    try:
        match = match_title(line.plain, similarity)
    except Exception as exc:  # the model could not be loaded or run: the table is reported, not lost
        match = RoleMatch(None, "none", reason_given=f"相似度计算失败（{type(exc).__name__}: {exc}）"[:200])
    block = Block(title=line.plain, role=match.role or UNRECOGNISED, lines=[line])
    rule = "table_role_by_similarity" if match.role else "table_role_unrecognised"
    where = f"第 {line.page} 页" if line.page is not None else f"第 {line.no} 行"
    near = (f"最接近“{match.nearest}”，相似度 {match.score:.3f}" if match.nearest is not None
            else match.reason_given or "未提供相似度模型")
    block.notes.append((rule, {"where": where, "near": near, "role": _ROLE_NAMES.get(match.role, match.role)}))
    return block


def role_findings(blocks: list[Block], doc_id: str) -> list[Finding]:
    """The notes of the blocks (a title read from a grid row, a role matched by similarity or not at all)
    as findings, each at its block's title line."""
    return [finding(rule, block.lines[0].provenance(doc_id, table=block.title), (block.title or "",),
                    table=block.title, **params)
            for block in blocks for rule, params in block.notes]


def _contents_entries_to_text(blocks: list[Block]) -> list[Block]:
    """A table title with nothing under it before the next title is a 目录 entry, not a table.

    Such a block becomes text: joined to the narrative block before it, else a narrative block of its own.
    """
    out: list[Block] = []
    for block in blocks:
        if block.role not in (NARRATIVE, WRITEUP) and not any(ln.plain for ln in block.lines[1:]):
            if out and out[-1].role == NARRATIVE:
                out[-1].lines.extend(block.lines)
                continue
            block = Block(title=block.title, role=NARRATIVE, lines=block.lines)
        out.append(block)
    return out


def table_unit(block: Block, default: str = "万元") -> str:
    """The money unit a table declares (``单位：万元`` / ``单位：元``), above its parts or in its first lines."""
    for line in [*block.head, *block.lines[:8]]:
        m = re.search(r"单位\s*[:：]\s*(万元|元)", line.plain)
        if m:
            return m[1]
        m = re.search(r"[（(]\s*(万元|元)\s*[）)]", line.plain)
        if m:
            return m[1]
    return default
