"""The fast path of the default model: ONNX Runtime over int8 weights, without torch at run time.

The converted sentence-transformers folder (:mod:`kg.embed.conversion`) is exported once into ONNX
(torch's exporter), the weights of its matrix products and embedding table quantised to int8 per
channel (ONNX Runtime's dynamic quantisation), and saved beside it in the user's cache with the tokenizer
and the prompts.  :class:`FastEncoder` then tokenises with ``tokenizers`` (narrowed to the scripts of
Chinese disclosures where that is exact, :mod:`kg.embed.narrow_tokenizer`), runs the graph on each text
alone (no padding; the activations' int8 scale is the text's own), mean-pools and normalises — what the
sentence-transformers modules of that folder do — one text per core at a time, at about five times the
speed; measured against them by ``benchmarks/embed.py``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .conversion import PROMPTS, ensure_default_model, publish
from .narrow_tokenizer import NarrowTokenizer

log = logging.getLogger(__name__)

VARIANT = "onnx-int8"
MODEL_FILE = "model.onnx"  # int8 weights: passages and queries
EXACT_FILE = "model.fp32.onnx"  # float32, torch's numbers to 1e-6: the similarities ingest's thresholds were measured on
_STAMP = "budgetkg-fast.json"  # written last: a folder without it is an unfinished export
_FILES = ("tokenizer.json", "sentence_bert_config.json", "config_sentence_transformers.json")
BATCH = 32


def fast_model_dir(source: Path) -> Path:
    return source.with_name(f"{source.name}-{VARIANT}")


def ensure_fast_model() -> Path:
    """The exported default model folder, exporting it on first use."""
    source = ensure_default_model()
    target = fast_model_dir(source)
    if (target / _STAMP).is_file() and (target / EXACT_FILE).is_file():
        return target
    if target.exists():  # an interrupted export, or one of an older layout
        shutil.rmtree(target)
    log.info("exporting %s into ONNX (int8 weights) at %s (once per machine)", source.name, target)
    return export(source, target)


def export(source: Path, target: Path) -> Path:
    """``source`` (a BERT sentence-transformers folder) as an ONNX folder of int8 weights at ``target`` (atomic)."""
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        out = work / "out"
        out.mkdir()
        _export_fp32(source, out / EXACT_FILE)
        _quantise(out / EXACT_FILE, out / MODEL_FILE)
        for name in _FILES:
            shutil.copy2(source / name, out / name)
        publish(out, target, _STAMP, {"source": source.name, "variant": VARIANT})
    except Exception as err:
        raise ModelError(f"could not export {source} into ONNX at {target}: {err}") from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _quantise(source: Path, target: Path) -> None:
    """int8 weights per channel for the matrix products and the embedding table; activations are scaled
    per run, and :class:`FastEncoder` runs each text alone, so a text's vector never depends on others."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level, root.level = root.level, logging.ERROR  # its advice to pre-process, on the root logger
    try:
        quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gather"])
    finally:
        root.level = level


def _export_fp32(source: Path, path: Path) -> None:
    import warnings

    import torch
    from transformers import AutoModel

    from .hf import quiet

    class Hidden(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    with quiet():
        model = AutoModel.from_pretrained(source, local_files_only=True).eval()
    ids = torch.tensor([[0, 6, 5, 2], [0, 6, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Hidden(model), (ids, mask), str(path), input_names=["input_ids", "attention_mask"],
                          output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes})


class FastEncoder:
    """The default model on ONNX Runtime: the interface of :class:`kg.embed.encoder.Encoder`; ``exact``: on
    the float32 graph."""

    def __init__(self, path: Path | None = None, exact: bool = False):
        self.path = Path(path) if path else ensure_fast_model()
        self.exact = exact  # the float32 graph (slower, torch's vectors) instead of the int8 one
        if not (self.path / _STAMP).is_file():
            raise ModelError(f"{self.path} is not an exported fast model (no {_STAMP})", model=str(self.path))
        config = json.loads((self.path / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        self.prompts = {**PROMPTS, **config.get("prompts", {})}
        limit = json.loads((self.path / "sentence_bert_config.json").read_text(encoding="utf-8")).get(
            "max_seq_length") or 512
        session = _Result(self._load)  # ONNX Runtime builds it without the GIL, beside the tokenizer's load
        self.tokenizer = NarrowTokenizer(self.path, min(int(limit), 512))
        self._session = session.get()
        self.dim = int(self.encode_queries(["维度"]).shape[1])

    def _load(self):
        """One ONNX Runtime session on one thread: texts run side by side, one per core."""
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            return ort.InferenceSession(str(self.path / (EXACT_FILE if self.exact else MODEL_FILE)), options,
                                        providers=["CPUExecutionProvider"])
        except Exception as err:  # a damaged file: say which, in one line
            raise ModelError(f"cannot load embedding model {self.path}: {str(err).splitlines()[0]}",
                             model=str(self.path)) from err

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors, in this thread (a short query gains nothing from more; see :mod:`kg.threads`)."""
        return self._encode(self.prompts["query"], texts, workers=1)

    def encode_documents(self, texts: list[str], batch_size: int = BATCH, progress: bool = False) -> np.ndarray:
        """Passage vectors, one text per core at a time (``batch_size``: texts between progress updates)."""
        return self._encode(self.prompts["document"], texts, workers=os.cpu_count() or 1, step=batch_size,
                            progress=progress)

    def _encode(self, prompt: str, texts, workers: int, step: int = BATCH, progress: bool = False):
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one string")
        texts = [prompt + t for t in texts]
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), np.float32)
        bar = _bar(len(texts)) if progress else None
        try:
            if workers == 1:
                return np.vstack([self._vector(t) for t in texts])
            from concurrent.futures import ThreadPoolExecutor

            out = []
            with ThreadPoolExecutor(workers) as pool:  # ONNX Runtime lets go of the GIL while it runs
                for start in range(0, len(texts), step):
                    out += pool.map(self._vector, texts[start:start + step])
                    if bar is not None:
                        bar.update(min(step, len(texts) - start))
            return np.vstack(out)
        finally:
            if bar is not None:
                bar.close()

    def _vector(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text)[None, :]
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        vector = hidden.mean(axis=0)
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


class _Result:
    """``fn()`` run in a thread of its own; :meth:`get` waits for its value (or raises its error)."""

    def __init__(self, fn):
        import threading

        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self._thread.start()

    def _run(self, fn) -> None:
        try:
            self._value = fn()
        except BaseException as exc:  # handed to get()
            self._error = exc

    def get(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="段", desc="嵌入段落", leave=False)
