"""Saved searches: per user, a name -> a query, filters and sort order.

Stored as `saved.json` in the index home, written owner-only (0600) like the user registry. A
saved search holds only what the user typed: never a clearance, a scope or a result. Running it
(api.saved_run) resolves the user and their scope at that moment, so a clearance lowered since
the search was saved is the one that applies.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from archsearch.errors import NotFoundError, UsageError
from archsearch.trust.home_check import check_index_home
from archsearch.trust.private_files import read_private_json, write_private

SAVED_FILE = "saved.json"
_NAME = re.compile(r"^[\w.@-]{1,64}$")


class SavedSearches:
    def __init__(self, index_dir: Path):
        check_index_home(index_dir)
        self.path = Path(index_dir) / SAVED_FILE

    def _load(self) -> dict[str, dict[str, dict]]:
        return read_private_json(self.path, "saved searches")

    def _save(self, data: dict) -> None:
        try:
            write_private(self.path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        except UnicodeEncodeError:
            raise UsageError("a saved search holds text that is not valid Unicode (undecodable bytes): retype it") from None

    def add(self, user: str, name: str, query: str, filters: dict, sort: str) -> dict:
        """Save (or replace) `name` for `user`."""
        if not _NAME.match(name):
            raise UsageError(f"invalid saved search name {name!r}: use letters, digits, '.', '_', '-', '@'")
        entry = {
            "name": name, "query": query, "filters": filters, "sort": sort,
            "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        data = self._load()
        data.setdefault(user, {})[name] = entry
        self._save(data)
        return entry

    def get(self, user: str, name: str) -> dict:
        entry = self._load().get(user, {}).get(name)
        if entry is None:
            raise NotFoundError(f"no saved search named {name!r} (see `archsearch saved list`)")
        return entry

    def list(self, user: str) -> list[dict]:
        return [entry for _name, entry in sorted(self._load().get(user, {}).items())]

    def delete(self, user: str, name: str) -> dict:
        """Remove `name` of `user`; NotFoundError when there is none."""
        data = self._load()
        entry = data.get(user, {}).pop(name, None)
        if entry is None:
            raise NotFoundError(f"no saved search named {name!r} (see `archsearch saved list`)")
        if not data[user]:
            del data[user]
        self._save(data)
        return entry
