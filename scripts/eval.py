#!/usr/bin/env python3
"""Scores the analyzer against the labelled evaluation set in tests/eval/.

    python3 scripts/eval.py                      # run target/debug/hazard-lab, print the report
    python3 scripts/eval.py --binary PATH        # another build of the CLI
    python3 scripts/eval.py --min-precision 0.9 --min-recall 0.85   # exit 1 below either
    python3 scripts/eval.py build-labels         # labels_spec.txt -> labels.json
    python3 scripts/eval.py --only holdout/      # only the files written after the rules were tuned

A finding counts as a true positive when a label has the same file and hazard and a line at
most 3 away (each label matches at most one finding, closest pairs first). Precision is over
every finding the CLI prints for the set, recall over every label. labels.json holds
{file, hazard, line, code} where `code` is the labelled line's text, checked on every run so
an edited eval file cannot silently shift its labels.
"""
import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval"
TOLERANCE = 3


def build_labels(spec: Path, out: Path) -> int:
    """Resolves `file | hazard | substring [| n]` lines to line numbers (n-th match, 1-based)."""
    labels, problems = [], []
    for raw in spec.read_text().splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in raw.split(" | ")]
        if len(parts) not in (3, 4):
            problems.append(f"bad spec line: {raw}")
            continue
        file, hazard, needle = parts[:3]
        nth = int(parts[3]) if len(parts) == 4 else 1
        path = EVAL_DIR / file
        if not path.is_file():
            problems.append(f"no such file: {file}")
            continue
        hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
        if len(hits) < nth:
            problems.append(f"{file}: {needle!r} found {len(hits)} time(s), need #{nth}")
            continue
        line = hits[nth - 1]
        code = path.read_text().splitlines()[line - 1].strip()
        labels.append({"file": file, "hazard": hazard, "line": line, "code": code})
    for p in problems:
        print(p, file=sys.stderr)
    labels.sort(key=lambda l: (l["file"], l["line"], l["hazard"]))
    out.write_text(json.dumps(labels, indent=2) + "\n")
    print(f"wrote {len(labels)} labels to {out.relative_to(ROOT)}")
    return 1 if problems else 0


