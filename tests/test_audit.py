"""The audit trail: every read recorded in the library, the chain detects edits and removals."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.trust.audit import AUDIT_LOG, AuditError, AuditLog
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.errors import NotFoundError
from archsearch.levels import Level

from .helpers import build_index, make_document


@pytest.fixture
def settings(tmp_path):
    home = tmp_path / "home"
    build_index(home, [make_document("aaa", "kế hoạch sản xuất đạn", Level.SECRET),
                       make_document("bbb", "kế hoạch đào tạo", Level.UNCLASSIFIED)])
    settings = Settings.from_env(home)
    api.add_user(settings, "hoa", "secret")
    api.add_user(settings, "lan", "unclassified")
    return settings


def test_search_and_show_are_recorded_by_the_library(settings):
    api.search(settings, "kế hoạch", user="hoa")
    api.show(settings, "aaa", user="hoa")
    with pytest.raises(NotFoundError):
        api.show(settings, "aaa", user="lan")
    records = list(AuditLog(settings.index_dir).records())
    assert [(r["command"], r["user"], r["clearance"]) for r in records] == [
        ("search", "hoa", "secret"), ("show", "hoa", "secret"), ("show", "lan", "unclassified")]
    assert sorted(records[0]["ids"]) == ["aaa", "bbb"] and records[0]["query"] == "kế hoạch"
    assert records[2]["ids"] == [] and records[2]["outcome"] == "not found"
    assert all(r["os_account"] for r in records)
    assert AuditLog(settings.index_dir).verify() == (3, None)


def test_editing_a_line_is_pinpointed(settings):
    for _ in range(4):
        api.search(settings, "kế hoạch", user="lan")
    log = settings.index_dir / AUDIT_LOG
    lines = log.read_text().splitlines()
    lines[2] = lines[2].replace('"lan"', '"hoa"')
    log.write_text("\n".join(lines) + "\n")
    checked, broken = AuditLog(settings.index_dir).verify()
    assert (checked, broken.line) == (2, 3) and "edited" in broken.reason


@pytest.mark.parametrize("removed", [0, 2, 3])
def test_removing_a_line_is_pinpointed(settings, removed):
    for _ in range(4):
        api.search(settings, "kế hoạch", user="lan")
    log = settings.index_dir / AUDIT_LOG
    lines = log.read_text().splitlines()
    del lines[removed]
    log.write_text("".join(line + "\n" for line in lines))
    checked, broken = AuditLog(settings.index_dir).verify()
    assert broken is not None and broken.line == removed + 1, broken


def test_a_read_that_cannot_be_audited_fails(settings):
    (settings.index_dir / AUDIT_LOG).mkdir()  # the log path cannot be opened as a file
    with pytest.raises(AuditError, match="refused"):
        api.search(settings, "kế hoạch", user="hoa")


def test_cli_verify_and_show(settings):
    api.search(settings, "đào tạo", user="lan")
    runner = CliRunner()
    base = ["--index-dir", str(settings.index_dir)]
    ok = runner.invoke(main, [*base, "audit", "verify"])
    assert ok.exit_code == 0 and "intact: 1 records" in ok.stdout
    shown = json.loads(runner.invoke(main, [*base, "audit", "show", "--user", "lan", "--json"]).stdout)
    assert [r["query"] for r in shown] == ["đào tạo"]
    assert json.loads(runner.invoke(main, [*base, "audit", "show", "--user", "hoa", "--json"]).stdout) == []
    (settings.index_dir / AUDIT_LOG).write_text("garbage\n")
    bad = runner.invoke(main, [*base, "audit", "verify"])
    assert bad.exit_code == 1 and "BROKEN at line 1" in bad.stdout


def test_only_the_index_owner_may_act_as_another_user_or_administer(settings, monkeypatch):
    from archsearch.errors import PermissionDenied

    monkeypatch.setattr("os.geteuid", lambda: 4242)  # an OS account that does not own the index
    monkeypatch.setattr("archsearch.trust.users.os_account", lambda: "lan")
    assert api.search(settings, "kế hoạch").user == "lan"  # acting as oneself is fine
    for attempt in (
        lambda: api.search(settings, "kế hoạch", user="hoa"),
        lambda: api.add_user(settings, "lan", "top-secret"),
        lambda: api.list_users(settings),
        lambda: api.audit_verify(settings),
        lambda: api.status(settings),
    ):
        with pytest.raises(PermissionDenied, match="only the owner"):
            attempt()


# -- the chain hashes exact bytes; the head is an HMAC under a key outside the index home ----
def _lines(settings):
    return (settings.index_dir / AUDIT_LOG).read_bytes().splitlines(keepends=True)


def _write_lines(settings, lines):
    (settings.index_dir / AUDIT_LOG).write_bytes(b"".join(lines))


@pytest.fixture
def five_reads(settings):
    for query in ("kế hoạch", "đào tạo", "sản xuất", "đạn", "kế hoạch đào tạo"):
        api.search(settings, query, user="lan")
    assert AuditLog(settings.index_dir).verify() == (5, None)
    return settings


def test_a_duplicate_key_inserted_into_a_line_is_detected(five_reads):
    """A later duplicate key wins when JSON is parsed, so a chain over the parsed record let a
    forged "query" through untouched; the bytes changed, so the chain must break there."""
    lines = _lines(five_reads)
    lines[2] = lines[2].replace(b'"query":', b'"query":"FORGED-benign","query":', 1)
    _write_lines(five_reads, lines)
    checked, broken = AuditLog(five_reads.index_dir).verify()
    assert (checked, broken.line) == (2, 3), broken


def test_whitespace_added_to_a_line_is_detected(five_reads):
    lines = _lines(five_reads)
    lines[2] = lines[2].replace(b'","', b'", "', 1).replace(b"{", b"{ ", 1)
    assert json.loads(lines[2]) == json.loads(_lines(five_reads)[2])  # the same record when parsed
    _write_lines(five_reads, lines)
    checked, broken = AuditLog(five_reads.index_dir).verify()
    assert (checked, broken.line) == (2, 3) and "edited" in broken.reason, broken


def test_cutting_the_tail_and_recomputing_the_head_from_the_log_is_detected(five_reads):
    """Everything in the index home is the attacker's: they drop the last two records and write
    the head the old way, from the last kept line's own hash, and also with a MAC under a key
    of their own. Neither matches the key kept outside the index home."""
    home = five_reads.index_dir
    lines = _lines(five_reads)[:3]
    _write_lines(five_reads, lines)
    last = json.loads(lines[-1])
    head = json.loads((home / "audit.head").read_text())
    import hashlib
    import hmac

    for forged_mac in (head["mac"], hmac.new(b"k" * 64, b"x", hashlib.sha256).hexdigest()):
        (home / "audit.head").write_text(json.dumps({"format": 2, "seq": last["seq"], "hash": last["hash"], "mac": forged_mac}))
        checked, broken = AuditLog(home).verify()
        assert (checked, broken.line) == (3, 4) and "not authentic" in broken.reason, broken
    (home / "audit.head").write_text(json.dumps({"seq": last["seq"], "hash": last["hash"]}))  # the old head format
    assert AuditLog(home).verify()[1] is not None


def test_cutting_the_tail_alone_is_detected_and_reads_are_refused_after_a_forged_head(five_reads):
    home = five_reads.index_dir
    _write_lines(five_reads, _lines(five_reads)[:4])
    checked, broken = AuditLog(home).verify()
    assert (checked, broken.line) == (4, 5) and "removed from the end" in broken.reason
    head = json.loads((home / "audit.head").read_text())
    head["seq"] -= 1
    (home / "audit.head").write_text(json.dumps(head))
    with pytest.raises(AuditError, match="not authentic"):
        api.search(five_reads, "kế hoạch", user="lan")


def test_a_removed_log_is_detected_and_not_restarted_under_the_old_head(five_reads):
    home = five_reads.index_dir
    (home / AUDIT_LOG).unlink()
    checked, broken = AuditLog(home).verify()
    assert (checked, broken.line) == (0, 1) and "removed from the end" in broken.reason
    with pytest.raises(AuditError, match="missing or empty"):
        api.search(five_reads, "kế hoạch", user="lan")
    assert not (home / AUDIT_LOG).exists() or not (home / AUDIT_LOG).read_bytes()


def test_an_untouched_log_verifies_and_every_line_ends_with_its_hash(five_reads):
    home = five_reads.index_dir
    assert AuditLog(home).verify() == (5, None)
    for line in _lines(five_reads):
        assert line.endswith(b'"}\n') and line.rstrip(b"\n").rsplit(b",", 1)[1].startswith(b'"hash":')
    api.show(five_reads, "bbb", user="lan")
    assert AuditLog(home).verify() == (6, None)


def test_the_key_lives_outside_the_index_home_and_is_private(settings, tmp_path):
    key = tmp_path / "keys" / "audit.key"
    log = AuditLog(settings.index_dir, key)
    log.append(user="hoa", command="search", query="x")
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes().strip()) >= 32
    assert log.verify() == (1, None)
    other = tmp_path / "other.key"
    other.write_text("z" * 64)
    other.chmod(0o600)
    assert "not authentic" in AuditLog(settings.index_dir, other).verify()[1].reason  # another key proves nothing
    key.chmod(0o644)  # readable by others: anyone could forge the head
    with pytest.raises(AuditError, match="readable by nobody else"):
        log.append(user="hoa", command="search", query="y")
    with pytest.raises(AuditError, match="inside the index home"):
        AuditLog(settings.index_dir, settings.index_dir / "audit.key").append(user="hoa", command="search", query="y")
    key.chmod(0o600)
    key.unlink()
    with pytest.raises(AuditError, match="key .* is missing"):
        log.append(user="hoa", command="search", query="y")


def test_an_old_format_log_is_refused_with_a_clear_message(settings):
    """Format 1 (chain over the re-serialised JSON, head without HMAC) is never extended: its
    chain admits the edits above, so appending to it would lend it a trust it never had."""
    import hashlib

    home = settings.index_dir
    record = {"seq": 1, "time": "2026-01-01T00:00:00.000+00:00", "os_account": "root", "user": "hoa",
              "clearance": "secret", "compartments": [], "command": "search", "query": "q", "ids": [],
              "prev": "0" * 64}
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    record["hash"] = hashlib.sha256(("0" * 64 + canonical).encode()).hexdigest()
    (home / AUDIT_LOG).write_text(json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
    (home / "audit.head").write_text(json.dumps({"hash": record["hash"], "seq": 1}))
    checked, broken = AuditLog(home).verify()
    assert (checked, broken.line) == (0, 1) and "old format" in broken.reason
    with pytest.raises(AuditError, match="old format"):
        api.search(settings, "kế hoạch", user="hoa")
    assert [r["query"] for r in AuditLog(home).records()] == ["q"]  # still readable by audit show
    result = CliRunner().invoke(main, ["--index-dir", str(home), "audit", "verify"])
    assert result.exit_code == 1 and "old format" in result.stdout and "move audit.log" in result.stdout
    searched = CliRunner().invoke(main, ["--index-dir", str(home), "search", "kế hoạch", "--user", "hoa"])
    assert searched.exit_code == AuditError.exit_code and "old format" in searched.stderr


# -- who runs the command comes from the real uid, never from LOGNAME/USER ---------------------
def _uid_name() -> str:
    import os
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def test_logname_and_user_do_not_choose_who_acts_or_who_is_audited(settings, monkeypatch):
    """`LOGNAME=hoa archsearch search` once acted as hoa (getpass reads the environment first)
    and was audited as `hoa->hoa`; the account comes from the uid."""
    own = _uid_name()
    api.add_user(settings, own, "unclassified")
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "hoa")
    result = CliRunner().invoke(main, ["--index-dir", str(settings.index_dir), "search", "kế hoạch", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["user"] == own
    record = list(AuditLog(settings.index_dir).records())[-1]
    assert (record["os_account"], record["user"]) == (own, own)


def test_a_uid_without_a_passwd_entry_is_named_by_its_number(monkeypatch):
    import pwd

    from archsearch.trust import users

    def missing(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", missing)
    monkeypatch.setenv("LOGNAME", "hoa")
    import os

    assert users.os_account() == f"uid:{os.getuid()}"


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="needs root to run the CLI under another uid")
def test_a_non_root_account_is_itself_whatever_its_environment_says(tmp_path):
    """The CLI in a real process under the uid of `nobody`, with LOGNAME/USER naming hoa."""
    import os
    import pwd
    import shutil
    import subprocess
    import sys
    import tempfile

    account = pwd.getpwnam("nobody")
    for needed in (os.path.realpath(sys.executable), sys.base_prefix, sys.prefix):
        for directory in [Path(needed), *Path(needed).parents]:
            if directory.exists() and not directory.stat().st_mode & 0o001:
                pytest.skip(f"{directory} is not searchable by other accounts: the interpreter cannot run as nobody")
    base = Path(tempfile.mkdtemp(prefix="archsearch-uid-"))  # pytest's tmp_path is root-only
    try:
        home = base / "home"
        build_index(home, [make_document("bbb", "kế hoạch đào tạo", Level.UNCLASSIFIED)])
        settings = Settings.from_env(home)
        api.add_user(settings, "nobody", "unclassified")
        api.add_user(settings, "hoa", "secret")
        for path in [base, *base.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)

        def become_nobody():
            os.setgid(account.pw_gid)
            os.setgroups([])
            os.setuid(account.pw_uid)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LOGNAME": "hoa", "USER": "hoa",
               "HOME": str(base), "ARCHSEARCH_AUDIT_KEY": str(base / "key" / "audit.key")}
        completed = subprocess.run(
            [sys.executable, "-m", "archsearch.cli.main", "--index-dir", str(home), "search", "kế hoạch", "--json"],
            capture_output=True, text=True, env=env, cwd=base, preexec_fn=become_nobody, timeout=60)
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout)["user"] == "nobody"
        record = [json.loads(line) for line in (home / AUDIT_LOG).read_text().splitlines()][-1]
        assert (record["os_account"], record["user"]) == ("nobody", "nobody")
    finally:
        shutil.rmtree(base, ignore_errors=True)
