//! sync-long-task: a request handler that runs a long task inline, behind a gateway that cuts
//! every request at its timeout.
//!
//! Users click "start" within a short window; each click is one task. The gateway spreads
//! requests round-robin over the replicas; each replica runs a few synchronous workers (one
//! request at a time each, like gunicorn's sync workers) with a FIFO backlog in front.
//!
//! **Naive**: the worker runs the task inside the request. When no response came within the
//! gateway timeout, the gateway answers 504 Gateway Timeout. The worker does not notice: it
//! finishes the task, and a request whose 504 went out while it sat in the backlog is still run
//! later (a sync worker learns that the client left only when it writes the response). A task
//! longer than the timeout therefore fails every click; a shorter one fails as soon as users
//! outnumber workers and clicks wait in the backlog.
//!
//! **Fixed**: the handler enqueues a job and answers 202 Accepted; background workers (Celery,
//! RQ, Sidekiq …) run jobs from a FIFO queue; the client polls a status endpoint at a growing
//! interval (1 s, 2 s, 4 s … up to `poll_max_s`) until its job is done. Every request the web
//! workers see (enqueue or status read) takes at most 4 ms, and a user has at most one request
//! in flight, so a request waits behind at most `users − 1` others: with at most
//! [`ModelInfo::max_load`] = 500 users that is under 2 s, below the smallest gateway timeout
//! the settings allow (5 s). The fixed variant has 0 504s by construction.
//!
//! Defaults: the story's endpoint (first click, 30 s, 504): a 45 s task behind a 30 s gateway
//! (Heroku's router and many proxy configurations cut at 30 s), 4 sync workers on each of 2
//! replicas, 8 background workers. Task durations vary ±10 % around the setting.

use super::record::{Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct SyncLongTask;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "duration_s",
        label: "Task duration",
        unit: "s",
        default: 45,
        min: 1,
        max: 3_600,
    },
    ParamSpec {
        name: "gateway_timeout_s",
        label: "Gateway timeout",
        unit: "s",
        default: 30,
        min: 5,
        max: 600,
    },
    ParamSpec {
        name: "workers",
        label: "Web workers per replica",
        unit: "workers",
        default: 4,
        min: 1,
        max: 64,
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
        name: "job_workers",
        label: "Background job workers (fixed)",
        unit: "workers",
        default: 8,
        min: 1,
        max: 256,
    },
    ParamSpec {
        name: "poll_max_s",
        label: "Longest status-poll interval (fixed)",
        unit: "s",
        default: 10,
        min: 2,
        max: 60,
    },
    ParamSpec {
        name: "click_window_s",
        label: "Clicks arrive within",
        unit: "s",
        default: 10,
        min: 1,
        max: 600,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "sync-long-task",
    title: "A long task run inside the request, behind a gateway timeout",
    metric: "504 Gateway Timeouts",
    unit: "requests",
    load_label: "concurrent users",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: 500,
    params: PARAMS,
    naive_label: "task runs inside the request",
    fixed_label: "202 + job queue + status polling",
    stages: &[
        Stage::Client,
        Stage::Balancer,
        Stage::Replica,
        Stage::Queue,
        Stage::Worker,
    ],
};

/// Web time of an enqueue or a status read in the fixed variant (a broker write or a key
/// read): the bound the 0-504 argument above rests on.
const FAST_MIN_US: u64 = 1_000;
const FAST_MAX_US: u64 = 4_000;
/// The first status poll comes this long after the 202; later ones double up to `poll_max_s`.
const FIRST_POLL_US: u64 = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Click,
    Poll,
}

struct Request {
    user: u32,
    kind: Kind,
    arrive_us: u64,
}

enum Event {
    Arrive(u32),
    WebDone { replica: u32, slot: u32 },
    JobDone { slot: u32 },
    Poll(u32),
}

/// What happened to one user's click, for the figures and the journey.
#[derive(Default)]
struct User {
    click_us: u64,
    task_us: u64,
    web_start_us: Option<u64>,
    web_end_us: Option<u64>,
    web_lane: u32,
    click_504: bool,
    job_start_us: Option<u64>,
    job_end_us: Option<u64>,
    job_lane: u32,
    result_us: Option<u64>,
    poll_interval_us: u64,
}

struct Replica {
    free: Vec<u32>,
    backlog: VecDeque<u32>,
    serving: Vec<Option<u32>>,
}

