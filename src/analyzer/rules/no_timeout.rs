//! # no-timeout
//!
//! ## What it does
//! Flags an outbound call that can wait forever (or for many minutes): Python `requests`
//! calls and `requests.Session` calls without `timeout=`, `httpx` with `timeout=None`,
//! `aiohttp.ClientSession` without a `ClientTimeout`, `urllib.request.urlopen` without a
//! timeout, OpenAI/Anthropic clients with their 10-minute default; JavaScript `fetch` /
//! `node-fetch` without an `AbortSignal`, `axios` (or an `axios.create` instance) without
//! `timeout`, `got` without `timeout`, and OpenAI/Anthropic SDK calls without `timeout`
//! (TypeScript the same, class-field clients included); Go `http.Get/Post/Head/PostForm` and
//! `http.DefaultClient` (no timeout), calls through an `&http.Client{}` literal without
//! `Timeout:`, and `Do` on a request built on `context.Background()` with no deadline; Java
//! `HttpClient.newHttpClient()` + `send` on a request without `.timeout(`, `RestTemplate` built
//! without connect/read timeouts, `WebClient` without `.timeout(`/`responseTimeout`, and
//! `new URL(…).openConnection()` without `setReadTimeout`.
//!
//! ## Why is this bad at scale
//! A call without a timeout holds its worker, its request and often a database connection
//! for as long as the other side does not answer. One slow upstream is enough: every request
//! that reaches the call stacks up behind it, the worker pool and the connection pool run
//! dry, and the whole service stops answering, including the endpoints that never call the
//! slow upstream. AI model calls take seconds to minutes and sometimes stall partway; with
//! the SDK default of 10 minutes a handful of stuck calls take a small service down.
//!
//! ## Example
//! ```python
//! resp = requests.post(f"{BILLING_URL}/charges", json=payload)
//! ```
//!
//! ## Use instead
//! ```python
//! resp = requests.post(f"{BILLING_URL}/charges", json=payload, timeout=(3.05, 10))
//! ```
//! In JavaScript: `fetch(url, { signal: AbortSignal.timeout(5000) })`,
//! `axios.create({ baseURL, timeout: 5000 })`; for AI SDKs: `OpenAI(timeout=30, max_retries=2)`
//! and stream long generations. The rule is silent when the timeout is set on the call, on
//! the client or session it goes through (visibly), or through a default (`axios.defaults.timeout`).
//!
//! Go: `&http.Client{Timeout: 10 * time.Second}` or `context.WithTimeout` on the request; Java:
//! `HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))`,
//! `RestTemplateBuilder.setConnectTimeout(…).setReadTimeout(…)`, `.timeout(Duration…)` on a
//! `WebClient` chain, `conn.setReadTimeout(10000)`.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::line_loc;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::{BTreeMap, HashSet};

pub const ID: &str = "no-timeout";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Outbound call without a timeout",
    what_it_does: "Flags an outbound HTTP or AI-API call that can wait forever or for many minutes: Python requests and requests.Session calls without timeout=, httpx with timeout=None, aiohttp.ClientSession without a ClientTimeout, urllib.request.urlopen without a timeout, OpenAI/Anthropic clients left at their 10-minute default; JavaScript fetch/node-fetch without an AbortSignal, axios (or an axios.create instance) without timeout, got without timeout, OpenAI/Anthropic SDK calls without timeout (TypeScript the same); Go http.Get/Post/Head and http.DefaultClient, &http.Client{} without Timeout:, Do on a request built on context.Background() with no deadline; Java HttpClient.newHttpClient() + send without .timeout(, RestTemplate without connect/read timeouts, WebClient without .timeout(/responseTimeout, new URL(...).openConnection() without setReadTimeout.",
    why_bad_at_scale: "A call without a timeout holds its worker, its request and often a database connection for as long as the other side does not answer. One slow upstream is enough: every request that reaches the call stacks up behind it, the worker and connection pools run dry, and the whole service stops answering, including endpoints that never call the slow upstream. AI model calls take seconds to minutes and sometimes stall partway; with the SDK default of 10 minutes a handful of stuck calls take a small service down.",
    example: "resp = requests.post(f\"{BILLING_URL}/charges\", json=payload)",
    use_instead: "resp = requests.post(f\"{BILLING_URL}/charges\", json=payload, timeout=(3.05, 10))\n\nJavaScript: fetch(url, { signal: AbortSignal.timeout(5000) }) or axios.create({ baseURL, timeout: 5000 }).\nAI SDKs: OpenAI(timeout=30, max_retries=2), and stream long generations.\nGo: &http.Client{Timeout: 10 * time.Second}, or context.WithTimeout on the request.\nJava: HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)); RestTemplateBuilder.setConnectTimeout(...).setReadTimeout(...); .timeout(Duration.ofSeconds(10)) on a WebClient chain; conn.setReadTimeout(10000).",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

const HTTP_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "request",
];

/// A client object created in the snippet whose calls we can judge.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    RequestsSession,
    Aiohttp,
    Ai,
    Axios,
}

