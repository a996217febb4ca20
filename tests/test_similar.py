"""similar: related sample documents rank each other in the top 3, and nothing above the user's
clearance ever comes back -- not even when the seed's key terms occur only in hidden documents."""

import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import NotFoundError
from archsearch.engine.index import IndexHome
from archsearch.ingest.pipeline import document_id
from archsearch.levels import ALL_LEVELS, Level, parse_level

from .conftest import ALL_COMPARTMENTS, SAMPLE_DOCS
from .helpers import assert_no_leak, build_index, make_document

USERS = [level.id for level in ALL_LEVELS] + [f"{level.id}-all" for level in ALL_LEVELS]


def _id(path: str) -> str:
    return document_id(SAMPLE_DOCS.name, path)


def _visible(user: str, doc: dict) -> bool:
    clearance = parse_level(user.removesuffix("-all"))
    held = set(ALL_COMPARTMENTS) if user.endswith("-all") else set()
    return parse_level(doc["level"]) <= clearance and {c.upper() for c in doc["compartments"]} <= held


@pytest.fixture(scope="module")
def pairs(sample_expected):
    by_path = {doc["path"]: doc for doc in sample_expected}
    found = [(by_path[doc["path"]], by_path[other]) for doc in sample_expected for other in doc.get("related", [])]
    assert len(found) >= 5, "sample_expected.json names too few related pairs"
    return found


def test_related_sample_documents_rank_each_other_in_the_top_three(sample_index, pairs):
    settings, _ = sample_index
    for a, b in pairs:
        for seed, other in [(a, b), (b, a)]:
            # The lowest user who sees both; the all-seeing user too.
            users = [u for u in USERS if _visible(u, a) and _visible(u, b)][:1] + ["top-secret-all"]
            for user in users:
                result = api.similar(settings, _id(seed["path"]), user=user, limit=3)
                top = [hit.id for hit in result.hits]
                assert _id(other["path"]) in top, f"{other['path']} not in the top 3 like {seed['path']} as {user}"
                assert _id(seed["path"]) not in top


def test_similar_never_returns_a_document_above_the_users_clearance(sample_index, sample_expected, pairs):
    settings, _ = sample_index
    by_id = {_id(doc["path"]): doc for doc in sample_expected}
    seeds = {doc["path"]: doc for pair in pairs for doc in pair}
    for user in USERS:
        for seed in seeds.values():
            if not _visible(user, seed):
                continue
            result = api.similar(settings, _id(seed["path"]), user=user, limit=100)
            assert result.hits and result.total == len(result.hits)
            hidden = [h.id for h in result.hits if not _visible(user, by_id[h.id])]
            assert not hidden, (user, seed["path"], hidden)


def test_a_seed_the_user_may_not_see_is_reported_like_an_unknown_id(sample_index, pairs):
    settings, _ = sample_index
    secret = next(doc for pair in pairs for doc in pair if doc["path"] == "bao-cao/bc-19-2025.pdf")  # CNQP-A
    runner = CliRunner()
    for user in ["none", "unclassified", "top-secret"]:  # top-secret lacks the compartment
        base = ["--index-dir", str(settings.index_dir), "similar"]
        hidden = runner.invoke(main, [*base, _id(secret["path"]), "--user", user])
        missing = runner.invoke(main, [*base, "000000000000", "--user", user])
        shown = runner.invoke(main, ["--index-dir", str(settings.index_dir), "show", "000000000000", "--user", user])
        assert hidden.exit_code == missing.exit_code == shown.exit_code == 4
        assert hidden.stderr.replace(_id(secret["path"]), "ID") == missing.stderr.replace("000000000000", "ID")
        assert missing.stderr == shown.stderr and hidden.stdout == missing.stdout == ""
    records = [r for r in api.audit_records(settings, user="top-secret") if r["command"] == "similar"]
    assert records[-2]["outcome"] == "not found" and records[-2]["ids"] == []


