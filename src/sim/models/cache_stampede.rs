//! cache-stampede: one hot key expires while requests keep coming.
//!
//! Requests for the key arrive at `load` per second. The cached value expires one second into
//! the run (it was written `ttl_s` earlier); recomputing it is an expensive query
//! (`recompute_ms` of database time) on a pool of `db_pool` connections. Every finished
//! recompute writes the value back with a fresh TTL.
//!
//! - **Naive**: `get`, and on a miss compute and `set`. Every request that misses before the
//!   first recompute lands starts its own recompute, so the database receives a burst of
//!   identical queries that queue behind each other, and every one of those requests waits.
//! - **Fixed**: single flight. The first miss recomputes; requests that miss while it runs
//!   wait for that one result instead of starting another, so each expiry costs exactly one
//!   query.
//!
//! The headline counts *redundant recomputes*: recomputes started while another recompute of
//! the key was already running. Single flight never starts one, so the fixed variant has none
//! by construction. The TTL default (300 s) is what the analyzer reports for a typical
//! snippet; 2 s of database time and 20 connections are ours (an aggregate worth caching).

use super::cache_parts::{Gauge, Pool};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::{Latency, Rng};
use crate::sim::{percentile, Variant};

pub struct CacheStampede;

/// When the cached value expires, so the run shows a second of steady hits first.
const EXPIRES_AT_US: u64 = 1_000_000;
/// Browser ↔ app, each way.
const NET_US: u64 = 10_000;
/// App time before the cache lookup.
const APP_US: u64 = 5_000;
/// One cache round trip.
const CACHE_US: u64 = 1_000;
const BEFORE_LOOKUP_US: u64 = NET_US + APP_US;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "ttl_s",
        label: "Cache TTL",
        unit: "s",
        default: 300,
        min: 1,
        max: 86_400,
    },
    ParamSpec {
        name: "recompute_ms",
        label: "Database time to recompute the value",
        unit: "ms",
        default: 2_000,
        min: 1,
        max: 30_000,
    },
    ParamSpec {
        name: "db_pool",
        label: "Database connections",
        unit: "connections",
        default: 20,
        min: 1,
        max: 500,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "cache-stampede",
    title: "A hot cached value expires under steady traffic",
    metric: "redundant recomputes",
    unit: "queries",
    load_label: "requests per second",
    loads: &[1, 5, 10, 20, 50, 100, 200, 500],
    max_load: 1_000,
    params: PARAMS,
    naive_label: "every miss recomputes",
    fixed_label: "single flight: one recompute, others wait",
    stages: &[Stage::Client, Stage::Replica, Stage::Cache, Stage::Database],
};

enum Event {
    /// A request reaches the cache lookup (it left the client [`BEFORE_LOOKUP_US`] earlier),
    /// so the lookup sees every recompute that landed before it.
    Lookup,
    /// A recompute finished and wrote the value back.
    Recomputed,
}

