"""A page of a stored document's source PDF as a PNG, with the row a fact was read from outlined.

The store keeps a copy of every ingested file (:meth:`kg.store.Store.source_file`); the document graph
names the file (``bgt:sourceFile``), and for a disclosure read from several files each source location names
its own, which picks the copy to draw.  A missing copy or a non-PDF source is a :class:`PageImageError`.
"""

from __future__ import annotations

import io
from pathlib import Path

from . import sparql_terms as terms
from .errors import PageImageError
from .store import Store

DEFAULT_RESOLUTION = 110  # dpi: a 595 × 842 pt page becomes 909 × 1286 px
OUTLINE = (220, 38, 38)  # red
FILL = (220, 38, 38, 40)
PAD = 2.0  # points around the box


def source_pdf(store: Store, doc_id: str, source: str | None = None) -> Path:
    """The kept copy of a stored document's source PDF: the file ``source`` of a disclosure read from
    several files (the name a fact's provenance gives), else its one file."""
    rows = store.select(f"""SELECT ?file WHERE {{ GRAPH {terms.iri(store.doc_graph(doc_id))} {{
      ?d a bgt:Disclosure OPTIONAL {{ ?d bgt:sourceFile ?file }} }} }}""")
    if not rows:
        raise PageImageError(f"no document {doc_id} in {store.path}")
    name = source or rows[0]["file"] or doc_id
    if not name.lower().endswith(".pdf"):
        raise PageImageError(f"{name}: not a PDF, no page image")
    pdf = store.source_file(doc_id, name)
    if pdf is None:
        raise PageImageError(f"{name}: the store keeps no copy of the file (ingest it again)")
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
               resolution: int = DEFAULT_RESOLUTION, source: str | None = None) -> bytes:
    """Page ``page`` of document ``doc_id``'s source PDF (its file ``source``, see :func:`source_pdf`) as
    PNG bytes, with ``bbox`` outlined."""
    return render_page(source_pdf(store, doc_id, source), page, bbox, resolution)
