//! Panics become a visible message instead of a blank page.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Logs panics to the console and shows them in `#app-error`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Adds `<div id="app-error" role="alert">` with the message and a Reload button.
/// Built with plain DOM calls and text nodes: it must work while the app is broken.
pub fn show(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("app-error").is_some() {
        return;
    }
    let Some(body) = doc.body() else {
        return;
    };
    // Save the editor's text as it is now (the debounced save may not have run yet).
    if let Some(ta) = doc
        .get_element_by_id("editor")
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        let mut saved = super::storage::load();
        saved.code = ta.value();
        let _ = super::storage::save(&saved);
    }
    let build = || -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let div = doc.create_element("div")?;
        div.set_id("app-error");
        div.set_attribute("role", "alert")?;
        let title = doc.create_element("strong")?;
        title.set_text_content(Some("Hazard Lab stopped because of an internal error."));
        let msg = doc.create_element("pre")?;
        msg.set_text_content(Some(message));
        let note = doc.create_element("p")?;
        note.set_text_content(Some(
            "Your code is saved in this browser; reloading the page brings it back.",
        ));
        let button: web_sys::HtmlElement = doc.create_element("button")?.dyn_into()?;
        button.set_attribute("type", "button")?;
        button.set_id("app-error-reload");
        button.set_text_content(Some("Reload"));
        let reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        button.set_onclick(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        // The report names the build, the browser and the message; never the code.
        let report = format!(
            "Hazard Lab {} internal error\nBrowser: {}\n\n{}",
            env!("CARGO_PKG_VERSION"),
            web_sys::window()
                .and_then(|w| w.navigator().user_agent().ok())
                .unwrap_or_default(),
            message
        );
        let copy: web_sys::HtmlElement = doc.create_element("button")?.dyn_into()?;
        copy.set_attribute("type", "button")?;
        copy.set_id("app-error-copy");
        copy.set_text_content(Some("Copy report"));
        let copy_button = copy.clone();
        let on_copy = Closure::<dyn FnMut()>::new(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&report);
            }
            copy_button.set_text_content(Some("Report copied"));
        });
        copy.set_onclick(Some(on_copy.as_ref().unchecked_ref()));
        on_copy.forget();
        div.append_child(&title)?;
        div.append_child(&msg)?;
        div.append_child(&note)?;
        div.append_child(&copy)?;
        div.append_child(&button)?;
        Ok(div)
    };
    if let Ok(div) = build() {
        let _ = body.insert_before(&div, body.first_child().as_ref());
    }
}
