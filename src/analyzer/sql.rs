//! A small SQL reader: enough of a statement's shape to judge races.
//!
//! It does not validate SQL. It tokenizes (skipping comments and string literals), finds the
//! statement kind and its tables, and notes the clauses that make a write atomic or a read
//! locking: `FOR UPDATE`, `ON CONFLICT`, and `WHERE` predicates that test state rather than
//! identity (`AND status = 'free'`, `AND stock >= $1`, `AND held_by IS NULL`).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqlKind {
    Select,
    Update,
    Insert,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SqlStatement {
    pub kind: SqlKind,
    /// The table the statement is about (FROM of a SELECT, target of a write), lower-case.
    pub table: String,
    /// `SELECT … FOR UPDATE` / `FOR NO KEY UPDATE` / `FOR SHARE`.
    pub locking: bool,
    /// The write's WHERE tests state, not only identity: it only succeeds if the state holds.
    pub conditional: bool,
    /// `INSERT … ON CONFLICT`, `ON DUPLICATE KEY`, `INSERT IGNORE`, `… WHERE NOT EXISTS`.
    pub on_conflict: bool,
    /// The statement runs at SERIALIZABLE isolation.
    pub serializable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// A string literal or a bind parameter: a value, not a column.
    Value,
    Punct(String),
}

fn tokenize(sql: &str) -> Vec<Tok> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
            out.push(Tok::Value);
        } else if c == b'"' || c == b'`' || c == b'[' {
            // Quoted identifier.
            let close = if c == b'[' { b']' } else { c };
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != close {
                i += 1;
            }
            out.push(Tok::Word(sql[start..i.min(b.len())].to_ascii_lowercase()));
            i += 1;
        } else if c == b'$' || c == b'?' || c == b':' || c == b'%' || c == b'@' {
            // $1, ?, :name, %s, %(name)s, @p: bind parameters.
            i += 1;
            if c == b'%' && b.get(i) == Some(&b'(') {
                while i < b.len() && b[i] != b')' {
                    i += 1;
                }
                i += 1;
            }
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Value);
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Value);
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Word(sql[start..i].to_ascii_lowercase()));
        } else if !c.is_ascii() {
            // Skip a whole UTF-8 character.
            i += 1;
            while i < b.len() && (b[i] & 0xC0) == 0x80 {
                i += 1;
            }
        } else {
            let two = sql.get(i..i + 2).unwrap_or("");
            if matches!(two, ">=" | "<=" | "<>" | "!=") {
                out.push(Tok::Punct(two.to_string()));
                i += 2;
            } else {
                out.push(Tok::Punct((c as char).to_string()));
                i += 1;
            }
        }
    }
    out
}

