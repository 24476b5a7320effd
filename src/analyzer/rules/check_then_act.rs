//! # check-then-act
//!
//! ## What it does
//! Flags a read of shared state (a SQL `SELECT`, an ORM `get`/`findOne`, a Redis `GET`, a
//! lookup in a process-level dict or Map across an `await`) followed, after a decision, by a
//! write of the same thing (`UPDATE`/`INSERT`, `save()`, `SET`, `map.set`) with nothing that
//! makes the pair atomic.
//!
//! ## Why is this bad at scale
//! Between the read and the write, another request can do the same read. Both see "free",
//! both write, and both are told they won: two buyers hold one seat, two accounts get one
//! username, stock goes below zero. With one user in a demo the window never opens; with
//! twenty people clicking within the same second it opens every day.
//!
//! ## Example
//! ```python
//! seat = await conn.fetchrow("SELECT status FROM seats WHERE id = $1", seat_id)
//! if seat["status"] != "free":
//!     raise HTTPException(409)
//! await conn.execute("UPDATE seats SET status = 'held' WHERE id = $1", seat_id)
//! ```
//!
//! ## Use instead
//! Let one statement check and write, and look at its row count:
//! ```python
//! status = await conn.execute(
//!     "UPDATE seats SET status = 'held' WHERE id = $1 AND status = 'free'", seat_id)
//! if status == "UPDATE 0":
//!     raise HTTPException(409)
//! ```
//! Or lock the row (`SELECT … FOR UPDATE` in a transaction), let a unique constraint decide
//! (`INSERT … ON CONFLICT DO NOTHING`), or use an atomic set-if-absent (`SET key value NX`).
//! The rule is silent when any of these, or a lock held across both steps, is present.
//!
//! ## Languages
//! Python, JavaScript, TypeScript (incl. TSX), Go, Java; SQL inside their string literals.
//! Reads and writes it knows: SQL strings (any driver: psycopg, asyncpg, node-postgres,
//! `database/sql`, sqlx, JdbcTemplate), Django/SQLAlchemy, Prisma/TypeORM/Sequelize/Mongoose,
//! GORM (`First`/`Find`/`Take` then `Save`/`Update`/`Create`), Spring Data (`findById`,
//! `findBy…`, `existsBy…` then `save`), Redis (`GET` then `SET`, in redis-py, ioredis,
//! go-redis, Jedis, `RedisTemplate`), and process-level maps. Locks it accepts: `with lock`,
//! `mutex.runExclusive`, `mu.Lock()` (with or without `defer mu.Unlock()`), `synchronized`,
//! `@Lock(PESSIMISTIC_WRITE)` repository methods, `FOR UPDATE`, `clause.Locking`.
//!
//! SQL files: a transaction script (`SELECT status …; UPDATE seats SET status = 'held' …`)
//! counts as deciding when the write changes what the read returned or tested, inserts the
//! value the read looked up, or adds to the rows it counted; stored code (PL/pgSQL, T-SQL,
//! MySQL procedures) decides with `IF` (`SELECT … INTO v`, `IF EXISTS (SELECT …)`). In a file
//! of named queries (sqlc's `-- name: InsertHold`), an INSERT whose own comment says the
//! service runs it after another query's count ("when CountTakenPlaces < SlotCapacity") pairs
//! with that count. Row locks (`FOR UPDATE`, `WITH (UPDLOCK)`), advisory locks, SERIALIZABLE
//! and unique-violation handlers keep it silent, as does a parent row locked first by the key
//! the created child carries (`findByIdForUpdate(courseId)`, then `save(new
//! Enrolment(courseId, …))`).
//!
//! A shared map in Python, JavaScript and TypeScript only races when the handler awaits
//! between the check and the write (one event loop runs one request at a time). In Go, every
//! request runs on its own goroutine, so a package-level map or `sync.Map` checked and then
//! written in an HTTP handler (or a closure inside one) races with no await at all; the rule
//! flags it unless a mutex is held across both steps or the write is `LoadOrStore`. In Java a
//! field map of a Spring bean or servlet (or any `ConcurrentHashMap`) is shared by the request
//! threads: `get`/`containsKey` then `put` is flagged, `putIfAbsent`/`computeIfAbsent`/
//! `merge` and `synchronized` blocks or methods are not.

use super::queries::mentions;
use super::{Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Function, Loc, Op, OpKind, Program, Target, WriteGuard};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::lower::LineIndex;
use crate::analyzer::sql::SqlKind;
use crate::analyzer::{Evidence, Finding, Language, Severity, Span};
use std::collections::BTreeMap;

pub const ID: &str = "check-then-act";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Check-then-act on shared state",
    what_it_does: "Flags a read of shared state (SQL SELECT, ORM get/findOne, Redis GET, a shared dict or Map looked up across an await) followed, after a decision, by a write of the same thing with nothing that makes the two steps atomic.",
    why_bad_at_scale: "Between the read and the write another request can make the same read. Both see \"free\", both write, both are told they won: two buyers hold one seat, two accounts get one username, stock goes negative. With one user the window never opens; with twenty people clicking in the same second it opens every day.",
    example: "seat = await conn.fetchrow(\"SELECT status FROM seats WHERE id = $1\", seat_id)\nif seat[\"status\"] != \"free\":\n    raise HTTPException(409)\nawait conn.execute(\"UPDATE seats SET status = 'held' WHERE id = $1\", seat_id)",
    use_instead: "status = await conn.execute(\n    \"UPDATE seats SET status = 'held' WHERE id = $1 AND status = 'free'\", seat_id)\nif status == \"UPDATE 0\":\n    raise HTTPException(409)\n\nOr: SELECT … FOR UPDATE inside a transaction, INSERT … ON CONFLICT DO NOTHING with a unique constraint, Redis SET key value NX, or one lock held across both steps.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

fn same_target(read: &Target, binds: &[String], write: &Target) -> bool {
    use Target::*;
    match (read, write) {
        (Table(a) | Model(a), Table(b) | Model(b)) => entity_key(a) == entity_key(b),
        (_, Row(v)) => binds.iter().any(|b| b == v),
        (Map(a), Map(b)) => a == b,
        (Key(a), Key(b)) => key_prefix(a) == key_prefix(b),
        _ => false,
    }
}

/// A read that checks the written table in another SELECT of a UNION (`SELECT 1 FROM
/// lane_bookings … UNION ALL SELECT 1 FROM lane_holds …`, then `INSERT INTO lane_holds`).
fn union_reads(sql: Option<&crate::analyzer::sql::SqlStatement>, write: &Target) -> bool {
    let (Some(s), Target::Table(w)) = (sql, write) else {
        return false;
    };
    s.union_tables
        .iter()
        .any(|t| entity_key(t) == entity_key(w))
}

