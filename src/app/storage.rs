//! The editor text and settings kept in `localStorage`, so a reload loses nothing.

use crate::analyzer::Language;
use crate::scenarios;
use crate::sim::LOAD_LEVELS;
use serde::{Deserialize, Serialize};

/// Upper bounds for the editable simulation settings (the engine clamps too).
pub const MAX_SEATS: u32 = 10_000;
pub const MAX_APP_MS: u64 = 60_000;

/// The one key the app writes. Bump the version when the shape changes incompatibly.
pub const KEY: &str = "hazard-lab:v1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    pub code: String,
    /// "auto", "python" or "javascript".
    pub language: String,
    pub load: u32,
    pub seed: u64,
    /// Seats on sale, when the user changed the scenario's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// Longest app time between the read and the write (ms), when the user changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_ms: Option<u64>,
    /// "light", "dark", or absent to follow the system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

impl Default for Saved {
    fn default() -> Self {
        let scenario = scenarios::seat_booking();
        Saved {
            code: scenario
                .snippet(Language::Python)
                .map(|s| s.naive.to_string())
                .unwrap_or_default(),
            language: "auto".into(),
            load: 50,
            seed: scenario.settings.seed,
            seats: None,
            app_ms: None,
            theme: None,
        }
    }
}

impl Saved {
    /// The language override, `None` meaning "detect".
    pub fn language_choice(&self) -> Option<Language> {
        Language::from_id(&self.language)
    }

    /// Replaces values a hand-edited or older entry may hold with ones the app accepts.
    fn sanitized(mut self) -> Self {
        if !LOAD_LEVELS.contains(&self.load) {
            self.load = 50;
        }
        if Language::from_id(&self.language).is_none() {
            self.language = "auto".into();
        }
        self.seats = self.seats.map(|n| n.clamp(1, MAX_SEATS));
        self.app_ms = self.app_ms.map(|n| n.min(MAX_APP_MS));
        if !matches!(self.theme.as_deref(), None | Some("light") | Some("dark")) {
            self.theme = None;
        }
        self
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved state, or the first-visit defaults (the seat-booking scenario in Python).
pub fn load() -> Saved {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str::<Saved>(&json).ok())
        .map(Saved::sanitized)
        .unwrap_or_default()
}

/// Saves the state; a full or disabled storage is ignored (the page keeps working).
pub fn save(saved: &Saved) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(saved)) {
        let _ = s.set_item(KEY, &json);
    }
}
