//! Order export: a list endpoint that returns every row of a table that only grows.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "orders-export",
        title: "Order list: every row, on every request",
        hazard: "unbounded-query",
        story: "An admin page lists a shop's orders, and the generated endpoint selects all of them \
                and encodes them as one JSON array. With a few hundred orders at launch it answered \
                in milliseconds. At 200,000 rows a response is 100 MB and needs about 300 MB of \
                memory to build: two at once overflow the 512 MB container, which is killed over \
                and over, and the survivors run into the 30 s gateway timeout.",
        lesson: "A query a client can trigger has a LIMIT; the next page is a cursor, not the rest of the table.",
        snippets: &[
            Snippet {
                language: Language::Go,
                naive: include_str!("orders_export/naive.go"),
                fixed: include_str!("orders_export/fixed.go"),
            },
            Snippet {
                language: Language::Sql,
                naive: include_str!("orders_export/naive.sql"),
                fixed: include_str!("orders_export/fixed.sql"),
            },
        ],
        preset: Preset {
            load: 200_000,
            seed: 42,
            params: &[
                ("requests_per_min", 30),
                ("row_bytes", 500),
                ("page_size", 100),
                ("memory_mb", 512),
                ("timeout_s", 30),
                ("client_mbps", 20),
            ],
        },
    }
}