/// A read that counts the written table in a subquery (`SELECT rt.capacity, (SELECT count(*)
/// FROM bookings …) FROM room_types`): a capacity check on it.
fn counts_target(
    sql: Option<&crate::analyzer::sql::SqlStatement>,
    read_text: &str,
    write: &Target,
) -> bool {
    let (Some(s), Target::Table(w)) = (sql, write) else {
        return false;
    };
    if s.aggregates.is_empty() || w.is_empty() {
        return false;
    }
    let text = read_text.to_ascii_lowercase();
    // Counted in the FROM table, or in a joined one (`press_slots s LEFT JOIN press_holds ph …
    // SUM(ph.bushels)`).
    ["from", "join"].iter().any(|kw| {
        let from = format!("{kw} {}", w.to_ascii_lowercase());
        text.match_indices(&from).any(|(i, _)| {
            !text[i + from.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}

/// Whether an upsert's conflict key names a column the counting read never mentions
/// (`ON CONFLICT (shift_id, worker_id)` after `count(*) … WHERE shift_id = …`): unique per
/// member of what was counted, so it does not cap the count. Without a column list, unknown.
fn narrower_key(write_text: &str, read_text: &str) -> bool {
    let w = write_text.to_ascii_lowercase();
    let Some(at) = w.find("on conflict") else {
        return false;
    };
    let rest = w[at + "on conflict".len()..].trim_start();
    let Some(cols) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) else {
        return false;
    };
    let read = read_text.to_ascii_lowercase();
    cols.0
        .split(',')
        .map(str::trim)
        .any(|c| !c.is_empty() && !read.has(c))
}

/// The constant part of a key expression: `f"hold:{seat_id}"` → `hold:`.
fn key_prefix(k: &str) -> String {
    let k = k
        .trim_start_matches(['f', 'r', 'b'])
        .trim_matches(['"', '\'', '`']);
    k.split(['{', '$', '+', '%', '?'])
        .next()
        .unwrap_or(k)
        .trim()
        .to_string()
}

fn between(a: &Op, b: &Op, x: &Op) -> bool {
    x.loc.start >= a.loc.end && x.loc.end <= b.loc.start
}

/// Whether the block that holds the read ends by leaving (`return` / `throw` / `raise`) before
/// the write: a lookup in a failure branch (`if (taken.affected !== 1) { const exists = await
/// …; throw … }`) never reaches the write after it.
fn leaves_before(cx: &Ctx, read: &Op, write: &Op) -> bool {
    let Some(between) = cx.source.get(read.loc.end..write.loc.start) else {
        return false;
    };
    let last_statement = if cx.language == Language::Python {
        // The block is the lines indented at least as deep as the read's line.
        let indent = |l: &str| l.len() - l.trim_start().len();
        let read_line = cx.lines.line_text(read.loc.span.start_line);
        let depth = indent(read_line);
        if depth == 0 {
            return false;
        }
        let mut last = read_line.trim();
        // The block must close before the write.
        let mut closes = false;
        for l in between.lines().skip(1) {
            if l.trim().is_empty() {
                continue;
            }
            closes |= indent(l) < depth;
            if l.trim_start().starts_with('#') {
                continue;
            }
            if indent(l) < depth {
                break;
            }
            if indent(l) == depth {
                last = l.trim();
            }
        }
        if !closes {
            return false;
        }
        last
    } else {
        // The `}` closing the read's block, before the write; its last statement.
        let mut depth = 0usize;
        let mut close = None;
        for (i, ch) in between.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    close = Some(i);
                    break;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        let Some(close) = close else { return false };
        let body = between[..close].trim_end().trim_end_matches(';');
        // The last statement starts after the last `;` or line break outside brackets.
        let mut nest = 0usize;
        let mut start = 0;
        for (i, ch) in body.char_indices() {
            match ch {
                '(' | '[' | '{' => nest += 1,
                ')' | ']' | '}' => nest = nest.saturating_sub(1),
                ';' | '\n' if nest == 0 => start = i + 1,
                _ => {}
            }
        }
        body[start..].trim()
    };
    ["return", "throw ", "raise", "panic("]
        .iter()
        .any(|k| last_statement.starts_with(k))
}

/// Why the pair `read → write` is safe, if it is.
fn guarded(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> bool {
    if f.locked || leaves_before(cx, read, write) {
        return true;
    }
    // A lock in this process (`synchronized`, `threading.Lock`, `sync.Mutex`) orders the
    // requests of one process; rows in the database are shared by every replica the snippet
    // says it runs as, so it does not guard them.
    let db_target = matches!(
        read.kind,
        OpKind::Read {
            target: Target::Table(_) | Target::Model(_),
            ..
        }
    );
    let process_local = |o: &Op| {
        let t = cx.text(&o.loc).to_ascii_lowercase();
        ![
            "redis",
            "redlock",
            "advisory",
            "distributed",
            "etcd",
            "consul",
            "zookeeper",
            "shedlock",
            "get_lock(",
            "for update",
        ]
        .iter()
        .any(|k| t.has(k))
    };
    let replicas = db_target && cx.deployment().multi_process();
    f.ops.iter().any(|o| match o.kind {
        OpKind::LockHeld => {
            o.loc.start <= read.loc.start
                && o.loc.end >= write.loc.end
                && !(replicas && process_local(o))
        }
        // The database arbitrates when a unique violation raised at (or after) the write,
        // e.g. by the commit that flushes it, is handled.
        // A count checked against a capacity is not a key: no unique constraint enforces it.
        OpKind::UniqueHandled => {
            o.loc.end >= write.loc.end && o.loc.start > read.loc.start && !counts_rows(cx, read)
        }
        OpKind::Serializable => true,
        _ => false,
    })
}

/// A read that counts rows (`SELECT count(*) …`, `.count()`, `countDocuments`).
fn counts_rows(cx: &Ctx, read: &Op) -> bool {
    match &read.kind {
        OpKind::Read { sql: Some(s), .. } => s.aggregates.iter().any(|a| a == "count"),
        OpKind::Read { sql: None, .. } => {
            let t = cx.text(&read.loc).to_ascii_lowercase();
            t.has(".count(") || t.has("countdocuments(")
        }
        _ => false,
    }
}

/// Go has no `catch`: the write's error is compared to a unique-violation code after it
/// (`pgErr.Code == "23505"`, `errors.Is(err, gorm.ErrDuplicatedKey)`, MySQL 1062).
fn go_unique_checked(cx: &Ctx, f: &Function, write: &Op) -> bool {
    cx.language == Language::Go
        && cx
            .source
            .get(write.loc.start..f.loc.end)
            .is_some_and(|rest| {
                [
                    "23505",
                    "UniqueViolation",
                    "ErrDuplicatedKey",
                    "1062",
                    "duplicate key",
                ]
                .iter()
                .any(|w| rest.has(w))
            })
}

/// A branch's test without the read in it (`if err := db.Get(ctx, &env, …); err != nil`: the
/// `&env` is where the read puts its result, not a test of it).
fn test_beside<'a>(cx: &'a Ctx, b: &Op, read: &Op) -> &'a str {
    let test = branch_test(cx, b);
    if read_in_test(cx, b, read) {
        let end = (b.loc.start + test.len()).max(read.loc.end);
        cx.source.get(read.loc.end..end).unwrap_or("")
    } else {
        test
    }
}

/// Go asks "was the row there?" through the read's error: `if err == nil { taken }`,
/// `errors.Is(err, sql.ErrNoRows)`, GORM's `ErrRecordNotFound`.
fn go_found_test(cx: &Ctx, test: &str) -> bool {
    cx.language == Language::Go
        && (test.has("ErrNoRows") || test.has("ErrRecordNotFound") || test.has("err == nil"))
}

/// Go's `err`, `ok` and `_` (and an `error` binding) say whether a call worked, not what it
/// returned.
fn outcome_only(name: &str) -> bool {
    matches!(name, "err" | "_" | "ok" | "error")
}

/// Names a read's result lands in, for the message: Go's `err`/`ok`/`_` say nothing, and
/// `db.QueryRow(…).Scan(&status)` lands in `status`.
fn result_names(cx: &Ctx, read: &Op, binds: &[String]) -> Vec<String> {
    let mut names: Vec<String> = binds.iter().filter(|b| !outcome_only(b)).cloned().collect();
    if let Some(args) = cx
        .source
        .get(read.loc.end..)
        .and_then(|r| r.strip_prefix(".Scan("))
        .and_then(|r| r.split(')').next())
    {
        let scanned: Vec<String> = args
            .split(',')
            .map(|a| a.trim().trim_start_matches('&').to_string())
            .filter(|a| !a.is_empty() && !names.contains(a))
            .collect();
        names.extend(scanned);
    }
    // Go out-parameters: sqlx `db.GetContext(ctx, &env, …)`, GORM `db.First(&seat, id)`.
    if cx.language == Language::Go {
        let text = cx.text(&read.loc);
        for (i, _) in text.match_indices('&') {
            let before = text[..i].trim_end();
            if !(before.ends_with('(') || before.ends_with(',')) {
                continue;
            }
            let name: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !names.contains(&name) && !outcome_only(&name) {
                names.push(name);
            }
        }
    }
    names
}

fn describe_statement(op: &Op) -> &'static str {
    match &op.kind {
        OpKind::Read { sql: Some(_), .. } => "SELECT",
        OpKind::Write { sql: Some(s), .. } => match s.kind {
            SqlKind::Insert => "INSERT",
            SqlKind::Delete => "DELETE",
            _ => "UPDATE",
        },
        OpKind::Read {
            target: Target::Map(_),
            ..
        } => "lookup",
        OpKind::Read {
            target: Target::Key(_),
            ..
        } => "GET",
        OpKind::Write {
            target: Target::Key(_),
            ..
        } => "SET",
        OpKind::Write {
            target: Target::Map(_),
            ..
        } => "assignment",
        OpKind::Read { .. } => "load",
        _ => "save",
    }
}

fn fix_for(language: Language, target: &Target, write: &Op) -> String {
    let insert =
        matches!(&write.kind, OpKind::Write { sql: Some(s), .. } if s.kind == SqlKind::Insert);
    match (language, target) {
        (Language::Go, Target::Model(_) | Target::Row(_)) => {
            return "Update conditionally and check the count: `res := db.Model(&Seat{}).Where(\"id = ? AND status = ?\", id, \"free\").Update(\"status\", \"held\")`, then treat `res.RowsAffected == 0` as taken; or load with `db.Clauses(clause.Locking{Strength: \"UPDATE\"}).First(…)` inside `db.Transaction`.".to_string();
        }
        (Language::Java, Target::Model(_) | Target::Row(_)) => {
            return "Update conditionally and check the count (`@Modifying @Query(\"update Seat s set s.status = 'HELD' where s.id = :id and s.status = 'FREE'\") int hold(…)`, 0 = taken), load with a `@Lock(LockModeType.PESSIMISTIC_WRITE)` repository method inside `@Transactional`, or let a unique constraint decide and catch `DataIntegrityViolationException`.".to_string();
        }
        (Language::Go, Target::Map(m)) => {
            return format!("Hold one `sync.Mutex` across the check and the write (`mu.Lock(); defer mu.Unlock()`), or use `sync.Map.LoadOrStore`; handlers run on concurrent goroutines, and `{m}` is not shared between replicas either.");
        }
        (Language::Java, Target::Map(m)) => {
            return format!("Make it one atomic call: `{m}.putIfAbsent(key, value)` (null means you won) or `computeIfAbsent`, or put both steps in one `synchronized` block; `{m}` is not shared between replicas either.");
        }
        (Language::Go, Target::Key(_)) => {
            return "Use one atomic command: `ok, err := rdb.SetNX(ctx, key, value, ttl).Result()` and treat `!ok` as taken.".to_string();
        }
        (Language::Java, Target::Key(_)) => {
            return "Use one atomic command: `redisTemplate.opsForValue().setIfAbsent(key, value, ttl)` (Jedis: `set(key, value, SetParams.setParams().nx().ex(ttl))`) and check its reply.".to_string();
        }
        _ => {}
    }
    match target {
        Target::Table(t) if insert => format!(
            "Let the database decide: put a unique constraint on `{t}` and use `INSERT … ON CONFLICT DO NOTHING`, then check the row count."
        ),
        Target::Table(t) => format!(
            "Check and write in one statement: `UPDATE {t} SET … WHERE id = … AND <the condition you checked>` and treat 0 affected rows as \"taken\"; or `SELECT … FOR UPDATE` inside a transaction."
        ),
        Target::Model(_) | Target::Row(_) => "Use a conditional update that re-checks the state (`filter(pk=…, status=\"free\").update(…)` / `updateMany({ where: { id, status: \"free\" } })`) and check the count, or lock the row (`select_for_update()` / `lock: { mode: \"pessimistic_write\" }`) in a transaction.".to_string(),
        Target::Map(m) => format!(
            "Reserve before awaiting: check and set `{m}` with no await in between, or keep this state in a shared store with an atomic operation (Redis `SET key value NX`); in-memory state is not shared between replicas either."
        ),
        Target::Key(_) => "Use one atomic command: `SET key value NX EX <ttl>` and check its reply.".to_string(),
    }
}

fn finding(cx: &Ctx, f: &Function, read: &Op, write: &Op, lines: &LineIndex) -> Finding {
    let OpKind::Read { target, binds, .. } = &read.kind else {
        unreachable!("read op")
    };
    let (rl, wl) = (read.loc.span.start_line, write.loc.span.start_line);
    let check = f.ops.iter().find(|o| {
        o.kind == OpKind::Branch && o.loc.start > read.loc.start && o.loc.start < write.loc.start
    });
    let awaits = f
        .ops
        .iter()
        .filter(|o| {
            o.kind == OpKind::Await && between(read, write, o) && !o.loc.contains(&write.loc)
        })
        .count();
    let step = |op: &Op, role: &str| Evidence {
        line: op.loc.span.start_line,
        column: op.loc.span.start_col,
        role: role.into(),
        code: lines.line_text(op.loc.span.start_line).trim().to_string(),
    };
    let mut evidence = vec![step(read, "read")];
    if let Some(c) = check {
        let cl = c.loc.span.start_line;
        if cl != rl && cl != wl {
            evidence.push(step(c, "check"));
        }
    }
    evidence.push(step(write, "write"));
    let what = target.describe();
    let gap = if awaits > 0 {
        format!(
            " ({awaits} await{} in between)",
            if awaits == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let names = result_names(cx, read, binds);
    let into = match names.as_slice() {
        [] => String::new(),
        names => format!(" into `{}`", names.join("`, `")),
    };
    let message = format!(
        "{what} read{into} at line {rl} ({}) and written at line {wl} ({}) in `{}`{gap}: two concurrent requests can both pass the check and both write.",
        describe_statement(read),
        describe_statement(write),
        f.name
    );
    let mut params = BTreeMap::new();
    params.insert(
        "entity".to_string(),
        match target {
            Target::Table(x)
            | Target::Model(x)
            | Target::Row(x)
            | Target::Map(x)
            | Target::Key(x) => x.clone(),
        },
    );
    params.insert("read_line".to_string(), rl.to_string());
    params.insert("write_line".to_string(), wl.to_string());
    params.insert("awaits_between".to_string(), awaits.to_string());
    Finding {
        hazard: ID,
        severity: if matches!(target, Target::Map(_)) {
            Severity::Warning
        } else {
            Severity::Error
        },
        span: Span {
            start_line: read.loc.span.start_line,
            start_col: read.loc.span.start_col,
            end_line: write.loc.span.end_line,
            end_col: write.loc.span.end_col,
        },
        message,
        fix: fix_for(cx.language, target, write),
        evidence,
        params,
    }
}

/// Process-level maps the lowering does not classify yet: TypeScript `new Map<K, V>()`, Java
/// fields holding a `HashMap` / `ConcurrentHashMap`, Go package-level `map[…]…` and `sync.Map`.
/// The flag says the type is made for sharing between threads (`ConcurrentHashMap`, `sync.Map`).
fn extra_shared_maps(cx: &Ctx) -> Vec<(String, bool)> {
    let prefixes: &[&str] = match cx.language {
        Language::TypeScript => &["new Map<", "new Set<", "new WeakMap<"],
        Language::Java => &[
            "new ConcurrentHashMap",
            "new HashMap",
            "new LinkedHashMap",
            "new TreeMap",
            "new HashSet",
            "new Hashtable",
            "new ConcurrentSkipListMap",
            "ConcurrentHashMap.newKeySet(",
            "Collections.synchronizedMap(",
            "Collections.synchronizedSet(",
        ],
        Language::Go => &["make(map[", "map["],
        _ => return Vec::new(),
    };
    let mut out: Vec<(String, bool)> = cx
        .program
        .globals()
        .iter()
        .filter(|a| prefixes.iter().any(|p| a.value.trim_start().starts_with(p)))
        .filter(|a| a.names.len() <= 1 && !a.target.contains(['[', '(', ',']))
        // A memo cache filled after a miss computes twice at worst: that is cache-stampede's
        // business, not a double booking.
        .filter(|a| {
            let l = a.target.to_ascii_lowercase();
            !(l.has("cache") || l.has("memo"))
        })
        .map(|a| {
            let concurrent = a.value.has("Concurrent") || a.value.has("synchronized");
            (strip_owner(&a.target).to_string(), concurrent)
        })
        .collect();
    if cx.language == Language::Go {
        // `var holds sync.Map`, or a `holds sync.Map` line in a `var ( … )` block.
        for line in cx.source.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["var", name, "sync.Map"] | [name, "sync.Map"] = words.as_slice() {
                out.push((name.to_string(), true));
            }
        }
    }
    out
}

fn strip_owner(t: &str) -> &str {
    t.strip_prefix("this.").unwrap_or(t)
}

/// Reads and writes of the maps from [`extra_shared_maps`] in `f`: method calls (`get`,
/// `containsKey`, `has`, `Load` / `put`, `set`, `Store`; `putIfAbsent`, `computeIfAbsent`,
/// `LoadOrStore` are atomic) and, in Go, index expressions (`holds[k]`, `holds[k] = v`) and
/// `delete(holds, k)`.
fn extra_map_ops(cx: &Ctx, f: &Function, maps: &[(String, bool)]) -> Vec<Op> {
    let mut ops = Vec::new();
    let known = |name: &str| {
        f.ops.iter().any(|o| {
            matches!(&o.kind, OpKind::Read { target: Target::Map(m), .. }
                | OpKind::Write { target: Target::Map(m), .. } if m == name)
        })
    };
    let read = |m: &str, loc: Loc| Op {
        kind: OpKind::Read {
            target: Target::Map(m.to_string()),
            locking: false,
            binds: Vec::new(),
            sql: None,
        },
        loc,
    };
    let write = |m: &str, guard, loc: Loc| Op {
        kind: OpKind::Write {
            target: Target::Map(m.to_string()),
            guard,
            sql: None,
        },
        loc,
    };
    for (name, _) in maps {
        if known(name) {
            continue;
        }
        for c in &f.calls {
            let hit = strip_owner(&c.receiver) == name
                || (c.callee == "delete" && c.args.first().is_some_and(|a| a.text == *name));
            if !hit {
                continue;
            }
            match c.method.as_str() {
                "get" | "has" | "containsKey" | "getOrDefault" | "contains" | "Load" => {
                    ops.push(read(name, c.loc))
                }
                "set" | "put" | "delete" | "remove" | "Store" | "Delete" | "add" | "Swap" => {
                    ops.push(write(name, WriteGuard::None, c.loc))
                }
                "putIfAbsent" | "computeIfAbsent" | "compute" | "merge" | "LoadOrStore"
                | "CompareAndSwap" | "replace" => {
                    ops.push(write(name, WriteGuard::SetIfAbsent, c.loc))
                }
                _ => {}
            }
        }
        if cx.language != Language::Go {
            continue;
        }
        let body = cx.text(&f.loc);
        let pat = format!("{name}[");
        for (i, _) in body.match_indices(&pat) {
            let before = body[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let at = f.loc.start + i;
            // Nested functions report their own accesses.
            if cx.program.functions.iter().any(|g| {
                g.loc.start > f.loc.start
                    && g.loc.end <= f.loc.end
                    && g.loc.start <= at
                    && at < g.loc.end
            }) {
                continue;
            }
            if let Some(a) = f
                .assigns
                .iter()
                .find(|a| a.loc.start == at && a.target.starts_with(&pat))
            {
                ops.push(write(name, WriteGuard::None, a.loc));
                continue;
            }
            let end = body[i..].find(']').map_or(at + pat.len(), |e| at + e + 1);
            ops.push(read(
                name,
                Loc {
                    start: at,
                    end,
                    span: cx.lines.span(at, end),
                },
            ));
        }
    }
    ops
}

/// Requests run on threads or goroutines of their own: a Go HTTP handler (or a closure in one),
/// or a method of a Spring bean / servlet in Java. There a check and a write of shared memory
/// race without any `await` in between.
fn runs_concurrently(cx: &Ctx, program: &Program, f: &Function) -> bool {
    match cx.language {
        Language::Go => {
            let mut cur = Some(f);
            while let Some(g) = cur {
                if g.is_handler() {
                    return true;
                }
                cur = g.parent.filter(|&p| p > 0).map(|p| &program.functions[p]);
            }
            false
        }
        Language::Java => {
            f.is_handler()
                || [
                    "@RestController",
                    "@Controller",
                    "@Service",
                    "@Component",
                    "HttpServlet",
                    "@WebServlet",
                ]
                .iter()
                .any(|a| find::has(cx.source, a))
        }
        _ => false,
    }
}

/// A command-line program's `main` (and what it starts): one run at a time, with no requests to
/// race it, in a snippet with no request handler.
fn in_cli_main(program: &Program, f: &Function, any_handler: bool) -> bool {
    let mut cur = Some(f);
    let mut in_main = false;
    while let Some(g) = cur {
        if g.name == "main" {
            in_main = true;
            break;
        }
        cur = g.parent.filter(|&p| p > 0).map(|p| &program.functions[p]);
    }
    in_main && !any_handler
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let lines = cx.lines;
    let maps = extra_shared_maps(cx);
    let any_handler = cx.program.functions.iter().any(|g| g.is_handler());
    let jobs = super::queries::background_jobs(cx);
    for (fi, f) in cx.program.functions.iter().enumerate() {
        if in_cli_main(cx.program, f, any_handler) || jobs[fi] {
            continue;
        }
        let mut flagged_reads = Vec::new();
        let mut extra = if maps.is_empty() {
            Vec::new()
        } else {
            extra_map_ops(cx, f, &maps)
        };
        // Writes in a transaction callback run inline by this function (`sequelize.transaction(
        // async (t) => { await listing.update(…) })`, GORM `db.Transaction(func(tx) error { … })`)
        // are its writes too; the transaction does not lock the row read before it.
        for g in cx.program.functions.iter().skip(fi + 1) {
            let in_transaction = g.name.starts_with("callback of ")
                && g.name.to_ascii_lowercase().has("transaction");
            if g.parent == Some(fi) && in_transaction {
                extra.extend(
                    g.ops
                        .iter()
                        .filter(|o| matches!(o.kind, OpKind::Write { .. }))
                        .cloned(),
                );
            }
        }
        // A Node-style callback of a read (`pool.query(sql, args, function (err, r) { if
        // (r.rows.length > 0) …; pool.query('INSERT …') })`) gets the rows: its checks and writes
        // follow the read, which binds the callback's result parameter.
        // (the read, its rows' names, where the callback starts)
        let mut callback_binds: Vec<(Loc, Vec<String>, usize)> = Vec::new();
        for g in cx.program.functions.iter().skip(fi + 1) {
            if g.parent != Some(fi) || !g.name.starts_with("callback of ") {
                continue;
            }
            let Some(read) = f.ops.iter().find(|o| {
                matches!(o.kind, OpKind::Read { locking: false, .. }) && o.loc.contains(&g.loc)
            }) else {
                continue;
            };
            let rows: Vec<String> = g
                .params
                .iter()
                .filter(|p| !p.to_ascii_lowercase().starts_with("err"))
                .cloned()
                .collect();
            extra.extend(g.ops.iter().cloned());
            callback_binds.push((read.loc, rows, g.loc.start));
        }
        // Reads and writes in the snippet's own helpers (`free := h.spotsLeft(ctx, id)` then
        // `h.insertBooking(ctx, …)`): the handler decides between the two calls.
        let helpers = helper_ops(cx, fi, f);
        extra.extend(helpers.iter().map(|h| h.op.clone()));
        // An operation's own text, in the helper for one done there.
        let text_of = |op: &Op| {
            helpers
                .iter()
                .find(|h| h.op == *op)
                .map_or_else(|| cx.text(&op.loc), |h| cx.text(&h.origin.loc))
        };
        let threads = runs_concurrently(cx, cx.program, f)
            || maps.iter().any(|(_, concurrent)| *concurrent) && cx.language == Language::Java;
        let merged;
        let ops: &[Op] = if extra.is_empty() {
            &f.ops
        } else {
            let mut all = f.ops.clone();
            all.extend(extra);
            for op in &mut all {
                let Some((_, rows, callback)) = callback_binds.iter().find(|(l, ..)| *l == op.loc)
                else {
                    continue;
                };
                if let OpKind::Read { binds, .. } = &mut op.kind {
                    binds.extend(rows.iter().cloned());
                }
                // The read is done when its callback runs: it ends where the callback starts.
                op.loc = super::process_state::loc_of(cx, op.loc.start, *callback);
            }
            all.sort_by_key(|o| (o.loc.start, o.loc.end));
            merged = all;
            &merged
        };
        for (wi, write) in ops.iter().enumerate() {
            let OpKind::Write {
                target: wt, guard, ..
            } = &write.kind
            else {
                continue;
            };
            // `ON CONFLICT (shift_id, worker_id)` after counting the shift's claims: the key
            // stops one worker claiming twice, not the shift filling past what it needs.
            let member_key = *guard == WriteGuard::OnConflict;
            if *guard != WriteGuard::None && !member_key {
                continue;
            }
            // Releasing one's own lock (`if rds.get(lock_key) == token: rds.delete(lock_key)`):
            // the key names a lock, and taking it was the atomic step.
            if let Target::Key(k) = wt {
                let w = cx.text(&write.loc);
                let deletes = ["delete(", ".del(", ".Del("].iter().any(|d| w.has(d));
                if deletes && k.to_ascii_lowercase().has("lock") {
                    continue;
                }
            }
            // The latest earlier read of the same thing that a decision depends on.
            // The check sits near the write: the last 512 operations before it (a 600 KB
            // module of a thousand reads and writes made this quadratic; fuzzing).
            let candidates: Vec<&Op> = ops[..wi]
                .iter()
                .rev()
                .take(512)
                .filter(|r| {
                    let OpKind::Read {
                        target: rt,
                        locking,
                        binds,
                        sql,
                    } = &r.kind
                    else {
                        return false;
                    };
                    if *locking
                        || r.loc.end > write.loc.start
                        || !(same_target(rt, binds, wt)
                            || counts_target(sql.as_ref(), text_of(r), wt)
                            || union_reads(sql.as_ref(), wt))
                        || locked_before(cx, f, rt, r, write)
                    {
                        return false;
                    }
                    if member_key
                        && !(counts_target(sql.as_ref(), text_of(r), wt)
                            && narrower_key(cx.text(&write.loc), text_of(r)))
                    {
                        return false;
                    }
                    // The row was claimed in between by a write that re-checks its state
                    // (`updateMany({ where: { id, status: 'offered' } })` and its count): only
                    // the request that won the claim gets to the plain write.
                    let claimed = ops.iter().any(|c| {
                        let conditional = matches!(
                            &c.kind,
                            OpKind::Write {
                                target,
                                guard: WriteGuard::Conditional,
                                ..
                            } if target == wt
                        );
                        conditional && c.loc.start > r.loc.end && c.loc.end <= write.loc.start
                    });
                    if claimed {
                        return false;
                    }
                    // The decision is about this read: a branch that tests what it returned
                    // (or a value derived from it), when the read's result has a name.
                    let names = decided_names(cx, f, r, write);
                    let decided = ops.iter().any(|b| {
                        b.kind == OpKind::Branch
                            && b.loc.start < write.loc.start
                            && b.loc.end > r.loc.start
                            // Go's `if _, err := db.Exec(<write>); err != nil` checks the write.
                            && !read_in_test(cx, b, write)
                            && (names.is_empty()
                                || read_in_test(cx, b, r) && !only_err_test(cx, b, r)
                                || names.iter().any(|n| mentions(test_beside(cx, b, r), n))
                                || b.loc.start > r.loc.end && go_found_test(cx, branch_test(cx, b)))
                    }) || f.script && script_decides(r, write);
                    // A shared map only races when the handler yields between check and set, or
                    // when requests run on threads / goroutines of their own (Go, Java).
                    let yields = !matches!(rt, Target::Map(_))
                        || threads
                        || f.ops.iter().any(|a| {
                            a.kind == OpKind::Await
                                && between(r, write, a)
                                && !a.loc.contains(&write.loc)
                        });
                    decided && yields
                })
                .collect();
            // A read in the body of a check that ends before the write (`return … holds.get(k)`
            // after `if (holds.containsKey(k))`) is not the check itself.
            let in_closed_body = |r: &Op| {
                f.ops.iter().any(|b| {
                    b.kind == OpKind::Branch
                        && b.loc.end <= write.loc.start
                        && b.loc.contains(&r.loc)
                        && b.loc.span.start_line != r.loc.span.start_line
                })
            };
            let read = candidates
                .iter()
                .find(|r| !in_closed_body(r))
                .or(candidates.first())
                .copied();
            let Some(read) = read else { continue };
            if only_access_checks(cx, f, read, write)
                || marks_a_batch(text_of(write)) && !marks_a_batch(text_of(read))
                || cache_aside(cx, f, read, write)
                || key_filled_or_updated(f, read, write)
                || existence_then_increment(cx, f, read, write)
                || existence_then_update(cx, f, read, write)
            {
                continue;
            }
            if guarded(cx, f, read, write)
                || go_unique_checked(cx, f, write)
                || flagged_reads.contains(&read.loc.start)
            {
                continue;
            }
            flagged_reads.push(read.loc.start);
            let mut found = finding(cx, f, read, write, lines);
            point_into_helpers(&mut found, read, write, &helpers, lines);
            out.push(found);
        }
    }
    if cx.language == Language::Sql {
        named_query_pairs(cx, out);
    }
}

/// A file of named queries (sqlc's `-- name: InsertHold`) whose write says in its own comment
/// that the service runs it after another query's answer ("Run by the service when
/// CountTakenPlaces < SlotCapacity"): when that query counts or sums the rows the write adds
/// to, two requests can both see room and both insert.
fn named_query_pairs(cx: &Ctx, out: &mut Vec<Finding>) {
    let fns = &cx.program.functions;
    // The queries that count or sum, found once (asked per write, every query of a long file
    // was compared with every other).
    let counting: Vec<(&Function, &Op)> = fns
        .iter()
        .skip(1)
        .filter(|g| g.name.len() >= 4)
        .filter_map(|g| {
            let read = g.ops.iter().find(|o| {
                matches!(&o.kind, OpKind::Read { sql: Some(s), locking: false, .. }
                    if !s.aggregates.is_empty())
            })?;
            Some((g, read))
        })
        .collect();
    if counting.is_empty() {
        return;
    }
    // By name: a long file repeats query names, and each write asks about the nearest one.
    let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, (g, _)) in counting.iter().enumerate() {
        by_name.entry(g.name.as_str()).or_default().push(i);
    }
    for w in fns.iter().skip(1) {
        let Some(write) = w.ops.iter().find(|o| {
            matches!(&o.kind, OpKind::Write { sql: Some(s), guard, .. }
                if s.kind == SqlKind::Insert && !s.on_conflict && *guard != WriteGuard::Conditional)
        }) else {
            continue;
        };
        let OpKind::Write {
            target: Target::Table(table),
            ..
        } = &write.kind
        else {
            continue;
        };
        // The write's own comment lines: between its `-- name:` line and the statement.
        let comment: String = (w.loc.span.start_line..write.loc.span.start_line)
            .map(|l| cx.lines.line_text(l))
            .filter(|t| t.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join(" ");
        if comment.is_empty() {
            continue;
        }
        // Its words, once: every counting query's name is looked up in them.
        let mut words: Vec<&str> = comment
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.len() >= 4)
            .collect();
        words.dedup();
        let nearest = words.iter().filter_map(|word| {
            by_name
                .get(word)?
                .iter()
                .copied()
                .min_by_key(|&i| counting[i].0.loc.start.abs_diff(w.loc.start))
        });
        let Some((g, read)) = nearest.map(|i| counting[i]).find(|(g, o)| {
            !std::ptr::eq(*g, w)
                && counts_target(
                    match &o.kind {
                        OpKind::Read { sql, .. } => sql.as_ref(),
                        _ => None,
                    },
                    cx.text(&o.loc),
                    &Target::Table(table.clone()),
                )
        }) else {
            continue;
        };
        let mut found = finding(cx, w, read, write, cx.lines);
        found.message = format!(
            "`{}` (line {}) counts `{table}` and `{}` (line {}) inserts into it after that answer, as its comment says: two concurrent requests can both see room and both insert.",
            g.name,
            read.loc.span.start_line,
            w.name,
            write.loc.span.start_line
        );
        out.push(found);
    }
}

/// The write marks a whole set of rows at once (`UPDATE … WHERE id = ANY($2)`, `id__in=ids`,
/// `whereIn('id', ids)`): a batch being recorded as processed, not one decision taken on the
/// value read. Sending a batch twice is a job-claiming problem, not a check-then-act race.
/// (A read of the same set, `WHERE id = ANY($2)` on requested seats, is a real check.)
fn marks_a_batch(write: &str) -> bool {
    let w = write.to_ascii_lowercase();
    let sql_set = [
        "= any(", "=any(", " in (?", " in (:", " in ($", " in (%s", " in %s", " in ?",
    ]
    .iter()
    .any(|k| w.has(k));
    let orm_set = ["__in=", ".in_(", "wherein(", ": in(", "{ in:", "{in:"]
        .iter()
        .any(|k| w.has(k));
    sql_set || orm_set
}

/// A read or write done by one of the snippet's own functions, placed at the call site.
struct HelperOp<'a> {
    /// The helper's operation, at the call's location, bound to the names the call assigns.
    op: Op,
    /// The operation where the helper does it.
    origin: &'a Op,
    helper: &'a str,
}

/// Calls from `f` to the snippet's own functions that only read or only write (a helper that
/// does both is checked on its own): their operations as if `f` did them at the call.
fn helper_ops<'a>(cx: &Ctx<'a>, fi: usize, f: &Function) -> Vec<HelperOp<'a>> {
    let mut out: Vec<HelperOp> = Vec::new();
    for c in &f.calls {
        let Some(g) = super::queries::own_helper(cx, fi, f, c) else {
            continue;
        };
        let reads = g
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Read { locking: false, .. }));
        let writes: Vec<&Op> = g
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Write { .. }))
            .collect();
        let locks = g.ops.iter().any(|o| {
            matches!(
                o.kind,
                OpKind::LockHeld | OpKind::Serializable | OpKind::Read { locking: true, .. }
            )
        });
        // The caller hands the helper its lock:
        // `repo.byId(id, { transaction: t, lock: t.LOCK.UPDATE })`.
        let args = c.args_text();
        let locked_by_caller = [
            "lock:",
            "lock=",
            "LOCK.",
            "PESSIMISTIC",
            "for_update",
            "forUpdate",
        ]
        .iter()
        .any(|k| args.has(k));
        let first_read = reads.clone().next();
        if locks || locked_by_caller || first_read.is_some() && !writes.is_empty() {
            continue;
        }
        let names: Vec<String> = f
            .assigns
            .iter()
            .filter(|a| a.loc.contains(&c.loc))
            .flat_map(|a| a.names.iter().cloned())
            .collect();
        // Every table a read-only helper looks at (`desk_taken` asks reservations, then
        // holds): the write may be to any of them.
        for origin in reads.chain(writes) {
            let kind = match &origin.kind {
                OpKind::Read {
                    target,
                    locking,
                    sql,
                    ..
                } => OpKind::Read {
                    target: target.clone(),
                    locking: *locking,
                    binds: names.clone(),
                    sql: sql.clone(),
                },
                other => other.clone(),
            };
            out.push(HelperOp {
                op: Op { kind, loc: c.loc },
                origin,
                helper: &g.name,
            });
        }
    }
    out
}

