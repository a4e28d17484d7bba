"""The leader's page and the person's month under the production server, many clients at once.

Builds the demo city (`thuocdo demo --people N --if-empty`, default 3.000 as `make run` builds
it) in the PostgreSQL database of DATABASE_URL, or reuses the demo already there, starts
`thuocdo serve` on 127.0.0.1 (a free port, loopback only) with its production settings
(gunicorn, gthread workers, WhiteNoise, psycopg's pool capped at workers × threads), logs
`lanhdao` and `canhan` in with real POSTs to /dang-nhap/, then drives N client threads (default
100), each on its own keep-alive connection, half on «Đơn vị của tôi» as `lanhdao`, half on
«Tháng của tôi» as `canhan`, for a bounded time (default 20 s). It prints the requests per
second, the latencies (p50, p95, p99), the errors, the most PostgreSQL connections to the
database seen during the run (pg_stat_activity, polled from a connection of its own) against
the configured pool (workers × threads), and the CPU each request cost the server (gunicorn's
processes), PostgreSQL (the pool's backends) and the load generator, from /proc: on a machine
shared with other work, requests per second depend on what is left; CPU per request does not.
The server is stopped at the end, whatever happens.
Issue 15's goal: ≥ 300 requests/s with 0 errors at 100 clients.

    DATABASE_URL=postgres://.../thuocdo_load .venv/bin/python bench/load.py \
        [--people N] [--clients 100] [--seconds 20] [--workers W] [--threads T]

The server's workers and threads default to THUOCDO_WEB_WORKERS / THUOCDO_WEB_THREADS (else
2 × 4); keep workers × threads small: the PostgreSQL server's connections are shared.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ThuocDo@2026"  # noqa: S105 - the README's demo password (thuocdo/demo/registry)
PAGES = [("lanhdao", "/don-vi-cua-toi/"), ("canhan", "/thang-cua-toi/")]
HOST = "127.0.0.1"
# The bench's own connections (the poller, the CPU readings) are left out of its counts.
BENCH = "bench/load.py"


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def cli(*args: str, env: dict[str, str]) -> None:
    """Run `thuocdo <args>` to completion, failing loudly."""
    command = [sys.executable, "-m", "thuocdo.cli", *args]
    subprocess.run(command, env=env, check=True, cwd=ROOT)  # noqa: S603 - our own CLI


def wait_until_up(port: int, server: subprocess.Popen[bytes], limit: float = 60) -> None:
    """Wait for the server to answer on its port (or to die)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start (code {server.returncode})")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/dang-nhap/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer within a minute")


