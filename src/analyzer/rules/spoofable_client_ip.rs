//! # spoofable-client-ip
//!
//! ## What it does
//! Flags code that takes the client's identity from a header the client can write itself,
//! `X-Forwarded-For`, `X-Real-IP`, `CF-Connecting-IP`, `True-Client-IP`, `X-Client-IP`,
//! `Forwarded`, and then uses it for rate limiting, lockouts, allow-lists, auth decisions or
//! audit records: Python `request.headers.get("X-Forwarded-For")`,
//! `request.META["HTTP_X_FORWARDED_FOR"]`; JavaScript/TypeScript `req.headers["x-forwarded-for"]`,
//! `req.get("X-Forwarded-For")`, `req.ip` / `req.ips` or a default express-rate-limit key under
//! `app.set("trust proxy", true)`; Go `r.Header.Get("X-Forwarded-For")`, chi's
//! `middleware.RealIP`; Java `request.getHeader("X-Forwarded-For")`, `@RequestHeader`.
//!
//! ## Why is this bad at scale
//! Anyone can send `X-Forwarded-For: 1.2.3.4`. A proxy in front of the app appends the real
//! address to the end of the list, it does not remove what the client wrote at the start, so
//! the first entry (or the whole header, when there is no proxy) is whatever the caller
//! chose. A script that sends a fresh random value with every request gets a fresh rate-limit
//! bucket every time: the limit of 5 login attempts a minute becomes unlimited, lockouts never
//! trigger, an IP allow-list lets in anyone who names an allowed address, and audit logs
//! record invented addresses. Under a credential-stuffing or scraping wave, the limiter that
//! was supposed to hold the line lets all of it through.
//!
//! ## Example
//! ```python
//! def client_ip():
//!     return request.headers.get("X-Forwarded-For", request.remote_addr).split(",")[0]
//!
//! limiter = Limiter(key_func=client_ip, app=app)
//! ```
//!
//! ## Use instead
//! Let the proxy layer rewrite the peer address with an explicit, bounded trust setting, and
//! use the socket address:
//! ```python
//! app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)   # exactly one proxy in front
//! limiter = Limiter(key_func=get_remote_address, app=app)
//! ```
//! Express: `app.set("trust proxy", 1)` (the number of proxies) or a subnet list, never
//! `true`; Go: `r.RemoteAddr`, or the rightmost entry added by your own proxy; Java: Tomcat's
//! `RemoteIpValve` with `internalProxies`. Reading the header only for a log line, or taking
//! the entry your known proxy count puts on the right, is fine and stays silent.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::{finding, process_state, Ctx, RuleDoc};
use crate::analyzer::facts::Function;
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "spoofable-client-ip";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Client IP taken from a spoofable header",
    what_it_does: "Flags code that takes the client's identity from a header the client can write (X-Forwarded-For, X-Real-IP, CF-Connecting-IP, True-Client-IP, X-Client-IP, Forwarded) and uses it for rate limiting, lockouts, allow-lists, auth decisions or audit: request.headers.get(\"X-Forwarded-For\"), request.META[\"HTTP_X_FORWARDED_FOR\"], req.headers[\"x-forwarded-for\"], req.get(\"X-Forwarded-For\"), req.ip under app.set(\"trust proxy\", true), r.Header.Get(\"X-Forwarded-For\"), chi middleware.RealIP, request.getHeader(\"X-Forwarded-For\").",
    why_bad_at_scale: "Anyone can send X-Forwarded-For: 1.2.3.4. A proxy appends the real address at the end of the list; it does not remove what the client wrote at the start, so the first entry (or the whole header, with no proxy) is whatever the caller chose. A script that sends a random value per request gets a fresh rate-limit bucket every time: 5 login attempts a minute becomes unlimited, lockouts never trigger, allow-lists admit anyone who names an allowed address, and audit logs record invented addresses.",
    example: "def client_ip():\n    return request.headers.get(\"X-Forwarded-For\", request.remote_addr).split(\",\")[0]\n\nlimiter = Limiter(key_func=client_ip, app=app)",
    use_instead: "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)   # exactly one proxy in front\nlimiter = Limiter(key_func=get_remote_address, app=app)\n\nExpress: app.set(\"trust proxy\", 1) (the number of proxies) or a subnet list, never true. Go: r.RemoteAddr, or the rightmost entry your own proxy added. Java: Tomcat RemoteIpValve with internalProxies. Logging the header, or taking the entry your known proxy count puts on the right, is fine.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// Header names a client can set, lower-case, in their dashed and underscored spellings.
