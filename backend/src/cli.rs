//! The command line: `minqing` serves (the default), or backs up, restores or migrates and exits. Unknown commands
//! and options are refused with the usage, so nothing starts by accident.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::configuration::Settings;

/// 民情直通车: the city's ledger of residents' concerns. Settings come from MINQING_* variables or minqing.toml in
/// the data directory (see README.md).
#[derive(Debug, Parser)]
#[command(name = "minqing", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand, PartialEq)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Copy the database, the photos and the secret into a new folder under DIR, while the server runs.
    Backup {
        /// The folder that receives the backup (a new minqing-backup-YYYYMMDD-HHMMSS folder inside it).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Put a backup back into an empty data directory (SQLite) or an empty database (PostgreSQL).
    Restore {
        /// A backup folder (minqing-backup-…, holding manifest.json).
        #[arg(long, value_name = "FOLDER")]
        from: PathBuf,
        /// Replace a ledger already there (a SQLite file is kept beside it, renamed).
        #[arg(long)]
        force: bool,
    },
    /// Bring the database up to this version's schema, then exit.
    Migrate,
}

/// Runs what the command line asks for.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            crate::telemetry::init(settings.log_json);
            let app = crate::startup::Application::build(settings).await?;
            app.run_until_stopped().await?;
        }
        Command::Backup { to } => {
            let (folder, m) = crate::backup::backup(&settings, &to).await?;
            let rows: i64 = m.tables.values().sum();
            let photos = m.files.keys().filter(|p| p.starts_with("photos/")).count();
            println!("备份完成：{}", folder.display());
            println!("  数据库 {}：{} 张表，{rows} 行；照片 {photos} 张；清单 manifest.json", m.engine, m.tables.len());
        }
        Command::Restore { from, force } => {
            let r = crate::backup::restore::restore(&settings, &from, force).await?;
            println!(
                "恢复完成：来自 {}（{} 备份）",
                from.display(),
                r.manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC")
            );
            println!("  {} 张表的行数与清单一致；照片 {} 张", r.manifest.tables.len(), r.photos);
            if let Some(aside) = r.kept_aside {
                println!("  原数据库文件已保留为 {}", aside.display());
            }
        }
        Command::Migrate => {
            let url = settings.database_url();
            let sync = settings.sqlite_synchronous.clone();
            tokio::task::spawn_blocking(move || crate::db::Db::connect(&url, &sync, 1)).await??;
            println!("数据库已是最新结构");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("minqing").chain(args.iter().copied()))
    }

    #[test]
    fn no_command_serves_and_each_command_takes_its_options() {
        assert_eq!(parse(&[]).unwrap().command, None);
        assert_eq!(parse(&["serve"]).unwrap().command, Some(Command::Serve));
        assert_eq!(parse(&["backup", "--to", "/b"]).unwrap().command, Some(Command::Backup { to: "/b".into() }));
        assert_eq!(
            parse(&["restore", "--from", "/b/x", "--force"]).unwrap().command,
            Some(Command::Restore { from: "/b/x".into(), force: true })
        );
        assert_eq!(parse(&["migrate"]).unwrap().command, Some(Command::Migrate));
    }

    #[test]
    fn help_version_and_anything_unknown_answer_instead_of_starting() {
        use clap::error::ErrorKind;
        assert_eq!(parse(&["--help"]).unwrap_err().kind(), ErrorKind::DisplayHelp);
        assert_eq!(parse(&["backup", "--help"]).unwrap_err().kind(), ErrorKind::DisplayHelp);
        assert_eq!(parse(&["--version"]).unwrap_err().kind(), ErrorKind::DisplayVersion);
        assert_eq!(parse(&["bakup"]).unwrap_err().kind(), ErrorKind::InvalidSubcommand);
        assert_eq!(parse(&["--port", "1"]).unwrap_err().kind(), ErrorKind::UnknownArgument);
        assert_eq!(parse(&["backup"]).unwrap_err().kind(), ErrorKind::MissingRequiredArgument);
    }
}
