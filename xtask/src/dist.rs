//! `cargo xtask dist`: builds the Leptos web app to wasm twice — the staff's app and the residents' small one — runs
//! wasm-bindgen (as a library), optionally wasm-opt, copies the static files, writes each compressible file's brotli
//! and gzip copies beside it, syncs everything into `frontend/dist/` and prints what a first load transfers.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util::{self, cargo, kb, run_checked, which};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// One wasm app built from the `frontend` crate.
struct WebApp {
    /// What `report_size` calls it.
    label: &'static str,
    /// The page loads `/<out_name>.js`, which loads `<out_name>_bg.wasm`.
    out_name: &'static str,
    /// The crate features of this build.
    features: &'static str,
    /// Its page, which the server answers for the app's routes.
    page: &'static str,
    /// A target dir under the wasm one: a cdylib's file name carries no hash, so two feature sets sharing one dir would
    /// take each other's `frontend.wasm` for fresh.
    target_subdir: &'static str,
}

const APPS: [WebApp; 2] = [
    WebApp { label: "staff app", out_name: "frontend", features: "", page: "index.html", target_subdir: "" },
    WebApp {
        label: "residents' link (/r/…)",
        out_name: "resident",
        features: "resident",
        page: "resident.html",
        target_subdir: "resident",
    },
];
/// Static files copied from `frontend/` into `dist/` when present (`index.html` is required).
const STATIC_FILES: &[&str] =
    &["index.html", "resident.html", "style.css", "manifest.webmanifest", "icons", "sw.js", "favicon.ico"];
/// Files the server may send compressed: their `.br` and `.gz` copies are written beside them.
const COMPRESSIBLE: &[&str] = &["html", "js", "wasm", "css", "svg", "webmanifest"];
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
    // Everything is put together in a staging folder, then synced into dist/ (only changed files are rewritten, so
    // the backend, which embeds dist/, does not recompile when nothing changed).
    let staging = wasm_target_dir.join("dist-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("removing {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)?;

    for app in &APPS {
        build_app(app, &wasm_target_dir.join(app.target_subdir), &staging, &root)?;
    }

    for name in STATIC_FILES {
        let from = frontend.join(name);
        if from.exists() {
            copy_recursive(&from, &staging.join(name))?;
        }
    }

    stamp_service_worker(&staging)?;
    write_compressed_copies(&staging)?;
    sync_dir(&staging, &dist)?;
    println!("xtask: web app written to {}", dist.display());
    for app in &APPS {
        report_size(&dist, app)?;
    }
    Ok(dist)
}

/// Builds one app (wasm32, release, small) and writes its `.js` and `_bg.wasm` into `staging`.
fn build_app(app: &WebApp, target_dir: &Path, staging: &Path, root: &Path) -> Result<()> {
    println!("xtask: building the {} (wasm32, release, opt-level z)…", app.label);
    let mut build = cargo();
    build
        .args(["build", "-p", "frontend", "--target", WASM_TARGET, "--release", "--target-dir"])
        .arg(target_dir)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort");
    if !app.features.is_empty() {
        build.args(["--features", app.features]);
    }
    run_checked(&mut build)?;
    let wasm = target_dir.join(WASM_TARGET).join("release").join("frontend.wasm");
    if !wasm.is_file() {
        bail!("the build finished but {} is missing (is `frontend` a cdylib?)", wasm.display());
    }

    println!("xtask: wasm-bindgen ({})…", app.out_name);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(app.out_name)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(false)
        .remove_name_section(true)
        .generate(staging)
        .with_context(|| format!("wasm-bindgen failed{}", pin_hint(root)))?;
    let js = staging.join(format!("{}.js", app.out_name));
    let bg_wasm = staging.join(format!("{}_bg.wasm", app.out_name));
    for f in [&js, &bg_wasm] {
        if !f.is_file() {
            bail!("wasm-bindgen did not produce {}", f.display());
        }
    }
    optimize_wasm(&bg_wasm)
}

/// Writes `<file>.br` (brotli, best) and `<file>.gz` (gzip, best) beside each compressible file, so the server sends
/// the smallest copy the browser accepts without compressing on every request.
fn write_compressed_copies(staging: &Path) -> Result<()> {
    for rel in list_files(staging)? {
        if !rel.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e)) {
            continue;
        }
        let path = staging.join(&rel);
        let data = fs::read(&path)?;
        fs::write(with_suffix(&path, "br"), brotli_bytes(&data)?)?;
        fs::write(with_suffix(&path, "gz"), gzip_bytes(&data)?)?;
    }
    Ok(())
}

/// `a/b.js` → `a/b.js.br`.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
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
pub fn ensure_wasm_target() -> Result<()> {
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

pub fn gzip_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data)?;
    Ok(enc.finish()?)
}

pub fn brotli_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        // Quality 11 (the best), a 4 MB window (lgwin 22): the wasm is a few MB.
        let mut enc = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        enc.write_all(data)?;
        enc.flush()?;
    }
    Ok(out)
}

/// Prints `<app>: wasm … (br …, gzip …), js …, css …, html … — first load br …, gzip …` from the files in `dist`.
fn report_size(dist: &Path, app: &WebApp) -> Result<()> {
    let mut js_files = vec![dist.join(format!("{}.js", app.out_name))];
    // wasm-bindgen snippets (inline JS) are loaded on first load too.
    js_files.extend(
        list_files(&dist.join("snippets"))?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "js"))
            .map(|p| dist.join("snippets").join(p)),
    );
    let groups: [(&str, Vec<PathBuf>); 4] = [
        ("wasm", vec![dist.join(format!("{}_bg.wasm", app.out_name))]),
        ("js", js_files),
        ("css", vec![dist.join("style.css")]),
        ("html", vec![dist.join(app.page)]),
    ];
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut parts = Vec::new();
    let (mut total_br, mut total_gz) = (0, 0);
    for (label, files) in groups {
        let files: Vec<_> = files.into_iter().filter(|f| f.is_file()).collect();
        if files.is_empty() {
            continue;
        }
        let raw: u64 = files.iter().map(|f| size(f)).sum();
        let br: u64 = files.iter().map(|f| size(&with_suffix(f, "br"))).sum();
        let gz: u64 = files.iter().map(|f| size(&with_suffix(f, "gz"))).sum();
        parts.push(format!("{label} {} (br {}, gzip {})", kb(raw), kb(br), kb(gz)));
        total_br += br;
        total_gz += gz;
    }
    println!("{}: {} — first load br {}, gzip {}", app.label, parts.join(", "), kb(total_br), kb(total_gz));
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
    fn compressed_copies_shrink_repetitive_data_and_unpack_to_it() {
        use std::io::Read;
        let data = b"\xe6\xb0\x91\xe6\x83\x85 ".repeat(2_000);
        let gz = gzip_bytes(&data).unwrap();
        let br = brotli_bytes(&data).unwrap();
        assert!(gz.len() < 200 && br.len() < 200, "gzip {} br {}", gz.len(), br.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        back.clear();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        assert_eq!(with_suffix(Path::new("a/b.js"), "br"), PathBuf::from("a/b.js.br"));
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
