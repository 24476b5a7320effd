//! lost-update: a read-modify-write of one account balance by concurrent withdrawals.
//!
//! A burst of withdrawal requests hits one account at once (a shared wallet, a gift card, a
//! stock counter). Each request reads the balance, validates the amount against what it read,
//! spends some time before writing (a call to another service, as in the story where the
//! version check sits in one service and the write in another), then writes.
//!
//! **Naive**: the write stores `balance = what I read − amount`. Every write that lands after
//! another request changed the balance since this one read it erases that change: a lost
//! update (the headline failure), and money is spent beyond the balance.
//!
//! **Fixed**: `UPDATE accounts SET balance = balance − :x WHERE id = :id AND balance >= :x`,
//! one atomic statement: the database computes from the current value and refuses the
//! withdrawal when it no longer fits. No write is ever computed from a stale read, so there are
//! no lost updates by construction; the withdrawals that no longer fit are rejected.
//!
//! Defaults (story 6, optimistic locking across services): a $100 balance, withdrawals of
//! $50 and $75 alternating, requests arriving within 5 ms, 20–40 ms between the read and the
//! write. Two concurrent requests both succeed naive ($125 spent from $100) and exactly one
//! succeeds fixed.

use super::record::{Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::Variant;

pub struct LostUpdate;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "balance",
        label: "Starting balance",
        unit: "$",
        default: 100,
        min: 0,
        max: 1_000_000_000,
    },
    ParamSpec {
        name: "amount_a",
        label: "Requests 1, 3, 5 … withdraw",
        unit: "$",
        default: 50,
        min: 1,
        max: 1_000_000_000,
    },
    ParamSpec {
        name: "amount_b",
        label: "Requests 2, 4, 6 … withdraw",
        unit: "$",
        default: 75,
        min: 1,
        max: 1_000_000_000,
    },
    ParamSpec {
        name: "gap_ms",
        label: "Read → write gap (longest)",
        unit: "ms",
        default: 40,
        min: 0,
        max: 60_000,
    },
    ParamSpec {
        name: "spread_ms",
        label: "Requests arrive within",
        unit: "ms",
        default: 5,
        min: 0,
        max: 3_600_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "lost-update",
    title: "Concurrent withdrawals: read the balance, validate, write the new value",
    metric: "lost updates",
    unit: "withdrawals",
    load_label: "concurrent requests",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: 2_000,
    params: PARAMS,
    naive_label: "read, validate, write balance − x",
    fixed_label: "atomic UPDATE … WHERE balance >= x",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

/// One database round trip (a primary-key read or update).
const DB_MIN_US: u64 = 1_000;
const DB_MAX_US: u64 = 3_000;
/// Client → app and app → client.
const NET_US: u64 = 1_000;

enum Event {
    Arrive(u32),
    ReadDone(u32),
    WriteStart(u32),
    WriteDone(u32),
}

#[derive(Default)]
struct Request {
    amount: u64,
    send_us: u64,
    arrive_us: u64,
    read_start_us: u64,
    read_end_us: u64,
    write_start_us: u64,
    seen_balance: u64,
    seen_version: u64,
    fate: Option<Fate>,
    done_us: u64,
}

struct Sim {
    variant: Variant,
    q: EventQueue<Event>,
    rng: Rng,
    gap_us: u64,
    balance: u64,
    version: u64,
    requests: Vec<Request>,
    gauge: Gauge,
    journal: Journal,
    lost: u64,
    succeeded: u64,
    withdrawn: u64,
    rejected: u64,
}

impl Sim {
    fn db_us(&mut self) -> u64 {
        self.rng.between(DB_MIN_US, DB_MAX_US)
    }

    fn step(&mut self, event: Event) {
        let now = self.q.now();
        match event {
            Event::Arrive(i) => {
                let db = self.db_us();
                if let Some(r) = self.requests.get_mut(i as usize) {
                    r.arrive_us = now;
                    r.read_start_us = now;
                }
                self.q.schedule(db, Event::ReadDone(i));
            }
            Event::ReadDone(i) => {
                let (balance, version) = (self.balance, self.version);
                let gap = self.rng.between(self.gap_us / 2, self.gap_us);
                let Some(r) = self.requests.get_mut(i as usize) else {
                    return;
                };
                r.read_end_us = now;
                r.seen_balance = balance;
                r.seen_version = version;
                if balance < r.amount {
                    // The validation sees too little money: refused, nothing written.
                    r.fate = Some(Fate::Rejected);
                    r.done_us = now;
                    self.rejected += 1;
                } else {
                    self.q.schedule(gap, Event::WriteStart(i));
                }
            }
            Event::WriteStart(i) => {
                let db = self.db_us();
                if let Some(r) = self.requests.get_mut(i as usize) {
                    r.write_start_us = now;
                }
                self.q.schedule(db, Event::WriteDone(i));
            }
            Event::WriteDone(i) => self.write_done(i, now),
        }
    }

    fn write_done(&mut self, i: u32, now: u64) {
        let Some(r) = self.requests.get_mut(i as usize) else {
            return;
        };
        r.done_us = now;
        match self.variant {
            Variant::Naive => {
                // `SET balance = <value computed in the app>`: last write wins.
                if self.version != r.seen_version {
                    self.lost += 1;
                    r.fate = Some(Fate::Anomaly);
                } else {
                    r.fate = Some(Fate::Ok);
                }
                self.balance = r.seen_balance.saturating_sub(r.amount);
                self.version += 1;
                self.succeeded += 1;
                self.withdrawn = self.withdrawn.saturating_add(r.amount);
            }
            Variant::Fixed => {
                // `SET balance = balance - x WHERE balance >= x`, evaluated on the row itself.
                if self.balance >= r.amount {
                    self.balance -= r.amount;
                    self.version += 1;
                    self.succeeded += 1;
                    self.withdrawn = self.withdrawn.saturating_add(r.amount);
                    r.fate = Some(Fate::Ok);
                } else {
                    self.rejected += 1;
                    r.fate = Some(Fate::Rejected);
                }
            }
        }
        self.gauge.set(now, self.balance);
    }

    fn record_journeys(&mut self) {
        for (i, r) in self.requests.iter().enumerate() {
            let id = i as u32;
            let j = &mut self.journal;
            j.hop(id, Stage::Client, 0, r.send_us, r.arrive_us);
            j.hop(id, Stage::Database, 0, r.read_start_us, r.read_end_us);
            if r.write_start_us > 0 {
                j.hop(id, Stage::Replica, 0, r.read_end_us, r.write_start_us);
                j.hop(id, Stage::Database, 0, r.write_start_us, r.done_us);
            }
            j.hop(id, Stage::Client, 0, r.done_us, r.done_us + NET_US);
            j.fate(id, r.fate.unwrap_or(Fate::Failed));
        }
    }
}

fn simulate(s: &Settings, variant: Variant, load: u32, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let spread_us = s.get("spread_ms").saturating_mul(1_000);
    let requests: Vec<Request> = (0..load)
        .map(|i| {
            let send_us = rng.between(0, spread_us);
            Request {
                amount: if i % 2 == 0 {
                    s.get("amount_a")
                } else {
                    s.get("amount_b")
                },
                send_us,
                ..Request::default()
            }
        })
        .collect();
    let mut sim = Sim {
        variant,
        q: EventQueue::new(),
        rng,
        gap_us: s.get("gap_ms").saturating_mul(1_000),
        balance: s.get("balance"),
        version: 0,
        requests,
        gauge: Gauge::new(trace),
        journal: Journal::new(trace),
        lost: 0,
        succeeded: 0,
        withdrawn: 0,
        rejected: 0,
    };
    sim.gauge.set(0, sim.balance);
    for i in 0..load {
        let at = sim.requests.get(i as usize).map_or(0, |r| r.send_us) + NET_US;
        sim.q.schedule_at(at, Event::Arrive(i));
    }
    let mut capped = false;
    while let Some(e) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        sim.step(e);
    }
    if trace {
        sim.record_journeys();
    }
    let start = s.get("balance");
    let outcome = Outcome {
        failures: sim.lost,
        out_of: load as u64,
        metrics: vec![
            Metric {
                name: "withdrawals accepted",
                value: sim.succeeded,
                unit: "withdrawals",
            },
            Metric {
                name: "withdrawals refused",
                value: sim.rejected,
                unit: "withdrawals",
            },
            Metric {
                name: "money paid out",
                value: sim.withdrawn,
                unit: "$",
            },
            Metric {
                name: "overspent",
                value: sim.withdrawn.saturating_sub(start),
                unit: "$",
            },
            Metric {
                name: "final balance",
                value: sim.balance,
                unit: "$",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    Run {
        outcome,
        journeys: sim.journal.finish(),
        series: sim.gauge.finish(),
    }
}

impl Model for LostUpdate {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding names the field and lines, not amounts: the story's numbers stay.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        let load = load.clamp(1, INFO.max_load) as u32;
        simulate(settings, variant, load, seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "At {load} concurrent withdrawals of ${} and ${} from a ${} balance, {} writes \
             erased a withdrawal made since they read the balance: {} withdrawals were accepted, \
             ${} paid out (${} more than the account held), and the balance ended at ${}. With \
             the atomic conditional UPDATE, {} lost updates: {} withdrawals accepted, ${} paid \
             out, {} refused for insufficient funds.",
            settings.get("amount_a"),
            settings.get("amount_b"),
            settings.get("balance"),
            naive.failures,
            m(naive, "withdrawals accepted"),
            m(naive, "money paid out"),
            m(naive, "overspent"),
            m(naive, "final balance"),
            fixed.failures,
            m(fixed, "withdrawals accepted"),
            m(fixed, "money paid out"),
            m(fixed, "withdrawals refused"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("balance", "$")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Story 6: $100, concurrent $50 and $75. Naive: both succeed, $125 spent; fixed: one.
    #[test]
    fn calibration_50_and_75_from_100() {
        let s = Settings::defaults(&INFO);
        for seed in [1, 42, 7_777] {
            let naive = LostUpdate.run(&s, Variant::Naive, 2, seed, false).outcome;
            assert_eq!(naive.metric("withdrawals accepted"), Some(2));
            assert_eq!(naive.metric("money paid out"), Some(125));
            assert_eq!(naive.metric("overspent"), Some(25));
            assert_eq!(naive.failures, 1);
            let fixed = LostUpdate.run(&s, Variant::Fixed, 2, seed, false).outcome;
            assert_eq!(fixed.metric("withdrawals accepted"), Some(1));
            assert_eq!(fixed.metric("withdrawals refused"), Some(1));
            assert_eq!(fixed.metric("overspent"), Some(0));
            assert_eq!(fixed.failures, 0);
        }
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&LostUpdate, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        // The whole burst reads $100 before the first write lands: every write after the
        // first erases another.
        assert_eq!(naive, [0, 1, 4, 9, 19, 49, 99, 199]);
        let paid: Vec<u64> = sw
            .levels
            .iter()
            .map(|l| l.naive.metric("money paid out").unwrap_or(0))
            .collect();
        assert_eq!(paid, [50, 125, 300, 625, 1250, 3125, 6250, 12500]);
        for l in &sw.levels {
            assert_eq!(l.fixed.failures, 0);
            assert!(l.fixed.metric("money paid out").unwrap_or(u64::MAX) <= 100);
        }
    }

    /// Spread the requests far wider than the read → write gap and most no longer overlap.
    #[test]
    fn spread_out_requests_rarely_collide() {
        let mut p = Params::default();
        p.set("spread_ms", 60_000).set("balance", 1_000_000);
        let mut rich = Params::default();
        rich.set("balance", 1_000_000);
        let burst = sweep(&LostUpdate, &rich, 42, &[50]);
        let spread = sweep(&LostUpdate, &p, 42, &[50]);
        assert_eq!(burst.levels[0].naive.failures, 49);
        assert!(spread.levels[0].naive.failures < 5);
    }

    #[test]
    fn fixed_never_overspends() {
        let mut rng = Rng::new(3);
        for _ in 0..40 {
            let mut p = Params::default();
            p.set("balance", rng.between(0, 1_000))
                .set("amount_a", rng.between(1, 300))
                .set("amount_b", rng.between(1, 300))
                .set("gap_ms", rng.between(0, 100));
            let (s, _) = Settings::resolve(&INFO, &p);
            let o = LostUpdate
                .run(
                    &s,
                    Variant::Fixed,
                    rng.between(1, 300),
                    rng.next_u64(),
                    false,
                )
                .outcome;
            assert_eq!(o.metric("overspent"), Some(0));
            assert_eq!(
                o.metric("final balance").unwrap_or(0) + o.metric("money paid out").unwrap_or(0),
                s.get("balance")
            );
        }
    }

    #[test]
    fn journeys_mark_the_lost_writes() {
        let s = Settings::defaults(&INFO);
        let run = LostUpdate.run(&s, Variant::Naive, 5, 42, true);
        assert_eq!(run.journeys.len(), 5);
        let anomalies = run
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count() as u64;
        assert_eq!(anomalies, run.outcome.failures);
        assert_eq!(run.series.first().map(|p| p.value), Some(100));
        let fixed = LostUpdate.run(&s, Variant::Fixed, 5, 42, true);
        let ok = fixed.journeys.iter().filter(|j| j.fate == Fate::Ok).count();
        // $50 then $50 fit in $100 (or $75 alone): never more than two.
        assert!((1..=2).contains(&ok));
    }
}
