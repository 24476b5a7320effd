"""End-to-end: the scenario gallery, exports, cross-origin embedding, keyboard-only use and
axe-core accessibility checks (issue 6).

DOM contract: button#gallery-button[aria-expanded], section#gallery, select#gallery-hazard,
select#gallery-language, p#gallery-count, li.scenario-card[data-scenario][data-hazard],
button.open-scenario[data-scenario][data-lang], section#scenario-note[data-scenario][data-variant],
button#scenario-variant, button#export-markdown, button#export-sarif, button#export-json,
#export-status, button#export-chart, public/embed-example.html.
"""
from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import DIST, MOUNT_TIMEOUT_MS, ROOT, open_app, start_server, stop_server
from test_app import ANALYSIS_TIMEOUT_MS, SIM_TIMEOUT_MS, paste, wait_state

AXE = ROOT / "target/tools/node_modules/axe-core/axe.min.js"
SHOTS = ROOT / "target" / "screenshots"


def open_gallery(page) -> None:
    if page.locator("#gallery-button").get_attribute("aria-expanded") != "true":
        page.click("#gallery-button")
    expect(page.locator("section#gallery")).to_be_visible()


def cards(page) -> list[dict]:
    return page.eval_on_selector_all(
        "li.scenario-card",
        """cs => cs.map(c => ({id: c.dataset.scenario, hazard: c.dataset.hazard,
             langs: [...c.querySelectorAll('button.open-scenario')].map(b => b.dataset.lang)}))""",
    )


def test_gallery_opens_every_scenario_naive_with_its_finding_and_fixed_silent(app):
    open_gallery(app)
    all_cards = cards(app)
    assert len(all_cards) >= 1
    count = app.locator("#gallery-count").inner_text()
    assert count == f"{len(all_cards)} of {len(all_cards)} scenarios", count
    for card in all_cards:
        for lang in card["langs"]:
            open_gallery(app)
            app.click(f'button.open-scenario[data-scenario="{card["id"]}"][data-lang="{lang}"]')
            note = app.locator("section#scenario-note")
            expect(note).to_have_attribute("data-scenario", card["id"])
            expect(note).to_have_attribute("data-variant", "naive")
            expect(app.locator(f'li.finding[data-hazard="{card["hazard"]}"]').first).to_be_visible(
                timeout=ANALYSIS_TIMEOUT_MS
            )
            # The simulator shows the scenario's hazard at its preset.
            expect(app.locator("section#sim")).to_have_attribute("data-hazard", card["hazard"], timeout=SIM_TIMEOUT_MS)
            assert app.locator("#language").input_value() == lang
            app.click("#scenario-variant")
            expect(note).to_have_attribute("data-variant", "fixed")
            # The naive variant's finished analysis is also state "ok": wait for the fixed
            # one's verdict to replace it (a read right after the click raced it once).
            expect(app.locator("#analysis-status")).to_have_text(
                re.compile(r"^\s*No hazards found"), timeout=ANALYSIS_TIMEOUT_MS
            )
            text = wait_state(app, "ok")
            assert text.startswith("No hazards found"), f'{card["id"]} {lang} fixed: {text}'


def test_gallery_filters_by_hazard_and_language(app):
    open_gallery(app)
    all_cards = cards(app)
    hazard = all_cards[0]["hazard"]
    app.select_option("#gallery-hazard", hazard)
    want = [c["id"] for c in all_cards if c["hazard"] == hazard]
    visible = app.eval_on_selector_all("li.scenario-card:not([hidden])", "cs => cs.map(c => c.dataset.scenario)")
    assert visible == want
    expect(app.locator("#gallery-count")).to_have_text(f"{len(want)} of {len(all_cards)} scenarios")
    app.select_option("#gallery-hazard", "all")
    app.select_option("#gallery-language", "javascript")
    visible = app.eval_on_selector_all("li.scenario-card:not([hidden])", "cs => cs.map(c => c.dataset.scenario)")
    assert visible == [c["id"] for c in all_cards if "javascript" in c["langs"]]
    # Escape closes the gallery and gives focus back to its button.
    app.focus("#gallery-language")
    app.keyboard.press("Escape")
    expect(app.locator("section#gallery")).to_be_hidden()
    assert app.evaluate("document.activeElement.id") == "gallery-button"


def test_scenario_link_opens_with_its_preset(page, app_url):
    open_app(page, app_url, "?scenario=seat-booking")
    expect(page.locator("section#scenario-note")).to_have_attribute("data-scenario", "seat-booking")
    expect(page.locator("section#sim")).to_have_attribute("data-hazard", "check-then-act", timeout=SIM_TIMEOUT_MS)
    assert page.locator("#load").input_value() == "20"


