"""Excel import of accounts and their roles, on the shared import (thuocdo.spreadsheets).

One sheet «Tài khoản», one row per role of an account (an account with two roles has two rows
with the same login). All-or-nothing like every import: the whole file is checked first, every
problem listed by sheet, row, column and reason, and nothing is written if there is one. Every
row is checked against the importer's reach, including rows that would change nothing.
Re-importing a file changes nothing: accounts are found by login (without case), roles by
login, role and unit or authority; nothing is ever deleted and no password is ever reset by
an import. New accounts get a one-time password, returned once in the report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.db.models.functions import Lower

from thuocdo.accounts.permissions import (
    AUTHORITY_ROLES,
    UNIT_ROLES,
    accounts_manageable_q,
    require_account_manager,
    role_grantable,
)
from thuocdo.accounts.services import (
    Credential,
    main_units,
    people_in_reach,
    people_link,
    user_build,
)
from thuocdo.accounts.usernames import USERNAME_MAX
from thuocdo.org.models import Authority, Person, Role, RoleAssignment, Unit, User
from thuocdo.org.scope import Scope
from thuocdo.spreadsheets import (
    AuditBuffer,
    Column,
    ImportRejected,
    ImportReport,
    Problems,
    Progress,
    Row,
    SheetSpec,
    Source,
    WorkbookSpec,
    by_codes,
    chunks,
    file_problem,
    import_run,
)

ACCOUNT_SHEET = SheetSpec(
    "Tài khoản",
    (
        Column(
            "username",
            "Tên đăng nhập",
            True,
            max_length=USERNAME_MAX,
            width=20,
            help="Chữ không dấu, chữ số và các dấu . _ - (ví dụ nhungnth). Không phân biệt chữ "
            "hoa, chữ thường. Một tài khoản có nhiều vai trò thì ghi nhiều dòng cùng tên đăng "
            "nhập.",
        ),
        Column(
            "person",
            "Mã cán bộ",
            max_length=40,
            width=16,
            help="Cán bộ dùng tài khoản này (đã có trong hệ thống, trong phạm vi bạn quản lý). "
            "Chỉ quản trị hệ thống được tạo tài khoản không gắn với cán bộ.",
        ),
        Column(
            "role",
            "Vai trò",
            kind="choice",
            choices=tuple(Role.choices),
            width=24,
            help="Để trống nghĩa là Cá nhân (chỉ tài khoản, không có vai trò quản lý). Ban Tổ "
            "chức chỉ giao được Cá nhân, Lãnh đạo trực tiếp, Người đứng đầu, Ban Tổ chức của "
            "đơn vị trong phạm vi mình; Cấp có thẩm quyền và Quản trị hệ thống do quản trị hệ "
            "thống giao.",
            default=Role.PERSON,
        ),
        Column(
            "target",
            "Mã đơn vị hoặc cấp có thẩm quyền",
            max_length=40,
            width=22,
            help="Mã đơn vị với Lãnh đạo trực tiếp, Người đứng đầu, Ban Tổ chức; mã cấp có thẩm "
            "quyền với Cấp có thẩm quyền; để trống với Cá nhân và Quản trị hệ thống.",
        ),
        Column(
            "email",
            "Thư điện tử",
            max_length=254,
            width=28,
            help="Không bắt buộc. Để trống thì giữ nguyên thư điện tử đã có.",
        ),
    ),
    help="Mỗi dòng là một vai trò của một tài khoản; một tài khoản có nhiều vai trò thì ghi "
    "nhiều dòng cùng tên đăng nhập.",
    example=("nhungnth", "CB000123", "Lãnh đạo trực tiếp", "Q01-P01-UB", "nhungnth@example.vn"),
)
WORKBOOK = WorkbookSpec(
    key="accounts",
    title="Hướng dẫn nhập tài khoản và phân quyền vào Thước Đo",
    sheets=(ACCOUNT_SHEET,),
    file_name="mau-nhap-tai-khoan.xlsx",
    guide=(
        "Dòng đầu tiên của sheet «Tài khoản» là tiêu đề: không đổi tên, không xóa cột. Dữ liệu "
        "bắt đầu từ dòng 2; dòng trống được bỏ qua.",
        "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được "
        "nhập, và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
        "Nhập lại: tài khoản được nhận ra theo tên đăng nhập, vai trò theo tên đăng nhập, vai "
        "trò và mã đơn vị; nhập lại đúng tệp cũ không thay đổi gì. Không tài khoản, vai trò nào "
        "bị xóa, không mật khẩu nào bị đặt lại khi nhập.",
        "Tài khoản mới được cấp mật khẩu một lần, trong tệp «tài khoản mới» tải về từ trang "
        "tiến độ của lần nhập: tệp được mã hóa, chỉ người nhập tải được, chỉ một lần, và tự hủy "
        "sau một thời hạn ngắn. Người dùng phải đổi mật khẩu ở lần đăng nhập đầu; "
        "mật khẩu một lần hết hạn sau một thời hạn (mặc định 30 ngày).",
        "Bạn chỉ được tạo tài khoản cho cán bộ và giao vai trò trên đơn vị trong phạm vi mình "
        "phụ trách, và không giao vai trò cao hơn vai trò của mình.",
    ),
    labels={"user": "Tài khoản", "role": "Vai trò"},
)
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]*")
NOT_IN_REACH = "không có trong hệ thống hoặc nằm ngoài phạm vi bạn quản lý"
CHANGED_MEANWHILE = "dữ liệu vừa được người khác thay đổi; hãy nhập lại tệp"


@dataclass
class AccountsImportReport(ImportReport):
    """What an accepted import did, and the one-time passwords of the accounts it created."""

    credentials: list[Credential] = field(default_factory=list)


@dataclass
class _Account:
    """The rows of one login, and what the database already holds for it."""

    login: str
    rows: list[Row]
    person_code: str = ""
    email: str = ""
    user: User | None = None
    person: Person | None = None


def accounts_import(
    *, actor: Any, source: Source, progress: Progress | None = None
) -> AccountsImportReport:
    """Check the whole workbook, then create and link accounts and grant roles in one go."""
    scope = require_account_manager(actor)
    credentials: list[Credential] = []

    def check(sheets: dict[str, list[Row]], problems: Problems) -> _Plan:
        accounts = _accounts_group(sheets[ACCOUNT_SHEET.name], problems)
        _people_check(actor, accounts, problems)
        _existing_check(scope, accounts, problems)
        return _Plan(accounts, _roles_check(scope, accounts, problems))

    def write(plan: _Plan, report: ImportReport, audit: AuditBuffer) -> None:
        credentials.extend(_write(plan, report, audit))

    try:
        report = import_run(
            actor=actor,
            source=source,
            workbook=WORKBOOK,
            check=check,
            write=write,
            progress=progress,
        )
    except IntegrityError as error:
        # Someone created the same login in the meantime.
        raise ImportRejected([file_problem(CHANGED_MEANWHILE)]) from error
    return AccountsImportReport(
        kind=report.kind, counts=report.counts, labels=report.labels, credentials=credentials
    )


def _accounts_group(rows: list[Row], problems: Problems) -> dict[str, _Account]:
    """Group rows by login; check each login and that its rows agree with each other."""
    spec = ACCOUNT_SHEET
    accounts: dict[str, _Account] = {}
    code_owner: dict[str, tuple[str, Row]] = {}
    for row in rows:
        login = (row.values.get("username") or "").lower()
        if login and not _LOGIN.fullmatch(login):
            problems.add(
                spec,
                row,
                "username",
                "chỉ được gồm chữ không dấu, chữ số và các dấu . _ - (bắt đầu bằng chữ hoặc số)",
            )
        email = row.values.get("email") or ""
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.add(spec, row, "email", "không phải địa chỉ thư điện tử hợp lệ")
        if not login:
            continue
        account = accounts.setdefault(login, _Account(login, []))
        account.rows.append(row)
        for key, attr in (("person", "person_code"), ("email", "email")):
            value = row.values.get(key) or ""
            if not value:
                continue
            if getattr(account, attr) and getattr(account, attr) != value:
                first = next(r for r in account.rows if r.values.get(key) == getattr(account, attr))
                problems.add(spec, row, key, f"khác với dòng {first.number} của cùng tài khoản")
            elif not getattr(account, attr):
                setattr(account, attr, value)
        code = row.values.get("person") or ""
        if code:
            owner = code_owner.setdefault(code, (login, row))
            if owner[0] != login:
                problems.add(
                    spec,
                    row,
                    "person",
                    f"đã gắn với tài khoản «{owner[0]}» ở dòng {owner[1].number}",
                )
    return accounts


def _people_check(actor: Any, accounts: dict[str, _Account], problems: Problems) -> None:
    """Every person named exists in the actor's reach (a missing one reads the same)."""
    people = people_in_reach(actor, [a.person_code for a in accounts.values() if a.person_code])
    for account in accounts.values():
        if account.person_code:
            account.person = people.get(account.person_code)
            if account.person is None:
                problems.add(ACCOUNT_SHEET, _person_row(account), "person", NOT_IN_REACH)


