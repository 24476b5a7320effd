//! The gallery's promises, checked against the real analyzer and simulator: every naive
//! snippet shows its scenario's hazard, every fixed one shows none, and each preset makes
//! the naive variant fail while the fixed one holds.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use hazard_lab::analyzer::analyze;
use hazard_lab::analyzer::rules;
use hazard_lab::scenarios::{self, Scenario};
use hazard_lab::sim::model::{Params, Settings};
use hazard_lab::sim::models::model_for;
use hazard_lab::sim::Variant;

fn params_of(sc: &Scenario) -> Params {
    let mut p = Params::default();
    for (name, value) in sc.preset.params {
        p.set(name, *value);
    }
    p
}

#[test]
fn naive_snippets_show_their_hazard_and_fixed_ones_none() {
    let mut problems = Vec::new();
    for sc in scenarios::all() {
        for sn in sc.snippets {
            let naive = analyze(sn.naive, Some(sn.language)).expect("naive code analyses");
            if !naive.findings.iter().any(|f| f.hazard == sc.hazard) {
                let got: Vec<_> = naive.findings.iter().map(|f| f.hazard).collect();
                problems.push(format!(
                    "{} {:?} naive: no {} (got {got:?})",
                    sc.id, sn.language, sc.hazard
                ));
            }
            let fixed = analyze(sn.fixed, Some(sn.language)).expect("fixed code analyses");
            if !fixed.findings.is_empty() {
                let got: Vec<_> = fixed
                    .findings
                    .iter()
                    .map(|f| (f.hazard, f.span.start_line))
                    .collect();
                problems.push(format!("{} {:?} fixed: {got:?}", sc.id, sn.language));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn presets_name_real_settings_within_bounds() {
    for sc in scenarios::all() {
        let model =
            model_for(sc.hazard).unwrap_or_else(|| panic!("{}: no model for {}", sc.id, sc.hazard));
        let (_, notices) = Settings::resolve(model.info(), &params_of(&sc));
        assert!(notices.is_empty(), "{}: {notices:?}", sc.id);
        assert!(
            sc.preset.load >= 1 && sc.preset.load <= model.info().max_load,
            "{}: load",
            sc.id
        );
    }
}

#[test]
fn each_preset_fails_naive_and_holds_fixed() {
    for sc in scenarios::all() {
        let model = model_for(sc.hazard).expect("model");
        let (settings, _) = Settings::resolve(model.info(), &params_of(&sc));
        let run = |v| {
            model
                .run(&settings, v, sc.preset.load, sc.preset.seed, false)
                .outcome
        };
        let (naive, fixed) = (run(Variant::Naive), run(Variant::Fixed));
        assert!(
            naive.failures > 0,
            "{}: naive holds at load {}",
            sc.id,
            sc.preset.load
        );
        assert_eq!(
            fixed.failures, 0,
            "{}: fixed fails at load {}",
            sc.id, sc.preset.load
        );
    }
}

#[test]
fn the_gallery_covers_the_catalog_and_the_languages() {
    let all = scenarios::all();
    let hazards: BTreeSet<&str> = all.iter().map(|s| s.hazard).collect();
    let missing: Vec<_> = rules::docs()
        .iter()
        .map(|d| d.id)
        .filter(|h| !hazards.contains(h))
        .collect();
    assert!(missing.is_empty(), "no scenario for {missing:?}");
    let ids: BTreeSet<&str> = all.iter().map(|s| s.id).collect();
    assert_eq!(ids.len(), all.len(), "scenario ids are unique");
    for sc in &all {
        assert!(!sc.snippets.is_empty(), "{}", sc.id);
        assert!(
            sc.story.len() > 80 && !sc.lesson.is_empty(),
            "{}: story and lesson",
            sc.id
        );
        let langs: BTreeSet<_> = sc.languages().map(|l| l.id()).collect();
        assert_eq!(
            langs.len(),
            sc.snippets.len(),
            "{}: one snippet per language",
            sc.id
        );
    }
    let languages: BTreeSet<&str> = all
        .iter()
        .flat_map(|s| s.languages())
        .map(|l| l.id())
        .collect();
    for lang in ["python", "javascript", "typescript", "go", "java", "sql"] {
        assert!(languages.contains(lang), "no scenario in {lang}");
    }
}
