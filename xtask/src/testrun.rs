//! `cargo xtask test`: runs the whole suite in order (gates: fmt and clippy; web app build; unit tests of every crate,
//! the web app's included; API suite on SQLite and PostgreSQL; the calendar sweep; browser tests), counts the results
//! from libtest's output and ends with a summary, each step with its time, whose last line is `N passed, M failed`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::libtest::{parse_result_line, Counts};
use crate::util::{cargo, describe, is_ci, which};

const PG_URL_ENV: &str = "MINQING_TEST_POSTGRES_URL";

/// What became of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The step ran; `error` says why it failed, if it did.
    Ran { counts: Counts, error: Option<String> },
    /// Not run; `required` (CI=true) turns the skip into a failure.
    Skipped { reason: String, required: bool },
    /// A build step (no tests counted).
    Built { error: Option<String> },
}

impl Outcome {
    pub fn is_failure(&self) -> bool {
        match self {
            Outcome::Ran { error, .. } | Outcome::Built { error } => error.is_some(),
            Outcome::Skipped { required, .. } => *required,
        }
    }
}

pub struct Step {
    pub label: String,
    pub outcome: Outcome,
    /// How long the step took.
    pub took: Duration,
}

/// The test servers' clock, for the steps that do not sweep (`tests::DEFAULT_START` when unset).
const START_ENV: &str = "MINQING_TEST_START";

/// The hard days of the calendar sweep (city time, UTC+8): the API suite on SQLite runs again with every test
/// server's clock started at each. The ones at 23:59:50 cross midnight while the tests run.
pub const SWEEP_DAYS: &[(&str, &str)] = &[
    ("2026-11-01T09:00:00+08:00", "Sunday 1 November 2026: a month's first day, its week begun in October"),
    (
        "2026-12-01T00:00:30+08:00",
        "Tuesday 1 December 2026, 00:00:30: a month's first minute, its week begun on 30 November",
    ),
    ("2026-11-30T23:59:50+08:00", "Monday 30 November 2026, 23:59:50: a month's last seconds, running into December"),
    ("2026-12-31T23:59:50+08:00", "Thursday 31 December 2026, 23:59:50: the year's end, running into 1 January 2027"),
    ("2028-02-29T12:00:00+08:00", "Tuesday 29 February 2028: a leap day"),
    ("2026-12-06T23:59:50+08:00", "Sunday 6 December 2026, 23:59:50: a week's end, running into Monday"),
];

/// Runs a list of steps, timing each.
struct Run {
    steps: Vec<Step>,
    total: usize,
}

impl Run {
    fn step(&mut self, label: impl Into<String>, what: &str, f: impl FnOnce() -> Outcome) -> bool {
        let label = label.into();
        println!("\n==> [{}/{}] {what}", self.steps.len() + 1, self.total);
        let started = Instant::now();
        let outcome = f();
        let ok = !outcome.is_failure();
        self.steps.push(Step { label, outcome, took: started.elapsed() });
        ok
    }

    /// The API suite on SQLite with every test server's clock started at `day` (RFC 3339).
    fn sweep_day(&mut self, day: &str, what: &str) {
        self.step(format!("sweep {day}"), &format!("calendar sweep: {what}"), || {
            run_tests(api_suite("sqlite", Some(day)), true)
        });
    }

