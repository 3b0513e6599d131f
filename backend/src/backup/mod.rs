//! Backups an IT officer can trust: `minqing backup --to DIR` copies the database (SQLite's `VACUUM INTO`, or
//! pg_dump from an exported snapshot), every photo and the signing secret into a new folder named by time, with a
//! manifest of each table's row count and each file's size and SHA-256, while the server keeps running.
//! `minqing restore --from FOLDER` (restore.rs) checks the manifest and puts it all back.

pub mod restore;
pub mod schedule;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::configuration::Settings;
use crate::db::{self, Db, Engine};
use crate::storage::Storage;

/// The database file in a SQLite backup.
pub const SQLITE_FILE: &str = "database.sqlite";
/// The database dump (pg_dump's custom format) in a PostgreSQL backup.
pub const PG_FILE: &str = "database.pgdump";
/// The signing secret, when the server generated its own (`MINQING_JWT_SECRET` unset).
pub const SECRET_FILE: &str = "jwt-secret";
/// The manifest, written last: a folder without one is not a finished backup.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Where the photos go, by their storage keys.
pub const PHOTOS_DIR: &str = "photos";

/// What a backup holds, to check a restore against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format.
    pub format: u32,
    /// The program's version that made it.
    pub minqing_version: String,
    /// When it was made (UTC).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// "sqlite" or "postgres".
    pub engine: String,
    /// Each table's rows at the moment of the copy.
    pub tables: BTreeMap<String, i64>,
    /// Every file of the backup but the manifest, by its path inside the folder.
    pub files: BTreeMap<String, FileSum>,
}

/// A file's size and SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSum {
    pub bytes: u64,
    pub sha256: String,
}

impl FileSum {
    pub fn of(path: &Path) -> anyhow::Result<FileSum> {
        let mut file = std::fs::File::open(path).with_context(|| format!("读取 {}", path.display()))?;
        let mut hasher = Sha256::new();
        let bytes = std::io::copy(&mut file, &mut hasher)?;
        Ok(FileSum { bytes, sha256: hex::encode(hasher.finalize()) })
    }
}

/// Makes a backup in a new folder under `to`, named `minqing-backup-YYYYMMDD-HHMMSS`; returns its path and manifest.
/// The folder is written under a temporary name and renamed when complete.
pub async fn backup(settings: &Settings, to: &Path) -> anyhow::Result<(PathBuf, Manifest)> {
    let now = chrono::Utc::now();
    std::fs::create_dir_all(to).with_context(|| format!("创建 {}", to.display()))?;
    let name = format!("minqing-backup-{}", now.format("%Y%m%d-%H%M%S"));
    let (partial, done) = (to.join(format!(".{name}.partial")), to.join(&name));
    if done.exists() {
        bail!("{} 已存在，请稍等一秒再试", done.display());
    }
    if partial.exists() {
        std::fs::remove_dir_all(&partial)?;
    }
    std::fs::create_dir_all(partial.join(PHOTOS_DIR))?;

    // The database first: every photo it refers to was stored before the row that names it.
    let url = settings.database_url();
    let (sync, target) = (settings.sqlite_synchronous.clone(), partial.clone());
    let (engine, tables) = tokio::task::spawn_blocking(move || -> anyhow::Result<(Engine, BTreeMap<String, i64>)> {
        let db = Db::connect(&url, &sync, 2)?;
        let tables = copy_database(&db, &url, &target)?;
        Ok((db.engine(), tables))
    })
    .await??;

    let storage = Storage::from_settings(settings)?;
    for key in storage.keys().await? {
        let bytes = storage.get(&key).await.with_context(|| format!("读取照片 {key}"))?;
        let path = partial.join(PHOTOS_DIR).join(safe_key(&key)?);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &bytes)?;
    }
    if settings.jwt_secret.is_empty() {
        let secret = settings.data_dir.join(SECRET_FILE);
        if secret.exists() {
            std::fs::copy(&secret, partial.join(SECRET_FILE))?;
        }
    }

    let manifest = Manifest {
        format: 1,
        minqing_version: env!("CARGO_PKG_VERSION").into(),
        created_at: now,
        engine: engine.name().into(),
        tables,
        files: sums(&partial)?,
    };
    let file = partial.join(MANIFEST_FILE);
    std::fs::write(&file, serde_json::to_vec_pretty(&manifest)?)?;
    std::fs::File::open(&file)?.sync_all()?;
    std::fs::rename(&partial, &done)?;
    Ok((done, manifest))
}

/// Copies the database into the folder and answers each table's rows in that copy.
fn copy_database(db: &Db, url: &str, folder: &Path) -> anyhow::Result<BTreeMap<String, i64>> {
    let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    match db.engine() {
        Engine::Sqlite => {
            let file = folder.join(SQLITE_FILE);
            db::maintenance::sqlite_copy_into(&mut conn, &file)?;
            // Counted in the copy itself (opened as unchangeable, so nothing is written beside it), so the counts are
            // the copy's whatever was written since.
            let mut copy = db::maintenance::open_sqlite_read_only(&file)?;
            Ok(db::maintenance::row_counts(&mut copy)?)
        }
        Engine::Postgres => {
            let snapshot = db::maintenance::pg_begin_snapshot(&mut conn)?;
            let counted = db::maintenance::row_counts(&mut conn);
            let dumped = pg_dump(url, &snapshot, &folder.join(PG_FILE));
            db::maintenance::pg_end_snapshot(&mut conn)?;
            dumped?;
            Ok(counted?)
        }
    }
}

fn pg_dump(url: &str, snapshot: &str, file: &Path) -> anyhow::Result<()> {
    let out = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges", "--snapshot", snapshot, "--file"])
        .arg(file)
        .arg(url)
        .output()
        .context("无法运行 pg_dump（请安装 PostgreSQL 客户端工具，如 postgresql-client）")?;
    if !out.status.success() {
        bail!("pg_dump 失败：{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

/// A storage key as a relative path inside the backup: no absolute paths, no `..`.
pub fn safe_key(key: &str) -> anyhow::Result<PathBuf> {
    let path = PathBuf::from(key);
    if key.is_empty() || path.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
        bail!("照片路径不正确：{key:?}");
    }
    Ok(path)
}

/// Every file under `folder` (the manifest excepted) with its sum, by its path inside the folder.
pub fn sums(folder: &Path) -> anyhow::Result<BTreeMap<String, FileSum>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(folder)?.to_string_lossy().replace('\\', "/");
            if rel != MANIFEST_FILE {
                out.insert(rel, FileSum::of(&path)?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_key_never_leaves_the_backup_folder() {
        assert_eq!(safe_key("2026/12/ab.jpg").unwrap(), PathBuf::from("2026/12/ab.jpg"));
        for bad in ["", "../x", "/etc/passwd", "a/../../b"] {
            assert!(safe_key(bad).is_err(), "{bad}");
        }
    }
}
