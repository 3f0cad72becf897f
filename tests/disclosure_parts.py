"""Fixture 104 (赣州市南康区农业农村局 2026年部门预算) cut into the files such a disclosure is published
as: its narrative (公开说明), its tables (公开表) and its performance forms (绩效目标表), each file after
the first starting with a title of its own.  Shared by the ingest and kg tests of multi-file disclosures."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from helpers import FIXTURES

STEM = "104_nankang_agri_2026_budget"
SOURCE = FIXTURES / "docs" / f"{STEM}.txt"
NARRATIVE = "赣州市南康区农业农村局2026年部门预算公开说明.txt"
TABLES = "赣州市南康区农业农村局2026年部门预算公开表.txt"
FORMS = "赣州市南康区农业农村局2026年部门预算绩效目标表.txt"
# (file, the source line it starts at (第四部分 2026年部门预算表, 第五部分 2026年绩效目标), the title it prints)
CUTS = ((NARRATIVE, 1, None), (TABLES, 99, "赣州市南康区农业农村局2026年部门预算公开表"),
        (FORMS, 290, "赣州市南康区农业农村局2026年部门预算绩效目标表"))


def split(text: str, folder: Path, cuts=CUTS, edit: Callable[[str, str], str] | None = None
          ) -> dict[str, tuple[Path, int]]:
    """The parts of ``text`` as files in ``folder``: name → (path, how many lines the file's numbering
    is behind the source's).  ``edit(name, text)`` may change a part (another department, phase …)."""
    lines = text.splitlines()
    out = {}
    for i, (name, start, title) in enumerate(cuts):
        end = cuts[i + 1][1] - 1 if i + 1 < len(cuts) else len(lines)
        part = "\n".join(([title] if title else []) + lines[start - 1:end]) + "\n"
        path = folder / name
        path.write_text(edit(name, part) if edit else part, encoding="utf-8")
        out[name] = (path, start - 1 - (1 if title else 0))
    return out
