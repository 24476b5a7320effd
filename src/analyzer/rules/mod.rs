//! The rules: one module per hazard id, each reading [`Program`] facts.

mod cache_calls;
pub mod cache_stampede;
pub mod cdn_uncompiled_assets;
pub mod check_then_act;
pub mod connection_per_request;
pub mod expensive_query_per_request;
pub mod expired_records_never_cleaned;
pub mod in_memory_rate_limit;
pub mod in_memory_shared_state;
pub mod lost_update;
pub mod missing_tenant_filter;
pub mod n_plus_one;
pub mod no_timeout;
pub mod non_idempotent_webhook;
pub mod per_user_cache_key;
pub mod process_state;
mod queries;
pub mod retry_without_backoff;
pub mod spoofable_client_ip;
pub mod swallowed_error;
pub mod sync_long_task;
pub mod threads_for_cpu_in_python;
pub mod unbounded_cache;
pub mod unbounded_query;

use super::facts::{Loc, Program};
use super::lower::LineIndex;
use super::{Evidence, Finding, Language, Severity, Span};
use std::collections::BTreeMap;

/// What every rule gets: the lowered program and a way back to the source text.
pub struct Ctx<'a> {
    pub program: &'a Program,
    pub lines: &'a LineIndex<'a>,
    pub source: &'a str,
    pub language: Language,
    /// Deployment facts, read from the text once on first use.
    deployment: std::cell::OnceCell<super::deploy::Deployment>,
    /// Java names declared with a repository type, read once on first use.
    repositories: std::cell::OnceCell<Vec<(String, String)>>,
    /// Answers of [`Ctx::source_has`] so far: rules ask per call, and scanning the whole
    /// text each time made them quadratic (a 10,000-line Java file: 130 ms in one rule).
    source_has: std::cell::RefCell<std::collections::HashMap<&'static str, bool>>,
    /// Answers of [`Ctx::positions_of`] so far (several rules look up the uses of the same
    /// module-level names).
    positions: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<[usize]>>>,
    /// The first function of each name (not the module), built on first use: rules follow
    /// calls into the snippet's own helpers per call.
    functions_by_name: std::cell::OnceCell<std::collections::HashMap<&'a str, usize>>,
    /// The source in ASCII lower case, made on first use (several rules search it).
    lower: std::cell::OnceCell<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        program: &'a Program,
        lines: &'a LineIndex<'a>,
        source: &'a str,
        language: Language,
    ) -> Ctx<'a> {
        Ctx {
            program,
            lines,
            source,
            language,
            deployment: std::cell::OnceCell::new(),
            repositories: std::cell::OnceCell::new(),
            source_has: Default::default(),
            positions: Default::default(),
            functions_by_name: std::cell::OnceCell::new(),
            lower: std::cell::OnceCell::new(),
        }
    }

    /// The snippet's first function named `name` (the module itself excluded).
    pub fn function_named(&self, name: &str) -> Option<&'a super::facts::Function> {
        let program = self.program;
        let map = self.functions_by_name.get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for (i, f) in program.functions.iter().enumerate().skip(1) {
                m.entry(f.name.as_str()).or_insert(i);
            }
            m
        });
        map.get(name).map(|&i| &program.functions[i])
    }

    /// Byte offsets of every occurrence of `needle` in the source (each needle searched once).
    pub fn positions_of(&self, needle: &str) -> std::rc::Rc<[usize]> {
        if let Some(known) = self.positions.borrow().get(needle) {
            return known.clone();
        }
        let found: std::rc::Rc<[usize]> = super::find::find_all(self.source, needle).collect();
        self.positions
            .borrow_mut()
            .insert(needle.to_string(), found.clone());
        found
    }

    /// Whether the source text contains `needle` anywhere (each needle is searched once).
    pub fn source_has(&self, needle: &'static str) -> bool {
        if let Some(&known) = self.source_has.borrow().get(needle) {
            return known;
        }
        let found = super::find::has(self.source, needle);
        self.source_has.borrow_mut().insert(needle, found);
        found
    }

    /// The source in ASCII lower case (same byte offsets as the source).
    pub fn lower(&self) -> &str {
        self.lower.get_or_init(|| self.source.to_ascii_lowercase())
    }

    /// What the snippet states about replicas, workers and gateway timeouts.
    pub fn deployment(&self) -> &super::deploy::Deployment {
        self.deployment
            .get_or_init(|| super::deploy::deployment(self.source))
    }

    /// Java fields and parameters declared with a repository type (`private final
    /// OrderRepository orders;`): (name, type). Spring Data repositories go by any name.
    pub fn repositories(&self) -> &[(String, String)] {
        self.repositories.get_or_init(|| {
            if self.language == Language::Java {
                queries::typed_repositories(self.source)
            } else {
                Vec::new()
            }
        })
    }

    /// The comment block right above line `first` (up to 10 lines, past annotations such as
    /// `@PostMapping`), in order, each line followed by a space: a function's documentation.
    pub fn comment_above(&self, first: usize) -> String {
        let mut above: Vec<&str> = Vec::new();
        let mut n = first;
        while n > 1 && above.len() < 10 {
            n -= 1;
            let t = self.lines.line_text(n).trim_start();
            if t.starts_with('@') {
                continue;
            }
            if !starts_comment(t) {
                break;
            }
            above.push(t);
        }
        let mut doc = String::new();
        for t in above.iter().rev() {
            doc.push_str(t);
            doc.push(' ');
        }
        doc
    }

    /// The source text of a location.
    pub fn text(&self, loc: &Loc) -> &str {
        self.source.get(loc.start..loc.end).unwrap_or("")
    }

    /// An evidence entry for the line where `loc` starts.
    pub fn evidence(&self, loc: &Loc, role: &str) -> Evidence {
        Evidence {
            line: loc.span.start_line,
            column: loc.span.start_col,
            role: role.to_string(),
            code: self.lines.line_text(loc.span.start_line).trim().to_string(),
        }
    }

    /// An evidence entry for a whole line: the column is its first non-blank character.
    pub fn line_evidence(&self, line: usize, role: &str) -> Evidence {
        let code = self.lines.line_text(line);
        Evidence {
            line,
            column: code.chars().take_while(|c| c.is_whitespace()).count() + 1,
            role: role.to_string(),
            code: code.trim().to_string(),
        }
    }
}

