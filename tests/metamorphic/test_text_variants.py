"""Text exports: every variant of a disclosure reads back as the records of its model."""

import pytest

from .check import message, run
from .known_failures import marks
from .variants import TEXT_VARIANTS


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.id, marks=marks(v.id)) for v in TEXT_VARIANTS])
def test_text_variant_reads_as_its_model(variant, tmp_path):
    diffs = run(variant, tmp_path)
    assert not diffs, message(variant, diffs)
