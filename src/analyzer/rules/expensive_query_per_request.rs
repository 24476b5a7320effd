//! # expensive-query-per-request
//!
//! ## What it does
//! Flags a heavy aggregate query that a request handler (or a helper it calls, or a Next.js
//! page) runs on every call with no cache around it: `GROUP BY` with `COUNT`/`SUM`/`AVG` over a
//! `JOIN`, `ORDER BY` an aggregate, window functions, `COUNT(*)` or `GROUP BY` over a whole
//! growing table, `GROUP BY` over the raw events of a time window ("downloads per day for the
//! last 90 days"); the ORM forms of the same (Django `annotate(Count(…))`, SQLAlchemy
//! `func.count(…)` with `group_by`, Prisma `groupBy` or `orderBy: { x: { _count } }`,
//! Sequelize `fn('COUNT')` with `group`, Mongoose `aggregate([{ $group }, { $sort }])`,
//! Knex/TypeORM `groupBy`, GORM `Select("…, COUNT(*)").Group(…)` with `Joins`/`Order`;
//! Go `database/sql`/sqlx and Java `JdbcTemplate`/`createNativeQuery` strings). In a `.sql` file, only statements that the file says run on every
//! page view or request.
//!
//! ## Why is this bad at scale
//! The query joins and groups every row each time someone opens the page. With a few thousand
//! rows it takes milliseconds; with millions of follows or orders it takes seconds, then tens of
//! seconds, and every visitor pays it again, for a result that changes slowly. An onboarding
//! page that ranked artists by follower count this way took 30-50 s; precomputed once a night it
//! was served in under 50 ms.
//!
//! ## Example
//! ```python
//! @app.get("/onboarding/artists")
//! def top_artists():
//!     return db.execute("""
//!         SELECT a.*, COUNT(f.id) AS follower_count FROM artists a
//!         LEFT JOIN follows f ON f.artist_id = a.id
//!         GROUP BY a.id ORDER BY follower_count DESC LIMIT 100""").fetchall()
//! ```
//!
//! ## Use instead
//! Compute it ahead of time and read the result: a materialized view or summary table
//! refreshed by a scheduled job, or a cache with a TTL around the query.
//! ```python
//! @app.get("/onboarding/artists")
//! def top_artists():
//!     return db.execute("SELECT * FROM artist_follower_counts ORDER BY follower_count DESC LIMIT 100").fetchall()
//! # nightly job: REFRESH MATERIALIZED VIEW CONCURRENTLY artist_follower_counts;
//! ```
//! The rule is silent when the handler or helper is cached (`lru_cache`/`ttl_cache`/`cached`
//! decorators, `@cache_page`, `cache.get`/`cache.set`, Redis get-then-set, Next.js
//! `unstable_cache` or `revalidate`, `Cache-Control: max-age`, Nest `CacheInterceptor`, Spring
//! `@Cacheable`, go-redis get-then-set) and when the query reads a
//! precomputed table or materialized view (`*_stats`, `*_summary`, `mv_*`, `*_daily`, …).
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, and SQL (files that say they run per page view).

use super::queries::query_sql;
use super::queries::{chain_end, grows, in_handler, orm_site, statement_loc};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function};
use crate::analyzer::find::Has;
use crate::analyzer::sql::{SqlKind, SqlStatement};
use crate::analyzer::{Finding, Language, Severity};
use std::cell::OnceCell;
use std::collections::BTreeMap;

