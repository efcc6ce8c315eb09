"""The dashboard and the conversation review in a real browser, against the running stack: every chart present,
every figure right for a known set of turns (on days no other test uses), the filters change them, CSV exports,
one click from a failed question to the inbox, a conversation marked « revue », the FAQ list's quality columns."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

import knowledge
from knowledge import analytics, turn_log
from knowledge.dates import PARIS
from knowledge.models import utcnow
from runner.stack import ROOT, Stack
from tests.browser import test_backoffice as backoffice
from tests.browser.conftest import AXE
from tests.browser.test_backoffice import signed_in

staff = backoffice.staff  # the back-office tests' fixture
DAY1, DAY2 = date(2026, 6, 1), date(2026, 6, 2)
PERIOD = f"du={DAY1}&au={DAY2}"
FAILED = "Avez-vous un stage en robotique ? écrivez à tom@exemple.fr"
SCREENSHOT = ROOT / "docs" / "dashboard.png"  # `ODYSSEE_SCREENSHOTS=1`: the README's picture
CHARTS = ["Conversations et messages par jour", "Issue des messages", "Satisfaction",
          "Les 10 intentions les plus fréquentes", "Les 10 fiches FAQ les plus utilisées",
          "Les 10 documents les plus cités"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture(scope="module")
def known(stack: Stack) -> dict[str, str]:
    """Nine turns in three conversations over two days in June (as tests/test_analytics.py has them), three votes.

    web, day 1: FAQ cite-adresse 👍 (100 ms), FAQ cite-adresse 👎 (200 ms), not answered (300 ms).
    telegram, day 1: document (400 ms), catalogue workshops 👍 (500 ms).
    web, day 2: FAQ convention-grand-est (600 ms), handoff (700 ms), out of scope (800 ms), not answered (900 ms).
    """
    suffix = uuid.uuid4().hex[:8]
    senders = {"a": f"web-dash-a-{suffix}", "b": f"tg-dash-{suffix}", "c": f"web-dash-c-{suffix}"}

    def turn(who: str, channel: str, source: str, source_id: str, intent: str, ms: int, when: datetime,
             question: str | None = None) -> str:
        return turn_log.record_turn(senders[who], channel, intent, 0.9, source, source_id, ms, question, at=when)

    ids = {
        "a1": turn("a", "web", "faq", "cite-adresse", "faq", 100, at(DAY1, 10)),
        "a2": turn("a", "web", "faq", "cite-adresse", "faq", 200, at(DAY1, 10, 1)),
        "a3": turn("a", "web", "unknown", "", "nlu_fallback", 300, at(DAY1, 10, 2), FAILED),
        "b1": turn("b", "telegram", "document", "cemd-ouverture-odysseum", "faq", 400, at(DAY1, 11)),
        "b2": turn("b", "telegram", "catalogue", "workshops", "ask_workshops", 500, at(DAY1, 11, 1)),
        "c1": turn("c", "web", "faq", "convention-grand-est", "faq", 600, at(DAY2, 9)),
        "c2": turn("c", "web", "handoff", "contact", "request_human", 700, at(DAY2, 9, 1)),
        "c3": turn("c", "web", "out_of_scope", "", "out_of_scope", 800, at(DAY2, 9, 2)),
        "c4": turn("c", "web", "unknown", "", "nlu_fallback", 900, at(DAY2, 9, 3), FAILED),
    }
    knowledge.record_unanswered(FAILED, channel="web", sender_id=senders["a"])
    turn_log.record_feedback(ids["a1"], senders["a"], True, "web")
    turn_log.record_feedback(ids["a2"], senders["a"], False, "web", question="et le dimanche ?")
    turn_log.record_feedback(ids["b2"], senders["b"], True, "telegram")
    return ids


@pytest.fixture
def editor(browser: Browser, stack: Stack, staff: dict[str, str]) -> Iterator[Page]:
    page = signed_in(browser, stack, staff["editor"])
    yield page
    page.context.close()


def figure(page: Page, name: str) -> str:
    return page.locator(f"#chiffre-{name}").inner_text().replace("\u00a0", " ")


def rows(page: Page, table: str) -> list[list[str]]:
    return [[cell.replace("\u00a0", " ") for cell in row.locator("th, td").all_inner_texts()]
            for row in page.locator(f"#tableau-{table} tbody tr").all()]


def test_every_chart_and_figure_for_a_known_set_of_turns(editor: Page, stack: Stack, known: dict[str, str]) -> None:
    editor.goto(f"{stack.admin_url}/tableau-de-bord?{PERIOD}")
    for name in CHARTS:
        expect(editor.get_by_role("img", name=name)).to_be_visible()
    assert (figure(editor, "conversations"), figure(editor, "messages"), figure(editor, "repondus"),
            figure(editor, "satisfaction"), figure(editor, "p50"), figure(editor, "p95")) == (
        "3", "9", "56 %", "67 %", "500 ms", "900 ms")
    assert rows(editor, "jours") == [["01/06/2026", "2", "5"], ["02/06/2026", "1", "4"]]
    assert rows(editor, "issues") == [["Répondu", "5", "56 %"], ["Non compris", "2", "22 %"],
                                      ["Transmis à un conseiller", "1", "11 %"], ["Hors sujet", "1", "11 %"]]
    assert rows(editor, "intentions") == [["faq", "4"], ["nlu_fallback", "2"], ["ask_workshops", "1"],
                                          ["out_of_scope", "1"], ["request_human", "1"]]
    assert rows(editor, "fiches") == [["cite-adresse", "2"], ["convention-grand-est", "1"]]
    assert rows(editor, "documents") == [["cemd-ouverture-odysseum", "1"]]
    assert rows(editor, "echecs") == [
        ["Avez-vous un stage en robotique ? écrivez à [e-mail masqué]", "2", "0", "Créer une fiche FAQ"],
        ["et le dimanche ?", "0", "1", "Créer une fiche FAQ"]]
    assert rows(editor, "satisfaction") == [["Fiche FAQ cite-adresse", "2", "1", "1", "50 %"],
                                            ["Catalogue : ateliers", "1", "1", "0", "100 %"]]
    assert rows(editor, "temps-de-reponse") == [["Médiane (p50)", "500"], ["95e centile (p95)", "900"],
                                                ["Messages mesurés", "9"]]


def test_filters_change_the_figures(editor: Page, stack: Stack, known: dict[str, str]) -> None:
    editor.goto(f"{stack.admin_url}/tableau-de-bord?{PERIOD}")
    editor.get_by_label("Canal").select_option(label="Telegram")
    editor.get_by_role("button", name="Filtrer").click()
    expect(editor.locator("#chiffre-messages")).to_have_text("2")
    assert (figure(editor, "conversations"), figure(editor, "repondus"), figure(editor, "p50")) == (
        "1", "100 %", "400 ms")
    assert rows(editor, "jours") == [["01/06/2026", "1", "2"], ["02/06/2026", "0", "0"]]
    editor.get_by_label("Canal").select_option(label="Tous")
    editor.get_by_label("Région").select_option(label="Grand Est")
    editor.get_by_label("Du").fill(DAY2.isoformat())
    editor.get_by_role("button", name="Filtrer").click()
    expect(editor.locator("#chiffre-messages")).to_have_text("1")
    assert rows(editor, "fiches") == [["convention-grand-est", "1"]]
    editor.goto(f"{stack.admin_url}/tableau-de-bord?du=pas-une-date")
    expect(editor.get_by_role("alert")).to_have_text("Ces dates ne sont pas valides : voici les 7 derniers jours.")


def test_every_table_exports_as_csv(editor: Page, stack: Stack, known: dict[str, str]) -> None:
    editor.goto(f"{stack.admin_url}/tableau-de-bord?{PERIOD}&canal=web")
    links = editor.get_by_role("link", name="en CSV").all()
    assert len(links) == 8
    exported = {}
    for link in links:
        reply = editor.request.get(f"{stack.admin_url}{link.get_attribute('href')}")
        assert reply.ok and reply.headers["content-type"].startswith("text/csv")
        exported[link.get_attribute("href").split("/")[-1].split(".csv")[0]] = list(
            csv.reader(io.StringIO(reply.body().decode("utf-8-sig")), delimiter=";"))
    assert exported["jours"] == [["Jour", "Conversations", "Messages"], ["01/06/2026", "1", "3"],
                                 ["02/06/2026", "1", "4"]]
    assert exported["issues"][1] == ["Répondu", "3", "43 %"]
    assert exported["echecs"][1][:3] == ["Avez-vous un stage en robotique ? écrivez à [e-mail masqué]", "2", "0"]
    signed_out = editor.context.browser.new_context().request  # type: ignore[union-attr]
    refused = signed_out.get(f"{stack.admin_url}/tableau-de-bord/jours.csv?{PERIOD}", max_redirects=0)
    assert refused.status == 303 and "text/csv" not in refused.headers.get("content-type", "")


def test_a_failed_question_is_one_click_from_a_new_faq_entry(editor: Page, stack: Stack,
                                                             known: dict[str, str]) -> None:
    editor.goto(f"{stack.admin_url}/tableau-de-bord?{PERIOD}")
    editor.locator("#tableau-echecs tbody tr").first.get_by_role("link", name="Créer une fiche FAQ").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche FAQ depuis la boîte")
    expect(editor.get_by_label("Formulations (reprises de la boîte)")).to_have_value(
        "Avez-vous un stage en robotique ? écrivez à [e-mail masqué]")


def test_a_conversation_is_reviewed_and_leaves_the_list(editor: Page, stack: Stack, known: dict[str, str]) -> None:
    editor.goto(f"{stack.admin_url}/conversations?{PERIOD}")
    assert [row[1:] for row in rows(editor, "conversations")] == [
        ["Site web", "4", "Transmis à un conseiller", "À revoir"], ["Telegram", "2", "Répondu", "À revoir"],
        ["Site web", "3", "Réponse jugée pas utile", "À revoir"]]
    editor.locator("#tableau-conversations tbody tr").nth(2).get_by_role("link").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Conversation")
    turns = rows(editor, "tours")
    assert [row[1:] for row in turns] == [
        ["faq (90 %)", "Fiche FAQ cite-adresse", "100 ms", "—", "Utile"],
        ["faq (90 %)", "Fiche FAQ cite-adresse", "200 ms", "et le dimanche ?", "Pas utile"],
        ["nlu_fallback (90 %)", "Sans réponse", "300 ms",
         "Avez-vous un stage en robotique ? écrivez à [e-mail masqué]", "—"]]
    editor.get_by_role("button", name="Marquer comme revue").click()
    expect(editor.get_by_role("status")).to_contain_text("marquée comme revue")
    editor.goto(f"{stack.admin_url}/conversations?{PERIOD}")
    assert [row[3] for row in rows(editor, "conversations")] == ["Transmis à un conseiller", "Répondu"]
    editor.get_by_role("link", name="Toutes les conversations").click()
    assert [row[4] for row in rows(editor, "conversations")] == ["À revoir", "À revoir", "Revue"]
    editor.get_by_label("Issue").select_option(label="Répondu")
    editor.get_by_role("button", name="Filtrer").click()
    expect(editor.locator("#tableau-conversations tbody tr")).to_have_count(1)
    assert [row[1:] for row in rows(editor, "conversations")] == [["Telegram", "2", "Répondu", "À revoir"]]


def test_an_erased_conversation_is_gone_from_the_review(editor: Page, stack: Stack) -> None:
    sender = f"web-efface-{uuid.uuid4().hex[:8]}"
    turn_log.record_turn(sender, "web", "faq", 0.9, "faq", "cite-adresse", 100, at=at(DAY1 - timedelta(days=1), 9))
    conversation = turn_log.conversation_of(sender)
    editor.goto(f"{stack.admin_url}/conversations/{conversation}")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Conversation")
    knowledge.forget_sender(sender)
    editor.goto(f"{stack.admin_url}/conversations/{conversation}")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Page introuvable")


def test_the_faq_list_shows_each_entry_s_answers_and_thumbs_up_over_30_days(editor: Page, stack: Stack) -> None:
    sender = f"web-qualite-{uuid.uuid4().hex[:8]}"
    now = utcnow()
    first = turn_log.record_turn(sender, "web", "faq", 0.9, "faq", "convention-grand-est-priorites", at=now)
    turn_log.record_turn(sender, "web", "faq", 0.9, "faq", "convention-grand-est-priorites", at=now)
    turn_log.record_turn(sender, "web", "faq", 0.9, "faq", "convention-grand-est-priorites",
                         at=now - timedelta(days=31))  # older than 30 days: not counted
    turn_log.record_feedback(first, sender, True, "web")
    editor.goto(f"{stack.admin_url}/faq")
    row = editor.locator("tbody tr", has=editor.locator('a[href="/faq/convention-grand-est-priorites"]'))
    expect(row).to_have_count(1)
    cells = [cell.replace("\u00a0", " ") for cell in row.locator("td").all_inner_texts()]
    assert cells[-2:] == ["2", "100 % (1 avis)"]


def test_axe_finds_no_serious_violation_on_the_dashboard_pages(browser: Browser, stack: Stack,
                                                               staff: dict[str, str], known: dict[str, str]) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing ({AXE}): run `npm ci --prefix tests/browser`")
    page = signed_in(browser, stack, staff["admin"], bypass_csp=True)
    found = {}
    conversation = analytics.conversations(analytics.Scope(DAY1, DAY2))[0].id
    for path in (f"/tableau-de-bord?{PERIOD}", f"/conversations?{PERIOD}&toutes=1", f"/conversations/{conversation}",
                 "/faq"):
        page.goto(f"{stack.admin_url}{path}")
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [{"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
                   for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            found[path] = serious
    if os.environ.get("ODYSSEE_SCREENSHOTS") == "1":
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{stack.admin_url}/tableau-de-bord?{PERIOD}")
        page.screenshot(path=str(SCREENSHOT))
    page.context.close()
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
