"""Web sessions and login throttling, kept in the index home (trust layer, no web framework).

`sessions.json`: one entry per signed-in browser, keyed by the SHA-256 of the session id the
cookie carries (256 random bits), so the file alone lets nobody sign in. An entry names the
user, when it began and when it was last used; it ends after `idle` without use, after
`absolute` from its start, at logout, and when the user's password changes or the account is
disabled (`revoke_user`).

`throttle.json`: recent login failures per account and per client address. After
`ACCOUNT_FAILURES` failures for an account, or `ADDRESS_FAILURES` from one address, within
`WINDOW`, that account or address is refused for `LOCKOUT`.

Both files are owner-only (0600) and replaced atomically under the index home's lock
(privatefile.home_lock), because several server processes read and write them at once.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from archsearch.errors import IndexStateError
from archsearch.trust.passwords import digest, new_secret
from archsearch.trust.private_files import home_lock, write_private

SESSIONS_FILE = "sessions.json"
THROTTLE_FILE = "throttle.json"
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW = 15 * 60
LOCKOUT = 15 * 60
TOUCH_EVERY = 30  # seconds: last use is written at most this often (one write per request is waste)


@dataclass(frozen=True)
class SessionPolicy:
    idle: float = 15 * 60
    absolute: float = 8 * 3600


class _LockedJson:
    def __init__(self, index_dir: Path, name: str):
        self.path = Path(index_dir) / name

    @contextlib.contextmanager
    def edit(self):
        """Yield the content (a dict) under the index home's lock; it is written back when changed."""
        with home_lock(self.path.parent):
            data = self._read()
            before = json.dumps(data, sort_keys=True)
            yield data
            if json.dumps(data, sort_keys=True) != before:
                try:
                    write_private(self.path, json.dumps(data, sort_keys=True))
                except OSError as error:
                    raise IndexStateError(f"cannot write {self.path}: {error.strerror or error}")

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # Unreadable: start empty. For sessions that signs everybody out (the stricter
            # reading); for throttling it forgets failures, which the audit log still holds.
            return {}
        return data if isinstance(data, dict) else {}


class SessionStore:
    def __init__(self, index_dir: Path, policy: SessionPolicy = SessionPolicy()):
        self.table = _LockedJson(index_dir, SESSIONS_FILE)
        self.policy = policy

    def create(self, user: str, client: str, now: float | None = None) -> str:
        """A new session for `user`; returns the id for the cookie (only its hash is stored)."""
        now = time.time() if now is None else now
        session_id = new_secret()
        with self.table.edit() as data:
            self._expire(data, now)
            data[digest(session_id)] = {"user": user, "created": now, "last_seen": now, "client": client}
        return session_id

    def lookup(self, session_id: str | None, now: float | None = None) -> str | None:
        """The user of a live session, or None (unknown, expired: an expired one is removed)."""
        if not session_id or len(session_id) > 200:
            return None
        now = time.time() if now is None else now
        key = digest(session_id)
        entry = self.table._read().get(key)
        if entry is None:
            return None
        if self._expired(entry, now) or now - entry["last_seen"] >= TOUCH_EVERY:
            with self.table.edit() as data:
                entry = data.get(key)
                if entry is None or self._expired(entry, now):
                    data.pop(key, None)
                    return None
                entry["last_seen"] = now
        return entry["user"]

    def revoke(self, session_id: str | None) -> str | None:
        """End one session; returns its user (None when it was not live)."""
        if not session_id:
            return None
        with self.table.edit() as data:
            entry = data.pop(digest(session_id), None)
        return entry["user"] if entry else None

    def revoke_user(self, user: str) -> int:
        """End every session of `user`; returns how many."""
        with self.table.edit() as data:
            keys = [k for k, v in data.items() if v.get("user") == user]
            for key in keys:
                del data[key]
        return len(keys)

    def count(self, user: str) -> int:
        return sum(1 for v in self.table._read().values() if v.get("user") == user)

    def _expired(self, entry: dict, now: float) -> bool:
        try:
            return (now - float(entry["last_seen"]) >= self.policy.idle
                    or now - float(entry["created"]) >= self.policy.absolute)
        except (KeyError, TypeError, ValueError):
            return True

    def _expire(self, data: dict, now: float) -> None:
        for key in [k for k, v in data.items() if not isinstance(v, dict) or self._expired(v, now)]:
            del data[key]


class Throttle:
    """Failed sign-ins per account and per address; `allowed` before checking a password."""

    def __init__(self, index_dir: Path):
        self.table = _LockedJson(index_dir, THROTTLE_FILE)

    @staticmethod
    def _keys(account: str, address: str) -> tuple[str, str]:
        return f"account:{account}", f"address:{address}"

    def allowed(self, account: str, address: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        data = self.table._read()
        return all(float(data.get(key, {}).get("locked_until", 0)) <= now for key in self._keys(account, address))

    def failure(self, account: str, address: str, now: float | None = None) -> list[str]:
        """Record a failure; returns the keys ("account:NAME", "address:ADDR") locked by it."""
        now = time.time() if now is None else now
        locked = []
        with self.table.edit() as data:
            for key, limit in zip(self._keys(account, address), (ACCOUNT_FAILURES, ADDRESS_FAILURES)):
                entry = data.setdefault(key, {"failures": [], "locked_until": 0})
                entry["failures"] = [t for t in entry.get("failures", []) if now - t < WINDOW] + [now]
                if len(entry["failures"]) >= limit and float(entry.get("locked_until", 0)) <= now:
                    entry["locked_until"] = now + LOCKOUT
                    entry["failures"] = []
                    locked.append(key)
            for key in [k for k, v in data.items()
                        if not v.get("failures") and float(v.get("locked_until", 0)) <= now]:
                del data[key]
        return locked

    def success(self, account: str, now: float | None = None) -> None:
        """A correct password clears the account's failures (not the address's)."""
        with self.table.edit() as data:
            data.pop(f"account:{account}", None)
