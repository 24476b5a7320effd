//! # connection-per-request
//!
//! ## What it does
//! Flags a database or HTTP client created inside a request handler (or a helper the handler
//! calls, or a per-request dependency): `psycopg2.connect`, `asyncpg.connect`,
//! `pymysql.connect`, `sqlite3.connect`, `create_engine`, `redis.Redis()`, `MongoClient()`,
//! `requests.Session()`, `httpx.Client()` / `AsyncClient()`, `aiohttp.ClientSession()`; in
//! JavaScript `new Pool()`, `new Client()`, `new PrismaClient()`, `new Redis()`,
//! `new MongoClient()`, `mysql.createConnection()`, `mongoose.connect()` inside a handler.
//! Pools and clients created once at module level, lazily cached singletons and
//! dependency-injected sessions are left alone.
//!
//! ## Why is this bad at scale
//! Every request pays a TCP (and often TLS and authentication) handshake before doing any
//! work, and holds its own server-side connection. At a few hundred concurrent requests the
//! database hits `max_connections` and starts refusing everyone; a pool or engine created per
//! request multiplies that by its size. HTTP clients created per request lose keep-alive and
//! connection reuse, and exhaust ephemeral ports under load.
//!
//! ## Example
//! ```python
//! @app.get("/users/{user_id}")
//! def get_user(user_id: int):
//!     conn = psycopg2.connect(DATABASE_URL)
//!     ...
//! ```
//!
//! ## Use instead
//! ```python
//! pool = psycopg2.pool.ThreadedConnectionPool(1, 20, DATABASE_URL)  # once, at start-up
//!
//! @app.get("/users/{user_id}")
//! def get_user(user_id: int):
//!     conn = pool.getconn()
//!     try:
//!         ...
//!     finally:
//!         pool.putconn(conn)
//! ```
//!
//! ## Languages
//! Python, JavaScript, TypeScript.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Function, Loc};
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "connection-per-request";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Connection opened per request",
    what_it_does: "Flags a database or HTTP client created inside a request handler, a helper it calls, or a per-request dependency: psycopg2/asyncpg/pymysql/sqlite3 connect, create_engine, redis.Redis(), MongoClient(), requests.Session(), httpx.Client()/AsyncClient(), aiohttp.ClientSession(); JavaScript new Pool()/Client()/PrismaClient()/Redis()/MongoClient(), mysql.createConnection(), mongoose.connect() inside a handler. Module-level pools and clients, cached singletons and injected sessions are left alone.",
    why_bad_at_scale: "Every request pays a TCP (often TLS and auth) handshake before any work and holds its own server-side connection. At a few hundred concurrent requests the database hits max_connections and refuses everyone; a pool or engine created per request multiplies that by its size. HTTP clients created per request lose keep-alive and exhaust ephemeral ports under load.",
    example: "@app.get(\"/users/{user_id}\")\ndef get_user(user_id: int):\n    conn = psycopg2.connect(DATABASE_URL)\n    ...",
    use_instead: "pool = psycopg2.pool.ThreadedConnectionPool(1, 20, DATABASE_URL)  # once, at start-up\n\n@app.get(\"/users/{user_id}\")\ndef get_user(user_id: int):\n    conn = pool.getconn()\n    try:\n        ...\n    finally:\n        pool.putconn(conn)",
    languages: &["python", "javascript", "typescript"],
};

/// (kind, what to create once instead) for a Python constructor callee.
fn python_kind(callee: &str) -> Option<(&'static str, &'static str)> {
    let db = ("database connection", "a pool created once at start-up (`psycopg2.pool.ThreadedConnectionPool`, `asyncpg.create_pool`, a module-level SQLAlchemy engine)");
    let http = ("HTTP client", "one module-level client (`requests.Session()` / `httpx.AsyncClient()` created at start-up and closed on shutdown)");
    Some(match callee {
        "psycopg2.connect" | "psycopg.connect" | "psycopg.AsyncConnection.connect"
        | "asyncpg.connect" | "pymysql.connect" | "MySQLdb.connect"
        | "mysql.connector.connect" | "aiomysql.connect" | "sqlite3.connect" | "cx_Oracle.connect"
        | "oracledb.connect" | "pyodbc.connect" => db,
        "create_engine" | "sqlalchemy.create_engine" | "create_async_engine" => (
            "SQLAlchemy engine (a whole pool)",
            "one module-level engine and `SessionLocal = sessionmaker(engine)`, injected per request",
        ),
        "asyncpg.create_pool" | "psycopg2.pool.SimpleConnectionPool"
        | "psycopg2.pool.ThreadedConnectionPool" | "aiomysql.create_pool" => (
            "connection pool",
            "the pool created once at start-up (lifespan / module level) and acquired from per request",
        ),
        "redis.Redis" | "redis.StrictRedis" | "Redis" | "StrictRedis" | "redis.from_url"
        | "Redis.from_url" | "aioredis.from_url" | "redis.asyncio.Redis"
        | "redis.asyncio.from_url" => (
            "Redis client",
            "one module-level `redis.Redis(connection_pool=…)` / `redis.from_url(...)` shared by all requests",
        ),
        "MongoClient" | "pymongo.MongoClient" | "AsyncIOMotorClient"
        | "motor.motor_asyncio.AsyncIOMotorClient" => (
            "MongoDB client",
            "one module-level `MongoClient` (it is a pool) shared by all requests",
        ),
        "requests.Session" | "requests.session" | "httpx.Client" | "httpx.AsyncClient"
        | "aiohttp.ClientSession" | "ClientSession" => http,
        _ => return None,
    })
}

