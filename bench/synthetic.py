"""A deterministic synthetic Vietnamese archive for the ingest and query benchmarks.

Documents are written in the standard administrative layout (cơ quan, Quốc hiệu, "Số: 123/QĐ-Z131",
place and date, tên loại + trích yếu, Căn cứ / Điều, Nơi nhận) with bodies drawn from a syllable
Markov chain trained on the shared corpus (/work/shared/corpus), sample_docs/ and the judged
collection, so the term distribution and the adjacent-syllable pairs are Vietnamese-like.
300-800 words each, all four levels (declared in a manifest.csv per box, half of the classified
ones also stamped in the text), a few with compartments, a small share as text-layer PDFs, and a
separate handful of scanned pages (PNG, DejaVu Serif) for the OCR measurement.

Document i is the same whatever N (its own seeded generator), so the 10k archive is the first
10k documents of the 50k one. `truth.jsonl` beside the archive holds each document's metadata
and the path of its pre-extracted text, for the bare-Whoosh and SQLite baselines.

    from bench.synthetic import ensure_archive
    archive = ensure_archive(Path("/tmp/bench/archive-10000"), 10_000)
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_DIRS = [Path("/work/shared/corpus"), REPO / "sample_docs", REPO / "bench" / "quality_data" / "documents"]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
GENERATOR_VERSION = 1
SEED = 20240605
BOX_SIZE = 2500  # documents per box (directory with its own manifest.csv)
PDF_EVERY = 250  # one document in PDF_EVERY is a text-layer PDF
# Share of each level: most of an archive is unclassified.
LEVELS = [("unclassified", 0.55), ("confidential", 0.25), ("secret", 0.15), ("top-secret", 0.05)]
STAMPS = {"confidential": "MẬT", "secret": "TỐI MẬT", "top-secret": "TUYỆT MẬT"}
COMPARTMENTS = ["CNQP-A", "CNQP-B"]
TYPES = [  # (type line, ký hiệu, share)
    ("QUYẾT ĐỊNH", "QĐ", 0.25), ("BÁO CÁO", "BC", 0.2), (None, "CV", 0.2), ("KẾ HOẠCH", "KH", 0.1),
    ("THÔNG BÁO", "TB", 0.1), ("TỜ TRÌNH", "TTr", 0.07), ("CHỈ THỊ", "CT", 0.05), ("NGHỊ QUYẾT", "NQ", 0.03),
]
ISSUERS = [  # (parent, issuer, ký hiệu of the issuer)
    ("BỘ QUỐC PHÒNG", "TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "TCCNQP"),
    ("TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "NHÀ MÁY Z131", "Z131"),
    ("TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "NHÀ MÁY Z125", "Z125"),
    ("TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "CỤC KỸ THUẬT", "CKT"),
    ("BỘ QUỐC PHÒNG", "CỤC QUÂN KHÍ", "CQK"),
    ("TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "VIỆN CÔNG NGHỆ", "VCN"),
]
PLACES = ["Hà Nội", "Thái Nguyên", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Phú Thọ"]
_WORD = re.compile(r"[^\W\d_]+|[.,;:]", re.UNICODE)


@dataclass
class Truth:
    """What the generator put in one document (the baselines index this)."""

    relpath: str  # inside the archive
    text_file: str  # the pre-extracted text, relative to the archive's parent
    level: str
    compartments: list[str]
    title: str
    doc_number: str
    date: str
    doc_type: str
    issuer: str
    mime: str


class Chain:
    """First-order Markov chain over words and punctuation, with a jump to a random word (by
    corpus frequency) one time in seven so bodies do not copy the corpus verbatim."""

    def __init__(self, texts: list[str]):
        self.tokens: list[str] = []
        for text in texts:
            self.tokens.extend(_WORD.findall(text))
        self.words = [t for t in self.tokens if t.isalpha()]
        following: dict[str, list[str]] = {}
        for a, b in zip(self.tokens, self.tokens[1:]):
            following.setdefault(a, []).append(b)
        self.following = following

    def run(self, rng: random.Random, count: int, start: str | None = None) -> list[str]:
        word = start or rng.choice(self.words)
        out = []
        following, words = self.following, self.words
        choice, random_ = rng.choice, rng.random
        while len(out) < count:
            out.append(word)
            nxt = following.get(word)
            word = choice(nxt) if nxt and random_() > 0.15 else choice(words)
        return out


def corpus_texts() -> list[str]:
    texts = []
    for directory in CORPUS_DIRS:
        for path in sorted(directory.rglob("*.txt")):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue  # legacy-encoded samples would add mojibake words
            if "\ufffd" not in text and path.name not in ("SOURCE.md",):
                texts.append(text)
    return texts


_CHAIN: Chain | None = None


def chain() -> Chain:
    global _CHAIN
    if _CHAIN is None:
        _CHAIN = Chain(corpus_texts())
    return _CHAIN


def _weighted(rng: random.Random, table):
    x, acc = rng.random(), 0.0
    for *value, share in table:
        acc += share
        if x < acc:
            return value[0] if len(value) == 1 else value
    return table[-1][0] if len(table[-1]) == 2 else table[-1][:-1]


def _sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(words)
    text = re.sub(r" ([.,;:])", r"\1", text)
    text = re.sub(r"([.,;:])(?:[.,;:])+", r"\1", text).strip(" .,;:")
    return text[:1].upper() + text[1:]


def make_document(i: int) -> tuple[str, Truth]:
    """Text and metadata of document i (deterministic)."""
    rng = random.Random(SEED * 1_000_003 + i)
    words = chain()
    level = _weighted(rng, LEVELS)
    type_line, symbol = _weighted(rng, TYPES)
    parent, issuer, issuer_code = rng.choice(ISSUERS)
    date = dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(50 * 365))
    number = f"{rng.randint(1, 3999)}/{symbol}-{issuer_code}"
    subject = _sentence(rng, [w for w in words.run(rng, rng.randint(6, 14)) if w.isalpha()])
    subject = subject[:1].lower() + subject[1:]
    title = f"Về việc {subject}" if type_line else f"V/v {subject}"
    compartments = [rng.choice(COMPARTMENTS)] if level != "unclassified" and rng.random() < 0.03 else []
    lines = [parent, issuer, f"Số: {number}"]
    if level in STAMPS and rng.random() < 0.5:
        lines.append(STAMPS[level])
    lines += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              f"{rng.choice(PLACES)}, ngày {date.day:02d} tháng {date.month} năm {date.year}", ""]
    if type_line:
        lines += [type_line, title]
    else:
        lines += [title]
    lines += [issuer.replace("NHÀ MÁY", "GIÁM ĐỐC NHÀ MÁY") if type_line else "", ""]
    target = rng.randint(300, 800)
    body = 0
    for n in range(rng.randint(1, 3)):
        basis = words.run(rng, rng.randint(8, 20), start="Căn")
        lines.append(_sentence(rng, basis) + ";")
        body += len(basis)
    article = 1
    while body < target:
        length = min(rng.randint(40, 120), max(target - body, 20))
        paragraph = words.run(rng, length)
        prefix = f"Điều {article}. " if type_line == "QUYẾT ĐỊNH" else ""
        lines.append(prefix + _sentence(rng, paragraph) + ".")
        body += length
        article += 1
    cited = f"{rng.randint(1, 999)}/QĐ-BQP"
    lines.append(f"Thực hiện Quyết định số {cited} ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {date.year - 1}.")
    lines += ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "", rng.choice(["GIÁM ĐỐC", "CỤC TRƯỞNG", "CHỦ NHIỆM"])]
    text = "\n".join(lines) + "\n"
    box = f"hop-{i // BOX_SIZE:03d}"
    pdf = i % PDF_EVERY == PDF_EVERY - 1
    relpath = f"{box}/tl-{i:06d}.{'pdf' if pdf else 'txt'}"
    doc_type = (type_line or "CÔNG VĂN").capitalize()
    truth = Truth(relpath=relpath, text_file=f"texts/{box}/tl-{i:06d}.txt", level=level,
                  compartments=compartments, title=title, doc_number=number, date=date.isoformat(),
                  doc_type=doc_type, issuer=issuer, mime="application/pdf" if pdf else "text/plain")
    return text, truth


def _write_pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    pdf.add_font("serif", "", str(FONT))
    pdf.set_font("serif", size=11)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def ensure_archive(root: Path, count: int, progress=None) -> Path:
    """The archive of `count` documents under `root/archive` (built once, reused while the
    generator version matches). Returns `root/archive`."""
    root = Path(root)
    stamp = root / "generated.json"
    wanted = {"count": count, "seed": SEED, "version": GENERATOR_VERSION}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return root / "archive"
    shutil.rmtree(root, ignore_errors=True)
    archive = root / "archive"
    rows: dict[str, list[list[str]]] = {}
    with open(root.parent / f".truth-{count}.tmp", "w", encoding="utf-8") as truth_file:
        for i in range(count):
            text, truth = make_document(i)
            source = archive / truth.relpath
            text_path = root / truth.text_file
            if i % BOX_SIZE == 0:
                source.parent.mkdir(parents=True, exist_ok=True)
                text_path.parent.mkdir(parents=True, exist_ok=True)
            text_path.write_text(text, encoding="utf-8")
            if truth.mime == "application/pdf":
                _write_pdf(source, text)
            else:
                source.write_text(text, encoding="utf-8")
            box, name = truth.relpath.split("/")
            rows.setdefault(box, []).append([name, truth.level, "", "", "", "", "", ";".join(truth.compartments)])
            truth_file.write(json.dumps(asdict(truth), ensure_ascii=False) + "\n")
            if progress and (i + 1) % 5000 == 0:
                progress(f"generated {i + 1}/{count} documents")
    for box, box_rows in rows.items():
        with open(archive / box / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["path", "classification", "title", "doc_number", "date", "doc_type", "issuer", "compartments"])
            writer.writerows(box_rows)
    shutil.move(root.parent / f".truth-{count}.tmp", root / "truth.jsonl")
    stamp.write_text(json.dumps(wanted))
    return archive


def read_truth(root: Path) -> list[Truth]:
    with open(Path(root) / "truth.jsonl", encoding="utf-8") as handle:
        return [Truth(**json.loads(line)) for line in handle]


def ensure_scans(root: Path, pages: int) -> Path:
    """`pages` scanned pages (PNG, 150 dpi A4, one document each) under `root/scans-N`."""
    from PIL import Image, ImageDraw, ImageFont

    directory = Path(root) / f"scans-{pages}"
    if directory.exists() and len(list(directory.glob("*.png"))) == pages:
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    font = ImageFont.truetype(str(FONT), 24)
    for page in range(pages):
        text, _ = make_document(900_000 + page)
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        y = 90
        for paragraph in text.splitlines():
            line = ""
            for word in paragraph.split() or [""]:
                trial = f"{line} {word}".strip()
                if draw.textlength(trial, font=font) > 1060:
                    draw.text((90, y), line, font=font, fill=0)
                    y += 34
                    line = word
                else:
                    line = trial
            draw.text((90, y), line, font=font, fill=0)
            y += 34
            if y > 1640:
                break
        image.save(directory / f"scan-{page:03d}.png", dpi=(150, 150))
    return directory


def queries(per_kind: int, seed: int = 7) -> dict[str, list[str]]:
    """Queries as staff type them, with diacritics, drawn from the corpus: single words (by
    corpus frequency, so common words come up as often as they do in text), adjacent pairs and
    triples, and quoted phrases of 2-4 adjacent words."""
    rng = random.Random(seed)
    c = chain()
    sentences = [[w.lower() for w in re.findall(r"[^\W\d_]+", s)] for s in re.split(r"[.,;:\n]", "\n".join(corpus_texts()))]
    sentences = [s for s in sentences if len(s) >= 4]

    def run_of(n: int) -> str:
        s = rng.choice(sentences)
        start = rng.randrange(len(s) - n + 1)
        return " ".join(s[start : start + n])

    result = {
        "1 word": [rng.choice(c.words).lower() for _ in range(per_kind)],
        "2 words": [run_of(2) for _ in range(per_kind)],
        "3 words": [run_of(3) for _ in range(per_kind)],
        "phrase": [f'"{run_of(rng.choice([2, 3, 3, 4]))}"' for _ in range(per_kind)],
    }
    return result
