//! Notices at scale (issue 5 "Performance"): `notice send` to 100,000 roster
//! users must commit the recipients and outbox rows in ≤ 3 s on SQLite, and
//! `notice status` over 100,000 recipients must answer in ≤ 200 ms. Runs the
//! real command path (parse, authorise, handle) on a temporary SQLite file
//! and prints the figures. `cargo bench --bench notices [-- USERS]`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone as _, Utc};
use dingwarden::clock::ManualClock;
use dingwarden::commands::handle_message;
use dingwarden::domain::chat::{Body, ChatMessage, Conversation, ReplyRoute};
use dingwarden::domain::{Message, Reply};
use dingwarden::{AppState, Config, Store};

const DEFAULT_USERS: usize = 100_000;
const DEPARTMENTS: usize = 200;

fn text_of(reply: &Reply) -> String {
    reply
        .messages
        .iter()
        .map(|m| match m {
            Message::Text { content } => content.clone(),
            Message::Markdown { text, .. } | Message::ActionCard { text, .. } => text.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn say(state: &AppState, staff: &str, text: &str, n: usize) -> (Reply, Duration) {
    let msg = ChatMessage {
        msg_id: format!("bench-{n}"),
        sender_staff_id: Some(staff.to_owned()),
        sender_nick: staff.to_owned(),
        sender_is_org_admin: false,
        conversation: Conversation::Direct {
            id: format!("cid-{staff}"),
        },
        body: Body::Text(text.to_owned()),
        mentions: vec![],
        reply: ReplyRoute::default(),
    };
    let started = Instant::now();
    let reply = handle_message(state, &msg, state.clock.now(), None)
        .await
        .expect("handled");
    (reply, started.elapsed())
}

/// Puts `users` people in `DEPARTMENTS` departments, 500 rows per statement.
async fn seed(store: &Store, users: usize, now_ms: i64) -> anyhow::Result<()> {
    let mut tx = store.begin_write().await?;
    for d in 0..DEPARTMENTS {
        sqlx::query("INSERT INTO departments (path, name) VALUES ($1, $2)")
            .bind(format!("总部/部门{d:03}"))
            .bind(format!("部门{d:03}"))
            .execute(tx.conn())
            .await?;
    }
    let ids: Vec<usize> = (0..users).collect();
    for chunk in ids.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                let dept = i % DEPARTMENTS + 1;
                format!("('e{i:06}', '员工{i}', {dept}, 'import', {now_ms}, {now_ms})")
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO users (staff_id, name, department_id, source, first_seen_at, updated_at) VALUES {}",
            values.join(", ")
        ))
        .execute(tx.conn())
        .await?;
    }
    tx.commit().await
}

/// Half the recipients acknowledge, a third tick item 1.
async fn simulate_progress(store: &Store, now_ms: i64) -> anyhow::Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "UPDATE notice_recipients SET acked_at = $1, ack_via = 'button', delivered_at = $1 \
         WHERE notice_id = 1 AND CAST(SUBSTR(staff_id, 2) AS INTEGER) % 2 = 0",
    )
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO notice_ticks (notice_id, staff_id, n, ticked_at) \
         SELECT 1, staff_id, 1, $1 FROM notice_recipients \
         WHERE notice_id = 1 AND CAST(SUBSTR(staff_id, 2) AS INTEGER) % 3 = 0",
    )
    .bind(now_ms)
    .execute(tx.conn())
    .await?;
    tx.commit().await
}

/// Where the send time goes: each step of `notice send` again, for a second
/// notice, in a transaction that is rolled back.
async fn phases(store: &Store, now_ms: i64) -> anyhow::Result<()> {
    use dingwarden::store::notices::{self, NewNotice, recipients};
    use dingwarden::store::outbox::{self, Outbound, Priority};
    let mut tx = store.begin_write().await?;
    let new = NewNotice {
        kind: dingwarden::domain::notice::NoticeKind::General,
        title: "phases",
        body: "",
        deadline: None,
        deadline_at: None,
        items: &[],
        author: "admin1",
        subject: None,
    };
    let id = notices::create(tx.conn(), &new, now_ms).await?;
    let started = Instant::now();
    let ids = dingwarden::store::audience::all_active(tx.conn()).await?;
    let audience = started.elapsed();
    let started = Instant::now();
    let added = recipients::add(
        tx.conn(),
        id,
        &ids,
        dingwarden::domain::notice::AddedVia::Direct,
        now_ms,
    )
    .await?;
    let add = started.elapsed();
    let message = Message::text("x".repeat(800));
    let started = Instant::now();
    let out = Outbound::direct(&ids, &message)
        .priority(Priority::Bulk)
        .reference(dingwarden::store::outbox::Reference::Notice(id));
    let rows = outbox::enqueue(tx.conn(), &out, now_ms).await?;
    let enqueue = started.elapsed();
    drop(tx);
    println!(
        "  phases: audience {} ms, {} recipient rows {} ms, {} outbox rows {} ms",
        audience.as_millis(),
        added.len(),
        add.as_millis(),
        rows.len(),
        enqueue.as_millis()
    );
    Ok(())
}

