"""The shape of the demo city: names, unit profiles (who leads a kind of unit and who works
there), the city's boards, departments and offices. Plain data, no database."""

from __future__ import annotations

from dataclasses import dataclass

from thuocdo.org.models import Category

ROOT_CODE = "TP"
CITY_AUTHORITY_CODE = "BTV-TU"

# ---------------------------------------------------------------------------------------------
# Names. Family names are weighted roughly by their share of the population.

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 31.5), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0),
    ("Huỳnh", 2.5), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 2.0), ("Đặng", 2.0), ("Bùi", 2.0),
    ("Đỗ", 1.5), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8),
    ("Trương", 0.8), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Hà", 0.5),
    ("Cao", 0.4), ("Lương", 0.4), ("Tạ", 0.3), ("Châu", 0.3), ("Tô", 0.3), ("Kiều", 0.2),
    ("Văn", 0.2), ("Thái", 0.2), ("La", 0.1), ("Quách", 0.1), ("Lưu", 0.3), ("Từ", 0.1),
)  # fmt: skip
MIDDLE_MALE = (
    "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Quang", "Xuân",
    "Ngọc", "Anh", "Hoàng", "Trọng", "Tuấn", "Duy", "Thanh", "Gia", "Đình", "Việt", "Bá",
)  # fmt: skip
MIDDLE_FEMALE = (
    "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Diệu",
    "Phương", "Mai", "Bích", "Hải", "Khánh", "Bảo", "Tuyết", "Ánh", "Quỳnh", "Mỹ",
)  # fmt: skip
# Second middle names for women, as in "Nguyễn Thị Hồng Nhung".
MIDDLE_FEMALE_SECOND = ("Hồng", "Thanh", "Thu", "Ngọc", "Minh", "Kim", "Mỹ", "Phương", "Bích")
GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Phong",
    "Quân", "Hiếu", "Trung", "Khoa", "Đạt", "Bình", "Phúc", "Thành", "Tâm", "Huy", "Khánh",
    "Lâm", "Nghĩa", "Quang", "Tài", "Thịnh", "Vinh", "Việt", "Hoàng", "Kiên", "Lộc", "Toàn",
    "Tùng", "Trí", "Hưng", "Đông", "Duy", "An", "Bảo", "Lực", "Thuận", "Định", "Chiến",
)  # fmt: skip
GIVEN_FEMALE = (
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Nga", "Hằng", "Thảo", "Nhung", "Hạnh",
    "Huyền", "Thủy", "Yến", "Vân", "Ngọc", "Phương", "Loan", "Dung", "Liên", "Oanh", "Quyên",
    "Trâm", "Vy", "Anh", "Hà", "Giang", "Thu", "Hiền", "Nhàn", "Tuyết", "Diệp", "Chi", "My",
    "Uyên", "Thư", "Lệ", "Xuân",
)  # fmt: skip
# Ethnic minorities and family names common among them; about 3% of the demo.
MINORITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tày", ("Hoàng", "Nông", "Lương", "Ma")),
    ("Thái", ("Lò", "Cầm", "Lường", "Quàng")),
    ("Mường", ("Bùi", "Đinh", "Quách", "Hà")),
    ("Khmer", ("Thạch", "Danh", "Sơn", "Kim")),
    ("Hoa", ("Lý", "Quách", "Châu", "Hứa")),
    ("Nùng", ("Nông", "Hoàng", "Vi", "Lương")),
    ("Dao", ("Triệu", "Bàn", "Đặng")),
    ("Chăm", ("Đàng", "Thuận", "Lưu")),
)
MINORITY_RATE = 0.03
SCHOOL_NAMES = (
    "Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Chu Văn An", "Nguyễn Trãi", "Lê Lợi", "Quang Trung",
    "Nguyễn Huệ", "Hùng Vương", "Trần Hưng Đạo", "Lý Thường Kiệt", "Võ Thị Sáu", "Phan Bội Châu",
    "Phan Chu Trinh", "Nguyễn Bỉnh Khiêm", "Lương Thế Vinh", "Trưng Vương", "Bà Triệu",
    "Nguyễn Khuyến", "Nguyễn Đình Chiểu", "Tô Hiến Thành", "Ngô Quyền", "Đinh Tiên Hoàng",
    "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Võ Văn Kiệt", "Hoàng Hoa Thám", "Trần Quốc Toản",
    "Kim Đồng", "Lê Văn Tám", "Mạc Đĩnh Chi", "Hai Bà Trưng", "Phạm Ngũ Lão", "Yết Kiêu",
    "Trần Quang Khải", "Nguyễn Văn Trỗi", "Lý Tự Trọng", "Đoàn Thị Điểm", "Chu Mạnh Trinh",
    "Nguyễn Hiền",
)  # fmt: skip
HOSPITAL_NAMES = (
    "Bệnh viện Đa khoa Thành phố", "Bệnh viện Nhi", "Bệnh viện Phụ sản",
    "Bệnh viện Y học cổ truyền", "Bệnh viện Mắt", "Bệnh viện Phổi", "Bệnh viện Tâm thần",
    "Bệnh viện Ung bướu",
    "Bệnh viện Da liễu", "Bệnh viện Phục hồi chức năng", "Bệnh viện Răng Hàm Mặt",
    "Bệnh viện Đa khoa khu vực phía Bắc",
)  # fmt: skip
RURAL_DISTRICTS = ("Mẫu Sơn", "An Lạc", "Phú Bình")
COMMUNE_NAMES = (
    "An Phú", "Bình Minh", "Tân Lập", "Hòa Bình", "Phú Thọ", "Thạnh Mỹ", "Long Hưng", "Đông Hòa",
    "Tân Phước", "Vĩnh Lộc", "Mỹ Hạnh", "Phước Kiển", "Hưng Long", "Đa Phước", "Quy Đức",
    "Tân Nhựt", "Xuân Thới", "Trung An", "Bình Lợi", "Phước Hiệp", "Thái Mỹ", "An Nhơn",
    "Tân Thạnh", "Hòa Phú", "Lộc Hưng", "Phú Hòa", "Nhuận Đức", "Trung Lập", "Phước Vĩnh",
    "Bình Khánh", "Thạnh An", "Lý Nhơn", "Tam Thôn", "Long Hòa", "Cần Thạnh", "An Thới Đông",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Unit profiles: who leads a kind of unit and who works there.


@dataclass(frozen=True)
class _Job:
    """A staff title, its duty group and its category; `weight` is its share of the staff."""

    title: str
    group: str
    category: str
    weight: float = 1.0


@dataclass(frozen=True)
class _Profile:
    """How a kind of unit is staffed."""

    head: str
    deputies: tuple[str, ...]
    group: str  # duty group stem: heads get "LĐ-<group>", deputies "PLĐ-<group>"
    leader_category: str
    jobs: tuple[_Job, ...]
    weight: float  # share of the staff handed out in proportion to unit weights
    female_rate: float = 0.56
    lean_deputies: int = 1  # deputies kept when people are too few for the full structure
    key: bool = False  # heads and deputies are key leaders (cán bộ chủ chốt)


CB, CC, VC, LD, KH = (
    Category.CADRE.value,
    Category.CIVIL_SERVANT.value,
    Category.PUBLIC_EMPLOYEE.value,
    Category.WORKER.value,
    Category.OTHER.value,
)


def _agency_jobs(level: str, stem: str) -> tuple[_Job, ...]:
    """The usual staff of a Party or State agency."""
    return (
        _Job("Chuyên viên", f"CC-{level}-{stem}", CC, 6),
        _Job("Chuyên viên chính", f"CC-{level}-{stem}", CC, 2),
        _Job("Kế toán", f"CC-{level}-KT", CC, 0.5),
        _Job("Văn thư", f"CC-{level}-VT", CC, 0.5),
        _Job("Nhân viên hợp đồng", f"LD-{level}", LD, 0.6),
    )


P_CITY = _Profile(
    "Bí thư Thành ủy",
    ("Phó Bí thư Thường trực Thành ủy", "Phó Bí thư Thành ủy"),
    "TP-BT", CB, _agency_jobs("TP", "TU"), 2, lean_deputies=2, key=True,
)  # fmt: skip
P_CITY_BOARD = _Profile(
    "Trưởng ban", ("Phó Trưởng ban", "Phó Trưởng ban"), "TP-BAN", CB, _agency_jobs("TP", "BAN"), 6
)
P_CITY_OFFICE = _Profile(
    "Chánh Văn phòng", ("Phó Chánh Văn phòng", "Phó Chánh Văn phòng"), "TP-VP", CB,
    _agency_jobs("TP", "VP"), 6,
)  # fmt: skip
P_CITY_HDND = _Profile(
    "Chủ tịch HĐND thành phố", ("Phó Chủ tịch HĐND thành phố",), "TP-HDND", CB,
    _agency_jobs("TP", "HDND"), 3, key=True,
)  # fmt: skip
P_CITY_UBND = _Profile(
    "Chủ tịch UBND thành phố", ("Phó Chủ tịch UBND thành phố",) * 3, "TP-UBND", CB,
    _agency_jobs("TP", "VPUB"), 8, key=True,
)  # fmt: skip
P_DEPARTMENT = _Profile(
    "Giám đốc", ("Phó Giám đốc", "Phó Giám đốc"), "TP-SO", CC, _agency_jobs("TP", "SO"), 12
)
P_CITY_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam thành phố", ("Phó Chủ tịch",), "TP-MTTQ", CB,
    _agency_jobs("TP", "MTTQ"), 3, key=True,
)  # fmt: skip
P_MASS = _Profile("Chủ tịch", ("Phó Chủ tịch",), "TP-DT", CB, _agency_jobs("TP", "DT"), 2, 0.6)
P_HIGH_SCHOOL = _Profile(
    "Hiệu trưởng", ("Phó Hiệu trưởng", "Phó Hiệu trưởng"), "THPT", VC,
    (
        _Job("Giáo viên", "VC-THPT-GV", VC, 8),
        _Job("Nhân viên thư viện", "VC-THPT-TV", VC, 0.3),
        _Job("Kế toán", "VC-THPT-KT", VC, 0.3),
        _Job("Bảo vệ", "LD-THPT", LD, 0.4),
    ),
    10, 0.7,
)  # fmt: skip
P_HOSPITAL = _Profile(
    "Giám đốc", ("Phó Giám đốc", "Phó Giám đốc"), "BV", VC,
    (
        _Job("Bác sĩ", "VC-BV-BS", VC, 3),
        _Job("Điều dưỡng", "VC-BV-DD", VC, 4),
        _Job("Dược sĩ", "VC-BV-DS", VC, 0.6),
        _Job("Kỹ thuật viên", "VC-BV-KTV", VC, 0.8),
        _Job("Hộ lý", "LD-BV", LD, 0.8),
    ),
    40, 0.65,
)  # fmt: skip
P_DISTRICT = _Profile(
    "Bí thư Quận ủy", ("Phó Bí thư Thường trực Quận ủy", "Phó Bí thư Quận ủy"), "QH-BT", CB,
    _agency_jobs("QH", "QU"), 1, lean_deputies=2, key=True,
)  # fmt: skip
P_DISTRICT_BOARD = _Profile(
    "Trưởng ban", ("Phó Trưởng ban",), "QH-BAN", CB, _agency_jobs("QH", "BAN"), 3
)
P_DISTRICT_OFFICE = _Profile(
    "Chánh Văn phòng", ("Phó Chánh Văn phòng",), "QH-VP", CB, _agency_jobs("QH", "VP"), 4
)
P_DISTRICT_HDND = _Profile(
    "Chủ tịch HĐND", ("Phó Chủ tịch HĐND",), "QH-HDND", CB, _agency_jobs("QH", "HDND"), 1.5,
    key=True,
)  # fmt: skip
P_DISTRICT_UBND = _Profile(
    "Chủ tịch UBND", ("Phó Chủ tịch UBND",) * 3, "QH-UBND", CB, _agency_jobs("QH", "VPUB"), 4,
    key=True,
)  # fmt: skip
P_DISTRICT_OFFICE_UB = _Profile(
    "Trưởng phòng", ("Phó Trưởng phòng", "Phó Trưởng phòng"), "QH-PHONG", CC,
    _agency_jobs("QH", "PHONG"), 4,
)  # fmt: skip
P_DISTRICT_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam", ("Phó Chủ tịch",), "QH-MTTQ", CB, _agency_jobs("QH", "MTTQ"),
    2, 0.55, key=True,
)  # fmt: skip
P_SCHOOL = _Profile(
    "Hiệu trưởng", ("Phó Hiệu trưởng",), "TRUONG", VC,
    (
        _Job("Giáo viên", "VC-TRUONG-GV", VC, 8),
        _Job("Nhân viên y tế học đường", "VC-TRUONG-YT", VC, 0.3),
        _Job("Kế toán", "VC-TRUONG-KT", VC, 0.3),
        _Job("Bảo vệ", "LD-TRUONG", LD, 0.4),
    ),
    8, 0.75,
)  # fmt: skip
P_COMMUNE = _Profile(
    "Bí thư Đảng ủy", ("Phó Bí thư Thường trực Đảng ủy", "Phó Bí thư Đảng ủy"), "XA-BT", CB,
    (_Job("Chuyên viên Văn phòng Đảng ủy", "CC-XA-DU", CC),), 1, lean_deputies=2, key=True,
)  # fmt: skip
P_COMMUNE_UBND = _Profile(
    "Chủ tịch UBND", ("Phó Chủ tịch UBND", "Phó Chủ tịch UBND"), "XA-UB", CB,
    (
        _Job("Công chức Văn phòng – Thống kê", "CC-XA-VP", CC, 2),
        _Job("Công chức Tài chính – Kế toán", "CC-XA-TC", CC, 1.5),
        _Job("Công chức Tư pháp – Hộ tịch", "CC-XA-TP", CC, 1.5),
        _Job("Công chức Địa chính – Xây dựng – Đô thị và Môi trường", "CC-XA-DC", CC, 1.5),
        _Job("Công chức Văn hóa – Xã hội", "CC-XA-VH", CC, 1.5),
        _Job("Chỉ huy trưởng Ban Chỉ huy Quân sự", "CC-XA-QS", CC, 0.5),
    ),
    10, key=True,
)  # fmt: skip
P_COMMUNE_FRONT = _Profile(
    "Chủ tịch Ủy ban MTTQ Việt Nam", ("Phó Chủ tịch",), "XA-MTTQ", CB,
    (_Job("Cán bộ chuyên trách đoàn thể", "CB-XA-DT", CB),), 1.5, 0.55, key=True,
)  # fmt: skip
P_CELL = _Profile(
    "Bí thư Chi bộ", (), "CHIBO", KH, (_Job("Đảng viên", "DV-CHIBO", KH),), 1.5, 0.5, 0
)

