//! Seat hold cleanup: holds expire, but their rows stay forever.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "seat-hold-cleanup",
        title: "Seat holds: expired, never deleted",
        hazard: "expired-records-never-cleaned",
        story: "The seat booking service had a second, slower failure. Each hold is a row that \
                expires after 10 minutes, readers skip the expired ones, and nothing deletes them. \
                At 2,000 holds a day the table held 60,000 dead rows after a month and 360,000 \
                after six, and the availability query behind every seat map crept from 1 ms to \
                over 70 ms. A cleanup every five minutes keeps it to a few dozen live rows.",
        lesson: "Whatever writes an expiry needs something that deletes what has expired.",
        snippets: &[
            Snippet {
                language: Language::Sql,
                naive: include_str!("seat_hold_cleanup/naive.sql"),
                fixed: include_str!("seat_hold_cleanup/fixed.sql"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("seat_hold_cleanup/naive.py"),
                fixed: include_str!("seat_hold_cleanup/fixed.py"),
            },
        ],
        preset: Preset {
            load: 180,
            seed: 42,
            params: &[
                ("holds_per_day", 2000),
                ("hold_minutes", 10),
                ("cleanup_minutes", 5),
            ],
        },
    }
}