/// A finding whose read or write happens in a helper: it points at the helper's own line (the
/// query a reviewer reads), with the call in the handler as a step.
fn point_into_helpers(
    found: &mut Finding,
    read: &Op,
    write: &Op,
    helpers: &[HelperOp],
    lines: &LineIndex,
) {
    let origin = |op: &Op| helpers.iter().find(|h| h.op == *op);
    let step = |op: &Op, role: &str| Evidence {
        line: op.loc.span.start_line,
        column: op.loc.span.start_col,
        role: role.into(),
        code: lines.line_text(op.loc.span.start_line).trim().to_string(),
    };
    let mut notes = Vec::new();
    for (op, role) in [(read, "read"), (write, "write")] {
        let Some(h) = origin(op) else { continue };
        if let Some(e) = found.evidence.iter_mut().find(|e| e.role == role) {
            *e = step(h.origin, role);
        }
        found
            .evidence
            .push(step(op, &format!("calls {}", h.helper)));
        notes.push(format!(
            "`{}` {} at line {}, called at line {}",
            h.helper,
            if role == "read" { "reads" } else { "writes" },
            h.origin.loc.span.start_line,
            op.loc.span.start_line
        ));
        if role == "read" {
            found.span = h.origin.loc.span;
            found
                .params
                .insert("read_line".into(), h.origin.loc.span.start_line.to_string());
        }
    }
    if !notes.is_empty() {
        found.message = format!(
            "{} ({}).",
            found.message.trim_end_matches('.'),
            notes.join("; ")
        );
    }
}

