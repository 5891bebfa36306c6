#!/usr/bin/env python3
"""Run a command and report its wall time and the peak memory of its whole process tree.

    python scripts/peak_memory.py -- .venv-spark/bin/dbt run --target spark ...

`/usr/bin/time -v` reports the largest resident set of one process (the ones it reaped): for dbt
on Spark that is dbt's Python process, not the Spark JVM that pyspark starts beside it (the
JVM's usage is never added to dbt's). This samples /proc every 0.2 s instead: every descendant of
the command, its peak resident set (VmHWM) and the tree's resident sum at each sample. Prints one
line: wall seconds, the largest sum of the tree (the machine's view) and the largest single
process with its name. Linux only; prints, asserts nothing.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        if current in pids:
            continue
        pids.append(current)
        todo += children(current)
    return pids


def status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def kib(value: str | None) -> int:
    return int(value.split()[0]) if value else 0


def main() -> int:
    command = sys.argv[1:]
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        print(__doc__)
        return 2
    start = time.monotonic()
    process = subprocess.Popen(command)
    peak_sum = 0
    peaks: dict[int, tuple[int, str]] = {}
    while process.poll() is None:
        total = 0
        for pid in tree(process.pid):
            info = status(pid)
            total += kib(info.get("VmRSS"))
            peaks[pid] = (max(peaks.get(pid, (0, ""))[0], kib(info.get("VmHWM"))), info.get("Name", "?"))
        peak_sum = max(peak_sum, total)
        time.sleep(0.2)
    wall = time.monotonic() - start
    largest_pid, (largest, name) = max(peaks.items(), key=lambda item: item[1][0], default=(0, (0, "-")))
    print(
        f"peak_memory: exit {process.returncode}, wall {wall:.1f} s, "
        f"peak tree RSS {peak_sum / 1024 / 1024:.2f} GiB, largest process {name} (pid {largest_pid}) "
        f"{largest / 1024 / 1024:.2f} GiB",
        file=sys.stderr,
    )
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
