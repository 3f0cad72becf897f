"""A page of a stored document's source PDF as a PNG, with the row a fact was read from outlined.

The document graph keeps the file's absolute path (``bgt:sourcePath``) and name (``bgt:sourceFile``);
the file must still be there and still hold the same bytes (its sha256 prefix is the document id),
else :class:`PageImageError` says which file is missing or changed.
"""

from __future__ import annotations

import io
from pathlib import Path

from ingest.pipeline import doc_id_for

from .store import Store

DEFAULT_RESOLUTION = 110  # dpi: a 595 × 842 pt page becomes 909 × 1286 px
OUTLINE = (220, 38, 38)  # red
FILL = (220, 38, 38, 40)
PAD = 2.0  # points around the box


class PageImageError(Exception):
    """The page cannot be drawn; ``str()`` is one line naming the file and the reason."""


def source_pdf(store: Store, doc_id: str) -> Path:
    """The source PDF of a stored document, checked to be there and unchanged."""
    rows = store.select(f"""SELECT ?file ?path WHERE {{ GRAPH <{store.doc_graph(doc_id)}> {{
      OPTIONAL {{ ?d bgt:sourceFile ?file }} OPTIONAL {{ ?d bgt:sourcePath ?path }} ?d a bgt:Disclosure }} }}""")
    if not rows:
        raise PageImageError(f"no document {doc_id} in {store.path}")
    name, path = rows[0]["file"], rows[0]["path"]
    if not (name or path or "").lower().endswith(".pdf"):
        raise PageImageError(f"{name or doc_id}: not a PDF, no page image")
    if not path:
        raise PageImageError(f"{name}: the store does not know where the file lies (ingest it again)")
    pdf = Path(path)
    if not pdf.is_file():
        raise PageImageError(f"{name}: source file not found at {pdf} (moved or deleted? ingest it again from "
                             f"its new place)")
    if doc_id_for(pdf) != doc_id:
        raise PageImageError(f"{name}: the file at {pdf} has changed since it was ingested as {doc_id}")
    return pdf


def render_page(pdf: Path | str, page: int, bbox: tuple[float, float, float, float] | None = None,
                resolution: int = DEFAULT_RESOLUTION) -> bytes:
    """Page ``page`` (1-based) of ``pdf`` as PNG bytes, ``bbox`` (PDF points: x0, top, x1, bottom) outlined."""
    import pdfplumber

    pdf = Path(pdf)
    try:
        doc = pdfplumber.open(pdf)
    except Exception as exc:
        raise PageImageError(f"{pdf.name}: cannot open: {type(exc).__name__}") from exc
    with doc:
        if not 1 <= page <= len(doc.pages):
            raise PageImageError(f"{pdf.name}: no page {page} (the file has {len(doc.pages)})")
        p = doc.pages[page - 1]
        image = p.to_image(resolution=resolution)
        if bbox is not None:
            x0, top, x1, bottom = bbox
            box = (max(x0 - PAD, 0), max(top - PAD, 0), min(x1 + PAD, float(p.width)),
                   min(bottom + PAD, float(p.height)))
            image.draw_rect(box, fill=FILL, stroke=OUTLINE, stroke_width=3)
        out = io.BytesIO()
        image.save(out, format="PNG")
    return out.getvalue()


def page_image(store: Store, doc_id: str, page: int, bbox: tuple[float, float, float, float] | None = None,
               resolution: int = DEFAULT_RESOLUTION) -> bytes:
    """Page ``page`` of document ``doc_id``'s source PDF as PNG bytes, with ``bbox`` outlined."""
    return render_page(source_pdf(store, doc_id), page, bbox, resolution)
