//! Workspace tests live in `tests/`; this library holds what several of them (and
//! other packages' tests) share: the real-browser suite, the Fetch standard's CORS
//! checks, an HTTP/1.1 client that sends headers verbatim, real nginx/Apache servers,
//! and the Rust engine's answer to a raw request.

pub mod browser;
pub mod engine_answer;
pub mod fetch_check;
pub mod hostile;
pub mod http1;
pub mod process;
pub mod raw_http;
pub mod servers;
pub mod wire;
