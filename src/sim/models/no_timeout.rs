//! no-timeout: outbound calls to a dependency (a payment API, an AI API) made without a
//! timeout, while the dependency hangs for a while.
//!
//! Requests arrive at a steady rate and are spread round-robin over the replicas, each with a
//! few workers (one request at a time each) and a FIFO backlog. Some requests call the
//! dependency (normally a few hundred milliseconds), the others only do local work. For
//! `outage_s` seconds, starting 10 s into the run, the dependency accepts connections but never
//! answers.
//!
//! **Naive**: the call waits for the dependency however long it takes: forever, or up to the
//! library's own limit (`naive_wait_s`, e.g. 600 s for the OpenAI SDK). Every call made during
//! the outage holds its worker; once all workers hang, every request waits in the backlog until
//! the gateway answers 504, including requests that never touch the dependency. With no limit
//! the workers never come back, so the service stays down after the dependency recovers.
//!
//! **Fixed**: the call has a timeout (`timeout_ms`, at most half the gateway's) and a fallback
//! answer (a cached value, "try again shortly"); a circuit breaker per replica opens after 5
//! calls in a row failed and short-circuits calls to the fallback for 10 s, then lets one probe
//! through. A request still waiting for a worker when only the call's timeout and the local
//! work would fit before the gateway's timeout is answered 503 at once (load shedding). A worker
//! is thus held at most `timeout + 30 ms`, and a request either starts early enough to finish
//! before the gateway timeout or is shed: 0 requests are left without an answer, by
//! construction. Fallback and 503 answers are answers, counted apart from full service.
//!
//! Defaults: 2 replicas × 4 workers, 30 % of requests call the dependency, 300 ms typical
//! latency with a slow tail; a 30 s hang; a 30 s gateway; a 2 s timeout. "AI APIs are not
//! REST" (the stories): calls take seconds, and a hung one ties up a worker.

use super::record::{leading_number, Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::{Latency, Rng};
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct NoTimeout;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "replicas",
        label: "Replicas",
        unit: "replicas",
        default: 2,
        min: 1,
        max: 16,
    },
    ParamSpec {
        name: "workers",
        label: "Workers per replica",
        unit: "workers",
        default: 4,
        min: 1,
        max: 64,
    },
    ParamSpec {
        name: "dependency_pct",
        label: "Requests that call the dependency",
        unit: "%",
        default: 30,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "dependency_ms",
        label: "Dependency latency (typical)",
        unit: "ms",
        default: 300,
        min: 10,
        max: 10_000,
    },
    ParamSpec {
        name: "outage_s",
        label: "Dependency hangs for",
        unit: "s",
        default: 30,
        min: 1,
        max: 120,
    },
    ParamSpec {
        name: "naive_wait_s",
        label: "Naive call limit (0 = none, waits forever)",
        unit: "s",
        default: 0,
        min: 0,
        max: 3_600,
    },
    ParamSpec {
        name: "timeout_ms",
        label: "Call timeout (fixed)",
        unit: "ms",
        default: 2_000,
        min: 100,
        max: 30_000,
    },
    ParamSpec {
        name: "gateway_timeout_s",
        label: "Gateway timeout",
        unit: "s",
        default: 30,
        min: 5,
        max: 300,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "no-timeout",
    title: "Calls to a hanging dependency, with and without a timeout",
    metric: "requests with no answer (504)",
    unit: "requests",
    load_label: "requests per second",
    loads: &[1, 2, 5, 10, 20, 30, 40, 50],
    max_load: 200,
    params: PARAMS,
    naive_label: "call without a timeout",
    fixed_label: "timeout + fallback + circuit breaker",
    stages: &[
        Stage::Client,
        Stage::Replica,
        Stage::Worker,
        Stage::Dependency,
    ],
};

/// The dependency starts hanging this far into the run.
const OUTAGE_START_US: u64 = 10_000_000;
/// Requests keep arriving this long after the dependency recovered.
const AFTER_US: u64 = 20_000_000;
/// Local work of a request (validation, rendering): the worker's time besides the call.
const LOCAL_MIN_US: u64 = 10_000;
const LOCAL_MAX_US: u64 = 30_000;
/// Circuit breaker: consecutive failures that open it, and how long it stays open.
const BREAKER_FAILURES: u32 = 5;
const BREAKER_OPEN_US: u64 = 10_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Served in full.
    Served,
    /// The dependency's part came from the fallback (timeout or open breaker).
    Fallback,
    /// The call failed after the naive library limit: an error page.
    Error,
    /// Shed with a 503 before a worker took it (fixed).
    Shed,
}

