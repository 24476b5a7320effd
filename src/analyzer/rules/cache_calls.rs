//! Helpers shared by the cache rules (`per-user-cache-key`, `cache-stampede`): which calls read
//! and write a cache (Redis, memcached, Django's cache, node-cache, a dict named like a cache),
//! the key each one uses (resolved through a local `key = f"…"`), the TTL it sets, and the
//! calls that compute the cached value.

use super::process_state::eval_product;
use super::queries::classify;
use super::Ctx;
use crate::analyzer::facts::{Call, Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::Language;

/// Whether a cache call reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheKind {
    Get,
    Set,
}

/// A read or write of a cache entry.
#[derive(Clone, Debug)]
pub struct CacheOp<'a> {
    pub kind: CacheKind,
    pub call: &'a Call,
    /// The key expression as written at the call (`key`, `f"dash:{user.id}"`).
    /// The key's literal shape with `?` for interpolations, when known (`dash:?:?`).
    pub key_shape: Option<String>,
    /// The key expression after following a local `key = …` (its text) and where it is built.
    pub key_expr: String,
    pub key_loc: Loc,
}

/// True for the receiver of a cache client: `cache`, `redis`, `r`, `self.redis`, `caches["x"]`,
/// `redisClient`, `memcache_client`, `myCache`.
pub fn cache_receiver(recv: &str, cx: &Ctx) -> bool {
    let source = cx.source;
    let r = recv
        .trim_start_matches("self.")
        .trim_start_matches("this.")
        .to_ascii_lowercase();
    let last = r.rsplit('.').next().unwrap_or(&r);
    if ["cache", "redis", "memcache", "memcached"]
        .iter()
        .any(|w| r.has(w))
    {
        return true;
    }
    // `client`, `conn`, `store` are a cache only when the snippet makes them one
    // (`conn = redis.Redis(…)`); a database `conn` sits next to Redis in many files.
    let made_from_cache = |name: &str| {
        source.lines().any(|l| {
            let t = l.trim_start().to_ascii_lowercase();
            let t = t
                .strip_prefix("const ")
                .or_else(|| t.strip_prefix("let "))
                .or_else(|| t.strip_prefix("var "))
                .unwrap_or(&t);
            t.strip_prefix(name).is_some_and(|rest| {
                let rest = rest.trim_start();
                (rest.starts_with('=') || rest.starts_with(":=") || rest.starts_with(':'))
                    && (rest.has("redis") || rest.has("memcache"))
            })
        })
    };
    // Java `Cache<K, V> categoryTrees = Caffeine.newBuilder()…` / Guava `CacheBuilder`.
    let name = recv
        .trim_start_matches("this.")
        .rsplit('.')
        .next()
        .unwrap_or(recv);
    matches!(last, "r" | "rc" | "rds" | "mc" | "kv" | "rdb")
        || (matches!(last, "client" | "conn" | "store") && made_from_cache(last))
        || java_built_cache(cx, name)
        || declared_as_redis(cx, name)
        || declared_as_go_cache(cx, name)
}

/// A Go variable or struct field declared with a cache library's type (`schedule
/// *cache.Cache`, `var prices *ristretto.Cache[string, int]`).
fn declared_as_go_cache(cx: &Ctx, name: &str) -> bool {
    const TYPES: [&str; 8] = [
        "cache.Cache",
        "ristretto.Cache",
        "bigcache.BigCache",
        "freecache.Cache",
        "lru.Cache",
        "expirable.LRU",
        "gcache.Cache",
        "ttlcache.Cache",
    ];
    if cx.language != Language::Go || name.is_empty() {
        return false;
    }
    TYPES.iter().any(|t| {
        cx.positions_of(t).iter().any(|&i| {
            let line_start = cx.source[..i].rfind('\n').map_or(0, |j| j + 1);
            let before = cx.source[line_start..i].trim_end_matches(['*', ' ', '\t']);
            before.rsplit([' ', '\t']).next() == Some(name)
        })
    })
}

