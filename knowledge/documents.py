"""Documents as a knowledge source: Markdown, text, HTML and PDF files read into titled passages.

A document is stored with its metadata (title, source, region, publication date, demo flag) and its text
split into passages of a few sentences under their section heading. Importing the same file again
replaces its passages. Markdown files may start with a YAML front matter giving the metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.db import session_scope
from knowledge.models import Document, Passage, utcnow
from knowledge.text import fold
from knowledge.validation import RecordFileError, check_id, check_region

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
MAX_SENTENCES = 3  # sentences per passage
MAX_PASSAGE_CHARS = 600
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"(A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:M|Mme|Mlle|MM|Dr|Pr|St|Ste|etc|cf|av|bd|n°|p)\.|\b[A-Z]\.)$")
METADATA = ("id", "title", "source", "region", "published", "demo")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class DocumentText:
    """A document read from a file, ready to store."""

    id: str
    title: str
    source: str
    region: str
    published: date | None
    demo: bool
    file_name: str
    passages: list[tuple[str, str]]  # (section heading, text)


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    source: str
    region: str
    published: date | None
    demo: bool
    file_name: str
    passages: int
    imported_at: datetime


def sentences(text: str) -> list[str]:
    """`text` cut into sentences (French punctuation; "M. Dupont" and initials are not ends)."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif piece:
            pieces.append(piece)
    return pieces


def _passages(sections: list[Section]) -> list[tuple[str, str]]:
    """Each paragraph in windows of at most MAX_SENTENCES sentences and about MAX_PASSAGE_CHARS characters."""
    result = []
    for section in sections:
        for paragraph in section.paragraphs:
            window: list[str] = []
            for sentence in sentences(paragraph):
                if window and (len(window) == MAX_SENTENCES or len(" ".join([*window, sentence])) > MAX_PASSAGE_CHARS):
                    result.append((section.heading, " ".join(window)))
                    window = []
                window.append(sentence)
            if window:
                result.append((section.heading, " ".join(window)))
    return result


# -- reading each format -------------------------------------------------------------------------

def _blocks(text: str) -> list[str]:
    """Paragraphs separated by blank lines, their lines joined."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def _read_markdown(text: str) -> tuple[dict[str, Any], list[Section]]:
    from markdown_it import MarkdownIt

    metadata: dict[str, Any] = {}
    if match := _FRONT_MATTER.match(text):
        loaded = yaml.safe_load(match.group(1))
        if not isinstance(loaded, dict):
            raise ValueError("l'en-tête YAML (entre les lignes ---) doit être un ensemble de champs")
        metadata, text = loaded, text[match.end():]
    sections = [Section("", [])]
    tokens = MarkdownIt().parse(text)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        plain = "".join(child.content if child.type in ("text", "code_inline") else " "
                        for child in token.children or [] if child.type in ("text", "code_inline", "softbreak"))
        plain = " ".join(plain.split())
        if not plain:
            continue
        if tokens[i - 1].type == "heading_open":
            if tokens[i - 1].tag == "h1" and "title" not in metadata:
                metadata["title"] = plain
            else:
                sections.append(Section(plain, []))
        else:
            sections[-1].paragraphs.append(plain)
    return metadata, sections


def _read_html(text: str) -> tuple[dict[str, Any], list[Section]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for useless in soup(["script", "style", "nav", "footer", "header", "aside", "form"]):
        useless.decompose()
    metadata: dict[str, Any] = {}
    if soup.title and soup.title.get_text(strip=True):
        metadata["title"] = soup.title.get_text(" ", strip=True)
    sections = [Section("", [])]
    for element in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "blockquote"]):
        if element.find(["p", "li"]):  # its text is read from the inner elements
            continue
        plain = element.get_text(" ", strip=True)
        if not plain:
            continue
        if element.name == "h1" and "title" not in metadata:
            metadata["title"] = plain
        elif element.name in ("h1", "h2", "h3", "h4"):
            sections.append(Section(plain, []))
        else:
            sections[-1].paragraphs.append(plain)
    return metadata, sections


def _read_text(text: str) -> tuple[dict[str, Any], list[Section]]:
    blocks = _blocks(text)
    metadata: dict[str, Any] = {}
    first_line = text.strip().splitlines()[0].strip() if text.strip() else ""
    if first_line and len(first_line) <= 150 and not first_line.endswith((".", ":")):
        metadata["title"] = first_line
        blocks[0] = blocks[0][len(first_line):].strip()
    return metadata, [Section("", [b for b in blocks if b])]


def _read_pdf(path: Path) -> tuple[dict[str, Any], list[Section]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    metadata: dict[str, Any] = {}
    if reader.metadata and reader.metadata.title:
        metadata["title"] = str(reader.metadata.title)
    paragraphs = [b for page in reader.pages for b in _blocks(page.extract_text() or "")]
    return metadata, [Section("", paragraphs)]


def _slug(name: str) -> str:
    return "-".join(fold(name).split())[:120].strip("-") or "document"


def _published(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"« published » n'est pas une date AAAA-MM-JJ : {value!r}") from None


def read_document(path: Path, region: str | None = None, demo: bool | None = None) -> DocumentText:
    """The document a file holds, or RecordFileError naming the file and the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RecordFileError(path, None, f"format de document non pris en charge (attendus : {', '.join(SUFFIXES)})")
    try:
        if suffix == ".pdf":
            metadata, sections = _read_pdf(path)
        else:
            text = path.read_text(encoding="utf-8-sig")
            reader = {".html": _read_html, ".htm": _read_html, ".txt": _read_text}.get(suffix, _read_markdown)
            metadata, sections = reader(text)
    except RecordFileError:
        raise
    except (OSError, UnicodeDecodeError) as error:
        raise RecordFileError(path, None, f"fichier illisible ({error.__class__.__name__})") from None
    except yaml.YAMLError:
        raise RecordFileError(path, None, "en-tête YAML illisible") from None
    except ValueError as error:
        raise RecordFileError(path, None, str(error)) from None
    except Exception as error:  # pypdf and the parsers raise many kinds of errors on damaged files
        raise RecordFileError(path, None, f"document illisible ou endommagé ({error.__class__.__name__})") from None
    return _document(path, metadata, sections, region, demo)


