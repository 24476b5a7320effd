#!/usr/bin/env python3
"""Browser figures for the README (run by `make bench` after the release build).

Serves the parent of dist/ like any static host, opens the app at /dist/ in headless Chromium:
  1. a first visit (fresh profile): records every file the page fetches and sums their sizes,
     raw and gzip -9 (the first-load transfer a gzip-serving host would send);
  2. `?bench`: reads the JSON array of {name, value, unit} from pre#bench-results
     (analyzer and simulator timings measured inside Chromium);
and measures the wasm / JS / CSS files in dist/, raw and gzip -9.
Prints a markdown table `| figure | value | unit |` and writes it to target/bench-browser.md.
"""
from __future__ import annotations

import datetime
import gzip
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import DIST, MOUNT_TIMEOUT_MS, ROOT, launch_chromium, start_server, stop_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BENCH_TIMEOUT_MS = 300_000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def kib(n: int) -> str:
    return f"{n / 1024:.1f}"


def dist_sizes() -> list[tuple[str, str, str]]:
    rows = []
    for kind, pattern in [("wasm", "*.wasm"), ("JS", "*.js"), ("CSS", "*.css")]:
        files = sorted(DIST.rglob(pattern))
        raw = sum(f.stat().st_size for f in files)
        zipped = sum(gz(f.read_bytes()) for f in files)
        rows.append((f"{kind} size, raw ({len(files)} file{'s' if len(files) != 1 else ''})", kib(raw), "KiB"))
        rows.append((f"{kind} size, gzip -9", kib(zipped), "KiB"))
    return rows


