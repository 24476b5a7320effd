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
//! Python, JavaScript, TypeScript, Go, Java, and SQL strings inside them.

use super::queries::{call_sql, mentions};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Function, Loc, OpKind};
use crate::analyzer::sql::SqlKind;
use crate::analyzer::{Finding, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "lost-update";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Lost update (read-modify-write)",
    what_it_does: "Flags a read-modify-write of a number or state (balance, stock, counter, version, …) where the new value is computed in the application from a value read earlier and written back as an absolute value: UPDATE accounts SET balance = $1 after SELECT balance, account.balance -= amount; account.save(), n = cache.get(k); cache.set(k, n + 1).",
    why_bad_at_scale: "Two requests read the same balance of $100, one subtracts $50 and the other $75, and each writes its own result: the last write wins, both payments succeed, and $125 left an account that had $100. Nothing fails and nothing is logged; the numbers just stop adding up, more often as traffic grows.",
    example: "row = await conn.fetchrow(\"SELECT balance FROM accounts WHERE id = $1\", account_id)\nnew_balance = row[\"balance\"] - amount\nawait conn.execute(\"UPDATE accounts SET balance = $1 WHERE id = $2\", new_balance, account_id)",
    use_instead: "row = await conn.fetchrow(\n    \"UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance\",\n    amount, account_id)\nif row is None:\n    raise HTTPException(409, \"Insufficient funds\")\n\nOr SELECT … FOR UPDATE in a transaction, a version check (WHERE version = $n), F(\"balance\") - amount, increment/decrement, $inc, Redis INCRBY.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// Columns and fields that hold a quantity or a version.
fn numeric_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "balance",
        "stock",
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
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Something in the function that makes the read-modify-write safe.
fn guarded(cx: &Ctx, f: &Function) -> bool {
    if f.locked
        || f.ops
            .iter()
            .any(|o| matches!(o.kind, OpKind::LockHeld | OpKind::Serializable))
    {
        return true;
    }
    let body = cx.text(&f.loc);
    [
        "FOR UPDATE",
        "for update",
        "select_for_update",
        "with_for_update",
        "pessimistic_write",
        "lock: true",
        "LOCK.UPDATE",
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
    ]
    .iter()
    .any(|k| body.contains(k))
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
    let message = format!(
        "`{field}` is {read_part}written back at line {wl} in `{}` as a value computed in the application ({how}): two concurrent requests both read the old value and the second write erases the first.",
        f.name
    );
    let fix = format!(
        "Do the arithmetic in one atomic statement: `SET {field} = {field} - $1` (with `AND {field} >= $1` if it must not go negative), `F(\"{field}\")`, `increment`/`decrement`, `$inc` or Redis `INCRBY`; or lock the row with `SELECT … FOR UPDATE` / check a version column."
    );
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

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    for f in &cx.program.functions {
        if guarded(cx, f) {
            continue;
        }
        let mut done = false;
        // A. SQL: SELECT of a table, then UPDATE of it with `SET col = <param>`.
        for c in &f.calls {
            let Some(s) = call_sql(f, c) else { continue };
            if s.kind != SqlKind::Update || done {
                continue;
            }
            let Some(set) = s
                .sets
                .iter()
                .find(|x| x.from_param && !x.relative && numeric_field(&x.column))
            else {
                continue;
            };
            // A version or old-value check in the WHERE makes it optimistic.
            if s.predicates.iter().any(|p| {
                p.column == set.column || p.column.contains("version") || p.column == "updated_at"
            }) {
                continue;
            }
            let read = f.calls.iter().find(|r| {
                r.loc.end <= c.loc.start
                    && call_sql(f, r).is_some_and(|rs| {
                        rs.kind == SqlKind::Select
                            && !rs.locking
                            && rs
                                .tables
                                .iter()
                                .any(|t| entity_key(t) == entity_key(&s.table))
                    })
            });
            let Some(read) = read else { continue };
            // The written value comes from arithmetic in the application.
            let between = cx.source.get(read.loc.end..c.loc.end).unwrap_or("");
            let arithmetic = between.contains(" - ")
                || between.contains(" + ")
                || between.contains("-=")
                || between.contains("+=");
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
                &format!(
                    "`UPDATE {} SET {} = …` with a value computed from the earlier read",
                    s.table, set.column
                ),
            );
        }
        if done {
            continue;
        }
        // B. ORM: `obj.balance -= x` / `obj.stock = obj.stock - 1`, then save()/commit().
        for a in &f.assigns {
            let Some((obj, field)) = a.target.rsplit_once('.') else {
                continue;
            };
            if !numeric_field(field) || obj.contains('(') {
                continue;
            }
            let line = cx.lines.line_text(a.loc.span.start_line);
            let augmented = line.contains("-=") || line.contains("+=");
            let self_ref = mentions(&a.value, field)
                && mentions(&a.value, obj.rsplit('.').next().unwrap_or(obj));
            let value_arith = a.value.contains('-') || a.value.contains('+');
            if !(augmented || self_ref && value_arith) {
                continue;
            }
            let saved = f.calls.iter().find(|c| {
                c.loc.start > a.loc.end
                    && (matches!(c.method.as_str(), "save" | "commit" | "flush" | "update")
                        && (c.receiver == obj
                            || c.receiver.ends_with("session")
                            || c.method == "commit"))
            });
            let Some(saved) = saved else { continue };
            push(
                cx,
                out,
                f,
                Some(a.loc),
                saved.loc,
                field,
                &format!("`{}` changed in memory and saved", a.target),
            );
            done = true;
            break;
        }
        if done {
            continue;
        }
        // C. Key-value store: `n = cache.get(k)` then `cache.set(k, n + 1)`.
        for a in &f.assigns {
            let Some(get) = f.calls.iter().find(|c| {
                a.loc.contains(&c.loc)
                    && matches!(c.method.as_str(), "get" | "hget")
                    && !c.receiver.is_empty()
            }) else {
                continue;
            };
            let Some(n) = a.names.first() else { continue };
            let set = f.calls.iter().find(|c| {
                c.loc.start > a.loc.end
                    && c.receiver == get.receiver
                    && matches!(c.method.as_str(), "set" | "hset" | "setex")
                    && c.args.iter().any(|x| {
                        mentions(&x.text, n) && (x.text.contains('+') || x.text.contains('-'))
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
