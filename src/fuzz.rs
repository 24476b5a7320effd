//! Input generators and checked executions for fuzzing, shared by the `fuzz` binary
//! (`make fuzz`, millions of runs) and the property tests in `make test` (a few thousand).
//!
//! Three targets, each what the page does with text from a stranger:
//! - [`Target::Analyzer`]: `analyze` (and the editor's `highlight`, and the finding → settings
//!   bridge) on arbitrary bytes and on fixtures/scenario code mutated at the byte and syntax level;
//! - [`Target::Share`]: `read_location`, `decode` and `parse_query` on random and mutated links;
//! - [`Target::Sim`]: every model with random settings, loads, seeds and tracing.
//!
//! Each execution checks the invariants the app relies on and panics when one breaks, so a
//! broken invariant is caught like a crash. Inputs derive only from `(seed, target, iteration)`,
//! so any execution can be regenerated, and an [`Input`] serialises to a small file that the
//! regression test replays (`tests/fuzz_crashes/`).

use crate::analyzer::{self, highlight::highlight, Finding, Language, Severity, Span};
use crate::share;
use crate::sim::model::{self, Params, Settings, MAX_EVENTS, MAX_JOURNEYS};
use crate::sim::models;
use crate::sim::rng::Rng;
use crate::sim::Variant;
use std::collections::BTreeMap;

/// What a fuzz execution exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Analyzer,
    Share,
    Sim,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Analyzer, Target::Share, Target::Sim];

    pub fn name(self) -> &'static str {
        match self {
            Target::Analyzer => "analyzer",
            Target::Share => "share",
            Target::Sim => "sim",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Source texts that mutations start from, each with its language when known.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub texts: Vec<(String, Option<Language>)>,
    /// Valid `#s=` payloads of random states, made once: encoding at deflate level 9 costs
    /// far more than decoding, so most share executions mutate one of these.
    pub links: Vec<String>,
}

impl Corpus {
    /// The scenario gallery's naive and fixed code (compiled in, always available).
    pub fn scenarios() -> Corpus {
        let texts = crate::scenarios::all()
            .iter()
            .flat_map(|s| s.snippets.iter())
            .flat_map(|p| {
                [
                    (p.naive.to_string(), Some(p.language)),
                    (p.fixed.to_string(), Some(p.language)),
                ]
            })
            .collect();
        Corpus::with_links(texts)
    }

    fn with_links(texts: Vec<(String, Option<Language>)>) -> Corpus {
        let mut corpus = Corpus {
            texts,
            links: Vec::new(),
        };
        let mut rng = Rng::new(0x5eed);
        corpus.links = (0..256)
            .map(|_| share::encode(&random_link_state(&mut rng, &corpus)))
            .collect();
        corpus
    }

    /// The scenarios plus every file under `dir` whose extension names a language (the
    /// fixtures), in a stable order so a seed means the same inputs on every machine.
    pub fn with_files_under(dir: &std::path::Path) -> Corpus {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let (Some(lang), Ok(text)) = (
                    Language::from_path(&p.to_string_lossy()),
                    std::fs::read_to_string(&p),
                ) {
                    files.push((p, text, lang));
                }
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut texts = Corpus::scenarios().texts;
        texts.extend(files.into_iter().map(|(_, t, l)| (t, Some(l))));
        Corpus::with_links(texts)
    }

    /// The corpus the tests and `make fuzz` use: scenarios and `tests/fixtures`.
    pub fn standard() -> Corpus {
        Corpus::with_files_under(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        )
    }

    fn pick<'a>(&'a self, rng: &mut Rng) -> (&'a [u8], Option<Language>) {
        match self.texts.get(rng.below(self.texts.len() as u64) as usize) {
            Some((t, l)) => (t.as_bytes(), *l),
            None => (b"x = 1\n", None),
        }
    }
}

