//! Hand-written parser for the xtask command line (no clap): `dist`, `serve [--port N] [--data-dir DIR] [--release]`, `test`,
//! `rooms [DIR]`, `sweep [DAY …]`.

use anyhow::{bail, Context, Result};

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Dist,
    Serve(ServeOpts),
    Test,
    /// The import rules alone (docs/architecture.md), of this workspace or of the one at the path given.
    Rooms(Option<String>),
    /// The calendar sweep on the days given (none: every hard day).
    Sweep(Vec<String>),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ServeOpts {
    /// `--port N`; `None` means: $MINQING_PORT if set, else 8080.
    pub port: Option<u16>,
    /// `--data-dir DIR`; `None` means: $MINQING_DATA_DIR if set, else `data`.
    pub data_dir: Option<String>,
    pub release: bool,
}

pub fn parse(argv: &[String]) -> Result<Command> {
    let Some((cmd, rest)) = argv.split_first() else {
        return Ok(Command::Help);
    };
    match cmd.as_str() {
        "help" | "-h" | "--help" => Ok(Command::Help),
        "dist" => {
            no_more(cmd, rest)?;
            Ok(Command::Dist)
        }
        "test" => {
            no_more(cmd, rest)?;
            Ok(Command::Test)
        }
        "rooms" => match rest {
            [] => Ok(Command::Rooms(None)),
            [dir] if !dir.starts_with('-') => Ok(Command::Rooms(Some(dir.clone()))),
            _ => bail!("`rooms` takes at most a workspace directory"),
        },
        "serve" => parse_serve(rest).map(Command::Serve),
        "sweep" => {
            for day in rest {
                if day.starts_with('-') || chrono_like(day).is_none() {
                    bail!("`sweep` takes days as RFC 3339 times such as 2028-02-29T12:00:00+08:00 (got `{day}`)");
                }
            }
            Ok(Command::Sweep(rest.to_vec()))
        }
        other => bail!("unknown command `{other}`"),
    }
}

/// A light check that `s` looks like `YYYY-MM-DDTHH:MM:SS` followed by an offset (`+08:00`) or `Z`; the test
/// harness parses it fully and says so when it cannot.
fn chrono_like(s: &str) -> Option<()> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).filter(|d| d.iter().all(u8::is_ascii_digit)).map(|_| ());
    digits(0..4)?;
    digits(5..7)?;
    digits(8..10)?;
    digits(11..13)?;
    digits(14..16)?;
    digits(17..19)?;
    (b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') && b.get(10) == Some(&b'T') && s.len() > 19).then_some(())
}

fn no_more(cmd: &str, rest: &[String]) -> Result<()> {
    if let Some(extra) = rest.first() {
        bail!("`{cmd}` takes no arguments (got `{extra}`)");
    }
    Ok(())
}

fn parse_serve(rest: &[String]) -> Result<ServeOpts> {
    let mut opts = ServeOpts::default();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it.next().cloned().with_context(|| format!("`{name}` needs a value")),
            }
        };
        match flag {
            "--port" | "-p" => {
                let v = value("--port")?;
                let port: u16 = v
                    .parse()
                    .ok()
                    .filter(|p| *p != 0)
                    .with_context(|| format!("`--port` must be a number from 1 to 65535 (got `{v}`)"))?;
                opts.port = Some(port);
            }
            "--data-dir" => {
                let v = value("--data-dir")?;
                if v.is_empty() {
                    bail!("`--data-dir` must not be empty");
                }
                opts.data_dir = Some(v);
            }
            "--release" => {
                if inline.is_some() {
                    bail!("`--release` takes no value");
                }
                opts.release = true;
            }
            other => bail!("unknown option `{other}` for `serve`"),
        }
    }
    Ok(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn plain_commands() {
        assert_eq!(p(&[]).unwrap(), Command::Help);
        assert_eq!(p(&["--help"]).unwrap(), Command::Help);
        assert_eq!(p(&["dist"]).unwrap(), Command::Dist);
        assert_eq!(p(&["test"]).unwrap(), Command::Test);
        assert_eq!(p(&["rooms"]).unwrap(), Command::Rooms(None));
        assert_eq!(p(&["rooms", "/tmp/w"]).unwrap(), Command::Rooms(Some("/tmp/w".into())));
        assert!(p(&["rooms", "a", "b"]).is_err());
        assert!(p(&["rooms", "--all"]).is_err());
        assert!(p(&["test", "--verbose"]).is_err());
        assert!(p(&["build"]).is_err());
    }

    #[test]
    fn sweep_days() {
        assert_eq!(p(&["sweep"]).unwrap(), Command::Sweep(vec![]));
        let day = "2028-02-29T12:00:00+08:00".to_string();
        assert_eq!(p(&["sweep", &day]).unwrap(), Command::Sweep(vec![day]));
        assert!(p(&["sweep", "2028-02-29"]).is_err());
        assert!(p(&["sweep", "--all"]).is_err());
    }

    #[test]
    fn serve_defaults() {
        assert_eq!(p(&["serve"]).unwrap(), Command::Serve(ServeOpts::default()));
    }

    #[test]
    fn serve_flags() {
        let want = ServeOpts { port: Some(9000), data_dir: Some("/tmp/d".into()), release: true };
        assert_eq!(p(&["serve", "--port", "9000", "--data-dir", "/tmp/d", "--release"]).unwrap(), Command::Serve(want));
        let want = ServeOpts { port: Some(81), data_dir: Some("x".into()), release: false };
        assert_eq!(p(&["serve", "--data-dir=x", "--port=81"]).unwrap(), Command::Serve(want));
    }

    #[test]
    fn serve_errors() {
        assert!(p(&["serve", "--port"]).is_err());
        assert!(p(&["serve", "--port", "abc"]).is_err());
        assert!(p(&["serve", "--port", "70000"]).is_err());
        assert!(p(&["serve", "--port", "0"]).is_err());
        assert!(p(&["serve", "--data-dir"]).is_err());
        assert!(p(&["serve", "--release=yes"]).is_err());
        assert!(p(&["serve", "--verbose"]).is_err());
    }
}