struct Sim {
    variant: Variant,
    gateway_us: u64,
    poll_max_us: u64,
    workers: u32,
    q: EventQueue<Event>,
    rng: Rng,
    users: Vec<User>,
    requests: Vec<Request>,
    replicas: Vec<Replica>,
    next_replica: usize,
    jobs: VecDeque<u32>,
    job_free: Vec<u32>,
    job_running: Vec<Option<u32>>,
    waiting: Gauge,
    finished: u64,
    timeouts: u64,
    tasks_completed: u64,
    click_response_us: Vec<u64>,
}

impl Sim {
    fn new(s: &Settings, variant: Variant, users: u32, seed: u64, trace: bool) -> Sim {
        let mut rng = Rng::new(seed);
        let duration_us = s.get("duration_s").saturating_mul(1_000_000);
        let window_us = s.get("click_window_s").saturating_mul(1_000_000);
        let mut clicks: Vec<u64> = (0..users).map(|_| rng.below(window_us)).collect();
        clicks.sort_unstable();
        let users: Vec<User> = clicks
            .into_iter()
            .map(|click_us| User {
                click_us,
                task_us: rng.between(duration_us / 10 * 9, duration_us / 10 * 11),
                poll_interval_us: FIRST_POLL_US,
                ..User::default()
            })
            .collect();
        let workers = s.get("workers").max(1) as u32;
        let replicas = (0..s.get("replicas").max(1))
            .map(|_| Replica {
                free: (0..workers).rev().collect(),
                backlog: VecDeque::new(),
                serving: vec![None; workers as usize],
            })
            .collect();
        let job_workers = s.get("job_workers").max(1) as u32;
        Sim {
            variant,
            gateway_us: s.get("gateway_timeout_s").saturating_mul(1_000_000),
            poll_max_us: s.get("poll_max_s").saturating_mul(1_000_000),
            workers,
            q: EventQueue::new(),
            rng,
            users,
            requests: Vec::new(),
            replicas,
            next_replica: 0,
            jobs: VecDeque::new(),
            job_free: (0..job_workers).rev().collect(),
            job_running: vec![None; job_workers as usize],
            waiting: Gauge::new(trace),
            finished: 0,
            timeouts: 0,
            tasks_completed: 0,
            click_response_us: Vec::new(),
        }
    }

    fn send(&mut self, user: u32, kind: Kind) {
        let id = self.requests.len() as u32;
        self.requests.push(Request {
            user,
            kind,
            arrive_us: self.q.now(),
        });
        let r = self.next_replica % self.replicas.len().max(1);
        self.next_replica = self.next_replica.wrapping_add(1);
        let Some(replica) = self.replicas.get_mut(r) else {
            return;
        };
        match replica.free.pop() {
            Some(slot) => self.start_web(r, slot, id),
            None => {
                replica.backlog.push_back(id);
                self.gauge();
            }
        }
    }

    fn start_web(&mut self, replica: usize, slot: u32, id: u32) {
        let Some(req) = self.requests.get(id as usize) else {
            return;
        };
        let (user, kind) = (req.user, req.kind);
        let service_us = match self.variant {
            Variant::Naive => self.users.get(user as usize).map_or(0, |u| u.task_us),
            Variant::Fixed => self.rng.between(FAST_MIN_US, FAST_MAX_US),
        };
        if kind == Kind::Click {
            if let Some(u) = self.users.get_mut(user as usize) {
                u.web_start_us = Some(self.q.now());
                u.web_lane = replica as u32 * self.workers + slot;
            }
        }
        if let Some(cell) = self
            .replicas
            .get_mut(replica)
            .and_then(|r| r.serving.get_mut(slot as usize))
        {
            *cell = Some(id);
        }
        self.q.schedule(
            service_us,
            Event::WebDone {
                replica: replica as u32,
                slot,
            },
        );
    }