@pytest.fixture
def hidden_terms(tmp_path):
    """A visible seed whose distinctive words occur otherwise only in documents above the
    user's clearance or in a compartment the user lacks."""
    words = "lò nung gốm kỹ thuật cao tẩm phủ gốm chịu nhiệt"
    docs = [
        make_document("seed", f"Báo cáo về {words} tại xưởng", Level.CONFIDENTIAL, title="Báo cáo xưởng"),
        make_document("plain", "Công văn về lịch trực ban và nhà ăn tập thể", Level.UNCLASSIFIED),
        make_document("plain2", "Thông báo lịch họp giao ban quý", Level.CONFIDENTIAL),
        make_document("high1", f"Quyết định về {words} {words}", Level.SECRET),
        make_document("high2", f"Kế hoạch {words} năm sau", Level.TOP_SECRET),
        make_document("comp", f"Chỉ thị {words} {words}", Level.CONFIDENTIAL, compartments=["CNQP-A"]),
    ]
    settings = Settings.from_env(tmp_path / "home")
    build_index(settings.index_dir, docs)
    api.add_user(settings, "mat", "confidential")
    api.add_user(settings, "all", "top-secret", ["CNQP-A"])
    return settings, {d.id: d for d in docs}


def test_key_terms_found_only_in_hidden_documents_find_nothing_hidden(hidden_terms, tmp_path):
    settings, docs = hidden_terms
    everything = api.similar(settings, "seed", user="all", limit=10)
    assert {"high1", "high2", "comp"} <= {h.id for h in everything.hits}  # the control: they are alike
    result = api.similar(settings, "seed", user="mat", limit=10)
    assert {h.id for h in result.hits} <= {"plain", "plain2"}
    assert result.total == len(result.hits)
    assert_no_leak(json.dumps(result.to_json(), ensure_ascii=False), [docs["high1"], docs["high2"], docs["comp"]])
    draft = tmp_path / "du-thao.txt"
    draft.write_text("Dự thảo tờ trình về lò nung gốm kỹ thuật cao, tẩm phủ gốm chịu nhiệt", encoding="utf-8")
    out = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "similar", "--text", str(draft),
                                    "--user", "mat", "--json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["seed", "user", "total", "hits"] and data["seed"] is None
    assert data["hits"][0]["id"] == "seed" and {h["id"] for h in data["hits"]} <= {"seed", "plain", "plain2"}
    assert list(data["hits"][0]) == ["rank", "score", "id", "path", "title", "classification", "doc_number", "date", "snippet"]
    record = api.audit_records(settings, user="mat")[-1]
    assert record["command"] == "similar" and record["query"] == "text:du-thao.txt" and len(record["text_sha256"]) == 64
    assert "lò nung" not in json.dumps(record, ensure_ascii=False)  # the draft itself is not logged
    with pytest.raises(NotFoundError):
        api.similar(settings, "high1", user="mat")


def test_similar_needs_an_id_or_a_text(hidden_terms):
    settings, _ = hidden_terms
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "similar", "--user", "mat"])
    assert result.exit_code == 2 and "--text" in result.stderr


# -- what `similar --text` reads (issue #12, items 7 and 10) ------------------------------

