"""End-to-end (issue 7): nothing the page is given runs. 34 injection payloads go in through
the editor, `?code=` links, `#s=` share links and the embed view; a payload that ran would set
`window.__pwned`. The test asserts it never does, that no element kind the app does not make
appears, and (through the `page` fixture) that the session had no console error and no
Content-Security-Policy violation.
"""
from __future__ import annotations

import base64
import json
import zlib
from urllib.parse import quote

from playwright.sync_api import expect

from conftest import open_app
from test_app import ANALYSIS_TIMEOUT_MS, paste

FLAG = "window.__pwned=1"
PAYLOADS = [
    f"<script>{FLAG}</script>",
    f"</textarea><script>{FLAG}</script>",
    f"<img src=x onerror=\"{FLAG}\">",
    f"<svg onload=\"{FLAG}\"></svg>",
    f"<svg><script>{FLAG}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{FLAG}\">",
    f"<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    f"<iframe src=\"javascript:parent.__pwned=1\"></iframe>",
    f"<a href=\"javascript:{FLAG}\" id=xss>click</a>",
    f"<body onload=\"{FLAG}\">",
    f"<details open ontoggle=\"{FLAG}\">",
    f"<input autofocus onfocus=\"{FLAG}\">",
    f"<video><source onerror=\"{FLAG}\"></video>",
    f"<object data=\"javascript:{FLAG}\"></object>",
    f"<embed src=\"javascript:{FLAG}\">",
    f"<style>@import 'http://evil.example/x.css'; body{{background:url(javascript:{FLAG})}}</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<base href=\"http://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__pwned=1\">",
    f"<form action=\"javascript:{FLAG}\"><button>go</button></form>",
    f"\"><img src=x onerror={FLAG}>",
    f"'><svg/onload={FLAG}>",
    f"`${{{FLAG}}}`",
    f"{{{{constructor.constructor('{FLAG}')()}}}}",
    f"<div style=\"width:expression({FLAG})\">",
    f"<marquee onstart=\"{FLAG}\">x</marquee>",
    f"<template><img src=x onerror=\"{FLAG}\"></template>",
    f"<noscript><p title=\"</noscript><img src=x onerror={FLAG}>\">",
    f"<!--<img src=\"--><img src=x onerror={FLAG}//\">",
    f"<x onclick=\"{FLAG}\" style=\"display:block;position:fixed;inset:0\">x</x>",
    "\u202e" + f"<script>{FLAG}</script>" + "\u202c  // right-to-left override",
    "x = '" + "A" * 20_000 + f"<script>{FLAG}</script>'",
    f"data:text/html,<script>{FLAG}</script>",
    f"<select><noembed></select><img src=x onerror={FLAG}></noembed>",
]

# Tags that only a payload could have added.
FOREIGN = "script:not(#hazard-lab-boot), iframe, object, embed, img, math, base, form, meta[http-equiv]:not([http-equiv=Content-Security-Policy]), marquee, x, video, details, template, noembed, body style, link:not([rel=icon]):not([rel=stylesheet]):not([rel=modulepreload]):not([rel=preload])"
HANDLERS = "[onerror], [onload], [onclick], [onfocus], [ontoggle], [onstart], [onmouseover]"


def assert_clean(page, where: str) -> None:
    page.wait_for_timeout(50)
    assert page.evaluate("window.__pwned") is None, f"a payload ran ({where})"
    foreign = page.eval_on_selector_all(FOREIGN, "es => es.map(e => e.outerHTML.slice(0, 80))")
    assert not foreign, f"{where}: elements the app did not make: {foreign}"
    assert page.evaluate("document.querySelectorAll('meta[http-equiv]').length") == 1, where
    handlers = page.eval_on_selector_all(HANDLERS, "es => es.map(e => e.outerHTML.slice(0, 80))")
    assert not handlers, f"{where}: inline handlers: {handlers}"


def share_payload(state: dict) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(json.dumps(state).encode()) + packer.flush()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_payloads_pasted_into_the_editor_stay_text(app):
    assert len(PAYLOADS) >= 30
    for i, p in enumerate(PAYLOADS):
        paste(app, f"# payload {i}\n{p}\n")
        expect(app.locator("#analysis-status")).not_to_have_attribute("data-state", "empty", timeout=ANALYSIS_TIMEOUT_MS)
        app.wait_for_timeout(200)
        assert_clean(app, f"editor #{i}")
    # The highlighted copy shows the last payload verbatim, as text.
    assert PAYLOADS[-1] in app.locator(".editor pre").first.inner_text()


def test_payloads_in_links_and_the_embed_view_stay_text(page, app_url):
    for i, p in enumerate(PAYLOADS):
        code = f"# payload {i}\n{p}\n"
        for query in [
            f"?lang=html&code={quote(code)}",
            f"?embed=1&code={quote(code)}&scenario={quote(p[:40])}",
            f"#s={share_payload({'code': code, 'lang': 'javascript', 'hazard': p[:30]})}",
        ]:
            page.goto("about:blank")
            open_app(page, app_url, query)
            expect(page.locator("#analysis-status")).not_to_have_attribute("data-state", "empty", timeout=ANALYSIS_TIMEOUT_MS)
            assert_clean(page, f"link #{i} {query[:20]}")
