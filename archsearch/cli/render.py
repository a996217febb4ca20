"""Presenting results as text lines for a person: search and similar hits, facets, --explain.

Input: result objects of search.py and the dicts of api.explain; `color` says whether to add
ANSI styles (the CLI decides: a terminal, no --no-color, no NO_COLOR). Output: lines of text.
Without colour the text is plain and snippets keep the «» marks of the JSON; with colour the
level is coloured by level and matched words are bold instead of «». Pure functions: no I/O,
no terminal queries, so the same lines can go to stdout or through a pager.

Every string that comes from a document, a file name or a file's content passes through
`printable` before it is put into a line for a terminal: a file named with an escape sequence
or a newline must not retitle the window, clear the screen or draw a fake `[THƯỜNG]` line.
"""

from __future__ import annotations

import json
import re

from archsearch.levels import Level

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


# What a terminal would act on instead of showing: C0 controls, DEL, C1 controls (U+009B is a
# CSI on its own), lone surrogates (undecodable file names), line and paragraph separators, and
# the bidirectional overrides and isolates that reorder what is shown (U+202E "Trojan source").
_OTHER_UNPRINTABLE = "\x7f-\x9f\ud800-\udfff\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE_LINE = re.compile(f"[\x00-\x1f{_OTHER_UNPRINTABLE}]")
_UNPRINTABLE_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_UNPRINTABLE}]")  # keeps \t and \n


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value, multiline: bool = False) -> str:
    r"""`value` as text a terminal shows and never acts on: every control character is written
    visibly as an escape (ESC as \x1b, U+202E as \u202e), newlines included unless `multiline`
    (a document's body, whose newlines and tabs are its own layout).

    >>> print(printable("x\x1b]0;OWNED\x07\nFAKE \u202eabc"))
    x\x1b]0;OWNED\x07\x0aFAKE \u202eabc
    """
    return (_UNPRINTABLE_TEXT if multiline else _UNPRINTABLE_LINE).sub(_escaped, str(value))


# JSON keeps every string exact; json.dumps already writes C0 controls as \u escapes, and these
# are written the same way so that JSON printed to a terminal cannot drive it either.
_UNPRINTABLE_IN_JSON = re.compile(f"[{_OTHER_UNPRINTABLE}]")


