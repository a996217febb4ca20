"""The one Whoosh boundary: the private Whoosh attributes archsearch relies on are checked against
the installed Whoosh (a change is a loud error naming the attribute, never a silent slow path),
and whoosh_fixes' corrections are in effect once the engine has opened an index -- not before."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F

from archsearch.engine import whoosh_private
from archsearch.engine.index import IndexHome
from archsearch.engine.whoosh_private import WhooshInternalsChanged
from archsearch.levels import ALL_LEVELS

REPO = Path(__file__).resolve().parent.parent


def test_self_check_passes_against_the_installed_whoosh():
    whoosh_private.self_check(force=True)


def test_a_missing_private_method_is_a_loud_error_naming_it(monkeypatch):
    monkeypatch.delattr(W3LeafMatcher, "_read_data")
    with pytest.raises(WhooshInternalsChanged, match=r"whoosh 2\.7\.\d+: W3LeafMatcher\._read_data is missing; "
                                                     r"archsearch reads posting blocks through it \(engine/whoosh_private\.py\)"):
        whoosh_private.self_check(force=True)


def test_a_missing_instance_attribute_is_a_loud_error_naming_it(monkeypatch):
    original = BM25F.__init__

    def without_field_B(self, *args, **kwargs):
        original(self, *args, **kwargs)
        del self._field_B

    monkeypatch.setattr(BM25F, "__init__", without_field_B)
    with pytest.raises(WhooshInternalsChanged, match=r"BM25F\._field_B is missing"):
        whoosh_private.self_check(force=True)


def test_a_reshaped_private_method_is_a_loud_error_naming_it(monkeypatch):
    monkeypatch.setattr(W3LeafMatcher, "_skip_to_block", lambda self: None)
    with pytest.raises(WhooshInternalsChanged, match=r"W3LeafMatcher\._skip_to_block takes \(self\), expected"):
        whoosh_private.self_check(force=True)


def test_opening_an_index_runs_the_self_check(tmp_path, monkeypatch):
    home = IndexHome.create_or_open(tmp_path / "index")
    monkeypatch.setattr(whoosh_private, "_checked", False)  # as in a fresh process
    monkeypatch.delattr(W3LeafMatcher, "_next_block")
    with pytest.raises(WhooshInternalsChanged, match=r"W3LeafMatcher\._next_block is missing"):
        home.partition(ALL_LEVELS[0])


# In a fresh interpreter: importing the engine leaves Whoosh's matchers as they are; opening an
# index applies both corrections, and each shows in the case it was written for.
_FRESH = textwrap.dedent("""
    import sys, tempfile
    from pathlib import Path
    from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ListMatcher
    from archsearch.engine import whoosh_fixes
    from archsearch.engine.index import IndexHome
    from archsearch.levels import ALL_LEVELS

    def and_maybe_both_sides():
        matcher = AndMaybeMatcher(ListMatcher([1, 5, 9]), ListMatcher([3, 5]))
        matcher.skip_to(2)  # the required side lands on 5, past the target
        return matcher.id() == 5 and matcher.score() == 2.0

    def and_not_first_excluded():  # "kiểm NOT định": 1 holds both words; 0 only định
        return list(AndNotMatcher(ListMatcher([1, 5]), ListMatcher([0, 1])).all_ids()) == [5]

    before = (whoosh_fixes.applied(), and_maybe_both_sides(), and_not_first_excluded())
    home = IndexHome.create_or_open(Path(tempfile.mkdtemp()) / "index")
    home.partition(ALL_LEVELS[0])
    after = (whoosh_fixes.applied(), and_maybe_both_sides(), and_not_first_excluded())
    print(repr((before, after)))
""")


def test_whoosh_fixes_are_applied_by_opening_an_index_not_by_importing():
    done = subprocess.run([sys.executable, "-c", _FRESH], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, after = eval(done.stdout.strip())  # noqa: S307 -- our own child's repr of bools
    fixes = ("AndMaybeMatcher.skip_to", "AndNotMatcher._find_first")
    assert before == ({name: False for name in fixes}, False, False)  # Whoosh 2.7.4's own behaviour
    assert after == ({name: True for name in fixes}, True, True)