# Share of each category who are Party members.
PARTY_RATE = {CB: 0.97, CC: 0.72, VC: 0.35, LD: 0.1, KH: 1.0}

CITY_BOARDS = (
    ("BTC", "Ban Tổ chức Thành ủy"),
    ("BTGDV", "Ban Tuyên giáo và Dân vận Thành ủy"),
    ("UBKT", "Ủy ban Kiểm tra Thành ủy"),
    ("BNC", "Ban Nội chính Thành ủy"),
)
DEPARTMENTS = (
    ("SNV", "Sở Nội vụ"),
    ("STC", "Sở Tài chính"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("SXD", "Sở Xây dựng"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("STP", "Sở Tư pháp"),
    ("SCT", "Sở Công Thương"),
    ("SVHTT", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("TTR", "Thanh tra thành phố"),
    ("VPUB", "Văn phòng UBND thành phố"),
)
MASS_ORGANISATIONS = (
    ("DTN", "Thành đoàn"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ thành phố"),
    ("HND", "Hội Nông dân thành phố"),
    ("HCCB", "Hội Cựu chiến binh thành phố"),
    ("LDLD", "Liên đoàn Lao động thành phố"),
)
DISTRICT_OFFICES = (
    ("PNV", "Phòng Nội vụ"),
    ("PTCKH", "Phòng Tài chính – Kế hoạch"),
    ("PGDDT", "Phòng Giáo dục và Đào tạo"),
    ("PYT", "Phòng Y tế"),
    ("PTP", "Phòng Tư pháp"),
    ("PVHKH", "Phòng Văn hóa, Khoa học và Thông tin"),
    ("PKT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VP", "Văn phòng HĐND và UBND"),
)
