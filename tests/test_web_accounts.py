"""Web accounts (accounts.py, sessions.py, passwords.py) and their CLI commands."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from archsearch.trust import accounts
from archsearch import api
from archsearch.trust.audit import AuditLog
from archsearch.cli.main import main
from archsearch.config import Settings
from archsearch.trust.sessions import SessionPolicy, SessionStore, Throttle
from tests.web_support import fast_hashes  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_hashes")


@pytest.fixture()
def settings(tmp_path):
    settings = Settings.from_env(tmp_path / "home")
    api.add_user(settings, "hoa", "secret")
    return settings


def _commands(settings):
    return [r["command"] for r in AuditLog(settings.index_dir).records()]


def test_password_is_an_argon2id_hash_never_logged(settings):
    from argon2 import PasswordHasher

    assert PasswordHasher().type.name == "ID"  # the production hasher's type (argon2id)
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    stored = json.loads((settings.index_dir / "users.json").read_text())["hoa"]
    assert stored["password"].startswith("$argon2id$") and "mat-khau-dai-1" not in stored["password"]
    assert "mat-khau-dai-1" not in (settings.index_dir / "audit.log").read_text()
    # users add keeps the account fields (a clearance change must not wipe the password)
    api.add_user(settings, "hoa", "confidential")
    assert json.loads((settings.index_dir / "users.json").read_text())["hoa"]["password"] == stored["password"]


def test_one_time_password_must_be_changed_and_change_revokes_sessions(settings):
    one_time = accounts.set_password(settings, "hoa")
    session, account = accounts.sign_in(settings, "hoa", one_time, "10.0.0.1")
    assert account.must_change_password
    other, _ = accounts.sign_in(settings, "hoa", one_time, "10.0.0.2")
    accounts.change_password(settings, "hoa", one_time, "mat-khau-moi-2")
    assert accounts.session_user(settings, session) is None and accounts.session_user(settings, other) is None
    with pytest.raises(accounts.LoginRefused):
        accounts.sign_in(settings, "hoa", one_time, "10.0.0.1")
    _, account = accounts.sign_in(settings, "hoa", "mat-khau-moi-2", "10.0.0.1")
    assert not account.must_change_password


def test_session_file_is_private_and_holds_no_session_id(settings):
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    session, _ = accounts.sign_in(settings, "hoa", "mat-khau-dai-1", "10.0.0.1")
    path = settings.index_dir / "sessions.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session not in path.read_text() and len(session) >= 43  # 256 bits, url-safe


def test_idle_and_absolute_timeouts(settings):
    store = SessionStore(settings.index_dir, SessionPolicy(idle=60, absolute=300))
    sid = store.create("hoa", "a", now=1000)
    assert store.lookup(sid, now=1050) == "hoa"
    assert store.lookup(sid, now=1050 + 61) is None  # idle
    sid = store.create("hoa", "a", now=2000)
    for t in range(2040, 2300, 40):
        assert store.lookup(sid, now=t) == "hoa"
    assert store.lookup(sid, now=2301) is None  # absolute


def test_disable_ends_sessions_and_refuses_sign_in_with_the_same_message(settings):
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    session, _ = accounts.sign_in(settings, "hoa", "mat-khau-dai-1", "10.0.0.1")
    accounts.set_disabled(settings, "hoa", True)
    assert accounts.session_user(settings, session) is None
    with pytest.raises(accounts.LoginRefused) as disabled:
        accounts.sign_in(settings, "hoa", "mat-khau-dai-1", "10.0.0.1")
    with pytest.raises(accounts.LoginRefused) as unknown:
        accounts.sign_in(settings, "nobody", "mat-khau-dai-1", "10.0.0.1")
    assert str(disabled.value) == str(unknown.value)
    accounts.set_disabled(settings, "hoa", False)
    accounts.sign_in(settings, "hoa", "mat-khau-dai-1", "10.0.0.1")


def test_five_failures_lock_the_account_even_with_the_right_password(settings):
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    for _ in range(5):
        with pytest.raises(accounts.LoginRefused):
            accounts.sign_in(settings, "hoa", "sai", "10.0.0.1")
    with pytest.raises(accounts.LoginRefused):
        accounts.sign_in(settings, "hoa", "mat-khau-dai-1", "10.0.0.9")
    commands = _commands(settings)
    assert commands.count("login failure") == 5 and "login lockout" in commands and commands[-1] == "login refused"
    assert AuditLog(settings.index_dir).verify()[1] is None


def test_twenty_failures_from_one_address_lock_the_address(settings):
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    throttle = Throttle(settings.index_dir)
    for i in range(20):
        throttle.failure(f"u{i}", "10.0.0.66", now=1000 + i)
    assert not throttle.allowed("hoa", "10.0.0.66", now=1030)
    assert throttle.allowed("hoa", "10.0.0.67", now=1030)
    assert throttle.allowed("hoa", "10.0.0.66", now=1000 + 19 + 15 * 60)


def test_failures_outside_the_window_do_not_count(settings):
    throttle = Throttle(settings.index_dir)
    for i in range(4):
        throttle.failure("hoa", "a", now=1000 + i)
    throttle.failure("hoa", "a", now=1000 + 15 * 60 + 10)
    assert throttle.allowed("hoa", "a", now=1000 + 15 * 60 + 11)


def test_tokens_are_stored_hashed_revocable_and_refused_when_disabled(settings):
    token_id, token = accounts.issue_token(settings, "hoa")
    assert token not in (settings.index_dir / "users.json").read_text()
    assert accounts.token_user(settings, token, "10.0.0.1") == "hoa"
    with pytest.raises(accounts.LoginRefused):
        accounts.token_user(settings, token + "x", "10.0.0.1")
    accounts.set_disabled(settings, "hoa", True)
    with pytest.raises(accounts.LoginRefused):
        accounts.token_user(settings, token, "10.0.0.1")
    accounts.set_disabled(settings, "hoa", False)
    accounts.revoke_token(settings, "hoa", token_id)
    with pytest.raises(accounts.LoginRefused):
        accounts.token_user(settings, token, "10.0.0.1")


def test_cli_passwd_disable_enable_admin_token(settings):
    home = ["--index-dir", str(settings.index_dir)]
    result = CliRunner().invoke(main, [*home, "users", "passwd", "hoa", "--one-time"])
    assert result.exit_code == 0, result.output
    one_time = result.stdout.strip().rsplit(" ", 1)[1]
    assert accounts.sign_in(settings, "hoa", one_time, "a")[1].must_change_password
    result = CliRunner().invoke(main, [*home, "users", "passwd", "hoa"], input="mat-khau-dai-9\nmat-khau-dai-9\n")
    assert result.exit_code == 0, result.output
    accounts.sign_in(settings, "hoa", "mat-khau-dai-9", "a")
    assert CliRunner().invoke(main, [*home, "users", "disable", "hoa"]).exit_code == 0
    assert accounts.get_account(settings, "hoa").disabled
    assert CliRunner().invoke(main, [*home, "users", "enable", "hoa"]).exit_code == 0
    assert CliRunner().invoke(main, [*home, "users", "admin", "hoa"]).exit_code == 0
    assert accounts.get_account(settings, "hoa").admin
    result = CliRunner().invoke(main, [*home, "users", "token", "hoa"])
    assert result.exit_code == 0 and accounts.token_user(settings, result.stdout.strip(), "a") == "hoa"
    assert "created" in CliRunner().invoke(main, [*home, "users", "token", "hoa", "--list"]).stdout


def test_account_records_leave_the_index_home_indexable(tmp_path):
    """users add, passwords and sessions before the first `index` must not make the home look
    foreign (IndexHome refuses a directory holding files it does not know)."""
    from archsearch.engine.index import IndexHome
    from archsearch.web import create_app

    settings = Settings.from_env(tmp_path / "home")
    api.add_user(settings, "hoa", "secret")
    accounts.set_password(settings, "hoa", "mat-khau-dai-1")
    create_app(settings)
    IndexHome.create_or_open(settings.index_dir)
