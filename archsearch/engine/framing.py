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
    ("bao", "lau"), ("bao", "gio"), ("o", "dau"), ("ra", "sao"), ("thi", "sao"),
)
_FRAMING_ANYWHERE = {"gi", "nao", "ai", "sao"}
_FRAMING_LAST = {"khong", "chua", "dau", "nao"}
_CO_WORDS = {"so", "quan", "che", "cau", "ban", "dong", "hoc", "khi", "gioi", "nang", "hoi", "y", "ly", "dinh", "tinh"}  # "… không?", "… chưa?", "gửi về đâu?"
# Typed as in a chat box at work: "cho em hỏi …", "… không ạ?", "… là gì vậy?". An opening that
# says "I am asking" (xin / cho / em, tôi … / muốn, then hỏi) and the particles that end a question.
_ASKERS = {"em", "toi", "minh", "anh", "chi"}
_OPENING = ("xin", "cho", _ASKERS, "muon")  # each optional, in this order, before "hoi"
_PARTICLES = {"a", "ha", "nhi", "nhe", "vay"}
_QUESTION_WORDS = {"gi", "nao", "ai", "sao", "dau", "khong", "chua", "nhieu", "lau", "gio"}
# Only with diacritics: "mấy ngày" asks, "nhà máy" does not (both "may" folded).
_FRAMING_ACCENTED_ONLY = {"mấy"}
_FRAMING_EXACT = {"gì", "nào", "ai", "sao", "đâu", "không", "chưa", "có", "bao", "nhiêu", "như", "thế", "sau", "đây",
                  "đúng", "hay", "sai", "là", "phải", "được", "lâu", "giờ", "ở", "ra", "thì",
                  "xin", "cho", "em", "tôi", "mình", "anh", "chị", "muốn", "hỏi", "ạ", "à", "hả", "nhỉ", "nhé", "vậy"}


def _opening(folded: list[str]) -> range:
    """The positions of a leading "cho (em) hỏi", "xin hỏi", "tôi muốn hỏi"; empty if none."""
    i = 0
    for part in _OPENING:
        if i < len(folded) and (folded[i] in part if isinstance(part, set) else folded[i] == part):
            i += 1
    if 0 < i < len(folded) and folded[i] == "hoi":
        return range(i + 1)
    return range(0)


def _trailing_particles(exact: list[str], folded: list[str], accented: bool) -> int:
    """How many particles end the query ("không ạ", "là gì vậy"). Without diacritics "a" is a
    particle unless it is a point ("điểm a"), and "vay", "ha", "nhi", "nhe" only after a
    question word ("cho vay" is content)."""
    end = len(folded)
    while end > 1 and folded[end - 1] in _PARTICLES:
        before = folded[end - 2]
        if accented:
            if exact[end - 1] not in _FRAMING_EXACT:
                break
        elif folded[end - 1] == "a" and before == "diem":
            break
        elif folded[end - 1] != "a" and before not in _QUESTION_WORDS:
            break
        end -= 1
    return len(folded) - end


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
    >>> words = "cho em hoi thu kho co duoc cho muon vu khi khong a".split()
    >>> sorted(framing_positions(words, words, False))
    [0, 1, 2, 5, 11, 12]
    """
    marked: set[int] = set(_opening(folded))
    particles = _trailing_particles(exact, folded, accented)
    marked.update(range(len(folded) - particles, len(folded)))
    n = len(folded) - particles  # the question proper, before its particles
    for sequence in _FRAMING_SEQUENCES:
        size = len(sequence)
        for i in range(n - size + 1):
            if tuple(folded[i:i + size]) == sequence:
                marked.update(range(i, i + size))
    marked.update(i for i, f in enumerate(folded[:n]) if f in _FRAMING_ANYWHERE)
    if n > 1 and folded[n - 1] in _FRAMING_LAST:
        marked.add(n - 1)
        if folded[n - 1] in ("khong", "chua"):
            # The first "có" that does not start a word of its own (cơ sở, cơ quan, có thể is
            # framing too): without diacritics "co" is also "cơ".
            for i, f in enumerate(folded[:n - 1]):
                if f == "co" and (i + 1 >= n or folded[i + 1] not in _CO_WORDS):
                    marked.add(i)
                    break
    if accented:
        marked = {i for i in marked if exact[i] in _FRAMING_EXACT}
        marked.update(i for i, e in enumerate(exact) if e in _FRAMING_ACCENTED_ONLY)
    return marked
