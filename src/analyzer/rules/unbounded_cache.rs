//! # unbounded-cache
//!
//! ## What it does
//! Flags a process-level cache with no size bound and no eviction: a module-level dict / `Map`
//! named like a cache (or filled with the get-then-set pattern: return the entry if present, else
//! compute and store it) that nothing ever removes entries from;
//! `functools.lru_cache(maxsize=None)` / `functools.cache` on a function whose arguments are
//! unbounded (user ids, URLs, queries); `new NodeCache()` with neither `maxKeys` nor `stdTTL`; a
//! TypeScript class field `private cache = new Map()`; a Go package-level `map` / `sync.Map` cache,
//! go-cache with `NoExpiration` or no cleanup interval; a Java `HashMap` / `ConcurrentHashMap`
//! cache field, a Caffeine / Guava cache built with neither `maximumSize` nor an expiry. Silent for
//! `lru_cache(maxsize=N)` (and plain `@lru_cache`, which keeps 128 entries), cachetools `LRUCache`
//! / `TTLCache`, the `lru-cache` package with `max`, and maps with explicit eviction (`pop`, `del`,
//! `delete`, `clear`, `remove`, a size check), Caffeine with `maximumSize`, `LinkedHashMap` with
//! `removeEldestEntry`, go-cache with a janitor.
//!
//! ## Why is this bad at scale
//! Every distinct key stays forever. With a handful of test users the map holds a few entries;
//! in production it holds one per user, URL or query ever seen, and the process's memory
//! grows until the container is OOM-killed and restarted (losing the cache anyway), usually
//! days after the deploy that introduced it.
//!
//! ## Example
//! ```python
//! _cache = {}
//!
//! def get_profile(user_id):
//!     if user_id in _cache:
//!         return _cache[user_id]
//!     profile = db.fetch_profile(user_id)
//!     _cache[user_id] = profile
//!     return profile
//! ```
//!
//! ## Use instead
//! Bound it and let entries expire:
//! ```python
//! from cachetools import TTLCache, cached
//!
//! @cached(TTLCache(maxsize=10_000, ttl=300))
//! def get_profile(user_id):
//!     return db.fetch_profile(user_id)
//! ```
//! In JavaScript: `new LRUCache({ max: 10_000, ttl: 300_000 })` (lru-cache) or
//! `new NodeCache({ stdTTL: 300, maxKeys: 10_000 })`. Or use Redis with a TTL.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::{
    fn_text, limiter_map, line_loc, loc_of, state_vars, uses_in_functions, Access, StateVar,
};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "unbounded-cache";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Process-level cache with no bound",
    what_it_does: "Flags a process-level cache with no size bound and no eviction: a module-level dict or Map named like a cache, or filled with get-then-set, that nothing removes entries from; functools.lru_cache(maxsize=None) / functools.cache on a function with unbounded arguments (user ids, URLs, queries); NodeCache with neither maxKeys nor stdTTL; TypeScript class-field Maps; Go package-level map/sync.Map caches and go-cache with NoExpiration or no cleanup interval; Java HashMap/ConcurrentHashMap cache fields and Caffeine/Guava caches with neither maximumSize nor expiry. Silent for lru_cache(maxsize=N), cachetools LRUCache/TTLCache, lru-cache with max, Caffeine with maximumSize, LinkedHashMap with removeEldestEntry, and maps with explicit eviction.",
    why_bad_at_scale: "Every distinct key stays forever. With a few test users the map holds a few entries; in production it holds one per user, URL or query ever seen, and memory grows until the container is OOM-killed and restarted, usually days after the deploy that introduced it.",
    example: "_cache = {}\n\ndef get_profile(user_id):\n    if user_id in _cache:\n        return _cache[user_id]\n    profile = db.fetch_profile(user_id)\n    _cache[user_id] = profile\n    return profile",
    use_instead: "from cachetools import TTLCache, cached\n\n@cached(TTLCache(maxsize=10_000, ttl=300))\ndef get_profile(user_id):\n    return db.fetch_profile(user_id)\n\nIn JavaScript: new LRUCache({ max: 10_000, ttl: 300_000 }) or new NodeCache({ stdTTL: 300, maxKeys: 10_000 }); or Redis with a TTL.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

