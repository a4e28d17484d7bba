"""The demo city at work: task catalogues, two months of work record, a scored month, targets.

`thuocdo.org.demo` builds "Thành phố Mẫu" (units, people, posts, logins) and knows nothing of
the other apps; this module composes work, reviews and targets on top of it. As there,
everything is planned in plain Python and written with `bulk_create`, a chunk of people at a
time so that 200,000 people never sit in memory as model instances at once, and everything
random comes from one `random.Random(seed)`: a seed and a date always give the same data.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from random import Random
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.demo_month import demo_this_month
from thuocdo.org.demo import (
    BATCH,
    DEPARTMENTS,
    LOGIN_UNITS,
    ROOT_CODE,
    DemoError,
    Progress,
)
from thuocdo.org.models import Person, Post, Unit, User
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, MonthlyScore, PeriodKind
from thuocdo.reviews.monthly.services import month_scores_compute, period_open
from thuocdo.targets.models import (
    Aggregation,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorGroup,
    TargetSet,
    TargetSetState,
)
from thuocdo.work.models import (
    AssigneeRole,
    Exemption,
    ExemptionKind,
    ExemptionState,
    JobPosition,
    PlanState,
    PostJobPosition,
    ProductGroup,
    ProductType,
    Task,
    TaskAssignee,
    TaskProgress,
    TaskSource,
    TaskState,
    WorkPlan,
)

STAGE_CATALOGUE = "Danh mục sản phẩm"
STAGE_WORK = "Kế hoạch, nhiệm vụ"
STAGE_SCORES = "Kết quả tháng"
STAGE_TARGETS = "Chỉ tiêu"
# People whose two months are planned, inserted and forgotten together.
PEOPLE_CHUNK = 4000
MONTH_RULESET = "nd-335-2025"
WARD_CODE = LOGIN_UNITS[0]
DISTRICT_CODE = re.compile(r"^[QH]\d\d$")

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

# Staff duty groups of `thuocdo.org.demo` and the position each one holds.
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


# ---------------------------------------------------------------------------------------------
# Texts of the work record.

EVIDENCE_NOTES = (
    "Đã trình lãnh đạo qua hệ thống quản lý văn bản và điều hành.",
    "Hồ sơ, sổ theo dõi lưu tại bộ phận.",
    "Danh sách kèm theo, có xác nhận của bộ phận một cửa.",
    "Biên bản có chữ ký của các bên liên quan.",
    "Kết quả cập nhật trên phần mềm chuyên ngành.",
)
EVIDENCE_KINDS = ("BC", "TB", "KH", "CV", "TTr")
FAILED_REASONS = (
    "Số liệu chưa khớp với báo cáo của bộ phận một cửa, đề nghị rà soát lại.",
    "Thiếu hồ sơ kèm theo, đề nghị bổ sung.",
    "Nội dung chưa bám sát chỉ đạo, đề nghị chỉnh sửa.",
    "Thể thức văn bản chưa đúng quy định, đề nghị sửa lại.",
)
PASSED_AFTER_REWORK = "Đạt sau khi chỉnh sửa, bổ sung theo yêu cầu."
EXCEEDED_NOTE = "Hoàn thành vượt yêu cầu về khối lượng và chất lượng."
OBJECTIVE_CAUSES = {
    ExemptionKind.DELAY.value: (
        "Chờ ý kiến thẩm định của cơ quan chuyên môn cấp trên quá thời hạn.",
        "Hệ thống phần mềm dịch vụ công gặp sự cố, không cập nhật được hồ sơ.",
        "Mưa lớn, ngập úng kéo dài, phải tập trung phòng chống thiên tai theo chỉ đạo.",
    ),
    ExemptionKind.ERROR.value: (
        "Số liệu đầu vào do đơn vị khác cung cấp sai, đã được đơn vị đó đính chính.",
        "Biểu mẫu báo cáo thay đổi theo hướng dẫn mới ban hành giữa tháng.",
    ),
}
CONFIRMED_REASON = "Đã kiểm tra, nguyên nhân khách quan, không do lỗi của cá nhân."
REFUSED_REASON = "Không đủ căn cứ là nguyên nhân khách quan; cá nhân cần chủ động hơn."
PROGRESS_NOTES = (
    "Đang tổng hợp số liệu.",
    "Đã hoàn thành dự thảo, đang xin ý kiến.",
    "Đang phối hợp với các bộ phận liên quan.",
    "Đang kiểm tra thực tế tại khu dân cư.",
)
PLAN_NOTES = ("", "", "Tập trung các nhiệm vụ trọng tâm cuối năm.", "Bổ sung nhiệm vụ được giao.")


# ---------------------------------------------------------------------------------------------
# Who is who, read once from the built city.


@dataclass(frozen=True, slots=True)
class _Person:
    """A person as the work record needs them: their primary post and their login."""

    pk: int
    unit_id: int
    leader: bool
    position: str
    user_id: int | None


@dataclass
class _City:
    """The built demo city, as plain values."""

    today: datetime.date
    people: list[_Person]
    posts: list[tuple[int, str]]  # every post: id, job position code
    users: dict[str, User]
    person_of: dict[str, int]  # login -> person id
    ward_id: int
    root: Unit
    catalogue: dict[str, list[ProductType]] = field(default_factory=dict)

    @classmethod
    def load(cls, today: datetime.date) -> _City:
        """Read people, posts and logins of the built city."""
        root = Unit.objects.filter(code=ROOT_CODE).first()
        ward = Unit.objects.filter(code=WARD_CODE).values_list("pk", flat=True).first()
        if root is None or ward is None:
            raise DemoError("Chưa có Thành phố Mẫu: hãy dựng dữ liệu mẫu trước.")
        logins = Person.objects.filter(user__isnull=False)
        user_of = dict(logins.values_list("pk", "user_id"))
        person_of = {name: pk for pk, name in logins.values_list("pk", "user__username")}
        posts = Post.objects.order_by("person_id", "-is_head", "-is_deputy", "start_date", "id")
        people: list[_Person] = []
        all_posts: list[tuple[int, str]] = []
        last = None
        for post_id, person_id, unit_id, head, deputy, group in posts.values_list(
            "pk", "person_id", "unit_id", "is_head", "is_deputy", "duty_group"
        ):
            position = position_for(group)
            all_posts.append((post_id, position))
            if person_id != last:
                people.append(
                    _Person(person_id, unit_id, head or deputy, position, user_of.get(person_id))
                )
                last = person_id
        users = {u.username: u for u in User.objects.all()}
        return cls(today, people, all_posts, users, person_of, ward, root)


def _month_before(day: datetime.date) -> tuple[int, int]:
    """Year and month of the month before a date's."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware time on a day, in the configured time zone."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


