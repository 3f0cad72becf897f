"""No CLI command opens a connection for a hostile query, reference or IRI (issue 11, failure 1)."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from tests.net_listener import hostile_queries, hostile_values, listening


@pytest.fixture(scope="module")
def ear():
    with listening(600) as ear:
        yield ear


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception  # one-line errors
    return result


@pytest.mark.parametrize("name", sorted(hostile_queries("http://127.0.0.1:1/x")))
def test_sparql_command(samples_store, ear, name):
    result = run("sparql", hostile_queries(ear.url)[name], "--store", samples_store)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    time.sleep(0.1)
    assert ear.connections == []


@pytest.mark.parametrize("command", ["entity", "cites", "search"])
def test_entity_cites_search_commands(samples_store, ear, command):
    for value in hostile_values(ear.url):
        result = run(command, value, "--store", samples_store)
        assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    time.sleep(0.1)
    assert ear.connections == []
