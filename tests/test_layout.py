"""The package's shape: which stage may import which library, and old indexes still open.

These are the fences the README's module table promises: a newcomer (or a refactor) that
imports whoosh outside engine/ fails here, not in production."""

from __future__ import annotations

import ast
import importlib
import shutil
from pathlib import Path

import pytest

from archsearch import api
from archsearch.config import Settings
from archsearch.engine.index import SCHEMA_VERSION
from archsearch.errors import IndexStateError

PACKAGE = Path(__file__).resolve().parent.parent / "archsearch"
FIXTURE = Path(__file__).resolve().parent / "data" / "index-schema5"

# library -> the only places (relative to archsearch/) allowed to import it
FENCES = {
    "whoosh": ("engine/",),
    "click": ("cli/",),
    "flask": ("web/",),
    "werkzeug": ("web/",),
    "gunicorn": ("web/",),
    "dask": ("ingest/cluster.py",),
    "distributed": ("ingest/cluster.py",),
    "pdfminer": ("ingest/extract/",),
    "pypdfium2": ("ingest/extract/",),
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_each_library_is_imported_only_inside_its_stage():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for library in imported_roots(path) & FENCES.keys():
            if not relative.startswith(FENCES[library]):
                offenders.append(f"{relative} imports {library}")
    assert offenders == []


def test_the_fence_test_sees_an_import_inside_a_function(tmp_path):
    # A function-level import is still an import: the walk must find it.
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from whoosh.query import Term\n    return Term\n", encoding="utf-8")
    assert imported_roots(module) == {"whoosh"}


FIXTURES = sorted((Path(__file__).resolve().parent / "data").glob("index-schema*"))
# What each level's user finds for "kho" in the four fixture documents (stamped in their text).
EXPECTED = {
    "unclassified": {"qd-thuong.txt"},
    "confidential": {"qd-thuong.txt", "bc-mat.txt"},
    "secret": {"qd-thuong.txt", "bc-mat.txt", "kh-toimat.txt"},
    "top-secret": {"qd-thuong.txt", "bc-mat.txt", "kh-toimat.txt"},
}


def _copied_home(fixture: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(fixture / "home", home)
    for path in [home, *home.rglob("*")]:  # a checkout under umask 002 is group-writable
        path.chmod(0o700 if path.is_dir() else 0o600)
    return home


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_a_committed_index_of_every_schema_reads_or_asks_for_a_rebuild(fixture, tmp_path):
    """tests/data/index-schemaN was written by the code of schema N (schema 5: the flat layout,
    archsearch.index.PostingsCodec and archsearch.analysis.* in its tables of contents)."""
    version = int(fixture.name.removeprefix("index-schema"))
    settings = Settings.from_env(_copied_home(fixture, tmp_path))
    if version != SCHEMA_VERSION:
        with pytest.raises(IndexStateError, match=rf"schema version {version}.*rebuild .*--full"):
            api.search(settings, "kho", user="top-secret")
        return
    for user, names in EXPECTED.items():
        result = api.search(settings, "kho", user=user)
        assert {Path(hit.path).name for hit in result.hits} == names, user
    hit = api.search(settings, "đặc biệt", user="top-secret").hits[0]
    assert Path(hit.path).name == "nq-tuyetmat.txt" and hit.classification == "top-secret"
    assert "Sản xuất đặc biệt" in api.show(settings, hit.id, user="top-secret").text


def test_the_current_schema_has_a_committed_fixture():
    # At every schema change, commit tests/data/index-schemaN built by the new code.
    assert f"index-schema{SCHEMA_VERSION}" in {path.name for path in FIXTURES}


def test_a_pickle_naming_a_former_module_path_loads_the_class_that_lives_on():
    """Every former path in pickled_paths resolves to a module holding the same classes."""
    import pickle

    from archsearch.engine import analysis, index
    from archsearch.engine.pickled_paths import FORMER_PATHS, register_former_paths

    register_former_paths()
    for former, current in FORMER_PATHS.items():
        module = importlib.import_module(current)
        for name in ("PostingsCodec", "ArrayPositions", "VietnameseTokenizer", "FoldFilter"):
            if hasattr(module, name):
                # protocol 0 names the class by "module\nname", exactly what Whoosh's TOC holds
                stream = f"c{former}\n{name}\n.".encode()
                assert pickle.loads(stream) is getattr(module, name)
    assert FORMER_PATHS["archsearch.index"] == index.__name__
    assert FORMER_PATHS["archsearch.analysis"] == analysis.__name__


# Names starting with "_" that engine/ modules read on objects other than self/cls and that are
# archsearch's own, not Whoosh's (each checked by hand): none today. A Whoosh private name
# belongs in engine/whoosh_private.py, behind a named function its self-check covers.
OWN_PRIVATE_NAMES: frozenset[str] = frozenset()
BOUNDARY = "engine/whoosh_private.py"


def private_whoosh_uses(path: Path) -> list[str]:
    """Reads of a `_name` attribute on anything but self/cls, assignments to `__class__`, and
    `from whoosh... import _name`, as "line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if node.attr == "__class__" and isinstance(node.ctx, ast.Store):
                found.append(f"{node.lineno}: assigns {owner or '<expr>'}.__class__")
            elif (node.attr.startswith("_") and not node.attr.startswith("__") and owner not in ("self", "cls")
                  and node.attr not in OWN_PRIVATE_NAMES):
                found.append(f"{node.lineno}: reads {owner or '<expr>'}.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "whoosh":
            found.extend(f"{node.lineno}: imports {alias.name} from {node.module}"
                         for alias in node.names if alias.name.startswith("_"))
    return found


def test_private_whoosh_names_are_read_only_behind_the_boundary():
    offenders = []
    for path in sorted((PACKAGE / "engine").rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative != BOUNDARY:
            offenders.extend(f"{relative}:{use}" for use in private_whoosh_uses(path))
    assert offenders == []


def test_the_boundary_test_sees_each_kind_of_private_use(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from whoosh.codec.whoosh3 import _lenfield\n"
                      "def f(postings, leaf, Bisecting):\n"
                      "    leaf.__class__ = Bisecting\n"
                      "    self_like = postings._data\n"
                      "    return self_like, postings.reader()._perdoc\n", encoding="utf-8")
    assert private_whoosh_uses(module) == ["1: imports _lenfield from whoosh.codec.whoosh3",
                                           "3: assigns leaf.__class__", "4: reads postings._data",
                                           "5: reads <expr>._perdoc"]
