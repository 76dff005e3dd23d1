//! Storage: one store over SQLite (the embedded default) and PostgreSQL.
//!
//! Queries are written once, with `$N` placeholders and portable types
//! (BIGINT milliseconds for instants, TEXT, BIGINT flags), and run through
//! sqlx's `Any` driver; the few places that need backend-specific SQL
//! (`FOR UPDATE SKIP LOCKED`, the clock leases are judged by) branch on
//! [`Backend`].

pub mod api_tokens;
pub mod audience;
pub mod audit;
pub mod confirmations;
pub mod console;
pub mod delivered;
pub mod delivery;
pub mod departments;
pub mod evidence;
pub mod file_lock;
pub mod inbound;
pub mod inbox;
pub mod incidents;
pub mod leader;
pub mod notices;
pub mod org_events;
pub mod outbox;
pub mod passwords;
pub mod people;
pub mod quiz;
pub mod retention;
pub mod roles;
pub mod roster;
pub mod settings;
pub mod users;
mod write_lock;

#[cfg(test)]
mod plans;

use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection as _, Executor as _, Transaction};

use write_lock::{Turn, WriteGuard, WriteLock};

/// Migrations for SQLite (`migrations/sqlite`).
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");
/// Migrations for PostgreSQL (`migrations/postgres`), in lockstep with SQLite's.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// Set on every SQLite connection: WAL so readers never block the writer,
/// foreign keys enforced, a wait instead of an error when the file is busy,
/// a full sync at commit so an answered callback's dedupe row is durable,
/// and a page cache of 512 KiB (SQLite's default is 2 MiB): the file's pages
/// are in the OS's cache anyway, and each connection's cache, filling as
/// the database grows, kept the process's memory rising for many minutes
/// (bench/README.md, soak).
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = FULL",
    "PRAGMA cache_size = -512",
];

/// Which database is behind the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database's clock in milliseconds since the Unix epoch (PostgreSQL).
const PG_NOW_MS: &str = "(EXTRACT(EPOCH FROM now()) * 1000)::BIGINT";

impl Backend {
    /// SQL for the instant (ms) that leases are judged by. On PostgreSQL it
    /// is the database's clock, one clock for every replica, so a replica
    /// whose own clock runs ahead cannot take over a lease still running.
    /// On SQLite (one process) it is the parameter `$param`: the caller's
    /// clock, which tests move.
    pub fn lease_clock(self, param: usize) -> String {
        match self {
            Backend::Postgres => PG_NOW_MS.to_owned(),
            Backend::Sqlite => format!("${param}"),
        }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's one writer, taken before every write ([`write_lock`]).
    /// PostgreSQL needs no such lock.
    write_lock: Option<WriteLock>,
    /// An in-memory SQLite database: its one connection is the database.
    memory: bool,
}

/// A write transaction; holds the SQLite writer lock until commit or drop.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _guard: Option<WriteGuard>,
}

impl WriteTx {
    /// The connection to run statements on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> anyhow::Result<()> {
        self.tx.commit().await.context("commit")
    }
}

/// A connection kept out of the pool by a task that writes all the time (the
/// dedupe writer): a write on it costs no pool acquire and release (sqlx
/// pings a connection on every release, one more round trip to SQLite's
/// worker thread), and its statement cache stays warm. Each write still
/// takes the SQLite writer lock, ahead of the writers queued for it. An
/// in-memory SQLite database is its one pooled connection, so there a
/// connection is borrowed for each write.
/// A PostgreSQL connection idle for a while is pinged before it is used
/// again (the server may have restarted meanwhile) and replaced if the ping
/// fails, so the first claim after an outage does not fail on a dead socket.
pub struct KeptConn {
    store: Store,
    kept: Option<AnyConnection>,
    /// When the kept connection was last handed out.
    last_used: Instant,
    /// PostgreSQL: the `statement_timeout` of the kept connection, so a
    /// statement its caller gave up on does not linger (and commit) later.
    statement_timeout: Option<Duration>,
}

/// A kept PostgreSQL connection idle this long is pinged before it is used.
const KEPT_IDLE_PING: Duration = Duration::from_secs(1);

/// One write on a [`KeptConn`]: an autocommit statement, a transaction of its
/// own (no BEGIN and COMMIT round trips). Holds the SQLite writer lock while
/// it lives.
pub struct KeptWrite<'a> {
    conn: KeptRef<'a>,
    _guard: Option<WriteGuard>,
}

enum KeptRef<'a> {
    Kept(&'a mut AnyConnection),
    Pooled(PoolConnection<Any>),
}