struct Request {
    arrive_us: u64,
    calls_dependency: bool,
    state: State,
    start_us: u64,
    call_end_us: Option<u64>,
    end_us: Option<u64>,
    lane: u32,
    answer: Answer,
}

enum Event {
    Arrive,
    CallDone { replica: u32, slot: u32, ok: bool },
    WorkerDone { replica: u32, slot: u32 },
    Shed(u32),
}

#[derive(Default)]
struct Breaker {
    failures_in_a_row: u32,
    open_until: Option<u64>,
    probing: bool,
}

struct Replica {
    free: Vec<u32>,
    backlog: VecDeque<u32>,
    running: Vec<Option<u32>>,
    breaker: Breaker,
}

struct Sim {
    variant: Variant,
    /// Arrivals and which requests call the dependency: the same for naive and fixed.
    traffic: Rng,
    /// Latencies and local work.
    rng: Rng,
    q: EventQueue<Event>,
    requests: Vec<Request>,
    replicas: Vec<Replica>,
    next_replica: usize,
    workers: u32,
    busy: u64,
    peak_busy: u64,
    busy_gauge: Gauge,
    dependency_per_mille: u64,
    latency: Latency,
    outage_end_us: u64,
    naive_wait_us: u64,
    timeout_us: u64,
    gateway_us: u64,
    shed_after_us: u64,
    mean_gap_us: u64,
    arrivals_end_us: u64,
}

impl Sim {
    fn new(s: &Settings, variant: Variant, rps: u64, seed: u64, trace: bool) -> Sim {
        let workers = s.get("workers").max(1) as u32;
        let gateway_us = s.get("gateway_timeout_s").saturating_mul(1_000_000);
        // A timeout as long as the gateway's would answer nobody: keep it to half.
        let timeout_us = s
            .get("timeout_ms")
            .saturating_mul(1_000)
            .min(gateway_us / 2);
        let typical_us = s.get("dependency_ms").saturating_mul(1_000);
        let outage_end_us = OUTAGE_START_US + s.get("outage_s").saturating_mul(1_000_000);
        Sim {
            variant,
            traffic: Rng::new(seed),
            rng: Rng::new(seed ^ 0x005e_ed0f_1a7e),
            q: EventQueue::new(),
            requests: Vec::new(),
            replicas: (0..s.get("replicas").max(1))
                .map(|_| Replica {
                    free: (0..workers).rev().collect(),
                    backlog: VecDeque::new(),
                    running: vec![None; workers as usize],
                    breaker: Breaker::default(),
                })
                .collect(),
            next_replica: 0,
            workers,
            busy: 0,
            peak_busy: 0,
            busy_gauge: Gauge::new(trace),
            dependency_per_mille: s.get("dependency_pct").saturating_mul(10),
            latency: Latency {
                min_us: typical_us / 2,
                max_us: typical_us / 2 * 3,
                tail_per_mille: 20,
                tail_max_us: typical_us.saturating_mul(6),
            },
            outage_end_us,
            naive_wait_us: s.get("naive_wait_s").saturating_mul(1_000_000),
            timeout_us,
            gateway_us,
            // Start by then, and the call's timeout plus the local work still end before the
            // gateway gives up (the gateway is at least 5 s and the timeout at most half of it).
            shed_after_us: gateway_us
                .saturating_sub(timeout_us)
                .saturating_sub(LOCAL_MAX_US + 1_000),
            mean_gap_us: 1_000_000 / rps.max(1),
            arrivals_end_us: outage_end_us + AFTER_US,
        }
    }

