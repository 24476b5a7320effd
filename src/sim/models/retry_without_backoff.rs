//! retry-without-backoff: clients that retry a failing call at once (or after a short fixed
//! delay), with no backoff, no jitter and often no cap, turn a short blip into a retry storm
//! that outlives it.
//!
//! Clients send new requests at a steady rate to a service with `capacity_rps` of capacity
//! (5 workers, each attempt takes `5 / capacity` s, FIFO queue in front). 10 s into the run its
//! dependency (a payment provider) fails for `blip_s` seconds: attempts still cost their full
//! service time, then answer an error. A client waits `client_timeout_ms` for each attempt. The
//! service cannot see that a client stopped waiting, so it still serves attempts whose client
//! has gone: that wasted work is what lets an overload feed itself.
//!
//! **Naive**: on an error or a timeout the client retries at once (or after
//! `retry_delay_ms`), up to `retries` times (0 = unbounded). During the blip every open
//! request loops, the queue grows, waits pass the client timeout, and from then on each wait
//! spawns another attempt while the stale one stays queued. If the offered attempts exceed
//! capacity when the blip ends, the service stays overloaded with a healthy dependency
//! (metastable): requests sent after the blip keep failing.
//!
//! **Fixed**: retries wait a random time between 0 and `min(5 s, 100 ms × 2^attempt)`
//! (exponential backoff with full jitter), at most 5 retries, and only while a retry budget
//! allows (a token bucket: each new request adds 0.1 retry, at most 10 saved). In any window
//! of `w` seconds the new requests are at most `load × w + 2` and the retries at most a tenth of
//! that plus 10, so the offered attempts never exceed `1.1 × load × w + 12.2`. The load axis
//! stops at 45 req/s and capacity starts at 50 req/s, so `1.1 × load ≤ capacity` and the queue
//! never holds more than about 17 attempts: a wait under 0.45 s plus one attempt (at most
//! 0.1 s) stays below the shortest client timeout allowed (1 s). A request sent after the blip
//! therefore succeeds on its first attempt: 0 failures after the blip, by construction. (Both
//! variants lose requests *during* the blip; that is reported apart.)
//!
//! Headline: requests sent after the dependency recovered that still failed, i.e. got no
//! successful answer within 10 s (a person's patience). Defaults: a payment service handling
//! 50 req/s, a 10 s blip, a 2 s client timeout, and the analyzer's common finding: unbounded
//! immediate retries. The stories: retries at high load turned into retry storms, services
//! spent more time retrying than working.

use super::record::{Buckets, Journal};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};

pub struct RetryWithoutBackoff;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "capacity_rps",
        label: "Service capacity (at least 50: see the load axis)",
        unit: "req/s",
        default: 50,
        min: 50,
        max: 5_000,
    },
    ParamSpec {
        name: "blip_s",
        label: "Dependency fails for",
        unit: "s",
        default: 10,
        min: 1,
        max: 60,
    },
    ParamSpec {
        name: "client_timeout_ms",
        label: "Client timeout per attempt",
        unit: "ms",
        default: 2_000,
        min: 1_000,
        max: 10_000,
    },
    ParamSpec {
        name: "retries",
        label: "Naive retries per request (0 = unbounded)",
        unit: "retries",
        default: 0,
        min: 0,
        max: 100,
    },
    ParamSpec {
        name: "retry_delay_ms",
        label: "Naive delay before a retry",
        unit: "ms",
        default: 0,
        min: 0,
        max: 10_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "retry-without-backoff",
    title: "A short dependency blip, and clients that retry at once",
    metric: "requests failed after the blip",
    unit: "requests",
    load_label: "requests per second",
    loads: &[2, 5, 10, 15, 20, 25, 35, 45],
    max_load: 45,
    params: PARAMS,
    naive_label: "immediate retries, no cap",
    fixed_label: "backoff + jitter + retry budget",
    stages: &[Stage::Client, Stage::Replica, Stage::Dependency],
};

/// The service's workers; an attempt takes `WORKERS / capacity` seconds.
const WORKERS: usize = 5;
const BLIP_START_US: u64 = 10_000_000;
/// New requests keep coming this long after the blip.
const AFTER_US: u64 = 15_000_000;
/// A request with no successful answer within this is a failure (the person gave up).
const PATIENCE_US: u64 = 10_000_000;
/// Fixed: backoff base and cap, retries per request, and the budget (in tenths of a retry).
const BACKOFF_BASE_US: u64 = 100_000;
const BACKOFF_CAP_US: u64 = 5_000_000;
const FIXED_RETRIES: u32 = 5;
const BUDGET_PER_REQUEST: u64 = 1;
const BUDGET_PER_RETRY: u64 = 10;
const BUDGET_MAX: u64 = 100;

