//! Syntax tree → [`facts`](super::facts).
//!
//! One walker serves every language: a [`Grammar`] names the node kinds and fields of each
//! tree-sitter grammar, and the classification of calls (SQL, ORM, Redis, shared maps, locks)
//! works on their text. The walk is iterative, so deeply nested input cannot overflow the stack,
//! and it descends into `ERROR` nodes, so code around a syntax error is still lowered.

use super::facts::{
    Arg, Assign, Call, Catch, Function, Loc, Loop, Op, OpKind, Program, Subscript, Target,
    WriteGuard,
};
use super::sql::{self, SqlKind};
use super::{Language, Span};
use crate::analyzer::find::Has;
use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::OnceLock;
use tree_sitter::{Node, ParseOptions, ParseState, Parser};

/// Node kinds and field names of one tree-sitter grammar.
struct Grammar {
    functions: &'static [&'static str],
    /// Node kinds lowered as call sites (constructor calls included).
    calls: &'static [&'static str],
    member: &'static str,
    member_object: &'static str,
    subscript: &'static str,
    subscript_object: &'static str,
    assignments: &'static [&'static str],
    branches: &'static [&'static str],
    await_kind: &'static str,
    string_fragments: &'static [&'static str],
    interpolations: &'static [&'static str],
    string_containers: &'static [&'static str],
    handler: &'static str,
    map_literals: &'static [&'static str],
    loops: &'static [&'static str],
}

const PYTHON: Grammar = Grammar {
    functions: &["function_definition", "lambda"],
    calls: &["call"],
    member: "attribute",
    member_object: "object",
    subscript: "subscript",
    subscript_object: "value",
    assignments: &["assignment", "augmented_assignment"],
    branches: &[
        "if_statement",
        "conditional_expression",
        "assert_statement",
        "match_statement",
    ],
    await_kind: "await",
    string_fragments: &["string_content", "escape_sequence"],
    interpolations: &["interpolation"],
    string_containers: &[
        "string",
        "concatenated_string",
        "binary_operator",
        "parenthesized_expression",
    ],
    handler: "except_clause",
    map_literals: &["dictionary", "set"],
    loops: &[
        "for_statement",
        "while_statement",
        "list_comprehension",
        "set_comprehension",
        "dictionary_comprehension",
        "generator_expression",
    ],
};

const JAVASCRIPT: Grammar = Grammar {
    functions: &[
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    ],
    calls: &["call_expression", "new_expression"],
    member: "member_expression",
    member_object: "object",
    subscript: "subscript_expression",
    subscript_object: "object",
    assignments: &[
        "assignment_expression",
        "augmented_assignment_expression",
        "variable_declarator",
        // Class fields: `cache = new Map()`, TS `private readonly client = new OpenAI()`.
        "field_definition",
        "public_field_definition",
    ],
    branches: &["if_statement", "ternary_expression", "switch_statement"],
    await_kind: "await_expression",
    string_fragments: &["string_fragment", "escape_sequence"],
    interpolations: &["template_substitution"],
    string_containers: &[
        "string",
        "template_string",
        "binary_expression",
        "parenthesized_expression",
    ],
    handler: "catch_clause",
    map_literals: &["object"],
    loops: &[
        "for_statement",
        "for_in_statement",
        "while_statement",
        "do_statement",
    ],
};

const GO: Grammar = Grammar {
    functions: &["function_declaration", "method_declaration", "func_literal"],
    calls: &["call_expression"],
    member: "selector_expression",
    member_object: "operand",
    subscript: "index_expression",
    subscript_object: "operand",
    assignments: &["assignment_statement", "short_var_declaration", "var_spec"],
    branches: &[
        "if_statement",
        "expression_switch_statement",
        "type_switch_statement",
        "select_statement",
    ],
    await_kind: "",
    string_fragments: &[
        "interpreted_string_literal_content",
        "raw_string_literal_content",
        "escape_sequence",
    ],
    interpolations: &[],
    string_containers: &[
        "interpreted_string_literal",
        "raw_string_literal",
        "binary_expression",
        "parenthesized_expression",
    ],
    handler: "",
    map_literals: &[],
    loops: &["for_statement"],
};

const JAVA: Grammar = Grammar {
    functions: &[
        "method_declaration",
        "constructor_declaration",
        "lambda_expression",
    ],
    calls: &["method_invocation", "object_creation_expression"],
    member: "field_access",
    member_object: "object",
    subscript: "array_access",
    subscript_object: "array",
    // `try (PreparedStatement ps = conn.prepareStatement(…))`: a resource is a declaration.
    assignments: &["assignment_expression", "variable_declarator", "resource"],
    branches: &["if_statement", "ternary_expression", "switch_expression"],
    await_kind: "",
    string_fragments: &[
        "string_fragment",
        "multiline_string_fragment",
        "escape_sequence",
    ],
    interpolations: &["string_interpolation"],
    string_containers: &[
        "string_literal",
        "binary_expression",
        "parenthesized_expression",
    ],
    handler: "catch_clause",
    map_literals: &[],
    loops: &[
        "for_statement",
        "enhanced_for_statement",
        "while_statement",
        "do_statement",
    ],
};

fn grammar(language: Language) -> &'static Grammar {
    match language {
        Language::Python => &PYTHON,
        // TypeScript's grammar extends JavaScript's with the same node kinds for code.
        Language::JavaScript | Language::TypeScript => &JAVASCRIPT,
        Language::Go => &GO,
        Language::Java => &JAVA,
        // Not parsed with tree-sitter (see `lower`); the table is never used for them.
        Language::Sql | Language::Html => &PYTHON,
    }
}

fn ts_language(language: Language) -> Option<tree_sitter::Language> {
    Some(match language {
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        // One grammar for .ts and .tsx: TSX reads all TypeScript except old-style `<T>value`
        // casts (which it recovers from as errors), and shipping both would cost ~170 KB gzip.
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TSX.into(),
        Language::Go => tree_sitter_go::LANGUAGE.into(),
        Language::Java => tree_sitter_java::LANGUAGE.into(),
        Language::Sql | Language::Html => return None,
    })
}

/// Tree depth below which nodes are not lowered. Real code nests a few dozen levels (a
/// callback pyramid of ten is about fifty, a hundred nested blocks two hundred); a paste of
/// thousands of nested calls or brackets made lowering quadratic (every call copies its argument text, which holds all the calls
/// inside it, and `Node::parent` walks down from the root), so `f(f(f(…)))` 14,000 deep took
/// 25 s. Past this depth the walk skips the subtree: the facts of real code are unchanged and
/// the work per paste stays linear.
pub(crate) const MAX_LOWER_DEPTH: u32 = 200;

/// Longest string value (a constant, a concatenation) the lowering assembles, in bytes.
const MAX_STRING_VALUE: usize = 64 * 1024;

/// One step of the walk over the tree, in source order (see [`record_walk`]).
struct Step<'t> {
    node: Node<'t>,
    /// Its kind name (empty for anonymous nodes): read once here, asked several times later.
    kind: &'static str,
    depth: u32,
    /// Index of the innermost function node containing it: 0 for module level, then 1, 2, …
    /// in the order function nodes are met (a function node gets its own new index).
    function: u32,
    /// Named and not a comment: the nodes lowering looks at.
    visited: bool,
}

/// Records the tree once in walk order: lowering reads it twice (bindings, then facts), and
/// walking a tree-sitter cursor costs far more than reading a list (two walks were about 14 %
/// of an analysis). One cursor and no recursion, so deep nesting cannot overflow the stack.
fn record_walk<'t>(root: Node<'t>, kinds: Kinds, functions: &[&str]) -> Vec<Step<'t>> {
    let mut steps = Vec::new();
    let mut cursor = root.walk();
    // Open function nodes as (cursor depth, function index); one at the same or a greater
    // depth than the current node is not its ancestor any more.
    let mut open: Vec<(u32, u32)> = Vec::new();
    let mut count = 0;
    // Tracked by hand: `TreeCursor::depth` walks the cursor's stack, O(depth) per call.
    let mut depth: u32 = 0;
    loop {
        let n = cursor.node();
        while open.last().is_some_and(|&(d, _)| d >= depth) {
            open.pop();
        }
        let kind = if n.is_named() { kinds.of(n) } else { "" };
        let visited =
            !kind.is_empty() && !matches!(kind, "comment" | "line_comment" | "block_comment");
        if visited && functions.contains(&kind) {
            count += 1;
            open.push((depth, count));
        }
        steps.push(Step {
            node: n,
            kind,
            depth,
            function: open.last().map_or(0, |&(_, f)| f),
            visited,
        });
        if depth < MAX_LOWER_DEPTH && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return steps;
            }
            depth -= 1;
        }
    }
}

/// Visits every named node (comments excepted) of a recorded walk with the index of the
/// innermost function containing it and the node's ancestors, root first. The ancestors are
/// kept here: `Node::parent` walks down from the root through every sibling on the way, so
/// calling it per node made a long flat file quadratic (fuzzing: 5.6 s to lower 626 KB of Go).
fn replay_walk<'t>(
    steps: &[Step<'t>],
    mut visit: impl FnMut(Node<'t>, &'static str, usize, &[(Node<'t>, &'static str)]),
) {
    let mut ancestors: Vec<(Node<'t>, &'static str)> = Vec::new();
    for step in steps {
        ancestors.truncate(step.depth as usize);
        if step.visited {
            visit(step.node, step.kind, step.function as usize, &ancestors);
        }
        ancestors.push((step.node, step.kind));
    }
}

/// Node kind names by kind id, and field ids by name, per grammar. `Node::kind` measures and
/// validates a C string on every call, and `child_by_field_name` compares the name with every
/// field of the grammar; lowering asks both several times per node (about 10 % of an
/// analysis before these tables).
#[derive(Clone, Copy)]
pub(crate) struct Kinds(&'static GrammarTables);

pub(crate) struct GrammarTables {
    kinds: Vec<&'static str>,
    fields: HashMap<&'static str, u16>,
}

impl Kinds {
    /// The tables of one grammar, built once per process (a few hundred short names; the
    /// grammar's own names are static C data, but tree-sitter's API lends them per call).
    pub(crate) fn of_language(language: Language) -> Kinds {
        static TABLES: [OnceLock<GrammarTables>; 6] = [const { OnceLock::new() }; 6];
        let slot = match language {
            Language::Python => 0,
            Language::JavaScript => 1,
            Language::TypeScript => 2,
            Language::Go => 3,
            Language::Java => 4,
            Language::Sql | Language::Html => 5,
        };
        Kinds(TABLES[slot].get_or_init(|| {
            let Some(ts) = ts_language(language) else {
                return GrammarTables {
                    kinds: Vec::new(),
                    fields: HashMap::new(),
                };
            };
            let leak = |name: &str| -> &'static str { name.to_string().leak() };
            GrammarTables {
                kinds: (0..ts.node_kind_count())
                    .map(|id| {
                        u16::try_from(id)
                            .ok()
                            .and_then(|id| ts.node_kind_for_id(id))
                            .map_or("", leak)
                    })
                    .collect(),
                fields: (1..=ts.field_count())
                    .filter_map(|id| {
                        let id = u16::try_from(id).ok()?;
                        Some((leak(ts.field_name_for_id(id)?), id))
                    })
                    .collect(),
            }
        }))
    }

    /// The same name as `n.kind()`.
    pub(crate) fn of(self, n: Node) -> &'static str {
        match (self.0.kinds.get(usize::from(n.kind_id())), n.kind_id()) {
            (Some(kind), _) => kind,
            // tree-sitter's built-in error symbols sit at the top of the id range.
            (None, u16::MAX) => "ERROR",
            (None, 65534) => "_ERROR",
            (None, _) => "",
        }
    }

    /// The same node as `n.child_by_field_name(name)`.
    pub(crate) fn child<'t>(self, n: Node<'t>, name: &str) -> Option<Node<'t>> {
        n.child_by_field_id(*self.0.fields.get(name)?)
    }
}

