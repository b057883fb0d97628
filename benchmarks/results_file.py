"""Writing a benchmark's results: the numbers with the machine, its load, the time and the commit they came from."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def write_results(results: dict[str, Any], out: Path) -> None:
    """Add cpus, uptime (load averages), time and commit to ``results``, write them to ``out`` and print them."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results.update(
        cpus=os.cpu_count(),
        uptime=subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        when=datetime.now(UTC).isoformat(timespec="seconds"),
        commit=commit.stdout.strip(),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