    fn web_done(&mut self, replica: usize, slot: u32) {
        let now = self.q.now();
        let id = self
            .replicas
            .get_mut(replica)
            .and_then(|r| r.serving.get_mut(slot as usize))
            .and_then(|cell| cell.take());
        if let Some(req) = id.and_then(|id| self.requests.get(id as usize)) {
            let (user, kind) = (req.user, req.kind);
            let response_us = now - req.arrive_us;
            let timed_out = response_us > self.gateway_us;
            self.finished += 1;
            self.timeouts += timed_out as u64;
            match kind {
                Kind::Click => self.click_done(user, now, response_us, timed_out),
                Kind::Poll => self.poll_done(user, now, timed_out),
            }
        }
        let next = self
            .replicas
            .get_mut(replica)
            .and_then(|r| r.backlog.pop_front());
        match next {
            Some(next) => {
                self.gauge();
                self.start_web(replica, slot, next);
            }
            None => {
                if let Some(r) = self.replicas.get_mut(replica) {
                    r.free.push(slot);
                }
            }
        }
    }

    fn click_done(&mut self, user: u32, now: u64, response_us: u64, timed_out: bool) {
        self.click_response_us
            .push(response_us.min(self.gateway_us));
        if let Some(u) = self.users.get_mut(user as usize) {
            u.web_end_us = Some(now);
            u.click_504 = timed_out;
        }
        match self.variant {
            Variant::Naive => {
                // The task ran inside the request: it is done, whoever is still listening.
                self.tasks_completed += 1;
                if !timed_out {
                    if let Some(u) = self.users.get_mut(user as usize) {
                        u.result_us = Some(now);
                    }
                }
            }
            Variant::Fixed => {
                self.enqueue_job(user);
                // Without the 202 the client has no job id to poll with.
                if !timed_out {
                    self.q.schedule(FIRST_POLL_US, Event::Poll(user));
                }
            }
        }
    }

    fn poll_done(&mut self, user: u32, now: u64, timed_out: bool) {
        let poll_max_us = self.poll_max_us;
        let Some(u) = self.users.get_mut(user as usize) else {
            return;
        };
        if !timed_out && u.job_end_us.is_some_and(|end| end <= now) {
            u.result_us = Some(now);
            return;
        }
        u.poll_interval_us = u.poll_interval_us.saturating_mul(2).min(poll_max_us);
        let wait = u.poll_interval_us;
        self.q.schedule(wait, Event::Poll(user));
    }

    fn enqueue_job(&mut self, user: u32) {
        match self.job_free.pop() {
            Some(slot) => self.start_job(slot, user),
            None => {
                self.jobs.push_back(user);
                self.gauge();
            }
        }
    }

    fn start_job(&mut self, slot: u32, user: u32) {
        let now = self.q.now();
        let Some(u) = self.users.get_mut(user as usize) else {
            return;
        };
        u.job_start_us = Some(now);
        u.job_lane = slot;
        let task_us = u.task_us;
        if let Some(cell) = self.job_running.get_mut(slot as usize) {
            *cell = Some(user);
        }
        self.q.schedule(task_us, Event::JobDone { slot });
    }

    fn job_done(&mut self, slot: u32) {
        let now = self.q.now();
        let user = self
            .job_running
            .get_mut(slot as usize)
            .and_then(|c| c.take());
        if let Some(u) = user.and_then(|user| self.users.get_mut(user as usize)) {
            u.job_end_us = Some(now);
            self.tasks_completed += 1;
        }
        match self.jobs.pop_front() {
            Some(next) => {
                self.gauge();
                self.start_job(slot, next);
            }
            None => self.job_free.push(slot),
        }
    }

    /// Tasks waiting for a worker: clicks in the web backlogs (naive), jobs in the queue (fixed).
    fn gauge(&mut self) {
        let waiting = match self.variant {
            Variant::Naive => self.replicas.iter().map(|r| r.backlog.len() as u64).sum(),
            Variant::Fixed => self.jobs.len() as u64,
        };
        self.waiting.set(self.q.now(), waiting);
    }

    fn journeys(&self) -> Vec<Journey> {
        let mut journal = Journal::new(true);
        for (i, u) in self.users.iter().enumerate() {
            let id = i as u32;
            let (Some(start), Some(end)) = (u.web_start_us, u.web_end_us) else {
                journal.hop(id, Stage::Balancer, 0, u.click_us, u.click_us);
                journal.fate(id, Fate::Failed);
                continue;
            };
            journal.hop(id, Stage::Balancer, 0, u.click_us, start);
            journal.hop(id, Stage::Replica, u.web_lane, start, end);
            if let (Some(job_start), Some(job_end)) = (u.job_start_us, u.job_end_us) {
                journal.hop(id, Stage::Queue, 0, end, job_start);
                journal.hop(id, Stage::Worker, u.job_lane, job_start, job_end);
                if let Some(seen) = u.result_us {
                    journal.hop(id, Stage::Client, 0, job_end, seen);
                }
            }
            let fate = if u.click_504 || u.result_us.is_none() {
                Fate::Failed
            } else {
                Fate::Ok
            };
            journal.fate(id, fate);
        }
        journal.finish()
    }
}

