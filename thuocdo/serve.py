"""`thuocdo serve`: the production server, gunicorn (threaded workers) with WhiteNoise for the
static files and a connection pool sized so the web can never hold more PostgreSQL
connections than THUOCDO_DB_MAX_CONNECTIONS (docs/operations.md)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


def envint(name: str, default: int) -> int:
    """Read a whole number from the environment (not through thuocdo.settings, which must be
    first imported in the gunicorn workers, after THUOCDO_DB_POOL is set)."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class _Server(BaseApplication):  # type: ignore[misc]
    """Gunicorn, configured here rather than from a file, serving thuocdo.wsgi."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from thuocdo.wsgi import application

        return application


def budget(workers: int, threads: int, cap: int) -> str | None:
    """The refusal when workers × threads connections would exceed the cap, else None."""
    if workers < 1 or threads < 1:
        return "Số tiến trình (THUOCDO_WEB_WORKERS) và số luồng (THUOCDO_WEB_THREADS) phải ≥ 1."
    if workers * threads > cap:
        return (
            f"{workers} tiến trình × {threads} luồng = {workers * threads} kết nối cơ sở dữ liệu, "
            f"vượt giới hạn THUOCDO_DB_MAX_CONNECTIONS = {cap}. Hãy giảm số tiến trình hoặc số "
            "luồng, hoặc nâng giới hạn (và max_connections của PostgreSQL)."
        )
    return None


def serve_environ() -> None:
    """Turn on the connection pool, one per gunicorn process with one connection per thread
    at most; must run before thuocdo.settings is first imported."""
    os.environ["THUOCDO_DB_POOL"] = "1"
    os.environ.setdefault("THUOCDO_DB_POOL_SIZE", str(envint("THUOCDO_WEB_THREADS", 4)))


def serve(argv: list[str]) -> int:
    """Run gunicorn on ADDR:PORT (default 127.0.0.1:8000), optionally with a job worker."""
    parser = argparse.ArgumentParser(prog="thuocdo serve", description=__doc__)
    parser.add_argument("address", nargs="?", default="127.0.0.1:8000", help="ĐỊA_CHỈ:CỔNG")
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="chạy kèm một worker công việc nền (như `make run`)",
    )
    args = parser.parse_args(argv)
    workers = envint("THUOCDO_WEB_WORKERS", 2)
    threads = envint("THUOCDO_WEB_THREADS", 4)
    refusal = budget(workers, threads, envint("THUOCDO_DB_MAX_CONNECTIONS", 20))
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    serve_environ()
    options = {
        "bind": args.address,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": envint("THUOCDO_WEB_TIMEOUT", 120),
        "graceful_timeout": 30,
        "max_requests": envint("THUOCDO_WEB_MAX_REQUESTS", 0),
        "max_requests_jitter": 100,
        "forwarded_allow_ips": os.environ.get("THUOCDO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        # No access log by default: it would record who posted to the ballot box when
        # (docs/ballots.md); set THUOCDO_ACCESS_LOG=- (or a file) to have one.
        "accesslog": os.environ.get("THUOCDO_ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": os.environ.get("THUOCDO_LOG_LEVEL", "info").lower(),
        "proc_name": "thuocdo",
    }
    worker = None
    if args.with_worker:
        worker = subprocess.Popen([sys.executable, "-m", "thuocdo.cli", "worker"])
    try:
        _Server(options).run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0
