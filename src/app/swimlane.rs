//! Two requests as swimlanes over the user's own lines: the interleaving that double-books.

use crate::analyzer::Evidence;
use crate::sim::race::{find_interleaving, TraceEvent};
use leptos::prelude::*;

#[component]
pub fn Swimlane(
    #[prop(into)] trace: Signal<Vec<TraceEvent>>,
    #[prop(into)] evidence: Signal<Vec<Evidence>>,
    #[prop(into)] load: Signal<u64>,
) -> impl IntoView {
    let interleaving = Memo::new(move |_| trace.with(|t| find_interleaving(t)));
    let line_for = move |is_write: bool| {
        let role = if is_write { "write" } else { "read" };
        evidence.with(|ev| ev.iter().find(|e| e.role == role).cloned())
    };
    let body = move || match interleaving.get() {
        None => {
            let n = load.get();
            let higher = crate::sim::LOAD_LEVELS
                .iter()
                .map(|&l| l as u64)
                .find(|&l| l > n);
            let hint = match higher {
                Some(h) => format!(" Try a higher load, such as {h} clients."),
                None => " Try another seed.".to_string(),
            };
            view! {
                <p class="swimlane-none">
                    {format!("No double booking at {n} clients with this seed.{hint}")}
                </p>
            }
            .into_any()
        }
        Some(il) => {
            let steps = il
                .steps
                .iter()
                .map(|s| {
                    let ev = line_for(s.is_write);
                    let (line, code) = match &ev {
                        Some(e) => (e.line.to_string(), format!("line {}: {}", e.line, e.code)),
                        None => (
                            String::new(),
                            if s.is_write {
                                "write".into()
                            } else {
                                "read".into()
                            },
                        ),
                    };
                    view! {
                        <div class="lane-step" data-lane=s.lane.to_string() data-line=line
                            data-kind=if s.is_write { "write" } else { "read" }>
                            <span class="lane-time">{ms(s.t_us)}</span>
                            <code class="lane-code">{code}</code>
                            <span class="lane-note">{s.note.clone()}</span>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <p class="swimlane-caption">
                    {format!(
                        "Seat {} at {} clients: request A (client {}) and request B (client {}).",
                        il.seat + 1, load.get(), il.clients[0], il.clients[1]
                    )}
                </p>
                <div class="lane-heads">
                    <span>"Request A"</span>
                    <span>"Request B"</span>
                </div>
                <div class="lane-steps">{steps}</div>
            }
            .into_any()
        }
    };
    view! {
        <section class="swimlane-panel" aria-labelledby="swimlane-title">
            <h3 id="swimlane-title">"How two requests double-book"</h3>
            <div id="swimlane">{body}</div>
        </section>
    }
}

/// Microseconds as "12.3 ms".
fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1000.0)
}
