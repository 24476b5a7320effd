//! Times each rule on a file (for finding slow rules): `cargo run --release --example rule_times -- FILE`.
use hazard_lab::analyzer::{lower_only, rules, Language};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let src = std::fs::read_to_string(&path).expect("readable");
    let lang = Language::from_path(&path).expect("known extension");
    let program = lower_only(&src, lang);
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64() * 1000.0;
    let (_, mut times) = rules::run_timed(&program, &src, lang, &now);
    times.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = times.iter().map(|t| t.1).sum();
    println!("{:<32} {total:8.2} ms", "all rules");
    for (id, ms) in times.iter().take(8) {
        println!("{id:<32} {ms:8.2} ms");
    }
}