# ---------------------------------------------------------------------------------------------
# Catalogue.


def _write_catalogue(city: _City, report: Progress) -> dict[str, int]:
    """Insert the job positions, their products, and each post's job position."""
    report(STAGE_CATALOGUE, 0, len(city.posts))
    positions = {p.code: JobPosition(code=p.code, name=p.name) for p in POSITIONS}
    JobPosition.objects.bulk_create(list(positions.values()))
    products: list[ProductType] = []
    for spec in POSITIONS:
        city.catalogue[spec.code] = []
        for product in spec.products:
            row = ProductType(
                job_position=positions[spec.code],
                code=product.code,
                name=product.name,
                group=product.group,
                unit_of_measure=product.unit,
                conversion_factor=Decimal(product.factor),
                monthly_norm=None if product.norm is None else Decimal(product.norm),
            )
            products.append(row)
            city.catalogue[spec.code].append(row)
    ProductType.objects.bulk_create(products)
    links = [_LinkRow(post_id, positions[code].pk) for post_id, code in city.posts]
    _insert(PostJobPosition, links, ["post_id", "job_position_id"])
    report(STAGE_CATALOGUE, len(city.posts), len(city.posts))
    return {
        "job_positions": len(positions),
        "product_types": len(products),
        "post_job_positions": len(links),
    }


_SPECS = {p.code: {q.code: q for q in p.products} for p in POSITIONS}


def _spec(product: ProductType) -> _Product:
    return _SPECS[product.job_position.code][product.code]


# ---------------------------------------------------------------------------------------------
# The work record: last month done and verified (or carried over), this month under way.

# Outcomes of a task: in last month, and in this month.
ON_TIME, EXCEEDED, LATE, FAILED_ONCE, UNFINISHED = (
    "on_time", "exceeded", "late", "failed_once", "unfinished",
)  # fmt: skip
VERIFIED, DONE, DONE_LATE, OVERDUE, FAILED, IN_PROGRESS, PLANNED = (
    "verified", "done", "done_late", "overdue", "failed", "in_progress", "planned",
)  # fmt: skip


@dataclass(slots=True)
class _PlanRow:
    """A work plan as the row written."""

    id: int
    person_id: int
    year: int
    month: int
    state: str
    note: str
    submitted_at: datetime.datetime | None = None
    approved_by_id: int | None = None
    approved_at: datetime.datetime | None = None


@dataclass(slots=True)
class _TaskRow:
    """A task as the row written; changed in place as the demo takes it to its outcome."""

    id: int
    plan_id: int
    product_type_id: int
    title: str
    quantity: Decimal
    due_date: datetime.date
    source: str
    state: str = TaskState.PLANNED
    progress: int = 0
    completed_on: datetime.date | None = None
    quantity_done: Decimal | None = None
    evidence_note: str = ""
    evidence_number: str = ""
    quality_passed: bool | None = None
    exceeded: bool = False
    delays: int = 0
    failed_reviews: int = 0
    auto_delay: bool = False
    verified_by_id: int | None = None
    verified_at: datetime.datetime | None = None
    review_note: str = ""


@dataclass(slots=True)
class _ExemptionRow:
    """An objective-cause request as the row written."""

    task_id: int
    kind: str
    reason: str
    requested_by_id: int | None
    requested_at: datetime.datetime
    state: str
    decided_by_id: int | None = None
    decided_at: datetime.datetime | None = None
    decision_reason: str = ""


@dataclass(slots=True)
class _ProgressRow:
    """A progress update as the row written."""

    task_id: int
    percent: int
    note: str
    recorded_by_id: int | None
    recorded_at: datetime.datetime


@dataclass(slots=True)
class _LeadRow:
    """The lead assignee of a task, as every task registered through the services has."""

    task_id: int
    person_id: int


PLAN_COLUMNS = [f.name for f in fields(_PlanRow)]
TASK_COLUMNS = [f.name for f in fields(_TaskRow)]
EXEMPTION_COLUMNS = [f.name for f in fields(_ExemptionRow)]
PROGRESS_COLUMNS = [f.name for f in fields(_ProgressRow)]
LEAD_COLUMNS = [f.name for f in fields(_LeadRow)]


