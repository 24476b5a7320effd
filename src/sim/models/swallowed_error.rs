//! swallowed-error: a handler that catches a failed database write and answers success.
//!
//! Users save something (an order note, a profile, a webhook's effect) during five minutes.
//! Each save is one write. The database fails some writes at random (`error_per_mille`:
//! connection resets, failovers, lock timeouts) and all of them during a short outage two
//! minutes in. A failed write did not commit.
//!
//! - **Naive**: the handler's `except: pass` / `catch {}` swallows the error and answers
//!   200 "saved". The user moves on; the write is gone and nobody knows: a silent loss.
//! - **Fixed**: the handler logs the error and answers 503; the client retries with
//!   exponential backoff and jitter (`retries` times, starting at `backoff_ms`). A write that
//!   still fails is shown to the user as an error. Success is answered only after a commit,
//!   so silent losses are 0 by construction; visible failures are counted apart.
//!
//! Defaults: 1.5 % transient errors and a 20 s outage (a managed database's failover takes
//! 15–60 s); 3 retries from 500 ms. The story: two assistants' integrations swallowed database
//! connection errors, and a payment abstraction hid the provider's error details.

use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};

pub struct SwallowedError;

/// Saves arrive during this window.
const WINDOW_US: u64 = 300_000_000;
/// The outage starts this far into the window.
const OUTAGE_START_US: u64 = 120_000_000;
/// Network time between the browser and the replica, each way.
const NETWORK_US: u64 = 10_000;
/// Handler time before and after the write.
const HANDLER_US: (u64, u64) = (500, 1_500);
/// A write that commits.
const WRITE_US: (u64, u64) = (2_000, 6_000);
/// A write that fails (reset, refused): errors come back fast.
const ERROR_US: (u64, u64) = (1_000, 5_000);

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "error_per_mille",
        label: "Writes failing at random",
        unit: "‰",
        default: 15,
        min: 0,
        max: 200,
    },
    ParamSpec {
        name: "outage_s",
        label: "Database outage (2 min in)",
        unit: "s",
        default: 20,
        min: 0,
        max: 180,
    },
    ParamSpec {
        name: "retries",
        label: "Client retries (fixed)",
        unit: "retries",
        default: 3,
        min: 0,
        max: 10,
    },
    ParamSpec {
        name: "backoff_ms",
        label: "First retry after (fixed)",
        unit: "ms",
        default: 500,
        min: 100,
        max: 10_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "swallowed-error",
    title: "A failed write caught and answered as success",
    metric: "writes lost silently",
    unit: "saves",
    load_label: "saves in five minutes",
    loads: &[10, 20, 50, 100, 200, 500, 1_000, 5_000],
    max_load: 20_000,
    params: PARAMS,
    naive_label: "catch, then answer 200",
    fixed_label: "log, 503, client retries with backoff",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Saved,
    /// The write failed and the handler said it was saved.
    LostSilently,
    /// The write failed every attempt and the user was told.
    FailedVisibly,
}

fn simulate(s: &Settings, variant: Variant, saves: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let error_per_mille = s.get("error_per_mille").min(200);
    let outage_end = OUTAGE_START_US + s.get("outage_s").min(180) * 1_000_000;
    let retries = match variant {
        Variant::Naive => 0,
        Variant::Fixed => s.get("retries").min(10),
    };
    let backoff_us = s.get("backoff_ms").clamp(100, 10_000) * 1_000;
    let mut arrivals: Vec<u64> = (0..saves).map(|_| rng.below(WINDOW_US)).collect();
    arrivals.sort_unstable();
    let (mut saved, mut lost, mut visible, mut attempts, mut failed_writes) = (0, 0, 0, 0, 0);
    let mut times = Vec::with_capacity(arrivals.len());
    let mut journeys = Vec::new();
    for (i, &arrive) in arrivals.iter().enumerate() {
        let keep = trace && journeys.len() < MAX_JOURNEYS;
        let mut hops = Vec::new();
        let mut hop = |stage, start_us, end_us| {
            if keep {
                hops.push(Hop {
                    stage,
                    lane: 0,
                    start_us,
                    end_us,
                });
            }
        };
        let mut t = arrive;
        let mut attempt = 0;
        let end = loop {
            attempts += 1;
            let reached = t + NETWORK_US;
            let asked = reached + rng.between(HANDLER_US.0, HANDLER_US.1);
            let fails =
                (OUTAGE_START_US..outage_end).contains(&asked) || rng.chance(error_per_mille);
            let answered = asked
                + if fails {
                    rng.between(ERROR_US.0, ERROR_US.1)
                } else {
                    rng.between(WRITE_US.0, WRITE_US.1)
                };
            let replied = answered + rng.between(HANDLER_US.0, HANDLER_US.1);
            let received = replied + NETWORK_US;
            hop(Stage::Client, t, reached);
            hop(Stage::Replica, reached, asked);
            hop(Stage::Database, asked, answered);
            hop(Stage::Replica, answered, replied);
            t = received;
            if !fails {
                hop(Stage::Client, replied, received);
                break End::Saved;
            }
            failed_writes += 1;
            if variant == Variant::Naive {
                // The error is caught and dropped: the response says "saved".
                hop(Stage::Client, replied, received);
                break End::LostSilently;
            }
            if attempt >= retries {
                hop(Stage::Client, replied, received);
                break End::FailedVisibly;
            }
            // Exponential backoff with jitter: half fixed, half random, doubling each time.
            let step = backoff_us.saturating_mul(1 << attempt);
            let wait = step / 2 + rng.below(step / 2 + 1);
            hop(Stage::Client, replied, received + wait);
            t = received + wait;
            attempt += 1;
        };
        match end {
            End::Saved => saved += 1,
            End::LostSilently => lost += 1,
            End::FailedVisibly => visible += 1,
        }
        times.push(t - arrive);
        if keep {
            journeys.push(Journey {
                id: i as u32,
                hops,
                fate: match end {
                    End::Saved => Fate::Ok,
                    End::LostSilently => Fate::Anomaly,
                    End::FailedVisibly => Fate::Failed,
                },
            });
        }
    }
    let outcome = Outcome {
        failures: lost,
        out_of: saves,
        metrics: vec![
            Metric {
                name: "writes committed",
                value: saved,
                unit: "saves",
            },
            Metric {
                name: "answered saved",
                value: saved + lost,
                unit: "saves",
            },
            Metric {
                name: "failed visibly",
                value: visible,
                unit: "saves",
            },
            Metric {
                name: "failed writes",
                value: failed_writes,
                unit: "attempts",
            },
            Metric {
                name: "retries",
                value: attempts - saves,
                unit: "attempts",
            },
            Metric {
                name: "p99 save time",
                value: percentile(&mut times, 99) / 1_000,
                unit: "ms",
            },
        ],
        events: attempts,
        capped: false,
    };
    Run {
        outcome,
        journeys,
        series: Vec::new(),
    }
}