    fn arrive(&mut self) {
        let now = self.q.now();
        let id = self.requests.len() as u32;
        let calls_dependency = self.traffic.chance(self.dependency_per_mille);
        self.requests.push(Request {
            arrive_us: now,
            calls_dependency,
            state: State::Waiting,
            start_us: now,
            call_end_us: None,
            end_us: None,
            lane: 0,
            answer: Answer::Served,
        });
        let r = self.next_replica % self.replicas.len().max(1);
        self.next_replica = self.next_replica.wrapping_add(1);
        let free = self.replicas.get_mut(r).and_then(|rep| rep.free.pop());
        match free {
            Some(slot) => self.start(r, slot, id),
            None => {
                if let Some(rep) = self.replicas.get_mut(r) {
                    rep.backlog.push_back(id);
                }
                if self.variant == Variant::Fixed {
                    self.q.schedule(self.shed_after_us, Event::Shed(id));
                }
            }
        }
        let gap = self.traffic.between(1, 2 * self.mean_gap_us);
        if now.saturating_add(gap) < self.arrivals_end_us {
            self.q.schedule(gap, Event::Arrive);
        }
    }

    fn start(&mut self, replica: usize, slot: u32, id: u32) {
        let now = self.q.now();
        let lane = replica as u32 * self.workers + slot;
        let Some(req) = self.requests.get_mut(id as usize) else {
            return;
        };
        req.state = State::Running;
        req.start_us = now;
        req.lane = lane;
        let calls = req.calls_dependency;
        if let Some(cell) = self
            .replicas
            .get_mut(replica)
            .and_then(|r| r.running.get_mut(slot as usize))
        {
            *cell = Some(id);
        }
        self.busy += 1;
        self.peak_busy = self.peak_busy.max(self.busy);
        self.busy_gauge.set(now, self.busy);
        let (replica, slot) = (replica as u32, slot);
        if !calls {
            let local = self.rng.between(LOCAL_MIN_US, LOCAL_MAX_US);
            self.q.schedule(local, Event::WorkerDone { replica, slot });
            return;
        }
        let hanging = (OUTAGE_START_US..self.outage_end_us).contains(&now);
        let latency = self.latency.sample(&mut self.rng);
        match self.variant {
            Variant::Naive => {
                if !hanging {
                    self.q.schedule(
                        latency,
                        Event::CallDone {
                            replica,
                            slot,
                            ok: true,
                        },
                    );
                } else if self.naive_wait_us > 0 {
                    self.q.schedule(
                        self.naive_wait_us,
                        Event::CallDone {
                            replica,
                            slot,
                            ok: false,
                        },
                    );
                }
                // No limit and no answer: the worker waits past the end of the run.
            }
            Variant::Fixed => {
                if !self.breaker_admits(replica as usize, now) {
                    if let Some(req) = self.requests.get_mut(id as usize) {
                        req.answer = Answer::Fallback;
                    }
                    self.q.schedule(
                        0,
                        Event::CallDone {
                            replica,
                            slot,
                            ok: false,
                        },
                    );
                } else if hanging || latency > self.timeout_us {
                    self.q.schedule(
                        self.timeout_us,
                        Event::CallDone {
                            replica,
                            slot,
                            ok: false,
                        },
                    );
                } else {
                    self.q.schedule(
                        latency,
                        Event::CallDone {
                            replica,
                            slot,
                            ok: true,
                        },
                    );
                }
            }
        }
    }

    /// Closed: every call goes through. Open: none until the open period ends, then one
    /// probe at a time.
    fn breaker_admits(&mut self, replica: usize, now: u64) -> bool {
        let Some(b) = self.replicas.get_mut(replica).map(|r| &mut r.breaker) else {
            return true;
        };
        match b.open_until {
            None => true,
            Some(until) if now >= until && !b.probing => {
                b.probing = true;
                true
            }
            Some(_) => false,
        }
    }

    fn call_done(&mut self, replica: usize, slot: u32, ok: bool) {
        let now = self.q.now();
        let Some(id) = self.running(replica, slot) else {
            return;
        };
        let mut short_circuited = false;
        if let Some(req) = self.requests.get_mut(id as usize) {
            req.call_end_us = Some(now);
            short_circuited = req.answer == Answer::Fallback;
            if !ok {
                req.answer = match self.variant {
                    Variant::Naive => Answer::Error,
                    Variant::Fixed => Answer::Fallback,
                };
            }
        }
        if self.variant == Variant::Fixed && !short_circuited {
            if let Some(b) = self.replicas.get_mut(replica).map(|r| &mut r.breaker) {
                if ok {
                    *b = Breaker::default();
                } else {
                    b.failures_in_a_row += 1;
                    if b.probing || b.failures_in_a_row >= BREAKER_FAILURES {
                        b.open_until = Some(now + BREAKER_OPEN_US);
                        b.probing = false;
                        b.failures_in_a_row = 0;
                    }
                }
            }
        }
        let local = self.rng.between(LOCAL_MIN_US, LOCAL_MAX_US);
        self.q.schedule(
            local,
            Event::WorkerDone {
                replica: replica as u32,
                slot,
            },
        );
    }

