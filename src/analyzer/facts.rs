//! Language-neutral facts lowered from a syntax tree: what the rules read.
//!
//! A [`Program`] is a list of [`Function`]s (module-level code is one more function), each with
//! its operations in source order: reads and writes of shared state, awaits, branches, and the
//! regions that make a sequence safe (a lock held, a unique-violation handler).

use super::sql::SqlStatement;
use super::Span;
use crate::analyzer::find::Has;

/// Byte range plus the line/column span of a piece of source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub start: usize,
    pub end: usize,
    pub span: Span,
}

impl Loc {
    pub fn contains(&self, other: &Loc) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The shared thing a read or write touches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A database table (from SQL text), normalised by [`entity_key`].
    Table(String),
    /// An ORM model or repository (`Seat.objects`, `prisma.seat`, `seatRepository`).
    Model(String),
    /// A local variable that holds a row loaded by an earlier read (`seat.save()`).
    Row(String),
    /// A process-level dict / Map / object shared between requests.
    Map(String),
    /// A key in Redis or another shared key-value store (the key expression's text).
    Key(String),
}

impl Target {
    /// Short human name: "table `seats`", "the `holds` map".
    pub fn describe(&self) -> String {
        match self {
            Target::Table(t) => format!("table `{t}`"),
            Target::Model(m) => format!("model `{m}`"),
            Target::Row(v) => format!("row `{v}`"),
            Target::Map(m) => format!("in-memory `{m}`"),
            Target::Key(k) => format!("key `{k}`"),
        }
    }
}

/// What makes a write safe on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteGuard {
    None,
    /// The write re-checks the state itself (`UPDATE … WHERE status = 'free'`, `filter(...).update()`).
    Conditional,
    /// The database resolves duplicates (`ON CONFLICT`, `INSERT IGNORE`).
    OnConflict,
    /// An atomic set-if-absent (`SET … NX`, `setnx`).
    SetIfAbsent,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OpKind {
    Read {
        target: Target,
        /// `SELECT … FOR UPDATE`, `select_for_update()`, `lock: …` options.
        locking: bool,
        /// Names the result is assigned to.
        binds: Vec<String>,
        sql: Option<SqlStatement>,
    },
    Write {
        target: Target,
        guard: WriteGuard,
        sql: Option<SqlStatement>,
    },
    Await,
    /// An if / ternary / assert / match: a decision. `loc` covers the whole construct.
    Branch,
    /// A region where a lock is held.
    LockHeld,
    /// A region whose unique-violation errors are handled (the database arbitrates).
    UniqueHandled,
    /// A SERIALIZABLE transaction or equivalent.
    Serializable,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    pub kind: OpKind,
    pub loc: Loc,
}

/// One argument at a call site.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The keyword of a keyword argument (`timeout=5`), if any.
    pub name: Option<String>,
    /// The argument's source text (the value, for a keyword argument).
    pub text: String,
    /// Its literal value when it is a string expression (interpolations as `?`).
    pub string: Option<String>,
}

/// A call site. Rules that care about *what* is called and *how* match on these.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The callee's text without whitespace: `requests.get`, `session.query(User).filter`.
    pub callee: String,
    /// The last segment of the callee: `get`.
    pub method: String,
    /// The callee without its last segment: `requests`.
    pub receiver: String,
    pub args: Vec<Arg>,
    pub loc: Loc,
    /// Loops around the call, counting loop callbacks (`rows.forEach(r => …)`) and the loops
    /// around the functions that contain it.
    pub loop_depth: u32,
    /// The call is the operand of an `await`.
    pub awaited: bool,
}

impl Call {
    /// A keyword argument by name.
    pub fn kwarg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.name.as_deref() == Some(name))
    }

    /// The whole argument list's text, for rules that look for an option in an object literal.
    pub fn args_text(&self) -> String {
        self.args
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An assignment or declaration: `x = …`, `const { rows } = …`, `self.cache[k] = v`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    /// The target as written (`x`, `{ rows }`, `self.cache[k]`).
    pub target: String,
    /// Identifiers the target binds (`rows`); empty for subscripts and attributes.
    pub names: Vec<String>,
    /// The value's source text.
    pub value: String,
    /// The value's syntax kind (`dictionary`, `call`, `new_expression`, …).
    pub value_kind: String,
    pub loc: Loc,
}

