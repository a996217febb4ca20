"""Shared fixtures. The sample archive is indexed once per session: OCR is slow."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from archsearch import api
from archsearch.config import Settings
from archsearch.levels import ALL_LEVELS

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = REPO / "sample_docs"
EXPECTED = REPO / "tests" / "data" / "sample_expected.json"
ALL_COMPARTMENTS = ("CNQP-A", "HN")


_AUDIT_KEY_DIR = tempfile.mkdtemp(prefix="archsearch-test-key-")


def pytest_configure(config):
    """The audit HMAC key of the whole test run (and of the CLI subprocesses it starts) lives
    in a private temporary directory, never in the real ~/.config or /etc of whoever runs it."""
    os.environ["ARCHSEARCH_AUDIT_KEY"] = os.path.join(_AUDIT_KEY_DIR, "audit.key")


def pytest_unconfigure(config):
    shutil.rmtree(_AUDIT_KEY_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_expected() -> list[dict]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory):
    """sample_docs/ indexed into a fresh index home, with one user per level (plus one holding
    every compartment at each level, named `<level>-all`)."""
    settings = Settings.from_env(tmp_path_factory.mktemp("sample-index") / "home", jobs=2)
    summary = api.index(settings, [SAMPLE_DOCS])
    api.add_user(settings, "none", "none")
    for level in ALL_LEVELS:
        api.add_user(settings, level.id, level.id)
        api.add_user(settings, f"{level.id}-all", level.id, list(ALL_COMPARTMENTS))
    return settings, summary
