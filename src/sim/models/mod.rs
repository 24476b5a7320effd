//! One model per hazard id, each naive and fixed, all in the [`Model`] shape.
//!
//! [`model_for`] maps a catalog id to its model; [`ALL`] lists them in catalog order.

use super::model::Model;

mod cache_parts;
pub mod cache_stampede;
pub mod cdn_uncompiled_assets;
pub mod check_then_act;
pub mod connection_per_request;
pub mod expensive_query_per_request;
pub mod expired_records_never_cleaned;
mod growth_parts;
pub mod in_memory_rate_limit;
pub mod in_memory_shared_state;
pub mod lost_update;
pub mod missing_tenant_filter;
pub mod n_plus_one;
pub mod no_timeout;
pub mod non_idempotent_webhook;
pub mod per_user_cache_key;
pub mod pinned;
mod record;
pub mod retry_without_backoff;
pub mod spoofable_client_ip;
pub mod swallowed_error;
pub mod sync_long_task;
pub mod threads_for_cpu_in_python;
pub mod unbounded_cache;
pub mod unbounded_query;

/// Every model, in catalog order.
pub static ALL: &[&dyn Model] = &[
    // shared state under interleaving
    &check_then_act::CheckThenAct,
    &lost_update::LostUpdate,
    &non_idempotent_webhook::NonIdempotentWebhook,
    &in_memory_shared_state::InMemorySharedState,
    // caches and replicas
    &per_user_cache_key::PerUserCacheKey,
    &cache_stampede::CacheStampede,
    &unbounded_cache::UnboundedCache,
    &in_memory_rate_limit::InMemoryRateLimit,
    &spoofable_client_ip::SpoofableClientIp,
    // queues, timeouts, retries
    &sync_long_task::SyncLongTask,
    &no_timeout::NoTimeout,
    &connection_per_request::ConnectionPerRequest,
    &threads_for_cpu_in_python::ThreadsForCpuInPython,
    &retry_without_backoff::RetryWithoutBackoff,
    // load multipliers and growth
    &n_plus_one::NPlusOne,
    &expensive_query_per_request::ExpensiveQueryPerRequest,
    &unbounded_query::UnboundedQuery,
    &missing_tenant_filter::MissingTenantFilter,
    &expired_records_never_cleaned::ExpiredRecordsNeverCleaned,
    &swallowed_error::SwallowedError,
    &cdn_uncompiled_assets::CdnUncompiledAssets,
];

/// Fingerprint of each model's traced naive and fixed runs at the middle of its default
/// sweep with seed 42, in catalog order: the native test and the wasm test in Chromium
/// (`tests/wasm.rs`) both compare it with [`pinned::PINNED`].
pub fn reference_fingerprints() -> Vec<(&'static str, u64)> {
    use super::model::Settings;
    use super::Variant;
    ALL.iter()
        .map(|m| {
            let info = m.info();
            let load = info.loads[info.loads.len() / 2];
            let s = Settings::defaults(info);
            let n = m.run(&s, Variant::Naive, load, 42, true).fingerprint();
            let f = m.run(&s, Variant::Fixed, load, 42, true).fingerprint();
            (info.hazard, n ^ f.rotate_left(1))
        })
        .collect()
}

/// The model that simulates `hazard`, if there is one.
pub fn model_for(hazard: &str) -> Option<&'static dyn Model> {
    ALL.iter().copied().find(|m| m.info().hazard == hazard)
}

#[cfg(test)]
mod tests {
    //! Properties every model must have; a new model is covered by being in [`ALL`].
    use super::*;
    use crate::sim::model::*;
    use crate::sim::rng::Rng;
    use crate::sim::Variant;