fn word(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// Strips a schema prefix: `public.seats` → `seats`.
fn table_name(w: &str) -> String {
    w.rsplit('.').next().unwrap_or(w).to_string()
}

/// Columns that name a row rather than describe its state.
fn is_identity_column(col: &str) -> bool {
    let col = col.rsplit('.').next().unwrap_or(col);
    matches!(
        col,
        "id" | "uuid" | "pk" | "key" | "slug" | "email" | "username" | "name" | "code"
    ) || col.ends_with("_id")
        || col.ends_with("_uuid")
        || col.ends_with("_key")
}

/// True when a WHERE clause's predicates test more than the row's identity.
fn where_is_conditional(toks: &[Tok]) -> bool {
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct(p) if p == "(" => depth += 1,
            Tok::Punct(p) if p == ")" => depth -= 1,
            Tok::Punct(p) if matches!(p.as_str(), "<" | ">" | ">=" | "<=" | "<>" | "!=") => {
                return true
            }
            Tok::Word(w) if w == "is" || w == "exists" || w == "not" => return true,
            Tok::Word(w) if w == "returning" || w == "order" || w == "limit" => break,
            Tok::Punct(p) if p == "=" && depth >= 0 => {
                if let Some(col) = word(toks.get(i.wrapping_sub(1))) {
                    if !is_identity_column(col) {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

const STATEMENT_WORDS: [&str; 5] = ["select", "update", "insert", "delete", "with"];

/// Reads the first data statement in `sql`, or `None` when the text is not SQL.
pub fn parse(sql: &str) -> Option<SqlStatement> {
    let toks = tokenize(sql);
    // The statement keyword must open the text (after a `BEGIN;`/`SET …;` prefix), so prose
    // such as "Please select a seat from the list" is not mistaken for SQL.
    let mut first = toks.iter().position(|t| matches!(t, Tok::Word(_)))?;
    while matches!(word(toks.get(first)), Some("begin" | "start" | "set")) {
        let semi = toks[first..]
            .iter()
            .position(|t| matches!(t, Tok::Punct(p) if p == ";"))?;
        first += semi + 1;
        first += toks[first..]
            .iter()
            .position(|t| matches!(t, Tok::Word(_)))?;
    }
    if !STATEMENT_WORDS.contains(&word(toks.get(first))?) {
        return None;
    }
    let serializable = toks
        .windows(2)
        .any(|w| word(w.first()) == Some("serializable") || word(w.get(1)) == Some("serializable"));
    let mut toks = &toks[first..];
    if word(toks.first()) == Some("with") {
        // Skip the CTEs: the main statement is the first keyword at depth 0 after them.
        let mut depth = 0;
        let mut main = None;
        for (i, t) in toks.iter().enumerate().skip(1) {
            match t {
                Tok::Punct(p) if p == "(" => depth += 1,
                Tok::Punct(p) if p == ")" => depth -= 1,
                Tok::Word(w)
                    if depth == 0
                        && ["select", "update", "insert", "delete"].contains(&w.as_str()) =>
                {
                    main = Some(i);
                    break;
                }
                _ => {}
            }
        }
        toks = &toks[main?..];
    }
    let has = |w: &str| toks.iter().any(|t| matches!(t, Tok::Word(x) if x == w));
    let after = |kw: &str| -> Option<usize> {
        toks.iter()
            .position(|t| matches!(t, Tok::Word(x) if x == kw))
    };
    let stmt = |kind, table: &str| SqlStatement {
        kind,
        table: table_name(table),
        locking: false,
        conditional: false,
        on_conflict: false,
        serializable,
    };
    match word(toks.first())? {
        "select" => {
            let from = after("from")?;
            let table = word(toks.get(from + 1))?;
            let mut s = stmt(SqlKind::Select, table);
            s.locking = toks.windows(2).any(|w| {
                word(w.first()) == Some("for")
                    && matches!(word(w.get(1)), Some("update" | "no" | "share" | "key"))
            });
            Some(s)
        }
        "update" => {
            let table = word(toks.get(1))?;
            let table = if table == "only" {
                word(toks.get(2))?
            } else {
                table
            };
            if !has("set") {
                return None;
            }
            let mut s = stmt(SqlKind::Update, table);
            if let Some(w) = after("where") {
                s.conditional = where_is_conditional(&toks[w + 1..]);
            }
            Some(s)
        }
        "insert" => {
            let into = after("into")?;
            let table = word(toks.get(into + 1))?;
            let mut s = stmt(SqlKind::Insert, table);
            s.on_conflict = toks.windows(2).any(|w| {
                matches!(
                    (word(w.first()), word(w.get(1))),
                    (Some("on"), Some("conflict" | "duplicate"))
                        | (Some("insert"), Some("ignore"))
                        | (Some("not"), Some("exists"))
                        | (Some("or"), Some("ignore" | "replace"))
                )
            });
            Some(s)
        }
        "delete" => {
            let from = after("from")?;
            let table = word(toks.get(from + 1))?;
            let mut s = stmt(SqlKind::Delete, table);
            if let Some(w) = after("where") {
                s.conditional = where_is_conditional(&toks[w + 1..]);
            }
            Some(s)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_with_schema_and_lock() {
        let s = parse("SELECT status FROM public.seats WHERE id = $1 FOR UPDATE").unwrap();
        assert_eq!(
            (s.kind, s.table.as_str(), s.locking),
            (SqlKind::Select, "seats", true)
        );
        assert!(!parse("select * from seats where id = %s").unwrap().locking);
    }

    #[test]
    fn update_identity_vs_conditional() {
        let plain =
            parse("UPDATE seats SET status = 'held', held_by = $1 WHERE event_id = $2 AND id = $3")
                .unwrap();
        assert!(!plain.conditional);
        for sql in [
            "UPDATE seats SET status='held' WHERE id = $1 AND status = 'free'",
            "UPDATE products SET stock = stock - 1 WHERE id = ? AND stock > 0",
            "UPDATE seats SET held_by = :u WHERE id = :id AND held_by IS NULL",
            "update accounts set balance = $1, version = version + 1 where id = $2 and version = $3",
        ] {
            assert!(parse(sql).unwrap().conditional, "{sql}");
        }
    }

    #[test]
    fn insert_conflict_forms() {
        assert!(
            !parse("INSERT INTO users (username) VALUES ($1)")
                .unwrap()
                .on_conflict
        );
        assert!(
            parse("INSERT INTO users (username) VALUES ($1) ON CONFLICT (username) DO NOTHING")
                .unwrap()
                .on_conflict
        );
        assert!(
            parse("INSERT IGNORE INTO users (username) VALUES (?)")
                .unwrap()
                .on_conflict
        );
        assert!(
            parse("INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 1")
                .unwrap()
                .on_conflict
        );
    }

    #[test]
    fn cte_and_comments_and_quotes() {
        let s =
            parse("-- hold\nWITH x AS (SELECT 1) UPDATE \"Seats\" SET a = 1 WHERE id = 2").unwrap();
        assert_eq!((s.kind, s.table.as_str()), (SqlKind::Update, "seats"));
        assert!(
            parse("/* c */ delete from holds where expires_at < now()")
                .unwrap()
                .conditional
        );
    }

    #[test]
    fn not_sql() {
        assert_eq!(parse("Seat already taken"), None);
        assert_eq!(parse("please update your profile"), None);
        assert_eq!(parse("select a seat"), None);
        assert_eq!(parse("Please select a seat from the list"), None);
        let s = parse("BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; SELECT 1 FROM seats")
            .unwrap();
        assert!(s.serializable);
        assert_eq!(parse(""), None);
        assert_eq!(parse("'unterminated"), None);
        assert_eq!(parse("SELECT \u{1F600} FROM"), None);
    }
}
