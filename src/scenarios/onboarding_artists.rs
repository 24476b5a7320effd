//! Onboarding artists: a follower-count ranking recomputed on every page load.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "onboarding-artists-aggregate",
        title: "Onboarding page ranks every artist per visit",
        hazard: "expensive-query-per-request",
        story: "A music app's onboarding page listed the 100 most-followed artists by joining \
                artists to follows, counting and sorting on every load: 30 to 50 seconds against \
                the production database. Indexes, a LIMIT, pagination and an app cache only got \
                it to 20-30 s. Since the ranking barely changes, a job at 2 AM now stores the list \
                and the page reads it in under 50 ms, 600 to 1,000 times faster.",
        lesson:
            "When an answer changes daily, compute it daily and let every request read the result.",
        snippets: &[
            Snippet {
                language: Language::Sql,
                naive: include_str!("onboarding_artists/naive.sql"),
                fixed: include_str!("onboarding_artists/fixed.sql"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("onboarding_artists/naive.py"),
                fixed: include_str!("onboarding_artists/fixed.py"),
            },
        ],
        preset: Preset {
            load: 10_000_000,
            seed: 42,
            params: &[("joins", 1), ("gateway_timeout_s", 30)],
        },
    }
}
