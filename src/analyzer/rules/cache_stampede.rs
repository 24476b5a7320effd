//! # cache-stampede
//!
//! ## What it does
//! Flags the cache-aside pattern around an expensive computation with nothing that lets only
//! one caller recompute: `get(key)` → on a miss run a database query, an HTTP call or an
//! aggregate → `set(key, value, ttl)`. Silent when a lock or single-flight guards the
//! recompute (Redis `SET … NX` lock, `redis.lock`, `asyncio.Lock` per key, `singleflight`,
//! an in-flight promise map, dogpile.cache), when stale values are served while one caller
//! refreshes (stale-while-revalidate, probabilistic early expiration), when the entry never
//! expires, when the computation is cheap (no I/O), and for per-user keys (see
//! `per-user-cache-key`). Also flags declarative caches with an expiry and no single-flight:
//! Spring `@Cacheable` without `sync = true` (expiry from `entryTtl` / `expireAfterWrite`) and
//! Nest's `CacheInterceptor` with `@CacheTTL`. Go go-redis `Get(ctx, key)` / `Set(ctx, key, v,
//! ttl)`, Spring `RedisTemplate.opsForValue()`, Caffeine `getIfPresent` / `put` and
//! cache-manager `get` / `set` (milliseconds) are read like Redis clients; Go `singleflight`,
//! `SetNX` / `setIfAbsent` locks, `@Cacheable(sync = true)`, Caffeine `cache.get(key, loader)`
//! and `refreshAfterWrite`, and Next.js `unstable_cache` stay silent.
//!
//! ## Why is this bad at scale
//! While the entry is fresh, the database sees nothing. The moment it expires, every request
//! that arrives before the first recompute finishes misses too: at 500 requests per second
//! and a 2-second query, a thousand identical queries start at once, the database slows down,
//! the recompute takes longer, and more requests pile in. The hit ratio looks perfect on
//! average while the database falls over every TTL.
//!
//! ## Example
//! ```python
//! data = cache.get("top_artists")
//! if data is None:
//!     data = db.execute(TOP_ARTISTS_SQL).fetchall()   # 3 s aggregate
//!     cache.set("top_artists", data, timeout=300)
//! ```
//!
//! ## Use instead
//! Let one caller recompute while the others wait or get the old value:
//! ```python
//! data = cache.get("top_artists")
//! if data is None:
//!     with redis.lock("lock:top_artists", timeout=30, blocking_timeout=5):
//!         data = cache.get("top_artists")
//!         if data is None:
//!             data = db.execute(TOP_ARTISTS_SQL).fetchall()
//!             cache.set("top_artists", data, timeout=300)
//! ```
//! Or refresh it ahead of expiry from a scheduled job, serve stale while one request
//! revalidates, or use a library with single-flight (dogpile.cache, Go `singleflight`,
//! Spring `@Cacheable(sync = true)`, Caffeine `refreshAfterWrite`).
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::cache_calls::{
    cache_ops, configured_ttl, expensive, short_callee, ttl, CacheKind, CacheOp,
};
use super::per_user_cache_key::{user_tokens, user_tokens_in};
use super::process_state::fn_text;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "cache-stampede";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Cache miss recomputes an expensive value with no lock",
    what_it_does: "Flags cache-aside around an expensive computation with nothing that lets only one caller recompute: get(key), on a miss a database query, HTTP call or aggregate, then set(key, value, ttl). Also Spring @Cacheable without sync = true and Nest CacheInterceptor with @CacheTTL when an expiry is configured. Silent with a lock or single-flight around the recompute (SET NX lock, redis.lock, asyncio.Lock, Go singleflight, setIfAbsent, @Cacheable(sync = true), Caffeine cache.get(key, loader) or refreshAfterWrite, an in-flight promise map, dogpile.cache), stale-while-revalidate or early expiration, entries that never expire, cheap computations, and per-user keys.",
    why_bad_at_scale: "While the entry is fresh the database sees nothing. When it expires, every request arriving before the first recompute finishes misses too: at 500 requests/s and a 2 s query, a thousand identical queries start at once, the database slows, the recompute takes longer, more requests pile in. The average hit ratio looks perfect while the database falls over every TTL.",
    example: "data = cache.get(\"top_artists\")\nif data is None:\n    data = db.execute(TOP_ARTISTS_SQL).fetchall()   # 3 s aggregate\n    cache.set(\"top_artists\", data, timeout=300)",
    use_instead: "data = cache.get(\"top_artists\")\nif data is None:\n    with redis.lock(\"lock:top_artists\", timeout=30, blocking_timeout=5):\n        data = cache.get(\"top_artists\")\n        if data is None:\n            data = db.execute(TOP_ARTISTS_SQL).fetchall()\n            cache.set(\"top_artists\", data, timeout=300)\n\nOr refresh ahead of expiry from a scheduled job, serve stale while one request revalidates, or use single-flight (dogpile.cache, Go singleflight, Spring @Cacheable(sync = true), Caffeine refreshAfterWrite).",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// Something in the text that makes one caller recompute (or serves stale meanwhile).
