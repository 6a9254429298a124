//! Runnable servers built on auth-runtime.
