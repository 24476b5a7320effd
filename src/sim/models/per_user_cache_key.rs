//! per-user-cache-key: a metrics dashboard whose query cache is keyed by user.
//!
//! Every user's dashboard shows the same `metrics` (say "monthly revenue trend"), computed by
//! an expensive query and cached for `ttl_s`. Users open or refresh their dashboard about
//! every `view_interval_s` over half an hour. A view looks its metrics up in the cache and
//! runs a database query (through a small connection pool) for each miss.
//!
//! - **Naive**: the key contains the user id, so each user has private copies: users ×
//!   metrics entries, each recomputed once per user per TTL, and the database load grows with
//!   the number of users while most lookups miss.
//! - **Fixed**: the key is the query itself, so one entry per metric serves everyone.
//!
//! The run starts with a cold cache, as after a deploy; "queries per hour" is the half hour's
//! count doubled.
//!
//! The headline counts *duplicate computations*: queries for a metric whose result was
//! already in the cache, fresh, under another key. A shared key makes that impossible (a
//! fresh copy is a hit), so the fixed variant has none by construction.
//!
//! Defaults come from the dashboard story: 155 users, 3–5 metrics each (4 here), the same
//! aggregate "computed and stored hundreds of times". The TTL default (15 min) is what the
//! analyzer reports for a typical snippet; the 1.5 s query and 10 connections are ours.

use super::cache_parts::{Gauge, Pool};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::{Latency, Rng};
use crate::sim::{percentile, Variant};

pub struct PerUserCacheKey;

/// Simulated time in which users view dashboards (queries still running at its end finish).
const WINDOW_US: u64 = 30 * 60 * 1_000_000;
/// Browser ↔ app, each way.
const NET_US: u64 = 10_000;
/// App time before the cache lookup.
const APP_US: u64 = 5_000;
/// One round trip to the cache for all of a dashboard's keys.
const CACHE_US: u64 = 1_000;
const BEFORE_LOOKUP_US: u64 = NET_US + APP_US;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "metrics",
        label: "Metrics on each dashboard",
        unit: "metrics",
        default: 4,
        min: 1,
        max: 20,
    },
    ParamSpec {
        name: "ttl_s",
        label: "Cache TTL",
        unit: "s",
        default: 900,
        min: 1,
        max: 86_400,
    },
    ParamSpec {
        name: "view_interval_s",
        label: "Time between one user's dashboard views",
        unit: "s",
        default: 600,
        min: 60,
        max: 86_400,
    },
    ParamSpec {
        name: "query_ms",
        label: "Database time per metric query",
        unit: "ms",
        default: 1_500,
        min: 1,
        max: 600_000,
    },
    ParamSpec {
        name: "db_pool",
        label: "Database connections",
        unit: "connections",
        default: 10,
        min: 1,
        max: 200,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "per-user-cache-key",
    title: "Dashboard metrics cached under a key that includes the user",
    metric: "duplicate computations",
    unit: "queries",
    load_label: "users",
    loads: &[1, 10, 25, 50, 100, 155, 500, 1_000],
    max_load: 2_000,
    params: PARAMS,
    naive_label: "cache key per user and metric",
    fixed_label: "cache key per query, shared",
    stages: &[Stage::Client, Stage::Replica, Stage::Cache, Stage::Database],
};

enum Event {
    /// A user's dashboard request reaches the cache lookup (it left the browser
    /// [`BEFORE_LOOKUP_US`] earlier), so the lookup sees every write finished before it.
    View { user: u32 },
    /// A query finished and its result was written to the cache under `key`.
    Stored { key: u32, metric: u32 },
}

impl Model for PerUserCacheKey {
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
            "At {load} users viewing {} metrics each, the per-user cache held {} entries and \
             answered {}.{}% of lookups; the database ran {} queries an hour, {} of {} \
             queries recomputed a metric another user already had fresh in the cache, and the \
             slowest 1 % of dashboard views took {} ms or more. Keyed by the query, the cache \
             held {} entries, answered {}.{}% of lookups, the database ran {} queries an hour, \
             {} of them duplicates, and the slowest 1 % took {} ms.",
            settings.get("metrics"),
            m(naive, "cache entries"),
            m(naive, "hit ratio") / 10,
            m(naive, "hit ratio") % 10,
            m(naive, "database queries per hour"),
            naive.failures,
            naive.out_of,
            m(naive, "p99 view time"),
            m(fixed, "cache entries"),
            m(fixed, "hit ratio") / 10,
            m(fixed, "hit ratio") % 10,
            m(fixed, "database queries per hour"),
            fixed.failures,
            m(fixed, "p99 view time"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("cache entries", "entries")
    }
}

