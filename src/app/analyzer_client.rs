//! The page's side of the analyzer's Web Worker (`src/worker/main.rs`, messages in
//! [`crate::wire`]). Only the latest request matters: answers to older ones are dropped, and
//! a request made before the worker is ready waits (replacing any older one).
//!
//! A worker that fails to load, or stops on an input (a panic aborts the worker, not the
//! page), is reported in words; the next edit starts a fresh worker, and the input that
//! stopped it is not sent again by itself.

use std::cell::RefCell;
use std::rc::Rc;

use crate::analyzer::{self, AnalyzeError, Language};
use crate::bench::BenchRow;
use crate::wire::{Request, Response};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::findings::AnalysisState;

/// Trunk writes the worker's loader under this fixed name (`data-loader-shim` in index.html).
const LOADER: &str = "hazard-lab-analyzer_loader.js";

/// An analysis still running after this long is stopped (the worker is replaced): a few
/// adversarial inputs make tree-sitter's parser take tens of seconds, and a person is better
/// served by a message than by a status that never changes. Ordinary code takes milliseconds.
const BUDGET_MS: u32 = 10_000;

/// `?analysis-budget-ms=N`, for the end-to-end test of a stopped analysis.
fn budget_from_query() -> Option<u32> {
    super::query_param("analysis-budget-ms")?
        .parse()
        .ok()
        .filter(|&ms| ms > 0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerState {
    Loading,
    Ready,
    /// Failed to load or stopped; the message is for the person.
    Failed,
}

struct Inner {
    worker: Option<Worker>,
    state: WorkerState,
    latest_id: u64,
    /// The request waiting for the worker to become ready, and whether it is timed.
    waiting: Option<(String, bool)>,
    /// Fires when the analysis in flight has run past `budget_ms`.
    watchdog: Option<gloo_timers::callback::Timeout>,
    /// [`BUDGET_MS`], or `?analysis-budget-ms=N` (the end-to-end test of the stop).
    budget_ms: u32,
    on_bench: Option<Box<dyn FnOnce(Vec<BenchRow>)>>,
}

/// Handle to the worker; cheap to clone into closures.
#[derive(Clone)]
pub struct AnalyzerClient {
    inner: Rc<RefCell<Inner>>,
    analysis: RwSignal<AnalysisState>,
    state: RwSignal<WorkerState>,
    problem: RwSignal<Option<String>>,
}

impl AnalyzerClient {
    /// Starts the worker. Answers land in `analysis`.
    pub fn start(analysis: RwSignal<AnalysisState>) -> AnalyzerClient {
        let client = AnalyzerClient {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                state: WorkerState::Loading,
                latest_id: 0,
                waiting: None,
                watchdog: None,
                budget_ms: budget_from_query().unwrap_or(BUDGET_MS),
                on_bench: None,
            })),
            analysis,
            state: RwSignal::new(WorkerState::Loading),
            problem: RwSignal::new(None),
        };
        client.spawn();
        client
    }

    /// Loading, ready or failed, for the status line.
    pub fn state(&self) -> Signal<WorkerState> {
        self.state.into()
    }

    /// Why the analyzer is not answering, when it is not.
    pub fn problem(&self) -> Signal<Option<String>> {
        self.problem.into()
    }

    fn set_state(&self, state: WorkerState, problem: Option<String>) {
        self.inner.borrow_mut().state = state;
        self.state.set(state);
        self.problem.set(problem);
    }

    fn spawn(&self) {
        let url = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .and_then(|base| web_sys::Url::new_with_base(LOADER, &base).ok())
            .map(|u| u.href())
            .unwrap_or_else(|| LOADER.to_string());
        let worker = match Worker::new(&url) {
            Ok(w) => w,
            Err(e) => {
                let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                self.set_state(
                    WorkerState::Failed,
                    Some(format!(
                        "The analyzer could not start in this browser ({why})."
                    )),
                );
                return;
            }
        };
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                me.receive(&text);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let me = self.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            me.crashed(&ev.message());
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner.state = WorkerState::Loading;
        drop(inner);
        self.state.set(WorkerState::Loading);
    }

    fn crashed(&self, message: &str) {
        let was_ready = self.inner.borrow().state == WorkerState::Ready;
        self.inner.borrow_mut().watchdog = None;
        if let Some(w) = self.inner.borrow_mut().worker.take() {
            w.terminate();
        }
        let text = if was_ready {
            "The analyzer stopped on this code (an internal error, reported in the console). \
             The rest of the page keeps working; edit the code to analyse again."
                .to_string()
        } else {
            let detail = if message.is_empty() {
                String::new()
            } else {
                format!(" ({message})")
            };
            format!(
                "The analyzer could not be loaded{detail}. Check that the site's files are all \
                 served (hazard-lab-analyzer*.js and .wasm) and reload."
            )
        };
        web_sys::console::error_1(&JsValue::from_str(&format!("analyzer worker: {message}")));
        self.set_state(WorkerState::Failed, Some(text));
    }

    fn receive(&self, text: &str) {
        match Response::from_json(text) {
            Ok(Response::Ready) => {
                let waiting = {
                    let mut inner = self.inner.borrow_mut();
                    inner.state = WorkerState::Ready;
                    inner.waiting.take()
                };
                self.state.set(WorkerState::Ready);
                self.problem.set(None);
                if let Some((msg, timed)) = waiting {
                    self.post(&msg, timed);
                }
            }
            Ok(Response::Analysis { id, result }) => {
                if id == self.inner.borrow().latest_id {
                    self.inner.borrow_mut().watchdog = None;
                    self.analysis.set(Some(result));
                }
            }
            Ok(Response::Bench { rows }) => {
                let done = self.inner.borrow_mut().on_bench.take();
                if let Some(done) = done {
                    done(rows);
                }
            }
            Ok(Response::Invalid { reason }) => {
                web_sys::console::error_1(&JsValue::from_str(&format!(
                    "analyzer worker: {reason}"
                )));
            }
            Err(e) => {
                web_sys::console::error_1(&JsValue::from_str(&format!("analyzer answer: {e}")));
            }
        }
    }

    fn post(&self, message: &str, timed: bool) {
        let posted = {
            let inner = self.inner.borrow();
            inner
                .worker
                .as_ref()
                .is_some_and(|w| w.post_message(&JsValue::from_str(message)).is_ok())
        };
        if posted && timed {
            let me = self.clone();
            let budget = self.inner.borrow().budget_ms;
            let dog = gloo_timers::callback::Timeout::new(budget, move || me.too_slow());
            self.inner.borrow_mut().watchdog = Some(dog);
        }
    }

    /// The analysis in flight ran past the budget: stop the worker; the next edit starts a
    /// fresh one.
    fn too_slow(&self) {
        let (worker, budget) = {
            let mut inner = self.inner.borrow_mut();
            inner.watchdog = None;
            (inner.worker.take(), inner.budget_ms)
        };
        if let Some(w) = worker {
            w.terminate();
        }
        self.analysis.set(None);
        self.set_state(
            WorkerState::Failed,
            Some(format!(
                "Analysing this code took longer than {} s, so it was stopped (very deep nesting \
                 or long repetitive text can make the parser slow). Edit the code, or paste the \
                 part you care about.",
                f64::from(budget) / 1000.0
            )),
        );
    }

    /// Sends the request now, or keeps it until the worker is ready (restarting a worker
    /// that stopped). `timed`: the analysis budget applies.
    fn send(&self, message: String, timed: bool) {
        let state = self.inner.borrow().state;
        match state {
            WorkerState::Ready => self.post(&message, timed),
            WorkerState::Loading => self.inner.borrow_mut().waiting = Some((message, timed)),
            WorkerState::Failed => {
                self.inner.borrow_mut().waiting = Some((message, timed));
                self.spawn();
            }
        }
    }

    /// Analyses `code`. Input over the documented caps is refused here at once, without a
    /// round trip (the worker would refuse it the same way).
    pub fn analyze(&self, code: &str, language: Option<Language>) {
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.latest_id += 1;
            inner.latest_id
        };
        if let Err(e) = analyzer::check_input(code) {
            self.analysis.set(Some(Err::<_, AnalyzeError>(e)));
            return;
        }
        self.send(
            Request::Analyze {
                id,
                code: code.to_string(),
                language,
            }
            .to_json(),
            true,
        );
    }

    /// Makes the worker panic (`?worker-panic-test`), for the recovery test.
    pub fn panic_test(&self) {
        self.send(Request::PanicTest.to_json(), false);
    }

    /// Runs the analyzer benchmarks in the worker (`?bench`).
    pub fn bench(&self, done: impl FnOnce(Vec<BenchRow>) + 'static) {
        self.inner.borrow_mut().on_bench = Some(Box::new(done));
        self.send(Request::Bench.to_json(), false);
    }
}
