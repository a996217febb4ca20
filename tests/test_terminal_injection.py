"""Escape injection: a file name, a sidecar value or a document's text that carries terminal
controls (OSC window titles, CSI screen clears, C1 U+009B, bidi overrides, newlines that draw a
fake `[THƯỜNG]` line) reaches the terminal only as visible escapes, in every command that
prints it; JSON keeps the exact strings. Through the real CLI (CliRunner), no tmux needed."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch.cli.main import main
from archsearch.cli.render import printable

ESC = "\x1b"
# A file name a hostile colleague can drop into a shared collection.
HOSTILE_STEM = f"x{ESC}]0;OWNED\x07{ESC}[2J{ESC}[1;31mFAKE\n[THƯỜNG] fake"
HOSTILE_NAME = HOSTILE_STEM + ".txt"
SIDECAR = {"title": "Tiêu đề \x9b2J\u202eđảo ngược", "issuer": f"BQP{ESC}[31mĐỎ", "doc_type": f"Báo cáo{ESC}]0;T\x07",
           "doc_number": "12/BC\u2066-X"}
# Everything a terminal acts on, except the newline between the lines we print ourselves.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_printable(output: str, what: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(output)})
    assert not found, f"{what}: raw control characters reach the terminal: {found}\n{output!r}"
    fake = [line for line in output.splitlines() if line.lstrip().startswith("[THƯỜNG] fake")]
    assert not fake, f"{what}: a document drew its own line: {fake}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("escapes")
    collection = base / "kho"
    collection.mkdir()
    (collection / HOSTILE_NAME).write_text("Báo cáo kiểm tra kho thông gió số một.\n", encoding="utf-8")
    (collection / "b.txt").write_text(f"Báo cáo kho đạn{ESC}[2J và thông gió.\n", encoding="utf-8")
    (collection / "b.txt.meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (collection / f"hỏng{ESC}[2J.pdf").write_bytes(b"%PDF-1.4 not really")  # fails: its name is in FAILED lines
    draft = base / f"dự thảo{ESC}]0;OWNED\x07.txt"
    draft.write_text("kho thông gió", encoding="utf-8")
    home = base / "home"

    def run(*args):
        # color=True: click keeps escapes as it does on a terminal (off one it strips CSI only)
        result = CliRunner().invoke(main, ["--index-dir", str(home), *args], catch_exceptions=False, color=True)
        return result

    indexed = run("index", str(collection), "--jobs", "1")
    assert indexed.exit_code == 1, indexed.output  # the broken PDF
    # A compartment holding a control character is refused (normalise.compartment_name), and
    # the refusal itself reaches the terminal as visible escapes.
    refused = run("users", "add", "hoa", "--clearance", "top-secret", "--compartment", f"A{ESC}[2J")
    assert refused.exit_code == 2 and "\\x1b" in refused.stderr
    assert_printable(refused.stderr, "users add with an ESC compartment")
    assert run("users", "add", "hoa", "--clearance", "top-secret").exit_code == 0
    hits = json.loads(run("search", "kho", "--user", "hoa", "--json").stdout)["hits"]
    ids = {Path(hit["path"]).name: hit["id"] for hit in hits}
    return run, ids, draft, indexed


def test_index_progress_and_failures_are_printable(hostile):
    _, _, _, indexed = hostile
    assert "FAILED" in indexed.stderr and "hỏng\\x1b[2J.pdf" in indexed.stderr
    assert_printable(indexed.stderr, "index stderr")
    assert_printable(indexed.stdout, "index stdout")


def test_every_command_prints_document_strings_as_visible_escapes(hostile):
    run, ids, draft, _ = hostile
    hostile_id, sidecar_id = ids[HOSTILE_NAME], ids["b.txt"]
    assert run("saved", "add", "k", f"kho {ESC}]0;T\x07", "--user", "hoa", "--issuer", f"BQP{ESC}]0;T\x07").exit_code == 0
    commands = {
        "search": ["search", "kho", "--user", "hoa", "--no-color", "--facets"],
        "search --explain": ["search", f"kho {ESC}]0;T\x07", "--user", "hoa", "--explain"],
        "show (file name)": ["show", hostile_id, "--user", "hoa"],
        "show (sidecar)": ["show", sidecar_id, "--user", "hoa"],
        "similar": ["similar", sidecar_id, "--user", "hoa", "--no-color"],
        "similar --text": ["similar", "--text", str(draft), "--user", "hoa", "--no-color"],
        "status": ["status"],
        "saved list": ["saved", "list", "--user", "hoa"],
        "saved run": ["saved", "run", "k", "--user", "hoa", "--no-color"],
        "users list": ["users", "list"],
        "audit show": ["audit", "show"],
        "missing --text file": ["similar", "--text", str(draft) + "-gone", "--user", "hoa"],
    }
    failures = []
    for what, args in commands.items():
        result = run(*args)
        for stream, output in (("stdout", result.stdout), ("stderr", result.stderr)):
            try:
                assert_printable(output, f"{what} {stream}")
            except AssertionError as error:
                failures.append(str(error).splitlines()[0])
    assert not failures, "\n".join(failures)
    shown = run("show", sidecar_id, "--user", "hoa").stdout
    assert printable(SIDECAR["title"]) in shown and "BQP\\x1b[31mĐỎ" in shown and "\\u202e" in shown
    listing = run("search", "kho", "--user", "hoa", "--no-color").stdout
    assert "x\\x1b]0;OWNED\\x07\\x1b[2J\\x1b[1;31mFAKE\\x0a[THƯỜNG] fake" in listing  # visible, on its own line


def test_json_keeps_the_exact_strings_without_raw_controls(hostile):
    run, ids, _, _ = hostile
    for args in (["search", "kho", "--user", "hoa", "--json"], ["show", ids["b.txt"], "--user", "hoa", "--json"],
                 ["status", "--json"], ["users", "list", "--json"], ["audit", "show", "--json"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert_printable(result.stdout, " ".join(args))
        json.loads(result.stdout)
    doc = json.loads(run("show", ids["b.txt"], "--user", "hoa", "--json").stdout)
    assert {key: doc[key] for key in SIDECAR} == SIDECAR
    paths = {Path(hit["path"]).name for hit in json.loads(run("search", "kho", "--user", "hoa", "--json").stdout)["hits"]}
    assert HOSTILE_NAME in paths


def test_printable_escapes_each_class_of_control_and_keeps_vietnamese():
    assert printable("Quyết định số 12/QĐ") == "Quyết định số 12/QĐ"
    assert printable(f"a{ESC}b\x07c\x7fd\x9be\u202ef\u2069g\ud8ffh\ni\tj") == \
        "a\\x1bb\\x07c\\x7fd\\x9be\\u202ef\\u2069g\\ud8ffh\\x0ai\\x09j"
    assert printable(f"dòng 1\n\tdòng 2{ESC}[2J", multiline=True) == "dòng 1\n\tdòng 2\\x1b[2J"
