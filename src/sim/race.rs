//! The check-then-act model: a ticket sale where every request reads a seat, decides, then
//! writes a hold.
//!
//! Clients arrive within an on-sale window, each wanting one seat (most want the front row).
//! A request reads the seat (a query through a small database pool), spends some app time
//! deciding, then writes. In the **naive** variant the write is unconditional, so two requests
//! that both read "free" both write and both answer "booked": a double booking. In the
//! **fixed** variant the write is one atomic conditional statement, so the second writer is
//! told the seat is gone and tries the next one.

use super::engine::EventQueue;
use super::rng::{Latency, Rng};
use super::{fnv1a, percentile, Variant, LOAD_LEVELS};
use serde::{Deserialize, Serialize};

/// Everything a run depends on. Same settings + same seed = same trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceSettings {
    /// Seats on sale.
    pub seats: u32,
    /// Seats in the front row that most clients try first.
    pub hot_seats: u32,
    /// Share of clients (per thousand) whose first choice is in the front row.
    pub hot_per_mille: u64,
    /// Clients arrive uniformly within this window (the rush when the sale opens).
    pub arrival_window_ms: u64,
    /// Database time for the availability read.
    pub read: Latency,
    /// App time between the read and the write (validation, pricing, awaited calls).
    pub think: Latency,
    /// Database time for the write.
    pub write: Latency,
    /// Queries the database runs at once; the rest wait in line.
    pub db_pool: u32,
    /// Attempts per client before giving up (a taken seat means: pick another).
    pub max_attempts: u32,
    pub seed: u64,
}

impl Default for RaceSettings {
    fn default() -> Self {
        RaceSettings {
            seats: 100,
            hot_seats: 5,
            hot_per_mille: 700,
            arrival_window_ms: 300,
            read: Latency::ms(2, 6),
            think: Latency::ms(10, 60),
            write: Latency::ms(2, 6),
            db_pool: 10,
            max_attempts: 5,
            seed: 42,
        }
    }
}

impl RaceSettings {
    /// Upper bounds that keep one run small enough for a browser tab.
    pub const MAX_CLIENTS: u32 = 100_000;
    pub const MAX_SEATS: u32 = 100_000;

    /// Clamps every field into a range the model handles (user-edited settings pass here).
    pub fn clamped(mut self) -> Self {
        self.seats = self.seats.clamp(1, Self::MAX_SEATS);
        self.hot_seats = self.hot_seats.clamp(1, self.seats);
        self.hot_per_mille = self.hot_per_mille.min(1000);
        self.arrival_window_ms = self.arrival_window_ms.clamp(1, 3_600_000);
        for l in [&mut self.read, &mut self.think, &mut self.write] {
            l.min_us = l.min_us.min(600_000_000);
            l.max_us = l.max_us.clamp(l.min_us, 600_000_000);
            l.tail_per_mille = l.tail_per_mille.min(1000);
            l.tail_max_us = l.tail_max_us.min(600_000_000);
        }
        self.db_pool = self.db_pool.clamp(1, 10_000);
        self.max_attempts = self.max_attempts.clamp(1, 100);
        self
    }
}

/// What one step of a request did, for the animation and the interleaving view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    Arrive,
    /// The availability query was sent (it may wait for a pool slot).
    ReadStart {
        seat: u32,
    },
    /// The availability query answered.
    ReadDone {
        seat: u32,
        saw_free: bool,
    },
    WriteStart {
        seat: u32,
    },
    WriteDone {
        seat: u32,
        outcome: WriteOutcome,
    },
    /// The response went back to the client.
    Finish {
        booked: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum WriteOutcome {
    /// The hold was written and nobody else held the seat.
    Booked,
    /// The hold overwrote `victim`'s hold: both were told "booked".
    DoubleBooked { victim: u32 },
    /// The atomic write found the seat taken (fixed variant only).
    Conflict,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEvent {
    pub t_us: u64,
    pub client: u32,
    pub step: Step,
}

/// Metrics for one load level and variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LevelResult {
    pub clients: u32,
    pub variant: Variant,
    /// Read-decide-write attempts made.
    pub attempts: u32,
    /// Clients told "booked".
    pub bookings: u32,
    /// Holds that silently replaced another client's hold.
    pub double_bookings: u32,
    /// Attempts refused because the seat was taken (at the read, or by the atomic write).
    pub conflicts: u32,
    /// Clients who ran out of attempts.
    pub gave_up: u32,
    pub p50_us: u64,
    pub p99_us: u64,
    /// Simulation events processed.
    pub events: u64,
}

/// One run with its full trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelRun {
    pub result: LevelResult,
    pub trace: Vec<TraceEvent>,
}

