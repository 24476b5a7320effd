//! Orders list: one customer query per row.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "orders-list-n-plus-one",
        title: "Orders page: one customer query per row",
        hazard: "n-plus-one",
        story: "An admin orders page lists 100 orders and, for each one, looks its customer up \
                with a separate query. With ten test orders and a local database nobody noticed; \
                in production each page view made 101 round trips, and with 20 people on the page \
                at once the 10-connection pool queued about two thousand extra queries.",
        lesson:
            "Load a page's related rows with one IN query (or a join), never one query per row.",
        snippets: &[
            Snippet {
                language: Language::Java,
                naive: include_str!("orders_n_plus_one/naive.java"),
                fixed: include_str!("orders_n_plus_one/fixed.java"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("orders_n_plus_one/naive.py"),
                fixed: include_str!("orders_n_plus_one/fixed.py"),
            },
        ],
        preset: Preset {
            load: 100,
            seed: 42,
            params: &[("users", 20), ("db_pool", 10), ("queries_per_row", 1)],
        },
    }
}
