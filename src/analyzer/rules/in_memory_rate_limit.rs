//! # in-memory-rate-limit
//!
//! ## What it does
//! Flags rate-limit state kept in the memory of one process: a module-level dict / `Map` /
//! `defaultdict(deque)` of request timestamps or counts keyed by IP or user, or a limiter
//! library left on its default in-memory store (`express-rate-limit` without `store`,
//! flask-limiter / slowapi `Limiter` without `storage_uri`, `RateLimiterMemory`, Nest
//! `ThrottlerModule` without `storage`); in Go a package-level map of `rate.NewLimiter`
//! (golang.org/x/time/rate) or tollbooth limiters per IP / key, or `httprate.LimitByIP` without a
//! shared counter; in Java a `ConcurrentHashMap` of Bucket4j buckets or Guava `RateLimiter`s
//! per client, or a field of timestamps checked with `System.currentTimeMillis()`. It stays
//! silent when the snippet states that one process serves the app, and when the counts live in
//! Redis or another shared store (Bucket4j `ProxyManager`, `redis_rate`, `RedisStore`), or the
//! limiter throttles the service's own outbound calls.
//!
//! ## Why is this bad at scale
//! Every replica and every worker process keeps its own counts. Behind a load balancer with
//! 3 replicas × 4 gunicorn workers, a client that should get 100 requests a minute gets up to
//! 1,200, and the limit a user sees depends on which process answers. Restarts and deploys
//! also reset the counts.
//!
//! ## Example
//! ```python
//! hits = defaultdict(deque)
//!
//! @app.post("/login")
//! def login(request: Request):
//!     q = hits[request.client.host]
//!     now = time.time()
//!     while q and q[0] < now - 60:
//!         q.popleft()
//!     if len(q) >= 5:
//!         raise HTTPException(429)
//!     q.append(now)
//! ```
//!
//! ## Use instead
//! Keep the counter in a store every replica shares, with an atomic increment and expiry:
//! ```python
//! key = f"rl:login:{request.client.host}:{int(time.time() // 60)}"
//! n = await redis.incr(key)
//! if n == 1:
//!     await redis.expire(key, 60)
//! if n > 5:
//!     raise HTTPException(429)
//! ```
//! Or give the library a shared store (`Limiter(storage_uri="redis://…")`,
//! `rateLimit({ store: new RedisStore(…) })`), or enforce the limit at the API gateway.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::{
    eval_product, fn_text, function_at, line_loc, loc_of, numeric_global, parse_limit_string,
    state_vars, use_offsets,
};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::deploy::{trailing_digits, Deployment};
use crate::analyzer::facts::{Call, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::{BTreeMap, HashMap};

pub const ID: &str = "in-memory-rate-limit";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Rate limit kept in process memory",
    what_it_does: "Flags rate-limit state kept in one process's memory: a module-level dict, Map or defaultdict(deque) of timestamps or counts keyed by IP or user, or a limiter library on its default in-memory store (express-rate-limit without `store`, flask-limiter / slowapi without `storage_uri`, RateLimiterMemory, Nest ThrottlerModule without `storage`); Go maps of x/time/rate or tollbooth limiters per client and httprate without a shared counter; Java maps of Bucket4j buckets or Guava RateLimiters per client, and timestamp maps. Silent when the snippet states one process, or when the counts live in Redis or another shared store (Bucket4j ProxyManager, redis_rate, RedisStore).",
    why_bad_at_scale: "Every replica and worker process keeps its own counts. With 3 replicas × 4 workers, a client allowed 100 requests a minute gets up to 1,200, and what a user sees depends on which process answers. Restarts and deploys reset the counts.",
    example: "hits = defaultdict(deque)\n\n@app.post(\"/login\")\ndef login(request: Request):\n    q = hits[request.client.host]\n    now = time.time()\n    while q and q[0] < now - 60:\n        q.popleft()\n    if len(q) >= 5:\n        raise HTTPException(429)\n    q.append(now)",
    use_instead: "key = f\"rl:login:{request.client.host}:{int(time.time() // 60)}\"\nn = await redis.incr(key)\nif n == 1:\n    await redis.expire(key, 60)\nif n > 5:\n    raise HTTPException(429)\n\nOr give the library a shared store (Limiter(storage_uri=\"redis://…\"), rateLimit({ store: new RedisStore(…) })), or enforce the limit at the API gateway.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

const TIME_CALLS: [&str; 16] = [
    "time.Now(",
    "time.Since(",
    "System.currentTimeMillis(",
    "System.nanoTime(",
    "Instant.now(",
    "LocalDateTime.now(",
    "time.time(",
    "time.monotonic(",
    "monotonic(",
    "perf_counter(",
    "datetime.now(",
    "datetime.utcnow(",
    "timezone.now(",
    "Date.now(",
    "new Date(",
    "process.hrtime",
];

fn mentions_time(text: &str) -> bool {
    TIME_CALLS.iter().any(|t| text.has(t))
        || text.has("time()")
        // A window measured from a time handed in (`now.Add(-time.Minute)`, `now -
        // timedelta(minutes=1)`, `now.minus(Duration.ofMinutes(1))`).
        || [".Add(-", "- timedelta(", ".minus(Duration.of", ".minusSeconds("]
            .iter()
            .any(|t| text.has(t))
        // Go: `func allowClaim(ip string, now time.Time)` comparing `now.Sub(t) < window`.
        || text.has(" time.Time")
            && [".Sub(", ".Before(", ".After("].iter().any(|t| text.has(t))
}

fn rate_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["rate", "limit", "throttl", "bucket", "quota"]
        .iter()
        .any(|w| n.has(w))
}

