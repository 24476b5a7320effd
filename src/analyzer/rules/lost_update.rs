//! # lost-update
//!
//! ## What it does
//! Flags a read-modify-write of a number or state (balance, stock, counter, version, …) where
//! the new value is computed in the application from a value read earlier and written back as
//! an absolute value: `UPDATE accounts SET balance = $1` after `SELECT balance`,
//! `account.balance -= amount; account.save()`, `n = cache.get(k); cache.set(k, n + 1)`.
//!
//! ## Why is this bad at scale
//! Two requests read the same balance of $100, one subtracts $50 and the other $75, and each
//! writes its own result: the last write wins, both payments succeed, and $125 left an account
//! that had $100. Nothing fails, nothing is logged; the books just stop adding up, a little
//! more as traffic grows.
//!
//! ## Example
//! ```python
//! row = await conn.fetchrow("SELECT balance FROM accounts WHERE id = $1", account_id)
//! new_balance = row["balance"] - amount
//! await conn.execute("UPDATE accounts SET balance = $1 WHERE id = $2", new_balance, account_id)
//! ```
//!
//! ## Use instead
//! Let the database do the arithmetic, atomically, and check the result:
//! ```python
//! row = await conn.fetchrow(
//!     "UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance",
//!     amount, account_id)
//! if row is None:
//!     raise HTTPException(409, "Insufficient funds")
//! ```
//! Or lock the row (`SELECT … FOR UPDATE` in a transaction), check a version
//! (`WHERE version = $n`), use `F("balance") - amount` (Django), `increment`/`decrement`
//! (Sequelize, Prisma `{ decrement: n }`), `$inc` (MongoDB) or `INCR`/`INCRBY` (Redis).
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, and SQL strings inside them. SQL files: a script
//! that reads a quantity and writes back a number typed in (`SELECT balance …; UPDATE accounts
//! SET balance = 25 …`), and stored code that computes the new value from a `SELECT … INTO`
//! variable (PL/pgSQL, T-SQL `SELECT @v = …`, MySQL procedures).

use super::queries::{call_sql, mentions};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Call, Function, Loc, OpKind};
use crate::analyzer::find::Has;
use crate::analyzer::sql::{SqlKind, SqlStatement};
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "lost-update";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Lost update (read-modify-write)",
    what_it_does: "Flags a read-modify-write of a number or state (balance, stock, counter, version, …) where the new value is computed in the application from a value read earlier and written back as an absolute value: UPDATE accounts SET balance = $1 after SELECT balance, account.balance -= amount; account.save(), n = cache.get(k); cache.set(k, n + 1).",
    why_bad_at_scale: "Two requests read the same balance of $100, one subtracts $50 and the other $75, and each writes its own result: the last write wins, both payments succeed, and $125 left an account that had $100. Nothing fails and nothing is logged; the numbers just stop adding up, more often as traffic grows.",
    example: "row = await conn.fetchrow(\"SELECT balance FROM accounts WHERE id = $1\", account_id)\nnew_balance = row[\"balance\"] - amount\nawait conn.execute(\"UPDATE accounts SET balance = $1 WHERE id = $2\", new_balance, account_id)",
    use_instead: "row = await conn.fetchrow(\n    \"UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance\",\n    amount, account_id)\nif row is None:\n    raise HTTPException(409, \"Insufficient funds\")\n\nOr SELECT … FOR UPDATE in a transaction, a version check (WHERE version = $n), F(\"balance\") - amount, increment/decrement, $inc, Redis INCRBY.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// Columns and fields that hold a quantity or a version.
fn numeric_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "balance",
        "stock",
        "on_hand",
        "onhand",
        "quantity",
        "qty",
        "count",
        "counter",
        "credit",
        "points",
        "inventory",
        "version",
        "amount",
        "total",
        "views",
        "likes",
        "available",
        "remaining",
        "seats",
        "tickets_left",
        "funds",
        "score",
        "votes",
        "usage",
        "quota",
        "coins",
        "gems",
        "budget",
        "spent",
        "capacity",
        "allowance",
        // `rides_left`, `spots_left`, `raised_cents`, `units`, `owed`, `kiln_hours`.
        "_left",
        "raised",
        "owed",
        "slots",
        "spots",
        "units",
        "_cents",
        "_pence",
        "hours",
        // A player's rating and tallies (`rating`, `elo`, `games_played`, `wins`).
        "rating",
        "elo",
        "_played",
        "wins",
        "losses",
    ]
    .iter()
    .any(|k| n.has(k))
}

/// Spellings of a row lock taken by the read (SQL, Django, SQLAlchemy, JPA, Sequelize).
const ROW_LOCKS: [&str; 6] = [
    "FOR UPDATE",
    "for update",
    "select_for_update",
    "with_for_update",
    "pessimistic_write",
    "LOCK.UPDATE",
];

