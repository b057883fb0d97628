"""The processes of a tree with their resident memory and CPU time, read from /proc (Linux): for benchmarks that
sample them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def tree_memory(root: int) -> list[tuple[int, str, int]]:
    """(pid, name, resident bytes) of ``root`` and of every process below it, ``root`` first, from one pass
    over /proc. A process that ends during the pass is left out; the name is the kernel's (``comm``)."""

    def read(pid: str) -> tuple[int, tuple[str, int]]:
        status = Path(f"/proc/{pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parent = int(fields.get("PPid", "0").strip() or 0)
        return parent, (fields.get("Name", "").strip(), int(fields.get("VmRSS", "0 kB").split()[0]) * 1024)

    return [(pid, name, rss) for pid, (name, rss) in _tree(root, read)]


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user and system) of ``root`` and of every live process below it, each with its waited-for
    children's: a worker that ended and was reaped by a live parent still counts. From one pass over /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def read(pid: str) -> tuple[int, float]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # after the name: state, ppid, ...
        return int(fields[1]), sum(int(x) for x in fields[11:15]) / tick  # utime, stime, cutime, cstime

    return sum(used for _, used in _tree(root, read))


def machine_cpu_seconds() -> float:
    """CPU seconds every process of the machine has used since boot, from /proc/stat (user, nice, system, irq,
    softirq, steal): the tree's count checked against it (it also holds other jobs', so it is an upper bound)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _tree(root: int, read: Callable[[str], tuple[int, T]]) -> list[tuple[int, T]]:
    """(pid, what ``read`` gives) of ``root`` and of every process below it, ``root`` first; ``read`` returns a
    process's parent and its reading. A process that ends during the pass over /proc is left out."""
    children: dict[int, list[int]] = {}
    found: dict[int, T] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent, value = read(entry)
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
        found[int(entry)] = value
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            tree.append((pid, found[pid]))
        todo.extend(children.get(pid, []))
    return tree
