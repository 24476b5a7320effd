//! Seat booking: two buyers, one seat.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "seat-booking",
        title: "Seat booking: two users, one seat",
        hazard: "check-then-act",
        story: "A ticketing endpoint holds a seat for 10 minutes while the buyer pays. The generated \
                code reads the seat's status, then writes the hold in a second statement. In testing \
                nothing went wrong; at 20 concurrent buyers the first double bookings appeared, and \
                every one was a refund and an apology at the venue door.",
        lesson: "Check and claim in one atomic statement, and look at how many rows it changed.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("seat_booking/naive.py"),
                fixed: include_str!("seat_booking/fixed.py"),
            },
            Snippet {
                language: Language::JavaScript,
                naive: include_str!("seat_booking/naive.js"),
                fixed: include_str!("seat_booking/fixed.js"),
            },
        ],
        preset: Preset {
            load: 20,
            seed: 42,
            params: &[],
        },
    }
}
