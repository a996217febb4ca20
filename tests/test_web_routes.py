"""The web pages and the JSON API, for a user at each level (Flask test client), with the leak
properties of test_leaks.py carried over to HTTP: hidden ids, canary words, totals, facets,
similar, exports and banners never go beyond what the user may see."""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import unquote

import markupsafe
import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.trust.audit import AuditLog
from archsearch.cli.main import main
from archsearch.levels import Level
from tests.helpers import assert_no_leak
from tests.web_support import (PASSWORD, USER_LEVEL, XSS_TITLE, canary, fast_hashes, page_token,  # noqa: F401
                               sign_in, web)

QUERY = "bảo quản vũ khí"


def _visible(docs, user):
    level = USER_LEVEL[user]
    return [d for d in docs if level is not None and d.classification <= level and not d.compartments]


def _hidden(docs, user):
    shown = {d.id for d in _visible(docs, user)}
    return [d for d in docs if d.id not in shown]


def _canary(doc):
    return {"dochn": "canaryhnword"}.get(doc.id) or (canary(doc.classification) if doc.id.startswith("doc") and doc.id != "docxss" else None)


def _banner(html: str) -> set[str]:
    return set(re.findall(r'class="banner level-([a-z-]+)"', html))


@pytest.mark.parametrize("user", list(USER_LEVEL))
def test_search_page_shows_only_what_the_user_may_see(web, user):
    settings, app, docs = web
    client = sign_in(app, user)
    html = client.get("/", query_string={"q": QUERY, "facets": "1"}).get_data(as_text=True)
    visible = _visible(docs, user)
    assert f'id="total">{len(visible)} kết quả' in html
    for doc in visible:
        assert f'data-id="{doc.id}"' in html
    assert_no_leak(html, _hidden(docs, user), _canary)
    highest = max((d.classification for d in visible), default=Level.UNCLASSIFIED)
    assert _banner(html) == {highest.id}
    # facets count only visible documents: the level facet names no level above the clearance
    facet_levels = set(re.findall(r'<a href="\?[^"]*level=([a-z-]+)"', html))
    assert facet_levels == {d.classification.id for d in visible}
    # the next page and a filter never widen
    for extra in ({"level": "top-secret"}, {"page": "2"}):
        html = client.get("/", query_string={"q": QUERY, "facets": "1", **extra}).get_data(as_text=True)
        assert_no_leak(html, _hidden(docs, user), _canary)


def test_search_page_shows_facets_unless_turned_off(web):
    """Facets by default on the page (they cost a few per cent of a search); the form's box
    turns them off (a hidden facets=0 before the box's facets=1); the JSON API keeps its
    contract: facets only when asked for."""
    settings, app, docs = web
    client = sign_in(app, "mat")

    def page(*facets):
        html = client.get("/", query_string=[("q", QUERY), *(("facets", v) for v in facets)]).get_data(as_text=True)
        box = re.search(r'<input type="checkbox" name="facets" value="1" id="facets-toggle"([^>]*)>', html).group(1)
        return 'id="facets"' in html, "checked" in box

    assert page() == (True, True)  # a typed or linked URL
    assert page("0", "1") == (True, True)  # the form, box ticked
    assert page("0") == (False, False)  # the form, box cleared
    assert page("1") == (True, True)
    html = client.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert '<a href="?q=' in html and "level=confidential" in html  # clickable counts
    assert "facets" not in client.get("/api/search", query_string={"q": QUERY}).get_json()
    assert "facets" in client.get("/api/search", query_string={"q": QUERY, "facets": "1"}).get_json()


