//! # cdn-uncompiled-assets
//!
//! ## What it does
//! Flags pages that load development builds or in-browser compilers from a CDN: the Tailwind
//! Play CDN (`<script src="https://cdn.tailwindcss.com">`, `@tailwindcss/browser`),
//! `react.development.js` / `react-dom.development.js`, Vue's `vue.global.js` (not
//! `.prod.js`), `@babel/standalone` compiling `type="text/babel"` scripts, `less.js`
//! compiling `stylesheet/less`, and whole frameworks from unpkg/jsdelivr with no version or
//! with their default (development) file (`https://unpkg.com/vue@3`). It reads HTML files,
//! JSX/TSX markup (`<Script src=…>` in Next.js) and HTML inside strings and templates
//! (`render_template_string`, `res.send(`<html>…`)`). Silent for compiled local CSS and JS,
//! pinned production builds (`.min.js`, `.prod.js`), and tags inside comments or behind a
//! development-only condition.
//!
//! ## Why is this bad at scale
//! Every visitor downloads and runs the development tooling on every page load: the Tailwind
//! Play CDN is about 300 KB of JavaScript that scans the page and generates CSS in the
//! browser (the page flashes unstyled first); React's development build is several times the
//! size of the production one and runs extra checks on every render; Babel standalone is
//! megabytes that compile JSX on each visit. On a phone on 3G that is seconds per view, and
//! the CDN's own rate limits and outages become yours. Unpinned URLs change under you
//! without a deploy.
//!
//! ## Example
//! ```html
//! <script src="https://cdn.tailwindcss.com"></script>
//! <script src="https://unpkg.com/react@18/umd/react.development.js"></script>
//! ```
//!
//! ## Use instead
//! Compile at build time and serve the result:
//! ```html
//! <link rel="stylesheet" href="/static/css/app.min.css">   <!-- tailwindcss -i in.css -o app.min.css --minify -->
//! <script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"
//!         integrity="sha384-…" crossorigin="anonymous"></script>
//! ```
//!
//! ## Languages
//! HTML, JSX/TSX markup, and HTML in strings of Python and JavaScript/TypeScript.

use super::process_state::loc_of;
use super::{finding, Ctx, RuleDoc};
use crate::analyzer::find;
use crate::analyzer::find::Has;
use crate::analyzer::{Finding, Severity};
use std::collections::BTreeMap;

pub const ID: &str = "cdn-uncompiled-assets";

pub const DOC: RuleDoc = RuleDoc {
    id: ID,
    title: "Development build or in-browser compiler loaded from a CDN",
    what_it_does: "Flags pages that load development builds or in-browser compilers from a CDN: the Tailwind Play CDN (cdn.tailwindcss.com, @tailwindcss/browser), react.development.js, Vue's vue.global.js (not .prod.js), @babel/standalone compiling text/babel scripts, less.js compiling stylesheet/less, and whole frameworks from unpkg/jsdelivr without a version or with their default development file. Reads HTML, JSX/TSX markup and HTML in strings. Silent for compiled local assets, pinned production builds (.min.js, .prod.js), and tags in comments or behind a development-only condition.",
    why_bad_at_scale: "Every visitor downloads and runs development tooling on every page load: the Tailwind Play CDN is about 300 KB of JavaScript that generates CSS in the browser (the page flashes unstyled first); React's development build is several times the production size and slower on every render; Babel standalone is megabytes compiling JSX on each visit. On a phone that is seconds per view, the CDN's limits and outages become yours, and unpinned URLs change without a deploy.",
    example: "<script src=\"https://cdn.tailwindcss.com\"></script>\n<script src=\"https://unpkg.com/react@18/umd/react.development.js\"></script>",
    use_instead: "<link rel=\"stylesheet\" href=\"/static/css/app.min.css\">   <!-- built with tailwindcss --minify -->\n<script src=\"https://unpkg.com/react@18.3.1/umd/react.production.min.js\"\n        integrity=\"sha384-…\" crossorigin=\"anonymous\"></script>",
    languages: &["html", "javascript", "typescript", "python"],
};

