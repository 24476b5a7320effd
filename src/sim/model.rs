//! The shape every simulator model shares, so the CLI, the chart, the summary and the
//! animation serve all hazards with one code path.
//!
//! A model is a pure function `(settings, variant, load, seed) → Run`. Settings are whole
//! numbers in named units (`ttl_s`, `replicas`, `timeout_ms` …), declared by the model's
//! [`ParamSpec`]s with defaults and bounds, so user edits, share links and numbers read from a
//! finding pass through one clamp. Integers only: the same seed gives the same run natively
//! and in wasm.

use super::{fnv1a, Variant};
use crate::analyzer::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Events one run may process before it stops and says so (`Outcome::capped`). Keeps a
/// browser tab responsive whatever the settings.
pub const MAX_EVENTS: u64 = 2_000_000;

/// Journeys kept in a traced run (the animation draws at most this many requests).
pub const MAX_JOURNEYS: usize = 5_000;

/// One tunable number of a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ParamSpec {
    /// Key in settings, CLI `--param` and share links, e.g. `ttl_s`.
    pub name: &'static str,
    /// Short label for the UI, e.g. "Cache TTL".
    pub label: &'static str,
    /// Unit shown after the value, e.g. "s", "replicas", "MB/h".
    pub unit: &'static str,
    pub default: u64,
    pub min: u64,
    pub max: u64,
}

/// What the UI and CLI need to know about a model before running it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    /// The catalog id this model simulates.
    pub hazard: &'static str,
    /// One line: what is simulated, e.g. "Ticket sale: read a seat, then write a hold".
    pub title: &'static str,
    /// The headline failure measure, plural noun phrase, e.g. "double bookings", "504s".
    pub metric: &'static str,
    /// Unit of `metric` values, e.g. "bookings", "requests", "MB".
    pub unit: &'static str,
    /// What the load axis counts, e.g. "concurrent users", "hours", "rows in the table".
    pub load_label: &'static str,
    /// Default sweep, ascending.
    pub loads: &'static [u64],
    /// Largest load a run accepts (larger values are clamped with a notice).
    pub max_load: u64,
    pub params: &'static [ParamSpec],
    /// The naive variant in a few words, e.g. "read, then blind write".
    pub naive_label: &'static str,
    /// The fix in a few words, e.g. "atomic conditional UPDATE".
    pub fixed_label: &'static str,
    /// The parts of the system the animation draws, left to right.
    pub stages: &'static [Stage],
}

/// A part of the system a request passes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Client,
    Balancer,
    Replica,
    Queue,
    Worker,
    Cache,
    Database,
    /// An outside service: a payment API, an AI API, a CDN.
    Dependency,
    /// The party that sends webhooks.
    Provider,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Client => "clients",
            Stage::Balancer => "load balancer",
            Stage::Replica => "replicas",
            Stage::Queue => "queue",
            Stage::Worker => "workers",
            Stage::Cache => "cache",
            Stage::Database => "database",
            Stage::Dependency => "dependency",
            Stage::Provider => "provider",
        }
    }
}

/// How a request ended, which is its colour in the animation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Served correctly.
    Ok,
    /// Served, but wrong: the anomaly the hazard is about (a double booking, a lost write,
    /// another tenant's rows, a duplicate charge).
    Anomaly,
    /// Refused on purpose (rate limited, conflict reported, 429).
    Rejected,
    /// Failed visibly: 504, timeout, error, out of memory.
    Failed,
}

/// Time a request spent at one stage. `lane` tells replicas/workers/connections apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub stage: Stage,
    pub lane: u32,
    pub start_us: u64,
    pub end_us: u64,
}

/// One request's path through the system, for the animation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Journey {
    pub id: u32,
    pub hops: Vec<Hop>,
    pub fate: Fate,
}

/// An extra figure of a run (p99 latency, hit ratio, DB queries …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Metric {
    pub name: &'static str,
    pub value: u64,
    pub unit: &'static str,
}

/// The figures of one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The headline measure ([`ModelInfo::metric`]) for this run.
    pub failures: u64,
    /// What `failures` is out of (requests, bookings …); 0 when it is not a share (MB, rows).
    pub out_of: u64,
    /// Further figures in a fixed order per model.
    pub metrics: Vec<Metric>,
    /// Simulation events processed.
    pub events: u64,
    /// True when the run stopped at [`MAX_EVENTS`]; the figures cover the part that ran.
    pub capped: bool,
}

impl Outcome {
    /// The value of a named extra metric.
    pub fn metric(&self, name: &str) -> Option<u64> {
        self.metrics
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }
}