fn activity_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "hits",
        "attempt",
        "request",
        "calls",
        "window",
        "timestamps",
        "counts",
        "counter",
        "usage",
        "history",
        "log",
        "recent",
    ]
    .iter()
    .any(|w| n.has(w))
}

fn rate_semantics(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.has("429")
        || t.has("too many")
        // `fiber.StatusTooManyRequests`, `http.StatusTooManyRequests`, `HttpStatus.TOO_MANY_REQUESTS`
        || t.has("toomanyrequests")
        || t.has("too_many_requests")
        || t.has("rate limit")
        || t.has("ratelimit")
        || t.has("rate_limit")
        || t.has("throttl")
        || t.has("limit exceeded")
}

/// What the limit is keyed by, from the code that uses it.
fn key_kind(text: &str) -> Option<&'static str> {
    let t = text.to_ascii_lowercase();
    if t.has("remote_addr")
        || t.has("client.host")
        || t.has("req.ip")
        || t.has("request.ip")
        || t.has("x-forwarded-for")
        || t.has("get_remote_address")
        || t.has("client_ip")
        || t.has("ip_address")
    {
        Some("ip")
    } else if t.has("api_key") || t.has("apikey") || t.has("x-api-key") {
        Some("api_key")
    } else if t.has("user") {
        Some("user")
    } else {
        None
    }
}

fn deploy_params(d: &Deployment, params: &mut BTreeMap<String, String>) {
    if let Some(r) = d.replicas {
        params.insert("replicas".into(), r.to_string());
    }
    if let Some(w) = d.workers {
        params.insert("workers".into(), w.to_string());
    }
    if let Some(p) = d.processes() {
        params.insert("processes".into(), p.to_string());
    }
}

/// "With 3 replicas × 4 workers (12 processes)" / "If this runs on more than one process".
fn deploy_phrase(d: &Deployment, limit: Option<u64>) -> String {
    let procs = d.processes().filter(|n| *n > 1);
    let shape = match (d.replicas, d.workers) {
        (Some(r), Some(w)) => format!("{r} replicas × {w} workers"),
        (Some(r), None) => format!("{r} replicas"),
        (None, Some(w)) => format!("{w} worker processes"),
        (None, None) => "several worker processes".to_string(),
    };
    if let (Some(n), Some(l)) = (procs, limit) {
        format!(
            "with {shape} each process counts on its own, so a client gets up to {} requests instead of {l}",
            n as u64 * l
        )
    } else if d.multi_process() {
        format!("with {shape} each process counts on its own, so a client gets the limit once per process")
    } else {
        "on more than one replica or worker, each process keeps its own counts, so a client gets the limit once per process".to_string()
    }
}