/// A name declared with a Redis client type (`RedisCommands<String, String> cmd`,
/// `Jedis jedis`, `RedisAsyncCommands<…> async`): Java fields and parameters.
fn declared_as_redis(cx: &Ctx, name: &str) -> bool {
    const TYPES: [&str; 4] = [
        "RedisCommands",
        "RedisAsyncCommands",
        "Jedis",
        "JedisCluster",
    ];
    if cx.language != Language::Java || name.is_empty() {
        return false;
    }
    // Each type's positions are searched once per analysis (this is asked per call).
    TYPES.iter().any(|t| {
        cx.positions_of(t).iter().any(|&i| {
            // `<String, String> cmd;` / ` jedis = pool.getResource()`
            let rest = cx.source[i + t.len()..].trim_start();
            let rest = match rest.strip_prefix('<') {
                Some(r) => r.split_once('>').map_or("", |(_, r)| r),
                None => rest,
            };
            let declared: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            declared == name
        })
    })
}

/// Whether `name` is bound to `Caffeine.newBuilder()` / `CacheBuilder.newBuilder()`: the
/// builder's positions are found once per analysis (`cache_receiver` is asked for every call,
/// and a scan of the whole text per call made it the slowest rule on 10,000 lines).
fn java_built_cache(cx: &Ctx, name: &str) -> bool {
    java_cache_builder(cx, name).is_some()
}