/// What an asset URL loads, when it is a development build or an in-browser compiler:
/// (description, approximate size in KB, fix).
fn classify(url: &str, source: &str) -> Option<(&'static str, u32, &'static str)> {
    let u = url.to_ascii_lowercase();
    if u.has("cdn.tailwindcss.com") || u.has("@tailwindcss/browser") {
        return Some((
            "the Tailwind Play CDN, which generates the CSS in the browser",
            300,
            "Build the CSS once (`npx tailwindcss -i src/input.css -o static/css/app.min.css --minify`) and link the file.",
        ));
    }
    if u.has("react-dom.development") {
        return Some((
            "React DOM's development build",
            1100,
            "Load `react-dom.production.min.js` pinned to a version (with `integrity`), or bundle React at build time.",
        ));
    }
    if u.has("react.development") {
        return Some((
            "React's development build",
            110,
            "Load `react.production.min.js` pinned to a version (with `integrity`), or bundle React at build time.",
        ));
    }
    if u.has("@babel/standalone") || u.has("babel-standalone") {
        return Some((
            "Babel standalone, which compiles JSX in every visitor's browser",
            2800,
            "Compile JSX at build time (Vite, esbuild, Next.js) and serve the compiled bundle; drop `type=\"text/babel\"`.",
        ));
    }
    let vue_dev = (u.has("vue.global.js") || u.has("vue.esm-browser.js")) && !u.has(".prod.");
    if vue_dev || u.ends_with("/vue/dist/vue.js") || u.has("/dist/vue.js") {
        return Some((
            "Vue's development build",
            500,
            "Load `vue.global.prod.js` pinned to a version (with `integrity`), or build the app with Vite.",
        ));
    }
    if (u.ends_with("/less.js") || u.ends_with("/less.min.js") || u.has("/less@"))
        && source.has("stylesheet/less")
    {
        return Some((
            "less.js, which compiles the stylesheet in the browser",
            150,
            "Compile the LESS at build time (`lessc styles.less styles.min.css`) and link the CSS.",
        ));
    }
    // unpkg / jsdelivr: a framework with no version, or with its default (development) file.
    let rest = u
        .split_once("unpkg.com/")
        .or_else(|| u.split_once("cdn.jsdelivr.net/npm/"))
        .map(|(_, r)| r)?;
    let (pkg, path) = if let Some(stripped) = rest.strip_prefix('@') {
        let mut parts = stripped.splitn(3, '/');
        let scope = parts.next().unwrap_or("");
        let name = parts.next().unwrap_or("");
        (
            format!("@{scope}/{name}"),
            parts.next().unwrap_or("").to_string(),
        )
    } else {
        let (p, r) = rest.split_once('/').unwrap_or((rest, ""));
        (p.to_string(), r.to_string())
    };
    // Split after the first character, not at byte 1: `pkg` may be empty (`unpkg.com/` then
    // a quote) or start with a multi-byte character, and slicing there panicked (fuzzing).
    let mut chars = pkg.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    let (name, version) = match chars.as_str().split_once('@') {
        Some((n, v)) => (format!("{first}{n}"), Some(v.to_string())),
        None => (pkg.clone(), None),
    };
    let framework = matches!(
        name.as_str(),
        "react" | "react-dom" | "vue" | "preact" | "svelte" | "tailwindcss" | "@angular/core"
    );
    if !framework {
        return None;
    }
    let unpinned = version
        .as_deref()
        .is_none_or(|v| v == "latest" || v == "next");
    let default_file = path.trim_matches('/').is_empty() && name != "tailwindcss";
    if unpinned || default_file || name == "tailwindcss" {
        return Some((
            if default_file {
                "a whole framework's default file from the CDN (its development build)"
            } else {
                "a whole framework from the CDN with no pinned version"
            },
            500,
            "Pin an exact version and its production file (`…@18.3.1/umd/react.production.min.js` with `integrity`), or bundle it at build time.",
        ));
    }
    None
}

/// Where the snippet's comment markers sit, found once per check: asking `rfind` for each
/// candidate URL scanned the whole text before it, quadratic on long files.
struct CommentMarks {
    html_open: Vec<usize>,
    html_close: Vec<usize>,
    block_open: Vec<usize>,
    block_close: Vec<usize>,
}

impl CommentMarks {
    fn new(src: &str) -> Self {
        let at = |needle: &str| find::find_all(src, needle).collect();
        CommentMarks {
            html_open: at("<!--"),
            html_close: at("-->"),
            block_open: at("/*"),
            block_close: at("*/"),
        }
    }

