"""Incremental, crash-safe reindexing: only changed work is done, nothing is ever visible below
its level, a full rebuild is swapped in atomically."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from archsearch import api
from archsearch.config import Settings
from archsearch.errors import IndexStateError
from archsearch.engine.index import IndexHome, index_lock

DECISION = """BỘ QUỐC PHÒNG
Số: {number}/QĐ-BQP
Hà Nội, ngày 05 tháng 3 năm 2020

QUYẾT ĐỊNH
Về việc {subject}

Điều 1. {body}
"""


def write_doc(root, name, number, subject, body, stamp=None):
    text = DECISION.format(number=number, subject=subject, body=body)
    if stamp:
        text = text.replace("Hà Nội", f"{stamp}\nHà Nội", 1)
    (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "kho"
    root.mkdir()
    write_doc(root, "a.txt", 11, "kiểm kê kho xăng dầu", "Kiểm kê kho xăng dầu K5 trước ngày 30.")
    write_doc(root, "b.txt", 12, "sửa chữa xe tăng", "Sửa chữa xe tăng T54 tại xưởng X3.")
    write_doc(root, "c.txt", 13, "huấn luyện pháo binh", "Huấn luyện pháo binh tại thao trường T9.")
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.add_user(settings, "low", "unclassified")
    api.add_user(settings, "mid", "confidential")
    api.add_user(settings, "top", "top-secret")
    return settings, root


def hits(settings, query, user):
    return [h.path.rsplit("/", 1)[-1] for h in api.search(settings, f'"{query}"', user=user, limit=50).hits]


def test_second_run_skips_unchanged_files_by_stat(archive):
    settings, root = archive
    first = api.index(settings, [root])
    assert (first.indexed, first.extracted) == (3, 3)
    again = api.index(settings, [root])
    assert (again.indexed, again.unchanged, again.extracted) == (0, 3, 0)
    os.utime(root / "a.txt", None)  # touched, not changed: hashed, still unchanged
    touched = api.index(settings, [root])
    assert (touched.indexed, touched.unchanged) == (0, 3)


def test_changed_content_is_reindexed(archive):
    settings, root = archive
    api.index(settings, [root])
    write_doc(root, "b.txt", 12, "sửa chữa xe tăng", "Sửa chữa xe thiết giáp BTR tại xưởng X3.")
    summary = api.index(settings, [root])
    assert (summary.indexed, summary.unchanged, summary.extracted) == (1, 2, 1)
    assert hits(settings, "thiết giáp", "low") == ["b.txt"] and hits(settings, "xe tăng T54", "low") == []


def test_sidecar_only_change_reindexes_without_extracting(archive):
    settings, root = archive
    api.index(settings, [root])
    (root / "c.txt.meta.json").write_text(json.dumps({"classification": "Mật"}), encoding="utf-8")
    summary = api.index(settings, [root])
    assert (summary.indexed, summary.extracted, summary.from_cache) == (1, 0, 1)
    assert hits(settings, "pháo binh", "low") == [] and hits(settings, "pháo binh", "mid") == ["c.txt"]
    assert summary.level_changes == [{"path": str(root / "c.txt"), "from": "unclassified", "to": "confidential"}]


def test_moved_file_is_a_move_and_keeps_its_id(archive):
    settings, root = archive
    api.index(settings, [root])
    before = api.search(settings, '"xăng dầu"', user="low").hits[0].id
    (root / "sub").mkdir()
    shutil.move(root / "a.txt", root / "sub" / "a.txt")
    summary = api.index(settings, [root])
    assert summary.moved == 1 and summary.moves == [{"from": str(root / "a.txt"), "to": str(root / "sub" / "a.txt")}]
    after = api.search(settings, '"xăng dầu"', user="low").hits
    assert [h.id for h in after] == [before] and after[0].path.endswith("sub/a.txt")


def test_deleted_files_are_reported_and_removed_only_with_prune(archive):
    settings, root = archive
    api.index(settings, [root])
    (root / "b.txt").unlink()
    kept = api.index(settings, [root])
    assert kept.missing == [str(root / "b.txt")] and hits(settings, "xe tăng", "low") == ["b.txt"]
    pruned = api.index(settings, [root], prune=True)
    assert pruned.removed == 1 and hits(settings, "xe tăng", "low") == []
    assert api.status(settings)["documents"] == 2


def test_reclassification_up_is_never_visible_below_and_declassification_is_recorded(archive):
    settings, root = archive
    api.index(settings, [root])
    assert hits(settings, "xăng dầu", "low") == ["a.txt"]
    write_doc(root, "a.txt", 11, "kiểm kê kho xăng dầu", "Kiểm kê kho xăng dầu K5 trước ngày 30.", stamp="TUYỆT MẬT")
    api.index(settings, [root])
    assert hits(settings, "xăng dầu", "low") == [] and hits(settings, "xăng dầu", "mid") == []
    assert hits(settings, "xăng dầu", "top") == ["a.txt"]
    assert IndexHome.open(settings.index_dir).partition_counts() == {
        "unclassified": 2, "confidential": 0, "secret": 0, "top-secret": 1}
    write_doc(root, "a.txt", 11, "kiểm kê kho xăng dầu",
              "Kiểm kê kho xăng dầu K5 trước ngày 30.\n\nGIẢI MẬT\nTừ: ngày 01 tháng 7 năm 2025")
    api.index(settings, [root])
    assert hits(settings, "xăng dầu", "low") == ["a.txt"]
    changes = api.status(settings)["level_changes"]
    assert [(c["from"], c["to"]) for c in changes] == [("unclassified", "top-secret"), ("top-secret", "unclassified")]


def test_full_rebuild_swaps_generations_and_reuses_the_cache(archive):
    settings, root = archive
    api.index(settings, [root])
    old = IndexHome.open(settings.index_dir).generation
    summary = api.index(settings, [root], full=True)
    assert summary.full and (summary.indexed, summary.from_cache, summary.extracted) == (3, 3, 0)
    new = IndexHome.open(settings.index_dir).generation
    assert new != old and hits(settings, "xe tăng", "low") == ["b.txt"]
    assert api.status(settings)["cache"]["entries"] == 3
    assert api.cache_clear(settings)["entries"] == 3 and api.status(settings)["cache"]["entries"] == 0


def test_a_second_indexer_is_refused_clearly(archive):
    settings, root = archive
    api.index(settings, [root])
    with index_lock(settings.index_dir):
        with pytest.raises(IndexStateError, match="another archsearch index run"):
            api.index(settings, [root])


KILLED_REBUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from archsearch import api
    from archsearch.ingest import stages as ingest
    from archsearch.config import Settings
    real = ingest.prepare
    def slow(task):
        time.sleep(0.3)
        return real(task)
    ingest.prepare = slow
    api.index(Settings.from_env(Path(sys.argv[1]), jobs=1, commit_every=1), [Path(sys.argv[2])], full=True)
""")


