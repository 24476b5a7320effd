//! The editor text and settings kept in `localStorage`, so a reload loses nothing.

use crate::analyzer::Language;
use crate::scenarios;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The one key the app writes. Bump the version when the shape changes incompatibly.
pub const KEY: &str = "hazard-lab:v1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Saved {
    pub code: String,
    /// "auto", "python" or "javascript".
    pub language: String,
    /// The chosen load level (each model offers its own levels; others fall back).
    pub load: u64,
    pub seed: u64,
    /// Simulator settings the person changed, per hazard id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, BTreeMap<String, u64>>,
    /// "light", "dark", or absent to follow the system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

impl Default for Saved {
    fn default() -> Self {
        let scenario = scenarios::first();
        Saved {
            code: scenario
                .snippet(Language::Python)
                .map(|s| s.naive.to_string())
                .unwrap_or_default(),
            language: "auto".into(),
            load: 50,
            seed: scenario.preset.seed,
            params: BTreeMap::new(),
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
    pub(super) fn sanitized(mut self) -> Self {
        if self.load == 0 {
            self.load = 50;
        }
        if Language::from_id(&self.language).is_none() {
            self.language = "auto".into();
        }
        // Only settings some model declares survive; the model clamps their values.
        self.params.retain(|hazard, values| {
            let Some(m) = crate::sim::models::model_for(hazard) else {
                return false;
            };
            values.retain(|name, _| m.info().params.iter().any(|p| p.name == name));
            !values.is_empty()
        });
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

/// Saves the state. `false` when the browser would not keep it (storage disabled, full, or
/// refused in a private window): the page keeps working and tells the person.
pub fn save(saved: &Saved) -> bool {
    match (storage(), serde_json::to_string(saved)) {
        (Some(s), Ok(json)) => s.set_item(KEY, &json).is_ok(),
        _ => false,
    }
}

/// Where the person's work goes while a shared link is open, so "Restore" can bring it back.
pub const BEFORE_LINK_KEY: &str = "hazard-lab:v1:before-link";

/// Keeps the current saved state aside before a link replaces it (only when there is one).
pub fn back_up_before_link() {
    if let Some(s) = storage() {
        if let Ok(Some(json)) = s.get_item(KEY) {
            let _ = s.set_item(BEFORE_LINK_KEY, &json);
        }
    }
}

/// The state kept aside by [`back_up_before_link`], if any.
pub fn before_link() -> Option<Saved> {
    storage()?
        .get_item(BEFORE_LINK_KEY)
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str::<Saved>(&json).ok())
        .map(Saved::sanitized)
}
