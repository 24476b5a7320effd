//! Preview workers: a map of warm workers that only ever grows.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "orphaned-preview-workers",
        title: "Warm workers kept per session, never released",
        hazard: "unbounded-cache",
        story: "A preview service kept one warm render worker per editing session in a map, so \
                the next preview would be fast. Nothing ever removed an entry: memory climbed \
                about 45 MB an hour whatever the traffic, and after 8 hours 480 workers had been \
                started and none stopped. The heap profiler showed nothing, because each worker \
                has its own heap; the 512 MB container was killed a couple of hours later.",
        lesson: "Every process-level map needs a bound and an eviction that also releases what it holds.",
        snippets: &[Snippet {
            language: Language::JavaScript,
            naive: include_str!("preview_workers/naive.js"),
            fixed: include_str!("preview_workers/fixed.js"),
        }],
        preset: Preset {
            load: 10,
            seed: 42,
            params: &[
                ("growth_mb_per_hour", 45),
                ("new_keys_per_hour", 60),
                ("limit_mb", 512),
            ],
        },
    }
}