impl LevelRun {
    /// A stable fingerprint of the trace (compared across native and wasm in tests).
    pub fn fingerprint(&self) -> u64 {
        fnv1a(self.trace.iter().flat_map(|e| {
            let (tag, a, b) = match e.step {
                Step::Arrive => (0u8, 0, 0),
                Step::ReadStart { seat } => (1, seat, 0),
                Step::ReadDone { seat, saw_free } => (2, seat, saw_free as u32),
                Step::WriteStart { seat } => (3, seat, 0),
                Step::WriteDone { seat, outcome } => (
                    4,
                    seat,
                    match outcome {
                        WriteOutcome::Booked => 0,
                        WriteOutcome::DoubleBooked { victim } => victim + 2,
                        WriteOutcome::Conflict => 1,
                    },
                ),
                Step::Finish { booked } => (5, booked as u32, 0),
            };
            let mut bytes = Vec::with_capacity(21);
            bytes.extend_from_slice(&e.t_us.to_le_bytes());
            bytes.extend_from_slice(&e.client.to_le_bytes());
            bytes.push(tag);
            bytes.extend_from_slice(&a.to_le_bytes());
            bytes.extend_from_slice(&b.to_le_bytes());
            bytes
        }))
    }
}

/// Naive and fixed results over the standard load levels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadSweep {
    pub naive: Vec<LevelResult>,
    pub fixed: Vec<LevelResult>,
}

#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrive(u32),
    ReadDone(u32),
    ThinkDone(u32),
    WriteDone(u32),
    Respond(u32),
}

#[derive(Clone, Copy)]
enum Query {
    Read(u32),
    Write(u32),
}

#[derive(Clone, Copy, Default)]
struct Client {
    seat: u32,
    attempts: u32,
    started_us: u64,
    booked: bool,
}

struct Db {
    busy: u32,
    waiting: std::collections::VecDeque<Query>,
}

struct World<'a> {
    s: &'a RaceSettings,
    variant: Variant,
    rng: Rng,
    q: EventQueue<Ev>,
    db: Db,
    holder: Vec<Option<u32>>,
    clients: Vec<Client>,
    trace: Option<Vec<TraceEvent>>,
    result: LevelResult,
    latencies: Vec<u64>,
}

