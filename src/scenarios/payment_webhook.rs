//! Payment webhook: provider retries apply the same top-up twice.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "payment-webhook",
        title: "Payment webhook: every retry credits again",
        hazard: "non-idempotent-webhook",
        story: "Two assistants wrote the payment webhook for one integration, and a review found \
                the same gap in both: the wallet is credited without remembering which events \
                were already applied. One version handled about 300 events/s where 1,000/s were \
                needed; in a 500/s burst, deliveries wait past the provider's 10 s timeout, get \
                sent again, and 3,220 top-ups are credited twice within 20 seconds.",
        lesson:
            "Record the event id in the same transaction as its effect, and skip ids you have seen.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("payment_webhook/naive.py"),
                fixed: include_str!("payment_webhook/fixed.py"),
            },
            Snippet {
                language: Language::Go,
                naive: include_str!("payment_webhook/naive.go"),
                fixed: include_str!("payment_webhook/fixed.go"),
            },
        ],
        preset: Preset {
            load: 500,
            seed: 42,
            params: &[
                ("timeout_s", 10),
                ("workers", 75),
                ("handler_ms", 250),
                ("max_attempts", 3),
                ("duration_s", 20),
            ],
        },
    }
}