struct Client {
    name: String,
    kind: Kind,
    /// The client sets a timeout itself.
    timed: bool,
    line: usize,
    ctor: String,
    /// The function the client was created in.
    func: usize,
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// `with requests.Session() as s:` / `async with aiohttp.ClientSession() as session:`.
fn with_alias(cx: &Ctx, call: &Call) -> Option<String> {
    let rest = cx.source.get(call.loc.end..)?;
    let rest = rest.lines().next().unwrap_or("").trim_start();
    let rest = rest.strip_prefix("as ")?.trim_start();
    let name: String = rest
        .chars()
        .take_while(|c| ident_char(*c) || *c == '.')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn has_kw(call: &Call, names: &[&str]) -> bool {
    call.args
        .iter()
        .any(|a| a.name.as_deref().is_some_and(|n| names.contains(&n)) || a.text.starts_with("**"))
}

/// `timeout` in an object literal / option bag (JavaScript) or a `timeout=` keyword.
fn mentions(text: &str, word: &str) -> bool {
    super::queries::mentions(text, word)
}

fn python_ctor(callee: &str) -> Option<Kind> {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    match callee {
        "requests.Session" | "requests.session" | "requests.sessions.Session" => {
            Some(Kind::RequestsSession)
        }
        "aiohttp.ClientSession" | "ClientSession" => Some(Kind::Aiohttp),
        _ if matches!(
            last,
            "OpenAI"
                | "AsyncOpenAI"
                | "AzureOpenAI"
                | "AsyncAzureOpenAI"
                | "Anthropic"
                | "AsyncAnthropic"
        ) =>
        {
            Some(Kind::Ai)
        }
        _ => None,
    }
}

fn js_ctor(value: &str) -> Option<Kind> {
    let v = value.trim_start().trim_start_matches("await ").trim_start();
    if v.starts_with("axios.create(") {
        return Some(Kind::Axios);
    }
    let v = v.strip_prefix("new ")?.trim_start();
    let name: String = v
        .chars()
        .take_while(|c| ident_char(*c) || *c == '.')
        .collect();
    matches!(
        name.rsplit('.').next().unwrap_or(""),
        "OpenAI" | "Anthropic" | "AzureOpenAI"
    )
    .then_some(Kind::Ai)
}

fn collect_clients(cx: &Ctx) -> Vec<Client> {
    let mut out = Vec::new();
    let js = cx.language != Language::Python;
    for (fi, f) in cx.program.functions.iter().enumerate() {
        if js {
            // Class fields arrive as assigns to `this.<name>`.
            for a in &f.assigns {
                if let Some(kind) = js_ctor(&a.value) {
                    let name = if a.names.len() == 1 {
                        a.names[0].clone()
                    } else {
                        a.target.clone()
                    };
                    out.push(Client {
                        name,
                        timed: mentions(&a.value, "timeout"),
                        kind,
                        line: a.loc.span.start_line,
                        ctor: a.value.split('(').next().unwrap_or("").trim().to_string(),
                        func: fi,
                    });
                }
            }
            continue;
        }
        for c in &f.calls {
            let Some(kind) = python_ctor(&c.callee) else {
                continue;
            };
            let timed = has_kw(c, &["timeout"]);
            let name = f
                .assigns
                .iter()
                .find(|a| a.loc.contains(&c.loc) && a.value.trim() == cx.text(&c.loc).trim())
                .map(|a| a.target.clone())
                .or_else(|| with_alias(cx, c));
            if let Some(name) = name {
                out.push(Client {
                    name,
                    kind,
                    timed,
                    line: c.loc.span.start_line,
                    ctor: c.callee.clone(),
                    func: fi,
                });
            }
        }
    }
    out
}

/// The client a call goes through: `session.get` → `session`, `client.chat.completions.create`
/// → `client`.
fn client_of<'a>(cx: &Ctx, fi: usize, clients: &'a [Client], receiver: &str) -> Option<&'a Client> {
    let visible = |c: &Client| {
        let mut f = Some(fi);
        while let Some(i) = f {
            if i == c.func {
                return true;
            }
            f = cx.program.functions.get(i).and_then(|g| g.parent);
        }
        c.func == 0 || c.name.starts_with("self.") || c.name.starts_with("this.")
    };
    clients
        .iter()
        .filter(|c| visible(c))
        .filter(|c| {
            receiver == c.name
                || receiver
                    .strip_prefix(c.name.as_str())
                    .is_some_and(|r| r.starts_with('.'))
        })
        .max_by_key(|c| c.line)
}

fn is_ai_call(callee: &str) -> bool {
    let m = callee.rsplit('.').next().unwrap_or("");
    matches!(m, "create" | "stream" | "parse" | "generate")
        && [
            ".chat.completions",
            ".completions",
            ".messages",
            ".responses",
            ".embeddings",
            ".images",
            ".audio.",
            ".beta.chat",
        ]
        .iter()
        .any(|p| callee.has(p))
}

struct Hit {
    library: &'static str,
    what: String,
    fix: String,
    timeout: &'static str,
    client_line: Option<usize>,
}

