//! Login rate limit: a sliding window counted in each replica's memory.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "login-rate-limit-replicas",
        title: "Login rate limit counted per replica",
        hazard: "in-memory-rate-limit",
        story: "An auth endpoint allowed 10 login attempts per account per minute, tracked in a \
                sliding window in process memory. On one replica it worked exactly as tested. \
                With two replicas every account got twice the attempts, and with three behind a \
                round-robin load balancer a password-guessing client got up to 30 a minute, while \
                honest users were refused or admitted depending on which replica they hit.",
        lesson: "A limit is only as wide as its counter: keep the window in Redis when there is more than one process.",
        snippets: &[
            Snippet {
                language: Language::TypeScript,
                naive: include_str!("login_rate_limit/naive.ts"),
                fixed: include_str!("login_rate_limit/fixed.ts"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("login_rate_limit/naive.py"),
                fixed: include_str!("login_rate_limit/fixed.py"),
            },
        ],
        preset: Preset {
            load: 30,
            seed: 42,
            params: &[("limit", 10), ("window_s", 60), ("processes", 3)],
        },
    }
}
