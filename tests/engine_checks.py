"""Checks of our components that run inside Rasa, executed by the engine environment (Python 3.10).

`tests/test_engine_components.py` runs `.venv-rasa/bin/python tests/engine_checks.py CHECK [ARG]` and
reads the JSON it prints: Rasa's own classes are the reference every time.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def heldout_texts(limit: int) -> list[str]:
    """`limit` held-out messages spread over the file, entity annotations removed."""
    from bench.nlu_quality import HELDOUT, examples

    texts = [text for text, _ in examples(HELDOUT)]
    return texts[:: max(1, len(texts) // limit)][:limit]


def parses(rasa_loading: bool) -> list[Any]:
    """The trained model's parse of held-out messages, DIET loaded our way or Rasa's way."""
    from rasa.core.agent import Agent
    from rasa.nlu.classifiers.diet_classifier import DIET

    from bot.engine.nlu_components import FastLoadingDIET

    if rasa_loading:
        FastLoadingDIET.load = classmethod(DIET.load.__func__)  # type: ignore[assignment]
    agent = Agent.load(str(ROOT / "bot" / "models"))

    async def parse_all() -> list[Any]:
        results = [await agent.parse_message(text) for text in heldout_texts(60)]
        return [[r["intent"]["name"], r["intent"]["confidence"], [(e["entity"], e["value"]) for e in r["entities"]],
                 [i["confidence"] for i in r["intent_ranking"]]] for r in results]

    return asyncio.run(parse_all())


def gibberish() -> dict[str, str]:
    """The intent our gibberish gate leaves on messages DIET classified (as `deny` here, as it did)."""
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.training_data.message import Message

    from bot.engine.gibberish import GibberishFallback
    from bot.engine.nlu_components import SpacyNLP

    nlp = SpacyNLP.load_model("fr_core_news_md").model
    texts = ["jhgjhg kkkk", "fjdksl qpwoeiru", "non merci", "Nubbo ?", "slt cmb de places ?", "xkcdz vvbn",
             "mmmmmmmm vvvvvv"]
    messages = []
    for text in texts:
        message = Message(data={"text": text, "intent": {"name": "deny", "confidence": 0.9},
                                "intent_ranking": [{"name": "deny", "confidence": 0.9}]})
        message.set(SPACY_DOCS["text"], nlp(text))
        if text == "xkcdz vvbn":
            message.set("entities", [{"entity": "topic", "value": "data"}])
        if text == "mmmmmmmm vvvvvv":  # an entity DIET read in the mashing itself
            message.set("entities", [{"entity": "job", "value": "vvvvvv", "start": 9, "end": 15}])
        messages.append(message)
    return {m.get("text"): m.get("intent")["name"] for m in GibberishFallback().process(messages)}


def speedups() -> dict[str, Any]:
    """Our action-response validation and event lookup against Rasa's own."""
    import jsonschema
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    names = sorted({cls.type_name for cls in all_subclasses(Event)})
    before = {name: Event.resolve_by_type(name).__name__ for name in names}
    from bot.engine import speedups as engine_speedups

    engine_speedups.install()
    engine_speedups.install()
    action = RemoteAction("action_x", None)
    good = {"events": [{"event": "slot", "name": "search", "value": {"k": 1}}], "responses": [{"text": "Bonjour"}]}
    bad = [{"events": "pas une liste"}, {"responses": [{"text": 3}]}, {"events": [{"name": "sans type"}]}]
    outcomes = []  # per bad response: (Rasa's jsonschema.validate raised, ours raised, same message)
    for response in bad:
        try:
            jsonschema.validate(response, action.action_response_format_spec())
            expected = None
        except jsonschema.ValidationError as error:
            expected = error.message
        try:
            action._validate_action_result(response)
            outcomes.append([expected is not None, False, expected is None])
        except jsonschema.ValidationError as error:
            outcomes.append([expected is not None, True, error.message.startswith(f"{expected}. Failed to validate")])
    try:
        Event.resolve_by_type("pas_un_evenement")
        unknown = "no error"
    except ValueError:
        unknown = "ValueError"
    return {"same_classes": before == {name: Event.resolve_by_type(name).__name__ for name in names},
            "event_names": len(names), "good": action._validate_action_result(good), "bad": outcomes,
            "unknown": unknown}


