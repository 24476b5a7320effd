//! non-idempotent-webhook: a provider delivers events at least once; the handler applies an
//! effect (fulfil an order, credit an account) for every delivery it processes.
//!
//! The provider sends `load` new events per second for `duration_s`. A delivery waits in the
//! handler's queue for one of `workers` workers, which takes about `handler_ms` to process it
//! (the effect is applied as the last step). When no 2xx came back within the provider's
//! timeout, the provider counts the delivery as failed and delivers the same event again
//! `retry_after_s` later, up to `max_attempts` times; the handler does not notice the
//! provider gave up and still processes the delivery. Independently, a small share of events
//! is sent twice anyway (at-least-once delivery). Once the provider sends more events than the
//! workers can process, the queue grows, responses pass the timeout, and redeliveries add to the
//! queue they came from.
//!
//! **Naive**: every processed delivery applies the effect: each one after the first for the
//! same event is a duplicate effect (the headline failure).
//!
//! **Fixed**: the handler first inserts the event id into a table with a unique key, in the
//! same transaction as the effect (`INSERT … ON CONFLICT (event_id) DO NOTHING`). A delivery
//! whose insert finds the id (committed, or held by a concurrent transaction it then waits for)
//! acknowledges in a few milliseconds without the effect. At most one delivery per event applies
//! the effect, so there are no duplicates by construction.
//!
//! Defaults: provider timeout 10 s (Stripe-like), retry after 60 s, 3 attempts; events sent
//! for 20 s; 0.5 % of events sent twice anyway; 8 workers at 250 ms each, so the handler keeps
//! up with 32 events/s.

use super::record::{Gauge, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct NonIdempotentWebhook;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "timeout_s",
        label: "Provider timeout",
        unit: "s",
        default: 10,
        min: 1,
        max: 300,
    },
    ParamSpec {
        name: "workers",
        label: "Handler workers",
        unit: "workers",
        default: 8,
        min: 1,
        max: 1_000,
    },
    ParamSpec {
        name: "handler_ms",
        label: "Handler time per event",
        unit: "ms",
        default: 250,
        min: 1,
        max: 60_000,
    },
    ParamSpec {
        name: "retry_after_s",
        label: "Provider retries after",
        unit: "s",
        default: 60,
        min: 1,
        max: 3_600,
    },
    ParamSpec {
        name: "max_attempts",
        label: "Provider attempts per event",
        unit: "attempts",
        default: 3,
        min: 1,
        max: 5,
    },
    ParamSpec {
        name: "duplicate_per_mille",
        label: "Events sent twice anyway",
        unit: "‰",
        default: 5,
        min: 0,
        max: 1_000,
    },
    ParamSpec {
        name: "duration_s",
        label: "Provider sends for",
        unit: "s",
        default: 20,
        min: 1,
        max: 120,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "non-idempotent-webhook",
    title: "Webhook deliveries retried after the provider's timeout",
    metric: "duplicate effects",
    unit: "effects",
    load_label: "events per second",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: 500,
    params: PARAMS,
    naive_label: "apply the effect on every delivery",
    fixed_label: "insert event id first, same transaction",
    stages: &[
        Stage::Provider,
        Stage::Queue,
        Stage::Worker,
        Stage::Database,
    ],
};

/// Provider → handler network time.
const NET_US: u64 = 20_000;
/// A duplicate found by the idempotency insert: one indexed insert, then 200.
const ACK_US: u64 = 5_000;
/// The effect's own database write at the end of processing.
const EFFECT_US: u64 = 5_000;
/// An at-least-once duplicate arrives within this long of the original.
const DUPLICATE_WITHIN_US: u64 = 2_000_000;

enum Event {
    /// A delivery reaches the handler.
    Arrive(u32),
    /// The provider's timer for a delivery runs out.
    Deadline(u32),
    Done {
        worker: u32,
    },
}

