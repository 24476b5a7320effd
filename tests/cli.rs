#![cfg(not(target_arch = "wasm32"))]
//! Runs the built `hazard-lab` binary the way a person or CI would:
//! `hazard-lab check PATH... [--format text|json|sarif]`.
//! Exit codes: 0 nothing found, 1 something found, 2 error (with one line on stderr).

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_hazard-lab");
const POS_PY: &str = "tests/fixtures/check-then-act/python/pos_flask_psycopg_register.py";
const POS_JS: &str = "tests/fixtures/check-then-act/javascript/pos_mysql_stock_check.js";
const NEG_PY: &str = "tests/fixtures/check-then-act/python/neg_psycopg_conditional_update.py";
const NEG_JS: &str =
    "tests/fixtures/check-then-act/javascript/neg_pg_conditional_update_rowcount.js";
const FIXTURE_DIR: &str = "tests/fixtures/check-then-act";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .env_remove("UPDATE_SNAPSHOTS")
        .output()
        .expect("run hazard-lab")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code (not killed by a signal)")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    )
}

/// (read, write) line pairs from the fixture's `expect:` header.
fn expected_pairs(rel: &str) -> Vec<(usize, usize)> {
    let text = fs::read_to_string(root().join(rel)).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(spec) = line.split_once("expect:").map(|(_, s)| s.trim()) else {
            break;
        };
        if spec == "none" {
            break;
        }
        let num = |k: &str| -> usize {
            spec.split_whitespace()
                .find_map(|t| t.strip_prefix(k))
                .and_then(|v| v.parse().ok())
                .unwrap()
        };
        out.push((num("read="), num("write=")));
    }
    out
}

/// Parses `file:line:col: rest` (the file part may itself contain no `:` on Unix paths we use).
fn parse_diag(line: &str) -> Option<(String, usize, usize, String)> {
    let mut parts = line.splitn(4, ':');
    let file = parts.next()?.to_string();
    let l = parts.next()?.trim().parse().ok()?;
    let c = parts.next()?.trim().parse().ok()?;
    let rest = parts.next()?.to_string();
    Some((file, l, c, rest))
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn check_text_diagnostic(rel: &str) {
    let o = run(&["check", rel]);
    assert_eq!(code(&o), 1, "a positive fixture must exit 1\n{}", show(&o));
    let out = stdout(&o);
    let source = fs::read_to_string(root().join(rel)).unwrap();
    let src_lines: Vec<&str> = source.lines().collect();
    let pairs = expected_pairs(rel);

    let diags: Vec<(usize, (String, usize, usize, String))> = out
        .lines()
        .enumerate()
        .filter_map(|(i, l)| parse_diag(l).map(|d| (i, d)))
        .filter(|(_, d)| d.3.contains("check-then-act"))
        .collect();
    assert!(
        !diags.is_empty(),
        "expected a `{rel}:LINE:COL: ... check-then-act ...` line\n{}",
        show(&o)
    );
    let out_lines: Vec<&str> = out.lines().collect();
    for (idx, (file, line, col, _rest)) in &diags {
        assert!(
            file == rel || file.ends_with(rel),
            "diagnostic names file {file:?}, expected {rel:?}\n{}",
            show(&o)
        );
        assert!(
            pairs.iter().any(|(r, w)| (*r..=*w).contains(line)),
            "diagnostic at line {line}, expected within one of the read..write ranges {pairs:?}\n{}",
            show(&o)
        );
        let src = src_lines[line - 1];
        assert!(
            *col >= 1 && *col <= src.chars().count() + 1,
            "column {col} outside line {line}: {src:?}"
        );
        // The source line is quoted after the header, then a caret line under the column.
        let window = &out_lines[idx + 1..out_lines.len().min(idx + 8)];
        let quoted = window
            .iter()
            .position(|l| l.contains(src.trim()))
            .unwrap_or_else(|| {
                panic!(
                    "source line {line} ({:?}) not quoted after the header\n{}",
                    src.trim(),
                    show(&o)
                )
            });
        let caret = window[quoted + 1..]
            .iter()
            .find(|l| {
                l.find('^')
                    .is_some_and(|i| l[..i].chars().all(|c| " \t|0123456789".contains(c)))
            })
            .unwrap_or_else(|| panic!("no caret line under the quoted source line\n{}", show(&o)));
        // When the source line is quoted verbatim (indentation kept), the caret sits under COL.
        let q = window[quoted];
        if let Some(prefix) = q.strip_suffix(src).map(|p| p.chars().count()) {
            let caret_col =
                caret.chars().position(|c| c == '^').unwrap() as i64 - prefix as i64 + 1;
            assert_eq!(
                caret_col,
                *col as i64,
                "caret is under column {caret_col}, header says {col}\n{}",
                show(&o)
            );
        }
    }
}

#[test]
fn text_positive_python() {
    check_text_diagnostic(POS_PY);
}

#[test]
fn text_positive_javascript() {
    check_text_diagnostic(POS_JS);
}

#[test]
fn negative_fixtures_exit_0() {
    for rel in [NEG_PY, NEG_JS] {
        let o = run(&["check", rel]);
        assert_eq!(code(&o), 0, "a negative fixture must exit 0\n{}", show(&o));
        assert!(
            !stdout(&o).contains("check-then-act"),
            "no finding expected\n{}",
            show(&o)
        );
        let o = run(&["check", "--format", "json", rel]);
        assert_eq!(code(&o), 0, "{}", show(&o));
        let v: Value =
            serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("json: {e}\n{}", show(&o)));
        assert_eq!(
            v,
            Value::Array(vec![]),
            "clean file gives an empty JSON array"
        );
    }
}

