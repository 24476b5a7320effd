//! Shared helpers for the query rules (n-plus-one, unbounded-query, missing-tenant-filter,
//! expensive-query-per-request, lost-update, expired-records-never-cleaned): what a call
//! queries, and the loop a call runs in.

use super::Ctx;
use crate::analyzer::facts::{Call, Function, Loc, OpKind};
use crate::analyzer::find::Has;
use crate::analyzer::sql::{self, SqlStatement};

/// What a call does to a data store or a remote service.
// Classifications are made per call and dropped soon after; boxing the statement would add an
// allocation to each one for no saving that lasts.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Query {
    /// SQL text passed to a driver (`execute`, `query`, `fetchrow`, a tagged template, or a
    /// statement of a SQL file).
    Sql(SqlStatement),
    /// An ORM read: model (or repository/collection) and method.
    Orm { model: String, method: String },
    /// An outbound HTTP request.
    Http { url: String },
}

impl Query {
    /// Short description for messages and params.
    pub fn shape(&self) -> String {
        match self {
            Query::Sql(s) => format!("{:?} {}", s.kind, s.table).to_uppercase(),
            Query::Orm { model, method } => format!("{model}.{method}"),
            Query::Http { url } => format!("HTTP {url}"),
        }
    }
}

/// Extracts the text between the first quote and its matching last quote of `text`
/// (`text("SELECT …")` → `SELECT …`).
fn quoted(text: &str) -> Option<&str> {
    // A byte search: quotes are ASCII, and the argument text of a deeply nested call can be
    // most of the paste (a char-by-char scan per call was a third of the time on such input).
    let i = text
        .bytes()
        .position(|b| matches!(b, b'"' | b'\'' | b'`'))?;
    let q = text[i..].chars().next()?;
    let j = text.rfind(q)?;
    (j > i + 1).then(|| text.get(i + 1..j)).flatten()
}

/// The SQL statement a call runs, if any: from the lowered op at the call, a string argument,
/// or a string inside an argument (`text("…")`).
pub fn call_sql(f: &Function, c: &Call) -> Option<SqlStatement> {
    for op in &f.ops {
        if op.loc == c.loc {
            match &op.kind {
                OpKind::Read { sql: Some(s), .. } | OpKind::Write { sql: Some(s), .. } => {
                    return Some(s.clone())
                }
                _ => {}
            }
        }
    }
    c.args.iter().take(2).find_map(|a| match &a.string {
        Some(s) => sql::parse(s),
        None if a.text.contains('(') => quoted(&a.text).and_then(sql::parse),
        None => None,
    })
}

const ORM_READS: [&str; 24] = [
    "get",
    "filter",
    "filter_by",
    "first",
    "one",
    "one_or_none",
    "scalar",
    "scalars",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "findOne",
    "findOneBy",
    "findOneOrFail",
    "findBy",
    "findByPk",
    "findById",
    "findAll",
    "find",
    "count",
    "exists",
    "get_object_or_404",
];

/// Methods whose name alone says "ORM read" (no array or dict has them).
fn distinctive_orm(method: &str) -> bool {
    matches!(
        method,
        "findUnique"
            | "findUniqueOrThrow"
            | "findFirst"
            | "findFirstOrThrow"
            | "findMany"
            | "findOne"
            | "findOneBy"
            | "findOneOrFail"
            | "findBy"
            | "findByPk"
            | "findById"
            | "findAll"
            | "get_object_or_404"
            | "filter_by"
            | "one_or_none"
    )
}

/// A MongoDB collection reached through the database handle: pymongo / Motor
/// `db.students.find_one(…)`, `self.db.orders.find(…)`, `mongo.db.users`, and the Node
/// driver's `db.collection('students')`.
pub fn mongo_collection(c: &Call) -> Option<String> {
    let r = c.receiver.as_str();
    let r = r
        .strip_prefix("self.")
        .or_else(|| r.strip_prefix("this."))
        .unwrap_or(r);
    let r = r.strip_prefix("mongo.").unwrap_or(r);
    if let Some(rest) = r.strip_prefix("db.collection(") {
        let name = rest.trim_end_matches(')').trim_matches(['\'', '"', '`']);
        return plain_ident(name).then(|| name.to_string());
    }
    let name = r.strip_prefix("db.")?;
    plain_ident(name).then(|| name.to_string())
}

/// The model a Django/SQLAlchemy/Prisma-style callee reads: `Order.objects.filter` → `Order`.
fn orm_model(c: &Call) -> Option<String> {
    let callee = c.callee.as_str();
    if let Some((m, _)) = callee.split_once(".objects") {
        return Some(m.rsplit('.').next().unwrap_or(m).to_string());
    }
    if let Some(i) = callee.find("query(") {
        // session.query(User).filter(...)
        let rest = &callee[i + 6..];
        return Some(
            rest.split([')', ',', '.'])
                .next()
                .unwrap_or(rest)
                .to_string(),
        );
    }
    if let Some((m, _)) = callee.split_once(".query.") {
        return Some(m.rsplit('.').next().unwrap_or(m).to_string());
    }
    if c.method == "get_object_or_404"
        || (c.method == "get" && matches!(c.receiver.as_str(), "db" | "self.session" | "self.db"))
    {
        return c.args.first().map(|a| a.text.clone());
    }
    // prisma.order.findMany / db.user.findUnique / Order.findByPk / orderRepo.findOne
    let recv = c.receiver.as_str();
    let last = recv.rsplit('.').next().unwrap_or(recv);
    let last = last.split('(').next().unwrap_or(last);
    (!last.is_empty()).then(|| last.to_string())
}

/// Names of HTTP clients in Python and JavaScript.
pub fn http_call(c: &Call) -> Option<String> {
    let recv = c.receiver.as_str();
    let m = c.method.as_str();
    let url = || {
        c.args
            .first()
            .map(|a| a.string.clone().unwrap_or_else(|| a.text.clone()))
            .unwrap_or_default()
    };
    let looks_like_url = |u: &str| {
        let l = u.to_ascii_lowercase();
        l.has("http") || l.starts_with('/') || l.has("url") || l.has("endpoint")
    };
    let verb = matches!(
        m,
        "get" | "post" | "put" | "patch" | "delete" | "head" | "request"
    );
    match (recv, m) {
        ("", "fetch" | "got" | "axios" | "ky" | "urlopen") => Some(url()),
        ("requests" | "httpx" | "axios" | "got" | "ky" | "superagent" | "urllib.request", _)
            if verb || m == "urlopen" =>
        {
            Some(url())
        }
        _ if verb => {
            let r = recv.to_ascii_lowercase();
            let client = r.ends_with("client")
                || r.ends_with("session")
                || r.ends_with("http")
                || r.ends_with("api")
                || r.ends_with("axios")
                || r == "s";
            let u = url();
            // `f"{PROFILE_URL}/{id}"`: the string's value hides the constant that says URL.
            let written = c.args.first().map_or("", |a| a.text.as_str());
            (client && (looks_like_url(&u) || looks_like_url(written))).then_some(u)
        }
        _ => None,
    }
}

