//! Ticket summaries: a model API call with no timeout.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "llm-call-no-timeout",
        title: "Model API call with no timeout",
        hazard: "no-timeout",
        story:
            "A support tool summarized tickets by calling a model API as if it were a fast REST \
                call, through an HTTP client with no timeout. Model calls take seconds when all is \
                well and can stall for minutes; during a 30-second stall at 5 requests per second, \
                every worker of both replicas sat waiting, and requests that never touched the \
                model timed out at the gateway too.",
        lesson: "Every outbound call gets a deadline shorter than the one your caller gives you.",
        snippets: &[
            Snippet {
                language: Language::Go,
                naive: include_str!("llm_no_timeout/naive.go"),
                fixed: include_str!("llm_no_timeout/fixed.go"),
            },
            Snippet {
                language: Language::Python,
                naive: include_str!("llm_no_timeout/naive.py"),
                fixed: include_str!("llm_no_timeout/fixed.py"),
            },
        ],
        preset: Preset {
            load: 5,
            seed: 42,
            params: &[
                ("dependency_ms", 3000),
                ("outage_s", 30),
                ("timeout_ms", 10000),
            ],
        },
    }
}