fn simulate(s: &Settings, variant: Variant, users: u32, seed: u64, trace: bool) -> Run {
    let mut sim = Sim::new(s, variant, users, seed, trace);
    for user in 0..users {
        let at = sim.users.get(user as usize).map_or(0, |u| u.click_us);
        sim.q.schedule_at(at, Event::Arrive(user));
    }
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Arrive(user) => sim.send(user, Kind::Click),
            Event::Poll(user) => sim.send(user, Kind::Poll),
            Event::WebDone { replica, slot } => sim.web_done(replica as usize, slot),
            Event::JobDone { slot } => sim.job_done(slot),
        }
    }
    let mut to_result: Vec<u64> = sim
        .users
        .iter()
        .filter_map(|u| u.result_us.map(|r| r - u.click_us))
        .collect();
    let delivered = to_result.len() as u64;
    let outcome = Outcome {
        failures: sim.timeouts,
        out_of: sim.finished,
        metrics: vec![
            Metric {
                name: "504 share",
                value: (sim.timeouts * 1000).checked_div(sim.finished).unwrap_or(0),
                unit: "‰",
            },
            Metric {
                name: "p99 click response",
                value: percentile(&mut sim.click_response_us, 99) / 1000,
                unit: "ms",
            },
            Metric {
                name: "tasks completed",
                value: sim.tasks_completed,
                unit: "tasks",
            },
            Metric {
                name: "results delivered",
                value: delivered,
                unit: "users",
            },
            Metric {
                name: "p99 time to result",
                value: percentile(&mut to_result, 99) / 1000,
                unit: "ms",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    let journeys = if trace { sim.journeys() } else { Vec::new() };
    Run {
        outcome,
        journeys,
        series: sim.waiting.finish(),
    }
}

impl Model for SyncLongTask {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(d) = finding_number(finding, "duration_s") {
            p.set("duration_s", d);
        }
        if let Some(g) = finding_number(finding, "gateway_timeout_s") {
            p.set("gateway_timeout_s", g);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        let users = load.clamp(1, INFO.max_load) as u32;
        simulate(settings, variant, users, seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        let completed = m(naive, "tasks completed");
        let delivered = m(naive, "results delivered");
        format!(
            "At {load} concurrent users each starting a {}-second task behind a {}-second \
             gateway, {} of {} clicks got 504 Gateway Timeout ({} ‰) and {} results reached \
             their user; the workers still ran {} tasks nobody was waiting for. With a job \
             queue and status polling, {} of {} requests (clicks and polls) timed out, clicks \
             were answered in {} ms at p99, {} tasks completed in the background and 99 % \
             of the results reached their users within {} s.",
            settings.get("duration_s"),
            settings.get("gateway_timeout_s"),
            naive.failures,
            naive.out_of,
            m(naive, "504 share"),
            delivered,
            completed.saturating_sub(delivered),
            fixed.failures,
            fixed.out_of,
            m(fixed, "p99 click response"),
            m(fixed, "tasks completed"),
            m(fixed, "p99 time to result") / 1000,
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("tasks waiting for a worker", "tasks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    /// The story's calibration: a 45 s task behind a 30 s gateway fails every click; the job
    /// queue fails none, from the default settings.
    #[test]
    fn calibration_45s_task_behind_30s_gateway() {
        let s = Settings::defaults(&INFO);
        assert_eq!(s.get("duration_s"), 45);
        assert_eq!(s.get("gateway_timeout_s"), 30);
        for load in [1, 20, 200] {
            let naive = SyncLongTask
                .run(&s, Variant::Naive, load, 42, false)
                .outcome;
            let fixed = SyncLongTask
                .run(&s, Variant::Fixed, load, 42, false)
                .outcome;
            assert_eq!(naive.failures, load);
            assert_eq!(naive.metric("504 share"), Some(1000));
            assert_eq!(naive.metric("results delivered"), Some(0));
            assert_eq!(fixed.failures, 0);
            assert_eq!(fixed.metric("504 share"), Some(0));
            assert_eq!(fixed.metric("tasks completed"), Some(load));
            assert_eq!(fixed.metric("results delivered"), Some(load));
        }
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&SyncLongTask, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [1, 2, 5, 10, 20, 50, 100, 200]
        );
        assert!(sw
            .levels
            .iter()
            .all(|l| l.naive.metric("p99 click response") == Some(30_000)));
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        // Clicks plus status polls: the polls grow with the wait for a background worker.
        assert_eq!(
            sw.column(|l| l.fixed.out_of),
            [8, 16, 42, 92, 239, 999, 3397, 12502]
        );
        assert_eq!(
            sw.column(|l| l.fixed.metric("p99 click response").unwrap_or(0)),
            [2, 3, 2, 3, 3, 3, 3, 3]
        );
        // 8 background workers, 45 s tasks: the last of 200 results arrives after ~19 min.
        assert_eq!(
            sw.column(|l| l.fixed.metric("p99 time to result").unwrap_or(0) / 1000),
            [45, 45, 55, 95, 135, 305, 575, 1125]
        );
    }

    /// A task shorter than the gateway timeout fails only once clicks outnumber the 8 web
    /// workers and wait in the backlog.
    #[test]
    fn a_20s_task_fails_once_users_outnumber_workers() {
        let sw = sweep(
            &SyncLongTask,
            Params::default().set("duration_s", 20),
            42,
            &[],
        );
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 2, 12, 42, 92, 192]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        // More web workers push the failures further out.
        let more = sweep(
            &SyncLongTask,
            Params::default().set("duration_s", 20).set("workers", 16),
            42,
            &[20],
        );
        assert_eq!(more.levels[0].naive.failures, 0);
    }

    /// The bound the fix rests on at its tightest corner: the most users, one web worker in
    /// all, the shortest gateway timeout, every click in the same second.
    #[test]
    fn fixed_holds_at_the_tightest_corner() {
        let mut p = Params::default();
        p.set("workers", 1)
            .set("replicas", 1)
            .set("gateway_timeout_s", 5)
            .set("click_window_s", 1)
            .set("duration_s", 5)
            .set("job_workers", 64);
        let (s, _) = Settings::resolve(&INFO, &p);
        for seed in 0..3 {
            let o = SyncLongTask
                .run(&s, Variant::Fixed, INFO.max_load, seed, false)
                .outcome;
            assert!(!o.capped);
            assert_eq!(o.failures, 0);
            assert_eq!(o.metric("results delivered"), Some(INFO.max_load));
            // The last of 500 clicks waited for 499 others on the one worker: about 1.25 s.
            assert!(o.metric("p99 click response").unwrap_or(u64::MAX) < 2_000);
        }
    }

    #[test]
    fn settings_from_a_finding() {
        let f = finding_with(
            "sync-long-task",
            &[
                ("duration_s", "120"),
                ("gateway_timeout_s", "60"),
                ("work", "generate_report"),
            ],
        );
        let p = SyncLongTask.params_from_finding(&f);
        assert_eq!(p.0.get("duration_s"), Some(&120));
        assert_eq!(p.0.get("gateway_timeout_s"), Some(&60));
        assert_eq!(p.0.len(), 2);
    }

    #[test]
    fn journeys_show_the_504_and_the_background_path() {
        let s = Settings::defaults(&INFO);
        let naive = SyncLongTask.run(&s, Variant::Naive, 20, 42, true);
        assert_eq!(naive.journeys.len(), 20);
        assert!(naive.journeys.iter().all(|j| j.fate == Fate::Failed));
        // 20 clicks on 8 workers: 12 wait in the backlog, visible in the series.
        assert_eq!(naive.series.iter().map(|p| p.value).max(), Some(12));
        let fixed = SyncLongTask.run(&s, Variant::Fixed, 20, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
        for j in &fixed.journeys {
            let stages: Vec<Stage> = j.hops.iter().map(|h| h.stage).collect();
            assert_eq!(
                stages,
                [
                    Stage::Balancer,
                    Stage::Replica,
                    Stage::Queue,
                    Stage::Worker,
                    Stage::Client
                ]
            );
            assert!(j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us));
        }
        // 20 jobs on 8 background workers: 12 wait in the queue at the peak.
        assert_eq!(fixed.series.iter().map(|p| p.value).max(), Some(12));
    }
}
