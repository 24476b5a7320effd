//! Deployment facts stated in a snippet: how many replicas and worker processes serve it, and
//! how long the gateway in front of it waits.
//!
//! Snippets often say this themselves, in code (`uvicorn.run(app, workers=4)`,
//! `cluster.fork()`), in pasted config (`replicas: 3`, `--scale web=3`, `proxy_read_timeout 60`,
//! PM2 `instances: 2`) or in a comment ("runs on 4 pods", "behind a 30 s gateway"). Rules use
//! these facts to decide (an in-memory limiter on one process is fine; on three replicas it is
//! not) and as simulator parameters. Nothing stated means `None`: the rule decides what an
//! unknown deployment means.
use crate::analyzer::find::Has;

/// What the snippet states about where it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deployment {
    /// Replicas / pods / instances / containers behind a load balancer.
    pub replicas: Option<u32>,
    /// Worker processes per replica (gunicorn/uvicorn workers, PM2 instances, cluster workers).
    pub workers: Option<u32>,
    /// Seconds the gateway / proxy / worker timeout allows a request.
    pub gateway_timeout_s: Option<u32>,
    /// Several processes are stated without a count (`cluster.fork()` per CPU, PM2
    /// `instances: "max"`, `workers = cpu_count() * 2 + 1`).
    pub clustered: bool,
}

impl Deployment {
    /// Total processes when anything is stated (replicas × workers), `None` when nothing is.
    pub fn processes(&self) -> Option<u32> {
        match (self.replicas, self.workers) {
            (None, None) => None,
            (r, w) => Some(r.unwrap_or(1).saturating_mul(w.unwrap_or(1))),
        }
    }

    /// The snippet states that exactly one process serves it.
    pub fn single_process(&self) -> bool {
        !self.clustered && self.processes() == Some(1)
    }

    /// The snippet states more than one process (a count above one, or a cluster).
    pub fn multi_process(&self) -> bool {
        self.clustered || self.processes().is_some_and(|n| n > 1)
    }
}

const NUMBER_WORDS: [(&str, u32); 12] = [
    ("a single", 1),
    ("single", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
];

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The lower-cased text and the set of byte pairs that occur in it. Most keys below are absent
/// from a snippet; one with a pair the text lacks is rejected without scanning the text (the
/// scans were 6 % of an analysis).
struct Text<'a> {
    s: &'a str,
    pairs: Vec<u64>,
}