def test_killed_full_rebuild_leaves_searches_on_the_old_index_and_the_next_run_finishes(archive, tmp_path):
    settings, root = archive
    api.index(settings, [root])
    for i in range(12):
        write_doc(root, f"extra-{i}.txt", 100 + i, f"việc số {i}", f"Nội dung riêng số {i} về kho vũ khí.")
    script = tmp_path / "rebuild.py"
    script.write_text(KILLED_REBUILD)
    process = subprocess.Popen([sys.executable, str(script), str(settings.index_dir), str(root)])
    time.sleep(2.0)  # a few documents into the new generation
    # While the rebuild runs, searches answer from the old generation.
    assert hits(settings, "xe tăng", "low") == ["b.txt"] and hits(settings, "kho vũ khí", "low") == []
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert hits(settings, "xe tăng", "low") == ["b.txt"] and hits(settings, "kho vũ khí", "low") == []
    summary = api.index(settings, [root], full=True)
    assert summary.indexed == 15 and len(hits(settings, "kho vũ khí", "low")) == 12


def test_cli_report_file_and_quiet_progress_when_not_a_terminal(archive, tmp_path):
    from click.testing import CliRunner

    from archsearch.cli.main import main

    settings, root = archive
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = tmp_path / "report.jsonl"
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "index", str(root), "--jobs", "1",
                                       "--report", str(report)])
    assert result.exit_code == 1
    assert "\r" not in result.stderr and "[4/4]" in result.stderr  # quiet line at the end, no bar
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    failure = next(r for r in rows if r["kind"] == "failure")
    assert failure["path"].endswith("broken.pdf") and failure["stage"] in ("detect", "extract") and failure["reason"]


