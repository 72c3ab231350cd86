//! `cors-policy serve`: a small HTTP API behind the tower adapter, to try a policy
//! from a real browser page before deploying it.
//!
//! Every path and method answers `200` with `{"ok":true}` (`application/json`) and
//! `X-Request-Id: 1`, except what the policy answers itself: preflights (204 or 403,
//! the application is not called). The CORS part is `cors_policy::tower::CorsLayer`,
//! exactly what an axum or hyper application gets.
//!
//! It prints `listening on http://ADDR` on stdout once the socket is bound (with
//! `--listen 127.0.0.1:0`, ADDR has the port the system chose), and runs until
//! stopped. With `--verbose`, the adapter's `debug` logs (why each request was denied)
//! go to stderr.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::task::{Context, Poll};

use bytes::Bytes;
use clap::Args;
use cors_policy::tower::CorsLayer;
use http::header::{HeaderValue, CONTENT_TYPE};
use http::{HeaderName, Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tower_layer::Layer;

use crate::{output, policy_file};

/// Arguments of `cors-policy serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The policy to use, in a file with several `policies:`.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// The policy file (YAML).
    pub file: PathBuf,
    /// The address to listen on (`127.0.0.1:0` picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Log why each denied request was denied (the adapter's `debug` logs) on stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Runs `serve`; returns the exit code when it cannot start (or stops on an I/O error).
pub fn run(args: &ServeArgs) -> u8 {
    let policy = match policy_file::load(&args.file, args.policy.as_deref()) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let layer = match CorsLayer::new(policy) {
        Ok(layer) => layer,
        Err(e) => {
            output::error(&format!("{}: {e}", args.file.display()));
            return 2;
        }
    };
    if args.verbose {
        init_logging();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            output::error(&format!("cannot start the server: {e}"));
            return 2;
        }
    };
    runtime.block_on(serve(args.listen, layer))
}

/// `debug` and above from the adapter (`cors_policy`), `warn` and above from the rest.
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let filter = Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("cors_policy", LevelFilter::DEBUG);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter),
        )
        .init();
}

async fn serve(addr: SocketAddr, layer: CorsLayer) -> u8 {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            output::error(&format!("cannot listen on {addr}: {e}"));
            return 2;
        }
    };
    let bound = listener.local_addr().unwrap_or(addr);
    if !output::stdout(&format!("listening on http://{bound}\n")) {
        return 2;
    }
    let service = layer.layer(App);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // A failed accept (e.g. too many open files) is the client's problem, not
            // the server's end: keep serving.
            Err(e) => {
                output::error(&format!("accept: {e}"));
                continue;
            }
        };
        let service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            // Browsers speak HTTP/1.1 to an `http://` origin.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The application: `{"ok":true}` on every path and method.
#[derive(Clone, Copy, Debug)]
struct App;

impl tower_service::Service<Request<Incoming>> for App {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _req: Request<Incoming>) -> Self::Future {
        let mut res = Response::new(Full::new(Bytes::from_static(b"{\"ok\":true}")));
        let headers = res.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(
            HeaderName::from_static("x-request-id"),
            HeaderValue::from_static("1"),
        );
        ready(Ok(res))
    }
}
