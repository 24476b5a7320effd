//! # expired-records-never-cleaned
//!
//! ## What it does
//! Flags rows or entries written with an expiry (an `expires_at`, `hold_expires`,
//! `valid_until`, `locked_until` or `ttl` column set to now + an interval: seat holds,
//! sessions, tokens, OTPs, invitations) when nothing in the snippet ever deletes or archives
//! the expired ones: no `DELETE … WHERE expires_at < now()`, no ORM delete filtered on the
//! expiry (Spring Data `deleteByExpiresAtBefore`, GORM `Where("expires_at < ?").Delete`), no
//! scheduled cleanup (a cron, `@Scheduled`, Nest `@Cron`, `setInterval` or Go `time.Ticker`
//! job seen deleting them, Celery beat, pg_cron), no TTL index (`expireAfterSeconds`), no Redis
//! `EXPIRE`/`ex=`/`SETEX`. Writes are SQL `INSERT`s, ORM creates (Prisma, TypeORM, Sequelize,
//! GORM `Create(&Hold{ExpiresAt: …})`), and Java entities given an expiry by a setter or
//! builder (`reset.setExpiresAt(…)`) before `save`.
//!
//! ## Why is this bad at scale
//! Readers skip expired rows with `WHERE expires_at > now()`, so everything looks right. But
//! every hold, session or code ever issued stays in the table. After a month of traffic the
//! table holds millions of dead rows, indexes bloat, and the availability query that was
//! instant slows down a little more each week, until it is the slowest query in the system.
//!
//! ## Example
//! ```sql
//! INSERT INTO seat_holds (seat_id, user_id, expires_at)
//! VALUES ($1, $2, now() + interval '10 minutes');
//! SELECT seat_id FROM seat_holds WHERE event_id = $1 AND expires_at > now();
//! ```
//!
//! ## Use instead
//! Delete (or archive) expired rows on a schedule, or let the store expire them:
//! ```sql
//! -- every minute (pg_cron, a worker, @Scheduled):
//! DELETE FROM seat_holds WHERE expires_at < now() - interval '1 hour';
//! ```
//! Or a MongoDB TTL index (`expireAfterSeconds`), Redis keys with `EX`, DynamoDB TTL.
//! Filtering `expires_at > now()` in readers is not a cleanup and does not silence the rule.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, and SQL (files and strings).

use super::process_state::line_loc;
use super::queries::query_sql;
use super::queries::{ident_words, orm_site, statement_loc};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Call, Function, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::sql::SqlKind;
use crate::analyzer::{Evidence, Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "expired-records-never-cleaned";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Expired records never cleaned up",
    what_it_does: "Flags rows or entries written with an expiry (expires_at, hold_expires, valid_until, locked_until or ttl set to now + an interval: seat holds, sessions, tokens, OTPs) when nothing in the snippet deletes or archives the expired ones: no DELETE … WHERE expires_at < now(), no ORM delete on the expiry (Spring Data deleteByExpiresAtBefore, GORM Where(\"expires_at < ?\").Delete), no scheduled cleanup (a cron, @Scheduled, Nest @Cron, setInterval or Go time.Ticker job seen deleting them, Celery beat, pg_cron), no TTL index (expireAfterSeconds), no Redis EXPIRE/ex=/SETEX.",
    why_bad_at_scale: "Readers skip expired rows with WHERE expires_at > now(), so everything looks right, but every hold, session or code ever issued stays in the table. After a month the table holds millions of dead rows, indexes bloat, and the availability query that was instant gets slower every week.",
    example: "INSERT INTO seat_holds (seat_id, user_id, expires_at)\nVALUES ($1, $2, now() + interval '10 minutes');\nSELECT seat_id FROM seat_holds WHERE event_id = $1 AND expires_at > now();",
    use_instead: "-- every minute (pg_cron, a worker, @Scheduled):\nDELETE FROM seat_holds WHERE expires_at < now() - interval '1 hour';\n\nOr a MongoDB TTL index (expireAfterSeconds), Redis keys with EX, DynamoDB TTL. Readers filtering expires_at > now() are not a cleanup.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// A column or field that holds an expiry time.
fn expiry_field(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    // A document's own end date (`gas_cert_expires`, `licence_expires_on`, `insurance_expiry`)
    // is data about the thing, not a lifetime of the row.
    let document = [
        "cert",
        "licen",
        "passport",
        "insurance",
        "visa",
        "card",
        "warranty",
        "membership",
    ]
    .iter()
    .any(|d| n.has(d));
    !document
        && (n.has("expir") || n == "expires" || n == "ttl" || n.ends_with("until") && n.len() > 5)
}

/// The expiry is taken as given (`expiresAt: dto.expiresAt`, `expires_on=body.expires_on`):
/// a date the item carries (a blood unit's shelf life, a certificate's end), not a lifetime
/// this code gives its own temporary rows, which it computes from now.
fn copied_from_input(text: &str, column: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let want = norm(column);
    let Some(at) = text.find(column) else {
        return false;
    };
    let rest = text[at + column.len()..].trim_start();
    let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
        return false;
    };
    let value: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '?'))
        .collect();
    match value.rsplit_once('.') {
        Some((owner, field)) => !owner.is_empty() && norm(field) == want && !value.has("now"),
        None => false,
    }
}