fn guarded(text: &str) -> bool {
    // SQL's `COALESCE(sum(x), 0)` is not request coalescing, and `clock_in` or a code block
    // is not a lock.
    let l = text
        .to_ascii_lowercase()
        .replace("coalesce(", "")
        .replace("clock", "")
        .replace("block", "");
    [
        "lock",
        "mutex",
        "semaphore",
        "singleflight",
        "single_flight",
        "singleflight",
        "dogpile",
        "nx=true",
        "\"nx\"",
        "'nx'",
        "nx:",
        "setnx",
        "set_nx",
        "setifabsent",
        "refreshafterwrite",
        "sync=true",
        "sync = true",
        "stale",
        "revalidate",
        "xfetch",
        "early_expir",
        "earlyexpir",
        "refresh_ahead",
        "inflight",
        "in_flight",
        "pending.get(",
        "pending[",
        "promises.get(",
        "coalesce",
        "dedupe",
        "random.random()",
        "math.random()",
        "math.log(",
    ]
    .iter()
    .any(|w| l.has(w))
}

/// A read of one row by its key (`findOne({ id })`, `objects.get(pk=…)`, `WHERE id = $1`):
/// cheap, and a miss costs one indexed lookup per waiting request.
fn point_lookup(c: &Call) -> bool {
    if matches!(
        c.method.as_str(),
        "findOne"
            | "findUnique"
            | "findUniqueOrThrow"
            | "findByPk"
            | "findById"
            | "findOneBy"
            | "get_object_or_404"
            | "findOneOrFail"
            | "getById"
    ) || (c.method == "get" && (c.callee.has(".objects.") || c.receiver.ends_with("session")))
    {
        return true;
    }
    let sql = c.args_text().to_ascii_lowercase();
    // One row by a unique key: `id`, `slug`, `uuid`, `code`.
    sql.has("select")
        && sql.has("where")
        && ["id", "slug", "uuid", "code"].iter().any(|k| {
            sql.match_indices(k).any(|(i, _)| {
                let rest = sql[i + k.len()..].trim_start();
                let word_start = i == 0 || !sql.as_bytes()[i - 1].is_ascii_alphanumeric();
                word_start && rest.starts_with('=') && !rest.starts_with("=>")
            })
        })
        && !["group by", "join", "count(", "sum(", "avg(", "order by"]
            .iter()
            .any(|w| sql.has(w))
}

