//! # threads-for-cpu-in-python
//!
//! ## What it does
//! Flags Python threads used for CPU-bound work: `threading.Thread(target=f)`,
//! `ThreadPoolExecutor` / `ThreadPool` `.submit` / `.map`, `asyncio.to_thread(f)` and
//! `loop.run_in_executor(None, f)` where `f` (defined in the snippet) loops over data doing
//! arithmetic, parses, hashes or compresses in pure Python, with no I/O, or reads CSVs with
//! pandas and groups or resamples them (pandas holds the GIL for much of that). Silent for
//! `ProcessPoolExecutor` / `multiprocessing`, for threads that do I/O (HTTP, database,
//! files, sockets, sleeps), and for asyncio code.
//!
//! ## Why is this bad at scale
//! CPython's global interpreter lock lets one thread run Python bytecode at a time. Eight
//! threads crunching numbers take as long as one (often longer, from lock hand-offs), and
//! while they run, the request threads and the event loop of the same process get only a
//! slice of one core: latency climbs for everyone. Adding threads or sessions makes it worse,
//! not better.
//!
//! ## Example
//! ```python
//! with ThreadPoolExecutor(max_workers=8) as pool:
//!     scores = list(pool.map(score_document, documents))   # pure-Python loops
//! ```
//!
//! ## Use instead
//! Use processes for CPU-bound work (each has its own interpreter and GIL):
//! ```python
//! with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
//!     scores = list(pool.map(score_document, documents, chunksize=64))
//! ```
//! Or move the hot loop into a library that releases the GIL (NumPy, a Rust/C extension),
//! or into a job queue with worker processes.
//!
//! ## Languages
//! Python only.

use super::process_state::{eval_product, fn_text};
use super::queries::classify;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Call, Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "threads-for-cpu-in-python";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Python threads for CPU-bound work",
    what_it_does: "Flags Python threads used for CPU-bound work: threading.Thread(target=f), ThreadPoolExecutor / ThreadPool submit or map, asyncio.to_thread(f), loop.run_in_executor(None, f), where f loops over data doing arithmetic, parsing, hashing or compression in pure Python (or pandas read_csv plus group-bys and resamples) with no I/O. Silent for ProcessPoolExecutor / multiprocessing, threads doing I/O (HTTP, database, files, sockets, sleeps), and asyncio.",
    why_bad_at_scale: "The GIL lets one thread run Python bytecode at a time. Eight threads crunching numbers take as long as one, often longer from lock hand-offs, and while they run the request threads and the event loop of the same process get a slice of one core: latency climbs for everyone. More threads or sessions make it worse, not better.",
    example: "with ThreadPoolExecutor(max_workers=8) as pool:\n    scores = list(pool.map(score_document, documents))   # pure-Python loops",
    use_instead: "with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:\n    scores = list(pool.map(score_document, documents, chunksize=64))\n\nOr move the hot loop into a library that releases the GIL (NumPy, a C/Rust extension), or into a job queue with worker processes.",
    languages: &["python"],
};

/// Words in a callee that mean I/O (the thread waits, and releases the GIL meanwhile).
const IO: [&str; 33] = [
    "requests.",
    "httpx",
    "urlopen",
    "urllib",
    "aiohttp",
    "socket",
    ".recv",
    ".send",
    "sleep",
    "open",
    ".read",
    ".write",
    "execute",
    "query",
    "cursor",
    "connect",
    "boto3",
    "s3",
    "subprocess",
    "download",
    "upload",
    "fetch",
    "redis",
    "session.",
    "client.",
    "smtp",
    "paramiko",
    "ftp",
    "wait",
    "input",
    "mkdir",
    "listdir",
    "scandir",
];

/// Calls that burn CPU in the interpreter (or hold the GIL for most of their run).
fn cpu_call(callee: &str) -> bool {
    let c = callee.to_ascii_lowercase();
    [
        "hashlib.",
        "pbkdf2",
        "bcrypt.",
        "scrypt",
        "argon2",
        "zlib.compress",
        "gzip.compress",
        "bz2.compress",
        "lzma.compress",
        "json.loads",
        "json.dumps",
        "re.",
        "math.",
        "sorted",
        "sum",
        "pow",
        "itertools.",
        "ast.parse",
        "xml.",
        "etree.",
        "csv.reader",
        "csv.dictreader",
        "yaml.safe_load",
        "beautifulsoup",
        "tokenize",
        // Pure-Python sequence comparison (plagiarism checks, fuzzy matching).
        "difflib.",
        "sequencematcher",
        // Image and document rendering in Pillow / PyMuPDF holds the GIL for much of its run.
        "image.open",
        "thumbnail",
        "imagehash.",
        "get_pixmap",
        "fitz.open",
    ]
    .iter()
    .any(|p| c.starts_with(p) || c.has(&format!(".{p}")))
}

