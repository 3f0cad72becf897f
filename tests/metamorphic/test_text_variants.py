"""Text exports: every variant of a disclosure reads back as the records of its model."""

import pytest

from .check import message, run
from .layout import TEXT
from .variants import TEXT_SEEDS


@pytest.mark.parametrize("seed", TEXT_SEEDS, ids=[f"text-{s}" for s in TEXT_SEEDS])
def test_text_variant_reads_as_its_model(seed, tmp_path):
    diffs = run(seed, TEXT, tmp_path)
    assert not diffs, message(seed, TEXT, diffs)
