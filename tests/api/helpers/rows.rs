//! Reading and seeding the database directly: users on the roster, outbox
//! rows, row counts and the audit log.

use serde_json::Value;

use super::{OutboxRow, TestApp};

impl TestApp {
    /// Puts a user on the roster (creating the department path), as an
    /// import would.
    pub async fn seed_user(
        &self,
        staff_id: &str,
        name: &str,
        dept: Option<&str>,
        manager: Option<&str>,
    ) {
        let now = self.now().timestamp_millis();
        let mut dept_id: Option<i64> = None;
        if let Some(path) = dept {
            let mut prefix = String::new();
            for part in path.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                sqlx::query("INSERT INTO departments (path, name, parent_id) VALUES ($1, $2, $3) ON CONFLICT (path) DO NOTHING")
                    .bind(&prefix)
                    .bind(part)
                    .bind(dept_id)
                    .execute(self.store.pool())
                    .await
                    .unwrap();
                dept_id = Some(
                    sqlx::query_scalar("SELECT id FROM departments WHERE path = $1")
                        .bind(&prefix)
                        .fetch_one(self.store.pool())
                        .await
                        .unwrap(),
                );
            }
        }
        sqlx::query(
            "INSERT INTO users (staff_id, name, department_id, manager_staff_id, source, first_seen_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'import', $5, $5) ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, \
             department_id = excluded.department_id, manager_staff_id = excluded.manager_staff_id",
        )
        .bind(staff_id)
        .bind(name)
        .bind(dept_id)
        .bind(manager)
        .bind(now)
        .execute(self.store.pool())
        .await
        .unwrap();
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxRow> {
        let rows: Vec<(i64, String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, channel, recipients, message, status, dedupe_key FROM outbox ORDER BY id",
        )
        .fetch_all(self.store.pool())
        .await
        .unwrap();
        rows.into_iter()
            .map(
                |(id, channel, recipients, message, status, dedupe_key)| OutboxRow {
                    id,
                    channel,
                    recipients: serde_json::from_str(&recipients).unwrap(),
                    message: serde_json::from_str(&message).unwrap(),
                    status,
                    dedupe_key,
                },
            )
            .collect()
    }

    /// Makes every update of a `users` row fail (a trigger), or stops it:
    /// how tests break an apply half-way through its transaction.
    pub async fn fail_user_updates(&self, on: bool) {
        let pg = self.db.url().starts_with("postgres");
        let statements: &[&str] = match (pg, on) {
            (false, true) => &["CREATE TRIGGER fail_user_updates BEFORE UPDATE ON users \
                BEGIN SELECT RAISE(ABORT, 'user updates are broken'); END"],
            (false, false) => &["DROP TRIGGER fail_user_updates"],
            (true, true) => &[
                "CREATE FUNCTION fail_user_updates() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'user updates are broken'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER fail_user_updates BEFORE UPDATE ON users \
                 FOR EACH ROW EXECUTE FUNCTION fail_user_updates()",
            ],
            (true, false) => &[
                "DROP TRIGGER fail_user_updates ON users",
                "DROP FUNCTION fail_user_updates()",
            ],
        };
        for sql in statements {
            sqlx::query(sql).execute(self.store.pool()).await.unwrap();
        }
    }

    /// How many rows a table has.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// Audit entries as `(actor, action, subject)`, oldest first.
    pub async fn audit_entries(&self) -> Vec<(String, String, String)> {
        sqlx::query_as("SELECT actor, action, subject FROM audit_log ORDER BY seq")
            .fetch_all(self.store.pool())
            .await
            .unwrap()
    }

    /// The details (JSON) of the audit entries with `action`, oldest first.
    pub async fn audit_details(&self, action: &str) -> Vec<Value> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT details FROM audit_log WHERE action = $1 ORDER BY seq")
                .bind(action)
                .fetch_all(self.store.pool())
                .await
                .unwrap();
        rows.iter()
            .map(|d| serde_json::from_str(d).unwrap())
            .collect()
    }
}
