//! Connection per request: every page view opens (and closes) its own database connection.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "connection-per-request",
        title: "Stock lookup: a new database connection per request",
        hazard: "connection-per-request",
        story: "A stock endpoint connects to PostgreSQL at the top of the handler and closes the \
                connection at the end. Each request pays some 30 ms of TCP, TLS and authentication \
                before its 5 ms query, and holds a server connection of its own. When a promotion \
                brought 500 shoppers at once to two replicas, the database's 100 connections ran \
                out and 1,150 of 2,500 requests were refused; two pools of 10 served them all.",
        lesson: "Open one pool per process at startup and borrow from it in the handler.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("connection_per_request/naive.py"),
                fixed: include_str!("connection_per_request/fixed.py"),
            },
            Snippet {
                language: Language::Go,
                naive: include_str!("connection_per_request/naive.go"),
                fixed: include_str!("connection_per_request/fixed.go"),
            },
        ],
        preset: Preset {
            load: 500,
            seed: 42,
            params: &[
                ("setup_ms", 30),
                ("max_connections", 100),
                ("pool_size", 10),
                ("replicas", 2),
                ("query_ms", 5),
            ],
        },
    }
}
