//! Small helpers shared by the tasks: workspace paths, the cargo command, PATH look-ups, size formatting.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The workspace root (the parent of this crate's folder). `cargo run` sets CARGO_MANIFEST_DIR when it starts the
/// task, which names the checkout being worked on even when a build cache shared by several checkouts holds a
/// binary built from another; the path compiled in is the fallback.
pub fn workspace_root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir.parent().map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), Path::to_path_buf)
}

/// The main target directory (honours $CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                workspace_root().join(d)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// A `cargo` command (the same cargo that runs us, when known), run from the workspace root.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root());
    cmd
}

/// Runs a command with inherited stdio; fails unless it exits successfully.
pub fn run_checked(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    let status = cmd.status().with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// `program arg arg` for messages.
pub fn describe(cmd: &Command) -> String {
    // Show `cargo`, not the toolchain's full path.
    let program = Path::new(cmd.get_program()).file_name().unwrap_or(cmd.get_program());
    std::iter::once(program).chain(cmd.get_args()).map(OsStr::to_string_lossy).collect::<Vec<_>>().join(" ")
}

/// The full path of `name` if an executable of that name is on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.metadata().map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false))
}

/// Whether the environment says we run under CI (`CI=true`, as CI systems set it).
pub fn is_ci() -> bool {
    std::env::var("CI").map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")).unwrap_or(false)
}

/// `512.3 KB` (1 KB = 1024 bytes).
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn kb_formats_one_decimal() {
        assert_eq!(super::kb(0), "0.0 KB");
        assert_eq!(super::kb(1536), "1.5 KB");
        assert_eq!(super::kb(524_595), "512.3 KB");
    }
}
