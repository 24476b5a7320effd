//! # retry-without-backoff
//!
//! ## What it does
//! Flags a retry loop (`for attempt in range(N)`, `while True`, `while (retries < N)`,
//! `for (let i = 0; i < N; i++)` with a try/except or try/catch around a call that exits on
//! success) that retries with no delay, with a fixed or linearly growing delay and no jitter,
//! or without any bound. A loop that retries on the response status instead (`if (code == 429
//! || code >= 500) { Thread.sleep(2000); continue; }`) or until a result is set (`while (r ==
//! null)`) counts too; one that polls until a job is done does not. Also flags a function
//! that retries by calling itself from its
//! `catch` with no delay, and tenacity `@retry` decorators with no wait, `wait_fixed`, or no
//! `stop`. Go has no exceptions: a counted or endless `for` whose body calls something that
//! returns an error and leaves the loop when `err == nil` (or `continue`s on `err != nil` and
//! returns after) is a retry, with `time.Sleep(constant)` or no sleep between attempts.
//! Library settings too: Spring Retry `@Retryable` with no `@Backoff` (a fixed 1 s) or a
//! `@Backoff` with only a delay, `RetryTemplate…fixedBackoff`, Resilience4j `RetryConfig` with a
//! fixed `waitDuration`, axios-retry with no `retryDelay` (no delay at all) or a constant one,
//! cenkalti/backoff `NewConstantBackOff`, retry-go `retry.DelayType(retry.FixedDelay)`.
//!
//! ## Why is this bad at scale
//! When a dependency slows down or fails under load, every client retries at once and on the
//! same schedule. Retries multiply the traffic that the struggling service sees (three
//! retries: up to four times the load), so it cannot recover: a retry storm. A fixed delay
//! keeps the waves synchronised; an unbounded loop never gives up and holds its worker forever.
//!
//! ## Example
//! ```python
//! for attempt in range(5):
//!     try:
//!         return requests.post(url, json=payload, timeout=10)
//!     except requests.RequestException:
//!         time.sleep(1)
//! ```
//!
//! ## Use instead
//! Exponential backoff with full jitter and a cap on attempts (and on the delay):
//! ```python
//! for attempt in range(5):
//!     try:
//!         return requests.post(url, json=payload, timeout=10)
//!     except requests.RequestException:
//!         if attempt == 4:
//!             raise
//!         time.sleep(random.uniform(0, min(30, 0.5 * 2 ** attempt)))
//! ```
//! Or a library that does it: tenacity (`wait_random_exponential` + `stop_after_attempt`),
//! `backoff.on_exception(backoff.expo, …, max_tries=5)`, p-retry / async-retry, axios-retry
//! `retryDelay: axiosRetry.exponentialDelay`, Go `backoff.NewExponentialBackOff()` or retry-go's
//! default delay, Spring `@Backoff(delay = 200, multiplier = 2, maxDelay = 10000, random = true)`,
//! Resilience4j `IntervalFunction.ofExponentialRandomBackoff`.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Catch, Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::{Evidence, Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "retry-without-backoff";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Retry without exponential backoff and jitter",
    what_it_does: "Flags a retry loop (for attempt in range(N), while True, while (retries < N), for (let i = 0; i < N; i++) with a try/catch around a call that exits on success) that retries with no delay, with a fixed or linear delay and no jitter, or with no bound, or on a 429/5xx status, or until a result is set; a function that retries by calling itself from its catch with no delay; and tenacity @retry with no wait, wait_fixed, or no stop. In Go, a counted or endless for loop that calls something returning an error and exits when err == nil, with time.Sleep(constant) or no sleep. Library settings too: Spring @Retryable with no @Backoff (a fixed 1 s) or only a delay, RetryTemplate fixedBackoff, Resilience4j RetryConfig with a fixed waitDuration, axios-retry with no retryDelay or a constant one, cenkalti/backoff NewConstantBackOff, retry-go FixedDelay.",
    why_bad_at_scale: "When a dependency slows down or fails under load, every client retries at once and on the same schedule. Retries multiply the traffic the struggling service sees (three retries: up to four times the load), so it cannot recover: a retry storm. A fixed delay keeps the waves synchronised; an unbounded loop never gives up and holds its worker forever.",
    example: "for attempt in range(5):\n    try:\n        return requests.post(url, json=payload, timeout=10)\n    except requests.RequestException:\n        time.sleep(1)",
    use_instead: "for attempt in range(5):\n    try:\n        return requests.post(url, json=payload, timeout=10)\n    except requests.RequestException:\n        if attempt == 4:\n            raise\n        time.sleep(random.uniform(0, min(30, 0.5 * 2 ** attempt)))\n\nOr a library: tenacity (wait_random_exponential + stop_after_attempt), backoff.on_exception(backoff.expo, ..., max_tries=5), p-retry / async-retry, axios-retry with retryDelay: axiosRetry.exponentialDelay, Go backoff.NewExponentialBackOff() or retry-go's default delay, Spring @Backoff(delay = 200, multiplier = 2, maxDelay = 10000, random = true), Resilience4j IntervalFunction.ofExponentialRandomBackoff.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn has_word(text: &str, word: &str) -> bool {
    super::queries::mentions(text, word)
}

/// Where the loop keyword of a loop whose body starts at `body_start` is, and the header text
/// without the `{` / `:` that opens the body.
fn loop_header(src: &str, body_start: usize) -> Option<(usize, String)> {
    let lo = body_start.saturating_sub(300);
    let lo = (lo..=body_start).find(|i| src.is_char_boundary(*i))?;
    let window = src.get(lo..body_start)?;
    let mut best = None;
    for kw in ["for", "while"] {
        let mut from = 0;
        while let Some(i) = window[from..].find(kw) {
            let s = from + i;
            let e = s + kw.len();
            let ok_before = !window[..s].chars().next_back().is_some_and(ident_char);
            let ok_after = !window[e..].chars().next().is_some_and(ident_char);
            if ok_before && ok_after && best.is_none_or(|b| s > b) {
                best = Some(s);
            }
            from = e;
        }
    }
    let s = best?;
    let header = window[s..]
        .trim_end()
        .trim_end_matches(['{', ':'])
        .trim_end();
    Some((lo + s, header.to_string()))
}

#[derive(Debug, PartialEq)]
enum Bound {
    Count(String),
    Unbounded,
    /// Not a retry-shaped loop header.
    NotRetry,
}

/// The flag of a `while (!ok)` / `while not done` / `while (r == null)` header.
fn success_flag(header: &str) -> Option<String> {
    let h = header.trim();
    let cond = h.strip_prefix("while")?.trim();
    let cond = cond
        .strip_prefix('(')
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or(cond)
        .trim();
    // `!sent`, or one part of `!sent && attempt < 5` / `not done and tries < 3`.
    cond.split("&&")
        .flat_map(|p| p.split(" and "))
        .find_map(|part| {
            let part = part.trim();
            // `while (r == null)` / `while result is None`: until the call returns something.
            let unset = [
                " == null",
                " === null",
                " === undefined",
                " is None",
                " == nil",
            ]
            .iter()
            .find_map(|s| part.strip_suffix(s));
            let flag = part
                .strip_prefix('!')
                .or_else(|| part.strip_prefix("not "))
                .or(unset)?
                .trim();
            (!flag.is_empty() && flag.chars().all(ident_char)).then(|| flag.to_string())
        })
}

/// `attempt < 5` / `tries <= 3` in a loop condition: the cap it states.
fn counter_cap(header: &str) -> Option<String> {
    let (op_at, op_len) = header
        .find("<=")
        .map(|i| (i, 2))
        .or_else(|| header.find('<').map(|i| (i, 1)))?;
    let n: String = header[op_at + op_len..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!n.is_empty()).then_some(n)
}

