//! Splits source text into coloured tokens for the editor.
//!
//! A fast, forgiving lexer (no tree needed): comments, strings, numbers and keywords.
//! Unterminated strings or comments run to the end of the line or text, never panic.

use super::Language;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Plain,
    Keyword,
    String,
    Comment,
    Number,
}

impl TokenKind {
    /// The CSS class the editor uses for this kind ("" for plain text).
    pub fn css_class(self) -> &'static str {
        match self {
            TokenKind::Plain => "",
            TokenKind::Keyword => "tok-kw",
            TokenKind::String => "tok-str",
            TokenKind::Comment => "tok-com",
            TokenKind::Number => "tok-num",
        }
    }
}

const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "match", "case", "self",
];
const JS_KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "from",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "yield",
];

const TS_EXTRA: &[&str] = &[
    "interface",
    "type",
    "enum",
    "implements",
    "private",
    "public",
    "protected",
    "readonly",
    "as",
    "keyof",
    "declare",
    "namespace",
    "abstract",
];
const GO_KEYWORDS: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "nil",
    "true",
    "false",
];
const JAVA_KEYWORDS: &[&str] = &[
    "abstract",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extends",
    "final",
    "finally",
    "for",
    "if",
    "implements",
    "import",
    "instanceof",
    "int",
    "interface",
    "long",
    "new",
    "null",
    "package",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "synchronized",
    "this",
    "throw",
    "throws",
    "try",
    "var",
    "void",
    "while",
    "true",
    "false",
    "record",
];
const SQL_KEYWORDS: &[&str] = &[
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "insert",
    "into",
    "values",
    "update",
    "set",
    "delete",
    "join",
    "left",
    "right",
    "inner",
    "outer",
    "on",
    "group",
    "by",
    "order",
    "having",
    "limit",
    "offset",
    "as",
    "create",
    "table",
    "index",
    "for",
    "conflict",
    "do",
    "nothing",
    "returning",
    "null",
    "is",
    "in",
    "exists",
    "begin",
    "commit",
    "rollback",
    "with",
    "distinct",
    "count",
    "sum",
    "avg",
    "primary",
    "key",
    "references",
    "unique",
    "default",
    "alter",
    "drop",
];

/// Byte ranges covering all of `source`, in order, each with its kind.
pub fn highlight(source: &str, language: Language) -> Vec<(TokenKind, Range<usize>)> {
    let b = source.as_bytes();
    let keywords: &[&[&str]] = match language {
        Language::Python => &[PY_KEYWORDS],
        Language::JavaScript => &[JS_KEYWORDS],
        Language::TypeScript => &[JS_KEYWORDS, TS_EXTRA],
        Language::Go => &[GO_KEYWORDS],
        Language::Java => &[JAVA_KEYWORDS],
        Language::Sql => &[SQL_KEYWORDS],
        Language::Html => &[],
    };
    let c_like = matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Go | Language::Java | Language::Sql
    );
    let backtick = matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Go
    );
    let triple_quotes = matches!(language, Language::Python | Language::Java);
    let mut out: Vec<(TokenKind, Range<usize>)> = Vec::new();
    let mut push = |kind: TokenKind, r: Range<usize>| {
        if r.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((k, last)) if *k == kind && last.end == r.start => last.end = r.end,
            _ => out.push((kind, r)),
        }
    };
    let mut i = 0;
    let line_end = |from: usize| {
        b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| from + p)
    };
    while i < b.len() {
        let c = b[i];
        let start = i;
        let line_comment = match language {
            Language::Python => c == b'#',
            Language::Sql => c == b'-' && b.get(i + 1) == Some(&b'-'),
            Language::Html => false,
            _ => c == b'/' && b.get(i + 1) == Some(&b'/'),
        };
        if line_comment {
            i = line_end(i);
            push(TokenKind::Comment, start..i);
        } else if language == Language::Html && source[i..].starts_with("<!--") {
            i = source[i + 4..]
                .find("-->")
                .map_or(b.len(), |p| i + 4 + p + 3);
            push(TokenKind::Comment, start..i);
        } else if c_like && c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = source[i + 2..]
                .find("*/")
                .map_or(b.len(), |p| i + 2 + p + 2);
            push(TokenKind::Comment, start..i);
        } else if c == b'"' || c == b'\'' || (c == b'`' && backtick) {
            let triple = triple_quotes && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
            if triple {
                let delim = &source[i..i + 3];
                i = source[i + 3..]
                    .find(delim)
                    .map_or(b.len(), |p| i + 3 + p + 3);
            } else {
                i += 1;
                while i < b.len() && b[i] != c && (b[i] != b'\n' || c == b'`') {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
            }
            push(TokenKind::String, start..i);
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            push(TokenKind::Number, start..i);
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            let word = &source[start..i];
            // A Python string prefix (f"…", rb'…') belongs to the string.
            if language == Language::Python
                && word.len() <= 2
                && matches!(b.get(i), Some(b'"' | b'\''))
                && word.chars().all(|ch| "rbfuRBFU".contains(ch))
            {
                continue_string(source, &mut i, start, &mut push);
                continue;
            }
            let is_keyword = if language == Language::Sql {
                keywords
                    .iter()
                    .any(|k| k.iter().any(|kw| kw.eq_ignore_ascii_case(word)))
            } else {
                keywords.iter().any(|k| k.contains(&word))
            };
            let kind = if is_keyword {
                TokenKind::Keyword
            } else {
                TokenKind::Plain
            };
            push(kind, start..i);
        } else {
            // One whole character of anything else.
            i += source[i..].chars().next().map_or(1, char::len_utf8);
            push(TokenKind::Plain, start..i);
        }
    }
    out
}