/// Something in the function that makes the read-modify-write safe.
fn guarded(cx: &Ctx, f: &Function) -> bool {
    if f.locked
        || f.ops
            .iter()
            .any(|o| matches!(o.kind, OpKind::LockHeld | OpKind::Serializable))
    {
        return true;
    }
    // The row comes from the snippet's own helper that locks it (`acct =
    // self._account_for_update(pupil_id)` running `.with_for_update()`).
    let locked_by_helper = f.calls.iter().any(|c| {
        let m = c.method.to_ascii_lowercase();
        let own = c.receiver.is_empty() || matches!(c.receiver.as_str(), "self" | "this");
        // A repository method named for its lock (`courses.findByIdForUpdate(id)`) says so
        // on any receiver.
        m.has("for_update")
            || m.has("forupdate")
            || own
                && cx.function_named(&c.method).is_some_and(|g| {
                    let text = cx.text(&g.loc);
                    !std::ptr::eq(g, f)
                        && (ROW_LOCKS.iter().any(|k| text.has(k)) || text.has("clause.Locking"))
                })
    });
    if locked_by_helper {
        return true;
    }
    // A keyword the whole text lacks is not in the function either: asked of the text once,
    // instead of scanning every function's body for each.
    let body = cx.text(&f.loc);
    ROW_LOCKS
        .iter()
        .chain(&[
            "lock: true",
            "F(",
            "increment(",
            "decrement(",
            "increment:",
            "decrement:",
            "$inc",
            "incr(",
            "incrby(",
            "INCR",
            "hincrby",
            "FOR NO KEY UPDATE",
        ])
        .any(|k| cx.source_has(k) && body.has(k))
        || cx.language == Language::Java
            && [
                "@Version",
                "@Lock(",
                "LockModeType.",
                "PESSIMISTIC_",
                "OPTIMISTIC",
            ]
            .iter()
            .any(|k| cx.source_has(k))
        || cx.language == Language::Go
            && [
                "gorm.Expr(",
                "clause.Locking",
                ".Incr(",
                ".IncrBy(",
                ".HIncrBy(",
            ]
            .iter()
            .any(|k| cx.source_has(k) && body.has(k))
}

/// Where `obj` was loaded before `before`: the assignment that binds it from a call
/// (`wallet = await repo.findOneBy(…)`), or a call that scans into it (`db.First(&product, id)`).
fn load_of(f: &Function, obj: &str, before: usize) -> Option<Loc> {
    let by_assign = f
        .assigns
        .iter()
        .filter(|a| {
            a.loc.end <= before
                && a.names.iter().any(|n| n == obj)
                && f.calls.iter().any(|c| a.loc.contains(&c.loc))
        })
        .map(|a| a.loc)
        .next_back();
    let target = format!("&{obj}");
    let by_dest = f
        .calls
        .iter()
        .filter(|c| c.loc.end <= before && c.args.iter().any(|x| x.text.trim() == target))
        .map(|c| c.loc)
        .next_back();
    match (by_assign, by_dest) {
        (Some(a), Some(d)) => Some(if a.start > d.start { a } else { d }),
        (a, d) => a.or(d),
    }
}

/// [`load_of`], following plain copies back to the load: `white, black = by_id[w], by_id[b]`
/// after `by_id = {p.id: p for p in players}` after `players = session.scalars(…).all()`, or
/// Go's `white := players[0]` after `Find(&players)`. At most four steps, each one earlier.
fn load_traced(f: &Function, obj: &str, before: usize) -> Option<Loc> {
    let mut name = obj.to_string();
    let mut before = before;
    for _ in 0..4 {
        if let Some(loc) = load_of(f, &name, before) {
            return Some(loc);
        }
        let copy = f
            .assigns
            .iter()
            .rfind(|a| a.loc.end <= before && a.names.contains(&name))?;
        let bound_earlier = |id: &str| {
            let dest = format!("&{id}");
            f.assigns
                .iter()
                .any(|b| b.loc.end <= copy.loc.start && b.names.iter().any(|n| n == id))
                || f.calls.iter().any(|c| {
                    c.loc.end <= copy.loc.start && c.args.iter().any(|x| x.text.trim() == dest)
                })
        };
        let next = super::queries::identifiers(&copy.value)
            .into_iter()
            .find(|id| *id != name && bound_earlier(id))?;
        name = next.to_string();
        before = copy.loc.start;
    }
    None
}

/// A later call that persists `obj`: `obj.save()`, `repo.save(obj)`, `db.Save(&obj)`,
/// `session.commit()`.
fn save_of<'a>(f: &'a Function, obj: &str, after: usize) -> Option<&'a Call> {
    f.calls.iter().find(|c| {
        let m = c.method.to_ascii_lowercase();
        c.loc.start > after
            && matches!(
                m.as_str(),
                "save" | "saveandflush" | "commit" | "flush" | "update" | "updates" | "merge"
            )
            && (c.receiver == obj
                || c.receiver.ends_with("session")
                || m == "commit"
                || c.args
                    .iter()
                    .any(|x| x.text.trim().trim_start_matches('&') == obj))
    })
}

/// The first `obj.field++` / `obj.field--` (either side) on a numeric field in `f`'s text:
/// the object, the field and where it is.
fn inc_dec(cx: &Ctx, f: &Function) -> Option<(String, String, Loc)> {
    let body = cx.text(&f.loc);
    for op in ["++", "--"] {
        for (i, _) in body.match_indices(op) {
            // The operand after (`--ev.Remaining`) or before (`ev.Remaining--`).
            let before = &body[..i];
            let after = &body[i + 2..];
            let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
            let post = super::queries::trailing(before, ident).to_string();
            let pre: String = after.chars().take_while(|c| ident(*c)).collect();
            let operand = if post.contains('.') { post } else { pre };
            let Some((obj, field)) = operand.rsplit_once('.') else {
                continue;
            };
            if obj.is_empty() || obj.contains('.') || obj == "this" || !numeric_field(field) {
                continue;
            }
            let start = f.loc.start + i;
            let loc = Loc {
                start,
                end: start + 2,
                span: cx.lines.span(start, start + 2),
            };
            return Some((obj.to_string(), field.to_string(), loc));
        }
    }
    None
}

