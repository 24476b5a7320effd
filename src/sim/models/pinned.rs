//! Trace fingerprints of every model at seed 42 ([`super::reference_fingerprints`]), asserted
//! natively and in Chromium: any change to a model, the RNG or the engine shows up here, and a
//! difference between the two builds would break determinism.

pub const PINNED: &[(&str, u64)] = &[
    ("check-then-act", 2277092335938682135),
    ("lost-update", 5566549268292661945),
    ("non-idempotent-webhook", 14393139644727357860),
    ("in-memory-shared-state", 2567344437724099904),
    ("per-user-cache-key", 13003069558171830976),
    ("cache-stampede", 16289117206705852882),
    ("unbounded-cache", 10230375177838265325),
    ("in-memory-rate-limit", 14338608886746042814),
    ("spoofable-client-ip", 13494396870959486328),
    ("sync-long-task", 8835278786156594988),
    ("no-timeout", 12317134957166718505),
    ("connection-per-request", 9236654977129319347),
    ("threads-for-cpu-in-python", 12036459687357432251),
    ("retry-without-backoff", 2708604389824015277),
    ("n-plus-one", 14458067271705572795),
    ("expensive-query-per-request", 1630068782783182109),
    ("unbounded-query", 9443691702811648792),
    ("missing-tenant-filter", 5344222516793661570),
    ("expired-records-never-cleaned", 7109524219281934858),
    ("swallowed-error", 6006994894250682537),
    ("cdn-uncompiled-assets", 16726689601015596589),
];
