"""The Telegram bridge as a real subprocess (`python -m channels.telegram_bridge`), for the tests."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from runner.stack import APP_PYTHON, ROOT
from tests.telegram.background import wait_for
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi

COMMAND = [str(APP_PYTHON), "-m", "channels.telegram_bridge"]
_chat_ids = itertools.count(7_000_001)


def new_chat_id() -> int:
    """A chat (and Rasa conversation) no other test uses."""
    return next(_chat_ids)


@dataclass
class Bridge:
    """A running bridge and its log."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        """True while it runs; AssertionError with its log once it exited."""
        if self.process.poll() is not None:
            raise AssertionError(f"the bridge exited with code {self.process.returncode}:\n{self.log()}")
        return True

    def stop(self) -> None:
        """SIGINT (a graceful stop, as runner/stack.py does), SIGKILL after 15 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bridge_env(**env: str) -> dict[str, str]:
    """A bridge's environment: the caller's without its TELEGRAM_* settings, then `env`."""
    base = {name: value for name, value in os.environ.items() if not name.startswith("TELEGRAM_")}
    return {**base, "PYTHONPATH": str(ROOT), **env}


def launch(log_path: Path, **env: str) -> Bridge:
    """Start a bridge with `env` (see `bridge_env`), its output in `log_path`."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(COMMAND, cwd=ROOT, env=bridge_env(**env), stdout=log, stderr=subprocess.STDOUT)
    return Bridge(process, log_path)


def start_polling(fake: FakeBotApi, log_path: Path, rasa_url: str, **env: str) -> Bridge:
    """A bridge polling `fake`, returned once it asks for updates."""
    bridge = launch(log_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url, RASA_URL=rasa_url, **env)
    wait_for(lambda: bridge.alive() and fake.calls_of("getUpdates"), what="the bridge to poll")
    return bridge


def run_to_exit(**env: str) -> subprocess.CompletedProcess[str]:
    """Run a bridge expected to stop at once (bad settings)."""
    return subprocess.run(COMMAND, cwd=ROOT, env=bridge_env(**env), capture_output=True, text=True, timeout=60)
