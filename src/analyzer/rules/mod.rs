//! The rules: one module per hazard id, each reading [`Program`] facts.

pub mod check_then_act;

use super::facts::Program;
use super::lower::LineIndex;
use super::Finding;

/// A rule's documentation, in the shape of a Ruff rule page. Shown by the app and the CLI.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct RuleDoc {
    pub id: &'static str,
    pub title: &'static str,
    pub what_it_does: &'static str,
    pub why_bad_at_scale: &'static str,
    pub example: &'static str,
    pub use_instead: &'static str,
    pub languages: &'static [&'static str],
}

/// Every rule's documentation, in catalog order.
pub fn docs() -> &'static [RuleDoc] {
    &[check_then_act::DOC]
}

/// Finds a rule's documentation by id.
pub fn doc(id: &str) -> Option<&'static RuleDoc> {
    docs().iter().find(|d| d.id == id)
}

/// Runs every rule over the lowered program.
pub fn run_all(program: &Program, source: &str) -> Vec<Finding> {
    let lines = LineIndex::new(source);
    let mut out = Vec::new();
    check_then_act::check(program, &lines, &mut out);
    out
}
