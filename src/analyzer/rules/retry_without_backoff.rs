//! # retry-without-backoff
//!
//! ## What it does
//! Flags a retry loop (`for attempt in range(N)`, `while True`, `while (retries < N)`,
//! `for (let i = 0; i < N; i++)` with a try/except or try/catch around a call that exits on
//! success) that retries with no delay, with a fixed or linearly growing delay and no jitter,
//! or without any bound. Also flags a function that retries by calling itself from its
//! `catch` with no delay, and tenacity `@retry` decorators with no wait, `wait_fixed`, or no
//! `stop`.
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
//! `backoff.on_exception(backoff.expo, …, max_tries=5)`, p-retry / async-retry.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Catch, Function, Loc};
use crate::analyzer::{Evidence, Finding, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "retry-without-backoff";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Retry without exponential backoff and jitter",
    what_it_does: "Flags a retry loop (for attempt in range(N), while True, while (retries < N), for (let i = 0; i < N; i++) with a try/catch around a call that exits on success) that retries with no delay, with a fixed or linear delay and no jitter, or with no bound; a function that retries by calling itself from its catch with no delay; and tenacity @retry with no wait, wait_fixed, or no stop.",
    why_bad_at_scale: "When a dependency slows down or fails under load, every client retries at once and on the same schedule. Retries multiply the traffic the struggling service sees (three retries: up to four times the load), so it cannot recover: a retry storm. A fixed delay keeps the waves synchronised; an unbounded loop never gives up and holds its worker forever.",
    example: "for attempt in range(5):\n    try:\n        return requests.post(url, json=payload, timeout=10)\n    except requests.RequestException:\n        time.sleep(1)",
    use_instead: "for attempt in range(5):\n    try:\n        return requests.post(url, json=payload, timeout=10)\n    except requests.RequestException:\n        if attempt == 4:\n            raise\n        time.sleep(random.uniform(0, min(30, 0.5 * 2 ** attempt)))\n\nOr a library: tenacity (wait_random_exponential + stop_after_attempt), backoff.on_exception(backoff.expo, ..., max_tries=5), p-retry / async-retry.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn has_word(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let s = from + i;
        let e = s + word.len();
        if !text[..s].chars().next_back().is_some_and(ident_char)
            && !text[e..].chars().next().is_some_and(ident_char)
        {
            return true;
        }
        from = e;
    }
    false
}

/// Where the loop keyword of a loop whose body starts at `body_start` is, and the header text.
fn loop_header(src: &str, body_start: usize) -> Option<(usize, &str)> {
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
    Some((lo + s, &window[s..]))
}

#[derive(Debug, PartialEq)]
enum Bound {
    Count(String),
    Unbounded,
    /// Not a retry-shaped loop header.
    NotRetry,
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
    {
        return Bound::Unbounded;
    }
    if hl.contains("len(")
        || hl.contains(".length")
        || hl.contains(".size()")
        || hl.contains("len (")
    {
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
    let counterish = attempt_words.iter().any(|w| hl.contains(w));
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
                || hl.starts_with("for") && lhs.contains(":=");
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
        || m == "sleep"
        || m.contains("sleep")
        || m.contains("delay")
        || m.contains("backoff")
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
    if m.contains("backoff") {
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
        if let Some(v) = resolve(cx, f, &name) {
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
        || tl.contains("**")
        || tl.contains("pow(")
        || tl.contains("<<")
        || tl.contains("exp")
        || tl.contains("backoff")
        || tl.contains("random")
        || tl.contains("jitter")
        || tl.contains("uniform")
        || tl.contains("retry_after")
        || tl.contains("retryafter")
        || tl.contains("retry-after")
        || body.contains("Retry-After") && !numeric(&text)
    {
        return Delay::Ok;
    }
    let stripped = tl
        .replace("time.second", "")
        .replace("time.millisecond", "")
        .replace("timeunit.seconds", "");
    if numeric(&stripped.replace(['*', ' '], "")) || numeric(&stripped) {
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
    cl.contains("json.") || cl.contains("parse") || cl.contains("decode") || cl.contains("loads")
}

fn is_noise(c: &Call) -> bool {
    let cl = c.callee.to_ascii_lowercase();
    is_sleep(c)
        || cl.starts_with("log")
        || cl.contains("logger.")
        || cl.contains("logging.")
        || cl.starts_with("console.")
        || cl.starts_with("print")
        || cl.starts_with("fmt.")
        || cl.contains("random")
        || matches!(
            c.method.as_str(),
            "min" | "max" | "len" | "range" | "str" | "int" | "float"
        )
}

struct Retry<'a> {
    at: Loc,
    header: String,
    bound: Bound,
    delay: Delay,
    call: Option<&'a Call>,
    sleep: Option<&'a Call>,
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
    let header = header
        .trim_end()
        .trim_end_matches(['{', ':'])
        .trim_end()
        .to_string();
    let mut bound = header_bound(&header);
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
    let exits = has_word(&outside, "return") || has_word(&outside, "break");
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
                && (c.body.contains('>') || c.body.contains("=="))
        }) || text.contains("+= 1") && (text.contains(">=") || text.contains("> "))
            || text.contains("++") && (text.contains(">=") || text.contains("> "));
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
        .find(|c| c.loc.start < first_catch.loc.start && !is_noise(c));
    Some(Retry {
        at: loc_at(cx, kw, body.end),
        header,
        bound,
        delay,
        call,
        sleep: sleeps.first().copied(),
    })
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
                p.contains("retr") || p.contains("attempt") || p.contains("tries")
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
    let wait_ok = dl.contains("exponential")
        || dl.contains("wait_random")
        || dl.contains("wait_chain")
        || dl.contains("wait_combine");
    let stop = dl.contains("stop");
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
    } else if dl.contains("wait") {
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
    })
}

fn report(cx: &Ctx, f: &Function, r: Retry) -> Option<Finding> {
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
    let problem = match r.sleep {
        Some(sl) if !matches!(r.delay, Delay::None) => {
            format!("{problem} (sleep at line {})", sl.loc.span.start_line)
        }
        _ => problem,
    };
    let what = match r.call {
        Some(c) => format!(" `{}` (line {})", c.callee, c.loc.span.start_line),
        None => String::new(),
    };
    let place = if f.name == "<module>" {
        String::new()
    } else {
        format!(" in `{}`", f.name)
    };
    let message = format!(
        "`{}` at line {line}{place} retries{what} and {problem}: when the dependency slows down under load, every client retries in step and multiplies its traffic (a retry storm).",
        r.header.lines().next().unwrap_or("").trim()
    );
    let fix = match r.bound {
        Bound::Unbounded => "Cap the attempts (e.g. 5, then raise) and sleep `random.uniform(0, min(30, base * 2 ** attempt))` between them (exponential backoff with full jitter); or use tenacity `@retry(wait=wait_random_exponential(max=30), stop=stop_after_attempt(5))`.".to_string(),
        _ => "Sleep `random.uniform(0, min(cap, base * 2 ** attempt))` (JS: `Math.random() * Math.min(cap, base * 2 ** attempt)`) between attempts, and re-raise after the last one; or use tenacity / backoff / p-retry.".to_string(),
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
            .filter_map(|body| loop_retry(cx, f, body))
            .collect();
        if found.is_empty() {
            found.extend(recursive_retry(cx, f));
        }
        found.extend(decorator_retry(cx, f));
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
    }
}
