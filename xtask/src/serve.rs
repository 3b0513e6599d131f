//! `cargo xtask serve`: builds the web app, then runs the `minqing` server in demo mode in the foreground.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::args::ServeOpts;
use crate::util::{cargo, describe};

pub fn run(opts: &ServeOpts) -> Result<ExitCode> {
    crate::dist::run()?;

    let port = match opts.port {
        Some(p) => p.to_string(),
        None => non_empty_env("MINQING_PORT").unwrap_or_else(|| "8080".into()),
    };
    // A directory given by flag or env is relative to where the user is; the default `data` is relative to the
    // workspace root, where cargo runs the server (and which .gitignore covers).
    let data_dir = match opts.data_dir.clone().or_else(|| non_empty_env("MINQING_DATA_DIR")) {
        Some(d) => {
            let d = std::path::PathBuf::from(d);
            let d = if d.is_relative() { std::env::current_dir()?.join(d) } else { d };
            d.to_string_lossy().into_owned()
        }
        None => "data".into(),
    };

    let mut cmd = cargo();
    cmd.args(["run", "-p", "backend", "--bin", "minqing"]);
    if opts.release {
        cmd.arg("--release");
    }
    // MINQING_DEMO_PASSWORD, when set, is inherited like the rest of the environment.
    cmd.env("MINQING_MODE", "demo").env("MINQING_PORT", &port).env("MINQING_DATA_DIR", &data_dir);
    println!("xtask: starting the server (demo mode, port {port}, data dir {data_dir})…");
    let status = cmd.status().with_context(|| format!("could not start `{}`", describe(&cmd)))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // Killed by a signal (e.g. Ctrl-C): report it the shell way, 128 + signal.
        None => {
            use std::os::unix::process::ExitStatusExt;
            ExitCode::from(status.signal().map(|s| (128 + s).clamp(0, 255) as u8).unwrap_or(1))
        }
    })
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