def _person_row(account: _Account) -> Row:
    """The row that names the account's person (its first row if none does)."""
    return next((r for r in account.rows if r.values.get("person")), account.rows[0])


def _existing_check(scope: Scope, accounts: dict[str, _Account], problems: Problems) -> None:
    """Existing logins must be within reach and not linked to somebody else; a new account
    made by an organiser must name its person."""
    # Logins compare without case: one pass over every login beats a case-folded lookup per
    # chunk, which no index serves.
    wanted = {
        pk: login
        for pk, login in User.objects.annotate(login=Lower("username")).values_list("pk", "login")
        if login in accounts
    }
    ids = sorted(wanted)
    existing: dict[str, User] = {}
    for start in range(0, len(ids), 900):
        found = User.objects.filter(pk__in=ids[start : start + 900]).select_related("person")
        existing.update({wanted[u.pk]: u for u in found})
    manageable: set[int] = set()
    for start in range(0, len(ids), 900):
        qs = User.objects.filter(accounts_manageable_q(scope), pk__in=ids[start : start + 900])
        manageable.update(qs.values_list("pk", flat=True))
    for account in accounts.values():
        user = account.user = existing.get(account.login)
        if user is None:
            if account.person is None and not account.person_code and not scope.everything:
                problems.add(
                    ACCOUNT_SHEET,
                    account.rows[0],
                    "person",
                    "ô bắt buộc với tài khoản mới: Ban Tổ chức chỉ tạo tài khoản cho cán bộ",
                )
        elif user.pk not in manageable:
            problems.add(
                ACCOUNT_SHEET,
                account.rows[0],
                "username",
                "đã là tên đăng nhập của một tài khoản nằm ngoài phạm vi bạn quản lý",
            )
            continue
        else:
            current = _linked_person(user)
            if account.person is not None and current is not None and current != account.person:
                problems.add(
                    ACCOUNT_SHEET,
                    _person_row(account),
                    "person",
                    f"tài khoản «{user.username}» đã gắn với cán bộ khác ({current.code})",
                )
        other = account.person.user if account.person is not None else None
        if other is not None and (user is None or other.pk != user.pk):
            problems.add(
                ACCOUNT_SHEET,
                _person_row(account),
                "person",
                f"cán bộ này đã có tài khoản «{other.username}»",
            )


