"""The NG word list: staff add and remove words (audited); core.ngwords checks text against it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.matching import word_key
from core.models import AuditRecord, NGWord
from core.ngwords import ng_words_forget


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
    ng_words_forget()
    return ng_word


def ng_word_remove(*, actor: User, ng_word: NGWord) -> None:
    """Remove a word from the list (audited)."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditRecord.Action.NG_WORD_REMOVE, target=ng_word, before={"word": ng_word.word})
        ng_word.delete()
    ng_words_forget()
