//! Structured logs (tracing), as text or JSON lines; each request carries a request id (tracing-actix-web).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // try_init: tests start many servers in one process.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
