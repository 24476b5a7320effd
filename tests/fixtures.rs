#![cfg(not(target_arch = "wasm32"))]
//! Fixture and snapshot tests for the analyzer rules.
//!
//! Every file under `tests/fixtures/<rule>/<language>/` starts with one or more expectation
//! comments:
//!
//! ```text
//! # expect: check-then-act read=12 write=19     (`#`, `//`, `--` or `<!--` comments)
//! # expect: no-timeout line=7
//! # expect: none
//! ```
//!
//! For each expectation there must be a finding of that hazard matching every `key=N`: `line=N`
//! is the finding's first line, any other key is an evidence role (`read`, `write`, `call`, …)
//! at that line (1-based, the comment line counts as line 1); the message must name each of
//! those lines. `none` means the folder's rule stays silent on the file. The findings are
//! also compared against `tests/snapshots/<rule>/<language>/<file name>.json`;
//! `UPDATE_SNAPSHOTS=1 cargo test --no-default-features --test fixtures` (re)writes them.
//! All mismatches are collected and reported together, so one run shows every file to tune.

use hazard_lab::analyzer::{analyze, Finding, Language};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Minimum positives and negatives per (rule, language) folder; the first slice's rule has more
/// in the first slice's languages.
fn minimum(rule: &str, language: &str) -> (usize, usize) {
    if rule == "check-then-act" && matches!(language, "python" | "javascript") {
        (8, 8)
    } else {
        (3, 2)
    }
}

/// Sub-folders of `dir`, sorted (rules under tests/fixtures, languages under a rule).
fn subdirs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[derive(Debug, Clone, PartialEq)]
enum Expect {
    None,
    Hazard {
        hazard: String,
        /// (`line` or an evidence role, 1-based line)
        at: Vec<(String, usize)>,
    },
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var("UPDATE_SNAPSHOTS")
        .map(|v| v == "1")
        .unwrap_or(false)
}

/// Parses the leading `expect:` comment lines of a fixture.
fn parse_expectations(text: &str) -> Result<Vec<Expect>, String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let rest = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix("//"))
            .or_else(|| t.strip_prefix("--"))
            .or_else(|| t.strip_prefix("<!--").map(|r| r.trim_end_matches("-->")));
        let Some(rest) = rest.map(str::trim) else {
            break;
        };
        let Some(spec) = rest.strip_prefix("expect:") else {
            break;
        };
        let spec = spec.trim();
        if spec == "none" {
            out.push(Expect::None);
            continue;
        }
        let mut parts = spec.split_whitespace();
        let hazard = parts.next().ok_or("empty expect line")?.to_string();
        let mut at = Vec::new();
        for p in parts {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| format!("bad expect token {p:?}"))?;
            let n: usize = v.parse().map_err(|_| format!("bad line number in {p:?}"))?;
            at.push((k.to_string(), n));
        }
        if at.is_empty() {
            return Err("expect line needs at least one key=line (line=N, read=N, …)".into());
        }
        out.push(Expect::Hazard { hazard, at });
    }
    if out.is_empty() {
        return Err("no `expect:` comment on the first line".into());
    }
    if out.contains(&Expect::None) && out.len() > 1 {
        return Err("`expect: none` cannot be combined with other expectations".into());
    }
    Ok(out)
}

fn has_line_number(message: &str, n: usize) -> bool {
    let n = n.to_string();
    message.split(|c: char| !c.is_ascii_digit()).any(|w| w == n)
}

fn finding_matches(f: &Finding, hazard: &str, at: &[(String, usize)]) -> bool {
    f.hazard == hazard
        && at.iter().all(|(k, n)| {
            if k == "line" {
                f.span.start_line == *n
            } else {
                f.evidence.iter().any(|e| e.role == *k && e.line == *n)
            }
        })
}

