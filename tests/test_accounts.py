"""Staff accounts: Argon2id passwords, the growing delay after failed logins, sessions and the command line."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from knowledge.accounts import (
    LoginResult,
    add_user,
    check_login,
    close_session,
    disable_user,
    list_users,
    login_delay,
    open_session,
    session_user,
)
from knowledge.db import session_scope
from knowledge.models import StaffSession, StaffUser, utcnow

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def test_accounts_are_created_checked_and_listed(store_url: str) -> None:
    user = add_user(" Alice@Cite.FR ", PASSWORD, "editor")
    assert (user.email, user.role, user.active) == ("alice@cite.fr", "editor", True)
    add_user("bob@cite.fr", PASSWORD + "!", "admin")
    assert [(u.email, u.role) for u in list_users()] == [("alice@cite.fr", "editor"), ("bob@cite.fr", "admin")]
    with session_scope() as s:
        stored = s.scalar(select(StaffUser.password_hash).where(StaffUser.email == "alice@cite.fr"))
        assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert check_login("ALICE@cite.fr", PASSWORD).user == user
    assert check_login("alice@cite.fr", PASSWORD + "!").user is None
    assert check_login("nobody@cite.fr", PASSWORD) == check_login("alice@cite.fr", "wrong password!")


@pytest.mark.parametrize(("email", "password", "role", "reason"), [
    ("pas-une-adresse", PASSWORD, "editor", "adresse e-mail invalide"),
    ("carol@cite.fr", PASSWORD, "owner", "rôle inconnu"),
    ("carol@cite.fr", "court", "editor", "trop court"),
    ("alice@cite.fr", PASSWORD, "editor", "existe déjà"),
])
def test_bad_accounts_are_refused_in_french(store_url: str, email: str, password: str, role: str,
                                            reason: str) -> None:
    add_user("alice@cite.fr", PASSWORD, "editor")
    with pytest.raises(ValueError, match=reason):
        add_user(email, password, role)
    assert [u.email for u in list_users()] == ["alice@cite.fr"]


def test_the_delay_grows_from_the_fifth_failure(store_url: str) -> None:
    assert [login_delay(n) for n in (0, 4, 5, 6, 7, 13, 14, 40)] == [0, 0, 1, 2, 4, 256, 300, 300]
    add_user("alice@cite.fr", PASSWORD, "editor")
    start = utcnow()
    for _ in range(5):  # each failure is checked and counted, without delay
        assert check_login("alice@cite.fr", "wrong password!", now=start) == LoginResult(None, 0.0)
    refused = check_login("alice@cite.fr", PASSWORD, now=start + timedelta(seconds=0.25))
    assert refused.user is None and refused.retry_after == pytest.approx(0.75)  # right password, left unchecked
    sixth = start + timedelta(seconds=1)
    assert check_login("alice@cite.fr", "wrong password!", now=sixth) == LoginResult(None, 0.0)
    assert check_login("alice@cite.fr", PASSWORD, now=sixth + timedelta(seconds=1.5)).retry_after == pytest.approx(0.5)
    signed_in = check_login("alice@cite.fr", PASSWORD, now=sixth + timedelta(seconds=2))
    assert signed_in.user is not None and signed_in.retry_after == 0
    with session_scope() as s:  # success starts the count again
        assert s.scalar(select(StaffUser.failed_logins)) == 0
    assert check_login("alice@cite.fr", "wrong password!", now=sixth + timedelta(seconds=2)).retry_after == 0
    assert check_login("alice@cite.fr", PASSWORD, now=sixth + timedelta(seconds=2)).user is not None


def test_simultaneous_attempts_are_all_counted(store_url: str) -> None:
    """Guesses sent at once on one account are checked in turn: none escapes the count or the delay."""
    if store_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writer at a time anyway")
    add_user("alice@cite.fr", PASSWORD, "editor")
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: check_login("alice@cite.fr", "wrong password!"), range(6)))
    assert sorted(r.retry_after > 0 for r in results) == [False] * 5 + [True]
    with session_scope() as s:
        assert s.scalar(select(StaffUser.failed_logins)) == 5


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(store_url: str) -> None:
    add_user("alice@cite.fr", PASSWORD, "admin")
    session = open_session("alice@cite.fr")
    assert session_user(session) is not None
    assert disable_user("Alice@cite.fr") and not disable_user("nobody@cite.fr")
    assert session_user(session) is None
    assert check_login("alice@cite.fr", PASSWORD).user is None
    assert [u.active for u in list_users()] == [False]


def test_sessions_expire_when_idle_and_close(store_url: str) -> None:
    add_user("alice@cite.fr", PASSWORD, "editor")
    first, second = open_session("alice@cite.fr"), open_session("alice@cite.fr")
    assert first != second and len(first) >= 40
    with session_scope() as s:
        assert first not in set(s.scalars(select(StaffSession.id)))  # only its digest is stored
    now = utcnow()
    assert session_user(first, now=now + timedelta(minutes=29)) is not None
    assert session_user(first, now=now + timedelta(minutes=58)) is not None  # kept alive by the previous visit
    assert session_user(second, now=now + timedelta(minutes=31)) is None
    assert session_user(second) is None  # deleted, not only refused
    close_session(first)
    assert session_user(first) is None
    assert session_user("never-issued") is None
    with session_scope() as s:
        s.execute(update(StaffSession).values(last_seen_at=now - timedelta(hours=25)))  # an abandoned session
    third = open_session("alice@cite.fr")
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(StaffSession)) == 1  # the abandoned one is gone
    assert session_user(third) is not None


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "knowledge", "users", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, timeout=120)


def test_users_command_line(store_url: str) -> None:
    created = _cli("add", "alice@cite.fr", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert created.returncode == 0 and "alice@cite.fr" in created.stdout, created.stderr
    assert check_login("alice@cite.fr", PASSWORD).user is not None
    short = _cli("add", "bob@cite.fr", "--role", "editor", "--password-stdin", stdin="court\n")
    assert short.returncode == 2 and "trop court" in short.stderr
    assert "alice@cite.fr\tadmin\tactif" in _cli("list").stdout
    assert _cli("disable", "alice@cite.fr").returncode == 0
    assert "alice@cite.fr\tadmin\tdésactivé" in _cli("list").stdout
    unknown = _cli("disable", "bob@cite.fr")
    assert unknown.returncode == 2 and "aucun compte" in unknown.stderr
