//! expired-records-never-cleaned: seat holds written with an expiry that nothing deletes,
//! over days of running.
//!
//! Buyers place `holds_per_day` seat holds, more in the evening than at night, each written
//! as a row with `expires_at = now() + hold_minutes`. Time advances in 5-minute steps (holds
//! of a step are written at its start). Before each hold the availability query reads the
//! hold rows (no index on `expires_at`, so the planner scans them: `row_ns` per row read on
//! top of a 1–3 ms round trip); readers filter `expires_at > now()`, which hides expired rows
//! from the answer but not from the work.
//!
//! - **Naive**: nothing deletes a row. The table grows by a day's holds every day, and the
//!   availability query slows with it, month by month.
//! - **Fixed**: a job runs every `cleanup_minutes` (cron, pg_cron, a worker) with `DELETE
//!   FROM seat_holds WHERE expires_at < now()`. The table holds only the holds of roughly
//!   the last `hold_minutes + cleanup_minutes`.
//!
//! The headline counts *stale rows*: rows that expired more than one cleanup interval ago,
//! at the end of the run. The last cleanup ran less than one interval before the end and
//! deleted everything expired by then, so the fixed table has none by construction; every
//! expired row of the naive table older than that is one.
//!
//! Defaults: the story's 10-minute seat holds; 2,000 holds a day (a mid-size box office);
//! a cleanup every 5 minutes; 200 ns per row scanned (heap rows with visibility checks, in
//! memory).

use super::growth_parts::PeakSeries;
use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};
use std::collections::VecDeque;

pub struct ExpiredRecordsNeverCleaned;

const MINUTE_US: u64 = 60_000_000;
/// The simulation's time step.
const STEP_MIN: u64 = 5;
const STEPS_PER_DAY: u64 = 24 * 60 / STEP_MIN;
/// Relative busyness of each hour of the day: quiet nights, a busy evening.
const HOURLY_WEIGHT: [u64; 24] = [
    3, 2, 1, 1, 1, 2, 4, 7, 9, 10, 11, 12, 13, 12, 11, 11, 12, 14, 20, 22, 22, 18, 14, 8,
];
const WEIGHT_TOTAL: u64 = {
    let mut total = 0;
    let mut hour = 0;
    while hour < HOURLY_WEIGHT.len() {
        total += HOURLY_WEIGHT[hour];
        hour += 1;
    }
    total
};
/// Database round trip of the availability query, before the rows it reads.
const ROUND_TRIP_US: (u64, u64) = (1_000, 3_000);
/// Handler time before and after the query.
const HANDLER_US: u64 = 1_000;
/// Availability checks drawn in the animation, at most (spread evenly over the run).
const DRAWN_CHECKS: u64 = 1_000;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "holds_per_day",
        label: "Seat holds per day",
        unit: "holds",
        default: 2_000,
        min: 10,
        max: 100_000,
    },
    ParamSpec {
        name: "hold_minutes",
        label: "Hold expires after",
        unit: "min",
        default: 10,
        min: 1,
        max: 43_200,
    },
    ParamSpec {
        name: "cleanup_minutes",
        label: "Cleanup job every (fixed)",
        unit: "min",
        default: 5,
        min: 1,
        max: 1_440,
    },
    ParamSpec {
        name: "row_ns",
        label: "Time per row the query reads",
        unit: "ns",
        default: 200,
        min: 10,
        max: 10_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "expired-records-never-cleaned",
    title: "Seat holds that expire but are never deleted",
    metric: "stale rows",
    unit: "rows",
    load_label: "days running",
    loads: &[1, 7, 30, 60, 90, 180, 270, 365],
    max_load: 730,
    params: PARAMS,
    naive_label: "expired rows stay forever",
    fixed_label: "scheduled DELETE of expired rows",
    stages: &[Stage::Replica, Stage::Database],
};

/// The holds written in one step: they share an expiry.
struct Batch {
    expires_min: u64,
    rows: u64,
}

/// The hold rows, oldest first (expiries grow with the write time), and a cursor over
/// those already stale.
struct Holds {
    batches: VecDeque<Batch>,
    rows: u64,
    stale_batches: usize,
    stale_rows: u64,
}

impl Holds {
    fn write(&mut self, expires_min: u64, rows: u64) {
        if rows > 0 {
            self.batches.push_back(Batch { expires_min, rows });
            self.rows += rows;
        }
    }

    /// `DELETE … WHERE expires_at < now`; returns the rows deleted.
    fn delete_expired(&mut self, now_min: u64) -> u64 {
        let mut deleted = 0;
        while let Some(b) = self.batches.front() {
            if b.expires_min >= now_min {
                break;
            }
            deleted += b.rows;
            self.rows -= b.rows;
            if self.stale_batches > 0 {
                self.stale_batches -= 1;
                self.stale_rows -= b.rows;
            }
            self.batches.pop_front();
        }
        deleted
    }

