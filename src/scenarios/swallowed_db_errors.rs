//! Swallowed database errors: the write fails, the answer says it worked.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "swallowed-db-errors",
        title: "Saved! (it was not): database errors swallowed",
        hazard: "swallowed-error",
        story: "A review of two assistants' code for one integration found database errors caught \
                and dropped: whatever happened, the handler answered \"saved\". Over five minutes \
                with 500 saves, a 20 s database outage and 1.5 % background errors, 45 writes \
                vanished, each one reported as a success, and the logs held nothing. Logged and \
                answered as a 503, the client's retries rescued most, and the rest were told.",
        lesson: "Catch only what you can handle; log the rest and let the caller see the failure.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("swallowed_db_errors/naive.py"),
                fixed: include_str!("swallowed_db_errors/fixed.py"),
            },
            Snippet {
                language: Language::JavaScript,
                naive: include_str!("swallowed_db_errors/naive.js"),
                fixed: include_str!("swallowed_db_errors/fixed.js"),
            },
        ],
        preset: Preset {
            load: 500,
            seed: 42,
            params: &[
                ("error_per_mille", 15),
                ("outage_s", 20),
                ("retries", 3),
                ("backoff_ms", 500),
            ],
        },
    }
}
