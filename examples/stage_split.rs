//! Parse / lower / whole analysis of one file, natively (for tuning; not part of the tests):
//! `cargo run --release --no-default-features --example stage_split -- FILE`.
use hazard_lab::analyzer::{analyze, lower_only, parse_only, Language};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let src = std::fs::read_to_string(&path).expect("readable");
    let lang = Language::from_path(&path).expect("known extension");
    let time = |f: &dyn Fn()| {
        let t = Instant::now();
        for _ in 0..5 {
            f();
        }
        t.elapsed().as_secs_f64() * 200.0
    };
    let parse = time(&|| assert!(parse_only(&src, lang)));
    let lower = time(&|| drop(lower_only(&src, lang)));
    let all = time(&|| drop(analyze(&src, Some(lang))));
    println!("{path}: parse {parse:.1} ms, parse+lower {lower:.1} ms, analyze {all:.1} ms");
}