def _insert(
    model: type[models.Model],
    rows: Sequence[object],
    columns: Sequence[str],
    constants: Mapping[str, object] | None = None,
) -> None:
    """Insert rows (objects with an attribute per column) in one `executemany`.

    `bulk_create` spends most of its time preparing each value of each model instance; at
    200,000 people (1,4 million tasks) that is minutes. The values here are already what the
    database takes, except aware times, which SQLite wants as naive UTC text.
    """
    if not rows:
        return
    assert len(columns) > 1, "attrgetter of one name gives a value, not a tuple"
    constants = constants or {}
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields} | {
        f.name: f for f in meta.concrete_fields
    }
    db_fields = [by_name[name] for name in [*columns, *constants]]
    adapt = connection.ops.adapt_datetimefield_value
    timed = [
        n
        for n, f in enumerate(db_fields[: len(columns)])
        if f.get_internal_type() == "DateTimeField"
    ]
    fixed = tuple(adapt(v) if isinstance(v, datetime.datetime) else v for v in constants.values())
    get = attrgetter(*columns)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value: tuple[Any, ...] = get(row)
        if timed:
            items = list(value)
            for n in timed:
                items[n] = adapt(items[n])
            value = tuple(items)
        values.append((*value, *fixed))
    quote = connection.ops.quote_name
    # Names come from the model's metadata; every value is a query parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in db_fields),
        ", ".join(["%s"] * len(db_fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH * 5):
            cursor.executemany(sql, values[start : start + BATCH * 5])


def _next_id(model: type[models.Model]) -> int:
    """The first free primary key of a table (the demo writes its ids itself)."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def _sequences_reset(*models_: type[models.Model]) -> None:
    """Move the id sequences past the ids written (PostgreSQL; SQLite follows by itself)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


@dataclass(slots=True)
class _LinkRow:
    """A post's job position, as the row written."""

    post_id: int
    job_position_id: int


@dataclass(slots=True)
class _AssessmentRow:
    """A self-assessment or a leader's scoring of the general criteria, as the row written."""

    person_id: int
    source: str
    general: Decimal
    note: str
    by_id: int


@dataclass
class _Rows:
    """What one chunk of people writes."""

    plans: list[_PlanRow] = field(default_factory=list)
    tasks: list[_TaskRow] = field(default_factory=list)
    leads: list[_LeadRow] = field(default_factory=list)
    exemptions: list[_ExemptionRow] = field(default_factory=list)
    updates: list[_ProgressRow] = field(default_factory=list)


class _Work:
    """Plans the two months of every person, deterministically for a seed and a date."""

    def __init__(self, city: _City, rng: Random) -> None:
        self.city, self.rng = city, rng
        self.today = city.today
        self.now = _at(city.today, 8)
        self.prev = _month_before(city.today)
        self.current = (city.today.year, city.today.month)
        users = city.users
        self.lanhdao = users["lanhdao"].pk
        self.thutruong = users["thutruong"].pk
        self.canhan_person = city.person_of.get("canhan")
        self.approver_person = self._approver(city)
        self.counts = {"work_plans": 0, "tasks": 0, "exemptions": 0, "progress_updates": 0}
        # The leader's general score (of 30) of last month, by person.
        self.general: dict[int, int] = {}
        self.next_plan, self.next_task = _next_id(WorkPlan), _next_id(Task)
        # A position's products with what the demo needs of each: id, spec, factor.
        self.products = {
            code: [(p.pk, _SPECS[code][p.code]) for p in products]
            for code, products in city.catalogue.items()
        }

    def _approver(self, city: _City) -> int | None:
        """The person of the logins' ward whose plan waits for `lanhdao`'s approval."""
        taken = {city.person_of.get(name) for name in ("canhan", "lanhdao", "thutruong")}
        ward = [p for p in city.people if p.unit_id == city.ward_id and p.pk not in taken]
        staff = [p for p in ward if not p.leader] or ward
        if staff:
            return staff[0].pk
        return city.person_of.get("thutruong")

    def reviewer(self, person: _Person) -> int | None:
        """The login who approves and verifies this person's work, if the demo has one."""
        if person.unit_id != self.city.ward_id or person.user_id == self.thutruong:
            return None
        return self.thutruong if person.user_id == self.lanhdao else self.lanhdao

    # --- Tasks -------------------------------------------------------------------------------

    def _task(self, rows: _Rows, plan: _PlanRow, person: _Person, due: datetime.date) -> _TaskRow:
        """A task of a product of the person's position, not yet done, with its lead."""
        rng = self.rng
        products = self.products[person.position]
        product_id, spec = products[rng.randrange(len(products))]
        title = spec.titles[rng.randrange(len(spec.titles))].format(
            m=f"{plan.month:02d}/{plan.year}"
        )
        task = _TaskRow(
            id=self.next_task,
            plan_id=plan.id,
            product_type_id=product_id,
            title=title,
            quantity=Decimal(rng.randint(spec.low, spec.high)),
            due_date=due,
            source=TaskSource.LEADER if spec.group == D else TaskSource.SELF,
        )
        self.next_task += 1
        rows.tasks.append(task)
        rows.leads.append(_LeadRow(task.id, person.pk))
        return task

    def _complete(self, task: _TaskRow, on: datetime.date, *, late: bool = False) -> None:
        """Report a task done on a date, with evidence."""
        rng = self.rng
        task.completed_on = min(on, self.today)
        task.quantity_done = task.quantity
        task.progress = 100
        task.evidence_note = EVIDENCE_NOTES[rng.randrange(len(EVIDENCE_NOTES))]
        if rng.random() < 0.6:
            kind = EVIDENCE_KINDS[rng.randrange(len(EVIDENCE_KINDS))]
            task.evidence_number = f"{rng.randint(12, 980)}/{kind}-UBND"
        if late:
            task.delays, task.auto_delay = 1, True
        task.state = TaskState.DONE

    def _verify(self, task: _TaskRow, reviewer: int | None, *, exceeded: bool = False) -> None:
        """The leader's "Đạt" (maybe "Vượt yêu cầu") a day or two after the completion."""
        assert task.completed_on is not None
        day = min(task.completed_on + datetime.timedelta(self.rng.randint(0, 2)), self.today)
        task.state, task.quality_passed, task.exceeded = TaskState.VERIFIED, True, exceeded
        task.verified_by_id, task.verified_at = reviewer, _at(day, self.rng.randint(8, 16))
        if exceeded:
            task.quantity_done = (task.quantity * Decimal("1.2")).quantize(Decimal(1))
            task.review_note = EXCEEDED_NOTE

    def _fail(self, task: _TaskRow) -> None:
        """A "Chưa đạt": counted, and the task goes back for rework."""
        task.failed_reviews += 1
        task.quality_passed = False
        task.review_note = FAILED_REASONS[self.rng.randrange(len(FAILED_REASONS))]

    def _progress(self, rows: _Rows, task: _TaskRow, person: _Person, low: int) -> None:
        """Work under way: a progress update from `low`% up, recorded a few days ago."""
        rng = self.rng
        task.state, task.progress = TaskState.IN_PROGRESS, rng.randrange(low, 95, 5)
        day = max(self.today - datetime.timedelta(rng.randint(1, 6)), task.due_date.replace(day=1))
        note = PROGRESS_NOTES[rng.randrange(len(PROGRESS_NOTES))]
        rows.updates.append(
            _ProgressRow(task.id, task.progress, note, person.user_id, _at(day, 16))
        )

    def _exemption(
        self, rows: _Rows, task: _TaskRow, person: _Person, kind: str, state: str
    ) -> None:
        """An objective-cause request on a task, pending or decided."""
        rng = self.rng
        causes = OBJECTIVE_CAUSES[kind]
        asked = min(task.completed_on or self.today, self.today)
        exemption = _ExemptionRow(
            task_id=task.id,
            kind=kind,
            reason=causes[rng.randrange(len(causes))],
            requested_by_id=person.user_id,
            requested_at=_at(asked, 10),
            state=state,
        )
        if state != ExemptionState.PENDING:
            exemption.decided_by_id = self.reviewer(person)
            exemption.decided_at = _at(min(asked + datetime.timedelta(2), self.today), 15)
            confirmed = state == ExemptionState.CONFIRMED
            exemption.decision_reason = CONFIRMED_REASON if confirmed else REFUSED_REASON
        rows.exemptions.append(exemption)

    def _due_days(self, count: int, year: int, month: int) -> list[datetime.date]:
        """Due dates spread over a month, in order."""
        last = _last_day(year, month)
        days = sorted(self.rng.randint(4, last) for _ in range(count))
        return [datetime.date(year, month, day) for day in days]

    # --- Months ------------------------------------------------------------------------------

    def _plan(self, rows: _Rows, person: _Person, year: int, month: int, state: str) -> _PlanRow:
        """A plan, submitted in its first days and approved (if it is) soon after."""
        rng = self.rng
        first = datetime.date(year, month, 1)
        submitted = min(first + datetime.timedelta(rng.randint(0, 2)), self.today)
        plan = _PlanRow(
            self.next_plan,
            person.pk,
            year,
            month,
            state,
            PLAN_NOTES[rng.randrange(len(PLAN_NOTES))],
        )
        self.next_plan += 1
        if state != PlanState.DRAFT:
            plan.submitted_at = _at(submitted, rng.randint(7, 11), rng.randint(0, 59))
        if state == PlanState.APPROVED:
            approved = min(submitted + datetime.timedelta(rng.randint(0, 2)), self.today)
            plan.approved_by_id = self.reviewer(person)
            plan.approved_at = _at(approved, rng.randint(13, 17), rng.randint(0, 59))
        rows.plans.append(plan)
        return plan

    def last_month(self, rows: _Rows, person: _Person) -> None:
        """Last month: an approved plan of 2–5 tasks, verified with the usual slips, and for
        some people work carried over unfinished; the leader's general score follows suit."""
        rng = self.rng
        year, month = self.prev
        plan = self._plan(rows, person, year, month, PlanState.APPROVED)
        count = rng.randint(2, 5)
        canhan = person.pk == self.canhan_person
        if canhan:
            # `canhan`'s explanation shows every case: exceeded, late, failed once, on time.
            outcomes, self.general[person.pk] = [EXCEEDED, LATE, FAILED_ONCE, ON_TIME], 27
        else:
            outcomes = self._last_outcomes(person, count)
        reviewer = self.reviewer(person)
        for due, outcome in zip(self._due_days(len(outcomes), year, month), outcomes, strict=True):
            task = self._task(rows, plan, person, due)
            if outcome == UNFINISHED:
                self._progress(rows, task, person, 40)
                continue
            late = outcome == LATE
            done_on = due + datetime.timedelta(rng.randint(1, 5) if late else -rng.randint(0, 3))
            self._complete(task, max(done_on, datetime.date(year, month, 1)), late=late)
            if outcome == FAILED_ONCE:
                self._fail(task)
            self._verify(task, reviewer, exceeded=outcome == EXCEEDED)
            if outcome == FAILED_ONCE:
                task.review_note = PASSED_AFTER_REWORK
            if (late or outcome == FAILED_ONCE) and (rng.random() < 0.15 or (canhan and late)):
                kind = ExemptionKind.DELAY if late else ExemptionKind.ERROR
                refused = rng.random() < 0.2 and not canhan
                state = ExemptionState.REFUSED if refused else ExemptionState.CONFIRMED
                self._exemption(rows, task, person, kind, state)

    def _last_outcomes(self, person: _Person, count: int) -> list[str]:
        """A person's month by profile, and the leader's general score to match.

        Under NĐ 335 a late or failed task costs a quarter of its own weight, so only work
        left unfinished takes someone below 90 points: a quarter of people do everything
        well, half slip here and there (and often carry a task over), a sixth fall behind,
        and a few finish little of their plan.
        """
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            self.general[person.pk] = rng.randint(27, 30)
            return [EXCEEDED if rng.random() < 0.3 else ON_TIME for _ in range(count)]
        outcomes = [self._last_outcome() for _ in range(count)]
        if r < 0.75:
            self.general[person.pk] = rng.randint(25, 29)
            unfinished = int(rng.random() < 0.5)
        elif r < 0.97:
            self.general[person.pk] = rng.randint(24, 27)
            unfinished = 1 + int(count >= 4 and rng.random() < 0.4)
        else:
            self.general[person.pk] = rng.randint(24, 25)
            unfinished = count - rng.randint(0, 1)
        for n in rng.sample(range(count), unfinished):
            outcomes[n] = UNFINISHED
        return outcomes

    def _last_outcome(self) -> str:
        """About 10% late, 8% failed once, 20% exceeded, the rest on time."""
        r = self.rng.random()
        if r < 0.10:
            return LATE
        if r < 0.18:
            return FAILED_ONCE
        if r < 0.38:
            return EXCEEDED
        return ON_TIME

    def this_month(self, rows: _Rows, person: _Person) -> None:
        """This month: a plan (mostly approved) with work done, waiting, under way or overdue."""
        rng = self.rng
        year, month = self.current
        canhan = person.pk == self.canhan_person
        if person.pk == self.approver_person:
            state = PlanState.SUBMITTED
        elif canhan:
            state = PlanState.APPROVED
        else:
            r = rng.random()
            state = (
                PlanState.APPROVED
                if r < 0.9
                else PlanState.SUBMITTED
                if r < 0.96
                else PlanState.DRAFT
            )
        plan = self._plan(rows, person, year, month, state)
        if canhan:
            outcomes = [VERIFIED, DONE, OVERDUE, IN_PROGRESS, PLANNED]
            dues = self._canhan_dues(year, month)
        else:
            dues = self._due_days(rng.randint(2, 5), year, month)
            outcomes = [
                self._this_outcome(due) if state == PlanState.APPROVED else PLANNED for due in dues
            ]
        reviewer = self.reviewer(person)
        for due, outcome in zip(dues, outcomes, strict=True):
            task = self._task(rows, plan, person, due)
            self._this_task(rows, task, person, outcome, reviewer, pending=canhan)

    def _canhan_dues(self, year: int, month: int) -> list[datetime.date]:
        """Due dates that make `canhan`'s five tasks possible on any day of the month."""
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, _last_day(year, month))
        past = max(first, self.today - datetime.timedelta(6))
        overdue = max(first, self.today - datetime.timedelta(3))
        ahead = min(last, self.today + datetime.timedelta(7))
        return [past, past, overdue, ahead, last]

    def _this_outcome(self, due: datetime.date) -> str:
        """A task of an approved plan: past its due date mostly done; ahead, mostly under way."""
        r = self.rng.random()
        if due < self.today:
            if r < 0.55:
                return VERIFIED
            if r < 0.75:
                return DONE
            if r < 0.82:
                return DONE_LATE
            if r < 0.85:
                return FAILED
            return OVERDUE
        if r < 0.08:
            return DONE
        return IN_PROGRESS if r < 0.6 else PLANNED

    def _this_task(
        self,
        rows: _Rows,
        task: _TaskRow,
        person: _Person,
        outcome: str,
        reviewer: int | None,
        *,
        pending: bool,
    ) -> None:
        """Bring a task of this month to its outcome."""
        rng, due = self.rng, task.due_date
        if outcome in (VERIFIED, DONE, FAILED):
            self._complete(task, min(due - datetime.timedelta(rng.randint(0, 2)), self.today))
            task.completed_on = max(task.completed_on or due, due.replace(day=1))
            if outcome == VERIFIED:
                self._verify(task, reviewer, exceeded=rng.random() < 0.2)
            elif outcome == FAILED:
                self._fail(task)
                task.state = TaskState.IN_PROGRESS
        elif outcome == DONE_LATE:
            self._complete(task, due + datetime.timedelta(rng.randint(1, 4)), late=True)
        elif outcome in (OVERDUE, IN_PROGRESS):
            self._progress(rows, task, person, 20 if outcome == OVERDUE else 10)
            if outcome == OVERDUE and (pending or rng.random() < 0.1):
                self._exemption(rows, task, person, ExemptionKind.DELAY, ExemptionState.PENDING)

    def write(self, rows: _Rows) -> None:
        """Insert one chunk: plans, then tasks and their leads, updates and exemptions."""
        _insert(WorkPlan, rows.plans, PLAN_COLUMNS)
        _insert(
            Task,
            rows.tasks,
            TASK_COLUMNS,
            {"source_system": "", "external_id": "", "evidence_file": "", "created_at": self.now},
        )
        _insert(TaskAssignee, rows.leads, LEAD_COLUMNS, {"role": AssigneeRole.LEAD.value})
        _insert(TaskProgress, rows.updates, PROGRESS_COLUMNS)
        _insert(Exemption, rows.exemptions, EXEMPTION_COLUMNS)
        self.counts["work_plans"] += len(rows.plans)
        self.counts["tasks"] += len(rows.tasks)
        self.counts["exemptions"] += len(rows.exemptions)
        self.counts["progress_updates"] += len(rows.updates)