/// A line (trimmed at the start) that is a comment in any of the languages: `#`, `//`, `/*`, a
/// block comment's `*`, SQL's `--`.
pub fn starts_comment(t: &str) -> bool {
    ["//", "#", "/*", "*", "--"]
        .iter()
        .any(|m| t.starts_with(m))
}

/// How many findings of `hazard` the analyzer reports on `src` (for rules' unit tests).
#[cfg(test)]
pub fn count_findings(src: &str, language: Language, hazard: &str) -> usize {
    super::analyze(src, Some(language))
        .map(|a| a.findings.iter().filter(|f| f.hazard == hazard).count())
        .unwrap_or(0)
}

/// Builds a finding whose span covers `loc`.
pub fn finding(
    hazard: &'static str,
    severity: Severity,
    loc: &Loc,
    message: String,
    fix: String,
    evidence: Vec<Evidence>,
    params: BTreeMap<String, String>,
) -> Finding {
    let Span {
        start_line,
        start_col,
        end_line,
        end_col,
    } = loc.span;
    Finding {
        hazard,
        severity,
        span: Span {
            start_line,
            start_col,
            end_line,
            end_col,
        },
        message,
        fix,
        evidence,
        params,
    }
}

/// A rule's documentation, in the shape of a Ruff rule page. Shown by the app and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct RuleDoc {
    pub id: &'static str,
    pub title: &'static str,
    pub what_it_does: &'static str,
    pub why_bad_at_scale: &'static str,
    pub example: &'static str,
    pub use_instead: &'static str,
    pub languages: &'static [&'static str],
}

/// A rule's entry point.
pub type Check = fn(&Ctx, &mut Vec<Finding>);