impl World<'_> {
    fn record(&mut self, client: u32, step: Step) {
        if let Some(t) = self.trace.as_mut() {
            t.push(TraceEvent {
                t_us: self.q.now(),
                client,
                step,
            });
        }
    }

    fn choose_seat(&mut self, client: u32) -> u32 {
        let s = self.s;
        // Most first picks go to the front row; a client whose pick was taken picks anywhere.
        if self.clients[client as usize].attempts == 0 && self.rng.chance(s.hot_per_mille) {
            self.rng.below(s.hot_seats as u64) as u32
        } else {
            self.rng.below(s.seats as u64) as u32
        }
    }

    fn submit(&mut self, query: Query) {
        if self.db.busy < self.s.db_pool {
            self.start(query);
        } else {
            self.db.waiting.push_back(query);
        }
    }

    fn start(&mut self, query: Query) {
        self.db.busy += 1;
        let (delay, ev) = match query {
            Query::Read(c) => (self.s.read.sample(&mut self.rng), Ev::ReadDone(c)),
            Query::Write(c) => (self.s.write.sample(&mut self.rng), Ev::WriteDone(c)),
        };
        self.q.schedule(delay, ev);
    }

    fn query_finished(&mut self) {
        self.db.busy -= 1;
        if let Some(next) = self.db.waiting.pop_front() {
            self.start(next);
        }
    }

    fn begin_attempt(&mut self, c: u32) {
        let seat = self.choose_seat(c);
        let cl = &mut self.clients[c as usize];
        cl.seat = seat;
        cl.attempts += 1;
        self.result.attempts += 1;
        self.record(c, Step::ReadStart { seat });
        self.submit(Query::Read(c));
    }

    fn retry_or_give_up(&mut self, c: u32) {
        self.result.conflicts += 1;
        if self.clients[c as usize].attempts < self.s.max_attempts {
            self.begin_attempt(c);
        } else {
            self.result.gave_up += 1;
            self.q.schedule(0, Ev::Respond(c));
        }
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Arrive(c) => {
                self.clients[c as usize].started_us = self.q.now();
                self.record(c, Step::Arrive);
                self.begin_attempt(c);
            }
            Ev::ReadDone(c) => {
                self.query_finished();
                let seat = self.clients[c as usize].seat;
                let saw_free = self.holder[seat as usize].is_none();
                self.record(c, Step::ReadDone { seat, saw_free });
                if saw_free {
                    let think = self.s.think.sample(&mut self.rng);
                    self.q.schedule(think, Ev::ThinkDone(c));
                } else {
                    self.retry_or_give_up(c);
                }
            }
            Ev::ThinkDone(c) => {
                let seat = self.clients[c as usize].seat;
                self.record(c, Step::WriteStart { seat });
                self.submit(Query::Write(c));
            }
            Ev::WriteDone(c) => {
                self.query_finished();
                let seat = self.clients[c as usize].seat;
                let current = self.holder[seat as usize];
                let outcome = match (self.variant, current) {
                    (_, None) => WriteOutcome::Booked,
                    (Variant::Naive, Some(victim)) => WriteOutcome::DoubleBooked { victim },
                    (Variant::Fixed, Some(_)) => WriteOutcome::Conflict,
                };
                self.record(c, Step::WriteDone { seat, outcome });
                match outcome {
                    WriteOutcome::Booked | WriteOutcome::DoubleBooked { .. } => {
                        if matches!(outcome, WriteOutcome::DoubleBooked { .. }) {
                            self.result.double_bookings += 1;
                        }
                        self.holder[seat as usize] = Some(c);
                        self.clients[c as usize].booked = true;
                        self.result.bookings += 1;
                        self.q.schedule(0, Ev::Respond(c));
                    }
                    WriteOutcome::Conflict => self.retry_or_give_up(c),
                }
            }
            Ev::Respond(c) => {
                let cl = self.clients[c as usize];
                self.latencies.push(self.q.now() - cl.started_us);
                self.record(c, Step::Finish { booked: cl.booked });
            }
        }
    }
}

fn simulate(settings: &RaceSettings, variant: Variant, clients: u32, keep_trace: bool) -> LevelRun {
    let s = settings.clone().clamped();
    let clients = clients.clamp(1, RaceSettings::MAX_CLIENTS);
    // Each level and variant gets its own stream, derived from the one seed.
    let stream = crate::sim::fnv1a(
        s.seed
            .to_le_bytes()
            .into_iter()
            .chain(clients.to_le_bytes())
            .chain([variant as u8]),
    );
    let mut w = World {
        s: &s,
        variant,
        rng: Rng::new(stream),
        q: EventQueue::new(),
        db: Db {
            busy: 0,
            waiting: Default::default(),
        },
        holder: vec![None; s.seats as usize],
        clients: vec![Client::default(); clients as usize],
        trace: keep_trace.then(Vec::new),
        result: LevelResult {
            clients,
            variant,
            attempts: 0,
            bookings: 0,
            double_bookings: 0,
            conflicts: 0,
            gave_up: 0,
            p50_us: 0,
            p99_us: 0,
            events: 0,
        },
        latencies: Vec::with_capacity(clients as usize),
    };
    let window_us = s.arrival_window_ms * 1000;
    for c in 0..clients {
        let at = w.rng.below(window_us);
        w.q.schedule_at(at, Ev::Arrive(c));
    }
    while let Some(ev) = w.q.pop() {
        w.handle(ev);
    }
    w.result.events = w.q.processed();
    w.result.p50_us = percentile(&mut w.latencies, 50);
    w.result.p99_us = percentile(&mut w.latencies, 99);
    LevelRun {
        result: w.result,
        trace: w.trace.unwrap_or_default(),
    }
}

/// Runs one level and keeps the trace (for the animation).
pub fn run_level(settings: &RaceSettings, variant: Variant, clients: u32) -> LevelRun {
    simulate(settings, variant, clients, true)
}

/// Runs one level, metrics only.
pub fn measure_level(settings: &RaceSettings, variant: Variant, clients: u32) -> LevelResult {
    simulate(settings, variant, clients, false).result
}

