"""The `thuocdo` console script: it dispatches to the rules engine and to Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.rules.test_cli import EXAMPLE_IN


def _thuocdo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("thuocdo")
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=120
    )


def test_the_console_script_round_trips_the_rules_example(tmp_path):
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps(EXAMPLE_IN), encoding="utf-8")
    out = tmp_path / "decisions.json"
    result = _thuocdo(
        "rules", "classify", "--input", str(batch), "--output", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    levels = {d["id"]: d["level"] for d in json.loads(out.read_text())["decisions"]}
    assert levels == {"DV-01": "HTXS", "CB-001": "KHT"}


def test_the_console_script_exits_2_on_a_bad_batch(tmp_path):
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"ruleset": "khong-co", "subjects": []}), encoding="utf-8")
    result = _thuocdo("rules", "classify", "--input", str(batch), cwd=tmp_path)
    assert result.returncode == 2
    assert "khong-co" in result.stderr


def test_the_console_script_writes_an_import_template(tmp_path):
    result = _thuocdo("template", "people", "--output", str(tmp_path / "t.xlsx"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.xlsx").stat().st_size > 0
