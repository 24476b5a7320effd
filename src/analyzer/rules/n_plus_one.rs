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
//! and SQL strings inside them. SQL files: statements (reads and writes) per row of a PL/pgSQL
//! `FOR r IN SELECT … LOOP` / `FOREACH`, or of a cursor loop whose rows arrive by
//! `FETCH … INTO` (PL/pgSQL, T-SQL `WHILE @@FETCH_STATUS = 0`, MySQL `LOOP`).

use super::queries::{
    classify, gorm_read, http_request, loop_context, mentions, spring_repo_read, LoopCtx, Query,
};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::{BTreeMap, HashMap};

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

/// `k` occurs in `text` before something other than a list of literals: `[Op.in]: ids` batches
/// the loop's keys, `status: { [Op.in]: ['open', 'held'] }` only narrows each lookup.
fn batch_marker(text: &str, k: &str) -> bool {
    text.match_indices(k).any(|(i, _)| {
        let rest = text[i + k.len()..].trim_start_matches([' ', ':', '=', ']', '$']);
        !constant_list(rest)
    })
}

/// Text that starts with a bracketed list of string or number literals: `['open', 'held']`,
/// `("a", "b")`.
fn constant_list(text: &str) -> bool {
    let t = text.trim_start();
    let Some(close) = (match t.chars().next() {
        Some('[') => t.find(']'),
        Some('(') => t.find(')'),
        _ => None,
    }) else {
        return false;
    };
    let items: Vec<&str> = t[1..close]
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect();
    !items.is_empty()
        && items.iter().all(|x| {
            x.starts_with(['\'', '"']) || x.chars().all(|ch| ch.is_ascii_digit() || ch == '.')
        })
}

