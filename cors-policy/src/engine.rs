//! The request-time decision: classify a request, decide, and produce the response headers.