    /// Rows that expired before `before_min`.
    fn stale(&mut self, before_min: u64) -> u64 {
        while let Some(b) = self.batches.get(self.stale_batches) {
            if b.expires_min >= before_min {
                break;
            }
            self.stale_rows += b.rows;
            self.stale_batches += 1;
        }
        self.stale_rows
    }

    /// Rows past their expiry at `now_min` (stale or not).
    fn expired(&self, now_min: u64) -> u64 {
        self.batches
            .iter()
            .take_while(|b| b.expires_min <= now_min)
            .map(|b| b.rows)
            .sum()
    }
}

fn simulate(s: &Settings, variant: Variant, days: u64, seed: u64, trace: bool) -> Run {
    // Two streams, so a longer run starts with the same holds as a shorter one.
    let mut rng = Rng::new(seed);
    let mut check_rng = Rng::new(seed ^ 0x5eed_c4ec);
    let per_day = s.get("holds_per_day").clamp(10, 100_000);
    let hold_min = s.get("hold_minutes").clamp(1, 43_200);
    let cleanup_min = s.get("cleanup_minutes").clamp(1, 1_440);
    let row_ns = s.get("row_ns").clamp(10, 10_000);
    let steps = days.saturating_mul(STEPS_PER_DAY);
    let draw_every = (steps / DRAWN_CHECKS).max(1);
    let mut holds = Holds {
        batches: VecDeque::new(),
        rows: 0,
        stale_batches: 0,
        stale_rows: 0,
    };
    let mut gauge = PeakSeries::new(trace);
    let mut journeys = Vec::new();
    let mut last_day_checks = Vec::new();
    let mut placed = 0u64;
    let mut peak_rows = 0u64;
    let mut deleted = 0u64;
    let mut cleanups = 0u64;
    // Thousandths of a hold carried from step to step, so small rates still add up.
    let mut carry_milli = 0u64;
    // Busier and quieter hours than the daily profile: ±50 %, drawn once an hour.
    let mut hour_pct = 100;
    for step in 0..steps {
        let start_min = step * STEP_MIN;
        if start_min.is_multiple_of(60) {
            hour_pct = rng.between(50, 150);
        }
        let hour = ((start_min / 60) % 24) as usize;
        let weight = HOURLY_WEIGHT.get(hour).copied().unwrap_or(10);
        let expected_milli = per_day * weight * 1_000 / WEIGHT_TOTAL / (60 / STEP_MIN);
        let drawn_milli = expected_milli * hour_pct / 100 + carry_milli;
        let written = drawn_milli / 1_000;
        carry_milli = drawn_milli % 1_000;
        let last_day = step + STEPS_PER_DAY >= steps;
        let drawn = step.is_multiple_of(draw_every);
        // The availability check before a hold reads the rows there are now. Its time is
        // kept for the last day's figures and the drawn checks.
        let check_us = if last_day || drawn {
            check_rng
                .between(ROUND_TRIP_US.0, ROUND_TRIP_US.1)
                .saturating_add(holds.rows.saturating_mul(row_ns) / 1_000)
        } else {
            0
        };
        if trace && drawn && journeys.len() < MAX_JOURNEYS {
            let stale = holds.stale(start_min.saturating_sub(cleanup_min));
            let t = start_min * MINUTE_US;
            let asked = t + HANDLER_US;
            let answered = asked + check_us;
            journeys.push(Journey {
                id: journeys.len() as u32,
                hops: vec![
                    Hop {
                        stage: Stage::Replica,
                        lane: 0,
                        start_us: t,
                        end_us: asked,
                    },
                    Hop {
                        stage: Stage::Database,
                        lane: 0,
                        start_us: asked,
                        end_us: answered,
                    },
                    Hop {
                        stage: Stage::Replica,
                        lane: 0,
                        start_us: answered,
                        end_us: answered + HANDLER_US,
                    },
                ],
                // The check read rows that should have been gone.
                fate: if stale > 0 { Fate::Anomaly } else { Fate::Ok },
            });
        }
        holds.write(start_min + hold_min, written);
        placed += written;
        peak_rows = peak_rows.max(holds.rows);
        gauge.set(start_min * MINUTE_US, holds.rows);
        let end_min = start_min + STEP_MIN;
        if variant == Variant::Fixed {
            // The runs since the last step: deleting is monotone, so the latest one decides.
            let runs = end_min / cleanup_min - start_min / cleanup_min;
            if runs > 0 {
                cleanups += runs;
                let last_run_min = end_min / cleanup_min * cleanup_min;
                deleted += holds.delete_expired(last_run_min);
            }
        }
        if last_day && written > 0 {
            last_day_checks.push(check_us);
        }
        gauge.set(end_min * MINUTE_US, holds.rows);
    }
    let end_min = steps * STEP_MIN;
    let stale = holds.stale(end_min.saturating_sub(cleanup_min));
    let outcome = Outcome {
        failures: stale,
        out_of: placed,
        metrics: vec![
            Metric {
                name: "rows in the table",
                value: holds.rows,
                unit: "rows",
            },
            Metric {
                name: "peak rows",
                value: peak_rows,
                unit: "rows",
            },
            Metric {
                name: "expired rows",
                value: holds.expired(end_min),
                unit: "rows",
            },
            Metric {
                name: "p50 availability query",
                value: percentile(&mut last_day_checks.clone(), 50) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "p99 availability query",
                value: percentile(&mut last_day_checks, 99) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "rows deleted",
                value: deleted,
                unit: "rows",
            },
            Metric {
                name: "cleanup runs",
                value: cleanups,
                unit: "runs",
            },
        ],
        events: steps,
        capped: false,
    };
    Run {
        outcome,
        journeys,
        series: gauge.finish(),
    }
}