/// A point of a time series (memory over hours, rows over days, queue depth over seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Point {
    pub t_us: u64,
    pub value: u64,
}

/// One run: figures, and when asked for, the journeys and a time series for the views.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Run {
    pub outcome: Outcome,
    /// Empty unless the run was traced; at most [`MAX_JOURNEYS`].
    pub journeys: Vec<Journey>,
    /// The model's gauge over the run (may be empty).
    pub series: Vec<Point>,
}

impl Run {
    /// A stable fingerprint of the journeys and figures (compared native vs wasm in tests).
    pub fn fingerprint(&self) -> u64 {
        let mut bytes = Vec::with_capacity(self.journeys.len() * 32 + 64);
        bytes.extend_from_slice(&self.outcome.failures.to_le_bytes());
        bytes.extend_from_slice(&self.outcome.out_of.to_le_bytes());
        bytes.extend_from_slice(&self.outcome.events.to_le_bytes());
        for m in &self.outcome.metrics {
            bytes.extend_from_slice(&m.value.to_le_bytes());
        }
        for j in &self.journeys {
            bytes.extend_from_slice(&j.id.to_le_bytes());
            bytes.push(j.fate as u8);
            for h in &j.hops {
                bytes.push(h.stage as u8);
                bytes.extend_from_slice(&h.lane.to_le_bytes());
                bytes.extend_from_slice(&h.start_us.to_le_bytes());
                bytes.extend_from_slice(&h.end_us.to_le_bytes());
            }
        }
        for p in &self.series {
            bytes.extend_from_slice(&p.t_us.to_le_bytes());
            bytes.extend_from_slice(&p.value.to_le_bytes());
        }
        fnv1a(bytes)
    }
}

/// Settings as given: by a person, a share link, the CLI or a finding. Unknown names and
/// out-of-range values are resolved (with notices) by [`Settings::resolve`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params(pub BTreeMap<String, u64>);

impl Params {
    pub fn set(&mut self, name: &str, value: u64) -> &mut Self {
        self.0.insert(name.to_string(), value);
        self
    }

    /// Parses `NAME=VALUE` as given on the command line. VALUE must be a whole number ≥ 0
    /// (a trailing `%`, `s`, `ms` or `_` separators are not units: say the unit in NAME).
    pub fn parse_assignment(&mut self, text: &str) -> Result<(), String> {
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
        let name = name.trim();
        let digits: String = value.trim().chars().filter(|&c| c != '_').collect();
        let value: u64 = digits.parse().map_err(|_| {
            format!(
                "`{name}` must be a whole number of 0 or more, not `{}`",
                value.trim()
            )
        })?;
        self.set(name, value);
        Ok(())
    }
}

/// Every parameter of one model with a value inside its bounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Settings {
    values: Vec<(&'static str, u64)>,
}

impl Settings {
    /// Defaults, overridden by `given` where it names a parameter; values outside a
    /// parameter's bounds are clamped. Each adjustment yields a notice for the person.
    pub fn resolve(info: &ModelInfo, given: &Params) -> (Settings, Vec<String>) {
        let mut notices = Vec::new();
        let values = info
            .params
            .iter()
            .map(|p| {
                let v = given.0.get(p.name).copied().unwrap_or(p.default);
                let c = v.clamp(p.min, p.max);
                if c != v {
                    notices.push(format!(
                        "{} {} {} is outside {}–{}; using {}.",
                        p.label, v, p.unit, p.min, p.max, c
                    ));
                }
                (p.name, c)
            })
            .collect();
        for name in given.0.keys() {
            if !info.params.iter().any(|p| p.name == name) {
                let known: Vec<&str> = info.params.iter().map(|p| p.name).collect();
                notices.push(format!(
                    "`{}` is not a setting of the {} model (settings: {}); ignored.",
                    name,
                    info.hazard,
                    known.join(", ")
                ));
            }
        }
        (Settings { values }, notices)
    }

    /// The defaults of a model.
    pub fn defaults(info: &ModelInfo) -> Settings {
        Settings::resolve(info, &Params::default()).0
    }

    /// The value of a parameter; 0 for a name the model does not declare (a programming
    /// error that tests catch, never a panic in the page).
    pub fn get(&self, name: &str) -> u64 {
        debug_assert!(
            self.values.iter().any(|(n, _)| *n == name),
            "unknown setting {name}"
        );
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    pub fn as_params(&self) -> Params {
        Params(
            self.values
                .iter()
                .map(|(n, v)| (n.to_string(), *v))
                .collect(),
        )
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.values.iter().copied()
    }
}

/// A failure family, naive and fixed.
pub trait Model: Sync {
    fn info(&self) -> &'static ModelInfo;

