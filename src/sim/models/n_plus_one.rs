//! n-plus-one: a page that lists rows and runs another query for each row it shows.
//!
//! Users open the page within one second of each other. The handler runs the list query, then
//! for every row on the page `queries_per_row` lookups (the author, the tags …). Every query
//! borrows a connection from the database pool for one round trip plus the database's work
//! for the rows it touches; a query waits in line when all connections are busy. The page is
//! rendered once the last query is back.
//!
//! - **Naive**: a lookup per row and per related thing: `1 + rows × queries_per_row` queries
//!   run one after another, so the page time grows linearly with the rows and every page holds
//!   the pool for all of them, which makes the other users wait too.
//! - **Fixed**: one batched `WHERE id IN (…)` / `= ANY($1)` query per kind of lookup:
//!   `1 + queries_per_row` queries whatever the number of rows; the database does the same
//!   per-row work, without a round trip per row.
//!
//! The headline counts *extra queries*: those beyond what the batched version needs
//! (`1 + queries_per_row` per page), so the fix has 0 by construction and the naive page has
//! `(rows − 1) × queries_per_row`. Slow pages (over the budget) are a figure of both.
//!
//! Defaults: a 1–3 ms database round trip (same region, through a pooler), 10 µs of database
//! work per row looked up (an index probe), 20 µs of rendering per row, a pool of 10 and 20
//! users at once; 1 s is a common budget for a server-rendered list page.

use super::cache_parts::Pool;
use super::growth_parts::PeakSeries;
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::{Latency, Rng};
use crate::sim::{percentile, Variant};

pub struct NPlusOne;

/// Users open the page within this window.
const ARRIVAL_WINDOW_US: u64 = 1_000_000;
/// Network time between the browser and the replica, each way.
const NETWORK_US: u64 = 10_000;
/// Handler time before the first query (routing, session, parsing).
const HANDLER_US: u64 = 1_000;
/// Database work per row a query touches (an index probe and the row's bytes).
const ROW_WORK_US: u64 = 10;
/// App time per row to render the page.
const RENDER_US_PER_ROW: u64 = 20;
/// Queries drawn one by one in a journey; later ones are merged into the last hop.
const DRAWN_QUERIES: usize = 30;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "queries_per_row",
        label: "Queries per row (inside the loop)",
        unit: "queries",
        default: 1,
        min: 1,
        max: 5,
    },
    ParamSpec {
        name: "users",
        label: "Users opening the page at once",
        unit: "users",
        default: 20,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "db_pool",
        label: "Database pool",
        unit: "connections",
        default: 10,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "round_trip_ms",
        label: "Database round trip (typical)",
        unit: "ms",
        default: 2,
        min: 1,
        max: 50,
    },
    ParamSpec {
        name: "page_budget_ms",
        label: "Page time budget",
        unit: "ms",
        default: 1_000,
        min: 100,
        max: 60_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "n-plus-one",
    title: "A list page that runs a query per row",
    metric: "extra queries",
    unit: "queries",
    load_label: "rows on the page",
    loads: &[1, 10, 20, 50, 100, 200, 500, 1_000],
    max_load: 1_000,
    params: PARAMS,
    naive_label: "a query per row in the loop",
    fixed_label: "one batched IN query per lookup",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

enum Event {
    Arrive(u32),
    QueryDone(u32),
}

struct Page {
    arrive_us: u64,
    /// Queries this page still has to issue after the one in flight.
    left: u64,
    queries: u64,
    done_us: u64,
    hops: Vec<Hop>,
}

struct Sim {
    variant: Variant,
    rows: u64,
    per_row: u64,
    round_trip: Latency,
    trace: bool,
    q: EventQueue<Event>,
    rng: Rng,
    pool: Pool,
    pages: Vec<Page>,
    in_flight: u64,
    gauge: PeakSeries,
}

impl Sim {
    /// Issues the page's next query now: the list query first, then lookups.
    fn issue(&mut self, id: u32) {
        let now = self.q.now();
        let first = self.pages.get(id as usize).is_some_and(|p| p.queries == 0);
        let rows_touched = match (first, self.variant) {
            (true, _) | (false, Variant::Fixed) => self.rows,
            (false, Variant::Naive) => 1,
        };
        let work = self
            .round_trip
            .sample(&mut self.rng)
            .saturating_add(rows_touched.saturating_mul(ROW_WORK_US));
        let slot = self.pool.run(now, work);
        self.in_flight += 1;
        self.gauge.set(now, self.in_flight);
        let trace = self.trace;
        if let Some(p) = self.pages.get_mut(id as usize) {
            p.queries += 1;
            if trace {
                let drawn = p.hops.iter().filter(|h| h.stage == Stage::Database).count();
                match p.hops.last_mut() {
                    Some(last) if last.stage == Stage::Database && drawn > DRAWN_QUERIES => {
                        last.end_us = slot.end_us;
                    }
                    _ => p.hops.push(Hop {
                        stage: Stage::Database,
                        lane: slot.lane,
                        start_us: now,
                        end_us: slot.end_us,
                    }),
                }
            }
        }
        self.q.schedule_at(slot.end_us, Event::QueryDone(id));
    }

    fn query_done(&mut self, id: u32) {
        let now = self.q.now();
        self.in_flight = self.in_flight.saturating_sub(1);
        self.gauge.set(now, self.in_flight);
        let Some(p) = self.pages.get_mut(id as usize) else {
            return;
        };
        if p.left > 0 {
            p.left -= 1;
            self.issue(id);
            return;
        }
        let rendered = now.saturating_add(self.rows.saturating_mul(RENDER_US_PER_ROW));
        p.done_us = rendered.saturating_add(NETWORK_US);
        if self.trace {
            p.hops.push(Hop {
                stage: Stage::Replica,
                lane: 0,
                start_us: now,
                end_us: rendered,
            });
            p.hops.push(Hop {
                stage: Stage::Client,
                lane: 0,
                start_us: rendered,
                end_us: p.done_us,
            });
        }
    }
}

fn simulate(s: &Settings, variant: Variant, rows: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let users = s.get("users").clamp(1, 100);
    let per_row = s.get("queries_per_row").clamp(1, 5);
    let rtt_ms = s.get("round_trip_ms").clamp(1, 50);
    let lookups = match variant {
        Variant::Naive => rows.saturating_mul(per_row),
        Variant::Fixed => per_row,
    };
    let mut arrivals: Vec<u64> = (0..users).map(|_| rng.below(ARRIVAL_WINDOW_US)).collect();
    arrivals.sort_unstable();
    let pages = arrivals
        .into_iter()
        .map(|arrive_us| Page {
            arrive_us,
            left: lookups,
            queries: 0,
            done_us: 0,
            hops: Vec::new(),
        })
        .collect();
    let mut sim = Sim {
        variant,
        rows,
        per_row,
        round_trip: Latency {
            min_us: rtt_ms * 500,
            max_us: rtt_ms * 1_500,
            tail_per_mille: 10,
            tail_max_us: rtt_ms * 5_000,
        },
        trace,
        q: EventQueue::new(),
        rng,
        pool: Pool::new(s.get("db_pool")),
        pages,
        in_flight: 0,
        gauge: PeakSeries::new(trace),
    };
    for (i, p) in sim.pages.iter().enumerate() {
        sim.q.schedule_at(
            p.arrive_us + NETWORK_US + HANDLER_US,
            Event::Arrive(i as u32),
        );
    }
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Arrive(id) => {
                if trace {
                    if let Some(p) = sim.pages.get_mut(id as usize) {
                        let at = p.arrive_us + NETWORK_US;
                        p.hops.push(Hop {
                            stage: Stage::Client,
                            lane: 0,
                            start_us: p.arrive_us,
                            end_us: at,
                        });
                        p.hops.push(Hop {
                            stage: Stage::Replica,
                            lane: 0,
                            start_us: at,
                            end_us: at + HANDLER_US,
                        });
                    }
                }
                sim.issue(id);
            }
            Event::QueryDone(id) => sim.query_done(id),
        }
    }
    finish(sim, s, capped)
}

