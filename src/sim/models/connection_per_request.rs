//! connection-per-request: opening a new database (or HTTP) connection for every request
//! instead of borrowing one from a pool.
//!
//! Each user sends a few requests in a row with a short pause between them (a page that loads,
//! then a few clicks). Requests are spread round-robin over the replicas; each runs one query.
//! The database accepts at most `max_connections` connections at a time (PostgreSQL's default
//! is 100) and refuses the next with "too many clients already".
//!
//! **Naive**: every request opens its own connection, paying the setup (TCP, TLS, auth) before
//! its query, and closes it afterwards. Latency carries the setup on every request, and once
//! more requests are in flight than the database allows connections, the extra ones are
//! refused: the user gets an error page.
//!
//! **Fixed**: each replica keeps a pool (`pool_size` connections, opened on first use and kept
//! open); a request waits in line for a free pooled connection. The pools are sized so that all
//! replicas together stay within `max_connections` (the pool per replica is capped at
//! `max_connections / replicas`, which is what a deployment must do anyway), so the database
//! never refuses a pooled connection: 0 refusals by construction. The cost is a short wait for
//! a connection at high load.
//!
//! Defaults: 30 ms connection setup (20–50 ms is typical for TLS plus authentication to a
//! managed database), 5 ms queries, PostgreSQL's `max_connections = 100`, 2 replicas with a
//! pool of 10 each (SQLAlchemy's default pool size is 5, HikariCP's 10).