fn add_limit(params: &mut BTreeMap<String, String>, limit: Option<u64>, window: Option<u64>) {
    if let Some(l) = limit {
        params.insert("limit".into(), l.to_string());
    }
    if let Some(w) = window {
        params.insert("window_s".into(), w.to_string());
    }
}

/// `max: 100` / `windowMs: 15 * 60 * 1000` in an options object.
fn option_value(text: &str, key: &str) -> Option<u64> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        from = at + key.len();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text[at + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
            continue;
        };
        let expr: String = rest
            .trim_start()
            .chars()
            .take_while(|c| !matches!(c, ',' | '}' | '\n' | ')'))
            .collect();
        if let Some(n) = eval_product(&expr) {
            return Some(n);
        }
    }
    None
}

struct Hit {
    loc: Loc,
    what: String,
    library: Option<&'static str>,
    limit: Option<u64>,
    window: Option<u64>,
    key: Option<&'static str>,
    evidence_use: Option<Loc>,
    user_fn: Option<String>,
}

fn shared_store_configured(s: &str) -> bool {
    ["ratelimit_storage_uri", "ratelimit_storage_url"]
        .iter()
        .any(|k| s.has(k))
        && ["redis", "memcached", "mongodb"].iter().any(|k| s.has(k))
}

fn python_limiter(cx: &Ctx, c: &Call) -> Option<Hit> {
    if c.method != "Limiter" {
        return None;
    }
    let src = cx.source;
    if !(find::has(src, "flask_limiter")
        || find::has(src, "slowapi")
        || find::has(src, "key_func")
        || find::has(src, "get_remote_address"))
    {
        return None;
    }
    let storage = c.kwarg("storage_uri").or_else(|| c.kwarg("storage_url"));
    if let Some(s) = storage {
        if !s.text.has("memory://") {
            return None;
        }
    }
    if shared_store_configured(cx.lower()) {
        return None;
    }
    // The limit: `default_limits=["100 per minute"]` or the first `@limiter.limit("5/minute")`.
    let mut lw = c
        .kwarg("default_limits")
        .and_then(|a| first_quoted(&a.text))
        .and_then(|s| parse_limit_string(&s));
    if lw.is_none() {
        lw = cx.program.functions.iter().find_map(|f| {
            f.decorators.iter().find_map(|d| {
                d.has(".limit(")
                    .then(|| first_quoted(d))
                    .flatten()
                    .and_then(|s| parse_limit_string(&s))
            })
        });
    }
    Some(Hit {
        loc: c.loc,
        what: format!("`{}`", c.callee),
        library: Some(if find::has(src, "slowapi") {
            "slowapi"
        } else {
            "flask-limiter"
        }),
        limit: lw.map(|x| x.0),
        window: lw.map(|x| x.1),
        key: key_kind(&c.args_text())
            .or(Some("ip").filter(|_| find::has(src, "get_remote_address"))),
        evidence_use: None,
        user_fn: None,
    })
}

fn first_quoted(text: &str) -> Option<String> {
    let i = text.find(['"', '\''])?;
    let q = text[i..].chars().next()?;
    let rest = &text[i + 1..];
    let j = rest.find(q)?;
    Some(rest[..j].to_string())
}

fn js_limiter(cx: &Ctx, c: &Call) -> Option<Hit> {
    let args = c.args_text();
    let (library, limit_key, window_key, window_ms) = match c.method.as_str() {
        "rateLimit" | "RateLimit" | "expressRateLimit" | "slowDown" | "rateLimiter"
            if args.has("windowMs") || cx.source_has("express-rate-limit") =>
        {
            ("express-rate-limit", "max", "windowMs", true)
        }
        "forRoot" | "forRootAsync" if c.receiver.ends_with("ThrottlerModule") => {
            ("@nestjs/throttler", "limit", "ttl", !args.has("seconds("))
        }
        _ => return None,
    };
    if args.has("store:") || args.has("store,") || args.has("storage:") || args.has("store }") {
        return None;
    }
    let limit = option_value(&args, limit_key).or_else(|| option_value(&args, "limit"));
    let mut window = option_value(&args, window_key);
    if window_ms {
        window = window.map(|w| (w / 1000).max(1));
    }
    Some(Hit {
        loc: c.loc,
        what: format!("`{}`", c.callee),
        library: Some(library),
        limit,
        window,
        key: key_kind(&args).or(Some("ip")),
        evidence_use: None,
        user_fn: None,
    })
}