    fn running(&self, replica: usize, slot: u32) -> Option<u32> {
        self.replicas
            .get(replica)
            .and_then(|r| r.running.get(slot as usize))
            .copied()
            .flatten()
    }

    fn worker_done(&mut self, replica: usize, slot: u32) {
        let now = self.q.now();
        if let Some(id) = self.running(replica, slot) {
            if let Some(req) = self.requests.get_mut(id as usize) {
                req.state = State::Done;
                req.end_us = Some(now);
            }
        }
        self.busy = self.busy.saturating_sub(1);
        loop {
            let next = self
                .replicas
                .get_mut(replica)
                .and_then(|r| r.backlog.pop_front());
            match next {
                Some(id)
                    if self
                        .requests
                        .get(id as usize)
                        .is_some_and(|r| r.state == State::Waiting) =>
                {
                    self.start(replica, slot, id);
                    return;
                }
                Some(_) => continue,
                None => break,
            }
        }
        if let Some(r) = self.replicas.get_mut(replica) {
            if let Some(cell) = r.running.get_mut(slot as usize) {
                *cell = None;
            }
            r.free.push(slot);
        }
        self.busy_gauge.set(now, self.busy);
    }

    fn shed(&mut self, id: u32) {
        let now = self.q.now();
        if let Some(req) = self.requests.get_mut(id as usize) {
            if req.state == State::Waiting {
                req.state = State::Done;
                req.answer = Answer::Shed;
                req.end_us = Some(now);
            }
        }
    }
}

