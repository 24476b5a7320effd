//! Prints the functions, calls, assignments and operations lowered from a file (for debugging rules):
//! `cargo run --release --no-default-features --example dump_facts -- FILE`.
use hazard_lab::analyzer::{lower_only, Language};
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let src = std::fs::read_to_string(&path).expect("readable");
    let lang = Language::from_path(&path).expect("known extension");
    let program = lower_only(&src, lang);
    for f in &program.functions {
        println!(
            "fn {} (line {}) parent {:?} params {:?} decorators {:?}",
            f.name, f.loc.span.start_line, f.parent, f.params, f.decorators
        );
        for c in &f.calls {
            println!(
                "  call line {} receiver {:?} method {:?} args {}",
                c.loc.span.start_line,
                c.receiver,
                c.method,
                c.args.len()
            );
        }
        for a in &f.assigns {
            println!(
                "  assign line {} {:?} = {:?}",
                a.loc.span.start_line,
                a.names,
                a.value.chars().take(80).collect::<String>()
            );
        }
        for o in &f.ops {
            println!("  op line {} {:?}", o.loc.span.start_line, o.kind);
        }
    }
}