/// Classifies a call as a SQL query, an ORM read or an HTTP request.
pub fn classify(f: &Function, c: &Call) -> Option<Query> {
    if let Some(s) = call_sql(f, c) {
        return Some(Query::Sql(s));
    }
    if let Some(url) = http_call(c) {
        return Some(Query::Http { url });
    }
    if let Some((table, method)) = knex_read(c) {
        return Some(Query::Orm {
            model: table,
            method,
        });
    }
    let m = c.method.as_str();
    if let Some(coll) = mongo_collection(c) {
        if matches!(
            m,
            "find" | "find_one" | "count_documents" | "aggregate" | "findOne"
        ) {
            return Some(Query::Orm {
                model: coll,
                method: m.to_string(),
            });
        }
    }
    // SQLAlchemy 2.0: `session.execute(select(Account).where(…))`, `db.scalars(select(T)…)`.
    if matches!(m, "execute" | "scalars" | "scalar") {
        let arg = c.args.first().map_or("", |a| a.text.trim());
        if let Some(rest) = arg.strip_prefix("select(") {
            // `select(func.count(Enrollment.id))`: an aggregate over a model's column.
            let rest = rest
                .strip_prefix("func.")
                .and_then(|r| r.split_once('(').map(|(_, inner)| inner.trim_start()))
                .unwrap_or(rest);
            let mut model: String = rest
                .chars()
                .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                .collect();
            // `select(func.count()).select_from(SeatAllocation)`: the model comes after.
            if model.is_empty() {
                if let Some((_, from)) = arg.split_once(".select_from(") {
                    model = from
                        .chars()
                        .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                        .collect();
                }
            }
            if model
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_uppercase())
            {
                return Some(Query::Orm {
                    model,
                    method: "select".to_string(),
                });
            }
        }
    }
    if !ORM_READS.contains(&m) {
        return None;
    }
    let callee = c.callee.as_str();
    let orm_chain = callee.has(".objects.")
        || callee.has("query(")
        || callee.has(".query.")
        || callee.starts_with("prisma.")
        || callee.has(".prisma.");
    let model = orm_model(c)?;
    let capitalised = model
        .chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_uppercase());
    let repo = model.ends_with("Repository") || model.ends_with("Repo") || model.ends_with("repo");
    let ok = if distinctive_orm(m) || orm_chain {
        true
    } else if matches!(m, "get") && matches!(c.receiver.as_str(), "session" | "db.session") {
        // session.get(User, id)
        c.args.len() >= 2
    } else if m == "get" && matches!(c.receiver.as_str(), "db" | "self.session" | "self.db") {
        // SQLAlchemy 2.0 `db.get(Customer, customer_id)` on an injected Session: the first
        // argument is a model class (CamelCase, not a SQL constant or a key string).
        c.args.len() >= 2
            && c.args.first().is_some_and(|a| {
                let mut chars = a.text.chars();
                chars.next().is_some_and(|ch| ch.is_ascii_uppercase())
                    && chars.next().is_some_and(|ch| ch.is_ascii_lowercase())
                    && a.text.chars().all(|ch| ch.is_alphanumeric() || ch == '_')
            })
    } else if m == "count" && capitalised && !c.receiver.contains('.') {
        // Sequelize / TypeORM `Reservation.count({ where: { stopId } })`, not `counter.count()`.
        c.args.first().is_some_and(|a| {
            let t = a.text.trim();
            t.starts_with('{') && t.has("where")
        })
    } else if m == "find" {
        // Mongoose / TypeORM `find`, not `array.find(x => …)`.
        (capitalised || repo || typeorm_field_read(c)) && !c.args_text().has("=>")
    } else {
        false
    };
    ok.then(|| Query::Orm {
        model,
        method: m.to_string(),
    })
}

/// A TypeORM repository injected into a class field (`this.claims.findOneBy({ id })`,
/// `this.claims.find({ where: { orgId } })`): TypeORM's own method names, or an options object
/// with `where` (`Array.find` takes a function).
fn typeorm_field_read(c: &Call) -> bool {
    let options = c.args.first().is_some_and(|a| {
        let t = a.text.trim();
        t.starts_with('{') && t.has("where")
    });
    c.receiver.starts_with("this.")
        && (matches!(
            c.method.as_str(),
            "findOneBy" | "findBy" | "findOneByOrFail" | "findAndCountBy" | "existsBy" | "countBy"
        ) || matches!(
            c.method.as_str(),
            "find" | "findOne" | "findAndCount" | "count"
        ) && options)
}

/// A Knex query builder read: `db('order_items').where({ order_id })`, `knex('orders').select(…)`,
/// `trx('users').first()` (the innermost call of the chain): the table and the method.
pub fn knex_read(c: &Call) -> Option<(String, String)> {
    let (builder, rest) = c.receiver.split_once('(')?;
    if !matches!(builder, "db" | "knex" | "trx" | "pg" | "k" | "qb" | "sql") {
        return None;
    }
    let table = rest
        .strip_suffix(')')?
        .trim_matches(|ch| matches!(ch, '\'' | '"' | '`'));
    if table.is_empty()
        || !table
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '.')
    {
        return None;
    }
    matches!(
        c.method.as_str(),
        "where"
            | "andWhere"
            | "whereIn"
            | "first"
            | "select"
            | "pluck"
            | "join"
            | "leftJoin"
            | "innerJoin"
            | "orderBy"
            | "count"
            | "sum"
    )
    .then(|| (table.to_string(), c.method.clone()))
}

/// The loop a call runs once per element of.
#[derive(Clone, Debug)]
pub struct LoopCtx {
    /// The loop's body (or the loop callback's function): where the per-element code runs.
    pub loc: Loc,
    /// The loop's header (`for row in rows:`), for evidence.
    pub header: Loc,
    /// Loop variables (`row`, `r`, `{ id }` → `id`).
    pub vars: Vec<String>,
    /// The iterated expression as written (`rows`, `orders.all()`, `ids`).
    pub iter: String,
}

