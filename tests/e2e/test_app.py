"""End-to-end tests: the release build in real headless Chromium.

DOM contract used here (see the app): textarea#editor, select#language,
#analysis-status[data-state=ok|error|empty], ol#findings > li.finding[data-hazard][data-line]
[data-end-line], gutter .marker[data-line], section#sim with button#play, button#step,
select#load, input#speed, input#seed, canvas#canvas-naive, canvas#canvas-fixed,
output#naive-bad-count, output#fixed-bad-count, svg#sweep-chart,
table#sweep-table tr[data-load=N] td.naive-failures / td.fixed-failures,
div#swimlane .lane-step[data-lane][data-line], #app-error[role=alert], ?panic-test, ?bench,
localStorage "hazard-lab:v1".
"""
from __future__ import annotations

import json
import random
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import MOUNT_TIMEOUT_MS, ROOT, open_app

SCENARIO = ROOT / "src" / "scenarios" / "seat_booking"
NAIVE_PY = (SCENARIO / "naive.py").read_text()
NAIVE_JS = (SCENARIO / "naive.js").read_text()
FIXED_PY = (SCENARIO / "fixed.py").read_text()
FIXED_JS = (SCENARIO / "fixed.js").read_text()
# Read line (the SELECT) and write line (the UPDATE) of the naive snippets.
NAIVE = {
    "python": (NAIVE_PY, FIXED_PY, 12, 19),
    "javascript": (NAIVE_JS, FIXED_JS, 10, 18),
}
CTA = 'ol#findings > li.finding[data-hazard="check-then-act"]'
ANALYSIS_TIMEOUT_MS = 20_000
SIM_TIMEOUT_MS = 60_000


# ---------------------------------------------------------------- helpers


def set_code(page, text: str) -> None:
    page.fill("#editor", text)


def paste(page, text: str) -> None:
    """Puts `text` in the editor the way a paste does (one input event), without echoing
    megabytes of text into Playwright's call log on failure."""
    page.eval_on_selector(
        "#editor",
        """(el, text) => {
            el.focus();
            el.value = text;
            el.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'}));
        }""",
        text,
    )


def editor_value(page) -> str:
    return page.eval_on_selector("#editor", "el => el.value")


def status(page) -> tuple[str | None, str]:
    loc = page.locator("#analysis-status")
    return loc.get_attribute("data-state"), loc.inner_text().strip()


def wait_state(page, state: str, timeout: int = ANALYSIS_TIMEOUT_MS) -> str:
    expect(page.locator("#analysis-status")).to_have_attribute("data-state", state, timeout=timeout)
    text = page.locator("#analysis-status").inner_text().strip()
    assert text, f"#analysis-status[data-state={state}] has no text"
    return text


def wait_finding_at(page, line: int, timeout: int = ANALYSIS_TIMEOUT_MS):
    loc = page.locator(f'{CTA}[data-line="{line}"]')
    expect(loc).to_have_count(1, timeout=timeout)
    return loc


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def int_text(page, selector: str) -> int | None:
    t = page.locator(selector).first.inner_text().strip().replace(",", "")
    return int(t) if re.fullmatch(r"-?\d+", t) else None