/// The first expiry field named in a text (`expires_at=…`, `expiresAt:`).
fn expiry_in(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|w| expiry_field(w) && ident_words(w).len() <= 4)
        .map(str::to_string)
}

/// Snippet-wide markers of a cleanup or a store that expires entries itself. A scheduler alone
/// (`node-cron`, `@Scheduled`, `setInterval`) is not one: its job must be seen deleting the
/// rows (`deletes_expired`), or a reminder cron beside a token table would silence it.
const CLEANUP: [&str; 20] = [
    "celery beat",
    "beat schedule",
    "beat_schedule",
    "periodic_task",
    "expireafterseconds",
    "expire_after",
    "pg_cron",
    "timetolive",
    "time_to_live",
    "using ttl",
    "clearsessions",
    "purge",
    "prune",
    "cleanup",
    "clean_up",
    "sweep",
    "reap",
    "delete_expired",
    "deleteexpired",
    "removeexpired",
];

/// Key-value stores that expire their own keys: they clean up what is written to them, not a
/// SQL table in the same snippet. `setex(`, not `setExpiresAt(`.
const KV_EXPIRY: [&str; 10] = [
    "setex(",
    "setex ",
    "psetex",
    ".expire(",
    "expireat(",
    "pexpire",
    ", ex=",
    ", px=",
    "'ex'",
    "\"ex\"",
];

/// `marker` occurs in the (lower-case) text and is not denied just before it ("no extra
/// cleanup is needed", "nothing purges them").
fn cleanup_said(lower: &str, marker: &str) -> bool {
    find::find_all(lower, marker).any(|i| {
        // The same sentence, the few words before the marker, across a comment's line breaks.
        let from = lower[..i]
            .rfind(['.', ';'])
            .map_or(0, |n| n + 1)
            .max(i.saturating_sub(32));
        let before: String = lower
            .get(from..i)
            .unwrap_or("")
            .split(|c: char| c.is_whitespace() || matches!(c, '*' | '#' | '/' | '-'))
            .filter(|w| !w.is_empty())
            .map(|w| format!("{w} "))
            .collect();
        let before = format!(" {before}");
        ![" no ", " not ", " never ", " without ", " nothing ", "n't "]
            .iter()
            .any(|neg| before.has(neg))
    })
}

