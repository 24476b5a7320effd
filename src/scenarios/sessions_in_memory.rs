//! Logins kept in a package-level map: the next request lands on another replica.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "sessions-in-process-memory",
        title: "Sessions in a map, three replicas",
        hazard: "in-memory-shared-state",
        story: "A Go web app stored each login in a package-level map guarded by a mutex. It \
                passed every test on one instance; once it ran as 3 replicas behind a round-robin \
                load balancer, about two requests in three after a login reached a replica that \
                had never seen the session and bounced the user back to the login page. Every \
                deploy logged everyone out as well.",
        lesson: "State that another request must see belongs in a store every replica shares.",
        snippets: &[Snippet {
            language: Language::Go,
            naive: include_str!("sessions_in_memory/naive.go"),
            fixed: include_str!("sessions_in_memory/fixed.go"),
        }],
        preset: Preset {
            load: 10,
            seed: 42,
            params: &[("processes", 3), ("follow_ups", 5)],
        },
    }
}
