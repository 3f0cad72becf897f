"""``budgetkg search`` and ``cites`` load only what they need (issue 16: the first result within 2 s).

Each command runs in a new process, as a user runs it, on the samples store; at exit the process says
which modules it had imported and whether jieba's main dictionary was loaded.  The timing itself is
``benchmarks/cli_latency.py`` (run at one round by tests/test_benchmarks.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT

HEAVY = ("torch", "sentence_transformers", "transformers", "pandas", "streamlit", "oxrdflib", "ingest.pipeline",
         "ingest.tables", "ingest.audit", "kg.browse", "kg.mapping", "kg.charts", "kg.compare")
PROBE = """
import atexit, json, sys
def report():
    jieba = sys.modules.get("jieba")
    print("MODULES" + json.dumps({"modules": sorted(sys.modules),
          "main_dictionary": bool(jieba and jieba.dt.initialized) or "kg.search.lexical" in sys.modules
                             and sys.modules["kg.search.lexical"]._base_tokenizer.cache_info().currsize > 0}),
          file=sys.stderr)
atexit.register(report)
from budgetkg_cli.main import cli
cli()
"""


def loaded(store, *args) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", PROBE, *args, "--store", str(store)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()  # it printed its results
    line = next(line for line in proc.stderr.splitlines() if line.startswith("MODULES"))
    return json.loads(line[len("MODULES"):])


@pytest.mark.parametrize("args", [("search", "医疗救助"), ("search", "城乡医疗救助", "--dept", "江岸区医疗保障局"),
                                  ("cites", "武政规〔2016〕32号")])
def test_a_query_command_loads_no_reading_no_torch_and_no_main_dictionary(samples_store, args):
    loaded(samples_store, *args)  # the first run may write the dictionary's table
    seen = loaded(samples_store, *args)
    heavy = sorted(m for m in seen["modules"] if m.split(".")[0] in HEAVY or m in HEAVY
                   or any(m.startswith(h + ".") for h in HEAVY))
    assert heavy == []
    assert not seen["main_dictionary"]
    if args[0] == "cites":
        assert not {"onnxruntime", "faiss", "bm25s", "jieba"} & set(seen["modules"])  # no search index at all
