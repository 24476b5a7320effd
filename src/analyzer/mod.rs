//! Source text → findings.
//!
//! `detect` guesses the language, `parse` builds an error-tolerant tree-sitter tree, `lower`
//! turns the tree into language-neutral [`facts`], and each module in `rules` reads the facts
//! and emits [`Finding`]s. Nothing here touches the browser.

pub mod deploy;
pub mod detect;
pub mod facts;
pub mod find;
pub mod highlight;
mod lower;
pub mod rules;
pub mod sql;
mod sql_lower;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Inputs larger than this are refused with a message instead of being parsed.
pub const MAX_INPUT_BYTES: usize = 1_000_000;
/// More lines than this are refused: a snippet, not a whole repository.
pub const MAX_INPUT_LINES: usize = 20_000;

/// A language the analyzer understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    JavaScript,
    /// TypeScript, TSX included.
    TypeScript,
    Go,
    Java,
    Sql,
    /// HTML pages and templates (asset hazards only).
    Html,
}

impl Language {
    pub const ALL: [Language; 7] = [
        Language::Python,
        Language::JavaScript,
        Language::TypeScript,
        Language::Go,
        Language::Java,
        Language::Sql,
        Language::Html,
    ];

    /// Stable lower-case id used in URLs, JSON and the CLI.
    pub fn id(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Go => "go",
            Language::Java => "java",
            Language::Sql => "sql",
            Language::Html => "html",
        }
    }

    /// Human name for the UI.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::TypeScript => "TypeScript",
            Language::Go => "Go",
            Language::Java => "Java",
            Language::Sql => "SQL",
            Language::Html => "HTML",
        }
    }

    pub fn from_id(id: &str) -> Option<Language> {
        match id.to_ascii_lowercase().as_str() {
            "python" | "py" => Some(Language::Python),
            "javascript" | "js" | "jsx" => Some(Language::JavaScript),
            "typescript" | "ts" | "tsx" => Some(Language::TypeScript),
            "go" | "golang" => Some(Language::Go),
            "java" => Some(Language::Java),
            "sql" => Some(Language::Sql),
            "html" | "htm" => Some(Language::Html),
            _ => None,
        }
    }

    /// Language for a file name, by extension (used by the CLI).
    pub fn from_path(path: &str) -> Option<Language> {
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ext.as_str() {
            "py" | "pyw" => Some(Language::Python),
            "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" | "tsx" => Some(Language::TypeScript),
            "go" => Some(Language::Go),
            "java" => Some(Language::Java),
            "sql" => Some(Language::Sql),
            "html" | "htm" => Some(Language::Html),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A region of the source: 1-based lines, 1-based columns counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start_line: usize,
    pub start_col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

/// One line of the user's code that a finding points at, with what happens there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub line: usize,
    /// 1-based character column where the step starts on that line.
    pub column: usize,
    /// What the line does in the hazard, e.g. "read" or "write".
    pub role: String,
    /// The trimmed source text of the line.
    pub code: String,
}

/// A catalog id. An alias, not `&'static str` written out, so serde's derive does not tie
/// `Finding`'s lifetime to the input it is read from (ids are looked up in the catalog).
pub type HazardId = &'static str;

/// A hazard found in the source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id from the catalog, e.g. `check-then-act`.
    #[serde(deserialize_with = "hazard_id")]
    pub hazard: HazardId,
    pub severity: Severity,
    pub span: Span,
    /// Names the user's own lines and identifiers.
    pub message: String,
    /// A short fix.
    pub fix: String,
    pub evidence: Vec<Evidence>,
    /// Numbers and names found in the code that the simulator uses (ordered for stable output).
    pub params: BTreeMap<String, String>,
}

/// The whole number a text starts with: `"600 s, the SDK default"` → 600, `"1_800"` → 1800,
/// `"2.5"` → 2; `None` for `"none"` or an empty text. The simulator reads a finding's
/// `params` with it; rules read numbers out of code with it.
pub fn leading_number(text: &str) -> Option<u64> {
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    digits.parse().ok()
}

/// Reads a hazard id back into the catalog's own `&'static str`. An id the catalog does not
/// have is an error: both sides are built from the same source, so it means a damaged message.
fn hazard_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let id = String::deserialize(d)?;
    rules::docs()
        .iter()
        .map(|doc| doc.id)
        .find(|known| *known == id)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown hazard id {id:?}")))
}

