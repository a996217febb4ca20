"""The index home is code (a Whoosh TOC is unpickled when opened): nothing in it is read unless
only its owner could have written it, and everything archsearch creates is owner-only whatever
the umask (issue 12, items 2 and 13)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import UnsafeIndexHome
from archsearch.engine.index import SCHEMA

NOBODY = 65534


@pytest.fixture
def umask_000():
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _collection(root: Path) -> Path:
    col = root / "col"
    col.mkdir()
    (col / "v.txt").write_text("Báo cáo thông gió kho", encoding="utf-8")
    (col / "w.txt").write_text("Quyết định bảo quản vũ khí", encoding="utf-8")
    return col


def _indexed_home(tmp_path: Path) -> Settings:
    settings = Settings.from_env(tmp_path / "home" / "idx", jobs=1)
    api.index(settings, [_collection(tmp_path)])
    api.add_user(settings, "root", "top-secret")
    return settings


def _run(settings: Settings, *args: str):
    return CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), *args])


class _RunsCode:
    """Unpickles to a call that writes `marker`: what a planted TOC's segment list can do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def _plant_toc(partition: Path, marker: Path, generation: int = 99) -> None:
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    TOC(SCHEMA, _RunsCode(marker), generation).write(FileStorage(str(partition)), "MAIN")


def _chown_tree(root: Path, uid: int) -> None:
    for directory, dirs, files in os.walk(root):
        os.chown(directory, uid, uid)
        for name in files:
            os.chown(os.path.join(directory, name), uid, uid)


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
def test_a_planted_toc_in_a_home_owned_by_another_account_is_refused_before_it_is_unpickled(tmp_path):
    settings = _indexed_home(tmp_path)
    marker = tmp_path / "marker"
    partition = settings.index_dir / "gen-000001" / "unclassified"
    _plant_toc(partition, marker)
    _chown_tree(settings.index_dir, NOBODY)

    for command in (["search", "kho"], ["show", "x"], ["status"], ["users", "list"], ["audit", "verify"],
                    ["saved", "list"], ["index", str(tmp_path / "col")]):
        result = _run(settings, *command)
        assert not marker.exists(), f"{command} ran the planted TOC's code"
        assert result.exit_code == UnsafeIndexHome.exit_code, (command, result.output, result.exception)
        assert "refusing the index home" in result.stderr and "chown" in result.stderr, command
    with pytest.raises(UnsafeIndexHome, match="uid 65534|nobody"):
        api.search(settings, "kho", user="root")
    assert not marker.exists()

    # Control: the plant is live -- Whoosh itself runs it on open, schema passed or not.
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    TOC.read(FileStorage(str(partition)), "MAIN", schema=SCHEMA)
    assert marker.read_text() == "ran"


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
def test_one_file_owned_by_another_account_deep_in_a_partition_is_refused(tmp_path):
    settings = _indexed_home(tmp_path)
    marker = tmp_path / "marker"
    partition = settings.index_dir / "gen-000001" / "secret"
    _plant_toc(partition, marker)
    os.chown(partition / "_MAIN_99.toc", NOBODY, NOBODY)
    result = _run(settings, "search", "kho")
    assert result.exit_code == UnsafeIndexHome.exit_code
    assert "_MAIN_99.toc" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("name", ["users.json", "current.json", "audit.log", "gen-000001/unclassified"])
def test_group_or_world_writable_entries_are_refused_naming_the_fix(tmp_path, name):
    settings = _indexed_home(tmp_path)
    api.search(settings, "kho", user="root")  # audit.log exists
    target = settings.index_dir / name
    os.chmod(target, stat.S_IMODE(target.stat().st_mode) | stat.S_IWGRP)
    result = _run(settings, "search", "kho")
    assert result.exit_code == UnsafeIndexHome.exit_code, result.output
    assert str(target) in result.stderr and "go-w" in result.stderr
    assert result.stdout == ""
    os.chmod(target, stat.S_IMODE(target.stat().st_mode) & ~stat.S_IWGRP)
    assert _run(settings, "search", "kho").exit_code == 0