fn json_findings(args: &[&str]) -> (Output, Vec<Value>) {
    let o = run(args);
    let v: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", show(&o)));
    let arr = v
        .as_array()
        .unwrap_or_else(|| panic!("JSON output must be an array\n{}", show(&o)))
        .clone();
    (o, arr)
}

#[test]
fn json_format() {
    // Flag after the path, and before it: both are accepted.
    for args in [
        vec!["check", POS_PY, "--format", "json"],
        vec!["check", "--format", "json", POS_PY],
    ] {
        let (o, arr) = json_findings(&args);
        assert_eq!(code(&o), 1, "{}", show(&o));
        assert!(!arr.is_empty(), "a finding expected\n{}", show(&o));
        let pairs = expected_pairs(POS_PY);
        for f in &arr {
            for key in [
                "file", "hazard", "line", "end_line", "column", "severity", "message",
            ] {
                assert!(f.get(key).is_some(), "key {key:?} missing in {f}");
            }
            assert!(
                f["file"].as_str().unwrap().ends_with(POS_PY),
                "file: {}",
                f["file"]
            );
            assert!(
                f["line"].is_u64() && f["end_line"].is_u64() && f["column"].is_u64(),
                "numbers: {f}"
            );
            assert!(
                f["line"].as_u64() <= f["end_line"].as_u64(),
                "line <= end_line: {f}"
            );
            assert!(
                matches!(
                    f["severity"].as_str(),
                    Some("error" | "warning" | "note" | "info")
                ),
                "{f}"
            );
            assert!(!f["message"].as_str().unwrap().is_empty());
        }
        let cta: Vec<&Value> = arr
            .iter()
            .filter(|f| f["hazard"] == "check-then-act")
            .collect();
        assert_eq!(
            cta.len(),
            pairs.len(),
            "one check-then-act per expectation\n{}",
            show(&o)
        );
        let (r, w) = pairs[0];
        let line = cta[0]["line"].as_u64().unwrap() as usize;
        assert!(
            (r..=w).contains(&line),
            "line {line} should be within {r}..={w}"
        );
        let msg = cta[0]["message"].as_str().unwrap();
        assert!(
            msg.contains(&r.to_string()) && msg.contains(&w.to_string()),
            "message names lines {r} and {w}: {msg}"
        );
    }
}

