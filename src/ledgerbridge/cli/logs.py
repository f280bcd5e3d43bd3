"""Where the package's log records go while a command runs, and whether `--debug` asked for tracebacks."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

_installed: list[logging.Handler] = []
_debug: ContextVar[bool] = ContextVar("ledgerbridge_debug", default=False)


def set_debug(enabled: bool) -> None:
    """Set by the global --debug flag: failures raise with their traceback instead of printing one line."""
    _debug.set(enabled)


def debug_enabled() -> bool:
    return _debug.get()


class _WithoutFailures(logging.Filter):
    """Drops records that carry an exception: the layer that logged it returned the failure, and the command
    reports it as one line (the traceback is for --debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is None


def configure(debug: bool) -> None:
    """Warnings as `warning: ...` lines on stderr; with `debug`, every record from DEBUG up, tracebacks included."""
    logger = logging.getLogger("ledgerbridge")
    for handler in _installed:
        logger.removeHandler(handler)
    _installed.clear()
    handler = logging.StreamHandler(sys.stderr)
    if debug:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.setLevel(logging.DEBUG)
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler.addFilter(_WithoutFailures())
        logger.setLevel(logging.NOTSET)
    logger.addHandler(handler)
    _installed.append(handler)