def test_a_symlink_inside_the_home_is_refused(tmp_path):
    settings = _indexed_home(tmp_path)
    users = settings.index_dir / "users.json"
    elsewhere = tmp_path / "users-elsewhere.json"
    users.rename(elsewhere)
    users.symlink_to(elsewhere)
    result = _run(settings, "search", "kho")
    assert result.exit_code == UnsafeIndexHome.exit_code
    assert "symbolic link" in result.stderr and str(users) in result.stderr


def test_a_parent_writable_by_others_is_refused_unless_sticky(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # anyone could rename the index home away and plant another
    settings = Settings.from_env(shared / "idx", jobs=1)
    col = _collection(tmp_path)
    with pytest.raises(UnsafeIndexHome, match=r"chmod go-w .*shared"):
        api.index(settings, [col])
    assert not settings.index_dir.exists(), "nothing is created under an unsafe parent"
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "index", str(col)])
    assert result.exit_code == UnsafeIndexHome.exit_code and str(shared) in result.stderr

    # The same directory with the sticky bit (like /tmp): others cannot rename what they do not own.
    os.chmod(shared, 0o1777)
    api.index(settings, [col])
    api.add_user(settings, "root", "top-secret")
    assert api.search(settings, "kho", user="root").total == 1

    # ... and a parent made unsafe later refuses searches of an existing home.
    os.chmod(shared, 0o777)
    with pytest.raises(UnsafeIndexHome):
        api.search(settings, "kho", user="root")


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
def test_a_parent_owned_by_another_account_is_refused(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, NOBODY, NOBODY)
    settings = Settings.from_env(theirs / "idx", jobs=1)
    with pytest.raises(UnsafeIndexHome, match="belongs to"):
        api.index(settings, [_collection(tmp_path)])


def _modes(root: Path) -> dict[str, int]:
    found = {}
    for directory, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(directory, name)
            found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_everything_created_under_umask_000_is_owner_only(tmp_path, umask_000):
    col = _collection(tmp_path)
    deep = tmp_path / "x" / "deep" / "er" / "idx"
    settings = Settings.from_env(deep, jobs=1)
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(main, ["--index-dir", str(deep), "index", str(col), "--report", str(report)])
    assert result.exit_code == 0, result.output
    api.add_user(settings, "root", "top-secret")
    api.search(settings, "kho", user="root")
    api.saved_add(settings, "kho", "kho", user="root")
    (col / "v.txt").write_text("Báo cáo thông gió kho mới", encoding="utf-8")  # a second commit
    api.index(settings, [col])
    api.index(settings, [col], full=True)  # a new generation

    # Parents created for the home: 0755 (never 0777); the home 0700.
    for parent in (tmp_path / "x", tmp_path / "x" / "deep", tmp_path / "x" / "deep" / "er"):
        assert stat.S_IMODE(parent.stat().st_mode) == 0o755, parent
    assert stat.S_IMODE(deep.stat().st_mode) == 0o700
    modes = _modes(deep)
    assert any(name.endswith(".toc") for name in modes) and "gen-000002/catalog.sqlite" in modes
    loose = {name: f"{mode:04o}" for name, mode in modes.items() if mode & 0o077}
    assert not loose, f"group/other bits under umask 000: {loose}"
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_the_report_is_refused_as_a_symlink_and_written_0600(tmp_path):
    settings = _indexed_home(tmp_path)
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "report.jsonl"
    link.symlink_to(target)
    result = _run(settings, "index", str(tmp_path / "col"), "--report", str(link))
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text() == "keep me"

    existing = tmp_path / "old-report.jsonl"
    existing.write_text("old")
    os.chmod(existing, 0o666)
    assert _run(settings, "index", str(tmp_path / "col"), "--report", str(existing)).exit_code == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600 and "old" not in existing.read_text()