def run_cli(binary: str) -> list[dict]:
    out = subprocess.run(
        [binary, "check", "tests/eval", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"CLI failed ({out.returncode}): {out.stderr}")
    rows = json.loads(out.stdout)
    prefix = "tests/eval/"
    for r in rows:
        f = r["file"].replace("\\", "/")
        r["file"] = f[len(prefix):] if f.startswith(prefix) else f
    return rows


def match(findings: list[dict], labels: list[dict]):
    """Pairs findings with labels of the same file and hazard, closest lines first."""
    by_key = defaultdict(lambda: ([], []))
    for i, f in enumerate(findings):
        by_key[(f["file"], f["hazard"])][0].append(i)
    for j, l in enumerate(labels):
        by_key[(l["file"], l["hazard"])][1].append(j)
    matched_f, matched_l = set(), set()
    for fs, ls in by_key.values():
        pairs = sorted(
            (abs(findings[i]["line"] - labels[j]["line"]), i, j)
            for i in fs
            for j in ls
            if abs(findings[i]["line"] - labels[j]["line"]) <= TOLERANCE
        )
        for _, i, j in pairs:
            if i not in matched_f and j not in matched_l:
                matched_f.add(i)
                matched_l.add(j)
    return matched_f, matched_l


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="score", choices=["score", "build-labels"])
    ap.add_argument("--binary", default=str(ROOT / "target" / "debug" / "hazard-lab"))
    ap.add_argument("--labels", default=str(EVAL_DIR / "labels.json"))
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    ap.add_argument("--min-hazard-recall", type=float)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--only", default="", help="score only files under this prefix (e.g. holdout/)")
    ap.add_argument("--exclude", default="", help="leave out files under this prefix")
    args = ap.parse_args()

    if args.command == "build-labels":
        return build_labels(EVAL_DIR / "labels_spec.txt", Path(args.labels))

    labels = json.loads(Path(args.labels).read_text())
    stale = []
    for l in labels:
        lines = (EVAL_DIR / l["file"]).read_text().splitlines()
        if l["line"] > len(lines) or lines[l["line"] - 1].strip() != l["code"]:
            stale.append(f"{l['file']}:{l['line']} no longer reads {l['code']!r}")
    if stale:
        print("labels out of date (run `python3 scripts/eval.py build-labels`):", *stale, sep="\n  ")
        return 2

    findings = run_cli(args.binary)
    keep = lambda f: f.startswith(args.only) and not (args.exclude and f.startswith(args.exclude))
    findings = [f for f in findings if keep(f["file"])]
    labels = [l for l in labels if keep(l["file"])]
    matched_f, matched_l = match(findings, labels)
    hazards = sorted({f["hazard"] for f in findings} | {l["hazard"] for l in labels})
    per = {}
    for h in hazards:
        tp = sum(1 for i in matched_f if findings[i]["hazard"] == h)
        n_f = sum(1 for f in findings if f["hazard"] == h)
        n_l = sum(1 for l in labels if l["hazard"] == h)
        tp_l = sum(1 for j in matched_l if labels[j]["hazard"] == h)
        per[h] = {"tp": tp, "fp": n_f - tp, "fn": n_l - tp_l, "labels": n_l,
                  "precision": ratio(tp, n_f), "recall": ratio(tp_l, n_l)}
    tp = len(matched_f)
    overall = {"tp": tp, "fp": len(findings) - tp, "fn": len(labels) - len(matched_l),
               "labels": len(labels), "findings": len(findings),
               "precision": ratio(tp, len(findings)), "recall": ratio(len(matched_l), len(labels))}

    if args.json:
        print(json.dumps({"overall": overall, "per_hazard": per}, indent=2))
    else:
        files = len({p for p in EVAL_DIR.rglob("*") if p.is_file() and p.suffix not in (".json", ".txt", ".md")
                     and keep(str(p.relative_to(EVAL_DIR)))})
        print(f"{files} files, {len(labels)} labels, {len(findings)} findings\n")
        print(f"{'hazard':32} {'labels':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}")
        for h, m in per.items():
            print(f"{h:32} {m['labels']:6} {m['tp']:4} {m['fp']:4} {m['fn']:4} "
                  f"{m['precision']:6.2f} {m['recall']:6.2f}")
        print(f"{'overall':32} {overall['labels']:6} {overall['tp']:4} {overall['fp']:4} "
              f"{overall['fn']:4} {overall['precision']:6.2f} {overall['recall']:6.2f}\n")
        fps = [findings[i] for i in range(len(findings)) if i not in matched_f]
        fns = [labels[j] for j in range(len(labels)) if j not in matched_l]
        print(f"false positives ({len(fps)}):")
        for f in sorted(fps, key=lambda f: (f["file"], f["line"])):
            print(f"  {f['file']}:{f['line']} {f['hazard']}: {f['message'][:110]}")
        print(f"false negatives ({len(fns)}):")
        for l in sorted(fns, key=lambda l: (l["file"], l["line"])):
            print(f"  {l['file']}:{l['line']} {l['hazard']}: {l['code'][:90]}")

    failed = []
    if args.min_precision is not None and overall["precision"] < args.min_precision:
        failed.append(f"precision {overall['precision']:.3f} < {args.min_precision}")
    if args.min_recall is not None and overall["recall"] < args.min_recall:
        failed.append(f"recall {overall['recall']:.3f} < {args.min_recall}")
    if args.min_hazard_recall is not None:
        failed += [f"{h} recall {m['recall']:.2f} < {args.min_hazard_recall}"
                   for h, m in per.items() if m["labels"] and m["recall"] < args.min_hazard_recall]
    for f in failed:
        print("FAIL:", f, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
