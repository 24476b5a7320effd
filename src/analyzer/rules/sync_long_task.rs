//! # sync-long-task
//!
//! ## What it does
//! Flags a request handler that does minutes of work before it answers: video or image
//! processing (`ffmpeg`, moviepy, OpenCV, Pillow/sharp over many files), builds and other
//! heavy tools run with `subprocess.run` / `execSync`, ML training (`model.fit`,
//! `trainer.train()`, epoch loops), LLM calls in a loop, report or export generation (CSV,
//! Excel, PDF) over every row of a table, a call per item paced with a sleep for a rate
//! limit (`fetchDay(d)` then `time.Sleep(400 * time.Millisecond)` for each day of a range),
//! a loop that waits for something outside to change (`while (!runners.isFinished(id)) {
//! Thread.sleep(2000); }`), and long sleeps (`time.sleep(30)`, `await asyncio.sleep(10)`,
//! `setTimeout` of 10 000 ms), and a request the handler waits on that its own limit allows
//! minutes (`requests.post(…, timeout=600)`, `HttpRequest… .timeout(Duration.ofMinutes(8))`),
//! and work the snippet's own words size: a call given minutes by its options (`solver.solve(…,
//! { timeLimitSeconds: 240 })`), a handler whose documentation says a run takes "roughly six to
//! eight minutes", a loop whose comments count "300-600 frames" or "~30 MB each".
//! Silent when the handler hands the work to a queue (Celery
//! `.delay` / `.apply_async`, RQ `enqueue`, FastAPI `BackgroundTasks.add_task`, BullMQ
//! `queue.add`, SQS `send_message`) or streams a generator's output
//! (`StreamingResponse(gen())`), and for the same code in workers and tasks. A PDF piped to
//! the response (`doc.pipe(res)`) while a page is added per row still holds the request for
//! every page. Go: `exec.Command("ffmpeg", …).Run()`,
//! long `time.Sleep`, CSV rows written over an unbounded query, in functions with a handler
//! signature (a worker taking `ctx context.Context` is not a handler); a worker channel,
//! asynq `Enqueue`, `go func()` or `StatusAccepted` is the offload. Java: `@…Mapping` methods
//! running `ProcessBuilder`/`Runtime.exec` + `waitFor()`, `Thread.sleep`, CSV/POI rows over
//! `repo.findAll()`, LLM calls per item; `@Async` services, executors and
//! `ResponseEntity.accepted()` are the offload. TypeScript: also Nest `@Post(…)` methods.
//!
//! ## Why is this bad at scale
//! The gateway in front of the app (a load balancer, nginx, API Gateway, Heroku's router)
//! cuts a request after about 30 seconds and answers 504, while the worker keeps going; the
//! user clicks again and starts a second copy. Each running request also holds a worker
//! process or thread: a handful of people exporting at once leaves none for anyone else.
//!
//! ## Example
//! ```python
//! @app.post("/videos/<vid>/transcode")
//! def transcode(vid):
//!     subprocess.run(["ffmpeg", "-i", src(vid), "-vf", "scale=1280:-2", dst(vid)], check=True)
//!     return {"status": "done"}
//! ```
//!
//! ## Use instead
//! Enqueue the work and answer at once with where to poll:
//! ```python
//! @app.post("/videos/<vid>/transcode")
//! def transcode(vid):
//!     job = transcode_video.delay(vid)          # Celery / RQ / a jobs table
//!     return {"job": job.id, "status_url": f"/jobs/{job.id}"}, 202
//! ```
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::{eval_product, fn_text, line_loc};
use super::queries::{classify, in_handler, Query};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::cell::OnceCell;
use std::collections::BTreeMap;

pub const ID: &str = "sync-long-task";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Long work done inside the request",
    what_it_does: "Flags a request handler that does minutes of work before answering: video/image processing (ffmpeg, moviepy, OpenCV, Pillow/sharp over many files), builds and heavy tools via subprocess.run / execSync, ML training, LLM calls in a loop, a call per item paced with a sleep (a rate-limited API walked day by day or player by player), CSV/Excel/PDF exports over every row (a PDF page per row even when piped to the response), a loop that polls until something outside changes, long sleeps, an HTTP call whose own timeout allows two minutes or more, a call given minutes to run by its own options (timeLimitSeconds: 240), a handler whose documentation says a run takes minutes, a loop whose comments count hundreds of items or size them in tens of MB. Go (exec.Command + Run, time.Sleep, CSV over all rows) and Java (ProcessBuilder + waitFor, Thread.sleep, CSV/POI over findAll(), LLM per item) handlers too. Silent when the handler enqueues the work (Celery .delay/.apply_async, RQ enqueue, BackgroundTasks.add_task, BullMQ queue.add, SQS send_message, a Go worker channel or asynq Enqueue, Java @Async or a TaskExecutor, 202 Accepted) or streams a generator's output, and in workers and tasks.",
    why_bad_at_scale: "The gateway in front of the app cuts a request after about 30 s and answers 504 while the worker keeps going; the user clicks again and starts a second copy. Each running request also holds a worker: a handful of people exporting at once leaves none for anyone else.",
    example: "@app.post(\"/videos/<vid>/transcode\")\ndef transcode(vid):\n    subprocess.run([\"ffmpeg\", \"-i\", src(vid), \"-vf\", \"scale=1280:-2\", dst(vid)], check=True)\n    return {\"status\": \"done\"}",
    use_instead: "@app.post(\"/videos/<vid>/transcode\")\ndef transcode(vid):\n    job = transcode_video.delay(vid)          # Celery / RQ / a jobs table\n    return {\"job\": job.id, \"status_url\": f\"/jobs/{job.id}\"}, 202",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// Tools that take seconds to minutes per run.
const HEAVY_TOOLS: [&str; 24] = [
    "ffmpeg",
    // 3D-print slicers (PrusaSlicer, CuraEngine, `SLICER_BIN`).
    "slicer",
    "ffprobe",
    "magick",
    "convert ",
    "\"convert\"",
    "'convert'",
    "libreoffice",
    "soffice",
    "pandoc",
    "pdflatex",
    "xelatex",
    "wkhtmltopdf",
    "blender",
    "docker",
    "npm run",
    "npm install",
    "yarn build",
    "\"make\"",
    "make ",
    "gradle",
    "mvn",
    "terraform",
    "git clone",
];

/// The handler hands the work off or streams its answer.
fn offloads(text: &str) -> bool {
    [
        ".delay(",
        ".apply_async(",
        ".enqueue(",
        "enqueue_call(",
        ".add_task(",
        "background_tasks",
        "BackgroundTasks",
        ".send_task(",
        "SendMessageCommand",
        ".publish(",
        "create_task(",
        "stream_with_context",
        "StreamingHttpResponse",
        "status_code=202",
        "status(202)",
        ", 202",
        "HTTP_202",
        "Accepted",
        "Thread(",
        "executor.submit(",
        "run_in_executor(",
        "setImmediate(",
        // Go: a worker channel / asynq / a goroutine, 202 Accepted
        ".Enqueue(",
        "go func(",
        // Java: @Async services, executors, 202 (`HttpStatus.ACCEPTED`; a status string
        // `"ACCEPTED"` the code compares with is not an answer)
        ".ACCEPTED",
        ".accepted()",
        "runAsync(",
        "supplyAsync(",
        "taskExecutor.",
        "executor.execute(",
        "HttpCode(202)",
        "kafkaTemplate.send(",
        "rabbitTemplate.convertAndSend(",
    ]
    .iter()
    .any(|w| text.has(w))
        // A message put on a queue (`sqs.send_message(QueueUrl=…)`), not an e-mail sent by
        // SMTP (`smtp.send_message(msg)`) or a chat bot's `sendMessage`.
        || (text.has("send_message(") || text.has("sendMessage("))
            && ["sqs", "Sqs", "SQS", "queue", "Queue"].iter().any(|q| text.has(q))
        || text.has("Queue(") && text.has(".add(")
        || text.has("queue.add(")
        || text.has("Queue.add(")
        || streams_as_it_works(text)
}