/// The retry bound a loop header states.
fn header_bound(header: &str) -> Bound {
    let h: String = header.split_whitespace().collect::<Vec<_>>().join(" ");
    let hl = h.to_ascii_lowercase();
    if hl.starts_with("while true")
        || hl.starts_with("while (true)")
        || hl.starts_with("while 1")
        || hl.starts_with("while (1)")
        || hl.starts_with("for (;;)")
        || hl.starts_with("for (; ;)")
        || hl == "for {"
        || hl == "for"
        || hl.starts_with("for {")
        // A counting loop with no condition: `for attempt := 1; ; attempt++`.
        || hl.starts_with("for") && (hl.has("; ;") || hl.has(";;"))
    {
        return Bound::Unbounded;
    }
    if hl.has("len(") || hl.has(".length") || hl.has(".size()") || hl.has("len (") {
        return Bound::NotRetry;
    }
    if let Some(i) = h.find("range(") {
        let inner = &h[i + 6..];
        let inner = inner.split(')').next().unwrap_or("");
        let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        let n = match parts.as_slice() {
            [n] => n.to_string(),
            [a, b, ..] => match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(a), Ok(b)) => (b - a).to_string(),
                _ => b.to_string(),
            },
            _ => return Bound::NotRetry,
        };
        return Bound::Count(n);
    }
    // for (let i = 0; i < N; i++), while (retries < N), while attempt <= MAX, for i := 0; i < n; i++
    let attempt_words = ["attempt", "retr", "tries", "try", "tried"];
    let counterish = attempt_words.iter().any(|w| hl.has(w));
    for op in ["<=", "<", ">", ">="] {
        if let Some(i) = h.find(op) {
            let rhs: String = h[i + op.len()..]
                .trim_start_matches('=')
                .trim()
                .chars()
                .take_while(|c| ident_char(*c) || *c == '.')
                .collect();
            let lhs = &h[..i];
            let c_for = hl.starts_with("for") && lhs.contains(';')
                || hl.starts_with("for") && lhs.has(":=");
            if rhs.is_empty() || !(counterish || c_for) {
                continue;
            }
            if op.starts_with('>') {
                // while (retries > 0) / while retries_left > 0: the count lives in the variable.
                return if rhs == "0" {
                    Bound::Count(String::from("?"))
                } else {
                    Bound::Count(rhs)
                };
            }
            return Bound::Count(if op == "<=" {
                rhs.parse::<i64>().map_or(rhs.clone(), |n| n.to_string())
            } else {
                rhs
            });
        }
    }
    if counterish && hl.starts_with("while") {
        return Bound::Count("?".into());
    }
    Bound::NotRetry
}

#[derive(Debug, PartialEq)]
enum Delay {
    None,
    Fixed(String),
    Linear(String),
    /// Exponential, jittered, from a helper, or from the server (Retry-After): fine.
    Ok,
}

fn is_sleep(c: &Call) -> bool {
    let m = c.method.to_ascii_lowercase();
    matches!(c.method.as_str(), "setTimeout" | "Sleep")
        || c.callee == "time.After"
        || m == "sleep"
        || m.has("sleep")
        || m.has("delay")
        || m.has("backoff")
        || m == "wait"
        || m == "pause"
        || m == "timeout" && c.receiver.is_empty()
}

fn numeric(t: &str) -> bool {
    let t = t.trim().trim_end_matches(['L', 'l']);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | ' ' | '*' | 'e'))
        && t.chars().any(|c| c.is_ascii_digit())
}

/// A Go constant's value (`const retryDelay = 2 * time.Second`, or a line of a `const (…)` block),
/// which lowering does not record as an assignment.
fn const_value<'a>(cx: &'a Ctx, name: &str) -> Option<&'a str> {
    if cx.language != Language::Go || name.contains('.') {
        return None;
    }
    cx.source.lines().find_map(|line| {
        let t = line.trim().trim_start_matches("const ").trim_start();
        let rest = t.strip_prefix(name)?;
        if rest.starts_with(ident_char) {
            return None;
        }
        let rest = rest.trim_start();
        // `name = v` or `name time.Duration = v`
        let (_, v) = rest.split_once('=')?;
        if v.starts_with('=') || rest.starts_with(":=") || rest.starts_with('(') {
            return None;
        }
        Some(v.split("//").next().unwrap_or("").trim())
    })
}

/// The value a name is bound to, looking at the function's and the module's assignments.
fn resolve<'a>(cx: &'a Ctx, f: &'a Function, name: &str) -> Option<&'a str> {
    f.assigns
        .iter()
        .rev()
        .chain(cx.program.globals().iter())
        .find(|a| a.names.iter().any(|n| n == name) || a.target == name)
        .map(|a| a.value.as_str())
}

fn classify_delay(cx: &Ctx, f: &Function, region: &Loc, sleeps: &[&Call], counter: &str) -> Delay {
    let Some(sleep) = sleeps.first() else {
        return Delay::None;
    };
    let m = sleep.method.to_ascii_lowercase();
    if m.has("backoff") {
        return Delay::Ok;
    }
    let arg = if sleep.method == "setTimeout" {
        sleep.args.get(1)
    } else {
        sleep.args.first()
    };
    let Some(arg) = arg else {
        return if sleep.method == "setTimeout" {
            Delay::Fixed("0".into())
        } else {
            Delay::Ok // a helper with its own schedule
        };
    };
    let mut text = arg.text.trim().to_string();
    // Go: time.Sleep(2 * time.Second) / Java: TimeUnit.SECONDS.sleep(1)
    let body = cx.source.get(region.start..region.end).unwrap_or("");
    // Follow a delay variable to its value.
    let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let simple_name = name.chars().all(|c| ident_char(c) || c == '.');
    let mut grows = false;
    if simple_name && !numeric(&name) {
        if let Some(v) = resolve(cx, f, &name).or_else(|| const_value(cx, &name)) {
            text = v.to_string();
        }
        let n = name.as_str();
        grows = [
            format!("{n} *= "),
            format!("{n} = {n} * "),
            format!("{n} <<= "),
            format!("{n} = min({n} * "),
            format!("{n} = Math.min({n} * "),
            format!("{n} = min(2 * {n}"),
        ]
        .iter()
        .any(|p| cx.text(&f.loc).contains(p.as_str()));
    }
    let tl = text.to_ascii_lowercase();
    if grows
        || tl.has("**")
        || tl.has("pow(")
        || tl.has("<<")
        || tl.has("exp")
        || tl.has("backoff")
        || tl.has("random")
        || tl.has("rand.")
        || tl.has("jitter")
        || tl.has("uniform")
        || tl.has("retry_after")
        || tl.has("retryafter")
        || tl.has("retry-after")
        || body.has("Retry-After") && !numeric(&text)
    {
        return Delay::Ok;
    }
    let stripped = tl
        .replace("time.second", "")
        .replace("time.millisecond", "")
        .replace("timeunit.seconds", "");
    if numeric(&stripped.replace(['*', ' '], ""))
        || numeric(&stripped)
        || stripped.trim().is_empty() && stripped.len() < tl.len()
    {
        return Delay::Fixed(arg.text.trim().to_string());
    }
    if !counter.is_empty() && has_word(&text, counter) {
        return Delay::Linear(arg.text.trim().to_string());
    }
    // A constant by name: RETRY_DELAY = 2
    if simple_name && numeric(&text) {
        return Delay::Fixed(format!("{name} = {}", text.trim()));
    }
    Delay::Ok
}