/// Identifiers in a binding pattern: `(a, b)`, `{ id, author: a }`, `[k, v]`, `const x`.
fn pattern_names(p: &str) -> Vec<String> {
    p.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == ':'))
        .filter_map(|w| {
            // `{ author: a }` binds `a`.
            let w = w.rsplit(':').next().unwrap_or(w);
            (!w.is_empty()
                && !matches!(w, "const" | "let" | "var" | "async" | "await" | "_")
                && !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            .then(|| w.to_string())
        })
        .collect()
}

/// Reads a loop header: `for x in rows:`, `for (const r of rows) {`, `for _, r := range rows {`,
/// `for (Order o : orders)`, `[f(r) for r in rows]`. `None` for `while` loops and counters.
fn loop_header(text: &str) -> Option<(Vec<String>, String)> {
    let t = text.trim_start();
    if t.starts_with('[') || t.starts_with('{') {
        // comprehension: `… for x in iter if …]`
        let body = t.get(1..t.len().saturating_sub(1))?;
        let i = body.rfind(" for ")?;
        let rest = &body[i + 5..];
        let (vars, iter) = rest.split_once(" in ")?;
        let iter = iter.split(" if ").next().unwrap_or(iter);
        return Some((pattern_names(vars), iter.trim().to_string()));
    }
    let t = t.strip_prefix("async ").unwrap_or(t);
    let t = t.strip_prefix("for")?;
    let head = t.split('\n').next().unwrap_or(t).trim();
    let head = head.trim_end_matches('{').trim_end().trim_end_matches(':');
    let head = head.strip_prefix("await").unwrap_or(head).trim();
    let inner = head
        .strip_prefix('(')
        .map(|h| h.strip_suffix(')').unwrap_or(h))
        .unwrap_or(head);
    if let Some((vars, iter)) = inner.split_once(" := range ") {
        return Some((pattern_names(vars), iter.trim().to_string()));
    }
    if let Some((vars, iter)) = inner.split_once(" of ") {
        return Some((pattern_names(vars), iter.trim().to_string()));
    }
    if let Some((vars, iter)) = inner.split_once(" in ") {
        return Some((pattern_names(vars), iter.trim().to_string()));
    }
    if let Some((decl, iter)) = inner.split_once(" : ") {
        let var = decl.split_whitespace().last()?;
        return Some((vec![var.to_string()], iter.trim().to_string()));
    }
    // for (let i = 0; i < rows.length; i++)
    let mut parts = inner.split(';');
    let init = parts.next()?;
    let cond = parts.next()?;
    let var = pattern_names(init.split('=').next()?).pop()?;
    let bound = cond
        .split(['<', '>'])
        .nth(1)?
        .trim_start_matches('=')
        .trim();
    let bound = bound.strip_suffix(".length").unwrap_or(bound);
    Some((vec![var], bound.to_string()))
}

/// The header of a loop whose body is `body` (lowering records loop bodies): the text from the
/// last `for`/`while` keyword before the body, or for a comprehension the `for … in …` clause
/// after its element.
fn header_of(cx: &Ctx, body: &Loc) -> Option<(Vec<String>, String, usize)> {
    let before = cx.source.get(..body.start)?;
    let tb = before.trim_end();
    if tb.ends_with(['[', '{', '(']) {
        let after = cx.source.get(body.end..)?;
        let mut depth = 0i32;
        let end = after
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                depth < 0
            })
            .map_or(after.len(), |(i, _)| i);
        let clause = after[..end].trim();
        let clause = clause.strip_prefix("async ").unwrap_or(clause);
        let rest = clause.strip_prefix("for ")?;
        let (vars, iter) = rest.split_once(" in ")?;
        let iter = iter.split(" if ").next().unwrap_or(iter);
        let iter = iter.split(" for ").next().unwrap_or(iter);
        return Some((pattern_names(vars), iter.trim().to_string(), body.start));
    }
    let mut start = before.len().saturating_sub(600);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let window = &before[start..];
    let kw = |k: &str| {
        let mut best = None;
        let mut from = 0;
        while let Some(i) = window.get(from..).and_then(|w| w.find(k)) {
            let s = from + i;
            if mentions(&window[s..(s + k.len() + 1).min(window.len())], k) {
                best = Some(s);
            }
            from = s + k.len();
        }
        best
    };
    let f = kw("for")?;
    if kw("while").is_some_and(|w| w > f) {
        return None;
    }
    loop_header(&window[f..]).map(|(v, i)| (v, i, start + f))
}

/// The end of `text` made of characters `part` accepts: the identifier (or dotted path) just
/// before a position. `trailing("x = a.db", ident)` → `"db"`.
pub fn trailing(text: &str, part: impl Fn(char) -> bool) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// The receiver of the callback-taking call just before a callback's text: `rows.map(` → `rows`.
fn callback_receiver(before: &str) -> Option<String> {
    let b = before.trim_end().strip_suffix('(')?;
    let (recv, _method) = b.rsplit_once('.')?;
    let start = recv
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | ',' | '=' | '[' | '{'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let r = recv[start..].trim();
    (!r.is_empty()).then(|| r.to_string())
}

/// The innermost loop (statement or loop callback) around call `c` of function `fi`, with its
/// variables and iterable; `None` when the call is not in a loop over a collection (while
/// loops, counted retries, `range(n)`, literal lists).
pub fn loop_context(cx: &Ctx, fi: usize, c: &Call) -> Option<LoopCtx> {
    let fns = &cx.program.functions;
    if cx.language == crate::analyzer::Language::Sql {
        // SQL lowering records each loop's variable (the FOR variable or what a cursor FETCH
        // fills) and iterable; counted loops have none.
        let lp = fns
            .get(fi)?
            .loop_facts
            .iter()
            .filter(|l| l.body.contains(&c.loc))
            .max_by_key(|l| l.body.start)?;
        let vars: Vec<String> = lp
            .var
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        let header = Loc {
            start: lp.whole.start,
            end: lp.body.start.max(lp.whole.start),
            span: cx
                .lines
                .span(lp.whole.start, lp.body.start.max(lp.whole.start)),
        };
        return (!vars.is_empty()).then(|| LoopCtx {
            loc: lp.body,
            header,
            vars,
            iter: lp.iterable.clone(),
        });
    }
    let mut fi = fi;
    let mut loc = c.loc;
    loop {
        let f = &fns[fi];
        if let Some(l) = f
            .loops
            .iter()
            .filter(|l| l.contains(&loc))
            .max_by_key(|l| l.start)
        {
            let (vars, iter, h) = header_of(cx, l)?;
            let header = Loc {
                start: h,
                end: l.start.max(h),
                span: cx.lines.span(h, l.start.max(h)),
            };
            return collection(vars, iter, *l, header);
        }
        if f.loop_callback {
            let iter = callback_receiver(cx.source.get(..f.loc.start)?)?;
            let vars: Vec<String> = f
                .params
                .first()
                .map(|p| pattern_names(p))
                .unwrap_or_default();
            return collection(vars, iter, f.loc, f.loc);
        }
        fi = f.parent?;
        loc = f.loc;
        if fi == 0 && fns[0].loops.iter().all(|l| !l.contains(&loc)) {
            return None;
        }
    }
}