/// Every rule, in catalog order (the order of `../shared/design.md`): documentation and check.
pub const RULES: [(RuleDoc, Check); 21] = [
    (check_then_act::DOC, check_then_act::check),
    (lost_update::DOC, lost_update::check),
    (per_user_cache_key::DOC, per_user_cache_key::check),
    (cache_stampede::DOC, cache_stampede::check),
    (unbounded_cache::DOC, unbounded_cache::check),
    (in_memory_rate_limit::DOC, in_memory_rate_limit::check),
    (in_memory_shared_state::DOC, in_memory_shared_state::check),
    (sync_long_task::DOC, sync_long_task::check),
    (no_timeout::DOC, no_timeout::check),
    (n_plus_one::DOC, n_plus_one::check),
    (
        expensive_query_per_request::DOC,
        expensive_query_per_request::check,
    ),
    (unbounded_query::DOC, unbounded_query::check),
    (missing_tenant_filter::DOC, missing_tenant_filter::check),
    (non_idempotent_webhook::DOC, non_idempotent_webhook::check),
    (retry_without_backoff::DOC, retry_without_backoff::check),
    (swallowed_error::DOC, swallowed_error::check),
    (spoofable_client_ip::DOC, spoofable_client_ip::check),
    (connection_per_request::DOC, connection_per_request::check),
    (
        expired_records_never_cleaned::DOC,
        expired_records_never_cleaned::check,
    ),
    (
        threads_for_cpu_in_python::DOC,
        threads_for_cpu_in_python::check,
    ),
    (cdn_uncompiled_assets::DOC, cdn_uncompiled_assets::check),
];

const DOCS: [RuleDoc; 21] = {
    let mut docs = [check_then_act::DOC; 21];
    let mut i = 0;
    while i < RULES.len() {
        docs[i] = RULES[i].0;
        i += 1;
    }
    docs
};

/// Every rule's documentation, in catalog order.
pub fn docs() -> &'static [RuleDoc] {
    &DOCS
}

/// Finds a rule's documentation by id.
pub fn doc(id: &str) -> Option<&'static RuleDoc> {
    docs().iter().find(|d| d.id == id)
}

/// Runs every rule over the lowered program.
pub fn run_all(program: &Program, source: &str, language: Language) -> Vec<Finding> {
    run_timed(program, source, language, &|| 0.0).0
}

/// Runs every rule and measures each with `now` (milliseconds): for finding slow rules.
pub fn run_timed(
    program: &Program,
    source: &str,
    language: Language,
    now: &dyn Fn() -> f64,
) -> (Vec<Finding>, Vec<(&'static str, f64)>) {
    let lines = LineIndex::new(source);
    let cx = Ctx::new(program, &lines, source, language);
    let mut out = Vec::new();
    let mut times = Vec::with_capacity(RULES.len());
    for (doc, check) in RULES {
        let t = now();
        check(&cx, &mut out);
        times.push((doc.id, now() - t));
    }
    drop_races_on_replica_state(&mut out);
    (out, times)
}

/// A check-then-act on an in-memory map that in-memory-shared-state reports too (`pendingHolds`
/// read and written in `checkout`, on 3 replicas): one problem, reported once, as the state
/// each replica keeps apart; making the map shared (Redis) is the fix for both.
fn drop_races_on_replica_state(out: &mut Vec<Finding>) {
    let bare = |s: &str| {
        s.trim_start_matches("this.")
            .trim_start_matches("self.")
            .to_string()
    };
    let shared: Vec<String> = out
        .iter()
        .filter(|f| f.hazard == in_memory_shared_state::DOC.id)
        .filter_map(|f| f.params.get("state"))
        .map(|s| bare(s))
        .collect();
    if shared.is_empty() {
        return;
    }
    out.retain(|f| {
        !(f.hazard == check_then_act::DOC.id
            && f.message.starts_with("in-memory")
            && f.params
                .get("entity")
                .is_some_and(|e| shared.contains(&bare(e))))
    });
}
