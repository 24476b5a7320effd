//! Language-neutral facts lowered from a syntax tree: what the rules read.
//!
//! A [`Program`] is a list of [`Function`]s (module-level code is one more function), each with
//! its operations in source order: reads and writes of shared state, awaits, branches, and the
//! regions that make a sequence safe (a lock held, a unique-violation handler).

use super::sql::SqlStatement;
use super::Span;

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

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub loc: Loc,
    /// True when the whole body runs under a lock (e.g. the callback of `mutex.runExclusive`).
    pub locked: bool,
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Program {
    pub functions: Vec<Function>,
    pub syntax_errors: bool,
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
