//! No input makes the analyzer or the simulator panic: every prefix of the scenario code,
//! byte-level mutations of it, and random settings.
#![cfg(not(target_arch = "wasm32"))]

use hazard_lab::analyzer::{analyze, Language};
use hazard_lab::scenarios;
use hazard_lab::sim::race::{measure_level, RaceSettings};
use hazard_lab::sim::rng::{Latency, Rng};
use hazard_lab::sim::Variant;

fn sources() -> Vec<&'static str> {
    scenarios::all()
        .iter()
        .flat_map(|s| s.snippets.iter().flat_map(|p| [p.naive, p.fixed]))
        .collect()
}

#[test]
fn every_prefix_of_the_scenarios_is_analysed() {
    // Cut at every line start and in the middle of every line: where a paste gets cut in
    // practice. (Every character was tried while the gallery had 4 snippets; with 50 the
    // quadratic cost took minutes. `make fuzz` covers arbitrary cuts.)
    for src in sources() {
        let mut cuts: Vec<usize> = Vec::new();
        let mut start = 0;
        for line in src.split_inclusive('\n') {
            cuts.push(start);
            let mid = start + line.len() / 2;
            cuts.push(
                (0..=mid)
                    .rev()
                    .find(|&i| src.is_char_boundary(i))
                    .unwrap_or(0),
            );
            start += line.len();
        }
        for i in cuts {
            let _ = analyze(&src[..i], None);
            let _ = analyze(&src[i..], Some(Language::JavaScript));
        }
    }
}

#[test]
fn mutated_scenarios_do_not_panic() {
    let mut rng = Rng::new(7);
    const ALPHABET: &[u8] = b"(){}[]'\"`$:;.,=+-*/\\#\n\t abcXYZ019\x00";
    // About 3,000 mutants in all, however many scenarios there are.
    let sources = sources();
    let per_source = (3_000 / sources.len().max(1)).clamp(20, 300);
    for src in sources {
        for _ in 0..per_source {
            let mut bytes = src.as_bytes().to_vec();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len() as u64) as usize;
                match rng.below(3) {
                    0 => bytes[at] = ALPHABET[rng.below(ALPHABET.len() as u64) as usize],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len() as u64) as usize]),
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            for lang in [None, Some(Language::Python), Some(Language::JavaScript)] {
                if let Ok(a) = analyze(&text, lang) {
                    for f in a.findings {
                        assert!(f.span.start_line <= f.span.end_line);
                        assert!(f.span.end_line <= a.lines.max(1));
                    }
                }
            }
        }
    }
}

#[test]
fn random_settings_do_not_panic() {
    let mut rng = Rng::new(99);
    let mut any = |max: u64| {
        if rng.chance(100) {
            u64::MAX
        } else {
            rng.below(max)
        }
    };
    for _ in 0..200 {
        let lat = |a: u64, b: u64, c: u64, d: u64| Latency {
            min_us: a,
            max_us: b,
            tail_per_mille: c,
            tail_max_us: d,
        };
        let s = RaceSettings {
            seats: any(500) as u32,
            hot_seats: any(50) as u32,
            hot_per_mille: any(2000),
            arrival_window_ms: any(5000),
            read: lat(any(10_000), any(50_000), any(1500), any(100_000)),
            think: lat(any(10_000), any(50_000), any(1500), any(100_000)),
            write: lat(any(10_000), any(50_000), any(1500), any(100_000)),
            db_pool: any(40) as u32,
            max_attempts: any(10) as u32,
            seed: any(u64::MAX),
        };
        let clients = 1 + any(300) as u32 % 300;
        for v in [Variant::Naive, Variant::Fixed] {
            let r = measure_level(&s, v, clients);
            assert_eq!(r.clients, clients);
            if v == Variant::Fixed {
                assert_eq!(r.double_bookings, 0);
            }
        }
    }
}

/// Every fixture file, of every rule and language: the seeds for mutation.
fn fixture_sources() -> Vec<(String, Language)> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures"
    ))];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let (Some(lang), Ok(text)) = (
                Language::from_path(&p.to_string_lossy()),
                std::fs::read_to_string(&p),
            ) {
                out.push((text, lang));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_rule_survives_mutated_fixtures_in_every_language() {
    let fixtures = fixture_sources();
    assert!(fixtures.len() > 100, "fixtures not found");
    let mut rng = Rng::new(2026);
    const ALPHABET: &[u8] = b"(){}[]'\"`$:;.,=+-*/\\#<>!\n\t abcXYZ019";
    for (text, lang) in &fixtures {
        for round in 0..4 {
            let mut bytes = text.as_bytes().to_vec();
            if bytes.is_empty() {
                continue;
            }
            for _ in 0..1 + rng.below(6) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len() as u64) as usize;
                match rng.below(4) {
                    0 => bytes[at] = ALPHABET[rng.below(ALPHABET.len() as u64) as usize],
                    1 => {
                        bytes.remove(at);
                    }
                    2 => bytes.truncate(at.max(1)),
                    _ => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len() as u64) as usize]),
                }
            }
            let mutated = String::from_utf8_lossy(&bytes);
            // Also read each file as another language: rules must not assume their own.
            let other = Language::ALL[(round + *lang as usize) % Language::ALL.len()];
            for l in [Some(*lang), Some(other), None] {
                if let Ok(a) = analyze(&mutated, l) {
                    for f in &a.findings {
                        assert!(f.span.start_line >= 1 && f.span.start_line <= f.span.end_line);
                        assert!(f
                            .evidence
                            .iter()
                            .all(|e| e.line >= 1 && e.line <= a.lines.max(1)));
                    }
                }
            }
        }
    }
}
