"""Texts of the sample archive written for archsearch (all fictional).

`ADMIN_DOCS` holds the administrative documents of an imaginary defence-industry office, laid out
as Nghị định 30/2020/NĐ-CP prescribes; `LAW_ARTICLES` says which real articles of Luật Chăn nuôi
(32/2018/QH14, read from the shared corpus) go into the archive and in which format.
`scripts/make_sample_docs.py` turns both into files under `sample_docs/`.

Every name, number, place, quantity and event in ADMIN_DOCS is invented; none describes a real
document or person.

Fields of an ADMIN_DOCS entry:

    path        file path under sample_docs/ (its extension decides the container)
    fmt         pdf | scanned-pdf | mixed-pdf | png | tiff | docx | txt | html
    org         tên cơ quan lines, superior body first, issuing body last
    party       True for a Party document (ĐẢNG CỘNG SẢN VIỆT NAM, "Số 06-NQ/ĐU")
    number      số, ký hiệu as printed after "Số:" / "Số"
    place, date địa danh and ISO issue date
    kind        tên loại in capitals; None for a công văn
    subject     trích yếu ("Về việc ...", or "V/v ..." for a công văn)
    to          "Kính gửi" lines (công văn, tờ trình)
    authority   the issuing authority line under the trích yếu of a quyết định
    stamp       MẬT / TỐI MẬT / TUYỆT MẬT printed under the số (digital formats only)
    urgency     KHẨN / HỎA TỐC printed under the secrecy stamp
    body        nội dung, one paragraph per line; "# X" = centred bold line, "## X" = bold
                heading, "| a | b" = table row (DOCX renders a table, other formats a line)
    cc          nơi nhận items; signer = authority lines of the signature block; name = signer
    phrase      a phrase that occurs in this document and in no other sample document
    level       (where, spelling) of the declared classification: where is "sidecar" or
                "manifest"; None = not declared
    meta        declared metadata keys besides classification: "all", or a tuple of keys
                (with level None they go to a sidecar that declares no classification)
    compartments  declared compartments
    Optional:   layout ("columns" TXT, "table" DOCX header), encoding ("utf-8-sig", "cp1258"),
                newline, split (mixed-pdf: body paragraphs on page 1), script (HTML with script
                and style blocks), absent (phrases present only in those blocks), related
                (paths of sample documents on the same matter -- a follow-up, a reply, the
                same request for another store -- that `archsearch similar` must rank in its
                top 3, both ways; LAW_ARTICLES take it too)
"""

BQP = ["BỘ QUỐC PHÒNG"]
TCCNQP = ["BỘ QUỐC PHÒNG", "TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"]


def factory(name: str) -> list[str]:
    return ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", name]


