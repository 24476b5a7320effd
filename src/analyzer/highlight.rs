//! Splits source text into coloured tokens for the editor.
//!
//! A fast, forgiving lexer (no tree needed): comments, strings, numbers and keywords.
//! Unterminated strings or comments run to the end of the line or text, never panic.

use super::Language;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    let mut out: Vec<(TokenKind, Range<usize>)> = Vec::new();
    for (kind, r) in Lexer::new(source, language, 0) {
        match out.last_mut() {
            Some((k, last)) if *k == kind && last.end == r.start => last.end = r.end,
            _ => out.push((kind, r)),
        }
    }
    out
}

/// The tokens of `source` one by one, from a token boundary. The lexer keeps no state
/// between tokens, so lexing from any boundary gives the same tokens as lexing from the start:
/// that is what lets the editor re-colour only the lines an edit touched.
pub struct Lexer<'a> {
    source: &'a str,
    language: Language,
    keywords: &'static [&'static [&'static str]],
    c_like: bool,
    backtick: bool,
    triple_quotes: bool,
    i: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer starting at byte `from`, which must be a token boundary (0, or where a token
    /// of an earlier lex ended).
    pub fn new(source: &'a str, language: Language, from: usize) -> Self {
        let keywords: &'static [&'static [&'static str]] = match language {
            Language::Python => &[PY_KEYWORDS],
            Language::JavaScript => &[JS_KEYWORDS],
            Language::TypeScript => &[JS_KEYWORDS, TS_EXTRA],
            Language::Go => &[GO_KEYWORDS],
            Language::Java => &[JAVA_KEYWORDS],
            Language::Sql => &[SQL_KEYWORDS],
            Language::Html => &[],
        };
        Lexer {
            source,
            language,
            keywords,
            c_like: matches!(
                language,
                Language::JavaScript
                    | Language::TypeScript
                    | Language::Go
                    | Language::Java
                    | Language::Sql
            ),
            backtick: matches!(
                language,
                Language::JavaScript | Language::TypeScript | Language::Go
            ),
            triple_quotes: matches!(language, Language::Python | Language::Java),
            i: from.min(source.len()),
        }
    }

    /// Where the next token starts.
    pub fn pos(&self) -> usize {
        self.i
    }

    fn line_end(&self, from: usize) -> usize {
        self.source.as_bytes()[from..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.source.len(), |p| from + p)
    }

    /// The end of a quoted string whose opening quote is at `i`: a triple-quoted one runs to
    /// its closing delimiter, any other to its quote or the end of the line (template literals
    /// across lines).
    fn string_end(&self, i: usize, triple_quotes: bool) -> usize {
        let (source, b) = (self.source, self.source.as_bytes());
        let q = b[i];
        if triple_quotes && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
            let delim = &source[i..i + 3];
            return source[i + 3..]
                .find(delim)
                .map_or(b.len(), |p| i + 3 + p + 3);
        }
        let mut i = i + 1;
        while i < b.len() && b[i] != q && (b[i] != b'\n' || q == b'`') {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        (i + 1).min(b.len())
    }

    fn is_keyword(&self, word: &str) -> bool {
        if self.language == Language::Sql {
            self.keywords
                .iter()
                .any(|k| k.iter().any(|kw| kw.eq_ignore_ascii_case(word)))
        } else {
            self.keywords.iter().any(|k| k.contains(&word))
        }
    }
}

impl Iterator for Lexer<'_> {
    type Item = (TokenKind, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (source, b, language) = (self.source, self.source.as_bytes(), self.language);
        let start = self.i;
        let c = *b.get(start)?;
        let line_comment = match language {
            Language::Python => c == b'#',
            Language::Sql => c == b'-' && b.get(start + 1) == Some(&b'-'),
            Language::Html => false,
            _ => c == b'/' && b.get(start + 1) == Some(&b'/'),
        };
        let (kind, end) = if line_comment {
            (TokenKind::Comment, self.line_end(start))
        } else if language == Language::Html && source[start..].starts_with("<!--") {
            let end = source[start + 4..]
                .find("-->")
                .map_or(b.len(), |p| start + 4 + p + 3);
            (TokenKind::Comment, end)
        } else if self.c_like && c == b'/' && b.get(start + 1) == Some(&b'*') {
            let end = source[start + 2..]
                .find("*/")
                .map_or(b.len(), |p| start + 2 + p + 2);
            (TokenKind::Comment, end)
        } else if c == b'"' || c == b'\'' || (c == b'`' && self.backtick) {
            (
                TokenKind::String,
                self.string_end(start, self.triple_quotes),
            )
        } else if c.is_ascii_digit() {
            let mut i = start;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            (TokenKind::Number, i)
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let mut i = start;
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
                (TokenKind::String, self.string_end(i, true))
            } else if self.is_keyword(word) {
                (TokenKind::Keyword, i)
            } else {
                (TokenKind::Plain, i)
            }
        } else {
            // One whole character of anything else.
            let len = source[start..].chars().next().map_or(1, char::len_utf8);
            (TokenKind::Plain, start + len)
        };
        self.i = end.max(start + 1).min(b.len());
        Some((kind, start..self.i))
    }
}

