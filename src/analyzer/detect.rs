//! Guesses the language of a pasted snippet from telltale lines.
//!
//! Each language scores points for constructs that are rare in the other (`def …:` and
//! `elif` for Python; `const`, `=>` and `===` for JavaScript). A clear winner with enough
//! points is returned; prose, other languages and ties give `None`, and the UI asks.

use super::Language;
use crate::analyzer::find::Has;

fn python_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if (t.starts_with("def ") || t.starts_with("async def ")) && t.trim_end().ends_with(':') {
        p += 3;
    }
    if t.starts_with("class ") && t.trim_end().ends_with(':') {
        p += 3;
    }
    if t.starts_with("from ") && t.has(" import ") {
        p += 3;
    }
    if t.starts_with("import ") && !t.has(" from ") && !t.ends_with(';') && !t.contains('{') {
        p += 1;
    }
    if t.starts_with("elif ")
        || t.starts_with("except")
        || t == "else:"
        || t == "try:"
        || t.starts_with("with ") && t.ends_with(':')
    {
        p += 2;
    }
    if (t.starts_with("if ") || t.starts_with("for ") || t.starts_with("while "))
        && t.trim_end().ends_with(':')
    {
        p += 2;
    }
    if t.starts_with('@') && !t.contains('{') {
        p += 1;
    }
    if t.has("self.") || t.has(" None") || t.has(" is not ") || t.starts_with("raise ") {
        p += 1;
    }
    if t.starts_with('#') && !t.starts_with("#!") && !t.starts_with("#include") {
        p += 1;
    }
    p
}

fn javascript_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.starts_with("const ") || t.starts_with("let ") || t.starts_with("var ") {
        p += 3;
    }
    if t.starts_with("function ") || t.starts_with("async function") || t.starts_with("export ") {
        p += 3;
    }
    if t.has("=>") {
        p += 2;
    }
    if t.has("===") || t.has("!==") || t.has("require(") || t.has("console.") {
        p += 2;
    }
    if t.starts_with("import ") && (t.has(" from '") || t.has(" from \"") || t.contains('{')) {
        p += 3;
    }
    if t.trim_end().ends_with(';') || t.trim_end().ends_with('{') || t.starts_with('}') {
        p += 1;
    }
    if t.starts_with("//") || t.starts_with("/*") {
        p += 1;
    }
    if t.has("null") || t.has("undefined") || t.has("this.") {
        p += 1;
    }
    p
}

/// Type annotations and declarations that only TypeScript adds to JavaScript.
fn typescript_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.starts_with("interface ")
        || t.starts_with("export interface ")
        || t.starts_with("type ") && t.has(" = ")
    {
        p += 3;
    }
    if t.starts_with("import type ") || t.has(" as const") || t.has("): Promise<") {
        p += 3;
    }
    for ann in [
        ": string",
        ": number",
        ": boolean",
        ": void",
        ": Promise<",
        ": Request",
        ": Response",
        "<T>",
        ": any",
    ] {
        if t.has(ann) {
            p += 2;
            break;
        }
    }
    if t.starts_with("private ") || t.starts_with("readonly ") || t.starts_with("public ") {
        p += 1;
    }
    p
}

fn go_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.starts_with("package ") || t.starts_with("func ") || t == "import (" {
        p += 3;
    }
    if t.has(" := ") || t.has("err != nil") || t.starts_with("defer ") || t.starts_with("go func") {
        p += 2;
    }
    if t.has("fmt.") || t.has("http.ResponseWriter") || t.has("context.Context") {
        p += 1;
    }
    p
}

fn java_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.starts_with("import java.")
        || t.starts_with("import org.")
        || t.starts_with("import jakarta.")
    {
        p += 3;
    }
    if t.has("class ") && (t.starts_with("public ") || t.starts_with("final ")) {
        p += 3;
    }
    if t.starts_with("@Override")
        || t.starts_with("@Service")
        || t.starts_with("@RestController")
        || t.ends_with("Mapping(\"")
        || t.has("Mapping(\"/")
    {
        p += 3;
    }
    if t.starts_with("private final ")
        || t.starts_with("public void ")
        || t.has("System.out")
        || t.has("new ArrayList<")
        || t.has("new HashMap<")
    {
        p += 2;
    }
    p
}

fn sql_points(line: &str) -> u32 {
    let t = line.trim_start();
    let first = t
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    let mut p = 0;
    if matches!(
        first.as_str(),
        "SELECT"
            | "INSERT"
            | "UPDATE"
            | "DELETE"
            | "CREATE"
            | "ALTER"
            | "WITH"
            | "DROP"
            | "BEGIN;"
            | "COMMIT;"
    ) {
        p += 3;
    }
    if matches!(
        first.as_str(),
        "FROM" | "WHERE" | "JOIN" | "LEFT" | "GROUP" | "ORDER" | "LIMIT" | "VALUES" | "SET" | "ON"
    ) {
        p += 1;
    }
    if t.starts_with("--") {
        p += 1;
    }
    p
}

