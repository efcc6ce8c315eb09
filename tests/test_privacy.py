"""Personal data: contacts masked in unanswered questions, erasure of everything tied to a person, retention."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

import knowledge
from channels.forget import forget_conversation, purge_conversations
from channels.webchat import TRACKER_PREFIX
from knowledge.db import session_scope
from knowledge.decision import FAQ_THRESHOLD, PASSAGE_THRESHOLD
from knowledge.models import CallbackRequest, UnansweredQuestion, utcnow
from knowledge.requests_log import masked
from runner.logs import rotate
from runner.stack import ROOT, Stack


def test_folded_messages_leave_memory_within_the_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge import text

    message = f"je m'appelle Jeanne Test {uuid.uuid4().hex}, rappelez-moi"
    text.fold(message)
    text.stem("jeanne")
    later = time.monotonic() + text.CACHE_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    text.fold("une autre question"), text.stem("autre")  # a new entry drops the expired ones
    assert text.fold.cache_info().currsize == text.stem.cache_info().currsize == 1


@pytest.mark.parametrize("text, hidden", [
    ("écrivez-moi à jean.dupont+cite@exemple.fr svp", "jean.dupont"),
    ("mon num 06 12 34 56 78, rappelez moi", "06 12 34 56 78"),
    ("appelez le +33 6 12 34 56 78 demain", "6 12 34 56 78"),
    ("0612345678", "0612345678"),
])
def test_contacts_in_unanswered_questions_are_masked(text: str, hidden: str) -> None:
    assert hidden not in masked(text) and "masqué" in masked(text)


def test_figures_and_dates_stay_readable() -> None:
    for text in ("combien d'entreprises en 2018 ?", "l'atelier du 12/03 à 14 h", "800 réponses, 88 %"):
        assert masked(text) == text


def _rows(model: type, sender: str) -> list:
    with session_scope() as s:
        return list(s.scalars(select(model).where(model.sender_id == sender)))


def test_forgetting_a_sender_removes_their_rows_only(store_url: str) -> None:
    knowledge.record_unanswered("une question à oublier", channel="web", sender_id="web-a")
    knowledge.record_callback("a@exemple.fr", topic="ia", channel="web", sender_id="web-a")
    knowledge.record_unanswered("une question à garder", channel="web", sender_id="web-b")
    erased = knowledge.forget_sender("web-a")
    assert (erased.unanswered, erased.callbacks) == (1, 1)
    assert not _rows(UnansweredQuestion, "web-a") and not _rows(CallbackRequest, "web-a")
    assert len(_rows(UnansweredQuestion, "web-b")) == 1


def test_purge_keeps_recent_rows_and_callbacks_still_to_handle(store_url: str) -> None:
    knowledge.record_unanswered("ancienne", sender_id="old")
    knowledge.record_unanswered("récente", sender_id="new")
    knowledge.record_callback("ancien@exemple.fr", sender_id="old-handled")
    knowledge.record_callback("attente@exemple.fr", sender_id="old-pending")
    long_ago = utcnow() - timedelta(days=45)
    with session_scope() as s:
        s.execute(update(UnansweredQuestion).where(UnansweredQuestion.sender_id == "old").values(asked_at=long_ago))
        s.execute(update(CallbackRequest).values(consent_at=long_ago))
    handled = next(c.id for c in knowledge.callbacks() if c.contact == "ancien@exemple.fr")
    assert knowledge.mark_callback_handled(handled) and not knowledge.mark_callback_handled(10**9)
    first = knowledge.purge(30)
    assert (first.unanswered, first.callbacks) == (1, 0)  # the call back was handled today: kept for now
    with session_scope() as s:
        s.execute(update(CallbackRequest).where(CallbackRequest.id == handled).values(handled_at=long_ago))
    second = knowledge.purge(30)
    assert (second.unanswered, second.callbacks) == (0, 1)
    assert [q.text for q in knowledge.unanswered() if q.text in ("ancienne", "récente")] == ["récente"]
    assert [c.contact for c in knowledge.callbacks()] == ["attente@exemple.fr"]


def test_purge_command_uses_the_retention_variable(store_url: str) -> None:
    knowledge.record_unanswered("question du jour", sender_id="today")
    result = subprocess.run([sys.executable, "-m", "knowledge", "purge"], cwd=ROOT, text=True, capture_output=True,
                            env={**__import__("os").environ, "KNOWLEDGE_DB_URL": store_url,
                                 "ODYSSEE_RETENTION_DAYS": "0"})
    assert result.returncode == 0 and "plus de 0 jours : 1 question(s)" in result.stdout


def test_old_conversations_are_purged_whole(seeded_store: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "tracker.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL, data TEXT)")
        now, old = time.time(), time.time() - 40 * 86400
        connection.executemany("INSERT INTO events (sender_id, timestamp, data) VALUES (?, ?, '{}')",
                               [("silent", old), ("silent", old + 60), ("active", old), ("active", now)])
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{database}")
    assert purge_conversations(30) == 2
    assert forget_conversation("active") == 2
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)


def _unknown_question(stack: Stack) -> str:
    """A question, made unique, that NLU reads as a question for the FAQ and that the store cannot answer."""
    for base in ("La Cité prête-t-elle des casiers pour les vélos", "La Cité possède-t-elle un wifi gratuit",
                 "Combien de salariés travaillent à la Cité", "Qui dirige la Cité aujourd'hui"):
        question = f"{base} (réf. {uuid.uuid4().hex[:6]}) ?"
        parsed = httpx.post(f"{stack.rasa_url}/model/parse", params=stack.token, json={"text": question}, timeout=30)
        best_faq, passage = knowledge.search_faq(question, limit=1), knowledge.best_passage(question)
        if (parsed.json()["intent"]["name"] == "faq" and all(m.score < FAQ_THRESHOLD for m in best_faq)
                and (passage is None or passage.score < PASSAGE_THRESHOLD)):
            return question
    pytest.fail("aucune question de test n'est à la fois lue comme une question de FAQ et inconnue du contenu")


def test_erasing_on_the_web_chat_also_erases_the_unanswered_question(stack: Stack) -> None:
    sender = f"privacy-{uuid.uuid4().hex}"
    question = _unknown_question(stack)
    reply = httpx.post(f"{stack.web_url}/api/messages", json={"sender": sender, "message": question}, timeout=60)
    assert "pas encore la réponse" in reply.text
    assert [q.text for q in knowledge.unanswered(limit=500) if q.text == question]
    assert httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=30).json()["deleted"] > 0
    assert not [q.text for q in knowledge.unanswered(limit=500) if q.text == question]
    assert not _rows(UnansweredQuestion, f"{TRACKER_PREFIX}{sender}")


def test_logs_hold_neither_the_conversation_id_nor_the_client_address(stack: Stack) -> None:
    sender = f"logcheck-{uuid.uuid4().hex}"
    httpx.post(f"{stack.web_url}/api/messages", json={"sender": sender, "message": "bonjour"}, timeout=60)
    assert httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=30).status_code == 200
    web_log = (stack.var / "logs" / "web.log").read_text(encoding="utf-8", errors="replace")
    assert '"DELETE /api/conversations/…" 200' in web_log  # the request is logged, redacted
    for log in (stack.var / "logs").glob("*.log"):
        assert sender not in log.read_text(encoding="utf-8", errors="replace"), log.name


def test_full_logs_are_rotated_and_a_few_kept(tmp_path: Path) -> None:
    log = tmp_path / "rasa.log"
    for round_ in range(7):
        log.write_bytes(f"tour {round_}\n".encode() * 100)
        assert rotate(tmp_path, max_bytes=100, keep=3) == [log]
        assert log.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rasa.log", "rasa.log.1", "rasa.log.2", "rasa.log.3"]
    assert (tmp_path / "rasa.log.1").read_text().startswith("tour 6")
    assert (tmp_path / "rasa.log.3").read_text().startswith("tour 4")
    assert rotate(tmp_path, max_bytes=100, keep=3) == []  # an empty log stays