/// Maps byte offsets to 1-based line and character columns.
pub struct LineIndex<'s> {
    source: &'s str,
    starts: Vec<usize>,
    /// All ASCII: a column is a byte offset, no need to count characters (a minified line
    /// of a megabyte would make every position cost a scan of the line).
    ascii: bool,
}

impl<'s> LineIndex<'s> {
    pub fn new(source: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            source,
            starts,
            ascii: source.is_ascii(),
        }
    }

    /// (line, column), both 1-based; the column counts characters.
    pub fn position(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= byte) - 1;
        let start = self.starts[line];
        let col = if self.ascii {
            byte - start
        } else {
            self.source
                .get(start..byte)
                .map_or(byte - start, |s| s.chars().count())
        };
        (line + 1, col + 1)
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let (start_line, start_col) = self.position(self.before_final_newline(start));
        let (end_line, end_col) = self.position(self.before_final_newline(end));
        Span {
            start_line,
            start_col,
            end_line,
            end_col,
        }
    }

    /// An offset at the very end of a text that ends in a newline, moved onto that newline:
    /// otherwise a span running to the end (an unterminated string in a paste) would end on
    /// the empty line after it, one past the lines the analysis counts.
    fn before_final_newline(&self, byte: usize) -> usize {
        if byte >= self.source.len() && self.source.ends_with('\n') {
            self.source.len() - 1
        } else {
            byte
        }
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.wrapping_sub(1)).copied()
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &'s str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(self.source.len(), |&e| e - 1);
        self.source
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

struct Lowerer<'s> {
    src: &'s str,
    kinds: Kinds,
    language: Language,
    g: &'static Grammar,
    lines: LineIndex<'s>,
    /// Names bound to string constants anywhere (`SQL = "SELECT …"`).
    strings: HashMap<String, String>,
    /// Dicts / Maps defined at module level or on `self` / `this`: shared between requests.
    shared_maps: HashSet<String>,
    /// Names bound to a Redis client.
    redis_clients: HashSet<String>,
    /// Spring Data `@Lock(…)` annotations up to the method they annotate, found on first use
    /// (searched per repository call, they made lowering quadratic on long files).
    lock_annotations: std::cell::OnceCell<Vec<&'s str>>,
    /// Names of the function nodes met so far, by node id (see `function_name`).
    function_names: std::cell::RefCell<HashMap<usize, String>>,
}

/// A raw fact gathered during the walk, before bindings are resolved.
struct Assignment {
    value: Loc,
    names: Vec<String>,
}

