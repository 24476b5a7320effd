//! SQL files lowered to the facts other languages get.
//!
//! A `.sql` paste is a script (`BEGIN; SELECT …; UPDATE …; COMMIT;`), a file of sqlc-style
//! named queries, or stored code: PL/pgSQL functions and `DO` blocks, T-SQL procedures (often
//! without semicolons, batches split by `GO`), MySQL procedures (`DELIMITER //`). No one
//! grammar covers these, so a small lexer and a statement reader find what the rules need:
//! - every statement as a pseudo-call `sql("<statement>")`, and each data statement's read or
//!   write (with the variables a `SELECT … INTO` or T-SQL `SELECT @v = …` fills);
//! - `IF` / `CASE` statements as decisions, assignments (`v := …`, `SET @v = …`);
//! - loops: `FOR r IN SELECT … LOOP`, `FOREACH`, `WHILE`, `LOOP`, `REPEAT`, and cursor loops
//!   whose rows arrive by `FETCH … INTO v` (the loop variable), with the loop depth of the
//!   statements inside;
//! - what makes a sequence safe besides the statement itself: advisory and table locks,
//!   SERIALIZABLE transactions, unique-violation handlers.
//!
//! Each stored routine is a function of its own; a named query (`-- name: GetSeat :one`) too.
//! The statements outside them belong to the script, where a person reads each result before
//! typing the next statement (`Function::script`). Unknown statements are kept as calls and
//! otherwise skipped; a fragment with a missing `END IF` or `$$` still yields every statement
//! it has. Never panics: every token access is bounds-checked.

use super::facts::{
    Arg, Assign, Call, Function, Loc, Loop, Op, OpKind, Program, Target, WriteGuard,
};
use super::lower::LineIndex;
use super::sql::{self, SqlKind};
use crate::analyzer::find::Has;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Str,
    Num,
    Param,
    Punct,
    /// `$$` / `$body$`: the quotes around a PL/pgSQL body.
    Dollar,
    /// `GO`, a MySQL custom delimiter (`//`) or a `DELIMITER` line: the end of a batch.
    BatchEnd,
    /// A `-- name: GetSeat :one` comment (sqlc, yesql): a named query starts.
    Marker,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Words lower-case; punctuation and dollar tags as written; a marker's query name.
    text: String,
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'#'
}

/// Tokens of a SQL script, comments dropped (except named-query markers).
fn lex(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    let mut delimiter: Option<String> = None;
    let mut line_start = true;
    let tok = |kind, start, end, text: String| Tok {
        kind,
        start,
        end,
        text,
    };
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let at_line_start = line_start;
        line_start = false;
        let rest = src.get(i..).unwrap_or("");
        // Only comments, DELIMITER and GO lines need the line's end (found lazily: a
        // minified script is one long line).
        let here = i;
        let line_end = || rest.find('\n').map_or(b.len(), |e| here + e);
        if at_line_start
            && starts_with_ci(rest, "delimiter")
            && rest
                .as_bytes()
                .get(9)
                .is_some_and(|c| c.is_ascii_whitespace())
        {
            let line_end = line_end();
            let d = src.get(i + 9..line_end).unwrap_or("").trim();
            delimiter = (!d.is_empty() && d != ";").then(|| d.to_string());
            out.push(tok(Kind::BatchEnd, i, line_end, String::new()));
            i = line_end;
            continue;
        }
        if let Some(d) = &delimiter {
            if rest.starts_with(d.as_str()) {
                out.push(tok(Kind::BatchEnd, i, i + d.len(), String::new()));
                i += d.len();
                continue;
            }
        }
        let next = b.get(i + 1).copied();
        if c == b'-' && next == Some(b'-') || c == b'#' && !next.is_some_and(ident_byte) {
            let line_end = line_end();
            let comment = src.get(i..line_end).unwrap_or("");
            let body = comment.trim_start_matches(['-', '#']).trim_start();
            if let Some(name) = body.strip_prefix("name:") {
                let name = name.split_whitespace().next().unwrap_or("");
                if !name.is_empty() {
                    out.push(tok(Kind::Marker, i, line_end, name.to_string()));
                }
            }
            i = line_end;
            continue;
        }
        if c == b'/' && next == Some(b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i = (i + 2).min(b.len());
            continue;
        }
        if c == b'\'' {
            let start = i;
            i += 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(b.len());
            out.push(tok(Kind::Str, start, i, String::new()));
            continue;
        }
        let prev_ident = i > 0 && (ident_byte(b[i - 1]) || b[i - 1] == b')' || b[i - 1] == b']');
        if c == b'"' || c == b'`' || c == b'[' && !prev_ident {
            let close = if c == b'[' { b']' } else { c };
            let start = i;
            i += 1;
            while i < b.len() && b[i] != close && b[i] != b'\n' {
                i += 1;
            }
            let text = src.get(start + 1..i).unwrap_or("").to_ascii_lowercase();
            i = (i + 1).min(b.len());
            out.push(tok(Kind::Word, start, i, text));
            continue;
        }
        if c == b'$' {
            if next.is_some_and(|n| n.is_ascii_digit()) {
                let start = i;
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(tok(Kind::Param, start, i, String::new()));
                continue;
            }
            // `$$` or `$tag$`.
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            if b.get(j) == Some(&b'$') {
                let text = src.get(i..=j).unwrap_or("$$").to_string();
                out.push(tok(Kind::Dollar, i, j + 1, text));
                i = j + 1;
                continue;
            }
        }
        if c == b'?' {
            out.push(tok(Kind::Param, i, i + 1, String::new()));
            i += 1;
            continue;
        }
        if c == b':'
            && next.is_some_and(|n| n.is_ascii_alphabetic() || n == b'_')
            && !(i > 0 && b[i - 1] == b':')
        {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(tok(Kind::Param, start, i, String::new()));
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric()
                    || b[i] == b'.' && b.get(i + 1).is_some_and(|n| n.is_ascii_digit()))
            {
                i += 1;
            }
            out.push(tok(Kind::Num, start, i, String::new()));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c == b'#' {
            let start = i;
            i += 1;
            while i < b.len()
                && (ident_byte(b[i])
                    || b[i] == b'@' && i == start + 1
                    || b[i] == b'.'
                        && b.get(i + 1)
                            .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_'))
            {
                i += 1;
            }
            let text = src.get(start..i).unwrap_or("").to_ascii_lowercase();
            // E'…', N'…': a string with a prefix.
            if i - start == 1
                && b.get(i) == Some(&b'\'')
                && matches!(c | 0x20, b'e' | b'n' | b'b' | b'x')
            {
                continue;
            }
            if text == "go"
                && at_line_start
                && src
                    .get(i..line_end())
                    .is_some_and(|r| r.trim().chars().all(|c| c.is_ascii_digit()))
            {
                let line_end = line_end();
                out.push(tok(Kind::BatchEnd, start, line_end, String::new()));
                i = line_end;
                continue;
            }
            out.push(tok(Kind::Word, start, i, text));
            continue;
        }
        if !c.is_ascii() {
            i += 1;
            while i < b.len() && (b[i] & 0xC0) == 0x80 {
                i += 1;
            }
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let len = if matches!(
            two,
            "<=" | ">=" | "<>" | "!=" | ":=" | "::" | ".." | "||" | "=>" | "->"
        ) {
            2
        } else {
            1
        };
        out.push(tok(
            Kind::Punct,
            i,
            i + len,
            src.get(i..i + len).unwrap_or("").to_string(),
        ));
        i += len;
    }
    out
}

/// Words after which an expression continues: a statement keyword following one of them is
/// part of the same statement (`SELECT … FOR UPDATE`, `ON CONFLICT DO UPDATE`).
const EXPECTING: [&str; 66] = [
    "select",
    "distinct",
    "by",
    "and",
    "or",
    "not",
    "where",
    "on",
    "set",
    "when",
    "then",
    "else",
    "in",
    "is",
    "like",
    "ilike",
    "as",
    "from",
    "join",
    "into",
    "values",
    "return",
    "case",
    "between",
    "top",
    "having",
    "all",
    "any",
    "some",
    "exists",
    "update",
    "insert",
    "delete",
    "with",
    "table",
    "using",
    "over",
    "partition",
    "limit",
    "offset",
    "interval",
    "cast",
    "array",
    "if",
    "elsif",
    "elseif",
    "while",
    "until",
    "perform",
    "raise",
    "exec",
    "execute",
    "call",
    "declare",
    "default",
    "returns",
    "for",
    "each",
    "row",
    "of",
    "union",
    "except",
    "intersect",
    "query",
    "strict",
    "merge",
];

/// Statement kinds whose text may hold DML keywords of their own (`CREATE TRIGGER … AFTER
/// UPDATE`, `GRANT SELECT, UPDATE`).
const DDL: [&str; 6] = ["create", "alter", "grant", "revoke", "comment", "drop"];

/// Functions that take a lock held until the transaction (or the unlock) ends.
const LOCK_FUNCTIONS: [&str; 6] = [
    "pg_advisory_xact_lock",
    "pg_advisory_lock",
    "pg_try_advisory_xact_lock",
    "pg_try_advisory_lock",
    "get_lock",
    "sp_getapplock",
];

struct Reader<'a> {
    src: &'a str,
    toks: Vec<Tok>,
    lines: &'a LineIndex<'a>,
    funcs: Vec<Function>,
    /// The function receiving statements.
    cur: usize,
    /// Inside a stored routine (a batch end closes it).
    in_routine: bool,
    /// Loops around the current statement, in the current function.
    depth: u32,
    /// `FETCH … INTO vars` seen: (byte, variables as written).
    fetches: Vec<(usize, Vec<String>)>,
    /// Regions that last until the function ends unless closed: (function, start, kind).
    open_regions: Vec<(usize, usize, OpKind)>,
    /// The last `BEGIN TRY … END TRY` region, for the CATCH after it.
    try_region: Option<Loc>,
    /// Compound statements open around the current one.
    nest: u32,
}

