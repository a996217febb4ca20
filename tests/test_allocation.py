"""The server's master keeps freed memory for its searches' arrays (engine/allocation.py)."""

from __future__ import annotations

from archsearch import api
from archsearch.config import Settings
from archsearch.engine import allocation
from archsearch.levels import Level

from tests.helpers import build_index, make_document


def test_this_glibc_takes_the_settings():
    assert allocation.keep_freed_memory() is True


def test_the_server_master_keeps_freed_memory_before_it_forks(tmp_path, monkeypatch):
    home = build_index(tmp_path / "home", [make_document("a", "kho đạn", Level.UNCLASSIFIED)])
    calls = []
    monkeypatch.setattr(allocation, "keep_freed_memory", lambda: calls.append(1) or True)
    api.warm_search_caches(Settings.from_env(home.root))
    assert calls == [1]
