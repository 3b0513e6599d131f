//! The `minqing` program: parses the command line (cli.rs), then serves, backs up, restores or migrates.

use clap::Parser;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    backend::cli::run(backend::cli::Cli::parse()).await
}
