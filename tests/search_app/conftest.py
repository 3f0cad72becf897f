"""AppTest helpers: each page runs on its own over a private copy of the samples store."""

from __future__ import annotations

import pytest
import streamlit as st
from apptest_helpers import run_with


@pytest.fixture(scope="session")
def warm_model():
    """Load the embedding model once, so that page runs stay short."""
    from kg.embed import load_encoder

    return load_encoder()


@pytest.fixture
def app_store(samples_store, monkeypatch, warm_model):
    """``$BUDGETKG_STORE`` pointing at a fresh copy of the samples; the app's caches are dropped after."""
    monkeypatch.setenv("BUDGETKG_STORE", str(samples_store))
    yield samples_store
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the store (on_release)


@pytest.fixture
def run_page(app_store):
    """``run_page(name, **query_params)``: one page run on the samples store, checked to raise nothing."""

    def run(name: str, **params):
        return run_with(name, **params)

    return run