impl<'s> Lowerer<'s> {
    /// `n.kind()`, from the table (takes a node or a reference, as iterator closures give).
    fn kind<'t>(&self, n: impl std::borrow::Borrow<Node<'t>>) -> &'static str {
        self.kinds.of(*n.borrow())
    }

    fn text(&self, n: Node) -> &'s str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    fn loc(&self, n: Node) -> Loc {
        Loc {
            start: n.start_byte(),
            end: n.end_byte(),
            span: self.lines.span(n.start_byte(), n.end_byte()),
        }
    }

    fn named_children<'t>(&self, n: Node<'t>) -> Vec<Node<'t>> {
        (0..n.named_child_count() as u32)
            .filter_map(|i| n.named_child(i))
            .filter(|c| !matches!(self.kind(c), "comment" | "line_comment" | "block_comment"))
            .collect()
    }

    /// The literal value of a string expression (concatenations joined, interpolations as `?`).
    fn string_value(&self, n: Node) -> Option<String> {
        if self.kind(n) == "identifier" {
            return self.strings.get(self.text(n)).cloned();
        }
        if !self.g.string_containers.contains(&self.kind(n)) {
            return None;
        }
        let mut out = String::new();
        let mut found = false;
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            // Constants may be built from constants (`q = q + q`, repeated): each line doubled
            // the value and a 2.5 KB paste never finished (fuzzing). No SQL string is this long.
            if out.len() > MAX_STRING_VALUE {
                break;
            }
            let k = self.kind(x);
            if self.g.string_fragments.contains(&k) {
                out.push_str(self.text(x));
                found = true;
                continue;
            }
            if self.g.interpolations.contains(&k) {
                out.push('?');
                continue;
            }
            if k == "identifier" {
                if let Some(s) = self.strings.get(self.text(x)) {
                    out.push_str(s);
                    found = true;
                }
                continue;
            }
            let kids = self.named_children(x);
            stack.extend(kids.into_iter().rev());
        }
        found.then_some(out)
    }

    fn field<'t>(&self, n: Node<'t>, names: &[&str]) -> Option<Node<'t>> {
        names.iter().find_map(|f| self.kinds.child(n, f))
    }

    /// Identifiers bound by an assignment target (`a`, `{ rows }`, `(a, b)`).
    fn bound_names(&self, target: Node) -> Vec<String> {
        let mut names = Vec::new();
        let mut stack = vec![target];
        while let Some(x) = stack.pop() {
            match self.kind(x) {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    names.push(self.text(x).to_string())
                }
                "pair_pattern" => {
                    if let Some(v) = self.kinds.child(x, "value") {
                        stack.push(v);
                    }
                }
                "pattern_list" | "tuple_pattern" | "list_pattern" | "object_pattern"
                | "array_pattern" | "expression_list" => stack.extend(self.named_children(x)),
                _ => {}
            }
        }
        names
    }

    /// SQLAlchemy's `text("SELECT …")` (also `sa.text`, `sqlalchemy.text`): a query constant
    /// is usually bound wrapped in it, and `db.execute(QUERY)` should read the SQL inside.
    fn sql_text_call(&self, n: Node) -> Option<String> {
        if self.language != Language::Python || self.kind(n) != "call" {
            return None;
        }
        let func = self.text(self.kinds.child(n, "function")?);
        if !matches!(func, "text" | "sa.text" | "sqlalchemy.text") {
            return None;
        }
        let args = self.kinds.child(n, "arguments")?;
        if args.named_child_count() != 1 {
            return None;
        }
        self.string_value(args.named_child(0)?)
    }

    /// Module-level pre-pass: string constants, shared maps, Redis clients.
    fn collect_bindings(&mut self, steps: &[Step]) {
        let g = self.g;
        replay_walk(steps, |n, kind, f, _| {
            // Go's `const q = `SELECT …`` binds a string like `var` does.
            if !(g.assignments.contains(&kind)
                || kind == "field_definition"
                || kind == "const_spec")
            {
                return;
            }
            let left = self.field(n, &["left", "name", "property"]);
            let right = self.field(n, &["right", "value"]);
            let (Some(l), Some(mut r)) = (left, right) else {
                return;
            };
            // Go wraps the value of `var q = …` / `const q = …` in a one-element list.
            if matches!(kind, "var_spec" | "const_spec")
                && self.kind(r) == "expression_list"
                && r.named_child_count() == 1
            {
                if let Some(only) = r.named_child(0) {
                    r = only;
                }
            }
            let lt = self.text(l).to_string();
            if let Some(s) = self.string_value(r).or_else(|| self.sql_text_call(r)) {
                self.strings.insert(lt.clone(), s);
            }
            let rt = self.text(r);
            // Go and Java maps are found by check-then-act itself (their reads and writes
            // race without an await); here: the Python and JavaScript/TypeScript ones.
            const MAP_CONSTRUCTORS: [&str; 11] = [
                "dict(",
                "defaultdict(",
                "OrderedDict(",
                "Counter(",
                "set(",
                "new Map(",
                "new Map<",
                "new Set(",
                "new Set<",
                "new WeakMap(",
                "Map()",
            ];
            let is_map = g.map_literals.contains(&self.kind(r))
                || MAP_CONSTRUCTORS
                    .iter()
                    .any(|p| rt.trim_start().starts_with(p));
            let shared_target = f == 0
                || lt.starts_with("self.")
                || lt.starts_with("this.")
                || self.kind(n) == "field_definition"
                || lt.starts_with("cls.");
            if is_map && shared_target {
                self.shared_maps.insert(strip_owner(&lt).to_string());
            }
            if rt.to_ascii_lowercase().has("redis") || rt.has("createClient(") {
                self.redis_clients.insert(lt);
            }
        });
    }

    fn is_shared_map(&self, text: &str) -> bool {
        let t = strip_owner(text.trim());
        self.shared_maps.contains(t)
    }

    fn is_redis(&self, receiver: &str) -> bool {
        let root = receiver.split(['.', '(']).next().unwrap_or("");
        let lower = receiver.to_ascii_lowercase();
        lower.has("redis")
            || lower.has("jedis")
            || matches!(last_segment(receiver), "rdb" | "rds")
            || self.redis_clients.contains(receiver)
            || self.redis_clients.contains(root)
            || self.redis_clients.contains(strip_owner(receiver))
    }

    /// The callee of a call node without whitespace: `requests.get`, `new Pool`,
    /// `jdbcTemplate.queryForObject`, across the grammars' different call shapes.
    fn callee_text(&self, call: Node) -> Option<String> {
        let raw = if let Some(f) = self.kinds.child(call, "function") {
            self.text(f).to_string()
        } else if let Some(c) = self.field(call, &["constructor", "type"]) {
            format!("new {}", self.text(c))
        } else {
            let name = self.text(self.kinds.child(call, "name")?);
            match self.kinds.child(call, "object") {
                Some(o) => format!("{}.{name}", self.text(o)),
                None => name.to_string(),
            }
        };
        // TSX reads `await api.post<T>(x)` as a call of `await api.post`: drop the keyword.
        let raw = raw
            .strip_prefix("await ")
            .map_or(raw.as_str(), str::trim_start)
            .to_string();
        let mut out: String = raw.split_whitespace().collect();
        if out.starts_with("new") && raw.starts_with("new ") {
            out.insert(3, ' ');
        } else if out.ends_with('>') {
            // A tagged template with type arguments (`prisma.$queryRaw<Row[]>`…``) keeps them
            // in its function text; the method is `$queryRaw`.
            if let Some(i) = out.find('<').filter(|&i| i > 0) {
                out.truncate(i);
            }
        }
        Some(out)
    }

    /// A function's name, worked out once per function node: a closure is named after the
    /// function it sits in, and asking again for every level of closures nested a hundred
    /// deep made lowering cubic (fuzzing: 77 KB of `() => () => …`).
    fn function_name(&self, n: Node) -> String {
        if let Some(known) = self.function_names.borrow().get(&n.id()) {
            return known.clone();
        }
        let name = self.work_out_function_name(n);
        self.function_names
            .borrow_mut()
            .insert(n.id(), name.clone());
        name
    }

    fn work_out_function_name(&self, n: Node) -> String {
        if let Some(name) = self.kinds.child(n, "name") {
            return self.text(name).to_string();
        }
        let Some(parent) = n.parent() else {
            return "<anonymous>".into();
        };
        match self.kind(parent) {
            "variable_declarator" | "assignment_expression" | "pair" | "assignment" => self
                .field(parent, &["name", "left", "key"])
                .map_or("<anonymous>".into(), |x| self.text(x).to_string()),
            "arguments" | "argument_list" => {
                let Some(call) = parent.parent() else {
                    return "<callback>".into();
                };
                let callee = self.callee_text(call).unwrap_or_default();
                let verb = callee.rsplit('.').next().unwrap_or("");
                let route = self
                    .named_children(parent)
                    .first()
                    .and_then(|a| self.string_value(*a));
                match route {
                    // `app.post("/seats/:id/hold", async (req, res) => …)`
                    Some(path)
                        if matches!(verb, "get" | "post" | "put" | "patch" | "delete" | "all") =>
                    {
                        format!("{} {path} handler", verb.to_ascii_uppercase())
                    }
                    _ => format!("callback of {callee}"),
                }
            }
            _ => {
                // A closure: name it after the function it sits in.
                let mut up = n.parent();
                while let Some(a) = up {
                    if self.g.functions.contains(&self.kind(a)) {
                        return format!("closure in {}", self.function_name(a));
                    }
                    up = a.parent();
                }
                "<anonymous>".into()
            }
        }
    }

    /// True for a callback passed to a lock helper (`mutex.runExclusive(async () => …)`).
    fn is_lock_callback(&self, n: Node) -> bool {
        let Some(args) = n
            .parent()
            .filter(|p| matches!(self.kind(p), "arguments" | "argument_list"))
        else {
            return false;
        };
        let Some(callee) = args.parent().and_then(|c| self.callee_text(c)) else {
            return false;
        };
        names_lock(&callee)
    }

    /// Name, flags, parameters and decorators of a function node.
    fn function_facts(&self, n: Node) -> Function {
        let mut f = Function::new(self.function_name(n), self.loc(n));
        f.locked = self.is_lock_callback(n);
        f.is_async = self.text(n).trim_start().starts_with("async");
        if let Some(params) = self.field(n, &["parameters", "parameter"]) {
            f.params = if self.kind(params) == "identifier" {
                vec![self.text(params).to_string()]
            } else {
                self.named_children(params)
                    .into_iter()
                    .filter_map(|p| {
                        let name = if self.kind(p) == "identifier" {
                            Some(p)
                        } else {
                            self.field(p, &["name", "pattern", "left"])
                                .or_else(|| p.named_child(0))
                        };
                        name.map(|x| self.text(x).to_string())
                    })
                    .collect()
            };
        }
        // Python decorators sit on the wrapping `decorated_definition`; TS/JS class-method
        // decorators are siblings before the method.
        let mut holder = n.parent();
        if holder.is_some_and(|p| self.kind(p) == "decorated_definition") {
            f.decorators = holder
                .take()
                .map(|p| {
                    self.named_children(p)
                        .into_iter()
                        .filter(|c| self.kind(c) == "decorator")
                })
                .into_iter()
                .flatten()
                .map(|d| {
                    self.text(d)
                        .trim_start_matches('@')
                        .split_whitespace()
                        .collect()
                })
                .collect();
        }
        // TS/JS class methods: decorators are the method's preceding siblings in the class body.
        if self.kind(n) == "method_definition" {
            let mut prev = n.prev_named_sibling();
            let mut found = Vec::new();
            while let Some(d) = prev.filter(|d| self.kind(d) == "decorator") {
                found.push(
                    self.text(d)
                        .trim_start_matches('@')
                        .split_whitespace()
                        .collect::<String>(),
                );
                prev = d.prev_named_sibling();
            }
            found.reverse();
            f.decorators.extend(found);
        }
        // Java: annotations and `synchronized` live in the method's modifiers.
        if let Some(mods) = self
            .named_children(n)
            .into_iter()
            .find(|c| self.kind(c) == "modifiers")
        {
            let mods_text = self.text(mods);
            f.locked |= mods_text.split_whitespace().any(|w| w == "synchronized");
            f.decorators.extend(
                self.named_children(mods)
                    .into_iter()
                    .filter(|c| matches!(self.kind(c), "annotation" | "marker_annotation"))
                    .map(|a| {
                        self.text(a)
                            .trim_start_matches('@')
                            .split_whitespace()
                            .collect::<String>()
                    }),
            );
        }
        // Go: a handler is known by its parameter types, and only by them.
        f.handler_by_signature_only = self.language == Language::Go;
        let params_text = self.field(n, &["parameters"]).map_or("", |p| self.text(p));
        f.handler_hint = [
            "http.ResponseWriter",
            "*gin.Context",
            "echo.Context",
            "*fiber.Ctx",
            "chi.Router",
        ]
        .iter()
        .any(|t| params_text.has(t))
            || f.decorators.iter().any(|d| {
                [
                    "GetMapping",
                    "PostMapping",
                    "PutMapping",
                    "DeleteMapping",
                    "PatchMapping",
                    "RequestMapping",
                    "Get(",
                    "Post(",
                    "Put(",
                    "Delete(",
                    "Patch(",
                ]
                .iter()
                .any(|a| d.starts_with(a))
            });
        if let Some(args) = n
            .parent()
            .filter(|p| matches!(self.kind(p), "arguments" | "argument_list"))
        {
            let callee = args
                .parent()
                .and_then(|c| self.callee_text(c))
                .unwrap_or_default();
            f.loop_callback = matches!(
                last_segment(&callee),
                "forEach"
                    | "map"
                    | "flatMap"
                    | "filter"
                    | "reduce"
                    | "some"
                    | "every"
                    | "find"
                    | "each"
            );
        }
        f
    }

    /// Callee, arguments and context of a call node.
    fn call_facts(&self, n: Node, callee: String, parent_kind: &str) -> Call {
        let (receiver, method) = match callee.rsplit_once('.') {
            Some((r, m)) => (r.to_string(), m.to_string()),
            None => (String::new(), callee.clone()),
        };
        let args = self
            .kinds
            .child(n, "arguments")
            .map(|a| {
                if self.g.string_containers.contains(&self.kind(a)) {
                    vec![a] // a tagged template: sql`…`
                } else {
                    self.named_children(a)
                }
            })
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let (name, value) = if self.kind(a) == "keyword_argument" {
                    (
                        self.kinds
                            .child(a, "name")
                            .map(|k| self.text(k).to_string()),
                        self.kinds.child(a, "value").unwrap_or(a),
                    )
                } else {
                    (None, a)
                };
                Arg {
                    name,
                    text: self.text(value).to_string(),
                    string: self.string_value(value),
                }
            })
            .collect();
        let awaited = parent_kind == self.g.await_kind;
        Call {
            callee,
            method,
            receiver,
            args,
            loc: self.loc(n),
            loop_depth: 0,
            awaited,
        }
    }

    /// What an `except` / `catch` clause catches and does.
    fn catch_facts(&self, n: Node) -> Catch {
        let body = self.field(n, &["body"]).or_else(|| {
            self.named_children(n)
                .into_iter()
                .rfind(|c| self.kind(c) == "block")
        });
        let body_start = body.map_or(n.end_byte(), |b| b.start_byte());
        // A comment between the header and the first statement belongs to neither
        // (`except Exception:\n    # Stripe would retry`): drop it.
        let header: String = self
            .src
            .get(n.start_byte()..body_start)
            .unwrap_or("")
            .lines()
            .map(|l| {
                l.split(" #")
                    .next()
                    .unwrap_or(l)
                    .split(" //")
                    .next()
                    .unwrap_or(l)
            })
            .filter(|l| !l.trim_start().starts_with('#') && !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let caught = header
            .trim()
            .trim_start_matches("except")
            .trim_start_matches("catch")
            .trim_end_matches(':')
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        // The handler's try statement: its parent (Python, JS, Java), the try block its first
        // block-like child.
        let try_block = n
            .parent()
            .filter(|p| self.kind(p) == "try_statement")
            .and_then(|t| {
                self.field(t, &["body"]).or_else(|| {
                    self.named_children(t)
                        .into_iter()
                        .find(|c| matches!(self.kind(c), "block" | "statement_block"))
                })
            });
        Catch {
            loc: self.loc(n),
            caught: caught.to_string(),
            body: body.map_or("", |b| self.text(b)).to_string(),
            try_block: try_block.map(|b| self.loc(b)),
        }
    }

    /// A loop's parts: `for <var> in <iterable>: <body>`, `for (const <var> of <iterable>)`,
    /// comprehensions, Go `for _, v := range xs`, Java enhanced for, `while <cond>`.
    fn loop_facts(&self, n: Node) -> Loop {
        let body = self.kinds.child(n, "body").unwrap_or(n);
        let field_text = |names: &[&str]| {
            self.field(n, names)
                .map_or(String::new(), |x| self.text(x).to_string())
        };
        let (mut var, mut iterable) = (
            field_text(&["left", "name"]),
            field_text(&["right", "value", "condition"]),
        );
        // Comprehensions keep the header in a `for_in_clause` child.
        if let Some(clause) = self
            .named_children(n)
            .into_iter()
            .find(|c| self.kind(c) == "for_in_clause")
        {
            var = self
                .field(clause, &["left"])
                .map_or(String::new(), |x| self.text(x).to_string());
            iterable = self
                .field(clause, &["right"])
                .map_or(String::new(), |x| self.text(x).to_string());
        }
        // Go: `for k, v := range xs` keeps them in a `range_clause`; `for i := 0; …` in a `for_clause`.
        if let Some(clause) = self
            .named_children(n)
            .into_iter()
            .find(|c| matches!(self.kind(c), "range_clause" | "for_clause"))
        {
            var = self
                .field(clause, &["left", "initializer"])
                .map_or(String::new(), |x| self.text(x).to_string());
            iterable = self
                .field(clause, &["right", "condition"])
                .map_or(String::new(), |x| self.text(x).to_string());
        }
        // Go `for rows.Next() { … }`: the condition is the loop's only other child.
        if var.is_empty() && iterable.is_empty() && self.kind(n) == "for_statement" {
            if let Some(cond) = self.named_children(n).into_iter().find(|c| {
                c.id() != body.id()
                    && self.kind(c) != "for_clause"
                    && self.kind(c) != "range_clause"
            }) {
                iterable = self.text(cond).to_string();
            }
        }
        // JS/Java classic `for (init; cond; update)`.
        if var.is_empty() && iterable.is_empty() {
            var = field_text(&["initializer", "init"]);
            iterable = field_text(&["condition"]);
        }
        Loop {
            whole: self.loc(n),
            body: self.loc(body),
            var: var.trim().to_string(),
            iterable: iterable.trim().to_string(),
        }
    }

    fn lower(&mut self, root: Node) -> Program {
        let steps = record_walk(root, self.kinds, self.g.functions);
        self.collect_bindings(&steps);
        let mut functions = vec![Function::new("<module>".into(), self.loc(root))];
        let mut assignments: Vec<Vec<Assignment>> = vec![Vec::new()];
        let mut lock_marks: Vec<Vec<(usize, bool, String)>> = vec![Vec::new()];
        let mut mutations: Vec<Vec<(usize, String)>> = vec![Vec::new()];
        replay_walk(&steps, |n, kind, f_here, ancestors| {
            let parent = ancestors.last().map(|&(p, _)| p);
            let parent_kind = ancestors.last().map_or("", |&(_, k)| k);
            if f_here == functions.len() {
                functions.push(self.function_facts(n));
                assignments.push(Vec::new());
                lock_marks.push(Vec::new());
                mutations.push(Vec::new());
            }
            // The callee's text is read once per call and serves both the call fact and the
            // read/write classification below.
            let callee = if self.g.calls.contains(&kind) {
                self.callee_text(n)
            } else {
                None
            };
            if let Some(callee) = &callee {
                functions[f_here]
                    .calls
                    .push(self.call_facts(n, callee.clone(), parent_kind));
            } else if self.g.loops.contains(&kind) {
                // The body repeats; the iterable (`for row in db.query(…)`) runs once.
                let facts = self.loop_facts(n);
                functions[f_here].loops.push(facts.body);
                functions[f_here].loop_facts.push(facts);
            } else if kind == self.g.handler {
                let catch = self.catch_facts(n);
                functions[f_here].catches.push(catch);
            }
            let ops = &mut functions[f_here].ops;
            if let Some(callee) = callee {
                if let Some(op) =
                    self.classify_call(n, callee, parent_kind, &mut lock_marks[f_here])
                {
                    ops.push(op);
                }
            } else if kind == self.g.await_kind {
                ops.push(Op {
                    kind: OpKind::Await,
                    loc: self.loc(n),
                });
            } else if self.g.branches.contains(&kind) {
                ops.push(Op {
                    kind: OpKind::Branch,
                    loc: self.loc(n),
                });
            } else if kind == "comparison_operator" {
                // Python `key in holds` / `key not in holds`.
                let kids = self.named_children(n);
                let has_in = (0..n.child_count())
                    .filter_map(|i| n.child(i))
                    .any(|c| matches!(self.kind(c), "in" | "not in"));
                if let (true, Some(right)) = (has_in, kids.last()) {
                    if self.is_shared_map(self.text(*right)) {
                        ops.push(self.map_read(*right, n));
                    }
                }
            } else if kind == self.g.subscript {
                // `holds[k] = v`; Go wraps assignment targets in an `expression_list`.
                let target_of = |p: Node| {
                    self.g.assignments.contains(&self.kind(p))
                        && self.field(p, &["left"]).is_some_and(|l| l.id() == n.id())
                };
                let grandparent = ancestors
                    .len()
                    .checked_sub(2)
                    .and_then(|i| ancestors.get(i))
                    .map(|(gp, _)| gp);
                let is_target = parent.is_some_and(|p| {
                    target_of(p)
                        || self.kind(p) == "expression_list"
                            && grandparent.is_some_and(|&gp| {
                                self.g.assignments.contains(&self.kind(gp))
                                    && self.field(gp, &["left"]).is_some_and(|l| l.id() == p.id())
                            })
                });
                if let Some(obj) = self.kinds.child(n, self.g.subscript_object) {
                    if let Some(key) = self.field(n, &["subscript", "index"]) {
                        functions[f_here].subscripts.push(Subscript {
                            object: self.text(obj).split_whitespace().collect(),
                            key: self.text(key).to_string(),
                            key_string: self.string_value(key),
                            is_write: is_target,
                            loc: self.loc(n),
                        });
                    }
                    let ops = &mut functions[f_here].ops;
                    if self.is_shared_map(self.text(obj)) {
                        if is_target {
                            let target = Target::Map(strip_owner(self.text(obj)).to_string());
                            ops.push(Op {
                                kind: OpKind::Write {
                                    target,
                                    guard: WriteGuard::None,
                                    sql: None,
                                },
                                loc: self.loc(n),
                            });
                        } else if parent_kind != "delete_statement" {
                            ops.push(self.map_read(obj, n));
                        }
                    }
                }
            } else if self.g.assignments.contains(&kind) {
                if let (Some(l), Some(r)) = (
                    self.field(n, &["left", "name", "property"]),
                    self.field(n, &["right", "value"]),
                ) {
                    let names = self.bound_names(l);
                    // A class field is what methods read as `this.<name>`.
                    let target = if kind.ends_with("field_definition") {
                        format!("this.{}", self.text(l))
                    } else {
                        self.text(l).to_string()
                    };
                    functions[f_here].assigns.push(Assign {
                        target,
                        names: names.clone(),
                        value: self.text(r).to_string(),
                        value_kind: self.kind(r).to_string(),
                        loc: self.loc(n),
                    });
                    assignments[f_here].push(Assignment {
                        value: self.loc(r),
                        names,
                    });
                    if self.kind(l) == self.g.member {
                        // `seat.status = "held"`: the row is changed in memory; a later
                        // `session.commit()` writes it.
                        if let Some(obj) = self
                            .kinds
                            .child(l, self.g.member_object)
                            .filter(|o| self.kind(o) == "identifier")
                        {
                            mutations[f_here].push((n.start_byte(), self.text(obj).to_string()));
                        }
                    }
                }
            } else if kind == "synchronized_statement" {
                ops.push(Op {
                    kind: OpKind::LockHeld,
                    loc: self.loc(n),
                });
            } else if kind == "with_statement" {
                let clause = n.named_child(0).map(|c| self.text(c)).unwrap_or("");
                if names_lock(clause) {
                    ops.push(Op {
                        kind: OpKind::LockHeld,
                        loc: self.loc(n),
                    });
                }
            } else if kind == "try_statement" {
                let handles_unique = self
                    .named_children(n)
                    .into_iter()
                    .filter(|c| self.kind(c) == self.g.handler)
                    .any(|c| handles_unique_violation(self.text(c)));
                if handles_unique {
                    ops.push(Op {
                        kind: OpKind::UniqueHandled,
                        loc: self.loc(n),
                    });
                }
            }
        });
        nest_functions(&mut functions);
        for (i, func) in functions.iter_mut().enumerate() {
            func.ops.sort_by_key(|o| (o.loc.start, o.loc.end));
            let text = self.src.get(func.loc.start..func.loc.end).unwrap_or("");
            if text.to_ascii_lowercase().has("serializable") && i > 0 {
                func.ops.push(Op {
                    kind: OpKind::Serializable,
                    loc: func.loc,
                });
            }
            commit_writes(func, &mutations[i]);
            resolve_bindings(func, &assignments[i]);
            lock_regions(func, &lock_marks[i]);
        }
        Program {
            functions,
            syntax_errors: root.has_error(),
        }
    }

    fn map_read(&self, map: Node, at: Node) -> Op {
        Op {
            kind: OpKind::Read {
                target: Target::Map(strip_owner(self.text(map)).to_string()),
                locking: false,
                binds: Vec::new(),
                sql: None,
            },
            loc: self.loc(at),
        }
    }

    fn classify_call(
        &self,
        n: Node,
        callee_text: String,
        parent_kind: &str,
        lock_marks: &mut Vec<(usize, bool, String)>,
    ) -> Option<Op> {
        let args = self.kinds.child(n, "arguments");
        let arg_list: Vec<Node> = args
            .map(|a| {
                if self.g.string_containers.contains(&self.kind(a)) {
                    vec![a]
                } else {
                    self.named_children(a)
                }
            })
            .unwrap_or_default();
        let (receiver, method) = match callee_text.rsplit_once('.') {
            Some((r, m)) => (r.to_string(), m),
            None => (String::new(), callee_text.as_str()),
        };
        let args_text = args.map_or("", |a| self.text(a));
        let loc = self.loc(n);
        let read = |target, locking, sql| {
            Some(Op {
                kind: OpKind::Read {
                    target,
                    locking,
                    binds: Vec::new(),
                    sql,
                },
                loc,
            })
        };
        let write = |target, guard, sql| {
            Some(Op {
                kind: OpKind::Write { target, guard, sql },
                loc,
            })
        };

        // 1. SQL text as the first argument (or inside `text("…")` / a tagged template). Go and
        // sqlx put a context and a destination first (`db.QueryRowContext(ctx, "SELECT …")`,
        // `db.Get(&dest, "SELECT …")`), so the first three arguments are tried in order.
        let sql_of = |a: Node| {
            let a = if self.g.calls.contains(&self.kind(a)) {
                self.kinds
                    .child(a, "arguments")
                    .and_then(|x| self.named_children(x).first().copied())
                    .unwrap_or(a)
            } else {
                a
            };
            self.string_value(a).and_then(|s| sql::parse(&s))
        };
        if let Some(stmt) = arg_list.iter().take(3).find_map(|a| sql_of(*a)) {
            let target = Target::Table(stmt.table.clone());
            return match stmt.kind {
                SqlKind::Select => read(target, stmt.locking, Some(stmt)),
                SqlKind::Update | SqlKind::Delete => {
                    let guard = if stmt.conditional {
                        WriteGuard::Conditional
                    } else {
                        WriteGuard::None
                    };
                    write(target, guard, Some(stmt))
                }
                SqlKind::Insert => {
                    let guard = if stmt.on_conflict {
                        WriteGuard::OnConflict
                    } else {
                        WriteGuard::None
                    };
                    write(target, guard, Some(stmt))
                }
            };
        }

        // 2. Locks taken and released by hand. Go names its mutexes `mu`; a deferred unlock runs
        // at the end of the function, so the region lasts until then.
        let go_mutex = matches!(method, "Lock" | "Unlock" | "RLock" | "RUnlock")
            && arg_list.is_empty()
            && !receiver.is_empty();
        if names_lock(&receiver) || go_mutex {
            let deferred = parent_kind == "defer_statement";
            match method {
                "acquire" | "lock" | "acquireLock" | "Lock" | "RLock" | "tryLock" => {
                    lock_marks.push((loc.start, true, receiver.clone()))
                }
                "release" | "unlock" | "releaseLock" | "Unlock" | "RUnlock" if !deferred => {
                    lock_marks.push((loc.start, false, receiver.clone()))
                }
                _ => {}
            }
            return None;
        }

        // A unit-of-work flush: becomes a write of every row changed before it (see
        // `commit_writes`).
        if matches!(method, "commit" | "flush") && !receiver.is_empty() && arg_list.is_empty() {
            return write(Target::Row(String::new()), WriteGuard::None, None);
        }

        // 3. Redis and other shared key-value stores.
        if !receiver.is_empty() && self.is_redis(&receiver) {
            // go-redis takes a context first: `rdb.Get(ctx, key)`.
            let key_arg = arg_list
                .iter()
                .find(|a| {
                    let t = self.text(**a);
                    !(t == "ctx" || t == "context.Background()" || t.ends_with("Context()"))
                })
                .copied();
            let key = key_arg.map_or(String::new(), |k| self.text(k).to_string());
            let m = method.to_ascii_lowercase();
            let nx = m.ends_with("nx")
                || m == "setifabsent"
                || arg_list.iter().any(|a| {
                    let t: String = self.text(*a).split_whitespace().collect();
                    t == "nx=True"
                        || t.eq_ignore_ascii_case("'nx'")
                        || t.eq_ignore_ascii_case("\"nx\"")
                        || t.has("NX:true")
                        || t.has("nx:true")
                        || t.has("Mode:\"NX\"")
                        || t.has(".nx()")
                });
            return match m.as_str() {
                "get" | "exists" | "hget" | "hexists" | "sismember" | "hgetall" | "getex" => {
                    read(Target::Key(key), false, None)
                }
                // `await redis.decr(key)` with the new value thrown away: a stock counted down
                // after a check of an earlier `get`, not re-checked. Kept (`const n = await
                // redis.decr(key); if (n < 0) …`), the decrement is its own check.
                "decr" | "decrby" => {
                    let mut p = n.parent();
                    if p.is_some_and(|x| self.kind(x) == self.g.await_kind) {
                        p = p.and_then(|x| x.parent());
                    }
                    let discarded = p.is_some_and(|x| self.kind(x) == "expression_statement");
                    write(
                        Target::Key(key),
                        if discarded {
                            WriteGuard::None
                        } else {
                            WriteGuard::Conditional
                        },
                        None,
                    )
                }
                "set" | "setex" | "psetex" | "hset" | "hmset" | "sadd" | "setnx" | "hsetnx"
                | "setifabsent" | "setargs" | "del" | "delete" | "unlink" => write(
                    Target::Key(key),
                    if nx {
                        WriteGuard::SetIfAbsent
                    } else {
                        WriteGuard::None
                    },
                    None,
                ),
                _ => None,
            };
        }

        // 4. Shared in-memory maps.
        if !receiver.is_empty() && self.is_shared_map(&receiver) {
            let target = Target::Map(strip_owner(&receiver).to_string());
            return match method {
                "get" | "has" | "__contains__" | "includes" => read(target, false, None),
                "set" | "delete" | "pop" | "update" | "add" | "append" | "clear" => {
                    write(target, WriteGuard::None, None)
                }
                "setdefault" => write(target, WriteGuard::SetIfAbsent, None),
                _ => None,
            };
        }

        // 5. ORM reads and writes.
        let locking = callee_text.has("select_for_update")
            || callee_text.has("with_for_update")
            || args_text.has("with_for_update")
            || args_text.has("select_for_update")
            || callee_text.has("forUpdate(")
            || callee_text.has("setLock(")
            || args_text.has("lock:")
            || args_text.has("lock=")
            // JPA `em.find(Seat.class, id, LockModeType.PESSIMISTIC_WRITE)`, GORM
            // `db.Clauses(clause.Locking{Strength: "UPDATE"})`.
            || args_text.has("PESSIMISTIC")
            || callee_text.has("PESSIMISTIC")
            || callee_text.has("clause.Locking")
            || callee_text.has("FOR UPDATE");
        if let Some(model) = self.orm_read_model(&callee_text, &receiver, method, &arg_list) {
            let locking = locking || self.locking_repository_method(method);
            return read(Target::Model(model), locking, None);
        }
        if let Some((target, guard)) = self.orm_write(&callee_text, &receiver, method, &arg_list) {
            return write(target, guard, None);
        }
        None
    }

    /// The model an ORM read loads, if this call is one.
    fn orm_read_model(
        &self,
        callee: &str,
        receiver: &str,
        method: &str,
        args: &[Node],
    ) -> Option<String> {
        const PY_READS: [&str; 10] = [
            "get",
            "first",
            "last",
            "one",
            "one_or_none",
            "scalar",
            "scalar_one_or_none",
            "exists",
            "get_or_none",
            "count",
        ];
        const JS_READS: [&str; 17] = [
            "exist",
            "exists",
            "existsBy",
            "countBy",
            "findOne",
            "findUnique",
            "findFirst",
            "findByPk",
            "findOneBy",
            "findById",
            "findOneOrFail",
            "findUniqueOrThrow",
            "findFirstOrThrow",
            "findAll",
            "findMany",
            "count",
            "findOneByOrFail",
        ];
        if let Some(model) = callee
            .split(".objects")
            .next()
            .filter(|_| callee.has(".objects."))
        {
            return PY_READS
                .contains(&method)
                .then(|| last_segment(model).to_string());
        }
        if let Some(rest) = callee.split_once("query(").map(|(_, r)| r) {
            if PY_READS.contains(&method) || method == "all" {
                return Some(last_segment(rest.split([')', ',']).next().unwrap_or("")).to_string());
            }
        }
        if callee.has(".query.") && PY_READS.contains(&method) {
            return Some(last_segment(callee.split(".query.").next().unwrap_or("")).to_string());
        }
        if matches!(
            method,
            "get" | "scalar" | "execute" | "scalars" | "get_object_or_404"
        ) || callee == "get_object_or_404"
        {
            let first = args.first().map(|a| self.text(*a)).unwrap_or("");
            if let Some(inner) = first.strip_prefix("select(") {
                return Some(selected_model(inner).to_string());
            }
            if first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && (method == "get" || callee == "get_object_or_404")
            {
                return Some(first.to_string());
            }
        }
        // A Knex builder's single-row or counting read: `knex('holds').where({ slot_id
        // }).first('id')`, `trx('seats').where(…).count('id')`.
        if matches!(self.language, Language::JavaScript | Language::TypeScript)
            && matches!(method, "first" | "count")
        {
            if let Some(table) = knex_builder_table(callee) {
                return Some(table.to_string());
            }
        }
        if JS_READS.contains(&method) || matches!(method, "find" | "findBy") {
            if let Some(model) = self.entity_manager_model(receiver, args) {
                return Some(model);
            }
        }
        // SQLAlchemy's `func.count(…)` builds SQL; it reads nothing by itself.
        if JS_READS.contains(&method) && !receiver.is_empty() && last_segment(receiver) != "func" {
            return Some(last_segment(receiver).to_string());
        }
        // TypeORM / MikroORM `repo.find({ where: … })`, `repo.findBy({ … })` (not `Array.find`,
        // which takes a function).
        let first = args.first().map_or("", |a| self.text(*a));
        if !receiver.is_empty()
            && (matches!(method, "find" | "findAndCount")
                && first.starts_with('{')
                && first.has("where")
                || matches!(method, "findBy" | "findAndCountBy") && first.starts_with('{'))
        {
            return Some(last_segment(receiver).to_string());
        }
        // GORM: `db.First(&seat, id)`, `db.Where("code = ?", c).Take(&coupon)`.
        if matches!(method, "First" | "Find" | "Take" | "Last") && !receiver.is_empty() {
            let dest = args.first().filter(|a| self.text(**a).starts_with('&'))?;
            return Some(self.go_entity(*dest));
        }
        // Spring Data derived queries and JPA: `repo.existsByUsername(…)`,
        // `repo.getReferenceById(id)`, `em.find(Seat.class, id)`.
        if !receiver.is_empty() {
            const PREFIXES: [&str; 9] = [
                "findBy",
                "findOneBy",
                "findFirstBy",
                "findTopBy",
                "existsBy",
                "countBy",
                "getBy",
                "readBy",
                "findAllBy",
            ];
            if PREFIXES.iter().any(|p| method.starts_with(p))
                || matches!(
                    method,
                    "getReferenceById" | "getById" | "getOne" | "existsById"
                )
            {
                return Some(last_segment(receiver).to_string());
            }
            if method == "find" {
                if let Some(class) = args
                    .first()
                    .and_then(|a| self.text(*a).strip_suffix(".class"))
                {
                    return Some(class.to_string());
                }
            }
        }
        if method == "find"
            && last_segment(receiver)
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
        {
            return Some(last_segment(receiver).to_string());
        }
        None
    }

    /// The target and guard of an ORM write, if this call is one.
    /// TypeORM's EntityManager names the entity in its first argument (`manager.exists(Course,
    /// { where })`, `manager.save(manager.create(Enrolment, {…}))`): that is the model, not the
    /// manager.
    fn entity_manager_model(&self, receiver: &str, args: &[Node]) -> Option<String> {
        if !matches!(
            last_segment(receiver),
            "manager" | "em" | "entityManager" | "transactionalEntityManager"
        ) {
            return None;
        }
        let first = self.text(*args.first()?).trim();
        let first = first
            .split_once(".create(")
            .map_or(first, |(_, inner)| {
                inner.split([',', ')']).next().unwrap_or("")
            })
            .trim();
        let camel = first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && first.chars().all(|c| c.is_alphanumeric() || c == '_');
        camel.then(|| first.to_string())
    }

    fn orm_write(
        &self,
        callee: &str,
        receiver: &str,
        method: &str,
        args: &[Node],
    ) -> Option<(Target, WriteGuard)> {
        const WRITES: [&str; 19] = [
            "save",
            "create",
            "update",
            "updateOne",
            "updateMany",
            "upsert",
            "insert",
            "destroy",
            "delete",
            "remove",
            "increment",
            "decrement",
            "createMany",
            "findOneAndUpdate",
            "findByIdAndUpdate",
            "bulkCreate",
            "bulk_create",
            "update_or_create",
            "add",
        ];
        if receiver.is_empty() {
            return None;
        }
        if WRITES.contains(&method) || method == "persist" {
            if let Some(model) = self.entity_manager_model(receiver, args) {
                return Some((Target::Model(model), WriteGuard::None));
            }
        }
        // GORM: `db.Save(&seat)`, `db.Model(&seat).Update("status", "held")`,
        // `db.Model(&Seat{}).Where("id = ? AND status = ?", id, "free").Update(…)`.
        if matches!(
            method,
            "Save" | "Create" | "Update" | "Updates" | "UpdateColumn" | "UpdateColumns" | "Delete"
        ) {
            let model = callee
                .split_once(".Model(")
                .map(|(_, r)| r.split([')', ',']).next().unwrap_or(""))
                .filter(|m| m.starts_with('&'));
            let entity = match model {
                Some(m) => entity_of_go_literal(m),
                None => {
                    let dest = args.first().filter(|a| self.text(**a).starts_with('&'))?;
                    self.go_entity(*dest)
                }
            };
            // The callee text has no spaces; the condition needs them (`id = ? AND status = ?`).
            let raw = args
                .first()
                .and_then(|a| a.parent())
                .and_then(|l| l.parent())
                .and_then(|c| self.kinds.child(c, "function"))
                .map_or(callee, |f| self.text(f));
            let guard = match raw.split_once(".Where(") {
                Some((_, w)) if gorm_where_conditional(w) => WriteGuard::Conditional,
                _ => WriteGuard::None,
            };
            return Some((Target::Model(entity), guard));
        }
        // JPA / Spring Data / TypeORM: `repo.save(seat)` writes the row loaded into `seat`; a
        // `repo.save(user)` of an entity built here (`new User(…)`) inserts into the model.
        if matches!(
            method,
            "save" | "saveAndFlush" | "persist" | "merge" | "saveAll" | "saveAllAndFlush"
        ) {
            if let Some(first) = args.first() {
                let t = self.text(*first);
                if self.kind(first) == "identifier" {
                    return Some(if self.constructed_here(*first, t) {
                        (
                            Target::Model(last_segment(receiver).to_string()),
                            WriteGuard::None,
                        )
                    } else {
                        (Target::Row(t.to_string()), WriteGuard::None)
                    });
                }
                if let Some(built) = t.strip_prefix("new ") {
                    let class = built.split(['(', '<']).next().unwrap_or("").trim();
                    let model = if receiver.to_ascii_lowercase().has("repo") {
                        last_segment(receiver)
                    } else {
                        class
                    };
                    return Some((Target::Model(model.to_string()), WriteGuard::None));
                }
            }
        }
        if !WRITES.contains(&method) {
            return None;
        }
        let args_text = args
            .iter()
            .map(|a| self.text(*a))
            .collect::<Vec<_>>()
            .join(",");
        if matches!(method, "upsert" | "update_or_create") {
            return Some((
                Target::Model(last_segment(receiver).to_string()),
                WriteGuard::OnConflict,
            ));
        }
        // Django: `Seat.objects.filter(id=…, status="free").update(…)`.
        if let Some(model) = callee
            .split(".objects")
            .next()
            .filter(|_| callee.has(".objects."))
        {
            let filter = callee.split_once("filter(").map_or("", |(_, r)| r);
            let guard = if kwargs_conditional(filter) {
                WriteGuard::Conditional
            } else {
                WriteGuard::None
            };
            return Some((Target::Model(last_segment(model).to_string()), guard));
        }
        // SQLAlchemy session: `session.add(Seat(...))`, `session.add(seat)`.
        if method == "add" {
            let first = args.first()?;
            let t = self.text(*first);
            if self.g.calls.contains(&self.kind(first))
                && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            {
                return Some((
                    Target::Model(t.split('(').next().unwrap_or(t).to_string()),
                    WriteGuard::None,
                ));
            }
            if self.kind(first) != "identifier" {
                return None;
            }
            // `appt = Appointment(...)` earlier, then `session.add(appt)`: an insert.
            return Some(match self.python_constructed(*first, t) {
                Some(model) => (Target::Model(model), WriteGuard::None),
                None => (Target::Row(t.to_string()), WriteGuard::None),
            });
        }
        if method == "save" && receiver.to_ascii_lowercase().has("repo") {
            if let Some(first) = args.first().filter(|a| self.kind(**a) == "identifier") {
                return Some((Target::Row(self.text(*first).to_string()), WriteGuard::None));
            }
        }
        // A Knex builder's insert: `knex('holds').insert({ … })`. (Its updates are left to
        // lost-update, which follows the value read into the row.)
        if matches!(self.language, Language::JavaScript | Language::TypeScript)
            && method == "insert"
        {
            if let Some(table) = knex_builder_table(receiver) {
                return Some((Target::Model(table.to_string()), WriteGuard::None));
            }
        }
        let is_row = !receiver.contains('.')
            && receiver
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase())
            && method == "save"
            || (!receiver.contains('.')
                && receiver
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase())
                && matches!(
                    method,
                    "update" | "destroy" | "remove" | "increment" | "decrement"
                )
                && !receiver.to_ascii_lowercase().has("repo"));
        if is_row && !receiver.starts_with("prisma") {
            return Some((Target::Row(receiver.to_string()), WriteGuard::None));
        }
        let filter = match method {
            "updateOne" | "findOneAndUpdate" => args.first().map_or("", |a| self.text(*a)),
            // TypeORM `repo.update({ id, status: "free" }, { status: "held" })`.
            "update" if !args_text.has("where:") && args.len() >= 2 => {
                args.first().map_or("", |a| self.text(*a))
            }
            _ => where_object(&args_text),
        };
        let guard = if object_conditional(filter) {
            WriteGuard::Conditional
        } else {
            WriteGuard::None
        };
        Some((Target::Model(last_segment(receiver).to_string()), guard))
    }

    /// The function node around `n`, if any.
    fn enclosing_function<'t>(&self, n: Node<'t>) -> Option<Node<'t>> {
        let mut up = n.parent();
        while let Some(a) = up {
            if self.g.functions.contains(&self.kind(a)) {
                return Some(a);
            }
            up = a.parent();
        }
        None
    }

    /// The entity a GORM destination `&seat` stands for: its declared type when the function
    /// says (`var seat Seat`, `seat := Seat{…}`), else the variable's name.
    fn go_entity(&self, dest: Node) -> String {
        let t = self.text(dest);
        if t.contains('{') {
            return entity_of_go_literal(t);
        }
        let name = t.trim_start_matches('&');
        let body = self.enclosing_function(dest).map_or("", |f| self.text(f));
        for line in body.lines() {
            let l = line.trim();
            let declared = l
                .strip_prefix("var ")
                .and_then(|r| r.strip_prefix(name))
                .filter(|r| r.starts_with(' '))
                .map(|r| r.trim())
                .or_else(|| {
                    l.strip_prefix(name)
                        .and_then(|r| r.trim_start().strip_prefix(":="))
                        .map(|r| r.trim().trim_start_matches('&'))
                });
            if let Some(ty) = declared {
                let ty = ty.trim_start_matches(['*', '[', ']']);
                let ty: String = ty
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                    .collect();
                if ty.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                    return last_segment(&ty).to_string();
                }
            }
        }
        name.to_string()
    }

    /// True when `name` is built in the function around `at` (`User user = new User(…)`,
    /// `user := &User{…}`, `const user = repo.create({…})`), not loaded from the database.
    fn constructed_here(&self, at: Node, name: &str) -> bool {
        let body = self.enclosing_function(at).map_or("", |f| self.text(f));
        body.lines().any(|line| {
            let Some((left, right)) = line.split_once('=') else {
                return false;
            };
            let left = left.trim_end_matches(':').trim_end();
            let binds = left.rsplit([' ', '\t']).next() == Some(name);
            let right = right.trim_start();
            binds
                && !right.starts_with('=')
                && (right.starts_with("new ")
                    || right.starts_with('&')
                    || right.has(".create(")
                    || right.split('{').next().is_some_and(|p| {
                        p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                            && right.contains('{')
                            && !p.contains('(')
                    }))
        })
    }

    /// The class a Python local was built from in the enclosing function (`appt =
    /// Appointment(`), if it was.
    fn python_constructed(&self, at: Node, name: &str) -> Option<String> {
        let body = self.enclosing_function(at).map_or("", |f| self.text(f));
        body.lines().find_map(|line| {
            let (left, right) = line.split_once('=')?;
            let right = right.trim_start();
            if left.trim() != name || right.starts_with('=') {
                return None;
            }
            let class: String = right
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            let class = last_segment(&class);
            right.has(&format!("{class}(")).then_some(())?;
            class
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
                .then(|| class.to_string())
        })
    }

    /// A Spring Data repository method declared with `@Lock(…)` in the snippet, or named as a
    /// locking read (`findByIdForUpdate`, `findLockedById`).
    fn locking_repository_method(&self, method: &str) -> bool {
        if ["ForUpdate", "Locked", "WithLock", "Pessimistic"]
            .iter()
            .any(|w| method.has(w))
        {
            return true;
        }
        let decl = format!(" {method}(");
        let annotated = self.lock_annotations.get_or_init(|| {
            self.src
                .match_indices("@Lock(")
                .filter_map(|(i, _)| {
                    let rest = &self.src[i..];
                    let end = rest.find([';', '{']).unwrap_or(rest.len()).min(600);
                    rest.get(..end)
                })
                .collect()
        });
        annotated.iter().any(|r| r.contains(&decl))
    }
}

