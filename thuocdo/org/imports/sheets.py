"""The registry's import workbooks: their sheets and columns, and the instructions of their
templates."""

from __future__ import annotations

from thuocdo.org.models import (
    Authority,
    Category,
    Discipline,
    DisciplineForm,
    DisciplineKind,
    Gender,
    Person,
    Post,
    Reward,
    Unit,
    UnitKind,
)
from thuocdo.spreadsheets import YES_NO, Column, SheetSpec, WorkbookSpec, field_length
from thuocdo.spreadsheets.columns import DATE_FORMAT

UNIT_SHEET = SheetSpec(
    "Đơn vị",
    (
        Column(
            "code",
            "Mã đơn vị",
            True,
            max_length=field_length(Unit, "code"),
            width=16,
            help="Mã duy nhất của đơn vị; dùng để nhận ra đơn vị khi nhập lại.",
        ),
        Column("name", "Tên đơn vị", True, max_length=field_length(Unit, "name"), width=44),
        Column(
            "kind",
            "Loại",
            True,
            "choice",
            tuple(UnitKind.choices),
            width=30,
            help="Chọn trong danh sách; cũng chấp nhận mã loại (party, state...).",
        ),
        Column(
            "parent",
            "Mã đơn vị cấp trên",
            max_length=field_length(Unit, "code"),
            width=20,
            help="Để trống nếu là đơn vị gốc. Đơn vị cấp trên có thể nằm ở dòng sau trong tệp "
            "hoặc đã có trong hệ thống.",
        ),
    ),
    help="Mỗi dòng là một đơn vị. Thứ tự dòng không quan trọng.",
    example=("VD-P01", "Phường Ví Dụ", "Cơ quan nhà nước", "VD-Q01"),
)

AUTHORITY_SHEET = SheetSpec(
    "Cấp có thẩm quyền",
    (
        Column("code", "Mã", True, max_length=field_length(Authority, "code"), width=16),
        Column("name", "Tên", True, max_length=field_length(Authority, "name"), width=44),
        Column(
            "unit",
            "Mã đơn vị",
            True,
            max_length=field_length(Unit, "code"),
            width=16,
            help="Đơn vị mà cấp có thẩm quyền thuộc về (trong tệp hoặc trong hệ thống).",
        ),
    ),
    required=False,
    help="Không bắt buộc. Các cấp có thẩm quyền (ví dụ BTV Thành ủy) và đơn vị của họ.",
    example=("VD-BTV", "Ban Thường vụ Quận ủy Ví Dụ", "VD-Q01"),
)

PERSON_SHEET = SheetSpec(
    "Cán bộ",
    (
        Column(
            "code",
            "Mã cán bộ",
            True,
            max_length=field_length(Person, "code"),
            width=16,
            help="Mã duy nhất của cán bộ; dùng để nhận ra cán bộ khi nhập lại.",
        ),
        Column(
            "full_name", "Họ và tên", True, max_length=field_length(Person, "full_name"), width=30
        ),
        Column("birth_date", "Ngày sinh", True, "date", width=14),
        Column("gender", "Giới tính", True, "choice", tuple(Gender.choices), width=12),
        Column("category", "Đối tượng", True, "choice", tuple(Category.choices), width=18),
        Column(
            "is_party_member",
            "Đảng viên",
            kind="bool",
            choices=YES_NO,
            width=12,
            help="Để trống nghĩa là Không.",
            default=False,
        ),
        Column(
            "party_joined",
            "Ngày vào Đảng",
            kind="date",
            width=16,
            help="Chỉ điền khi cột Đảng viên là Có.",
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            max_length=field_length(Person, "ethnicity"),
            width=14,
            help="Để trống nghĩa là Kinh.",
            default="Kinh",
        ),
    ),
    help="Mỗi dòng là một cán bộ. Họ và tên ghi đầy đủ, có dấu.",
    example=(
        "VD-CB001",
        "Nguyễn Văn Ví Dụ",
        "05/09/1980",
        "Nam",
        "Công chức",
        "Có",
        "03/02/2005",
        "Kinh",
    ),
)

POST_SHEET = SheetSpec(
    "Chức vụ",
    (
        Column(
            "person",
            "Mã cán bộ",
            True,
            max_length=field_length(Person, "code"),
            width=16,
            help="Cán bộ ở sheet «Cán bộ» hoặc đã có trong hệ thống.",
        ),
        Column(
            "unit",
            "Mã đơn vị",
            True,
            max_length=field_length(Unit, "code"),
            width=16,
            help="Đơn vị đã có trong hệ thống.",
        ),
        Column("title", "Chức danh", True, max_length=field_length(Post, "title"), width=28),
        Column(
            "is_head",
            "Người đứng đầu",
            kind="bool",
            choices=YES_NO,
            width=16,
            default=False,
            help="Một người không được đứng đầu hai đơn vị trong cùng một thời gian.",
        ),
        Column("is_deputy", "Cấp phó", kind="bool", choices=YES_NO, width=10, default=False),
        Column("is_key", "Chủ chốt", kind="bool", choices=YES_NO, width=10, default=False),
        Column(
            "duty_group", "Nhóm nhiệm vụ", max_length=field_length(Post, "duty_group"), width=20
        ),
        Column(
            "managed_by",
            "Diện quản lý",
            max_length=field_length(Authority, "code"),
            width=16,
            help="Mã cấp có thẩm quyền quản lý chức vụ này (đã có trong hệ thống).",
        ),
        Column("start_date", "Từ ngày", True, "date", width=14),
        Column(
            "end_date",
            "Đến ngày",
            kind="date",
            width=14,
            help="Để trống nếu đang giữ chức vụ. Không được trước Từ ngày.",
        ),
    ),
    help="Mỗi dòng là một chức vụ. Một chức vụ được nhận ra bởi Mã cán bộ, Mã đơn vị, "
    "Chức danh và Từ ngày; một người có thể giữ nhiều chức vụ.",
    example=(
        "VD-CB001",
        "VD-P01",
        "Chuyên viên",
        "Không",
        "Không",
        "Không",
        "",
        "",
        "01/06/2021",
        "",
    ),
)