/// Minutes in an expiry interval as the analyzer quotes it: `10 minutes`, `1 hour`,
/// `10 * time.Minute`, `timedelta(hours=1)`, `15 * 60 * 1000` (milliseconds in JavaScript).
/// A bare number is seconds unless it has a factor 1000 (then milliseconds); fractions are
/// dropped; the result is rounded up to whole minutes. `None` when no number is found.
pub fn interval_minutes(text: &str) -> Option<u64> {
    let lower = text.trim().to_ascii_lowercase();
    let ms = if let Some(args) = lower.strip_prefix("timedelta(") {
        let mut total: Option<u64> = None;
        for arg in args.trim_end_matches(')').split(',') {
            // A positional argument is days, as in Python.
            let (unit, value) = arg.split_once('=').unwrap_or(("days", arg));
            let n = leading_digits(value.trim())?;
            let per = unit_ms(unit.trim()).unwrap_or(86_400_000);
            total = Some(total.unwrap_or(0).saturating_add(n.saturating_mul(per)));
        }
        total?
    } else {
        let mut product: Option<u64> = None;
        let mut unit: Option<u64> = None;
        let mut thousand = false;
        for token in lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
            if let Some(n) = leading_digits(token) {
                thousand |= n == 1_000;
                product = Some(product.unwrap_or(1).saturating_mul(n));
            }
            let word = token.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            for part in word.split('.') {
                unit = unit.or_else(|| unit_ms(part));
            }
        }
        let n = product?;
        match unit {
            Some(per) => n.saturating_mul(per),
            None if thousand => n,
            None => n.saturating_mul(1_000),
        }
    };
    Some(ms.div_ceil(60_000).max(1))
}

fn leading_digits(text: &str) -> Option<u64> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Milliseconds in a unit word (`minutes`, `hour` from `time.Hour`, `ms`); `None` for any
/// other word.
fn unit_ms(word: &str) -> Option<u64> {
    const UNITS: [(&str, u64); 10] = [
        ("ms", 1),
        ("milli", 1),
        ("week", 604_800_000),
        ("day", 86_400_000),
        ("hour", 3_600_000),
        ("h", 3_600_000),
        ("min", 60_000),
        ("m", 60_000),
        ("sec", 1_000),
        ("s", 1_000),
    ];
    UNITS
        .iter()
        .find(|(u, _)| match u.len() {
            1 => word == *u,
            _ => word.starts_with(u),
        })
        .map(|&(_, per)| per)
}

