"""The demo: a workspace connected to the built-in sandbox, with the founding INT860 case ready to export."""

from ledgerbridge.demo.workspace import (
    DEMO_PASSWORD,
    FOUNDING_REPORT_TITLE,
    PEOPLE,
    DemoPerson,
    DemoWorkspace,
    create_demo,
    find_demo,
    sandbox_credentials,
)

__all__ = [
    "DEMO_PASSWORD",
    "FOUNDING_REPORT_TITLE",
    "PEOPLE",
    "DemoPerson",
    "DemoWorkspace",
    "create_demo",
    "find_demo",
    "sandbox_credentials",
]