/// The result of analysing one snippet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub language: Language,
    /// True when the language was guessed from the text rather than given.
    pub detected: bool,
    /// True when the parser had to recover from syntax errors (the rest was still analysed).
    pub syntax_errors: bool,
    pub lines: usize,
    pub findings: Vec<Finding>,
}

/// Why a snippet could not be analysed. Each has a message meant for a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnalyzeError {
    Empty,
    Binary {
        control_chars: usize,
    },
    TooLarge {
        bytes: usize,
    },
    TooManyLines {
        lines: usize,
    },
    UnknownLanguage,
    /// The parser ran past its time budget (see [`analyze_within`]).
    ParseStopped {
        after_ms: u64,
    },
}

impl fmt::Display for AnalyzeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnalyzeError::Empty => write!(f, "Nothing to analyse: paste some code."),
            AnalyzeError::Binary { control_chars } => write!(
                f,
                "This does not look like source code ({control_chars} control or binary characters). Paste text, not a binary file."
            ),
            AnalyzeError::TooLarge { bytes } => write!(
                f,
                "The snippet is {} KB; the analyser reads at most {} KB. Paste the handler or function you care about.",
                bytes / 1000,
                MAX_INPUT_BYTES / 1000
            ),
            AnalyzeError::TooManyLines { lines } => write!(
                f,
                "The snippet has {lines} lines; the analyser reads at most {MAX_INPUT_LINES}. Paste the handler or function you care about."
            ),
            AnalyzeError::ParseStopped { after_ms } => write!(
                f,
                "Parsing stopped after {:.1} s: this text is too tangled for the parser (long runs of unclosed brackets or quotes, or generated code). Paste a smaller part, or check its brackets and quotes.",
                *after_ms as f64 / 1000.0
            ),
            AnalyzeError::UnknownLanguage => write!(
                f,
                "Could not tell which language this is. Choose it in the Language menu (Python, JavaScript, TypeScript, Go, Java, SQL or HTML)."
            ),
        }
    }
}

impl std::error::Error for AnalyzeError {}

/// Checks the bounds every input must respect before any parsing happens.
pub fn check_input(source: &str) -> Result<(), AnalyzeError> {
    if source.len() > MAX_INPUT_BYTES {
        return Err(AnalyzeError::TooLarge {
            bytes: source.len(),
        });
    }
    if source.trim().is_empty() {
        return Err(AnalyzeError::Empty);
    }
    let lines = source.lines().count();
    if lines > MAX_INPUT_LINES {
        return Err(AnalyzeError::TooManyLines { lines });
    }
    let control_chars = source
        .chars()
        .filter(|&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}'
        })
        .count();
    // A few stray control characters happen in real pastes; a binary blob has many.
    if control_chars > 8 && control_chars * 50 > source.chars().count() {
        return Err(AnalyzeError::Binary { control_chars });
    }
    Ok(())
}

/// Parses with tree-sitter and nothing else (for timing the stages).
pub fn parse_only(source: &str, language: Language) -> bool {
    lower::parse_only(source, language)
}

/// Parses and lowers without running rules (for timing the stages).
pub fn lower_only(source: &str, language: Language) -> facts::Program {
    lower::lower(source, language)
}

/// How long parsing one snippet may take in the app and the CLI, in milliseconds. The largest
/// accepted input of real code parses in well under a second; some small adversarial pastes
/// (38 KB of Go repeating `a.b(`) send tree-sitter's error recovery on for tens of seconds.
pub const PARSE_BUDGET_MS: f64 = 5_000.0;

/// Analyses `source`. `language` overrides detection when given.
pub fn analyze(source: &str, language: Option<Language>) -> Result<Analysis, AnalyzeError> {
    analyze_inner(source, language, &mut || false, &|| 0)
}

/// [`analyze`], with parsing stopped once `budget_ms` have passed on the clock `now`
/// (milliseconds from any fixed origin; the caller supplies it, as the browser has its own).
pub fn analyze_within(
    source: &str,
    language: Option<Language>,
    now: &dyn Fn() -> f64,
    budget_ms: f64,
) -> Result<Analysis, AnalyzeError> {
    let start = now();
    let elapsed = || (now() - start).max(0.0);
    analyze_inner(source, language, &mut || elapsed() > budget_ms, &|| {
        elapsed() as u64
    })
}

