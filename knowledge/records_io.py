"""Staff import and export of every record type, in YAML or CSV, all-or-nothing and lossless.

The record type comes from the file name (`faq.yml`, `2026-workshops.csv`...). Field kinds come from
the models' columns, so a new column is imported and exported without touching this module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import JSON, Boolean, Date, Integer, Numeric, inspect, select
from sqlalchemy.orm import Session

from knowledge.dates import PARIS
from knowledge.db import session_scope
from knowledge.documents import SUFFIXES as DOCUMENT_SUFFIXES
from knowledge.documents import read_document, store_document
from knowledge.models import (
    AwareDateTime,
    Centre,
    FaqEntry,
    FaqQuestion,
    Job,
    Record,
    Service,
    Training,
    Workshop,
    utcnow,
)
from knowledge.validation import RecordFileError, check_id, check_region

LIST_SEPARATOR = " | "
MODELS: dict[str, type[Record]] = {
    "centres": Centre, "jobs": Job, "services": Service,
    "workshops": Workshop, "trainings": Training, "faq": FaqEntry,
}
NOT_IMPORTED = ("version", "updated_at")  # kept by the store itself
FAQ_CSV_COLUMNS = ["id", "question", "answer", "tags", "published", "region", "source", "demo", "updated_by"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # str, list, bool, int, float, datetime, date
    required: bool
    default: Any = None


def record_kind(path: Path, kind: str | None = None) -> str:
    """The record type a file holds: `kind` when given, else from the file's name."""
    if kind is not None:
        if kind not in MODELS:
            raise RecordFileError(path, None, f"type inconnu {kind!r} (possibles : {', '.join(MODELS)})")
        return kind
    matches = [kind for kind in MODELS if kind in path.name.lower()]
    if len(matches) != 1:
        raise RecordFileError(path, None, f"le nom du fichier doit contenir un seul de : {', '.join(MODELS)}")
    return matches[0]


def fields_of(kind: str) -> list[Field]:
    """Importable fields of a record type, from its table's columns."""
    result = []
    for column in inspect(MODELS[kind]).columns:
        if column.name in NOT_IMPORTED:
            continue
        sql_type = column.type
        field_kind = (
            "list" if isinstance(sql_type, JSON) else "bool" if isinstance(sql_type, Boolean)
            else "datetime" if isinstance(sql_type, AwareDateTime) else "date" if isinstance(sql_type, Date)
            else "int" if isinstance(sql_type, Integer) else "float" if isinstance(sql_type, Numeric) else "str"
        )
        required = (not column.nullable and column.default is None and not column.primary_key
                    and column.name != "region")  # no region: every region served
        value = getattr(column.default, "arg", None)
        default = None if callable(value) else value
        result.append(Field(column.name, field_kind, required or column.name == "id", default))
    if kind == "faq":
        result.insert(1, Field("questions", "list", True))
    common = ("region", "source", "demo")
    return [f for f in result if f.name not in common] + [f for f in result if f.name in common]


# -- reading -------------------------------------------------------------------------------------

def _convert(field: Field, value: Any) -> Any:
    """A raw YAML or CSV value turned into the field's kind; ValueError says why it cannot be."""
    if value is None or value == "":
        if field.required:
            raise ValueError(f"le champ « {field.name} » est obligatoire")
        if field.default is not None:
            return field.default
        return [] if field.kind == "list" else False if field.kind == "bool" else None if field.kind in (
            "int", "float", "datetime", "date") else ""
    if field.kind == "list":
        items = value.split(LIST_SEPARATOR.strip()) if isinstance(value, str) else value
        if not isinstance(items, list):
            raise ValueError(f"« {field.name} » doit être une liste")
        return [str(i).strip() for i in items if str(i).strip()]
    if field.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in {"true", "false", "oui", "non", "1", "0", "yes", "no"}:
            raise ValueError(f"« {field.name} » doit valoir true ou false")
        return text in {"true", "oui", "1", "yes"}
    if field.kind in ("int", "float"):
        try:
            return int(value) if field.kind == "int" else float(value)
        except (TypeError, ValueError):
            raise ValueError(f"« {field.name} » doit être un nombre") from None
    if field.kind == "datetime":
        moment = value if isinstance(value, datetime) else _parse(datetime.fromisoformat, field, value)
        return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)
    if field.kind == "date":
        if isinstance(value, datetime):
            return value.date()
        return value if isinstance(value, date) else _parse(date.fromisoformat, field, value)
    return str(value).strip()