/// `&Seat{}` / `&models.Seat{ID: id}` → `Seat`.
fn entity_of_go_literal(t: &str) -> String {
    let t = t.trim_start_matches('&');
    last_segment(t.split('{').next().unwrap_or(t)).to_string()
}

/// The condition string of a GORM `.Where("id = ? AND status = ?", …)` (the text after
/// `Where(`) names a column beyond the row's identity; struct and map conditions
/// (`Where(&Seat{ID: id, Status: "free"})`) count too.
fn gorm_where_conditional(w: &str) -> bool {
    let w = w.trim_start();
    if let Some(q) = w.strip_prefix(['"', '`']) {
        let cond = q.split(['"', '`']).next().unwrap_or("");
        return cond
            .split(" AND ")
            .flat_map(|p| p.split(" and "))
            .filter_map(|p| {
                p.trim()
                    .split([' ', '=', '<', '>', '!'])
                    .next()
                    .map(|c| c.rsplit('.').next().unwrap_or(c).trim_matches('"'))
            })
            .any(|c| !c.is_empty() && !is_identity_key(c));
    }
    match w.split_once('{') {
        Some((_, body)) => object_keys(&format!("{{{body}"))
            .iter()
            .any(|k| !is_identity_key(k.trim_matches('"'))),
        None => false,
    }
}

