"""Quoted phrases as syllable-pair lookups, word positions checked only where every pair occurs.

Whoosh's positional phrase reads the positions of every document holding all the phrase's
words, which for common words is most of the archive (shared notes: p95 2.7 s at 50k). Here
a phrase of n syllables is the intersection of its n-1 pair terms ("kho_đạn", "đạn_dược":
short posting lists, scored like any term), and a document that holds every pair is accepted
only if the words also stand in order at consecutive positions -- which a two-syllable phrase
always does, since a pair term is that. The positions of a word are read by moving a cursor
over its postings to that document only, never through the documents in between.

`PairPhrase` is a Whoosh query whose leaves are the pair terms, so a search (dense.py) and
Whoosh's own matchers treat it as the AND of those terms, plus the position check.
"""

from __future__ import annotations

from whoosh.matching import WrappingMatcher
from whoosh.query import And, Term

from archsearch.engine.analysis import BIGRAM_SEPARATOR


def pair_terms(words: list[str]) -> list[str]:
    """The syllable-pair terms of consecutive words: ["kho", "đạn", "dược"] -> kho_đạn, đạn_dược."""
    return [f"{a}{BIGRAM_SEPARATOR}{b}" for a, b in zip(words, words[1:])]


class PairPhrase(And):
    """The documents holding `words` side by side in `word_field`, found through the pairs
    of `pair_field` (built from `pair_words`, by default the words themselves: the title has
    only a folded pair field, so an accented title phrase passes its folded words). Positions
    are checked on `check` (a field and its words; by default `word_field` and `words`): the
    body's ranked views keep none, so a body phrase is checked on the folded syllables of
    `text_positions` -- for an accented phrase, in documents that already hold its exact
    pairs."""

    def __init__(self, pair_field: str, word_field: str, words: list[str], boost: float = 1.0,
                 pair_words: list[str] | None = None, check: tuple[str, list[str]] | None = None):
        pair_words = list(pair_words or words)
        pairs = [Term(pair_field, pair) for pair in pair_terms(pair_words)]
        if len(pairs) == 1:  # Whoosh matches a one-clause AND as its clause, dropping its boost
            pairs[0].boost = boost
        super().__init__(pairs, boost=boost)
        self.pair_field = pair_field
        self.word_field = word_field
        self.words = list(words)
        self.pair_words = pair_words
        self.check_field, check_words = check or (word_field, words)
        self.check_words = list(check_words)

    def __eq__(self, other):
        return (type(other) is type(self) and self.words == other.words and self.word_field == other.word_field
                and self.pair_field == other.pair_field and self.boost == other.boost
                and self.check_field == other.check_field and self.check_words == other.check_words)

    def __hash__(self):
        return hash((type(self), tuple(self.words), self.word_field, self.pair_field, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({self.word_field!r}, {self.words!r}, boost={self.boost})"

    def __unicode__(self):
        return f'{self.word_field}:"{" ".join(self.words)}"'

    __str__ = __unicode__

    def normalize(self):
        return self

    def with_boost(self, boost: float) -> "PairPhrase":
        return PairPhrase(self.pair_field, self.word_field, self.words, boost, self.pair_words,
                          (self.check_field, self.check_words))

    def needs_positions(self) -> bool:
        """False when holding the pairs is holding the phrase: two syllables, paired on the
        words themselves or checked on the pair's own field."""
        if len(self.words) >= 3:
            return True
        return self.pair_words != self.words and self.check_field != self.pair_field

    def matcher(self, searcher, context=None):
        pairs = super().matcher(searcher, context)
        if not self.needs_positions() or not pairs.is_active():
            return pairs
        return _Verified(pairs, self.position_check(searcher.reader()))

    def position_check(self, reader) -> "PositionCheck":
        return PositionCheck(reader, self.check_field, self.check_words)


class PositionCheck:
    """Does a document of one segment hold the tokens at consecutive positions? Tokens are
    words, or syllable pairs (a pair stands at its first syllable's position, so the pairs of
    a phrase stand at consecutive positions too). Documents must be asked about in ascending
    order."""

    def __init__(self, reader, field_name: str, words: list[str]):
        self._reader, self._field_name, self._words = reader, field_name, words
        self._cursors = []
        for word in words:
            if (field_name, word) not in reader:
                self._cursors = None
                return
            self._cursors.append(reader.postings(field_name, word))

    def restart(self) -> "PositionCheck":
        """A check from the first document again."""
        return PositionCheck(self._reader, self._field_name, self._words)

    def __call__(self, docnum: int) -> bool:
        if self._cursors is None:
            return False
        starts = None
        for offset, cursor in enumerate(self._cursors):
            if not cursor.is_active():
                return False
            if cursor.id() < docnum:
                cursor.skip_to(docnum)
                if not cursor.is_active():
                    return False
            if cursor.id() != docnum:
                return False
            positions = {p - offset for p in cursor.value_as("positions")}
            starts = positions if starts is None else starts & positions
            if not starts:
                return False
        return True


class _Verified(WrappingMatcher):
    """The pairs' matcher, keeping only documents that pass the position check. Scores and
    score bounds are the pairs' (dropping documents never raises a bound)."""

    def __init__(self, child, check: PositionCheck):
        super().__init__(child)
        self._check = check
        self._settle()

    def _settle(self) -> None:
        child = self.child
        while child.is_active() and not self._check(child.id()):
            child.next()

    def _replacement(self, newchild):
        return _Verified(newchild, self._check)

    def copy(self):
        # The check's cursors only move forward: a copy gets its own. (Whoosh's block posting
        # readers themselves do not support copy(); this keeps the wrapper no weaker.)
        return _Verified(self.child.copy(), self._check.restart())

    def reset(self):
        self.child.reset()
        self._check = self._check.restart()
        self._settle()

    def next(self):
        moved = self.child.next()
        self._settle()
        return moved

    def skip_to(self, id):
        moved = self.child.skip_to(id)
        self._settle()
        return moved

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality)
        self._settle()
        return skipped

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()
