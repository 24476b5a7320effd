//! check-then-act: the ticket sale of [`crate::sim::race`], seen through the common
//! [`Model`] shape (settings, journeys for the animation, a summary).

use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::race::{self, RaceSettings, Step, WriteOutcome};
use crate::sim::rng::Latency;
use crate::sim::Variant;

pub struct CheckThenAct;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "seats",
        label: "Seats on sale",
        unit: "seats",
        default: 100,
        min: 1,
        max: 100_000,
    },
    ParamSpec {
        name: "hot_seats",
        label: "Front-row seats most buyers want",
        unit: "seats",
        default: 5,
        min: 1,
        max: 100_000,
    },
    ParamSpec {
        name: "gap_ms",
        label: "Read → write gap (longest)",
        unit: "ms",
        default: 60,
        min: 0,
        max: 60_000,
    },
    ParamSpec {
        name: "db_pool",
        label: "Database pool",
        unit: "connections",
        default: 10,
        min: 1,
        max: 10_000,
    },
    ParamSpec {
        name: "arrival_window_ms",
        label: "Rush window",
        unit: "ms",
        default: 300,
        min: 1,
        max: 3_600_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "check-then-act",
    title: "Ticket sale: read a seat, decide, then write a hold",
    metric: "double bookings",
    unit: "bookings",
    load_label: "concurrent buyers",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: RaceSettings::MAX_CLIENTS as u64,
    params: PARAMS,
    naive_label: "SELECT, then a blind UPDATE",
    fixed_label: "one atomic conditional UPDATE",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

/// The race model's settings for these model settings.
pub fn race_settings(s: &Settings, seed: u64) -> RaceSettings {
    let base = RaceSettings::default();
    let gap = s.get("gap_ms");
    RaceSettings {
        seats: s.get("seats") as u32,
        hot_seats: (s.get("hot_seats") as u32).min(s.get("seats") as u32),
        think: Latency::ms(gap / 6, gap),
        db_pool: s.get("db_pool") as u32,
        arrival_window_ms: s.get("arrival_window_ms"),
        seed,
        ..base
    }
    .clamped()
}

impl Model for CheckThenAct {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        // Every await between the read and the write is another round trip in the gap.
        if let Some(awaits) = finding_number(finding, "awaits_between") {
            p.set("gap_ms", 60 + awaits.min(20) * 100);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        let rs = race_settings(settings, seed);
        let clients = load.clamp(1, INFO.max_load) as u32;
        if !trace {
            let r = race::measure_level(&rs, variant, clients);
            return Run {
                outcome: outcome(&r),
                journeys: Vec::new(),
                series: Vec::new(),
            };
        }
        let run = race::run_level(&rs, variant, clients);
        Run {
            outcome: outcome(&run.result),
            journeys: journeys(&run.trace),
            series: Vec::new(),
        }
    }

    fn summary(&self, _settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        format!(
            "At {load} concurrent buyers, {} of {} bookings were double-booked: two buyers were told \
             the same seat was theirs. With the atomic conditional write, {}; {} conflicting \
             attempts were told to pick another seat instead.",
            naive.failures,
            naive.out_of,
            fixed.failures,
            fixed.metric("conflicts").unwrap_or(0),
        )
    }
}

fn outcome(r: &race::LevelResult) -> Outcome {
    Outcome {
        failures: r.double_bookings as u64,
        out_of: r.bookings as u64,
        metrics: vec![
            Metric {
                name: "bookings",
                value: r.bookings as u64,
                unit: "bookings",
            },
            Metric {
                name: "conflicts",
                value: r.conflicts as u64,
                unit: "attempts",
            },
            Metric {
                name: "gave up",
                value: r.gave_up as u64,
                unit: "buyers",
            },
            Metric {
                name: "p50 latency",
                value: r.p50_us / 1000,
                unit: "ms",
            },
            Metric {
                name: "p99 latency",
                value: r.p99_us / 1000,
                unit: "ms",
            },
        ],
        events: r.events,
        capped: false,
    }
}

/// Database hops for each query, an app hop for the gap between read and write.
fn journeys(trace: &[race::TraceEvent]) -> Vec<Journey> {
    let mut out: Vec<Journey> = Vec::new();
    let mut open_db: Vec<u64> = Vec::new();
    let mut open_app: Vec<u64> = Vec::new();
    for e in trace {
        let c = e.client as usize;
        if c >= MAX_JOURNEYS {
            continue;
        }
        if out.len() <= c {
            out.resize_with(c + 1, || Journey {
                id: 0,
                hops: Vec::new(),
                fate: Fate::Ok,
            });
            open_db.resize(c + 1, 0);
            open_app.resize(c + 1, 0);
        }
        let j = &mut out[c];
        j.id = e.client;
        match e.step {
            Step::Arrive => open_app[c] = e.t_us,
            Step::ReadStart { .. } | Step::WriteStart { .. } => {
                if e.t_us > open_app[c] || j.hops.is_empty() {
                    j.hops.push(Hop {
                        stage: Stage::Replica,
                        lane: 0,
                        start_us: open_app[c],
                        end_us: e.t_us,
                    });
                }
                open_db[c] = e.t_us;
            }
            Step::ReadDone { .. } | Step::WriteDone { .. } => {
                j.hops.push(Hop {
                    stage: Stage::Database,
                    lane: 0,
                    start_us: open_db[c],
                    end_us: e.t_us,
                });
                open_app[c] = e.t_us;
                if let Step::WriteDone {
                    outcome: WriteOutcome::DoubleBooked { victim },
                    ..
                } = e.step
                {
                    j.fate = Fate::Anomaly;
                    if let Some(v) = out.get_mut(victim as usize) {
                        v.fate = Fate::Anomaly;
                    }
                }
            }
            Step::Finish { booked } => {
                j.hops.push(Hop {
                    stage: Stage::Client,
                    lane: 0,
                    start_us: open_app[c],
                    end_us: e.t_us,
                });
                if !booked && j.fate == Fate::Ok {
                    j.fate = Fate::Rejected;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_reproduce_the_race_model() {
        let s = Settings::defaults(&INFO);
        let rs = race_settings(&s, 42);
        assert_eq!(rs, RaceSettings::default());
        let sw = sweep(&CheckThenAct, &Params::default(), 42, &[]);
        let naive: Vec<u64> = sw.levels.iter().map(|l| l.naive.failures).collect();
        assert_eq!(naive, [0, 0, 0, 0, 3, 5, 26, 74]);
        assert!(sw.levels.iter().all(|l| l.fixed.failures == 0));
        assert_eq!(sw.first_failing_load(), Some(20));
    }

    #[test]
    fn journeys_mark_both_sides_of_a_double_booking() {
        let s = Settings::defaults(&INFO);
        let run = CheckThenAct.run(&s, Variant::Naive, 50, 42, true);
        let anomalies = run
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count();
        assert!(anomalies as u64 > run.outcome.failures);
        assert_eq!(run.journeys.len(), 50);
        assert!(run
            .journeys
            .iter()
            .all(|j| j.hops.windows(2).all(|w| w[0].end_us <= w[1].start_us + 1)));
    }
}