@pytest.mark.parametrize("new_stamp, below", [("TỐI MẬT", ["low", "mid"]), ("MẬT", ["low"])])
def test_level_change_is_never_visible_below_its_new_level_between_commits(archive, monkeypatch, new_stamp, below):
    """Check visibility after every single partition commit of the reindex."""
    from whoosh.writing import SegmentWriter

    settings, root = archive
    api.index(settings, [root])
    write_doc(root, "a.txt", 11, "kiểm kê kho xăng dầu", "Kiểm kê kho xăng dầu K5 trước ngày 30.", stamp=new_stamp)
    seen = []
    real_commit = SegmentWriter.commit

    def checked_commit(self, *args, **kwargs):
        real_commit(self, *args, **kwargs)
        for user in below:
            seen.append((user, hits(settings, "xăng dầu", user)))

    monkeypatch.setattr(SegmentWriter, "commit", checked_commit)
    api.index(settings, [root])
    assert seen and all(found == [] for _user, found in seen), seen
    monkeypatch.undo()
    assert hits(settings, "xăng dầu", "top") == ["a.txt"]


def test_a_page_whose_ocr_failed_is_retried_on_the_next_run(tmp_path):
    from archsearch.ingest.extract import ExtractLimits

    from .conftest import SAMPLE_DOCS

    expected = {d["path"]: d for d in json.loads((SAMPLE_DOCS.parent / "tests/data/sample_expected.json").read_text())}
    scan = "ban-scan/bc-112-1998.pdf"
    root = tmp_path / "kho"
    root.mkdir()
    shutil.copy(SAMPLE_DOCS / scan, root / "scan.pdf")
    broken = Settings.from_env(tmp_path / "home", jobs=1, limits=ExtractLimits(tesseract="/nonexistent/tesseract"))
    api.add_user(broken, "top", "top-secret")
    first = api.index(broken, [root])
    assert first.indexed == 1 and any("OCR" in w["warning"] for w in first.warnings)
    phrase = expected[scan]["phrase"]
    assert api.search(broken, f'"{phrase}"', user="top").total == 0
    working = Settings.from_env(tmp_path / "home", jobs=1)
    second = api.index(working, [root])
    assert (second.indexed, second.extracted) == (1, 1)
    assert api.search(working, f'"{phrase}"', user="top").total == 1
    assert api.index(working, [root]).unchanged == 1


@pytest.mark.parametrize("together", [True, False])
def test_same_collection_name_and_file_name_in_two_places_are_two_documents(tmp_path, together):
    # issue 12 item 9: 2019/quyet-dinh/001.txt and 2020/quyet-dinh/001.txt got one id (the
    # collection defaults to the directory name); one silently replaced the other
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.add_user(settings, "low", "unclassified")
    api.add_user(settings, "secret", "secret")
    older, newer = tmp_path / "2019" / "quyet-dinh", tmp_path / "2020" / "quyet-dinh"
    for root in (older, newer):
        root.mkdir(parents=True)
    write_doc(older, "001.txt", 1, "niêm phong kho mật", "Niêm phong kho mật K2.", stamp="TỐI MẬT")
    write_doc(newer, "001.txt", 1, "kiểm kê kho thường", "Kiểm kê kho thường K7.")
    if together:
        first = api.index(settings, [older, newer])
    else:
        first, second = api.index(settings, [older]), api.index(settings, [newer])
        assert second.indexed == 1
    assert first.failed == 0
    runs = [first] if together else [first, second]
    collisions = [w for run in runs for w in run.warnings if "already belongs to" in w["warning"]]
    assert len(collisions) == 1 and collisions[0]["path"] == str((newer / "001.txt").resolve())
    assert hits(settings, "niêm phong", "secret") == ["001.txt"] and hits(settings, "niêm phong", "low") == []
    assert hits(settings, "kiểm kê", "low") == ["001.txt"]
    ids = {api.search(settings, f'"{q}"', user="secret").hits[0].id for q in ("niêm phong", "kiểm kê")}
    assert len(ids) == 2
    again = api.index(settings, [older, newer])
    assert (again.indexed, again.unchanged, again.failed) == (0, 2, 0)
    assert not [w for w in again.warnings if "already belongs to" in w["warning"]]
    status = api.status(settings)
    assert status["documents"] == 2 and (status["per_level"]["secret"], status["per_level"]["unclassified"]) == (1, 1)


