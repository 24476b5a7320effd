#!/usr/bin/env python3
"""Nightly similarity check for programming-course submissions.

Compares every pair of submissions for one assignment and writes a CSV of
suspicious pairs for the instructors. Run from cron on the grading box:

    python similarity_report.py --assignment 4412 --out /srv/reports/4412.csv
"""
import argparse
import csv
import difflib
import io
import itertools
import queue
import threading
import tokenize
from pathlib import Path

SUBMISSIONS_ROOT = Path("/srv/submissions")
THRESHOLD = 0.82
N_THREADS = 8  # box has 8 cores


def normalise(source: str) -> list[str]:
    """Tokenise Python source and drop names/comments so renames don't hide copying."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
            continue
        if tok.type == tokenize.NAME:
            out.append("ID")
        elif tok.type in (tokenize.NUMBER, tokenize.STRING):
            out.append("LIT")
        else:
            out.append(tok.string)
    return out


def load(assignment_id: int) -> dict[str, list[str]]:
    tokens = {}
    for path in sorted((SUBMISSIONS_ROOT / str(assignment_id)).glob("*/main.py")):
        try:
            tokens[path.parent.name] = normalise(path.read_text(encoding="utf-8"))
        except (tokenize.TokenError, SyntaxError, UnicodeDecodeError) as exc:
            print(f"skip {path}: {exc}")
    return tokens


def worker(pairs: "queue.Queue", tokens: dict, hits: list, lock: threading.Lock) -> None:
    while True:
        try:
            a, b = pairs.get_nowait()
        except queue.Empty:
            return
        ratio = difflib.SequenceMatcher(None, tokens[a], tokens[b], autojunk=False).ratio()
        if ratio >= THRESHOLD:
            with lock:
                hits.append((a, b, round(ratio, 3)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assignment", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    tokens = load(args.assignment)
    pairs: queue.Queue = queue.Queue()
    for a, b in itertools.combinations(tokens, 2):
        pairs.put((a, b))
    print(f"{len(tokens)} submissions, {pairs.qsize()} pairs")

    hits: list = []
    lock = threading.Lock()
    threads = [
        threading.Thread(target=worker, args=(pairs, tokens, hits, lock), daemon=True)
        for _ in range(N_THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    hits.sort(key=lambda h: h[2], reverse=True)
    with open(args.out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student_a", "student_b", "similarity"])
        w.writerows(hits)
    print(f"{len(hits)} suspicious pairs -> {args.out}")


if __name__ == "__main__":
    main()
