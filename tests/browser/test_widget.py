"""The web chat widget in a real browser (Debian's Chromium through Playwright), against the running stack."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

import knowledge
from channels.webchat import TOO_MANY, TRACKER_PREFIX
from knowledge.db import session_scope
from knowledge.models import FaqEntry
from knowledge.records_io import import_files
from runner.stack import Stack
from tests.browser.conftest import AXE, WAIT_MS

STORAGE_KEY = "odyssee-chat"
OPEN = "Ouvrir la discussion avec Odyssée"
XSS = '<img src=x onerror="window.__xss=1">'
# The NLU sends "quel est le code secret du coffre fort de la cité" to ask_services (cybersecurity),
# so the entry has a second phrasing that reaches the FAQ, and the test asks that one.
SECRET_QUESTIONS = ["quel est le code secret du coffre fort de la cité", "la cité a-t-elle un coffre-fort ?"]


# -- fixtures and helpers ------------------------------------------------------------------------

def new_page(browser: Browser, stack: Stack, bypass_csp: bool = False, **options: object) -> Page:
    """A fresh visitor (own storage) on the demo site's home page. `bypass_csp` lets the tests see what
    the widget itself does when the host page has no Content-Security-Policy to stop injected scripts."""
    context = browser.new_context(locale="fr-FR", bypass_csp=bypass_csp, **options)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(f"{stack.web_url}/")
    return page


@pytest.fixture
def page(browser: Browser, stack: Stack) -> Iterator[Page]:
    page = new_page(browser, stack)
    yield page
    page.context.close()


@pytest.fixture
def bare_page(browser: Browser, stack: Stack) -> Iterator[Page]:
    """A page whose CSP is bypassed, for the XSS tests and for injecting axe-core."""
    page = new_page(browser, stack, bypass_csp=True)
    yield page
    page.context.close()


def bot_messages(page: Page) -> Locator:
    return page.locator(".ody-message--bot")


def user_messages(page: Page) -> Locator:
    return page.locator(".ody-message--user")


def wait_answer(page: Page, seen: int) -> Locator:
    """Wait for the bot's answer after `seen` bot messages; its last message."""
    bot_messages(page).nth(seen).wait_for()
    expect(page.locator(".ody-typing")).to_be_empty()
    return bot_messages(page).last


def open_chat(page: Page) -> None:
    """Open the widget and wait for the greeting."""
    page.get_by_role("button", name=OPEN).click()
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_visible()
    wait_answer(page, 0)


def say(page: Page, text: str) -> Locator:
    """Type `text`, send it and wait for the answer; the bot's last message."""
    seen = bot_messages(page).count()
    page.get_by_label("Votre message à Odyssée").fill(text)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    return wait_answer(page, seen)


def stored(page: Page) -> dict | None:
    raw = page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw) if raw else None


def plain(locator: Locator) -> str:
    return locator.inner_text().replace("\u00a0", " ")


def transcript(page: Page) -> list[str]:
    return [plain(m) for m in page.locator(".ody-message").all()]


def assert_inert(page: Page, dialogs: list[Dialog]) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator(".ody-root img, .ody-root script").count() == 0
    assert not dialogs


@pytest.fixture
def xss_faq(tmp_path: Path, stack: Stack) -> Iterator[None]:
    """A published FAQ entry whose answer, typed by staff, holds HTML."""
    path = tmp_path / "xss-faq.yml"
    path.write_text(
        "- id: xss-test\n"
        "  region: occitanie\n"
        "  source: staff:test\n"
        "  published: true\n"  # stated explicitly: records_io imports a missing boolean as false
        f"  questions: {json.dumps(SECRET_QUESTIONS, ensure_ascii=False)}\n"
        f"  answer: 'Réponse de test : {XSS} **gras** <script>window.__xss=2</script> [piège](javascript:alert(3))"
        " [le site](https://exemple.org/cite) [autre piège](javascript:void) [écrire](mailto:cite@exemple.org)'\n",
        encoding="utf-8",
    )
    import_files([path])
    yield
    with session_scope() as session:
        session.delete(session.get(FaqEntry, "xss-test"))


# -- conversations -------------------------------------------------------------------------------