fn collection(vars: Vec<String>, iter: String, loc: Loc, header: Loc) -> Option<LoopCtx> {
    let it = iter.trim();
    let counted = it.starts_with("range(")
        || it.starts_with("xrange(")
        || it.starts_with('[') && !it.has(" for ")
        || it.starts_with('(')
        || it.starts_with('"')
        || it.starts_with('\'')
        || it.chars().all(|c| c.is_ascii_digit())
        || {
            let l = it.to_ascii_lowercase();
            l.has("retr") || l.has("attempt")
        };
    (!counted && !vars.is_empty()).then(|| LoopCtx {
        loc,
        header,
        vars,
        iter: it.to_string(),
    })
}

/// The identifiers of an expression that are not attribute names (`by_id` and `w` in
/// `by_id[w].rating`, not `rating`), nor numbers.
pub fn identifiers(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let word_char = ch.is_alphanumeric() || ch == '_';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                let word = &text[s..i];
                if !text[..s].ends_with('.') && !word.starts_with(|c: char| c.is_ascii_digit()) {
                    words.push(word);
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// The code parts of an expression: string literal contents blanked, interpolations
/// (`{…}` in f-strings, `${…}` in templates) kept.
pub fn code_parts(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<char> = None;
    let mut depth = 0u32;
    for c in expr.chars() {
        match quote {
            None => {
                if matches!(c, '"' | '\'' | '`') {
                    quote = Some(c);
                    out.push(' ');
                } else {
                    out.push(c);
                }
            }
            Some(q) => {
                if depth > 0 {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    out.push(if depth == 0 { ' ' } else { c });
                } else if c == '{' {
                    depth = 1;
                    out.push(' ');
                } else if c == q {
                    quote = None;
                    out.push(' ');
                } else {
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// True when `text` mentions identifier `name` as a whole word.
pub fn mentions(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(name)) {
        let s = from + i;
        let e = s + name.len();
        let before_ok = s == 0 || !ident(b[s - 1]);
        let after_ok = e >= b.len() || !ident(b[e]);
        if before_ok && after_ok {
            return true;
        }
        from = e;
    }
    false
}

/// True when function `fi` is a request handler or nested in one (a callback inside it).
pub fn in_handler(cx: &Ctx, fi: usize) -> bool {
    let fns = &cx.program.functions;
    let mut i = Some(fi);
    while let Some(k) = i {
        if k == 0 {
            return false;
        }
        if fns[k].is_handler() {
            return true;
        }
        i = fns[k].parent;
    }
    false
}

/// Tables and models whose rows accumulate with use (stems, after `entity_key`).
const GROWING: [&str; 81] = [
    "order",
    "event",
    "log",
    "message",
    "user",
    "notification",
    "comment",
    "post",
    "transaction",
    "payment",
    "audit",
    "activit",
    "session",
    "click",
    "pageview",
    "visit",
    "invoice",
    "item",
    "ticket",
    "job",
    "email",
    "metric",
    "histor",
    "record",
    "document",
    "file",
    "upload",
    "review",
    "like",
    "follow",
    "booking",
    "reservation",
    "customer",
    "chat",
    "feed",
    "tweet",
    "photo",
    "video",
    "subscri",
    "signup",
    "lead",
    "contact",
    "task",
    "alert",
    "entr",
    "product",
    "submission",
    "enrollment",
    "employee",
    "conversion",
    "impression",
    "request",
    "webhook",
    "deliver",
    "shipment",
    "purchase",
    "reading",
    "trace",
    // Per-play and per-claim facts: game stats, insurance claims, rides, bids, plays.
    "stats",
    "statistic",
    "claim",
    "trip",
    "ride",
    "bid",
    "play",
    "score",
    "telemetr",
    "sample",
    "download",
    "ledger",
    "pledge",
    "donation",
    "registration",
    "appointment",
    "match",
    // Hires and visits of things that are lent out: rentals, loans, check-ins, votes.
    "rental",
    "loan",
    "checkin",
    "check_in",
    "vote",
    // Race, match and exam results: every event adds its field's rows.
    "result",
];

/// True for a table or model name that grows with use (`orders`, `AuditLog`, `chat_messages`).
pub fn grows(name: &str) -> bool {
    let k = crate::analyzer::facts::entity_key(name);
    GROWING.iter().any(|g| k.has(g))
}

/// An ORM chain or finder that lists newest first on a time field: `order_by("-created_at")`,
/// `orderBy: { createdAt: 'desc' }`, `Order("created_at desc")`, `.orderBy('sent_at', 'desc')`,
/// `Log.created_at.desc()`, `desc(Log.created_at)`, `findByOrgIdOrderByScheduledForDesc`. Such
/// rows are a history, which grows with use whatever the table is called.
pub fn newest_first(text: &str) -> bool {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let word_before = |mut i: usize| {
        while i > 0 && !ident(b[i - 1]) {
            if !matches!(
                b[i - 1],
                b' ' | b'\'' | b'"' | b':' | b',' | b'.' | b'(' | b'['
            ) {
                return "";
            }
            i -= 1;
        }
        let e = i;
        while i > 0 && ident(b[i - 1]) {
            i -= 1;
        }
        text.get(i..e).unwrap_or("")
    };
    let word_at = |mut i: usize| {
        let s = i;
        while i < b.len() && ident(b[i]) {
            i += 1;
        }
        text.get(s..i).unwrap_or("")
    };
    let lower = text.to_ascii_lowercase();
    // `…OrderByScheduledForDesc`: the field between `OrderBy` and `Desc`.
    if let Some(i) = text.find("OrderBy") {
        let name = word_at(i + 7);
        if let Some(field) = name.strip_suffix("Desc") {
            if crate::analyzer::sql::time_column(field) {
                return true;
            }
        }
    }
    let mut from = 0;
    while let Some(k) = lower[from..].find("desc") {
        let i = from + k;
        from = i + 4;
        if i > 0 && ident(b[i - 1]) || b.get(i + 4).is_some_and(|&c| ident(c)) {
            continue;
        }
        // `desc(Log.created_at)`: the field is the argument's last name.
        // `Entry.entered_at.desc()`: the method of the field before it.
        let field = if b.get(i + 4) == Some(&b'(') && b.get(i + 5) != Some(&b')') {
            let arg = word_at(i + 5);
            let after = i + 5 + arg.len();
            if b.get(after) == Some(&b'.') {
                word_at(after + 1)
            } else {
                arg
            }
        } else {
            word_before(i)
        };
        if crate::analyzer::sql::time_column(field) {
            return true;
        }
    }
    // Django: `order_by("-created_at")`.
    text.match_indices("\"-")
        .chain(text.match_indices("'-"))
        .any(|(i, _)| crate::analyzer::sql::time_column(word_at(i + 2)))
}

/// The outermost call of the method chain that `c` starts (`X.objects.filter(…)` →
/// `X.objects.filter(…).order_by(…)`), found among `f`'s calls by location.
pub fn chain_end<'a>(f: &'a Function, c: &'a Call) -> &'a Call {
    let mut best = c;
    for o in &f.calls {
        if o.loc.start == c.loc.start && o.loc.end > best.loc.end {
            best = o;
        }
    }
    best
}

/// Names holding the result of call `c` and of values built from it (one step:
/// `rows = …; data = [dict(r) for r in rows]`).
pub fn result_names(f: &Function, c: &Call) -> Vec<String> {
    let mut names: Vec<String> = f
        .assigns
        .iter()
        .filter(|a| a.loc.contains(&c.loc))
        .flat_map(|a| a.names.iter().cloned())
        .collect();
    let mut k = 0;
    while k < names.len() && names.len() < 16 {
        let n = names[k].clone();
        for a in &f.assigns {
            if a.loc.start > c.loc.end && mentions(&a.value, &n) {
                for x in &a.names {
                    if !names.contains(x) {
                        names.push(x.clone());
                    }
                }
            }
        }
        k += 1;
    }
    names
}

const RESPOND: [&str; 14] = [
    "json",
    "jsonify",
    "JsonResponse",
    "Response",
    "send",
    "render",
    "render_template",
    "ORJSONResponse",
    "JSONResponse",
    "status",
    "ok",
    "success",
    "make_response",
    "dumps",
];

/// `o` answers the request: a response call, not a renderer of something else
/// (`PayslipPdf.render(…)` draws a PDF; Django's `render(request, …)` and `res.render(…)`
/// answer).
fn responds(o: &Call) -> bool {
    RESPOND.contains(&o.method.as_str())
        && (o.method != "render"
            || matches!(
                o.receiver.as_str(),
                "" | "res" | "response" | "reply" | "ctx" | "c" | "shortcuts"
            ))
}

/// Where the result of call `c` reaches the client: the line of a `return`, `res.json(…)`,
/// `jsonify(…)`, a serializer or a template render that uses it. `None` when it stays inside.
pub fn returned_line(cx: &Ctx, fi: usize, c: &Call) -> Option<usize> {
    let f = &cx.program.functions[fi];
    // The call sits in a response call or a return statement itself.
    for o in &f.calls {
        if o.loc.contains(&c.loc) && o.loc != c.loc && responds(o) {
            return Some(o.loc.span.start_line);
        }
    }
    let line = cx.lines.line_text(c.loc.span.start_line).trim_start();
    if line.starts_with("return ") || line.starts_with("return(") {
        return Some(c.loc.span.start_line);
    }
    let mut names = result_names(f, c);
    // `cur.execute(…)` then `rows = cur.fetchall()` / `jsonify(cur.fetchall())`.
    let recv = c.receiver.as_str();
    if !recv.is_empty() && recv.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        for o in &f.calls {
            if o.loc.start > c.loc.end
                && o.receiver == recv
                && matches!(
                    o.method.as_str(),
                    "fetchall" | "fetchmany" | "all" | "mappings"
                )
            {
                names.push(recv.to_string());
                names.extend(
                    f.assigns
                        .iter()
                        .filter(|a| a.loc.contains(&o.loc))
                        .flat_map(|a| a.names.iter().cloned()),
                );
            }
        }
        let derived: Vec<String> = f
            .assigns
            .iter()
            .filter(|a| a.loc.start > c.loc.end && names.iter().any(|n| mentions(&a.value, n)))
            .flat_map(|a| a.names.iter().cloned())
            .collect();
        names.extend(derived);
    }
    // Rows copied one by one into a list that is then sent (`while (rs.next()) out.add(new
    // Rec(rs.getLong(…)))`, `for r in rows: out.append(r)`): the list carries them.
    let collected: Vec<String> = f
        .calls
        .iter()
        .filter(|o| {
            o.loc.start > c.loc.end
                && matches!(o.method.as_str(), "add" | "append" | "push")
                && plain_ident(&o.receiver)
                && names.iter().any(|n| mentions(&o.args_text(), n))
        })
        .map(|o| o.receiver.clone())
        .collect();
    for n in collected {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    if names.is_empty() {
        return None;
    }
    for o in &f.calls {
        if o.loc.start > c.loc.end
            && (responds(o)
                || o.method.ends_with("Serializer")
                || o.method.ends_with("Schema")
                || o.method == "model_validate")
            && {
                // Not a word of a message (`{"error": "upload the panel photos first"}`).
                let code = code_parts(&o.args_text());
                names.iter().any(|n| mentions(&code, n))
            }
        {
            return Some(o.loc.span.start_line);
        }
    }
    // `return orders` / `return {"orders": [o.to_dict() for o in orders]}`
    let body = cx.source.get(c.loc.end..f.loc.end)?;
    let mut offset = c.loc.end;
    for l in body.split_inclusive('\n') {
        let t = l.trim_start();
        // Koa answers by assigning `ctx.body`.
        // A return that runs over several lines (`return [\n {…}\n for e in rows\n ]`):
        // the statement up to where its brackets close.
        let statement = || {
            let from = offset + (l.len() - t.len());
            let rest = cx.source.get(from..f.loc.end).unwrap_or("");
            let mut depth = 0i32;
            let mut end = rest.len();
            for (i, ch) in rest.char_indices() {
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    '\n' if depth <= 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            &rest[..end]
        };
        if (t.starts_with("return ")
            || t.starts_with("return(")
            || t.starts_with("yield ")
            || t.starts_with("ctx.body ="))
            && (names.iter().any(|n| mentions(t, n)) || {
                // Its code, not the words of a file name (`f"invoices-{account_id}.zip"`).
                let whole = code_parts(statement());
                names.iter().any(|n| mentions(&whole, n))
            })
        {
            let at = offset + (l.len() - t.len());
            return Some(cx.lines.span(at, at).start_line);
        }
        offset += l.len();
    }
    None
}

/// For a statement of a SQL file (its pseudo-call covers leading comments), the location of
/// its first keyword; other locations unchanged.
pub fn statement_loc(cx: &Ctx, loc: &Loc) -> Loc {
    let text = cx.text(loc);
    let mut i = 0;
    let b = text.as_bytes();
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'-') && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b.get(i) == Some(&b'/') && b.get(i + 1) == Some(&b'*') {
            match text[i..].find("*/") {
                Some(e) => i += e + 2,
                None => break,
            }
        } else {
            break;
        }
    }
    if i == 0 || i >= b.len() {
        return *loc;
    }
    let start = loc.start + i;
    Loc {
        start,
        end: loc.end,
        span: cx.lines.span(start, loc.end),
    }
}

/// Words of the identifiers in `text`, lower-case, split at non-identifier characters, `_` and
/// camelCase humps: `req.user.orgId` → `req`, `user`, `org`, `id`; `project__org` → `project`,
/// `org`.
pub fn ident_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            cur.push(ch.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// An ORM call: the model it touches, the method that opens the chain and the whole chain.
#[derive(Clone, Debug)]
pub struct OrmSite {
    /// The model, repository or collection as written (`Invoice`, `invoice`, `invoiceRepo`).
    pub model: String,
    /// The first method of the chain (`filter`, `findMany`, `query`, `create`).
    pub method: String,
    /// The outermost call of the chain (`….filter(…).order_by(…)`).
    pub chain: Loc,
}

/// Methods of Sequelize, Mongoose and TypeORM models and repositories.
const MODEL_METHODS: [&str; 33] = [
    "findAll",
    "findOne",
    "findByPk",
    "findById",
    "find",
    "findBy",
    "findOneBy",
    "findOneOrFail",
    "findAndCountAll",
    "findAndCount",
    "count",
    "countDocuments",
    "update",
    "updateOne",
    "updateMany",
    "destroy",
    "delete",
    "deleteOne",
    "deleteMany",
    "remove",
    "findOneAndUpdate",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findOneAndDelete",
    "create",
    "bulkCreate",
    "insertMany",
    "insert",
    "save",
    "aggregate",
    "createQueryBuilder",
    "upsert",
    "exists",
];

/// Methods of a Prisma model delegate.
const PRISMA_METHODS: [&str; 17] = [
    "findMany",
    "findFirst",
    "findFirstOrThrow",
    "findUnique",
    "findUniqueOrThrow",
    "create",
    "createMany",
    "update",
    "updateMany",
    "upsert",
    "delete",
    "deleteMany",
    "count",
    "aggregate",
    "groupBy",
    "findRaw",
    "aggregateRaw",
];

fn capitalised(s: &str) -> bool {
    let mut ch = s.chars();
    ch.next().is_some_and(|c| c.is_ascii_uppercase()) && ch.any(|c| c.is_ascii_lowercase())
}

fn plain_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The ORM call that `c` opens, if any: Django (`X.objects.…`, `get_object_or_404(X, …)`),
/// SQLAlchemy (`session.query(X)…`, `select(X)…`, `X.query.…`, `session.get(X, id)`), Prisma
/// (`prisma.x.findMany`), Sequelize/Mongoose/TypeORM (`X.findAll`, `xRepository.find`).
/// Only the innermost call of a chain matches, so each chain is reported once.
pub fn orm_site(f: &Function, c: &Call) -> Option<OrmSite> {
    let recv = c.receiver.as_str();
    let m = c.method.as_str();
    let arg0 = c.args.first().map(|a| a.text.trim()).unwrap_or("");
    let model = if let Some(r) = recv.strip_suffix(".objects") {
        Some(r.rsplit('.').next().unwrap_or(r).to_string())
    } else if matches!(m, "get_object_or_404" | "get_list_or_404") && recv.is_empty() {
        Some(arg0.to_string())
    } else if (m == "query" && !recv.is_empty()
        || matches!(m, "select" | "delete" | "update") && recv.is_empty())
        && capitalised(arg0.split(['.', ',']).next().unwrap_or(""))
    {
        Some(arg0.split(['.', ',']).next().unwrap_or(arg0).to_string())
    } else if m == "get"
        && (recv.ends_with("session") || recv == "db" || recv.ends_with(".db"))
        && capitalised(arg0)
        && c.args.len() >= 2
    {
        Some(arg0.to_string())
    } else if let Some(r) = recv.strip_suffix(".query").filter(|r| capitalised(r)) {
        Some(r.to_string())
    } else if PRISMA_METHODS.contains(&m)
        && recv.rsplit_once('.').is_some_and(|(client, model)| {
            let client = client.rsplit('.').next().unwrap_or(client);
            matches!(client, "prisma" | "db" | "tx" | "client" | "prismaClient")
                && plain_ident(model)
                && model.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        })
    {
        recv.rsplit('.').next().map(str::to_string)
    } else if MODEL_METHODS.contains(&m) {
        let last = recv.rsplit('.').next().unwrap_or(recv);
        let repo = last.ends_with("Repository")
            || last.ends_with("Repo")
            || last.ends_with("repo")
            || last.ends_with("Model");
        // A payment or messaging SDK's resources (`stripe.checkout.Session.create(…)`,
        // `twilio.rest.Client`) are remote calls, not the snippet's models.
        let sdk = [
            "stripe.",
            "paypalrestsdk.",
            "braintree.",
            "twilio.",
            "boto3.",
            "shopify.",
        ]
        .iter()
        .any(|p| recv.starts_with(p));
        let ok = plain_ident(last)
            && !sdk
            && (capitalised(last) || repo || typeorm_field_read(c))
            && !(m == "find" && c.args_text().has("=>"))
            && !matches!(
                last,
                "Object" | "Array" | "Promise" | "JSON" | "Math" | "Date" | "Reflect"
            );
        ok.then(|| last.to_string())
    } else {
        None
    }?;
    if model.is_empty() {
        return None;
    }
    Some(OrmSite {
        model,
        method: m.to_string(),
        chain: chain_end(f, c).loc,
    })
}

/// A GORM read (`db.First(&u, id)`, `db.Where("org_id = ?", org).Find(&rows)`): the variable
/// the rows land in (`u`, `rows`) and the method. GORM reads always take a destination
/// pointer, and the chain starts from a `*gorm.DB` (`db`, `tx`, `s.db`, `r.DB`).
pub fn gorm_read(c: &Call) -> Option<(String, String)> {
    let m = c.method.as_str();
    if !matches!(
        m,
        "First" | "Find" | "Take" | "Last" | "Pluck" | "FirstOrInit" | "Count"
    ) {
        return None;
    }
    let dest = c
        .args
        .iter()
        .find_map(|a| a.text.trim().strip_prefix('&'))?
        .trim();
    let root = c.receiver.split('(').next().unwrap_or("");
    let db = root.split('.').any(|s| {
        let s = s.to_ascii_lowercase();
        s.ends_with("db") || s == "tx" || s == "gorm" || s == "orm"
    });
    let chain = [
        ".Where(",
        ".Model(",
        ".Preload(",
        ".Joins(",
        ".Table(",
        ".WithContext(",
        // `q := db.Where(…)` then `q.Order("pickup_at DESC").Find(&res)`.
        ".Order(",
    ]
    .iter()
    .any(|k| c.receiver.has(k));
    let name = dest.split(['{', '[']).next().unwrap_or(dest).trim();
    (db || chain)
        .then(|| name.to_string())
        .filter(|n| !n.is_empty())
        .map(|n| (n, m.to_string()))
}

/// A Spring Data repository or JPA read (`customerRepository.findById(id)`,
/// `orders.findAllByCustomerId(id)`, `entityManager.find(Order.class, id)`): the repository
/// as written and the method.
pub fn spring_data_read(c: &Call) -> Option<(String, String)> {
    let recv = c.receiver.rsplit('.').next().unwrap_or(&c.receiver);
    let m = c.method.as_str();
    let lower = recv.to_ascii_lowercase();
    let repo = lower.ends_with("repository")
        || lower.ends_with("repo")
        || lower.ends_with("dao")
        || lower.ends_with("repositories");
    let em = lower == "em" || lower.ends_with("entitymanager");
    let derived = [
        "find", "get", "read", "query", "search", "stream", "count", "exists",
    ]
    .iter()
    .any(|p| {
        m.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|ch: char| ch.is_ascii_uppercase())
        })
    });
    let ok = repo && derived && plain_ident(recv)
        || em
            && matches!(
                m,
                "find" | "getReference" | "createQuery" | "createNativeQuery"
            );
    ok.then(|| (recv.to_string(), m.to_string()))
}

/// Java names declared with a repository or DAO type (`OrderRepository orders`), as (name,
/// type): fields and constructor or method parameters. `interface XRepository extends …`
/// declares the type itself and is skipped.
pub fn typed_repositories(source: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = source
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in words.windows(2) {
        let [ty, name] = pair else { continue };
        let repo_type = ty.starts_with(|c: char| c.is_ascii_uppercase())
            && ["Repository", "Repo", "Dao", "DAO"]
                .iter()
                .any(|s| ty.len() > s.len() && ty.ends_with(s));
        let variable = name.starts_with(|c: char| c.is_ascii_lowercase())
            && !matches!(*name, "extends" | "implements" | "interface" | "class");
        if repo_type && variable && !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), ty.to_string()));
        }
    }
    out
}

