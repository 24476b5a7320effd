//! cdn-uncompiled-assets: a production page that loads a development build from a CDN (the
//! Tailwind play CDN, a full framework bundle) and compiles it in the browser.
//!
//! Visitors open the page over a slow mobile connection. A page view opens a connection to
//! the site (DNS, TCP, TLS 1.3: three round trips) and downloads the HTML; the browser then
//! fetches what the head asks for before it can render. Downloads follow TCP slow start: one
//! round trip for the request, the bytes at the connection's speed, plus the waits for
//! acknowledgements while the congestion window (10 segments, doubling each round trip) is
//! smaller than what the path carries in one round trip. Each view's round trip and speed
//! vary a little (+0–25 % and −0–20 %), as do devices (±30 % compile time). Returning
//! visitors (`returning_pct`) have the stylesheet or script in their cache.
//!
//! - **Naive**: the head loads `asset_kb` from a third-party CDN: a second connection (three
//!   more round trips), the download, then the runtime compile (`compile_ms`, on every view,
//!   cached or not) before the first render.
//! - **Fixed**: compiled, purged CSS (`css_kb`) from the same origin over the connection
//!   already open; nothing to compile.
//!
//! The headline counts views whose first render misses `budget_ms` (2.5 s: the "good"
//! Largest Contentful Paint threshold). The fixed view is 0 by construction within the
//! settings' bounds: at the slowest corner (200 ms round trips +25 %, 1.6 Mbit/s −20 %, 30 KB
//! of CSS, the 15 KB page, 60 ms render) it renders in about 1.9 s, under the smallest budget
//! the settings allow (2.5 s). That is why the speed's lower bound is 1.6 Mbit/s.
//!
//! Defaults: Lighthouse's "slow 4G" profile (150 ms round trip, 1.6 Mbit/s); the story's
//! ~300 KB for the Tailwind play CDN; 250 ms to compile on a mid-range phone; 10 KB of
//! purged CSS; 30 % returning visitors.

use crate::analyzer::Finding;
use crate::sim::model::*;
use crate::sim::rng::Rng;
use crate::sim::{percentile, Variant};

pub struct CdnUncompiledAssets;

/// Views arrive during this window (for the animation; views do not share anything).
const WINDOW_US: u64 = 600_000_000;
/// The HTML document.
const HTML_BYTES: u64 = 15_000;
/// TCP's initial congestion window: 10 segments of 1,460 bytes.
const INITIAL_WINDOW: u64 = 14_600;
/// Layout and paint once the styles are ready.
const RENDER_US: (u64, u64) = (20_000, 60_000);
/// DNS, TCP and TLS 1.3 handshakes: round trips before a new connection carries a request.
const CONNECT_ROUND_TRIPS: u64 = 3;

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "asset_kb",
        label: "Framework file from the CDN",
        unit: "KB",
        default: 300,
        min: 1,
        max: 5_000,
    },
    ParamSpec {
        name: "compile_ms",
        label: "Compile in the browser (naive)",
        unit: "ms",
        default: 250,
        min: 0,
        max: 3_000,
    },
    ParamSpec {
        name: "css_kb",
        label: "Compiled, purged CSS (fixed)",
        unit: "KB",
        default: 10,
        min: 1,
        max: 30,
    },
    ParamSpec {
        name: "speed_kbps",
        label: "Connection speed",
        unit: "kbit/s",
        default: 1_600,
        min: 1_600,
        max: 100_000,
    },
    ParamSpec {
        name: "rtt_ms",
        label: "Round trip",
        unit: "ms",
        default: 150,
        min: 20,
        max: 200,
    },
    ParamSpec {
        name: "returning_pct",
        label: "Returning visitors (warm cache)",
        unit: "%",
        default: 30,
        min: 0,
        max: 100,
    },
    ParamSpec {
        name: "budget_ms",
        label: "First-render budget",
        unit: "ms",
        default: 2_500,
        min: 2_500,
        max: 10_000,
    },
];

