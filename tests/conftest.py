"""Shared pytest setup: each area's fixtures live in tests/fixtures_<area>.py."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

pytest_plugins = sorted(f"tests.{p.stem}" for p in Path(__file__).parent.glob("fixtures_*.py"))
