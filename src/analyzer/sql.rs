//! A small SQL reader: enough of a statement's shape to judge races.
//!
//! It does not validate SQL. It tokenizes (skipping comments and string literals), finds the
//! statement kind and its tables, and notes the clauses that make a write atomic or a read
//! locking: `FOR UPDATE`, `ON CONFLICT`, and `WHERE` predicates that test state rather than
//! identity (`AND status = 'free'`, `AND stock >= $1`, `AND held_by IS NULL`).

use crate::analyzer::find::Has;
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
    /// Every table the statement reads or writes (FROM, JOINs, comma joins), lower-case.
    pub tables: Vec<String>,
    /// The row bound of the outer query: `LIMIT n`, `TOP n`, `FETCH FIRST n ROWS` (the value
    /// as written, `?` for a bind parameter).
    pub limit: Option<Box<str>>,
    /// `OFFSET` on the outer query.
    pub offset: bool,
    /// Aggregate functions in the select list, lower-case (`count`, `sum`, …).
    pub aggregates: Vec<String>,
    /// Window functions (`… OVER (…)`).
    pub window: bool,
    /// `GROUP BY` on the outer query.
    pub group_by: bool,
    /// The columns the outer query groups by, without qualifiers (inside expressions too:
    /// `date_trunc('month', paid_at)` → `paid_at`).
    pub group_columns: Vec<String>,
    /// `ORDER BY` on the outer query.
    pub order_by: bool,
    /// The outer `ORDER BY` sorts by an aggregate or an aggregate's alias.
    pub order_by_aggregate: bool,
    /// The outer `ORDER BY` starts on a time column, newest first (`created_at DESC`) or oldest
    /// first with no date window in the WHERE: the rows are a history, which grows with use.
    pub time_ordered: bool,
    /// JOINs (explicit and comma joins) in the outer FROM.
    pub joins: u32,
    /// The predicates of the WHERE clause (subqueries included), in order.
    pub predicates: Vec<Predicate>,
    /// `SET` assignments of an UPDATE (also `ON CONFLICT … DO UPDATE SET`).
    pub sets: Vec<SetExpr>,
    /// The column list of an INSERT.
    pub insert_columns: Vec<String>,
    /// `RETURNING …`.
    pub returning: bool,
    /// The columns a SELECT returns, lower-case, without qualifiers (`*` for `*` / `t.*`);
    /// aggregates are in `aggregates`.
    pub columns: Vec<String>,
    /// Names the statement defines for itself with `WITH name AS (…)`, lower-case.
    /// (A boxed slice: one word smaller than a Vec, and `Query::Sql` carries it by value.)
    pub ctes: Box<[String]>,
    /// The tables of the other SELECTs of a `UNION` (`SELECT 1 FROM lane_bookings … UNION ALL
    /// SELECT 1 FROM lane_holds …`): the statement reads them too.
    pub union_tables: Box<[String]>,
}

/// One test in a WHERE clause: `org_id = $1` → (`org_id`, `=`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Predicate {
    /// The column, without its table qualifier, lower-case.
    pub column: String,
    /// `=`, `<`, `>=`, `<>`, `in`, `any` (`= ANY(…)`), `is`, `like`, `between`.
    pub op: String,
    /// `IN (…)` over a list of values or one array parameter, or `= ANY($1)`: a batched lookup.
    pub batched: bool,
    /// A lower bound a fixed span before now (`read_at > now() - interval '6 hours'`,
    /// `>= current_date - 7`): a recent window.
    pub recent: bool,
}

/// One assignment of an UPDATE's SET list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetExpr {
    pub column: String,
    /// The new value is computed from the column itself (`balance = balance - $1`): atomic.
    pub relative: bool,
    /// The new value is (or contains) a value passed in from the application.
    pub from_param: bool,
    /// The new value is one literal number or string (`balance = 25`): computed by whoever
    /// wrote the statement, not by the database.
    pub literal: bool,
    /// The value expression's tokens, space-separated (`v_balance - p_amount`, `@points`).
    pub value: String,
}

impl SqlStatement {
    /// A statement of `kind` on `table` with nothing else known yet (`shape` fills it in).
    fn blank(kind: SqlKind, table: String, serializable: bool) -> Self {
        SqlStatement {
            kind,
            table,
            locking: false,
            conditional: false,
            on_conflict: false,
            serializable,
            tables: Vec::new(),
            limit: None,
            offset: false,
            aggregates: Vec::new(),
            window: false,
            group_by: false,
            group_columns: Vec::new(),
            order_by: false,
            order_by_aggregate: false,
            time_ordered: false,
            joins: 0,
            predicates: Vec::new(),
            sets: Vec::new(),
            insert_columns: Vec::new(),
            returning: false,
            columns: Vec::new(),
            ctes: Box::default(),
            union_tables: Box::default(),
        }
    }

    /// True when the WHERE clause tests `column` (any qualifier).
    pub fn tests_column(&self, column: &str) -> bool {
        self.predicates.iter().any(|p| p.column == column)
    }

    /// True when some predicate is a batched lookup (`IN (…)`, `= ANY($1)`).
    pub fn batched(&self) -> bool {
        self.predicates.iter().any(|p| p.batched)
    }

