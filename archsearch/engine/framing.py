"""Question and statement framing: the words of a query that say how it asks, not what about.

"thủ kho có được tự ý cho mượn vũ khí không": "có … không" frames a question, "vũ khí" is what
it is about. query.py weighs framing syllables (and pairs holding one) at W_FRAMING of a content
word, at query time only: the index keeps every word, and a quoted phrase is matched as typed
("không được"). Everything here works on folded syllables; with diacritics a syllable must also
be typed as one of the framing words ("ai", not "ải").
"""

from __future__ import annotations

# Framing, on folded syllables. With diacritics a syllable must also be typed as one of
# _FRAMING_EXACT ("ai", not "ải"); without, the folded form is enough.
_FRAMING_SEQUENCES = (
    ("dung", "hay", "sai"), ("dung", "hay", "khong"), ("dung", "khong"), ("phai", "khong"), ("hay", "khong"),
    ("co", "phai", "khong"), ("la", "dung"), ("la", "sai"), ("la", "gi"), ("bao", "nhieu"), ("nhu", "the", "nao"),
    ("the", "nao"), ("nao", "sau", "day"), ("sau", "day"), ("duoc", "khong"),
)
_FRAMING_ANYWHERE = {"gi", "nao", "ai", "sao"}
_FRAMING_LAST = {"khong", "chua", "dau", "nao"}
_CO_WORDS = {"so", "quan", "che", "cau", "ban", "dong", "hoc", "khi", "gioi", "nang", "hoi", "y", "ly", "dinh", "tinh"}  # "… không?", "… chưa?", "gửi về đâu?"
_FRAMING_EXACT = {"gì", "nào", "ai", "sao", "đâu", "không", "chưa", "có", "bao", "nhiêu", "như", "thế", "sau", "đây",
                  "đúng", "hay", "sai", "là", "phải", "được"}


def framing_positions(exact: list[str], folded: list[str], accented: bool) -> set[int]:
    """Positions of the syllables that frame a question or statement rather than say what it is
    about. "có … không": the first "có" of a question ending in "không"/"chưa" frames it too.

    >>> from archsearch.normalise import fold
    >>> words = "thủ kho có được tự ý cho mượn vũ khí không".split()
    >>> sorted(framing_positions(words, [fold(w) for w in words], True))
    [2, 10]
    >>> words = "khong duoc cho muon".split()
    >>> sorted(framing_positions(words, words, False))
    []
    """
    marked: set[int] = set()
    n = len(folded)
    for sequence in _FRAMING_SEQUENCES:
        size = len(sequence)
        for i in range(n - size + 1):
            if tuple(folded[i:i + size]) == sequence:
                marked.update(range(i, i + size))
    marked.update(i for i, f in enumerate(folded) if f in _FRAMING_ANYWHERE)
    if n > 1 and folded[-1] in _FRAMING_LAST:
        marked.add(n - 1)
        if folded[-1] in ("khong", "chua"):
            # The first "có" that does not start a word of its own (cơ sở, cơ quan, có thể is
            # framing too): without diacritics "co" is also "cơ".
            for i, f in enumerate(folded[:-1]):
                if f == "co" and (i + 1 >= n or folded[i + 1] not in _CO_WORDS):
                    marked.add(i)
                    break
    if accented:
        marked = {i for i in marked if exact[i] in _FRAMING_EXACT}
    return marked
