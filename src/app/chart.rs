//! A model's load sweep: an SVG line chart (naive vs fixed, axes labelled with the load and
//! the failure measure, the first failing load marked) and the same numbers as a table.

use crate::sim::model::ModelSweep;
use leptos::prelude::*;

const W: f64 = 560.0;
const H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 48.0;

/// A "nice" upper bound for the y axis and its tick step.
fn y_scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let raw = max.div_ceil(4).max(1);
    let mag = 10u64.pow(raw.ilog10());
    let step = [1, 2, 5, 10]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    (step * max.div_ceil(step), step)
}

/// Large loads as "10k", "1M" so tick labels fit.
pub fn short_number(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => format!("{}M", n / 1_000_000),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[component]
pub fn SweepChart(
    #[prop(into)] sweep: Signal<ModelSweep>,
    #[prop(into)] load: Signal<u64>,
) -> impl IntoView {
    let chart = move || {
        sweep.with(|s| {
            let n = s.levels.len().max(1);
            // Sweeps are roughly log-spaced, so equal steps read as a log axis.
            let x = move |i: usize| LEFT + (W - LEFT - RIGHT) * (i as f64 + 0.5) / n as f64;
            let max = s.levels.iter().map(|l| l.naive.failures.max(l.fixed.failures)).max().unwrap_or(0);
            let (ymax, ystep) = y_scale(max);
            let y = move |v: u64| TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / ymax as f64);
            let points = |naive: bool| {
                s.levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{:.1},{:.1}", x(i), y(if naive { l.naive.failures } else { l.fixed.failures })))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let y_ticks = (0..=ymax / ystep)
                .map(|k| {
                    let v = k * ystep;
                    view! {
                        <g class="tick">
                            <line x1=LEFT x2=W - RIGHT y1=y(v) y2=y(v) class="grid"/>
                            <text x=LEFT - 8.0 y=y(v) + 4.0 text-anchor="end">{short_number(v)}</text>
                        </g>
                    }
                })
                .collect_view();
            let x_ticks = s
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let at = l.load;
                    view! {
                        <g class="tick" class:current=move || load.get() == at>
                            <text x=x(i) y=H - BOTTOM + 18.0 text-anchor="middle">{short_number(at)}</text>
                        </g>
                    }
                })
                .collect_view();
            let metric = s.metric;
            let load_label = s.load_label;
            let dots = |naive: bool| {
                let class = if naive { "dot naive" } else { "dot fixed" };
                s.levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let v = if naive { l.naive.failures } else { l.fixed.failures };
                        view! {
                            <circle class=class cx=x(i) cy=y(v) r="4">
                                <title>{format!("{} {}: {} {} ({})", l.load, load_label, v, metric, if naive { "naive" } else { "fixed" })}</title>
                            </circle>
                        }
                    })
                    .collect_view()
            };
            let marker = s.levels.iter().position(|l| l.naive.failures > 0).map(|i| {
                let at = s.levels[i].load;
                view! {
                    <g class="first-failure" data-load=at.to_string()>
                        <line x1=x(i) x2=x(i) y1=TOP y2=H - BOTTOM/>
                        <text x=x(i) + 4.0 y=TOP + 12.0 text-anchor={if i + 1 > n / 2 { "end" } else { "start" }}
                            dx={if i + 1 > n / 2 { "-8" } else { "0" }}>
                            {format!("naive fails from {}", short_number(at))}
                        </text>
                    </g>
                }
            });
            view! {
                {y_ticks}
                {x_ticks}
                {marker}
                <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=H - BOTTOM/>
                <line class="axis" x1=LEFT x2=W - RIGHT y1=H - BOTTOM y2=H - BOTTOM/>
                <polyline class="series naive" points=points(true)/>
                <polyline class="series fixed" points=points(false)/>
                {dots(true)}
                {dots(false)}
            }
        })
    };
    let title = move || {
        sweep.with(|s| {
            format!(
                "{} by {}, naive and fixed",
                capitalised(s.metric),
                s.load_label
            )
        })
    };
    let x_label = move || sweep.with(|s| capitalised(s.load_label));
    let y_label = move || sweep.with(|s| format!("{} ({})", capitalised(s.metric), s.unit));
    view! {
        <figure class="chart">
            <svg
                id="sweep-chart"
                xmlns="http://www.w3.org/2000/svg"
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-labelledby="sweep-chart-title"
            >
                <title id="sweep-chart-title">{title}</title>
                {chart}
                <text class="axis-label" x=(LEFT + W - RIGHT) / 2.0 y=H - 8.0 text-anchor="middle">{x_label}</text>
                <text class="axis-label" x=-(TOP + H - BOTTOM) / 2.0 y="14" transform="rotate(-90)" text-anchor="middle">{y_label}</text>
                <g class="legend-svg">
                    <line class="series naive" x1=LEFT + 8.0 x2=LEFT + 28.0 y1="12" y2="12"/>
                    <text x=LEFT + 34.0 y="16">"naive"</text>
                    <line class="series fixed" x1=LEFT + 88.0 x2=LEFT + 108.0 y1="12" y2="12"/>
                    <text x=LEFT + 114.0 y="16">"fixed"</text>
                </g>
            </svg>
        </figure>
    }
}

/// The value of a named metric in a level's outcome, as text with its unit.
fn metric_text(o: &crate::sim::model::Outcome, name: &str) -> String {
    o.metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| format!("{} {}", m.value, m.unit))
        .unwrap_or_default()
}

#[component]
pub fn SweepTable(
    #[prop(into)] sweep: Signal<ModelSweep>,
    #[prop(into)] load: Signal<u64>,
) -> impl IntoView {
    // Extra metric columns: the first two the model reports (p99, hit ratio …), naive and fixed.
    let extra = move || -> Vec<&'static str> {
        sweep.with(|s| {
            s.levels
                .first()
                .map(|l| l.naive.metrics.iter().take(2).map(|m| m.name).collect())
                .unwrap_or_default()
        })
    };
    let head = move || {
        sweep.with(|s| {
            let names = extra();
            view! {
                <tr>
                    <th scope="col">{capitalised(s.load_label)}</th>
                    <th scope="col">{format!("Naive: {}", s.metric)}</th>
                    <th scope="col">{format!("Fixed: {}", s.metric)}</th>
                    {names.iter().map(|n| view! {
                        <th scope="col">{format!("Naive {n}")}</th>
                        <th scope="col">{format!("Fixed {n}")}</th>
                    }).collect_view()}
                </tr>
            }
        })
    };
    let rows = move || {
        let names = extra();
        sweep.with(|s| {
            s.levels
                .iter()
                .map(|l| {
                    let at = l.load;
                    let cells = names
                        .iter()
                        .map(|n| {
                            view! {
                                <td>{metric_text(&l.naive, n)}</td>
                                <td>{metric_text(&l.fixed, n)}</td>
                            }
                        })
                        .collect_view();
                    view! {
                        <tr data-load=at class:current=move || load.get() == at>
                            <th scope="row">{at}</th>
                            <td class="naive-failures">{l.naive.failures}</td>
                            <td class="fixed-failures">{l.fixed.failures}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let caption = move || {
        sweep.with(|s| format!("Load sweep: {} ({}) by {}", s.metric, s.unit, s.load_label))
    };
    view! {
        // Focusable, so a keyboard can scroll a table wider than its panel.
        <div class="table-wrap" tabindex="0" role="region" aria-label="Load sweep table">
            <table id="sweep-table" class="data">
                <caption>{caption}</caption>
                <thead>{head}</thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