/// A DELETE or archive of expired rows: a SQL DELETE/UPDATE testing an expiry column (or any
/// time column with `<`), or an ORM delete whose filter names the expiry.
fn deletes_expired(cx: &Ctx) -> bool {
    for f in &cx.program.functions {
        // Spring Data `@Modifying @Query("DELETE FROM Session s WHERE s.expiresAt < :now")`.
        if f.decorators.iter().any(|d| {
            let l = d.to_ascii_lowercase();
            l.has("delete") && expiry_in(d).is_some()
        }) {
            return true;
        }
        for c in &f.calls {
            if let Some(s) = query_sql(cx, f, c) {
                // `DELETE … WHERE token_hash = $1 AND expires_at > now()` consumes one live
                // row; the expired ones stay.
                let on_expiry = s.predicates.iter().any(|p| {
                    expiry_field(&p.column) && matches!(p.op.as_str(), "<" | "<=")
                        || expiry_field(&p.column)
                            && s.kind == SqlKind::Delete
                            && !matches!(p.op.as_str(), ">" | ">=")
                        || p.op == "<" && (p.column.ends_with("_at") || p.column.ends_with("_on"))
                });
                if matches!(s.kind, SqlKind::Delete | SqlKind::Update) && on_expiry {
                    return true;
                }
                continue;
            }
            let m = c.method.as_str();
            // Spring Data: `deleteByExpiresAtBefore(now)`, `deleteAllByValidUntilLessThan(now)`.
            let lm = m.to_ascii_lowercase();
            if (lm.starts_with("delete") || lm.starts_with("remove"))
                && ident_words(m)
                    .iter()
                    .any(|w| expiry_field(w) || w == "until")
            {
                return true;
            }
            let deletes = matches!(
                m,
                "Delete"
                    | "delete"
                    | "deleteMany"
                    | "destroy"
                    | "delete_many"
                    | "deleteOne"
                    | "remove"
                    | "bulk_delete"
                    // Knex `knex('holds').where('expires_at', '<', knex.fn.now()).del()`.
                    | "del"
            );
            if deletes {
                let chain = format!("{} {}", c.callee, c.args_text());
                // `filter(code=…, expires_at__gt=now()).delete()` consumes a live row.
                let live_only = ["__gt", "$gt", "gt:", "MoreThan", "After("]
                    .iter()
                    .any(|k| chain.has(k))
                    && !["__lt", "$lt", "lt:", "LessThan", "Before(", "<"]
                        .iter()
                        .any(|k| chain.has(k));
                if expiry_in(&chain).is_some() && !live_only {
                    return true;
                }
            }
        }
    }
    false
}

/// A validity counted in days, months or years (`expires_on`, `date.today() + timedelta(days=
/// 365)`, `interval '1 year'`): a permit or a membership, a business record that is kept as
/// history when it lapses, not a hold or token that piles up by the minute.
fn long_lived(column: &str, interval: Option<&str>, write: &str) -> bool {
    let c = column.to_ascii_lowercase();
    let w = write.to_ascii_lowercase();
    let date_valued = c.ends_with("_on")
        || c.ends_with("_date")
        || c.ends_with("date")
        || ["date.today()", "current_date", "localdate.now()"]
            .iter()
            .any(|k| w.has(k));
    let long = interval.is_some_and(|i| {
        let i = i.to_ascii_lowercase();
        let days = i
            .split(|ch: char| !ch.is_ascii_digit())
            .find(|n| !n.is_empty())
            .and_then(|n| n.parse::<u64>().ok());
        i.has("year") || i.has("month") || i.has("day") && days.is_some_and(|d| d >= 90)
    });
    date_valued || long
}

