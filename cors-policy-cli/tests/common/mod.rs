//! Shared by the CLI's integration tests.

use std::path::PathBuf;

/// A policy with exact and `*.` origins, credentials, a method, headers, exposed
/// headers and a max age: `check` and `serve` answer for it.
pub const POLICY: &str = "\
origins:
  - https://app.example.com
  - https://*.example.org
credentials: true
methods: [PUT]
allow_headers: [X-Trace, Content-Type]
expose_headers: [X-Request-Id]
max_age: 600
";

/// Writes `text` to a fresh file called `name` under a directory of this test
/// process (`group` keeps test binaries apart) and returns its path.
pub fn file(group: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cors-policy-{group}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
