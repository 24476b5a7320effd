//! Splits analysis time into lowering (parse + facts) and the whole analysis, per language
//! (for tuning; not part of the tests).
use hazard_lab::analyzer::Language;
use std::time::Instant;
fn main() {
    for lang in [Language::Python, Language::JavaScript] {
        let src = hazard_lab::bench::synthetic_source(lang, 1000);
        let t = Instant::now();
        for _ in 0..10 {
            hazard_lab::analyzer::lower_only(&src, lang);
        }
        let lower = t.elapsed().as_secs_f64() * 100.0;
        let t = Instant::now();
        for _ in 0..10 {
            hazard_lab::analyzer::analyze(&src, Some(lang)).unwrap();
        }
        let all = t.elapsed().as_secs_f64() * 100.0;
        println!("{lang:?}: lower {lower:.2} ms, analyze {all:.2} ms");
    }
}
