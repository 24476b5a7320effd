//! The interleaving explorer: every order in which two or three requests can run the user's
//! statements, the ones that break marked, and a step-by-step replay of the one clicked, with
//! the shared value after each step. Data from `sim::interleave`; this only shows it.

use crate::analyzer::Evidence;
use crate::sim::interleave::{explore_requests, Exploration};
use crate::sim::Variant;
use leptos::prelude::*;

/// Hazards the explorer serves.
pub fn explores(hazard: &str) -> bool {
    matches!(
        hazard,
        "check-then-act" | "lost-update" | "non-idempotent-webhook"
    )
}

/// "A1 B1 A2 …": an interleaving in one short line.
fn order_label(e: &Exploration, i: usize) -> String {
    e.interleavings[i]
        .moves
        .iter()
        .map(|m| format!("{}{}", e.requests[m.request].name, m.step + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn Explorer(
    #[prop(into)] hazard: Signal<&'static str>,
    #[prop(into)] evidence: Signal<Vec<Evidence>>,
) -> impl IntoView {
    let variant = RwSignal::new(Variant::Naive);
    let requests = RwSignal::new(2usize);
    let exploration = Memo::new(move |_| {
        let (h, v, n) = (hazard.get(), variant.get(), requests.get());
        evidence.with(|ev| explore_requests(h, ev, v, n))
    });
    // The interleaving shown in the replay, and how many of its moves have run.
    let selected = RwSignal::new(0usize);
    let shown_moves = RwSignal::new(0usize);
    Effect::new(move |_| {
        // A new exploration opens on its first broken order (or the first order).
        let first =
            exploration.with(|e| e.interleavings.iter().position(|r| r.broken).unwrap_or(0));
        selected.set(first);
        shown_moves.set(0);
    });
    let moves_len = move || {
        exploration.with(|e| {
            e.interleavings
                .get(selected.get())
                .map_or(0, |r| r.moves.len())
        })
    };

    let summary = move || {
        exploration.with(|e| {
            let who = if e.requests.len() == 3 { "three" } else { "two" };
            let capped = if e.capped {
                format!(" (the first {} of {} shown)", e.total, e.possible)
            } else {
                String::new()
            };
            if e.broken == 0 {
                format!("None of the {} orders of {who} concurrent requests breaks{capped}: the fix holds in every interleaving.", e.total)
            } else {
                format!("{} of the {} orders of {who} concurrent requests break{capped}. Click one to replay it step by step.", e.broken, e.total)
            }
        })
    };

    let order_list = move || {
        exploration.with(|e| {
            (0..e.interleavings.len().min(200))
                .map(|i| {
                    let run = &e.interleavings[i];
                    let label = order_label(e, i);
                    view! {
                        <li>
                            <button
                                type="button"
                                class="interleaving"
                                class:broken=run.broken
                                data-broken=run.broken.to_string()
                                aria-pressed=move || if selected.get() == i { "true" } else { "false" }
                                on:click=move |_| {
                                    selected.set(i);
                                    shown_moves.set(0);
                                }
                            >
                                <code>{label}</code>
                                <span class="verdict">{if run.broken { "breaks" } else { "ok" }}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let replay = move || {
        exploration.with(|e| {
            let Some(run) = e.interleavings.get(selected.get()) else {
                return ().into_any();
            };
            let shown = shown_moves.get();
            let heads = e
                .requests
                .iter()
                .map(|r| view! { <th scope="col">{format!("Request {} ({})", r.name, r.intent)}</th> })
                .collect_view();
            let rows = run
                .moves
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let step = &e.requests[m.request].steps[m.step];
                    let text = if step.line > 0 {
                        format!("line {}: {}", step.line, step.code)
                    } else {
                        step.code.clone()
                    };
                    let cells = (0..e.requests.len())
                        .map(|r| {
                            if r == m.request {
                                view! { <td class="replay-code"><code>{text.clone()}</code></td> }.into_any()
                            } else {
                                view! { <td></td> }.into_any()
                            }
                        })
                        .collect_view();
                    view! {
                        <tr class="replay-move" class:done=k < shown class:next=k == shown
                            data-request=e.requests[m.request].name.clone() data-line=step.line.to_string()>
                            <th scope="row">{k + 1}</th>
                            {cells}
                            <td class="replay-state">{if k < shown { m.state.clone() } else { String::new() }}</td>
                        </tr>
                    }
                })
                .collect_view();
            let done = shown >= run.moves.len();
            let verdict = if done {
                format!("{}: {}", if run.broken { "Breaks" } else { "Holds" }, run.why)
            } else {
                format!("Step {} of {}", shown, run.moves.len())
            };
            view! {
                <table id="replay" class="data replay">
                    <thead><tr><th scope="col">"#"</th>{heads}<th scope="col">"Shared value after"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <p id="replay-verdict" class="replay-verdict" class:broken=done && run.broken aria-live="polite">{verdict}</p>
            }
            .into_any()
        })
    };

    let pressed = move |v: Variant| move || if variant.get() == v { "true" } else { "false" };
    view! {
        <section class="explorer" aria-labelledby="explorer-title">
            <h3 id="explorer-title">"Every interleaving of the requests"</h3>
            <div class="controls" role="group" aria-label="Explorer controls">
                <button id="explorer-naive" type="button" aria-pressed=pressed(Variant::Naive)
                    on:click=move |_| variant.set(Variant::Naive)>"Naive"</button>
                <button id="explorer-fixed" type="button" aria-pressed=pressed(Variant::Fixed)
                    on:click=move |_| variant.set(Variant::Fixed)>"Fixed"</button>
                <label>
                    "Requests "
                    <select id="explorer-requests" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            requests.set(n.clamp(2, 3));
                        }
                    }>
                        <option value="2" selected=move || requests.get() == 2>"2"</option>
                        <option value="3" selected=move || requests.get() == 3>"3"</option>
                    </select>
                </label>
            </div>
            <p id="explorer-summary">{summary}</p>
            <div class="explorer-body">
                <ol id="interleavings" class="interleavings" aria-label="Orders of the steps">{order_list}</ol>
                <div class="replay-panel">
                    <div class="controls" role="group" aria-label="Replay">
                        <button id="replay-back" type="button" on:click=move |_| shown_moves.update(|s| *s = s.saturating_sub(1))>"◀ Back"</button>
                        <button id="replay-step" type="button" on:click=move |_| {
                            let n = moves_len();
                            shown_moves.update(|s| *s = (*s + 1).min(n));
                        }>"Step ▶"</button>
                        <button id="replay-all" type="button" on:click=move |_| shown_moves.set(moves_len())>"Run to the end"</button>
                    </div>
                    {replay}
                </div>
            </div>
        </section>
    }
}