def test_exports_produce_files_that_parse(browser, app_url, monitor):
    context = browser.new_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    monitor.attach(page)
    try:
        open_app(page, app_url)
        expect(page.locator("li.finding").first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
        n = page.locator("li.finding").count()
        with page.expect_download() as d:
            page.click("#export-sarif")
        sarif = json.loads(Path(d.value.path()).read_text())
        assert d.value.suggested_filename == "hazard-lab-findings.sarif"
        assert sarif["version"] == "2.1.0"
        assert len(sarif["runs"][0]["results"]) == n
        assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} >= {"check-then-act"}
        with page.expect_download() as d:
            page.click("#export-json")
        findings = json.loads(Path(d.value.path()).read_text())
        assert len(findings) == n and findings[0]["hazard"] == "check-then-act"
        page.click("#export-markdown")
        expect(page.locator("#export-status")).to_contain_text("Copied")
        md = page.evaluate("navigator.clipboard.readText()")
        assert md.startswith("## Hazard Lab findings") and "`check-then-act`" in md and "**Fix:**" in md
        with page.expect_download() as d:
            page.click("#export-chart")
        svg = ET.fromstring(Path(d.value.path()).read_bytes())
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        lines = [e for e in svg.iter() if e.tag.endswith("polyline")]
        assert len(lines) == 2 and all(e.get("stroke") not in (None, "", "none") for e in lines)
    finally:
        context.close()
    assert not monitor.problems(), monitor.problems()


def test_embed_example_works_cross_origin(browser, app_url, monitor):
    """public/embed-example.html, served from another port, frames the app from its own."""
    source = (DIST / "public" / "embed-example.html").read_text()
    assert source.count("<iframe") == 2
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "index.html").write_text(source.replace('src="../', f'src="{app_url}'))
        proc, port = start_server(Path(tmp))
        try:
            context = browser.new_context(viewport={"width": 900, "height": 1200})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            for frame_id, hazard in [("embed-scenario", "check-then-act"), ("embed-code", "no-timeout")]:
                frame = page.frame_locator(f"iframe#{frame_id}")
                expect(frame.locator("#editor")).to_be_visible(timeout=MOUNT_TIMEOUT_MS)
                expect(frame.locator(f'li.finding[data-hazard="{hazard}"]').first).to_be_visible(
                    timeout=ANALYSIS_TIMEOUT_MS
                )
                expect(frame.locator("a#open-full")).to_be_visible()
            assert page.evaluate("document.querySelectorAll('iframe').length") == 2
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "embed-cross-origin.png"), full_page=True)
            context.close()
        finally:
            stop_server(proc)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
             return {id: e.id, tag: e.tagName, cls: e.className, text: (e.textContent || '').trim().slice(0, 40),
                     outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}; }"""
    )


def tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = focused(page)
        if predicate(f):
            return f
    raise AssertionError(f"Tab never reached the element; last focus {focused(page)}")


def visibly_focused(f: dict) -> bool:
    return not f["outline"].startswith("none") or f["shadow"] not in ("none", "")


def test_keyboard_only_path(app):
    """Gallery → scenario → editor → finding → simulator, with Tab, Enter and typing only."""
    f = tab_to(app, lambda f: f["id"] == "gallery-button")
    assert visibly_focused(f), f
    app.keyboard.press("Enter")
    expect(app.locator("section#gallery")).to_be_visible()
    f = tab_to(app, lambda f: "open-scenario" in f["cls"])
    assert visibly_focused(f), f
    app.keyboard.press("Enter")
    expect(app.locator("section#scenario-note")).to_be_visible()
    expect(app.locator("#scenario-note-title")).to_be_focused()
    f = tab_to(app, lambda f: f["id"] == "editor")
    app.keyboard.press("Control+End")
    app.keyboard.type("\n# reviewed\n")
    expect(app.locator("li.finding").first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    f = tab_to(app, lambda f: "simulate-finding" in f["cls"])
    assert visibly_focused(f), f
    app.keyboard.press("Enter")
    f = tab_to(app, lambda f: f["id"] == "play")
    assert visibly_focused(f), f
    app.keyboard.press("Enter")
    expect(app.locator("p#sim-summary")).to_contain_text(re.compile(r"\d"), timeout=SIM_TIMEOUT_MS)


def run_axe(page) -> list[str]:
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """async () => { const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')); }"""
    )
    return result


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("view", ["main", "gallery", "embed"])
def test_axe_reports_no_serious_violations(browser, app_url, theme, view):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh --e2e", pytrace=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=theme)
    page = context.new_page()
    try:
        open_app(page, app_url, "?scenario=seat-booking&embed=1" if view == "embed" else "")
        expect(page.locator("li.finding").first).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
        if view == "gallery":
            open_gallery(page)
        page.wait_for_timeout(300)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{view}-{theme}.png"), full_page=view != "main")
        violations = run_axe(page)
    finally:
        context.close()
    assert not violations, "\n".join(violations)
