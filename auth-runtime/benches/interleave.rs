//! Run with: `taskset -c 1 cargo bench -p auth-runtime --bench interleave`
//!
//! The ratios of `guard.rs` measured so that a busy machine does not blur them: for each
//! algorithm, 60 rounds each time 64 requests of the hand-written extractor, of the guard
//! on first-seen tokens (cache on) and of the guard with the cache off, one after the
//! other on the same 512 tokens. It prints each case's fastest round (what the code
//! costs when nothing else runs) and the median of the per-round ratios.

mod common;

use common::*;

use std::hint::black_box;

use auth_runtime::{Algorithm, Guard};
use axum::{extract::FromRequestParts, http::request::Parts};

fn verification() {
    for algorithm in [
        Algorithm::HS256,
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ] {
        let s = setup(algorithm);
        let sign = signer(&s);
        let pool: Vec<String> = (0..512).map(|i| sign(format!("distinct-{i:06}"))).collect();
        let _validation = validation(&s);
        let hand = hand_keys(&s);
        let manager = |capacity| common::manager(&s, capacity);
        let uncached = manager(0);
        let small_cache = manager(16);

        let with = |extension: &dyn Fn(&mut Parts)| -> Vec<Parts> {
            pool.iter()
                .map(|t| {
                    let mut parts = parts_with(t, ());
                    extension(&mut parts);
                    parts
                })
                .collect()
        };
        let hand_t = with(&|p| {
            p.extensions.insert(hand.clone());
        });
        let guard_t = with(&|p| {
            p.extensions.insert(small_cache.clone());
        });
        let off_t = with(&|p| {
            p.extensions.insert(uncached.clone());
        });
        const BATCH: usize = 64;
        let mut best = [f64::MAX; 3];
        let mut ratios = Vec::new();
        let mut next = 0usize;
        for _round in 0..60 {
            let mut this = [0f64; 3];
            for (i, templates) in [&hand_t, &guard_t, &off_t].into_iter().enumerate() {
                let mut batch: Vec<Parts> = (0..BATCH)
                    .map(|k| templates[(next + k) % templates.len()].clone())
                    .collect();
                let start = std::time::Instant::now();
                for parts in &mut batch {
                    let ok = if i == 0 {
                        ready(HandWritten::from_request_parts(parts, &())).is_ok()
                    } else {
                        ready(Guard::<AnyToken>::from_request_parts(parts, &())).is_ok()
                    };
                    assert!(black_box(ok));
                }
                let per = start.elapsed().as_secs_f64() / BATCH as f64;
                drop(batch);
                this[i] = per;
                best[i] = best[i].min(per);
            }
            next = (next + BATCH) % pool.len();
            ratios.push(this[1] / this[0]);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "{algorithm:?}: min hand {:.2} us, min first-seen {:.2} us ({:.2}), min cache-off {:.2} us ({:.2}); median paired ratio first-seen {:.2}",
            best[0] * 1e6,
            best[1] * 1e6,
            best[1] / best[0],
            best[2] * 1e6,
            best[2] / best[0],
            ratios[ratios.len() / 2]
        );
    }
}

fn main() {
    verification();
}
