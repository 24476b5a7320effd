//! expensive-query-per-request: a heavy aggregate (artists joined to follows, `COUNT`,
//! `GROUP BY`, `ORDER BY … LIMIT 100`) run on every page load, as the follows table grows.
//!
//! Visitors open the page at a steady rate for ten minutes. The aggregate's work grows with
//! the rows it reads: every follows row is read and grouped once per table in the join, and
//! `LIMIT 100` saves nothing, because every group must be counted before the top 100 are
//! known. The database runs `db_parallel` aggregates at once (cores it gives to heavy queries);
//! the next ones wait in line. The gateway answers 504 when a page has not answered within its
//! timeout, but the database does not notice the visitor left and finishes the query anyway,
//! so a timed-out query still holds its slot.
//!
//! - **Naive**: every page load runs the aggregate. At demo size it takes milliseconds; at
//!   production size each load takes tens of seconds, and once the aggregates arriving per
//!   minute need more database time than the slots give, the line grows and every load times
//!   out.
//! - **Fixed**: a nightly job (2 AM) runs the aggregate once and stores the top list as JSON;
//!   a page load reads that JSON from a cache: a few milliseconds whatever the table size, off
//!   the database entirely. A page's path is bounded by its parts (network 2 × 10 ms, handler
//!   ≤ 3 ms, cache read ≤ 5 ms, render ≤ 8 ms: under 40 ms), far below the smallest gateway
//!   timeout the settings allow (5 s): 0 timeouts by construction.
//!
//! Defaults, from the onboarding-artists story: the query took 30–50 s on the production
//! database, calibrated here as 10 M follows rows at 2 µs per row per table (two tables,
//! ±25 %); the precomputed JSON was served in under 50 ms. Ten page loads a minute, four
//! database cores for heavy queries, a 30 s gateway timeout (Heroku's router, many proxies).

use super::cache_parts::Pool;
use super::growth_parts::PeakSeries;
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};

pub struct ExpensiveQueryPerRequest;

/// Visitors arrive during this window.
const WINDOW_US: u64 = 600_000_000;
/// Network time between the browser and the replica, each way.
const NETWORK_US: u64 = 10_000;
/// Handler time before the query or the cache read (routing, session).
const HANDLER_US: (u64, u64) = (1_000, 3_000);
/// Reading the precomputed JSON from the cache (fixed).
const CACHE_READ_US: (u64, u64) = (1_000, 5_000);
/// Rendering the page around the list.
const RENDER_US: (u64, u64) = (2_000, 8_000);

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "visitors_per_min",
        label: "Page loads per minute",
        unit: "loads/min",
        default: 10,
        min: 1,
        max: 600,
    },
    ParamSpec {
        name: "db_parallel",
        label: "Aggregates the database runs at once",
        unit: "queries",
        default: 4,
        min: 1,
        max: 64,
    },
    ParamSpec {
        name: "joins",
        label: "Joins in the query",
        unit: "joins",
        default: 1,
        min: 0,
        max: 5,
    },
    ParamSpec {
        name: "row_ns",
        label: "Work per row per table",
        unit: "ns",
        default: 2_000,
        min: 10,
        max: 100_000,
    },
    ParamSpec {
        name: "gateway_timeout_s",
        label: "Gateway timeout",
        unit: "s",
        default: 30,
        min: 5,
        max: 600,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "expensive-query-per-request",
    title: "A heavy aggregate recomputed on every page load",
    metric: "timed-out page loads",
    unit: "page loads",
    load_label: "follows rows in the table",
    loads: &[
        1_000, 10_000, 100_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000,
    ],
    max_load: 100_000_000,
    params: PARAMS,
    naive_label: "aggregate on every page load",
    fixed_label: "nightly precompute to cached JSON",
    stages: &[Stage::Client, Stage::Replica, Stage::Cache, Stage::Database],
};

