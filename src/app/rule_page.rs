//! A page per rule: its documentation (what, why at scale, example, fix), opened from a
//! finding's "About this rule" link or directly at `#rule=<id>`.

use crate::analyzer::rules;
use leptos::prelude::*;

/// The rule id in `location.hash` (`#rule=check-then-act`), if any.
pub fn rule_from_hash() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let id = hash.strip_prefix("#rule=")?;
    rules::doc(id).map(|d| d.id.to_string())
}

/// Keeps `open` in step with the URL hash, so Back closes the page and links can be shared.
pub fn follow_hash(open: RwSignal<Option<String>>) {
    open.set(rule_from_hash());
    let _ = window_event_listener(leptos::ev::hashchange, move |_| open.set(rule_from_hash()));
}

fn close() {
    if let Some(w) = web_sys::window() {
        // Clearing the hash fires `hashchange`, which closes the page.
        let _ = w.location().set_hash("");
    }
}

#[component]
pub fn RulePage(open: RwSignal<Option<String>>) -> impl IntoView {
    let doc = Memo::new(move |_| open.get().and_then(|id| rules::doc(&id)));
    view! {
        <Show when=move || doc.get().is_some()>
            {move || {
                doc.get()
                    .map(|d| {
                        view! {
                            <section id="rule-page" class="panel rule-page" aria-labelledby="rule-title">
                                <div class="panel-head">
                                    <h2 id="rule-title">
                                        <code>{d.id}</code>
                                        " · "
                                        {d.title}
                                    </h2>
                                    <button type="button" id="rule-close" on:click=move |_| close()>
                                        "Close"
                                    </button>
                                </div>
                                <h3>"What it does"</h3>
                                <p>{d.what_it_does}</p>
                                <h3>"Why is this bad at scale"</h3>
                                <p>{d.why_bad_at_scale}</p>
                                <h3>"Example"</h3>
                                <pre class="rule-code">{d.example}</pre>
                                <h3>"Use instead"</h3>
                                <pre class="rule-code">{d.use_instead}</pre>
                                <h3>"Languages"</h3>
                                <p>{d.languages.join(", ")}</p>
                            </section>
                        }
                    })
            }}
        </Show>
    }
}
