//! The scenario gallery: stories from real incidents, each with the code as an assistant
//! might write it, the fix, the simulator preset that reproduces the failure, and a lesson.
//!
//! One file per scenario (`<id>.rs`, code beside it in `<id>/`). The code is plain text fed
//! to the real analyzer; `tests/scenarios.rs` asserts each naive snippet yields the
//! scenario's hazard and each fixed one yields none.

use crate::analyzer::Language;

mod connection_per_request;
mod coupon_redeem;
mod dashboard_cache;
mod forged_forwarded_for;
mod gil_bound_sessions;
mod leaderboard_stampede;
mod llm_no_timeout;
mod login_rate_limit;
mod lost_update;
mod onboarding_artists;
mod orders_export;
mod orders_n_plus_one;
mod payment_retries;
mod payment_webhook;
mod preview_workers;
mod report_export;
mod seat_booking;
mod seat_hold_cleanup;
mod sessions_in_memory;
mod swallowed_db_errors;
mod tailwind_play_cdn;
mod tenant_documents;

/// One version of a scenario's code in one language.
#[derive(Clone, Copy, Debug)]
pub struct Snippet {
    pub language: Language,
    pub naive: &'static str,
    pub fixed: &'static str,
}

/// The simulator settings a scenario opens with: the load at which its story happened,
/// a seed, and the model's parameters (by `ParamSpec` name) as the story states them.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub load: u64,
    pub seed: u64,
    pub params: &'static [(&'static str, u64)],
}

#[derive(Clone, Debug)]
pub struct Scenario {
    /// Stable id, used in `?scenario=` links: never rename one.
    pub id: &'static str,
    pub title: &'static str,
    /// Catalog hazard id the naive code shows.
    pub hazard: &'static str,
    /// What happened, at what load, what it cost: two to four sentences.
    pub story: &'static str,
    /// One line to remember.
    pub lesson: &'static str,
    /// The first snippet is the scenario's main language.
    pub snippets: &'static [Snippet],
    pub preset: Preset,
}

impl Scenario {
    pub fn snippet(&self, language: Language) -> Option<&'static Snippet> {
        self.snippets.iter().find(|s| s.language == language)
    }

    pub fn languages(&self) -> impl Iterator<Item = Language> + '_ {
        self.snippets.iter().map(|s| s.language)
    }
}

/// Every scenario, in gallery order.
pub fn all() -> Vec<Scenario> {
    vec![
        seat_booking::scenario(),
        coupon_redeem::scenario(),
        lost_update::scenario(),
        dashboard_cache::scenario(),
        leaderboard_stampede::scenario(),
        preview_workers::scenario(),
        login_rate_limit::scenario(),
        sessions_in_memory::scenario(),
        report_export::scenario(),
        llm_no_timeout::scenario(),
        orders_n_plus_one::scenario(),
        onboarding_artists::scenario(),
        orders_export::scenario(),
        tenant_documents::scenario(),
        payment_webhook::scenario(),
        payment_retries::scenario(),
        swallowed_db_errors::scenario(),
        forged_forwarded_for::scenario(),
        connection_per_request::scenario(),
        seat_hold_cleanup::scenario(),
        gil_bound_sessions::scenario(),
        tailwind_play_cdn::scenario(),
    ]
}

/// The scenario with this id.
pub fn by_id(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.id == id)
}

/// The scenario the app opens with on a first visit.
pub fn first() -> Scenario {
    seat_booking::scenario()
}