struct Request {
    submit_us: u64,
    attempts: u32,
    /// When the client stopped waiting for its last attempt (a retry's wait starts here).
    last_end_us: u64,
    /// Success time, if it succeeded.
    ok_us: Option<u64>,
}

enum Event {
    NewRequest,
    Send(u32),
    /// The answer to the request's current attempt reached the client in time.
    Answer {
        request: u32,
        error: bool,
    },
    /// The client stopped waiting for its current attempt.
    Timeout(u32),
}

struct Sim {
    variant: Variant,
    traffic: Rng,
    rng: Rng,
    q: EventQueue<Event>,
    requests: Vec<Request>,
    /// When each worker is next free. Every attempt takes the same service time, so FIFO
    /// order fixes an attempt's start the moment it arrives: the earliest-free worker, once
    /// every earlier attempt has been placed. No event is needed to serve it.
    free_at: [u64; WORKERS],
    service_us: u64,
    blip_end_us: u64,
    arrivals_end_us: u64,
    horizon_us: u64,
    gap_us: u64,
    timeout_us: u64,
    retries: u32,
    delay_us: u64,
    budget: u64,
    sent: Buckets,
    served_for_nobody: u64,
    journal: Journal,
}

impl Sim {
    fn new(s: &Settings, variant: Variant, rps: u64, seed: u64, trace: bool) -> Sim {
        let capacity = s.get("capacity_rps").max(1);
        let blip_end_us = BLIP_START_US + s.get("blip_s").saturating_mul(1_000_000);
        let arrivals_end_us = blip_end_us + AFTER_US;
        Sim {
            variant,
            traffic: Rng::new(seed),
            rng: Rng::new(seed ^ 0x7e7e_b0ff),
            q: EventQueue::new(),
            requests: Vec::new(),
            free_at: [0; WORKERS],
            service_us: WORKERS as u64 * 1_000_000 / capacity,
            blip_end_us,
            arrivals_end_us,
            horizon_us: arrivals_end_us + PATIENCE_US,
            gap_us: 1_000_000 / rps.max(1),
            timeout_us: s.get("client_timeout_ms").saturating_mul(1_000),
            retries: s.get("retries") as u32,
            delay_us: s.get("retry_delay_ms").saturating_mul(1_000),
            budget: BUDGET_MAX,
            sent: Buckets::new(1_000_000, 1_000),
            served_for_nobody: 0,
            journal: Journal::new(trace),
        }
    }

    /// The next new request: one per `1 / rps` slot, at a random point within its slot.
    fn schedule_next_request(&mut self) {
        let slot = self.requests.len() as u64;
        let at = slot * self.gap_us + self.traffic.below(self.gap_us);
        if at < self.arrivals_end_us {
            self.q.schedule_at(at, Event::NewRequest);
        }
    }

    fn new_request(&mut self) {
        let id = self.requests.len() as u32;
        let now = self.q.now();
        self.requests.push(Request {
            submit_us: now,
            attempts: 0,
            last_end_us: now,
            ok_us: None,
        });
        self.budget = (self.budget + BUDGET_PER_REQUEST).min(BUDGET_MAX);
        self.schedule_next_request();
        self.send(id);
    }