/// Why `g` is CPU-bound, if it is: a pure-Python loop with arithmetic, or CPU-heavy calls,
/// and no I/O.
fn cpu_bound(cx: &Ctx, g: &Function) -> Option<String> {
    cpu_bound_at(cx, g, 0)
}

/// [`cpu_bound`], following calls into the snippet's own functions `depth` levels deep.
fn cpu_bound_at(cx: &Ctx, g: &Function, depth: usize) -> Option<String> {
    let text = fn_text(cx, g);
    let lower = text.to_ascii_lowercase();
    // pandas parses CSVs and runs group-bys and resamples largely under the GIL.
    if lower.has("pd.read_")
        && ["resample(", "groupby(", ".agg(", ".apply("]
            .iter()
            .any(|w| lower.has(w))
    {
        return Some(
            "pandas parsing and group-bys, which hold the GIL for most of their run".into(),
        );
    }
    if lower.has("np.") || lower.has("numpy") || lower.has("torch") {
        return None; // native code that releases the GIL
    }
    // One read before a heavy loop (`body = s3.get_object(…)…read()`, then a loop of
    // `math.*` per record) is still CPU work; I/O without such a loop is I/O work.
    let direct_io = |c: &crate::analyzer::facts::Call| {
        let callee = format!("{}(", c.callee.to_ascii_lowercase());
        IO.iter().any(|w| callee.has(w)) && !cpu_call(&c.callee)
    };
    // Or a call of the snippet's own helper that does the I/O (`_get_with_retry(client, …)`).
    let io_call = |c: &crate::analyzer::facts::Call| {
        direct_io(c)
            || c.receiver.is_empty()
                && super::cache_calls::local_function(cx, &c.method)
                    .is_some_and(|h| !std::ptr::eq(h, g) && h.calls.iter().any(direct_io))
    };
    let arithmetic = |t: &str| {
        // `{"supplier": s, **item}` and `f(**kwargs)` unpack; they do not multiply.
        let t = t.replace("{**", "").replace(", **", "").replace("(**", "");
        [
            "+=", "*=", "**", " * ", " % ", "//", "^=", " + ", " - ", "|=",
        ]
        .iter()
        .any(|op| t.has(op))
    };
    // Loops that do no I/O and compute: nested loops with arithmetic (`for frame …: for band
    // …: e += s * s`), or a loop calling the snippet's own pure arithmetic loop.
    let io_in_loops = g
        .calls
        .iter()
        .any(|c| g.loops.iter().any(|l| l.contains(&c.loc)) && io_call(c));
    let pure_loop = |h: &Function| {
        !h.loops.is_empty() && !h.calls.iter().any(io_call) && arithmetic(fn_text(cx, h))
    };
    let computing_loops = !io_in_loops
        && g.loops.iter().any(|outer| {
            g.loops
                .iter()
                .any(|inner| inner != outer && outer.contains(inner) && arithmetic(cx.text(inner)))
                || g.calls.iter().any(|c| {
                    outer.contains(&c.loc)
                        && c.receiver.is_empty()
                        && super::cache_calls::local_function(cx, &c.method)
                            .is_some_and(|h| !std::ptr::eq(h, g) && pure_loop(h))
                })
        });
    // `route = two_opt(stops)` then one request with the result: the solver is the work.
    let heavy_helper = if depth == 0 {
        g.calls.iter().find_map(|c| {
            let h = super::cache_calls::local_function(cx, &c.method)
                .filter(|h| c.receiver.is_empty() && !std::ptr::eq(*h, g))?;
            cpu_bound_at(cx, h, depth + 1).map(|why| format!("`{}` ({why})", h.name))
        })
    } else {
        None
    };
    let heavy_loop = heavy_helper.is_some()
        || computing_loops
        || g.loop_facts.iter().any(|l| {
            g.calls.iter().any(|c| {
                l.body.contains(&c.loc)
                    && (cpu_call(&c.callee)
                        || c.receiver.is_empty()
                            && super::cache_calls::local_function(cx, &c.method).is_some_and(|h| {
                                h.loop_facts.is_empty()
                                    && h.calls.iter().any(|hc| cpu_call(&hc.callee))
                                    && !h.calls.iter().any(|hc| classify(h, hc).is_some())
                            }))
            })
        });
    for c in &g.calls {
        if classify(g, c).is_some() && !heavy_loop {
            return None;
        }
        let callee = format!("{}(", c.callee.to_ascii_lowercase());
        // Opening a local file to parse it (`open(path)` then `csv.DictReader(fh)`): the
        // parsing, not the read, is the work.
        let parsed_file = c.callee == "open"
            && g.calls.iter().any(|o| {
                let l = o.callee.to_ascii_lowercase();
                [
                    "csv.",
                    "json.load",
                    "etree",
                    "yaml.",
                    "ast.parse",
                    "tomllib.",
                ]
                .iter()
                .any(|p| l.starts_with(p) || l.has(&format!(".{p}")))
            });
        // `queue.get_nowait()` hands out work; it never waits.
        let nowait = callee.ends_with("_nowait(");
        if io_call(c) && !parsed_file && !nowait && !heavy_loop {
            return None;
        }
    }
    if !g.loops.is_empty() && arithmetic(text) {
        return Some("a pure-Python loop with arithmetic".to_string());
    }
    if let Some(why) = heavy_helper {
        return Some(why);
    }
    if let Some(c) = g
        .calls
        .iter()
        .filter(|c| cpu_call(&c.callee))
        .min_by_key(|c| c.callee.len())
    {
        return Some(format!("`{}`", c.callee));
    }
    let recursive = g.calls.iter().any(|c| c.callee == g.name);
    if recursive && arithmetic(text) {
        return Some("recursive arithmetic".to_string());
    }
    None
}

