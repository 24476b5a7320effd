"""Summarise a day of access logs (called by the /admin/log-stats endpoint)."""
import re
import threading
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

LINE = re.compile(r'^(\S+) \S+ \S+ \[[^\]]+\] "(\S+) (\S+)[^"]*" (\d{3}) (\d+|-)')


def count_lines(lines, totals, lock):
    local = Counter()
    for line in lines:
        m = LINE.match(line)
        if m:
            local[(m.group(2), m.group(4))] += 1
    with lock:
        totals.update(local)


def summarise(path: Path, workers: int = 8) -> Counter:
    lines = path.read_text().splitlines()
    chunk = len(lines) // workers + 1
    totals: Counter = Counter()
    lock = threading.Lock()
    threads = [
        threading.Thread(target=count_lines, args=(lines[i : i + chunk], totals, lock))
        for i in range(0, len(lines), chunk)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return totals


def _count_file(path: str) -> Counter:
    c = Counter()
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if m:
                c[m.group(4)] += 1
    return c


def summarise_many(paths: list[str]) -> Counter:
    with Pool() as pool:
        return sum(pool.map(_count_file, paths), Counter())