/// Arithmetic in an argument's source (`seatsLeft-n`, `stock - qty`), not in a string.
fn arithmetic_arg(c: &Call) -> bool {
    c.args.iter().any(|a| {
        let t = a.text.trim();
        a.string.is_none()
            && t.get(1..)
                .is_some_and(|r| r.contains('-') || r.contains('+'))
            && !t.has("->")
            && !t.has("=>")
            && !t.starts_with('"')
            && !t.starts_with('`')
    })
}

/// Java `obj.setBalance(obj.getBalance().subtract(amount))` / `setPoints(obj.getPoints() + n)`:
/// the object, field and the setter call.
fn java_setter(f: &Function) -> Option<(String, String, &Call)> {
    f.calls.iter().find_map(|c| {
        let field = c.method.strip_prefix("set")?;
        if field.is_empty() || c.receiver.is_empty() {
            return None;
        }
        let obj = c.receiver.as_str();
        let mut arg = c.args.first()?.text.as_str();
        // `BigDecimal next = wallet.getBalance().add(amount); wallet.setBalance(next);`
        if arg.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
            if let Some(a) = f
                .assigns
                .iter()
                .rfind(|a| a.loc.end <= c.loc.start && a.names.iter().any(|n| n == arg))
            {
                arg = a.value.as_str();
            }
        }
        let getter = format!("{obj}.get{field}()");
        let arith = arg.has(" - ")
            || arg.has(" + ")
            || [".subtract(", ".add(", ".minus(", ".plus(", ".multiply("]
                .iter()
                .any(|k| arg.has(k));
        // `int balance = m.getCreditCents(); … m.setCreditCents(balance - amount)`.
        let via_local = || {
            arg.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .filter(|w| !w.is_empty())
                .any(|w| {
                    f.assigns.iter().any(|a| {
                        a.loc.end <= c.loc.start
                            && a.names.iter().any(|n| n == w)
                            && a.value.contains(&getter)
                    })
                })
        };
        // Set from its own getter with arithmetic, the field is a quantity whatever its name
        // (`g.setOccupied(g.getOccupied() + 1)`); text appended to itself is not.
        let quantity = numeric_field(field) || !arg.contains('"');
        ((arg.contains(&getter) || via_local()) && arith && quantity)
            .then(|| (obj.to_string(), field.to_string(), c))
    })
}