    /// Sends an attempt: places it on the service and tells the client when it hears back.
    fn send(&mut self, request: u32) {
        let now = self.q.now();
        let Some(r) = self.requests.get_mut(request as usize) else {
            return;
        };
        r.attempts += 1;
        let waited_from = r.last_end_us;
        self.sent.add(now);
        let (worker, free) = self
            .free_at
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|&(i, t)| (t, i))
            .unwrap_or((0, now));
        let start = free.max(now);
        let end = start + self.service_us;
        if let Some(slot) = self.free_at.get_mut(worker) {
            *slot = end;
        }
        let error = (BLIP_START_US..self.blip_end_us).contains(&start);
        let give_up = now + self.timeout_us;
        self.journal
            .hop(request, Stage::Client, 0, waited_from, now);
        self.journal
            .hop(request, Stage::Replica, 0, now, start.min(give_up));
        if start < give_up {
            self.journal.hop(
                request,
                Stage::Dependency,
                worker as u32,
                start,
                end.min(give_up),
            );
        }
        if end <= give_up {
            self.q.schedule_at(end, Event::Answer { request, error });
        } else {
            // The service will still do this work, for a client that has gone.
            if start < self.horizon_us {
                self.served_for_nobody += 1;
            }
            self.q.schedule_at(give_up, Event::Timeout(request));
        }
    }

    fn answer(&mut self, request: u32, error: bool) {
        let now = self.q.now();
        let Some(r) = self.requests.get_mut(request as usize) else {
            return;
        };
        r.last_end_us = now;
        if error {
            self.retry(request);
        } else {
            r.ok_us = Some(now);
        }
    }

    fn timeout(&mut self, request: u32) {
        let now = self.q.now();
        if let Some(r) = self.requests.get_mut(request as usize) {
            r.last_end_us = now;
        }
        self.retry(request);
    }

    fn retry(&mut self, request: u32) {
        let Some(retries_done) = self
            .requests
            .get(request as usize)
            .map(|r| r.attempts.saturating_sub(1))
        else {
            return;
        };
        let wait = match self.variant {
            Variant::Naive => {
                if self.retries == 0 || retries_done < self.retries {
                    Some(self.delay_us)
                } else {
                    None
                }
            }
            Variant::Fixed => {
                if retries_done < FIXED_RETRIES && self.budget >= BUDGET_PER_RETRY {
                    self.budget -= BUDGET_PER_RETRY;
                    let ceiling = BACKOFF_BASE_US
                        .saturating_mul(1 << retries_done.min(20))
                        .min(BACKOFF_CAP_US);
                    Some(self.rng.between(0, ceiling))
                } else {
                    None
                }
            }
        };
        match wait {
            Some(0) => self.send(request),
            Some(wait) => self.q.schedule(wait, Event::Send(request)),
            // Out of retries (or budget): the request has failed.
            None => {}
        }
    }
}

fn simulate(s: &Settings, variant: Variant, rps: u64, seed: u64, trace: bool) -> Run {
    let mut sim = Sim::new(s, variant, rps, seed, trace);
    sim.schedule_next_request();
    let horizon_us = sim.horizon_us;
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
            Event::NewRequest => sim.new_request(),
            Event::Send(request) => sim.send(request),
            Event::Answer { request, error } => sim.answer(request, error),
            Event::Timeout(request) => sim.timeout(request),
        }
    }
    let blip_end_us = sim.blip_end_us;
    let (mut after, mut failed_after, mut failed_during) = (0u64, 0u64, 0u64);
    let mut latency_after_us = Vec::new();
    let mut attempts = 0u64;
    for (i, r) in sim.requests.iter().enumerate() {
        attempts += r.attempts as u64;
        let took = r.ok_us.map(|ok| ok - r.submit_us);
        let ok = took.is_some_and(|t| t <= PATIENCE_US);
        sim.journal
            .fate(i as u32, if ok { Fate::Ok } else { Fate::Failed });
        if r.submit_us >= blip_end_us {
            after += 1;
            failed_after += !ok as u64;
            latency_after_us.push(took.unwrap_or(PATIENCE_US).min(PATIENCE_US));
        } else {
            failed_during += !ok as u64;
        }
    }
    let requests = sim.requests.len() as u64;
    let outcome = Outcome {
        failures: failed_after,
        out_of: after,
        metrics: vec![
            Metric {
                name: "attempts per 100 requests",
                value: (attempts * 100).checked_div(requests).unwrap_or(0),
                unit: "attempts",
            },
            Metric {
                name: "peak offered load",
                value: sim.sent.peak(),
                unit: "attempts/s",
            },
            Metric {
                name: "failed during the blip",
                value: failed_during,
                unit: "requests",
            },
            Metric {
                name: "served for nobody",
                value: sim.served_for_nobody,
                unit: "attempts",
            },
            Metric {
                name: "p99 latency after the blip",
                value: percentile(&mut latency_after_us, 99) / 1000,
                unit: "ms",
            },
        ],
        events: sim.q.processed(),
        capped,
    };
    Run {
        outcome,
        journeys: sim.journal.finish(),
        series: if trace { sim.sent.points() } else { Vec::new() },
    }
}

