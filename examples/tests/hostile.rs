//! The hostile-socket suite (`cors_policy_tests::hostile`) against the three example
//! servers as users run them (`axum`: tower adapter, inline `cors_policy!`; `actix`:
//! actix-web middleware, `cors_policy!(file = ...)`; `hyper`: tower adapter over
//! hyper-util, YAML loaded at start-up), each started as its own process on an
//! ephemeral loopback port: bounded answers to requests no browser sends, no CORS
//! header on any denial, and the server still answering a burst of ordinary requests
//! correctly afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use cors_policy_tests::hostile::{run, Target};
use cors_policy_tests::process::ServerProcess;

/// Builds the example binaries and returns the directory holding them. With the
/// whole workspace's feature set, as `cargo test --workspace` built them, so that
/// there this is a no-op (`-p cors-policy-examples` alone would unify other features
/// and rebuild every dependency).
fn examples_dir() -> PathBuf {
    let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    build.args(["build", "--quiet", "--workspace", "--examples"]);
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "building the examples failed");
    // target/<profile>/deps/hostile-<hash> -> target/<profile>/examples
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples")
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
        let mut command = Command::new(dir.join(name));
        command
            .args(args)
            .args(["--listen", "127.0.0.1:0"])
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap());
        let mut server = ServerProcess::start(command);
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
