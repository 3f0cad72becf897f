"""Pages read by worker processes: the same lines as one process, progress for every page, and the
fall-backs (small files, no pool, a failing page).  Plumbing of progress and ``--password`` to the CLI."""

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest import pipeline, reader_pdf
from ingest.errors import IngestError
from ingest.reader_pdf import MIN_PARALLEL_PAGES, WORKERS_ENV, read_pdf, worker_count
from helpers import SHARED
from test_reader_pdf import make_pdf, text

REAL = SHARED / "pdfs" / "putuo_czj_2024_juesuan_dept.pdf" if SHARED else Path("/nonexistent")
linux_fork = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="workers see the test's patches only when forked")


def _no(name):
    def fail(*args, **kwargs):
        raise AssertionError(f"{name} should not run")
    return fail


def _pages(n: int) -> list[str]:
    """``n`` small pages, two lines mid-page and a page number."""
    return [text(72, 500, f"第{i}页的正文") + text(72, 470, f"收入{i}.00万元") + text(290, 40, f"- {i} -")
            for i in range(1, n + 1)]


@pytest.mark.skipif(not REAL.is_file(), reason="shared/pdfs not present")
def test_real_pdf_reads_the_same_with_workers_and_reports_every_page(monkeypatch):
    """p14 is blank and tables continue across pages: the cross-page steps see the pages in order."""
    seq_calls, par_calls = [], []
    sequential = read_pdf(REAL, workers=1, progress=lambda d, n: seq_calls.append((d, n)))
    monkeypatch.setattr(reader_pdf, "_read_sequential", _no("the sequential path"))
    parallel = read_pdf(REAL, workers=2, progress=lambda d, n: par_calls.append((d, n)))
    assert parallel == sequential
    assert len(sequential) > 300 and {ln.page for ln in sequential} >= set(range(1, 14))
    assert seq_calls == par_calls == [(d, 25) for d in range(1, 26)]


def test_worker_count(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert worker_count(MIN_PARALLEL_PAGES - 1, 8) == 1
    assert worker_count(100, 3) == 3
    assert worker_count(12, 16) == 3  # a worker for every 4 pages at most
    assert worker_count(100, 0) == 1
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert worker_count(100) == 1
    monkeypatch.setenv(WORKERS_ENV, "5")
    assert worker_count(100) == 5
    assert worker_count(100, 2) == 2  # an explicit count wins over the environment


def test_bad_worker_env_falls_back_to_the_cpus(monkeypatch, caplog):
    monkeypatch.setenv(WORKERS_ENV, "many")
    assert worker_count(1000) >= 1
    assert "BUDGETKG_WORKERS" in caplog.text


def test_small_pdf_is_read_in_process(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_pdf, "_read_parallel", _no("the worker pool"))
    calls = []
    lines = read_pdf(make_pdf(tmp_path / "small.pdf", _pages(3)), workers=4,
                     progress=lambda d, n: calls.append((d, n)))
    assert [ln.plain for ln in lines][:2] == ["第1页的正文", "收入1.00万元"]
    assert calls == [(1, 3), (2, 3), (3, 3)]


@linux_fork
def test_generated_pdf_same_with_workers_and_footers_dropped(tmp_path):
    path = make_pdf(tmp_path / "ten.pdf", _pages(10))
    parallel = read_pdf(path, workers=3)
    assert parallel == read_pdf(path, workers=1)
    assert [ln.page for ln in parallel] == [p for p in range(1, 11) for _ in range(2)]
    assert not any(ln.plain.startswith("-") for ln in parallel)


@linux_fork
def test_pool_that_cannot_start_falls_back_to_one_process(tmp_path, monkeypatch, caplog):
    path = make_pdf(tmp_path / "ten.pdf", _pages(10))
    expected = read_pdf(path, workers=1)

    def broken(*args):
        raise OSError("no semaphores here")

    monkeypatch.setattr(reader_pdf, "_worker_open", broken)  # every worker dies on start
    calls = []
    caplog.set_level("INFO", logger="ingest.reader_pdf")
    assert read_pdf(path, workers=2, progress=lambda d, n: calls.append(d)) == expected
    assert "reading sequentially" in caplog.text
    assert calls[-10:] == list(range(1, 11))


@linux_fork
def test_failing_page_is_named_from_a_worker(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "ten.pdf", _pages(10))
    real = reader_pdf.read_page

    def flaky(page):
        if page.page_number in (6, 9):
            raise ValueError("bad operator")
        return real(page)

    monkeypatch.setattr(reader_pdf, "read_page", flaky)
    with pytest.raises(IngestError) as err:
        read_pdf(path, workers=2)
    assert str(err.value) == "ten.pdf（第 6 页）：PDF 已损坏：bad operator"
    assert (err.value.code, err.value.page) == ("pdf_corrupt", 6)


def test_cli_passes_password_and_page_progress_to_the_reader(tmp_path, monkeypatch):
    """``budgetkg ingest --password``: the reader gets the password and a page callback, which drives the bar."""
    from budgetkg_cli.main import cli

    seen = {}

    def fake_read_lines(path, password=None, progress=None, warn=None):
        seen.update(password=password, progress=progress)
        for done in range(1, 4):
            progress(done, 3)
        raise IngestError(path, "pdf_corrupt", detail="stop here")

    monkeypatch.setattr(pipeline, "read_lines", fake_read_lines)
    pdf = make_pdf(tmp_path / "doc.pdf", _pages(1))
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--store", str(tmp_path / "store"),
                                      "--password", "s3cret"])
    assert result.exit_code == 1, result.output
    assert seen["password"] == "s3cret" and callable(seen["progress"])
    assert "doc.pdf：PDF 已损坏：stop here" in result.output
