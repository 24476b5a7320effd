//! Every input the fuzzer (`make fuzz`) ever crashed, hung or crawled on, replayed through its
//! target: no panic, and done in bounded time. A new crash file in `tests/fuzz_crashes/` is
//! covered by being there.
#![cfg(not(target_arch = "wasm32"))]

use hazard_lab::fuzz::Input;
use std::time::{Duration, Instant};

#[test]
fn every_saved_fuzz_input_replays_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_crashes");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz_crashes exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("bin" | "txt")))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "crash files missing: {}", paths.len());
    for p in paths {
        let bytes = std::fs::read(&p).expect("readable");
        let input = Input::from_bytes(&bytes)
            .unwrap_or_else(|| panic!("{} is not a fuzz input", p.display()));
        let t0 = Instant::now();
        let outcome = input.execute();
        let took = t0.elapsed();
        println!(
            "{}: {outcome} in {:.1} ms",
            p.display(),
            took.as_secs_f64() * 1000.0
        );
        // Only the endless fail: debug builds are 10-30x slower than `make fuzz` and machines
        // are shared; the hangs these inputs found ran without end.
        assert!(
            took < Duration::from_secs(600),
            "{} took {took:?}",
            p.display()
        );
    }
}
