//! The hostile-socket suite (`cors_policy_tests::hostile`) against the three example
//! servers as users run them (`axum`: tower adapter, inline `cors_policy!`; `actix`:
//! actix-web middleware, `cors_policy!(file = ...)`; `hyper`: tower adapter over
//! hyper-util, YAML loaded at start-up), each started as its own process on an
//! ephemeral loopback port: bounded answers to requests no browser sends, no CORS
//! header on any denial, and the server still answering a burst of ordinary requests
//! correctly afterwards.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cors_policy_tests::hostile::{run, Target};

/// Builds the example binaries (a no-op when `cargo test` already did) and returns
/// the directory holding them.
fn examples_dir() -> PathBuf {
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build.args([
        "build",
        "--quiet",
        "-p",
        "cors-policy-examples",
        "--examples",
    ]);
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "building the examples failed");
    // target/<profile>/deps/hostile-<hash> -> target/<profile>/examples
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples")
}

/// An example server, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(bin: &Path, args: &[&str]) -> Server {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(bin)
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(manifest.parent().unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let Some(addr) = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
        else {
            let _ = child.kill();
            panic!("{} printed {line:?} instead of its address", bin.display());
        };
        Server { child, addr }
    }

    /// Whether the process is still running.
    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn example_servers_survive_hostile_sockets() {
    let dir = examples_dir();
    // Every example's policy allows https://app.example.com, PUT and content-type on
    // /api/items, and denies https://evil.example.com.
    let examples: [(&str, &[&str]); 3] = [
        ("axum", &[]),
        ("actix", &[]),
        ("hyper", &["examples/policies/spa-api.yaml"]),
    ];
    for (name, args) in examples {
        let mut server = Server::start(&dir.join(name), args);
        let report = run(
            &Target {
                name,
                addr: server.addr,
                allowed: "https://app.example.com",
                method: "PUT",
                header: "content-type",
                path: "/api/items",
            },
            200,
        );
        assert!(server.alive(), "the {name} example exited");
        println!("example {name}: {report}");
        for line in &report.details {
            println!("  {line}");
        }
    }
}