/// What `read` found and the values read out of it (`status = row.status`), as the existence
/// checks test them; a value only handed on (`URI.create(url + cableId)`, then the gateway's
/// `response`) is not a test of the row.
fn values_read(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> Vec<String> {
    let OpKind::Read { binds, .. } = &read.kind else {
        return Vec::new();
    };
    let direct = result_names(cx, read, binds);
    let read_out_of = |value: &str, d: &str| {
        value.match_indices(d).any(|(i, _)| {
            let after = &value[i + d.len()..];
            !value[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
                && [".", "[", " ==", " !=", " <", " >", " is"]
                    .iter()
                    .any(|t| after.starts_with(t))
        })
    };
    decided_names(cx, f, read, write)
        .into_iter()
        .filter(|n| {
            direct.contains(n)
                || f.assigns.iter().any(|a| {
                    a.names.contains(n)
                        && a.loc.start >= read.loc.end
                        && direct.iter().any(|d| read_out_of(&a.value, d))
                })
        })
        .collect()
}

/// `existing = findUnique(…); if (existing) update({ quantity: existing.quantity + n })`: the
/// only decision is whether the row exists, and the write adds to what was read. Two requests
/// racing lose one increment (`lost-update` reports that); neither passes a check it should
/// have failed.
fn existence_then_increment(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> bool {
    let OpKind::Read {
        target: Target::Model(_) | Target::Row(_),
        ..
    } = &read.kind
    else {
        return false;
    };
    let names = values_read(cx, f, read, write);
    if names.is_empty() {
        return false;
    }
    let written = cx.text(&write.loc);
    let increments = names.iter().any(|n| {
        written.match_indices(n.as_str()).any(|(i, _)| {
            let rest = written[i + n.len()..]
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '.' || c == '_');
            let rest = rest.trim_start();
            rest.starts_with('+') || rest.starts_with('-')
        })
    });
    if !increments {
        return false;
    }
    branches_between(f, read, write).all(|b| {
        let mut t = branch_test(cx, b).to_string();
        for null_test in [
            "is not None",
            "is None",
            "!== null",
            "!= null",
            "=== null",
            "== null",
            "!== undefined",
            "=== undefined",
            "!= nil",
            "== nil",
        ] {
            t = t.replace(null_test, "");
        }
        !["<", ">", "==", "!=", " in "].iter().any(|op| t.has(op))
    })
}

/// `order = Order.query.filter_by(ref=r).first(); if order is None: return 404; …
/// order.status = "failed"; db.session.commit()`: the only decision is whether the row exists,
/// and the write changes that same row. Two racing requests both find it and both update it;
/// neither passes a check it should have failed (an insert after "not found" is different).
fn existence_then_update(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> bool {
    let OpKind::Read {
        target: Target::Model(_) | Target::Row(_) | Target::Table(_),
        ..
    } = &read.kind
    else {
        return false;
    };
    let OpKind::Write { sql, .. } = &write.kind else {
        return false;
    };
    // A read filtered by state (`WHERE status = 'available'`, `filter(active=True)`) asks
    // "is one still free?", a real check; only a lookup by identity is mere existence.
    const STATE: [&str; 10] = [
        "status",
        "state",
        "available",
        "active",
        "free",
        "taken",
        "used",
        "claimed",
        "assigned",
        "locked",
    ];
    let filtered_by_state = match &read.kind {
        // `ended_at IS NULL`: a ride still open is a state too (not a soft delete's
        // `deleted_at IS NULL`).
        OpKind::Read { sql: Some(s), .. } => {
            let one_row = s.predicates.iter().any(|p| p.column == "id" && p.op == "=");
            s.predicates.iter().any(|p| {
                STATE.iter().any(|w| p.column.has(w))
                    || one_row
                        && p.op == "is"
                        && !p.column.starts_with("delet")
                        && !p.column.starts_with("archiv")
            })
        }
        _ => {
            let t = cx.text(&read.loc).to_ascii_lowercase();
            let args = t.split_once('(').map_or("", |(_, a)| a);
            STATE.iter().any(|w| args.has(w))
        }
    };
    if filtered_by_state {
        return false;
    }
    let names = values_read(cx, f, read, write);
    if names.is_empty() {
        return false;
    }
    let written = cx.text(&write.loc);
    let updates_it = match sql {
        Some(s) => s.kind == SqlKind::Update,
        None => {
            names.iter().any(|n| mentions(written, n))
                || f.assigns.iter().any(|a| {
                    a.loc.start > read.loc.end
                        && a.loc.end <= write.loc.start
                        && names.iter().any(|n| {
                            a.target
                                .strip_prefix(n.as_str())
                                .is_some_and(|r| r.starts_with('.'))
                        })
                })
        }
    };
    if !updates_it {
        return false;
    }
    branches_between(f, read, write).all(|b| {
        // Go's `if err := db.First(&race, id).Error; err != nil`: `&race` is where the row
        // lands and `Where("race_id = ?", race.ID)` hands its id on; only the condition after
        // the `;` tests anything.
        let mut test = test_beside(cx, b, read);
        if cx.language == Language::Go && test.trim_start().starts_with("if ") && test.has(":=") {
            // The init statement runs over several lines: the whole header, up to its `{`.
            let whole = cx.text(&b.loc);
            test = whole.split("{\n").next().unwrap_or(whole);
        }
        let test = match test.rsplit_once(';') {
            Some((_, cond)) if cx.language == Language::Go => cond,
            _ => test,
        };
        // The read's own row mapper (`rs -> rs.next() ? rs.getString(1) : null`) decides nothing.
        if read.loc.contains(&b.loc) || !names.iter().any(|n| mentions(test, n)) {
            return true;
        }
        // `if v:` / `if (v)`: the name alone tests that it is there.
        let bare = test
            .trim()
            .trim_start_matches("if")
            .trim()
            .trim_matches(|c: char| c == '(' || c == ')' || c == ':' || c == '{')
            .trim();
        // (Not Go's `if used {` after `.Scan(&used)`: a column's value, not the row.)
        let scanned = cx.language == Language::Go
            && cx
                .source
                .get(read.loc.end..)
                .is_some_and(|r| r.trim_start().starts_with(".Scan("));
        if names.iter().any(|n| n == bare) && !scanned {
            return true;
        }
        // Take out "is it there?" forms of each name; any other mention tests its value.
        let mut t = test.to_string();
        for n in &names {
            for form in [
                format!("{n} is not None"),
                format!("{n} is None"),
                format!("not {n}"),
                format!("!{n}"),
                format!("{n} !== null"),
                format!("{n} === null"),
                format!("{n} != null"),
                format!("{n} == null"),
                format!("{n} != nil"),
                format!("{n} == nil"),
                format!("{n}.rowCount === 0"),
                format!("{n}.rowCount == 0"),
                format!("{n}.rowCount > 0"),
                format!("{n}.rows.length === 0"),
                format!("{n}.length === 0"),
                format!("{n}.length == 0"),
                format!("{n}.isEmpty()"),
                format!("{n}.isPresent()"),
            ] {
                t = t.replace(&form, "");
            }
        }
        !names.iter().any(|n| tests_own_state(&t, n))
    })
}

/// `text` mentions `name` other than through a related record (`trip.vehicle.licence_category`
/// reads the vehicle's licence class, not the trip's own state the write changes).
fn tests_own_state(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before_ok = !text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        let rest = &text[i + name.len()..];
        if !before_ok || rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return false;
        }
        // `.field.` : a relation's attribute.
        let through_relation = rest.strip_prefix('.').is_some_and(|r| {
            let field_len = r
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            field_len > 0
                && r[field_len..].starts_with('.')
                && !r[field_len..].starts_with(".length")
        });
        !through_relation
    })
}