/// A `StreamingResponse` that produces its body as it goes (a generator). Wrapping a buffer
/// the handler already filled (`StreamingResponse(buf)` after `buf = io.BytesIO()`,
/// `StreamingResponse(io.BytesIO(data))`, `StreamingResponse(iter([out.getvalue()]))`)
/// streams nothing until all the work is done.
fn streams_as_it_works(text: &str) -> bool {
    text.match_indices("StreamingResponse(").any(|(i, m)| {
        let rest = text.get(i + m.len()..).unwrap_or("").trim_start();
        let arg = rest.split([',', ')', '\n']).next().unwrap_or("").trim();
        let buffer_ctor = |e: &str| {
            let e = e.trim_start();
            [
                "io.BytesIO(",
                "BytesIO(",
                "io.StringIO(",
                "StringIO(",
                "iter([",
            ]
            .iter()
            .any(|b| e.starts_with(b))
        };
        let filled_buffer = buffer_ctor(arg)
            || (!arg.is_empty()
                && arg.chars().all(|c| c.is_alphanumeric() || c == '_')
                && text.lines().any(|l| {
                    l.trim_start()
                        .strip_prefix(arg)
                        .and_then(|r| r.trim_start().strip_prefix('='))
                        .is_some_and(buffer_ctor)
                }));
        !filled_buffer
    })
}

/// Signs of an LLM API called by hand: its endpoint (`fetch("https://api.openai.com/v1/chat/
/// completions", …)`) or a request body naming the model (`model: 'gpt-4o-mini'`).
const LLM_MARKERS: [&str; 7] = [
    "api.openai.com",
    "api.anthropic.com",
    "/v1/chat/completions",
    "/v1/messages",
    "'gpt-",
    "\"gpt-",
    "claude-",
];

fn ai_call(callee: &str) -> bool {
    [
        "completions.create",
        "messages.create",
        "responses.create",
        "generate_content",
        "generateContent",
        "embeddings.create",
        "llm.invoke",
        "chain.invoke",
        "ollama.chat",
        "createChatCompletion",
        "CreateChatCompletion",
        "chatClient.prompt",
        "chatModel.call",
        "Messages.New",
    ]
    .iter()
    .any(|p| callee.has(p))
}

/// A number of seconds a sleep call waits: `time.sleep(30)`, `asyncio.sleep(10)`,
/// JS `sleep(10000)` / `setTimeout(r, 10000)` in milliseconds.
fn sleep_seconds(cx: &Ctx, c: &Call) -> Option<u64> {
    let py = cx.language == Language::Python;
    let m = c.method.as_str();
    let arg = if m == "setTimeout" {
        c.args.get(1)?
    } else if matches!(m, "sleep" | "Sleep" | "delay" | "wait") && !c.args.is_empty() {
        c.args.first()?
    } else {
        return None;
    };
    if m == "wait" && !c.receiver.has("time") {
        return None;
    }
    let t = arg
        .text
        .replace("time.Second", "1000")
        .replace("time.Minute", "60000")
        .replace("time.Millisecond", "1");
    let n = eval_product(t.trim())?;
    // Java `TimeUnit.SECONDS.sleep(30)` / `TimeUnit.MINUTES.sleep(2)`
    if c.receiver.ends_with("SECONDS") && !c.receiver.has("MILLI") {
        return Some(n);
    }
    if c.receiver.ends_with("MINUTES") {
        return Some(n * 60);
    }
    let secs = if py { n } else { n / 1000 };
    Some(secs)
}

struct Long<'a> {
    call: &'a Call,
    what: String,
    secs: Option<u64>,
}

/// A loop over items that calls out and pauses on each (`fetchDay(…)` then
/// `time.Sleep(400 * time.Millisecond)` for every day of a range, an API call per player with
/// a `Thread.sleep(60)` for a rate limit): the calls and pauses add up with the item count.
/// Retry and polling loops, and loops of a few fixed rounds, pause between attempts instead.
fn paced_loop<'a>(cx: &Ctx, f: &'a Function, sleep: &Call) -> Option<Long<'a>> {
    let l = f
        .loop_facts
        .iter()
        .filter(|l| l.body.contains(&sleep.loc))
        .min_by_key(|l| l.body.end - l.body.start)?;
    let header = cx
        .text(&l.whole)
        .lines()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let retry_like = [
        "attempt", "retr", "tries", "try", "poll", "while", "for {", "(;;)",
    ]
    .iter()
    .any(|w| header.has(w))
        || header.trim_end_matches('{').trim() == "for"
        || header.has(";;")
        || header.has("; ;");
    let few_rounds = header
        .split(|ch: char| !ch.is_ascii_digit())
        .filter_map(|n| n.parse::<u32>().ok())
        .any(|n| (2..=10).contains(&n))
        && (header.has("range(") || header.contains('<'));
    if retry_like || few_rounds {
        return None;
    }
    let call = f.calls.iter().find(|c| {
        let m = c.method.to_ascii_lowercase();
        l.body.contains(&c.loc)
            && !std::ptr::eq(*c, sleep)
            && (classify(f, c).is_some()
                || [
                    "fetch", "get", "load", "call", "send", "post", "request", "query", "download",
                    "upload", "sync", "lookup",
                ]
                .iter()
                .any(|p| m.starts_with(p)))
    })?;
    Some(Long {
        call,
        what: format!(
            "`{}` runs once per item of a loop that also waits (`{}`) on each",
            call.callee, sleep.callee
        ),
        secs: None,
    })
}

/// A `while` loop that waits for something outside to change (`while (!runners.isFinished(id))
/// { Thread.sleep(2000); }`, `while status != CHARGING and time.time() < deadline:
/// time.sleep(3); status = charger.status()`): the request lasts as long as the wait. A loop
/// that counts attempts is a retry, left to retry-without-backoff.
fn polling_loop<'a>(f: &'a Function) -> Option<Long<'a>> {
    for l in f.loop_facts.iter().filter(|l| l.var.is_empty()) {
        let cond = l.iterable.to_ascii_lowercase();
        if [
            "attempt", "retr", "tries", "try", "page", "cursor", "offset", "len(", "length", "size",
        ]
        .iter()
        .any(|k| cond.has(k))
        {
            continue;
        }
        let waits = [
            "deadline",
            "isbefore",
            ".before(",
            "time.time()",
            "date.now()",
            "monotonic()",
        ]
        .iter()
        .any(|k| cond.has(k))
            || [
                "status", "state", "done", "ready", "finished", "complete", "running", "pending",
            ]
            .iter()
            .any(|k| cond.has(k));
        if !waits {
            continue;
        }
        // A pause: `sleep`, `Thread.sleep`, a `sleepQuietly` helper, `setTimeout`, `delay`.
        let pause = |c: &Call| {
            let m = c.method.to_ascii_lowercase();
            m.has("sleep") || m == "settimeout" || m == "delay"
        };
        let sleeps = f.calls.iter().any(|c| l.body.contains(&c.loc) && pause(c));
        // What it asks each round: a call in the condition or the body that is not the pause.
        let probe = f.calls.iter().find(|c| {
            l.whole.contains(&c.loc)
                && !pause(c)
                && !matches!(c.method.to_ascii_lowercase().as_str(), "now" | "time")
                && !c.callee.starts_with("Instant.")
                && !c.callee.starts_with("Date.")
                && !c.callee.starts_with("time.")
                && !c.callee.starts_with("System.")
        });
        if let (true, Some(call)) = (sleeps, probe) {
            return Some(Long {
                call,
                what: format!(
                    "a loop waits for `{}` to change, pausing between checks",
                    call.callee
                ),
                secs: None,
            });
        }
    }
    None
}

