//! The simulator panel: controls, the naive and fixed canvases side by side, their counters,
//! and (below) the sweep chart and the swimlane. All numbers come from `sim::race`.

use super::chart::{SweepChart, SweepTable};
use super::swimlane::Swimlane;
use crate::analyzer::Evidence;
use crate::sim::race::{run_level, sweep, LevelRun, RaceSettings, Step, WriteOutcome};
use crate::sim::{Variant, LOAD_LEVELS};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Virtual time a dot takes between the client column and the app column.
const TRAVEL_US: f64 = 40_000.0;

/// One client's path through the run, in virtual microseconds.
#[derive(Clone, Debug, Default, PartialEq)]
struct ClientPath {
    arrive: f64,
    finish: Option<f64>,
    /// Database queries (read or write): sent, answered.
    queries: Vec<(f64, f64)>,
    booked_at: Option<f64>,
    /// When this client ended up in a double booking (as overwriter or as victim).
    double_at: Option<f64>,
    refused_at: Option<f64>,
}

/// A run prepared for drawing and counting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Anim {
    clients: Vec<ClientPath>,
    double_times: Vec<f64>,
    booked_times: Vec<f64>,
    refused_times: Vec<f64>,
    event_times: Vec<f64>,
    pub end: f64,
}

impl Anim {
    pub fn new(run: &LevelRun) -> Anim {
        let n = run.result.clients as usize;
        let mut clients = vec![ClientPath::default(); n];
        let mut a = Anim::default();
        let mut open: Vec<Option<f64>> = vec![None; n];
        for e in &run.trace {
            let t = e.t_us as f64;
            let Some(c) = clients.get_mut(e.client as usize) else {
                continue;
            };
            a.event_times.push(t);
            match e.step {
                Step::Arrive => c.arrive = t,
                Step::ReadStart { .. } | Step::WriteStart { .. } => {
                    open[e.client as usize] = Some(t)
                }
                Step::ReadDone { saw_free, .. } => {
                    if let Some(s) = open[e.client as usize].take() {
                        c.queries.push((s, t));
                    }
                    if !saw_free {
                        c.refused_at.get_or_insert(t);
                        a.refused_times.push(t);
                    }
                }
                Step::WriteDone { outcome, .. } => {
                    if let Some(s) = open[e.client as usize].take() {
                        c.queries.push((s, t));
                    }
                    match outcome {
                        WriteOutcome::Booked => {
                            c.booked_at = Some(t);
                            a.booked_times.push(t);
                        }
                        WriteOutcome::DoubleBooked { victim } => {
                            c.booked_at = Some(t);
                            c.double_at.get_or_insert(t);
                            a.booked_times.push(t);
                            a.double_times.push(t);
                            if let Some(v) = clients.get_mut(victim as usize) {
                                v.double_at.get_or_insert(t);
                            }
                        }
                        WriteOutcome::Conflict => {
                            c.refused_at.get_or_insert(t);
                            a.refused_times.push(t);
                        }
                    }
                }
                Step::Finish { .. } => c.finish = Some(t),
            }
        }
        a.end = run.trace.last().map_or(0.0, |e| e.t_us as f64) + TRAVEL_US;
        a.clients = clients;
        a
    }

    fn count(times: &[f64], t: f64) -> usize {
        times.partition_point(|&x| x <= t)
    }
    pub fn doubles(&self, t: f64) -> usize {
        Self::count(&self.double_times, t)
    }
    pub fn booked(&self, t: f64) -> usize {
        Self::count(&self.booked_times, t)
    }
    pub fn refused(&self, t: f64) -> usize {
        Self::count(&self.refused_times, t)
    }
    /// The first event strictly after `t`.
    pub fn next_event(&self, t: f64) -> Option<f64> {
        self.event_times
            .get(self.event_times.partition_point(|&x| x <= t))
            .copied()
    }
}

