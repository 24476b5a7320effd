#!/usr/bin/env python3
"""Build the lecture-transcript search index for the course catalogue.

1. download transcripts (I/O bound -> thread pool, shared Session with timeouts)
2. tokenise + stem + count terms (CPU bound -> process pool)
3. write a term -> [(lecture_id, tf)] index to disk

    python transcript_index.py --course-ids 12,19,33 --out index.json
"""
import argparse
import json
import math
import re
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import requests
from nltk.stem.snowball import SnowballStemmer

API = "https://lms.internal.example/api/v2"
TIMEOUT = (3.05, 20)
WORD_RE = re.compile(r"[a-zA-Z][a-zA-Z'-]+")

session = requests.Session()
session.headers["Authorization"] = "Bearer " + open("/etc/lms/token").read().strip()


def lecture_ids(course_id: int) -> list[int]:
    r = session.get(f"{API}/courses/{course_id}/lectures", params={"fields": "id"}, timeout=TIMEOUT)
    r.raise_for_status()
    return [lec["id"] for lec in r.json()["lectures"]]


def fetch_transcript(lecture_id: int) -> tuple[int, str]:
    r = session.get(f"{API}/lectures/{lecture_id}/transcript", timeout=TIMEOUT)
    r.raise_for_status()
    return lecture_id, r.text


def term_counts(item: tuple[int, str]) -> tuple[int, dict[str, int]]:
    """CPU heavy: runs in a worker process."""
    lecture_id, text = item
    stem = SnowballStemmer("english").stem
    counts = Counter(stem(w.lower()) for w in WORD_RE.findall(text) if len(w) > 2)
    return lecture_id, dict(counts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--course-ids", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    ids = [lid for cid in args.course_ids.split(",") for lid in lecture_ids(int(cid))]
    print(f"{len(ids)} lectures")

    with ThreadPoolExecutor(max_workers=16) as io_pool:
        transcripts = list(io_pool.map(fetch_transcript, ids))

    with ProcessPoolExecutor() as cpu_pool:
        per_lecture = dict(cpu_pool.map(term_counts, transcripts, chunksize=8))

    df = Counter(term for counts in per_lecture.values() for term in counts)
    n_docs = len(per_lecture)
    index: dict[str, list] = defaultdict(list)
    for lecture_id, counts in per_lecture.items():
        total = sum(counts.values()) or 1
        for term, c in counts.items():
            idf = math.log(n_docs / df[term])
            index[term].append((lecture_id, round(c / total * idf, 5)))

    with open(args.out, "w") as fh:
        json.dump(index, fh)
    print(f"{len(index)} terms written to {args.out}")


if __name__ == "__main__":
    main()
