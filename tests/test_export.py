"""Export for audits: csv/jsonl/zip through the user's scope, marking, determinism, verify,
refusals, audit, and an end-to-end check over sample_docs/ that no bundle holds a byte of a
document its user may not see."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import hashlib
import io
import json
import os
import shutil
import subprocess
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.export import bundle as exporting
from archsearch.export import rows as export_rows
from archsearch.export import target as export_target
from archsearch.export import verify as export_verify
from archsearch.engine.filters import SearchFilters
from archsearch.trust.audit import AuditError, AuditLog
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import UsageError
from archsearch.levels import Level

from .conftest import ALL_COMPARTMENTS
from .helpers import build_index, make_document

BODY = "Quyết định về việc kiểm kê kho niêm cất khí tài, công nghiệp quốc phòng"


@pytest.fixture
def archive(tmp_path):
    """Real source files at every level, with dates, types and a compartment; users at each level."""
    source = tmp_path / "kho"
    source.mkdir()
    specs = [
        # id, level, compartments, collection, date, type, distinctive words
        ("u1", Level.UNCLASSIFIED, (), "cong-van", dt.date(2014, 3, 1), "Công văn", "máy quét tài liệu khổ lớn"),
        ("u2", Level.UNCLASSIFIED, (), "quyet-dinh", dt.date(2016, 5, 2), "Quyết định", "sổ nhật ký xưởng đúc"),
        ("c1", Level.CONFIDENTIAL, (), "quyet-dinh", dt.date(2018, 7, 9), "Quyết định", "lò tôi chân không"),
        ("s1", Level.SECRET, (), "cong-van", dt.date(2020, 1, 15), "Công văn", "cơ cấu nạp đạn tự động"),
        ("t1", Level.TOP_SECRET, (), "quyet-dinh", dt.date(2021, 11, 30), "Quyết định", "điểm tập kết dự bị"),
        ("k1", Level.CONFIDENTIAL, ("CNQP-A",), "cong-van", dt.date(2019, 2, 2), "Công văn", "bản vẽ ngòi đạn cối"),
    ]
    docs = []
    for doc_id, level, compartments, collection, date, doc_type, words in specs:
        directory = source / collection
        directory.mkdir(exist_ok=True)
        path = directory / f"{doc_id}.txt"
        text = f"{BODY}. Nội dung: {words}. Mã {doc_id}canary."
        path.write_text(text, encoding="utf-8")
        docs.append(make_document(doc_id, text, level, compartments=compartments, collection=collection,
                                  path=path, date=date, doc_type=doc_type, title=f"{doc_type} về {words}"))
    settings = Settings.from_env(tmp_path / "home")
    build_index(settings.index_dir, docs)
    for level in Level:
        api.add_user(settings, level.id, level.id)
    api.add_user(settings, "all", "top-secret", ["CNQP-A"])
    out = tmp_path / "out"
    out.mkdir()
    return settings, {d.id: d for d in docs}, out


def _rows_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# -- rows -------------------------------------------------------------------------------

def test_csv_has_a_bom_one_row_per_visible_document_and_no_score_without_query(archive):
    settings, docs, out = archive
    result = api.export(settings, None, user="secret", out=out / "list.csv")
    assert result.path == out / "list.TOI-MAT.csv" and result.path.exists()
    rows = _rows_csv(result.path)
    assert sorted(r["id"] for r in rows) == ["c1", "s1", "u1", "u2"]  # not t1 (level), not k1 (compartment)
    assert list(rows[0]) == export_rows.COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert by_id["s1"]["title"] == "Công văn về cơ cấu nạp đạn tự động"
    assert by_id["s1"]["sha256"] == docs["s1"].content_hash
    assert by_id["s1"]["classification"] == "secret" and by_id["s1"]["date"] == "2020-01-15"
    assert by_id["s1"]["ocr"] == "false" and by_id["s1"]["page_count"] == "1"
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)  # no query: path order
    assert (result.path.stat().st_mode & 0o777) == 0o600


def test_jsonl_with_a_query_carries_scores_best_first(archive):
    settings, docs, out = archive
    result = api.export(settings, "cơ cấu nạp đạn", user="all", out=out / "q.jsonl")
    rows = [json.loads(line) for line in result.path.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["id"] == "s1"
    assert all(isinstance(r["score"], float) for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert rows[0]["compartments"] == [] and isinstance(rows[0]["ocr"], bool)
    k1 = [r for r in rows if r["id"] == "k1"]
    assert not k1 or k1[0]["compartments"] == ["CNQP-A"]


def test_progress_is_structured_numbers_are_never_read_back_from_text(archive):
    settings, _docs, out = archive
    steps = []
    result = api.export(settings, None, user="all", out=out / "p.jsonl", progress=steps.append)
    rows = [json.loads(line) for line in result.path.read_text(encoding="utf-8").splitlines()]
    documents = [step for step in steps if step.event == "document"]
    assert [step.done for step in documents] == list(range(1, result.count + 1))
    assert [step.detail for step in documents] == [row["path"] for row in rows]  # the path alone
    assert (steps[-1].event, steps[-1].detail, steps[-1].done) == ("done", str(result.path), result.count)


def test_the_cli_export_takes_the_search_filter_options(archive):
    settings, _docs, out = archive
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir), "export", "--user", "all", "--json"]
    run = runner.invoke(main, [*base, "--collection", "quyet-dinh", "--level", "mat", "--from", "2016-01-01",
                               "--out", str(out / "f.jsonl")])
    assert run.exit_code == 0, run.stderr
    shown = json.loads(run.stdout)
    rows = [json.loads(line) for line in Path(shown["path"]).read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == ["c1"] and shown["count"] == 1
    help_text = runner.invoke(main, ["export", "--help"]).stdout
    assert all(flag in help_text for flag in ("--from", "--to", "--type", "--issuer", "--collection", "--level"))


def test_filters_narrow_inside_the_search_and_never_widen(archive):
    settings, _docs, out = archive

    def ids(name, **filters):
        result = api.export(settings, None, user="all", out=out / f"{name}.jsonl", filters=SearchFilters(**filters))
        return sorted(json.loads(line)["id"] for line in result.path.read_text(encoding="utf-8").splitlines())

    assert ids("col", collection="quyet-dinh") == ["c1", "t1", "u2"]
    assert ids("dates", date_from="2016-01-01", date_to="2019-12-31") == ["c1", "k1", "u2"]
    assert ids("from", date_from="2020-01-15") == ["s1", "t1"]
    assert ids("type", doc_type="công văn") == ["k1", "s1", "u1"]
    assert ids("level", levels=("mật", Level.SECRET)) == ["c1", "k1", "s1"]
    assert ids("mix", collection="cong-van", levels=("confidential",)) == ["k1"]
    with pytest.raises(UsageError, match="outside your clearance"):
        api.export(settings, None, user="confidential", out=out / "wide.csv", filters=SearchFilters(levels=("top-secret",)))
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        api.export(settings, None, user="all", out=out / "bad.csv", filters=SearchFilters(date_from="15/01/2020"))
    with pytest.raises(UsageError, match="after"):
        api.export(settings, None, user="all", out=out / "bad.csv",
                   filters=SearchFilters(date_from="2020-01-01", date_to="2019-01-01"))
    assert not list(out.glob("wide*")) and not list(out.glob("bad*"))


def test_a_user_cleared_for_nothing_exports_an_empty_unmarked_file(archive):
    settings, _docs, out = archive
    api.add_user(settings, "nobody", "none")
    result = api.export(settings, None, user="nobody", out=out / "empty.zip")
    assert result.count == 0 and result.path.name == "empty.zip"
    assert api.verify_export(result.path).ok


# -- zip bundle -------------------------------------------------------------------------

def test_zip_bundle_layout_cover_and_marking(archive):
    settings, docs, out = archive
    result = api.export(settings, "kho niêm cất", user="confidential", out=out / "b.zip")
    assert result.path.name == "b.MAT.zip"
    members = _members(result.path)
    for doc_id in ("u1", "u2", "c1"):
        doc = docs[doc_id]
        assert members[f"files/{doc.collection}/{doc_id}.txt"] == doc.path.read_bytes()
        assert members[f"text/{doc.collection}/{doc_id}.txt.txt"].decode("utf-8") == doc.text
    assert list(members)[-4:] == ["manifest.csv", "manifest.jsonl", "EXPORT.txt", "EXPORT.json"]
    cover = json.loads(members["EXPORT.json"])
    assert cover["exported_by"]["user"] == "confidential" and cover["exported_by"]["clearance"] == "confidential"
    assert cover["exported_by"]["os_account"]
    assert cover["query"] == "kho niêm cất" and cover["count"] == 3
    assert cover["highest_level"] == "confidential" and cover["marking"] == "MAT"
    listed = {m["name"]: m["sha256"] for m in cover["members"]}
    assert set(listed) == set(members) - {"EXPORT.json"}
    assert all(hashlib.sha256(members[name]).hexdigest() == digest for name, digest in listed.items())
    text = members["EXPORT.txt"].decode("utf-8")
    assert text.startswith("MẬT\n") and "confidential (Mật)" in text and "kho niêm cất" in text
    manifest = _rows_csv_bytes(members["manifest.csv"])
    assert sorted(r["id"] for r in manifest) == ["c1", "u1", "u2"] and "score" in manifest[0]
    assert manifest[0]["file"].startswith("files/") and manifest[0]["text_file"].startswith("text/")
    with zipfile.ZipFile(result.path) as z:
        for info in z.infolist():
            assert info.date_time == exporting.ZIP_TIME and (info.external_attr >> 16) & 0o777 == 0o600


def _rows_csv_bytes(raw: bytes) -> list[dict]:
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_marking_rule_and_its_doctests():
    assert doctest.testmod(exporting).failed == 0
    assert export_target.marked_path(Path("/x/a.zip"), Level.TOP_SECRET).name == "a.TUYET-MAT.zip"
    assert export_target.marked_path(Path("/x/a.TOI-MAT.zip"), Level.SECRET).name == "a.TOI-MAT.zip"
    assert export_target.marked_path(Path("/x/a.mat.zip"), Level.SECRET).name == "a.TOI-MAT.zip"
    assert export_target.marked_path(Path("/x/a.zip"), None).name == "a.zip"
    assert export_target.marked_path(Path("/x/noext"), Level.CONFIDENTIAL).name == "noext.MAT"


def test_same_export_of_same_index_is_byte_identical_except_the_cover_time(archive):
    settings, _docs, out = archive
    (out / "1").mkdir()
    (out / "2").mkdir()
    first = api.export(settings, None, user="all", out=out / "1" / "b.zip")
    second = api.export(settings, None, user="all", out=out / "2" / "b.zip")
    a, b = _members(first.path), _members(second.path)
    assert list(a) == list(b)
    for name in a:
        if name in ("EXPORT.json", "EXPORT.txt"):
            continue
        assert a[name] == b[name], name
    cover_a, cover_b = json.loads(a["EXPORT.json"]), json.loads(b["EXPORT.json"])
    cover_a.pop("exported_at"), cover_b.pop("exported_at")
    # EXPORT.txt prints the time too, so its own checksum in the member list differs when the
    # two exports straddle a second; every other member's entry is the same.
    for cover in (cover_a, cover_b):
        cover["members"] = [m for m in cover["members"] if m["name"] != "EXPORT.txt"]
    assert cover_a == cover_b
    # The raw zip files agree up to the covers: every byte before EXPORT.txt is the same.
    with zipfile.ZipFile(first.path) as z:
        cover_offset = z.getinfo("EXPORT.txt").header_offset
    assert first.path.read_bytes()[:cover_offset] == second.path.read_bytes()[:cover_offset]
    csv1 = api.export(settings, None, user="all", out=out / "1" / "l.csv")
    csv2 = api.export(settings, None, user="all", out=out / "2" / "l.csv")
    assert csv1.path.read_bytes() == csv2.path.read_bytes()


def test_changed_and_vanished_sources_are_left_out_and_named_in_the_cover(archive):
    settings, docs, out = archive
    docs["u1"].path.write_text("altered after indexing", encoding="utf-8")
    docs["u2"].path.unlink()
    result = api.export(settings, None, user="unclassified", out=out / "b.zip")
    members = _members(result.path)
    assert "files/cong-van/u1.txt" not in members and "files/quyet-dinh/u2.txt" not in members
    assert "text/cong-van/u1.txt.txt" in members  # the indexed text is still handed over
    problems = {w["id"]: w["problem"] for w in result.warnings}
    assert "changed since indexing" in problems["u1"] and "gone" in problems["u2"]
    cover = json.loads(members["EXPORT.json"])
    assert {w["id"] for w in cover["warnings"]} == {"u1", "u2"}
    assert "NOT included" in members["EXPORT.txt"].decode("utf-8")
    manifest = [json.loads(line) for line in members["manifest.jsonl"].decode().splitlines()]
    assert all(row["file"] is None for row in manifest)
    assert api.verify_export(result.path).ok


# -- verify -----------------------------------------------------------------------------

def _flip_one_byte_of(bundle: Path, name: str) -> None:
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo(name)
    data = bytearray(bundle.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x01
    bundle.write_bytes(bytes(data))


def test_verify_passes_on_a_fresh_bundle_and_names_a_member_with_one_byte_changed(archive):
    settings, _docs, out = archive
    result = api.export(settings, None, user="all", out=out / "b.zip")
    report = api.verify_export(result.path)
    assert report.ok and report.checked == len(_members(result.path)) - 1 and report.sha256 == result.sha256
    _flip_one_byte_of(result.path, "files/quyet-dinh/t1.txt")
    report = api.verify_export(result.path)
    assert not report.ok
    assert [a["name"] for a in report.altered] == ["files/quyet-dinh/t1.txt"]
    runner = CliRunner()
    cli = runner.invoke(main, ["export", "verify", str(result.path)])
    assert cli.exit_code == 1 and "ALTERED files/quyet-dinh/t1.txt" in cli.stdout


def test_verify_names_missing_extra_and_rewritten_members(archive):
    settings, _docs, out = archive
    result = api.export(settings, None, user="all", out=out / "b.zip")
    tampered = out / "t.TUYET-MAT.zip"
    with zipfile.ZipFile(result.path) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "files/cong-van/u1.txt":
                continue  # removed
            if info.filename == "text/cong-van/s1.txt.txt":
                data = data.replace(b"n", b"N", 1)  # rewritten with a valid CRC
            target.writestr(info, data)
        target.writestr("files/extra.txt", b"slipped in")
    report = api.verify_export(tampered)
    assert report.missing == ["files/cong-van/u1.txt"]
    assert report.extra == ["files/extra.txt"]
    assert [a["name"] for a in report.altered] == ["text/cong-van/s1.txt.txt"]
    renamed = out / "renamed.zip"
    shutil.copy(result.path, renamed)
    report = api.verify_export(renamed)
    assert not report.ok and "marking" in report.problems[0] and "b.TUYET-MAT.zip" not in report.problems[0]
    not_zip = out / "x.zip"
    not_zip.write_bytes(b"hello")
    assert "not a readable zip" in api.verify_export(not_zip).problems[0]


# -- refusals, atomicity, audit ---------------------------------------------------------

def test_refuses_to_overwrite_without_force_and_replaces_with_it(archive):
    settings, _docs, out = archive
    first = api.export(settings, None, user="unclassified", out=out / "a.csv")
    before = first.path.read_bytes()
    with pytest.raises(UsageError, match="--force"):
        api.export(settings, None, user="unclassified", out=out / "a.csv")
    assert first.path.read_bytes() == before
    (out / "b.TOI-MAT.csv").write_text("mine")
    with pytest.raises(UsageError, match="--force"):  # the given name is free, the marked one is not
        api.export(settings, None, user="secret", out=out / "b.csv")
    assert (out / "b.TOI-MAT.csv").read_text() == "mine"
    forced = api.export(settings, None, user="secret", out=out / "b.csv", force=True)
    assert forced.path == out / "b.TOI-MAT.csv" and forced.path.read_text(encoding="utf-8-sig").startswith("id,")
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.TOI-MAT.csv"]  # no temporaries left


def test_refuses_an_output_inside_the_index_home(archive, tmp_path):
    settings, _docs, _out = archive
    from archsearch.engine.index import IndexHome

    generation = IndexHome.open(settings.index_dir).generation_dir
    for target in (settings.index_dir / "x.zip", generation / "x.csv"):
        with pytest.raises(UsageError, match="inside the index home"):
            api.export(settings, None, user="all", out=target)
    link = tmp_path / "link"
    link.symlink_to(settings.index_dir)
    with pytest.raises(UsageError, match="inside the index home"):
        api.export(settings, None, user="all", out=link / "x.zip")
    with pytest.raises(UsageError, match="does not exist"):
        api.export(settings, None, user="all", out=tmp_path / "nowhere" / "x.zip")


def test_export_is_audited_with_file_and_hash(archive):
    settings, _docs, out = archive
    result = api.export(settings, "kho", user="secret", out=out / "b.zip")
    record = list(AuditLog(settings.index_dir).records())[-1]
    assert record["command"] == "export" and record["user"] == "secret" and record["query"] == "kho"
    assert sorted(record["ids"]) == sorted(result.ids) == ["c1", "s1", "u1", "u2"]
    assert record["export_file"] == str(result.path) and Path(record["export_file"]).is_absolute()
    assert record["export_sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert AuditLog(settings.index_dir).verify()[1] is None


def test_an_export_that_cannot_be_audited_leaves_no_file(archive, monkeypatch):
    settings, _docs, out = archive

    def refuse(self, **fields):
        raise AuditError("disk full; the read was refused")

    monkeypatch.setattr(AuditLog, "append", refuse)
    with pytest.raises(AuditError):
        api.export(settings, None, user="all", out=out / "b.zip")
    assert list(out.iterdir()) == []


def test_a_failure_midway_leaves_no_partial_file(archive, monkeypatch):
    settings, _docs, out = archive
    calls = []

    def boom(bundle, name, path, expected):
        calls.append(name)
        if len(calls) == 3:
            raise exporting.ExportError("source changed while being exported")
        return None

    monkeypatch.setattr(exporting, "_add_original", boom)
    with pytest.raises(exporting.ExportError):
        api.export(settings, None, user="all", out=out / "b.zip")
    assert list(out.iterdir()) == []
    assert not [r for r in AuditLog(settings.index_dir).records() if r["command"] == "export"]


# -- the target directory swapped for a link (issue #12, item 7) -------------------------

def _index_files(settings: Settings) -> dict[str, str]:
    """Every file of the index's generations (the partitions): relative path -> SHA-256."""
    found = {}
    for generation in settings.index_dir.glob("gen-*"):
        for path in generation.rglob("*"):
            if path.is_file():
                found[str(path.relative_to(settings.index_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _partition(settings: Settings) -> Path:
    from archsearch.engine.index import IndexHome

    return IndexHome.open(settings.index_dir).partition_dir(Level.UNCLASSIFIED)


def _swap_to_link(directory: Path, target: Path) -> None:
    """What a hostile account that owns `directory`'s parent does: move the real directory
    aside and put a link to `target` under its name."""
    directory.rename(directory.with_name(directory.name + ".real"))
    directory.symlink_to(target, target_is_directory=True)


def _parts_left(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*") if p.name.endswith(".part")]


def test_a_directory_swapped_for_a_link_into_a_partition_after_the_check_gets_nothing(archive, monkeypatch):
    settings, _docs, out = archive
    before = _index_files(settings)
    target = out / "d"
    target.mkdir()
    planned = export_target.plan_output

    def plan_then_swap(*args, **kwargs):  # the check passes on the real directory...
        plan = planned(*args, **kwargs)
        _swap_to_link(target, _partition(settings))  # ...then it becomes a link into a partition
        return plan

    monkeypatch.setattr(export_target, "plan_output", plan_then_swap)
    for fmt in ("jsonl", "zip"):
        with pytest.raises(UsageError, match="inside the index home"):
            api.export(settings, None, user="all", out=target / f"x.{fmt}")
        target.unlink()
        (out / "d.real").rename(target)
    assert _index_files(settings) == before
    assert _parts_left(out, settings.index_dir) == [] and list(target.iterdir()) == []
    assert api.search(settings, "kho", user="all").total == 6


def test_a_component_swapped_for_a_link_after_the_path_was_resolved_is_refused(archive, monkeypatch):
    settings, _docs, out = archive
    target = out / "a" / "d"
    target.mkdir(parents=True)
    resolve = os.path.realpath
    # Found before realpath is patched: opening the index home resolves paths itself.
    generation = _partition(settings).parent

    def resolve_then_swap(path, *args, **kwargs):
        resolved = resolve(path, *args, **kwargs)
        if not (out / "a").is_symlink():
            _swap_to_link(out / "a", generation)  # a middle component this time
        return resolved

    monkeypatch.setattr(os.path, "realpath", resolve_then_swap)
    with pytest.raises(UsageError, match="changed while it was being opened"):
        export_target.open_target_directory(target, settings.index_dir)
    monkeypatch.undo()
    (out / "a").unlink()
    (out / "a.real").rename(out / "a")
    # The last component: resolved while it was a directory, a link when it is opened.
    resolved = resolve(target)
    _swap_to_link(target, generation / _partition(settings).name)
    monkeypatch.setattr(os.path, "realpath", lambda path, *args, **kwargs: resolved)
    with pytest.raises(UsageError, match="changed while it was being opened"):
        export_target.open_target_directory(target, settings.index_dir)


def test_a_directory_swapped_while_the_export_is_written_keeps_it_out_of_the_index_home(archive):
    settings, _docs, out = archive
    before = _index_files(settings)
    target = out / "d"
    target.mkdir()
    swapped = []

    def swap_on_first_document(step):
        if step.event == "document" and not swapped:
            _swap_to_link(target, _partition(settings))
            swapped.append(step.detail)

    for fmt in ("csv", "zip"):
        result = api.export(settings, None, user="all", out=target / f"x.{fmt}", progress=swap_on_first_document)
        assert swapped and result.count == 6
        assert (out / "d.real" / result.path.name).is_file()  # written where the export opened
        target.unlink()
        (out / "d.real").rename(target)
        swapped.clear()
    assert _index_files(settings) == before
    assert _parts_left(out, settings.index_dir) == []



@pytest.mark.parametrize("when", ["writing", "auditing"])
def test_ctrl_c_at_any_point_leaves_no_temporary_and_no_unaudited_file(archive, monkeypatch, when):
    settings, _docs, out = archive

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if when == "auditing":
        monkeypatch.setattr(AuditLog, "append", interrupt)
    for fmt in ("csv", "zip"):
        progress = interrupt if when == "writing" else None
        with pytest.raises(KeyboardInterrupt):
            api.export(settings, None, user="all", out=out / f"b.{fmt}", progress=progress)
        assert list(out.iterdir()) == []

def test_racing_swaps_of_the_target_directory_never_write_into_the_index_home(archive):
    import threading
    import time

    settings, _docs, out = archive
    before = _index_files(settings)
    target = out / "d"
    target.mkdir()
    partition = _partition(settings)
    stop = threading.Event()
    swaps = []

    def swapper():
        while not stop.is_set() and len(swaps) < 200:
            _swap_to_link(target, partition)
            time.sleep(0.0005)
            target.unlink()
            (out / "d.real").rename(target)
            swaps.append(1)
            time.sleep(0.0005)

    thread = threading.Thread(target=swapper)
    thread.start()
    outcomes = {"written": 0, "refused": 0}
    deadline = time.monotonic() + 10
    try:
        number = 0
        while thread.is_alive() and time.monotonic() < deadline:
            number += 1
            try:
                api.export(settings, None, user="all", out=target / f"x{number}.{'jsonl' if number % 2 else 'zip'}")
                outcomes["written"] += 1
            except UsageError:
                outcomes["refused"] += 1
    finally:
        stop.set()
        thread.join()
    assert sum(outcomes.values()) >= 5 and swaps, (outcomes, len(swaps))
    assert _index_files(settings) == before, "an export was written into the index home"
    assert _parts_left(out, settings.index_dir) == []
    assert len(list(target.iterdir())) == outcomes["written"]
    assert api.search(settings, "kho", user="all").total == 6


# -- verify on a hostile bundle (issue #12, item 10) --------------------------------------

_GiB = 2**30


def _deflated_spaces(size: int) -> tuple[bytes, int]:
    """A raw deflate stream inflating to `size` spaces (a multiple of 1 MiB), built from one
    compressed MiB repeated (each block ends with a full flush, so all are alike), and its CRC."""
    chunk = b" " * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    return block * (size // len(chunk)) + compressor.flush(), crc


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip written byte by byte: (name, deflated data, CRC, size the headers declare)."""
    import struct

    body, central = bytearray(), bytearray()
    for name, data, crc, declared in members:
        encoded = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), declared,
                               len(encoded), 0, 0, 0, 0, 0, len(body)) + encoded
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), declared,
                            len(encoded), 0) + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0)
    path.write_bytes(bytes(body + central + end))


# The peak is the process's own VmHWM: getrusage's ru_maxrss keeps the parent's peak across
# exec on Linux, so under pytest it would report pytest's size.
_VERIFY_IN_A_PROCESS = """
import json, re, sys, time
from archsearch.export.verify import verify_bundle
started = time.monotonic()
report = verify_bundle(sys.argv[1])
with open("/proc/self/status") as status:
    peak_kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
print(json.dumps({"problems": report.problems, "ok": report.ok, "seconds": time.monotonic() - started,
                  "peak_mib": peak_kib / 1024}))
"""


def _verify_in_a_process(bundle: Path) -> dict:
    import sys

    done = subprocess.run([sys.executable, "-c", _VERIFY_IN_A_PROCESS, str(bundle)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_verify_refuses_a_cover_that_inflates_to_a_gibibyte_in_little_memory(tmp_path):
    stream, crc = _deflated_spaces(_GiB)
    assert len(stream) < 2 * 2**20  # the bomb is about a megabyte on disk
    honest, lying = tmp_path / "honest.zip", tmp_path / "lying.zip"
    _raw_zip(honest, [("EXPORT.json", stream, crc, _GiB)])
    _raw_zip(lying, [("EXPORT.json", stream, crc, 1000)])  # its headers claim 1,000 bytes
    reports = {bundle.name: _verify_in_a_process(bundle) for bundle in (honest, lying)}
    for report in reports.values():
        assert not report["ok"], report
        assert report["problems"] and "EXPORT.json" in report["problems"][0], report
        assert report["peak_mib"] < 150, report  # the cover alone was 1 GiB, its text 1 GiB more
        assert report["seconds"] < 10, report
    assert "inflates to more than 67,108,864 bytes" in reports["honest.zip"]["problems"][0]
    out = CliRunner().invoke(main, ["export", "verify", str(honest)])
    assert out.exit_code == 1 and "inflates to more than" in out.output and "Traceback" not in out.output


def test_verify_checks_the_cover_size_while_reading_and_counts_members_before_parsing(tmp_path, monkeypatch):
    stream, crc = _deflated_spaces(8 * 2**20)
    bundle = tmp_path / "b.zip"
    _raw_zip(bundle, [("EXPORT.json", stream, crc, 8 * 2**20)])
    report = export_verify.verify_bundle(bundle, max_cover_bytes=2**20)
    assert report.problems == ["EXPORT.json inflates to more than 1,048,576 bytes: not an archsearch export "
                               "bundle (verify refuses to read it)"]
    # Headers that lie below the limit: never more than the limit is inflated.
    _raw_zip(bundle, [("EXPORT.json", stream, crc, 2**20 - 1)])
    inflated = []
    open_member = zipfile.ZipFile.open

    def counting_open(self, name, *args, **kwargs):
        member = open_member(self, name, *args, **kwargs)
        read = member.read

        def counted(n=-1):
            data = read(n)
            inflated.append(len(data))
            return data

        member.read = counted
        return member

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    report = export_verify.verify_bundle(bundle, max_cover_bytes=2**20)
    assert not report.ok and "EXPORT.json" in report.problems[0] and sum(inflated) <= 2**20
    monkeypatch.undo()
    # A cover of millions of tiny JSON objects (each costs tens of bytes once parsed):
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("EXPORT.json", b'{"members": [' + b"{}," * 3_000_000 + b"{}]}")
    report = export_verify.verify_bundle(bundle)
    assert report.problems == ["EXPORT.json holds far more entries than the bundle has members: not an "
                               "archsearch export bundle (verify refuses to read it)"]
    # Many members: counted from the central directory before zipfile builds an object for each.
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for number in range(50):
            archive.writestr(f"files/{number}.txt", b"x")

    def never(*args, **kwargs):
        raise AssertionError("zipfile parsed a central directory over the member limit")

    monkeypatch.setattr(export_verify.zipfile, "ZipFile", never)
    report = export_verify.verify_bundle(many, max_members=10)
    assert report.problems == ["more than 10 members: not an archsearch export bundle (verify refuses to read it)"]
    monkeypatch.undo()
    assert export_verify.verify_bundle(many, max_members=50).problems[0].startswith("no readable EXPORT.json")


def test_verify_refuses_a_fifo_or_device_without_waiting(tmp_path):
    fifo = tmp_path / "b.zip"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        report = export_verify.verify_bundle(path)
        assert report.problems == ["not a readable zip file: not a regular file"]


# -- command line -----------------------------------------------------------------------

def test_cli_export_with_and_without_query_and_verify(archive):
    settings, _docs, out = archive
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir)]
    zipped = runner.invoke(main, [*base, "export", "công nghiệp quốc phòng", "--user", "secret", "--out", str(out / "b.zip")])
    assert zipped.exit_code == 0, zipped.stderr
    assert zipped.stdout.strip() == str(out / "b.TOI-MAT.zip")
    assert "highest level secret (Tối mật)" in zipped.stderr
    listed = runner.invoke(main, [*base, "export", "--user", "all", "--out", str(out / "all.csv"), "--json"])
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["count"] == 6 and data["highest_level"] == "top-secret" and data["path"].endswith("all.TUYET-MAT.csv")
    filtered = runner.invoke(main, [*base, "export", "--user", "all", "--out", str(out / "f.jsonl"),
                                    "--collection", "cong-van", "--from", "2019-01-01", "--level", "mật"])
    assert filtered.exit_code == 0, filtered.stderr
    assert [json.loads(l)["id"] for l in Path(filtered.stdout.strip()).read_text().splitlines()] == ["k1"]
    verified = runner.invoke(main, ["export", "verify", str(out / "b.TOI-MAT.zip")])
    assert verified.exit_code == 0 and verified.stdout.startswith("OK:")
    again = runner.invoke(main, [*base, "export", "--user", "secret", "--out", str(out / "b.zip")])
    assert again.exit_code == 2 and "--force" in again.stderr
    wide = runner.invoke(main, [*base, "export", "--user", "secret", "--out", str(out / "w.csv"), "--level", "tuyệt mật"])
    assert wide.exit_code == 2 and "outside your clearance" in wide.stderr
    unknown = runner.invoke(main, [*base, "export", "--user", "secret", "--out", str(out / "w.txt")])
    assert unknown.exit_code == 2 and "--format" in unknown.stderr


def test_cli_export_exits_1_when_an_original_was_left_out(archive):
    settings, docs, out = archive
    docs["u1"].path.unlink()
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "export", "--user", "unclassified",
                                       "--out", str(out / "b.zip")])
    assert result.exit_code == 1 and "warning" in result.stderr and Path(result.stdout.strip()).exists()


# -- LibreOffice: the CSV opens with correct Vietnamese ---------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_csv_round_trips_through_libreoffice_with_vietnamese_intact(archive, tmp_path):
    settings, _docs, out = archive
    result = api.export(settings, None, user="all", out=out / "list.csv")
    expected = {r["id"]: r["title"] for r in _rows_csv(result.path)}
    work = tmp_path / "lo"
    work.mkdir()
    source = work / "list.csv"
    shutil.copy(result.path, source)
    env = {**os.environ, "HOME": str(work)}
    profile = f"-env:UserInstallation=file://{work}/profile"

    def convert(path: Path, target: str, *infilter: str) -> None:
        subprocess.run(["soffice", profile, "--headless", *infilter, "--convert-to", target, "--outdir", str(work), str(path)],
                       check=True, capture_output=True, timeout=180, env=env)

    # Headless LibreOffice (7.4) ignores the BOM and reads CSV in the system code page unless told:
    # 76 is UTF-8. The BOM is still stripped, so the first column is "id", not "\ufeffid".
    convert(source, "xlsx", "--infilter=CSV:44,34,76,1")
    (work / "list.csv").unlink()
    convert(work / "list.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76")  # 76: write UTF-8
    back = list(csv.DictReader(io.StringIO((work / "list.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert {r["id"]: r["title"] for r in back} == expected
    assert "Quyết định về điểm tập kết dự bị" in expected.values()

    (work / "list.csv").unlink()
    convert(source_copy(result.path, work), "pdf", "--infilter=CSV:44,34,76,1")
    from pdfminer.high_level import extract_text

    text = " ".join(extract_text(str(work / "list.pdf")).split())
    assert "điểm tập kết dự bị" in text and "cơ cấu nạp đạn tự động" in text


def source_copy(path: Path, work: Path) -> Path:
    target = work / "list.csv"
    shutil.copy(path, target)
    return target


# -- end to end over sample_docs/ --------------------------------------------------------

def _visible(doc: dict, user: str) -> bool:
    """The clearance rule, for the conftest users: `<level>` holds no compartment, `<level>-all` all."""
    holds_all = user.endswith("-all")
    clearance = Level.from_id(user.removesuffix("-all"))
    compartments = {c.upper() for c in doc["compartments"]}
    holds = set(ALL_COMPARTMENTS) if holds_all else set()
    return Level.from_id(doc["level"]) <= clearance and compartments <= holds


@pytest.fixture(scope="module")
def sample_bundles(sample_index, tmp_path_factory):
    settings, _ = sample_index
    out = tmp_path_factory.mktemp("bundles")
    return settings, {user: api.export(settings, None, user=user, out=out / f"{user}.zip")
                      for user in ("unclassified", "secret", "top-secret", "top-secret-all")}


def test_sample_exports_differ_exactly_by_the_documents_above_unclassified(sample_bundles, sample_expected):
    _settings, bundles = sample_bundles
    manifests = {}
    for user, result in bundles.items():
        rows = [json.loads(l) for l in _members(result.path)["manifest.jsonl"].decode().splitlines()]
        manifests[user] = {row["path"].split("/sample_docs/", 1)[1]: row for row in rows}
        assert api.verify_export(result.path).ok, user
        assert result.warnings == [], user
    everything, low = manifests["top-secret-all"], manifests["unclassified"]
    assert set(everything) == {d["path"] for d in sample_expected}
    above = {d["path"] for d in sample_expected if d["level"] != "unclassified"}
    assert set(everything) - set(low) == above
    assert set(low) <= set(everything)
    for path in low:
        assert low[path] == everything[path], path
    assert bundles["unclassified"].path.name == "unclassified.zip"
    assert bundles["top-secret-all"].path.name == "top-secret-all.TUYET-MAT.zip"
    for user, manifest in manifests.items():
        assert set(manifest) == {d["path"] for d in sample_expected if _visible(d, user)}, user


def test_no_sample_bundle_holds_a_byte_of_a_document_its_user_may_not_see(sample_bundles, sample_expected):
    settings, bundles = sample_bundles
    all_rows = {json.loads(l)["path"].split("/sample_docs/", 1)[1]: json.loads(l) for l in
                _members(bundles["top-secret-all"].path)["manifest.jsonl"].decode().splitlines()}
    for user, result in bundles.items():
        hidden = [d for d in sample_expected if not _visible(d, user)]
        if user != "top-secret-all":
            assert hidden, user
        hidden_ids = {all_rows[d["path"]]["id"] for d in hidden}
        hidden_hashes = {all_rows[d["path"]]["sha256"] for d in hidden}
        raw = result.path.read_bytes()
        leaks = [f"id {i} in the raw bundle" for i in hidden_ids if i.encode() in raw]
        for name, data in _members(result.path).items():
            text = _flat(data.decode("utf-8", errors="replace"))
            leaks += [f"{name}: phrase of {d['path']}" for d in hidden if _flat(d["phrase"]) in text]
            leaks += [f"{name}: title of {d['path']}" for d in hidden if _flat(d["title"]) in text]
            leaks += [f"{name}: id {i}" for i in hidden_ids if i in text]
            if hashlib.sha256(data).hexdigest() in hidden_hashes:
                leaks.append(f"{name}: is a hidden source file")
        assert not leaks, f"{user} bundle leaks:\n  " + "\n  ".join(leaks)


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_canary_scan_would_see_a_leak(sample_bundles, sample_expected):
    """Control for the scan above: in the all-seeing bundle, the canaries of (nearly) every
    document are found, so their absence elsewhere means something."""
    _settings, bundles = sample_bundles
    texts = [_flat(data.decode("utf-8", errors="replace"))
             for name, data in _members(bundles["top-secret-all"].path).items() if name.startswith("text/")]
    unseen = [d["path"] for d in sample_expected
              if not any(_flat(d["phrase"]) in t or _flat(d["title"]) in t for t in texts)]
    assert unseen == []


def test_csv_cells_that_look_like_formulas_stay_text():
    from archsearch.export.rows import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("Quyết định") == "Quyết định"
    assert _cell(-3.5) == "-3.5" and _cell(["A", "B"]) == "A;B"


def _patch_zip_member(path: Path, name: str, *, method: int | None = None, flags: int | None = None) -> None:
    """Rewrite one member's local and central headers in place: a compression method zipfile
    does not implement, or flag bit 0 (encrypted)."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    for signature, flags_at, method_at, name_at in ((b"PK\x03\x04", 6, 8, 30), (b"PK\x01\x02", 8, 10, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_at:start + name_at + len(raw)] == raw:
                if method is not None:
                    data[start + method_at:start + method_at + 2] = method.to_bytes(2, "little")
                if flags is not None:
                    data[start + flags_at:start + flags_at + 2] = flags.to_bytes(2, "little")
            start += 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("patch", [{"method": 99}, {"flags": 1}], ids=["compression", "encrypted"])
def test_verify_names_a_member_zipfile_cannot_read_instead_of_failing(archive, patch):
    """zipfile raises NotImplementedError for an unknown compression method and RuntimeError for
    an encrypted member: verify reports that member as altered (unreadable) and goes on."""
    settings, _docs, out = archive
    result = api.export(settings, None, user="all", out=out / "b.zip")
    member = "text/cong-van/s1.txt.txt"
    _patch_zip_member(result.path, member, **patch)
    report = api.verify_export(result.path)
    assert not report.ok and [a["name"] for a in report.altered] == [member]
    assert report.altered[0]["reason"].startswith("unreadable (")
    assert report.checked > 0 and not report.missing and not report.extra
