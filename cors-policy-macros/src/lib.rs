//! The `cors_policy!` macro.