    /// True when the statement returns one row per call: an aggregate without GROUP BY.
    pub fn single_row_aggregate(&self) -> bool {
        !self.aggregates.is_empty() && !self.group_by && !self.window
    }

    /// True when the WHERE clause bounds a column that `accepts` on both sides
    /// (`day >= $2 AND day < $3`, `BETWEEN $2 AND $3`): a window the caller passes.
    pub fn range_on(&self, accepts: impl Fn(&str) -> bool) -> bool {
        self.predicates.iter().any(|lo| {
            matches!(lo.op.as_str(), ">=" | ">")
                && accepts(&lo.column)
                && self
                    .predicates
                    .iter()
                    .any(|hi| hi.column == lo.column && matches!(hi.op.as_str(), "<" | "<="))
        }) || self
            .predicates
            .iter()
            .any(|p| p.op == "between" && accepts(&p.column))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// A string literal or a bind parameter (`$1`, `@qty`, `:id`) as written: a value, not a
    /// column.
    Value(String),
    /// A number literal.
    Num(String),
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
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
            out.push(Tok::Value(sql.get(start..i).unwrap_or("'").to_string()));
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
        } else if let Some(len) = dollar_quote_len(&sql[i..]) {
            // `$$…$$` / `$body$…$body$`: a string (pg_cron commands, function bodies).
            out.push(Tok::Value(sql[i..i + len].to_string()));
            i += len;
        } else if c == b':' && b.get(i + 1) == Some(&b':') {
            // `starts_at::date`, `$2::int[]`: a Postgres cast, not a bind parameter.
            i += 2;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
        } else if c == b'$' || c == b'?' || c == b':' || c == b'%' || c == b'@' {
            // $1, ?, :name, %s, %(name)s, @p: bind parameters.
            let start = i;
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
            out.push(Tok::Value(sql.get(start..i).unwrap_or("?").to_string()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Num(sql[start..i].to_string()));
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

/// The length of a dollar-quoted string at the start of `s` (`$$ … $$`, `$tag$ … $tag$`,
/// up to the end when unterminated), or `None` when `s` does not open one.
fn dollar_quote_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('$')?;
    let tag_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if rest.as_bytes().get(tag_len) != Some(&b'$')
        || rest.as_bytes().first().is_some_and(|b| b.is_ascii_digit())
    {
        return None;
    }
    let tag = &s[..tag_len + 2];
    let body = &s[tag.len()..];
    Some(
        body.find(tag)
            .map_or(s.len(), |e| tag.len() + e + tag.len()),
    )
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
        "id" | "uuid" | "pk" | "key" | "slug" | "email" | "username" | "name" | "code" | "sku"
            | "isbn" | "ean" | "upc"
    ) || col.ends_with("_id")
        || col.ends_with("_sku")
        || col.ends_with("_uuid")
        || col.ends_with("_key")
        // `WalletId`, `SeatID` (SQL Server / camelCase, lower-cased here), not `paid`/`valid`.
        || col.len() > 3
            && col.ends_with("id")
            && !["paid", "valid", "void", "avoid", "solid", "hybrid", "liquid", "fluid", "rapid"]
                .iter()
                .any(|w| col.ends_with(w))
}

/// `SET metres_free = metres_free - $1 WHERE sailing_id = $2 AND lane = $3`: the WHERE names
/// the row by a composite key and never tests the amount being taken, so the decrement goes
/// through whatever is left. Only a test of the decremented column, a comparison or a state
/// column makes it conditional.
fn unguarded_decrement(s: &SqlStatement) -> bool {
    s.sets.iter().any(|x| x.relative && x.value.has(" - "))
        && s.predicates.iter().all(|p| {
            p.op == "=" && !s.sets.iter().any(|x| x.column == p.column) && !state_column(&p.column)
        })
}

/// A column that holds a row's state (`status = 'open'`, `version = $3`): testing it is a
/// guard, unlike a part of the row's key (`lane = $3`).
fn state_column(col: &str) -> bool {
    [
        "status", "state", "version", "revision", "etag", "active", "open", "enabled",
    ]
    .iter()
    .any(|k| col.has(k))
        || col.starts_with("is_")
        || col.ends_with("_at")
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

const AGGREGATES: [&str; 12] = [
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "array_agg",
    "string_agg",
    "json_agg",
    "jsonb_agg",
    "group_concat",
    "stddev",
    "percentile_cont",
];

/// Words that end a clause of the outer statement.
const CLAUSE_WORDS: [&str; 16] = [
    "where",
    "group",
    "order",
    "limit",
    "offset",
    "fetch",
    "returning",
    "for",
    "having",
    "union",
    "window",
    "on",
    "using",
    "set",
    "values",
    "select",
];

/// Keywords that are never a column name in a predicate.
fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "not"
            | "where"
            | "null"
            | "true"
            | "false"
            | "select"
            | "from"
            | "on"
            | "when"
            | "then"
            | "else"
            | "case"
            | "end"
            | "exists"
            | "now"
            | "current_timestamp"
            | "current_date"
            | "interval"
    )
}