/// A batched lookup in an ORM call's arguments.
fn batched_args(c: &Call) -> bool {
    if c.method == "whereIn" {
        return true;
    }
    let t = c.args_text();
    // The batch may sit in an earlier call of the chain (`filter(listing_id__in=ids)
    // .select_related("agent")`).
    [
        "__in", "in:", "[Op.in]", "$in", "whereIn", "In(", "in_(", "any_(",
    ]
    .iter()
    .any(|k| batch_marker(&t, k) || batch_marker(&c.callee, k))
        // A keyword argument's name: `filter(listing_id__in=ids)`.
        || c.args.iter().any(|a| {
            a.name.as_deref().is_some_and(|n| n.ends_with("__in")) && !constant_list(&a.text)
        })
        || c.callee.has("whereIn")
        || c.callee.has("in_bulk")
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

/// The query a call makes, and whether it only reads (a POST per item is a fan-out, not a
/// lookup). Go and Java add GORM, Spring Data / JPA and their HTTP clients to [`classify`].
fn query_of(cx: &Ctx, f: &Function, c: &Call) -> Option<(Query, bool)> {
    if let Some(q) = classify(f, c) {
        let read = match &q {
            // In stored SQL code a write per row is the same round of statements a set-based
            // UPDATE/INSERT … SELECT would do once.
            Query::Sql(s) => {
                !s.batched()
                    && (s.kind == crate::analyzer::sql::SqlKind::Select
                        || cx.language == Language::Sql)
            }
            Query::Orm { .. } => !batched_args(c),
            // Any request per row is a round trip per row, a POST to a render or pricing
            // service as much as a GET; but a POST to each row's own URL (webhook
            // subscribers) is a fan-out that no batch could replace.
            Query::Http { .. } => {
                let writes = matches!(c.method.as_str(), "post" | "put" | "patch" | "delete")
                    || c.args_text().has("method:")
                    || c.args_text().has("method=");
                let own_url = c.args.first().is_some_and(|a| {
                    let t = a.text.trim();
                    t.contains('.')
                        && t.chars()
                            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
                        && t.rsplit('.').next().is_some_and(|last| {
                            let l = last.to_ascii_lowercase();
                            l.has("url") || l.has("endpoint") || l.has("uri")
                        })
                });
                !(writes && own_url)
            }
        };
        return Some((q, read));
    }
    if let Some(url) = bound_http_client(cx, c) {
        return Some((Query::Http { url }, true));
    }
    if let Some((model, method)) = django_related_read(cx, c) {
        return Some((Query::Orm { model, method }, true));
    }
    let lang = cx.language;
    if lang == Language::Go {
        if let Some((model, method)) = gorm_read(c) {
            return Some((Query::Orm { model, method }, !batched_args(c)));
        }
    }
    if lang == Language::Java {
        if let Some(s) = prepared_sql(cx, f, c) {
            let read = !s.batched() && s.kind == crate::analyzer::sql::SqlKind::Select;
            return Some((Query::Sql(s), read));
        }
        if let Some((model, method)) = spring_repo_read(cx, c) {
            let batched = method.has("AllById")
                || method.ends_with("In")
                || method.has("InAnd")
                || method.has("InOrder");
            return Some((Query::Orm { model, method }, !batched));
        }
    }
    if matches!(lang, Language::Go | Language::Java) {
        if let Some((url, read)) = http_request(c) {
            return Some((Query::Http { url }, read));
        }
    }
    None
}

/// Whether call `c` of function `fi` runs in a JSX event handler nested in a list's rendering
/// (`slots.map((s) => <button onClick={() => book(s)}>…)`): it runs on a click, not per
/// element. A loop inside the handler itself still runs per element.
fn in_event_handler(cx: &Ctx, fi: usize, c: &Call) -> bool {
    let fns = &cx.program.functions;
    let mut loc = c.loc;
    let mut at = Some(fi);
    while let Some(i) = at.filter(|&i| i != 0) {
        let f = &fns[i];
        if f.loop_callback || f.loops.iter().any(|l| l.contains(&loc)) {
            return false;
        }
        if cx.source.get(..f.loc.start).is_some_and(jsx_event_handler) {
            return true;
        }
        loc = f.loc;
        at = f.parent;
    }
    false
}

/// Whether the text before a function is a JSX event attribute: `onClick={`, `onSubmit={`.
fn jsx_event_handler(before: &str) -> bool {
    let Some(head) = before.trim_end().strip_suffix('{') else {
        return false;
    };
    let Some(head) = head.trim_end().strip_suffix('=') else {
        return false;
    };
    let name = super::queries::trailing(head.trim_end(), |c| c.is_ascii_alphanumeric());
    name.len() > 2
        && name.starts_with("on")
        && name[2..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// A Django related manager read off a row (`f.documents.count()`, `team.roster_entries
/// .filter(…)`, `order.items.all()`): a query of its own each time, unless prefetched.
fn django_related_read(cx: &Ctx, c: &Call) -> Option<(String, String)> {
    if cx.language != Language::Python || !(cx.source_has("django") || cx.source_has(".objects.")) {
        return None;
    }
    let reads = [
        "count",
        "all",
        "filter",
        "exclude",
        "exists",
        "first",
        "last",
        "aggregate",
        "values_list",
        "values",
        "order_by",
    ];
    if !reads.contains(&c.method.as_str()) {
        return None;
    }
    let (row, attr) = c.receiver.split_once('.')?;
    let plain = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    };
    let related = plain(row)
        && plain(attr)
        && !matches!(row, "self" | "request" | "cls")
        && attr != "objects"
        && (attr.ends_with('s') || attr.ends_with("_set"));
    // `prefetch_related("items__product")` / `Prefetch("items", …)` loaded them with the rows.
    let prefetched = cx.source_has("prefetch_related")
        && ["\"", "'"].iter().any(|q| {
            find::has(cx.source, &format!("{q}{attr}{q}"))
                || find::has(cx.source, &format!("{q}{attr}__"))
        });
    (related && !prefetched).then(|| (attr.to_string(), c.method.clone()))
}

/// JDBC `hours.executeQuery()` where `hours` was prepared earlier in the function
/// (`PreparedStatement hours = c.prepareStatement("SELECT …")`, often as a try-with-resources
/// resource): the statement it runs.
fn prepared_sql(cx: &Ctx, f: &Function, c: &Call) -> Option<crate::analyzer::sql::SqlStatement> {
    if !matches!(c.method.as_str(), "executeQuery" | "execute") || !c.args.is_empty() {
        return None;
    }
    let name = c.receiver.as_str();
    if name.is_empty() || !name.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        return None;
    }
    f.calls
        .iter()
        .filter(|p| p.method == "prepareStatement" && p.loc.end <= c.loc.start)
        .rfind(|p| {
            let before = cx.source.get(..p.loc.start).unwrap_or("").trim_end();
            let before = before.strip_suffix('=').unwrap_or("").trim_end();
            before.ends_with(name)
                && !before[..before.len() - name.len()]
                    .ends_with(|ch: char| ch.is_alphanumeric() || ch == '_')
        })
        .and_then(|p| super::queries::call_sql(f, p))
}

/// `supplier.get(\`/stock/${sku}\`)` where the module made `supplier` an HTTP client
/// (`require('./supplier-client')`, `axios.create(…)`, `httpx.Client(…)`): a GET of a path.
fn bound_http_client(cx: &Ctx, c: &Call) -> Option<String> {
    if !matches!(c.method.as_str(), "get" | "head") || c.receiver.contains(['.', '(']) {
        return None;
    }
    let made = cx.program.globals().iter().any(|a| {
        a.names.contains(&c.receiver) && {
            let v = a.value.to_ascii_lowercase();
            ["client", "axios", "got.extend", "ky.create", "httpx", "api"]
                .iter()
                .any(|k| v.has(k))
        }
    });
    let arg = c.args.first()?;
    let path = arg.string.as_deref().unwrap_or(&arg.text);
    let url_like = path.starts_with('/') || path.has("http");
    (made && url_like).then(|| path.to_string())
}

/// A Go `for rows.Next() { rows.Scan(&o.ID, …) }` or Java `while (rs.next()) { … rs.getLong(…) }`
/// loop around `c`: the loop runs once per row of an open result set, and the row's values are
/// the variables scanned into (`o`) or read from it.
fn cursor_loop(cx: &Ctx, f: &Function, c: &Call) -> Option<LoopCtx> {
    let lp = f
        .loop_facts
        .iter()
        .filter(|l| l.body.contains(&c.loc))
        .max_by_key(|l| l.body.start)?;
    let head = cx.source.get(lp.whole.start..lp.body.start)?.trim();

    let cond = head
        .strip_prefix("for")
        .or_else(|| head.strip_prefix("while"))?
        .trim()
        .trim_end_matches('{')
        .trim();
    let cond = cond
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or(cond)
        .trim();
    let cursor = cond
        .strip_suffix(".Next()")
        .or_else(|| cond.strip_suffix(".next()"))?;
    if cursor.is_empty() || !cursor.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        return None;
    }
    let mut vars: Vec<String> = Vec::new();
    for o in &f.calls {
        if lp.body.contains(&o.loc)
            && o.receiver == cursor
            && matches!(o.method.as_str(), "Scan" | "StructScan" | "MapScan")
        {
            for a in &o.args {
                let t = a.text.trim().trim_start_matches('&');
                let v = t.split(['.', '[']).next().unwrap_or(t);
                if !v.is_empty() && !vars.iter().any(|x| x == v) {
                    vars.push(v.to_string());
                }
            }
        }
    }
    for a in &f.assigns {
        if lp.body.contains(&a.loc) && mentions(&a.value, cursor) {
            vars.extend(a.names.iter().cloned());
        }
    }
    if vars.is_empty() {
        return None;
    }
    let header = Loc {
        start: lp.whole.start,
        end: lp.body.start,
        span: cx.lines.span(lp.whole.start, lp.body.start),
    };
    Some(LoopCtx {
        loc: lp.body,
        header,
        vars,
        iter: cursor.to_string(),
    })
}

