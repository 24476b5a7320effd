//! Helpers shared by the rules about state kept in process memory (`in-memory-rate-limit`,
//! `in-memory-shared-state`, `unbounded-cache`): module-level (or singleton-instance)
//! containers that start empty and are filled while requests run, and where they are used.

use super::Ctx;
use crate::analyzer::facts::{Function, Loc};
use crate::analyzer::find;
use crate::analyzer::find::Has;

/// A mutable container that lives as long as the process: `jobs = {}`,
/// `hits = defaultdict(deque)`, `const sessions = new Map()`, `self.cache = {}` in `__init__`.
#[derive(Clone, Debug)]
pub struct StateVar {
    /// How code refers to it: `jobs`, `self.cache`, `this.sessions`.
    pub name: String,
    /// The name without its owner: `cache`.
    pub bare: String,
    /// The declaration.
    pub loc: Loc,
    /// The initial value's text.
    pub value: String,
    /// The enclosing class's name, for `self.x = {}` / `this.x = new Map()`.
    pub class: Option<String>,
}

/// True when `value` creates an empty (or default-valued) container.
pub fn empty_container(value: &str) -> bool {
    let v: String = value.split_whitespace().collect();
    let v = v.as_str();
    let v = v.strip_prefix("collections.").unwrap_or(v);
    matches!(
        v,
        "{}" | "[]"
            | "dict()"
            | "set()"
            | "list()"
            | "OrderedDict()"
            | "Counter()"
            | "newMap()"
            | "newSet()"
            | "Object.create(null)"
            | "Map()"
            | "newMap<string,any>()"
    ) || v.starts_with("defaultdict(")
        || v.starts_with("deque(")
        || (v.starts_with("newMap<") && v.ends_with(">()"))
        || (v.starts_with("newSet<") && v.ends_with(">()"))
        || v.starts_with("{}as")
        || go_container(v)
        || java_container(v)
}

/// Go: `map[string]*Session{}`, `make(map[string]int)`, `make([]Job, 0)`, `[]string{}`, and a
/// struct wrapping a map with its mutex (`struct{ sync.Mutex; m map[…]… }{m: make(…)}`).
fn go_container(v: &str) -> bool {
    (v.starts_with("map[") && v.ends_with("{}"))
        || v.starts_with("make(map[")
        || (v.starts_with("make([]") && (v.ends_with(",0)") || !v.contains(',')))
        || (v.starts_with("[]") && v.ends_with("{}"))
        || (v.starts_with("struct{") && v.has("map["))
        || (v.starts_with("&sync.Map{}") || v == "sync.Map{}")
}

