"""kill -9 of ``newsroundup archive`` (local engine, in subprocesses) at seeded points, then the same command
again: the archive must equal one no kill touched.

A first batch is archived, then a second batch is added; kills land anywhere in the first batch's run and
anywhere in the second's, more of them late, where the tables are written beside the archive and swapped in
(``engines/previous.publish``). Every table is compared value by value (``test_archive.tables``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_archive import tables

ROOT = Path(__file__).resolve().parents[2]


def _command(batch: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "newsroundup", "archive", str(batch), "--out", str(out), "--no-enrich", "--quiet"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def _finished(command: list[str]) -> float:
    """Run ``command`` to the end; its wall time."""
    start = time.perf_counter()
    subprocess.run(command, check=True, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _killed(command: list[str], delay: float) -> bool:
    """Start ``command`` in its own process group and SIGKILL the group after ``delay`` s; False if it ended first."""
    process = subprocess.Popen(
        command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


@pytest.fixture(scope="module")
def two_batches(tmp_path_factory: pytest.TempPathFactory, annotated_stories: dict[str, dict[str, Any]]) -> list[Path]:
    """The annotated stories' dated articles in time order, as two batches (the earlier 60 %, then the rest)."""
    articles = sorted(
        (a for story in annotated_stories.values() for a in story["articles"] if a.published),
        key=lambda a: (a.published, a.id),
    )
    folder = tmp_path_factory.mktemp("kill-batches")
    cut = len(articles) * 6 // 10
    paths = [folder / "day1.jsonl", folder / "day2.jsonl"]
    for path, part in zip(paths, (articles[:cut], articles[cut:]), strict=True):
        path.write_text("".join(
            json.dumps({"id": a.id, "text": a.text, "outlet": a.outlet, "title": a.title,
                        "published": a.published.isoformat()}) + "\n"
            for a in part
        ), encoding="utf-8")
    return paths


def test_batches_killed_at_random_points_then_run_again_equal_an_unkilled_archive(
    two_batches: list[Path], tmp_path: Path
) -> None:
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    seconds = [_finished(_command(batch, clean)) for batch in two_batches]
    expected = tables(clean)
    rng = random.Random(27)
    kills = 0
    for batch, took in zip(two_batches, seconds, strict=True):
        # one kill early in the run, two in its last quarter (tables written and swapped in); the first lands
        # even when the machine runs faster than while ``took`` was timed (a busy neighbour gone)
        first = rng.uniform(max(0.3, 0.2 * took), 0.6 * took)
        for delay in (first, rng.uniform(0.75 * took, took), rng.uniform(0.75 * took, took)):
            kills += _killed(_command(batch, killed), delay)
        _finished(_command(batch, killed))
    assert kills >= 2  # at least each batch's first start was killed (a later start may end first)
    assert tables(killed) == expected
    assert sorted(p.name for p in killed.iterdir()) == sorted(p.name for p in clean.iterdir())  # nothing left over

    # The comparison can fail: a story table with one row fewer is seen.
    import pyarrow.parquet as pq

    table = killed / "stories"
    fewer = pq.read_table(table).slice(1)
    for part in [table] if table.is_file() else list(table.iterdir()):
        part.unlink()
    pq.write_table(fewer, table if not table.exists() else table / "part-0.parquet")
    assert tables(killed) != expected
