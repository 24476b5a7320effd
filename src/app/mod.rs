//! The browser UI (Leptos, client-side rendered). Components hold no analysis logic: they call
//! [`crate::analyzer`] and [`crate::sim`] and show the results. See `README.md` here.

mod analyzer_client;
mod chart;
mod editor;
mod explorer;
mod export;
mod findings;
mod flow;
mod gallery;
mod panic;
mod rule_page;
mod share_panel;
mod simulator;
mod storage;
mod swimlane;

use crate::analyzer::{Analysis, AnalyzeError, Finding, Language};
use crate::scenarios::{self, Scenario};
use crate::share::{self, LinkState};
use crate::sim::model::Params;
use analyzer_client::AnalyzerClient;
use editor::{select_lines, Editor, LineMark, Marks};
use findings::{AnalysisState, Findings, Status};
use gallery::{Gallery, Opened, ScenarioNote};
use gloo_timers::callback::Timeout;
use leptos::html;
use leptos::prelude::*;
use rule_page::RulePage;
use share_panel::SharePanel;
use simulator::Simulator;
use storage::Saved;
use wasm_bindgen::JsCast;

/// Analysis runs this long after the last keystroke.
const DEBOUNCE_MS: u32 = 150;

/// The value of the page's query parameter `name` (`Some("")` for a bare flag such as
/// `?bench`). Matches whole keys only: `?code=…` text that mentions a flag never sets it.
fn query_param(name: &str) -> Option<String> {
    let query = web_sys::window()?.location().search().ok()?;
    query
        .trim_start_matches('?')
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// Mounts the app (or the bench page with `?bench`) on `<body>`.
pub fn mount() {
    panic::install();
    if query_param("bench").is_some() {
        leptos::mount::mount_to_body(BenchPage);
        return;
    }
    leptos::mount::mount_to_body(App);
    if query_param("panic-test").is_some() {
        panic!("panic-test: a deliberate panic to check that errors are shown");
    }
}

/// `?bench`: only the benchmark results, as JSON.
#[component]
fn BenchPage() -> impl IntoView {
    let results = RwSignal::new(None::<String>);
    // Let the page paint first, then measure.
    set_timeout(
        move || {
            let now = || {
                web_sys::window()
                    .and_then(|w| w.performance())
                    .map_or(0.0, |p| p.now())
            };
            let mut rows = crate::bench::sim_rows(&now);
            // The animation's frame cost with 2,000 requests in flight, on a real canvas.
            let canvas = document()
                .create_element("canvas")
                .ok()
                .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok());
            if let (Some(c), Some(body)) = (canvas, document().body()) {
                c.set_width(700);
                c.set_height(240);
                let _ = body.append_child(&c);
                let (median, worst) = flow::bench_frames(&c, 2_000, &now);
                c.remove();
                for (name, v) in [
                    ("animation_frame_2000_in_flight_median", median),
                    ("animation_frame_2000_in_flight_worst", worst),
                ] {
                    rows.push(crate::bench::BenchRow {
                        name: name.into(),
                        value: v,
                        unit: "ms".into(),
                    });
                }
            }
            // The analyzer's figures come from its worker, where analysis runs.
            let client = AnalyzerClient::start(RwSignal::new(None));
            let keep = client.clone();
            client.bench(move |analyzer_rows| {
                let _keep = keep;
                let mut all = analyzer_rows;
                all.extend(rows);
                results.set(Some(
                    serde_json::to_string_pretty(&all)
                        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")),
                ));
            });
        },
        std::time::Duration::from_millis(0),
    );
    move || {
        results
            .get()
            .map(|r| view! { <pre id="bench-results">{r}</pre> })
    }
}

