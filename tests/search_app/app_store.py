"""A store of the bundled samples for AppTest runs of the views, opened by the app itself (``$BUDGETKG_STORE``)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.api import BudgetKG

ROOT = Path(__file__).resolve().parents[2]


def build_samples_store(path: Path) -> Path:
    """Ingest ``samples/`` into ``path`` and close it, so that the app can open it."""
    with BudgetKG.open(path) as kg:
        assert all(r.ok for r in kg.ingest([ROOT / "samples"]))
    return path


def release_app_store() -> None:
    """Close the app's cached store (its lock) and forget cached results."""
    st.cache_data.clear()
    st.cache_resource.clear()