/// `self.holds` → `holds`; `this.cache` → `cache`.
fn strip_owner(t: &str) -> &str {
    t.strip_prefix("self.")
        .or_else(|| t.strip_prefix("this."))
        .or_else(|| t.strip_prefix("cls."))
        .unwrap_or(t)
}

/// The model a SQLAlchemy `select(…)` reads, from the text after `select(`: `Booking` of
/// `Booking)`, `Booking.id, …`, `func.count(Booking.id))` and `models.Booking)`.
fn selected_model(inner: &str) -> &str {
    let mut rest = inner.trim_start();
    while let Some((head, tail)) = rest.split_once('(') {
        let wrapper = head.split('.').any(|s| s == "func") || head == "distinct";
        if !wrapper || head.contains([')', ',']) {
            break;
        }
        rest = tail.trim_start();
    }
    let first = rest.split([')', ',']).next().unwrap_or("").trim();
    let model = first
        .split('.')
        .rfind(|s| s.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .unwrap_or_else(|| last_segment(first));
    // `select(func.count()).select_from(ShiftClaim)`: no column names the model; the FROM does.
    if model.is_empty() {
        if let Some((_, from)) = inner.split_once(".select_from(") {
            let from = from.split([')', ',']).next().unwrap_or("").trim();
            if from.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                return from;
            }
        }
    }
    model
}

