//! Runs in headless Chromium via wasm-bindgen-test (`make test-wasm`): the analyzer finds the
//! seat-booking race on the right lines, and the simulator gives the same trace as natively.
#![cfg(target_arch = "wasm32")]

use hazard_lab::analyzer::{analyze, AnalyzeError, Language};
use hazard_lab::sim::race::{run_level, sweep, RaceSettings, PINNED_FINGERPRINT_50};
use hazard_lab::sim::Variant;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn analyzer_finds_the_race_in_wasm() {
    let a = analyze(include_str!("../src/scenarios/seat_booking/naive.py"), None).unwrap();
    assert_eq!(a.language, Language::Python);
    assert_eq!(a.findings.len(), 1);
    assert_eq!(a.findings[0].hazard, "check-then-act");
    assert_eq!(a.findings[0].span.start_line, 12);
    let js = analyze(include_str!("../src/scenarios/seat_booking/naive.js"), None).unwrap();
    assert_eq!(js.findings[0].span.start_line, 10);
    let fixed = analyze(include_str!("../src/scenarios/seat_booking/fixed.js"), None).unwrap();
    assert!(fixed.findings.is_empty());
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    assert_eq!(analyze("", None), Err(AnalyzeError::Empty));
    assert_eq!(
        analyze("just some words here", None),
        Err(AnalyzeError::UnknownLanguage)
    );
    let junk: String = (0..4000u32)
        .map(|i| char::from_u32(i % 32).unwrap())
        .collect();
    assert!(matches!(
        analyze(&junk, None),
        Err(AnalyzeError::Binary { .. })
    ));
}

#[wasm_bindgen_test]
fn simulator_trace_matches_native() {
    let run = run_level(&RaceSettings::default(), Variant::Naive, 50);
    assert_eq!(run.fingerprint(), PINNED_FINGERPRINT_50);
    let sw = sweep(&RaceSettings::default());
    let naive: Vec<u32> = sw.naive.iter().map(|r| r.double_bookings).collect();
    assert_eq!(naive, [0, 0, 0, 0, 3, 5, 26, 74]);
    assert!(sw.fixed.iter().all(|r| r.double_bookings == 0));
}

#[wasm_bindgen_test]
fn every_model_matches_native() {
    // The same table the native test pins: journeys, series and figures hash identically.
    assert_eq!(
        hazard_lab::sim::models::reference_fingerprints(),
        hazard_lab::sim::models::pinned::PINNED
    );
}

#[wasm_bindgen_test]
fn share_links_round_trip_in_wasm() {
    use hazard_lab::share::{decode, encode, LinkState};
    let s = LinkState {
        code: Some("x = 1\n".repeat(100)),
        seed: Some(7),
        ..Default::default()
    };
    assert_eq!(decode(&encode(&s)), Ok(s));
}
