"""Keyboard mashing read as `nlu_fallback`, whatever intent DIET guessed (run inside Rasa).

DIET always picks the nearest intent, sometimes confidently: « jhgjhg kkkk » came out as `deny`, « fjdksl
qpwoeiru » as `greet`. A message whose words are mostly unknown to spaCy's French vocabulary (500 000 words,
SMS spellings included) and in which no entity was found is not a request at all: the answer action then asks
the person to rephrase, with examples (`knowledge.is_gibberish` is the same test on the action side).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

FALLBACK = "nlu_fallback"
WORD = re.compile(r"[^\W\d_]{2,}")


def reads_as_gibberish(message: Message) -> bool:
    """Fewer than half of the message's words are French words or names (capitalised: « Nubbo », « NEGE »), and
    no entity was found in it, but in the mashing itself (« mmmmmmmm vvvvvv » once gave a job)."""
    doc = message.get(SPACY_DOCS[TEXT])
    text = message.get(TEXT) or ""
    words = WORD.findall(text)
    if doc is None or not words:
        return False

    def known(word: str) -> bool:
        return len(set(word.lower())) > 1 and (word[0].isupper() or doc.vocab.has_vector(word)
                                               or doc.vocab.has_vector(word.lower()))

    def found_in_words(entity: dict[str, Any]) -> bool:
        if "start" not in entity or "end" not in entity:
            return True
        return any(known(word) for word in WORD.findall(text[entity["start"]:entity["end"]]))

    if any(found_in_words(entity) for entity in message.get(ENTITIES) or []):
        return False
    return sum(1 for word in words if known(word)) < len(words) / 2


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class GibberishFallback(GraphComponent):
    """Sets `nlu_fallback` (confidence 1) on messages that read as gibberish; others are left as they are."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> GibberishFallback:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if reads_as_gibberish(message):
                fallback = {"name": FALLBACK, "confidence": 1.0}
                ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != FALLBACK]
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
        return messages