#[test]
fn sarif_format() {
    let o = run(&["check", "--format", "sarif", POS_JS]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let v: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("SARIF is not JSON ({e})\n{}", show(&o)));
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"].as_str().is_some_and(|s| s.contains("sarif")),
        "$schema: {}",
        v["$schema"]
    );
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "hazard-lab");
    let rules = run0["tool"]["driver"]["rules"]
        .as_array()
        .expect("driver.rules array");
    assert!(
        rules.iter().any(|r| r["id"] == "check-then-act"),
        "rules: {rules:?}"
    );
    for r in rules {
        assert!(r["id"].is_string(), "every rule has an id: {r}");
    }
    let results = run0["results"].as_array().expect("results array");
    assert!(!results.is_empty(), "a result expected");
    let (r, w) = expected_pairs(POS_JS)[0];
    let res = results
        .iter()
        .find(|x| x["ruleId"] == "check-then-act")
        .expect("a check-then-act result");
    assert!(
        res["message"]["text"].is_string(),
        "result.message.text: {res}"
    );
    let loc = &res["locations"][0]["physicalLocation"];
    let uri = loc["artifactLocation"]["uri"]
        .as_str()
        .expect("artifactLocation.uri");
    assert!(uri.ends_with("pos_mysql_stock_check.js"), "uri: {uri}");
    let start = loc["region"]["startLine"]
        .as_u64()
        .expect("region.startLine") as usize;
    assert!(
        (r..=w).contains(&start),
        "startLine {start} within {r}..={w}"
    );

    // A clean file: valid SARIF with no results, exit 0.
    let o = run(&["check", "--format", "sarif", NEG_JS]);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["runs"][0]["results"].as_array().map(|a| a.len()),
        Some(0),
        "{v}"
    );
}

