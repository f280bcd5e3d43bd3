"""The package's public surface: every error is exported and mapped, and the sandbox stays out of reach."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import ledgerbridge.intacct as intacct
from ledgerbridge.intacct import _exceptions
from ledgerbridge.intacct._classify import _EXCEPTIONS, Disposition

PACKAGE = Path(intacct.__file__).parent


def test_every_exception_is_public() -> None:
    defined = {name for name, value in vars(_exceptions).items()
               if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == _exceptions.__name__}
    assert defined <= set(intacct.__all__)


def test_every_disposition_but_ok_raises_its_own_exception() -> None:
    assert set(_EXCEPTIONS) == set(Disposition) - {Disposition.OK}
    assert len(set(_EXCEPTIONS.values())) == len(_EXCEPTIONS)


def test_all_names_resolve() -> None:
    for name in intacct.__all__:
        assert hasattr(intacct, name), name


def test_the_client_never_imports_the_sandbox() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("ledgerbridge.sandbox"), path
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("ledgerbridge.sandbox") for alias in node.names), path
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, ledgerbridge.intacct; print(any(m.startswith('ledgerbridge.sandbox') "
         "for m in sys.modules))"], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"
