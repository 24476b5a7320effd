//! # n-plus-one
//!
//! ## What it does
//! Flags a database query (a SQL `SELECT`, an ORM `get`/`filter`/`findUnique`/`findOne`/
//! `findByPk`) or an outbound HTTP request made inside a loop over rows or a collection, once
//! per element, with the loop variable as its parameter. Loop callbacks count as loops
//! (`rows.map(async r => …)`, `Promise.all(ids.map(…))`, comprehensions).
//!
//! ## Why is this bad at scale
//! One page of 20 orders makes 21 queries in development and nobody notices. In production the
//! list has 2,000 rows, each query pays a network round trip and a pool checkout, and the page
//! takes seconds while holding a connection the whole time. `Promise.all` over the rows does
//! not help: it sends N queries at once and drains the connection pool for everyone else.
//!
//! ## Example
//! ```python
//! orders = Order.objects.filter(status="open")
//! for order in orders:
//!     customer = Customer.objects.get(id=order.customer_id)
//!     rows.append((order.id, customer.name))
//! ```
//!
//! ## Use instead
//! Fetch all related rows in one query and join in memory, or let the ORM join:
//! ```python
//! orders = Order.objects.filter(status="open").select_related("customer")
//! # or
//! customers = Customer.objects.in_bulk([o.customer_id for o in orders])
//! ```
//! SQL: `WHERE id = ANY($1)` / `WHERE id IN (…)`; Prisma `include:` or `{ id: { in: ids } }`;
//! Sequelize `include`; SQLAlchemy `joinedload`/`selectinload`. The rule is silent for batched
//! lookups, for loops that do not pass the element to the query (retries, polling), and for
//! counted loops (`range(n)`).
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java (any language whose calls and loops are lowered),
//! and SQL strings inside them.