fn analyze_inner(
    source: &str,
    language: Option<Language>,
    stop: &mut dyn FnMut() -> bool,
    elapsed_ms: &dyn Fn() -> u64,
) -> Result<Analysis, AnalyzeError> {
    check_input(source)?;
    let (language, detected) = match language {
        Some(l) => (l, false),
        None => (
            detect::detect(source).ok_or(AnalyzeError::UnknownLanguage)?,
            true,
        ),
    };
    let lines = source.lines().count();
    // A fragment cut off inside a handler parses as one broken statement; closing what it left
    // open (after the last line, so every offset and line stays the user's) lets the handler be
    // seen as one.
    let closers = lower::truncation_closers(source, language);
    let last_line_chars = source.lines().last().map_or(0, |l| l.chars().count());
    let repaired;
    let source = if closers.is_empty() {
        source
    } else {
        repaired = format!("{source}\n{closers}\n");
        repaired.as_str()
    };
    let program =
        lower::lower_within(source, language, stop).ok_or_else(|| AnalyzeError::ParseStopped {
            after_ms: elapsed_ms(),
        })?;
    let mut findings = rules::run_all(&program, source, language);
    findings.sort_by(|a, b| a.span.cmp(&b.span).then(a.hazard.cmp(b.hazard)));
    findings.dedup_by(|a, b| a.hazard == b.hazard && a.span.start_line == b.span.start_line);
    one_race_per_read(&mut findings);
    one_finding_per_store(&mut findings);
    if !closers.is_empty() {
        // What was added to close the fragment is not the user's: spans and evidence end at
        // their last line.
        let last = lines.max(1);
        findings.retain(|f| f.span.start_line <= last);
        for f in &mut findings {
            if f.span.end_line > last {
                f.span.end_line = last;
                f.span.end_col = last_line_chars + 1;
            }
            f.evidence.retain(|e| e.line <= last);
        }
    }
    Ok(Analysis {
        language,
        detected,
        syntax_errors: program.syntax_errors,
        lines,
        findings,
    })
}

/// A read that is checked and then written back computed (`if acct.balance < amount: …;
/// acct.balance -= amount`) is one problem, not two: lost-update says what is lost and how to
/// fix it (an atomic conditional update covers the check too), so a check-then-act on the same
/// read line is dropped.
fn one_race_per_read(findings: &mut Vec<Finding>) {
    drop_where_other(findings, rules::lost_update::ID, rules::check_then_act::ID);
}

/// A rate limiter's counters are process state too, but the rate-limit finding says what
/// breaks (each replica allows the full limit) and how to fix it; a shared-state finding on
/// the same declaration would say the same thing twice.
fn one_finding_per_store(findings: &mut Vec<Finding>) {
    drop_where_other(
        findings,
        rules::in_memory_rate_limit::ID,
        rules::in_memory_shared_state::ID,
    );
}