static INFO: ModelInfo = ModelInfo {
    hazard: "cdn-uncompiled-assets",
    title: "A development build from a CDN, compiled in the browser",
    metric: "slow first renders",
    unit: "page views",
    load_label: "page views",
    loads: &[1, 5, 10, 20, 50, 100, 200, 1_000],
    max_load: 10_000,
    params: PARAMS,
    naive_label: "framework from a CDN, compiled at runtime",
    fixed_label: "compiled, purged CSS from the same origin",
    stages: &[Stage::Client, Stage::Replica, Stage::Dependency],
};

/// Time from sending a request to the last byte of a `bytes` response: one round trip, the
/// bytes at line rate, and the idle waits for acknowledgements while slow start's window is
/// smaller than the path's capacity per round trip.
pub fn fetch_us(bytes: u64, rtt_us: u64, bytes_per_s: u64) -> u64 {
    let rate = bytes_per_s.max(1);
    let on_wire = |b: u64| b.saturating_mul(1_000_000) / rate;
    let capacity = rate.saturating_mul(rtt_us) / 1_000_000;
    let mut t = rtt_us.saturating_add(on_wire(bytes));
    let (mut sent, mut window) = (0u64, INITIAL_WINDOW);
    while sent.saturating_add(window) < bytes && window < capacity {
        t = t.saturating_add(rtt_us.saturating_sub(on_wire(window)));
        sent = sent.saturating_add(window);
        window = window.saturating_mul(2);
    }
    t
}

struct View {
    first_render_us: u64,
    bytes: u64,
    third_party: bool,
    hops: Vec<Hop>,
}

fn page_view(s: &Settings, variant: Variant, rng: &mut Rng, at: u64, trace: bool) -> View {
    let rtt_us = s.get("rtt_ms").clamp(20, 200) * 1_000 * rng.between(100, 125) / 100;
    let bytes_per_s = s.get("speed_kbps").clamp(1_600, 100_000) * 125 * rng.between(80, 100) / 100;
    let cached = rng.chance(s.get("returning_pct").min(100) * 10);
    let mut hops = Vec::new();
    let mut hop = |stage, start_us: u64, end_us: u64| {
        if trace {
            hops.push(Hop {
                stage,
                lane: 0,
                start_us,
                end_us,
            });
        }
    };
    let html_done = at + CONNECT_ROUND_TRIPS * rtt_us + fetch_us(HTML_BYTES, rtt_us, bytes_per_s);
    hop(Stage::Replica, at, html_done);
    let mut bytes = HTML_BYTES;
    let mut third_party = false;
    // When the styles' bytes are in; the naive page still compiles them in the browser.
    let (arrived, styles_ready) = match variant {
        Variant::Naive => {
            let asset = s.get("asset_kb").clamp(1, 5_000) * 1_000;
            let loaded = if cached {
                html_done
            } else {
                third_party = true;
                bytes += asset;
                let done =
                    html_done + CONNECT_ROUND_TRIPS * rtt_us + fetch_us(asset, rtt_us, bytes_per_s);
                hop(Stage::Dependency, html_done, done);
                done
            };
            // The play CDN builds the styles from the page at runtime, on every view.
            let compile = s.get("compile_ms").min(3_000) * 1_000 * rng.between(70, 130) / 100;
            (loaded, loaded + compile)
        }
        Variant::Fixed => {
            let done = if cached {
                html_done
            } else {
                let css = s.get("css_kb").clamp(1, 30) * 1_000;
                bytes += css;
                let done = html_done + fetch_us(css, rtt_us, bytes_per_s);
                hop(Stage::Replica, html_done, done);
                done
            };
            (done, done)
        }
    };
    let rendered = styles_ready + rng.between(RENDER_US.0, RENDER_US.1);
    hop(Stage::Client, arrived, rendered);
    View {
        first_render_us: rendered - at,
        bytes,
        third_party,
        hops,
    }
}