/// The table a Knex query builder chain starts from: `knex('holds')…`, `trx("seats")…`,
/// `db('orders as o')…` (the table without its alias).
fn knex_builder_table(chain: &str) -> Option<&str> {
    let (builder, rest) = chain.trim().split_once('(')?;
    if !matches!(builder, "db" | "knex" | "trx" | "k" | "qb") {
        return None;
    }
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let inner = &rest[1..];
    let table = inner[..inner.find(quote)?].split_whitespace().next()?;
    table
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        .then_some(table)
}

fn last_segment(t: &str) -> &str {
    t.trim().rsplit('.').next().unwrap_or(t).trim()
}

fn names_lock(t: &str) -> bool {
    let last = last_segment(t);
    if matches!(last, "mu" | "mtx" | "rwmu") || last.ends_with("Mu") || last.ends_with("Mutex") {
        return true;
    }
    let l = t.to_ascii_lowercase();
    ["lock", "mutex", "semaphore", "runexclusive", "synchronized"]
        .iter()
        .any(|w| l.has(w))
        && !l.has("block")
}

fn handles_unique_violation(handler: &str) -> bool {
    [
        "IntegrityError",
        "UniqueViolation",
        "23505",
        "P2002",
        "ER_DUP_ENTRY",
        "E11000",
        "UniqueConstraint",
        "DuplicateKey",
        "unique",
        // Spring (`DataIntegrityViolationException`), JPA/Hibernate, MySQL's 1062.
        "DataIntegrityViolation",
        "ConstraintViolation",
        "1062",
    ]
    .iter()
    .any(|w| handler.has(w))
}

/// The `where: { … }` object of a Prisma/Sequelize/TypeORM call, or "".
fn where_object(args: &str) -> &str {
    args.split_once("where:")
        .map_or("", |(_, r)| r.trim_start())
}

/// Keys of the first `{ … }` object in `t`.
fn object_keys(t: &str) -> Vec<String> {
    let Some(body) = t.trim_start().strip_prefix('{') else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut at_key = true;
    for c in body.chars() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' if depth == 0 => break,
            '}' | ']' | ')' => depth -= 1,
            ',' if depth == 0 => {
                if at_key && !current.trim().is_empty() {
                    keys.push(current.trim().to_string()); // shorthand `{ id }`
                }
                current.clear();
                at_key = true;
            }
            ':' if depth == 0 && at_key => {
                keys.push(current.trim().trim_matches(['"', '\'']).to_string());
                at_key = false;
            }
            _ if at_key && depth == 0 => current.push(c),
            _ => {}
        }
    }
    if at_key && !current.trim().is_empty() {
        keys.push(current.trim().to_string());
    }
    keys
}

fn is_identity_key(k: &str) -> bool {
    let k = k.trim_start_matches('_');
    let l = k.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "id" | "pk" | "uuid" | "key" | "slug" | "email" | "username" | "name" | "code"
    ) || l.ends_with("_id")
        || k.ends_with("Id")
        || l.ends_with("__in")
}

/// A filter object with a key beyond the row's identity (`{ id, status: "free" }`).
fn object_conditional(filter: &str) -> bool {
    object_keys(filter).iter().any(|k| !is_identity_key(k))
}

