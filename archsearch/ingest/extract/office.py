"""Extract stage for Word documents: a DOCX file -> its text as one page.

Input: a path and ExtractLimits. Output: Extracted with a single PageText(number=1) (DOCX has
no fixed pages): the body, then headers, footers, footnotes and endnotes. Paragraphs become
lines; see `_table_lines` for tables. Text is kept with the font of each run (`_Fonts`), so a
run set in a legacy font (.VnTime, VNI-Times) is converted by its font, not guessed.

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

from archsearch.errors import ExtractionError
from archsearch.ingest.legacy_encodings import describe, runs_to_unicode
from archsearch.records import Extracted, PageText

if TYPE_CHECKING:
    from archsearch.ingest.extract import ExtractLimits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MAIN_PART = "word/document.xml"
_STYLES_PART = "word/styles.xml"
_EXTRA_PARTS = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes)\.xml")

_P, _TBL, _TR, _TC = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_T, _TAB, _BR, _CR = _W + "t", _W + "tab", _W + "br", _W + "cr"
_NO_BREAK_HYPHEN, _TXBX = _W + "noBreakHyphen", _W + "txbxContent"
_R, _RPR, _PPR, _RFONTS = _W + "r", _W + "rPr", _W + "pPr", _W + "rFonts"
_VAL = _W + "val"
# Never text: properties (pPr holds tab-stop definitions named w:tab), deleted revisions, field
# codes, and the Fallback copy of a text box (its Choice twin carries the same text).
_SKIP = frozenset(
    {_W + "pPr", _W + "rPr", _W + "tblPr", _W + "trPr", _W + "tcPr", _W + "tblGrid", _W + "sectPr",
     _W + "delText", _W + "instrText", _W + "delInstrText", _MC + "Fallback"}
)


# A line of text as runs: (text, font name or None).
Line = list[tuple[str, str | None]]


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
        styles = None
        if _STYLES_PART in names:
            data = _bounded_read(archive, _STYLES_PART, budget, limits.max_docx_uncompressed)
            budget -= len(data)
            styles = _parse(_STYLES_PART, data)
        fonts = _Fonts(styles)
        lines: list[Line] = []
        for name in parts:
            data = _bounded_read(archive, name, budget, limits.max_docx_uncompressed)
            budget -= len(data)
            lines.extend(_block_lines(_parse(name, data), fonts))
    runs: Line = []
    for index, line in enumerate(lines):
        runs += ([("\n", None)] if index else []) + line
    # Text set in a legacy font (.VnTime, VNI-Times) arrives as the cp1252 view of its bytes.
    text, legacy = runs_to_unicode(runs)
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


class _Fonts:
    """The font each run is set in: its own w:rFonts, else its character style's, else its
    paragraph style's, else the document default (word/styles.xml), styles following w:basedOn.
    Old documents typed in TCVN3 often name .VnTime only in the Normal style."""

    def __init__(self, styles: ET.Element | None):
        self._styles: dict[str, tuple[str | None, str | None]] = {}  # id -> (basedOn, font)
        self._default_font: str | None = None
        self._default_paragraph_style: str | None = None
        if styles is None:
            return
        defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_RPR}")
        self._default_font = _rpr_font(defaults)
        for style in styles.iter(_W + "style"):
            style_id = style.get(_W + "styleId")
            if not style_id:
                continue
            based_on = style.find(_W + "basedOn")
            self._styles[style_id] = (based_on.get(_VAL) if based_on is not None else None,
                                      _rpr_font(style.find(_RPR)))
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
                self._default_paragraph_style = style_id

    def _style_font(self, style_id: str | None) -> str | None:
        for _ in range(20):  # a basedOn cycle in a broken file must not loop forever
            if style_id not in self._styles:
                return None
            style_id, font = self._styles[style_id]
            if font:
                return font
        return None

    def paragraph(self, paragraph: ET.Element) -> str | None:
        style = paragraph.find(f"{_PPR}/{_W}pStyle")
        style_id = style.get(_VAL) if style is not None else self._default_paragraph_style
        return self._style_font(style_id) or self._default_font

    def run(self, run: ET.Element, paragraph_font: str | None) -> str | None:
        rpr = run.find(_RPR)
        style = rpr.find(_W + "rStyle") if rpr is not None else None
        return (_rpr_font(rpr) or (self._style_font(style.get(_VAL)) if style is not None else None)
                or paragraph_font)


def _rpr_font(rpr: ET.Element | None) -> str | None:
    """The font w:rPr sets for Latin text: w:hAnsi, the font of characters above 0x7F (where
    legacy letters land), else w:ascii. Theme fonts are modern, never legacy: ignored."""
    fonts = rpr.find(_RFONTS) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(_W + "hAnsi") or fonts.get(_W + "ascii")


def _line_text(line: Line) -> str:
    return "".join(text for text, _ in line)


def _block_lines(container: ET.Element, fonts: _Fonts) -> list[Line]:
    """Lines of a body-like container (body, cell, text box, header) in document order."""
    lines: list[Line] = []
    for child in container:
        if child.tag == _P:
            lines.extend(_paragraph_lines(child, fonts))
        elif child.tag == _TBL:
            lines.extend(_table_lines(child, fonts))
        elif child.tag not in _SKIP:
            # Content controls (w:sdt), custom XML and the like wrap ordinary blocks.
            lines.extend(_block_lines(child, fonts))
    return lines


def _paragraph_lines(paragraph: ET.Element, fonts: _Fonts) -> list[Line]:
    parts: Line = []
    nested: list[Line] = []  # text boxes anchored in this paragraph, as their own lines
    paragraph_font = fonts.paragraph(paragraph)

    def walk(node: ET.Element, font: str | None) -> None:
        for child in node:
            tag = child.tag
            if tag == _T:
                parts.append((child.text or "", font))
            elif tag == _TAB:
                parts.append(("\t", font))
            elif tag in (_BR, _CR):
                parts.append(("\n", font))
            elif tag == _NO_BREAK_HYPHEN:
                parts.append(("-", font))
            elif tag == _TXBX:
                nested.extend(_block_lines(child, fonts))
            elif tag == _R:
                walk(child, fonts.run(child, paragraph_font))
            elif tag not in _SKIP:
                walk(child, font)

    walk(paragraph, paragraph_font)
    return [parts, *nested]


def _table_lines(table: ET.Element, fonts: _Fonts) -> list[Line]:
    """A row of one-line cells stays one line ("a | b"); a row whose cells hold several
    paragraphs gives each paragraph its own line, cell after cell. Administrative headers are
    laid out as such a table (issuer, Số and the secrecy stamp in the left cell), and the
    stamp must stay alone on its line to be recognised."""
    lines: list[Line] = []
    for row in _children(table, _TR, stop=_TBL):
        cells = [[line for line in _block_lines(cell, fonts) if _line_text(line).strip()]
                 for cell in _children(row, _TC, stop=_TBL)]
        if all(len(cell) <= 1 for cell in cells):
            joined: Line = []
            for index, cell in enumerate(cells):
                joined += ([(" | ", None)] if index else []) + (cell[0] if cell else [])
            lines.append(joined)
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