/// The first piece of long work in `f` (a handler or a helper it calls).
fn long_work<'a>(cx: &Ctx, f: &'a Function, bulk: bool) -> Option<Long<'a>> {
    let text = fn_text(cx, f);
    let lower = text.to_ascii_lowercase();
    // A CSV built by hand over every row of an unbounded query (`for (const c of
    // clicks.rows) csv += `${c.slug},…``): the query and the loop grow with the data.
    for l in &f.loop_facts {
        let body = cx.text(&l.body).to_ascii_lowercase();
        let builds_csv = lower.has("csv")
            && (body.has("csv") || body.has("join(','") || body.has("join(\",\""))
            && (body.has("+=") || body.has(".push(") || body.has(".write("));
        if builds_csv {
            if let Some(q) = unbounded_loop_query(cx, f, l) {
                return Some(Long {
                    call: q,
                    what: format!(
                        "`{}` reads every row into a CSV built in the request",
                        q.callee
                    ),
                    secs: None,
                });
            }
        }
    }
    for c in &f.calls {
        let callee = c.callee.as_str();
        let m = c.method.as_str();
        let args = c.args_text();
        let args_l = args.to_ascii_lowercase();
        if let Some(s) = sleep_seconds(cx, c) {
            if s >= 5 {
                return Some(Long {
                    call: c,
                    what: format!("`{callee}` waits {s} s"),
                    secs: Some(s),
                });
            }
            if let Some(long) = paced_loop(cx, f, c) {
                return Some(long);
            }
            continue;
        }
        let runs_tool = matches!(
                callee,
                "subprocess.run"
                    | "subprocess.call"
                    | "subprocess.check_call"
                    | "subprocess.check_output"
                    | "os.system"
                    | "execSync"
                    | "spawnSync"
                    | "execFileSync"
                    | "child_process.execSync"
                    | "child_process.spawnSync"
                    | "cp.execSync"
            ) || (matches!(m, "exec" | "execFile" | "run") && c.awaited && callee != "run")
                // `const run = promisify(execFile)`: the promisified child-process call.
                || (c.receiver.is_empty() && c.awaited && promisified_process(cx, callee))
                || callee == "exec.Command"
                || callee == "exec.CommandContext"
                // Java: `new ProcessBuilder("ffmpeg", …).start()` + `waitFor()`,
                // `Runtime.getRuntime().exec(…)` + `waitFor()`
                || ((callee.starts_with("new ProcessBuilder") || callee.ends_with("getRuntime().exec"))
                    && lower.has("waitfor("))
                || (m == "Popen" && (lower.has(".wait()") || lower.has(".communicate(")));
        if runs_tool {
            if let Some(tool) = HEAVY_TOOLS.iter().find(|t| args_l.has(t)) {
                let tool = tool.trim_matches(['"', '\'', ' ']);
                return Some(Long {
                    call: c,
                    what: format!("`{callee}` runs `{tool}`"),
                    secs: None,
                });
            }
            // The call's own limit says how long the tool may run: `subprocess.run(…,
            // timeout=1800)`, `execSync(cmd, { timeout: 600000 })`.
            if let Some(secs) = tool_timeout_s(cx.text(&c.loc)).filter(|s| *s >= 60) {
                return Some(Long {
                    call: c,
                    what: format!("`{callee}` runs a tool allowed {secs} s"),
                    secs: Some(secs),
                });
            }
        }
        // A request the handler waits on, allowed minutes by its own limit (`timeout=600`,
        // `HttpRequest… .timeout(Duration.ofMinutes(8))` then `client.send(request, …)`): its
        // author expects the other side to work that long.
        if let Some(secs) = http_limit_s(cx, f, c).filter(|s| *s >= 120) {
            return Some(Long {
                call: c,
                what: format!("`{callee}` waits on a request allowed {secs} s"),
                secs: Some(secs),
            });
        }
        // A solver or job told how long it may run: `solver.solve(req, fleet, {
        // timeLimitSeconds: 240 })`, `optimise(…, time_limit=300)`.
        if let Some(secs) = stated_run_limit_s(&args).filter(|s| *s >= 120) {
            return Some(Long {
                call: c,
                what: format!("`{callee}` is allowed to run {secs} s by its own options"),
                secs: Some(secs),
            });
        }
        // An optimiser or simulation told to run hundreds of thousands of iterations
        // (`anneal_routes(problem, iterations=400_000)`, `epochs=50`).
        if let Some(n) = stated_iterations(&args) {
            return Some(Long {
                call: c,
                what: format!("`{callee}` runs {n} iterations by its own options"),
                secs: None,
            });
        }
        let video = callee.starts_with("ffmpeg.")
            || callee == "ffmpeg"
            || m == "VideoFileClip"
            || m == "write_videofile"
            || callee.ends_with("VideoCapture")
            || m == "fluent-ffmpeg"
            || (m == "ffmpeg" && c.receiver.is_empty());
        let ml = m.to_ascii_lowercase();
        let rl = c.receiver.to_ascii_lowercase();
        // `renderer.stitchAndEncode(clips, …)`, `transcodeToHls(…)`: video work by name.
        if video
            || ["encode", "transcode", "stitch"].iter().any(|k| ml.has(k))
                && (args_l.has("clip") || args_l.has("video") || args_l.has(".mp4"))
        {
            return Some(Long {
                call: c,
                what: format!("`{callee}` processes video"),
                secs: None,
            });
        }
        // A whole report rendered in the request: `reportRenderer.renderSeason(year)`,
        // `service.renderAnnualStatement(centreId, year)`, `pdfRenderer.render("driver-logs",
        // …)` under "one page per trip".
        let renders = c.loop_depth == 0 && (ml.starts_with("render") || ml.has("pdf"));
        let by_receiver = ["render", "pdf", "report", "service"]
            .iter()
            .any(|k| rl.has(k));
        // Whole by its name (`RenderSeasonAtlas`, whatever the receiver), by a report
        // receiver and its arguments, or by the comment on the three lines above it (read only
        // for a render call: this runs for every call of every handler).
        let named_render = ml.starts_with("render");
        let whole = || {
            named_render && ["season", "annual", "year"].iter().any(|k| ml.has(k))
                || by_receiver && (["per", "all"].iter().any(|k| ml.has(k)) || args_l.has("year"))
                || {
                    let line = c.loc.span.start_line;
                    let near = (line.saturating_sub(3).max(1)..=line)
                        .map(|l| cx.lines.line_text(l).to_ascii_lowercase())
                        .collect::<Vec<_>>()
                        .join("\n");
                    (by_receiver || named_render)
                        && ["page per", "one page"].iter().any(|k| near.has(k))
                        || by_receiver && near.has("every ")
                }
        };
        if renders && whole() {
            return Some(Long {
                call: c,
                what: format!("`{callee}` renders a whole report in the request"),
                secs: None,
            });
        }
        // Any call its comment says takes minutes, on its line or in the block above it.
        if takes_minutes(cx.lines.line_text(c.loc.span.start_line))
            || comment_above_says_minutes(cx, c)
        {
            return Some(Long {
                call: c,
                what: format!("`{callee}` takes minutes, by the comment on it,"),
                secs: None,
            });
        }
        let training = (m == "fit" && (lower.has("model") || lower.has("sklearn")))
            || (m == "train" && (c.receiver.has("trainer") || c.receiver.has("model")))
            || m == "train_model";
        if training {
            return Some(Long {
                call: c,
                what: format!("`{callee}` trains a model"),
                secs: None,
            });
        }
        if ai_call(callee) && c.loop_depth > 0 {
            return Some(Long {
                call: c,
                what: format!("`{callee}` calls an LLM once per item of a loop"),
                secs: None,
            });
        }
        let pdf = m == "write_pdf"
            // `render_statement_pdf(customer, …)` / `generatePdf(order)` once per row.
            || (m.to_ascii_lowercase().has("pdf") && c.loop_depth > 0)
            || callee.starts_with("pdfkit.from_")
            || m == "CreatePDF"
            || (m == "pdf" && c.receiver.has("page"))
            || (m == "build" && lower.has("simpledoctemplate"));
        // csv-stringify's `stringify([[…]])` called per row.
        let export = matches!(m, "to_excel" | "to_csv" | "writerows" | "save_as" | "xlsx")
            || (callee == "stringify" && c.loop_depth > 0)
            || (m == "writerow" && c.loop_depth > 0)
            || (m == "addRow" && c.loop_depth > 0)
            || (m == "append"
                && matches!(c.receiver.as_str(), "ws" | "sheet" | "worksheet")
                && c.loop_depth > 0)
            || (m == "writeBuffer" && c.receiver.has("xlsx"))
            // Java CSV/POI, Go encoding/csv and excelize, one call per row
            || (matches!(m, "printRecord" | "writeNext" | "createRow" | "SetSheetRow" | "SetCellValue")
                && c.loop_depth > 0)
            || (m == "Write"
                && c.loop_depth > 0
                && (c.receiver.to_ascii_lowercase().has("csv")
                    || c.receiver == "cw"
                    || lower.has(&format!("{} := csv.newwriter", c.receiver.to_ascii_lowercase()))));
        let image = c.loop_depth > 0
            && (callee.starts_with("Image.open")
                || m == "thumbnail"
                || m == "resize" && lower.has("image")
                || callee.starts_with("sharp")
                || callee.starts_with("cv2."));
        // An e-mail, SMS or push per row: each one a call to a provider.
        let sends = c.loop_depth > 0
            && (ml.has("send")
                && ["mail", "sms", "push", "notification", "message"]
                    .iter()
                    .any(|k| ml.has(k) || rl.has(k))
                // `await deliver(campaign, sub)`, `mailer.deliver(msg)`
                || ml.starts_with("deliver"));
        // The loop walks people (recipients, subscribers, customers…): one message each.
        let over_people = f
            .loop_facts
            .iter()
            .filter(|l| l.body.contains(&c.loc))
            .any(|l| {
                let it = l.iterable.to_ascii_lowercase();
                [
                    "recipient",
                    "subscriber",
                    "user",
                    "customer",
                    "member",
                    "contact",
                    "email",
                    "employee",
                    "student",
                    "follower",
                    // `for (i = 0; i < subs.length; i++)`, `range grads`, attendees, patients
                    "subs",
                    "grad",
                    "attendee",
                    "patient",
                    "learner",
                    "participant",
                ]
                .iter()
                .any(|k| it.has(k))
            });
        if sends && (over_people || loops_over_unbounded_query(cx, f, c)) {
            return Some(Long {
                call: c,
                what: format!("`{callee}` sends one message per row"),
                secs: None,
            });
        }
        if (pdf || export) && (bulk || loops_over_unbounded_query(cx, f, c)) {
            return Some(Long {
                call: c,
                what: format!(
                    "`{callee}` renders {} over every row",
                    if pdf { "a PDF" } else { "an export" }
                ),
                secs: None,
            });
        }
        // A document page or a PDF rendered per item of a loop (`renderer.render(student, …)`,
        // `renderPayslipPage(doc, emp)`, `pdfRenderer.renderDailyPage(ws, day)`,
        // `writePayslipPDF(f, p)`): seconds each, times the rows.
        let renders_pages = c.loop_depth > 0
            // pdfkit / jsPDF `doc.addPage()`, fpdf `pdf.add_page()`, gofpdf `AddPage()`.
            && (matches!(ml.as_str(), "addpage" | "add_page")
                || ml.has("pdf")
                || rl.has("pdf") && (ml.starts_with("render") || ml.has("page"))
                || ml.starts_with("render") && (ml.has("page") || rl.has("render")));
        if renders_pages {
            return Some(Long {
                call: c,
                what: format!("`{callee}` renders a document page per item of a loop"),
                secs: None,
            });
        }
        if image {
            return Some(Long {
                call: c,
                what: format!("`{callee}` processes images one by one in a loop"),
                secs: None,
            });
        }
    }
    if let Some(long) = polling_loop(f) {
        return Some(long);
    }
    if let Some(long) = stated_heavy_loop(cx, f) {
        return Some(long);
    }
    if doc_says_minutes(cx, f) {
        if let Some(c) = f
            .calls
            .iter()
            .find(|c| !bookkeeping(&c.method) && classify(f, c).is_none())
        {
            return Some(Long {
                call: c,
                what: format!(
                    "`{}` does work its own documentation says takes minutes",
                    c.callee
                ),
                secs: None,
            });
        }
    }
    // An uploaded file read line by line with a query or request per line.
    for l in &f.loop_facts {
        let head = format!("{} {}", l.iterable, l.var).to_ascii_lowercase();
        let upload_rows = [
            "readline",
            "csv.reader",
            "csv.dictreader",
            "getinputstream",
            "request.files",
            "uploadfile",
            ".lines()",
        ]
        .iter()
        .any(|k| head.has(k));
        if !upload_rows {
            continue;
        }
        if let Some(c) = f
            .calls
            .iter()
            .find(|c| l.body.contains(&c.loc) && classify(f, c).is_some())
        {
            return Some(Long {
                call: c,
                what: format!("`{}` runs once per line of an uploaded file", c.callee),
                secs: None,
            });
        }
    }
    // `for epoch in range(…)` in a handler: a training loop.
    if f.loop_facts.iter().any(|l| l.var.has("epoch")) {
        let l = f.loop_facts.iter().find(|l| l.var.has("epoch"))?;
        let c = f.calls.iter().find(|c| l.whole.contains(&c.loc))?;
        return Some(Long {
            call: c,
            what: "an epoch loop trains a model".to_string(),
            secs: None,
        });
    }
    None
}

