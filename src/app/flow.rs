//! The animation of one run: requests as dots moving through the model's stages (client →
//! load balancer → replicas → cache → database …), coloured by how they ended, and the model's
//! gauge (memory, rows, queue depth) as a line growing along the bottom.
//!
//! [`Flow`] turns a [`Run`] into arrays the frame loop can read with binary searches, so a
//! frame costs O(requests · log hops) whatever the run's length.

use crate::sim::model::{Fate, Run, Stage};
use wasm_bindgen::JsCast;

/// One request, in virtual microseconds (f64: drawing only, never fed back into the model).
#[derive(Clone, Debug, PartialEq)]
struct Path {
    start: f64,
    end: f64,
    /// (column, lane band, start, end) per hop, in time order.
    hops: Vec<(usize, u32, f64, f64)>,
    fate: Fate,
}

/// A run prepared for drawing and counting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flow {
    columns: Vec<Stage>,
    /// Lanes per column (replicas, workers …): at least 1.
    lanes: Vec<u32>,
    paths: Vec<Path>,
    /// End times of requests per outcome, sorted (counters are binary searches).
    ends_ok: Vec<f64>,
    ends_bad: Vec<f64>,
    ends_rejected: Vec<f64>,
    /// Every hop boundary, sorted: what "Step" jumps between.
    event_times: Vec<f64>,
    series: Vec<(f64, u64)>,
    series_max: u64,
    series_label: String,
    pub end: f64,
}

impl Flow {
    pub fn new(run: &Run, stages: &[Stage], series_label: (&str, &str)) -> Flow {
        let mut columns: Vec<Stage> = stages.to_vec();
        // A stage a journey uses that the model did not list still gets a column.
        for j in &run.journeys {
            for h in &j.hops {
                if !columns.contains(&h.stage) {
                    columns.push(h.stage);
                }
            }
        }
        let mut lanes = vec![1u32; columns.len()];
        let mut f = Flow::default();
        for j in &run.journeys {
            let mut hops = Vec::with_capacity(j.hops.len());
            for h in &j.hops {
                let col = columns.iter().position(|&s| s == h.stage).unwrap_or(0);
                lanes[col] = lanes[col].max(h.lane.saturating_add(1).min(64));
                let (s, e) = (h.start_us as f64, h.end_us.max(h.start_us) as f64);
                hops.push((col, h.lane.min(63), s, e));
                f.event_times.push(s);
                f.event_times.push(e);
            }
            let Some(start) = hops.iter().map(|h| h.2).reduce(f64::min) else {
                continue;
            };
            let end = hops.iter().map(|h| h.3).fold(start, f64::max);
            match j.fate {
                Fate::Ok => f.ends_ok.push(end),
                Fate::Anomaly | Fate::Failed => f.ends_bad.push(end),
                Fate::Rejected => f.ends_rejected.push(end),
            }
            f.paths.push(Path {
                start,
                end,
                hops,
                fate: j.fate,
            });
        }
        for v in [
            &mut f.ends_ok,
            &mut f.ends_bad,
            &mut f.ends_rejected,
            &mut f.event_times,
        ] {
            v.sort_by(f64::total_cmp);
        }
        f.event_times.dedup();
        f.series = run
            .series
            .iter()
            .map(|p| (p.t_us as f64, p.value))
            .collect();
        f.series_max = run.series.iter().map(|p| p.value).max().unwrap_or(0);
        f.series_label = match series_label {
            ("", _) => String::new(),
            (name, "") => name.to_string(),
            (name, unit) => format!("{name} ({unit})"),
        };
        let last_series = f.series.last().map_or(0.0, |p| p.0);
        let last_path = f.event_times.last().copied().unwrap_or(0.0);
        f.end = last_path.max(last_series);
        f.columns = columns;
        f.lanes = lanes;
        f
    }

    fn count(times: &[f64], t: f64) -> usize {
        times.partition_point(|&x| x <= t)
    }
    /// Requests that ended badly (the anomaly, or a visible failure) by time `t`.
    pub fn bad(&self, t: f64) -> usize {
        Self::count(&self.ends_bad, t)
    }
    pub fn ok(&self, t: f64) -> usize {
        Self::count(&self.ends_ok, t)
    }
    pub fn rejected(&self, t: f64) -> usize {
        Self::count(&self.ends_rejected, t)
    }
    /// Requests started and not yet finished at `t`.
    pub fn in_flight(&self, t: f64) -> usize {
        self.paths
            .iter()
            .filter(|p| p.start <= t && t < p.end)
            .count()
    }
    /// The first event strictly after `t`.
    pub fn next_event(&self, t: f64) -> Option<f64> {
        self.event_times
            .get(self.event_times.partition_point(|&x| x <= t))
            .copied()
    }
    /// The gauge's value at `t` (the last point at or before it).
    pub fn gauge(&self, t: f64) -> Option<u64> {
        let i = self.series.partition_point(|p| p.0 <= t);
        (i > 0).then(|| self.series[i - 1].1)
    }
}

