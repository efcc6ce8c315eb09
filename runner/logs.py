"""Log rotation for `make run`: each server writes to var/logs/NAME.log, rotated by size, a few kept.

The servers keep their log open in append mode, so a full log is copied to NAME.log.1 (older copies shift
to .2, .3 …) and then emptied in place (what logrotate calls copytruncate).
"""

from __future__ import annotations

import shutil
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
KEEP = 5


def rotate(directory: Path, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> list[Path]:
    """Rotate every log of `directory` larger than `max_bytes`; the logs rotated."""
    rotated = []
    for log in sorted(directory.glob("*.log")):
        if log.stat().st_size <= max_bytes:
            continue
        for n in range(keep - 1, 0, -1):
            older = log.with_name(f"{log.name}.{n}")
            if older.exists():
                older.replace(log.with_name(f"{log.name}.{n + 1}"))
        shutil.copyfile(log, log.with_name(f"{log.name}.1"))
        with log.open("r+b") as handle:
            handle.truncate(0)
        rotated.append(log)
    return rotated
