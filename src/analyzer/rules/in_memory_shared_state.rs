//! # in-memory-shared-state
//!
//! ## What it does
//! Flags sessions, job status, locks, counters, carts or websocket rooms kept in a
//! module-level dict / `Map` / set / list (or a singleton's `self.x = {}`) that request
//! handlers write and other requests read: `jobs = {}`, then `jobs[job_id] = {"status":
//! "running"}` in one handler and `jobs[job_id]` in another; `const sessions = new Map()`;
//! a TypeScript class field `private readonly jobs = new Map()`; Go package-level
//! `map[…]…{}` / `make(map…)` / `var jobs sync.Map`; Java fields holding a
//! `ConcurrentHashMap`, `HashMap`, list, set or `AtomicLong` counter in a controller or service.
//! Caches (see `unbounded-cache`) and rate limits (see `in-memory-rate-limit`) have their own
//! rules. When the snippet says it runs as several processes (replicas, pods, workers), any
//! such map one method writes and another reads counts, whatever it is called (open
//! connections excepted: they can only live where they were opened). Silent for constants and
//! config, registries filled at import or startup, state kept in Redis or a database, and
//! snippets that state they run as one process.
//!
//! ## Why is this bad at scale
//! Each replica and each worker process has its own copy. The request that starts a job lands
//! on one process, the poll for its status on another, which answers 404; a login stored on
//! pod A is unknown to pod B; a websocket broadcast reaches only the clients connected to the
//! same process. It works on a laptop (one process) and fails as soon as the service runs
//! with `--workers 4` or two replicas; every deploy or crash also wipes it.
//!
//! ## Example
//! ```python
//! jobs = {}
//!
//! @app.post("/jobs")
//! def start(background: BackgroundTasks):
//!     job_id = uuid4().hex
//!     jobs[job_id] = {"status": "running"}
//!     background.add_task(run, job_id)
//!     return {"id": job_id}
//!
//! @app.get("/jobs/{job_id}")
//! def status(job_id: str):
//!     return jobs[job_id]
//! ```
//!
//! ## Use instead
//! Keep the state where every process sees it: a `jobs` table, or Redis
//! (`redis.hset(f"job:{job_id}", mapping={"status": "running"})` with an expiry), a session
//! store (`connect-redis`, Django's DB/cache sessions), and a pub/sub channel (Redis adapter
//! for Socket.IO) for websocket rooms.
//!
//! ## Languages
//! Python, JavaScript, TypeScript, Go, Java.

use super::process_state::{line_loc, state_vars, uses_in_functions, Access, StateVar};
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::Function;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "in-memory-shared-state";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Shared state kept in process memory",
    what_it_does: "Flags sessions, job status, locks, counters, carts or websocket rooms kept in a module-level dict / Map / set / list (or a singleton's `self.x = {}`, a TypeScript class field, a Go package-level map or sync.Map, a Java ConcurrentHashMap/HashMap/AtomicLong field) that request handlers write and other requests read. Caches and rate limits have their own rules. Silent for constants, registries filled at import or startup, Redis/DB-backed state, and snippets that state one process.",
    why_bad_at_scale: "Each replica and worker process has its own copy. The request that starts a job lands on one process and the status poll on another, which answers 404; a session stored on pod A is unknown to pod B; a websocket broadcast reaches only the clients of one process. It works with one process and fails with `--workers 4` or two replicas; every deploy or crash wipes it.",
    example: "jobs = {}\n\n@app.post(\"/jobs\")\ndef start(background: BackgroundTasks):\n    job_id = uuid4().hex\n    jobs[job_id] = {\"status\": \"running\"}\n    background.add_task(run, job_id)\n    return {\"id\": job_id}\n\n@app.get(\"/jobs/{job_id}\")\ndef status(job_id: str):\n    return jobs[job_id]",
    use_instead: "Keep the state where every process sees it: a `jobs` table, or Redis (`redis.hset(f\"job:{job_id}\", mapping={\"status\": \"running\"})` with an expiry); a shared session store (connect-redis, Django DB/cache sessions); a pub/sub adapter (Socket.IO Redis adapter) for websocket rooms.",
    languages: &["python", "javascript", "typescript", "go", "java"],
};