def _copies_of(settings, doc_id):
    """The levels whose partitions hold a live copy of `doc_id`."""
    from whoosh.query import Term

    home, found = IndexHome.open(settings.index_dir), []
    for level in ("unclassified", "confidential", "secret", "top-secret"):
        from archsearch.levels import parse_level

        with home.partition(parse_level(level)).searcher() as searcher:
            if searcher.search(Term("id", doc_id), limit=None).scored_length():
                found.append(level)
    return found


BROKEN_DECLARATIONS = {
    # how the upgraded declaration is broken -> (files to write, what the failure says)
    "sidecar-json": ({"a.txt.meta.json": b'{"classification": "T\xe1\xbb\x91i m\xe1\xba\xadt",}'}, "invalid JSON"),
    "sidecar-compartments": ({"a.txt.meta.json": '{"classification": "Tối mật", "compartments": "CNQP"}'.encode()},
                             "compartments"),
    "manifest-encoding": ({"manifest.csv": b"path,classification\na.txt,T\xf4i m\xe2t\n"}, "not UTF-8"),
    "two-manifests": ({"manifest.csv": "path,classification\na.txt,Tối mật\n".encode(),
                       "Manifest.csv": "path,classification\na.txt,Tối mật\n".encode()}, "2 manifests"),
}


@pytest.mark.parametrize("broken", sorted(BROKEN_DECLARATIONS))
def test_an_unreadable_upgraded_declaration_leaves_no_copy_below_its_level(archive, broken):
    # issue 12 item 5: a.txt indexed as Thường, then a declaration of Tối mật that cannot be
    # read: the Thường copy stayed searchable, even after --prune
    from click.testing import CliRunner
    from archsearch.cli.main import main

    settings, root = archive
    api.add_user(settings, "secret", "secret")
    api.index(settings, [root])
    doc_id = api.search(settings, '"xăng dầu"', user="low").hits[0].id
    files, problem = BROKEN_DECLARATIONS[broken]
    for name, content in files.items():
        (root / name).write_bytes(content)
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "index", str(root), "--json"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    path = str(root / "a.txt")
    failures = {f["path"]: f for f in summary["failures"]}  # a manifest fails every file it covers
    assert path in failures and {f["stage"] for f in failures.values()} == {"metadata"}
    assert problem in failures[path]["reason"]
    for user in ("low", "mid", "secret", "top"):
        assert hits(settings, "xăng dầu", user) == []
    assert _copies_of(settings, doc_id) == []
    assert any(w["path"] == path and "withdrawn from search" in w["warning"] for w in summary["warnings"])
    with IndexHome.open(settings.index_dir).catalog() as catalog:
        withdrawn = catalog.withdrawn()
    assert set(withdrawn) == set(failures) and withdrawn[path]["id"] == doc_id and problem in withdrawn[path]["reason"]
    status = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "status"])
    assert f"withdrawn {withdrawn[path]['withdrawn_at']}: {path}: " in status.stdout
    # still unreadable: still nowhere, and --prune does not bring it back
    again = api.index(settings, [root], prune=True)
    assert again.failed == len(failures) and hits(settings, "xăng dầu", "low") == [] and _copies_of(settings, doc_id) == []
    # fixed: indexed where the declaration says, under its old id
    for name in files:
        (root / name).unlink()
    (root / "a.txt.meta.json").write_text('{"classification": "Tối mật"}', encoding="utf-8")
    fixed = api.index(settings, [root])
    assert (fixed.failed, fixed.indexed) == (0, len(failures))
    assert hits(settings, "xăng dầu", "mid") == [] and hits(settings, "xăng dầu", "secret") == ["a.txt"]
    assert _copies_of(settings, doc_id) == ["secret"]
    with IndexHome.open(settings.index_dir).catalog() as catalog:
        assert catalog.withdrawn() == {}
    assert api.index(settings, [root]).unchanged == 3