/// Where a dot is (0 = client column, 1 = app, 2 = database) and its state at time `t`.
fn position(c: &ClientPath, t: f64) -> (f64, DotState) {
    let state = if c.double_at.is_some_and(|d| d <= t) {
        DotState::Double
    } else if c.booked_at.is_some_and(|b| b <= t) {
        DotState::Booked
    } else if c.refused_at.is_some_and(|r| r <= t) {
        DotState::Refused
    } else if t < c.arrive - TRAVEL_US {
        DotState::Idle
    } else {
        DotState::Busy
    };
    let x = if t < c.arrive - TRAVEL_US {
        0.0
    } else if t < c.arrive {
        1.0 - (c.arrive - t) / TRAVEL_US
    } else if let Some(f) = c.finish.filter(|&f| t >= f) {
        (1.0 - (t - f) / TRAVEL_US).max(0.0)
    } else if let Some(&(s, d)) = c.queries.iter().find(|&&(s, d)| t >= s && t <= d) {
        let frac = if d > s { (t - s) / (d - s) } else { 0.5 };
        1.0 + (1.0 - (2.0 * frac - 1.0).abs())
    } else {
        1.0
    };
    (x, state)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DotState {
    Idle,
    Busy,
    Booked,
    Double,
    Refused,
}

fn css_var(el: &web_sys::Element, name: &str, fallback: &str) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

fn draw(canvas: &web_sys::HtmlCanvasElement, anim: &Anim, t: f64) {
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let css_w = canvas.client_width().max(1) as f64;
    let css_h = canvas.client_height().max(1) as f64;
    let (pw, ph) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let el: &web_sys::Element = canvas;
    let fg = css_var(el, "--fg-muted", "#666");
    let line = css_var(el, "--border", "#ccc");
    let colours = [
        css_var(el, "--sim-idle", "#bbb"),
        css_var(el, "--sim-busy", "#58a"),
        css_var(el, "--sim-ok", "#2a2"),
        css_var(el, "--sim-bad", "#d22"),
        css_var(el, "--sim-retry", "#d90"),
    ];
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    let top = 26.0;
    let bottom = 8.0;
    let cols = [css_w * 0.12, css_w * 0.5, css_w * 0.88];
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_fill_style_str(&fg);
    for (x, label) in cols.iter().zip(["Clients", "App", "Database"]) {
        let _ = ctx.fill_text(label, *x, 16.0);
    }
    ctx.set_stroke_style_str(&line);
    ctx.set_line_width(1.0);
    for x in cols {
        ctx.begin_path();
        ctx.move_to(x, top);
        ctx.line_to(x, css_h - bottom);
        ctx.stroke();
    }
    // Clients sit in a small grid around each column: rows of at least 9 px, as many
    // sub-columns as needed, so 200 clients stay visible as dots.
    let n = anim.clients.len().max(1);
    let rows_fit = (((css_h - top - bottom) / 9.0).floor() as usize).max(1);
    let sub_cols = n.div_ceil(rows_fit).max(1);
    let rows = n.div_ceil(sub_cols);
    let row = (css_h - top - bottom) / rows as f64;
    let sub_w = (css_w * 0.16 / sub_cols as f64).min(10.0);
    let r = (row * 0.4).min(sub_w * 0.45).clamp(1.5, 5.0);
    for (i, c) in anim.clients.iter().enumerate() {
        let (x, state) = position(c, t);
        let col =
            cols[0] + (cols[1] - cols[0]) * x.min(1.0) + (cols[2] - cols[1]) * (x - 1.0).max(0.0);
        let offset = ((i / rows) as f64 - (sub_cols - 1) as f64 / 2.0) * sub_w;
        let px = col + offset;
        let py = top + row * ((i % rows) as f64 + 0.5);
        let colour = match state {
            DotState::Idle => &colours[0],
            DotState::Busy => &colours[1],
            DotState::Booked => &colours[2],
            DotState::Double => &colours[3],
            DotState::Refused => &colours[4],
        };
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        let _ = ctx.arc(px, py, r, 0.0, std::f64::consts::TAU);
        ctx.fill();
    }
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
        let factor = clock.speed.get_untracked() as f64 / 100.0;
        // Real milliseconds → virtual microseconds at the chosen speed (100 = real time).
        let dt = ((now - prev).min(100.0)) * 1000.0 * factor;
        let end = clock.end.get_untracked();
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
fn NumberInput(
    id: &'static str,
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

#[component]
pub fn Simulator(
    #[prop(into)] settings: Signal<RaceSettings>,
    load: RwSignal<u32>,
    seed: RwSignal<u64>,
    /// User overrides of the seats on sale and of the app time between read and write.
    seats: RwSignal<Option<u32>>,
    app_ms: RwSignal<Option<u64>>,
    /// Evidence lines of the check-then-act finding ("read" and "write" roles), if any.
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
    let runs = Memo::new(move |_| {
        let s = settings.get();
        let n = load.get();
        (
            run_level(&s, Variant::Naive, n),
            run_level(&s, Variant::Fixed, n),
        )
    });
    let anims = Memo::new(move |_| runs.with(|(n, f)| (Anim::new(n), Anim::new(f))));
    let end = Memo::new(move |_| anims.with(|(n, f)| n.end.max(f.end)));
    let sweep_result = Memo::new(move |_| sweep(&settings.get()));
    let naive_trace = Signal::derive(move || runs.with(|(n, _)| n.trace.clone()));

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
    Effect::new(move |_| {
        let now = t.get();
        theme.track();
        anims.with(|(n, f)| {
            if let Some(c) = naive_canvas.get() {
                draw(&c, n, now);
            }
            if let Some(c) = fixed_canvas.get() {
                draw(&c, f, now);
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
        let next = anims.with_untracked(|(n, f)| match (n.next_event(now), f.next_event(now)) {
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
        let get = move |f: fn(&Anim, f64) -> usize| {
            move || {
                let now = t.get();
                anims.with(|(n, fx)| f(if variant == Variant::Naive { n } else { fx }, now))
            }
        };
        let id = variant.as_str();
        view! {
            <div class="counters">
                <span class="counter bad">
                    <output id=format!("{id}-double-count")>{get(Anim::doubles)}</output>
                    " double bookings"
                </span>
                <span class="counter ok">
                    <output id=format!("{id}-booked-count")>{get(Anim::booked)}</output>
                    " booked"
                </span>
                <span class="counter retry">
                    <output id=format!("{id}-refused-count")>{get(Anim::refused)}</output>
                    " refused"
                </span>
            </div>
        }
    };

    let final_table = move || {
        runs.with(|(n, f)| {
            [n, f]
                .into_iter()
                .map(|r| {
                    let m = &r.result;
                    view! {
                        <tr data-variant=m.variant.as_str()>
                            <th scope="row">{m.variant.as_str()}</th>
                            <td>{m.bookings}</td>
                            <td>{m.double_bookings}</td>
                            <td>{m.conflicts}</td>
                            <td>{ms(m.p50_us)}</td>
                            <td>{ms(m.p99_us)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <section id="sim" class="panel sim" aria-labelledby="sim-title">
            <h2 id="sim-title">"Simulation"</h2>
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
                            if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                                load.set(n);
                            }
                        }
                    >
                        {LOAD_LEVELS
                            .iter()
                            .map(|&n| {
                                view! {
                                    <option value=n.to_string() selected=move || load.get() == n>
                                        {format!("{n} clients")}
                                    </option>
                                }
                            })
                            .collect_view()}
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
                    <output class="speed-value">{move || format!("{:.2}×", speed.get() as f64 / 100.0)}</output>
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
                <label title="Seats on sale (most clients want the front row)">
                    "Seats "
                    <NumberInput
                        id="seats"
                        min=1
                        max=Some(super::storage::MAX_SEATS as u64)
                        step=1
                        value=Signal::derive(move || settings.with(|s| s.seats.to_string()))
                        on_commit=Callback::new(move |t: String| {
                            t.parse::<u32>()
                                .map(|v| seats.set(Some(v.clamp(1, super::storage::MAX_SEATS))))
                                .is_ok()
                        })
                    />
                </label>
                <label title="Longest app time between the read and the write, in ms (awaited calls in your code widen it)">
                    "Read→write gap (ms) "
                    <NumberInput
                        id="app-ms"
                        min=0
                        max=Some(super::storage::MAX_APP_MS)
                        step=5
                        value=Signal::derive(move || settings.with(|s| (s.think.max_us / 1000).to_string()))
                        on_commit=Callback::new(move |t: String| {
                            t.parse::<u64>()
                                .map(|v| app_ms.set(Some(v.min(super::storage::MAX_APP_MS))))
                                .is_ok()
                        })
                    />
                </label>
                <span class="sim-time" aria-hidden="true">
                    {move || format!("t = {:.0} ms", t.get() / 1000.0)}
                </span>
            </div>
            <div class="lanes">
                <figure class="sim-view naive">
                    <figcaption>"Naive: read, then write"</figcaption>
                    <canvas id="canvas-naive" node_ref=naive_canvas role="img"
                        aria-label="Requests of the naive version moving from clients to the app and the database"></canvas>
                    {counter(Variant::Naive)}
                </figure>
                <figure class="sim-view fixed">
                    <figcaption>"Fixed: one atomic conditional write"</figcaption>
                    <canvas id="canvas-fixed" node_ref=fixed_canvas role="img"
                        aria-label="Requests of the fixed version moving from clients to the app and the database"></canvas>
                    {counter(Variant::Fixed)}
                </figure>
            </div>
            <ul class="legend sim-legend" aria-label="Dot colours">
                <li class="busy">"in progress"</li>
                <li class="ok">"booked"</li>
                <li class="bad">"double-booked"</li>
                <li class="retry">"refused, retrying"</li>
            </ul>
            <Show when=move || reduced>
                <table id="sim-final" class="data">
                    <caption>{move || format!("Final result at {} clients", load.get())}</caption>
                    <thead>
                        <tr><th scope="col">"Version"</th><th scope="col">"Booked"</th><th scope="col">"Double bookings"</th>
                        <th scope="col">"Refused"</th><th scope="col">"p50"</th><th scope="col">"p99"</th></tr>
                    </thead>
                    <tbody>{final_table}</tbody>
                </table>
            </Show>
            <div class="sim-results">
                <SweepChart sweep=sweep_result load=load/>
                <SweepTable sweep=sweep_result load=load/>
            </div>
            <Swimlane trace=naive_trace evidence=evidence load=load/>
        </section>
    }
}

/// Microseconds as "12.3 ms".
pub fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1000.0)
}
