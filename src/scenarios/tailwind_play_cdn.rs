//! Tailwind Play CDN in production: the whole framework, compiled in every visitor's browser.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "tailwind-play-cdn",
        title: "Tailwind from the Play CDN, in production",
        hazard: "cdn-uncompiled-assets",
        story: "The pages shipped with Tailwind's Play CDN script, the development build that \
                generates the CSS in the browser: about 300 KB fetched from a third-party host \
                and compiled on every new visitor's device. On a slow mobile connection, 69 of \
                100 page views took longer than 2.5 s to first render (median 3.5 s); the \
                compiled, purged stylesheet, around 10 KB, rendered in about 1.1 s.",
        lesson: "Compile CSS at build time and serve the small file yourself; the Play CDN is for prototypes.",
        snippets: &[
            Snippet {
                language: Language::Html,
                naive: include_str!("tailwind_play_cdn/naive.html"),
                fixed: include_str!("tailwind_play_cdn/fixed.html"),
            },
            Snippet {
                language: Language::TypeScript,
                naive: include_str!("tailwind_play_cdn/naive.tsx"),
                fixed: include_str!("tailwind_play_cdn/fixed.tsx"),
            },
        ],
        preset: Preset {
            load: 100,
            seed: 42,
            params: &[
                ("asset_kb", 300),
                ("compile_ms", 250),
                ("css_kb", 10),
                ("speed_kbps", 1600),
                ("rtt_ms", 150),
                ("returning_pct", 30),
                ("budget_ms", 2500),
            ],
        },
    }
}