/// The generator for one execution: a function of the run's seed, the target and the
/// iteration only, so a crash report's (seed, iteration) regenerates its input.
pub fn iteration_rng(seed: u64, target: Target, iteration: u64) -> Rng {
    let mut r = Rng::new(seed ^ (target as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mix = r.next_u64();
    Rng::new(mix ^ iteration.wrapping_mul(0xd6e8_feb8_6659_fd93))
}

/// One input for one target; [`Input::to_bytes`] / [`Input::from_bytes`] are the crash-file
/// format (a header line naming the target, then the payload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Raw bytes (read as lossy UTF-8, as a paste would arrive) and a language or detection.
    Analyzer {
        lang: Option<Language>,
        bytes: Vec<u8>,
    },
    /// A location's query and fragment as the page reads them: `search` + `#` + `hash`.
    Share {
        text: String,
    },
    Sim(SimInput),
}

/// One simulator execution: a model, given settings (resolved by [`Settings::resolve`]),
/// a load, a seed and whether journeys are traced. `sweep_loads` non-empty also runs
/// [`model::sweep`] over those raw loads (which clamps them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimInput {
    pub hazard: String,
    pub params: Params,
    pub load: u64,
    pub seed: u64,
    pub trace: bool,
    pub sweep_loads: Vec<u64>,
}

const HEADER: &str = "hazard-lab-fuzz";

impl Input {
    pub fn target(&self) -> Target {
        match self {
            Input::Analyzer { .. } => Target::Analyzer,
            Input::Share { .. } => Target::Share,
            Input::Sim(_) => Target::Sim,
        }
    }

    /// The crash-file bytes: `hazard-lab-fuzz <target> …\n` then the payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Input::Analyzer { lang, bytes } => {
                let mut out = format!(
                    "{HEADER} analyzer lang={}\n",
                    lang.map_or("auto", |l| l.id())
                )
                .into_bytes();
                out.extend_from_slice(bytes);
                out
            }
            Input::Share { text } => format!("{HEADER} share\n{text}").into_bytes(),
            Input::Sim(s) => {
                let mut out = format!(
                    "{HEADER} sim\nmodel={}\nload={}\nseed={}\ntrace={}\nsweep={}\n",
                    s.hazard,
                    s.load,
                    s.seed,
                    u8::from(s.trace),
                    s.sweep_loads
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                );
                for (k, v) in &s.params.0 {
                    out.push_str(&format!("param {k}={v}\n"));
                }
                out.into_bytes()
            }
        }
    }

    /// Reads a crash file; `None` when it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Input> {
        let nl = bytes.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&bytes[..nl]).ok()?;
        let body = &bytes[nl + 1..];
        let mut words = header.split(' ');
        if words.next()? != HEADER {
            return None;
        }
        match words.next()? {
            "analyzer" => {
                let lang = words.next()?.strip_prefix("lang=")?;
                Some(Input::Analyzer {
                    lang: Language::from_id(lang),
                    bytes: body.to_vec(),
                })
            }
            "share" => Some(Input::Share {
                text: String::from_utf8_lossy(body).into_owned(),
            }),
            "sim" => {
                let body = std::str::from_utf8(body).ok()?;
                let mut s = SimInput {
                    hazard: String::new(),
                    params: Params::default(),
                    load: 0,
                    seed: 0,
                    trace: false,
                    sweep_loads: Vec::new(),
                };
                for line in body.lines() {
                    if let Some(p) = line.strip_prefix("param ") {
                        let (k, v) = p.rsplit_once('=')?;
                        s.params.set(k, v.parse().ok()?);
                        continue;
                    }
                    let (k, v) = line.split_once('=')?;
                    match k {
                        "model" => s.hazard = v.to_string(),
                        "load" => s.load = v.parse().ok()?,
                        "seed" => s.seed = v.parse().ok()?,
                        "trace" => s.trace = v == "1",
                        "sweep" => {
                            s.sweep_loads = v
                                .split(',')
                                .filter(|x| !x.is_empty())
                                .map(str::parse)
                                .collect::<Result<_, _>>()
                                .ok()?
                        }
                        _ => return None,
                    }
                }
                Some(Input::Sim(s))
            }
            _ => None,
        }
    }

    /// A short description for the console (the payload itself may be megabytes).
    pub fn describe(&self) -> String {
        let clip = |t: &str| {
            let mut s: String = t.chars().take(160).collect();
            if s.len() < t.len() {
                s.push('…');
            }
            format!("{s:?}")
        };
        match self {
            Input::Analyzer { lang, bytes } => format!(
                "analyzer lang={} {} bytes: {}",
                lang.map_or("auto", |l| l.id()),
                bytes.len(),
                clip(&String::from_utf8_lossy(bytes))
            ),
            Input::Share { text } => format!("share {} chars: {}", text.len(), clip(text)),
            Input::Sim(s) => format!(
                "sim {} load={} seed={} trace={} sweep={:?} params={:?}",
                s.hazard, s.load, s.seed, s.trace, s.sweep_loads, s.params.0
            ),
        }
    }

    /// Runs the input through its target, panicking if an invariant breaks. Returns what
    /// happened, for the run's statistics (e.g. how many inputs got past the input checks).
    pub fn execute(&self) -> &'static str {
        match self {
            Input::Analyzer { lang, bytes } => run_analyzer(&String::from_utf8_lossy(bytes), *lang),
            Input::Share { text } => run_share(text),
            Input::Sim(s) => run_sim(s),
        }
    }
}

