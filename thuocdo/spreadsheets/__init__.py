"""One spreadsheet import for every importer: read a workbook safely, check it all, write it all.

An importer declares its workbook (a `WorkbookSpec` of `SheetSpec`s of `Column`s), then gives
`import_run` two functions: `check` turns the parsed rows into a plan, recording every problem
(sheet, row, column, value, reason in Vietnamese) against the database and the actor's scope
instead of stopping at the first; `write` carries the plan out, inside one transaction, noting
each row it creates or changes in the import's single audit event (with the file's SHA-256 and
the counts). Nothing is written unless `check` found nothing. The reader refuses broken and
hostile files (`limits`), normalises text to NFC and refuses hidden characters; the same
declaration writes the empty template with its «Hướng dẫn» sheet and an example row the reader
skips. The upload page (`upload_page`, `template_response`) and the
command-line plumbing (`thuocdo.spreadsheets.commands`) are shared too; every Excel export saves
through `workbook_save` / `workbook_bytes`, which escape formula-looking text.

Example, an import of accounts::

    from thuocdo.spreadsheets import (
        OUT_OF_SCOPE, AuditBuffer, Column, ImportReport, Problems, Row, SheetSpec,
        WorkbookSpec, duplicates_flag, import_run,
    )

    ACCOUNTS = SheetSpec("Tài khoản", (
        Column("username", "Tên đăng nhập", required=True, max_length=150),
        Column("person", "Mã cán bộ", required=True),
    ), example=("nguyenvana", "CB001"))
    WORKBOOK = WorkbookSpec(
        key="accounts", title="Hướng dẫn nhập tài khoản", sheets=(ACCOUNTS,),
        file_name="mau-nhap-tai-khoan.xlsx", labels={"user": "Tài khoản"},
    )

    def accounts_import(*, actor, source, progress=None) -> ImportReport:
        def check(sheets: dict[str, list[Row]], problems: Problems) -> dict[str, Row]:
            rows = duplicates_flag(ACCOUNTS, sheets[ACCOUNTS.name],
                                   lambda r: r.values["username"] or None, "username",
                                   problems, "tên đăng nhập")
            for row in rows.values():
                if not may_write(actor, row.values["person"]):
                    problems.add(ACCOUNTS, row, "person", f"là cán bộ {OUT_OF_SCOPE}")
            return rows

        def write(rows: dict[str, Row], report: ImportReport, audit: AuditBuffer) -> None:
            for username, row in rows.items():
                user = User.objects.create(username=username)
                audit.add("user.import", user)
                report.of("user").created += 1

        return import_run(actor=actor, source=source, workbook=WORKBOOK,
                          check=check, write=write, progress=progress)

Its page (`thuocdo.spreadsheets.web`), after the view's own permission check, queues the import
as a job registered in the app's `jobs.py` (`thuocdo.spreadsheets.background`: the file is
stored, the worker checks the rights again, imports and deletes the file; the job's page shows
the report or every problem)::

    return upload_page(request, template="accounts/import.html",
                       start=lambda data: import_job_start(
                           kind="accounts.import", actor=request.user, upload=data["file"]))

with the template extending ``spreadsheets/import_page.html`` (blocks title, heading, intro,
all_problems, after_report, after), and ``template_response(WORKBOOK)`` for the empty template.
Its command (`thuocdo.spreadsheets.commands`)::

    actor, path = command_actor(options["user"]), command_file(options["file"])
    report = command_import(self, lambda progress: accounts_import(
        actor=actor, source=path, progress=progress))
    command_report(self, path, report)

and ``command_template(self, WORKBOOK, options["output"])``. An export saves through
``workbook_bytes(wb)``.
"""

from thuocdo.spreadsheets.columns import (
    DATE_FORMAT,
    MONTH_FORMAT,
    YES_NO,
    Column,
    SheetSpec,
    WorkbookSpec,
    choice_map,
    date_text,
    field_length,
    normal,
    parse_date,
    parse_month,
    parse_number,
)
from thuocdo.spreadsheets.problems import (
    EntityCounts,
    ImportProblem,
    ImportRejected,
    ImportReport,
    Problems,
    file_problem,
)
from thuocdo.spreadsheets.reader import Progress, Row, Source, read_sheets
from thuocdo.spreadsheets.runner import (
    OUT_OF_SCOPE,
    WRITE_BATCH,
    AuditBuffer,
    by_codes,
    chunks,
    code_ids,
    codes_of,
    created_check,
    duplicates_flag,
    import_note,
    import_run,
    in_paths,
    values_apply,
    values_differ,
)
from thuocdo.spreadsheets.writer import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    XLSX,
    header_write,
    template_bytes,
    template_write,
    workbook_bytes,
    workbook_save,
)

__all__ = [
    "DATE_FORMAT",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "MONTH_FORMAT",
    "OUT_OF_SCOPE",
    "WRITE_BATCH",
    "XLSX",
    "YES_NO",
    "AuditBuffer",
    "Column",
    "EntityCounts",
    "ImportProblem",
    "ImportRejected",
    "ImportReport",
    "Problems",
    "Progress",
    "Row",
    "SheetSpec",
    "Source",
    "WorkbookSpec",
    "by_codes",
    "choice_map",
    "chunks",
    "code_ids",
    "codes_of",
    "created_check",
    "date_text",
    "duplicates_flag",
    "field_length",
    "file_problem",
    "header_write",
    "import_note",
    "import_run",
    "in_paths",
    "normal",
    "parse_date",
    "parse_month",
    "parse_number",
    "read_sheets",
    "template_bytes",
    "template_write",
    "values_apply",
    "values_differ",
    "workbook_bytes",
    "workbook_save",
]
