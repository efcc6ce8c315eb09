"""Parse messages with a trained Rasa model, as the server does (run in the engine environment).

`python bench/rasa_parse.py MODEL < texts.json` prints the intent and entities of each text as JSON; the intent
is the one the fallback classifier stood in for, as `rasa test nlu` counts it. Used by
`bench.nlu_cv`, whose folds are too many for `rasa test nlu` (see BENCHMARKS.md on its speed).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


async def parse(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [i["name"] for i in parsed.get("intent_ranking") or [] if i["name"] != "nlu_fallback"]
        results.append({"intent": ranking[0] if ranking else (parsed.get("intent") or {}).get("name"),
                        "entities": [[e["entity"], e.get("value")] for e in parsed.get("entities", [])]})
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(parse(sys.argv[1], json.load(sys.stdin)))))