/// A loop whose items the comments call many or large: "A full night is typically 300-600
/// frames of 4k x 4k", "subframes of ~30 MB each" (on the handler, or inside it before the
/// loop ends), with work per item that is neither a query (n-plus-one's) nor bookkeeping
/// (`lines.append(…)`, `log.Printf`). Hundreds of large files processed in one request.
fn stated_heavy_loop<'a>(cx: &Ctx, f: &'a Function) -> Option<Long<'a>> {
    if f.loop_facts.is_empty() {
        return None;
    }
    // The magnitudes each comment line states, read once for the function: (line, items, MB).
    let first = f.loc.span.start_line.saturating_sub(4).max(1);
    let stated: Vec<(usize, u64, u64)> = (first..=f.loc.span.end_line)
        .filter_map(|n| {
            let c = comment_part(cx.lines.line_text(n))?;
            if !c.contains(|ch: char| ch.is_ascii_digit()) {
                return None;
            }
            let (items, mb) = stated_magnitudes(&c.to_ascii_lowercase());
            (items > 0 || mb > 0).then_some((n, items, mb))
        })
        .collect();
    if stated.is_empty() {
        return None;
    }
    for l in &f.loop_facts {
        let last = cx.lines.span(l.body.start, l.body.end).end_line;
        let (items, mb) = stated
            .iter()
            .filter(|(n, _, _)| *n <= last)
            .fold((0, 0), |(a, b), &(_, x, y)| (a.max(x), b.max(y)));
        if items < 200 && mb < 10 {
            continue;
        }
        let Some(work) = f.calls.iter().find(|c| {
            l.body.contains(&c.loc) && !bookkeeping(&c.method) && classify(f, c).is_none()
        }) else {
            continue;
        };
        let what = if mb >= 10 {
            format!(
                "`{}` runs on every item of a loop over files the comments size at {mb} MB or more",
                work.callee
            )
        } else {
            format!(
                "`{}` runs on every item of a loop the comments count at {items} or more",
                work.callee
            )
        };
        return Some(Long {
            call: work,
            what,
            secs: None,
        });
    }
    None
}