@pytest.mark.parametrize("user", list(USER_LEVEL))
def test_document_page_download_and_similar_within_clearance(web, user):
    settings, app, docs = web
    client = sign_in(app, user)
    for doc in docs:
        page = client.get(f"/doc/{doc.id}", query_string={"q": "vũ khí"})
        download = client.get(f"/doc/{doc.id}/original")
        similar = client.get(f"/doc/{doc.id}/similar")
        if doc in _visible(docs, user):
            listed = similar.get_data(as_text=True)
            assert similar.status_code == 200 and "văn bản tương tự" in listed
            assert_no_leak(listed.replace(doc.id, ""), _hidden(docs, user), _canary)
            assert max(Level.from_id(b) for b in _banner(listed)) <= USER_LEVEL[user]
            html = page.get_data(as_text=True)
            assert page.status_code == 200 and "<mark>vũ khí</mark>" in html
            assert_no_leak(html.replace(doc.id, ""), _hidden(docs, user), _canary)
            assert _banner(html) <= {lvl.id for lvl in Level if lvl <= USER_LEVEL[user]}
            assert doc.classification.id in _banner(html) or doc.classification < max(
                Level.from_id(b) for b in _banner(html))
            assert download.status_code == 200 and download.data == doc.path.read_bytes()
            marking = {Level.UNCLASSIFIED: "", Level.CONFIDENTIAL: ".MAT", Level.SECRET: ".TOI-MAT",
                       Level.TOP_SECRET: ".TUYET-MAT"}[doc.classification]
            assert f'filename={doc.path.stem}{marking}.txt' in download.headers["Content-Disposition"]
        else:
            assert page.status_code == 404 and download.status_code == 404 and similar.status_code == 404
    records = [r for r in AuditLog(settings.index_dir).records() if r["command"] == "download"]
    assert records and all(r["user"] == user and r["client"]["via"] == "session" for r in records)
    expected = ({None} if _visible(docs, user) else set()) | ({"not found"} if _hidden(docs, user) else set())
    assert {r.get("outcome") for r in records} == expected