/// A loop callback around function `fi` whose receiver sits on an earlier line
/// (`orders.stream()\n    .map(o -> …)`), which [`loop_context`] does not read.
fn chained_callback(cx: &Ctx, fi: usize) -> Option<LoopCtx> {
    let fns = &cx.program.functions;
    let mut k = fi;
    while !fns[k].loop_callback {
        k = fns[k].parent?;
        if k == 0 {
            return None;
        }
    }
    let f = &fns[k];
    let before = cx.source.get(..f.loc.start)?.trim_end().strip_suffix('(')?;
    let (recv, _method) = before.rsplit_once('.')?;
    let recv = recv.trim_end();
    // Walk back over the receiver expression, skipping balanced `(…)`.
    let mut depth = 0i32;
    let start = recv
        .char_indices()
        .rev()
        .find(|(_, ch)| match ch {
            ')' | ']' => {
                depth += 1;
                false
            }
            '(' | '[' if depth > 0 => {
                depth -= 1;
                false
            }
            _ => {
                depth == 0
                    && (ch.is_whitespace() || matches!(ch, '(' | ',' | '=' | '[' | '{' | ';'))
            }
        })
        .map_or(0, |(i, ch)| i + ch.len_utf8());
    let iter = recv.get(start..)?.trim();
    let iter = iter
        .strip_suffix(".stream()")
        .or_else(|| iter.strip_suffix(".parallelStream()"))
        .unwrap_or(iter);
    let vars: Vec<String> = f
        .params
        .first()
        .map(|p| {
            p.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    (!iter.is_empty() && !vars.is_empty()).then(|| LoopCtx {
        loc: f.loc,
        header: f.loc,
        vars,
        iter: iter.to_string(),
    })
}

/// Java `ids.stream().map(userRepository::findById)`: a repository method reference applied
/// to every element. Returns the repository call's text, its location and the iterated
/// expression.
fn method_ref_per_element(cx: &Ctx, c: &Call) -> Option<(String, Loc, String, bool)> {
    if cx.language != Language::Java
        || !matches!(
            c.method.as_str(),
            "map" | "flatMap" | "forEach" | "mapToObj" | "mapToLong" | "peek"
        )
    {
        return None;
    }
    let arg = c.args.first()?.text.trim();
    let (recv, method) = arg.split_once("::")?;
    let probe = Call {
        callee: arg.replace("::", "."),
        method: method.to_string(),
        receiver: recv.to_string(),
        args: Vec::new(),
        loc: c.loc,
        loop_depth: 0,
        awaited: false,
    };
    // A repository finder, or a method of this class that makes an HTTP request
    // (`skus.stream().map(this::product)` where `product` calls `rest.getForObject`).
    let http = if let Some((_, m)) = spring_repo_read(cx, &probe) {
        if m.has("AllById") || m.starts_with("count") || m.starts_with("exists") {
            return None;
        }
        false
    } else if recv == "this" {
        let helper = cx.program.functions.iter().find(|g| g.name == method)?;
        // A field read under its declared type (`RestTemplate rest` → `rest.getForObject`).
        let typed = |call: &Call| {
            let ty = declared_type(cx.source, &call.receiver)?;
            http_request(&Call {
                receiver: ty,
                ..call.clone()
            })
        };
        helper
            .calls
            .iter()
            .find_map(|call| http_request(call).or_else(|| typed(call)))
            .filter(|(_, read)| *read)?;
        true
    } else {
        return None;
    };
    let text = cx.text(&c.loc);
    let at = text.find(arg)? + c.loc.start;
    let loc = Loc {
        start: at,
        end: at + arg.len(),
        span: cx.lines.span(at, at + arg.len()),
    };
    let iter = c.receiver.as_str();
    let iter = iter
        .strip_suffix(".stream()")
        .or_else(|| iter.strip_suffix(".parallelStream()"))
        .unwrap_or(iter);
    Some((arg.to_string(), loc, iter.to_string(), http))
}

const HTTP_FIX: &str = "Use the API's batch endpoint (one request with all ids), or cache the responses; if there is none, bound the concurrency and add a timeout.";

/// The Java type `name` is declared with (`private final RestTemplate rest;`,
/// `CatalogClient(RestTemplate rest)`), if the snippet says.
fn declared_type(source: &str, name: &str) -> Option<String> {
    if name.is_empty() || !name.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        return None;
    }
    let words: Vec<&str> = source
        .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w[1] == name && w[0].starts_with(|ch: char| ch.is_ascii_uppercase()))
        .map(|w| w[0].to_string())
}

