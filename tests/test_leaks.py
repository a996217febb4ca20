"""Attack the clearance rule through the command line: random archives, random users, every read
command (search text and --json with --limit, show of visible, hidden and missing ids, export in
every format, audit show, status, impersonation), and no byte of output -- stdout, stderr, or the
exported file -- may name a document the user may not see or contain a word only it holds.

Each document carries a unique canary word in its text, title and file name. Failures name the
leaked document (helpers.assert_no_leak).

Examples per property: ARCHSEARCH_FUZZ_EXAMPLES (default small, for the normal suite);
`make fuzz` runs thousands.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from archsearch import api
from archsearch.config import Settings
from archsearch.export.target import MARKINGS
from archsearch.engine.index import IndexHome
from archsearch.levels import ALL_LEVELS, Level
from archsearch.normalise import nfc
from archsearch.cli.main import main

from .helpers import assert_no_leak, build_index, make_document

FUZZ = int(os.environ.get("ARCHSEARCH_FUZZ_EXAMPLES", "0"))
BODY = "Quyết định về công nghiệp quốc phòng và bảo quản vũ khí trang bị kỹ thuật"
COMMON_QUERY = "công nghiệp quốc phòng"
MISSING_ID = "0f0f0f0f0f0f"  # same shape as a real id; never generated below
NOT_OWNER_UID = 4242


def examples(normal: int, fuzz_share: float = 1.0) -> settings:
    count = max(normal, int(FUZZ * fuzz_share)) if FUZZ else normal
    return settings(max_examples=count, deadline=None, derandomize=not FUZZ, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def canary(i: int) -> str:
    return f"canary{i:02d}zq"


def every_canary(docs) -> str:
    return " ".join(d.canary for d in docs)


@dataclass
class Doc:
    """What the test expects of one document: the oracle, independent of the code under test."""

    id: str
    level: Level
    compartments: frozenset[str]
    canary: str
    path: Path
    moved: bool = False  # indexed at Thường first, then moved up: a deleted copy stays below


@dataclass(frozen=True)
class Person:
    name: str
    clearance: Level | None
    compartments: frozenset[str]

    def sees(self, doc: Doc) -> bool:
        return self.clearance is not None and doc.level <= self.clearance and doc.compartments <= self.compartments


def _compartment_key(name: str) -> str:
    return nfc(name).strip().upper()


def run(home: Path, *args: str, expect: int | None = 0) -> "Result":
    """The CLI's result; fails naming stderr unless it exited with `expect` (None: any code)."""
    result = CliRunner().invoke(main, ["--index-dir", str(home), *args], catch_exceptions=False)
    if expect is not None:
        assert result.exit_code == expect, (args, result.exit_code, result.stderr)
    return result


@contextlib.contextmanager
def os_account(name: str):
    """Run as an OS account that does not own the index home (not an administrator)."""
    with mock.patch("os.geteuid", return_value=NOT_OWNER_UID), mock.patch("archsearch.trust.users.os_account", return_value=name):
        yield


def _scrub(output: str, *typed: str) -> str:
    """Output minus what the user typed themselves (a query is echoed back)."""
    for text in sorted(typed, key=len, reverse=True):
        output = output.replace(text, "⟨typed⟩")
    return output


def _check(output: str, hidden: list[Doc], what: str, *typed: str) -> None:
    # assert_no_leak reads documents as records.Document; adapt the oracle's view.
    class _View:
        def __init__(self, doc: Doc):
            self.id, self.classification, self.compartments, self._canary = doc.id, doc.level, sorted(doc.compartments), doc.canary

    views = [_View(d) for d in hidden]
    try:
        assert_no_leak(_scrub(output, *typed), views, canary_of=lambda v: v._canary)
    except AssertionError as error:
        raise AssertionError(f"{what}: {error}") from None


