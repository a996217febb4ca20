"""Faults, for real: the indexer killed with SIGKILL at random moments, two indexers at once, a
full disk during a commit. Nothing committed is ever lost, and the next run finishes the job."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archsearch import api
from archsearch.trust.access import scope_for
from archsearch.trust.audit import AuditError
from archsearch.config import Settings
from archsearch.errors import IndexStateError
from archsearch.engine.index import IndexHome
from archsearch.levels import ALL_LEVELS, Level
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

REPO = Path(__file__).resolve().parent.parent
KILLS = 20
WORDS = ["kho", "đạn", "xưởng", "máy", "tiện", "thép", "nòng", "pháo", "xe", "tăng", "bảo", "quản", "kiểm", "kê"]

INDEXER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from archsearch import api
    from archsearch.config import Settings
    settings = Settings.from_env(Path(sys.argv[1]), jobs=int(sys.argv[3]), commit_every=int(sys.argv[4]))
    print("started", flush=True)
    summary = api.index(settings, [Path(sys.argv[2])])
    print("done", summary.indexed, summary.unchanged, summary.failed, flush=True)
""")


def marker(n: int) -> str:
    return f"tailieu{n:04d}x"


def write_doc(root: Path, n: int, version: int = 0, level: Level | None = None) -> None:
    rng = random.Random(n * 1000 + version)
    body = " ".join(rng.choice(WORDS) for _ in range(60))
    stamp = {Level.CONFIDENTIAL: "MẬT\n", Level.SECRET: "TỐI MẬT\n", Level.TOP_SECRET: "TUYỆT MẬT\n"}.get(level, "")
    (root / f"doc-{n:04d}.txt").write_text(
        f"BỘ QUỐC PHÒNG\n{stamp}CÔNG VĂN\nV/v {marker(n)}\n\n{body} phiên bản {version}.\n", encoding="utf-8")


def committed(index_dir: Path) -> tuple[dict[str, set[str]], set[str]]:
    """(id -> content hashes found in the current generation's partitions, ids the next run must
    redo), read as the index owner would (all levels).

    The catalog is written after the partitions commit, one level after another (ascending, so a
    document moving up is never visible below its new level). A kill between those commits
    leaves a document absent (moving up) or in two partitions (moving down) while the catalog
    still holds its previous state; the file then differs from that state, so the next run
    redoes it. Any other difference between catalog and partitions is a fault.
    """
    home = IndexHome.open(index_dir)
    found: dict[str, set[str]] = {}
    for level in ALL_LEVELS:
        with home.partition(level).searcher() as searcher:
            for fields in searcher.all_stored_fields():
                found.setdefault(fields["id"], set()).add(fields["content_hash"])
    with home.catalog() as catalog:
        entries = catalog.entries()
    redo = set()
    for doc_id, entry in entries.items():
        if found.get(doc_id) != {entry.content_hash}:
            on_disk = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
            assert on_disk != entry.content_hash, f"{doc_id}: partitions {found.get(doc_id)} but catalog {entry}"
            redo.add(doc_id)
    assert set(found) - set(entries) <= set(found), "a document in the partitions that the catalog never listed"
    return found, redo