/// Generates the input of one execution.
pub fn generate(target: Target, rng: &mut Rng, corpus: &Corpus) -> Input {
    match target {
        Target::Analyzer => gen_analyzer(rng, corpus),
        Target::Share => gen_share(rng, corpus),
        Target::Sim => Input::Sim(gen_sim(rng)),
    }
}

// ---------------------------------------------------------------------------------------
// Analyzer
// ---------------------------------------------------------------------------------------

/// Characters that open, close or switch lexical modes in some supported language.
const SYNTAX: &[u8] = b"({[\"'`$:;\n)}]<>/*#\\=,.!?@%&|^~-+\t \r";

/// Tokens that change how a parser or a rule reads what follows.
const TOKENS: &[&str] = &[
    "def ",
    "async ",
    "await ",
    "for ",
    "while ",
    "if ",
    "else",
    "try:",
    "except",
    "catch",
    "finally",
    "return ",
    "class ",
    "func ",
    "go ",
    "select",
    "SELECT ",
    "FROM ",
    "WHERE ",
    "BEGIN ",
    "END;",
    "LOOP",
    "CURSOR",
    "\"\"\"",
    "'''",
    "${",
    "`",
    "/*",
    "*/",
    "//",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "@app.get(\"/x\")\n",
    "=> ",
    "function ",
    "lambda ",
    "with ",
    "lock",
    "redis",
    "requests.get(url)",
    "time.sleep(5)",
    "fetch(",
    "db.query(\"SELECT * FROM t WHERE id = \" + id)",
    "cache = {}\n",
    "\u{0}",
    "\u{fffd}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "😀",
    "é",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\\\n",
];

/// Bracket pairs and block openers for deep-nesting insertions.
const NESTS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("{", "}"),
    ("if x:\n", ""),
    ("if (x) {", "}"),
    ("f(", ")"),
    ("BEGIN ", " END;"),
    ("IF x THEN ", " END IF;"),
    ("<div>", "</div>"),
    ("\"${", "}\""),
    ("`${", "}`"),
    ("a.b(", ")"),
    ("[x for x in ", "]"),
    ("func() {", "}"),
    ("() => ", ""),
];

/// Bounds the mutated text so one execution stays within the analyzer's input cap.
const MAX_MUTATED: usize = analyzer::MAX_INPUT_BYTES + 4096;

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

fn random_language(rng: &mut Rng) -> Language {
    *pick(rng, &Language::ALL)
}

