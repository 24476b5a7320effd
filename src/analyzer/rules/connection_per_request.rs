//! # connection-per-request
//!
//! ## What it does
//! Flags a database or HTTP client created inside a request handler (or a helper the handler
//! calls, or a per-request dependency): `psycopg2.connect`, `asyncpg.connect`,
//! `pymysql.connect`, `sqlite3.connect`, `create_engine`, `redis.Redis()`, `MongoClient()`,
//! `requests.Session()`, `httpx.Client()` / `AsyncClient()`, `aiohttp.ClientSession()`; in
//! JavaScript `new Pool()`, `new Client()`, `new PrismaClient()`, `new Redis()`,
//! `new MongoClient()`, `mysql.createConnection()`, `mongoose.connect()` inside a handler (or
//! a method of a Nest `@Injectable()` service); in Go `sql.Open`, `sqlx.Connect`,
//! `pgx.Connect`, `pgxpool.New`, `gorm.Open`, `redis.NewClient`, `mongo.Connect`, `grpc.Dial`,
//! `&http.Transport{…}` in a handler or a helper it calls; in Java `new RestTemplate()`,
//! `HttpClient.newHttpClient()` / `newBuilder()…build()`, `new OkHttpClient()`,
//! `DriverManager.getConnection`, `new HikariDataSource`, `new JedisPool`,
//! `MongoClients.create` in a `@…Mapping` method or a `@Service` / `@Component` method.
//! Pools and clients created once at module level, in `main`, in constructors, `New…`
//! factories, `@Bean` methods, `sync.Once`, lazily cached singletons and
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
//! Python, JavaScript, TypeScript, Go, Java.