fn cache_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["cache", "memo", "lru", "_cached", "lookup"]
        .iter()
        .any(|w| n.has(w))
}

/// A size check on the container anywhere (`len(_cache) > 1000`, `cache.size >= MAX`).
fn size_checked(cx: &Ctx, var: &StateVar) -> bool {
    let n = &var.name;
    [
        format!("len({n})"),
        format!("{n}.size"),
        format!("{n}.length"),
        format!("Object.keys({n}).length"),
    ]
    .iter()
    .any(|p| !cx.positions_of(p).is_empty())
}

/// The get-then-set shape: the function returns an existing entry and also stores one.
fn get_then_set(cx: &Ctx, var: &StateVar, f: &Function) -> bool {
    let t = fn_text(cx, f);
    let n = &var.name;
    let returns_entry = [
        format!("return {n}["),
        format!("return {n}.get("),
        format!("return await {n}.get("),
        // Memoised loads: `return thumbs.computeIfAbsent(id, k -> load(k))`.
        format!("return {n}.computeIfAbsent("),
        format!("return {n}.setdefault("),
    ]
    .iter()
    .any(|p| t.contains(p.as_str()));
    // `meta = episodeMeta.computeIfAbsent(id, k -> jdbc.queryForObject(…))`: a value loaded
    // once per key and kept (a lock or window per key, `k -> new Object()`, is not a load).
    let loads_per_key = t
        .match_indices(&format!(" = {n}.computeIfAbsent("))
        .any(|(i, _)| {
            // The call's own statement: the loader, not what follows.
            let after = t[i..].split(';').next().unwrap_or("");
            [
                "jdbc",
                "query",
                "Repository",
                "repository",
                ".find",
                "fetch",
                "http",
                "load",
            ]
            .iter()
            .any(|k| after.has(k))
                // A method reference loads (`geocoder::lookup`,
                // `adBreaks::findByEpisodeIdOrderByOffsetMs`); `ArrayList::new` makes a bucket.
                || after.has("::") && !after.has("::new")
        });
    // `p = BY_EMAIL.get(email); if (p == null) { p = load(); BY_EMAIL.put(email, p); } return p;`
    let returns_local = [format!(" = {n}.get("), format!(" = {n}[")]
        .iter()
        .filter_map(|p| t.find(p.as_str()))
        .any(|i| {
            let local = t[..i]
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            // `held = reservations.get(slot) || new Map()`: an empty bucket for state the
            // handlers add to, not a value loaded on a miss.
            let statement = t[i..].split([';', '\n']).next().unwrap_or("");
            let bucket = ["||", "??", " or "].iter().any(|op| {
                statement
                    .split_once(op)
                    .is_some_and(|(_, d)| super::process_state::empty_container(d.trim()))
            });
            !local.is_empty()
                && !bucket
                && t.has(&format!("return {local}"))
                && [format!("{n}.put("), format!("{n}.set("), format!("{n}[")]
                    .iter()
                    .any(|w| t[i..].contains(w.as_str()))
        });
    // Go: `if est, ok := estimates[key]; ok { return est, nil }`, later `estimates[key] = est`.
    let read_at = format!(", ok := {n}[");
    let go_returns_hit = t.match_indices(&read_at).any(|(i, _)| {
        let local = t[..i]
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let rest = &t[i + read_at.len()..];
        !local.is_empty()
            && local != "_"
            // The entry itself (`return est, nil`), not a field of it (`return w.count <= max`).
            && rest.match_indices(&format!("return {local}")).any(|(j, m)| {
                !rest[j + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
            })
            && rest.match_indices(&format!("{n}[")).any(|(j, _)| {
                rest[j..]
                    .split('\n')
                    .next()
                    .is_some_and(|l| l.has("] = "))
            })
    });
    // `missing = ids.filter(id => !(id in names)); rows = await db.query(…);
    // for (u of rows) names[u.id] = u.name`: what is missing is fetched and kept.
    let fills_misses = [
        format!(" in {n})"),
        format!(" in {n}:"),
        format!(" in {n} "),
        format!(" in {n}}}"),
        format!(" in {n}]"),
        format!("{n}.has("),
        format!("{n}.containsKey("),
        // Go: `p, ok := profiles[id]; if !ok { … profiles[id] = p }`
        format!("ok := {n}["),
        format!("ok = {n}["),
        // `if v, ok := targets.Load(code); ok { … } else { …; targets.Store(code, t) }`
        format!("ok := {n}.Load("),
        format!("ok = {n}.Load("),
    ]
    .iter()
    .any(|p| {
        // `if (active.has(plate)) return res.status(409)…`: presence refuses the request,
        // a guard over live state, not a miss being filled.
        t.find(p.as_str()).is_some_and(|i| {
            let after = t[i..]
                .char_indices()
                .nth(160)
                .map_or(&t[i..], |(j, _)| &t[i..i + j]);
            !["409", "status(4", "throw ", "raise ", "abort(", "Conflict"]
                .iter()
                .any(|g| after.has(g))
        })
    }) && [
        format!("{n}["),
        format!("{n}.set("),
        format!("{n}.put("),
        format!("{n}.update("),
        format!("{n}.Store("),
    ]
    .iter()
    .any(|w| t.contains(w.as_str()))
        && f.calls
            .iter()
            .any(|c| super::queries::classify(f, c).is_some());
    // `hit = feeds.get(slug); if (hit && Date.now() - hit.builtAt < MAX_AGE) …;
    // feeds.set(slug, { xml, builtAt: Date.now() })`: an entry kept while it is fresh.
    let lower = t.to_ascii_lowercase();
    let reads = [
        format!("{n}.get("),
        format!(" = {n}["),
        format!("{n}.getOrDefault("),
    ]
    .iter()
    .any(|p| t.contains(p.as_str()));
    let writes = [format!("{n}.set("), format!("{n}.put("), format!("{n}[")]
        .iter()
        .any(|p| t.contains(p.as_str()));
    let freshness = [
        "date.now() -",
        "time.time() -",
        "time.monotonic() -",
        "time.since(",
        "currenttimemillis() -",
        ".isafter(",
        ".isbefore(",
        "max_age",
        "maxage",
    ]
    .iter()
    .any(|k| lower.has(k));
    // A lock or a hold that expires (`ticketLocks`, `seatHolds`) is state, not a cache.
    let held = ["lock", "session", "hold", "claim", "lease", "reserv"]
        .iter()
        .any(|k| var.bare.to_ascii_lowercase().has(k));
    (returns_entry || returns_local || go_returns_hit)
        && t.has("return")
        && !stores_fresh_state(t, n)
        || fills_misses
        || loads_per_key
        || reads && writes && freshness && !held
}

/// Every value `f`'s text `t` stores in map `n` is a new record built on the spot (`{ boards:
/// new Map(), lockedBy: null, startedAt: Date.now() }`, `{}`): get-or-create of live state,
/// not a value loaded on a miss.
fn stores_fresh_state(t: &str, n: &str) -> bool {
    let mut values = Vec::new();
    for w in [
        format!("{n}.set("),
        format!("{n}.put("),
        format!("{n}.setdefault("),
    ] {
        for (i, _) in t.match_indices(w.as_str()) {
            let args = &t[i + w.len()..];
            let mut depth = 0i32;
            let mut comma = None;
            let mut end = args.len();
            for (j, c) in args.char_indices() {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => {
                        end = j;
                        break;
                    }
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 && comma.is_none() => comma = Some(j + 1),
                    _ => {}
                }
            }
            match comma {
                Some(c) if c <= end => values.push(args[c..end].trim()),
                _ => return false,
            }
        }
    }
    !values.is_empty()
        && values.iter().all(|v| {
            // Built on the spot: nothing in it loads or calls, once the empty containers and
            // the clock are set aside.
            let rest = v
                .replace("new Map()", "")
                .replace("new Set()", "")
                .replace("Date.now()", "")
                .replace("[]", "");
            let made_here = [
                "await", "query", "fetch", "load", "find", "get(", "(", "http",
            ]
            .iter()
            .all(|k| !rest.has(k));
            let literal = v.starts_with('{') && v.ends_with('}');
            super::process_state::empty_container(v) || literal && made_here
        })
}