/// Arbitrary text: raw bytes, syntax characters, tokens and odd Unicode, mixed.
pub fn arbitrary_bytes(rng: &mut Rng, max_len: usize) -> Vec<u8> {
    let len = match rng.below(10) {
        0 => 0,
        1..=6 => rng.below(64) as usize,
        7 | 8 => rng.below(1024) as usize,
        _ => rng.below(max_len as u64 + 1) as usize,
    };
    let style = rng.below(4);
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        let kind = if style == 3 { rng.below(3) } else { style };
        match kind {
            0 => out.push(rng.below(256) as u8),
            1 => out.push(*pick(rng, SYNTAX)),
            _ => out.extend_from_slice(pick(rng, TOKENS).as_bytes()),
        }
    }
    out
}

/// Applies one to eight structural mutations to `bytes`, using `other` for splices.
pub fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    for _ in 0..1 + rng.below(8) {
        let len = bytes.len() as u64;
        let at = rng.below(len + 1) as usize;
        match rng.below(11) {
            0 if !bytes.is_empty() => {
                let i = rng.below(len) as usize;
                bytes[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let n = 1 + rng.below(4);
                for _ in 0..n {
                    bytes.insert(at, *pick(rng, SYNTAX));
                }
            }
            3 => {
                let t = pick(rng, TOKENS).as_bytes();
                bytes.splice(at..at, t.iter().copied());
            }
            4 | 5 => {
                let end = (at + 1 + rng.below(64) as usize).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            6 if !other.is_empty() => {
                // Splice: this text up to `at`, then the other from a random point.
                let from = rng.below(other.len() as u64) as usize;
                bytes.truncate(at);
                bytes.extend_from_slice(&other[from..]);
            }
            7 => {
                let start = rng.below(len + 1) as usize;
                let end = (start + 1 + rng.below(256) as usize).min(bytes.len());
                if start < end {
                    let piece = bytes[start..end].to_vec();
                    // Rarely large: inputs near the 1 MB cap cost seconds each and are
                    // covered by tests/bounded.rs; the fuzzer spends its time on variety.
                    let most = if rng.chance(5) { 4000 } else { 20 };
                    let times = 1 + rng.below(most) as usize;
                    let times = times.min(MAX_MUTATED.saturating_sub(bytes.len()) / piece.len());
                    let at = end.min(bytes.len());
                    bytes.splice(at..at, piece.repeat(times));
                }
            }
            8 => {
                // Deep nesting: usually modest, sometimes far past any real code.
                let (open, close) = *pick(rng, NESTS);
                let depth = match rng.below(200) {
                    0 => 2000 + rng.below(20_000),
                    1..=30 => 100 + rng.below(900),
                    _ => 1 + rng.below(60),
                } as usize;
                let per = (open.len() + close.len()).max(1);
                let depth = depth.min(MAX_MUTATED.saturating_sub(bytes.len()) / per);
                let close_too = rng.chance(700);
                let mut nest = open.repeat(depth).into_bytes();
                if close_too {
                    nest.extend_from_slice(close.repeat(depth).as_bytes());
                }
                bytes.splice(at..at, nest);
            }
            9 => {
                // Repeat or drop a line's indentation: Python's block structure.
                let line_start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                if rng.chance(500) {
                    let options: [&[u8]; 3] = [b"    ", b"\t", b" "];
                    let indent = *pick(rng, &options);
                    bytes.splice(line_start..line_start, indent.iter().copied());
                } else if bytes
                    .get(line_start)
                    .is_some_and(|b| b.is_ascii_whitespace())
                {
                    bytes.remove(line_start);
                }
            }
            _ => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = rng.below(256) as u8;
                }
            }
        }
        if bytes.len() > MAX_MUTATED {
            bytes.truncate(MAX_MUTATED);
        }
    }
}

fn gen_analyzer(rng: &mut Rng, corpus: &Corpus) -> Input {
    let (bytes, own) = if rng.chance(250) {
        (arbitrary_bytes(rng, 16 * 1024), None)
    } else {
        let (base, lang) = corpus.pick(rng);
        let mut bytes = base.to_vec();
        let (other, _) = corpus.pick(rng);
        mutate(rng, &mut bytes, other);
        (bytes, lang)
    };
    let lang = match rng.below(10) {
        0..=4 => own.or_else(|| Some(random_language(rng))),
        5..=7 => Some(random_language(rng)),
        _ => None,
    };
    Input::Analyzer { lang, bytes }
}

