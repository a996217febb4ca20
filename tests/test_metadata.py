"""Declared metadata: sidecars, manifests, and the precedence that merges them with the text."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import os
import re
from pathlib import Path

import pytest

from archsearch.errors import ExtractionError
from archsearch.levels import Level
from archsearch.ingest.declared import MetadataError, ResolvedMetadata, resolve
from archsearch.ingest.manifests import load_manifests
from archsearch.ingest.sidecars import MAX_SIDECAR_BYTES, read_sidecar
from archsearch.records import DeclaredMetadata, TextFields


def write_sidecar(doc: Path, content) -> Path:
    sidecar = doc.with_name(doc.name + ".meta.json")
    if isinstance(content, bytes):
        sidecar.write_bytes(content)
    elif isinstance(content, str):
        sidecar.write_text(content, encoding="utf-8")
    else:
        sidecar.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return sidecar


@pytest.fixture
def doc(tmp_path) -> Path:
    path = tmp_path / "qd.pdf"
    path.write_bytes(b"%PDF-1.4")
    return path


# --- sidecars -----------------------------------------------------------------------------------


def test_no_sidecar(doc):
    assert read_sidecar(doc) is None


def test_sidecar_ok(doc):
    write_sidecar(doc, {
        "classification": "Tối mật",
        "title": "Quyết định về việc ban hành quy chế bảo mật",
        "doc_number": "821/QĐ-BQP",
        "date": "1987-06-08",
        "doc_type": "Quyết định",
        "issuer": "BỘ QUỐC PHÒNG",
        "compartments": ["cnqp", " Hạt nhân "],
    })
    meta = read_sidecar(doc)
    assert meta == DeclaredMetadata(
        title="Quyết định về việc ban hành quy chế bảo mật",
        doc_number="821/QĐ-BQP",
        date=dt.date(1987, 6, 8),
        doc_type="Quyết định",
        issuer="BỘ QUỐC PHÒNG",
        classification=Level.SECRET,
        compartments=("CNQP", "HẠT NHÂN"),
        warnings=[],
    )


def test_sidecar_vietnamese_date_and_compartment_spellings(doc):
    write_sidecar(doc, {"classification": "mat", "date": "08/06/1987",
                        "compartments": ["b", " a ", "A", "Đặc  biệt", "cnqp-a,cnqp-b"]})
    meta = read_sidecar(doc)
    assert meta.classification is Level.CONFIDENTIAL
    assert meta.date == dt.date(1987, 6, 8)
    # a comma is part of a name: one compartment, never two
    assert meta.compartments == ("A", "B", "CNQP-A,CNQP-B", "ĐẶC BIỆT")
    assert meta.warnings == []


@pytest.mark.parametrize(
    "compartments, problem",
    [
        ({"CNQP-A": True}, "expected a list of names, got dict"),
        ([{"name": "CNQP-A"}], "a compartment name must be text, not dict"),
        (True, "expected a list of names, got bool"),
        ("CNQP-A", "expected a list of names, got str"),
        ("a;b", "expected a list of names, got str"),
        (1, "expected a list of names, got int"),
        ([7], "a compartment name must be text, not int"),
        ([None], "a compartment name must be text, not NoneType"),
        (["CNQP-A", ["CNQP-B"]], "a compartment name must be text, not list"),
        ([","], "compartment name ',' holds no letter or digit"),
        (["\u00a0"], "empty compartment name"),
        ([""], "empty compartment name"),
        (["CNQP-A", " "], "empty compartment name"),
        (["CNQP\tA"], "holds the control or format character U+0009"),
        (["CNQP\u200bA"], "holds the control or format character U+200B"),
        (["x\x1b[2J"], "holds the control or format character U+001B"),
        (["A;B"], "holds ';' (the manifest separator)"),
        (["X" * 101], "longer than 100 characters"),
    ],
)
def test_sidecar_malformed_compartments_fail_the_document(doc, compartments, problem):
    # A compartment that cannot be read must not be dropped: the document would be shown to
    # every user of its level.
    write_sidecar(doc, {"classification": "mat", "compartments": compartments})
    with pytest.raises(MetadataError) as caught:
        read_sidecar(doc)
    assert caught.value.reason.startswith("sidecar qd.pdf.meta.json: compartments: ")
    assert problem in caught.value.reason


def test_sidecar_null_or_empty_compartments_are_none(doc):
    for value in (None, []):
        write_sidecar(doc, {"classification": "mat", "compartments": value})
        assert read_sidecar(doc).compartments == ()


def test_sidecar_nfd_text_is_normalised(doc):
    write_sidecar(doc, {"title": "Quye\u0302\u0301t đi\u0323nh"})
    assert read_sidecar(doc).title == "Quyết định"


def test_sidecar_with_bom(doc):
    write_sidecar(doc, "\ufeff" + json.dumps({"classification": "secret"}))
    assert read_sidecar(doc).classification is Level.SECRET


def test_sidecar_malformed_json(doc):
    write_sidecar(doc, '{\n  "classification": "mat",\n    oops\n}')
    with pytest.raises(MetadataError) as caught:
        read_sidecar(doc)
    assert caught.value.reason == "sidecar qd.pdf.meta.json: invalid JSON at line 3 column 5"
    assert isinstance(caught.value, ExtractionError)  # ingestion fails this one document


@pytest.mark.parametrize(
    "content, problem",
    [
        ('["mat"]', "expected a JSON object, got list"),
        ('"mat"', "expected a JSON object, got str"),
        (b'{"title": "\xff\xfe"}', "not UTF-8 (byte 0xff at offset 11)"),
        ('{"classification": "unclassified", "classification": "top-secret"}', "duplicate key 'classification'"),
        ("", "invalid JSON at line 1 column 1"),
    ],
)
def test_sidecar_unusable(doc, content, problem):
    write_sidecar(doc, content)
    with pytest.raises(MetadataError) as caught:
        read_sidecar(doc)
    assert caught.value.reason == f"sidecar qd.pdf.meta.json: {problem}"


def test_sidecar_too_big(doc):
    write_sidecar(doc, '{"title": "' + "a" * MAX_SIDECAR_BYTES + '"}')
    with pytest.raises(MetadataError, match=r"sidecar qd.pdf.meta.json: larger than 1048576 bytes"):
        read_sidecar(doc)


def test_sidecar_that_is_a_directory_or_dangling_link(doc, tmp_path):
    (tmp_path / "qd.pdf.meta.json").mkdir()
    with pytest.raises(MetadataError, match="not a regular file"):
        read_sidecar(doc)
    other = tmp_path / "b.pdf"
    other.write_bytes(b"x")
    os.symlink(tmp_path / "missing.json", tmp_path / "b.pdf.meta.json")
    with pytest.raises(MetadataError, match="not a regular file"):
        read_sidecar(other)


def test_sidecar_unknown_level_is_top_secret(doc):
    write_sidecar(doc, {"classification": "hơi mật"})
    meta = read_sidecar(doc)
    assert meta.classification is Level.TOP_SECRET
    assert meta.warnings == [
        "sidecar qd.pdf.meta.json: unrecognised classification 'hơi mật': treated as top-secret"
    ]


def test_sidecar_non_text_level_is_top_secret(doc):
    write_sidecar(doc, {"classification": ["mat"]})
    assert read_sidecar(doc).classification is Level.TOP_SECRET
    write_sidecar(doc, {"classification": 2})
    assert read_sidecar(doc).classification is Level.SECRET


def test_sidecar_empty_level_is_undeclared(doc):
    write_sidecar(doc, {"classification": "  ", "title": "T"})
    meta = read_sidecar(doc)
    assert meta.classification is None
    assert meta.warnings == []


def test_sidecar_bad_date_is_ignored_with_warning(doc):
    write_sidecar(doc, {"date": "2020-13-45", "title": "T"})
    meta = read_sidecar(doc)
    assert meta.date is None
    assert meta.title == "T"
    assert meta.warnings == [
        "sidecar qd.pdf.meta.json: date '2020-13-45' is not a valid YYYY-MM-DD or DD/MM/YYYY date; ignored"
    ]


def test_sidecar_unknown_key_and_wrong_types(doc):
    write_sidecar(doc, {"classification": "mat", "author": "x", "title": 5})
    meta = read_sidecar(doc)
    assert meta.classification is Level.CONFIDENTIAL
    assert meta.title is None
    assert meta.warnings == [
        "sidecar qd.pdf.meta.json: unknown key 'author' ignored",
        "sidecar qd.pdf.meta.json: title: expected text, got int; ignored",
    ]


# --- manifests ----------------------------------------------------------------------------------

HEADER = "path,classification,title,doc_number,date,doc_type,issuer,compartments\n"


def make_files(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_manifest_rows(tmp_path):
    make_files(tmp_path, "a.pdf", "sub/b.docx", "c.txt")
    (tmp_path / "manifest.csv").write_text(
        HEADER
        + "a.pdf,Tối mật,Quyết định A,821/QĐ-BQP,1987-06-08,Quyết định,BỘ QUỐC PHÒNG,cnqp;hn\n"
        + "sub/b.docx,mat,,,08/06/1987,,,\n"
        + '"c.txt","","Tên có dấu phẩy, ở đây",,,,,\n',
        encoding="utf-8",
    )
    manifests = load_manifests(tmp_path)
    assert manifests.warnings == []
    a = manifests.lookup(tmp_path / "a.pdf")
    assert a == DeclaredMetadata(
        title="Quyết định A", doc_number="821/QĐ-BQP", date=dt.date(1987, 6, 8), doc_type="Quyết định",
        issuer="BỘ QUỐC PHÒNG", classification=Level.SECRET, compartments=("CNQP", "HN"), warnings=[],
    )
    b = manifests.lookup(tmp_path / "sub" / "b.docx")
    assert (b.classification, b.date, b.title) == (Level.CONFIDENTIAL, dt.date(1987, 6, 8), None)
    c = manifests.lookup(tmp_path / "c.txt")
    assert (c.classification, c.title) == (None, "Tên có dấu phẩy, ở đây")
    assert manifests.lookup(tmp_path / "unlisted.pdf") is None


def test_manifest_with_bom_and_minimal_columns(tmp_path):
    make_files(tmp_path, "a.pdf")
    (tmp_path / "manifest.csv").write_bytes("\ufeffpath,classification\r\na.pdf,secret\r\n".encode("utf-8"))
    manifests = load_manifests(tmp_path)
    assert manifests.warnings == []
    assert manifests.lookup(tmp_path / "a.pdf").classification is Level.SECRET


def test_manifest_rejects_paths_outside_its_directory(tmp_path):
    collection = tmp_path / "collection"
    make_files(collection, "a.pdf", "sub/b.pdf")
    make_files(tmp_path, "outside.pdf")
    os.symlink(tmp_path / "outside.pdf", collection / "sub" / "link.pdf")
    (collection / "sub" / "manifest.csv").write_text(
        "path,classification\n"
        "../a.pdf,unclassified\n"  # row 2: escapes
        "/etc/passwd,unclassified\n"  # row 3: absolute
        "C:\\docs\\b.pdf,unclassified\n"  # row 4: absolute (Windows)
        "link.pdf,unclassified\n"  # row 5: a link out of the tree
        "x/../b.pdf,secret\n"  # row 6: ".." that stays inside is fine
        ",secret\n",  # row 7: no path
        encoding="utf-8",
    )
    manifests = load_manifests(collection)
    where = f"manifest.csv at {(collection / 'sub').resolve()}"
    assert manifests.warnings == [
        f"{where} row 2: path '../a.pdf' escapes the manifest's directory; row ignored",
        f"{where} row 3: absolute path '/etc/passwd'; row ignored",
        f"{where} row 4: absolute path 'C:\\\\docs\\\\b.pdf'; row ignored",
        f"{where} row 5: path 'link.pdf' resolves outside the manifest's directory; row ignored",
        f"{where} row 7: empty path; row ignored",
    ]
    assert manifests.lookup(collection / "a.pdf") is None
    assert manifests.lookup(tmp_path / "outside.pdf") is None
    assert manifests.lookup(collection / "sub" / "b.pdf").classification is Level.SECRET


def test_manifest_bad_fields_are_row_warnings(tmp_path):
    make_files(tmp_path, "a.pdf")
    (tmp_path / "manifest.csv").write_text(
        "path,classification,date,owner\na.pdf,siêu mật,31/02/2020,me\n", encoding="utf-8"
    )
    manifests = load_manifests(tmp_path)
    where = f"manifest.csv at {tmp_path.resolve()}"
    assert manifests.warnings == [f"{where}: unknown column 'owner' ignored"]
    row = manifests.lookup(tmp_path / "a.pdf")
    assert row.classification is Level.TOP_SECRET
    assert row.date is None
    assert row.warnings == [
        f"{where} row 2: unrecognised classification 'siêu mật': treated as top-secret",
        f"{where} row 2: date '31/02/2020' is not a valid YYYY-MM-DD or DD/MM/YYYY date; ignored",
    ]


def test_manifest_duplicate_rows_keep_the_stricter_level(tmp_path):
    make_files(tmp_path, "a.pdf")
    (tmp_path / "manifest.csv").write_text(
        "path,classification,title\na.pdf,mat,First\n./a.pdf,tuyet mat,Second\n", encoding="utf-8"
    )
    manifests = load_manifests(tmp_path)
    row = manifests.lookup(tmp_path / "a.pdf")
    assert (row.classification, row.title) == (Level.TOP_SECRET, "First")
    assert len(manifests.warnings) == 1 and "row 3: './a.pdf' is listed again" in manifests.warnings[0]


def test_nested_manifests_strictest_level_nearest_title(tmp_path):
    make_files(tmp_path, "a.pdf", "sub/b.pdf", "sub/c.pdf", "sub/deeper/d.pdf")
    (tmp_path / "manifest.csv").write_text(
        "path,classification,title\na.pdf,mat,A\nsub/b.pdf,unclassified,B outer\nsub/deeper/d.pdf,secret,D outer\n",
        encoding="utf-8",
    )
    (tmp_path / "sub" / "manifest.csv").write_text(
        "path,classification,title\nb.pdf,tuyet mat,B inner\nc.pdf,toi mat,C inner\n", encoding="utf-8"
    )
    manifests = load_manifests(tmp_path)
    assert manifests.lookup(tmp_path / "a.pdf").title == "A"
    b = manifests.lookup(tmp_path / "sub" / "b.pdf")
    assert (b.title, b.classification) == ("B inner", Level.TOP_SECRET)
    assert b.warnings == [
        f"manifests disagree (top-secret in manifest.csv at {(tmp_path / 'sub').resolve()}, "
        f"unclassified in manifest.csv at {tmp_path.resolve()}): using the strictest, top-secret"
    ]
    assert manifests.lookup(tmp_path / "sub" / "c.pdf").title == "C inner"
    # the nearer manifest does not list d.pdf: the outer one does
    assert manifests.lookup(tmp_path / "sub" / "deeper" / "d.pdf").title == "D outer"


def test_inner_manifest_cannot_lower_the_level_or_drop_compartments(tmp_path):
    # issue 12 item 3: col/manifest.csv says Tối mật, col/sub/manifest.csv says Thường
    make_files(tmp_path, "sub/x.txt", "sub/deeper/y.txt")
    (tmp_path / "manifest.csv").write_text(
        "path,classification,compartments,title\nsub/x.txt,Tối mật,CNQP-A,Outer\nsub/deeper/y.txt,Mật,,\n",
        encoding="utf-8")
    (tmp_path / "sub" / "manifest.csv").write_text(
        "path,classification,compartments,title\nx.txt,Thường,hn,Inner\n", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "manifest.csv").write_text(
        "path,classification,compartments\ny.txt,unclassified,\n", encoding="utf-8")
    manifests = load_manifests(tmp_path)
    x = manifests.lookup(tmp_path / "sub" / "x.txt")
    assert (x.classification, x.compartments, x.title) == (Level.SECRET, ("CNQP-A", "HN"), "Inner")
    assert "using the strictest, secret" in x.warnings[-1]
    # three levels of directories: the outermost still counts
    assert manifests.lookup(tmp_path / "sub" / "deeper" / "y.txt").classification is Level.CONFIDENTIAL


@pytest.mark.parametrize("spellings", [("manifest.csv", "MANIFEST.CSV"), ("Manifest.csv", "manifest.CSV")])
def test_two_manifest_spellings_in_one_directory_fail_every_file_under_it(tmp_path, spellings):
    make_files(tmp_path, "top.pdf", "sub/a.pdf", "sub/deeper/b.pdf")
    (tmp_path / "sub" / spellings[0]).write_text("path,classification\na.pdf,Tối mật\n", encoding="utf-8")
    (tmp_path / "sub" / spellings[1]).write_text("path,classification\na.pdf,Thường\n", encoding="utf-8")
    manifests = load_manifests(tmp_path)
    for path in (tmp_path / "sub" / "a.pdf", tmp_path / "sub" / "deeper" / "b.pdf"):
        with pytest.raises(MetadataError) as caught:
            manifests.lookup(path)
        assert "2 manifests in one directory" in caught.value.reason
        assert all(name in caught.value.reason for name in spellings)
    assert manifests.lookup(tmp_path / "top.pdf") is None
    assert any("2 manifests in one directory" in warning for warning in manifests.warnings)


@pytest.mark.parametrize("name", ["MANIFEST.CSV", "Manifest.Csv"])
def test_manifest_name_in_any_case_is_read(tmp_path, name):
    make_files(tmp_path, "sub/a.pdf")
    (tmp_path / "manifest.csv").write_text("path,classification\nsub/a.pdf,Mật\n", encoding="utf-8")
    (tmp_path / "sub" / name).write_text("path,classification\na.pdf,Tối mật\n", encoding="utf-8")
    assert load_manifests(tmp_path).lookup(tmp_path / "sub" / "a.pdf").classification is Level.SECRET


@pytest.mark.parametrize(
    "cell, problem",
    [
        ("CNQP-A;", "empty compartment name"),
        (";CNQP-A", "empty compartment name"),
        ("CNQP-A;;HN", "empty compartment name"),
        ('"CNQP-A;,"', "holds no letter or digit"),
        ("CNQP-A;\u00a0", "empty compartment name"),
        ("A\x01", "U+0001"),
    ],
)
def test_manifest_malformed_compartments_fail_that_document(tmp_path, cell, problem):
    make_files(tmp_path, "a.pdf", "b.pdf")
    (tmp_path / "manifest.csv").write_text(
        f'path,classification,compartments\na.pdf,Mật,{cell}\nb.pdf,Mật,"CNQP-A,x; Hn "\n', encoding="utf-8")
    manifests = load_manifests(tmp_path)
    with pytest.raises(MetadataError) as caught:
        manifests.lookup(tmp_path / "a.pdf")
    assert f"manifest.csv at {tmp_path.resolve()} row 2: compartments: " in caught.value.reason
    assert problem in caught.value.reason
    # only that row fails; a comma inside a name is part of it
    assert manifests.lookup(tmp_path / "b.pdf").compartments == ("CNQP-A,X", "HN")


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file (a header row naming a 'path' column is required)"),
        (b"a.pdf,mat\n", "the header row has no 'path' column"),
        (b"path,classification,classification\na.pdf,mat,tuyet mat\n", "duplicate column 'classification'"),
        (b"path,classification\na.pdf,m\xe1t\n", "not UTF-8 (byte 0xe1 at offset 27)"),
        (b'path,classification\n"a.pdf,mat\n', "CSV error at line 2: unexpected end of data"),
    ],
)
def test_unusable_manifest_fails_every_file_under_it(tmp_path, content, reason):
    make_files(tmp_path, "top.pdf", "sub/a.pdf", "sub/deeper/b.pdf")
    (tmp_path / "sub" / "manifest.csv").write_bytes(content)
    manifests = load_manifests(tmp_path)
    message = f"manifest.csv at {(tmp_path / 'sub').resolve()}: {reason}"
    assert manifests.warnings == [message + "; documents under it will fail"]
    for path in (tmp_path / "sub" / "a.pdf", tmp_path / "sub" / "deeper" / "b.pdf"):
        with pytest.raises(MetadataError) as caught:
            manifests.lookup(path)
        assert caught.value.reason == message
    assert manifests.lookup(tmp_path / "top.pdf") is None  # not under the broken manifest


def test_unusable_outer_manifest_fails_even_when_inner_lists_the_file(tmp_path):
    make_files(tmp_path, "sub/a.pdf")
    (tmp_path / "manifest.csv").write_bytes(b"nope\n")
    (tmp_path / "sub" / "manifest.csv").write_text("path,classification\na.pdf,mat\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="the header row has no 'path' column"):
        load_manifests(tmp_path).lookup(tmp_path / "sub" / "a.pdf")


def test_manifest_symlink_is_not_followed(tmp_path):
    collection = tmp_path / "collection"
    make_files(collection, "a.pdf")
    (tmp_path / "elsewhere.csv").write_text("path,classification\na.pdf,unclassified\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.csv", collection / "manifest.csv")
    with pytest.raises(MetadataError, match="is a symbolic link"):
        load_manifests(collection).lookup(collection / "a.pdf")


def test_linked_directories_are_not_walked(tmp_path):
    collection = tmp_path / "collection"
    make_files(collection, "a.pdf")
    make_files(tmp_path, "other/b.pdf")
    (tmp_path / "other" / "manifest.csv").write_text("path,classification\nb.pdf,mat\n", encoding="utf-8")
    os.symlink(tmp_path / "other", collection / "linked")
    manifests = load_manifests(collection)
    assert manifests.manifests == {}
    assert manifests.lookup(collection / "linked" / "b.pdf") is None


def test_no_manifests(tmp_path):
    make_files(tmp_path, "a.pdf")
    manifests = load_manifests(tmp_path)
    assert manifests.warnings == []
    assert manifests.lookup(tmp_path / "a.pdf") is None


# --- resolve ------------------------------------------------------------------------------------

TEXT = TextFields(
    doc_number="821/QĐ-BQP",
    date=dt.date(1987, 6, 8),
    doc_type="Quyết định",
    issuer="TỔNG CỤC CNQP",
    title="Quyết định về việc ban hành quy chế",
    stamp=None,
    doc_numbers_cited=["821/QĐ-BQP"],
)


def test_resolve_text_only_uses_default_level():
    resolved = resolve(None, None, TEXT, Level.CONFIDENTIAL, "qd.pdf")
    assert resolved == ResolvedMetadata(
        title="Quyết định về việc ban hành quy chế",
        doc_number="821/QĐ-BQP",
        date=dt.date(1987, 6, 8),
        doc_type="Quyết định",
        issuer="TỔNG CỤC CNQP",
        classification=Level.CONFIDENTIAL,
        classification_source="default",
        compartments=(),
        declassified=None,
        warnings=[],
    )


def test_resolve_title_falls_back_to_file_stem():
    resolved = resolve(None, None, TextFields(), Level.UNCLASSIFIED, "bao_cao_quy_3.docx")
    assert resolved.title == "bao_cao_quy_3"
    assert (resolved.doc_number, resolved.date, resolved.doc_type, resolved.issuer) == (None, None, None, None)


def test_resolve_precedence_sidecar_then_manifest_then_text():
    sidecar = DeclaredMetadata(title="Sidecar title", classification=Level.CONFIDENTIAL, compartments=("B",))
    row = DeclaredMetadata(
        title="Manifest title", doc_number="9/QĐ-X", issuer="CỤC X", date=dt.date(2000, 1, 2),
        classification=Level.UNCLASSIFIED, compartments=("A", "B"),
    )
    resolved = resolve(sidecar, row, TEXT, Level.TOP_SECRET, "qd.pdf")
    assert resolved.title == "Sidecar title"
    assert resolved.doc_number == "9/QĐ-X"
    assert resolved.issuer == "CỤC X"
    assert resolved.date == dt.date(2000, 1, 2)
    assert resolved.doc_type == "Quyết định"  # only the text has it
    # declared = stricter of sidecar and manifest, not the (stricter) default
    assert (resolved.classification, resolved.classification_source) == (Level.CONFIDENTIAL, "declared")
    assert resolved.compartments == ("A", "B")
    assert resolved.warnings == ["sidecar declares confidential, manifest declares unclassified: using confidential"]


def test_resolve_manifest_stricter_than_sidecar():
    resolved = resolve(
        DeclaredMetadata(classification=Level.CONFIDENTIAL), DeclaredMetadata(classification=Level.TOP_SECRET),
        TextFields(), Level.UNCLASSIFIED, "a.pdf",
    )
    assert resolved.classification is Level.TOP_SECRET


def test_resolve_stamp_stricter_than_declared():
    text = TextFields(stamp=Level.SECRET)
    resolved = resolve(DeclaredMetadata(classification=Level.CONFIDENTIAL), None, text, Level.UNCLASSIFIED, "a.pdf")
    assert (resolved.classification, resolved.classification_source) == (Level.SECRET, "declared+stamp")
    assert resolved.warnings == ["stamp TỐI MẬT is stricter than declared confidential: using secret"]


def test_resolve_stamp_weaker_than_declared_is_silent():
    text = TextFields(stamp=Level.CONFIDENTIAL)
    resolved = resolve(None, DeclaredMetadata(classification=Level.TOP_SECRET), text, Level.UNCLASSIFIED, "a.pdf")
    assert (resolved.classification, resolved.classification_source) == (Level.TOP_SECRET, "declared+stamp")
    assert resolved.warnings == []


def test_resolve_stamp_without_declaration():
    resolved = resolve(None, None, TextFields(stamp=Level.CONFIDENTIAL), Level.UNCLASSIFIED, "a.pdf")
    assert (resolved.classification, resolved.classification_source) == (Level.CONFIDENTIAL, "stamp")


def test_resolve_merges_warnings_and_declassification():
    sidecar = DeclaredMetadata(warnings=["sidecar a.pdf.meta.json: unknown key 'x' ignored"])
    row = DeclaredMetadata(warnings=["manifest.csv at /c row 2: date 'x' is not a valid ...; ignored"])
    text = TextFields(declassified=dt.date(2020, 7, 1))
    resolved = resolve(sidecar, row, text, Level.UNCLASSIFIED, "a.pdf")
    assert resolved.warnings == sidecar.warnings + row.warnings
    assert resolved.declassified == dt.date(2020, 7, 1)


def test_sidecar_and_manifest_end_to_end(tmp_path):
    make_files(tmp_path, "qd.pdf")
    write_sidecar(tmp_path / "qd.pdf", {"classification": "mat", "compartments": ["cnqp"]})
    (tmp_path / "manifest.csv").write_text(
        "path,classification,title,compartments\nqd.pdf,toi mat,Quy chế bảo mật,hn\n", encoding="utf-8"
    )
    sidecar = read_sidecar(tmp_path / "qd.pdf")
    row = load_manifests(tmp_path).lookup((tmp_path / "qd.pdf").resolve())
    resolved = resolve(sidecar, row, TextFields(stamp=Level.TOP_SECRET), Level.UNCLASSIFIED, "qd.pdf")
    assert resolved.title == "Quy chế bảo mật"
    assert resolved.classification is Level.TOP_SECRET
    assert resolved.compartments == ("CNQP", "HN")


def test_docstring_examples():
    from archsearch import normalise
    from archsearch.ingest import declared, manifests, sidecars

    for module in (declared, manifests, sidecars):
        assert doctest.testmod(module).failed == 0
    assert doctest.testmod(normalise).failed == 0


@pytest.mark.parametrize("spelling", ["qd.pdf.META.JSON", "QD.PDF.meta.json", "qd.pdf.Meta.Json"])
def test_sidecar_in_another_case_fails_the_document(doc, spelling):
    # discovery skips it as a sidecar in any case: it must not be skipped as a declaration too
    (doc.parent / spelling).write_text(json.dumps({"classification": "Tối mật"}), encoding="utf-8")
    with pytest.raises(MetadataError, match=f"also spelled {re.escape(spelling)}"):
        read_sidecar(doc)
    write_sidecar(doc, {"classification": "Thường"})  # beside the exact spelling too
    with pytest.raises(MetadataError, match="keep one qd.pdf.meta.json"):
        read_sidecar(doc)
    with pytest.raises(MetadataError):
        read_sidecar(doc, os.listdir(doc.parent))
