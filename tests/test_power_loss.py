"""Power loss: a commit is on the disk before anything relies on it, and a damaged newest
commit of a partition opens at the one before (issue 12, item 14)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from archsearch import api
from archsearch.ingest.catalog import Catalog
from archsearch.config import Settings
from archsearch.engine.index import IndexHome
from archsearch.levels import Level


def _write(col: Path, name: str, text: str, level: str | None = None) -> None:
    (col / name).write_text(text, encoding="utf-8")
    if level:
        (col / f"{name}.meta.json").write_text(json.dumps({"classification": level}), encoding="utf-8")


@pytest.fixture
def archive(tmp_path):
    col = tmp_path / "col"
    col.mkdir()
    _write(col, "a.txt", "Báo cáo thông gió kho alphaword")
    _write(col, "b.txt", "Quyết định bảo quản vũ khí betaword")
    settings = Settings.from_env(tmp_path / "idx", jobs=1)
    return settings, col


@pytest.fixture
def fsync_spy(monkeypatch):
    """Every fsync'ed path, and the moments the catalog and current.json were written, in order."""
    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def spy(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    real_put = Catalog.put

    def put(self, entries):
        events.append(("catalog", str(self.path)))
        return real_put(self, entries)

    monkeypatch.setattr(os, "fsync", spy)
    monkeypatch.setattr(Catalog, "put", put)
    return events


def _partition_files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_file() and not p.name.endswith("WRITELOCK")}


def test_every_file_of_a_commit_and_its_directory_is_fsynced_before_the_catalog_relies_on_it(archive, fsync_spy):
    settings, col = archive
    api.index(settings, [col])
    _write(col, "c.txt", "Kế hoạch diễn tập gammaword", level="Mật")
    fsync_spy.clear()
    before = {level: _partition_files(IndexHome.open(settings.index_dir).partition_dir(level)) for level in Level}
    api.index(settings, [col])

    home = IndexHome.open(settings.index_dir)
    catalog_at = next(i for i, (kind, _) in enumerate(fsync_spy) if kind == "catalog")
    synced = [(i, Path(path)) for i, (kind, path) in enumerate(fsync_spy) if kind == "fsync"]
    directory = home.partition_dir(Level.CONFIDENTIAL)
    written = _partition_files(directory) - before[Level.CONFIDENTIAL]
    segment_files = {name for name in written if not name.endswith(".toc") and not name.startswith("archsearch-")}
    assert segment_files and any(name.endswith(".toc") for name in written)
    last_segment_sync = 0
    for name in written:
        if name.endswith(".toc"):
            continue  # checked below
        # The TOC and the list of changed ids are fsync'ed under their temporary names, before
        # the rename that makes them visible.
        times = [i for i, path in synced if path.parent == directory
                 and (path.name == name or (name not in segment_files and path.name.startswith(name + ".")))]
        assert times and times[0] < catalog_at, f"{name} was not fsync'ed before the catalog was written"
        if name in segment_files:
            last_segment_sync = max(last_segment_sync, times[0])
    (toc,) = [name for name in written if name.endswith(".toc")]
    toc_syncs = [i for i, path in synced if path.parent == directory and path.name.startswith(toc + ".")]
    assert toc_syncs and last_segment_sync < toc_syncs[0] < catalog_at, "the TOC must be flushed after the segment files"
    dir_syncs = [i for i, path in synced if path == directory]
    assert any(toc_syncs[0] < i < catalog_at for i in dir_syncs), "the directory holding the renamed TOC was not fsync'ed"

    # A --full rebuild: current.json (and its directory) is flushed when it is replaced, after the
    # new generation's partitions were.
    fsync_spy.clear()
    api.index(settings, [col], full=True)
    synced = [Path(path) for kind, path in fsync_spy if kind == "fsync"]
    root = settings.index_dir
    current_sync = max(i for i, path in enumerate(synced) if path.parent == root and path.name.startswith("current.json."))
    partition_syncs = [i for i, path in enumerate(synced) if "gen-000002" in path.parts]
    assert partition_syncs and max(partition_syncs) < current_sync
    assert any(i > current_sync and path == root for i, path in enumerate(synced))


