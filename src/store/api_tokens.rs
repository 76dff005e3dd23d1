//! Personal API tokens (issue 16.3): found by the digest of the token,
//! listed with owner and last use, revoked (kept for the record). Statements
//! on the caller's connection or transaction.

use anyhow::Context as _;
use sqlx::AnyConnection;

/// A stored token (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub owner: String,
    pub label: String,
    pub scope: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<String>,
}

const COLUMNS: &str =
    "id, owner, label, scope, created_by, created_at, last_used_at, revoked_at, revoked_by";

/// A token to store.
#[derive(Clone, Copy, Debug)]
pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub owner: &'a str,
    pub label: &'a str,
    pub scope: &'a str,
    pub created_by: &'a str,
}

/// Stores a token; its id.
pub async fn insert(conn: &mut AnyConnection, t: NewToken<'_>, now_ms: i64) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO api_tokens (token_hash, owner, label, scope, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(t.token_hash)
    .bind(t.owner)
    .bind(t.label)
    .bind(t.scope)
    .bind(t.created_by)
    .bind(now_ms)
    .fetch_one(conn)
    .await
    .context("insert API token")
}

/// The token with this digest, revoked or not.
pub async fn find_by_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> anyhow::Result<Option<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await
    .context("find API token")
}

/// The token with this id.
pub async fn find(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<TokenRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("find API token")
}

/// Every token, live ones first, newest first.
pub async fn list(conn: &mut AnyConnection) -> anyhow::Result<Vec<TokenRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens \
         ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, id DESC"
    ))
    .fetch_all(conn)
    .await
    .context("list API tokens")
}

/// Records a use of the token.
pub async fn touch(conn: &mut AnyConnection, id: i64, now_ms: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now_ms)
        .bind(id)
        .execute(conn)
        .await
        .context("touch API token")?;
    Ok(())
}

/// Revokes one live token; whether it was live.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 \
         WHERE id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("revoke API token")?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live token a person owns; their ids.
pub async fn revoke_all_of(
    conn: &mut AnyConnection,
    owner: &str,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 \
         WHERE owner = $3 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now_ms)
    .bind(by)
    .bind(owner)
    .fetch_all(conn)
    .await
    .context("revoke tokens of a person")
}