/// The loop variable / counter name in a header: `for attempt in …`, `let i = 0`, `while (retries < N)`.
fn counter_name(header: &str) -> String {
    let h = header
        .trim_start_matches("for")
        .trim_start_matches("while")
        .trim_start();
    let h = h.trim_start_matches('(').trim_start();
    let h = h
        .trim_start_matches("let ")
        .trim_start_matches("var ")
        .trim_start_matches("const ")
        .trim_start_matches("int ")
        .trim_start();
    h.chars().take_while(|c| ident_char(*c)).collect()
}

fn calls_within<'a>(cx: &'a Ctx, region: &Loc) -> Vec<&'a Call> {
    let mut v: Vec<&Call> = cx
        .program
        .functions
        .iter()
        .flat_map(|g| g.calls.iter())
        .filter(|c| region.contains(&c.loc))
        .collect();
    v.sort_by_key(|c| c.loc.start);
    v
}

/// Parsing and conversion calls: they fail on bad input, not on a flaky dependency.
fn is_parse(c: &Call) -> bool {
    let cl = c.callee.to_ascii_lowercase();
    cl.has("json.") || cl.has("parse") || cl.has("decode") || cl.has("loads")
}

fn is_noise(c: &Call) -> bool {
    let cl = c.callee.to_ascii_lowercase();
    is_sleep(c)
        || cl.starts_with("log")
        || cl.has("logger.")
        || cl.has("logging.")
        || cl.starts_with("console.")
        || cl.starts_with("print")
        || cl.starts_with("fmt.")
        || cl.has("random")
        || matches!(
            c.method.as_str(),
            "min" | "max" | "len" | "range" | "str" | "int" | "float"
        )
}

/// Calls that only wrap the real one: `firstValueFrom(this.http.post(…))`, `Promise.race([…])`.
fn is_wrapper(c: &Call) -> bool {
    matches!(c.method.as_str(), "firstValueFrom" | "lastValueFrom") || c.receiver == "Promise"
}

struct Retry<'a> {
    at: Loc,
    header: String,
    bound: Bound,
    delay: Delay,
    call: Option<&'a Call>,
    sleep: Option<&'a Call>,
    /// Where a library's delay is configured (`.waitDuration(…)`), when there is no sleep call.
    delay_at: Option<Loc>,
    /// Said after the problem: where a default comes from.
    note: String,
    /// A fix specific to the library in use.
    fix: Option<String>,
}

fn loc_at(cx: &Ctx, start: usize, end: usize) -> Loc {
    Loc {
        start,
        end,
        span: cx.lines.span(start, end),
    }
}

/// A loop in `f` whose body is a try/catch retry.
fn loop_retry<'a>(cx: &'a Ctx, f: &'a Function, body: &Loc) -> Option<Retry<'a>> {
    // Only handlers whose try block makes a real call count: a `try { JSON.parse(line) }`
    // inside a read loop is parsing, not a retry.
    let catches: Vec<&Catch> = f
        .catches
        .iter()
        .filter(|c| body.contains(&c.loc))
        .filter(|c| {
            c.try_block.is_none_or(|tb| {
                calls_within(cx, &tb)
                    .iter()
                    .any(|call| !is_noise(call) && !is_parse(call))
            })
        })
        .collect();
    let first_catch = catches.first()?;
    let (kw, header) = loop_header(cx.source, body.start)?;
    let mut bound = header_bound(&header);
    // `while (!ok)` / `while not sent:` with the flag set in the body: a loop until success.
    let flag = success_flag(&header).filter(|flag| {
        f.assigns
            .iter()
            .any(|a| body.contains(&a.loc) && a.names.iter().any(|n| n == flag))
    });
    if bound == Bound::NotRetry && flag.is_some() {
        bound = counter_cap(&header).map_or(Bound::Unbounded, Bound::Count);
    }
    if bound == Bound::NotRetry {
        return None;
    }
    // A success exit outside the handlers: `return …` / `break` in the try (or its else).
    let text = cx.text(body);
    let mut outside = String::new();
    let mut pos = body.start;
    for c in &catches {
        if c.loc.start >= pos {
            outside.push_str(cx.source.get(pos..c.loc.start).unwrap_or(""));
            pos = c.loc.end;
        }
    }
    outside.push_str(cx.source.get(pos..body.end).unwrap_or(""));
    let exits = has_word(&outside, "return")
        || has_word(&outside, "break")
        || flag
            .as_ref()
            .is_some_and(|flag| outside.has(&format!("{flag} =")));
    if !exits {
        return None;
    }
    let counter = counter_name(&header);
    if bound == Bound::Unbounded {
        // A cap inside the loop: a counter compared and a raise/throw/break/return in a handler.
        let capped = catches.iter().any(|c| {
            (has_word(&c.body, "raise")
                || has_word(&c.body, "throw")
                || has_word(&c.body, "break")
                || has_word(&c.body, "return"))
                && (c.body.contains('>') || c.body.has("=="))
        }) || text.has("+= 1") && (text.has(">=") || text.has("> "))
            || text.has("++") && (text.has(">=") || text.has("> "));
        if capped {
            bound = Bound::Count("?".into());
        }
    }
    let calls = calls_within(cx, body);
    let sleeps: Vec<&Call> = calls.iter().copied().filter(|c| is_sleep(c)).collect();
    let delay = classify_delay(cx, f, body, &sleeps, &counter);
    let call = calls
        .iter()
        .copied()
        .find(|c| c.loc.start < first_catch.loc.start && !is_noise(c) && !is_wrapper(c));
    Some(Retry {
        at: loc_at(cx, kw, body.end),
        header,
        bound,
        delay,
        call,
        sleep: sleeps.first().copied(),
        delay_at: None,
        note: String::new(),
        fix: None,
    })
}

/// A retry loop found by one of the loop readers: the delay between its attempts read from
/// the sleeps in its body.
#[allow(clippy::too_many_arguments)]
fn loop_retry_found<'a>(
    cx: &'a Ctx,
    f: &'a Function,
    body: &Loc,
    kw: usize,
    header: String,
    bound: Bound,
    call: &'a Call,
    calls: &[&'a Call],
) -> Retry<'a> {
    let sleeps: Vec<&Call> = calls.iter().copied().filter(|c| is_sleep(c)).collect();
    let delay = classify_delay(cx, f, body, &sleeps, &counter_name(&header));
    Retry {
        at: loc_at(cx, kw, body.end),
        header,
        bound,
        delay,
        call: Some(call),
        sleep: sleeps.first().copied(),
        delay_at: None,
        note: String::new(),
        fix: None,
    }
}

