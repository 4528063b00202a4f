"""Japanese-aware keyword search with the same results on SQLite and PostgreSQL.

Design (docs/SEARCH.md): text is normalised by core.text.text_fold (NFKC, lower case, katakana
folded to hiragana, the long vowel mark kept) and cut into the unigrams and bigrams of each run of
letters and digits. Each gram is spelled as plain ASCII letters, so that neither FTS5's unicode61 tokenizer nor
PostgreSQL's text-search parser (whose idea of a letter depends on the database's LC_CTYPE) can
split or change it. The grams are indexed by FTS5 on SQLite and, on PostgreSQL, by a GIN index
of public listings on `search_vector`, a stored column of strip(to_tsvector('simple', grams))
(migration 0023). A query looks up the AND of its terms' grams in the
index, then rechecks each normalised term of three characters or more as a substring of the
normalised text, which removes the rare rows whose grams match in another order.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.text import text_fold

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
_RUN = re.compile(r"\w+")  # letters (kana and kanji included, and ー), digits, underscore


def _spell(gram: str) -> str:
    # Five letters a-z per character (26^5 > the highest code point): an ASCII word either way.
    letters = []
    for char in gram:
        code = ord(char)
        digits = []
        for _ in range(5):
            code, rest = divmod(code, 26)
            digits.append(chr(97 + rest))
        letters.append("".join(reversed(digits)))
    return "".join(letters)


def grams(text: str) -> set[str]:
    """Spelled unigrams and bigrams of every run of letters and digits in the normalised text."""
    found: set[str] = set()
    for run in _RUN.findall(text_fold(text).replace("_", " ")):
        found.update(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return {_spell(gram) for gram in found}


def document(*parts: str) -> tuple[str, str]:
    """(normalised text, space-separated grams) to store for a listing's title and description."""
    text = text_fold(" ".join(parts))
    return text, " ".join(sorted(grams(text)))


def terms(query: str) -> list[str]:
    """The normalised terms of a query (whitespace-separated; punctuation is ignored)."""
    found = []
    for word in text_fold(query).split():
        for run in _RUN.findall(word.replace("_", " ")):
            if run and run not in found:
                found.append(run[:MAX_TERM_LENGTH])
    return found[:MAX_TERMS]


def _query_grams(term: str) -> list[str]:
    if len(term) == 1:
        return [_spell(term)]
    return sorted({_spell(term[i : i + 2]) for i in range(len(term) - 1)})


def key_gram(words: list[str]) -> str:
    """One spelled gram every text containing all `words` must hold: the first bigram (or the
    single character) of the longest term; "" when there are no terms. A saved search stores it,
    so that matching a new listing looks up only the searches whose key gram the listing has."""
    if not words:
        return ""
    longest = max(words, key=len)
    return _query_grams(longest[:2])[0]


# SQLite: how many index matches, per listing in the table, still make reading them one by one
# the cheaper plan (see _sqlite_matches).
SQLITE_FEW_MATCHES_PER_LISTING = 1 / 200
SQLITE_FEW_MATCHES_AT_LEAST = 200


def _sqlite_matches(match: str) -> Q | RawSQL:
    """The listings whose grams FTS5 matches, written for the plan that suits how many there are.

    SQLite's planner cannot tell how many rows an FTS5 match holds. Few (a rare word): read just
    those rows (by primary key) and sort them. Many (a common word): walk the index of the page's
    sort order and keep the rows found in the match list, which finds a page after a few hundred
    entries (the unary + stops SQLite from reading the list by primary key instead). Which one
    is decided by fetching at most the threshold's number of matches, a fraction of a millisecond.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(rowid) FROM listings_listing")
        threshold = max(SQLITE_FEW_MATCHES_AT_LEAST, int((cursor.fetchone()[0] or 0) * SQLITE_FEW_MATCHES_PER_LISTING))
        cursor.execute("SELECT rowid FROM listings_listing_fts WHERE listings_listing_fts MATCH %s LIMIT %s", [match, threshold + 1])
        found = [row[0] for row in cursor.fetchall()]
    if len(found) <= threshold:
        return Q(id__in=found)
    return RawSQL(f"+{_IN_MATCHES}", [match], output_field=BooleanField())


_IN_MATCHES = '"listings_listing"."id" IN (SELECT rowid FROM listings_listing_fts WHERE listings_listing_fts MATCH %s)'


def count(query: QuerySet) -> int:
    """query.count() (a capped count: the query has a LIMIT), with SQLite's plan for a common word
    turned around: the page's walk down the index of its sort order (the unary + of
    _sqlite_matches) would read listings until it has found the limit, tens of thousands for a
    word a listing in fifty holds, whereas a count keeps no order, so the match list can drive
    it and stop at the limit (2-4 times faster at 200,000 listings, docs/PERFORMANCE.md)."""
    if connection.vendor != "sqlite":
        return query.count()
    sql, params = query.query.sql_with_params()
    if f"+{_IN_MATCHES}" not in sql:
        return query.count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql.replace(f'+{_IN_MATCHES}', _IN_MATCHES)}) counted", params)
        return cursor.fetchone()[0]


def search(qs: QuerySet, query: str) -> QuerySet:
    """Listings (of `qs`) whose title or description contains every term of `query`."""
    words = terms(query)
    if not words:
        return qs
    needed = sorted({gram for word in words for gram in _query_grams(word)})
    if connection.vendor == "postgresql":
        # A condition on the listing's own row (no self-join): the GIN index finds the rows.
        qs = qs.filter(
            RawSQL(
                """"listings_listing"."search_vector" @@ to_tsquery('simple', %s)""",
                [" & ".join(needed)],
                output_field=BooleanField(),
            )
        )
    else:
        qs = qs.filter(_sqlite_matches(" AND ".join(needed)))
    # Grams may match in another order only for terms of three characters or more: a text holds
    # the bigram of a two-character term (or the character of a one-character term) exactly
    # when it holds the term, so only longer terms are rechecked on the text.
    recheck = Q()
    for word in words:
        if len(word) > 2:
            recheck &= Q(search_text__contains=word)
    return qs.filter(recheck)