#[test]
fn directory_is_walked() {
    let (o, arr) = json_findings(&["check", "--format", "json", FIXTURE_DIR]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let files: Vec<&str> = arr
        .iter()
        .filter(|f| f["hazard"] == "check-then-act")
        .filter_map(|f| f["file"].as_str())
        .collect();
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    for lang in ["python", "javascript"] {
        for e in fs::read_dir(root().join(FIXTURE_DIR).join(lang))
            .unwrap()
            .flatten()
        {
            let name = e.file_name().to_string_lossy().to_string();
            let hit = files.iter().any(|f| f.ends_with(&format!("{lang}/{name}")));
            if name.starts_with("pos_") && !hit {
                missing.push(name);
            } else if name.starts_with("neg_") && hit {
                wrong.push(name);
            }
        }
    }
    assert!(
        missing.is_empty() && wrong.is_empty(),
        "walking {FIXTURE_DIR}: positives without a finding {missing:?}; negatives with one {wrong:?}"
    );

    // Text format over a directory too.
    let o = run(&["check", FIXTURE_DIR]);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(
        stdout(&o)
            .lines()
            .any(|l| parse_diag(l).is_some_and(|d| d.0.contains("pos_"))),
        "{}",
        show(&o)
    );

    // A directory of clean files exits 0.
    let dir = scratch("clean");
    fs::copy(root().join(NEG_PY), dir.join("a.py")).unwrap();
    fs::copy(root().join(NEG_JS), dir.join("b.js")).unwrap();
    let o = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", show(&o));
}

fn assert_one_line_error(o: &Output, mention: &str) {
    assert_eq!(code(o), 2, "an error must exit 2\n{}", show(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "stderr must be one line\n{}", show(o));
    assert!(
        lines[0].contains(mention),
        "stderr should name {mention:?}: {:?}",
        lines[0]
    );
    assert!(!err.contains("panicked"), "no panic: {err}");
}

#[test]
fn nonexistent_path_is_an_error() {
    let o = run(&["check", "tests/fixtures/does-not-exist.py"]);
    assert_one_line_error(&o, "does-not-exist.py");
}

#[test]
fn unknown_extension_is_an_error() {
    let dir = scratch("unknown");
    let path = dir.join("notes.txt");
    fs::write(
        &path,
        "The seat map loads slowly on Fridays.\nWe should look at the booking flow next sprint.\n",
    )
    .unwrap();
    let o = run(&["check", path.to_str().unwrap()]);
    assert_one_line_error(&o, "notes.txt");
}

#[test]
fn bad_usage_is_an_error() {
    let o = run(&["check", "--format", "yaml", POS_PY]);
    assert_eq!(code(&o), 2, "unknown format must exit 2\n{}", show(&o));
    assert!(!stderr(&o).trim().is_empty());
}

// ---- simulate -------------------------------------------------------------------------------

#[test]
fn simulate_hazard_json_has_the_documented_shape() {
    let o = run(&[
        "simulate",
        "--hazard",
        "check-then-act",
        "--seed",
        "42",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["hazard"], "check-then-act");
    assert_eq!(v["seed"], 42);
    assert_eq!(v["metric"], "double bookings");
    let naive: Vec<u64> = v["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["naive"]["failures"].as_u64().unwrap())
        .collect();
    assert_eq!(naive, [0, 0, 0, 0, 3, 5, 26, 74]);
    for l in v["levels"].as_array().unwrap() {
        assert_eq!(l["fixed"]["failures"], 0);
        assert!(l["load"].as_u64().is_some());
    }
}

#[test]
fn simulate_loads_params_and_notices() {
    let o = run(&[
        "simulate",
        "--hazard",
        "check-then-act",
        "--loads",
        "0,20,50",
        "--param",
        "seats=100000000",
        "--param",
        "colour=3",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let loads: Vec<u64> = v["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["load"].as_u64().unwrap())
        .collect();
    assert_eq!(loads, [1, 20, 50]);
    let notices = v["notices"].to_string();
    assert!(notices.contains("using 100000"), "{notices}");
    assert!(notices.contains("`colour` is not a setting"), "{notices}");
    assert!(notices.contains("Load 0"), "{notices}");
}

#[test]
fn simulate_a_file_uses_its_findings() {
    let o = run(&["simulate", POS_PY, "--loads", "50", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let all = v.as_array().expect("one sweep per finding");
    assert!(all.iter().any(|s| s["hazard"] == "check-then-act"));
    assert!(all
        .iter()
        .all(|s| s["title"].as_str().unwrap().contains(POS_PY)));
    let text = run(&["simulate", POS_PY, "--loads", "50"]);
    assert!(stdout(&text).contains("naive"), "{}", stdout(&text));
}

#[test]
fn simulate_bad_input_is_a_clear_error() {
    for (args, needle) in [
        (vec!["simulate"], "needs --hazard"),
        (vec!["simulate", "--hazard", "nope"], "no model for"),
        (
            vec!["simulate", "--hazard", "check-then-act", "--seed", "-1"],
            "--seed",
        ),
        (
            vec!["simulate", "--hazard", "check-then-act", "--loads", "1,x"],
            "load `x`",
        ),
        (
            vec![
                "simulate",
                "--hazard",
                "check-then-act",
                "--param",
                "seats=NaN",
            ],
            "whole number",
        ),
        (
            vec!["simulate", "--hazard", "check-then-act", "--param", "seats"],
            "NAME=VALUE",
        ),
        (vec!["simulate", "no/such/file.py"], "no/such/file.py"),
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn models_lists_every_model_with_settings() {
    let o = run(&["models"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("check-then-act"));
    assert!(stdout(&o).contains("gap_ms"));
}

#[test]
fn scenarios_lists_every_gallery_id_with_its_hazard() {
    let o = run(&["scenarios"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), hazard_lab::scenarios::all().len());
    assert!(out
        .lines()
        .any(|l| l.starts_with("seat-booking") && l.contains("check-then-act")));
}