use super::record::{Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::{Latency, Rng};
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct ConnectionPerRequest;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "setup_ms",
        label: "New connection (TCP + TLS + auth)",
        unit: "ms",
        default: 30,
        min: 1,
        max: 1_000,
    },
    ParamSpec {
        name: "max_connections",
        label: "Database max_connections",
        unit: "connections",
        default: 100,
        min: 20,
        max: 10_000,
    },
    ParamSpec {
        name: "pool_size",
        label: "Pool per replica (fixed)",
        unit: "connections",
        default: 10,
        min: 1,
        max: 1_000,
    },
    ParamSpec {
        name: "replicas",
        label: "Replicas",
        unit: "replicas",
        default: 2,
        min: 1,
        max: 16,
    },
    ParamSpec {
        name: "query_ms",
        label: "Query time (typical)",
        unit: "ms",
        default: 5,
        min: 1,
        max: 1_000,
    },
    ParamSpec {
        name: "requests_per_user",
        label: "Requests per user",
        unit: "requests",
        default: 5,
        min: 1,
        max: 50,
    },
    ParamSpec {
        name: "think_ms",
        label: "Pause between a user's requests (longest)",
        unit: "ms",
        default: 100,
        min: 0,
        max: 60_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "connection-per-request",
    title: "A new database connection per request vs a pool",
    metric: "refused connections",
    unit: "requests",
    load_label: "concurrent users",
    loads: &[1, 10, 20, 50, 100, 200, 500, 1_000],
    max_load: 2_000,
    params: PARAMS,
    naive_label: "connect per request",
    fixed_label: "connection pool per replica",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

enum Event {
    Send(u32),
    Done(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fates {
    Pending,
    Served,
    Refused,
}

struct Request {
    user: u32,
    arrive_us: u64,
    ready_us: u64,
    end_us: u64,
    replica: u32,
    /// Naive: the connection slot at the database; fixed: the pooled connection's index.
    conn: u32,
    fate: Fates,
}

struct Pool {
    opened: Vec<bool>,
    free: Vec<u32>,
    waiting: VecDeque<u32>,
}

struct Sim {
    variant: Variant,
    traffic: Rng,
    rng: Rng,
    q: EventQueue<Event>,
    requests: Vec<Request>,
    left: Vec<u32>,
    pools: Vec<Pool>,
    pool_size: u32,
    next_replica: usize,
    /// Free connection slots at the database (its `max_connections`).
    db_free: Vec<u32>,
    open: u64,
    peak_open: u64,
    opened: u64,
    open_gauge: Gauge,
    setup_us: u64,
    query: Latency,
    think_us: u64,
}

impl Sim {
    fn new(s: &Settings, variant: Variant, users: u32, seed: u64, trace: bool) -> Sim {
        let replicas = s.get("replicas").max(1);
        let max_connections = s.get("max_connections").max(1);
        // All pools together must fit under the database's limit.
        let pool_size = s.get("pool_size").min(max_connections / replicas).max(1) as u32;
        let query_us = s.get("query_ms").saturating_mul(1_000);
        Sim {
            variant,
            traffic: Rng::new(seed),
            rng: Rng::new(seed ^ 0x00c0_22ec_7105),
            q: EventQueue::new(),
            requests: Vec::new(),
            left: vec![s.get("requests_per_user").max(1) as u32; users as usize],
            pools: (0..replicas)
                .map(|_| Pool {
                    opened: vec![false; pool_size as usize],
                    free: (0..pool_size).rev().collect(),
                    waiting: VecDeque::new(),
                })
                .collect(),
            pool_size,
            next_replica: 0,
            db_free: (0..max_connections as u32).rev().collect(),
            open: 0,
            peak_open: 0,
            opened: 0,
            open_gauge: Gauge::new(trace),
            setup_us: s.get("setup_ms").saturating_mul(1_000),
            query: Latency {
                min_us: query_us / 2,
                max_us: query_us / 2 * 3,
                tail_per_mille: 20,
                tail_max_us: query_us.saturating_mul(4),
            },
            think_us: s.get("think_ms").saturating_mul(1_000),
        }
    }

    fn setup(&mut self) -> u64 {
        self.rng
            .between(self.setup_us / 3 * 2, self.setup_us / 3 * 4)
    }

    fn opened_one(&mut self) {
        self.open += 1;
        self.opened += 1;
        self.peak_open = self.peak_open.max(self.open);
        self.open_gauge.set(self.q.now(), self.open);
    }

    fn send(&mut self, user: u32) {
        let now = self.q.now();
        let id = self.requests.len() as u32;
        let replica = (self.next_replica % self.pools.len().max(1)) as u32;
        self.next_replica = self.next_replica.wrapping_add(1);
        self.requests.push(Request {
            user,
            arrive_us: now,
            ready_us: now,
            end_us: now,
            replica,
            conn: 0,
            fate: Fates::Pending,
        });
        match self.variant {
            Variant::Naive => {
                let setup = self.setup();
                match self.db_free.pop() {
                    Some(slot) => {
                        self.opened_one();
                        let query = self.query.sample(&mut self.rng);
                        if let Some(r) = self.requests.get_mut(id as usize) {
                            r.conn = slot;
                            r.ready_us = now + setup;
                        }
                        self.q.schedule(setup + query, Event::Done(id));
                    }
                    // "Sorry, too many clients already", once the handshake is through.
                    None => {
                        if let Some(r) = self.requests.get_mut(id as usize) {
                            r.fate = Fates::Refused;
                            r.ready_us = now + setup;
                        }
                        self.q.schedule(setup, Event::Done(id));
                    }
                }
            }
            Variant::Fixed => {
                let free = self
                    .pools
                    .get_mut(replica as usize)
                    .and_then(|p| p.free.pop());
                match free {
                    Some(conn) => self.use_pooled(id, conn),
                    None => {
                        if let Some(p) = self.pools.get_mut(replica as usize) {
                            p.waiting.push_back(id);
                        }
                    }
                }
            }
        }
    }

    /// Runs request `id` on pooled connection `conn`, opening it first if it is not open. An
    /// opening pooled connection goes through the same database limit as the naive ones; the
    /// pool sizing is what keeps it from being refused.
    fn use_pooled(&mut self, id: u32, conn: u32) {
        let now = self.q.now();
        let Some(replica) = self.requests.get(id as usize).map(|r| r.replica as usize) else {
            return;
        };
        let is_open = self
            .pools
            .get(replica)
            .and_then(|p| p.opened.get(conn as usize))
            .copied()
            .unwrap_or(false);
        let mut setup = 0;
        if !is_open {
            setup = self.setup();
            if self.db_free.pop().is_none() {
                if let Some(r) = self.requests.get_mut(id as usize) {
                    r.fate = Fates::Refused;
                    r.conn = conn;
                    r.ready_us = now + setup;
                }
                self.q.schedule(setup, Event::Done(id));
                return;
            }
            self.opened_one();
            if let Some(o) = self
                .pools
                .get_mut(replica)
                .and_then(|p| p.opened.get_mut(conn as usize))
            {
                *o = true;
            }
        }
        let query = self.query.sample(&mut self.rng);
        if let Some(r) = self.requests.get_mut(id as usize) {
            r.conn = conn;
            r.ready_us = now + setup;
        }
        self.q.schedule(setup + query, Event::Done(id));
    }

    fn done(&mut self, id: u32) {
        let now = self.q.now();
        let Some(r) = self.requests.get_mut(id as usize) else {
            return;
        };
        r.end_us = now;
        let refused = r.fate == Fates::Refused;
        if !refused {
            r.fate = Fates::Served;
        }
        let (user, replica, conn) = (r.user, r.replica as usize, r.conn);
        match self.variant {
            Variant::Naive => {
                if !refused {
                    self.db_free.push(conn);
                    self.open -= 1;
                    self.open_gauge.set(now, self.open);
                }
            }
            Variant::Fixed => {
                let next = self
                    .pools
                    .get_mut(replica)
                    .and_then(|p| p.waiting.pop_front());
                match next {
                    Some(next) => self.use_pooled(next, conn),
                    None => {
                        if let Some(p) = self.pools.get_mut(replica) {
                            p.free.push(conn);
                        }
                    }
                }
            }
        }
        if let Some(left) = self.left.get_mut(user as usize) {
            *left = left.saturating_sub(1);
            if *left > 0 {
                let pause = self.traffic.between(0, self.think_us);
                self.q.schedule(pause, Event::Send(user));
            }
        }
    }
}

fn simulate(s: &Settings, variant: Variant, users: u32, seed: u64, trace: bool) -> Run {
    let mut sim = Sim::new(s, variant, users, seed, trace);
    for user in 0..users {
        let at = sim.traffic.between(0, sim.think_us);
        sim.q.schedule_at(at, Event::Send(user));
    }
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Send(user) => sim.send(user),
            Event::Done(id) => sim.done(id),
        }
    }
    let mut journal = Journal::new(trace);
    let mut latency_us = Vec::with_capacity(sim.requests.len());
    let mut refused = 0;
    for (i, r) in sim.requests.iter().enumerate() {
        let id = i as u32;
        match r.fate {
            Fates::Pending => continue,
            Fates::Refused => {
                refused += 1;
                journal.hop(id, Stage::Replica, r.replica, r.arrive_us, r.end_us);
                journal.fate(id, Fate::Failed);
            }
            Fates::Served => {
                latency_us.push(r.end_us - r.arrive_us);
                let lane = match sim.variant {
                    Variant::Naive => r.conn,
                    Variant::Fixed => r.replica * sim.pool_size + r.conn,
                };
                journal.hop(id, Stage::Replica, r.replica, r.arrive_us, r.ready_us);
                journal.hop(id, Stage::Database, lane, r.ready_us, r.end_us);
            }
        }
    }
    let answered = sim
        .requests
        .iter()
        .filter(|r| r.fate != Fates::Pending)
        .count() as u64;
    let outcome = Outcome {
        failures: refused,
        out_of: answered,
        metrics: vec![
            Metric {
                name: "connections opened",
                value: sim.opened,
                unit: "connections",
            },
            Metric {
                name: "peak open connections",
                value: sim.peak_open,
                unit: "connections",
            },
            Metric {
                name: "p50 latency",
                value: percentile(&mut latency_us, 50) / 1000,
                unit: "ms",
            },
            Metric {
                name: "p99 latency",
                value: percentile(&mut latency_us, 99) / 1000,
                unit: "ms",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    Run {
        outcome,
        journeys: journal.finish(),
        series: sim.open_gauge.finish(),
    }
}

impl Model for ConnectionPerRequest {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        // The analyzer says 1 for "a new client each time"; a real pool size is kept for the fix.
        if let Some(n) = finding_number(finding, "pool_size").filter(|&n| n > 1) {
            p.set("pool_size", n);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(
            settings,
            variant,
            load.clamp(1, INFO.max_load) as u32,
            seed,
            trace,
        )
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        let replicas = settings.get("replicas").max(1);
        let pool = settings
            .get("pool_size")
            .min(settings.get("max_connections") / replicas)
            .max(1);
        format!(
            "At {load} concurrent users, opening a connection per request: {} of {} requests \
             were refused by the database (max_connections {}), {} connections were opened \
             and a request took {} ms at p50, {} ms at p99. With a pool of {pool} per replica \
             on {replicas} replicas: {} refused, {} connections opened in all, {} ms at p50 \
             and {} ms at p99 including the wait for a free connection.",
            naive.failures,
            naive.out_of,
            settings.get("max_connections"),
            m(naive, "connections opened"),
            m(naive, "p50 latency"),
            m(naive, "p99 latency"),
            fixed.failures,
            m(fixed, "connections opened"),
            m(fixed, "p50 latency"),
            m(fixed, "p99 latency"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("open database connections", "connections")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&ConnectionPerRequest, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 0, 0, 13, 1150, 3556]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| l.naive.out_of),
            [5, 50, 100, 250, 500, 1000, 2500, 5000]
        );
        // Every naive request that got in paid for its own connection; the pools open 20.
        assert_eq!(
            sw.column(|l| l.naive.metric("connections opened").unwrap_or(0)),
            [5, 50, 100, 250, 500, 987, 1350, 1444]
        );
        assert_eq!(
            sw.column(|l| l.fixed.metric("connections opened").unwrap_or(0)),
            [2, 7, 11, 20, 20, 20, 20, 20]
        );
        assert_eq!(
            sw.column(|l| l.naive.metric("p50 latency").unwrap_or(0)),
            [36, 36, 35, 35, 35, 35, 34, 34]
        );
        assert_eq!(
            sw.column(|l| l.fixed.metric("p50 latency").unwrap_or(0)),
            [4, 4, 5, 5, 5, 6, 73, 200]
        );
        assert!(sw
            .levels
            .iter()
            .all(|l| l.naive.metric("peak open connections").unwrap_or(0) <= 100));
    }

    /// A larger database limit moves the refusals out; fewer replicas' pools still never
    /// exceed it.
    #[test]
    fn settings_move_the_result() {
        let refused = |p: &Params, variant| {
            let (s, _) = Settings::resolve(&INFO, p);
            ConnectionPerRequest
                .run(&s, variant, 500, 42, false)
                .outcome
                .failures
        };
        let base = refused(&Params::default(), Variant::Naive);
        assert!(
            refused(
                Params::default().set("max_connections", 400),
                Variant::Naive
            ) < base
        );
        assert!(refused(Params::default().set("setup_ms", 5), Variant::Naive) < base);
        // A pool asked larger than the database allows is capped to fit.
        let mut big = Params::default();
        big.set("pool_size", 500)
            .set("max_connections", 20)
            .set("replicas", 16);
        let (s, _) = Settings::resolve(&INFO, &big);
        let run = ConnectionPerRequest.run(&s, Variant::Fixed, 1_000, 42, false);
        assert_eq!(run.outcome.failures, 0);
        assert_eq!(run.outcome.metric("peak open connections"), Some(16));
    }

    #[test]
    fn settings_from_a_finding() {
        let finding = |pool: &str| {
            finding_with(
                "connection-per-request",
                &[("kind", "HTTP client"), ("pool_size", pool)],
            )
        };
        assert!(ConnectionPerRequest
            .params_from_finding(&finding("1"))
            .0
            .is_empty());
        assert_eq!(
            ConnectionPerRequest
                .params_from_finding(&finding("25"))
                .0
                .get("pool_size"),
            Some(&25)
        );
    }

    #[test]
    fn journeys_and_series() {
        let s = Settings::defaults(&INFO);
        let naive = ConnectionPerRequest.run(&s, Variant::Naive, 500, 42, true);
        assert_eq!(naive.journeys.len(), 2_500);
        let failed = naive
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Failed)
            .count() as u64;
        assert_eq!(failed, naive.outcome.failures);
        assert_eq!(naive.series.iter().map(|p| p.value).max(), Some(100));
        let fixed = ConnectionPerRequest.run(&s, Variant::Fixed, 500, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok
            && j.hops.len() == 2
            && j.hops[1].stage == Stage::Database
            && j.hops[1].lane < 20));
        assert_eq!(fixed.series.last().map(|p| p.value), Some(20));
    }
}