/// `prisma.product.update({ data: { stock: product.stock - quantity } })`,
/// `db.Model(&p).Update("stock", p.Stock - qty)`: an ORM update whose new value is computed
/// from a field of a row loaded earlier. Returns the row variable, the field and the call.
fn orm_update_from_row(f: &Function) -> Option<(String, String, &Call)> {
    f.calls.iter().find_map(|c| {
        let m = c.method.to_ascii_lowercase();
        if !matches!(
            m.as_str(),
            "update" | "updateone" | "updatemany" | "upsert" | "updates" | "updatecolumn"
        ) {
            return None;
        }
        let text = c.args_text();
        if text.to_ascii_lowercase().has("version") {
            return None;
        }
        let b = text.as_bytes();
        let ident = |ch: u8| ch.is_ascii_alphanumeric() || ch == b'_';
        // The first field computed from itself (`sortsOnShelf: font.sortsOnShelf + back`),
        // whatever it is called; else the first quantity computed from a row's field.
        let mut quantity: Option<(String, String)> = None;
        let mut i = 1;
        while i < b.len() {
            if b[i] != b'.' || !ident(b[i - 1]) {
                i += 1;
                continue;
            }
            let mut s = i;
            while s > 0 && ident(b[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < b.len() && ident(b[e]) {
                e += 1;
            }
            let obj = &text[s..i];
            let field = &text[i + 1..e];
            let rest = text[e..].trim_start();
            let chained = s > 0 && b[s - 1] == b'.';
            let arithmetic = (rest.starts_with('-') || rest.starts_with('+'))
                && !rest.starts_with("--")
                && !rest.starts_with("++");
            if !chained && obj != "this" && arithmetic {
                let own_key = text[..s]
                    .trim_end()
                    .strip_suffix(':')
                    .is_some_and(|k| k.trim_end().ends_with(field));
                // A condition on the same field in the where clause makes it a compare-and-set.
                let key = format!("{}:", field.to_ascii_lowercase());
                let flat = text.to_ascii_lowercase().replace(' ', "");
                if flat.matches(&key).count() > 1 {
                    return None;
                }
                if own_key {
                    return Some((obj.to_string(), field.to_string(), c));
                }
                if quantity.is_none() && numeric_field(field) {
                    quantity = Some((obj.to_string(), field.to_string()));
                }
            }
            i = e;
        }
        quantity.map(|(obj, field)| (obj, field, c))
    })
}

fn push(
    cx: &Ctx,
    out: &mut Vec<Finding>,
    f: &Function,
    read: Option<Loc>,
    write: Loc,
    field: &str,
    how: &str,
) {
    let wl = write.span.start_line;
    // Go/Java fields are exported or getter names (`Stock`, `Balance`): name the column.
    let lowered;
    let field = if matches!(cx.language, Language::Go | Language::Java) {
        let mut ch = field.chars();
        lowered = ch
            .next()
            .map(|c| c.to_ascii_lowercase().to_string() + ch.as_str())
            .unwrap_or_default();
        lowered.as_str()
    } else {
        field
    };
    let mut evidence = Vec::new();
    let mut params = BTreeMap::new();
    let read_part = match read {
        Some(r) => {
            evidence.push(cx.evidence(&r, "read"));
            params.insert("read_line".to_string(), r.span.start_line.to_string());
            format!("read at line {} and ", r.span.start_line)
        }
        None => String::new(),
    };
    evidence.push(cx.evidence(&write, "write"));
    params.insert("write_line".to_string(), wl.to_string());
    params.insert("field".to_string(), field.to_string());
    // Stored SQL code computes the value in the routine, not in an application.
    let computed_in = if cx.language == Language::Sql {
        "outside the UPDATE"
    } else {
        "in the application"
    };
    let message = format!(
        "`{field}` is {read_part}written back at line {wl} in `{}` as a value computed {computed_in} ({how}): two concurrent requests both read the old value and the second write erases the first.",
        f.name
    );
    let fix = match cx.language {
        Language::Go => format!(
            "Do the arithmetic in one statement and check the row count: `UPDATE … SET {field} = {field} - $1 WHERE id = $2 AND {field} >= $1` + `RowsAffected()`, GORM `Update(\"{field}\", gorm.Expr(\"{field} - ?\", n))`, Redis `INCRBY`; or `SELECT … FOR UPDATE` inside the transaction."
        ),
        Language::Java => format!(
            "Do the arithmetic in the database: `@Modifying @Query(\"UPDATE … SET e.{field} = e.{field} - :n WHERE e.id = :id AND e.{field} >= :n\")` and check the count, or add a `@Version` column (optimistic locking) or load with `@Lock(LockModeType.PESSIMISTIC_WRITE)`; Redis `increment()`."
        ),
        Language::Sql => format!(
            "Do the arithmetic in the UPDATE itself and check that it applied: `UPDATE … SET {field} = {field} - $1 WHERE id = $2 AND {field} >= $1 RETURNING {field}` (no row = refused), or read with `SELECT … FOR UPDATE` in the same transaction, or add a version column to the WHERE."
        ),
        Language::TypeScript => format!(
            "Do the arithmetic in one atomic statement: `SET {field} = {field} - $1 … AND {field} >= $1`, Prisma `{{ {field}: {{ decrement: n }} }}` with a `where` guard, TypeORM `decrement()` or `lock: {{ mode: \"pessimistic_write\" }}` in a transaction, Redis `INCRBY`."
        ),
        _ => format!(
            "Do the arithmetic in one atomic statement: `SET {field} = {field} - $1` (with `AND {field} >= $1` if it must not go negative), `F(\"{field}\")`, `increment`/`decrement`, `$inc` or Redis `INCRBY`; or lock the row with `SELECT … FOR UPDATE` / check a version column."
        ),
    };
    let start = read.unwrap_or(write);
    let span_loc = Loc {
        start: start.start,
        end: write.end.max(start.end),
        span: crate::analyzer::Span {
            start_line: start.span.start_line,
            start_col: start.span.start_col,
            end_line: write.span.end_line.max(start.span.end_line),
            end_col: write.span.end_col,
        },
    };
    out.push(finding(
        ID,
        Severity::Error,
        &span_loc,
        message,
        fix,
        evidence,
        params,
    ));
}

/// A name the read filled (`int used = jdbc.queryForObject(…)`, `.Scan(&duty)`) takes part in
/// arithmetic before the write (`duty += …`, `used + 1`): the column holds a quantity,
/// whatever it is called.
fn stepped_after_read(cx: &Ctx, f: &Function, read: &Call, between: &str) -> bool {
    let read_text = cx.text(&read.loc);
    let after_read = cx.source.get(read.loc.end..).unwrap_or("");
    let scanned = after_read
        .strip_prefix(".Scan(")
        .and_then(|r| r.split(')').next())
        .unwrap_or("");
    let mut names: Vec<&str> = f
        .assigns
        .iter()
        .filter(|a| a.loc.contains(&read.loc))
        .flat_map(|a| a.names.iter().map(String::as_str))
        .filter(|n| !matches!(*n, "err" | "_" | "ok"))
        .collect();
    for part in scanned.split(',').chain(read_text.split([',', '('])) {
        if let Some(n) = part.trim().strip_prefix('&') {
            names.push(n.trim());
        }
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    names.iter().filter(|n| !n.is_empty()).any(|n| {
        between.match_indices(n).any(|(i, _)| {
            let before_ok = !between[..i].chars().next_back().is_some_and(ident);
            let rest = &between[i + n.len()..];
            let after = rest.trim_start();
            // Not a string put together (`name + " is on loan"`).
            let operand = after
                .get(1..)
                .unwrap_or("")
                .trim_start_matches('=')
                .trim_start();
            before_ok
                && !rest.starts_with(ident)
                && ["+", "-", "*", "/"].iter().any(|op| after.starts_with(op))
                && !after.starts_with("->")
                && !operand.starts_with(['"', '\'', '`'])
        })
    })
}

/// Names holding values derived from `binds` between `from` and `to`: the variables a
/// `SELECT … INTO` filled and those assigned from them (`v_balance := v_balance - p_amount`),
/// lower-case, with whether any derivation did arithmetic.
fn derived_from(f: &Function, binds: &[String], from: usize, to: usize) -> (Vec<String>, bool) {
    let mut names: Vec<String> = binds.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut arithmetic = false;
    for a in &f.assigns {
        if a.loc.start < from || a.loc.start > to {
            continue;
        }
        let value = a.value.to_ascii_lowercase();
        if names.iter().any(|n| mentions(&value, n)) {
            arithmetic |= ['+', '-', '*', '/'].iter().any(|op| value.contains(*op));
            names.extend(a.names.iter().map(|n| n.to_ascii_lowercase()));
        }
    }
    (names, arithmetic)
}

/// A string literal on its own (`'new-releases'`, `` `hits:${id}` ``): a key, not a value.
fn quoted_literal(text: &str) -> bool {
    let t = text.trim();
    ['"', '\'', '`']
        .iter()
        .any(|q| t.len() >= 2 && t.starts_with(*q) && t.ends_with(*q))
}

/// The only operation of one kind a helper does, when it does nothing else: its single
/// unlocked read, or its single unguarded write.
fn sole_op(g: &Function, want_read: bool) -> Option<&crate::analyzer::facts::Op> {
    use crate::analyzer::facts::WriteGuard;
    let mut data = g
        .ops
        .iter()
        .filter(|o| !matches!(o.kind, OpKind::Await | OpKind::Branch));
    let op = data.next()?;
    if data.next().is_some() {
        return None;
    }
    match &op.kind {
        OpKind::Read { locking: false, .. } if want_read => Some(op),
        OpKind::Write {
            guard: WriteGuard::None,
            ..
        } if !want_read => Some(op),
        _ => None,
    }
}

/// D. The read and the write in the snippet's own helpers: `paid, total, err :=
/// s.loadBalance(…)`, `paid += amount`, `s.saveBalance(…, paid, …)`; or `invoice = await
/// loadInvoice(…)` then `saveBalance(invoice.id, invoice.balanceDueCents - amount)`. Returns
/// the helper's read, the helper's write, the value and how it travelled.
fn through_helpers(cx: &Ctx, fi: usize, f: &Function) -> Option<(Loc, Loc, String, String)> {
    use crate::analyzer::facts::Target;
    let key = |t: &Target| match t {
        Target::Table(x) | Target::Model(x) => Some(entity_key(x)),
        _ => None,
    };
    for (i, rc) in f.calls.iter().enumerate() {
        let Some(g) = super::queries::own_helper(cx, fi, f, rc) else {
            continue;
        };
        let Some(read) = sole_op(g, true) else {
            continue;
        };
        let OpKind::Read { target: rt, .. } = &read.kind else {
            continue;
        };
        let Some(rk) = key(rt) else { continue };
        let names: Vec<String> = f
            .assigns
            .iter()
            .filter(|a| a.loc.contains(&rc.loc))
            .flat_map(|a| a.names.iter().cloned())
            .filter(|n| !matches!(n.as_str(), "err" | "_" | "ok" | "error"))
            .collect();
        if names.is_empty() {
            continue;
        }
        // The write follows soon after the read (a bound keeps long pastes linear).
        for wc in f.calls.iter().skip(i + 1).take(64) {
            let Some(h) = super::queries::own_helper(cx, fi, f, wc) else {
                continue;
            };
            let Some(write) = sole_op(h, false) else {
                continue;
            };
            let OpKind::Write { target: wt, .. } = &write.kind else {
                continue;
            };
            if key(wt).as_ref() != Some(&rk) {
                continue;
            }
            // Values computed from the read on the way: `paid += amount`, `next = inv.paid + n`.
            let mut changed: Vec<&String> = Vec::new();
            for a in f
                .assigns
                .iter()
                .filter(|a| a.loc.start > rc.loc.end && a.loc.end <= wc.loc.start)
            {
                let text = cx.text(&a.loc);
                let augmented = text.has("+=") || text.has("-=");
                let arith = a.value.has(" + ") || a.value.has(" - ");
                for n in &a.names {
                    if augmented && names.contains(n)
                        || arith && names.iter().any(|r| mentions(&a.value, r))
                    {
                        changed.push(n);
                    }
                }
            }
            let arith = |t: &str| t.has(" + ") || t.has(" - ");
            let computed = wc.args.iter().filter(|a| a.string.is_none()).find_map(|a| {
                let t = a.text.trim();
                let direct = arith(t)
                    .then(|| names.iter().find(|n| mentions(t, n)))
                    .flatten();
                direct
                    .or_else(|| changed.iter().copied().find(|n| mentions(t, n)))
                    .map(|n| (t, n))
            });
            if let Some((arg, name)) = computed {
                // `invoice.balanceDueCents - amount` changes `balanceDueCents`.
                let field = arg
                    .split(&format!("{name}."))
                    .nth(1)
                    .map(|r| {
                        r.chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect::<String>()
                    })
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| name.clone());
                let how = format!(
                    "`{}` loads it, `{}` computes `{arg}` and `{}` writes it back",
                    g.name, f.name, h.name
                );
                return Some((read.loc, write.loc, field, how));
            }
        }
    }
    None
}

/// SQL files: an UPDATE that writes a quantity back as a value computed outside the database
/// from an earlier SELECT of the same table: a literal typed after reading the row (a script),
/// or a variable filled by `SELECT … INTO` / `SELECT @v = …` and derived from it (stored
/// code). Returns the read, the write, the column and how the value was made.
fn sql_read_modify_write(f: &Function) -> Option<(Loc, Loc, String, String)> {
    if f.locked
        || f.ops
            .iter()
            .any(|o| matches!(o.kind, OpKind::LockHeld | OpKind::Serializable))
    {
        return None;
    }
    for (wi, w) in f.ops.iter().enumerate() {
        let OpKind::Write { sql: Some(s), .. } = &w.kind else {
            continue;
        };
        if s.kind != SqlKind::Update {
            continue;
        }
        // The nearest earlier read of the table; a locking one protects the write.
        let Some(read) = f.ops[..wi].iter().rev().find(|r| {
            matches!(&r.kind, OpKind::Read { sql: Some(rs), .. }
                if rs.tables.iter().any(|t| entity_key(t) == entity_key(&s.table)))
        }) else {
            continue;
        };
        let OpKind::Read {
            locking: false,
            binds,
            sql: Some(rs),
            ..
        } = &read.kind
        else {
            continue;
        };
        let (names, arithmetic) = derived_from(f, binds, read.loc.end, w.loc.start);
        for set in &s.sets {
            // `total = (SELECT sum(…) …)`: the database computes it when it writes.
            let subquery = set.value.to_ascii_lowercase().has("select");
            // A column read into a variable and written back from it (`SELECT assigned_hours
            // INTO v_assigned …; SET assigned_hours = v_assigned + v_hours`) is a quantity,
            // whatever its name.
            let read_back = !binds.is_empty() && rs.columns.contains(&set.column);
            if set.relative || subquery || !(numeric_field(&set.column) || read_back) {
                continue;
            }
            // A version or old-value check in the WHERE makes it optimistic.
            if s.predicates.iter().any(|p| {
                p.column == set.column || p.column.has("version") || p.column == "updated_at"
            }) {
                continue;
            }
            let value = set.value.to_ascii_lowercase();
            let how = if binds.is_empty() {
                // A script: the number was worked out by whoever read the row.
                let read_it = rs.columns.iter().any(|c| *c == set.column || c == "*");
                if !(f.script && set.literal && read_it) {
                    continue;
                }
                format!(
                    "`UPDATE {} SET {} = {}` typed in after reading it",
                    s.table, set.column, set.value
                )
            } else {
                let from_read = names.iter().any(|n| mentions(&value, n));
                let computed =
                    arithmetic || ['+', '-', '*', '/'].iter().any(|op| value.contains(*op));
                if !(from_read && computed) {
                    continue;
                }
                format!(
                    "`UPDATE {} SET {} = {}` from `{}`",
                    s.table,
                    set.column,
                    set.value,
                    binds.join("`, `")
                )
            };
            return Some((read.loc, w.loc, set.column.clone(), how));
        }
    }
    None
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    if cx.language == Language::Sql {
        for f in &cx.program.functions {
            if let Some((read, write, column, how)) = sql_read_modify_write(f) {
                push(cx, out, f, Some(read), write, &column, &how);
            }
        }
        return;
    }
    let jobs = super::queries::background_jobs(cx);
    for (fi, f) in cx.program.functions.iter().enumerate() {
        if guarded(cx, f) || jobs[fi] {
            continue;
        }
        if let Some((read, write, field, how)) = through_helpers(cx, fi, f) {
            push(cx, out, f, Some(read), write, &field, &how);
            continue;
        }
        let mut done = false;
        // A. SQL: SELECT of a table, then UPDATE of it with `SET col = <param>`. Each call's
        // statement is looked up once for the function.
        let statements: Vec<(&Call, SqlStatement)> = f
            .calls
            .iter()
            .filter_map(|c| call_sql(f, c).map(|s| (c, s)))
            .collect();
        for (c, s) in &statements {
            let c = *c;
            // An UPDATE, or an upsert that overwrites the row with the values it was given
            // (`INSERT … ON CONFLICT (…) DO UPDATE SET item_count = EXCLUDED.item_count`).
            let upsert = s.kind == SqlKind::Insert && s.on_conflict && !s.sets.is_empty();
            if !(s.kind == SqlKind::Update || upsert) || done {
                continue;
            }
            // The earlier reads of the table; the one that selected a column the write sets
            // (`SELECT duty_minutes …` after a `SELECT id … ORDER BY duty_minutes`), else the
            // first.
            let reads: Vec<&(&Call, SqlStatement)> = statements
                .iter()
                .filter(|(r, rs)| {
                    r.loc.end <= c.loc.start
                        && rs.kind == SqlKind::Select
                        && !rs.locking
                        && rs
                            .tables
                            .iter()
                            .any(|t| entity_key(t) == entity_key(&s.table))
                })
                .collect();
            let Some((read, read_sql)) = reads
                .iter()
                .rev()
                .find(|(_, rs)| s.sets.iter().any(|x| rs.columns.contains(&x.column)))
                .or(reads.first())
                .copied()
            else {
                continue;
            };
            let read = *read;
            // A quantity by its name, or any column the read selected and the write sets from
            // a computed value (`SELECT duty_minutes …`, then `SET duty_minutes = $1` with
            // `duty += …`).
            let between = cx.source.get(read.loc.end..c.loc.end).unwrap_or("");
            let Some(set) = s.sets.iter().find(|x| {
                x.from_param
                    && !x.relative
                    && (numeric_field(&x.column)
                        || !x.literal
                            && read_sql.columns.contains(&x.column)
                            && stepped_after_read(cx, f, read, between))
            }) else {
                continue;
            };
            // A version or old-value check in the WHERE makes it optimistic.
            if s.predicates.iter().any(|p| {
                p.column == set.column || p.column.has("version") || p.column == "updated_at"
            }) {
                continue;
            }
            // The written value comes from arithmetic in the application.
            // Java's BigDecimal arithmetic is method calls: `balance.subtract(amount)`.
            // `remaining--` / `n++` (Go, Java, JS) on the value the read filled (`&remaining`
            // in `GetContext(ctx, &remaining, …)`), not a counter of its own (`sent++`).
            let read_text = cx.text(&read.loc);
            let stepped = ["--", "++"].iter().any(|op| {
                between.match_indices(op).any(|(i, _)| {
                    // The identifier just before the operator.
                    let name = between[..i]
                        .rsplit(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                        .next()
                        .unwrap_or("");
                    !name.is_empty()
                        && (read_text.has(&format!("&{name}"))
                            || f.assigns.iter().any(|a| {
                                a.loc.contains(&read.loc) && a.names.iter().any(|n| n == name)
                            }))
                })
            });
            let arithmetic = between.has(" - ")
                || between.has(" + ")
                || between.has("-=")
                || between.has("+=")
                || cx.language != Language::Python && stepped
                || cx.language == Language::Java
                    && [".subtract(", ".add(", ".multiply(", ".minus(", ".plus("]
                        .iter()
                        .any(|k| between.has(k))
                || cx.language != Language::Python && arithmetic_arg(c);
            if !arithmetic {
                continue;
            }
            done = true;
            push(
                cx,
                out,
                f,
                Some(read.loc),
                c.loc,
                &set.column,
                &if upsert {
                    format!(
                        "`INSERT INTO {} … ON CONFLICT DO UPDATE SET {} = …` with a value computed from the earlier read",
                        s.table, set.column
                    )
                } else {
                    format!(
                        "`UPDATE {} SET {} = …` with a value computed from the earlier read",
                        s.table, set.column
                    )
                },
            );
        }
        if done {
            continue;
        }
        // B. ORM: `obj.balance -= x` / `obj.stock = obj.stock - 1`, then save()/commit().
        // One finding per row object: a coupon's count and a customer's credit are two.
        let mut rows_reported: Vec<&str> = Vec::new();
        // Two rows loaded by one read (`white` and `black` of one query) are one finding.
        let mut reads_reported: Vec<usize> = Vec::new();
        for a in &f.assigns {
            let Some((obj, field)) = a.target.rsplit_once('.') else {
                continue;
            };
            if obj.contains('(') || rows_reported.contains(&obj) {
                continue;
            }
            let line = cx.lines.line_text(a.loc.span.start_line);
            let augmented = line.has("-=") || line.has("+=");
            // Or through a copy made first: `const bib = race.nextBibNumber; race.nextBibNumber
            // = bib + 1`.
            let whole = format!("{obj}.{field}");
            // Or computed first: `new_total = fund.total_pence + amount; fund.total_pence =
            // new_total`.
            let copied = || {
                f.assigns.iter().any(|c| {
                    c.loc.end <= a.loc.start
                        && c.names.len() == 1
                        && c.value.trim() == whole
                        && mentions(&a.value, &c.names[0])
                })
            };
            let computed_first = || {
                f.assigns.iter().any(|c| {
                    c.loc.end <= a.loc.start
                        && c.names.len() == 1
                        && a.value.trim() == c.names[0]
                        && c.value.contains(whole.as_str())
                        && (c.value.has(" + ") || c.value.has(" - "))
                })
            };
            let self_ref = mentions(&a.value, field)
                && mentions(&a.value, obj.rsplit('.').next().unwrap_or(obj))
                || copied();
            let value_arith = a.value.contains('-') || a.value.contains('+');
            if !(augmented || self_ref && value_arith || computed_first()) {
                continue;
            }
            // `level.free_spaces = level.free_spaces - 1` counts, whatever the field is called;
            // text appended to itself (`note.body = note.body + "…"`) does not.
            let counted_from_itself =
                (self_ref || computed_first() || augmented) && !a.value.contains(['"', '\'', '`']);
            if !(numeric_field(field) || counted_from_itself) {
                continue;
            }
            let new_lang = matches!(
                cx.language,
                Language::TypeScript | Language::Go | Language::Java
            );
            let saved = if new_lang {
                // Or saved in a transaction callback the function opens after the change
                // (`s.db.Transaction(func(tx *gorm.DB) error { … tx.Save(&white) … })`).
                save_of(f, obj, a.loc.end).or_else(|| {
                    cx.program
                        .functions
                        .iter()
                        .filter(|g| g.parent == Some(fi) && g.loc.start > a.loc.end)
                        .find_map(|g| save_of(g, obj, a.loc.end))
                })
            } else {
                f.calls.iter().find(|c| {
                    c.loc.start > a.loc.end
                        && (matches!(c.method.as_str(), "save" | "commit" | "flush" | "update")
                            && (c.receiver == obj
                                || c.receiver.ends_with("session")
                                || c.method == "commit"))
                })
            };
            let Some(saved) = saved else { continue };
            // The read is where the row was loaded (`src = Bin.objects.get(…)`), when that is
            // in the function; otherwise the line that changes it.
            let loaded = load_traced(f, obj, a.loc.start);
            // A field known only by its `+=` (`loco.milesSinceWashout += miles`) counts when the
            // row's load is in view.
            if loaded.is_none() && !numeric_field(field) && !(self_ref || computed_first()) {
                continue;
            }
            let read = loaded.unwrap_or(a.loc);
            if reads_reported.contains(&read.start) {
                rows_reported.push(obj);
                continue;
            }
            reads_reported.push(read.start);
            push(
                cx,
                out,
                f,
                Some(read),
                saved.loc,
                field,
                &format!("`{}` changed in memory and saved", a.target),
            );
            done = true;
            rows_reported.push(obj);
        }
        if done {
            continue;
        }
        // B2. `ev.Remaining--` / `product.stock++` on a loaded row, then saved.
        if cx.language != Language::Python {
            if let Some((obj, field, at)) = inc_dec(cx, f) {
                if let (Some(saved), Some(read)) =
                    (save_of(f, &obj, at.end), load_traced(f, &obj, at.start))
                {
                    push(
                        cx,
                        out,
                        f,
                        Some(read),
                        saved.loc,
                        &field,
                        &format!("`{obj}.{field}` changed in memory and saved"),
                    );
                    continue;
                }
            }
        }
        if cx.language != Language::Python {
            // D. ORM update computed from a loaded row: `data: { stock: product.stock - qty }`.
            if let Some((obj, field, c)) = orm_update_from_row(f) {
                if let Some(read) = load_of(f, &obj, c.loc.start) {
                    push(
                        cx,
                        out,
                        f,
                        Some(read),
                        c.loc,
                        &field,
                        &format!("`{}` sets `{field}` from `{obj}.{field}`", c.callee),
                    );
                    continue;
                }
            }
        }
        if cx.language == Language::Java {
            // E. Java setter: `account.setBalance(account.getBalance().subtract(x))`, then
            // `repository.save(account)` (or the dirty check of a @Transactional method).
            if let Some((obj, field, setter)) = java_setter(f) {
                let transactional = f.decorators.iter().any(|d| d.starts_with("Transactional"));
                let write = save_of(f, &obj, setter.loc.end)
                    .map(|c| c.loc)
                    .or_else(|| transactional.then_some(setter.loc));
                if let Some(write) = write {
                    let read = load_of(f, &obj, setter.loc.start).unwrap_or(setter.loc);
                    push(
                        cx,
                        out,
                        f,
                        Some(read),
                        write,
                        &field,
                        &format!("`{}` set from `{obj}.get{field}()`", setter.callee),
                    );
                    continue;
                }
            }
        }
        // C. Key-value store: `n = cache.get(k)` then `cache.set(k, n + 1)`.
        for a in &f.assigns {
            let Some(get) = f.calls.iter().find(|c| {
                a.loc.contains(&c.loc)
                    && matches!(c.method.to_ascii_lowercase().as_str(), "get" | "hget")
                    && !c.receiver.is_empty()
            }) else {
                continue;
            };
            let bound: Vec<&String> = a
                .names
                .iter()
                .filter(|n| !matches!(n.as_str(), "_" | "err" | "ok"))
                .collect();
            let Some(n) = bound.first().copied() else {
                continue;
            };
            // One step of derivation: `likes = Long.parseLong(current)`, or the arithmetic
            // itself: `total = Long.parseLong(current) + points`.
            let mut names = vec![n.clone()];
            let mut derived_arith = false;
            if cx.language != Language::Python {
                for b in &f.assigns {
                    if b.loc.start > a.loc.end && mentions(&b.value, n) {
                        names.extend(b.names.iter().cloned());
                        // In a shared store; a process-local map changed without an await
                        // between is not raced by other requests of an event loop.
                        derived_arith |= (b.value.has(" + ") || b.value.has(" - "))
                            && super::cache_calls::cache_receiver(&get.receiver, cx);
                    }
                }
            }
            let set = f.calls.iter().find(|c| {
                c.loc.start > a.loc.end
                    && c.receiver == get.receiver
                    && matches!(
                        c.method.to_ascii_lowercase().as_str(),
                        "set" | "hset" | "setex"
                    )
                    // A quoted key (`'new-releases'`) names no variable, whatever dashes it has.
                    && c.args.iter().filter(|x| !quoted_literal(&x.text)).any(|x| {
                        names.iter().any(|n| mentions(&x.text, n))
                            && (x.text.contains('+') || x.text.contains('-') || derived_arith)
                    })
            });
            if let Some(set) = set {
                push(
                    cx,
                    out,
                    f,
                    Some(a.loc),
                    set.loc,
                    n,
                    &format!(
                        "`{}` read with `{}` and written back with `{}`",
                        n, get.callee, set.callee
                    ),
                );
                break;
            }
        }
    }
}