impl<'a> Text<'a> {
    fn new(s: &'a str) -> Text<'a> {
        let mut pairs = vec![0u64; 1 << 10];
        for w in s.as_bytes().windows(2) {
            let pair = usize::from(w[0]) << 8 | usize::from(w[1]);
            pairs[pair >> 6] |= 1 << (pair & 63);
        }
        Text { s, pairs }
    }

    /// False only when `key` cannot occur in the text.
    fn may_contain(&self, key: &str) -> bool {
        key.as_bytes().windows(2).all(|w| {
            let pair = usize::from(w[0]) << 8 | usize::from(w[1]);
            self.pairs[pair >> 6] & (1 << (pair & 63)) != 0
        })
    }

    fn contains(&self, key: &str) -> bool {
        self.may_contain(key) && self.s.has(key)
    }

    fn occurrences(&self, key: &'a str, left_open: bool) -> impl Iterator<Item = usize> + 'a {
        let s = if self.may_contain(key) { self.s } else { "" };
        occurrences(s, key, left_open)
    }
}

/// Byte offsets of `word` in `s` (already lower-case) where it is not glued to an identifier on
/// the left (`right_open` also allows identifier characters after it).
fn occurrences<'a>(s: &'a str, word: &'a str, left_open: bool) -> impl Iterator<Item = usize> + 'a {
    s.match_indices(word).filter_map(move |(i, _)| {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        let left_ok = left_open || !before.is_some_and(is_ident);
        let right_ok = !after.is_some_and(is_ident);
        (left_ok && right_ok).then_some(i)
    })
}

/// A number right after `at`, skipping `:`, `=`, quotes and blanks (`replicas: 3`,
/// `--workers=4`, `"instances": "2"`).
fn number_after(s: &str, at: usize) -> Option<u32> {
    let rest = s.get(at..)?;
    let rest = rest.trim_start_matches([' ', '\t', ':', '=', '"', '\'']);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let after = rest[digits.len()..].chars().next();
    let decimal = rest[digits.len()..]
        .strip_prefix('.')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    if decimal || after.is_some_and(|c| c == '_' || (c.is_ascii_alphanumeric() && c != 's')) {
        // `4x`, `3.5`, `2_000`: not a plain count.
        return None;
    }
    digits.parse().ok()
}

/// The run of ASCII digits at the end of `s` (empty when it does not end in one).
pub fn trailing_digits(s: &str) -> &str {
    let digits = s.bytes().rev().take_while(u8::is_ascii_digit).count();
    &s[s.len() - digits..]
}

/// A count written right before `at`: `4 pods`, `three replicas`, `a single instance`,
/// `4 gunicorn workers` (one adjective word in between is allowed).
fn number_before(s: &str, at: usize) -> Option<u32> {
    let head = s.get(..at)?.trim_end_matches([' ', '-', '\t']);
    let parse_tail = |h: &str| -> Option<u32> {
        let digits = trailing_digits(h);
        if !digits.is_empty() {
            let before = h[..h.len() - digits.len()].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == '.') {
                return None;
            }
            return digits.parse().ok().filter(|n| *n > 0 && *n < 100_000);
        }
        NUMBER_WORDS.iter().find_map(|(w, n)| {
            let cut = h.strip_suffix(w)?;
            (!cut.chars().next_back().is_some_and(is_ident)).then_some(*n)
        })
    };
    if let Some(n) = parse_tail(head) {
        return Some(n);
    }
    // One word in between: "4 gunicorn workers", "3 web replicas".
    let (rest, last) = head.rsplit_once([' ', '-'])?;
    if last.is_empty() || !last.chars().all(|c| c.is_ascii_alphabetic()) || last == "a" {
        return None;
    }
    let n = parse_tail(rest.trim_end_matches([' ', '-']))?;
    // "a single" / "a" on their own before two words is too loose ("a big cache node").
    (n != 1 || rest.ends_with("single") || rest.ends_with("one")).then_some(n)
}

fn first<T>(it: impl IntoIterator<Item = Option<T>>) -> Option<T> {
    it.into_iter().flatten().next()
}

fn replicas(t: &Text) -> Option<u32> {
    let s = t.s;
    // Config keys.
    for key in [
        "replicas",
        "replica_count",
        "replicacount",
        "desired_count",
        "desiredcount",
        "min_instances",
        "min-instances",
        "--num-replicas",
        "num_replicas",
        "numreplicas",
    ] {
        let left_open = key == "replicas";
        if let Some(n) = first(
            t.occurrences(key, left_open)
                .map(|i| number_after(s, i + key.len())),
        ) {
            return Some(n);
        }
    }
    // docker compose / heroku: `--scale web=3`, `heroku ps:scale web=3`.
    for key in ["--scale ", "ps:scale "] {
        for (i, _) in s.match_indices(key) {
            let rest = &s[i + key.len()..];
            if let Some(eq) = rest.find('=') {
                if rest[..eq].chars().all(is_ident) {
                    if let Some(n) = number_after(rest, eq) {
                        return Some(n);
                    }
                }
            }
        }
    }
    // Prose: "runs on 4 pods", "three replicas", "a single instance".
    for unit in [
        "pods",
        "pod",
        "replicas",
        "replica",
        "containers",
        "container",
        "dynos",
        "dyno",
        "machines",
        "vms",
        "servers",
        "instances",
        "instance",
        "nodes",
    ] {
        if let Some(n) = first(t.occurrences(unit, false).map(|i| number_before(s, i))) {
            return Some(n);
        }
    }
    // ECS counts replicas as tasks ("3 tasks behind the ALB"); elsewhere "tasks" are jobs.
    if t.occurrences("ecs", false).next().is_some() || t.contains("fargate") {
        for unit in ["tasks", "task"] {
            if let Some(n) = first(t.occurrences(unit, false).map(|i| number_before(s, i))) {
                return Some(n);
            }
        }
    }
    None
}

fn workers(t: &Text) -> (Option<u32>, bool) {
    let s = t.s;
    let mut clustered = false;
    // Explicit flags and settings.
    for key in [
        "--workers",
        "web_concurrency",
        "gunicorn_workers",
        "uvicorn_workers",
        "--processes",
    ] {
        if let Some(n) = first(
            t.occurrences(key, false)
                .map(|i| number_after(s, i + key.len())),
        ) {
            return (Some(n), false);
        }
    }
    // `-w 4` only on a gunicorn / hypercorn command line.
    let servers = if t.contains("gunicorn") || t.contains("hypercorn") {
        s
    } else {
        ""
    };
    for line in servers.lines() {
        if line.has("gunicorn") || line.has("hypercorn") {
            if let Some(n) =
                first(occurrences(line, "-w", false).map(|i| number_after(line, i + 2)))
            {
                return (Some(n), false);
            }
        }
    }
    // `pm2 start app.js -i 4` / `--instances 4`: PM2 cluster mode on the command line.
    if s.has("pm2 start") {
        for line in s.lines().filter(|l| l.has("pm2 start")) {
            for flag in [" -i", " --instances"] {
                if let Some(n) =
                    first(occurrences(line, flag, true).map(|i| number_after(line, i + flag.len())))
                {
                    return (Some(n), false);
                }
            }
        }
    }
    // `workers = 4` (gunicorn.conf.py), `uvicorn.run(app, workers=4)`, PM2 `instances: 2`.
    for key in ["workers", "instances"] {
        for i in t.occurrences(key, false) {
            let rest = s[i + key.len()..].trim_start_matches([' ', '"', '\'']);
            if !rest.starts_with([':', '=']) || rest.starts_with("==") {
                continue;
            }
            if let Some(n) = number_after(s, i + key.len()) {
                return (Some(n), false);
            }
            let value = rest[1..].trim_start_matches([' ', '"', '\'']);
            if value.starts_with("max")
                || value.starts_with("-1")
                || value.has("cpu_count")
                || value.has("cpus()")
            {
                clustered = true;
            }
        }
    }
    if t.contains("cluster.fork(")
        || t.contains("exec_mode: \"cluster\"")
        || t.contains("exec_mode: 'cluster'")
        || t.contains("exec_mode: cluster")
        || t.contains("pm2 start") && t.contains("-i max")
    {
        clustered = true;
    }
    // Prose: "4 workers", "8 worker processes", "a single process".
    for unit in [
        "workers",
        "worker processes",
        "processes",
        "process",
        "worker",
    ] {
        if let Some(n) = first(t.occurrences(unit, false).map(|i| number_before(s, i))) {
            return (Some(n), clustered);
        }
    }
    (None, clustered)
}

/// A duration like `30`, `30s`, `30 s`, `30 sec`, `30 seconds`, `2m`, `2 minutes` starting at
/// the beginning of `s` (after separators), in seconds.
fn duration_at(s: &str) -> Option<u32> {
    let rest = s.trim_start_matches([' ', '\t', ':', '=', '"', '\'']);
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: u32 = digits.parse().ok()?;
    let unit = rest[digits.len()..].trim_start_matches([' ', '-']);
    if unit.starts_with("ms") || unit.starts_with("millisecond") {
        return Some(n / 1000);
    }
    if unit.starts_with("min") || unit.starts_with("m ") || unit == "m" || unit.starts_with("m;") {
        return Some(n * 60);
    }
    Some(n)
}

/// A duration that ends right before `at`: "a 30 s gateway", "30-second router timeout".
fn duration_before(s: &str, at: usize) -> Option<u32> {
    let head = s.get(..at)?.trim_end_matches([' ', '-']);
    let words = [
        ("seconds", 1),
        ("second", 1),
        ("secs", 1),
        ("sec", 1),
        ("s", 1),
        ("minutes", 60),
        ("minute", 60),
        ("min", 60),
    ];
    for (w, mult) in words {
        if let Some(h) = head.strip_suffix(w) {
            let h = h.trim_end_matches([' ', '-']);
            let digits = trailing_digits(h);
            if let Ok(n) = digits.parse::<u32>() {
                return Some(n * mult);
            }
        }
    }
    None
}

fn gateway_timeout(t: &Text) -> Option<u32> {
    let s = t.s;
    // nginx / ingress / load balancer settings.
    for key in [
        "proxy_read_timeout",
        "proxy-read-timeout",
        "proxy_timeout",
        "proxy_send_timeout",
        "gateway_timeout",
    ] {
        for i in t.occurrences(key, true) {
            let after = &s[i + key.len()..];
            // `idle_timeout.timeout_seconds = 60`, `proxy-read-timeout: "60"`.
            let after = after
                .strip_prefix(".timeout_seconds")
                .or_else(|| after.strip_prefix("_seconds"))
                .unwrap_or(after);
            if let Some(n) = duration_at(after) {
                return Some(n);
            }
        }
    }
    // gunicorn kills a worker that is silent for --timeout seconds.
    let settings = if t.contains("gunicorn") || t.contains("timeout =") {
        s
    } else {
        ""
    };
    for line in settings.lines() {
        if line.has("gunicorn") {
            if let Some(i) = line.find("--timeout") {
                if let Some(n) = duration_at(&line[i + "--timeout".len()..]) {
                    return Some(n);
                }
            }
        } else if let Some(i) = line
            .find("timeout =")
            .filter(|_| line.trim_start().starts_with("timeout"))
        {
            // gunicorn.conf.py: `timeout = 120`
            if t.contains("workers") || t.contains("gunicorn") {
                if let Some(n) = duration_at(&line[i + "timeout =".len()..]) {
                    return Some(n);
                }
            }
        }
    }
    // Prose: "behind a 30 s gateway", "the gateway times out at 60 s", "gateway timeout of 30s".
    for unit in [
        "gateway",
        "load balancer",
        "proxy",
        "router",
        "ingress",
        "alb",
        "elb",
    ] {
        for i in t.occurrences(unit, false) {
            if let Some(n) = duration_before(s, i) {
                return Some(n);
            }
            let after = &s[i + unit.len()..];
            let window: String = after.chars().take(40).collect();
            let window = window.split(['\n', '.']).next().unwrap_or("");
            if !window.has("timeout") && !window.has("times out") && !window.has("cuts") {
                continue;
            }
            // The first number in the window with a time unit after it.
            for (j, c) in window.char_indices() {
                if c.is_ascii_digit() && !window[..j].ends_with(|p: char| p.is_ascii_digit()) {
                    let tail = &window[j..];
                    let d: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
                    let unit_txt = tail[d.len()..].trim_start();
                    if unit_txt.starts_with('s') || unit_txt.starts_with("min") {
                        return duration_at(tail);
                    }
                }
            }
        }
    }
    None
}

/// Reads the deployment facts a snippet states in code, config or comments.
pub fn deployment(source: &str) -> Deployment {
    let s = source.to_ascii_lowercase();
    let t = Text::new(&s);
    let (workers, clustered) = workers(&t);
    Deployment {
        replicas: replicas(&t),
        workers,
        gateway_timeout_s: gateway_timeout(&t),
        clustered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_digits_of_text() {
        assert_eq!(trailing_digits("replicas 12"), "12");
        assert_eq!(trailing_digits("x12y"), "");
        assert_eq!(trailing_digits("é7"), "7");
        assert_eq!(trailing_digits(""), "");
    }

    #[test]
    fn replicas_from_config_and_prose() {
        assert_eq!(deployment("deploy:\n  replicas: 3\n").replicas, Some(3));
        assert_eq!(
            deployment("# runs on 4 pods behind the LB").replicas,
            Some(4)
        );
        assert_eq!(
            deployment("# ECS Fargate: 3 tasks behind the ALB, 1 worker each").replicas,
            Some(3)
        );
        assert_eq!(
            deployment("# celery runs 3 tasks per minute").replicas,
            None
        );
        assert_eq!(
            deployment("# runs on 4 pods behind the LB").replicas,
            Some(4)
        );
        assert_eq!(
            deployment("docker compose up --scale web=3").replicas,
            Some(3)
        );
        assert_eq!(deployment("// we run three replicas").replicas, Some(3));
        assert_eq!(deployment("spec:\n  minReplicas: 2").replicas, Some(2));
        assert_eq!(deployment("# a single instance, no LB").replicas, Some(1));
        assert_eq!(deployment("x = 3").replicas, None);
        assert_eq!(deployment("# see pod.yaml").replicas, None);
    }

    #[test]
    fn workers_from_servers_and_clusters() {
        assert_eq!(
            deployment("# gunicorn app:app --workers 4").workers,
            Some(4)
        );
        assert_eq!(deployment("# gunicorn -w 8 app:app").workers, Some(8));
        assert_eq!(
            deployment("workers = 4\nbind = '0.0.0.0:8000'").workers,
            Some(4)
        );
        assert_eq!(
            deployment("uvicorn.run(app, host='0.0.0.0', workers=2)").workers,
            Some(2)
        );
        assert_eq!(deployment("WEB_CONCURRENCY=3").workers, Some(3));
        assert_eq!(
            deployment("module.exports = { apps: [{ instances: 2 }] }").workers,
            Some(2)
        );
        assert_eq!(
            deployment("// we run it with `pm2 start app.js -i 4`").workers,
            Some(4)
        );
        assert_eq!(
            deployment("pm2 start server.js --instances 3 --name api").workers,
            Some(3)
        );
        assert_eq!(
            deployment("ThreadPoolExecutor(max_workers=4)").workers,
            None,
            "a thread pool is not a process count"
        );
        let pm2 = deployment("apps: [{ name: 'api', instances: 'max', exec_mode: 'cluster' }]");
        assert!(pm2.clustered && pm2.multi_process());
        let fork =
            deployment("if (cluster.isPrimary) { for (const _ of os.cpus()) cluster.fork(); }");
        assert!(fork.clustered);
        assert!(deployment("# one process only").single_process());
    }

    #[test]
    fn gateway_timeouts() {
        assert_eq!(
            deployment("# behind a 30 s gateway").gateway_timeout_s,
            Some(30)
        );
        assert_eq!(
            deployment("proxy_read_timeout 60;").gateway_timeout_s,
            Some(60)
        );
        assert_eq!(
            deployment("proxy_read_timeout 60s;").gateway_timeout_s,
            Some(60)
        );
        assert_eq!(
            deployment("// the load balancer times out after 100 seconds").gateway_timeout_s,
            Some(100)
        );
        assert_eq!(
            deployment("# Heroku's 30-second router timeout").gateway_timeout_s,
            Some(30)
        );
        assert_eq!(
            deployment("# gunicorn app:app --timeout 120").gateway_timeout_s,
            Some(120)
        );
        assert_eq!(
            deployment("requests.get(url, timeout=5)").gateway_timeout_s,
            None
        );
    }

    #[test]
    fn nothing_stated() {
        let d = deployment("def f(x):\n    return x + 1\n");
        assert_eq!(d, Deployment::default());
        assert_eq!(d.processes(), None);
        assert!(!d.single_process() && !d.multi_process());
        let both = deployment("# 3 replicas, gunicorn --workers 4");
        assert_eq!(both.processes(), Some(12));
    }
}
