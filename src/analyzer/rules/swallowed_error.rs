//! # swallowed-error
//!
//! ## What it does
//! Flags a broad exception handler around I/O (a database, HTTP, cache or queue call) that
//! drops the error: `except: pass`, `except Exception: return None`, `catch (e) {}`,
//! `catch { return res.json({ ok: true }) }`, `.catch(() => {})`, with no log, no re-raise or
//! throw, and no error response. Narrow handlers (`except KeyError`, `except ValueError`, …)
//! and handlers that log, re-raise, pass the error on (`next(err)`) or answer with an error
//! status are left alone.
//!
//! ## Why is this bad at scale
//! At low load the I/O almost never fails, so the handler looks harmless. Under load the
//! database runs out of connections, the payment provider times out, the queue rejects
//! messages: the handler turns each of those into a silent success or an empty result. Users
//! lose data while every dashboard stays green, and when someone finally notices there is no
//! log line to tell what failed, when, or how often.
//!
//! ## Example
//! ```python
//! try:
//!     cur.execute("INSERT INTO orders (id, total) VALUES (%s, %s)", (order_id, total))
//!     conn.commit()
//! except Exception:
//!     pass
//! return {"ok": True}
//! ```
//!
//! ## Use instead
//! ```python
//! try:
//!     cur.execute("INSERT INTO orders (id, total) VALUES (%s, %s)", (order_id, total))
//!     conn.commit()
//! except psycopg2.Error:
//!     conn.rollback()
//!     logger.exception("order %s not saved", order_id)
//!     raise
//! ```
//! Catch what you expect and can handle; log the rest with its traceback and re-raise, or
//! answer with a 5xx so the caller (and your monitoring) knows.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Java.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Catch, Function, Loc, OpKind, Target};
use crate::analyzer::{Evidence, Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "swallowed-error";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Swallowed error around I/O",
    what_it_does: "Flags a broad exception handler around a database, HTTP, cache or queue call that drops the error: except: pass, except Exception: return None, catch (e) {}, catch { return res.json({ ok: true }) }, .catch(() => {}), with no log, no re-raise or throw and no error response. Narrow handlers (KeyError, ValueError, …) and handlers that log, re-raise, pass the error on or answer with an error status are left alone.",
    why_bad_at_scale: "At low load the I/O almost never fails, so the handler looks harmless. Under load the database runs out of connections, the provider times out, the queue rejects messages, and the handler turns each of those into a silent success or an empty result. Users lose data while every dashboard stays green, and there is no log line to tell what failed, when, or how often.",
    example: "try:\n    cur.execute(\"INSERT INTO orders (id, total) VALUES (%s, %s)\", (order_id, total))\n    conn.commit()\nexcept Exception:\n    pass\nreturn {\"ok\": True}",
    use_instead: "try:\n    cur.execute(\"INSERT INTO orders (id, total) VALUES (%s, %s)\", (order_id, total))\n    conn.commit()\nexcept psycopg2.Error:\n    conn.rollback()\n    logger.exception(\"order %s not saved\", order_id)\n    raise\n\nCatch what you expect and can handle; log the rest with its traceback and re-raise, or answer with a 5xx.",
    languages: &["python", "javascript", "typescript", "java"],
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

/// (is the handler broad, the bound error variable).
fn broad(language: Language, caught: &str) -> (bool, String) {
    let c = caught.trim();
    match language {
        Language::Python => {
            let (types, var) = match c.split_once(" as ") {
                Some((t, v)) => (t.trim(), v.trim().to_string()),
                None => (c, String::new()),
            };
            let types = types.trim_matches(['(', ')']);
            let is_broad = types.is_empty()
                || types
                    .split(',')
                    .map(str::trim)
                    .any(|t| matches!(t, "Exception" | "BaseException" | "builtins.Exception"));
            (is_broad, var)
        }
        Language::Java => {
            let mut parts = c.split_whitespace();
            let ty = parts.next().unwrap_or("");
            let var = parts.last().unwrap_or("").to_string();
            let is_broad = ty
                .split('|')
                .any(|t| matches!(t.trim(), "Exception" | "Throwable" | "RuntimeException"));
            (is_broad, var)
        }
        _ => {
            let var: String = c.chars().take_while(|ch| ident_char(*ch)).collect();
            (true, var)
        }
    }
}

/// Strips `#` / `//` comments so "// log this later" does not count as logging.
fn code_only(body: &str, language: Language) -> String {
    body.lines()
        .map(|l| {
            let cut = match language {
                Language::Python => l.find('#'),
                _ => l.find("//"),
            };
            match cut {
                Some(i) => &l[..i],
                None => l,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The handler does something with the error.
fn handles(body: &str, var: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    const SIGNS: [&str; 30] = [
        "raise",
        "throw",
        "log",
        "console.",
        "print",
        "sentry",
        "capture_exception",
        "captureexception",
        "capturemessage",
        "report",
        "traceback",
        "warn",
        "next(",
        "reject(",
        "abort(",
        "httpexception",
        "status_code=5",
        "status(5",
        "status: 5",
        "status=5",
        "status(4",
        "status: 4",
        "status=4",
        "sys.exit",
        "process.exit",
        "messages.error",
        "flash(",
        "emit(",
        "alert",
        "error_response",
    ];
    if SIGNS.iter().any(|s| lower.contains(s)) {
        return true;
    }
    // `return jsonify(...), 500` / `Response(..., 503)`
    if lower.contains(", 50") || lower.contains("(50") || lower.contains(" 500") {
        return true;
    }
    !var.is_empty() && var != "_" && has_word(body, var)
}

/// What the handler does instead, for the message.
fn action(body: &str) -> String {
    let t = body.trim();
    let t = match t.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        Some(inner) => inner.trim(),
        None => t,
    };
    if t.is_empty() {
        return "does nothing with it".into();
    }
    let first = t
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first == "pass" || first == "pass;" {
        return "passes".into();
    }
    if first.starts_with("continue") {
        return "continues".into();
    }
    let ret = t
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("return"))
        .map(|l| l.trim_end_matches(';').to_string());
    match ret {
        Some(r) if r.chars().count() <= 60 => {
            format!("returns `{}`", r.trim_start_matches("return").trim())
        }
        Some(_) => "returns as if it had worked".into(),
        None => "carries on as if it had worked".into(),
    }
}

const IO_METHODS: [&str; 52] = [
    "execute",
    "executemany",
    "fetch",
    "fetchone",
    "fetchall",
    "fetchrow",
    "fetchval",
    "query",
    "commit",
    "save",
    "create",
    "update",
    "delete",
    "insert",
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "delete_one",
    "find",
    "find_one",
    "findOne",
    "findMany",
    "findUnique",
    "findFirst",
    "findAll",
    "findByPk",
    "upsert",
    "bulk_create",
    "send",
    "send_message",
    "sendMessage",
    "publish",
    "connect",
    "urlopen",
    "request",
    "post",
    "put",
    "patch",
    "get",
    "set",
    "hset",
    "lpush",
    "rpush",
    "xadd",
    "enqueue",
    "delay",
    "apply_async",
    "put_object",
    "upload_file",
    "add",
    "flush",
];

const IO_RECEIVERS: [&str; 30] = [
    "db",
    "conn",
    "connection",
    "cursor",
    "cur",
    "session",
    "pool",
    "client",
    "redis",
    "cache",
    "requests",
    "httpx",
    "axios",
    "http",
    "prisma",
    "knex",
    "mongo",
    "collection",
    "queue",
    "producer",
    "channel",
    "s3",
    "sqs",
    "sns",
    "stripe",
    "api",
    "objects",
    "repo",
    "repository",
    "supabase",
];

fn is_io(c: &Call) -> bool {
    if c.awaited {
        return true;
    }
    if matches!(c.callee.as_str(), "fetch" | "urlopen" | "got" | "axios") {
        return true;
    }
    let recv = c.receiver.to_ascii_lowercase();
    let root = recv
        .trim_start_matches("self.")
        .trim_start_matches("this.")
        .split(['.', '('])
        .next()
        .unwrap_or("")
        .to_string();
    let recv_io = IO_RECEIVERS.iter().any(|r| {
        root == *r
            || root.ends_with(&format!("_{r}"))
            || root.ends_with(r) && root.len() > r.len() && r.len() > 3
            || recv.contains(&format!(".{r}"))
    });
    let method_io = IO_METHODS.contains(&c.method.as_str());
    method_io && (recv_io || c.callee.contains(".objects."))
        || matches!(
            c.method.as_str(),
            "execute" | "executemany" | "commit" | "urlopen" | "fetchrow" | "fetchall" | "fetchone"
        )
}

/// Byte offset of the `try` that `c` belongs to.
fn try_start(src: &str, c: &Catch) -> Option<usize> {
    let at = c.loc.start;
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let catch_line = &src[line_start..];
    let indent = catch_line.len() - catch_line.trim_start().len();
    // `try { … } catch (e) { }` on one line.
    if let Some(i) = src[line_start..at].find("try") {
        return Some(line_start + i);
    }
    let mut end = line_start;
    let mut steps = 0;
    while end > 0 && steps < 400 {
        steps += 1;
        let prev_end = end - 1; // the '\n' before `end`
        let start = src[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        let line = &src[start..prev_end];
        let t = line.trim_start();
        let ind = line.len() - t.len();
        if !t.is_empty() {
            if ind == indent
                && t.starts_with("try")
                && !t[3..].chars().next().is_some_and(ident_char)
            {
                return Some(start + ind);
            }
            if ind < indent {
                return None;
            }
        }
        end = start;
    }
    None
}

fn loc_of(cx: &Ctx, start: usize, end: usize) -> Loc {
    Loc {
        start,
        end,
        span: cx.lines.span(start, end),
    }
}

fn io_in(cx: &Ctx, f: &Function, region: &Loc) -> Option<(String, Loc)> {
    let call = cx
        .program
        .functions
        .iter()
        .flat_map(|g| g.calls.iter())
        .filter(|k| region.contains(&k.loc) && is_io(k))
        .min_by_key(|k| k.loc.start);
    if let Some(k) = call {
        return Some((k.callee.clone(), k.loc));
    }
    f.ops
        .iter()
        .find(|o| {
            region.contains(&o.loc)
                && match &o.kind {
                    OpKind::Read { target, .. } | OpKind::Write { target, .. } => {
                        !matches!(target, Target::Map(_))
                    }
                    _ => false,
                }
        })
        .map(|o| {
            (
                cx.text(&o.loc)
                    .split('(')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                o.loc,
            )
        })
}

fn empty_callback(arg: &str) -> bool {
    let a: String = arg.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((params, body)) = a.split_once("=>") else {
        return a == "function(){}" || a.starts_with("function(") && a.ends_with("){}");
    };
    let _ = params;
    matches!(
        body,
        "{}" | "null"
            | "undefined"
            | "[]"
            | "({})"
            | "false"
            | "true"
            | "0"
            | "''"
            | "\"\""
            | "{returnnull;}"
            | "{return;}"
    )
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut lines = Vec::new();
    for f in &cx.program.functions {
        for c in &f.catches {
            let (is_broad, var) = broad(cx.language, &c.caught);
            if !is_broad {
                continue;
            }
            let body = code_only(&c.body, cx.language);
            if handles(&body, &var) || in_retry_loop(cx, f, c) {
                continue;
            }
            let Some(ts) = try_start(cx.source, c) else {
                continue;
            };
            let region = loc_of(cx, ts, c.loc.start);
            let Some((io, io_loc)) = io_in(cx, f, &region) else {
                continue;
            };
            let line = c.loc.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            lines.push(line);
            let header = cx
                .lines
                .line_text(line)
                .trim()
                .trim_start_matches('}')
                .trim()
                .trim_end_matches('{')
                .trim()
                .to_string();
            let what = action(&c.body);
            let place = if f.name == "<module>" {
                String::new()
            } else {
                format!(" in `{}`", f.name)
            };
            let message = format!(
                "`{header}` at line {line}{place} catches every error from `{io}` (line {}) and {what}: no log, no re-raise, no error response. When the connection or the upstream fails under load, callers see success and nobody sees the failure.",
                io_loc.span.start_line
            );
            let fix = match cx.language {
                Language::Python => "Catch the specific error you can handle; otherwise `logger.exception(...)` and `raise` (or return a 5xx).".to_string(),
                _ => "Log the error (`logger.error({ err }, ...)` / `console.error`) and rethrow it, or answer with a 5xx (`res.status(503)`); catch only what you can handle.".to_string(),
            };
            let ev = |loc: &Loc, role: &str| Evidence {
                line: loc.span.start_line,
                column: loc.span.start_col,
                role: role.to_string(),
                code: cx.lines.line_text(loc.span.start_line).trim().to_string(),
            };
            let evidence = vec![ev(&c.loc, "catch"), ev(&io_loc, "call")];
            let mut params = BTreeMap::new();
            params.insert(
                "caught".to_string(),
                if c.caught.is_empty() {
                    "everything".to_string()
                } else {
                    c.caught.clone()
                },
            );
            params.insert("call".to_string(), io);
            params.insert("action".to_string(), what);
            out.push(finding(
                ID,
                Severity::Warning,
                &c.loc,
                message,
                fix,
                evidence,
                params,
            ));
        }
        // Promise chains: db.query(...).catch(() => {})
        if cx.language == Language::Python {
            continue;
        }
        for k in &f.calls {
            if k.method != "catch" || k.args.len() != 1 || !empty_callback(&k.args[0].text) {
                continue;
            }
            let inner = cx
                .program
                .functions
                .iter()
                .flat_map(|g| g.calls.iter())
                .filter(|x| k.loc.contains(&x.loc) && x.loc != k.loc && is_io_or_promise(x))
                .min_by_key(|x| x.loc.start);
            let Some(inner) = inner else { continue };
            let line = k.loc.span.start_line;
            let catch_line = cx
                .source
                .get(k.loc.start..k.loc.end)
                .and_then(|t| t.rfind(".catch"))
                .map(|i| loc_of(cx, k.loc.start + i, k.loc.end))
                .unwrap_or(k.loc);
            let cl = catch_line.span.start_line;
            if lines.contains(&cl) {
                continue;
            }
            lines.push(cl);
            let _ = line;
            let message = format!(
                "`.catch({})` at line {cl} drops every error from `{}` (line {}): no log, no rethrow. When the database or upstream fails under load, this fails silently.",
                k.args[0].text.trim(),
                inner.callee,
                inner.loc.span.start_line
            );
            let mut params = BTreeMap::new();
            params.insert("caught".to_string(), "everything".to_string());
            params.insert("call".to_string(), inner.callee.clone());
            params.insert("action".to_string(), "ignores".to_string());
            let evidence = vec![
                Evidence {
                    line: cl,
                    column: catch_line.span.start_col,
                    role: "catch".into(),
                    code: cx.lines.line_text(cl).trim().to_string(),
                },
                Evidence {
                    line: inner.loc.span.start_line,
                    column: inner.loc.span.start_col,
                    role: "call".into(),
                    code: cx
                        .lines
                        .line_text(inner.loc.span.start_line)
                        .trim()
                        .to_string(),
                },
            ];
            out.push(finding(
                ID,
                Severity::Warning,
                &catch_line,
                message,
                "Log and rethrow: `.catch((err) => { logger.error({ err }, \"…\"); throw err; })`, or handle the specific failure you expect.".to_string(),
                evidence,
                params,
            ));
        }
    }
}

/// A catch inside a loop that exits on success (`return` / `break` outside the handlers) is
/// a retry: the error is retried, not dropped (retry-without-backoff judges the loop).
fn in_retry_loop(cx: &Ctx, f: &Function, c: &Catch) -> bool {
    f.loops.iter().filter(|l| l.contains(&c.loc)).any(|l| {
        let mut outside = String::new();
        let mut pos = l.start;
        for h in f.catches.iter().filter(|h| l.contains(&h.loc)) {
            if h.loc.start >= pos {
                outside.push_str(cx.source.get(pos..h.loc.start).unwrap_or(""));
                pos = h.loc.end;
            }
        }
        outside.push_str(cx.source.get(pos..l.end).unwrap_or(""));
        has_word(&outside, "return") || has_word(&outside, "break")
    })
}

fn is_io_or_promise(c: &Call) -> bool {
    let mut k = c.clone();
    k.awaited = false;
    is_io(&k)
}