def _write_work(
    city: _City, rng: Random, report: Progress
) -> tuple[dict[str, int], dict[int, int]]:
    """Plan and insert both months of every person, a chunk of people at a time; return the
    counts and each person's general score of last month."""
    work = _Work(city, rng)
    total = len(city.people)
    report(STAGE_WORK, 0, total)
    for start in range(0, total, PEOPLE_CHUNK):
        rows = _Rows()
        for person in city.people[start : start + PEOPLE_CHUNK]:
            work.last_month(rows, person)
            work.this_month(rows, person)
        work.write(rows)
        report(STAGE_WORK, min(total, start + PEOPLE_CHUNK), total)
    _sequences_reset(WorkPlan, Task)
    return work.counts, work.general


# ---------------------------------------------------------------------------------------------
# Last month's scores.


def _write_scores(
    city: _City, rng: Random, general_of: dict[int, int], report: Progress
) -> dict[str, int]:
    """Open last month over the city, score the general criteria, and compute the month."""
    admin = city.users["quantri"]
    year, month = _month_before(city.today)
    report(STAGE_SCORES, 0, len(city.people))
    period = period_open(
        actor=admin,
        unit=city.root,
        kind=PeriodKind.MONTH,
        year=year,
        number=month,
        ruleset=MONTH_RULESET,
    )
    lanhdao, thutruong = city.users["lanhdao"].pk, city.users["thutruong"].pk
    canhan = city.person_of.get("canhan")
    assessments: list[_AssessmentRow] = []
    for person in city.people:
        r = rng.random()
        general = Decimal(general_of[person.pk])
        if person.pk == canhan or r < 0.05:
            # Self-assessed first; most of these are then scored by the leader too.
            own = min(Decimal(30), general + rng.randint(0, 2))
            note = "Tự đánh giá hoàn thành tốt nhiệm vụ được giao."
            by = person.user_id or admin.pk
            assessments.append(_AssessmentRow(person.pk, AssessmentSource.SELF, own, note, by))
        if person.pk != canhan and (r < 0.02 or r >= 0.97):
            continue  # the leader has not scored yet: self-assessed, or not scored at all
        # People without a login are scored on behalf of their leader by the demo's loader.
        by = admin.pk
        if person.unit_id == city.ward_id and person.user_id != thutruong:
            by = thutruong if person.user_id == lanhdao else lanhdao
        assessments.append(_AssessmentRow(person.pk, AssessmentSource.LEADER, general, "", by))
    _insert(
        MonthlyAssessment,
        assessments,
        [f.name for f in fields(_AssessmentRow)],
        {
            "period_id": period.pk,
            "bonus": Decimal(0),
            "deductions": Decimal(0),
            "at": timezone.now(),
        },
    )
    scored = month_scores_compute(actor=admin, period=period, at=city.today)
    report(STAGE_SCORES, len(city.people), len(city.people))
    return {"assessments": len(assessments), "monthly_scores": scored}