fn html_points(line: &str) -> u32 {
    let t = line.trim_start().to_ascii_lowercase();
    let mut p = 0;
    if t.starts_with("<!doctype")
        || t.starts_with("<html")
        || t.starts_with("<head")
        || t.starts_with("<body")
    {
        p += 4;
    }
    if t.starts_with("<div")
        || t.starts_with("<script")
        || t.starts_with("<link")
        || t.starts_with("<meta")
        || t.starts_with("</")
    {
        p += 2;
    }
    p
}

/// Telltales of languages the analyzer does not read (Haskell, Rust, Ruby, C, PHP), so their
/// snippets are not mistaken for the nearest supported language.
fn other_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.has(" :: ") || t.has(" <- ") || t.starts_with("module ") {
        p += 3;
    }
    if t.starts_with("fn ")
        || t.starts_with("let mut ")
        || t.starts_with("impl ")
        || t.starts_with("pub fn ")
    {
        p += 3;
    }
    if t.starts_with("#include") || t.starts_with("<?php") || t.starts_with("using namespace") {
        p += 3;
    }
    if t == "end" || t.starts_with("puts ") {
        p += 2;
    }
    p
}

/// The language `source` is written in, or `None` when it cannot tell.
pub fn detect(source: &str) -> Option<Language> {
    let mut score = [0u32; 7]; // Language::ALL order
    let (mut ts_extra, mut other) = (0u32, 0u32);
    for line in source.lines().take(5000) {
        score[0] += python_points(line);
        score[1] += javascript_points(line);
        score[3] += go_points(line);
        score[4] += java_points(line);
        score[5] += sql_points(line);
        score[6] += html_points(line);
        ts_extra += typescript_points(line);
        other += other_points(line);
    }
    // TypeScript is JavaScript plus types: it wins the JavaScript evidence when typed.
    if ts_extra >= 2 {
        score[2] = score[1] + ts_extra;
        score[1] = 0;
    }
    let mut ranked: Vec<(u32, Language)> = score.iter().copied().zip(Language::ALL).collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    let (best, lang) = ranked[0];
    let runner_up = ranked[1].0;
    // Enough evidence, and clearly more than the runner-up and than foreign telltales.
    (best >= 3 && best > runner_up * 3 / 2 && best > other).then_some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_other_languages() {
        let go = "package main\n\nfunc handler(w http.ResponseWriter, r *http.Request) {\n\tx := 1\n\tif err != nil {\n\t}\n}\n";
        assert_eq!(detect(go), Some(Language::Go));
        let java = "import org.springframework.web.bind.annotation.*;\n\n@RestController\npublic class SeatController {\n  private final JdbcTemplate jdbc;\n}\n";
        assert_eq!(detect(java), Some(Language::Java));
        let ts = "import express, { Request, Response } from \"express\";\nconst app = express();\napp.post(\"/x\", async (req: Request, res: Response) => {\n  const id: string = req.params.id;\n});\n";
        assert_eq!(detect(ts), Some(Language::TypeScript));
        let sql = "-- seats\nSELECT id, status\nFROM seats\nWHERE event_id = 1;\nUPDATE seats SET status = 'held' WHERE id = 2;\n";
        assert_eq!(detect(sql), Some(Language::Sql));
        let html = "<!DOCTYPE html>\n<html>\n<head>\n<script src=\"https://cdn.tailwindcss.com\"></script>\n</head>\n</html>\n";
        assert_eq!(detect(html), Some(Language::Html));
    }

    #[test]
    fn detects_the_scenarios() {
        assert_eq!(
            detect(include_str!("../scenarios/seat_booking/naive.py")),
            Some(Language::Python)
        );
        assert_eq!(
            detect(include_str!("../scenarios/seat_booking/fixed.py")),
            Some(Language::Python)
        );
        assert_eq!(
            detect(include_str!("../scenarios/seat_booking/naive.js")),
            Some(Language::JavaScript)
        );
        assert_eq!(
            detect(include_str!("../scenarios/seat_booking/fixed.js")),
            Some(Language::JavaScript)
        );
    }

    #[test]
    fn detects_fragments() {
        assert_eq!(detect("def f(x):\n    return x\n"), Some(Language::Python));
        assert_eq!(
            detect("const x = await db.get(id);\nif (!x) return;"),
            Some(Language::JavaScript)
        );
        assert_eq!(
            detect("if seat is None:\n    raise Taken()"),
            Some(Language::Python)
        );
    }

    #[test]
    fn refuses_prose_and_other_languages() {
        assert_eq!(
            detect("The quick brown fox jumps over the lazy dog.\nIt was a sunny day."),
            None
        );
        assert_eq!(detect("main :: IO ()\nmain = putStrLn \"hi\""), None);
        let haskell = "main :: IO ()\nmain = do\n  let xs = [1..10] :: [Int]\n  mapM_ print (filter even xs)\n";
        assert_eq!(detect(haskell), None);
        assert_eq!(detect("fn main() {\n    let mut x = 1;\n}\n"), None);
        assert_eq!(detect("<?php\necho $x;\n"), None);
        assert_eq!(detect(""), None);
    }
}
