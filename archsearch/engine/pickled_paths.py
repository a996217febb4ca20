"""Import paths of the classes Whoosh pickles into an index.

Whoosh writes the schema (our analyzers, our field formats) and each segment's codec into the
partition's table of contents as pickles, which name a class by its module path. Opening an
index written before a class moved would fail inside Whoosh's unpickling with a bare
ModuleNotFoundError. Every path a pickled class ever had is listed here, mapped to where the
class lives now; `register_former_paths()` makes the old names resolve before any index is
opened. Add a line whenever a pickled class moves, and keep tests/test_layout.py's fixture
test passing.
"""

from __future__ import annotations

import importlib
import sys

FORMER_PATHS = {
    # before the stage packages (issue #13): archsearch/analysis.py and archsearch/index.py
    "archsearch.analysis": "archsearch.engine.analysis",
    "archsearch.index": "archsearch.engine.index",
}


def register_former_paths() -> None:
    """Make each former module path resolve to the module that holds its classes now.

    Only `sys.modules` entries are added (never files): `import archsearch.index` then gives
    the engine's index module, which is all an unpickler asks of it."""
    for former, current in FORMER_PATHS.items():
        if former not in sys.modules:
            sys.modules[former] = importlib.import_module(current)
