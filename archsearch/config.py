"""Settings built once at the edge (CLI options, ARCHSEARCH_INDEX_DIR) and passed down.

No module reads the environment at import time; `Settings.from_env` is called by the CLI or by
an API caller that wants the same defaults.
"""

from __future__ import annotations

import ipaddress
import os
import pwd
from dataclasses import dataclass, field
from pathlib import Path

from archsearch.ingest.extract import ExtractLimits

INDEX_DIR_ENV = "ARCHSEARCH_INDEX_DIR"
DEFAULT_INDEX_DIR = Path("indexes")
AUDIT_KEY_ENV = "ARCHSEARCH_AUDIT_KEY"
SYSTEM_AUDIT_KEY = Path("/etc/archsearch/audit.key")


def default_audit_key_path(environ) -> Path:
    """Where the audit head's HMAC key lives, outside every index home: $ARCHSEARCH_AUDIT_KEY,
    else /etc/archsearch/audit.key when it exists (a key root keeps for the machine), else
    $XDG_CONFIG_HOME/archsearch/audit.key, else ~/.config/archsearch/audit.key of the account
    of the real uid (created 0600 with the first record of a new log)."""
    if environ.get(AUDIT_KEY_ENV):
        return Path(environ[AUDIT_KEY_ENV]).absolute()
    if SYSTEM_AUDIT_KEY.exists():
        return SYSTEM_AUDIT_KEY
    config = environ.get("XDG_CONFIG_HOME")
    if not config or not os.path.isabs(config):
        try:
            home = pwd.getpwuid(os.getuid()).pw_dir
        except KeyError:
            home = environ.get("HOME") or "/"
        config = os.path.join(home, ".config")
    return Path(config) / "archsearch" / "audit.key"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = DEFAULT_INDEX_DIR
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    limits: ExtractLimits = field(default_factory=ExtractLimits)
    # Bytes of a `similar --text` draft; a larger file is refused before it is read.
    max_draft_bytes: int = 4 * 2**20
    # Documents committed per batch: what a killed run can lose. Each commit adds a segment
    # to every partition it touched and each segment is searched on its own, so batches are
    # big (index.merge_small_segments); the writers' memory is bounded by their limitmb.
    commit_every: int = 10000
    # The audit head's HMAC key (audit.py): kept outside the index home, so whoever can edit
    # the index home cannot recompute the head after cutting or rewriting the log.
    audit_key_path: Path = field(default_factory=lambda: default_audit_key_path(os.environ))

    @classmethod
    def from_env(cls, index_dir: str | os.PathLike | None = None, **overrides) -> "Settings":
        chosen = index_dir or os.environ.get(INDEX_DIR_ENV) or DEFAULT_INDEX_DIR
        return cls(index_dir=Path(chosen).absolute(), **overrides)


def is_loopback_host(host: str) -> bool:
    """Only a literal loopback address (127.0.0.0/8, ::1) or the word `localhost`: a name is
    never resolved to decide, so DNS cannot make a LAN address look local (the web server
    without TLS, the Dask cluster without TLS)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
