"""Rules every imported file follows: identifiers, regions, and the error that names the file and row."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.vocabulary import REGIONS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
ALL_REGIONS = ""  # a record without a region belongs to every region served


class RecordFileError(ValueError):
    """A file that cannot be imported: names the file, the row and the reason."""

    def __init__(self, path: Path | str, row: int | None, reason: str) -> None:
        where = f"{path}" + (f", ligne {row}" if row is not None else "")
        super().__init__(f"{where} : {reason}")
        self.path, self.row, self.reason = str(path), row, reason


def check_id(value: str) -> None:
    if not ID_PATTERN.match(value):
        raise ValueError(f"identifiant invalide {value!r} : minuscules, chiffres et tirets")


def check_region(value: str) -> None:
    """A known region, or none at all (every region served)."""
    if value != ALL_REGIONS and value not in REGIONS:
        raise ValueError(f"région inconnue {value!r} (possibles : {', '.join(REGIONS)}, ou aucune pour toutes)")
