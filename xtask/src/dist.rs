//! `cargo xtask dist`: builds the Leptos web app to wasm, runs wasm-bindgen (as a library), optionally wasm-opt,
//! copies the static files, syncs everything into `frontend/dist/` and prints the shipped size.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util::{self, cargo, kb, run_checked, which};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The out name the page relies on: index.html loads `/frontend.js`, which loads `frontend_bg.wasm`.
const OUT_NAME: &str = "frontend";
/// Static files copied from `frontend/` into `dist/` when present (`index.html` is required).
const STATIC_FILES: &[&str] = &["index.html", "style.css", "manifest.webmanifest", "icons", "sw.js", "favicon.ico"];
/// Where `sw.js` takes the build's hash.
const BUILD_MARK: &str = "__MINQING_BUILD__";
/// Oldest wasm-opt that handles current wasm-bindgen output (bookworm's 108 produces a broken module).
const MIN_WASM_OPT: u32 = 116;

/// Builds `frontend/dist/` and returns its path.
pub fn run() -> Result<PathBuf> {
    let root = util::workspace_root();
    let frontend = root.join("frontend");
    let dist = frontend.join("dist");
    if !frontend.join("index.html").is_file() {
        bail!("{} is missing: the web app has no page to load (write it first)", frontend.join("index.html").display());
    }

    ensure_wasm_target()?;

    // A target dir of its own: the size settings below change the release profile, and sharing `target/` would make
    // the backend's release build and this one invalidate each other's dependencies.
    let wasm_target_dir = util::target_dir().join("wasm");
    println!("xtask: building the web app (wasm32, release, opt-level z)…");
    run_checked(
        cargo()
            .args(["build", "-p", "frontend", "--target", WASM_TARGET, "--release", "--target-dir"])
            .arg(&wasm_target_dir)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
            .env("CARGO_PROFILE_RELEASE_LTO", "true")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
            .env("CARGO_PROFILE_RELEASE_PANIC", "abort"),
    )?;
    let wasm = wasm_target_dir.join(WASM_TARGET).join("release").join(format!("{OUT_NAME}.wasm"));
    if !wasm.is_file() {
        bail!("the build finished but {} is missing (is `frontend` a cdylib?)", wasm.display());
    }

    // Everything is put together in a staging folder, then synced into dist/ (only changed files are rewritten, so
    // the backend, which embeds dist/, does not recompile when nothing changed).
    let staging = wasm_target_dir.join("dist-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("removing {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)?;

    println!("xtask: wasm-bindgen…");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(OUT_NAME)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .remove_name_section(true)
        .generate(&staging)
        .with_context(|| format!("wasm-bindgen failed{}", pin_hint(&root)))?;
    let js = staging.join(format!("{OUT_NAME}.js"));
    let bg_wasm = staging.join(format!("{OUT_NAME}_bg.wasm"));
    for f in [&js, &bg_wasm] {
        if !f.is_file() {
            bail!("wasm-bindgen did not produce {}", f.display());
        }
    }

    optimize_wasm(&bg_wasm)?;

    for name in STATIC_FILES {
        let from = frontend.join(name);
        if from.exists() {
            copy_recursive(&from, &staging.join(name))?;
        }
    }

    stamp_service_worker(&staging)?;
    sync_dir(&staging, &dist)?;
    println!("xtask: web app written to {}", dist.display());
    report_size(&dist)?;
    Ok(dist)
}

/// Writes the build's content hash into the staged `sw.js`, so a changed shell file is a changed service worker: the
/// browser installs it and the page offers the update.
fn stamp_service_worker(staging: &Path) -> Result<()> {
    use std::hash::{Hash, Hasher};
    let sw = staging.join("sw.js");
    if !sw.is_file() {
        return Ok(());
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in list_files(staging)? {
        if file != Path::new("sw.js") {
            file.hash(&mut hasher);
            fs::read(staging.join(&file))?.hash(&mut hasher);
        }
    }
    let text = fs::read_to_string(&sw)?;
    if !text.contains(BUILD_MARK) {
        bail!("{} has no {BUILD_MARK} to stamp the build into", sw.display());
    }
    fs::write(&sw, text.replace(BUILD_MARK, &format!("{:016x}", hasher.finish())))?;
    Ok(())
}

/// Makes sure the wasm32 standard library is installed (rustup's auto-install is off on these machines).
fn ensure_wasm_target() -> Result<()> {
    let root = util::workspace_root();
    if which("rustup").is_some() {
        let out = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .current_dir(&root)
            .output()
            .context("running `rustup target list --installed`")?;
        if !out.status.success() {
            bail!("`rustup target list --installed` failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == WASM_TARGET) {
            return Ok(());
        }
        println!("xtask: the {WASM_TARGET} target is missing; running `rustup target add {WASM_TARGET}`");
        return run_checked(Command::new("rustup").args(["target", "add", WASM_TARGET]).current_dir(&root));
    }
    // No rustup: the toolchain must already ship the wasm32 standard library.
    let out =
        Command::new("rustc").args(["--print", "target-libdir", "--target", WASM_TARGET]).current_dir(&root).output();
    let installed = match out {
        Ok(o) if o.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            fs::read_dir(&dir).map(|mut d| d.next().is_some()).unwrap_or(false)
        }
        _ => false,
    };
    if !installed {
        bail!(
            "the Rust standard library for {WASM_TARGET} is not installed and rustup is not on PATH. Install rustup \
             (https://rustup.rs) and run `rustup target add {WASM_TARGET}`, or install your distribution's package \
             of the Rust standard library for {WASM_TARGET}"
        );
    }
    Ok(())
}

/// The version of package `name` in a Cargo.lock text (the first entry of that name).
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            let v = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(v.to_string());
        }
    }
    None
}