# ---------------------------------------------------------------------------------------------
# Targets of heads (evaluation by products).

PARTY, ECONOMY, DEFENCE, OTHER = (g.value for g in IndicatorGroup)
MORE, LESS = Direction.MORE.value, Direction.LESS.value
SUM, LAST = Aggregation.SUM.value, Aggregation.LAST.value
REFORM = "Cải cách hành chính"


@dataclass(frozen=True)
class _Indicator:
    """An indicator template: the target is drawn from `low`–`high` with `places` decimals."""

    group: str
    name: str
    unit: str
    low: float
    high: float
    places: int = 0
    direction: str = MORE
    aggregation: str = SUM
    main: bool = False
    weight: int = 1
    label: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


DISTRICT_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 120, 260, main=True, weight=2),
    _Indicator(PARTY, "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90,
               aggregation=LAST),
    _Indicator(PARTY, "Đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 88, 92, aggregation=LAST),
    _Indicator(PARTY, "Giải quyết đơn thư khiếu nại, tố cáo thuộc thẩm quyền", "%", 92, 95,
               aggregation=LAST),
    _Indicator(PARTY, "Phát triển đoàn viên, hội viên các đoàn thể", "người", 1500, 3200),
    _Indicator(ECONOMY, "Tốc độ tăng trưởng giá trị sản xuất (GRDP) trên địa bàn", "%", 7.5, 9.5,
               1, aggregation=LAST, main=True, weight=3),
    _Indicator(ECONOMY, "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 900, 3200, 1,
               main=True, weight=3),
    _Indicator(ECONOMY, "Giải ngân vốn đầu tư công được giao", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Tỷ lệ hộ nghèo", "%", 0.8, 2.4, 2, LESS, LAST),
    _Indicator(ECONOMY, "Tạo việc làm mới", "người", 2200, 5200),
    _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, 95, 1, aggregation=LAST),
    _Indicator(ECONOMY, "Trường học được công nhận đạt chuẩn quốc gia", "trường", 3, 8),
    _Indicator(ECONOMY, "Tỷ lệ rác thải sinh hoạt được thu gom, xử lý", "%", 97, 99,
               aggregation=LAST),
    _Indicator(DEFENCE, "Hoàn thành chỉ tiêu tuyển quân", "%", 100, 100, aggregation=LAST,
               main=True, weight=2),
    _Indicator(DEFENCE, "Số vụ tai nạn giao thông", "vụ", 30, 80, direction=LESS),
    _Indicator(DEFENCE, "Số vụ phạm pháp hình sự", "vụ", 40, 120, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Chỉ số hài lòng của người dân (SIPAS)", "%", 85, 90, aggregation=LAST,
               label=REFORM),
)  # fmt: skip
RURAL_INDICATORS = (
    _Indicator(ECONOMY, "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 2, 4),
    _Indicator(ECONOMY, "Giá trị sản xuất trên 1 ha đất nông nghiệp", "triệu đồng", 180, 240,
               aggregation=LAST),
)  # fmt: skip
DEPARTMENT_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 8, 25, main=True, weight=2),
    _Indicator(PARTY, "Chi bộ hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90, aggregation=LAST),
    _Indicator(PARTY, "Đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 88, 92, aggregation=LAST),
    _Indicator(PARTY, "Công chức được bồi dưỡng lý luận chính trị, chuyên môn", "người", 20, 60),
    _Indicator(ECONOMY, "Văn bản tham mưu trình đúng hạn", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Giải ngân vốn đầu tư công được giao", "%", 95, 95, aggregation=LAST,
               main=True, weight=2),
    _Indicator(ECONOMY, "Tiết kiệm chi thường xuyên", "tỷ đồng", 2, 12, 1),
    _Indicator(ECONOMY, "Kết luận thanh tra, kiểm toán được thực hiện", "%", 100, 100,
               aggregation=LAST),
    _Indicator(DEFENCE, "Công chức được bồi dưỡng kiến thức quốc phòng, an ninh", "người", 10, 40),
    _Indicator(DEFENCE, "Vụ việc mất an ninh, an toàn cơ quan", "vụ", 0, 0, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Hồ sơ trực tuyến toàn trình", "%", 75, 85, aggregation=LAST, label=REFORM),
    _Indicator(OTHER, "Chỉ số cải cách hành chính (PAR Index)", "điểm", 85, 90, 1,
               aggregation=LAST, label=REFORM),
)  # fmt: skip
# Each department's own targets, by the code suffix of `thuocdo.org.demo.DEPARTMENTS`.
DEPARTMENT_OWN: dict[str, tuple[_Indicator, ...]] = {
    "SNV": (
        _Indicator(ECONOMY, "Đơn vị sự nghiệp công lập được sắp xếp theo đề án", "%", 100, 100,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Hồ sơ nâng lương, chuyển ngạch được giải quyết", "hồ sơ", 600, 900),
    ),
    "STC": (
        _Indicator(ECONOMY, "Thu ngân sách nhà nước toàn thành phố", "tỷ đồng", 42000, 56000,
                   main=True, weight=3),
        _Indicator(ECONOMY, "Hồ sơ quyết toán dự án hoàn thành được thẩm tra", "hồ sơ", 300, 450),
    ),
    "SGDDT": (
        _Indicator(ECONOMY, "Tỷ lệ học sinh tốt nghiệp trung học phổ thông", "%", 98, 99, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Trường học đạt chuẩn quốc gia (toàn thành phố)", "trường", 25, 40),
    ),
    "SYT": (
        _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94, 95, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Số giường bệnh trên một vạn dân", "giường", 32, 34, 1,
                   aggregation=LAST),
    ),
    "SXD": (
        _Indicator(ECONOMY, "Căn hộ nhà ở xã hội hoàn thành", "căn", 1500, 3000, main=True),
        _Indicator(ECONOMY, "Tỷ lệ đô thị hóa", "%", 52, 56, 1, aggregation=LAST),
    ),
    "SNNMT": (
        _Indicator(ECONOMY, "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 6, 12, main=True),
        _Indicator(ECONOMY, "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý", "%", 98, 99,
                   aggregation=LAST),
    ),
    "STP": (
        _Indicator(ECONOMY, "Phiếu lý lịch tư pháp cấp đúng hạn", "%", 99, 99, aggregation=LAST,
                   main=True, weight=2),
        _Indicator(ECONOMY, "Dự thảo văn bản quy phạm pháp luật được thẩm định", "văn bản", 60, 90),
    ),
    "SCT": (
        _Indicator(ECONOMY, "Tốc độ tăng tổng mức bán lẻ hàng hóa, dịch vụ", "%", 10, 12, 1,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Kim ngạch xuất khẩu", "triệu USD", 3500, 5000),
    ),
    "SVHTT": (
        _Indicator(ECONOMY, "Lượt khách du lịch", "nghìn lượt", 9000, 12000, main=True),
        _Indicator(ECONOMY, "Gia đình đạt danh hiệu gia đình văn hóa", "%", 90, 92,
                   aggregation=LAST),
    ),
    "SKHCN": (
        _Indicator(ECONOMY, "Doanh nghiệp khoa học và công nghệ được chứng nhận", "doanh nghiệp",
                   15, 30, main=True),
        _Indicator(ECONOMY, "Đóng góp của năng suất các nhân tố tổng hợp (TFP) vào tăng trưởng",
                   "%", 45, 48, 1, aggregation=LAST),
    ),
    "TTR": (
        _Indicator(ECONOMY, "Cuộc thanh tra hành chính hoàn thành", "cuộc", 40, 60, main=True),
        _Indicator(ECONOMY, "Kiến nghị thu hồi về ngân sách", "tỷ đồng", 80, 200, 1),
    ),
    "VPUB": (
        _Indicator(ECONOMY, "Nhiệm vụ UBND thành phố giao hoàn thành đúng hạn", "%", 95, 95,
                   aggregation=LAST, main=True, weight=2),
        _Indicator(ECONOMY, "Văn bản chỉ đạo, điều hành phát hành đúng hạn", "%", 98, 98,
                   aggregation=LAST),
    ),
}  # fmt: skip
WARD_INDICATORS = (
    _Indicator(PARTY, "Kết nạp đảng viên mới", "đảng viên", 8, 15, main=True, weight=2),
    _Indicator(PARTY, "Chi bộ khu phố hoàn thành tốt nhiệm vụ trở lên", "%", 85, 90,
               aggregation=LAST),
    _Indicator(ECONOMY, "Thu ngân sách nhà nước trên địa bàn phường", "tỷ đồng", 60, 140, 1,
               main=True, weight=3),
    _Indicator(ECONOMY, "Tỷ lệ hộ nghèo", "%", 0.5, 1.2, 2, LESS, LAST),
    _Indicator(ECONOMY, "Tạo việc làm mới", "người", 250, 450),
    _Indicator(ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, 95, 1, aggregation=LAST),
    _Indicator(ECONOMY, "Công trình vi phạm trật tự xây dựng được xử lý", "%", 100, 100,
               aggregation=LAST),
    _Indicator(ECONOMY, "Hộ gia đình đạt danh hiệu gia đình văn hóa", "%", 90, 93,
               aggregation=LAST),
    _Indicator(DEFENCE, "Hoàn thành chỉ tiêu tuyển quân", "%", 100, 100, aggregation=LAST,
               main=True, weight=2),
    _Indicator(DEFENCE, "Số vụ phạm pháp hình sự", "vụ", 6, 15, direction=LESS),
    _Indicator(DEFENCE, "Số vụ cháy, nổ", "vụ", 2, 4, direction=LESS),
    _Indicator(OTHER, "Hồ sơ thủ tục hành chính giải quyết đúng hạn", "%", 98, 98, 1,
               aggregation=LAST, main=True, weight=2, label=REFORM),
    _Indicator(OTHER, "Chỉ số hài lòng của người dân (SIPAS)", "%", 85, 90, aggregation=LAST,
               label=REFORM),
)  # fmt: skip

# How a set fares: the share of non-main indicators missed, and how many main ones miss.
GOOD, REVIEW, VETO = "good", "review", "veto"


def _q(value: float | Decimal, places: int) -> Decimal:
    """A value rounded to `places` decimals."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


@dataclass
class _TargetSetPlan:
    """A target set to write: its unit, head post, indicators and how it fares."""

    unit: Unit
    head_post: Post | None
    indicators: Sequence[_Indicator]
    fate: str
    issuer: str  # of the actuals' reports, e.g. "BC-QU"


class _Targets:
    """Plans this year's targets of heads, their monthly actuals and the misses."""

    def __init__(self, city: _City, rng: Random) -> None:
        self.city, self.rng = city, rng
        self.year = city.today.year
        # Months with a result so far: up to last month (January reports January itself).
        self.months = max(1, city.today.month - 1)

    def plans(self) -> list[_TargetSetPlan]:
        """Every district, every city department and the logins' ward; one or two fare badly."""
        heads = {
            post.unit_id: post
            for post in Post.objects.active(self.city.today)
            .filter(is_head=True)
            .order_by("unit_id", "start_date", "id")
            .select_related("person")
        }
        departments = {f"TP-{suffix}" for suffix, _ in DEPARTMENTS}
        units = Unit.objects.filter(is_active=True).order_by("path")
        districts = [u for u in units if DISTRICT_CODE.match(u.code)]
        offices = [u for u in units if u.code in departments]
        ward = [u for u in units if u.code == WARD_CODE]
        rng = self.rng
        plans: list[_TargetSetPlan] = []
        for unit in districts:
            picked = list(DISTRICT_INDICATORS)
            if unit.code.startswith("H"):
                picked += RURAL_INDICATORS
            # Not every district is given every indicator.
            optional = [i for i in picked if not i.main]
            for dropped in rng.sample(optional, rng.randint(0, 3)):
                picked.remove(dropped)
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), picked, GOOD, "BC-QU"))
        for unit in offices:
            own = DEPARTMENT_OWN.get(unit.code.removeprefix("TP-"), ())
            picked = [*DEPARTMENT_INDICATORS[:4], *own, *DEPARTMENT_INDICATORS[4:]]
            suffix = unit.code.removeprefix("TP-")
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), picked, GOOD, f"BC-{suffix}"))
        for unit in ward:
            plans.append(_TargetSetPlan(unit, heads.get(unit.pk), WARD_INDICATORS, GOOD, "BC-UBND"))
        # A district other than the logins' misses badly (veto), a department less (review).
        bad_districts = [p for p in plans if p.unit in districts and p.unit.code != "Q01"]
        if bad_districts:
            bad_districts[rng.randrange(len(bad_districts))].fate = VETO
        if offices:
            office_plans = [p for p in plans if p.unit in offices]
            office_plans[rng.randrange(len(office_plans))].fate = REVIEW
        return plans

    def _misses(self, plan: _TargetSetPlan) -> set[int]:
        """Indexes of the indicators a set misses, by its fate."""
        rng = self.rng
        mains = [n for n, i in enumerate(plan.indicators) if i.main]
        others = [n for n, i in enumerate(plan.indicators) if not i.main]
        size = len(plan.indicators)
        if plan.fate == VETO:
            # Over half missed, two main targets among them: under 50% met (the veto).
            missed = set(rng.sample(mains, min(2, len(mains))))
            need = size // 2 + 1 - len(missed)
            return missed | set(rng.sample(others, min(len(others), max(0, need))))
        if plan.fate == REVIEW:
            # A third missed, one main target among them: 50–70% met (the review signal).
            missed = set(rng.sample(mains, min(1, len(mains))))
            need = size * 35 // 100 + 1 - len(missed)
            return missed | set(rng.sample(others, min(len(others), max(0, need))))
        return {n for n in others if rng.random() < 0.18}

    def _final(self, spec: _Indicator, target: Decimal, missed: bool, fate: str) -> Decimal:
        """The result so far that gives the indicator its achievement (met or missed)."""
        rng = self.rng
        step = Decimal(1).scaleb(-spec.places)
        if spec.direction == LESS and target == 0:
            return Decimal(rng.randint(1, 2)) if missed else Decimal(0)
        if missed:
            low = 0.55 if fate == VETO and spec.main else 0.82
            ratio = rng.uniform(low, 0.98)
        else:
            ratio = rng.uniform(1.0, 1.12)
        raw = (
            target * Decimal(str(ratio)) if spec.direction == MORE else target / Decimal(str(ratio))
        )
        value = _q(raw, spec.places)
        if spec.is_rate:
            value = min(value, Decimal(100))
        meets = value >= target if spec.direction == MORE else value <= target
        # Rounding (or the 100% ceiling of a rate) must not turn a miss into a hit, or back.
        if missed and meets:
            value = target - step if spec.direction == MORE else target + step
        elif not missed and not meets:
            value = target if spec.direction == MORE else max(Decimal(0), target - step)
        return max(value, Decimal(0))

    def _series(self, spec: _Indicator, final: Decimal) -> list[Decimal]:
        """Monthly actuals ending at the result so far.

        Summed indicators spread the result over the months so far, so that the dashboard
        (which compares their sum with the year's target) shows how the head stands rather
        than how much of the year has passed. Rates climb (or fall) towards the latest value.
        """
        rng, months = self.rng, self.months
        if spec.aggregation == LAST:
            values = []
            for m in range(1, months + 1):
                gap = Decimal(str(rng.uniform(0.02, 0.08))) * (months - m) / months
                scaled = final * (1 - gap) if spec.direction == MORE else final * (1 + gap)
                value = _q(scaled, spec.places)
                values.append(min(value, Decimal(100)) if spec.is_rate else value)
            values[-1] = final
            return values
        # Whole steps (1, or 0.1 for one decimal...) shared by largest remainder: exact sums.
        step = Decimal(1).scaleb(-spec.places)
        steps = int(final / step)
        weights = [rng.uniform(0.7, 1.3) for _ in range(months)]
        shares = [steps * w / sum(weights) for w in weights]
        counts = [int(x) for x in shares]
        by_remainder = sorted(range(months), key=lambda i: (counts[i] - shares[i], i))
        for i in by_remainder[: steps - sum(counts)]:
            counts[i] += 1
        return [count * step for count in counts]

    def write(self, report: Progress) -> dict[str, int]:
        """Insert the sets, their indicators and actuals."""
        rng, city = self.rng, self.city
        plans = self.plans()
        report(STAGE_TARGETS, 0, len(plans))
        organiser = city.users["bantochuc"]
        assigned_on = datetime.date(self.year, 1, rng.randint(10, 25))
        sets = []
        for plan in plans:
            post = plan.head_post
            issuer = "QĐ-UBND" if plan.unit.code.startswith("TP-") else "QĐ/TU"
            sets.append(
                TargetSet(
                    unit=plan.unit,
                    head_post=post,
                    head_person=post.person if post else None,
                    year=self.year,
                    title=f"Chỉ tiêu năm {self.year} – {plan.unit.name}",
                    state=TargetSetState.ASSIGNED,
                    decision_number=f"{rng.randint(20, 480)}-{issuer}",
                    assigned_by=organiser,
                    assigned_on=min(assigned_on, city.today),
                )
            )
        TargetSet.objects.bulk_create(sets)
        indicators: list[Indicator] = []
        actuals: list[IndicatorActual] = []
        reporter: dict[str, User | None] = {plan.unit.code: None for plan in plans}
        reporter[WARD_CODE] = city.users["thutruong"]
        for target_set, plan in zip(sets, plans, strict=True):
            missed = self._misses(plan)
            for n, spec in enumerate(plan.indicators):
                target = _q(rng.uniform(spec.low, spec.high), spec.places)
                indicator = Indicator(
                    target_set=target_set,
                    group=spec.group,
                    group_label=spec.label,
                    code=str(n + 1),
                    name=spec.name,
                    unit_of_measure=spec.unit,
                    target=target,
                    direction=spec.direction,
                    aggregation=spec.aggregation,
                    is_main=spec.main,
                    weight=Decimal(spec.weight),
                    position=n + 1,
                )
                indicators.append(indicator)
                final = self._final(spec, target, n in missed, plan.fate)
                for m, value in enumerate(self._series(spec, final), start=1):
                    actuals.append(
                        IndicatorActual(
                            indicator=indicator,
                            period=datetime.date(self.year, m, 1),
                            value=value,
                            evidence_note=f"Báo cáo kết quả thực hiện tháng {m:02d}/{self.year}",
                            document_number=f"{rng.randint(10, 400)}/{plan.issuer}",
                            recorded_by=reporter[plan.unit.code],
                        )
                    )
        Indicator.objects.bulk_create(indicators, batch_size=BATCH)
        IndicatorActual.objects.bulk_create(actuals, batch_size=BATCH)
        report(STAGE_TARGETS, len(plans), len(plans))
        return {
            "target_sets": len(sets),
            "indicators": len(indicators),
            "indicator_actuals": len(actuals),
        }


