//! The scenario gallery (filter by hazard and language, open one in the editor) and the note
//! that tells the open scenario's story above the editor. The stories and code live in
//! [`crate::scenarios`]; this file only shows them.

use crate::analyzer::{rules, Language};
use crate::scenarios::{self, Scenario};
use leptos::prelude::*;

/// A scenario opened in one language, naive or fixed.
#[derive(Clone, Debug)]
pub struct Opened {
    pub scenario: Scenario,
    pub language: Language,
    pub fixed: bool,
}

/// The language a scenario opens in: the one asked for when the scenario has it, else its
/// main language.
pub fn language_for(sc: &Scenario, wanted: Option<Language>) -> Language {
    wanted
        .filter(|l| sc.snippet(*l).is_some())
        .or_else(|| sc.snippets.first().map(|s| s.language))
        .unwrap_or(Language::Python)
}

#[component]
pub fn Gallery(open: RwSignal<bool>, on_open: Callback<Opened>) -> impl IntoView {
    let all = scenarios::all();
    let total = all.len();
    let hazard = RwSignal::new(String::from("all"));
    let language = RwSignal::new(String::from("all"));
    let hazards: Vec<&'static str> = rules::docs().iter().map(|d| d.id).collect();
    let languages: Vec<Language> = Language::ALL
        .iter()
        .copied()
        .filter(|l| all.iter().any(|s| s.snippet(*l).is_some()))
        .collect();
    let shown = {
        let all = all.clone();
        Memo::new(move |_| {
            let (h, l) = (hazard.get(), language.get());
            all.iter()
                .filter(|s| h == "all" || s.hazard == h)
                .filter(|s| l == "all" || s.languages().any(|x| x.id() == l))
                .map(|s| s.id)
                .collect::<Vec<_>>()
        })
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
            if let Some(b) = document().get_element_by_id("gallery-button") {
                if let Ok(b) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b) {
                    let _ = b.focus();
                }
            }
        }
    };
    let cards = all
        .into_iter()
        .map(|sc| {
            let id = sc.id;
            let visible = move || shown.with(|s| s.contains(&id));
            let buttons = sc
                .snippets
                .iter()
                .map(|sn| {
                    let lang = sn.language;
                    let sc = sc.clone();
                    let label = format!("Open “{}” in {}", sc.title, lang.name());
                    view! {
                        <button type="button" class="open-scenario" data-scenario=sc.id data-lang=lang.id()
                            aria-label=label
                            on:click=move |_| on_open.run(Opened { scenario: sc.clone(), language: lang, fixed: false })>
                            {lang.name()}
                        </button>
                    }
                })
                .collect_view();
            let heading = format!("scenario-{}", sc.id);
            let labelled_by = heading.clone();
            view! {
                <li class="scenario-card" data-scenario=sc.id data-hazard=sc.hazard hidden=move || !visible()
                    aria-labelledby=labelled_by>
                    <h3 id=heading>{sc.title}</h3>
                    <p class="card-hazard"><code>{sc.hazard}</code></p>
                    <p class="card-story">{sc.story}</p>
                    <p class="card-lesson"><strong>"Lesson: "</strong>{sc.lesson}</p>
                    <div class="card-actions" role="group" aria-label="Open in">
                        <span class="card-open">"Open in "</span>
                        {buttons}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="gallery" class="panel gallery" aria-labelledby="gallery-title"
            hidden=move || !open.get() on:keydown=close_on_escape>
                <div class="panel-head">
                    <h2 id="gallery-title">"Scenario gallery"</h2>
                    <button type="button" id="gallery-close" on:click=move |_| open.set(false)>"Close"</button>
                </div>
                <p class="gallery-intro">
                    "Stories of code that worked in the demo and failed at scale. Open one: the editor gets its code, the analyzer marks the lines, and the simulator starts at the load where it broke."
                </p>
                <div class="gallery-filters">
                    <label class="field">
                        "Hazard "
                        <select id="gallery-hazard" on:change=move |ev| hazard.set(event_target_value(&ev))>
                            <option value="all">"All hazards"</option>
                            {hazards.iter().map(|h| view! { <option value=*h>{*h}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        "Language "
                        <select id="gallery-language" on:change=move |ev| language.set(event_target_value(&ev))>
                            <option value="all">"All languages"</option>
                            {languages.iter().map(|l| view! { <option value=l.id()>{l.name()}</option> }).collect_view()}
                        </select>
                    </label>
                    <p id="gallery-count" role="status" aria-live="polite">
                        {move || format!("{} of {total} scenarios", shown.with(Vec::len))}
                    </p>
                </div>
                <ul class="scenario-cards">{cards}</ul>
        </section>
    }
}

/// The open scenario's story and lesson above the editor, with a switch between the naive
/// and the fixed code and between its languages.
#[component]
pub fn ScenarioNote(current: RwSignal<Option<Opened>>, on_open: Callback<Opened>) -> impl IntoView {
    move || {
        current.get().map(|o| {
            let Opened { scenario: sc, language, fixed } = o;
            let other = {
                let sc = sc.clone();
                move |_| on_open.run(Opened { scenario: sc.clone(), language, fixed: !fixed })
            };
            let langs = sc
                .snippets
                .iter()
                .filter(|sn| sn.language != language)
                .map(|sn| {
                    let (sc, lang) = (sc.clone(), sn.language);
                    view! {
                        <button type="button" class="scenario-lang" data-lang=lang.id()
                            on:click=move |_| on_open.run(Opened { scenario: sc.clone(), language: lang, fixed })>
                            {format!("In {}", lang.name())}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <section id="scenario-note" class="scenario-note" aria-labelledby="scenario-note-title"
                    data-scenario=sc.id data-variant=if fixed { "fixed" } else { "naive" }>
                    <h2 id="scenario-note-title" tabindex="-1">
                        {sc.title}
                        <span class="variant-tag">{if fixed { " · fixed code" } else { " · naive code" }}</span>
                    </h2>
                    <p>{sc.story}</p>
                    <p class="card-lesson"><strong>"Lesson: "</strong>{sc.lesson}</p>
                    <div class="scenario-actions">
                        <button type="button" id="scenario-variant" on:click=other>
                            {if fixed { "Show the naive code" } else { "Show the fixed code" }}
                        </button>
                        {langs}
                        <button type="button" id="scenario-close" on:click=move |_| current.set(None)>"Hide the story"</button>
                    </div>
                </section>
            }
        })
    }
}
