//! Payment retries: a clean gateway abstraction that retries at once.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "payment-retries",
        title: "Payment gateway: three attempts, back to back",
        hazard: "retry-without-backoff",
        story: "A tidy payment abstraction put one interface over the card provider and retried \
                inside it, three attempts with no pause. Checkout got 1.2 s slower on average, \
                each retry paying the full call again. When the provider stumbled for 10 s at 35 \
                checkouts/s, the instant retries tripled the traffic to 105 requests/s against a \
                capacity of 50, and checkouts kept failing long after the provider was back.",
        lesson: "Retry with exponential backoff, full jitter and a cap, or not at all.",
        snippets: &[
            Snippet {
                language: Language::TypeScript,
                naive: include_str!("payment_retries/naive.ts"),
                fixed: include_str!("payment_retries/fixed.ts"),
            },
            Snippet {
                language: Language::Java,
                naive: include_str!("payment_retries/naive.java"),
                fixed: include_str!("payment_retries/fixed.java"),
            },
        ],
        preset: Preset {
            load: 35,
            seed: 42,
            params: &[
                ("capacity_rps", 50),
                ("blip_s", 10),
                ("client_timeout_ms", 2000),
                ("retries", 2),
                ("retry_delay_ms", 0),
            ],
        },
    }
}