/// Where `name` is bound to its Caffeine / Guava builder: the offset of the `= …newBuilder()`.
fn java_cache_builder(cx: &Ctx, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    ["= Caffeine.newBuilder()", "= CacheBuilder.newBuilder()"]
        .iter()
        .find_map(|builder| {
            cx.positions_of(builder).iter().copied().find(|&i| {
                let before = cx.source[..i].trim_end();
                before.ends_with(name)
                    && !before[..before.len() - name.len()]
                        .ends_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
}

/// The first argument that is the key (Go clients take a context first).
pub fn key_index(c: &Call) -> usize {
    match c.args.first() {
        Some(a) if a.text == "ctx" || a.text.starts_with("context.") => 1,
        // `r.Context()`, `c.Request.Context()`, `reqCtx`
        Some(a)
            if c.args.len() >= 2 && {
                let l = a.text.to_ascii_lowercase();
                l.ends_with("context()") || l.ends_with("ctx")
            } =>
        {
            1
        }
        _ => 0,
    }
}

/// The cache reads and writes of function `f`, in source order.
pub fn cache_ops<'a>(cx: &Ctx, f: &'a Function) -> Vec<CacheOp<'a>> {
    let mut out = Vec::new();
    for c in &f.calls {
        let m = c.method.to_ascii_lowercase();
        let kind = match m.as_str() {
            "get" | "getasync" | "hget" | "get_many" | "getifpresent" => CacheKind::Get,
            // `summaryCache.computeIfAbsent(key, k -> load(k))`: a read handed its loader.
            "computeifabsent" => CacheKind::Get,
            "set" | "setex" | "psetex" | "setasync" | "put" | "hset" | "add" => CacheKind::Set,
            // Go's `sync.Map` used as a cache (`slotCache.Load(key)`).
            "load" if cx.language == Language::Go => CacheKind::Get,
            "store" if cx.language == Language::Go => CacheKind::Set,
            _ => continue,
        };
        // A map handed a loader (`plans.computeIfAbsent(key, k -> loadPlan(id))`) caches
        // whatever it is called.
        let memo_map = m == "computeifabsent" && hands_loader(c);
        if !memo_map && !cache_receiver(&c.receiver, cx) && !aliased_cache(cx, f, c) {
            continue;
        }
        let k = key_index(c);
        let Some(arg) = c.args.get(k) else { continue };
        if arg.name.is_some() && arg.name.as_deref() != Some("key") {
            continue;
        }
        // `client.get("https://…")` is an HTTP request, not a cache read.
        let url = arg.string.as_deref().unwrap_or(&arg.text);
        // A read handed its loader (`cache.get(key, k -> jdbc.query("SELECT …"))`) carries the
        // loader's query in its arguments; it is still the cache read.
        if url.has("://") || url.starts_with('/') || !hands_loader(c) && classify(f, c).is_some() {
            continue;
        }
        // `dict.get("literal")` on a config dict is not a cache key; `cache.add(x)` on a set
        // takes one argument.
        if kind == CacheKind::Set && c.args.len() < k + 2 {
            continue;
        }
        let (key_expr, key_loc) =
            resolve(cx, f, &arg.text, c.loc.start).unwrap_or((arg.text.clone(), c.loc));
        out.push(CacheOp {
            kind,
            call: c,
            key_shape: arg.string.clone(),
            key_expr,
            key_loc,
        });
    }
    out
}

/// A cache call handed the function that loads a missing entry, after the key (Caffeine
/// `cache.get(key, k -> load(k))`): the read also fills the entry.
pub fn hands_loader(c: &Call) -> bool {
    c.args
        .get(key_index(c) + 1)
        .is_some_and(|a| a.text.has("->") || a.text.has("=>"))
}

/// A receiver that is a local or field alias of Spring's Redis value operations:
/// `ops = redisTemplate.opsForValue()` then `ops.get(key)`.
fn aliased_cache(cx: &Ctx, f: &Function, c: &Call) -> bool {
    let r = c.receiver.trim_start_matches("this.");
    if r.is_empty() || !r.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
        return false;
    }
    let value = resolve(cx, f, r, c.loc.start).map(|(v, _)| v).or_else(|| {
        cx.program
            .globals()
            .iter()
            .find(|a| a.names.iter().any(|n| n == r))
            .map(|a| a.value.clone())
    });
    value.is_some_and(|v| v.has("opsForValue") || v.has("opsForHash"))
}

/// Follows a plain identifier to its last assignment before byte `before` in `f` (or, when
/// a syntax error hid the assignment, to a `name = …` line of the function's text).
pub fn resolve(cx: &Ctx, f: &Function, text: &str, before: usize) -> Option<(String, Loc)> {
    let t = text.trim();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    {
        return None;
    }
    if let Some(a) = f
        .assigns
        .iter()
        .filter(|a| a.loc.start < before && a.names.iter().any(|n| n == t))
        .max_by_key(|a| a.loc.start)
    {
        return Some((a.value.clone(), a.loc));
    }
    let body = cx.source.get(f.loc.start..before)?;
    // The binding sits near its use: look back at most 300 lines (asked per cache call, a scan
    // of the whole function made a 600 KB module take seconds; fuzzing).
    let from = body.rmatch_indices('\n').nth(300).map_or(0, |(i, _)| i + 1);
    let body = &body[from..];
    let mut found = None;
    let mut offset = f.loc.start + from;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let l = trimmed
            .trim_start_matches("const ")
            .trim_start_matches("let ")
            .trim_start_matches("var ");
        if let Some(rest) = l.strip_prefix(t) {
            let rest = rest.trim_start();
            if rest.starts_with('=') && !rest.starts_with("==") {
                let at = offset + (line.len() - trimmed.len());
                let value = rest[1..].trim().trim_end_matches(';').to_string();
                let end = offset + line.trim_end().len();
                found = Some((value, super::process_state::loc_of(cx, at, end)));
            }
        }
        offset += line.len();
    }
    found
}