pub const ID: &str = "expensive-query-per-request";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Heavy aggregate query recomputed on every request",
    what_it_does: "Flags a heavy aggregate query that a request handler (or a helper it calls, or a Next.js page) runs on every call with no cache around it: GROUP BY with COUNT/SUM/AVG over a JOIN, ORDER BY an aggregate, window functions, COUNT(*) or GROUP BY over a whole growing table, GROUP BY over the raw events of a time window, and the ORM forms (Django annotate(Count()), SQLAlchemy func.count + group_by, Prisma groupBy / orderBy _count, Sequelize fn('COUNT') + group, Mongoose $group + $sort, Knex/TypeORM groupBy, GORM Group with Joins/Order, Go database/sql/sqlx and Java JdbcTemplate/native-query strings). In a .sql file, only statements the file says run per page view or request.",
    why_bad_at_scale: "The query joins and groups every row each time someone opens the page. With a few thousand rows it takes milliseconds; with millions it takes seconds, then tens of seconds, and every visitor pays it again for a result that changes slowly. An onboarding page ranking artists by follower count this way took 30-50 s; precomputed nightly it was served in under 50 ms.",
    example: "@app.get(\"/onboarding/artists\")\ndef top_artists():\n    return db.execute(\"\"\"\n        SELECT a.*, COUNT(f.id) AS follower_count FROM artists a\n        LEFT JOIN follows f ON f.artist_id = a.id\n        GROUP BY a.id ORDER BY follower_count DESC LIMIT 100\"\"\").fetchall()",
    use_instead: "@app.get(\"/onboarding/artists\")\ndef top_artists():\n    return db.execute(\"SELECT * FROM artist_follower_counts ORDER BY follower_count DESC LIMIT 100\").fetchall()\n# nightly job: REFRESH MATERIALIZED VIEW CONCURRENTLY artist_follower_counts;\n\nOr cache the result with a TTL (ttl_cache, cache.get/set, Redis, Next.js unstable_cache / revalidate, Nest CacheInterceptor, Spring @Cacheable, go-redis Get/Set).",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

/// Names of precomputed tables and views: reading them is the fix, not the problem.
pub(crate) fn precomputed(table: &str, source_lower: &str) -> bool {
    let t = table.to_ascii_lowercase();
    [
        "mv_",
        "_mv",
        "materialized",
        "precomputed",
        "summary",
        "summaries",
        "stats",
        "rollup",
        "daily",
        "hourly",
        "weekly",
        "monthly",
        "snapshot",
        "cache",
        "counts",
        "totals",
        "agg",
        "report",
        "leaderboard",
    ]
    .iter()
    .any(|k| t.has(k))
        // Checked only when the text declares a view at all: a search of the whole text per
        // query made large files quadratic.
        || source_lower.has("materialized view")
            && (source_lower.has(&format!("materialized view {t}"))
                || source_lower.has(&format!("materialized view if not exists {t}")))
}

/// Columns that partition a whole customer's data: a filter on one still leaves every row of
/// that customer.
const TENANT_COLUMNS: [&str; 8] = [
    "tenant_id",
    "org_id",
    "organization_id",
    "organisation_id",
    "account_id",
    "workspace_id",
    "team_id",
    "company_id",
];