impl Model for SwallowedError {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding names the call and what the handler does with the error; the failure
    /// rates are the database's.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "Of {load} saves in five minutes, with {} ‰ of writes failing and a {}-second \
             outage, {} writes failed and the handler answered \"saved\" anyway: {} saves lost \
             without a trace ({} committed). With the error logged and answered as 503, and \
             the client retrying with backoff: {} lost silently, {} committed after {} \
             retries, {} failed visibly (the user saw the error and can try again).",
            settings.get("error_per_mille"),
            settings.get("outage_s"),
            m(naive, "failed writes"),
            naive.failures,
            m(naive, "writes committed"),
            fixed.failures,
            m(fixed, "writes committed"),
            m(fixed, "retries"),
            m(fixed, "failed visibly"),
        )
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
        let sw = sweep(&SwallowedError, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 0, 1, 1, 11, 45, 80, 412]
        );
        // Every save was answered "saved"; the lost ones never reached the table.
        assert!(sw
            .levels
            .iter()
            .all(|l| metric(&l.naive, "answered saved") == l.load
                && metric(&l.naive, "writes committed") + l.naive.failures == l.load));
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "failed visibly")),
            [0, 0, 0, 1, 8, 32, 60, 292]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "retries")),
            [0, 0, 2, 3, 25, 110, 217, 1_065]
        );
        // The fix answers "saved" only for committed writes.
        assert!(sw.levels.iter().all(|l| metric(&l.fixed, "answered saved")
            == metric(&l.fixed, "writes committed")
            && metric(&l.fixed, "writes committed") + metric(&l.fixed, "failed visibly")
                == l.load));
        assert_eq!(sw.first_failing_load(), Some(50));
    }

    /// Without the outage, retries with backoff ride out the random errors: of 5,000 saves
    /// none is lost and (almost) none fails visibly; the naive handler still loses ~1.5 %.
    #[test]
    fn retries_cover_transient_errors_not_an_outage() {
        let mut p = Params::default();
        p.set("outage_s", 0);
        let sw = sweep(&SwallowedError, &p, 42, &[5_000]);
        let l = &sw.levels[0];
        assert!(
            (50..100).contains(&l.naive.failures),
            "{}",
            l.naive.failures
        );
        assert_eq!(metric(&l.fixed, "failed visibly"), 0);
        assert_eq!(metric(&l.fixed, "writes committed"), 5_000);
        let mut p = Params::default();
        p.set("outage_s", 0).set("error_per_mille", 0);
        let clean = sweep(&SwallowedError, &p, 42, &[5_000]);
        assert_eq!(clean.levels[0].naive.failures, 0);
        // Retries that outlast the outage: 8 retries from 1 s wait over two minutes.
        let mut p = Params::default();
        p.set("retries", 8).set("backoff_ms", 1_000);
        let patient = sweep(&SwallowedError, &p, 42, &[5_000]);
        assert_eq!(metric(&patient.levels[0].fixed, "failed visibly"), 0);
    }

    #[test]
    fn journeys_show_retries_and_the_outcome() {
        let s = Settings::defaults(&INFO);
        let naive = SwallowedError.run(&s, Variant::Naive, 1_000, 42, true);
        let anomalies = naive
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count();
        assert_eq!(anomalies as u64, naive.outcome.failures);
        assert!(naive.journeys.iter().all(|j| j.hops.len() == 5));
        let fixed = SwallowedError.run(&s, Variant::Fixed, 1_000, 42, true);
        let failed = fixed
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Failed)
            .count();
        assert_eq!(failed as u64, metric(&fixed.outcome, "failed visibly"));
        assert!(fixed
            .journeys
            .iter()
            .all(|j| j.fate != Fate::Anomaly
                && j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us)));
        // A save that used all three retries: four attempts of five hops (out, handler,
        // database, handler, back or waiting for the next try).
        assert!(fixed.journeys.iter().any(|j| j.hops.len() == 20));
    }
}
