//! The native command-line tool.
//!
//! ```text
//! hazard-lab check PATH... [--format text|json|sarif] [--lang python|javascript|typescript|go|java|sql|html]
//! hazard-lab simulate --hazard ID [--seed N] [--loads 1,10,100] [--param NAME=VALUE ...] [--format text|json]
//! hazard-lab simulate FILE [--seed N] [--loads ...] [--format text|json]
//! hazard-lab rules | explain ID | bench
//! ```
//! Exit codes: 0 nothing found, 1 hazards found, 2 an error (one line on stderr per error).

use hazard_lab::analyzer::rules;
use hazard_lab::analyzer::{analyze_within, AnalyzeError, Finding, Language, PARSE_BUDGET_MS};
use hazard_lab::report;
use hazard_lab::sim::model::{self, ModelSweep, Params};
use hazard_lab::sim::models;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: hazard-lab check PATH... [--format text|json|sarif] [--lang python|javascript|typescript|go|java|sql|html]
       hazard-lab simulate --hazard ID [--seed N] [--loads 1,10,100] [--param NAME=VALUE ...] [--format text|json]
       hazard-lab simulate FILE [--seed N] [--loads ...] [--format text|json]
                                   naive vs fixed over a load sweep (FILE: its findings, with the numbers found in it)
       hazard-lab models           list the simulator models and their settings
       hazard-lab scenarios        list the gallery's scenarios (ids for ?scenario= links)
       hazard-lab rules            list the rules
       hazard-lab explain ID       print one rule's documentation
       hazard-lab bench            print the native benchmark table";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
    Sarif,
}

struct FileReport {
    path: String,
    source: String,
    findings: Vec<Finding>,
}

/// Directories never worth walking.
const SKIP_DIRS: [&str; 6] = [
    "node_modules",
    "target",
    "__pycache__",
    "venv",
    "dist",
    "build",
];

fn walk(path: &Path, explicit: bool, files: &mut Vec<(PathBuf, bool)>, errors: &mut Vec<String>) {
    if path.is_dir() {
        let entries = match std::fs::read_dir(path) {
            Ok(e) => e,
            Err(e) => {
                return errors.push(format!("{}: cannot read directory: {e}", path.display()))
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            let name = child.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || (child.is_dir() && SKIP_DIRS.contains(&name)) {
                continue;
            }
            walk(&child, false, files, errors);
        }
    } else if explicit || Language::from_path(&path.to_string_lossy()).is_some() {
        files.push((path.to_path_buf(), explicit));
    }
}

fn check_file(path: &Path, lang: Option<Language>) -> Result<FileReport, String> {
    let shown = path.display().to_string();
    let language = lang
        .or_else(|| Language::from_path(&shown))
        .ok_or_else(|| format!("{shown}: unknown language (no known extension: use --lang)"))?;
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let source = String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))?;
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_secs_f64() * 1000.0;
    let findings = match analyze_within(&source, Some(language), &now, PARSE_BUDGET_MS) {
        Ok(a) => a.findings,
        Err(AnalyzeError::Empty) => Vec::new(),
        Err(e) => return Err(format!("{shown}: {e}")),
    };
    Ok(FileReport {
        path: shown,
        source,
        findings,
    })
}