const HEADERS: [(&str, &str); 10] = [
    ("x-forwarded-for", "X-Forwarded-For"),
    ("x-real-ip", "X-Real-IP"),
    ("cf-connecting-ip", "CF-Connecting-IP"),
    ("true-client-ip", "True-Client-IP"),
    ("x-client-ip", "X-Client-IP"),
    ("x-cluster-client-ip", "X-Cluster-Client-IP"),
    ("x-original-forwarded-for", "X-Original-Forwarded-For"),
    ("fastly-client-ip", "Fastly-Client-IP"),
    ("x-forwarded", "X-Forwarded"),
    ("forwarded", "Forwarded"),
];

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn has_word(text: &str, word: &str) -> bool {
    super::queries::mentions(text, word)
}

fn is_comment_line(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//") || t.starts_with('*') || t.starts_with("/*")
}

/// A line that only writes a log entry (`logger.info(…)`, `console.log`, `log.Printf`, `print`).
fn is_log_line(line: &str) -> bool {
    let l = line.trim_start().to_ascii_lowercase();
    let first_call = l.split('(').next().unwrap_or("");
    let logger_seg = |s: &str| {
        matches!(
            s,
            "log"
                | "logger"
                | "logging"
                | "_logger"
                | "_log"
                | "console"
                | "slog"
                | "logrus"
                | "zap"
                | "zerolog"
                | "print"
                | "println"
                | "printf"
        )
    };
    // The statement itself is a logging call: its callee chain names a logger.
    let callee: Vec<&str> = first_call
        .rsplit(|c: char| !(ident_char(c) || c == '.'))
        .next()
        .unwrap_or("")
        .split('.')
        .collect();
    let head_is_logger = callee.iter().any(|s| logger_seg(s))
        || first_call.trim_start().starts_with("print")
        || first_call.has("fmt.print")
        || first_call.has("system.out")
        || first_call.has("system.err");
    head_is_logger
}

/// Where a spoofable header is read: the byte offset of the name and its display spelling.
struct Read {
    at: usize,
    header: &'static str,
}

fn line_bounds(src: &str, at: usize) -> (usize, usize) {
    let s = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let e = src[at..].find('\n').map_or(src.len(), |i| at + i);
    (s, e)
}

/// The call around `at` on its line sets a header rather than reading one.
fn is_header_write(line_before: &str, after: &str) -> bool {
    let lb = line_before.to_ascii_lowercase();
    let callee: String = lb
        .trim_end()
        .trim_end_matches(['"', '\'', '`'])
        .trim_end()
        .trim_end_matches('(')
        .chars()
        .rev()
        .take_while(|c| ident_char(*c) || *c == '.')
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    let method = callee.rsplit('.').next().unwrap_or("");
    let writes = matches!(
        method,
        "set" | "setheader" | "addheader" | "add" | "header" | "set_header" | "append" | "del"
    ) || lb.has("proxy_set_header");
    // `"X-Forwarded-For": ip` (an outgoing header map / object literal).
    let key = after.trim_start().starts_with(':') && !lb.trim_end().ends_with("case");
    writes || key || lb.has("res.set") || lb.has("response.set")
}

