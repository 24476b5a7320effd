//! The status line and the list of findings with their explanation and fix.

use crate::analyzer::{Analysis, AnalyzeError, Finding};
use leptos::prelude::*;

use super::analyzer_client::WorkerState;

/// The analysis as the app holds it: `None` before the first run.
pub type AnalysisState = Option<Result<Analysis, AnalyzeError>>;

/// `(data-state, text)` of the status line.
pub fn status_of(state: &AnalysisState) -> (&'static str, String) {
    match state {
        None => ("empty", "Analysing…".to_string()),
        Some(Err(AnalyzeError::Empty)) => ("empty", AnalyzeError::Empty.to_string()),
        Some(Err(e)) => ("error", e.to_string()),
        Some(Ok(a)) => {
            let what = match a.findings.len() {
                0 => "No hazards found".to_string(),
                1 => "1 finding".to_string(),
                n => format!("{n} findings"),
            };
            let detected = if a.detected { " (detected)" } else { "" };
            ("ok", format!("{what} · {}{detected}", a.language.name()))
        }
    }
}

/// "line 12" or "line 12–17".
pub fn line_range(start: usize, end: usize) -> String {
    if end > start {
        format!("line {start}–{end}")
    } else {
        format!("line {start}")
    }
}

#[component]
pub fn Status(
    #[prop(into)] analysis: Signal<AnalysisState>,
    /// The analyzer worker: while it loads the status says so; when it fails, why.
    #[prop(into)]
    worker: Signal<WorkerState>,
    #[prop(into)] problem: Signal<Option<String>>,
) -> impl IntoView {
    let status = Memo::new(move |_| {
        if let Some(p) = problem.get() {
            return ("error", p);
        }
        if worker.get() == WorkerState::Loading && analysis.with(|a| a.is_none()) {
            return ("empty", "Loading the analyzer…".to_string());
        }
        analysis.with(status_of)
    });
    let syntax_note = move || {
        analysis
            .with(|a| matches!(a, Some(Ok(a)) if a.syntax_errors))
            .then_some("The code has syntax errors; the parts that parse were analysed.")
    };
    view! {
        <div class="status-row">
            <div id="analysis-status" role="status" aria-live="polite" data-state=move || status.get().0>
                {move || status.get().1}
            </div>
            <span class="status-note">{syntax_note}</span>
        </div>
    }
}

#[component]
pub fn Findings(
    #[prop(into)] analysis: Signal<AnalysisState>,
    /// Called with (start_line, end_line) when a finding is chosen.
    on_select: Callback<(usize, usize)>,
    /// Called with the finding's index when its "Simulate" button is pressed.
    on_simulate: Callback<usize>,
) -> impl IntoView {
    let findings = Memo::new(move |_| match analysis.get() {
        Some(Ok(a)) => a.findings,
        _ => Vec::new(),
    });
    view! {
        <ol id="findings" class="findings" aria-label="Findings">
            <For
                each=move || findings.get().into_iter().enumerate()
                key=|(i, f)| (*i, f.hazard, f.span.start_line, f.span.end_line, f.message.clone())
                children=move |(i, f)| view! { <FindingItem index=i finding=f on_select=on_select on_simulate=on_simulate/> }
            />
        </ol>
        <Show when=move || findings.with(|f| f.is_empty())>
            <p class="findings-empty">
                {move || match analysis.get() {
                    Some(Ok(_)) => "Nothing in this code matches a hazard rule yet.",
                    _ => "Findings appear here as you type.",
                }}
            </p>
        </Show>
    }
}

#[component]
fn FindingItem(
    index: usize,
    finding: Finding,
    on_select: Callback<(usize, usize)>,
    on_simulate: Callback<usize>,
) -> impl IntoView {
    let (start, end) = (finding.span.start_line, finding.span.end_line);
    let choose = move || on_select.run((start, end));
    let evidence = finding
        .evidence
        .iter()
        .map(|e| {
            view! {
                <li data-role=e.role.clone() data-line=e.line>
                    <span class="role">{e.role.clone()}</span>
                    <code>{format!("line {}: {}", e.line, e.code)}</code>
                </li>
            }
        })
        .collect_view();
    view! {
        <li
            class="finding"
            data-hazard=finding.hazard
            data-line=start
            data-end-line=end
            data-severity=finding.severity.as_str()
            tabindex="0"
            on:click=move |_| choose()
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    choose();
                }
            }
        >
            <div class="finding-head">
                <span class="hazard-id">{finding.hazard}</span>
                <span class="severity">{finding.severity.as_str()}</span>
                <span class="lines">{line_range(start, end)}</span>
            </div>
            <p class="message">{finding.message.clone()}</p>
            <ul class="evidence">{evidence}</ul>
            <p class="fix"><strong>"Fix: "</strong>{finding.fix.clone()}</p>
            // A link, not a button: it changes the URL hash, so the rule page can be shared.
            <a
                class="rule-link"
                href=format!("#rule={}", finding.hazard)
                on:click=|ev| ev.stop_propagation()
                on:keydown=|ev| ev.stop_propagation()
            >
                {format!("About {} →", finding.hazard)}
            </a>
            " "
            <button
                type="button"
                class="simulate-finding"
                hidden=crate::sim::models::model_for(finding.hazard).is_none()
                data-hazard=finding.hazard
                on:click=move |ev| {
                    ev.stop_propagation();
                    on_simulate.run(index);
                }
                on:keydown=|ev| ev.stop_propagation()
            >
                "Simulate this →"
            </button>
        </li>
    }
}
