"""Accounts of the web front end: passwords, disabling, web administrators, API tokens, and
signing in (trust layer; no web framework here).

The fields live in the user registry beside the clearance (users.json, owner-only):
`password` (an argon2id hash), `must_change_password`, `disabled`, `admin` (may use the web
administration pages) and `tokens` (id -> SHA-256 of an API token). Commands that change them
are for the index owner (api's administrator check) or, through the web, for a user whose
`admin` flag is set; every change, sign-in, failure, lock-out and sign-out is an audit record in
the same hash chain as the reads. No secret is ever written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from archsearch.trust.audit import AuditLog
from archsearch.config import Settings
from archsearch.errors import ArchsearchError, PermissionDenied, UnknownUserError, UsageError
from archsearch.trust.passwords import (check_strength, digest, hash_password, new_secret, one_time_password,
                        same_digest, verify_password)
from archsearch.trust.sessions import SessionPolicy, SessionStore, Throttle
from archsearch.trust.users import UserRegistry

REFUSED = "Sai tên đăng nhập hoặc mật khẩu / wrong user name or password"
_PRINTABLE_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class LoginRefused(ArchsearchError):
    """A sign-in refused: wrong password, unknown or disabled user, or throttled. One message
    for all, so the reason is not revealed."""

    exit_code = 7

    def __init__(self):
        super().__init__(REFUSED)


@dataclass(frozen=True)
class Account:
    name: str
    admin: bool
    disabled: bool
    must_change_password: bool
    has_password: bool


def _account(entry: dict, name: str) -> Account:
    return Account(name, bool(entry.get("admin")), bool(entry.get("disabled")),
                   bool(entry.get("must_change_password")), bool(entry.get("password")))


def _record(settings: Settings, user: str, command: str, client: dict | None = None, **fields) -> None:
    """An audit record of an account event (the clearance as the registry holds it now)."""
    try:
        entry = UserRegistry(settings.index_dir).account(user)
        clearance, compartments = entry.get("clearance", "none"), entry.get("compartments", [])
    except (UnknownUserError, UsageError):
        clearance, compartments = "none", []
    if client:
        fields["client"] = client
    AuditLog(settings.index_dir).append(user=user, clearance=clearance, compartments=compartments,
                                        command=command, **fields)


def _require_owner(settings: Settings, what: str) -> None:
    from archsearch.api import _require_administrator

    _require_administrator(settings, what)


def get_account(settings: Settings, name: str) -> Account:
    """The account as the registry holds it now (read on every request)."""
    return _account(UserRegistry(settings.index_dir).account(name), name)


def require_web_admin(settings: Settings, name: str) -> None:
    """`name` may use the administration pages: a registered, enabled user with `admin` set."""
    try:
        account = get_account(settings, name)
    except UnknownUserError:
        account = None
    if account is None or account.disabled or not account.admin:
        raise PermissionDenied("chỉ quản trị viên / administrators only")


def _revoke(settings: Settings, name: str) -> int:
    return SessionStore(settings.index_dir).revoke_user(name)


def set_password(settings: Settings, name: str, password: str | None = None, by: str | None = None,
                 client: dict | None = None) -> str | None:
    """Set `name`'s password, or (None) a one-time password returned to the caller, which must
    be changed at the first sign-in. Ends the user's sessions."""
    _require_owner(settings, "set passwords")
    if password is not None and (reason := check_strength(password)):
        raise UsageError(reason)
    one_time = one_time_password() if password is None else None
    hashed = hash_password(password if password is not None else one_time)

    def change(entry):
        entry["password"] = hashed
        entry["must_change_password"] = one_time is not None

    UserRegistry(settings.index_dir).update_account(name, change)
    ended = _revoke(settings, name)
    _record(settings, name, "account passwd", client, one_time=one_time is not None, by=by or "owner",
            sessions_ended=ended)
    return one_time


def set_disabled(settings: Settings, name: str, disabled: bool, by: str | None = None,
                 client: dict | None = None) -> Account:
    _require_owner(settings, "disable or enable users")
    entry = UserRegistry(settings.index_dir).update_account(name, lambda e: e.__setitem__("disabled", disabled))
    ended = _revoke(settings, name) if disabled else 0
    _record(settings, name, "account disable" if disabled else "account enable", client, by=by or "owner",
            sessions_ended=ended)
    return _account(entry, name)


def set_admin(settings: Settings, name: str, admin: bool, by: str | None = None, client: dict | None = None) -> Account:
    _require_owner(settings, "grant web administration")
    entry = UserRegistry(settings.index_dir).update_account(name, lambda e: e.__setitem__("admin", admin))
    _record(settings, name, "account admin" if admin else "account admin removed", client, by=by or "owner")
    return _account(entry, name)


def issue_token(settings: Settings, name: str, by: str | None = None) -> tuple[str, str]:
    """A new API token for `name`: returns (token id, token). Only its SHA-256 is stored."""
    _require_owner(settings, "issue API tokens")
    token_id = secrets.token_hex(4)
    token = f"as_{token_id}_{new_secret()}"
    created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    UserRegistry(settings.index_dir).update_account(
        name, lambda e: e.setdefault("tokens", {}).__setitem__(token_id, {"sha256": digest(token), "created": created}))
    _record(settings, name, "account token issued", token_id=token_id, by=by or "owner")
    return token_id, token


