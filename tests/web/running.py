"""`ledgerbridge up` as a subprocess on free ports, for browser tests.

Use it from a test module (or a conftest.py) by importing the fixture:

    from tests.web.running import running_app  # noqa: F401

`running_app` is module-scoped: each module gets its own data dir, demo workspace and sandbox, so a test
module may change the sandbox or the workspace without affecting another.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

READY = "ledgerbridge is ready"


@dataclass(frozen=True)
class RunningApp:
    """A running `ledgerbridge up`: the web app and its embedded sandbox."""

    base_url: str
    sandbox_url: str
    data_dir: Path
    log: Path

    @property
    def gateway_url(self) -> str:
        return f"{self.sandbox_url}/ia/xml/xmlgw.phtml"

    @property
    def console_url(self) -> str:
        return f"{self.sandbox_url}/console/"


def start_up(data_dir: Path, timeout: float = 90.0) -> tuple[subprocess.Popen[bytes], RunningApp]:
    """Start `ledgerbridge up` in `data_dir` and wait until it has announced it is ready."""
    port, sandbox_port = free_port(), free_port()
    while sandbox_port == port:
        sandbox_port = free_port()
    log = data_dir / "up.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERBRIDGE_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledgerbridge", "up", "--host", "127.0.0.1", "--port", str(port),
         "--sandbox-port", str(sandbox_port), "--data-dir", str(data_dir / "data")],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env={**env, "PYTHONUNBUFFERED": "1"},
    )
    running = RunningApp(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}", data_dir / "data", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("ledgerbridge up stopped: " + log.read_text(errors="replace"))
        if READY in log.read_text(errors="replace"):
            try:
                if httpx.get(f"{running.base_url}/signin", timeout=2).status_code == 200:
                    return proc, running
            except httpx.HTTPError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("ledgerbridge up did not start: " + log.read_text(errors="replace"))


def stop_up(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """`ledgerbridge up` with a fresh data dir (demo workspace seeded), for this test module."""
    proc, running = start_up(tmp_path_factory.mktemp("up"))
    yield running
    stop_up(proc)