/// Java: `new ConcurrentHashMap<>()`, `new HashMap<String, Session>(64)`,
/// `Collections.synchronizedMap(new HashMap<>())`, `ConcurrentHashMap.newKeySet()`, atomics.
fn java_container(v: &str) -> bool {
    const TYPES: [&str; 20] = [
        "ConcurrentHashMap",
        "HashMap",
        "LinkedHashMap",
        "TreeMap",
        "Hashtable",
        "ConcurrentSkipListMap",
        "ArrayList",
        "LinkedList",
        "CopyOnWriteArrayList",
        "HashSet",
        "LinkedHashSet",
        "CopyOnWriteArraySet",
        "ConcurrentLinkedQueue",
        "ConcurrentLinkedDeque",
        "ArrayDeque",
        "LinkedBlockingQueue",
        "AtomicInteger",
        "AtomicLong",
        "LongAdder",
        "ConcurrentSkipListSet",
    ];
    let v = v
        .strip_prefix("Collections.synchronizedMap(")
        .or_else(|| v.strip_prefix("Collections.synchronizedList("))
        .or_else(|| v.strip_prefix("Collections.synchronizedSet("))
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(v);
    if v == "ConcurrentHashMap.newKeySet()" {
        return true;
    }
    let Some(rest) = v.strip_prefix("new") else {
        return false;
    };
    let ty: String = rest.chars().take_while(|c| is_ident(*c)).collect();
    if !TYPES.contains(&ty.as_str()) {
        return false;
    }
    let rest = &rest[ty.len()..];
    let rest = match rest.strip_prefix('<') {
        Some(r) => match r.find(">(") {
            Some(i) => &r[i + 1..],
            None => return false,
        },
        None => rest,
    };
    // `()`, `(64)`, `(0)`: nothing but an optional capacity or initial count.
    rest.strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .is_some_and(|inner| inner.chars().all(|c| c.is_ascii_digit() || c == 'L'))
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The class a method belongs to, read from the nearest `class X` line above it.
fn class_name_before(source: &str, at: usize) -> Option<String> {
    let head = source.get(..at)?;
    let i = head.rfind("class ")?;
    let name: String = head[i + 6..]
        .trim_start()
        .chars()
        .take_while(|c| is_ident(*c))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A program that runs once and exits (a CLI, a backfill script), with no request handler in
/// the snippet and no server started: its process memory is nobody else's, and it is gone
/// when the run ends.
pub fn one_shot_script(cx: &Ctx) -> bool {
    let src = cx.source;
    let says_so = src.starts_with("#!")
        || cx.source_has("__name__ == \"__main__\"")
        || cx.source_has("__name__ == '__main__'")
        || cx.source_has("func main()")
        || cx.source_has("static void main(")
        || cx.source_has("process.argv")
        || cx.source_has("One-off")
        || cx.source_has("one-off");
    let serves = [
        "ListenAndServe",
        "SpringApplication",
        ".listen(",
        "createServer",
        "uvicorn.run",
        "app.run(",
        "serve(",
    ]
    .iter()
    .any(|k| cx.source_has(k));
    // A daemon polls forever (`while True: … time.sleep(15)`): its state lives as long as a
    // server's.
    let polls_forever =
        (cx.source_has("while True:") || cx.source_has("while (true)") || cx.source_has("for {"))
            && cx.source_has("sleep");
    says_so && !serves && !polls_forever && !cx.program.functions.iter().any(|f| f.is_handler())
}

/// Module-level empty containers, and `self.x = {}` / `this.x = new Map()` in a constructor.
pub fn state_vars(cx: &Ctx) -> Vec<StateVar> {
    let mut out = Vec::new();
    for (i, f) in cx.program.functions.iter().enumerate() {
        let ctor = matches!(f.name.as_str(), "__init__" | "constructor");
        if i != 0 && !ctor {
            continue;
        }
        for a in &f.assigns {
            if !empty_container(&a.value) {
                continue;
            }
            let target = a.target.split(':').next().unwrap_or("").trim();
            let (name, class) = if i == 0 && target.starts_with("this.") {
                // A TypeScript class field: `private readonly jobs = new Map()`.
                if !target[5..].chars().all(is_ident) {
                    continue;
                }
                (
                    target.to_string(),
                    class_name_before(cx.source, a.loc.start),
                )
            } else if i == 0 {
                if a.names.len() != 1 || a.names[0] != target {
                    continue;
                }
                // Java fields are module-level assignments too; keep their class.
                let class = (cx.language == crate::analyzer::Language::Java)
                    .then(|| class_name_before(cx.source, a.loc.start))
                    .flatten();
                (target.to_string(), class)
            } else if target.starts_with("self.") || target.starts_with("this.") {
                if !target[5..].chars().all(is_ident) {
                    continue;
                }
                (
                    target.to_string(),
                    class_name_before(cx.source, f.loc.start),
                )
            } else {
                continue;
            };
            let bare = name.rsplit('.').next().unwrap_or(&name).to_string();
            out.push(StateVar {
                name,
                bare,
                loc: a.loc,
                value: a.value.clone(),
                class,
            });
        }
    }
    if cx.language == crate::analyzer::Language::Go {
        go_zero_value_vars(cx, &mut out);
        go_guarded_struct_maps(cx, &mut out);
    }
    out
}

/// Go struct fields holding a map or `sync.Map` in a struct that also holds a mutex
/// (`type IPLimiter struct { mu sync.Mutex; limiters map[string]*rate.Limiter }`): the mutex
/// says the value is shared by goroutines, so it lives as long as the server. Its name is
/// `.field`, matched after any receiver (`l.limiters[ip]`).
fn go_guarded_struct_maps(cx: &Ctx, out: &mut Vec<StateVar>) {
    let src = cx.source;
    for i in find::find_all(src, " struct {") {
        let line_start = src[..i].rfind('\n').map_or(0, |n| n + 1);
        let head = src[line_start..i].trim();
        let Some(class) = head.strip_prefix("type ").map(str::trim) else {
            continue;
        };
        let body_start = i + " struct {".len();
        let Some(len) = src[body_start..].find("\n}") else {
            continue;
        };
        let body = &src[body_start..body_start + len];
        if !body.has("sync.Mutex") && !body.has("sync.RWMutex") {
            continue;
        }
        let mut offset = body_start;
        for line in body.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let mut words = line.split_whitespace();
            let (Some(name), Some(ty)) = (words.next(), words.next()) else {
                continue;
            };
            if !(ty.starts_with("map[") || ty == "sync.Map") || !name.chars().all(is_ident) {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let (mut s, mut e) = (start + lead, start + line.trim_end().len());
            // The one package-level instance (`var limiter = &hireLimiter{hits: …}`) is where
            // the state comes to exist: point there.
            let line_start = |j: usize| src[..j].rfind('\n').map_or(0, |n| n + 1);
            for pat in [format!("= &{class}{{"), format!("= {class}{{")] {
                let instance = src
                    .match_indices(&pat)
                    .map(|(j, _)| (line_start(j), j))
                    .find(|&(ls, j)| src[ls..j].starts_with("var "));
                if let Some((ls, at)) = instance {
                    (s, e) = (ls, src[at..].find('\n').map_or(src.len(), |n| at + n));
                    break;
                }
            }
            out.push(StateVar {
                name: format!(".{name}"),
                bare: name.to_string(),
                loc: loc_of(cx, s, e),
                value: ty.to_string(),
                class: Some(class.to_string()),
            });
        }
    }
}

/// Go package-level declarations without a value: `var sessions sync.Map` (also inside a
/// `var ( … )` block), which lowering records no assignment for.
fn go_zero_value_vars(cx: &Ctx, out: &mut Vec<StateVar>) {
    let mut offset = 0;
    for line in cx.source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        // Without a trailing comment (`var activeRuns sync.Map // run id -> *Run`).
        let t = line.split("//").next().unwrap_or(line).trim();
        let decl = t.strip_prefix("var ").unwrap_or(t);
        let mut words = decl.split_whitespace();
        let (Some(name), Some(ty), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        if ty != "sync.Map" || !name.chars().all(is_ident) || function_at(cx, start).is_some() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let s = start + lead;
        let e = start + lead + t.len();
        out.push(StateVar {
            name: name.to_string(),
            bare: name.to_string(),
            loc: loc_of(cx, s, e),
            value: ty.to_string(),
            class: None,
        });
    }
}

/// A map of rate limiters by its declared type (`Map<String, Bucket>`,
/// `map[string]*rate.Limiter`): in-memory-rate-limit's, not a cache or plain shared state.
pub fn limiter_map(cx: &Ctx, var: &StateVar) -> bool {
    let decl = cx.lines.line_text(var.loc.span.start_line);
    // Per-key queues of request times (`Map<Long, Deque<Instant>>`) are sliding windows.
    [
        "Bucket>",
        "rate.Limiter",
        "RateLimiter>",
        "Deque<Instant>>",
        "Deque<Long>>",
    ]
    .iter()
    .any(|t| decl.has(t))
}

/// A map of pending promises that coalesces concurrent identical work (single-flight):
/// `new Map<string, Promise<Row[]>>()`, or entries removed in the promise's `.finally`.
/// Each process deduplicating its own calls is the point, so other replicas not seeing it
/// loses nothing.
pub fn inflight_promises(cx: &Ctx, var: &StateVar) -> bool {
    let decl = cx.lines.line_text(var.loc.span.start_line);
    let typed = decl
        .split_once("Map<")
        .is_some_and(|(_, args)| args.has("Promise<"));
    typed
        || cx.source.match_indices(".finally(").any(|(i, _)| {
            let tail = cx.source.get(i..).unwrap_or("");
            let end = tail.char_indices().nth(80).map_or(tail.len(), |(j, _)| j);
            tail.get(..end)
                .is_some_and(|head| head.has(&format!("{}.delete(", var.name)))
        })
}

/// Byte offsets where `name` is used in the source, outside its own declaration.
pub fn use_offsets(cx: &Ctx, var: &StateVar) -> Vec<usize> {
    let src = cx.source;
    let mut out = Vec::new();
    let owned = var.name.contains('.');
    // A Go struct field (`.limiters`) follows any receiver.
    let field = var.name.starts_with('.');
    for &i in cx.positions_of(&var.name).iter() {
        if i >= var.loc.start && i < var.loc.end {
            continue;
        }
        let before = src[..i].chars().next_back();
        let after = src[i + var.name.len()..].chars().next();
        if after.is_some_and(is_ident) {
            continue;
        }
        // A Java field read as `this.sessions` is the field itself.
        let this_field = !owned && src[..i].ends_with("this.");
        if !owned && !this_field && before.is_some_and(|c| is_ident(c) || c == '.') {
            continue;
        }
        if owned && !field && before.is_some_and(is_ident) {
            continue;
        }
        out.push(i);
    }
    out
}

/// The innermost function (not the module) containing byte `at`.
pub fn function_at(cx: &Ctx, at: usize) -> Option<usize> {
    // Functions come in source order and nest: the innermost one holding `at` is the last one
    // starting at or before it, or one of its parents. (A scan of every function per use
    // made the rules that call this per use quadratic on long files.)
    let fns = &cx.program.functions;
    let last = fns.partition_point(|f| f.loc.start <= at).checked_sub(1)?;
    let mut i = last;
    while i != 0 {
        let f = &fns[i];
        if f.loc.start <= at && at < f.loc.end {
            return Some(i);
        }
        i = f.parent.filter(|&p| p < i)?;
    }
    None
}

/// The annotations or decorators written before the class that encloses `at`
/// (`@Service`, `@RestController`, Nest `@Injectable()`).
pub fn class_annotations(src: &str, at: usize) -> &str {
    let before = src.get(..at).unwrap_or("");
    let Some(ci) = before.rfind("class ") else {
        return "";
    };
    let start = before[..ci].rfind(['}', ';']).map_or(0, |i| i + 1);
    &before[start..ci]
}

/// A location for a byte range.
pub fn loc_of(cx: &Ctx, start: usize, end: usize) -> Loc {
    Loc {
        start,
        end,
        span: cx.lines.span(start, end),
    }
}

/// The source text of a function.
pub fn fn_text<'a>(cx: &Ctx<'a>, f: &Function) -> &'a str {
    cx.source.get(f.loc.start..f.loc.end).unwrap_or("")
}