/// What makes a SQL statement heavy, for the message; `None` when it is not.
fn sql_heavy(s: &SqlStatement, source_lower: &str) -> Option<String> {
    // A CTE (`WITH team_totals AS (…)`) is computed by the statement itself, however
    // precomputed its name sounds.
    // Reading a rollup is the fix; joining one onto raw tables that grow (`users JOIN
    // fantasy_teams JOIN player_game_stats`) still aggregates the raw rows.
    let pre = |t: &String| !s.ctes.contains(t) && precomputed(t, source_lower);
    if s.kind != SqlKind::Select
        || pre(&s.table)
        || s.tables.iter().any(pre) && s.tables.iter().all(|t| pre(t) || !grows(t))
    {
        return None;
    }
    // The rows of one short-lived thing (`WHERE e.session_id = $1`: one shooting session's
    // ends, one match's moves, one order's lines): a handful, however they are grouped.
    let one_occasion = s.predicates.iter().any(|p| {
        p.op == "="
            && !p.batched
            && p.column.strip_suffix("_id").is_some_and(|stem| {
                matches!(
                    stem,
                    "session"
                        | "match"
                        | "game"
                        | "round"
                        | "heat"
                        | "race"
                        | "order"
                        | "visit"
                        | "trip"
                        | "meeting"
                        | "booking"
                        | "invoice"
                        | "fixture"
                        | "bout"
                        | "task"
                        | "shift"
                )
            })
    });
    if one_occasion {
        return None;
    }
    let aggs = s.aggregates.join(", ").to_uppercase();
    let joined: Vec<&str> = s.tables.iter().skip(1).map(String::as_str).collect();
    let join_text = if joined.is_empty() {
        String::new()
    } else {
        format!(" joined with `{}`", joined.join("`, `"))
    };
    if s.window {
        return Some(format!(
            "computes a window function over `{}`{join_text}",
            s.table
        ));
    }
    if s.order_by_aggregate && !s.aggregates.is_empty() {
        return Some(format!(
            "groups `{}`{join_text} and sorts by an aggregate ({aggs})",
            s.table
        ));
    }
    // Grouped by the id it is filtered on (`WHERE p.id = $1 … GROUP BY p.id`): one record and
    // its own child rows, one group.
    // Or grouped by a column of that one record (`WHERE r.id = $1 GROUP BY r.daily_capacity`).
    let one_record = s
        .predicates
        .iter()
        .any(|p| p.op == "=" && p.column == "id" && !p.batched);
    // One person's rows of one period (`donor_id = :donor AND given_at >= … AND given_at < …`)
    // or the records of a window of a table that does not grow (`delivery_slots` of the next
    // three days, grouped per slot): a handful of groups over a handful of rows.
    let window = s.range_on(|_| true);
    // The partition (`church_id = :church`) and, within it, one owner (`donor_id = :donor`).
    let mut ids: Vec<&str> = s
        .predicates
        .iter()
        .filter(|p| p.op == "=" && !p.batched && p.column.ends_with("_id"))
        .map(|p| p.column.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let one_owner = ids.len() >= 2 && ids.iter().any(|c| !TENANT_COLUMNS.contains(c));
    let few_records = s.group_columns.iter().any(|g| g == "id")
        && !grows(&s.table)
        && s.predicates.iter().any(|p| p.op == "between");
    // One parent's records, each with its own child rows counted (`plot_visits v LEFT JOIN
    // observations o … WHERE v.plot_id = :p GROUP BY v.id LIMIT 20`): a page of one plot.
    let children_of_one_parent = s.group_columns.iter().any(|g| g == "id")
        && s.limit.is_some()
        && s.predicates
            .iter()
            .any(|p| p.op == "=" && !p.batched && p.column.ends_with("_id"));
    let narrow = window && (one_owner || few_records) || children_of_one_parent;
    if s.group_by && !s.aggregates.is_empty() && s.joins > 0 && !one_record && !narrow {
        return Some(format!("groups `{}`{join_text} with {aggs}", s.table));
    }
    // Several aggregates over a join of growing tables (`count(DISTINCT o.id)`,
    // `sum(oi.quantity * …)` over orders JOIN order_items) for a whole account, not one row.
    if s.joins > 0
        && s.aggregates.len() >= 2
        && s.tables.iter().filter(|t| grows(t)).count() >= 2
        && !s.predicates.iter().any(|p| p.op == "=" && p.column == "id")
    {
        return Some(format!(
            "aggregates `{}`{join_text} ({aggs}) over every matching row",
            s.table
        ));
    }
    // Raw events of a growing table grouped over a time window on every request ("downloads
    // per day for the last 90 days"): the window holds every event in it.
    let time_window = s.predicates.iter().any(|p| {
        matches!(p.op.as_str(), ">" | ">=" | "between")
            && (p.column.ends_with("_at") || p.column.ends_with("date") || p.column == "day")
    });
    if s.group_by
        && !s.aggregates.is_empty()
        && time_window
        && !narrow
        && s.tables.iter().any(|t| grows(t))
    {
        return Some(format!(
            "groups the `{}` rows of a time window with {aggs}",
            s.table
        ));
    }
    // Several statistics over a growing table that nothing narrows to a key or a window
    // (`COUNT(DISTINCT pupil_id)`, `SUM(…) FILTER (WHERE kind = 'MEAL')`, a median) for a
    // page that refreshes every 30 seconds.
    let keyed = s.predicates.iter().any(|p| {
        p.column == "id" || p.column.ends_with("_id") || !matches!(p.op.as_str(), "=" | "is")
    });
    if s.aggregates.len() >= 3 && !keyed && !s.group_by && s.tables.iter().any(|t| grows(t)) {
        return Some(format!(
            "computes {aggs} over every row of `{}`{join_text}",
            s.table
        ));
    }
    let whole_table = s.predicates.is_empty() && s.tables.iter().any(|t| grows(t));
    if whole_table && s.group_by && !s.aggregates.is_empty() {
        return Some(format!("groups every row of `{}` with {aggs}", s.table));
    }
    if whole_table && s.aggregates.iter().any(|a| a == "count") && s.joins == 0 {
        return Some(format!("counts every row of `{}`", s.table));
    }
    None
}

/// What makes an ORM or query-builder chain heavy, for the message.
fn chain_heavy(chain: &str, model: &str, method: &str) -> Option<String> {
    let c: String = chain.chars().filter(|ch| !ch.is_whitespace()).collect();
    let has = |k: &str| c.has(k);
    let agg_fn = ["Count(", "Sum(", "Avg(", "Max(", "Min("]
        .iter()
        .any(|k| has(k));
    let filtered = has(".filter(") || has("where:") || has(".where(") || has("$match");
    if has("Window(") || has(".over(") {
        return Some(format!("computes a window function over `{model}`"));
    }
    // Django: annotate(Count("relation")) joins and groups.
    if has(".annotate(") && agg_fn {
        let sorted = if has(".order_by(") {
            " and sorts by it"
        } else {
            ""
        };
        return Some(format!(
            "annotates every `{model}` with an aggregate over a relation{sorted}"
        ));
    }
    // SQLAlchemy / Knex / TypeORM builders.
    let sa_agg = [
        "func.count(",
        "func.sum(",
        "func.avg(",
        "COUNT(",
        "SUM(",
        "AVG(",
        ".count(",
        ".sum(",
        ".avg(",
    ]
    .iter()
    .any(|k| has(k));
    let grouped = has(".group_by(")
        || has(".groupBy(")
        || has(".Group(")
        || has("group:[")
        || has("group:'")
        || has("group:\"");
    let joined = has(".join(")
        || has(".outerjoin(")
        || has("Join(")
        || has("include:")
        || has(".leftJoin")
        || has(".innerJoin")
        || has(".Joins(");
    if grouped
        && (sa_agg || has("fn('COUNT'") || has("fn(\"COUNT\"") || has("fn('SUM'"))
        && (joined || has(".order_by(") || has(".orderBy(") || has("order:") || has(".Order("))
    {
        return Some(format!(
            "groups `{model}` with an aggregate{}",
            if joined {
                " over a join"
            } else {
                " and sorts by it"
            }
        ));
    }
    // Prisma.
    if method == "groupBy"
        && (has("_count") || has("_sum") || has("_avg"))
        && (!filtered || has("orderBy"))
    {
        return Some(format!("groups every `{model}` with an aggregate"));
    }
    if has("orderBy:{") && has(":{_count:") {
        return Some(format!("sorts `{model}` by a relation count"));
    }
    // Mongo aggregation pipeline.
    if method == "aggregate" && has("$group") && (has("$lookup") || has("$sort")) {
        return Some(format!("runs a `$group` pipeline over `{model}`"));
    }
    // COUNT over a whole growing table.
    if matches!(method, "count" | "countDocuments" | "aggregate") && !filtered && grows(model) {
        let args_empty = c.ends_with("()") || c.ends_with("({})");
        if args_empty || method == "count" && !c.has("where") {
            return Some(format!("counts every row of `{model}`"));
        }
    }
    None
}

/// The model a builder chain reads: GORM `Table("posts")` / `Model(&Post{})`, TypeORM
/// `sellerRepository.createQueryBuilder(…)` (→ `seller`).
fn builder_model(chain: &str) -> Option<String> {
    let compact: String = chain.chars().filter(|c| !c.is_whitespace()).collect();
    let quoted_after = |k: &str| {
        let i = compact.find(k)? + k.len();
        let rest = compact[i..].strip_prefix(['"', '`'])?;
        rest.split(['"', '`']).next().map(str::to_string)
    };
    if let Some(t) = quoted_after(".Table(") {
        return Some(t);
    }
    if let Some(i) = compact.find(".Model(&") {
        let m: String = compact[i + 8..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        return Some(m.rsplit('.').next().unwrap_or(&m).to_string()).filter(|m| !m.is_empty());
    }
    let before = &compact[..compact.find(".createQueryBuilder(")?];
    let repo = before.rsplit(['.', '(', ')']).find(|s| !s.is_empty())?;
    let model = repo
        .strip_suffix("Repository")
        .or_else(|| repo.strip_suffix("Repo"))
        .unwrap_or(repo);
    (!model.is_empty()).then(|| model.to_string())
}

/// A handler, a Next.js page component, or a Django class-based view method.
fn request_scope(cx: &Ctx, fi: usize) -> bool {
    let f = &cx.program.functions[fi];
    // An admin's action (`@router.post("/certificates/{year}", dependencies=[Depends(
    // require_admin)])`) runs when an admin asks, not with the site's traffic.
    let admin_action = f.decorators.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        [".post(", ".put(", ".patch(", "post(", "put("]
            .iter()
            .any(|v| d.has(v))
            && d.has("admin")
    });
    if admin_action {
        return false;
    }
    in_handler(cx, fi)
        || (f.name.ends_with("Page") && f.is_async)
        // Django class-based views build every response through these.
        || matches!(f.name.as_str(), "get_context_data" | "get_queryset")
            && f.params.first().is_some_and(|p| p == "self")
        || f.params.iter().any(|p| {
            let p = p.trim_start_matches('_');
            p == "request" || p == "req"
        })
        // `export async function visitorBoard(_req: NextRequest)`: a route handler by its
        // parameter's type, whatever its name.
        || !f.params.is_empty() && {
            let text = cx.text(&f.loc);
            let signature = &text[..text.find(['{', '\n']).unwrap_or(text.len())];
            signature.has(": NextRequest") || signature.has(": express.Request")
        }
}

