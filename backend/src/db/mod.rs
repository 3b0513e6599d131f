//! The database: one connection type over PostgreSQL and SQLite, a pool, embedded migrations, and the two ways to
//! use it from handlers (`read` and `write`), both run off the async executor.

pub mod accounts;
pub mod as_of;
pub mod audit;
pub mod evaluation;
pub mod figures;
pub mod follow_ups;
pub mod hooks;
pub mod items;
pub mod journey;
pub mod judgements;
pub mod leader_reports;
pub mod login_attempts;
pub mod maintenance;
pub mod models;
pub mod onsite;
pub mod org;
pub mod privacy;
pub mod receipts;
pub mod referrals;
pub mod reminders;
pub mod reports;
pub mod routines;
pub mod schema;
pub mod settings;
pub mod supervision;
pub mod visits;
pub mod voice;

use std::sync::{Arc, Mutex};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::AppError;

/// One connection, whichever engine the URL names. PostgreSQL first: establishing tries the variants in order,
/// and SQLite would accept any string as a file path.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConn>>;

/// A round trip to the database (`SELECT 1`).
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1")).get_result::<i32>(conn).map(drop)
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Which engine a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of(url: &str) -> Engine {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Sets SQLite's pragmas on every pooled connection: WAL, foreign keys, a busy timeout, and the sync level.
#[derive(Debug)]
struct SqlitePragmas {
    synchronous: String,
}

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = {};",
                self.synchronous
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The pool and, for SQLite, a lock that lets one writer in at a time (SQLite allows one writer; waiting here is
/// kinder than SQLITE_BUSY on a lock upgrade).
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    engine: Engine,
    write_lock: Option<Arc<Mutex<()>>>,
}

impl Db {
    /// Connects (creating the SQLite file and its folder when needed) and runs the pending migrations.
    pub fn connect(url: &str, sqlite_synchronous: &str, pool_size: u32) -> anyhow::Result<Db> {
        let engine = Engine::of(url);
        let conn_url = match engine {
            Engine::Postgres => url.to_string(),
            Engine::Sqlite => {
                let path = url.strip_prefix("sqlite://").unwrap_or(url);
                if let Some(dir) = std::path::Path::new(path).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)?;
                    }
                }
                path.to_string()
            }
        };
        let synchronous = match sqlite_synchronous.to_ascii_uppercase().as_str() {
            s @ ("OFF" | "NORMAL" | "FULL" | "EXTRA") => s.to_string(),
            other => {
                anyhow::bail!("sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA, not {other}")
            }
        };
        let manager = ConnectionManager::<DbConn>::new(conn_url);
        let pool = Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(10))
            .connection_customizer(Box::new(SqlitePragmas { synchronous }))
            .build(manager)?;
        let db = Db { pool, engine, write_lock: (engine == Engine::Sqlite).then(|| Arc::new(Mutex::new(()))) };
        let mut conn = db.pool.get()?;
        run_migrations(&mut conn)?;
        Ok(db)
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A connection for blocking code that is already off the executor (start-up, tests).
    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager<DbConn>>, AppError> {
        let started = std::time::Instant::now();
        let conn = self.pool.get().map_err(|e| AppError::Unavailable(e.to_string()));
        crate::metrics::METRICS.pool_wait_seconds.observe(started.elapsed().as_secs_f64());
        conn
    }

    /// The pool's connections: open, and idle among them.
    pub fn pool_state(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections, s.idle_connections)
    }

    /// Runs read-only work on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// Runs a write in one transaction on a blocking thread: all of it commits, or none of it.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.write_blocking(f))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// The blocking form of `write`, for start-up code.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError>,
    {
        let _guard = self.write_lock.as_ref().map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let mut conn = self.conn()?;
        let conn: &mut DbConn = &mut conn;
        if !matches!(conn, DbConn::Sqlite(_)) {
            return conn.transaction(|c| f(c));
        }
        // SQLite: BEGIN IMMEDIATE takes the write lock at once (waiting up to busy_timeout), so a transaction that
        // reads and then writes never fails with "database is locked" when another process writes meanwhile.
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        if let DbConn::Sqlite(c) = &mut *conn {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        }
        let result = f(&mut *conn);
        if let DbConn::Sqlite(c) = &mut *conn {
            match &result {
                Ok(_) => AnsiTransactionManager::commit_transaction(c)?,
                Err(_) => AnsiTransactionManager::rollback_transaction(c)?,
            }
        }
        result
    }
}

fn run_migrations(conn: &mut DbConn) -> anyhow::Result<()> {
    let applied = match conn {
        DbConn::Pg(c) => {
            // Several instances may start at once: one migrates while the others wait on this lock.
            c.batch_execute("SELECT pg_advisory_lock(72440001)")?;
            let result = c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len());
            c.batch_execute("SELECT pg_advisory_unlock(72440001)")?;
            result
        }
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    }
    .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(())
}
