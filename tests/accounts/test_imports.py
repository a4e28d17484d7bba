"""The accounts workbook: all-or-nothing, every problem located, scoped row by row, idempotent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.spreadsheets.events import changes, import_event
from thuocdo.accounts.imports import accounts_import
from thuocdo.audit.models import AuditEvent
from thuocdo.org.models import Person, Role, RoleAssignment, User
from thuocdo.spreadsheets import ImportRejected

from .conftest import workbook


def _state() -> tuple[list[tuple[str, str, bool]], list[tuple[int, str]], int, int]:
    users = list(User.objects.order_by("username").values_list("username", "email", "is_active"))
    links = list(Person.objects.order_by("code").values_list("user_id", "code"))
    return users, links, RoleAssignment.objects.count(), AuditEvent.objects.count()


def test_it_creates_accounts_links_people_and_grants_roles(world) -> None:
    olga = world.users["olga"]
    source = workbook(
        [
            ["AnhTV", "CB-C", "Lãnh đạo trực tiếp", "P1", "anhtv@example.vn"],
            ["anhtv", "", "nguoi dung dau", "CB1", ""],  # same account, any case, no diacritics
            ["alice", "CB-A", "", "", "alice@example.vn"],  # existing account, new e-mail
        ]
    )
    report = accounts_import(actor=olga, source=source)
    assert report.lines() == [
        "Tài khoản: 1 tạo mới, 1 cập nhật, 0 không thay đổi.",
        "Vai trò: 2 tạo mới, 0 cập nhật, 0 không thay đổi.",
    ]
    user = User.objects.get(username="anhtv")
    assert user.email == "anhtv@example.vn" and user.must_change_password
    assert Person.objects.get(code="CB-C").user == user
    assert sorted(RoleAssignment.objects.filter(user=user).values_list("role", "unit")) == [
        (Role.HEAD, world.cell.pk),
        (Role.LEADER, world.p1.pk),
    ]
    [credential] = report.credentials
    assert (credential.username, credential.full_name, credential.unit_name) == (
        "anhtv",
        "Trần Văn Ánh",
        "Phường Một",
    )
    assert user.check_password(credential.password)
    assert User.objects.get(username="alice").email == "alice@example.vn"
    actions = sorted(AuditEvent.objects.filter(actor=olga).values_list("action", flat=True))
    assert actions == ["import"]
    event = import_event()
    assert "tai-khoan.xlsx" in event["note"]
    assert event["created"]["user.create"] == [user.pk]
    assert len(event["created"]["role.assign"]) == 2
    [change] = changes("user.update")
    assert change["after"]["email"] == "alice@example.vn"


def test_reimporting_the_same_file_changes_nothing(world) -> None:
    rows = [
        ["anhtv", "CB-C", "Lãnh đạo trực tiếp", "P1", "anhtv@example.vn"],
        ["alice", "CB-A", "Cá nhân", "", ""],
    ]
    accounts_import(actor=world.users["olga"], source=workbook(rows))
    password = User.objects.get(username="anhtv").password
    before = _state()
    report = accounts_import(actor=world.users["olga"], source=workbook(rows))
    assert report.lines() == [
        "Tài khoản: 0 tạo mới, 0 cập nhật, 2 không thay đổi.",
        "Vai trò: 0 tạo mới, 0 cập nhật, 1 không thay đổi.",
    ]
    assert report.credentials == []
    assert _state() == before
    assert User.objects.get(username="anhtv").password == password  # never reset by an import


def test_a_bad_file_lists_every_problem_by_sheet_row_and_column_and_writes_nothing(world):
    before = _state()
    source = workbook(
        [
            ["anhtv", "CB-C", "Lãnh đạo trực tiếp", "P1", "not-an-email"],  # row 3: e-mail
            ["Nguyễn An", "CB-A", "", "", ""],  # row 4: login with a space and diacritics
            ["carol2", "CB-X", "", "", ""],  # row 5: no such person
            ["carol3", "CB-C", "Giám đốc", "", ""],  # row 6: unknown role; person used twice
            ["carol4", "", "Người đứng đầu", "", ""],  # row 7: head without unit; no person
            ["anhtv", "CB-H", "", "", ""],  # row 8: another person for the same login
        ]
    )
    with pytest.raises(ImportRejected) as rejected:
        accounts_import(actor=world.users["olga"], source=source)
    found = [(p.sheet, p.row, p.letter, p.column) for p in rejected.value.problems]
    assert found == [
        ("Tài khoản", 3, "E", "Thư điện tử"),
        ("Tài khoản", 4, "A", "Tên đăng nhập"),
        ("Tài khoản", 4, "B", "Mã cán bộ"),  # alice has an account already
        ("Tài khoản", 5, "B", "Mã cán bộ"),
        ("Tài khoản", 6, "B", "Mã cán bộ"),
        ("Tài khoản", 6, "C", "Vai trò"),
        ("Tài khoản", 7, "B", "Mã cán bộ"),
        ("Tài khoản", 7, "D", "Mã đơn vị hoặc cấp có thẩm quyền"),
        ("Tài khoản", 8, "B", "Mã cán bộ"),
    ]
    messages = [str(p) for p in rejected.value.problems]
    assert messages[0] == (
        "Sheet «Tài khoản», dòng 3, cột E «Thư điện tử»: giá trị «not-an-email» không phải địa "
        "chỉ thư điện tử hợp lệ."
    )
    assert "đã gắn với tài khoản «anhtv» ở dòng 3" in messages[4]
    assert "khác với dòng 3 của cùng tài khoản" in messages[8]
    assert _state() == before


def test_the_example_row_of_the_template_is_skipped(world) -> None:
    report = accounts_import(actor=world.users["olga"], source=workbook([]))
    assert report.created == report.unchanged == 0
    assert not User.objects.filter(username__icontains="nhungnth").exists()


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        # a person of the sibling district reads exactly like a missing one
        (["binhbv", "CB-B", "", "", ""], "B", "không có trong hệ thống hoặc nằm ngoài phạm vi"),
        # a unit of the sibling district, as the target of a role
        (["anhtv", "CB-C", "Lãnh đạo trực tiếp", "P2", ""], "D", "nằm ngoài phạm vi"),
        # organiser of the city: above her own
        (["anhtv", "CB-C", "Ban Tổ chức", "TP", ""], "D", "nằm ngoài phạm vi"),
        # an authority member, or an administrator: only the administrator grants those
        (["anhtv", "CB-C", "Cấp có thẩm quyền", "BTV-TU", ""], "C", "cao hơn quyền của bạn"),
        (["anhtv", "CB-C", "Quản trị hệ thống", "", ""], "C", "cao hơn quyền của bạn"),
        # an existing account out of reach, even for a row that would change nothing
        (["tam", "", "", "", ""], "A", "ngoài phạm vi bạn quản lý"),
        (["root", "", "", "", ""], "A", "ngoài phạm vi bạn quản lý"),
        # a new account with no person
        (["khach", "", "", "", ""], "B", "chỉ tạo tài khoản cho cán bộ"),
    ],
)
def test_an_organiser_is_refused_every_row_out_of_reach(world, row, column, reason) -> None:
    before = _state()
    with pytest.raises(ImportRejected) as rejected:
        accounts_import(actor=world.users["olga"], source=workbook([row]))
    [problem] = rejected.value.problems
    assert (problem.row, problem.letter) == (3, column)
    assert reason in problem.reason
    assert _state() == before


def test_the_administrator_grants_any_role_and_creates_unlinked_accounts(world) -> None:
    source = workbook(
        [
            ["thamquyen2", "CB-C", "Cấp có thẩm quyền", "BTV-TU", ""],
            ["hethong", "", "Quản trị hệ thống", "", "it@example.vn"],
        ]
    )
    report = accounts_import(actor=world.users["root"], source=source)
    assert report.of("user").created == 2 and report.of("role").created == 2
    assert RoleAssignment.objects.filter(user__username="hethong", role=Role.ADMIN).exists()


def test_a_person_with_an_account_keeps_it(world) -> None:
    with pytest.raises(ImportRejected) as rejected:
        accounts_import(
            actor=world.users["olga"], source=workbook([["alice2", "CB-A", "", "", ""]])
        )
    assert "cán bộ này đã có tài khoản «alice»" in str(rejected.value)


def test_people_without_a_registry_role_may_not_import(world) -> None:
    for name in ["alice", "lena", "hana", "tam", "nobody"]:
        with pytest.raises(PermissionDenied):
            accounts_import(actor=world.users[name], source=workbook([]))


def test_a_person_given_an_account_meanwhile_rejects_the_file(world) -> None:
    from thuocdo.accounts.imports import _Account, _people_lock
    from thuocdo.accounts.services import accounts_create_for_unit

    stale = Person.objects.get(code="CB-C")  # read by the import's checks, without account
    accounts_create_for_unit(actor=world.users["root"], unit=world.p1)  # meanwhile
    with pytest.raises(ImportRejected, match="vừa được người khác thay đổi"):
        _people_lock({"anhtv9": _Account("anhtv9", [], person=stale)})