/// The function a target expression names: `crunch`, `self.crunch`, `partial(crunch, n)`,
/// `lambda: crunch(x)`.
fn target_function<'a>(cx: &'a Ctx, text: &str) -> Option<&'a Function> {
    let t = text.trim();
    let t = t
        .strip_prefix("functools.partial(")
        .or_else(|| t.strip_prefix("partial("))
        .unwrap_or(t);
    let t = t
        .strip_prefix("lambda")
        .map_or(t, |r| r.split_once(':').map_or(r, |(_, b)| b));
    let name: String = t
        .trim()
        .split(['(', ',', ')', ' '])
        .next()
        .unwrap_or("")
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_string();
    if name.is_empty() {
        return None;
    }
    cx.program.functions.iter().skip(1).find(|g| g.name == name)
}

struct Site<'a> {
    /// Where the threads are created (the executor, the Thread call).
    at: Loc,
    what: String,
    workers: Option<String>,
    target: &'a Function,
    reason: String,
}

fn workers_of(c: &Call) -> Option<String> {
    c.kwarg("max_workers")
        .or_else(|| c.kwarg("processes"))
        .or_else(|| c.args.first().filter(|a| a.name.is_none()))
        .map(|a| a.text.clone())
}

/// Thread pools created once at module level (`executor = ThreadPoolExecutor(16)`), by the
/// names they are bound to: a service shares one pool and uses it inside its handlers.
fn module_thread_pools<'a>(cx: &Ctx<'a>) -> Vec<(&'a str, &'a Call)> {
    let Some(module) = cx.program.functions.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in &module.calls {
        let threads = matches!(c.method.as_str(), "ThreadPoolExecutor" | "ThreadPool")
            && !c.callee.has("Process");
        if !threads {
            continue;
        }
        for a in module.assigns.iter().filter(|a| a.loc.contains(&c.loc)) {
            out.extend(a.names.iter().map(|n| (n.as_str(), c)));
        }
    }
    out
}