def test_hidden_missing_and_malformed_ids_give_the_same_404(web):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    pages = {}
    for doc_id in ["doc3top", "nosuchid000", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E"]:
        response = client.get(f"/doc/{doc_id}")
        assert response.status_code == 404
        from urllib.parse import unquote

        # the CSRF token of the sign-out form is signed with the time: the same for every id
        page = re.sub(r'name="csrf_token" value="[^"]+"', "TOKEN", response.get_data(as_text=True))
        pages[doc_id] = page.replace(str(__import__("markupsafe").escape(unquote(doc_id))), "ID")
    distinct = sorted(set(pages.values()))
    assert len(distinct) == 1, "\n".join(__import__("difflib").unified_diff(distinct[0].splitlines(), distinct[-1].splitlines()))
    api_pages = {client.get(f"/api/show/{i}").get_data(as_text=True).replace(i, "ID") for i in ["doc3top", "nosuch"]}
    assert len(api_pages) == 1


class IndexReads:
    """Counts the index reads of a request, by kind: term-dictionary lookups, posting readers
    opened, stored fields read, and bytes read from the segment files."""

    def __init__(self, monkeypatch):
        from whoosh.codec.whoosh3 import W3TermsReader
        from whoosh.filedb.structfile import StructFile
        from whoosh.reading import SegmentReader

        from archsearch.engine.durable import _PositionalFile

        self.counts = {}
        for owner, name in [(W3TermsReader, "term_info"), (W3TermsReader, "__contains__"),
                            (SegmentReader, "postings"), (SegmentReader, "stored_fields"),
                            (StructFile, "get"), (StructFile, "read"), (_PositionalFile, "get")]:
            # The index's files read by position with their own get (durable._PositionalFile):
            # counted with every other file's as StructFile reads.
            key = f"StructFile.{name}" if owner is _PositionalFile else f"{owner.__name__}.{name}"
            monkeypatch.setattr(owner, name, self._counted(key, getattr(owner, name)))

    def _counted(self, key, method):
        def counted(*args, **kwargs):
            self.counts[key] = self.counts.get(key, 0) + 1
            return method(*args, **kwargs)
        return counted

    def during(self, call):
        self.counts = {}
        call()
        return dict(self.counts)


@pytest.mark.parametrize("route", ["/doc/{}", "/doc/{}/original", "/doc/{}/similar", "/api/show/{}",
                                   "/api/similar/{}"])
def test_hidden_and_missing_ids_do_the_same_index_reads(web, monkeypatch, route):
    """Equal work, counted rather than timed: a document of a compartment the user lacks, in a
    partition their searcher opens (its id is in the term dictionary), one of a level above
    theirs, a missing id and a malformed one make the same term-dictionary lookups, open the
    same posting readers and read no stored field. Byte by byte the lookups differ a little
    for any two ids (the slots a key hashes to), and a key that exists reads its entry and
    its one posting: a few small reads more, bounded here, and nothing else."""
    settings, app, docs = web
    client = sign_in(app, "mat")  # confidential, without compartment HN: "dochn" is masked
    assert client.get(route.format("doc1con")).status_code == 200  # warm: the same first-use work for all
    reads = IndexReads(monkeypatch)
    seen, pages = {}, set()
    for doc_id in ["dochn", "doc3top", "nosuchid000", "..%2F..%2Fetc", "%3Cscript%3E"]:
        seen[doc_id] = reads.during(lambda: client.get(route.format(doc_id)))
        response = client.get(route.format(doc_id))
        assert response.status_code == 404
        shown = unquote(doc_id)
        if route.startswith("/api/"):
            pages.add(response.get_json()["error"].replace(repr(shown), "ID"))
        else:  # the sign-out form's CSRF token is signed with the time
            page = re.sub(r'name="csrf_token" value="[^"]+"', "TOKEN", response.get_data(as_text=True))
            pages.add(page.replace(str(markupsafe.escape(shown)), "ID"))
    assert len(pages) == 1, pages  # the same 404, byte for byte but the id
    operations = {doc_id: {k: v for k, v in counts.items() if not k.startswith("StructFile.")}
                  for doc_id, counts in seen.items()}
    assert "SegmentReader.stored_fields" not in operations["dochn"]
    assert all(counts == operations["nosuchid000"] for counts in operations.values()), operations
    for kind in ("StructFile.get", "StructFile.read"):
        assert 0 <= seen["dochn"][kind] - seen["nosuchid000"][kind] <= 8, seen


def test_xss_title_and_text_show_as_text(web):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    for path in ["/?q=b%E1%BA%A3o+qu%E1%BA%A3n&facets=1", "/doc/docxss", "/doc/doc0unc"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
    html = client.get("/doc/docxss").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html


def test_saved_searches_list_run_delete(web):
    settings, app, docs = web
    client = sign_in(app, "mat")
    token = page_token(client)
    assert client.post("/saved", data={"name": "kho", "q": QUERY, "csrf_token": token}).status_code == 303
    html = client.get("/saved").get_data(as_text=True)
    assert "kho" in html and QUERY in html
    run = client.get("/saved/kho").get_data(as_text=True)
    assert 'id="total">3 kết quả' in run  # unclassified x2 + confidential; HN compartment hidden
    api.add_user(settings, "mat", "unclassified")  # a lowered clearance applies at once
    assert 'id="total">2 kết quả' in client.get("/saved/kho").get_data(as_text=True)
    assert client.post("/saved/kho/delete", data={"csrf_token": token}).status_code == 303
    assert "kho" not in client.get("/saved").get_data(as_text=True).split("<table")[1]


def test_similar_to_a_pasted_draft(web):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    html = client.post("/similar", data={"text": "quyết định bảo quản vũ khí trang bị kỹ thuật",
                                         "csrf_token": page_token(client, "/similar")}).get_data(as_text=True)
    assert "văn bản tương tự" in html
    assert_no_leak(html, _hidden(docs, "thuong"), _canary)
    record = list(AuditLog(settings.index_dir).records())[-1]
    assert record["command"] == "similar" and record["query"] == "text:web draft" and "text_sha256" in record


@pytest.mark.parametrize("user", list(USER_LEVEL))
def test_export_download_is_marked_audited_and_verifies(web, user):
    settings, app, docs = web
    client = sign_in(app, user)
    response = client.post("/export", data={"q": QUERY, "format": "zip", "csrf_token": page_token(client, "/export")})
    assert response.status_code == 200
    name = re.search(r"filename=(\S+)", response.headers["Content-Disposition"]).group(1)
    highest = max((d.classification for d in _visible(docs, user)), default=None)
    marking = {None: "", Level.UNCLASSIFIED: "", Level.CONFIDENTIAL: ".MAT", Level.SECRET: ".TOI-MAT",
               Level.TOP_SECRET: ".TUYET-MAT"}[highest]
    assert name == f"kiem-tra{marking}.zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        content = " ".join(bundle.read(n).decode("utf-8", "replace") for n in bundle.namelist())
    assert_no_leak(content, _hidden(docs, user), _canary)
    record = list(AuditLog(settings.index_dir).records())[-1]
    assert record["command"] == "export" and record["user"] == user and record["client"]["via"] == "session"
    verify = client.post("/export/verify", data={"bundle": (io.BytesIO(response.data), name),
                                                 "csrf_token": page_token(client, "/export")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "HỢP LỆ / OK" in verify
    tampered = response.data[: len(response.data) // 2]  # a damaged upload: reported, not a crash
    verify = client.post("/export/verify", data={"bundle": (io.BytesIO(tampered), name),
                                                 "csrf_token": page_token(client, "/export")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "KHÔNG HỢP LỆ / FAILED" in verify


def test_administration_is_for_web_administrators_only(web):
    settings, app, docs = web
    client = sign_in(app, "tuyetmat")
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    admin = sign_in(app, "admin")
    token = page_token(admin, "/admin/")
    assert admin.post("/admin/users", data={"name": "lan", "clearance": "secret", "compartments": "HN",
                                            "csrf_token": token}).status_code == 303
    assert api.current_user(settings, "lan").clearance is Level.SECRET
    html = admin.post("/admin/users/lan/reset", data={"csrf_token": token}).get_data(as_text=True)
    one_time = re.search(r"<code>([^<]+)</code>", html).group(1)
    lan = sign_in(app, "lan", one_time)
    assert lan.get("/").headers["Location"].endswith("/password")  # must change it first
    assert admin.post("/admin/users/lan/disable", data={"csrf_token": token}).status_code == 303
    assert lan.get("/password").status_code == 302  # the session ended
    for path in ["/admin/status", "/admin/audit?user=lan", "/admin/audit/verify"]:
        assert admin.get(path).status_code == 200, path
    assert "Chuỗi nhật ký nguyên vẹn" in admin.get("/admin/audit/verify").get_data(as_text=True)
    audit = admin.get("/admin/audit", query_string={"command": "account disable"}).get_data(as_text=True)
    assert "lan" in audit and "web:admin" not in audit  # 'by' is in the record, the table shows the client


def test_nobody_cleared_for_nothing_sees_nothing(web):
    settings, app, docs = web
    client = sign_in(app, "nobody")
    html = client.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert 'id="total">0 kết quả' in html
    assert_no_leak(html, docs, _canary)


def _cli_json(settings, *args):
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("user", ["thuong", "mat", "toimat", "tuyetmat"])
def test_json_api_is_the_cli_json(web, user):
    settings, app, docs = web
    client = sign_in(app, user)
    assert client.get("/api/search", query_string={"q": QUERY, "facets": "1"}).get_json() == \
        _cli_json(settings, "search", QUERY, "--user", user, "--facets")
    assert client.get("/api/show/doc0unc").get_json() == _cli_json(settings, "show", "doc0unc", "--user", user)
    assert client.get("/api/similar/doc0unc").get_json() == _cli_json(settings, "similar", "doc0unc", "--user", user)
    assert client.get("/api/show/doc3top").status_code == (200 if USER_LEVEL[user] is Level.TOP_SECRET else 404)
    assert client.get("/api/show/dochn").status_code == 404  # nobody here holds compartment HN
    drafted = client.post("/api/similar", json={"text": "bảo quản vũ khí"},
                          headers={"X-CSRFToken": page_token(client)}).get_json()
    assert_no_leak(json.dumps(drafted, ensure_ascii=False), _hidden(docs, user), _canary)


def test_api_token_signs_in_without_cookies_and_is_revocable(web):
    settings, app, docs = web
    from archsearch.trust import accounts

    token_id, token = accounts.issue_token(settings, "mat")
    client = app.test_client()
    assert client.get("/api/search", query_string={"q": QUERY}).status_code == 401
    response = client.get("/api/search", query_string={"q": QUERY}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["user"] == "mat"
    # no CSRF token needed: a bearer request carries no cookie a third-party page could ride on
    assert client.post("/api/similar", json={"text": "vũ khí"},
                       headers={"Authorization": f"Bearer {token}"}).status_code == 200
    record = list(AuditLog(settings.index_dir).records())[-1]
    assert record["user"] == "mat" and record["client"] == {"address": "127.0.0.1", "via": "token"}
    accounts.revoke_token(settings, "mat", token_id)
    assert client.get("/api/search", query_string={"q": QUERY},
                      headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert list(AuditLog(settings.index_dir).records())[-1]["command"] == "login failure"
    # a token is not a page credential
    assert client.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 302


def test_every_read_is_audited_with_the_web_user_and_client(web):
    settings, app, docs = web
    client = sign_in(app, "toimat")
    client.get("/", query_string={"q": QUERY})
    record = [r for r in AuditLog(settings.index_dir).records() if r["command"] == "search"][-1]
    assert record["user"] == "toimat" and record["clearance"] == "secret" and record["query"] == QUERY
    assert record["client"] == {"address": "127.0.0.1", "via": "session"}
    assert set(record["ids"]) == {d.id for d in _visible(docs, "toimat")}
    assert AuditLog(settings.index_dir).verify()[1] is None


def test_document_page_shows_page_breaks_from_the_extraction_cache(web):
    from archsearch.ingest.cache import ExtractionCache
    from archsearch.ingest.catalog import CatalogEntry
    from archsearch.engine.index import IndexHome
    from archsearch.records import Extracted, PageText
    from tests.helpers import make_document

    settings, app, docs = web
    pages = [PageText(1, "Trang đầu về vũ khí."), PageText(2, "Trang hai về kho."), PageText(3, "Trang ba.")]
    extracted = Extracted("text/plain", pages)
    doc = make_document("docpages", extracted.text, Level.UNCLASSIFIED)
    home = IndexHome.open(settings.index_dir)
    with home.writer() as writer:
        writer.add(doc)
    with home.catalog() as catalog:
        catalog.put([CatalogEntry(doc.id, Level.UNCLASSIFIED, "test", "/archive", str(doc.path), 1, 1,
                                  doc.content_hash, "m", "text/plain", 3, 0, "2026-01-01")])
    ExtractionCache(settings.index_dir).put(doc.content_hash, extracted)
    client = sign_in(app, "thuong")
    html = client.get("/doc/docpages", query_string={"q": "vũ khí"}).get_data(as_text=True)
    assert re.findall(r'data-page="(\d+)"', html) == ["2", "3"]
    assert html.index("<mark>vũ khí</mark>") < html.index('data-page="2"') < html.index("Trang hai") \
        < html.index('data-page="3"') < html.index("Trang ba")
    # a text that no longer matches the cached pages shows no page breaks rather than wrong ones
    ExtractionCache(settings.index_dir).put(doc.content_hash, Extracted("text/plain", pages[:2]))
    assert "data-page" not in client.get("/doc/docpages").get_data(as_text=True)


def test_a_download_serves_only_the_file_that_was_indexed(web, tmp_path):
    settings, app, docs = web
    client = sign_in(app, "thuong")
    doc = next(d for d in docs if d.id == "doc0unc")
    secret = next(d for d in docs if d.classification is Level.SECRET)
    assert client.get(f"/doc/{doc.id}/original").data == doc.path.read_bytes()
    # hostile staff swap the file for a link to a document above the user's clearance
    doc.path.unlink()
    doc.path.symlink_to(secret.path)
    response = client.get(f"/doc/{doc.id}/original")
    assert response.status_code == 410 and canary(Level.SECRET) not in response.get_data(as_text=True)
    # or edit it in place
    doc.path.unlink()
    doc.path.write_text("nội dung đã bị sửa " + canary(Level.SECRET), encoding="utf-8")
    response = client.get(f"/doc/{doc.id}/original")
    assert response.status_code == 410 and canary(Level.SECRET) not in response.get_data(as_text=True)
    doc.path.unlink()
    assert client.get(f"/doc/{doc.id}/original").status_code == 410
    assert not [p for p in settings.index_dir.iterdir() if p.name.startswith("tmp")]
    # The audit says what was given: the first download, then three refusals, none a download.
    records = [r for r in AuditLog(settings.index_dir).records() if r["command"] == "download"]
    assert [(r["ids"], r.get("outcome")) for r in records] == (
        [([doc.id], None)] + [([], "original no longer as indexed")] * 3)