/// Naive and fixed over [`LOAD_LEVELS`].
pub fn sweep(settings: &RaceSettings) -> LoadSweep {
    sweep_levels(settings, &LOAD_LEVELS)
}

pub fn sweep_levels(settings: &RaceSettings, levels: &[u32]) -> LoadSweep {
    let run = |v| {
        levels
            .iter()
            .map(|&n| measure_level(settings, v, n))
            .collect()
    };
    LoadSweep {
        naive: run(Variant::Naive),
        fixed: run(Variant::Fixed),
    }
}

/// One step of an [`Interleaving`], in time order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InterleavedStep {
    pub t_us: u64,
    /// 0 for the request that booked first (A), 1 for the one that overwrote it (B).
    pub lane: u8,
    /// `true` for the write, `false` for the read.
    pub is_write: bool,
    /// What the step saw or did, in words.
    pub note: String,
}

/// Two requests whose read/write steps interleaved into a double booking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Interleaving {
    pub seat: u32,
    pub clients: [u32; 2],
    pub steps: Vec<InterleavedStep>,
}

/// Finds the first double booking in a trace and the reads and writes that led to it.
pub fn find_interleaving(trace: &[TraceEvent]) -> Option<Interleaving> {
    let (idx, b, seat, a) = trace.iter().enumerate().find_map(|(i, e)| match e.step {
        Step::WriteDone {
            seat,
            outcome: WriteOutcome::DoubleBooked { victim },
        } => Some((i, e.client, seat, victim)),
        _ => None,
    })?;
    let mut steps = Vec::new();
    for e in &trace[..=idx] {
        let lane = if e.client == a {
            0
        } else if e.client == b {
            1
        } else {
            continue;
        };
        let who = if lane == 0 { "A" } else { "B" };
        match e.step {
            Step::ReadDone { seat: s, saw_free } if s == seat => steps.push(InterleavedStep {
                t_us: e.t_us,
                lane,
                is_write: false,
                note: format!(
                    "{who} reads seat {}: {}",
                    s + 1,
                    if saw_free { "free" } else { "taken" }
                ),
            }),
            Step::WriteDone { seat: s, outcome } if s == seat => steps.push(InterleavedStep {
                t_us: e.t_us,
                lane,
                is_write: true,
                note: match outcome {
                    WriteOutcome::DoubleBooked { .. } => {
                        format!(
                            "{who} writes the hold on seat {}, overwriting A: both told \"booked\"",
                            s + 1
                        )
                    }
                    _ => format!("{who} writes the hold on seat {}: \"booked\"", s + 1),
                },
            }),
            _ => {}
        }
    }
    // Keep only the last read of each lane before its write (earlier attempts are noise).
    Some(Interleaving {
        seat,
        clients: [a, b],
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_client_never_double_books() {
        let r = measure_level(&RaceSettings::default(), Variant::Naive, 1);
        assert_eq!(r.double_bookings, 0);
        assert_eq!(r.bookings, 1);
        assert_eq!(r.attempts, 1);
    }

    #[test]
    fn fixed_never_double_books_at_any_level() {
        for seed in 0..20 {
            let s = RaceSettings {
                seed,
                ..Default::default()
            };
            for r in sweep(&s).fixed {
                assert_eq!(r.double_bookings, 0, "seed {seed} clients {}", r.clients);
                assert!(r.bookings <= s.seats);
            }
        }
    }

    #[test]
    fn naive_double_books_under_load() {
        let sweep = sweep(&RaceSettings::default());
        let at = |n| {
            sweep
                .naive
                .iter()
                .find(|r| r.clients == n)
                .unwrap()
                .double_bookings
        };
        assert_eq!(at(1), 0);
        assert!(at(50) > 0, "{:?}", sweep.naive);
        assert!(at(200) > at(20));
    }

    #[test]
    fn same_seed_same_trace() {
        let s = RaceSettings::default();
        let a = run_level(&s, Variant::Naive, 50);
        let b = run_level(&s, Variant::Naive, 50);
        assert_eq!(a, b);
        let c = run_level(&RaceSettings { seed: 43, ..s }, Variant::Naive, 50);
        assert_ne!(a.fingerprint(), c.fingerprint());
    }

    #[test]
    fn trace_counts_match_metrics() {
        let run = run_level(&RaceSettings::default(), Variant::Naive, 100);
        let doubles = run
            .trace
            .iter()
            .filter(|e| {
                matches!(
                    e.step,
                    Step::WriteDone {
                        outcome: WriteOutcome::DoubleBooked { .. },
                        ..
                    }
                )
            })
            .count() as u32;
        assert_eq!(doubles, run.result.double_bookings);
        let finishes = run
            .trace
            .iter()
            .filter(|e| matches!(e.step, Step::Finish { .. }))
            .count() as u32;
        assert_eq!(finishes, 100);
        assert!(run.result.p99_us >= run.result.p50_us);
    }

    #[test]
    fn interleaving_shows_two_free_reads_then_two_writes() {
        let run = run_level(&RaceSettings::default(), Variant::Naive, 100);
        let il = find_interleaving(&run.trace).expect("a double booking at 100 clients");
        let last_write = il.steps.last().unwrap();
        assert!(last_write.is_write && last_write.lane == 1);
        assert!(il
            .steps
            .iter()
            .any(|s| !s.is_write && s.lane == 0 && s.note.ends_with("free")));
        assert!(il
            .steps
            .iter()
            .any(|s| !s.is_write && s.lane == 1 && s.note.ends_with("free")));
        assert!(
            find_interleaving(&run_level(&RaceSettings::default(), Variant::Fixed, 100).trace)
                .is_none()
        );
    }

    #[test]
    fn extreme_settings_do_not_panic() {
        let s = RaceSettings {
            seats: 0,
            hot_seats: u32::MAX,
            hot_per_mille: u64::MAX,
            arrival_window_ms: 0,
            read: Latency {
                min_us: u64::MAX,
                max_us: 0,
                tail_per_mille: 5000,
                tail_max_us: u64::MAX,
            },
            think: Latency::ms(0, 0),
            write: Latency::ms(0, 0),
            db_pool: 0,
            max_attempts: 0,
            seed: u64::MAX,
        };
        let r = measure_level(&s, Variant::Naive, 2000);
        assert_eq!(r.clients, 2000);
    }
}

/// Settings for a finding: the base settings, widened by what the code says. Every `await`
/// between the read and the write is another round trip during which the seat can be taken.
pub fn settings_for(finding: &crate::analyzer::Finding, base: &RaceSettings) -> RaceSettings {
    let mut s = base.clone();
    let awaits: u64 = finding
        .params
        .get("awaits_between")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        .min(20);
    s.think.min_us += awaits * 20_000;
    s.think.max_us += awaits * 100_000;
    s.clamped()
}

#[cfg(test)]
mod pinned {
    //! Exact outcomes for fixed seeds: any change to the model shows up here first.
    use super::*;

    #[test]
    fn default_sweep_seed_42() {
        let sw = sweep(&RaceSettings::default());
        let naive: Vec<u32> = sw.naive.iter().map(|r| r.double_bookings).collect();
        let fixed: Vec<u32> = sw.fixed.iter().map(|r| r.double_bookings).collect();
        assert_eq!(naive, [0, 0, 0, 0, 3, 5, 26, 74]);
        assert_eq!(fixed, [0; 8]);
    }

    #[test]
    fn trace_fingerprint_seed_42_at_50() {
        // The same constant is asserted by the wasm test in Chromium (tests/wasm.rs).
        let run = run_level(&RaceSettings::default(), Variant::Naive, 50);
        assert_eq!(run.fingerprint(), crate::sim::race::PINNED_FINGERPRINT_50);
    }

    #[test]
    fn awaits_widen_the_window() {
        let mut f =
            crate::analyzer::analyze(include_str!("../scenarios/seat_booking/naive.py"), None)
                .unwrap()
                .findings
                .remove(0);
        let base = RaceSettings::default();
        assert_eq!(settings_for(&f, &base), base);
        f.params.insert("awaits_between".into(), "2".into());
        let wide = settings_for(&f, &base);
        assert_eq!(wide.think.max_us, base.think.max_us + 200_000);
        let more = sweep_levels(&wide, &[50]).naive[0].double_bookings;
        assert!(more > sweep_levels(&base, &[50]).naive[0].double_bookings);
    }
}

/// Fingerprint of `run_level(&RaceSettings::default(), Variant::Naive, 50).trace`.
pub const PINNED_FINGERPRINT_50: u64 = 17_410_327_272_321_151_774;
