"""End-to-end: simulating any finding, share links (#s= and hand-written), bad links, embed.

DOM contract (beyond test_app.py's): li.finding button.simulate-finding[data-hazard],
section#sim[data-hazard], p#sim-summary[aria-live], table#sim-metrics, input#timeline,
button#params-toggle, input#param-<name>, ul.notices, button#share, textarea#share-url,
button#embed-button, textarea#embed-code, textarea#embed-markdown, #link-error[role=alert],
#link-opened button#restore-saved, html.embed, a#open-full, canvas[data-fingerprint].
"""
from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

from conftest import MOUNT_TIMEOUT_MS, ROOT, open_app
from test_app import ANALYSIS_TIMEOUT_MS, SIM_TIMEOUT_MS, editor_value, paste, wait_state

SYNC_LONG = (ROOT / "tests/fixtures/sync-long-task/python/pos_flask_ffmpeg_transcode.py").read_text()
NO_TIMEOUT_PY = "import requests\n\n\ndef fetch(url):\n    return requests.get(url).json()\n"


def sweep(page) -> list[tuple[int, int, int]]:
    return page.eval_on_selector_all(
        "table#sweep-table tr[data-load]",
        """rs => rs.map(r => [Number(r.dataset.load),
                         Number(r.querySelector('td.naive-failures').textContent),
                         Number(r.querySelector('td.fixed-failures').textContent)])""",
    )


def simulate(page, hazard: str) -> None:
    button = page.locator(f'li.finding button.simulate-finding[data-hazard="{hazard}"]').first
    expect(button).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    button.click()
    expect(page.locator("section#sim")).to_have_attribute("data-hazard", hazard, timeout=SIM_TIMEOUT_MS)


def test_simulate_a_sync_long_task_finding(app):
    paste(app, SYNC_LONG)
    wait_state(app, "ok")
    simulate(app, "sync-long-task")
    rows = sweep(app)
    assert len(rows) >= 6, rows
    assert all(fixed == 0 for _, _, fixed in rows), rows
    assert any(naive > 0 for _, naive, _ in rows), rows
    # The chart names both axes and marks where naive starts failing.
    labels = app.eval_on_selector_all("svg#sweep-chart text.axis-label", "ts => ts.map(t => t.textContent)")
    assert any("504" in t for t in labels) and any("users" in t.lower() for t in labels), labels
    expect(app.locator("svg#sweep-chart g.first-failure")).to_have_count(1)
    summary = app.locator("p#sim-summary")
    assert summary.get_attribute("aria-live") == "polite"
    assert re.search(r"\d", summary.inner_text()), summary.inner_text()
    # The timeline scrubs the animation to the end: some requests went wrong in naive.
    app.eval_on_selector("input#timeline", "el => { el.value = 1000; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    expect(app.locator("output#naive-bad-count")).not_to_have_text("0", timeout=SIM_TIMEOUT_MS)
    expect(app.locator("output#fixed-bad-count")).to_have_text("0")
    app.screenshot(path=str(ROOT / "target" / "e2e-sync-long-task.png"), full_page=True)


def test_model_settings_move_the_result(app):
    paste(app, SYNC_LONG)
    wait_state(app, "ok")
    simulate(app, "sync-long-task")
    app.click("button#params-toggle")
    duration = app.locator("input#param-duration-s")
    expect(duration).to_be_visible()
    before = sweep(app)
    duration.fill("5")
    duration.dispatch_event("change")
    # A 5 s task fits the 30 s gateway: one user no longer sees a 504.
    app.wait_for_function(
        "() => document.querySelector('table#sweep-table td.naive-failures').textContent.trim() === '0'",
        timeout=SIM_TIMEOUT_MS,
    )
    after = sweep(app)
    assert after != before and after[0][1] == 0, (before, after)
    # An out-of-range value is clamped with a notice, never an error.
    duration.fill("999999999")
    duration.dispatch_event("change")
    expect(app.locator("ul.notices li")).to_have_count(0)
    expect(duration).not_to_have_value("999999999")


def share_link(page) -> str:
    page.click("button#share")
    field = page.locator("textarea#share-url")
    expect(field).to_be_visible()
    url = field.input_value()
    assert "#s=" in url, url
    return url


def test_share_link_round_trip_reproduces_the_view(page, app_url):
    open_app(page, app_url)
    paste(page, SYNC_LONG)
    wait_state(page, "ok")
    simulate(page, "sync-long-task")
    page.select_option("select#load", "20")
    page.fill("input#seed", "7")
    page.locator("input#seed").dispatch_event("change")
    fingerprint = page.locator("canvas#canvas-naive").get_attribute("data-fingerprint")
    rows = sweep(page)
    url = share_link(page)
    assert page.url == url, "the address bar shows the link"

    # A different person: a fresh context, with their own saved work.
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        p2 = other.new_page()
        open_app(p2, app_url)
        paste(p2, "# my own work\nx = 1\n")
        p2.wait_for_timeout(400)
        # Pasting the link into the same tab changes only the fragment: the app reloads it.
        with p2.expect_navigation(wait_until="load"):
            p2.goto(url)
        p2.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
        expect(p2.locator("#editor")).to_have_value(SYNC_LONG)
        expect(p2.locator("section#sim")).to_have_attribute("data-hazard", "sync-long-task", timeout=SIM_TIMEOUT_MS)
        assert p2.locator("select#load").input_value() == "20"
        assert p2.locator("input#seed").input_value() == "7"
        expect(p2.locator("canvas#canvas-naive")).to_have_attribute("data-fingerprint", fingerprint)
        assert sweep(p2) == rows
        # Their previous work was kept aside and comes back on request.
        p2.click("button#restore-saved")
        expect(p2.locator("#editor")).to_have_value(re.compile("my own work"))
    finally:
        other.close()


def test_hand_written_links(page, app_url):
    open_app(page, app_url, f"?code={quote(NO_TIMEOUT_PY)}&lang=python&seed=9")
    assert editor_value(page) == NO_TIMEOUT_PY
    assert page.locator("#language").input_value() == "python"
    assert page.locator("input#seed").input_value() == "9"
    expect(page.locator('li.finding[data-hazard="no-timeout"]')).to_have_count(1, timeout=ANALYSIS_TIMEOUT_MS)
    expect(page.locator("section#sim")).to_have_attribute("data-hazard", "no-timeout", timeout=SIM_TIMEOUT_MS)

    open_app(page, app_url, "?scenario=seat-booking&load=100")
    assert "SELECT status FROM seats" in editor_value(page)
    assert page.locator("select#load").input_value() == "100"


def test_bad_links_give_a_message_and_keep_saved_work(page, app_url, monitor):
    open_app(page, app_url)
    paste(page, "# precious work\nx = 1\n")
    page.wait_for_timeout(400)
    huge = "A" * (600 * 1024)
    for frag, pattern in [
        ("#s=AAAA", r"damaged|cut"),
        ("#s=%%%%", r"damaged"),
        (f"#s={huge}", r"too long"),
        # 10 MB of zeros, deflated: a bomb the link reader must refuse.
        ("#s=" + (ROOT / "tests/e2e/data/bomb.b64").read_text().strip(), r"more than 256 KB"),
    ]:
        page.goto(app_url + "?x=" + str(len(frag)) + frag, wait_until="load")
        page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
        alert = page.locator("#link-error[role=alert]")
        expect(alert).to_be_visible()
        assert re.search(pattern, alert.inner_text(), re.I), alert.inner_text()
        assert "unchanged" in alert.inner_text()
        assert editor_value(page).startswith("# precious work"), "saved work survives a bad link"
    open_app(page, app_url, "?scenario=no-such-story")
    expect(page.locator("#link-error")).to_contain_text("no-such-story")
    assert editor_value(page).startswith("# precious work")
    # Navigating again while the icon loads aborts that request: expected here, not a fault.
    monitor.failed_requests[:] = [r for r in monitor.failed_requests if "ERR_ABORTED" not in r]


def test_embed_view_and_snippets(page, app_url):
    open_app(page, app_url)
    wait_state(page, "ok")
    page.click("button#embed-button")
    iframe = page.locator("textarea#embed-code").input_value()
    markdown = page.locator("textarea#embed-markdown").input_value()
    src = re.search(r'src="([^"]+)"', iframe).group(1)
    assert "embed=1" in src and "#s=" in src and 'width="700"' in iframe and 'height="450"' in iframe
    assert re.fullmatch(r"\[.+\]\(http[^)]+#s=[A-Za-z0-9_-]+\)", markdown), markdown

    page.set_viewport_size({"width": 700, "height": 450})
    page.goto(src, wait_until="load")
    page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
    assert "embed" in page.eval_on_selector("html", "h => h.className")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("a#open-full")).to_be_visible()
    # No horizontal scrolling at 700 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= 700
    page.screenshot(path=str(ROOT / "target" / "e2e-embed.png"))


