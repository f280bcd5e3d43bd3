"""Packaging tests build and install the real wheel; they are marked so they can be picked or left out."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "packaging: builds the wheel and runs it from a fresh virtual environment")
