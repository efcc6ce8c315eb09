"""Fixtures of the Telegram bridge's tests: the fake Bot API, bridge processes, fresh chats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.telegram.bridge_process import Bridge, launch, new_chat_id
from tests.telegram.fake_bot_api import FakeBotApi


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A fake Bot API for one test."""
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def bridges(tmp_path: Path) -> Iterator[Callable[..., Bridge]]:
    """Start bridges with an environment (see `launch`); all stopped after the test."""
    started: list[Bridge] = []

    def start(**env: str) -> Bridge:
        started.append(launch(tmp_path / f"bridge-{len(started)}.log", **env))
        return started[-1]

    yield start
    for bridge in started:
        bridge.stop()


@pytest.fixture
def chat_id() -> int:
    """A chat (and Rasa conversation) no other test uses."""
    return new_chat_id()
