//! Splits analysis time into parsing and the rest (for tuning; not part of the tests).
use hazard_lab::analyzer::Language;
use std::time::Instant;
fn main() {
    for lang in Language::ALL {
        let src = hazard_lab::bench::synthetic_source(lang, 1000);
        let mut p = tree_sitter::Parser::new();
        let l: tree_sitter::Language = match lang {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        };
        p.set_language(&l).unwrap();
        let t = Instant::now();
        for _ in 0..10 {
            p.parse(&src, None).unwrap();
        }
        let parse = t.elapsed().as_secs_f64() * 100.0;
        let t = Instant::now();
        for _ in 0..10 {
            hazard_lab::analyzer::analyze(&src, Some(lang)).unwrap();
        }
        let all = t.elapsed().as_secs_f64() * 100.0;
        println!("{lang:?}: parse {parse:.2} ms, analyze {all:.2} ms");
    }
}