def _similar_text(settings, draft, *extra, timeout=20):
    """`archsearch similar --text DRAFT` in its own process: a read that blocks or grows
    without end fails this test by its timeout instead of hanging the suite."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "archsearch.cli.main", "--index-dir", str(settings.index_dir),
               "similar", "--text", str(draft), "--user", "mat", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_a_draft_that_is_a_device_fifo_link_or_too_big_is_refused_without_reading_it(hidden_terms, tmp_path):
    import os
    import time

    settings, _ = hidden_terms
    started = time.monotonic()
    zero = _similar_text(settings, "/dev/zero")
    assert zero.returncode == 2 and "a character device, not a regular file" in zero.stderr, zero.stderr
    fifo = tmp_path / "draft.fifo"
    os.mkfifo(fifo)  # nobody ever writes to it: a read would wait for ever
    refused = _similar_text(settings, fifo)
    assert refused.returncode == 2 and "a FIFO, not a regular file" in refused.stderr, refused.stderr
    assert time.monotonic() - started < 15
    real = tmp_path / "real.txt"
    real.write_text("Dự thảo về lò nung gốm kỹ thuật cao", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    linked = _similar_text(settings, link)
    assert linked.returncode == 2 and "a symbolic link, not a regular file" in linked.stderr, linked.stderr
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:  # sparse: 5 MiB that take no disk
        handle.truncate(5 * 2**20)
    too_big = _similar_text(settings, big)
    assert too_big.returncode == 2 and "larger than 4,194,304 bytes" in too_big.stderr, too_big.stderr
    assert "Traceback" not in zero.stderr + refused.stderr + linked.stderr + too_big.stderr
    accepted = _similar_text(settings, real, "--json")
    assert accepted.returncode == 0, accepted.stderr
    assert json.loads(accepted.stdout)["hits"][0]["id"] == "seed"


def test_the_draft_limit_is_a_setting_and_holds_for_a_file_that_grows_while_read(hidden_terms, tmp_path, monkeypatch):
    import os

    from archsearch.errors import UsageError

    settings, _ = hidden_terms
    small = Settings(index_dir=settings.index_dir, max_draft_bytes=100)
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"a" * 100)
    assert api.read_draft(small, draft) == "a" * 100
    draft.write_bytes(b"a" * 101)
    with pytest.raises(UsageError, match="larger than 100 bytes"):
        api.read_draft(small, draft)
    # A file whose size says 10 bytes but that keeps giving data (it grows while being read):
    draft.write_bytes(b"b" * 10)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: b"b" * n)
    with pytest.raises(UsageError, match="larger than 100 bytes"):
        api.read_draft(small, draft)
    monkeypatch.setattr(os, "read", real_read)
    assert api.read_draft(small, draft) == "b" * 10


def test_key_terms_are_picked_from_a_bounded_excerpt_and_number_of_distinct_terms(hidden_terms, monkeypatch):
    """A draft at the size cap costs bounded work: the text analysed and the distinct terms
    weighed against the index are capped (measured: a 4 MiB draft of junk words, 1.2 s)."""
    import random

    from archsearch.engine import searcher as search
    from archsearch.engine.visible import VisibleStatistics

    settings, _ = hidden_terms
    rng = random.Random(12)
    junk = " ".join("".join(rng.choice("abcdeghiklmnopqrstuvxy") for _ in range(8)) for _ in range(60_000))
    draft = "Dự thảo về lò nung gốm kỹ thuật cao, tẩm phủ gốm chịu nhiệt.\n" + junk
    analysed, weighed = [], []
    key_terms, score_bound = VisibleStatistics.key_terms, VisibleStatistics._score_bound

    def spy_key_terms(self, fieldname, text, number, max_distinct=None):
        analysed.append(len(text))
        weighed.append(0)
        return key_terms(self, fieldname, text, number, max_distinct=max_distinct)

    def spy_score_bound(self, *args):
        weighed[-1] += 1  # one term of the draft weighed against the index
        return score_bound(self, *args)

    monkeypatch.setattr(VisibleStatistics, "key_terms", spy_key_terms)
    monkeypatch.setattr(VisibleStatistics, "_score_bound", spy_score_bound)
    result = api.similar(settings, None, user="mat", text=draft, text_name="junk.txt")
    assert result.hits and result.hits[0].id == "seed"  # the draft's real words still lead
    assert analysed and max(analysed) <= search.SIMILAR_MAX_CHARS
    assert weighed and max(weighed) <= search.SIMILAR_MAX_DISTINCT
    assert search._seed_excerpt("ab cd " * 5) == "ab cd " * 5
    cut = search._seed_excerpt("từ " * search.SIMILAR_MAX_CHARS)
    assert len(cut) <= search.SIMILAR_MAX_CHARS and set(cut.split(" ")) == {"từ"}  # no halved word


# -- a word only hidden or deleted documents hold is a word that exists nowhere ------------------
def _index_files(home, files: dict[str, tuple[str, dict | None]]) -> Settings:
    """Index `files` (name -> (text, sidecar or None)) as the collection `col` into `home`."""
    source = home.parent / "col"
    source.mkdir(parents=True, exist_ok=True)
    for name, (text, sidecar) in files.items():
        (source / name).write_text(text, encoding="utf-8")
        if sidecar is not None:
            (source / f"{name}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    settings = Settings.from_env(home, jobs=1)
    summary = api.index(settings, [source])
    assert summary.failed == 0, summary.failures
    return settings


def _similar_as(settings: Settings, user: str, draft, text: str, *flags: str):
    """`similar --text` on `draft` (one path, rewritten each time, so outputs name the same file):
    (exit code, stdout, stderr, the audit record without its time, chain and the text's hash)."""
    draft.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "similar", "--text", str(draft),
                                       "--user", user, *flags])
    record = api.audit_records(settings, user=user)[-1]
    kept = {k: v for k, v in record.items() if k not in ("seq", "time", "prev", "hash", "text_sha256")}
    return result.exit_code, result.stdout, result.stderr, kept