/// The map is written under a key with a time bucket in it (`_series.setdefault((station,
/// hour_bucket), [])`, `counts[f"{day}:{route}"] += 1`): every new hour or day adds entries,
/// so it grows for as long as the process runs, whatever it is called. `line` is the write's
/// line; a key held in a local is read from its assignment.
fn time_keyed(f: &Function, line: &str, name: &str) -> bool {
    let Some((_, rest)) = line.split_once(name) else {
        return false;
    };
    let key: String = rest
        .trim_start_matches(|c: char| c == '.' || c.is_alphanumeric() || c == '_')
        .trim_start_matches(['[', '('])
        .chars()
        .take_while(|&c| c != ']' && c != ',')
        .collect();
    let key = key.trim();
    let text = f
        .assigns
        .iter()
        .rfind(|a| a.names.iter().any(|n| n == key))
        .map_or(key, |a| a.value.as_str());
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map(str::to_ascii_lowercase)
        .any(|w| {
            ["hour", "bucket", "minute"].iter().any(|k| w.has(k))
                || ["date", "day", "week", "month"]
                    .iter()
                    .any(|k| w == *k || w.ends_with(&format!("_{k}")))
        })
}

/// The comment on or just above the declaration calls it a cache (`// finalized PDFs, served
/// from memory so downloads are fast`, `# memo of geocoder answers`); "lives in memory" alone
/// is state, not a cache.
fn commented_as_cache(cx: &Ctx, var: &StateVar) -> bool {
    let line = var.loc.span.start_line;
    (line.saturating_sub(3).max(1)..=line).any(|l| {
        let text = cx.lines.line_text(l);
        let comment = ["//", "#", "/*", "*"]
            .iter()
            .filter_map(|m| text.find(m))
            .min()
            .map_or("", |i| &text[i..])
            .to_ascii_lowercase();
        ["cache", "memoiz", "memois", "memo ", "served from memory"]
            .iter()
            .any(|k| comment.has(k))
    })
}

