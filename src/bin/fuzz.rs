//! `make fuzz`: a deterministic fuzzer on stable Rust (no cargo-fuzz, no new dependency).
//!
//! ```text
//! fuzz [--target analyzer,share,sim] [--execs N] [--seed S] [--start I] [--time-limit SECS]
//!      [--slow-ms MS] [--hang-s S] [--stack-kb KB] [--out DIR] [--log-inputs FILE]
//! fuzz --replay FILE...
//! ```
//! Each target runs `--execs` executions (or until `--time-limit` seconds per target).
//! Execution `i` of a target depends only on `(seed, target, i)`: a crash report names the
//! iteration, `--start I --execs 1` regenerates it, and a crashing input is also saved to
//! `--out` (default `tests/fuzz_crashes/`), which `tests/fuzz_regressions.rs` replays.
//! Panics are caught per execution; an execution slower than `--slow-ms` is saved as a
//! slow input; one still running after `--hang-s` is saved by the watchdog, which then stops
//! the run. Executions run on a thread with a `--stack-kb` stack (default 1 MiB, about what
//! the wasm build has), so recursion bounded only by an 8 MB native stack shows up here.
//! A stack overflow aborts the process (Rust cannot catch it): rerun the last reported
//! checkpoint with `--log-inputs FILE`, which writes each input to FILE before running it.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use hazard_lab::fuzz::{generate, iteration_rng, Corpus, Input, Target};
    use hazard_lab::sim::fnv1a;
    use std::collections::{BTreeMap, HashSet};
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    const USAGE: &str = "usage: fuzz [--target analyzer,share,sim] [--execs N] [--seed S] [--start I] [--time-limit SECS] [--slow-ms MS] [--hang-s S] [--stack-kb KB] [--out DIR] [--log-inputs FILE]\n       fuzz --replay FILE...";

    struct Options {
        targets: Vec<Target>,
        execs: u64,
        seed: u64,
        start: u64,
        time_limit: Option<Duration>,
        slow: Duration,
        hang: Duration,
        stack_kb: usize,
        out: PathBuf,
        log_inputs: Option<PathBuf>,
        replay: Vec<PathBuf>,
    }

    fn parse_args() -> Result<Options, String> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut o = Options {
            targets: Target::ALL.to_vec(),
            execs: 10_000,
            seed: 1,
            start: 0,
            time_limit: None,
            slow: Duration::from_millis(2000),
            hang: Duration::from_secs(60),
            stack_kb: 1024,
            out: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_crashes"),
            log_inputs: None,
            replay: Vec::new(),
        };
        let mut args: Vec<String> = std::env::args().skip(1).collect();
        // `make fuzz TARGET=… EXECS=… SEED=… TIME=…` passes these through the environment.
        for (var, flag) in [
            ("FUZZ_TARGET", "--target"),
            ("FUZZ_EXECS", "--execs"),
            ("FUZZ_SEED", "--seed"),
            ("FUZZ_TIME", "--time-limit"),
            ("FUZZ_START", "--start"),
        ] {
            if let Some(v) = env(var) {
                if !args.iter().any(|a| a == flag) {
                    args.extend([flag.to_string(), v]);
                }
            }
        }
        let mut it = args.into_iter();
        let num = |flag: &str, v: Option<String>| -> Result<u64, String> {
            let v = v.ok_or(format!("{flag} needs a value"))?;
            v.replace('_', "")
                .parse()
                .map_err(|_| format!("{flag}: `{v}` is not a whole number"))
        };
        while let Some(a) = it.next() {
            match a.as_str() {
                "--target" => {
                    let v = it.next().ok_or("--target needs a value")?;
                    o.targets = if v == "all" {
                        Target::ALL.to_vec()
                    } else {
                        v.split(',')
                            .map(|t| Target::from_name(t.trim()).ok_or(format!("no target `{t}`")))
                            .collect::<Result<_, _>>()?
                    };
                }
                "--execs" => o.execs = num(&a, it.next())?,
                "--seed" => o.seed = num(&a, it.next())?,
                "--start" => o.start = num(&a, it.next())?,
                "--time-limit" => o.time_limit = Some(Duration::from_secs(num(&a, it.next())?)),
                "--slow-ms" => o.slow = Duration::from_millis(num(&a, it.next())?),
                "--hang-s" => o.hang = Duration::from_secs(num(&a, it.next())?),
                "--stack-kb" => o.stack_kb = num(&a, it.next())? as usize,
                "--out" => o.out = it.next().ok_or("--out needs a value")?.into(),
                "--log-inputs" => {
                    o.log_inputs = Some(it.next().ok_or("--log-inputs needs a value")?.into())
                }
                "--replay" => o.replay.extend(it.by_ref().map(PathBuf::from)),
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(o)
    }

    /// Per-target figures for the final table.
    #[derive(Default)]
    struct Stats {
        execs: u64,
        elapsed: Duration,
        crashes: u64,
        unique: Vec<(String, PathBuf)>,
        slow: Vec<PathBuf>,
        slowest: Duration,
        slowest_at: u64,
        slowest_input: String,
        outcomes: BTreeMap<&'static str, u64>,
    }

    /// The panic message of the current thread's last panic, set by the hook.
    static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

    fn save(out: &Path, input: &Input, suffix: &str) -> PathBuf {
        let bytes = input.to_bytes();
        let ext = if matches!(input, Input::Analyzer { .. }) {
            "bin"
        } else {
            "txt"
        };
        let name = format!(
            "{}-{:016x}{suffix}.{ext}",
            input.target().name(),
            fnv1a(bytes.iter().copied())
        );
        let path = out.join(name);
        let _ = std::fs::create_dir_all(out);
        if let Err(e) = std::fs::write(&path, &bytes) {
            eprintln!("could not save {}: {e}", path.display());
        }
        path
    }

    pub fn main() -> ExitCode {
        let o = match parse_args() {
            Ok(o) => o,
            Err(e) => {
                if !e.is_empty() {
                    eprintln!("{e}");
                }
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        };
        std::panic::set_hook(Box::new(|info| {
            let msg = match info.payload().downcast_ref::<&str>() {
                Some(s) => s.to_string(),
                None => info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_default(),
            };
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut p) = LAST_PANIC.lock() {
                *p = Some(format!("{at}: {msg}"));
            }
        }));
        if !o.replay.is_empty() {
            return replay(&o.replay);
        }
        let o = Arc::new(o);
        // What the worker is running, for the watchdog: target index, iteration, and the
        // start of the execution in ms since the run began (u64::MAX when idle).
        let state = Arc::new((
            AtomicUsize::new(0),
            AtomicU64::new(0),
            AtomicU64::new(u64::MAX),
        ));
        let began = Instant::now();
        let worker = {
            let (o, state) = (o.clone(), state.clone());
            std::thread::Builder::new()
                .name("fuzz".into())
                .stack_size(o.stack_kb * 1024)
                .spawn(move || fuzz_all(&o, &state, began))
        };
        let worker = match worker {
            Ok(w) => w,
            Err(e) => {
                eprintln!("could not start the fuzz thread: {e}");
                return ExitCode::from(2);
            }
        };
        // Watchdog: an execution that never returns is reported with its regenerated input.
        while !worker.is_finished() {
            std::thread::sleep(Duration::from_millis(200));
            let since = state.2.load(Ordering::SeqCst);
            let now = began.elapsed().as_millis() as u64;
            if since != u64::MAX && now.saturating_sub(since) > o.hang.as_millis() as u64 {
                let target = o.targets[state.0.load(Ordering::SeqCst)];
                let i = state.1.load(Ordering::SeqCst);
                let corpus = Corpus::standard();
                let input = generate(target, &mut iteration_rng(o.seed, target, i), &corpus);
                let path = save(&o.out, &input, "-hang");
                println!(
                    "HANG {} iteration {i} still running after {} s: {}\n  saved {}",
                    target.name(),
                    o.hang.as_secs(),
                    input.describe(),
                    path.display()
                );
                return ExitCode::from(3);
            }
        }
        match worker.join() {
            Ok(found) if found => ExitCode::from(1),
            Ok(_) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        }
    }

    /// Runs every target; true when anything crashed or was slow.
    fn fuzz_all(o: &Options, state: &(AtomicUsize, AtomicU64, AtomicU64), began: Instant) -> bool {
        let corpus = Corpus::standard();
        println!(
            "fuzz: seed {} start {} execs {} per target, corpus {} texts, stack {} KiB, targets {}",
            o.seed,
            o.start,
            o.execs,
            corpus.texts.len(),
            o.stack_kb,
            o.targets
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut all = Vec::new();
        for (ti, &target) in o.targets.iter().enumerate() {
            state.0.store(ti, Ordering::SeqCst);
            let stats = fuzz_one(o, target, &corpus, state, began);
            all.push((target, stats));
        }
        println!(
            "\n{:<9} {:>12} {:>9} {:>10} {:>8} {:>6} {:>10}  outcomes",
            "target", "execs", "seconds", "execs/s", "crashes", "slow", "slowest"
        );
        let mut total = 0;
        let mut bad = false;
        for (t, s) in &all {
            total += s.execs;
            let secs = s.elapsed.as_secs_f64();
            println!(
                "{:<9} {:>12} {:>9.1} {:>10.0} {:>8} {:>6} {:>8.1}ms  {}",
                t.name(),
                s.execs,
                secs,
                s.execs as f64 / secs.max(1e-9),
                s.crashes,
                s.slow.len(),
                s.slowest.as_secs_f64() * 1000.0,
                s.outcomes
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for (msg, path) in &s.unique {
                println!("  crash: {msg}\n    saved {}", path.display());
            }
            for path in &s.slow {
                println!("  slow: {}", path.display());
            }
            if s.execs > 0 {
                println!("  slowest: iteration {} {}", s.slowest_at, s.slowest_input);
            }
            bad |= s.crashes > 0 || !s.slow.is_empty();
        }
        println!("total executions: {total}");
        bad
    }

    fn fuzz_one(
        o: &Options,
        target: Target,
        corpus: &Corpus,
        state: &(AtomicUsize, AtomicU64, AtomicU64),
        began: Instant,
    ) -> Stats {
        let mut s = Stats::default();
        let mut seen = HashSet::new();
        let start = Instant::now();
        let mut last_report = Instant::now();
        let end = o.start.saturating_add(o.execs);
        for i in o.start..end {
            if o.time_limit.is_some_and(|t| start.elapsed() >= t) {
                break;
            }
            let input = generate(target, &mut iteration_rng(o.seed, target, i), corpus);
            if let Some(log) = &o.log_inputs {
                let _ = std::fs::write(log, input.to_bytes());
            }
            state.1.store(i, Ordering::SeqCst);
            let t0 = Instant::now();
            state
                .2
                .store(began.elapsed().as_millis() as u64, Ordering::SeqCst);
            let result = catch_unwind(AssertUnwindSafe(|| input.execute()));
            state.2.store(u64::MAX, Ordering::SeqCst);
            let took = t0.elapsed();
            s.execs += 1;
            if took > s.slowest {
                s.slowest = took;
                s.slowest_at = i;
                s.slowest_input = input.describe();
            }
            match result {
                Ok(outcome) => *s.outcomes.entry(outcome).or_default() += 1,
                Err(_) => {
                    s.crashes += 1;
                    let msg = LAST_PANIC
                        .lock()
                        .ok()
                        .and_then(|mut p| p.take())
                        .unwrap_or_else(|| "panic".into());
                    // One saved input per panic site (the message without its values).
                    let site = msg.split(": ").next().unwrap_or(&msg).to_string();
                    if seen.insert(site) {
                        let path = save(&o.out, &input, "");
                        println!(
                            "CRASH {} iteration {i}: {msg}\n  input: {}\n  saved {}",
                            target.name(),
                            input.describe(),
                            path.display()
                        );
                        s.unique.push((msg, path));
                    }
                }
            }
            if took > o.slow && s.slow.len() < 20 {
                let path = save(&o.out, &input, "-slow");
                println!(
                    "SLOW {} iteration {i}: {:.2} s: {}\n  saved {}",
                    target.name(),
                    took.as_secs_f64(),
                    input.describe(),
                    path.display()
                );
                s.slow.push(path);
            }
            if last_report.elapsed() >= Duration::from_secs(30) {
                last_report = Instant::now();
                let secs = start.elapsed().as_secs_f64();
                eprintln!(
                    "checkpoint {} iteration {} execs {} ({:.0}/s) crashes {}",
                    target.name(),
                    i,
                    s.execs,
                    s.execs as f64 / secs.max(1e-9),
                    s.crashes
                );
            }
        }
        s.elapsed = start.elapsed();
        s
    }

    fn replay(paths: &[PathBuf]) -> ExitCode {
        let mut failed = false;
        for p in paths {
            let Some(input) = std::fs::read(p).ok().and_then(|b| Input::from_bytes(&b)) else {
                println!("{}: not a fuzz input", p.display());
                failed = true;
                continue;
            };
            let t0 = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| input.execute()));
            let took = t0.elapsed().as_secs_f64() * 1000.0;
            match r {
                Ok(outcome) => println!("{}: {outcome} in {took:.1} ms", p.display()),
                Err(_) => {
                    failed = true;
                    let msg = LAST_PANIC
                        .lock()
                        .ok()
                        .and_then(|mut m| m.take())
                        .unwrap_or_default();
                    println!("{}: PANIC after {took:.1} ms: {msg}", p.display());
                }
            }
        }
        if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}
