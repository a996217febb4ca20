"""What a command loads: `archsearch search` imports the engine, not the stages it does not run.

Structural, not timed (bench/cli.py times it): a search run in a fresh process lists the
modules it imported, and none of indexing, export, the web front end or their libraries may be
among them. A module-level import added to api.py or to the CLI's shared modules fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from archsearch import api
from archsearch.config import Settings

# A search needs none of these: extraction (pdfminer, PIL, magic, pypdfium2), the indexing
# pipeline and its cache, export, the web front end and its accounts (flask, argon2), the
# cluster (dask), and the other commands' CLI modules.
HEAVY = (
    "archsearch.ingest.pipeline", "archsearch.ingest.cache", "archsearch.ingest.extract", "archsearch.ingest.detect",
    "archsearch.ingest.discover", "archsearch.ingest.declared", "archsearch.ingest.drafts",
    "archsearch.ingest.originals", "archsearch.ingest.cluster", "archsearch.export", "archsearch.web", "archsearch.trust.accounts",
    "archsearch.trust.passwords", "archsearch.trust.sessions", "archsearch.cli.index_cmd",
    "archsearch.cli.admin_cmds", "archsearch.cli.export_cmd", "archsearch.cli.serve_cmd",
    "pdfminer", "PIL", "magic", "pypdfium2", "flask", "werkzeug", "jinja2", "argon2", "dask", "distributed",
)
WATCHED = ("archsearch", "pdfminer", "PIL", "magic", "pypdfium2", "flask", "werkzeug", "jinja2", "argon2", "dask",
           "distributed", "numpy", "sqlite3", "zipfile", "logging")
# Nor these, each 1-6 ms of every search's start-up (bench/cli.py): numpy.ma (np.unique's first
# call imports it), sqlite3 (the indexer's catalog), zipfile (importlib.resources), logging (only
# a damaged file has something to log), the records the indexer builds (dataclasses), the
# legacy-encoding tables (built at import; a query needs only the syllable shape) and the article
# structure (show and a citation's hits need it, a plain search does not).
NOT_FOR_A_SEARCH = {"numpy.ma", "sqlite3", "zipfile", "logging", "archsearch.records",
                    "archsearch.ingest.legacy_encodings", "archsearch.ingest.articles"}

# Runs the real entry point in this process, then prints what it imported (stdout: the hits,
# then one JSON line of module names).
PROBE = """
import json, sys
from archsearch.cli.main import main
try:
    main(sys.argv[1:], prog_name="archsearch")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"exit": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in %r)}))
""" % (WATCHED,)


def _loaded_by(home, *args) -> tuple[str, dict]:
    env = {**os.environ, "PAGER": "cat", "NO_COLOR": "1"}
    completed = subprocess.run([sys.executable, "-c", PROBE, "--index-dir", str(home), *args],
                               capture_output=True, text=True, timeout=120, env=env)
    assert completed.returncode == 0, completed.stderr
    output, _, last = completed.stdout.rstrip("\n").rpartition("\n")
    return output, json.loads(last)


def test_a_search_imports_neither_ingest_export_nor_the_web(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "qd.txt").write_text("QUYẾT ĐỊNH\nVề việc bảo quản kho K1\n\nGiao kho K1 bảo quản.\n", encoding="utf-8")
    settings = Settings.from_env(tmp_path / "home")
    api.index(settings, [docs])
    api.add_user(settings, "hoa", "secret")

    output, loaded = _loaded_by(settings.index_dir, "search", "kho", "--user", "hoa")
    assert loaded["exit"] == 0 and "1 result(s) for 'kho'" in output  # the search ran and found it
    assert "archsearch.engine.searcher" in loaded["modules"]  # the list is of the process that searched
    heavy = [name for name in loaded["modules"] if name.startswith(HEAVY) or name in NOT_FOR_A_SEARCH]
    assert heavy == []
