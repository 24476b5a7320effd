//! Yearly report: 45 seconds of work inside the request, a 30-second gateway in front.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "yearly-report-504",
        title: "Yearly report built inside the request",
        hazard: "sync-long-task",
        story: "An admin button built the yearly orders spreadsheet inside the request: about \
                45 seconds with production data. The gateway in front of the app gives up after \
                30 seconds, so the very first click came back as a 504 Gateway Timeout while the \
                server kept working, and each retry started another copy and held another worker. \
                The fix put the work on a task queue with retries and let the page poll for the result.",
        lesson: "Answer 202 with a job id at once, do the work in a worker, and let the client poll.",
        snippets: &[
            Snippet {
                language: Language::Python,
                naive: include_str!("report_export/naive.py"),
                fixed: include_str!("report_export/fixed.py"),
            },
            Snippet {
                language: Language::JavaScript,
                naive: include_str!("report_export/naive.js"),
                fixed: include_str!("report_export/fixed.js"),
            },
        ],
        preset: Preset {
            load: 5,
            seed: 42,
            params: &[("duration_s", 45), ("gateway_timeout_s", 30)],
        },
    }
}