/// A query that costs little to run again: it reads only precomputed tables (a daily rollup
/// a job maintains), or counts one person's rows (`count(*) … WHERE account_id = $1`) through
/// an index with no join or grouping: few requests share that key. A workspace's or team's
/// count is polled by everyone in it, so it still stampedes.
fn cheap_sql(cx: &Ctx, f: &Function, c: &Call) -> bool {
    // `text("…")` inside `db.execute(…)` leaves the query to the execute; its SQL is the same.
    let Some(s) = super::queries::query_sql(cx, f, c).or_else(|| super::queries::call_sql(f, c))
    else {
        return false;
    };
    let lower = cx.lower();
    let rollup_only = !s.tables.is_empty()
        && s.ctes.is_empty()
        && s.tables
            .iter()
            .all(|t| super::expensive_query_per_request::precomputed(t, lower));
    let keyed_count = s.aggregates.iter().all(|a| a == "count")
        && !s.aggregates.is_empty()
        && s.joins == 0
        && !s.group_by
        && s.predicates.iter().any(|p| {
            p.op == "="
                && matches!(
                    p.column.as_str(),
                    "user_id"
                        | "account_id"
                        | "customer_id"
                        | "owner_id"
                        | "member_id"
                        | "holder_id"
                        | "patient_id"
                        | "player_id"
                )
        });
    rollup_only || keyed_count
}

fn same_key(a: &CacheOp, b: &CacheOp) -> bool {
    a.key_loc == b.key_loc || a.key_expr.trim() == b.key_expr.trim()
}

