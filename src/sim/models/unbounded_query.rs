//! unbounded-query: `SELECT` without `LIMIT` returned to the client, on a table that grows.
//!
//! Requests for the list arrive at a steady rate for one minute. A replica runs `workers`
//! synchronous workers (one request each at a time); requests wait for a free worker in the
//! gateway's queue, which answers 504 for any that waited past the timeout. A worker queries
//! the database (a round trip plus the work per row returned), holds the rows and then their
//! JSON in memory while it serializes them, hands the response to the gateway and is free
//! again; the client then downloads it at its own speed. All workers share the container's
//! memory: when the requests in flight need more than it has, the kernel kills the process
//! (every request in a worker fails) and it takes a few seconds to come back.
//!
//! - **Naive**: every response carries the whole table. Response size, database time,
//!   serialization time, memory and download time all grow with the rows; requests fail once
//!   the download outlasts the timeout or the rows in flight outgrow the memory.
//! - **Fixed**: keyset pagination (`WHERE id > $cursor ORDER BY id LIMIT page_size`): the
//!   same small page whatever the table size. Within the settings' bounds (a page of at most
//!   500 rows of at most 2 KB, at most 64 workers, at least 256 MB, at least 5 Mbit/s, at
//!   most 300 requests a minute, a timeout of at least 10 s) a page needs at most 3 MB while
//!   in a worker (64 × 3 MB < 256 MB: no OOM kill) and at most 6.5 ms of a worker's time, so
//!   even 300 requests at once on one worker wait under 2 s, and the download of at most
//!   1 MB takes under 1.7 s at 5 Mbit/s: under the timeout. 0 failures by construction.
//!
//! Defaults: 500-byte rows (a JSON object of a dozen fields), 2 µs of database time and 5 µs
//! of serialization per row, three times the JSON size in memory while a row is an object
//! and then a string, 8 workers in a 512 MB container, clients on 20 Mbit/s, a 30 s timeout.

use super::growth_parts::PeakSeries;
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct UnboundedQuery;

/// Requests arrive during this window.
const WINDOW_US: u64 = 60_000_000;
/// Network time between the browser and the gateway, each way.
const NETWORK_US: u64 = 10_000;
/// Database round trip and handler time, per request.
const ROUND_TRIP_US: (u64, u64) = (1_000, 3_000);
/// Database time per row returned (read, send over the wire).
const DB_US_PER_ROW: u64 = 2;
/// Worker time per row to build objects and serialize them to JSON.
const SERIALIZE_US_PER_ROW: u64 = 5;
/// Memory per byte of JSON while a row is held as objects, then as the response string.
const MEMORY_FACTOR: u64 = 3;
/// From an OOM kill until the workers serve again.
const RESTART_US: u64 = 5_000_000;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "requests_per_min",
        label: "Requests for the list per minute",
        unit: "requests/min",
        default: 30,
        min: 1,
        max: 300,
    },
    ParamSpec {
        name: "row_bytes",
        label: "Row size as JSON",
        unit: "bytes",
        default: 500,
        min: 50,
        max: 2_000,
    },
    ParamSpec {
        name: "page_size",
        label: "Page size (fixed)",
        unit: "rows",
        default: 100,
        min: 10,
        max: 500,
    },
    ParamSpec {
        name: "workers",
        label: "Workers",
        unit: "workers",
        default: 8,
        min: 1,
        max: 64,
    },
    ParamSpec {
        name: "memory_mb",
        label: "Container memory for requests",
        unit: "MB",
        default: 512,
        min: 256,
        max: 16_384,
    },
    ParamSpec {
        name: "timeout_s",
        label: "Request timeout (gateway or client)",
        unit: "s",
        default: 30,
        min: 10,
        max: 300,
    },
    ParamSpec {
        name: "client_mbps",
        label: "Client download speed",
        unit: "Mbit/s",
        default: 20,
        min: 5,
        max: 1_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "unbounded-query",
    title: "A SELECT without LIMIT returned to the client as the table grows",
    metric: "failed requests",
    unit: "requests",
    load_label: "rows in the table",
    loads: &[
        1_000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 10_000_000,
    ],
    max_load: 100_000_000,
    params: PARAMS,
    naive_label: "every row in every response",
    fixed_label: "keyset pagination",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Pending,
    Served,
    /// The gateway gave up (queue wait or download past the timeout).
    TimedOut,
    /// In a worker when the process was killed for memory.
    Killed,
}

