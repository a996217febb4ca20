import os

from archsearch.ingest.discover import discover


def test_walks_recursively_skipping_sidecars_manifests_notes_and_hidden(tmp_path):
    root = tmp_path / "kho"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "qd.pdf").write_bytes(b"%PDF")
    (root / "a" / "b" / "qd.pdf.meta.json").write_text("{}")
    (root / "manifest.csv").write_text("path\n")
    (root / "README.md").write_text("x")
    (root / ".hidden.txt").write_text("x")
    (root / "cv.txt").write_text("x")
    found = discover([root])
    assert sorted(f.relpath for f in found.files) == ["a/b/qd.pdf", "cv.txt"]
    assert {f.collection for f in found.files} == {"kho"}
    assert not found.failures


def test_links_out_of_the_tree_are_refused_and_links_inside_indexed_once(tmp_path):
    root = tmp_path / "kho"
    root.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    (root / "doc.txt").write_text("inside")
    os.symlink(outside, root / "escape.txt")
    os.symlink(root / "doc.txt", root / "alias.txt")
    os.symlink(tmp_path, root / "escape-dir")
    os.symlink(root / "loop1", root / "loop2")
    os.symlink(root / "loop2", root / "loop1")
    found = discover([root])
    assert [f.relpath for f in found.files] == ["doc.txt"]
    reasons = {p.name: r for p, r in found.failures}
    assert "outside the collection" in reasons["escape.txt"]
    assert "outside the collection" in reasons["escape-dir"]
    assert "loop" in reasons["loop1"] and "loop" in reasons["loop2"]


def test_excluded_directory_and_missing_path(tmp_path):
    root = tmp_path / "kho"
    (root / "indexes").mkdir(parents=True)
    (root / "indexes" / "x.txt").write_text("x")
    (root / "d.txt").write_text("x")
    found = discover([root, tmp_path / "nope"], exclude=[root / "indexes"])
    assert [f.relpath for f in found.files] == ["d.txt"]
    assert found.failures[0][1] == "no such file or directory"


def test_single_file_belongs_to_its_directory_collection(tmp_path):
    (tmp_path / "cv.txt").write_text("x")
    found = discover([tmp_path / "cv.txt"], collection="cong-van")
    assert found.files[0].collection == "cong-van" and found.files[0].relpath == "cv.txt"


def test_every_spelling_of_manifest_and_sidecar_is_skipped(tmp_path):
    # metadata.load_manifests reads manifest.csv in any case: none of them is also a document
    root = tmp_path / "kho"
    (root / "sub").mkdir(parents=True)
    for name in ("MANIFEST.CSV", "Manifest.csv", "sub/manifest.CSV", "cv.txt.META.JSON"):
        (root / name).write_text("path,classification\n")
    (root / "cv.txt").write_text("x")
    assert [f.relpath for f in discover([root]).files] == ["cv.txt"]