/// Reads the retry delay the analyzer quotes from the source, in milliseconds:
/// `time.sleep(0.5)` → `"0.5"` (seconds), `RETRY_DELAY = 2` (seconds), `setTimeout(…, 500)` and
/// Spring's `1000` (milliseconds), `Duration.ofMillis(500)`, `Duration.ofSeconds(2)`. A bare
/// whole number under 100 is taken as seconds, anything larger as milliseconds.
fn delay_ms(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let expr = lower.rsplit('=').next().unwrap_or(&lower);
    let from = expr.find(|c: char| c.is_ascii_digit())?;
    let mut chars = expr.get(from..)?.chars().filter(|&c| c != '_').peekable();
    let mut whole: u64 = 0;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        whole = whole.checked_mul(10)?.checked_add(d as u64)?;
        chars.next();
    }
    let mut thousandths: Option<u64> = None;
    if chars.peek() == Some(&'.') {
        chars.next();
        let mut frac = 0;
        for scale in [100, 10, 1] {
            match chars.peek().and_then(|c| c.to_digit(10)) {
                Some(d) => {
                    frac += d as u64 * scale;
                    chars.next();
                }
                None => break,
            }
        }
        thousandths = Some(frac);
    }
    let seconds = |w: u64, f: u64| w.saturating_mul(1_000).saturating_add(f);
    Some(if expr.contains("millis") {
        whole
    } else if expr.contains("second") || thousandths.is_some() || whole < 100 {
        seconds(whole, thousandths.unwrap_or(0))
    } else {
        whole
    })
}