/// Names that belong to the cache and rate-limit rules.
pub(crate) fn other_rule_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "cache", "memo", "lru", "rate", "limit", "throttl", "hits", "attempt", "bucket", "quota",
    ]
    .iter()
    .any(|w| n.has(w))
}

/// Names that say "state shared between requests".
fn state_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "job",
        "task",
        "session",
        "status",
        "progress",
        "room",
        "client",
        "connection",
        "socket",
        "lock",
        "count",
        "online",
        "user",
        "cart",
        "order",
        "token",
        "subscriber",
        "result",
        "upload",
        "queue",
        "pending",
        "active",
        "inflight",
        "in_flight",
        "state",
        "game",
        "player",
        "lobb",
        "party",
        "parties",
        "channel",
        "booking",
        "reservation",
        "seat",
        "vote",
        "like",
        "store",
        "db",
        "data",
        "items",
        "todos",
        "messages",
        "chat",
        "history",
        "peers",
        "listeners",
        "presence",
        "otp",
        "code",
        "visits",
        "views",
        // Money and stock kept per process: `campaignSpend`, `walletBalances`, `stockLeft`.
        "spend",
        "budget",
        "balance",
        "stock",
        "inventory",
        // Per-key locks: `slotMonitors`, `mutexes`.
        "monitor",
        "mutex",
    ]
    .iter()
    .any(|w| n.has(w))
}

fn registration_fn(f: &Function) -> bool {
    let n = f.name.to_ascii_lowercase();
    [
        "register",
        "decorator",
        "wrap",
        "inner",
        "startup",
        "lifespan",
        "setup",
        "init",
        "load",
        "configure",
        "bootstrap",
        "seed",
    ]
    .iter()
    .any(|w| n.starts_with(w) || n.has(&format!("_{w}")))
        || f.decorators.iter().any(|d| {
            let d = d.to_ascii_lowercase();
            d.has("startup") || d.has("on_event") || d.has("lifespan")
        })
        || f.name == "<anonymous>"
            && f.params
                .iter()
                .any(|p| p == "fn" || p == "func" || p == "cls")
}

/// A function that runs per request / per message (or inside one).
fn per_request(cx: &Ctx, fi: usize) -> bool {
    let fns = &cx.program.functions;
    let mut cur = Some(fi);
    let mut hops = 0;
    while let Some(i) = cur {
        let f = &fns[i];
        if f.is_handler()
            || f.decorators.iter().any(|d| {
                let d = d.to_ascii_lowercase();
                d.has("websocket")
                    || d.has("socketio.on")
                    || d.has(".event")
                    || d.has("sio.on")
                    || d.has("message")
            })
            || (f.name.starts_with("callback of ")
                && (f.name.ends_with(".on") || f.name.ends_with(".ws")))
            || f.params
                .iter()
                .any(|p| matches!(p.as_str(), "websocket" | "ws" | "socket" | "sid"))
        {
            return true;
        }
        cur = f.parent;
        hops += 1;
        if hops > 16 {
            break;
        }
    }
    false
}

/// How the message names a function: `login`, "the `wss.on` callback".
fn fn_label(name: &str) -> String {
    match name.strip_prefix("callback of ") {
        Some(reg) if reg.len() <= 40 && !reg.has("=>") => format!("the `{reg}` callback"),
        Some(_) => "a callback".to_string(),
        None => format!("`{name}`"),
    }
}

struct Plan<'v> {
    var: &'v StateVar,
    write: (usize, usize),
    read: Option<(usize, usize)>,
}