/// Functions that run per request: handlers and the helpers they call (one level), with the
/// index of a calling handler. Computed for all functions at once, with the callers indexed by
/// name in one pass (asking per function scanned every function's calls: 0.2 s on a file of
/// 2,500 small functions).
fn per_request_all(cx: &Ctx) -> Vec<Option<usize>> {
    let fns = &cx.program.functions;
    let scope: Vec<bool> = (0..fns.len())
        .map(|i| i > 0 && request_scope(cx, i))
        .collect();
    // The first request-scope function calling each name.
    let mut first_caller: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (hi, h) in fns.iter().enumerate() {
        if !scope[hi] {
            continue;
        }
        // The loader a cache read is handed (`summaryCache.computeIfAbsent(key, k ->
        // loadSummary())`) runs on a miss: what it calls is not called per request.
        let loader = h.parent.is_some_and(|p| {
            fns[p]
                .calls
                .iter()
                .any(|g| g.loc.contains(&h.loc) && cache_loader_read(g))
        });
        if loader {
            continue;
        }
        for c in &h.calls {
            first_caller.entry(c.method.as_str()).or_insert(hi);
        }
    }
    (0..fns.len())
        .map(|fi| {
            if fi == 0 {
                return None;
            }
            if scope[fi] {
                return Some(fi);
            }
            let name = fns[fi].name.as_str();
            if name.is_empty() || name.contains(' ') {
                return None;
            }
            // Only request-scope functions are indexed, and `fi` is not one of them.
            first_caller.get(name).copied()
        })
        .collect()
}

