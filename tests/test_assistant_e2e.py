"""The assistant end to end: real Rasa and action servers, through the REST webhook."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
import yaml

import knowledge
from knowledge.documents import delete_document
from knowledge.faq import THRESHOLD as FAQ_THRESHOLD
from knowledge.records_io import export_records, import_files
from runner.stack import Stack
from tests.conftest import payloads, say, texts


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def test_workshops_question_is_answered_from_the_store(stack: Stack) -> None:
    answer = texts(say(stack, sender(), "quels ateliers sur l IA la semaine prochaine ?"))
    titles = [w.title for w in knowledge.upcoming_workshops(topic="intelligence artificielle", limit=100).items]
    assert "intelligence artificielle" in answer
    assert any(title in answer for title in titles) or answer.startswith("Je n'ai trouvé aucun événement")


def test_sme_gets_services_and_follow_ups_keep_context(stack: Stack) -> None:
    user = sender()
    first = say(stack, user, "Je dirige une PME de 20 salariés dans l'industrie et on veut se protéger "
                             "des cyberattaques, comment pouvez-vous nous aider ?")
    assert "Voici les services que nous pouvons vous proposer" in texts(first) and "cybersécurité" in texts(first)
    workshops = texts(say(stack, user, "et vous avez des ateliers là-dessus ?"))
    assert "cybersécurité" in workshops
    elsewhere = texts(say(stack, user, "et à Toulouse ?"))
    assert "Toulouse" in elsewhere and "cybersécurité" in elsewhere
    later = texts(say(stack, user, "et le mois prochain ?"))
    assert "cybersécurité" in later


def test_citizen_guided_job_exploration_then_trainings(stack: Stack) -> None:
    user = sender()
    assert "quelle est votre situation" in texts(say(stack, user, "je sais pas quel métier faire plus tard"))
    assert "attire" in texts(say(stack, user, "je suis demandeur d'emploi"))
    suggestions = say(stack, user, "plutôt la santé")
    assert texts(suggestions).startswith("Voici trois métiers de demain")
    assert sum(p.startswith("/ask_job_info") for p in payloads(suggestions)) == 3
    card = texts(say(stack, user, "c'est quoi un data scientist ?"))
    assert "Data scientist" in card and "Compétences" in card
    trainings = texts(say(stack, user, "comment y arriver ?"))
    assert "pour devenir Data scientist" in trainings and "début" in trainings


def test_the_guide_does_not_ask_again_what_the_person_already_said(stack: Stack) -> None:
    user = sender()
    say(stack, user, "coucou je suis en terminale a nancy et j'hesite a faire de l'info")
    asked = texts(say(stack, user, "tu peux me proposer des metiers stp ?"))
    assert "attire" in asked and "situation" not in asked  # the situation was told in the first message
    assert "Vous êtes lycéen·ne, c'est noté" in asked  # and is said back, to be corrected if need be
    named = texts(say(stack, sender(), "je suis au chômage, quels métiers dans la cybersécurité ?"))
    assert named.startswith("Voici trois métiers de demain")  # situation and interest in the same message


def test_faq_staff_edit_is_answered_at_once_and_unknown_is_recorded(stack: Stack, tmp_path: Path) -> None:
    user = sender()
    assert "Odysseum" in texts(say(stack, user, "où se trouve la cité ?"))
    entry = next(e for e in export_records("faq") if e["id"] == "cite-adresse")
    path = tmp_path / "faq-edit.yml"
    path.write_text(yaml.safe_dump([{**entry, "answer": "Réponse mise à jour par l'équipe, sans réentraînement."}],
                                   allow_unicode=True), encoding="utf-8")
    import_files([path])
    try:
        assert "Réponse mise à jour par l'équipe" in texts(say(stack, user, "où se trouve la cité ?"))
    finally:
        path.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
        import_files([path])
    candidates = ["Combien de salariés travaillent à la Cité ?", "Qui dirige la Cité aujourd'hui ?",
                  "La Cité possède-t-elle un wifi gratuit ?", "Quel est le budget annuel de la Cité ?"]
    unknown = next(q for q in candidates if httpx.post(f"{stack.rasa_url}/model/parse", params=stack.token,
                                                       json={"text": q}, timeout=30).json()["intent"]["name"] == "faq")
    assert all(match.score < FAQ_THRESHOLD for match in knowledge.search_faq(unknown, limit=1))
    reply = say(stack, user, unknown)
    assert "pas encore la réponse" in texts(reply) and "/request_human" in payloads(reply)
    assert unknown in [q.text for q in knowledge.unanswered(limit=200)]


@pytest.mark.parametrize("question, fact", [
    ("Combien d'entreprises ont répondu à la consultation sur la Cité ?", "800"),  # NLU may say ask_services
    ("c quoi la surface des locaux de la cite", "3 000"),
    ("qui dirige le site IBM de Montpellier ?", "Vasques"),  # only a fact sheet says it
    ("combien de stagiaires pour NEGE ?", "200"),
])
def test_factual_questions_get_the_fact(stack: Stack, question: str, fact: str) -> None:
    reply = say(stack, sender(), question)
    assert fact in texts(reply).replace("\u202f", " ").replace("\xa0", " ")
    assert "/request_human" in payloads(reply)


def test_catalogue_requests_still_get_the_catalogue(stack: Stack) -> None:
    answer = texts(say(stack, sender(), "quelles formations pour devenir data analyst"))
    assert answer.startswith("Voici des formations") and "pour devenir Data analyst" in answer


def test_a_document_imported_while_running_is_answered_from(stack: Stack, tmp_path: Path) -> None:
    path = tmp_path / "fablab-sete.md"
    path.write_text("---\ntitle: Le Fablab de Sète\nsource: une fiche de démonstration\nregion: occitanie\n"
                    "demo: true\n---\n## Machines\nLe Fablab de Sète possède trois imprimantes 3D et une découpeuse "
                    "laser.\n", encoding="utf-8")
    import_files([path])
    try:
        answer = texts(say(stack, sender(), "combien d'imprimantes 3D au fablab de Sète ?"))
        assert "D'après une fiche de démonstration : Le Fablab de Sète possède trois imprimantes 3D" in answer
        assert "(démo)" in answer
    finally:
        delete_document("fablab-sete")


def test_request_human_and_consented_callback(stack: Stack) -> None:
    user = sender()
    contact = knowledge.centre_contacts()[0]
    reply = say(stack, user, "je voudrais parler à un conseiller")
    assert (contact.phone or contact.email) in texts(reply) and "/request_callback" in payloads(reply)
    assert "adresse e-mail" in texts(say(stack, user, "/request_callback"))
    assert "Acceptez-vous" in texts(say(stack, user, "jeanne.martin@example.com"))
    assert "C'est noté" in texts(say(stack, user, "/affirm"))
    assert "jeanne.martin@example.com" in [c.contact for c in knowledge.callbacks(pending_only=True)]


@pytest.mark.parametrize("answer, contact", [("Par mail : direction@transfroid66.fr", "direction@transfroid66.fr"),
                                             ("Au 04 66 12 34 56, plutôt le matin.", "04 66 12 34 56")])
def test_a_contact_given_in_a_sentence_is_taken_whatever_its_intent(stack: Stack, answer: str, contact: str) -> None:
    """« mail » or « le matin » make NLU read a question or a workshop request: the form still takes the contact."""
    user = sender()
    assert "adresse e-mail" in texts(say(stack, user, "pouvez-vous me faire rappeler par un conseiller ?"))
    reply = texts(say(stack, user, answer))
    assert "Acceptez-vous" in reply and "coordonnées officielles" not in reply and "atelier" not in reply.lower()
    assert "rien enregistré" in texts(say(stack, user, "/deny"))
    assert contact not in [c.contact for c in knowledge.callbacks()]
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{user}/tracker", params=stack.token, timeout=30).json()
    assert contact not in json.dumps(tracker)  # the whole sentence is erased, not only the slot


def test_a_company_asking_to_be_called_back_gets_the_callback_request(stack: Stack) -> None:
    asked = texts(say(stack, sender(), "Bonjour, je gère une menuiserie de huit personnes à Albi et on voudrait "
                                       "vendre en ligne. Pouvez-vous me rappeler pour en parler ?"))
    assert "vous joindre" in asked


def test_a_contact_given_after_the_advisers_contacts_starts_the_callback_with_it(stack: Stack) -> None:
    """« D'accord. Mon numéro : … » with no form running: only consent is asked, then the request is kept."""
    user, number = sender(), f"04 76 55 {uuid.uuid4().int % 100:02d} {uuid.uuid4().int % 100:02d}"
    assert "/request_callback" in payloads(say(stack, user, "je voudrais parler à un conseiller"))
    assert "Acceptez-vous" in texts(say(stack, user, f"D'accord. Mon numéro : {number}."))
    assert "C'est noté" in texts(say(stack, user, "oui"))
    assert number in [c.contact for c in knowledge.callbacks(pending_only=True)]
    assert "Acceptez-vous" in texts(say(stack, sender(), f"rappelez-moi au {number} svp"))  # asked for it at once


