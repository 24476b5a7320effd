//! GIL-bound sessions: sixteen threads, one core's worth of Python.

use super::{Preset, Scenario, Snippet};
use crate::analyzer::Language;

pub fn scenario() -> Scenario {
    Scenario {
        id: "gil-bound-sessions",
        title: "MCP router: sixteen threads, one GIL",
        hazard: "threads-for-cpu-in-python",
        story: "A router for parallel MCP sessions ranked tools for each message in pure Python, \
                on a pool of 16 threads. One session was fast; with dozens in parallel the GIL let \
                one thread run at a time, so 4 cores did the work of one. At 32 sessions, 158 of \
                160 tasks missed their 1 s deadline and the slowest took 11 s. The team rewrote it \
                in Go; in Python, a process per core keeps every task near 150 ms.",
        lesson: "CPU-bound Python runs in processes, not threads: ProcessPoolExecutor, one worker per core.",
        snippets: &[Snippet {
            language: Language::Python,
            naive: include_str!("gil_bound_sessions/naive.py"),
            fixed: include_str!("gil_bound_sessions/fixed.py"),
        }],
        preset: Preset {
            load: 32,
            seed: 42,
            params: &[
                ("task_ms", 100),
                ("threads", 16),
                ("cores", 4),
                ("deadline_ms", 1000),
                ("tasks_per_session", 5),
                ("interval_ms", 1000),
            ],
        },
    }
}