fn print_text(reports: &[FileReport]) {
    for r in reports {
        let lines: Vec<&str> = r.source.lines().collect();
        for f in &r.findings {
            let s = f.span;
            println!(
                "{}:{}:{}: {}[{}] {}",
                r.path,
                s.start_line,
                s.start_col,
                f.severity.as_str(),
                f.hazard,
                f.message
            );
            let width = s.end_line.to_string().len();
            let pad = " ".repeat(width);
            println!("{pad} |");
            for e in &f.evidence {
                let code = lines.get(e.line - 1).copied().unwrap_or("");
                println!("{:>width$} | {code}", e.line);
                // Carets from the step's column to the end of the line's code; tabs kept so
                // the carets line up under them.
                let before: String = code
                    .chars()
                    .take(e.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let caret_len = code
                    .trim_end()
                    .chars()
                    .count()
                    .saturating_sub(e.column.saturating_sub(1))
                    .max(1);
                println!("{pad} | {before}{} {}", "^".repeat(caret_len), e.role);
            }
            println!("{pad} = fix: {}", f.fix);
            println!();
        }
    }
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    let files = reports.iter().filter(|r| !r.findings.is_empty()).count();
    println!(
        "{total} hazard{} in {files} of {} file{}",
        if total == 1 { "" } else { "s" },
        reports.len(),
        if reports.len() == 1 { "" } else { "s" }
    );
}

fn files_of(reports: &[FileReport]) -> Vec<(&str, &[Finding])> {
    reports
        .iter()
        .map(|r| (r.path.as_str(), r.findings.as_slice()))
        .collect()
}

fn cmd_check(args: &[String]) -> ExitCode {
    let mut format = Format::Text;
    let mut lang = None;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" | "-f" => {
                format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    Some("sarif") => Format::Sarif,
                    other => {
                        eprintln!(
                            "hazard-lab: unknown format {:?} (use text, json or sarif)",
                            other.unwrap_or("")
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            "--lang" => match it.next().and_then(|l| Language::from_id(l)) {
                Some(l) => lang = Some(l),
                None => {
                    eprintln!("hazard-lab: unknown language (use python, javascript, typescript, go, java, sql or html)");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with('-') && s != "-" => {
                eprintln!("hazard-lab: unknown option {s}");
                return ExitCode::from(2);
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        eprintln!("hazard-lab: no paths given\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        if !p.exists() {
            errors.push(format!("{}: no such file or directory", p.display()));
            continue;
        }
        walk(p, true, &mut files, &mut errors);
    }
    let mut reports = Vec::new();
    for (path, _) in &files {
        match check_file(path, lang) {
            Ok(r) => reports.push(r),
            Err(e) => errors.push(e),
        }
    }
    match format {
        Format::Text => print_text(&reports),
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report::json(&files_of(&reports)))
                    .unwrap_or_default()
            );
        }
        Format::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&report::sarif(&files_of(&reports))).unwrap_or_default()
        ),
    }
    for e in &errors {
        eprintln!("hazard-lab: {}", e.replace('\n', " "));
    }
    if !errors.is_empty() {
        ExitCode::from(2)
    } else if reports.iter().any(|r| !r.findings.is_empty()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_sweep_text(sw: &ModelSweep, title: &str) {
    println!("{title}");
    println!(
        "  metric: {} ({}) by {}, seed {}",
        sw.metric, sw.unit, sw.load_label, sw.seed
    );
    let settings: Vec<String> = sw
        .settings
        .0
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    println!("  settings: {}", settings.join(" "));
    println!("  {:>12} {:>12} {:>12}", "load", "naive", "fixed");
    for l in &sw.levels {
        println!(
            "  {:>12} {:>12} {:>12}",
            l.load, l.naive.failures, l.fixed.failures
        );
    }
    match sw.first_failing_load() {
        Some(at) => println!("  naive starts failing at {at} {}", sw.load_label),
        None => println!("  naive does not fail in this sweep"),
    }
    for n in &sw.notices {
        println!("  note: {n}");
    }
}

fn parse_loads(text: &str) -> Result<Vec<u64>, String> {
    text.split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            let t: String = t.trim().chars().filter(|&c| c != '_').collect();
            t.parse::<u64>()
                .map_err(|_| format!("load `{t}` is not a whole number of 0 or more"))
        })
        .collect()
}