def tracker_store(url: str) -> dict[str, Any]:
    """Save a conversation with our store; read it back with ours and with Rasa's, on the same database."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.engine import make_url

    from bot.engine.tracker_store import LeanSQLTrackerStore

    domain = Domain.load(str(ROOT / "domain.yml"))
    parsed = make_url(url)
    options = ({"dialect": "sqlite", "db": parsed.database} if parsed.get_backend_name() == "sqlite" else
               {"dialect": "postgresql", "host": parsed.host, "port": parsed.port, "db": parsed.database,
                "username": parsed.username, "password": parsed.password})
    ours = LeanSQLTrackerStore(domain=domain, **options)
    sender = f"check-{os.getpid()}"
    tracker = DialogueStateTracker(sender, domain.slots)
    old = [ActionExecuted("action_session_start", timestamp=1), SessionStarted(timestamp=2),
           ActionExecuted("action_listen", timestamp=3), UserUttered("bonjour", {"name": "greet"}, timestamp=4)]
    new = [SessionStarted(timestamp=10), ActionExecuted("action_listen", timestamp=11),
           UserUttered("des ateliers IA ?", {"name": "ask_workshops", "confidence": 0.9},
                       [{"entity": "topic", "value": "intelligence artificielle", "start": 12, "end": 14}],
                       timestamp=12),
           SlotSet("search", {"kind": "workshops"}, timestamp=13), BotUttered("Voici 2 ateliers.", timestamp=14),
           ActionExecuted("action_listen", timestamp=15)]
    for event in old + new:
        tracker.update(event)
    declined = [UserUttered("/request_callback", {"name": "request_callback"}, timestamp=16),
                UserUttered("c'est zoe.test@example.fr", {"name": "inform"}, timestamp=17),
                SlotSet("contact", "c'est zoe.test@example.fr", timestamp=18),
                SlotSet("contact", "zoe.test@example.fr", timestamp=19),
                UserUttered("/deny", {"name": "deny"}, timestamp=20),
                SlotSet("contact", None, timestamp=21), SlotSet("redact", "zoe.test@example.fr", timestamp=22)]

    async def run() -> dict[str, Any]:
        await ours.save(tracker)
        await ours.save(tracker)  # nothing new: nothing written twice
        reference = SQLTrackerStore(domain=domain, **options)
        mine, theirs = await ours.retrieve(sender), await reference.retrieve(sender)
        full_mine, full_theirs = await ours.retrieve_full_tracker(sender), await reference.retrieve_full_tracker(sender)
        with ours.engine.connect() as connection:
            journal = (connection.exec_driver_sql("PRAGMA journal_mode").scalar()
                       if ours.engine.dialect.name == "sqlite" else None)
        for event in declined:  # a contact typed, then declined: the action asks to erase it
            tracker.update(event)
        await ours.save(tracker)
        erased = await reference.retrieve(sender)
        return {"latest_session": len(mine.events), "same_as_rasa": mine.events == theirs.events,
                "full_same_as_rasa": full_mine.events == full_theirs.events, "full": len(full_mine.events),
                "slot": mine.get_slot("search"), "missing": await ours.retrieve("nobody") is None,
                "journal": journal, "erased_json": json.dumps([e.as_dict() for e in erased.events]),
                "erased_texts": [e.text for e in erased.events if isinstance(e, UserUttered)],
                "erased_slots": [erased.get_slot("contact"), erased.get_slot("redact")]}

    return asyncio.run(run())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    check, *args = sys.argv[1:]
    result = {"parses": lambda: parses(args[0] == "rasa"), "speedups": speedups, "gibberish": gibberish,
              "tracker_store": lambda: tracker_store(args[0])}[check]()
    print(json.dumps(result, ensure_ascii=False))