/// [`spring_data_read`], also for a repository that goes by any name (`orders.findAll()` on a
/// field declared `OrderRepository orders`): the repository's type and the method.
pub fn spring_repo_read(cx: &Ctx, c: &Call) -> Option<(String, String)> {
    if let Some(r) = spring_data_read(c) {
        return Some(r);
    }
    let (_, ty) = cx.repositories().iter().find(|(n, _)| *n == c.receiver)?;
    let probe = Call {
        receiver: ty.clone(),
        callee: format!("{ty}.{}", c.method),
        ..c.clone()
    };
    spring_data_read(&probe)
}

/// An outbound HTTP request in Go or Java (`http.Get(url)`, `client.Do(req)`,
/// `restTemplate.getForObject(url, T.class)`, `webClient.get().uri(url)`,
/// `httpClient.send(req, …)`): its URL argument as written and whether it only reads.
pub fn http_request(c: &Call) -> Option<(String, bool)> {
    let recv = c.receiver.as_str();
    let lower = recv.to_ascii_lowercase();
    let m = c.method.as_str();
    let arg0 = || {
        c.args
            .first()
            .map(|a| a.string.clone().unwrap_or_else(|| a.text.clone()))
            .unwrap_or_default()
    };
    let client = lower.ends_with("client") || lower == "http.defaultclient";
    match m {
        // Go net/http
        "Get" | "Head" if recv == "http" || client => Some((arg0(), true)),
        "Post" | "PostForm" if recv == "http" || client => Some((arg0(), false)),
        "Do" if client => Some((arg0(), true)),
        // Java RestTemplate / RestClient / HttpClient / WebClient
        "getForObject" | "getForEntity" if lower.ends_with("template") => Some((arg0(), true)),
        "postForObject" | "postForEntity" | "put" | "patchForObject" | "delete"
            if lower.ends_with("template") =>
        {
            Some((arg0(), false))
        }
        "exchange" if lower.ends_with("template") => Some((arg0(), c.args_text().has("GET"))),
        "send" | "sendAsync" if client => Some((arg0(), true)),
        "uri" if lower.ends_with(".get()") && lower.has("client") => Some((arg0(), true)),
        _ => None,
    }
}