def start_indexer(script: Path, index_dir: Path, source: Path, jobs: int = 1, commit_every: int = 7):
    return subprocess.Popen(
        [sys.executable, str(script), str(index_dir), str(source), str(jobs), str(commit_every)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def indexer_script(tmp_path) -> Path:
    script = tmp_path / "indexer.py"
    script.write_text(INDEXER)
    return script


def test_sigkill_at_20_random_moments_loses_nothing_committed(tmp_path, indexer_script):
    rng = random.Random(int(os.environ.get("ARCHSEARCH_FAULT_SEED", "4")))
    source = tmp_path / "kho"
    source.mkdir()
    count = 300
    for n in range(count):
        write_doc(source, n, level=rng.choice([None, None, Level.CONFIDENTIAL, Level.SECRET]))
    index_dir = tmp_path / "home"
    settings = Settings.from_env(index_dir, jobs=1)
    api.add_user(settings, "top", "top-secret")
    previous: dict[str, str] = {}
    versions = {n: 0 for n in range(count)}
    kills, finished = 0, 0
    for round_number in range(KILLS):
        process = start_indexer(indexer_script, index_dir, source, jobs=1 + round_number % 2)
        time.sleep(rng.uniform(0.2, 1.6))  # from start-up through discovery, extraction and commits
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        assert "Traceback" not in err, err
        finished += "done" in out
        kills += "done" not in out
        if not (index_dir / "current.json").exists():
            continue  # killed before the index home was created
        now, redo = committed(index_dir)
        # A document the catalog does not list (killed between the partition and catalog commits
        # of its first indexing, then moved up a level by a later run killed between partitions)
        # is absent by design while it moves up; the next run reads it again, as for `redo`.
        with IndexHome.open(index_dir).catalog() as catalog:
            listed = set(catalog.entries())
        lost = {i for i in previous if i not in now and i not in redo and i in listed}
        assert not lost, f"round {round_number}: committed documents lost: {sorted(lost)[:5]}"
        previous = now
        # Searches open and find what is committed (a sample, through a user's scope).
        with ScopedSearcher(IndexHome.open(index_dir), scope_for(User("top", Level.TOP_SECRET))) as searcher:
            for doc_id in rng.sample(sorted(now), min(5, len(now))):
                assert searcher.document(doc_id).id == doc_id
        # New work for the next run: a few changed documents and a few reclassified.
        for n in rng.sample(range(count), 12):
            versions[n] += 1
            write_doc(source, n, versions[n], level=rng.choice([None, Level.CONFIDENTIAL, Level.TOP_SECRET]))
    assert kills >= KILLS // 2, f"only {kills} of {KILLS} runs were killed before they finished: lengthen the work"
    final = start_indexer(indexer_script, index_dir, source, jobs=2)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0 and "done" in out, err
    now, redo = committed(index_dir)
    assert len(now) == count and not redo and set(previous) <= set(now)
    assert all(len(hashes) == 1 for hashes in now.values())
    for n in rng.sample(range(count), 20):
        hits = api.search(settings, marker(n), user="top").hits
        assert [Path(h.path).name for h in hits] == [f"doc-{n:04d}.txt"]
        assert f"phiên bản {versions[n]}" in api.show(settings, hits[0].id, user="top").text
    assert api.status(settings)["documents"] == count


def test_two_indexers_at_once_one_refuses_clearly(tmp_path):
    source = tmp_path / "kho"
    source.mkdir()
    for n in range(150):
        write_doc(source, n)
    index_dir = tmp_path / "home"
    command = [sys.executable, "-m", "archsearch.cli.main", "--index-dir", str(index_dir), "index", str(source), "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    results = [(p.wait(timeout=120), *p.communicate()) for p in (first, second)]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 5], results
    refused = next(err for code, _, err in results if code == 5)
    assert "another archsearch index run is using" in refused and "Traceback" not in refused
    found, redo = committed(index_dir)
    assert len(found) == 150 and not redo


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (root only); skipped where mounting is not permitted."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_full_disk_during_commit_is_reported_and_the_previous_state_stays_usable(tmp_path, small_disk):
    settings = Settings.from_env(small_disk / "home", jobs=1, commit_every=40)
    first = tmp_path / "first"
    first.mkdir()
    write_doc(first, 9999)
    api.index(settings, [first])
    api.add_user(settings, "top", "top-secret")
    before, _ = committed(settings.index_dir)
    big = tmp_path / "big"
    big.mkdir()
    for n in range(120):  # about 2 MiB of index: more than the disk holds
        rng = random.Random(n)
        (big / f"big-{n:03d}.txt").write_text(f"V/v {marker(n)}\n" + " ".join(rng.choice(WORDS) for _ in range(600)),
                                              encoding="utf-8")
    with pytest.raises(IndexStateError, match="No space left on device.*every batch committed before stands"):
        api.index(settings, [big])
    # The index opens at its last commit; reads work, but each must be audited, and the audit
    # log cannot grow on a full disk: refused clearly, never unaudited.
    after, redo = committed(settings.index_dir)
    assert set(before) <= set(after) and not redo
    with ScopedSearcher(IndexHome.open(settings.index_dir), scope_for(User("top", Level.TOP_SECRET))) as searcher:
        assert searcher.search(marker(9999)).total == 1
    with pytest.raises(AuditError, match="the read was refused"):
        api.search(settings, marker(9999), user="top")
    with pytest.raises(IndexStateError, match="cannot write the user registry"):
        api.add_user(settings, "late", "secret")
    # Space again: everything answers and the next run finishes the job.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    assert [h.path for h in api.search(settings, marker(9999), user="top").hits] == [str(first / "doc-9999.txt")]
    finished = api.index(settings, [big])
    assert finished.failed == 0 and len(committed(settings.index_dir)[0]) == 121
    assert api.search(settings, marker(100), user="top").total == 1
    assert api.audit_verify(settings)[1] is None


def test_a_copy_left_at_a_level_the_catalog_never_recorded_is_removed_when_the_document_is_reindexed(tmp_path):
    """What a kill between two partitions' commits leaves behind: an old version in a partition
    the catalog does not know of. Reindexing the document (here, moved up to Tối mật) must remove
    it, or it stays visible below the document's level for good."""
    from tests.helpers import make_document

    source = tmp_path / "kho"
    source.mkdir()
    write_doc(source, 1)
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.index(settings, [source])
    api.add_user(settings, "mid", "confidential")
    doc_id = api.search(settings, marker(1), user="mid").hits[0].id
    home = IndexHome.open(settings.index_dir)
    with home.writer() as writer:  # the orphan: an old version in the Mật partition
        writer.add(make_document(doc_id, f"bản cũ {marker(1)}", Level.CONFIDENTIAL))
    write_doc(source, 1, version=1, level=Level.SECRET)
    api.index(settings, [source])
    found, redo = committed(settings.index_dir)
    assert not redo and len(found[doc_id]) == 1
    assert IndexHome.open(settings.index_dir).partition_counts() == {
        "unclassified": 0, "confidential": 0, "secret": 1, "top-secret": 0}
    assert api.search(settings, marker(1), user="mid").total == 0
