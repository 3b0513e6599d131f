//! `minqing restore --from FOLDER`: checks a backup against its manifest (every file's size and SHA-256), then puts
//! the database, the photos and the secret back into an empty data directory or database. A place that already holds
//! a ledger is refused unless `--force` is given; then the SQLite file it held is kept aside, not deleted.

use std::path::Path;

use anyhow::{bail, Context};

use super::{safe_key, sums, Manifest, MANIFEST_FILE, PG_FILE, PHOTOS_DIR, SECRET_FILE, SQLITE_FILE};
use crate::configuration::Settings;
use crate::db::{self, Db, Engine};
use crate::storage::Storage;

/// Reads a backup's manifest and checks every file against it.
pub fn check(from: &Path) -> anyhow::Result<Manifest> {
    let text = std::fs::read(from.join(MANIFEST_FILE))
        .with_context(|| format!("{} 不是完整的备份：其中没有 {MANIFEST_FILE}", from.display()))?;
    let manifest: Manifest = serde_json::from_slice(&text).context("备份清单 manifest.json 无法读取")?;
    if manifest.format != 1 {
        bail!("这份备份的格式（{}）比本程序新，请用更新的版本恢复", manifest.format);
    }
    let found = sums(from)?;
    for (path, sum) in &manifest.files {
        match found.get(path) {
            None => bail!("备份缺少文件 {path}"),
            Some(f) if f != sum => bail!("{path} 与清单不符（已损坏或被改动），未做任何恢复"),
            Some(_) => {}
        }
    }
    if let Some(extra) = found.keys().find(|p| !manifest.files.contains_key(*p)) {
        bail!("{extra} 不在清单中，未做任何恢复");
    }
    Ok(manifest)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub photos: usize,
    /// Where the SQLite file that was replaced (with `--force`) was kept.
    pub kept_aside: Option<std::path::PathBuf>,
}

/// Restores the backup in `from` into the place `settings` name; refuses a place holding data unless `force`.
pub async fn restore(settings: &Settings, from: &Path, force: bool) -> anyhow::Result<Restored> {
    let manifest = check(from)?;
    let url = settings.database_url();
    let engine = Engine::of(&url);
    if engine.name() != manifest.engine {
        bail!("这是 {} 数据库的备份，而设置指向 {} 数据库", manifest.engine, engine.name());
    }
    let kept_aside = match engine {
        Engine::Sqlite => restore_sqlite(&url, from, force)?,
        Engine::Postgres => {
            let (url2, from2) = (url.clone(), from.to_path_buf());
            tokio::task::spawn_blocking(move || restore_postgres(&url2, &from2, force)).await??;
            None
        }
    };
    // The photos, into the configured store (the data directory's or S3).
    let storage = Storage::from_settings(settings)?;
    let mut photos = 0;
    for path in manifest.files.keys().filter(|p| p.starts_with(&format!("{PHOTOS_DIR}/"))) {
        let key = &path[PHOTOS_DIR.len() + 1..];
        let bytes = std::fs::read(from.join(PHOTOS_DIR).join(safe_key(key)?))?;
        storage.put(key, bytes).await.with_context(|| format!("写入照片 {key}"))?;
        photos += 1;
    }
    if manifest.files.contains_key(SECRET_FILE) && settings.jwt_secret.is_empty() {
        std::fs::create_dir_all(&settings.data_dir)?;
        let target = settings.data_dir.join(SECRET_FILE);
        std::fs::copy(from.join(SECRET_FILE), &target)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    // The restored database is brought up to this program's migrations, and its counts checked.
    let (url2, tables) = (url.clone(), manifest.tables.clone());
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let db = Db::connect(&url2, "FULL", 1)?;
        let mut conn = db.conn().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let now = db::maintenance::row_counts(&mut conn)?;
        for (table, n) in &tables {
            if table == "__diesel_schema_migrations" {
                continue;
            }
            if now.get(table) != Some(n) {
                bail!("恢复后表 {table} 有 {:?} 行，而备份中是 {n} 行", now.get(table));
            }
        }
        Ok(())
    })
    .await??;
    Ok(Restored { manifest, photos, kept_aside })
}

fn restore_sqlite(url: &str, from: &Path, force: bool) -> anyhow::Result<Option<std::path::PathBuf>> {
    let target = std::path::PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
    let mut kept_aside = None;
    if target.exists() {
        if !force {
            bail!(
                "{} 已有台账数据：请恢复到空的数据目录，或加 --force 替换（原文件会改名保留在旁边）",
                target.display()
            );
        }
        let aside = target.with_extension(format!("before-restore-{}", chrono::Utc::now().format("%Y%m%d-%H%M%S")));
        std::fs::rename(&target, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let side = std::path::PathBuf::from(format!("{}{suffix}", target.display()));
            if side.exists() {
                std::fs::remove_file(side)?;
            }
        }
        kept_aside = Some(aside);
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = target.with_extension("restoring");
    std::fs::copy(from.join(SQLITE_FILE), &partial)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    Ok(kept_aside)
}

fn restore_postgres(url: &str, from: &Path, force: bool) -> anyhow::Result<()> {
    let mut conn = <db::DbConn as diesel::Connection>::establish(url)?;
    let tables = db::maintenance::table_names(&mut conn)?;
    if !tables.is_empty() && !force {
        bail!("数据库中已有 {} 张表：请恢复到空数据库，或加 --force 替换", tables.len());
    }
    let mut cmd = std::process::Command::new("pg_restore");
    cmd.args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]);
    if !tables.is_empty() {
        cmd.args(["--clean", "--if-exists"]);
    }
    let out = cmd
        .arg("--dbname")
        .arg(url)
        .arg(from.join(PG_FILE))
        .output()
        .context("无法运行 pg_restore（请安装 PostgreSQL 客户端工具，如 postgresql-client）")?;
    if !out.status.success() {
        bail!("pg_restore 失败：{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}