def set_range(page, selector: str, to: str = "max") -> None:
    """Sets an <input> (range/number) to its max (or a value) the way a user drag would end."""
    page.eval_on_selector(
        selector,
        """(el, to) => {
            el.value = to === 'max' ? (el.max || el.value) : to;
            el.dispatchEvent(new Event('input', {bubbles: true}));
            el.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        to,
    )


def usable_again(page) -> None:
    """After bad input: valid code is analysed again and the finding comes back."""
    page.select_option("#language", "auto")
    set_code(page, NAIVE_PY)
    wait_state(page, "ok")
    wait_finding_at(page, 12)


# ---------------------------------------------------------------- (1) first load


def test_first_load_shows_preloaded_snippet_and_finding(app):
    code = editor_value(app)
    assert "SELECT status FROM seats" in code and "UPDATE seats" in code, f"preloaded code:\n{code[:500]}"
    assert "def hold_seat" in code, "the preloaded snippet is the Python seat-booking handler"
    wait_state(app, "ok")
    finding = app.locator(CTA).first
    expect(finding).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    line = int(finding.get_attribute("data-line"))
    assert "SELECT" in code.splitlines()[line - 1] or "fetchrow" in code.splitlines()[line - 1], (
        f"finding at line {line}: {code.splitlines()[line - 1]!r}"
    )
    expect(app.locator(f'.marker[data-line="{line}"]')).to_have_count(1)
    assert finding.inner_text().strip(), "the finding explains itself"


# ---------------------------------------------------------------- (2) paste naive / fixed


@pytest.mark.parametrize("lang", ["python", "javascript"])
def test_paste_naive_then_fixed(app, lang):
    naive, fixed, read_line, write_line = NAIVE[lang]
    assert re.search(r"fetchrow\(|query\(", naive.splitlines()[read_line - 1]), "read line of the fixture"
    set_code(app, naive)
    wait_state(app, "ok")
    finding = wait_finding_at(app, read_line)
    end = int(finding.get_attribute("data-end-line"))
    assert end >= read_line, f"data-end-line {end} < data-line {read_line}"
    expect(app.locator(f'.marker[data-line="{read_line}"]').first).to_be_attached()
    text = finding.inner_text()
    assert str(read_line) in text and str(write_line) in text, f"finding names lines {read_line} and {write_line}: {text!r}"

    set_code(app, fixed)
    expect(app.locator(CTA)).to_have_count(0, timeout=ANALYSIS_TIMEOUT_MS)
    wait_state(app, "ok")
    expect(app.locator(".marker[data-line]")).to_have_count(0)


def coloured_lines(page) -> list[str]:
    """The coloured layer's lines as HTML (classes and text), one per line."""
    return page.eval_on_selector_all(".code-layer .line", "ls => ls.map(l => l.outerHTML)")


def test_typing_keeps_the_coloured_layer_in_step(app):
    """The coloured `<pre>` under the textarea shows exactly the typed text, re-coloured
    when an edit opens a string that runs over later lines and again when it is closed, and
    underlines the finding's line."""
    set_code(app, NAIVE_PY)
    wait_finding_at(app, 12)
    before = coloured_lines(app)
    shown = app.eval_on_selector_all(".code-layer .line", "ls => ls.map(l => l.textContent)")
    assert shown == [l or " " for l in NAIVE_PY.split("\n")]
    assert "hazard-line" in before[11] and "hazard-line" not in before[10]
    assert 'class="tok-kw">def<' in "".join(before)
    # Open a triple-quoted string at the start of line 3: every later line becomes a string.
    start = len("\n".join(NAIVE_PY.split("\n")[:2])) + 1
    app.eval_on_selector("#editor", "(el, at) => { el.focus(); el.setSelectionRange(at, at); }", start)
    app.keyboard.type('"""')
    expect(app.locator(".code-layer .line").nth(5).locator(".tok-str")).to_have_count(1)
    after = app.eval_on_selector_all(".code-layer .line", "ls => ls.map(l => l.textContent)")
    assert after[2].startswith('"""') and len(after) == len(before)
    # Deleting it again restores every line's colours (the finding comes back on line 12).
    for _ in range(3):
        app.keyboard.press("Backspace")
    assert editor_value(app) == NAIVE_PY
    wait_finding_at(app, 12)
    marked = sum("hazard-line" in l for l in before)
    expect(app.locator(".code-layer .line.hazard-line")).to_have_count(marked)
    assert coloured_lines(app) == before


# ---------------------------------------------------------------- (3) simulation


def test_simulation_naive_double_books_fixed_does_not(app):
    expect(app.locator("section#sim")).to_be_visible()
    assert app.locator("select#load").input_value() == "50", "default load is 50 clients"
    assert app.locator("input#seed").input_value() == "42", "default seed is 42"
    load_values = app.eval_on_selector_all("select#load option", "os => os.map(o => o.value)")
    assert load_values == ["1", "2", "5", "10", "20", "50", "100", "200"], load_values
    for sel in ["canvas#canvas-naive", "canvas#canvas-fixed", "button#step", "input#speed"]:
        expect(app.locator(sel)).to_be_visible()

    # Step advances without errors.
    for _ in range(3):
        app.click("button#step")

    set_range(app, "input#speed", "max")
    app.click("button#play")

    # The load sweep: at 50 clients the naive version double-books, the fixed one never does.
    row = app.locator('table#sweep-table tr[data-load="50"]')
    expect(row).to_have_count(1, timeout=SIM_TIMEOUT_MS)
    app.wait_for_function(
        """() => {
            const r = document.querySelector('table#sweep-table tr[data-load="50"]');
            const n = r && r.querySelector('td.naive-failures');
            return n && /^\\d[\\d,]*$/.test(n.textContent.trim());
        }""",
        timeout=SIM_TIMEOUT_MS,
    )
    naive50 = int_text(app, 'table#sweep-table tr[data-load="50"] td.naive-failures')
    fixed50 = int_text(app, 'table#sweep-table tr[data-load="50"] td.fixed-failures')
    assert naive50 is not None and naive50 > 0, f"naive double bookings at 50 clients: {naive50}"
    assert fixed50 == 0, f"fixed double bookings at 50 clients: {fixed50}"
    rows = app.eval_on_selector_all("table#sweep-table tr[data-load]", "rs => rs.map(r => r.dataset.load)")
    assert {"1", "50", "200"} <= set(rows), rows
    # The chart has drawn something.
    assert app.eval_on_selector("svg#sweep-chart", "s => s.querySelectorAll('path,polyline,rect,circle,line').length") > 0

    # Animated counters: wait until the naive counter is positive and stops changing.
    deadline = time.monotonic() + SIM_TIMEOUT_MS / 1000
    last, stable_since = None, time.monotonic()
    while True:
        cur = (
            app.locator("output#naive-bad-count").inner_text().strip(),
            app.locator("output#fixed-bad-count").inner_text().strip(),
        )
        if cur != last:
            last, stable_since = cur, time.monotonic()
        elif re.fullmatch(r"\d+", cur[0]) and int(cur[0]) > 0 and time.monotonic() - stable_since > 1.5:
            break
        assert time.monotonic() < deadline, f"animation did not settle with naive > 0: counters {cur}"
        app.wait_for_timeout(200)
    naive_count, fixed_count = last
    assert int(naive_count) > 0, naive_count
    assert fixed_count == "0", f"fixed double-count shows {fixed_count!r}"

    # The swimlane names the user's own lines: the SELECT (12) and the UPDATE (19).
    lanes = app.eval_on_selector_all(
        "div#swimlane .lane-step[data-lane][data-line]",
        "ss => ss.map(s => [s.dataset.lane, s.dataset.line])",
    )
    assert len({lane for lane, _ in lanes}) >= 2, f"two requests as lanes: {lanes}"
    assert {"12", "19"} <= {line for _, line in lanes}, f"swimlane lines: {lanes}"

    (ROOT / "target").mkdir(exist_ok=True)
    app.screenshot(path=str(ROOT / "target" / "e2e-seat-booking.png"), full_page=True)


def test_play_toggles_pause(app):
    play = app.locator("button#play")

    def state():
        return (play.inner_text().strip(), play.get_attribute("aria-pressed"), play.get_attribute("aria-label"))

    def wait_change(old):
        deadline = time.monotonic() + 5
        while state() == old and time.monotonic() < deadline:
            app.wait_for_timeout(50)
        return state()

    before = state()
    play.click()
    after = wait_change(before)
    assert after != before, f"play button shows no state change: {before}"
    play.click()
    again = wait_change(after)
    assert again == before, f"second click returns to the first state: {before} -> {after} -> {again}"


# ---------------------------------------------------------------- (4) bad input


def binary_junk(n: int = 4000) -> str:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(n)) + b"\x00\x00\x01\x02"
    return data.decode("latin-1")


