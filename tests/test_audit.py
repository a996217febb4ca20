"""The audit trail: every read recorded in the library, the chain detects edits and removals."""

import json

import pytest
from click.testing import CliRunner

from archsearch import api
from archsearch.audit import AUDIT_LOG, AuditError, AuditLog
from archsearch.cli import main
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
    monkeypatch.setattr("getpass.getuser", lambda: "lan")
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
