"""The sandbox's own SQLite store: companies, credentials, sessions, records and GL entries.

One connection guarded by a lock: SQLite serialises writers anyway, and a request's functions must
see each other's writes inside one transaction.
"""

from __future__ import annotations

import contextvars
import itertools
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

Fields = dict[str, Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS company (
  companyid TEXT PRIMARY KEY, name TEXT NOT NULL, basecurrency TEXT NOT NULL,
  session_minutes INTEGER NOT NULL, settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS sender (
  senderid TEXT PRIMARY KEY, password_hash TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active'
);
CREATE TABLE IF NOT EXISTS sender_authorization (
  senderid TEXT NOT NULL, companyid TEXT NOT NULL, PRIMARY KEY (senderid, companyid)
);
CREATE TABLE IF NOT EXISTS user (
  companyid TEXT NOT NULL, userid TEXT NOT NULL, password_hash TEXT NOT NULL, admin INTEGER NOT NULL,
  status TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
  permissions TEXT NOT NULL DEFAULT '[]', PRIMARY KEY (companyid, userid)
);
CREATE TABLE IF NOT EXISTS session (
  session_hash TEXT PRIMARY KEY, companyid TEXT NOT NULL, userid TEXT NOT NULL,
  locationid TEXT NOT NULL, senderid TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record (
  companyid TEXT NOT NULL, object TEXT NOT NULL, recordno INTEGER NOT NULL, keyid TEXT,
  entity TEXT NOT NULL DEFAULT '', fields TEXT NOT NULL, PRIMARY KEY (companyid, object, recordno)
);
CREATE UNIQUE INDEX IF NOT EXISTS record_key ON record (companyid, object, keyid) WHERE keyid IS NOT NULL;
CREATE TABLE IF NOT EXISTS sequence (
  companyid TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (companyid, name)
);
CREATE TABLE IF NOT EXISTS completed_function (
  companyid TEXT NOT NULL, controlid TEXT NOT NULL, function TEXT NOT NULL, completed_at TEXT NOT NULL,
  PRIMARY KEY (companyid, controlid)
);
CREATE TABLE IF NOT EXISTS glentry (
  companyid TEXT NOT NULL, recordno INTEGER NOT NULL, batchno INTEGER NOT NULL, entity TEXT NOT NULL,
  doctype TEXT NOT NULL, docrecordno INTEGER NOT NULL, fields TEXT NOT NULL,
  PRIMARY KEY (companyid, recordno)
);
CREATE INDEX IF NOT EXISTS glentry_doc ON glentry (companyid, doctype, docrecordno);
CREATE TABLE IF NOT EXISTS dimension_relationship (
  companyid TEXT NOT NULL, accountno TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (companyid, accountno, dimension, value)
);
CREATE TABLE IF NOT EXISTS closed_period (
  companyid TEXT NOT NULL, entity TEXT NOT NULL, closed_through TEXT NOT NULL, whenmodified TEXT NOT NULL DEFAULT '',
  recordno INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (companyid, entity)
);
CREATE TABLE IF NOT EXISTS closed_subledger (
  companyid TEXT NOT NULL, entity TEXT NOT NULL, subledger TEXT NOT NULL,
  PRIMARY KEY (companyid, entity, subledger)
);
CREATE TABLE IF NOT EXISTS audit_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT, companyid TEXT NOT NULL, at TEXT NOT NULL, userid TEXT NOT NULL,
  object TEXT NOT NULL, keyid TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Company:
    companyid: str
    name: str
    basecurrency: str
    session_minutes: int
    settings: dict[str, str]


@dataclass(frozen=True, slots=True)
class User:
    companyid: str
    userid: str
    password_hash: str
    admin: bool
    status: str
    name: str
    email: str
    permissions: frozenset[str]


_GENERATIONS = itertools.count(1)
# What json.dumps(fields, ensure_ascii=False) writes, without building an encoder per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


_STAMP_FORMAT = "%m/%d/%Y %H:%M:%S"
_last_stamp: tuple[int, str] = (-1, "")
_earlier_by: contextvars.ContextVar[int] = contextvars.ContextVar("sandbox_stamps_earlier_by", default=0)


@contextmanager
def stamped_earlier(seconds: int) -> Iterator[None]:
    """What is written inside carries a time `seconds` before now (a seed's records existed before the sandbox
    started: a change made in the sandbox's first second must not share their WHENMODIFIED)."""
    token = _earlier_by.set(seconds)
    try:
        yield
    finally:
        _earlier_by.reset(token)


def now_stamp(moment: datetime | None = None) -> str:
    """Intacct's audit timestamp format: mm/dd/yyyy hh:mm:ss."""
    if moment is not None:
        return moment.strftime(_STAMP_FORMAT)
    # A request stamps every record and GL entry it writes: the text is made once per second.
    global _last_stamp
    second = int(time.time()) - _earlier_by.get()
    if _last_stamp[0] != second:
        _last_stamp = (second, datetime.fromtimestamp(second).strftime(_STAMP_FORMAT))
    return _last_stamp[1]


class Store:
    """SQLite persistence for everything the sandbox holds."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(closed_period)")}
        if "recordno" not in columns:  # a data dir from before closed books were readable
            self._db.execute("ALTER TABLE closed_period ADD COLUMN whenmodified TEXT NOT NULL DEFAULT ''")
            self._db.execute("ALTER TABLE closed_period ADD COLUMN recordno INTEGER NOT NULL DEFAULT 0")
        self._depth = 0
        # Decoded rows per (company, object), dropped on any write to that object and on rollback.
        # Callers treat the rows as read-only.
        self._rows: dict[tuple[str, str], list[Fields]] = {}
        self._keys: dict[tuple[str, str], dict[str, Fields]] = {}
        self._sequences: dict[tuple[str, str], int] = {}
        # Renewed on every change to records or GL entries, and unique across stores in the process:
        # results derived from rows (ordered query results) are reusable only while it stays the same.
        self.generation = next(_GENERATIONS)

    def _forget(self, companyid: str, obj: str) -> None:
        self.generation = next(_GENERATIONS)
        self._rows.pop((companyid, obj), None)
        self._keys.pop((companyid, obj), None)

    def _forget_all(self) -> None:
        self.generation = next(_GENERATIONS)
        self._rows.clear()
        self._keys.clear()
        self._sequences.clear()

    def close(self) -> None:
        with self.lock:
            self._db.close()

    # transactions ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction, or a savepoint when one is already open (nesting rolls back only itself)."""
        with self.lock:
            name = f"sp{self._depth}"
            self._db.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self._forget_all()
                if self._depth == 0:
                    self._db.execute("ROLLBACK")
                else:
                    self._db.execute(f"ROLLBACK TO {name}")
                    self._db.execute(f"RELEASE {name}")
                raise
            self._depth -= 1
            self._db.execute("COMMIT" if self._depth == 0 else f"RELEASE {name}")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self._db.execute(sql, params)

    # companies, senders, users --------------------------------------------------------------

    def company(self, companyid: str) -> Company | None:
        row = self.execute("SELECT * FROM company WHERE companyid = ?", (companyid,)).fetchone()
        if row is None:
            return None
        return Company(row["companyid"], row["name"], row["basecurrency"], row["session_minutes"],
                       json.loads(row["settings"]))

    def companies(self) -> list[Company]:
        ids = [r[0] for r in self.execute("SELECT companyid FROM company ORDER BY companyid")]
        return [c for c in (self.company(i) for i in ids) if c is not None]

    def sender_hash(self, senderid: str) -> tuple[str, str] | None:
        row = self.execute("SELECT password_hash, status FROM sender WHERE senderid = ?", (senderid,)).fetchone()
        return None if row is None else (row[0], row[1])

    def sender_authorized(self, senderid: str, companyid: str) -> bool:
        row = self.execute(
            "SELECT 1 FROM sender_authorization WHERE senderid = ? AND companyid = ?", (senderid, companyid)
        ).fetchone()
        return row is not None

    def user(self, companyid: str, userid: str) -> User | None:
        row = self.execute(
            "SELECT * FROM user WHERE companyid = ? AND userid = ?", (companyid, userid)
        ).fetchone()
        if row is None:
            return None
        return User(row["companyid"], row["userid"], row["password_hash"], bool(row["admin"]), row["status"],
                    row["name"], row["email"], frozenset(json.loads(row["permissions"])))

    # records ---------------------------------------------------------------------------------

    def next_number(self, companyid: str, name: str, start: int = 1) -> int:
        return self.reserve_numbers(companyid, name, 1, start)

    def reserve_numbers(self, companyid: str, name: str, count: int, start: int = 1) -> int:
        """The first of ``count`` consecutive numbers of a sequence that starts at ``start``."""
        with self.lock:
            current = self._sequences.get((companyid, name))
            if current is None:
                row = self._db.execute(
                    "SELECT value FROM sequence WHERE companyid = ? AND name = ?", (companyid, name)
                ).fetchone()
                current = start - 1 if row is None else int(row[0])
            last = current + count
            self._sequences[(companyid, name)] = last
            self._db.execute(
                "INSERT INTO sequence (companyid, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (companyid, name) DO UPDATE SET value = excluded.value",
                (companyid, name, last),
            )
            return current + 1

    def insert_record(self, companyid: str, obj: str, recordno: int, keyid: str | None, entity: str,
                      fields: Fields) -> None:
        text = _to_json(fields)
        with self.lock:
            self._db.execute(
                "INSERT INTO record (companyid, object, recordno, keyid, entity, fields) VALUES (?, ?, ?, ?, ?, ?)",
                (companyid, obj, recordno, keyid, entity, text),
            )
            self.generation = next(_GENERATIONS)
            # Keep warm caches warm: bulk loads insert thousands of records one after another.
            rows = self._rows.get((companyid, obj))
            if rows is not None:
                if rows and int(rows[-1].get("RECORDNO") or 0) > recordno:
                    self._rows.pop((companyid, obj))
                else:
                    rows.append(json.loads(text))
            index = self._keys.get((companyid, obj))
            if index is not None and keyid is not None:
                index[keyid] = json.loads(text)

    def replace_record(self, companyid: str, obj: str, recordno: int, keyid: str | None, entity: str,
                       fields: Fields) -> None:
        self._forget(companyid, obj)
        self.execute(
            "UPDATE record SET keyid = ?, entity = ?, fields = ? WHERE companyid = ? AND object = ? AND recordno = ?",
            (keyid, entity, json.dumps(fields, ensure_ascii=False), companyid, obj, recordno),
        )

    def delete_record(self, companyid: str, obj: str, recordno: int) -> bool:
        self._forget(companyid, obj)
        cur = self.execute(
            "DELETE FROM record WHERE companyid = ? AND object = ? AND recordno = ?", (companyid, obj, recordno)
        )
        return cur.rowcount > 0

    def record(self, companyid: str, obj: str, recordno: int) -> Fields | None:
        row = self.execute(
            "SELECT fields FROM record WHERE companyid = ? AND object = ? AND recordno = ?",
            (companyid, obj, recordno),
        ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def record_by_key(self, companyid: str, obj: str, keyid: str) -> Fields | None:
        with self.lock:
            index = self._keys.get((companyid, obj))
            if index is None:
                rows = self._db.execute(
                    "SELECT keyid, fields FROM record WHERE companyid = ? AND object = ? AND keyid IS NOT NULL",
                    (companyid, obj),
                ).fetchall()
                index = {row[0]: json.loads(row[1]) for row in rows}
                self._keys[(companyid, obj)] = index
            found = index.get(keyid)
            return None if found is None else dict(found)

    def records(self, companyid: str, obj: str) -> list[Fields]:
        """Every row of an object, in RECORDNO order (shared, read-only dicts)."""
        with self.lock:
            cached = self._rows.get((companyid, obj))
            if cached is None:
                rows = self._db.execute(
                    "SELECT fields FROM record WHERE companyid = ? AND object = ? ORDER BY recordno", (companyid, obj)
                ).fetchall()
                cached = [json.loads(r[0]) for r in rows]
                self._rows[(companyid, obj)] = cached
            return list(cached)

    def warm(self) -> None:
        """Decode every object's rows into the cache, so that a fresh server reads at its usual speed."""
        for companyid, obj in self.execute("SELECT DISTINCT companyid, object FROM record").fetchall():
            self.records(companyid, obj)

    def count_records(self, companyid: str, obj: str) -> int:
        row = self.execute(
            "SELECT COUNT(*) FROM record WHERE companyid = ? AND object = ?", (companyid, obj)
        ).fetchone()
        return int(row[0])

    # GL entries ------------------------------------------------------------------------------

    def insert_glentry(self, companyid: str, recordno: int, batchno: int, entity: str, doctype: str,
                       docrecordno: int, fields: Fields) -> None:
        self._forget(companyid, "GLENTRY")
        self.execute(
            "INSERT INTO glentry (companyid, recordno, batchno, entity, doctype, docrecordno, fields) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (companyid, recordno, batchno, entity, doctype, docrecordno, json.dumps(fields, ensure_ascii=False)),
        )

    def insert_glentries(self, companyid: str, entries: list[tuple[int, int, str, str, int, Fields]]) -> None:
        """Insert GL entries given as (recordno, batchno, entity, doctype, docrecordno, fields), in one statement."""
        with self.lock:
            self._forget(companyid, "GLENTRY")
            self._db.executemany(
                "INSERT INTO glentry (companyid, recordno, batchno, entity, doctype, docrecordno, fields) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(companyid, recordno, batchno, entity, doctype, docrecordno, _to_json(fields))
                 for recordno, batchno, entity, doctype, docrecordno, fields in entries],
            )

    def delete_glentries(self, companyid: str, doctype: str, docrecordno: int) -> None:
        self._forget(companyid, "GLENTRY")
        self.execute("DELETE FROM glentry WHERE companyid = ? AND doctype = ? AND docrecordno = ?",
                     (companyid, doctype, docrecordno))

    def glentries(self, companyid: str, doctype: str | None = None, docrecordno: int | None = None) -> list[Fields]:
        if doctype is None:
            with self.lock:
                cached = self._rows.get((companyid, "GLENTRY"))
                if cached is None:
                    rows = self._db.execute(
                        "SELECT fields FROM glentry WHERE companyid = ? ORDER BY recordno", (companyid,)
                    ).fetchall()
                    cached = [json.loads(r[0]) for r in rows]
                    self._rows[(companyid, "GLENTRY")] = cached
                return list(cached)
        else:
            rows = self.execute(
                "SELECT fields FROM glentry WHERE companyid = ? AND doctype = ? AND docrecordno = ? ORDER BY recordno",
                (companyid, doctype, docrecordno),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    # replay protection -----------------------------------------------------------------------

    def function_completed(self, companyid: str, controlid: str) -> bool:
        row = self.execute(
            "SELECT 1 FROM completed_function WHERE companyid = ? AND controlid = ?", (companyid, controlid)
        ).fetchone()
        return row is not None

    def mark_completed(self, companyid: str, controlid: str, function: str) -> None:
        self.execute(
            "INSERT OR IGNORE INTO completed_function (companyid, controlid, function, completed_at) "
            "VALUES (?, ?, ?, ?)",
            (companyid, controlid, function, now_stamp()),
        )

    # dimension relationships, periods -------------------------------------------------------

    def related_values(self, companyid: str, accountno: str) -> dict[str, set[str]]:
        rows = self.execute(
            "SELECT dimension, value FROM dimension_relationship WHERE companyid = ? AND accountno = ?",
            (companyid, accountno),
        ).fetchall()
        related: dict[str, set[str]] = {}
        for dimension, value in rows:
            related.setdefault(dimension, set()).add(value)
        return related

    def close_books(self, companyid: str, entity: str, through: str | None) -> None:
        """Close the books of ``entity`` ("" = top level) through ``through`` (yyyy-mm-dd); None reopens them."""
        with self.lock:
            if through is None:
                self._db.execute("DELETE FROM closed_period WHERE companyid = ? AND entity = ?", (companyid, entity))
            elif self.closed_through(companyid, entity) is not None:
                self._db.execute(
                    "UPDATE closed_period SET closed_through = ?, whenmodified = ? WHERE companyid = ? AND entity = ?",
                    (through, now_stamp(), companyid, entity),
                )
            else:
                # A record number of its own, never reused: a reopened entity's row is gone for good.
                self._db.execute(
                    "INSERT INTO closed_period (companyid, entity, closed_through, whenmodified, recordno) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (companyid, entity, through, now_stamp(), self.next_number(companyid, "CLOSEDBOOKS")),
                )
            self.generation = next(_GENERATIONS)  # read as the closed-books object: cached results are stale

    def closed_periods(self, companyid: str) -> list[tuple[int, str, str, str]]:
        """(RECORDNO, entity, closed through as yyyy-mm-dd, when modified) of every entity whose books are closed."""
        rows = self.execute(
            "SELECT recordno, entity, closed_through, whenmodified FROM closed_period WHERE companyid = ? "
            "ORDER BY recordno",
            (companyid,),
        ).fetchall()
        return [(int(row[0]), str(row[1]), str(row[2]), str(row[3])) for row in rows]

    def closed_through(self, companyid: str, entity: str) -> str | None:
        row = self.execute(
            "SELECT closed_through FROM closed_period WHERE companyid = ? AND entity = ?", (companyid, entity)
        ).fetchone()
        return None if row is None else str(row[0])

    def subledger_closed(self, companyid: str, entity: str, subledger: str) -> bool:
        row = self.execute(
            "SELECT 1 FROM closed_subledger WHERE companyid = ? AND entity = ? AND subledger = ?",
            (companyid, entity, subledger),
        ).fetchone()
        return row is not None
