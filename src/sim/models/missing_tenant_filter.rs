//! missing-tenant-filter: a query on a table shared by every tenant, without the tenant
//! condition.
//!
//! The table holds the rows of `tenants` customers (each with about `rows_per_tenant` rows,
//! ±50 %), written over time so the tenants' rows interleave. Every row has a value in a
//! column the page filters on (a status, a project or label name) that tenants share: "open",
//! "Marketing", "Q3". A user of one tenant opens the list for one value: `WHERE category = $1
//! ORDER BY created_at DESC LIMIT page_size`.
//!
//! - **Naive**: no `tenant_id` condition. The database answers from the index on
//!   `(category, created_at)`: the newest rows with that value, whoever owns them. Each row of
//!   another tenant on the page is a leak.
//! - **Fixed**: `WHERE tenant_id = $tenant AND category = $1` (the index leads with the
//!   tenant): only the user's own rows can come back, so 0 leaks by construction.
//!
//! With one tenant nothing can leak, which is why the demo looks right; from the second
//! tenant on, a page shows the others' rows in proportion to their share of the table.
//! Defaults: a page of 20 rows, 20 shared values, 100 rows per tenant; the story's
//! multitenant store relied on a filter passed by hand on each query.

use super::growth_parts::PeakSeries;
use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};

pub struct MissingTenantFilter;

/// Requests arrive during this window.
const WINDOW_US: u64 = 60_000_000;
/// Network time between the browser and the replica, each way.
const NETWORK_US: u64 = 10_000;
/// Handler time before and after the query.
const HANDLER_US: (u64, u64) = (500, 1_500);
/// Database time: a round trip plus an index range read.
const QUERY_US: (u64, u64) = (1_000, 3_000);

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "requests",
        label: "Requests from tenants' users",
        unit: "requests",
        default: 200,
        min: 1,
        max: 2_000,
    },
    ParamSpec {
        name: "rows_per_tenant",
        label: "Rows per tenant (typical)",
        unit: "rows",
        default: 100,
        min: 10,
        max: 200,
    },
    ParamSpec {
        name: "categories",
        label: "Shared values of the filtered column",
        unit: "values",
        default: 20,
        min: 1,
        max: 100,
    },
    ParamSpec {
        name: "page_size",
        label: "Rows per page (LIMIT)",
        unit: "rows",
        default: 20,
        min: 1,
        max: 100,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "missing-tenant-filter",
    title: "A list query on a shared table, without the tenant condition",
    metric: "requests that leaked other tenants' rows",
    unit: "requests",
    load_label: "tenants",
    loads: &[1, 2, 5, 10, 20, 50, 100, 200],
    max_load: 1_000,
    params: PARAMS,
    naive_label: "no tenant condition",
    fixed_label: "WHERE tenant_id = $tenant",
    stages: &[Stage::Client, Stage::Replica, Stage::Database],
};

/// The shared table: each row's tenant and category, oldest first.
struct Table {
    tenant: Vec<u32>,
    category: Vec<u32>,
}

/// An index: for each key, the row numbers with that key, newest first (a counting sort,
/// linear in the rows).
struct Index {
    start: Vec<usize>,
    rows: Vec<u32>,
}

