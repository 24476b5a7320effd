//! in-memory-shared-state: sessions (or locks, or job status) kept in a process's memory, with
//! several processes behind a load balancer.
//!
//! Users arrive within `arrival_window_s`; each logs in, then makes `follow_ups` requests a few
//! seconds apart. The load balancer sends every request to one of `processes` app processes
//! (replicas × workers, each with its own memory) at random, as kube-proxy and most cloud
//! balancers do without sticky sessions. Users do not affect one another, so each user's
//! requests are stepped through in order.
//!
//! **Naive**: the login stores the session in the memory of the process that served it. A
//! follow-up served by another process finds no session: the user is logged out (the headline
//! failure), logs in again there, and continues with a new session only that process knows.
//! With `P` processes about `(P − 1) / P` of the follow-ups fail, whatever the load: the
//! hazard is invisible on a laptop with one process and constant in production.
//!
//! **Fixed**: sessions live in a shared store (Redis or the database) that every process reads,
//! so no follow-up can miss one; each request pays one store round trip.
//!
//! Defaults: 3 processes (3 replicas, 1 worker each), 5 follow-ups 1–3 s apart, 20 ms of app
//! time per request, 1 ms per store read.

use super::record::Journal;
use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::Variant;

pub struct InMemorySharedState;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "processes",
        label: "App processes (replicas × workers)",
        unit: "processes",
        default: 3,
        min: 1,
        max: 64,
    },
    ParamSpec {
        name: "follow_ups",
        label: "Requests after logging in",
        unit: "requests",
        default: 5,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "think_ms",
        label: "Time between a user's requests (longest)",
        unit: "ms",
        default: 3_000,
        min: 2,
        max: 600_000,
    },
    ParamSpec {
        name: "service_ms",
        label: "App time per request",
        unit: "ms",
        default: 20,
        min: 1,
        max: 10_000,
    },
    ParamSpec {
        name: "arrival_window_s",
        label: "Users arrive within",
        unit: "s",
        default: 10,
        min: 1,
        max: 3_600,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "in-memory-shared-state",
    title: "Sessions in process memory behind a load balancer",
    metric: "requests that found no session",
    unit: "requests",
    load_label: "concurrent users",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: 2_000,
    params: PARAMS,
    naive_label: "session in the process's memory",
    fixed_label: "session in a shared store",
    stages: &[Stage::Client, Stage::Balancer, Stage::Replica, Stage::Cache],
};

/// Client → balancer → process network time.
const NET_US: u64 = 1_000;
/// One read or write of the shared store (fixed).
const STORE_US: u64 = 1_000;

/// Figures of one run.
#[derive(Default)]
struct Tally {
    follow_ups: u64,
    missing: u64,
    logins: u64,
    users_logged_out: u64,
}

fn simulate(s: &Settings, variant: Variant, users: u32, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let processes = s.get("processes").clamp(1, 64);
    let follow_ups = s.get("follow_ups");
    let think_us = s.get("think_ms").saturating_mul(1_000);
    let service_us = s.get("service_ms").saturating_mul(1_000);
    let window_us = s.get("arrival_window_s").saturating_mul(1_000_000);
    let mut journal = Journal::new(trace);
    let mut next_id: u32 = 0;
    let mut t = Tally::default();
    for _ in 0..users {
        let mut now = rng.below(window_us);
        // Processes that hold this user's current session (bit per process).
        let mut known: u64 = 0;
        let mut logged_out = false;
        for request in 0..=follow_ups {
            let process = rng.below(processes);
            let bit = 1u64 << process;
            let is_login = request == 0;
            let found = match variant {
                Variant::Naive => known & bit != 0,
                Variant::Fixed => true,
            };
            let store = if variant == Variant::Fixed {
                STORE_US
            } else {
                0
            };
            let id = next_id;
            next_id = next_id.saturating_add(1);
            let at_process = now + NET_US;
            let work = rng.between(service_us / 2, service_us);
            journal.hop(id, Stage::Client, 0, now, now);
            journal.hop(id, Stage::Balancer, 0, now, at_process);
            journal.hop(
                id,
                Stage::Replica,
                process as u32,
                at_process,
                at_process + work,
            );
            if store > 0 {
                journal.hop(
                    id,
                    Stage::Cache,
                    0,
                    at_process + work,
                    at_process + work + store,
                );
            }
            let mut end = at_process + work + store;
            if is_login {
                t.logins += 1;
                known = bit;
            } else {
                t.follow_ups += 1;
                if !found {
                    // Logged out: this process has never seen the session. The user logs in
                    // again here and carries on with a session only this process holds.
                    t.missing += 1;
                    t.logins += 1;
                    logged_out = true;
                    journal.fate(id, Fate::Anomaly);
                    end += work;
                    known = bit;
                }
            }
            now = end + NET_US + rng.between(think_us / 3, think_us);
        }
        t.users_logged_out += logged_out as u64;
    }
    let outcome = Outcome {
        failures: t.missing,
        out_of: t.follow_ups,
        metrics: vec![
            Metric {
                name: "logins",
                value: t.logins,
                unit: "logins",
            },
            Metric {
                name: "users logged out at least once",
                value: t.users_logged_out,
                unit: "users",
            },
            Metric {
                name: "failure share",
                value: (t.missing * 1000).checked_div(t.follow_ups).unwrap_or(0),
                unit: "‰",
            },
        ],
        events: t.follow_ups + users as u64,
        capped: false,
    };
    Run {
        outcome,
        journeys: journal.finish(),
        series: Vec::new(),
    }
}