/// The function's documentation (the comment block above it, past its annotations, or a
/// Python docstring) says a run takes minutes or hours: "roughly six to eight minutes",
/// "takes ~10 minutes". Not a TTL, an interval or a validity ("cached for 10 minutes",
/// "every 5 minutes", "valid for 2 hours").
fn doc_says_minutes(cx: &Ctx, f: &Function) -> bool {
    let first = f.loc.span.start_line;
    // Most functions say nothing of minutes or hours near their signature: asked of each.
    let near = first.saturating_sub(12).max(1)..=(first + 4).min(f.loc.span.end_line);
    if !near.into_iter().any(|n| {
        let t = cx.lines.line_text(n);
        t.has("min") || t.has("hour") || t.has("Min") || t.has("Hour")
    }) {
        return false;
    }
    let mut doc = cx.comment_above(first);
    // A Python docstring: the lines right below the signature.
    let mut in_doc = false;
    for l in first + 1..=(first + 4).min(f.loc.span.end_line) {
        let t = cx.lines.line_text(l).trim();
        if t.starts_with(r#"""""#) || t.starts_with("'''") {
            in_doc = true;
        }
        if in_doc {
            doc.push_str(t);
            doc.push(' ');
        }
    }
    let doc = doc.to_ascii_lowercase();
    let durations = [
        "take",
        "took",
        "roughly",
        "about",
        "around",
        "approximately",
        "~",
        "up to",
    ];
    if doc.is_empty() || !durations.iter().any(|k| doc.has(k)) {
        return false;
    }
    const AMOUNTS: [&str; 16] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "fifteen",
        "twenty", "thirty", "several", "few", "an", "a",
    ];
    ["minutes", "mins", "hours"].iter().any(|unit| {
        doc.match_indices(unit).any(|(i, _)| {
            let mut from = i.saturating_sub(40);
            while !doc.is_char_boundary(from) {
                from += 1;
            }
            let words: Vec<&str> = doc[from..i]
                .split(|c: char| !(c.is_alphanumeric() || c == '~'))
                .filter(|w| !w.is_empty())
                .collect();
            let Some(last) = words.last() else {
                return false;
            };
            let amount = last
                .trim_start_matches('~')
                .starts_with(|c: char| c.is_ascii_digit())
                || AMOUNTS.contains(last);
            let interval = words.iter().rev().take(5).any(|w| {
                matches!(
                    *w,
                    "every"
                        | "cache"
                        | "cached"
                        | "ttl"
                        | "expire"
                        | "expires"
                        | "valid"
                        | "within"
                        | "after"
                        | "ago"
                        | "last"
                        | "for"
                )
            });
            amount && !interval
        })
    })
}

/// Calls that only collect, format or log what the loop made.
fn bookkeeping(method: &str) -> bool {
    let m = method.to_ascii_lowercase();
    // Accessors and collectors: `rs.getLong(…)`, `perHive.computeIfAbsent(…)`, `addValue`.
    m.starts_with("get")
        || m.starts_with("add")
        || m.starts_with("compute")
        || matches!(
            m.as_str(),
            "append"
                | "push"
                | "extend"
                | "join"
                | "format"
                | "str"
                | "int"
                | "float"
                | "round"
                | "len"
                | "set"
                | "put"
                | "insert"
                | "items"
                | "keys"
                | "values"
                | "tostring"
                | "toisostring"
                | "sprintf"
                | "errorf"
                | "printf"
                | "println"
                | "print"
                | "debug"
                | "info"
                | "warn"
                | "warning"
                | "error"
                | "log"
                | "strip"
                | "split"
                | "lower"
                | "upper"
                | "replace"
                | "isoformat"
                | "continue"
                | "next"
                | "merge"
                | "scan"
        )
}

/// The comment of a line (`# …`, `// …`, `/* …`, `* …`), if it has one.
fn comment_part(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if t.starts_with("* ") || t.starts_with("--") {
        return Some(t);
    }
    let at = ["//", "#", "/*"]
        .iter()
        .filter_map(|m| line.find(m))
        .min()?;
    Some(&line[at..])
}

/// The largest count of things ("300-600 frames", "2,000 photos", "180k rows") and the
/// largest size in MB ("~30 MB each", "2 GB") a comment states; lower bounds of ranges.
fn stated_magnitudes(comment: &str) -> (u64, u64) {
    let b = comment.as_bytes();
    let (mut items, mut mb) = (0, 0);
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || b[i] == b',' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
        }
        let Ok(mut n) = comment[start..i].replace(',', "").parse::<u64>() else {
            continue;
        };
        let mut rest = &comment[i..];
        if let Some(r) = rest
            .strip_prefix('k')
            .filter(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            n = n.saturating_mul(1000);
            rest = r;
        }
        if let Some(r) = rest.strip_prefix('-').or_else(|| rest.strip_prefix(" to ")) {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',');
        }
        let word: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        match word.as_str() {
            "mb" => mb = mb.max(n),
            "gb" => mb = mb.max(n.saturating_mul(1000)),
            // A plural noun, not a duration or a unit.
            w if w.len() > 3
                && w.ends_with('s')
                && !matches!(
                    w,
                    "seconds"
                        | "secs"
                        | "minutes"
                        | "mins"
                        | "hours"
                        | "days"
                        | "weeks"
                        | "months"
                        | "years"
                        | "pixels"
                        | "bytes"
                        | "kbps"
                        | "mbps"
                        | "requests"
                        | "users"
                        | "times"
                        | "retries"
                        | "attempts"
                ) =>
            {
                items = items.max(n)
            }
            _ => {}
        }
    }
    (items, mb)
}

/// The call's comment says the work takes minutes: `// 2-4 min for a full season`, `# takes
/// ~10 minutes` (a `// 15 min hold` is a duration of something else). Only a line with a
/// comment has its comment lower-cased.
fn takes_minutes(line: &str) -> bool {
    let Some(i) = line.find("//").or_else(|| line.find('#')) else {
        return false;
    };
    let comment = line[i..].to_ascii_lowercase();
    let says_duration = [
        "take",
        "took",
        "for a",
        "runs ",
        "to run",
        "to render",
        "to build",
    ]
    .iter()
    .any(|k| comment.has(k));
    says_duration
        && comment.match_indices("min").any(|(j, _)| {
            let before = comment[..j].trim_end();
            let unit_ends = !comment[j + 3..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() && c != 'u' && c != 's');
            before.ends_with(|c: char| c.is_ascii_digit()) && unit_ends
        })
}