    #[test]
    fn ids_are_catalog_ids_and_unique() {
        let ids: Vec<&str> = crate::analyzer::rules::RULES
            .iter()
            .map(|(d, _)| d.id)
            .collect();
        let mut seen = std::collections::HashSet::new();
        for m in ALL {
            let i = m.info();
            assert!(ids.contains(&i.hazard), "{} is not a catalog id", i.hazard);
            assert!(seen.insert(i.hazard), "two models for {}", i.hazard);
            assert!(!i.loads.is_empty() && i.loads.windows(2).all(|w| w[0] < w[1]));
            assert!(*i.loads.last().unwrap() <= i.max_load);
            for p in i.params {
                assert!(
                    p.min <= p.default && p.default <= p.max,
                    "{} {}",
                    i.hazard,
                    p.name
                );
            }
        }
    }

    #[test]
    fn fingerprints_are_pinned() {
        let now = reference_fingerprints();
        if now.as_slice() != pinned::PINNED {
            let rows: Vec<String> = now
                .iter()
                .map(|(h, f)| format!("    (\"{h}\", {f}),"))
                .collect();
            panic!(
                "model traces changed; if intended, replace PINNED in src/sim/models/pinned.rs with:\n{}",
                rows.join("\n")
            );
        }
    }

    #[test]
    fn same_seed_same_run() {
        for m in ALL {
            let s = Settings::defaults(m.info());
            let load = m.info().loads[m.info().loads.len() / 2];
            let a = m.run(&s, Variant::Naive, load, 7, true);
            let b = m.run(&s, Variant::Naive, load, 7, true);
            assert_eq!(a.fingerprint(), b.fingerprint(), "{}", m.info().hazard);
            assert_eq!(
                a.outcome,
                m.run(&s, Variant::Naive, load, 7, false).outcome,
                "{}",
                m.info().hazard
            );
        }
    }

    #[test]
    fn naive_fails_somewhere_in_the_default_sweep() {
        for m in ALL {
            let sw = sweep(*m, &Params::default(), 42, &[]);
            assert!(
                sw.first_failing_load().is_some(),
                "{}: naive never fails",
                m.info().hazard
            );
        }
    }

    /// The fix holds: over random seeds, loads and settings, the fixed variant never shows
    /// the anomaly.
    #[test]
    fn fixed_never_fails_over_random_settings() {
        let mut rng = Rng::new(2026);
        for m in ALL {
            let info = m.info();
            for _ in 0..60 {
                let mut p = Params::default();
                for spec in info.params {
                    p.set(
                        spec.name,
                        rng.between(
                            spec.min,
                            spec.max
                                .min(spec.default.saturating_mul(4).max(spec.min + 1)),
                        ),
                    );
                }
                let load = rng.between(1, (*info.loads.last().unwrap()).min(info.max_load));
                let seed = rng.next_u64();
                let (s, _) = Settings::resolve(info, &p);
                let run = m.run(&s, Variant::Fixed, load, seed, false);
                assert_eq!(
                    run.outcome.failures, 0,
                    "{} fixed failed at load {load}, settings {p:?}, seed {seed}",
                    info.hazard
                );
            }
        }
    }

    /// Settings at their bounds and loads at the extremes: no panic, no hang (the event cap).
    #[test]
    fn extremes_do_not_panic() {
        for m in ALL {
            let info = m.info();
            for pick in [0u8, 1, 2] {
                let mut p = Params::default();
                for spec in info.params {
                    p.set(
                        spec.name,
                        match pick {
                            0 => spec.min,
                            1 => spec.max,
                            _ => u64::MAX,
                        },
                    );
                }
                for load in [0, 1, info.max_load, u64::MAX] {
                    let sw = sweep(*m, &p, u64::MAX, &[load]);
                    assert_eq!(sw.levels.len(), 1);
                    for o in [&sw.levels[0].naive, &sw.levels[0].fixed] {
                        assert!(
                            o.events <= MAX_EVENTS + 1_000,
                            "{} ran {} events",
                            info.hazard,
                            o.events
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn summaries_name_the_load() {
        for m in ALL {
            let sw = sweep(*m, &Params::default(), 42, &[]);
            let l = sw.levels.last().unwrap();
            let s = m.summary(&Settings::defaults(m.info()), l.load, &l.naive, &l.fixed);
            assert!(s.contains(&l.load.to_string()), "{}: {s}", m.info().hazard);
        }
    }
}