/// Database time of one aggregate over `rows` follows rows: every row read and grouped once
/// per table, ±25 % (cache state, concurrent writes).
fn aggregate_us(s: &Settings, rows: u64, rng: &mut Rng) -> u64 {
    let tables = s.get("joins").min(5) + 1;
    let nominal_ns = rows
        .saturating_mul(tables)
        .saturating_mul(s.get("row_ns").clamp(10, 100_000));
    let pct = rng.between(75, 125);
    (nominal_ns / 1_000).saturating_mul(pct) / 100 + 1
}

enum Event {
    /// A page load reaches the handler's query (naive) or cache read (fixed).
    Ask(u32),
    QueryEnd,
}

struct Load {
    arrive_us: u64,
    /// When the visitor got an answer (the page or a 504).
    answered_us: u64,
    timed_out: bool,
    hops: Vec<Hop>,
}

fn simulate(s: &Settings, variant: Variant, rows: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let per_min = s.get("visitors_per_min").clamp(1, 600);
    let gateway_us = s.get("gateway_timeout_s").saturating_mul(1_000_000);
    let count = per_min * (WINDOW_US / 60_000_000);
    let mut arrivals: Vec<u64> = (0..count).map(|_| rng.below(WINDOW_US)).collect();
    arrivals.sort_unstable();
    let mut loads: Vec<Load> = arrivals
        .into_iter()
        .map(|arrive_us| Load {
            arrive_us,
            answered_us: 0,
            timed_out: false,
            hops: Vec::new(),
        })
        .collect();
    // The nightly job: the same aggregate, once, at 2 AM (outside the visitors' window).
    let nightly_us = aggregate_us(s, rows, &mut rng);
    let mut q: EventQueue<Event> = EventQueue::new();
    let mut handler = Vec::with_capacity(loads.len());
    for (i, l) in loads.iter().enumerate() {
        let h = rng.between(HANDLER_US.0, HANDLER_US.1);
        handler.push(h);
        q.schedule_at(l.arrive_us + NETWORK_US + h, Event::Ask(i as u32));
    }
    let mut pool = Pool::new(s.get("db_parallel"));
    let mut gauge = PeakSeries::new(trace);
    let mut at_db: u64 = 0;
    let mut query_us: Vec<u64> = Vec::new();
    let mut db_busy_us: u64 = 0;
    let mut capped = false;
    while let Some(event) = q.pop() {
        if q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        let now = q.now();
        match event {
            Event::QueryEnd => {
                at_db = at_db.saturating_sub(1);
                gauge.set(now, at_db);
            }
            Event::Ask(id) => {
                let Some(l) = loads.get_mut(id as usize) else {
                    continue;
                };
                let h = handler.get(id as usize).copied().unwrap_or(0);
                let reached = l.arrive_us + NETWORK_US;
                if trace {
                    l.hops.push(Hop {
                        stage: Stage::Client,
                        lane: 0,
                        start_us: l.arrive_us,
                        end_us: reached,
                    });
                    l.hops.push(Hop {
                        stage: Stage::Replica,
                        lane: 0,
                        start_us: reached,
                        end_us: reached + h,
                    });
                }
                let cutoff = l.arrive_us.saturating_add(gateway_us);
                let (stage, lane, data_us) = match variant {
                    Variant::Naive => {
                        let work = aggregate_us(s, rows, &mut rng);
                        let slot = pool.run(now, work);
                        query_us.push(work);
                        db_busy_us = db_busy_us.saturating_add(work);
                        at_db += 1;
                        gauge.set(now, at_db);
                        q.schedule_at(slot.end_us, Event::QueryEnd);
                        (Stage::Database, slot.lane, slot.end_us)
                    }
                    Variant::Fixed => (
                        Stage::Cache,
                        0,
                        now + rng.between(CACHE_READ_US.0, CACHE_READ_US.1),
                    ),
                };
                let rendered = data_us.saturating_add(rng.between(RENDER_US.0, RENDER_US.1));
                let answered = rendered.saturating_add(NETWORK_US);
                // The gateway gives up at the cutoff; the query (if any) runs on regardless.
                l.timed_out = answered > cutoff;
                l.answered_us = if l.timed_out {
                    cutoff.saturating_add(NETWORK_US)
                } else {
                    answered
                };
                if trace {
                    let data_end = data_us.min(cutoff);
                    l.hops.push(Hop {
                        stage,
                        lane,
                        start_us: now,
                        end_us: data_end.max(now),
                    });
                    let sent = if l.timed_out { cutoff } else { rendered };
                    if !l.timed_out {
                        l.hops.push(Hop {
                            stage: Stage::Replica,
                            lane: 0,
                            start_us: data_us,
                            end_us: rendered,
                        });
                    }
                    l.hops.push(Hop {
                        stage: Stage::Client,
                        lane: 0,
                        start_us: sent.max(data_end),
                        end_us: l.answered_us,
                    });
                }
            }
        }
    }
    let timed_out = loads.iter().filter(|l| l.timed_out).count() as u64;
    let mut page_us: Vec<u64> = loads
        .iter()
        .filter(|l| l.answered_us > 0)
        .map(|l| l.answered_us - l.arrive_us)
        .collect();
    let (aggregates, typical_query_us) = match variant {
        Variant::Naive => (query_us.len() as u64, percentile(&mut query_us, 50)),
        Variant::Fixed => (1, nightly_us),
    };
    let outcome = Outcome {
        failures: timed_out,
        out_of: loads.len() as u64,
        metrics: vec![
            Metric {
                name: "p50 page time",
                value: percentile(&mut page_us, 50) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "p99 page time",
                value: percentile(&mut page_us, 99) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "aggregates computed",
                value: aggregates,
                unit: "queries",
            },
            Metric {
                name: "aggregate time",
                value: typical_query_us / 1_000,
                unit: "ms",
            },
            Metric {
                name: "database busy",
                value: db_busy_us / 1_000_000,
                unit: "s",
            },
        ],
        events: q.processed(),
        capped,
    };
    let journeys = if trace {
        loads
            .into_iter()
            .take(MAX_JOURNEYS)
            .enumerate()
            .map(|(i, l)| Journey {
                id: i as u32,
                hops: l.hops,
                fate: if l.timed_out || l.answered_us == 0 {
                    Fate::Failed
                } else {
                    Fate::Ok
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    Run {
        outcome,
        journeys,
        series: gauge.finish(),
    }
}

impl Model for ExpensiveQueryPerRequest {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        // LIMIT and the aggregate functions change little: every group is counted before
        // the top rows are known. The joins multiply the rows read.
        if let Some(j) = finding_number(finding, "joins") {
            p.set("joins", j);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "With {load} follows rows and {} page loads a minute, each aggregate took about {} \
             ms of database time; {} of {} page loads hit the {}-second gateway timeout, and \
             pages took {} ms at the median and {} ms at p99. Precomputed nightly (one {} ms \
             job at 2 AM) and served from the cache: {} of {} timed out, {} ms at p99.",
            settings.get("visitors_per_min"),
            m(naive, "aggregate time"),
            naive.failures,
            naive.out_of,
            settings.get("gateway_timeout_s"),
            m(naive, "p50 page time"),
            m(naive, "p99 page time"),
            m(fixed, "aggregate time"),
            fixed.failures,
            fixed.out_of,
            m(fixed, "p99 page time"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("aggregates at the database (running or waiting)", "queries")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn metric(o: &Outcome, name: &str) -> u64 {
        o.metric(name).unwrap_or(u64::MAX)
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&ExpensiveQueryPerRequest, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 0, 0, 35, 100, 100]
        );
        assert!(sw.levels.iter().all(|l| l.naive.out_of == 100));
        assert_eq!(
            sw.column(|l| metric(&l.naive, "aggregate time")),
            [3, 39, 396, 3_960, 7_920, 19_800, 39_600, 79_200]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p50 page time")),
            [31, 67, 423, 3_987, 7_950, 27_134, 30_010, 30_010]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p99 page time")),
            [35, 78, 528, 5_028, 10_028, 30_010, 30_010, 30_010]
        );
        // Timed-out queries still ran to the end: the database did all the work.
        assert_eq!(
            sw.column(|l| metric(&l.naive, "database busy")),
            [0, 4, 40, 402, 805, 2_013, 4_026, 8_053]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(sw.column(|l| metric(&l.fixed, "p99 page time")), [34; 8]);
        assert_eq!(sw.column(|l| metric(&l.fixed, "database busy")), [0; 8]);
        assert_eq!(sw.first_failing_load(), Some(5_000_000));
    }

    /// The story: 30–50 s per load on the production database, under 50 ms precomputed.
    #[test]
    fn calibration_30_to_50_seconds_then_under_50_ms() {
        let s = Settings::defaults(&INFO);
        let mut rng = Rng::new(1);
        for _ in 0..1_000 {
            let us = aggregate_us(&s, 10_000_000, &mut rng);
            assert!((30_000_000..=50_000_001).contains(&us), "{us}");
        }
        let fixed = ExpensiveQueryPerRequest
            .run(&s, Variant::Fixed, 10_000_000, 42, true)
            .outcome;
        assert!(metric(&fixed, "p99 page time") < 50);
        assert_eq!(metric(&fixed, "aggregates computed"), 1);
        // A single visitor at a time still waits the whole query and gets a 504.
        let mut p = Params::default();
        p.set("visitors_per_min", 1);
        let one = sweep(&ExpensiveQueryPerRequest, &p, 42, &[10_000_000]);
        assert_eq!(one.levels[0].naive.failures, one.levels[0].naive.out_of);
    }

    /// At 5 M rows the aggregate (about 20 s) fits under the timeout on its own; timeouts
    /// come from queueing, so more database parallelism removes them, fewer joins too.
    #[test]
    fn at_5m_rows_the_timeouts_are_queueing() {
        let at = |p: &Params| {
            sweep(&ExpensiveQueryPerRequest, p, 42, &[5_000_000]).levels[0]
                .naive
                .failures
        };
        assert_eq!(at(&Params::default()), 35);
        assert_eq!(at(Params::default().set("db_parallel", 8)), 0);
        assert_eq!(at(Params::default().set("joins", 0)), 0);
        // Twice the visitors: 200 loads, nearly all past the timeout.
        assert_eq!(at(Params::default().set("visitors_per_min", 20)), 192);
    }

    #[test]
    fn journeys_end_at_the_gateway() {
        let s = Settings::defaults(&INFO);
        let naive = ExpensiveQueryPerRequest.run(&s, Variant::Naive, 10_000_000, 42, true);
        assert_eq!(naive.journeys.len(), 100);
        for j in &naive.journeys {
            assert_eq!(j.fate, Fate::Failed);
            assert!(j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us));
            let first = j.hops.first().map_or(0, |h| h.start_us);
            let last = j.hops.last().map_or(0, |h| h.end_us);
            assert_eq!(last - first, 30_000_000 + NETWORK_US);
        }
        // Ten aggregates of ~40 s arrive a minute, four slots finish six: the line grows
        // for the whole ten minutes.
        assert_eq!(naive.series.iter().map(|p| p.value).max(), Some(47));
        let fixed = ExpensiveQueryPerRequest.run(&s, Variant::Fixed, 10_000_000, 42, true);
        for j in &fixed.journeys {
            assert_eq!(j.fate, Fate::Ok);
            let stages: Vec<Stage> = j.hops.iter().map(|h| h.stage).collect();
            assert_eq!(
                stages,
                [
                    Stage::Client,
                    Stage::Replica,
                    Stage::Cache,
                    Stage::Replica,
                    Stage::Client
                ]
            );
        }
    }

    #[test]
    fn settings_from_a_finding() {
        let f = finding_with(
            "expensive-query-per-request",
            &[("joins", "2"), ("aggregates", "count"), ("limit", "100")],
        );
        let p = ExpensiveQueryPerRequest.params_from_finding(&f);
        assert_eq!(p.0.get("joins"), Some(&2));
        assert_eq!(p.0.len(), 1);
    }
}