/// The comment block right above the call says the work takes minutes or hours ("For the
/// big weekends that is ~180k QSOs and takes several minutes."). Only comment lines that
/// touch the call are read, up to three.
fn comment_above_says_minutes(cx: &Ctx, c: &Call) -> bool {
    let line = c.loc.span.start_line;
    let mut text = String::new();
    for l in (line.saturating_sub(3).max(1)..line).rev() {
        let t = cx.lines.line_text(l).trim_start();
        if !super::starts_comment(t) {
            break;
        }
        text.push_str(&t.to_ascii_lowercase());
        text.push(' ');
    }
    !text.is_empty()
        && ["takes", "took", "take "].iter().any(|k| text.has(k))
        && ["minutes", " hour", "mins"].iter().any(|k| text.has(k))
}

/// The run time an option allows a call, in seconds: `timeLimitSeconds: 240`,
/// `time_limit=300`, `maxSeconds: 600`, `timeLimitMs: 180000`. Not a timeout, which bounds a
/// wait (no-timeout's business, and [`http_limit_s`] for requests).
fn stated_run_limit_s(args: &str) -> Option<u64> {
    // Asked of every call in a handler: most name no such option.
    if !["imit", "IMIT", "econds", "ECONDS", "untime", "UNTIME"]
        .iter()
        .any(|k| args.has(k))
    {
        return None;
    }
    let lower = args.to_ascii_lowercase();
    for key in [
        "timelimitseconds",
        "time_limit_seconds",
        "timelimitms",
        "time_limit_ms",
        "timelimit",
        "time_limit",
        "maxseconds",
        "max_seconds",
        "max_runtime",
        "maxruntime",
    ] {
        let Some(i) = lower.find(key) else { continue };
        let rest = lower[i + key.len()..].trim_start();
        let Some(rest) = rest.strip_prefix([':', '=']) else {
            continue;
        };
        let n = crate::analyzer::leading_number(rest)?;
        return Some(if key.ends_with("ms") { n / 1000 } else { n });
    }
    None
}

/// The iterations an option asks of a call, when they are many: `iterations=400_000`,
/// `n_iter: 200000` (100,000 or more), `epochs=50` (training passes, 10 or more). A default
/// written as the fallback of a request value counts too (`int(request.args.get("iterations",
/// 400_000))`). Numbers in scientific notation (`1e6`) are not read.
fn stated_iterations(args: &str) -> Option<u64> {
    if !["iter", "epoch", "generation"].iter().any(|k| args.has(k)) {
        return None;
    }
    let lower = args.to_ascii_lowercase();
    for (key, at_least) in [
        ("iterations", 100_000),
        ("n_iter", 100_000),
        ("max_iter", 100_000),
        ("generations", 1_000),
        ("epochs", 10),
    ] {
        for (i, _) in lower.match_indices(key) {
            let rest = &lower[i + key.len()..];
            // `iterations=400_000`, `iterations: 400000`, `"iterations", 400_000)`.
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            let Some(rest) = rest.strip_prefix(['=', ':', ',']) else {
                continue;
            };
            if let Some(n) = crate::analyzer::leading_number(rest).filter(|n| *n >= at_least) {
                return Some(n);
            }
        }
    }
    None
}

/// A child process's own time limit in seconds: Python `timeout=1800`, Node `timeout: 600000`
/// (milliseconds).
fn tool_timeout_s(args: &str) -> Option<u64> {
    use crate::analyzer::leading_number;
    if let Some((_, rest)) = args.split_once("timeout=") {
        return leading_number(rest);
    }
    let (_, rest) = args.split_once("timeout:")?;
    leading_number(rest).map(|ms| ms / 1000)
}

/// The time limit an HTTP call sets for itself, in seconds: its own `timeout=` / `timeout:`
/// (milliseconds), or, for Java's `client.send(request, …)`, the request's
/// `.timeout(Duration.ofMinutes(8))`.
fn http_limit_s(cx: &Ctx, f: &Function, c: &Call) -> Option<u64> {
    use crate::analyzer::leading_number;
    let java_send =
        cx.language == Language::Java && matches!(c.method.as_str(), "send" | "sendAsync");
    if super::queries::http_call(c).is_none() && !java_send {
        return None;
    }
    let own = cx.text(&c.loc);
    if let Some(secs) = tool_timeout_s(own) {
        return Some(secs);
    }
    let request = c.args.first().map(|a| a.text.trim())?;
    let built = if own.has(".timeout(") {
        own.to_string()
    } else {
        super::cache_calls::resolve(cx, f, request, c.loc.start)?.0
    };
    let (_, rest) = built.split_once(".timeout(Duration.of")?;
    let (unit, n) = rest.split_once('(')?;
    let n = leading_number(n)?;
    match unit {
        "Minutes" => Some(n.saturating_mul(60)),
        "Seconds" => Some(n),
        "Hours" => Some(n.saturating_mul(3600)),
        _ => None,
    }
}

/// How long one call of `g` takes by its own comment or docstring (the three lines above its
/// signature and below it): "a typical solve takes 5-40 s", "each render takes ~2 minutes".
/// The lower bound, in seconds; only a comment line that says "take", "took" or "typical".
fn stated_seconds(cx: &Ctx, g: &Function) -> Option<u64> {
    let line = g.loc.span.start_line;
    (line.saturating_sub(3).max(1)..=(line + 3).min(g.loc.span.end_line))
        .filter_map(|l| {
            let text = cx.lines.line_text(l);
            let at = ["//", "#", "/*", "* ", "\"\"\"", "'''"]
                .iter()
                .filter_map(|m| text.find(m))
                .min()?;
            let comment = text[at..].to_ascii_lowercase();
            ["take", "took", "typical"]
                .iter()
                .any(|k| comment.has(k))
                .then(|| leading_duration_s(&comment))
                .flatten()
        })
        .max()
}

/// How long one call of `method` takes by the comment on a declaration of it without a body
/// (a Go interface method, a Java or TypeScript interface method, a Python protocol): `Render(ctx
/// context.Context, e Entry) ([]byte, error) // ~1-2 s per runner`. The lower bound, at least
/// one second; only a comment that says per call ("per", "each", "take", "~", "about").
fn declared_seconds(cx: &Ctx, method: &str) -> Option<u64> {
    if method.len() < 3 || !method.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    cx.positions_of(&format!("{method}("))
        .iter()
        .find_map(|&at| {
            // The name starts a word: not `preRender(`.
            if cx.source[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                return None;
            }
            let (line, _) = cx.lines.position(at);
            let text = cx.lines.line_text(line);
            let head = text.trim_start();
            let code = head.split("//").next().unwrap_or(head).trim_end();
            let code = code.split(" #").next().unwrap_or(code).trim_end();
            // A declaration, not a call or a definition with a body.
            let declaration = code.ends_with(';')
                || code.ends_with(": ...")
                || cx.language == Language::Go && head.starts_with(method) && !code.ends_with('{');
            if !declaration || code.contains('=') || head.starts_with("return") {
                return None;
            }
            let comment = comment_part(text)
                .map(str::to_string)
                .filter(|c| leading_duration_s(c).is_some())
                .unwrap_or_else(|| cx.comment_above(line))
                .to_ascii_lowercase();
            [
                "per ", "each", "take", "took", "~", "about", "roughly", "typical",
            ]
            .iter()
            .any(|k| comment.has(k))
            .then(|| leading_duration_s(&comment))
            .flatten()
            .filter(|&s| s >= 1)
        })
}

/// How long one call of `method` takes by the handler's own doc comment: "One optimise() run
/// takes 3-5 s for a typical route". The lower bound, at least one second; only the sentence
/// that names the call and says "take", "per", "each" or "~".
fn seconds_in_doc(doc: &str, method: &str) -> Option<u64> {
    let name = format!("{}(", method.to_ascii_lowercase());
    doc.split(". ")
        .filter(|sentence| sentence.has(&name))
        .filter(|sentence| {
            ["take", "per ", "each", "~"]
                .iter()
                .any(|k| sentence.has(k))
        })
        .find_map(|sentence| leading_duration_s(&sentence[sentence.find(&name)?..]))
        .filter(|&s| s >= 1)
}

