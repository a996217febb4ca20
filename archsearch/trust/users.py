"""The user registry: who may search, at what clearance, holding which compartments.

Stored as `users.json` in the index home (owner-only). A clearance is a level, or `none`
for a registered user who may see nothing yet.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from archsearch.errors import IndexStateError, UnknownUserError, UsageError
from archsearch.trust.home_check import account_name, check_index_home
from archsearch.levels import Level, parse_level
from archsearch.normalise import compartment_name
from archsearch.trust.private_files import home_lock, read_private_json, write_private

USERS_FILE = "users.json"
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
NO_CLEARANCE = "none"


@dataclass(frozen=True)
class User:
    name: str
    clearance: Level | None  # None: cleared for nothing
    compartments: frozenset[str] = frozenset()

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "clearance": self.clearance.id if self.clearance is not None else NO_CLEARANCE,
            "compartments": sorted(self.compartments),
        }


def os_account() -> str:
    """The OS account running this process, from its real uid: the passwd name, or `uid:N`
    when the uid has no passwd entry (containers). Never LOGNAME or USER: whoever starts the
    process sets those, so `LOGNAME=top archsearch search` must not act as `top`. Every
    identity and audit decision reads this one function."""
    uid = os.getuid()
    return account_name(uid) or f"uid:{uid}"


def parse_clearance(text: str) -> Level | None:
    if str(text).strip().lower() in (NO_CLEARANCE, "khong", "không"):
        return None
    return parse_level(text)


def normalise_compartment(name: str) -> str:
    """The same form as a document's declared compartments (normalise.compartment_name): NFC,
    case and padding ignored, a comma part of the name. UsageError for a name no document can
    carry (empty, control characters, `;`)."""
    try:
        return compartment_name(name)
    except ValueError as error:
        raise UsageError(f"invalid compartment {name!r}: {error}") from None


def _held(names: list) -> frozenset[str]:
    """The compartments a registry entry holds. An entry that is not a valid name (written by
    hand or by an older archsearch) is not held: holding fewer is the strict side."""
    held = set()
    for name in names if isinstance(names, list) else []:
        try:
            held.add(compartment_name(name))
        except ValueError:
            continue
    return frozenset(held)


class UserRegistry:
    def __init__(self, index_dir: Path):
        check_index_home(index_dir)
        self.path = Path(index_dir) / USERS_FILE

    def _load(self) -> dict[str, dict]:
        return read_private_json(self.path, "user registry")

    def _save(self, data: dict[str, dict]) -> None:
        try:
            write_private(self.path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        except OSError as error:  # a full disk: the registry as it was stays in place
            raise IndexStateError(f"cannot write the user registry {self.path}: {error.strerror or error}; nothing was changed")

    def add(self, name: str, clearance: str, compartments: list[str] = ()) -> User:
        """Add a user, or replace the clearance and compartments of an existing one."""
        if not _NAME.match(name):
            raise UsageError(f"invalid user name {name!r}: use letters, digits, '.', '_', '-', '@'")
        user = User(name, parse_clearance(clearance), frozenset(normalise_compartment(c) for c in compartments))
        with self._locked():
            data = self._load()
            # Replace clearance and compartments only: the account fields (accounts.py) stay.
            data[name] = {**data.get(name, {}), **{k: v for k, v in user.to_json().items() if k != "name"}}
            self._save(data)
        return user

    def _locked(self):
        """Serialise read-modify-write of the registry (web workers change it concurrently)."""
        return home_lock(self.path.parent)

    def account(self, name: str) -> dict:
        """The stored entry of `name` (clearance plus the account fields of accounts.py)."""
        entry = self._load().get(name)
        if entry is None:
            raise UnknownUserError(f"unknown user {name!r}: an administrator adds users with `archsearch users add`")
        return dict(entry)

    def accounts(self) -> dict[str, dict]:
        return self._load()

    def update_account(self, name: str, change) -> dict:
        """Apply `change(entry)` (which edits the dict in place) to the entry of `name`, under the lock."""
        with self._locked():
            data = self._load()
            if name not in data:
                raise UnknownUserError(f"unknown user {name!r}: an administrator adds users with `archsearch users add`")
            change(data[name])
            self._save(data)
            return dict(data[name])

    def get(self, name: str) -> User:
        entry = self._load().get(name)
        if entry is None:
            raise UnknownUserError(f"unknown user {name!r}: an administrator adds users with `archsearch users add`")
        return User(name, parse_clearance(entry["clearance"]),
                    _held(entry.get("compartments", [])))

    def list(self) -> list[User]:
        return [self.get(name) for name in sorted(self._load())]