/// One line of coloured text: (kind, text) pieces, neighbours of one kind merged.
pub type LineTokens = Vec<(TokenKind, String)>;

/// Lines `first..first + removed` of the previous text are replaced by `lines`.
#[derive(Debug, PartialEq, Eq)]
pub struct LineChange {
    pub first: usize,
    pub removed: usize,
    pub lines: Vec<LineTokens>,
}

/// The coloured lines of a text as it is edited. Each update re-lexes only from the last line
/// before the edit that starts on a token boundary, and stops at the first line after it whose
/// start is a token boundary in both the old and the new text: from there the two texts and
/// their tokens are the same. Typing in a long file re-colours a line or two, not the file.
#[derive(Default)]
pub struct LineColours {
    text: String,
    language: Option<Language>,
    /// For each line: whether it starts on a token boundary (not inside a multi-line
    /// comment or string).
    clean: Vec<bool>,
}

impl LineColours {
    /// Colours `text`, reporting which lines changed since the previous call.
    pub fn update(&mut self, text: &str, language: Language) -> LineChange {
        let old = std::mem::take(&mut self.text);
        let full = self.language != Some(language) || self.clean.is_empty();
        let prefix = if full { 0 } else { common_prefix(&old, text) };
        // Lines before the first changed one are the same; restart at a clean one.
        let changed_line = count_newlines(&text.as_bytes()[..prefix]);
        let first = (0..=changed_line)
            .rev()
            .find(|&l| self.clean.get(l) == Some(&true))
            .unwrap_or(0);
        let start = line_start(text, first);
        let suffix = if full {
            0
        } else {
            common_suffix(&old, text).min(old.len().min(text.len()) - prefix)
        };
        let same_from = text.len() - suffix;
        let old_lines = self.clean.len();
        let new_lines = count_newlines(text.as_bytes()) + 1;

        let mut lines: Vec<LineTokens> = vec![Vec::new()];
        let mut clean = vec![true];
        // The old line where the unchanged tail begins (all old lines when none does).
        let mut old_end = old_lines;
        let mut lexer = Lexer::new(text, language, start);
        loop {
            let pos = lexer.pos();
            // A line start on a token boundary inside the unchanged tail (its newline too):
            // if the old text's line there was clean, the rest is as before.
            if !full && pos > same_from && text.as_bytes()[pos - 1] == b'\n' {
                let old_line = old_lines + (first + lines.len() - 1) - new_lines;
                if self.clean.get(old_line) == Some(&true) {
                    lines.pop();
                    clean.pop();
                    old_end = old_line;
                    break;
                }
            }
            let Some((kind, range)) = lexer.next() else {
                break;
            };
            let mut from = range.start;
            while let Some(nl) = text.as_bytes()[from..range.end]
                .iter()
                .position(|&c| c == b'\n')
            {
                push_piece(lines.last_mut(), kind, &text[from..from + nl]);
                from += nl + 1;
                lines.push(Vec::new());
                // A line is clean when the token ends right where it starts.
                clean.push(from == range.end);
            }
            push_piece(lines.last_mut(), kind, &text[from..range.end]);
        }
        let removed = old_end.saturating_sub(first);
        self.clean.splice(first..first + removed, clean);
        self.text = text.to_string();
        self.language = Some(language);
        LineChange {
            first,
            removed,
            lines,
        }
    }
}

