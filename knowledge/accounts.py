"""Staff accounts of the back-office: Argon2id passwords, a growing delay after failed logins, server-side
sessions that end after a time without activity."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from knowledge.db import session_scope
from knowledge.models import StaffSession, StaffUser, utcnow

ROLES = ("editor", "admin")
MIN_PASSWORD = 12
SLOWED_FROM = 5  # failed logins in a row after which attempts are slowed down
MAX_DELAY = 300.0  # seconds
FORGOTTEN_AFTER = timedelta(days=1)  # idle sessions older than this are deleted even if never presented again
# OWASP's recommended Argon2id parameters: 19 MiB of memory, 2 iterations, 1 degree of parallelism.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UserInfo:
    email: str
    role: str
    active: bool


@dataclass
class LoginResult:
    """The user on success; else None, and while attempts are slowed down, the seconds to wait."""

    user: UserInfo | None
    retry_after: float


def _info(user: StaffUser) -> UserInfo:
    return UserInfo(user.email, user.role, user.active)


def _normal(email: str) -> str:
    return email.strip().lower()


def add_user(email: str, password: str, role: str, url: str | None = None) -> UserInfo:
    """Create an active account; ValueError (French) on a bad address, role or password, or an existing account."""
    email = _normal(email)
    if not _EMAIL.match(email) or len(email) > 200:
        raise ValueError(f"adresse e-mail invalide : {email!r}")
    if role not in ROLES:
        raise ValueError(f"rôle inconnu {role!r} (possibles : {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mot de passe trop court : {MIN_PASSWORD} caractères au moins")
    with session_scope(url) as s:
        if s.get(StaffUser, email) is not None:
            raise ValueError(f"le compte {email} existe déjà")
        user = StaffUser(email=email, password_hash=HASHER.hash(password), role=role, active=True, failed_logins=0)
        s.add(user)
        return _info(user)


def list_users(url: str | None = None) -> list[UserInfo]:
    """Every account, by address."""
    with session_scope(url) as s:
        return [_info(u) for u in s.scalars(select(StaffUser).order_by(StaffUser.email))]


def disable_user(email: str, url: str | None = None) -> bool:
    """Disable an account and close its sessions; False if there is no such account."""
    with session_scope(url) as s:
        user = s.get(StaffUser, _normal(email))
        if user is None:
            return False
        user.active = False
        s.execute(delete(StaffSession).where(StaffSession.email == user.email))
        return True


def login_delay(failures: int) -> float:
    """Seconds to wait after the last failed login before the next attempt is checked."""
    return 0.0 if failures < SLOWED_FROM else min(2.0 ** (failures - SLOWED_FROM), MAX_DELAY)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified for unknown accounts: the same work and the same answer as a wrong password."""
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(encoded: str, password: str) -> bool:
    try:
        return HASHER.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def check_login(email: str, password: str, url: str | None = None, now: datetime | None = None) -> LoginResult:
    """The account if `password` is its own and it is active. From the 5th failure on, attempts within the
    growing delay (1 s, 2 s, 4 s... at most 5 min) are refused unchecked, with the seconds to wait."""
    with session_scope(url) as s:
        user = s.get(StaffUser, _normal(email), with_for_update=True)  # attempts at once on one account: in turn
        now = now or utcnow()  # once this attempt's turn has come
        if user is None:
            _verify(_dummy_hash(), password)
            return LoginResult(None, 0.0)
        if user.last_failed_at is not None:
            wait = (user.last_failed_at + timedelta(seconds=login_delay(user.failed_logins)) - now).total_seconds()
            if wait > 0:
                return LoginResult(None, wait)
        if not _verify(user.password_hash, password) or not user.active:
            user.failed_logins += 1
            user.last_failed_at = now
            return LoginResult(None, 0.0)
        user.failed_logins, user.last_failed_at = 0, None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        return LoginResult(_info(user), 0.0)


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(email: str, url: str | None = None) -> str:
    """A new session of the account (a new random token every time, never reused). Sessions left idle for a
    day, which have expired, are deleted on the way."""
    token = secrets.token_urlsafe(32)
    with session_scope(url) as s:
        s.execute(delete(StaffSession).where(StaffSession.last_seen_at < utcnow() - FORGOTTEN_AFTER))
        s.add(StaffSession(id=_key(token), email=_normal(email)))
    return token


def session_user(session_id: str, idle_minutes: int = 30, url: str | None = None,
                 now: datetime | None = None) -> UserInfo | None:
    """The signed-in account of a session, which it keeps alive; None, and the session closed, once it has been
    idle longer than `idle_minutes` or its account is disabled."""
    now = now or utcnow()
    with session_scope(url) as s:
        session = s.get(StaffSession, _key(session_id))
        if session is None:
            return None
        user = s.get(StaffUser, session.email)
        if user is None or not user.active or now - session.last_seen_at > timedelta(minutes=idle_minutes):
            s.delete(session)
            return None
        session.last_seen_at = now
        return _info(user)


def close_session(session_id: str, url: str | None = None) -> None:
    """Sign out: the session no longer exists."""
    with session_scope(url) as s:
        s.execute(delete(StaffSession).where(StaffSession.id == _key(session_id)))