struct Hit {
    loc: Loc,
    message: String,
    fix: String,
    evidence: Vec<crate::analyzer::Evidence>,
    params: BTreeMap<String, String>,
}

fn dict_caches(cx: &Ctx, out: &mut Vec<Hit>) {
    let fns = &cx.program.functions;
    for var in state_vars(cx) {
        let uses = uses_in_functions(cx, &var);
        let Some(&(wf, wat, _)) = uses.iter().find(|(_, _, a)| *a == Access::Write) else {
            continue;
        };
        // An endpoint that drops one key on demand (`POST …/refresh` popping the caller's
        // entry) invalidates; it bounds nothing. Any other removal counts as eviction.
        let invalidation_only = |fi: usize, at: usize| {
            let g = &fns[fi];
            fi != wf
                && g.is_handler()
                && !g
                    .loop_facts
                    .iter()
                    .any(|l| l.whole.start <= at && at < l.whole.end)
                && !cx.lines.line_text(cx.lines.position(at).0).has(".clear(")
        };
        if uses
            .iter()
            .any(|&(fi, at, a)| a == Access::Evict && !invalidation_only(fi, at))
            || size_checked(cx, &var)
        {
            continue;
        }
        // A map of rate limiters (`Map<String, Bucket>`, `map[string]*rate.Limiter`) belongs to
        // in-memory-rate-limit.
        if limiter_map(cx, &var) {
            continue;
        }
        // A map field of a class named like a cache (`ProfileCache.BY_EMAIL`).
        let named = cache_name(&var.bare)
            || var.class.as_deref().is_some_and(cache_name)
            || commented_as_cache(cx, &var);
        if !named && super::in_memory_shared_state::other_rule_name(&var.bare) {
            continue; // a rate limiter's counts: in-memory-rate-limit
        }
        let wloc = line_loc(cx, wat);
        let wtext = cx.text(&wloc);
        if !named
            && (lock_map(&var)
                || !get_then_set(cx, &var, &fns[wf]) && !time_keyed(&fns[wf], wtext, &var.name))
        {
            continue;
        }
        // `_cache[key] = …` must be keyed by something that varies: skip a fixed key.
        let key = wtext
            .split_once(&format!("{}[", var.name))
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(k, _)| k.trim().to_string())
            .or_else(|| {
                [
                    ".set(",
                    ".put(",
                    ".putIfAbsent(",
                    ".computeIfAbsent(",
                    ".Store(",
                    ".LoadOrStore(",
                    ".setdefault(",
                ]
                .iter()
                .find_map(|m| wtext.split_once(m))
                .map(|(_, r)| r.split(',').next().unwrap_or("").trim().to_string())
            })
            .unwrap_or_default();
        if key.starts_with(['"', '\'']) && !key.starts_with("f\"") && !key.starts_with("f'")
            || key.starts_with('`') && !key.has("${")
        {
            continue;
        }
        let decl = var.loc.span.start_line;
        let mut params = BTreeMap::new();
        params.insert("cache".to_string(), var.name.clone());
        if !key.is_empty() {
            params.insert("key".to_string(), key.clone());
        }
        params.insert("max_entries".to_string(), "unbounded".to_string());
        let keyed = if key.is_empty() {
            String::new()
        } else {
            format!(" keyed by `{key}`")
        };
        out.push(Hit {
            loc: var.loc,
            message: format!(
                "`{}` (line {decl}) is a process-level cache with no size bound or eviction: `{}` adds entries at line {}{keyed} and nothing removes them, so memory grows with every distinct key until the process is killed.",
                var.name,
                fns[wf].name,
                wloc.span.start_line
            ),
            fix: bound_fix(cx.language).to_string(),
            evidence: vec![cx.evidence(&var.loc, "cache"), cx.evidence(&wloc, "write")],
            params,
        });
    }
}