/// A call whose name says it computes something over many rows (`posts.computeTrending(…)`,
/// `stats_service.build_dashboard(…)`, `leaderboard.rank(…)`): the recompute on a miss.
fn heavy_by_name(c: &Call) -> bool {
    let m = c.method.trim_start_matches('_').to_ascii_lowercase();
    !c.receiver.is_empty()
        && [
            "compute",
            "calculate",
            "aggregate",
            "rank",
            "score",
            "build_dashboard",
            "builddashboard",
            "generate_report",
            "generatereport",
        ]
        .iter()
        .any(|p| m.starts_with(p))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let file_guard = {
        let l = cx.lower();
        l.has("dogpile") || l.has("stale-while-revalidate")
    };
    if file_guard {
        return;
    }
    // Go `singleflight.Group` values by name (`group singleflight.Group`): a function that
    // calls `group.Do` lets one caller recompute.
    let flights: Vec<String> = cx
        .source
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (name, ty) = (w.next()?, w.next()?);
            let name = if name == "var" { ty } else { name };
            l.has("singleflight.Group").then(|| name.to_string())
        })
        .collect();
    let in_flight = |f: &Function| {
        f.calls.iter().any(|c| {
            matches!(c.method.as_str(), "Do" | "DoChan")
                && flights
                    .iter()
                    .any(|n| c.receiver == *n || c.receiver.ends_with(&format!(".{n}")))
        })
    };
    let mut lines: Vec<usize> = Vec::new();
    annotated(cx, out, &mut lines);
    for f in cx.program.functions.iter().skip(1) {
        let ops = cache_ops(cx, f);
        for get in ops.iter().filter(|o| o.kind == CacheKind::Get) {
            let Some(set) = ops.iter().find(|o| {
                o.kind == CacheKind::Set && o.call.loc.start > get.call.loc.end && same_key(get, o)
            }) else {
                continue;
            };
            if !user_tokens_in(cx, f, &get.key_expr).is_empty() {
                continue; // a per-user entry: one user's requests at most
            }
            let ttl = ttl(cx, set.call);
            let default_ttl = (cx.language == Language::Python && set.call.receiver == "cache")
                || (cx.source_has("stdTTL") && cx.source_has("NodeCache"));
            let ttl = match ttl {
                Some(t) => Some(t),
                None if matches!(
                    cx.language,
                    Language::Java | Language::Go | Language::TypeScript
                ) =>
                {
                    configured_ttl(cx, &set.call.receiver)
                }
                None => None,
            };
            if ttl.is_none() && !default_ttl {
                continue;
            }
            let heavy: Option<&Call> = f
                .calls
                .iter()
                .filter(|c| {
                    c.loc.start > get.call.loc.end
                        && c.loc.end <= set.call.loc.end
                        && !std::ptr::eq(*c, set.call)
                        && !ops.iter().any(|o| std::ptr::eq(o.call, *c))
                        && (expensive(cx, f, c)
                            || heavy_by_name(c)
                            // A query per row of a loop (`adjudications.findByEntryId(…)` for
                            // each entry): the recompute costs N+1 round trips.
                            || c.loop_depth > 0
                                && (super::queries::spring_repo_read(cx, c).is_some()
                                    || super::queries::classify(f, c).is_some()))
                        && (!point_lookup(c) || c.loop_depth > 0)
                        && !cheap_sql(cx, f, c)
                })
                .min_by_key(|c| (c.loc.start, c.callee.len()));
            let Some(heavy) = heavy else { continue };
            let region = cx
                .source
                .get(get.call.loc.start..set.call.loc.end)
                .unwrap_or("");
            if guarded(region) || guarded(fn_text(cx, f)) || in_flight(f) {
                continue;
            }
            let line = get.call.loc.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            lines.push(line);
            let (hl, sl) = (heavy.loc.span.start_line, set.call.loc.span.start_line);
            let key = get
                .key_shape
                .clone()
                .unwrap_or_else(|| get.key_expr.clone());
            let mut params = BTreeMap::new();
            params.insert("key".to_string(), key.clone());
            params.insert("cache".to_string(), get.call.receiver.clone());
            params.insert("computation".to_string(), short_callee(&heavy.callee));
            params.insert("computation_line".to_string(), hl.to_string());
            let ttl_note = match &ttl {
                Some((raw, secs)) => {
                    params.insert("ttl".to_string(), raw.clone());
                    if let Some(s) = secs {
                        params.insert("ttl_s".to_string(), s.to_string());
                        format!("every {s} s")
                    } else {
                        format!("when its TTL (`{raw}`) runs out")
                    }
                }
                None => "when the default timeout runs out".to_string(),
            };
            let message = format!(
                "`{}` at line {line} misses {ttl_note}, and every request that arrives before the refill runs `{}` at line {hl} at the same time before `{}` at line {sl} stores it again: nothing lets only one caller recompute, so each expiry sends a burst of identical expensive calls to the backend.",
                get.call.callee, short_callee(&heavy.callee), set.call.callee
            );
            let fix = match cx.language {
                Language::Go => "Let one caller recompute: wrap the miss path in `singleflight.Group.Do(key, …)` (golang.org/x/sync/singleflight), or take `SetNX(ctx, \"lock:\"+key, 1, 30*time.Second)` and re-check the cache; or refresh the entry ahead of expiry from a background goroutine.".to_string(),
                Language::Java => "Let one caller recompute: use `@Cacheable(sync = true)` or Caffeine `cache.get(key, k -> load())` (one loader per key), or a `setIfAbsent(\"lock:\" + key, …, Duration.ofSeconds(30))` lock with a re-check; or refresh ahead with `refreshAfterWrite` / a `@Scheduled` job.".to_string(),
                _ => "Let one caller recompute: take a lock per key (`redis.lock(f\"lock:{key}\")` / `SET lock:key 1 NX EX 30`, re-check the cache after acquiring), or refresh the entry ahead of expiry from a scheduled job and serve the stale value meanwhile.".to_string(),
            };
            let evidence = vec![
                cx.evidence(&get.call.loc, "get"),
                cx.evidence(&heavy.loc, "compute"),
                cx.evidence(&set.call.loc, "set"),
            ];
            out.push(finding(
                ID,
                Severity::Warning,
                &get.call.loc,
                message,
                fix,
                evidence,
                params,
            ));
        }
    }
}

