"""The archive plan on Spark (local[2] and a standalone master with one worker) writes the local engine's tables."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newsroundup.engines.archive import TABLES, archive
from newsroundup.engines.plan import PlanOptions

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, annotated_stories: dict[str, dict[str, Any]]) -> Path:
    """A small real-looking archive: the annotated stories, a planted copy, bad lines and a duplicate id."""
    folder = tmp_path_factory.mktemp("archive-in")
    records = []
    for story in annotated_stories.values():
        for article in story["articles"]:
            records.append({"id": article.id, "text": article.text, "outlet": article.outlet, "title": article.title,
                            "published": article.published.isoformat() if article.published else None})
    first = records[0]
    copy = {**first, "id": "planted-copy", "outlet": "Copy Daily", "text": "Updated.\n" + first["text"]}
    lines = [json.dumps(r) for r in records[: len(records) // 2]]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rest = [json.dumps(r) for r in records[len(records) // 2 :]]
    rest += ["not json", "[1, 2]", json.dumps({"id": "x", "title": "no text"}), json.dumps(copy),
             json.dumps({**first, "text": first["text"] + " A later paragraph."})]
    (folder / "b.jsonl").write_text("\n".join(rest) + "\n", encoding="utf-8")
    return folder


def tables(out: Path) -> dict[str, list[dict[str, object]]]:
    """Every table as sorted records (nulls as None), to compare engines value by value."""
    result = {}
    for name in TABLES:
        frame = pd.read_parquet(out / name)
        columns = sorted(frame.columns)
        frame = frame[columns].astype(object)
        frame = frame.where(frame.notna(), None)
        rows = [{k: (list(v) if hasattr(v, "tolist") else v) for k, v in row.items()}
                for row in frame.to_dict("records")]
        result[name] = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return result


@pytest.fixture(scope="module")
def local_tables(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, object]]]:
    out = tmp_path_factory.mktemp("archive-local")
    report = archive([inputs], out, PlanOptions(now=NOW), engine="local")
    assert report.rejected == 4 and report.copies == 1 and report.failures == 0
    return tables(out)


def test_local_engine_tables(local_tables: dict[str, list[dict[str, object]]]) -> None:
    reasons = sorted(str(r["reason"]) for r in local_tables["rejected"])
    assert any(r.startswith("duplicate id (a different text)") for r in reasons)
    assert any("not valid JSON" in r for r in reasons)
    assert local_tables["copies"] == [{"article_id": "planted-copy", "original_id": local_tables["copies"][0]
                                       ["original_id"]}]
    stories = {r["story_id"] for r in local_tables["stories"]}
    assert {r["story_id"] for r in local_tables["roundups"]} == stories
    assert len(stories) < len(local_tables["articles"])  # articles of one story are grouped together
    by_id = {r["id"]: r for r in local_tables["articles"]}
    for sentence in local_tables["sentences"]:  # every cited sentence is its span's text (or a declared rewrite)
        text = str(by_id[sentence["article_id"]]["text"])[int(sentence["start"]) : int(sentence["end"])]
        assert sentence["rewritten"] or text == sentence["text"]


def test_spark_local_mode_writes_the_same_tables(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], tmp_path: Path
) -> None:
    report = archive([inputs], tmp_path, PlanOptions(now=NOW), engine="spark", master="local[2]")
    assert report.engine == "spark"
    assert tables(tmp_path) == local_tables


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[str]:
    """A standalone Spark master and one worker (2 cores) on loopback, started as users start them."""
    import pyspark

    home = Path(pyspark.__file__).parent
    port = _free_port()
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable,
           "SPARK_WORKER_DIR": str(tmp_path / "work"), "SPARK_LOG_DIR": str(tmp_path / "logs")}
    spark_class = str(home / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    master = subprocess.Popen(
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
         "--webui-port", str(_free_port())], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen(
        [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--cores", "2", "--memory", "2g",
         "--webui-port", str(_free_port())], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the Spark master did not start within 60 s")
        yield url
    finally:
        for process in (worker, master):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_spark_standalone_master_writes_the_same_tables(
    inputs: Path, local_tables: dict[str, list[dict[str, object]]], standalone: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    out = tmp_path / "out"
    archive([inputs], out, PlanOptions(now=NOW), engine="spark", master=standalone)
    assert tables(out) == local_tables
