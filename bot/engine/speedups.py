"""Two CPU hot spots of Rasa 3.6, removed without changing what it does (runs inside the Rasa process).

Profiling the Rasa server (py-spy, `BENCHMARKS.md`) showed two costs that repeat work whose result
never changes while the server runs:

- each action server response is checked with `jsonschema.validate`, which first validates the
  response schema itself against the JSON-Schema meta-schema: about 20 ms of CPU per custom action.
  Here the validator is built once; the checks and the error raised for a bad response are the same.
- each stored event read back from the tracker store finds its class by walking every subclass of
  `Event` (`Event.resolve_by_type`): a quarter of a turn late in a long conversation. Here the
  answer is remembered per event name.

`install()` is called once when the Rasa server loads our REST channel (`bot.engine.rest_channel`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)
_resolve_by_type = lru_cache(maxsize=None)(Event.resolve_by_type)


def validate_action_result(_: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validator built once."""
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response from "
                      f"the Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


def install() -> None:
    """Replace the two slow paths (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