fn push_piece(line: Option<&mut LineTokens>, kind: TokenKind, text: &str) {
    let Some(line) = line else { return };
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some((k, t)) if *k == kind => t.push_str(text),
        _ => line.push((kind, text.to_string())),
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// The byte where line `n` (0-based) starts.
fn line_start(text: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    text.bytes()
        .enumerate()
        .filter(|(_, c)| *c == b'\n')
        .nth(n - 1)
        .map_or(text.len(), |(i, _)| i + 1)
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

    /// The lines a whole-text lex gives.
    fn lines_of(text: &str, lang: Language) -> Vec<LineTokens> {
        LineColours::default().update(text, lang).lines
    }

    #[test]
    fn whole_text_lines_match_the_tokens() {
        let src = "a = '''x\n\ny''' # c\nb = 1\n";
        let lines = lines_of(src, Language::Python);
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[1], vec![]);
        assert_eq!(lines[2][0], (TokenKind::String, "y'''".to_string()));
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(joined.join("\n"), src);
    }

    #[test]
    fn an_edit_recolours_only_its_lines() {
        let text: String = (0..1000).map(|i| format!("x{i} = 'v' # n\n")).collect();
        let mut colours = LineColours::default();
        let shape = |c: LineChange| (c.first, c.removed, c.lines.len());
        colours.update(&text, Language::Python);
        let edited = text.replacen("x500 = 'v'", "x500 = 'vw'", 1);
        assert_eq!(
            shape(colours.update(&edited, Language::Python)),
            (500, 1, 1)
        );
        // Opening a triple-quoted string re-colours to its end: here the end of the text, and
        // the empty line after the last newline stays as it was.
        let opened = edited.replacen("x10 = 'v'", "x10 = '''v", 1);
        assert_eq!(
            shape(colours.update(&opened, Language::Python)),
            (10, 990, 990)
        );
        // Closing it again re-colours the lines the string had swallowed.
        assert_eq!(
            shape(colours.update(&edited, Language::Python)),
            (10, 990, 990)
        );
        // Typing a new line adds one line.
        let split = edited.replacen("x3 = ", "x3 =\n ", 1);
        assert_eq!(shape(colours.update(&split, Language::Python)), (3, 1, 2));
    }

    /// Random edits: applying each change to the previous lines gives exactly the lines a
    /// whole-text lex gives, in every language, whatever the edit opens or closes.
    #[test]
    fn incremental_lines_equal_a_full_lex() {
        const PIECES: &[&str] = &[
            "a", "if ", "select ", " ", "\n", "\n\n", "'", "\"", "`", "'''", "\"\"\"", "/*", "*/",
            "//", "#", "--", "<!--", "-->", "\\", "1.5", "é", "😀", "f'", "\t", "x_y",
        ];
        let mut rng = crate::sim::rng::Rng::new(7);
        for lang in Language::ALL {
            let mut colours = LineColours::default();
            let mut text = String::new();
            let mut lines = colours.update(&text, lang).lines;
            for _ in 0..400 {
                // Delete a few characters, then insert a few pieces, at one place.
                let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                let at = chars
                    .get(rng.below(chars.len() as u64 + 1) as usize)
                    .copied();
                let at = at.unwrap_or(text.len());
                let cut: usize = text[at..]
                    .chars()
                    .take(rng.below(4) as usize)
                    .map(char::len_utf8)
                    .sum();
                let insert: String = (0..rng.below(4))
                    .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
                    .collect();
                text.replace_range(at..at + cut, &insert);
                let change = colours.update(&text, lang);
                lines.splice(change.first..change.first + change.removed, change.lines);
                assert_eq!(lines, lines_of(&text, lang), "{lang:?} {text:?}");
            }
        }
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
