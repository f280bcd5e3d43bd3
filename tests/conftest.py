"""Shared fixtures: a real sandbox server over HTTP, started as its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class RunningSandbox:
    host: str
    port: int
    data_dir: Path

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def gateway_url(self) -> str:
        return f"{self.base_url}/ia/xml/xmlgw.phtml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(data_dir: Path, *extra: str, seed: str = "demo") -> tuple[subprocess.Popen[bytes], RunningSandbox]:
    # A free port can be handed to two starters at once (tests run in parallel): the one whose sandbox does not
    # answer as its own process starts again on another port.
    for _ in range(5):
        started = _start_on_free_port(data_dir, extra, seed)
        if started is not None:
            return started
    raise RuntimeError("sandbox did not start: every port tried was taken by another sandbox")


def _start_on_free_port(data_dir: Path, extra: tuple[str, ...],
                        seed: str) -> tuple[subprocess.Popen[bytes], RunningSandbox] | None:
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledgerbridge", "sandbox", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--data-dir", str(data_dir), "--seed", seed, *extra],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = RunningSandbox("127.0.0.1", port, data_dir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            text = (data_dir / "server.log").read_text(errors="replace")
            if "address already in use" in text.lower():
                return None
            raise RuntimeError(text)
        try:
            # Ready, not only up: requests sent while the schema loads all wait for it together.
            reply = httpx.get(f"{running.base_url}/readyz", timeout=1)
            if reply.status_code == 200:
                if reply.json().get("pid") == proc.pid:
                    return proc, running
                stop_sandbox(proc)  # another test's sandbox holds the port
                return None
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sandbox did not start: " + (data_dir / "server.log").read_text(errors="replace"))


def stop_sandbox(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """One demo-seeded sandbox for the whole run; tests must not depend on each other's writes."""
    proc, running = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield running
    stop_sandbox(proc)


@pytest.fixture
def fresh_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A sandbox of its own, for tests that change shared state or restart the server."""
    proc, running = start_sandbox(tmp_path)
    yield running
    stop_sandbox(proc)


@pytest.fixture
def console_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A sandbox of its own with the admin console at /console (console tests change the setup)."""
    proc, running = start_sandbox(tmp_path)
    yield running
    stop_sandbox(proc)
