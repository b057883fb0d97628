"""Load on loopback: ``newsroundup serve`` under 100 concurrent clients on a story page and ``/api/v1/stories``.

The store is the bundled examples plus the browser tests' hostile article (built with the real
pipeline into a temporary folder), or ``--db``. The server runs as a subprocess; each URL gets its
own phase of ``--connections`` closed-loop clients for ``--duration`` seconds, and the phases run
``--repeat`` times (other jobs share the machine: one run's tail says as much about them as about
the server), with the median and worst p99 per URL in the summary. The generator is
``wrk`` (Debian package; a Lua script collects percentiles and non-2xx answers) when installed, else a
bare asyncio HTTP/1.1 client in a separate process — which costs far more CPU, and the generator
shares the machine's cores with the server, so the result says which one ran. Target: p99 < 100 ms
and no errors.

    .venv/bin/python benchmarks/bench_web.py                      # 100 clients, 30 s per URL, 3 runs, wrk
    .venv/bin/python benchmarks/bench_web.py --duration 5 --repeat 1 --generator python --out /tmp/web.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))

from livesite import LiveServer, build_web_store, start_server, stop_server  # noqa: E402

from newsroundup.store import Store  # noqa: E402

TARGET_P99_MS = 100.0

# wrk runs one Lua state per thread: each counts its non-2xx answers, ``done`` adds them up and prints
# one JSON line with the latency percentiles (wrk measures in microseconds).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body) if status < 200 or status > 299 then non2xx = non2xx + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
    .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\\n',
    summary.requests, summary.duration, summary.bytes, bad,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process ``pid`` and its reaped children have used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _server_cpu(pid: int) -> float:
    """CPU seconds used by the server and its worker processes (uvicorn may fork workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(c) for c in children.read_text().split())] if children.exists() else [pid]
    return sum(_cpu_seconds(p) for p in pids if Path(f"/proc/{p}/stat").exists())


def wrk_phase(
    url: str, connections: int, duration: int, threads: int, folder: Path, gzip: bool = False
) -> dict[str, Any]:
    """One wrk run against ``url``; its counts and latency percentiles in milliseconds.

    ``gzip``: the clients say ``Accept-Encoding: gzip``, as browsers do (wrk alone does not).
    """
    script = folder / "report.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    accept = ["-H", "Accept-Encoding: gzip"] if gzip else []
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", *accept,
               "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "seconds": round(seconds, 2),
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
        "errors": sum(v for k, v in raw["errors"].items() if k != "status"),
        "error_kinds": raw["errors"],
        "non_2xx": raw["non_2xx"],
        "bytes_per_response": round(raw["bytes"] / max(raw["requests"], 1)),
    }


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one keep-alive GET and read its whole answer (Content-Length framed); return the status."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    if "content-length" not in headers:
        raise ValueError(f"answer without Content-Length: {lines[0]}")
    await reader.readexactly(int(headers["content-length"]))
    return int(lines[0].split()[1])


async def _python_clients(url: str, connections: int, duration: float) -> dict[str, Any]:
    """``connections`` clients on a connection each, each asking again as soon as it has its answer.

    A bare HTTP/1.1 client over asyncio streams: httpx spends several milliseconds of CPU per request,
    which on a shared 2-core machine would measure the generator, not the server.
    """
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    latencies: list[float] = []
    non_2xx = errors = 0
    start = time.perf_counter()
    stop = start + duration

    async def one_client() -> None:
        nonlocal non_2xx, errors
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < stop:
            sent = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection(parts.hostname, parts.port)
                status = await asyncio.wait_for(_exchange(*connection, request), 5.0)
            except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError):
                errors += 1
                if connection is not None:
                    connection[1].close()
                connection = None
                continue
            latencies.append(time.perf_counter() - sent)
            non_2xx += not 200 <= status < 300
        if connection is not None:
            connection[1].close()

    await asyncio.gather(*(one_client() for _ in range(connections)))
    seconds = time.perf_counter() - start
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "seconds": round(seconds, 2),
        "latency_ms": {
            "p50": round(_percentile(ordered, 50) * 1000, 2),
            "p90": round(_percentile(ordered, 90) * 1000, 2),
            "p99": round(_percentile(ordered, 99) * 1000, 2),
            "max": round(ordered[-1] * 1000, 2),
            "mean": round(sum(ordered) / len(ordered) * 1000, 2),
        },
        "errors": errors,
        "non_2xx": non_2xx,
    }


