"""Questionnaires in progress, kept in SQLite so that they outlive the server.

Why SQLite: a company secretary may spend an afternoon on the answers, close the laptop and
come back next week; the server may be restarted in between. Each questionnaire is a row:
its answers with a version number, and beneath it the history of its saves (so the last
change can be undone). The database is one file in the data folder (`drafting serve --data`),
written in WAL mode so that reading never waits for a save; `path=None` keeps everything in
this process's memory only (`drafting serve --no-store`).

Versions are what stop a lost update: every save names the version it was made from and
is refused (`Conflict`) when another tab or window has saved since. Nothing is overwritten.

A questionnaire is reached by its cookie (`Record.id`) or by its private resume link
(`Record.resume`): two long random tokens. Questionnaires untouched for longer than the
expiry (30 days by default) are deleted, with their history.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_EXPIRY_DAYS", "Conflict", "Record", "SessionStore", "Snapshot", "load_keys"]

DEFAULT_EXPIRY_DAYS = 30
HISTORY_LIMIT = 200
"""Saves kept per questionnaire for undo; older ones are dropped."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    resume TEXT NOT NULL UNIQUE,
    csrf TEXT NOT NULL,
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    keys TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    touched REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    answers TEXT NOT NULL,
    keys TEXT NOT NULL,
    label TEXT NOT NULL,
    saved REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_session ON history(session, seq);
CREATE INDEX IF NOT EXISTS sessions_by_touched ON sessions(touched);
"""


def load_keys(text: str) -> dict[str, list[str]]:
    """The stable keys of a save: by list (`drafting.web.forms.paths.Keys`).

    Saves made before lists other than the members had keys hold the members' keys alone.
    """
    keys = json.loads(text)
    if isinstance(keys, list):
        return {"members": keys} if keys else {}
    return {str(k): list(v) for k, v in keys.items()} if isinstance(keys, dict) else {}


class Conflict(Exception):
    """The answers were saved elsewhere since the version this change was made from."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the answers are now at version {current}")
        self.current = current


@dataclass
class Record:
    """One questionnaire in progress.

    `answers` are plain data as an answers file loads to; `keys` are the stable ids of the
    entries of every list (the members, each partner's services...), by the list's path, in
    order (`drafting.web.forms.paths.Keys`). `visited`, `typed`
    (answers refused, as typed, with why) and `notice` (shown once) are the page state.
    """

    id: str
    resume: str
    csrf: str
    version: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    typed: dict[str, tuple[str, str]] = field(default_factory=dict)
    notice: str | None = None
    undo_label: str | None = None
    """What the last save did ("Removed Beta NHS Trust"), when there is one to undo."""

    def state(self) -> str:
        return json.dumps({
            "visited": sorted(self.visited),
            "typed": {k: list(v) for k, v in self.typed.items()},
            "notice": self.notice,
        })


@dataclass(frozen=True)
class Snapshot:
    """The answers as one save left them."""

    version: int
    answers: dict[str, Any]
    keys: dict[str, list[str]]
    label: str
    saved: float