def first_load(browser, app_url: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    context = browser.new_context()
    page = context.new_page()
    fetched: dict[str, bytes] = {}
    errors: list[str] = []

    def on_response(resp):
        url = resp.url
        if url.startswith(("data:", "blob:")):
            return
        try:
            fetched[url] = resp.body()
        except Exception as exc:  # redirects and aborted requests have no body
            errors.append(f"{url}: {exc}")

    page.on("response", on_response)
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.goto(app_url, wait_until="load")
    page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
    # Interactive: the page's module has mounted the editor (typing works from here on); the
    # analyzer's worker is still loading. Polled, so at most one poll late.
    interactive_ms = page.evaluate("performance.now()")
    # The first analysed view: the preloaded snippet's finding is listed.
    page.wait_for_selector("ol#findings > li.finding", timeout=MOUNT_TIMEOUT_MS)
    analysed_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")
    context.close()

    def is_analyzer(url: str) -> bool:
        return Path(urlsplit(url).path).name.startswith("hazard-lab-analyzer")

    page_files = {u: b for u, b in fetched.items() if not is_analyzer(u)}
    analyzer_files = {u: b for u, b in fetched.items() if is_analyzer(u)}
    names = ", ".join(
        sorted(
            "index.html" if urlsplit(u).path.endswith("/") else Path(urlsplit(u).path).name for u in fetched
        )
    )
    rows = [
        (f"first load: files fetched ({names})", str(len(fetched)), "files"),
        ("first load transfer before interactive (page files), gzip -9", kib(sum(gz(b) for b in page_files.values())), "KiB"),
        ("first load: analyzer worker files fetched after, gzip -9", kib(sum(gz(b) for b in analyzer_files.values())), "KiB"),
        ("first load transfer in all, raw", kib(sum(len(b) for b in fetched.values())), "KiB"),
        ("first load transfer in all, gzip -9", kib(sum(gz(b) for b in fetched.values())), "KiB"),
        ("first load: navigation to interactive (editor mounted)", f"{interactive_ms:.0f}", "ms"),
        ("first load: navigation to first analysed view", f"{analysed_ms:.0f}", "ms"),
    ]
    return rows, errors


def bench_page(browser, app_url: str) -> list[tuple[str, str, str]]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(app_url + "?bench", wait_until="load")
    pre = page.locator("pre#bench-results")
    pre.wait_for(state="attached", timeout=BENCH_TIMEOUT_MS)
    results = json.loads(pre.inner_text())
    context.close()
    rows = []
    for r in results:
        v = r["value"]
        value = f"{v:,.2f}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v):,}"
        rows.append((f"Chromium: {r['name']}", value, str(r["unit"])))
    return rows


def main_thread_tasks(trace_path: Path) -> list[tuple[float, float, set[str]]]:
    """The renderer main thread's top-level tasks in a Chromium trace: (start ms, duration ms,
    the event types dispatched inside)."""
    data = json.loads(trace_path.read_text())
    events = data["traceEvents"] if isinstance(data, dict) else data
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    on_main = sorted(
        (e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and "dur" in e),
        key=lambda e: e["ts"],
    )
    tasks = []
    for t in (e for e in on_main if e["name"] == "RunTask"):
        end = t["ts"] + t["dur"]
        kinds = {
            e.get("args", {}).get("data", {}).get("type", "")
            for e in on_main
            if e["name"] == "EventDispatch" and t["ts"] <= e["ts"] <= end
        }
        tasks.append((t["ts"] / 1000, t["dur"] / 1000, kinds))
    return tasks


def typing_latency(browser, app_url: str) -> list[tuple[str, str, str]]:
    """Types 62 characters at the end of a 1,000-line Python snippet, 50 ms apart, and reports
    how long the page's main thread is blocked: every top-level task in a Chromium trace
    (the textarea's own editing and layout, our input handler, painting, and the analysis
    answers that arrive while typing). Also the slowest keyboard event as the Event Timing API
    measures it (event start to the next paint, rounded to 8 ms: a latency, not a block)."""
    naive = (ROOT / "src/scenarios/seat_booking/naive.py").read_text().splitlines()
    lines, copy = [], 0
    while len(lines) < 1000:
        lines += [l.replace("hold_seat", f"hold_seat_{copy}") for l in naive]
        copy += 1
    code = "\n".join(lines[:1000]) + "\n"
    context = browser.new_context()
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
    page.evaluate(
        """(code) => { const t = document.querySelector('#editor'); t.value = code;
             t.dispatchEvent(new Event('input', {bubbles: true})); }""",
        code,
    )
    page.wait_for_selector("ol#findings > li.finding", timeout=MOUNT_TIMEOUT_MS)
    page.click("#editor")
    page.keyboard.press("Control+End")
    page.wait_for_timeout(800)
    page.evaluate(
        """() => { window.__slow = [];
             new PerformanceObserver(l => { for (const e of l.getEntries()) window.__slow.push([e.name, e.duration]); })
               .observe({type: 'event', durationThreshold: 16}); }"""
    )
    trace = ROOT / "target" / "typing-trace.json"
    trace.parent.mkdir(exist_ok=True)
    browser.start_tracing(page=page, path=str(trace), categories=["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel"])
    for ch in "total = compute_total(seat_id)\n" * 2:
        page.keyboard.type(ch)
        page.wait_for_timeout(50)
    page.wait_for_timeout(600)
    browser.stop_tracing()
    slow = page.evaluate("window.__slow")
    context.close()
    tasks = main_thread_tasks(trace)
    key_tasks = sorted(d for _, d, kinds in tasks if kinds & {"keypress", "input", "textInput"})
    keys = [d for name, d in slow if name in ("keydown", "keypress", "beforeinput", "input", "keyup")]
    return [
        ("typing in a 1,000-line snippet: longest main-thread task while typing", f"{max((d for _, d, _ in tasks), default=0):.1f}", "ms"),
        ("typing in a 1,000-line snippet: keystroke tasks, median / slowest", f"{key_tasks[len(key_tasks) // 2] if key_tasks else 0:.1f} / {max(key_tasks, default=0):.1f}", "ms"),
        ("typing in a 1,000-line snippet: main-thread tasks of 16 ms or more", str(sum(1 for _, d, _ in tasks if d >= 16)), "tasks"),
        ("typing in a 1,000-line snippet: slowest keyboard event, input to paint (Event Timing)", f"{max(keys, default=0):.0f}", "ms"),
    ]


def main() -> int:
    if not (DIST / "index.html").is_file():
        print(f"{DIST}/index.html is missing: run `make dist` first", file=sys.stderr)
        return 2
    proc, port = start_server(DIST.parent)
    app_url = f"http://127.0.0.1:{port}/{DIST.name}/"
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                bench_rows = bench_page(browser, app_url)
                load_rows, errors = first_load(browser, app_url)
                bench_rows += typing_latency(browser, app_url)
            finally:
                browser.close()
    finally:
        stop_server(proc)

    rows = bench_rows + load_rows + dist_sizes()
    date = datetime.date.today().isoformat()
    lines = [
        f"Browser figures, measured {date} in headless Chromium on a release build loaded from /dist/",
        "",
        "| figure | value | unit |",
        "|---|---:|---|",
    ] + [f"| {name} | {value} | {unit} |" for name, value, unit in rows]
    table = "\n".join(lines) + "\n"
    print(table, end="")
    out = ROOT / "target" / "bench-browser.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table)
    if errors:
        print("\nwarnings while loading:\n  " + "\n  ".join(errors), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
