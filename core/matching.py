"""Finding listed words in what residents write: one matcher for NG words and prohibited items.

A text is folded once (core.text.text_fold) into a FoldedText; each finder reads that and names
what it found. WordMatcher finds words from a staff-kept list; a detector of other things (contact
details, say) can join as another Finder reading the same FoldedText.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from core.text import text_fold


@dataclass(frozen=True)
class FoldedText:
    """Texts as finders read them: joined and folded, and the same without any spaces, so that
    "ば か" still holds "ばか"."""

    text: str
    compact: str

    @classmethod
    def of(cls, *texts: str) -> "FoldedText":
        """The texts (a title, a description...) joined by spaces and folded."""
        text = text_fold(" ".join(texts))
        return cls(text=text, compact="".join(text.split()))


class Finder(Protocol):
    def find(self, folded: FoldedText) -> list[str]:
        """What was found in the folded text, each named as staff or residents should read it."""
        ...


def word_key(word: str) -> str:
    """The form in which a listed word is looked for: folded (widths, case, kana), without spaces."""
    return "".join(text_fold(word).split())


class WordMatcher:
    """A list of words found as parts of a text after folding width, case and katakana/hiragana,
    and ignoring spaces; each reported once, as staff wrote it (エアガン, not えあがん)."""

    def __init__(self, entries: Iterable[tuple[str, str]]):
        """`entries`: (key, word) pairs, the key made by word_key (stored or fresh); pairs with an
        empty key never match."""
        self._entries = [(key, word) for key, word in entries if key]

    @classmethod
    def of_words(cls, words: Iterable[str]) -> "WordMatcher":
        """A matcher for words as staff wrote them (their keys made here)."""
        return cls((word_key(word), word) for word in words)

    def find(self, folded: FoldedText) -> list[str]:
        """The words in the folded text, in list order, without repeats."""
        found: list[str] = []
        for key, word in self._entries:
            if (key in folded.text or key in folded.compact) and word not in found:
                found.append(word)
        return found

    def found_in(self, *texts: str) -> list[str]:
        """The words found in the texts (folded here)."""
        return self.find(FoldedText.of(*texts))
