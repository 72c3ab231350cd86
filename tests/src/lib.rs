//! Workspace tests live in `tests/`; this library holds what several of them (and
//! other packages' tests) share.

pub mod browser;
pub mod hostile;
pub mod process;
pub mod raw_http;
pub mod wire;