fn plan<'v>(cx: &Ctx, var: &'v StateVar) -> Option<Plan<'v>> {
    if other_rule_name(&var.bare)
        || var.class.as_deref().is_some_and(other_rule_name)
        || super::unbounded_cache::cache_like(cx, var)
        || super::process_state::limiter_map(cx, var)
        || super::process_state::inflight_promises(cx, var)
    {
        return None;
    }
    let multi = cx.deployment().multi_process();
    let uses = uses_in_functions(cx, var);
    let fns = &cx.program.functions;
    let writes: Vec<_> = uses
        .iter()
        .filter(|(f, _, a)| *a == Access::Write && !registration_fn(&fns[*f]))
        .collect();
    let write = writes
        .iter()
        .find(|(f, _, _)| per_request(cx, *f))
        // Or any write, when the snippet says it runs as several processes: a map kept by one
        // service method and read by another (`openStays.put` at entry, `.remove` at exit)
        // splits across them whatever it is called.
        // Open connections (`map[string]map[*websocket.Conn]struct{}`) can only live in the
        // process that holds them; they count by name (rooms, clients) alone.
        .or_else(|| {
            let decl = cx
                .lines
                .line_text(var.loc.span.start_line)
                .to_ascii_lowercase();
            let connections = decl.has("conn") || decl.has("socket");
            writes
                .first()
                .filter(|_| state_name(&var.bare) || multi && !connections)
        })?;
    // Read (or cleared) somewhere else: another handler, a background task, a getter.
    let read = uses
        .iter()
        .find(|(f, _, a)| *f != write.0 && *a != Access::Write)
        .or_else(|| uses.iter().find(|(f, _, _)| *f != write.0));
    // One function that writes and reads its own state is shared only if it runs per request,
    // or when the snippet says it runs as several processes (each keeps its own copy).
    // A map only one handler uses (a per-key guard: `LoadOrStore(id)` then `Delete(id)`) is
    // still split when the snippet says it runs as several processes.
    let per_req = per_request(cx, write.0);
    if read.is_none() && !((per_req || multi) && state_name(&var.bare) || per_req && multi) {
        return None;
    }
    Some(Plan {
        var,
        write: (write.0, write.1),
        read: read.map(|r| (r.0, r.1)),
    })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let d = cx.deployment();
    if d.single_process() || super::process_state::one_shot_script(cx) {
        return;
    }
    let before = out.len();
    let vars = state_vars(cx);
    let fns = &cx.program.functions;
    for p in vars.iter().filter_map(|v| plan(cx, v)) {
        let var = p.var;
        let decl = var.loc.span.start_line;
        let wloc = line_loc(cx, p.write.1);
        let wf = &fns[p.write.0];
        let mut evidence = vec![cx.evidence(&var.loc, "state"), cx.evidence(&wloc, "write")];
        let read_part = match p.read {
            Some((rf, at)) => {
                let rloc = line_loc(cx, at);
                evidence.push(cx.evidence(&rloc, "read"));
                format!(
                    " and {} reads it at line {}",
                    fn_label(&fns[rf].name),
                    rloc.span.start_line
                )
            }
            None => String::new(),
        };
        let procs = match (d.replicas, d.workers) {
            (Some(r), Some(w)) => format!("{r} replicas × {w} workers each hold their own copy"),
            (Some(r), None) => format!("each of the {r} replicas holds its own copy"),
            (None, Some(w)) => format!("each of the {w} worker processes holds its own copy"),
            _ if d.clustered => "each cluster worker holds its own copy".to_string(),
            _ => "with more than one worker or replica each process holds its own copy".to_string(),
        };
        let message = format!(
            "`{}` (line {decl}) keeps state in this process's memory: {} writes it at line {}{read_part}; {procs}, so a request served by another process does not see it (and a restart loses it).",
            var.name,
            fn_label(&wf.name),
            wloc.span.start_line
        );
        let lower = var.bare.to_ascii_lowercase();
        let fix = if lower.has("session") {
            match cx.language {
                Language::Go => "Use a shared session store (Redis via `go-redis`, or a `gorilla/sessions` Redis store, or signed cookies) instead of a package-level map.",
                Language::Java => "Use Spring Session with Redis or JDBC (`spring-session-data-redis`), or signed tokens, instead of a map in the bean.",
                _ => "Use a shared session store (Redis via `connect-redis` / `django-redis`, or signed cookies) instead of a process dict.",
            }
        } else if [
            "room",
            "client",
            "socket",
            "connection",
            "subscriber",
            "peers",
            "listeners",
        ]
        .iter()
        .any(|w| lower.has(w))
        {
            "Broadcast through a shared pub/sub (Socket.IO Redis adapter, Redis PUBLISH/SUBSCRIBE, channels-redis) so every replica reaches its own connections."
        } else if lower.has("count") || lower.has("visit") || lower.has("views") {
            "Count in a shared store: Redis `INCR` (per key, with an expiry if it is a window) or an atomic `UPDATE … SET n = n + 1` in the database."
        } else if lower.has("lock") {
            "Take the lock in a shared store (`SET lock:<id> <token> NX PX 30000` in Redis, or a database row lock)."
        } else {
            "Keep it in a store every process shares: a database table or Redis (`HSET job:<id> status running` with an expiry), and read it from there."
        };
        let mut params = BTreeMap::new();
        params.insert("state".to_string(), var.name.clone());
        params.insert("write_line".to_string(), wloc.span.start_line.to_string());
        if let Some(r) = d.replicas {
            params.insert("replicas".into(), r.to_string());
        }
        if let Some(w) = d.workers {
            params.insert("workers".into(), w.to_string());
        }
        if let Some(n) = d.processes() {
            params.insert("processes".into(), n.to_string());
        }
        let severity = if d.multi_process() {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(finding(
            ID,
            severity,
            &var.loc,
            message,
            fix.to_string(),
            evidence,
            params,
        ));
    }
    // Rooms kept in a map of the snippet's own already say it; otherwise the server is it.
    let rooms_said = out[before..].iter().any(|f| {
        f.evidence.iter().any(|e| {
            let s = e.code.to_ascii_lowercase();
            ["room", "socket", "client", "connection", "peer"]
                .iter()
                .any(|w| s.has(w))
        })
    });
    if !rooms_said {
        socket_io_without_adapter(cx, out);
    }
}

