"""Shared set-up of the web tests: a small index of one document per level (plus an XSS
title and a compartment document), users at each level with passwords, and a signed-in
Flask test client."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from archsearch.trust import accounts
from archsearch import api
from archsearch.trust import passwords
from archsearch.config import Settings
from archsearch.levels import ALL_LEVELS, Level
from archsearch.web import create_app
from archsearch.web.config import WebConfig
from tests.helpers import build_index, make_document

PASSWORD = "mat-khau-thu-nghiem"
XSS_TITLE = "<script>alert(1)</script>"


def canary(level: Level) -> str:
    return f"canary{level.id.replace('-', '')}word"


def documents(tmp_path):
    originals = tmp_path / "archive"
    originals.mkdir()
    docs = []
    for level in ALL_LEVELS:
        path = originals / f"qd-{level.id}.txt"
        text = (f"Quyết định về bảo quản vũ khí trang bị kỹ thuật mức {level.vietnamese}. "
                f"Nội dung riêng {canary(level)}.")
        path.write_text(text, encoding="utf-8")
        docs.append(make_document(f"doc{level.value}{level.id[:3]}", text, level, path=path,
                                  title=f"Quyết định {level.vietnamese} về bảo quản vũ khí",
                                  doc_number=f"{100 + level.value}/QĐ-BQP", doc_type="Quyết định"))
    xss = originals / "xss.txt"
    xss.write_text("bảo quản vũ khí <img src=x onerror=alert(2)> javascript:alert(3)", encoding="utf-8")
    docs.append(make_document("docxss", xss.read_text(), Level.UNCLASSIFIED, path=xss, title=XSS_TITLE))
    hn = originals / "hn.txt"
    hn.write_text("bảo quản vũ khí ngăn HN canaryhnword", encoding="utf-8")
    docs.append(make_document("dochn", hn.read_text(), Level.CONFIDENTIAL, compartments=("HN",), path=hn,
                              title="Tài liệu ngăn HN"))
    return docs


def catalogue(settings, docs) -> None:
    """Catalog entries for documents written straight into the partitions: a download checks
    the file against the content hash the catalog recorded."""
    from archsearch.ingest.catalog import CatalogEntry
    from archsearch.engine.index import IndexHome

    with IndexHome.open(settings.index_dir).catalog() as catalog:
        catalog.put([CatalogEntry(d.id, d.classification, d.collection, str(d.path.parent), str(d.path), 1, 1,
                                  d.content_hash, "m", d.mime, 1, 0, "2026-01-01") for d in docs])


@pytest.fixture()
def fast_hashes(monkeypatch):
    """argon2id with small costs: the tests check behaviour, not the cost of a guess."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_HASHER", hasher)
    monkeypatch.setattr(passwords, "_DUMMY", hasher.hash("dummy-password"))


@pytest.fixture()
def web(tmp_path, fast_hashes):
    """(settings, app, docs) with users thuong/mat/toimat/tuyetmat (one per level), "nobody"
    (cleared for nothing) and "admin" (top secret, web administrator), all with PASSWORD."""
    settings = Settings.from_env(tmp_path / "home")
    docs = documents(tmp_path)
    build_index(settings.index_dir, docs)
    catalogue(settings, docs)
    for name, clearance in [("thuong", "unclassified"), ("mat", "confidential"), ("toimat", "secret"),
                            ("tuyetmat", "top-secret"), ("nobody", "none"), ("admin", "top-secret")]:
        api.add_user(settings, name, clearance)
        accounts.set_password(settings, name, PASSWORD)
    accounts.set_admin(settings, "admin", True)
    app = create_app(settings, WebConfig())
    app.testing = True
    return settings, app, docs


USER_LEVEL = {"thuong": Level.UNCLASSIFIED, "mat": Level.CONFIDENTIAL, "toimat": Level.SECRET,
              "tuyetmat": Level.TOP_SECRET, "nobody": None, "admin": Level.TOP_SECRET}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(app, name: str, password: str = PASSWORD):
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def page_token(client, path: str = "/") -> str:
    return csrf_of(client.get(path).get_data(as_text=True))