/// Drops the `dropped` findings that start on a line where a `kept` finding starts.
fn drop_where_other(findings: &mut Vec<Finding>, kept: &str, dropped: &str) {
    let lines: Vec<usize> = findings
        .iter()
        .filter(|f| f.hazard == kept)
        .map(|f| f.span.start_line)
        .collect();
    if !lines.is_empty() {
        findings.retain(|f| f.hazard != dropped || !lines.contains(&f.span.start_line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limiter_store_is_one_rate_limit_finding_not_also_shared_state() {
        let src = include_str!(
            "../../tests/fixtures/in-memory-rate-limit/javascript/pos_counters_object_cluster.js"
        );
        let hazards: Vec<&str> = analyze(src, Some(Language::JavaScript))
            .unwrap()
            .findings
            .iter()
            .filter(|f| f.span.start_line == 7)
            .map(|f| f.hazard)
            .collect();
        assert_eq!(hazards, vec![rules::in_memory_rate_limit::ID]);
    }

    #[test]
    fn a_checked_decrement_is_one_lost_update_not_two_findings() {
        let hazards = |src: &str| -> Vec<&str> {
            analyze(src, Some(Language::Python))
                .unwrap()
                .findings
                .iter()
                .map(|f| f.hazard)
                .collect()
        };
        let pay = "@app.post('/pay')\ndef pay(account_id, amount):\n    acct = Account.objects.get(pk=account_id)\n    if acct.balance < amount:\n        raise ValueError('insufficient')\n    acct.balance = acct.balance - amount\n    acct.save()\n";
        assert_eq!(hazards(pay), vec![rules::lost_update::ID]);
        // A check on a field that is then set (not computed from itself) stays a check-then-act.
        let claim = "@app.post('/claim')\ndef claim(item_id, user_id):\n    item = Item.objects.get(pk=item_id)\n    if item.owner_id is not None:\n        raise ValueError('taken')\n    item.owner_id = user_id\n    item.save()\n";
        assert_eq!(hazards(claim), vec![rules::check_then_act::ID]);
    }

    #[test]
    fn empty_and_blank_input() {
        assert_eq!(analyze("", None), Err(AnalyzeError::Empty));
        assert_eq!(
            analyze(" \n\t\n", Some(Language::Python)),
            Err(AnalyzeError::Empty)
        );
        assert!(AnalyzeError::Empty.to_string().contains("paste some code"));
    }

    #[test]
    fn binary_junk_is_refused() {
        let junk: String = (0..10_000u32)
            .map(|i| char::from_u32((i * 7919) % 40).unwrap_or('\0'))
            .collect();
        assert!(matches!(
            analyze(&junk, None),
            Err(AnalyzeError::Binary { .. })
        ));
        // A stray control character in real code is fine.
        assert!(analyze("def f():\n    return 1\u{7}\n", None).is_ok());
    }

    #[test]
    fn size_bounds() {
        let big = "x = 1\n".repeat(MAX_INPUT_BYTES / 6 + 10);
        let err = analyze(&big, Some(Language::Python)).unwrap_err();
        assert!(matches!(err, AnalyzeError::TooLarge { .. }));
        assert!(err.to_string().contains("KB"));
        let many = "x\n".repeat(50_000);
        assert_eq!(
            analyze(&many, Some(Language::Python)),
            Err(AnalyzeError::TooManyLines { lines: 50_000 })
        );
        let at_limit = "x = 1\n".repeat(MAX_INPUT_LINES);
        assert!(analyze(&at_limit, Some(Language::Python)).is_ok());
    }

    #[test]
    fn unknown_language_asks_for_a_choice() {
        let prose = "Dear team,\nthe meeting moved to Thursday afternoon.\nRegards";
        assert_eq!(analyze(prose, None), Err(AnalyzeError::UnknownLanguage));
        // The same text with a language chosen is analysed (and has nothing to report).
        assert!(analyze(prose, Some(Language::JavaScript))
            .unwrap()
            .findings
            .is_empty());
    }

    #[test]
    fn syntax_errors_are_reported_and_tolerated() {
        let src = format!(
            "{}\ndef broken(:\n",
            include_str!("../scenarios/seat_booking/naive.py")
        );
        let a = analyze(&src, None).unwrap();
        assert!(a.syntax_errors);
        assert_eq!(a.findings.len(), 1);
        assert_eq!(a.findings[0].span.start_line, 12);
    }

    #[test]
    fn odd_text_never_panics() {
        for src in [
            "\u{202e}abc",
            "'''",
            "`${",
            "\"\\",
            "def",
            "((((",
            "😀 = 1",
            "\r\n\r\n",
            "a\u{0}b",
        ] {
            for lang in [None, Some(Language::Python), Some(Language::JavaScript)] {
                let _ = analyze(src, lang);
            }
        }
    }

    /// A paste that keeps tree-sitter's error recovery busy for about 30 s natively (found by
    /// `make fuzz`) is stopped at the budget with a message. The clock is fake (1 ms per
    /// look), so the stop is exact and the test takes a fraction of a second.
    #[test]
    fn parsing_stops_at_the_budget() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz_slow/analyzer-5d03904eea15bcac-slow.bin"
        );
        let raw = std::fs::read(path).expect("the slow Go input is kept in tests/fuzz_slow");
        let body = &raw[raw.iter().position(|&b| b == b'\n').unwrap() + 1..];
        let source = String::from_utf8_lossy(body);
        let ticks = std::cell::Cell::new(0.0);
        let now = || {
            ticks.set(ticks.get() + 1.0);
            ticks.get()
        };
        let err = analyze_within(&source, Some(Language::Go), &now, 40.0).unwrap_err();
        assert_eq!(err, AnalyzeError::ParseStopped { after_ms: 42 });
        assert!(err.to_string().starts_with("Parsing stopped after 0.0 s"));
        assert_eq!(
            AnalyzeError::ParseStopped { after_ms: 5_000 }.to_string()[..28],
            *"Parsing stopped after 5.0 s:"
        );
    }

    /// Within the budget the answer is the same as without one, in every language.
    #[test]
    fn a_budget_that_is_not_reached_changes_nothing() {
        for scenario in crate::scenarios::all() {
            for snippet in scenario.snippets {
                let start = std::time::Instant::now();
                let now = || start.elapsed().as_secs_f64() * 1000.0;
                assert_eq!(
                    analyze_within(snippet.naive, None, &now, 60_000.0),
                    analyze(snippet.naive, None),
                    "{}",
                    scenario.id
                );
            }
        }
    }
}