struct Delivery {
    event: u32,
    attempt: u64,
    sent_us: u64,
    start_us: Option<u64>,
    done_us: Option<u64>,
    worker: u32,
    /// The provider gave up waiting for this delivery.
    timed_out: bool,
    /// This delivery applied the effect although the event already had it.
    duplicate: bool,
    /// Fixed: acknowledged without the effect.
    skipped: bool,
}

struct Sim {
    variant: Variant,
    q: EventQueue<Event>,
    rng: Rng,
    timeout_us: u64,
    handler_us: u64,
    retry_us: u64,
    max_attempts: u64,
    deliveries: Vec<Delivery>,
    /// Effects applied per event (naive) / event id claimed (fixed, nonzero).
    applied: Vec<u32>,
    claimed: Vec<bool>,
    queue: VecDeque<u32>,
    free: Vec<u32>,
    busy: Vec<Option<u32>>,
    depth: Gauge,
    duplicates: u64,
    effects: u64,
    redeliveries: u64,
    responses_us: Vec<u64>,
}

impl Sim {
    fn deliver(&mut self, event: u32, attempt: u64, at_us: u64) {
        let id = self.deliveries.len() as u32;
        self.deliveries.push(Delivery {
            event,
            attempt,
            sent_us: at_us,
            start_us: None,
            done_us: None,
            worker: 0,
            timed_out: false,
            duplicate: false,
            skipped: false,
        });
        self.q.schedule_at(at_us + NET_US, Event::Arrive(id));
        self.q
            .schedule_at(at_us.saturating_add(self.timeout_us), Event::Deadline(id));
    }

    fn arrive(&mut self, id: u32) {
        match self.free.pop() {
            Some(w) => self.start(w, id),
            None => {
                self.queue.push_back(id);
                self.depth.set(self.q.now(), self.queue.len() as u64);
            }
        }
    }

    fn start(&mut self, worker: u32, id: u32) {
        let now = self.q.now();
        let Some(d) = self.deliveries.get_mut(id as usize) else {
            return;
        };
        d.start_us = Some(now);
        d.worker = worker;
        let event = d.event as usize;
        let service = match self.variant {
            Variant::Fixed if self.claimed.get(event).copied().unwrap_or(false) => {
                d.skipped = true;
                ACK_US
            }
            _ => {
                if let Some(c) = self.claimed.get_mut(event) {
                    *c = true;
                }
                self.rng
                    .between(self.handler_us / 2, self.handler_us / 2 * 3)
                    + EFFECT_US
            }
        };
        if let Some(b) = self.busy.get_mut(worker as usize) {
            *b = Some(id);
        }
        self.q.schedule(service, Event::Done { worker });
    }

    fn done(&mut self, worker: u32) {
        let now = self.q.now();
        let id = self.busy.get_mut(worker as usize).and_then(|b| b.take());
        if let Some(d) = id.and_then(|id| self.deliveries.get_mut(id as usize)) {
            d.done_us = Some(now);
            self.responses_us.push(now.saturating_sub(d.sent_us));
            if !d.skipped {
                if let Some(n) = self.applied.get_mut(d.event as usize) {
                    *n += 1;
                    self.effects += 1;
                    if *n > 1 {
                        d.duplicate = true;
                        self.duplicates += 1;
                    }
                }
            }
        }
        match self.queue.pop_front() {
            Some(next) => {
                self.depth.set(now, self.queue.len() as u64);
                self.start(worker, next);
            }
            None => self.free.push(worker),
        }
    }

    fn deadline(&mut self, id: u32) {
        let now = self.q.now();
        let Some(d) = self.deliveries.get_mut(id as usize) else {
            return;
        };
        if d.done_us.is_some() {
            return;
        }
        d.timed_out = true;
        let (event, attempt) = (d.event, d.attempt);
        if attempt < self.max_attempts {
            self.redeliveries += 1;
            self.deliver(event, attempt + 1, now.saturating_add(self.retry_us));
        }
    }

