"""Shared pieces of the client benchmarks: a sandbox of their own, with latency and a concurrency cap."""

from __future__ import annotations

import argparse
import logging
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from ledgerbridge.intacct import ClientOptions, IntacctClient, Login, RetryPolicy, Secret, Sender

SERVE = [sys.executable, "-m", "ledgerbridge", "sandbox", "serve"]
SENDER = Sender("ledgerbridge", Secret("sandbox"))
LOGIN = Login("DEMO", "xml_gateway", Secret("sandbox"))


@dataclass(frozen=True)
class Sandbox:
    gateway_url: str
    latency_s: float
    max_concurrency: int
    pid: int


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--latency-ms", type=int, default=300, help="latency the sandbox adds to each request")
    parser.add_argument("--max-concurrency", type=int, default=8, help="requests in flight the sandbox allows")
    return parser


def skip(reason: str) -> None:
    print(f"SKIPPED: {reason}")
    sys.exit(0)


def _knobs_supported() -> bool:
    try:
        shown = subprocess.run([*SERVE, "--help"], capture_output=True, text=True, timeout=60,
                               env={**os.environ, "COLUMNS": "200"})
    except (OSError, subprocess.TimeoutExpired):
        return False
    return shown.returncode == 0 and "--latency-ms" in shown.stdout and "--max-concurrency" in shown.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox(latency_ms: int, max_concurrency: int) -> Iterator[Sandbox]:
    """A fresh demo sandbox with the knobs set; skips the benchmark if this sandbox lacks them."""
    if not _knobs_supported():
        skip("the sandbox does not support --latency-ms and --max-concurrency yet")
    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as data_dir:
        port = _free_port()
        log_path = Path(data_dir) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [*SERVE, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir, "--seed", "demo",
                 "--latency-ms", str(latency_ms), "--max-concurrency", str(max_concurrency)],
                stdout=log, stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_up(process, port, log_path)
                yield Sandbox(f"http://127.0.0.1:{port}/ia/xml/xmlgw.phtml", latency_ms / 1000, max_concurrency,
                              process.pid)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _wait_until_up(process: subprocess.Popen[bytes], port: int, log_path: Path, within_s: float = 60) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            skip(f"the sandbox did not start: {log_path.read_text(errors='replace')[-500:]}")
        try:
            # Ready: the sandbox has loaded its request schema (requests sent before wait for it).
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    skip(f"the sandbox was not ready within {within_s:.0f} s")


class _RetryCounter(logging.Handler):
    """Counts the client's retries, so a ratio hurt by 429s from the cap says so."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retrying" in record.getMessage():
            self.retries += 1


RETRIES = _RetryCounter()
logging.getLogger("ledgerbridge.intacct").addHandler(RETRIES)
logging.getLogger("ledgerbridge.intacct").setLevel(logging.INFO)


def client(box: Sandbox, *, max_concurrency: int | None = None) -> IntacctClient:
    """A client whose company limit matches the sandbox's cap, as it would match a company's tier."""
    options = ClientOptions(endpoint=box.gateway_url, max_concurrency=max_concurrency or box.max_concurrency,
                            retry=RetryPolicy(attempts=5, initial_wait=0.1, max_wait=2.0))
    return IntacctClient(SENDER, LOGIN, options=options)


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) used so far by this process, or by process ``pid`` (read from /proc: Linux)."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def waves(requests: int, concurrency: int) -> int:
    """Round trips needed when ``requests`` indivisible requests share ``concurrency`` slots."""
    return math.ceil(requests / concurrency)


def report(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(title)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