fn python_hit(
    cx: &Ctx,
    fi: usize,
    call: &Call,
    clients: &[Client],
    session_default: bool,
) -> Option<Hit> {
    let callee = call.callee.as_str();
    let method = call.method.as_str();
    // requests.get(...)
    if call.receiver == "requests" && HTTP_METHODS.contains(&method) {
        if has_kw(call, &["timeout"]) {
            return None;
        }
        return Some(Hit {
            library: "requests",
            what: format!("`{callee}`"),
            fix: format!("Pass a timeout: `{callee}(…, timeout=(3.05, 10))` (connect, read seconds), and handle `requests.Timeout`."),
            timeout: "none",
            client_line: None,
        });
    }
    // httpx with timeout=None
    if callee.starts_with("httpx.") {
        let none = call.kwarg("timeout").is_some_and(|a| {
            a.text.trim() == "None" || a.text.replace(' ', "") == "httpx.Timeout(None)"
        });
        if none {
            return Some(Hit {
                library: "httpx",
                what: format!("`{callee}` with `timeout=None`"),
                fix: "Keep a finite timeout: `timeout=httpx.Timeout(10.0, connect=3.0)` (httpx's default is 5 s; `None` disables it).".into(),
                timeout: "none",
                client_line: None,
            });
        }
        return None;
    }
    if matches!(
        callee,
        "urllib.request.urlopen" | "request.urlopen" | "urlopen"
    ) {
        if has_kw(call, &["timeout"]) || call.args.len() >= 3 {
            return None;
        }
        return Some(Hit {
            library: "urllib",
            what: format!("`{callee}`"),
            fix: format!("Pass a timeout: `{callee}(req, timeout=10)`."),
            timeout: "none",
            client_line: None,
        });
    }
    // Legacy module-level OpenAI calls.
    if (callee.starts_with("openai.")
        && (is_ai_call(callee) || callee.ends_with("Completion.create")))
        && !has_kw(call, &["timeout", "request_timeout"])
        && !cx.source_has("openai.timeout")
    {
        return Some(Hit {
            library: "openai",
            what: format!("`{callee}`"),
            fix: "Set a timeout on the client (`OpenAI(timeout=30, max_retries=2)`) or per call (`timeout=30`), and stream long generations.".into(),
            timeout: "600 s, the SDK default",
            client_line: None,
        });
    }
    let client = client_of(cx, fi, clients, &call.receiver)?;
    if client.timed || callee.has("with_options(") {
        return None;
    }
    match client.kind {
        Kind::RequestsSession if HTTP_METHODS.contains(&method) => {
            if session_default || has_kw(call, &["timeout"]) {
                return None;
            }
            Some(Hit {
                library: "requests",
                what: format!(
                    "`{callee}` (a `requests.Session` from line {})",
                    client.line
                ),
                fix: format!(
                    "Pass `timeout=(3.05, 10)` to `{callee}`; a `Session` has no default timeout."
                ),
                timeout: "none",
                client_line: Some(client.line),
            })
        }
        Kind::Aiohttp if HTTP_METHODS.contains(&method) || method == "ws_connect" => {
            if has_kw(call, &["timeout"]) {
                return None;
            }
            Some(Hit {
                library: "aiohttp",
                what: format!("`{callee}` (`{}` at line {} has no `ClientTimeout`)", client.ctor, client.line),
                fix: "Create the session with a timeout: `aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10, connect=3))`.".into(),
                timeout: "300 s, the aiohttp default",
                client_line: Some(client.line),
            })
        }
        Kind::Ai if is_ai_call(callee) => {
            if has_kw(call, &["timeout"]) {
                return None;
            }
            Some(Hit {
                library: if client.ctor.has("Anthropic") { "anthropic" } else { "openai" },
                what: format!("`{callee}` (client `{}` created at line {} without `timeout`)", client.name, client.line),
                fix: format!("Give the client a timeout: `{}(timeout=30, max_retries=2)` (the default is 10 minutes), and stream long generations.", client.ctor),
                timeout: "600 s, the SDK default",
                client_line: Some(client.line),
            })
        }
        _ => None,
    }
}

/// Where `Promise.race` / `Promise.any` calls are: a call inside one races a timer.
fn promise_races<'p>(cx: &Ctx<'p>) -> Vec<&'p Loc> {
    cx.program
        .functions
        .iter()
        .flat_map(|g| g.calls.iter())
        .filter(|c| c.callee == "Promise.race" || c.callee == "Promise.any")
        .map(|c| &c.loc)
        .collect()
}

