//! unbounded-cache: a process-level map that only ever grows, over hours of uptime.
//!
//! The process keeps entries keyed by something with many distinct values (a query string,
//! a user agent, a worker per view), `new_keys_per_hour` of them, each a little different in
//! size, adding up to about `growth_mb_per_hour`. Nothing about it depends on traffic peaks:
//! the growth is steady, which is what makes it look harmless in a short test.
//!
//! - **Naive**: nothing is ever removed. Memory climbs in a straight line from the baseline
//!   until it crosses the container's limit; the kernel kills the process (OOM), it restarts
//!   empty and climbs again: a sawtooth, with every kill dropping the requests in flight.
//! - **Fixed**: an LRU bounded by size (half the headroom between the baseline and the
//!   limit): the oldest entries are evicted to make room, and an entry larger than the whole
//!   budget is not cached. Memory plateaus below the limit, so there is never a kill.
//!
//! The headline counts OOM kills. Defaults come from the orphaned-workers story: memory rose
//! about 45 MB an hour regardless of traffic, 480 workers were created in 8 hours (60 an
//! hour) and none terminated. The 512 MB limit and 100 MB baseline are a common small
//! container, ours.

use super::cache_parts::Gauge;
use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::Variant;
use std::collections::VecDeque;

pub struct UnboundedCache;

const HOUR_US: u64 = 3_600_000_000;
/// The request that creates an entry, as drawn in the animation.
const REQUEST_US: u64 = 50_000;
/// From an OOM kill until the restarted process serves again.
const RESTART_US: u64 = 30_000_000;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "growth_mb_per_hour",
        label: "Memory added per hour",
        unit: "MB/h",
        default: 45,
        min: 1,
        max: 10_000,
    },
    ParamSpec {
        name: "new_keys_per_hour",
        label: "New keys (or workers) per hour",
        unit: "keys/h",
        default: 60,
        min: 1,
        max: 600,
    },
    ParamSpec {
        name: "limit_mb",
        label: "Container memory limit",
        unit: "MB",
        default: 512,
        min: 256,
        max: 65_536,
    },
    ParamSpec {
        name: "baseline_mb",
        label: "Memory of the process without the cache",
        unit: "MB",
        default: 100,
        min: 0,
        max: 240,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "unbounded-cache",
    title: "A process-level map that grows with every new key until the container dies",
    metric: "OOM kills",
    unit: "kills",
    load_label: "hours running",
    loads: &[1, 2, 4, 8, 12, 24, 48, 72],
    max_load: 720,
    params: PARAMS,
    naive_label: "map with no bound",
    fixed_label: "LRU bounded by size",
    stages: &[Stage::Replica, Stage::Cache],
};

impl Model for UnboundedCache {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding says the map has no bound, but not how fast it grows: that depends on
    /// traffic and entry sizes the code does not state, so the story's figures stay.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name| o.metric(name).unwrap_or(0);
        let kills = match naive.failures {
            0 => format!(
                "it has not reached the {} MB limit yet (at this rate it will)",
                settings.get("limit_mb")
            ),
            1 => format!(
                "the process was OOM-killed once at the {} MB limit and restarted empty",
                settings.get("limit_mb")
            ),
            n => format!(
                "the process was OOM-killed {n} times at the {} MB limit, restarting empty \
                 each time",
                settings.get("limit_mb")
            ),
        };
        format!(
            "After {load} hours running, the unbounded map had created {} entries and freed {}; \
             memory peaked at {} MB and {kills}. Bounded by size, the cache evicted {} old \
             entries, memory stayed at or below {} MB, and there were {} OOM kills.",
            m(naive, "entries created"),
            m(naive, "entries freed"),
            m(naive, "peak memory"),
            m(fixed, "entries freed"),
            m(fixed, "peak memory"),
            fixed.failures,
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("memory", "MB")
    }
}

/// One cached entry (or live worker): its size and the journey that shows it.
struct Entry {
    kb: u64,
    journey: Option<usize>,
}

