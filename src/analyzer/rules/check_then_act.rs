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

use super::{Ctx, RuleDoc};
use crate::analyzer::facts::{entity_key, Function, Op, OpKind, Target, WriteGuard};
use crate::analyzer::lower::LineIndex;
use crate::analyzer::sql::SqlKind;
use crate::analyzer::{Evidence, Finding, Severity, Span};
use std::collections::BTreeMap;

pub const ID: &str = "check-then-act";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Check-then-act on shared state",
    what_it_does: "Flags a read of shared state (SQL SELECT, ORM get/findOne, Redis GET, a shared dict or Map looked up across an await) followed, after a decision, by a write of the same thing with nothing that makes the two steps atomic.",
    why_bad_at_scale: "Between the read and the write another request can make the same read. Both see \"free\", both write, both are told they won: two buyers hold one seat, two accounts get one username, stock goes negative. With one user the window never opens; with twenty people clicking in the same second it opens every day.",
    example: "seat = await conn.fetchrow(\"SELECT status FROM seats WHERE id = $1\", seat_id)\nif seat[\"status\"] != \"free\":\n    raise HTTPException(409)\nawait conn.execute(\"UPDATE seats SET status = 'held' WHERE id = $1\", seat_id)",
    use_instead: "status = await conn.execute(\n    \"UPDATE seats SET status = 'held' WHERE id = $1 AND status = 'free'\", seat_id)\nif status == \"UPDATE 0\":\n    raise HTTPException(409)\n\nOr: SELECT … FOR UPDATE inside a transaction, INSERT … ON CONFLICT DO NOTHING with a unique constraint, Redis SET key value NX, or one lock held across both steps.",
    languages: &["python", "javascript", "typescript", "go", "java"],
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

/// Why the pair `read → write` is safe, if it is.
fn guarded(f: &Function, read: &Op, write: &Op) -> bool {
    if f.locked {
        return true;
    }
    f.ops.iter().any(|o| match o.kind {
        OpKind::LockHeld => o.loc.start <= read.loc.start && o.loc.end >= write.loc.end,
        // The database arbitrates when a unique violation raised at (or after) the write,
        // e.g. by the commit that flushes it, is handled.
        OpKind::UniqueHandled => o.loc.end >= write.loc.end && o.loc.start > read.loc.start,
        OpKind::Serializable => true,
        _ => false,
    })
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

fn fix_for(target: &Target, write: &Op) -> String {
    let insert =
        matches!(&write.kind, OpKind::Write { sql: Some(s), .. } if s.kind == SqlKind::Insert);
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

fn finding(f: &Function, read: &Op, write: &Op, lines: &LineIndex) -> Finding {
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
    let into = match binds.as_slice() {
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
        fix: fix_for(target, write),
        evidence,
        params,
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let lines = cx.lines;
    for f in &cx.program.functions {
        let mut flagged_reads = Vec::new();
        for (wi, write) in f.ops.iter().enumerate() {
            let OpKind::Write {
                target: wt, guard, ..
            } = &write.kind
            else {
                continue;
            };
            if *guard != WriteGuard::None {
                continue;
            }
            // The latest earlier read of the same thing that a decision depends on.
            let read = f.ops[..wi].iter().rev().find(|r| {
                let OpKind::Read {
                    target: rt,
                    locking,
                    binds,
                    ..
                } = &r.kind
                else {
                    return false;
                };
                if *locking || r.loc.end > write.loc.start || !same_target(rt, binds, wt) {
                    return false;
                }
                let decided = f.ops.iter().any(|b| {
                    b.kind == OpKind::Branch
                        && b.loc.start < write.loc.start
                        && b.loc.end > r.loc.start
                });
                // A shared map only races when the handler yields between check and set.
                let yields = !matches!(rt, Target::Map(_))
                    || f.ops.iter().any(|a| {
                        a.kind == OpKind::Await
                            && between(r, write, a)
                            && !a.loc.contains(&write.loc)
                    });
                decided && yields
            });
            let Some(read) = read else { continue };
            if guarded(f, read, write) || flagged_reads.contains(&read.loc.start) {
                continue;
            }
            flagged_reads.push(read.loc.start);
            out.push(finding(f, read, write, lines));
        }
    }
}