fn simulate(s: &Settings, variant: Variant, rps: u64, seed: u64, trace: bool) -> Run {
    let mut sim = Sim::new(s, variant, rps, seed, trace);
    // Whatever has no answer by then has been answered 504 by the gateway.
    let horizon_us = sim.arrivals_end_us + sim.gateway_us;
    sim.q.schedule(0, Event::Arrive);
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.now() > horizon_us {
            break;
        }
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Arrive => sim.arrive(),
            Event::CallDone { replica, slot, ok } => sim.call_done(replica as usize, slot, ok),
            Event::WorkerDone { replica, slot } => sim.worker_done(replica as usize, slot),
            Event::Shed(id) => sim.shed(id),
        }
    }
    let gateway_us = sim.gateway_us;
    let mut journal = Journal::new(trace);
    let (mut no_answer, mut collateral, mut after_recovery) = (0u64, 0u64, 0u64);
    let (mut served, mut fallbacks, mut errors, mut shed) = (0u64, 0u64, 0u64, 0u64);
    let mut response_us = Vec::with_capacity(sim.requests.len());
    for (i, req) in sim.requests.iter().enumerate() {
        let id = i as u32;
        let end_us = req.end_us.unwrap_or(horizon_us);
        let timed_out = req.end_us.is_none() || end_us - req.arrive_us > gateway_us;
        // The client's wait: until the answer, or until the gateway's 504.
        response_us.push((end_us - req.arrive_us).min(gateway_us));
        if timed_out {
            no_answer += 1;
            collateral += !req.calls_dependency as u64;
            after_recovery += (req.arrive_us >= sim.outage_end_us) as u64;
        } else {
            match req.answer {
                Answer::Served => served += 1,
                Answer::Fallback => fallbacks += 1,
                Answer::Error => errors += 1,
                Answer::Shed => shed += 1,
            }
        }
        if !trace {
            continue;
        }
        let started = req.state != State::Waiting && req.answer != Answer::Shed;
        let start = if started { req.start_us } else { end_us };
        journal.hop(id, Stage::Replica, 0, req.arrive_us, start);
        if started {
            let call_end = if req.calls_dependency {
                let call_end = req.call_end_us.unwrap_or(end_us);
                journal.hop(id, Stage::Dependency, req.lane, start, call_end);
                call_end
            } else {
                start
            };
            journal.hop(id, Stage::Worker, req.lane, call_end, end_us);
        }
        journal.fate(
            id,
            match (timed_out, req.answer) {
                (true, _) | (false, Answer::Error) => Fate::Failed,
                (false, Answer::Served) => Fate::Ok,
                (false, Answer::Fallback | Answer::Shed) => Fate::Rejected,
            },
        );
    }
    let requests = sim.requests.len() as u64;
    let outcome = Outcome {
        failures: no_answer,
        out_of: requests,
        metrics: vec![
            Metric {
                name: "served in full",
                value: served,
                unit: "requests",
            },
            Metric {
                name: "fallback answers",
                value: fallbacks,
                unit: "requests",
            },
            Metric {
                name: "error pages",
                value: errors,
                unit: "requests",
            },
            Metric {
                name: "shed (503)",
                value: shed,
                unit: "requests",
            },
            Metric {
                name: "504s without a dependency call",
                value: collateral,
                unit: "requests",
            },
            Metric {
                name: "504s after the dependency recovered",
                value: after_recovery,
                unit: "requests",
            },
            Metric {
                name: "peak busy workers",
                value: sim.peak_busy,
                unit: "workers",
            },
            Metric {
                name: "p99 latency",
                value: percentile(&mut response_us, 99) / 1000,
                unit: "ms",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    Run {
        outcome,
        journeys: journal.finish(),
        series: sim.busy_gauge.finish(),
    }
}

impl Model for NoTimeout {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        // "600 s, the SDK default" → 600; "none" → 0 (no limit at all).
        if let Some(text) = finding.params.get("timeout") {
            p.set("naive_wait_s", leading_number(text).unwrap_or(0));
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        let limit = match settings.get("naive_wait_s") {
            0 => "no timeout at all".to_string(),
            s => format!("only the library's {s}-second limit"),
        };
        format!(
            "At {load} requests per second, with the dependency hanging for {} s and {limit}, \
             {} of {} requests got no answer before the gateway's {}-second 504; {} of those \
             never called the dependency but found all {} workers stuck, and {} came after the \
             dependency had recovered. With a {} ms timeout, \
             a fallback and a circuit breaker, {} requests went unanswered: {} were served in \
             full, {} got the fallback and {} were shed with a quick 503.",
            settings.get("outage_s"),
            naive.failures,
            naive.out_of,
            settings.get("gateway_timeout_s"),
            m(naive, "504s without a dependency call"),
            settings.get("workers") * settings.get("replicas"),
            m(naive, "504s after the dependency recovered"),
            settings
                .get("timeout_ms")
                .min(settings.get("gateway_timeout_s") * 500),
            fixed.failures,
            m(fixed, "served in full"),
            m(fixed, "fallback answers"),
            m(fixed, "shed (503)"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("busy workers", "workers")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn finding(timeout: &str) -> Finding {
        finding_with("no-timeout", &[("library", "openai"), ("timeout", timeout)])
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&NoTimeout, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [24, 84, 228, 491, 958, 1486, 1981, 2494]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        // Both variants see the same traffic.
        assert_eq!(sw.column(|l| l.naive.out_of), sw.column(|l| l.fixed.out_of));
        // Most naive 504s are requests that never called the dependency: the pool was gone.
        assert_eq!(
            sw.column(|l| l
                .naive
                .metric("504s without a dependency call")
                .unwrap_or(0)),
            [13, 61, 166, 341, 680, 1044, 1387, 1756]
        );
        assert_eq!(
            sw.column(|l| l.fixed.metric("fallback answers").unwrap_or(0)),
            [8, 14, 41, 87, 224, 342, 449, 575]
        );
        assert!(sw
            .levels
            .iter()
            .all(|l| l.fixed.metric("shed (503)") == Some(0)
                && l.fixed.metric("p99 latency").unwrap_or(u64::MAX) < 3_000));
    }

    #[test]
    fn settings_from_a_finding() {
        let p = NoTimeout.params_from_finding(&finding("600 s, the SDK default"));
        assert_eq!(p.0.get("naive_wait_s"), Some(&600));
        let p = NoTimeout.params_from_finding(&finding("none"));
        assert_eq!(p.0.get("naive_wait_s"), Some(&0));
    }

    /// A library limit shorter than the gateway's timeout is a timeout: the hung calls turn
    /// into error pages instead of 504s. The SDK's 600 s is no help within a run.
    #[test]
    fn the_naive_limit_moves_the_result() {
        let run = |wait: u64| {
            let (s, _) = Settings::resolve(&INFO, Params::default().set("naive_wait_s", wait));
            NoTimeout.run(&s, Variant::Naive, 10, 42, false).outcome
        };
        assert_eq!(run(600).failures, run(0).failures);
        // No limit: the hung workers never come back, so the service stays down after the
        // dependency recovered: every one of the 204 requests of its last 20 s goes unanswered.
        let never = run(0);
        assert_eq!(
            never.metric("504s after the dependency recovered"),
            Some(204)
        );
        let traced = {
            let s = Settings::defaults(&INFO);
            NoTimeout.run(&s, Variant::Naive, 10, 42, true)
        };
        let after: Vec<&Journey> = traced
            .journeys
            .iter()
            .filter(|j| j.hops[0].start_us >= OUTAGE_START_US + 30_000_000)
            .collect();
        assert_eq!(after.len(), 204);
        assert!(after.iter().all(|j| j.fate == Fate::Failed));
        let short = run(5);
        assert_eq!(short.failures, 0);
        assert!(short.metric("error pages").unwrap_or(0) > 0);
    }

    /// One worker for 50 requests per second that all call the dependency is overload: the
    /// fixed variant sheds with a quick 503 instead of leaving requests to the gateway.
    #[test]
    fn fixed_sheds_under_overload_instead_of_timing_out() {
        let mut p = Params::default();
        p.set("workers", 1)
            .set("replicas", 1)
            .set("dependency_pct", 100);
        let (s, _) = Settings::resolve(&INFO, &p);
        let o = NoTimeout.run(&s, Variant::Fixed, 50, 42, false).outcome;
        assert_eq!(o.failures, 0);
        assert!(o.metric("shed (503)").unwrap_or(0) > o.out_of / 2);
        assert!(
            NoTimeout
                .run(&s, Variant::Naive, 50, 42, false)
                .outcome
                .failures
                > 0
        );
    }

    /// The tightest corner: the shortest gateway, the longest timeout (cut to half the
    /// gateway), one worker, every request calling a slow dependency, the highest load.
    #[test]
    fn fixed_holds_at_the_tightest_corner() {
        let mut p = Params::default();
        p.set("gateway_timeout_s", 5)
            .set("timeout_ms", 30_000)
            .set("workers", 1)
            .set("replicas", 1)
            .set("dependency_pct", 100)
            .set("dependency_ms", 10_000)
            .set("outage_s", 120);
        let (s, _) = Settings::resolve(&INFO, &p);
        for seed in 0..3 {
            let o = NoTimeout
                .run(&s, Variant::Fixed, INFO.max_load, seed, false)
                .outcome;
            assert_eq!(o.failures, 0);
            assert!(o.metric("p99 latency").unwrap_or(u64::MAX) < 5_000);
        }
    }

    #[test]
    fn journeys_and_series() {
        let s = Settings::defaults(&INFO);
        let naive = NoTimeout.run(&s, Variant::Naive, 5, 42, true);
        assert_eq!(naive.journeys.len() as u64, naive.outcome.out_of);
        // A request that never called the dependency and still failed: it never reached a worker.
        assert!(naive.journeys.iter().any(|j| j.fate == Fate::Failed
            && j.hops.len() == 1
            && j.hops[0].stage == Stage::Replica));
        assert_eq!(naive.series.iter().map(|p| p.value).max(), Some(8));
        let fixed = NoTimeout.run(&s, Variant::Fixed, 5, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate != Fate::Failed));
        assert!(fixed.journeys.iter().any(|j| j.fate == Fate::Rejected));
        for j in naive.journeys.iter().chain(&fixed.journeys) {
            assert!(j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us));
        }
        let text = NoTimeout.summary(&s, 5, &naive.outcome, &fixed.outcome);
        assert!(text.contains("At 5 requests per second"), "{text}");
    }
}
