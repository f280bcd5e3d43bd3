"""The sandbox's admin console: server-rendered pages where an Intacct administrator changes the setup."""

from ledgerbridge.sandbox.console.app import console_app

__all__ = ["console_app"]
