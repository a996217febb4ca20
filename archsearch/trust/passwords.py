"""Password and token hashing for the web front end: argon2id for passwords, SHA-256 for API
tokens and session ids.

Passwords are low-entropy, so they get a slow, memory-hard hash (argon2id, argon2-cffi's
defaults). API tokens and session ids are 256-bit random values: a fast hash is enough (nobody
can guess them from a stolen hash), and it keeps a per-request lookup cheap. No function here
logs or returns a secret it was given.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()  # argon2id (the library's default type)
# Verified against when the account does not exist or has no password, so an unknown name takes
# the same time as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_CHARS = 10
ONE_TIME_BYTES = 12


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; an absent or damaged hash never matches (the
    dummy hash is still verified, for the same timing)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_strength(password: str) -> str | None:
    """A reason the password is refused, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự / at least {MIN_PASSWORD_CHARS} characters"
    return None


def one_time_password() -> str:
    return secrets.token_urlsafe(ONE_TIME_BYTES)


def new_secret() -> str:
    """256 random bits, URL-safe: a session id or an API token."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