fn simulate(s: &Settings, variant: Variant, users: u64, seed: u64, trace: bool) -> Run {
    let metrics = s.get("metrics").clamp(1, 20) as u32;
    let ttl_us = s.get("ttl_s").saturating_mul(1_000_000);
    let interval_us = s.get("view_interval_s").max(1).saturating_mul(1_000_000);
    let query_us = s.get("query_ms").max(1).saturating_mul(1_000);
    let query = Latency {
        min_us: query_us * 3 / 4,
        max_us: query_us * 5 / 4,
        tail_per_mille: 20,
        tail_max_us: query_us * 2,
    };
    let users = users as u32;
    let keys = match variant {
        Variant::Naive => users as usize * metrics as usize,
        Variant::Fixed => metrics as usize,
    };
    let key_of = |user: u32, metric: u32| match variant {
        Variant::Naive => user * metrics + metric,
        Variant::Fixed => metric,
    };

    let mut rng = Rng::new(seed);
    let mut q: EventQueue<Event> = EventQueue::new();
    let mut pool = Pool::new(s.get("db_pool"));
    // When each key's value was last written; `None` until the first write.
    let mut stored_at: Vec<Option<u64>> = vec![None; keys];
    // The newest write of each metric under any key: a miss while it is fresh is a duplicate.
    let mut newest_copy: Vec<Option<u64>> = vec![None; metrics as usize];
    let mut entries = 0u64;
    let (mut lookups, mut hits, mut queries, mut duplicates) = (0u64, 0u64, 0u64, 0u64);
    let mut view_times: Vec<u64> = Vec::new();
    let mut journeys: Vec<Journey> = Vec::new();
    let mut gauge = Gauge::new(trace);
    let mut capped = false;

    for user in 0..users {
        q.schedule_at(
            rng.below(interval_us) + BEFORE_LOOKUP_US,
            Event::View { user },
        );
    }
    let fresh = |at: Option<u64>, now: u64| at.is_some_and(|t| now.saturating_sub(t) < ttl_us);

    while let Some(event) = q.pop() {
        if q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        let now = q.now();
        match event {
            Event::Stored { key, metric } => {
                if let Some(slot) = stored_at.get_mut(key as usize) {
                    if slot.is_none() {
                        entries += 1;
                        gauge.set(now, entries);
                    }
                    *slot = Some(now);
                }
                if let Some(newest) = newest_copy.get_mut(metric as usize) {
                    *newest = Some(now);
                }
            }
            Event::View { user } => {
                let (sent, lookup_at) = (now.saturating_sub(BEFORE_LOOKUP_US), now);
                let looked_up = lookup_at + CACHE_US;
                let mut done = looked_up;
                let mut db_lane = None;
                let mut duplicated = false;
                for metric in 0..metrics {
                    let key = key_of(user, metric);
                    lookups += 1;
                    if fresh(stored_at.get(key as usize).copied().flatten(), lookup_at) {
                        hits += 1;
                        continue;
                    }
                    queries += 1;
                    if fresh(
                        newest_copy.get(metric as usize).copied().flatten(),
                        lookup_at,
                    ) {
                        duplicates += 1;
                        duplicated = true;
                    }
                    let slot = pool.run(looked_up, query.sample(&mut rng));
                    q.schedule_at(slot.end_us, Event::Stored { key, metric });
                    if slot.end_us >= done {
                        done = slot.end_us;
                        db_lane = Some(slot.lane);
                    }
                }
                view_times.push(done + NET_US - sent);
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
                        hop(Stage::Cache, 0, lookup_at, looked_up),
                    ];
                    if let Some(lane) = db_lane {
                        hops.push(hop(Stage::Database, lane, looked_up, done));
                    }
                    hops.push(hop(Stage::Client, 0, done, done + NET_US));
                    journeys.push(Journey {
                        id: journeys.len() as u32,
                        hops,
                        fate: if duplicated { Fate::Anomaly } else { Fate::Ok },
                    });
                }
                let next = sent.saturating_add(rng.between(interval_us / 2, interval_us * 3 / 2));
                if next < WINDOW_US {
                    q.schedule_at(next + BEFORE_LOOKUP_US, Event::View { user });
                }
            }
        }
    }
    gauge.close(q.now().max(WINDOW_US), entries);

    let views = view_times.len() as u64;
    let p50 = percentile(&mut view_times, 50) / 1_000;
    let p99 = percentile(&mut view_times, 99) / 1_000;
    let metric = |name, value, unit| Metric { name, value, unit };
    Run {
        outcome: Outcome {
            failures: duplicates,
            out_of: queries,
            metrics: vec![
                metric("cache entries", entries, "entries"),
                metric(
                    "hit ratio",
                    (hits * 1_000).checked_div(lookups).unwrap_or(0),
                    "‰",
                ),
                metric("database queries", queries, "queries"),
                metric(
                    "database queries per hour",
                    queries * 3_600_000_000 / WINDOW_US,
                    "queries/h",
                ),
                metric("dashboard views", views, "views"),
                metric("p50 view time", p50, "ms"),
                metric("p99 view time", p99, "ms"),
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

    fn level(users: u64, variant: Variant) -> Outcome {
        PerUserCacheKey
            .run(&Settings::defaults(&INFO), variant, users, 42, false)
            .outcome
    }

    fn column(sw: &ModelSweep, variant: Variant, name: &str) -> Vec<u64> {
        sw.levels
            .iter()
            .map(|l| {
                let o = match variant {
                    Variant::Naive => &l.naive,
                    Variant::Fixed => &l.fixed,
                };
                o.metric(name).unwrap_or(u64::MAX)
            })
            .collect()
    }

    #[test]
    fn calibration_155_users_4_metrics() {
        // The story's dashboard: 155 users × 4 metrics.
        assert_eq!(
            level(155, Variant::Naive).metric("cache entries"),
            Some(620)
        );
        assert_eq!(level(155, Variant::Fixed).metric("cache entries"), Some(4));
        let s = Settings::defaults(&INFO);
        let text = PerUserCacheKey.summary(
            &s,
            155,
            &level(155, Variant::Naive),
            &level(155, Variant::Fixed),
        );
        assert!(
            text.contains("held 620 entries") && text.contains("held 4 entries"),
            "{text}"
        );
    }

    #[test]
    fn pinned_sweep_seed_42() {
        let sw = sweep(&PerUserCacheKey, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [0, 76, 172, 364, 708, 1112, 3576, 7149]);
        assert!(sw.levels.iter().all(|l| l.fixed.failures == 0));
        assert_eq!(sw.first_failing_load(), Some(10));
        assert_eq!(
            column(&sw, Variant::Naive, "cache entries"),
            [4, 40, 100, 200, 400, 620, 2000, 4000]
        );
        assert_eq!(column(&sw, Variant::Fixed, "cache entries"), [4; 8]);
        assert_eq!(
            column(&sw, Variant::Naive, "database queries per hour"),
            [16, 160, 352, 736, 1424, 2232, 7168, 14312]
        );
        assert_eq!(
            column(&sw, Variant::Fixed, "database queries per hour"),
            [16, 16, 16, 16, 16, 32, 56, 36]
        );
        assert_eq!(
            column(&sw, Variant::Naive, "hit ratio"),
            [333, 375, 421, 406, 402, 406, 407, 416]
        );
        assert_eq!(
            column(&sw, Variant::Fixed, "hit ratio"),
            [333, 933, 975, 987, 993, 991, 995, 998]
        );
        // The per-user keys overload the pool at 1,000 users; the shared ones never queue.
        assert_eq!(column(&sw, Variant::Naive, "p99 view time")[7], 23_260);
        assert_eq!(column(&sw, Variant::Fixed, "p99 view time")[7], 26);
    }

    #[test]
    fn one_user_shares_with_nobody() {
        assert_eq!(level(1, Variant::Naive), level(1, Variant::Fixed));
    }

    #[test]
    fn longer_ttl_means_fewer_recomputations() {
        let mut p = Params::default();
        p.set("ttl_s", 3_600);
        let (s, _) = Settings::resolve(&INFO, &p);
        let long = PerUserCacheKey
            .run(&s, Variant::Naive, 155, 42, false)
            .outcome;
        let short = level(155, Variant::Naive);
        // A TTL longer than the half hour: each user computes each metric exactly once.
        assert_eq!(long.out_of, 620);
        assert!(long.out_of < short.out_of);
        // Still one copy per user: the waste shrinks, it does not go away.
        assert_eq!(long.metric("cache entries"), Some(620));
        assert!(long.failures > 0);
    }

    #[test]
    fn journeys_and_series_show_the_copies() {
        let s = Settings::defaults(&INFO);
        let naive = PerUserCacheKey.run(&s, Variant::Naive, 155, 42, true);
        let fixed = PerUserCacheKey.run(&s, Variant::Fixed, 155, 42, true);
        assert_eq!(
            naive.journeys.len() as u64,
            naive.outcome.metric("dashboard views").unwrap()
        );
        assert!(naive.journeys.iter().any(|j| j.fate == Fate::Anomaly));
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
        for j in naive.journeys.iter().chain(&fixed.journeys) {
            assert!(j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us));
        }
        assert_eq!(naive.series.last().map(|p| p.value), Some(620));
        assert_eq!(fixed.series.iter().map(|p| p.value).max(), Some(4));
    }

    #[test]
    fn ttl_comes_from_the_finding() {
        let f = finding_with(
            "per-user-cache-key",
            &[("ttl_s", "300"), ("user_key", "user.id")],
        );
        assert_eq!(
            PerUserCacheKey.params_from_finding(&f).0.get("ttl_s"),
            Some(&300)
        );
        let none = finding_with("per-user-cache-key", &[("ttl", "settings.TTL")]);
        assert!(PerUserCacheKey.params_from_finding(&none).0.is_empty());
    }
}