/// The first duration written as a number and a unit in `text` ("5-40 s", "~2 minutes",
/// "90 sec"), in seconds; the lower bound of a range.
fn leading_duration_s(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts_number = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let Ok(n) = text[start..i].parse::<u64>() else {
            continue;
        };
        // A range: `5-40`, `5–40`, `5 to 40`.
        let mut rest = &text[i..];
        for sep in ["-", "\u{2013}", " to "] {
            if let Some(r) = rest.strip_prefix(sep) {
                let digits = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if digits > 0 {
                    rest = &r[digits..];
                }
                break;
            }
        }
        let word: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let unit = match word.as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            _ => continue,
        };
        return n.checked_mul(unit);
    }
    None
}

/// `name` was made from a child-process function (`const run = promisify(execFile)`).
fn promisified_process(cx: &Ctx, name: &str) -> bool {
    cx.program.globals().iter().any(|a| {
        a.names.iter().any(|n| n == name)
            && a.value.has("promisify(")
            && ["exec", "spawn", "execFile"].iter().any(|k| a.value.has(k))
    })
}

/// The loop around `c` walks the result of a query with no row bound (`for tx in
/// Transaction.query.filter_by(account_id=…)`, `for (const c of customers)` after an
/// unlimited SELECT): an export per row of it grows with the data.
fn loops_over_unbounded_query(cx: &Ctx, f: &Function, c: &Call) -> bool {
    f.loop_facts
        .iter()
        .filter(|l| l.body.contains(&c.loc))
        .max_by_key(|l| l.body.start)
        .is_some_and(|l| unbounded_loop_query(cx, f, l).is_some())
}

/// The query with no row bound whose result loop `l` walks (`for (const c of clicks.rows)`
/// after `clicks = await pool.query(…)` with no LIMIT).
fn unbounded_loop_query<'f>(
    cx: &Ctx,
    f: &'f Function,
    l: &crate::analyzer::facts::Loop,
) -> Option<&'f Call> {
    let unbounded = |text: &str| {
        let t = text.to_ascii_lowercase();
        [
            "query",
            ".objects",
            "find",
            "select",
            "fetch",
            "execute",
            ".scalars(",
        ]
        .iter()
        .any(|k| t.has(k))
            && ![
                "limit", "[:", ".first(", "take", ".get(", "paginat", "page", "top ", "fetchone",
            ]
            .iter()
            .any(|k| t.has(k))
    };
    let iter = l.iterable.trim();
    if iter.contains('(') {
        return f
            .calls
            .iter()
            .find(|q| l.whole.contains(&q.loc) && classify(f, q).is_some())
            .filter(|_| unbounded(iter));
    }
    // `clicks.rows` (node-postgres) walks the rows of `clicks`.
    let name = iter.trim_start_matches("await ").trim();
    let name = name.strip_suffix(".rows").unwrap_or(name);
    let Some(a) = f
        .assigns
        .iter()
        .rfind(|a| a.loc.end <= l.whole.start && a.names.iter().any(|n| n == name))
    else {
        // Go fills a slice through a pointer: `db.SelectContext(ctx, &due, …)`, `db.Find(&rows)`.
        let out_param = format!("&{name}");
        return f
            .calls
            .iter()
            .rev()
            .find(|q| {
                q.loc.end <= l.whole.start
                    && q.args.iter().any(|a| a.text.trim() == out_param)
                    && classify(f, q).is_some()
            })
            .filter(|q| unbounded(cx.text(&q.loc)));
    };
    f.calls
        .iter()
        .find(|q| a.loc.contains(&q.loc) && classify(f, q).is_some())
        .filter(|_| unbounded(cx.text(&a.loc)))
}

