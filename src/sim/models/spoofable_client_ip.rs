//! spoofable-client-ip: a per-IP rate limit keyed on the address the caller wrote in
//! `X-Forwarded-For`.
//!
//! An attacker sends `load` requests a minute (password guesses against a login, say) and
//! writes a new random address into `X-Forwarded-For` on every one. `honest_users` people
//! use the same endpoint at an ordinary pace. The load balancer appends the address it saw
//! on the socket, so the header reaches the app as `"<what the caller wrote>, <real peer>"`.
//! The limiter allows `limit` requests per `window_s` per key.
//!
//! - **Naive**: the key is the left-most entry, which the caller controls: every spoofed
//!   address is a new key with a fresh budget, so nearly every attack request passes.
//! - **Fixed**: the key is the right-most entry, the one the trusted balancer appended (what
//!   `trust proxy = 1` / `ProxyFix(x_for=1)` give): the attacker is one client again and gets
//!   `limit` per window; honest users keep their own budgets.
//!
//! The headline counts requests *admitted over the limit*: requests let through while their
//! real sender already had `limit` admitted in the window, measured against a log per real
//! address. The fix keys its limiter on exactly that address, so it has none by
//! construction. Defaults: a login limit of 5 a minute (what the analyzer reads from a
//! typical `5/minute` decorator); the story only says the limit was bypassable by headers.

use super::cache_parts::{leading_number, limiter_run_us, SlidingLog};
use crate::analyzer::Finding;
use crate::sim::engine::EventQueue;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::Variant;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub struct SpoofableClientIp;

/// Client ↔ balancer, each way.
const NET_US: u64 = 10_000;
const BALANCER_US: u64 = 1_000;
const APP_US: u64 = 3_000;
/// The attacker's real address (documentation range), and the first honest one.
const ATTACKER_IP: u32 = 0xc633_6407; // 198.51.100.7
const FIRST_HONEST_IP: u32 = 0xcb00_7100; // 203.0.113.0

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "limit",
        label: "Requests allowed per address per window",
        unit: "requests",
        default: 5,
        min: 1,
        max: 100_000,
    },
    ParamSpec {
        name: "window_s",
        label: "Limit window",
        unit: "s",
        default: 60,
        min: 1,
        max: 86_400,
    },
    ParamSpec {
        name: "honest_users",
        label: "Honest users",
        unit: "users",
        default: 20,
        min: 0,
        max: 500,
    },
    ParamSpec {
        name: "honest_per_minute",
        label: "Requests per minute from each honest user",
        unit: "requests/min",
        default: 2,
        min: 1,
        max: 30,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "spoofable-client-ip",
    title: "A per-IP rate limit keyed on X-Forwarded-For, which the caller writes",
    metric: "requests admitted over the limit",
    unit: "requests",
    load_label: "attack requests per minute",
    loads: &[5, 10, 30, 100, 300, 600, 1_000, 2_000],
    max_load: 10_000,
    params: PARAMS,
    naive_label: "key = left-most X-Forwarded-For",
    fixed_label: "key = address the trusted proxy saw",
    stages: &[Stage::Client, Stage::Balancer, Stage::Replica],
};

/// A window the analyzer read: `"minute"`, `"hour"`, or `"60000 ms"` / `"15 * 60 * 1000 ms"`
/// from an options object.
fn window_seconds(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "second" => return Some(1),
        "minute" => return Some(60),
        "hour" => return Some(3_600),
        "day" => return Some(86_400),
        _ => {}
    }
    let ms_expr = t.strip_suffix("ms")?;
    let mut ms: u64 = 1;
    for factor in ms_expr.split('*') {
        let digits: String = factor.trim().chars().filter(|&c| c != '_').collect();
        ms = ms.saturating_mul(digits.parse().ok()?);
    }
    Some(ms.div_ceil(1_000).max(1))
}

/// Hashes an IPv4 address with one multiply: the keys are addresses, not attacker-chosen
/// strings worth SipHash, and a spoofed address per request makes this map the hot path.
#[derive(Default)]
struct IpHasher(u64);

impl Hasher for IpHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IpMap<V> = HashMap<u32, V, BuildHasherDefault<IpHasher>>;

enum Event {
    Attack,
    Honest { user: u32 },
}

