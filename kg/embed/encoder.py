"""The encoders: a model that turns queries and passages into unit vectors.

``name=None`` (or :data:`DEFAULT_MODEL`) is the default model on ONNX Runtime (:mod:`kg.embed.fast`,
exported on first use); :data:`TORCH_MODEL` the same model through sentence-transformers (the converted
folder of :mod:`kg.embed.conversion`); any other name must be a local sentence-transformers folder.
Nothing here reaches a model hub.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..threads import Result, single_thread
from .conversion import DEFAULT_MODEL, ensure_default_model
from .hf import quiet

log = logging.getLogger(__name__)
_locks: dict[tuple[str, bool], threading.Lock] = {}  # per model: a preload and the first query wait for one load
_locks_lock = threading.Lock()
TORCH_MODEL = DEFAULT_MODEL + "@sentence-transformers"  # the default model on torch, as before the fast path


def resolve_model(name: str | os.PathLike | None = None) -> Path:
    """The local sentence-transformers folder for ``name``; ``None`` (or the default's name, or
    :data:`TORCH_MODEL`) is the default, converted on first use."""
    name = str(name) if name else DEFAULT_MODEL
    if name in (DEFAULT_MODEL, TORCH_MODEL):
        return ensure_default_model()
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"embedding model {name!r} not found: give a local sentence-transformers folder "
            f"(there is no model hub here) or leave BUDGETKG_MODEL unset for {DEFAULT_MODEL}",
            model=name, default=DEFAULT_MODEL,
        )
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelError(f"embedding model {name!r} is not a sentence-transformers folder (no modules.json)",
                         model=name, default=DEFAULT_MODEL)
    return path


class Encoder:
    """A sentence-transformers model that turns queries and passages into unit float32 vectors.

    ``model``: a local sentence-transformers folder; ``None`` is the converted multilingual-e5-small.
    Models with ``query``/``document`` prompts get them.
    """

    def __init__(self, model: str | os.PathLike | None = None):
        self.path = resolve_model(model)
        self.model = _load(self.path)
        self.dim = int(self.model.get_embedding_dimension())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors, on one thread: a short query gains nothing from more, and on a busy machine
        torch's threads wait on each other (37 ms on one thread, 490 ms on two, measured on 2 cores)."""
        with _one_thread():
            return self._encode(self.model.encode_query, texts, batch_size=32, progress=False)

    def encode_documents(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self._encode(self.model.encode_document, texts, batch_size=batch_size, progress=progress)

    def _encode(self, method, texts, batch_size: int, progress: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = method(
            texts, batch_size=batch_size, show_progress_bar=progress,
            convert_to_numpy=True, normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _load(path: Path):
    from sentence_transformers import SentenceTransformer

    try:
        with quiet():
            return SentenceTransformer(str(path), local_files_only=True)
    except Exception as err:  # a damaged folder: say which, in one line
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"cannot load embedding model {path}: {first}", model=str(path)) from err


def _one_thread():
    """Torch on one thread meanwhile (see :mod:`kg.threads`)."""
    import torch

    return single_thread(torch.get_num_threads, torch.set_num_threads)


@functools.lru_cache(maxsize=4)
def _cached(path: Path) -> Encoder:
    return Encoder(path)


@functools.lru_cache(maxsize=2)
def _fast(exact: bool):
    from .fast import FastEncoder

    return FastEncoder(exact=exact)


def load_encoder(name: str | None = None, exact: bool = False):
    """One encoder per model per process: the default model's fast path (:class:`kg.embed.fast.FastEncoder`)
    for ``None`` or :data:`DEFAULT_MODEL` (``exact``: its float32 graph, the vectors of sentence-transformers
    to 1e-6), else an :class:`Encoder` (the name is resolved on every call)."""
    default = not name or str(name) == DEFAULT_MODEL
    key = (DEFAULT_MODEL if default else str(name), exact and default)
    with _locks_lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # another model loads meanwhile: the ingest's exact graph beside the search's int8 one
        return _fast(exact) if default else _cached(resolve_model(name))


def preload_encoder(name: str | None = None) -> Result:
    """Start loading ``name``'s encoder in the background, so that the first query or passage finds it
    ready (ONNX Runtime lets go of the GIL while it builds its session).  A failure is logged and raised
    again by the next :func:`load_encoder`, in the caller's thread (or by the result's ``get()``)."""

    def load():
        try:
            return load_encoder(name)
        except Exception as exc:  # the caller's load_encoder raises it where it can be reported
            log.debug("preloading %s failed: %s", name or DEFAULT_MODEL, exc)
            raise

    return Result(load, name="budgetkg-preload-model")