def terminal_json(value) -> str:
    """`value` as indented JSON that parses back to exactly `value` and holds no raw control
    character (DEL, C1, bidirectional controls and lone surrogates become \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _UNPRINTABLE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def style(text: str, codes: str, color: bool) -> str:
    return f"\x1b[{codes}m{text}{RESET}" if color and text else text


def level_label(level_id: str, color: bool) -> str:
    level = Level.from_id(level_id)
    return style(f"[{level.vietnamese.upper()}]", LEVEL_STYLES[level], color)


def highlight(snippet: str, color: bool) -> str:
    """Matched words bold and coloured instead of «»; unchanged without colour."""
    if not color:
        return snippet
    return _MARKED.sub(lambda match: style(match.group(1), MATCH_STYLE, True), snippet)


def hit_lines(hit, color: bool) -> list[str]:
    """rank, level, title; số ký hiệu, date, issuing body; one or two snippets; path."""
    lines = [f"\n{hit.rank}. {level_label(hit.classification, color)} {style(printable(hit.title), '1', color)}"]
    facts = [f"số {hit.doc_number}" if hit.doc_number else None, hit.date, hit.issuer, f"id {hit.id}",
             f"score {hit.score:.2f}"]
    lines.append("   " + printable(" · ".join(f for f in facts if f)))
    fragments = [f for f in hit.snippet.split(FRAGMENT_SEPARATOR) if f.strip()][:2] or [hit.snippet]
    for fragment in fragments:
        lines.append(f"   {highlight(printable(fragment.strip()), color)}")
    lines.append("   " + style(printable(hit.path), DIM_STYLE, color))
    return lines


def search_lines(result, color: bool, page: int = 1) -> list[str]:
    where = f", page {page}" if page > 1 else ""
    lines = [printable(f"{result.total} result(s) for {result.query!r} as {result.user}{where}")]
    for hit in result.hits:
        lines.extend(hit_lines(hit, color))
    if result.facets is not None:
        lines.extend(facet_lines(result.facets, color))
    return lines


def similar_lines(result, color: bool, seed_label: str) -> list[str]:
    lines = [printable(f"{result.total} document(s) like {seed_label} as {result.user}")]
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
            shown = [printable(f"{value} ({count})") for value, count in items[:FACET_VALUES_SHOWN]]
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
        f"compartments held: {'; '.join(scope['compartments_held']) or 'none'}",
        f"hidden: {scope['hidden']}",
    ]
    given = {k: v for k, v in (plan.get("filters") or {}).items() if v}
    lines.append("filters: " + (", ".join(f"{k}={v}" for k, v in given.items()) or "none"))
    lines.extend(f"  {line}" for line in plan["filter"])
    lines.append(f"sort: {plan['sort']}")
    return [printable(line) for line in lines]


def saved_lines(entries: list[dict]) -> list[str]:
    lines = []
    for entry in entries:
        given = {k: v for k, v in (entry.get("filters") or {}).items() if v}
        extra = "".join(f" {k}={v}" for k, v in given.items())
        sort = f" sort={entry['sort']}" if entry.get("sort") not in (None, "relevance") else ""
        lines.append(printable(f"{entry['name']:<20} {entry['query']!r}{extra}{sort}  (saved {entry['saved_at']})"))
    return lines


def document_text(doc) -> str:
    """`show`: the metadata fields that are set, a blank line, then the text (or the one
    article `show --article` asked for); all printable."""
    fields = [
        ("id", doc.id), ("title", doc.title), ("classification", doc.classification),
        ("compartments", "; ".join(doc.compartments) or None), ("number", doc.doc_number),
        ("date", doc.date), ("type", doc.doc_type), ("issuer", doc.issuer), ("path", doc.path),
        ("pages", f"{doc.page_count} ({doc.ocr_pages} OCR)"), ("indexed", doc.indexed_at),
    ]
    lines = [printable(f"{label:>14}: {value}") for label, value in fields if value]
    body = doc.article["text"] if getattr(doc, "article", None) is not None else doc.text
    return "\n".join(lines) + "\n\n" + printable(body, multiline=True)


def status_lines(report: dict) -> list[str]:
    """`status`: the index, its counts, recent level changes, withdrawals and the last run
    (lines to pass through `printable`: they hold paths and reasons from files)."""
    lines = [
        f"index: {report['index_dir']} ({report['generation']}, schema {report['schema_version']})",
        f"documents: {report['documents']}, pages {report['pages']} ({report['ocr_pages']} OCR'd), "
        f"index {report['index_bytes'] / 2**20:.1f} MiB, cache {report['cache']['entries']} entries "
        f"{report['cache']['bytes'] / 2**20:.1f} MiB",
    ]
    lines += [f"  {level:<13} {count}" for level, count in report["per_level"].items()]
    lines += [f"  note: {note}" for note in report["partition_notes"]]
    lines += [f"  collection {collection}: " + ", ".join(f"{k} {v}" for k, v in levels.items())
              for collection, levels in sorted(report["per_collection"].items())]
    lines += [f"  type {mime}: {count}" for mime, count in sorted(report["per_type"].items())]
    for change in report["level_changes"][-5:]:
        declassified = f" (giải mật {change['declassified_on']})" if change["declassified_on"] else ""
        lines.append(f"  level change {change['changed_at']}: {change['path']} {change['from']} -> {change['to']}{declassified}")
    lines += [f"  withdrawn {withdrawal['withdrawn_at']}: {path}: {withdrawal['reason']}"
              for path, withdrawal in report["withdrawn"].items()]
    run = report["last_run"]
    if run:
        lines.append(f"last run {run['started_at']}: indexed {run['indexed']}, unchanged {run['unchanged']}, "
                     f"failed {run['failed']}, {run['seconds']} s")
        lines += [f"  failed {failure['path']}: {failure['reason']}" for failure in report["last_run_failures"]]
        lines += [f"  recovered: {warning['warning']}" for warning in run.get("warnings", [])
                  if warning.get("stage") == "recover"]
    return lines