/// Parameter names whose values are unbounded in number.
fn unbounded_param(p: &str) -> bool {
    let p = p.to_ascii_lowercase();
    let p = p.split(':').next().unwrap_or("").trim();
    [
        "id",
        "url",
        "uri",
        "query",
        "key",
        "text",
        "prompt",
        "email",
        "path",
        "name",
        "token",
        "sql",
        "address",
        "ip",
        "slug",
        "term",
        "search",
        "user",
        "symbol",
        "ticker",
        "word",
        "sentence",
        "domain",
        "host",
        "q",
        "city",
        "zip",
        "phone",
        "sku",
        "isbn",
        "message",
        "content",
        "document",
        "doc",
        "payload",
        "filename",
        "location",
        "lat",
        "lon",
        // Free text: a phrase to translate, a question to answer.
        "phrase",
        "question",
        "title",
        "description",
        "body",
        "comment",
        "note",
        "input",
    ]
    .iter()
    .any(|w| p == *w || p.ends_with(&format!("_{w}")) || p.starts_with(&format!("{w}_")))
        || p.ends_with("id")
        || p.ends_with("url")
}

fn decorator_caches(cx: &Ctx, out: &mut Vec<Hit>) {
    for f in cx.program.functions.iter().skip(1) {
        let Some(d) = f.decorators.iter().find(|d| {
            let d = d.as_str();
            let d = d.strip_prefix("functools.").unwrap_or(d);
            d == "cache"
                || d.starts_with("lru_cache(") && d.has("maxsize=None")
                || d.starts_with("lru_cache(None")
                || d == "cache()"
        }) else {
            continue;
        };
        let params: Vec<&String> = f
            .params
            .iter()
            .filter(|p| !matches!(p.as_str(), "self" | "cls"))
            .collect();
        // The signature, for the parameters' annotations (`wind_ms: float`).
        let text = cx.text(&f.loc);
        let end = [text.find("):"), text.find(") ->")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(0);
        let header = &text[..end];
        // A measurement (`wind_ms: float`) almost never repeats: every call adds an entry.
        let measurement = |p: &str| {
            header
                .split_once(&format!("{p}:"))
                .is_some_and(|(_, ty)| ty.trim_start().to_ascii_lowercase().starts_with("float"))
        };
        let Some(p) = params.iter().find(|p| unbounded_param(p) || measurement(p)) else {
            continue;
        };
        // The decorator's own line, just above `def`.
        let head = &cx.source[..f.loc.start];
        let at = head.rfind(&format!("@{d}")).or_else(|| head.rfind('@'));
        let loc = at.map_or(f.loc, |a| line_loc(cx, a));
        let line = loc.span.start_line;
        let mut params_out = BTreeMap::new();
        params_out.insert("cache".to_string(), f.name.clone());
        params_out.insert("key".to_string(), p.to_string());
        params_out.insert("max_entries".to_string(), "unbounded".to_string());
        out.push(Hit {
            loc,
            message: format!(
                "`@{d}` at line {line} on `{}` keeps one entry per distinct `{p}` forever (no maxsize): memory grows with every new value until the process is killed.",
                f.name
            ),
            fix: format!("Give it a bound: `@functools.lru_cache(maxsize=1024)`, or `@cached(TTLCache(maxsize=10_000, ttl=300))` from cachetools if `{}` can change.", f.name),
            evidence: vec![cx.evidence(&loc, "cache")],
            params: params_out,
        });
    }
}

/// `new NodeCache(...)` with neither `maxKeys` nor a `stdTTL`.
fn node_cache(cx: &Ctx, out: &mut Vec<Hit>) {
    for (i, _) in cx.source.match_indices("new NodeCache(") {
        let rest = &cx.source[i..];
        let end = rest.find(')').map_or(cx.source.len(), |j| i + j + 1);
        let opts = &cx.source[i..end];
        if opts.has("maxKeys") {
            continue;
        }
        let loc = loc_of(cx, i, end);
        let line = loc.span.start_line;
        let ttl = opts.split("stdTTL").nth(1).and_then(|r| {
            let d: String = r
                .trim_start_matches([' ', ':'])
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            d.parse::<u64>().ok()
        });
        let mut params = BTreeMap::new();
        params.insert("cache".to_string(), "NodeCache".to_string());
        params.insert("max_entries".to_string(), "unbounded".to_string());
        if let Some(t) = ttl {
            params.insert("ttl_s".to_string(), t.to_string());
        }
        // Entries that expire bound the cache by time, as Caffeine's `expireAfterWrite` does.
        if ttl.is_some_and(|t| t > 0) {
            continue;
        }
        let ttl_note = " and no stdTTL, so entries never expire";
        out.push(Hit {
            loc,
            message: format!(
                "`new NodeCache` at line {line} has no `maxKeys`{ttl_note}: memory grows with every distinct key."
            ),
            fix: "Set `maxKeys` (and `stdTTL`): `new NodeCache({ stdTTL: 300, maxKeys: 10000 })`, or use `lru-cache` with `max`.".to_string(),
            evidence: vec![cx.evidence(&loc, "cache")],
            params,
        });
    }
}

fn bound_fix(lang: Language) -> &'static str {
    match lang {
        Language::Go => "Bound it: an LRU with a size (`lru.New[string, *User](10_000)` from hashicorp/golang-lru, or `expirable.NewLRU(10_000, nil, 5*time.Minute)`), or Redis with a TTL.",
        Language::Java => "Bound it: `Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build()`, or Redis with a TTL.",
        _ => "Bound it: `cachetools.TTLCache(maxsize=10_000, ttl=300)` / `lru_cache(maxsize=1024)` in Python, `new LRUCache({ max: 10_000, ttl: 300_000 })` in JavaScript, or Redis with a TTL.",
    }
}

