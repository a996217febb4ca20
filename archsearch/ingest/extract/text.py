"""Extract stage for plain text and HTML: bytes -> decoded text as one page.

Input: a path, ExtractLimits and whether the file is HTML. Output: Extracted with one PageText
and `encoding` set to the codec used. Encodings are tried in a fixed order: a BOM (UTF-8,
UTF-16, UTF-32), strict UTF-8, for HTML the charset the page declares, UTF-8 with a few bad
bytes replaced (a warning says so), cp1258 (Windows
Vietnamese, whose tone marks are combining characters: the caller's clean_text composes them to
NFC), and cp1252 as the last resort. HTML is reduced to its visible text, the <title> first.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from archsearch.errors import ExtractionError
from archsearch.ingest.legacy_encodings import decode_legacy_bytes, describe, to_unicode
from archsearch.records import Extracted, PageText

if TYPE_CHECKING:
    from archsearch.ingest.extract import ExtractLimits

# UTF-32 first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_:.\-]+)""",
    re.IGNORECASE,
)
# Browsers (WHATWG) read these labels as windows-1252; so do we.
_LATIN1_LABELS = frozenset({"latin_1", "ascii", "iso8859-1"})


def extract_text(path: Path, limits: ExtractLimits, mime: str, *, html: bool = False) -> Extracted:  # noqa: ARG001
    """Decode a text or HTML file; raises ExtractionError for NUL bytes outside UTF-16/32.

    Bytes that are not UTF-8 and read as far more valid Vietnamese syllables in TCVN3, VNI or
    VISCII than in Windows-1258 are converted from that legacy encoding; so is UTF-8 text that
    is the cp1252 view of such bytes ("Hµ Néi"). The conversion is recorded as a warning and in
    `encoding` ("tcvn3", "vni", "viscii")."""
    data = path.read_bytes()
    text, encoding, warnings = decode_bytes(data, html=html)
    if encoding in ("cp1258", "cp1252"):
        legacy = decode_legacy_bytes(data, text)
        if legacy is not None:
            text, encoding = legacy
            warnings = warnings + [describe(encoding)]
    else:
        converted, name = to_unicode(text)
        if name is not None:
            text, encoding = converted, f"{encoding}+{name}"
            warnings = warnings + [describe(name)]
    if html:
        text = html_to_text(text)
    return Extracted(mime=mime, pages=[PageText(number=1, text=text)], warnings=warnings, encoding=encoding)


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str, list[str]]:
    """(text, codec name, warnings) by the order in the module docstring."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            name = "utf-8-sig" if encoding == "utf-8" else encoding
            return _decode_lenient(data[len(bom):], encoding, name)
    if b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise ExtractionError("binary content (NUL bytes), not text")
        return _decode_lenient(data, encoding, encoding)
    candidates = ["utf-8"]
    if html:
        declared = _declared_charset(data)
        if declared:
            candidates.append(declared)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError:
            continue
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged, "utf-8", ["undecodable bytes replaced with U+FFFD (decoded as utf-8)"]
    try:
        return data.decode("cp1258"), "cp1258", []
    except UnicodeDecodeError:
        return _decode_lenient(data, "cp1252", "cp1252")


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a stray byte, a cut-off write), decoded with U+FFFD for
    them; None when the bytes are not mostly UTF-8. Read as cp1258 instead, every Vietnamese
    letter of such a file would turn to mojibake and the document would be unsearchable."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f" and char != "\ufffd")
    return text if good >= 4 * bad else None


def _decode_lenient(data: bytes, encoding: str, name: str) -> tuple[str, str, list[str]]:
    try:
        return data.decode(encoding), name, []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text, name, [f"undecodable bytes replaced with U+FFFD (decoded as {name})"]


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit almost only in odd/even byte positions, as they do
    for text whose characters are mostly ASCII or Latin (Vietnamese included); else None."""
    even, odd = data[0::2], data[1::2]
    even_nuls, odd_nuls = even.count(0), odd.count(0)
    if odd_nuls > len(odd) * 0.2 and even_nuls <= len(even) * 0.01:
        encoding = "utf-16-le"
    elif even_nuls > len(even) * 0.2 and odd_nuls <= len(odd) * 0.01:
        encoding = "utf-16-be"
    else:
        return None
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _LATIN1_LABELS:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return None  # a BOM-less page that really were UTF-16 would have failed the NUL check
    return name


# Their content is never visible text.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot",
     "thead", "title", "tr", "ul"}
)
_LINE_BREAK_TAGS = frozenset({"br", "hr"})  # void: one break, whether written <br>, <br/> or </br>
_CELL_TAGS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities unescaped in handle_data
        self.title: list[str] = []
        self.body: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ARG002
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _LINE_BREAK_TAGS or tag in _BLOCK_TAGS:
            self._in_title = False  # an unclosed <title> must not swallow the page
            self.body.append("\n")
        elif tag in _CELL_TAGS:
            self.body.append("\t")
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "br":
            self.body.append("\n")
        elif tag in _BLOCK_TAGS:
            self.body.append("\n")
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)  # <br/>, <hr/>: no second break for the "end"

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title.append(data)
            return
        # Source line breaks are plain spaces in HTML, except inside <pre>.
        self.body.append(data if self._pre_depth else _WHITESPACE.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: the title first, block elements as line breaks, table cells
    separated by tabs, script/style/noscript/template dropped, entities unescaped."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    title = _WHITESPACE.sub(" ", "".join(parser.title)).strip()
    body = "".join(parser.body)
    return f"{title}\n\n{body}" if title else body