/// When wasm-bindgen fails, the usual cause is a library pin that differs from the crate the app was built with.
fn pin_hint(root: &Path) -> String {
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    match (lock_version(&lock, "wasm-bindgen"), lock_version(&lock, "wasm-bindgen-cli-support")) {
        (Some(app), Some(lib)) if app != lib => format!(
            " (Cargo.lock has wasm-bindgen {app} but wasm-bindgen-cli-support {lib}: set \
             `wasm-bindgen-cli-support = \"={app}\"` in xtask/Cargo.toml)"
        ),
        _ => String::new(),
    }
}

/// Runs `wasm-opt -Oz` when a recent enough binaryen is on PATH; otherwise says why it is skipped.
fn optimize_wasm(wasm: &Path) -> Result<()> {
    const SKIP: &str =
        "wasm-opt not found (or too old); skipping — install binaryen >= 116 to shrink the wasm a little";
    let Some(wasm_opt) = which("wasm-opt") else {
        println!("{SKIP}");
        return Ok(());
    };
    let version = Command::new(&wasm_opt)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| parse_wasm_opt_version(&String::from_utf8_lossy(&o.stdout)));
    match version {
        Some(v) if v >= MIN_WASM_OPT => {}
        _ => {
            println!("{SKIP}");
            return Ok(());
        }
    }
    println!("xtask: wasm-opt -Oz…");
    let out = wasm.with_extension("opt.wasm");
    // The features rustc enables by default on wasm32-unknown-unknown; all current browsers have them.
    let status = Command::new(&wasm_opt)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-reference-types",
            "--enable-sign-ext",
            "--enable-multivalue",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(&out)
        .status()
        .context("running wasm-opt")?;
    if status.success() && out.is_file() {
        fs::rename(&out, wasm)?;
    } else {
        let _ = fs::remove_file(&out);
        println!("xtask: wasm-opt failed ({status}); shipping the wasm without it");
    }
    Ok(())
}

/// `wasm-opt version 116 (version_116)` → 116.
pub fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let rest = &text[text.find("version")? + "version".len()..];
    let digits: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn copy_recursive(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy_recursive(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        fs::copy(from, to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

/// Relative paths of all files under `dir`.
fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) -> Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                out.insert(path.strip_prefix(base)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = BTreeSet::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out)?;
    }
    Ok(out)
}

/// Makes `to` hold exactly the files of `from`, rewriting only files whose content differs.
fn sync_dir(from: &Path, to: &Path) -> Result<()> {
    let wanted = list_files(from)?;
    for stale in list_files(to)?.difference(&wanted) {
        fs::remove_file(to.join(stale))?;
    }
    remove_empty_dirs(to)?;
    for rel in &wanted {
        let src = fs::read(from.join(rel))?;
        let dst = to.join(rel);
        if fs::read(&dst).ok().as_deref() != Some(&src[..]) {
            if let Some(parent) = dst.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&dst, &src).with_context(|| format!("writing {}", dst.display()))?;
        }
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            remove_empty_dirs(&path)?;
            if fs::read_dir(&path)?.next().is_none() {
                fs::remove_dir(&path)?;
            }
        }
    }
    Ok(())
}

