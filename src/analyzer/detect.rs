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

/// The language `source` is written in, or `None` when it cannot tell.
pub fn detect(source: &str) -> Option<Language> {
    let (mut py, mut js) = (0u32, 0u32);
    for line in source.lines().take(5000) {
        py += python_points(line);
        js += javascript_points(line);
    }
    let (best, lang, other) = if py >= js {
        (py, Language::Python, js)
    } else {
        (js, Language::JavaScript, py)
    };
    // Enough evidence, and clearly more than the runner-up.
    (best >= 3 && best > other * 3 / 2).then_some(lang)
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
        assert_eq!(detect(""), None);
    }
}