fn continue_string(
    source: &str,
    i: &mut usize,
    start: usize,
    push: &mut impl FnMut(TokenKind, Range<usize>),
) {
    let b = source.as_bytes();
    let q = b[*i];
    let triple = b.get(*i + 1) == Some(&q) && b.get(*i + 2) == Some(&q);
    if triple {
        let delim = &source[*i..*i + 3];
        *i = source[*i + 3..]
            .find(delim)
            .map_or(b.len(), |p| *i + 3 + p + 3);
    } else {
        *i += 1;
        while *i < b.len() && b[*i] != q && b[*i] != b'\n' {
            *i += if b[*i] == b'\\' { 2 } else { 1 };
        }
        *i = (*i + 1).min(b.len());
    }
    push(TokenKind::String, start..*i);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, lang: Language) -> Vec<(TokenKind, &str)> {
        highlight(src, lang)
            .into_iter()
            .filter(|(k, _)| *k != TokenKind::Plain)
            .map(|(k, r)| (k, &src[r]))
            .collect()
    }

    #[test]
    fn python_tokens() {
        let k = kinds(
            "def f(x):  # hi\n    return f\"{x}\" + 'a' 12",
            Language::Python,
        );
        assert_eq!(
            k,
            vec![
                (TokenKind::Keyword, "def"),
                (TokenKind::Comment, "# hi"),
                (TokenKind::Keyword, "return"),
                (TokenKind::String, "f\"{x}\""),
                (TokenKind::String, "'a'"),
                (TokenKind::Number, "12"),
            ]
        );
    }

    #[test]
    fn javascript_tokens() {
        let k = kinds("const a = `x\ny`; /* c */ // d", Language::JavaScript);
        assert_eq!(
            k,
            vec![
                (TokenKind::Keyword, "const"),
                (TokenKind::String, "`x\ny`"),
                (TokenKind::Comment, "/* c */"),
                (TokenKind::Comment, "// d"),
            ]
        );
    }

    #[test]
    fn covers_everything_and_survives_junk() {
        for src in [
            "'unterminated",
            "\"\"\"open",
            "x = 'a\\",
            "é ü 😀 \u{0}",
            "/* open",
            "r'",
            "`",
        ] {
            for lang in Language::ALL {
                let toks = highlight(src, lang);
                let mut pos = 0;
                for (_, r) in &toks {
                    assert_eq!(r.start, pos, "{src:?}");
                    pos = r.end;
                }
                assert_eq!(pos, src.len(), "{src:?}");
            }
        }
    }
}
