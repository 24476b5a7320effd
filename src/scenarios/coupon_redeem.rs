//! Single-use gift codes: redeemed five times by five parallel requests.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "gift-code-double-redeem",
        title: "Single-use gift code redeemed five times",
        hazard: "check-then-act",
        story: "A shop's single-use $50 gift codes were checked with a SELECT and claimed with a \
                later UPDATE. One customer noticed that sending the same code from five tabs \
                within a tenth of a second credited the account four extra times; a script on a \
                forum did the rest. Every code that leaked was spent several times over before \
                support noticed the balances.",
        lesson:
            "Claim with UPDATE … WHERE still-unused, and treat zero rows changed as already taken.",
        snippets: &[Snippet {
            language: Language::Go,
            naive: include_str!("coupon_redeem/naive.go"),
            fixed: include_str!("coupon_redeem/fixed.go"),
        }],
        preset: Preset {
            load: 5,
            seed: 42,
            params: &[("seats", 1), ("hot_seats", 1), ("arrival_window_ms", 100)],
        },
    }
}
