//! Hazard Lab: find scale and concurrency hazards in pasted code, then simulate them.
//!
//! The stages read top to bottom: [`analyzer`] turns source text into [`analyzer::Finding`]s,
//! [`sim`] turns a finding (or a scenario) into deterministic traces and metrics, and
//! [`scenarios`] holds the curated stories, and [`wire`] is the message format between the
//! page and the analyzer's Web Worker. The browser UI lives in `app` (feature `web`);
//! nothing above it knows about the browser.

pub mod analyzer;
pub mod bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod fuzz;
pub mod report;
pub mod scenarios;
pub mod share;
pub mod sim;
pub mod wire;

#[cfg(feature = "web")]
pub mod app;
