"""Shared pytest configuration: the repository root is the rootdir, so packages import from source.

``samples_store`` is a private copy of the bundled samples, ingested and embedded once per run
(``samples_store_template``); the app tests and the browser test start from it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import MULTIYEAR_DOCS, SAMPLES, extracted



def make_samples_store(path: Path) -> Path:
    """Ingest and embed the bundled samples into a store at ``path`` (closed again); usable outside pytest."""
    from kg.api import BudgetKG

    with BudgetKG.open(path) as kg:
        results = kg.ingest(SAMPLES)
        assert all(r.ok for r in results), [r.message for r in results]
        kg.embed()
    return path


def make_multiyear_store(path: Path) -> Path:
    """The six multi-year fixture documents (tests/fixtures/multiyear) in a store at ``path`` (closed again),
    not embedded: what comparisons read."""
    from kg.api import BudgetKG

    with BudgetKG.open(path) as kg:
        for doc in MULTIYEAR_DOCS:
            kg.ingest_extraction(extracted(doc))
    return path


def pytest_configure(config):
    """Convert and export the default embedding model once, before xdist starts its workers (two conversions
    would race)."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        from kg.embed import ensure_fast_model

        ensure_fast_model()


@pytest.fixture(scope="session")
def samples_store_template(tmp_path_factory) -> Path:
    """The samples store, built once per run; copy it (``samples_store``) before opening it."""
    return make_samples_store(tmp_path_factory.mktemp("samples") / "store")


@pytest.fixture
def samples_store(samples_store_template, tmp_path) -> Path:
    """A private, closed copy of the embedded samples store."""
    return Path(shutil.copytree(samples_store_template, tmp_path / "store"))


@pytest.fixture(scope="session")
def multiyear_store_template(tmp_path_factory) -> Path:
    """The multi-year fixtures' store, built once per run; copy it before writing to it."""
    return make_multiyear_store(tmp_path_factory.mktemp("multiyear") / "store")