DISCIPLINE_SHEET = SheetSpec(
    "Kỷ luật",
    (
        Column("person", "Mã cán bộ", True, max_length=field_length(Person, "code"), width=16),
        Column(
            "kind",
            "Loại",
            True,
            "choice",
            (("party", "Đảng"), ("administrative", "Hành chính")),
            aliases=tuple((label, value) for value, label in DisciplineKind.choices),
            width=14,
        ),
        Column("form", "Hình thức", True, "choice", tuple(DisciplineForm.choices), width=18),
        Column("date", "Ngày", True, "date", width=14, help="Ngày quyết định."),
        Column(
            "decision_number",
            "Số quyết định",
            True,
            max_length=field_length(Discipline, "decision_number"),
            width=18,
        ),
        Column(
            "issuing_body",
            "Cơ quan ban hành",
            True,
            max_length=field_length(Discipline, "issuing_body"),
            width=30,
        ),
        Column("reason", "Lý do", width=40),
        Column(
            "duty_related",
            "Liên quan nhiệm vụ",
            kind="bool",
            choices=YES_NO,
            width=18,
            default=True,
            help="Để trống nghĩa là Có.",
        ),
        Column(
            "self_remedied",
            "Tự phát hiện, khắc phục",
            kind="bool",
            choices=YES_NO,
            width=22,
            default=False,
            help="Để trống nghĩa là Không.",
        ),
    ),
    required=False,
    help="Không bắt buộc. Một quyết định kỷ luật được nhận ra bởi Mã cán bộ, Loại, Ngày và "
    "Số quyết định.",
    example=(
        "VD-CB001",
        "Đảng",
        "Khiển trách",
        "15/08/2023",
        "12-QĐ/UBKT",
        "UBKT Quận ủy",
        "Chậm báo cáo",
        "Có",
        "Không",
    ),
)

REWARD_SHEET = SheetSpec(
    "Khen thưởng",
    (
        Column("person", "Mã cán bộ", True, max_length=field_length(Person, "code"), width=16),
        Column("form", "Hình thức", True, max_length=field_length(Reward, "form"), width=30),
        Column("date", "Ngày", True, "date", width=14, help="Ngày quyết định."),
        Column(
            "decision_number",
            "Số quyết định",
            True,
            max_length=field_length(Reward, "decision_number"),
            width=18,
        ),
        Column(
            "issuing_body",
            "Cơ quan ban hành",
            True,
            max_length=field_length(Reward, "issuing_body"),
            width=30,
        ),
    ),
    required=False,
    help="Không bắt buộc. Một khen thưởng được nhận ra bởi Mã cán bộ, Ngày và Số quyết định.",
    example=("VD-CB001", "Giấy khen", "20/01/2024", "45/QĐ-UBND", "UBND quận"),
)


ENTITY_LABELS = {
    "unit": "Đơn vị",
    "authority": "Cấp có thẩm quyền",
    "person": "Cán bộ",
    "post": "Chức vụ",
    "discipline": "Kỷ luật",
    "reward": "Khen thưởng",
}
GUIDE = (
    "Dòng đầu tiên của mỗi sheet là tiêu đề: không đổi tên, không xóa cột. Dữ liệu bắt đầu "
    "từ dòng 2; dòng trống được bỏ qua.",
    f"Ngày ghi theo dạng {DATE_FORMAT} (ví dụ 05/09/1980) hoặc dùng ô kiểu ngày của Excel.",
    "Cột có giá trị chọn (Loại, Giới tính, Có/Không...) nhận đúng nhãn trong danh sách; "
    "không phân biệt chữ hoa, chữ thường, có dấu hay không dấu.",
    "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được "
    "nhập, và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
    "Nhập lại: dữ liệu được nhận ra theo mã. Dòng có mã đã có thì cập nhật, mã mới thì "
    "tạo mới; nhập lại đúng tệp cũ không thay đổi gì. Không có dòng nào bị xóa khi nhập.",
    "Bạn chỉ được nhập dữ liệu trong phạm vi đơn vị mình phụ trách; chỉ quản trị hệ thống "
    "được tạo đơn vị gốc.",
)
TITLE = "Hướng dẫn nhập dữ liệu vào Thước Đo"
UNITS_WORKBOOK = WorkbookSpec(
    key="units",
    title=TITLE,
    sheets=(UNIT_SHEET, AUTHORITY_SHEET),
    file_name="mau-nhap-don-vi.xlsx",
    guide=GUIDE,
    labels=ENTITY_LABELS,
)
PEOPLE_WORKBOOK = WorkbookSpec(
    key="people",
    title=TITLE,
    sheets=(PERSON_SHEET, POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET),
    file_name="mau-nhap-can-bo.xlsx",
    guide=GUIDE,
    labels=ENTITY_LABELS,
)
WORKBOOKS = {"units": UNITS_WORKBOOK, "people": PEOPLE_WORKBOOK}
TEMPLATE_FILE_NAMES = {kind: workbook.file_name for kind, workbook in WORKBOOKS.items()}