    /// Prints the summary (after everything the children printed) and answers the exit code.
    fn finish(self, ci: bool) -> ExitCode {
        let (text, failed) = summary(&self.steps, ci);
        let _ = std::io::stderr().flush();
        print!("{text}");
        let _ = std::io::stdout().flush();
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

pub fn run() -> Result<ExitCode> {
    let ci = is_ci();
    let pg_url = std::env::var(PG_URL_ENV).ok().filter(|u| !u.trim().is_empty());
    let mut run = Run { steps: Vec::new(), total: 12 + SWEEP_DAYS.len() };

    // Gates first: formatting and lints fail the run (the tests still run, so one CI run says everything).
    run.step("fmt", "cargo fmt --check", || checked(cargo().args(["fmt", "--all", "--", "--check"])));
    run.step("rooms", "import rules: no handler imports a handler, no page a page (docs/architecture.md)", || {
        match crate::rooms::check(&crate::util::workspace_root()) {
            Ok(v) if v.is_empty() => Outcome::Built { error: None },
            Ok(v) => {
                v.iter().for_each(|v| eprintln!("{v}"));
                Outcome::Built { error: Some(format!("{} imports break the rooms' rules", v.len())) }
            }
            Err(e) => Outcome::Built { error: Some(format!("{e:#}")) },
        }
    });
    // Clippy's lints change with each Rust release: its warnings fail the run on the toolchain CI uses, and are shown
    // without failing it on any other (a newer rustup toolchain may bring lints this code has never met).
    let lint_level = match rustc_minor() {
        Some(v) if v != CLIPPY_TOOLCHAIN => {
            println!(
                "xtask: rustc {v} is not {CLIPPY_TOOLCHAIN}, the toolchain clippy's gate is set for: its warnings are \
                 shown, not fatal"
            );
            "-W"
        }
        _ => "-D",
    };
    run.step("clippy (host)", &format!("clippy, every crate for the host, {lint_level} warnings"), || {
        checked(cargo().args(["clippy", "--workspace", "--all-targets", "--", lint_level, "warnings"]))
    });
    for (label, features) in [("clippy (wasm32 staff)", ""), ("clippy (wasm32 resident)", "resident")] {
        run.step(label, &format!("{label}, {lint_level} warnings"), || match crate::dist::ensure_wasm_target() {
            Err(e) => Outcome::Built { error: Some(format!("{e:#}")) },
            Ok(()) => {
                let mut cmd = cargo();
                cmd.args(["clippy", "-p", "frontend", "--target", crate::dist::WASM_TARGET, "--lib"]);
                if !features.is_empty() {
                    cmd.args(["--features", features]);
                }
                checked(cmd.args(["--", lint_level, "warnings"]))
            }
        });
    }

    // The web app before the backend's tests: the backend serves frontend/dist, and the browser tests need it fresh.
    let dist_ok = run.step("web app build", "web app build (cargo xtask dist)", || match crate::dist::run() {
        Ok(_) => Outcome::Built { error: None },
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            Outcome::Built { error: Some(format!("{e:#}").lines().next().unwrap_or("failed").to_string()) }
        }
    });

    // Unit tests of every crate with some (`--lib --bins` is fine as long as one package has a lib and one a bin).
    run.step("unit tests", "unit tests (shared, backend, xtask, tests' harness)", || {
        let mut cmd = cargo();
        cmd.args(["test", "--no-fail-fast", "-p", "shared", "-p", "backend", "-p", "xtask", "-p", "tests"]);
        cmd.args(["--lib", "--bins"]);
        run_tests(cmd, true)
    });
    run.step("frontend unit tests", "the web app's own unit tests (cargo test -p frontend --lib)", || {
        let mut cmd = cargo();
        cmd.args(["test", "--no-fail-fast", "-p", "frontend", "--lib"]);
        run_tests(cmd, true)
    });

    run.step("API suite (SQLite)", "API suite on SQLite", || run_tests(api_suite("sqlite", None), true));
    run.step("API suite (PostgreSQL)", "API suite on PostgreSQL", || match &pg_url {
        Some(_) => run_tests(api_suite("postgres", None), true),
        None => skip(
            ci,
            format!("{PG_URL_ENV} not set"),
            &format!("set it to a database the tests may CREATE DATABASE from, e.g. {PG_URL_ENV}=postgres://postgres@127.0.0.1:5432/postgres"),
        ),
    });

    run.step("durability", "the real server killed with SIGKILL ten times, and a full disk (tests/durability)", || {
        if let Outcome::Built { error: Some(e) } = checked(cargo().args(["build", "-p", "backend", "--bin", "minqing"]))
        {
            return Outcome::Ran { counts: Counts::default(), error: Some(e) };
        }
        let mut cmd = cargo();
        cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "durability", "--", "--nocapture"]);
        run_tests(cmd, true)
    });

    println!("\nxtask: calendar sweep: the API suite on SQLite again, with the servers' clock started on each of:");
    for (day, what) in SWEEP_DAYS {
        println!("  {day}  {what}");
    }
    for (day, what) in SWEEP_DAYS {
        run.sweep_day(day, what);
    }

    run.step("browser (Chromium)", "browser tests (Chromium)", || browser_tests(ci, dist_ok));
    Ok(run.finish(ci))
}

/// `cargo xtask sweep [DAY …]`: the API suite on SQLite with the servers' clock started on each day given (RFC 3339,
/// e.g. `2028-02-29T12:00:00+08:00`), or on every day of `SWEEP_DAYS`.
pub fn sweep(days: &[String]) -> Result<ExitCode> {
    let named: Vec<(&str, &str)> = days.iter().map(|d| (d.as_str(), "a day named on the command line")).collect();
    let days = if named.is_empty() { SWEEP_DAYS } else { &named[..] };
    let mut run = Run { steps: Vec::new(), total: days.len() };
    for (day, what) in days {
        run.sweep_day(day, &format!("{day} ({what})"));
    }
    Ok(run.finish(is_ci()))
}

