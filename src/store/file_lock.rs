//! One `serve` per SQLite file: `serve` holds an exclusive lock on a file
//! beside the database (`<database>.lock`, which holds its pid) for as long
//! as it runs, so a second `serve` on the same file refuses to start, in one
//! line naming the file and the process running it, instead of both acting
//! as the scheduler's leader and taking back each other's outbox leases.
//! The lock is the operating system's (`flock(2)`, through rustix): it ends
//! with the process however it ends, so a crash leaves nothing to clean up,
//! and the file itself is left in place. (Other platforms take no lock.)

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use anyhow::Context as _;
use sqlx::sqlite::SqliteConnectOptions;

/// The lock this process holds on a SQLite database; released when dropped
/// or when the process ends.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
    database: PathBuf,
}

impl FileLock {
    /// The database file locked.
    pub fn database(&self) -> &Path {
        &self.database
    }
}

/// Locks the SQLite database that `url` names for this process; `None` for
/// PostgreSQL and in-memory databases. Fails, naming the file and the
/// running process's pid, when another process holds the lock.
pub fn lock_database(url: &str) -> anyhow::Result<Option<FileLock>> {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(None);
    }
    let opts = SqliteConnectOptions::from_str(url).context("parse database URL")?;
    let database = absolute(opts.get_filename())?;
    let lock_path = lock_path(&database);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .with_context(|| format!("open lock file {}", lock_path.display()))?;
    match try_lock(&file) {
        Ok(true) => {}
        Ok(false) => {
            let pid = std::fs::read_to_string(&lock_path)
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .map_or_else(|| "pid unknown".to_owned(), |pid| format!("pid {pid}"));
            anyhow::bail!(
                "database file {} is in use by another dingwarden serve ({pid}); \
                 SQLite allows one instance per file (use PostgreSQL for more than one replica)",
                database.display()
            );
        }
        Err(e) => {
            return Err(e).with_context(|| format!("lock {}", lock_path.display()));
        }
    }
    file.set_len(0)
        .and_then(|()| writeln!(file, "{}", std::process::id()))
        .and_then(|()| file.sync_data())
        .with_context(|| format!("write lock file {}", lock_path.display()))?;
    Ok(Some(FileLock {
        _file: file,
        database,
    }))
}

/// Takes the exclusive lock without waiting; false when another process
/// (or another open of the file) holds it.
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<bool> {
    Ok(true)
}

/// The lock file of a database file: `<database>.lock` beside it.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The database file's absolute path (it need not exist yet), so the
/// message names it whatever the working directory.
fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    let joined = std::path::absolute(path)
        .with_context(|| format!("resolve database path {}", path.display()))?;
    Ok(joined.canonicalize().unwrap_or(joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_file_is_refused_with_the_file_and_pid() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("a.db").display());
        let first = lock_database(&url)
            .unwrap()
            .expect("a SQLite file is locked");
        let lock = std::fs::read_to_string(lock_path(first.database())).unwrap();
        assert_eq!(lock.trim(), std::process::id().to_string());
        let err = lock_database(&url).unwrap_err().to_string();
        assert!(
            err.contains(&first.database().display().to_string()),
            "{err}"
        );
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err}");
        drop(first);
        assert!(lock_database(&url).unwrap().is_some());
    }

    #[test]
    fn memory_and_postgres_databases_take_no_lock() {
        assert!(lock_database("sqlite::memory:").unwrap().is_none());
        assert!(
            lock_database("postgres://u@127.0.0.1/db")
                .unwrap()
                .is_none()
        );
    }
}
