"""部门/单位 pairs: a 单位预算 and the 部门预算 of its department each read as their own model, and ingested into
one store (``kg.api.BudgetKG``) they stay two budget entities, each with its own ``income_total``.

Each pair is rendered, extracted and ingested once; the two tests read the same result.
"""

import pytest

from .check import message, run
from .known_failures import marks
from .layout import PDF
from .pairs import STORE
from .variants import VARIANTS

PAIRS = tuple(v for v in VARIANTS if v.family == "pair")
_RESULTS: dict[str, list[str]] = {}


def _differences(variant, tmp_path_factory) -> list[str]:
    if variant.id not in _RESULTS:
        if variant.medium == PDF:
            pytest.importorskip("reportlab")
            pytest.importorskip("paperang_p2_fonts_cjk")
        _RESULTS[variant.id] = run(variant, tmp_path_factory.mktemp("pair"))
    return _RESULTS[variant.id]


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.id, marks=marks(v.id)) for v in PAIRS])
def test_both_documents_read_as_their_models(variant, tmp_path_factory):
    diffs = [d for d in _differences(variant, tmp_path_factory) if not d.startswith(STORE)]
    assert not diffs, message(variant, diffs)


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.id, marks=marks(f"{v.id}:store")) for v in PAIRS])
def test_the_store_keeps_two_budgets_with_their_own_totals(variant, tmp_path_factory):
    diffs = [d for d in _differences(variant, tmp_path_factory) if d.startswith(STORE)]
    assert not diffs, message(variant, diffs)