impl Model for RetryWithoutBackoff {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        match finding.params.get("retry_count").map(String::as_str) {
            Some("unbounded") => {
                p.set("retries", 0);
            }
            Some(_) => {
                if let Some(n) = finding_number(finding, "retry_count") {
                    p.set("retries", n.max(1));
                }
            }
            None => {}
        }
        let kind = finding.params.get("delay_kind").map(String::as_str);
        if kind == Some("none") {
            p.set("retry_delay_ms", 0);
        }
        if matches!(kind, Some("fixed" | "linear")) {
            if let Some(ms) = finding.params.get("delay").and_then(|t| delay_ms(t)) {
                p.set("retry_delay_ms", ms);
            }
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        let naive_retries = match settings.get("retries") {
            0 => "unbounded".to_string(),
            n => format!("up to {n}"),
        };
        let naive_delay = match settings.get("retry_delay_ms") {
            0 => "immediate".to_string(),
            d => format!("{d} ms-apart"),
        };
        format!(
            "At {load} requests per second to a service that handles {} per second, a {} s \
             blip with {naive_retries} {naive_delay} retries: offered load peaked at {} \
             attempts/s ({} attempts per 100 requests), and after the dependency had recovered \
             {} of {} requests still failed while the service worked through {} attempts whose \
             client had gone. With backoff, jitter and a retry budget: a peak of {} attempts/s, \
             {} attempts per 100 requests, {} failures after the blip. During the blip itself \
             both lose requests: {} with the fix, which spends its retry budget within a \
             second, and {} naive.",
            settings.get("capacity_rps"),
            settings.get("blip_s"),
            m(naive, "peak offered load"),
            m(naive, "attempts per 100 requests"),
            naive.failures,
            naive.out_of,
            m(naive, "served for nobody"),
            m(fixed, "peak offered load"),
            m(fixed, "attempts per 100 requests"),
            fixed.failures,
            m(fixed, "failed during the blip"),
            m(naive, "failed during the blip"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("attempts sent per second", "attempts/s")
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
        let sw = sweep(&RetryWithoutBackoff, &Params::default(), 42, &[]);
        // Metastable from 15 req/s (30 % of capacity): nothing sent after the blip gets through.
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 0, 225, 300, 375, 525, 675]
        );
        assert_eq!(
            sw.column(|l| l.naive.out_of),
            [30, 75, 150, 225, 300, 375, 525, 675]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.naive, "attempts per 100 requests")),
            [734, 373, 240, 907, 891, 884, 877, 874]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "attempts per 100 requests")),
            [115, 108, 105, 104, 104, 104, 103, 103]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "peak offered load")),
            [52, 55, 60, 190, 250, 325, 440, 580]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "peak offered load")),
            [7, 13, 20, 26, 31, 37, 47, 58]
        );
        // The fix gives up on requests during the blip (the budget is spent in a second);
        // the unbounded loops ride out a blip at low load. The summary says so.
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "failed during the blip")),
            [20, 49, 100, 150, 200, 249, 350, 445]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "failed during the blip")),
            [1, 3, 12, 150, 200, 250, 350, 450]
        );
    }

    /// The bound the fix rests on, at its tightest corner (smallest capacity, largest load,
    /// shortest client timeout) over many seeds and blip lengths: no attempt ever waits out
    /// the client timeout, so nothing sent after the blip fails.
    #[test]
    fn fixed_holds_at_the_tightest_corner() {
        for seed in 0..20 {
            for blip in [1, 10, 60] {
                let mut p = Params::default();
                p.set("capacity_rps", 50)
                    .set("client_timeout_ms", 1_000)
                    .set("blip_s", blip);
                let (s, _) = Settings::resolve(&INFO, &p);
                let o = RetryWithoutBackoff
                    .run(&s, Variant::Fixed, 45, seed, false)
                    .outcome;
                assert_eq!(o.failures, 0, "seed {seed} blip {blip}");
                assert_eq!(metric(&o, "served for nobody"), 0);
                assert!(metric(&o, "p99 latency after the blip") < 600);
            }
        }
    }

    /// Capped retries, a delay, a shorter blip or a longer client timeout each move the
    /// tipping point out, but none removes it.
    #[test]
    fn settings_move_the_tipping_point() {
        let tipping = |p: &Params| {
            sweep(&RetryWithoutBackoff, p, 42, &[])
                .first_failing_load()
                .unwrap_or(0)
        };
        assert_eq!(tipping(&Params::default()), 15);
        assert_eq!(tipping(Params::default().set("retries", 3)), 20);
        assert_eq!(tipping(Params::default().set("retry_delay_ms", 1_000)), 20);
        assert_eq!(tipping(Params::default().set("blip_s", 3)), 45);
        assert_eq!(
            tipping(Params::default().set("client_timeout_ms", 5_000)),
            35
        );
    }

    #[test]
    fn delays_read_from_source_text() {
        assert_eq!(delay_ms("0.5"), Some(500));
        assert_eq!(delay_ms("2"), Some(2_000));
        assert_eq!(delay_ms("RETRY_DELAY = 2"), Some(2_000));
        assert_eq!(delay_ms("1000"), Some(1_000));
        assert_eq!(delay_ms("Duration.ofMillis(500)"), Some(500));
        assert_eq!(delay_ms("Duration.ofSeconds(3)"), Some(3_000));
        assert_eq!(delay_ms("1.25"), Some(1_250));
        assert_eq!(delay_ms("delay"), None);
        assert_eq!(delay_ms("99999999999999999999999"), None);
    }

    #[test]
    fn settings_from_a_finding() {
        let finding = |pairs: &[(&str, &str)]| finding_with("retry-without-backoff", pairs);
        let p = RetryWithoutBackoff.params_from_finding(&finding(&[
            ("retry_count", "unbounded"),
            ("delay", "0"),
            ("delay_kind", "none"),
        ]));
        assert_eq!(p.0.get("retries"), Some(&0));
        assert_eq!(p.0.get("retry_delay_ms"), Some(&0));
        let p = RetryWithoutBackoff.params_from_finding(&finding(&[
            ("retry_count", "3"),
            ("delay", "0.5"),
            ("delay_kind", "fixed"),
        ]));
        assert_eq!(p.0.get("retries"), Some(&3));
        assert_eq!(p.0.get("retry_delay_ms"), Some(&500));
        // A schedule the analyzer could not read leaves the defaults.
        let p = RetryWithoutBackoff.params_from_finding(&finding(&[
            ("retry_count", "MAX_RETRIES"),
            ("delay", "exponential"),
            ("delay_kind", "exponential"),
        ]));
        assert!(p.0.is_empty());
    }

    #[test]
    fn journeys_and_series() {
        let s = Settings::defaults(&INFO);
        let naive = RetryWithoutBackoff.run(&s, Variant::Naive, 15, 42, true);
        assert_eq!(naive.journeys.len(), 525);
        for j in &naive.journeys {
            assert!(j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us));
        }
        // A request in the storm: attempt after attempt, up to the hop cap.
        assert!(naive
            .journeys
            .iter()
            .any(|j| j.fate == Fate::Failed && j.hops.len() == super::super::record::MAX_HOPS));
        let peak = |r: &Run| r.series.iter().map(|p| p.value).max().unwrap_or(0);
        assert_eq!(peak(&naive), metric(&naive.outcome, "peak offered load"));
        let fixed = RetryWithoutBackoff.run(&s, Variant::Fixed, 15, 42, true);
        assert_eq!(peak(&fixed), 26);
        // Everything sent after the blip went through on its first attempt.
        let after = fixed.journeys.iter().skip(300);
        assert!(after
            .clone()
            .all(|j| j.fate == Fate::Ok && j.hops.len() == 3));
    }
}