/// The API suite on one engine; `start` sets every test server's clock (else the tests' default day).
fn api_suite(engine: &str, start: Option<&str>) -> Command {
    let mut cmd = cargo();
    cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "api"]).env("MINQING_TEST_BACKEND", engine);
    match start {
        Some(day) => cmd.env(START_ENV, day),
        None => cmd.env_remove(START_ENV),
    };
    cmd
}

fn browser_tests(ci: bool, dist_ok: bool) -> Outcome {
    let browser = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|b| which(b).is_some());
    let driver = which("chromedriver").is_some();
    match (browser, driver) {
        _ if !dist_ok => {
            Outcome::Ran { counts: Counts::default(), error: Some("not run: the web app build failed".into()) }
        }
        (Some(_), true) => {
            let mut cmd = cargo();
            cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "browser"])
                .env("MINQING_BROWSER_TESTS", "1")
                .env_remove(START_ENV);
            run_tests(cmd, true)
        }
        (b, d) => {
            let missing: Vec<&str> =
                [(b.is_none(), "chromium"), (!d, "chromedriver")].into_iter().filter(|m| m.0).map(|m| m.1).collect();
            skip(ci, format!("{} not on PATH", missing.join(" and ")), "apt-get install chromium chromium-driver")
        }
    }
}

/// The Rust release (`1.95`) whose clippy the code is kept clean for: CI's.
const CLIPPY_TOOLCHAIN: &str = "1.95";

/// `1.95` of `rustc 1.95.0 (59807616e 2026-04-14)`.
fn rustc_minor() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    minor_of(&String::from_utf8_lossy(&out.stdout))
}

fn minor_of(version: &str) -> Option<String> {
    let number = version.split_whitespace().nth(1)?;
    let mut parts = number.split('.');
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}

/// Runs a check (fmt, clippy) with inherited output; fails the step when it fails.
fn checked(cmd: &mut Command) -> Outcome {
    println!("$ {}", describe(cmd));
    match cmd.stdin(Stdio::null()).status() {
        Ok(status) if status.success() => Outcome::Built { error: None },
        Ok(status) => Outcome::Built { error: Some(format!("`{}` failed ({status})", describe(cmd))) },
        Err(e) => Outcome::Built { error: Some(format!("could not start `{}`: {e}", describe(cmd))) },
    }
}

fn skip(ci: bool, reason: String, hint: &str) -> Outcome {
    let ci_note = if ci { " — required with CI=true, so this is a failure" } else { "" };
    println!("xtask: skipping: {reason} ({hint}){ci_note}");
    Outcome::Skipped { reason, required: ci }
}

/// Runs a `cargo test` command, echoing its stdout line by line while counting `test result:` lines.
fn run_tests(mut cmd: Command, must_run_tests: bool) -> Outcome {
    println!("$ {}", describe(&cmd));
    match tee_and_count(&mut cmd) {
        Ok((counts, code)) => judge(counts, code, must_run_tests),
        Err(e) => Outcome::Ran { counts: Counts::default(), error: Some(format!("{e:#}")) },
    }
}

/// The exit code (`None` when killed by a signal) and the summed counts.
fn tee_and_count(cmd: &mut Command) -> Result<(Counts, Option<i32>)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut counts = Counts::default();
    let mut buf = Vec::new();
    let stdout = std::io::stdout();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        {
            let mut out = stdout.lock();
            let _ = out.write_all(&buf);
            let _ = out.flush();
        }
        if let Some(c) = parse_result_line(&String::from_utf8_lossy(&buf)) {
            counts += c;
        }
    }
    let status = child.wait()?;
    Ok((counts, status.code()))
}

/// Decides whether a step that ran has failed.
pub fn judge(counts: Counts, code: Option<i32>, must_run_tests: bool) -> Outcome {
    let error = if code != Some(0) {
        let how = match code {
            Some(c) => format!("exited with code {c}"),
            None => "was killed by a signal".to_string(),
        };
        Some(if counts.failed > 0 {
            format!("{} test(s) failed; cargo {how}", counts.failed)
        } else {
            format!("cargo {how}")
        })
    } else if counts.failed > 0 {
        Some(format!("{} test(s) failed", counts.failed))
    } else if must_run_tests && counts.ran() == 0 {
        Some("ran no tests".to_string())
    } else {
        None
    };
    Outcome::Ran { counts, error }
}