/// Where the status time goes, query by query.
async fn status_phases(store: &Store) -> anyhow::Result<()> {
    use dingwarden::store::notices::{self, stats};
    let mut conn = store.pool().acquire().await?;
    let notice = notices::get(&mut conn, 1).await?.expect("notice 1");
    let started = Instant::now();
    let depts = stats::by_department(&mut conn, &notice).await?;
    let by_dept = started.elapsed();
    let started = Instant::now();
    let ticks = stats::item_ticks(&mut conn, 1).await?;
    let items = started.elapsed();
    let started = Instant::now();
    let waiting = stats::first_waiting(&mut conn, 1, 10).await?;
    let first = started.elapsed();
    println!(
        "  phases: {} departments {} ms, {} items {} ms, first {} waiting {} ms",
        depts.len(),
        by_dept.as_millis(),
        ticks.len(),
        items.as_millis(),
        waiting.len(),
        first.as_millis()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(DEFAULT_USERS);
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = Store::open(&url).await?;
    let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap();
    let mut config = Config::for_tests("http://127.0.0.1:9", "bench-secret");
    config.admins = vec!["admin1".into()];
    store
        .bootstrap_roles(&config.admins, &[], t0.timestamp_millis())
        .await?;
    seed(&store, users, t0.timestamp_millis()).await?;
    let state = AppState::new(config, store.clone(), Arc::new(ManualClock::new(t0)))?;

    let body = "notice new exit 停用旧平台\n请在截止前完成迁移。\n- [ ] 备份文件和聊天记录\n- [ ] 导出通讯录\n\
                - [ ] 迁移工作\n- [ ] 移交共享文档\n- [ ] 确认新账号\n- [ ] 提交反馈\n截止: 2026-12-14";
    let (reply, _) = say(&state, "admin1", body, 1).await;
    anyhow::ensure!(
        text_of(&reply).contains("#1"),
        "notice not created: {reply:?}"
    );

    let (reply, send) = say(&state, "admin1", "notice send 1 to all", 2).await;
    let text = text_of(&reply);
    anyhow::ensure!(
        text.contains(&format!("{} 人", users + 1)),
        "send failed: {text}"
    );
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(store.pool())
        .await?;
    println!(
        "notice send to {} users: {:>6} ms  ({rows} outbox rows; goal ≤ 3000 ms)",
        users + 1,
        send.as_millis()
    );

    phases(&store, t0.timestamp_millis()).await?;
    simulate_progress(&store, t0.timestamp_millis()).await?;
    let mut best = Duration::MAX;
    for i in 0..5 {
        let (reply, took) = say(&state, "admin1", "notice status 1", 10 + i).await;
        anyhow::ensure!(
            text_of(&reply).contains("已确认"),
            "status failed: {reply:?}"
        );
        best = best.min(took);
    }
    status_phases(&store).await?;
    println!(
        "notice status over {} recipients: {:>6} ms  (best of 5; goal ≤ 200 ms)",
        users + 1,
        best.as_millis()
    );

    let later = t0 + chrono::Duration::hours(25);
    let started = Instant::now();
    dingwarden::scheduler::tick(&state, later).await?;
    let reminded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE dedupe_key IS NOT NULL")
            .fetch_one(store.pool())
            .await?;
    println!(
        "reminder round for the unacknowledged half: {:>6} ms  ({reminded} outbox rows)",
        started.elapsed().as_millis()
    );
    store.close().await;
    Ok(())
}
