"""The command line, through click's CliRunner: contracts of output, JSON and exit codes."""

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch.cli.main import main

REPO = Path(__file__).resolve().parent.parent
GOOD_TEXT = """BỘ QUỐC PHÒNG
Số: 77/QĐ-BQP
TỐI MẬT
Hà Nội, ngày 05 tháng 3 năm 2020

QUYẾT ĐỊNH
Về việc kiểm kê kho niêm cất khí tài quang học

Điều 1. Tổ chức kiểm kê toàn bộ khí tài quang học niêm cất tại kho K18.
"""
PLAIN_TEXT = "CÔNG VĂN\nV/v tập huấn phòng cháy chữa cháy cho công nhân quốc phòng tại xưởng cơ khí số 3.\n"


def run(args, home, expect: int | None = 0, **kwargs):
    """The CLI's result; fails naming stderr unless it exited with `expect` (None: any code)."""
    runner = CliRunner()
    result = runner.invoke(main, ["--index-dir", str(home), *args], catch_exceptions=False, **kwargs)
    if expect is not None:
        assert result.exit_code == expect, (args, result.exit_code, result.stderr)
    return result


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def small_archive(tmp_path):
    root = tmp_path / "kho"
    root.mkdir()
    (root / "qd-77.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (root / "cv-12.txt").write_text(PLAIN_TEXT, encoding="utf-8")
    return root


def test_index_search_show_status_and_users(home, small_archive):
    result = run(["index", str(small_archive), "--jobs", "1", "--json"], home)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["indexed"], summary["failed"]) == (2, 0)
    assert set(summary) >= {"indexed", "unchanged", "failed", "seconds"}

    assert run(["users", "add", "hoa", "--clearance", "Tối mật"], home).exit_code == 0
    assert run(["users", "add", "lan", "--clearance", "thuong"], home).exit_code == 0
    listed = json.loads(run(["users", "list", "--json"], home).stdout)
    assert {u["name"]: u["clearance"] for u in listed} == {"hoa": "secret", "lan": "unclassified"}

    result = run(["search", "\"khí tài quang học\"", "--user", "hoa", "--json"], home)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["query", "user", "total", "hits"]
    assert data["total"] == 1
    hit = data["hits"][0]
    assert list(hit) == ["rank", "score", "id", "path", "title", "classification", "doc_number", "date", "snippet"]
    assert hit["classification"] == "secret" and hit["doc_number"] == "77/QĐ-BQP" and hit["date"] == "2020-03-05"
    assert Path(hit["path"]).is_absolute() and "«" in hit["snippet"]

    # The unclassified user learns nothing about it: no hit, no count, no show.
    low = run(["search", "\"khí tài quang học\"", "--user", "lan", "--json"], home)
    assert json.loads(low.stdout)["total"] == 0
    hidden = run(["show", hit["id"], "--user", "lan"], home, expect=None)
    missing = run(["show", "000000000000", "--user", "lan"], home, expect=None)
    assert hidden.exit_code == missing.exit_code != 0
    assert hidden.stderr.replace(hit["id"], "ID") == missing.stderr.replace("000000000000", "ID")
    assert hidden.stdout == missing.stdout == ""

    shown = run(["show", hit["id"], "--user", "hoa", "--json"], home)
    assert "kho K18" in json.loads(shown.stdout)["text"]

    text = run(["search", "khi tai quang hoc", "--user", "hoa"], home)
    assert "[TỐI MẬT]" in text.stdout and "77/QĐ-BQP" in text.stdout

    status = json.loads(run(["status", "--json"], home).stdout)
    assert status["per_level"]["secret"] == 1 and status["per_level"]["unclassified"] == 1
    assert status["last_run"]["indexed"] == 2


def test_unknown_user_gets_a_clear_error_and_nothing_else(home, small_archive):
    run(["index", str(small_archive), "--jobs", "1"], home)
    result = run(["search", "kho", "--user", "mallory"], home, expect=3)
    assert result.exit_code == 3
    assert result.stdout == "" and "unknown user 'mallory'" in result.stderr


def test_unknown_level_is_a_usage_error(home):
    result = run(["users", "add", "x", "--clearance", "siêu mật"], home, expect=2)
    assert result.exit_code == 2 and "unknown classification level" in result.stderr


def test_search_before_any_index_says_what_to_do(home):
    result = run(["search", "kho", "--user", "x"], home, expect=5)
    assert result.exit_code == 5 and "archsearch index" in result.stderr