fn js_hit(
    cx: &Ctx,
    fi: usize,
    call: &Call,
    clients: &[Client],
    axios_default: bool,
    races: &[&Loc],
) -> Option<Hit> {
    let callee = call.callee.as_str();
    let args = call.args_text();
    if races.iter().any(|race| race.contains(&call.loc)) {
        return None;
    }
    if matches!(
        callee,
        "fetch" | "nodeFetch" | "window.fetch" | "globalThis.fetch"
    ) {
        let first = call.args.first()?;
        if first
            .string
            .as_deref()
            .is_some_and(|u| u.starts_with('/') || u.starts_with("./"))
        {
            return None; // the page calling its own server
        }
        if mentions(&first.text, "signal") {
            return None;
        }
        match call.args.get(1) {
            None => {}
            Some(opts) => {
                let t = opts.text.trim();
                if mentions(t, "signal") || t.has("...") {
                    return None;
                }
                if t.chars().all(ident_char) {
                    // An options variable: judge it only when its value is visible.
                    let value = cx
                        .program
                        .functions
                        .iter()
                        .flat_map(|g| g.assigns.iter())
                        .find(|a| a.names.iter().any(|n| n == t))?;
                    if mentions(&value.value, "signal") || value.value.has("...") {
                        return None;
                    }
                    if find::has(cx.source, &format!("{t}.signal")) {
                        return None;
                    }
                } else if !t.starts_with('{') {
                    return None;
                }
            }
        }
        return Some(Hit {
            library: "fetch",
            what: format!("`{callee}`"),
            fix: "Pass a signal: `fetch(url, { ...options, signal: AbortSignal.timeout(5000) })`."
                .into(),
            timeout: "none",
            client_line: None,
        });
    }
    if callee == "axios"
        || (call.receiver == "axios" && HTTP_METHODS.contains(&call.method.as_str()))
    {
        if mentions(&args, "timeout") || axios_default || args.has("...") {
            return None;
        }
        if call
            .args
            .iter()
            .any(|a| a.text.chars().all(ident_char) && callee == "axios")
        {
            return None; // axios(config): the config is elsewhere
        }
        return Some(Hit {
            library: "axios",
            what: format!("`{callee}`"),
            fix: "Set a timeout: `axios.create({ baseURL, timeout: 5000 })` for every call, or `{ timeout: 5000 }` on this one.".into(),
            timeout: "none",
            client_line: None,
        });
    }
    if callee == "got" || (call.receiver == "got" && HTTP_METHODS.contains(&call.method.as_str())) {
        if mentions(&args, "timeout") || args.has("...") {
            return None;
        }
        return Some(Hit {
            library: "got",
            what: format!("`{callee}`"),
            fix: "Pass `{ timeout: { request: 10000 } }` (got has no timeout by default).".into(),
            timeout: "none",
            client_line: None,
        });
    }
    let client = client_of(cx, fi, clients, &call.receiver)?;
    if client.timed {
        return None;
    }
    match client.kind {
        Kind::Axios if HTTP_METHODS.contains(&call.method.as_str()) => {
            if mentions(&args, "timeout")
                || axios_default
                || cx.source.has(&format!("{}.defaults.timeout", client.name))
            {
                return None;
            }
            Some(Hit {
                library: "axios",
                what: format!("`{callee}` (instance `{}` from `axios.create` at line {} has no `timeout`)", client.name, client.line),
                fix: "Add `timeout: 5000` to the `axios.create({ … })` options (axios never times out by default).".into(),
                timeout: "none",
                client_line: Some(client.line),
            })
        }
        Kind::Ai if is_ai_call(callee) => {
            if mentions(&args, "timeout") || mentions(&args, "signal") {
                return None;
            }
            Some(Hit {
                library: if client.ctor.has("Anthropic") { "anthropic" } else { "openai" },
                what: format!("`{callee}` (client `{}` created at line {} without `timeout`)", client.name, client.line),
                fix: format!("Give the client a timeout: `{}({{ timeout: 30_000, maxRetries: 2 }})` (the default is 10 minutes), and stream long generations.", client.ctor),
                timeout: "600 s, the SDK default",
                client_line: Some(client.line),
            })
        }
        _ => None,
    }
}

/// A Go or Java client created in the snippet.
struct TypedClient {
    name: String,
    kind: &'static str,
    timed: bool,
    line: usize,
}

/// `client := &http.Client{}`, `HttpClient.newHttpClient()`, `new RestTemplate()`,
/// `WebClient.builder()…build()`: composite literals are not calls, so these come from assigns.
fn collect_typed_clients(cx: &Ctx) -> Vec<TypedClient> {
    let mut out = Vec::new();
    let src = cx.source;
    for f in &cx.program.functions {
        for a in &f.assigns {
            let v = a.value.trim().trim_start_matches('&').trim();
            let kind = match cx.language {
                Language::Go if v.starts_with("http.Client{") || v == "new(http.Client)" => {
                    "go-client"
                }
                Language::Java if v.has("HttpClient.newHttpClient()") => "java-httpclient",
                Language::Java if v.has("HttpClient.newBuilder()") => "java-httpclient-built",
                Language::Java
                    if v.starts_with("new RestTemplate(")
                        || (v.ends_with(".build()")
                            && v.to_ascii_lowercase().has("resttemplate")) =>
                {
                    "resttemplate"
                }
                Language::Java
                    if v.has("WebClient.create(")
                        || v.has("WebClient.builder()")
                        || (v.ends_with(".build()")
                            && a.target.to_ascii_lowercase().has("webclient")) =>
                {
                    "webclient"
                }
                _ => continue,
            };
            let name = if a.names.len() == 1 {
                a.names[0].clone()
            } else {
                a.target.trim_start_matches("this.").to_string()
            };
            let name = name.trim_start_matches("this.").to_string();
            let lv = v.to_ascii_lowercase();
            let timed = match kind {
                "go-client" => go_literal_timed(v) || find::has(src, &format!("{name}.Timeout =")),
                "java-httpclient" => false,
                "java-httpclient-built" => lv.has("timeout"),
                "resttemplate" => {
                    lv.has("timeout")
                        || (v.starts_with("new RestTemplate(")
                            && !v.starts_with("new RestTemplate()"))
                        || java_rest_timeouts(src)
                }
                _ => {
                    lv.has("timeout")
                        || find::has(src, "responseTimeout(")
                        || find::has(src, "ReadTimeoutHandler")
                        || find::has(src, ".clientConnector(")
                }
            };
            out.push(TypedClient {
                name,
                kind,
                timed,
                line: a.loc.span.start_line,
            });
        }
    }
    if cx.language == Language::Go {
        out.extend(go_field_clients(cx));
    }
    out
}