    fn journeys(&self) -> Vec<Journey> {
        let mut j = Journal::new(true);
        for (i, d) in self.deliveries.iter().enumerate() {
            let id = i as u32;
            let arrive = d.sent_us + NET_US;
            j.hop(id, Stage::Provider, 0, d.sent_us, arrive);
            let (Some(start), Some(end)) = (d.start_us, d.done_us) else {
                j.fate(id, Fate::Failed);
                continue;
            };
            j.hop(id, Stage::Queue, 0, arrive, start);
            if d.skipped {
                j.hop(id, Stage::Database, 0, start, end);
            } else {
                let effect = end.saturating_sub(EFFECT_US).max(start);
                j.hop(id, Stage::Worker, d.worker, start, effect);
                j.hop(id, Stage::Database, 0, effect, end);
            }
            let fate = if d.duplicate {
                Fate::Anomaly
            } else if d.skipped {
                Fate::Rejected
            } else if d.timed_out {
                Fate::Failed
            } else {
                Fate::Ok
            };
            j.fate(id, fate);
        }
        j.finish()
    }
}

fn simulate(s: &Settings, variant: Variant, per_s: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let duration_us = s.get("duration_s").saturating_mul(1_000_000);
    let events = per_s
        .saturating_mul(s.get("duration_s"))
        .min(u32::MAX as u64 / 4) as u32;
    let workers = s.get("workers").max(1) as u32;
    let dup_per_mille = s.get("duplicate_per_mille");
    // Sends spread evenly over the duration, each with a little jitter.
    let step_us = duration_us / events.max(1) as u64;
    let mut sends: Vec<(u32, u64)> = Vec::with_capacity(events as usize);
    for e in 0..events {
        let at = e as u64 * step_us + rng.below(step_us.max(1));
        sends.push((e, at));
        if rng.chance(dup_per_mille) {
            sends.push((e, at + rng.between(1, DUPLICATE_WITHIN_US)));
        }
    }
    let mut sim = Sim {
        variant,
        q: EventQueue::new(),
        rng,
        timeout_us: s.get("timeout_s").saturating_mul(1_000_000),
        handler_us: s.get("handler_ms").saturating_mul(1_000),
        retry_us: s.get("retry_after_s").saturating_mul(1_000_000),
        max_attempts: s.get("max_attempts").max(1),
        deliveries: Vec::new(),
        applied: vec![0; events as usize],
        claimed: vec![false; events as usize],
        queue: VecDeque::new(),
        free: (0..workers).rev().collect(),
        busy: vec![None; workers as usize],
        depth: Gauge::new(trace),
        duplicates: 0,
        effects: 0,
        redeliveries: 0,
        responses_us: Vec::new(),
    };
    let extra_copies = sends.len() as u64 - events as u64;
    for (e, at) in sends {
        sim.deliver(e, 1, at);
    }
    let mut capped = false;
    while let Some(ev) = sim.q.pop() {
        if sim.q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        match ev {
            Event::Arrive(id) => sim.arrive(id),
            Event::Deadline(id) => sim.deadline(id),
            Event::Done { worker } => sim.done(worker),
        }
    }
    let outcome = Outcome {
        failures: sim.duplicates,
        out_of: events as u64,
        metrics: vec![
            Metric {
                name: "deliveries",
                value: sim.deliveries.len() as u64,
                unit: "deliveries",
            },
            Metric {
                name: "redeliveries after timeout",
                value: sim.redeliveries,
                unit: "deliveries",
            },
            Metric {
                name: "duplicates sent anyway",
                value: extra_copies,
                unit: "deliveries",
            },
            Metric {
                name: "effects applied",
                value: sim.effects,
                unit: "effects",
            },
            Metric {
                name: "p99 handler response",
                value: percentile(&mut sim.responses_us, 99) / 1000,
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
        series: sim.depth.finish(),
    }
}

impl Model for NonIdempotentWebhook {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding names the handler and its effects, no timing: the defaults stay.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        let per_s = load.clamp(1, INFO.max_load);
        simulate(settings, variant, per_s, seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "At {load} events per second for {} s ({} events), the handler answered in {} ms at \
             p99 against the provider's {} s timeout; the provider redelivered {} times and sent \
             {} events twice anyway, and {} effects were applied a second time (an order \
             fulfilled twice, a credit applied twice). With the event id inserted first in the \
             same transaction, {} duplicate effects: {} effects for {} events.",
            settings.get("duration_s"),
            naive.out_of,
            m(naive, "p99 handler response"),
            settings.get("timeout_s"),
            m(naive, "redeliveries after timeout"),
            m(naive, "duplicates sent anyway"),
            naive.failures,
            fixed.failures,
            m(fixed, "effects applied"),
            fixed.out_of,
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("deliveries waiting for a worker", "deliveries")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Below the handler's capacity (8 workers / 250 ms = 32 events/s) only the provider's
    /// own duplicates double an effect; above it, responses pass the 10 s timeout and
    /// redeliveries multiply the effects.
    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&NonIdempotentWebhook, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 0, 1, 169, 2654, 7341]
        );
        assert_eq!(
            sw.column(|l| l.naive.metric("redeliveries after timeout").unwrap_or(0)),
            [0, 0, 0, 0, 0, 167, 2645, 7316]
        );
        assert_eq!(
            sw.column(|l| l.naive.metric("p99 handler response").unwrap_or(0)),
            [392, 398, 399, 397, 396, 11812, 42971, 198908]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        // Every event's effect applied exactly once, however often it was delivered.
        for l in &sw.levels {
            assert_eq!(l.fixed.metric("effects applied"), Some(l.fixed.out_of));
            assert_eq!(
                l.naive.metric("effects applied"),
                Some(l.naive.out_of + l.naive.failures)
            );
        }
        assert_eq!(
            sw.column(|l| l.fixed.metric("deliveries").unwrap_or(0)),
            [20, 40, 100, 200, 401, 1163, 3557, 11341]
        );
    }

    /// More workers raise the capacity above the load: no timeouts, only the provider's own
    /// duplicates remain.
    #[test]
    fn capacity_and_timeout_move_the_failures() {
        let base = sweep(&NonIdempotentWebhook, &Params::default(), 42, &[50]);
        let mut more = Params::default();
        more.set("workers", 32);
        let more = sweep(&NonIdempotentWebhook, &more, 42, &[50]);
        assert_eq!(
            more.levels[0].naive.metric("redeliveries after timeout"),
            Some(0)
        );
        assert_eq!(
            more.levels[0].naive.failures,
            more.levels[0]
                .naive
                .metric("duplicates sent anyway")
                .unwrap_or(0)
        );
        let mut longer = Params::default();
        longer.set("timeout_s", 30);
        let longer = sweep(&NonIdempotentWebhook, &longer, 42, &[50]);
        assert!(longer.levels[0].naive.failures < base.levels[0].naive.failures);
        let mut none = Params::default();
        none.set("duplicate_per_mille", 0);
        let quiet = sweep(&NonIdempotentWebhook, &none, 42, &[20]);
        assert_eq!(quiet.levels[0].naive.failures, 0);
    }

    #[test]
    fn journeys_show_duplicates_and_ignored_redeliveries() {
        let s = Settings::defaults(&INFO);
        let naive = NonIdempotentWebhook.run(&s, Variant::Naive, 50, 42, true);
        let count = |run: &Run, fate: Fate| run.journeys.iter().filter(|j| j.fate == fate).count();
        assert_eq!(count(&naive, Fate::Anomaly) as u64, naive.outcome.failures);
        assert!(naive.series.iter().map(|p| p.value).max().unwrap_or(0) > 100);
        let fixed = NonIdempotentWebhook.run(&s, Variant::Fixed, 50, 42, true);
        assert_eq!(count(&fixed, Fate::Anomaly), 0);
        assert!(count(&fixed, Fate::Rejected) > 150);
    }
}
