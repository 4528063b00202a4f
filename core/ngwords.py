"""Checking text against the NG word list that staff keep (moderation.ngwords writes it)."""

from django.core.cache import cache
from django.db import transaction

from core.matching import WordMatcher
from core.models import NGWord

_CACHE_KEY = "moderation:ng-words"


def _words() -> list[tuple[str, str]]:
    """(normalised, as staff wrote it) for every NG word."""
    words = cache.get(_CACHE_KEY)
    if words is None:
        words = list(NGWord.objects.values_list("normalised", "word"))
        cache.set(_CACHE_KEY, words, 300)
    return words


def ng_words_forget() -> None:
    """Drop the cached list after a change to it."""
    # Now, and again after commit: a reader between the two could have cached the old list.
    cache.delete(_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))


def ng_words_in(*texts: str) -> list[str]:
    """The NG words found in the texts, compared after normalising (width, case, katakana/hiragana),
    each as staff wrote it (エアガン, not the normalised えあがん), for the reasons staff read."""
    return WordMatcher(_words()).found_in(*texts)
