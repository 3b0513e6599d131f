//! The queries of backup and restore: the tables a database holds and their row counts, SQLite's consistent online
//! copy (`VACUUM INTO`), and PostgreSQL's exported snapshot that pg_dump reads from.

use std::collections::BTreeMap;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::DbConn;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The database's own tables (diesel's migration record included), by name.
pub fn table_names(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        DbConn::Pg(_) => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY name"
        }
    };
    Ok(diesel::sql_query(sql).load::<Name>(conn)?.into_iter().map(|n| n.name).collect())
}

/// Every table's row count.
pub fn row_counts(conn: &mut DbConn) -> QueryResult<BTreeMap<String, i64>> {
    let mut counts = BTreeMap::new();
    for table in table_names(conn)? {
        // The names come from the database's own catalogue; quoted all the same.
        let sql = format!("SELECT COUNT(*) AS n FROM \"{}\"", table.replace('"', "\"\""));
        let n = diesel::sql_query(sql).get_result::<Count>(conn)?.n;
        counts.insert(table, n);
    }
    Ok(counts)
}

/// Writes a consistent copy of a SQLite database to `path` (which must not exist), while others keep writing.
pub fn sqlite_copy_into(conn: &mut DbConn, path: &std::path::Path) -> QueryResult<()> {
    let target = path.to_string_lossy().replace('\'', "''");
    conn.batch_execute(&format!("VACUUM INTO '{target}'"))
}

/// Opens a REPEATABLE READ transaction on PostgreSQL and exports its snapshot, for pg_dump to read the same state
/// the counts are taken from; the caller commits when the dump is done.
pub fn pg_begin_snapshot(conn: &mut DbConn) -> QueryResult<String> {
    conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    Ok(diesel::sql_query("SELECT pg_export_snapshot() AS name").get_result::<Name>(conn)?.name)
}

/// Ends the transaction `pg_begin_snapshot` opened.
pub fn pg_end_snapshot(conn: &mut DbConn) -> QueryResult<()> {
    conn.batch_execute("COMMIT")
}

/// Opens a SQLite file that nobody writes to (a backup's copy) read-only, leaving no journal files beside it.
pub fn open_sqlite_read_only(path: &std::path::Path) -> ConnectionResult<DbConn> {
    let uri = format!("file:{}?immutable=1", path.to_string_lossy().replace('?', "%3f").replace('#', "%23"));
    Ok(DbConn::Sqlite(diesel::SqliteConnection::establish(&uri)?))
}
