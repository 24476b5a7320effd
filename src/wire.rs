//! The messages between the page and the analyzer's Web Worker, as JSON text.
//!
//! The page's own WebAssembly module holds the interface and the simulator; the analyzer
//! (tree-sitter and its grammars, most of the download) is a second module loaded in a
//! worker after the page is interactive, so a long analysis never blocks typing. This
//! module is plain Rust: both sides and the native tests share it.

use serde::{Deserialize, Serialize};

use crate::analyzer::{self, Analysis, AnalyzeError, Language};

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Request {
    /// Analyse `code`; the answer carries the same `id` (the page drops stale answers).
    Analyze {
        id: u64,
        code: String,
        language: Option<Language>,
    },
    /// Run the analyzer benchmarks (`?bench`) with the worker's clock.
    Bench,
    /// Panic on purpose (`?worker-panic-test`): checks that a worker that stops is reported
    /// and replaced. Only the page can post to its worker, so this hook is harmless.
    PanicTest,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Response {
    /// The worker has loaded and takes requests.
    Ready,
    Analysis {
        id: u64,
        result: Result<Analysis, AnalyzeError>,
    },
    Bench {
        rows: Vec<crate::bench::BenchRow>,
    },
    /// A message the worker could not read (a bug on the page's side, never user input).
    Invalid {
        reason: String,
    },
}

impl Request {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Response {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!("{{\"kind\":\"invalid\",\"reason\":\"unserialisable answer: {e}\"}}")
        })
    }

    pub fn from_json(text: &str) -> Result<Response, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// What the worker does with one message. `now` is the worker's clock in milliseconds.
pub fn answer(message: &str, now: &dyn Fn() -> f64) -> Response {
    match serde_json::from_str::<Request>(message) {
        Ok(Request::Analyze { id, code, language }) => Response::Analysis {
            id,
            result: analyzer::analyze_within(&code, language, now, analyzer::PARSE_BUDGET_MS),
        },
        Ok(Request::Bench) => Response::Bench {
            rows: crate::bench::analyzer_rows(now),
        },
        Ok(Request::PanicTest) => {
            panic!("worker-panic-test: a deliberate panic in the analyzer worker")
        }
        Err(e) => Response::Invalid {
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(request: &Request) -> Response {
        let reply = answer(&request.to_json(), &|| 0.0).to_json();
        Response::from_json(&reply).expect("the page reads what the worker writes")
    }

    #[test]
    fn an_analysis_survives_the_trip_unchanged() {
        let code = include_str!("scenarios/seat_booking/naive.py");
        let direct = analyzer::analyze(code, None);
        assert!(direct.as_ref().is_ok_and(|a| !a.findings.is_empty()));
        let got = round_trip(&Request::Analyze {
            id: 7,
            code: code.into(),
            language: None,
        });
        assert_eq!(
            got,
            Response::Analysis {
                id: 7,
                result: direct
            }
        );
    }

    #[test]
    fn errors_travel_as_errors() {
        let got = round_trip(&Request::Analyze {
            id: 1,
            code: "   ".into(),
            language: Some(Language::Go),
        });
        assert_eq!(
            got,
            Response::Analysis {
                id: 1,
                result: Err(AnalyzeError::Empty)
            }
        );
    }

    #[test]
    fn damaged_messages_are_answered_not_fatal() {
        for bad in [
            "",
            "{",
            "null",
            "{\"kind\":\"analyze\"}",
            "{\"kind\":\"nope\"}",
        ] {
            assert!(
                matches!(answer(bad, &|| 0.0), Response::Invalid { .. }),
                "{bad}"
            );
        }
        let unknown = r#"{"kind":"analysis","id":1,"result":{"Ok":{"language":"go","detected":false,"syntax_errors":false,"lines":1,"findings":[{"hazard":"made-up","severity":"error","span":{"start_line":1,"start_col":1,"end_line":1,"end_col":1},"message":"","fix":"","evidence":[],"params":{}}]}}}"#;
        assert!(Response::from_json(unknown).is_err());
    }
}
