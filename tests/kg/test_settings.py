"""kg.settings: each setting from the option, else the environment, else the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.api import BudgetKG
from kg.namespaces import DEFAULT_BASE
from kg.settings import DEFAULT_STORE, Settings, resolve

ENV = {"BUDGETKG_STORE": "/env/store", "BUDGETKG_MODEL": "/env/model", "BUDGETKG_BASE": "https://env.example/"}


def test_defaults_without_options_or_environment():
    assert resolve(environ={}) == Settings(Path(DEFAULT_STORE), None, DEFAULT_BASE)
    assert DEFAULT_STORE == "./budgetkg-data"


def test_environment_beats_the_defaults():
    assert resolve(environ=ENV) == Settings(Path("/env/store"), "/env/model", "https://env.example/")


def test_options_beat_the_environment():
    got = resolve(store="opt", model="/opt/model", base="https://opt.example/", environ=ENV)
    assert got == Settings(Path("opt"), "/opt/model", "https://opt.example/")


@pytest.mark.parametrize("name, field, fallback", [
    ("BUDGETKG_STORE", "store_dir", Path(DEFAULT_STORE)), ("BUDGETKG_MODEL", "model", None),
    ("BUDGETKG_BASE", "base", DEFAULT_BASE),
])
def test_an_empty_variable_counts_as_unset(name, field, fallback):
    assert getattr(resolve(environ={name: ""}), field) == fallback


def test_settings_are_frozen_and_read_the_process_environment(monkeypatch):
    monkeypatch.setenv("BUDGETKG_MODEL", "/from/env")
    s = resolve()
    assert s.model == "/from/env"
    with pytest.raises(AttributeError):
        s.model = "other"  # type: ignore[misc]


def test_the_kg_opens_with_the_settings(tmp_path):
    settings = resolve(store=tmp_path / "store", model="/some/model", base="https://example.org/kg/", environ={})
    with BudgetKG.open(settings) as kg:
        assert kg.store_dir == (tmp_path / "store").resolve()
        assert kg.base == "https://example.org/kg/" and kg.model == "/some/model"
        assert kg.search_index.model == "/some/model"  # the encoder is asked for this model, explicitly
