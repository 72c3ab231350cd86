//! Workspace tests live in `tests/`; this library holds what several of them share:
//! the Fetch standard's CORS checks, an HTTP/1.1 client that sends headers verbatim,
//! real nginx/Apache servers, and the Rust engine's answer to a raw request.

pub mod engine_answer;
pub mod fetch_check;
pub mod http1;
pub mod servers;