def _linked_person(user: User) -> Person | None:
    """The person an account is linked to, if any."""
    try:
        return user.person
    except Person.DoesNotExist:
        return None


@dataclass(frozen=True)
class _Grant:
    login: str
    role: str
    unit: Unit | None
    authority: Authority | None


def _roles_check(scope: Scope, accounts: dict[str, _Account], problems: Problems) -> list[_Grant]:
    """Each role is one the actor may grant, over a unit or authority that exists in reach."""
    rows = [row for account in accounts.values() for row in account.rows]
    targets: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.values.get("target"):
            kind = "authority" if row.values.get("role") in AUTHORITY_ROLES else "unit"
            targets[kind].add(row.values["target"])
    units = {u.code: u for u in by_codes(Unit.objects.all(), targets["unit"])}
    authorities = {a.code: a for a in by_codes(Authority.objects.all(), targets["authority"])}
    grants: list[_Grant] = []
    seen: dict[tuple[str, str, str], int] = {}
    for account in accounts.values():
        for row in account.rows:
            role = row.values.get("role")
            if role is None:
                continue  # not a known role: the reader has said so
            target = row.values.get("target") or ""
            reason, unit, authority = _role_problem(scope, Role(role), target, units, authorities)
            if reason:
                problems.add(ACCOUNT_SHEET, row, reason[0], reason[1])
                continue
            key = (account.login, role, target)
            if key in seen:
                problems.add(ACCOUNT_SHEET, row, "role", f"trùng với dòng {seen[key]}")
                continue
            seen[key] = row.number
            if role != Role.PERSON:
                grants.append(_Grant(account.login, role, unit, authority))
    return grants