/// `with ThreadPoolExecutor(16) as io_pool, ProcessPoolExecutor() as cpu_pool:` or
/// `cpu_pool = ProcessPoolExecutor()`: `cpu_pool` names processes, whatever else is around.
fn bound_to_process_pool(cx: &Ctx, f: &Function, name: &str) -> bool {
    f.calls
        .iter()
        .filter(|c| c.callee.has("Process") || c.callee.ends_with("multiprocessing.Pool"))
        .any(|c| {
            let after = cx.source.get(c.loc.end..).unwrap_or("").trim_start();
            let with_as = after.strip_prefix("as ").is_some_and(|rest| {
                rest.trim_start().strip_prefix(name).is_some_and(|tail| {
                    !tail.starts_with(|ch: char| ch.is_alphanumeric() || ch == '_')
                })
            });
            with_as
                || f.assigns
                    .iter()
                    .any(|a| a.loc.contains(&c.loc) && a.names.iter().any(|n| n == name))
        })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    if cx.language != Language::Python {
        return;
    }
    let module_pools = module_thread_pools(cx);
    let module_pool = |name: &str| {
        module_pools
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|(_, c)| *c)
    };
    let mut sites: Vec<Site> = Vec::new();
    for f in &cx.program.functions {
        let executors: Vec<&Call> = f
            .calls
            .iter()
            .filter(|c| matches!(c.method.as_str(), "ThreadPoolExecutor" | "ThreadPool"))
            .filter(|c| c.method != "ThreadPool" || !c.callee.has("Process"))
            .collect();
        for c in &f.calls {
            let m = c.method.as_str();
            let (target_text, at, what, workers) = if m == "Thread" {
                let Some(t) = c.kwarg("target") else { continue };
                // `for _ in range(8): Thread(...)` → the loop bound is the thread count.
                let count = f
                    .loop_facts
                    .iter()
                    .find(|l| l.body.contains(&c.loc) && l.iterable.starts_with("range("))
                    .map(|l| {
                        l.iterable
                            .trim_start_matches("range(")
                            .trim_end_matches(')')
                            .to_string()
                    });
                (t.text.clone(), c.loc, format!("`{}`", c.callee), count)
            } else if matches!(
                m,
                "submit" | "map" | "imap" | "imap_unordered" | "starmap" | "apply_async"
            ) {
                let Some(ex) = executors
                    .first()
                    .copied()
                    .or_else(|| module_pool(&c.receiver))
                else {
                    continue;
                };
                let r = c.receiver.to_ascii_lowercase();
                if r.is_empty()
                    || r.has("process")
                    || r == "multiprocessing"
                    || bound_to_process_pool(cx, f, &c.receiver)
                {
                    continue;
                }
                let Some(t) = c.args.first() else { continue };
                (
                    t.text.clone(),
                    ex.loc,
                    format!("`{}`", ex.callee),
                    workers_of(ex),
                )
            } else if c.callee == "asyncio.to_thread" {
                let Some(t) = c.args.first() else { continue };
                (
                    t.text.clone(),
                    c.loc,
                    "`asyncio.to_thread`".to_string(),
                    None,
                )
            } else if m == "run_in_executor" {
                let (Some(ex), Some(t)) = (c.args.first(), c.args.get(1)) else {
                    continue;
                };
                let shared = module_pool(&ex.text);
                let pool_is_threads = ex.text == "None"
                    || ex.text.to_ascii_lowercase().has("thread")
                    || shared.is_some()
                    || executors.iter().any(|e| {
                        f.assigns
                            .iter()
                            .any(|a| a.loc.contains(&e.loc) && a.names.contains(&ex.text))
                    });
                if !pool_is_threads {
                    continue;
                }
                let what = match shared {
                    Some(pool) => format!(
                        "`{}` (a `{}`, used by `{}` at line {})",
                        ex.text, pool.callee, c.callee, c.loc.span.start_line
                    ),
                    None => format!("`{}` on the default thread pool", c.callee),
                };
                // A shared pool: its creation is the line to change (to a process pool).
                let at = shared.map_or(c.loc, |pool| pool.loc);
                (t.text.clone(), at, what, shared.and_then(workers_of))
            } else {
                continue;
            };
            let Some(target) = target_function(cx, &target_text) else {
                continue;
            };
            let Some(reason) = cpu_bound(cx, target) else {
                continue;
            };
            sites.push(Site {
                at,
                what,
                workers,
                target,
                reason,
            });
        }
    }
    let mut lines: Vec<usize> = Vec::new();
    for s in sites {
        let line = s.at.span.start_line;
        if lines.contains(&line) {
            continue;
        }
        lines.push(line);
        let tl = s.target.loc.span.start_line;
        let mut params = BTreeMap::new();
        params.insert("target".to_string(), s.target.name.clone());
        params.insert("target_line".to_string(), tl.to_string());
        if let Some(w) = &s.workers {
            params.insert("threads".to_string(), w.clone());
            if let Some(n) = eval_product(w) {
                params.insert("threads_n".to_string(), n.to_string());
            }
        }
        let threads = s
            .workers
            .as_deref()
            .map_or(String::new(), |w| format!(" ({w} threads)"));
        let message = format!(
            "{} at line {line}{threads} runs `{}` (line {tl}), which is CPU-bound ({}) with no I/O: the GIL lets one thread run Python at a time, so the threads take turns on one core instead of running in parallel and slow every other request in the process.",
            s.what, s.target.name, s.reason
        );
        let fix = format!(
            "Run `{}` in processes: `ProcessPoolExecutor(max_workers=os.cpu_count())` / `multiprocessing.Pool`, or move the hot loop into code that releases the GIL (NumPy, a C/Rust extension).",
            s.target.name
        );
        let evidence = vec![
            cx.evidence(&s.at, "threads"),
            cx.evidence(&s.target.loc, "cpu"),
        ];
        out.push(finding(
            ID,
            Severity::Warning,
            &s.at,
            message,
            fix,
            evidence,
            params,
        ));
    }
}
