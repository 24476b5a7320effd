//! Guesses the language of a pasted snippet from telltale lines.
//!
//! Each language scores points for constructs that are rare in the other (`def …:` and
//! `elif` for Python; `const`, `=>` and `===` for JavaScript). A clear winner with enough
//! points is returned; prose, other languages and ties give `None`, and the UI asks.

use super::Language;

fn python_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if (t.starts_with("def ") || t.starts_with("async def ")) && t.trim_end().ends_with(':') {
        p += 3;
    }
    if t.starts_with("class ") && t.trim_end().ends_with(':') {
        p += 3;
    }
    if t.starts_with("from ") && t.contains(" import ") {
        p += 3;
    }
    if t.starts_with("import ") && !t.contains(" from ") && !t.ends_with(';') && !t.contains('{') {
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
    if t.contains("self.")
        || t.contains(" None")
        || t.contains(" is not ")
        || t.starts_with("raise ")
    {
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
    if t.contains("=>") {
        p += 2;
    }
    if t.contains("===") || t.contains("!==") || t.contains("require(") || t.contains("console.") {
        p += 2;
    }
    if t.starts_with("import ")
        && (t.contains(" from '") || t.contains(" from \"") || t.contains('{'))
    {
        p += 3;
    }
    if t.trim_end().ends_with(';') || t.trim_end().ends_with('{') || t.starts_with('}') {
        p += 1;
    }
    if t.starts_with("//") || t.starts_with("/*") {
        p += 1;
    }
    if t.contains("null") || t.contains("undefined") || t.contains("this.") {
        p += 1;
    }
    p
}

/// Telltales of languages the analyzer does not read (Haskell, Go, Java, Rust, Ruby, C, PHP),
/// so that their snippets are not mistaken for the nearest supported language.
fn other_points(line: &str) -> u32 {
    let t = line.trim_start();
    let mut p = 0;
    if t.contains(" :: ")
        || t.contains(" <- ")
        || t.starts_with("module ")
        || t.starts_with("package ")
    {
        p += 3;
    }
    if t.starts_with("func ")
        || t.contains(" := ")
        || t.starts_with("fn ")
        || t.starts_with("let mut ")
        || t.starts_with("impl ")
    {
        p += 3;
    }
    if t.starts_with("public ")
        || t.starts_with("private ")
        || t.starts_with("#include")
        || t.starts_with("<?php")
    {
        p += 3;
    }
    if t == "end" || t.starts_with("puts ") || t.starts_with("using namespace") {
        p += 2;
    }
    p
}

/// The language `source` is written in, or `None` when it cannot tell.
pub fn detect(source: &str) -> Option<Language> {
    let (mut py, mut js, mut other) = (0u32, 0u32, 0u32);
    for line in source.lines().take(5000) {
        py += python_points(line);
        js += javascript_points(line);
        other += other_points(line);
    }
    let (best, lang, runner_up) = if py >= js {
        (py, Language::Python, js)
    } else {
        (js, Language::JavaScript, py)
    };
    // Enough evidence, and clearly more than the runner-up.
    (best >= 3 && best > runner_up * 3 / 2 && best > other).then_some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            detect("package main\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n"),
            None
        );
        assert_eq!(detect("public class A {\n  private int x;\n}\n"), None);
        assert_eq!(detect(""), None);
    }
}