def test_works_offline_after_the_first_visit(page, app_url, monitor):
    open_app(page, app_url)
    wait_state(page, "ok")
    # The service worker has kept the app's files once it is active.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => caches.keys().then(k => k.length > 0)", timeout=MOUNT_TIMEOUT_MS)
    paste(page, NO_TIMEOUT_PY)
    page.wait_for_timeout(400)
    page.context.set_offline(True)
    # Requests that fail while offline are the point of this test.
    monitor.failed_requests.clear()
    try:
        page.reload(wait_until="load")
        page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
        assert editor_value(page) == NO_TIMEOUT_PY
        expect(page.locator('li.finding[data-hazard="no-timeout"]')).to_have_count(1, timeout=ANALYSIS_TIMEOUT_MS)
        # A hand-written link opens offline too (same index.html, other query).
        page.goto(app_url + "?scenario=seat-booking", wait_until="load")
        page.wait_for_selector("#editor", timeout=MOUNT_TIMEOUT_MS)
        assert "SELECT status FROM seats" in editor_value(page)
    finally:
        page.context.set_offline(False)
    monitor.failed_requests.clear()


def test_interleaving_explorer_replays_a_broken_order_on_the_users_lines(app):
    wait_state(app, "ok")
    summary = app.locator("p#explorer-summary")
    expect(summary).to_contain_text("18 of the 20 orders")
    # The first broken order is selected; step through it to the end.
    for _ in range(6):
        app.click("button#replay-step")
    verdict = app.locator("p#replay-verdict")
    expect(verdict).to_contain_text("Breaks")
    lines = app.eval_on_selector_all("table#replay tr.replay-move", "rs => rs.map(r => r.dataset.line)")
    assert {"12", "19"} <= set(lines), lines
    states = app.eval_on_selector_all("table#replay td.replay-state", "ts => ts.map(t => t.textContent)")
    assert all(states) and any("holder" in s for s in states), states
    # The fixed variant: no order breaks.
    app.click("button#explorer-fixed")
    expect(summary).to_contain_text("None of the")
    assert app.locator('ol#interleavings button.interleaving[data-broken="true"]').count() == 0
    # Three requests: more orders, still none broken with the fix.
    app.select_option("select#explorer-requests", "3")
    expect(summary).to_contain_text("three")
