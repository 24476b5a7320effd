//! threads-for-cpu-in-python: CPU-bound work on Python threads, where the GIL lets one thread
//! run at a time however many cores the machine has.
//!
//! Sessions (MCP sessions, API clients) each submit a CPU-bound task (parsing, scoring,
//! rendering: about 100 ms of pure Python) every `interval_ms`, starting at a random offset.
//! The caller waits up to `deadline_ms` for the result; a later answer is useless to it.
//!
//! **Naive**: a `ThreadPoolExecutor` with `threads` threads. Threads holding a task take turns
//! on the GIL in 5 ms slices (CPython's switch interval); each hand-over between threads costs
//! 0.1 ms (waking the next thread, cache misses). One core's worth of work gets done however
//! many threads there are, and every running task slows down as more share the GIL, so beyond
//! about ten tasks per second most of them miss the deadline. A thread cannot be cancelled: a
//! task whose caller gave up still runs to the end.
//!
//! **Fixed**: a process pool with one process per core (`ProcessPoolExecutor(cores)`), each
//! running one task at a time (plus 1 ms to pickle the task and its result), FIFO, and an
//! admission check at submission: with `k` tasks already admitted and unfinished, a new task is
//! accepted only if `k × s + cores × s ≤ cores × deadline`, where `s` is the longest a task can
//! take. Until a task starts, every process is busy with tasks admitted before it (FIFO, no
//! idle process while tasks wait), whose remaining work is at most `k × s`, so it starts within
//! `k × s / cores` and ends within `k × s / cores + s ≤ deadline`. An accepted task therefore
//! never misses its deadline; the others are answered at once with "busy, retry later" (429)
//! and counted as turned away, not as failures. That is the honest trade: the fix runs `cores`
//! times as much work and says no early to the rest, where threads say yes to everything and
//! answer too late.
//!
//! Defaults: 100 ms tasks (±20 %), 16 threads (the analyzer's typical finding), 4 cores, a 1 s
//! deadline, 5 tasks per session one second apart. The story: Python threads routing parallel
//! sessions, fine for one and hopeless for dozens.

use super::record::{Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct ThreadsForCpuInPython;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "task_ms",
        label: "CPU time per task (typical)",
        unit: "ms",
        default: 100,
        min: 1,
        max: 10_000,
    },
    ParamSpec {
        name: "threads",
        label: "Threads in the pool (naive)",
        unit: "threads",
        default: 16,
        min: 1,
        max: 256,
    },
    ParamSpec {
        name: "cores",
        label: "CPU cores (processes in the fixed pool)",
        unit: "cores",
        default: 4,
        min: 1,
        max: 64,
    },
    ParamSpec {
        name: "deadline_ms",
        label: "Caller's deadline",
        unit: "ms",
        default: 1_000,
        min: 10,
        max: 600_000,
    },
    ParamSpec {
        name: "tasks_per_session",
        label: "Tasks per session",
        unit: "tasks",
        default: 5,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "interval_ms",
        label: "A session submits a task every",
        unit: "ms",
        default: 1_000,
        min: 10,
        max: 60_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "threads-for-cpu-in-python",
    title: "CPU-bound tasks on Python threads (one GIL) vs a process pool",
    metric: "tasks past the deadline",
    unit: "tasks",
    load_label: "parallel sessions",
    loads: &[1, 2, 4, 8, 16, 32, 64, 128],
    max_load: 512,
    params: PARAMS,
    naive_label: "thread pool, one GIL",
    fixed_label: "process per core + admission",
    stages: &[Stage::Client, Stage::Worker],
};

/// CPython's GIL switch interval (`sys.getswitchinterval()`).
const SLICE_US: u64 = 5_000;
/// Cost of handing the GIL to another thread.
const HANDOFF_US: u64 = 100;
/// Pickling a task to a worker process and its result back.
const IPC_US: u64 = 1_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Waiting,
    Running,
    Done,
    TurnedAway,
}

struct Task {
    submit_us: u64,
    cpu_us: u64,
    left_us: u64,
    start_us: u64,
    end_us: u64,
    lane: u32,
    status: Status,
}

enum Event {
    Submit(u32),
    /// The GIL holder's slice ended (naive).
    SliceEnd {
        task: u32,
        ran_us: u64,
    },
    /// A worker process finished its task (fixed).
    ProcessDone {
        process: u32,
        task: u32,
    },
}