/// A string argument among the first three that reads as SQL (sqlx
/// `GetContext(ctx, &dest, query, …)` has it third).
pub fn direct_sql(c: &Call) -> Option<SqlStatement> {
    c.args
        .iter()
        .take(3)
        .find_map(|a| a.string.as_deref().and_then(sql::parse))
}

/// The snippet's own function that call `c` (in function `fi`, `f`) runs: a helper, a
/// repository or service method (`h.spotsLeft(ctx, id)`, `self.repo.count_active(id)`), not a
/// handler and not a function nested in `f`. Names too common to follow without `self.` /
/// `this.` are not followed: `cache.get` is not the snippet's own `get`.
pub fn own_helper<'a>(cx: &Ctx<'a>, fi: usize, f: &Function, c: &Call) -> Option<&'a Function> {
    const GENERIC: [&str; 16] = [
        "get", "set", "save", "find", "query", "execute", "exec", "update", "delete", "insert",
        "create", "add", "remove", "put", "fetch", "load",
    ];
    let own = matches!(c.receiver.split('.').next(), Some("self" | "this"));
    // Go's exported names are capitalised: `r.Header.Get(…)` is no more the snippet's `Get`
    // than `cache.get(…)` is.
    let generic = GENERIC.contains(&c.method.to_ascii_lowercase().as_str());
    if !own && (generic || c.receiver.contains('(')) {
        return None;
    }
    let g = cx.function_named(&c.method)?;
    (!std::ptr::eq(g, f) && g.parent != Some(fi) && !g.is_handler()).then_some(g)
}