pub fn gzip_len(data: &[u8]) -> Result<u64> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data)?;
    Ok(enc.finish()?.len() as u64)
}

/// Prints `app size: wasm … (gzip …), js …, css …, html … — first load total gzip …`.
fn report_size(dist: &Path) -> Result<()> {
    let mut js_files = vec![dist.join(format!("{OUT_NAME}.js"))];
    // wasm-bindgen snippets (inline JS) are loaded on first load too.
    js_files.extend(
        list_files(&dist.join("snippets"))?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "js"))
            .map(|p| dist.join("snippets").join(p)),
    );
    let groups: [(&str, Vec<PathBuf>); 4] = [
        ("wasm", vec![dist.join(format!("{OUT_NAME}_bg.wasm"))]),
        ("js", js_files),
        ("css", vec![dist.join("style.css")]),
        ("html", vec![dist.join("index.html")]),
    ];
    let mut parts = Vec::new();
    let mut total_gz = 0;
    for (label, files) in groups {
        let (mut raw, mut gz, mut any) = (0, 0, false);
        for f in files.iter().filter(|f| f.is_file()) {
            let data = fs::read(f)?;
            raw += data.len() as u64;
            gz += gzip_len(&data)?;
            any = true;
        }
        if any {
            parts.push(format!("{label} {} (gzip {})", kb(raw), kb(gz)));
            total_gz += gz;
        }
    }
    println!("app size: {} — first load total gzip {}", parts.join(", "), kb(total_gz));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_versions() {
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108\n"), Some(108));
        assert_eq!(parse_wasm_opt_version("wasm-opt version 116 (version_116)\n"), Some(116));
        assert_eq!(parse_wasm_opt_version("wasm-opt version 123 (version_123-5-gabc)"), Some(123));
        assert_eq!(parse_wasm_opt_version("something else"), None);
    }

    #[test]
    fn bindgen_pin_matches_the_app() {
        // wasm-bindgen (used by the app) and wasm-bindgen-cli-support (used here) must be the same version.
        let lock = fs::read_to_string(util::workspace_root().join("Cargo.lock")).unwrap();
        let app = lock_version(&lock, "wasm-bindgen").expect("wasm-bindgen in Cargo.lock");
        let lib = lock_version(&lock, "wasm-bindgen-cli-support").expect("wasm-bindgen-cli-support in Cargo.lock");
        assert_eq!(app, lib, "set `wasm-bindgen-cli-support = \"={app}\"` in xtask/Cargo.toml");
    }

    #[test]
    fn lock_versions() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.105\"\nsource = \"x\"\n";
        assert_eq!(lock_version(lock, "wasm-bindgen").as_deref(), Some("0.2.105"));
        assert_eq!(lock_version(lock, "wasm-bindgen-macro"), None);
    }

    #[test]
    fn gzip_shrinks_repetitive_data() {
        let data = vec![b'a'; 10_000];
        let n = gzip_len(&data).unwrap();
        assert!(n > 0 && n < 200, "{n}");
    }

    #[test]
    fn sync_rewrites_only_changes_and_drops_stale_files() {
        let base = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let (from, to) = (base.join("from"), base.join("to"));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(from.join("icons")).unwrap();
        fs::create_dir_all(to.join("old")).unwrap();
        fs::write(from.join("same.txt"), "same").unwrap();
        fs::write(from.join("icons/a.png"), "new").unwrap();
        fs::write(to.join("same.txt"), "same").unwrap();
        fs::write(to.join("old/stale.txt"), "x").unwrap();
        let before = fs::metadata(to.join("same.txt")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        sync_dir(&from, &to).unwrap();
        assert_eq!(fs::read_to_string(to.join("icons/a.png")).unwrap(), "new");
        assert!(!to.join("old").exists());
        assert_eq!(fs::metadata(to.join("same.txt")).unwrap().modified().unwrap(), before);
        fs::remove_dir_all(&base).unwrap();
    }
}