/// A loop that retries on the response status instead of an exception: `while (true) { resp =
/// http.send(…); if (code < 300) return; if (code == 429 || code >= 500) { Thread.sleep(2000);
/// continue; } throw … }`. Only error statuses count (429, 5xx): a loop that polls until a job
/// reports done is not a retry.
fn status_loop_retry<'a>(cx: &'a Ctx, f: &'a Function, body: &Loc) -> Option<Retry<'a>> {
    let (kw, header) = loop_header(cx.source, body.start)?;
    let mut bound = header_bound(&header);
    if bound == Bound::NotRetry {
        return None;
    }
    let text = cx.text(body);
    // `if r.status_code < 500: return r`: anything but a server error ends the loop, so a 5xx
    // goes round again.
    let marker = [
        "429",
        ">= 500",
        ">=500",
        "> 499",
        "< 500",
        "<500",
        "is_server_error",
        "is5xxServerError",
    ]
    .iter()
    .filter_map(|m| {
        text.match_indices(m)
            .find(|(i, _)| !text[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()))
            .map(|(i, _)| i)
    })
    .min();
    // Or only success leaves a counted loop (`if (res.status === 201) return …; attempt++`):
    // every other answer, a 503 included, goes round again.
    let lower_text = text.to_ascii_lowercase();
    let counted = ["attempt", "retr", "tries"]
        .iter()
        .any(|w| lower_text.has(w))
        && (text.has("++") || text.has("+= 1") || header.has("++"));
    let marker = marker.or_else(|| {
        counted
            .then(|| {
                ["status === 20", "status == 20", "status_code == 20", ".ok)"]
                    .iter()
                    .filter_map(|m| text.find(m))
                    .min()
            })
            .flatten()
    })?;
    let exits = has_word(text, "return") || has_word(text, "break");
    let calls = calls_within(cx, body);
    let call = calls.iter().copied().find(|c| {
        c.loc.start < body.start + marker && !is_noise(c) && !is_wrapper(c) && !is_sleep(c)
    })?;
    if !exits {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if bound == Bound::Unbounded
        && (text.has("++") || text.has("+= 1") || header.has("++"))
        && ["attempt", "retr", "tries"].iter().any(|w| lower.has(w))
    {
        bound = Bound::Count("?".into());
    }
    Some(loop_retry_found(
        cx, f, body, kw, header, bound, call, &calls,
    ))
}

/// Byte offsets in `text` that are code (not inside a string, rune or comment), as a mask.
fn code_mask(text: &str) -> Vec<bool> {
    let b = text.as_bytes();
    let mut mask = vec![true; b.len()];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let close: Option<&[u8]> = match c {
            b'"' => Some(b"\""),
            b'\'' => Some(b"'"),
            b'`' => Some(b"`"),
            b'/' if b.get(i + 1) == Some(&b'/') => Some(b"\n"),
            b'/' if b.get(i + 1) == Some(&b'*') => Some(b"*/"),
            _ => None,
        };
        let Some(close) = close else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while i < b.len() && !b[i..].starts_with(close) {
            if b[i] == b'\\' && c != b'`' && c != b'/' {
                i += 1;
            }
            if b[i.min(b.len() - 1)] == b'\n' && (c == b'"' || c == b'\'') {
                break; // an unterminated literal ends at the line
            }
            i += 1;
        }
        let end = (i + close.len()).min(b.len());
        mask[start..end].iter_mut().for_each(|m| *m = false);
        i = end;
    }
    mask
}

/// The text with every nested `{…}` block (and strings, comments) blanked: what sits at the
/// block's own level. Byte offsets are kept.
fn top_level(text: &str, mask: &[bool]) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        let code = mask.get(i).copied().unwrap_or(false);
        let keep = match ch {
            '{' if code => {
                depth += 1;
                false
            }
            '}' if code => {
                depth = depth.saturating_sub(1);
                false
            }
            '\n' => true,
            _ => depth == 0 && code,
        };
        if keep {
            out.push(ch);
        } else {
            (0..ch.len_utf8()).for_each(|_| out.push(' '));
        }
    }
    out
}