struct Sim {
    variant: Variant,
    q: EventQueue<Event>,
    tasks: Vec<Task>,
    waiting: VecDeque<u32>,
    /// Naive: threads without a task; fixed: idle processes.
    idle: Vec<u32>,
    /// Naive: tasks on threads waiting for the GIL, in turn order.
    ready: VecDeque<u32>,
    gil_busy: bool,
    last_holder: Option<u32>,
    in_system: u64,
    cores: u64,
    deadline_us: u64,
    longest_us: u64,
    gauge: Gauge,
}

impl Sim {
    fn new(s: &Settings, variant: Variant, sessions: u64, seed: u64, trace: bool) -> Sim {
        let mut rng = Rng::new(seed);
        let task_us = s.get("task_ms").saturating_mul(1_000);
        let interval_us = s.get("interval_ms").saturating_mul(1_000).max(1);
        let per_session = s.get("tasks_per_session").max(1);
        let mut submits: Vec<u64> = Vec::new();
        for _ in 0..sessions {
            let offset = rng.below(interval_us);
            for k in 0..per_session {
                submits.push(offset + k * interval_us);
            }
        }
        submits.sort_unstable();
        let (lo, hi) = (task_us / 10 * 8, task_us / 10 * 12);
        let tasks = submits
            .into_iter()
            .map(|submit_us| {
                let cpu_us = rng.between(lo, hi).max(1);
                Task {
                    submit_us,
                    cpu_us,
                    left_us: cpu_us,
                    start_us: 0,
                    end_us: 0,
                    lane: 0,
                    status: Status::Waiting,
                }
            })
            .collect();
        let cores = s.get("cores").max(1);
        let workers = match variant {
            Variant::Naive => s.get("threads").max(1),
            Variant::Fixed => cores,
        } as u32;
        Sim {
            variant,
            q: EventQueue::new(),
            tasks,
            waiting: VecDeque::new(),
            idle: (0..workers).rev().collect(),
            ready: VecDeque::new(),
            gil_busy: false,
            last_holder: None,
            in_system: 0,
            cores,
            deadline_us: s.get("deadline_ms").saturating_mul(1_000),
            longest_us: hi.max(1) + IPC_US,
            gauge: Gauge::new(trace),
        }
    }

    fn submit(&mut self, id: u32) {
        if self.variant == Variant::Fixed {
            // Admit only what can finish in time (see the module comment for why this holds).
            let worst = self
                .in_system
                .saturating_add(self.cores)
                .saturating_mul(self.longest_us);
            if worst > self.cores.saturating_mul(self.deadline_us) {
                if let Some(t) = self.tasks.get_mut(id as usize) {
                    t.status = Status::TurnedAway;
                }
                return;
            }
        }
        self.in_system += 1;
        self.gauge.set(self.q.now(), self.in_system);
        match self.idle.pop() {
            Some(worker) => self.assign(worker, id),
            None => self.waiting.push_back(id),
        }
    }

    /// Puts task `id` on thread/process `worker`.
    fn assign(&mut self, worker: u32, id: u32) {
        let now = self.q.now();
        let Some(t) = self.tasks.get_mut(id as usize) else {
            return;
        };
        t.status = Status::Running;
        t.start_us = now;
        t.lane = worker;
        let cpu_us = t.cpu_us;
        match self.variant {
            Variant::Naive => {
                self.ready.push_back(id);
                if !self.gil_busy {
                    self.next_slice();
                }
            }
            Variant::Fixed => self.q.schedule(
                cpu_us + IPC_US,
                Event::ProcessDone {
                    process: worker,
                    task: id,
                },
            ),
        }
    }

    /// Gives the GIL to the next ready thread for one switch interval.
    fn next_slice(&mut self) {
        let Some(id) = self.ready.pop_front() else {
            self.gil_busy = false;
            return;
        };
        self.gil_busy = true;
        let handoff = match self.last_holder {
            Some(prev) if prev != id => HANDOFF_US,
            _ => 0,
        };
        self.last_holder = Some(id);
        let ran_us = self
            .tasks
            .get(id as usize)
            .map_or(0, |t| t.left_us.min(SLICE_US));
        self.q
            .schedule(handoff + ran_us, Event::SliceEnd { task: id, ran_us });
    }

    fn slice_end(&mut self, id: u32, ran_us: u64) {
        let Some(t) = self.tasks.get_mut(id as usize) else {
            return;
        };
        t.left_us = t.left_us.saturating_sub(ran_us);
        if t.left_us > 0 {
            self.ready.push_back(id);
        } else {
            let thread = t.lane;
            self.finish(id);
            self.free(thread);
        }
        self.next_slice();
    }