def test_workshops_answer_comes_from_the_store(page: Page) -> None:
    titles = [w.title for w in knowledge.upcoming_workshops(topic="intelligence artificielle", limit=50).items]
    assert titles, "the seeded store should have upcoming AI workshops"
    open_chat(page)

    answer = say(page, "quels ateliers sur l'IA la semaine prochaine ?")

    assert any(title in plain(answer) for title in titles), plain(answer)
    expect(answer.locator("li").first).to_be_visible()
    assert re.fullmatch(r"\d\d:\d\d", answer.locator("time").inner_text())


def test_quick_reply_sends_its_payload_and_shows_its_title(page: Page) -> None:
    open_chat(page)
    greeting = bot_messages(page).first
    seen = bot_messages(page).count()

    greeting.get_by_role("button", name="Ateliers à venir").click()

    answer = wait_answer(page, seen)
    expect(user_messages(page).last.locator(".ody-bubble")).to_have_text("Ateliers à venir")
    assert "événement" in plain(answer)
    expect(greeting.locator(".ody-reply")).to_have_count(0)


def test_history_survives_a_reload_and_another_page(page: Page) -> None:
    open_chat(page)
    say(page, "merci")
    before = transcript(page)
    assert len(before) >= 3

    page.reload()
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_visible()
    assert transcript(page) == before

    page.get_by_role("link", name="Services et ateliers", exact=True).click()
    page.wait_for_url("**/services.html")
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_visible()
    assert transcript(page) == before

    page.get_by_role("button", name="Fermer la discussion").click()
    page.reload()
    expect(page.get_by_role("button", name=OPEN)).to_be_visible()
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_hidden()


def test_history_silent_beyond_the_retention_period_is_forgotten(page: Page) -> None:
    open_chat(page)
    say(page, "merci")
    stored = json.loads(page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})"))
    stored["messages"] = [{**m, "time": "2020-01-01T10:00:00.000Z"} for m in stored["messages"]]
    page.evaluate(f"localStorage.setItem({json.dumps(STORAGE_KEY)}, {json.dumps(json.dumps(stored))})")
    page.reload()
    expect(page.get_by_role("button", name=OPEN)).to_be_visible()
    assert page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})") is None


# -- safety --------------------------------------------------------------------------------------

def test_typed_html_stays_text(bare_page: Page) -> None:
    dialogs: list[Dialog] = []
    bare_page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    open_chat(bare_page)
    payload = f"{XSS}<script>alert(1)</script> [lien](javascript:alert(1))"

    say(bare_page, payload)

    expect(user_messages(bare_page).last.locator(".ody-bubble")).to_have_text(payload)
    assert user_messages(bare_page).last.locator("a").count() == 0
    assert_inert(bare_page, dialogs)


def test_html_in_a_faq_answer_stays_text(bare_page: Page, xss_faq: None) -> None:
    dialogs: list[Dialog] = []
    bare_page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    open_chat(bare_page)

    answer = say(bare_page, SECRET_QUESTIONS[1])

    assert XSS in plain(answer)
    expect(answer.locator("strong")).to_have_text("gras")
    expect(answer.locator("a")).to_have_count(2)  # https and mailto, as on Telegram: a javascript: link never is
    assert [answer.locator("a").nth(i).get_attribute("href") for i in range(2)] == [
        "https://exemple.org/cite", "mailto:cite@exemple.org"]
    assert "autre piège" in plain(answer)
    assert_inert(bare_page, dialogs)


# -- keyboard, privacy, errors -------------------------------------------------------------------

def test_keyboard_only_conversation(page: Page) -> None:
    launcher = page.get_by_role("button", name=OPEN)
    for _ in range(40):
        page.keyboard.press("Tab")
        if launcher.evaluate("element => element === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    message_box = page.get_by_label("Votre message à Odyssée")
    expect(message_box).to_be_focused()
    wait_answer(page, 0)

    seen = bot_messages(page).count()
    page.keyboard.type("quels ateliers sur l'IA ?")
    page.keyboard.press("Enter")
    wait_answer(page, seen)
    expect(message_box).to_be_focused()

    for _ in range(10):  # the quick replies sit just before the message box
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('ody-reply')"):
            break
    title = page.evaluate("document.activeElement.textContent")
    seen = bot_messages(page).count()
    page.keyboard.press("Enter")
    wait_answer(page, seen)
    expect(user_messages(page).last.locator(".ody-bubble")).to_have_text(title)

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_nothing_is_stored_or_sent_before_opening(browser: Browser, stack: Stack) -> None:
    context = browser.new_context(locale="fr-FR")
    api_calls: list[str] = []
    context.on("request", lambda request: api_calls.append(request.url) if "/api/" in request.url else None)
    page = context.new_page()
    try:
        page.goto(f"{stack.web_url}/")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("button", name=OPEN)).to_be_visible()
        assert page.evaluate("localStorage.length") == 0
        assert page.evaluate("sessionStorage.length") == 0
        assert not context.cookies()
        assert not api_calls

        open_chat(page)
        assert len(api_calls) == 1
        state = stored(page)
        assert state and re.fullmatch(r"[0-9a-f]{32}", state["sender"]) and state["open"] is True
    finally:
        context.close()


