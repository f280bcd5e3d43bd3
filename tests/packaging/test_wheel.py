"""`pip install .` gives a working product: the wheel carries every data file, and runs outside the source tree."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "ledgerbridge"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _can_build_without_isolation() -> bool:
    """Whether the installed setuptools and wheel meet the build requirements (setuptools>=69, wheel)."""
    if importlib.util.find_spec("wheel") is None:
        return False
    return int(version("setuptools").split(".")[0]) >= 69


def _outside_env() -> dict[str, str]:
    """The environment without anything pointing back at the checkout or at a configured database."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith("LEDGERBRIDGE_") and key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _source_copy(into: Path) -> Path:
    """The files a build reads, copied, so that building leaves the checkout untouched and builds never race."""
    root = into / "source"
    root.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "src", root / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build"))
    return root


def build_wheel(into: Path) -> Path:
    out = into / "dist"
    # Without isolation the installed setuptools builds it; otherwise pip fetches the build requirements from
    # the indexes it is configured with.
    isolation = [] if _can_build_without_isolation() else ["--use-pep517"]
    no_isolation = ["--no-build-isolation"] if not isolation else []
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *no_isolation, *isolation, "-w", str(out),
         str(_source_copy(into))],
        capture_output=True, text=True, timeout=300, check=False, env=_outside_env(), cwd=into,
    )
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("ledgerbridge-*.whl")
    return found


def install(wheel: Path, into: Path) -> Path:
    """A new virtual environment (reusing this interpreter's packages) with the wheel installed; its bin dir."""
    root = into / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(root)
    python = root / "bin" / "python"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False, env=_outside_env(),
    )
    assert done.returncode == 0, done.stderr
    return root / "bin"


def _data_files() -> list[str]:
    """Every non-Python file of the package in the source tree, as a path inside the wheel."""
    return sorted(
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def _check_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in _data_files() if name not in names]
    assert missing == []
    for expected in ("ledgerbridge/sandbox/seeds/demo.json", "ledgerbridge/sandbox/schema/api-v3.0.xsd",
                     "ledgerbridge/store/migrations/env.py", "ledgerbridge/store/migrations/script.py.mako",
                     "ledgerbridge/sandbox/console/templates/account.html", "ledgerbridge/catalog/entries.py",
                     "ledgerbridge/demo/workspace.py", "ledgerbridge/web/templates/base.html", "ledgerbridge/py.typed"):
        assert expected in names
    assert any(name.startswith("ledgerbridge/store/migrations/versions/0001") for name in names)
    assert any(name.startswith("ledgerbridge/web/static/") for name in names)


def _run(bin_dir: Path, cwd: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*args], cwd=cwd, env={**_outside_env(), "PATH": f"{bin_dir}:{os.environ['PATH']}"},
                          capture_output=True, text=True, timeout=timeout, check=False)


def _check_import_location(bin_dir: Path, cwd: Path) -> None:
    shown = _run(bin_dir, cwd, str(bin_dir / "python"), "-c", "import ledgerbridge; print(ledgerbridge.__file__)")
    assert shown.returncode == 0, shown.stderr
    location = Path(shown.stdout.strip())
    assert location.is_relative_to(bin_dir.parent), location
    assert not location.is_relative_to(REPO)

    as_module = _run(bin_dir, cwd, str(bin_dir / "python"), "-m", "ledgerbridge", "errors", "list", "--json")
    assert as_module.returncode == 0, as_module.stderr
    assert "INT860" in {entry["code"] for entry in json.loads(as_module.stdout)}


def _check_demo(bin_dir: Path, cwd: Path) -> None:
    result = _run(bin_dir, cwd, str(bin_dir / "ledgerbridge"), "demo", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert document["steps"]["export"]["reports"]
    assert document["steps"]["exported"]["intacct_keys"]


@contextmanager
def _up(bin_dir: Path, cwd: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port, sandbox_port = _free_port(), _free_port()
    with (cwd / "up.log").open("w") as log:
        process = subprocess.Popen(
            [str(bin_dir / "ledgerbridge"), "up", "--port", str(port), "--sandbox-port", str(sandbox_port),
             "--data-dir", str(cwd / "data")],
            cwd=cwd, env={**_outside_env(), "PATH": f"{bin_dir}:{os.environ['PATH']}"}, stdout=log,
            stderr=subprocess.STDOUT, text=True,
        )
        try:
            yield f"http://127.0.0.1:{port}", process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _check_up(bin_dir: Path, cwd: Path) -> None:
    with _up(bin_dir, cwd) as (url, process):
        deadline = time.monotonic() + 120
        page: httpx.Response | None = None
        while page is None and time.monotonic() < deadline and process.poll() is None:
            try:
                page = httpx.get(f"{url}/", follow_redirects=True, timeout=5)
            except httpx.HTTPError:
                time.sleep(0.25)
    assert page is not None, (cwd / "up.log").read_text()
    assert page.status_code == 200
    assert "/signin" in str(page.url)
    assert 'name="password"' in page.text


def test_the_wheel_installs_into_a_new_environment_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    _check_contents(wheel)

    bin_dir = install(wheel, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _check_import_location(bin_dir, elsewhere)
    _check_demo(bin_dir, elsewhere)
    _check_up(bin_dir, elsewhere)
