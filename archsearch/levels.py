"""Classification levels: their order, their names in English and Vietnamese, and `stricter()`.

Levels are ordered: unclassified < confidential (Mật) < secret (Tối mật) < top-secret (Tuyệt mật).
Any spelling a person might type or a document might carry -- English id, Vietnamese with or
without diacritics, any case -- parses to the same level.

>>> parse_level("Tối mật") is Level.SECRET
True
>>> parse_level("tuyet mat") is Level.TOP_SECRET
True
>>> stricter(Level.CONFIDENTIAL, None) is Level.CONFIDENTIAL
True
"""

from __future__ import annotations

import enum
import re
from archsearch.errors import UsageError
from archsearch.normalise import fold, nfc


class Level(enum.IntEnum):
    UNCLASSIFIED = 0
    CONFIDENTIAL = 1
    SECRET = 2
    TOP_SECRET = 3

    @property
    def id(self) -> str:
        """Canonical id used in JSON, on disk and in partition directory names."""
        return self.name.lower().replace("_", "-")

    @property
    def vietnamese(self) -> str:
        return _VIETNAMESE[self]

    def __str__(self) -> str:  # click and f-strings show the canonical id
        return self.id


_VIETNAMESE = {
    Level.UNCLASSIFIED: "Thường",
    Level.CONFIDENTIAL: "Mật",
    Level.SECRET: "Tối mật",
    Level.TOP_SECRET: "Tuyệt mật",
}

ALL_LEVELS: tuple[Level, ...] = tuple(Level)


def _key(text: str) -> str:
    """Fold a level name for lookup: no diacritics, đ->d, lower case, single spaces."""
    return re.sub(r"[\s_\-]+", " ", fold(nfc(text))).strip().lower()


_NAMES: dict[str, Level] = {}
for _level, _names in {
    Level.UNCLASSIFIED: ["unclassified", "public", "thuong", "khong mat", "cong khai", "0"],
    Level.CONFIDENTIAL: ["confidential", "mat", "do mat mat", "1"],
    Level.SECRET: ["secret", "toi mat", "2"],
    Level.TOP_SECRET: ["top secret", "top-secret", "tuyet mat", "3"],
}.items():
    for _name in _names:
        _NAMES[_key(_name)] = _level


def parse_level(text: str) -> Level:
    """Parse a level name; raise UsageError naming the accepted names when it is unknown."""
    level = _NAMES.get(_key(str(text)))
    if level is None:
        raise UsageError(
            f"unknown classification level {text!r}; use one of "
            "unclassified, confidential (Mật), secret (Tối mật), top-secret (Tuyệt mật)"
        )
    return level


def parse_document_level(text: str | None) -> tuple[Level | None, str | None]:
    """Parse a level declared for a document (sidecar, manifest).

    Returns (level, warning). Empty means "not declared" (None). A value that cannot be
    parsed takes the strictest level -- an unknown marking must never make a document
    more visible -- and a warning says so.
    """
    if text is None or not str(text).strip():
        return None, None
    try:
        return parse_level(str(text)), None
    except UsageError:
        return Level.TOP_SECRET, f"unrecognised classification {text!r}: treated as top-secret"


def stricter(*levels: Level | None) -> Level | None:
    """The most restrictive of the given levels, ignoring None; None if all are None."""
    known = [level for level in levels if level is not None]
    return max(known) if known else None