/// go-cache (`github.com/patrickmn/go-cache`) with no expiry or no janitor: `cache.New(cache.NoExpiration, 0)`
/// keeps every item; a cleanup interval of 0 never removes expired ones.
fn go_cache(cx: &Ctx, out: &mut Vec<Hit>) {
    if cx.language != Language::Go || !cx.source_has("patrickmn/go-cache") {
        return;
    }
    for c in cx.program.functions.iter().flat_map(|f| f.calls.iter()) {
        if c.method != "New" || c.args.len() != 2 || !c.receiver.ends_with("cache") {
            continue;
        }
        let (exp, cleanup) = (c.args[0].text.trim(), c.args[1].text.trim());
        let never_expires = exp.ends_with("NoExpiration") || exp == "-1" || exp == "0";
        let no_janitor = cleanup == "0" || cleanup == "-1" || cleanup.ends_with("NoExpiration");
        if !never_expires && !no_janitor {
            continue;
        }
        let line = c.loc.span.start_line;
        let why = if never_expires {
            format!("default expiration `{exp}` means items never expire")
        } else {
            format!("cleanup interval `{cleanup}` means expired items are never deleted")
        };
        let mut params = BTreeMap::new();
        params.insert("cache".to_string(), "go-cache".to_string());
        params.insert("max_entries".to_string(), "unbounded".to_string());
        params.insert("ttl".to_string(), exp.to_string());
        params.insert("cleanup_interval".to_string(), cleanup.to_string());
        out.push(Hit {
            loc: c.loc,
            message: format!(
                "`{}` at line {line} creates a go-cache with no size bound, and {why}: memory grows with every distinct key until the process is killed.",
                c.callee
            ),
            fix: "Give items an expiry and run the janitor (`cache.New(5*time.Minute, 10*time.Minute)`), or use a size-bounded LRU (`hashicorp/golang-lru`).".to_string(),
            evidence: vec![cx.evidence(&c.loc, "cache")],
            params,
        });
    }
}

