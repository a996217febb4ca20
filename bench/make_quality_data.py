"""Build the judged collection of bench/quality.py into bench/quality_data/ (committed as data).

    python bench/make_quality_data.py [--corpus ../shared/corpus]

Documents: the 60 articles of Luật Chăn nuôi 32/2018/QH14 (the shared corpus; legal texts are
not objects of copyright, see its SOURCE.md) and the administrative documents of
bench/quality_docs.py. Eight of them (OCR_SCANNED) are replaced by real Tesseract output: the
text is rendered to A4 pages, degraded like a poor scan (seeded), and read back by archsearch's
own OCR call (tesseract -l vie --oem 1 --psm 3). So the "ocr" query group searches text as it
comes out of bad scans, with Tesseract's own misreads (tone marks, ả/á, d/đ, ă/â, punctuation).
Needs tesseract-ocr + tesseract-ocr-vie and fonts-liberation2. The output is the same on every
run with the same Tesseract and Pillow versions (checked with 5.3.0 / tessdata_fast vie 4.1.0
and Pillow 13.0). Queries: queries.jsonl, one judged query per line.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import unicodedata
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from quality_docs import ADMIN_DOCS, STRUCTURED_DOCS  # noqa: E402

from archsearch.ingest.extract import ExtractLimits  # noqa: E402
from archsearch.ingest.extract.ocr import ocr_image  # noqa: E402

OUT = HERE / "quality_data"
# Documents replaced by the OCR of a poor scan of them, and the scan profile of each.
OCR_SCANNED = {"luat-dieu-023": "photocopy", "luat-dieu-045": "poor", "luat-dieu-055": "photocopy",
               "luat-dieu-059": "fax", "cv-845-2013": "poor", "bb-14-2009": "poor",
               "bc-203-2010": "photocopy", "tb-102-2005": "poor"}

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

# More "ocr" queries, typed the way staff type them against the OCR'd scans: some without
# diacritics, some paraphrased, and some for passages Tesseract misread (the misreading, from
# the current output, in the comment). Written and judged before they were measured; judged
# on the source text. Related (1): the other articles that regulate the same thing. Listed
# after the folded "no_diacritics" rows so the earlier query ids stay the same.
STAFF_OCR_QUERIES = [
    ("ocr", "sổ sách theo dõi mua bán tinh phôi", {L(23): 2}),  # "số sách ... mua bán tỉnh, phôi"
    ("ocr", "di chuyển đạn dược khi có sự cố", {"cv-845-2013": 2}),  # "di chuyến đạn được khí cỏ sự cõ"
    ("ocr", "nguy cơ cháy nổ kho tàng", {"tb-102-2005": 2, "cv-845-2013": 1}),  # "chảy nố kho tầng"
    ("ocr", "kháng sinh cho vật nuôi giai đoạn con non",  # "giải đoạn cón nơn", "cort non"
     {L(45): 2, L(12): 1, L(38): 1, L(50): 1}),
    ("ocr", "quy chuẩn bùn thải nhà máy Z115", {"bc-203-2010": 2}),  # "quy chuấn; bùn thải"
    ("ocr", "thời gian tối thiểu lưu giữ hồ sơ chăn nuôi",  # "tối thiếu"
     {L(55): 2, L(25): 1, L(31): 1, L(51): 1}),
    ("ocr", "chất thải rắn có nguồn gốc hữu cơ", {L(59): 2, L(60): 1, L(56): 1}),  # "thái sắn cá", "rân có nguốn pốc"
    ("ocr", "bien ban kiem ke kho Z121", {"bb-14-2009": 2}),
    ("ocr", "lo trinh bo khang sinh trong phong benh", {L(45): 2, L(12): 1, L(38): 1, L(50): 1}),
    ("ocr", "xu ly nuoc thai chan nuoi trang trai", {L(59): 2, L(55): 1, L(56): 1, L(60): 1}),
    ("ocr", "thu tinh nhan tao", {L(23): 2}),
    ("ocr", "ket qua quan trac moi truong nam 2010", {"bc-203-2010": 2}),
    ("ocr", "có được trộn thuốc kháng sinh vào thức ăn cho lợn con không",
     {L(45): 2, L(12): 1, L(38): 1, L(50): 1}),
    ("ocr", "người làm dịch vụ phối giống nhân tạo cần điều kiện gì", {L(23): 2}),
    ("ocr", "xác vật nuôi chết do dịch bệnh ở trang trại xử lý thế nào", {L(59): 2, L(60): 1, L(56): 1}),
    ("ocr", "kho hàng bị sét đánh gây cháy", {"tb-102-2005": 2, "cv-845-2013": 1}),
]

T = "tt-52-2015"  # Thông tư 52/2015/TT-BQP (MẬT): quản lý, cho mượn, thanh lý vũ khí
Q305 = "qd-305-tccnqp-2016"  # Quyết định 305/QĐ-TCCNQP (TỐI MẬT) + its Quy định on trực ban
CV418 = "cv-418-2016"  # Công văn 418/TCCNQP-KT (unclassified), cites both of them

# Questions and true/false statements as staff type them, half without diacritics. Written and
# judged on the real text (the article that answers: 2; an article on the same point: 1) before
# archsearch's ranking was changed for them.
QUESTION_QUERIES = [
    ("question", "Thủ kho có được tự ý cho mượn vũ khí không?", {T: 2}),
    ("question", "Việc thanh lý trang bị phải được Tổng cục phê duyệt, đúng hay sai?", {T: 2, CV418: 1}),
    ("question", "Chăn nuôi trang trại quy mô lớn có phải được cấp giấy chứng nhận đủ điều kiện chăn nuôi không?",
     {L(55): 2, L(58): 2}),
    ("question", "co duoc su dung khang sinh trong thuc an chan nuoi de kich thich sinh truong khong",
     {L(12): 2, L(45): 2}),
    ("question", "Cơ quan nào có thẩm quyền cấp giấy chứng nhận đủ điều kiện chăn nuôi?", {L(58): 2, L(55): 1}),
    ("question", "ho so chan nuoi trang trai phai luu giu toi thieu bao nhieu nam", {L(55): 2}),
    ("question", "Mỗi đơn vị vật nuôi tương đương bao nhiêu kg khối lượng sống?", {L(53): 2}),
    ("question", "to chuc ca nhan chan nuoi phai ke khai hoat dong chan nuoi voi co quan nao", {L(54): 2}),
    ("question", "Nhân bản vô tính vật nuôi là gì?", {L(17): 2}),
    ("question", "giay chung nhan du dieu kien chan nuoi bi thu hoi trong truong hop nao", {L(58): 2}),
    ("question", "nguoi lam dich vu thu tinh nhan tao co can chung chi dao tao khong", {L(23): 2}),
    ("question", "Ai ban hành danh mục giống vật nuôi cấm xuất khẩu?", {L(19): 2, L(21): 1}),
    ("question", "quang cao thuc an chan nuoi phai phu hop voi thong tin nao", {L(47): 2}),
    ("question", "Xả thải chất thải chăn nuôi chưa được xử lý ra môi trường là hành vi bị cấm, đúng hay sai?",
     {L(12): 2, L(59): 1, L(60): 1}),
    ("question", "chan nuoi nong ho co phai xu ly chat thai khong", {L(60): 2, L(56): 1}),
    ("question", "Những giống vật nuôi nào thuộc danh mục cần bảo tồn?", {L(19): 2, L(14): 1}),
    ("question", "co so san xuat thuc an chan nuoi co bat buoc phai co phong thu nghiem khong", {L(38): 2}),
    ("question", "Tài liệu mật có được xử lý trên mạng Internet không?", {"cv-2315-2021": 2, "ct-17-1993": 1}),
    ("question", "khai thac tai lieu luu tru co can thu truong phe duyet khong", {"qd-562-2006": 2}),
    ("question", "Hồ sơ tuyển chọn quân nhân chuyên nghiệp gửi về đâu?", {"hd-31-2012": 2}),
    ("question", "nguoi duoc tuyen chon quan nhan chuyen nghiep can bang cap gi", {"hd-31-2012": 2}),
    ("question", "Kinh phí diễn tập khu vực phòng thủ do ai bảo đảm?", {"kh-66-2020": 2}),
    ("question", "van ban dien tu ky so co gia tri nhu ban giay khong", {"cv-2315-2021": 2}),
    ("question", "Thời hạn mượn vũ khí tối đa là bao nhiêu ngày?", {T: 2}),
    ("question", "truc ban phai ghi so nhat ky truc ban, dung hay sai", {Q305: 2, CV418: 1}),
    ("question", "Cán bộ trực có được rời vị trí khi chưa bàn giao ca trực không?", {Q305: 2, CV418: 1}),
    ("question", "Tài liệu mật phải được lưu giữ trong tủ có khóa, đúng hay sai?", {"ct-17-1993": 2, "qd-562-2006": 1}),
    ("question", "nha may z115 xu ly bun thai nhu the nao", {"bc-203-2010": 2}),
    ("question", "Cục Quân y khám mắt định kỳ cho những công nhân nào?", {"tb-48-1991": 2}),
    ("question", "Dùng kháng sinh để phòng bệnh cho vật nuôi non là đúng hay sai?", {L(45): 2, L(12): 1}),
    ("question", "don vi muon vu khi phai hoan tra nhu the nao", {T: 2}),
    ("question", "Hành vi nào sau đây bị nghiêm cấm trong chăn nuôi: sử dụng chất cấm hay nuôi động vật làm cảnh?",
     {L(12): 2}),
    ("question", "mat do chan nuoi duoc tinh nhu the nao", {L(53): 2}),
    ("question", "Chiến lược phát triển chăn nuôi được xây dựng theo chu kỳ bao nhiêu năm?", {L(5): 2}),
]

# References to an article of a document, in the forms staff type. A fourth element is the
# level of the user who types it (default top-secret, who sees everything): a citation of a
# document above it must behave as if the document did not exist, so the judged answer is then
# the visible document that cites it. Judged on the real text before ranking was changed.
CITATION_QUERIES = [
    ("citation", "Điều 12 Luật Chăn nuôi", {L(12): 2}),
    ("citation", "khoản 2 Điều 55 Luật Chăn nuôi 2018", {L(55): 2}),
    ("citation", "điểm đ khoản 1 Điều 55 Luật số 32/2018/QH14", {L(55): 2}),
    ("citation", "Dieu 45 luat chan nuoi", {L(45): 2}),
    ("citation", "khoan 3 dieu 58 luat 32/2018/QH14", {L(58): 2}),
    ("citation", "Điều 23 Luật 32/2018/QH14", {L(23): 2}),
    ("citation", "theo quy định tại Điều 59 Luật Chăn nuôi", {L(59): 2}),
    ("citation", "điểm a khoản 2 Điều 23 Luật Chăn nuôi năm 2018", {L(23): 2}),
    ("citation", "Điều 30 của Luật Chăn nuôi", {L(30): 2}),
    ("citation", "luat chan nuoi dieu 54", {L(54): 2}),
    ("citation", "Điều 22 khoản 2 Luật Chăn nuôi", {L(22): 2}),
    ("citation", "Luật Chăn nuôi số 32/2018/QH14 Điều 47", {L(47): 2}),
    ("citation", "Điều 5 Thông tư 52/2015/TT-BQP", {T: 2, CV418: 1}, "confidential"),
    ("citation", "khoan 3 dieu 3 thong tu 52/2015/TT-BQP", {T: 2}),
    ("citation", "Điều 7 Thông tư số 52", {T: 2, CV418: 1}),
    ("citation", "Điều 7 Thông tư 52/2015/TT-BQP", {CV418: 2}, "unclassified"),
    ("citation", "khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP", {Q305: 2, CV418: 1}),
    ("citation", "khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP", {CV418: 2}, "confidential"),
    ("citation", "Điều 4 Quy định trực ban ban hành kèm theo Quyết định 305/QĐ-TCCNQP", {Q305: 2}, "secret"),
    ("citation", "dieu 2 quyet dinh 305/QD-TCCNQP", {Q305: 2}, "secret"),
    ("citation", "theo Chỉ thị 17/CT-TCCNQP năm 1993", {"ct-17-1993": 2}),
    ("citation", "thực hiện Chỉ thị số 17 năm 1993", {"ct-17-1993": 2}),
    ("citation", "Quyết định 821/QĐ-BQP năm 1987", {"qd-821-1987": 2, "ct-17-1993": 1, "qd-1180-2017": 1}),
]

# Four more questions without diacritics, so that half of the "question" group is typed
# without them (15 of the first 34 were). Written and judged on the real text after the
# ranking changes for this group, before being measured; no weight was changed after them.
LATE_QUESTION_QUERIES = [
    ("question", "ai co tham quyen cap lai giay chung nhan du dieu kien chan nuoi khi bi mat", {L(58): 2}),
    ("question", "vu khi thanh ly co phai huy bo tinh nang chien dau truoc khi ban khong", {T: 2}),
    ("question", "co so khao nghiem thuc an chan nuoi co quyen va nghia vu gi", {L(51): 2, L(37): 1}),
    ("question", "ca truc keo dai bao nhieu gio", {Q305: 2}),
]

# 24 more questions (q152-q175), written and judged by someone who never saw the engine, its
# code or any result: only the documents and the earlier queries (to avoid repeats). They are
# in the forms staff type, chat forms included ("cho em hỏi …", "… không ạ?", "… vậy?"), half
# without diacritics, half about the law and half about the administrative documents. They
# were committed before being measured.
BLIND_QUESTION_QUERIES = [
    ("question", "thuc an bo sung duoc luu hanh trong bao lau", {L(34): 2, L(35): 1}),
    ("question", "Đặt tên giống vật nuôi mới chỉ gồm chữ số có được không?", {L(29): 2, L(30): 1}),
    ("question", "Cho hỏi người lấy mẫu thức ăn chăn nuôi phục vụ quản lý nhà nước có cần chứng chỉ không ạ?",
     {L(44): 2, L(43): 1}),
    ("question", "thuc an tu phoi tron de dung noi bo trong trai co phai cong bo tren cong thong tin cua bo khong",
     {L(36): 2, L(32): 1, L(38): 1}),
    ("question", "cho em hoi co so ban con giong phai luu ho so giong may nam vay", {L(25): 2, L(22): 1}),
    ("question", "Mẫu thức ăn chăn nuôi thương mại phải lưu tối thiểu bao lâu sau khi hết hạn sử dụng?",
     {L(48): 2}),
    ("question", "chan nuoi nong ho thi chuong nuoi phai tach biet voi noi o cua nguoi, dung hay sai",
     {L(56): 2, L(60): 1}),
    ("question", "Có phải mọi dòng, giống vật nuôi mới đều phải khảo nghiệm trước khi đưa ra sản xuất không?",
     {L(26): 2, L(30): 1, L(27): 1}),
    ("question", "khi nao thi phai kiem dinh dong giong vat nuoi", {L(28): 2, L(31): 1}),
    ("question", "Đơn vị nhập khẩu tinh, phôi bò lần thứ hai của cùng một cá thể giống thì sao, có phải nộp lại hồ sơ lên Bộ Nông nghiệp không?",
     {L(20): 2}),
    ("question", "ho chan nuoi chua ke khai thi co duoc ho tro thiet hai khi co dich benh khong",
     {L(57): 2, L(54): 1, L(4): 1}),
    ("question", "Ai công nhận vùng chăn nuôi an toàn dịch bệnh?", {L(8): 2}),
    ("question", "cho em hoi truoc day co vu mat ho so o phong hanh chinh chua, xu ly ra sao",
     {"bc-112-1998": 2, "ct-17-1993": 1}),
    ("question", "Kiểm kê kho thấy vật tư quá hạn sử dụng thì xử lý như thế nào?", {"bb-14-2009": 2}),
    ("question", "cong nhan quoc phong lam viec trong moi truong doc hai co duoc huong them phu cap khong",
     {"qd-305-2004": 2, "cv-276-2001": 1}),
    ("question", "Danh sách công nhân và mức phụ cấp độc hại gửi về đâu, hạn trước ngày nào?",
     {"cv-276-2001": 2, "qd-305-2004": 1}),
    ("question", "mua mua bao kho dan can kiem tra nhung gi", {"cv-845-2013": 2, "tb-102-2005": 1}),
    ("question", "Huấn luyện dân quân tự vệ gồm những nội dung gì?", {"qd-77-2016": 2, "kh-66-2020": 1}),
    ("question", "Kho vũ khí phải kiểm tra định kỳ độ ẩm, nhiệt độ là đúng hay sai?",
     {"qd-821-1987": 2, "qd-1180-2017": 1, "ct-17-1993": 1}),
    ("question", "muc tieu cua de an phat trien cong nghiep quoc phong giai doan 2016 2020 la gi",
     {"ttr-45-2015": 2, "nq-06-2011": 1}),
    ("question", "Kiểm tra công tác cải cách hành chính ở các cơ quan, đơn vị làm vào quý mấy vậy?",
     {"kh-212-2021": 2, "bc-19-2022": 1}),
    ("question", "Công nghiệp quốc phòng được xác định trở thành mũi nhọn của công nghiệp quốc gia, đúng hay sai?",
     {"nq-06-2011": 2, "nq-15-2019": 1}),
    ("question", "ngu gat trong ca truc thi bi xu ly the nao", {Q305: 2, CV418: 1}),
    ("question", "huan luyen an toan lao dong cho nhung ai", {"kh-47-2018": 2}),
]

# Each OCR'd document is printed, "scanned" and read back by Tesseract. The profiles span what
# an archive's old scans look like; all render Liberation Serif 13 pt (metric-compatible with
# Times New Roman, the font NĐ 30/2020 prescribes) at 300 dpi, then degrade the page:
# rotation, blur, resampling to the scan resolution, seeded grain, JPEG artefacts.
# Character error rates of Tesseract 5.3.0 + tessdata_fast `vie` on these eight documents,
# against their source text: photocopy 0.3-1.3 %, poor 4.5-6.8 %, fax 12.6 % (it also loses
# the last paragraph). On a short page the fax profile gave no text at all, which tests
# extraction rather than ranking, so the short documents use "poor".
SCAN_PROFILES = {  # name: (scan dpi, blur radius px, grain amplitude 0-255, JPEG quality)
    "photocopy": (150, 1.2, 50, 25),
    "poor": (100, 1.3, 60, 20),
    "fax": (100, 1.5, 70, 15),
}
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
PAGE_PX, MARGIN_PX, FONT_PT, RENDER_DPI = (2480, 3508), 240, 13, 300  # A4 at 300 dpi


def render_pages(text: str) -> list:
    """The text set on A4 pages (300 dpi, 8-bit grey), wrapped to the margins."""
    font = ImageFont.truetype(FONT, round(FONT_PT * RENDER_DPI / 72))
    width = PAGE_PX[0] - 2 * MARGIN_PX
    lines: list[str] = []
    for paragraph in text.rstrip("\n").split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and font.getlength(candidate) > width:
                lines.append(line)
                candidate = word
            line = candidate
        lines.append(line)
    step = round(FONT_PT * RENDER_DPI / 72 * 1.5)
    pages, y = [], PAGE_PX[1]
    for line in lines:
        if y + step > PAGE_PX[1] - MARGIN_PX:
            pages.append(Image.new("L", PAGE_PX, 255))
            draw, y = ImageDraw.Draw(pages[-1]), MARGIN_PX
        draw.text((MARGIN_PX, y), line, font=font, fill=0)
        y += step
    return pages


def scan(page, profile: str, rng: random.Random):
    """A poor scan of a rendered page, and its resolution. Every random choice comes from `rng`,
    so the same page gives the same scan on every run."""
    dpi, blur, grain, quality = SCAN_PROFILES[profile]
    image = page.rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    image = image.resize((PAGE_PX[0] * dpi // RENDER_DPI, PAGE_PX[1] * dpi // RENDER_DPI), Image.BILINEAR)
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    lighter = noise.point(lambda v: max(0, v - 128) * grain // 128)
    darker = noise.point(lambda v: max(0, 128 - v) * grain // 128)
    image = ImageChops.subtract(ImageChops.add(image, lighter), darker)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())), dpi


def ocr_scan(text: str, stem: str) -> str:
    """The text as archsearch's OCR stage reads a poor scan of it (real Tesseract output)."""
    rng = random.Random(f"quality-scan:{stem}")  # str seeds are hashed the same on every run
    pages = []
    for page in render_pages(text):
        image, dpi = scan(page, OCR_SCANNED[stem], rng)
        pages.append(ocr_image(image, ExtractLimits(), dpi=dpi).strip("\n"))
    return "\n\n".join(pages) + "\n"