class SessionStore:
    """Questionnaires by cookie or resume link, in SQLite (a file, or memory for `path=None`)."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        expiry_days: float = DEFAULT_EXPIRY_DAYS,
        clock: Any = time.time,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.expiry_seconds = expiry_days * 86400
        self.clock = clock
        self._lock = threading.Lock()
        if self.path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False,
                                       isolation_level=None)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fresh = not self.path.exists()
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=30)
            if fresh:
                os.chmod(self.path, 0o600)  # the answers are the members' business only
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._last_purge = 0.0
        self.purge_expired()

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM sessions").fetchone()[0])

    # -- reading

    def _record(self, row: tuple[Any, ...] | None) -> Record | None:
        if row is None:
            return None
        sid, resume, csrf, version, answers, keys, state, touched = row
        now = self.clock()
        if now - touched > self.expiry_seconds:
            self._db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
            return None
        if now - touched > 60:  # a visit keeps it alive; at most one write a minute for that
            self._db.execute("UPDATE sessions SET touched = ? WHERE id = ?", (now, sid))
        extra = json.loads(state)
        label = self._db.execute(
            "SELECT label FROM history WHERE session = ? ORDER BY seq DESC LIMIT 2", (sid,)
        ).fetchall()
        return Record(
            id=sid, resume=resume, csrf=csrf, version=version, answers=json.loads(answers),
            keys=load_keys(keys), visited=set(extra.get("visited", [])),
            typed={k: (v[0], v[1]) for k, v in extra.get("typed", {}).items()},
            notice=extra.get("notice"),
            undo_label=label[0][0] if len(label) == 2 else None,
        )

    _COLUMNS = "id, resume, csrf, version, answers, keys, state, touched"

    def get(self, session_id: str | None) -> Record | None:
        """The live questionnaire with this cookie, or None (unknown, expired or malformed)."""
        if not session_id or len(session_id) > 100:
            return None
        with self._lock:
            row = self._db.execute(
                f"SELECT {self._COLUMNS} FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            return self._record(row)

    def by_resume(self, token: str) -> Record | None:
        """The live questionnaire this private resume link opens, or None."""
        if not token or len(token) > 100:
            return None
        with self._lock:
            row = self._db.execute(
                f"SELECT {self._COLUMNS} FROM sessions WHERE resume = ?", (token,)
            ).fetchone()
            return self._record(row)

    def snapshot(self, record: Record, version: int) -> Snapshot | None:
        """The answers as they stood at `version`, while it is still in the history."""
        with self._lock:
            row = self._db.execute(
                "SELECT version, answers, keys, label, saved FROM history "
                "WHERE session = ? AND version = ?", (record.id, version),
            ).fetchone()
        if row is None:
            return None
        return Snapshot(row[0], json.loads(row[1]), load_keys(row[2]), row[3], row[4])

    # -- writing

    def new(self) -> Record:
        """A fresh, empty questionnaire with its own random cookie, link and CSRF token."""
        self.purge_expired()
        record = Record(id=secrets.token_urlsafe(32), resume=secrets.token_urlsafe(32),
                        csrf=secrets.token_urlsafe(32))
        now = self.clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO sessions (id, resume, csrf, version, answers, keys, state, created, "
                "touched) VALUES (?, ?, ?, 0, '{}', '{}', ?, ?, ?)",
                (record.id, record.resume, record.csrf, record.state(), now, now),
            )
            self._db.execute(
                "INSERT INTO history (session, version, answers, keys, label, saved) "
                "VALUES (?, 0, '{}', '{}', 'Started', ?)", (record.id, now),
            )
            self._db.execute("COMMIT")
        return record

    def save_state(self, record: Record) -> None:
        """Keep the page state (visited pages, refused answers, a notice); no new version."""
        with self._lock:
            self._db.execute("UPDATE sessions SET state = ? WHERE id = ?",
                             (record.state(), record.id))

    def save_answers(self, record: Record, answers: dict[str, Any], keys: dict[str, list[str]],
                     label: str, *, expected: int) -> None:
        """Save new answers as the next version, if the answers are still at `expected`.

        Raises `Conflict` (and changes nothing) when another save came first. On success
        `record` holds the new answers and version.
        """
        text, key_text = json.dumps(answers), json.dumps(keys)
        now = self.clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "UPDATE sessions SET version = version + 1, answers = ?, keys = ?, "
                    "state = ?, touched = ? WHERE id = ? AND version = ?",
                    (text, key_text, record.state(), now, record.id, expected),
                )
                if cursor.rowcount != 1:
                    row = self._db.execute("SELECT version FROM sessions WHERE id = ?",
                                           (record.id,)).fetchone()
                    raise Conflict(row[0] if row else -1)
                self._db.execute(
                    "INSERT INTO history (session, version, answers, keys, label, saved) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (record.id, expected + 1, text, key_text,
                                                  label, now),
                )
                self._db.execute(
                    "DELETE FROM history WHERE session = ? AND seq <= (SELECT seq FROM history "
                    "WHERE session = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                    (record.id, record.id, HISTORY_LIMIT),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        record.answers, record.keys, record.version = answers, keys, expected + 1
        record.undo_label = label

    def undo(self, record: Record, *, expected: int) -> str | None:
        """Go back to the answers before the last save; return what was undone (None: nothing).

        The undone save leaves the history; the version still moves on, so a page drawn
        before the undo cannot be saved over it. Raises `Conflict` like `save_answers`.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(
                    "SELECT seq, answers, keys, label FROM history WHERE session = ? "
                    "ORDER BY seq DESC LIMIT 2", (record.id,),
                ).fetchall()
                current = self._db.execute("SELECT version FROM sessions WHERE id = ?",
                                           (record.id,)).fetchone()
                if current is None or current[0] != expected:
                    raise Conflict(current[0] if current else -1)
                if len(rows) < 2:
                    self._db.execute("COMMIT")
                    return None
                (last_seq, _, _, label), (prev_seq, answers, keys, _) = rows
                self._db.execute("DELETE FROM history WHERE seq = ?", (last_seq,))
                self._db.execute("UPDATE history SET version = ? WHERE seq = ?",
                                 (expected + 1, prev_seq))
                self._db.execute(
                    "UPDATE sessions SET version = ?, answers = ?, keys = ?, touched = ? "
                    "WHERE id = ?", (expected + 1, answers, keys, self.clock(), record.id),
                )
                left = self._db.execute(
                    "SELECT count(*) FROM history WHERE session = ?", (record.id,)
                ).fetchone()[0]
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        record.answers, record.keys, record.version = json.loads(answers), load_keys(keys), \
            expected + 1
        record.undo_label = "an earlier change" if left > 1 else None
        return str(label)

    def purge_expired(self) -> int:
        """Delete questionnaires untouched for longer than the expiry; return how many."""
        now = self.clock()
        if now - self._last_purge < 60:
            return 0
        self._last_purge = now
        with self._lock:
            cursor = self._db.execute("DELETE FROM sessions WHERE touched < ?",
                                      (now - self.expiry_seconds,))
            return cursor.rowcount
