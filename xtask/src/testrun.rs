//! `cargo xtask test`: runs the whole suite in order (web app build, unit tests, API suite on SQLite and PostgreSQL,
//! browser tests), counts the results from libtest's output and ends with a summary whose last line is `N passed, M failed`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, ExitCode, Stdio};

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
    pub label: &'static str,
    pub outcome: Outcome,
}

pub fn run() -> Result<ExitCode> {
    let ci = is_ci();
    let mut steps = Vec::new();
    let total_steps = 5;

    // d. The web app first: the backend serves frontend/dist, so building it before the backend compiles avoids a
    // second backend build, and the browser tests need the fresh app.
    header(1, total_steps, "web app build (cargo xtask dist)");
    let dist_outcome = match crate::dist::run() {
        Ok(_) => Outcome::Built { error: None },
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            Outcome::Built { error: Some(format!("{e:#}").lines().next().unwrap_or("failed").to_string()) }
        }
    };
    let dist_ok = !dist_outcome.is_failure();
    steps.push(Step { label: "web app build", outcome: dist_outcome });

    // a. Unit tests of every crate with some (`--lib --bins` is fine as long as one package has a lib and one a bin).
    header(2, total_steps, "unit tests (shared, backend, xtask)");
    let mut cmd = cargo();
    cmd.args(["test", "--no-fail-fast", "-p", "shared", "-p", "backend", "-p", "xtask", "--lib", "--bins"]);
    steps.push(Step { label: "unit tests", outcome: run_tests(cmd, false) });

    // b. The API suite on SQLite.
    header(3, total_steps, "API suite on SQLite");
    let mut cmd = cargo();
    cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "api"]).env("MINQING_TEST_BACKEND", "sqlite");
    steps.push(Step { label: "API suite (SQLite)", outcome: run_tests(cmd, true) });

    // c. The same suite on PostgreSQL, when a server is given.
    header(4, total_steps, "API suite on PostgreSQL");
    let pg_url = std::env::var(PG_URL_ENV).ok().filter(|u| !u.trim().is_empty());
    let outcome = match pg_url {
        Some(_) => {
            let mut cmd = cargo();
            cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "api"])
                .env("MINQING_TEST_BACKEND", "postgres");
            run_tests(cmd, true)
        }
        None => skip(
            ci,
            format!("{PG_URL_ENV} not set"),
            &format!("set it to a database the tests may CREATE DATABASE from, e.g. {PG_URL_ENV}=postgres://postgres@127.0.0.1:5432/postgres"),
        ),
    };
    steps.push(Step { label: "API suite (PostgreSQL)", outcome });

    // e. Browser tests, when Chromium and chromedriver are installed.
    header(5, total_steps, "browser tests (Chromium)");
    let browser = ["chromium", "chromium-browser", "google-chrome"].into_iter().find(|b| which(b).is_some());
    let driver = which("chromedriver").is_some();
    let outcome = match (browser, driver) {
        _ if !dist_ok => {
            Outcome::Ran { counts: Counts::default(), error: Some("not run: the web app build failed".into()) }
        }
        (Some(_), true) => {
            let mut cmd = cargo();
            cmd.args(["test", "--no-fail-fast", "-p", "tests", "--test", "browser"]).env("MINQING_BROWSER_TESTS", "1");
            run_tests(cmd, true)
        }
        (b, d) => {
            let missing: Vec<&str> =
                [(b.is_none(), "chromium"), (!d, "chromedriver")].into_iter().filter(|m| m.0).map(|m| m.1).collect();
            skip(ci, format!("{} not on PATH", missing.join(" and ")), "apt-get install chromium chromium-driver")
        }
    };
    steps.push(Step { label: "browser (Chromium)", outcome });

    let (text, failed) = summary(&steps, ci);
    // Flush so the summary comes after everything the children printed.
    let _ = std::io::stderr().flush();
    print!("{text}");
    let _ = std::io::stdout().flush();
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn header(n: usize, of: usize, what: &str) {
    println!("\n==> [{n}/{of}] {what}");
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
        text += &format!("{label:<23} {line}\n");
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
    fn skips_fail_only_when_required() {
        assert!(!skip(false, "x".into(), "h").is_failure());
        assert!(skip(true, "x".into(), "h").is_failure());
    }

    #[test]
    fn summary_ends_with_totals() {
        let steps = vec![
            Step { label: "web app build", outcome: Outcome::Built { error: None } },
            Step { label: "unit tests", outcome: judge(c(37, 0), Some(0), false) },
            Step { label: "API suite (SQLite)", outcome: judge(c(24, 0), Some(0), true) },
            Step { label: "API suite (PostgreSQL)", outcome: skip(false, "not set".into(), "h") },
        ];
        let (text, failed) = summary(&steps, false);
        assert!(!failed);
        assert_eq!(text.lines().last(), Some("61 passed, 0 failed"));
        assert!(text.contains("unit tests:              37 passed, 0 failed\n"), "{text}");
        assert!(text.contains("API suite (PostgreSQL): skipped (not set)\n"), "{text}");
    }

    #[test]
    fn summary_fails_on_required_skip_or_failed_tests() {
        let steps = vec![Step { label: "browser (Chromium)", outcome: skip(true, "no chromedriver".into(), "h") }];
        let (text, failed) = summary(&steps, true);
        assert!(failed);
        assert_eq!(text.lines().last(), Some("0 passed, 0 failed"));

        let steps = vec![Step { label: "API suite (SQLite)", outcome: judge(c(20, 4), Some(101), true) }];
        let (text, failed) = summary(&steps, false);
        assert!(failed);
        assert_eq!(text.lines().last(), Some("20 passed, 4 failed"));
    }
}