# ---------------------------------------------------------------------------------------------


def demo_work_tour(today: datetime.date) -> list[tuple[str, str]]:
    """Where each demo login sees the work record, as the demo command prints it."""
    year, month = _month_before(today)
    last = f"{month:02d}/{year}"
    ward = Unit.objects.filter(code=WARD_CODE).values_list("name", flat=True).first()
    return [
        ("canhan", f"«Tháng của tôi»: nhiệm vụ tháng này (đã xác nhận, chờ xác nhận, đang làm, "
                   f"quá hạn), điểm tạm tính, «Tự đánh giá tháng»; tháng {last} với điểm, mức "
                   "xếp loại, «điểm này từ đâu ra»"),
        ("lanhdao", "«Đơn vị của tôi»: bên cạnh mỗi người việc còn phải làm — duyệt kế hoạch, "
                    "xác nhận nhiệm vụ, chấm điểm tháng (hai phiếu tự đánh giá nhập hộ)"),
        ("thutruong", f"«Kỳ đánh giá» tháng {last}: quyết định mức xếp loại của "
                      f"{ward or WARD_CODE}; «Chỉ tiêu» năm {today.year}"),
        ("bantochuc", f"«Kỳ đánh giá»: tháng này mở một lần cho cả thành phố (tháng sau tự mở); "
                      f"tháng {last} đã xếp loại; «Chỉ tiêu» của các quận, huyện và sở"),
    ]  # fmt: skip