/// Django kwargs `id=1, status="free"` with a key beyond identity.
fn kwargs_conditional(filter: &str) -> bool {
    let inner = filter.split(')').next().unwrap_or("");
    inner
        .split(',')
        .filter_map(|kv| kv.split_once('=').map(|(k, _)| k.trim()))
        .any(|k| !k.is_empty() && !is_identity_key(k))
}

/// Links each function to the innermost function containing it and gives every call its loop
/// depth: loops around it in its function, plus one per loop callback, plus the loops around
/// the enclosing functions.
fn nest_functions(functions: &mut [Function]) {
    for i in 1..functions.len() {
        let loc = functions[i].loc;
        functions[i].parent = (0..i)
            .rev()
            .find(|&j| j == 0 || functions[j].loc.contains(&loc));
    }
    // Functions come in source order, so a parent's depth is known before its children's.
    let mut base = vec![0u32; functions.len()];
    for i in 1..functions.len() {
        let parent = functions[i].parent.unwrap_or(0);
        let loc = functions[i].loc;
        let around = functions[parent]
            .loops
            .iter()
            .filter(|l| l.contains(&loc))
            .count() as u32;
        base[i] = base[parent] + around + functions[i].loop_callback as u32;
    }
    for (f, b) in functions.iter_mut().zip(base) {
        let loops = f.loops.clone();
        for c in &mut f.calls {
            c.loop_depth = b + loops.iter().filter(|l| l.contains(&c.loc)).count() as u32;
        }
    }
}

/// Expands each commit/flush marker (a write to the empty row name) into one write per row
/// changed in memory before it.
fn commit_writes(func: &mut Function, mutations: &[(usize, String)]) {
    let mut expanded = Vec::new();
    func.ops.retain(|op| match &op.kind {
        OpKind::Write {
            target: Target::Row(v),
            ..
        } if v.is_empty() => {
            let mut seen = HashSet::new();
            for (at, var) in mutations.iter().filter(|(at, _)| *at < op.loc.start) {
                if seen.insert(var) {
                    let _ = at;
                    expanded.push(Op {
                        kind: OpKind::Write {
                            target: Target::Row(var.clone()),
                            guard: WriteGuard::None,
                            sql: None,
                        },
                        loc: op.loc,
                    });
                }
            }
            false
        }
        _ => true,
    });
    func.ops.extend(expanded);
    func.ops.sort_by_key(|o| (o.loc.start, o.loc.end));
}

/// Fills each read's `binds` with the names its result is assigned to.
fn resolve_bindings(func: &mut Function, assignments: &[Assignment]) {
    for op in &mut func.ops {
        if let OpKind::Read { binds, .. } = &mut op.kind {
            let best = assignments
                .iter()
                .filter(|a| a.value.contains(&op.loc))
                .min_by_key(|a| a.value.end - a.value.start);
            if let Some(a) = best {
                binds.clone_from(&a.names);
            }
        }
    }
}

/// Turns `lock.acquire()` … `lock.release()` pairs into held regions.
fn lock_regions(func: &mut Function, marks: &[(usize, bool, String)]) {
    for (i, (start, acquire, name)) in marks.iter().enumerate() {
        if !acquire {
            continue;
        }
        // The last release before the lock is taken again: an early return unlocks in its
        // own branch (`mu.Unlock(); return`) and the normal path unlocks later.
        let end = marks[i + 1..]
            .iter()
            .filter(|(_, _, n)| n == name)
            .take_while(|(_, acq, _)| !acq)
            .last()
            .map_or(func.loc.end, |(e, _, _)| *e);
        let span = func.loc.span;
        func.ops.push(Op {
            kind: OpKind::LockHeld,
            loc: Loc {
                start: *start,
                end,
                span,
            },
        });
    }
}

/// Parses and lowers `source`. Never panics; a broken fragment yields what could be read.
pub fn lower(source: &str, language: Language) -> Program {
    lower_within(source, language, &mut || false).unwrap_or_default()
}

/// A tree-sitter parser for `language` (none for SQL and HTML, which are not parsed by it).
fn parser_for(language: Language) -> Option<Parser> {
    let mut parser = Parser::new();
    parser.set_language(&ts_language(language)?).ok()?;
    Some(parser)
}

/// Runs `work` with this thread's parser for `language` (none for SQL and HTML), made once:
/// creating one and loading its grammar on every analysis cost about 1 % of a 1,000-line file.
fn with_parser<R>(language: Language, work: impl FnOnce(&mut Parser) -> R) -> Option<R> {
    thread_local! {
        static PARSERS: std::cell::RefCell<HashMap<Language, Parser>> =
            std::cell::RefCell::new(HashMap::new());
    }
    PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let parser = match parsers.entry(language) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(parser_for(language)?),
        };
        // A parse abandoned by its progress callback leaves state behind for a resume.
        parser.reset();
        Some(work(parser))
    })
}

/// Parses only, as `lower` does, and tells whether a tree came back (for timing the stages).
pub fn parse_only(source: &str, language: Language) -> bool {
    with_parser(language, |parser| parser.parse(source, None).is_some()).unwrap_or(false)
}

/// [`lower`], with `stop` asked every hundred or so parser operations: when it answers true
/// the parse is abandoned and this returns `None`.
pub fn lower_within(
    source: &str,
    language: Language,
    stop: &mut dyn FnMut() -> bool,
) -> Option<Program> {
    let lines = LineIndex::new(source);
    let whole = Loc {
        start: 0,
        end: source.len(),
        span: lines.span(0, source.len()),
    };
    match language {
        Language::Sql => return Some(super::sql_lower::lower(source, &lines, whole)),
        // Markup has no functions or calls; its rules read the text.
        Language::Html => {
            return Some(Program {
                functions: vec![Function::new("<document>".into(), whole)],
                syntax_errors: false,
            });
        }
        _ => {}
    }
    // Chat pastes wrap code in Markdown fences; blank those lines (same length, so every offset
    // still matches the text the user sees) instead of letting ``` read as template literals.
    let mut unfenced = blank_fences(source);
    if language == Language::Python {
        defuse_python_scanner(&mut unfenced);
    }
    let source = unfenced.as_str();
    let mut stopped = false;
    let mut progress = |_: &ParseState| {
        if stop() {
            stopped = true;
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let bytes = source.as_bytes();
    let Some(tree) = with_parser(language, |parser| {
        parser.parse_with_options(
            &mut |at, _| bytes.get(at..).unwrap_or_default(),
            None,
            Some(ParseOptions::new().progress_callback(&mut progress)),
        )
    }) else {
        return Some(Program::default());
    };
    let Some(tree) = tree else {
        return (!stopped).then(Program::default);
    };
    let mut l = Lowerer {
        src: source,
        kinds: Kinds::of_language(language),
        language,
        g: grammar(language),
        // Line starts are the same in the unfenced text; columns count the text as pasted.
        lines,
        strings: HashMap::new(),
        shared_maps: HashSet::new(),
        redis_clients: HashSet::new(),
        lock_annotations: std::cell::OnceCell::new(),
        function_names: Default::default(),
    };
    Some(l.lower(tree.root_node()))
}

/// Leading whitespace (in columns, a tab counting 8) past which a Python line is not parsed.
const MAX_PYTHON_INDENT: usize = 256;

/// Consecutive whole-line comments above which the run is blanked before parsing.
const MAX_PYTHON_COMMENT_RUN: usize = 20;

/// Rewrites two shapes of Python text that tree-sitter-python's scanner handles badly, keeping
/// every byte offset (the lowering reads positions; rules read the original text):
/// - a line indented more than [`MAX_PYTHON_INDENT`] columns becomes `...` at column 0. The
///   scanner saves its indentation stack (2 bytes a level) into a 1,024-byte buffer and writes
///   one byte past it at about 400 levels inside a string: debug builds abort on tree-sitter's
///   assertion, release builds (the page) overrun the buffer. Each level needs one more column,
///   so 256 columns keep the stack far below that, and no real code is indented this deep.
/// - a run of more than [`MAX_PYTHON_COMMENT_RUN`] whole-line comments becomes blank lines:
///   the scanner rescans the rest of a comment run for every line of it, so a 10,000-line
///   comment block took 46 s to parse; blank lines it skips in linear time.
///
/// Both found by tests/bounded.rs.
fn defuse_python_scanner(source: &mut String) {
    let mut bytes = std::mem::take(source).into_bytes();
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| at + p);
        lines.push((at, end));
        at = end + 1;
    }
    let blank = |bytes: &mut [u8], (s, e): (usize, usize)| {
        for b in &mut bytes[s..e] {
            if *b != b'\r' {
                *b = b' ';
            }
        }
    };
    let mut run: Vec<(usize, usize)> = Vec::new();
    for line in lines.into_iter().chain([(usize::MAX, usize::MAX)]) {
        let (s, e) = line;
        let text = bytes.get(s..e).unwrap_or(&[]);
        let mut width = 0;
        let mut first = None;
        for &b in text {
            match b {
                b' ' => width += 1,
                b'\t' => width += 8,
                other => {
                    first = Some(other);
                    break;
                }
            }
        }
        if first == Some(b'#') && s != usize::MAX {
            run.push(line);
            continue;
        }
        if run.len() > MAX_PYTHON_COMMENT_RUN {
            for &l in &run {
                blank(&mut bytes, l);
            }
        }
        run.clear();
        if width > MAX_PYTHON_INDENT && s != usize::MAX {
            blank(&mut bytes, line);
            bytes[s..s + 3].copy_from_slice(b"...");
        }
    }
    // Only ASCII bytes were written over whole lines (multi-byte characters included), and a
    // line break was never touched, so the text is still UTF-8.
    *source = String::from_utf8(bytes).unwrap_or_default();
}

