"""Keep the assistant serving when one of its processes dies, as supervisord and systemd do.

The dead process is restarted after a delay that doubles with each death (1 s, 2 s, 4 s... at most 30 s)
while the others keep serving: Rasa apologises in French while the action server is away, Rasa's REST
webhook and Telegram keep answering while the web gateway is. A process that dies `max_deaths` times within
`window` seconds is not restarted again: `GaveUp` says which one, and the runner stops everything.
"""

from __future__ import annotations

import signal
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from runner.stack import Stack


class GaveUp(Exception):
    """A process keeps dying; the message, in French, names it and its log."""


def why(code: int) -> str:
    """An exit status in words: a negative code is the signal that killed the process."""
    if code < 0:
        return f"tué par le signal {signal.Signals(-code).name}"
    return f"code de sortie {code}"


def last_line(log: Path) -> str:
    """The last line the process wrote to its log (most often the error that stopped it), shortened."""
    try:
        with log.open("rb") as file:
            file.seek(max(0, file.seek(0, 2) - 4096))
            lines = [line.strip() for line in file.read().decode("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


@dataclass
class Supervisor:
    """Call `check()` regularly: it reports deaths and restarts, and raises GaveUp when a process keeps dying."""

    stack: Stack
    first_delay: float = 1.0
    max_delay: float = 30.0
    max_deaths: int = 5
    window: float = 60.0
    deaths: dict[str, deque[float]] = field(default_factory=dict)
    restart_at: dict[str, float] = field(default_factory=dict)

    def check(self) -> list[str]:
        """Look at every process once; the lines to print about what died and what was restarted."""
        now, lines = time.monotonic(), []
        for name, process in list(self.stack.processes.items()):
            if name in self.restart_at or process.poll() is None:
                continue
            lines.append(self._died(name, process.returncode, now))
        for name, when in list(self.restart_at.items()):
            if now >= when:
                del self.restart_at[name]
                self.stack.start(name)
                lines.append(f"{name} redémarré.")
        return lines

    def _died(self, name: str, code: int, now: float) -> str:
        recent = self.deaths.setdefault(name, deque())
        recent.append(now)
        while recent and now - recent[0] > self.window:
            recent.popleft()
        log = self.stack.var / "logs" / f"{name}.log"
        if len(recent) >= self.max_deaths:
            raise GaveUp(f"{name} s'est arrêté {len(recent)} fois en moins de {self.window:.0f} s ({why(code)}) : "
                         f"arrêt d'Odyssée. Voir {log}.")
        delay = min(self.first_delay * 2 ** (len(recent) - 1), self.max_delay)
        self.restart_at[name] = now + delay
        said = f" ; dernière ligne de {log} : {line}" if (line := last_line(log)) else f" ; voir {log}"
        return f"{name} s'est arrêté ({why(code)}), redémarrage dans {delay:g} s{said}"
