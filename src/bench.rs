//! Workloads for `make bench`, shared by the native CLI (`hazard-lab bench`) and the browser
//! (`?bench`), so both measure the same thing. The caller supplies the clock.

use crate::analyzer::{analyze, Language};
use crate::scenarios;
use crate::sim::race::{measure_level, RaceSettings};
use crate::sim::Variant;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct BenchRow {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// Exactly `lines` lines taken from `copies` (the n-th copy of the text, n = 0, 1, …) one
/// after another; the last copy may be cut mid-function, which the analyzer must tolerate.
fn fill_lines(lines: usize, mut copies: impl FnMut(usize) -> Option<String>) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut n = 0;
    while count < lines {
        let Some(text) = copies(n) else { break };
        for line in text.lines().take(lines - count) {
            out.push_str(line);
            out.push('\n');
            count += 1;
        }
        n += 1;
    }
    out
}

/// A realistic source file of exactly `lines` lines: the scenario handlers repeated under new
/// names.
pub fn synthetic_source(language: Language, lines: usize) -> String {
    let snippet = scenarios::first().snippet(language).map_or("", |s| s.naive);
    fill_lines(lines, |copy| {
        (!snippet.is_empty()).then(|| {
            snippet
                .replace("hold_seat", &format!("hold_seat_{copy}"))
                .replace("/hold\"", &format!("/hold{copy}\""))
        })
    })
}

/// The languages of the mixed-code rows: all but HTML (one asset rule and little code).
fn code_languages() -> impl Iterator<Item = Language> {
    Language::ALL.into_iter().filter(|l| *l != Language::Html)
}

/// A source file of exactly `lines` lines in `language` made of every gallery snippet in
/// that language (naive and fixed) in turn: many frameworks and hazards, as a long real file
/// would mix them. Catches rules that grow faster than the text.
pub fn mixed_source(language: Language, lines: usize) -> String {
    let texts: Vec<&str> = scenarios::all()
        .iter()
        .flat_map(|s| s.snippets.iter())
        .filter(|s| s.language == language)
        .flat_map(|s| [s.naive, s.fixed])
        .collect();
    fill_lines(lines, |n| {
        (!texts.is_empty()).then(|| texts[n % texts.len()].to_string())
    })
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// Milliseconds for `stage` on `src`, median of `runs`.
fn time_stage(now: &dyn Fn() -> f64, runs: usize, stage: impl Fn()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = now();
                stage();
                now() - t
            })
            .collect(),
    )
}

/// Milliseconds to analyse `src`, median of `runs`.
fn time_analysis(now: &dyn Fn() -> f64, src: &str, language: Language, runs: usize) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = now();
                let a = analyze(src, Some(language));
                let dt = now() - t;
                assert!(
                    a.is_ok_and(|a| !a.findings.is_empty()),
                    "benchmark input must produce findings"
                );
                dt
            })
            .collect(),
    )
}

/// Simulator throughput: events per second over at least `min_ms` of work.
fn sim_events_per_sec(now: &dyn Fn() -> f64, min_ms: f64) -> f64 {
    let settings = RaceSettings {
        seats: 20_000,
        hot_seats: 200,
        ..RaceSettings::default()
    };
    let start = now();
    let mut events = 0u64;
    let mut seed = 0;
    while now() - start < min_ms {
        let s = RaceSettings {
            seed,
            ..settings.clone()
        };
        events += measure_level(&s, Variant::Naive, 10_000).events;
        seed += 1;
    }
    events as f64 / ((now() - start) / 1000.0)
}