def cookies_of(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    """Keep the cookies a response sets."""
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(port: int, username: str) -> str:
    """Log in through the login form (CSRF token and all); the Cookie header of the session."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    jar: dict[str, str] = {}
    conn.request("GET", "/dang-nhap/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies_of(response, jar)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    body = urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": PASSWORD}
    )
    conn.request(
        "POST",
        "/dang-nhap/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
            "Referer": f"http://{HOST}:{port}/dang-nhap/",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies_of(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"login of {username} refused (HTTP {response.status})")
    return cookie_header(jar)


@dataclass
class Tally:
    """What the client threads measured (each appends under the lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def client(port: int, path: str, cookie: str, until: float, tally: Tally) -> None:
    """One user's browser: requests the page again and again on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    mine: list[float] = []
    while time.monotonic() < until:
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.error(type(error).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        elapsed = time.perf_counter() - t0
        if response.status != 200 or len(body) < 1000:
            tally.error(f"HTTP {response.status}")
        else:
            mine.append(elapsed)
    conn.close()
    with tally.lock:
        tally.latencies.extend(mine)
        tally.per_page.setdefault(path, []).extend(mine)


def poll_connections(url: str, stop: threading.Event, peak: list[int]) -> None:
    """The most connections to the database, other than the bench's own, every 20 ms."""
    with psycopg.connect(url, autocommit=True, application_name=BENCH) as conn:
        while not stop.is_set():
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name <> %s",
                (BENCH,),
            ).fetchone()
            peak[0] = max(peak[0], int(row[0]) if row else 0)
            stop.wait(0.02)


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and all its descendants (Linux's /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def backends_cpu(url: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to the database (the
    pool's connections), read from /proc on this machine."""
    with psycopg.connect(url, autocommit=True, application_name=BENCH) as conn:
        pids = [
            int(row[0])
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name <> %s",
                (BENCH,),
            ).fetchall()
        ]
    return sum(tree_cpu(pid) for pid in pids)


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run(args: argparse.Namespace, url: str, env: dict[str, str]) -> None:
    """Start the server, log in, load it, print the figures, stop it."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "thuocdo.cli", "serve", f"{HOST}:{port}"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL if not args.verbose else None,
    )
    try:
        wait_until_up(port, server)
        cookies = {username: login(port, username) for username, _ in PAGES}
        for username, path in PAGES:  # warm every worker's templates and rule-sets
            warm = Tally()
            for _ in range(args.workers * 2):
                client(port, path, cookies[username], time.monotonic() + 0.01, warm)
            if warm.errors:
                raise SystemExit(f"{path} as {username} failed while warming: {warm.errors}")
        tally, stop, peak = Tally(), threading.Event(), [0]
        poller = threading.Thread(target=poll_connections, args=(url, stop, peak))
        poller.start()
        until = time.monotonic() + args.seconds
        threads = []
        for i in range(args.clients):
            username, path = PAGES[i % len(PAGES)]
            thread = threading.Thread(
                target=client, args=(port, path, cookies[username], until, tally), daemon=True
            )
            threads.append(thread)
        server0, pg0 = tree_cpu(server.pid), backends_cpu(url)
        cpu0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu, pg_cpu = tree_cpu(server.pid) - server0, backends_cpu(url) - pg0
        stop.set()
        poller.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
    ordered = sorted(tally.latencies)
    errors = sum(tally.errors.values())
    pool = args.workers * args.threads
    client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    print(
        f"{args.clients} clients for {wall:.1f} s against gunicorn {args.workers} workers × "
        f"{args.threads} threads, {os.cpu_count()} cores"
    )
    print(
        f"  {len(ordered) / wall:7.1f} requests/s ({len(ordered):,} answered 200), "
        f"errors {errors} {tally.errors or ''}"
    )
    if ordered:
        print(
            f"  latency p50 {percentile(ordered, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(ordered, 0.95) * 1000:.0f} ms, "
            f"p99 {percentile(ordered, 0.99) * 1000:.0f} ms, "
            f"mean {statistics.fmean(ordered) * 1000:.0f} ms"
        )
    for path, times in sorted(tally.per_page.items()):
        times.sort()
        print(
            f"  {path:18s} {len(times) / wall:6.1f} requests/s, "
            f"p50 {percentile(times, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms"
        )
    print(f"  PostgreSQL connections to the database, peak {peak[0]} (configured pool {pool})")
    print(f"  the load generator's own CPU: {client_cpu:.1f} s over {wall:.1f} s")
    if ordered:
        per = 1000 / len(ordered)
        print(
            f"  CPU per request: the server {server_cpu * per:.1f} ms, PostgreSQL "
            f"{pg_cpu * per:.1f} ms, the load generator {client_cpu * per:.1f} ms "
            f"(server {server_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s over {wall:.1f} s)"
        )
    try:
        load = os.getloadavg()
        print(f"  load average after the run {load[0]:.1f}")
    except OSError:
        pass


def main() -> None:
    """Build (or reuse) the demo, then load the two pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("THUOCDO_WEB_WORKERS") or 2)
    )
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("THUOCDO_WEB_THREADS") or 4)
    )
    parser.add_argument("--verbose", action="store_true", help="show the server's log")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 120:
        raise SystemExit("at most 500 clients and 120 seconds")
    if args.workers * args.threads > 24:
        raise SystemExit("workers × threads over 24: the PostgreSQL server is shared")
    env = {
        **os.environ,
        "THUOCDO_DEMO": "true",
        "THUOCDO_WEB_WORKERS": str(args.workers),
        "THUOCDO_WEB_THREADS": str(args.threads),
        "THUOCDO_DB_MAX_CONNECTIONS": str(args.workers * args.threads),
        "THUOCDO_ALLOWED_HOSTS": HOST,
    }
    env.pop("THUOCDO_DEBUG", None)
    cli("migrate", "-v0", env=env)
    cli("demo", "--people", str(args.people), "--if-empty", env=env)
    run(args, url, env)


if __name__ == "__main__":
    main()
