//! in-memory-rate-limit: a per-client limit kept in each process's memory, behind a load
//! balancer.
//!
//! One abusive client sends `load` requests a minute. A round-robin balancer spreads them
//! over `processes` processes (replicas × workers). The limit is `limit` requests per
//! `window_s` per client, enforced by a sliding-window log.
//!
//! - **Naive**: each process keeps its own log in memory, so each one admits `limit` per
//!   window: the client gets about `processes × limit` through.
//! - **Fixed**: one log shared by all processes (Redis: an atomic script over a sorted set, or
//!   `INCR` with expiry), so the client gets exactly `limit` per window.
//!
//! The headline counts requests *admitted over the limit*: requests let through while the
//! client already had `limit` admitted in the window before them, counted against a log of
//! everything admitted. The shared limiter checks that same log before admitting, so the
//! fixed variant has none by construction. Defaults: the story's auth limiter on three
//! replicas ("two replicas double every user's limit; three, chaos"), at 100 requests a
//! minute.

use super::cache_parts::{leading_number, limiter_run_us, SlidingLog};
use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::Variant;

pub struct InMemoryRateLimit;

/// Client ↔ balancer, each way.
const NET_US: u64 = 10_000;
const BALANCER_US: u64 = 1_000;
const APP_US: u64 = 3_000;
/// One round trip to the shared store.
const STORE_US: u64 = 1_000;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "limit",
        label: "Requests allowed per window",
        unit: "requests",
        default: 100,
        min: 1,
        max: 100_000,
    },
    ParamSpec {
        name: "window_s",
        label: "Limit window",
        unit: "s",
        default: 60,
        min: 1,
        max: 86_400,
    },
    ParamSpec {
        name: "processes",
        label: "Processes (replicas × workers)",
        unit: "processes",
        default: 3,
        min: 1,
        max: 256,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "in-memory-rate-limit",
    title: "A rate limit counted in each process's memory, behind a load balancer",
    metric: "requests admitted over the limit",
    unit: "requests",
    load_label: "requests per minute from one client",
    loads: &[50, 100, 150, 200, 300, 600, 1_200, 3_000],
    max_load: 20_000,
    params: PARAMS,
    naive_label: "counts in each process's memory",
    fixed_label: "one shared counter (Redis)",
    stages: &[Stage::Client, Stage::Balancer, Stage::Replica, Stage::Cache],
};

impl Model for InMemoryRateLimit {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(limit) = leading_number(finding, "limit") {
            p.set("limit", limit);
        }
        if let Some(window) = leading_number(finding, "window_s") {
            p.set("window_s", window);
        }
        // Every process counts on its own: replicas × workers when both are known.
        let processes = leading_number(finding, "processes")
            .or_else(|| leading_number(finding, "replicas"))
            .or_else(|| leading_number(finding, "workers"));
        if let Some(n) = processes {
            p.set("processes", n);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name| o.metric(name).unwrap_or(0);
        format!(
            "At {load} requests per minute from one client, against a limit of {} per {} s on \
             {} processes, the in-memory limiter let {} requests a minute through (at most {} \
             in one window): {} of {} requests were admitted over the limit. With one shared \
             counter, {} a minute got through (at most {} in one window), {} over the limit.",
            settings.get("limit"),
            settings.get("window_s"),
            settings.get("processes"),
            m(naive, "admitted per minute"),
            m(naive, "most admitted in one window"),
            naive.failures,
            naive.out_of,
            m(fixed, "admitted per minute"),
            m(fixed, "most admitted in one window"),
            fixed.failures,
        )
    }
}

