//! Share and Embed: the current state as a link, an `<iframe>` snippet and a Markdown line.
//! The state is encoded by [`crate::share`]; this only shows it and puts it on the clipboard.

use crate::share::{self, LinkError, LinkState};
use leptos::prelude::*;

/// What the panel shows after a button press.
#[derive(Clone, Debug, PartialEq)]
enum Shown {
    Nothing,
    Link(String),
    Embed { iframe: String, markdown: String },
    Error(String),
}

fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        // The promise may be refused (no permission, insecure origin); the text stays
        // selectable in the field either way.
        let _ = w.navigator().clipboard().write_text(text);
    }
}

fn too_big_message(e: LinkError) -> String {
    match e {
        LinkError::TooBig => format!(
            "This snippet is too large for a link (links carry at most {} KB of state). Share a smaller part, the handler you care about.",
            share::MAX_STATE_BYTES / 1024
        ),
        other => other.to_string(),
    }
}

/// `base` (page URL without fragment) with `embed=1` in its query.
fn with_embed(base: &str) -> String {
    if base.contains('?') {
        format!("{base}&embed=1")
    } else {
        format!("{base}?embed=1")
    }
}

#[component]
pub fn SharePanel(
    /// The state to share, read when a button is pressed.
    state: Callback<(), LinkState>,
    /// The page URL without fragment and without `embed`.
    base_url: Callback<(), String>,
    /// Short title of what is shared, for the iframe's title and the Markdown link text.
    title: Signal<String>,
) -> impl IntoView {
    let shown = RwSignal::new(Shown::Nothing);
    let share_link = move |_| {
        match share::encode_checked(&state.run(())) {
            Ok(payload) => {
                let url = format!("{}#s={payload}", base_url.run(()));
                // Replace, not push: the address bar shows the link without a new history entry
                // (and without a hashchange, so nothing reloads).
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
                }
                copy_to_clipboard(&url);
                shown.set(Shown::Link(url));
            }
            Err(e) => shown.set(Shown::Error(too_big_message(e))),
        }
    };
    let embed = move |_| match share::encode_checked(&state.run(())) {
        Ok(payload) => {
            let src = format!("{}#s={payload}", with_embed(&base_url.run(())));
            let full = format!("{}#s={payload}", base_url.run(()));
            let t = title.get_untracked().replace('"', "'");
            let iframe = format!(
                "<iframe src=\"{src}\" width=\"700\" height=\"450\" title=\"Hazard Lab: {t}\" loading=\"lazy\"></iframe>"
            );
            let markdown = format!(
                "[▶ {} — open in Hazard Lab]({full})",
                t.replace(['[', ']'], "")
            );
            copy_to_clipboard(&iframe);
            shown.set(Shown::Embed { iframe, markdown });
        }
        Err(e) => shown.set(Shown::Error(too_big_message(e))),
    };
    let field = |id: &'static str, label: &'static str, text: String| {
        view! {
            <label class="share-field">
                {label}
                <textarea id=id readonly rows="2" on:focus=|ev| {
                    let ta: web_sys::HtmlTextAreaElement = event_target(&ev);
                    ta.select();
                }>{text}</textarea>
            </label>
        }
    };
    view! {
        <div class="share-panel">
            <button id="share" type="button" on:click=share_link>"Share"</button>
            <button id="embed-button" type="button" on:click=embed>"Embed"</button>
            <div class="share-output" role="status">
                {move || match shown.get() {
                    Shown::Nothing => ().into_any(),
                    Shown::Link(url) => view! {
                        {field("share-url", "Link (copied to the clipboard when allowed): ", url)}
                        <button type="button" class="share-close" on:click=move |_| shown.set(Shown::Nothing)>"Close"</button>
                    }.into_any(),
                    Shown::Embed { iframe, markdown } => view! {
                        {field("embed-code", "HTML for your docs page: ", iframe)}
                        {field("embed-markdown", "Markdown link: ", markdown)}
                        <button type="button" class="share-close" on:click=move |_| shown.set(Shown::Nothing)>"Close"</button>
                    }.into_any(),
                    Shown::Error(msg) => view! { <p id="share-error" class="share-error">{msg}</p> }.into_any(),
                }}
            </div>
        </div>
    }
}