fn js_kind(value: &str, source: &str) -> Option<(&'static str, &'static str)> {
    let v = value.trim_start().trim_start_matches("await ").trim_start();
    let db = (
        "database connection",
        "one module-level `Pool` (or client) created at start-up, `pool.query(...)` per request",
    );
    let name: String = v
        .trim_start_matches("new ")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
        .collect();
    let is_new = v.starts_with("new ");
    Some(match name.as_str() {
        "Pool" | "pg.Pool" if is_new => db,
        "Client" | "pg.Client"
            if is_new && (source.contains("\"pg\"") || source.contains("'pg'")) =>
        {
            db
        }
        "PrismaClient" if is_new => (
            "Prisma client (a connection pool)",
            "one module-level `PrismaClient` (in Next.js cached on `globalThis` in development)",
        ),
        "Redis" | "IORedis" if is_new => (
            "Redis client",
            "one module-level `new Redis(...)` shared by all requests",
        ),
        "MongoClient" if is_new => (
            "MongoDB client",
            "one module-level `MongoClient` connected at start-up",
        ),
        "Sequelize" if is_new => (
            "Sequelize instance (a connection pool)",
            "one module-level `Sequelize` instance",
        ),
        "mysql.createConnection"
        | "mysql.createPool"
        | "mysql2.createConnection"
        | "createConnection"
            if !is_new =>
        {
            db
        }
        "createClient" | "redis.createClient" if !is_new && source.contains("redis") => (
            "Redis client",
            "one module-level client connected at start-up",
        ),
        "mongoose.connect" | "MongoClient.connect" if !is_new => (
            "MongoDB connection",
            "`mongoose.connect(...)` once at start-up",
        ),
        _ => return None,
    })
}

const STARTUP: [&str; 14] = [
    "lifespan",
    "startup",
    "on_startup",
    "init_db",
    "init_app",
    "create_app",
    "main",
    "__init__",
    "setup",
    "connect",
    "init",
    "get_pool",
    "get_engine",
    "bootstrap",
];

/// The function runs per request: a handler, nested in one, called from one, or a
/// per-request dependency (`Depends(get_conn)`).
fn per_request(cx: &Ctx, fi: usize) -> bool {
    let fs = &cx.program.functions;
    let f = &fs[fi];
    let mut p = Some(fi);
    while let Some(i) = p {
        if i != 0 && fs[i].is_handler() {
            return true;
        }
        p = fs[i].parent;
    }
    if f.name.is_empty() || f.name.contains(' ') {
        return false;
    }
    if cx.source.contains(&format!("Depends({})", f.name)) {
        return true;
    }
    fs.iter().skip(1).any(|g| {
        g.is_handler()
            && g.calls.iter().any(|c| {
                c.callee == f.name
                    || c.callee == format!("self.{}", f.name)
                    || c.callee == format!("this.{}", f.name)
            })
    })
}

/// Cached or lazily created once: `global _pool; if _pool is None: _pool = …`, `@lru_cache`.
fn cached_once(cx: &Ctx, f: &Function) -> bool {
    let text = cx.text(&f.loc);
    f.decorators.iter().any(|d| d.contains("cache"))
        || text.contains("global ")
        || text.contains("is None") && (text.contains("self._") || text.contains("cls."))
        || text.contains("globalThis.")
        || text.contains("global.")
        || STARTUP.contains(&f.name.as_str())
        || f.decorators.iter().any(|d| {
            d.contains("on_event")
                || d.contains("before_serving")
                || d.contains("before_first_request")
        })
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut lines = Vec::new();
    for (fi, f) in cx.program.functions.iter().enumerate().skip(1) {
        if !per_request(cx, fi) || cached_once(cx, f) {
            continue;
        }
        let mut hits: Vec<(Loc, String, (&str, &str))> = Vec::new();
        if cx.language == Language::Python {
            for c in &f.calls {
                if let Some(k) = python_kind(&c.callee) {
                    hits.push((c.loc, c.callee.clone(), k));
                }
            }
        } else {
            for a in &f.assigns {
                if let Some(k) = js_kind(&a.value, cx.source) {
                    let ctor: String = a
                        .value
                        .trim()
                        .trim_start_matches("await ")
                        .split('(')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    hits.push((a.loc, ctor, k));
                }
            }
            for c in &f.calls {
                if matches!(
                    c.callee.as_str(),
                    "mongoose.connect"
                        | "MongoClient.connect"
                        | "mysql.createConnection"
                        | "mysql.createPool"
                ) {
                    if let Some(k) = js_kind(&c.callee, cx.source) {
                        hits.push((c.loc, c.callee.clone(), k));
                    }
                }
            }
        }
        for (loc, ctor, (kind, instead)) in hits {
            let line = loc.span.start_line;
            if lines.contains(&line) {
                continue;
            }
            lines.push(line);
            let message = format!(
                "`{ctor}` at line {line} creates a new {kind} on every call of `{}`, which runs per request: each request pays the handshake and holds its own connection, and under load the server's connection limit is hit.",
                f.name
            );
            let mut params = BTreeMap::new();
            params.insert("client".to_string(), ctor.clone());
            params.insert("kind".to_string(), kind.to_string());
            params.insert("function".to_string(), f.name.clone());
            params.insert("pool_size".to_string(), "1".to_string());
            out.push(finding(
                ID,
                Severity::Warning,
                &loc,
                message,
                format!("Create it once and reuse it: {instead}."),
                vec![cx.evidence(&loc, "connect")],
                params,
            ));
        }
    }
}