def _document(path: Path, metadata: dict[str, Any], sections: list[Section], region: str | None,
              demo: bool | None) -> DocumentText:
    unknown = sorted(set(metadata) - set(METADATA))
    if unknown:
        raise RecordFileError(path, None, f"champ inconnu dans l'en-tête : {', '.join(unknown)} "
                                          f"(champs possibles : {', '.join(METADATA)})")
    passages = _passages(sections)
    if not passages:
        raise RecordFileError(path, None, "aucun texte lisible dans ce document")
    region = str(region if region is not None else metadata.get("region") or "")
    document_id = str(metadata.get("id") or _slug(path.stem))
    try:
        check_region(region)
        check_id(document_id)
        published = _published(metadata.get("published"))
    except ValueError as error:
        raise RecordFileError(path, None, str(error)) from None
    return DocumentText(
        id=document_id, title=str(metadata.get("title") or path.stem), source=str(metadata.get("source") or path.name),
        region=region, published=published, demo=bool(metadata.get("demo", False) if demo is None else demo),
        file_name=path.name, passages=passages,
    )


# -- the store -----------------------------------------------------------------------------------

def store_document(session: Session, document: DocumentText) -> int:
    """Insert or replace a document and its passages in the caller's transaction; the number of passages."""
    row = session.get(Document, document.id) or Document(id=document.id)
    for name in ("title", "source", "region", "published", "demo", "file_name"):
        setattr(row, name, getattr(document, name))
    row.imported_at = utcnow()
    row.passages = [Passage(position=i, heading=heading, text=text)
                    for i, (heading, text) in enumerate(document.passages)]
    session.add(row)
    return len(document.passages)


def list_documents(url: str | None = None) -> list[DocumentInfo]:
    """Every document, newest import first, with its number of passages."""
    with session_scope(url) as s:
        per_document = select(Passage.document_id, func.count()).group_by(Passage.document_id)
        counts: dict[str, int] = {document: n for document, n in s.execute(per_document)}
        rows = s.scalars(select(Document).order_by(Document.imported_at.desc(), Document.id))
        return [DocumentInfo(id=r.id, title=r.title, source=r.source, region=r.region, published=r.published,
                             demo=r.demo, file_name=r.file_name, passages=counts.get(r.id, 0),
                             imported_at=r.imported_at) for r in rows]


def delete_document(document_id: str, url: str | None = None) -> bool:
    """Remove a document and its passages; False when there is no such document."""
    with session_scope(url) as s:
        row = s.get(Document, document_id)
        if row is None:
            return False
        s.delete(row)
        return True