impl Model for CacheStampede {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(ttl) = finding_number(finding, "ttl_s") {
            p.set("ttl_s", ttl);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name| o.metric(name).unwrap_or(0);
        format!(
            "At {load} requests per second, the value expired (it does every {} s) and every \
             request that missed started its own {} ms recompute: {} misses, {} redundant \
             queries, up to {} queued or running at the database at once, and the slowest 1 % \
             of requests took {} ms or more. With single flight, the database ran {} \
             recompute(s) in the same time, {} redundant; the requests that missed waited for \
             the running one, and the slowest 1 % took {} ms.",
            settings.get("ttl_s"),
            settings.get("recompute_ms"),
            m(naive, "misses"),
            naive.failures,
            m(naive, "peak database load"),
            m(naive, "p99 latency"),
            m(fixed, "database queries"),
            fixed.failures,
            m(fixed, "p99 latency"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("recomputes at the database", "queries")
    }
}

fn simulate(s: &Settings, variant: Variant, rate: u64, seed: u64, trace: bool) -> Run {
    let ttl_us = s.get("ttl_s").max(1).saturating_mul(1_000_000);
    let work_us = s.get("recompute_ms").max(1).saturating_mul(1_000);
    let recompute = Latency {
        min_us: work_us * 9 / 10,
        max_us: work_us * 11 / 10,
        tail_per_mille: 20,
        tail_max_us: work_us,
    };
    // Arrivals continue well past the first recompute, so the run shows the return to hits.
    let arrivals_end_us = EXPIRES_AT_US + (2 * work_us).max(2_000_000) + 1_000_000;
    let mean_gap_us = 1_000_000 / rate.max(1);

    let mut rng = Rng::new(seed);
    let mut q: EventQueue<Event> = EventQueue::new();
    let mut pool = Pool::new(s.get("db_pool"));
    // The value in the cache was written `ttl_s` before it expires.
    let mut expires_at = EXPIRES_AT_US;
    // When the running recompute (if any) lands; single flight waits for it.
    let mut in_flight_until: Option<u64> = None;
    let (mut requests, mut misses, mut queries, mut redundant) = (0u64, 0u64, 0u64, 0u64);
    let (mut db_load, mut peak_db_load) = (0u64, 0u64);
    let mut latencies: Vec<u64> = Vec::new();
    let mut journeys: Vec<Journey> = Vec::new();
    let mut gauge = Gauge::new(trace);
    let mut capped = false;

    q.schedule_at(
        rng.below(2 * mean_gap_us + 1) + BEFORE_LOOKUP_US,
        Event::Lookup,
    );
    while let Some(event) = q.pop() {
        if q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        let now = q.now();
        match event {
            Event::Recomputed => {
                expires_at = now.saturating_add(ttl_us);
                db_load = db_load.saturating_sub(1);
                gauge.set(now, db_load);
                if in_flight_until.is_some_and(|t| t <= now) {
                    in_flight_until = None;
                }
            }
            Event::Lookup => {
                requests += 1;
                let (sent, lookup_at) = (now.saturating_sub(BEFORE_LOOKUP_US), now);
                let looked_up = lookup_at + CACHE_US;
                let mut db: Option<(u32, u64)> = None;
                let mut waited_until = looked_up;
                let mut fate = Fate::Ok;
                let fresh = lookup_at < expires_at;
                if !fresh {
                    misses += 1;
                    match (variant, in_flight_until) {
                        (Variant::Fixed, Some(until)) => waited_until = until.max(looked_up),
                        _ => {
                            if in_flight_until.is_some() {
                                redundant += 1;
                                fate = Fate::Anomaly;
                            }
                            let slot = pool.run(looked_up, recompute.sample(&mut rng));
                            queries += 1;
                            db_load += 1;
                            peak_db_load = peak_db_load.max(db_load);
                            gauge.set(now, db_load);
                            q.schedule_at(slot.end_us, Event::Recomputed);
                            // The value lands with the latest of the running recomputes.
                            in_flight_until =
                                Some(in_flight_until.map_or(slot.end_us, |t| t.max(slot.end_us)));
                            db = Some((slot.lane, slot.end_us));
                        }
                    }
                }
                let done = db.map_or(waited_until, |(_, end)| end);
                latencies.push(done + NET_US - sent);
                if trace && journeys.len() < MAX_JOURNEYS {
                    let hop = |stage, lane, start_us, end_us| Hop {
                        stage,
                        lane,
                        start_us,
                        end_us,
                    };
                    let mut hops = vec![
                        hop(Stage::Client, 0, sent, sent + NET_US),
                        hop(Stage::Replica, 0, sent + NET_US, lookup_at),
                        hop(Stage::Cache, 0, lookup_at, waited_until),
                    ];
                    if let Some((lane, end)) = db {
                        hops.push(hop(Stage::Database, lane, looked_up, end));
                    }
                    hops.push(hop(Stage::Client, 0, done, done + NET_US));
                    journeys.push(Journey {
                        id: journeys.len() as u32,
                        hops,
                        fate,
                    });
                }
                let next = sent.saturating_add(rng.between(1, 2 * mean_gap_us));
                if next < arrivals_end_us {
                    q.schedule_at(next + BEFORE_LOOKUP_US, Event::Lookup);
                }
            }
        }
    }
    gauge.close(q.now(), db_load);

    let p50 = percentile(&mut latencies, 50) / 1_000;
    let p99 = percentile(&mut latencies, 99) / 1_000;
    let metric = |name, value, unit| Metric { name, value, unit };
    Run {
        outcome: Outcome {
            failures: redundant,
            out_of: queries,
            metrics: vec![
                metric("requests", requests, "requests"),
                metric("misses", misses, "requests"),
                metric("database queries", queries, "queries"),
                metric("peak database load", peak_db_load, "queries"),
                metric(
                    "redundant recomputes per hour",
                    redundant.saturating_mul(3_600_000_000) / ttl_us,
                    "queries/h",
                ),
                metric("p50 latency", p50, "ms"),
                metric("p99 latency", p99, "ms"),
            ],
            events: q.processed(),
            capped,
        },
        journeys,
        series: gauge.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn run(settings: &Settings, variant: Variant, rate: u64) -> Run {
        CacheStampede.run(settings, variant, rate, 42, true)
    }

    #[test]
    fn pinned_sweep_seed_42() {
        let sw = sweep(&CacheStampede, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [2, 9, 17, 36, 85, 187, 389, 925]);
        let p99: Vec<u64> = sw
            .levels
            .iter()
            .map(|l| l.naive.metric("p99 latency").unwrap())
            .collect();
        assert_eq!(p99, [2146, 2208, 2208, 3210, 8185, 17951, 37519, 89298]);
        let l = &sw.levels[5];
        let text = CacheStampede.summary(&Settings::defaults(&INFO), 100, &l.naive, &l.fixed);
        assert!(text.contains("188 misses, 187 redundant"), "{text}");
        for l in &sw.levels {
            // Single flight: one query per expiry whatever the rate, and no one waits
            // longer than that one recompute (plus its tail).
            assert_eq!(l.fixed.failures, 0);
            assert_eq!(l.fixed.metric("database queries"), Some(1));
            assert_eq!(l.fixed.metric("peak database load"), Some(1));
            assert!(l.fixed.metric("p99 latency").unwrap() < 2_300);
            // Naive: every miss recomputes, all of them at the database together.
            assert_eq!(l.naive.metric("misses"), l.naive.metric("database queries"));
            assert_eq!(
                l.naive.metric("peak database load"),
                l.naive.metric("misses")
            );
        }
    }

    #[test]
    fn a_cheaper_recompute_narrows_the_stampede() {
        let mut p = Params::default();
        p.set("recompute_ms", 200);
        let (cheap, _) = Settings::resolve(&INFO, &p);
        let defaults = Settings::defaults(&INFO);
        let slow = run(&defaults, Variant::Naive, 100).outcome.failures;
        let fast = run(&cheap, Variant::Naive, 100).outcome.failures;
        assert!(fast * 5 < slow, "{fast} vs {slow}");
        assert!(fast > 0);
    }

    #[test]
    fn journeys_mark_the_redundant_recomputes() {
        let s = Settings::defaults(&INFO);
        let naive = run(&s, Variant::Naive, 100);
        let anomalies = naive
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count() as u64;
        assert_eq!(anomalies, naive.outcome.failures);
        assert_eq!(
            naive.journeys.len() as u64,
            naive.outcome.metric("requests").unwrap()
        );
        let peak = naive.series.iter().map(|p| p.value).max();
        assert_eq!(peak, naive.outcome.metric("peak database load"));
        assert_eq!(naive.series.last().map(|p| p.value), Some(0));
        let fixed = run(&s, Variant::Fixed, 100);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
        let to_db = |r: &Run| {
            r.journeys
                .iter()
                .filter(|j| j.hops.iter().any(|h| h.stage == Stage::Database))
                .count()
        };
        assert_eq!(to_db(&fixed), 1);
        assert_eq!(to_db(&naive) as u64, naive.outcome.out_of);
        for j in naive.journeys.iter().chain(&fixed.journeys) {
            assert!(j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us));
        }
    }

    #[test]
    fn ttl_comes_from_the_finding() {
        let f = finding_with("cache-stampede", &[("ttl_s", "60"), ("key", "top")]);
        assert_eq!(
            CacheStampede.params_from_finding(&f).0.get("ttl_s"),
            Some(&60)
        );
        let (s, _) = Settings::resolve(&INFO, &CacheStampede.params_from_finding(&f));
        let o = run(&s, Variant::Naive, 100).outcome;
        // Five times as many expiries an hour as with 300 s.
        let per_hour = o.metric("redundant recomputes per hour").unwrap();
        assert_eq!(per_hour, o.failures * 60);
    }
}