fn find_reads(cx: &Ctx) -> Vec<Read> {
    let src = cx.source;
    let low = cx.lower();
    let mut out: Vec<Read> = Vec::new();
    for (name, shown) in HEADERS {
        let under = name.replace('-', "_");
        for pat in [name.to_string(), under] {
            for s in find::find_all(low, &pat) {
                let e = s + pat.len();
                let before = &low[..s];
                let after = &low[e..];
                let prev = before.chars().next_back();
                let next = after.chars().next();
                if next.is_some_and(|c| ident_char(c) || c == '-') {
                    continue;
                }
                let quoted = matches!(prev, Some('"' | '\'' | '`'));
                let django = before.ends_with("http_") && {
                    let b = &before[..before.len() - 5];
                    matches!(b.chars().next_back(), Some('"' | '\''))
                };
                let ratelimit_key = before.ends_with("header:");
                let (ls, le) = line_bounds(src, s);
                let line = &low[ls..le];
                let fastapi_param =
                    pat.contains('_') && !prev.is_some_and(ident_char) && line.has("header(");
                if !(quoted || django || ratelimit_key || fastapi_param) {
                    continue;
                }
                // `Forwarded` alone only as a whole quoted header name.
                if name == "forwarded" || name == "x-forwarded" {
                    let closes = next.is_some_and(|c| matches!(c, '"' | '\'' | '`'));
                    if !quoted || !closes {
                        continue;
                    }
                }
                if is_comment_line(line) {
                    continue;
                }
                let line_before = &low[ls..s];
                let after_quote = after.get(1..).unwrap_or("");
                if quoted && is_header_write(line_before, after_quote) {
                    continue;
                }
                // A constant holding the name: follow its uses instead.
                let lb = line_before.trim_end().trim_end_matches(['"', '\'', '`']);
                if let Some(constant) = constant_name(&src[ls..s], lb) {
                    for at in uses_of(src, &constant, le) {
                        out.push(Read { at, header: shown });
                    }
                    continue;
                }
                out.push(Read {
                    at: s,
                    header: shown,
                });
            }
        }
    }
    out.sort_by_key(|r| r.at);
    // One read per line: the first header named on it.
    let mut kept: Vec<Read> = Vec::new();
    for r in out {
        if !kept.iter().any(|k| same_line(src, k.at, r.at)) {
            kept.push(r);
        }
    }
    kept
}

/// `XFF_HEADER = "X-Forwarded-For"` / `const XFF = '…'` / `static final String XFF = "…"`.
fn constant_name(line_text: &str, lowered_before: &str) -> Option<String> {
    let t = lowered_before.trim_end();
    if !t.ends_with('=') || t.ends_with("==") || t.ends_with("!=") {
        return None;
    }
    let orig = line_text
        .trim_end()
        .trim_end_matches(['"', '\'', '`'])
        .trim_end();
    let orig = orig.strip_suffix('=')?.trim_end();
    let orig = orig.strip_suffix(':').unwrap_or(orig).trim_end();
    let name = super::queries::trailing(orig, ident_char).to_string();
    let upper = name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (upper && name.len() > 1).then_some(name)
}

fn uses_of(src: &str, name: &str, from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = from;
    while let Some(k) = src.get(i..).and_then(|t| t.find(name)) {
        let s = i + k;
        let e = s + name.len();
        i = e;
        let before = src[..s].chars().next_back();
        let after = src[e..].chars().next();
        if before.is_some_and(ident_char) || after.is_some_and(ident_char) {
            continue;
        }
        let (ls, le) = line_bounds(src, s);
        if is_comment_line(&src[ls..le]) {
            continue;
        }
        out.push(s);
    }
    out
}

fn same_line(src: &str, a: usize, b: usize) -> bool {
    line_bounds(src, a) == line_bounds(src, b)
}

/// The innermost function whose span holds the offset (the module when none does).
fn function_at<'a>(cx: &Ctx<'a>, at: usize) -> (usize, &'a Function) {
    let i = process_state::function_at(cx, at).unwrap_or(0);
    (i, &cx.program.functions[i])
}

/// The entry taken is the rightmost one a known number of proxies appended, or the code checks
/// the peer against its own proxies first.
fn takes_trusted_hop(func_text: &str, source_trusts: bool) -> bool {
    let t: String = func_text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    const INDEX_FROM_RIGHT: [&str; 14] = [
        "[-1]",
        "[-2]",
        "[-3]",
        "[len(",
        ".length-",
        ".pop()",
        ".at(-",
        "slice(-",
        "lastindex",
        "rsplit(",
        "reversed(",
        "size()-",
        "[::-1]",
        "splitn(",
    ];
    INDEX_FROM_RIGHT.iter().any(|p| t.has(p)) || source_trusts
}

