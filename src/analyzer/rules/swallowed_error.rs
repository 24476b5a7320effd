//! # swallowed-error
//!
//! ## What it does
//! Flags a broad exception handler around I/O (a database, HTTP, cache or queue call, or a data
//! file loaded with pandas) that drops the error: `except: pass`, `except Exception: return None`,
//! `catch (e) {}`, `catch { return res.json({ ok: true }) }`, `.catch(() => {})`,
//! `catch (Exception e) {}`, with no log, no re-raise or throw, and no error response. In Go, where
//! errors are values: `if err != nil { return nil, nil }` (or a bare `return`, or `continue`) that
//! neither returns, logs nor answers with the error, `_ = err`, `rows, _ := db.Query(…)`, and
//! `db.Exec(…)` called as a statement. Narrow handlers (`except KeyError`,
//! `EmptyResultDataAccessException`, …), cache misses (`rdb.Get` errors), `Close()` results, and
//! handlers that log, re-raise, wrap (`fmt.Errorf("…: %w", err)`), pass the error on (`next(err)`)
//! or answer with an error status are left alone.
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
//! In SQL, a PL/pgSQL `EXCEPTION WHEN OTHERS THEN RETURN false` (or `NULL`) with no `RAISE`.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java, SQL (PL/pgSQL).

use super::queries::mentions;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Catch, Function, Loc, Op, OpKind, Target};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Evidence, Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "swallowed-error";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Swallowed error around I/O",
    what_it_does: "Flags a broad exception handler around a database, HTTP, cache or queue call (or a pandas read_csv) that drops the error: except: pass, except Exception: return None, catch (e) {}, catch { return res.json({ ok: true }) }, .catch(() => {}), catch (Exception e) {}, with no log, no re-raise or throw and no error response. In Go, where errors are values: if err != nil { return nil, nil } (or a bare return, or continue) that neither returns, logs nor answers with the error, _ = err, rows, _ := db.Query(…), and db.Exec(…) called as a statement. Narrow handlers (KeyError, EmptyResultDataAccessException, …), cache misses, Close() results, and handlers that log, re-raise, wrap the error, pass it on or answer with an error status are left alone. In PL/pgSQL: EXCEPTION WHEN OTHERS THEN with no RAISE (RETURN false, NULL, a default).",
    why_bad_at_scale: "At low load the I/O almost never fails, so the handler looks harmless. Under load the database runs out of connections, the provider times out, the queue rejects messages, and the handler turns each of those into a silent success or an empty result. Users lose data while every dashboard stays green, and there is no log line to tell what failed, when, or how often.",
    example: "try:\n    cur.execute(\"INSERT INTO orders (id, total) VALUES (%s, %s)\", (order_id, total))\n    conn.commit()\nexcept Exception:\n    pass\nreturn {\"ok\": True}",
    use_instead: "try:\n    cur.execute(\"INSERT INTO orders (id, total) VALUES (%s, %s)\", (order_id, total))\n    conn.commit()\nexcept psycopg2.Error:\n    conn.rollback()\n    logger.exception(\"order %s not saved\", order_id)\n    raise\n\nCatch what you expect and can handle; log the rest with its traceback and re-raise, or answer with a 5xx.",
    languages: &["python", "javascript", "typescript", "go", "java", "sql"],
};

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn has_word(text: &str, word: &str) -> bool {
    super::queries::mentions(text, word)
}

