//! Findings as files people keep: JSON (one object per finding), SARIF 2.1.0 for code
//! scanning tools, and Markdown for issues and chat. Shared by the CLI (`check --format`) and
//! the app's export buttons, so both write the same thing.

use crate::analyzer::rules::{self, RuleDoc};
use crate::analyzer::Finding;
use serde_json::{json, Value};

/// One finding in the CLI's JSON shape.
pub fn finding_json(path: &str, f: &Finding) -> Value {
    json!({
        "file": path,
        "hazard": f.hazard,
        "severity": f.severity.as_str(),
        "line": f.span.start_line,
        "column": f.span.start_col,
        "end_line": f.span.end_line,
        "end_column": f.span.end_col,
        "message": f.message,
        "fix": f.fix,
        "evidence": f.evidence,
        "params": f.params,
    })
}

fn sarif_rule(d: &RuleDoc) -> Value {
    let help = format!(
        "{}\n\nWhy is this bad at scale: {}\n\nExample:\n{}\n\nUse instead:\n{}",
        d.what_it_does, d.why_bad_at_scale, d.example, d.use_instead
    );
    json!({
        "id": d.id,
        "name": d.title,
        "shortDescription": { "text": d.title },
        "fullDescription": { "text": d.what_it_does },
        "help": { "text": help },
        "defaultConfiguration": { "level": "error" },
    })
}

/// SARIF 2.1.0 with every rule's metadata; `files` are (path, findings) pairs.
pub fn sarif(files: &[(&str, &[Finding])]) -> Value {
    let docs = rules::docs();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|(path, findings)| findings.iter().map(move |f| (path, f)))
        .map(|(path, f)| {
            json!({
                "ruleId": f.hazard,
                "ruleIndex": docs.iter().position(|d| d.id == f.hazard).unwrap_or(0),
                "level": f.severity.as_str(),
                "message": { "text": format!("{} Fix: {}", f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": path.replace('\\', "/") },
                        "region": {
                            "startLine": f.span.start_line,
                            "startColumn": f.span.start_col,
                            "endLine": f.span.end_line,
                            "endColumn": f.span.end_col,
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "hazard-lab",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": docs.iter().map(sarif_rule).collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    })
}

/// Every finding of every file, in the CLI's `--format json` shape.
pub fn json(files: &[(&str, &[Finding])]) -> Value {
    Value::Array(
        files
            .iter()
            .flat_map(|(path, findings)| findings.iter().map(move |f| finding_json(path, f)))
            .collect(),
    )
}

/// The findings of one snippet as Markdown: a heading, then per finding its rule, lines,
/// message, the lines involved and the fix. Code is fenced so nothing renders as markup.
pub fn markdown(title: &str, findings: &[Finding]) -> String {
    let mut out = format!("## {}\n\n", title.trim());
    if findings.is_empty() {
        out.push_str("No hazards found.\n");
        return out;
    }
    for f in findings {
        let lines = if f.span.end_line > f.span.start_line {
            format!("lines {}–{}", f.span.start_line, f.span.end_line)
        } else {
            format!("line {}", f.span.start_line)
        };
        let name = rules::doc(f.hazard).map_or(f.hazard, |d| d.title);
        out.push_str(&format!(
            "### `{}` ({}), {}: {}\n\n{}\n\n",
            f.hazard,
            f.severity.as_str(),
            lines,
            name,
            f.message
        ));
        if !f.evidence.is_empty() {
            let fence = fence_for(f.evidence.iter().map(|e| e.code.as_str()));
            out.push_str(&format!("{fence}\n"));
            for e in &f.evidence {
                out.push_str(&format!("{:>4} | {}   ({})\n", e.line, e.code, e.role));
            }
            out.push_str(&format!("{fence}\n\n"));
        }
        out.push_str(&format!("**Fix:** {}\n\n", f.fix));
    }
    out
}

/// A backtick fence longer than any run of backticks in the fenced lines.
fn fence_for<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let longest = lines
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::analyze;

    fn findings() -> Vec<Finding> {
        analyze(include_str!("scenarios/seat_booking/naive.py"), None)
            .expect("analyses")
            .findings
    }

    #[test]
    fn markdown_names_each_finding_and_fences_code() {
        let f = findings();
        let md = markdown("Findings in app.py", &f);
        assert!(md.starts_with("## Findings in app.py\n"));
        assert_eq!(md.matches("### `").count(), f.len());
        assert!(md.contains("`check-then-act`"));
        assert!(md.contains("**Fix:**"));
        assert_eq!(md.matches("```").count() % 2, 0, "fences are balanced");
    }

    #[test]
    fn a_backtick_run_in_code_gets_a_longer_fence() {
        assert_eq!(fence_for(["a ```` b", "c"].into_iter()), "`````");
        assert_eq!(fence_for(["plain"].into_iter()), "```");
    }

    #[test]
    fn sarif_and_json_carry_every_finding() {
        let f = findings();
        let files = [("app.py", f.as_slice())];
        let s = sarif(&files);
        assert_eq!(s["version"], "2.1.0");
        assert_eq!(
            s["runs"][0]["results"].as_array().map(Vec::len),
            Some(f.len())
        );
        assert_eq!(
            s["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .map(Vec::len),
            Some(rules::docs().len())
        );
        let j = json(&files);
        assert_eq!(j.as_array().map(Vec::len), Some(f.len()));
        assert_eq!(j[0]["file"], "app.py");
    }
}
