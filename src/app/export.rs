//! Downloads and copies: the findings as Markdown, SARIF or JSON (formats in
//! [`crate::report`]) and the load-sweep chart as a standalone SVG file.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::findings::AnalysisState;
use crate::report;

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("Could not prepare the download ({what}).");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("object URL"))?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| fail("link"))?
        .dyn_into()
        .map_err(|_| fail("link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The chart as a file that looks like the page: the page styles it with CSS classes, so
/// each element's computed colours and strokes are written onto a copy as attributes.
pub fn standalone_svg(svg: &web_sys::Element) -> Option<String> {
    const PROPS: [&str; 8] = [
        "fill",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "opacity",
        "font-size",
        "font-family",
        "font-weight",
    ];
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let window = web_sys::window()?;
    let live = svg.query_selector_all("*").ok()?;
    let copied = copy.query_selector_all("*").ok()?;
    for i in 0..live.length().min(copied.length()) {
        let (Some(l), Some(c)) = (live.item(i), copied.item(i)) else {
            continue;
        };
        let (Ok(l), Ok(c)) = (
            l.dyn_into::<web_sys::Element>(),
            c.dyn_into::<web_sys::Element>(),
        ) else {
            continue;
        };
        let Ok(Some(style)) = window.get_computed_style(&l) else {
            continue;
        };
        for p in PROPS {
            if let Ok(v) = style.get_property_value(p) {
                if !v.is_empty() {
                    let _ = c.set_attribute(p, &v);
                }
            }
        }
        let _ = c.remove_attribute("class");
    }
    let bg = window
        .get_computed_style(&document().body()?.into())
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "white".into());
    // A background rectangle, not a style attribute: the page's CSP forbids inline styles.
    if let Ok(rect) = document().create_element_ns(Some("http://www.w3.org/2000/svg"), "rect") {
        for (k, v) in [("width", "100%"), ("height", "100%"), ("fill", bg.as_str())] {
            let _ = rect.set_attribute(k, v);
        }
        let _ = copy.insert_before(&rect, copy.first_child().as_ref());
    }
    let _ = copy.set_attribute("width", "720");
    let _ = copy.set_attribute("height", "300");
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
        copy.outer_html()
    ))
}

/// Copy as Markdown, download SARIF or JSON. `name` is what the files are called after.
#[component]
pub fn FindingsExport(#[prop(into)] analysis: Signal<AnalysisState>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let fallback = RwSignal::new(None::<String>);
    let findings = move || {
        analysis.with(|a| match a {
            Some(Ok(a)) => Some((a.language, a.findings.clone())),
            _ => None,
        })
    };
    let file_name = move |lang: crate::analyzer::Language| format!("snippet.{}", lang.id());
    let copy_markdown = move |_| {
        let Some((lang, f)) = findings() else {
            status.set("Nothing to export yet.".into());
            return;
        };
        let md = report::markdown(&format!("Hazard Lab findings ({})", lang.name()), &f);
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        match clipboard {
            Some(c) => {
                let promise = c.write_text(&md);
                let md2 = md.clone();
                on_settled(promise, move |ok| {
                    if ok {
                        status.set(format!("Copied {} finding(s) as Markdown.", f.len()));
                        fallback.set(None);
                    } else {
                        status.set(
                            "The clipboard refused; select the text below and copy it.".into(),
                        );
                        fallback.set(Some(md2.clone()));
                    }
                });
            }
            None => fallback.set(Some(md)),
        }
    };
    let save = move |format: &'static str| {
        let Some((lang, f)) = findings() else {
            status.set("Nothing to export yet.".into());
            return;
        };
        let name = file_name(lang);
        let files = [(name.as_str(), f.as_slice())];
        let (value, ext, mime) = match format {
            "sarif" => (report::sarif(&files), "sarif", "application/sarif+json"),
            _ => (report::json(&files), "json", "application/json"),
        };
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        match download(&format!("hazard-lab-findings.{ext}"), mime, &text) {
            Ok(()) => status.set(format!("Downloaded hazard-lab-findings.{ext}.")),
            Err(e) => status.set(e),
        }
    };
    view! {
        <div class="exports" role="group" aria-label="Export the findings">
            <button type="button" id="export-markdown" on:click=copy_markdown>"Copy as Markdown"</button>
            <button type="button" id="export-sarif" on:click=move |_| save("sarif")>"Download SARIF"</button>
            <button type="button" id="export-json" on:click=move |_| save("json")>"Download JSON"</button>
            <span id="export-status" class="hint" role="status" aria-live="polite">{move || status.get()}</span>
        </div>
        {move || fallback.get().map(|md| view! {
            <textarea id="export-markdown-text" class="export-fallback" readonly aria-label="Findings as Markdown" prop:value=md></textarea>
        })}
    }
}

/// Runs `done(true)` when `promise` resolves and `done(false)` when it rejects.
fn on_settled(promise: js_sys::Promise, done: impl Fn(bool) + 'static) {
    let done = std::rc::Rc::new(done);
    let d2 = done.clone();
    let ok = wasm_bindgen::closure::Closure::once(move |_: wasm_bindgen::JsValue| done(true));
    let err = wasm_bindgen::closure::Closure::once(move |_: wasm_bindgen::JsValue| d2(false));
    let _ = promise.then2(&ok, &err);
    ok.forget();
    err.forget();
}