/// What a dot looks like at time `t`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Look {
    Busy,
    Done(Fate),
}

/// Column position (fractional while travelling) and lane band of a request at `t`, or
/// `None` when it has not started.
fn place(p: &Path, t: f64, travel: f64) -> Option<(f64, u32, Look)> {
    if t < p.start {
        return None;
    }
    if t >= p.end {
        // Back to the first column, coloured by how it ended.
        let last = p.hops.last()?;
        let k = ((t - p.end) / travel).min(1.0);
        return Some((last.0 as f64 * (1.0 - k), 0, Look::Done(p.fate)));
    }
    let i = p.hops.partition_point(|h| h.2 <= t).max(1) - 1;
    let (col, lane, s, _) = p.hops[i];
    let prev = if i == 0 { col } else { p.hops[i - 1].0 };
    let k = ((t - s) / travel).min(1.0);
    Some((
        prev as f64 + (col as f64 - prev as f64) * k,
        lane,
        Look::Busy,
    ))
}

fn css_var(el: &web_sys::Element, name: &str, fallback: &str) -> String {
    web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .and_then(|s| s.get_property_value(name).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// The colours of the current theme, read once per theme change (not per frame).
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    fg: String,
    line: String,
    busy: String,
    ok: String,
    bad: String,
    retry: String,
}

impl Palette {
    pub fn read(el: &web_sys::Element) -> Palette {
        Palette {
            fg: css_var(el, "--fg-muted", "#666"),
            line: css_var(el, "--border", "#ccc"),
            busy: css_var(el, "--sim-busy", "#58a"),
            ok: css_var(el, "--sim-ok", "#2a2"),
            bad: css_var(el, "--sim-bad", "#d22"),
            retry: css_var(el, "--sim-retry", "#d90"),
        }
    }
}

fn context(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<(web_sys::CanvasRenderingContext2d, f64, f64)> {
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
    let ctx = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    Some((ctx, css_w, css_h))
}

/// Draws the run at virtual time `t`.
pub fn draw(canvas: &web_sys::HtmlCanvasElement, flow: &Flow, pal: &Palette, t: f64) {
    let Some((ctx, w, h)) = context(canvas) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, w, h);
    let top = 26.0;
    let gauge_h = if flow.series.is_empty() { 0.0 } else { 46.0 };
    let bottom = 8.0 + gauge_h;
    let n_cols = flow.columns.len().max(1);
    let col_x = |c: f64| w * (0.5 + c) / n_cols as f64;
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_text_align("center");
    ctx.set_fill_style_str(&pal.fg);
    ctx.set_stroke_style_str(&pal.line);
    ctx.set_line_width(1.0);
    for (i, stage) in flow.columns.iter().enumerate() {
        let x = col_x(i as f64);
        let _ = ctx.fill_text(stage.label(), x, 16.0);
        let lanes = flow.lanes[i];
        let band = (h - top - bottom) / lanes as f64;
        for l in 0..lanes {
            let y0 = top + band * l as f64;
            ctx.begin_path();
            ctx.move_to(x, y0 + 2.0);
            ctx.line_to(x, y0 + band - 2.0);
            ctx.stroke();
        }
    }
    if !flow.paths.is_empty() {
        draw_dots(&ctx, flow, pal, t, w, h, top, bottom, &col_x);
    }
    if gauge_h > 0.0 {
        draw_gauge(&ctx, flow, pal, t, w, h, gauge_h);
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_dots(
    ctx: &web_sys::CanvasRenderingContext2d,
    flow: &Flow,
    pal: &Palette,
    t: f64,
    w: f64,
    h: f64,
    top: f64,
    bottom: f64,
    col_x: &dyn Fn(f64) -> f64,
) {
    // Each request keeps a slot in a small grid around its column: rows of at least 6 px and
    // as many sub-columns as needed, so a crowd at one stage reads as a filling queue.
    let n = flow.paths.len();
    let avail = (h - top - bottom).max(1.0);
    let rows_fit = ((avail / 6.0).floor() as usize).max(1);
    let sub_cols = n.div_ceil(rows_fit).max(1);
    let rows = n.div_ceil(sub_cols).max(1);
    let col_w = w / flow.columns.len().max(1) as f64;
    let sub_w = (col_w * 0.8 / sub_cols as f64).min(10.0);
    let r = ((avail / rows as f64) * 0.4)
        .min(sub_w * 0.45)
        .clamp(1.2, 5.0);
    let travel = (flow.end / 60.0).max(1.0);
    // One path per colour keeps the number of canvas state changes small (4 fills a frame).
    let looks = [
        (Look::Busy, &pal.busy),
        (Look::Done(Fate::Ok), &pal.ok),
        (Look::Done(Fate::Rejected), &pal.retry),
        (Look::Done(Fate::Anomaly), &pal.bad),
        (Look::Done(Fate::Failed), &pal.bad),
    ];
    let mut placed: Vec<(f64, f64, Look)> = Vec::with_capacity(n);
    for (i, p) in flow.paths.iter().enumerate() {
        let Some((c, lane, look)) = place(p, t, travel) else {
            continue;
        };
        let col = c.round().clamp(0.0, (flow.columns.len().max(1) - 1) as f64) as usize;
        let lanes = flow.lanes.get(col).copied().unwrap_or(1).max(1) as f64;
        let band = avail / lanes;
        let slot = ((i % rows) as f64 + 0.5) / rows as f64;
        let y = top + band * (lane.min(63) as f64 + slot);
        let x = col_x(c) + ((i / rows) as f64 - (sub_cols - 1) as f64 / 2.0) * sub_w;
        placed.push((x, y, look));
    }
    for (look, colour) in looks {
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        for &(x, y, l) in &placed {
            if l == look {
                ctx.move_to(x + r, y);
                let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
            }
        }
        ctx.fill();
    }
}

fn draw_gauge(
    ctx: &web_sys::CanvasRenderingContext2d,
    flow: &Flow,
    pal: &Palette,
    t: f64,
    w: f64,
    h: f64,
    gauge_h: f64,
) {
    let y0 = h - gauge_h + 14.0;
    let y1 = h - 6.0;
    let (x0, x1) = (8.0, w - 8.0);
    let end = flow.end.max(1.0);
    let max = flow.series_max.max(1) as f64;
    ctx.set_text_align("left");
    ctx.set_fill_style_str(&pal.fg);
    let value = flow.gauge(t).unwrap_or(0);
    let _ = ctx.fill_text(&format!("{}: {}", flow.series_label, value), x0, y0 - 3.0);
    ctx.set_stroke_style_str(&pal.line);
    ctx.begin_path();
    ctx.move_to(x0, y1);
    ctx.line_to(x1, y1);
    ctx.stroke();
    ctx.set_stroke_style_str(&pal.bad);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    let mut first = true;
    for &(pt, v) in &flow.series {
        if pt > t {
            break;
        }
        let x = x0 + (x1 - x0) * pt / end;
        let y = y1 - (y1 - y0) * v as f64 / max;
        if first {
            ctx.move_to(x, y);
            first = false;
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
    ctx.set_line_width(1.0);
}

/// `?bench`: milliseconds per animation frame (counters + draw) with `in_flight` requests on
/// the canvas at once, median and worst of 60 frames, drawn on `canvas`.
pub fn bench_frames(
    canvas: &web_sys::HtmlCanvasElement,
    in_flight: u32,
    now: &dyn Fn() -> f64,
) -> (f64, f64) {
    use crate::sim::model::{Hop, Journey, Outcome};
    let journeys = (0..in_flight)
        .map(|i| {
            let s = i as u64 * 10;
            let hop = |stage, lane, a: u64, b: u64| Hop {
                stage,
                lane,
                start_us: s + a,
                end_us: s + b,
            };
            Journey {
                id: i,
                hops: vec![
                    hop(Stage::Client, 0, 0, 1_000),
                    hop(Stage::Balancer, 0, 1_000, 2_000),
                    hop(Stage::Replica, i % 3, 2_000, 500_000),
                    hop(Stage::Database, 0, 500_000, 1_000_000),
                ],
                fate: if i % 7 == 0 { Fate::Anomaly } else { Fate::Ok },
            }
        })
        .collect();
    let run = Run {
        outcome: Outcome {
            failures: 0,
            out_of: 0,
            metrics: Vec::new(),
            events: 0,
            capped: false,
        },
        journeys,
        series: Vec::new(),
    };
    let stages = [
        Stage::Client,
        Stage::Balancer,
        Stage::Replica,
        Stage::Database,
    ];
    let flow = Flow::new(&run, &stages, ("", ""));
    let el: &web_sys::Element = canvas;
    let pal = Palette::read(el);
    let mut times: Vec<f64> = (0..60)
        .map(|k| {
            let t = 25_000.0 + k as f64 * 14_000.0;
            let start = now();
            let counted = flow.bad(t) + flow.ok(t) + flow.rejected(t) + flow.in_flight(t);
            draw(canvas, &flow, &pal, t);
            let dt = now() - start;
            assert!(counted >= in_flight as usize, "every request is in flight");
            dt
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}
