//! # unbounded-query
//!
//! ## What it does
//! Flags a list query on a table that grows with use (orders, events, logs, messages, users,
//! …) that has no row bound and whose result a request handler returns to the client: a SQL
//! `SELECT` without `LIMIT`/`TOP`/`FETCH FIRST`, Django `objects.all()`/`filter()` without a
//! slice or paginator, SQLAlchemy `.all()` without `.limit()`, Prisma `findMany` without
//! `take`, Sequelize `findAll` without `limit`, TypeORM `find` without `take`, Mongoose `find`
//! without `.limit()`. In a SQL file, any such `SELECT` on a growing table.
//!
//! ## Why is this bad at scale
//! In development the table has 30 rows and the page is instant. A year later it has three
//! million: every request reads them all, serializes them to JSON, and ships megabytes to the
//! browser; memory spikes, the database does a full scan, and the endpoint times out. The
//! query did not change, only the data did.
//!
//! ## Example
//! ```python
//! @app.get("/orders")
//! def orders():
//!     rows = db.execute("SELECT * FROM orders WHERE user_id = %s ORDER BY created_at DESC", (uid,))
//!     return jsonify([dict(r) for r in rows])
//! ```
//!
//! ## Use instead
//! Bound every list the client can ask for, and page through the rest:
//! ```python
//! rows = db.execute(
//!     "SELECT * FROM orders WHERE user_id = %s AND created_at < %s"
//!     " ORDER BY created_at DESC LIMIT 50", (uid, cursor))
//! ```
//! The rule is silent with `LIMIT`/`TOP`/`FETCH FIRST`, `.limit()`/`take:`/`[:n]`,
//! `paginate`/`Paginator`/cursor pagination, single-row aggregates (`COUNT(*)` without
//! `GROUP BY`), lookups by primary or unique key, and `.first()`/`findUnique`/`fetchone`.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, and SQL (files and strings).

use super::queries::{
    chain_end, gorm_read, grows, in_handler, mentions, newest_first, query_sql, returned_line,
    spring_repo_read, statement_loc,
};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function, Loc, OpKind};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::sql::{SqlKind, SqlStatement};
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "unbounded-query";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Unbounded query returned to the client",
    what_it_does: "Flags a list query on a table that grows with use (orders, events, logs, messages, users, …) with no row bound, whose result a request handler returns to the client: SELECT without LIMIT/TOP/FETCH FIRST, Django objects.all()/filter() without a slice or paginator, SQLAlchemy .all() without .limit(), Prisma findMany without take, Sequelize findAll without limit, TypeORM find without take, Mongoose find without .limit(). In a SQL file, any such SELECT on a growing table.",
    why_bad_at_scale: "In development the table has 30 rows and the page is instant. A year later it has three million: every request reads them all, serializes them to JSON and ships megabytes to the browser; memory spikes, the database scans, the endpoint times out. The query did not change, only the data did.",
    example: "@app.get(\"/orders\")\ndef orders():\n    rows = db.execute(\"SELECT * FROM orders WHERE user_id = %s ORDER BY created_at DESC\", (uid,))\n    return jsonify([dict(r) for r in rows])",
    use_instead: "rows = db.execute(\n    \"SELECT * FROM orders WHERE user_id = %s AND created_at < %s\"\n    \" ORDER BY created_at DESC LIMIT 50\", (uid, cursor))\n\nOr .limit()/take:/[:n], paginate/Paginator, cursor pagination.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// Columns that identify one row.
fn unique_column(col: &str) -> bool {
    matches!(
        col,
        "id" | "pk"
            | "uuid"
            | "slug"
            | "sku"
            | "email"
            | "username"
            | "token"
            | "code"
            | "external_id"
            | "barcode"
            | "serial"
            | "serial_number"
            | "vin"
            | "isbn"
    ) || col.ends_with("_uuid")
        || col.ends_with("_token")
        // `board_username`, `contact_email`: a login or address, one row each.
        || col.ends_with("_username")
        || col.ends_with("_email")
        // `idempotency_key`, `api_key`: one row per key.
        || col.ends_with("_key")
}