/// The branches that end after `read` starts and start before `write`: the decisions that can
/// depend on the read.
fn branches_between<'a>(f: &'a Function, read: &Op, write: &Op) -> impl Iterator<Item = &'a Op> {
    let (from, to) = (read.loc.start, write.loc.start);
    f.ops
        .iter()
        .filter(move |b| b.kind == OpKind::Branch && b.loc.start < to && b.loc.end > from)
}

/// An earlier statement of the same function locks the rows first (`SELECT id FROM wallets
/// WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, PL/pgSQL `PERFORM 1 FROM accounts … FOR
/// UPDATE`), so the plain read after it runs under that lock.
fn locked_before(cx: &Ctx, f: &Function, target: &Target, read: &Op, write: &Op) -> bool {
    let (Target::Table(table) | Target::Model(table)) = target else {
        return false;
    };
    // A parent row locked first and named in this read (`prop = Property.objects
    // .select_for_update().get(pk=…)`, then `Booking.objects.filter(property=prop, …)`): every
    // request for that parent waits for the lock, so the check and the write are serialised.
    let read_text = cx.text(&read.loc);
    let parent_locked = f.ops.iter().any(|o| {
        o.loc.end <= read.loc.start
            && matches!(&o.kind, OpKind::Read { locking: true, binds, .. }
                if binds.iter().any(|b| !outcome_only(b) && mentions(read_text, b)))
    });
    if parent_locked {
        return true;
    }
    // Or locked by the same key the read filters on (`findOne(Lounge, { where: { id: loungeId },
    // lock })`, then `count(LoungeVisit, { where: { loungeId } })`): a parameter of the function
    // or of the one the transaction callback sits in.
    let mut keys: Vec<&str> = Vec::new();
    let mut at = Some(f);
    while let Some(g) = at {
        keys.extend(
            g.params
                .iter()
                .map(|p| p.split(':').next().unwrap_or(p).trim()),
        );
        at = g
            .parent
            .filter(|&p| p > 0)
            .map(|p| &cx.program.functions[p]);
    }
    keys.retain(|k| {
        k.len() > 2 && !matches!(*k, "self" | "this" | "manager" | "req" | "res" | "ctx")
    });
    // Or the write creates a child of the locked row (`courses.findByIdForUpdate(courseId)`,
    // then `enrolments.save(new Enrolment(courseId, …))`): every request that creates one
    // for that parent waits for the lock.
    let write_text = cx.text(&write.loc);
    let creates = ["new ", "insert", "INSERT", "create("]
        .iter()
        .any(|w| write_text.has(w));
    let key_locked = f.ops.iter().any(|o| {
        o.loc.end <= read.loc.start
            && matches!(&o.kind, OpKind::Read { locking: true, .. })
            && keys.iter().any(|k| {
                mentions(cx.text(&o.loc), k)
                    && (mentions(read_text, k) || creates && mentions(write_text, k))
            })
    });
    if key_locked {
        return true;
    }
    // The text before the read, lower-cased: a slice of the snippet lower-cased once (ASCII
    // lower-casing keeps byte offsets), not a copy per candidate read.
    let lower = cx.lower().get(f.loc.start..read.loc.start).unwrap_or("");
    // `SELECT pg_advisory_xact_lock($1)` (MySQL `GET_LOCK`, SQL Server `sp_getapplock`) taken
    // first: requests for the same key queue behind it.
    if [
        "advisory_xact_lock(",
        "advisory_lock(",
        "get_lock(",
        "sp_getapplock",
    ]
    .iter()
    .any(|k| lower.has(k))
    {
        return true;
    }
    // A query builder that locks a row by the same key (TypeORM `createQueryBuilder('s')
    // .setLock('pessimistic_write').where('s.id = :sessionId', { sessionId })`, then
    // `count(Signup, { where: { sessionId } })`): lowering makes no read of it.
    let before = cx.source.get(f.loc.start..read.loc.start).unwrap_or("");
    let builder_locked = lower.match_indices("pessimistic_write").any(|(i, _)| {
        let start = lower[..i].rfind(';').map_or(0, |j| j + 1);
        let end = lower[i..].find(';').map_or(lower.len(), |j| i + j);
        let stmt = before.get(start..end).unwrap_or("");
        keys.iter().any(|k| {
            mentions(stmt, k) && (mentions(read_text, k) || creates && mentions(write_text, k))
        })
    });
    if builder_locked {
        return true;
    }
    if !cx.source_has("FOR UPDATE") && !cx.source_has("for update") {
        return false;
    }
    let from = format!("from {}", table.to_ascii_lowercase());
    let read_text = cx.text(&read.loc).to_ascii_lowercase();
    lower.match_indices("for update").any(|(i, _)| {
        let stmt_start = lower[..i].rfind([';', '`', '"', '\'']).map_or(0, |j| j + 1);
        let stmt = &lower[stmt_start..i];
        let same_table = stmt.match_indices(&from).any(|(k, _)| {
            !stmt[k + from.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        });
        // A parent row locked by the same key (`seller_balances WHERE seller_id = ? FOR
        // UPDATE`, then `payouts WHERE seller_id = ?`) serialises the whole decision.
        let same_key = stmt.split_once(" where ").is_some_and(|(_, cond)| {
            let col: String = cond
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let col = col.rsplit('.').next().unwrap_or("");
            // The parent locked by its own id (`desks WHERE id = $1 … FOR UPDATE`, then
            // `desk_bookings WHERE desk_id = $1`).
            let parent_id = (col == "id")
                .then(|| {
                    let name: String = stmt
                        .rsplit_once("from ")?
                        .1
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                        .collect();
                    let name = name.rsplit('.').next().unwrap_or("").to_string();
                    (!name.is_empty()).then(|| format!("{}_id", entity_key(&name)))
                })
                .flatten();
            col.len() > 3 && col.ends_with("_id") && mentions(&read_text, col)
                || parent_id.is_some_and(|p| mentions(&read_text, &p))
        });
        same_table || same_key
    })
}

/// The read sits in the branch's test (`if (await repo.exists(…))`, Go's `if err := …; …`),
/// not merely in a block that an earlier, unrelated test opened.
fn read_in_test(cx: &Ctx, branch: &Op, read: &Op) -> bool {
    branch.loc.start < read.loc.end
        && read.loc.start < branch.loc.start + branch_test(cx, branch).len()
}

/// `if err := db.QueryRow(…).Scan(&url); err != nil {`: the branch around the read only asks
/// whether it failed (not found, connection lost), not what it found.
fn only_err_test(cx: &Ctx, branch: &Op, read: &Op) -> bool {
    let test = branch_test(cx, branch);
    let after = cx
        .source
        .get(read.loc.end..branch.loc.end)
        .unwrap_or("")
        .split(['{', '\n'])
        .next()
        .unwrap_or("");
    let cond = after.rsplit(';').next().unwrap_or("").trim();
    cx.language == Language::Go && test.contains(';') && matches!(cond, "err != nil" | "err == nil")
}

/// Names holding the read's result between the read and the write: what it is bound to (or
/// scanned into), and variables assigned from those (`status = row["status"]`).
fn decided_names(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> Vec<String> {
    let OpKind::Read { binds, .. } = &read.kind else {
        return Vec::new();
    };
    let mut names = result_names(cx, read, binds);
    for _ in 0..2 {
        for a in &f.assigns {
            if a.loc.start >= read.loc.end
                && a.loc.end <= write.loc.start
                && names.iter().any(|n| mentions(&a.value, n))
            {
                for n in &a.names {
                    // `job, err := createJob(ctx, url)`: the error says the call failed, not
                    // what the read found.
                    if !names.contains(n) && !outcome_only(n) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    names
}

/// The part of a branch that decides: its first line (`if seat.status != "free":`), or the
/// whole construct when it fits on one.
fn branch_test<'a>(cx: &'a Ctx, b: &Op) -> &'a str {
    let text = cx.text(&b.loc);
    // Go's tagless `switch { case err != nil: … case status != "available": … }` tests in its
    // cases: the whole statement is the test.
    if cx.language == Language::Go && text.starts_with("switch {") {
        return text;
    }
    // A conditional expression (`approve ? minutes ?? request.requestedMinutes : 0`) tests
    // only what stands before its `?`; its arms are values.
    let keyword = [
        "if", "switch", "while", "for", "case", "match", "elif", "else", "select",
    ]
    .iter()
    .any(|k| {
        text.starts_with(k)
            && !text[k.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    });
    if !keyword {
        let b = text.as_bytes();
        let question = (0..b.len()).find(|&i| {
            b[i] == b'?'
                && !matches!(b.get(i + 1), Some(b'.' | b'?'))
                && (i == 0 || b[i - 1] != b'?')
        });
        if let Some(i) = question {
            return &text[..i];
        }
    }
    // Up to the first line end outside parentheses (`if (\n  a &&\n  b\n) {`).
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '\n' if depth <= 0 => return &text[..i],
            _ => {}
        }
    }
    text
}

/// In a SQL script the person (or tool) running it decides between statements, so no branch
/// shows. The write depends on the read when it changes what the read looked at (a column it
/// returned or tested), inserts a row with a value the read looked up (`SELECT … WHERE email =
/// …` then `INSERT … (email)`), or adds to rows the read counted.
fn script_decides(read: &Op, write: &Op) -> bool {
    let (OpKind::Read { sql: Some(r), .. }, OpKind::Write { sql: Some(w), .. }) =
        (&read.kind, &write.kind)
    else {
        return false;
    };
    let looked_at = |c: &str| {
        r.columns.iter().any(|x| x == c || x == "*") || r.predicates.iter().any(|p| p.column == c)
    };
    // A number worked out from the read (`balance = 25`, `views = v_views + 1`) is a lost
    // update, not a decision.
    let binds = match &read.kind {
        OpKind::Read { binds, .. } => binds.as_slice(),
        _ => &[],
    };
    let computed = |s: &crate::analyzer::sql::SetExpr| {
        s.literal && !s.value.starts_with('\'')
            || binds
                .iter()
                .any(|b| mentions(&s.value.to_ascii_lowercase(), &b.to_ascii_lowercase()))
    };
    match w.kind {
        SqlKind::Update => w.sets.iter().any(|s| looked_at(&s.column) && !computed(s)),
        SqlKind::Insert => {
            !r.aggregates.is_empty()
                || w.insert_columns
                    .iter()
                    .any(|c| r.predicates.iter().any(|p| p.column == *c))
        }
        _ => false,
    }
}

/// A key-value write whose value was computed between the read and the write (a cache fill:
/// `rows = query(…)`, `set(key, json.dumps(rows))`) or from the value read (a counter: that
/// is `lost-update`'s). A claim writes a value it had before the read (`set(key, user_id)`).
fn key_filled_or_updated(f: &Function, read: &Op, write: &Op) -> bool {
    let OpKind::Read {
        target: Target::Key(_),
        binds,
        ..
    } = &read.kind
    else {
        return false;
    };
    let Some(set) = f.calls.iter().find(|c| c.loc == write.loc) else {
        return false;
    };
    // The arguments after the key: the value, and a TTL (`setex(key, ttl, value)`).
    let after_key: Vec<&str> = set
        .args
        .iter()
        .skip(super::cache_calls::key_index(set) + 1)
        .map(|a| a.text.as_str())
        .collect();
    let mut names: Vec<String> = binds.clone();
    for a in &f.assigns {
        if a.loc.start < read.loc.end || a.loc.end > write.loc.start {
            continue;
        }
        let computed = a.value.contains('(');
        let derived = names.iter().any(|n| mentions(&a.value, n));
        if computed || derived {
            // Each name once: a paste assigning the same names over and over grew this list
            // per assignment and the scans above with it (fuzzing: 9 s for 200 KB of Python).
            for n in &a.names {
                if !names.contains(n) {
                    names.push(n.clone());
                }
            }
        }
    }
    names
        .iter()
        .any(|n| after_key.iter().any(|v| mentions(v, n)))
}

/// True when every decision between the read and the write only checks that the row exists
/// or that the caller may touch it (404/403): load, authorise, then update or delete. Another
/// request cannot invalidate that check, so there is no race worth reporting. A decision about
/// the row's state (409, "already", "taken", stock, balance…) keeps the finding.
fn only_access_checks(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> bool {
    const ACCESS: [&str; 11] = [
        "404",
        "403",
        "401",
        "notfound",
        "not found",
        "forbidden",
        "unauthorized",
        "not authorized",
        "permission",
        "does not exist",
        "doesnotexist",
    ];
    const STATE: [&str; 16] = [
        "409",
        "already",
        "taken",
        "exists",
        "unique",
        "insufficient",
        "sold",
        "available",
        "status",
        "stock",
        "balance",
        "quantity",
        "limit",
        "used",
        "expired",
        "conflict",
    ];
    let branches: Vec<String> = f
        .ops
        .iter()
        .filter(|b| {
            b.kind == OpKind::Branch && b.loc.start < write.loc.start && b.loc.end > read.loc.start
        })
        // `status_code=404` / `res.status(404)` name the HTTP status, not the row's state.
        .map(|b| {
            cx.text(&b.loc)
                .to_ascii_lowercase()
                .replace("status_code", "")
                .replace("status(", "(")
        })
        .collect();
    !branches.is_empty()
        && branches
            .iter()
            .all(|t| ACCESS.iter().any(|a| t.has(a)) && !STATE.iter().any(|s| t.has(s)))
}

/// `g` runs a query, itself or through the snippet's own helpers up to `depth` calls down.
fn loads(cx: &Ctx, g: &Function, depth: u32) -> bool {
    g.calls.iter().any(|d| {
        super::queries::classify(g, d).is_some()
            // `session.execute(text(SUMMARY_SQL), …)`: SQL held in a constant.
            || matches!(d.method.as_str(), "execute" | "fetch" | "fetchall" | "query")
            || depth > 0
                && cx
                    .function_named(&d.method)
                    .is_some_and(|h| !std::ptr::eq(h, g) && loads(cx, h, depth - 1))
    })
}

/// Cache-aside (`v = cache.get(k)`; on a miss compute and `cache.set(k, v)`): two requests
/// filling the same entry write the same value, so this is not a lost decision. Its scale
/// problem is the stampede, which `cache-stampede` reports.
fn cache_aside(cx: &Ctx, f: &Function, read: &Op, write: &Op) -> bool {
    let OpKind::Read {
        target: Target::Key(_) | Target::Map(_),
        ..
    } = &read.kind
    else {
        return false;
    };
    let named = [read, write].iter().all(|op| {
        let t = cx.text(&op.loc).to_ascii_lowercase();
        t.has("cache") || t.has("memo")
    });
    // On a miss the value is loaded (a query, a request, `fetchWithRetry(req)`) and stored
    // under the key: two racing requests both load it, and the second store repeats the
    // first. That is a cache (see cache-stampede), not a decision on shared state.
    let loading: Vec<&crate::analyzer::facts::Call> = f
        .calls
        .iter()
        .filter(|c| {
            c.loc.start >= read.loc.end
                && c.loc.end <= write.loc.start
                && (super::queries::classify(f, c).is_some() || {
                    let m = c.method.to_ascii_lowercase();
                    ["fetch", "load", "compute", "build", "query", "render"]
                        .iter()
                        .any(|p| m.starts_with(p))
                        // `await registry.get(`/vessels/${id}`)` through an axios instance.
                        || c.awaited
                            && matches!(m.as_str(), "get" | "request")
                            && !c.receiver.to_ascii_lowercase().has("cache")
                })
        })
        .collect();
    // What the loads produce: names assigned from them, Go `Scan(&p.Name, …)` targets, and
    // values built from those (`payload, _ := json.Marshal(rows)`).
    let mut produced: Vec<String> = Vec::new();
    for c in &loading {
        for a in f.assigns.iter().filter(|a| a.loc.contains(&c.loc)) {
            produced.extend(a.names.iter().cloned());
        }
    }
    for c in f.calls.iter().filter(|c| c.method == "Scan") {
        if c.loc.start >= read.loc.end && c.loc.end <= write.loc.start {
            for a in &c.args {
                let t = a.text.trim().trim_start_matches('&');
                produced.push(t.split('.').next().unwrap_or(t).to_string());
            }
        }
    }
    for a in &f.assigns {
        if a.loc.start >= read.loc.end
            && a.loc.end <= write.loc.start
            // `set[seg] = true` after `rows.Scan(&seg)`: the map is built from the load too.
            && produced.iter().any(|n| mentions(cx.text(&a.loc), n))
        {
            produced.extend(a.names.iter().cloned());
        }
    }
    // The store done by the snippet's own helper that also loads (`fresh = _rebuild(session,
    // key, …)` running the query and `cache.set`): the helper refills the cache.
    let helper_refills = matches!(
        &read.kind,
        OpKind::Read {
            target: Target::Key(_),
            ..
        }
    ) && f.calls.iter().any(|c| {
        c.loc.start >= read.loc.end
            && c.loc.contains(&write.loc)
            && cx
                .function_named(&c.method)
                .is_some_and(|g| !std::ptr::eq(g, f) && loads(cx, g, 2))
    });
    if helper_refills {
        return true;
    }
    produced.retain(|n| !outcome_only(n));
    // `vesselDetails[mmsi] = { name: data.name, … }`: the value is in the assignment around
    // the subscript that is the write.
    let written = f
        .assigns
        .iter()
        .filter(|a| a.loc.contains(&write.loc))
        .min_by_key(|a| a.loc.end - a.loc.start)
        .map_or_else(|| cx.text(&write.loc), |a| cx.text(&a.loc));
    let stores_load = !loading.is_empty() && produced.iter().any(|n| mentions(written, n));
    // A SELECT on the miss path, stored under the key it missed: the stored value is what was
    // selected, however the rows were gathered into it.
    let selects_on_miss = loading.iter().any(|c| {
        matches!(
            super::queries::classify(f, c),
            Some(super::queries::Query::Sql(s)) if s.kind == SqlKind::Select
        )
    });
    named || stores_load || selects_on_miss
}
