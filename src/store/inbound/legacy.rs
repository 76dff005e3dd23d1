//! The one data step of migration 0009 that SQL cannot do on SQLite (it has
//! no SHA-256): the raw `(timestamp, sign)` pairs earlier versions kept in
//! `inbound_messages` are hashed into the new tables, then deleted and their
//! table dropped, so no signature outlives the upgrade. On SQLite the
//! deletion runs with `secure_delete` and the WAL is checkpointed, so no copy
//! stays in free pages or the log.

use anyhow::Context as _;
use sqlx::{AnyConnection, Connection as _, Executor as _};

use super::pair_hash;
use crate::store::write_lock::Turn;
use crate::store::{Backend, Store};

#[derive(sqlx::FromRow)]
struct LegacyRow {
    msg_id: String,
    sign_timestamp: i64,
    sign: String,
    received_at: i64,
}

impl Store {
    /// Converts and drops `inbound_legacy` if a migration left one; a no-op
    /// afterwards. Oldest rows first, so each pair keeps its first sighting.
    pub(in crate::store) async fn convert_legacy_inbound(&self) -> anyhow::Result<()> {
        let _guard = self.write_guard(Turn::Queued).await;
        let mut conn = self.pool().acquire().await.context("acquire connection")?;
        if !legacy_table_exists(&mut conn, self.backend()).await? {
            return Ok(());
        }
        let sqlite = self.backend() == Backend::Sqlite;
        if sqlite {
            conn.execute("PRAGMA secure_delete = ON").await?;
        }
        let mut tx = conn.begin().await.context("begin")?;
        let rows: Vec<LegacyRow> = sqlx::query_as(
            "SELECT msg_id, sign_timestamp, sign, received_at FROM inbound_legacy \
             ORDER BY received_at, msg_id",
        )
        .fetch_all(&mut *tx)
        .await
        .context("read legacy msgIds")?;
        for r in &rows {
            sqlx::query(
                "INSERT INTO inbound_messages (msg_id, pair_hash, received_at, handled_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (msg_id) DO NOTHING",
            )
            .bind(&r.msg_id)
            .bind(pair_hash(r.sign_timestamp, &r.sign))
            .bind(r.received_at)
            .execute(&mut *tx)
            .await
            .context("convert a legacy msgId")?;
        }
        tx.execute("DELETE FROM inbound_legacy").await?;
        tx.execute("DROP TABLE inbound_legacy").await?;
        tx.commit().await.context("commit the conversion")?;
        if sqlite {
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
            conn.execute("PRAGMA secure_delete = OFF").await?;
        }
        if !rows.is_empty() {
            tracing::info!(
                rows = rows.len(),
                "hashed the signatures of earlier callbacks"
            );
        }
        Ok(())
    }
}

async fn legacy_table_exists(conn: &mut AnyConnection, backend: Backend) -> anyhow::Result<bool> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'inbound_legacy'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'inbound_legacy'"
        }
    };
    let n: i64 = sqlx::query_scalar(sql)
        .fetch_one(conn)
        .await
        .context("look for legacy msgIds")?;
    Ok(n > 0)
}