def test_delete_my_conversation(page: Page, stack: Stack) -> None:
    open_chat(page)
    say(page, "merci")
    sender = stored(page)["sender"]
    forget = page.get_by_role("button", name="Supprimer ma conversation")

    forget.click()
    page.get_by_role("button", name="Annuler").click()
    expect(forget).to_be_focused()
    assert stored(page) is not None

    forget.click()
    page.get_by_role("button", name="Oui, supprimer").click()

    expect(page.get_by_text("Votre conversation a bien été supprimée")).to_be_visible()
    expect(page.locator(".ody-message")).to_have_count(0)
    assert stored(page) is None
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{TRACKER_PREFIX}{sender}/tracker", params=stack.token,
                        timeout=30).json()
    assert not [e for e in tracker["events"] if e.get("event") == "user"]
    page.reload()
    expect(page.get_by_role("dialog", name="Odyssée")).to_be_hidden()


def test_server_unreachable_keeps_the_text_and_offers_a_retry(page: Page) -> None:
    open_chat(page)
    text = "quels ateliers sur l'IA ?"
    message_box = page.get_by_label("Votre message à Odyssée")
    page.route("**/api/messages", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"error": "injoignable"}'))

    message_box.fill(text)
    message_box.press("Enter")

    expect(page.get_by_text("Je n'arrive pas à joindre le serveur")).to_be_visible()
    expect(message_box).to_have_value(text)
    expect(user_messages(page)).to_have_count(0)

    page.unroute("**/api/messages")
    page.route("**/api/messages", lambda route: route.abort())
    page.get_by_role("button", name="Réessayer").click()
    expect(page.get_by_role("button", name="Réessayer")).to_have_count(1)
    expect(message_box).to_have_value(text)

    page.unroute("**/api/messages")
    seen = bot_messages(page).count()
    page.get_by_role("button", name="Réessayer").click()
    wait_answer(page, seen)
    expect(user_messages(page).last.locator(".ody-bubble")).to_have_text(text)
    expect(message_box).to_have_value("")
    expect(page.get_by_text("Je n'arrive pas à joindre le serveur")).to_have_count(0)


def test_too_many_messages_shows_the_servers_explanation(page: Page) -> None:
    open_chat(page)
    message_box = page.get_by_label("Votre message à Odyssée")
    page.route("**/api/messages", lambda route: route.fulfill(
        status=429, content_type="application/json", body=json.dumps({"error": TOO_MANY})))
    message_box.fill("bonjour")
    message_box.press("Enter")
    expect(page.get_by_text("patientez une minute")).to_be_visible()
    expect(message_box).to_have_value("bonjour")
    page.unroute("**/api/messages")


# -- accessibility and layout --------------------------------------------------------------------

def test_axe_finds_no_serious_violation_with_the_widget_open(bare_page: Page) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing ({AXE}): run `npm ci --prefix tests/browser`")
    open_chat(bare_page)
    say(bare_page, "quels ateliers sur l'IA la semaine prochaine ?")
    bare_page.add_script_tag(path=str(AXE))

    results = bare_page.evaluate("axe.run(document, {resultTypes: ['violations']})")

    serious = [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert not serious, json.dumps(serious, indent=2, ensure_ascii=False)


def test_panel_is_full_screen_on_a_phone(browser: Browser, stack: Stack) -> None:
    page = new_page(browser, stack, viewport={"width": 390, "height": 760}, reduced_motion="reduce")
    try:
        open_chat(page)
        box = page.get_by_role("dialog", name="Odyssée").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 760}
    finally:
        page.context.close()
