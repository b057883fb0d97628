"""The processes of a tree with their resident memory, read from /proc (Linux): for benchmarks that sample it."""

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