struct Request {
    arrive_us: u64,
    end: End,
    done_us: u64,
    hops: Vec<Hop>,
}

enum Event {
    Arrive(u32),
    DbDone { worker: u32, epoch: u32 },
    Serialized { worker: u32, epoch: u32 },
    Restarted,
}

struct Sim {
    rows: u64,
    row_bytes: u64,
    mbps: u64,
    timeout_us: u64,
    memory_limit: u64,
    trace: bool,
    q: EventQueue<Event>,
    rng: Rng,
    requests: Vec<Request>,
    backlog: VecDeque<u32>,
    /// The request each worker is serving.
    serving: Vec<Option<u32>>,
    /// Bumped by an OOM kill, so a killed request's pending events are ignored.
    epoch: u32,
    down: bool,
    memory: u64,
    peak_memory: u64,
    gauge: PeakSeries,
    kills: u64,
}

impl Sim {
    fn response_bytes(&self) -> u64 {
        self.rows.saturating_mul(self.row_bytes)
    }

    fn hop(&mut self, id: u32, stage: Stage, lane: u32, start_us: u64, end_us: u64) {
        if !self.trace {
            return;
        }
        if let Some(r) = self.requests.get_mut(id as usize) {
            r.hops.push(Hop {
                stage,
                lane,
                start_us,
                end_us: end_us.max(start_us),
            });
        }
    }

    fn end(&mut self, id: u32, end: End, at_us: u64) {
        if let Some(r) = self.requests.get_mut(id as usize) {
            r.end = end;
            r.done_us = at_us;
        }
    }

    /// When the gateway gives up on a request.
    fn cutoff(&self, id: u32) -> u64 {
        self.requests
            .get(id as usize)
            .map_or(0, |r| r.arrive_us.saturating_add(self.timeout_us))
    }

    /// Ends a journey's hops at `at_us`: what the request did after it is not the client's.
    fn cut_hops(&mut self, id: u32, at_us: u64) {
        if let Some(r) = self.requests.get_mut(id as usize) {
            r.hops.retain(|h| h.start_us <= at_us);
            for h in r.hops.iter_mut() {
                h.end_us = h.end_us.min(at_us);
            }
        }
    }

    /// The gateway answered 504 at `at_us` (the worker may go on working, unheard).
    fn give_up(&mut self, id: u32, at_us: u64) {
        self.cut_hops(id, at_us);
        self.hop(id, Stage::Client, 0, at_us, at_us + NETWORK_US);
        self.end(id, End::TimedOut, at_us + NETWORK_US);
    }

    /// Gives free workers the oldest requests still worth serving.
    fn dispatch(&mut self) {
        if self.down {
            return;
        }
        let now = self.q.now();
        while let Some(worker) = self.serving.iter().position(Option::is_none) {
            let Some(id) = self.backlog.pop_front() else {
                return;
            };
            let Some(arrive) = self.requests.get(id as usize).map(|r| r.arrive_us) else {
                continue;
            };
            let reached = arrive + NETWORK_US;
            let cutoff = arrive.saturating_add(self.timeout_us);
            if now > cutoff {
                // The gateway already answered 504 for it.
                self.hop(id, Stage::Replica, 0, reached, cutoff);
                self.give_up(id, cutoff);
                continue;
            }
            self.hop(id, Stage::Replica, worker as u32, reached, now);
            if let Some(cell) = self.serving.get_mut(worker) {
                *cell = Some(id);
            }
            let db_us = self
                .rng
                .between(ROUND_TRIP_US.0, ROUND_TRIP_US.1)
                .saturating_add(self.rows.saturating_mul(DB_US_PER_ROW));
            self.hop(id, Stage::Database, 0, now, now.saturating_add(db_us));
            self.q.schedule(
                db_us,
                Event::DbDone {
                    worker: worker as u32,
                    epoch: self.epoch,
                },
            );
        }
    }

