//! The `minqing` program: parses the command line (cli.rs), then serves, backs up, restores or migrates. A failure
//! is printed as one readable line (its causes joined), and the exit code is 1.

use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    match backend::cli::run(backend::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