/// The interval an expiry is set to, as written near the write (`interval '10 minutes'`,
/// `timedelta(minutes=10)`, `Date.now() + 10 * 60 * 1000`).
fn interval_near(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = lower.find("interval '") {
        let rest = &text[i + 10..];
        return rest.split('\'').next().map(str::to_string);
    }
    if let Some(i) = lower.find("timedelta(") {
        let rest = &text[i + 10..];
        return rest
            .split(')')
            .next()
            .map(|s| format!("timedelta({})", s.trim()));
    }
    // Go `time.Now().Add(24 * time.Hour)`, Java `Instant.now().plus(30, ChronoUnit.MINUTES)`.
    for k in ["time.now().add(", "instant.now().plus(", "now().plus("] {
        if let Some(i) = lower.find(k) {
            let v: String = text[i + k.len()..]
                .chars()
                .take_while(|c| !matches!(c, ')' | ';' | '\n'))
                .collect();
            if let Some((n, unit)) = v.split_once(", ChronoUnit.") {
                return Some(format!("{} {}", n.trim(), unit.trim().to_ascii_lowercase()));
            }
            if !v.trim().is_empty() && !v.has("Duration.") {
                return Some(v.trim().to_string());
            }
        }
    }
    // Java `plusMinutes(15)`, `Duration.ofHours(2)`.
    for (k, unit) in [
        ("plusseconds(", "seconds"),
        ("plusminutes(", "minutes"),
        ("plushours(", "hours"),
        ("plusdays(", "days"),
        ("duration.ofseconds(", "seconds"),
        ("duration.ofminutes(", "minutes"),
        ("duration.ofhours(", "hours"),
        ("duration.ofdays(", "days"),
    ] {
        if let Some(i) = lower.find(k) {
            let v: String = text[i + k.len()..]
                .chars()
                .take_while(|c| !matches!(c, ')' | ';' | '\n'))
                .collect();
            if !v.trim().is_empty() {
                return Some(format!("{} {unit}", v.trim()));
            }
        }
    }
    for k in [
        "date.now() +",
        "time.time() +",
        "now() +",
        "datetime.now() +",
        "new date(date.now() +",
    ] {
        if let Some(i) = lower.find(k) {
            let v = balanced_operand(&text[i + k.len()..]);
            // `now() + make_interval(mins => $4)`: the length is a bound value, not in the code.
            if !v.is_empty() && !has_placeholder(v) {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// The operand at the start of `rest`, up to the `,` `)` `;` `}` or line end that closes it
/// at its own nesting level: `make_interval(mins => 10)` whole, not cut at its first `)`.
fn balanced_operand(rest: &str) -> &str {
    let mut depth = 0usize;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' if depth > 0 => depth -= 1,
            ')' | ',' | ';' | '}' if depth == 0 => {
                end = i;
                break;
            }
            '\n' => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    rest.get(..end).unwrap_or("").trim()
}

/// A bind placeholder (`$4`, `%s`, `?`): the value is supplied at run time.
fn has_placeholder(text: &str) -> bool {
    let b = text.as_bytes();
    text.has("%s")
        || text.contains('?')
        || b.windows(2).any(|w| w[0] == b'$' && w[1].is_ascii_digit())
}

/// The struct a Go composite literal builds: `&SeatHold{…}` → `SeatHold`.
fn go_struct(args: &str) -> Option<String> {
    let t = args.trim().trim_start_matches('&');
    let name: String = t
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let rest = t[name.len()..].trim_start();
    let name = name.rsplit('.').next().unwrap_or(&name).to_string();
    (rest.starts_with('{') && name.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .then_some(name)
}

/// A Java entity given an expiry through a setter (`reset.setExpiresAt(…)`) or a builder
/// (`Token.builder()….expiresAt(…)`), in code that saves entities.
fn java_expiry_write(cx: &Ctx, f: &Function, c: &Call) -> Option<Write> {
    if cx.language != Language::Java || !cx.source_has(".save") {
        return None;
    }
    // `new Hold(seatId, userId, Instant.now().plus(10, ChronoUnit.MINUTES))` then `save(…)`.
    if let Some(class) = c.callee.strip_prefix("new ") {
        let args = c.args_text();
        let expiring = [
            "Instant.now().plus",
            "LocalDateTime.now().plus",
            "OffsetDateTime.now().plus",
            "ZonedDateTime.now().plus",
            "System.currentTimeMillis() +",
        ]
        .iter()
        .any(|k| args.has(k));
        let entity = class
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_uppercase())
            && class.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
        if expiring && entity {
            return Some(Write {
                kv: false,
                loc: statement_loc(cx, &c.loc),
                table: class.to_string(),
                column: "expiry".to_string(),
                what: format!("`new {class}(…)`"),
            });
        }
        return None;
    }
    let m = c.method.as_str();
    let field = m.strip_prefix("set").unwrap_or(m);
    if !expiry_field(field) || ident_words(field).len() > 4 || c.args.is_empty() {
        return None;
    }
    let table = if let Some(i) = c.callee.find(".builder()") {
        c.callee[..i].rsplit('.').next().unwrap_or("").to_string()
    } else if m.starts_with("set") {
        // The entity the setter's receiver was built from: `PasswordReset reset = new …`.
        f.calls
            .iter()
            .filter(|n| n.loc.end <= c.loc.start)
            .filter_map(|n| n.callee.strip_prefix("new "))
            .rfind(|t| {
                t.chars().next().is_some_and(|ch| ch.is_ascii_uppercase())
                    && find::has(cx.source, &format!("{t} {} = new", c.receiver))
            })
            .unwrap_or(c.receiver.as_str())
            .to_string()
    } else {
        return None;
    };
    if table.is_empty() {
        return None;
    }
    let mut col = String::new();
    let mut chars = field.chars();
    if let Some(first) = chars.next() {
        col.push(first.to_ascii_lowercase());
        col.push_str(chars.as_str());
    }
    Some(Write {
        kv: false,
        loc: statement_loc(cx, &c.loc),
        table: table.clone(),
        column: col,
        what: if c.callee.has(".builder()") {
            format!("`{table}.builder()….{m}(…)`")
        } else {
            format!("`{}.{m}(…)`", c.receiver)
        },
    })
}

/// The table of a Knex query builder receiver: `knex('holds')`, `trx("holds")`,
/// `db('holds').where(…)`.
fn knex_table(receiver: &str) -> Option<String> {
    let (head, rest) = receiver.split_once('(')?;
    if head.is_empty() || !head.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let rest = rest.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|q| matches!(q, '\'' | '"' | '`'))?;
    let name: String = rest[1..].chars().take_while(|c| *c != quote).collect();
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
    .then_some(name)
}

/// A class the snippet declares as a request or response schema (`class BookingOut(BaseModel)`,
/// a `…Response` / `…Dto`): building one writes no row.
fn response_schema(cx: &Ctx, class: &str) -> bool {
    ["Out", "Response", "Schema", "Dto", "DTO", "Payload"]
        .iter()
        .any(|s| class.ends_with(s))
        || ["BaseModel)", "Schema)", "TypedDict)"].iter().any(|base| {
            cx.positions_of(&format!("class {class}("))
                .iter()
                .any(|&i| cx.source[i..].lines().next().is_some_and(|l| l.has(base)))
        })
}

/// The line of call `loc` that sets `column` (`hold_until=now() + …` four lines into a
/// `Booking(…)`): where the expiry is written. The call's own line when it is not found.
fn field_line(cx: &Ctx, loc: &Loc, column: &str) -> Loc {
    let text = cx.text(loc);
    let found = text.match_indices(column).find(|(i, _)| {
        let before_ok = !text[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let rest = text[i + column.len()..].trim_start();
        before_ok && (rest.starts_with('=') && !rest.starts_with("==") || rest.starts_with(':'))
    });
    match found {
        Some((i, _)) => line_loc(cx, loc.start + i),
        None => *loc,
    }
}

fn capitalised(s: &str) -> String {
    let mut ch = s.chars();
    ch.next()
        .map(|c| c.to_ascii_uppercase().to_string() + ch.as_str())
        .unwrap_or_default()
}

/// `ExpiresAt` → `expires_at`.
fn snake(s: &str) -> String {
    ident_words(s).join("_")
}

/// A repository's entity as people say it: `resetRepository` → `reset`.
fn entity_name(name: &str) -> String {
    let n = name.rsplit('.').next().unwrap_or(name);
    n.strip_suffix("Repository")
        .or_else(|| n.strip_suffix("Repo"))
        .filter(|m| !m.is_empty())
        .unwrap_or(n)
        .to_string()
}

/// `CREATE TABLE name (… expires_at timestamptz …)`: (table, column, the column's line);
/// `lower` is the text lower-cased (the caller has it already).
fn created_with_expiry(cx: &Ctx, lower: &str) -> Vec<(String, String, Loc)> {
    if !cx.source_has("CREATE TABLE") && !cx.source_has("create table") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for at in find::find_all(lower, "create table") {
        let rest = &lower[at + "create table".len()..];
        let rest = rest.trim_start();
        let rest = rest
            .strip_prefix("if not exists")
            .unwrap_or(rest)
            .trim_start();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '"'))
            .filter(|c| *c != '"')
            .collect();
        let Some(open) = lower[at..].find('(').map(|i| at + i + 1) else {
            continue;
        };
        let mut depth = 1;
        let mut col_start = open;
        for (i, c) in lower[open..].char_indices() {
            let here = open + i;
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 1 => {
                    col_start = here + 1;
                    continue;
                }
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if depth == 1 && here == col_start {
                let word: String = lower[here..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if expiry_field(&word) && !name.is_empty() {
                    let start = here + (lower[here..].len() - lower[here..].trim_start().len());
                    out.push((
                        name.rsplit('.').next().unwrap_or(&name).to_string(),
                        word,
                        line_loc(cx, start),
                    ));
                    break;
                }
            }
        }
    }
    out
}

struct Write {
    loc: Loc,
    table: String,
    column: String,
    what: String,
    /// Written to a key-value store (Redis), which can expire it itself.
    kv: bool,
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let lower = cx.lower();
    if CLEANUP.iter().any(|k| cleanup_said(lower, k)) || deletes_expired(cx) {
        return;
    }
    let mut writes: Vec<Write> = Vec::new();
    let mut readers: Vec<(String, usize)> = Vec::new();
    let mut inserted: Vec<String> = Vec::new();
    for f in &cx.program.functions {
        for c in &f.calls {
            if let Some(s) = query_sql(cx, f, c) {
                if s.kind == SqlKind::Insert {
                    inserted.push(entity_key(&s.table));
                }
                match s.kind {
                    // An upsert (`ON CONFLICT … DO UPDATE`) replaces one row per key; `DO
                    // NOTHING` still adds a row per new key.
                    SqlKind::Insert
                        if !s.on_conflict || {
                            let t = cx.text(&c.loc).to_ascii_lowercase();
                            t.has("do nothing") && !t.has("do update")
                        } =>
                    {
                        if let Some(col) = s.insert_columns.iter().find(|c| expiry_field(c)) {
                            writes.push(Write {
                                kv: false,
                                loc: statement_loc(cx, &c.loc),
                                table: s.table.clone(),
                                column: col.clone(),
                                what: format!("`INSERT INTO {}`", s.table),
                            });
                        }
                    }
                    SqlKind::Select if s.predicates.iter().any(|p| expiry_field(&p.column)) => {
                        readers.push((
                            entity_key(&s.table),
                            statement_loc(cx, &c.loc).span.start_line,
                        ));
                    }
                    _ => {}
                }
                continue;
            }
            if let Some(o) = orm_site(f, c) {
                if matches!(
                    o.method.as_str(),
                    "create"
                        | "bulkCreate"
                        | "insert"
                        | "insertMany"
                        | "createMany"
                        | "bulk_create"
                ) {
                    if let Some(col) = expiry_in(cx.text(&o.chain)) {
                        writes.push(Write {
                            kv: false,
                            loc: c.loc,
                            table: entity_name(&o.model),
                            column: col,
                            what: format!("`{}`", cx.text(&c.loc).split('(').next().unwrap_or("")),
                        });
                    }
                } else if c.args.iter().any(|a| {
                    a.name.as_deref().is_some_and(|n| expiry_in(n).is_some())
                        || expiry_in(&a.text).is_some()
                }) {
                    readers.push((entity_key(&o.model), c.loc.span.start_line));
                }
                continue;
            }
            // Knex `trx('vehicle_holds').insert({ …, hold_until: … })`; MikroORM / TypeORM
            // `em.create(LobbyInvite, { …, expiresAt: … })`.
            let table = match c.method.as_str() {
                "insert" => knex_table(&c.receiver),
                "create"
                    if matches!(
                        c.receiver.rsplit('.').next(),
                        Some("em" | "manager" | "entityManager")
                    ) =>
                {
                    c.args
                        .first()
                        .map(|a| a.text.trim().to_string())
                        .filter(|t| t.starts_with(|ch: char| ch.is_ascii_uppercase()))
                }
                _ => None,
            };
            if let Some((table, col)) =
                table.and_then(|t| expiry_in(&c.args_text()).map(|col| (t, col)))
            {
                writes.push(Write {
                    kv: false,
                    loc: c.loc,
                    table,
                    column: col,
                    what: format!("`{}`", c.callee.split('(').next().unwrap_or(&c.callee)),
                });
                continue;
            }
            // GORM `db.Create(&SeatHold{…, ExpiresAt: …})`.
            if c.method == "Create" {
                let args = c.args_text();
                if let (Some(model), Some(col)) = (go_struct(&args), expiry_in(&args)) {
                    writes.push(Write {
                        kv: false,
                        loc: c.loc,
                        table: model,
                        column: col,
                        what: format!("`{}`", c.callee),
                    });
                    continue;
                }
            }
            // Java: `reset.setExpiresAt(…)` or `Token.builder()….expiresAt(…)` then `save(…)`.
            if let Some(w) = java_expiry_write(cx, f, c) {
                writes.push(w);
                continue;
            }
            // `Token(user_id=…, expires_at=…)` then `session.add(…)` / `.save()`.
            let head = c.callee.as_str();
            let constructor = head
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_uppercase())
                && head.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
                && !head.has("Cache")
                && !response_schema(cx, head)
                && c.args.iter().any(|a| {
                    a.name.as_deref().is_some_and(|n| {
                        expiry_field(n)
                            && !n.eq_ignore_ascii_case("ttl")
                            // `hold_until=booking.hold_until` copies an expiry set elsewhere.
                            && !a.text.trim().ends_with(&format!(".{n}"))
                    })
                })
                && [".add(", ".save(", ".add_all(", ".merge("]
                    .iter()
                    .any(|k| cx.source_has(k));
            // A TTL passed to the set itself (`opsForValue().set(key, json, TTL)`, go-redis
            // `Set(ctx, key, v, ttl)`): Redis drops the key when it expires.
            let self_expiring = match cx.language {
                Language::Java => c.method == "set" && c.args.len() >= 3,
                Language::Go => {
                    c.args.len() >= 4 && c.args.last().is_some_and(|a| a.text.trim() != "0")
                }
                _ => false,
            };
            // A map in this process (`const overviewCache = new Map()`) is unbounded-cache's
            // business: the process's memory, not a table or a store that keeps rows. Asked
            // last, of the few calls that pass the rest (each question searches the text).
            let in_process = || {
                let r = c.receiver.trim_start_matches("this.");
                !r.is_empty()
                    && [
                        " = new Map",
                        ": Map<",
                        " = new WeakMap",
                        " = {}",
                        " = dict()",
                        " = new HashMap",
                        " = new ConcurrentHashMap",
                        " = make(map[",
                    ]
                    .iter()
                    .any(|d| !cx.positions_of(&format!("{r}{d}")).is_empty())
            };
            let redis_set = matches!(c.method.as_str(), "set" | "hset" | "hmset" | "hSet")
                && !self_expiring
                && expiry_in(&c.args_text()).is_some()
                && c.args
                    .iter()
                    .any(|a| a.string.as_deref().is_some_and(|s| s.contains(':')))
                && !in_process();
            if constructor || redis_set {
                let col = c
                    .args
                    .iter()
                    .find_map(|a| a.name.clone().filter(|n| expiry_field(n)))
                    .or_else(|| expiry_in(&c.args_text()))
                    .unwrap_or_default();
                writes.push(Write {
                    loc: if constructor {
                        field_line(cx, &c.loc, &col)
                    } else {
                        c.loc
                    },
                    table: if constructor {
                        head.to_string()
                    } else {
                        c.args.first().map(|a| a.text.clone()).unwrap_or_default()
                    },
                    column: col,
                    what: format!("`{}`", c.callee),
                    kv: redis_set && !constructor,
                });
            }
        }
    }
    // A table created here with an expiry column (`expires_at … DEFAULT now() + interval
    // '10 minutes'`) and filled by an INSERT that leaves the column to its default.
    // A table whose rows expire by default (`held_until … DEFAULT now() + interval '15
    // minutes'`) fills with dead rows whoever inserts them.
    for (table, column, loc) in created_with_expiry(cx, lower) {
        let key = entity_key(&table);
        let def = cx.lines.line_text(loc.span.start_line).to_ascii_lowercase();
        let expires_by_default = def.has("default") && def.has("interval");
        if (inserted.contains(&key) || expires_by_default)
            && !writes.iter().any(|w| entity_key(&w.table) == key)
        {
            writes.push(Write {
                kv: false,
                loc,
                what: format!("`CREATE TABLE {table}` (column `{column}`)"),
                table,
                column,
            });
        }
    }
    let kv_expires = KV_EXPIRY.iter().any(|k| lower.has(k));
    let mut done: Vec<String> = Vec::new();
    for w in writes {
        if w.kv && kv_expires {
            continue;
        }
        let key = entity_key(&w.table);
        if done.contains(&key) {
            continue;
        }
        done.push(key.clone());
        let line = w.loc.span.start_line;
        let text = cx.text(&w.loc).to_string();
        let interval = interval_near(&text).or_else(|| {
            // The expiry is often computed a few lines above the write.
            let from = line.saturating_sub(6).max(1);
            let near: String = (from..=line)
                .map(|l| cx.lines.line_text(l))
                .collect::<Vec<_>>()
                .join("\n");
            interval_near(&near)
        });
        if long_lived(&w.column, interval.as_deref(), &text) || copied_from_input(&text, &w.column)
        {
            continue;
        }
        let reads: Vec<usize> = readers
            .iter()
            .filter(|(t, l)| *t == key && *l != line)
            .map(|(_, l)| *l)
            .collect();
        let reader_note = match reads.first() {
            Some(r) => {
                format!(" (the read at line {r} only skips expired rows, it does not remove them)")
            }
            None => String::new(),
        };
        let after = interval
            .as_ref()
            .map(|i| format!(" that expire after {i}"))
            .unwrap_or_default();
        let message = format!(
            "{} at line {line} writes `{}` rows with `{}`{after}, but nothing in this code deletes or archives expired ones{reader_note}: the table keeps every row ever written and the queries on it slow down month by month.",
            w.what, w.table, w.column
        );
        let fix = match cx.language {
            Language::Java if w.what.starts_with("`INSERT") => format!(
                "Delete expired rows on a schedule: a `@Scheduled(fixedDelay = …)` method running `jdbcTemplate.update(\"DELETE FROM {} WHERE {} < now()\")`; or keep them in Redis with a TTL.",
                w.table, w.column
            ),
            Language::Java => format!(
                "Delete expired rows on a schedule: a `@Scheduled(fixedDelay = …)` method calling a `deleteBy{}Before(Instant.now())` repository method (or `DELETE FROM … WHERE … < now()` through JdbcTemplate); or keep them in Redis with a TTL.",
                capitalised(&w.column)
            ),
            Language::Go if w.what.has("Create") => format!(
                "Delete expired rows on a schedule: a goroutine with a `time.Ticker` (or a cron job) running `db.Where(\"{} < ?\", time.Now()).Delete(&{}{{}})`; or keep them in Redis with a TTL.",
                snake(&w.column), w.table
            ),
            Language::Go => format!(
                "Delete expired rows on a schedule: a goroutine with a `time.Ticker` (or pg_cron) running `DELETE FROM {} WHERE {} < now()`; or keep them in Redis with a TTL (`Set(ctx, key, v, ttl)`).",
                w.table, w.column
            ),
            _ => format!(
                "Delete expired rows on a schedule (`DELETE FROM {} WHERE {} < now()` every few minutes via cron/pg_cron/a worker), or let the store expire them (TTL index, Redis EX).",
                w.table, w.column
            ),
        };
        let mut params = BTreeMap::new();
        params.insert("table".to_string(), w.table.clone());
        params.insert("expiry_column".to_string(), w.column.clone());
        params.insert("write_line".to_string(), line.to_string());
        if let Some(i) = &interval {
            params.insert("interval".to_string(), i.clone());
        }
        let mut evidence = vec![cx.evidence(&w.loc, "write")];
        for r in reads.iter().take(2) {
            evidence.push(Evidence {
                line: *r,
                column: 1,
                role: "read".to_string(),
                code: cx.lines.line_text(*r).trim().to_string(),
            });
        }
        out.push(finding(
            ID,
            Severity::Warning,
            &w.loc,
            message,
            fix,
            evidence,
            params,
        ));
    }
}
