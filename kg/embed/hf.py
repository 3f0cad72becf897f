"""Hugging Face libraries switched offline and quiet: no model hub, no progress bars.

Imported by every module of :mod:`kg.embed` before transformers or sentence-transformers are.
"""

from __future__ import annotations

import contextlib
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers / sentence-transformers are imported
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@contextlib.contextmanager
def quiet():
    """No transformers progress bars ("Loading weights", "Writing model shards") meanwhile."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()
