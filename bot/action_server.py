"""The action server: rasa_sdk's own, started once the retrieval models are ready.

Fitting the FAQ model, loading the sentence encoder and the recogniser of names and building the passage index
take several seconds; done here, before the server answers /health, the first question of the day is answered as
fast as the others instead of running into the actions' timeout. Same arguments as `python -m rasa_sdk`.
"""

from __future__ import annotations

import logging

from rasa_sdk.__main__ import main
from sqlalchemy.exc import SQLAlchemyError

import knowledge
from knowledge.people import people

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Build what the first question would otherwise build; a store that is down is only logged."""
    try:
        knowledge.search_faq("bonjour", limit=1)
        knowledge.best_passage("bonjour")
        people("Carole Delga")  # spaCy's recogniser of names, for questions asking who
    except (SQLAlchemyError, OSError):
        logger.warning("knowledge store unavailable at start: the models will be built at the first question")


if __name__ == "__main__":
    warm_up()
    main()
