"""The README's Quickstart: two commands, the second is what CI runs, the first starts the product.

The first command is `pip install -e . && ledgerbridge up`. The install half is what `scripts/test` runs (with
the test extras) before any test starts, so here the product half runs exactly as written, from an empty
directory, and must answer on the default port with the demo workspace ready.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "python3 -m pip install -e ."


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)]


def test_the_quickstart_has_two_commands_and_ci_runs_the_second() -> None:
    install_and_run, run_tests = quickstart_commands()
    assert install_and_run.startswith(f"{INSTALL} && ")
    assert run_tests == "./scripts/test"
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith(run_tests)
    assert "pip install" in (ROOT / "scripts" / "test").read_text(encoding="utf-8")


@pytest.mark.packaging
def test_the_first_command_serves_the_product_from_an_empty_directory(tmp_path: Path) -> None:
    install_and_run, _ = quickstart_commands()
    run = install_and_run.removeprefix(f"{INSTALL} && ")
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGERBRIDGE_")}
    process = subprocess.Popen(shlex.split(run), cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 120
        for line in process.stdout:
            output.append(line)
            if "ledgerbridge is ready" in line or time.monotonic() > deadline:
                break
        printed = "".join(output)
        assert "ledgerbridge is ready" in printed, printed
        assert "http://127.0.0.1:8000/" in printed and "cedar-ridge-demo" in printed
        signin = httpx.get("http://127.0.0.1:8000/signin", timeout=10)
        assert signin.status_code == 200 and "Sign in" in signin.text
        assert (tmp_path / ".ledgerbridge" / "ledgerbridge.sqlite3").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
