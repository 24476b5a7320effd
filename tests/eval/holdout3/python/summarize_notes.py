#!/usr/bin/env python3
"""
Summarise a folder of markdown meeting notes into one digest.

usage: python summarize_notes.py ~/notes/2024 -o digest.md

Single-user CLI. Summaries are memoised in a local JSON file keyed by the
content hash, so re-running only sends new/changed notes to the API.
"""
import argparse
import hashlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from openai import OpenAI, OpenAIError

client = OpenAI(timeout=60.0, max_retries=3)
MODEL = "gpt-4o-mini"


def summarize(text: str) -> str:
    resp = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Summarise these meeting notes in 3-5 bullets. Keep decisions and owners."},
            {"role": "user", "content": text[:24000]},
        ],
    )
    return resp.choices[0].message.content.strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=Path("digest.md"))
    ap.add_argument("--cache", type=Path, default=Path(".summaries.json"))
    args = ap.parse_args()

    memo: dict[str, str] = json.loads(args.cache.read_text()) if args.cache.exists() else {}

    notes = sorted(args.folder.glob("*.md"))
    texts = {p: p.read_text(encoding="utf-8") for p in notes}
    digests = {p: hashlib.sha256(t.encode()).hexdigest() for p, t in texts.items()}
    todo = [p for p in notes if digests[p] not in memo]
    print(f"{len(notes)} notes, {len(todo)} need summarising", file=sys.stderr)

    # the work here is waiting on the API, so a few threads are plenty
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {p: pool.submit(summarize, texts[p]) for p in todo}
        for p, fut in futures.items():
            try:
                memo[digests[p]] = fut.result()
            except OpenAIError as exc:
                print(f"failed: {p.name}: {exc}", file=sys.stderr)

    args.cache.write_text(json.dumps(memo, indent=1))

    with args.output.open("w", encoding="utf-8") as out:
        for p in notes:
            if digests[p] in memo:
                out.write(f"## {p.stem}\n\n{memo[digests[p]]}\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
