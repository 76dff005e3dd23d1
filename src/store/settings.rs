//! Small named settings changed at run time (e.g. the password policy).

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::Store;

impl Store {
    /// The stored value of a setting, if any.
    pub async fn setting(&self, key: &str) -> anyhow::Result<Option<String>> {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await
            .context("read setting")
    }
}

/// Stores a setting inside the caller's transaction.
pub async fn put_setting(
    conn: &mut AnyConnection,
    key: &str,
    value: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("write setting")?;
    Ok(())
}
