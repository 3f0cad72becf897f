"""Fixtures for the kg tests: hand-built extractions (kg_fixtures.py) and fresh stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.api import BudgetKG
from kg_fixtures import dongxihu, jiangan

@pytest.fixture
def dongxihu_ex():
    return dongxihu()


@pytest.fixture
def jiangan_ex():
    return jiangan()


@pytest.fixture
def store_dir(tmp_path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def kg(store_dir):
    """An empty store."""
    with BudgetKG.open(store_dir) as kg:
        yield kg


@pytest.fixture
def kg_small(store_dir):
    """A store holding the two hand-built documents."""
    with BudgetKG.open(store_dir) as kg:
        kg.ingest_extraction(dongxihu())
        kg.ingest_extraction(jiangan())
        yield kg


@pytest.fixture(scope="module")
def samples_graph(samples_store_template, tmp_path_factory):
    """The store of the bundled samples (a private copy of the run's one), shared by one module's read-only tests."""
    path = shutil.copytree(samples_store_template, tmp_path_factory.mktemp("samples-graph") / "store")
    with BudgetKG.open(path) as kg:
        yield kg.store
