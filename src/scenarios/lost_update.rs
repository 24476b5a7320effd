//! Wallet purchases: two purchases read the same balance and both succeed.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "wallet-double-spend",
        title: "Wallet: $50 and $75 purchases from $100 both succeed",
        hazard: "lost-update",
        story: "A wallet holds $100 (version 42). A $50 purchase and a $75 purchase arrive a few \
                milliseconds apart; each reads $100, each decides the money is there, and each \
                writes its own new balance. Both purchases succeed and the last write leaves $25: \
                $125 has been spent out of $100, and nothing in the logs looks wrong.",
        lesson:
            "Let the database do the arithmetic and the check in one UPDATE, and count the rows.",
        snippets: &[
            Snippet {
                language: Language::Java,
                naive: include_str!("lost_update/naive.java"),
                fixed: include_str!("lost_update/fixed.java"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("lost_update/naive.py"),
                fixed: include_str!("lost_update/fixed.py"),
            },
        ],
        preset: Preset {
            load: 2,
            seed: 42,
            params: &[("balance", 100), ("amount_a", 50), ("amount_b", 75)],
        },
    }
}