/// Caffeine / Guava caches built with neither `maximumSize`/`maximumWeight` nor an expiry.
fn java_builder_cache(cx: &Ctx, out: &mut Vec<Hit>) {
    if cx.language != Language::Java {
        return;
    }
    for c in cx.program.functions.iter().flat_map(|f| f.calls.iter()) {
        let root = c.callee.split('(').next().unwrap_or("");
        if !matches!(root, "Caffeine.newBuilder" | "CacheBuilder.newBuilder")
            || !matches!(c.method.as_str(), "build" | "buildAsync")
        {
            continue;
        }
        let chain = c.callee.as_str();
        if [
            "maximumSize",
            "maximumWeight",
            "expireAfter",
            "softValues",
            "weakKeys",
            "weakValues",
        ]
        .iter()
        .any(|m| chain.has(m))
        {
            continue;
        }
        let line = c.loc.span.start_line;
        let mut params = BTreeMap::new();
        params.insert(
            "cache".to_string(),
            root.trim_end_matches(".newBuilder").to_string(),
        );
        params.insert("max_entries".to_string(), "unbounded".to_string());
        out.push(Hit {
            loc: c.loc,
            message: format!(
                "`{root}()…build()` at line {line} has no `maximumSize` and no expiry: every key stays forever and memory grows until the JVM runs out of heap."
            ),
            fix: "Add a bound: `.maximumSize(10_000)` (and `.expireAfterWrite(Duration.ofMinutes(5))` if entries can go stale).".to_string(),
            evidence: vec![cx.evidence(&c.loc, "cache")],
            params,
        });
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut hits = Vec::new();
    // A map in a one-off script lives for one run.
    if !super::process_state::one_shot_script(cx) {
        dict_caches(cx, &mut hits);
    }
    decorator_caches(cx, &mut hits);
    node_cache(cx, &mut hits);
    go_cache(cx, &mut hits);
    java_builder_cache(cx, &mut hits);
    let mut lines = Vec::new();
    for h in hits {
        if lines.contains(&h.loc.span.start_line) {
            continue;
        }
        lines.push(h.loc.span.start_line);
        out.push(finding(
            ID,
            Severity::Warning,
            &h.loc,
            h.message,
            h.fix,
            h.evidence,
            h.params,
        ));
    }
}

/// A lock per key (`_swap_locks.setdefault(crew_id, Lock())`): coordination state, whatever its
/// get-or-create shape.
fn lock_map(var: &StateVar) -> bool {
    let lower = var.bare.to_ascii_lowercase();
    ["lock", "mutex", "semaphore"].iter().any(|k| lower.has(k))
}

/// True when `var` is used as a cache (named like one, or filled with get-then-set), so the
/// shared-state rule leaves it to this one. A map only its class or a comment calls a cache is
/// state on several processes when the handlers that change the data keep it up to date and
/// others read it (`activeRuns.Store` when a run starts, `Load` in another handler): each
/// process holds its own version.
pub(crate) fn cache_like(cx: &Ctx, var: &StateVar) -> bool {
    if lock_map(var) {
        return false;
    }
    if cache_name(&var.bare) {
        return true;
    }
    let uses = uses_in_functions(cx, var);
    let fns = &cx.program.functions;
    if uses
        .iter()
        .any(|(f, _, a)| *a == Access::Write && get_then_set(cx, var, &fns[*f]))
    {
        return true;
    }
    let written_through = cx.deployment().multi_process()
        && uses.iter().any(|(w, _, a)| {
            *a == Access::Write && uses.iter().any(|(r, _, b)| r != w && *b != Access::Write)
        });
    (var.class.as_deref().is_some_and(cache_name) || commented_as_cache(cx, var))
        && !written_through
}
