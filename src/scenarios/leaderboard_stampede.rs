//! Weekly leaderboard: a hot cached value expires under steady traffic.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "leaderboard-stampede",
        title: "Leaderboard cache expires under traffic",
        hazard: "cache-stampede",
        story: "A game's home page shows the weekly leaderboard, a 2-second aggregate over every \
                score, cached in Redis for 5 minutes. At 100 requests per second the cache looks \
                perfect on average, but each time the entry expires, every request of the next \
                two seconds misses and runs the same aggregate: close to two hundred identical \
                queries land on the database at once, every five minutes.",
        lesson: "On a miss, let one caller recompute while the others wait for its result.",
        snippets: &[Snippet {
            language: Language::Go,
            naive: include_str!("leaderboard_stampede/naive.go"),
            fixed: include_str!("leaderboard_stampede/fixed.go"),
        }],
        preset: Preset {
            load: 100,
            seed: 42,
            params: &[("ttl_s", 300), ("recompute_ms", 2000)],
        },
    }
}