def check_every_read_path(home: Path, docs: list[Doc], person: Person, fmt: str, limit: int,
                          export_query: bool, out_dir: Path, first: bool = True) -> dict[str, float]:
    """Every read command as `person`; returns their scores for the common query."""
    visible = [d for d in docs if person.sees(d)]
    hidden = [d for d in docs if not person.sees(d)]
    user = person.name

    # -- search: totals, pagination, JSON and text ------------------------------------------
    full = run(home, "search", COMMON_QUERY, "--user", user, "--limit", "1000", "--json")
    assert full.exit_code == 0, full.stderr
    _check(full.stdout + full.stderr, hidden, "search --json", COMMON_QUERY)
    data = json.loads(full.stdout)
    assert data["total"] == len(visible), (data["total"], [d.id for d in visible])
    assert sorted(h["id"] for h in data["hits"]) == sorted(d.id for d in visible)
    ranking = [h["id"] for h in data["hits"]]
    scores = {h["id"]: h["score"] for h in data["hits"]}

    # Pages (--limit, --page) put together are the whole ranking; one page past the end is empty.
    size = max(limit, -(-len(visible) // 3))  # at most three pages, and one past the end
    pieces = []
    for number in range(1, len(visible) // size + 2):
        page = run(home, "search", COMMON_QUERY, "--user", user, "--limit", str(size), "--page", str(number),
                   *(["--json"] if number % 2 else []))
        assert page.exit_code == 0, page.stderr
        _check(page.stdout + page.stderr, hidden, f"search --limit {size} --page {number}", COMMON_QUERY)
        if number % 2:
            paged = json.loads(page.stdout)
            assert paged["total"] == len(visible)
            pieces += [h["id"] for h in paged["hits"]]
        else:
            assert page.stdout.startswith(f"{len(visible)} result(s)")
            pieces += [d for d in ranking[(number - 1) * size: number * size] if f"id {d}" in page.stdout]
    assert pieces == ranking

    # Facets count the same masked search: per level exactly the visible documents.
    faceted = run(home, "search", COMMON_QUERY, "--user", user, "--limit", str(limit), "--facets", "--json")
    _check(faceted.stdout + faceted.stderr, hidden, "search --facets", COMMON_QUERY)
    facets = json.loads(faceted.stdout)["facets"]
    assert facets["level"] == {lvl.id: n for lvl, n in Counter(d.level for d in visible).items()}
    assert all(sum(counts.values()) <= len(visible) for counts in facets.values())
    text_facets = run(home, "search", COMMON_QUERY, "--user", user, "--limit", str(limit), "--facets")
    _check(text_facets.stdout + text_facets.stderr, hidden, "search --facets (text)", COMMON_QUERY)

    # --level only narrows: within the clearance it counts that level's visible documents;
    # above it is refused without a word about what exists there.
    for level in ALL_LEVELS:
        within = person.clearance is not None and level <= person.clearance
        narrowed = run(home, "search", COMMON_QUERY, "--user", user, "--level", level.id, "--json",
                       expect=0 if within else 2)
        _check(narrowed.stdout + narrowed.stderr, hidden, f"search --level {level.id}", COMMON_QUERY)
        if within:
            assert json.loads(narrowed.stdout)["total"] == sum(1 for d in visible if d.level == level)
        else:
            assert narrowed.exit_code == 2 and narrowed.stdout == ""
    explained = run(home, "search", every_canary(docs), "--user", user, "--explain", "--json")
    _check(explained.stdout + explained.stderr, hidden, "search --explain", *every_canary(docs).split())

    # Every canary, visible or not, in one ranked OR: only the visible ones may match.
    every = every_canary(docs)
    for flag in ([], ["--json"]):
        attack = run(home, "search", every, "--user", user, "--limit", "1000", *flag)
        assert attack.exit_code == 0, attack.stderr
        _check(attack.stdout + attack.stderr, hidden, f"search canaries {flag}", every)
        if flag:
            assert json.loads(attack.stdout)["total"] == len(visible)
        else:
            assert attack.stdout.startswith(f"{len(visible)} result(s)")
    for doc in hidden[:1]:
        probe = run(home, "search", doc.canary, "--user", user, "--json")
        assert json.loads(probe.stdout)["total"] == 0, doc
        _check(probe.stdout + probe.stderr, hidden, "search hidden canary", doc.canary)

    # -- show: visible ones in full; hidden ones exactly like ones that do not exist ---------
    missing = run(home, "show", MISSING_ID, "--user", user, expect=None)
    assert missing.exit_code != 0 and missing.stdout == ""
    for i, doc in enumerate(visible[:2]):
        shown = run(home, "show", doc.id, "--user", user, *(["--json"] if i % 2 else []))
        assert shown.exit_code == 0 and doc.canary in shown.stdout
        _check(shown.stdout + shown.stderr, hidden, f"show {doc.id}")
    for i, doc in enumerate(hidden):
        flag = ["--json"] if i % 2 else []
        refused = run(home, "show", doc.id, "--user", user, *flag, expect=None)
        assert (refused.exit_code, refused.stdout) == (missing.exit_code, ""), doc
        assert refused.stderr.replace(doc.id, MISSING_ID) == missing.stderr
        _check(refused.stdout + refused.stderr, [d for d in hidden if d is not doc], f"show hidden {doc.id}")
        assert doc.canary not in refused.stderr

    # -- similar: from a visible seed only visible documents; a hidden seed is an unknown id ----
    missing_like = run(home, "similar", MISSING_ID, "--user", user, expect=None)
    assert missing_like.exit_code == missing.exit_code and missing_like.stdout == ""
    for doc in visible[:1]:
        like = run(home, "similar", doc.id, "--user", user, "--limit", "1000", "--json")
        assert like.exit_code == 0, like.stderr
        _check(like.stdout + like.stderr, hidden, f"similar {doc.id}")
        found = {h["id"] for h in json.loads(like.stdout)["hits"]}
        assert found <= {d.id for d in visible} - {doc.id}
    for i, doc in enumerate(hidden[:2]):
        refused = run(home, "similar", doc.id, "--user", user, *(["--json"] if i % 2 else []), expect=None)
        assert (refused.exit_code, refused.stdout) == (missing_like.exit_code, ""), doc
        assert refused.stderr.replace(doc.id, MISSING_ID) == missing_like.stderr
    draft = out_dir / f"draft-{user}.txt"
    draft.write_text(f"{BODY} {every}", encoding="utf-8")
    like_text = run(home, "similar", "--text", str(draft), "--user", user, "--limit", "1000", "--json")
    assert like_text.exit_code == 0, like_text.stderr
    _check(like_text.stdout + like_text.stderr, hidden, "similar --text", every)
    assert {h["id"] for h in json.loads(like_text.stdout)["hits"]} <= {d.id for d in visible}

    # -- saved searches run with the clearance held now, and are the user's own ----------------
    assert run(home, "saved", "add", "all", COMMON_QUERY, "--user", user).exit_code == 0
    rerun = run(home, "saved", "run", "all", "--user", user, "--limit", "1000", "--json")
    _check(rerun.stdout + rerun.stderr, hidden, "saved run", COMMON_QUERY)
    assert [h["id"] for h in json.loads(rerun.stdout)["hits"]] == ranking

    # -- export: the file holds exactly the visible matches, the name carries their level -----
    query = every if export_query else None
    out = out_dir / f"export-{user}.{fmt}"
    exported = run(home, "export", *([query] if query else []), "--user", user, "--out", str(out), "--json")
    assert exported.exit_code == 0, exported.stderr
    _check(exported.stdout + exported.stderr, hidden, "export output", *([query] if query else []))
    final = Path(json.loads(exported.stdout)["path"])
    highest = max((d.level for d in visible), default=None)
    expected_marking = MARKINGS.get(highest) if highest is not None else None
    assert re.search(r"\.(MAT|TOI-MAT|TUYET-MAT)\.", final.name) is None if expected_marking is None else f".{expected_marking}." in final.name
    ids, content = _read_export(final, fmt)
    assert sorted(ids) == sorted(d.id for d in visible)
    _check(content, hidden, f"export file {final.name}", *([query] if query else []))
    final.unlink()

    # -- the audit trail says what the user received, never more --------------------------
    records = json.loads(run(home, "audit", "show", "--user", user, "--json").stdout)
    assert records and all(set(r.get("ids") or []) <= {d.id for d in visible} for r in records)

    # -- as their own OS account (not the index owner) -------------------------------------
    if not first:
        return scores
    with os_account(user):
        own = run(home, "search", COMMON_QUERY, "--json")
        assert own.exit_code == 0 and json.loads(own.stdout)["hits"] == data["hits"]
        for args in (["audit", "show"], ["audit", "show", "--json"], ["status"], ["status", "--json"],
                     ["users", "list"], ["search", COMMON_QUERY, "--user", "root-admin"],
                     ["show", docs[0].id, "--user", "root-admin"]):
            denied = run(home, *args, expect=7)
            assert denied.exit_code == 7 and denied.stdout == "", (args, denied.stdout)
            _check(denied.stderr, docs, f"{' '.join(args[:2])} as non-owner")
    return scores


def _read_export(path: Path, fmt: str) -> tuple[list[str], str]:
    """(ids listed, every byte of the file as text) of an export."""
    raw = path.read_bytes()
    if fmt == "csv":
        text = raw.decode("utf-8-sig")
        return [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))], text
    if fmt == "jsonl":
        text = raw.decode("utf-8")
        return [json.loads(line)["id"] for line in text.splitlines() if line.strip()], text
    with zipfile.ZipFile(path) as bundle:
        members = {info.filename: bundle.read(info) for info in bundle.infolist()}
    text = "\n".join(f"{name}\n{data.decode('utf-8', 'replace')}" for name, data in members.items())
    ids = [json.loads(line)["id"] for line in members["manifest.jsonl"].decode().splitlines() if line.strip()]
    return ids, text


def _scores_alone(workdir: Path, docs: list[Doc], make, person: Person, draft: Path) -> dict[str, dict[str, float]]:
    """The same person's scores (search, and similar --text on `draft`) on an index holding only
    the documents they may see: no level above theirs, no compartment they lack, no deleted copy."""
    seen = sorted(d.id for d in docs if person.sees(d))
    home = workdir / f"alone-{hashlib.sha256(' '.join(seen).encode()).hexdigest()[:12]}"
    if not home.exists():
        make(home, [d for d in docs if person.sees(d)])
    if person.name not in {u.name for u in api.list_users(Settings.from_env(home))}:
        api.add_user(Settings.from_env(home), person.name, person.clearance.id, sorted(person.compartments))
    return _scores(home, person, draft)


def _scores(home: Path, person: Person, draft: Path) -> dict[str, dict[str, float]]:
    """{command: {id: score}} of `person` for the common query and for similar --text `draft`."""
    found = {}
    for command, args in (("search", ["search", COMMON_QUERY]), ("similar", ["similar", "--text", str(draft)])):
        result = run(home, *args, "--user", person.name, "--limit", "1000", "--json")
        assert result.exit_code == 0, result.stderr
        found[command] = {h["id"]: h["score"] for h in json.loads(result.stdout)["hits"]}
    return found


# -- regressions found by the properties below ----------------------------------------------------
def test_total_never_counts_a_compartment_hidden_match_beyond_the_page(tmp_path):
    """Whoosh 2.7.4 counted masked documents when the page was smaller than the result
    (`search(limit=N, mask=..., terms=True)` re-runs the query unmasked to count)."""
    docs = [make_document("a" * 12, f"{BODY} {canary(0)}", Level.UNCLASSIFIED),
            make_document("b" * 12, f"{BODY} {canary(1)} thêm", Level.UNCLASSIFIED, compartments=["A"]),
            make_document("c" * 12, f"{BODY} {canary(2)}", Level.UNCLASSIFIED)]
    home = tmp_path / "home"
    build_index(home, docs)
    api.add_user(Settings.from_env(home), "u", "unclassified")
    for limit in ("1", "2", "3", "10"):
        result = json.loads(run(home, "search", COMMON_QUERY, "--user", "u", "--limit", limit, "--json").stdout)
        assert result["total"] == 2, limit
    text = run(home, "search", COMMON_QUERY, "--user", "u", "--limit", "1")
    assert text.stdout.startswith("2 result(s)")


def test_a_compartment_typed_in_another_case_or_decomposed_is_the_same_compartment(tmp_path):
    source = tmp_path / "kho"
    source.mkdir()
    (source / "a.txt").write_text(f"{BODY} {canary(0)}", encoding="utf-8")
    (source / "a.txt.meta.json").write_text(json.dumps({"compartments": ["Đặc-biệt"]}), encoding="utf-8")
    settings = Settings.from_env(tmp_path / "home", jobs=1)
    api.index(settings, [source])
    api.add_user(settings, "holder", "unclassified", [unicodedata.normalize("NFD", " đặc-BIỆT ")])
    api.add_user(settings, "other", "unclassified", ["CNQP-A"])
    assert [h.path for h in api.search(settings, canary(0), user="holder").hits] == [str(source / "a.txt")]
    assert api.search(settings, canary(0), user="other").total == 0


def test_similar_to_a_text_when_every_opened_partition_is_empty(tmp_path):
    """A user whose partitions hold nothing got a ZeroDivisionError traceback from `similar
    --text` (Whoosh's key-term weighting divides by the document count)."""
    home = tmp_path / "home"
    build_index(home, [make_document("a" * 12, f"{BODY} {canary(0)}", Level.SECRET)])
    api.add_user(Settings.from_env(home), "low", "unclassified")
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{BODY} {canary(0)}", encoding="utf-8")
    result = run(home, "similar", "--text", str(draft), "--user", "low", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["hits"] == []


# -- property 1: synthetic documents written straight into the partitions (fast) --------------
COMPARTMENTS = ["A", "B", "CNQP-A"]
doc_specs = st.lists(st.tuples(st.sampled_from(ALL_LEVELS), st.frozensets(st.sampled_from(COMPARTMENTS), max_size=2),
                               st.booleans()), min_size=1, max_size=8)
user_specs = st.lists(st.tuples(st.sampled_from([None, *ALL_LEVELS]), st.frozensets(st.sampled_from(COMPARTMENTS), max_size=3)),
                      min_size=1, max_size=3)


def _synthetic(workdir: Path, specs) -> tuple[list[Doc], callable]:
    source = workdir / "kho"
    source.mkdir()
    docs, records = [], []
    for i, (level, compartments, moved) in enumerate(specs):
        doc_id = hashlib.sha256(f"doc{i}".encode()).hexdigest()[:12]
        path = source / f"{canary(i)}.txt"
        text = f"{BODY}. Mã {canary(i)}." + " thêm" * i  # lengths differ, so scores do
        path.write_text(text, encoding="utf-8")
        docs.append(Doc(doc_id, level, frozenset(compartments), canary(i), path, moved and level > Level.UNCLASSIFIED))
        record = make_document(doc_id, text, level, compartments=sorted(compartments), path=path,
                               title=f"Quyết định {canary(i)}", date=dt.date(2000 + i % 3, 1, 1 + i),
                               doc_type=f"Công văn {canary(i)}")
        records.append(dataclasses.replace(record, issuer=f"Cục {canary(i)}"))  # facets name issuers

    def make(home: Path, subset: list[Doc]) -> None:
        wanted = {d.id for d in subset}
        chosen = [r for r in records if r.id in wanted]
        moved = {d.id for d in subset if d.moved} if subset == docs else set()
        # Moved documents are indexed at Thường first (as their old copy), then moved up the way
        # the indexer moves them: deleted below, added at their level, in one commit.
        build_index(home, [dataclasses.replace(r, classification=Level.UNCLASSIFIED) if r.id in moved else r
                           for r in chosen])
        if moved:
            with IndexHome.open(home).writer() as writer:
                for record in chosen:
                    if record.id in moved:
                        writer.delete(record.id, Level.UNCLASSIFIED)
                        writer.add(record)

    return docs, make


@examples(normal=8, fuzz_share=1.0)
@given(specs=doc_specs, users=user_specs, fmt=st.sampled_from(["csv", "jsonl", "zip"]),
       limit=st.integers(1, 9), export_query=st.booleans())
def test_property_no_command_output_reveals_a_hidden_document(specs, users, fmt, limit, export_query):
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        docs, make = _synthetic(workdir, specs)
        home = workdir / "home"
        make(home, docs)
        _exercise(home, workdir, docs, make, users, fmt, limit, export_query)


def _exercise(home, workdir, docs, make, users, fmt, limit, export_query) -> None:
    # Durability of the audit log is not under test here; fsync is most of a small command's time.
    with mock.patch("archsearch.trust.audit.os.fsync"):
        _exercise_users(home, workdir, docs, make, users, fmt, limit, export_query)


def _exercise_users(home, workdir, docs, make, users, fmt, limit, export_query) -> None:
    settings = Settings.from_env(home)
    people = []
    for i, (clearance, compartments) in enumerate(users):
        name = f"user{i}"
        api.add_user(settings, name, clearance.id if clearance is not None else "none", sorted(compartments))
        people.append(Person(name, clearance, frozenset(_compartment_key(c) for c in compartments)))
    out_dir = workdir / "out"
    out_dir.mkdir(exist_ok=True)
    for i, person in enumerate(people):
        check_every_read_path(home, docs, person, fmt, limit, export_query, out_dir, first=i == 0)
        if person.clearance is not None and any(not person.sees(d) or d.moved for d in docs):
            # Statistics count only what the user sees and is live: documents above the
            # clearance, masked ones of their own levels and deleted copies change no score.
            draft = out_dir / f"draft-{person.name}.txt"
            draft.write_text(f"{BODY} {every_canary(docs)}", encoding="utf-8")
            assert _scores_alone(workdir, docs, make, person, draft) == _scores(home, person, draft), \
                "scores changed by documents the user may not see, or by deleted copies"


# -- property 2: real files through `archsearch index`: sidecars, manifests, stamps -----------
# Ways a level can be written by an archivist, and what each must mean.
LEVEL_SPELLINGS = {
    Level.UNCLASSIFIED: ["Thường", "unclassified", "thuong"],
    Level.CONFIDENTIAL: ["Mật", "MẬT", "mat", "confidential"],
    Level.SECRET: ["Tối mật", "TỐI MẬT", "toi mat", "secret"],
    Level.TOP_SECRET: ["Tuyệt mật", "tuyet mat", "top secret"],
}
UNPARSABLE = ["Siêu mật", "???", "mật-ish", "5"]
STAMPS = {Level.CONFIDENTIAL: "MẬT", Level.SECRET: "TỐI MẬT", Level.TOP_SECRET: "TUYỆT MẬT"}
# Compartment names as typed: case, padding and Unicode normalisation must not matter.
# A comma is part of a name: "CNQP-A,B" is one compartment, not CNQP-A and B (issue 12 item 4).
COMPARTMENT_SPELLINGS = {"CNQP-A": ["CNQP-A", "cnqp-a", " Cnqp-A "], "ĐẶC-BIỆT": ["ĐẶC-BIỆT", "đặc-biệt",
                         unicodedata.normalize("NFD", "Đặc-Biệt")], "B": ["B", "b"],
                         "CNQP-A,B": ["CNQP-A,B", "cnqp-a,b", " Cnqp-A,b"]}
# Compartments no reader can trust (issue 12 item 4): the document fails, and is never shown.
MALFORMED_COMPARTMENTS = [
    ("sidecar", {"CNQP-A": True}), ("sidecar", [{"name": "CNQP-A"}]), ("sidecar", True), ("sidecar", [","]),
    ("sidecar", ["\u00a0"]), ("sidecar", [""]), ("sidecar", "CNQP-A"), ("sidecar", ["CNQP-A", 7]),
    ("sidecar", ["x\x00"]), ("manifest", "CNQP-A;"), ("manifest", "CNQP-A;;B"), ("manifest", ";"),
]
UNREADABLE = frozenset({"⟨unreadable compartments⟩"})  # held by nobody: the oracle for a failed document

declared = st.one_of(
    st.none(),
    st.sampled_from(ALL_LEVELS).flatmap(lambda level: st.tuples(st.just(level), st.sampled_from(LEVEL_SPELLINGS[level]))),
    st.tuples(st.just(Level.TOP_SECRET), st.sampled_from(UNPARSABLE)),  # unknown marking: the strictest
)
real_doc = st.fixed_dictionaries({
    "sidecar": declared,
    "manifest": declared,
    "stamp": st.one_of(st.none(), st.sampled_from(sorted(STAMPS))),
    "compartments": st.lists(st.sampled_from(sorted(COMPARTMENT_SPELLINGS)).flatmap(
        lambda c: st.tuples(st.just(c), st.sampled_from(COMPARTMENT_SPELLINGS[c]))), max_size=2),
    "malformed": st.one_of(st.none(), st.none(), st.sampled_from(MALFORMED_COMPARTMENTS)),
})
real_users = st.lists(st.tuples(
    st.sampled_from([None, *ALL_LEVELS]),
    st.lists(st.sampled_from(sorted(COMPARTMENT_SPELLINGS)).flatmap(
        lambda c: st.sampled_from(COMPARTMENT_SPELLINGS[c])), max_size=2),
), min_size=1, max_size=3)


def _write_real(workdir: Path, specs: list[dict], default: Level) -> tuple[list[Doc], callable]:
    source = workdir / "kho"
    source.mkdir()
    docs, rows, broken = [], [], set()
    for i, spec in enumerate(specs):
        name = f"{canary(i)}.txt"
        path = source / name
        head = f"BỘ QUỐC PHÒNG\n{STAMPS[spec['stamp']]}\n" if spec["stamp"] is not None else "BỘ QUỐC PHÒNG\n"
        path.write_text(f"{head}\nCÔNG VĂN\nV/v {canary(i)}\n\n{BODY}. Mã {canary(i)}." + " thêm" * i, encoding="utf-8")
        sidecar = {}
        if spec["sidecar"] is not None:
            sidecar["classification"] = spec["sidecar"][1]
        side_compartments = [typed for _key, typed in spec["compartments"][::2]]
        row_compartments = [typed for _key, typed in spec["compartments"][1::2]]
        if side_compartments:
            sidecar["compartments"] = side_compartments
        if spec["malformed"] is not None:
            where, value = spec["malformed"]
            if where == "sidecar":
                sidecar["compartments"] = value
            else:
                row_compartments = [value]
        if sidecar:
            (source / f"{name}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
        if spec["manifest"] is not None or row_compartments:
            rows.append([name, spec["manifest"][1] if spec["manifest"] else "", ";".join(row_compartments)])
        levels = [lvl for lvl in (spec["sidecar"] and spec["sidecar"][0], spec["manifest"] and spec["manifest"][0], spec["stamp"]) if lvl is not None]
        level = max(levels) if levels else default
        compartments = frozenset(_compartment_key(key) for key, _typed in spec["compartments"])
        doc_id = hashlib.sha256(f"kho\0{name}".encode()).hexdigest()[:12]
        if spec["malformed"] is not None:  # never indexed: nobody may see it
            level, compartments = Level.TOP_SECRET, UNREADABLE
            broken.add(doc_id)
        docs.append(Doc(doc_id, level, compartments, canary(i), path))
    if rows:
        with open(source / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["path", "classification", "compartments"])
            writer.writerows(rows)

    def make(home: Path, subset: list[Doc]) -> None:
        if subset == docs:
            target = source
        else:  # a copy of the collection without the documents left out (same collection name)
            target = workdir / f"{home.name}-src" / "kho"
            target.mkdir(parents=True)
            keep = {d.path.name for d in subset}
            for item in source.iterdir():
                if item.name.split(".meta.json")[0] in keep or item.name == "manifest.csv":
                    (target / item.name).write_bytes(item.read_bytes())
        summary = api.index(Settings.from_env(home, jobs=1), [target], default_level=default)
        failing = {d.path.name for d in subset if d.id in broken}
        assert {Path(f["path"]).name for f in summary.failures} == failing, summary.failures
        assert all("compartments" in f["reason"] for f in summary.failures), summary.failures
        assert summary.indexed == len(subset) - len(failing)

    return docs, make


@examples(normal=4, fuzz_share=0.25)
@given(specs=st.lists(real_doc, min_size=1, max_size=6), users=real_users,
       default=st.sampled_from(ALL_LEVELS), fmt=st.sampled_from(["csv", "jsonl", "zip"]),
       limit=st.integers(1, 5), export_query=st.booleans())
def test_property_indexed_files_follow_the_stricter_marking_and_never_leak(specs, users, default, fmt, limit, export_query):
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        docs, make = _write_real(workdir, specs, default)
        home = workdir / "home"
        make(home, docs)
        _exercise(home, workdir, docs, make, users, fmt, limit, export_query)
