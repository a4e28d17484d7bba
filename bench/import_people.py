"""Importing a city's registry from Excel: units, then 100.000 people with their posts.

Writes (once, cached next to the database) a units workbook (a city, its districts and wards)
and a people workbook (default 100.000 people on «Cán bộ» and one post each on «Chức vụ»),
then imports both into an emptied database as a superuser, the way `thuocdo import` does, and
prints how long the people import took: reading the workbook (until the reader's last progress
call), checking it (until the first INSERT) and writing it (bulk inserts and the audit). The
target (issue 15) is 100.000 rows in 30 s or less. A second import of the same file changes
nothing and is timed too.

    THUOCDO_SQLITE_PATH=/tmp/imp.sqlite3 .venv/bin/python bench/import_people.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/import_people.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from thuocdo.audit.models import AuditEvent  # noqa: E402
from thuocdo.org.imports import people_import, units_import  # noqa: E402
from thuocdo.org.models import Person, Post, User  # noqa: E402
from thuocdo.spreadsheets import ImportReport  # noqa: E402

DISTRICTS, WARDS = 24, 20  # 1 + 24 + 480 units
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quốc")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm")
CATEGORIES = ("Cán bộ", "Công chức", "Viên chức", "Người lao động")


def _ward_codes() -> list[str]:
    return [f"P{d:02d}{w:02d}" for d in range(1, DISTRICTS + 1) for w in range(1, WARDS + 1)]


def units_write(path: Path) -> None:
    """The city, its districts and their wards."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đơn vị")
    ws.append(["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Tổ chức cơ sở đảng"])
    ws.append(["TP", "Ủy ban nhân dân Thành phố", "Cơ quan nhà nước", None, "Không"])
    for d in range(1, DISTRICTS + 1):
        ws.append([f"Q{d:02d}", f"Ủy ban nhân dân Quận {d}", "Cơ quan nhà nước", "TP", "Không"])
        for w in range(1, WARDS + 1):
            code = f"P{d:02d}{w:02d}"
            ws.append([code, f"Phường {w} Quận {d}", "Cơ quan nhà nước", f"Q{d:02d}", "Có"])
    wb.save(path)


def people_write(path: Path, count: int) -> None:
    """`count` people, a third of them Party members, each with one post in a ward."""
    rng = random.Random(15)
    wards = _ward_codes()
    wb = Workbook(write_only=True)
    people = wb.create_sheet("Cán bộ")
    people.append(
        [
            "Mã cán bộ",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Đối tượng",
            "Đảng viên",
            "Ngày vào Đảng",
            "Dân tộc",
        ]
    )
    posts = wb.create_sheet("Chức vụ")
    posts.append(
        [
            "Mã cán bộ",
            "Mã đơn vị",
            "Chức danh",
            "Người đứng đầu",
            "Cấp phó",
            "Chủ chốt",
            "Nhóm nhiệm vụ",
            "Diện quản lý",
            "Từ ngày",
            "Đến ngày",
        ]
    )
    for n in range(1, count + 1):
        code = f"CB{n:06d}"
        born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(13000))
        member = n % 3 == 0
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        # Half the dates are real Excel dates, half typed as text, as offices send them.
        birth: Any = born if n % 2 else born.strftime("%d/%m/%Y")
        joined = datetime.date(born.year + 25, 3, 2) if member else None
        people.append(
            [
                code,
                name,
                birth,
                "Nam" if n % 2 else "Nữ",
                CATEGORIES[n % len(CATEGORIES)],
                "Có" if member else "Không",
                joined,
                "Kinh",
            ]
        )
        start = datetime.date(2015 + n % 10, 1 + n % 12, 1)
        posts.append(
            [code, wards[n % len(wards)], "Chuyên viên", "Không", "Không", "Không", None, None,
             start, None]
        )  # fmt: skip
    wb.save(path)


class Phases:
    """Marks the end of reading (the reader's last progress call) and the first INSERT."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.read_end: float | None = None
        self.first_insert: float | None = None

    def progress(self, done: int, total: int) -> None:
        if done == total:
            self.read_end = time.perf_counter()

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if self.first_insert is None and sql.lstrip().upper().startswith("INSERT"):
            self.first_insert = time.perf_counter()
        return execute(sql, *args)


def timed(label: str, run: Callable[[Phases], ImportReport]) -> None:
    """Run one import and print its phases."""
    phases = Phases()
    events = AuditEvent.objects.count()
    with connection.execute_wrapper(phases):
        report = run(phases)
    end = time.perf_counter()
    read_end = phases.read_end or end
    write_start = phases.first_insert or end
    print(
        f"{label}: {end - phases.start:.1f} s (reading {read_end - phases.start:.1f} s, checking "
        f"{write_start - read_end:.1f} s, writing {end - write_start:.1f} s); "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
        f"{AuditEvent.objects.count() - events} audit events",
        flush=True,
    )


def main() -> None:
    """Build the workbooks if needed, empty the database, import, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the workbooks go")
    args = parser.parse_args()
    folder = Path(args.dir)
    units_path = folder / "bench-units.xlsx"
    people_path = folder / f"bench-people-{args.people}.xlsx"
    if not units_path.exists():
        units_write(units_path)
    if not people_path.exists():
        began = time.perf_counter()
        people_write(people_path, args.people)
        print(f"wrote {people_path} in {time.perf_counter() - began:.1f} s", flush=True)
    print(f"{connection.vendor}; {people_path.stat().st_size / 1e6:.1f} MB", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    admin = User.objects.create_superuser("bench", password=None)
    timed("units", lambda p: units_import(actor=admin, source=units_path, progress=p.progress))
    for label in ("people (new)", "people (again, unchanged)"):
        timed(
            label,
            lambda p: people_import(actor=admin, source=people_path, progress=p.progress),
        )
    print(f"{Person.objects.count()} people, {Post.objects.count()} posts")


if __name__ == "__main__":
    main()