/// The TTL a cache write sets, as written, and in seconds when it can be computed:
/// `setex(k, 300, v)`, `set(k, v, ex=300)`, `set(k, v, "EX", 300)`, `set(k, v, { EX: 300 })`,
/// Django/node-cache `set(k, v, 900)` / `timeout=60 * 15`, Go `5*time.Minute`.
pub fn ttl(cx: &Ctx, c: &Call) -> Option<(String, Option<u64>)> {
    let k = key_index(c);
    let m = c.method.to_ascii_lowercase();
    let raw: Option<String> = if matches!(m.as_str(), "setex" | "psetex") {
        c.args.get(k + 1).map(|a| a.text.clone())
    } else if let Some(a) = [
        "ex", "px", "timeout", "time", "expire", "ttl", "expires", "expiry",
    ]
    .iter()
    .find_map(|n| c.kwarg(n))
    {
        Some(a.text.clone())
    } else if let Some(i) = c.args.iter().position(|a| {
        matches!(
            a.string.as_deref().map(str::to_ascii_uppercase).as_deref(),
            Some("EX" | "PX")
        )
    }) {
        c.args.get(i + 1).map(|a| a.text.clone())
    } else if let Some(a) = c.args.get(k + 2).filter(|a| a.name.is_none()) {
        let t = a.text.trim();
        if t.starts_with('{') {
            // node-redis v4 `{ EX: 300 }`, cache-manager v4 `{ ttl: 300 }`
            let l = t.to_ascii_lowercase();
            ["ex", "ttl"].iter().find_map(|w| {
                let i = l.find(w)? + w.len();
                Some(
                    t[i..]
                        .trim_start_matches([':', ' '])
                        .split([',', '}'])
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string(),
                )
            })
        } else if let Some(unit) = c.args.get(k + 3).filter(|u| u.text.has("TimeUnit.")) {
            // Spring `set(key, value, 10, TimeUnit.MINUTES)`
            Some(format!("{t}, {}", unit.text))
        } else {
            Some(t.to_string())
        }
    } else {
        None
    };
    let raw = raw.filter(|r| !r.is_empty() && r != "None" && r != "null" && r != "0")?;
    // cache-manager v5+ (`cacheManager.set(key, value, 300_000)`) takes milliseconds.
    let millis = c.receiver.to_ascii_lowercase().has("cachemanager")
        && c.args
            .get(k + 2)
            .is_some_and(|a| !a.text.trim().starts_with('{'));
    let m = if millis { "psetex".to_string() } else { m };
    Some((raw.clone(), seconds(cx, &raw, &m)))
}

/// An expiry configured once for a whole cache (Caffeine/Guava `expireAfterWrite(…)`, Spring
/// `entryTtl(…)`, node-cache `stdTTL`): its text and seconds when known. `cache` is the
/// receiver used: when it names a builder of its own (`popularityCache = Caffeine.newBuilder()
/// …`), that builder's expiry, not the first in the file.
pub fn configured_ttl(cx: &Ctx, cache: &str) -> Option<(String, Option<u64>)> {
    let own = java_cache_builder(cx, cache.trim_start_matches("this.")).map(|i| {
        let end = cx.source[i..].find(';').map_or(cx.source.len(), |j| i + j);
        &cx.source[i..end]
    });
    let text = own.unwrap_or(cx.source);
    for w in [
        "expireAfterWrite(",
        "entryTtl(",
        "expireAfterAccess(",
        "stdTTL:",
    ] {
        let Some(i) = text.find(w) else { continue };
        let rest = &text[i + w.len()..];
        let mut depth = 0i32;
        let end = rest
            .char_indices()
            .find(|(_, ch)| {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth < 0 || (*ch == ',' || *ch == '}' || *ch == '\n') && w == "stdTTL:"
            })
            .map_or(rest.len(), |(j, _)| j);
        let raw = rest[..end].trim().to_string();
        if raw.is_empty() {
            continue;
        }
        let secs = seconds(cx, &raw, "");
        return Some((raw, secs));
    }
    None
}

fn seconds(cx: &Ctx, raw: &str, method: &str) -> Option<u64> {
    let r = raw.trim();
    let scale = |n: u64| if method == "psetex" { n / 1000 } else { n };
    if let Some(n) = eval_product(r) {
        return Some(scale(n));
    }
    let is_name = r.chars().all(|c| c.is_alphanumeric() || c == '_');
    if is_name {
        let l = r.to_ascii_lowercase();
        return super::process_state::numeric_global(cx, |name| name == l).map(|(_, v)| scale(v));
    }
    // `timedelta(minutes=5)`, `Duration.ofMinutes(5)`, `5*time.Minute`
    let lower = r.to_ascii_lowercase();
    if lower.has("milli") {
        let digits: String = lower
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '*')
            .collect();
        return eval_product(digits.trim_matches('*')).map(|n| n / 1000);
    }
    for (unit, mul) in [
        ("minute", 60u64),
        ("hour", 3600),
        ("second", 1),
        ("day", 86_400),
    ] {
        if lower.has(unit) {
            let digits: String = lower
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '*')
                .collect();
            let n = eval_product(digits.trim_matches('*')).unwrap_or(1);
            return Some(n * mul);
        }
    }
    None
}

