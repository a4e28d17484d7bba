"""`thuocdo rules ...`: classify a batch, list and show rule-sets."""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from .contract import classify_json
from .doc import ruleset_markdown
from .model import RulesInputError
from .ruleset import describe_ruleset, list_rulesets, load_ruleset

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in Vietnamese with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="thuocdo rules", description="Bộ máy quy tắc đánh giá, xếp loại chất lượng")
    p.add_argument("--rulesets-dir", help="thư mục chứa bộ quy tắc bổ sung của tổ chức")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("classify", help="xếp loại một lô đối tượng (JSON vào, JSON ra)")
    c.add_argument("--input", required=True, help="tệp JSON đầu vào ('-' là stdin)")
    c.add_argument("--output", help="tệp JSON kết quả (mặc định: stdout)")
    sub.add_parser("list", help="liệt kê các bộ quy tắc")
    s = sub.add_parser("show", help="hiển thị một bộ quy tắc bằng tiếng Việt")
    s.add_argument("id", help="mã bộ quy tắc, ví dụ qd-366-2025")
    s.add_argument("--markdown", action="store_true", help="in bảng quy tắc dạng Markdown")
    return p


def _print_problems(problems: list[str]) -> None:
    sys.stderr.write(f"Dữ liệu không hợp lệ ({len(problems)} lỗi):\n")
    for p in problems:
        sys.stderr.write(f"  - {p}\n")


def _classify(path: str, output: str | None, extra_dir: str | None) -> int:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        _print_problems([f"Không đọc được tệp đầu vào '{path}': {exc.strerror}"])
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _print_problems(
            [f"Tệp '{path}' không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}: {exc.msg}"]
        )
        return EXIT_BAD_INPUT
    try:
        result = classify_json(data, extra_dir=extra_dir)
    except RulesInputError as exc:
        _print_problems(exc.problems)
        return EXIT_BAD_INPUT
    out = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(out)
    else:
        sys.stdout.write(out)
    return EXIT_OK


def cli_main(argv: list[str]) -> int:
    """Run `thuocdo rules` with these arguments; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    extra = args.rulesets_dir
    try:
        if args.command == "classify":
            return _classify(args.input, args.output, extra)
        if args.command == "list":
            for info in list_rulesets(extra_dir=extra):
                origin = "có sẵn" if info.origin == "shipped" else "bổ sung"
                sys.stdout.write(f"{info.id}\t{info.title}\t({origin})\n")
            return EXIT_OK
        ruleset = load_ruleset(args.id, extra_dir=extra)
        show = ruleset_markdown if args.markdown else describe_ruleset
        sys.stdout.write(show(ruleset))
        return EXIT_OK
    except RulesInputError as exc:
        _print_problems(exc.problems)
        return EXIT_BAD_INPUT


def main() -> None:  # pragma: no cover - entry point for `python -m thuocdo.rules`
    """Entry point for `python -m thuocdo.rules`."""
    raise SystemExit(cli_main(sys.argv[1:]))
