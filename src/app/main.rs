//! The browser entry point that Trunk builds (see `index.html`).

fn main() {
    hazard_lab::app::mount()
}
