"""Extract stage for Word documents: a DOCX file -> its text as one page.

Input: a path and ExtractLimits. Output: Extracted with a single PageText(number=1) (DOCX has
no fixed pages): the body, then headers, footers, footnotes and endnotes. Paragraphs become
lines; see `_table_lines` for tables.

Read with zipfile + ElementTree only (no python-docx at run time). Untrusted input guards: each
member's declared uncompressed size, and the bytes actually inflated, are bounded by
`limits.max_docx_uncompressed` (zip bombs); XML with a DOCTYPE is refused (entity expansion,
external entities) - real Word files never carry one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExtractionError
from ..legacy import describe, to_unicode
from ..records import Extracted, PageText

if TYPE_CHECKING:
    from . import ExtractLimits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MAIN_PART = "word/document.xml"
_EXTRA_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes)\.xml")

_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_T, _TAB, _BR, _CR = _W + "t", _W + "tab", _W + "br", _W + "cr"
_NO_BREAK_HYPHEN, _TXBX = _W + "noBreakHyphen", _W + "txbxContent"
# Never text: properties (pPr holds tab-stop definitions named w:tab), deleted revisions, field
# codes, and the Fallback copy of a text box (its Choice twin carries the same text).
_SKIP = frozenset(
    {_W + "pPr", _W + "rPr", _W + "tblPr", _W + "trPr", _W + "tcPr", _W + "tblGrid", _W + "sectPr",
     _W + "delText", _W + "instrText", _W + "delInstrText", _MC + "Fallback"}
)


class _RefuseDoctype(ET.TreeBuilder):
    def doctype(self, name, pubid, system):  # noqa: ARG002 - ElementTree's hook signature
        raise ExtractionError("not a valid DOCX: XML with a DOCTYPE declaration refused")


def extract_docx(path: Path, limits: ExtractLimits, mime: str) -> Extracted:
    """The text of a DOCX; raises ExtractionError for a non-zip, a zip without
    word/document.xml, an oversized member, or malformed/DOCTYPE-bearing XML."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"not a valid DOCX: not a zip archive ({exc})") from exc
    with archive:
        names = archive.namelist()
        if _MAIN_PART not in names:
            raise ExtractionError(f"not a valid DOCX: no {_MAIN_PART} in the archive")
        parts = [_MAIN_PART] + sorted(name for name in names if _EXTRA_PARTS.fullmatch(name))
        budget = limits.max_docx_uncompressed  # shared by all parts read
        lines: list[str] = []
        for name in parts:
            data = _bounded_read(archive, name, budget, limits.max_docx_uncompressed)
            budget -= len(data)
            lines.extend(_block_lines(_parse(name, data)))
    text = "\n".join(lines)
    # Text set in a legacy font (.VnTime, VNI-Times) arrives as the cp1252 view of its bytes.
    text, legacy = to_unicode(text)
    warnings = [describe(legacy)] if legacy else []
    return Extracted(mime=mime, pages=[PageText(number=1, text=text)], warnings=warnings, encoding=legacy)


def _bounded_read(archive: zipfile.ZipFile, name: str, budget: int, limit: int) -> bytes:
    info = archive.getinfo(name)
    too_large = f"DOCX too large: {name} exceeds the uncompressed limit of {limit} bytes"
    if info.file_size > budget:
        raise ExtractionError(f"{too_large} (declares {info.file_size})")
    try:
        with archive.open(info) as member:
            # The declared size can lie; never inflate more than one byte past the budget.
            data = member.read(budget + 1)
    except (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        # RuntimeError: encrypted member; NotImplementedError: unsupported compression.
        raise ExtractionError(f"not a valid DOCX: cannot read {name}: {exc}") from exc
    if len(data) > budget:
        raise ExtractionError(too_large)
    return data


def _parse(name: str, data: bytes) -> ET.Element:
    parser = ET.XMLParser(target=_RefuseDoctype())
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        raise ExtractionError(f"not a valid DOCX: malformed XML in {name}: {exc}") from exc


def _block_lines(container: ET.Element) -> list[str]:
    """Lines of a body-like container (body, cell, text box, header) in document order."""
    lines: list[str] = []
    for child in container:
        if child.tag == _P:
            lines.extend(_paragraph_lines(child))
        elif child.tag == _TBL:
            lines.extend(_table_lines(child))
        elif child.tag not in _SKIP:
            # Content controls (w:sdt), custom XML and the like wrap ordinary blocks.
            lines.extend(_block_lines(child))
    return lines


def _paragraph_lines(paragraph: ET.Element) -> list[str]:
    parts: list[str] = []
    nested: list[str] = []  # text boxes anchored in this paragraph, as their own lines

    def walk(node: ET.Element) -> None:
        for child in node:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _TXBX:
                nested.extend(_block_lines(child))
            elif tag not in _SKIP:
                walk(child)

    walk(paragraph)
    return ["".join(parts), *nested]


def _table_lines(table: ET.Element) -> list[str]:
    """A row of one-line cells stays one line ("a | b"); a row whose cells hold several
    paragraphs gives each paragraph its own line, cell after cell. Administrative headers are
    laid out as such a table (issuer, Số and the secrecy stamp in the left cell), and the
    stamp must stay alone on its line to be recognised."""
    lines: list[str] = []
    for row in _children(table, _TR, stop=_TBL):
        cells = [[line for line in _block_lines(cell) if line.strip()] for cell in _children(row, _TC, stop=_TBL)]
        if all(len(cell) <= 1 for cell in cells):
            lines.append(" | ".join(cell[0] if cell else "" for cell in cells))
        else:
            lines.extend(line for cell in cells for line in cell)
    return lines


def _children(node: ET.Element, tag: str, stop: str) -> list[ET.Element]:
    """Elements `tag` under `node`, looking through wrappers (w:sdt, w:customXml) but not into
    `stop` elements (a nested table's rows belong to that table)."""
    found: list[ET.Element] = []
    for child in node:
        if child.tag == tag:
            found.append(child)
        elif child.tag != stop and child.tag not in _SKIP:
            found.extend(_children(child, tag, stop))
    return found
