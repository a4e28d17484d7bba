"""`python -m thuocdo.rules` runs the rules CLI."""

from __future__ import annotations

from .cli import main

main()