/// An exception handler: `except X as e: …` or `catch (e) { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Catch {
    pub loc: Loc,
    /// What it catches, as written (`Exception`, `(IOError, ValueError)`, `e`); empty for a bare
    /// `except:` or `catch {`.
    pub caught: String,
    /// The handler body's text.
    pub body: String,
    /// The guarded block (`try:` body / `try { … }`) this handler belongs to.
    pub try_block: Option<Loc>,
}

/// An index expression: `req.headers["x-forwarded-for"]`, `cache[key]`, `holds[k] = v`.
#[derive(Clone, Debug, PartialEq)]
pub struct Subscript {
    /// The indexed expression as written (`req.headers`, `self.cache`).
    pub object: String,
    /// The index expression as written.
    pub key: String,
    /// The index's literal value when it is a string.
    pub key_string: Option<String>,
    /// The expression is assigned to (`cache[k] = v`).
    pub is_write: bool,
    pub loc: Loc,
}

/// A loop with its header: what it iterates and with which variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Loop {
    /// The whole statement or comprehension.
    pub whole: Loc,
    /// The part that repeats (the body; for a comprehension, its element expression).
    pub body: Loc,
    /// The loop variable(s) as written (`row`, `(i, item)`, `const o`); empty for `while`.
    pub var: String,
    /// The iterated expression (`rows`, `range(3)`, `orders.rows`), or a `while` condition.
    pub iterable: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub loc: Loc,
    /// True when the whole body runs under a lock (e.g. the callback of `mutex.runExclusive`).
    pub locked: bool,
    pub ops: Vec<Op>,
    /// `async def` / `async function`.
    pub is_async: bool,
    /// Parameter names, in order.
    pub params: Vec<String>,
    /// Decorators as written, without the `@` (`app.post("/hold")`).
    pub decorators: Vec<String>,
    /// The innermost function this one is nested in (index into `Program::functions`).
    pub parent: Option<usize>,
    /// The function is a callback of `forEach` / `map` / … : its body runs once per element.
    pub loop_callback: bool,
    pub calls: Vec<Call>,
    /// Loops in this function's own body (not in nested functions): their repeating bodies.
    pub loops: Vec<Loc>,
    /// The same loops with their headers, in the same order.
    pub loop_facts: Vec<Loop>,
    pub catches: Vec<Catch>,
    /// Index expressions in this function's own body, in source order.
    pub subscripts: Vec<Subscript>,
    /// Lowering saw a handler signature (Go `http.ResponseWriter`, Spring `@GetMapping`, …).
    pub handler_hint: bool,
    /// Only `handler_hint` says whether this is a handler (Go: a `ctx` or `r` parameter name
    /// says nothing, constructors and workers take them too).
    pub handler_by_signature_only: bool,
    /// Assignments in this function's own body, in source order. For the module-level
    /// function these are the globals.
    pub assigns: Vec<Assign>,
    /// SQL statements run one after another by a person or a tool (a script, a transaction
    /// typed into a console): whoever runs it reads each result and decides the next
    /// statement, so a write can depend on an earlier read with no branch in the text.
    pub script: bool,
}

impl Function {
    /// Declared to run off the request path: a Spring `@Async`/`@Scheduled` method or message
    /// listener, a Celery/RQ/Dramatiq task. Its arguments come from the code that queued it.
    pub fn runs_in_background(&self) -> bool {
        self.decorators.iter().any(|d| {
            let name = d.split('(').next().unwrap_or(d);
            let last = name.rsplit('.').next().unwrap_or(name);
            matches!(
                last,
                "Async"
                    | "Scheduled"
                    | "KafkaListener"
                    | "RabbitListener"
                    | "JmsListener"
                    | "SqsListener"
                    | "task"
                    | "shared_task"
                    | "periodic_task"
                    | "actor"
                    | "job"
            )
        })
    }