/// `source` with every line that opens or closes a Markdown code fence replaced by spaces.
/// The brackets a pasted fragment leaves open at its end (`router.post('/x', async (req, res)
/// => {` … cut off), as the text that closes them: `})`. Empty when the text is balanced, when
/// a closer does not match its opener (the scan is lost), or for Python, SQL and HTML. Strings
/// and comments are skipped; a regex literal holding a bracket can fool it, which at worst
/// leaves the parse as broken as it was.
pub fn truncation_closers(source: &str, language: Language) -> String {
    if !matches!(
        language,
        Language::JavaScript | Language::TypeScript | Language::Go | Language::Java
    ) {
        return String::new();
    }
    let text = blank_fences(source);
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |e| i + e);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(bytes.len(), |e| i + e + 4);
                continue;
            }
            // A Java text block.
            b'"' if text[i..].starts_with("\"\"\"") => {
                i = text[i + 3..]
                    .find("\"\"\"")
                    .map_or(bytes.len(), |e| i + e + 6);
                continue;
            }
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    // A line break ends an unterminated '…' or "…" (a stray apostrophe in a
                    // comment-like line); backquoted strings span lines.
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' && q != b'`' {
                        break;
                    }
                    i += 1;
                }
            }
            b'(' => stack.push(b')'),
            b'[' => stack.push(b']'),
            b'{' => stack.push(b'}'),
            c @ (b')' | b']' | b'}') => {
                let opener = stack.pop();
                if opener != Some(c) {
                    return String::new();
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack.iter().rev().map(|&c| c as char).collect()
}

fn blank_fences(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            // Same byte length: a multi-byte character becomes as many spaces as it had bytes.
            for c in line.chars() {
                match c {
                    '\n' | '\r' => out.push(c),
                    _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters() {
        let li = LineIndex::new("ab\ncé d\n");
        assert_eq!(li.position(0), (1, 1));
        assert_eq!(li.position(3), (2, 1));
        assert_eq!(li.position(7), (2, 4));
        assert_eq!(li.line_text(2), "cé d");
        assert_eq!(li.line_text(9), "");
    }

    /// The kind table names every node as `Node::kind` does, error nodes and broken code
    /// included, in every parsed language.
    #[test]
    fn kind_table_matches_node_kind() {
        let samples = [
            (Language::Python, "def f(x):\n    return g(x[1], *a, **k) if x else (lambda: 0)\n)(\n"),
            (Language::JavaScript, "const f = async (a) => { await g(`t${a}`); }; <div>{x}</div> }}"),
            (Language::TypeScript, "class A<T> { private m: Map<string, T> = new Map(); f(): void {} } <T>("),
            (Language::Go, "package p\nfunc (s *S) F(ctx context.Context) error { go func() {}(); return nil\n"),
            (Language::Java, "@Service class A { @GetMapping(\"/x\") List<X> f() { return r.findAll(); } {"),
        ];
        for (language, src) in samples {
            let tree = parser_for(language).unwrap().parse(src, None).unwrap();
            assert!(
                tree.root_node().has_error(),
                "{language:?}: sample should contain an error"
            );
            let kinds = Kinds::of_language(language);
            let mut cursor = tree.walk();
            let mut seen = 0;
            'walk: loop {
                let n = cursor.node();
                assert_eq!(kinds.of(n), n.kind(), "{language:?} node {n:?}");
                for name in [
                    "name",
                    "value",
                    "left",
                    "right",
                    "function",
                    "arguments",
                    "body",
                    "object",
                ] {
                    assert_eq!(
                        kinds.child(n, name),
                        n.child_by_field_name(name),
                        "{language:?} node {n:?} field {name}"
                    );
                }
                seen += 1;
                if cursor.goto_first_child() {
                    continue;
                }
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                }
            }
            assert!(seen > 20, "{language:?}: only {seen} nodes");
        }
    }

    #[test]
    fn a_span_to_the_end_stays_on_the_last_line() {
        // `LIMIT 1';` leaves a quote open: the statement runs to the end of the text.
        let src = "SELECT 1\nLIMIT 1';\n";
        let li = LineIndex::new(src);
        let s = li.span(0, src.len());
        assert_eq!((s.end_line, s.end_col), (2, 10));
        assert_eq!(src.lines().count(), 2);
        let s = li.span(src.len(), src.len());
        assert_eq!((s.start_line, s.end_line), (2, 2));
        let no_newline = LineIndex::new("SELECT 1");
        assert_eq!(no_newline.span(0, 8).end_col, 9);
    }

    #[test]
    fn a_span_to_the_end_of_the_text_ends_on_its_last_line() {
        let src = "SELECT id\nFROM t WHERE x = \"open\n";
        let s = LineIndex::new(src).span(0, src.len());
        assert_eq!((s.end_line, s.end_col), (2, 23));
        // Without a final newline, the end of the text is the end of the last line.
        let s = LineIndex::new("ab\ncd").span(0, 5);
        assert_eq!((s.end_line, s.end_col), (2, 3));
        // An unterminated string runs a statement to the end: its finding stays in the text.
        let sql = "SELECT id, total FROM orders WHERE shop_id = $1\nORDER B\"Y id DESC;\n";
        let a = crate::analyzer::analyze(sql, Some(Language::Sql)).expect("analyses");
        assert!(!a.findings.is_empty());
        assert!(a.findings.iter().all(|f| f.span.end_line <= a.lines));
    }

    #[test]
    fn object_keys_and_conditions() {
        assert_eq!(
            object_keys("{ id: seatId, status: 'free' }"),
            vec!["id", "status"]
        );
        assert_eq!(object_keys("{ id }"), vec!["id"]);
        assert!(object_conditional("{ id: 1, status: \"free\" }"));
        assert!(!object_conditional("{ id: seatId, eventId }"));
        assert!(kwargs_conditional("pk=seat_id, status=\"free\")"));
        assert!(!kwargs_conditional("pk=seat_id)"));
    }

    #[test]
    fn lowers_python_sql_read_and_write() {
        let p = lower(
            include_str!("../scenarios/seat_booking/naive.py"),
            Language::Python,
        );
        let f = p.functions.iter().find(|f| f.name == "hold_seat").unwrap();
        let reads: Vec<_> = f
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Read { .. }))
            .collect();
        let writes: Vec<_> = f
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Write { .. }))
            .collect();
        assert_eq!(reads.len(), 1);
        assert_eq!(reads[0].loc.span.start_line, 12);
        assert!(
            matches!(&reads[0].kind, OpKind::Read { binds, .. } if binds == &vec!["seat".to_string()])
        );
        assert_eq!(writes.len(), 1);
        assert_eq!(writes[0].loc.span.start_line, 19);
    }

    #[test]
    fn markdown_fences_are_blanked_keeping_offsets() {
        let src = "Here you go:\n```js\nconst a = 1; // é\n```\n";
        let out = blank_fences(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(out, "Here you go:\n     \nconst a = 1; // é\n   \n");
        let p = lower(
            "```python\nimport requests\nrequests.get(u)\n```\n",
            Language::Python,
        );
        assert_eq!(p.functions[0].calls[0].loc.span.start_line, 3);
        assert!(!p.syntax_errors);
    }

    #[test]
    fn loop_headers() {
        let p = lower(
            "for row in rows:\n    f(row)\nxs = [g(x) for x in items]\n",
            Language::Python,
        );
        let loops = &p.functions[0].loop_facts;
        assert_eq!(
            (loops[0].var.as_str(), loops[0].iterable.as_str()),
            ("row", "rows")
        );
        assert_eq!(
            (loops[1].var.as_str(), loops[1].iterable.as_str()),
            ("x", "items")
        );
        let p = lower(
            "for (const o of orders.rows) { f(o); }\n",
            Language::JavaScript,
        );
        assert_eq!(p.functions[0].loop_facts[0].iterable, "orders.rows");
        let p = lower(
            "package m\nfunc f() {\n\tfor _, v := range xs {\n\t\tg(v)\n\t}\n}\n",
            Language::Go,
        );
        let l = &p.functions[1].loop_facts[0];
        assert_eq!((l.var.as_str(), l.iterable.as_str()), ("_, v", "xs"));
        let p = lower(
            "try:\n    a()\nexcept Exception:\n    pass\n",
            Language::Python,
        );
        let c = &p.functions[0].catches[0];
        assert_eq!(c.try_block.map(|l| l.span.start_line), Some(2));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = format!("x = {}1{}", "[".repeat(20_000), "]".repeat(20_000));
        let _ = lower(&src, Language::Python);
        let src = format!("f({}1{})", "(".repeat(20_000), ")".repeat(20_000));
        let _ = lower(&src, Language::JavaScript);
    }
}

#[cfg(test)]
mod fact_tests {
    use super::*;

    #[test]
    fn python_calls_loops_handlers_catches() {
        let src = r#"
@app.get("/orders")
async def list_orders(request):
    orders = db.query("SELECT * FROM orders")
    for o in orders:
        items = db.query(f"SELECT * FROM items WHERE order_id = {o.id}")
    resp = requests.get(URL, timeout=5)
    try:
        pass
    except Exception as e:
        pass
"#;
        let p = lower(src, Language::Python);
        let f = p
            .functions
            .iter()
            .find(|f| f.name == "list_orders")
            .unwrap();
        assert!(f.is_async && f.is_handler());
        assert_eq!(f.params, ["request"]);
        assert_eq!(f.decorators, ["app.get(\"/orders\")"]);
        let q: Vec<u32> = f
            .calls
            .iter()
            .filter(|c| c.method == "query")
            .map(|c| c.loop_depth)
            .collect();
        assert_eq!(q, [0, 1]);
        let get = f.calls.iter().find(|c| c.callee == "requests.get").unwrap();
        assert_eq!(get.kwarg("timeout").map(|a| a.text.as_str()), Some("5"));
        assert_eq!(
            f.calls[1].args[0].string.as_deref(),
            Some("SELECT * FROM items WHERE order_id = ?")
        );
        assert_eq!(f.catches.len(), 1);
        assert_eq!(f.catches[0].caught, "Exception as e");
        assert_eq!(f.catches[0].body.trim(), "pass");
    }

    #[test]
    fn javascript_callbacks_count_as_loops() {
        let src = r#"
app.get("/orders", async (req, res) => {
  const orders = await db.query("SELECT * FROM orders");
  await Promise.all(orders.rows.map(async (o) => {
    await db.query("SELECT * FROM items WHERE order_id = $1", [o.id]);
  }));
  try { await fetch(url); } catch (e) {}
});
"#;
        let p = lower(src, Language::JavaScript);
        let handler = p
            .functions
            .iter()
            .find(|f| f.name == "GET /orders handler")
            .unwrap();
        assert!(handler.is_handler() && handler.is_async);
        assert_eq!(handler.params, ["req", "res"]);
        let cb = p.functions.iter().find(|f| f.loop_callback).unwrap();
        assert_eq!(
            cb.parent.map(|i| p.functions[i].name.as_str()),
            Some("GET /orders handler")
        );
        let inner = cb.calls.iter().find(|c| c.method == "query").unwrap();
        assert_eq!(inner.loop_depth, 1);
        assert!(inner.awaited);
        assert_eq!(handler.catches[0].caught, "e");
        assert_eq!(handler.catches[0].body, "{}");
    }
}

#[cfg(test)]
mod subscript_tests {
    use super::*;

    #[test]
    fn subscripts_with_string_keys() {
        let p = lower(
            "def f(request):\n    ip = request.headers[\"X-Forwarded-For\"]\n    cache[ip] = 1\n",
            Language::Python,
        );
        let s = &p.functions[1].subscripts;
        assert_eq!(s[0].object, "request.headers");
        assert_eq!(s[0].key_string.as_deref(), Some("X-Forwarded-For"));
        assert!(!s[0].is_write && s[1].is_write);
        let p = lower(
            "app.get('/', (req, res) => { const ip = req.headers['x-forwarded-for']; });",
            Language::JavaScript,
        );
        let s = &p.functions[1].subscripts[0];
        assert_eq!(
            (s.object.as_str(), s.key_string.as_deref()),
            ("req.headers", Some("x-forwarded-for"))
        );
    }
}

#[cfg(test)]
mod truncation_tests {
    use super::*;

    #[test]
    fn closes_what_a_cut_off_fragment_left_open() {
        let js = "router.post('/hook', async (req, res) => {\n  const s = \"}\"; // ) ignored\n  if (x) { y(); }\n  await db.query(`UPDATE t SET a = ${b}`);\n";
        assert_eq!(truncation_closers(js, Language::JavaScript), "})");
        let go = "func (h *H) Hook(w http.ResponseWriter, r *http.Request) {\n\tq := `SELECT {`\n\tif err != nil {\n";
        assert_eq!(truncation_closers(go, Language::Go), "}}");
        let java = "class A {\n  String q = \"\"\"\n    SELECT ( FROM t\n    \"\"\";\n  void f() {\n    char c = '{';\n";
        assert_eq!(truncation_closers(java, Language::Java), "}}");
        // Balanced, mismatched or indentation-based text is left alone.
        assert_eq!(truncation_closers("f(a, [b]);\n", Language::JavaScript), "");
        assert_eq!(truncation_closers("f(a, [b);\n", Language::JavaScript), "");
        assert_eq!(truncation_closers("def f(:\n", Language::Python), "");
    }
}