/// `new RateLimiterMemory({ points: 10, duration: 1 })` (rate-limiter-flexible).
fn flexible_memory(cx: &Ctx, out: &mut Vec<Hit>) {
    for (i, _) in cx.source.match_indices("RateLimiterMemory(") {
        let end = cx.source[i..]
            .find(')')
            .map_or(cx.source.len(), |j| i + j + 1);
        let opts = &cx.source[i..end];
        let start = cx.source[..i]
            .rfind("new ")
            .filter(|n| i - n <= 4)
            .unwrap_or(i);
        out.push(Hit {
            loc: loc_of(cx, start, end),
            what: "`RateLimiterMemory`".to_string(),
            library: Some("rate-limiter-flexible"),
            limit: option_value(opts, "points"),
            window: option_value(opts, "duration"),
            key: None,
            evidence_use: None,
            user_fn: None,
        });
    }
}

fn hand_rolled(cx: &Ctx, out: &mut Vec<Hit>) {
    for var in state_vars(cx) {
        let named = rate_name(&var.bare) || var.class.as_deref().is_some_and(rate_name);
        // A map of time queues (`Map<String, Deque<Long>>`, `defaultdict(deque)`,
        // `Map<string, number[]>`) is a sliding window whatever it is called.
        let decl = cx
            .lines
            .line_text(var.loc.span.start_line)
            .to_ascii_lowercase();
        let queues = [
            "deque",
            "number[]",
            "list[float]",
            "list[int]",
            "[]int64",
            "[]time.time",
            "list<long>",
            "list<instant>",
        ]
        .iter()
        .any(|k| decl.has(k));
        let fns = &cx.program.functions;
        // Any name, when the code that counts in it is a limiter by its own name
        // (`visitors` in the closure `rateLimit()` returns; a `rateCard` prices things).
        let limiter_name = |n: &str| {
            let n = n.to_ascii_lowercase();
            n.has("limit") || n.has("throttl")
        };
        let limiter_user = |fi: usize| {
            limiter_name(&fns[fi].name)
                || fns[fi]
                    .parent
                    .filter(|&p| p > 0)
                    .is_some_and(|p| limiter_name(&fns[p].name))
        };
        let mut users = Vec::new();
        for at in use_offsets(cx, &var) {
            if let Some(fi) = function_at(cx, at) {
                if !users.iter().any(|(f, _)| *f == fi) {
                    users.push((fi, at));
                }
            }
        }
        if !named
            && !activity_name(&var.bare)
            && !queues
            && !users.iter().any(|&(fi, _)| limiter_user(fi))
        {
            continue;
        }
        // Redis in the same function means the memory map is something else (a local mirror).
        let timed_user = |fi: usize| {
            let t = fn_text(cx, &fns[fi]);
            mentions_time(t) && !t.to_ascii_lowercase().has("redis")
        };
        // The function that counts, not the janitor that drops old windows once a minute.
        let sweeps = |fi: usize| {
            let n = fns[fi].name.to_ascii_lowercase();
            let t = fn_text(cx, &fns[fi]);
            ["init", "cleanup", "sweep", "prune", "evict", "janitor"]
                .iter()
                .any(|k| n.has(k))
                || ["time.Tick(", "NewTicker(", "setInterval("]
                    .iter()
                    .any(|k| t.has(k))
        };
        let timed = users
            .iter()
            .find(|(fi, _)| timed_user(*fi) && !sweeps(*fi))
            .or_else(|| users.iter().find(|(fi, _)| timed_user(*fi)));
        // A fixed window reset by a timer: `setInterval(() => hits.clear(), WINDOW_MS)`, or a
        // Go goroutine that replaces the map on every `time.Tick(time.Minute)`.
        let reset_by_timer = || {
            cx.source_has("setInterval(") && cx.source.has(&format!("{}.clear()", var.name))
                || users.iter().any(|(fi, _)| {
                    let t = fn_text(cx, &fns[*fi]);
                    (t.has("time.Tick(") || t.has("NewTicker("))
                        && t.has(&format!("{} = make(", var.name))
                })
        };
        let timed = timed.or_else(|| {
            reset_by_timer()
                .then(|| {
                    users
                        .iter()
                        .find(|(fi, _)| !sweeps(*fi) && !fn_text(cx, &fns[*fi]).has(".clear()"))
                })
                .flatten()
        });
        let Some(&(fi, at)) = timed else { continue };
        // The function that counts, or a handler that calls it and answers 429.
        let callers_say = |f: usize| {
            let name = fns[f].name.as_str();
            fns.iter().any(|g| {
                g.calls
                    .iter()
                    .any(|c| c.method == name && c.receiver.is_empty())
                    && rate_semantics(fn_text(cx, g))
            })
        };
        let semantic = named
            || users.iter().any(|(f, _)| {
                rate_semantics(fn_text(cx, &fns[*f])) || rate_name(&fns[*f].name) || callers_say(*f)
            });
        if !semantic {
            continue;
        }
        let text = fn_text(cx, &fns[fi]);
        let limit = numeric_global(cx, |n| {
            (n.has("limit") || n.has("max") || n.has("requests")) && !n.has("window")
        })
        .map(|x| x.1)
        .or_else(|| {
            kwarg_number(
                cx,
                &[
                    "limit",
                    "max_requests",
                    "max_calls",
                    "requests",
                    "rate",
                    "max",
                ],
            )
        });
        let window = numeric_global(cx, |n| {
            n.has("window") || n.has("period") || n.has("interval")
        })
        .map(|x| {
            if x.0.to_ascii_lowercase().has("ms") {
                x.1 / 1000
            } else {
                x.1
            }
        })
        .or_else(|| {
            kwarg_number(
                cx,
                &[
                    "window",
                    "window_seconds",
                    "period",
                    "per_seconds",
                    "seconds",
                ],
            )
        });
        out.push(Hit {
            loc: var.loc,
            what: format!("`{}`", var.name),
            library: None,
            limit,
            window,
            key: key_kind(text),
            evidence_use: Some(line_loc(cx, at)),
            user_fn: Some(fns[fi].name.clone()),
        });
    }
}

