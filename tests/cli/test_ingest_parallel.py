"""``budgetkg ingest --workers N`` / ``--parallel`` / ``--scheduler``: the lines of the sequential path, no
Dask noise; a bad option or an unreachable scheduler is one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from budgetkg_cli.main import cli
from helpers import FIXTURE_DOCS, plain_main


@pytest.fixture(scope="module", autouse=True)
def _plain_main():
    """Workers spawned here re-run no page script an AppTest left as ``__main__`` (:func:`helpers.plain_main`)."""
    with plain_main():
        yield


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_two_workers_print_the_lines_of_the_sequential_path(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n")
    batch = [FIXTURE_DOCS[0], broken, FIXTURE_DOCS[1]]  # two that need no embedding model: quick
    sequential = run("ingest", *batch, "--store", tmp_path / "seq", "-q", "--no-embed")
    parallel = run("ingest", *batch, "--store", tmp_path / "par", "-q", "--no-embed", "--workers", 2)
    assert parallel.exit_code == sequential.exit_code == 1  # one file failed
    assert parallel.stderr == sequential.stderr  # the same warning and error lines, in order; nothing of Dask's
    assert "错误：broken.pdf：" in parallel.stderr
    assert parallel.stdout.replace(str(tmp_path / "par"), str(tmp_path / "seq")) == sequential.stdout


@pytest.mark.parametrize("args, line", [
    (["--scheduler", "localhost"], "错误：Dask 调度器地址无效：localhost（应为 tcp://主机:端口）"),
])
def test_a_malformed_scheduler_is_one_line(tmp_path, args, line):
    result = run("ingest", *FIXTURE_DOCS[:2], "--store", tmp_path / "store", "-q", *args)
    assert result.exit_code == 1 and result.stderr.strip().splitlines() == [line]
    assert not (tmp_path / "store").exists()  # refused before the store is opened


def test_workers_must_be_at_least_one(tmp_path):
    result = run("ingest", *FIXTURE_DOCS[:2], "--store", tmp_path / "store", "--workers", 0)
    assert result.exit_code == 2 and "--workers" in result.stderr