def _quiet(stage: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""


def _analyze() -> None:
    """Refresh the query planner's statistics after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def demo_work_build(
    *, seed: int, today: datetime.date, progress: Progress | None = None
) -> dict[str, int]:
    """Give the freshly built demo city catalogues, two months of work, scores and targets."""
    report = progress or _quiet
    if WorkPlan.objects.exists() or JobPosition.objects.exists() or TargetSet.objects.exists():
        raise DemoError("Đã có dữ liệu công việc hoặc chỉ tiêu; không dựng thêm dữ liệu mẫu.")
    if MonthlyScore.objects.exists():
        raise DemoError("Đã có kết quả đánh giá tháng; không dựng thêm dữ liệu mẫu.")
    city = _City.load(today)
    rng = Random(seed)
    with transaction.atomic():
        counts = _write_catalogue(city, report)
        work, general = _write_work(city, rng, report)
        counts |= work
        # Hundreds of thousands of rows have just appeared: without fresh statistics the
        # planners (PostgreSQL's as much as SQLite's) choose nested loops over them.
        _analyze()
        counts |= _write_scores(city, rng, general, report)
        ward = Unit.objects.get(pk=city.ward_id)
        counts |= demo_this_month(root=city.root, ward=ward, today=today)
        counts |= _Targets(city, rng).write(report)
        _analyze()
        audit_record(
            actor=None,
            action="demo.work_build",
            obj=city.root,
            after={**counts, "seed": seed, "today": today.isoformat()},
            note="Dữ liệu mẫu: công việc, kết quả tháng và chỉ tiêu của Thành phố Mẫu",
        )
    return counts