    /// An empty function record (lowering fills it in).
    pub fn new(name: String, loc: Loc) -> Self {
        Function {
            name,
            loc,
            locked: false,
            ops: Vec::new(),
            is_async: false,
            params: Vec::new(),
            decorators: Vec::new(),
            parent: None,
            loop_callback: false,
            calls: Vec::new(),
            loops: Vec::new(),
            loop_facts: Vec::new(),
            catches: Vec::new(),
            subscripts: Vec::new(),
            assigns: Vec::new(),
            handler_hint: false,
            handler_by_signature_only: false,
            script: false,
        }
    }

    /// True for a request handler: a route decorator, an Express/Koa-style callback, a
    /// Next.js route export, or a `request`/`req` first parameter.
    pub fn is_handler(&self) -> bool {
        const VERBS: [&str; 9] = [
            ".get(",
            ".post(",
            ".put(",
            ".patch(",
            ".delete(",
            ".route(",
            ".api_route(",
            ".websocket(",
            "api_view",
        ];
        if self.handler_by_signature_only {
            return self.handler_hint;
        }
        // Nest/TS route decorators: `@Get(':id')`, `@Post()`, …
        const NEST: [&str; 6] = ["Get(", "Post(", "Put(", "Patch(", "Delete(", "All("];
        self.handler_hint
            || self.decorators.iter().any(|d| {
                VERBS.iter().any(|v| d.has(v)) || NEST.iter().any(|n| d.starts_with(n))
            })
            || self.name.ends_with(" handler")
            || matches!(
                self.name.as_str(),
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
                    // A Next.js page runs it on every request.
                    | "getServerSideProps"
            )
            // Remix `export async function loader({ request, params })` (and `action`).
            || matches!(self.name.as_str(), "loader" | "action")
                && self
                    .params
                    .first()
                    .is_some_and(|p| p.starts_with('{') && p.has("request"))
            || matches!(self.params.first().map(String::as_str), Some("req" | "request"))
            // Django class-based views and DRF viewsets: `def post(self, request, pk=None)`,
            // `@action(detail=True, methods=["post"])`.
            || self.params.first().is_some_and(|p| p == "self")
                && self.params.get(1).is_some_and(|p| p == "request")
            || self.decorators.iter().any(|d| d.starts_with("action("))
            // Koa `(ctx)` / `(ctx, next)`; not Go's `ctx context.Context, …`.
            || self.params.first().is_some_and(|p| p == "ctx")
                && (self.params.len() == 1 || self.params.get(1).is_some_and(|p| p == "next"))
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    /// `functions[0]` is module-level code; the rest in source order.
    pub functions: Vec<Function>,
    pub syntax_errors: bool,
}

impl Program {
    /// Module-level assignments (process-wide state lives here).
    pub fn globals(&self) -> &[Assign] {
        self.functions.first().map_or(&[], |m| m.assigns.as_slice())
    }
}

/// Normalises a table or model name so `seats`, `Seat`, `seat_holds` and `SeatHold` compare:
/// lower-case, underscores removed, a plural `s` dropped.
pub fn entity_key(name: &str) -> String {
    let mut k: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '"' && *c != '`')
        .collect::<String>()
        .to_lowercase();
    for suffix in ["repository", "repo", "model", "table"] {
        if k.len() > suffix.len() && k.ends_with(suffix) {
            k.truncate(k.len() - suffix.len());
        }
    }
    if k.ends_with("ies") && k.len() > 4 {
        k.truncate(k.len() - 3);
        k.push('y');
    } else if k.ends_with('s') && !k.ends_with("ss") && k.len() > 2 {
        k.pop();
    }
    k
}

#[cfg(test)]
mod tests {
    use super::entity_key;

    #[test]
    fn entity_keys_compare_tables_and_models() {
        assert_eq!(entity_key("seats"), entity_key("Seat"));
        assert_eq!(entity_key("seat_holds"), entity_key("SeatHold"));
        assert_eq!(entity_key("inventories"), entity_key("Inventory"));
        assert_eq!(entity_key("seatRepository"), "seat");
        assert_eq!(entity_key("address"), "address");
    }
}