/// The ORM fix in the language's own terms.
fn orm_fix(lang: Language) -> &'static str {
    match lang {
        Language::Go => "Load the related rows once: GORM `Preload(\"Author\")` / `Joins`, or `db.Where(\"id IN ?\", ids).Find(&rows)` before the loop, then read them from a map.",
        Language::Java => "Fetch the association with the list: `@EntityGraph(attributePaths = …)` or `JOIN FETCH` on the repository query, or `findAllById(ids)` once before the loop and look the rows up in a Map.",
        Language::TypeScript => "Fetch the related rows once: TypeORM `relations:`/`leftJoinAndSelect` or `findBy({ id: In(ids) })`, Prisma `include:` or `where: { id: { in: ids } }`, then read them from a Map in the loop.",
        _ => "Fetch the related rows once: `select_related`/`prefetch_related`/`in_bulk` (Django), `joinedload`/`selectinload` (SQLAlchemy), `include:` or `where: { id: { in: ids } }` (Prisma/Sequelize), then read them from a map in the loop.",
    }
}

/// The finding for a repository method reference mapped over a stream.
fn method_ref_finding(
    cx: &Ctx,
    out: &mut Vec<Finding>,
    (what, loc, iter, http): (&str, &Loc, &str, bool),
    seen_lines: &mut Vec<usize>,
) {
    let line = loc.span.start_line;
    if seen_lines.contains(&line) {
        return;
    }
    seen_lines.push(line);
    let message = if http {
        format!("`{what}` at line {line} makes an HTTP request per element of `{iter}`: N items cost N round trips.")
    } else {
        format!("`{what}` at line {line} runs once per element of `{iter}`: N ids cost N round trips (one query per id).")
    };
    let mut params = BTreeMap::new();
    params.insert("loop_variable".to_string(), "element".to_string());
    params.insert("iterable".to_string(), iter.to_string());
    params.insert("query_shape".to_string(), what.replace("::", "."));
    params.insert(
        "kind".to_string(),
        if http { "http" } else { "orm" }.to_string(),
    );
    params.insert("queries_per_row".to_string(), "1".to_string());
    params.insert("query_line".to_string(), line.to_string());
    let fix = if http {
        HTTP_FIX.to_string()
    } else {
        orm_fix(cx.language).to_string()
    };
    out.push(finding(
        ID,
        Severity::Warning,
        loc,
        message,
        fix,
        vec![cx.evidence(loc, "query")],
        params,
    ));
}

