"""Staff editing: optimistic locking, publication, cancelled workshops, deletion, the audit log and revert; the
assistant's queries honour what staff hid or cancelled."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

import knowledge
from knowledge.db import session_scope
from knowledge.editing import (
    StaleEdit,
    audit,
    audit_log,
    cancel_workshop,
    delete_record,
    get_record,
    history,
    list_records,
    record_row,
    revert,
    save,
    save_record,
    set_published,
)
from knowledge.records_io import export_file, import_files
from knowledge.seed import seed
from knowledge.validation import RecordFileError

EDITOR = "alice@cite.fr"
NEW_FAQ = {"id": "velo", "questions": ["Puis-je venir à vélo ?", "Y a-t-il un parking vélo ?"],
           "answer": "Oui, un parking vélo est prévu.", "tags": ["acces"], "region": "occitanie", "published": True}


def test_lists_filter_by_words_tag_region_and_publication(store_url: str) -> None:
    faq = list_records("faq")
    assert len(faq) >= 40 and all(r.kind == "faq" and r.version == 1 and r.updated_at for r in faq)
    address = next(r for r in faq if r.id == "cite-adresse")
    assert address.label == get_record("faq", "cite-adresse")["questions"][0]  # type: ignore[index]
    assert [r.id for r in list_records("faq", search="CITE-ADRESSE")] == ["cite-adresse"]
    assert {r.id for r in list_records("faq", search=address.label.upper())} == {"cite-adresse"}
    tagged = list_records("faq", tag=address.tags[0])
    assert tagged and all(address.tags[0] in r.tags for r in tagged) and len(tagged) < len(faq)
    assert {r.published for r in list_records("faq", published=False)} == {False}
    in_occitanie = list_records("faq", region="occitanie")
    assert in_occitanie and len(in_occitanie) < len(faq) and {r.region for r in in_occitanie} == {"occitanie"}
    workshops = list_records("workshops")
    starts = [get_record("workshops", r.id)["start"] for r in workshops]  # type: ignore[index]
    assert workshops and starts == sorted(starts)
    trainings = list_records("trainings", tag="data")
    assert trainings and all("data" in r.tags and r.updated_at is None for r in trainings)
    with pytest.raises(ValueError, match="type inconnu"):
        list_records("centres")


def test_create_update_and_stale_edits(store_url: str) -> None:
    assert save_record("faq", NEW_FAQ, EDITOR, None) == 1
    stored = get_record("faq", "velo")
    assert stored is not None and stored["version"] == 1 and stored["published"] and not stored["cancelled"]
    assert stored["questions"] == NEW_FAQ["questions"] and stored["updated_by"] == EDITOR
    with pytest.raises(RecordFileError, match="déjà pris"):
        save_record("faq", NEW_FAQ, EDITOR, None)
    edited = {**stored, "answer": "Oui : un parking vélo couvert est prévu."}
    assert save_record("faq", edited, "bob@cite.fr", 1) == 2
    with pytest.raises(StaleEdit, match="Quelqu'un a modifié cette fiche"):
        save_record("faq", {**stored, "answer": "Non."}, EDITOR, 1)  # opened at version 1, now at 2
    current = get_record("faq", "velo")
    assert current is not None and current["answer"] == edited["answer"] and current["version"] == 2
    with pytest.raises(StaleEdit):
        save_record("faq", {**NEW_FAQ, "id": "absent"}, EDITOR, 1)  # deleted or never there


def test_an_import_makes_an_open_edit_stale(store_url: str, tmp_path: Path) -> None:
    opened = get_record("jobs", "data-scientist")
    assert opened is not None
    path = tmp_path / "jobs.yml"
    export_file(path)
    import_files([path])
    with pytest.raises(StaleEdit):
        save_record("jobs", {**opened, "outlook": "Très demandé."}, EDITOR, opened["version"])


@pytest.mark.parametrize(("kind", "change", "reason"), [
    ("faq", {"answer": " "}, "la réponse est vide"),
    ("faq", {"questions": [" "]}, "au moins une formulation"),
    ("faq", {"region": "bretagne"}, "région inconnue"),
    ("workshops", {"end": "2020-01-01T10:00:00+01:00"}, "la fin de l'événement doit suivre son début"),
    ("trainings", {"jobs": ["astronaute"]}, "métier inconnu dans « jobs » : astronaute"),
    ("services", {"salaire": 3}, "champ inconnu"),
])
def test_invalid_values_are_refused_in_french(store_url: str, kind: str, change: dict, reason: str) -> None:
    record_id = list_records(kind)[0].id
    opened = get_record(kind, record_id)
    assert opened is not None
    with pytest.raises(RecordFileError, match=reason) as refused:
        save_record(kind, {**opened, **change}, EDITOR, opened["version"])
    assert refused.value.path == record_id
    assert get_record(kind, record_id) == opened and not history(kind, record_id)


def test_unpublished_records_are_not_offered(store_url: str) -> None:
    training = knowledge.find_trainings(job="developpeur-ia", limit=50).items[0].id
    version = get_record("trainings", training)["version"]  # type: ignore[index]
    hidden = set_published("trainings", training, False, EDITOR, version)
    assert training not in {t.id for t in knowledge.find_trainings(job="developpeur-ia", limit=50).items}
    assert training not in {t.id for t in knowledge.job_card("developpeur-ia").trainings}  # type: ignore[union-attr]
    with pytest.raises(StaleEdit):
        set_published("trainings", training, True, EDITOR, version)
    set_published("trainings", training, True, EDITOR, hidden)
    assert training in {t.id for t in knowledge.find_trainings(job="developpeur-ia", limit=50).items}

    job = knowledge.match_job("data scientist")
    assert job is not None
    set_published("jobs", job.id, False, EDITOR, 1)
    assert knowledge.match_job("data scientist") is None and knowledge.job_card(job.id) is None
    assert job.title not in {s.job.title for s in knowledge.suggest_jobs(sector="numérique", limit=50)}
    service = knowledge.find_services(limit=1)[0]
    set_published("services", service.id, False, EDITOR, 1)
    assert service.id not in {s.id for s in knowledge.find_services(limit=100)}
    assert [e.action for e in history("services", service.id)] == ["unpublish"]


def test_a_cancelled_workshop_is_never_offered_again(store_url: str, tmp_path: Path) -> None:
    workshop = knowledge.upcoming_workshops(limit=1).items[0]
    old_file = tmp_path / "workshops.yml"
    export_file(old_file)  # written before the cancellation
    version = cancel_workshop(workshop.id, EDITOR, 1)
    assert workshop.id not in {w.id for w in knowledge.upcoming_workshops(limit=500).items}
    cancelled = get_record("workshops", workshop.id)
    assert cancelled is not None and cancelled["cancelled"] and cancelled["version"] == version == 2
    assert next(r for r in list_records("workshops") if r.id == workshop.id).cancelled
    save_record("workshops", {**cancelled, "cancelled_at": None, "title": "Nouveau titre"}, EDITOR, version)
    import_files([old_file])
    assert get_record("workshops", workshop.id)["cancelled"]  # type: ignore[index]
    first_edit = history("workshops", workshop.id)[-1]
    assert first_edit.action == "cancel" and first_edit.before and first_edit.before["cancelled_at"] is None
    revert("workshops", workshop.id, first_edit.id, EDITOR)
    assert get_record("workshops", workshop.id)["cancelled"]  # type: ignore[index]
    assert workshop.id not in {w.id for w in knowledge.upcoming_workshops(limit=500).items}


def test_history_and_revert(store_url: str) -> None:
    save_record("faq", NEW_FAQ, EDITOR, None)
    save_record("faq", {**NEW_FAQ, "answer": "Deuxième réponse."}, EDITOR, 1)
    save_record("faq", {**NEW_FAQ, "answer": "Troisième réponse.", "questions": ["Vélo ?"]}, "bob@cite.fr", 2)
    entries = history("faq", "velo")
    assert [(e.action, e.actor) for e in entries] == [("update", "bob@cite.fr"), ("update", EDITOR),
                                                      ("create", EDITOR)]
    assert entries[0].before and entries[0].before["answer"] == "Deuxième réponse."
    assert entries[0].after and entries[0].after["questions"] == ["Vélo ?"]
    assert revert("faq", "velo", entries[1].id, "carol@cite.fr") == 4
    restored = get_record("faq", "velo")
    assert restored is not None and restored["answer"] == "Deuxième réponse." and restored["questions"] == NEW_FAQ[
        "questions"] and restored["updated_by"] == "carol@cite.fr"
    latest = history("faq", "velo")[0]
    assert (latest.action, latest.actor) == ("revert", "carol@cite.fr")
    assert latest.before and latest.before["answer"] == "Troisième réponse."
    with pytest.raises(ValueError, match="aucune modification"):
        revert("faq", "cite-adresse", entries[1].id, EDITOR)  # an entry of another record
    assert [e.id for e in audit_log(limit=2)] == [latest.id, entries[0].id]


def test_delete_keeps_the_last_values_and_can_be_reverted(store_url: str) -> None:
    save_record("faq", NEW_FAQ, EDITOR, None)
    assert delete_record("faq", "velo", EDITOR) and not delete_record("faq", "velo", EDITOR)
    assert get_record("faq", "velo") is None
    deletion = history("faq", "velo")[0]
    assert deletion.action == "delete" and deletion.after is None and deletion.before
    assert deletion.before["questions"] == NEW_FAQ["questions"]
    assert revert("faq", "velo", deletion.id, EDITOR) == 1
    assert get_record("faq", "velo")["answer"] == NEW_FAQ["answer"]  # type: ignore[index]
    with pytest.raises(RecordFileError, match="des formations mènent à ce métier"):
        delete_record("jobs", "developpeur-ia", EDITOR)
    assert get_record("jobs", "developpeur-ia") is not None


def test_changes_made_elsewhere_are_audited(store_url: str) -> None:
    audit(EDITOR, "documents", "guide-2026", "import", None, {"title": "Guide 2026", "passages": 12})
    entry = audit_log(limit=1)[0]
    assert (entry.actor, entry.kind, entry.record_id, entry.action) == (EDITOR, "documents", "guide-2026", "import")
    assert entry.before is None and entry.after == {"title": "Guide 2026", "passages": 12}
    assert history("documents", "guide-2026") == [entry]


def test_a_concurrent_write_between_check_and_update_is_stale(store_url: str) -> None:
    """Two editors save the same version at the same moment: the UPDATE itself checks the version."""
    if store_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writer at a time: the second one waits, then reads the new version")
    opened = get_record("faq", "cite-adresse")
    assert opened is not None
    with pytest.raises(StaleEdit), session_scope() as s:
        record_row(s, "faq", "cite-adresse")  # this editor's transaction has read version 1...
        save_record("faq", {**opened, "answer": "Première."}, "bob@cite.fr", 1)  # ...another commits version 2
        save(s, "faq", {**opened, "answer": "Seconde."}, EDITOR, 1)
    assert get_record("faq", "cite-adresse")["answer"] == "Première."  # type: ignore[index]


def test_redating_the_demos_keeps_what_staff_hid(store_url: str, tmp_path: Path) -> None:
    """`make store` re-dates the demo records (seed --if-empty): a demo workshop staff hid stays hidden."""
    demo = next(r for r in list_records("workshops") if r.demo)
    before = get_record("workshops", demo.id)
    assert before is not None
    set_published("workshops", demo.id, False, EDITOR, demo.version)
    seed(tmp_path, today=date.today() + timedelta(days=1), url=store_url, demo_only=True)
    redated = get_record("workshops", demo.id)
    assert redated is not None and redated["start"] != before["start"] and not redated["published"]
