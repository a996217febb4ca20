"""Access scope: which partitions a user's searcher opens, and which documents inside them
are masked because the user lacks one of their compartments.

This is the one place that turns a user into what they may see. A user cleared for nothing
gets an empty scope, and the search module answers an empty scope with no searcher at all
(an empty Whoosh filter would mean "no filter", shared notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.query import Or, Query, Term

from archsearch.levels import ALL_LEVELS, Level
from archsearch.trust.users import User


@dataclass(frozen=True)
class Scope:
    user: User
    levels: tuple[Level, ...]  # partitions to open, ascending

    @property
    def sees_nothing(self) -> bool:
        return not self.levels


def scope_for(user: User) -> Scope:
    if user.clearance is None:
        return Scope(user, ())
    return Scope(user, tuple(level for level in ALL_LEVELS if level <= user.clearance))


def compartment_mask(scope: Scope, compartments_in_index: set[str]) -> Query | None:
    """A query matching the documents to hide inside the opened partitions: those carrying any
    compartment the user does not hold. None when nothing needs hiding.

    The mask is applied inside the search (Whoosh `mask=`), so totals and pages never count
    a hidden document.
    """
    missing = sorted(c for c in compartments_in_index if c not in scope.user.compartments)
    if not missing:
        return None
    return Or([Term("compartments", c) for c in missing])


def may_see(scope: Scope, level: Level, compartments: set[str] | frozenset[str]) -> bool:
    """The same rule as the partition choice plus the mask, for one document's metadata."""
    return level in scope.levels and set(compartments) <= set(scope.user.compartments)


def stored_compartments(value: object) -> frozenset[str]:
    """The compartments stored with a document: a list of exact names (schema 6). Any other
    value is taken whole, as one name no user holds unless it is exactly theirs: never split."""
    if isinstance(value, (list, tuple)):
        return frozenset(str(name) for name in value)
    return frozenset([str(value)]) if value else frozenset()
