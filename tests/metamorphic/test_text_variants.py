"""Text exports: every variant of a disclosure reads back as the records of its model."""

import pytest

from .check import message, run
from .variants import TEXT_VARIANTS


@pytest.mark.parametrize("variant", TEXT_VARIANTS, ids=[v.id for v in TEXT_VARIANTS])
def test_text_variant_reads_as_its_model(variant, tmp_path):
    diffs = run(variant, tmp_path)
    assert not diffs, message(variant, diffs)
