//! The analyzer's Web Worker (Trunk builds it as a second module; see `index.html`).
//!
//! It answers [`hazard_lab::wire::Request`]s with [`hazard_lab::wire::Response`]s, as JSON
//! text. Keeping tree-sitter and its grammars here keeps them out of the page's own module:
//! the page is interactive before they arrive, and analysis never blocks typing.

use hazard_lab::wire::{self, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let clock = reply_to.performance();
        let now = move || clock.as_ref().map_or(0.0, |p| p.now());
        let response = match ev.data().as_string() {
            Some(text) => wire::answer(&text, &now),
            None => Response::Invalid {
                reason: "expected a JSON string".into(),
            },
        };
        let _ = reply_to.post_message(&JsValue::from_str(&response.to_json()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The closure lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(&Response::Ready.to_json()));
}
