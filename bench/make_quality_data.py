"""Build the judged collection of bench/quality.py into bench/quality_data/ (committed as data).

    python bench/make_quality_data.py [--corpus ../shared/corpus]

Documents: the 60 articles of Luật Chăn nuôi 32/2018/QH14 (the shared corpus; legal texts are
not objects of copyright, see its SOURCE.md) and the administrative documents of
bench/quality_docs.py. Eight of them are replaced by an OCR-degraded copy (seeded simulation of
the errors Tesseract makes on poor scans: lost or wrong tone marks, d/đ swaps, rn/m and l/1
confusions, split and merged words), so the "ocr" query group searches text as it comes out of
bad scans. Queries: queries.jsonl, one judged query per line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from quality_docs import ADMIN_DOCS  # noqa: E402

OUT = HERE / "quality_data"
OCR_DEGRADED = {"luat-dieu-023", "luat-dieu-045", "luat-dieu-055", "luat-dieu-059",
                "cv-845-2013", "bb-14-2009", "bc-203-2010", "tb-102-2005"}
HEADER_LINES = 6  # Tesseract reads the số/ký hiệu block well (shared notes §1.4): keep it clean

L = lambda n: f"luat-dieu-{n:03d}"  # noqa: E731

# (group, query, {doc: grade}); grade 2 = the answer, 1 = related. "diacritics" queries are
# repeated without diacritics as group "no_diacritics".
QUERIES = [
    ("diacritics", "bảo quản vũ khí trang bị kỹ thuật", {"qd-821-1987": 2, "qd-1180-2017": 1, "ttr-45-2015": 1}),
    ("diacritics", "bảo mật tài liệu", {"ct-17-1993": 2, "qd-562-2006": 1, "cv-2315-2021": 1}),
    ("diacritics", "mất tài liệu", {"bc-112-1998": 2}),
    ("diacritics", "khám mắt cho công nhân", {"tb-48-1991": 2}),
    ("diacritics", "giải phóng mặt bằng xây dựng phân xưởng", {"kh-09-1996": 2}),
    ("diacritics", "tiền lương công nhân quốc phòng", {"qd-305-2004": 2, "cv-276-2001": 2}),
    ("diacritics", "công nhận giống vật nuôi mới", {L(30): 2, L(29): 1, L(26): 1}),
    ("diacritics", "huấn luyện dân quân tự vệ", {"qd-77-2016": 2, "kh-66-2020": 1}),
    ("diacritics", "nhập khẩu giống vật nuôi", {L(20): 2, L(21): 1, L(19): 1}),
    ("diacritics", "ghi nhãn thức ăn chăn nuôi", {L(46): 2, L(47): 1}),
    ("diacritics", "quyền và nghĩa vụ của cơ sở khảo nghiệm", {L(31): 2, L(51): 2}),
    ("diacritics", "mật độ chăn nuôi", {L(53): 2}),
    ("diacritics", "lưu trữ hồ sơ tài liệu", {"qd-562-2006": 2, "cv-2315-2021": 1, "bc-19-2022": 1}),
    ("diacritics", "phát triển công nghiệp quốc phòng", {"ttr-45-2015": 2, "nq-06-2011": 2, "nq-15-2019": 1}),
    ("diacritics", "an toàn lao động", {"kh-47-2018": 2, "bc-58-2008": 1}),
    ("diacritics", "xuất khẩu thức ăn chăn nuôi", {L(42): 2, L(49): 1}),
    ("number", "821/QĐ-BQP", {"qd-821-1987": 2, "ct-17-1993": 1, "qd-1180-2017": 1}),
    ("number", "821/qd-bqp", {"qd-821-1987": 2, "ct-17-1993": 1, "qd-1180-2017": 1}),
    ("number", "so 305/QD-BQP", {"qd-305-2004": 2, "cv-276-2001": 1}),
    ("number", "45/TTr-TCCNQP", {"ttr-45-2015": 2}),
    ("number", "06-NQ/QUTW", {"nq-06-2011": 2, "nq-15-2019": 1}),
    ("number", "1234/TCCNQP-KH", {"cv-1234-2019": 2}),
    ("number", "công văn 2315/TCCNQP-CNTT", {"cv-2315-2021": 2}),
    ("number", "66/KH-UBND", {"kh-66-2020": 2}),
    ("number", "845 / CKT - KHO", {"cv-845-2013": 2}),
    ("number", "quyết định 562/qđ-bqp", {"qd-562-2006": 2}),
    ("number", "77/QĐ-BTL", {"qd-77-2016": 2}),
    ("abbreviation", "CNQP tiền lương", {"qd-305-2004": 2, "cv-276-2001": 2}),
    ("abbreviation", "đề án phát triển CNQP", {"ttr-45-2015": 2, "nq-06-2011": 1}),
    ("abbreviation", "kế hoạch CCHC", {"kh-212-2021": 2, "bc-19-2022": 2}),
    ("abbreviation", "cải cách hành chính năm 2022", {"bc-19-2022": 2, "kh-212-2021": 1}),
    ("abbreviation", "thủ tục hành chính một cửa", {"kh-212-2021": 2, "bc-19-2022": 1}),
    ("abbreviation", "UBND tỉnh diễn tập khu vực phòng thủ", {"kh-66-2020": 2}),
    ("abbreviation", "tuyển chọn QNCN", {"hd-31-2012": 2}),
    ("abbreviation", "DQTV huấn luyện", {"qd-77-2016": 2, "kh-66-2020": 1}),
    ("abbreviation", "NSNN phân bổ dự toán", {"tb-35-2023": 2}),
    ("abbreviation", "nghị quyết QUTW về CNQP", {"nq-06-2011": 2, "nq-15-2019": 1}),
    ("abbreviation", "SXKD 6 tháng đầu năm", {"bc-58-2008": 2}),
    ("paraphrase", "những hành vi nào bị cấm trong hoạt động chăn nuôi", {L(12): 2, L(3): 1}),
    ("paraphrase", "quy định về quảng cáo thức ăn cho vật nuôi", {L(47): 2}),
    ("paraphrase", "làm sao giữ bí mật tài liệu không để bị lộ", {"ct-17-1993": 2, "qd-562-2006": 1}),
    ("paraphrase", "hồ sơ bị thất lạc ở phòng hành chính", {"bc-112-1998": 2}),
    ("paraphrase", "chính sách hỗ trợ của nhà nước cho người chăn nuôi", {L(4): 2}),
    ("paraphrase", "trang trại chăn nuôi phải kê khai với ai", {L(54): 2, L(55): 1}),
    ("paraphrase", "kiểm tra sức khỏe mắt cho người lao động tiếp xúc hóa chất", {"tb-48-1991": 2}),
    ("paraphrase", "thưởng cho đơn vị sản xuất vũ khí giỏi", {"qd-1180-2017": 2}),
    ("paraphrase", "giữ gìn nguồn gen các giống vật nuôi quý hiếm", {L(14): 2, L(15): 2, L(16): 1, L(13): 1}),
    ("paraphrase", "nộp hồ sơ vào lưu trữ cơ quan", {"qd-562-2006": 2}),
    ("ocr", "thức ăn chăn nuôi chứa kháng sinh", {L(45): 2}),
    ("ocr", "chăn nuôi trang trại", {L(55): 2, L(52): 1}),
    ("ocr", "xử lý chất thải trong chăn nuôi trang trại", {L(59): 2, L(60): 1}),
    ("ocr", "điều kiện sản xuất mua bán tinh phôi trứng giống", {L(23): 2}),
    ("ocr", "kiểm tra an toàn kho đạn mùa mưa bão", {"cv-845-2013": 2}),
    ("ocr", "kiểm kê tài sản vật tư tại kho", {"bb-14-2009": 2}),
    ("ocr", "xử lý nước thải chất thải nguy hại nhà máy", {"bc-203-2010": 2}),
    ("ocr", "phòng chống giông lốc sét kho tàng", {"tb-102-2005": 2, "cv-845-2013": 1}),
    ("ocr", "hệ thống chống sét", {"tb-102-2005": 2, "cv-845-2013": 2}),
    ("ocr", "thanh lý vật tư quá hạn", {"bb-14-2009": 2}),
]

_TONES = "\u0301\u0300\u0309\u0303\u0323"
_QUALITY = {"\u0302": "", "\u0306": "", "\u031b": ""}  # circumflex, breve, horn


def fold(text: str) -> str:
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d" if char == "đ" else "D")
        else:
            out.append(unicodedata.normalize("NFD", char)[0])
    return "".join(out)


def ocr_degrade(text: str, rng: random.Random) -> str:
    """Simulated poor-scan OCR: about one syllable in five damaged."""
    lines = text.split("\n")
    head, body = lines[:HEADER_LINES], lines[HEADER_LINES:]

    def damage(match: re.Match) -> str:
        word = match.group(0)
        roll = rng.random()
        decomposed = unicodedata.normalize("NFD", word)
        if roll < 0.08:  # tone lost
            word = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        elif roll < 0.12:  # tone misread
            tone = rng.choice(_TONES)
            word = unicodedata.normalize("NFC", "".join(tone if c in _TONES else c for c in decomposed))
        elif roll < 0.15:  # vowel mark lost (ơ -> o, â -> a)
            word = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _QUALITY))
        elif roll < 0.17:
            word = word.replace("đ", "d") if "đ" in word else word.replace("d", "đ")
        elif roll < 0.19:
            word = word.replace("m", "rn") if "m" in word else word.replace("l", "1").replace("i", "í", 1)
        elif roll < 0.21 and len(word) > 3:
            cut = rng.randint(1, len(word) - 1)
            word = word[:cut] + " " + word[cut:]
        elif roll < 0.23:
            word = word + "\u0000"  # merged with the next word (marker replaced below)
        return word

    damaged = re.sub(r"[^\W\d_]+", damage, "\n".join(body))
    damaged = damaged.replace("\u0000 ", "").replace("\u0000", "")
    return "\n".join(head) + "\n" + damaged


def admin_text(issuers, number, place_date, doc_type, subject, paragraphs) -> str:
    lines = [*issuers, f"Số: {number}", place_date, ""]
    if doc_type:
        lines += [doc_type, subject]
    else:
        lines += [subject]
    lines += [""] + paragraphs
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    args = parser.parse_args()
    rng = random.Random(20261127)
    docs_dir = OUT / "documents"
    docs_dir.mkdir(parents=True, exist_ok=True)
    for old in docs_dir.glob("*.txt"):
        old.unlink()
    texts: dict[str, str] = {}
    for path in sorted(args.corpus.glob("chan-nuoi-2018-dieu-*.txt")):
        number = int(path.stem.rsplit("-", 1)[1])
        texts[L(number)] = path.read_text(encoding="utf-8")
    for stem, issuers, number, place_date, doc_type, subject, paragraphs in ADMIN_DOCS:
        texts[stem] = admin_text(issuers, number, place_date, doc_type, subject, paragraphs)
    for stem, text in sorted(texts.items()):
        if stem in OCR_DEGRADED:
            text = ocr_degrade(text, rng)
        (docs_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
    with open(OUT / "queries.jsonl", "w", encoding="utf-8") as out:
        number = 0
        rows = []
        for group, query, relevant in QUERIES:
            rows.append((group, query, relevant))
        for group, query, relevant in QUERIES:
            if group == "diacritics":
                rows.append(("no_diacritics", fold(query), relevant))
        for group, query, relevant in rows:
            missing = [d for d in relevant if d not in texts]
            if missing:
                raise SystemExit(f"query {query!r} judges unknown documents {missing}")
            number += 1
            out.write(json.dumps({"id": f"q{number:03d}", "group": group, "query": query, "relevant": relevant},
                                 ensure_ascii=False) + "\n")
    print(f"{len(texts)} documents ({len(OCR_DEGRADED)} OCR-degraded), {number} queries -> {OUT}")


if __name__ == "__main__":
    main()