def _role_problem(
    scope: Scope,
    role: Role,
    target: str,
    units: dict[str, Unit],
    authorities: dict[str, Authority],
) -> tuple[tuple[str, str] | None, Unit | None, Authority | None]:
    """What is wrong with one role row (column key, reason), or its unit or authority."""
    above = f"vai trò «{role.label}» cao hơn quyền của bạn: chỉ quản trị hệ thống được giao"
    if role in UNIT_ROLES:
        if not target:
            return ("target", f"vai trò «{role.label}» cần mã đơn vị"), None, None
        unit = units.get(target)
        # A unit out of reach reads exactly like a missing one.
        if unit is None or not role_grantable(scope, role, unit):
            return ("target", f"mã đơn vị {NOT_IN_REACH}"), None, None
        return None, unit, None
    if not role_grantable(scope, role, None):
        return ("role", above), None, None
    if role in AUTHORITY_ROLES:
        authority = authorities.get(target)
        if not target:
            return ("target", f"vai trò «{role.label}» cần mã cấp có thẩm quyền"), None, None
        if authority is None:
            return ("target", "không có cấp có thẩm quyền mang mã này"), None, None
        return None, None, authority
    if target:
        return (
            ("target", f"vai trò «{role.label}» không gắn với đơn vị: để trống ô này"),
            None,
            None,
        )
    return None, None, None


@dataclass
class _Plan:
    accounts: dict[str, _Account]
    grants: list[_Grant]


def _write(plan: _Plan, report: ImportReport, audit: AuditBuffer) -> list[Credential]:
    """Create, update and link the accounts, then grant the missing roles; audit each. Returns
    the one-time passwords of the accounts created."""
    accounts = plan.accounts
    _people_lock(accounts)
    counts = report.of("user")
    report.of("role")  # listed even when the file grants none
    new: list[tuple[_Account, User, str]] = []
    changed: list[User] = []
    for account in accounts.values():
        user = account.user
        if user is None:
            user, password = user_build(
                username=account.login, person=account.person, email=account.email
            )
            new.append((account, user, password))
            continue
        linked = _linked_person(user)
        before = {"email": user.email, "person": linked.pk if linked else None}
        if (account.email and account.email != user.email) or (account.person and not linked):
            user.email = account.email or user.email
            after = {"email": user.email, "person": (account.person or linked or user).pk}
            changed.append(user)
            audit.add("user.update", user, before, after)
            counts.updated += 1
        else:
            counts.unchanged += 1
    created = User.objects.bulk_create([user for _, user, _ in new], batch_size=1000)
    User.objects.bulk_update(changed, ["email"], batch_size=1000)
    counts.created = len(created)
    units = main_units([a.person.pk for a, _, _ in new if a.person is not None])
    credentials = []
    for (account, _, password), user in zip(new, created, strict=True):
        account.user = user
        audit.add("user.create", user)
        person = account.person
        credentials.append(
            Credential(
                full_name=person.full_name if person else "",
                person_code=person.code if person else "",
                unit_name=units.get(person.pk, "") if person else "",
                username=user.username,
                password=password,
            )
        )
    linked_people = []
    for account in accounts.values():
        person, user = account.person, account.user
        if person is not None and user is not None and person.user_id != user.pk:
            person.user = user
            linked_people.append(person)
    people_link(linked_people)
    _grants_write(accounts, plan.grants, report, audit)
    return credentials


def _people_lock(accounts: dict[str, _Account]) -> None:
    """Lock the people to be linked, and refuse the file if one got an account meanwhile."""
    people = {a.person.pk: a.person for a in accounts.values() if a.person is not None}
    for chunk in chunks(sorted(people)):
        rows = Person.objects.select_for_update().filter(pk__in=chunk)
        for pk, user_id in rows.values_list("pk", "user_id"):
            if user_id != people[pk].user_id:
                raise ImportRejected([file_problem(CHANGED_MEANWHILE)])


def _grants_write(
    accounts: dict[str, _Account], grants: list[_Grant], report: ImportReport, audit: AuditBuffer
) -> None:
    """Insert the roles not held yet, each audited."""
    users = {login: account.user for login, account in accounts.items() if account.user}
    held: set[tuple[int, str, int | None, int | None]] = set()
    ids = [u.pk for u in users.values()]
    for start in range(0, len(ids), 900):
        qs = RoleAssignment.objects.filter(user_id__in=ids[start : start + 900])
        held.update(qs.values_list("user_id", "role", "unit_id", "authority_id"))
    new = []
    for grant in grants:
        user = users[grant.login]
        unit_id = grant.unit.pk if grant.unit else None
        authority_id = grant.authority.pk if grant.authority else None
        key = (user.pk, grant.role, unit_id, authority_id)
        if key in held:
            report.of("role").unchanged += 1
            continue
        held.add(key)
        new.append(
            RoleAssignment(user=user, role=grant.role, unit=grant.unit, authority=grant.authority)
        )
    RoleAssignment.objects.bulk_create(new, batch_size=1000)
    report.of("role").created = len(new)
    for assignment in new:
        audit.add("role.assign", assignment)
