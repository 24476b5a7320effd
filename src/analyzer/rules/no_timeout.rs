//! # no-timeout
//!
//! ## What it does
//! Flags an outbound call that can wait forever (or for many minutes): Python `requests`
//! calls and `requests.Session` calls without `timeout=`, `httpx` with `timeout=None`,
//! `aiohttp.ClientSession` without a `ClientTimeout`, `urllib.request.urlopen` without a
//! timeout, OpenAI/Anthropic clients with their 10-minute default; JavaScript `fetch` /
//! `node-fetch` without an `AbortSignal`, `axios` (or an `axios.create` instance) without
//! `timeout`, `got` without `timeout`, and OpenAI/Anthropic SDK calls without `timeout`.
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
//! ## Languages
//! Python, JavaScript.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::Call;
use crate::analyzer::{Evidence, Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "no-timeout";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Outbound call without a timeout",
    what_it_does: "Flags an outbound HTTP or AI-API call that can wait forever or for many minutes: Python requests and requests.Session calls without timeout=, httpx with timeout=None, aiohttp.ClientSession without a ClientTimeout, urllib.request.urlopen without a timeout, OpenAI/Anthropic clients left at their 10-minute default; JavaScript fetch/node-fetch without an AbortSignal, axios (or an axios.create instance) without timeout, got without timeout, OpenAI/Anthropic SDK calls without timeout.",
    why_bad_at_scale: "A call without a timeout holds its worker, its request and often a database connection for as long as the other side does not answer. One slow upstream is enough: every request that reaches the call stacks up behind it, the worker and connection pools run dry, and the whole service stops answering, including endpoints that never call the slow upstream. AI model calls take seconds to minutes and sometimes stall partway; with the SDK default of 10 minutes a handful of stuck calls take a small service down.",
    example: "resp = requests.post(f\"{BILLING_URL}/charges\", json=payload)",
    use_instead: "resp = requests.post(f\"{BILLING_URL}/charges\", json=payload, timeout=(3.05, 10))\n\nJavaScript: fetch(url, { signal: AbortSignal.timeout(5000) }) or axios.create({ baseURL, timeout: 5000 }).\nAI SDKs: OpenAI(timeout=30, max_retries=2), and stream long generations.",
    languages: &["python", "javascript"],
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
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let s = from + i;
        let e = s + word.len();
        let before = text[..s].chars().next_back();
        let after = text[e..].chars().next();
        if !before.is_some_and(ident_char) && !after.is_some_and(ident_char) {
            return true;
        }
        from = e;
    }
    false
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
        .any(|p| callee.contains(p))
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
        && !cx.source.contains("openai.timeout")
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
    if client.timed || callee.contains("with_options(") {
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
                library: if client.ctor.contains("Anthropic") { "anthropic" } else { "openai" },
                what: format!("`{callee}` (client `{}` created at line {} without `timeout`)", client.name, client.line),
                fix: format!("Give the client a timeout: `{}(timeout=30, max_retries=2)` (the default is 10 minutes), and stream long generations.", client.ctor),
                timeout: "600 s, the SDK default",
                client_line: Some(client.line),
            })
        }
        _ => None,
    }
}

fn js_hit(
    cx: &Ctx,
    fi: usize,
    call: &Call,
    clients: &[Client],
    axios_default: bool,
) -> Option<Hit> {
    let callee = call.callee.as_str();
    let args = call.args_text();
    let in_race = cx.program.functions.iter().any(|g| {
        g.calls.iter().any(|c| {
            (c.callee == "Promise.race" || c.callee == "Promise.any") && c.loc.contains(&call.loc)
        })
    });
    if in_race {
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
                if mentions(t, "signal") || t.contains("...") {
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
                    if mentions(&value.value, "signal") || value.value.contains("...") {
                        return None;
                    }
                    if cx.source.contains(&format!("{t}.signal")) {
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
        if mentions(&args, "timeout") || axios_default || args.contains("...") {
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
        if mentions(&args, "timeout") || args.contains("...") {
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
                || cx
                    .source
                    .contains(&format!("{}.defaults.timeout", client.name))
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
                library: if client.ctor.contains("Anthropic") { "anthropic" } else { "openai" },
                what: format!("`{callee}` (client `{}` created at line {} without `timeout`)", client.name, client.line),
                fix: format!("Give the client a timeout: `{}({{ timeout: 30_000, maxRetries: 2 }})` (the default is 10 minutes), and stream long generations.", client.ctor),
                timeout: "600 s, the SDK default",
                client_line: Some(client.line),
            })
        }
        _ => None,
    }
}

fn session_default_timeout(src: &str) -> bool {
    // A visible session-wide default: a timeout adapter / Session subclass, or a partial.
    (src.contains("HTTPAdapter") || src.contains("(requests.Session)") || src.contains("(Session)"))
        && src.contains("timeout")
        && src.contains("class ")
        || (src.contains("partial(") && src.contains("timeout="))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let clients = collect_clients(cx);
    let session_default = session_default_timeout(cx.source);
    let axios_default = cx.source.contains("axios.defaults.timeout");
    let mut seen_lines = Vec::new();
    for (fi, f) in cx.program.functions.iter().enumerate() {
        for call in &f.calls {
            let hit = match cx.language {
                Language::Python => python_hit(cx, fi, call, &clients, session_default),
                _ => js_hit(cx, fi, call, &clients, axios_default),
            };
            let Some(hit) = hit else { continue };
            let line = call.loc.span.start_line;
            if seen_lines.contains(&line) {
                continue;
            }
            seen_lines.push(line);
            let place = if f.name == "<module>" {
                String::new()
            } else {
                format!(" in `{}`", f.name)
            };
            let wait = match hit.timeout {
                "none" => "forever".to_string(),
                t => format!("up to the library default ({t})"),
            };
            let message = format!(
                "{} at line {line}{place} has no timeout: if the upstream stalls, the request waits {wait}, holding its worker and connections while more requests pile up behind it.",
                hit.what
            );
            let mut evidence = vec![cx.evidence(&call.loc, "call")];
            if let Some(cl) = hit.client_line.filter(|l| *l != line) {
                let code = cx.lines.line_text(cl);
                evidence.push(Evidence {
                    line: cl,
                    column: code.chars().take_while(|c| c.is_whitespace()).count() + 1,
                    role: "client".to_string(),
                    code: code.trim().to_string(),
                });
            }
            let mut params = BTreeMap::new();
            params.insert("library".to_string(), hit.library.to_string());
            params.insert("method".to_string(), call.callee.clone());
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
}
