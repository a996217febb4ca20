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
class ExtractLimits:
    """Bounds on the work and memory extracting one file may cost (ingest/extract), and how to
    run Tesseract."""

    ocr_timeout: float = 120.0  # seconds per page; a clean page takes 1-2 s
    max_image_pixels: int = 80_000_000  # A3 at 600 dpi is ~70 M
    max_pages: int = 2000
    max_docx_uncompressed: int = 200 * 2**20  # bytes, all XML parts read together
    ocr_language: str = "vie"
    tesseract: str = "tesseract"  # the command, or a path to it
    # Larger files are refused before any reading: a 2 GB file must not stall a batch.
    max_file_bytes: int = 512 * 2**20
    # Wall-clock seconds one file may take to extract (OCR included); 0 = no limit. Enforced
    # with a timer signal in the process that extracts, so it interrupts Python code and waits
    # on Tesseract, not a call stuck inside a C library (pdfium) until that call returns.
    max_seconds_per_file: float = 1800.0
    # Pixels one file may send to Tesseract, all its frames or scanned pages together (OCR time
    # grows with pixels: an A4 page at 300 dpi is 8.7 M and takes 1-2 s). 5 G is ~575 such pages.
    # Checked from the frames' declared sizes before any OCR for an image, page by page for a PDF.
    max_ocr_pixels_per_file: int = 5_000_000_000


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