/// A numeric keyword argument by one of `names` anywhere (`RateLimiter(max_requests=100)`).
fn kwarg_number(cx: &Ctx, names: &[&str]) -> Option<u64> {
    cx.program
        .functions
        .iter()
        .flat_map(|f| &f.calls)
        .find_map(|c| {
            c.args.iter().find_map(|a| {
                let n = a.name.as_deref()?;
                names.contains(&n).then(|| eval_product(&a.text)).flatten()
            })
        })
}

/// `time.Minute/60`, `10*time.Second`, `500*time.Millisecond` in milliseconds (Go only).
fn go_duration_ms(text: &str) -> Option<u64> {
    let (unit, ms) = [
        ("time.Millisecond", 1),
        ("time.Second", 1000),
        ("time.Minute", 60_000),
        ("time.Hour", 3_600_000),
    ]
    .into_iter()
    .find(|(u, _)| text.has(u))?;
    let i = text.find(unit)?;
    let mult = text[..i]
        .trim_end()
        .strip_suffix('*')
        .and_then(|b| trailing_digits(b.trim_end()).parse::<u64>().ok())
        .unwrap_or(1);
    let div = text[i + unit.len()..]
        .trim_start()
        .strip_prefix('/')
        .and_then(first_int)
        .filter(|d| *d > 0)
        .unwrap_or(1);
    Some(ms * mult / div)
}