def _parse(parser, field: Field, value: Any):  # type: ignore[no-untyped-def]
    try:
        return parser(str(value).strip())
    except ValueError:
        raise ValueError(f"« {field.name} » n'est pas une date ISO 8601 valide : {value!r}") from None


def validate(kind: str, raw: Any, known: dict[str, Field] | None = None) -> dict[str, Any]:
    """One record's values checked and converted to their fields' kinds; ValueError (French) says why not."""
    known = known or {f.name: f for f in fields_of(kind)}
    if not isinstance(raw, dict):
        raise ValueError("chaque enregistrement doit être un ensemble de champs (clé: valeur)")
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"champ inconnu : {', '.join(unknown)} (champs possibles : {', '.join(known)})")
    record = {name: _convert(field, raw.get(name)) for name, field in known.items()}
    check_id(record["id"])
    check_region(record["region"])
    if kind == "workshops" and record["end"] <= record["start"]:
        raise ValueError("la fin de l'événement doit suivre son début")
    if kind == "faq" and not record["answer"].strip():
        raise ValueError("la réponse est vide")
    if kind == "faq" and not record["questions"]:
        raise ValueError("il faut au moins une formulation de la question")
    return record


def _rows_from_yaml(path: Path, text: str) -> list[tuple[int, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RecordFileError(path, mark.line + 1 if mark else None, f"YAML illisible ({error})") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise RecordFileError(path, None, "le fichier doit contenir une liste d'enregistrements")
    return [(i + 1, item) for i, item in enumerate(data)]


def _rows_from_csv(path: Path, text: str, kind: str) -> list[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise RecordFileError(path, 1, "l'en-tête CSV doit contenir la colonne id")
    rows = []
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise RecordFileError(path, line, "plus de valeurs que de colonnes")
        rows.append((line, {k: v for k, v in row.items() if v != "" or k in ("id",)}))
    if kind != "faq":
        return rows
    merged: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in rows:
        question = row.pop("question", "")
        _, entry = merged.setdefault(row.get("id", ""), (line, {**row, "questions": []}))
        if question:
            entry["questions"].append(question)
    return list(merged.values())


def read_records(path: Path, kind: str | None = None) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """Validated records of a file with their row numbers, or RecordFileError naming the first bad row."""
    kind = record_kind(path, kind)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise RecordFileError(path, None, f"fichier illisible ({error})") from None
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        rows = _rows_from_yaml(path, text)
    elif suffix == ".csv":
        rows = _rows_from_csv(path, text, kind)
    else:
        raise RecordFileError(path, None, "extension attendue : .yml, .yaml ou .csv")
    known = {f.name: f for f in fields_of(kind)}
    records: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row, raw in rows:
        try:
            record = validate(kind, raw, known)
        except ValueError as error:
            raise RecordFileError(path, row, str(error)) from None
        if record["id"] in seen:
            raise RecordFileError(path, row, f"identifiant {record['id']!r} déjà présent ligne {seen[record['id']]}")
        seen[record["id"]] = row
        records.append((row, record))
    return kind, records


# -- writing to the store ------------------------------------------------------------------------

def upsert(session: Session, kind: str, records: list[dict[str, Any]]) -> int:
    """Insert or update `records` of one type in the caller's transaction; returns their number. An updated
    record gets a new version (a staff edit begun before is then refused); a cancelled workshop stays cancelled."""
    model = MODELS[kind]
    for record in records:
        values = dict(record)
        questions = values.pop("questions", None)
        row: Any = session.get(model, values["id"])
        if row is None:
            row = model(id=values["id"], version=1)
        else:
            row.version += 1
            if getattr(row, "cancelled_at", None) is not None:
                values["cancelled_at"] = row.cancelled_at
        for name, value in values.items():
            setattr(row, name, value)
        if questions is not None and [q.text for q in row.questions] != questions:
            row.questions = [FaqQuestion(position=i, text=q) for i, q in enumerate(questions)]
            row.updated_at = utcnow()
        session.add(row)
    return len(records)


def import_files(paths: list[Path], url: str | None = None, kind: str | None = None) -> list[tuple[Path, str, int]]:
    """Import files in one transaction: all of them or nothing. Jobs are imported before trainings.

    Documents (Markdown, text, HTML, PDF) are stored with their passages; other files hold records of
    the type `kind` names, else their file name. Returns (file, type, number of records or passages).
    """
    records = [(path, *read_records(path, kind)) for path in paths if path.suffix.lower() not in DOCUMENT_SUFFIXES]
    records.sort(key=lambda batch: list(MODELS).index(batch[1]))
    documents = [(path, read_document(path)) for path in paths if path.suffix.lower() in DOCUMENT_SUFFIXES]
    with session_scope(url) as session:
        done = []
        for path, record_type, rows in records:
            if record_type == "trainings":
                session.flush()
                for row, record in rows:
                    try:
                        check_job_ids(session, record)
                    except ValueError as error:
                        raise RecordFileError(path, row, str(error)) from None
            done.append((path, record_type, upsert(session, record_type, [record for _, record in rows])))
        done += [(path, "documents", store_document(session, document)) for path, document in documents]
        return done


def check_job_ids(session: Session, training: dict[str, Any]) -> None:
    """ValueError unless every job a training leads to is a known job."""
    missing = sorted(set(training["jobs"]) - set(session.scalars(select(Job.id).where(Job.id.in_(training["jobs"])))))
    if missing:
        raise ValueError(f"métier inconnu dans « jobs » : {', '.join(missing)}")


# -- export --------------------------------------------------------------------------------------

def _plain(field: Field, value: Any) -> Any:
    if field.kind == "datetime" and value is not None:
        return value.astimezone(PARIS).isoformat()
    if field.kind == "date" and value is not None:
        return value.isoformat()
    return value


def plain_record(kind: str, row: Any) -> dict[str, Any]:
    """A stored record as the plain mapping export writes and import reads."""
    return {f.name: [q.text for q in row.questions] if f.name == "questions" else _plain(f, getattr(row, f.name))
            for f in fields_of(kind)}


def export_records(kind: str, url: str | None = None) -> list[dict[str, Any]]:
    """All records of a type as plain mappings, in id order."""
    with session_scope(url) as session:
        rows: Sequence[Any] = session.scalars(select(MODELS[kind]).order_by(MODELS[kind].id)).all()
        return [plain_record(kind, row) for row in rows]


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def export_file(path: Path, url: str | None = None) -> tuple[str, int]:
    """Write every record of the type the file name names, in its format."""
    kind = record_kind(path)
    records = export_records(kind, url)
    if path.suffix.lower() in (".yml", ".yaml"):
        path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        return kind, len(records)
    if path.suffix.lower() != ".csv":
        raise RecordFileError(path, None, "extension attendue : .yml, .yaml ou .csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        if kind == "faq":
            writer = csv.DictWriter(handle, FAQ_CSV_COLUMNS)
            writer.writeheader()
            for record in records:
                for question in record["questions"]:
                    writer.writerow({c: _csv_cell(question if c == "question" else record[c]) for c in FAQ_CSV_COLUMNS})
        else:
            writer = csv.DictWriter(handle, [f.name for f in fields_of(kind)])
            writer.writeheader()
            writer.writerows({k: _csv_cell(v) for k, v in record.items()} for record in records)
    return kind, len(records)