use super::{finding, Ctx, RuleDoc};
use crate::analyzer::facts::{Function, Loc};
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Language, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "connection-per-request";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Connection opened per request",
    what_it_does: "Flags a database or HTTP client created inside a request handler, a helper it calls, or a per-request dependency: psycopg2/asyncpg/pymysql/sqlite3 connect, create_engine, redis.Redis(), MongoClient(), requests.Session(), httpx.Client()/AsyncClient(), aiohttp.ClientSession(); JavaScript new Pool()/Client()/PrismaClient()/Redis()/MongoClient(), mysql.createConnection(), mongoose.connect() inside a handler or a Nest service method; Go sql.Open/sqlx.Connect/pgx.Connect/pgxpool.New/gorm.Open/redis.NewClient/mongo.Connect/grpc.Dial/&http.Transport{} in a handler or a helper it calls; Java new RestTemplate(), HttpClient.newHttpClient()/newBuilder().build(), new OkHttpClient(), DriverManager.getConnection, new HikariDataSource, new JedisPool, MongoClients.create in a @…Mapping or @Service method. Module-level pools and clients, main, constructors, New… factories, @Bean methods, sync.Once, cached singletons and injected sessions are left alone.",
    why_bad_at_scale: "Every request pays a TCP (often TLS and auth) handshake before any work and holds its own server-side connection. At a few hundred concurrent requests the database hits max_connections and refuses everyone; a pool or engine created per request multiplies that by its size. HTTP clients created per request lose keep-alive and exhaust ephemeral ports under load.",
    example: "@app.get(\"/users/{user_id}\")\ndef get_user(user_id: int):\n    conn = psycopg2.connect(DATABASE_URL)\n    ...",
    use_instead: "pool = psycopg2.pool.ThreadedConnectionPool(1, 20, DATABASE_URL)  # once, at start-up\n\n@app.get(\"/users/{user_id}\")\ndef get_user(user_id: int):\n    conn = pool.getconn()\n    try:\n        ...\n    finally:\n        pool.putconn(conn)",
    languages: &["python", "javascript", "typescript", "go", "java"],
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
        "Client" | "pg.Client" if is_new && (source.has("\"pg\"") || source.has("'pg'")) => db,
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
        "createClient" | "redis.createClient" if !is_new && source.has("redis") => (
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

/// (kind, what to create once instead) for a Go constructor callee.
fn go_kind(callee: &str) -> Option<(&'static str, &'static str)> {
    let db = (
        "database pool",
        "one `*sql.DB` opened in `main` (it is a pool: set `SetMaxOpenConns`) and passed to the handlers",
    );
    Some(match callee {
        "sql.Open"
        | "sql.OpenDB"
        | "sqlx.Open"
        | "sqlx.Connect"
        | "sqlx.ConnectContext"
        | "sqlx.MustConnect"
        | "sqlx.MustOpen" => db,
        "pgx.Connect" | "pgx.ConnectConfig" => (
            "database connection",
            "one `pgxpool.Pool` created in `main` and shared by the handlers",
        ),
        "pgxpool.New" | "pgxpool.NewWithConfig" | "pgxpool.Connect" | "pgxpool.ConnectConfig" => (
            "connection pool",
            "the `pgxpool.Pool` created once in `main` and shared by the handlers",
        ),
        "gorm.Open" => (
            "GORM database (a whole pool)",
            "one `*gorm.DB` opened in `main` and passed to the handlers",
        ),
        "redis.NewClient"
        | "redis.NewClusterClient"
        | "redis.NewUniversalClient"
        | "redis.NewFailoverClient" => (
            "Redis client (a connection pool)",
            "one `*redis.Client` created in `main` and shared by the handlers",
        ),
        "mongo.Connect" | "mongo.NewClient" => (
            "MongoDB client",
            "one `*mongo.Client` connected in `main` and shared by the handlers",
        ),
        "grpc.Dial" | "grpc.DialContext" | "grpc.NewClient" => (
            "gRPC connection",
            "one `*grpc.ClientConn` dialled at start-up (it multiplexes all requests)",
        ),
        "amqp.Dial" | "amqp.DialConfig" | "nats.Connect" => (
            "message broker connection",
            "one connection opened at start-up, a channel per worker",
        ),
        _ => return None,
    })
}

/// (kind, what to create once instead) for a Java constructor or factory callee.
fn java_kind(callee: &str) -> Option<(&'static str, &'static str)> {
    let http = (
        "HTTP client (its own connection pool)",
        "one client bean (`@Bean RestTemplate` from `RestTemplateBuilder`, a shared `HttpClient`) injected into the controller",
    );
    let ds = (
        "DataSource (a whole connection pool)",
        "the Spring-managed `DataSource` / `JdbcTemplate` injected once",
    );
    let head = callee.split('(').next().unwrap_or(callee);
    Some(match head {
        "new RestTemplate" | "new OkHttpClient" | "HttpClient.newHttpClient"
        | "HttpClients.createDefault" | "HttpClients.createSystem" | "new DefaultHttpClient" => http,
        "HttpClient.newBuilder" | "HttpClients.custom" | "new OkHttpClient.Builder"
            if callee.ends_with(".build") =>
        {
            http
        }
        "DriverManager.getConnection" => (
            "JDBC connection (no pool)",
            "the pooled `DataSource` (HikariCP) injected once, `dataSource.getConnection()` or `JdbcTemplate` per request",
        ),
        "new HikariDataSource" | "new DriverManagerDataSource" | "new BasicDataSource"
        | "new SimpleDriverDataSource" => ds,
        "DataSourceBuilder.create" if callee.ends_with(".build") => ds,
        "new JedisPool" | "new Jedis" | "RedisClient.create" | "new JedisPooled" => (
            "Redis client",
            "one Redis client bean (Lettuce/Jedis pool) injected once",
        ),
        "MongoClients.create" | "new MongoClient" => (
            "MongoDB client",
            "one `MongoClient` bean injected once",
        ),
        "new KafkaProducer" => (
            "Kafka producer",
            "one `KafkaTemplate` / producer bean shared by all requests",
        ),
        _ => return None,
    })
}

/// A method of a singleton bean (Spring `@Service`, Nest `@Injectable()`): each call runs in
/// some request, so a client built inside it is built per call.
fn bean_method(cx: &Ctx, f: &Function) -> bool {
    if !matches!(cx.language, Language::Java | Language::TypeScript) {
        return false;
    }
    let ann = super::process_state::class_annotations(cx.source, f.loc.start);
    const BEANS: [&str; 6] = [
        "@Service",
        "@Component",
        "@RestController",
        "@Controller",
        "@Repository",
        "@Injectable",
    ];
    BEANS.iter().any(|b| ann.has(b)) && !ann.has("@Configuration")
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
fn per_request(cx: &Ctx, fi: usize, called: &PerRequestNames) -> bool {
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
    called.depends.contains(f.name.as_str())
        || called.by_handlers.contains(f.name.as_str())
        || bean_method(cx, f)
}

/// Names used per request, gathered once per analysis (checking every function against the
/// whole text made large files quadratic): `Depends(name)` arguments, and what handlers call.
struct PerRequestNames<'a> {
    depends: std::collections::HashSet<&'a str>,
    by_handlers: std::collections::HashSet<&'a str>,
}

impl<'a> PerRequestNames<'a> {
    fn gather(cx: &'a Ctx) -> Self {
        let depends = cx
            .source
            .match_indices("Depends(")
            .filter_map(|(i, _)| {
                let rest = cx.source.get(i + "Depends(".len()..)?;
                let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
                Some(&rest[..end])
            })
            .collect();
        let by_handlers = cx
            .program
            .functions
            .iter()
            .skip(1)
            .filter(|g| g.is_handler())
            .flat_map(|g| g.calls.iter())
            .flat_map(|c| {
                let callee = c.callee.as_str();
                let bare = callee
                    .strip_prefix("self.")
                    .or_else(|| callee.strip_prefix("this."))
                    .unwrap_or(callee);
                // `this.usersService.find(…)`, Go `s.store(…)`: the method's own name too.
                let method = (cx.language != Language::Python
                    && (callee.starts_with("this.")
                        || cx.language == Language::Go
                            && !c.receiver.is_empty()
                            && c.receiver.chars().all(|ch| ch.is_ascii_lowercase())))
                .then_some(c.method.as_str());
                std::iter::once(bare).chain(method)
            })
            .collect();
        PerRequestNames {
            depends,
            by_handlers,
        }
    }
}

/// Cached or lazily created once: `global _pool; if _pool is None: _pool = …`, `@lru_cache`.
fn cached_once(cx: &Ctx, f: &Function, called: &PerRequestNames) -> bool {
    let text = cx.text(&f.loc);
    // Go / Java / TypeScript constructors, factories and one-time initialisers.
    let setup_name = matches!(
        cx.language,
        Language::Go | Language::Java | Language::TypeScript
    ) && [
        "New",
        "new",
        "Open",
        "open",
        "Init",
        "init",
        "Setup",
        "setup",
        "Must",
        "Connect",
        "Provide",
        "provide",
        "build",
        "Build",
        "onModuleInit",
        "onApplicationBootstrap",
        "constructor",
    ]
    .iter()
    .any(|p| f.name.starts_with(p))
        // `db, err := openDB()` inside a handler: the "setup" runs per request.
        && !called.by_handlers.contains(f.name.as_str());
    let java_ctor =
        cx.language == Language::Java && f.name.starts_with(|c: char| c.is_ascii_uppercase());
    setup_name
        || java_ctor
        || text.has("once.Do(")
        || text.has("sync.OnceValue")
        || f.decorators.iter().any(|d| {
            let d = d.trim_start_matches('@');
            d.starts_with("Bean")
                || d.starts_with("PostConstruct")
                || d.starts_with("EventListener")
        })
        || f.decorators.iter().any(|d| d.has("cache"))
        || text.has("global ")
        || text.has("is None") && (text.has("self._") || text.has("cls."))
        || text.has("globalThis.")
        || text.has("global.")
        || STARTUP.contains(&f.name.as_str())
        || f.decorators
            .iter()
            .any(|d| d.has("on_event") || d.has("before_serving") || d.has("before_first_request"))
}

/// `if db == nil { db, err = sql.Open(…) }` / `if (client == null) client = new …`: a lazily
/// created field or package variable, not a local.
fn lazy_field(cx: &Ctx, f: &Function, at: &Loc) -> bool {
    let text = cx.text(&f.loc);
    if !(text.has("== nil") || text.has("== null")) {
        return false;
    }
    let line = cx.lines.line_text(at.span.start_line);
    if !line.contains('=') {
        return false;
    }
    match cx.language {
        Language::Go => !line.has(":="),
        // `RestTemplate rt = new …` declares a local; `this.rt = …` / `rt = …` does not.
        _ => {
            line.split('=')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .count()
                == 1
        }
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let mut lines = Vec::new();
    let called = PerRequestNames::gather(cx);
    for (fi, f) in cx.program.functions.iter().enumerate().skip(1) {
        if !per_request(cx, fi, &called) || cached_once(cx, f, &called) {
            continue;
        }
        let mut hits: Vec<(Loc, String, (&str, &str))> = Vec::new();
        if cx.language == Language::Python {
            for c in &f.calls {
                if let Some(k) = python_kind(&c.callee) {
                    hits.push((c.loc, c.callee.clone(), k));
                }
            }
        } else if matches!(cx.language, Language::Go | Language::Java) {
            for c in &f.calls {
                let k = if cx.language == Language::Go {
                    go_kind(&c.callee)
                } else {
                    java_kind(&c.callee)
                };
                if let Some(k) = k {
                    if !lazy_field(cx, f, &c.loc) {
                        let name = c.callee.split('(').next().unwrap_or("").to_string();
                        hits.push((c.loc, name, k));
                    }
                }
            }
            // A Go `http.Transport` literal is a connection pool of its own.
            if cx.language == Language::Go {
                for a in &f.assigns {
                    if a.value.has("http.Transport{") {
                        hits.push((
                            a.loc,
                            "http.Transport".to_string(),
                            (
                                "HTTP transport (its own connection pool)",
                                "one `http.Client` with its `Transport` created at start-up (or `http.DefaultTransport`) and reused",
                            ),
                        ));
                    }
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
                // `return new Client({ … })` from a factory the handler calls: no assignment.
                if c.method.starts_with("new ") && !f.assigns.iter().any(|a| a.loc.contains(&c.loc))
                {
                    if let Some(k) = js_kind(cx.text(&c.loc), cx.source) {
                        hits.push((c.loc, c.method.clone(), k));
                        continue;
                    }
                }
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
            let whose = match f.name.strip_prefix("callback of ") {
                Some(reg) => format!("the function passed to `{reg}`"),
                None => format!("`{}`", f.name),
            };
            let message = format!(
                "`{ctor}` at line {line} creates a new {kind} on every call of {whose}, which runs per request: each request pays the handshake and holds its own connection, and under load the server's connection limit is hit."
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