fn simulate(s: &Settings, variant: Variant, views: u64, seed: u64, trace: bool) -> Run {
    let mut rng = Rng::new(seed);
    let budget_us = s.get("budget_ms").clamp(2_500, 10_000) * 1_000;
    let mut arrivals: Vec<u64> = (0..views).map(|_| rng.below(WINDOW_US)).collect();
    arrivals.sort_unstable();
    let mut times = Vec::with_capacity(arrivals.len());
    let (mut slow, mut bytes, mut third_party) = (0u64, 0u64, 0u64);
    let mut journeys = Vec::new();
    for (i, &at) in arrivals.iter().enumerate() {
        let keep = trace && journeys.len() < MAX_JOURNEYS;
        let v = page_view(s, variant, &mut rng, at, keep);
        let missed = v.first_render_us > budget_us;
        slow += missed as u64;
        bytes = bytes.saturating_add(v.bytes);
        third_party += v.third_party as u64;
        times.push(v.first_render_us);
        if keep {
            journeys.push(Journey {
                id: i as u32,
                hops: v.hops,
                fate: if missed { Fate::Failed } else { Fate::Ok },
            });
        }
    }
    let outcome = Outcome {
        failures: slow,
        out_of: views,
        metrics: vec![
            Metric {
                name: "KB per view",
                value: bytes / views.max(1) / 1_000,
                unit: "KB",
            },
            Metric {
                name: "p50 first render",
                value: percentile(&mut times, 50) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "p99 first render",
                value: percentile(&mut times, 99) / 1_000,
                unit: "ms",
            },
            Metric {
                name: "transferred",
                value: bytes / 1_000,
                unit: "KB",
            },
            Metric {
                name: "third-party connections",
                value: third_party,
                unit: "views",
            },
        ],
        events: views,
        capped: false,
    };
    Run {
        outcome,
        journeys,
        series: Vec::new(),
    }
}