impl Index {
    fn build(keys: &[u32], key_count: usize) -> Index {
        let mut start = vec![0usize; key_count + 1];
        for &k in keys {
            if let Some(c) = start.get_mut(k as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![0u32; keys.len()];
        for (row, &k) in keys.iter().enumerate().rev() {
            if let Some(slot) = next.get_mut(k as usize) {
                if let Some(cell) = rows.get_mut(*slot) {
                    *cell = row as u32;
                }
                *slot += 1;
            }
        }
        Index { start, rows }
    }

    /// The first `n` rows under `key`, newest first.
    fn first(&self, key: usize, n: usize) -> &[u32] {
        let from = self.start.get(key).copied().unwrap_or(0);
        let to = self.start.get(key + 1).copied().unwrap_or(from);
        self.rows.get(from..to.min(from + n)).unwrap_or(&[])
    }
}

fn build_table(rng: &mut Rng, tenants: u32, per_tenant: u64, categories: u32) -> Table {
    let mut tenant: Vec<u32> = Vec::new();
    for t in 0..tenants {
        let n = per_tenant * rng.between(50, 150) / 100;
        tenant.extend(std::iter::repeat_n(t, n.max(1) as usize));
    }
    // Rows are written over time by all tenants at once: shuffle into one history.
    for i in (1..tenant.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        tenant.swap(i, j);
    }
    let category = tenant
        .iter()
        .map(|_| rng.below(categories as u64) as u32)
        .collect();
    Table { tenant, category }
}

fn simulate(s: &Settings, variant: Variant, tenants: u32, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let categories = s.get("categories").clamp(1, 100) as u32;
    let page = s.get("page_size").clamp(1, 100) as usize;
    let table = build_table(
        &mut rng,
        tenants,
        s.get("rows_per_tenant").clamp(10, 200),
        categories,
    );
    let index = match variant {
        Variant::Naive => Index::build(&table.category, categories as usize),
        Variant::Fixed => {
            let keys: Vec<u32> = table
                .tenant
                .iter()
                .zip(&table.category)
                .map(|(&t, &c)| t * categories + c)
                .collect();
            Index::build(&keys, tenants as usize * categories as usize)
        }
    };
    let count = s.get("requests").clamp(1, 2_000);
    let mut arrivals: Vec<u64> = (0..count).map(|_| rng.below(WINDOW_US)).collect();
    arrivals.sort_unstable();
    let mut exposed = vec![false; tenants as usize];
    let mut leaked_requests = 0u64;
    let mut leaked_rows = 0u64;
    let mut own_rows = 0u64;
    let mut times = Vec::with_capacity(arrivals.len());
    let mut journeys = Vec::new();
    let mut gauge = PeakSeries::new(trace);
    for (i, &arrive) in arrivals.iter().enumerate() {
        let user_tenant = rng.below(tenants as u64) as u32;
        let category = rng.below(categories as u64) as usize;
        let key = match variant {
            Variant::Naive => category,
            Variant::Fixed => user_tenant as usize * categories as usize + category,
        };
        let mut leaks = 0u64;
        for &row in index.first(key, page) {
            let owner = table
                .tenant
                .get(row as usize)
                .copied()
                .unwrap_or(user_tenant);
            if owner == user_tenant {
                own_rows += 1;
            } else {
                leaks += 1;
                if let Some(e) = exposed.get_mut(owner as usize) {
                    *e = true;
                }
            }
        }
        leaked_rows += leaks;
        leaked_requests += (leaks > 0) as u64;
        let reached = arrive + NETWORK_US;
        let asked = reached + rng.between(HANDLER_US.0, HANDLER_US.1);
        let answered = asked + rng.between(QUERY_US.0, QUERY_US.1);
        let rendered = answered + rng.between(HANDLER_US.0, HANDLER_US.1);
        let received = rendered + NETWORK_US;
        times.push(received - arrive);
        gauge.set(received, leaked_rows);
        if trace && journeys.len() < MAX_JOURNEYS {
            let hop = |stage, start_us, end_us| Hop {
                stage,
                lane: 0,
                start_us,
                end_us,
            };
            journeys.push(Journey {
                id: i as u32,
                hops: vec![
                    hop(Stage::Client, arrive, reached),
                    hop(Stage::Replica, reached, asked),
                    hop(Stage::Database, asked, answered),
                    hop(Stage::Replica, answered, rendered),
                    hop(Stage::Client, rendered, received),
                ],
                fate: if leaks > 0 { Fate::Anomaly } else { Fate::Ok },
            });
        }
    }
    let outcome = Outcome {
        failures: leaked_requests,
        out_of: count,
        metrics: vec![
            Metric {
                name: "other tenants' rows shown",
                value: leaked_rows,
                unit: "rows",
            },
            Metric {
                name: "tenants exposed",
                value: exposed.iter().filter(|&&e| e).count() as u64,
                unit: "tenants",
            },
            Metric {
                name: "own rows shown",
                value: own_rows,
                unit: "rows",
            },
            Metric {
                name: "rows in the table",
                value: table.tenant.len() as u64,
                unit: "rows",
            },
            Metric {
                name: "p99 response time",
                value: percentile(&mut times, 99) / 1_000,
                unit: "ms",
            },
        ],
        events: count,
        capped: false,
    };
    Run {
        outcome,
        journeys,
        series: gauge.finish(),
    }
}

impl Model for MissingTenantFilter {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    /// The finding names the table and the tenant column; the sizes are the deployment's.
    fn params_from_finding(&self, _finding: &Finding) -> Params {
        Params::default()
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(
            settings,
            variant,
            load.clamp(1, INFO.max_load) as u32,
            seed,
            trace,
        )
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "With {load} tenants sharing the table ({} rows), {} of {} requests showed rows of \
             another tenant: {} foreign rows next to {} of the user's own, exposing {} tenants' \
             data. With the tenant condition on the query, {} of {} requests leaked ({} rows \
             shown, all the user's own; pages of {} rows).",
            m(naive, "rows in the table"),
            naive.failures,
            naive.out_of,
            m(naive, "other tenants' rows shown"),
            m(naive, "own rows shown"),
            m(naive, "tenants exposed"),
            fixed.failures,
            fixed.out_of,
            m(fixed, "own rows shown"),
            settings.get("page_size"),
        )
    }

    fn series_label(&self) -> (&'static str, &'static str) {
        ("other tenants' rows shown so far", "rows")
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
        let sw = sweep(&MissingTenantFilter, &Params::default(), 42, &[]);
        // One tenant: nothing to leak. From the second on, nearly every page leaks.
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 184, 200, 200, 200, 200, 200, 200]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "other tenants' rows shown")),
            [0, 710, 2_963, 3_594, 3_808, 3_917, 3_956, 3_987]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "tenants exposed")),
            [0, 2, 5, 10, 20, 50, 96, 166]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "own rows shown")),
            [646, 699, 747, 406, 192, 83, 44, 13]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "other tenants' rows shown")),
            [0; 8]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "own rows shown")),
            [646, 699, 833, 883, 894, 937, 1_102, 996]
        );
        // Both variants query the same table.
        assert!(sw.levels.iter().all(
            |l| metric(&l.naive, "rows in the table") == metric(&l.fixed, "rows in the table")
        ));
        assert_eq!(sw.first_failing_load(), Some(2));
    }

    /// With one tenant, the unfiltered query returns exactly what the filtered one does.
    #[test]
    fn one_tenant_cannot_tell_the_difference() {
        let s = Settings::defaults(&INFO);
        for seed in 0..5 {
            let naive = MissingTenantFilter.run(&s, Variant::Naive, 1, seed, true);
            let fixed = MissingTenantFilter.run(&s, Variant::Fixed, 1, seed, true);
            assert_eq!(naive.outcome, fixed.outcome);
            assert_eq!(naive.fingerprint(), fixed.fingerprint());
        }
    }

    #[test]
    fn the_index_lists_rows_newest_first_per_key() {
        let index = Index::build(&[1, 0, 1, 2, 1], 3);
        assert_eq!(index.first(1, 10), [4, 2, 0]);
        assert_eq!(index.first(1, 2), [4, 2]);
        assert_eq!(index.first(0, 10), [1]);
        assert_eq!(index.first(2, 10), [3]);
        assert!(index.first(3, 10).is_empty());
    }

    #[test]
    fn journeys_mark_the_leaking_pages() {
        let s = Settings::defaults(&INFO);
        let naive = MissingTenantFilter.run(&s, Variant::Naive, 2, 42, true);
        assert_eq!(naive.journeys.len(), 200);
        let anomalies = naive
            .journeys
            .iter()
            .filter(|j| j.fate == Fate::Anomaly)
            .count();
        assert_eq!(anomalies as u64, naive.outcome.failures);
        assert!(naive
            .journeys
            .iter()
            .all(|j| j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us)));
        // The series counts the foreign rows shown so far: it ends at the total.
        assert_eq!(naive.series.last().map(|p| p.value), Some(710));
        let fixed = MissingTenantFilter.run(&s, Variant::Fixed, 2, 42, true);
        assert!(fixed.journeys.iter().all(|j| j.fate == Fate::Ok));
    }
}