    fn finish(&mut self, id: u32) {
        let now = self.q.now();
        if let Some(t) = self.tasks.get_mut(id as usize) {
            t.status = Status::Done;
            t.end_us = now;
        }
        self.in_system = self.in_system.saturating_sub(1);
        self.gauge.set(now, self.in_system);
    }

    fn free(&mut self, worker: u32) {
        match self.waiting.pop_front() {
            Some(next) => self.assign(worker, next),
            None => self.idle.push(worker),
        }
    }
}

fn simulate(s: &Settings, variant: Variant, sessions: u64, seed: u64, trace: bool) -> Run {
    let mut sim = Sim::new(s, variant, sessions, seed, trace);
    for (i, t) in sim.tasks.iter().enumerate() {
        sim.q.schedule_at(t.submit_us, Event::Submit(i as u32));
    }
    let mut capped = false;
    while let Some(event) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match event {
            Event::Submit(id) => sim.submit(id),
            Event::SliceEnd { task, ran_us } => sim.slice_end(task, ran_us),
            Event::ProcessDone { process, task } => {
                sim.finish(task);
                sim.free(process);
            }
        }
    }
    let deadline_us = sim.deadline_us;
    let mut journal = Journal::new(trace);
    let (mut late, mut on_time, mut turned_away, mut completed) = (0u64, 0u64, 0u64, 0u64);
    let mut completion_us = Vec::new();
    let (mut first_us, mut last_us) = (u64::MAX, 0u64);
    for (i, t) in sim.tasks.iter().enumerate() {
        let id = i as u32;
        match t.status {
            Status::Done => {
                let took = t.end_us - t.submit_us;
                completed += 1;
                completion_us.push(took);
                first_us = first_us.min(t.submit_us);
                last_us = last_us.max(t.end_us);
                let missed = took > deadline_us;
                late += missed as u64;
                on_time += !missed as u64;
                journal.hop(id, Stage::Client, 0, t.submit_us, t.start_us);
                journal.hop(id, Stage::Worker, t.lane, t.start_us, t.end_us);
                journal.fate(id, if missed { Fate::Failed } else { Fate::Ok });
            }
            Status::TurnedAway => {
                turned_away += 1;
                journal.hop(id, Stage::Client, 0, t.submit_us, t.submit_us);
                journal.fate(id, Fate::Rejected);
            }
            // Still running when the run was capped: its caller has not heard back either.
            Status::Waiting | Status::Running => {}
        }
    }
    let span_us = last_us.saturating_sub(first_us).max(1);
    let outcome = Outcome {
        failures: late,
        out_of: sim.tasks.len() as u64,
        metrics: vec![
            Metric {
                name: "throughput",
                value: completed.saturating_mul(1_000_000) / span_us,
                unit: "tasks/s",
            },
            Metric {
                name: "p99 completion",
                value: percentile(&mut completion_us, 99) / 1000,
                unit: "ms",
            },
            Metric {
                name: "on time",
                value: on_time,
                unit: "tasks",
            },
            Metric {
                name: "turned away",
                value: turned_away,
                unit: "tasks",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    Run {
        outcome,
        journeys: journal.finish(),
        series: sim.gauge.finish(),
    }
}

impl Model for ThreadsForCpuInPython {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(n) = finding_number(finding, "threads_n") {
            p.set("threads", n);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "At {load} parallel sessions, each submitting a {} ms CPU task every {} ms: on {} Python \
             threads sharing one GIL, {} of {} tasks came back after the {} ms deadline, at {} \
             tasks/s and {} ms at p99. With one process per core on {} cores and an admission \
             check, {} were late: {} finished on time at {} tasks/s ({} ms at p99), and {} were \
             turned away at once with \"busy, retry later\" instead of timing out.",
            settings.get("task_ms"),
            settings.get("interval_ms"),
            settings.get("threads"),
            naive.failures,
            naive.out_of,
            settings.get("deadline_ms"),
            m(naive, "throughput"),
            m(naive, "p99 completion"),
            settings.get("cores"),
            fixed.failures,
            m(fixed, "on time"),
            m(fixed, "throughput"),
            m(fixed, "p99 completion"),
            m(fixed, "turned away"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("tasks running or waiting", "tasks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn metric(o: &Outcome, name: &str) -> u64 {
        o.metric(name).unwrap_or(0)
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&ThreadsForCpuInPython, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 0, 75, 158, 320, 640]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        // Threads: one core's worth (about 10 tasks of 100 ms per second), whatever the load.
        assert_eq!(
            sw.column(|l| metric(&l.naive, "throughput")),
            [1, 2, 4, 8, 9, 9, 9, 9]
        );
        // Four processes: four times that, then the admission check turns the rest away.
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "throughput")),
            [1, 2, 4, 8, 16, 31, 38, 38]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "turned away")),
            [0, 0, 0, 0, 0, 0, 98, 419]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p99 completion")),
            [114, 114, 162, 419, 3789, 11645, 28079, 60084]
        );
        assert!(sw
            .levels
            .iter()
            .all(|l| metric(&l.fixed, "p99 completion") <= 1_000));
    }

    /// More threads do not help CPU-bound Python; more cores help the process pool.
    #[test]
    fn threads_do_not_scale_cores_do() {
        let run = |p: &Params, variant| {
            let (s, _) = Settings::resolve(&INFO, p);
            ThreadsForCpuInPython
                .run(&s, variant, 128, 42, false)
                .outcome
        };
        let t16 = run(&Params::default(), Variant::Naive);
        let t64 = run(Params::default().set("threads", 64), Variant::Naive);
        assert!(metric(&t64, "throughput") <= metric(&t16, "throughput"));
        assert_eq!(t64.failures, t64.out_of);
        let c4 = run(&Params::default(), Variant::Fixed);
        let c8 = run(Params::default().set("cores", 8), Variant::Fixed);
        assert!(metric(&c8, "throughput") >= 2 * metric(&c4, "throughput") - 2);
        assert!(metric(&c8, "turned away") < metric(&c4, "turned away"));
    }

    /// A deadline no task can meet: the admission check accepts nothing rather than accept
    /// work that will be late.
    #[test]
    fn admission_refuses_what_cannot_finish_in_time() {
        let mut p = Params::default();
        p.set("deadline_ms", 110);
        let (s, _) = Settings::resolve(&INFO, &p);
        let fixed = ThreadsForCpuInPython
            .run(&s, Variant::Fixed, 8, 42, false)
            .outcome;
        assert_eq!(fixed.failures, 0);
        assert_eq!(metric(&fixed, "turned away"), 40);
    }

    /// The admission bound over tight deadlines, few or many cores, and heavy load.
    #[test]
    fn admitted_tasks_always_meet_the_deadline() {
        for seed in 0..30u64 {
            let mut p = Params::default();
            p.set("deadline_ms", 110 + seed * 37)
                .set("cores", 1 + seed % 8)
                .set("interval_ms", 200 + seed * 50);
            let (s, _) = Settings::resolve(&INFO, &p);
            let o = ThreadsForCpuInPython
                .run(&s, Variant::Fixed, 128, seed, false)
                .outcome;
            assert_eq!(o.failures, 0, "seed {seed}");
            assert!(metric(&o, "p99 completion") <= 110 + seed * 37);
        }
    }

    #[test]
    fn settings_from_a_finding() {
        let f = finding_with(
            "threads-for-cpu-in-python",
            &[("threads", "32"), ("threads_n", "32"), ("target", "score")],
        );
        let p = ThreadsForCpuInPython.params_from_finding(&f);
        assert_eq!(p.0.get("threads"), Some(&32));
        assert_eq!(p.0.len(), 1);
    }

    #[test]
    fn journeys_and_series() {
        let s = Settings::defaults(&INFO);
        let naive = ThreadsForCpuInPython.run(&s, Variant::Naive, 32, 42, true);
        assert_eq!(naive.journeys.len(), 160);
        let late = naive
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Failed)
            .count() as u64;
        assert_eq!(late, naive.outcome.failures);
        assert!(naive.journeys.iter().all(|j| j.hops[1].lane < 16));
        let fixed = ThreadsForCpuInPython.run(&s, Variant::Fixed, 128, 42, true);
        let rejected = fixed
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Rejected)
            .count() as u64;
        assert_eq!(rejected, metric(&fixed.outcome, "turned away"));
        assert!(fixed
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Ok)
            .all(|j| j.hops[1].lane < 4 && j.hops[0].end_us == j.hops[1].start_us));
        // The naive backlog grows without bound; the admission check keeps the fixed one short.
        let peak = |r: &Run| r.series.iter().map(|p| p.value).max().unwrap_or(0);
        assert!(peak(&naive) > 100);
        assert!(peak(&fixed) <= 40);
    }
}