/// The finding the simulator shows: the one the person chose (by its **Simulate** button, or a
/// link's `hazard`), else the first with a model. A chosen hazard with no finding in the code
/// shows its model with default settings (`None` here).
fn sim_finding(findings: &[Finding], chosen: Option<(&'static str, usize)>) -> Option<Finding> {
    let has_model = |f: &&Finding| crate::sim::models::model_for(f.hazard).is_some();
    match chosen {
        Some((hazard, line)) => findings
            .iter()
            .filter(has_model)
            .find(|f| f.hazard == hazard && (line == 0 || f.span.start_line == line))
            .or_else(|| findings.iter().find(|f| f.hazard == hazard)),
        None => findings.iter().find(has_model),
    }
    .cloned()
}

fn language_of(state: &AnalysisState, choice: Option<Language>) -> Option<Language> {
    choice.or(match state {
        Some(Ok(a)) => Some(a.language),
        _ => None,
    })
}

/// A scenario's preset settings as the simulator's per-hazard overrides.
fn preset_params(sc: &Scenario) -> std::collections::BTreeMap<String, u64> {
    sc.preset
        .params
        .iter()
        .map(|(name, value)| (name.to_string(), *value))
        .collect()
}

/// The page's `location.search` and `location.hash`.
fn location_parts() -> (String, String) {
    let loc = web_sys::window().map(|w| w.location());
    let search = loc
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    let hash = loc.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    (search, hash)
}

/// The page's URL without the fragment and without the query keys a link sets (`code`,
/// `scenario` … and `embed`): the base a share link's `#s=` goes on.
fn page_url() -> String {
    const LINK_KEYS: [&str; 7] = [
        "code", "lang", "scenario", "hazard", "load", "seed", "embed",
    ];
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let base = format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    let search = loc.search().unwrap_or_default();
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !LINK_KEYS.contains(&p.split('=').next().unwrap_or("")))
        .collect();
    if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

#[component]
fn App() -> impl IntoView {
    let (search, hash) = location_parts();
    let link = share::read_location(&search, &hash);
    let mut saved = storage::load();
    let link_error = RwSignal::new(None::<String>);
    let link_opened = RwSignal::new(false);
    let mut link_scenario = None;
    let mut link_opened_scenario = None;
    let mut link_hazard = None;
    let mut embed = false;
    match link {
        Err(e) => link_error.set(Some(e.to_string())),
        Ok(None) => {}
        Ok(Some(state)) => {
            embed = state.embed;
            let scenario = state.scenario.as_deref().map(|id| {
                scenarios::by_id(id)
                    .ok_or_else(|| format!("The link names the scenario “{id}”, which this version does not have. Your saved work is unchanged."))
            });
            match scenario {
                Some(Err(msg)) => link_error.set(Some(msg)),
                _ => {
                    storage::back_up_before_link();
                    link_opened.set(true);
                    let scenario = scenario.and_then(Result::ok);
                    if let Some(lang) = &state.lang {
                        saved.language = if Language::from_id(lang).is_some() {
                            lang.clone()
                        } else {
                            "auto".into()
                        };
                    }
                    match (&state.code, &scenario) {
                        (Some(code), _) => saved.code = code.clone(),
                        (None, Some(sc)) => {
                            let lang =
                                gallery::language_for(sc, Language::from_id(&saved.language));
                            if let Some(sn) = sc.snippet(lang) {
                                saved.code = sn.naive.to_string();
                                saved.language = lang.id().to_string();
                                link_opened_scenario = Some(Opened {
                                    scenario: sc.clone(),
                                    language: lang,
                                    fixed: false,
                                });
                            }
                        }
                        _ => {}
                    }
                    // A scenario link opens at the scenario's preset; the link's own numbers win.
                    if let Some(sc) = &scenario {
                        saved.load = sc.preset.load;
                        saved.seed = sc.preset.seed;
                        saved
                            .params
                            .insert(sc.hazard.to_string(), preset_params(sc));
                    }
                    if let Some(l) = state.load {
                        saved.load = l.max(1);
                    }
                    if let Some(sd) = state.seed {
                        saved.seed = sd;
                    }
                    for (hazard, values) in state.params {
                        saved.params.insert(hazard, values);
                    }
                    saved = saved.sanitized();
                    link_hazard = state
                        .hazard
                        .as_deref()
                        .and_then(crate::sim::models::model_for)
                        .map(|m| m.info().hazard)
                        .or_else(|| scenario.as_ref().map(|s| s.hazard));
                    link_scenario = scenario;
                }
            }
        }
    }
    // A share link pasted into this tab's address bar only changes the fragment: load it
    // afresh, the same way a new tab would. (Share itself uses replaceState: no event.)
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let (_, hash) = location_parts();
        if hash.starts_with("#s=") {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    if embed {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().add_1("embed");
        }
    }
    let code = RwSignal::new(saved.code.clone());
    let lang_choice = RwSignal::new(saved.language_choice());
    let load = RwSignal::new(saved.load);
    let seed = RwSignal::new(saved.seed);
    let overrides = RwSignal::new(saved.params.clone());
    // (hazard, start line) of the finding whose "Simulate" button was pressed last.
    // Line 0: the first finding of that hazard (a link names a hazard, not a line).
    let chosen = RwSignal::new(link_hazard.map(|h| (h, 0usize)));
    let theme = RwSignal::new(saved.theme.clone());
    let analysis = RwSignal::new(None::<Result<Analysis, AnalyzeError>>);
    let client = AnalyzerClient::start(analysis);
    let (worker_state, worker_problem) = (client.state(), client.problem());
    let client = StoredValue::new_local(client);
    let scenario = RwSignal::new(link_scenario.unwrap_or_else(scenarios::first));
    let rule_open = RwSignal::new(None::<String>);
    let gallery_open = RwSignal::new(location_parts().1 == "#gallery" && !embed);
    let current = RwSignal::new(link_opened_scenario);
    rule_page::follow_hash(rule_open);
    let textarea: NodeRef<html::Textarea> = NodeRef::new();
    let timer = StoredValue::new_local(None::<Timeout>);

    // Whether the last save reached localStorage (a notice says so when it did not).
    let storage_ok = RwSignal::new(true);
    let persist = move || {
        let kept = storage::save(&Saved {
            code: code.get_untracked(),
            language: lang_choice
                .get_untracked()
                .map_or("auto", |l| l.id())
                .to_string(),
            load: load.get_untracked(),
            seed: seed.get_untracked(),
            params: overrides.get_untracked(),
            theme: theme.get_untracked(),
        });
        if storage_ok.get_untracked() != kept {
            storage_ok.set(kept);
        }
    };
    let run_now = move || {
        timer.update_value(|t| drop(t.take()));
        let lang = lang_choice.get_untracked();
        code.with_untracked(|c| client.with_value(|a| a.analyze(c, lang)));
        persist();
    };
    let schedule = move || {
        let t = Timeout::new(DEBOUNCE_MS, run_now);
        timer.set_value(Some(t));
    };
    run_now();
    // After the first request, so the panic replaces it in the worker's queue.
    if query_param("worker-panic-test").is_some() {
        client.with_value(AnalyzerClient::panic_test);
    }
    // Text typed within the debounce window is saved when the page goes away.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| persist());

    // Settings changes are saved at once.
    Effect::new(move |_| {
        load.track();
        seed.track();
        overrides.track();
        theme.track();
        persist();
    });

    // The theme: an explicit choice sets data-theme on <html>; otherwise CSS follows the system.
    let system_dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    let dark = Memo::new(move |_| match theme.get().as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => system_dark,
    });
    Effect::new(move |_| {
        let t = theme.get();
        if let Some(root) = document().document_element() {
            let _ = match t {
                Some(t) => root.set_attribute("data-theme", &t),
                None => root.remove_attribute("data-theme"),
            };
        }
    });

    // The language used for colouring: the override, else what the last successful analysis
    // found, else the previous value (no detection here: it would run on every keystroke).
    let language = Memo::new(move |prev: Option<&Language>| {
        let choice = lang_choice.get();
        analysis
            .with(|a| language_of(a, choice))
            .or(prev.copied())
            .unwrap_or(Language::Python)
    });
    let marks = Memo::new(move |_| {
        let mut marks = Marks::new();
        if let Some(Ok(a)) = analysis.get() {
            for f in &a.findings {
                let lines: Vec<usize> = if f.evidence.is_empty() {
                    vec![f.span.start_line]
                } else {
                    f.evidence.iter().map(|e| e.line).collect()
                };
                for line in lines {
                    marks.entry(line).or_insert_with(|| LineMark {
                        hazard: f.hazard.to_string(),
                        note: f.message.clone(),
                    });
                }
            }
        }
        marks
    });
    let sim_target = Memo::new(move |_| match analysis.get() {
        Some(Ok(a)) => sim_finding(&a.findings, chosen.get()),
        _ => None,
    });
    let sim_hazard = Signal::derive(move || {
        sim_target
            .with(|f| f.as_ref().map(|f| f.hazard))
            .or_else(|| chosen.get().map(|c| c.0))
            .unwrap_or_else(|| scenario.with(|s| s.hazard))
    });
    let from_code = Signal::derive(move || {
        sim_target.with(|f| match f {
            Some(f) => simulator::model_of(f.hazard).params_from_finding(f),
            None => Params::default(),
        })
    });
    let evidence = Signal::derive(move || {
        sim_target.with(|f| f.as_ref().map(|f| f.evidence.clone()).unwrap_or_default())
    });
    let sim_source = Signal::derive(move || match sim_target.get() {
        Some(f) => {
            let m = simulator::model_of(f.hazard);
            // The settings the code stated: the same `from_code` the simulator is fed.
            let stated: Vec<String> = from_code
                .get()
                .0
                .iter()
                .filter_map(|(k, v)| {
                    m.info()
                        .params
                        .iter()
                        .find(|p| p.name == k)
                        .map(|p| format!("{} {} {}", p.label.to_lowercase(), v, p.unit))
                })
                .collect();
            let chosen_here = overrides.with(|o| o.get(f.hazard).is_some_and(|p| !p.is_empty()));
            let from = match (stated.is_empty(), chosen_here) {
                (true, false) => {
                    String::from(" The settings are the model's defaults; change them below.")
                }
                (true, true) => String::from(
                    " Some settings were chosen here (by you or a scenario); see them below.",
                ),
                (false, false) => format!(" From your code: {}.", stated.join(", ")),
                (false, true) => format!(
                    " From your code: {}; settings chosen here (by you or a scenario) win.",
                    stated.join(", ")
                ),
            };
            format!(
                "Simulating your code's {} ({}).{}",
                f.hazard,
                findings::line_range(f.span.start_line, f.span.end_line),
                from
            )
        }
        None => {
            match chosen.get() {
                Some((hazard, _)) => {
                    format!("No {hazard} finding in the editor: the model runs with its default settings.")
                }
                None => {
                    let title = scenario.with(|s| s.title);
                    format!("No finding with a simulation in the editor; showing the scenario “{title}”.")
                }
            }
        }
    });
    let on_simulate = Callback::new(move |i: usize| {
        let target = analysis.with_untracked(|a| match a {
            Some(Ok(a)) => a.findings.get(i).map(|f| (f.hazard, f.span.start_line)),
            _ => None,
        });
        chosen.set(target);
        if let Some(sim) = document().get_element_by_id("sim") {
            sim.scroll_into_view();
        }
    });

    let set_code = move |text: String| {
        if let Some(ta) = textarea.get_untracked() {
            ta.set_value(&text);
        }
        code.set(text);
        run_now();
    };
    let open_scenario = Callback::new(move |o: Opened| {
        let sc = &o.scenario;
        let Some(sn) = sc.snippet(o.language) else {
            return;
        };
        lang_choice.set(Some(o.language));
        load.set(sc.preset.load);
        seed.set(sc.preset.seed);
        overrides.update(|all| {
            all.insert(sc.hazard.to_string(), preset_params(sc));
        });
        chosen.set(Some((sc.hazard, 0)));
        set_code(if o.fixed { sn.fixed } else { sn.naive }.to_string());
        scenario.set(sc.clone());
        current.set(Some(o));
        gallery_open.set(false);
        // Keyboard users land on the story they opened (once it is drawn).
        request_animation_frame(|| {
            if let Some(h) = document()
                .get_element_by_id("scenario-note-title")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = h.focus();
            }
        });
    });
    let on_select = Callback::new(move |(start, end): (usize, usize)| {
        if let Some(ta) = textarea.get_untracked() {
            select_lines(&ta, start, end);
        }
    });

    let share_state = Callback::new(move |()| LinkState {
        code: Some(code.get_untracked()),
        lang: lang_choice.get_untracked().map(|l| l.id().to_string()),
        scenario: None,
        hazard: Some(sim_hazard.get_untracked().to_string()),
        load: Some(load.get_untracked()),
        seed: Some(seed.get_untracked()),
        params: overrides.get_untracked(),
        embed: false,
    });
    let share_title = Signal::derive(move || format!("{} in your code", sim_hazard.get()));
    let restore = move |_| {
        if let Some(before) = storage::before_link() {
            lang_choice.set(before.language_choice());
            load.set(before.load);
            seed.set(before.seed);
            overrides.set(before.params.clone());
            set_code(before.code);
        }
        link_opened.set(false);
    };
    let open_full = move |ev: leptos::ev::MouseEvent| {
        // The full view of what is on screen now, not of the link the embed was opened with.
        let target: web_sys::HtmlAnchorElement = event_target(&ev);
        if let Ok(payload) = share::encode_checked(&share_state.run(())) {
            target.set_href(&format!("{}#s={payload}", page_url()));
        }
    };

    view! {
        <Show when=move || embed>
            <div class="embed-bar">
                <span class="embed-brand">"Hazard Lab"</span>
                <a id="open-full" href=page_url() target="_blank" rel="noopener" on:click=open_full>
                    "Open in Hazard Lab ↗"
                </a>
            </div>
        </Show>
        <div class="link-notices">
            <Show when=move || !storage_ok.get()>
                <div id="storage-notice" class="link-error" role="status">
                    <p>"This browser is not keeping your work (its storage is full or turned off, or this is a private window). Everything works, but a reload will lose what you typed: use Share to keep a link."</p>
                </div>
            </Show>
            {move || link_error.get().map(|msg| view! {
                <div id="link-error" class="link-error" role="alert">
                    <p>{msg}</p>
                    <button type="button" on:click=move |_| link_error.set(None)>"Dismiss"</button>
                </div>
            })}
            <Show when=move || link_opened.get() && !embed && storage::before_link().is_some()>
                <div id="link-opened" class="link-opened" role="status">
                    <p>"You opened a shared link. Your previous work was kept aside."</p>
                    <button id="restore-saved" type="button" on:click=restore>"Restore my previous work"</button>
                    <button type="button" on:click=move |_| link_opened.set(false)>"Dismiss"</button>
                </div>
            </Show>
        </div>
        <header class="site-header">
            <div class="brand">
                <h1>"Hazard Lab"</h1>
                <p class="tagline">"Paste code, see which lines break under concurrency, and watch them fail in a simulation. Nothing leaves your browser."</p>
            </div>
            <div class="header-controls">
                <button
                    id="gallery-button"
                    type="button"
                    aria-expanded=move || if gallery_open.get() { "true" } else { "false" }
                    aria-controls="gallery"
                    on:click=move |_| gallery_open.update(|o| *o = !*o)
                >
                    {format!("Scenario gallery ({})", scenarios::all().len())}
                </button>
                <label class="field">
                    "Language "
                    <select
                        id="language"
                        on:change=move |ev| {
                            lang_choice.set(Language::from_id(&event_target_value(&ev)));
                            run_now();
                        }
                    >
                        <option value="auto" selected=move || lang_choice.get().is_none()>"Detect"</option>
                        {Language::ALL
                            .iter()
                            .map(|&l| view! {
                                <option value=l.id() selected=move || lang_choice.get() == Some(l)>{l.name()}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <SharePanel
                    state=share_state
                    base_url=Callback::new(move |()| page_url())
                    title=share_title
                />
                <button
                    id="theme-toggle"
                    type="button"
                    aria-pressed=move || if dark.get() { "true" } else { "false" }
                    on:click=move |_| theme.set(Some(if dark.get_untracked() { "light" } else { "dark" }.to_string()))
                >
                    {move || if dark.get() { "Light theme" } else { "Dark theme" }}
                </button>
            </div>
        </header>
        <RulePage open=rule_open/>
        <Gallery open=gallery_open on_open=open_scenario/>
        <ScenarioNote current=current on_open=open_scenario/>
        <main class="layout">
            <section class="panel editor-panel" aria-labelledby="editor-title">
                <div class="panel-head">
                    <h2 id="editor-title">"Code"</h2>
                    <span class="hint">"Analysed as you type · Ctrl+Enter to re-run"</span>
                </div>
                <Editor
                    code=code
                    language=language
                    marks=marks
                    on_edit=Callback::new(move |()| schedule())
                    on_run_now=Callback::new(move |()| run_now())
                    textarea=textarea
                />
            </section>
            <section class="panel findings-panel" aria-labelledby="findings-title">
                <div class="panel-head">
                    <h2 id="findings-title">"Findings"</h2>
                    <export::FindingsExport analysis=analysis/>
                </div>
                <Status analysis=analysis worker=worker_state problem=worker_problem/>
                <Findings analysis=analysis on_select=on_select on_simulate=on_simulate/>
            </section>
            <Simulator
                hazard=sim_hazard
                from_code=from_code
                overrides=overrides
                load=load
                seed=seed
                evidence=evidence
                source=sim_source
                theme=dark
            />
        </main>
        <footer class="site-footer">
            <p>"The pasted code is never run or uploaded: it is parsed in this page, and the simulation is a model of the pattern it contains."</p>
        </footer>
    }
}