fn describe_at(at: &[(String, usize)]) -> String {
    at.iter()
        .map(|(k, n)| format!("{k}={n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe(findings: &[Finding], rule: &str) -> String {
    let of_rule: Vec<&Finding> = findings.iter().filter(|f| f.hazard == rule).collect();
    if of_rule.is_empty() {
        let others: Vec<&str> = findings.iter().map(|f| f.hazard).collect();
        return if others.is_empty() {
            "no findings".to_string()
        } else {
            format!("no {rule} finding (other hazards: {others:?})")
        };
    }
    let mut s = String::new();
    for f in of_rule {
        let ev: Vec<String> = f
            .evidence
            .iter()
            .map(|e| format!("{}@{}", e.role, e.line))
            .collect();
        let _ = write!(
            s,
            "\n        {} lines {}-{} evidence [{}] message {:?}",
            f.hazard,
            f.span.start_line,
            f.span.end_line,
            ev.join(", "),
            f.message
        );
    }
    s
}

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read fixture folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs the CLI once over every fixture (`check tests/fixtures --format json`) and groups its
/// output rows by file.
fn cli_json_by_file(root: &Path) -> std::collections::HashMap<String, Vec<serde_json::Value>> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hazard-lab"))
        .args(["check", "tests/fixtures", "--format", "json"])
        .current_dir(root)
        .output()
        .expect("run the hazard-lab CLI");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "CLI failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("the CLI prints a JSON array");
    let mut by_file: std::collections::HashMap<String, Vec<serde_json::Value>> =
        std::collections::HashMap::new();
    for row in rows {
        let file = row["file"].as_str().unwrap_or_default().replace('\\', "/");
        by_file.entry(file).or_default().push(row);
    }
    by_file
}

#[test]
fn fixtures_match_expectations_and_snapshots() {
    let root = root();
    let update = updating();
    let mut problems: Vec<String> = Vec::new();
    let mut missing_snapshots: Vec<String> = Vec::new();
    let mut checked = 0usize;

    let rules = subdirs(&root.join("tests/fixtures"));
    assert!(!rules.is_empty(), "no fixture folders under tests/fixtures");
    let cli = cli_json_by_file(&root);
    for rule in &rules {
        for lang_dir in &subdirs(&root.join("tests/fixtures").join(rule)) {
            let lang_dir = lang_dir.as_str();
            let (min_pos, min_neg) = minimum(rule, lang_dir);
            let dir = root.join("tests/fixtures").join(rule).join(lang_dir);
            let snap_dir = root.join("tests/snapshots").join(rule).join(lang_dir);
            let files = fixture_files(&dir);
            let pos = files
                .iter()
                .filter(|p| file_name(p).starts_with("pos_"))
                .count();
            let neg = files
                .iter()
                .filter(|p| file_name(p).starts_with("neg_"))
                .count();
            if pos < min_pos || neg < min_neg {
                problems.push(format!(
                    "{}: needs at least {min_pos} positive and {min_neg} negative fixtures, has {pos} and {neg}",
                    dir.display()
                ));
            }

            for path in &files {
                checked += 1;
                let rel = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                let name = file_name(path);
                let text = match fs::read_to_string(path) {
                    Ok(t) => t,
                    Err(e) => {
                        problems.push(format!("{rel}: unreadable: {e}"));
                        continue;
                    }
                };
                let Some(lang) = Language::from_path(&name) else {
                    problems.push(format!("{rel}: Language::from_path gives no language"));
                    continue;
                };
                if lang.id() != lang_dir {
                    problems.push(format!(
                        "{rel}: extension says {}, folder says {lang_dir}",
                        lang.id()
                    ));
                }
                let expects = match parse_expectations(&text) {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(format!("{rel}: bad fixture header: {e}"));
                        continue;
                    }
                };
                if name.starts_with("pos_") == expects.contains(&Expect::None) {
                    problems.push(format!(
                        "{rel}: pos_/neg_ file name disagrees with its expect line"
                    ));
                }

                let analysis = match analyze(&text, Some(lang)) {
                    Ok(a) => a,
                    Err(e) => {
                        problems.push(format!("{rel}: analyze returned an error: {e}"));
                        continue;
                    }
                };
                let findings = &analysis.findings;

                // Expectations.
                for exp in &expects {
                    match exp {
                        Expect::None => {
                            if findings.iter().any(|f| f.hazard == *rule) {
                                problems.push(format!(
                                    "{rel}: expected no {rule}, found:{}",
                                    describe(findings, rule)
                                ));
                            }
                        }
                        Expect::Hazard { hazard, at } => {
                            match findings.iter().find(|f| finding_matches(f, hazard, at)) {
                                None => problems.push(format!(
                                    "{rel}: expected {hazard} {}, found: {}",
                                    describe_at(at),
                                    describe(findings, hazard)
                                )),
                                Some(f) => {
                                    if let Some((_, n)) =
                                        at.iter().find(|(_, n)| !has_line_number(&f.message, *n))
                                    {
                                        problems.push(format!(
                                            "{rel}: {hazard} message should name line {n}: {:?}",
                                            f.message
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
                let expected_count = expects
                    .iter()
                    .filter(|e| matches!(e, Expect::Hazard { .. }))
                    .count();
                let found_count = findings.iter().filter(|f| f.hazard == *rule).count();
                if expected_count > 0 && found_count > expected_count {
                    problems.push(format!(
                        "{rel}: expected {expected_count} {rule} finding(s), found {found_count}:{}",
                        describe(findings, rule)
                    ));
                }

                // Snapshot: what `hazard-lab check --format json` prints for this file.
                let cli_rows = cli.get(&rel).cloned().unwrap_or_default();
                if cli_rows.len() != findings.len() {
                    problems.push(format!(
                        "{rel}: the CLI reports {} finding(s), the library {}",
                        cli_rows.len(),
                        findings.len()
                    ));
                }
                let json =
                    serde_json::to_string_pretty(&cli_rows).expect("findings serialize") + "\n";
                let snap = snap_dir.join(format!("{name}.json"));
                let snap_rel = snap
                    .strip_prefix(&root)
                    .unwrap_or(&snap)
                    .display()
                    .to_string();
                if update {
                    fs::create_dir_all(&snap_dir).expect("create snapshot folder");
                    fs::write(&snap, &json).unwrap_or_else(|e| panic!("write {snap_rel}: {e}"));
                    continue;
                }
                match fs::read_to_string(&snap) {
                    Err(_) => missing_snapshots.push(snap_rel),
                    Ok(old) if old.replace("\r\n", "\n") != json => problems.push(format!(
                        "{rel}: findings differ from snapshot {snap_rel} (rerun with UPDATE_SNAPSHOTS=1 \
                         if the change is intended)\n{}",
                        first_difference(&old, &json)
                    )),
                    Ok(_) => {}
                }
            }

            // Snapshots whose fixture is gone.
            if !update {
                if let Ok(entries) = fs::read_dir(&snap_dir) {
                    for e in entries.flatten() {
                        let n = e.file_name().to_string_lossy().to_string();
                        if let Some(fixture) = n.strip_suffix(".json") {
                            if !dir.join(fixture).is_file() {
                                problems.push(format!(
                                    "{}: stale snapshot, no fixture {fixture} (delete it)",
                                    e.path().strip_prefix(&root).unwrap_or(&e.path()).display()
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    assert!(checked > 0, "no fixtures found");
    if !missing_snapshots.is_empty() {
        problems.push(format!(
            "{} snapshot(s) missing: {}\n    create them with `UPDATE_SNAPSHOTS=1 cargo test --no-default-features --test fixtures` \
             once the expectations above pass",
            missing_snapshots.len(),
            missing_snapshots.join(", ")
        ));
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} fixture checks failed:\n  - {}\n",
        problems.len(),
        problems.join("\n  - ")
    );
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn first_difference(old: &str, new: &str) -> String {
    let (o, n): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    for i in 0..o.len().max(n.len()) {
        let (a, b) = (o.get(i).copied(), n.get(i).copied());
        if a != b {
            return format!(
                "      first difference at snapshot line {}:\n        snapshot: {}\n        now:      {}",
                i + 1,
                a.unwrap_or("<end>"),
                b.unwrap_or("<end>")
            );
        }
    }
    String::new()
}

#[test]
fn expectation_header_parser() {
    assert_eq!(
        parse_expectations("# expect: none\nx = 1\n").unwrap(),
        vec![Expect::None]
    );
    assert_eq!(
        parse_expectations("// expect: check-then-act read=3 write=9\n// expect: check-then-act read=12 write=14\n")
            .unwrap(),
        vec![
            Expect::Hazard { hazard: "check-then-act".into(), at: vec![("read".into(), 3), ("write".into(), 9)] },
            Expect::Hazard { hazard: "check-then-act".into(), at: vec![("read".into(), 12), ("write".into(), 14)] },
        ]
    );
    assert!(parse_expectations("import os\n").is_err());
    assert!(parse_expectations("# expect: check-then-act\n").is_err());
    assert!(parse_expectations("-- expect: unbounded-query line=2\n").is_ok());
    assert!(parse_expectations("<!-- expect: cdn-uncompiled-assets line=4 -->\n").is_ok());
    assert!(has_line_number("read at line 12, write at line 17", 17));
    assert!(!has_line_number("read at line 12, write at line 117", 17));
}