/// Calls that only shape a response, log, serialize or format: not the cached computation.
pub fn incidental(c: &Call) -> bool {
    let m = c.method.as_str();
    let r = c.receiver.to_ascii_lowercase();
    r.has("log")
        || r == "console"
        || r == "res"
        || r == "json"
        || matches!(
            m,
            "print"
                | "str"
                | "int"
                | "float"
                | "len"
                | "dumps"
                | "loads"
                | "stringify"
                | "parse"
                | "jsonify"
                | "JsonResponse"
                | "Response"
                | "JSONResponse"
                | "json"
                | "send"
                | "status"
                | "format"
                | "isoformat"
                | "now"
                | "time"
                | "today"
                | "get_object_or_404"
                | "render"
                | "render_template"
                | "HTTPException"
                | "abort"
        )
}

/// True when call `c` looks expensive: a SQL/ORM/HTTP call, an aggregate, or a call of a
/// function defined in the snippet that makes one.
pub fn expensive(cx: &Ctx, f: &Function, c: &Call) -> bool {
    expensive_depth(cx, f, c, 0)
}

fn expensive_depth(cx: &Ctx, f: &Function, c: &Call, depth: u32) -> bool {
    if classify(f, c).is_some() {
        return true;
    }
    let m = c.method.as_str();
    if matches!(
        m,
        "aggregate"
            | "annotate"
            | "execute"
            | "fetchall"
            | "fetch"
            | "query"
            | "raw"
            | "scalars"
            | "all"
            | "groupBy"
            | "group_by"
            | "findMany"
            | "findAll"
            | "count"
            | "read_sql"
            | "read_sql_query"
    ) && !cache_receiver(&c.receiver, cx)
    {
        return c.method != "all" || c.callee.has("objects") || c.callee.has("query");
    }
    if go_java_expensive(cx, c) {
        return true;
    }
    // Tortoise / Peewee / Mongo-style model chains: `Product.filter(…).order_by(…)`.
    let model_root = c
        .callee
        .chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_uppercase())
        && c.callee.contains('.');
    if model_root
        && matches!(
            m,
            "filter" | "order_by" | "limit" | "values" | "select" | "where" | "exclude" | "find"
        )
    {
        return true;
    }
    // Helpers of the snippet: plain functions, `self.`/`this.` methods, and Go methods on the
    // handler's receiver (`s.topGenres(ctx)`).
    let own_receiver = c.receiver.is_empty()
        || c.receiver == "self"
        || c.receiver == "this"
        || cx.language == crate::analyzer::Language::Go
            && c.receiver.len() <= 3
            && c.receiver.chars().all(|ch| ch.is_ascii_lowercase());
    if depth > 1 || !own_receiver {
        return false;
    }
    cx.program
        .functions
        .iter()
        .skip(1)
        .filter(|g| g.name == m && !std::ptr::eq(*g, f))
        .any(|g| {
            g.calls
                .iter()
                .any(|gc| expensive_depth(cx, g, gc, depth + 1))
        })
}