/// The line of the statement that uses the state at `at` (a location spanning that line).
pub fn line_loc(cx: &Ctx, at: usize) -> Loc {
    let start = cx.source[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = cx.source[at..]
        .find('\n')
        .map_or(cx.source.len(), |i| at + i);
    let trimmed = start + (cx.source[start..end].len() - cx.source[start..end].trim_start().len());
    loc_of(cx, trimmed.min(at), end)
}

/// Reads an integer constant `NAME = 60` / `const NAME = 60` / `NAME = 15 * 60 * 1000` from the
/// module globals whose name satisfies `pick`.
pub fn numeric_global(cx: &Ctx, pick: impl Fn(&str) -> bool) -> Option<(String, u64)> {
    cx.program.globals().iter().find_map(|a| {
        let name = a.names.first()?;
        if a.names.len() != 1 || !pick(&name.to_ascii_lowercase()) {
            return None;
        }
        eval_product(&a.value).map(|n| (name.clone(), n))
    })
}

/// Evaluates `15 * 60 * 1000`, `60`, `60_000`, `1e3` (integers only, small products).
pub fn eval_product(expr: &str) -> Option<u64> {
    let mut total: u64 = 1;
    let mut any = false;
    for part in expr.split('*') {
        let p: String = part
            .trim()
            .trim_matches(['(', ')'])
            .chars()
            .filter(|c| *c != '_')
            .collect();
        if p.is_empty() {
            return None;
        }
        let n: u64 = if let Some((m, e)) = p.split_once(['e', 'E']) {
            let m: u64 = m.parse().ok()?;
            let e: u32 = e.parse().ok()?;
            m.checked_mul(10u64.checked_pow(e)?)?
        } else if let Some(f) = p.strip_suffix(".0") {
            f.parse().ok()?
        } else {
            p.parse().ok()?
        };
        total = total.checked_mul(n)?;
        any = true;
    }
    any.then_some(total)
}

/// Seconds in a rate-limit period word: `second`, `minute`, `hour`, `day`.
pub fn period_seconds(word: &str) -> Option<u64> {
    let w = word.trim().trim_end_matches('s').to_ascii_lowercase();
    Some(match w.as_str() {
        "second" | "sec" | "s" => 1,
        "minute" | "min" | "m" => 60,
        "hour" | "h" | "hr" => 3600,
        "day" | "d" => 86_400,
        _ => return None,
    })
}

/// Parses a limits-style string: `100/minute`, `5 per second`, `10 per 5 minutes`,
/// `1000 per day` → (limit, window seconds).
pub fn parse_limit_string(s: &str) -> Option<(u64, u64)> {
    let s = s.split([';', ',']).next()?.trim().to_ascii_lowercase();
    let (n, rest) = if let Some((n, r)) = s.split_once('/') {
        (n.trim(), r.trim())
    } else if let Some((n, r)) = s.split_once(" per ") {
        (n.trim(), r.trim())
    } else {
        return None;
    };
    let n: u64 = n.parse().ok()?;
    let mut words = rest.split_whitespace();
    let first = words.next()?;
    if let Ok(k) = first.parse::<u64>() {
        let unit = period_seconds(words.next()?)?;
        return Some((n, k * unit));
    }
    Some((n, period_seconds(first)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The innermost function holding each offset is the one a scan of every function finds,
    /// in every gallery snippet (nested callbacks, classes, closures, SQL procedures).
    #[test]
    fn function_at_matches_a_scan_of_every_function() {
        for scenario in crate::scenarios::all() {
            for snippet in scenario.snippets {
                for src in [snippet.naive, snippet.fixed] {
                    let program = crate::analyzer::lower_only(src, snippet.language);
                    let lines = crate::analyzer::lower::LineIndex::new(src);
                    let cx = Ctx::new(&program, &lines, src, snippet.language);
                    for at in 0..=src.len() {
                        let scan = program
                            .functions
                            .iter()
                            .enumerate()
                            .skip(1)
                            .filter(|(_, f)| f.loc.start <= at && at < f.loc.end)
                            .max_by_key(|(_, f)| f.loc.start)
                            .map(|(i, _)| i);
                        assert_eq!(function_at(&cx, at), scan, "{} at {at}", scenario.id);
                    }
                }
            }
        }
    }

    #[test]
    fn containers_and_numbers() {
        assert!(empty_container("{}"));
        assert!(empty_container("defaultdict(lambda: deque())"));
        assert!(empty_container("new Map()"));
        assert!(empty_container("new Map<string, Job>()"));
        assert!(!empty_container("{\"a\": 1}"));
        assert!(!empty_container("load_config()"));
        assert_eq!(eval_product("15 * 60 * 1000"), Some(900_000));
        assert_eq!(eval_product("60_000"), Some(60_000));
        assert_eq!(eval_product("x * 2"), None);
        assert_eq!(parse_limit_string("5/minute"), Some((5, 60)));
        assert_eq!(parse_limit_string("100 per hour"), Some((100, 3600)));
        assert_eq!(parse_limit_string("10 per 5 minutes"), Some((10, 300)));
        assert_eq!(parse_limit_string("abc"), None);
    }
}

/// How a piece of code touches a state variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// Removes entries or resets the container (`pop`, `del`, `delete`, `clear`).
    Evict,
}

/// Classifies the use of `var` at byte `at` from the text around it.
pub fn access_at(cx: &Ctx, var: &StateVar, at: usize) -> Access {
    let src = cx.source;
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = src[line_start..at].trim();
    let after = &src[at + var.name.len()..];
    let after_line = after.split('\n').next().unwrap_or("");
    // `carts\n    .computeIfAbsent(…)`: a call chained on the next line.
    let chained = if after_line.trim().is_empty() {
        after.trim_start()
    } else {
        ""
    };
    if before.ends_with("del") || before.starts_with("del ") || before.ends_with("delete(") {
        return Access::Evict;
    }
    for m in [
        ".pop(",
        ".popitem(",
        ".delete(",
        ".clear(",
        ".remove(",
        ".discard(",
        ".popleft(",
        ".shift(",
        ".splice(",
        // Go sync.Map, Java collections.
        ".Delete(",
        ".LoadAndDelete(",
        ".removeIf(",
        ".poll(",
        ".invalidate(",
        ".invalidateAll(",
    ] {
        if after.starts_with(m) || chained.starts_with(m) {
            return Access::Evict;
        }
    }
    for m in [
        ".set(",
        ".add(",
        ".append(",
        ".push(",
        ".update(",
        ".setdefault(",
        ".extend(",
        ".unshift(",
        ".insert(",
        // Go sync.Map and a wrapped map (`limiters.m[ip] = …` is caught below).
        ".Store(",
        ".LoadOrStore(",
        ".Swap(",
        ".CompareAndSwap(",
        // Java collections and atomics.
        ".put(",
        ".putIfAbsent(",
        ".putAll(",
        ".compute(",
        ".computeIfAbsent(",
        ".computeIfPresent(",
        ".merge(",
        ".offer(",
        ".incrementAndGet(",
        ".getAndIncrement(",
        ".decrementAndGet(",
        ".getAndDecrement(",
        ".addAndGet(",
        ".getAndAdd(",
        ".increment(",
        ".accumulateAndGet(",
        ".updateAndGet(",
    ] {
        if after.starts_with(m) || chained.starts_with(m) {
            return Access::Write;
        }
    }
    // `rooms[room].add(ws)`, `rooms[room].discard(ws)`: a change to the entry's container.
    if after.starts_with('[') {
        let mut depth = 0i32;
        let close = after.char_indices().find_map(|(i, c)| {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        if let Some(rest) = close.and_then(|i| after.get(i + 1..)) {
            if [
                ".add(", ".append(", ".push(", ".update(", ".extend(", ".set(", ".put(",
            ]
            .iter()
            .any(|m| rest.starts_with(m))
            {
                return Access::Write;
            }
        }
    }
    // `x[k] = v`, `x[k] += 1`, `x[k]["status"] = …`, `x.k = v` (JS object as map).
    if after.starts_with('[') || after.starts_with('.') {
        let mut depth = 0i32;
        let mut end = None;
        for (i, c) in after_line.char_indices() {
            match c {
                '[' | '(' => depth += 1,
                ']' | ')' => depth -= 1,
                '=' if depth == 0 => {
                    let next = after_line[i + 1..].chars().next();
                    let prev = after_line[..i].chars().next_back();
                    if next != Some('=') && !matches!(prev, Some('=' | '!' | '<' | '>')) {
                        end = Some(i);
                    }
                    break;
                }
                ' ' | ';' | ',' | ':' if depth == 0 && c != ' ' => break,
                _ => {}
            }
        }
        if end.is_some() {
            return Access::Write;
        }
    }
    // `x = {}` inside a function: a reset.
    let rest = after_line.trim_start();
    if rest.starts_with('=') && !rest.starts_with("==") && (before.is_empty() || before == "global")
    {
        return Access::Evict;
    }
    Access::Read
}

/// Every use of `var` in functions (not at module level): (function index, byte, access).
pub fn uses_in_functions(cx: &Ctx, var: &StateVar) -> Vec<(usize, usize, Access)> {
    use_offsets(cx, var)
        .into_iter()
        .filter_map(|at| function_at(cx, at).map(|f| (f, at, access_at(cx, var, at))))
        .collect()
}