impl KeptConn {
    /// Bounds every statement on the kept connection (PostgreSQL only).
    pub fn with_statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout);
        self
    }

    /// Takes the writer lock and the connection, opening one if needed.
    pub async fn write(&mut self) -> anyhow::Result<KeptWrite<'_>> {
        if self.store.pool.is_closed() {
            self.discard();
            anyhow::bail!("the store is closed");
        }
        self.ping_if_idle().await;
        self.last_used = Instant::now();
        // The dedupe writer's claims are callbacks waiting for their 200:
        // it goes before the writers queued.
        let guard = self.store.write_guard(Turn::First).await;
        let conn = match (self.store.memory, self.kept.take()) {
            (false, Some(kept)) => KeptRef::Kept(self.kept.insert(kept)),
            (true, _) => KeptRef::Pooled(
                self.store
                    .pool
                    .acquire()
                    .await
                    .context("acquire connection")?,
            ),
            (false, None) => {
                let conn = open_kept(&self.store, self.statement_timeout).await?;
                KeptRef::Kept(self.kept.insert(conn))
            }
        };
        Ok(KeptWrite {
            conn,
            _guard: guard,
        })
    }

    /// Pings a kept PostgreSQL connection that sat idle; drops it if the
    /// ping fails (the next write opens another).
    async fn ping_if_idle(&mut self) {
        if self.store.backend != Backend::Postgres || self.last_used.elapsed() < KEPT_IDLE_PING {
            return;
        }
        if let Some(conn) = self.kept.as_mut() {
            if let Err(e) = conn.ping().await {
                tracing::warn!(error = %e, "kept connection lost while idle; opening another");
                self.discard();
            }
        }
    }

    /// After a failed write the connection may be broken: the next write
    /// opens another.
    pub fn discard(&mut self) {
        self.kept = None;
    }
}

/// A connection of its own, out of the pool, with the statement timeout.
async fn open_kept(store: &Store, timeout: Option<Duration>) -> anyhow::Result<AnyConnection> {
    let pooled = store.pool.acquire().await.context("acquire connection")?;
    let mut conn = pooled.detach();
    if let (Backend::Postgres, Some(t)) = (store.backend, timeout) {
        let sql = format!("SET statement_timeout = {}", t.as_millis().max(1));
        sqlx::query(&sql)
            .execute(&mut conn)
            .await
            .context("set statement_timeout")?;
    }
    Ok(conn)
}

impl KeptWrite<'_> {
    pub fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.conn {
            KeptRef::Kept(conn) => conn,
            KeptRef::Pooled(conn) => conn,
        }
    }
}

impl Store {
    /// Connects (creating a SQLite file if needed) without migrating.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let opts = AnyConnectOptions::from_str(url).context("parse database URL")?;
        let memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            // SQLite has one writer and the server two runtime threads:
            // four connections (each with a thread and a page cache of its
            // own) serve the readers as well as eight did, in less memory.
            .max_connections(if memory {
                1
            } else if backend == Backend::Sqlite {
                4
            } else {
                16
            })
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(1800))
            })
            .acquire_timeout(Duration::from_secs(10))
            // An embedded SQLite connection cannot drop like a network one;
            // pinging it on every acquire is a round trip to its worker
            // thread for nothing. PostgreSQL connections are still tested.
            .test_before_acquire(backend != Backend::Sqlite)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in SQLITE_PRAGMAS {
                            conn.execute(*pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .context("connect to the database")?;
        let write_lock = (backend == Backend::Sqlite).then(WriteLock::default);
        Ok(Self {
            pool,
            backend,
            write_lock,
            memory,
        })
    }

    /// Connects and applies pending migrations.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    /// Applies every pending migration (and the data step of 0009).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.migrator()
            .run(&self.pool)
            .await
            .context("apply migrations")?;
        self.convert_legacy_inbound().await
    }

    /// Begins a write transaction (serialised per process on SQLite).
    pub async fn begin_write(&self) -> anyhow::Result<WriteTx> {
        let guard = self.write_guard(Turn::Queued).await;
        // IMMEDIATE takes SQLite's write lock up front, so a writer in another
        // process (a CLI import beside `serve`) waits for busy_timeout instead
        // of failing when a read-then-write transaction cannot upgrade.
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .context("begin transaction")?;
        Ok(WriteTx { tx, _guard: guard })
    }

    /// A pooled connection for reads; its error carries [`Unavailable`]
    /// when no connection can be had (the database is down).
    pub async fn read(&self) -> anyhow::Result<PoolConnection<Any>> {
        self.pool
            .acquire()
            .await
            .map_err(|e| anyhow::Error::new(e).context(Unavailable))
    }

    /// A connection to keep, for a task that writes all the time.
    pub fn kept_conn(&self) -> KeptConn {
        KeptConn {
            store: self.clone(),
            kept: None,
            last_used: Instant::now(),
            statement_timeout: None,
        }
    }

    /// SQLite's writer lock for this process, taken at `turn` (PostgreSQL
    /// needs none).
    async fn write_guard(&self, turn: Turn) -> Option<WriteGuard> {
        match &self.write_lock {
            Some(lock) => Some(lock.take(turn).await),
            None => None,
        }
    }

    /// Readiness: the database answers within `within` and every migration
    /// is applied. One query (the pool pings a PostgreSQL connection it
    /// hands out); an unreachable database fails at `within`, not after the
    /// pool's acquire timeout or a TCP timeout.
    pub async fn ready(&self, within: Duration) -> anyhow::Result<()> {
        let check = async {
            let mut conn = self.pool.acquire().await.context("acquire connection")?;
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_one(&mut *conn)
                .await
                .context("read applied migrations")
        };
        let applied: Option<i64> = tokio::time::timeout(within, check)
            .await
            .map_err(|_| anyhow::anyhow!("no answer within {within:?}").context(Unavailable))??;
        let latest = self.migrator().iter().map(|m| m.version).max();
        anyhow::ensure!(
            applied == latest,
            "migrations pending (applied {applied:?}, latest {latest:?})"
        );
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// No database connection could be had: the database is down or the
/// store closed (HTTP callers answer 503).
#[derive(Clone, Copy, Debug, thiserror::Error)]
#[error("the database is unavailable")]
pub struct Unavailable;

/// Whether an error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