/// `&Client{base: base, http: &http.Client{}}`: a client stored in a struct field by a keyed
/// literal, named `.http` so that calls through `c.http` find it.
fn go_field_clients(cx: &Ctx) -> Vec<TypedClient> {
    let src = cx.source;
    let mut out = Vec::new();
    for &at in cx.positions_of("http.Client{").iter() {
        let before = src[..at].trim_end();
        let Some(before) = before.strip_suffix('&').map(str::trim_end) else {
            continue;
        };
        let Some(before) = before.strip_suffix(':') else {
            continue;
        };
        let field =
            super::queries::trailing(before.trim_end(), |c| c.is_alphanumeric() || c == '_');
        if field.is_empty() {
            continue;
        }
        // The literal up to its closing brace (a `Transport: &http.Transport{…}` nests).
        let body = &src[at + "http.Client{".len()..];
        let mut depth = 1;
        let end = body
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(body.len(), |(i, _)| i);
        out.push(TypedClient {
            timed: go_literal_timed(&body[..end]) || find::has(src, &format!(".{field}.Timeout =")),
            name: format!(".{field}"),
            kind: "go-client",
            line: cx.lines.position(at).0,
        });
    }
    out
}

/// An `http.Client{…}` literal bounds a request with its own `Timeout:` or with the transport's
/// `ResponseHeaderTimeout`; `IdleConnTimeout` and `TLSHandshakeTimeout` bound no request.
fn go_literal_timed(literal: &str) -> bool {
    literal.has("ResponseHeaderTimeout")
        || literal.match_indices("Timeout").any(|(i, _)| {
            let standalone = !literal[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            standalone && literal[i + "Timeout".len()..].trim_start().starts_with(':')
        })
}

fn java_rest_timeouts(src: &str) -> bool {
    [
        "setReadTimeout",
        "setConnectTimeout",
        "setResponseTimeout",
        "setConnectionRequestTimeout",
        "setSocketTimeout",
    ]
    .iter()
    .any(|p| find::has(src, p))
        // `RestTemplateBuilder.connectTimeout(…)`; java.net.http's `HttpClient.newBuilder()
        // .connectTimeout(…)` in the same file times only that client.
        || find::has(src, "RestTemplateBuilder")
            && ["readTimeout(", "connectTimeout("].iter().any(|p| find::has(src, p))
}

fn typed_client<'a>(clients: &'a [TypedClient], receiver: &str) -> Option<&'a TypedClient> {
    let r = receiver.trim_start_matches("this.");
    let root = r.split(['.', '(']).next().unwrap_or(r);
    clients
        .iter()
        .filter(|c| {
            c.name == r || c.name == root || c.name.starts_with('.') && r.ends_with(&c.name)
        })
        .max_by_key(|c| c.line)
}

fn assign_of<'a>(
    f: &'a Function,
    name: &str,
    before: usize,
) -> Option<&'a crate::analyzer::facts::Assign> {
    f.assigns
        .iter()
        .rfind(|a| a.loc.start < before && a.names.iter().any(|n| n == name))
}

/// The context a Go request is built with: `Some(true)` with a deadline, `Some(false)` with
/// `context.Background()` / `TODO()`, `None` when it cannot be seen (a caller's `ctx`).
fn go_request_deadline(f: &Function, call: &Call) -> Option<bool> {
    let req = call.args.first()?.text.trim().to_string();
    let a = assign_of(f, &req, call.loc.start)?;
    if a.value.has("http.NewRequest(") {
        return Some(false);
    }
    let inner = a.value.split("NewRequestWithContext(").nth(1)?;
    let ctx = inner.split(',').next()?.trim();
    let judge = |v: &str| {
        if v.has("WithTimeout") || v.has("WithDeadline") {
            Some(true)
        } else if v.has("context.Background()") || v.has("context.TODO()") {
            Some(false)
        } else {
            None
        }
    };
    if ctx.contains('(') {
        return judge(ctx);
    }
    judge(&assign_of(f, ctx, a.loc.start)?.value)
}

const GO_METHODS: [&str; 5] = ["Do", "Get", "Post", "Head", "PostForm"];

