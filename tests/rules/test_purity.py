"""The rules engine is pure Python: no module of the package imports Django (DESIGN §5)."""

from __future__ import annotations

import ast
from pathlib import Path

import thuocdo.rules

PACKAGE = Path(thuocdo.rules.__file__).parent


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_package_has_modules() -> None:
    assert len(list(PACKAGE.rglob("*.py"))) >= 5


def test_no_module_imports_django() -> None:
    offenders = [
        f"{p.relative_to(PACKAGE)}: {name}"
        for p in sorted(PACKAGE.rglob("*.py"))
        for name in _imports(p)
        if name == "django" or name.startswith("django.") or name.startswith("rest_framework")
    ]
    assert offenders == []


def test_no_module_reads_the_clock() -> None:
    """Time is passed in (as_at), never read from the clock."""
    for p in sorted(PACKAGE.rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        for bad in ("date.today(", "datetime.now(", "time.time(", "utcnow("):
            assert bad not in text, f"{p.name} reads the clock: {bad}"
