//! An actix-web 4 middleware (feature `actix`): a [`Transform`] that answers CORS as
//! a policy says.
//!
//! ```
//! use actix_web::{web, App};
//! use cors_policy::actix::Cors;
//! # use cors_policy::Policy;
//! # fn api() -> &'static Policy { unimplemented!() }
//!
//! # fn build() -> Result<(), Box<dyn std::error::Error>> {
//! # let API = api();
//! let cors = Cors::new(API)?; // or a `Policy` loaded at start-up: the middleware owns it
//! let app = App::new()
//!     .wrap(cors)
//!     .route("/", web::get().to(|| async { "hello" }));
//! # let _ = app; Ok(()) }
//! ```
//!
//! The behaviour is [`crate::http`]'s (policy-spec §4): preflights answered by the
//! middleware with 204 or 403 without calling the application, every other request
//! passed on and its response, whatever its status, given the CORS headers; `Vary`
//! merged; the policy the authority on the CORS response headers; denials logged at
//! `debug` through `tracing`. The response body type is `EitherBody<B>`: the
//! application's body untouched on the left, the empty preflight body on the right.
//!
//! An error an inner middleware returns as `Err` (rather than as a response) is
//! passed through unchanged, without CORS headers: actix-web turns it into a response
//! only after every middleware has run. Handler errors are responses by the time they
//! reach this middleware, and get their headers.
//!
//! actix-web 4 is built on the `http` 0.2 types; the glue is the same code as
//! [`crate::http`]'s, instantiated for them.
//!
//! [`Transform`]: actix_web::dev::Transform

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::HttpResponse;

use crate::engine::{PolicySource, TableError};

/// The glue over actix-web's `http` 0.2 types and header map.
// Instantiated for the middleware only: some helpers the `http` module exposes are
// unused here.
#[allow(dead_code)]
mod glue {
    use actix_web::http as http02;

    crate::glue::glue!(http02, actix_web::http::header::HeaderMap);

    impl Map for HeaderMap {
        fn with_capacity(n: usize) -> Self {
            HeaderMap::with_capacity(n)
        }

        fn lines<'a>(&'a self, name: &HeaderName) -> impl Iterator<Item = &'a HeaderValue> {
            self.get_all(name)
        }

        fn replace(&mut self, name: HeaderName, value: HeaderValue) -> Option<HeaderValue> {
            self.insert(name, value).next()
        }

        fn remove_all(&mut self, name: &HeaderName) -> Option<HeaderValue> {
            self.remove(name).next()
        }

        fn add(&mut self, name: HeaderName, value: HeaderValue) {
            self.append(name, value);
        }
    }
}

use glue::{Action, ResponsePlan};

/// The middleware factory: `App::new().wrap(Cors::new(policy)?)`. Cloning it is a
/// reference count, whatever the policy's size; it is `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Cors {
    cors: glue::Cors,
}

impl Cors {
    /// A middleware for `policy`: a `&'static Policy` (from `cors_policy!`), or a
    /// `Policy` or `Arc<Policy>` loaded at start-up. Errors are the policy's tables
    /// failing their one-time check, here and never on a request.
    pub fn new(policy: impl Into<PolicySource>) -> Result<Cors, TableError> {
        Ok(Cors {
            cors: glue::Cors::new(policy)?,
        })
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type InitError = ();
    type Transform = CorsMiddleware<S>;
    type Future = Ready<Result<CorsMiddleware<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsMiddleware {
            service,
            cors: self.cors.clone(),
        }))
    }
}

/// The middleware [`Cors`] wraps around a service.
#[derive(Debug)]
pub struct CorsMiddleware<S> {
    service: S,
    cors: glue::Cors,
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = CorsFuture<S::Future>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        match self.cors.check(req.method(), req.headers()) {
            Action::Preflight(preflight) => {
                let mut res = HttpResponse::new(preflight.status);
                *res.headers_mut() = preflight.headers;
                CorsFuture {
                    state: State::Preflight {
                        res: Some(req.into_response(res)),
                    },
                }
            }
            Action::Forward(plan) => CorsFuture {
                state: State::Inner {
                    future: self.service.call(req),
                    plan: Some(plan),
                },
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsMiddleware`].
    pub struct CorsFuture<F> {
        #[pin]
        state: State<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        Preflight { res: Option<ServiceResponse> },
        Inner { #[pin] future: F, plan: Option<ResponsePlan> },
    }
}

impl<F, B> Future for CorsFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, actix_web::Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().state.project() {
            StateProj::Preflight { res } => {
                let res = res.take().expect("CorsFuture polled after completion");
                Poll::Ready(Ok(res.map_into_right_body()))
            }
            StateProj::Inner { future, plan } => {
                let mut res = std::task::ready!(future.poll(cx))?;
                if let Some(plan) = plan.take() {
                    plan.apply(res.headers_mut());
                }
                Poll::Ready(Ok(res.map_into_left_body()))
            }
        }
    }
}
