//! Scheduled backups: with `MINQING_BACKUP_DIR` set, a backup is made whenever the newest one there is older than
//! `MINQING_BACKUP_EVERY_HOURS` (24 by default), and only the newest `MINQING_BACKUP_KEEP` (14) are kept. It runs in
//! its own loop, apart from the other jobs, so neither can stop the other.

use std::path::{Path, PathBuf};

use crate::configuration::Settings;

/// Starts the schedule on the current runtime, when a backup folder is set.
pub fn start(settings: Settings) {
    if settings.backup_dir.trim().is_empty() {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&settings, chrono::Utc::now()).await {
                tracing::error!(error = %e, "scheduled backup failed; will try again");
            }
        }
    });
}

/// Makes a backup if the newest one is older than the setting, then prunes; answers the new backup's folder.
pub async fn run_once(settings: &Settings, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<Option<PathBuf>> {
    let dir = PathBuf::from(settings.backup_dir.trim());
    let every = chrono::Duration::hours(settings.backup_every_hours.max(1) as i64);
    let newest = finished(&dir)?.last().map(|(at, _)| *at);
    if newest.is_some_and(|at| now - at < every) {
        return Ok(None);
    }
    let (folder, manifest) = super::backup(settings, &dir).await?;
    tracing::info!(folder = %folder.display(), tables = manifest.tables.len(), "scheduled backup made");
    prune(&dir, settings.backup_keep.max(1))?;
    Ok(Some(folder))
}

/// The finished backups in `dir` (those with a manifest), oldest first, with when each was made.
pub fn finished(dir: &Path) -> anyhow::Result<Vec<(chrono::DateTime<chrono::Utc>, PathBuf)>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(out) };
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(stamp) = name.strip_prefix("minqing-backup-") else { continue };
        let Ok(at) = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S") else { continue };
        if path.join(super::MANIFEST_FILE).is_file() {
            out.push((at.and_utc(), path));
        }
    }
    out.sort();
    Ok(out)
}

/// Removes all but the newest `keep` finished backups.
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<()> {
    let all = finished(dir)?;
    for (_, path) in all.iter().take(all.len().saturating_sub(keep)) {
        std::fs::remove_dir_all(path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(dir: &Path, name: &str, finished: bool) {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        if finished {
            std::fs::write(dir.join(name).join(crate::backup::MANIFEST_FILE), "{}").unwrap();
        }
    }

    #[test]
    fn only_finished_backups_count_and_the_oldest_go_first() {
        let dir = tempfile::tempdir().unwrap();
        fake(dir.path(), "minqing-backup-20261201-020000", true);
        fake(dir.path(), "minqing-backup-20261202-020000", true);
        fake(dir.path(), "minqing-backup-20261203-020000", false);
        fake(dir.path(), "minqing-backup-20261204-020000", true);
        fake(dir.path(), "something-else", true);
        let names = |d: &Path| -> Vec<String> {
            finished(d).unwrap().iter().map(|(_, p)| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(names(dir.path()).len(), 3);
        prune(dir.path(), 2).unwrap();
        assert_eq!(names(dir.path()), ["minqing-backup-20261202-020000", "minqing-backup-20261204-020000"]);
        assert!(dir.path().join("minqing-backup-20261203-020000").exists(), "an unfinished one is not pruned");
        assert!(dir.path().join("something-else").exists());
    }
}