    fn db_done(&mut self, worker: u32) {
        let now = self.q.now();
        let need = self.response_bytes().saturating_mul(MEMORY_FACTOR);
        self.memory = self.memory.saturating_add(need);
        self.peak_memory = self.peak_memory.max(self.memory.min(self.memory_limit));
        self.gauge
            .set(now, self.memory.min(self.memory_limit) / 1_000_000);
        if self.memory > self.memory_limit {
            self.oom_kill();
            return;
        }
        let work = self.rows.saturating_mul(SERIALIZE_US_PER_ROW);
        if let Some(id) = self.serving.get(worker as usize).copied().flatten() {
            self.hop(id, Stage::Replica, worker, now, now.saturating_add(work));
        }
        self.q.schedule(
            work,
            Event::Serialized {
                worker,
                epoch: self.epoch,
            },
        );
    }

    fn serialized(&mut self, worker: u32) {
        let now = self.q.now();
        let need = self.response_bytes().saturating_mul(MEMORY_FACTOR);
        self.memory = self.memory.saturating_sub(need);
        self.gauge.set(now, self.memory / 1_000_000);
        let id = self.serving.get_mut(worker as usize).and_then(Option::take);
        if let Some(id) = id {
            let download_us = self.response_bytes().saturating_mul(8) / self.mbps.max(1);
            let received = now.saturating_add(download_us).saturating_add(NETWORK_US);
            let cutoff = self.cutoff(id);
            if cutoff < now {
                // The gateway gave up while the worker was still busy with it.
                self.give_up(id, cutoff);
            } else if received > cutoff {
                // The download was still running when the timeout struck.
                self.hop(id, Stage::Client, 0, now, cutoff);
                self.end(id, End::TimedOut, cutoff);
            } else {
                self.hop(id, Stage::Client, 0, now, received);
                self.end(id, End::Served, received);
            }
        }
        self.dispatch();
    }

    /// The container ran out of memory: every request in a worker fails, memory is freed,
    /// and the workers come back after a restart.
    fn oom_kill(&mut self) {
        let now = self.q.now();
        self.kills += 1;
        self.epoch = self.epoch.wrapping_add(1);
        self.memory = 0;
        self.gauge.set(now, 0);
        self.down = true;
        let killed: Vec<u32> = self.serving.iter_mut().filter_map(Option::take).collect();
        for id in killed {
            let cutoff = self.cutoff(id);
            if cutoff < now {
                self.give_up(id, cutoff);
            } else {
                self.cut_hops(id, now);
                self.hop(id, Stage::Client, 0, now, now + NETWORK_US);
                self.end(id, End::Killed, now + NETWORK_US);
            }
        }
        self.q.schedule(RESTART_US, Event::Restarted);
    }
}