def fold(text: str) -> str:
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d" if char == "đ" else "D")
        else:
            out.append(unicodedata.normalize("NFD", char)[0])
    return "".join(out)


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
    parser.add_argument("--keep-ocr", action="store_true",
                        help="reuse the OCR'd documents already in quality_data/ (no Tesseract or fonts needed)")
    args = parser.parse_args()
    kept_ocr = {stem: (OUT / "documents" / f"{stem}.txt").read_text(encoding="utf-8") for stem in OCR_SCANNED} \
        if args.keep_ocr else {}
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
    for stem, text in STRUCTURED_DOCS:
        texts[stem] = text
    for stem, text in sorted(texts.items()):
        if stem in OCR_SCANNED:
            text = kept_ocr[stem] if args.keep_ocr else ocr_scan(text, stem)
        (docs_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
    with open(OUT / "queries.jsonl", "w", encoding="utf-8") as out:
        number = 0
        rows = []
        for group, query, relevant in QUERIES:
            rows.append((group, query, relevant))
        for group, query, relevant in QUERIES:
            if group == "diacritics":
                rows.append(("no_diacritics", fold(query), relevant))
        rows += STAFF_OCR_QUERIES + QUESTION_QUERIES + CITATION_QUERIES + LATE_QUESTION_QUERIES
        rows += BLIND_QUESTION_QUERIES
        for group, query, relevant, *user in rows:
            missing = [d for d in relevant if d not in texts]
            if missing:
                raise SystemExit(f"query {query!r} judges unknown documents {missing}")
            number += 1
            row = {"id": f"q{number:03d}", "group": group, "query": query, "relevant": relevant}
            if user:  # the level of the user typing it; top-secret when absent
                row["user"] = user[0]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(texts)} documents ({len(OCR_SCANNED)} OCR'd scans), {number} queries -> {OUT}")


if __name__ == "__main__":
    main()
