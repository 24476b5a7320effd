//! Writes the bench's synthetic sources to files, for profiling them with the other examples:
//! `cargo run --release --no-default-features --example synthetic -- DIR`.
use hazard_lab::analyzer::Language;
use hazard_lab::bench::{mixed_source, synthetic_source};
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("a directory"));
    std::fs::create_dir_all(&dir).expect("a directory that can be created");
    for (lang, ext, lines) in [
        (Language::Python, "py", 1_000),
        (Language::Python, "py", 10_000),
        (Language::JavaScript, "js", 1_000),
    ] {
        let path = dir.join(format!("synthetic{lines}.{ext}"));
        std::fs::write(&path, synthetic_source(lang, lines)).expect("writable");
        println!("{}", path.display());
    }
    for (lang, ext) in [
        (Language::Python, "py"),
        (Language::JavaScript, "js"),
        (Language::TypeScript, "ts"),
        (Language::Go, "go"),
        (Language::Java, "java"),
        (Language::Sql, "sql"),
    ] {
        let path = dir.join(format!("mixed10000.{ext}"));
        std::fs::write(&path, mixed_source(lang, 10_000)).expect("writable");
        println!("{}", path.display());
    }
}
