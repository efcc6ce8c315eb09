"""What every browser test shares: Debian's Chromium driven by Playwright (each test skipped without it),
axe-core for the accessibility scans, and the browser fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WAIT_MS = 60_000

expect.set_options(timeout=WAIT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {CHROMIUM} is missing (make chromium installs it)")
    for item in items:
        if item.path.parent == HERE:
            item.add_marker(skip)


# One per module: Playwright's sync API keeps an event loop running, which must be closed before the tests that
# follow run their own (asyncio.run).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