const CACHE_MARKERS: [&str; 19] = [
    "cache",
    // Memoised, not "in memory".
    "memoiz",
    "memois",
    "memo(",
    "memo[",
    "_memo",
    "revalidate",
    "redis.get",
    "redis.set",
    "setex",
    "max-age",
    "maxage",
    "s-maxage",
    "staletime",
    // `cache.remember(key, …)`; not `access.requireMember(…)`.
    ".remember(",
    "::remember(",
    "getorset",
    "force-static",
    "lru",
];

/// A read of a key that a later call in the same function sets again (`r.get(k)` …
/// `r.set(k, v, ex=300)`): a hand-written cache.
fn get_then_set(f: &Function) -> bool {
    get_then_set_in(&f.calls.iter().collect::<Vec<_>>())
}

/// Where the last cache fill of `f` ends, when `f` caches only by a hand-written read and
/// write of one key (no decorator): the end of the `set` call. Only Redis-style writes: an
/// in-process map's `put` / `Add` / `Store` still counts as caching the whole function.
fn cache_fill_end(f: &Function) -> Option<usize> {
    if !f.decorators.is_empty() {
        return None;
    }
    let calls: Vec<&Call> = f.calls.iter().collect();
    refills(&calls)
        .filter(|s| !matches!(s.method.as_str(), "put" | "Add" | "Store"))
        .map(|s| s.loc.end)
        .max()
}

/// The cache writes among `calls` that refill a key read earlier from the same receiver
/// (`r.get(k)` … `r.set(k, v, ex=300)`): a hand-written cache.
fn refills<'a, 'c>(calls: &'a [&'c Call]) -> impl Iterator<Item = &'c Call> + 'a {
    calls.iter().copied().filter(move |s| {
        matches!(
            s.method.as_str(),
            "set" | "setex" | "set_ex" | "put" | "Set" | "SetEx" | "SetEX"
                // hashicorp/golang-lru `Add`, sync.Map `Store`.
                | "Add" | "Store"
        ) && s.args.first().is_some_and(|k2| {
            calls.iter().any(|g| {
                g.method.eq_ignore_ascii_case("get")
                    && !g.receiver.is_empty()
                    && g.receiver == s.receiver
                    && s.loc.start > g.loc.end
                    && g.args.first().is_some_and(|k| k.text == k2.text)
            })
        })
    })
}

