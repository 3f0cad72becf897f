"""PDF page readers die with their parent (issue 11, failure 6): an ingest killed with -9 while its
worker pool reads pages leaves no worker behind, and its store opens again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.scoring import find_shared
from test_reader_pdf import make_pdf
from test_reader_pdf_parallel import _pages

ROOT = Path(__file__).resolve().parents[2]
SHARED = find_shared(ROOT)
REAL = SHARED / "pdfs" / "putuo_czj_2024_juesuan_dept.pdf" if SHARED else Path("/nonexistent")

# the child: an ingest whose progress callback stops after the first page (the workers go on reading)
CHILD = """
import sys, time
from kg.api import BudgetKG

def progress(done, total):
    if done == 1:
        print("reading", flush=True)
        time.sleep(120)

with BudgetKG.open(sys.argv[1]) as kg:
    kg.ingest_file(sys.argv[2], progress=progress)
"""


def alive_children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_when_the_ingest_is_killed(tmp_path):
    pdf = REAL if REAL.is_file() else make_pdf(tmp_path / "twelve.pdf", _pages(12))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETKG_WORKERS": "2"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "store"), str(pdf)], env=env,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "reading"
        workers = alive_children(child.pid)
        assert len(workers) == 2
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 2
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [w for w in workers if alive(w)]
    for w in survivors:  # this test's own processes, not left running when it fails
        os.kill(w, signal.SIGKILL)
    assert not survivors
    from kg.api import BudgetKG

    with BudgetKG.open(tmp_path / "store") as kg:  # the lock went with the processes
        assert kg.documents() == []
