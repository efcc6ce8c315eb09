"""TensorFlow thread settings of the Rasa server, compared on the same machine.

`runner/stack.py` gives TensorFlow one intra-op and one inter-op thread; this part starts the stack once
per setting and measures NLU alone (`/model/parse`) and the store-backed turn, at concurrency 1 and 8.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench import latency
from runner.stack import Stack, free_port

SETTINGS = ((1, 1), (2, 1), (1, 2), (2, 2))
LEVELS = (1, 8)
LAYERS = ("/model/parse", "webhook + action + store")


def run(count: int, runs: int, settings: tuple[tuple[int, int], ...] = SETTINGS) -> dict[str, dict]:
    """Per setting "intra/inter": /model/parse and store-backed latency and throughput, medians of `runs`."""
    results: dict[str, dict] = {}
    for intra, inter in settings:
        with tempfile.TemporaryDirectory() as workdir:
            stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=None,
                          env={"TF_INTRA_OP_PARALLELISM_THREADS": str(intra),
                               "TF_INTER_OP_PARALLELISM_THREADS": str(inter)})
            try:
                stack.start()
                stack.wait_ready(timeout=600)
                figures = latency.median_of([latency.run(stack, count, LEVELS, LAYERS) for _ in range(runs)])
                results.update({f"{intra}/{inter}, {key}": value for key, value in figures.items()})
            finally:
                stack.stop()
    return results