def _assert_alike_for_a_hidden_and_a_missing_word(settings, user, tmp_path, hidden_word, missing_word, companion=""):
    assert len(hidden_word) == len(missing_word)  # the audit record keeps the draft's length
    draft = tmp_path / "du-thao.txt"
    for flags in ([], ["--json"]):
        hidden = _similar_as(settings, user, draft, f"{companion}{hidden_word}", *flags)
        missing = _similar_as(settings, user, draft, f"{companion}{missing_word}", *flags)
        assert hidden == missing, flags
        assert hidden[0] == 0 and hidden[3]["command"] == "similar"
    return hidden


def test_a_word_only_compartment_hidden_documents_hold_is_like_a_missing_word(tmp_path):
    """Issue 12.1: a Mật user without CNQP-A got "0 document(s)" for a word only the CNQP-A
    document holds and a ZeroDivisionError traceback (Whoosh's Bo1 key-term model), with no
    audit record, for a word that exists nowhere."""
    settings = _index_files(tmp_path / "home", {
        "v.txt": ("Báo cáo thông gió kho", {"classification": "Mật"}),
        "c.txt": ("Báo cáo xylocomp kho", {"classification": "Mật", "compartments": ["CNQP-A"]}),
    })
    api.add_user(settings, "m", "confidential")
    exit_code, stdout, _stderr, record = _assert_alike_for_a_hidden_and_a_missing_word(
        settings, "m", tmp_path, "xylocomp", "qqzzword")
    assert json.loads(stdout)["total"] == 0 and record["total"] == 0 and record["ids"] == []
    # Shared words weigh as in an index holding only what the user sees, in similar and search.
    alone = _index_files(tmp_path / "alone" / "home", {"v.txt": ("Báo cáo thông gió kho", {"classification": "Mật"})})
    api.add_user(alone, "m", "confidential")
    for args in (["search", "báo cáo kho", "--json"], ["similar", "--text", str(tmp_path / "du-thao.txt"), "--json"]):
        (tmp_path / "du-thao.txt").write_text("Báo cáo về kho", encoding="utf-8")
        scores = []
        for home in (settings, alone):
            out = CliRunner().invoke(main, ["--index-dir", str(home.index_dir), *args, "--user", "m"])
            assert out.exit_code == 0, out.stderr
            scores.append([(h["title"], h["score"]) for h in json.loads(out.stdout)["hits"]])
        assert scores[0] == scores[1] and scores[0], args


def test_a_word_only_a_deleted_copy_holds_is_like_a_missing_word(tmp_path):
    """Issue 12.1: a document moved from Thường to Tối mật stays, deleted, in the Thường
    segment; its words still weighed in the key terms of a Thường user's draft (a word found
    only there gave "0 document(s)", a missing one a traceback; beside a shared word it
    changed the scores)."""
    files = {
        "a.txt": ("Báo cáo thông gió kho số một", None),
        "b.txt": ("Kế hoạch thông gió kho đạn", None),
        "d.txt": ("Thông báo kiểm tra thông gió", None),
        "t.txt": ("Báo cáo movedword kho", None),
    }
    settings = _index_files(tmp_path / "home", files)
    (tmp_path / "col" / "t.txt.meta.json").write_text(json.dumps({"classification": "Tối mật"}, ensure_ascii=False),
                                                     encoding="utf-8")
    assert api.index(settings, [tmp_path / "col"]).failed == 0
    with IndexHome.open(settings.index_dir).partition(Level.UNCLASSIFIED).reader() as reader:
        assert reader.has_deletions()  # the control: the moved document's copy is still there
    api.add_user(settings, "lo", "unclassified")
    _assert_alike_for_a_hidden_and_a_missing_word(settings, "lo", tmp_path, "movedword", "qqzzwordx")
    _exit, stdout, _stderr, _record = _assert_alike_for_a_hidden_and_a_missing_word(
        settings, "lo", tmp_path, "movedword", "qqzzwordx", companion="thông gió ")
    assert json.loads(stdout)["total"] == 3


def test_a_text_whose_words_occur_nowhere_finds_nothing_and_does_not_crash(tmp_path):
    settings = Settings.from_env(tmp_path / "home")
    build_index(settings.index_dir, [make_document("d1", "Quyết định về bảo quản vũ khí", Level.UNCLASSIFIED)])
    api.add_user(settings, "hoa", "unclassified")
    draft = tmp_path / "du-thao.txt"
    draft.write_text("zzzqqq xxyyzz", encoding="utf-8")
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "similar", "--text", str(draft),
                                       "--user", "hoa", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 0