fn get_then_set_in(calls: &[&Call]) -> bool {
    refills(calls).next().is_some()
}

/// A cache read handed the function that loads a missing entry (Caffeine `cache.get(key, k ->
/// load(k))`, `map.computeIfAbsent(key, k -> …)`); not a query handed its row mapper.
/// A route (`router.get('/top', async (req, res) => …)`) is not one.
fn cache_loader_read(g: &Call) -> bool {
    let route = g.args.first().is_some_and(|a| {
        a.text
            .trim_start()
            .trim_start_matches(['\'', '"', '`'])
            .starts_with('/')
    });
    matches!(g.method.as_str(), "get" | "computeIfAbsent")
        && !route
        && super::cache_calls::hands_loader(g)
}

fn cached(cx: &Ctx, f: &Function) -> bool {
    if get_then_set(f) {
        return true;
    }
    // Next.js `unstable_cache(fn, keys, { revalidate })` caches only `fn` (judged where the
    // queries are): its words in the function (and the comment above it) say nothing about
    // the rest.
    let next_cache = f.calls.iter().any(|c| c.callee == "unstable_cache");
    let mut text = cx.text(&f.loc).to_ascii_lowercase();
    // `'Cache-Control': 'no-store'` names a cache only to turn it off.
    if text.has("no-store") || text.has("no-cache") {
        text = text.replace("cache-control", "").replace("no-cache", "");
    }
    f.decorators.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        d.has("cache") || d.has("memo") || d.has("lru") || d.has("ttl")
    }) || !next_cache && CACHE_MARKERS.iter().any(|k| text.has(k))
}

fn module_cached(source_lower: &str) -> bool {
    [
        "export const revalidate",
        "export const dynamic = 'force-static'",
        "export const dynamic = \"force-static\"",
        "cache_page(",
    ]
    .iter()
    .any(|k| source_lower.has(k))
}