/// (is the handler broad, the bound error variable).
fn broad(language: Language, caught: &str) -> (bool, String) {
    let c = caught.trim();
    match language {
        Language::Python => {
            // `Exception as exc:  # noqa: BLE001`: the name is the identifier after `as`.
            let (types, var) = match c.split_once(" as ") {
                Some((t, v)) => (
                    t.trim(),
                    v.trim().chars().take_while(|ch| ident_char(*ch)).collect(),
                ),
                None => (c, String::new()),
            };
            let types = types.trim_matches(['(', ')']);
            // A client library's base error is every failure of that client: the database
            // down, the provider timing out (`SQLAlchemyError`, `stripe.error.StripeError`,
            // `requests.RequestException`, `psycopg2.Error`).
            let library_base = |t: &str| {
                let last = t.rsplit('.').next().unwrap_or(t);
                matches!(
                    last,
                    "SQLAlchemyError"
                        | "DBAPIError"
                        | "DatabaseError"
                        | "OperationalError"
                        | "StripeError"
                        | "RequestException"
                        | "HTTPError"
                        | "ClientError"
                        | "BotoCoreError"
                        | "RedisError"
                        | "PyMongoError"
                        // Every failure of the mail server (`smtplib.SMTPException`).
                        | "SMTPException"
                ) || last == "Error" && t.contains('.')
            };
            let is_broad = types.is_empty()
                || types.split(',').map(str::trim).any(|t| {
                    matches!(t, "Exception" | "BaseException" | "builtins.Exception")
                        || library_base(t)
                });
            (is_broad, var)
        }
        Language::Java => {
            // `final SQLException | DataAccessException e`: the types are all but the last word.
            let c = c.trim_start_matches("final ").trim();
            let (types, var) = match c.rsplit_once(char::is_whitespace) {
                Some((t, v)) if !t.trim().ends_with('|') => (t.trim(), v.trim().to_string()),
                _ => (c, String::new()),
            };
            // Checked I/O exceptions count too: `catch (SQLException e) {}` around JDBC is the
            // classic swallow. Narrow ones (`EmptyResultDataAccessException`, …) stay silent.
            let is_broad = types.split('|').any(|t| {
                matches!(
                    t.trim().rsplit('.').next().unwrap_or(""),
                    "Exception"
                        | "Throwable"
                        | "RuntimeException"
                        | "SQLException"
                        | "DataAccessException"
                        | "IOException"
                        | "RestClientException"
                        | "MessagingException"
                        | "MailException"
                        | "JMSException"
                        | "KafkaException"
                )
            });
            (is_broad, var)
        }
        _ => {
            let var: String = c.chars().take_while(|ch| ident_char(*ch)).collect();
            (true, var)
        }
    }
}

