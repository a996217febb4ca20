"""Abbreviations of the query language: "CNQP" finds "công nghiệp quốc phòng" and back.

The list ships in archsearch/data/abbreviations.tsv, one entry a line:
ABBREVIATION<TAB>expansion | expansion ... Entries are kept as folded syllables, so an
abbreviation matches whether it was typed with diacritics or not. query.py ranks the other
members of a set beside what was typed; query_fields.py widens `coquan:` to them.

>>> entries = parse_abbreviations("CNQP\\tcông nghiệp quốc phòng\\n# a comment\\nKH-CN\\tkhoa học công nghệ | kế hoạch")
>>> [(e.abbreviation, e.expansions) for e in entries]
[(('cnqp',), (('cong', 'nghiep', 'quoc', 'phong'),)), (('kh', 'cn'), (('khoa', 'hoc', 'cong', 'nghe'), ('ke', 'hoach')))]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archsearch.engine.analysis import syllables


@dataclass(frozen=True)
class Synonyms:
    abbreviation: tuple[str, ...]  # folded syllables of the abbreviation ("cnqp",) / ("kh", "cn")
    expansions: tuple[tuple[str, ...], ...]  # folded syllables of each meaning


@lru_cache(maxsize=1)
def abbreviations() -> tuple[Synonyms, ...]:
    """The abbreviation list shipped in archsearch/data/abbreviations.tsv (one line per entry:
    ABBR<TAB>expansion | expansion ...)."""
    # Read beside the package, not through importlib.resources: that imports zipfile and its
    # adapters, some 2 ms of every search command's start-up, for a package never zipped.
    text = (Path(__file__).resolve().parent.parent / "data" / "abbreviations.tsv").read_text(encoding="utf-8")
    return parse_abbreviations(text)


def parse_abbreviations(text: str) -> tuple[Synonyms, ...]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise ValueError(f"abbreviations.tsv line {number}: expected ABBREVIATION<TAB>expansion")
        abbr, expansions = line.split("\t", 1)
        abbr_syllables = tuple(syllables(abbr, folded=True))
        meanings = tuple(filter(None, (tuple(syllables(e, folded=True)) for e in expansions.split("|"))))
        if abbr_syllables and meanings:
            entries.append(Synonyms(abbr_syllables, meanings))
    return tuple(entries)