/// The `}` that closes the `{` at `open`.
fn matching_brace(text: &str, mask: &[bool], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in text[open..].char_indices() {
        if !mask.get(open + i).copied().unwrap_or(false) {
            continue;
        }
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The error variable a condition compares with nil: `err == nil` → `err`.
fn err_compared(cond: &str, op: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = cond[from..].find(op) {
        let at = from + i;
        from = at + op.len();
        if !cond[from..].trim_start().starts_with("nil") {
            continue;
        }
        let name = super::queries::trailing(cond[..at].trim_end(), ident_char).to_string();
        if name.to_ascii_lowercase().has("err") {
            return Some(name);
        }
    }
    None
}

/// A Go retry loop: a counted or endless `for` whose body calls something that returns an
/// error and leaves the loop when it is nil (`if err == nil { return … }` / `break`, or
/// `if err != nil { …; continue }` followed by a `return`).
fn go_loop_retry<'a>(cx: &'a Ctx, f: &'a Function, body: &Loc) -> Option<Retry<'a>> {
    let (kw, header) = loop_header(cx.source, body.start)?;
    let mut bound = header_bound(&header);
    if bound == Bound::NotRetry {
        return None;
    }
    let header = if header == "for" {
        "for {".to_string()
    } else {
        header
    };
    let counter = counter_name(&header);
    let text = cx.text(body);
    // Walking a collection by index is not a retry: `for i := 0; i < n; i++ { … nodes[i] … }`.
    if !counter.is_empty() && text.has(&format!("[{counter}]")) {
        return None;
    }
    let mask = code_mask(text);
    let body_top = top_level(
        text.get(1..text.len().saturating_sub(1)).unwrap_or(""),
        mask.get(1..).unwrap_or(&[]),
    );
    // Find the success exit.
    let mut exit: Option<(String, usize)> = None;
    let mut from = 0;
    while exit.is_none() {
        let Some(i) = text[from..].find("if ") else {
            break;
        };
        let p = from + i;
        from = p + 3;
        if !mask.get(p).copied().unwrap_or(false)
            || text[..p].chars().next_back().is_some_and(ident_char)
        {
            continue;
        }
        // The block's `{`: the first one outside parentheses.
        let mut paren = 0i32;
        let mut open = None;
        for (j, ch) in text[p..].char_indices() {
            if !mask.get(p + j).copied().unwrap_or(false) {
                continue;
            }
            match ch {
                '(' | '[' => paren += 1,
                ')' | ']' => paren -= 1,
                '{' if paren <= 0 => {
                    open = Some(p + j);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let Some(close) = matching_brace(text, &mask, open) else {
            continue;
        };
        // Only a check at the loop's own level: a `break` inside a `select` or `switch` leaves
        // that statement, not the loop.
        let at_loop_level = body_top
            .get(p.saturating_sub(1)..)
            .is_some_and(|t| t.starts_with("if "));
        if !at_loop_level {
            continue;
        }
        let cond = &text[p + 3..open];
        let inner_top = top_level(&text[open + 1..close], &mask[open + 1..close]);
        if let Some(e) = err_compared(cond, "==") {
            // `if err == nil { resp.Body.Close(); if resp.StatusCode < 300 { return nil } }`:
            // the success exit may sit one check deeper.
            let inner = &text[open + 1..close];
            if has_word(&inner_top, "return")
                || has_word(&inner_top, "break")
                || has_word(inner, "return")
            {
                exit = Some((e, p));
            }
        } else if let Some(e) = err_compared(cond, "!=") {
            // `if err != nil { …; continue }` at the loop's own level, then a return/break.
            // The return may sit one check deeper (`if resp.StatusCode < 300 { return nil }`).
            let after_top = top_level(&text[close + 1..], &mask[close + 1..]);
            if has_word(&inner_top, "continue")
                && (has_word(&after_top, "return")
                    || has_word(&after_top, "break")
                    || has_word(&text[close + 1..], "return"))
            {
                exit = Some((e, p));
            }
        }
    }
    let (err, exit_at) = exit?;
    let calls = calls_within(cx, body);
    // The call that produced the error: the one assigned to it, else the last real call before
    // the check.
    let assigned = f
        .assigns
        .iter()
        .filter(|a| body.contains(&a.loc) && a.loc.start <= body.start + exit_at + err.len() + 64)
        .filter(|a| {
            a.names.iter().any(|n| n == &err) || a.target.split(',').any(|t| t.trim() == err)
        })
        .filter_map(|a| calls.iter().copied().find(|c| a.loc.contains(&c.loc)))
        .next_back();
    let call = match assigned {
        Some(c) => c,
        None => calls
            .iter()
            .copied()
            .filter(|c| c.loc.start < body.start + exit_at + 200 && !is_noise(c) && !is_parse(c))
            .find(|c| c.loc.start >= body.start)?,
    };
    if is_noise(call) || is_parse(call) {
        return None;
    }
    // A cap checked in the body: `if attempt == maxAttempts { return … }`.
    let capped_counter = !counter.is_empty() && header.has("++") && compared(text, &counter);
    if bound == Bound::Unbounded
        && (capped_counter
            || (text.has("++") || text.has("+= 1"))
                && (text.has(">=") || text.has("> ") || text.has("==")))
    {
        bound = Bound::Count("?".into());
    }
    Some(loop_retry_found(
        cx, f, body, kw, header, bound, call, &calls,
    ))
}

/// The counter is compared with a limit: `attempt == maxAttempts`, `attempt+1 == maxAttempts`,
/// `attempt >= 4`.
fn compared(text: &str, counter: &str) -> bool {
    text.match_indices(counter).any(|(i, _)| {
        if text[..i].ends_with(ident_char) {
            return false;
        }
        let rest = &text[i + counter.len()..];
        if rest.starts_with(ident_char) {
            return false;
        }
        let mut rest = rest.trim_start();
        // `attempt + 1 ==`: the next attempt's number.
        if let Some(r) = rest
            .strip_prefix('+')
            .filter(|r| !r.starts_with(['+', '=']))
        {
            rest = r
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start();
        }
        rest.starts_with("==") || rest.starts_with(">=") || rest.starts_with("> ")
    })
}

/// The text between the `(` that follows `key` in `text` and its matching `)`.
fn paren_arg<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let i = text.find(&format!("{key}("))? + key.len();
    let rest = &text[i..];
    let rest = rest.strip_prefix('(')?;
    let mut depth = 1i32;
    for (j, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[..j]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The value of `name = …` / `name: …` in an argument list (up to the next top-level comma).
fn named_value<'t>(text: &'t str, name: &str, sep: char) -> Option<&'t str> {
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let s = from + i;
        from = s + name.len();
        if text[..s].chars().next_back().is_some_and(ident_char) {
            continue;
        }
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(sep) else {
            continue;
        };
        if sep == '=' && rest.starts_with('=') {
            continue;
        }
        let mut depth = 0i32;
        let end = rest
            .char_indices()
            .find(|(_, ch)| {
                match ch {
                    '(' | '{' | '[' => depth += 1,
                    ')' | '}' | ']' => depth -= 1,
                    _ => {}
                }
                depth < 0 || depth == 0 && *ch == ','
            })
            .map_or(rest.len(), |(j, _)| j);
        return Some(rest[..end].trim());
    }
    None
}

fn one_line(text: &str, max: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > max {
        format!("{}…", t.chars().take(max).collect::<String>())
    } else {
        t
    }
}

/// Spring Retry `@Retryable` with no `@Backoff` (a fixed 1 s) or a `@Backoff` with a delay and
/// no multiplier (fixed).
fn spring_retryable<'a>(cx: &'a Ctx, f: &'a Function) -> Option<Retry<'a>> {
    let d = f.decorators.iter().find(|d| {
        let name = d.split('(').next().unwrap_or("");
        name == "Retryable" || name.ends_with(".Retryable")
    })?;
    // The annotation in the source, before the method's body.
    let lo = (f.loc.start.saturating_sub(800)..=f.loc.start)
        .find(|i| cx.source.is_char_boundary(*i))
        .unwrap_or(f.loc.start);
    let head_end = cx
        .text(&f.loc)
        .find('{')
        .map_or(f.loc.end, |i| f.loc.start + i);
    let head = cx.source.get(lo..head_end).unwrap_or("");
    let at_rel = head.rfind("@Retryable")?;
    let ann_start = lo + at_rel;
    let ann_text = paren_arg(&head[at_rel..], "@Retryable").unwrap_or("");
    let ann_loc = loc_at(cx, ann_start, ann_start + "@Retryable".len());
    let bound = match named_value(d, "maxAttempts", '=') {
        Some(n) => Bound::Count(n.to_string()),
        None if d.has("maxAttemptsExpression") => Bound::Count("?".into()),
        None => Bound::Count("3".into()),
    };
    let backoff = paren_arg(d, "@Backoff").or_else(|| paren_arg(d, "annotation.Backoff"));
    let (delay, note, delay_at) = match backoff {
        None if d.has("backoff=") => return None, // a backoff we cannot read
        None => (
            Delay::Fixed("1000".into()),
            "Spring Retry's default `@Backoff` is a fixed 1000 ms".to_string(),
            None,
        ),
        Some(b) => {
            let multiplier = named_value(b, "multiplier", '=')
                .map(|m| m.trim_end_matches(['d', 'D', 'f', 'F']))
                .map(|m| m.parse::<f64>().map_or(true, |x| x > 1.0))
                .unwrap_or(false);
            if multiplier
                || b.has("multiplierExpression")
                || b.has("maxDelay")
                || b.has("delayExpression")
                || b.has("sleeper")
            {
                return None;
            }
            let delay = named_value(b, "delay", '=')
                .or_else(|| named_value(b, "value", '='))
                .or_else(|| (!b.contains('=') && !b.is_empty()).then_some(b))
                .unwrap_or("1000");
            let rel = ann_text.find("@Backoff").map(|i| {
                let s = ann_start + "@Retryable(".len() + i;
                loc_at(cx, s, s + 8)
            });
            let delay = if delay.trim_end_matches(['L', 'l']) == "0" {
                Delay::None
            } else {
                Delay::Fixed(delay.to_string())
            };
            (delay, String::new(), rel)
        }
    };
    let header = if ann_text.is_empty() {
        "@Retryable".to_string()
    } else {
        format!("@Retryable({})", one_line(ann_text, 90))
    };
    Some(Retry {
        at: ann_loc,
        header,
        bound,
        delay,
        call: f
            .calls
            .iter()
            .find(|c| !is_noise(c) && !c.callee.starts_with("new ")),
        sleep: None,
        delay_at,
        note,
        fix: Some("Add `backoff = @Backoff(delay = 200, multiplier = 2, maxDelay = 10000, random = true)` to `@Retryable` (exponential backoff with jitter and a cap).".into()),
    })
}

/// Resilience4j `RetryConfig.custom()…build()` with a fixed `waitDuration` (or the default
/// fixed 500 ms) and no interval function.
fn resilience4j_retry<'a>(cx: &'a Ctx, f: &'a Function) -> Vec<Retry<'a>> {
    let mut out = Vec::new();
    let starts: Vec<&Call> = f
        .calls
        .iter()
        .filter(|c| c.method == "custom" && c.receiver.ends_with("RetryConfig"))
        .collect();
    for start in starts {
        // The outermost call of the builder chain: same start, longest.
        let Some(chain) = f
            .calls
            .iter()
            .filter(|c| c.loc.start == start.loc.start)
            .max_by_key(|c| c.loc.end)
        else {
            continue;
        };
        let text = cx.text(&chain.loc);
        let flat: String = text.split_whitespace().collect();
        let interval = paren_arg(&flat, ".intervalFunction")
            .or_else(|| paren_arg(&flat, ".intervalBiFunction"));
        let (delay, note, key) = match interval {
            Some(i) => {
                let il = i.to_ascii_lowercase();
                if il.has("exponential")
                    || il.has("random")
                    || !i.starts_with("IntervalFunction.of(")
                {
                    continue;
                }
                let d = paren_arg(i, "IntervalFunction.of").unwrap_or(i);
                (
                    Delay::Fixed(d.to_string()),
                    String::new(),
                    ".intervalFunction(",
                )
            }
            None => match paren_arg(&flat, ".waitDuration") {
                Some(d) => (Delay::Fixed(d.to_string()), String::new(), ".waitDuration("),
                None => (
                    Delay::Fixed("Duration.ofMillis(500)".into()),
                    "Resilience4j's default `waitDuration` is a fixed 500 ms".to_string(),
                    "",
                ),
            },
        };
        let bound = Bound::Count(paren_arg(&flat, ".maxAttempts").unwrap_or("3").to_string());
        let delay_at = (!key.is_empty())
            .then(|| text.find(key))
            .flatten()
            .map(|i| loc_at(cx, chain.loc.start + i, chain.loc.start + i + key.len()));
        let shown = match &delay {
            Delay::Fixed(d) if !key.is_empty() => format!("RetryConfig.custom()…{key}{d})"),
            _ => "RetryConfig.custom()".to_string(),
        };
        out.push(Retry {
            at: loc_at(cx, start.loc.start, start.loc.end),
            header: shown,
            bound,
            delay,
            call: None,
            sleep: None,
            delay_at,
            note,
            fix: Some("Use `.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5))` instead of a fixed `waitDuration` (exponential backoff with jitter).".into()),
        });
    }
    out
}

/// Spring Retry `RetryTemplate.builder()…fixedBackoff(ms)` / `.noBackoff()`.
fn retry_template<'a>(cx: &'a Ctx, f: &'a Function) -> Vec<Retry<'a>> {
    let mut out = Vec::new();
    for start in f
        .calls
        .iter()
        .filter(|c| c.method == "builder" && c.receiver.ends_with("RetryTemplate"))
    {
        let Some(chain) = f
            .calls
            .iter()
            .filter(|c| c.loc.start == start.loc.start)
            .max_by_key(|c| c.loc.end)
        else {
            continue;
        };
        let text = cx.text(&chain.loc);
        let flat: String = text.split_whitespace().collect();
        let (delay, key, shown) = if let Some(d) = paren_arg(&flat, ".fixedBackoff") {
            (
                Delay::Fixed(d.to_string()),
                ".fixedBackoff(",
                format!(".fixedBackoff({d})"),
            )
        } else if flat.has(".noBackoff()") {
            (Delay::None, ".noBackoff(", ".noBackoff()".to_string())
        } else {
            continue;
        };
        let bound = match paren_arg(&flat, ".maxAttempts") {
            Some(n) => Bound::Count(n.to_string()),
            None if flat.has(".infiniteRetry()") => Bound::Unbounded,
            None => Bound::Count("3".into()),
        };
        let delay_at = text
            .find(key)
            .map(|i| loc_at(cx, chain.loc.start + i, chain.loc.start + i + key.len()));
        out.push(Retry {
            at: loc_at(cx, start.loc.start, start.loc.end),
            header: format!("RetryTemplate.builder()…{shown}"),
            bound,
            delay,
            call: None,
            sleep: None,
            delay_at,
            note: String::new(),
            fix: Some("Use `.exponentialRandomBackoff(200, 2, 10000)` on the `RetryTemplate` builder (exponential backoff with jitter and a cap).".into()),
        });
    }
    out
}

/// axios-retry with no `retryDelay` (its default is no delay) or a constant one.
fn axios_retry<'a>(cx: &'a Ctx, f: &'a Function) -> Vec<Retry<'a>> {
    let mut out = Vec::new();
    for c in &f.calls {
        if !(c.callee == "axiosRetry" || c.callee == "axiosRetry.default") {
            continue;
        }
        let Some(client) = c.args.first() else {
            continue;
        };
        let opts = match c.args.get(1) {
            None => String::new(),
            Some(a) if a.text.trim_start().starts_with('{') => a.text.clone(),
            Some(a) => match resolve(cx, f, a.text.trim()) {
                Some(v) if v.trim_start().starts_with('{') => v.to_string(),
                _ => continue,
            },
        };
        let retries = named_value(&opts, "retries", ':').unwrap_or("3");
        if retries == "0" {
            continue;
        }
        let delay = match named_value(&opts, "retryDelay", ':') {
            None if opts.has("retryDelay") => continue,
            None => Delay::None,
            Some(v) => {
                let vl = v.to_ascii_lowercase();
                let body = v.rsplit("=>").next().unwrap_or("").trim();
                let param = v
                    .split("=>")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('(')
                    .split([',', ')', ':'])
                    .next()
                    .unwrap_or("")
                    .trim();
                let exp = ["random", "**", "pow", "exponential", "<<"]
                    .iter()
                    .any(|w| vl.has(w));
                if vl.has("linear")
                    || !exp && v.has("=>") && !param.is_empty() && has_word(body, param)
                {
                    Delay::Linear(v.to_string())
                } else if numeric(body) {
                    Delay::Fixed(body.to_string())
                } else {
                    continue;
                }
            }
        };
        out.push(Retry {
            at: c.loc,
            header: format!("axiosRetry({}, …)", client.text.trim()),
            bound: Bound::Count(retries.to_string()),
            delay,
            call: None,
            sleep: None,
            delay_at: None,
            note: if opts.has("retryDelay") {
                String::new()
            } else {
                "axios-retry's default `retryDelay` is no delay at all".to_string()
            },
            fix: Some("Pass `retryDelay: axiosRetry.exponentialDelay` (exponential backoff with jitter) in the `axiosRetry(…)` options.".into()),
        });
    }
    out
}

/// Go retry libraries set to a constant delay: cenkalti/backoff `NewConstantBackOff`, retry-go
/// `retry.DelayType(retry.FixedDelay)`.
fn go_library_retry<'a>(cx: &'a Ctx, f: &'a Function) -> Vec<Retry<'a>> {
    let mut out = Vec::new();
    for c in &f.calls {
        if c.callee == "backoff.NewConstantBackOff" {
            let wrapper = f
                .calls
                .iter()
                .filter(|w| w.loc.contains(&c.loc) && w.loc != c.loc)
                .find(|w| w.method == "WithMaxRetries");
            let bound = match wrapper.and_then(|w| w.args.get(1)) {
                Some(n) => Bound::Count(n.text.trim().to_string()),
                None if f
                    .calls
                    .iter()
                    .any(|w| w.method == "WithMaxRetries" || w.method == "WithContext") =>
                {
                    Bound::Count("?".into())
                }
                None => Bound::Unbounded,
            };
            let d = c.args.first().map_or("?", |a| a.text.trim());
            out.push(Retry {
                at: c.loc,
                header: format!("backoff.NewConstantBackOff({d})"),
                bound,
                delay: Delay::Fixed(d.to_string()),
                call: None,
                sleep: None,
                delay_at: None,
                note: String::new(),
                fix: Some("Use `backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 5)`: exponential, randomized (jitter) and capped.".into()),
            });
        }
        if c.receiver == "retry" && matches!(c.method.as_str(), "Do" | "DoWithData") {
            let all = c.args_text();
            let flat: String = all.split_whitespace().collect();
            if !flat.has("retry.DelayType(retry.FixedDelay)") {
                continue;
            }
            let bound = match paren_arg(&flat, "retry.Attempts") {
                Some("0") => Bound::Unbounded,
                Some(n) => Bound::Count(n.to_string()),
                None => Bound::Count("10".into()),
            };
            let d = paren_arg(&flat, "retry.Delay").unwrap_or("100*time.Millisecond");
            let delay_at = c
                .args
                .iter()
                .find(|a| a.text.has("FixedDelay"))
                .and_then(|a| cx.text(&c.loc).find(a.text.as_str()))
                .map(|i| loc_at(cx, c.loc.start + i, c.loc.start + i + 1));
            out.push(Retry {
                at: c.loc,
                header: format!("{}(…, retry.DelayType(retry.FixedDelay))", c.callee),
                bound,
                delay: Delay::Fixed(d.to_string()),
                call: None,
                sleep: None,
                delay_at,
                note: String::new(),
                fix: Some("Drop `retry.DelayType(retry.FixedDelay)`: retry-go's default `CombineDelay(BackOffDelay, RandomDelay)` is exponential with jitter; add `retry.MaxDelay(…)` as a cap.".into()),
            });
        }
    }
    out
}

/// `catch (e) { if (retries > 0) return fetchWithRetry(url, retries - 1) }`.
fn recursive_retry<'a>(cx: &'a Ctx, f: &'a Function) -> Option<Retry<'a>> {
    let name = f.name.as_str();
    if name.is_empty() || name.contains(' ') || name == "<module>" {
        return None;
    }
    for c in &f.catches {
        let rec = f.calls.iter().find(|k| {
            c.loc.contains(&k.loc)
                && (k.callee == name
                    || k.callee == format!("this.{name}")
                    || k.callee == format!("self.{name}"))
        });
        let Some(rec) = rec else { continue };
        let calls = calls_within(cx, &f.loc);
        let sleeps: Vec<&Call> = calls.iter().copied().filter(|k| is_sleep(k)).collect();
        let counter = f
            .params
            .iter()
            .find(|p| {
                let p = p.to_ascii_lowercase();
                p.has("retr") || p.has("attempt") || p.has("tries")
            })
            .cloned()
            .unwrap_or_default();
        let delay = classify_delay(cx, f, &f.loc, &sleeps, &counter);
        let header_text = cx.text(&f.loc).lines().next().unwrap_or("");
        let count = if counter.is_empty() {
            "?".to_string()
        } else {
            let pat = format!("{counter} = ");
            header_text
                .find(&pat)
                .map(|i| {
                    header_text[i + pat.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit())
                        .collect::<String>()
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "?".into())
        };
        let call = calls
            .iter()
            .copied()
            .find(|k| k.loc.start < c.loc.start && !is_noise(k) && k.callee != name);
        return Some(Retry {
            at: rec.loc,
            header: format!("{} (calls itself again from its catch)", rec.callee),
            bound: if counter.is_empty() && !c.body.contains('<') && !c.body.contains('>') {
                Bound::Unbounded
            } else {
                Bound::Count(count)
            },
            delay,
            call,
            sleep: sleeps.first().copied(),
            delay_at: None,
            note: String::new(),
            fix: None,
        });
    }
    None
}

/// tenacity / retrying decorators.
fn decorator_retry<'a>(cx: &'a Ctx, f: &'a Function) -> Option<Retry<'a>> {
    let d = f.decorators.iter().find(|d| {
        let name = d.split('(').next().unwrap_or("");
        matches!(name, "retry" | "tenacity.retry")
    })?;
    let dl = d.to_ascii_lowercase();
    let wait_ok = dl.has("exponential")
        || dl.has("wait_random")
        || dl.has("wait_chain")
        || dl.has("wait_combine");
    let stop = dl.has("stop");
    let count = d
        .find("stop_after_attempt(")
        .map(|i| {
            d[i + 19..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .or_else(|| {
            d.find("stop_max_attempt_number=").map(|i| {
                d[i + 24..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect()
            })
        })
        .filter(|s| !s.is_empty());
    if wait_ok && stop {
        return None;
    }
    let delay = if wait_ok {
        Delay::Ok
    } else if let Some(i) = d.find("wait_fixed(") {
        Delay::Fixed(d[i + 11..].split(')').next().unwrap_or("").to_string())
    } else if dl.has("wait") {
        return None; // some other wait strategy we do not judge
    } else {
        Delay::None
    };
    // The decorator line: search the source before the function.
    let fs = f.loc.start;
    let lo = (fs.saturating_sub(600)..=fs)
        .find(|i| cx.source.is_char_boundary(*i))
        .unwrap_or(fs);
    let before = cx.source.get(lo..fs).unwrap_or("");
    let at = before
        .rfind("@retry")
        .or_else(|| before.rfind("@tenacity.retry"))
        .map(|i| loc_at(cx, lo + i, lo + i + 6))
        .unwrap_or(f.loc);
    Some(Retry {
        at,
        header: format!("@{d}"),
        bound: if stop {
            Bound::Count(count.unwrap_or_else(|| "?".into()))
        } else {
            Bound::Unbounded
        },
        delay,
        call: f.calls.iter().find(|c| !is_noise(c)),
        sleep: None,
        delay_at: None,
        note: String::new(),
        fix: None,
    })
}

/// A loop that moves a cursor the call reads (`lastId = due[due.length - 1].id` with `lastId`
/// in the query's arguments, `offset += PAGE`): it walks pages, each call asking for the next
/// one, not the same one again.
fn walks_pages(cx: &Ctx, r: &Retry) -> bool {
    let Some(call) = r.call else {
        return false;
    };
    let body = cx.text(&r.at);
    // Names in the arguments, not words of a SQL string.
    let args: Vec<&str> = call
        .args
        .iter()
        .filter(|a| a.string.is_none() && !a.text.trim_start().starts_with(['"', '\'', '`']))
        .map(|a| a.text.as_str())
        .collect();
    args.iter()
        .flat_map(|a| a.split(|c: char| !ident_char(c)))
        .filter(|w| w.len() > 1 && !w.starts_with(|c: char| c.is_ascii_digit()))
        .any(|w| {
            body.match_indices(w).any(|(i, _)| {
                let before_ok = !body[..i].ends_with(|c: char| ident_char(c) || c == '.');
                let after = body[i + w.len()..].trim_start();
                before_ok
                    && (after.starts_with("+=")
                        || after.starts_with('=') && !after.starts_with("==")
                        || after.starts_with("++"))
            })
        })
}

fn report(cx: &Ctx, f: &Function, r: Retry) -> Option<Finding> {
    if walks_pages(cx, &r) {
        return None;
    }
    let problem = match (&r.bound, &r.delay) {
        (Bound::Unbounded, Delay::None) => {
            "retries forever with no delay between attempts".to_string()
        }
        (Bound::Unbounded, Delay::Fixed(d)) => {
            format!("retries forever every `{d}` (no cap, no backoff, no jitter)")
        }
        (Bound::Unbounded, Delay::Linear(d)) => {
            format!("retries forever with a linear delay `{d}` (no cap, no jitter)")
        }
        (Bound::Unbounded, Delay::Ok) => {
            "retries forever: there is no cap on the number of attempts".to_string()
        }
        (_, Delay::None) => "retries immediately, with no delay between attempts".to_string(),
        (_, Delay::Fixed(d)) => {
            format!("waits a fixed `{d}` between attempts (no exponential backoff, no jitter)")
        }
        (_, Delay::Linear(d)) => {
            format!("waits a linear `{d}` between attempts (no exponential backoff, no jitter)")
        }
        (_, Delay::Ok) => return None,
    };
    let line = r.at.span.start_line;
    let problem = match (r.sleep, r.delay_at) {
        (Some(sl), _) if !matches!(r.delay, Delay::None) => {
            format!("{problem} (sleep at line {})", sl.loc.span.start_line)
        }
        (None, Some(at)) if at.span.start_line != line => {
            format!("{problem} (set at line {})", at.span.start_line)
        }
        _ => problem,
    };
    let problem = if r.note.is_empty() {
        problem
    } else {
        format!("{problem}; {}", r.note)
    };
    let what = match r.call {
        Some(c) => format!(
            " retries `{}` (line {}) and ",
            c.callee.split('(').next().unwrap_or(""),
            c.loc.span.start_line
        ),
        None => " ".to_string(),
    };
    let place = if matches!(f.name.as_str(), "<module>" | "<anonymous>" | "function") {
        String::new()
    } else {
        format!(" in `{}`", f.name)
    };
    let message = format!(
        "`{}` at line {line}{place}{what}{problem}: when the dependency slows down under load, every client retries in step and multiplies its traffic (a retry storm).",
        r.header.lines().next().unwrap_or("").trim()
    );
    let fix = match (r.fix, cx.language) {
        (Some(fix), _) => fix,
        (None, Language::TypeScript) => format!(
            "{}etween attempts `await sleep(Math.random() * Math.min(capMs, baseMs * 2 ** attempt))` (exponential backoff with full jitter) and rethrow after the last one; or use p-retry (`factor: 2, randomize: true`) / async-retry.",
            if r.bound == Bound::Unbounded { "Cap the attempts (e.g. 5, then throw); b" } else { "B" }
        ),
        (None, Language::Go) => format!(
            "{}leep `backoff + time.Duration(rand.Int63n(int64(backoff)))` and double `backoff` up to a cap after each failure; or use cenkalti/backoff `backoff.Retry(op, backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 5))`.",
            if r.bound == Bound::Unbounded { "Cap the attempts (e.g. 5, then return the error), s" } else { "S" }
        ),
        (None, Language::Java) => format!(
            "{}leep `ThreadLocalRandom.current().nextLong(Math.min(capMs, baseMs << attempt))` between attempts and rethrow after the last one; or use Spring Retry `@Retryable(backoff = @Backoff(delay = 200, multiplier = 2, maxDelay = 10000, random = true))` / Resilience4j `IntervalFunction.ofExponentialRandomBackoff`.",
            if r.bound == Bound::Unbounded { "Cap the attempts (e.g. 5, then rethrow), s" } else { "S" }
        ),
        _ => match r.bound {
        Bound::Unbounded => "Cap the attempts (e.g. 5, then raise) and sleep `random.uniform(0, min(30, base * 2 ** attempt))` between them (exponential backoff with full jitter); or use tenacity `@retry(wait=wait_random_exponential(max=30), stop=stop_after_attempt(5))`.".to_string(),
        _ => "Sleep `random.uniform(0, min(cap, base * 2 ** attempt))` (JS: `Math.random() * Math.min(cap, base * 2 ** attempt)`) between attempts, and re-raise after the last one; or use tenacity / backoff / p-retry.".to_string(),
    },
    };
    let ev = |loc: &Loc, role: &str| Evidence {
        line: loc.span.start_line,
        column: loc.span.start_col,
        role: role.to_string(),
        code: cx.lines.line_text(loc.span.start_line).trim().to_string(),
    };
    let mut evidence = vec![ev(&r.at, "retry")];
    if let Some(c) = r.call.filter(|c| c.loc.span.start_line != line) {
        evidence.push(ev(&c.loc, "call"));
    }
    if let Some(s) = r.sleep.filter(|s| s.loc.span.start_line != line) {
        evidence.push(ev(&s.loc, "sleep"));
    } else if let Some(at) = r.delay_at.filter(|at| at.span.start_line != line) {
        evidence.push(ev(&at, "delay"));
    }
    let mut params = BTreeMap::new();
    params.insert(
        "retry_count".to_string(),
        match &r.bound {
            Bound::Count(n) => n.clone(),
            _ => "unbounded".to_string(),
        },
    );
    params.insert(
        "delay".to_string(),
        match &r.delay {
            Delay::None => "0".to_string(),
            Delay::Fixed(d) | Delay::Linear(d) => d.clone(),
            Delay::Ok => "exponential".to_string(),
        },
    );
    params.insert(
        "delay_kind".to_string(),
        match &r.delay {
            Delay::None => "none",
            Delay::Fixed(_) => "fixed",
            Delay::Linear(_) => "linear",
            Delay::Ok => "exponential",
        }
        .to_string(),
    );
    params.insert("jitter".to_string(), "false".to_string());
    Some(finding(
        ID,
        if r.bound == Bound::Unbounded || r.delay == Delay::None {
            Severity::Error
        } else {
            Severity::Warning
        },
        &r.at,
        message,
        fix,
        evidence,
        params,
    ))
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut lines = Vec::new();
    for f in &cx.program.functions {
        let mut found: Vec<Retry> = f
            .loops
            .iter()
            .filter_map(|body| {
                loop_retry(cx, f, body).or_else(|| {
                    (cx.language != Language::Go)
                        .then(|| status_loop_retry(cx, f, body))
                        .flatten()
                })
            })
            .collect();
        if found.is_empty() {
            found.extend(recursive_retry(cx, f));
        }
        if cx.language == Language::Go {
            found.extend(f.loops.iter().filter_map(|body| go_loop_retry(cx, f, body)));
        }
        found.extend(decorator_retry(cx, f));
        match cx.language {
            Language::Java => {
                found.extend(spring_retryable(cx, f));
                found.extend(resilience4j_retry(cx, f));
                found.extend(retry_template(cx, f));
            }
            Language::JavaScript | Language::TypeScript => found.extend(axios_retry(cx, f)),
            Language::Go => found.extend(go_library_retry(cx, f)),
            _ => {}
        }
        for r in found {
            if let Some(fd) = report(cx, f, r) {
                if !lines.contains(&fd.span.start_line) {
                    lines.push(fd.span.start_line);
                    out.push(fd);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(
            header_bound("for attempt in range(3)"),
            Bound::Count("3".into())
        );
        assert_eq!(
            header_bound("for attempt in range(1, 6)"),
            Bound::Count("5".into())
        );
        assert_eq!(header_bound("while True"), Bound::Unbounded);
        assert_eq!(
            header_bound("for (let i = 0; i < MAX_RETRIES; i++)"),
            Bound::Count("MAX_RETRIES".into())
        );
        assert_eq!(
            header_bound("while (retries < 5)"),
            Bound::Count("5".into())
        );
        assert_eq!(header_bound("for item in items"), Bound::NotRetry);
        assert_eq!(
            header_bound("for (let i = 0; i < rows.length; i++)"),
            Bound::NotRetry
        );
        assert_eq!(header_bound("for i in range(len(rows))"), Bound::NotRetry);
        assert_eq!(
            header_bound("for attempt := 0; attempt < maxRetries; attempt++"),
            Bound::Count("maxRetries".into())
        );
        assert_eq!(header_bound("for"), Bound::Unbounded);
        assert_eq!(
            header_bound("for attempt := 1; ; attempt++ {"),
            Bound::Unbounded
        );
        assert_eq!(header_bound("for (let n = 0;; n++)"), Bound::Unbounded);
        assert_eq!(header_bound("for rows.Next()"), Bound::NotRetry);
    }

    #[test]
    fn go_error_checks() {
        assert_eq!(
            err_compared("err == nil && resp.StatusCode < 500", "=="),
            Some("err".into())
        );
        assert_eq!(
            err_compared("_, pubErr = p.Publish(x); pubErr == nil", "=="),
            Some("pubErr".into())
        );
        assert_eq!(err_compared("err == io.EOF", "=="), None);
        assert_eq!(err_compared("resp == nil", "=="), None);
        // Nested blocks and strings are blanked; byte offsets are kept.
        let t = "a { return } \"{\" break é";
        let top = top_level(t, &code_mask(t));
        assert_eq!(top.len(), t.len());
        assert!(!has_word(&top, "return") && has_word(&top, "break"));
    }
}