/// The snippet names a trusted proxy count or list somewhere (the same for every header read:
/// asked once, not per read).
fn names_trusted_proxies(s: &str) -> bool {
    let trusted = [
        "num_proxies",
        "numproxies",
        "proxy_count",
        "proxycount",
        "trusted_hops",
        "trustedhops",
        "trusted_proxies",
        "trustedproxies",
        "trusted_proxy",
        "trustedproxy",
        "istrustedproxy",
        "known_proxies",
        "knownproxies",
        "proxy_depth",
    ];
    trusted.iter().any(|p| s.has(p))
}

fn security_context(text: &str) -> Option<&'static str> {
    let l = text.to_ascii_lowercase();
    let kinds: [(&str, &[&str]); 5] = [
        ("audit record", &["audit"]),
        (
            "lockout",
            &["lockout", "locked", "attempt", "brute", "banned", "ban("],
        ),
        (
            "rate limit",
            &[
                "limit",
                "throttl",
                "quota",
                "key_func",
                "keygenerator",
                "keyfunc",
                "incr",
                "429",
                "too many",
                // Go's `http.StatusTooManyRequests`, fiber's `StatusTooManyRequests`.
                "toomany",
            ],
        ),
        (
            "allow-list",
            &[
                "allow",
                "deny",
                "denied",
                "whitelist",
                "blacklist",
                "block",
                "trusted_ips",
                "forbidden",
                "403",
            ],
        ),
        (
            "auth decision",
            &[
                "auth",
                "login",
                "signin",
                "sign_in",
                "admin",
                "otp",
                "captcha",
                "permission",
                "fraud",
            ],
        ),
    ];
    for (kind, words) in kinds {
        if words.iter().any(|w| l.has(w)) {
            return Some(kind);
        }
    }
    None
}