impl Model for InMemorySharedState {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The deployment the code states: its total processes, or replicas × workers.
    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        let replicas = finding_number(finding, "replicas");
        let workers = finding_number(finding, "workers");
        let processes = finding_number(finding, "processes").or(match (replicas, workers) {
            (Some(r), Some(w)) => Some(r.saturating_mul(w)),
            (r, w) => r.or(w),
        });
        if let Some(n) = processes {
            p.set("processes", n);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        let users = load.clamp(1, INFO.max_load) as u32;
        simulate(settings, variant, users, seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        format!(
            "At {load} concurrent users, each logging in and then making {} requests, spread over \
             {} processes that each keep sessions in their own memory, {} of {} requests ({} ‰) \
             landed on a process that had never seen the user's session and logged the user out; \
             {} users were logged out at least once. With sessions in a shared store, {} of {}.",
            settings.get("follow_ups"),
            settings.get("processes"),
            naive.failures,
            naive.out_of,
            naive.metric("failure share").unwrap_or(0),
            naive.metric("users logged out at least once").unwrap_or(0),
            fixed.failures,
            fixed.out_of,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&InMemorySharedState, &Params::default(), 42, &[]);
        // About two thirds of the follow-ups with 3 processes, at every load.
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [2, 4, 13, 34, 66, 171, 353, 680]
        );
        assert_eq!(
            sw.column(|l| l.naive.out_of),
            [5, 10, 25, 50, 100, 250, 500, 1000]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
    }

    /// One process (a laptop, `uvicorn` with one worker): the hazard does not show.
    #[test]
    fn one_process_hides_it_more_processes_worsen_it() {
        let mut one = Params::default();
        one.set("processes", 1);
        let one = sweep(&InMemorySharedState, &one, 42, &[200]);
        assert_eq!(one.levels[0].naive.failures, 0);
        let mut twelve = Params::default();
        twelve.set("processes", 12);
        let twelve = sweep(&InMemorySharedState, &twelve, 42, &[200]);
        let share = twelve.levels[0].naive.metric("failure share").unwrap_or(0);
        assert!((880..=950).contains(&share), "{share}");
    }

    #[test]
    fn settings_from_a_finding() {
        let finding = |pairs: &[(&str, &str)]| finding_with("in-memory-shared-state", pairs);
        let p = InMemorySharedState.params_from_finding(&finding(&[
            ("processes", "12"),
            ("replicas", "3"),
            ("workers", "4"),
        ]));
        assert_eq!(p.0.get("processes"), Some(&12));
        let p = InMemorySharedState
            .params_from_finding(&finding(&[("replicas", "3"), ("workers", "4")]));
        assert_eq!(p.0.get("processes"), Some(&12));
        let p = InMemorySharedState.params_from_finding(&finding(&[("state", "sessions")]));
        assert!(p.0.is_empty());
    }

    #[test]
    fn journeys_mark_the_logged_out_requests() {
        let s = Settings::defaults(&INFO);
        let run = InMemorySharedState.run(&s, Variant::Naive, 10, 42, true);
        assert_eq!(run.journeys.len() as u64, 10 * 6);
        let bad = run
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count() as u64;
        assert_eq!(bad, run.outcome.failures);
        let fixed = InMemorySharedState.run(&s, Variant::Fixed, 10, 42, true);
        assert!(fixed
            .journeys
            .iter()
            .all(|j| j.fate == Fate::Ok && j.hops.last().map(|h| h.stage) == Some(Stage::Cache)));
    }
}