impl Model for ExpiredRecordsNeverCleaned {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(m) = finding
            .params
            .get("interval")
            .and_then(|t| interval_minutes(t))
        {
            p.set("hold_minutes", m);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "After {load} days at about {} holds a day, the table kept all {} hold rows ever \
             written, {} of them expired more than {} minutes ago; the availability query \
             read them all and took {} ms at the median ({} ms at p99) on the last day. \
             With a cleanup every {} minutes, the table held {} rows, {} stale, and the same \
             query took {} ms.",
            settings.get("holds_per_day"),
            m(naive, "rows in the table"),
            naive.failures,
            settings.get("cleanup_minutes"),
            m(naive, "p50 availability query"),
            m(naive, "p99 availability query"),
            settings.get("cleanup_minutes"),
            m(fixed, "rows in the table"),
            fixed.failures,
            m(fixed, "p50 availability query"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("hold rows in the table", "rows")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_as_the_analyzer_quotes_them() {
        let cases = [
            ("10 minutes", 10),
            ("1 hour", 60),
            ("30 days", 43_200),
            ("10 * time.Minute", 10),
            ("24 * time.Hour", 1_440),
            ("15 * 60 * 1000", 15),
            ("7 * 24 * 3600 * 1000", 10_080),
            ("timedelta(hours=1)", 60),
            ("timedelta(days=14)", 20_160),
            ("timedelta(minutes=5)", 5),
            ("timedelta(hours=1, minutes=30)", 90),
            ("timedelta(2)", 2_880),
            ("600", 10),
            ("90 seconds", 2),
            ("2 weeks", 20_160),
            ("2.5 hours", 120),
            ("30 s", 1),
        ];
        for (text, minutes) in cases {
            assert_eq!(interval_minutes(text), Some(minutes), "{text}");
        }
        for text in ["", "later", "timedelta(hours=x)", "time.Hour"] {
            assert_eq!(interval_minutes(text), None, "{text}");
        }
    }

    fn metric(o: &Outcome, name: &str) -> u64 {
        o.metric(name).unwrap_or(u64::MAX)
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&ExpiredRecordsNeverCleaned, &Params::default(), 42, &[]);
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [1_900, 14_431, 60_239, 119_467, 179_950, 360_185, 538_443, 730_522]
        );
        // Nothing is deleted: the table holds every hold placed.
        assert!(sw
            .levels
            .iter()
            .all(|l| metric(&l.naive, "rows in the table") == l.naive.out_of));
        assert_eq!(
            sw.column(|l| l.naive.out_of),
            [1_910, 14_440, 60_258, 119_483, 179_972, 360_197, 538_457, 730_543]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p50 availability query")),
            [2, 4, 13, 25, 37, 73, 109, 147]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "rows in the table")),
            [7, 6, 13, 11, 15, 8, 9, 14]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "peak rows")),
            [67, 67, 68, 69, 69, 69, 69, 69]
        );
        assert!(sw
            .levels
            .iter()
            .all(|l| metric(&l.fixed, "p99 availability query") <= 2));
        // Same holds in both variants; the fix deletes all but those still in the table.
        assert!(sw.levels.iter().all(|l| l.fixed.out_of == l.naive.out_of
            && metric(&l.fixed, "rows deleted") + metric(&l.fixed, "rows in the table")
                == l.fixed.out_of));
        assert_eq!(sw.first_failing_load(), Some(1));
    }

    /// A cleanup once an hour lets more expired rows pile up between runs (the peak), but
    /// none older than an hour: still 0 stale by the headline's definition.
    #[test]
    fn a_slower_cleanup_keeps_more_rows_between_runs() {
        let fast = sweep(&ExpiredRecordsNeverCleaned, &Params::default(), 42, &[30]);
        let mut p = Params::default();
        p.set("cleanup_minutes", 60);
        let slow = sweep(&ExpiredRecordsNeverCleaned, &p, 42, &[30]);
        let (f, s) = (&fast.levels[0].fixed, &slow.levels[0].fixed);
        assert_eq!((f.failures, s.failures), (0, 0));
        assert!(metric(s, "peak rows") > 2 * metric(f, "peak rows"));
        assert_eq!(metric(s, "cleanup runs"), 30 * 24);
        // Longer holds: more rows alive at once, still bounded.
        let mut p = Params::default();
        p.set("hold_minutes", 1_440);
        let day = sweep(&ExpiredRecordsNeverCleaned, &p, 42, &[30]);
        let d = &day.levels[0];
        assert_eq!(d.fixed.failures, 0);
        assert!((1_500..3_500).contains(&metric(&d.fixed, "rows in the table")));
        assert!(d.naive.failures > 50_000);
    }

    #[test]
    fn journeys_and_the_rows_series() {
        let s = Settings::defaults(&INFO);
        let naive = ExpiredRecordsNeverCleaned.run(&s, Variant::Naive, 90, 42, true);
        // 90 days of 5-minute steps, one check drawn every 25 steps.
        assert_eq!(naive.journeys.len(), 1_037);
        assert_eq!(naive.journeys[0].fate, Fate::Ok);
        assert!(naive.journeys[1..].iter().all(|j| j.fate == Fate::Anomaly));
        assert!(naive
            .journeys
            .iter()
            .all(|j| j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us)));
        let rows: Vec<u64> = naive.series.iter().map(|p| p.value).collect();
        assert!(rows.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(rows.last(), Some(&179_972));
        let fixed = ExpiredRecordsNeverCleaned.run(&s, Variant::Fixed, 90, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
        assert_eq!(fixed.series.iter().map(|p| p.value).max(), Some(69));
    }

    #[test]
    fn settings_from_a_finding() {
        let f = crate::sim::model::finding_with(
            "expired-records-never-cleaned",
            &[("interval", "timedelta(hours=1)"), ("table", "seat_holds")],
        );
        let p = ExpiredRecordsNeverCleaned.params_from_finding(&f);
        assert_eq!(p.0.get("hold_minutes"), Some(&60));
        assert_eq!(p.0.len(), 1);
    }
}