use super::queries::{classify, loop_context, mentions, LoopCtx, Query};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function};
use crate::analyzer::{Finding, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "n-plus-one";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Query or HTTP call per row (N+1)",
    what_it_does: "Flags a database query (SQL SELECT, ORM get/filter/findUnique/findOne/findByPk) or an outbound HTTP request made inside a loop over rows or a collection, once per element, with the loop variable as its parameter. Loop callbacks count (rows.map(async r => …), Promise.all(ids.map(…)), comprehensions).",
    why_bad_at_scale: "One page of 20 orders makes 21 queries in development and nobody notices. In production the list has 2,000 rows, each query pays a network round trip and a pool checkout, and the page takes seconds while holding a connection. Promise.all over the rows does not help: it fires N queries at once and drains the connection pool for everyone else.",
    example: "orders = Order.objects.filter(status=\"open\")\nfor order in orders:\n    customer = Customer.objects.get(id=order.customer_id)\n    rows.append((order.id, customer.name))",
    use_instead: "orders = Order.objects.filter(status=\"open\").select_related(\"customer\")\n# or\ncustomers = Customer.objects.in_bulk([o.customer_id for o in orders])\n\nSQL: WHERE id = ANY($1) / WHERE id IN (…); Prisma include: or { id: { in: ids } }; Sequelize include; SQLAlchemy joinedload/selectinload.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// A batched lookup in an ORM call's arguments.
fn batched_args(c: &Call) -> bool {
    let t = c.args_text();
    [
        "__in", "in:", "[Op.in]", "$in", "whereIn", "In(", "in_(", "any_(",
    ]
    .iter()
    .any(|k| t.contains(k))
        || c.callee.contains("whereIn")
        || c.callee.contains("in_bulk")
}

/// Names that carry the loop variable into the call: the loop variables and locals assigned
/// from them inside the loop (`uid = row["user_id"]`).
fn carried_names(f: &Function, lp: &LoopCtx) -> Vec<String> {
    let mut names = lp.vars.clone();
    for a in &f.assigns {
        if lp.loc.contains(&a.loc) && names.iter().any(|n| mentions(&a.value, n)) {
            names.extend(a.names.iter().cloned());
        }
    }
    names
}

fn per_row(c: &Call, names: &[String], cx: &Ctx) -> bool {
    let args = c.args_text();
    let callee_args = cx.text(&c.loc);
    names.iter().any(|n| mentions(&args, n))
        // `session.query(User).filter(User.id == row.user_id).first()`: the argument sits in
        // an inner call of the chain.
        || names.iter().any(|n| mentions(callee_args, n))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    // One finding per loop: the first per-row query in it; the others are counted.
    let mut by_loop: BTreeMap<usize, (usize, usize, Query, LoopCtx, usize)> = BTreeMap::new();
    let mut seen_lines = Vec::new();
    for (fi, f) in cx.program.functions.iter().enumerate() {
        for (ci, c) in f.calls.iter().enumerate() {
            if c.loop_depth == 0 {
                continue;
            }
            let Some(q) = classify(f, c) else { continue };
            let ok = match &q {
                Query::Sql(s) => s.kind == crate::analyzer::sql::SqlKind::Select && !s.batched(),
                Query::Orm { .. } => !batched_args(c),
                Query::Http { .. } => {
                    // Reads only: a POST per item is a notification fan-out, not a lookup.
                    let m = c.method.as_str();
                    let args = c.args_text();
                    !matches!(m, "post" | "put" | "patch" | "delete")
                        && !args.contains("method:")
                        && !args.contains("method=")
                }
            };
            if !ok {
                continue;
            }
            let Some(lp) = loop_context(cx, fi, c) else {
                continue;
            };
            // The call must not itself produce the iterated rows (`for r in cur.execute(…)`).
            if lp.iter.contains(cx.text(&c.loc)) {
                continue;
            }
            let names = carried_names(f, &lp);
            if !per_row(c, &names, cx) {
                continue;
            }
            let line = c.loc.span.start_line;
            // Nested calls of one chain (`X.objects.filter(…).first()`) are one query.
            if seen_lines.contains(&line) {
                continue;
            }
            seen_lines.push(line);
            by_loop
                .entry(lp.loc.start)
                .and_modify(|e| e.4 += 1)
                .or_insert((fi, ci, q, lp, 1));
        }
    }
    for (fi, ci, q, lp, count) in by_loop.into_values() {
        let c = &cx.program.functions[fi].calls[ci];
        let line = c.loc.span.start_line;
        let loop_line = lp.header.span.start_line;
        let var = lp.vars.first().cloned().unwrap_or_default();
        let what = match &q {
            Query::Sql(s) => format!("`{}` ({:?} on `{}`)", c.callee, s.kind, s.table)
                .replace("Select", "SELECT"),
            Query::Orm { .. } => format!("`{}`", c.callee),
            Query::Http { .. } => format!("HTTP request `{}`", c.callee),
        };
        let more = if count > 1 {
            format!(" (and {} more per-row call(s) in the same loop)", count - 1)
        } else {
            String::new()
        };
        let message = format!(
            "{what} at line {line} runs once per `{var}` of `{}` (loop at line {loop_line}){more}: N rows cost N+1 round trips.",
            lp.iter
        );
        let fix = match &q {
            Query::Sql(s) => format!(
                "Load all rows in one query before the loop (`SELECT … FROM {} WHERE id = ANY($1)` / `IN (…)` with the collected ids) and look them up in a dict/Map, or JOIN them into the outer query.",
                s.table
            ),
            Query::Orm { .. } => "Fetch the related rows once: `select_related`/`prefetch_related`/`in_bulk` (Django), `joinedload`/`selectinload` (SQLAlchemy), `include:` or `where: { id: { in: ids } }` (Prisma/Sequelize), then read them from a map in the loop.".to_string(),
            Query::Http { .. } => "Use the API's batch endpoint (one request with all ids), or cache the responses; if there is none, bound the concurrency and add a timeout.".to_string(),
        };
        let mut params = BTreeMap::new();
        params.insert("loop_variable".to_string(), var);
        params.insert("iterable".to_string(), lp.iter.clone());
        params.insert("query_shape".to_string(), q.shape());
        params.insert(
            "kind".to_string(),
            match q {
                Query::Sql(_) => "sql",
                Query::Orm { .. } => "orm",
                Query::Http { .. } => "http",
            }
            .to_string(),
        );
        params.insert("queries_per_row".to_string(), count.to_string());
        params.insert("loop_line".to_string(), loop_line.to_string());
        params.insert("query_line".to_string(), line.to_string());
        let evidence = vec![
            cx.evidence(&lp.header, "loop"),
            cx.evidence(&c.loc, "query"),
        ];
        out.push(finding(
            ID,
            Severity::Warning,
            &c.loc,
            message,
            fix,
            evidence,
            params,
        ));
    }
}