fn go_hit(cx: &Ctx, f: &Function, call: &Call, clients: &[TypedClient]) -> Option<Hit> {
    let callee = call.callee.as_str();
    if !GO_METHODS.contains(&call.method.as_str()) {
        return None;
    }
    let default_timed =
        cx.source_has("http.DefaultClient.Timeout") || cx.source_has("http.DefaultClient = ");
    if call.receiver == "http" && call.method != "Do" {
        if default_timed {
            return None;
        }
        return Some(Hit {
            library: "net/http",
            what: format!("`{callee}` (it uses `http.DefaultClient`, which has no timeout)"),
            fix: "Use a client with a timeout: `var client = &http.Client{Timeout: 10 * time.Second}` and `client.Get(…)`, or build the request with `context.WithTimeout`.".into(),
            timeout: "none",
            client_line: None,
        });
    }
    if call.receiver == "http.DefaultClient" {
        if default_timed
            || (call.method == "Do"
                && go_request_deadline(f, call) != Some(false)
                && go_request_deadline(f, call).is_some())
        {
            return None;
        }
        return Some(Hit {
            library: "net/http",
            what: format!("`{callee}` (`http.DefaultClient` has no timeout)"),
            fix: "Use `&http.Client{Timeout: 10 * time.Second}` instead of `http.DefaultClient`, or give the request a `context.WithTimeout` deadline.".into(),
            timeout: "none",
            client_line: None,
        });
    }
    let deadline = if call.method == "Do" {
        go_request_deadline(f, call)
    } else {
        None
    };
    if let Some(c) = typed_client(clients, &call.receiver).filter(|c| c.kind == "go-client") {
        // A request on the caller's `ctx` may carry a deadline, but only when the snippet
        // sets one somewhere; with none in sight the client's missing `Timeout` decides.
        let caller_deadline = call.method == "Do"
            && deadline.is_none()
            && !request_without_ctx(f, call)
            && (cx.source_has("WithTimeout(") || cx.source_has("WithDeadline("))
            && callers_pass_deadline(cx, f) != Some(false);
        if c.timed || deadline == Some(true) || caller_deadline {
            return None;
        }
        return Some(Hit {
            library: "net/http",
            what: format!("`{callee}` (`http.Client` at line {} has no `Timeout`)", c.line),
            fix: format!("Set `Timeout: 10 * time.Second` in the `http.Client{{…}}` literal at line {}, or build the request with `context.WithTimeout`.", c.line),
            timeout: "none",
            client_line: Some(c.line),
        });
    }
    // An unseen client, but a request built on `context.Background()`: only when no client in
    // the snippet visibly sets a timeout.
    if call.method == "Do"
        && deadline == Some(false)
        && !cx.source_has("Timeout:")
        && !cx.source_has(".Timeout =")
    {
        let req_line = call
            .args
            .first()
            .and_then(|a| assign_of(f, a.text.trim(), call.loc.start))
            .map(|a| a.loc.span.start_line);
        return Some(Hit {
            library: "net/http",
            what: match req_line {
                Some(l) => format!("`{callee}` (its request, built at line {l} on `context.Background()`, has no deadline, and no client timeout is visible)"),
                None => format!("`{callee}` (its request is built on `context.Background()`, with no deadline, and no client timeout is visible)"),
            },
            fix: "Derive the request's context with a deadline: `ctx, cancel := context.WithTimeout(ctx, 10*time.Second); defer cancel()` and pass it to `http.NewRequestWithContext`.".into(),
            timeout: "none",
            client_line: None,
        });
    }
    None
}

/// Whether the snippet's own callers of `f` hand it a context with a deadline
/// (`qctx, cancel := context.WithTimeout(ctx, …)` then `f.push(qctx, …)`); `None` when
/// nothing in the snippet calls it.
fn callers_pass_deadline(cx: &Ctx, f: &Function) -> Option<bool> {
    let mut seen = false;
    for g in &cx.program.functions {
        for c in g.calls.iter().filter(|c| c.method == f.name) {
            seen = true;
            let Some(arg) = c.args.first() else { continue };
            let name = arg.text.trim();
            if name.has("WithTimeout(")
                || name.has("WithDeadline(")
                || assign_of(g, name, c.loc.start)
                    .is_some_and(|a| a.value.has("WithTimeout(") || a.value.has("WithDeadline("))
            {
                return Some(true);
            }
        }
    }
    seen.then_some(false)
}

/// `client.Do(req)` where `req` comes from `http.NewRequest` (no context at all).
fn request_without_ctx(f: &Function, call: &Call) -> bool {
    call.args
        .first()
        .and_then(|a| assign_of(f, a.text.trim(), call.loc.start))
        .is_some_and(|a| a.value.has("http.NewRequest("))
}

const REST_METHODS: [&str; 11] = [
    "getForObject",
    "getForEntity",
    "postForObject",
    "postForEntity",
    "postForLocation",
    "exchange",
    "put",
    "delete",
    "patchForObject",
    "execute",
    "headForHeaders",
];

/// The statement a call starts: from the call to the next `;`.
fn statement_from(src: &str, start: usize) -> &str {
    let rest = src.get(start..).unwrap_or("");
    let end = rest.find(';').unwrap_or(rest.len());
    &rest[..end]
}

