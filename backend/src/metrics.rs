//! What an operator watches, in Prometheus's text format at `GET /metrics` (api/metrics.rs): requests by route
//! template and status with their latencies, the database pool and its waits, each background job's last success
//! and failures, and (counted when scraped) the hook outbox and the items open per stage and overdue.

use std::sync::LazyLock;
use std::time::Duration;

use prometheus::{
    Encoder, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

/// The process's metrics, registered once.
pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_seconds: HistogramVec,
    pub pool_wait_seconds: Histogram,
    pub pool_connections: IntGauge,
    pub pool_idle: IntGauge,
    pub job_last_success: GaugeVec,
    pub job_failures: IntCounterVec,
    pub outbox_pending: IntGaugeVec,
    pub outbox_oldest_seconds: GaugeVec,
    pub items_open: IntGaugeVec,
    pub items_overdue: IntGauge,
    pub database_up: IntGauge,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| Metrics::new().expect("metric definitions are valid"));

impl Metrics {
    fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let latency = vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
        let m = Metrics {
            http_requests: IntCounterVec::new(
                Opts::new("minqing_http_requests_total", "HTTP requests answered, by route template and status"),
                &["method", "route", "status"],
            )?,
            http_seconds: HistogramVec::new(
                HistogramOpts::new("minqing_http_request_seconds", "Time to answer, by route template")
                    .buckets(latency.clone()),
                &["method", "route"],
            )?,
            pool_wait_seconds: Histogram::with_opts(
                HistogramOpts::new("minqing_db_pool_wait_seconds", "Time waited for a database connection")
                    .buckets(latency),
            )?,
            pool_connections: IntGauge::new("minqing_db_pool_connections", "Database connections open")?,
            pool_idle: IntGauge::new("minqing_db_pool_idle", "Database connections idle")?,
            job_last_success: GaugeVec::new(
                Opts::new("minqing_job_last_success_timestamp_seconds", "When each background job last succeeded"),
                &["job"],
            )?,
            job_failures: IntCounterVec::new(
                Opts::new("minqing_job_failures_total", "Failed runs of each background job"),
                &["job"],
            )?,
            outbox_pending: IntGaugeVec::new(
                Opts::new("minqing_outbox_pending", "Hook messages waiting to be delivered, per hook"),
                &["hook"],
            )?,
            outbox_oldest_seconds: GaugeVec::new(
                Opts::new("minqing_outbox_oldest_seconds", "Age of the oldest waiting hook message, per hook"),
                &["hook"],
            )?,
            items_open: IntGaugeVec::new(Opts::new("minqing_items_open", "Items not closed, per stage"), &["stage"])?,
            items_overdue: IntGauge::new("minqing_items_overdue", "Items past their stage's deadline")?,
            database_up: IntGauge::new("minqing_database_up", "1 when the database answered the last scrape")?,
            registry,
        };
        let r = &m.registry;
        r.register(Box::new(m.http_requests.clone()))?;
        r.register(Box::new(m.http_seconds.clone()))?;
        r.register(Box::new(m.pool_wait_seconds.clone()))?;
        r.register(Box::new(m.pool_connections.clone()))?;
        r.register(Box::new(m.pool_idle.clone()))?;
        r.register(Box::new(m.job_last_success.clone()))?;
        r.register(Box::new(m.job_failures.clone()))?;
        r.register(Box::new(m.outbox_pending.clone()))?;
        r.register(Box::new(m.outbox_oldest_seconds.clone()))?;
        r.register(Box::new(m.items_open.clone()))?;
        r.register(Box::new(m.items_overdue.clone()))?;
        r.register(Box::new(m.database_up.clone()))?;
        Ok(m)
    }

    /// Counts one answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.http_requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.http_seconds.with_label_values(&[method, route]).observe(took.as_secs_f64());
    }

    /// Notes a job's run: its success time, or one more failure.
    pub fn job(&self, job: &str, ok: bool) {
        if ok {
            self.job_last_success.with_label_values(&[job]).set(chrono::Utc::now().timestamp() as f64);
        } else {
            self.job_failures.with_label_values(&[job]).inc();
        }
    }

    /// Everything, in the text format.
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_jobs_show_in_the_text_format() {
        METRICS.request("GET", "/api/items/{id}", 200, Duration::from_millis(12));
        METRICS.job("outbox", false);
        let text = METRICS.text();
        assert!(text.contains(r#"minqing_http_requests_total{method="GET",route="/api/items/{id}",status="200"}"#));
        assert!(text.contains(r#"minqing_job_failures_total{job="outbox"}"#));
        assert!(text.contains("minqing_http_request_seconds_bucket"));
    }
}
