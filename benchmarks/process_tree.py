"""The processes of a tree with their resident memory and CPU time, read from /proc (Linux): for benchmarks that
sample them."""

from __future__ import annotations

import os
from pathlib import Path


def tree_memory(root: int) -> list[tuple[int, str, int]]:
    """(pid, name, resident bytes) of ``root`` and of every process below it, ``root`` first, from one pass
    over /proc. A process that ends during the pass is left out; the name is the kernel's (``comm``)."""
    children: dict[int, list[int]] = {}
    found: dict[int, tuple[str, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parent = int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(parent, []).append(int(entry))
        found[int(entry)] = (fields.get("Name", "").strip(), int(fields.get("VmRSS", "0 kB").split()[0]) * 1024)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            tree.append((pid, *found[pid]))
        todo.extend(children.get(pid, []))
    return tree


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user and system) of ``root`` and of every live process below it, each with its waited-for
    children's: a worker that ended and was reaped by a live parent still counts. From one pass over /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after the name, which may hold spaces: state, ppid, ...
        children.setdefault(int(fields[1]), []).append(int(entry))
        used[int(entry)] = sum(int(x) for x in fields[11:15]) / tick  # utime, stime, cutime, cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total