fn java_hit(cx: &Ctx, f: &Function, call: &Call, clients: &[TypedClient]) -> Option<Hit> {
    let src = cx.source;
    let callee = call.callee.as_str();
    let method = call.method.as_str();
    // java.net.http.HttpClient
    if matches!(method, "send" | "sendAsync") {
        let c = typed_client(clients, &call.receiver)?;
        if !c.kind.starts_with("java-httpclient") {
            return None;
        }
        let req = call.args.first()?.text.trim().to_string();
        let req_text = if req.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
            assign_of(f, &req, call.loc.start)
                .or_else(|| cx.program.globals().iter().find(|a| a.names.contains(&req)))
                .map(|a| a.value.clone())?
        } else {
            req
        };
        if req_text.has(".timeout(") || c.timed {
            return None;
        }
        return Some(Hit {
            library: "java.net.http",
            what: format!("`{callee}` (`HttpClient` at line {} and the request have no timeout)", c.line),
            fix: "Set a timeout on the request: `HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))`, and `HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))` on the client.".into(),
            timeout: "none",
            client_line: Some(c.line),
        });
    }
    if REST_METHODS.contains(&method) {
        let c = typed_client(clients, &call.receiver).filter(|c| c.kind == "resttemplate");
        let c = c?;
        if c.timed {
            return None;
        }
        return Some(Hit {
            library: "RestTemplate",
            what: format!("`{callee}` (`RestTemplate` at line {} is built without timeouts)", c.line),
            fix: "Build it with timeouts: `builder.setConnectTimeout(Duration.ofSeconds(3)).setReadTimeout(Duration.ofSeconds(10)).build()` (or a request factory with both set).".into(),
            timeout: "none",
            client_line: Some(c.line),
        });
    }
    if matches!(
        method,
        "retrieve" | "exchangeToMono" | "exchangeToFlux" | "exchange"
    ) {
        let inline = callee.starts_with("WebClient.create(");
        let c = typed_client(clients, &call.receiver).filter(|c| c.kind == "webclient");
        if c.is_none() && !inline {
            return None;
        }
        if c.is_some_and(|c| c.timed)
            || (inline
                && (find::has(src, "responseTimeout(") || find::has(src, "ReadTimeoutHandler")))
        {
            return None;
        }
        let stmt = statement_from(src, call.loc.start);
        // `.block(Duration.ofSeconds(5))` bounds the wait as well as `.timeout(…)` does.
        if stmt.has(".timeout(") || stmt.has(".block(Duration") {
            return None;
        }
        let line = c.map(|c| c.line);
        return Some(Hit {
            library: "WebClient",
            what: match line {
                Some(l) => format!("`{}` (`WebClient` at line {l} has no `responseTimeout`)", callee.split('(').next().unwrap_or(callee)),
                None => "`WebClient.create(…)` call".to_string(),
            },
            fix: "Add `.timeout(Duration.ofSeconds(10))` to the chain, or build the client with `HttpClient.create().responseTimeout(Duration.ofSeconds(10))` as its connector.".into(),
            timeout: "none",
            client_line: line,
        });
    }
    if method == "openConnection" {
        let r = call.receiver.as_str();
        let is_url = r.starts_with("new URL(")
            || r.ends_with(".toURL()")
            || assign_of(f, r, call.loc.start)
                .is_some_and(|a| a.value.has("new URL(") || a.value.has(".toURL()"));
        if !is_url {
            return None;
        }
        let conn = f
            .assigns
            .iter()
            .find(|a| a.loc.contains(&call.loc))
            .and_then(|a| a.names.first().cloned());
        let read_set = match &conn {
            Some(n) => src.has(&format!("{n}.setReadTimeout(")),
            None => find::has(src, "setReadTimeout("),
        };
        if read_set {
            return None;
        }
        let name = conn.unwrap_or_else(|| "the connection".to_string());
        return Some(Hit {
            library: "HttpURLConnection",
            what: format!("`{callee}` (`{name}` never gets `setReadTimeout`)"),
            fix: format!("Set both before connecting: `{name}.setConnectTimeout(3000); {name}.setReadTimeout(10000);` (the defaults are 0: wait forever)."),
            timeout: "none",
            client_line: None,
        });
    }
    None
}

