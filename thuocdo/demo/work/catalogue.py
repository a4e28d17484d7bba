"""The task catalogue of the demo: job positions and their products (NĐ 335 Điều 14), the
position each duty group of the registry holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from thuocdo.work.models import ProductGroup, ProductType

# ---------------------------------------------------------------------------------------------
# Task catalogue: job positions and their products (NĐ 335 Điều 14: each product converts to
# the standard product by its factor).


@dataclass(frozen=True)
class _Product:
    """A product type and how the demo turns it into tasks."""

    code: str
    name: str
    group: str
    unit: str
    factor: str
    norm: int | None
    low: int  # quantity of one task, from low to high
    high: int
    titles: tuple[str, ...]  # "{m}" is the month, mm/yyyy


@dataclass(frozen=True)
class _Position:
    """A job position (vị trí việc làm) with its catalogue."""

    code: str
    name: str
    products: tuple[_Product, ...]


A, B, C, D = (g.value for g in ProductGroup)

REPORT = _Product(
    "BC", "Báo cáo định kỳ, chuyên đề", B, "báo cáo", "2", 4, 1, 2,
    ("Báo cáo kết quả công tác tháng {m}", "Báo cáo chuyên đề theo yêu cầu của lãnh đạo"),
)  # fmt: skip
AD_HOC = _Product(
    "PS", "Nhiệm vụ phát sinh do lãnh đạo giao", D, "việc", "1.5", None, 1, 2,
    ("Nhiệm vụ đột xuất do lãnh đạo giao", "Phối hợp chuẩn bị nội dung làm việc với đoàn kiểm tra"),
)  # fmt: skip

POSITIONS: tuple[_Position, ...] = (
    _Position("LDQL", "Lãnh đạo, quản lý", (
        _Product("LD-CD", "Chỉ đạo, điều hành chương trình, kế hoạch công tác", A, "chương trình",
                 "5", 2, 1, 2, ("Chỉ đạo triển khai kế hoạch công tác tháng {m}",
                                "Chỉ đạo thực hiện chương trình trọng tâm của đơn vị")),
        _Product("LD-HOP", "Chủ trì cuộc họp, hội nghị", A, "cuộc họp", "1.5", 6, 2, 5,
                 ("Chủ trì giao ban, hội nghị tháng {m}", "Chủ trì họp chuyên đề với các bộ phận")),
        _Product("LD-KY", "Văn bản ký ban hành", A, "văn bản", "0.3", 40, 15, 40,
                 ("Xem xét, ký ban hành văn bản tháng {m}",)),
        _Product("LD-KT", "Kiểm tra, giám sát, đôn đốc", A, "cuộc", "3", 2, 1, 2,
                 ("Kiểm tra việc thực hiện nhiệm vụ của các bộ phận",
                  "Giám sát, đôn đốc tiến độ các nhiệm vụ chậm")),
        _Product("LD-TD", "Tiếp công dân, đối thoại", A, "buổi", "1", 2, 1, 3,
                 ("Tiếp công dân định kỳ tháng {m}",)),
    )),
    _Position("XA-VPTK", "Văn phòng – Thống kê (xã, phường)", (
        _Product("VP-VB", "Dự thảo văn bản hành chính", C, "văn bản", "0.5", 20, 6, 15,
                 ("Dự thảo công văn, thông báo của UBND tháng {m}",
                  "Dự thảo kế hoạch, thông báo kết luận cuộc họp")),
        REPORT,
        _Product("VP-TK", "Báo cáo thống kê", C, "biểu", "1.5", 3, 1, 3,
                 ("Tổng hợp số liệu thống kê kinh tế - xã hội tháng {m}",)),
        _Product("VP-MC", "Hồ sơ tiếp nhận, trả kết quả một cửa", C, "hồ sơ", "0.2", 80, 20, 60,
                 ("Tiếp nhận, trả kết quả hồ sơ tại bộ phận một cửa tháng {m}",)),
        AD_HOC,
    )),
    _Position("XA-TPHT", "Tư pháp – Hộ tịch (xã, phường)", (
        _Product("TP-KS", "Đăng ký khai sinh, khai tử", C, "hồ sơ", "0.4", 30, 10, 35,
                 ("Đăng ký khai sinh, khai tử tháng {m}",)),
        _Product("TP-KH", "Đăng ký kết hôn, xác nhận tình trạng hôn nhân", C, "hồ sơ", "0.6", 15,
                 5, 15, ("Đăng ký kết hôn, xác nhận tình trạng hôn nhân tháng {m}",)),
        _Product("TP-CT", "Chứng thực bản sao, chữ ký", C, "bản", "0.05", 300, 80, 250,
                 ("Chứng thực bản sao từ bản chính, chứng thực chữ ký tháng {m}",)),
        _Product("TP-HG", "Hòa giải ở cơ sở", C, "vụ việc", "2", 2, 1, 3,
                 ("Phối hợp tổ hòa giải giải quyết vụ việc ở khu dân cư",)),
        _Product("TP-PB", "Tuyên truyền, phổ biến pháp luật", C, "buổi", "1.5", 2, 1, 2,
                 ("Tổ chức tuyên truyền pháp luật về hộ tịch cho người dân",)),
    )),
    _Position("XA-DCXD", "Địa chính – Xây dựng – Đô thị và Môi trường (xã, phường)", (
        _Product("DC-GCN", "Hồ sơ đăng ký, cấp giấy chứng nhận quyền sử dụng đất", C, "hồ sơ",
                 "2.5", 8, 3, 8,
                 ("Thẩm tra hồ sơ cấp giấy chứng nhận quyền sử dụng đất tháng {m}",)),
        _Product("DC-KT", "Kiểm tra trật tự xây dựng", C, "lượt", "1", 8, 4, 10,
                 ("Kiểm tra trật tự xây dựng trên địa bàn tháng {m}",
                  "Kiểm tra công trình xây dựng không phép tại khu phố")),
        _Product("DC-VP", "Biên bản xử lý vi phạm hành chính", C, "biên bản", "1.5", 3, 1, 4,
                 ("Lập hồ sơ xử lý vi phạm về đất đai, xây dựng",)),
        _Product("DC-TC", "Hồ sơ hòa giải tranh chấp đất đai", C, "hồ sơ", "3", 1, 1, 2,
                 ("Chuẩn bị hồ sơ hòa giải tranh chấp đất đai",)),
        _Product("DC-MT", "Kiểm tra vệ sinh môi trường", C, "lượt", "0.8", 4, 2, 5,
                 ("Kiểm tra thu gom rác thải, vệ sinh môi trường khu dân cư",)),
    )),
    _Position("XA-TCKT", "Tài chính – Kế toán (xã, phường)", (
        _Product("TC-CT", "Chứng từ thu, chi ngân sách", C, "chứng từ", "0.1", 150, 40, 120,
                 ("Lập, kiểm soát chứng từ thu, chi ngân sách tháng {m}",)),
        _Product("TC-BC", "Báo cáo tài chính, ngân sách tháng", C, "báo cáo", "3", 1, 1, 1,
                 ("Báo cáo thu, chi ngân sách phường tháng {m}",)),
        _Product("TC-DT", "Dự toán, quyết toán ngân sách", C, "bộ hồ sơ", "6", None, 1, 1,
                 ("Xây dựng dự toán ngân sách năm sau",
                  "Quyết toán kinh phí chương trình mục tiêu")),
        _Product("TC-TS", "Kiểm kê, theo dõi tài sản công", C, "lần", "2", 1, 1, 1,
                 ("Rà soát, cập nhật sổ theo dõi tài sản công",)),
        REPORT,
    )),
    _Position("XA-VHXH", "Văn hóa – Xã hội (xã, phường)", (
        _Product("VH-CS", "Hồ sơ chính sách người có công", C, "hồ sơ", "1.5", 6, 2, 6,
                 ("Giải quyết hồ sơ chế độ chính sách người có công tháng {m}",)),
        _Product("VH-BT", "Hồ sơ bảo trợ xã hội", C, "hồ sơ", "1.2", 8, 3, 8,
                 ("Thẩm tra hồ sơ trợ cấp bảo trợ xã hội tháng {m}",)),
        _Product("VH-HN", "Rà soát hộ nghèo, cận nghèo", C, "khu phố", "2", 3, 1, 4,
                 ("Rà soát biến động hộ nghèo, hộ cận nghèo tại các khu phố",)),
        _Product("VH-VN", "Tổ chức hoạt động văn hóa, thể thao", C, "chương trình", "4", 1, 1, 1,
                 ("Tổ chức chương trình văn nghệ, thể thao chào mừng ngày lễ",)),
        _Product("VH-TT", "Bài viết, tin tuyên truyền", C, "bài", "0.8", 6, 2, 6,
                 ("Viết tin, bài tuyên truyền trên trang thông tin điện tử phường",)),
    )),
    _Position("XA-QS", "Chỉ huy trưởng Ban Chỉ huy Quân sự (xã, phường)", (
        _Product("QS-DK", "Hồ sơ đăng ký nghĩa vụ quân sự", C, "hồ sơ", "0.4", 20, 5, 20,
                 ("Đăng ký, quản lý công dân trong độ tuổi nghĩa vụ quân sự",)),
        _Product("QS-HL", "Buổi huấn luyện dân quân", C, "buổi", "2", 4, 2, 4,
                 ("Tổ chức huấn luyện dân quân tự vệ tháng {m}",)),
        _Product("QS-TQ", "Kế hoạch tuyển quân, diễn tập", C, "kế hoạch", "4", None, 1, 1,
                 ("Xây dựng kế hoạch tuyển chọn, gọi công dân nhập ngũ",)),
        REPORT,
    )),
    _Position("XA-VPDU", "Văn phòng Đảng ủy (xã, phường)", (
        _Product("DU-NQ", "Dự thảo nghị quyết, kế hoạch của Đảng ủy", C, "văn bản", "3", 2, 1, 2,
                 ("Dự thảo nghị quyết lãnh đạo nhiệm vụ tháng {m} của Đảng ủy",)),
        _Product("DU-KN", "Hồ sơ kết nạp đảng viên", C, "hồ sơ", "2", 2, 1, 3,
                 ("Thẩm định hồ sơ đề nghị kết nạp đảng viên",)),
        _Product("DU-HS", "Quản lý hồ sơ đảng viên, chuyển sinh hoạt đảng", C, "hồ sơ", "0.5", 10,
                 3, 12, ("Cập nhật hồ sơ, chuyển sinh hoạt đảng cho đảng viên",)),
        REPORT,
    )),
    _Position("XA-DT", "Cán bộ chuyên trách đoàn thể (xã, phường)", (
        _Product("DT-VD", "Hoạt động tuyên truyền, vận động", C, "hoạt động", "1.5", 3, 1, 3,
                 ("Tổ chức tuyên truyền, vận động hội viên tháng {m}",)),
        _Product("DT-HV", "Phát triển hội viên, đoàn viên", C, "người", "0.3", 10, 3, 12,
                 ("Vận động kết nạp hội viên, đoàn viên mới",)),
        _Product("DT-GS", "Giám sát, phản biện xã hội", C, "cuộc", "3", 1, 1, 1,
                 ("Tham gia giám sát việc thực hiện chính sách tại khu dân cư",)),
        REPORT,
    )),
    _Position("CV-TH", "Chuyên viên tham mưu, tổng hợp", (
        _Product("CV-TT", "Tờ trình, dự thảo văn bản tham mưu", C, "văn bản", "2", 6, 2, 6,
                 ("Dự thảo tờ trình, văn bản tham mưu tháng {m}",
                  "Tham mưu văn bản hướng dẫn triển khai nhiệm vụ của ngành")),
        REPORT,
        _Product("CV-TD", "Hồ sơ thẩm định, góp ý", C, "hồ sơ", "2.5", 4, 1, 4,
                 ("Thẩm định hồ sơ trình lãnh đạo", "Góp ý dự thảo văn bản của cơ quan bạn")),
        _Product("CV-DA", "Đề án, kế hoạch chuyên đề", C, "đề án", "10", None, 1, 1,
                 ("Xây dựng đề án chuyên đề của cơ quan", "Xây dựng kế hoạch thực hiện năm sau")),
        _Product("CV-KN", "Văn bản trả lời kiến nghị", C, "văn bản", "1", 5, 1, 5,
                 ("Tham mưu trả lời kiến nghị của cử tri, doanh nghiệp",)),
        AD_HOC,
    )),
    _Position("KT", "Kế toán", (
        _Product("KT-CT", "Chứng từ kế toán", C, "chứng từ", "0.1", 120, 40, 120,
                 ("Lập, kiểm tra chứng từ thu, chi tháng {m}",)),
        _Product("KT-BC", "Báo cáo tài chính tháng", C, "báo cáo", "3", 1, 1, 1,
                 ("Lập báo cáo tài chính tháng {m}",)),
        _Product("KT-QT", "Quyết toán, dự toán", C, "bộ hồ sơ", "6", None, 1, 1,
                 ("Quyết toán kinh phí hoạt động của cơ quan",)),
    )),
    _Position("VT", "Văn thư, lưu trữ, thư viện", (
        _Product("VT-DEN", "Văn bản đến được xử lý", C, "văn bản", "0.05", 400, 120, 400,
                 ("Tiếp nhận, đăng ký, chuyển văn bản đến tháng {m}",)),
        _Product("VT-DI", "Văn bản đi được phát hành", C, "văn bản", "0.05", 250, 80, 250,
                 ("Phát hành văn bản đi tháng {m}",)),
        _Product("VT-LT", "Hồ sơ lập, nộp lưu", C, "hồ sơ", "0.5", 20, 5, 20,
                 ("Chỉnh lý, lập hồ sơ nộp lưu cơ quan",)),
    )),
    _Position("GV", "Giáo viên", (
        _Product("GV-TD", "Tiết dạy", C, "tiết", "0.25", 76, 60, 80,
                 ("Giảng dạy theo thời khóa biểu tháng {m}",)),
        _Product("GV-KT", "Bài kiểm tra được chấm, nhận xét", C, "bài", "0.05", 150, 80, 200,
                 ("Chấm, nhận xét bài kiểm tra định kỳ",)),
        _Product("GV-CD", "Chuyên đề sinh hoạt chuyên môn", C, "chuyên đề", "3", 1, 1, 1,
                 ("Thực hiện chuyên đề sinh hoạt tổ chuyên môn",)),
        _Product("GV-BD", "Bồi dưỡng học sinh giỏi, phụ đạo học sinh yếu", C, "buổi", "1", 4, 2, 6,
                 ("Bồi dưỡng học sinh giỏi, phụ đạo học sinh yếu tháng {m}",)),
    )),
    _Position("BS", "Bác sĩ", (
        _Product("BS-KB", "Lượt khám, điều trị", C, "lượt", "0.1", 300, 150, 400,
                 ("Khám, điều trị người bệnh tháng {m}",)),
        _Product("BS-PT", "Ca phẫu thuật, thủ thuật", C, "ca", "2", 10, 3, 12,
                 ("Thực hiện phẫu thuật, thủ thuật theo lịch",)),
        _Product("BS-HS", "Hồ sơ bệnh án hoàn chỉnh", C, "hồ sơ", "0.3", 40, 20, 60,
                 ("Hoàn thiện hồ sơ bệnh án ra viện tháng {m}",)),
        _Product("BS-TR", "Ca trực", C, "ca", "1", 6, 4, 8, ("Trực cấp cứu theo lịch tháng {m}",)),
    )),
    _Position("DD", "Điều dưỡng, y tế", (
        _Product("DD-CS", "Lượt chăm sóc người bệnh", C, "lượt", "0.1", 250, 120, 300,
                 ("Chăm sóc người bệnh tại khoa tháng {m}",)),
        _Product("DD-TR", "Ca trực", C, "ca", "1", 8, 4, 10,
                 ("Trực điều dưỡng theo lịch tháng {m}",)),
        _Product("DD-TT", "Buổi truyền thông giáo dục sức khỏe", C, "buổi", "1", 2, 1, 3,
                 ("Truyền thông giáo dục sức khỏe cho người bệnh, học sinh",)),
    )),
    _Position("DS", "Dược sĩ", (
        _Product("DS-CP", "Đơn thuốc được duyệt, cấp phát", C, "đơn", "0.05", 400, 150, 400,
                 ("Duyệt, cấp phát thuốc theo đơn tháng {m}",)),
        _Product("DS-KK", "Kiểm kê kho thuốc", C, "lần", "3", 1, 1, 1,
                 ("Kiểm kê kho thuốc tháng {m}",)),
        REPORT,
    )),
    _Position("KTV", "Kỹ thuật viên y tế", (
        _Product("KTV-XN", "Xét nghiệm, chẩn đoán hình ảnh", C, "mẫu", "0.05", 500, 200, 500,
                 ("Thực hiện xét nghiệm, chụp chiếu tháng {m}",)),
        _Product("KTV-TB", "Bảo dưỡng trang thiết bị", C, "lần", "1", 4, 2, 4,
                 ("Bảo dưỡng, hiệu chuẩn trang thiết bị",)),
    )),
    _Position("NVHT", "Nhân viên hỗ trợ, phục vụ", (
        _Product("HT-PV", "Ca phục vụ, bảo vệ", C, "ca", "0.5", 22, 18, 24,
                 ("Thực hiện ca phục vụ, bảo vệ tháng {m}",)),
        _Product("HT-VS", "Công việc vệ sinh, hậu cần", C, "việc", "0.5", 10, 4, 10,
                 ("Chuẩn bị hậu cần hội nghị, vệ sinh cơ quan",)),
    )),
    _Position("DV", "Đảng viên sinh hoạt tại chi bộ", (
        _Product("DV-PC", "Nhiệm vụ chi bộ phân công", C, "việc", "2", 1, 1, 2,
                 ("Thực hiện nhiệm vụ chi bộ phân công tháng {m}",)),
        _Product("DV-SH", "Sinh hoạt chi bộ", C, "buổi", "1", 1, 1, 1,
                 ("Dự sinh hoạt chi bộ định kỳ tháng {m}",)),
        _Product("DV-VD", "Vận động quần chúng tại khu dân cư", C, "hộ", "0.2", 10, 5, 15,
                 ("Vận động các hộ gia đình thực hiện nếp sống văn minh",)),
    )),
)  # fmt: skip

# Staff duty groups of `thuocdo.demo.registry` and the position each one holds.
COMMUNE_POSITIONS = {
    "CC-XA-VP": "XA-VPTK",
    "CC-XA-TP": "XA-TPHT",
    "CC-XA-DC": "XA-DCXD",
    "CC-XA-TC": "XA-TCKT",
    "CC-XA-VH": "XA-VHXH",
    "CC-XA-QS": "XA-QS",
    "CC-XA-DU": "XA-VPDU",
    "CB-XA-DT": "XA-DT",
    "DV-CHIBO": "DV",
}
SUFFIX_POSITIONS = (
    ("-KT", "KT"),
    ("-VT", "VT"),
    ("-TV", "VT"),
    ("-GV", "GV"),
    ("-BS", "BS"),
    ("-DD", "DD"),
    ("-YT", "DD"),
    ("-DS", "DS"),
    ("-KTV", "KTV"),
)


def position_for(duty_group: str) -> str:
    """The job position code of a post, from its duty group."""
    if duty_group.startswith(("LĐ-", "PLĐ-")):
        return "LDQL"
    if duty_group in COMMUNE_POSITIONS:
        return COMMUNE_POSITIONS[duty_group]
    for suffix, code in SUFFIX_POSITIONS:
        if duty_group.endswith(suffix):
            return code
    if duty_group.startswith("LD-"):  # contract staff (lao động hợp đồng)
        return "NVHT"
    return "CV-TH"


_SPECS = {p.code: {q.code: q for q in p.products} for p in POSITIONS}


def _spec(product: ProductType) -> _Product:
    return _SPECS[product.job_position.code][product.code]
