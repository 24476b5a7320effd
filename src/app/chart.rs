//! Double bookings against load: an SVG line chart and the same numbers as a table.

use super::simulator::ms;
use crate::sim::race::LoadSweep;
use leptos::prelude::*;

const W: f64 = 560.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 48.0;

/// A "nice" upper bound for the y axis and its tick step.
fn y_scale(max: u32) -> (u32, u32) {
    let max = max.max(1);
    let raw = max.div_ceil(4).max(1);
    let mag = 10u32.pow(raw.ilog10());
    let step = [1, 2, 5, 10]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    (step * max.div_ceil(step), step)
}

#[component]
pub fn SweepChart(#[prop(into)] sweep: Signal<LoadSweep>, load: RwSignal<u32>) -> impl IntoView {
    let chart = move || {
        sweep.with(|s| {
            let n = s.naive.len().max(1);
            // The load levels are roughly log-spaced, so equal steps read as a log axis.
            let x = move |i: usize| LEFT + (W - LEFT - RIGHT) * (i as f64 + 0.5) / n as f64;
            let max = s.naive.iter().chain(&s.fixed).map(|r| r.double_bookings).max().unwrap_or(0);
            let (ymax, ystep) = y_scale(max);
            let y = move |v: u32| TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / ymax as f64);
            let points = |rows: &[crate::sim::race::LevelResult]| {
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| format!("{:.1},{:.1}", x(i), y(r.double_bookings)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let y_ticks = (0..=ymax / ystep)
                .map(|k| {
                    let v = k * ystep;
                    view! {
                        <g class="tick">
                            <line x1=LEFT x2=W - RIGHT y1=y(v) y2=y(v) class="grid"/>
                            <text x=LEFT - 8.0 y=y(v) + 4.0 text-anchor="end">{v.to_string()}</text>
                        </g>
                    }
                })
                .collect_view();
            let x_ticks = s
                .naive
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let clients = r.clients;
                    view! {
                        <g class="tick" class:current=move || load.get() == clients>
                            <text x=x(i) y=H - BOTTOM + 18.0 text-anchor="middle">{clients.to_string()}</text>
                        </g>
                    }
                })
                .collect_view();
            let dots = |rows: &[crate::sim::race::LevelResult], class: &'static str| {
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| {
                        view! {
                            <circle class=class cx=x(i) cy=y(r.double_bookings) r="4">
                                <title>{format!("{} clients: {} double bookings ({})", r.clients, r.double_bookings, r.variant.as_str())}</title>
                            </circle>
                        }
                    })
                    .collect_view()
            };
            view! {
                {y_ticks}
                {x_ticks}
                <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=H - BOTTOM/>
                <line class="axis" x1=LEFT x2=W - RIGHT y1=H - BOTTOM y2=H - BOTTOM/>
                <polyline class="series naive" points=points(&s.naive)/>
                <polyline class="series fixed" points=points(&s.fixed)/>
                {dots(&s.naive, "dot naive")}
                {dots(&s.fixed, "dot fixed")}
            }
        })
    };
    view! {
        <figure class="chart">
            <svg
                id="sweep-chart"
                viewBox=format!("0 0 {W} {H}")
                role="img"
                aria-labelledby="sweep-chart-title"
            >
                <title id="sweep-chart-title">"Double bookings by number of concurrent clients, naive and fixed"</title>
                {chart}
                <text class="axis-label" x=(LEFT + W - RIGHT) / 2.0 y=H - 8.0 text-anchor="middle">"Concurrent clients"</text>
                <text class="axis-label" x=-(TOP + H - BOTTOM) / 2.0 y="14" transform="rotate(-90)" text-anchor="middle">"Double bookings"</text>
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

#[component]
pub fn SweepTable(#[prop(into)] sweep: Signal<LoadSweep>, load: RwSignal<u32>) -> impl IntoView {
    let rows = move || {
        sweep.with(|s| {
            s.naive
                .iter()
                .zip(&s.fixed)
                .map(|(n, f)| {
                    let clients = n.clients;
                    view! {
                        <tr data-clients=clients class:current=move || load.get() == clients>
                            <th scope="row">{clients}</th>
                            <td class="naive-double">{n.double_bookings}</td>
                            <td class="fixed-double">{f.double_bookings}</td>
                            <td class="naive-p50">{ms(n.p50_us)}</td>
                            <td class="naive-p99">{ms(n.p99_us)}</td>
                            <td class="fixed-p50">{ms(f.p50_us)}</td>
                            <td class="fixed-p99">{ms(f.p99_us)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="table-wrap">
            <table id="sweep-table" class="data">
                <caption>"Load sweep: double bookings and latency"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Clients"</th>
                        <th scope="col">"Naive double"</th>
                        <th scope="col">"Fixed double"</th>
                        <th scope="col">"Naive p50"</th>
                        <th scope="col">"Naive p99"</th>
                        <th scope="col">"Fixed p50"</th>
                        <th scope="col">"Fixed p99"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