/// Milliseconds for each model's default sweep (8 load levels × naive and fixed), median of
/// `runs`, slowest first.
pub fn model_sweeps(now: &dyn Fn() -> f64, runs: usize) -> Vec<(&'static str, f64)> {
    let mut out: Vec<(&'static str, f64)> = crate::sim::models::ALL
        .iter()
        .map(|m| {
            let ms = median(
                (0..runs.max(1))
                    .map(|_| {
                        let t = now();
                        let sw = crate::sim::model::sweep(*m, &Default::default(), 42, &[]);
                        let dt = now() - t;
                        assert!(!sw.levels.is_empty());
                        dt
                    })
                    .collect(),
            );
            (m.info().hazard, ms)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

fn row(name: &str, value: f64, unit: &str) -> BenchRow {
    BenchRow {
        name: name.into(),
        value,
        unit: unit.into(),
    }
}

/// The analyzer's figures (in the browser these run in the analyzer's worker, where
/// analysis really happens). `now` returns milliseconds from any fixed origin.
pub fn analyzer_rows(now: &dyn Fn() -> f64) -> Vec<BenchRow> {
    let py1k = synthetic_source(Language::Python, 1_000);
    let py10k = synthetic_source(Language::Python, 10_000);
    let js1k = synthetic_source(Language::JavaScript, 1_000);
    // The very first call runs in the browser's baseline wasm compiler: reported on its own.
    // V8 then recompiles the functions that ran most with its optimizing compiler, in the
    // background; after some twenty analyses (or 3 s) the figures below are the steady state
    // that typing sees (median of repeated runs).
    let first = time_analysis(now, &py1k, Language::Python, 1);
    let mut warm_up = Vec::new();
    let warm_start = now();
    for _ in 0..20 {
        warm_up.push(time_analysis(now, &py1k, Language::Python, 1));
        time_analysis(now, &js1k, Language::JavaScript, 1);
        if now() - warm_start > 3_000.0 {
            break;
        }
    }
    let mut rows = vec![
        row("analyze_python_1k_lines_first_call", first, "ms"),
        row(
            "analyze_python_1k_lines_second_call",
            warm_up.first().copied().unwrap_or(first),
            "ms",
        ),
        row(
            "analyze_python_1k_lines_fifth_call",
            warm_up.get(3).copied().unwrap_or(first),
            "ms",
        ),
        row(
            "analyze_python_1k_lines",
            time_analysis(now, &py1k, Language::Python, 9),
            "ms",
        ),
        // The stages of the same analysis: tree-sitter alone, then with lowering to facts.
        row(
            "stage_python_1k_lines_parse_only",
            time_stage(now, 9, || {
                assert!(crate::analyzer::parse_only(&py1k, Language::Python))
            }),
            "ms",
        ),
        row(
            "stage_python_1k_lines_parse_and_lower",
            time_stage(now, 9, || {
                crate::analyzer::lower_only(&py1k, Language::Python);
            }),
            "ms",
        ),
        row(
            "analyze_python_10k_lines",
            time_analysis(now, &py10k, Language::Python, 3),
            "ms",
        ),
        row(
            "analyze_javascript_1k_lines",
            time_analysis(now, &js1k, Language::JavaScript, 7),
            "ms",
        ),
    ];
    // Every language on 10,000 lines of mixed gallery code.
    for language in code_languages() {
        let src = mixed_source(language, 10_000);
        rows.push(row(
            &format!("analyze_mixed_10k_lines_{}", language.id()),
            time_analysis(now, &src, language, 3),
            "ms",
        ));
    }
    rows
}

/// The simulator's figures (in the browser these run on the page, where the simulator is).
pub fn sim_rows(now: &dyn Fn() -> f64) -> Vec<BenchRow> {
    let sweeps = model_sweeps(now, 3);
    let mut rows = vec![row(
        "sim_events_per_sec",
        sim_events_per_sec(now, 500.0),
        "events/s",
    )];
    if let Some((hazard, ms)) = sweeps.first() {
        rows.push(row(&format!("model_sweep_slowest ({hazard})"), *ms, "ms"));
    }
    rows.push(row(
        "model_sweeps_all_models",
        sweeps.iter().map(|s| s.1).sum(),
        "ms",
    ));
    rows
}

/// Every benchmark, analyzer first.
pub fn run(now: &dyn Fn() -> f64) -> Vec<BenchRow> {
    let mut rows = analyzer_rows(now);
    rows.extend(sim_rows(now));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_source_has_exact_lines_and_findings() {
        for lang in [Language::Python, Language::JavaScript] {
            let src = synthetic_source(lang, 1000);
            assert_eq!(src.lines().count(), 1000);
            let a = analyze(&src, Some(lang)).unwrap();
            assert!(a.findings.len() >= 30, "{lang:?}: {}", a.findings.len());
        }
    }

    #[test]
    fn mixed_source_has_exact_lines_and_findings_in_every_language() {
        for lang in code_languages() {
            let src = mixed_source(lang, 2_000);
            assert_eq!(src.lines().count(), 2_000, "{lang:?}");
            let a = analyze(&src, Some(lang)).unwrap();
            assert!(a.findings.len() >= 10, "{lang:?}: {}", a.findings.len());
        }
    }
}