fn simulate(s: &Settings, variant: Variant, table_rows: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let count = s.get("requests_per_min").clamp(1, 300);
    let mut arrivals: Vec<u64> = (0..count).map(|_| rng.below(WINDOW_US)).collect();
    arrivals.sort_unstable();
    let rows = match variant {
        Variant::Naive => table_rows,
        Variant::Fixed => s.get("page_size").clamp(10, 500).min(table_rows),
    };
    let workers = s.get("workers").clamp(1, 64) as usize;
    let mut sim = Sim {
        rows,
        row_bytes: s.get("row_bytes").clamp(50, 2_000),
        mbps: s.get("client_mbps").clamp(5, 1_000),
        timeout_us: s.get("timeout_s").clamp(10, 300) * 1_000_000,
        memory_limit: s.get("memory_mb").clamp(256, 16_384) * 1_000_000,
        trace,
        q: EventQueue::new(),
        rng,
        requests: arrivals
            .iter()
            .map(|&arrive_us| Request {
                arrive_us,
                end: End::Pending,
                done_us: 0,
                hops: Vec::new(),
            })
            .collect(),
        backlog: VecDeque::new(),
        serving: vec![None; workers],
        epoch: 0,
        down: false,
        memory: 0,
        peak_memory: 0,
        gauge: PeakSeries::new(trace),
        kills: 0,
    };
    for (i, &at) in arrivals.iter().enumerate() {
        if trace {
            sim.hop(i as u32, Stage::Client, 0, at, at + NETWORK_US);
        }
        sim.q.schedule_at(at + NETWORK_US, Event::Arrive(i as u32));
    }
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Arrive(id) => {
                sim.backlog.push_back(id);
                sim.dispatch();
            }
            Event::DbDone { worker, epoch } if epoch == sim.epoch => sim.db_done(worker),
            Event::Serialized { worker, epoch } if epoch == sim.epoch => sim.serialized(worker),
            Event::Restarted => {
                sim.down = false;
                sim.dispatch();
            }
            Event::DbDone { .. } | Event::Serialized { .. } => {}
        }
    }
    finish(sim, capped)
}