fn simulate(s: &Settings, variant: Variant, per_minute: u64, seed: u64, trace: bool) -> Run {
    let limit = s.get("limit").max(1);
    let window_us = s.get("window_s").max(1).saturating_mul(1_000_000);
    let processes = s.get("processes").clamp(1, 256) as usize;
    let length_us = limiter_run_us(window_us);
    let mean_gap_us = (60_000_000 / per_minute.max(1)).max(1);

    let mut rng = Rng::new(seed);
    let mut per_process: Vec<SlidingLog> = (0..processes).map(|_| SlidingLog::default()).collect();
    // Everything admitted for this client, wherever: the shared store of the fix, and the
    // ground truth the naive variant is measured against.
    let mut admitted_log = SlidingLog::default();
    let (mut requests, mut admitted, mut over, mut events) = (0u64, 0u64, 0u64, 0u64);
    let mut most_in_window = 0u64;
    let mut journeys: Vec<Journey> = Vec::new();
    let mut capped = false;

    let mut t = rng.between(0, mean_gap_us);
    while t < length_us {
        events += 1;
        if events > MAX_EVENTS {
            capped = true;
            break;
        }
        let process = (requests % processes as u64) as usize;
        requests += 1;
        let at_app = t + NET_US + BALANCER_US;
        let decided = at_app + APP_US;
        let already = admitted_log.count(decided, window_us);
        let admit = match variant {
            Variant::Naive => per_process
                .get_mut(process)
                .is_some_and(|log| log.try_admit(decided, window_us, limit)),
            Variant::Fixed => already < limit,
        };
        let fate = if !admit {
            Fate::Rejected
        } else {
            admitted += 1;
            admitted_log.record(decided);
            most_in_window = most_in_window.max(already + 1);
            if already >= limit {
                over += 1;
                Fate::Anomaly
            } else {
                Fate::Ok
            }
        };
        if trace && journeys.len() < MAX_JOURNEYS {
            let hop = |stage, lane, start_us, end_us| Hop {
                stage,
                lane,
                start_us,
                end_us,
            };
            let mut hops = vec![
                hop(Stage::Client, 0, t, t + NET_US),
                hop(Stage::Balancer, 0, t + NET_US, at_app),
                hop(Stage::Replica, process as u32, at_app, decided),
            ];
            let mut back = decided;
            if variant == Variant::Fixed {
                hops.push(hop(Stage::Cache, 0, decided, decided + STORE_US));
                back += STORE_US;
            }
            hops.push(hop(Stage::Client, 0, back, back + NET_US));
            journeys.push(Journey {
                id: journeys.len() as u32,
                hops,
                fate,
            });
        }
        t = t.saturating_add(rng.between(1, 2 * mean_gap_us));
    }

    let metric = |name, value, unit| Metric { name, value, unit };
    Run {
        outcome: Outcome {
            failures: over,
            out_of: requests,
            metrics: vec![
                metric("requests", requests, "requests"),
                metric("admitted", admitted, "requests"),
                metric("rejected", requests - admitted, "requests"),
                metric(
                    "admitted per minute",
                    admitted.saturating_mul(60_000_000) / length_us,
                    "requests/min",
                ),
                metric("most admitted in one window", most_in_window, "requests"),
            ],
            events,
            capped,
        },
        journeys,
        series: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn at(settings: &Settings, variant: Variant, per_minute: u64) -> Outcome {
        InMemoryRateLimit
            .run(settings, variant, per_minute, 42, false)
            .outcome
    }

    #[test]
    fn calibration_100_a_minute_on_3_replicas_lets_300_through() {
        let s = Settings::defaults(&INFO);
        for load in [600, 1_200, 3_000] {
            let naive = at(&s, Variant::Naive, load);
            let fixed = at(&s, Variant::Fixed, load);
            assert_eq!(naive.metric("admitted per minute"), Some(300), "{load}");
            assert_eq!(naive.metric("most admitted in one window"), Some(300));
            assert_eq!(fixed.metric("admitted per minute"), Some(100), "{load}");
            assert_eq!(fixed.metric("most admitted in one window"), Some(100));
        }
    }

    #[test]
    fn pinned_sweep_seed_42() {
        let sw = sweep(&InMemoryRateLimit, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [0, 20, 339, 498, 780, 800, 800, 800]);
        assert_eq!(sw.first_failing_load(), Some(100));
        let l = &sw.levels[6];
        let text = InMemoryRateLimit.summary(&Settings::defaults(&INFO), 1_200, &l.naive, &l.fixed);
        assert!(text.contains("let 300 requests a minute through"), "{text}");
        let fixed_admitted: Vec<u64> = sw
            .levels
            .iter()
            .map(|l| l.fixed.metric("admitted").unwrap())
            .collect();
        assert_eq!(fixed_admitted, [149, 281, 300, 300, 300, 300, 300, 300]);
        assert!(sw.levels.iter().all(|l| l.fixed.failures == 0));
    }

    #[test]
    fn one_process_is_already_a_shared_limiter() {
        let mut p = Params::default();
        p.set("processes", 1);
        let (s, _) = Settings::resolve(&INFO, &p);
        let naive = at(&s, Variant::Naive, 1_200);
        let fixed = at(&s, Variant::Fixed, 1_200);
        assert_eq!(naive.failures, 0);
        assert_eq!(naive.metric("admitted"), fixed.metric("admitted"));
        // Each process added lets the client have the limit once more.
        p.set("processes", 12);
        let (s, _) = Settings::resolve(&INFO, &p);
        assert_eq!(
            at(&s, Variant::Naive, 6_000).metric("most admitted in one window"),
            Some(1_200)
        );
    }

    #[test]
    fn journeys_spread_over_the_processes() {
        let s = Settings::defaults(&INFO);
        let run = InMemoryRateLimit.run(&s, Variant::Naive, 600, 42, true);
        let lanes: std::collections::BTreeSet<u32> = run
            .journeys
            .iter()
            .filter_map(|j| j.hops.iter().find(|h| h.stage == Stage::Replica))
            .map(|h| h.lane)
            .collect();
        assert_eq!(lanes.into_iter().collect::<Vec<_>>(), [0, 1, 2]);
        let over = run
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count() as u64;
        assert_eq!(over, run.outcome.failures);
        let fixed = InMemoryRateLimit.run(&s, Variant::Fixed, 600, 42, true);
        assert!(fixed
            .journeys
            .iter()
            .all(|j| j.fate != Fate::Anomaly && j.hops.iter().any(|h| h.stage == Stage::Cache)));
    }

    #[test]
    fn settings_from_the_finding() {
        let f = finding_with(
            "in-memory-rate-limit",
            &[
                ("limit", "5"),
                ("window_s", "1"),
                ("replicas", "4"),
                ("processes", "8"),
            ],
        );
        let p = InMemoryRateLimit.params_from_finding(&f);
        assert_eq!(p.0.get("limit"), Some(&5));
        assert_eq!(p.0.get("window_s"), Some(&1));
        assert_eq!(p.0.get("processes"), Some(&8));
        let replicas_only = finding_with("in-memory-rate-limit", &[("replicas", "2")]);
        let p = InMemoryRateLimit.params_from_finding(&replicas_only);
        assert_eq!(p.0.get("processes"), Some(&2));
        assert_eq!(p.0.get("limit"), None);
    }
}
