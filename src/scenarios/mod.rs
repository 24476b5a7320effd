//! The curated scenario catalog: a story, the code as an assistant might write it, the fix,
//! and the simulator settings that reproduce the failure.

use crate::analyzer::Language;
use crate::sim::race::RaceSettings;

/// One version of a scenario's code in one language.
#[derive(Clone, Copy, Debug)]
pub struct Snippet {
    pub language: Language,
    pub naive: &'static str,
    pub fixed: &'static str,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// What happened, in two or three sentences.
    pub story: &'static str,
    pub hazard: &'static str,
    pub snippets: &'static [Snippet],
    pub settings: RaceSettings,
}

impl Scenario {
    pub fn snippet(&self, language: Language) -> Option<&'static Snippet> {
        self.snippets.iter().find(|s| s.language == language)
    }
}

/// Seat booking: two users both see "available" and both get the seat.
pub fn seat_booking() -> Scenario {
    Scenario {
        id: "seat-booking",
        title: "Seat booking: two users, one seat",
        story: "A ticketing endpoint holds a seat for 10 minutes while the buyer pays. The generated \
                code reads the seat's status, then writes the hold in a second statement. Two buyers \
                who click within milliseconds both read \"free\", both write a hold, and both are told \
                the seat is theirs. The fix checks and writes in one atomic statement.",
        hazard: "check-then-act",
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
        settings: RaceSettings::default(),
    }
}

/// Every scenario, in gallery order.
pub fn all() -> Vec<Scenario> {
    vec![seat_booking()]
}
