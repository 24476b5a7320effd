//! Property tests on the fuzz generators (`hazard_lab::fuzz`, the same ones `make fuzz` runs
//! millions of times): a few thousand cases per target, each checking the invariants the page
//! relies on (spans inside the text, highlight ranges on char boundaries, refusals that say
//! the saved work is unchanged, links that round-trip, runs within the event and journey caps).
//! `tests/robustness.rs` mutates fixtures in place; these add arbitrary bytes, splices, deep
//! nesting, hostile deflate streams and extreme simulator settings.
#![cfg(not(target_arch = "wasm32"))]

use hazard_lab::fuzz::{generate, iteration_rng, Corpus, Input, Target};
use std::collections::BTreeMap;

/// Runs `cases` generated inputs of `target` (seed fixed), skipping inputs whose size makes a
/// debug run slow (`tests/bounded.rs` covers the large ones); returns the outcome counts.
fn run(target: Target, cases: u64, max_bytes: usize) -> BTreeMap<&'static str, u64> {
    let corpus = Corpus::standard();
    assert!(corpus.texts.len() > 100, "fixtures not found");
    let mut outcomes = BTreeMap::new();
    let mut i = 0;
    let mut ran = 0;
    while ran < cases {
        let input = generate(target, &mut iteration_rng(2026, target, i), &corpus);
        i += 1;
        let size = match &input {
            Input::Analyzer { bytes, .. } => bytes.len(),
            Input::Share { text } => text.len(),
            Input::Sim(s) => s.load.min(1 << 20) as usize,
        };
        if size > max_bytes {
            continue;
        }
        ran += 1;
        *outcomes.entry(input.execute()).or_insert(0) += 1;
    }
    println!("{target:?}: {outcomes:?} ({} generated)", i);
    outcomes
}

#[test]
fn analyzer_on_arbitrary_and_mutated_input() {
    let o = run(Target::Analyzer, 2000, 16 * 1024);
    // Most inputs get past the input checks: the generator is not wasting its cases.
    let analysed: u64 = o
        .iter()
        .filter(|(k, _)| k.starts_with("analysed"))
        .map(|(_, v)| v)
        .sum();
    assert!(analysed > 1200, "{o:?}");
    assert!(
        o.get("analysed with findings").copied().unwrap_or(0) > 300,
        "{o:?}"
    );
}

#[test]
fn share_links_random_and_mutated() {
    let o = run(Target::Share, 4000, usize::MAX);
    assert!(o.get("opened").copied().unwrap_or(0) > 400, "{o:?}");
    assert!(o.get("refused").copied().unwrap_or(0) > 1000, "{o:?}");
}

#[test]
fn simulator_with_random_settings() {
    // Small loads in debug; `make fuzz` and tests/bounded.rs take the large ones.
    let o = run(Target::Sim, 600, 200);
    assert!(o.get("ran").copied().unwrap_or(0) > 400, "{o:?}");
}