/// A `@Bean` (or any method) that returns `new RestTemplate()` with no timeouts anywhere in
/// the snippet, and no call through it to report instead.
fn java_bare_rest_template(cx: &Ctx, out: &mut Vec<Finding>, clients: &[TypedClient]) {
    // Timeouts set on a request factory the templates share, or a call through the template
    // that is reported instead.
    let shared_factory = java_rest_timeouts(cx.source) && cx.source_has("RequestFactory");
    if shared_factory || clients.iter().any(|c| c.kind == "resttemplate") {
        return;
    }
    for f in &cx.program.functions {
        // Another bean of the same class may be built with timeouts; this one is not.
        if java_rest_timeouts(cx.text(&f.loc)) {
            continue;
        }
        for c in &f.calls {
            if c.callee != "new RestTemplate" || !c.args.is_empty() {
                continue;
            }
            let before = &cx.source[..c.loc.start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            if !before[line_start..].trim_start().starts_with("return") {
                continue;
            }
            let line = c.loc.span.start_line;
            let mut params = BTreeMap::new();
            params.insert("library".to_string(), "RestTemplate".to_string());
            params.insert("method".to_string(), c.callee.clone());
            params.insert("timeout".to_string(), "none".to_string());
            params.insert("line".to_string(), line.to_string());
            out.push(finding(
                ID,
                Severity::Warning,
                &c.loc,
                format!("`new RestTemplate()` at line {line} in `{}` has no connect or read timeout: every call through it can wait forever when the upstream stalls, holding a request thread while more pile up behind it.", f.name),
                "Build it with timeouts: `builder.setConnectTimeout(Duration.ofSeconds(3)).setReadTimeout(Duration.ofSeconds(10)).build()`.".into(),
                vec![cx.evidence(&c.loc, "call")],
                params,
            ));
        }
    }
}

fn session_default_timeout(src: &str) -> bool {
    // A visible session-wide default: a timeout adapter / Session subclass, or a partial.
    (find::has(src, "HTTPAdapter")
        || find::has(src, "(requests.Session)")
        || find::has(src, "(Session)"))
        && find::has(src, "timeout")
        && find::has(src, "class ")
        || (find::has(src, "partial(") && find::has(src, "timeout="))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    // SQL and HTML make no outbound calls of their own.
    if matches!(cx.language, Language::Sql | Language::Html) {
        return;
    }
    let clients = if matches!(cx.language, Language::Go | Language::Java) {
        Vec::new()
    } else {
        collect_clients(cx)
    };
    let jvm_go = collect_typed_clients(cx);
    if cx.language == Language::Java {
        java_bare_rest_template(cx, out, &jvm_go);
    }
    let session_default = session_default_timeout(cx.source);
    let axios_default = cx.source_has("axios.defaults.timeout");
    let races = promise_races(cx);
    let mut seen_lines = HashSet::new();
    // Calls through a client the snippet builds without a timeout: one finding per client, on
    // the line that builds it (that is the line to change), naming every call through it.
    let mut through_client: BTreeMap<usize, Vec<(usize, String, String, Hit)>> = BTreeMap::new();
    for (fi, f) in cx.program.functions.iter().enumerate() {
        for call in &f.calls {
            // TSX reads `await client.post<T>(…)` with the `await` inside the callee.
            let fixed;
            let call = match call.callee.strip_prefix("await") {
                Some(rest)
                    if cx.text(&call.loc).starts_with("await")
                        && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') =>
                {
                    fixed = Call {
                        callee: rest.to_string(),
                        receiver: call
                            .receiver
                            .strip_prefix("await")
                            .unwrap_or(&call.receiver)
                            .to_string(),
                        ..call.clone()
                    };
                    &fixed
                }
                _ => call,
            };
            let hit = match cx.language {
                Language::Python => python_hit(cx, fi, call, &clients, session_default),
                Language::Go => go_hit(cx, f, call, &jvm_go),
                Language::Java => java_hit(cx, f, call, &jvm_go),
                _ => js_hit(cx, fi, call, &clients, axios_default, &races),
            };
            let Some(hit) = hit else { continue };
            let line = call.loc.span.start_line;
            if !seen_lines.insert(line) {
                continue;
            }
            let place = if f.name == "<module>" {
                String::new()
            } else {
                format!(" in `{}`", f.name)
            };
            // Where the timeout is set on the client (SDK clients, axios instances, Go's
            // `http.Client`, `RestTemplate`, aiohttp sessions) the client line is the place to
            // fix; a `requests.Session` or `WebClient` takes it per call. A Java `HttpClient`
            // built in the snippet (`newBuilder()` or `newHttpClient()`) is where its
            // `connectTimeout` goes, where reviewers point, and one client is one problem
            // however many calls go through it.
            let set_on_client = matches!(
                hit.library,
                "aiohttp" | "openai" | "anthropic" | "axios" | "net/http" | "RestTemplate"
            ) || hit.library == "java.net.http"
                && hit.client_line.is_some_and(|cl| {
                    let t = cx.lines.line_text(cl);
                    t.has("newBuilder(") || t.has("newHttpClient(")
                });
            if let Some(cl) = hit.client_line.filter(|l| *l != line && set_on_client) {
                through_client
                    .entry(cl)
                    .or_default()
                    .push((line, call.callee.clone(), place, hit));
                continue;
            }
            let wait = waits(hit.timeout);
            let message = format!(
                "{} at line {line}{place} has no timeout: if the upstream stalls, the request waits {wait}, holding its worker and connections while more requests pile up behind it.",
                hit.what
            );
            let mut evidence = vec![cx.evidence(&call.loc, "call")];
            if let Some(cl) = hit.client_line.filter(|l| *l != line) {
                evidence.push(cx.line_evidence(cl, "client"));
            }
            let mut params = BTreeMap::new();
            params.insert("library".to_string(), hit.library.to_string());
            let method = if cx.language == Language::Java {
                call.callee
                    .split('(')
                    .next()
                    .unwrap_or(&call.callee)
                    .to_string()
            } else {
                call.callee.clone()
            };
            params.insert("method".to_string(), method);
            params.insert("timeout".to_string(), hit.timeout.to_string());
            params.insert("line".to_string(), line.to_string());
            out.push(finding(
                ID,
                Severity::Warning,
                &call.loc,
                message,
                hit.fix,
                evidence,
                params,
            ));
        }
    }
    for (cl, calls) in through_client {
        report_client(cx, out, cl, calls);
    }
}

fn waits(timeout: &str) -> String {
    match timeout {
        "none" => "forever".to_string(),
        t => format!("up to the library default ({t})"),
    }
}

/// One finding for a client built without a timeout, on the line that builds it, naming the
/// calls through it (line, callee, " in `f`", hit), in source order.
fn report_client(
    cx: &Ctx,
    out: &mut Vec<Finding>,
    client_line: usize,
    calls: Vec<(usize, String, String, Hit)>,
) {
    let Some(start) = cx.lines.line_start(client_line) else {
        return;
    };
    let text = cx.lines.line_text(client_line);
    let loc = line_loc(cx, start + (text.len() - text.trim_start().len()));
    let built = text.trim();
    let built: String = built.chars().take(80).collect();
    let (first_line, first_callee, first_place, first) = &calls[0];
    let others: Vec<String> = calls[1..].iter().map(|c| c.0.to_string()).collect();
    let more = match others.len() {
        0 => String::new(),
        1 => format!(" (and the call at line {})", others[0]),
        _ => format!(" (and the calls at lines {})", others.join(", ")),
    };
    let method = first_callee.split('(').next().unwrap_or(first_callee);
    let message = format!(
        "`{built}` at line {client_line} builds a client with no timeout, and `{method}` at line {first_line}{first_place}{more} goes through it: if the upstream stalls, the request waits {}, holding its worker and connections while more requests pile up behind it.",
        waits(first.timeout)
    );
    let mut evidence = vec![cx.line_evidence(client_line, "client")];
    evidence.extend(calls.iter().map(|c| cx.line_evidence(c.0, "call")));
    let mut params = BTreeMap::new();
    params.insert("library".to_string(), first.library.to_string());
    params.insert("method".to_string(), method.to_string());
    params.insert("timeout".to_string(), first.timeout.to_string());
    params.insert("line".to_string(), client_line.to_string());
    params.insert("calls".to_string(), calls.len().to_string());
    out.push(finding(
        ID,
        Severity::Warning,
        &loc,
        message,
        first.fix.clone(),
        evidence,
        params,
    ));
}
