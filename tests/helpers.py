"""Test helpers: build documents without extraction, and name any leaked document."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from archsearch.engine.index import IndexHome
from archsearch.levels import Level
from archsearch.records import Document


def make_document(doc_id: str, text: str, level: Level, compartments=(), title: str | None = None,
                  doc_number: str | None = None, collection: str = "test", path: Path | None = None,
                  date: dt.date | None = None, doc_type: str | None = None) -> Document:
    """A document as the indexer would record it. Without `path` the path is fake; with a real
    `path`, the content hash is that file's SHA-256 (what an export checks the source against)."""
    content = path.read_bytes() if path is not None and path.exists() else text.encode()
    return Document(
        id=doc_id,
        path=path if path is not None else Path(f"/archive/{collection}/{doc_id}.txt"),
        collection=collection,
        relpath=path.name if path is not None else f"{doc_id}.txt",
        mime="text/plain",
        text=text,
        classification=level,
        classification_source="declared",
        compartments=tuple(sorted(compartments)),
        title=title or f"Tài liệu {doc_id}",
        doc_number=doc_number,
        date=date,
        doc_type=doc_type,
        issuer=None,
        page_count=1,
        ocr_pages=0,
        content_hash=hashlib.sha256(content).hexdigest(),
        meta_hash="m",
    )


def build_index(root: Path, documents: list[Document]) -> IndexHome:
    home = IndexHome.create_or_open(root)
    with home.writer() as writer:
        for doc in documents:
            writer.add(doc)
    return home


def assert_no_leak(output: str, hidden: list[Document], canary_of=lambda d: None) -> None:
    """Fail naming every hidden document whose id or canary word appears in `output`."""
    leaked = []
    for doc in hidden:
        if doc.id in output:
            leaked.append(f"{doc.id} ({doc.classification.id}, {list(doc.compartments)}): id appears")
        canary = canary_of(doc)
        if canary and canary in output:
            leaked.append(f"{doc.id} ({doc.classification.id}, {list(doc.compartments)}): canary {canary!r} appears")
    assert not leaked, "leaked hidden documents:\n  " + "\n  ".join(leaked)


def in_forked_child(check) -> bool:
    """Run `check()` in a forked child (as gunicorn forks its workers) and return what it
    returned (truthy or not); an exception in the child counts as False."""
    import os

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write, b"1" if check() else b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    os.close(read)
    return answer == b"1"