/// Text with logging lines and comments removed, to judge what the code does with a value.
fn without_logs(text: &str) -> String {
    text.lines()
        .filter(|l| !is_log_line(l) && !is_comment_line(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names the statement at `at` binds (`ip = …`, `const xff = …`, `xff := …`).
fn bound_names(f: &Function, at: usize) -> Vec<String> {
    f.assigns
        .iter()
        .filter(|a| a.loc.start <= at && at < a.loc.end)
        .flat_map(|a| a.names.iter().filter(|n| n.as_str() != "_").cloned())
        .collect()
}

/// The parameter a header is injected into: Spring `@RequestHeader("X-Forwarded-For") String ip`,
/// FastAPI `x_forwarded_for: str | None = Header(None)`.
fn header_param(rest: &str, before: &str) -> Option<String> {
    if before.has("@RequestHeader") {
        let close = rest.find(')')?;
        let tail = &rest[close + 1..];
        let end = tail.find([',', ')', '{']).unwrap_or(tail.len());
        let name: String = tail[..end]
            .trim()
            .rsplit(|c: char| !ident_char(c))
            .next()?
            .to_string();
        return (!name.is_empty()).then_some(name);
    }
    if rest.has("Header(") {
        let name: String = rest.chars().take_while(|c| ident_char(*c)).collect();
        let prefix = super::queries::trailing(before, ident_char).to_string();
        let full = prefix + &name;
        return (!full.is_empty()).then_some(full);
    }
    None
}

/// Lines after the read where one of `names` is used (not counting the read line itself).
fn use_lines(src: &str, names: &[String], from: usize, to: usize) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let to = to.min(src.len());
    let (_, read_end) = line_bounds(src, from);
    let mut pos = read_end;
    for line in src.get(read_end..to).unwrap_or("").split('\n') {
        let start = pos;
        pos += line.len() + 1;
        if line.trim().is_empty() || is_comment_line(line) {
            continue;
        }
        if names.iter().any(|n| has_word(line, n)) {
            out.push((start, is_log_line(line)));
        }
    }
    out
}

struct Hit {
    at: usize,
    end: usize,
    what: String,
    header: String,
    use_kind: &'static str,
    sink: Option<usize>,
    func: String,
    kind: &'static str,
}

/// Header reads examined per snippet (see `header_hits`).
const MAX_HEADER_READS: usize = 64;

fn header_hits(cx: &Ctx) -> Vec<Hit> {
    let src = cx.source;
    let mut out: Vec<Hit> = Vec::new();
    let mut seen_funcs: Vec<usize> = Vec::new();
    let source_trusts = names_trusted_proxies(cx.lower());
    // Each read scans up to the rest of its function (the rest of the text at module level)
    // for uses: a paste repeating a header read thousands of times made this rule quadratic
    // (fuzzing: 53 s for 736 KB). No real snippet reads client-IP headers this often.
    for r in find_reads(cx).into_iter().take(MAX_HEADER_READS) {
        let (ls, le) = line_bounds(src, r.at);
        let line = &src[ls..le];
        if is_log_line(line) {
            continue; // read for a log line only
        }
        let (fi, f) = function_at(cx, r.at);
        if seen_funcs.contains(&fi) && fi != 0 {
            continue;
        }
        let func_text = cx.text(&f.loc);
        let func_text = if fi == 0 { line } else { func_text };
        let mut names = bound_names(f, r.at);
        if names.is_empty() {
            names.extend(header_param(&src[r.at..le], &src[ls..r.at]));
        }
        // Only the lines that handle the header's value: `strings.LastIndex(host, ":")` on
        // `r.RemoteAddr` strips a port, it picks no hop.
        let header_lines: String = if names.is_empty() {
            func_text.to_string()
        } else {
            // Followed through assignments: `parts = xff.split(",")` then `parts[len(parts)-1]`.
            let mut tracked = names.clone();
            let mut kept: Vec<&str> = Vec::new();
            for l in func_text.lines() {
                if tracked.iter().any(|n| has_word(l, n)) || l.to_ascii_lowercase().has("forwarded")
                {
                    kept.push(l);
                    if let Some((lhs, _)) = l.split_once('=') {
                        let lhs = lhs.trim_end_matches(':').trim();
                        let name = lhs.rsplit([' ', '\t']).next().unwrap_or(lhs);
                        if !name.is_empty() && name.chars().all(ident_char) {
                            tracked.push(name.to_string());
                        }
                    }
                }
            }
            kept.join("\n")
        };
        if takes_trusted_hop(&header_lines, source_trusts) {
            continue;
        }
        let func_end = if fi == 0 { src.len() } else { f.loc.end };
        let uses = use_lines(src, &names, r.at, func_end);
        let mut sink = None;
        if !names.is_empty() {
            if uses.is_empty() && !line.has("return") {
                // Bound and never used again within the function: nothing decided on it here
                // (unless it is a module-level or FastAPI/Spring parameter read).
                let param = f.params.iter().any(|p| names.contains(p));
                if !param {
                    continue;
                }
            }
            if !uses.is_empty() && uses.iter().all(|(_, log)| *log) {
                continue; // only logged
            }
            sink = uses.iter().find(|(_, log)| !log).map(|(s, _)| *s);
        }
        // What the value decides: the function's own text first, then the whole snippet when
        // the function is an IP helper (`get_client_ip`) used elsewhere.
        // A helper named for what it is for (`requesterKey`) that returns the header's value:
        // what decides is where its callers use it.
        let returning_helper = || {
            let short = f.name.rsplit('.').next().unwrap_or(&f.name);
            header_lines
                .lines()
                .any(|l| l.trim_start().starts_with("return "))
                // Its name's places found once per analysis (asked per header read), the
                // first few calls judged.
                && cx
                    .positions_of(short)
                    .iter()
                    .copied()
                    .filter(|&u| {
                        let inside = f.loc.start <= u && u < f.loc.end;
                        let in_word = src[..u].chars().next_back().is_some_and(ident_char)
                            || src[u + short.len()..].chars().next().is_some_and(ident_char);
                        !(inside || in_word)
                    })
                    .take(8)
                    .any(|u| {
                        let (gi, g) = function_at(cx, u);
                        gi != 0 && security_context(&without_logs(cx.text(&g.loc))).is_some()
                    })
        };
        let ip_helper = fi != 0 && {
            let n = f.name.to_ascii_lowercase();
            n.has("ip") || n.has("addr") || n.has("client") || returning_helper()
        };
        let scope = if ip_helper {
            without_logs(src)
        } else {
            without_logs(func_text)
        };
        let Some(use_kind) = security_context(&scope)
            .or_else(|| enclosing_call_context(cx, fi, f))
            .or(ip_helper.then_some("client identity"))
        else {
            continue;
        };
        let mut use_kind = use_kind;
        if ip_helper {
            // Point at where the helper's result is used (the limiter, the check), not at its
            // own next line, and name what that use decides.
            let short = f.name.rsplit('.').next().unwrap_or(&f.name).to_string();
            let outside: Vec<usize> = uses_of(src, &short, 0)
                .into_iter()
                .filter(|u| !(f.loc.start <= *u && *u < f.loc.end))
                .collect();
            if let Some(u) = outside.first() {
                sink = Some(*u);
                let (_, g) = function_at(cx, *u);
                let g_text = if std::ptr::eq(g, &cx.program.functions[0]) {
                    let (a, b) = line_bounds(src, *u);
                    &src[a..b]
                } else {
                    cx.text(&g.loc)
                };
                if let Some(k) = security_context(&without_logs(g_text)) {
                    use_kind = k;
                }
            }
        }
        seen_funcs.push(fi);
        let expr_end = line[r.at - ls..]
            .find(['\n', ';'])
            .map_or(le, |i| r.at + i)
            .min(le);
        let stmt = line.trim().trim_end_matches(';');
        let stmt: String = if stmt.chars().count() > 80 {
            stmt.chars().take(77).collect::<String>() + "…"
        } else {
            stmt.to_string()
        };
        out.push(Hit {
            at: ls + (line.len() - line.trim_start().len()),
            end: expr_end,
            what: format!("`{stmt}`"),
            header: r.header.to_string(),
            use_kind,
            sink,
            func: if fi == 0 {
                String::new()
            } else {
                f.name.clone()
            },
            kind: "header",
        });
    }
    out
}

/// A callback passed to a limiter (`rateLimit({ keyGenerator: (req) => … })`,
/// `Limiter(key_func=lambda: …)`): what the enclosing call is for.
fn enclosing_call_context(cx: &Ctx, fi: usize, f: &Function) -> Option<&'static str> {
    if fi == 0 {
        return None;
    }
    let n = f.name.to_ascii_lowercase();
    if n.has("keygenerator") || n.has("key_func") || n.has("tracker") {
        return Some("rate limit");
    }
    let parent = cx.program.functions.get(f.parent?)?;
    let call = parent
        .calls
        .iter()
        .filter(|c| c.loc.contains(&f.loc))
        .min_by_key(|c| c.loc.end - c.loc.start)?;
    let head = cx.source.get(call.loc.start..f.loc.start)?;
    security_context(&without_logs(head))
}

/// `app.set("trust proxy", true)` / `app.enable("trust proxy")` with `req.ip` or a rate limiter.
fn trust_proxy_hits(cx: &Ctx) -> Vec<Hit> {
    let mut out = Vec::new();
    if !matches!(cx.language, Language::JavaScript | Language::TypeScript) {
        return out;
    }
    let src = cx.source;
    for f in &cx.program.functions {
        for c in &f.calls {
            let first = c.args.first().and_then(|a| a.string.as_deref());
            if first != Some("trust proxy") {
                continue;
            }
            let everyone = match c.method.as_str() {
                "enable" => true,
                "set" => c
                    .args
                    .get(1)
                    .is_some_and(|a| matches!(a.text.trim(), "true" | "\"true\"" | "'true'")),
                _ => false,
            };
            if !everyone {
                continue;
            }
            let uses_ip = has_word(src, "req.ip")
                || find::has(src, "req.ips")
                || find::has(src, "request.ip")
                || find::has(src, "request.ips");
            let limiter = [
                "rateLimit(",
                "slowDown(",
                "RateLimiterMemory",
                "RateLimiterRedis",
                "express-rate-limit",
                "express-slow-down",
                "rateLimiter",
            ]
            .iter()
            .any(|p| find::has(src, p));
            if !uses_ip && !limiter {
                continue;
            }
            let body = without_logs(src);
            let use_kind = if limiter {
                "rate limit"
            } else {
                match security_context(&body) {
                    Some(k) => k,
                    None => continue,
                }
            };
            let sink = ["rateLimit(", "slowDown(", "req.ips", "req.ip"]
                .iter()
                .filter_map(|p| src.find(p))
                .min();
            out.push(Hit {
                at: c.loc.start,
                end: c.loc.end,
                what: format!("`{}`", cx.text(&c.loc)),
                header: "X-Forwarded-For".into(),
                use_kind,
                sink,
                func: String::new(),
                kind: "trust proxy",
            });
        }
    }
    out
}

/// Go chi `middleware.RealIP` (rewrites `r.RemoteAddr` from `X-Real-IP`/`X-Forwarded-For` for
/// every caller) in front of a limiter or an IP check.
fn real_ip_middleware_hits(cx: &Ctx) -> Vec<Hit> {
    let mut out = Vec::new();
    if cx.language != Language::Go {
        return out;
    }
    let src = cx.source;
    for f in &cx.program.functions {
        for c in &f.calls {
            let Some(a) = c.args.iter().find(|a| a.text.trim() == "middleware.RealIP") else {
                continue;
            };
            let _ = a;
            let body = without_logs(src);
            let uses = find::has(src, "httprate")
                || find::has(src, "RemoteAddr")
                || find::has(src, "KeyByIP")
                || find::has(src, "KeyByRealIP");
            let Some(use_kind) = security_context(&body).filter(|_| uses) else {
                continue;
            };
            let sink = ["httprate.", "RemoteAddr"]
                .iter()
                .filter_map(|p| {
                    src[c.loc.end.min(src.len())..]
                        .find(p)
                        .map(|i| i + c.loc.end)
                })
                .min();
            out.push(Hit {
                at: c.loc.start,
                end: c.loc.end,
                what: format!("`{}`", cx.text(&c.loc)),
                header: "X-Real-IP / X-Forwarded-For".into(),
                use_kind,
                sink,
                func: String::new(),
                kind: "RealIP middleware",
            });
        }
    }
    out
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    if cx.program.functions.is_empty() {
        return;
    }
    let mut hits = header_hits(cx);
    hits.extend(trust_proxy_hits(cx));
    hits.extend(real_ip_middleware_hits(cx));
    if hits.is_empty() {
        return;
    }
    hits.sort_by_key(|h| h.at);
    let mut lines_done: Vec<usize> = Vec::new();
    // The limiter's numbers, if the snippet states them, are the same for every finding.
    let limits = limit_numbers(cx.lower());
    for h in hits {
        let loc = process_state::loc_of(cx, h.at, h.end.max(h.at).min(cx.source.len()));
        let line = loc.span.start_line;
        if lines_done.contains(&line) {
            continue;
        }
        lines_done.push(line);
        let place = if h.func.is_empty() || h.func == "<module>" {
            String::new()
        } else {
            format!(" in `{}`", h.func)
        };
        let sink_line = h
            .sink
            .map(|s| cx.lines.position(s).0)
            .filter(|l| *l != line);
        let used = match sink_line {
            Some(l) => format!("; the value is used at line {l} ({})", h.use_kind),
            None => format!(
                "; the value is used as the client's identity ({})",
                h.use_kind
            ),
        };
        let message = match h.kind {
            "trust proxy" => format!(
                "{} at line {line} trusts every `X-Forwarded-For` entry, so `req.ip` is the leftmost address the caller wrote{used}: {}",
                h.what, consequence(h.use_kind)
            ),
            "RealIP middleware" => format!(
                "{} at line {line} copies `X-Real-IP`/`X-Forwarded-For` into `r.RemoteAddr` for every caller{used}: {}",
                h.what, consequence(h.use_kind)
            ),
            _ => format!(
                "{} at line {line}{place} takes the client address from `{}`, a header the caller writes{used}: {}",
                h.what, h.header, consequence(h.use_kind)
            ),
        };
        let fix = match (h.kind, cx.language) {
            ("trust proxy", _) => "Trust exactly your proxies: `app.set(\"trust proxy\", 1)` (the number of hops) or their subnets, then key on `req.ip`.".to_string(),
            ("RealIP middleware", _) => "Drop `middleware.RealIP` unless every request comes through your proxy; otherwise key the limiter on `r.RemoteAddr` or take the rightmost `X-Forwarded-For` entry your proxy added.".to_string(),
            (_, Language::Python) => "Use the peer address: `request.remote_addr` behind `ProxyFix(app.wsgi_app, x_for=1)` (Flask), `request.client.host` with uvicorn's `--forwarded-allow-ips` set to your proxy (FastAPI), or the rightmost entry your known proxy count adds.".to_string(),
            (_, Language::Go) => "Key on `r.RemoteAddr` (`net.SplitHostPort`), or take the rightmost `X-Forwarded-For` entry your own proxy appended (known hop count), never the first.".to_string(),
            (_, Language::Java) => "Use `request.getRemoteAddr()` with Tomcat's `RemoteIpValve` (`server.forward-headers-strategy=native`, `internalProxies` = your proxies), or take the rightmost entry your known proxy count adds.".to_string(),
            _ => "Use `req.ip` with `app.set(\"trust proxy\", 1)` (your proxy count) or `req.socket.remoteAddress`; never the first `X-Forwarded-For` entry.".to_string(),
        };
        let mut evidence = vec![cx.evidence(&loc, "source")];
        if let Some(sl) = sink_line {
            evidence.push(cx.line_evidence(sl, "use"));
        }
        let mut params = BTreeMap::new();
        params.insert("header".to_string(), h.header.clone());
        params.insert("use".to_string(), h.use_kind.to_string());
        params.insert("trust".to_string(), h.kind.to_string());
        params.insert("line".to_string(), line.to_string());
        if let Some((max, window)) = &limits {
            params.insert("rate_limit".to_string(), max.clone());
            if let Some(w) = window {
                params.insert("window".to_string(), w.clone());
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

fn consequence(use_kind: &str) -> &'static str {
    match use_kind {
        "audit record" => "the audit trail records whatever address the caller invents, and one client can pose as many (or as someone else).",
        "allow-list" => "anyone who sends an allowed address in the header gets in.",
        "lockout" => "a client that sends a new random value per request gets a fresh counter each time, so the lockout never triggers and password guessing runs unthrottled.",
        "auth decision" => "a caller who writes a trusted address in the header is treated as that client.",
        "rate limit" => "a client that sends a new random value per request gets a fresh bucket each time, so the rate limit never holds.",
        _ => "one client can claim any address it likes, and look like thousands of different clients.",
    }
}

/// A visible limit: `"5/minute"`, `"5 per minute"`, `max: 5` + `windowMs: 60000`.
/// `low` is the snippet lower-cased.
fn limit_numbers(low: &str) -> Option<(String, Option<String>)> {
    for unit in ["second", "minute", "hour", "day"] {
        for sep in ["/", " per ", " / "] {
            let pat = format!("{sep}{unit}");
            if let Some(i) = low.find(&pat) {
                let n: String = low[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .chars()
                    .rev()
                    .collect();
                if !n.is_empty() {
                    return Some((n, Some(unit.to_string())));
                }
            }
        }
    }
    let num_after = |key: &str| -> Option<String> {
        let i = low.find(key)?;
        let rest = low[i + key.len()..].trim_start();
        let n: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_' || *c == '*' || *c == ' ')
            .collect();
        let n = n.trim().to_string();
        (!n.is_empty()).then_some(n)
    };
    let max = num_after("max:").or_else(|| num_after("limit:"))?;
    Some((max, num_after("windowms:").map(|w| format!("{w} ms"))))
}

#[cfg(test)]
mod tests {
    use super::is_log_line;
    use crate::analyzer::Language;

    fn hits(src: &str, lang: Language) -> usize {
        crate::analyzer::rules::count_findings(src, lang, super::ID)
    }

    #[test]
    fn header_used_for_geolocation_only_is_not_identity() {
        let py = "@app.get(\"/weather\")\ndef weather(request):\n    ip = request.headers.get(\"X-Forwarded-For\", request.remote_addr)\n    city = geoip.city(ip)\n    return {\"forecast\": forecast_for(city)}\n";
        assert_eq!(hits(py, Language::Python), 0);
        let limited = py.replace("geoip.city(ip)", "limiter.hit(ip)");
        assert_eq!(hits(&limited, Language::Python), 1);
    }

    #[test]
    fn log_lines() {
        assert!(is_log_line(
            "    logger.info(\"xff=%s\", request.headers.get(\"X-Forwarded-For\"))"
        ));
        assert!(is_log_line(
            "  console.log(req.headers['x-forwarded-for']);"
        ));
        assert!(is_log_line("\tlog.Printf(\"xff %s\", xff)"));
        assert!(!is_log_line(
            "    ip = request.headers.get(\"X-Forwarded-For\")"
        ));
        assert!(!is_log_line("    if limiter.hit(ip):"));
    }
}