def test_a_stricter_declaration_whose_file_cannot_be_read_leaves_no_copy_below_it(archive):
    settings, root = archive
    api.index(settings, [root])
    doc_id = api.search(settings, '"xăng dầu"', user="low").hits[0].id
    (root / "a.txt.meta.json").write_text('{"classification": "Mật"}', encoding="utf-8")
    (root / "a.txt").write_bytes(bytes(range(256)) * 64)  # now unreadable as a document
    summary = api.index(settings, [root])
    assert [f["path"] for f in summary.failures] == [str(root / "a.txt")]
    assert summary.failures[0]["stage"] != "metadata"
    assert hits(settings, "xăng dầu", "low") == [] and _copies_of(settings, doc_id) == []
    assert any("withdrawn from search" in w["warning"] for w in summary.warnings)
    # an unreadable file whose declaration did not change keeps its indexed copy (as before)
    b_id = api.search(settings, '"xe tăng"', user="low").hits[0].id
    (root / "b.txt").write_bytes(bytes(range(256)) * 64)
    api.index(settings, [root])
    assert _copies_of(settings, b_id) == ["unclassified"]


def test_indexing_a_subdirectory_keeps_what_the_manifest_above_it_declared(tmp_path):
    # col/manifest.csv declares sub/x.txt Tối mật; indexing col/sub alone (a manifest above the
    # indexed root) used to reindex x.txt at the default level
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.add_user(settings, "low", "unclassified")
    api.add_user(settings, "secret", "secret")
    col = tmp_path / "col"
    (col / "sub").mkdir(parents=True)
    write_doc(col / "sub", "x.txt", 7, "niêm phong kho", "Niêm phong kho K2.")
    write_doc(col / "sub", "y.txt", 8, "kiểm kê kho", "Kiểm kê kho K7.")
    (col / "manifest.csv").write_text("path,classification\nsub/x.txt,Tối mật\n", encoding="utf-8")
    assert api.index(settings, [col]).indexed == 2
    assert hits(settings, "niêm phong", "low") == [] and hits(settings, "niêm phong", "secret") == ["x.txt"]
    narrow = api.index(settings, [col / "sub"])
    assert narrow.failed == 0 and narrow.unchanged == 2
    assert hits(settings, "niêm phong", "low") == [] and hits(settings, "niêm phong", "secret") == ["x.txt"]
    # the manifest above stays in force when it changes, or breaks
    (col / "manifest.csv").write_text("path,classification\nsub/x.txt,Tối mật\nsub/y.txt,Mật\n", encoding="utf-8")
    api.index(settings, [col / "sub"])
    assert hits(settings, "kiểm kê", "low") == [] and hits(settings, "kiểm kê", "secret") == ["y.txt"]
    # both reindexed from sub: the next run from sub must still read col's manifest
    write_doc(col / "sub", "x.txt", 7, "niêm phong kho", "Niêm phong kho K2 và K3.")
    write_doc(col / "sub", "y.txt", 8, "kiểm kê kho", "Kiểm kê kho K7 và K8.")
    assert api.index(settings, [col / "sub"]).indexed == 2
    assert api.index(settings, [col / "sub"]).unchanged == 2
    assert hits(settings, "kiểm kê", "low") == [] and hits(settings, "niêm phong", "low") == []
    (col / "manifest.csv").write_bytes(b"path,classification\nsub/x.txt,T\xf4i\n")
    broken = api.index(settings, [col / "sub"])
    assert broken.failed == 2 and hits(settings, "niêm phong", "secret") == []