/// The number in `Duration.ofMinutes(1)` / `time.Minute` / `10*time.Second` / `rate.Every(…)`,
/// in seconds.
fn duration_seconds(text: &str) -> Option<u64> {
    for (unit, secs) in [
        ("Duration.ofSeconds(", 1),
        ("Duration.ofMinutes(", 60),
        ("Duration.ofHours(", 3600),
        ("Duration.ofDays(", 86_400),
    ] {
        if let Some(i) = text.find(unit) {
            let n: String = text[i + unit.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            return n.parse::<u64>().ok().map(|n| n * secs);
        }
    }
    for (unit, secs) in [("time.Second", 1), ("time.Minute", 60), ("time.Hour", 3600)] {
        if let Some(i) = text.find(unit) {
            let before = text[..i].trim_end().trim_end_matches('*').trim_end();
            return Some(trailing_digits(before).parse::<u64>().unwrap_or(1) * secs);
        }
    }
    None
}

/// The first integer literal in `text`.
fn first_int(text: &str) -> Option<u64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let n: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '_')
        .filter(|c| *c != '_')
        .collect();
    n.parse().ok()
}

/// Limiter objects kept per key in a process-level map: Go `rate.NewLimiter` (x/time/rate) or
/// tollbooth, Java Bucket4j `Bucket.builder()` or Guava `RateLimiter.create` stored in a
/// `ConcurrentHashMap` field. Bucket4j through a `ProxyManager` (Redis, JCache) is shared.
fn limiter_objects(cx: &Ctx, out: &mut Vec<Hit>) {
    let (ctors, library): (&[&str], &'static str) = match cx.language {
        Language::Go => (
            &["rate.NewLimiter", "tollbooth.NewLimiter"],
            "golang.org/x/time/rate",
        ),
        Language::Java => (
            &["Bucket.builder", "Bucket4j.builder", "RateLimiter.create"],
            "Bucket4j",
        ),
        _ => return,
    };
    let fns = &cx.program.functions;
    // The function that builds the limiter for a key (or one it calls, `this::newBucket`).
    let ctor_call = |fi: usize| {
        fns[fi].calls.iter().find(|c| {
            let root = c.callee.split('(').next().unwrap_or("");
            ctors.contains(&root)
        })
    };
    // Functions that construct a limiter, in order, and what each user function reaches:
    // both the same for every state variable (searched per variable and per function, a
    // 10,000-line Go file took 35 ms in this rule).
    let builders: Vec<(usize, &Call)> = (1..fns.len())
        .filter_map(|gi| ctor_call(gi).map(|c| (gi, c)))
        .collect();
    let mut reached: HashMap<usize, Option<&Call>> = HashMap::new();
    for var in state_vars(cx) {
        let mut users: Vec<(usize, usize)> = Vec::new();
        for at in use_offsets(cx, &var) {
            if let Some(fi) = function_at(cx, at) {
                if !users.iter().any(|(f, _)| *f == fi) {
                    users.push((fi, at));
                }
            }
        }
        let built = users.iter().find_map(|&(fi, at)| {
            let reach = *reached.entry(fi).or_insert_with(|| {
                ctor_call(fi).or_else(|| {
                    // `buckets.computeIfAbsent(ip, this::newBucket)` / `k -> newBucket()`.
                    let text = fn_text(cx, &fns[fi]);
                    builders
                        .iter()
                        .find(|(gi, _)| {
                            let name = &fns[*gi].name;
                            *gi != fi && !name.is_empty() && text.has(&format!("{name}("))
                                || text.has(&format!("::{name}"))
                        })
                        .map(|(_, c)| *c)
                })
            });
            reach.map(|c| (fi, at, c))
        });
        let typed = ["rate.Limiter", "Bucket>", "RateLimiter>"]
            .iter()
            .any(|t| cx.lines.line_text(var.loc.span.start_line).has(t));
        let Some((fi, at, ctor)) = built.or_else(|| {
            typed
                .then(|| users.first().copied())
                .flatten()
                .and_then(|(fi, at)| {
                    fns.iter()
                        .flat_map(|g| g.calls.iter())
                        .find(|c| ctors.contains(&c.callee.split('(').next().unwrap_or("")))
                        .map(|c| (fi, at, c))
                })
        }) else {
            continue;
        };
        if cx.language == Language::Java && cx.source_has("ProxyManager") {
            continue;
        }
        let (lib, limit, window) = if ctor.callee.starts_with("rate.NewLimiter") {
            // rate.NewLimiter(r, burst): r events per second, or rate.Every(d).
            let r = ctor.args.first().map(|a| a.text.trim()).unwrap_or("");
            let r = r
                .strip_prefix("rate.Limit(")
                .and_then(|x| x.strip_suffix(')'))
                .unwrap_or(r);
            let burst = ctor.args.get(1).and_then(|a| eval_product(&a.text));
            match (eval_product(r), go_duration_ms(r)) {
                (Some(n), _) => (library, Some(n), Some(1)),
                (None, Some(ms)) if r.has("Every") && ms >= 1000 => {
                    (library, Some(1), Some(ms / 1000))
                }
                (None, Some(ms)) if r.has("Every") && ms > 0 => (library, Some(1000 / ms), Some(1)),
                _ => (library, burst, None),
            }
        } else if ctor.callee.starts_with("tollbooth") {
            let r = ctor.args.first().map(|a| a.text.as_str()).unwrap_or("");
            ("tollbooth", eval_product(r), Some(1))
        } else if ctor.callee.starts_with("RateLimiter.create") {
            let r = ctor.args.first().map(|a| a.text.as_str()).unwrap_or("");
            ("Guava RateLimiter", first_int(r), Some(1))
        } else {
            let t = fn_text(cx, &fns[fi]).to_string()
                + fns
                    .iter()
                    .find(|g| g.calls.iter().any(|c| c.loc == ctor.loc))
                    .map_or("", |g| fn_text(cx, g));
            let cap = ["capacity(", "Bandwidth.classic(", "Bandwidth.simple("]
                .iter()
                .find_map(|k| t.find(k).and_then(|i| first_int(&t[i + k.len()..])));
            (library, cap, duration_seconds(&t))
        };
        let user = fns
            .iter()
            .find(|g| g.calls.iter().any(|c| c.loc == ctor.loc))
            .map(|g| g.name.clone())
            .unwrap_or_else(|| fns[fi].name.clone());
        let _ = at;
        out.push(Hit {
            loc: var.loc,
            what: format!("`{}`", var.name),
            library: Some(lib),
            limit,
            window,
            key: key_kind(fn_text(cx, &fns[fi])),
            evidence_use: Some(ctor.loc),
            user_fn: Some(user),
        });
    }
}

