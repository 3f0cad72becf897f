"""Text similarity over the configured encoder, for ingest's matching of table titles to roles.

:func:`text_similarity` gives a function of the shape ingest expects
(:data:`ingest.vocabulary.table_roles.Similarity`): ``(texts, targets) → cosine similarities``.  The encoder is
loaded on the first call only (a document whose titles all match a known wording never loads it), and every
text's vector is kept, so the role wordings are encoded once per process.
"""

from __future__ import annotations

import functools
import numpy as np

from ingest.vocabulary.table_roles import Similarity

from .encoder import load_encoder


@functools.lru_cache(maxsize=4)
def text_similarity(model: str | None = None) -> Similarity:
    """Cosine similarity of short texts under ``model`` (``None``: the default model, on its exact float32
    graph: ingest's thresholds were measured on those numbers, with margins of 0.002), both sides encoded
    as queries (the symmetric use of an e5 model)."""
    vectors: dict[str, np.ndarray] = {}

    def encode(texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        if missing:
            for text, vec in zip(missing, load_encoder(model, exact=True).encode_queries(missing)):
                vectors[text] = vec
        return np.stack([vectors[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    def similarity(texts: list[str], targets: list[str]) -> list[list[float]]:
        if not texts or not targets:
            return [[] for _ in texts]
        return (encode(texts) @ encode(targets).T).astype(float).tolist()

    return similarity