/// A SQL file's statement runs per page view when its own comment or a file-level comment
/// says so (and its own comment does not call it a job).
fn sql_file_per_request(cx: &Ctx, c: &Call, file_comments: &OnceCell<bool>) -> bool {
    // Said of one query ("loaded every time a member opens the dashboard", "the dashboard
    // home page"): elsewhere in the file these words describe other things.
    const OWN: [&str; 3] = ["every time", "each time", "home page"];
    const PER: [&str; 22] = [
        "every get ",
        "each get ",
        // `-- GET /api/insurer/dashboard`: the endpoint that runs it.
        "get /",
        "polls it",
        "polls this",
        "page polls",
        "landing page",
        "on every open",
        "every request",
        "each request",
        "per request",
        "page view",
        "pageview",
        "page load",
        "every visit",
        "each visit",
        "every page",
        "each page",
        "per view",
        "every call",
        "on each load",
        "on every load",
    ];
    const JOB: [&str; 10] = [
        "nightly",
        "cron",
        "job",
        "daily",
        "batch",
        "precompute",
        "materializ",
        "hourly",
        "scheduled",
        "refresh",
    ];
    let own = cx.text(&c.loc).to_ascii_lowercase();
    let mut own_comment: String = own
        .lines()
        .filter(|l| l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    // And the comment block right above the statement (sqlc's `-- name: …` and its notes).
    let mut l = c.loc.span.start_line;
    while l > 1 && own_comment.len() < 2_000 {
        l -= 1;
        let t = cx.lines.line_text(l).trim_start();
        let Some(comment) = t.strip_prefix("--") else {
            break;
        };
        own_comment.push(' ');
        own_comment.push_str(&comment.to_ascii_lowercase());
    }
    if JOB.iter().any(|k| own_comment.has(k)) {
        return false;
    }
    if PER.iter().chain(&OWN).any(|k| own_comment.has(k)) {
        return true;
    }
    // The same answer for every query of the file: worked out once (per query it made this
    // rule quadratic, 190 ms for a 10,000-line SQL file, and searching the gathered comments
    // per query still was).
    *file_comments.get_or_init(|| {
        let comments = cx
            .source
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--"))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        PER.iter().any(|k| comments.has(k))
    })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let lowered = cx.lower();
    // Without a materialized view in the text, the view checks below have nothing to find.
    let source_lower: &str = if lowered.has("materialized view") {
        lowered
    } else {
        ""
    };
    let sql_file = cx.language == Language::Sql;
    if !sql_file && module_cached(lowered) {
        return;
    }
    let mut lines: Vec<usize> = Vec::new();
    let mut reported = Vec::new();
    let file_comments = OnceCell::new();
    // Whether each function caches, asked once: closures nested a hundred deep asked it of
    // every ancestor of every closure, each time lower-casing the ancestor's whole text
    // (fuzzing: 3 s for 77 KB of `() => () => …`).
    let cached_fns: Vec<OnceCell<bool>> = vec![OnceCell::new(); cx.program.functions.len()];
    let is_cached = |i: usize| *cached_fns[i].get_or_init(|| cached(cx, &cx.program.functions[i]));
    // Next.js `unstable_cache(() => computeLeaderboard(id), …)`: what runs inside the call,
    // and the snippet's functions it names, are cached; the rest of the handler is not.
    let next_caches: Vec<(&crate::analyzer::facts::Loc, &str)> = cx
        .program
        .functions
        .iter()
        .flat_map(|f| f.calls.iter())
        .filter(|c| c.callee == "unstable_cache")
        .map(|c| (&c.loc, c.args.first().map_or("", |a| a.text.as_str())))
        .collect();
    let in_next_cache = |loc: &crate::analyzer::facts::Loc, name: &str| {
        next_caches.iter().any(|(at, work)| {
            at.contains(loc) || !name.is_empty() && super::queries::mentions(work, name)
        })
    };
    let per_request = if sql_file {
        Vec::new()
    } else {
        per_request_all(cx)
    };
    for (fi, f) in cx.program.functions.iter().enumerate() {
        if fi > 0 && in_next_cache(&f.loc, &f.name) {
            continue;
        }
        let handler = if sql_file {
            None
        } else {
            match per_request[fi] {
                Some(h) => Some(h),
                None => continue,
            }
        };
        // A handler that caches one result by hand (`cached = redis.get(K)` … `redis.set(K,
        // …)`) still runs the queries after that fill on every request.
        let uncached_after = if is_cached(fi) {
            cache_fill_end(f)
        } else {
            None
        };
        if let Some(h) = handler {
            if is_cached(h) && h != fi || is_cached(fi) && uncached_after.is_none() {
                continue;
            }
            // A loader closure (`cache.get(key, k -> …)`, `group.Do(key, func() …)`) inside a
            // function that caches.
            let mut up = f.parent;
            let mut around = false;
            while let Some(p) = up.filter(|p| *p != 0) {
                let outer = &cx.program.functions[p];
                if is_cached(p) {
                    around = true;
                    break;
                }
                let both: Vec<&Call> = outer.calls.iter().chain(&f.calls).collect();
                // Or the loader a cache read is handed (Caffeine `stats.get(key, k ->
                // jdbc.query(…))`): it runs on a miss, not per request.
                let loader = outer
                    .calls
                    .iter()
                    .any(|g| g.loc.contains(&f.loc) && cache_loader_read(g));
                if loader || get_then_set_in(&both) {
                    around = true;
                    break;
                }
                up = outer.parent;
            }
            if around {
                continue;
            }
        }
        for c in &f.calls {
            if in_next_cache(&c.loc, "") {
                continue;
            }
            if uncached_after.is_some_and(|end| c.loc.start < end) {
                continue;
            }
            // A cache read handed its loader (Caffeine `stats.get(key, k -> jdbc.query(…))`),
            // or that loader's query: it runs on a miss, not per request.
            if f.calls
                .iter()
                .any(|g| g.loc.contains(&c.loc) && cache_loader_read(g))
            {
                continue;
            }
            let (what, why, shape, sql) = if let Some(s) = query_sql(cx, f, c) {
                let Some(why) = sql_heavy(&s, source_lower) else {
                    continue;
                };
                if sql_file && !sql_file_per_request(cx, c, &file_comments) {
                    continue;
                }
                let shape = format!(
                    "SELECT {}{}{}{}{}",
                    s.tables.join(" JOIN "),
                    if s.group_by { " GROUP BY" } else { "" },
                    if s.order_by_aggregate {
                        " ORDER BY aggregate"
                    } else {
                        ""
                    },
                    if s.window { " WINDOW" } else { "" },
                    s.limit
                        .as_deref()
                        .map(|l| format!(" LIMIT {l}"))
                        .unwrap_or_default()
                );
                (format!("`SELECT … FROM {}`", s.table), why, shape, Some(s))
            } else if sql_file {
                continue;
            } else if let Some(o) = orm_site(f, c) {
                let chain = cx.text(&o.chain);
                let Some(why) = chain_heavy(chain, &o.model, &o.method) else {
                    continue;
                };
                let head = cx.text(&c.loc).split('(').next().unwrap_or("").to_string();
                (
                    format!("`{head}`"),
                    why,
                    format!("{}.{}", o.model, o.method),
                    None,
                )
            } else if matches!(c.method.as_str(), "groupBy" | "group_by" | "Group") {
                // Knex / TypeORM query builders: `knex('artists').leftJoin(…).groupBy(…)`;
                // GORM: `db.Table("posts").Select("…, COUNT(*)").Group(…)`.
                let end = chain_end(f, c);
                let chain = cx.text(&end.loc);
                let model = builder_model(chain).unwrap_or_else(|| {
                    // `knex('sellers as s')` → `sellers`; otherwise the builder's name.
                    chain
                        .split(['\'', '"', '`'])
                        .nth(1)
                        .and_then(|t| t.split_whitespace().next())
                        .unwrap_or_else(|| c.callee.split(['(', '.']).next().unwrap_or("query"))
                        .to_string()
                });
                let Some(why) = chain_heavy(chain, &model, "groupBy") else {
                    continue;
                };
                (
                    format!("`{}`", c.callee.split('(').next().unwrap_or("")),
                    why,
                    format!("{model} groupBy"),
                    None,
                )
            } else {
                continue;
            };
            let loc = statement_loc(cx, &c.loc);
            let line = loc.span.start_line;
            // `execute(text("…"))`: the outer call reports the statement once.
            if lines.contains(&line)
                || reported
                    .iter()
                    .any(|r: &crate::analyzer::facts::Loc| r.contains(&c.loc))
            {
                continue;
            }
            lines.push(line);
            reported.push(c.loc);
            let whom = match handler {
                Some(h) if h == fi => format!(" in `{}`", f.name),
                Some(h) => format!(
                    " in `{}`, called by `{}`",
                    f.name, cx.program.functions[h].name
                ),
                None => String::new(),
            };
            let message = format!(
                "{what} at line {line}{whom} {why} on every request, with no cache: the database redoes the whole aggregate for each page view, and the cost grows with the tables (seconds per request once they hold millions of rows)."
            );
            let cache_how = match cx.language {
                Language::Java => "`@Cacheable` on the service method with a TTL'd cache manager (Caffeine `expireAfterWrite`, Redis)",
                Language::Go => "go-redis `Get` then `Set(ctx, key, body, 5*time.Minute)`, or an in-process cache with expiry",
                Language::TypeScript => "Nest `CacheInterceptor` + `@CacheTTL`, Next.js `unstable_cache`/`revalidate`, or Redis get/set",
                _ => "ttl_cache, cache.get/set, Redis, unstable_cache/revalidate",
            };
            let job = match cx.language {
                Language::Java => "a `@Scheduled` job",
                Language::Go => "a ticker or cron job",
                _ => "a scheduled job (e.g. nightly)",
            };
            let fix = format!("Precompute it: a materialized view or summary table refreshed by {job}, read with a plain indexed SELECT; or cache the result with a TTL ({cache_how}).");
            let mut params = BTreeMap::new();
            params.insert("query_shape".to_string(), shape);
            params.insert("query_line".to_string(), line.to_string());
            if let Some(s) = &sql {
                params.insert("tables".to_string(), s.tables.join(","));
                params.insert("joins".to_string(), s.joins.to_string());
                params.insert("aggregates".to_string(), s.aggregates.join(","));
                if let Some(l) = &s.limit {
                    params.insert("limit".to_string(), l.to_string());
                }
            }
            let mut evidence = vec![cx.evidence(&loc, "query")];
            if let Some(h) = handler.filter(|h| *h != fi) {
                evidence.push(cx.evidence(&cx.program.functions[h].loc, "handler"));
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