fn simulate(s: &Settings, variant: Variant, hours: u64, seed: u64, trace: bool) -> Run {
    let keys_per_hour = s.get("new_keys_per_hour").max(1);
    let limit_kb = s.get("limit_mb").saturating_mul(1_024);
    let baseline_kb = s.get("baseline_mb").saturating_mul(1_024);
    let mean_kb = (s.get("growth_mb_per_hour").saturating_mul(1_024) / keys_per_hour).max(1);
    let mean_gap_us = HOUR_US / keys_per_hour;
    let end_us = hours.saturating_mul(HOUR_US);
    // The fix's size bound: half the headroom, so the process keeps room for its own peaks.
    let budget_kb = limit_kb.saturating_sub(baseline_kb) / 2;

    let mut rng = Rng::new(seed);
    let mut live: VecDeque<Entry> = VecDeque::new();
    let mut cache_kb = 0u64;
    let (mut created, mut freed, mut lost, mut kills, mut events) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut peak_kb = baseline_kb;
    let mut journeys: Vec<Journey> = Vec::new();
    let mut gauge = Gauge::new(trace);
    let mut capped = false;
    let to_mb = |kb: u64| kb / 1_024;
    gauge.set(0, to_mb(baseline_kb));

    // Ends an entry's stay in the cache (its journey's last hop) at `t` with `fate`.
    let close = |journeys: &mut Vec<Journey>, e: &Entry, t: u64, fate: Fate| {
        if let Some(j) = e.journey.and_then(|i| journeys.get_mut(i)) {
            if let Some(h) = j.hops.last_mut() {
                h.end_us = t.max(h.start_us);
            }
            j.fate = fate;
        }
    };

    let mut t = rng.between(0, mean_gap_us);
    while t < end_us {
        events += 1;
        if events > MAX_EVENTS {
            capped = true;
            break;
        }
        let kb = rng
            .between(mean_kb - mean_kb / 4, mean_kb + mean_kb / 4)
            .max(1);
        created += 1;
        let journey = (trace && journeys.len() < MAX_JOURNEYS).then(|| {
            journeys.push(Journey {
                id: journeys.len() as u32,
                hops: vec![
                    Hop {
                        stage: Stage::Replica,
                        lane: 0,
                        start_us: t,
                        end_us: t + REQUEST_US,
                    },
                    Hop {
                        stage: Stage::Cache,
                        lane: 0,
                        start_us: t + REQUEST_US,
                        end_us: end_us.max(t + REQUEST_US),
                    },
                ],
                fate: Fate::Ok,
            });
            journeys.len() - 1
        });
        let entry = Entry { kb, journey };
        match variant {
            Variant::Naive => {
                cache_kb += kb;
                live.push_back(entry);
                if baseline_kb + cache_kb > limit_kb {
                    // The kernel kills the process: every entry (and the request that pushed it
                    // over) is gone, and it restarts with the baseline.
                    kills += 1;
                    peak_kb = peak_kb.max(limit_kb);
                    gauge.set(t, to_mb(limit_kb));
                    for e in live.drain(..) {
                        close(&mut journeys, &e, t, Fate::Failed);
                        lost += 1;
                    }
                    cache_kb = 0;
                    t = t.saturating_add(RESTART_US);
                }
            }
            Variant::Fixed => {
                if kb > budget_kb {
                    // Larger than the whole budget: served, not cached.
                    close(&mut journeys, &entry, t + REQUEST_US, Fate::Ok);
                } else {
                    while cache_kb + kb > budget_kb {
                        let Some(old) = live.pop_front() else { break };
                        cache_kb = cache_kb.saturating_sub(old.kb);
                        freed += 1;
                        close(&mut journeys, &old, t, Fate::Ok);
                    }
                    cache_kb += kb;
                    live.push_back(entry);
                }
            }
        }
        peak_kb = peak_kb.max(baseline_kb + cache_kb);
        gauge.set(t, to_mb(baseline_kb + cache_kb));
        let gap = rng.between(mean_gap_us - mean_gap_us / 4, mean_gap_us + mean_gap_us / 4);
        t = t.saturating_add(gap.max(1));
    }
    gauge.close(end_us, to_mb(baseline_kb + cache_kb));

    let metric = |name, value, unit| Metric { name, value, unit };
    Run {
        outcome: Outcome {
            failures: kills,
            out_of: 0,
            metrics: vec![
                metric("peak memory", to_mb(peak_kb), "MB"),
                metric("memory at the end", to_mb(baseline_kb + cache_kb), "MB"),
                metric("entries created", created, "entries"),
                metric("entries freed", freed, "entries"),
                metric("entries lost in OOM kills", lost, "entries"),
                metric("entries held at the end", live.len() as u64, "entries"),
            ],
            events,
            capped,
        },
        journeys,
        series: gauge.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: u64, variant: Variant, seed: u64) -> Outcome {
        UnboundedCache
            .run(&Settings::defaults(&INFO), variant, hours, seed, false)
            .outcome
    }

    #[test]
    fn calibration_45_mb_an_hour_until_the_limit() {
        for seed in [1, 42, 2026] {
            let grown = |h| {
                at(h, Variant::Naive, seed)
                    .metric("memory at the end")
                    .unwrap()
                    - 100
            };
            // Linear: about 45 MB an hour above the 100 MB baseline, within 4 % + 2 MB.
            for h in [1, 2, 4, 8] {
                let g = grown(h);
                assert!(
                    g.abs_diff(45 * h) <= 2 + 45 * h / 25,
                    "seed {seed}: {g} MB after {h} h"
                );
            }
            // (512 - 100) / 45 = 9.2 hours to the limit: alive at 9 h, killed by 10 h.
            assert_eq!(at(9, Variant::Naive, seed).failures, 0, "seed {seed}");
            assert_eq!(at(10, Variant::Naive, seed).failures, 1, "seed {seed}");
        }
        // The orphaned workers: 60 an hour, so about 480 created in 8 hours, none freed.
        let eight = at(8, Variant::Naive, 42);
        assert_eq!(eight.metric("entries created"), Some(479));
        assert_eq!(eight.metric("entries freed"), Some(0));
    }

    #[test]
    fn pinned_sweep_seed_42() {
        let sw = sweep(&UnboundedCache, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [0, 0, 0, 0, 1, 2, 5, 7]);
        assert_eq!(sw.first_failing_load(), Some(12));
        let l = &sw.levels[7];
        let text = UnboundedCache.summary(&Settings::defaults(&INFO), 72, &l.naive, &l.fixed);
        assert!(text.contains("OOM-killed 7 times"), "{text}");
        let fixed_peak: Vec<u64> = sw
            .levels
            .iter()
            .map(|l| l.fixed.metric("peak memory").unwrap())
            .collect();
        assert_eq!(fixed_peak, [144, 189, 279, 305, 305, 305, 306, 306]);
        for l in &sw.levels {
            assert_eq!(l.fixed.failures, 0);
            // Half the headroom: 100 + (512 - 100) / 2.
            assert!(l.fixed.metric("peak memory").unwrap() <= 306);
        }
    }

    #[test]
    fn a_bigger_container_only_postpones_the_kill() {
        let mut p = Params::default();
        p.set("limit_mb", 1_024);
        let (s, _) = Settings::resolve(&INFO, &p);
        let big = |h| {
            UnboundedCache
                .run(&s, Variant::Naive, h, 42, false)
                .outcome
                .failures
        };
        assert_eq!(big(12), 0);
        assert_eq!(big(24), 1);
        assert!(big(72) >= 3);
        assert!(big(72) < at(72, Variant::Naive, 42).failures);
    }

    #[test]
    fn series_is_a_sawtooth_and_journeys_end_in_the_kill() {
        let s = Settings::defaults(&INFO);
        let run = UnboundedCache.run(&s, Variant::Naive, 24, 42, true);
        let values: Vec<u64> = run.series.iter().map(|p| p.value).collect();
        assert_eq!(values.iter().filter(|&&v| v == 512).count(), 2);
        // Right after each kill, memory is back near the baseline.
        for w in values.windows(2).filter(|w| w[0] == 512) {
            assert!(w[1] < 120, "{w:?}");
        }
        let lost = run
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Failed)
            .count() as u64;
        assert_eq!(Some(lost), run.outcome.metric("entries lost in OOM kills"));
        assert_eq!(
            run.journeys.len() as u64,
            run.outcome.metric("entries created").unwrap()
        );
        let fixed = UnboundedCache.run(&s, Variant::Fixed, 24, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
        assert!(fixed.series.iter().all(|p| p.value <= 306));
    }

    #[test]
    fn an_entry_larger_than_the_budget_is_not_kept() {
        let mut p = Params::default();
        p.set("growth_mb_per_hour", 10_000)
            .set("new_keys_per_hour", 1);
        let (s, _) = Settings::resolve(&INFO, &p);
        let o = UnboundedCache.run(&s, Variant::Fixed, 5, 42, false).outcome;
        assert_eq!(o.failures, 0);
        assert_eq!(o.metric("peak memory"), Some(100));
        assert!(
            UnboundedCache
                .run(&s, Variant::Naive, 5, 42, false)
                .outcome
                .failures
                > 0
        );
    }
}