/// Analyses `source` as the page does on every edit, checking what the page relies on.
pub fn run_analyzer(source: &str, lang: Option<Language>) -> &'static str {
    // The editor colours every keystroke: ranges in order, covering the text, on char
    // boundaries (the editor slices the text by them).
    let hl_lang = lang.unwrap_or(Language::Python);
    if source.len() <= analyzer::MAX_INPUT_BYTES {
        let mut pos = 0;
        for (_, r) in highlight(source, hl_lang) {
            assert!(
                r.start <= r.end && r.end <= source.len(),
                "highlight range {r:?}"
            );
            assert!(r.start >= pos, "highlight ranges overlap at {}", r.start);
            assert!(
                source.is_char_boundary(r.start) && source.is_char_boundary(r.end),
                "highlight range {r:?} splits a character"
            );
            pos = r.end;
        }
    }
    let Ok(a) = analyzer::analyze(source, lang) else {
        return "refused";
    };
    let lines = a.lines.max(1);
    for f in &a.findings {
        let s = f.span;
        assert!(
            s.start_line >= 1 && s.start_line <= s.end_line && s.end_line <= lines,
            "{} span {s:?} outside 1..={lines}",
            f.hazard
        );
        for e in &f.evidence {
            assert!(
                e.line >= 1 && e.line <= lines,
                "{} evidence line {} outside 1..={lines}",
                f.hazard,
                e.line
            );
        }
        // The "Simulate" button: the finding's numbers become settings.
        if let Some(m) = models::model_for(f.hazard) {
            let p = m.params_from_finding(f);
            let _ = Settings::resolve(m.info(), &p);
        }
    }
    if a.findings.is_empty() {
        "analysed"
    } else {
        "analysed with findings"
    }
}

// ---------------------------------------------------------------------------------------
// Share links
// ---------------------------------------------------------------------------------------

fn random_string(rng: &mut Rng, max: u64) -> String {
    String::from_utf8_lossy(&arbitrary_bytes(rng, max as usize)).into_owned()
}

/// A random but well-formed link state.
pub fn random_link_state(rng: &mut Rng, corpus: &Corpus) -> share::LinkState {
    let hazards: Vec<&str> = models::ALL.iter().map(|m| m.info().hazard).collect();
    let mut params = BTreeMap::new();
    for _ in 0..rng.below(4) {
        let model = models::ALL[rng.below(models::ALL.len() as u64) as usize];
        let mut inner = BTreeMap::new();
        for _ in 0..rng.below(4) {
            let name = match (rng.below(3), model.info().params) {
                (0, _) | (_, []) => random_string(rng, 12),
                (_, specs) => pick(rng, specs).name.to_string(),
            };
            inner.insert(name, extreme_u64(rng));
        }
        let key = if rng.chance(800) {
            model.info().hazard.to_string()
        } else {
            random_string(rng, 12)
        };
        params.insert(key, inner);
    }
    let code = match rng.below(4) {
        0 => None,
        1 => Some(random_string(rng, 4096)),
        _ => Some(String::from_utf8_lossy(corpus.pick(rng).0).into_owned()),
    };
    share::LinkState {
        code,
        lang: rng
            .chance(600)
            .then(|| pick(rng, &Language::ALL).id().to_string()),
        scenario: rng.chance(300).then(|| "seat-booking".to_string()),
        hazard: rng.chance(500).then(|| pick(rng, &hazards).to_string()),
        load: rng.chance(600).then(|| extreme_u64(rng)),
        seed: rng.chance(600).then(|| extreme_u64(rng)),
        params,
        embed: rng.chance(200),
    }
}

/// Mostly ordinary numbers, often the extremes.
fn extreme_u64(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => 0,
        1 => u64::MAX,
        2 => rng.next_u64(),
        3 => 1u64 << rng.below(64),
        _ => rng.below(1000),
    }
}