    /// True when byte `at` is inside an HTML (`<!-- -->`), block (`/* */`) or line comment.
    fn contains(&self, src: &str, at: usize) -> bool {
        // The last marker starting before `at` whose whole text also ends before it, as
        // `src[..at].rfind(marker)` would find it.
        let last = |marks: &[usize], len: usize| {
            let n = marks.partition_point(|&m| m + len <= at);
            n.checked_sub(1).map(|i| marks[i])
        };
        let open_close = |open: Option<usize>, close: Option<usize>| match (open, close) {
            (Some(a), Some(b)) => a > b,
            (Some(_), None) => true,
            _ => false,
        };
        if open_close(last(&self.html_open, 4), last(&self.html_close, 3))
            || open_close(last(&self.block_open, 2), last(&self.block_close, 2))
        {
            // The fixture / expectation header is a comment too, but it never holds a URL.
            return true;
        }
        let before = &src[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before[line_start..].trim_start();
        line.starts_with("//") || line.starts_with('#') && !line.starts_with("#{")
    }
}

/// The page only loads it in development: `{% if debug %}`, `NODE_ENV === "development"`.
fn dev_only(src: &str, at: usize) -> bool {
    let mut start = at.saturating_sub(300);
    while !src.is_char_boundary(start) {
        start += 1;
    }
    let window = src[start..at].to_ascii_lowercase();
    [
        "if debug",
        "if settings.debug",
        "node_env",
        "isdev",
        "is_dev",
        "if dev",
        "process.env.dev",
    ]
    .iter()
    .any(|w| window.has(w))
}

/// The URL around byte `at`: expanded to the nearest quote, whitespace or bracket.
fn url_around(src: &str, at: usize) -> (usize, &str) {
    let stop = |c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>' | '(' | ')' | '{' | '}')
    };
    let start = src[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    // Forward, a template interpolation (`${REACT_VERSION}`, `{{ vue_version }}`) is part of
    // the URL: stopping at its brace left `unpkg.com/react@` and read as unpinned.
    let rest = &src[at..];
    let mut end = src.len();
    let mut i = 0;
    while let Some(c) = rest[i..].chars().next() {
        let close = if rest[i..].starts_with("${") {
            Some("}")
        } else if rest[i..].starts_with("{{") {
            Some("}}")
        } else {
            None
        };
        if let Some(close) = close {
            match rest[i + 2..].find(close) {
                Some(j) if !rest[i + 2..i + 2 + j].contains('\n') => {
                    i += 2 + j + close.len();
                    continue;
                }
                _ => {}
            }
        }
        if stop(c) {
            end = at + i;
            break;
        }
        i += c.len_utf8();
    }
    (start, &src[start..end])
}

/// The tag (`<script …>`, `<Script …/>`, `<link …>`) that contains byte `at`, if any:
/// (start, text).
fn enclosing_tag(src: &str, at: usize) -> Option<(usize, &str)> {
    let before = &src[..at];
    let lt = before.rfind('<')?;
    if before[lt..].contains('>') {
        return None;
    }
    let end = src[at..].find('>').map_or(src.len(), |i| at + i + 1);
    let tag = &src[lt..end];
    let name = tag[1..].trim_start().to_ascii_lowercase();
    (name.starts_with("script") || name.starts_with("link")).then_some((lt, tag))
}

const NEEDLES: [&str; 12] = [
    "cdn.tailwindcss.com",
    "@tailwindcss/browser",
    ".development.js",
    "vue.global.js",
    "vue.esm-browser.js",
    "/dist/vue.js",
    "@babel/standalone",
    "babel-standalone",
    "/less.js",
    "/less@",
    "unpkg.com/",
    "cdn.jsdelivr.net/npm/",
];

pub fn check(cx: &Ctx, out: &mut Vec<Finding>) {
    let src = cx.source;
    let mut hits: Vec<usize> = Vec::new();
    for n in NEEDLES {
        hits.extend(find::find_all(src, n));
    }
    hits.sort_unstable();
    if hits.is_empty() {
        return;
    }
    let comments = CommentMarks::new(src);
    let mut lines: Vec<usize> = Vec::new();
    let mut urls: Vec<(usize, usize)> = Vec::new();
    for at in hits {
        let (ustart, url) = url_around(src, at);
        if urls.iter().any(|&(s, _)| s == ustart) || url.is_empty() {
            continue;
        }
        urls.push((ustart, at));
        if comments.contains(src, ustart) || dev_only(src, ustart) {
            continue;
        }
        let Some((what, kb, fix)) = classify(url, src) else {
            continue;
        };
        let tag = enclosing_tag(src, ustart);
        // A string that is not in a tag must at least be a URL being loaded.
        if tag.is_none() && !url.has("://") && !url.starts_with("//") {
            continue;
        }
        let start = tag.map_or(ustart, |(s, _)| s);
        let end = tag.map_or(ustart + url.len(), |(s, t)| s + t.len());
        let loc = loc_of(cx, start, end);
        let line = loc.span.start_line;
        if lines.contains(&line) {
            continue;
        }
        lines.push(line);
        let shown = tag.map_or_else(
            || format!("`{url}`"),
            |(_, t)| {
                let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
                let short: String = flat.chars().take(90).collect();
                format!("`{}`", short.trim())
            },
        );
        let integrity = tag.is_some_and(|(_, t)| t.has("integrity"));
        let mut params = BTreeMap::new();
        params.insert("url".to_string(), url.to_string());
        params.insert("asset_kb".to_string(), kb.to_string());
        params.insert("integrity".to_string(), integrity.to_string());
        let message = format!(
            "{shown} at line {line} loads {what} (about {kb} KB, from a CDN) on every page view: each visitor downloads and runs development tooling instead of a compiled, cached asset."
        );
        out.push(finding(
            ID,
            Severity::Warning,
            &loc,
            message,
            fix.to_string(),
            vec![cx.evidence(&loc, "asset")],
            params,
        ));
    }
}