impl Model for CdnUncompiledAssets {
    fn info(&self) -> &'static ModelInfo {
        &INFO
    }

    fn params_from_finding(&self, finding: &Finding) -> Params {
        let mut p = Params::default();
        if let Some(kb) = finding_number(finding, "asset_kb") {
            p.set("asset_kb", kb);
        }
        p
    }

    fn run(&self, settings: &Settings, variant: Variant, load: u64, seed: u64, trace: bool) -> Run {
        simulate(settings, variant, load.clamp(1, INFO.max_load), seed, trace)
    }

    fn summary(&self, settings: &Settings, load: u64, naive: &Outcome, fixed: &Outcome) -> String {
        let m = |o: &Outcome, name: &str| o.metric(name).unwrap_or(0);
        format!(
            "Over {load} page views on a {} kbit/s connection with {} ms round trips, the \
             {} KB framework from the CDN (plus its compile in the browser) put the first \
             render at {} ms at the median and {} ms at p99: {} of {} views missed the {} ms \
             budget, {} KB per view, {} KB in all. With {} KB of compiled CSS from the same \
             origin: {} ms median, {} ms p99, {} slow, {} KB per view.",
            settings.get("speed_kbps"),
            settings.get("rtt_ms"),
            settings.get("asset_kb"),
            m(naive, "p50 first render"),
            m(naive, "p99 first render"),
            naive.failures,
            naive.out_of,
            settings.get("budget_ms"),
            m(naive, "KB per view"),
            m(naive, "transferred"),
            settings.get("css_kb"),
            m(fixed, "p50 first render"),
            m(fixed, "p99 first render"),
            fixed.failures,
            m(fixed, "KB per view"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::finding_with;

    fn metric(o: &Outcome, name: &str) -> u64 {
        o.metric(name).unwrap_or(u64::MAX)
    }

    #[test]
    fn default_sweep_is_pinned() {
        let sw = sweep(&CdnUncompiledAssets, &Params::default(), 42, &[]);
        // Every first-time view on slow 4G misses the budget; returning visitors make it.
        assert_eq!(
            sw.column(|l| l.naive.failures),
            [0, 4, 9, 18, 38, 69, 135, 697]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "third-party connections")),
            [0, 4, 9, 18, 38, 69, 135, 697]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "p50 first render")),
            [1_138, 3_364, 3_548, 3_549, 3_532, 3_465, 3_443, 3_485]
        );
        assert_eq!(
            sw.column(|l| metric(&l.naive, "transferred")),
            [15, 1_275, 2_850, 5_700, 12_150, 22_200, 43_500, 224_100]
        );
        assert_eq!(sw.column(|l| l.fixed.failures), [0; 8]);
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "p99 first render")),
            [859, 1_043, 1_190, 1_195, 1_216, 1_230, 1_230, 1_233]
        );
        assert_eq!(
            sw.column(|l| metric(&l.fixed, "transferred")),
            [15, 105, 210, 430, 1_130, 2_280, 4_420, 22_030]
        );
        assert_eq!(sw.first_failing_load(), Some(5));
    }

    #[test]
    fn slow_start_and_line_rate() {
        // Slow 4G: 200 KB/s, 150 ms. 10 KB fits the first window: one round trip plus 50 ms.
        assert_eq!(fetch_us(10_000, 150_000, 200_000), 200_000);
        // 300 KB: 1.5 s on the wire, a round trip, and two waits for acknowledgements while
        // the window grows past the 30 KB the path carries per round trip.
        assert_eq!(fetch_us(300_000, 150_000, 200_000), 1_731_000);
        // A fast path the window never fills: the two rounds before the last one wait for
        // their acknowledgements (20 ms each, less the time their bytes took to send).
        assert_eq!(
            fetch_us(100_000, 20_000, 12_500_000),
            20_000 + 8_000 + (20_000 - 1_168) + (20_000 - 2_336)
        );
        assert_eq!(fetch_us(0, 1, 0), 1);
    }

    /// The bound the fix rests on: the slowest round trip and speed the settings allow, the
    /// largest CSS, no warm caches, the smallest budget, over many views and seeds.
    #[test]
    fn fixed_holds_at_the_slowest_corner() {
        let mut p = Params::default();
        p.set("rtt_ms", 200)
            .set("speed_kbps", 1_600)
            .set("css_kb", 30)
            .set("returning_pct", 0)
            .set("budget_ms", 2_500);
        let (s, notices) = Settings::resolve(&INFO, &p);
        assert!(notices.is_empty());
        for seed in 0..3 {
            let o = CdnUncompiledAssets
                .run(&s, Variant::Fixed, INFO.max_load, seed, false)
                .outcome;
            assert_eq!(o.failures, 0);
            assert!(metric(&o, "p99 first render") < 2_000);
        }
    }

    /// On a fast connection the CDN build still costs the bytes and the compile, but it
    /// renders within the budget.
    #[test]
    fn a_fast_connection_hides_it() {
        let mut p = Params::default();
        p.set("speed_kbps", 50_000).set("rtt_ms", 30);
        let sw = sweep(&CdnUncompiledAssets, &p, 42, &[1_000]);
        let l = &sw.levels[0];
        assert_eq!(l.naive.failures, 0);
        assert_eq!(metric(&l.naive, "transferred"), 224_100);
        assert!(metric(&l.naive, "p50 first render") > 2 * metric(&l.fixed, "p50 first render"));
    }

    #[test]
    fn journeys_go_through_the_cdn() {
        let s = Settings::defaults(&INFO);
        let naive = CdnUncompiledAssets.run(&s, Variant::Naive, 50, 42, true);
        for j in &naive.journeys {
            assert!(j.hops.windows(2).all(|w| w[0].end_us == w[1].start_us));
            let via_cdn = j.hops.iter().any(|h| h.stage == Stage::Dependency);
            assert_eq!(j.fate == Fate::Failed, via_cdn);
        }
        let fixed = CdnUncompiledAssets.run(&s, Variant::Fixed, 50, 42, true);
        assert!(fixed
            .journeys
            .iter()
            .all(|j| j.fate == Fate::Ok && j.hops.iter().all(|h| h.stage != Stage::Dependency)));
    }

    #[test]
    fn settings_from_a_finding() {
        let f = finding_with(
            "cdn-uncompiled-assets",
            &[("asset_kb", "1100"), ("integrity", "false")],
        );
        let p = CdnUncompiledAssets.params_from_finding(&f);
        assert_eq!(p.0.get("asset_kb"), Some(&1_100));
        assert_eq!(p.0.len(), 1);
    }
}