fn mutate_text(rng: &mut Rng, text: &str, other: &[u8]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if rng.chance(300) {
        // Base64 alphabet changes keep the payload decodable but the stream damaged.
        for _ in 0..1 + rng.below(4) {
            if let Some(b) = bytes.get_mut(rng.below(text.len() as u64) as usize) {
                *b = *pick(
                    rng,
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                );
            }
        }
    } else {
        mutate(rng, &mut bytes, other);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Raw deflate streams a valid link never holds: stored blocks with wrong lengths, fixed and
/// dynamic blocks with random bits, bombs, trailing garbage.
fn hostile_deflate(rng: &mut Rng) -> Vec<u8> {
    match rng.below(6) {
        0 => (0..rng.below(64)).map(|_| rng.below(256) as u8).collect(),
        1 => {
            // A bomb: a long run deflates to almost nothing.
            // Up to twice the inflate cap (a bigger one stops at the same place).
            let n = 1usize << (10 + rng.below(10));
            let fill = *pick(rng, b"0{\" ");
            miniz_oxide::deflate::compress_to_vec(&vec![fill; n], 1)
        }
        2 => {
            // Stored block header with random LEN/NLEN.
            let mut v = vec![rng.below(2) as u8];
            for _ in 0..4 {
                v.push(rng.below(256) as u8);
            }
            v.extend((0..rng.below(32)).map(|_| rng.below(256) as u8));
            v
        }
        3 => {
            // Dynamic block bit (BTYPE=10) then noise: exercises the code-length tables.
            let mut v = vec![0b101 | (rng.below(32) as u8) << 3];
            v.extend((0..rng.below(200)).map(|_| rng.below(256) as u8));
            v
        }
        4 => {
            // A valid state with garbage after the final block.
            let mut v = miniz_oxide::deflate::compress_to_vec(b"{\"code\":\"x\"}", 6);
            v.extend((0..1 + rng.below(16)).map(|_| rng.below(256) as u8));
            v
        }
        _ => {
            // Valid deflate of JSON that is almost a state.
            const JSON: &[&str] = &[
                "{\"load\":-1}",
                "{\"load\":1e400}",
                "{\"load\":18446744073709551616}",
                "{\"params\":{\"x\":{\"y\":-0}}}",
                "{\"code\":\"\\ud800\"}",
                "{\"code\":\"\\udc00\\ud800\"}",
                "{\"embed\":\"yes\"}",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                "{\"code\":null,\"code\":\"a\"}",
                "null",
                "{}",
            ];
            let mut json = pick(rng, JSON).to_string();
            if rng.chance(300) {
                // Deep JSON nesting: serde_json's recursion limit must refuse it cleanly.
                let depth = rng.below(100_000) as usize;
                json = format!("{{\"params\":{}{}", "[".repeat(depth), "]".repeat(depth));
            }
            miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6)
        }
    }
}

fn gen_share(rng: &mut Rng, corpus: &Corpus) -> Input {
    let keys = [
        "code", "lang", "scenario", "hazard", "load", "seed", "embed", "s", "x",
    ];
    let search = if rng.chance(500) {
        let mut q = String::from("?");
        for i in 0..rng.below(6) {
            if i > 0 {
                q.push('&');
            }
            let key = *pick(rng, &keys);
            q.push_str(key);
            if rng.chance(900) {
                q.push('=');
                let v = match rng.below(5) {
                    0 => extreme_u64(rng).to_string(),
                    1 => share::percent_encode(&random_string(rng, 256)),
                    2 => random_string(rng, 64),
                    3 => format!("%{}", random_string(rng, 3)),
                    _ => share::percent_encode(&String::from_utf8_lossy(corpus.pick(rng).0)),
                };
                q.push_str(&v);
            }
        }
        q
    } else {
        String::new()
    };
    let hash = match rng.below(8) {
        0 => String::new(),
        1 => random_string(rng, 2048),
        2 => {
            let b = hostile_deflate(rng);
            format!("s={}", share::base64url_encode(&b))
        }
        3 => format!("s={}", random_string(rng, 512)),
        _ => {
            let good = match corpus
                .links
                .get(rng.below(corpus.links.len() as u64) as usize)
            {
                Some(link) if !rng.chance(30) => link.clone(),
                _ => share::encode(&random_link_state(rng, corpus)),
            };
            if rng.chance(250) {
                format!("s={good}")
            } else {
                let (other, _) = corpus.pick(rng);
                format!("s={}", mutate_text(rng, &good, other))
            }
        }
    };
    Input::Share {
        text: format!("{search}#{hash}"),
    }
}

/// Reads a link as the page does (query, then fragment), checking that every refusal says
/// the saved work is unchanged and that whatever opens survives a second round trip.
pub fn run_share(text: &str) -> &'static str {
    let (search, hash) = text.split_once('#').unwrap_or((text, ""));
    let check_err = |e: &share::LinkError| {
        let msg = e.to_string();
        assert!(
            msg.contains("unchanged"),
            "refusal without reassurance: {msg}"
        );
    };
    let outcome = match share::read_location(search, &format!("#{hash}")) {
        Err(e) => {
            check_err(&e);
            "refused"
        }
        Ok(None) => "nothing to open",
        Ok(Some(state)) => {
            open_state(&state);
            "opened"
        }
    };
    let payload = hash.strip_prefix("s=").unwrap_or(hash);
    match share::decode(payload) {
        Err(e) => check_err(&e),
        // What opens must survive being shared again (checked for one payload in eight:
        // re-encoding at level 9 costs more than the rest of the execution).
        Ok(state) if payload.len() % 8 == 0 => {
            if let Ok(again) = share::encode_checked(&state) {
                assert_eq!(share::decode(&again).as_ref(), Ok(&state), "round trip");
            }
        }
        Ok(_) => {}
    }
    if let Err(e) = share::parse_query(search) {
        check_err(&e);
    }
    let _ = share::percent_decode(text);
    let _ = share::base64url_decode(payload);
    outcome
}

