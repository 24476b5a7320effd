//! Findings/scenarios → deterministic traces and metrics.
//!
//! [`engine`] is a small discrete-event core (virtual clock in microseconds, event queue
//! ordered by time then insertion). [`rng`] is a seeded integer-only generator, so a run gives
//! the same trace natively and in wasm (no platform `ln`/`exp` whose last bits may differ).
//! Each failure family is one model module; today that is [`race`] (check-then-act).

pub mod engine;
pub mod interleave;
pub mod model;
pub mod models;
pub mod race;
pub mod rng;

use serde::{Deserialize, Serialize};

/// The concurrency levels of a load sweep.
pub const LOAD_LEVELS: [u32; 8] = [1, 2, 5, 10, 20, 50, 100, 200];

/// Which version of the code a run models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// The code as pasted: read, decide, then write.
    Naive,
    /// The fix: one atomic conditional write.
    Fixed,
}

impl Variant {
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Naive => "naive",
            Variant::Fixed => "fixed",
        }
    }
}

/// Nearest-rank percentile of an unsorted sample, in the sample's unit. 0 for an empty sample.
pub fn percentile(samples: &mut [u64], pct: u64) -> u64 {
    if samples.is_empty() {
        return 0;
    }
    samples.sort_unstable();
    let rank = (pct * samples.len() as u64).div_ceil(100).max(1) as usize;
    samples[rank.min(samples.len()) - 1]
}

/// FNV-1a over bytes: a stable fingerprint for traces (tests compare it native vs wasm).
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_nearest_rank() {
        let mut v = vec![5, 1, 4, 2, 3];
        assert_eq!(percentile(&mut v, 50), 3);
        assert_eq!(percentile(&mut v, 99), 5);
        assert_eq!(percentile(&mut v, 1), 1);
        assert_eq!(percentile(&mut [], 50), 0);
    }
}
