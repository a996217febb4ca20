"""Administrative documents written for the retrieval benchmark (bench/quality.py).

Invented, in the standard layout of NĐ 30/2020 (issuer, số/ký hiệu, place and date, type and
trích yếu, body). Several are written to confuse a search that ignores diacritics: bảo mật /
báo mất / khám mắt / mặt bằng, công nhân / công nhận, kho đạn / khó khăn / dân quân, giống /
giông. Some use abbreviations (CNQP, CCHC, UBND, QNCN) and others only the full words.
"""

# (file stem, issuer lines, number, place-date, type, trích yếu, body paragraphs)
ADMIN_DOCS = [
    ("qd-821-1987", ["BỘ QUỐC PHÒNG"], "821/QĐ-BQP", "Hà Nội, ngày 08 tháng 6 năm 1987", "QUYẾT ĐỊNH",
     "Về việc ban hành Quy chế bảo quản vũ khí, trang bị kỹ thuật tại các kho",
     ["Ban hành kèm theo Quyết định này Quy chế bảo quản vũ khí, trang bị kỹ thuật tại các kho của các nhà máy quốc phòng.",
      "Các kho vũ khí phải được niêm cất đúng quy trình, kiểm tra định kỳ độ ẩm, nhiệt độ và tình trạng dầu mỡ bảo quản.",
      "Thủ trưởng các đơn vị chịu trách nhiệm tổ chức thực hiện việc bảo quản, sửa chữa và niêm cất trang bị kỹ thuật."]),
    ("ct-17-1993", ["BỘ QUỐC PHÒNG"], "17/CT-BQP", "Hà Nội, ngày 21 tháng 4 năm 1993", "CHỈ THỊ",
     "Về việc tăng cường công tác bảo mật tài liệu trong các cơ quan, nhà máy",
     ["Thời gian qua một số cơ quan chưa thực hiện nghiêm các quy định về bảo vệ bí mật nhà nước, để lộ, lọt tài liệu mật.",
      "Thủ trưởng các cơ quan, đơn vị phải quán triệt Quyết định số 821/QĐ-BQP và các quy định về bảo mật tài liệu, quản lý chặt chẽ việc sao, chụp, vận chuyển tài liệu mật.",
      "Tài liệu mật phải được đăng ký, lưu giữ trong tủ có khóa, chỉ người có trách nhiệm mới được tiếp cận."]),
    ("bc-112-1998", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "NHÀ MÁY Z115"], "112/BC-Z115", "Thái Nguyên, ngày 15 tháng 9 năm 1998", "BÁO CÁO",
     "Về việc mất tài liệu tại phòng hành chính",
     ["Ngày 10 tháng 9 năm 1998, phòng hành chính phát hiện bị mất hai tập hồ sơ và một sổ công văn đi.",
      "Nhà máy đã lập biên bản, báo cáo cấp trên và tổ chức tìm kiếm nhưng chưa tìm thấy tài liệu bị mất.",
      "Đề nghị cấp trên cho ý kiến về việc xử lý trách nhiệm cá nhân để xảy ra mất tài liệu."]),
    ("tb-48-1991", ["CỤC QUÂN Y"], "48/TB-QY", "Hà Nội, ngày 02 tháng 11 năm 1991", "THÔNG BÁO",
     "Về việc khám mắt định kỳ cho công nhân làm việc trong môi trường hóa chất",
     ["Cục Quân y thông báo lịch khám mắt định kỳ cho công nhân các phân xưởng sản xuất thuốc nổ và hóa chất.",
      "Các đơn vị lập danh sách người lao động có biểu hiện đau mắt, mờ mắt để ưu tiên khám trước.",
      "Kết quả khám mắt được lưu vào hồ sơ sức khỏe của từng người."]),
    ("kh-09-1996", ["NHÀ MÁY Z121"], "09/KH-Z121", "Phú Thọ, ngày 05 tháng 01 năm 1996", "KẾ HOẠCH",
     "Giải phóng mặt bằng xây dựng phân xưởng mới",
     ["Nhà máy lập kế hoạch giải phóng mặt bằng để xây dựng phân xưởng lắp ráp mới trên diện tích năm héc ta.",
      "Phòng kỹ thuật phối hợp với chính quyền địa phương kiểm đếm tài sản trên mặt bằng và lập phương án bồi thường.",
      "Thời gian hoàn thành giải phóng mặt bằng trước quý III năm 1996."]),
    ("qd-305-2004", ["BỘ QUỐC PHÒNG"], "305/QĐ-BQP", "Hà Nội, ngày 19 tháng 02 năm 2004", "QUYẾT ĐỊNH",
     "Về chế độ tiền lương và phụ cấp đối với công nhân quốc phòng",
     ["Quy định chế độ tiền lương, phụ cấp độc hại, phụ cấp thâm niên đối với công nhân quốc phòng làm việc tại các nhà máy.",
      "Công nhân quốc phòng làm việc trong môi trường độc hại, nguy hiểm được hưởng thêm phụ cấp theo mức quy định tại Phụ lục kèm theo.",
      "Quyết định này thay thế các quy định trước đây về chế độ đối với công nhân viên chức quốc phòng."]),
    ("cv-276-2001", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "276/TCCNQP-TC", "Hà Nội, ngày 14 tháng 5 năm 2001", "",
     "V/v hướng dẫn thực hiện Quyết định số 305/QĐ-BQP về tiền lương",
     ["Thực hiện Quyết định số 305/QĐ-BQP của Bộ Quốc phòng, Tổng cục hướng dẫn các nhà máy lập bảng lương mới cho công nhân quốc phòng.",
      "Các đơn vị rà soát danh sách công nhân, xác định mức phụ cấp độc hại và gửi về Phòng Tài chính trước ngày 30 tháng 6."]),
    ("ttr-45-2015", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "45/TTr-TCCNQP", "Hà Nội, ngày 12 tháng 3 năm 2015", "TỜ TRÌNH",
     "Về việc phê duyệt Đề án phát triển công nghiệp quốc phòng giai đoạn 2016 - 2020",
     ["Tổng cục trình Bộ trưởng phê duyệt Đề án phát triển công nghiệp quốc phòng giai đoạn 2016 - 2020.",
      "Mục tiêu của đề án là nâng cao năng lực sản xuất, sửa chữa vũ khí, trang bị kỹ thuật, từng bước làm chủ công nghệ lõi.",
      "Đề án đề xuất đầu tư chiều sâu cho các nhà máy, gắn công nghiệp quốc phòng với công nghiệp dân sinh."]),
    ("nq-06-2011", ["QUÂN ỦY TRUNG ƯƠNG"], "06-NQ/QUTW", "Hà Nội, ngày 20 tháng 7 năm 2011", "NGHỊ QUYẾT",
     "Về xây dựng và phát triển công nghiệp quốc phòng đến năm 2020",
     ["Nghị quyết xác định xây dựng công nghiệp quốc phòng trở thành mũi nhọn của công nghiệp quốc gia.",
      "Tập trung đào tạo đội ngũ cán bộ khoa học, kỹ thuật, công nhân lành nghề cho các cơ sở công nghiệp quốc phòng.",
      "Các cấp ủy, chỉ huy quán triệt, tổ chức thực hiện nghiêm túc Nghị quyết."]),
    ("kh-212-2021", ["BỘ QUỐC PHÒNG", "VĂN PHÒNG"], "212/KH-VP", "Hà Nội, ngày 04 tháng 01 năm 2021", "KẾ HOẠCH",
     "Cải cách hành chính năm 2021",
     ["Thực hiện cải cách hành chính, tập trung đơn giản hóa thủ tục hành chính và ứng dụng công nghệ thông tin trong văn phòng.",
      "Rà soát, công bố thủ tục hành chính thuộc thẩm quyền giải quyết; tiếp nhận hồ sơ qua bộ phận một cửa.",
      "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị trong quý IV."]),
    ("bc-19-2022", ["BỘ QUỐC PHÒNG", "VĂN PHÒNG"], "19/BC-VP", "Hà Nội, ngày 15 tháng 12 năm 2022", "BÁO CÁO",
     "Kết quả thực hiện CCHC năm 2022",
     ["Năm 2022, công tác CCHC đạt nhiều kết quả: 95% TTHC được giải quyết đúng hạn, hồ sơ điện tử được áp dụng rộng rãi.",
      "Tồn tại: một số đơn vị chưa cập nhật kịp thời TTHC mới, việc số hóa hồ sơ lưu trữ còn chậm."]),
    ("cv-1234-2019", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "1234/TCCNQP-KH", "Hà Nội, ngày 20 tháng 8 năm 2019", "",
     "V/v đăng ký nhu cầu vật tư nhập khẩu năm 2020",
     ["Đề nghị các nhà máy đăng ký nhu cầu thép làm khuôn dập nóng, hợp kim và vật tư nhập khẩu phục vụ sản xuất năm 2020.",
      "Bảng đăng ký gửi về Phòng Kế hoạch trước ngày 15 tháng 9 năm 2019."]),
    ("kh-66-2020", ["ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"], "66/KH-UBND", "Thái Nguyên, ngày 10 tháng 02 năm 2020", "KẾ HOẠCH",
     "Diễn tập khu vực phòng thủ tỉnh năm 2020",
     ["Ủy ban nhân dân tỉnh phối hợp với Bộ Chỉ huy quân sự tỉnh tổ chức diễn tập khu vực phòng thủ.",
      "Lực lượng dân quân tự vệ của các nhà máy quốc phòng trên địa bàn tham gia diễn tập phòng không nhân dân.",
      "Kinh phí diễn tập do ngân sách tỉnh bảo đảm."]),
    ("cv-845-2013", ["CỤC KỸ THUẬT"], "845/CKT-KHO", "Hà Nội, ngày 03 tháng 10 năm 2013", "",
     "V/v kiểm tra an toàn kho đạn mùa mưa bão",
     ["Mùa mưa bão năm 2013 có nhiều diễn biến phức tạp, đề nghị các đơn vị kiểm tra hệ thống chống sét, thoát nước tại các kho đạn.",
      "Tổ chức trực canh phòng, sẵn sàng di chuyển đạn dược khi có sự cố; báo cáo kết quả kiểm tra an toàn kho về Cục trước ngày 20."]),
    ("bc-58-2008", ["NHÀ MÁY Z183"], "58/BC-Z183", "Bắc Giang, ngày 30 tháng 6 năm 2008", "BÁO CÁO",
     "Tình hình sản xuất kinh doanh 6 tháng đầu năm 2008",
     ["Sáu tháng đầu năm, nhà máy gặp nhiều khó khăn do giá vật tư tăng, đơn hàng dân sinh giảm.",
      "Doanh thu đạt 48% kế hoạch năm; đời sống công nhân được bảo đảm; không để xảy ra mất an toàn lao động.",
      "Những khó khăn, vướng mắc cần cấp trên tháo gỡ: vốn lưu động, thủ tục nhập khẩu vật tư."]),
    ("qd-77-2016", ["BỘ TƯ LỆNH QUÂN KHU 1"], "77/QĐ-BTL", "Thái Nguyên, ngày 11 tháng 4 năm 2016", "QUYẾT ĐỊNH",
     "Về việc huấn luyện dân quân tự vệ năm 2016",
     ["Giao chỉ tiêu huấn luyện dân quân tự vệ cho các tỉnh trên địa bàn quân khu.",
      "Nội dung huấn luyện gồm điều lệnh, bắn súng bộ binh, phòng không và cứu hộ, cứu nạn."]),
    ("tb-102-2005", ["BỘ QUỐC PHÒNG", "CỤC TÁC CHIẾN"], "102/TB-TC", "Hà Nội, ngày 22 tháng 8 năm 2005", "THÔNG BÁO",
     "Về việc phòng chống giông, lốc, sét đối với các kho tàng",
     ["Mùa hè có nhiều cơn giông, lốc kèm sét đánh, nguy cơ gây cháy nổ kho tàng.",
      "Các đơn vị kiểm tra hệ thống chống sét, phương án phòng cháy, chữa cháy và sơ tán khi có giông lốc."]),
    ("hd-31-2012", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "31/HD-TCCNQP", "Hà Nội, ngày 07 tháng 5 năm 2012", "HƯỚNG DẪN",
     "Tuyển chọn quân nhân chuyên nghiệp vào làm việc tại các nhà máy",
     ["Hướng dẫn quy trình tuyển chọn quân nhân chuyên nghiệp có trình độ kỹ thuật vào các nhà máy quốc phòng.",
      "Người được tuyển chọn phải có bằng cao đẳng, đại học đúng chuyên ngành và đủ tiêu chuẩn sức khỏe.",
      "Hồ sơ gửi về Phòng Tổ chức cán bộ của Tổng cục."]),
    ("bc-203-2010", ["NHÀ MÁY Z115"], "203/BC-Z115", "Thái Nguyên, ngày 25 tháng 11 năm 2010", "BÁO CÁO",
     "Kết quả xử lý chất thải công nghiệp của nhà máy",
     ["Nhà máy đã đầu tư hệ thống xử lý nước thải, thu gom chất thải nguy hại từ dây chuyền mạ và sản xuất thuốc nổ.",
      "Kết quả quan trắc môi trường năm 2010 đạt quy chuẩn; bùn thải được chuyển giao cho đơn vị có chức năng xử lý."]),
    ("qd-562-2006", ["BỘ QUỐC PHÒNG"], "562/QĐ-BQP", "Hà Nội, ngày 16 tháng 3 năm 2006", "QUYẾT ĐỊNH",
     "Ban hành Quy chế lưu trữ hồ sơ, tài liệu tại Văn phòng",
     ["Hồ sơ, tài liệu có giá trị phải được nộp vào lưu trữ cơ quan đúng thời hạn.",
      "Tài liệu mật được lưu trữ riêng, sắp xếp theo độ mật; việc khai thác tài liệu lưu trữ phải được thủ trưởng phê duyệt.",
      "Văn thư cơ quan có trách nhiệm lập danh mục hồ sơ hằng năm."]),
    ("kh-47-2018", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "47/KH-TCCNQP", "Hà Nội, ngày 09 tháng 02 năm 2018", "KẾ HOẠCH",
     "Huấn luyện an toàn lao động, vệ sinh lao động năm 2018",
     ["Tổ chức huấn luyện an toàn lao động cho toàn bộ công nhân làm việc với máy móc, thiết bị có yêu cầu nghiêm ngặt.",
      "Người lao động được trang bị bảo hộ, hướng dẫn sơ cứu tai nạn lao động và phòng chống cháy nổ."]),
    ("nq-15-2019", ["ĐẢNG ỦY TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "15-NQ/ĐU", "Hà Nội, ngày 28 tháng 12 năm 2019", "NGHỊ QUYẾT",
     "Về lãnh đạo thực hiện nhiệm vụ năm 2020",
     ["Đảng ủy Tổng cục xác định nhiệm vụ trọng tâm năm 2020 là hoàn thành kế hoạch sản xuất quốc phòng, đẩy mạnh nghiên cứu, chế tạo vũ khí mới.",
      "Tiếp tục thực hiện Nghị quyết số 06-NQ/QUTW của Quân ủy Trung ương về phát triển công nghiệp quốc phòng."]),
    ("tb-35-2023", ["BỘ QUỐC PHÒNG", "CỤC TÀI CHÍNH"], "35/TB-CTC", "Hà Nội, ngày 06 tháng 3 năm 2023", "THÔNG BÁO",
     "Phân bổ dự toán ngân sách nhà nước năm 2023 cho các đơn vị",
     ["Thông báo phân bổ dự toán ngân sách nhà nước năm 2023 cho các nhà máy và cơ quan thuộc Bộ.",
      "Các đơn vị sử dụng kinh phí đúng mục đích, thanh quyết toán theo quy định của Luật Ngân sách nhà nước."]),
    ("cv-2315-2021", ["TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG"], "2315/TCCNQP-CNTT", "Hà Nội, ngày 18 tháng 10 năm 2021", "",
     "V/v triển khai chuyển đổi số trong công tác văn thư, lưu trữ",
     ["Triển khai phần mềm quản lý văn bản và hồ sơ công việc, số hóa tài liệu lưu trữ.",
      "Văn bản điện tử ký số có giá trị như bản giấy; tài liệu mật không được xử lý trên mạng Internet."]),
    ("qd-1180-2017", ["BỘ QUỐC PHÒNG"], "1180/QĐ-BQP", "Hà Nội, ngày 30 tháng 3 năm 2017", "QUYẾT ĐỊNH",
     "Về việc khen thưởng các tập thể, cá nhân có thành tích trong sản xuất quốc phòng",
     ["Tặng Bằng khen của Bộ trưởng cho các tập thể, cá nhân có thành tích xuất sắc trong sản xuất, sửa chữa vũ khí năm 2016.",
      "Thực hiện theo Quyết định số 821/QĐ-BQP về bảo quản vũ khí và các quy định về thi đua, khen thưởng."]),
    ("bb-14-2009", ["NHÀ MÁY Z121"], "14/BB-Z121", "Phú Thọ, ngày 21 tháng 10 năm 2009", "BIÊN BẢN",
     "Kiểm kê tài sản, vật tư tại kho nhà máy",
     ["Hội đồng kiểm kê tiến hành kiểm kê tài sản, vật tư, nguyên liệu tại kho số 3.",
      "Kết quả: số lượng thực tế khớp với sổ sách, một số vật tư quá hạn sử dụng đề nghị thanh lý."]),
]