def python_phase(url: str, connections: int, duration: int) -> dict[str, Any]:
    """The Python generator, run in its own process so that it does not share the GIL with this one."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(_run_python_clients, url, connections, duration).result()


def _run_python_clients(url: str, connections: int, duration: int) -> dict[str, Any]:
    try:  # uvloop (installed with uvicorn[standard]) halves the generator's CPU
        import uvloop

        factory = uvloop.new_event_loop
    except ImportError:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(_python_clients(url, connections, float(duration)))


def measure(server: LiveServer, path: str, generator: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """One phase against ``path``: the generator's counts and percentiles, server CPU and machine load."""
    url = server.url + path
    warm = httpx.get(url, timeout=10)  # also fills any cache before the clock starts
    if warm.status_code != 200:
        raise SystemExit(f"bench_web: {url} answered {warm.status_code}")
    before, cpu_before = _load(), _server_cpu(server.process.pid)
    if generator == "wrk":
        result = wrk_phase(url, args.connections, args.duration, args.threads, folder, args.gzip)
    else:
        result = python_phase(url, args.connections, args.duration)
    return {
        **result,
        "server_cpu_s": round(_server_cpu(server.process.pid) - cpu_before, 2),
        "load_before": before,
        "load_after": _load(),
        "meets_target": result["latency_ms"]["p99"] < TARGET_P99_MS and not result["errors"] and not result["non_2xx"],
    }


def summary(phases: list[dict[str, Any]]) -> dict[str, Any]:
    """Per URL over the runs: median and worst p99, total errors and non-2xx answers, runs meeting the target."""
    out: dict[str, Any] = {}
    for name in dict.fromkeys(p["name"] for p in phases):
        runs = [p for p in phases if p["name"] == name]
        p99 = [p["latency_ms"]["p99"] for p in runs]
        out[name] = {
            "runs": len(runs),
            "p99_ms_median": statistics.median(p99),
            "p99_ms_worst": max(p99),
            "requests_per_s_median": round(statistics.median(p["requests_per_s"] for p in runs), 1),
            "errors": sum(p["errors"] for p in runs),
            "non_2xx": sum(p["non_2xx"] for p in runs),
            "runs_meeting_target": sum(p["meets_target"] for p in runs),
        }
    return out


def _story_page(db: Path, story: str | None) -> str:
    """The story to load: ``story``, else the one with the most articles."""
    if story:
        return story
    with Store(db) as store:
        return max(store.story_rows(), key=lambda r: r.articles).id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="serve this store (default: build one from the examples)")
    parser.add_argument("--story", help="story id for the story page (default: the story with most articles)")
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--duration", type=int, default=30, help="seconds per URL")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (each one runs on a core)")
    parser.add_argument("--repeat", type=int, default=3, help="runs over the URLs (the machine is shared)")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--gzip", action="store_true", help="wrk clients accept gzip, as browsers do")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "web.json")
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    if generator == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (scripts/setup.sh installs it)")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or build_web_store(folder).db
        story = _story_page(db, args.story)
        server = start_server(db)
        try:
            paths = {"story page": f"/stories/{story}", "api stories": "/api/v1/stories"}
            phases = []
            for run in range(1, args.repeat + 1):
                for name, path in paths.items():
                    phase = {"run": run, "name": name, "path": path, **measure(server, path, generator, args, folder)}
                    phases.append(phase)
                    latency = phase["latency_ms"]
                    print(
                        f"run {run} {name:12} {phase['requests_per_s']:>8} req/s  p50 {latency['p50']} ms  "
                        f"p90 {latency['p90']} ms  p99 {latency['p99']} ms  max {latency['max']} ms  "
                        f"errors {phase['errors']}  non-2xx {phase['non_2xx']}  load {phase['load_before'][0]}",
                        file=sys.stderr,
                    )
        finally:
            stop_server(server.process)

    version = ""
    if generator == "wrk":
        probe = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        version = (probe.stdout + probe.stderr).split("[")[0].strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    results = {
        "generator": version or "python asyncio (bare HTTP/1.1 client, separate process)",
        "connections": args.connections,
        "duration_s_per_url": args.duration,
        "wrk_threads": args.threads if generator == "wrk" else None,
        "accept_gzip": args.gzip and generator == "wrk",
        "story": story,
        "target": {"p99_ms_below": TARGET_P99_MS, "errors": 0},
        "summary": summary(phases),
        "phases": phases,
        "cpus": os.cpu_count(),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit.stdout.strip(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
