"""The contact phone a document gives (咨询电话, else the 填报人's 联系电话)."""

from __future__ import annotations

import re

from ..context import Context
from ..normalise import fold_width, squash


_PHONE = re.compile(r"(?:\d{3,4}[-－—]?)?\d{7,8}|1\d{10}")


def phone_in(text: str) -> str | None:
    """The first phone number in ``text`` as printed (full-width digits and dashes folded), or ``None``."""
    m = _PHONE.search(squash(fold_width(text)))
    return m[0].replace("－", "-").replace("—", "-") if m else None


def contact_phone(ctx: Context) -> str | None:
    """The 咨询电话 the document gives, else the 联系电话 of the department-level form's 填报人."""
    for line in ctx.lines:
        m = re.search(r"咨询电话[:：]?(.{7,20})", squash(line.plain))
        if m and phone_in(m[1]):
            return phone_in(m[1])
    for block in ctx.blocks_with_role("dept_performance"):
        for line in block.rows:
            cells = [squash(c) for c in line.values()]
            if any(c.startswith(("填报人", "联系人")) for c in cells):
                for i, c in enumerate(cells):
                    if "电话" in c:
                        phone = phone_in(c) or next((phone_in(x) for x in cells[i + 1 :] if phone_in(x)), None)
                        if phone:
                            return phone
    for line in ctx.lines:
        if "电话" in line.plain:
            cells = [squash(c) for c in line.values()]
            for i, c in enumerate(cells):
                if "电话" in c:
                    phone = phone_in(c) or next((phone_in(x) for x in cells[i + 1 : i + 3] if phone_in(x)), None)
                    if phone:
                        return phone
    return None
