//! The code editor: a transparent `<textarea>` laid exactly over a `<pre>` holding the
//! coloured text, with a line-number gutter that marks the lines a finding points at.
//!
//! The `<pre>` is built with text nodes only (never HTML). An edit re-lexes and replaces only
//! the lines it changed ([`LineColours`]), and marks touch only the lines whose mark changed,
//! so typing in a long file stays cheap.

use crate::analyzer::highlight::{LineColours, LineTokens};
use crate::analyzer::{Language, MAX_INPUT_BYTES, MAX_INPUT_LINES};
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use wasm_bindgen::JsCast;

/// Colouring (and line marks) stop above these sizes, well inside the analyser's own bounds:
/// the browser's layout of a huge coloured `<pre>` would make typing lag. The textarea then
/// shows its own text.
const COLOUR_MAX_BYTES: usize = 200_000;
const COLOUR_MAX_LINES: usize = 5_000;

/// How a line is marked: the finding's hazard id and a short note for the tooltip.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LineMark {
    pub hazard: String,
    pub note: String,
}

/// Line number (1-based) → mark.
pub type Marks = BTreeMap<usize, LineMark>;

/// Whether `text` is small enough to colour: never above the analyser's input bounds.
pub fn should_colour(text: &str) -> bool {
    let max_bytes = COLOUR_MAX_BYTES.min(MAX_INPUT_BYTES);
    let max_lines = COLOUR_MAX_LINES.min(MAX_INPUT_LINES);
    text.len() <= max_bytes && text.split('\n').count() <= max_lines
}

#[component]
pub fn Editor(
    /// The text; the editor writes it on every input.
    code: RwSignal<String>,
    /// The language used for colouring.
    #[prop(into)]
    language: Signal<Language>,
    /// Lines to underline and mark in the gutter.
    #[prop(into)]
    marks: Signal<Marks>,
    /// Called after every edit (the owner debounces the analysis).
    on_edit: Callback<()>,
    /// Ctrl/Cmd+Enter: analyse now.
    on_run_now: Callback<()>,
    textarea: NodeRef<html::Textarea>,
) -> impl IntoView {
    let pre: NodeRef<html::Pre> = NodeRef::new();
    let gutter: NodeRef<html::Div> = NodeRef::new();
    let state = StoredValue::new_local(RenderState::default());
    // True when the text is shown plain by the textarea itself (too large to colour).
    let plain = RwSignal::new(false);

    let sync_scroll = move || {
        if let (Some(ta), Some(pre), Some(gutter)) = (
            textarea.get_untracked(),
            pre.get_untracked(),
            gutter.get_untracked(),
        ) {
            pre.set_scroll_top(ta.scroll_top());
            pre.set_scroll_left(ta.scroll_left());
            gutter.set_scroll_top(ta.scroll_top());
        }
    };

    // Re-render whenever the text, the language or the marks change.
    Effect::new(move |_| {
        let lang = language.get();
        let line_marks = marks.get();
        let (Some(pre_el), Some(gutter_el)) = (pre.get(), gutter.get()) else {
            return;
        };
        code.with(|text| {
            let colour = should_colour(text);
            plain.set(!colour);
            if colour {
                state.update_value(|s| s.render_coloured(&pre_el, text, lang, &line_marks));
            } else {
                state.update_value(|s| s.render_plain(&pre_el));
            }
            // No gutter for text too large to colour: its layout alone would make typing lag.
            let gutter_lines = if colour { text.split('\n').count() } else { 0 };
            state.update_value(|s| s.render_gutter(&gutter_el, gutter_lines, &line_marks));
        });
        // Sync after the browser's next layout instead of forcing one here.
        request_animation_frame(sync_scroll);
    });

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            on_run_now.run(());
        }
    };

    view! {
        <div class="editor" class:plain=move || plain.get()>
            <div class="gutter" aria-hidden="true" node_ref=gutter></div>
            <div class="code-area">
                <pre class="code-layer" aria-hidden="true" node_ref=pre></pre>
                <textarea
                    id="editor"
                    class="code-input"
                    aria-label="Code"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    node_ref=textarea
                    prop:value=code.get_untracked()
                    on:input=move |ev| {
                        code.set(event_target_value(&ev));
                        on_edit.run(());
                    }
                    on:scroll=move |_| sync_scroll()
                    on:keydown=on_keydown
                ></textarea>
            </div>
        </div>
    }
}

