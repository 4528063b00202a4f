"""The NG word list: staff add and remove words; posts are checked against it."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.matching import WordMatcher, word_key
from core.models import AuditRecord
from moderation.models import NGWord

_CACHE_KEY = "moderation:ng-words"


def _words() -> list[tuple[str, str]]:
    """(normalised, as staff wrote it) for every NG word."""
    words = cache.get(_CACHE_KEY)
    if words is None:
        words = list(NGWord.objects.values_list("normalised", "word"))
        cache.set(_CACHE_KEY, words, 300)
    return words


def _forget() -> None:
    # Now, and again after commit: a reader between the two could have cached the old list.
    cache.delete(_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(_CACHE_KEY))


def ng_words_in(*texts: str) -> list[str]:
    """The NG words found in the texts, compared after normalising (width, case, katakana/hiragana),
    each as staff wrote it (エアガン, not the normalised えあがん), for the reasons staff read."""
    return WordMatcher(_words()).found_in(*texts)


def ng_word_add(*, actor: User, word: str) -> NGWord:
    """Add a word to the list (audited). Refuses empty words and duplicates after normalising."""
    word = (word or "").strip()
    normalised = word_key(word)
    if not normalised:
        raise ValidationError(_("Enter a word or phrase."), code="empty")
    try:
        with transaction.atomic():
            ng_word = NGWord.objects.create(word=word, normalised=normalised, created_by=actor)
            audit_record(actor=actor, action=AuditRecord.Action.NG_WORD_ADD, target=ng_word, after={"word": word})
    except IntegrityError:
        raise ValidationError(_("“%(word)s” is already on the list.") % {"word": word}, code="duplicate") from None
    _forget()
    return ng_word


def ng_word_remove(*, actor: User, ng_word: NGWord) -> None:
    """Remove a word from the list (audited)."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditRecord.Action.NG_WORD_REMOVE, target=ng_word, before={"word": ng_word.word})
        ng_word.delete()
    _forget()
