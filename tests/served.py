"""A real SPARQL server on 127.0.0.1 for the tests of server stores: ``budgetkg serve`` in a child process.

``with serving(folder) as url:`` starts ``budgetkg serve --store folder --port <free port>`` (the CLI, as a
user would), waits for its one line saying it answers, yields its base URL and stops it at the end
(SIGTERM: the command stops the ``oxigraph`` server it started).  Usable outside pytest.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CLI = "from budgetkg_cli.main import cli; cli()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def budgetkg_process(*args: str, **kwargs) -> subprocess.Popen:
    """``budgetkg ARGS`` in a child process, from this checkout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, **kwargs)


def budgetkg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``budgetkg ARGS`` run to its end in a child process: its exit status, stdout and stderr."""
    with budgetkg_process(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        out, err = p.communicate(timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def serving(folder: Path, read_only: bool = False, timeout: float = 60) -> Iterator[str]:
    """The store directory ``folder`` served by ``budgetkg serve`` (``read_only``: ``--read-only``); its URL.
    The server gives a query 5 s: a test's runaway query does not keep a core busy for long."""
    port = free_port()
    args = ["serve", "--store", str(folder), "--port", str(port), "--timeout", "5"] + (
        ["--read-only"] if read_only else [])
    process = budgetkg_process(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                raise RuntimeError(f"budgetkg serve stopped: {''.join(lines)}")
            lines.append(line)
            if line.startswith("SPARQL 服务"):
                break
        else:
            raise RuntimeError(f"budgetkg serve did not answer within {timeout} s: {''.join(lines)}")
        url = f"http://127.0.0.1:{port}"
        assert f"--store {url} --index-dir {Path(folder).resolve()}" in line, line
        yield url
    finally:
        process.terminate()
        process.wait(30)
        process.stderr.close()
    deadline = time.monotonic() + 10
    while port_answers(port) and time.monotonic() < deadline:  # the oxigraph server went with it
        time.sleep(0.1)
    assert not port_answers(port), f"the server on port {port} outlived budgetkg serve"
