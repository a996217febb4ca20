"""Fixes to Whoosh 2.7.4, which is frozen (2016) and pinned: applied by `apply()`, which the engine
calls when it opens a partition (durable.open_partition), not by importing this module: a process
that imports the engine without opening an index (bench/bare_whoosh.py's baseline) keeps Whoosh's
matchers as they are.

`AndMaybeMatcher.skip_to(id)` moves its optional side to `id` rather than to where the required
side landed. When the required side jumps past `id`, the two sides sit on different documents
and the optional side's score is lost for the document the matcher reports. Whoosh builds such
matchers itself while pruning a top-N search (`UnionMatcher.replace` turns an OR whose one side
cannot reach the N-th score into AND-MAYBE), and an intersection then calls `skip_to`: a
document scored low, missed the top N, and the pruned ranking differed from scoring every match
(found by comparing the two on bench/query.py's queries; tests/test_dense.py pins it).
`next()` in the same class already does the right thing; `skip_to` now does the same.

`AndNotMatcher` checks its first document against the excluded side only when that side sits on
the same document; when the excluded side starts on an earlier one, it is never moved forward,
and "kiểm NOT định" kept a first document holding "định" (ranked searches no longer use Whoosh's
matchers, dense.py; exports still do). It now skips the excluded side first, as `next()` does.
"""

from __future__ import annotations

from whoosh.matching import binary, mcore

from archsearch.engine import whoosh_private


def _and_maybe_skip_to(self, id):
    if not self.a.is_active():
        raise mcore.ReadTooFar
    moved_a = self.a.skip_to(id)
    moved_b = False
    if self.a.is_active() and self.b.is_active():
        moved_b = self.b.skip_to(self.a.id())
    return moved_a or moved_b


def _and_not_find_first(self):
    if self.a.is_active() and self.b.is_active():
        whoosh_private.and_not_find_next(self)


def apply() -> None:
    """Install both fixes (idempotent)."""
    binary.AndMaybeMatcher.skip_to = _and_maybe_skip_to
    whoosh_private.set_and_not_find_first(_and_not_find_first)


def applied() -> dict[str, bool]:
    """Which fixes are in effect in this process."""
    return {"AndMaybeMatcher.skip_to": binary.AndMaybeMatcher.skip_to is _and_maybe_skip_to,
            "AndNotMatcher._find_first": whoosh_private.and_not_find_first() is _and_not_find_first}