/// `lines, err := r.lines(ctx, invs[i].ID)` where the snippet's own `lines` runs one query:
/// the helper's round trip happens once per row all the same.
fn helper_query(
    cx: &Ctx,
    by_name: &HashMap<&str, Vec<&Function>>,
    f: &Function,
    c: &Call,
) -> Option<(Query, bool)> {
    let name = c.method.as_str();
    // Only the snippet's own functions and methods (`load(…)`, `self.load(…)`, Go's `r.load(…)`),
    // never a collection's `get`/`add`, and not helpers that already batch.
    let own = matches!(c.receiver.as_str(), "" | "self" | "this")
        || c.receiver.len() <= 2 && c.receiver.chars().all(|ch| ch.is_ascii_lowercase());
    let lower = name.to_ascii_lowercase();
    if !own
        || name.is_empty()
        || name == f.name
        || c.args.is_empty()
        || matches!(
            name,
            "get" | "set" | "put" | "add" | "append" | "push" | "update"
        )
        || ["batch", "bulk", "many", "all"]
            .iter()
            .any(|b| lower.has(b))
        // A message to someone per item (`sendSms(…)`, `alertDutyCoordinator(…)`,
        // `notifyOwner(…)`): a fan-out of notifications, not a lookup a join could replace.
        || ["send", "notify", "alert", "page", "email", "sms", "publish", "post"]
            .iter()
            .any(|v| lower.starts_with(v))
    {
        return None;
    }
    // An overloaded or ambiguous name says nothing certain.
    let [g] = by_name.get(name)?.as_slice() else {
        return None;
    };
    // A memoised helper (`@lru_cache`, `@cache`, `@Cacheable`) queries once per distinct
    // argument, not once per call.
    if g.decorators.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        d.starts_with("lru_cache") || d.starts_with("cache") || d.starts_with("functools.")
    }) {
        return None;
    }
    g.calls
        .iter()
        .filter(|k| k.loop_depth == 0)
        .find_map(|k| query_of(cx, g, k).filter(|(_, read)| *read).map(|q| (k, q)))
        // `fetch_preview(url)` → `httpx.get(url)`: each row is its own address, a fan-out of
        // requests with no parent query to join into.
        .filter(|(k, q)| {
            !matches!(q.0, Query::Http { .. })
                || !k
                    .args
                    .first()
                    .is_some_and(|a| g.params.iter().any(|p| p == a.text.trim()))
        })
        .map(|(_, q)| q)
}