/// Depth of each token (parentheses), the depth *before* an opening parenthesis.
fn depths(toks: &[Tok]) -> Vec<i32> {
    let mut d = 0;
    toks.iter()
        .map(|t| match t {
            Tok::Punct(p) if p == "(" => {
                d += 1;
                d - 1
            }
            Tok::Punct(p) if p == ")" => {
                d -= 1;
                d
            }
            _ => d,
        })
        .collect()
}

/// Index of the first depth-0 occurrence of `kw`.
fn top_level(toks: &[Tok], kw: &str) -> Option<usize> {
    let d = depths(toks);
    toks.iter()
        .enumerate()
        .position(|(i, t)| d[i] == 0 && matches!(t, Tok::Word(w) if w == kw))
}

fn is_punct(t: Option<&Tok>, p: &str) -> bool {
    matches!(t, Some(Tok::Punct(x)) if x == p)
}

/// Index just after the parenthesis that closes the one at `open`.
fn close_paren(toks: &[Tok], open: usize) -> usize {
    let mut d = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct(p) if p == "(" => d += 1,
            Tok::Punct(p) if p == ")" => {
                d -= 1;
                if d == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// A column or field that holds a point in time: `created_at`, `scheduledAt`, `pickup_date`,
/// `ScheduledFor`, `ts`.
pub fn time_column(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    name.ends_with("_at")
        || name.ends_with("At")
        || name.ends_with("_on")
        // `rungOn`, `dueOn`: camelCase `_on`.
        || name.len() > 2 && name.ends_with("On")
        || ["date", "time", "timestamp", "day", "_ts"]
            .iter()
            .any(|k| l.ends_with(k))
        // `ts`, but not `points`, `posts` or `seats`.
        || l == "ts"
        || [
            "created",
            "updated",
            "scheduled",
            "submitted",
            "occurred",
            "posted",
            "logged",
        ]
        .iter()
        .any(|k| l.starts_with(k))
}

/// Strips a table qualifier: `a.org_id` → `org_id`.
fn column_name(w: &str) -> String {
    w.rsplit('.').next().unwrap_or(w).to_string()
}

/// Fills in the clause-level shape of a statement (tables, bounds, aggregates, predicates, SET).
fn shape(toks: &[Tok], s: &mut SqlStatement) {
    let d = depths(toks);
    let top = |i: usize, w: &str| d[i] == 0 && word(toks.get(i)) == Some(w);
    let mut oldest_first = false;
    let ends_clause = |i: usize| {
        d[i] < 0
            || (d[i] == 0
                && (matches!(word(toks.get(i)), Some(w) if CLAUSE_WORDS.contains(&w))
                    || is_punct(toks.get(i), ";")))
    };
    let first = word(toks.first()).unwrap_or("");
    // Tables: FROM list (comma joins), JOIN targets, the written table.
    let mut tables = vec![s.table.clone()];
    let mut aliases: Vec<(String, String)> = Vec::new();
    let mut joins = 0u32;
    if let Some(from) = (0..toks.len()).find(|&i| top(i, "from")) {
        let mut i = from + 1;
        let mut expect_table = true;
        while i < toks.len() && !(ends_clause(i) && !top(i, "on") && !top(i, "using")) {
            match &toks[i] {
                Tok::Word(w) if expect_table && w != "lateral" && w != "only" => {
                    tables.push(table_name(w));
                    // `JOIN teams t` / `JOIN teams AS t`: the alias names the table below.
                    let at = if word(toks.get(i + 1)) == Some("as") {
                        i + 2
                    } else {
                        i + 1
                    };
                    if let Some(a) = word(toks.get(at)).filter(|a| !is_keyword(a)) {
                        aliases.push((a.to_string(), table_name(w)));
                    }
                    expect_table = false;
                }
                Tok::Word(w) if d[i] == 0 && w == "join" => {
                    joins += 1;
                    expect_table = true;
                }
                Tok::Punct(p) if d[i] == 0 && p == "," => {
                    joins += 1;
                    expect_table = true;
                }
                Tok::Punct(p) if p == "(" => {
                    expect_table = false;
                    i = close_paren(toks, i);
                    continue;
                }
                _ => {}
            }
            i += 1;
            if i < toks.len() && (top(i, "on") || top(i, "using")) {
                // Skip the join condition up to the next JOIN or clause.
                i += 1;
                while i < toks.len()
                    && !(d[i] == 0
                        && (word(toks.get(i)) == Some("join")
                            || is_punct(toks.get(i), ",")
                            || ends_clause(i) && !top(i, "on")))
                {
                    i += 1;
                }
            }
        }
    }
    if first == "update" {
        // UPDATE t SET … FROM other
        joins += u32::from(tables.len() > 2);
    }
    let mut seen = Vec::new();
    tables.retain(|t| {
        !t.is_empty() && !seen.contains(t) && {
            seen.push(t.clone());
            true
        }
    });
    s.tables = tables;
    s.joins = joins;

    // Bounds and clauses of the outer statement.
    #[allow(clippy::needless_range_loop)]
    for i in 0..toks.len() {
        if d[i] != 0 {
            continue;
        }
        match word(toks.get(i)) {
            Some("limit") => {
                s.limit = Some(value_text(toks.get(i + 1)).into());
            }
            Some("top") if i > 0 && word(toks.get(i - 1)) == Some("select") => {
                let v = if is_punct(toks.get(i + 1), "(") {
                    toks.get(i + 2)
                } else {
                    toks.get(i + 1)
                };
                s.limit = Some(value_text(v).into());
            }
            Some("fetch") if matches!(word(toks.get(i + 1)), Some("first" | "next")) => {
                let v = toks.get(i + 2);
                s.limit = Some(if matches!(v, Some(Tok::Value(_) | Tok::Num(_))) {
                    value_text(v).into()
                } else {
                    "1".into()
                });
            }
            Some("offset") => s.offset = true,
            Some("group") if word(toks.get(i + 1)) == Some("by") => {
                s.group_by = true;
                let mut j = i + 2;
                while j < toks.len()
                    && !(d[j] == 0
                        && (ends_clause(j)
                            || matches!(word(toks.get(j)), Some("having" | "order" | "limit"))))
                {
                    if let Some(w) = word(toks.get(j)) {
                        if !is_punct(toks.get(j + 1), "(") && !is_keyword(w) {
                            // `GROUP BY t.id` with `t` a joined table's alias: that table's
                            // key (`teams_id`), one row per team, not per row of FROM.
                            let joined = w.split_once('.').and_then(|(q, c)| {
                                let table = aliases.iter().find(|(a, _)| a == q)?.1.as_str();
                                (c == "id" && table != s.table).then(|| format!("{table}_id"))
                            });
                            s.group_columns
                                .push(joined.unwrap_or_else(|| column_name(w)));
                        }
                    }
                    j += 1;
                }
            }
            Some("order") if word(toks.get(i + 1)) == Some("by") => s.order_by = true,
            Some("returning") => s.returning = true,
            _ => {}
        }
    }
    s.window = toks
        .windows(2)
        .any(|w| word(w.first()) == Some("over") && is_punct(w.get(1), "("));

    if first == "select" {
        s.columns = select_columns(toks, &d);
    }

    // Aggregates in the select list, and their aliases.
    let mut aliases: Vec<String> = Vec::new();
    if first == "select" {
        let end = (1..toks.len())
            .find(|&i| top(i, "from"))
            .unwrap_or(toks.len());
        let mut i = 1;
        while i < end {
            if let Some(w) = word(toks.get(i)) {
                // `SELECT EXISTS (SELECT 1 FROM …)` answers one row, like `count(*)`.
                if (AGGREGATES.contains(&w) || w == "exists") && is_punct(toks.get(i + 1), "(") {
                    s.aggregates.push(w.to_string());
                    let mut j = close_paren(toks, i + 1);
                    if word(toks.get(j)) == Some("filter") || word(toks.get(j)) == Some("over") {
                        j = close_paren(toks, j + 1);
                    }
                    if word(toks.get(j)) == Some("as") {
                        j += 1;
                    }
                    if let Some(a) = word(toks.get(j)) {
                        if a != "from" && a != "into" {
                            aliases.push(a.to_string());
                        }
                    }
                    // Inside an expression (`COALESCE(SUM(e.amount), 0) AS "weeklyXp"`): the
                    // item's own alias, before the next top-level comma or FROM.
                    if d[i] > 0 {
                        let item_end = (j..end)
                            .find(|&k| d[k] == 0 && is_punct(toks.get(k), ","))
                            .unwrap_or(end);
                        if item_end >= 2 && word(toks.get(item_end - 2)) == Some("as") {
                            if let Some(a) = alias_text(toks.get(item_end - 1)) {
                                aliases.push(a);
                            }
                        }
                    }
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
    }
    if let Some(o) =
        (0..toks.len()).find(|&i| top(i, "order") && word(toks.get(i + 1)) == Some("by"))
    {
        let by_time = word(toks.get(o + 2)).is_some_and(|w| time_column(&column_name(w)));
        s.time_ordered = by_time && word(toks.get(o + 3)) == Some("desc");
        oldest_first = by_time && !s.time_ordered;
        let mut i = o + 2;
        while i < toks.len()
            && !(d[i] == 0
                && matches!(
                    word(toks.get(i)),
                    Some("limit" | "offset" | "fetch" | "for")
                ))
        {
            if let Some(w) = word(toks.get(i)) {
                if (AGGREGATES.contains(&w) && is_punct(toks.get(i + 1), "("))
                    || aliases.iter().any(|a| a == w)
                {
                    s.order_by_aggregate = true;
                }
            } else if let Some(a) = alias_text(toks.get(i)) {
                // `ORDER BY "weeklyXp"`: a quoted alias.
                if aliases.contains(&a) {
                    s.order_by_aggregate = true;
                }
            }
            i += 1;
        }
    }

    // WHERE predicates (subqueries included) up to the end of the WHERE clause.
    if let Some(w) = (0..toks.len()).find(|&i| top(i, "where")) {
        let mut i = w + 1;
        while i < toks.len() {
            if d[i] == 0
                && matches!(
                    word(toks.get(i)),
                    Some(
                        "group"
                            | "order"
                            | "limit"
                            | "offset"
                            | "fetch"
                            | "returning"
                            | "for"
                            | "having"
                            | "union"
                    )
                )
            {
                break;
            }
            if let Some(p) = predicate_at(toks, i) {
                s.predicates.push(p);
            }
            i += 1;
        }
    }

    // Oldest first is a history too (`ORDER BY due_on`, an export of every rental by
    // `started_at`), unless a test on a date picks a window or a day (`day >= current_date -
    // 90`, `starts_at::date = ?`).
    let dated = |c: &str| time_column(c) || c.has("date") || c.has("day");
    if oldest_first && !s.predicates.iter().any(|p| dated(&p.column)) {
        s.time_ordered = true;
    }

    // SET list of an UPDATE (or of ON CONFLICT … DO UPDATE).
    if let Some(set) = (0..toks.len()).find(|&i| top(i, "set")) {
        let mut i = set + 1;
        while i < toks.len() {
            let Some(col) = word(toks.get(i)) else { break };
            if !is_punct(toks.get(i + 1), "=") {
                break;
            }
            let col = column_name(col);
            let mut j = i + 2;
            let (mut relative, mut from_param) = (false, false);
            let mut value: Vec<&str> = Vec::new();
            while j < toks.len()
                && !(d[j] <= d[set] && (is_punct(toks.get(j), ",") || ends_clause(j)))
            {
                match &toks[j] {
                    // `SET qty = EXCLUDED.qty`: the value the INSERT was given, not the row's.
                    Tok::Word(w) if w.starts_with("excluded.") => from_param = true,
                    Tok::Word(w) if column_name(w) == col => relative = true,
                    Tok::Value(_) => from_param = true,
                    _ => {}
                }
                value.push(match &toks[j] {
                    Tok::Word(w) | Tok::Num(w) | Tok::Punct(w) | Tok::Value(w) => w.as_str(),
                });
                j += 1;
            }
            let literal = matches!(&toks[i + 2..j], [Tok::Num(_) | Tok::Value(_)])
                && !matches!(toks.get(i + 2), Some(Tok::Value(v)) if !v.starts_with('\''));
            s.sets.push(SetExpr {
                column: col,
                relative,
                from_param,
                literal,
                value: value.join(" "),
            });
            if !is_punct(toks.get(j), ",") {
                break;
            }
            i = j + 1;
        }
    }

    // INSERT column list.
    if first == "insert" {
        if let Some(into) = (0..toks.len()).find(|&i| top(i, "into")) {
            if is_punct(toks.get(into + 2), "(") {
                let close = close_paren(toks, into + 2);
                s.insert_columns = toks[into + 3..close.saturating_sub(1).max(into + 3)]
                    .iter()
                    .filter_map(|t| word(Some(t)).map(column_name))
                    .collect();
            }
        }
    }
}

/// The columns named in a SELECT list (up to FROM or INTO): plain and qualified names, `*`,
/// and the columns inside expressions; not functions, keywords, aliases or the T-SQL
/// `@var =` that receives a value.
fn select_columns(toks: &[Tok], d: &[i32]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut i = 1;
    while i < toks.len() {
        if d[i] == 0 && matches!(word(toks.get(i)), Some("from" | "into")) {
            break;
        }
        match &toks[i] {
            Tok::Punct(p) if p == "*" && (i == 1 || is_punct(toks.get(i - 1), ",")) => {
                out.push("*".to_string())
            }
            Tok::Word(w) if w.ends_with('.') && is_punct(toks.get(i + 1), "*") => {
                out.push("*".to_string())
            }
            Tok::Word(w) => {
                let alias = matches!(word(toks.get(i.wrapping_sub(1))), Some("as"));
                let function = is_punct(toks.get(i + 1), "(");
                let skip = alias
                    || function
                    || is_keyword(w)
                    || matches!(
                        w.as_str(),
                        "distinct" | "all" | "top" | "as" | "case" | "is" | "in" | "like"
                    );
                if !skip {
                    out.push(column_name(w));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.retain(|c| !c.is_empty());
    out.dedup();
    out
}

/// An alias as written (`weekly_xp`, `"weeklyXp"`), lower-case and unquoted.
fn alias_text(t: Option<&Tok>) -> Option<String> {
    match t {
        Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
        Some(Tok::Value(v)) if v.starts_with('"') => Some(v.trim_matches('"').to_ascii_lowercase()),
        _ => None,
    }
}

fn value_text(t: Option<&Tok>) -> String {
    match t {
        Some(Tok::Word(w) | Tok::Num(w)) => w.clone(),
        _ => "?".to_string(),
    }
}

/// A predicate whose operator is the token at `i`, if it is one.
fn predicate_at(toks: &[Tok], i: usize) -> Option<Predicate> {
    let op = match &toks[i] {
        Tok::Punct(p) if matches!(p.as_str(), "=" | "<" | ">" | ">=" | "<=" | "<>" | "!=") => {
            p.clone()
        }
        Tok::Word(w) if matches!(w.as_str(), "in" | "is" | "like" | "ilike" | "between") => {
            w.clone()
        }
        _ => return None,
    };
    // The column: the word before (skipping NOT), or after when the value comes first.
    let mut k = i.checked_sub(1)?;
    if word(toks.get(k)) == Some("not") && op != "is" {
        k = k.checked_sub(1)?;
    }
    // `lower(email) = …`: the column inside a one-argument function.
    if is_punct(toks.get(k), ")") && k >= 3 && is_punct(toks.get(k - 2), "(") {
        if let Some(Tok::Word(w)) = toks.get(k - 1) {
            if !is_keyword(w) && matches!(toks.get(k - 3), Some(Tok::Word(_))) {
                k -= 1;
            }
        }
    }
    let column = match (toks.get(k), toks.get(i + 1)) {
        (Some(Tok::Word(w)), _) if !is_keyword(w) => column_name(w),
        (Some(Tok::Value(_) | Tok::Num(_)), Some(Tok::Word(w))) if !is_keyword(w) && op != "in" => {
            column_name(w)
        }
        _ => return None,
    };
    let next = toks.get(i + 1);
    let (op, batched) = if op == "=" && word(next) == Some("any") {
        ("any".to_string(), true)
    } else if op == "in" {
        let batched = match next {
            // `IN %s` / `IN :ids` with a tuple or array parameter.
            Some(Tok::Value(_)) => true,
            Some(Tok::Punct(p)) if p == "(" => !matches!(word(toks.get(i + 2)), Some("select")),
            _ => false,
        };
        (op, batched)
    } else {
        (op, false)
    };
    let now_word = |t: Option<&Tok>| {
        matches!(
            word(t),
            Some("now" | "current_date" | "current_timestamp" | "localtimestamp" | "sysdate")
        )
    };
    // `>= now() - interval '7 days'`, or the same rounded: `>= date_trunc('month', now()) -
    // interval '11 months'`.
    let rounded_now = matches!(word(next), Some("date_trunc" | "date"))
        && toks[i + 1..].iter().take(8).any(|t| now_word(Some(t)));
    let recent = matches!(op.as_str(), ">" | ">=")
        && (now_word(next) || rounded_now)
        && toks[i + 1..]
            .iter()
            .take(if rounded_now { 12 } else { 5 })
            .any(|t| matches!(t, Tok::Punct(p) if p == "-"));
    Some(Predicate {
        column,
        op,
        batched,
        recent,
    })
}

const STATEMENT_WORDS: [&str; 5] = ["select", "update", "insert", "delete", "with"];

/// Reads the first data statement in `sql`, or `None` when the text is not SQL.
pub fn parse(sql: &str) -> Option<SqlStatement> {
    // Several rules read the same strings: remember the last few hundred answers.
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Option<SqlStatement>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = SEEN.with(|m| m.borrow().get(sql).cloned()) {
        return hit;
    }
    let parsed = parse_uncached(sql);
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 512 {
            m.clear();
        }
        m.insert(sql.to_string(), parsed.clone());
    });
    parsed
}

fn parse_uncached(sql: &str) -> Option<SqlStatement> {
    let (mut s, cte) = parse_main(sql)?;
    // `WITH totals AS (SELECT …, SUM(…) … GROUP BY …) SELECT … FROM totals`: the work the CTEs
    // do is the statement's work (what makes it heavy), though its table and filters are the
    // main statement's.
    // The names: the word before each `AS (` at the CTE list's top level.
    let mut depth = 0;
    let mut names = Vec::new();
    for (i, t) in cte.iter().enumerate() {
        match t {
            Tok::Punct(p) if p == "(" => depth += 1,
            Tok::Punct(p) if p == ")" => depth -= 1,
            Tok::Word(w) if depth == 0 && w == "as" => {
                if let Some(name) = i.checked_sub(1).and_then(|j| word(cte.get(j))) {
                    names.push(table_name(name));
                }
            }
            _ => {}
        }
    }
    if !names.is_empty() {
        s.ctes = names.into_boxed_slice();
    }
    if s.kind == SqlKind::Select {
        for body in cte_bodies(&cte) {
            let inner_from = body
                .iter()
                .position(|t| matches!(t, Tok::Word(w) if w == "from"))
                .and_then(|i| word(body.get(i + 1)));
            let mut inner = SqlStatement::blank(SqlKind::Select, String::new(), false);
            shape(body, &mut inner);
            for a in inner.aggregates {
                if !s.aggregates.contains(&a) {
                    s.aggregates.push(a);
                }
            }
            for t in inner_from.map(table_name).into_iter().chain(inner.tables) {
                if !s.tables.contains(&t) {
                    s.tables.push(t);
                }
            }
            s.joins += inner.joins;
            s.window |= inner.window;
            s.group_by |= inner.group_by;
            s.order_by_aggregate |= inner.order_by_aggregate;
        }
    }
    Some(s)
}

/// The bodies of `name AS ( … ), other AS ( … )`: the tokens inside each outer pair of
/// parentheses.
fn cte_bodies(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct(p) if p == "(" => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            Tok::Punct(p) if p == ")" => {
                depth -= 1;
                if depth == 0 {
                    out.push(&toks[start..i]);
                }
            }
            _ => {}
        }
    }
    out
}

/// The main statement of `sql`, and the tokens of its CTEs (none without `WITH`).
fn parse_main(sql: &str) -> Option<(SqlStatement, Vec<Tok>)> {
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
    let mut cte_toks: &[Tok] = &[];
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
        let main = main?;
        cte_toks = &toks[1..main];
        toks = &toks[main..];
    }
    let cte = cte_toks.to_vec();
    // The statement ends at the first `;` outside parentheses.
    let mut depth = 0i32;
    let end = toks
        .iter()
        .position(|t| {
            match t {
                Tok::Punct(p) if p == "(" => depth += 1,
                Tok::Punct(p) if p == ")" => depth -= 1,
                _ => {}
            }
            depth <= 0 && matches!(t, Tok::Punct(p) if p == ";")
        })
        .unwrap_or(toks.len());
    let toks = &toks[..end];
    let has = |w: &str| toks.iter().any(|t| matches!(t, Tok::Word(x) if x == w));
    let after = |kw: &str| -> Option<usize> {
        toks.iter()
            .position(|t| matches!(t, Tok::Word(x) if x == kw))
    };
    let stmt = |kind, table: &str| {
        let mut s = SqlStatement::blank(kind, table_name(table), serializable);
        shape(toks, &mut s);
        s
    };
    let parsed = match word(toks.first())? {
        "select" => {
            let from = top_level(toks, "from").or_else(|| after("from"))?;
            // `FROM (SELECT … FROM team_totals) ranked`: the table the derived table reads.
            let table = word(toks.get(from + 1)).or_else(|| {
                let inner = toks[from + 1..]
                    .iter()
                    .position(|t| matches!(t, Tok::Word(w) if w == "from"))?;
                word(toks.get(from + 1 + inner + 1))
            })?;
            let mut s = stmt(SqlKind::Select, table);
            // The first table of each later SELECT of a top-level UNION.
            let d = depths(toks);
            let unions: Vec<String> = (0..toks.len())
                .filter(|&i| d[i] == 0 && word(toks.get(i)) == Some("union"))
                .filter_map(|i| {
                    let from = (i + 1..toks.len()).find(|&j| word(toks.get(j)) == Some("from"))?;
                    word(toks.get(from + 1)).map(table_name)
                })
                .filter(|t| *t != s.table)
                .collect();
            s.union_tables = unions.into_boxed_slice();
            // `FOR UPDATE` / `FOR NO KEY UPDATE` / `FOR SHARE`, MySQL `LOCK IN SHARE MODE`,
            // SQL Server's `WITH (UPDLOCK)` / `HOLDLOCK` / `XLOCK` table hints.
            s.locking = toks.windows(2).any(|w| {
                word(w.first()) == Some("for")
                    && matches!(word(w.get(1)), Some("update" | "no" | "share" | "key"))
                    || word(w.first()) == Some("lock") && word(w.get(1)) == Some("in")
            }) || ["updlock", "holdlock", "xlock", "tablockx"]
                .iter()
                .any(|h| has(h));
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
                s.conditional = where_is_conditional(&toks[w + 1..]) && !unguarded_decrement(&s);
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
    };
    parsed.map(|s| (s, cte))
}

/// Byte ranges of the statements in a SQL script, split at `;` outside strings, quoted
/// identifiers and comments (the `;` itself is left out).
pub fn statements(script: &str) -> Vec<(usize, usize)> {
    let b = script.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' | b'`' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                out.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

#[cfg(test)]
mod statement_tests {
    use super::statements;

    #[test]
    fn splits_outside_strings_and_comments() {
        let s = "SELECT ';' FROM a; -- x; y\nUPDATE b SET c = 1 /* ; */;\n";
        let parts: Vec<&str> = statements(s)
            .into_iter()
            .map(|(a, b)| s[a..b].trim())
            .collect();
        assert_eq!(
            parts,
            vec![
                "SELECT ';' FROM a",
                "-- x; y\nUPDATE b SET c = 1 /* ; */",
                ""
            ]
        );
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
            "UPDATE lanes SET metres_free = metres_free - $1 WHERE sailing_id = $2 AND metres_free >= $1",
            "UPDATE events SET seats_left = seats_left - 1 WHERE id = $1 AND status = 'open'",
        ] {
            assert!(parse(sql).unwrap().conditional, "{sql}");
        }
        // A decrement keyed by a composite key (`lane`) tests nothing about what is left.
        let keyed =
            "UPDATE lanes SET metres_free = metres_free - $1 WHERE sailing_id = $2 AND lane = $3";
        assert!(!parse(keyed).unwrap().conditional);
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

    #[test]
    fn bounds_and_clauses() {
        let s = parse(
            "SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50 OFFSET $2",
        )
        .unwrap();
        assert_eq!(s.limit.as_deref(), Some("50"));
        assert!(s.offset && s.order_by && !s.group_by);
        assert_eq!(
            parse("select * from t limit ?").unwrap().limit.as_deref(),
            Some("?")
        );
        assert!(parse("SELECT TOP 10 * FROM events")
            .unwrap()
            .limit
            .is_some());
        assert!(
            parse("SELECT id FROM logs ORDER BY id FETCH FIRST 20 ROWS ONLY")
                .unwrap()
                .limit
                .is_some()
        );
        // A LIMIT inside a subquery does not bound the outer query.
        let s =
            parse("SELECT * FROM orders WHERE id IN (SELECT order_id FROM items LIMIT 5)").unwrap();
        assert_eq!(s.limit, None);
        assert!(!s.batched());
        assert!(parse("SELECT * FROM orders").unwrap().limit.is_none());
    }

    #[test]
    fn time_order_needs_a_time_column() {
        let newest = |q: &str| parse(q).unwrap().time_ordered;
        assert!(newest(
            "SELECT * FROM attempts WHERE user_id = $1 ORDER BY created_at DESC"
        ));
        assert!(newest("SELECT * FROM readings ORDER BY r.ts DESC"));
        // Oldest first is a history too, unless a date test picks a window or a day.
        assert!(newest("SELECT * FROM attempts ORDER BY created_at ASC"));
        assert!(newest(
            "SELECT * FROM recalls WHERE clinic_id = $1 ORDER BY due_on"
        ));
        assert!(!newest(
            "SELECT * FROM slots WHERE museum_id = ? AND starts_at::date = ? ORDER BY starts_at"
        ));
        assert!(!newest(
            "SELECT * FROM tat WHERE day >= current_date - 90 ORDER BY day, p50 ASC"
        ));
        assert!(!newest("SELECT name FROM players ORDER BY points DESC"));
        assert!(!newest("SELECT title FROM blogs ORDER BY posts DESC"));
        assert!(
            time_column("scheduledAt") && time_column("pickup_date") && time_column("event_ts")
        );
        assert!(!time_column("seats") && !time_column("counts"));
    }

    #[test]
    fn aggregates_joins_and_order() {
        let s = parse(
            "SELECT a.*, COUNT(f.id) AS follower_count FROM artists a \
             LEFT JOIN follows f ON f.artist_id = a.id GROUP BY a.id \
             ORDER BY follower_count DESC LIMIT 100",
        )
        .unwrap();
        assert_eq!(s.table, "artists");
        assert_eq!(s.aggregates, vec!["count".to_string()]);
        assert_eq!(s.tables, vec!["artists".to_string(), "follows".to_string()]);
        assert_eq!(s.joins, 1);
        assert!(s.group_by && s.order_by_aggregate);
        assert!(!s.single_row_aggregate());
        let c = parse("SELECT COUNT(*) FROM orders WHERE org_id = $1").unwrap();
        assert!(c.single_row_aggregate() && c.joins == 0);
        let w = parse("SELECT id, RANK() OVER (ORDER BY score DESC) FROM players").unwrap();
        assert!(w.window && !w.order_by);
        let comma = parse("SELECT * FROM users u, orders o WHERE o.user_id = u.id").unwrap();
        assert_eq!(comma.joins, 1);
        assert_eq!(
            comma.tables,
            vec!["users".to_string(), "orders".to_string()]
        );
        // FROM inside a select-list subquery is not the main table.
        let sub = parse("SELECT (SELECT count(*) FROM follows) AS n, name FROM artists").unwrap();
        assert_eq!(sub.table, "artists");
    }

    #[test]
    fn where_predicates() {
        let s = parse("SELECT * FROM invoices i WHERE i.org_id = $1 AND status <> 'void' AND deleted_at IS NULL").unwrap();
        let cols: Vec<(&str, &str)> = s
            .predicates
            .iter()
            .map(|p| (p.column.as_str(), p.op.as_str()))
            .collect();
        assert_eq!(
            cols,
            vec![("org_id", "="), ("status", "<>"), ("deleted_at", "is")]
        );
        assert!(s.tests_column("org_id"));
        assert!(parse("SELECT * FROM users WHERE id = ANY($1)")
            .unwrap()
            .batched());
        assert!(parse("select * from users where id in %s")
            .unwrap()
            .batched());
        assert!(parse("SELECT * FROM users WHERE id IN (?, ?, ?)")
            .unwrap()
            .batched());
        assert!(!parse("SELECT * FROM users WHERE id = $1")
            .unwrap()
            .batched());
        assert!(parse("SELECT * FROM t WHERE $1 = account_id")
            .unwrap()
            .tests_column("account_id"));
    }

    #[test]
    fn set_expressions_and_returning() {
        let abs = parse("UPDATE accounts SET balance = $1 WHERE id = $2").unwrap();
        assert_eq!(
            abs.sets,
            vec![SetExpr {
                column: "balance".into(),
                relative: false,
                from_param: true,
                literal: false,
                value: "$1".into(),
            }]
        );
        let rel = parse("UPDATE accounts SET balance = balance - $1, updated_at = now() WHERE id = $2 RETURNING balance").unwrap();
        assert!(rel.sets[0].relative && rel.returning);
        assert_eq!(rel.sets[1].column, "updated_at");
        assert!(!rel.sets[1].from_param);
        let up = parse("INSERT INTO counters (k, n) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET n = counters.n + 1").unwrap();
        assert_eq!(up.insert_columns, vec!["k".to_string(), "n".to_string()]);
        assert!(up.sets[0].relative);
        let hold = parse("INSERT INTO seat_holds (seat_id, user_id, expires_at) VALUES ($1, $2, now() + interval '10 minutes')").unwrap();
        assert!(hold.insert_columns.contains(&"expires_at".to_string()));
    }
}
