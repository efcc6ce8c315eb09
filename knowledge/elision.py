"""Elisions typed without their apostrophe (« lacademie », « dentrepreneuriat », « laccelerateur »), put back.

People on their phones often leave the apostrophe out; « lexploratoire » then matches no word of the store's
texts. A word is split after « l » or « d » when it is no word of the texts searched (nor a stop word) while what
follows is one of the texts' words: the texts decide, so « lancement » or « donc » never split, and the words of
a document imported a minute ago count at once. (« c », « j », « s », « qu » too made « S'ète », « j'eux ».)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from knowledge.text import STOPWORDS, fold

# a word, not one inside an e-mail address or a link (« lea.dorange@… », « www.lavenir.fr »)
_GLUED = re.compile(r"(?<![\w.@/])([dl])([aeiouyhàâäéèêëîïôöûü][^\W\d_]+)(?![\w.@/]*[.@/]\w)", re.IGNORECASE)


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The folded words of `texts`."""
    return frozenset(word for text in texts for word in fold(text).split())


def unglue(text: str, words: Collection[str]) -> str:
    """`text` with its elided words given back their apostrophe (« lancien maire » → « l'ancien maire »), when
    `words` knows what follows the elision and not the glued word; addresses and links are left as typed."""

    def split(glued: re.Match[str]) -> str:
        whole, rest = fold(glued.group(0)), fold(glued.group(2))
        if whole in words or whole in STOPWORDS or rest not in words or rest in STOPWORDS:
            return glued.group(0)
        return f"{glued.group(1)}'{glued.group(2)}"

    return _GLUED.sub(split, text)