fn finish(sim: Sim, capped: bool) -> Run {
    let count = |e: End| sim.requests.iter().filter(|r| r.end == e).count() as u64;
    let (served, timed_out, killed) =
        (count(End::Served), count(End::TimedOut), count(End::Killed));
    let total = sim.requests.len() as u64;
    let mut times: Vec<u64> = sim
        .requests
        .iter()
        .filter(|r| r.end != End::Pending)
        .map(|r| r.done_us.saturating_sub(r.arrive_us))
        .collect();
    let outcome = Outcome {
        failures: total - served,
        out_of: total,
        metrics: vec![
            Metric {
                name: "response size",
                value: sim.response_bytes() / 1_000,
                unit: "KB",
            },
            Metric {
                name: "p50 response time",
                value: percentile(&mut times, 50) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "p99 response time",
                value: percentile(&mut times, 99) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "memory per request",
                value: sim.response_bytes().saturating_mul(MEMORY_FACTOR) / 1_000,
                unit: "KB",
            },
            Metric {
                name: "peak memory",
                value: sim.peak_memory / 1_000_000,
                unit: "MB",
            },
            Metric {
                name: "OOM kills",
                value: sim.kills,
                unit: "kills",
            },
            Metric {
                name: "timeouts",
                value: timed_out,
                unit: "requests",
            },
            Metric {
                name: "killed requests",
                value: killed,
                unit: "requests",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    let journeys = if sim.trace {
        sim.requests
            .into_iter()
            .take(MAX_JOURNEYS)
            .enumerate()
            .map(|(i, r)| Journey {
                id: i as u32,
                hops: r.hops,
                fate: if r.end == End::Served {
                    Fate::Ok
                } else {
                    Fate::Failed
                },
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

impl Model for UnboundedQuery {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding names the query and the table; the sizes are the deployment's.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "With {load} rows in the table, every response carried all of them: {} KB, about \
             {} MB of worker memory while it was built. {} of {} requests failed ({} timed out, \
             {} were killed with the process in {} out-of-memory kills); responses took {} ms \
             at the median and {} ms at p99. With pages of {} rows: {} KB per response, {} \
             failed, {} ms at p99.",
            m(naive, "response size"),
            m(naive, "memory per request") / 1_000,
            naive.failures,
            naive.out_of,
            m(naive, "timeouts"),
            m(naive, "killed requests"),
            m(naive, "OOM kills"),
            m(naive, "p50 response time"),
            m(naive, "p99 response time"),
            settings.get("page_size"),
            m(fixed, "response size"),
            fixed.failures,
            m(fixed, "p99 response time"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("memory held by requests", "MB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(o: &Outcome, name: &str) -> u64 {
        o.metric(name).unwrap_or(u64::MAX)
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&UnboundedQuery, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 0, 30, 30, 30, 30]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "response size")),
            [500, 5_000, 25_000, 50_000, 100_000, 250_000, 500_000, 5_000_000]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p50 response time")),
            [228, 2_091, 10_371, 20_721, 3_765, 3_013, 3_801, 30_010]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "peak memory")),
            [1, 15, 150, 300, 512, 512, 512, 512]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "OOM kills")),
            [0, 0, 0, 0, 10, 10, 9, 4]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "timeouts")),
            [0, 0, 0, 0, 2, 0, 0, 16]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(sw.column(|l| metric(&l.fixed, "response size")), [50; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "p99 response time")),
            [43; 8]
        );
        assert_eq!(sw.first_failing_load(), Some(200_000));
    }

    /// Memory is what kills the process at 200,000 rows; with room for it, the download
    /// still outlasts the timeout; with a fast client as well, the whole table gets through.
    #[test]
    fn memory_then_download_time() {
        let at = |p: &Params| {
            sweep(&UnboundedQuery, p, 42, &[200_000]).levels[0]
                .naive
                .clone()
        };
        let roomy = at(Params::default().set("memory_mb", 16_384));
        assert_eq!(metric(&roomy, "OOM kills"), 0);
        assert_eq!(roomy.failures, 30);
        assert_eq!(metric(&roomy, "timeouts"), 30);
        let fast = at(Params::default()
            .set("memory_mb", 16_384)
            .set("client_mbps", 1_000));
        assert_eq!(fast.failures, 0);
        assert!(metric(&fast, "p99 response time") > 1_400);
    }

    /// The bound the fix rests on, at its tightest corner: the largest page of the largest
    /// rows, the most requests on one worker, the least memory, the slowest client and the
    /// shortest timeout; and the most workers at once within the least memory.
    #[test]
    fn fixed_holds_at_the_tightest_corner() {
        for workers in [1, 64] {
            let mut p = Params::default();
            p.set("page_size", 500)
                .set("row_bytes", 2_000)
                .set("requests_per_min", 300)
                .set("workers", workers)
                .set("memory_mb", 256)
                .set("client_mbps", 5)
                .set("timeout_s", 10);
            let (s, notices) = Settings::resolve(&INFO, &p);
            assert!(notices.is_empty());
            for seed in 0..3 {
                let o = UnboundedQuery
                    .run(&s, Variant::Fixed, INFO.max_load, seed, false)
                    .outcome;
                assert_eq!(o.failures, 0);
                assert_eq!(metric(&o, "OOM kills"), 0);
                assert!(metric(&o, "peak memory") <= 192);
                assert!(metric(&o, "p99 response time") < 10_000);
            }
        }
    }

    #[test]
    fn journeys_and_memory_series() {
        let s = Settings::defaults(&INFO);
        let naive = UnboundedQuery.run(&s, Variant::Naive, 200_000, 42, true);
        assert_eq!(naive.journeys.len(), 30);
        assert!(naive
            .journeys
            .iter()
            .all(|j| j.fate == Fate::Failed
                && j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us)));
        // The series climbs to the container's limit, then drops with each kill.
        let values: Vec<u64> = naive.series.iter().map(|p| p.value).collect();
        assert_eq!(values.iter().max(), Some(&512));
        assert!(values.iter().skip_while(|&&v| v < 512).any(|&v| v == 0));
        let ok = UnboundedQuery.run(&s, Variant::Naive, 10_000, 42, true);
        assert!(ok.journeys.iter().all(|j| j.fate == Fate::Ok));
        assert_eq!(ok.series.iter().map(|p| p.value).max(), Some(15));
    }
}
