"""The `thuocdo` command: Django's management commands plus the rules engine's own CLI.

thuocdo demo [--people N] [--seed S]     build the demo city
thuocdo import units|people FILE.xlsx   import the registry from Excel
thuocdo template units|people           write an empty import workbook
thuocdo periods open|open-due ...       a month for a whole subtree; the daily scheduled months
thuocdo accounts import|create|template accounts and roles from Excel, or for a subtree
thuocdo rules classify|list|show ...    the rules engine, no database needed
thuocdo rules what-if --period ID ...   a year re-run under another rule-set, writing nothing
thuocdo serve [ADDR:PORT] [--with-worker]  serve the site with gunicorn (default 127.0.0.1:8000)
thuocdo worker                          work the background jobs and the daily backup
thuocdo jobs prune [--days N]           delete finished jobs older than N days, their files
thuocdo backup [--output DIR]           back up the database and the evidence files
thuocdo restore DIR [--force]           restore a backup (into an empty database)
thuocdo <any Django command>            migrate, createsuperuser, shell...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the rules CLI or to Django's management commands."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["rules", "what-if"]:
        # A simulation reads a period: Django's command `what_if`.
        args = ["what_if", *args[2:]]
    elif args and args[0] == "rules":
        # The engine is pure Python: classifying a file needs neither settings nor a database.
        from thuocdo.rules import cli_main

        return cli_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
    from django.core.management import execute_from_command_line

    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if args[0] == "serve":
        from thuocdo.serve import serve_environ

        serve_environ()  # before the settings are read: the connection pool
    if args[0] in {"serve", "runserver"}:
        import django

        django.setup()
        from thuocdo.security.secret import secret_key_refusal

        refusal = secret_key_refusal()
        if refusal is not None:
            print(refusal, file=sys.stderr)
            return 2
    if args[0] == "serve":
        from thuocdo.serve import serve

        return serve(args[1:])
    execute_from_command_line(["thuocdo", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