/// One rendered line of the `<pre>`: a hash of its tokens, whether it is marked, and its
/// element.
struct RenderedLine {
    key: u64,
    marked: bool,
    el: web_sys::Element,
}

#[derive(Default)]
struct RenderState {
    /// The lexer's view of the text, which says which lines an edit changed.
    colours: LineColours,
    /// `None` when the `<pre>` holds the plain-text rendering.
    lines: Option<Vec<RenderedLine>>,
    /// The `<code>` element holding the line elements in coloured mode.
    code_el: Option<web_sys::Element>,
    /// The gutter as drawn: a hash of its marks, its line count, and the text node holding
    /// the numbers after the last marked line.
    gutter_marks: Option<u64>,
    gutter_count: usize,
    gutter_tail: Option<web_sys::Text>,
    /// The first number in `gutter_tail`.
    gutter_tail_from: usize,
}

fn hash_of(v: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

impl RenderState {
    /// Empties the `<pre>`: the textarea shows the text itself (CSS `.editor.plain`).
    fn render_plain(&mut self, pre: &web_sys::HtmlPreElement) {
        if self.lines.is_some() || pre.first_child().is_some() {
            pre.set_text_content(None);
        }
        self.lines = None;
        self.code_el = None;
    }

    /// Replaces the lines an edit changed, then marks the lines findings point at.
    fn render_coloured(
        &mut self,
        pre: &web_sys::HtmlPreElement,
        text: &str,
        lang: Language,
        marks: &Marks,
    ) {
        let doc = document();
        if self.lines.is_none() || self.code_el.is_none() {
            pre.set_text_content(None);
            let Ok(code_el) = doc.create_element("code") else {
                return;
            };
            let _ = pre.append_child(&code_el);
            self.code_el = Some(code_el);
            self.lines = Some(Vec::new());
            // The `<pre>` is empty: colour everything.
            self.colours = LineColours::default();
        }
        let (Some(code_el), Some(old)) = (self.code_el.clone(), self.lines.as_mut()) else {
            return;
        };
        let change = self.colours.update(text, lang);
        let first = change.first.min(old.len());
        let end = (first + change.removed).min(old.len());
        let keys: Vec<u64> = change.lines.iter().map(hash_of).collect();
        // Inside the changed range, keep the lines that come out the same at either end.
        let same_head = old[first..end]
            .iter()
            .zip(&keys)
            .take_while(|(o, k)| o.key == **k)
            .count();
        let same_tail = old[first + same_head..end]
            .iter()
            .rev()
            .zip(keys[same_head..].iter().rev())
            .take_while(|(o, k)| o.key == **k)
            .count();
        let (from, to) = (first + same_head, end - same_tail);
        for line in old.drain(from..to) {
            line.el.remove();
        }
        let before = old.get(from).map(|l| l.el.clone());
        let fresh = &change.lines[same_head..change.lines.len() - same_tail];
        let mut inserted = Vec::with_capacity(fresh.len());
        for (tokens, key) in fresh.iter().zip(&keys[same_head..]) {
            let Some(el) = build_line(&doc, tokens) else {
                // Lines and elements would no longer match: rebuild everything next time.
                self.lines = None;
                return;
            };
            let _ = code_el.insert_before(
                &el,
                before.as_ref().map(|e| e.unchecked_ref::<web_sys::Node>()),
            );
            inserted.push(RenderedLine {
                key: *key,
                marked: false,
                el,
            });
        }
        old.splice(from..from, inserted);
        // Marks follow line numbers; only lines whose mark changed are touched.
        for (i, line) in old.iter_mut().enumerate() {
            let marked = marks.contains_key(&(i + 1));
            if line.marked != marked {
                line.el
                    .set_class_name(if marked { "line hazard-line" } else { "line" });
                line.marked = marked;
            }
        }
    }

    fn render_gutter(&mut self, gutter: &web_sys::HtmlDivElement, count: usize, marks: &Marks) {
        let marks_key = hash_of(marks);
        // Typing Enter or joining lines changes only the count: rewrite the numbers after the
        // last marked line (one text node) instead of rebuilding a thousand-line gutter.
        if let Some(tail) = &self.gutter_tail {
            let last_mark = marks.keys().next_back().copied().unwrap_or(0);
            if self.gutter_marks == Some(marks_key)
                && self.gutter_tail_from == last_mark + 1
                && count >= last_mark
            {
                if self.gutter_count != count {
                    tail.set_data(&numbers(last_mark + 1, count));
                    self.gutter_count = count;
                }
                return;
            }
        }
        self.gutter_marks = Some(marks_key);
        self.gutter_count = count;
        let doc = document();
        gutter.set_text_content(None);
        let Ok(inner) = doc.create_element("div") else {
            self.gutter_tail = None;
            return;
        };
        inner.set_class_name("gutter-inner");
        let mut next = 1;
        // `1..count + 1`, not `1..=count`: a range from 1 to 0 would panic (no gutter).
        for (&n, mark) in marks.range(1..count + 1) {
            let _ = inner.append_child(&doc.create_text_node(&numbers(next, n - 1)));
            if let Ok(span) = doc.create_element("span") {
                span.set_class_name("marker");
                let _ = span.set_attribute("data-line", &n.to_string());
                let _ = span.set_attribute("title", &format!("{}: {}", mark.hazard, mark.note));
                span.set_text_content(Some(&n.to_string()));
                let _ = inner.append_child(&span);
            }
            // The marker's own line break.
            let _ = inner.append_child(&doc.create_text_node("\n"));
            next = n + 1;
        }
        let tail = doc.create_text_node(&numbers(next, count));
        let _ = inner.append_child(&tail);
        self.gutter_tail_from = next;
        let _ = gutter.append_child(&inner);
        self.gutter_tail = Some(tail);
    }
}

/// Line numbers `from..=to`, one per line ("" when the range is empty).
fn numbers(from: usize, to: usize) -> String {
    let mut out = String::new();
    for n in from..=to {
        out.push_str(&n.to_string());
        out.push('\n');
    }
    out
}

fn build_line(doc: &web_sys::Document, tokens: &LineTokens) -> Option<web_sys::Element> {
    let line = doc.create_element("span").ok()?;
    line.set_class_name("line");
    if tokens.is_empty() {
        let _ = line.append_child(&doc.create_text_node(" "));
    }
    for (kind, text) in tokens {
        let class = kind.css_class();
        if class.is_empty() {
            let _ = line.append_child(&doc.create_text_node(text));
        } else {
            let span = doc.create_element("span").ok()?;
            span.set_class_name(class);
            span.set_text_content(Some(text));
            let _ = line.append_child(&span);
        }
    }
    Some(line)
}

/// Selects lines `start..=end` (1-based) of the textarea, focuses it and scrolls them into view.
pub fn select_lines(textarea: &web_sys::HtmlTextAreaElement, start: usize, end: usize) {
    let text = textarea.value();
    let mut offset = 0u32; // UTF-16 code units, as the DOM counts
    let (mut sel_start, mut sel_end) = (None, None);
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let len = line.encode_utf16().count() as u32;
        if n == start {
            sel_start = Some(offset);
        }
        if n == end {
            sel_end = Some(offset + len);
            break;
        }
        offset += len + 1;
    }
    let (Some(s), e) = (sel_start, sel_end) else {
        return;
    };
    let e = e.unwrap_or(offset);
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(s, e);
    // Scroll so the first selected line sits a little below the top.
    let line_height = web_sys::window()
        .and_then(|w| w.get_computed_style(textarea).ok().flatten())
        .and_then(|st| st.get_property_value("line-height").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(20.0);
    let top = ((start.saturating_sub(3)) as f64 * line_height) as i32;
    textarea.set_scroll_top(top);
}
