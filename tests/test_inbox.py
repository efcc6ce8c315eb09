"""The staff inbox of unanswered questions (grouping, new entry, phrasing, dismissal), handled callback requests
(audited, purged after the retention period) and the FAQ preview."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import update

import knowledge
from knowledge.db import session_scope
from knowledge.editing import audit_log, get_record, history
from knowledge.faq import THRESHOLD
from knowledge.inbox import add_as_phrasing, create_entry_from, dismiss, grouped, inbox
from knowledge.models import CallbackRequest, UnansweredQuestion, utcnow
from knowledge.preview import preview_answer
from knowledge.validation import RecordFileError

EDITOR = "alice@cite.fr"
SEED_FAQ = Path(__file__).resolve().parent.parent / "knowledge" / "seed_data" / "faq.yml"
CAFETERIA = ["Y a-t-il une cafétéria ?", "y a t il une cafetaria", "Une CAFÉTÉRIA, il y en a une ?"]


def _ask(*questions: str) -> list[int]:
    """Log questions as the assistant does, the last one newest; their ids."""
    start = utcnow() - timedelta(hours=1)
    for question in questions:
        knowledge.record_unanswered(question, channel="web", sender_id="web-1")
    ids = [q.id for q in knowledge.unanswered(limit=len(questions))][::-1]
    with session_scope() as s:
        for minute, question_id in enumerate(ids):
            s.execute(update(UnansweredQuestion).where(UnansweredQuestion.id == question_id)
                      .values(asked_at=start + timedelta(minutes=minute)))
    return ids


def test_close_questions_are_grouped_newest_first(store_url: str) -> None:
    ids = _ask(CAFETERIA[0], "Puis-je venir avec mon chien ?", "Puis-je venir avec mes enfants ?", *CAFETERIA[1:],
               "???", "!!!")
    groups = inbox()
    assert [(g.text, g.count) for g in groups] == [("!!!", 1), ("???", 1), (CAFETERIA[2], 3),
                                                   ("Puis-je venir avec mes enfants ?", 1),
                                                   ("Puis-je venir avec mon chien ?", 1)]
    cafeteria = groups[2]
    assert cafeteria.question_ids == [ids[4], ids[3], ids[0]] and len({g.key for g in groups}) == len(groups)
    assert cafeteria.last_asked == max(q.asked_at for q in knowledge.unanswered() if q.id in cafeteria.question_ids)
    assert 1 <= len(cafeteria.closest) <= 3 and cafeteria.closest[0].score >= cafeteria.closest[-1].score
    assert [g.text for g in inbox(limit=2)] == ["!!!", "???"]


def test_no_two_seed_faq_entries_would_be_grouped() -> None:
    """The grouping's typo tolerance, measured on the seed phrasings: it never joins two entries' questions."""
    phrasings = [(q, e["id"]) for e in yaml.safe_load(SEED_FAQ.read_text(encoding="utf-8")) for q in e["questions"]]
    groups = grouped([(i, q, utcnow()) for i, (q, _) in enumerate(phrasings)])
    assert len(groups) < len(phrasings)  # some phrasings are the same question
    assert all(len({phrasings[i][1] for i in g.question_ids}) == 1 for g in groups)


def test_a_group_becomes_a_new_entry(store_url: str) -> None:
    _ask(*CAFETERIA, "Puis-je venir avec mon chien ?")
    group = next(g for g in inbox() if g.count == 3)
    with pytest.raises(RecordFileError, match="la réponse est vide"):
        create_entry_from(group.question_ids, "cafeteria", " ", ["acces"], "", EDITOR)
    assert group.question_ids == next(g for g in inbox() if g.count == 3).question_ids  # still in the inbox
    answer = "Pas de cafétéria, mais des restaurants à deux pas (démo)."
    assert create_entry_from(group.question_ids, "cafeteria", answer, ["acces"], None, EDITOR) == "cafeteria"
    entry = get_record("faq", "cafeteria")
    assert entry is not None and entry["questions"] == CAFETERIA[::-1] and entry["published"]
    assert entry["region"] == "" and entry["updated_by"] == EDITOR
    assert [g.text for g in inbox()] == ["Puis-je venir avec mon chien ?"]
    assert [(e.action, e.actor) for e in history("faq", "cafeteria")] == [("create", EDITOR)]
    best = knowledge.search_faq("il y a une cafétéria à la Cité ?", limit=1)[0]
    assert best.id == "cafeteria" and best.score >= THRESHOLD
    with pytest.raises(ValueError, match="déjà été traitées"):
        create_entry_from(group.question_ids, "cafeteria-2", answer, [], "", EDITOR)


def test_a_group_becomes_phrasings_of_an_entry(store_url: str) -> None:
    before = get_record("faq", "cite-adresse")
    assert before is not None
    ids = _ask("C'est où la Cité exactement ?", "c est ou la cite exactement", "l'adresse précise svp",
               before["questions"][0].upper())
    version = add_as_phrasing(ids, "cite-adresse", EDITOR)
    after = get_record("faq", "cite-adresse")
    assert after is not None and version == after["version"] == before["version"] + 1
    # the newest wording of each question not already there (accents, case and punctuation aside)
    assert after["questions"] == [*before["questions"], "l'adresse précise svp", "c est ou la cite exactement"]
    assert not inbox() and history("faq", "cite-adresse")[0].action == "add_phrasing"
    with pytest.raises(ValueError, match="déjà été traitées"):
        add_as_phrasing(ids, "cite-adresse", EDITOR)
    with pytest.raises(ValueError, match="aucune entrée"):
        add_as_phrasing(_ask("Et le parking ?"), "absente", EDITOR)
    assert [g.text for g in inbox()] == ["Et le parking ?"]


def test_dismissed_questions_leave_the_inbox(store_url: str) -> None:
    ids = _ask("Quelle est la météo demain ?", "Qui a gagné le match ?")
    assert dismiss(ids[:1], EDITOR) == 1 and dismiss(ids[:1], EDITOR) == 0
    assert [g.text for g in inbox()] == ["Qui a gagné le match ?"]
    assert [q.text for q in knowledge.unanswered()] == ["Qui a gagné le match ?"]
    change = audit_log(limit=1)[0]
    assert (change.kind, change.action, change.actor, change.after) == ("inbox", "dismiss", EDITOR,
                                                                        {"question_ids": ids[:1]})


def test_handled_callbacks_are_audited_and_purged_after_the_retention(store_url: str) -> None:
    knowledge.record_callback("06 12 34 56 78", topic="formation", sender_id="a")
    knowledge.record_callback("b@exemple.fr", topic="atelier", sender_id="b")
    handled, pending = [c.id for c in knowledge.callbacks()]
    assert knowledge.mark_callback_handled(handled, actor=EDITOR)
    assert knowledge.mark_callback_handled(handled, actor="bob@cite.fr")  # already handled: kept as it was
    change = audit_log(limit=1)[0]
    assert (change.kind, change.record_id, change.action, change.actor) == ("callbacks", str(handled), "handled",
                                                                            EDITOR)
    assert "06 12" not in str(change.after) and "formation" not in str(change.after)
    assert [c.id for c in knowledge.callbacks(pending_only=True)] == [pending]
    assert knowledge.purge(30, now=utcnow() + timedelta(days=29)).callbacks == 0
    assert knowledge.purge(30, now=utcnow() + timedelta(days=31)).callbacks == 1
    assert [c.id for c in knowledge.callbacks()] == [pending]  # never called back: kept
    with session_scope() as s:
        s.execute(update(CallbackRequest).values(consent_at=utcnow() - timedelta(days=400)))
    assert knowledge.purge(30).callbacks == 0


def test_preview_answers_with_the_draft_without_saving_it(store_url: str) -> None:
    stored = get_record("faq", "cite-adresse")
    assert stored is not None
    draft = {**stored, "answer": "Nouvelle adresse, pas encore publiée."}
    shown = preview_answer("Où se trouve la Cité ?", draft)
    assert shown.draft_wins and shown.entry_id == "cite-adresse" and shown.answer == draft["answer"]
    assert shown.score >= THRESHOLD
    assert knowledge.search_faq("Où se trouve la Cité ?", limit=1)[0].answer == stored["answer"]
    new = {"id": "velo", "questions": ["Puis-je venir à vélo ?", "Y a-t-il un parking vélo ?"],
           "answer": "Oui, un parking vélo est prévu.", "tags": ["acces"], "region": "", "published": False}
    bike = preview_answer("Où garer mon vélo ?", new)
    assert bike.draft_wins and bike.answer == new["answer"] and get_record("faq", "velo") is None
    other = preview_answer("Où se trouve la Cité ?", new)
    assert other.entry_id == "cite-adresse" and not other.draft_wins
    nothing = preview_answer("quelle est la recette de la ratatouille ?", new)
    assert nothing.answer is None and nothing.entry_id is None and not nothing.draft_wins
    assert nothing.score < THRESHOLD
