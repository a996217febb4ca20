"""Hostile and broken input through `api.index`, end to end: each bad file gets a clear reason of
its own, the batch goes on, nothing hangs, and what was indexed before still answers.

The extractor-level behaviour is pinned in tests/test_extract_*.py; here every case goes through
discovery, the worker pool, metadata, the writer and the catalog.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import stat
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from archsearch import api
from archsearch.ingest import stages as ingest
from archsearch.config import Settings
from archsearch.ingest.extract import ExtractLimits
from archsearch.engine.index import IndexHome

GOOD = "BỘ QUỐC PHÒNG\nCÔNG VĂN\nV/v {word}\n\nNội dung về {word} trong kho lưu trữ quốc phòng.\n"
DEADLINE = 60  # seconds for any one indexing run below; a hang fails instead of stalling CI
LIMITS = ExtractLimits(max_docx_uncompressed=4 * 2**20, max_file_bytes=64 * 2**20, ocr_timeout=30)


@contextlib.contextmanager
def deadline(seconds: int = DEADLINE):
    def expired(signum, frame):
        raise TimeoutError(f"indexing did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- hostile files, built cheaply ---------------------------------------------------------------
def pdf_bytes(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF written by hand from numbered object bodies, with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    size = max(objects) + 1
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % size + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


_CONTENT = b"BT /F1 12 Tf 72 720 Td (Trang trong kho) Tj ET"
_COMMON = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
           3: b"<< /Length %d >>\nstream\n" % len(_CONTENT) + _CONTENT + b"\nendstream",
           4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}


def _page(parent: int) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>" % parent)


def pdf_count_lie() -> bytes:
    """One page under a page tree that declares a million."""
    return pdf_bytes({**_COMMON, 2: b"<< /Type /Pages /Kids [5 0 R] /Count 1000000 >>", 5: _page(2)})


def pdf_million_shared_pages(fan: int = 1000) -> bytes:
    """A million page references (1000 x 1000) through two shared page-tree nodes: 12 KB."""
    return pdf_bytes({**_COMMON,
                      2: b"<< /Type /Pages /Kids [" + b"6 0 R " * fan + b"] /Count %d >>" % (fan * fan),
                      6: b"<< /Type /Pages /Parent 2 0 R /Kids [" + b"5 0 R " * fan + b"] /Count %d >>" % fan,
                      5: _page(6)})


def pdf_many_pages(count: int) -> bytes:
    """`count` distinct pages sharing one content stream."""
    objects = dict(_COMMON)
    for i in range(count):
        objects[10 + i] = _page(2)
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (10 + i) for i in range(count)) + b"] /Count %d >>" % count
    return pdf_bytes(objects)


def pdf_tree_loop() -> bytes:
    """A page-tree node whose /Kids refer back to its parent."""
    return pdf_bytes({**_COMMON, 2: b"<< /Type /Pages /Kids [6 0 R] /Count 2 >>",
                      6: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 5 0 R] /Count 2 >>", 5: _page(6)})


def pdf_self_loop() -> bytes:
    return pdf_bytes({**_COMMON, 2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"})


def fpdf_text(text: str, **encryption) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """One page that is only an image of text: it needs OCR."""
    image = Image.new("L", (1240, 1754), 255)  # the whole A4 page: a scan
    from PIL import ImageDraw

    ImageDraw.Draw(image).text((40, 120), "KHO LUU TRU QUOC PHONG", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210)
    return bytes(pdf.output())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width x height; its pixel data is a few bytes of nothing."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def docx_bomb(inflated: int) -> bytes:
    """A DOCX whose document.xml inflates to `inflated` bytes (a few KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        with archive.open("word/document.xml", "w") as member:
            member.write(head)
            block = b" " * 2**20
            for _ in range(inflated // len(block)):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


# Each hostile file, and what the per-file failure (or warning) must say. None: indexed.
HOSTILE: dict[str, tuple[object, str | None]] = {
    "truncated.pdf": (lambda: fpdf_text("Văn bản bị cắt ngang".encode("ascii", "ignore").decode())[:400], r"truncated or corrupt PDF"),
    "encrypted.pdf": (lambda: fpdf_text("mat khau", owner_password="chu", user_password="mat"), r"encrypted PDF"),
    "million-pages.pdf": (pdf_million_shared_pages, None),  # a million references to one page: one page
    "count-lie.pdf": (pdf_count_lie, None),  # /Count says a million, the tree holds one page
    "too-many-pages.pdf": (lambda: pdf_many_pages(2100), r"too many pages \(2100 > 2000\)"),
    "page-tree-loop.pdf": (pdf_tree_loop, None),  # the loop is cut; the one real page is read
    "page-tree-self-loop.pdf": (pdf_self_loop, r"truncated or corrupt PDF: no pages found"),
    "bomb.png": (lambda: png_header_only(200_000, 200_000), r"image too large"),
    "bomb.docx": (lambda: docx_bomb(8 * 2**20), r"DOCX too large: word/document.xml exceeds the uncompressed limit"),
    "junk.txt": (lambda: bytes(range(256)) * 64, r"unsupported file type|binary content"),
    "nul-bytes.txt": (lambda: "Văn bản có byte NUL".encode() + b"\x00\x00\x00" + b"tail" * 100, r"unsupported file type|binary content"),
    "png-named.pdf": (lambda: png_header_only(10, 10), r"named \.pdf but the content is image/png"),
    "empty.txt": (lambda: b"", r"empty file"),
}


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    """A good file indexed first; then one batch of every hostile file plus another good file,
    through worker processes. Returns (settings, batch directory, summary, seconds)."""
    base = tmp_path_factory.mktemp("hostile")
    settings = Settings.from_env(base / "home", jobs=2, limits=LIMITS)
    first = base / "first"
    first.mkdir()
    (first / "good-before.txt").write_text(GOOD.format(word="trướcđó"), encoding="utf-8")
    assert api.index(settings, [first]).indexed == 1
    batch = base / "batch"
    batch.mkdir()
    for name, (build, _reason) in HOSTILE.items():
        (batch / name).write_bytes(build())
    # UTF-8 with a stray byte and a multi-byte character cut off at the end: indexed, with a warning.
    (batch / "invalid-utf8.txt").write_bytes(GOOD.format(word="hỏngmã").encode() + b"\xff" + "Đoạn cuối bị cắt: ư".encode()[:-1])
    (batch / "good-after.txt").write_text(GOOD.format(word="sauđó"), encoding="utf-8")
    started = time.monotonic()
    with deadline():
        summary = api.index(settings, [batch])
    api.add_user(settings, "top", "top-secret")
    return settings, batch, summary, time.monotonic() - started


def _failure(summary, path: Path) -> dict | None:
    return next((f for f in summary.failures if f["path"] == str(path)), None)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_gets_its_own_clear_outcome(hostile_batch, name):
    settings, batch, summary, _ = hostile_batch
    expected = HOSTILE[name][1]
    failure = _failure(summary, batch / name)
    if expected is None:
        assert failure is None, failure
    else:
        assert failure is not None, (name, summary.failures)
        assert re.search(expected, failure["reason"]), failure
        assert "Traceback" not in failure["reason"] and "unexpected" not in failure["reason"]


def test_hostile_batch_loses_nothing_and_indexes_the_rest(hostile_batch):
    settings, batch, summary, seconds = hostile_batch
    failed = {Path(f["path"]).name for f in summary.failures}
    assert failed == {name for name, (_, reason) in HOSTILE.items() if reason is not None}
    assert summary.indexed == 1 + 1 + sum(1 for _, reason in HOSTILE.values() if reason is None)  # + invalid-utf8
    for word in ("trướcđó", "sauđó", "hỏngmã"):
        assert api.search(settings, word, user="top").total == 1, word
    assert any(w["path"].endswith("invalid-utf8.txt") and "U+FFFD (decoded as utf-8)" in w["warning"] for w in summary.warnings)
    assert seconds < DEADLINE
    home = IndexHome.open(settings.index_dir)
    with home.catalog() as catalog:
        assert len(catalog.entries()) == sum(home.partition_counts().values()) == summary.indexed + 1


def test_huge_file_is_refused_by_size_before_it_is_read(tmp_path, monkeypatch):
    """A 4 GB (sparse) file over the limit: refused from its size, never hashed or read."""
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    source = tmp_path / "kho"
    source.mkdir()
    (source / "good.txt").write_text(GOOD.format(word="nhỏgọn"), encoding="utf-8")
    with open(source / "huge.txt", "wb") as handle:
        handle.truncate(4 * 2**30)
    read = []
    real = ingest.hash_file
    monkeypatch.setattr(ingest, "hash_file", lambda path: read.append(path.name) or real(path))
    with deadline(30):
        summary = api.index(settings, [source])
    assert _failure(summary, source / "huge.txt")["reason"] == f"file too large ({4 * 2**30} bytes > limit {512 * 2**20})"
    assert "huge.txt" not in read and summary.indexed == 1
    small = Settings.from_env(tmp_path / "home2", jobs=1, limits=ExtractLimits(max_file_bytes=100))
    refused = api.index(small, [source])
    assert {Path(f["path"]).name for f in refused.failures} == {"good.txt", "huge.txt"}
    assert re.search(r"file too large \(\d+ bytes > limit 100\)", refused.failures[0]["reason"])


# -- metadata: sidecars and manifests ----------------------------------------------------------
def index_first_then(tmp_path, make_batch, **settings_overrides):
    """Index one good file, then the batch `make_batch(directory)` builds; returns
    (settings, batch directory, summary of the batch run). The first file must still answer."""
    settings = Settings.from_env(tmp_path / "home", jobs=1, **settings_overrides)
    first = tmp_path / "first"
    first.mkdir()
    (first / "good-before.txt").write_text(GOOD.format(word="trướcđó"), encoding="utf-8")
    api.index(settings, [first])
    batch = tmp_path / "batch"
    batch.mkdir()
    make_batch(batch)
    with deadline():
        summary = api.index(settings, [batch])
    api.add_user(settings, "top", "top-secret")
    api.add_user(settings, "low", "unclassified")
    assert api.search(settings, "trướcđó", user="top").total == 1
    return settings, batch, summary


def test_malformed_sidecars_fail_their_document_only(tmp_path):
    def make(batch):
        for name, sidecar in [("bad-json.txt", b'{"classification": "M\xe1\xba\xadt",'), ("not-object.txt", b"[1, 2]"),
                              ("not-utf8.txt", b'{"title": "\xff"}'), ("dup-key.txt", b'{"title": "a", "title": "b"}')]:
            (batch / name).write_text(GOOD.format(word=name[:-4]), encoding="utf-8")
            (batch / f"{name}.meta.json").write_bytes(sidecar)
        (batch / "fine.txt").write_text(GOOD.format(word="ổnđịnh"), encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    reasons = {Path(f["path"]).name: (f["stage"], f["reason"]) for f in summary.failures}
    assert set(reasons) == {"bad-json.txt", "not-object.txt", "not-utf8.txt", "dup-key.txt"}
    assert all(stage == "metadata" for stage, _ in reasons.values())
    assert "invalid JSON" in reasons["bad-json.txt"][1] and "not UTF-8" in reasons["not-utf8.txt"][1]
    assert "expected a JSON object" in reasons["not-object.txt"][1] and "duplicate key" in reasons["dup-key.txt"][1]
    assert summary.indexed == 1 and api.search(settings, "ổnđịnh", user="low").total == 1


def test_manifest_rows_outside_the_collection_or_malformed_never_lower_a_level(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(GOOD.format(word="bênngoài"), encoding="utf-8")

    def make(batch):
        (batch / "a.txt").write_text(GOOD.format(word="mộtcái"), encoding="utf-8")
        (batch / "b.txt").write_text(GOOD.format(word="haicái"), encoding="utf-8")
        (batch / "c.txt").write_text(GOOD.format(word="bacái"), encoding="utf-8")
        (batch / "manifest.csv").write_text(
            "path,classification,compartments,date\n"
            "a.txt,Siêu mật,,\n"                      # unknown level: the strictest
            f"{outside},thường,,\n"                   # absolute path outside: ignored
            "../outside.txt,thường,,\n"               # .. outside: ignored
            "sub/../../outside.txt,thường,,\n"
            "b.txt,mật,,31/02/2020\n"                 # bad date: a warning, the level stands
            "c.txt,thường,,,extra,cells\n",           # too many cells
            encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    warnings = " | ".join(w["warning"] for w in summary.warnings)
    assert "absolute path" in warnings and warnings.count("escapes the manifest's directory") >= 2
    assert "treated as top-secret" in warnings
    assert api.search(settings, "mộtcái", user="low").total == 0 and api.search(settings, "mộtcái", user="top").total == 1
    assert api.search(settings, "haicái", user="low").total == 0
    assert api.search(settings, "bênngoài", user="top").total == 0  # never indexed through the manifest
    assert summary.failed == 0 or all("manifest" in f["reason"] for f in summary.failures)


def test_unreadable_manifest_fails_the_documents_it_covers(tmp_path):
    def make(batch):
        (batch / "a.txt").write_text(GOOD.format(word="mộtcái"), encoding="utf-8")
        (batch / "manifest.csv").write_bytes(b"path,classification\na.txt,T\xff\xfei m\xe1t\n")

    settings, batch, summary = index_first_then(tmp_path, make)
    assert [Path(f["path"]).name for f in summary.failures] == ["a.txt"]
    assert "not UTF-8" in summary.failures[0]["reason"]
    assert api.search(settings, "mộtcái", user="top").total == 0


MALFORMED_COMPARTMENTS = {  # sidecar value -> what the failure must say
    "dict": ({"CNQP-A": True}, "expected a list of names, got dict"),
    "objects": ([{"name": "CNQP-A"}], "must be text, not dict"),
    "true": (True, "expected a list of names, got bool"),
    "string": ("CNQP-A", "expected a list of names, got str"),
    "comma": ([","], "holds no letter or digit"),
    "nbsp": (["\u00a0"], "empty compartment name"),
    "empty": ([""], "empty compartment name"),
    "escape": (["CNQP-A\x1b[2J"], "U+001B"),
}


def test_malformed_compartments_fail_their_document_and_never_widen_it(tmp_path):
    # issue 12 item 4: each of these indexed with no compartment, visible to every Mật user
    def make(batch):
        for name, (value, _) in MALFORMED_COMPARTMENTS.items():
            (batch / f"{name}.txt").write_text(GOOD.format(word=f"ngăn{name}"), encoding="utf-8")
            (batch / f"{name}.txt.meta.json").write_text(
                json.dumps({"classification": "Mật", "compartments": value}), encoding="utf-8")
        for name in ("row-trailing", "row-blank"):
            (batch / f"{name}.txt").write_text(GOOD.format(word=f"ngăn{name}"), encoding="utf-8")
        (batch / "manifest.csv").write_text(
            "path,classification,compartments\nrow-trailing.txt,Mật,CNQP-A;\nrow-blank.txt,Mật,CNQP-A;\u00a0;HN\n",
            encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    reasons = {Path(f["path"]).stem: f["reason"] for f in summary.failures}
    assert set(reasons) == set(MALFORMED_COMPARTMENTS) | {"row-trailing", "row-blank"}
    for name, (_, problem) in MALFORMED_COMPARTMENTS.items():
        assert reasons[name].startswith(f"sidecar {name}.txt.meta.json: compartments: ") and problem in reasons[name]
    assert "row 2: compartments: empty compartment name" in reasons["row-trailing"]
    assert "row 3: compartments: empty compartment name" in reasons["row-blank"]
    assert summary.indexed == 0
    api.add_user(settings, "mat", "confidential")
    api.add_user(settings, "mat-a", "confidential", ["CNQP-A"])
    for user in ("mat", "mat-a", "top"):
        assert api.search(settings, "ngăn", user=user).total == 0
        for name in reasons:
            assert api.search(settings, f"ngăn{name}", user=user).total == 0


def test_a_comma_inside_a_compartment_name_is_one_compartment(tmp_path):
    # issue 12 item 4: "CNQP-A,CNQP-B" was split into two, so holders of A and B saw it
    def make(batch):
        (batch / "c.txt").write_text(GOOD.format(word="dấuphẩy"), encoding="utf-8")
        (batch / "c.txt.meta.json").write_text(
            json.dumps({"classification": "Mật", "compartments": ["CNQP-A,CNQP-B"]}), encoding="utf-8")
        (batch / "m.txt").write_text(GOOD.format(word="dòngphẩy"), encoding="utf-8")
        (batch / "manifest.csv").write_text('path,classification,compartments\nm.txt,Mật,"cnqp-a,cnqp-b"\n',
                                            encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    assert summary.failed == 0 and summary.indexed == 2
    api.add_user(settings, "a", "confidential", ["CNQP-A"])
    api.add_user(settings, "ab", "confidential", ["CNQP-A", "CNQP-B"])
    api.add_user(settings, "ab-and-more", "top-secret", ["CNQP-A", "CNQP-B", "CNQP"])
    api.add_user(settings, "named", "confidential", [" Cnqp-A,cnqp-b "])
    for word in ("dấuphẩy", "dòngphẩy"):
        for user in ("a", "ab", "ab-and-more", "top"):
            assert api.search(settings, word, user=user).total == 0, (word, user)
        hits = api.search(settings, word, user="named")
        assert hits.total == 1
        assert api.show(settings, hits.hits[0].id, user="named").compartments == ["CNQP-A,CNQP-B"]


def test_an_index_that_split_compartments_on_commas_is_refused_with_the_rebuild_message(tmp_path):
    # schema 6 stores compartments as exact names; a schema-5 home must be rebuilt, not misread
    import shutil
    from click.testing import CliRunner
    from archsearch.cli.main import main

    home = tmp_path / "home"
    shutil.copytree(Path(__file__).parent / "data" / "index-schema5" / "home", home)
    result = CliRunner().invoke(main, ["--index-dir", str(home), "search", "kho", "--user", "top-secret"])
    assert result.exit_code == 5 and isinstance(result.exception, SystemExit)  # a clear error, no traceback
    assert "schema version 5" in result.stderr and "rebuild it with `archsearch index --full" in result.stderr


def test_a_second_manifest_never_lowers_a_level(tmp_path):
    # issue 12 item 3: the nearer manifest won, so col/sub/manifest.csv lowered col/manifest.csv
    def make(batch):
        (batch / "sub").mkdir()
        (batch / "sub" / "x.txt").write_text(GOOD.format(word="lồngnhau"), encoding="utf-8")
        (batch / "manifest.csv").write_text("path,classification,compartments\nsub/x.txt,Tối mật,CNQP-A\n",
                                            encoding="utf-8")
        (batch / "sub" / "manifest.csv").write_text("path,classification,compartments\nx.txt,Thường,\n",
                                                    encoding="utf-8")
        (batch / "case").mkdir()
        (batch / "case" / "y.txt").write_text(GOOD.format(word="haitệp"), encoding="utf-8")
        (batch / "case" / "MANIFEST.CSV").write_text("path,classification\ny.txt,Tối mật\n", encoding="utf-8")
        (batch / "case" / "manifest.csv").write_text("path,classification\ny.txt,Thường\n", encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    api.add_user(settings, "secret-a", "secret", ["CNQP-A"])
    api.add_user(settings, "secret", "secret")
    assert api.search(settings, "lồngnhau", user="low").total == 0
    assert api.search(settings, "lồngnhau", user="secret").total == 0  # the outer compartment holds too
    assert api.search(settings, "lồngnhau", user="secret-a").total == 1
    # two spellings in one directory: the files under it fail, and neither manifest is a document
    assert [Path(f["path"]).name for f in summary.failures] == ["y.txt"]
    assert "2 manifests in one directory (MANIFEST.CSV, manifest.csv)" in summary.failures[0]["reason"]
    assert summary.indexed == 1
    assert api.search(settings, "haitệp", user="top").total == 0
    assert api.search(settings, "path classification", user="top").total == 0


def test_links_out_dangling_and_loops_are_reported_and_never_followed(tmp_path):
    secret = tmp_path / "secret-outside.txt"
    secret.write_text(GOOD.format(word="ngoàicây"), encoding="utf-8")

    def make(batch):
        (batch / "real.txt").write_text(GOOD.format(word="thậtsự"), encoding="utf-8")
        os.symlink(secret, batch / "out.txt")
        os.symlink(batch / "nowhere.txt", batch / "dangling.txt")
        os.symlink(batch / "loop-b.txt", batch / "loop-a.txt")
        os.symlink(batch / "loop-a.txt", batch / "loop-b.txt")
        os.symlink(batch / "self.txt", batch / "self.txt")
        os.symlink(batch / "real.txt", batch / "alias.txt")  # inside: indexed once, by its target
        (batch / "sub").mkdir()
        os.symlink(batch, batch / "sub" / "up")  # a directory loop
        os.symlink(tmp_path, batch / "sub" / "out-dir")
        os.mkfifo(batch / "fifo.txt")  # would block a naive reader forever

    settings, batch, summary = index_first_then(tmp_path, make)
    reasons = {Path(f["path"]).name: f["reason"] for f in summary.failures}
    assert "outside the collection" in reasons["out.txt"] and "outside the collection" in reasons["out-dir"]
    for name in ("dangling.txt", "loop-a.txt", "loop-b.txt", "self.txt"):
        assert reasons[name] == "broken symbolic link or link loop", (name, reasons)
    assert "up" not in reasons  # a directory link back into the tree: walked already, so skipped
    assert "not a regular file" in reasons["fifo.txt"]
    assert summary.indexed == 1
    assert api.search(settings, "ngoàicây", user="top").total == 0 and api.search(settings, "thậtsự", user="top").total == 1


# -- files that move under the indexer -----------------------------------------------------------
def test_file_that_vanishes_during_indexing(tmp_path, monkeypatch):
    real = ingest.detect_mime

    def vanish(path):
        if path.name == "gone.txt":
            path.unlink()
        return real(path)

    monkeypatch.setattr(ingest, "detect_mime", vanish)

    def make(batch):
        (batch / "gone.txt").write_text(GOOD.format(word="biếnmất"), encoding="utf-8")
        (batch / "stays.txt").write_text(GOOD.format(word="ởlại"), encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    assert [(Path(f["path"]).name, f["reason"]) for f in summary.failures] == [
        ("gone.txt", "the file vanished while it was being indexed")]
    assert summary.indexed == 1 and api.search(settings, "biếnmất", user="top").total == 0


def test_file_that_changes_during_indexing_is_not_indexed_half_read(tmp_path, monkeypatch):
    real = ingest.extract

    def change(path, kind, limits, mime=None):
        result = real(path, kind, limits, mime=mime)
        if path.name == "moving.txt":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("Đoạn thêm sau khi đọc.\n")
        return result

    monkeypatch.setattr(ingest, "extract", change)

    def make(batch):
        (batch / "moving.txt").write_text(GOOD.format(word="đangsửa"), encoding="utf-8")
        (batch / "stays.txt").write_text(GOOD.format(word="ởlại"), encoding="utf-8")

    settings, batch, summary = index_first_then(tmp_path, make)
    assert [(Path(f["path"]).name, f["reason"]) for f in summary.failures] == [
        ("moving.txt", "the file changed while it was being read; it will be indexed on the next run")]
    monkeypatch.setattr(ingest, "extract", real)
    again = api.index(Settings.from_env(settings.index_dir, jobs=1), [batch])
    assert again.indexed == 1 and api.search(settings, "đangsửa", user="top").total == 1


# -- Tesseract missing or hanging -------------------------------------------------------------
def fake_tesseract(tmp_path: Path, body: str) -> str:
    script = tmp_path / "tesseract"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize("how", ["missing", "timeout"])
def test_tesseract_missing_or_hanging_marks_pages_unocrd_and_fails_images(tmp_path, how):
    if how == "missing":
        limits = ExtractLimits(tesseract="/nonexistent/tesseract")
        expected = r"tesseract not installed"
    else:
        limits = ExtractLimits(tesseract=fake_tesseract(tmp_path, "exec sleep 30"), ocr_timeout=1)
        expected = r"tesseract timed out after 1s"

    def make(batch):
        (batch / "scan.pdf").write_bytes(scanned_pdf())
        from PIL import ImageDraw

        scan = Image.new("L", (400, 100), 255)  # a blank image is not sent to Tesseract at all
        ImageDraw.Draw(scan).text((20, 40), "KHO LUU TRU", fill=0)
        scan.save(batch / "scan.png")
        (batch / "typed.txt").write_text(GOOD.format(word="đánhmáy"), encoding="utf-8")

    started = time.monotonic()
    settings, batch, summary = index_first_then(tmp_path, make, limits=limits)
    assert time.monotonic() - started < 20
    failures = {Path(f["path"]).name: f["reason"] for f in summary.failures}
    assert list(failures) == ["scan.png"] and re.search(expected, failures["scan.png"])
    warned = [w["warning"] for w in summary.warnings if w["path"].endswith("scan.pdf")]
    assert any(re.search(rf"page 1: OCR failed: {expected}", w) for w in warned), warned
    hit = api.search(settings, "scan", user="top")  # the title is the file name
    doc = api.show(settings, next(h.id for h in hit.hits if h.path.endswith("scan.pdf")), user="top")
    assert doc.ocr_pages == 0 and any("OCR failed" in w for w in doc.warnings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_takes_too_long_fails_alone_within_the_per_file_limit(tmp_path, monkeypatch, jobs):
    import time as time_module

    from archsearch.ingest import stages as ingest
    from archsearch.ingest.extract import ExtractLimits

    root = tmp_path / "kho"
    root.mkdir()
    (root / "slow.txt").write_text("Văn bản xử lý rất chậm về kho đạn.", encoding="utf-8")
    (root / "fast.txt").write_text("Văn bản bình thường về xưởng sửa chữa.", encoding="utf-8")
    real_extract = ingest.extract

    def extract(path, kind, limits, mime=None):
        if path.name == "slow.txt":
            time_module.sleep(30)  # stands for a page that never finishes
        return real_extract(path, kind, limits, mime=mime)

    monkeypatch.setattr(ingest, "extract", extract)
    settings = Settings.from_env(tmp_path / "home", jobs=jobs, limits=ExtractLimits(max_seconds_per_file=1.0))
    started = time_module.monotonic()
    summary = api.index(settings, [root])
    assert time_module.monotonic() - started < 20
    assert summary.indexed == 1 and summary.failed == 1
    failure = summary.failures[0]
    assert failure["path"].endswith("slow.txt") and "per-file limit" in failure["reason"] and failure["stage"] == "extract"