/// The summary text (ending with the totals line) and whether the run failed.
pub fn summary(steps: &[Step], ci: bool) -> (String, bool) {
    let mut text = String::from("\n==> summary\n");
    let mut total = Counts::default();
    let mut failed = false;
    for step in steps {
        let label = format!("{}:", step.label);
        let took = format!("{:>5.0} s  ", step.took.as_secs_f64());
        let line = match &step.outcome {
            Outcome::Built { error: None } => "built".to_string(),
            Outcome::Built { error: Some(e) } => format!("FAILED ({e})"),
            Outcome::Skipped { reason, required } => {
                let tag = if *required { "FAILED: skipped, but CI=true requires it" } else { "skipped" };
                format!("{tag} ({reason})")
            }
            Outcome::Ran { counts, error } => {
                total += *counts;
                let mut s = format!("{:>3} passed, {} failed", counts.passed, counts.failed);
                if counts.ignored > 0 {
                    s += &format!(", {} ignored", counts.ignored);
                }
                if let Some(e) = error {
                    s += &format!(" — FAILED ({e})");
                }
                s
            }
        };
        failed |= step.outcome.is_failure();
        text += &format!("{label:<34} {took}{line}\n");
    }
    if failed {
        text += &format!("result: FAILED{}\n", if ci { " (CI=true)" } else { "" });
    }
    text += &format!("{} passed, {} failed\n", total.passed, total.failed);
    (text, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(label: &str, outcome: Outcome) -> Step {
        Step { label: label.into(), outcome, took: Duration::from_secs(3) }
    }

    /// The summary line of a step, after its label and time.
    fn line_of<'a>(text: &'a str, label: &str) -> &'a str {
        let line = text.lines().find(|l| l.starts_with(&format!("{label}:"))).unwrap_or_else(|| panic!("{text}"));
        line.split_once(" s  ").map(|(_, rest)| rest.trim()).unwrap_or_else(|| panic!("no time on: {line}"))
    }

    fn c(passed: u64, failed: u64) -> Counts {
        Counts { passed, failed, ignored: 0 }
    }

    #[test]
    fn judging_runs() {
        assert!(!judge(c(3, 0), Some(0), true).is_failure());
        assert!(judge(c(3, 1), Some(101), true).is_failure());
        assert!(judge(c(0, 0), Some(101), false).is_failure(), "a build error fails the step");
        assert!(judge(c(0, 0), None, false).is_failure(), "a killed run fails the step");
        assert!(judge(c(0, 0), Some(0), true).is_failure(), "ran no tests");
        assert!(!judge(c(0, 0), Some(0), false).is_failure(), "no unit tests is fine");
        let all_ignored = Counts { passed: 0, failed: 0, ignored: 4 };
        assert!(judge(all_ignored, Some(0), true).is_failure());
    }

    #[test]
    fn reads_the_rust_release() {
        assert_eq!(minor_of("rustc 1.95.0 (59807616e 2026-04-14)").as_deref(), Some("1.95"));
        assert_eq!(minor_of("rustc 1.99.1-nightly (abc 2027-01-01)").as_deref(), Some("1.99"));
        assert_eq!(minor_of("nonsense"), None);
    }

    #[test]
    fn skips_fail_only_when_required() {
        assert!(!skip(false, "x".into(), "h").is_failure());
        assert!(skip(true, "x".into(), "h").is_failure());
    }

    #[test]
    fn summary_ends_with_totals() {
        let steps = vec![
            step("web app build", Outcome::Built { error: None }),
            step("unit tests", judge(c(37, 0), Some(0), false)),
            step("API suite (SQLite)", judge(c(24, 0), Some(0), true)),
            step("API suite (PostgreSQL)", skip(false, "not set".into(), "h")),
        ];
        let (text, failed) = summary(&steps, false);
        assert!(!failed);
        assert_eq!(text.lines().last(), Some("61 passed, 0 failed"));
        assert_eq!(line_of(&text, "unit tests"), "37 passed, 0 failed");
        assert_eq!(line_of(&text, "API suite (PostgreSQL)"), "skipped (not set)");
        assert_eq!(line_of(&text, "web app build"), "built");
    }

    #[test]
    fn summary_fails_on_required_skip_or_failed_tests() {
        let steps = vec![step("browser (Chromium)", skip(true, "no chromedriver".into(), "h"))];
        let (text, failed) = summary(&steps, true);
        assert!(failed);
        assert_eq!(text.lines().last(), Some("0 passed, 0 failed"));

        let steps = vec![step("API suite (SQLite)", judge(c(20, 4), Some(101), true))];
        let (text, failed) = summary(&steps, false);
        assert!(failed);
        assert_eq!(text.lines().last(), Some("20 passed, 4 failed"));
    }
}