/// go-chi/httprate (`httprate.LimitByIP(100, time.Minute)`): an in-memory counter unless a
/// shared `WithLimitCounter` (httprate-redis) is given.
fn go_httprate(cx: &Ctx, c: &Call) -> Option<Hit> {
    if cx.language != Language::Go || c.receiver != "httprate" || !c.method.starts_with("Limit") {
        return None;
    }
    let args = c.args_text();
    if args.has("WithLimitCounter") || cx.source_has("httprateredis") {
        return None;
    }
    let limit = c.args.first().and_then(|a| eval_product(&a.text));
    let window = c.args.get(1).and_then(|a| duration_seconds(&a.text));
    Some(Hit {
        loc: c.loc,
        what: format!("`{}`", c.callee),
        library: Some("httprate"),
        limit,
        window,
        key: Some(if c.method.has("IP") { "ip" } else { "key" }),
        evidence_use: None,
        user_fn: None,
    })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let d = cx.deployment();
    if d.single_process() {
        return;
    }
    let mut hits = Vec::new();
    limiter_objects(cx, &mut hits);
    for f in &cx.program.functions {
        for c in &f.calls {
            if let Some(h) = python_limiter(cx, c)
                .or_else(|| js_limiter(cx, c))
                .or_else(|| go_httprate(cx, c))
            {
                hits.push(h);
            }
        }
    }
    flexible_memory(cx, &mut hits);
    hand_rolled(cx, &mut hits);
    let mut seen_lines = Vec::new();
    for h in hits {
        let line = h.loc.span.start_line;
        if seen_lines.contains(&line) {
            continue;
        }
        seen_lines.push(line);
        let mut params = BTreeMap::new();
        deploy_params(d, &mut params);
        add_limit(&mut params, h.limit, h.window);
        if let Some(k) = h.key {
            params.insert("key".into(), k.into());
        }
        let rate = match (h.limit, h.window) {
            (Some(l), Some(w)) => format!(", {l} requests per {w} s"),
            (Some(l), None) => format!(", limit {l}"),
            _ => String::new(),
        };
        let mut evidence = vec![cx.evidence(&h.loc, "state")];
        let (message, fix) = match h.library {
            Some(lib) => {
                params.insert("library".into(), lib.into());
                let message = match (&h.user_fn, &h.evidence_use) {
                    // A map of limiter objects, one per key.
                    (Some(f), Some(u)) => {
                        evidence.push(cx.evidence(u, "check"));
                        params.insert(
                            "state".into(),
                            h.what.split('`').nth(1).unwrap_or("").into(),
                        );
                        let f = match f.split_once(' ') {
                            Some((kind, rest)) => {
                                match rest
                                    .strip_prefix("in ")
                                    .or_else(|| rest.strip_prefix("of "))
                                {
                                    Some(outer) if outer.len() <= 40 => {
                                        format!("the {kind} of `{outer}`")
                                    }
                                    _ => format!("a {kind}"),
                                }
                            }
                            None => format!("`{f}`"),
                        };
                        format!(
                            "{} (line {line}{rate}) keeps one {} per client in this process's memory ({f} builds them at line {}): {}.",
                            h.what,
                            if lib.ends_with("RateLimiter") {
                                lib.to_string()
                            } else {
                                format!("{lib} limiter")
                            },
                            u.span.start_line,
                            deploy_phrase(d, h.limit)
                        )
                    }
                    _ => format!(
                        "{} (line {line}{rate}) uses {lib}'s default in-memory store: {}.",
                        h.what,
                        deploy_phrase(d, h.limit)
                    ),
                };
                (
                    message,
                    match lib {
                        "express-rate-limit" => "Pass a shared store: `rateLimit({ …, store: new RedisStore({ sendCommand: (...a) => redis.sendCommand(a) }) })`, or limit at the gateway.".to_string(),
                        "@nestjs/throttler" => "Give ThrottlerModule a shared storage (`storage: new ThrottlerStorageRedisService(redis)`), or limit at the gateway.".to_string(),
                        "rate-limiter-flexible" => "Use `RateLimiterRedis({ storeClient: redis, … })` with the same points and duration.".to_string(),
                        "golang.org/x/time/rate" | "tollbooth" => "Count in a shared store: a Redis-backed limiter (`github.com/go-redis/redis_rate`: `limiter.Allow(ctx, \"rl:\"+ip, redis_rate.PerMinute(100))`), or limit at the gateway.".to_string(),
                        "httprate" => "Give httprate a shared counter (`httprate.WithLimitCounter(httprateredis.NewCounter(…))`), or limit at the gateway.".to_string(),
                        "Bucket4j" => "Keep the buckets in a shared store: a Bucket4j `ProxyManager` over Redis (`LettuceBasedProxyManager`) or JCache, `proxyManager.builder().build(key, config)`; or limit at the gateway.".to_string(),
                        "Guava RateLimiter" => "Guava's RateLimiter is per JVM: use Bucket4j with a Redis `ProxyManager`, or Redis `INCR` + `EXPIRE`, or limit at the gateway.".to_string(),
                        _ => "Point the limiter at a shared store: `Limiter(…, storage_uri=\"redis://redis:6379\")`, or limit at the gateway.".to_string(),
                    },
                )
            }
            None => {
                params.insert(
                    "state".into(),
                    h.what.split('`').nth(1).unwrap_or("").into(),
                );
                let used = match (&h.user_fn, &h.evidence_use) {
                    (Some(f), Some(u)) => {
                        evidence.push(cx.evidence(u, "check"));
                        format!(
                            "; `{f}` at line {} counts requests in it",
                            u.span.start_line
                        )
                    }
                    _ => String::new(),
                };
                (
                    format!(
                        "Rate-limit state {} (line {line}{rate}) lives in this process's memory{used}: {}.",
                        h.what,
                        deploy_phrase(d, h.limit)
                    ),
                    "Keep the counts in a shared store with an atomic increment and expiry (Redis `INCR` + `EXPIRE`, or a sorted set per key for a sliding window), or enforce the limit at the gateway.".to_string(),
                )
            }
        };
        let severity = if d.multi_process() {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(finding(
            ID, severity, &h.loc, message, fix, evidence, params,
        ));
    }
}