/// The column lists the text declares unique (`CREATE UNIQUE INDEX … ON t (orchard_id,
/// request_id)`, `UNIQUE (slot_id, member_id)`, a composite `PRIMARY KEY (a, b)`): a query
/// equal-filtered on every column of one reads at most one row. `lower` is lower-cased.
fn declared_unique_keys(lower: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for marker in ["unique", "primary key"] {
        for i in find::find_all(lower, marker) {
            let rest = &lower[i + marker.len()..];
            let Some(open) = rest
                .find('(')
                .filter(|o| *o < 120 && !rest[..*o].contains(';'))
            else {
                continue;
            };
            let Some(close) = rest[open..].find(')') else {
                continue;
            };
            let key: Vec<String> = rest[open + 1..open + close]
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .filter(|c| !c.is_empty())
                .collect();
            let plain = key
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_alphanumeric() || ch == '_'));
            if !key.is_empty() && key.len() <= 4 && plain && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// Stored SQL code: the rows land in variables, a loop variable or a cursor (`SELECT … INTO`,
/// `FOR r IN SELECT`, `CURSOR FOR SELECT`), not in a result sent to a client.
fn into_variables(f: &Function, c: &Call) -> bool {
    f.ops.iter().any(|o| {
        o.loc == c.loc && matches!(&o.kind, OpKind::Read { binds, .. } if !binds.is_empty())
    })
}

/// The line items of one order, invoice or cart (`order_items WHERE order_id = $1`): parts of
/// one document, a handful per parent, unlike the messages of a channel or the events of a user.
fn parts_of_one(table: &str, parent_filtered: bool) -> bool {
    let k = crate::analyzer::facts::entity_key(table);
    parent_filtered
        && [
            "item",
            "line",
            "lineitem",
            // The photos of a listing, the stops of a route, the variants of a product.
            "photo",
            "image",
            "attachment",
            "stop",
            "variant",
            "option",
            "step",
        ]
        .iter()
        .any(|p| k.ends_with(p))
}

/// `day >= $2 AND day < $3`: a window between two bounds the caller passes on a time column.
fn time_window(s: &SqlStatement) -> bool {
    let timeish = |c: &str| {
        c == "day"
            || c == "date"
            || c == "month"
            || c.ends_with("_at")
            || c.ends_with("_date")
            || c.ends_with("_on")
            || c == "ts"
            || c.ends_with("_day")
    };
    // Or one day's rows (`WHERE day = ?::date`), or a recent window.
    s.range_on(timeish)
        || s.predicates
            .iter()
            .any(|p| (p.recent || p.op == "=") && timeish(&p.column))
}

fn sql_unbounded(s: &SqlStatement) -> bool {
    let by_parent = s
        .predicates
        .iter()
        .any(|p| p.op == "=" && p.column.ends_with("_id"));
    if parts_of_one(&s.table, by_parent) {
        return false;
    }
    // `match_maps WHERE match_id = $1`: the children of one parent, named after it, that are
    // not themselves a kind of row that piles up (maps, seats, rounds; not events or messages).
    if let Some((parent, child)) = s.table.split_once('_') {
        let of_parent = s
            .predicates
            .iter()
            .any(|p| p.op == "=" && !p.batched && p.column == format!("{parent}_id"));
        if of_parent && !grows(child) {
            return false;
        }
    }
    // Aggregates grouped by a category (status, plan, month, country) return one row per
    // group; grouped by a record's id they return one row per record.
    let per_group = !s.aggregates.is_empty()
        && s.group_by
        && !s.group_columns.iter().any(|c| {
            c == "id"
                || c.ends_with("_id")
                || c.ends_with("uuid")
                || c == "email"
                || c == "username"
        });
    // `SELECT 1 FROM … WHERE …`: an existence test, whatever it matches; it returns no
    // column.
    let existence = s.columns.is_empty() && s.aggregates.is_empty();
    s.kind == SqlKind::Select
        && !existence
        && s.limit.is_none()
        && !time_window(s)
        && !s.single_row_aggregate()
        && !per_group
        && !s.locking
        && !s
            .predicates
            .iter()
            .any(|p| (p.op == "=" || p.batched) && unique_column(&p.column))
        // `ticket_id = ANY($2)`: the rows of a page of parents the caller already holds (the
        // batched fix for N+1), not a whole table.
        && !s
            .predicates
            .iter()
            .any(|p| p.batched && p.column.ends_with("_id"))
        // Grouped per record, the rows are the records of the FROM table (`episodes` with
        // their counts of `downloads`), however large the joined table is.
        && if s.group_by && !s.aggregates.is_empty() {
            // Grouped by another record's key (`rentals GROUP BY start_station_id`), there is
            // one row per station: it is the stations that must grow.
            let other = s.group_columns.iter().find_map(|c| {
                let stem = c.strip_suffix("_id")?;
                (crate::analyzer::facts::entity_key(stem)
                    != crate::analyzer::facts::entity_key(&s.table))
                .then_some(stem)
            });
            match other {
                Some(stem) => grows(stem),
                None => grows(&s.table),
            }
        } else {
            s.time_ordered || s.tables.iter().any(|t| grows(t))
        }
}

/// Markers of a bound, a single-row read or pagination in an ORM chain's text.
const BOUNDED: [&str; 26] = [
    ".limit(",
    "[:",
    "[0:",
    "take:",
    "take(",
    "limit:",
    ".first(",
    ".get(",
    ".one(",
    ".one_or_none(",
    ".scalar(",
    ".count(",
    ".exists(",
    ".aggregate(",
    ".paginate(",
    "paginate(",
    ".page(",
    ".slice(",
    "[offset",
    ".fetchone(",
    ".fetchmany(",
    ".findOne",
    ".findUnique",
    ".findFirst",
    ".countDocuments(",
    "cursor:",
];

/// A callee without its arguments: `A.filter(x.get(1)).order_by` → `A.filter().order_by`.
fn skeleton(callee: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in callee.chars() {
        match ch {
            '(' => {
                if depth == 0 {
                    out.push('(');
                }
                depth += 1;
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    out.push(')');
                }
            }
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Go and Java list reads [`orm_list`] does not know: GORM `Find(&rows)`, Spring Data
/// `findAll()` / `findAllBy…` / `findBy…OrderBy…` without a `Pageable`, `Top`/`First` or a
/// `Limit`, and TypeORM `createQueryBuilder(…)….getMany()` without `take`/`limit`.
fn extra_list(cx: &Ctx, f: &Function, c: &Call) -> Option<String> {
    let end = chain_end(f, c);
    let skel = skeleton(&end.callee).to_ascii_lowercase();
    let args = format!("{} {}", c.args_text(), end.args_text());
    match cx.language {
        Language::Go => {
            let (dest, m) = gorm_read(c)?;
            if m != "Find"
                || [".limit(", "paginat", ".scopes(", ".group("]
                    .iter()
                    .any(|k| skel.has(k) || c.callee.to_ascii_lowercase().has(k))
            {
                return None;
            }
            // `var logs []AuditLog` names the model.
            let decl = format!("var {dest} []");
            let model = cx
                .source
                .find(&decl)
                .and_then(|i| cx.source.get(i + decl.len()..))
                .map(|t| {
                    t.chars()
                        .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == '.')
                        .collect::<String>()
                })
                .map(|t| t.rsplit('.').next().unwrap_or(&t).to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or(dest);
            (grows(&model) || newest_first(cx.text(&end.loc))).then_some(model)
        }
        Language::Java => {
            let (repo, m) = spring_repo_read(cx, c)?;
            // `findAllById(ids)` fetches the rows of ids the caller already holds.
            let list = m == "findAll"
                || m.starts_with("findAllBy") && !m.starts_with("findAllById")
                || m.starts_with("streamAllBy")
                || m.starts_with("findBy") && m.has("OrderBy");
            let bounded = m.has("Top")
                || m.has("First")
                || [
                    "Pageable",
                    "pageable",
                    "PageRequest",
                    "Limit.of",
                    "ScrollPosition",
                    "page",
                ]
                .iter()
                .any(|k| args.has(k));
            if !list || bounded {
                return None;
            }
            let model = repo
                .trim_end_matches("Repository")
                .trim_end_matches("repository")
                .trim_end_matches("Repo")
                .to_string();
            // `messageRepository` → `message`; a bare `orders` field keeps its name.
            let model = if model.is_empty() { repo } else { model };
            (grows(&model) || newest_first(&m)).then_some(model)
        }
        Language::TypeScript | Language::JavaScript => {
            if c.method != "createQueryBuilder"
                || !matches!(end.method.as_str(), "getMany" | "getRawMany" | "stream")
                || [".take(", ".limit(", ".groupby("]
                    .iter()
                    .any(|k| skel.has(k))
            {
                return None;
            }
            // An aggregate per group (`SUM(o.total)` … `groupBy`) is as long as the groups.
            let chain_text = cx.text(&end.loc).to_ascii_uppercase();
            if ["SUM(", "COUNT(", "AVG(", "MAX(", "MIN("]
                .iter()
                .any(|k| chain_text.has(k))
            {
                return None;
            }
            let recv = c.receiver.as_str();
            let model = if let Some(i) = recv.rfind("getRepository(") {
                recv[i + 14..].split(')').next().unwrap_or("").to_string()
            } else {
                recv.rsplit('.').next().unwrap_or(recv).to_string()
            };
            let alias = c
                .args
                .first()
                .and_then(|a| a.string.clone())
                .unwrap_or_default();
            let model = if grows(&model) { model } else { alias };
            grows(&model).then_some(model)
        }
        _ => None,
    }
}

/// The condition strings of a GORM chain's `Where("…", …)` calls, as written.
fn where_conditions(chain: &str) -> Vec<&str> {
    chain
        .match_indices("Where(")
        // `.Where(`, also after a line break (`.\n\t\tWhere(`).
        .filter(|(i, _)| chain[..*i].trim_end().ends_with('.'))
        .filter_map(|(i, m)| {
            let rest = chain[i + m.len()..].trim_start();
            let q = rest.strip_prefix('"').or_else(|| rest.strip_prefix('`'))?;
            q.find(['"', '`']).map(|end| &q[..end])
        })
        .collect()
}

/// Go: where the rows of call `c` reach the response: the variables they land in (the
/// assignment, a `&dest` argument, `rows.Scan(&o.ID)` into `o`, `append(out, o)`), then a
/// `json.NewEncoder(w).Encode(…)`, `c.JSON(…)`, `render.JSON(…)` or `w.Write(…)` of them.
fn go_returned_line(f: &Function, c: &Call) -> Option<usize> {
    let end = chain_end(f, c);
    let mut names: Vec<String> = f
        .assigns
        .iter()
        .filter(|a| a.loc.contains(&c.loc))
        .flat_map(|a| a.names.iter().cloned())
        .filter(|n| !matches!(n.as_str(), "err" | "_" | "ok"))
        .collect();
    for a in c.args.iter().chain(end.args.iter()) {
        if let Some(d) = a.text.trim().strip_prefix('&') {
            names.push(d.split(['.', '[']).next().unwrap_or(d).to_string());
        }
    }
    let mut k = 0;
    while k < names.len() && names.len() < 16 {
        let n = names[k].clone();
        for o in &f.calls {
            if o.loc.start > c.loc.end && o.receiver == n && o.method.ends_with("Scan") {
                for a in &o.args {
                    let t = a.text.trim().trim_start_matches('&');
                    let v = t.split(['.', '[']).next().unwrap_or(t).to_string();
                    if !v.is_empty() && !names.contains(&v) {
                        names.push(v);
                    }
                }
            }
        }
        for a in &f.assigns {
            if a.loc.start > c.loc.end && uses_rows(&a.value, &n) {
                for x in &a.names {
                    if !names.contains(x) && !matches!(x.as_str(), "err" | "_" | "ok") {
                        names.push(x.clone());
                    }
                }
            }
        }
        k += 1;
    }
    // Rows written one by one as they are ranged over (`for _, rec := range records {
    // w.Write([]string{rec.RingNumber, …}) }`): the loop variable inside its own loop.
    let per_row: Vec<(&str, &Loc)> = f
        .loop_facts
        .iter()
        .filter(|l| l.whole.start > c.loc.end && names.iter().any(|n| mentions(&l.iterable, n)))
        .flat_map(|l| {
            l.var
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty() && *v != "_")
                .map(move |v| (v, &l.body))
        })
        .collect();
    f.calls
        .iter()
        .find(|o| {
            o.loc.start > c.loc.end
                && matches!(
                    o.method.as_str(),
                    "Encode" | "JSON" | "IndentedJSON" | "PureJSON" | "JSONP" | "Write" | "Render"
                )
                && (names.iter().any(|n| uses_rows(&o.args_text(), n))
                    || matches!(o.method.as_str(), "Encode" | "Write")
                        && per_row
                            .iter()
                            .any(|(v, body)| body.contains(&o.loc) && mentions(&o.args_text(), v)))
        })
        .map(|o| o.loc.span.start_line)
}

/// Go: the line of a service method that returns the out-parameter call `c` scanned into
/// (`SelectContext(ctx, &outings, …)`, then `return outings, nil`).
fn go_returned_dest_line(cx: &Ctx, f: &Function, c: &Call) -> Option<usize> {
    if cx.language != Language::Go {
        return None;
    }
    let body = cx.text(&f.loc);
    c.args.iter().find_map(|a| {
        let d = a.text.trim().strip_prefix('&')?;
        let at = body
            .find(&format!("return {d},"))
            .or_else(|| body.find(&format!("return {d}\n")))?;
        Some(cx.lines.position(f.loc.start + at).0)
    })
}

/// `text` uses the rows held in `name`, not only how many there are (`len(emails)` in a
/// `{"sent": n, "total": len(emails)}` response returns a number, not the rows).
fn uses_rows(text: &str, name: &str) -> bool {
    mentions(&text.replace(&format!("len({name})"), " "), name)
}

/// An unbounded ORM list read: the model and the chain's text.
fn orm_list(cx: &Ctx, f: &Function, c: &Call) -> Option<String> {
    let end = chain_end(f, c);
    let chain = cx.text(&end.loc);
    // The bound may follow the chain: `Order.objects.filter(…)[:50]`.
    let after: String = cx
        .source
        .get(end.loc.end..)
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    let skeleton = format!("{}()", skeleton(&end.callee));
    let args = format!("{} {}", c.args_text(), end.args_text());
    // `values("status").annotate(n=Count("id"))`: one row per group, not per record.
    // SQLAlchemy `select(…).group_by(…)`: one row per group too.
    let grouped = skeleton.has(".values(") && skeleton.has(".annotate(") || chain.has(".group_by(");
    // `{ where, limit, offset }`: the bound as a shorthand property.
    let compact: String = args.split_whitespace().collect();
    let shorthand = ["limit", "take"].iter().any(|k| {
        [",", "{"].iter().any(|a| {
            [",", "}"]
                .iter()
                .any(|z| compact.has(&format!("{a}{k}{z}")))
        })
    });
    // `qs = Filing.objects.filter(…)` … `filings = qs[(page - 1) * 50 : page * 50]`: the
    // variable is sliced or paginated later in the function.
    let paged_later = f
        .assigns
        .iter()
        .find(|a| a.loc.contains(&end.loc) && a.names.len() == 1)
        .is_some_and(|a| {
            let v = &a.names[0];
            let rest = cx.source.get(a.loc.end..f.loc.end).unwrap_or("");
            rest.has(&format!("{v}[")) || rest.has(&format!("Paginator({v}"))
        });
    if grouped
        || shorthand
        || paged_later
        || BOUNDED.iter().any(|b| skeleton.has(b))
        || ["take:", "limit:", "cursor:", "take ="]
            .iter()
            .any(|k| args.has(k))
        // TypeORM `slotStart: Between(start, endOfDay(start))`: one day's or week's rows.
        || args.has("Between(")
        // SQLAlchemy `extract("year", Inspection.inspected_at) == year`: one year's rows.
        || ["extract(\"year\"", "extract('year'", "extract(\"month\"", "extract('month'"]
            .iter()
            .any(|k| chain.has(k))
        || after.trim_start().starts_with('[')
    {
        return None;
    }
    let resolved = resolve_query_var(f, c);
    let callee = resolved.as_deref().unwrap_or(c.callee.as_str());
    let m = c.method.as_str();
    let model = if let Some((model, _)) = callee.split_once(".objects") {
        // Django
        matches!(
            m,
            "all" | "filter" | "exclude" | "order_by" | "values" | "values_list"
        )
        .then(|| model.rsplit('.').next().unwrap_or(model).to_string())
    } else if callee.has("query(") || callee.has(".query.") {
        // SQLAlchemy session.query(X)….all() / X.query.all()
        if end.method != "all" {
            return None;
        }
        let m = if let Some(i) = callee.find("query(") {
            callee[i + 6..]
                .split([')', ',', '.'])
                .next()
                .map(str::to_string)
        } else {
            callee
                .split(".query.")
                .next()
                .map(|s| s.rsplit('.').next().unwrap_or(s).to_string())
        };
        m
    } else if callee.has("select(") && end.method == "all" {
        // session.execute(select(Order)).scalars().all(); the bound sits inside the
        // statement: `db.scalars(select(T).where(…).limit(100)).all()`.
        let inner = end.callee.to_ascii_lowercase();
        if [".limit(", ".offset(", ".fetch(", ".slice("]
            .iter()
            .any(|k| inner.has(k))
        {
            return None;
        }
        let i = callee.find("select(")?;
        callee[i + 7..]
            .split([')', ',', '.'])
            .next()
            .map(str::to_string)
    } else {
        let recv = c.receiver.rsplit('.').next().unwrap_or(&c.receiver);
        let capital = recv
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_uppercase());
        let repo = recv.ends_with("Repository") || recv.ends_with("Repo") || recv.ends_with("repo");
        let prisma = callee.starts_with("prisma.")
            || callee.has(".prisma.")
            || callee.starts_with("db.")
            || callee.starts_with("tx.");
        // Knex: `db('orders').select(…)` / `.where(…)` with no `.limit`/`.first` in the chain.
        let knex = super::queries::knex_read(c).filter(|_| {
            ![".limit(", ".first(", ".paginate(", ".count(", ".sum("]
                .iter()
                .any(|k| skeleton.has(k))
                && !batched_by_key(chain)
                && !matches!(m, "first" | "count" | "sum" | "pluck")
        });
        if let Some((table, _)) = knex {
            Some(table)
        } else {
            let mongo = super::queries::mongo_collection(c);
            let list = match m {
                "find" if mongo.is_some() => true,
                "findMany" => prisma || capital || repo,
                "findAll" | "findAndCountAll" => capital || repo,
                "find" | "findBy" => {
                    (capital || repo
                        // TypeORM's options object: `this.timeEntries.find({ where: … })`.
                        || c.args.first().is_some_and(|a| {
                            let t = a.text.trim_start();
                            t.starts_with('{') && t.has("where")
                        }))
                        && !c.args_text().has("=>")
                }
                _ => false,
            };
            list.then(|| mongo.unwrap_or_else(|| recv.to_string()))
        }
    }?;
    // A lookup by key in the arguments returns one row; keys mapped from a page the handler
    // holds return that page's rows.
    let args = c.args_text().replace(' ', "");
    // (Python keyword arguments are stored without their names: the call's own text has them.)
    if batched_by_key(&args) || batched_by_key(&cx.text(&c.loc).replace(' ', "")) {
        return None;
    }
    // Django's `filter(quote=quote)`: the parent object itself.
    let own = cx.text(&c.loc).replace(' ', "");
    let by_parent_object = own.split(['(', ',']).any(|kw| {
        kw.split_once('=').is_some_and(|(k, v)| {
            !k.is_empty()
                && k.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')
                && (v.split(')').next() == Some(k) || v.starts_with(&format!("{k}.id")))
        })
    });
    if parts_of_one(
        &model,
        args.has("_id:") || args.has("Id:") || args.has("_id=") || by_parent_object,
    ) {
        return None;
    }
    if ["id=", "pk=", "id:", "_id:", "uuid", "slug=", "email="]
        .iter()
        .any(|k| args.starts_with(k) || args.has(&format!(",{k}")) || args.has(&format!("{{{k}")))
    {
        return None;
    }
    (grows(&model) || newest_first(chain)).then_some(model)
}

/// Knex `.whereIn('id', ids)` / `.whereIn('order_id', orderIds)`: the rows for keys the
/// handler already holds (the batched fix for N+1).
fn batched_by_key(chain: &str) -> bool {
    // Sequelize / TypeORM `where: { tableId: tables.map((t) => t.id) }` (an IN list).
    let mapped_key = chain.match_indices(".map(").any(|(i, _)| {
        let before = chain[..i].trim_end();
        let key_part = before.rsplit([',', '{']).next().unwrap_or("");
        key_part.split_once(':').is_some_and(|(k, _)| {
            let k = k.trim().trim_matches(['\'', '"']);
            k == "id" || k.ends_with("Id") || k.ends_with("_id")
        })
    });
    // Django `filter(id__in=ids)`, SQLAlchemy `.where(Customer.id.in_(ids))`: the rows of a
    // page of keys the caller already holds.
    let keys_in = ["id__in=", "pk__in=", ".id.in_(", "_id.in_("]
        .iter()
        .any(|k| chain.has(k));
    mapped_key
        || keys_in
        || chain.match_indices(".whereIn(").any(|(i, _)| {
            let col: String = chain[i + ".whereIn(".len()..]
                .trim_start()
                .trim_start_matches(['\'', '"', '`'])
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let col = col.rsplit('.').next().unwrap_or("");
            col == "id" || col.ends_with("_id")
        })
}

/// `… OR EXISTS (SELECT 1 FROM tickets WHERE …)`: a subquery that only asks whether a row is
/// there.
fn in_exists(cx: &Ctx, c: &Call) -> bool {
    let before = cx.source.get(..c.loc.start).unwrap_or("").trim_end();
    let before = before.strip_suffix('(').unwrap_or(before).trim_end();
    // `get`: the six bytes before may start inside a multi-byte character.
    before
        .get(before.len().saturating_sub(6)..)
        .is_some_and(|w| w.eq_ignore_ascii_case("exists"))
}

/// `q = Order.query.filter_by(org_id=…)`, `q = q.filter_by(status=…)`, then
/// `q.order_by(…).all()`: the call's chain with its query variable written out, so the model
/// shows (`Order.query.filter_by().filter_by().order_by().all`).
fn resolve_query_var(f: &Function, c: &Call) -> Option<String> {
    // Only a terminal `.all()` (asked per call: keep the assignment scans off other calls).
    if c.method != "all" {
        return None;
    }
    let mut callee = c.callee.clone();
    let mut before = c.loc.start;
    let mut changed = false;
    for _ in 0..4 {
        let root: String = callee
            .chars()
            .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
            .collect();
        if root.is_empty() || callee.len() == root.len() {
            break;
        }
        let Some(a) = f
            .assigns
            .iter()
            .rfind(|a| a.loc.end <= before && a.names.len() == 1 && a.names[0] == root)
        else {
            break;
        };
        callee = format!("{}{}", a.value.trim(), &callee[root.len()..]);
        before = a.loc.start;
        changed = true;
    }
    (changed && (callee.has(".query.") || callee.has("query(") || callee.has(".objects.")))
        .then_some(callee)
}

/// A Nest `@Injectable()` service method named for a listing (`listLibrary`, `findAll`,
/// `browse`, `search`): its controller, not in the snippet, hands the rows to the client.
fn listing_service_method(cx: &Ctx, f: &Function) -> bool {
    // `historyForRegion`: every row ever written for it.
    let listing = [
        "list", "all", "findAll", "getAll", "browse", "search", "history",
    ]
    .iter()
    .any(|p| f.name.starts_with(p));
    let nest = matches!(cx.language, Language::TypeScript | Language::JavaScript)
        && cx.source_has("@Injectable(");
    nest && listing || listing_repository_method(cx, f)
}

/// A repository's listing method (`func (r *Repo) ListForClub`, `class OutingRepository: def
/// list_for_club`): a repository exists to hand rows to the handlers that call it.
fn listing_repository_method(cx: &Ctx, f: &Function) -> bool {
    let name = f.name.to_ascii_lowercase();
    // Go `func (r *LeaseRepo) Payments(ctx, harbourID) ([]Payment, error)`, named for the rows
    // it returns, documented as what a page shows ("feeds the Payments received tab").
    let shown = || {
        let doc = cx.comment_above(f.loc.span.start_line).to_ascii_lowercase();
        [
            "tab",
            "page",
            "screen",
            "feed",
            "dashboard",
            "export",
            "json",
            "report",
        ]
        .iter()
        .any(|w| {
            doc.split(|c: char| !c.is_alphanumeric())
                .any(|d| d == *w || d == format!("{w}s"))
        })
    };
    let plural_of_rows = cx.language == Language::Go
        && name.len() > 3
        && name.ends_with('s')
        && cx.text(&f.loc).lines().next().is_some_and(|sig| {
            sig.split_once(") (")
                .and_then(|(_, ret)| ret.trim().strip_prefix("[]"))
                .is_some_and(|ty| {
                    let ty = ty.trim_start_matches('*').to_ascii_lowercase();
                    let ty = ty
                        .split(|c: char| !c.is_alphanumeric())
                        .next()
                        .unwrap_or("");
                    !ty.is_empty() && name.has(ty.trim_end_matches('y'))
                })
        })
        && shown();
    if !plural_of_rows
        && !["list", "findall", "getall", "browse"]
            .iter()
            .any(|p| name.starts_with(p))
    {
        return false;
    }
    let repo = |owner: &str| {
        ["Repo", "Repository", "Store", "Dao", "DAO"]
            .iter()
            .any(|k| owner.ends_with(k))
    };
    if cx.language == Language::Sql {
        return false;
    }
    if cx.language == Language::Go {
        // `func (r *Repo) ListForClub(…)`: the receiver's type.
        return cx
            .text(&f.loc)
            .strip_prefix("func (")
            .and_then(|r| r.split_once(')'))
            .and_then(|(recv, _)| recv.split_whitespace().last())
            .is_some_and(|ty| repo(ty.trim_start_matches('*')));
    }
    // The class around it: the nearest `class ` within the 200 lines above (a whole-prefix
    // search per listing method grew with the square of the file).
    let from = cx.source[..f.loc.start]
        .rmatch_indices('\n')
        .nth(200)
        .map_or(0, |(i, _)| i);
    cx.source[from..f.loc.start]
        .rfind("class ")
        .map(|i| i + from)
        .map(|i| {
            cx.source[i + 6..]
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
        })
        .is_some_and(repo)
}

/// Names of the methods whose result a handler in the snippet sends back (a service or
/// repository method): `return this.service.history(user.orgId)`, `res.json(await repo.list())`.
fn served_by_handlers<'a>(cx: &Ctx<'a>) -> std::collections::HashSet<&'a str> {
    let mut out = std::collections::HashSet::new();
    for (hi, h) in cx.program.functions.iter().enumerate() {
        if !in_handler(cx, hi) {
            continue;
        }
        for c in h.calls.iter().filter(|c| !c.receiver.is_empty()) {
            let t = cx.lines.line_text(c.loc.span.start_line);
            // Go: `outings, err := repo.ListForClub(…)`, then `json.NewEncoder(w).Encode(outings)`.
            if t.trim_start().starts_with("return ")
                || t.has(".json(")
                || t.has("JSON(")
                || cx.language == Language::Go
                    && cx.function_named(&c.method).is_some()
                    && go_returned_line(h, c).is_some()
            {
                out.insert(c.method.as_str());
            }
        }
    }
    out
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let sql_file = cx.language == Language::Sql;
    let unique_keys = declared_unique_keys(cx.lower());
    let mut lines = Vec::new();
    let served_names = served_by_handlers(cx);
    for (fi, f) in cx.program.functions.iter().enumerate() {
        let handler = in_handler(cx, fi);
        let served = !handler
            && fi != 0
            && (served_names.contains(f.name.as_str()) || listing_service_method(cx, f));
        if !handler && !served && !sql_file {
            continue;
        }
        // Pagination anywhere in the handler bounds what it returns.
        let body = cx.text(&f.loc);
        if body.has("Paginator") || body.has("paginate") || body.has("pagination_class") {
            continue;
        }
        for c in &f.calls {
            let loc = statement_loc(cx, &c.loc);
            let line = loc.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            // In a service method, only the rows it returns reach the handler's response.
            // Go scans into an out-parameter (`SelectContext(ctx, &outings, …)`) and returns it.
            let returned_dest = served.then(|| go_returned_dest_line(cx, f, c)).flatten();
            if served
                && !cx.lines.line_text(line).trim_start().starts_with("return ")
                && returned_dest.is_none()
                // A listing method that returns the rows it assigned (`const placements =
                // await …findMany(…)`, then `return placements.map(…)`).
                && !(listing_service_method(cx, f) && returned_line(cx, fi, c).is_some())
            {
                continue;
            }
            // A query per item of a loop (`players` of each team) is n-plus-one's finding; its
            // rows are one parent's.
            if c.loop_depth > 0 && !sql_file {
                continue;
            }
            // SQLAlchemy's `text("…")` inside `db.execute(…)`: the execute is the query.
            if c.receiver.is_empty()
                && matches!(c.method.as_str(), "text" | "sql")
                && f.calls
                    .iter()
                    .any(|o| o.loc != c.loc && o.loc.contains(&c.loc))
            {
                continue;
            }
            let (what, table, shape) = if let Some(s) = query_sql(cx, f, c) {
                if !sql_unbounded(&s)
                    || sql_file && into_variables(f, c)
                    || in_exists(cx, c)
                    || unique_keys.iter().any(|key| {
                        key.iter()
                            .all(|k| s.predicates.iter().any(|p| p.op == "=" && p.column == *k))
                    })
                {
                    continue;
                }
                // JPA `createQuery(…).setMaxResults(50)`, a `Limit`/`Pageable` on the call.
                let tail = skeleton(&chain_end(f, c).callee);
                if tail.has(".setMaxResults(")
                    || tail.has(".Limit(")
                    || ["Pageable", "PageRequest"]
                        .iter()
                        .any(|k| c.args_text().has(k))
                {
                    continue;
                }
                // `db.execute(…).first()`, `.scalar_one()`: the chain reads one row.
                if matches!(
                    chain_end(f, c).method.as_str(),
                    "first"
                        | "one"
                        | "one_or_none"
                        | "scalar"
                        | "scalar_one"
                        | "scalar_one_or_none"
                ) {
                    continue;
                }
                // `cur.execute(…)` followed by `cur.fetchone()` reads one row.
                if !c.receiver.is_empty()
                    && f.calls.iter().any(|o| {
                        o.loc.start > c.loc.end
                            && o.receiver == c.receiver
                            && matches!(
                                o.method.as_str(),
                                "fetchone" | "fetchmany" | "fetchrow" | "fetchval"
                            )
                    })
                    || matches!(
                        c.method.as_str(),
                        "fetchone"
                            | "fetchrow"
                            | "fetchval"
                            | "one"
                            | "first"
                            | "get"
                            | "QueryRow"
                            | "QueryRowContext"
                            | "queryForObject"
                    )
                {
                    continue;
                }
                let t = s
                    .tables
                    .iter()
                    .find(|t| grows(t))
                    .cloned()
                    .unwrap_or_else(|| s.table.clone());
                let shape = format!(
                    "SELECT {}{}{}",
                    t,
                    if s.predicates.is_empty() {
                        " (no WHERE)"
                    } else {
                        " WHERE …"
                    },
                    if s.order_by { " ORDER BY …" } else { "" }
                );
                (format!("`SELECT … FROM {}`", s.table), t, shape)
            } else if sql_file {
                // A SQL file has statements, not ORM chains.
                continue;
            } else if let Some(model) = orm_list(cx, f, c)
                .or_else(|| extra_list(cx, f, c))
                .filter(|_| {
                    // Spring Data paging: `findAll(PageRequest.of(page, 50))`, `Pageable`.
                    let args = chain_end(f, c).args_text() + &c.args_text();
                    !["PageRequest", "Pageable", "pageable"]
                        .iter()
                        .any(|k| args.has(k))
                })
                // GORM `Where("trust_id = ? AND work_date >= ? AND work_date < ?", …)`: a
                // window of time.
                .filter(|_| {
                    cx.language != Language::Go
                        // (The chain's end spans the whole chain, `c` included.)
                        || !where_conditions(cx.text(&chain_end(f, c).loc))
                            .iter()
                            .any(|w| {
                                crate::analyzer::sql::parse(&format!("SELECT * FROM t WHERE {w}"))
                                    .is_some_and(|s| time_window(&s))
                            })
                })
            {
                (
                    format!("`{}`", c.callee),
                    model.clone(),
                    format!("{model}.{}", c.method),
                )
            } else {
                continue;
            };
            let returned = if sql_file {
                None
            } else if cx.language == Language::Go {
                go_returned_line(f, c).or(returned_dest)
            } else {
                returned_line(cx, fi, c)
            };
            if !sql_file && returned.is_none() {
                continue;
            }
            lines.push(line);
            let to_client = match returned {
                Some(r) if r != line => format!(" and returned to the client at line {r}"),
                Some(_) => " and returned to the client".to_string(),
                None => String::new(),
            };
            let message = format!(
                "{what} at line {line} has no LIMIT or pagination{to_client}: every row of `{table}` is read and sent on each request, and that table only grows."
            );
            let fix = match cx.language {
                Language::Go => "Bound it and page: `LIMIT 50` with a keyset cursor (`WHERE created_at < $2 ORDER BY created_at DESC LIMIT 50`), or GORM `.Limit(50)` with a cursor/offset from the query string.",
                Language::Java => "Bound it and page: take a `Pageable` (`findAll(PageRequest.of(page, 50))`, `Page<T> findBy…(…, Pageable p)`), a `findTop50By…` finder, `setMaxResults(50)`, or `LIMIT ?` with a keyset cursor.",
                Language::TypeScript => "Bound it and page: `take: 50` with a cursor (TypeORM `take`/`skip` or `.take(50)` on the query builder, Prisma `take` + `cursor`), or `LIMIT 50` with a keyset cursor in SQL.",
                _ => "Bound it and page: `LIMIT 50` with a cursor (`WHERE created_at < $cursor ORDER BY created_at DESC LIMIT 50`), `.limit(50)`, `take: 50`, `[:50]`, or a paginator.",
            }
            .to_string();
            let mut params = BTreeMap::new();
            params.insert("table".to_string(), table);
            params.insert("query_shape".to_string(), shape);
            params.insert("query_line".to_string(), line.to_string());
            let mut evidence = vec![cx.evidence(&loc, "query")];
            if let Some(r) = returned {
                params.insert("returned_line".to_string(), r.to_string());
                if r != line {
                    let at = cx.source[..]
                        .lines()
                        .nth(r - 1)
                        .map(|t| t.trim().to_string())
                        .unwrap_or_default();
                    evidence.push(crate::analyzer::Evidence {
                        line: r,
                        column: 1,
                        role: "returned".to_string(),
                        code: at,
                    });
                }
            }
            out.push(finding(
                ID,
                Severity::Warning,
                &loc,
                message,
                fix,
                evidence,
                params,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::rules::count_findings;

    /// The look-back for `EXISTS (` must not slice inside a multi-byte character.
    #[test]
    fn multibyte_text_before_a_query() {
        for src in [
            "SELECT 1 FROM a WHERE x = 'é' OR EXISTS (SELECT 1 FROM orders);",
            "-- ééééé\nSELECT * FROM orders;",
            "ééé(SELECT * FROM orders);",
            "€€(\nSELECT * FROM orders;",
        ] {
            let _ = count_findings(src, Language::Sql, ID);
        }
        let py = "x = 'ééé'\n@app.get('/o')\ndef o():\n    return db.execute('SELECT * FROM orders').fetchall()\n";
        assert_eq!(count_findings(py, Language::Python, ID), 1);
    }
}
