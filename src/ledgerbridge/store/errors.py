"""What the repositories refuse, as exceptions the API maps to 404 and 409."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the storage errors."""


class NotFound(StoreError):
    """No such record (or not in this workspace)."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind = kind
        self.key = key


class AlreadyExists(StoreError):
    """A record with the same unique key is already there."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key} already exists")
        self.kind = kind
        self.key = key


class InUse(StoreError):
    """A record that others still refer to, such as a category an expense uses."""

    def __init__(self, kind: str, key: str, used_by: str) -> None:
        super().__init__(f"{kind} {key} is still used by {used_by}")
        self.kind = kind
        self.key = key
