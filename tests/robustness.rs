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
    for src in sources() {
        for (i, _) in src.char_indices() {
            let _ = analyze(&src[..i], None);
            let _ = analyze(&src[i..], Some(Language::JavaScript));
        }
    }
}

#[test]
fn mutated_scenarios_do_not_panic() {
    let mut rng = Rng::new(7);
    const ALPHABET: &[u8] = b"(){}[]'\"`$:;.,=+-*/\\#\n\t abcXYZ019\x00";
    for src in sources() {
        for _ in 0..300 {
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