def test_the_library_writes_the_report_the_cli_only_passes_its_path(tmp_path):
    """api.index(report=...) is what writes it (the CLI is a skin): refused as a link before the
    run, else one JSON line per failure and warning, 0600."""
    import json

    from archsearch.errors import UsageError

    settings = _indexed_home(tmp_path)
    bad = tmp_path / "col" / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    target, link = tmp_path / "elsewhere.txt", tmp_path / "link.jsonl"
    target.write_text("keep me")
    link.symlink_to(target)
    with pytest.raises(UsageError, match="symbolic link"):
        api.index(settings, [tmp_path / "col"], report=link)
    assert target.read_text() == "keep me"
    report = tmp_path / "report.jsonl"
    summary = api.index(settings, [tmp_path / "col"], report=report)
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert summary.failed == 1 and [line["kind"] for line in lines].count("failure") == 1
    assert {line["path"] for line in lines if line["kind"] == "failure"} == {str(bad)}
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
@pytest.mark.parametrize("theirs", ["entry", "its directory"])
def test_a_cache_entry_another_account_could_have_written_is_not_read(tmp_path, theirs):
    from archsearch.ingest.cache import ExtractionCache
    from archsearch.records import Extracted, PageText

    home = tmp_path / "idx"
    home.mkdir(mode=0o700)
    cache = ExtractionCache(home)
    cache.put("ab" * 32, Extracted(mime="text/plain", pages=[PageText(number=1, text="thật")]))
    assert cache.get("ab" * 32) is not None
    (entry,) = (home / "cache").rglob("*.json.gz")
    os.chown(entry if theirs == "entry" else entry.parent, NOBODY, NOBODY)
    assert cache.get("ab" * 32) is None


def test_one_operation_walks_the_home_once_and_the_next_one_walks_it_again(tmp_path, monkeypatch):
    """A web request reads the home through several objects; it is walked once per request
    (home_check.one_check_per_operation), and a change after that request is seen by the next."""
    from archsearch.trust import home_check

    settings = _indexed_home(tmp_path)
    walks = []
    real_walk = home_check._walk
    monkeypatch.setattr(home_check, "_walk", lambda root, euid: (walks.append(root), real_walk(root, euid)))
    with home_check.one_check_per_operation():
        api.search(settings, "kho", user="root")
    assert len(walks) == 1
    api.search(settings, "kho", user="root")  # outside any operation: every reader checks
    assert len(walks) > 2
    target = settings.index_dir / "users.json"
    os.chmod(target, 0o620)
    with pytest.raises(UnsafeIndexHome), home_check.one_check_per_operation():
        api.search(settings, "kho", user="root")


def test_a_home_refused_once_in_an_operation_is_refused_again_in_it(tmp_path):
    """Only a home found safe is remembered: a refusal is never turned into a pass."""
    from archsearch.trust import home_check

    settings = _indexed_home(tmp_path)
    target = settings.index_dir / "current.json"
    os.chmod(target, 0o622)
    with home_check.one_check_per_operation():
        for _ in range(2):
            with pytest.raises(UnsafeIndexHome):
                home_check.check_index_home(settings.index_dir)


def test_each_web_request_walks_the_home_once(tmp_path, monkeypatch):
    from archsearch.trust import accounts, home_check
    from archsearch.web import create_app
    from archsearch.web.config import WebConfig

    settings = _indexed_home(tmp_path)
    monkeypatch.setattr("archsearch.trust.passwords._HASHER", __import__("argon2").PasswordHasher(
        time_cost=1, memory_cost=1024, parallelism=1))
    accounts.set_password(settings, "root", "mat-khau-thu-nghiem")
    app = create_app(settings, WebConfig())
    from tests.web_support import sign_in

    client = sign_in(app, "root", "mat-khau-thu-nghiem")
    walks = []
    real_walk = home_check._walk
    monkeypatch.setattr(home_check, "_walk", lambda root, euid: (walks.append(root), real_walk(root, euid)))
    assert client.get("/", query_string={"q": "kho"}).status_code == 200
    assert len(walks) == 1
    os.chmod(settings.index_dir / "users.json", 0o620)  # between two requests
    assert client.get("/", query_string={"q": "kho"}).status_code != 200