/// A scheduler's registration call: `cron.schedule('*/10 * * * *', …)`, `setInterval(…)`,
/// `scheduler.add_job(…)`, `c.AddFunc(…)`, `agenda.every(…)`.
fn schedules(c: &Call) -> bool {
    matches!(
        c.method.as_str(),
        "schedule" | "scheduleJob" | "setInterval" | "every" | "add_job" | "AddFunc" | "repeat"
    ) || c.receiver.to_ascii_lowercase().has("cron")
}

/// The comment right above a function (or its docstring) says a scheduler runs it: "Run is
/// called every ten minutes by the clinic's scheduler", "nightly cron job".
fn described_as_job(cx: &Ctx, f: &Function) -> bool {
    let first = f.loc.span.start_line;
    let mut said = String::new();
    for l in (first.saturating_sub(3).max(1)..first).rev() {
        let t = cx.lines.line_text(l).trim_start();
        if !(t.starts_with("//") || t.starts_with('#') || t.starts_with('*') || t.starts_with("/*"))
        {
            break;
        }
        said.push_str(&t.to_ascii_lowercase());
    }
    let doc = cx.lines.line_text(first + 1).trim_start();
    if doc.starts_with("\"\"\"") {
        said.push_str(&doc.to_ascii_lowercase());
    }
    // "every ten minutes", "every 5 min", "every night": a unit within two words of "every"
    // ("for every finished board on club night" is no schedule).
    let every_unit = said.match_indices("every ").any(|(i, _)| {
        said[i + "every ".len()..]
            .split_whitespace()
            .take(2)
            .any(|w| {
                ["min", "hour", "night", "day", "morning"]
                    .iter()
                    .any(|u| w.starts_with(u))
            })
    });
    every_unit
        || ["scheduler", "cron", "nightly", "hourly", "periodic"]
            .iter()
            .any(|k| said.has(k))
}

