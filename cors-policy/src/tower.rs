//! A tower [`Layer`] and [`Service`] (feature `tower`): CORS for axum, hyper (through
//! hyper-util's tower adapter) and tonic.
//!
//! ```
//! use cors_policy::tower::CorsLayer;
//! # use cors_policy::Policy;
//! # fn api() -> &'static Policy { unimplemented!() }
//!
//! # fn build() -> Result<(), Box<dyn std::error::Error>> {
//! // A policy from `cors_policy!` (a `static`) ...
//! # let API = api();
//! let layer = CorsLayer::new(API)?;
//! # #[cfg(feature = "compile")] {
//! // ... or loaded at start-up: the layer owns it.
//! let layer = CorsLayer::new(cors_policy::from_yaml("origins: [https://app.example.com]\n")?)?;
//! # }
//! # Ok(()) }
//! ```
//!
//! Both constructors check the policy once (regex DFAs, tables, header values) and
//! fail there, never on a request. Cloning the layer or the service is a reference
//! count, whatever the policy's size; both are `Send + Sync`. The behaviour is
//! [`crate::http`]'s: preflights are answered without calling the inner service
//! (which therefore needs a `ResBody: Default` to build their empty body), everything
//! else goes to it and gets the CORS headers on its response, whatever its status.
//!
//! [`Layer`]: tower_layer::Layer
//! [`Service`]: tower_service::Service

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use ::http::{Request, Response};

use crate::engine::{PolicySource, TableError};
use crate::http::{Action, Cors, Preflight, ResponsePlan};

/// Adds CORS, as a policy says, to a tower service.
#[derive(Clone, Debug)]
pub struct CorsLayer {
    cors: Cors,
}

impl CorsLayer {
    /// A layer for `policy`: a `&'static Policy` (from `cors_policy!`), or a `Policy`
    /// or `Arc<Policy>` loaded at start-up. Errors are the policy's tables failing
    /// their one-time check.
    pub fn new(policy: impl Into<PolicySource>) -> Result<CorsLayer, TableError> {
        Ok(CorsLayer {
            cors: Cors::new(policy)?,
        })
    }

    /// The shared policy state.
    pub fn cors(&self) -> &Cors {
        &self.cors
    }
}

impl From<Cors> for CorsLayer {
    fn from(cors: Cors) -> Self {
        CorsLayer { cors }
    }
}

impl<S> tower_layer::Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> CorsService<S> {
        CorsService {
            inner,
            cors: self.cors.clone(),
        }
    }
}

/// The service [`CorsLayer`] wraps around an inner service.
#[derive(Clone, Debug)]
pub struct CorsService<S> {
    inner: S,
    cors: Cors,
}

impl<S> CorsService<S> {
    /// Wraps `inner` (what [`CorsLayer`] does).
    pub fn new(inner: S, cors: Cors) -> Self {
        CorsService { inner, cors }
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for CorsService<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        match self.cors.check(req.method(), req.headers()) {
            Action::Preflight(preflight) => ResponseFuture {
                state: State::Preflight {
                    preflight: Some(preflight),
                },
            },
            Action::Forward(plan) => ResponseFuture {
                state: State::Inner {
                    future: self.inner.call(req),
                    plan: Some(plan),
                },
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsService`]: the preflight answer, or the inner
    /// service's response with the CORS headers applied.
    pub struct ResponseFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Preflight { preflight: Option<Preflight> },
        Inner { #[pin] future: F, plan: Option<ResponsePlan> },
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Preflight { preflight } => {
                let preflight = preflight
                    .take()
                    .expect("ResponseFuture polled after completion");
                let mut res = Response::new(B::default());
                *res.status_mut() = preflight.status;
                *res.headers_mut() = preflight.headers;
                Poll::Ready(Ok(res))
            }
            StateProj::Inner { future, plan } => {
                let mut res = std::task::ready!(future.poll(cx))?;
                if let Some(plan) = plan.take() {
                    plan.apply(res.headers_mut());
                }
                Poll::Ready(Ok(res))
            }
        }
    }
}