impl Model for SpoofableClientIp {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(limit) = leading_number(finding, "rate_limit") {
            p.set("limit", limit);
        }
        if let Some(window) = finding.params.get("window").and_then(|w| window_seconds(w)) {
            p.set("window_s", window);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name| o.metric(name).unwrap_or(0);
        format!(
            "At {load} attack requests per minute, each with a made-up X-Forwarded-For, against \
             a limit of {} per {} s per address, the limiter keyed on the header admitted {} of \
             {} attack requests ({} over the limit) and grew to {} keys. Keyed on the address \
             the trusted proxy saw, it admitted {} attack requests, {} over the limit. Honest \
             users had {} of {} requests refused with the header key, {} with the fix.",
            settings.get("limit"),
            settings.get("window_s"),
            m(naive, "attack requests admitted"),
            m(naive, "attack requests"),
            naive.failures,
            m(naive, "limiter keys"),
            m(fixed, "attack requests admitted"),
            fixed.failures,
            m(naive, "honest requests refused"),
            m(naive, "honest requests"),
            m(fixed, "honest requests refused"),
        )
    }
}

fn simulate(s: &Settings, variant: Variant, per_minute: u64, seed: u64, trace: bool) -> Run {
    let limit = s.get("limit").max(1);
    let window_us = s.get("window_s").max(1).saturating_mul(1_000_000);
    let honest_users = s.get("honest_users").min(500) as u32;
    let length_us = limiter_run_us(window_us);
    let attack_gap_us = (60_000_000 / per_minute.max(1)).max(1);
    let honest_gap_us = (60_000_000 / s.get("honest_per_minute").max(1)).max(1);

    let mut rng = Rng::new(seed);
    let mut q: EventQueue<Event> = EventQueue::new();
    // The limiter's store, by whatever key the variant reads.
    let mut limiter: IpMap<SlidingLog> = IpMap::default();
    // Admissions per real address: the ground truth for "over the limit".
    let mut truth: IpMap<SlidingLog> = IpMap::default();
    let (mut attacks, mut attacks_admitted, mut honest, mut honest_refused) = (0u64, 0, 0, 0);
    let mut over = 0u64;
    let mut journeys: Vec<Journey> = Vec::new();
    let mut capped = false;

    q.schedule_at(rng.below(attack_gap_us), Event::Attack);
    for user in 0..honest_users {
        q.schedule_at(rng.below(honest_gap_us), Event::Honest { user });
    }
    while let Some(event) = q.pop() {
        if q.processed() > MAX_EVENTS {
            capped = true;
            break;
        }
        let now = q.now();
        // What the caller wrote, and the peer address the balancer appends.
        let (written, peer, lane) = match event {
            Event::Attack => (rng.next_u64() as u32, ATTACKER_IP, 1),
            Event::Honest { user } => {
                let ip = FIRST_HONEST_IP.wrapping_add(user);
                (ip, ip, 0)
            }
        };
        let key = match variant {
            Variant::Naive => written,
            Variant::Fixed => peer,
        };
        let decided = now + NET_US + BALANCER_US + APP_US;
        let admit = limiter
            .entry(key)
            .or_default()
            .try_admit(decided, window_us, limit);
        let fate = if admit {
            let log = truth.entry(peer).or_default();
            let already = log.count(decided, window_us);
            log.record(decided);
            if already >= limit {
                over += 1;
                Fate::Anomaly
            } else {
                Fate::Ok
            }
        } else {
            Fate::Rejected
        };
        match event {
            Event::Attack => {
                attacks += 1;
                attacks_admitted += u64::from(admit);
                let next = now.saturating_add(rng.between(1, 2 * attack_gap_us));
                if next < length_us {
                    q.schedule_at(next, Event::Attack);
                }
            }
            Event::Honest { user } => {
                honest += 1;
                honest_refused += u64::from(!admit);
                let gap = rng.between(honest_gap_us / 2, honest_gap_us + honest_gap_us / 2);
                let next = now.saturating_add(gap.max(1));
                if next < length_us {
                    q.schedule_at(next, Event::Honest { user });
                }
            }
        }
        if trace && journeys.len() < MAX_JOURNEYS {
            let hop = |stage, lane, start_us, end_us| Hop {
                stage,
                lane,
                start_us,
                end_us,
            };
            journeys.push(Journey {
                id: journeys.len() as u32,
                hops: vec![
                    hop(Stage::Client, lane, now, now + NET_US),
                    hop(Stage::Balancer, 0, now + NET_US, now + NET_US + BALANCER_US),
                    hop(Stage::Replica, 0, now + NET_US + BALANCER_US, decided),
                    hop(Stage::Client, lane, decided, decided + NET_US),
                ],
                fate,
            });
        }
    }

    let metric = |name, value, unit| Metric { name, value, unit };
    Run {
        outcome: Outcome {
            failures: over,
            out_of: attacks + honest,
            metrics: vec![
                metric("attack requests", attacks, "requests"),
                metric("attack requests admitted", attacks_admitted, "requests"),
                metric(
                    "attack requests admitted per minute",
                    attacks_admitted.saturating_mul(60_000_000) / length_us,
                    "requests/min",
                ),
                metric("honest requests", honest, "requests"),
                metric("honest requests refused", honest_refused, "requests"),
                metric("limiter keys", limiter.len() as u64, "keys"),
            ],
            events: q.processed(),
            capped,
        },
        journeys,
        series: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    #[test]
    fn pinned_sweep_seed_42() {
        let sw = sweep(&SpoofableClientIp, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [0, 22, 78, 304, 909, 1779, 2979, 6029]);
        assert_eq!(sw.first_failing_load(), Some(10));
        let l = &sw.levels[4];
        let text = SpoofableClientIp.summary(&Settings::defaults(&INFO), 300, &l.naive, &l.fixed);
        assert!(
            text.contains("admitted 914 of 914 attack requests"),
            "{text}"
        );
        for l in &sw.levels {
            let attacks = l.naive.metric("attack requests").unwrap();
            // Every spoofed address is a fresh key: the whole attack gets through.
            assert_eq!(l.naive.metric("attack requests admitted"), Some(attacks));
            assert!(l.naive.metric("limiter keys").unwrap() > attacks);
            // Keyed on the peer: at most 5 a minute for 3 minutes, and one key per client.
            assert_eq!(l.fixed.failures, 0);
            assert!(l.fixed.metric("attack requests admitted").unwrap() <= 15);
            assert_eq!(l.fixed.metric("limiter keys"), Some(21));
            // Honest users send 2 a minute: under the limit with either key.
            assert_eq!(l.naive.metric("honest requests refused"), Some(0));
            assert_eq!(l.fixed.metric("honest requests refused"), Some(0));
        }
        let last = &sw.levels[7];
        assert_eq!(
            last.naive.metric("attack requests admitted per minute"),
            Some(2011)
        );
        assert_eq!(
            last.fixed.metric("attack requests admitted per minute"),
            Some(5)
        );
    }

    #[test]
    fn a_tight_limit_refuses_honest_users_only_when_they_exceed_it() {
        let mut p = Params::default();
        p.set("limit", 1).set("honest_per_minute", 4);
        let (s, _) = Settings::resolve(&INFO, &p);
        let naive = SpoofableClientIp
            .run(&s, Variant::Naive, 100, 42, false)
            .outcome;
        let fixed = SpoofableClientIp
            .run(&s, Variant::Fixed, 100, 42, false)
            .outcome;
        // Honest users are their own addresses either way, so they fare the same.
        assert!(naive.metric("honest requests refused").unwrap() > 0);
        assert_eq!(
            naive.metric("honest requests refused"),
            fixed.metric("honest requests refused")
        );
        assert_eq!(fixed.failures, 0);
        assert!(naive.failures > 0);
    }

    #[test]
    fn journeys_colour_the_attack() {
        let s = Settings::defaults(&INFO);
        let naive = SpoofableClientIp.run(&s, Variant::Naive, 300, 42, true);
        let fixed = SpoofableClientIp.run(&s, Variant::Fixed, 300, 42, true);
        let count = |r: &Run, f: Fate| r.journeys.iter().filter(|j| j.fate == f).count() as u64;
        assert_eq!(count(&naive, Fate::Anomaly), naive.outcome.failures);
        assert_eq!(count(&naive, Fate::Rejected), 0);
        assert_eq!(count(&fixed, Fate::Anomaly), 0);
        let attacks = fixed.outcome.metric("attack requests").unwrap();
        let admitted = fixed.outcome.metric("attack requests admitted").unwrap();
        assert_eq!(count(&fixed, Fate::Rejected), attacks - admitted);
        // The attacker draws in its own client lane.
        let attacker_lane = |r: &Run| {
            r.journeys
                .iter()
                .filter(|j| j.hops.first().is_some_and(|h| h.lane == 1))
                .count() as u64
        };
        assert_eq!(attacker_lane(&fixed), attacks);
    }

    #[test]
    fn window_words_and_milliseconds() {
        assert_eq!(window_seconds("minute"), Some(60));
        assert_eq!(window_seconds("Hour"), Some(3_600));
        assert_eq!(window_seconds("60000 ms"), Some(60));
        assert_eq!(window_seconds("15 * 60 * 1000 ms"), Some(900));
        assert_eq!(window_seconds("1 ms"), Some(1));
        assert_eq!(window_seconds("WINDOW ms"), None);
        assert_eq!(window_seconds("fortnight"), None);
        let f = finding_with(
            "spoofable-client-ip",
            &[("rate_limit", "10"), ("window", "15 * 60 * 1000 ms")],
        );
        let p = SpoofableClientIp.params_from_finding(&f);
        assert_eq!(p.0.get("limit"), Some(&10));
        assert_eq!(p.0.get("window_s"), Some(&900));
        let bare = finding_with("spoofable-client-ip", &[("header", "X-Forwarded-For")]);
        assert!(SpoofableClientIp.params_from_finding(&bare).0.is_empty());
    }
}