ADMIN_DOCS: list[dict] = [
    # ------------------------------------------------------------------ scans
    dict(
        path="ban-scan/qd-821-1987.pdf", fmt="scanned-pdf",
        org=BQP, number="821/QĐ-BQP", place="Hà Nội", date="1987-06-08",
        kind="QUYẾT ĐỊNH",
        subject="Về việc thành lập Hội đồng kiểm kê kho đạn dược khu vực phía Bắc",
        authority="BỘ TRƯỞNG BỘ QUỐC PHÒNG",
        body="""
Căn cứ chức năng, nhiệm vụ, quyền hạn của Bộ Quốc phòng;
Căn cứ kết quả kiểm tra kỹ thuật đạn dược dự trữ năm 1986;
Xét đề nghị của Chủ nhiệm Tổng cục Hậu cần và Cục trưởng Cục Quân khí,
# QUYẾT ĐỊNH:
Điều 1. Thành lập Hội đồng kiểm kê kho đạn dược khu vực phía Bắc (sau đây gọi tắt là Hội đồng) gồm các đồng chí có tên trong danh sách kèm theo. Chủ tịch Hội đồng là đồng chí Cục trưởng Cục Quân khí.
Điều 2. Hội đồng có nhiệm vụ tổ chức kiểm kê toàn bộ số lượng, chủng loại và chất lượng đạn dược đang bảo quản tại các kho thuộc khu vực phía Bắc; phân loại cấp chất lượng, lập danh sách đạn quá niên hạn cần hủy; đề xuất biện pháp sửa chữa nhà kho, hệ thống chống sét và đường cơ động. Việc kiểm kê phải bảo đảm tuyệt đối an toàn, không để xảy ra cháy nổ, mất mát.
Điều 3. Thời gian kiểm kê từ ngày 15 tháng 6 đến ngày 30 tháng 9 năm 1987. Kết thúc kiểm kê, Hội đồng báo cáo Bộ trưởng kết quả và kiến nghị xử lý đối với từng kho, trong đó nêu rõ số lượng đạn pháo phải sấy lại thuốc phóng trước khi đưa trở lại kho.
Điều 4. Quyết định này có hiệu lực từ ngày ký. Chủ nhiệm Tổng cục Hậu cần, Cục trưởng Cục Quân khí, Thủ trưởng các đơn vị có kho đạn dược ở khu vực phía Bắc và các đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 4;", "Đ/c Tổng Tham mưu trưởng (để b/c);", "Lưu: VT, QK."],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], name="Trung tướng Đỗ Văn Nhạn",
        phrase="sấy lại thuốc phóng",
        level=("sidecar", "Mật"), meta="all",
    ),
    dict(
        path="ban-scan/ct-17-1993.pdf", fmt="scanned-pdf",
        org=TCCNQP, number="17/CT-TCCNQP", place="Hà Nội", date="1993-11-22",
        kind="CHỈ THỊ",
        subject="Về việc tăng cường phòng chống cháy nổ tại các kho thuốc phóng, thuốc nổ",
        body="""
Thời gian qua, các nhà máy, kho thuộc Tổng cục đã có nhiều cố gắng trong công tác bảo quản, vận chuyển và sử dụng thuốc phóng, thuốc nổ. Tuy nhiên, vẫn còn một số đơn vị chưa chấp hành nghiêm quy định về phòng chống cháy nổ: nhà kho xuống cấp, hệ thống chống sét không được kiểm tra định kỳ, cỏ dại quanh kho không được phát quang, việc ghi chép sổ sách xuất nhập còn sơ sài. Đặc biệt, trong quý III năm 1993 đã xảy ra một vụ cháy cỏ sát tường kho tại một đơn vị, được phát hiện và dập tắt kịp thời.
Để bảo đảm tuyệt đối an toàn cho người, vũ khí, trang bị và kho tàng, Chủ nhiệm Tổng cục chỉ thị:
1. Thủ trưởng các đơn vị trực tiếp chịu trách nhiệm về công tác phòng chống cháy nổ tại đơn vị mình. Mỗi kho phải có phương án chữa cháy được cấp trên phê duyệt, có lực lượng chữa cháy tại chỗ và tổ chức diễn tập ít nhất hai lần trong một năm.
2. Trước mùa mưa bão, kiểm tra toàn bộ hệ thống chống sét; đo điện trở nối đất, thay thế dây dẫn bị ăn mòn. Những kho nằm ở vùng đồi cao phải bổ sung cột thu sét độc lập, bảo đảm khoảng cách an toàn theo quy định.
3. Phát quang cỏ dại trong phạm vi năm mươi mét quanh kho; nạo vét rãnh thoát nước, gia cố tường và mái kho. Không được đun nấu, hút thuốc, sử dụng lửa trần trong khu vực kho; mọi trường hợp hàn cắt kim loại phải có giấy phép của Thủ trưởng đơn vị.
4. Thuốc phóng, thuốc nổ phải được sắp xếp theo từng lô, từng chủng loại; không để lẫn với kíp, ngòi nổ và các chất dễ cháy. Định kỳ hằng quý kiểm tra nhiệt độ, độ ẩm trong kho, ghi vào sổ theo dõi; lô nào có dấu hiệu phân hủy phải báo cáo ngay về Tổng cục để xử lý.
5. Việc vận chuyển thuốc phóng, thuốc nổ giữa các đơn vị phải có lệnh của cấp có thẩm quyền, có cán bộ áp tải, phương tiện đủ tiêu chuẩn và được che chắn cẩn thận.
6. Cục Kỹ thuật chủ trì, phối hợp với Phòng Quân lực tổ chức huấn luyện kiến thức phòng chống cháy nổ cho toàn bộ thủ kho, bảo vệ kho trước ngày 31 tháng 3 năm 1994; kiểm tra, sát hạch và chỉ giao nhiệm vụ cho những người đạt yêu cầu.
Nhận được Chỉ thị này, Thủ trưởng các cơ quan, đơn vị tổ chức quán triệt đến từng cán bộ, công nhân viên, xây dựng kế hoạch thực hiện cụ thể, báo cáo kết quả về Tổng cục (qua Cục Kỹ thuật) trước ngày 15 tháng 12 năm 1993.
""",
        cc=["Bộ trưởng (để b/c);", "Các nhà máy, kho trực thuộc;", "Các cơ quan Tổng cục;", "Lưu: VT, KT."],
        signer=["CHỦ NHIỆM TỔNG CỤC"], name="Thiếu tướng Hoàng Minh Trạch",
        phrase="cột thu sét độc lập",
        level=("manifest", "toi mat"), meta="all",
    ),
    dict(
        path="ban-scan/bc-112-1998.pdf", fmt="scanned-pdf",
        org=factory("NHÀ MÁY Z113"), number="112/BC-Z113", place="Tuyên Quang", date="1998-12-20",
        kind="BÁO CÁO",
        subject="Kết quả sản xuất quốc phòng năm 1998 và phương hướng nhiệm vụ năm 1999",
        body="""
## I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 1998
Năm 1998, Nhà máy được Tổng cục giao kế hoạch sản xuất sáu mặt hàng quốc phòng và ba mặt hàng kinh tế. Được sự chỉ đạo sát sao của Thủ trưởng Tổng cục, sự phối hợp của các cơ quan chức năng, Nhà máy đã hoàn thành toàn diện kế hoạch được giao, giá trị sản lượng đạt 104 phần trăm, tăng 9 phần trăm so với năm 1997.
Các mặt hàng quốc phòng đều được nghiệm thu đạt chất lượng, trong đó lô đạn cối được bắn thử đạt tỷ lệ nổ 100 phần trăm. Nhà máy đã làm chủ công nghệ nạp thuốc bằng phương pháp ép nóng, thay thế cho phương pháp nạp rót thủ công trước đây, giảm đáng kể thời gian và bảo đảm an toàn cho người lao động.
Công tác an toàn lao động được duy trì nghiêm; trong năm không để xảy ra tai nạn lao động nghiêm trọng.
Tồn tại: một số thiết bị gia công cơ khí đã quá cũ, độ chính xác thấp; việc cung ứng vật tư nhập khẩu có lúc chậm, ảnh hưởng đến tiến độ quý II.
## II. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 1999
1. Hoàn thành kế hoạch sản xuất quốc phòng Tổng cục giao với chất lượng cao, đúng tiến độ.
2. Đầu tư chiều sâu, thay thế một số máy công cụ đã hết niên hạn; đề nghị Tổng cục bố trí vốn cải tạo xưởng nạp.
""",
        cc=["Tổng cục CNQP (để b/c);", "Đảng ủy Nhà máy;", "Lưu: VT, KH."],
        signer=["GIÁM ĐỐC"], name="Đại tá Vũ Đình Hòe",
        phrase="phương pháp nạp rót thủ công",
        level=("sidecar", "TUYỆT MẬT"), meta="all",
    ),
    dict(
        path="ban-scan/qd-305-2004-trang-ky.pdf", fmt="mixed-pdf", split=6,
        org=TCCNQP, number="305/QĐ-TCCNQP", place="Hà Nội", date="2004-08-17",
        kind="QUYẾT ĐỊNH",
        subject="Về việc ban hành Quy định bảo quản vũ khí, trang bị kỹ thuật niêm cất dài hạn",
        authority="CHỦ NHIỆM TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG",
        body="""
Căn cứ Quyết định số 1245/QĐ-BQP ngày 12 tháng 7 năm 2001 của Bộ trưởng Bộ Quốc phòng quy định chức năng, nhiệm vụ, quyền hạn và tổ chức bộ máy của Tổng cục Công nghiệp quốc phòng;
Căn cứ Điều lệ công tác kỹ thuật Quân đội nhân dân Việt Nam;
Xét đề nghị của Cục trưởng Cục Kỹ thuật,
# QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy định bảo quản vũ khí, trang bị kỹ thuật niêm cất dài hạn tại các nhà máy, kho thuộc Tổng cục Công nghiệp quốc phòng.
Điều 2. Vũ khí, trang bị kỹ thuật đưa vào niêm cất dài hạn phải được kiểm tra, bảo dưỡng, đánh giá đạt cấp chất lượng từ cấp hai trở lên; có đủ lý lịch, sổ theo dõi kỹ thuật và được đăng ký vào danh mục niêm cất của đơn vị. Nhà kho niêm cất phải khô ráo, thông thoáng, có thiết bị đo nhiệt độ, độ ẩm và được kiểm tra định kỳ hằng tháng. Mọi trường hợp mở niêm cất trước thời hạn phải được Chủ nhiệm Tổng cục phê duyệt bằng văn bản.
Điều 3. Các chi tiết bằng kim loại sau khi làm sạch được phủ lớp dầu bảo quản, đặt chất hút ẩm và cho vào túi bọc màng nhôm hàn kín; trên mỗi kiện ghi rõ ngày niêm cất, người thực hiện và hạn kiểm tra tiếp theo. Định kỳ hai năm một lần, đơn vị mở kiểm tra xác suất không dưới năm phần trăm số kiện để đánh giá tình trạng bảo quản.
Điều 4. Quyết định này có hiệu lực kể từ ngày ký. Cục trưởng Cục Kỹ thuật, Chánh Văn phòng Tổng cục, Giám đốc các nhà máy, Chủ nhiệm các kho trực thuộc chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 4;", "Bộ Tổng Tham mưu (để b/c);", "Lưu: VT, KT."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Nguyễn Hữu Thanh",
        phrase="túi bọc màng nhôm hàn kín",
        level=("sidecar", "secret"), meta="all",
    ),
    dict(
        path="ban-scan/tb-48-1991.png", fmt="png",
        org=factory("NHÀ MÁY Z176"), number="48/TB-Z176", place="Hà Bắc", date="1991-10-05",
        kind="THÔNG BÁO",
        subject="Kết luận của Giám đốc tại hội nghị giao ban quý III năm 1991",
        body="""
Ngày 03 tháng 10 năm 1991, Giám đốc Nhà máy chủ trì hội nghị giao ban quý III. Tham dự có các đồng chí Phó Giám đốc, trưởng các phòng, ban và quản đốc các phân xưởng. Sau khi nghe báo cáo kết quả sản xuất và ý kiến của các đơn vị, Giám đốc kết luận như sau:
1. Quý III, Nhà máy cơ bản hoàn thành kế hoạch sản xuất, riêng phân xưởng cơ khí chậm tiến độ do thiếu phôi thép. Phòng Vật tư khẩn trương làm việc với các đơn vị cung ứng, bảo đảm đủ vật tư cho quý IV.
2. Các phân xưởng chấn chỉnh việc chấp hành nội quy lao động, nhất là giờ giấc làm việc và sử dụng bảo hộ lao động. Phòng Tổ chức lao động kiểm tra đột xuất ít nhất mỗi tháng một lần.
3. Phòng Hành chính - Hậu cần sửa chữa nhà ăn tập thể ca đêm, bảo đảm bữa ăn giữa ca đủ định lượng cho công nhân làm ba ca; hoàn thành trước ngày 30 tháng 10.
4. Chuẩn bị tổng kết năm: các đơn vị hoàn thành báo cáo gửi Phòng Kế hoạch trước ngày 10 tháng 12 năm 1991.
Văn phòng Nhà máy thông báo để các đơn vị biết và thực hiện.
""",
        cc=["Ban Giám đốc;", "Các phòng, phân xưởng;", "Lưu: VT."],
        signer=["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"], name="Trần Thị Lựu",
        phrase="nhà ăn tập thể ca đêm",
        level=("manifest", "Thường"), meta="all",
    ),
    dict(
        path="ban-scan/kh-09-1996.tif", fmt="tiff",
        org=TCCNQP, number="09/KH-TCCNQP", place="Hà Nội", date="1996-01-29",
        kind="KẾ HOẠCH",
        subject="Đào tạo công nhân kỹ thuật quốc phòng giai đoạn 1996 - 2000",
        body="""
## I. MỤC ĐÍCH, YÊU CẦU
1. Xây dựng đội ngũ công nhân kỹ thuật quốc phòng đủ về số lượng, hợp lý về cơ cấu ngành nghề, có tay nghề vững, đáp ứng yêu cầu sản xuất, sửa chữa vũ khí, trang bị trong tình hình mới.
2. Việc đào tạo phải gắn với quy hoạch sản xuất của từng nhà máy, kết hợp chặt chẽ giữa học lý thuyết và thực hành trên thiết bị thật; bảo đảm an toàn tuyệt đối trong quá trình học tập.
## II. CHỈ TIÊU VÀ HÌNH THỨC ĐÀO TẠO
1. Giai đoạn 1996 - 2000 đào tạo mới 1.200 công nhân, trong đó thợ tiện, phay, bào 40 phần trăm; thợ hàn, gò, rèn 20 phần trăm; thợ điện, điện tử 15 phần trăm; còn lại là các nghề hóa chất, nạp thuốc và kiểm nghiệm.
2. Bồi dưỡng nâng bậc cho khoảng 2.500 lượt công nhân đang làm việc; ưu tiên các nghề đặc thù khó tuyển dụng ngoài xã hội.
3. Hình thức đào tạo: tập trung tại Trường Công nhân kỹ thuật của Tổng cục; kèm cặp tại phân xưởng đối với các nghề có số lượng ít; gửi đào tạo tại các trường ngoài Quân đội đối với nghề điện tử. Năm 1996 mở thí điểm lớp thợ nguội dụng cụ gồm ba mươi học viên tại Nhà máy Z125.
## III. TỔ CHỨC THỰC HIỆN
1. Phòng Quân lực chủ trì xây dựng chỉ tiêu hằng năm, tổng hợp nhu cầu của các nhà máy, trình Chủ nhiệm Tổng cục phê duyệt trước ngày 30 tháng 11 hằng năm.
2. Cục Kỹ thuật biên soạn, thống nhất chương trình, giáo trình đào tạo các nghề đặc thù; tổ chức thi nâng bậc theo tiêu chuẩn cấp bậc kỹ thuật.
3. Phòng Tài chính bảo đảm kinh phí đào tạo từ nguồn ngân sách quốc phòng và quỹ phát triển sản xuất của các nhà máy.
4. Các nhà máy cử cán bộ kỹ thuật có kinh nghiệm tham gia giảng dạy, kèm cặp; bố trí việc làm cho học viên sau khi tốt nghiệp; định kỳ sáu tháng báo cáo kết quả về Tổng cục.
Kế hoạch này được triển khai từ năm 1996. Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Tổng cục (qua Phòng Quân lực) để xem xét, giải quyết.
""",
        cc=["Thủ trưởng Tổng cục;", "Các nhà máy, trường;", "Lưu: VT, QL."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Lê Quang Bình",
        phrase="lớp thợ nguội dụng cụ",
        level=("manifest", "confidential"), meta="all",
    ),
    dict(
        path="ban-scan/cv-276-2001.tif", fmt="tiff",
        org=factory("NHÀ MÁY Z121"), number="276/Z121-KT", place="Phú Thọ", date="2001-07-16",
        kind=None, subject="V/v sửa chữa hệ thống thông gió kho hóa chất",
        to=["Cục Kỹ thuật - Tổng cục Công nghiệp quốc phòng"],
        body="""
Thực hiện kế hoạch kỹ thuật năm 2001, ngày 05 tháng 7 năm 2001 Nhà máy đã tổ chức kiểm tra hệ thống thông gió của kho hóa chất số 2. Kết quả kiểm tra cho thấy: hai trong bốn quạt hút phòng nổ bị hỏng động cơ, đường ống thông gió bị ăn mòn nhiều đoạn, cửa chớp lấy gió không đóng kín được. Nồng độ hơi dung môi trong kho vào buổi trưa có lúc vượt giới hạn cho phép, tiềm ẩn nguy cơ cháy nổ và ảnh hưởng đến sức khỏe thủ kho.
Để bảo đảm an toàn, Nhà máy đã tạm thời chuyển một phần hóa chất dễ bay hơi sang kho dự phòng và tăng cường tuần tra, kiểm tra. Tuy nhiên, việc sửa chữa hệ thống thông gió vượt quá khả năng kinh phí thường xuyên của Nhà máy.
Nhà máy kính đề nghị Cục Kỹ thuật xem xét, bổ sung kinh phí sửa chữa hệ thống thông gió kho hóa chất số 2 với dự toán 185 triệu đồng (có dự toán chi tiết kèm theo), để Nhà máy kịp thời thi công trước mùa mưa bão.
Nhà máy kính đề nghị Cục quan tâm, giải quyết.
""",
        cc=["Như trên;", "Phòng Kỹ thuật;", "Lưu: VT, KT."],
        signer=["GIÁM ĐỐC"], name="Đại tá Phan Văn Tường",
        phrase="quạt hút phòng nổ",
        level=("sidecar", "mat"), meta=("title",),
    ),
    # ------------------------------------------------------------------ digital PDF
    dict(
        path="quyet-dinh/qd-1563-2012.pdf", fmt="pdf",
        org=BQP, number="1563/QĐ-BQP", place="Hà Nội", date="2012-05-14",
        kind="QUYẾT ĐỊNH", stamp="TỐI MẬT",
        subject="Về việc phê duyệt Đề án nâng cấp dây chuyền luyện, đúc thép tại Nhà máy Z117",
        authority="BỘ TRƯỞNG BỘ QUỐC PHÒNG",
        body="""
Căn cứ Nghị định số 104/2008/NĐ-CP ngày 16 tháng 9 năm 2008 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Quốc phòng;
Căn cứ Quyết định số 2290/QĐ-BQP ngày 25 tháng 6 năm 2010 của Bộ trưởng Bộ Quốc phòng phê duyệt quy hoạch phát triển công nghiệp quốc phòng giai đoạn 2011 - 2020;
Xét đề nghị của Chủ nhiệm Tổng cục Công nghiệp quốc phòng tại Tờ trình số 412/TTr-TCCNQP ngày 02 tháng 4 năm 2012,
# QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án nâng cấp dây chuyền luyện, đúc thép tại Nhà máy Z117 với các nội dung chủ yếu sau:
1. Mục tiêu: nâng cao năng lực luyện thép chất lượng cao, làm chủ công nghệ chế tạo phôi cho các sản phẩm nòng súng, chi tiết chịu lực của vũ khí bộ binh; giảm tỷ lệ phế phẩm xuống dưới ba phần trăm; từng bước thay thế phôi nhập khẩu.
2. Quy mô: đầu tư mới một lò điện cảm ứng trung tần dung lượng hai tấn, một lò tinh luyện ngoài lò, hệ thống khử khí chân không và dây chuyền đúc phôi thép hợp kim theo phương pháp rót đáy; cải tạo nhà xưởng hiện có với diện tích khoảng 3.600 mét vuông.
3. Sản phẩm: phôi thép hợp kim crôm - niken - môlipđen các mác theo yêu cầu của Tổng cục; công suất thiết kế 1.500 tấn mỗi năm.
4. Tổng mức đầu tư dự kiến: 318 tỷ đồng, từ nguồn ngân sách quốc phòng đầu tư cho công nghiệp quốc phòng và nguồn vốn khấu hao của Nhà máy.
5. Thời gian thực hiện: từ năm 2012 đến năm 2015.
Điều 2. Tổ chức thực hiện
1. Tổng cục Công nghiệp quốc phòng là cơ quan chủ quản, chỉ đạo Nhà máy Z117 lập dự án đầu tư theo đúng quy định; tổ chức thẩm định thiết kế công nghệ và giám sát chất lượng lắp đặt, chạy thử.
2. Cục Kế hoạch và Đầu tư, Cục Tài chính bố trí vốn theo tiến độ được duyệt, hướng dẫn thủ tục thanh toán, quyết toán.
3. Cục Bảo vệ an ninh Quân đội hướng dẫn, kiểm tra công tác bảo mật trong quá trình chuyển giao công nghệ và làm việc với đối tác nước ngoài.
4. Nhà máy Z117 xây dựng kế hoạch đào tạo đội ngũ kỹ sư luyện kim, công nhân vận hành; bảo đảm an toàn lao động, phòng chống cháy nổ và bảo vệ môi trường trong suốt quá trình thi công.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Tổng Tham mưu trưởng, Chủ nhiệm Tổng cục Công nghiệp quốc phòng, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Các đồng chí Thứ trưởng;", "Cục Kế hoạch và Đầu tư;", "Cục Tài chính;", "Lưu: VT, KHĐT. Th12."],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], name="Thượng tướng Lương Văn Kiên",
        phrase="đúc phôi thép hợp kim",
        level=None,
    ),
    dict(
        path="quyet-dinh/qd-4170-2020.pdf", fmt="pdf",
        org=BQP, number="4170/QĐ-BQP", place="Hà Nội", date="2020-10-27",
        kind="QUYẾT ĐỊNH",
        subject="Về việc ban hành Kế hoạch chuyển đổi số trong công tác văn thư, lưu trữ giai đoạn 2021 - 2025",
        authority="BỘ TRƯỞNG BỘ QUỐC PHÒNG",
        body="""
Căn cứ Nghị định số 164/2017/NĐ-CP ngày 30 tháng 12 năm 2017 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Quốc phòng;
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;
Theo đề nghị của Chánh Văn phòng Bộ Quốc phòng,
# QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số trong công tác văn thư, lưu trữ của Bộ Quốc phòng giai đoạn 2021 - 2025, với các nội dung chính sau đây:
1. Đến năm 2022, 100 phần trăm cơ quan, đơn vị đầu mối trực thuộc Bộ gửi, nhận văn bản điện tử không chứa bí mật nhà nước qua hệ thống quản lý văn bản và điều hành; sử dụng chữ ký số chuyên dùng trong ký ban hành văn bản.
2. Đến năm 2025, hoàn thành số hóa hồ sơ giấy tồn đọng tại lưu trữ cơ quan của các cục, tổng cục; xây dựng cơ sở dữ liệu tài liệu lưu trữ có khả năng tra cứu toàn văn bằng tiếng Việt.
3. Bảo đảm tách biệt tuyệt đối giữa mạng truyền số liệu quân sự và mạng Internet; tài liệu mật chỉ được số hóa, lưu trữ trên hệ thống đã được cấp có thẩm quyền kiểm định an toàn thông tin.
4. Đào tạo, bồi dưỡng kỹ năng số cho đội ngũ nhân viên văn thư, lưu trữ; mỗi cơ quan, đơn vị có ít nhất một cán bộ được cấp chứng chỉ quản trị hệ thống.
Điều 2. Văn phòng Bộ Quốc phòng chủ trì, phối hợp với Bộ Tư lệnh Tác chiến không gian mạng, Cục Tài chính hướng dẫn, kiểm tra, đôn đốc việc thực hiện Kế hoạch; hằng năm tổng hợp, báo cáo Bộ trưởng kết quả thực hiện.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Tổng Tham mưu trưởng, Chủ nhiệm Tổng cục Chính trị, Thủ trưởng các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Các đồng chí Thứ trưởng;", "Lưu: VT, VP. Nh25."],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], name="Thượng tướng Hồ Sĩ Mẫn",
        phrase="hồ sơ giấy tồn đọng",
        level=None,
    ),
    dict(
        path="van-ban-khac/tt-15-2017.pdf", fmt="pdf",
        org=BQP, number="15/2017/TT-BQP", place="Hà Nội", date="2017-06-19",
        kind="THÔNG TƯ",
        subject="Quy định bảo đảm an toàn lao động trong các cơ sở sản xuất, sửa chữa thuộc công nghiệp quốc phòng",
        body="""
Căn cứ Luật An toàn, vệ sinh lao động ngày 25 tháng 6 năm 2015;
Căn cứ Nghị định số 35/2013/NĐ-CP ngày 22 tháng 4 năm 2013 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Quốc phòng;
Theo đề nghị của Chủ nhiệm Tổng cục Công nghiệp quốc phòng;
Bộ trưởng Bộ Quốc phòng ban hành Thông tư quy định bảo đảm an toàn lao động trong các cơ sở sản xuất, sửa chữa thuộc công nghiệp quốc phòng.
# Chương I
# QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Thông tư này quy định các biện pháp bảo đảm an toàn lao động, trách nhiệm của cơ quan, đơn vị và người lao động trong các cơ sở sản xuất, sửa chữa vũ khí, trang bị kỹ thuật thuộc công nghiệp quốc phòng.
Điều 2. Đối tượng áp dụng
Thông tư này áp dụng đối với các nhà máy, công ty, xưởng sửa chữa thuộc Bộ Quốc phòng và cán bộ, công nhân viên, người lao động làm việc tại các cơ sở đó.
# Chương II
# BIỆN PHÁP BẢO ĐẢM AN TOÀN
Điều 3. Huấn luyện an toàn lao động
Người lao động phải được huấn luyện, kiểm tra đạt yêu cầu về an toàn lao động trước khi bố trí công việc; người làm công việc có yêu cầu nghiêm ngặt được huấn luyện lại ít nhất hai năm một lần.
Điều 4. Thiết bị có yêu cầu nghiêm ngặt
1. Nồi hơi, bình chịu áp lực, cầu trục xưởng nhiệt luyện, thang máy và các thiết bị nâng khác phải được kiểm định trước khi đưa vào sử dụng và kiểm định định kỳ theo quy định.
2. Thiết bị quá hạn kiểm định hoặc không đạt yêu cầu phải dừng vận hành, treo biển cấm sử dụng và báo cáo ngay Thủ trưởng cơ sở.
Điều 5. Khu vực sản xuất có nguy cơ cháy nổ
1. Khu vực nạp thuốc, lắp ráp đạn, kho trung gian phải có nội quy, biển báo, phương tiện chữa cháy tại chỗ và giới hạn số người làm việc đồng thời.
2. Người không có nhiệm vụ không được vào khu vực sản xuất có nguy cơ cháy nổ; người vào khu vực phải để lại vật dụng phát lửa, điện thoại di động tại phòng gửi đồ.
# Chương III
# TỔ CHỨC THỰC HIỆN
Điều 6. Trách nhiệm thi hành
1. Tổng cục Công nghiệp quốc phòng chủ trì hướng dẫn, kiểm tra việc thực hiện Thông tư này.
2. Thông tư này có hiệu lực thi hành kể từ ngày 05 tháng 8 năm 2017. Chủ nhiệm Tổng cục Công nghiệp quốc phòng, Thủ trưởng các cơ quan, đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành Thông tư này.
""",
        cc=["Các đồng chí Thứ trưởng;", "Các cơ quan, đơn vị thuộc Bộ;", "Cục Kiểm tra văn bản QPPL, Bộ Tư pháp;",
            "Công báo, Cổng TTĐT Chính phủ;", "Lưu: VT, PC. N145."],
        signer=["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"], name="Thượng tướng Bùi Văn Tịnh",
        phrase="cầu trục xưởng nhiệt luyện",
        level=("sidecar", "unclassified"), meta="all",
    ),
    dict(
        path="bao-cao/bc-87-2019.pdf", fmt="pdf",
        org=TCCNQP, number="87/BC-TCCNQP", place="Hà Nội", date="2019-12-05",
        kind="BÁO CÁO", stamp="MẬT",
        subject="Sơ kết ba năm thực hiện cải cách hành chính giai đoạn 2017 - 2019",
        body="""
## I. KẾT QUẢ THỰC HIỆN
1. Về cải cách thể chế: Tổng cục đã rà soát 146 văn bản quản lý nội bộ, đề nghị bãi bỏ 23 văn bản không còn phù hợp, sửa đổi 31 văn bản; ban hành mới quy chế làm việc của cơ quan Tổng cục theo hướng rõ người, rõ việc, rõ trách nhiệm.
2. Về cải cách thủ tục hành chính: thực hiện cơ chế một cửa liên thông nội bộ đối với các thủ tục thẩm định kế hoạch sản xuất, cấp phép vận chuyển vật liệu nổ công nghiệp và phê duyệt dự toán sửa chữa; thời gian giải quyết bình quân giảm từ 22 ngày xuống còn 12 ngày làm việc.
3. Về tổ chức bộ máy: thực hiện sắp xếp, giảm 02 phòng thuộc cục, 05 ban thuộc phòng; tinh giản 7,5 phần trăm biên chế cơ quan theo lộ trình của Bộ.
4. Về hiện đại hóa hành chính: 100 phần trăm văn bản không mật được gửi, nhận qua mạng truyền số liệu quân sự; đưa vào sử dụng phần mềm quản lý hồ sơ công việc tại cơ quan Tổng cục.
## II. HẠN CHẾ, NGUYÊN NHÂN
Một số cơ quan còn nặng về văn bản giấy; việc cập nhật cơ sở dữ liệu chưa kịp thời; hạ tầng công nghệ thông tin của một số nhà máy ở xa chưa đồng bộ. Nguyên nhân chủ yếu là nhận thức của một bộ phận cán bộ chưa đầy đủ, kinh phí đầu tư còn hạn chế.
## III. PHƯƠNG HƯỚNG GIAI ĐOẠN TIẾP THEO
1. Tiếp tục đơn giản hóa thủ tục nội bộ, phấn đấu giải quyết 80 phần trăm hồ sơ trên môi trường mạng.
2. Đẩy mạnh ứng dụng chữ ký số; hoàn thiện cơ sở dữ liệu cán bộ, công nhân viên quốc phòng.
3. Gắn kết quả cải cách hành chính với bình xét thi đua hằng năm của cơ quan, đơn vị.
""",
        cc=["Bộ Quốc phòng (qua Văn phòng Bộ);", "Thủ trưởng Tổng cục;", "Lưu: VT, VP."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Trung tướng Đào Xuân Kiên",
        phrase="một cửa liên thông nội bộ",
        level=None,
    ),
    dict(
        path="ke-hoach/kh-212-2023.pdf", fmt="pdf",
        org=factory("NHÀ MÁY Z113"), number="212/KH-Z113", place="Tuyên Quang", date="2023-11-28",
        kind="KẾ HOẠCH", stamp="TỐI MẬT",
        subject="Sản xuất đạn huấn luyện năm 2024",
        body="""
Thực hiện Quyết định số 1988/QĐ-TCCNQP ngày 10 tháng 11 năm 2023 của Chủ nhiệm Tổng cục Công nghiệp quốc phòng về giao kế hoạch sản xuất quốc phòng năm 2024, Nhà máy xây dựng kế hoạch sản xuất đạn huấn luyện năm 2024 như sau:
## I. MỤC ĐÍCH, YÊU CẦU
Hoàn thành đủ số lượng, bảo đảm chất lượng, đúng tiến độ giao nộp; tuyệt đối an toàn về người, tài sản; giữ bí mật số lượng, chủng loại sản phẩm.
## II. NỘI DUNG
1. Sản lượng: sản xuất các loại đạn huấn luyện theo danh mục Tổng cục giao, chia đều cho bốn quý, trong đó quý I đạt tối thiểu 20 phần trăm kế hoạch năm.
2. Công nghệ: phân xưởng A2 chịu trách nhiệm dập vuốt vỏ liều đồng thau và ủ trung gian; phân xưởng A5 nạp, lắp ráp và đóng hòm; phòng Kiểm tra chất lượng kiểm tra từng lô theo tiêu chuẩn quân sự.
3. Vật tư: phòng Vật tư ký hợp đồng mua đồng lá, thuốc phóng và hạt lửa trước ngày 15 tháng 01 năm 2024; dự trữ tối thiểu đủ cho ba tháng sản xuất.
4. An toàn: trước mỗi ca sản xuất, quản đốc phân xưởng kiểm tra thiết bị, phương tiện phòng cháy; giới hạn lượng thuốc tại vị trí nạp không vượt định mức.
## III. TỔ CHỨC THỰC HIỆN
1. Phòng Kế hoạch - Điều độ theo dõi, đôn đốc tiến độ, báo cáo Giám đốc hằng tuần.
2. Phòng Kỹ thuật - Công nghệ hoàn thiện quy trình, hướng dẫn công nhân mới; phòng Tài chính bảo đảm vốn lưu động.
3. Các phân xưởng tổ chức sản xuất theo ca, thực hiện nghiêm chế độ giao nhận, niêm phong bán thành phẩm cuối ca.
""",
        cc=["Tổng cục CNQP (để b/c);", "Ban Giám đốc;", "Các phòng, phân xưởng;", "Lưu: VT, KH. Đ10."],
        signer=["GIÁM ĐỐC"], name="Đại tá Ngô Thanh Hải",
        phrase="dập vuốt vỏ liều đồng thau",
        level=("sidecar", "confidential"), meta="all",
    ),
    dict(
        path="nghi-quyet/nq-06-2015.pdf", fmt="pdf", party=True,
        org=["ĐẢNG BỘ QUÂN ĐỘI", "ĐẢNG ỦY TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"],
        number="06-NQ/ĐU", place="Hà Nội", date="2015-03-12",
        kind="NGHỊ QUYẾT",
        subject="Về lãnh đạo nâng cao năng lực nghiên cứu, chế tạo vật liệu nổ giai đoạn 2015 - 2020",
        body="""
## I. TÌNH HÌNH
Những năm qua, dưới sự lãnh đạo của Đảng ủy Tổng cục, các cơ sở nghiên cứu, sản xuất đã chế tạo thành công nhiều loại thuốc phóng, thuốc nổ phục vụ quốc phòng và kinh tế. Tuy nhiên, năng lực nghiên cứu còn phân tán, trang thiết bị thử nghiệm lạc hậu, một số nguyên liệu chính vẫn phụ thuộc nhập khẩu; đội ngũ chuyên gia đầu ngành thiếu hụt.
## II. MỤC TIÊU
Đến năm 2020, làm chủ công nghệ sản xuất các loại thuốc phóng, thuốc nổ trang bị chủ yếu; nghiên cứu thành công ít nhất hai loại thuốc nổ thế hệ mới có độ an toàn cao; tự chủ từ 70 phần trăm trở lên nguyên liệu đầu vào.
## III. NHIỆM VỤ, GIẢI PHÁP
1. Các cấp ủy, tổ chức đảng quán triệt sâu sắc vị trí, vai trò của vật liệu nổ đối với sức mạnh chiến đấu của Quân đội; đưa nhiệm vụ nghiên cứu vào nghị quyết lãnh đạo hằng năm.
2. Tập trung đầu tư phòng thí nghiệm trọng điểm, trường thử nghiệm; ưu tiên kinh phí cho các đề tài có khả năng ứng dụng ngay vào sản xuất.
3. Xây dựng cơ chế thu hút, đãi ngộ chuyên gia; cử cán bộ trẻ đi đào tạo sau đại học ở trong và ngoài nước.
4. Tăng cường hợp tác với các viện nghiên cứu, trường đại học; giữ vững nguyên tắc bảo mật trong mọi hoạt động hợp tác.
5. Thực hiện nghiêm quy định về an toàn trong nghiên cứu, thử nghiệm; không để xảy ra sự cố nghiêm trọng.
## IV. TỔ CHỨC THỰC HIỆN
Ban Thường vụ Đảng ủy Tổng cục chỉ đạo xây dựng chương trình hành động; các đảng ủy trực thuộc cụ thể hóa bằng kế hoạch của cấp mình; hằng năm sơ kết, báo cáo Đảng ủy Tổng cục.
""",
        cc=["Thường vụ Quân ủy Trung ương (để b/c);", "Các đảng ủy trực thuộc;", "Lưu: VT, VPĐU."],
        signer=["T/M ĐẢNG ỦY", "BÍ THƯ"], name="Trung tướng Phùng Văn Đạt",
        phrase="thuốc nổ thế hệ mới",
        level=("manifest", "TỐI MẬT"), meta="all",
    ),
    dict(
        path="van-ban-khac/tb-35-2022.pdf", fmt="pdf",
        org=["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "VĂN PHÒNG"], number="35/TB-VP",
        place="Hà Nội", date="2022-04-11",
        kind="THÔNG BÁO", stamp="MẬT", urgency="KHẨN",
        subject="Kết luận của Phó Chủ nhiệm Tổng cục tại buổi kiểm tra công tác phòng cháy, chữa cháy kho K28",
        body="""
Ngày 07 tháng 4 năm 2022, đồng chí Phó Chủ nhiệm Tổng cục Công nghiệp quốc phòng dẫn đầu đoàn công tác kiểm tra công tác phòng cháy, chữa cháy tại kho K28. Sau khi nghe báo cáo, kiểm tra thực tế khu kỹ thuật, nhà kho và lực lượng chữa cháy tại chỗ, đồng chí Phó Chủ nhiệm Tổng cục kết luận:
1. Kho K28 đã duy trì nghiêm chế độ canh gác, tuần tra; hồ sơ phòng cháy, chữa cháy tương đối đầy đủ; lực lượng chữa cháy tại chỗ thao tác thuần thục khi diễn tập tình huống cháy nhà kho số 3.
2. Tồn tại: bể nước chữa cháy số 2 bị rò rỉ, mực nước thấp hơn quy định; một số bình chữa cháy quá hạn nạp; đường vành đai phòng cháy phía Tây chưa được phát dọn; chưa có lăng phun nước di động cho khu nhà kho mới xây dựng.
3. Yêu cầu: kho K28 khắc phục ngay các tồn tại nêu trên, hoàn thành trước ngày 30 tháng 4 năm 2022; bổ sung phương án chữa cháy cho khu nhà kho mới, trình Tổng cục phê duyệt; tổ chức diễn tập phối hợp với lực lượng cảnh sát phòng cháy, chữa cháy địa phương trong quý II.
4. Cục Kỹ thuật bố trí kinh phí sửa chữa bể nước, mua sắm bổ sung phương tiện chữa cháy; Phòng Quân lực kiểm tra kết quả khắc phục và báo cáo Thủ trưởng Tổng cục.
Văn phòng Tổng cục thông báo để các cơ quan, đơn vị biết, thực hiện.
""",
        cc=["Thủ trưởng Tổng cục (để b/c);", "Cục Kỹ thuật, Phòng Quân lực;", "Kho K28;", "Lưu: VT, TH."],
        signer=["TL. CHỦ NHIỆM", "CHÁNH VĂN PHÒNG"], name="Đại tá Trịnh Văn Hưng",
        phrase="lăng phun nước di động",
        level=None,
    ),
    dict(
        path="bao-cao/bc-19-2025.pdf", fmt="pdf",
        org=TCCNQP, number="19/BC-TCCNQP", place="Hà Nội", date="2025-02-14",
        kind="BÁO CÁO",
        subject="Kết quả rà soát, đề xuất giải mật hồ sơ thiết kế sản phẩm quốc phòng năm 2024",
        body="""
Thực hiện Luật Bảo vệ bí mật nhà nước và Kế hoạch rà soát tài liệu mật năm 2024 của Bộ Quốc phòng, Tổng cục đã thành lập Hội đồng rà soát, xác định độ mật và giải mật tài liệu lưu trữ. Kết quả như sau:
## I. KẾT QUẢ RÀ SOÁT
1. Tổng số hồ sơ đã rà soát: 2.364 hồ sơ thiết kế, công nghệ sản phẩm quốc phòng hình thành từ năm 1975 đến năm 1994, đang bảo quản tại Lưu trữ cơ quan Tổng cục và lưu trữ của 09 nhà máy.
2. Đề nghị giải mật 612 hồ sơ của các sản phẩm đã loại khỏi trang bị, công nghệ đã được công bố hoặc không còn giá trị bảo mật, trong đó có toàn bộ bản vẽ ngòi đạn cối thế hệ cũ và quy trình sản xuất một số loại kíp điện.
3. Đề nghị giữ nguyên độ mật đối với 1.591 hồ sơ liên quan đến sản phẩm đang trang bị; đề nghị nâng độ mật đối với 161 hồ sơ có liên quan đến công nghệ lõi đang tiếp tục phát triển.
## II. ĐÁNH GIÁ
Việc rà soát được thực hiện chặt chẽ, đúng quy trình; mỗi hồ sơ đều có ý kiến của cơ quan chuyên môn và được Hội đồng biểu quyết. Tuy nhiên, nhiều hồ sơ hình thành trước năm 1990 thiếu thông tin về độ mật ban đầu, chất lượng giấy xuống cấp, phải số hóa trước khi đưa ra khai thác.
## III. KIẾN NGHỊ
1. Đề nghị Bộ Quốc phòng phê duyệt danh mục hồ sơ đề nghị giải mật kèm theo báo cáo này.
2. Cho phép Tổng cục chuyển các hồ sơ sau khi giải mật vào kho lưu trữ thường, phục vụ nghiên cứu lịch sử ngành.
3. Bố trí kinh phí tu bổ, số hóa hồ sơ giấy xuống cấp trong năm 2025.
""",
        cc=["Bộ Quốc phòng (để b/c);", "Cục Bảo vệ an ninh Quân đội;", "Lưu: VT, HĐGM. 03b."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Mai Xuân Thủy",
        phrase="bản vẽ ngòi đạn cối",
        level=("sidecar", "Tuyệt mật"), meta="all", compartments=["CNQP-A"],
    ),
    dict(
        path="van-ban-khac/ttr-58-2021.pdf", fmt="pdf",
        org=TCCNQP, number="58/TTr-TCCNQP", place="Hà Nội", date="2021-09-23",
        kind="TỜ TRÌNH",
        subject="Về việc đề nghị phê duyệt chủ trương đầu tư xây dựng kho vật liệu nổ tại Nhà máy Z131",
        to=["Bộ trưởng Bộ Quốc phòng"],
        body="""
## I. SỰ CẦN THIẾT ĐẦU TƯ
Kho vật liệu nổ hiện có của Nhà máy Z131 được xây dựng từ năm 1978, kết cấu tường gạch, mái ngói, đã xuống cấp nghiêm trọng; khoảng cách an toàn đến khu dân cư mới hình thành không còn bảo đảm theo quy chuẩn kỹ thuật quốc gia. Việc tiếp tục sử dụng kho tiềm ẩn nguy cơ mất an toàn, ảnh hưởng đến nhiệm vụ sản xuất quốc phòng.
## II. NỘI DUNG ĐỀ NGHỊ
1. Địa điểm: khu đồi phía Bắc Nhà máy, cách khu dân cư gần nhất trên 1.200 mét.
2. Quy mô: xây dựng mới 04 nhà kho bán ngầm sức chứa mỗi nhà 20 tấn, có tường chắn đất hình móng ngựa bao quanh; hệ thống chống sét, chống tĩnh điện, camera giám sát và đường cơ động nội bộ.
3. Tổng mức đầu tư dự kiến: 96,5 tỷ đồng từ nguồn ngân sách quốc phòng.
4. Thời gian thực hiện: năm 2022 - 2024.
5. Phương án xử lý kho cũ: sau khi kho mới đưa vào sử dụng, tháo dỡ, xử lý đất nhiễm và bàn giao mặt bằng cho địa phương theo quy định.
## III. KIẾN NGHỊ
Tổng cục Công nghiệp quốc phòng kính trình Bộ trưởng xem xét, phê duyệt chủ trương đầu tư; giao Tổng cục chỉ đạo Nhà máy Z131 lập báo cáo nghiên cứu khả thi, trình thẩm định theo quy định.
""",
        cc=["Như trên;", "Cục Kế hoạch và Đầu tư/BQP;", "Lưu: VT, KHĐT."],
        signer=["CHỦ NHIỆM"], name="Trung tướng Lê Hồng Quân",
        phrase="tường chắn đất hình móng ngựa",
        level=("manifest", "secret"), meta="all",
    ),
    dict(
        path="quyet-dinh/qd-2710-2008.pdf", fmt="pdf",
        related=["ban-scan/kh-09-1996.tif"],
        org=TCCNQP, number="2710/QĐ-TCCNQP", place="Hà Nội", date="2008-12-30",
        kind="QUYẾT ĐỊNH",
        subject="Về việc giao chỉ tiêu đào tạo thợ bậc cao năm 2009",
        authority="CHỦ NHIỆM TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG",
        body="""
Căn cứ chức năng, nhiệm vụ, quyền hạn của Tổng cục Công nghiệp quốc phòng;
Căn cứ Kế hoạch đào tạo nguồn nhân lực công nghiệp quốc phòng giai đoạn 2006 - 2010;
Xét đề nghị của Trưởng phòng Quân lực,
# QUYẾT ĐỊNH:
Điều 1. Giao chỉ tiêu đào tạo thợ bậc cao năm 2009 cho các nhà máy, trường trực thuộc Tổng cục với tổng số 420 học viên, gồm: thợ tiện điều khiển số 120 học viên; thợ phay vạn năng bậc cao 90 học viên; thợ hàn áp lực 60 học viên; thợ điện tử công nghiệp 80 học viên; thợ sửa chữa quang học 70 học viên. Chỉ tiêu cụ thể của từng đơn vị theo phụ lục kèm theo.
Điều 2. Trường Cao đẳng nghề số 18 chủ trì tổ chức đào tạo tập trung; các nhà máy cử học viên đúng đối tượng, có trình độ tay nghề từ bậc 4/7 trở lên, có thời gian công tác liên tục từ năm năm trở lên và cam kết phục vụ lâu dài tại đơn vị sau khi đào tạo. Kinh phí đào tạo bảo đảm từ ngân sách quốc phòng năm 2009 theo định mức hiện hành.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Trưởng phòng Quân lực, Trưởng phòng Tài chính, Giám đốc các nhà máy, Hiệu trưởng Trường Cao đẳng nghề số 18 chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Lưu: VT, QL."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Cao Văn Định",
        phrase="thợ phay vạn năng bậc cao",
        level=("sidecar", "Confidential"), meta=("doc_number", "date"),
    ),
    # ------------------------------------------------------------------ DOCX
    dict(
        path="cong-van/cv-1234-2019.docx", fmt="docx", layout="table",
        org=TCCNQP, number="1234/TCCNQP-KH", place="Hà Nội", date="2019-08-20",
        kind=None, stamp="MẬT",
        subject="V/v đăng ký nhu cầu vật tư nhập khẩu năm 2020",
        to=["Các nhà máy trực thuộc Tổng cục"],
        body="""
Để chủ động xây dựng kế hoạch nhập khẩu vật tư phục vụ sản xuất quốc phòng năm 2020, Tổng cục Công nghiệp quốc phòng yêu cầu các nhà máy thực hiện một số nội dung sau:
1. Rà soát nhu cầu vật tư chiến lược, vật tư trong nước chưa sản xuất được hoặc chưa đạt chất lượng, lập bảng đăng ký theo mẫu dưới đây; ghi rõ mác vật liệu, tiêu chuẩn kỹ thuật, số lượng, thời gian cần có tại nhà máy.
| TT | Tên vật tư | Đơn vị tính | Số lượng | Thời gian cần
| 1 | Thép ống không hàn mác 30CrMnSi | tấn | 120 | Quý I/2020
| 2 | Đồng lá H68 | tấn | 80 | Quý II/2020
| 3 | Vòng bi chịu nhiệt | bộ | 600 | Quý III/2020
2. Đối với thép làm khuôn dập nóng và các loại hợp kim đặc chủng, nhà máy gửi kèm kết quả phân tích mẫu của lô nhập gần nhất để làm cơ sở đánh giá nhà cung cấp.
3. Nhu cầu đăng ký phải sát với kế hoạch sản xuất năm 2020, không đăng ký vượt định mức tiêu hao đã được phê duyệt; trường hợp phát sinh ngoài kế hoạch phải có giải trình cụ thể.
4. Văn bản đăng ký do Giám đốc nhà máy ký, đóng dấu, gửi về Tổng cục (qua Phòng Kế hoạch) trước ngày 20 tháng 9 năm 2019, đồng thời gửi bản điện tử qua mạng truyền số liệu quân sự, không gửi qua thư điện tử công cộng.
Quá thời hạn trên, đơn vị nào không đăng ký coi như không có nhu cầu và tự chịu trách nhiệm về việc bảo đảm vật tư cho sản xuất.
""",
        cc=["Như trên;", "Thủ trưởng Tổng cục (để b/c);", "Cục Tài chính;", "Lưu: VT, KH. T06."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Tạ Quốc Toản",
        phrase="thép làm khuôn dập nóng",
        level=None,
    ),
    dict(
        path="quyet-dinh/qd-389-2016.docx", fmt="docx",
        org=factory("NHÀ MÁY Z117"), number="389/QĐ-Z117", place="Thái Nguyên", date="2016-05-09",
        kind="QUYẾT ĐỊNH",
        subject="Về việc ban hành Quy trình an toàn vận hành lò nhiệt luyện",
        authority="GIÁM ĐỐC NHÀ MÁY Z117",
        body="""
Căn cứ Quyết định số 95/QĐ-TCCNQP ngày 18 tháng 01 năm 2011 của Chủ nhiệm Tổng cục Công nghiệp quốc phòng quy định chức năng, nhiệm vụ của Nhà máy Z117;
Căn cứ Luật An toàn, vệ sinh lao động năm 2015;
Xét đề nghị của Trưởng phòng Kỹ thuật - Công nghệ,
# QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy trình an toàn vận hành lò nhiệt luyện tại phân xưởng Nhiệt luyện, áp dụng cho các loại lò buồng, lò giếng, lò tôi chân không và lò thấm các-bon.
Điều 2. Nội dung chính của Quy trình:
1. Chỉ công nhân đã được huấn luyện, sát hạch và có tên trong danh sách do Giám đốc phê duyệt mới được vận hành lò.
2. Trước khi vận hành phải kiểm tra hệ thống điện, nước làm mát, khí bảo vệ, thiết bị đo nhiệt độ; ghi đầy đủ vào sổ giao ca.
3. Trong quá trình vận hành không được rời vị trí; khi phát hiện áp suất, nhiệt độ vượt giới hạn phải dừng lò và báo ngay cho quản đốc.
4. Bể dầu tôi phải có nắp đậy chống cháy, bình chữa cháy đặt cách bể không quá năm mét.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quy trình ban hành năm 2009. Trưởng phòng Kỹ thuật - Công nghệ, Quản đốc phân xưởng Nhiệt luyện và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Phòng An toàn;", "Lưu: VT, KTCN."],
        signer=["GIÁM ĐỐC"], name="Đại tá Kiều Văn Sơn",
        phrase="lò tôi chân không",
        level=("sidecar", "MẬT"), meta=("title", "doc_type"),
    ),
    dict(
        path="ke-hoach/kh-47-2018.docx", fmt="docx",
        org=TCCNQP, number="47/KH-TCCNQP", place="Hà Nội", date="2018-03-02",
        kind="KẾ HOẠCH",
        subject="Tổ chức Hội thi thợ giỏi công nghiệp quốc phòng năm 2018",
        body="""
## I. MỤC ĐÍCH, YÊU CẦU
1. Đánh giá trình độ tay nghề, phát hiện, bồi dưỡng và tôn vinh công nhân có tay nghề cao; tạo phong trào thi đua học tập, rèn luyện nâng cao trình độ kỹ thuật trong toàn Tổng cục.
2. Hội thi được tổ chức nghiêm túc, khách quan, an toàn, tiết kiệm.
## II. NỘI DUNG, THÀNH PHẦN
1. Nghề thi: tiện, phay, hàn điện, nguội lắp ráp, điện công nghiệp. Mỗi nghề thi hai phần: lý thuyết trắc nghiệm và thực hành chế tạo sản phẩm theo bản vẽ; riêng nghề hàn điện thí sinh phải thực hiện mối hàn tư thế ngửa trên thép tấm dày tám mi-li-mét.
2. Thành phần: mỗi nhà máy cử từ 03 đến 05 thí sinh là công nhân trực tiếp sản xuất, tuổi đời không quá 40, bậc thợ từ 3/7 trở lên.
3. Ban Giám khảo gồm các chuyên gia đầu ngành của Tổng cục và giảng viên Trường Cao đẳng Công nghiệp quốc phòng.
## III. THỜI GIAN, ĐỊA ĐIỂM
Hội thi tổ chức từ ngày 14 đến ngày 18 tháng 5 năm 2018 tại Trường Cao đẳng Công nghiệp quốc phòng, tỉnh Phú Thọ. Lễ tổng kết, trao giải vào sáng ngày 19 tháng 5 năm 2018.
## IV. TỔ CHỨC THỰC HIỆN
1. Phòng Quân lực là cơ quan thường trực, xây dựng quy chế, đề thi và đáp án; tổng hợp kết quả báo cáo Thủ trưởng Tổng cục.
2. Phòng Tài chính bảo đảm kinh phí theo dự toán được duyệt; Cục Chính trị làm tốt công tác tuyên truyền, khen thưởng.
3. Các nhà máy lập danh sách thí sinh gửi về Tổng cục trước ngày 20 tháng 4 năm 2018.
""",
        cc=["Thủ trưởng Tổng cục;", "Các nhà máy, trường;", "Lưu: VT, QL."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Đặng Minh Châu",
        phrase="mối hàn tư thế ngửa",
        level=None, meta=("title", "doc_type", "issuer"),
    ),
    dict(
        path="bao-cao/bc-203-2010.docx", fmt="docx", layout="table",
        org=TCCNQP, number="203/BC-TCCNQP", place="Hà Nội", date="2010-11-15",
        kind="BÁO CÁO",
        subject="Kết quả kiểm tra bảo quản trang bị, dây chuyền công nghệ chuyển giao từ nước ngoài năm 2010",
        body="""
Thực hiện chỉ đạo của Bộ trưởng Bộ Quốc phòng, từ ngày 04 đến ngày 29 tháng 10 năm 2010, Tổng cục Công nghiệp quốc phòng đã tổ chức kiểm tra tình trạng bảo quản trang bị, dây chuyền công nghệ được chuyển giao theo các hợp đồng hợp tác với nước ngoài tại 06 nhà máy. Kết quả như sau:
## I. ƯU ĐIỂM
Các nhà máy đã bố trí nhà xưởng, kho bảo quản riêng; lập đủ lý lịch, sổ theo dõi cho từng thiết bị; tài liệu kỹ thuật tiếng nước ngoài đã được dịch, quản lý theo chế độ tài liệu mật. Thiết bị đã lắp đặt được vận hành chạy thử định kỳ đúng hướng dẫn của phía chuyển giao.
## II. HẠN CHẾ
1. Tại hai nhà máy, một số hòm thiết bị chưa lắp đặt bị ẩm, bao gói bị rách; dầu bảo quản nòng pháo dùng cho dây chuyền gia công nòng đã quá hạn sử dụng nhưng chưa được thay thế.
2. Việc ghi chép nhật ký vận hành chưa đầy đủ; một số chuyên gia nước ngoài ra vào khu vực sản xuất chưa được đăng ký đúng quy định.
## III. KIẾN NGHỊ
1. Yêu cầu các nhà máy khắc phục ngay các hạn chế, báo cáo kết quả về Tổng cục trước ngày 31 tháng 12 năm 2010.
2. Đề nghị Bộ Quốc phòng bố trí kinh phí xây dựng kho bảo quản có điều hòa không khí cho thiết bị chờ lắp đặt.
3. Đề nghị Cục Bảo vệ an ninh Quân đội phối hợp hướng dẫn quản lý chuyên gia nước ngoài làm việc tại các cơ sở công nghiệp quốc phòng.
""",
        cc=["Bộ trưởng (để b/c);", "Cục Đối ngoại/BQP;", "Lưu: VT, KT."],
        signer=["CHỦ NHIỆM"], name="Trung tướng Vương Đình Khiêm",
        phrase="dầu bảo quản nòng pháo",
        level=("manifest", "Tuyệt mật"), meta="all", compartments=["CNQP-A", "HN"],
    ),
    dict(
        path="nghi-quyet/nq-128-2017.docx", fmt="docx", party=True,
        org=["ĐẢNG BỘ TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "ĐẢNG ỦY NHÀ MÁY Z176"],
        number="128-NQ/ĐU", place="Bắc Giang", date="2017-12-26",
        kind="NGHỊ QUYẾT", stamp="TỐI MẬT",
        subject="Về lãnh đạo thực hiện nhiệm vụ sản xuất quốc phòng năm 2018",
        body="""
## I. ĐÁNH GIÁ TÌNH HÌNH NĂM 2017
Năm 2017, Đảng ủy Nhà máy đã lãnh đạo hoàn thành toàn diện các chỉ tiêu sản xuất quốc phòng và kinh tế; doanh thu đạt 112 phần trăm kế hoạch; không để xảy ra mất an toàn, lộ lọt bí mật. Tuy nhiên, tiến độ một số mặt hàng quý III còn chậm; công tác kiểm tra, giám sát của một số chi bộ chưa thường xuyên.
## II. MỤC TIÊU, CHỈ TIÊU NĂM 2018
1. Hoàn thành 100 phần trăm kế hoạch sản xuất quốc phòng Tổng cục giao, chất lượng sản phẩm đạt yêu cầu nghiệm thu ngay lần đầu.
2. Tổng doanh thu tăng ít nhất 8 phần trăm so với năm 2017; thu nhập bình quân của người lao động tăng từ 5 phần trăm trở lên.
3. Trên 90 phần trăm tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ; kết nạp từ 12 đảng viên mới trở lên.
## III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU
1. Tăng cường lãnh đạo của các chi bộ đối với nhiệm vụ sản xuất; phát huy vai trò của tổ đảng phân xưởng lắp ráp trong việc giữ vững tiến độ và kỷ luật công nghệ.
2. Đổi mới công tác kế hoạch, điều độ; ứng dụng phần mềm quản lý sản xuất; kiểm soát chặt chẽ vật tư, bán thành phẩm.
3. Thực hiện nghiêm quy định bảo vệ bí mật quân sự; quản lý chặt chẽ tài liệu, mẫu vật, sản phẩm mật.
4. Chăm lo đời sống vật chất, tinh thần của người lao động; làm tốt công tác an toàn, vệ sinh lao động.
## IV. TỔ CHỨC THỰC HIỆN
Ban Thường vụ Đảng ủy chỉ đạo xây dựng kế hoạch thực hiện Nghị quyết; các chi bộ quán triệt, cụ thể hóa và báo cáo kết quả hằng quý.
""",
        cc=["Đảng ủy Tổng cục (để b/c);", "Các chi bộ trực thuộc;", "Lưu: VT, VPĐU."],
        signer=["T/M ĐẢNG ỦY", "BÍ THƯ"], name="Đại tá Hà Quang Trung",
        phrase="tổ đảng phân xưởng lắp ráp",
        level=None,
    ),
    dict(
        path="van-ban-khac/ct-05-2024.docx", fmt="docx", layout="table",
        org=BQP, number="05/CT-BQP", place="Hà Nội", date="2024-02-19",
        kind="CHỈ THỊ", stamp="TUYỆT MẬT",
        subject="Về tăng cường bảo vệ bí mật nhà nước trên không gian mạng tại các cơ sở công nghiệp quốc phòng",
        body="""
Thời gian gần đây, các thế lực thù địch và tội phạm mạng tăng cường tấn công, thu thập thông tin vào các cơ quan, doanh nghiệp quốc phòng; một số vụ việc lộ, mất tài liệu có nguồn gốc từ việc kết nối thiết bị chứa bí mật nhà nước với mạng Internet. Để chủ động phòng ngừa, Bộ trưởng Bộ Quốc phòng chỉ thị:
1. Thủ trưởng các cơ quan, đơn vị, doanh nghiệp công nghiệp quốc phòng chịu trách nhiệm trực tiếp về công tác bảo vệ bí mật nhà nước trên không gian mạng tại đơn vị mình.
2. Tuyệt đối không soạn thảo, lưu trữ, truyền đưa thông tin bí mật nhà nước trên máy tính, thiết bị có kết nối Internet; không sử dụng ổ cứng di động cá nhân, điện thoại thông minh để sao chép tài liệu mật.
3. Rà soát, lập danh sách toàn bộ máy tính, thiết bị lưu trữ dùng cho công việc mật; dán tem quản lý, niêm phong cổng kết nối không sử dụng; kiểm tra định kỳ ba tháng một lần.
4. Bộ Tư lệnh Tác chiến không gian mạng chủ trì kiểm tra, đánh giá an toàn thông tin tại các cơ sở công nghiệp quốc phòng trọng điểm; hướng dẫn khắc phục lỗ hổng bảo mật.
5. Tổng cục Công nghiệp quốc phòng chỉ đạo các doanh nghiệp quán triệt nội dung Chỉ thị này đến từng cán bộ, công nhân viên; đưa kết quả bảo vệ bí mật nhà nước vào tiêu chí đánh giá, xếp loại hằng năm.
6. Các cơ quan, đơn vị báo cáo kết quả thực hiện về Bộ Quốc phòng (qua Cục Bảo vệ an ninh Quân đội) trước ngày 30 tháng 6 năm 2024.
""",
        cc=["Các cơ quan, đơn vị trực thuộc Bộ;", "Tổng cục CNQP;", "Lưu: VT, BVAN. H20."],
        signer=["BỘ TRƯỞNG"], name="Đại tướng Trần Hữu Nghĩa",
        phrase="ổ cứng di động cá nhân",
        level=("sidecar", "tuyet mat"), meta="all",
    ),
    dict(
        path="cong-van/cv-562-2006.docx", fmt="docx",
        org=TCCNQP, number="562/TCCNQP-KT", place="Hà Nội", date="2006-09-08",
        kind=None, stamp="TUYỆT MẬT", urgency="HỎA TỐC",
        subject="V/v hướng dẫn niêm phong hồ sơ công nghệ sản phẩm đặc biệt",
        to=["Giám đốc các nhà máy Z111, Z113, Z121"],
        body="""
Thực hiện chỉ thị của Bộ trưởng Bộ Quốc phòng về tăng cường quản lý hồ sơ công nghệ sản phẩm đặc biệt, Tổng cục Công nghiệp quốc phòng hướng dẫn các nhà máy thực hiện như sau:
1. Toàn bộ hồ sơ thiết kế, quy trình công nghệ, kết quả thử nghiệm của sản phẩm đặc biệt được đóng thành tập, đánh số trang, lập mục lục và đưa vào hộp riêng; mỗi hộp được niêm phong bằng xi đỏ, có chữ ký của Giám đốc nhà máy và cán bộ văn thư mật.
2. Hộp hồ sơ được bảo quản trong két sắt đặt tại phòng bảo mật, chìa khóa do hai người giữ; việc mở niêm phong phải có lệnh bằng văn bản của Chủ nhiệm Tổng cục và lập biên bản.
3. Không sao chụp, trích dẫn, mang hồ sơ ra khỏi phòng bảo mật dưới bất kỳ hình thức nào; cán bộ nghiên cứu hồ sơ phải đăng ký, ghi sổ theo dõi và chỉ được đọc tại chỗ.
4. Các nhà máy hoàn thành việc niêm phong trước ngày 15 tháng 10 năm 2006, lập danh mục hồ sơ đã niêm phong gửi về Tổng cục (qua Cục Kỹ thuật) bằng đường giao liên.
Yêu cầu Giám đốc các nhà máy chỉ đạo thực hiện nghiêm túc.
""",
        cc=["Như trên;", "Thủ trưởng Tổng cục (để b/c);", "Lưu: VT, KT. 05b."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Lục Văn Thành",
        phrase="niêm phong bằng xi đỏ",
        level=("sidecar", "Tối mật"), meta="all",
    ),
    dict(
        path="bao-cao/bc-74-2014.docx", fmt="docx",
        org=factory("NHÀ MÁY Z121"), number="74/BC-Z121", place="Phú Thọ", date="2014-10-06",
        kind="BÁO CÁO",
        subject="Kết quả huấn luyện an toàn hóa chất năm 2014",
        body="""
Thực hiện kế hoạch huấn luyện an toàn, vệ sinh lao động năm 2014, Nhà máy báo cáo kết quả huấn luyện an toàn hóa chất như sau:
## I. KẾT QUẢ
1. Đã tổ chức 06 lớp huấn luyện cho 412 lượt cán bộ, công nhân làm việc trực tiếp với hóa chất độc hại, hóa chất dễ cháy; 100 phần trăm học viên kiểm tra đạt yêu cầu, trong đó 38 phần trăm đạt loại giỏi.
2. Nội dung huấn luyện gồm: đặc tính nguy hiểm của từng loại hóa chất; phiếu an toàn hóa chất; sử dụng mặt nạ phòng độc, quần áo chống axít; sử dụng vòi tắm khẩn cấp rửa mắt; xử lý sự cố tràn đổ, rò rỉ.
3. Tổ chức diễn tập ứng phó sự cố rò rỉ khí clo tại phân xưởng Hóa chất với sự tham gia của lực lượng y tế, phòng cháy chữa cháy của Nhà máy.
## II. TỒN TẠI
Một số công nhân lớn tuổi còn chủ quan, chưa sử dụng đầy đủ phương tiện bảo vệ cá nhân; tài liệu huấn luyện chưa được cập nhật theo quy định mới về phân loại và ghi nhãn hóa chất.
## III. ĐỀ XUẤT
Đề nghị Tổng cục tổ chức tập huấn nâng cao cho đội ngũ huấn luyện viên an toàn; hỗ trợ kinh phí thay thế tủ đựng hóa chất chống cháy cho các kho trung gian.
""",
        cc=["Tổng cục CNQP (để b/c);", "Lưu: VT, AT."],
        signer=["GIÁM ĐỐC"], name="Đại tá Lâm Văn Phúc",
        phrase="vòi tắm khẩn cấp rửa mắt",
        level=("manifest", "mật"), meta=("title", "doc_number", "date"),
    ),
    # ------------------------------------------------------------------ plain text
    dict(
        path="cong-van/cv-2315-2021.txt", fmt="txt",
        related=["quyet-dinh/qd-4170-2020.pdf"],
        org=["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "VĂN PHÒNG"], number="2315/VP-LT",
        place="Hà Nội", date="2021-11-03",
        kind=None, subject="V/v báo cáo tiến độ số hóa tài liệu lưu trữ năm 2021",
        to=["Các cơ quan, đơn vị trực thuộc Tổng cục"],
        body="""
Thực hiện Kế hoạch chuyển đổi số trong công tác văn thư, lưu trữ của Bộ Quốc phòng, để tổng hợp báo cáo Thủ trưởng Tổng cục, Văn phòng đề nghị các cơ quan, đơn vị báo cáo tiến độ số hóa tài liệu lưu trữ năm 2021 với các nội dung sau:
1. Số lượng hồ sơ, tài liệu đã số hóa; tỷ lệ so với tổng số hồ sơ thuộc diện số hóa; số trang tài liệu đã nhập siêu dữ liệu.
2. Trang thiết bị hiện có: máy quét tài liệu khổ A3, máy chủ lưu trữ, phần mềm quản lý; tình trạng hoạt động và nhu cầu bổ sung.
3. Khó khăn, vướng mắc trong quá trình thực hiện, nhất là đối với tài liệu giấy đã giòn, mục, ố vàng và tài liệu viết tay.
4. Đề xuất, kiến nghị với Tổng cục và Bộ Quốc phòng.
Báo cáo gửi về Văn phòng Tổng cục (qua Ban Lưu trữ) trước ngày 25 tháng 11 năm 2021 bằng văn bản điện tử. Lưu ý: không đưa thông tin thuộc danh mục bí mật nhà nước vào báo cáo gửi qua hệ thống quản lý văn bản.
""",
        cc=["Như trên;", "Thủ trưởng Tổng cục (để b/c);", "Lưu: VT, LT."],
        signer=["CHÁNH VĂN PHÒNG"], name="Đại tá Đoàn Thị Hạnh",
        phrase="máy quét tài liệu khổ A3",
        level=None,
    ),
    dict(
        path="quyet-dinh/qd-77-1999.txt", fmt="txt", encoding="cp1258", newline="\r\n",
        org=factory("NHÀ MÁY Z125"), number="77/QĐ-Z125", place="Hà Nội", date="1999-04-12",
        kind="QUYẾT ĐỊNH",
        subject="Về việc thành lập Tổ tin học hóa công tác văn phòng",
        authority="GIÁM ĐỐC NHÀ MÁY Z125",
        body="""
Căn cứ Quyết định số 112/QĐ-TCCNQP ngày 06 tháng 02 năm 1998 của Chủ nhiệm Tổng cục Công nghiệp quốc phòng về chức năng, nhiệm vụ của Nhà máy;
Căn cứ yêu cầu ứng dụng tin học trong công tác quản lý, điều hành;
Xét đề nghị của Chánh Văn phòng Nhà máy,
# QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ tin học hóa công tác văn phòng Nhà máy gồm 05 đồng chí: Phó Giám đốc Nhà máy làm Tổ trưởng; Chánh Văn phòng làm Tổ phó; các thành viên là cán bộ phòng Kế hoạch, phòng Kỹ thuật và nhân viên đánh máy.
Điều 2. Tổ có nhiệm vụ: khảo sát nhu cầu, đề xuất mua sắm máy vi tính, máy in kim khổ rộng và bộ lưu điện; xây dựng sổ đăng ký công văn đi, đến trên máy vi tính; hướng dẫn sử dụng bộ gõ tiếng Việt thống nhất trong toàn Nhà máy; quy định việc sao lưu dữ liệu ra đĩa mềm hằng tuần và bảo quản đĩa trong tủ có khóa.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, trưởng các phòng, ban và các đồng chí có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Lưu: VT."],
        signer=["GIÁM ĐỐC"], name="Đại tá Tô Văn Lạng",
        phrase="máy in kim khổ rộng",
        level=("sidecar", "mật"), meta="all",
    ),
    dict(
        # Typed in the ABC (TCVN3) encoding of the 1990s, .VnTime font: no Unicode at all.
        path="cong-van/cv-58-1997.txt", fmt="txt", encoding="tcvn3", newline="\r\n",
        related=["ban-scan/cv-276-2001.tif"],
        org=factory("NHÀ MÁY Z117"), number="58/Z117-KT", place="Hà Nội", date="1997-10-14",
        kind=None,
        subject="V/v sửa chữa hệ thống thông gió kho thuốc phóng",
        to=["Phòng Kỹ thuật - Tổng cục Công nghiệp quốc phòng"],
        body="""
Qua kiểm tra định kỳ quý III năm 1997, hệ thống thông gió của kho thuốc phóng số 2 đã xuống cấp: quạt hút bị rỉ sét, đường ống dẫn khí bị thủng nhiều chỗ, độ ẩm trong kho vượt mức cho phép vào những ngày nồm ẩm.
Để bảo đảm an toàn cho thuốc phóng và người làm việc trong kho, Nhà máy đề nghị Phòng Kỹ thuật:
1. Cử cán bộ khảo sát, lập dự toán thay thế quạt hút và đường ống thông gió.
2. Bố trí kinh phí sửa chữa trong kế hoạch năm 1998.
3. Hướng dẫn Nhà máy quy trình kiểm tra độ ẩm, nhiệt độ và biện pháp xử lý khi độ ẩm trong kho vượt giới hạn cho phép theo quy định bảo quản thuốc phóng, thuốc nổ.
Trong thời gian chờ sửa chữa, Nhà máy tăng cường thông gió tự nhiên vào những giờ khô ráo, kiểm tra độ ẩm hai lần mỗi ngày, ghi sổ theo dõi và không nhập thêm thuốc phóng vào kho số 2. Các lô thuốc phóng có dấu hiệu hút ẩm được chuyển tạm sang kho số 1 và báo cáo kết quả kiểm tra chất lượng về Phòng Kỹ thuật trước ngày 30 tháng 11 năm 1997.
Nhà máy kính đề nghị Phòng Kỹ thuật xem xét, giải quyết.
""",
        cc=["Như trên;", "Lưu: VT, KT."],
        signer=["GIÁM ĐỐC"], name="Đại tá Lương Văn Thành",
        phrase="quạt hút bị rỉ sét",
        level=None,
    ),
    dict(
        path="bao-cao/bc-31-2002.txt", fmt="txt", encoding="utf-8-sig",
        org=factory("NHÀ MÁY Z111"), number="31/BC-Z111", place="Thanh Hóa", date="2002-05-27",
        kind="BÁO CÁO",
        subject="Kết quả kiểm tra an toàn kho xăng dầu và khí đốt",
        body="""
Thực hiện chỉ đạo của Tổng cục về kiểm tra an toàn phòng chống cháy nổ trước mùa khô, từ ngày 20 đến ngày 24 tháng 5 năm 2002, Nhà máy đã kiểm tra toàn bộ kho xăng dầu và khu vực chứa khí đốt. Kết quả như sau:
1. Kho xăng dầu gồm 02 bể chứa xăng ngầm dung tích 25 mét khối và 01 bể dầu diesel nổi. Các bể không rò rỉ; van thở, ống thông hơi hoạt động bình thường; hệ thống tiếp địa chống tĩnh điện đạt yêu cầu sau khi đo kiểm.
2. Khu chứa chai khí ô-xy và khí axêtylen còn xếp chung một gian, chưa có vách ngăn; một số chai khí đã quá hạn kiểm định.
3. Phương tiện chữa cháy cơ bản đủ theo quy định; cát, xẻng, chăn chiên được bố trí đúng vị trí. Lực lượng chữa cháy tại chỗ đã được huấn luyện.
Biện pháp khắc phục: xây vách ngăn tường gạch giữa khu chai ô-xy và khu chai axêtylen trong tháng 6 năm 2002; trả lại nhà cung cấp toàn bộ chai khí quá hạn kiểm định; bổ sung biển cấm lửa tại cửa kho. Nhà máy kính báo cáo Tổng cục.
""",
        cc=["Tổng cục CNQP (để b/c);", "Lưu: VT, AT."],
        signer=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Trung tá Quách Văn Đông",
        phrase="bể chứa xăng ngầm",
        level=("manifest", "Mat"), meta="all",
    ),
    dict(
        path="van-ban-khac/tb-112-2016.txt", fmt="txt",
        org=TCCNQP, number="112/TB-TCCNQP", place="Hà Nội", date="2016-01-25",
        kind="THÔNG BÁO",
        subject="Lịch trực chỉ huy, trực ban dịp Tết Nguyên đán Bính Thân 2016",
        body="""
Để bảo đảm duy trì nghiêm chế độ trực sẵn sàng chiến đấu, trực chỉ huy, trực ban trong dịp Tết Nguyên đán Bính Thân 2016, Tổng cục Công nghiệp quốc phòng thông báo:
1. Thời gian trực: từ 07 giờ 00 ngày 05 tháng 02 năm 2016 đến 07 giờ 30 ngày 15 tháng 02 năm 2016.
2. Trực chỉ huy Tổng cục: mỗi ngày một đồng chí Thủ trưởng Tổng cục theo lịch phân công; trực ban tác chiến dịp Tết do Phòng Tham mưu bố trí hai kíp luân phiên, mỗi kíp gồm một sĩ quan và một nhân viên thông tin.
3. Các nhà máy, kho: duy trì ít nhất một phần ba quân số tại đơn vị; lực lượng bảo vệ, chữa cháy tại chỗ sẵn sàng cơ động; không để kho trống người trực.
4. Chế độ báo cáo: các đơn vị báo cáo tình hình về Phòng Tham mưu trước 16 giờ 00 hằng ngày qua điện thoại quân sự; khi có tình huống đột xuất báo cáo ngay.
5. Nghiêm cấm sử dụng rượu bia trong giờ trực; không đốt pháo, không sử dụng vật liệu nổ trong khu vực doanh trại, nhà máy.
""",
        cc=["Thủ trưởng Tổng cục;", "Các cơ quan, đơn vị;", "Lưu: VT, TM."],
        signer=["TL. CHỦ NHIỆM", "TRƯỞNG PHÒNG THAM MƯU"], name="Đại tá Bạch Văn Quyết",
        phrase="trực ban tác chiến dịp Tết",
        level=("manifest", "Toi mat"), meta=("title",),
    ),
    dict(
        path="ke-hoach/kh-66-2020.txt", fmt="txt",
        org=factory("NHÀ MÁY Z131"), number="66/KH-Z131", place="Hải Phòng", date="2020-06-15",
        kind="KẾ HOẠCH",
        subject="Bảo vệ an ninh, an toàn khu vực sản xuất thuốc nổ năm 2020 - 2021",
        body="""
## I. MỤC ĐÍCH, YÊU CẦU
Bảo vệ tuyệt đối an toàn khu vực sản xuất thuốc nổ; kịp thời phát hiện, ngăn chặn mọi hoạt động xâm nhập, phá hoại, thu thập bí mật; không để bị động, bất ngờ trong mọi tình huống.
## II. NỘI DUNG
1. Khu vực sản xuất được chia thành ba vòng bảo vệ. Vòng ngoài có hàng rào thép gai ba lớp, đèn chiếu sáng và camera hồng ngoại; vòng giữa có hai chốt gác cố định và tổ tuần tra cơ động; vòng trong chỉ cho phép người có thẻ ra vào màu đỏ.
2. Kiểm soát người, phương tiện: mọi người ra vào phải xuất trình thẻ, đăng ký tại cổng; phương tiện chở nguyên liệu được kiểm tra, niêm phong và có người áp tải.
3. Phòng chống cháy nổ: duy trì lực lượng chữa cháy chuyên trách 24 giờ trong ngày; kiểm tra hằng ngày hệ thống báo cháy tự động và bể nước chữa cháy.
4. Hiệp đồng: phối hợp với Công an huyện, Ban Chỉ huy quân sự huyện và chính quyền xã sở tại xây dựng phương án bảo vệ, sơ tán nhân dân khi có sự cố.
## III. TỔ CHỨC THỰC HIỆN
1. Ban Bảo vệ chủ trì, tổ chức lực lượng, huấn luyện phương án; báo cáo Giám đốc hằng tuần.
2. Phòng Kỹ thuật lắp đặt, bảo dưỡng hệ thống camera, báo cháy; phòng Tài chính bảo đảm kinh phí.
3. Các phân xưởng quản lý chặt chẽ quân số, giờ giấc; báo cáo ngay khi phát hiện dấu hiệu bất thường.
""",
        cc=["Tổng cục CNQP (để b/c);", "Ban Bảo vệ;", "Lưu: VT, BV."],
        signer=["GIÁM ĐỐC"], name="Đại tá Lý Văn Cường",
        phrase="hàng rào thép gai ba lớp",
        level=("sidecar", "Top Secret"), meta="all",
    ),
    dict(
        path="nghi-quyet/nq-15-1990.txt", fmt="txt", party=True, layout="columns",
        org=["ĐẢNG BỘ QUÂN ĐỘI", "ĐẢNG ỦY TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"],
        number="15-NQ/ĐU", place="Hà Nội", date="1990-08-21",
        kind="NGHỊ QUYẾT",
        subject="Về lãnh đạo chuyển hướng sản xuất hàng kinh tế tại các nhà máy quốc phòng",
        body="""
## I. TÌNH HÌNH
Thực hiện đường lối đổi mới của Đảng, nhiệm vụ sản xuất quốc phòng của các nhà máy giảm mạnh, nhiều dây chuyền không có việc làm, đời sống công nhân gặp nhiều khó khăn. Một số nhà máy đã chủ động tìm kiếm mặt hàng kinh tế, bước đầu có hiệu quả; song nhìn chung còn lúng túng, thiếu vốn, thiếu thị trường.
## II. CHỦ TRƯƠNG
1. Giữ vững năng lực sản xuất quốc phòng cốt lõi; bảo quản tốt dây chuyền, thiết bị đặc chủng, đội ngũ công nhân lành nghề để sẵn sàng sản xuất khi có lệnh.
2. Tận dụng năng lực dư thừa để sản xuất hàng kinh tế phục vụ dân sinh như phụ tùng máy nông nghiệp, quạt điện và nồi áp suất, dụng cụ cầm tay; ưu tiên mặt hàng sử dụng công nghệ gần với công nghệ quốc phòng.
3. Mở rộng liên doanh, liên kết với các cơ sở trong nước; chủ động tìm kiếm thị trường, coi trọng chất lượng và uy tín sản phẩm.
## III. GIẢI PHÁP
1. Các cấp ủy đảng lãnh đạo chặt chẽ việc chuyển hướng sản xuất, chống tư tưởng trông chờ, ỷ lại.
2. Kiện toàn bộ máy quản lý, sắp xếp lại lao động; đào tạo lại công nhân cho phù hợp với mặt hàng mới.
3. Thực hiện nghiêm chế độ bảo mật, không để lộ năng lực quốc phòng trong quá trình hợp tác sản xuất.
Các đảng ủy trực thuộc tổ chức quán triệt Nghị quyết, xây dựng chương trình hành động và báo cáo kết quả về Đảng ủy Tổng cục.
""",
        cc=["Đảng ủy Quân sự Trung ương (để b/c);", "Các đảng ủy trực thuộc;", "Lưu: VT."],
        signer=["T/M ĐẢNG ỦY", "BÍ THƯ"], name="Thiếu tướng Đàm Văn Lộc",
        phrase="quạt điện và nồi áp suất",
        level=("manifest", "Tối Mật"), meta="all",
    ),
    dict(
        path="cong-van/cv-845-2013.txt", fmt="txt",
        org=TCCNQP, number="845/TCCNQP-KT", place="Hà Nội", date="2013-07-04",
        kind=None, stamp="TỐI MẬT",
        subject="V/v đề nghị thẩm định hồ sơ sửa chữa lớn pháo phòng không",
        to=["Cục Kỹ thuật Binh chủng - Tổng cục Kỹ thuật"],
        body="""
Năm 2013, Tổng cục Công nghiệp quốc phòng được Bộ Quốc phòng giao nhiệm vụ sửa chữa lớn một số hệ thống pháo phòng không cho các đơn vị thuộc Quân chủng Phòng không - Không quân. Qua khảo sát, phần lớn pháo đã qua nhiều lần sửa chữa, một số chi tiết của cơ cấu nạp đạn tự động và hệ thống ngắm bị mòn vượt giới hạn, không còn phụ tùng thay thế.
Để có cơ sở lập quy trình sửa chữa và phục hồi chi tiết, Tổng cục Công nghiệp quốc phòng đề nghị Cục Kỹ thuật Binh chủng:
1. Cung cấp bộ tài liệu kỹ thuật, bản vẽ chi tiết và điều kiện kỹ thuật nghiệm thu sau sửa chữa lớn của loại pháo nói trên.
2. Cử cán bộ kỹ thuật tham gia Hội đồng thẩm định quy trình sửa chữa do Tổng cục thành lập.
3. Phối hợp tổ chức bắn kiểm tra sau sửa chữa tại trường bắn của Quân chủng.
Tài liệu đề nghị giao nhận trực tiếp tại Cục Kỹ thuật của Tổng cục theo chế độ tài liệu mật.
""",
        cc=["Như trên;", "Quân chủng PK-KQ;", "Lưu: VT, KT."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Khổng Minh Đức",
        phrase="cơ cấu nạp đạn tự động",
        level=None,
    ),
    dict(
        path="van-ban-khac/ttr-14-2009.txt", fmt="txt",
        org=factory("NHÀ MÁY Z117"), number="14/TTr-Z117", place="Thái Nguyên", date="2009-03-16",
        kind="TỜ TRÌNH",
        subject="Về việc đề nghị mua sắm thiết bị đo độ cứng kim loại",
        to=["Chủ nhiệm Tổng cục Công nghiệp quốc phòng"],
        body="""
Phòng Kiểm tra chất lượng của Nhà máy hiện đang sử dụng 02 máy đo độ cứng sản xuất từ năm 1979. Qua kiểm định năm 2008, cả hai máy đều có sai số vượt giới hạn cho phép, nhiều lần phải gửi mẫu đi đo ở đơn vị khác, làm chậm tiến độ nghiệm thu sản phẩm.
Để bảo đảm chất lượng kiểm tra sản phẩm quốc phòng, Nhà máy kính trình Chủ nhiệm Tổng cục xem xét, phê duyệt cho Nhà máy mua sắm:
1. Một máy đo độ cứng Rockwell hiện số, có khả năng kết nối máy tính và in kết quả.
2. Một máy đo độ cứng Vickers dùng cho chi tiết mỏng và lớp thấm bề mặt.
3. Bộ mẫu chuẩn độ cứng có chứng chỉ hiệu chuẩn.
Tổng kinh phí dự kiến 1,86 tỷ đồng, từ nguồn vốn khấu hao của Nhà máy. Việc mua sắm thực hiện theo hình thức chào hàng cạnh tranh, bảo đảm công khai, minh bạch.
Nhà máy kính trình Chủ nhiệm Tổng cục xem xét, quyết định.
""",
        cc=["Như trên;", "Cục Kỹ thuật;", "Lưu: VT, KCS."],
        signer=["GIÁM ĐỐC"], name="Đại tá Nông Văn Tiến",
        phrase="máy đo độ cứng Rockwell",
        level=("sidecar", "confidential"), meta=(),
    ),
    dict(
        path="quyet-dinh/qd-1190-2025.txt", fmt="txt",
        related=["bao-cao/bc-19-2025.pdf"],
        org=TCCNQP, number="1190/QĐ-TCCNQP", place="Hà Nội", date="2025-06-30",
        kind="QUYẾT ĐỊNH",
        subject="Về việc giải mật tài liệu lưu trữ hình thành trước năm 1995",
        authority="CHỦ NHIỆM TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG",
        # Decoys for stamp detection: "GIẢI MẬT" alone on a line and "độ mật Mật hoặc Tối mật"
        # in prose must not make this public decision classified.
        body="""
Căn cứ Luật Bảo vệ bí mật nhà nước ngày 15 tháng 11 năm 2018;
Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;
Xét đề nghị của Hội đồng giải mật tài liệu lưu trữ Tổng cục tại Báo cáo số 19/BC-TCCNQP ngày 14 tháng 02 năm 2025,
# QUYẾT ĐỊNH:
Điều 1. Giải mật 612 hồ sơ tài liệu lưu trữ hình thành trước năm 1995 thuộc Lưu trữ cơ quan Tổng cục và lưu trữ của các nhà máy, theo danh mục kèm theo Quyết định này. Các hồ sơ trước đây được đóng dấu độ mật Mật hoặc Tối mật; kể từ ngày Quyết định này có hiệu lực, các hồ sơ trên được quản lý, khai thác như tài liệu không mật.
Điều 2. Cơ quan, đơn vị đang quản lý hồ sơ đóng dấu giải mật lên bìa hồ sơ và trang đầu của từng văn bản theo mẫu dưới đây, ghi rõ ngày giải mật; cập nhật thông tin vào cơ sở dữ liệu lưu trữ; đưa các tài liệu có giá trị lịch sử như sổ nhật ký xưởng đúc, ảnh tư liệu, biên bản nghiệm thu sản phẩm đầu tiên vào phục vụ trưng bày truyền thống.
GIẢI MẬT
Từ: 01/7/2025
Điều 3. Quyết định này có hiệu lực kể từ ngày 01 tháng 7 năm 2025. Chánh Văn phòng Tổng cục, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Bộ Quốc phòng (để b/c);", "Như Điều 3;", "Lưu: VT, VP. L12."],
        signer=["CHỦ NHIỆM"], name="Trung tướng Lê Văn Sinh",
        phrase="sổ nhật ký xưởng đúc",
        level=None,
    ),
    # ------------------------------------------------------------------ HTML
    dict(
        path="van-ban-khac/tb-08-2024.html", fmt="html", script=True,
        absent=["bộ đếm lượt truy cập ẩn danh", "bảng màu giao diện cổng nội bộ"],
        org=["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "VĂN PHÒNG"], number="08/TB-VP",
        place="Hà Nội", date="2024-01-09",
        kind="THÔNG BÁO",
        subject="Về việc tạm dừng hệ thống quản lý văn bản và điều hành để nâng cấp",
        body="""
Để nâng cấp hệ thống quản lý văn bản và điều hành lên phiên bản mới, đáp ứng yêu cầu của Nghị định số 30/2020/NĐ-CP về công tác văn thư, Văn phòng Tổng cục thông báo:
1. Hệ thống tạm dừng hoạt động từ 17 giờ 00 ngày 12 tháng 01 năm 2024 đến 07 giờ 30 ngày 15 tháng 01 năm 2024.
2. Trong thời gian tạm dừng, các cơ quan, đơn vị chuyển sang sổ đăng ký giấy để đăng ký văn bản đi, đến; sau khi hệ thống hoạt động trở lại, văn thư cập nhật bổ sung toàn bộ văn bản vào hệ thống trước ngày 19 tháng 01 năm 2024.
3. Văn bản cần xử lý gấp được chuyển trực tiếp bằng bản giấy qua giao liên của Văn phòng.
4. Tài khoản người dùng, chữ ký số và dữ liệu hiện có được giữ nguyên; người dùng đổi mật khẩu ở lần đăng nhập đầu tiên sau nâng cấp.
Mọi vướng mắc đề nghị liên hệ Ban Công nghệ thông tin, Văn phòng Tổng cục qua điện thoại quân sự nội bộ.
""",
        cc=["Các cơ quan, đơn vị;", "Lưu: VT, CNTT."],
        signer=["CHÁNH VĂN PHÒNG"], name="Đại tá Mạc Đình Phong",
        phrase="chuyển sang sổ đăng ký giấy",
        level=None,
    ),
    dict(
        path="cong-van/cv-3021-2022.html", fmt="html",
        org=TCCNQP, number="3021/TCCNQP-KT", place="Hà Nội", date="2022-12-12",
        kind=None, stamp="MẬT",
        subject="V/v triển khai phần mềm quản lý kho trang bị kỹ thuật",
        to=["Các nhà máy, kho trực thuộc Tổng cục"],
        body="""
Thực hiện kế hoạch ứng dụng công nghệ thông tin năm 2022, Tổng cục Công nghiệp quốc phòng đã hoàn thành xây dựng phần mềm quản lý kho trang bị kỹ thuật chạy trên mạng nội bộ. Phần mềm cho phép theo dõi nhập, xuất, tồn kho theo thời gian thực, quản lý lý lịch từng trang bị bằng tem mã vạch hai chiều và tự động cảnh báo trang bị đến hạn bảo dưỡng.
Để triển khai thống nhất, Tổng cục yêu cầu các đơn vị:
1. Cử 02 cán bộ quản lý kho tham gia tập huấn tại cơ quan Tổng cục từ ngày 09 đến ngày 13 tháng 01 năm 2023.
2. Chuẩn bị máy tính chuyên dùng không kết nối Internet, máy in tem và đầu đọc mã; rà soát số liệu tồn kho đến ngày 31 tháng 12 năm 2022 làm dữ liệu ban đầu.
3. Từ ngày 01 tháng 3 năm 2023, thực hiện quản lý song song trên sổ sách và phần mềm; từ ngày 01 tháng 7 năm 2023 chuyển hoàn toàn sang phần mềm.
Quá trình triển khai có vướng mắc, đề nghị liên hệ Cục Kỹ thuật để được hướng dẫn.
""",
        cc=["Như trên;", "Lưu: VT, KT."],
        signer=["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"], name="Thiếu tướng Phó Đức Hạnh",
        phrase="tem mã vạch hai chiều",
        level=None,
    ),
    dict(
        path="quyet-dinh/qd-2466-2011.html", fmt="html",
        org=BQP, number="2466/QĐ-BQP", place="Hà Nội", date="2011-07-21",
        kind="QUYẾT ĐỊNH", stamp="TUYỆT MẬT", urgency="HỎA TỐC",
        subject="Về việc phê duyệt phương án sơ tán kho vật tư kỹ thuật đặc biệt khi có tình huống",
        authority="BỘ TRƯỞNG BỘ QUỐC PHÒNG",
        body="""
Căn cứ Nghị định số 104/2008/NĐ-CP ngày 16 tháng 9 năm 2008 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Quốc phòng;
Xét đề nghị của Tổng Tham mưu trưởng và Chủ nhiệm Tổng cục Công nghiệp quốc phòng,
# QUYẾT ĐỊNH:
Điều 1. Phê duyệt phương án sơ tán kho vật tư kỹ thuật đặc biệt thuộc Tổng cục Công nghiệp quốc phòng khi có tình huống, gồm các nội dung chính:
1. Vật tư được phân thành ba nhóm theo thứ tự ưu tiên sơ tán; nhóm một được sơ tán trong vòng 24 giờ kể từ khi có lệnh.
2. Lực lượng, phương tiện: sử dụng lực lượng bảo vệ kho, đội vận tải của Tổng cục, được tăng cường phương tiện của quân khu khi cần thiết.
3. Tuyến sơ tán chính và tuyến dự phòng; điểm tập kết dự bị được chuẩn bị sẵn hầm, lán, phương tiện ngụy trang và thông tin liên lạc.
4. Bảo đảm an toàn, bí mật tuyệt đối trong suốt quá trình sơ tán; không sử dụng thông tin vô tuyến điện công khai.
Điều 2. Tổng cục Công nghiệp quốc phòng chủ trì xây dựng kế hoạch chi tiết, tổ chức diễn tập hằng năm; Bộ Tổng Tham mưu chỉ đạo các quân khu hiệp đồng bảo đảm.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Tổng Tham mưu trưởng, Chủ nhiệm Tổng cục Công nghiệp quốc phòng, Tư lệnh các quân khu có liên quan chịu trách nhiệm thi hành Quyết định này.
""",
        cc=["Như Điều 3;", "Lưu: VT, TM. 04b."],
        signer=["BỘ TRƯỞNG"], name="Đại tướng Đinh Quốc Hưng",
        phrase="điểm tập kết dự bị",
        level=None,
    ),
    dict(
        path="bao-cao/bc-58-2008.html", fmt="html",
        org=["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "VIỆN THUỐC PHÓNG THUỐC NỔ"], number="58/BC-VTPTN",
        place="Hà Nội", date="2008-09-10",
        kind="BÁO CÁO",
        subject="Kết quả thử nghiệm thuốc phóng hai gốc cho đạn pháo",
        body="""
Thực hiện đề tài nghiên cứu cấp Tổng cục năm 2008, Viện đã hoàn thành chế thử và thử nghiệm ba mẻ thuốc phóng hai gốc dùng cho đạn pháo cỡ trung. Kết quả như sau:
## I. KẾT QUẢ THỬ NGHIỆM
1. Các chỉ tiêu hóa lý: độ ẩm, hàm lượng chất ổn định, nhiệt lượng cháy đều nằm trong giới hạn của tiêu chuẩn; độ đồng đều giữa các mẻ đạt yêu cầu.
2. Tốc độ cháy tuyến tính đo trong bom kín ở ba mức nhiệt độ cho kết quả ổn định, sai lệch so với mẫu đối chứng nhập khẩu không quá hai phần trăm.
3. Bắn thử trên pháo tại trường bắn: áp suất buồng đạn, sơ tốc đầu đạn đạt yêu cầu; không xuất hiện hiện tượng cháy không hết hoặc tăng áp bất thường.
## II. ĐÁNH GIÁ
Viện đã làm chủ quy trình công nghệ chế tạo thuốc phóng hai gốc ở quy mô thử nghiệm. Tuy nhiên, thiết bị cán, ép hiện có công suất nhỏ, chưa đáp ứng yêu cầu sản xuất loạt.
## III. KIẾN NGHỊ
1. Cho phép chuyển kết quả nghiên cứu sang giai đoạn sản xuất loạt nhỏ tại nhà máy được Tổng cục chỉ định.
2. Bố trí kinh phí đầu tư dây chuyền cán, ép thuốc phóng công suất lớn trong kế hoạch năm 2009 - 2010.
""",
        cc=["Thủ trưởng Tổng cục (để b/c);", "Cục Khoa học - Công nghệ;", "Lưu: VT, KH."],
        signer=["VIỆN TRƯỞNG"], name="Đại tá Nghiêm Xuân Thái",
        phrase="Tốc độ cháy tuyến tính",
        level=("manifest", "top-secret"), meta="all",
    ),
    dict(
        path="ke-hoach/kh-102-2005.html", fmt="html",
        org=factory("NHÀ MÁY Z111"), number="102/KH-Z111", place="Thanh Hóa", date="2005-10-18",
        kind="KẾ HOẠCH",
        subject="Di chuyển phân xưởng nạp thuốc ra khỏi khu dân cư",
        body="""
## I. SỰ CẦN THIẾT
Phân xưởng nạp thuốc của Nhà máy được xây dựng từ năm 1968, nay khu vực xung quanh đã hình thành khu dân cư đông đúc, khoảng cách an toàn không còn bảo đảm. Thực hiện chỉ đạo của Tổng cục, Nhà máy xây dựng kế hoạch di chuyển phân xưởng vào khu vực mới.
## II. NỘI DUNG
1. Địa điểm mới: thung lũng phía Tây Nhà máy, diện tích 12 héc-ta, có đồi bao bọc ba phía.
2. Hạng mục xây dựng: nhà nạp thuốc, nhà sấy, kho trung gian, mỗi nhà có ụ đất chắn mảnh bao quanh; đường nội bộ; hệ thống điện, nước, chống sét.
3. Tiến độ: năm 2006 hoàn thành giải phóng mặt bằng và san nền; năm 2007 xây dựng, lắp đặt thiết bị; quý I năm 2008 chạy thử và đưa vào sản xuất.
4. Yêu cầu: trong thời gian di chuyển không làm gián đoạn nhiệm vụ sản xuất quốc phòng; tuyệt đối an toàn trong tháo dỡ, vận chuyển thiết bị đã tiếp xúc với thuốc nổ.
## III. TỔ CHỨC THỰC HIỆN
Thành lập Ban chỉ đạo di chuyển do Giám đốc làm Trưởng ban. Phòng Kỹ thuật lập thiết kế công nghệ; phòng Kế hoạch lập dự toán, trình Tổng cục phê duyệt trước ngày 31 tháng 12 năm 2005; Ban Bảo vệ xây dựng phương án bảo vệ công trường.
""",
        cc=["Tổng cục CNQP (để b/c);", "Lưu: VT, KH."],
        signer=["GIÁM ĐỐC"], name="Đại tá Triệu Văn Mạnh",
        phrase="ụ đất chắn mảnh",
        level=("sidecar", "SECRET"), meta="all",
    ),
    dict(
        path="nghi-quyet/nq-22-2019.html", fmt="html", party=True,
        related=["nghi-quyet/nq-06-2015.pdf"],
        org=["ĐẢNG BỘ TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "ĐẢNG ỦY NHÀ MÁY Z131"],
        number="22-NQ/ĐU", place="Hải Phòng", date="2019-04-02",
        kind="NGHỊ QUYẾT",
        subject="Về lãnh đạo công tác bảo đảm an toàn trong sản xuất vật liệu nổ công nghiệp",
        body="""
## I. TÌNH HÌNH
Những năm qua, Nhà máy đã sản xuất và cung ứng khối lượng lớn vật liệu nổ công nghiệp cho các ngành khai khoáng, xây dựng, giao thông. Công tác an toàn được quan tâm; tuy nhiên, năm 2018 đã xảy ra một sự cố cháy cục bộ tại dây chuyền đóng thỏi, gây thiệt hại về tài sản.
## II. MỤC TIÊU
Không để xảy ra tai nạn, sự cố cháy nổ nghiêm trọng; 100 phần trăm công nhân được huấn luyện an toàn định kỳ; hoàn thành tự động hóa công đoạn phối trộn thuốc nổ nhũ tương trong năm 2020.
## III. NHIỆM VỤ, GIẢI PHÁP
1. Cấp ủy, chỉ huy các cấp nâng cao trách nhiệm người đứng đầu trong công tác an toàn; gắn kết quả an toàn với đánh giá, xếp loại tổ chức đảng và đảng viên.
2. Rà soát, sửa đổi toàn bộ quy trình công nghệ, quy trình an toàn; loại bỏ thiết bị cũ, lạc hậu.
3. Đầu tư hệ thống giám sát nhiệt độ, cảnh báo sớm tại các công đoạn có nguy cơ cao.
4. Xử lý nghiêm tổ chức, cá nhân vi phạm quy định an toàn.
## IV. TỔ CHỨC THỰC HIỆN
Ban Thường vụ Đảng ủy chỉ đạo xây dựng kế hoạch thực hiện; Ủy ban Kiểm tra Đảng ủy kiểm tra, giám sát việc thực hiện Nghị quyết tại các chi bộ.
""",
        cc=["Đảng ủy Tổng cục (để b/c);", "Các chi bộ;", "Lưu: VT, VPĐU."],
        signer=["T/M ĐẢNG ỦY", "BÍ THƯ"], name="Đại tá Chu Văn Tâm",
        phrase="thuốc nổ nhũ tương",
        level=("sidecar", "Tối mật"), meta="all",
    ),
    dict(
        path="van-ban-khac/ttr-09-1995.html", fmt="html",
        org=factory("NHÀ MÁY Z125"), number="09/TTr-Z125", place="Hà Nội", date="1995-02-06",
        kind="TỜ TRÌNH",
        subject="Về việc đề nghị thanh lý máy công cụ hết niên hạn sử dụng",
        to=["Chủ nhiệm Tổng cục Công nghiệp quốc phòng"],
        body="""
Nhà máy hiện đang quản lý 14 máy công cụ được trang bị từ năm 1965 đến năm 1972, gồm máy tiện, máy phay, máy khoan cần và một máy bào giường cỡ lớn. Qua kiểm tra kỹ thuật năm 1994, các máy trên đã hết niên hạn sử dụng, độ chính xác không còn bảo đảm, nhiều chi tiết hư hỏng không có phụ tùng thay thế; chi phí sửa chữa cao hơn giá trị còn lại của máy.
Căn cứ quy định về thanh lý tài sản trong Quân đội, Nhà máy kính trình Chủ nhiệm Tổng cục:
1. Cho phép thanh lý 14 máy công cụ nêu trên (có danh sách và biên bản kiểm tra kỹ thuật kèm theo).
2. Cho phép Nhà máy tận dụng các chi tiết còn sử dụng được làm phụ tùng; phần còn lại bán phế liệu, nộp tiền vào quỹ phát triển sản xuất.
3. Thành lập Hội đồng thanh lý gồm đại diện Cục Kỹ thuật, phòng Tài chính Tổng cục và Nhà máy.
Nhà máy kính trình Chủ nhiệm Tổng cục xem xét, quyết định.
""",
        cc=["Như trên;", "Lưu: VT, CĐ."],
        signer=["GIÁM ĐỐC"], name="Đại tá Giáp Văn Luận",
        phrase="máy bào giường cỡ lớn",
        level=("sidecar", "Mật"), meta=("title", "date"),
    ),
    dict(
        path="van-ban-khac/ct-03-2000.html", fmt="html",
        org=BQP, number="03/CT-BQP", place="Hà Nội", date="2000-01-17",
        kind="CHỈ THỊ",
        subject="Về bảo đảm bí mật trong sản xuất, vận chuyển sản phẩm quốc phòng đặc biệt",
        body="""
Trong những năm qua, công tác bảo đảm bí mật trong sản xuất, vận chuyển sản phẩm quốc phòng đặc biệt đã được các cơ quan, đơn vị quan tâm thực hiện. Tuy nhiên, vẫn còn hiện tượng để lộ thông tin về số lượng, chủng loại sản phẩm; việc vận chuyển có lúc chưa tuân thủ đúng quy định. Để khắc phục tình trạng trên, Bộ trưởng Bộ Quốc phòng chỉ thị:
1. Mọi thông tin về kế hoạch sản xuất, số lượng, chủng loại, địa điểm giao nhận sản phẩm quốc phòng đặc biệt là bí mật nhà nước; chỉ phổ biến đến người có trách nhiệm trực tiếp.
2. Việc vận chuyển phải sử dụng xe chuyên dụng có mui kín, có lực lượng bảo vệ đi kèm; không dừng, đỗ tại khu đông dân cư; lịch trình được giữ kín và thay đổi thường xuyên.
3. Cán bộ, công nhân viên tham gia sản xuất, vận chuyển phải được thẩm tra lý lịch, cam kết bảo vệ bí mật; không mang tài liệu, mẫu vật ra khỏi khu vực làm việc.
4. Tổng cục Công nghiệp quốc phòng, Tổng cục Kỹ thuật, Tổng cục Hậu cần chỉ đạo các đơn vị thuộc quyền thực hiện nghiêm Chỉ thị này; Cục Bảo vệ an ninh Quân đội kiểm tra, báo cáo Bộ trưởng sáu tháng một lần.
""",
        cc=["Các tổng cục;", "Các quân khu;", "Lưu: VT, BVAN."],
        signer=["BỘ TRƯỞNG"], name="Đại tướng Hoàng Nghĩa Bình",
        phrase="xe chuyên dụng có mui kín",
        level=("manifest", "TUYET MAT"), meta="all",
    ),
]


# Real articles of Luật Chăn nuôi taken from the shared corpus. `phrase` is a phrase of the
# article found in no other sample document; `level` / `meta` as for ADMIN_DOCS (the law is
# public: two articles are declared higher only to test that a declaration wins).
LAW_ARTICLES: list[dict] = [
    dict(n=2, fmt="pdf", phrase="thuộc nhóm động vật có cánh", level=("manifest", "unclassified"), meta="all"),
    dict(n=34, fmt="pdf", phrase="chứng nhận lưu hành tự do", level=("manifest", "Thường"), meta=("title",)),
    dict(n=4, fmt="pdf", phrase="di dời cơ sở chăn nuôi", level=None),
    dict(n=20, fmt="pdf", phrase="xuất khẩu ủy quyền xác nhận", level=None),
    dict(n=43, fmt="pdf", phrase="chăn nuôi tiêu thụ nội bộ", level=None),
    dict(n=12, fmt="docx", phrase="bơm nước cưỡng bức", level=("manifest", ""), meta=("title", "doc_type")),
    dict(n=25, fmt="docx", phrase="hệ phả đối với gia súc", level=None, meta=("title", "doc_number", "doc_type")),
    dict(n=37, fmt="docx", phrase="nuôi dưỡng thử nghiệm", level=None),
    dict(n=9, fmt="html", phrase="xúc tiến thương mại sản phẩm", level=("manifest", "Mật"), meta="all"),
    dict(n=16, fmt="html", phrase="Lý lịch nguồn gen", level=None, meta=("title", "doc_type")),
    dict(n=23, fmt="html", phrase="số hiệu đực giống", level=None),
    dict(n=31, fmt="html", phrase="thanh toán chi phí khảo nghiệm", level=None),
    dict(n=29, fmt="png", phrase="thuần phong mỹ tục", level=("manifest", "unclassified"), meta="all"),
    dict(n=3, fmt="txt", phrase="tiếp thu nhanh tiến bộ", level=("manifest", "public"), meta=("title",)),
    dict(n=5, fmt="txt", phrase="theo chu kỳ 10 năm", level=None),
    dict(n=6, fmt="txt", phrase="Luật Chuyển giao công nghệ", level=None),
    dict(n=14, fmt="txt", phrase="theo các chỉ tiêu sinh học", level=None),
    dict(n=18, fmt="txt", phrase="lưu thông trên thị trường", level=None),
    dict(n=21, fmt="txt", phrase="giống vật nuôi cấm xuất khẩu", level=("manifest", "secret"), meta="all",
         related=["luat-chan-nuoi/luat-chan-nuoi-dieu-016.html"]),
    dict(n=46, fmt="txt", phrase="truy xuất nguồn gốc sản phẩm", level=None),
]
