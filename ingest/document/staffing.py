"""Head counts (编制, 在职实有, 离退休) from the staffing sentences of the narrative."""

from __future__ import annotations

import re
from dataclasses import replace

from ..context import Context
from ..normalise import fold_width, squash
from ..paragraphs import all_paragraphs
from ..records import STAFFING_FIELDS, FieldSource, Staffing


_N = r"(\d+)\s*[人名个]"
_AUTH_TOTAL = re.compile(rf"(?<![政业额关勤])编制(?:总数|人数|数|总额)?(?:为|共|是|共计|合计)?{_N}")
_ACTUAL = re.compile(
    rf"(?:在职实有人数|在职实有人员|实有在职人员|实有人数|实有人员|在职人员|在编在岗人员|在编在岗|在编人员|在岗人员|"
    rf"现有人员|在职实有|实有)"
    rf"(?:总数|人数)?(?:为|共|是|共计|合计)?{_N}"
)
# "行政编制22人" / "行政人员29名" / after 其中: "行政21人"
_ADMIN = re.compile(rf"行政(?:编制|人员)?(?:数)?(?:为)?{_N}")
_INST = re.compile(rf"事业(?:编制|人员)?(?:数)?(?:为)?{_N}")
_RETIRED = re.compile(rf"离退休(?:人员)?(?:总数|人数)?(?:为|共|共计)?{_N}")
_RETIRED_ONLY = re.compile(rf"(?<!离)退休(?:人员)?(?:为|共)?{_N}")
_LEFT = re.compile(rf"离休(?:人员)?(?:为|共)?{_N}")


def _first(pattern: re.Pattern, text: str) -> int | None:
    m = pattern.search(text)
    return int(m[1]) if m else None


def read_staffing(text: str) -> Staffing | None:
    """Head counts from staffing sentences (编制 …, 在职实有 …, 离退休 …); ``None`` when none is stated."""
    s = squash(fold_width(text)).replace("，", ",")
    actual = _ACTUAL.search(s)
    retired_at = min((m.start() for m in (_RETIRED.search(s), _LEFT.search(s), _RETIRED_ONLY.search(s)) if m),
                     default=len(s))
    auth_end = actual.start() if actual else retired_at
    auth_part, actual_part = s[:auth_end], s[actual.start() : max(retired_at, actual.end())] if actual else ""
    retired = _first(_RETIRED, s)
    if retired is None:
        left, only = _first(_LEFT, s), _first(_RETIRED_ONLY, s)
        retired = (left or 0) + (only or 0) if left is not None or only is not None else None
    staffing = Staffing(
        authorized_total=_first(_AUTH_TOTAL, auth_part),
        authorized_admin=_first(_ADMIN, auth_part),
        authorized_institution=_first(_INST, auth_part),
        actual_total=int(actual[1]) if actual else None,
        actual_admin=_first(_ADMIN, actual_part),
        actual_institution=_first(_INST, actual_part),
        retired_total=retired,
    )
    return staffing if _counts(staffing) else None


def _counts(staffing: Staffing) -> dict[str, int]:
    return {f: getattr(staffing, f) for f in STAFFING_FIELDS if getattr(staffing, f) is not None}


def staffing_from(ctx: Context) -> Staffing | None:
    """The paragraph that states the most head counts; each count placed on the paragraph's line that
    prints it (``N人`` on a line of its own when the sentence is wrapped)."""
    best, best_n = None, 0
    for para in all_paragraphs(ctx):
        if "编制" not in para.text and "实有" not in para.text:
            continue
        st = read_staffing(para.text)
        n = len(_counts(st)) if st else 0
        if n > best_n:
            sources = []
            for name, count in _counts(st).items():
                printed = re.compile(rf"(?<!\d){count}\s*[人名个]")
                found = next(((ln, m) for ln in para.lines if (m := printed.search(fold_width(ln.plain)))), None)
                if found is not None:  # the snippet the words before the count and the count
                    line, m = found
                    snippet = fold_width(line.plain)[max(0, m.start() - 30) : m.end()]
                    sources.append(FieldSource(name, replace(ctx.prov(line, table=para.heading), snippet=snippet)))
            best = replace(st, provenance=ctx.prov(para.first, table=para.heading), field_sources=tuple(sources))
            best_n = n
    return best
