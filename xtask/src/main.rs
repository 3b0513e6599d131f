//! Entry point of `cargo xtask`: dispatches to the build (`dist`), run (`serve`) and test (`test`) tasks.

mod args;
mod dist;
mod libtest;
mod rooms;
mod serve;
mod testrun;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  dist                     build the web app (wasm) into frontend/dist/
  serve [--port N] [--data-dir DIR] [--release]
                           build the web app, then run the server in demo mode
                           (defaults: port 8080 or $MINQING_PORT, data dir `data` or $MINQING_DATA_DIR)
  test                     run the whole suite: web app build, unit tests, API suite on SQLite
                           (and PostgreSQL when $MINQING_TEST_POSTGRES_URL is set), browser tests
                           (when chromium and chromedriver are on PATH), after fmt, the import rules and
                           clippy, and the calendar sweep; with CI=true nothing may be skipped
  sweep [DAY ...]          the API suite on SQLite with the test servers' clock started on each DAY
                           (RFC 3339, e.g. 2028-02-29T12:00:00+08:00), or on every hard day of the sweep
  rooms [DIR]              check the import rules alone (docs/architecture.md): no handler imports a
                           handler, no page a page; of the workspace at DIR if given
  help                     show this text";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("xtask: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        args::Command::Help => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        args::Command::Dist => dist::run().map(|_| ExitCode::SUCCESS),
        args::Command::Serve(opts) => serve::run(&opts),
        args::Command::Test => testrun::run(),
        args::Command::Rooms(dir) => rooms::run(dir.as_deref()),
        args::Command::Sweep(days) => testrun::sweep(&days),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
