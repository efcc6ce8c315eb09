"""Votes on answers through the web gateway (POST /api/feedback), against the running stack."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from channels.texts import ALREADY_VOTED, CANNOT_RATE
from channels.webchat import TRACKER_PREFIX
from knowledge.db import session_scope
from knowledge.models import Feedback, Turn, UnansweredQuestion
from runner.stack import Stack
from tests.test_webchat_api import new_sender, post, start_gateway, stop_gateway

QUESTION = "où se trouve la cité ?"


def feedback(base_url: str, payload: object, **headers: str) -> httpx.Response:
    return httpx.post(f"{base_url}/api/feedback", json=payload, headers=headers, timeout=30)


def answered(stack: Stack, sender: str, question: str = QUESTION) -> str:
    """Ask `question`; the turn id the answer carries."""
    messages = post(stack.web_url, {"sender": sender, "message": question}).json()["messages"]
    turns = [m["turn"] for m in messages if "turn" in m]
    assert len(turns) == 1 and "Odysseum" in messages[0]["text"], messages
    return turns[0]


def test_an_answer_carries_its_turn_and_a_vote_is_kept_once(stack: Stack) -> None:
    sender = new_sender()
    turn = answered(stack, sender)
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "useful": True}).json() == {"recorded": True}
    again = feedback(stack.web_url, {"sender": sender, "turn": turn, "useful": False})
    assert again.status_code == 409 and again.json()["error"] == ALREADY_VOTED
    no_comment = feedback(stack.web_url, {"sender": sender, "turn": turn, "comment": "rien"})
    assert no_comment.status_code == 409  # a comment goes with a 👎 only
    with session_scope() as s:
        vote = s.get(Feedback, turn)
        stored = s.get(Turn, turn)
    assert vote is not None and vote.useful and vote.channel == "web" and stored is not None and stored.text is None


def test_a_thumbs_down_keeps_the_question_masked_and_its_comment(stack: Stack) -> None:
    sender = new_sender()
    turn = answered(stack, sender, "où se trouve la cité ? écrivez-moi à lea@exemple.fr")
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "useful": False}).status_code == 200
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "comment": "Le plan d'accès"}).status_code == 200
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "comment": "encore"}).status_code == 409
    with session_scope() as s:
        stored, vote = s.get(Turn, turn), s.get(Feedback, turn)
        inbox = list(s.scalars(select(UnansweredQuestion.text).where(
            UnansweredQuestion.sender_id == TRACKER_PREFIX + sender)))
    assert stored is not None and stored.text == "où se trouve la cité ? écrivez-moi à [e-mail masqué]"
    assert vote is not None and not vote.useful and vote.comment == "Le plan d'accès"
    assert inbox == ["où se trouve la cité ? écrivez-moi à [e-mail masqué]"]


def test_one_cannot_vote_on_another_persons_answer(stack: Stack) -> None:
    turn = answered(stack, new_sender())
    reply = feedback(stack.web_url, {"sender": new_sender(), "turn": turn, "useful": False})
    assert reply.status_code == 409 and reply.json()["error"] == CANNOT_RATE
    assert feedback(stack.web_url, {"sender": new_sender(), "turn": uuid.uuid4().hex, "useful": True}
                    ).status_code == 409


@pytest.mark.parametrize("payload", [
    {"sender": "court", "turn": "a" * 32, "useful": True},
    {"sender": "test-0123456789", "turn": "pas-un-tour", "useful": True},
    {"sender": "test-0123456789", "turn": "A" * 32, "useful": True},
    {"sender": "test-0123456789", "turn": "a" * 32, "useful": "oui"},
    {"sender": "test-0123456789", "turn": "a" * 32, "useful": 1},
    {"sender": "test-0123456789", "turn": "a" * 32},
    {"sender": "test-0123456789", "turn": "a" * 32, "useful": False, "comment": "les deux"},
    {"sender": "test-0123456789", "turn": "a" * 32, "comment": 42},
    {"sender": "test-0123456789", "turn": "a" * 32, "comment": "x" * 1001},
    ["test-0123456789", "a" * 32, True],
])
def test_bad_input_is_refused_in_french(stack: Stack, payload: object) -> None:
    reply = feedback(stack.web_url, payload)
    assert reply.status_code == 400 and "invalide" in reply.json()["error"]


def test_not_json_is_refused(stack: Stack) -> None:
    reply = httpx.post(f"{stack.web_url}/api/feedback", content=b"{oui", timeout=10,
                       headers={"Content-Type": "application/json"})
    assert reply.status_code == 400 and reply.json()["error"].startswith("Requête invalide")


def test_votes_follow_the_origin_and_rate_rules(stack: Stack) -> None:
    payload = {"sender": new_sender(), "turn": "a" * 32, "useful": True}
    refused = feedback(stack.web_url, payload, Origin="https://ailleurs.example")
    assert refused.status_code == 403 and "autorisé" in refused.json()["error"]
    process, url = start_gateway(stack.rasa_url, WEBCHAT_RATE_LIMIT="2/minute")
    try:
        codes = [feedback(url, payload).status_code for _ in range(3)]
        assert codes == [409, 409, 429]
    finally:
        stop_gateway(process)


def test_erasing_the_conversation_erases_its_turns_and_votes(stack: Stack) -> None:
    sender = new_sender()
    turn = answered(stack, sender)
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "useful": False}).status_code == 200
    assert httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=30).status_code == 200
    with session_scope() as s:
        assert s.get(Turn, turn) is None and s.get(Feedback, turn) is None
    assert feedback(stack.web_url, {"sender": sender, "turn": turn, "comment": "trop tard"}).status_code == 409
