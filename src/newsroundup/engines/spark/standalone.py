"""A standalone Spark master and its workers on loopback, started as users start them, and their executors.

For the tests and benchmarks that submit the archive job to a real cluster rather than ``local[N]``: the
master and each worker are ``spark-class org.apache.spark.deploy.master.Master`` / ``...worker.Worker``
processes of the installed pyspark; a worker launches each application's executor as its own JVM
(``CoarseGrainedExecutorBackend``), a child process of the worker, and launches a new one when an executor
dies. ``executor_pids`` finds those JVMs, ``kill_executor`` ends one with SIGKILL (a crashed machine, as far
as the job can tell), ``wait_for_running_tasks`` waits until a job of this process's Spark session has
tasks running, and ``run_killing_executors`` runs a job while killing its executor twice. Linux only
(``/proc``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from newsroundup.errors import NewsroundupError

T = TypeVar("T")
EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend"


@dataclass(frozen=True)
class Cluster:
    """A running standalone master (``url``), its workers' process ids and folders (a worker keeps one ``app-*``
    folder per application it ran an executor of)."""

    url: str
    worker_pids: tuple[int, ...]
    worker_folders: tuple[Path, ...]


def free_port() -> int:
    """A TCP port on loopback nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def standalone(
    work: Path, cores: int = 2, memory: str = "2g", start_seconds: float = 60, workers: int = 1
) -> Iterator[Cluster]:
    """A master and ``workers`` workers (each ``cores`` and ``memory``) on 127.0.0.1, stopped on exit; logs and
    the workers' folders under ``work``."""
    import pyspark

    home = Path(pyspark.__file__).parent
    port = free_port()
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable,
           "SPARK_LOG_DIR": str(work / "logs")}
    spark_class = str(home / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    work.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    try:
        with (work / "master.log").open("ab") as log:
            master = subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                 "--webui-port", str(free_port())], env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(master)
        suffixes = ["" if n == 0 else f"-{n + 1}" for n in range(workers)]  # the first worker's names as before
        folders = tuple(work / f"work{suffix}" for suffix in suffixes)
        for suffix, folder in zip(suffixes, folders, strict=True):
            with (work / f"worker{suffix}.log").open("ab") as log:
                started.append(subprocess.Popen(
                    [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--cores", str(cores), "--memory",
                     memory, "--work-dir", str(folder), "--webui-port", str(free_port())],
                    env=env, stdout=log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or master.poll() is not None:
                    raise NewsroundupError(f"the Spark master did not start within {start_seconds:g} s "
                                           f"(see {work / 'master.log'})") from None
                time.sleep(0.5)
        yield Cluster(url, tuple(process.pid for process in started[1:]), folders)
    finally:
        for process in reversed(started):  # spark-class execs java: these are the JVMs themselves
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def executor_pids(cluster: Cluster) -> list[int]:
    """The executor JVMs the workers run now (one per application and worker)."""
    return sorted(pid for worker in cluster.worker_pids for pid in _children(worker) if EXECUTOR_CLASS in _cmdline(pid))


def python_workers(pid: int) -> list[int]:
    """The Python processes an executor started (pyspark's daemon and the workers it forked)."""
    daemons = [child for child in _children(pid) if "pyspark" in _cmdline(child)]
    return daemons + [worker for daemon in daemons for worker in _children(daemon)]


def wait_for_running_tasks(timeout: float, poll: float = 0.05) -> list[int]:
    """Wait until this process's Spark session has a stage with running tasks; its stage ids."""
    from pyspark import SparkContext

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        context = SparkContext._active_spark_context
        if context is not None:
            try:
                tracker = context.statusTracker()
                running = [stage for stage in tracker.getActiveStageIds()
                           if (info := tracker.getStageInfo(stage)) is not None and info.numActiveTasks > 0]
            except Exception:  # the session is starting or stopping
                running = []
            if running:
                return running
        time.sleep(poll)
    raise NewsroundupError(f"no Spark tasks ran within {timeout:g} s")


def kill_executor(cluster: Cluster, timeout: float = 60) -> int:
    """SIGKILL the worker's executor JVM (waiting up to ``timeout`` s for one to run); its process id."""
    deadline = time.monotonic() + timeout
    while not (pids := executor_pids(cluster)):
        if time.monotonic() > deadline:
            raise NewsroundupError(f"no executor ran on the worker within {timeout:g} s")
        time.sleep(0.05)
    os.kill(pids[0], signal.SIGKILL)
    return pids[0]


@dataclass(frozen=True)
class Kill:
    """One executor JVM killed: its process id, the seconds into the job, and the job's stage then."""

    pid: int
    seconds: float
    when: str


def run_killing_executors(
    cluster: Cluster, job: Callable[[Callable[[str], None]], T], later: str = "prepared", timeout: float = 600,
) -> tuple[T, list[Kill]]:
    """Run ``job(notify)`` (a Spark job on ``cluster``, in a thread) and SIGKILL its executor twice.

    First once Python tasks run on the executor (the first stage); then, after the job said a line
    starting with ``later`` (the archive job: "prepared ...", its cached frames live on the executor),
    the executor the worker launched in its place, once tasks run again. Returns the job's result and
    the kills; the job's own exception is raised again.
    """
    said = threading.Event()
    result: dict[str, Any] = {}

    def notify(line: str) -> None:
        if line.startswith(later):
            said.set()

    def target() -> None:
        try:
            result["value"] = job(notify)
        except BaseException as exc:  # raised again in the caller's thread
            result["error"] = exc

    start = time.monotonic()
    thread = threading.Thread(target=target, daemon=True, name="spark-job")
    thread.start()
    kills: list[Kill] = []
    deadline = start + timeout
    while thread.is_alive() and not any(python_workers(pid) for pid in executor_pids(cluster)):
        if time.monotonic() > deadline:
            raise NewsroundupError(f"no Python task ran on the executor within {timeout:g} s")
        time.sleep(0.05)
    if thread.is_alive():
        wait_for_running_tasks(timeout)
        kills.append(Kill(kill_executor(cluster), round(time.monotonic() - start, 2), "first Python stage"))
    while thread.is_alive() and not said.wait(0.2):
        pass
    if thread.is_alive():
        wait_for_running_tasks(timeout)
        kills.append(Kill(kill_executor(cluster, timeout), round(time.monotonic() - start, 2), f"after {later!r}"))
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():  # cancel it, so its session stops and no later job runs in it
        from pyspark import SparkContext

        context = SparkContext._active_spark_context
        if context is not None:
            context.cancelAllJobs()
        thread.join(60)
        raise NewsroundupError(f"the Spark job did not finish within {timeout:g} s")
    if "error" in result:
        raise result["error"]
    return result["value"], kills