# Documents with article structure (Chương / Mục / Điều / khoản / điểm), written for the
# "question" and "citation" groups of bench/quality.py, whole texts in the layout of NĐ 30/2020.
# Two carry a secrecy stamp, so citations of them can be typed by users who may not see them;
# the third cites both. A Quyết định that issues a Quy định numbers its articles twice (the
# decision's Điều 1-3, then the Quy định's Điều 1-n), as such documents do.
STRUCTURED_DOCS = [
    ("tt-52-2015", """BỘ QUỐC PHÒNG
Số: 52/2015/TT-BQP
MẬT
Hà Nội, ngày 14 tháng 7 năm 2015

THÔNG TƯ
Quy định việc quản lý, cho mượn và thanh lý vũ khí, trang bị tại các nhà máy

Căn cứ Nghị định số 35/2013/NĐ-CP ngày 22 tháng 4 năm 2013 của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Quốc phòng;
Bộ trưởng Bộ Quốc phòng ban hành Thông tư quy định việc quản lý, cho mượn và thanh lý vũ khí, trang bị tại các nhà máy.

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Thông tư này quy định việc quản lý, cho mượn, điều chuyển và thanh lý vũ khí, trang bị tại các nhà máy thuộc Tổng cục Công nghiệp quốc phòng.

Điều 2. Nguyên tắc quản lý
1. Mọi vũ khí, trang bị phải được đăng ký, có sổ theo dõi và có người chịu trách nhiệm.
2. Không được cho mượn, điều chuyển hoặc thanh lý vũ khí, trang bị khi chưa có quyết định của cấp có thẩm quyền.

Chương II
QUẢN LÝ VÀ CHO MƯỢN

Mục 1. THỦ KHO

Điều 3. Trách nhiệm của thủ kho
1. Thủ kho chịu trách nhiệm trước giám đốc nhà máy về số lượng, chất lượng vũ khí, trang bị trong kho.
2. Thủ kho ghi chép đầy đủ việc xuất, nhập kho vào sổ theo dõi ngay trong ngày.
3. Thủ kho không được tự ý cho mượn, cho thuê hoặc mang vũ khí, trang bị ra khỏi kho; mọi việc xuất kho phải có lệnh bằng văn bản của giám đốc nhà máy.

Điều 4. Giao nhận giữa các thủ kho
Khi thay đổi thủ kho, hai bên phải đối chiếu sổ theo dõi với thực tế và lập biên bản giao nhận có xác nhận của trưởng phòng kỹ thuật.

Mục 2. CHO MƯỢN VŨ KHÍ, TRANG BỊ

Điều 5. Điều kiện cho mượn
1. Vũ khí, trang bị chỉ được cho mượn để huấn luyện, diễn tập hoặc thử nghiệm sản phẩm.
2. Việc cho mượn phải có văn bản đề nghị của đơn vị mượn và được giám đốc nhà máy phê duyệt; thời hạn mượn không quá 30 ngày.
3. Đơn vị mượn có trách nhiệm:
a) Cử người có đủ thẩm quyền ký biên bản giao nhận;
b) Bảo đảm an toàn trong vận chuyển và sử dụng;
c) Hoàn trả đúng thời hạn, đủ số lượng và đồng bộ.

Điều 6. Hồ sơ cho mượn
Hồ sơ cho mượn gồm văn bản đề nghị, quyết định phê duyệt, biên bản giao nhận và biên bản hoàn trả; hồ sơ được giữ tại phòng kỹ thuật của nhà máy.

Chương III
THANH LÝ

Điều 7. Thẩm quyền phê duyệt thanh lý
1. Việc thanh lý vũ khí phải được Tổng cục Công nghiệp quốc phòng phê duyệt.
2. Việc thanh lý trang bị kỹ thuật khác do giám đốc nhà máy quyết định sau khi có ý kiến của Cục Kỹ thuật; giám đốc nhà máy báo cáo Tổng cục kết quả thanh lý.

Điều 8. Trình tự thanh lý
1. Hội đồng thanh lý của nhà máy đánh giá tình trạng kỹ thuật và lập danh sách đề nghị thanh lý.
2. Vũ khí thanh lý phải được hủy bỏ tính năng chiến đấu trước khi bán hoặc chuyển giao.

Điều 9. Hiệu lực thi hành
Thông tư này có hiệu lực kể từ ngày 01 tháng 9 năm 2015.
"""),
    ("qd-305-tccnqp-2016", """TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG
Số: 305/QĐ-TCCNQP
TỐI MẬT
Hà Nội, ngày 12 tháng 5 năm 2016

QUYẾT ĐỊNH
Ban hành Quy định chế độ trực ban, trực chỉ huy tại các nhà máy

Điều 1. Ban hành kèm theo Quyết định này Quy định chế độ trực ban, trực chỉ huy tại các nhà máy thuộc Tổng cục.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Các quy định trước đây trái với Quyết định này đều bãi bỏ.
Điều 3. Giám đốc các nhà máy và thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.

QUY ĐỊNH
Chế độ trực ban, trực chỉ huy tại các nhà máy
(Ban hành kèm theo Quyết định số 305/QĐ-TCCNQP)

Chương I
QUY ĐỊNH CHUNG

Điều 1. Đối tượng áp dụng
Quy định này áp dụng đối với cán bộ trực chỉ huy, trực ban nội vụ và nhân viên trực tại các nhà máy.

Điều 2. Thời gian trực
Ca trực kéo dài 24 giờ, bắt đầu từ 07 giờ 30 hằng ngày; ngày lễ, tết nhà máy tăng cường lực lượng trực.

Chương II
NHIỆM VỤ TRỰC

Điều 3. Nhiệm vụ của cán bộ trực chỉ huy
1. Nắm chắc tình hình mọi mặt của nhà máy trong ca trực.
2. Chỉ huy xử lý các tình huống đột xuất, báo cáo ngay giám đốc nhà máy khi có sự việc vượt quá thẩm quyền.

Điều 4. Nhiệm vụ của trực ban nội vụ
1. Kiểm tra việc chấp hành giờ giấc làm việc, nghỉ ngơi của cán bộ, công nhân viên.
2. Đôn đốc việc vệ sinh doanh trại và kiểm tra khách ra vào cổng nhà máy.

Điều 5. Giao nhận ca trực
1. Việc giao nhận ca trực thực hiện tại phòng trực ban, có mặt cả hai cán bộ trực của ca trước và ca sau.
2. Cán bộ trực không được rời vị trí khi chưa bàn giao ca trực; mọi sự việc trong ca phải được ghi vào sổ nhật ký trực ban và ký xác nhận.
3. Tài liệu, chìa khóa, con dấu trực được bàn giao đủ, có ký nhận.

Điều 6. Xử lý vi phạm
Cán bộ, nhân viên bỏ trực, ngủ trong ca trực hoặc không ghi sổ nhật ký trực ban thì tùy theo mức độ bị xử lý kỷ luật.
"""),
    ("cv-418-2016", """TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG
Số: 418/TCCNQP-KT
Hà Nội, ngày 20 tháng 9 năm 2016

V/v thực hiện các quy định về cho mượn, thanh lý vũ khí và chế độ trực ban

Kính gửi: Giám đốc các nhà máy

Qua kiểm tra năm 2016, một số nhà máy cho mượn vũ khí khi chưa có quyết định phê duyệt, thanh lý trang bị chưa báo cáo kết quả về Tổng cục. Tổng cục yêu cầu các nhà máy:
1. Thực hiện đúng Điều 5 và Điều 7 Thông tư số 52/2015/TT-BQP về điều kiện cho mượn và thẩm quyền phê duyệt thanh lý.
2. Chấn chỉnh việc giao nhận ca trực theo khoản 2 Điều 5 Quy định ban hành kèm theo Quyết định số 305/QĐ-TCCNQP; cán bộ trực phải ghi đầy đủ sổ nhật ký.
3. Báo cáo kết quả khắc phục về Phòng Kỹ thuật trước ngày 30 tháng 10 năm 2016.
"""),
]
