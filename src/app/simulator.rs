//! The simulator panel for any hazard: controls (play, step, timeline, load, speed, seed and
//! the model's own settings), the naive and fixed runs side by side as animations with live
//! counters, a plain-language summary and a metrics table (the text alternative), then the
//! load-sweep chart and table, and for check-then-act the swimlane of two requests.
//! All numbers come from `sim::models`; this file only shows them.

use super::chart::{short_number, SweepChart, SweepTable};
use super::explorer::{explores, Explorer};
use super::flow::{draw, Flow, Palette};
use super::swimlane::Swimlane;
use crate::analyzer::Evidence;
use crate::sim::model::{self, Model, ModelInfo, ModelSweep, Outcome, Params, Run, Settings};
use crate::sim::models;
use crate::sim::Variant;
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// At 1× a whole run plays in this many real milliseconds, whatever its virtual length
/// (a 45 s task and a 300 ms ticket rush both read in seconds).
const PLAYBACK_MS: f64 = 8_000.0;

/// The model for a hazard id; check-then-act when there is none (the UI never offers one).
pub fn model_of(hazard: &str) -> &'static dyn Model {
    models::model_for(hazard)
        .or_else(|| models::model_for("check-then-act"))
        .unwrap_or(models::ALL[0])
}

/// The load the panel opens at: `wanted` when the model accepts it (1 to `max_load`), else
/// the level five-eighths along the sweep (50 of 1…200 for the ticket sale).
pub fn load_for(info: &ModelInfo, wanted: u64) -> u64 {
    // A level of the sweep, or any load the model accepts (a scenario's preset, a link's
    // `load=`): both are kept. Only an impossible one falls back to a middle level.
    if info.loads.contains(&wanted) || (1..=info.max_load).contains(&wanted) {
        return wanted;
    }
    let i = (info.loads.len() * 5 / 8).min(info.loads.len().saturating_sub(1));
    info.loads.get(i).copied().unwrap_or(1)
}

fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Whether the visitor asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

#[derive(Clone, Copy)]
struct Clock {
    t: RwSignal<f64>,
    playing: RwSignal<bool>,
    speed: RwSignal<u32>,
    end: Memo<f64>,
    generation: StoredValue<u32>,
}

/// Advances the virtual clock once per animation frame while playing.
fn run_frames(clock: Clock, gen: u32, prev: f64) {
    request_animation_frame(move || {
        let current = clock.generation.try_get_value();
        if current != Some(gen) || !clock.playing.try_get_untracked().unwrap_or(false) {
            return;
        }
        let now = perf_now();
        let end = clock.end.get_untracked().max(1.0);
        let factor = clock.speed.get_untracked() as f64 / 10.0;
        let dt = (now - prev).min(100.0) * end / PLAYBACK_MS * factor;
        let next = (clock.t.get_untracked() + dt).min(end);
        clock.t.set(next);
        if next >= end {
            clock.playing.set(false);
        } else {
            run_frames(clock, gen, now);
        }
    });
}

/// A numeric setting. `on_commit` gets the trimmed text and says whether it was accepted; a
/// rejected value is replaced by the last good one.
#[component]
pub fn NumberInput(
    #[prop(into)] id: String,
    min: u64,
    max: Option<u64>,
    step: u64,
    value: Signal<String>,
    on_commit: Callback<String, bool>,
) -> impl IntoView {
    view! {
        <input
            id=id
            type="number"
            min=min.to_string()
            max=max.map(|m| m.to_string())
            step=step.to_string()
            inputmode="numeric"
            prop:value=move || value.get()
            on:change=move |ev| {
                if !on_commit.run(event_target_value(&ev).trim().to_string()) {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    input.set_value(&value.get_untracked());
                }
            }
        />
    }
}

/// Virtual time as a short duration: "850 ms", "12.4 s", "3.5 h", "12 d".
fn duration(us: f64) -> String {
    let s = us / 1e6;
    if s < 1.0 {
        format!("{:.0} ms", us / 1000.0)
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7_200.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} d", s / 86_400.0)
    }
}

/// User-set values of one model's settings, keyed by hazard id.
pub type Overrides = BTreeMap<String, BTreeMap<String, u64>>;