/// Go and Java (and TypeORM) spellings of a query or a remote call: `httpClient.Get(url)`,
/// `client.Do(req)`, GORM chains ending in `Find`/`Scan`, RestTemplate/WebClient calls,
/// Spring Data repository aggregates (`orders.sumTotalsByCustomer()`), TypeORM query builders.
fn go_java_expensive(cx: &Ctx, c: &Call) -> bool {
    let m = c.method.as_str();
    let recv = c.receiver.to_ascii_lowercase();
    if cache_receiver(&c.receiver, cx) {
        return false;
    }
    let last = recv.rsplit('.').next().unwrap_or(&recv);
    let url_arg = c.args.first().is_some_and(|a| {
        let u = a.string.as_deref().unwrap_or(&a.text).to_ascii_lowercase();
        u.has("http") || u.has("url") || u.has("endpoint")
    });
    // Go net/http
    if matches!(m, "Get" | "Post" | "PostForm" | "Head")
        && (recv == "http" || last.ends_with("client"))
        && url_arg
    {
        return true;
    }
    if m == "Do" && (last.ends_with("client") || recv == "http.defaultclient") {
        return true;
    }
    // GORM: `db.Model(&Order{}).Select(…).Group(…).Scan(&rows)`, `db.Find(&orders)`
    if matches!(m, "Find" | "Scan" | "Pluck" | "Count")
        && (last.ends_with("db")
            || [
                ".Model(", ".Table(", ".Raw(", ".Group(", ".Joins(", ".Where(",
            ]
            .iter()
            .any(|w| c.callee.has(w)))
        && !c.callee.has("QueryRow")
    {
        return true;
    }
    // Java HTTP clients
    if matches!(
        m,
        "getForObject" | "getForEntity" | "postForObject" | "postForEntity" | "exchange"
    ) && last.has("resttemplate")
        || m == "retrieve"
        || m == "send" && last.has("httpclient")
    {
        return true;
    }
    // TypeORM query builders
    if matches!(m, "getRawMany" | "getMany" | "getManyAndCount") {
        return true;
    }
    // Spring Data repository methods that aggregate or read many rows
    // (And a Go handler's data store: `h.store.Standings(ctx, leagueID)`.)
    // (Or a field declared with a repository type: `private final TallyRepository tallies`.)
    let typed_repo = cx.language == crate::analyzer::Language::Java
        && cx
            .repositories()
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(last));
    if last.ends_with("repository") || last.ends_with("repo") || last == "store" || typed_repo {
        let ml = m.to_ascii_lowercase();
        return ml.starts_with("findall")
            || ml.starts_with("findtop")
            || [
                "sum",
                "total",
                "stats",
                "report",
                "aggregate",
                "group",
                "leaderboard",
                "rank",
                "standings",
                "summary",
                "dashboard",
            ]
            .iter()
            .any(|w| ml.has(w));
    }
    false
}

/// A long chain (`this.orders.createQueryBuilder("o").select(…)…groupBy`) shortened for
/// messages: its head and its last method.
pub fn short_callee(callee: &str) -> String {
    if callee.len() <= 60 {
        return callee.to_string();
    }
    match (callee.find('('), callee.rsplit_once('.')) {
        (Some(i), Some((_, last))) => format!("{}(…)….{last}", &callee[..i]),
        _ => callee.to_string(),
    }
}

/// Decorators written on the lines just above byte `at` (TypeScript method decorators are not
/// attached to the method by lowering): the offset where they start and their texts without `@`.
pub fn decorator_lines(cx: &Ctx, at: usize) -> (usize, Vec<String>) {
    let before = cx.source.get(..at).unwrap_or("");
    let mut start = at;
    let mut out = Vec::new();
    let mut rest = before.trim_end_matches([' ', '\t']);
    // The function's own line may begin with modifiers before `at`.
    if let Some(i) = rest.rfind('\n') {
        rest = &rest[..i];
    }
    for _ in 0..8 {
        let (head, line) = match rest.rfind('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => ("", rest),
        };
        let t = line.trim();
        if let Some(d) = t.strip_prefix('@') {
            out.push(d.to_string());
            start = head.len() + usize::from(!head.is_empty());
        } else if !(t.starts_with("//") || t.is_empty()) {
            break;
        }
        if head.is_empty() {
            break;
        }
        rest = head;
    }
    (start, out)
}

/// A function defined in the snippet by name (for following a helper call).
pub fn local_function<'a>(cx: &Ctx<'a>, name: &str) -> Option<&'a Function> {
    cx.function_named(name)
}
