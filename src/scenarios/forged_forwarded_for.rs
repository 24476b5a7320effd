//! Forged X-Forwarded-For: a login rate limit keyed on a header the caller writes.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "forged-forwarded-for",
        title: "Login limit: bypassed with one forged header",
        hazard: "spoofable-client-ip",
        story: "A login endpoint allowed five attempts per minute per address, stored in Redis so \
                every replica agreed, and a review still found it bypassable: the address came \
                from the first X-Forwarded-For entry, which the caller writes. A script sending \
                300 guesses a minute with a random value in that header got every single one \
                through, while the fixed limiter let 5 a minute pass and refused no honest user.",
        lesson:
            "Take the client address from your own proxy's hop, never from what the caller wrote.",
        snippets: &[
            Snippet {
                language: Language::JavaScript,
                naive: include_str!("forged_forwarded_for/naive.js"),
                fixed: include_str!("forged_forwarded_for/fixed.js"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("forged_forwarded_for/naive.py"),
                fixed: include_str!("forged_forwarded_for/fixed.py"),
            },
        ],
        preset: Preset {
            load: 300,
            seed: 42,
            params: &[
                ("limit", 5),
                ("window_s", 60),
                ("honest_users", 20),
                ("honest_per_minute", 2),
            ],
        },
    }
}