#[component]
pub fn Simulator(
    /// The hazard being simulated (a catalog id with a model).
    #[prop(into)]
    hazard: Signal<&'static str>,
    /// Settings found in the code (from the finding); empty for a scenario default.
    #[prop(into)]
    from_code: Signal<Params>,
    /// Settings the person typed, per hazard; they win over the code's.
    overrides: RwSignal<Overrides>,
    load: RwSignal<u64>,
    seed: RwSignal<u64>,
    /// Evidence lines of the finding (the swimlane names them).
    #[prop(into)]
    evidence: Signal<Vec<Evidence>>,
    /// What the simulation models, in words.
    #[prop(into)]
    source: Signal<String>,
    /// Bumped when the theme changes, so the canvases redraw with the new colours.
    #[prop(into)]
    theme: Signal<bool>,
) -> impl IntoView {
    let reduced = prefers_reduced_motion();
    let info = Memo::new(move |_| *model_of(hazard.get()).info());
    let given = Memo::new(move |_| {
        let mut p = from_code.get();
        let h = hazard.get();
        overrides.with(|o| {
            if let Some(user) = o.get(h) {
                p.0.extend(user.iter().map(|(k, v)| (k.clone(), *v)));
            }
        });
        p
    });
    let resolved = Memo::new(move |_| {
        let i = info.get();
        given.with(|g| Settings::resolve(model_of(i.hazard).info(), g))
    });
    let settings = Memo::new(move |_| resolved.with(|r| r.0.clone()));
    let cur_load = Memo::new(move |_| info.with(|i| load_for(i, load.get())));
    let runs = Memo::new(move |_| {
        let m = model_of(hazard.get());
        let (n, sd) = (cur_load.get(), seed.get());
        settings.with(|s| {
            (
                m.run(s, Variant::Naive, n, sd, true),
                m.run(s, Variant::Fixed, n, sd, true),
            )
        })
    });
    let flows = Memo::new(move |_| {
        let m = model_of(hazard.get());
        let (stages, label) = (m.info().stages, m.series_label());
        runs.with(|(n, f)| (Flow::new(n, stages, label), Flow::new(f, stages, label)))
    });
    let end = Memo::new(move |_| flows.with(|(n, f)| n.end.max(f.end)));
    let sweep_result: Memo<ModelSweep> = Memo::new(move |_| {
        let m = model_of(hazard.get());
        let sd = seed.get();
        given.with(|g| model::sweep(m, g, sd, &[]))
    });
    let summary = Memo::new(move |_| {
        let m = model_of(hazard.get());
        let n = cur_load.get();
        runs.with(|(a, b)| settings.with(|s| m.summary(s, n, &a.outcome, &b.outcome)))
    });

    let clock = Clock {
        t: RwSignal::new(0.0),
        playing: RwSignal::new(false),
        speed: RwSignal::new(10),
        end,
        generation: StoredValue::new(0),
    };
    let Clock {
        t, playing, speed, ..
    } = clock;

    // A new run starts from the beginning (or at the end, without motion).
    Effect::new(move |_| {
        let e = end.get();
        playing.set(false);
        t.set(if reduced { e } else { 0.0 });
    });

    let naive_canvas: NodeRef<html::Canvas> = NodeRef::new();
    let fixed_canvas: NodeRef<html::Canvas> = NodeRef::new();
    let palette = Memo::new(move |_| {
        theme.track();
        naive_canvas.get().map(|c| {
            let el: &web_sys::Element = &c;
            Palette::read(el)
        })
    });
    Effect::new(move |_| {
        let now = t.get();
        let Some(pal) = palette.get() else {
            return;
        };
        flows.with(|(n, f)| {
            if let Some(c) = naive_canvas.get() {
                draw(&c, n, &pal, now);
            }
            if let Some(c) = fixed_canvas.get() {
                draw(&c, f, &pal, now);
            }
        });
    });

    let toggle_play = move |_| {
        if playing.get_untracked() {
            playing.set(false);
            return;
        }
        let e = end.get_untracked();
        if reduced {
            t.set(e);
            return;
        }
        if t.get_untracked() >= e {
            t.set(0.0);
        }
        playing.set(true);
        let gen = clock.generation.get_value().wrapping_add(1);
        clock.generation.set_value(gen);
        run_frames(clock, gen, perf_now());
    };
    let step = move |_| {
        playing.set(false);
        let now = t.get_untracked();
        let next = flows.with_untracked(|(n, f)| match (n.next_event(now), f.next_event(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        });
        t.set(next.unwrap_or_else(|| end.get_untracked()));
    };
    let reset = move |_| {
        playing.set(false);
        t.set(0.0);
    };

    let counter = move |variant: Variant| {
        let get = move |f: fn(&Flow, f64) -> usize| {
            move || {
                let now = t.get();
                flows.with(|(n, fx)| f(if variant == Variant::Naive { n } else { fx }, now))
            }
        };
        let id = variant.as_str();
        view! {
            <div class="counters" aria-hidden="true">
                <span class="counter bad">
                    <output id=format!("{id}-bad-count")>{get(Flow::bad)}</output>
                    " went wrong"
                </span>
                <span class="counter ok">
                    <output id=format!("{id}-ok-count")>{get(Flow::ok)}</output>
                    " served"
                </span>
                <span class="counter retry">
                    <output id=format!("{id}-rejected-count")>{get(Flow::rejected)}</output>
                    " refused"
                </span>
                <span class="counter busy">
                    <output id=format!("{id}-flight-count")>{get(Flow::in_flight)}</output>
                    " in flight"
                </span>
            </div>
        }
    };

    let metrics_table = move || {
        let i = info.get();
        runs.with(|(n, f)| {
            let row = |variant: Variant, o: &Outcome| {
                let cells = o
                    .metrics
                    .iter()
                    .map(|m| view! { <td>{format!("{} {}", m.value, m.unit)}</td> })
                    .collect_view();
                let share = if o.out_of > 0 {
                    format!("{} of {}", o.failures, o.out_of)
                } else {
                    o.failures.to_string()
                };
                view! {
                    <tr data-variant=variant.as_str()>
                        <th scope="row">{variant.as_str()}</th>
                        <td class="failures">{share}</td>
                        {cells}
                    </tr>
                }
            };
            let heads = n
                .outcome
                .metrics
                .iter()
                .map(|m| view! { <th scope="col">{m.name}</th> })
                .collect_view();
            view! {
                <thead>
                    <tr><th scope="col">"Version"</th><th scope="col">{i.metric}</th>{heads}</tr>
                </thead>
                <tbody>{row(Variant::Naive, &n.outcome)}{row(Variant::Fixed, &f.outcome)}</tbody>
            }
        })
    };

    let set_param = move |name: &'static str, text: String| -> bool {
        let Ok(v) = text.parse::<u64>() else {
            return false;
        };
        let i = info.get_untracked();
        let Some(spec) = i.params.iter().find(|p| p.name == name) else {
            return false;
        };
        overrides.update(|o| {
            o.entry(i.hazard.to_string())
                .or_default()
                .insert(name.to_string(), v.clamp(spec.min, spec.max));
        });
        true
    };
    let param_inputs = move || {
        info.get()
            .params
            .iter()
            .map(|p| {
                let name = p.name;
                view! {
                    <label class="param" title=format!("{} ({}–{} {})", p.label, p.min, p.max, p.unit)>
                        {format!("{} ({}) ", p.label, p.unit)}
                        <NumberInput
                            id=format!("param-{}", name.replace('_', "-"))
                            min=p.min
                            max=Some(p.max)
                            step=1
                            value=Signal::derive(move || settings.with(|s| s.get(name).to_string()))
                            on_commit=Callback::new(move |t: String| set_param(name, t))
                        />
                    </label>
                }
            })
            .collect_view()
    };
    let notices = move || resolved.with(|r| r.1.clone());
    let params_open = RwSignal::new(false);
    let race_trace = Signal::derive(move || {
        if hazard.get() != "check-then-act" {
            return Vec::new();
        }
        let rs = settings.with(|s| models::check_then_act::race_settings(s, seed.get()));
        crate::sim::race::run_level(&rs, Variant::Naive, cur_load.get() as u32).trace
    });
    let load_sig = Signal::derive(move || cur_load.get());
    let run_fp = move |r: &Run| format!("{:016x}", r.fingerprint());

    view! {
        <section id="sim" class="panel sim" aria-labelledby="sim-title" data-hazard=move || hazard.get()>
            <h2 id="sim-title">{move || format!("Simulation: {}", info.get().title)}</h2>
            <p class="sim-source">{move || source.get()}</p>
            <div class="controls" role="group" aria-label="Simulation controls">
                <button
                    id="play"
                    type="button"
                    aria-pressed=move || if playing.get() { "true" } else { "false" }
                    on:click=toggle_play
                >
                    {move || if playing.get() { "Pause" } else if reduced { "Show result" } else { "Play" }}
                </button>
                <button id="step" type="button" on:click=step>"Step"</button>
                <button id="reset" type="button" on:click=reset>"Restart"</button>
                <label>
                    "Load "
                    <select
                        id="load"
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<u64>() {
                                load.set(n);
                            }
                        }
                    >
                        {move || {
                            let i = info.get();
                            // The sweep's levels, plus the current load when it is not one.
                            let mut levels = i.loads.to_vec();
                            let now = cur_load.get();
                            if !levels.contains(&now) {
                                levels.push(now);
                                levels.sort_unstable();
                            }
                            levels
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <option value=n.to_string() selected=move || cur_load.get() == n>
                                            {format!("{} {}", short_number(n), i.load_label)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "Speed "
                    <input
                        id="speed"
                        type="range"
                        min="1"
                        max="100"
                        step="1"
                        prop:value=move || speed.get().to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                                speed.set(v.clamp(1, 100));
                            }
                        }
                    />
                    <output class="speed-value">{move || format!("{:.1}×", speed.get() as f64 / 10.0)}</output>
                </label>
                <label>
                    "Seed "
                    <NumberInput
                        id="seed"
                        min=0
                        max=None
                        step=1
                        value=Signal::derive(move || seed.get().to_string())
                        on_commit=Callback::new(move |t: String| t.parse::<u64>().map(|v| seed.set(v)).is_ok())
                    />
                </label>
            </div>
            <div class="timeline">
                <label for="timeline">"Timeline"</label>
                <input
                    id="timeline"
                    type="range"
                    min="0"
                    max="1000"
                    step="1"
                    aria-valuetext=move || duration(t.get())
                    prop:value=move || {
                        let e = end.get().max(1.0);
                        ((t.get() / e) * 1000.0).round().to_string()
                    }
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            playing.set(false);
                            t.set(end.get_untracked() * v.clamp(0.0, 1000.0) / 1000.0);
                        }
                    }
                />
                <output class="sim-time">{move || format!("{} / {}", duration(t.get()), duration(end.get()))}</output>
            </div>
            // A toggled div, not <details>: Chromium 156 spends minutes re-laying out a large
            // textarea edit while a closed <details> holds form controls.
            <div class="params">
                <button
                    id="params-toggle"
                    type="button"
                    aria-expanded=move || if params_open.get() { "true" } else { "false" }
                    aria-controls="param-grid"
                    on:click=move |_| params_open.update(|o| *o = !*o)
                >
                    {move || if params_open.get() { "Hide the model's settings" } else { "Settings of this model…" }}
                </button>
                <Show when=move || params_open.get()>
                    <div id="param-grid" class="param-grid">{param_inputs}</div>
                    <button
                        id="reset-params"
                        type="button"
                        on:click=move |_| overrides.update(|o| {
                            o.remove(hazard.get_untracked());
                        })
                    >
                        "Use the values from the code"
                    </button>
                </Show>
            </div>
            <ul class="notices">
                {move || notices().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <div class="lanes">
                <figure class="sim-view naive">
                    <figcaption>{move || format!("Naive: {}", info.get().naive_label)}</figcaption>
                    <canvas id="canvas-naive" node_ref=naive_canvas role="img"
                        data-fingerprint=move || runs.with(|(n, _)| run_fp(n))
                        aria-label=move || format!("Requests of the naive version ({}) moving through the system", info.get().naive_label)></canvas>
                    {counter(Variant::Naive)}
                </figure>
                <figure class="sim-view fixed">
                    <figcaption>{move || format!("Fixed: {}", info.get().fixed_label)}</figcaption>
                    <canvas id="canvas-fixed" node_ref=fixed_canvas role="img"
                        data-fingerprint=move || runs.with(|(_, f)| run_fp(f))
                        aria-label=move || format!("Requests of the fixed version ({}) moving through the system", info.get().fixed_label)></canvas>
                    {counter(Variant::Fixed)}
                </figure>
            </div>
            <ul class="legend sim-legend" aria-label="Dot colours">
                <li class="busy">"in progress"</li>
                <li class="ok">"served"</li>
                <li class="bad">"went wrong"</li>
                <li class="retry">"refused"</li>
            </ul>
            <p id="sim-summary" class="sim-summary" aria-live="polite">{move || summary.get()}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results at this load">
            <table id="sim-metrics" class="data">
                <caption>{move || format!("Result at {} {}", short_number(cur_load.get()), info.get().load_label)}</caption>
                {metrics_table}
            </table>
            </div>
            <div class="sim-results">
                <SweepChart sweep=sweep_result load=load_sig/>
                <button type="button" id="export-chart" class="export-chart" on:click=move |_| {
                    let svg = document().get_element_by_id("sweep-chart");
                    let hazard = hazard.get_untracked();
                    if let Some(text) = svg.as_ref().and_then(super::export::standalone_svg) {
                        let _ = super::export::download(&format!("hazard-lab-{hazard}-sweep.svg"), "image/svg+xml", &text);
                    }
                }>"Download chart (SVG)"</button>
                <SweepTable sweep=sweep_result load=load_sig/>
            </div>
            <Show when=move || hazard.get() == "check-then-act">
                <Swimlane trace=race_trace evidence=evidence load=load_sig/>
            </Show>
            <Show when=move || explores(hazard.get())>
                <Explorer hazard=hazard evidence=evidence/>
            </Show>
        </section>
    }
}
