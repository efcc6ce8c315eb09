"""« Cette réponse vous a aidé ? » in the widget, in a real browser against the running stack: by mouse and by
keyboard, one vote per answer, the optional « Qu'est-ce qui manquait ? », and axe-core clean in every state."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Locator, Page, expect

from knowledge.db import session_scope
from knowledge.models import Feedback
from tests.browser import test_widget as widget
from tests.browser.conftest import AXE
from tests.browser.test_widget import bot_messages, open_chat, say, stored

page, bare_page = widget.page, widget.bare_page  # the widget tests' fixtures
QUESTION = "où se trouve la cité ?"


def vote_of(page: Page) -> Feedback | None:
    """The stored vote on the latest rated answer of the page's conversation."""
    turn = [m["turn"] for m in (stored(page) or {})["messages"] if m.get("turn")][-1]
    with session_scope() as s:
        return s.get(Feedback, turn)


def ask(page: Page) -> Locator:
    open_chat(page)
    answer = say(page, QUESTION)
    expect(answer.locator(".ody-bubble")).to_contain_text("Odysseum")
    return answer


def serious_violations(page: Page) -> list[dict]:
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def test_an_answer_asks_for_a_vote_and_a_thumbs_up_by_keyboard_is_kept_once(page: Page) -> None:
    answer = ask(page)
    assert bot_messages(page).first.get_by_role("group", name="Cette réponse vous a aidé ?").count() == 0  # greeting
    group = answer.get_by_role("group", name="Cette réponse vous a aidé ?")
    expect(group.get_by_role("button", name="Oui, utile")).to_have_text("👍")
    expect(group.get_by_role("button", name="Non, pas utile")).to_have_text("👎")
    for _ in range(15):  # from the message box back to the vote
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Oui, utile":
            break
    expect(group.get_by_role("button", name="Oui, utile")).to_be_focused()
    page.keyboard.press("Enter")
    expect(answer.get_by_role("status")).to_have_text("Merci pour votre avis !")
    expect(answer.get_by_role("button", name="Oui, utile")).to_have_count(0)
    vote = vote_of(page)
    assert vote is not None and vote.useful and vote.channel == "web"
    page.reload()
    expect(bot_messages(page).last.locator(".ody-bubble")).to_contain_text("Odysseum")
    expect(page.get_by_role("button", name="Oui, utile")).to_have_count(0)  # one vote per answer


def test_a_thumbs_down_asks_what_was_missing(page: Page) -> None:
    answer = ask(page)
    answer.get_by_role("button", name="Non, pas utile").click()
    field = answer.get_by_label("Qu'est-ce qui manquait ? (facultatif)")
    expect(field).to_be_focused()
    page.keyboard.type("Le plan d'accès, pour écrire à lea@exemple.fr")
    page.keyboard.press("Enter")
    expect(answer.get_by_role("status")).to_have_text(
        "Merci, c'est noté : l'équipe s'en servira pour améliorer mes réponses.")
    vote = vote_of(page)
    assert vote is not None and not vote.useful and vote.comment == "Le plan d'accès, pour écrire à [e-mail masqué]"


def test_what_was_missing_can_be_skipped(page: Page) -> None:
    answer = ask(page)
    answer.get_by_role("button", name="Non, pas utile").click()
    answer.get_by_role("button", name="Passer").click()
    expect(answer.get_by_role("status")).to_have_text("Merci pour votre avis !")
    vote = vote_of(page)
    assert vote is not None and not vote.useful and vote.comment == ""


def test_axe_finds_no_serious_violation_in_any_state_of_the_vote(bare_page: Page) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing ({AXE}): run `npm ci --prefix tests/browser`")
    answer = ask(bare_page)
    bare_page.add_script_tag(path=str(AXE))
    states = {"vote": serious_violations(bare_page)}
    answer.get_by_role("button", name="Non, pas utile").click()
    expect(answer.get_by_label("Qu'est-ce qui manquait ? (facultatif)")).to_be_visible()
    states["what was missing"] = serious_violations(bare_page)
    answer.get_by_role("button", name="Envoyer", exact=True).click()
    expect(answer.get_by_role("status")).to_have_text("Merci pour votre avis !")
    states["thanks"] = serious_violations(bare_page)
    assert not any(states.values()), json.dumps(states, indent=2, ensure_ascii=False)
