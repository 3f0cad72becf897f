"""What the browser tests share: ``budgetkg app`` started on a store, headless Chromium, waiting for a page.

``serve(store)`` runs the app on a free port of 127.0.0.1 (its log in ``tests/artifacts/``) and stops it
and its streamlit child after; ``browser(p)`` launches Debian's chromium through Playwright.  ``recording_page`` opens a page that records its requests (``outside`` keeps those to other hosts).
``needs_browser`` marks a test ``slow`` and skips it without chromium or playwright, except under CI (``CI=true``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
UNDER_CI = os.environ.get("CI") == "true"
START_S, FIRST_SEARCH_S, STEP_S = 90, 240, 60  # seconds: server start, first search (loads the model), a step

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

_missing = [what for what, ok in [("playwright", sync_playwright is not None), (str(CHROMIUM), CHROMIUM.exists())]
            if not ok]
needs_browser = [pytest.mark.slow, pytest.mark.skipif(bool(_missing) and not UNDER_CI,
                                   reason=f"needs {' and '.join(_missing)} (.ci/run installs both)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the app did not answer within {timeout:g} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the app and its streamlit child (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


RUNNING: dict[str, subprocess.Popen] = {}  # url → the app process serve() started


@contextmanager
def serve(store: Path, log_name: str = "server.log"):
    """``budgetkg app`` on a free port of 127.0.0.1 over ``store``; yields its URL, stops it after."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / log_name
    cmd = [sys.executable, "-c", "from budgetkg_cli.main import cli; cli()", "app", "--store", str(store),
           "--host", "127.0.0.1", "--port", str(port), "--headless"]
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        RUNNING[url] = proc
        try:
            _wait_healthy(url, proc, START_S, log_path)
            yield url
        finally:
            _stop(RUNNING.pop(url))


def stop_server(url: str) -> None:
    """Stop the app :func:`serve` runs at ``url`` before its block ends (a server that went away)."""
    _stop(RUNNING[url])


def browser(p):
    """Headless Chromium (Debian's) through Playwright ``p``."""
    return p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=STEP_S * 1000)


def recording_page(chromium) -> tuple:
    """``(page, requests)``: a new zh-CN page of ``chromium`` and the list of the URLs it requests."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(STEP_S * 1000)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return page, requests


def outside(requests: list[str], app_url: str) -> list[str]:
    """The requests to any host but the app's own (``data:``/``blob:`` URLs stay in the page)."""
    own = urlsplit(app_url).netloc
    return [r for r in requests if urlsplit(r).scheme not in ("data", "blob") and urlsplit(r).netloc != own]


def settle(page) -> None:
    """Wait until the app's script run is over, then let the page paint (after a goto, or once the
    content an action should bring is there)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=FIRST_SEARCH_S * 1000)
    page.wait_for_timeout(300)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
