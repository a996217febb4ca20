"""Presenting results as text lines for a person: search and similar hits, facets, --explain.

Input: result objects of search.py and the dicts of api.explain; `color` says whether to add
ANSI styles (the CLI decides: a terminal, no --no-color, no NO_COLOR). Output: lines of text.
Without colour the text is plain and snippets keep the «» marks of the JSON; with colour the
level is coloured by level and matched words are bold instead of «». Pure functions: no I/O,
no terminal queries, so the same lines can go to stdout or through a pager.
"""

from __future__ import annotations

import re

from .levels import Level

RESET = "\x1b[0m"
# Colour by level: the higher the level, the louder the label.
LEVEL_STYLES = {
    Level.UNCLASSIFIED: "32",  # green
    Level.CONFIDENTIAL: "33",  # yellow
    Level.SECRET: "1;31",  # bold red
    Level.TOP_SECRET: "1;97;41",  # bold white on red
}
MATCH_STYLE = "1;36"  # bold cyan: matched words in snippets
DIM_STYLE = "2"
_MARKED = re.compile(r"«([^«»\n]*)»")
FRAGMENT_SEPARATOR = " … "  # search._Marker.between


def style(text: str, codes: str, color: bool) -> str:
    return f"\x1b[{codes}m{text}{RESET}" if color and text else text


def level_of(level_id: str) -> Level:
    return Level[level_id.upper().replace("-", "_")]


def level_label(level_id: str, color: bool) -> str:
    level = level_of(level_id)
    return style(f"[{level.vietnamese.upper()}]", LEVEL_STYLES[level], color)


def highlight(snippet: str, color: bool) -> str:
    """Matched words bold and coloured instead of «»; unchanged without colour."""
    if not color:
        return snippet
    return _MARKED.sub(lambda match: style(match.group(1), MATCH_STYLE, True), snippet)


def hit_lines(hit, color: bool) -> list[str]:
    """rank, level, title; số ký hiệu, date, issuing body; one or two snippets; path."""
    lines = [f"\n{hit.rank}. {level_label(hit.classification, color)} {style(hit.title, '1', color)}"]
    facts = [f"số {hit.doc_number}" if hit.doc_number else None, hit.date, hit.issuer, f"id {hit.id}",
             f"score {hit.score:.2f}"]
    lines.append("   " + " · ".join(f for f in facts if f))
    fragments = [f for f in hit.snippet.split(FRAGMENT_SEPARATOR) if f.strip()][:2] or [hit.snippet]
    for fragment in fragments:
        lines.append(f"   {highlight(fragment.strip(), color)}")
    lines.append("   " + style(hit.path, DIM_STYLE, color))
    return lines


def search_lines(result, color: bool, page: int = 1) -> list[str]:
    where = f", page {page}" if page > 1 else ""
    lines = [f"{result.total} result(s) for {result.query!r} as {result.user}{where}"]
    for hit in result.hits:
        lines.extend(hit_lines(hit, color))
    if result.facets is not None:
        lines.extend(facet_lines(result.facets, color))
    return lines


def similar_lines(result, color: bool, seed_label: str) -> list[str]:
    lines = [f"{result.total} document(s) like {seed_label} as {result.user}"]
    for hit in result.hits:
        lines.extend(hit_lines(hit, color))
    return lines


FACET_VALUES_SHOWN = 12  # per facet in a terminal; the JSON carries every value
FACET_TITLES = {"year": "năm / year", "doc_type": "loại / type", "issuer": "cơ quan / issuer", "level": "mức / level"}


def facet_lines(facets: dict[str, dict[str, int]], color: bool) -> list[str]:
    lines = ["", style("Facets (documents you may see that match):", "1", color)]
    for name, counts in facets.items():
        items = list(counts.items())
        if name == "level":
            shown = [f"{level_label(value, color)} {count}" for value, count in items]
        else:
            shown = [f"{value} ({count})" for value, count in items[:FACET_VALUES_SHOWN]]
            if len(items) > FACET_VALUES_SHOWN:
                shown.append(f"+{len(items) - FACET_VALUES_SHOWN} more (--json lists all)")
        lines.append(f"  {FACET_TITLES.get(name, name)}: " + (", ".join(shown) or "-"))
    return lines


def explain_lines(plan: dict) -> list[str]:
    scope = plan["scope"]
    lines = [
        f"query: {plan['query']}",
        "parsed:",
        *(f"  {line}" for line in plan["parsed"]),
        "words weighed: " + (" ".join(w if weight == 1 else f"{w}×{weight:g}" for w, weight in plan.get("weights") or [])
                             or "none"),
        f"user: {plan['user']} (clearance {plan['clearance']})",
        f"levels searched: {', '.join(scope['levels']) or 'none (nothing is searched)'}",
        f"compartments held: {', '.join(scope['compartments_held']) or 'none'}",
        f"hidden: {scope['hidden']}",
    ]
    given = {k: v for k, v in (plan.get("filters") or {}).items() if v}
    lines.append("filters: " + (", ".join(f"{k}={v}" for k, v in given.items()) or "none"))
    lines.extend(f"  {line}" for line in plan["filter"])
    lines.append(f"sort: {plan['sort']}")
    return lines


def saved_lines(entries: list[dict]) -> list[str]:
    lines = []
    for entry in entries:
        given = {k: v for k, v in (entry.get("filters") or {}).items() if v}
        extra = "".join(f" {k}={v}" for k, v in given.items())
        sort = f" sort={entry['sort']}" if entry.get("sort") not in (None, "relevance") else ""
        lines.append(f"{entry['name']:<20} {entry['query']!r}{extra}{sort}  (saved {entry['saved_at']})")
    return lines
