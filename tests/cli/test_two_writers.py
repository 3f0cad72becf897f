"""Two writers: a second process opening a store one process holds fails with one line (issue 11).

The store's lock is per process, so these tests start a real second process: the library (``BudgetKG.open``)
and the CLI (``budgetkg ingest``, exit status 1).  Once the first writer closes, the second one succeeds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.api import BudgetKG
from helpers import ROOT, SAMPLES

OPEN = "from kg.api import BudgetKG; from kg.types import StoreError\n" \
       "try:\n    BudgetKG.open(sys.argv[1]).close()\nexcept StoreError as exc:\n    print(exc); sys.exit(3)\n"


def python(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


def budgetkg(*args: str) -> subprocess.CompletedProcess:
    return python("-c", "from budgetkg_cli.main import cli; cli()", *args)


def test_a_second_library_process_gets_one_line(tmp_path):
    store = tmp_path / "store"
    with BudgetKG.open(store):
        held = python("-c", "import sys\n" + OPEN, str(store))
    assert held.returncode == 3, held.stderr
    line = held.stdout.strip()
    assert "\n" not in line and line.startswith(f"cannot open store {store}")
    assert line.endswith("(is another budgetkg process using it?)")
    assert python("-c", "import sys\n" + OPEN, str(store)).returncode == 0  # free again


def test_cli_ingest_while_a_library_holds_the_store_exits_1_with_one_line(tmp_path):
    store = tmp_path / "store"
    sample = Path(SAMPLES[0])
    with BudgetKG.open(store) as kg:
        held = budgetkg("ingest", str(sample), "--store", str(store), "--no-embed", "-q")
        assert kg.documents() == []
    assert held.returncode == 1
    lines = held.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in held.stderr
    assert lines == [f"错误：无法打开知识库 {store}（可能另有 budgetkg 进程正在使用）"]
    done = budgetkg("ingest", str(sample), "--store", str(store), "--no-embed", "-q")
    assert done.returncode == 0, done.stderr
    with BudgetKG.open(store) as kg:
        assert [d.source_file for d in kg.documents()] == [sample.name]