def _search_ids(settings: Settings, query: str, user: str) -> set[str]:
    return {hit.path for hit in api.search(settings, query, user=user, limit=50).hits}


def _newest(directory: Path, pattern: str) -> Path:
    return max(directory.glob(pattern), key=lambda p: int(p.name.split("_")[2].split(".")[0]))


def _truncate_newest_toc(directory: Path) -> None:
    toc = _newest(directory, "_MAIN_*.toc")
    toc.write_bytes(toc.read_bytes()[: toc.stat().st_size // 2])


def _truncate_newest_segment(directory: Path) -> None:
    from whoosh.index import TOC
    from whoosh.filedb.filestore import FileStorage

    from archsearch.engine.index import SCHEMA

    storage = FileStorage(str(directory))
    newest = TOC.read(storage, "MAIN", schema=SCHEMA)
    previous = TOC.read(storage, "MAIN", gen=newest.generation - 1, schema=SCHEMA)
    (segment,) = {s.segment_id() for s in newest.segments} - {s.segment_id() for s in previous.segments}
    postings = directory / f"{segment}.pst"
    postings.write_bytes(postings.read_bytes()[:10])


@pytest.mark.parametrize("damage", [_truncate_newest_toc, _truncate_newest_segment], ids=["toc", "segment"])
def test_a_damaged_newest_commit_opens_at_the_previous_one_and_the_next_run_restores_it(archive, damage, caplog):
    settings, col = archive
    _write(col, "d.txt", "Văn bản deltaword sẽ được nâng mức")
    api.index(settings, [col])
    api.add_user(settings, "thuong", "unclassified")
    api.add_user(settings, "top", "top-secret")
    # The second commit of the unclassified partition adds e and removes d (moved up a level).
    _write(col, "e.txt", "Công văn epsilonword mới")
    _write(col, "d.txt", "Văn bản deltaword sẽ được nâng mức", level="Tối mật")
    api.index(settings, [col])
    assert _search_ids(settings, "epsilonword", "thuong") == {str(col / "e.txt")}
    assert _search_ids(settings, "deltaword", "thuong") == set()

    directory = IndexHome.open(settings.index_dir).partition_dir(Level.UNCLASSIFIED)
    damage(directory)

    with caplog.at_level(logging.WARNING, logger="archsearch"):
        # The previous commit still holds d at the unclassified level: it stays hidden (every
        # document the damaged commit touched is masked), and what that commit added is absent.
        assert _search_ids(settings, "deltaword", "thuong") == set()
        assert _search_ids(settings, "epsilonword", "thuong") == set()
        assert _search_ids(settings, "alphaword", "thuong") == {str(col / "a.txt")}
    assert any("newest commit is unreadable" in record.getMessage() for record in caplog.records)
    notes = api.status(settings)["partition_notes"]
    assert len(notes) == 1 and "unclassified" in notes[0]

    # Nothing changed on disk, yet the next run re-indexes what the partition lost.
    summary = api.index(settings, [col])
    assert any(w["stage"] == "recover" for w in summary.warnings)
    assert summary.indexed >= 2
    assert _search_ids(settings, "epsilonword", "thuong") == {str(col / "e.txt")}
    assert _search_ids(settings, "deltaword", "thuong") == set()
    assert _search_ids(settings, "deltaword", "top") == {str(col / "d.txt")}
    assert _search_ids(settings, "alphaword betaword", "thuong") == {str(col / "a.txt"), str(col / "b.txt")}
    assert api.status(settings)["partition_notes"] == []
    assert api.index(settings, [col]).indexed == 0  # and then all is settled


def test_a_damaged_commit_without_its_change_list_is_refused_not_guessed(archive):
    settings, col = archive
    api.index(settings, [col])
    _write(col, "e.txt", "Công văn epsilonword mới")
    api.index(settings, [col])
    api.add_user(settings, "thuong", "unclassified")
    directory = IndexHome.open(settings.index_dir).partition_dir(Level.UNCLASSIFIED)
    _truncate_newest_toc(directory)
    for touched in directory.glob("archsearch-touched-*.json"):
        touched.unlink()
    from archsearch.errors import IndexStateError

    with pytest.raises(IndexStateError, match="cannot be used safely"):
        api.search(settings, "alphaword", user="thuong")
