"""similar: related sample documents rank each other in the top 3, and nothing above the user's
clearance ever comes back -- not even when the seed's key terms occur only in hidden documents."""

import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.cli import main
from archsearch.config import Settings
from archsearch.errors import NotFoundError
from archsearch.ingest import document_id
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