/// The handler reads every row of a table (no LIMIT / WHERE / take / slice).
fn reads_all_rows(cx: &Ctx, f: &Function) -> bool {
    let text = fn_text(cx, f);
    f.calls.iter().any(|c| match classify(f, c) {
        Some(Query::Sql(s)) => {
            let t = c.args_text().to_ascii_lowercase();
            s.kind == crate::analyzer::sql::SqlKind::Select && !t.has("limit") && !t.has(" where ")
        }
        Some(Query::Orm { method, .. }) => {
            let a = c.args_text();
            matches!(method.as_str(), "findMany" | "findAll" | "find")
                && !a.has("take")
                && !a.has("limit")
                && !a.has("where")
        }
        _ => {
            (c.method == "all" || c.method == "iterator")
                && (c.callee.has(".objects") || c.callee.has("query("))
        }
    }) || f.calls.iter().any(|c| {
        // GORM `db.Find(&orders)` with no Where / Limit in the chain
        c.method == "Find"
            && c.receiver.to_ascii_lowercase().ends_with("db")
            && !c.callee.has(".Where(")
            && !c.callee.has(".Limit(")
    }) || text.has(".objects.all()")
        || text.has("findMany()")
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let fns = &cx.program.functions;
    let gateway = cx.deployment().gateway_timeout_s;
    let mut done: Vec<usize> = Vec::new();
    // Per outermost handler, asked once: every function nested in it asked again, scanning
    // the handler's whole text each time (fuzzing: closures nested a hundred deep).
    let root_offloads: Vec<OnceCell<bool>> = vec![OnceCell::new(); fns.len()];
    let root_reads_all: Vec<OnceCell<bool>> = vec![OnceCell::new(); fns.len()];
    let mut declared: std::collections::HashMap<&str, Option<u64>> = Default::default();
    for (fi, f) in fns.iter().enumerate().skip(1) {
        if !in_handler(cx, fi) {
            continue;
        }
        // The outermost handler this function belongs to.
        let mut root = fi;
        while let Some(p) = fns[root].parent.filter(|&p| p != 0) {
            root = p;
        }
        if done.contains(&root) {
            continue;
        }
        if *root_offloads[root].get_or_init(|| offloads(fn_text(cx, &fns[root]))) {
            continue;
        }
        let bulk = reads_all_rows(cx, f)
            || *root_reads_all[root].get_or_init(|| reads_all_rows(cx, &fns[root]));
        let mut found = long_work(cx, f, bulk);
        let mut via: Option<(&Call, &Function)> = None;
        // The helper is long because it runs once per item (an LLM call, a stated seconds-long
        // call), so the loop around the call is what to report.
        let mut per_item = false;
        if found.is_none() {
            // One level into helpers defined in the snippet.
            for c in &f.calls {
                if let Some(g) = cx
                    .function_named(&c.method)
                    .filter(|g| c.receiver.is_empty() && !std::ptr::eq(*g, f))
                {
                    if offloads(fn_text(cx, g))
                        || g.decorators
                            .iter()
                            .any(|d| d.has("task") || d.starts_with("Async"))
                    {
                        continue;
                    }
                    let gb = bulk || reads_all_rows(cx, g);
                    if let Some(l) = long_work(cx, g, gb) {
                        found = Some(l);
                        via = Some((c, g));
                        break;
                    }
                    // `for p in paragraphs: translate_paragraph(p)`, where the helper asks an
                    // LLM: seconds per item, times the items.
                    if c.loop_depth > 0 {
                        if let Some(ai) =
                            g.calls.iter().find(|h| ai_call(&h.callee)).or_else(|| {
                                let t = fn_text(cx, g).to_ascii_lowercase();
                                LLM_MARKERS
                                    .iter()
                                    .any(|k| t.has(k))
                                    .then(|| {
                                        g.calls
                                            .iter()
                                            .find(|h| h.method == "fetch" || h.callee.has("post"))
                                    })
                                    .flatten()
                            })
                        {
                            found = Some(Long {
                                call: ai,
                                what: format!("`{}` asks an LLM once per item of a loop", g.name),
                                secs: None,
                            });
                            via = Some((c, g));
                            per_item = true;
                            break;
                        }
                        // `for (const panel of quote.panels) await renderPanel(…)`, where the
                        // helper runs sharp / Pillow / OpenCV on a full image: per item.
                        // (Not a few fixed sizes: `for (const w of [320, 640, 1280])`, `SIZES`.)
                        let fixed_list = f
                            .loop_facts
                            .iter()
                            // (A `while (hasMore)` condition is no list.)
                            .filter(|l| l.body.contains(&c.loc) && !l.var.is_empty())
                            .any(|l| {
                                let it = l.iterable.trim();
                                it.starts_with(['[', '(', '{'])
                                    || it.chars().all(|ch| {
                                        ch.is_ascii_uppercase() || ch == '_' || ch.is_ascii_digit()
                                    })
                            });
                        if let Some(img) = g.calls.iter().filter(|_| !fixed_list).find(|h| {
                            h.callee.starts_with("sharp")
                                || h.callee.starts_with("Image.open")
                                || h.callee.starts_with("cv2.imread")
                        }) {
                            found = Some(Long {
                                call: img,
                                what: format!(
                                    "`{}` processes an image once per item of a loop",
                                    g.name
                                ),
                                secs: None,
                            });
                            via = Some((c, g));
                            per_item = true;
                            break;
                        }
                        // `for obs in pending: solve_field(…)`, where the helper's docstring
                        // says "a typical solve takes 5-40 s": seconds per item, times the items.
                        if let Some(secs) = stated_seconds(cx, g).filter(|s| *s >= 2) {
                            found = Some(Long {
                                call: g.calls.first().unwrap_or(c),
                                what: format!(
                                    "one call takes {secs} s or more by its own comment, and it runs once per item of a loop"
                                ),
                                secs: Some(secs),
                            });
                            via = Some((c, g));
                            per_item = true;
                            break;
                        }
                    }
                }
            }
        }
        if found.is_none() {
            // `for _, e := range entries { h.Packs.Render(ctx, race, e) }`, where the interface
            // declares `Render(…) ([]byte, error) // ~1-2 s per runner`.
            let handler_doc = cx.comment_above(f.loc.span.start_line).to_ascii_lowercase();
            found = f
                .calls
                .iter()
                .filter(|c| c.loop_depth > 0 && !c.receiver.is_empty())
                .find_map(|c| {
                    // Asked per method name once: a 10,000-line file has thousands of `add(`.
                    let secs = *declared
                        .entry(c.method.as_str())
                        .or_insert_with(|| declared_seconds(cx, &c.method));
                    if let Some(secs) = secs {
                        return Some(Long {
                            call: c,
                            what: format!(
                                "`{}` takes {secs} s or more per call by the comment on its declaration, and it runs once per item of a loop",
                                c.callee
                            ),
                            secs: Some(secs),
                        });
                    }
                    // Said in the handler's own doc comment instead.
                    let secs = seconds_in_doc(&handler_doc, &c.method)?;
                    Some(Long {
                        call: c,
                        what: format!(
                            "`{}` takes {secs} s or more per call by the handler's comment, and it runs once per item of a loop",
                            c.callee
                        ),
                        secs: Some(secs),
                    })
                });
            per_item = found.is_some();
        }
        let Some(long) = found else { continue };
        done.push(root);
        let timeout = gateway.unwrap_or(30);
        let at = via.map_or(long.call, |(c, _)| c);
        // Work repeated per item is the loop's doing: report the loop (`for s in students:`),
        // with the call as evidence.
        let per_item_loop = if (via.is_none() || per_item) && at.loop_depth > 0 {
            let around = |x: crate::analyzer::facts::Loc| {
                f.loop_facts.iter().filter(move |l| l.whole.contains(&x))
            };
            around(at.loc)
                .min_by_key(|l| l.whole.end - l.whole.start)
                .map(|inner| {
                    // Rows fetched page by page (`while (hasMore) { rows = await query(…); for
                    // (const r of rows) … }`): the work runs over every page, so the outer loop.
                    let rows = inner
                        .iterable
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .find(|w| !w.is_empty())
                        .unwrap_or("");
                    around(inner.whole)
                        .filter(|outer| outer.whole != inner.whole)
                        .filter(|outer| {
                            f.assigns.iter().any(|a| {
                                outer.body.contains(&a.loc)
                                    && a.loc.end <= inner.whole.start
                                    && a.names.iter().any(|n| n == rows)
                            })
                        })
                        .max_by_key(|outer| outer.whole.end - outer.whole.start)
                        .unwrap_or(inner)
                })
                .map(|l| line_loc(cx, l.whole.start))
        } else {
            None
        };
        let line = at.loc.span.start_line;
        let long_line = long.call.loc.span.start_line;
        let handler = &fns[root];
        let mut params = BTreeMap::new();
        params.insert("gateway_timeout_s".to_string(), timeout.to_string());
        params.insert(
            "gateway_timeout_stated".to_string(),
            gateway.is_some().to_string(),
        );
        params.insert("work".to_string(), long.call.callee.clone());
        params.insert("work_line".to_string(), long_line.to_string());
        if let Some(s) = long.secs {
            params.insert("duration_s".to_string(), s.to_string());
        }
        let via_note = match via {
            Some((c, g)) => {
                format!(" through `{}` at line {line}, where", c.callee) + &format!(" `{}`", g.name)
            }
            None => String::new(),
        };
        let timeout_note = if gateway.is_some() {
            format!("the stated {timeout} s gateway timeout")
        } else {
            format!("a typical {timeout} s gateway timeout")
        };
        let loop_note = per_item_loop
            .as_ref()
            .map(|l| format!(", inside the loop at line {}", l.span.start_line))
            .unwrap_or_default();
        let message = format!(
            "Handler `{}` does long work inline{via_note}: {} at line {long_line}{loop_note}. The request stays open until it finishes, so past {timeout_note} the client gets a 504 while the work goes on, retries start second copies, and each running request holds a worker.",
            handler.name, long.what
        );
        let fix = match cx.language {
            Language::Go => "Hand the work to a worker (send it on a buffered channel that worker goroutines drain, asynq `client.Enqueue`, a jobs table) and answer `202 Accepted` with a job id and a status URL the client polls.".to_string(),
            Language::Java => "Hand the work to an `@Async` service or a `TaskExecutor` (or a queue: RabbitMQ, SQS, Kafka) and return `ResponseEntity.accepted()` with a job id and a status URL the client polls.".to_string(),
            Language::TypeScript => "Enqueue the work (BullMQ `queue.add`, SQS, a jobs table) and answer `202` with a job id and a status URL the client polls; run it in a separate worker process.".to_string(),
            _ => "Enqueue the work (Celery `.delay()`, RQ `enqueue`, BullMQ `queue.add`, SQS) and answer `202` with a job id and a status URL the client polls.".to_string(),
        };
        let mut evidence = vec![cx.evidence(&at.loc, "work")];
        if via.is_some() {
            evidence.push(cx.evidence(&long.call.loc, "inner"));
        }
        if let Some(l) = &per_item_loop {
            evidence.insert(0, cx.evidence(l, "loop"));
        }
        evidence.push(cx.evidence(&handler.loc, "handler"));
        out.push(finding(
            ID,
            Severity::Warning,
            per_item_loop.as_ref().unwrap_or(&at.loc),
            message,
            fix,
            evidence,
            params,
        ));
    }
}
