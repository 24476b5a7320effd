//! Dashboard metrics: the same numbers cached once per user.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "dashboard-metrics-cache",
        title: "Dashboard metrics cached once per user",
        hazard: "per-user-cache-key",
        story: "A dashboard refactor, mostly generated, added custom metrics, and 89 of the 155 \
                users set up their dashboards within days. The metric cache put the user id in \
                its key, so the same monthly revenue trend was computed and stored once per user: \
                155 users × 4 metrics became hundreds of entries of identical data and a database \
                busy running the same aggregate over and over. At demo scale, with one user, it \
                looked like a perfect cache.",
        lesson:
            "Key a cache by what the value depends on; if that is not the user, leave the user out.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("dashboard_cache/naive.py"),
                fixed: include_str!("dashboard_cache/fixed.py"),
            },
            Snippet {
                language: Language::TypeScript,
                naive: include_str!("dashboard_cache/naive.ts"),
                fixed: include_str!("dashboard_cache/fixed.ts"),
            },
        ],
        preset: Preset {
            load: 155,
            seed: 42,
            params: &[("metrics", 4), ("ttl_s", 900)],
        },
    }
}
