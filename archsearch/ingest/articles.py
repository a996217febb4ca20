"""Article structure of a Vietnamese legal or administrative text: Chương, Mục, Điều, khoản, điểm.

Stage: indexing (index.document_fields). Input: the NFC text of one document, after extraction,
OCR and legacy-encoding conversion (so TCVN3/VNI files arrive here as Unicode). Output: each
Điều with its number, character span in that text, and the spans of its khoản; stored with the
document so a citation ("khoản 2 Điều 5") can point at them (citations.py, search.py) and
`show --article N` can print one article alone.

Layout recognised (NĐ 30/2020 and the legal texts it follows):
- "Điều 5. Tên điều", "Điều 5: …", "Điều 5 Tên điều" (OCR loses the dot), at the start of a
  line; "Điều V." in older documents numbered in Roman; "Điều 1O." / "Điều l." as OCR reads
  "Điều 10." / "Điều 1.". A reference inside a wrapped sentence ("…quy định tại\\nĐiều 55 của Luật này") is no
  heading: a heading's number is followed by ".", ":", "-", the end of the line, or a capital.
- khoản: "1." / "2." (OCR: "1,", "2)") at the start of a line inside an Điều, numbered in
  sequence from 1 (one number may be skipped: OCR misreads digits), so a line opening with a
  year ("2015. …") or a stray number is not one.
- điểm: "a)" / "đ)" lines inside a khoản (kept with the khoản, not stored separately).
- Chương (Roman or Arabic numerals) and Mục headings end the article before them.
Matching is on the folded line, one character for one (snippets.fold_same_length), so OCR's
misread tone marks and Eth for Đ ("Ðiều", "Điểu", "Dieu") still match and offsets stay exact.

A Quyết định that issues a Quy chế numbers articles twice (its own Điều 1-3, then the Quy
chế's Điều 1-n). When numbering falls back, a new part begins; `article()` returns the first
Điều with the number asked for, in text order.

>>> text = "LUẬT\\nĐiều 1. Phạm vi\\nNội dung.\\nĐiều 2: Giải thích\\n1. Một.\\n2. Hai:\\na) Điểm a;\\nb) Điểm b.\\n"
>>> [(a.number, text[a.start:a.end].splitlines()[0]) for a in find_articles(text)]
[(1, 'Điều 1. Phạm vi'), (2, 'Điều 2: Giải thích')]
>>> [(k.number, text[k.start:k.end].strip()) for k in find_articles(text)[1].clauses]
[(1, '1. Một.'), (2, '2. Hai:\\na) Điểm a;\\nb) Điểm b.')]
>>> [a.number for a in find_articles("Ðiều 3 Trách nhiệm\\nDieu 4. Hiệu lực\\nquy định tại\\nĐiều 55 của Luật này")]
[3, 4]
>>> article_text(text, find_articles(text), 2, clause=2)
'2. Hai:\\na) Điểm a;\\nb) Điểm b.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archsearch.engine.snippets import fold_same_length

MAX_ARTICLE = 999
MAX_ARTICLES = 2000  # per document: what is stored stays bounded whatever a file holds

# On the folded, lower-case line. "dieu" also covers OCR's "Điểu", "Ðiều", "Diéu".
_ARTICLE = re.compile(r"[ \t]*dieu[ \t]*([0-9oil|]{1,3}|[ivxlc]{1,7})(?=[ \t]*(?:[.:\-\u2013]|$)|[ \t]+\S)")
# OCR reads digits as letters ("1O", "l0"): in a token holding a digit, and "l" or "|" alone.
_OCR_DIGITS = str.maketrans("oil|", "0111")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_CLAUSE = re.compile(r"[ \t]*(\d{1,2})[ \t]*[.,)](?=[ \t]+\S)")
_CHAPTER = re.compile(r"[ \t]*(?:chuong|muc)[ \t]+(?:[ivxlc]+|\d{1,3})\b")


@dataclass(frozen=True)
class Clause:
    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    number: int
    part: int  # 0, then 1, 2 ... each time the numbering starts again
    start: int
    end: int
    clauses: tuple[Clause, ...] = field(default_factory=tuple)

    def to_stored(self) -> list:
        return [self.number, self.part, self.start, self.end, [[c.number, c.start, c.end] for c in self.clauses]]

    @classmethod
    def from_stored(cls, row) -> "Article":
        number, part, start, end, clauses = row
        return cls(int(number), int(part), int(start), int(end),
                   tuple(Clause(int(n), int(s), int(e)) for n, s, e in clauses))


def _heading_number(original_line: str, folded_line: str) -> int | None:
    match = _ARTICLE.match(folded_line)
    if not match:
        return None
    rest = original_line[match.end():].lstrip(" \t")
    # Without a dot or colon, the heading's name starts with a capital ("Điều 5 Chiến lược");
    # a sentence going on in lower case ("Điều 55 của Luật này") is a reference.
    if rest and rest[0] not in ".:-\u2013" and not rest[0].isupper():
        return None
    number = _number(match.group(1))
    return number if number is not None and 0 < number <= MAX_ARTICLE else None


def _number(token: str) -> int | None:
    """An article number as written: Arabic, Arabic misread by OCR, or Roman (older documents
    number their articles I, II, III)."""
    if token.isdigit():
        return int(token)
    if any(c.isdigit() for c in token) or token in ("l", "|"):
        token = token.translate(_OCR_DIGITS)
        return int(token) if token.isdigit() else None
    if not token or any(c not in _ROMAN for c in token):
        return None
    values = [_ROMAN[c] for c in token]
    number = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return number if _roman(number) == token else None  # canonical forms only ("iiii" is no number)


def _roman(number: int) -> str:
    out = []
    for value, letters in ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def find_articles(text: str) -> list[Article]:
    """Every Điều heading of `text`, in order, with its span (to the next Điều, Chương or Mục
    heading, or the end) and its khoản. See the module docstring for what is recognised."""
    folded = fold_same_length(text)
    lines: list[tuple[int, int]] = []  # (start, end) of each line, end without the newline
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    headings: list[tuple[int, int]] = []  # (line index, number)
    stops: set[int] = set()  # lines that end an article (Chương, Mục)
    for index, (start, end) in enumerate(lines):
        number = _heading_number(text[start:end], folded[start:end])
        if number is not None:
            headings.append((index, number))
        elif _CHAPTER.match(folded[start:end]) and text[start:end].strip()[:1].isupper():
            stops.add(index)
    articles: list[Article] = []
    part, previous = 0, 0
    for position_in_list, (index, number) in enumerate(headings[:MAX_ARTICLES]):
        if number <= previous:
            part += 1
        previous = number
        last = headings[position_in_list + 1][0] if position_in_list + 1 < len(headings) else len(lines)
        last = min([last, *(s for s in stops if index < s < last)])
        start = lines[index][0]
        end = _strip_end(text, start, lines[last - 1][1])
        clauses = _clauses(text, folded, lines, index + 1, last)
        articles.append(Article(number, part, start, end, clauses))
    return articles


def _clauses(text: str, folded: str, lines, first: int, last: int) -> tuple[Clause, ...]:
    found: list[tuple[int, int]] = []  # (number, line index)
    for index in range(first, last):
        start, end = lines[index]
        match = _CLAUSE.match(folded[start:end])
        last_number = found[-1][0] if found else 0
        # In sequence; one number skipped is allowed, OCR misreads a digit ("2." as "3.").
        if match and last_number < int(match.group(1)) <= last_number + 2:
            found.append((int(match.group(1)), index))
    clauses = []
    for position, (number, index) in enumerate(found):
        stop = found[position + 1][1] if position + 1 < len(found) else last
        start = lines[index][0] + (len(text[lines[index][0]:lines[index][1]]) - len(text[lines[index][0]:lines[index][1]].lstrip()))
        clauses.append(Clause(number, start, _strip_end(text, start, lines[stop - 1][1])))
    return tuple(clauses)


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find(articles: list[Article], number: int) -> Article | None:
    """The first Điều numbered `number`, in text order."""
    return next((a for a in articles if a.number == number), None)


def article_text(text: str, articles: list[Article], number: int, clause: int | None = None) -> str | None:
    """The text of Điều `number` (or of its khoản `clause`), or None when the document has no
    such article (or clause)."""
    article = find(articles, number)
    if article is None:
        return None
    if clause is None:
        return text[article.start:article.end]
    for item in article.clauses:
        if item.number == clause:
            return text[item.start:item.end]
    return None


def article_keys(articles: list[Article]) -> list[str]:
    """Index terms of the articles a document holds: "d5" for Điều 5, "d5k2" for its khoản 2."""
    keys: dict[str, None] = {}
    for article in articles:
        keys[f"d{article.number}"] = None
        for clause in article.clauses:
            keys[f"d{article.number}k{clause.number}"] = None
    return list(keys)