/// A Socket.IO server on several processes with no adapter: its rooms and `io.to(room).emit`
/// reach only the sockets connected to the same process.
fn socket_io_without_adapter(cx: &Ctx, out: &mut Vec<Finding>) {
    let d = cx.deployment();
    if !d.multi_process()
        || !cx.source_has("socket.io")
        || cx.source_has("Adapter")
        || cx.source_has("adapter")
    {
        return;
    }
    let Some(c) = cx
        .program
        .functions
        .iter()
        .flat_map(|f| &f.calls)
        .find(|c| c.method == "Server" && c.callee.starts_with("new ") || c.callee == "new Server")
    else {
        return;
    };
    let line = c.loc.span.start_line;
    let mut params = BTreeMap::new();
    params.insert("state".to_string(), "socket.io rooms".to_string());
    if let Some(n) = d.processes() {
        params.insert("processes".into(), n.to_string());
    }
    out.push(finding(
        ID,
        Severity::Error,
        &c.loc,
        format!("The Socket.IO server built at line {line} keeps its rooms and connections in this process's memory, and nothing connects it to the other processes: an `io.to(room).emit(…)` on one replica never reaches clients connected to another."),
        "Attach the Redis adapter (`io.adapter(createAdapter(pubClient, subClient))` from `@socket.io/redis-adapter`) so every replica's rooms are shared.".to_string(),
        vec![cx.evidence(&c.loc, "state")],
        params,
    ));
}
