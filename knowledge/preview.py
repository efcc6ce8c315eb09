"""What the assistant's FAQ retrieval would answer to a question if a draft entry were published, without
saving it: staff test an entry's phrasings and answer before publishing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.faq import THRESHOLD, Entry, fit_entries, published_entries
from knowledge.queries import active_regions
from knowledge.validation import ALL_REGIONS


@dataclass(frozen=True)
class Preview:
    """The answer given (None below the retrieval threshold), the entry it comes from, the best entry's score,
    and whether that entry is the draft."""

    answer: str | None
    entry_id: str | None
    score: float
    draft_wins: bool


def preview_answer(question: str, draft: dict[str, Any], url: str | None = None) -> Preview:
    """The answer to `question` with `draft` (values as for `editing.save_record`) published in place of the
    stored entry of its id. A draft of a region not served is not answered, as it would not be."""
    entries = [e for e in published_entries(url) if e.id != draft.get("id")]
    regions = active_regions()
    if not regions or draft.get("region", ALL_REGIONS) in (*regions, ALL_REGIONS):
        entries.append(Entry(str(draft.get("id", "")), [q for q in draft.get("questions", []) if q.strip()],
                             str(draft.get("answer", "")), list(draft.get("tags", [])), bool(draft.get("demo"))))
    model = fit_entries(entries) if question.strip() else None
    if model is None:
        return Preview(None, None, 0.0, False)
    best = model.rank(question, 1)[0]
    if best.score < THRESHOLD:
        return Preview(None, None, best.score, False)
    return Preview(best.answer, best.id, best.score, best.id == draft.get("id"))