fn per_row(f: &Function, c: &Call, names: &[String], cx: &Ctx) -> bool {
    let args = c.args_text();
    let callee_args = cx.text(&c.loc);
    // `select(Account).where(Account.id == contact.account_id)`: the row's value sits in a
    // later call of the chain.
    let chain = cx.text(&super::queries::chain_end(f, c).loc);
    names.iter().any(|n| mentions(&args, n))
        // `session.query(User).filter(User.id == row.user_id).first()`: the argument sits in
        // an inner call of the chain.
        || names.iter().any(|n| mentions(callee_args, n) || mentions(chain, n))
        // JDBC: `hours.setLong(1, empId)` binds the row's value before `hours.executeQuery()`.
        || !c.receiver.is_empty()
            && f.calls.iter().any(|b| {
                b.receiver == c.receiver
                    && b.method.starts_with("set")
                    && b.loc.end <= c.loc.start
                    && b.loop_depth == c.loop_depth
                    && names.iter().any(|n| mentions(&b.args_text(), n))
            })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    // One finding per loop: the first per-row query in it; the others are counted.
    let mut by_loop: BTreeMap<usize, (usize, usize, Query, LoopCtx, usize)> = BTreeMap::new();
    let mut seen_lines = Vec::new();
    // The snippet's functions by name, built once (asked per call in a loop).
    let mut by_name: HashMap<&str, Vec<&Function>> = HashMap::new();
    for g in cx.program.functions.iter().skip(1) {
        by_name.entry(g.name.as_str()).or_default().push(g);
    }
    for (fi, f) in cx.program.functions.iter().enumerate() {
        for (ci, c) in f.calls.iter().enumerate() {
            if let Some((what, loc, iter, http)) = method_ref_per_element(cx, c) {
                method_ref_finding(cx, out, (&what, &loc, &iter, http), &mut seen_lines);
                continue;
            }
            if c.loop_depth == 0 || in_event_handler(cx, fi, c) {
                continue;
            }
            let Some((q, read)) = query_of(cx, f, c).or_else(|| helper_query(cx, &by_name, f, c))
            else {
                continue;
            };
            if !read {
                continue;
            }
            let Some(lp) = loop_context(cx, fi, c)
                .or_else(|| cursor_loop(cx, f, c))
                .or_else(|| chained_callback(cx, fi))
            else {
                continue;
            };
            // The call must not itself produce the iterated rows (`for r in cur.execute(…)`).
            if lp.iter.contains(cx.text(&c.loc)) {
                continue;
            }
            let names = carried_names(f, &lp);
            if !per_row(f, c, &names, cx) {
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
        // The loop variable the query actually uses (`s` of `for i, s := range subs`).
        let call_text = cx.text(&c.loc);
        let var = lp
            .vars
            .iter()
            .find(|v| mentions(call_text, v))
            .or(if cx.language == Language::Go {
                // `for idx, it := range items`: the element, not the index.
                lp.vars.last()
            } else {
                lp.vars.first()
            })
            .cloned()
            .unwrap_or_default();
        let what = match &q {
            Query::Sql(s) if cx.language == Language::Sql => {
                format!("`{:?} {}`", s.kind, s.table).to_uppercase()
            }
            Query::Sql(s) => format!(
                "`{}` ({} on `{}`)",
                c.callee,
                format!("{:?}", s.kind).to_uppercase(),
                s.table
            ),
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
            Query::Sql(_) if cx.language == Language::Sql => "Replace the loop with one set-based statement over the rows it walks: `UPDATE … FROM (SELECT …) s WHERE …`, `INSERT … SELECT …`, `DELETE … USING …`, or a JOIN in the outer query; the database then does one pass instead of one statement per row.".to_string(),
            Query::Sql(s) if cx.language == Language::Go => format!(
                "Load all rows in one query before the loop (`SELECT … FROM {} WHERE id = ANY($1)` with `pq.Array(ids)`, or sqlx.In) and look them up in a map, or JOIN them into the outer query.",
                s.table
            ),
            Query::Sql(s) if cx.language == Language::Java => format!(
                "Load all rows in one query before the loop (`SELECT … FROM {} WHERE id IN (:ids)` with NamedParameterJdbcTemplate) and group them in a Map, or JOIN them into the outer query.",
                s.table
            ),
            Query::Sql(s) => format!(
                "Load all rows in one query before the loop (`SELECT … FROM {} WHERE id = ANY($1)` / `IN (…)` with the collected ids) and look them up in a dict/Map, or JOIN them into the outer query.",
                s.table
            ),
            Query::Orm { .. } => orm_fix(cx.language).to_string(),
            Query::Http { .. } => HTTP_FIX.to_string(),
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