/// How deep compound statements are read as such (see [`Reader::statement`]).
const MAX_NEST: u32 = 96;

impl<'a> Reader<'a> {
    fn word(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) if t.kind == Kind::Word => t.text.as_str(),
            _ => "",
        }
    }

    fn punct(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) if t.kind == Kind::Punct => t.text.as_str(),
            _ => "",
        }
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// The source text of token `i` as written.
    fn raw(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.src.get(t.start..t.end))
            .unwrap_or("")
    }

    fn loc(&self, start: usize, end: usize) -> Loc {
        Loc {
            start,
            end,
            span: self.lines.span(start, end),
        }
    }

    /// The location of tokens `i..j` (`j` exclusive; at least token `i`).
    fn tloc(&self, i: usize, j: usize) -> Loc {
        let start = self.toks.get(i).map_or(self.src.len(), |t| t.start);
        let end = j
            .checked_sub(1)
            .and_then(|k| self.toks.get(k.max(i)))
            .map_or(start, |t| t.end)
            .max(start);
        self.loc(start, end)
    }

    fn text(&self, loc: &Loc) -> &'a str {
        self.src.get(loc.start..loc.end).unwrap_or("")
    }

    fn func(&mut self) -> &mut Function {
        let cur = self.cur.min(self.funcs.len().saturating_sub(1));
        &mut self.funcs[cur]
    }

    /// Index of the `)` closing the `(` at `open`, or `end`.
    fn close_paren(&self, open: usize, end: usize) -> usize {
        let mut depth = 0i32;
        for j in open..end {
            match self.punct(j) {
                "(" => depth += 1,
                ")" => {
                    depth -= 1;
                    if depth <= 0 {
                        return j;
                    }
                }
                _ => {}
            }
            if matches!(self.kind(j), Some(Kind::BatchEnd | Kind::Marker)) {
                return j;
            }
        }
        end
    }

    /// Index of the first `word` at parenthesis depth 0 in `i..end`.
    fn find_word(&self, i: usize, end: usize, words: &[&str]) -> Option<usize> {
        let mut depth = 0i32;
        for j in i..end {
            match self.punct(j) {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
            if depth == 0 && words.contains(&self.word(j)) {
                return Some(j);
            }
        }
        None
    }

    fn push_call(&mut self, loc: Loc, text: &str, string: String) {
        let depth = self.depth;
        self.func().calls.push(Call {
            callee: "sql".into(),
            method: "sql".into(),
            receiver: String::new(),
            args: vec![Arg {
                name: None,
                text: text.to_string(),
                string: Some(string),
            }],
            loc,
            loop_depth: depth,
            awaited: false,
        });
    }

    /// A data statement over tokens `i..j`: a call, and its read or write. `as_select` reads
    /// the text after the first word as a SELECT (`PERFORM 1 FROM …`).
    fn data(&mut self, i: usize, j: usize, binds: Vec<String>, as_select: bool) {
        if j <= i {
            return;
        }
        let loc = self.tloc(i, j);
        let text = self.text(&loc);
        let string = if as_select {
            let after = self.toks.get(i).map_or(loc.end, |t| t.end);
            format!("SELECT {}", self.src.get(after..loc.end).unwrap_or(""))
        } else {
            text.to_string()
        };
        let stmt = sql::parse(&string);
        self.push_call(loc, text, string);
        let Some(stmt) = stmt else { return };
        let target = Target::Table(stmt.table.clone());
        let kind = match stmt.kind {
            SqlKind::Select => OpKind::Read {
                target,
                locking: stmt.locking,
                binds,
                sql: Some(stmt),
            },
            SqlKind::Update | SqlKind::Delete => OpKind::Write {
                target,
                guard: if stmt.conditional {
                    WriteGuard::Conditional
                } else {
                    WriteGuard::None
                },
                sql: Some(stmt),
            },
            SqlKind::Insert => OpKind::Write {
                target,
                guard: if stmt.on_conflict {
                    WriteGuard::OnConflict
                } else {
                    WriteGuard::None
                },
                sql: Some(stmt),
            },
        };
        self.func().ops.push(Op { kind, loc });
    }

    /// Parenthesised `(SELECT …)` subqueries in tokens `i..j` as reads (conditions,
    /// assignments); `binds` go to the first one.
    fn subqueries(&mut self, i: usize, j: usize, binds: Vec<String>) {
        let mut binds = Some(binds);
        let mut k = i;
        while k < j {
            if matches!(self.word(k), "select" | "with") && k > 0 && self.punct(k - 1) == "(" {
                let close = self.close_paren(k - 1, j);
                self.data(k, close, binds.take().unwrap_or_default(), false);
                k = close.max(k + 1);
                continue;
            }
            k += 1;
        }
    }

    /// True when the previous token can end an expression, so a statement keyword after it
    /// starts a new statement (T-SQL needs no semicolons).
    fn follows_value(&self, j: usize) -> bool {
        let Some(p) = j.checked_sub(1).and_then(|p| self.toks.get(p)) else {
            return false;
        };
        match p.kind {
            Kind::Num | Kind::Str | Kind::Param => true,
            Kind::Punct => p.text == ")",
            Kind::Word => !EXPECTING.contains(&p.text.as_str()),
            _ => false,
        }
    }

    /// Index of the `;` ending the simple statement at `i`, or of the first token of the
    /// next statement when there is no `;`.
    fn stmt_end(&self, i: usize, end: usize) -> usize {
        let first = self.word(i);
        let (mut depth, mut cases) = (0i32, 0u32);
        let (mut set_seen, mut main_seen) = (false, false);
        // `WITH claimed AS (UPDATE …) INSERT INTO rentals … SELECT … FROM claimed`: the
        // SELECT feeds the WITH's main INSERT.
        let mut main_insert = false;
        let mut j = i + 1;
        while j < end {
            let Some(t) = self.toks.get(j) else { break };
            match t.kind {
                Kind::BatchEnd | Kind::Marker => return j,
                Kind::Punct => match t.text.as_str() {
                    "(" => depth += 1,
                    ")" => {
                        depth -= 1;
                        if depth < 0 {
                            return j;
                        }
                    }
                    ";" if depth <= 0 => return j,
                    _ => {}
                },
                Kind::Word if depth == 0 => {
                    let w = t.text.as_str();
                    let prev = if j > 0 { self.word(j - 1) } else { "" };
                    let next = self.word(j + 1);
                    // `SET NOCOUNT ON`: there `ON` is the value.
                    let value =
                        self.follows_value(j) || first == "set" && matches!(prev, "on" | "off");
                    let new = match w {
                        "case" => {
                            cases += 1;
                            false
                        }
                        "end" if cases > 0 => {
                            cases -= 1;
                            false
                        }
                        "end" => true,
                        "else" | "when" => cases == 0 && first != "merge" && first != "declare",
                        "select" => {
                            // `INSERT … SELECT`, a CTE's main SELECT, `EXPLAIN ANALYZE
                            // SELECT`; `CURSOR FOR SELECT` / `AS SELECT` / `IN SELECT` follow
                            // a keyword.
                            let source_of = matches!(first, "insert" | "with" | "explain")
                                && !main_seen
                                || main_insert;
                            value && !source_of
                        }
                        "update" | "delete" | "insert" => {
                            let clause = matches!(
                                prev,
                                "for"
                                    | "key"
                                    | "do"
                                    | "on"
                                    | "then"
                                    | "before"
                                    | "after"
                                    | "or"
                                    | "of"
                                    | "instead"
                                    | "each"
                            );
                            let main_of_with = first == "with" && !main_seen;
                            value
                                && !clause
                                && !main_of_with
                                && !DDL.contains(&first)
                                && first != "merge"
                        }
                        "set" => {
                            value
                                && (set_seen || first != "update")
                                && prev != "update"
                                && !matches!(first, "merge" | "declare")
                                && !DDL.contains(&first)
                        }
                        "if" => {
                            let function = self.punct(j + 1) == "(" && !value;
                            let ddl = matches!(
                                prev,
                                "table"
                                    | "index"
                                    | "view"
                                    | "function"
                                    | "procedure"
                                    | "trigger"
                                    | "type"
                                    | "schema"
                                    | "sequence"
                                    | "column"
                                    | "constraint"
                                    | "extension"
                                    | "exists"
                                    | "not"
                                    | "drop"
                                    | "database"
                                    | "policy"
                                    | "role"
                            );
                            value && !function && !ddl
                        }
                        "begin" => true,
                        "while" | "declare" | "print" | "raiserror" | "throw" | "perform"
                        | "leave" | "iterate" | "goto" | "waitfor" | "elsif" | "elseif"
                        | "raise" | "signal" | "resignal" | "savepoint" => value,
                        "commit" | "rollback" => value && prev != "on",
                        "exception" => first != "raise" && prev != "raise",
                        "return" => value && first != "create",
                        "exit" | "continue" | "break" => value && first != "declare",
                        "open" | "close" | "deallocate" | "call" | "merge" => value,
                        // Not `… FETCH FIRST 20 ROWS ONLY`.
                        "fetch" => {
                            let limit = matches!(next, "first" | "next")
                                && (matches!(self.kind(j + 2), Some(Kind::Num | Kind::Param))
                                    || matches!(self.word(j + 2), "row" | "rows"));
                            value && !limit && !matches!(prev, "rows" | "row" | "only")
                        }
                        "exec" | "execute" => {
                            value
                                && !DDL.contains(&first)
                                && !matches!(prev, "row" | "statement" | "each")
                        }
                        "loop" => prev != "end",
                        "create" | "alter" | "drop" | "truncate" | "grant" | "revoke" => {
                            value && !DDL.contains(&first)
                        }
                        "lock" => value && matches!(next, "table" | "tables"),
                        "start" => value && next == "transaction",
                        _ => false,
                    };
                    if new {
                        return j;
                    }
                    if w == "set" && first == "update" {
                        set_seen = true;
                    }
                    if matches!(w, "select" | "values" | "update" | "insert" | "delete")
                        && matches!(first, "insert" | "with")
                    {
                        main_insert |= first == "with" && w == "insert" && !main_seen;
                        main_seen = true;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        end
    }

    /// Past an optional `;` at `j`.
    fn past_semicolon(&self, j: usize) -> usize {
        if self.punct(j) == ";" {
            j + 1
        } else {
            j
        }
    }

    /// Statements from `i` until a word of `stop` at a statement start, the end of a batch in
    /// a routine, or `end`. Returns where it stopped.
    fn block(&mut self, mut i: usize, end: usize, stop: &[&str]) -> usize {
        while i < end {
            match self.kind(i) {
                None => return end,
                Some(Kind::BatchEnd) => {
                    if self.in_routine {
                        return i;
                    }
                    i += 1;
                    continue;
                }
                Some(Kind::Marker) => {
                    if self.in_routine {
                        return i;
                    }
                    self.segment(i);
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if self.punct(i) == ";" {
                i += 1;
                continue;
            }
            let w = self.word(i);
            if stop.contains(&w) {
                return i;
            }
            if self.in_routine && w == "create" && self.routine_keyword(i).is_some() {
                return i;
            }
            let next = self.statement(i, end, false);
            i = next.max(i + 1);
        }
        i.min(end)
    }

    /// A named query (`-- name: …`) starts at token `i`: later statements go to a function of
    /// its own.
    fn segment(&mut self, i: usize) {
        let Some(t) = self.toks.get(i) else { return };
        let (name, start) = (t.text.clone(), t.start);
        if let Some(prev) = self.funcs.get_mut(self.cur) {
            if self.cur > 0 && prev.script {
                prev.loc.end = start.max(prev.loc.start);
            }
        }
        let mut f = Function::new(name, self.loc(start, self.src.len()));
        f.parent = Some(0);
        f.script = true;
        self.funcs.push(f);
        self.cur = self.funcs.len() - 1;
    }

    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE|PROC|TRIGGER`: the index of that keyword.
    fn routine_keyword(&self, i: usize) -> Option<usize> {
        if self.word(i) != "create" {
            return None;
        }
        for k in i + 1..(i + 10).min(self.toks.len()) {
            match self.word(k) {
                "function" | "procedure" | "proc" | "trigger" => return Some(k),
                "or" | "replace" | "alter" | "definer" | "temp" | "temporary" | "constraint"
                | "current_user" => {}
                _ if self.punct(k) == "=" || self.kind(k) == Some(Kind::Str) => {}
                _ if self.raw(k).starts_with('`') || self.raw(k).starts_with('@') => {}
                _ => return None,
            }
        }
        None
    }

    /// One statement at `i` (compound statements with their bodies). `in_body` says a
    /// `BEGIN` here opens a block (the body of a T-SQL `IF` or `WHILE`).
    fn statement(&mut self, i: usize, end: usize, in_body: bool) -> usize {
        // Compound statements recurse; past this depth they are read as plain statements, so
        // a paste of ten thousand nested IFs cannot overflow the stack (wasm's is small).
        if self.nest >= MAX_NEST {
            return self.simple(i, end);
        }
        self.nest += 1;
        let next = self.compound(i, end, in_body);
        self.nest -= 1;
        next
    }

    fn compound(&mut self, i: usize, end: usize, in_body: bool) -> usize {
        // Labels: `<<outer>>`, `read_loop:`.
        if self.punct(i) == "<" && self.punct(i + 1) == "<" {
            let mut k = i + 2;
            while k < end && self.punct(k) != ">" {
                k += 1;
            }
            return (k + 2).min(end.max(i + 1));
        }
        if self.kind(i) == Some(Kind::Word)
            && self.punct(i + 1) == ":"
            && matches!(
                self.word(i + 2),
                "loop" | "while" | "repeat" | "for" | "begin" | "foreach"
            )
        {
            return i + 2;
        }
        match self.word(i) {
            "create" => {
                if let Some(k) = self.routine_keyword(i) {
                    return self.routine(i, k, end);
                }
            }
            "do" if self.kind(i + 1) == Some(Kind::Dollar) => return self.do_block(i, end),
            "if" => return self.if_statement(i, end),
            "case" => return self.case_statement(i, end),
            "while" => return self.while_statement(i, end),
            "loop" => return self.loop_statement(i, end),
            "repeat" if self.punct(i + 1) != "(" => return self.repeat_statement(i, end),
            "for" | "foreach" => return self.for_statement(i, end),
            "begin" => return self.begin(i, end, in_body),
            "end" | "else" | "elsif" | "elseif" | "then" | "when" | "exception" | "until" => {
                // A stray closer (a fragment): skip it and its qualifier.
                let mut k = i + 1;
                if matches!(
                    self.word(k),
                    "if" | "loop" | "while" | "case" | "repeat" | "try" | "catch"
                ) {
                    k += 1;
                }
                return self.past_semicolon(k);
            }
            _ => {}
        }
        self.simple(i, end)
    }

    /// A statement without a body of statements.
    fn simple(&mut self, i: usize, end: usize) -> usize {
        let j = self.stmt_end(i, end).max(i + 1).min(end.max(i + 1));
        let w = self.word(i).to_string();
        let lower: String = self.text(&self.tloc(i, j)).to_ascii_lowercase();
        match w.as_str() {
            "select" => {
                let binds = self.select_binds(i, j);
                if self.find_word(i, j, &["from"]).is_some() {
                    self.data(i, j, binds, false);
                } else {
                    // `SELECT @total = @total + 1`, `SELECT v - 1 INTO v`: assignments.
                    self.select_assigns(i, j);
                    self.subqueries(i, j, binds);
                    self.other(i, j);
                }
            }
            "with" | "update" | "insert" | "delete" => self.data(i, j, Vec::new(), false),
            "perform" => self.data(i, j, Vec::new(), true),
            "return" => {
                if self.word(i + 1) == "query" && matches!(self.word(i + 2), "select" | "with") {
                    self.data(i + 2, j, Vec::new(), false);
                } else {
                    self.subqueries(i, j, Vec::new());
                    self.other(i, j);
                }
            }
            "open" => match self.find_word(i, j, &["select", "with"]) {
                Some(s) => {
                    let cursor = self.raw(i + 1).to_string();
                    self.data(s, j, vec![cursor], false)
                }
                None => self.other(i, j),
            },
            "fetch" => {
                self.fetch(i, j);
                self.other(i, j);
            }
            "declare" => self.declare(i, j),
            "set" => self.set(i, j, &lower),
            "start" | "begin" => {
                if lower.has("serializable") {
                    let loc = self.tloc(i, j);
                    self.func().ops.push(Op {
                        kind: OpKind::Serializable,
                        loc,
                    });
                }
                self.other(i, j);
            }
            "lock" => {
                let start = self.toks.get(i).map_or(0, |t| t.start);
                self.open_regions.push((self.cur, start, OpKind::LockHeld));
                self.other(i, j);
            }
            _ => {
                // `v := expr`, `v = expr`, `v numeric := expr` (a declaration), a cursor.
                if self.kind(i) == Some(Kind::Word) && !self.cursor(i, j) {
                    if let Some(k) = (i + 1..j.min(i + 6))
                        .find(|&k| self.punct(k) == ":=" || self.punct(k) == "=" && k == i + 1)
                    {
                        self.assign(i, k + 1, j);
                    } else if let Some(k) = self.find_word(i + 1, j.min(i + 6), &["default"]) {
                        self.assign(i, k + 1, j);
                    }
                }
                self.other(i, j);
            }
        }
        self.locks_in(i, j, &lower);
        self.past_semicolon(j)
    }

    /// A statement kept as a call with no read or write (DDL, RAISE, PRINT, …).
    fn other(&mut self, i: usize, j: usize) {
        if j <= i {
            return;
        }
        let loc = self.tloc(i, j);
        let text = self.text(&loc);
        self.push_call(loc, text, text.to_string());
    }

    /// Advisory and application locks taken (or released) by a statement.
    fn locks_in(&mut self, i: usize, j: usize, lower: &str) {
        let start = self.toks.get(i).map_or(0, |t| t.start);
        if LOCK_FUNCTIONS.iter().any(|f| lower.has(f)) {
            self.open_regions.push((self.cur, start, OpKind::LockHeld));
        } else if lower.has("advisory_unlock")
            || lower.has("release_lock")
            || lower.has("sp_releaseapplock")
        {
            let end = self.toks.get(j.saturating_sub(1)).map_or(start, |t| t.end);
            if let Some(pos) = self
                .open_regions
                .iter()
                .rposition(|(f, _, k)| *f == self.cur && *k == OpKind::LockHeld)
            {
                let (_, s, _) = self.open_regions.remove(pos);
                let loc = self.loc(s, end.max(s));
                self.func().ops.push(Op {
                    kind: OpKind::LockHeld,
                    loc,
                });
            }
        }
    }

    /// Variables a SELECT fills: `INTO [STRICT] a, b` or T-SQL `@a = col`.
    fn select_binds(&self, i: usize, j: usize) -> Vec<String> {
        let mut out = Vec::new();
        let from = self.find_word(i, j, &["from"]).unwrap_or(j);
        if let Some(into) = self.find_word(i, from, &["into"]) {
            let mut k = into + 1;
            if self.word(k) == "strict" {
                k += 1;
            }
            while k < j && self.kind(k) == Some(Kind::Word) {
                if matches!(self.word(k), "from" | "where" | "for" | "limit" | "order") {
                    break;
                }
                out.push(self.raw(k).to_string());
                if self.punct(k + 1) != "," {
                    break;
                }
                k += 2;
            }
        }
        let mut depth = 0i32;
        for k in i + 1..from {
            match self.punct(k) {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
            if depth == 0
                && self.raw(k).starts_with('@')
                && self.punct(k + 1) == "="
                && matches!(self.punct(k - 1), ",") | (k == i + 1)
            {
                out.push(self.raw(k).to_string());
            }
        }
        out
    }

    /// `SELECT @a = expr, @b = expr` and `SELECT expr INTO v` without FROM: assignments.
    fn select_assigns(&mut self, i: usize, j: usize) {
        if let Some(into) = self.find_word(i, j, &["into"]) {
            if self.kind(into + 1) == Some(Kind::Word) {
                let value = self.tloc(i + 1, into);
                let target = self.raw(into + 1).to_string();
                let loc = self.tloc(i, j);
                let value = self.text(&value).to_string();
                self.push_assign(target, value, loc);
            }
            return;
        }
        let mut k = i + 1;
        while k < j {
            if self.raw(k).starts_with('@') && self.punct(k + 1) == "=" {
                let mut e = k + 2;
                let mut depth = 0i32;
                while e < j && !(depth == 0 && self.punct(e) == ",") {
                    match self.punct(e) {
                        "(" => depth += 1,
                        ")" => depth -= 1,
                        _ => {}
                    }
                    e += 1;
                }
                let target = self.raw(k).to_string();
                let value = self.text(&self.tloc(k + 2, e)).to_string();
                let loc = self.tloc(k, e);
                self.push_assign(target, value, loc);
                k = e;
            }
            k += 1;
        }
    }

    fn push_assign(&mut self, target: String, value: String, loc: Loc) {
        self.func().assigns.push(Assign {
            names: vec![target.clone()],
            target,
            value,
            value_kind: "sql_expression".into(),
            loc,
        });
    }

    /// `target … := value` over tokens `i..j`, the value starting at `v`.
    fn assign(&mut self, i: usize, v: usize, j: usize) {
        if v >= j {
            return;
        }
        let target = self.raw(i).to_string();
        let value = self.text(&self.tloc(v, j)).to_string();
        let loc = self.tloc(i, j);
        self.push_assign(target.clone(), value, loc);
        self.subqueries(v, j, vec![target]);
    }

    /// `SET …`: an isolation level, or an assignment (`SET @v = …`, MySQL `SET v = …`).
    fn set(&mut self, i: usize, j: usize, lower: &str) {
        if lower.has("serializable") && lower.has("isolation")
            || lower.has("transaction_isolation") && lower.has("serializable")
        {
            let loc = self.tloc(i, j);
            self.func().ops.push(Op {
                kind: OpKind::Serializable,
                loc,
            });
        } else if self.kind(i + 1) == Some(Kind::Word) && matches!(self.punct(i + 2), "=" | ":=") {
            self.assign(i + 1, i + 3, j);
        }
        self.other(i, j);
    }

    /// `FETCH [NEXT] [FROM] cur INTO a, b`: the rows of a cursor loop arrive in `a, b`.
    fn fetch(&mut self, i: usize, j: usize) {
        let Some(into) = self.find_word(i, j, &["into"]) else {
            return;
        };
        let mut vars = Vec::new();
        let mut k = into + 1;
        while k < j && self.kind(k) == Some(Kind::Word) {
            vars.push(self.raw(k).to_string());
            if self.punct(k + 1) != "," {
                break;
            }
            k += 2;
        }
        let at = self.toks.get(i).map_or(0, |t| t.start);
        if !vars.is_empty() {
            self.fetches.push((at, vars));
        }
    }

    /// `name [NO SCROLL] CURSOR [(…)] FOR SELECT …` (with or without DECLARE): the cursor's
    /// query runs once, when it is opened. True when the statement is one.
    fn cursor(&mut self, i: usize, j: usize) -> bool {
        let Some(c) = self.find_word(i, j.min(i + 8), &["cursor"]) else {
            return false;
        };
        if let Some(f) = self.find_word(c, j, &["for", "is"]) {
            if matches!(self.word(f + 1), "select" | "with") {
                // The rows go to the cursor, not to a client.
                let name = if self.word(i) == "declare" { i + 1 } else { i };
                let cursor = self.raw(name).to_string();
                self.data(f + 1, j, vec![cursor], false);
            }
        }
        true
    }

    /// `DECLARE …`: a cursor, a variable with a default, or a MySQL handler.
    fn declare(&mut self, i: usize, j: usize) {
        let lower = self.text(&self.tloc(i, j)).to_ascii_lowercase();
        if self.find_word(i, j, &["handler"]).is_some() {
            // `DECLARE EXIT HANDLER FOR 1062` / `SQLSTATE '23000'`: duplicates are handled
            // from here to the end of the routine.
            if ["1062", "23000", "23505"].iter().any(|c| lower.has(c)) {
                let start = self.toks.get(i).map_or(0, |t| t.start);
                self.open_regions
                    .push((self.cur, start, OpKind::UniqueHandled));
            }
            self.other(i, j);
            return;
        }
        if !self.cursor(i + 1, j) {
            // `DECLARE @x int = (SELECT …)`, `DECLARE v INT DEFAULT 0`, PL/pgSQL's first
            // declaration after DECLARE.
            if let Some(k) = (i + 2..j).find(|&k| matches!(self.punct(k), "=" | ":=")) {
                self.assign(i + 1, k + 1, j);
            } else if let Some(k) = self.find_word(i + 2, j, &["default"]) {
                self.assign(i + 1, k + 1, j);
            }
        }
        self.other(i, j);
    }

    /// `CREATE … FUNCTION|PROCEDURE|TRIGGER name (…) … AS $$ body $$` (or `AS BEGIN … END`,
    /// T-SQL `AS` statements up to `GO`): a function of its own.
    fn routine(&mut self, i: usize, kw: usize, end: usize) -> usize {
        let name_at = kw + 1;
        let name = self.raw(name_at);
        let name = name
            .rsplit('.')
            .next()
            .unwrap_or(name)
            .trim_matches(['"', '`', '[', ']'])
            .to_string();
        let start = self.toks.get(i).map_or(0, |t| t.start);
        let mut f = Function::new(
            if name.is_empty() {
                "<routine>".to_string()
            } else {
                name
            },
            self.loc(start, start),
        );
        f.parent = Some(0);
        let mut k = name_at + 1;
        if self.punct(k) == "(" {
            let close = self.close_paren(k, end);
            let mut item_start = true;
            for p in k + 1..close {
                if self.punct(p) == "," {
                    item_start = true;
                } else if item_start
                    && self.kind(p) == Some(Kind::Word)
                    && !matches!(self.word(p), "in" | "out" | "inout" | "variadic")
                {
                    f.params.push(self.raw(p).to_string());
                    item_start = false;
                }
            }
            k = close + 1;
        }
        // T-SQL: `CREATE PROCEDURE p @a INT, @b INT = 0 AS`.
        let mut p = k;
        let mut item_start = true;
        while p < end && !matches!(self.word(p), "as" | "begin") && self.punct(p) != ";" {
            if self.punct(p) == "," {
                item_start = true;
            } else if item_start && self.raw(p).starts_with('@') {
                f.params.push(self.raw(p).to_string());
                item_start = false;
            } else {
                item_start = false;
            }
            p += 1;
        }
        let saved = (self.cur, self.in_routine, self.depth);
        self.funcs.push(f);
        self.cur = self.funcs.len() - 1;
        self.in_routine = true;
        self.depth = 0;
        let finish = self.routine_body(k, end);
        self.close_regions(self.cur, finish);
        let loc = self.tloc(i, finish);
        self.func().loc = loc;
        (self.cur, self.in_routine, self.depth) = saved;
        finish
    }

    /// Finds and reads a routine's body from the end of its header; returns the index after it.
    fn routine_body(&mut self, from: usize, end: usize) -> usize {
        let mut depth = 0i32;
        let mut j = from;
        while j < end {
            match self.kind(j) {
                Some(Kind::BatchEnd | Kind::Marker) | None => return j,
                Some(Kind::Dollar) if depth == 0 => {
                    let tag = self.toks.get(j).map(|t| t.text.clone()).unwrap_or_default();
                    let close = (j + 1..end)
                        .find(|&c| {
                            self.kind(c) == Some(Kind::Dollar)
                                && self.toks.get(c).is_some_and(|t| t.text == tag)
                        })
                        .unwrap_or(end);
                    self.block(j + 1, close, &[]);
                    // `LANGUAGE plpgsql;` after the body.
                    let mut k = close + 1;
                    while k < end
                        && self.punct(k) != ";"
                        && !matches!(self.kind(k), Some(Kind::BatchEnd | Kind::Marker))
                    {
                        k += 1;
                    }
                    return self.past_semicolon(k).min(end);
                }
                Some(Kind::Str) if depth == 0 && self.word(j.saturating_sub(1)) == "as" => {
                    // An old-style quoted body: not read.
                    let e = self.stmt_end(j, end);
                    return self.past_semicolon(e);
                }
                _ => {}
            }
            match self.punct(j) {
                "(" => depth += 1,
                ")" => depth -= 1,
                ";" if depth == 0 => return j + 1,
                _ => {}
            }
            if depth == 0 {
                match self.word(j) {
                    "begin" => return self.statement(j, end, true),
                    "as" if !matches!(self.kind(j + 1), Some(Kind::Dollar | Kind::Str)) => {
                        return self.block(j + 1, end, &[]);
                    }
                    "return" if j > from => return self.statement(j, end, false),
                    _ => {}
                }
            }
            j += 1;
        }
        end
    }

    /// `DO $$ … $$;`: an anonymous PL/pgSQL block.
    fn do_block(&mut self, i: usize, end: usize) -> usize {
        let start = self.toks.get(i).map_or(0, |t| t.start);
        let mut f = Function::new("<do block>".into(), self.loc(start, start));
        f.parent = Some(0);
        let saved = (self.cur, self.in_routine, self.depth);
        self.funcs.push(f);
        self.cur = self.funcs.len() - 1;
        self.in_routine = true;
        self.depth = 0;
        let finish = self.routine_body(i + 1, end);
        self.close_regions(self.cur, finish);
        let loc = self.tloc(i, finish);
        self.func().loc = loc;
        (self.cur, self.in_routine, self.depth) = saved;
        finish
    }

    /// Regions still open in function `f` end where it ends (token index `finish`).
    fn close_regions(&mut self, f: usize, finish: usize) {
        let end = finish
            .checked_sub(1)
            .and_then(|k| self.toks.get(k))
            .map_or(self.src.len(), |t| t.end);
        let mut k = 0;
        while k < self.open_regions.len() {
            if self.open_regions[k].0 == f {
                let (_, s, kind) = self.open_regions.remove(k);
                let loc = self.loc(s, end.max(s));
                if let Some(func) = self.funcs.get_mut(f) {
                    func.ops.push(Op { kind, loc });
                }
            } else {
                k += 1;
            }
        }
    }

    /// Where the condition starting at `i` ends: at one of `then_words` (returned with
    /// `true`), or, T-SQL style, where the controlled statement starts.
    fn condition_end(&self, i: usize, end: usize, then_words: &[&str]) -> (usize, bool) {
        let mut depth = 0i32;
        for j in i..end {
            match self.kind(j) {
                Some(Kind::BatchEnd | Kind::Marker) | None => return (j, false),
                _ => {}
            }
            match self.punct(j) {
                "(" => depth += 1,
                ")" => depth -= 1,
                ";" if depth <= 0 => return (j, false),
                _ => {}
            }
            if depth != 0 {
                continue;
            }
            let w = self.word(j);
            if then_words.contains(&w) {
                return (j, true);
            }
            let starts = matches!(
                w,
                "begin"
                    | "select"
                    | "update"
                    | "insert"
                    | "delete"
                    | "set"
                    | "return"
                    | "raiserror"
                    | "throw"
                    | "print"
                    | "exec"
                    | "execute"
                    | "if"
                    | "while"
                    | "declare"
                    | "break"
                    | "continue"
                    | "goto"
                    | "commit"
                    | "rollback"
                    | "merge"
                    | "fetch"
                    | "open"
                    | "close"
                    | "deallocate"
                    | "waitfor"
                    | "with"
            ) && self.punct(j + 1) != "(";
            if j > i && starts && !(w == "select" && self.punct(j - 1) == "(") {
                return (j, false);
            }
        }
        (end, false)
    }

    fn branch(&mut self, i: usize, j: usize) {
        let loc = self.tloc(i, j);
        self.func().ops.push(Op {
            kind: OpKind::Branch,
            loc,
        });
    }

    /// `IF c THEN … [ELSIF c THEN …] [ELSE …] END IF` or T-SQL `IF c stmt [ELSE stmt]`.
    fn if_statement(&mut self, i: usize, end: usize) -> usize {
        let (c, then) = self.condition_end(i + 1, end, &["then"]);
        self.subqueries(i + 1, c, Vec::new());
        let mut k;
        if then {
            k = c + 1;
            loop {
                k = self.block(k, end, &["elsif", "elseif", "else", "end"]);
                match self.word(k) {
                    "elsif" | "elseif" => {
                        let (c2, _) = self.condition_end(k + 1, end, &["then"]);
                        self.subqueries(k + 1, c2, Vec::new());
                        k = c2 + 1;
                    }
                    "else" => k += 1,
                    "end" => {
                        k += 1;
                        if self.word(k) == "if" {
                            k += 1;
                        }
                        break;
                    }
                    _ => break,
                }
            }
        } else {
            k = self.statement(c, end, true);
            while self.punct(k) == ";" {
                k += 1;
            }
            if self.word(k) == "else" {
                k = self.statement(k + 1, end, true);
            }
        }
        let k = k.min(end).max(i + 1);
        self.branch(i, k);
        self.past_semicolon(k)
    }

    /// A `CASE … WHEN … THEN statements … END CASE` statement.
    fn case_statement(&mut self, i: usize, end: usize) -> usize {
        let mut k = self.find_word(i + 1, end, &["when"]).unwrap_or(end);
        while k < end {
            match self.word(k) {
                "when" => {
                    let (c, _) = self.condition_end(k + 1, end, &["then"]);
                    k = self.block(c + 1, end, &["when", "else", "end"]);
                }
                "else" => k = self.block(k + 1, end, &["end"]),
                "end" => {
                    k += 1;
                    if self.word(k) == "case" {
                        k += 1;
                    }
                    break;
                }
                _ => break,
            }
        }
        let k = k.min(end).max(i + 1);
        self.branch(i, k);
        self.past_semicolon(k)
    }

    /// `BEGIN`: a transaction (`BEGIN;`, `BEGIN TRAN`, `BEGIN ISOLATION LEVEL …`) or a block
    /// (`BEGIN … [EXCEPTION WHEN … THEN …] END`, T-SQL `BEGIN TRY … END TRY`).
    fn begin(&mut self, i: usize, end: usize, in_body: bool) -> usize {
        let next = self.word(i + 1).to_string();
        let next = next.as_str();
        let qualifier = matches!(next, "try" | "catch" | "atomic");
        let transaction = matches!(
            next,
            "transaction"
                | "tran"
                | "work"
                | "isolation"
                | "read"
                | "deferred"
                | "immediate"
                | "exclusive"
                | "distributed"
        ) || self.punct(i + 1) == ";"
            || i + 1 >= end
            || matches!(self.kind(i + 1), Some(Kind::BatchEnd | Kind::Marker))
            || !self.in_routine && !in_body && !qualifier;
        if transaction {
            return self.simple(i, end);
        }
        let body = if qualifier { i + 2 } else { i + 1 };
        let mut k = self.block(body, end, &["end", "exception"]);
        let body_loc = self.tloc(body.min(k), k);
        if self.word(k) == "exception" {
            // PL/pgSQL handlers: `WHEN unique_violation THEN …`.
            k += 1;
            let mut unique = false;
            while self.word(k) == "when" {
                let (c, _) = self.condition_end(k + 1, end, &["then"]);
                let cond = self.text(&self.tloc(k + 1, c)).to_ascii_lowercase();
                unique |= cond.has("unique_violation")
                    || cond.has("23505")
                    || cond.has("integrity_constraint_violation");
                k = self.block(c + 1, end, &["when", "end"]);
            }
            if unique {
                self.func().ops.push(Op {
                    kind: OpKind::UniqueHandled,
                    loc: body_loc,
                });
            }
        }
        if next == "try" {
            self.try_region = Some(body_loc);
        } else if next == "catch" {
            let text = self.text(&body_loc).to_ascii_lowercase();
            if ["2627", "2601", "duplicate", "unique"]
                .iter()
                .any(|w| text.has(w))
            {
                if let Some(loc) = self.try_region.take() {
                    self.func().ops.push(Op {
                        kind: OpKind::UniqueHandled,
                        loc,
                    });
                }
            }
        }
        if self.word(k) == "end" {
            k += 1;
            if matches!(self.word(k), "try" | "catch" | "atomic")
                || self.kind(k) == Some(Kind::Word)
                    && self.punct(k + 1) == ";"
                    && !matches!(
                        self.word(k),
                        "if" | "loop" | "commit" | "rollback" | "return"
                    )
            {
                k += 1;
            }
        }
        self.past_semicolon(k.min(end).max(i + 1))
    }

    /// Records a loop over tokens `i..k` whose body is tokens `body..body_end`.
    fn record_loop(
        &mut self,
        i: usize,
        k: usize,
        body: usize,
        body_end: usize,
        var: String,
        iterable: String,
    ) {
        let whole = self.tloc(i, k);
        let body_loc = if body_end > body {
            self.tloc(body, body_end)
        } else {
            let at = self.toks.get(body).map_or(whole.end, |t| t.start);
            self.loc(at, at)
        };
        let f = self.func();
        f.loops.push(body_loc);
        f.loop_facts.push(Loop {
            whole,
            body: body_loc,
            var,
            iterable,
        });
    }

    /// The variables of the `FETCH … INTO` statements inside `body`, and the fetch's cursor
    /// text, for a loop that reads a cursor row by row.
    fn fetched_vars(&self, body: &Loc) -> Vec<String> {
        let mut vars: Vec<String> = Vec::new();
        for (at, vs) in &self.fetches {
            if *at >= body.start && *at < body.end {
                for v in vs {
                    if !vars.contains(v) {
                        vars.push(v.clone());
                    }
                }
            }
        }
        vars
    }

    /// A loop without a header variable (`LOOP`, `WHILE`, `REPEAT`): over a cursor when its
    /// body fetches rows.
    fn plain_loop(&mut self, i: usize, k: usize, body: usize, body_end: usize, cond: String) {
        let body_loc = self.tloc(body, body_end.max(body + 1));
        let vars = self.fetched_vars(&body_loc);
        let iterable = if vars.is_empty() {
            cond
        } else {
            self.cursor_fetched(&body_loc)
                .unwrap_or_else(|| "cursor".to_string())
        };
        self.record_loop(i, k, body, body_end, vars.join(", "), iterable);
    }

    /// The cursor named by the first `FETCH` in `body`.
    fn cursor_fetched(&self, body: &Loc) -> Option<String> {
        let at = self
            .fetches
            .iter()
            .find(|(at, _)| *at >= body.start && *at < body.end)?
            .0;
        let i = self.toks.iter().position(|t| t.start == at)?;
        let mut k = i + 1;
        while matches!(
            self.word(k),
            "next"
                | "prior"
                | "first"
                | "last"
                | "absolute"
                | "relative"
                | "forward"
                | "backward"
                | "from"
                | "in"
        ) || matches!(self.kind(k), Some(Kind::Num | Kind::Param))
        {
            k += 1;
        }
        (self.kind(k) == Some(Kind::Word)).then(|| self.raw(k).to_string())
    }

    /// `LOOP … END LOOP`.
    fn loop_statement(&mut self, i: usize, end: usize) -> usize {
        self.depth += 1;
        let body_end = self.block(i + 1, end, &["end"]);
        self.depth -= 1;
        let k = self.end_of(body_end, &["loop"]);
        self.plain_loop(i, k, i + 1, body_end, String::new());
        self.past_semicolon(k)
    }

    /// Past `END [qualifier] [label]` at `k`.
    fn end_of(&self, k: usize, qualifiers: &[&str]) -> usize {
        if self.word(k) != "end" {
            return k;
        }
        let mut k = k + 1;
        if qualifiers.contains(&self.word(k)) {
            k += 1;
        }
        if self.kind(k) == Some(Kind::Word) && self.punct(k + 1) == ";" && self.word(k) != "if" {
            k += 1;
        }
        k
    }

    /// `WHILE c LOOP … END LOOP`, `WHILE c DO … END WHILE`, T-SQL `WHILE c stmt`.
    fn while_statement(&mut self, i: usize, end: usize) -> usize {
        let (c, then) = self.condition_end(i + 1, end, &["loop", "do"]);
        let cond = self.text(&self.tloc(i + 1, c)).trim().to_string();
        self.depth += 1;
        self.subqueries(i + 1, c, Vec::new());
        let (body, body_end, k) = if then {
            let body_end = self.block(c + 1, end, &["end"]);
            (c + 1, body_end, self.end_of(body_end, &["loop", "while"]))
        } else {
            let k = self.statement(c, end, true);
            (c, k, k)
        };
        self.depth -= 1;
        let k = k.max(i + 1);
        self.plain_loop(i, k, body, body_end, cond);
        self.past_semicolon(k)
    }

    /// MySQL `REPEAT … UNTIL c END REPEAT`.
    fn repeat_statement(&mut self, i: usize, end: usize) -> usize {
        self.depth += 1;
        let body_end = self.block(i + 1, end, &["until", "end"]);
        self.depth -= 1;
        let mut k = body_end;
        if self.word(k) == "until" {
            k = self.find_word(k + 1, end, &["end"]).unwrap_or(end);
        }
        let k = self.end_of(k, &["repeat"]).max(i + 1);
        self.plain_loop(i, k, i + 1, body_end, String::new());
        self.past_semicolon(k)
    }

    /// `FOR v IN [REVERSE] <query | cursor | a..b> LOOP … END LOOP`,
    /// `FOREACH v [SLICE n] IN ARRAY a LOOP … END LOOP`.
    fn for_statement(&mut self, i: usize, end: usize) -> usize {
        let Some(lp) = self.find_word(i + 1, end, &["loop"]) else {
            return self.simple(i, end);
        };
        let Some(inn) = self.find_word(i + 1, lp, &["in"]) else {
            return self.simple(i, end);
        };
        let var_end = self.find_word(i + 1, inn, &["slice"]).unwrap_or(inn);
        let var: Vec<&str> = (i + 1..var_end)
            .filter(|&k| self.kind(k) == Some(Kind::Word))
            .map(|k| self.raw(k))
            .collect();
        let mut var = var.join(", ");
        let mut h = inn + 1;
        while matches!(self.word(h), "reverse" | "array") {
            h += 1;
        }
        let header = self.tloc(h.min(lp), lp);
        let header_text = self.text(&header);
        let iterable;
        if matches!(self.word(h), "select" | "with") {
            // The rows land in the loop variable.
            let binds = if var.is_empty() {
                Vec::new()
            } else {
                vec![var.clone()]
            };
            self.data(h, lp, binds, false);
            iterable = short(header_text);
        } else if let Some(dots) = (h..lp).find(|&k| self.punct(k) == "..") {
            // `1..n` counts; `1..array_length(ids, 1)` walks an array by index.
            let upper = self.text(&self.tloc(dots + 1, lp)).to_ascii_lowercase();
            if ["array_length", "array_upper", "cardinality"]
                .iter()
                .any(|f| upper.has(f))
            {
                iterable = short(self.text(&self.tloc(dots + 1, lp)));
            } else {
                var.clear();
                iterable = short(header_text);
            }
        } else {
            iterable = short(header_text);
        }
        self.depth += 1;
        let body_end = self.block(lp + 1, end, &["end"]);
        self.depth -= 1;
        let k = self.end_of(body_end, &["loop"]).max(i + 1);
        self.record_loop(i, k, lp + 1, body_end, var, iterable);
        self.past_semicolon(k)
    }

    fn finish(mut self) -> Program {
        for f in 0..self.funcs.len() {
            let end = self.funcs[f].loc.end;
            let end_tok = self
                .toks
                .iter()
                .position(|t| t.start >= end)
                .unwrap_or(self.toks.len());
            self.close_regions(f, end_tok);
        }
        for f in &mut self.funcs {
            f.calls.sort_by_key(|c| (c.loc.start, c.loc.end));
            f.ops.sort_by_key(|o| (o.loc.start, o.loc.end));
        }
        Program {
            functions: self.funcs,
            syntax_errors: false,
        }
    }
}

/// A header or condition for messages: whitespace collapsed, at most 60 characters.
fn short(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        let cut: String = flat.chars().take(57).collect();
        format!("{}…", cut.trim_end())
    } else {
        flat
    }
}

/// Lowers a SQL file (see the module documentation).
pub fn lower(source: &str, lines: &LineIndex, whole: Loc) -> Program {
    let mut module = Function::new("<script>".into(), whole);
    module.script = true;
    let toks = lex(source);
    let end = toks.len();
    let mut r = Reader {
        src: source,
        toks,
        lines,
        funcs: vec![module],
        cur: 0,
        in_routine: false,
        depth: 0,
        fetches: Vec::new(),
        open_regions: Vec::new(),
        try_region: None,
        nest: 0,
    };
    r.block(0, end, &[]);
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(src: &str) -> Program {
        let lines = LineIndex::new(src);
        let whole = Loc {
            start: 0,
            end: src.len(),
            span: lines.span(0, src.len()),
        };
        lower(src, &lines, whole)
    }

    fn reads_and_writes(f: &Function) -> Vec<String> {
        f.ops
            .iter()
            .filter_map(|o| match &o.kind {
                OpKind::Read {
                    target,
                    binds,
                    locking,
                    ..
                } => Some(format!(
                    "read {}{}{} @{}",
                    target.describe(),
                    if binds.is_empty() {
                        String::new()
                    } else {
                        format!(" into {}", binds.join(","))
                    },
                    if *locking { " locking" } else { "" },
                    o.loc.span.start_line
                )),
                OpKind::Write { target, guard, .. } => Some(format!(
                    "write {}{} @{}",
                    target.describe(),
                    if *guard == WriteGuard::None {
                        ""
                    } else {
                        " guarded"
                    },
                    o.loc.span.start_line
                )),
                OpKind::Branch => Some(format!("branch @{}", o.loc.span.start_line)),
                OpKind::LockHeld => Some(format!("lock @{}", o.loc.span.start_line)),
                OpKind::Serializable => Some("serializable".to_string()),
                OpKind::UniqueHandled => Some(format!("unique @{}", o.loc.span.start_line)),
                OpKind::Await => None,
            })
            .collect()
    }

    #[test]
    fn script_transaction() {
        let p = program("BEGIN;\nSELECT status FROM seats WHERE id = 7;\nUPDATE seats SET status = 'held' WHERE id = 7;\nCOMMIT;\n");
        assert_eq!(p.functions.len(), 1);
        assert!(p.functions[0].script);
        assert_eq!(
            reads_and_writes(&p.functions[0]),
            vec!["read table `seats` @2", "write table `seats` @3"]
        );
        assert_eq!(p.functions[0].calls.len(), 4);
    }

    #[test]
    fn plpgsql_function_with_into_and_if() {
        let src = "CREATE OR REPLACE FUNCTION hold_seat(p_seat int, p_user int)\nRETURNS boolean AS $$\nDECLARE\n  v_status text;\nBEGIN\n  SELECT status INTO v_status FROM seats WHERE id = p_seat;\n  IF v_status <> 'free' THEN\n    RETURN false;\n  END IF;\n  UPDATE seats SET status = 'held', held_by = p_user WHERE id = p_seat;\n  RETURN true;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1 FROM seats;\n";
        let p = program(src);
        assert_eq!(p.functions.len(), 2);
        let f = &p.functions[1];
        assert_eq!(f.name, "hold_seat");
        assert!(!f.script);
        assert_eq!(f.params, vec!["p_seat", "p_user"]);
        assert_eq!(
            reads_and_writes(f),
            vec![
                "read table `seats` into v_status @6",
                "branch @7",
                "write table `seats` @10"
            ]
        );
        assert_eq!(f.loc.span.start_line, 1);
        assert_eq!(f.loc.span.end_line, 13);
        assert_eq!(
            reads_and_writes(&p.functions[0]),
            vec!["read table `seats` @14"]
        );
    }

    #[test]
    fn tsql_without_semicolons() {
        let src = "CREATE PROCEDURE dbo.Register @Username nvarchar(50)\nAS\nBEGIN\n  SET NOCOUNT ON\n  IF EXISTS (SELECT 1 FROM dbo.Users WHERE Username = @Username)\n  BEGIN\n    RAISERROR('taken', 16, 1)\n    RETURN\n  END\n  INSERT INTO dbo.Users (Username) VALUES (@Username)\n  SELECT @id = Id FROM dbo.Users WITH (UPDLOCK) WHERE Username = @Username\nEND\nGO\n";
        let p = program(src);
        assert_eq!(p.functions.len(), 2);
        let f = &p.functions[1];
        assert_eq!(f.name, "Register");
        assert_eq!(
            reads_and_writes(f),
            vec![
                "branch @5",
                "read table `users` @5",
                "write table `users` @10",
                "read table `users` into @id locking @11"
            ]
        );
    }

    #[test]
    fn loops_and_cursors() {
        let src = "DO $$\nDECLARE r record; v_id int; cur CURSOR FOR SELECT id FROM orders;\nBEGIN\n  FOR r IN SELECT id, customer_id FROM orders WHERE status = 'open' LOOP\n    UPDATE customers SET last_order = r.id WHERE id = r.customer_id;\n  END LOOP;\n  OPEN cur;\n  LOOP\n    FETCH cur INTO v_id;\n    EXIT WHEN NOT FOUND;\n    DELETE FROM order_lines WHERE order_id = v_id;\n  END LOOP;\n  FOR i IN 1..10 LOOP\n    PERFORM pg_sleep(1);\n  END LOOP;\nEND $$;\n";
        let p = program(src);
        let f = &p.functions[1];
        let loops: Vec<(String, String)> = f
            .loop_facts
            .iter()
            .map(|l| (l.var.clone(), l.iterable.clone()))
            .collect();
        assert_eq!(
            loops,
            vec![
                (
                    "r".to_string(),
                    "SELECT id, customer_id FROM orders WHERE status = 'open'".to_string()
                ),
                ("v_id".to_string(), "cur".to_string()),
                (String::new(), "1..10".to_string()),
            ]
        );
        let depths: Vec<(usize, u32)> = f
            .calls
            .iter()
            .map(|c| (c.loc.span.start_line, c.loop_depth))
            .collect();
        assert!(depths.contains(&(5, 1)));
        assert!(depths.contains(&(11, 1)));
        assert!(depths.contains(&(4, 0)));
    }

    #[test]
    fn tsql_cursor_while_and_mysql_delimiter() {
        let src = "DECLARE c CURSOR FOR SELECT OrderId FROM Orders\nOPEN c\nFETCH NEXT FROM c INTO @OrderId\nWHILE @@FETCH_STATUS = 0\nBEGIN\n  UPDATE Orders SET Total = 1 WHERE OrderId = @OrderId\n  FETCH NEXT FROM c INTO @OrderId\nEND\nCLOSE c\nDELIMITER //\nCREATE PROCEDURE p(IN p_id INT)\nBEGIN\n  DECLARE v INT DEFAULT 0;\n  SELECT stock INTO v FROM products WHERE id = p_id;\n  SET v = v - 1;\n  UPDATE products SET stock = v WHERE id = p_id;\nEND //\nDELIMITER ;\n";
        let p = program(src);
        let m = &p.functions[0];
        assert_eq!(m.loop_facts.len(), 1);
        assert_eq!(m.loop_facts[0].var, "@OrderId");
        assert_eq!(m.loop_facts[0].iterable, "c");
        let f = &p.functions[1];
        assert_eq!(f.name, "p");
        assert_eq!(
            reads_and_writes(f),
            vec![
                "read table `products` into v @14",
                "write table `products` @16"
            ]
        );
        let assigns: Vec<(&str, &str)> = f
            .assigns
            .iter()
            .map(|a| (a.target.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(assigns, vec![("v", "0"), ("v", "v - 1")]);
    }

    #[test]
    fn guards_and_named_queries() {
        let src = "-- name: GetSeat :one\nSELECT * FROM seats WHERE id = $1;\n\n-- name: HoldSeat :exec\nUPDATE seats SET status = 'held' WHERE id = $1;\n";
        let p = program(src);
        assert_eq!(p.functions.len(), 3);
        assert_eq!(p.functions[1].name, "GetSeat");
        assert_eq!(
            reads_and_writes(&p.functions[1]),
            vec!["read table `seats` @2"]
        );
        assert_eq!(
            reads_and_writes(&p.functions[2]),
            vec!["write table `seats` @5"]
        );
        let src = "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1 FROM a;\nCOMMIT;\nDO $$ BEGIN\n PERFORM pg_advisory_xact_lock(7);\n BEGIN\n  INSERT INTO users (name) VALUES ('x');\n EXCEPTION WHEN unique_violation THEN\n  NULL;\n END;\nEND $$;\n";
        let p = program(src);
        assert!(reads_and_writes(&p.functions[0]).contains(&"serializable".to_string()));
        let ops = reads_and_writes(&p.functions[1]);
        assert!(ops.contains(&"lock @5".to_string()), "{ops:?}");
        assert!(ops.contains(&"unique @7".to_string()), "{ops:?}");
    }

    #[test]
    fn random_token_soup_never_panics() {
        const VOCAB: [&str; 48] = [
            "BEGIN",
            "END",
            "IF",
            "THEN",
            "ELSE",
            "ELSIF",
            "LOOP",
            "WHILE",
            "FOR",
            "IN",
            "FETCH",
            "INTO",
            "FROM",
            "SELECT",
            "UPDATE",
            "SET",
            "INSERT",
            "DELETE",
            "WHERE",
            "CASE",
            "WHEN",
            "DECLARE",
            "CURSOR",
            "OPEN",
            "CREATE",
            "FUNCTION",
            "PROCEDURE",
            "AS",
            "$$",
            "$body$",
            "DO",
            "REPEAT",
            "UNTIL",
            "GO\n",
            "DELIMITER //\n",
            "//",
            ";",
            "(",
            ")",
            ",",
            "=",
            ":=",
            "..",
            "'x'",
            "@v",
            "r.id",
            "42",
            "-- name: Q :one\n",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut src = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                src.push_str(VOCAB[(state % VOCAB.len() as u64) as usize]);
                src.push(' ');
            }
            let _ = program(&src);
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let src =
            "IF x THEN BEGIN LOOP ".repeat(20_000) + &"END LOOP; END; END IF; ".repeat(20_000);
        let p = program(&src);
        assert!(p.functions[0].loops.len() <= MAX_NEST as usize);
        let src = "CREATE FUNCTION f() AS $$ BEGIN ".to_string()
            + &"FOR r IN SELECT a FROM t LOOP ".repeat(5_000);
        let _ = program(&src);
    }

    #[test]
    fn broken_input_never_panics() {
        for src in [
            "",
            "$$",
            "'",
            "CREATE FUNCTION",
            "CREATE FUNCTION f() AS $$ BEGIN IF x THEN",
            "FOR r IN",
            "WHILE",
            "BEGIN",
            "END END END",
            "DELIMITER",
            "DELIMITER //\n//",
            "IF (((",
            "FETCH INTO",
            "SELECT @",
            "[",
            "\"",
            "/*",
            "e'",
            "$1$",
            "<<",
            "x :=",
            "CASE WHEN",
            "REPEAT UNTIL",
            "DECLARE c CURSOR FOR",
            "OPEN c FOR",
            "é ü ∑",
        ] {
            let _ = program(src);
        }
    }
}
