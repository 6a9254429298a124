//! Run with: `cargo bench -p auth-runtime`
//!
//! Side by side, in one run, for HS256, RS256, ES256 and EdDSA:
//! - `jsonwebtoken_decode`: raw `jsonwebtoken::decode` into a typed claims struct, with the
//!   key and `Validation` built once (the floor any library built on it starts from);
//! - `handwritten_extractor`: a hand-written axum extractor around that decode (what most
//!   applications write, and the baseline of DESIGN.md section 8);
//! - `guard_first_seen`: our `#[require_token]` guard on tokens it has not seen, with the
//!   cache on (so the cost of filling it is counted): 512 distinct tokens in turn through
//!   a 16-token cache, so practically every request misses;
//! - `guard_cache_off`: the guard with the cache turned off;
//! - `guard_cached`: the guard on a repeated token (cache on).
//!
//! Plus `matching/realistic_requirement`: the checks of
//! `sub = "username", scope("orders:read"), override(admin = true)` on verified claims.

mod common;

use common::*;

use std::hint::black_box;

use auth_runtime::{
    Algorithm, Guard,
    matching::{entries_hold, override_holds, path_param_matches, scope_name_granted},
    requirement::{Entry, Expected},
};
use axum::{extract::FromRequestParts, http::request::Parts};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn verification(c: &mut Criterion) {
    for algorithm in [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ] {
        let s = setup(algorithm);
        let sign = signer(&s);
        let token = sign("1y9mZ7kq0Jw5nUe2c8HfQA".to_owned());
        let pool: Vec<String> = (0..512).map(|i| sign(format!("distinct-{i:06}"))).collect();
        let validation = validation(&s);
        let hand = hand_keys(&s);
        let manager = |capacity| common::manager(&s, capacity);
        let uncached = manager(0);
        let small_cache = manager(16);
        let cached = manager(4096);

        let mut group = c.benchmark_group(format!("{algorithm:?}"));
        let mut next = 0;
        group.bench_function("jsonwebtoken_decode", |b| {
            b.iter(|| {
                next = (next + 1) % pool.len();
                jsonwebtoken::decode::<TypedClaims>(
                    black_box(&pool[next]),
                    &s.decoding,
                    &validation,
                )
                .expect("valid")
            })
        });
        let run = |group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
                   name: &str,
                   templates: &[Parts],
                   extract: &dyn Fn(&mut Parts)| {
            let mut next = 0;
            group.bench_function(name, |b| {
                b.iter_batched_ref(
                    || {
                        next = (next + 1) % templates.len();
                        templates[next].clone()
                    },
                    |parts| extract(parts),
                    criterion::BatchSize::SmallInput,
                )
            });
        };
        let with = |extension: &dyn Fn(&mut Parts)| -> Vec<Parts> {
            pool.iter()
                .map(|t| {
                    let mut parts = parts_with(t, ());
                    extension(&mut parts);
                    parts
                })
                .collect()
        };
        let guard = |parts: &mut Parts| {
            assert!(
                ready(Guard::<AnyToken>::from_request_parts(parts, &())).is_ok(),
                "valid"
            );
        };
        let handwritten = |parts: &mut Parts| {
            assert!(
                ready(HandWritten::from_request_parts(parts, &())).is_ok(),
                "valid"
            );
        };
        run(
            &mut group,
            "handwritten_extractor",
            &with(&|p| {
                p.extensions.insert(hand.clone());
            }),
            &handwritten,
        );
        run(
            &mut group,
            "guard_first_seen",
            &with(&|p| {
                p.extensions.insert(small_cache.clone());
            }),
            &guard,
        );
        run(
            &mut group,
            "guard_cache_off",
            &with(&|p| {
                p.extensions.insert(uncached.clone());
            }),
            &guard,
        );
        let repeated: Vec<Parts> = vec![parts_with(&token, cached.clone())];
        run(&mut group, "guard_cached", &repeated, &guard);
        group.finish();
    }
}

fn matching(c: &mut Criterion) {
    const OVERRIDE: &[Entry] = &[Entry::new("admin", Expected::Bool(true))];
    let claims = json!({
        "iss": ISSUER, "sub": "alice", "iat": 0, "exp": 1, "type": "auth",
        "scope": "orders:read orders:write profile:read",
    });
    let claims = claims.as_object().expect("object").clone();
    let mut group = c.benchmark_group("matching");
    group.bench_function("realistic_requirement", |b| {
        b.iter(|| {
            let claims = black_box(&claims);
            let waived = override_holds(OVERRIDE, claims);
            let bound = claims
                .get("sub")
                .is_some_and(|s| path_param_matches(s, black_box("alice")));
            let scoped = claims
                .get("scope")
                .is_some_and(|s| scope_name_granted(s, "orders:read"));
            assert!(!waived && bound && scoped && entries_hold(&[], claims));
        })
    });
    group.finish();
}

criterion_group!(benches, verification, matching);
criterion_main!(benches);
