"""Elisions typed without their apostrophe (« lacademie », « dentrepreneuriat », « laccelerateur »), put back.

People on their phones often leave the apostrophe out; « lexploratoire » then matches no word of the store's
texts. A word is split after its first letter (or « qu ») when it is no word of the texts searched while what
follows is one: the texts' own words decide, so « lancement » or « donc » never split, and the words of a document
imported a minute ago count at once.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from knowledge.text import STOPWORDS, fold

_GLUED = re.compile(r"\b([dl])([aeiouyhàâäéèêëîïôöûü][^\W\d_]+)", re.IGNORECASE)


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The folded words of `texts`, and the stop words."""
    return frozenset(word for text in texts for word in fold(text).split()) | STOPWORDS


def unglue(text: str, words: Collection[str]) -> str:
    """`text` with its elided words given back their apostrophe (« cetait lancien maire » → « c'etait l'ancien
    maire »), when `words` knows what follows the elision and not the glued word."""

    def split(glued: re.Match[str]) -> str:
        if fold(glued.group(0)) in words or fold(glued.group(2)) not in words:
            return glued.group(0)
        return f"{glued.group(1)}'{glued.group(2)}"

    return _GLUED.sub(split, text)