/// Declarative caches: Spring `@Cacheable` (without `sync = true`) and Nest's
/// `CacheInterceptor` with `@CacheTTL`, on a method that runs an expensive computation, with
/// an expiry configured in the snippet (`entryTtl`, `expireAfterWrite`, `@CacheTTL`).
fn annotated(cx: &Ctx, out: &mut Vec<Finding>, lines: &mut Vec<usize>) {
    if !matches!(cx.language, Language::Java | Language::TypeScript) {
        return;
    }
    if cx.source_has("refreshAfterWrite") {
        return;
    }
    for f in cx.program.functions.iter().skip(1) {
        let (start, above) = super::cache_calls::decorator_lines(cx, f.loc.start);
        let mut decos: Vec<String> = f.decorators.clone();
        decos.extend(above);
        let Some(deco) = decos.iter().find(|d| {
            d.starts_with("Cacheable")
                || (d.starts_with("CacheTTL(") && cx.source_has("CacheInterceptor"))
        }) else {
            continue;
        };
        let compact: String = deco.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.has("sync=true") || guarded(fn_text(cx, f)) {
            continue;
        }
        // The entry's key: `key = "#userId + ':revenue'"`, or the parameters by default.
        let key = compact.split_once("key=").map(|(_, k)| {
            k.trim_matches([')', '"'])
                .split("\",")
                .next()
                .unwrap_or("")
                .to_string()
        });
        let key_text = key.clone().unwrap_or_else(|| f.params.join(","));
        if !user_tokens(&key_text.replace('#', "")).is_empty() {
            continue; // per-user entries: see per-user-cache-key
        }
        let ttl = if let Some(rest) = deco.strip_prefix("CacheTTL(") {
            let raw = rest.trim_end_matches(')').trim().to_string();
            // cache-manager v5 (Nest 10+) takes milliseconds
            let secs =
                super::process_state::eval_product(&raw)
                    .map(|n| if n >= 1000 { n / 1000 } else { n });
            Some((raw, secs))
        } else {
            configured_ttl(cx, "")
        };
        let Some((raw_ttl, ttl_s)) = ttl else {
            continue;
        };
        let Some(heavy) = f
            .calls
            .iter()
            .filter(|c| expensive(cx, f, c) && !point_lookup(c))
            .min_by_key(|c| (c.loc.start, c.callee.len()))
        else {
            continue;
        };
        let name = deco.split('(').next().unwrap_or(deco);
        let at = cx
            .source
            .get(start..f.loc.end)
            .and_then(|t| t.find(&format!("@{name}")))
            .map_or(f.loc.start, |i| start + i);
        let at = super::process_state::line_loc(cx, at);
        let line = at.span.start_line;
        if lines.contains(&line) {
            continue;
        }
        lines.push(line);
        let hl = heavy.loc.span.start_line;
        let mut params = BTreeMap::new();
        params.insert("key".to_string(), key.unwrap_or_else(|| f.name.clone()));
        params.insert("cache".to_string(), format!("@{name}"));
        params.insert("computation".to_string(), short_callee(&heavy.callee));
        params.insert("computation_line".to_string(), hl.to_string());
        params.insert("ttl".to_string(), raw_ttl.clone());
        let ttl_note = match ttl_s {
            Some(s) => {
                params.insert("ttl_s".to_string(), s.to_string());
                format!("every {s} s")
            }
            None => format!("when its TTL (`{raw_ttl}`) runs out"),
        };
        let message = format!(
            "`@{name}` on `{}` at line {line} misses {ttl_note}, and every request that arrives before the refill runs `{}` at line {hl} at the same time: the annotation does not let only one caller recompute, so each expiry sends a burst of identical expensive calls to the backend.",
            f.name,
            short_callee(&heavy.callee)
        );
        let fix = if cx.language == Language::Java {
            "Add `sync = true` to `@Cacheable` so one thread per key computes while the others wait, or use a Caffeine `refreshAfterWrite` loading cache / a scheduled refresh that serves the old value meanwhile.".to_string()
        } else {
            "Wrap the computation in a single-flight (an in-flight promise per key, or a Redis `SET lock:key 1 NX EX 30` lock with a re-check), or refresh the entry ahead of expiry from a scheduled job.".to_string()
        };
        let evidence = vec![
            cx.evidence(&at, "annotation"),
            cx.evidence(&heavy.loc, "compute"),
        ];
        out.push(finding(
            ID,
            Severity::Warning,
            &at,
            message,
            fix,
            evidence,
            params,
        ));
    }
}