/// The handler says it keeps serving what it had (`pass  # keep serving the last known
/// flags`): a refresh that failed leaves the previous value in place, on purpose.
fn serves_last_known(body: &str) -> bool {
    let l = body.to_ascii_lowercase();
    [
        "last known",
        "last good",
        "keep serving",
        "serve stale",
        "stale copy",
        "previous value",
    ]
    .iter()
    .any(|k| l.has(k))
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
    if SIGNS.iter().any(|s| lower.has(s)) {
        return true;
    }
    // `return jsonify(...), 500` / `Response(..., 503)`
    if lower.has(", 50") || lower.has("(50") || lower.has(" 500") {
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
        Some(r) if r.trim_start_matches("return").trim().is_empty() => {
            "returns without an error".into()
        }
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

/// Go (database/sql, GORM, go-redis, AWS SDK) and Java (JDBC, Spring templates, JPA) calls,
/// compared in lower case.
const GO_JAVA_METHODS: [&str; 40] = [
    "queryrow",
    "querycontext",
    "queryrowcontext",
    "exec",
    "execcontext",
    "begin",
    "begintx",
    "do",
    "scan",
    "getobject",
    "putobject",
    "first",
    "take",
    "find",
    "save",
    "create",
    "delete",
    "updates",
    "executeupdate",
    "executequery",
    "executebatch",
    "queryforobject",
    "queryforlist",
    "queryformap",
    "batchupdate",
    "getforobject",
    "getforentity",
    "postforobject",
    "postforentity",
    "exchange",
    "convertandsend",
    "saveall",
    "findbyid",
    "deletebyid",
    "getconnection",
    "preparestatement",
    "block",
    "publish",
    "send",
    "sendmail",
];

const GO_JAVA_RECEIVERS: [&str; 16] = [
    // A mail sender (`h.Mailer.Send`, `mailSender.send`, `smtp.SendMail`) is a network call.
    "mailer",
    "mailsender",
    "smtp",
    "tx",
    "rdb",
    "template",
    "datasource",
    "stmt",
    "ps",
    "statement",
    "webclient",
    "em",
    "entitymanager",
    "gorm",
    "store",
    "sqs",
];

fn is_io(lang: Language, c: &Call) -> bool {
    if matches!(lang, Language::Go | Language::Java) && is_io_go_java(c) {
        return true;
    }
    is_io_common(c)
}

fn is_io_go_java(c: &Call) -> bool {
    let method = c.method.to_ascii_lowercase();
    let recv = c.receiver.to_ascii_lowercase();
    let root = recv
        .trim_start_matches("this.")
        .split(['.', '('])
        .next()
        .unwrap_or("")
        .to_string();
    let recv_io = IO_RECEIVERS
        .iter()
        .chain(GO_JAVA_RECEIVERS.iter())
        .any(|r| {
            root == *r
                || root.ends_with(r) && root.len() > r.len() && r.len() > 3
                || recv.has(&format!(".{r}."))
                || recv.ends_with(&format!(".{r}"))
        });
    let method_io = GO_JAVA_METHODS.contains(&method.as_str())
        || IO_METHODS.iter().any(|m| m.eq_ignore_ascii_case(&method));
    method_io && recv_io
        || matches!(
            method.as_str(),
            "execcontext" | "executeupdate" | "executequery" | "queryforobject" | "queryforlist"
        )
}

fn is_io_common(c: &Call) -> bool {
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
            || recv.has(&format!(".{r}"))
    });
    let method_io = IO_METHODS.contains(&c.method.as_str());
    method_io && (recv_io || c.callee.has(".objects."))
        || matches!(
            c.method.as_str(),
            "execute" | "executemany" | "commit" | "urlopen" | "fetchrow" | "fetchall" | "fetchone"
        )
        // Loading a data file: a bad file silently becomes no data.
        || matches!(c.receiver.as_str(), "pd" | "pandas")
            && matches!(c.method.as_str(), "read_csv" | "read_parquet" | "read_excel" | "read_json")
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

/// A read or write of a table, model, row or key: I/O, unlike a shared in-process map's.
fn store_op(o: &Op) -> bool {
    match &o.kind {
        OpKind::Read { target, .. } | OpKind::Write { target, .. } => {
            !matches!(target, Target::Map(_))
        }
        _ => false,
    }
}

fn io_in(cx: &Ctx, f: &Function, region: &Loc) -> Option<(String, Loc)> {
    // The calls in the region (of `f` and of callbacks nested in it), earliest first: an I/O
    // call, else a call named for a side effect on another system (`_send_receipt(…)`,
    // `notificationClient.sendBalanceChanged(…)`), whose failure is an I/O failure too.
    let mut inside: Vec<&Call> = cx
        .program
        .functions
        .iter()
        .flat_map(|g| g.calls.iter())
        .filter(|k| region.contains(&k.loc))
        .collect();
    inside.sort_by_key(|k| k.loc.start);
    if let Some(k) = inside
        .iter()
        .find(|k| is_io(cx.language, k))
        .or_else(|| inside.iter().find(|k| side_effect_name(&k.method)))
    {
        return Some((k.callee.clone(), k.loc));
    }
    // The snippet's own helper that does the I/O (`_issue_permit(obj)` writes the permit).
    let does_io =
        |g: &Function| g.calls.iter().any(|k| is_io(cx.language, k)) || g.ops.iter().any(store_op);
    if let Some(k) = inside.iter().find(|k| {
        (k.receiver.is_empty() || matches!(k.receiver.as_str(), "self" | "this"))
            && cx
                .function_named(&k.method)
                .is_some_and(|g| !std::ptr::eq(g, f) && does_io(g))
    }) {
        return Some((k.callee.clone(), k.loc));
    }
    f.ops
        .iter()
        .find(|o| region.contains(&o.loc) && store_op(o))
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

/// `send_receipt`, `sendBalanceChanged`, `notify`, `publishEvent`, `charge_card`, …
fn side_effect_name(method: &str) -> bool {
    const VERBS: [&str; 18] = [
        "send", "notify", "publish", "emit", "deliver", "email", "mail", "charge", "refund",
        "upload", "enqueue", "dispatch", "sync", "transfer", "payout", "capture", "withdraw",
        "debit",
    ];
    let m = method.trim_start_matches('_').to_ascii_lowercase();
    // A chat message posted (`side_chat.post_message(…)`, `postMessage`).
    if m.starts_with("post_message") || m.starts_with("postmessage") {
        return true;
    }
    VERBS.iter().any(|v| {
        m.strip_prefix(v).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with('_')
                || method.trim_start_matches('_')[v.len()..].starts_with(char::is_uppercase)
        })
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
    if cx.language == Language::Sql {
        plpgsql_others(cx, out);
        return;
    }
    if cx.language == Language::Go {
        go::check(cx, out, &mut lines);
        return;
    }
    for f in &cx.program.functions {
        for c in &f.catches {
            let (is_broad, var) = broad(cx.language, &c.caught);
            if !is_broad {
                continue;
            }
            let body = code_only(&c.body, cx.language);
            if handles(&body, &var)
                || handles_go_java(cx.language, &body)
                || in_retry_loop(cx, f, &c.loc, &catch_locs(f))
                || serves_last_known(&c.body)
            {
                continue;
            }
            let region = match (try_start(cx.source, c), c.try_block) {
                (Some(ts), _) => loc_of(cx, ts, c.loc.start),
                (None, Some(b)) => b,
                (None, None) => continue,
            };
            // A database or client exception caught says the block does that I/O, whatever
            // its calls are named (`rides.completeRide(…)` in `catch (DataAccessException e)`).
            let io_caught = [
                "DataAccessException",
                "SQLException",
                "RestClientException",
                "SQLAlchemyError",
                "StripeError",
            ]
            .iter()
            .any(|k| c.caught.has(k));
            let first_call = || {
                f.calls
                    .iter()
                    .filter(|k| region.contains(&k.loc))
                    .min_by_key(|k| k.loc.start)
                    // Cleanup on the way out (`c.rollback()`, `c.close()`) may fail quietly.
                    .filter(|k| !matches!(k.method.as_str(), "close" | "rollback" | "release"))
                    .map(|k| (k.callee.clone(), k.loc))
            };
            // An import loop that drops a record on any error (`catch (e) { continue; }`) and
            // then stores the rest: the lost records leave no trace.
            let skips_record = || {
                body.trim_matches(|ch: char| ch == '{' || ch == '}' || ch.is_whitespace())
                    .trim_end_matches(';')
                    == "continue"
                    && f.ops
                        .iter()
                        .any(|o| matches!(o.kind, OpKind::Write { .. }) && o.loc.start > c.loc.end)
            };
            let Some((io, io_loc)) = io_in(cx, f, &region).or_else(|| {
                if io_caught || skips_record() {
                    first_call()
                } else {
                    None
                }
            }) else {
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
                Language::Java => "Log it with its stack trace (`log.error(\"…\", e)`) and rethrow (or answer with a 5xx `ResponseEntity`); catch only the exceptions you can handle.".to_string(),
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
                .filter(|x| {
                    k.loc.contains(&x.loc) && x.loc != k.loc && is_io_or_promise(cx.language, x)
                })
                .min_by_key(|x| x.loc.start);
            let Some(inner) = inner else { continue };
            // Best-effort cleanup after a failure already handled: `client.query('ROLLBACK')
            // .catch(() => {})`, `conn.release().catch(…)`.
            let cleanup = inner.args_text().to_ascii_lowercase().has("rollback")
                || matches!(
                    inner.method.as_str(),
                    "release" | "close" | "end" | "destroy" | "disconnect" | "quit"
                );
            if cleanup {
                continue;
            }
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

fn catch_locs(f: &Function) -> Vec<Loc> {
    f.catches.iter().map(|c| c.loc).collect()
}

/// A handler inside a loop that exits on success (`return` / `break` outside the handlers) is
/// a retry: the error is retried, not dropped (retry-without-backoff judges the loop).
/// `handlers` are all error-handling regions of the function, in source order.
fn in_retry_loop(cx: &Ctx, f: &Function, handler: &Loc, handlers: &[Loc]) -> bool {
    // The innermost loop: a `continue` in a row loop nested in a page loop (`while (hasMore) {
    // … for (const row of rows) { try … catch { continue } } }`) skips a row, it retries nothing.
    let innermost = f
        .loops
        .iter()
        .filter(|l| l.contains(handler))
        .min_by_key(|l| l.end - l.start);
    innermost.into_iter().any(|l| {
        let mut outside = String::new();
        let mut pos = l.start;
        for h in handlers.iter().filter(|h| l.contains(h)) {
            if h.start >= pos {
                outside.push_str(cx.source.get(pos..h.start).unwrap_or(""));
                pos = h.end;
            }
        }
        outside.push_str(cx.source.get(pos..l.end).unwrap_or(""));
        // `while (!ok) { try { …; ok = res.ok } catch { ok = false } }`: the loop condition is
        // the success flag the body sets.
        let flag = f
            .loop_facts
            .iter()
            .find(|lf| lf.body == *l && lf.var.is_empty())
            .is_some_and(|lf| {
                f.assigns.iter().any(|a| {
                    l.contains(&a.loc) && a.names.iter().any(|n| mentions(&lf.iterable, n))
                })
            });
        flag || has_word(&outside, "return") || has_word(&outside, "break")
    })
}

fn is_io_or_promise(lang: Language, c: &Call) -> bool {
    let mut k = c.clone();
    k.awaited = false;
    is_io(lang, &k)
}

/// Go and Java ways of passing an error on or answering with an error status.
fn handles_go_java(lang: Language, body: &str) -> bool {
    if !matches!(lang, Language::Go | Language::Java) {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    const SIGNS: [&str; 19] = [
        "http.error(",
        // `http.NotFound(w, r)`, `ResponseEntity.notFound()`: an error answer.
        "notfound(",
        "panic(",
        "fatal",
        "abortwith",
        ".error(",
        "errorf(",
        "errors.new",
        "errors.join",
        "internal_server_error",
        "service_unavailable",
        "bad_gateway",
        "gateway_timeout",
        "internalservererror",
        "badrequest",
        "bad_request",
        "unprocessable",
        "problemdetail",
        "responsestatusexception",
    ];
    if SIGNS.iter().any(|s| lower.has(s)) {
        return true;
    }
    // A sentinel error returned instead (`return nil, ErrNotFound`, `errNoStock`).
    if body.split(|c: char| !ident_char(c)).any(|w| {
        w.len() > 3
            && (w.starts_with("Err")
                || w.starts_with("err") && w[3..].starts_with(|c: char| c.is_ascii_uppercase()))
    }) {
        return true;
    }
    // An error status written as a number: `c.JSON(404, …)`, `w.WriteHeader(500)`.
    for pat in ["JSON(", "String(", "Status(", "WriteHeader(", "status("] {
        for (i, _) in body.match_indices(pat) {
            let code: String = body[i + pat.len()..]
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if code.parse::<u16>().is_ok_and(|n| (400..600).contains(&n)) {
                return true;
            }
        }
    }
    // An error status: any `http.Status…` / `HttpStatus.…` but the success ones.
    for pat in ["http.Status", "HttpStatus."] {
        for (i, _) in body.match_indices(pat) {
            let name: String = body[i + pat.len()..]
                .chars()
                .take_while(|c| ident_char(*c))
                .collect();
            if !matches!(
                name.as_str(),
                "OK" | "Created" | "Accepted" | "NoContent" | "CREATED" | "ACCEPTED" | "NO_CONTENT"
            ) {
                return true;
            }
        }
    }
    false
}

/// PL/pgSQL `EXCEPTION WHEN OTHERS THEN RETURN false;`: every failure of the block (a
/// deadlock, a constraint, a full disk) becomes an ordinary answer, and the transaction's
/// work is rolled back without a word. A handler that raises (again, or a warning) or records
/// the error is left alone; narrower conditions (`unique_violation`) are handled on purpose.
fn plpgsql_others(cx: &Ctx, out: &mut Vec<Finding>) {
    let lower = cx.lower();
    for at in find::find_all(lower, "when others then") {
        // The block's EXCEPTION keyword sits shortly before (windows keep long files linear).
        let from = (at.saturating_sub(4096)..=at)
            .find(|i| lower.is_char_boundary(*i))
            .unwrap_or(at);
        if !lower[from..at].has("exception") {
            continue;
        }
        // The handler runs until the next condition or the block's END.
        let body_start = at + "when others then".len();
        let to = ((body_start + 4096).min(lower.len())..=lower.len())
            .find(|i| lower.is_char_boundary(*i))
            .unwrap_or(lower.len());
        let rest = &lower[body_start..to];
        let end = ["\n    when ", " when ", "end;", "end\n", "$$"]
            .iter()
            .filter_map(|k| rest.find(k))
            .min()
            .unwrap_or(rest.len());
        let body = &rest[..end];
        let code: String = body
            .lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        if [
            "raise",
            "sqlerrm",
            "sqlstate",
            "get stacked diagnostics",
            "insert into",
        ]
        .iter()
        .any(|k| code.has(k))
        {
            continue;
        }
        let action = if code.has("return") {
            let r = code.trim().trim_end_matches(';').trim();
            format!("answers `{r}`")
        } else if code.trim().is_empty() || code.has("null;") {
            "does nothing".to_string()
        } else {
            "carries on".to_string()
        };
        let loc = super::process_state::line_loc(cx, at);
        let line = loc.span.start_line;
        let mut params = BTreeMap::new();
        params.insert("caught".to_string(), "OTHERS".to_string());
        params.insert("action".to_string(), action.clone());
        out.push(finding(
            ID,
            Severity::Warning,
            &loc,
            format!("`EXCEPTION WHEN OTHERS` at line {line} {action} for every error of the block: a deadlock, a failed constraint or a lock timeout turns into an ordinary result, the block's writes are rolled back, and nothing records what failed."),
            "Catch only the condition you expect (`WHEN unique_violation THEN …`) and let the rest propagate; if you must catch OTHERS, `RAISE WARNING '…: %', SQLERRM` (or re-`RAISE`) so the failure is seen.".to_string(),
            vec![cx.evidence(&loc, "catch")],
            params,
        ));
    }
}

/// Go has no exceptions: errors are values, dropped by an `if err != nil` branch that neither
/// returns nor logs them, by `_ = err`, by a `_` in the error position of an I/O call, or by
/// calling `db.Exec(…)` as a statement.
mod go {
    use super::*;

    /// An `if <err> != nil { … }` branch: (error variable, body location).
    fn err_branch(cx: &Ctx, loc: &Loc) -> Option<(String, Loc)> {
        let text = cx.text(loc);
        let rest = text.strip_prefix("if")?;
        if rest.starts_with(ident_char) {
            return None;
        }
        // The block opens at the first `{` outside parentheses.
        let mut depth = 0i32;
        let mut open = None;
        for (i, ch) in rest.char_indices() {
            match ch {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    open = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let open = open?;
        let cond = rest[..open].rsplit(';').next()?.trim();
        let var = cond.strip_suffix("!= nil")?.trim();
        if var.is_empty()
            || !var.chars().all(ident_char)
            || !(var.ends_with("err") || var.ends_with("Err"))
        {
            return None;
        }
        let body_start = loc.start + 2 + open;
        let mut depth = 0i32;
        let mut end = None;
        for (i, ch) in cx.source.get(body_start..loc.end)?.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(body_start + i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = end?;
        Some((var.to_string(), loc_of(cx, body_start, end)))
    }

    /// The I/O call whose error `var` holds at `at`: the last assignment to it before.
    fn producer<'f>(cx: &Ctx, f: &'f Function, var: &str, at: usize) -> Option<&'f Call> {
        let a = f
            .assigns
            .iter()
            .filter(|a| a.loc.start < at && a.names.iter().any(|n| n == var))
            .max_by_key(|a| a.loc.start)?;
        io_call_in(cx, f, &a.loc)
    }

    fn io_call_in<'f>(cx: &Ctx, f: &'f Function, region: &Loc) -> Option<&'f Call> {
        let c = f
            .calls
            .iter()
            .filter(|c| region.contains(&c.loc) && is_io(cx.language, c))
            .min_by_key(|c| (c.loc.start, c.loc.end))?;
        // A cache read that fails is a miss on purpose (`rdb.Get(…)`, redis.Nil is an error).
        let cache_read = matches!(
            c.method.as_str(),
            "Get" | "HGet" | "HGetAll" | "MGet" | "Exists" | "TTL"
        ) && {
            let r = c.receiver.to_ascii_lowercase();
            r.has("redis") || r.has("rdb") || r.has("cache")
        };
        // `resp.Body.Close()` and friends: idiomatic to ignore.
        (!cache_read && c.method != "Close").then_some(c)
    }

    fn line_trimmed<'a>(cx: &'a Ctx, line: usize) -> &'a str {
        cx.lines.line_text(line).trim()
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        cx: &Ctx,
        out: &mut Vec<Finding>,
        lines: &mut Vec<usize>,
        f: &Function,
        at: &Loc,
        call: &Call,
        how: &str,
        what: String,
    ) {
        let line = at.span.start_line;
        if lines.contains(&line) {
            return;
        }
        lines.push(line);
        let place = if f.name == "<module>" {
            String::new()
        } else {
            format!(" in `{}`", f.name)
        };
        let code = line_trimmed(cx, line).trim_end_matches('{').trim();
        let code = if code.chars().count() > 72 {
            format!("{}…", code.chars().take(70).collect::<String>())
        } else {
            code.to_string()
        };
        let message = format!(
            "`{code}` at line {line}{place} {how} `{}` (line {}) and {what}: no log, no returned error, no error response. When the database or the upstream fails under load, callers see success and nobody sees the failure.",
            call.callee,
            call.loc.span.start_line
        );
        let fix = if f.handler_hint || f.is_handler() && cx.language != Language::Go {
            "Log the error and answer with a 5xx: `log.Printf(\"…: %v\", err); http.Error(w, \"unavailable\", http.StatusServiceUnavailable); return`."
        } else {
            "Return the error to the caller, wrapped with context: `return nil, fmt.Errorf(\"…: %w\", err)`; check every error result instead of assigning it to `_`."
        };
        let mut params = BTreeMap::new();
        params.insert("caught".to_string(), "error value".to_string());
        params.insert("call".to_string(), call.callee.clone());
        params.insert("action".to_string(), what);
        out.push(finding(
            ID,
            Severity::Warning,
            at,
            message,
            fix.to_string(),
            vec![cx.evidence(at, "catch"), cx.evidence(&call.loc, "call")],
            params,
        ));
    }

    pub(super) fn check(cx: &Ctx, out: &mut Vec<Finding>, lines: &mut Vec<usize>) {
        for f in &cx.program.functions {
            let branches: Vec<(String, Loc, Loc)> = f
                .ops
                .iter()
                .filter(|o| matches!(o.kind, OpKind::Branch))
                .filter_map(|o| err_branch(cx, &o.loc).map(|(v, b)| (v, b, o.loc)))
                .collect();
            let bodies: Vec<Loc> = branches.iter().map(|b| b.1).collect();
            for (var, body_loc, whole) in &branches {
                let body = code_only(cx.text(body_loc), cx.language);
                // A branch that leaves the loop (`return out, nil`) is not the retry's.
                if handles(&body, var)
                    || handles_go_java(cx.language, &body)
                    || in_retry_loop(cx, f, body_loc, &bodies) && !has_word(&body, "return")
                {
                    continue;
                }
                // Answering success to a failure (`w.WriteHeader(http.StatusOK); return` after a
                // payload that does not parse): the sender will not retry, and no one is told.
                let acks = [
                    "StatusOK",
                    "StatusAccepted",
                    "StatusNoContent",
                    "WriteHeader(200)",
                ]
                .iter()
                .any(|k| body.has(k));
                let Some(call) = producer(cx, f, var, body_loc.start).or_else(|| {
                    let a = f
                        .assigns
                        .iter()
                        .filter(|a| {
                            a.loc.start < body_loc.start && a.names.iter().any(|n| n == var)
                        })
                        .max_by_key(|a| a.loc.start)?;
                    // `if err := d.billing.RecordSession(…); err != nil { /* a comment */ }`: an
                    // empty branch drops the error of whatever call it was; a bare `continue`
                    // after a row scan or decode drops the row without a word.
                    let inner = body
                        .trim()
                        .trim_start_matches('{')
                        .trim_end_matches('}')
                        .trim();
                    let skips = inner == "continue";
                    // `return map[string]float64{}, nil` after a decode fails: an empty answer
                    // handed back as a success.
                    let empty_success = inner.starts_with("return ")
                        && inner.ends_with(", nil")
                        && !mentions(inner, var);
                    let reads_row = |c: &Call| {
                        matches!(
                            c.method.as_str(),
                            "Scan" | "StructScan" | "MapScan" | "Unmarshal" | "Decode"
                        )
                    };
                    // `if err := j.printLabels(ctx, p, m); err != nil { continue }`: a helper of
                    // the snippet's own that does I/O, its failure skipped without a word.
                    let own_io = |c: &Call| {
                        cx.function_named(&c.method)
                            .is_some_and(|g| g.calls.iter().any(|d| is_io(cx.language, d)))
                    };
                    f.calls
                        .iter()
                        .filter(|c| {
                            (acks
                                || inner.is_empty()
                                || (skips || empty_success) && reads_row(c)
                                || skips && own_io(c))
                                && a.loc.contains(&c.loc)
                        })
                        .min_by_key(|c| c.loc.start)
                }) else {
                    continue;
                };
                push(
                    cx,
                    out,
                    lines,
                    f,
                    whole,
                    call,
                    &format!("catches the error `{var}` of"),
                    action(&body),
                );
            }
            for a in &f.assigns {
                let target: Vec<&str> = a.target.split(',').map(str::trim).collect();
                if target.last() != Some(&"_") {
                    continue;
                }
                let value = a.value.trim();
                // `_ = err`
                if target.len() == 1 && value.chars().all(ident_char) {
                    if !(value.ends_with("err") || value.ends_with("Err")) {
                        continue;
                    }
                    if let Some(call) = producer(cx, f, value, a.loc.start) {
                        push(
                            cx,
                            out,
                            lines,
                            f,
                            &a.loc,
                            call,
                            &format!("discards the error `{value}` of"),
                            "carries on as if it had worked".to_string(),
                        );
                    }
                    continue;
                }
                // `rows, _ := db.Query(…)`, `_ = tx.Commit()`: the value is the I/O call itself.
                let Some(call) = f
                    .calls
                    .iter()
                    .filter(|c| a.loc.contains(&c.loc) && cx.text(&c.loc).trim() == value)
                    .find(|c| is_io(cx.language, c))
                else {
                    continue;
                };
                // Name the innermost call of a chain (`db.QueryRow` of `db.QueryRow(…).Scan`).
                let Some(call) = io_call_in(cx, f, &call.loc) else {
                    continue;
                };
                push(
                    cx,
                    out,
                    lines,
                    f,
                    &a.loc,
                    call,
                    "throws away the error result of",
                    "carries on as if it had worked".to_string(),
                );
            }
            // `db.Exec(…)` / `tx.Commit()` / `db.Create(&order)` as a statement.
            for c in &f.calls {
                let stmt_like = matches!(c.method.as_str(), "Exec" | "ExecContext" | "Commit")
                    || matches!(c.method.as_str(), "Create" | "Save")
                        && c.args.first().is_some_and(|a| a.text.starts_with('&'));
                if !stmt_like || !is_io(cx.language, c) {
                    continue;
                }
                let before = cx.source.get(..c.loc.start).unwrap_or("");
                let starts_line = before
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty());
                let after = cx.source.get(c.loc.end..).unwrap_or("");
                let ends_stmt = after
                    .chars()
                    .find(|ch| *ch != ' ' && *ch != '\t')
                    .is_none_or(|ch| matches!(ch, '\n' | '\r' | ';' | '}'));
                if !starts_line || !ends_stmt || in_logged_error_branch(before) {
                    continue;
                }
                push(
                    cx,
                    out,
                    lines,
                    f,
                    &c.loc,
                    c,
                    "ignores the error returned by",
                    "carries on as if it had worked".to_string(),
                );
            }
        }
    }
}

/// The text before a statement ends inside `if err != nil {` after the first error was logged:
/// a best-effort cleanup there (`db.Exec("UPDATE jobs SET status = 'failed'…")`) has nothing
/// left to report to.
fn in_logged_error_branch(before: &str) -> bool {
    let mut logged = false;
    for line in before.lines().rev().skip(1).take(6) {
        let t = line.trim();
        if t.ends_with('{') {
            return logged && t.starts_with("if ") && t.has("err != nil");
        }
        if t.starts_with('}') {
            return false;
        }
        logged |= ["log.", "slog.", "logger.", "Logger."]
            .iter()
            .any(|k| t.starts_with(k) || t.has(&format!(".{k}")));
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::analyzer::Language;

    fn hits(src: &str, lang: Language) -> usize {
        crate::analyzer::rules::count_findings(src, lang, super::ID)
    }

    #[test]
    fn go_sentinel_errors_and_discarded_err() {
        let go = "package s\n\nfunc (s *Store) Load(id int) (*Row, error) {\n\tr, err := s.db.Query(\"SELECT * FROM t WHERE id = $1\", id)\n\tif err != nil {\n\t\treturn nil, ErrUnavailable\n\t}\n\treturn scan(r), nil\n}\n";
        assert_eq!(hits(go, Language::Go), 0);
        let discarded = go.replace("\t\treturn nil, ErrUnavailable\n", "\t\t_ = err\n");
        assert_eq!(hits(&discarded, Language::Go), 1);
    }

    #[test]
    fn go_cleanup_after_a_logged_error_is_not_swallowing() {
        let go = "package s\n\nfunc (s *Svc) Run(ctx context.Context, id int64) {\n\tif err := s.work(ctx, id); err != nil {\n\t\tslog.Error(\"work failed\", \"err\", err)\n\t\ts.DB.ExecContext(ctx, `UPDATE jobs SET status = 'failed' WHERE id = $1`, id)\n\t}\n}\n";
        assert_eq!(hits(go, Language::Go), 0);
        let unlogged = go.replace("\t\tslog.Error(\"work failed\", \"err\", err)\n", "");
        assert_eq!(hits(&unlogged, Language::Go), 1);
    }

    #[test]
    fn java_multi_catch_and_final() {
        let java = "class R {\n  void save(Order o) {\n    try {\n      jdbcTemplate.update(\"UPDATE orders SET total = ? WHERE id = ?\", o.total(), o.id());\n    } catch (final SQLException | DataAccessException ex) {\n    }\n  }\n}\n";
        assert_eq!(hits(java, Language::Java), 1);
        let narrow = java.replace(
            "SQLException | DataAccessException",
            "EmptyResultDataAccessException",
        );
        assert_eq!(hits(&narrow, Language::Java), 0);
    }
}