/// What the page does with an opened link's values outside the browser: the language, the
/// scenario, the model and its settings.
fn open_state(state: &share::LinkState) {
    if let Some(l) = &state.lang {
        let _ = Language::from_id(l);
    }
    if let Some(id) = &state.scenario {
        let _ = crate::scenarios::by_id(id);
    }
    if let Some(h) = &state.hazard {
        let _ = models::model_for(h);
    }
    for (hazard, values) in &state.params {
        if let Some(m) = models::model_for(hazard) {
            let given = Params(values.clone());
            let (s, _) = Settings::resolve(m.info(), &given);
            for (name, v) in s.iter() {
                let spec = m.info().params.iter().find(|p| p.name == name);
                assert!(
                    spec.is_some_and(|p| (p.min..=p.max).contains(&v)),
                    "{name}={v}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------------------

/// Random settings (often at or past the bounds), load, seed and tracing for a random model.
/// Loads are mostly in the model's default sweep so a run takes milliseconds; about one in
/// fifty is at the model's maximum, where the event cap is what keeps it bounded.
pub fn gen_sim(rng: &mut Rng) -> SimInput {
    let m = models::ALL[rng.below(models::ALL.len() as u64) as usize];
    let info = m.info();
    let extreme = rng.chance(20);
    let mut params = Params::default();
    for spec in info.params {
        let v = match rng.below(if extreme { 6 } else { 12 }) {
            0 => 0,
            1 => u64::MAX,
            2 => spec.min,
            3 => spec.max,
            4 => rng.next_u64(),
            5 => rng.between(spec.min, spec.max),
            6 | 7 => continue,
            _ => rng.between(
                spec.min,
                spec.max.min(
                    spec.default
                        .saturating_mul(4)
                        .max(spec.min.saturating_add(1)),
                ),
            ),
        };
        params.set(spec.name, v);
    }
    if rng.chance(50) {
        params.set("not_a_setting", rng.next_u64());
    }
    let sweep_top = info.loads.last().copied().unwrap_or(1).min(info.max_load);
    let load = if extreme {
        let anywhere = rng.below(info.max_load.saturating_add(1));
        *pick(rng, &[0, 1, info.max_load, anywhere])
    } else {
        match rng.below(10) {
            0 => rng.below(4),
            // Log-uniform over the sweep: small loads are cheap and as likely to break.
            1..=7 => {
                let bits = 64 - u64::from(sweep_top.leading_zeros());
                let top = (1u64 << rng.below(bits + 1).min(63)).min(sweep_top);
                rng.between(1, top)
            }
            _ => *pick(rng, info.loads),
        }
    };
    let sweep_loads = if rng.chance(10) {
        (0..1 + rng.below(3)).map(|_| extreme_u64(rng)).collect()
    } else {
        Vec::new()
    };
    SimInput {
        hazard: info.hazard.to_string(),
        params,
        load,
        seed: extreme_u64(rng),
        trace: rng.chance(500),
        sweep_loads,
    }
}

/// Runs both variants as the simulator panel does (and a sweep when asked), checking the
/// bounds the page relies on: the event cap, the journey cap, a summary that names the load.
pub fn run_sim(input: &SimInput) -> &'static str {
    let Some(m) = models::model_for(&input.hazard) else {
        return "no such model";
    };
    let info = m.info();
    let (settings, _) = Settings::resolve(info, &input.params);
    // The page clamps the load before running (`load_for`); a run past `max_load` is outside
    // the model's contract.
    let load = input.load.min(info.max_load);
    let naive = m.run(&settings, Variant::Naive, load, input.seed, input.trace);
    let fixed = m.run(&settings, Variant::Fixed, load, input.seed, input.trace);
    for r in [&naive, &fixed] {
        assert!(
            r.outcome.events <= MAX_EVENTS + 1_000,
            "{} ran {} events",
            info.hazard,
            r.outcome.events
        );
        assert!(
            r.journeys.len() <= MAX_JOURNEYS,
            "{} journeys",
            r.journeys.len()
        );
        assert!(
            input.trace || r.journeys.is_empty(),
            "journeys without trace"
        );
        let _ = r.fingerprint();
    }
    let _ = m.summary(&settings, load, &naive.outcome, &fixed.outcome);
    if !input.sweep_loads.is_empty() {
        let sw = model::sweep(m, &input.params, input.seed, &input.sweep_loads);
        assert!(sw.levels.len() <= input.sweep_loads.len());
    }
    // The finding → settings bridge with numbers as text, as the analyzer hands them over.
    let finding = Finding {
        hazard: info.hazard,
        severity: Severity::Warning,
        span: Span {
            start_line: 1,
            start_col: 1,
            end_line: 1,
            end_col: 1,
        },
        message: String::new(),
        fix: String::new(),
        evidence: Vec::new(),
        params: input
            .params
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
    };
    let _ = Settings::resolve(info, &m.params_from_finding(&finding));
    if naive.outcome.capped || fixed.outcome.capped {
        "ran to the event cap"
    } else {
        "ran"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_through_crash_files() {
        let corpus = Corpus::scenarios();
        for target in Target::ALL {
            for i in 0..50 {
                let input = generate(target, &mut iteration_rng(1, target, i), &corpus);
                assert_eq!(Input::from_bytes(&input.to_bytes()), Some(input));
            }
        }
        assert_eq!(Input::from_bytes(b"junk\n"), None);
    }

    #[test]
    fn iterations_are_independent_and_reproducible() {
        let corpus = Corpus::scenarios();
        let a = generate(
            Target::Share,
            &mut iteration_rng(9, Target::Share, 5),
            &corpus,
        );
        let b = generate(
            Target::Share,
            &mut iteration_rng(9, Target::Share, 5),
            &corpus,
        );
        let c = generate(
            Target::Share,
            &mut iteration_rng(9, Target::Share, 6),
            &corpus,
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