def revoke_token(settings: Settings, name: str, token_id: str, by: str | None = None) -> bool:
    _require_owner(settings, "revoke API tokens")
    found = []

    def change(entry):
        found.append(entry.get("tokens", {}).pop(token_id, None))

    UserRegistry(settings.index_dir).update_account(name, change)
    if found[0] is None:
        raise UsageError(f"user {name!r} has no token {token_id!r}")
    _record(settings, name, "account token revoked", token_id=token_id, by=by or "owner")
    return True


def list_tokens(settings: Settings, name: str) -> list[dict]:
    _require_owner(settings, "list API tokens")
    tokens = UserRegistry(settings.index_dir).account(name).get("tokens", {})
    return [{"id": token_id, "created": t.get("created")} for token_id, t in sorted(tokens.items())]


def _loggable(name: str) -> str:
    # A password typed into the name field must not reach the audit log in full.
    return name if _PRINTABLE_NAME.match(name) else "(invalid name)"


def sign_in(settings: Settings, name: str, password: str, address: str, policy: SessionPolicy = SessionPolicy(),
            client: dict | None = None) -> tuple[str, Account]:
    """Check a password and open a session: returns (session id, account). Raises LoginRefused
    (one message) for a wrong password, an unknown or disabled user, or a throttled account or
    address; the password is verified in every case, so each takes the same time."""
    client = client or {"address": address}
    throttle = Throttle(settings.index_dir)
    logged = _loggable(name)
    registry = UserRegistry(settings.index_dir)
    try:
        entry = registry.account(name) if _PRINTABLE_NAME.match(name) else None
    except UnknownUserError:
        entry = None
    matches = verify_password((entry or {}).get("password"), password)
    if not throttle.allowed(logged, address):
        _record(settings, logged, "login refused", client, reason="locked out")
        raise LoginRefused()
    if entry is None or not matches or entry.get("disabled"):
        reason = "unknown user" if entry is None else ("disabled" if entry.get("disabled") else "wrong password")
        _record(settings, logged, "login failure", client, reason=reason)
        for key in throttle.failure(logged, address):
            _record(settings, logged, "login lockout", client, locked=key, minutes=15)
        raise LoginRefused()
    throttle.success(name)
    session_id = SessionStore(settings.index_dir, policy).create(name, address)
    _record(settings, name, "login", client, method="password")
    return session_id, _account(entry, name)


def sign_out(settings: Settings, session_id: str | None, client: dict | None = None) -> None:
    user = SessionStore(settings.index_dir).revoke(session_id)
    if user:
        _record(settings, user, "logout", client)


def change_password(settings: Settings, name: str, old: str, new: str, client: dict | None = None) -> None:
    """The user's own change: the old password must match; ends all of their sessions (the
    caller opens a new one)."""
    if (reason := check_strength(new)):
        raise UsageError(reason)
    if new == old:
        raise UsageError("mật khẩu mới phải khác mật khẩu cũ / the new password must differ from the old one")
    entry = UserRegistry(settings.index_dir).account(name)
    if not verify_password(entry.get("password"), old):
        _record(settings, name, "account passwd refused", client, reason="wrong current password")
        raise UsageError("mật khẩu hiện tại không đúng / the current password is wrong")
    hashed = hash_password(new)

    def change(e):
        e["password"] = hashed
        e["must_change_password"] = False

    UserRegistry(settings.index_dir).update_account(name, change)
    ended = _revoke(settings, name)
    _record(settings, name, "account passwd", client, by="self", sessions_ended=ended)


def token_user(settings: Settings, token: str, address: str, client: dict | None = None) -> str:
    """The user an API token belongs to (enabled users only); raises LoginRefused, audited and
    throttled per address like a failed sign-in."""
    client = client or {"address": address}
    throttle = Throttle(settings.index_dir)
    if not throttle.allowed("(token)", address):
        _record(settings, "(token)", "login refused", client, method="token", reason="locked out")
        raise LoginRefused()
    wanted = digest(token) if len(token) <= 200 else ""
    for name, entry in UserRegistry(settings.index_dir).accounts().items():
        for token_id, stored in (entry.get("tokens") or {}).items():
            if wanted and same_digest(stored.get("sha256", ""), wanted) and not entry.get("disabled"):
                return name
    _record(settings, "(token)", "login failure", client, method="token")
    for key in throttle.failure("(token)", address):
        _record(settings, "(token)", "login lockout", client, locked=key, minutes=15)
    raise LoginRefused()


def session_user(settings: Settings, session_id: str | None, policy: SessionPolicy = SessionPolicy()) -> Account | None:
    """The account behind a live session, read from the registry now: None when the session
    has ended, the user is gone, or disabled (whose sessions then end)."""
    store = SessionStore(settings.index_dir, policy)
    name = store.lookup(session_id)
    if name is None:
        return None
    try:
        account = get_account(settings, name)
    except UnknownUserError:
        store.revoke_user(name)
        return None
    if account.disabled:
        store.revoke_user(name)
        return None
    return account