def one_megabyte() -> str:
    chunk = NAIVE_PY + "\n\n"
    text = chunk * (1_048_576 // len(chunk) + 1)
    return text[:1_048_576]


BAD_INPUTS = {
    "empty": ("", "empty", r"paste|empty|nothing|no code"),
    "binary": (binary_junk(), "error", r"binary|not .*(text|source|code)|control"),
    "one_megabyte": (one_megabyte(), "error", r"\b(KB|MB|kB|bytes?)\b|too (large|big)|limit|at most"),
    "fifty_thousand_lines": ("x = 1\n" * 50_000, "error", r"lines?"),
    "english_prose": (
        "The booking page shows the seats that are still free. When two people pick the same "
        "seat at the same moment, both are told it is theirs, and the box office has to sort it "
        "out on the evening of the show. We would like this to stop happening before the summer.\n",
        "error",
        r"language",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_a_message_and_page_stays_usable(app, case):
    text, state, pattern = BAD_INPUTS[case]
    wait_state(app, "ok")
    t0 = time.monotonic()
    paste(app, text)
    message = wait_state(app, state, timeout=30_000)
    elapsed = time.monotonic() - t0
    assert elapsed < 10, f"{case}: the message took {elapsed:.1f} s"
    assert re.search(pattern, message, re.I), f"{case}: unclear message {message!r}"
    expect(app.locator(CTA)).to_have_count(0)
    usable_again(app)


@pytest.mark.parametrize(
    "snippet",
    [
        "The seats page is slow on Fridays and the box office wants a report of every double booking.\n",
        "main :: IO ()\nmain = do\n  let xs = [1..10] :: [Int]\n  mapM_ print (filter even xs)\n",
    ],
    ids=["prose", "haskell"],
)
def test_unknown_language_then_manual_choice(app, snippet):
    app.select_option("#language", "auto")
    set_code(app, snippet)
    message = wait_state(app, "error")
    assert re.search(r"language", message, re.I), message
    app.select_option("#language", "python")
    # Chosen by hand: the text is analysed as Python (no language error any more).
    expect(app.locator("#analysis-status")).not_to_have_attribute("data-state", "error", timeout=ANALYSIS_TIMEOUT_MS)
    wait_state(app, "ok")
    usable_again(app)


def test_manual_language_choice_analyses_as_that_language(app):
    app.select_option("#language", "javascript")
    set_code(app, NAIVE_JS)
    wait_state(app, "ok")
    wait_finding_at(app, 10)
    app.select_option("#language", "python")
    # JavaScript read as Python: no JS finding at line 10 any more (and no crash).
    expect(app.locator(f'{CTA}[data-line="10"]')).to_have_count(0, timeout=ANALYSIS_TIMEOUT_MS)
    app.select_option("#language", "javascript")
    wait_finding_at(app, 10)


# ---------------------------------------------------------------- (5) reload keeps state


def test_reload_keeps_code_and_settings(app, app_url):
    edited = "# edited by the e2e test\n" + NAIVE_PY
    set_code(app, edited)
    app.select_option("#language", "python")
    app.select_option("select#load", "20")
    app.fill("input#seed", "7")
    app.locator("input#seed").dispatch_event("change")
    wait_finding_at(app, 13)
    app.wait_for_function(
        """() => {
            const v = localStorage.getItem('hazard-lab:v1');
            return v && v.includes('edited by the e2e test') && v.includes('20') && v.includes('7');
        }""",
        timeout=10_000,
    )
    app.reload(wait_until="load")
    app.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
    assert editor_value(app) == edited
    assert app.locator("#language").input_value() == "python"
    assert app.locator("select#load").input_value() == "20"
    assert app.locator("input#seed").input_value() == "7"
    wait_finding_at(app, 13)


# ---------------------------------------------------------------- (6) click selects lines


def test_clicking_a_finding_selects_its_lines(app):
    finding = app.locator(CTA).first
    expect(finding).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    start_line = int(finding.get_attribute("data-line"))
    end_line = int(finding.get_attribute("data-end-line"))
    finding.click()
    app.wait_for_function(
        "() => { const e = document.querySelector('#editor'); return e.selectionEnd > e.selectionStart; }",
        timeout=5_000,
    )
    value, s, e = app.eval_on_selector("#editor", "el => [el.value, el.selectionStart, el.selectionEnd]")
    first = line_of(value, s)
    last = line_of(value, e - 1)  # the character before the end: a trailing newline stays on its line
    assert first == start_line, f"selection starts on line {first}, finding starts at {start_line}"
    assert last == end_line, f"selection ends on line {last}, finding ends at {end_line}"
    lines = value.splitlines()
    selected = value[s:e]
    assert lines[start_line - 1].strip() in selected and lines[end_line - 1].strip() in selected


# ---------------------------------------------------------------- (7) keyboard


def test_keyboard_tab_reaches_editor_findings_and_play(app):
    expect(app.locator(CTA).first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    app.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached = {"editor": False, "finding": False, "play": False}
    seen = []
    for _ in range(120):
        app.keyboard.press("Tab")
        info = app.evaluate(
            """() => {
                const a = document.activeElement;
                return {
                    id: a ? a.id : '',
                    tag: a ? a.tagName : '',
                    finding: !!(a && a.closest && a.closest('li.finding')),
                };
            }"""
        )
        seen.append(info["id"] or info["tag"])
        reached["editor"] |= info["id"] == "editor"
        reached["finding"] |= info["finding"]
        reached["play"] |= info["id"] == "play"
        if all(reached.values()):
            break
    assert all(reached.values()), f"Tab did not reach {[k for k, v in reached.items() if not v]}; focus order: {seen}"


def test_keyboard_enter_on_finding_selects_lines(app):
    finding = app.locator(CTA).first
    expect(finding).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    start_line = int(finding.get_attribute("data-line"))
    target = app.evaluate(
        """() => {
            const li = document.querySelector('ol#findings > li.finding[data-hazard="check-then-act"]');
            const f = li.matches('[tabindex],a,button') ? li : li.querySelector('[tabindex],a,button');
            (f || li).focus();
            return document.activeElement && document.activeElement.closest('li.finding') ? 'ok' : 'no';
        }"""
    )
    assert target == "ok", "a finding (or a control inside it) is focusable"
    app.keyboard.press("Enter")
    app.wait_for_function(
        "() => { const e = document.querySelector('#editor'); return e.selectionEnd > e.selectionStart; }",
        timeout=5_000,
    )
    value, s = app.eval_on_selector("#editor", "el => [el.value, el.selectionStart]")
    assert line_of(value, s) == start_line


# ---------------------------------------------------------------- (8) panic


def test_panic_shows_an_error_not_a_blank_page(page, app_url, monitor):
    monitor.allow(r"panic")
    monitor.allow(r"unreachable|RuntimeError")
    page.goto(app_url + "?panic-test", wait_until="load")
    alert = page.locator('#app-error[role="alert"]')
    expect(alert).to_be_visible(timeout=MOUNT_TIMEOUT_MS)
    assert alert.inner_text().strip(), "the error message has text"
    assert len(page.locator("body").inner_text().strip()) > 20, "the page is not blank"
    # A report to copy, and a way back.
    page.click("#app-error-copy")
    expect(page.locator("#app-error-copy")).to_have_text("Report copied")
    expect(page.locator("#app-error-reload")).to_be_visible()


def test_work_survives_a_panic(page, app_url, monitor):
    monitor.allow(r"panic")
    monitor.allow(r"unreachable|RuntimeError")
    open_app(page, app_url)
    paste(page, "def mine():\n    return 42  # kept across a crash\n")
    page.wait_for_timeout(400)
    page.goto(app_url + "?panic-test", wait_until="load")
    expect(page.locator('#app-error[role="alert"]')).to_be_visible(timeout=MOUNT_TIMEOUT_MS)
    # Let the analyzer worker finish loading: leaving mid-download would abort its request.
    page.wait_for_load_state("networkidle")
    page.goto(app_url, wait_until="load")
    page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
    assert "kept across a crash" in editor_value(page)


# ---------------------------------------------------------------- (9) own origin only


def test_only_own_origin_and_sub_path_requests(page, app_url, monitor):
    open_app(page, app_url)
    expect(page.locator(CTA).first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    page.click("button#play")
    page.wait_for_timeout(500)
    assert monitor.requests, "requests were recorded"
    assert not monitor.foreign_requests, monitor.foreign_requests
    # Relative asset URLs: everything the page loads lives under /dist/.
    outside = [u for u in monitor.requests if not u.startswith(app_url)]
    assert not outside, f"requests outside {app_url}: {outside}"
    kinds = {u.rsplit(".", 1)[-1].split("?")[0] for u in monitor.requests}
    assert {"wasm", "js", "css"} <= kinds, f"loaded: {monitor.requests}"


# ---------------------------------------------------------------- ?bench


def test_bench_page_reports_json(page, app_url):
    page.goto(app_url + "?bench", wait_until="load")
    pre = page.locator("pre#bench-results")
    expect(pre).to_be_attached(timeout=180_000)
    rows = json.loads(pre.inner_text())
    assert isinstance(rows, list) and rows, rows
    for r in rows:
        assert set(r) >= {"name", "value", "unit"}, r
        assert isinstance(r["value"], (int, float)), r
    assert page.locator("#editor").count() == 0, "?bench shows only the results"


# ---------------------------------------------------------------- rule pages


def test_finding_links_to_its_rule_page(app, app_url):
    link = app.locator(f"{CTA} a.rule-link").first
    expect(link).to_have_attribute("href", "#rule=check-then-act")
    link.click()
    page = app.locator("#rule-page")
    expect(page).to_be_visible()
    expect(page.locator("#rule-title")).to_contain_text("check-then-act")
    for heading in ["What it does", "Why is this bad at scale", "Example", "Use instead"]:
        expect(page).to_contain_text(heading)
    # Opening the rule page must not have moved the editor selection to the finding.
    app.click("#rule-close")
    expect(app.locator("#rule-page")).to_have_count(0)
    # The page is addressable: a link straight to it opens it on load.
    app.goto(app_url + "#rule=check-then-act")
    expect(app.locator("#rule-page")).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    # An unknown rule id opens nothing and breaks nothing.
    app.goto(app_url + "#rule=no-such-rule")
    app.wait_for_selector("#editor")
    expect(app.locator("#rule-page")).to_have_count(0)


def test_full_or_disabled_storage_gives_a_notice(browser, app_url, monitor):
    context = browser.new_context()
    # Every write fails the way a full quota does.
    context.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    page = context.new_page()
    monitor.attach(page)
    try:
        open_app(page, app_url)
        paste(page, "import requests\n\n\ndef f(url):\n    return requests.get(url).json()\n")
        expect(page.locator("#storage-notice")).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
        expect(page.locator('li.finding[data-hazard="no-timeout"]').first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    finally:
        context.close()
    assert not monitor.problems(), monitor.problems()


def test_a_crashed_analyzer_is_reported_and_replaced(page, app_url, monitor):
    """The worker panics on purpose; the page says so, keeps working, and the next edit
    starts a new analyzer."""
    monitor.allow(r"panic|worker|unreachable|RuntimeError")
    open_app(page, app_url, "?worker-panic-test")
    message = wait_state(page, "error", timeout=ANALYSIS_TIMEOUT_MS)
    assert re.search(r"analyzer stopped", message), message
    paste(page, "import requests\n\n\ndef f(url):\n    return requests.get(url).json()\n")
    expect(page.locator('li.finding[data-hazard="no-timeout"]').first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    wait_state(page, "ok")