def test_declined_callback_keeps_no_contact(stack: Stack) -> None:
    """Nowhere: neither the store nor the conversation (the message, its parse data, the slots)."""
    user = sender()
    say(stack, user, "/request_callback")
    assert "Acceptez-vous" in texts(say(stack, user, "paul.refus@example.com"))
    assert "rien enregistré" in texts(say(stack, user, "/deny"))
    assert "paul.refus@example.com" not in [c.contact for c in knowledge.callbacks()]
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{user}/tracker", params=stack.token, timeout=30).json()
    assert "paul.refus" not in json.dumps(tracker)
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["/request_callback", "[effacé]", "/deny"]
    assert say(stack, user, "bonjour")  # the conversation goes on


@pytest.mark.parametrize("message", ["bonjour", "t'es un robot ?", "tu sers à quoi ?", "quel temps fait-il à Paris ?"])
def test_small_talk_has_a_short_answer_and_a_menu(stack: Stack, message: str) -> None:
    reply = say(stack, sender(), message)
    assert reply and len(texts(reply)) <= 600


@pytest.mark.parametrize("message", ["", "   ", "😀🚀🎉", "<script>alert('x')</script>", "<b>gras</b> & co",
                                     "x" * 20_000, "é" * 2_001])
def test_bad_messages_get_a_clear_answer(stack: Stack, message: str) -> None:
    reply = say(stack, sender(), message)
    assert reply and all(m.get("text") for m in reply)
    assert "<script>" not in texts(reply)


