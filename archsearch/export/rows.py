"""One exported document as a row: the same keys in csv, jsonl and the bundle's manifests, and
the writer that puts rows into a file (csv cells kept as text in a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json

from archsearch.levels import Level
from archsearch.trust.access import stored_compartments

COLUMNS = [
    "id", "path", "title", "doc_number", "date", "doc_type", "issuer", "classification",
    "compartments", "page_count", "ocr", "sha256",
]


def _compartments(fields: dict) -> list[str]:
    return sorted(stored_compartments(fields.get("compartments")))


def level_of(fields: dict) -> Level:
    return Level.from_id(fields["classification"])


def document_row(fields: dict, score: float | None, with_score: bool) -> dict:
    """One document as a manifest row (the same keys in csv, jsonl and the bundle)."""
    row = {
        "id": fields["id"],
        "path": fields["path"],
        "title": fields.get("title") or "",
        "doc_number": fields.get("doc_number") or None,
        "date": fields.get("date") or None,
        "doc_type": fields.get("doc_type") or None,
        "issuer": fields.get("issuer") or None,
        "classification": fields["classification"],
        "compartments": _compartments(fields),
        "page_count": int(fields.get("page_count") or 0),
        "ocr": bool(fields.get("ocr") or (fields.get("ocr_pages") or 0) > 0),
        "sha256": fields.get("content_hash") or None,
    }
    if with_score:
        row["score"] = score
    return row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(value)
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: titles come from documents,
    # so a hostile one could run in the auditor's Calc. A leading apostrophe keeps it text.
    if text[:1] in ("=", "+", "-", "@") and not isinstance(value, (int, float)):
        return "'" + text
    return text


class RowWriter:
    """Writes rows as CSV (UTF-8 with BOM, CRLF) or JSON lines to a binary handle."""

    def __init__(self, handle, fmt: str, columns: list[str]):
        self.fmt, self.columns = fmt, columns
        self.text = io.TextIOWrapper(handle, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="", write_through=False)
        if fmt == "csv":
            self.csv = csv.writer(self.text, lineterminator="\r\n")
            self.csv.writerow(columns)

    def write(self, row: dict) -> None:
        if self.fmt == "csv":
            self.csv.writerow([_cell(row.get(c)) for c in self.columns])
        else:
            self.text.write(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False) + "\n")

    def finish(self):
        """Flush and hand back the underlying binary handle (the wrapper is detached)."""
        self.text.flush()
        return self.text.detach()