/// For each function, whether it runs as a background job rather than for a request: a Celery
/// task, an `@Scheduled` or `@Async` method, a callback a scheduler registers, a function its
/// comment says a scheduler runs, or a helper that only such jobs call (followed a few calls
/// deep). One run at a time walks its rows, so a read and a later write there do
/// not race with a second request. Computed for all functions at once: who calls whom is
/// indexed in one pass over the calls (asking per function made long files quadratic).
pub fn background_jobs(cx: &Ctx) -> Vec<bool> {
    let fns = &cx.program.functions;
    let scheduled_callback = |i: usize| {
        let g = &fns[i];
        g.parent.is_some_and(|p| {
            fns[p]
                .calls
                .iter()
                .any(|c| c.loc.contains(&g.loc) && schedules(c))
        })
    };
    let direct: Vec<bool> = (0..fns.len())
        .map(|i| {
            i > 0
                && !fns[i].is_handler()
                && (fns[i].runs_in_background()
                    || scheduled_callback(i)
                    || described_as_job(cx, &fns[i]))
        })
        .collect();
    // Callers of each name: plain or `self.`/`this.` calls of the snippet's own functions.
    let mut callers: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (gi, g) in fns.iter().enumerate().skip(1) {
        for c in &g.calls {
            if c.receiver.is_empty() || matches!(c.receiver.as_str(), "self" | "this") {
                let v = callers.entry(c.method.as_str()).or_default();
                if v.last() != Some(&gi) {
                    v.push(gi);
                }
            }
        }
    }
    // A function whose every caller is a job runs as a job: `cron.schedule(…, () =>
    // runNightly())`, then `runNightly` calls `planTomorrow`. Followed a few calls deep.
    let mut jobs = direct;
    for _ in 0..4 {
        let next: Vec<bool> = (0..fns.len())
            .map(|fi| {
                if fi == 0 || fns[fi].is_handler() {
                    return false;
                }
                if jobs[fi] {
                    return true;
                }
                let mut by = callers
                    .get(fns[fi].name.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|&&gi| gi != fi)
                    .peekable();
                by.peek().is_some() && by.all(|&gi| jobs[gi])
            })
            .collect();
        if next == jobs {
            break;
        }
        jobs = next;
    }
    jobs
}

/// The SQL a call runs. A call whose SQL was only found inside an argument's text (a loader
/// closure: `group.Do(key, func() { db.QueryContext(…) })`) leaves it to the call within.
pub fn query_sql(cx: &Ctx, f: &Function, c: &Call) -> Option<SqlStatement> {
    let s = call_sql(f, c).or_else(|| direct_sql(c))?;
    // SQLAlchemy's `text("…")` inside `db.execute(…)`: the execute is the query (one statement,
    // reported once, on the call that runs it).
    if c.receiver.is_empty()
        && matches!(c.method.as_str(), "text" | "sql")
        && f.calls
            .iter()
            .any(|o| o.loc != c.loc && o.loc.contains(&c.loc) && call_sql(f, o).is_some())
    {
        return None;
    }
    if !c.args.iter().any(|a| a.text.contains('(')) {
        return Some(s);
    }
    // A call inside `c` belongs to `f` or to a function nested in `c`'s arguments; those
    // start inside `c` (functions come in source order). Scanning every function's calls per
    // query made this quadratic on long files.
    let fns = &cx.program.functions;
    let first = fns.partition_point(|g| g.loc.start < c.loc.start);
    let inside = fns[first..]
        .iter()
        .take_while(|g| g.loc.start < c.loc.end)
        .filter(|g| c.loc.contains(&g.loc));
    let nested = std::iter::once(f).chain(inside).any(|g| {
        g.calls.iter().any(|d| {
            d.loc != c.loc
                && c.loc.contains(&d.loc)
                && d.loc.span.start_line != c.loc.span.start_line
                // `execute(text("…"))`: the wrapper is not the query.
                && !d.receiver.is_empty()
                && !matches!(d.method.as_str(), "text" | "sql" | "raw" | "literal")
                && direct_sql(d).is_some()
        })
    });
    (!nested).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_headers() {
        let h = |t: &str| loop_header(t).map(|(v, i)| (v.join(","), i));
        assert_eq!(
            h("for row in rows:\n    x"),
            Some(("row".into(), "rows".into()))
        );
        assert_eq!(
            h("for (const { id, author: a } of posts) {"),
            Some(("id,a".into(), "posts".into()))
        );
        assert_eq!(
            h("for (let i = 0; i < orders.length; i++) {"),
            Some(("i".into(), "orders".into()))
        );
        assert_eq!(
            h("for _, o := range orders {"),
            Some(("o".into(), "orders".into()))
        );
        assert_eq!(
            h("for (Order o : orders) {"),
            Some(("o".into(), "orders".into()))
        );
        assert_eq!(
            h("[get(u.id) for u in users if u.active]"),
            Some(("u".into(), "users".into()))
        );
        assert_eq!(h("while True:"), None);
        assert_eq!(
            callback_receiver("await Promise.all(rows.map("),
            Some("rows".into())
        );
        assert!(mentions("(row['id'],)", "row") && !mentions("rows", "row"));
    }
}