def test_bad_batch_indexes_good_files_lists_bad_ones_and_exits_1(home, tmp_path, small_archive):
    (small_archive / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nstream\x00\x01garbage")
    (small_archive / "empty.txt").write_bytes(b"")
    (small_archive / "not-really.pdf").write_text("Đây là văn bản thường, không phải PDF.", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("bí mật ngoài kho lưu trữ", encoding="utf-8")
    os.symlink(outside, small_archive / "link-out.txt")
    result = run(["index", str(small_archive), "--jobs", "2"], home, expect=1)
    assert result.exit_code == 1
    for name, reason in [
        ("corrupt.pdf", r"PDF|pdf"),
        ("empty.txt", r"empty file"),
        ("not-really.pdf", r"named \.pdf but the content is text/plain"),
        ("link-out.txt", r"outside the collection"),
    ]:
        line = next((l for l in result.stderr.splitlines() if name in l and l.startswith("FAILED")), None)
        assert line and re.search(reason, line), (name, result.stderr)
    assert "indexed 2, unchanged 0, failed 4" in result.stdout
    run(["users", "add", "t", "--clearance", "top-secret"], home)
    found = json.loads(run(["search", "quang học", "--user", "t", "--json"], home).stdout)
    assert found["total"] == 1
    nothing = json.loads(run(["search", "ngoài kho lưu trữ", "--user", "t", "--json"], home).stdout)
    assert all("outside" not in h["path"] for h in nothing["hits"])


def _commands(group, prefix=()):
    """Every leaf command of the CLI, as its words ("users add")."""
    import click

    context = click.Context(group)  # commands are loaded when asked for (cli.main.Group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        words = (*prefix, name)
        if isinstance(command, click.Group) and command.list_commands(context):
            yield from _commands(command, words)
        else:
            yield " ".join(words)


def test_every_command_is_in_the_readme_and_has_help():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = sorted({*_commands(main), "export verify"})  # export takes QUERY or the word verify
    assert {"index", "search", "show", "status", "users add", "users list", "audit verify", "audit show",
            "cache clear", "export", "export verify"} <= set(commands)
    for command in commands:
        assert f"archsearch {command}" in readme, command
        result = CliRunner().invoke(main, [*command.split(), "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command


# -- hostile input gets a message and an exit code, never a traceback, and leaves no .tmp -------
@pytest.fixture
def searchable(tmp_path):
    from archsearch import api
    from archsearch.config import Settings
    from archsearch.levels import Level

    from .helpers import build_index, make_document

    home = tmp_path / "home"
    build_index(home, [make_document("aaa", "báo cáo kho đạn", Level.UNCLASSIFIED)])
    api.add_user(Settings.from_env(home), "hoa", "secret")
    assert run(["search", "kho", "--user", "hoa"], home).exit_code == 0  # one audit record to compare with
    return home


def _state(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()
            and not p.name.startswith("MAIN_WRITELOCK")}


def _stray_tmp(home: Path) -> list[str]:
    return [str(p) for p in home.rglob("*") if p.name.endswith((".tmp", ".part"))]


@pytest.mark.parametrize("query", [
    "(" * 400 + "kho" + ")" * 400,
    "-(" * 300 + "kho" + ")" * 300,
    "kho " + "NOT " * 200 + "đạn",
    "kho " + "(" * 17 + "đạn" + ")" * 17,
])
def test_deeply_nested_query_is_a_usage_error(searchable, query):
    result = run(["search", "--user", "hoa", "--", query], searchable, expect=2)  # a traceback raises here
    assert result.exit_code == 2 and "nests parentheses or NOT more than 16 deep" in result.stderr, result.output
    assert "Traceback" not in result.output


def test_nesting_up_to_the_bound_still_searches(searchable):
    result = run(["search", "--user", "hoa", "--json", "--", "(" * 16 + "kho" + ")" * 16], searchable)
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] == 1


@pytest.mark.parametrize("args", [
    [b"search", b"kho \xff", b"--user", b"hoa"],
    [b"saved", b"add", b"s1", b"kho \xff\xfe", b"--user", b"hoa"],
    [b"show", b"\xffaaa", b"--user", b"hoa"],
])
def test_invalid_utf8_in_argv_is_refused_before_anything_is_written(searchable, args):
    """Undecodable bytes reach Python as lone surrogates: the audit write raised
    UnicodeEncodeError with a traceback, and `saved add` left saved.json.tmp behind."""
    import subprocess
    import sys

    before = _state(searchable)
    completed = subprocess.run([sys.executable, "-m", "archsearch.cli.main", b"--index-dir", bytes(searchable), *args],
                               capture_output=True, timeout=60)
    stderr = completed.stderr.decode("utf-8")
    assert completed.returncode == 2 and "is not valid UTF-8" in stderr and "\\xff" in stderr, stderr
    assert "Traceback" not in stderr and not _stray_tmp(searchable)
    assert _state(searchable) == before  # no audit record, no saved search, nothing


def test_text_that_is_not_unicode_never_leaves_a_tmp_file_through_the_api(searchable):
    from archsearch import api
    from archsearch.trust.audit import AuditError, AuditLog
    from archsearch.config import Settings
    from archsearch.errors import UsageError

    settings = Settings.from_env(searchable)
    before = _state(searchable)
    with pytest.raises(UsageError, match="not valid Unicode"):
        api.saved_add(settings, "s1", "kho \udcff", user="hoa")
    with pytest.raises(AuditError, match="not valid Unicode"):
        AuditLog(searchable).append(user="hoa", command="search", query="kho \udcff")
    assert _state(searchable) == before and not _stray_tmp(searchable)
    assert AuditLog(searchable).verify() == (1, None)


@pytest.mark.parametrize("segments", [{"a": 1}, [1, 2], "MAIN_x", None])
def test_a_partition_whose_table_of_contents_is_damaged_is_a_clear_error(searchable, segments):
    """A TOC (owned by the right account) that unpickles to the wrong types once ended in a
    TypeError or KeyError deep inside a search."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from archsearch.engine.index import SCHEMA

    current = json.loads((searchable / "current.json").read_text())["generation"]
    storage = FileStorage(str(searchable / current / "unclassified"))
    toc = TOC.read(storage, "MAIN", schema=SCHEMA)
    toc.segments, toc.generation = segments, toc.generation + 1
    toc.write(storage, "MAIN")
    for args in (["search", "kho", "--user", "hoa"], ["show", "aaa", "--user", "hoa"], ["index", str(searchable.parent / "nothing")]):
        if args[0] == "index":
            (searchable.parent / "nothing").mkdir(exist_ok=True)
        result = run(args, searchable, expect=5)
        # With no earlier commit whose change list survives, the fall back (durable.py) refuses too.
        assert "partition unclassified is damaged" in result.stderr and "TypeError" in result.stderr
        assert "rebuild with `archsearch index --full`" in result.stderr and "Traceback" not in result.output


def test_a_cache_write_that_fails_half_way_leaves_no_tmp(tmp_path, monkeypatch):
    from archsearch.ingest.cache import ExtractionCache
    from archsearch.records import Extracted, PageText

    cache = ExtractionCache(tmp_path, "vie")
    extracted = Extracted(mime="text/plain", pages=[PageText(number=1, text="kho")])

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:  # the disk fills while the entry is written
        patched.setattr(os, "write", full_disk)
        cache.put("ab" * 32, extracted)
    assert not _stray_tmp(tmp_path) and cache.get("ab" * 32) is None


def test_show_lists_compartment_names_holding_commas_unambiguously(home, tmp_path):
    """A comma is part of a compartment name ("CNQP-A,CNQP-B" is one name), so names are
    listed with "; " (the one character no name may hold): one name with a comma and two
    names never print alike."""
    root = tmp_path / "ngan"
    root.mkdir()
    for name, compartments in [("mot.txt", ["CNQP-A, CNQP-B"]), ("hai.txt", ["CNQP-A", "CNQP-B"])]:
        (root / name).write_text(PLAIN_TEXT, encoding="utf-8")
        (root / f"{name}.meta.json").write_text(json.dumps({"compartments": compartments}), encoding="utf-8")
    run(["index", str(root), "--jobs", "1"], home)
    run(["users", "add", "hoa", "--clearance", "secret", "--compartment", "CNQP-A, CNQP-B",
         "--compartment", "CNQP-A", "--compartment", "CNQP-B"], home)
    found = json.loads(run(["search", "tập huấn", "--user", "hoa", "--json"], home).stdout)["hits"]
    ids = {Path(h["path"]).name: h["id"] for h in found}
    assert set(ids) == {"mot.txt", "hai.txt"}
    shown = {name: next(line for line in run(["show", doc_id, "--user", "hoa"], home).stdout.splitlines()
                        if "compartments" in line) for name, doc_id in ids.items()}
    assert shown["mot.txt"].split()[-2:] == ["CNQP-A,", "CNQP-B"]
    assert shown["hai.txt"].split()[-2:] == ["CNQP-A;", "CNQP-B"]