    /// Settings read from a finding's `params` (only those the code states; the rest keep
    /// their defaults). Numbers the finding gives in other units are converted here.
    fn params_from_finding(&self, finding: &Finding) -> Params;

    /// One run at one load level. `trace` asks for journeys and the series (slower).
    /// Must not panic for any settings inside the specs' bounds and any `load` up to
    /// `info().max_load`, and must stop at [`MAX_EVENTS`].
    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run;

    /// One plain-language paragraph comparing naive and fixed at one load, naming the
    /// numbers, e.g. "At 50 concurrent users, 7 of 50 bookings were double-booked; with the
    /// fix, 0."
    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String;

    /// What `Run::series` measures and its unit, e.g. `("memory", "MB")`; empty when the
    /// model keeps no series.
    fn series_label(&self) -> (&'static str, &'static str) {
        ("", "")
    }
}

/// Reads a whole number from a finding parameter (`"300"`, `"4"`); `None` for words such as
/// `"unbounded"` or an expression the analyzer could not evaluate.
pub fn finding_number(finding: &Finding, key: &str) -> Option<u64> {
    finding.params.get(key)?.trim().parse().ok()
}

/// A finding with only the given params, for the models' `params_from_finding` tests.
#[cfg(test)]
pub fn finding_with(hazard: &'static str, params: &[(&str, &str)]) -> Finding {
    use crate::analyzer::{Severity, Span};
    Finding {
        hazard,
        severity: Severity::Warning,
        span: Span {
            start_line: 1,
            start_col: 1,
            end_line: 1,
            end_col: 1,
        },
        message: String::new(),
        fix: String::new(),
        evidence: Vec::new(),
        params: params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// Naive and fixed at one load level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Level {
    pub load: u64,
    pub naive: Outcome,
    pub fixed: Outcome,
}

/// A load sweep of one model: the data behind the chart, the table and `simulate --format json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModelSweep {
    pub hazard: &'static str,
    pub seed: u64,
    pub metric: &'static str,
    pub unit: &'static str,
    pub load_label: &'static str,
    pub settings: Params,
    pub levels: Vec<Level>,
    /// Clamps and ignored settings, for the person.
    pub notices: Vec<String>,
}

impl ModelSweep {
    /// One figure per load level, in sweep order (tests pin sweeps through it).
    pub fn column(&self, pick: impl Fn(&Level) -> u64) -> Vec<u64> {
        self.levels.iter().map(pick).collect()
    }

    /// The first load at which the naive variant shows the failure (the chart marks it).
    pub fn first_failing_load(&self) -> Option<u64> {
        self.levels
            .iter()
            .find(|l| l.naive.failures > 0)
            .map(|l| l.load)
    }
}

/// Runs naive and fixed over `loads` (the model's default sweep when empty). Loads above
/// the model's maximum are clamped, 0 becomes 1, duplicates are dropped; each with a notice.
pub fn sweep(model: &dyn Model, given: &Params, seed: u64, loads: &[u64]) -> ModelSweep {
    let info = model.info();
    let (settings, mut notices) = Settings::resolve(info, given);
    let mut levels_in: Vec<u64> = if loads.is_empty() {
        info.loads.to_vec()
    } else {
        loads.to_vec()
    };
    for l in levels_in.iter_mut() {
        let c = (*l).clamp(1, info.max_load);
        if c != *l {
            notices.push(format!(
                "Load {} is outside 1–{} {}; using {}.",
                l, info.max_load, info.load_label, c
            ));
            *l = c;
        }
    }
    levels_in.sort_unstable();
    levels_in.dedup();
    let levels: Vec<Level> = levels_in
        .into_iter()
        .map(|load| Level {
            load,
            naive: model
                .run(&settings, Variant::Naive, load, seed, false)
                .outcome,
            fixed: model
                .run(&settings, Variant::Fixed, load, seed, false)
                .outcome,
        })
        .collect();
    if levels.iter().any(|l| l.naive.capped || l.fixed.capped) {
        notices.push(format!(
            "Some runs reached the cap of {MAX_EVENTS} simulation events; their figures cover the part that ran."
        ));
    }
    ModelSweep {
        hazard: info.hazard,
        seed,
        metric: info.metric,
        unit: info.unit,
        load_label: info.load_label,
        settings: settings.as_params(),
        levels,
        notices,
    }
}