fn finish(sim: Sim, s: &Settings, capped: bool) -> Run {
    let budget_us = s.get("page_budget_ms").saturating_mul(1_000);
    let needed = 1 + sim.per_row;
    let done: Vec<&Page> = sim.pages.iter().filter(|p| p.done_us > 0).collect();
    let mut times: Vec<u64> = done.iter().map(|p| p.done_us - p.arrive_us).collect();
    let total_queries: u64 = sim.pages.iter().map(|p| p.queries).sum();
    let extra: u64 = sim
        .pages
        .iter()
        .map(|p| p.queries.saturating_sub(needed))
        .sum();
    let slow = times.iter().filter(|&&t| t > budget_us).count() as u64;
    let pages = sim.pages.len() as u64;
    let outcome = Outcome {
        failures: extra,
        out_of: total_queries,
        metrics: vec![
            Metric {
                name: "queries per page",
                value: total_queries.checked_div(pages).unwrap_or(0),
                unit: "queries",
            },
            Metric {
                name: "p50 page time",
                value: percentile(&mut times, 50) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "p99 page time",
                value: percentile(&mut times, 99) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "slow pages",
                value: slow,
                unit: "pages",
            },
            Metric {
                name: "pages",
                value: pages,
                unit: "pages",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    let journeys = if sim.trace {
        sim.pages
            .into_iter()
            .take(MAX_JOURNEYS)
            .enumerate()
            .map(|(i, p)| {
                let fate = if p.done_us == 0 || p.done_us - p.arrive_us > budget_us {
                    Fate::Failed
                } else if p.queries > needed {
                    Fate::Anomaly
                } else {
                    Fate::Ok
                };
                Journey {
                    id: i as u32,
                    hops: p.hops,
                    fate,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Run {
        outcome,
        journeys,
        series: sim.gauge.finish(),
    }
}

impl Model for NPlusOne {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(q) = finding_number(finding, "queries_per_row") {
            p.set("queries_per_row", q);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "With {load} rows on the page and {} users opening it at once, the loop ran {} \
             queries per page ({} in all, {} more than batching needs); pages took {} ms at \
             the median and {} ms at p99, and {} of {} missed the {} ms budget. With one \
             batched query per lookup: {} queries per page, {} extra, {} ms median, {} ms p99, \
             {} slow pages.",
            settings.get("users"),
            m(naive, "queries per page"),
            naive.out_of,
            naive.failures,
            m(naive, "p50 page time"),
            m(naive, "p99 page time"),
            m(naive, "slow pages"),
            m(naive, "pages"),
            settings.get("page_budget_ms"),
            m(fixed, "queries per page"),
            fixed.failures,
            m(fixed, "p50 page time"),
            m(fixed, "p99 page time"),
            m(fixed, "slow pages"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("queries at the database (running or waiting)", "queries")
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
        let sw = sweep(&NPlusOne, &Params::default(), 42, &[]);
        // 20 pages, each with (rows − 1) lookups more than the batched version.
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 180, 380, 980, 1_980, 3_980, 9_980, 19_980]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "queries per page")),
            [2, 11, 21, 51, 101, 201, 501, 1_001]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p50 page time")),
            [25, 43, 62, 126, 231, 441, 1_642, 3_748]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p99 page time")),
            [26, 48, 71, 135, 244, 461, 1_713, 3_811]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "slow pages")),
            [0, 0, 0, 0, 0, 0, 20, 20]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(sw.column(|l| metric(&l.fixed, "queries per page")), [2; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "p99 page time")),
            [26, 26, 27, 28, 30, 34, 46, 66]
        );
        assert_eq!(sw.first_failing_load(), Some(10));
    }

    /// Two lookups per row double the extra queries; the batched page needs one query per
    /// kind of lookup.
    #[test]
    fn queries_per_row_multiply_the_extra_queries() {
        let mut p = Params::default();
        p.set("queries_per_row", 2);
        let sw = sweep(&NPlusOne, &p, 42, &[100]);
        let level = &sw.levels[0];
        assert_eq!(level.naive.failures, 20 * 2 * 99);
        assert_eq!(metric(&level.naive, "queries per page"), 201);
        assert_eq!(level.fixed.failures, 0);
        assert_eq!(metric(&level.fixed, "queries per page"), 3);
    }

    /// With as many connections as users, a 1,000-row page no longer waits for the pool, but
    /// 1,001 round trips in a row still take about two seconds.
    #[test]
    fn a_larger_pool_helps_but_does_not_fix_it() {
        let small = sweep(&NPlusOne, &Params::default(), 42, &[1_000]);
        let mut p = Params::default();
        p.set("db_pool", 20);
        let large = sweep(&NPlusOne, &p, 42, &[1_000]);
        let (s50, l50) = (
            metric(&small.levels[0].naive, "p50 page time"),
            metric(&large.levels[0].naive, "p50 page time"),
        );
        assert!(l50 < s50, "{l50} vs {s50}");
        assert!((1_900..2_200).contains(&l50), "{l50}");
        assert_eq!(metric(&large.levels[0].naive, "slow pages"), 20);
    }

    #[test]
    fn journeys_show_a_query_per_row() {
        let s = Settings::defaults(&INFO);
        let naive = NPlusOne.run(&s, Variant::Naive, 50, 42, true);
        assert_eq!(naive.journeys.len(), 20);
        for j in &naive.journeys {
            assert_eq!(j.fate, Fate::Anomaly);
            assert!(j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us));
            let db = j.hops.iter().filter(|h| h.stage == Stage::Database).count();
            // 30 queries drawn one by one, the other 21 as one stretch.
            assert_eq!(db, DRAWN_QUERIES + 1);
            assert_eq!(j.hops.first().map(|h| h.stage), Some(Stage::Client));
            assert_eq!(j.hops.last().map(|h| h.stage), Some(Stage::Client));
        }
        let fixed = NPlusOne.run(&s, Variant::Fixed, 50, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok
            && j.hops.iter().filter(|h| h.stage == Stage::Database).count() == 2));
        // Past the budget, the page is a visible failure.
        let slow = NPlusOne.run(&s, Variant::Naive, 1_000, 42, true);
        assert!(slow.journeys.iter().all(|j| j.fate == Fate::Failed));
        // Every one of the 20 pages has a query at the database: 10 running, 10 in line.
        assert_eq!(slow.series.iter().map(|p| p.value).max(), Some(20));
    }

    #[test]
    fn settings_from_a_finding() {
        let f = finding_with(
            "n-plus-one",
            &[
                ("queries_per_row", "3"),
                ("kind", "sql"),
                ("loop_line", "12"),
            ],
        );
        let p = NPlusOne.params_from_finding(&f);
        assert_eq!(p.0.get("queries_per_row"), Some(&3));
        assert_eq!(p.0.len(), 1);
        let none = finding_with("n-plus-one", &[("queries_per_row", "many")]);
        assert!(NPlusOne.params_from_finding(&none).0.is_empty());
    }
}