@pytest.mark.parametrize("message", ["qsdfgh wxcvbn", "lkjlkj mlkmlk", "jhgjhg kkkk", "fjdksl qpwoeiru",
                                     "mmmmmmmm vvvvvv"])
def test_gibberish_gets_a_request_to_rephrase_with_examples(stack: Stack, message: str) -> None:
    reply = say(stack, sender(), message)
    assert "reformuler" in texts(reply) and "Par exemple" in texts(reply) and "/ask_workshops" in payloads(reply)


@pytest.mark.parametrize("body", [b"{broken", b"[]", b'{"sender": 3, "message": "hi"}', b'{"sender": "a"}',
                                  b"\xff\xfe"])
def test_broken_requests_get_a_4xx_in_french(stack: Stack, body: bytes) -> None:
    reply = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", content=body, timeout=30)
    assert reply.status_code == 400 and "invalide" in reply.json()["error"]


def test_model_parse_api(stack: Stack) -> None:
    parsed = httpx.post(f"{stack.rasa_url}/model/parse", params=stack.token, json={"text": "quels ateliers sur l'IA ?"},
                        timeout=30).json()
    assert parsed["intent"]["name"] == "ask_workshops"
    assert {"entity": "topic", "value": "intelligence artificielle"}.items() <= parsed["entities"][0].items()


def test_message_text_is_not_logged_at_info(stack: Stack) -> None:
    secret = f"phrase-témoin-{uuid.uuid4().hex}"
    say(stack, sender(), f"quels ateliers sur {secret} ?")
    for log in (stack.var / "logs").glob("*.log"):
        assert secret not in log.read_text(encoding="utf-8", errors="replace"), log.name


def test_conversation_is_kept_in_the_tracker_store(stack: Stack) -> None:
    """Nothing the user said is lost: the HTTP API shows the stored messages."""
    user = sender()
    say(stack, user, "bonjour")
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{user}/tracker", params=stack.token, timeout=30).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["bonjour"]