fn cmd_simulate(args: &[String]) -> ExitCode {
    let mut format = Format::Text;
    let mut hazard: Option<String> = None;
    let mut file: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut loads = Vec::new();
    let mut params = Params::default();
    let mut it = args.iter();
    let fail = |msg: String| {
        eprintln!("hazard-lab: {msg}");
        ExitCode::from(2)
    };
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().unwrap_or_default();
        match a.as_str() {
            "--hazard" => hazard = Some(value()),
            "--seed" => match value().trim().parse() {
                Ok(s) => seed = s,
                Err(_) => return fail("--seed needs a whole number of 0 or more".into()),
            },
            "--loads" => match parse_loads(&value()) {
                Ok(l) if !l.is_empty() => loads = l,
                Ok(_) => return fail("--loads needs a list such as 1,10,100".into()),
                Err(e) => return fail(e),
            },
            "--param" | "-p" => {
                if let Err(e) = params.parse_assignment(&value()) {
                    return fail(e);
                }
            }
            "--format" | "-f" => {
                format = match value().as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return fail(format!("unknown format {other:?} (use text or json)")),
                }
            }
            s if s.starts_with('-') => return fail(format!("unknown option {s}")),
            _ if file.is_none() => file = Some(PathBuf::from(a)),
            _ => return fail("simulate takes one FILE".into()),
        }
    }
    let mut sweeps: Vec<(String, ModelSweep)> = Vec::new();
    match (&hazard, &file) {
        (Some(id), None) => {
            let Some(m) = models::model_for(id) else {
                let ids: Vec<&str> = models::ALL.iter().map(|m| m.info().hazard).collect();
                return fail(format!("no model for {id:?} (models: {})", ids.join(", ")));
            };
            sweeps.push((
                m.info().title.to_string(),
                model::sweep(m, &params, seed, &loads),
            ));
        }
        (None, Some(path)) => {
            let report = match check_file(path, None) {
                Ok(r) => r,
                Err(e) => return fail(e),
            };
            for f in &report.findings {
                let Some(m) = models::model_for(f.hazard) else {
                    continue;
                };
                let mut p = m.params_from_finding(f);
                p.0.extend(params.0.clone());
                let title = format!(
                    "{}:{}: {} — {}",
                    report.path,
                    f.span.start_line,
                    f.hazard,
                    m.info().title
                );
                sweeps.push((title, model::sweep(m, &p, seed, &loads)));
            }
        }
        _ => return fail(format!("simulate needs --hazard ID or one FILE\n{USAGE}")),
    }
    match format {
        Format::Json => {
            let v: Value = if hazard.is_some() {
                json!(sweeps[0].1)
            } else {
                Value::Array(
                    sweeps
                        .iter()
                        .map(|(title, sw)| {
                            let mut v = json!(sw);
                            v["title"] = json!(title);
                            v
                        })
                        .collect(),
                )
            };
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        _ => {
            if sweeps.is_empty() {
                println!("no findings with a simulation in this file");
            }
            for (title, sw) in &sweeps {
                print_sweep_text(sw, title);
            }
        }
    }
    ExitCode::SUCCESS
}

fn cmd_models() -> ExitCode {
    for m in models::ALL {
        let i = m.info();
        println!(
            "{:<30} {} — {} over {}",
            i.hazard, i.title, i.metric, i.load_label
        );
        for p in i.params {
            println!(
                "    {:<24} {} (default {} {}, {}–{})",
                p.name, p.label, p.default, p.unit, p.min, p.max
            );
        }
    }
    ExitCode::SUCCESS
}

fn cmd_bench() -> ExitCode {
    let start = std::time::Instant::now();
    let now = move || start.elapsed().as_secs_f64() * 1000.0;
    println!("| figure (native) | value | unit |\n|---|---:|---|");
    for r in hazard_lab::bench::run(&now) {
        let v = if r.value >= 1000.0 {
            format!("{:.0}", r.value)
        } else {
            format!("{:.2}", r.value)
        };
        println!("| {} | {} | {} |", r.name, v, r.unit);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => cmd_check(&args[1..]),
        Some("rules") => {
            for d in rules::docs() {
                println!("{:<30} {} ({})", d.id, d.title, d.languages.join(", "));
            }
            ExitCode::SUCCESS
        }
        Some("explain") => match args.get(1).and_then(|id| rules::doc(id)) {
            Some(d) => {
                println!(
                    "# {} ({})\n\n## What it does\n{}\n\n## Why is this bad at scale\n{}\n\n## Example\n{}\n\n## Use instead\n{}\n\n## Languages\n{}",
                    d.id, d.title, d.what_it_does, d.why_bad_at_scale, d.example, d.use_instead, d.languages.join(", ")
                );
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "hazard-lab: unknown rule {:?} (see `hazard-lab rules`)",
                    args.get(1).map_or("", |s| s.as_str())
                );
                ExitCode::from(2)
            }
        },
        Some("bench") => cmd_bench(),
        Some("simulate") => cmd_simulate(&args[1..]),
        Some("models") => cmd_models(),
        Some("scenarios") => {
            for sc in hazard_lab::scenarios::all() {
                let langs: Vec<&str> = sc.languages().map(|l| l.id()).collect();
                println!(
                    "{:<30} {:<30} {} ({})",
                    sc.id,
                    sc.hazard,
                    sc.title,
                    langs.join(", ")
                );
            }
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            println!("hazard-lab {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
