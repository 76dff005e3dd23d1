//! Taking quizzes in chat: by buttons and by letters to the `N/M` score,
//! resume after a restart, stale and repeated taps, group → 1:1, quitting,
//! follow-ups and spaced repetition, and `me`.

use chrono::Duration;
use dingwarden::dingtalk::message::dtmd_text;
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};

/// The texts the buttons of a webhook action card send.
pub fn button_replies(post: &Value) -> Vec<String> {
    post["actionCard"]["btns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| dtmd_text(b["actionURL"].as_str()?))
        .collect()
}

/// The attempt question id a button reply (`答 B #12`) carries.
pub fn question_id(reply: &str) -> i64 {
    reply.rsplit('#').next().unwrap().parse().unwrap()
}

/// The letter under which attempt question `id` shows its correct option.
pub async fn correct_letter(app: &TestApp, id: i64) -> char {
    let (order, correct): (String, i64) = sqlx::query_as(
        "SELECT aq.option_order, q.correct FROM quiz_attempt_questions aq \
         JOIN quiz_questions q ON q.id = aq.question_id WHERE aq.id = $1",
    )
    .bind(id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    let order: Vec<i64> = serde_json::from_str(&order).unwrap();
    let shown = order.iter().position(|o| *o == correct).unwrap();
    char::from(b'A' + u8::try_from(shown).unwrap())
}

/// A letter that is wrong for attempt question `id`.
pub async fn wrong_letter(app: &TestApp, id: i64) -> char {
    if correct_letter(app, id).await == 'A' {
        'B'
    } else {
        'A'
    }
}

/// The button of a question card that answers it right (or wrong).
pub async fn pick_button(app: &TestApp, card: &Value, right: bool) -> String {
    let replies = button_replies(card);
    assert!(replies.len() >= 2, "not a question card: {card}");
    let id = question_id(&replies[0]);
    let want = if right {
        correct_letter(app, id).await
    } else {
        wrong_letter(app, id).await
    };
    replies
        .into_iter()
        .find(|r| r.split_whitespace().nth(1) == Some(&want.to_string()))
        .unwrap()
}

/// The current question id of `staff`'s quiz in progress.
pub async fn current_question(app: &TestApp, staff: &str) -> Option<i64> {
    sqlx::query_scalar(
        "SELECT aq.id FROM quiz_attempt_questions aq JOIN quiz_attempts a ON a.id = aq.attempt_id \
         WHERE a.staff_id = $1 AND a.status = 'active' AND aq.answer IS NULL ORDER BY aq.position LIMIT 1",
    )
    .bind(staff)
    .fetch_optional(app.store.pool())
    .await
    .unwrap()
}

/// Answers every remaining question of `staff`'s quiz by typing letters;
/// `right(i)` says whether the i-th answer (0-based) is right. Returns the last reply.
pub async fn answer_all(app: &TestApp, staff: &str, right: impl Fn(usize) -> bool) -> String {
    let mut last = String::new();
    let mut i = 0;
    while let Some(id) = current_question(app, staff).await {
        let letter = if right(i) {
            correct_letter(app, id).await
        } else {
            wrong_letter(app, id).await
        };
        last = app.say_text(staff, &letter.to_string()).await;
        i += 1;
    }
    last
}

async fn a_full_quiz_by_buttons_ends_with_the_score(app: TestApp) {
    let posts = app.say("alice", "测验").await;
    assert_eq!(posts.len(), 1);
    let mut card = posts[0].clone();
    let text = message_text(&card);
    assert!(
        text.contains("开始测验《信息安全意识基础》：共 5 题"),
        "{text}"
    );
    assert!(text.contains("第 1/5 题"), "{text}");
    for n in 1..=5 {
        assert_eq!(card["msgtype"], "actionCard", "{card}");
        let reply = pick_button(&app, &card, true).await;
        assert!(reply.starts_with("答 "), "{reply}");
        let posts = app.say("alice", &reply).await;
        assert_eq!(posts.len(), 2, "feedback, then the next card or the result");
        let feedback = message_text(&posts[0]);
        assert!(feedback.starts_with("✅ 回答正确"), "{feedback}");
        assert!(feedback.contains("**解析**："), "{feedback}");
        card = posts[1].clone();
        if n < 5 {
            assert!(message_text(&card).contains(&format!("第 {}/5 题", n + 1)));
        }
    }
    let result = message_text(&card);
    assert!(
        result.contains("**5/5**（100%），及格线 80%：**通过**"),
        "{result}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.complete' AND actor = 'alice'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let me = app.say_text("alice", "我的").await;
    assert!(me.contains("《信息安全意识基础》5/5 通过"), "{me}");
}

async fn a_full_quiz_by_letters_in_english(app: TestApp) {
    app.say("bob", "lang en").await;
    let first = app.say_text("bob", "quiz").await;
    assert!(
        first.contains("Starting \"Security awareness essentials\""),
        "{first}"
    );
    // One wrong answer out of five is 80%: exactly the pass mark.
    let id = current_question(&app, "bob").await.unwrap();
    let wrong = wrong_letter(&app, id).await;
    let reply = app.say_text("bob", &format!("answer {wrong}")).await;
    assert!(reply.contains("❌ Not quite. You chose"), "{reply}");
    assert!(reply.contains("**Why:**"), "{reply}");
    assert!(reply.contains("question 2/5"), "{reply}");
    let last = answer_all(&app, "bob", |_| true).await;
    assert!(
        last.contains("**4/5** (80%), pass mark 80%: **passed**"),
        "{last}"
    );
    let score: i64 = sqlx::query_scalar("SELECT score FROM quiz_attempts WHERE staff_id = 'bob'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(score, 4);
}

async fn a_quiz_resumes_after_a_restart(app: TestApp) {
    app.say("carol", "quiz").await;
    for _ in 0..2 {
        let id = current_question(&app, "carol").await.unwrap();
        let l = correct_letter(&app, id).await;
        app.say("carol", &format!("答 {l}")).await;
    }
    let app = app.restart().await;
    let resumed = app.say_text("carol", "测验").await;
    assert!(
        resumed.contains("继续你的测验《信息安全意识基础》"),
        "{resumed}"
    );
    assert!(resumed.contains("第 3/5 题"), "{resumed}");
    assert_eq!(app.count("quiz_attempts").await, 1);
    let last = answer_all(&app, "carol", |_| true).await;
    assert!(last.contains("**5/5**"), "{last}");
}

async fn stale_and_repeated_taps_are_answered_never_scored_twice(app: TestApp) {
    let posts = app.say("dave", "quiz").await;
    let tap = pick_button(&app, &posts[0], false).await;
    let first = app.say_text("dave", &tap).await;
    assert!(first.contains("❌ 回答错误"), "{first}");
    let again = app.say_text("dave", &tap).await;
    assert!(again.contains("这道题你已经答过了"), "{again}");
    // Another option of the same, already answered question.
    let other = button_replies(&posts[0])
        .into_iter()
        .find(|r| *r != tap)
        .unwrap();
    assert!(app.say_text("dave", &other).await.contains("已经答过了"));
    answer_all(&app, "dave", |_| true).await;
    let over = app.say_text("dave", &tap).await;
    assert!(over.contains("这次测验已经结束了（得分 4/5）"), "{over}");
    let unknown = app.say_text("dave", "答 A #999999").await;
    assert!(unknown.contains("找不到这道题"), "{unknown}");
    // Someone else's button is not theirs to answer.
    app.say("erin", "quiz").await;
    let erins = current_question(&app, "erin").await.unwrap();
    assert!(
        app.say_text("dave", &format!("答 A #{erins}"))
            .await
            .contains("找不到这道题")
    );
    let (answered, score): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM quiz_attempt_questions aq JOIN quiz_attempts a ON a.id = aq.attempt_id \
         WHERE a.staff_id = 'dave' AND aq.answer IS NOT NULL), \
         (SELECT score FROM quiz_attempts WHERE staff_id = 'dave')",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!((answered, score), (5, 4));
    assert!(app.say_text("dave", "B").await.contains("没有进行中的测验"));
}

async fn a_quiz_started_in_a_group_continues_in_the_direct_chat(app: TestApp) {
    app.post(&app.group("alice", "cidGroupQ", "@dingwarden 测验"))
        .await;
    app.state.settle().await;
    let group = app.webhook_posts("cidGroupQ").await;
    assert_eq!(group.len(), 1);
    assert!(message_text(&group[0]).contains("单聊"), "{}", group[0]);
    assert!(
        button_replies(&group[0]).is_empty(),
        "no question in the group"
    );
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].channel, "direct");
    assert_eq!(rows[0].recipients, vec!["alice"]);
    assert_eq!(rows[0].message["type"], "action_card");
    assert!(rows[0].text().contains("第 1/5 题"), "{}", rows[0].text());
    let priority: i64 = sqlx::query_scalar("SELECT priority FROM outbox WHERE id = $1")
        .bind(rows[0].id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(priority, 0);
    // The DM's button works in the 1:1 chat.
    let reply = rows[0].message["buttons"][0]["reply"].as_str().unwrap();
    let posts = app.say("alice", reply).await;
    assert!(message_text(&posts[0]).contains("回答"), "{}", posts[0]);
    // Answers typed in a group are not taken there.
    app.post(&app.group("alice", "cidGroupQ", "@dingwarden B"))
        .await;
    app.state.settle().await;
    let group = app.webhook_posts("cidGroupQ").await;
    assert!(message_text(&group[1]).contains("请在与我的单聊中作答"));
}

async fn one_quiz_at_a_time_and_quit(app: TestApp) {
    app.say("frank", "quiz").await;
    let other = app.say_text("frank", "quiz finance").await;
    assert!(other.contains("你还有一个未完成的测验"), "{other}");
    assert_eq!(app.count("quiz_attempts").await, 1);
    let letters = app.say_text("frank", "F").await;
    assert!(letters.contains("这道题的选项是 A–D"), "{letters}");
    let quit = app.say_text("frank", "测验 退出").await;
    assert!(
        quit.contains("已放弃测验《信息安全意识基础》（已答 0/5 题"),
        "{quit}"
    );
    assert!(
        app.say_text("frank", "quiz quit")
            .await
            .contains("没有进行中的测验")
    );
    let missing = app.say_text("frank", "quiz finance").await;
    assert!(missing.contains("没有名为「finance」的题库"), "{missing}");
    let list = app.say_text("frank", "quiz list").await;
    assert!(
        list.contains("**default**《信息安全意识基础》：题库共"),
        "{list}"
    );
}

async fn missed_questions_come_back_and_a_follow_up_is_sent(app: TestApp) {
    let result = {
        app.say("gina", "quiz").await;
        answer_all(&app, "gina", |_| false).await
    };
    assert!(
        result.contains("**0/5**（0%），及格线 80%：**未通过**"),
        "{result}"
    );
    assert!(result.contains("3 天后"), "{result}");
    assert_eq!(app.count("quiz_review").await, 5);
    let missed: Vec<String> = sqlx::query_scalar("SELECT question_key FROM quiz_review")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    // The next quiz brings back missed questions (up to two of five).
    app.say("gina", "quiz").await;
    let asked: Vec<String> = sqlx::query_scalar(
        "SELECT q.question_key FROM quiz_attempt_questions aq JOIN quiz_questions q ON q.id = aq.question_id \
         JOIN quiz_attempts a ON a.id = aq.attempt_id WHERE a.status = 'active'",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        asked.iter().filter(|k| missed.contains(k)).count(),
        2,
        "{asked:?}"
    );
    app.say("gina", "quiz quit").await;
    // Not yet due: nothing; three days later at 10:00 the follow-up is offered once.
    dingwarden::scheduler::tick(&app.state, app.now())
        .await
        .unwrap();
    assert!(app.outbox().await.is_empty());
    app.advance(Duration::days(3));
    dingwarden::scheduler::tick(&app.state, app.now())
        .await
        .unwrap();
    dingwarden::scheduler::tick(&app.state, app.now())
        .await
        .unwrap();
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipients, vec!["gina"]);
    assert!(rows[0].text().contains("复习测验"), "{}", rows[0].text());
    assert!(
        app.say_text("gina", "我的")
            .await
            .contains("复习测验已准备好")
    );
    let review = app.say_text("gina", "测验 复习").await;
    assert!(review.contains("开始复习测验"), "{review}");
    assert!(review.contains("第 1/3 题"), "{review}");
    let last = answer_all(&app, "gina", |_| true).await;
    assert!(last.contains("复习测验完成"), "{last}");
    assert!(last.contains("**3/3**"), "{last}");
    assert!(
        app.say_text("gina", "测验 复习")
            .await
            .contains("没有等你完成的复习测验")
    );
}

async fn the_default_bank_is_imported_once_per_content(app: TestApp) {
    use dingwarden::actions::quiz::banks;
    let now = app.now().timestamp_millis();
    banks::ensure_builtin(&app.store, now).await.unwrap();
    banks::ensure_builtin(&app.store, now).await.unwrap();
    app.say("hank", "quiz list").await;
    assert_eq!(app.count("quiz_bank_versions").await, 1);
    let questions = app.count("quiz_questions").await;
    assert!(questions >= 60, "{questions}");
    let imports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.import'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(imports, 1);
}

async fn a_second_active_attempt_is_refused_by_the_database(app: TestApp) {
    use dingwarden::store::quiz::attempts::{self, Kind, NewAttempt};
    use dingwarden::store::quiz::banks;
    let now = app.now().timestamp_millis();
    dingwarden::actions::quiz::ensure_builtin(&app.store, now)
        .await
        .unwrap();
    let mut tx = app.store.begin_write().await.unwrap();
    let bank = banks::current(tx.conn(), "default").await.unwrap().unwrap();
    let questions = banks::questions(tx.conn(), bank.version_id).await.unwrap();
    let picks = vec![(questions[0].id, vec![1, 0, 3, 2])];
    let new = NewAttempt {
        staff_id: "ivy",
        bank: &bank,
        kind: Kind::Regular,
        campaign_id: None,
        picks: &picks,
    };
    assert!(
        attempts::create(tx.conn(), &new, now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        attempts::create(tx.conn(), &new, now)
            .await
            .unwrap()
            .is_none()
    );
    // The transaction is still usable after the refused insert (PostgreSQL too).
    let active = attempts::active(tx.conn(), "ivy").await.unwrap().unwrap();
    assert_eq!(active.total, 1);
    tx.commit().await.unwrap();
    assert_eq!(app.count("quiz_attempts").await, 1);
    let resumed = app.say_text("ivy", "quiz").await;
    assert!(
        resumed.contains("继续你的测验") && resumed.contains("第 1/1 题"),
        "{resumed}"
    );
}

dual_backend!(
    a_second_active_attempt_is_refused_by_the_database,
    a_full_quiz_by_buttons_ends_with_the_score,
    a_full_quiz_by_letters_in_english,
    a_quiz_resumes_after_a_restart,
    stale_and_repeated_taps_are_answered_never_scored_twice,
    a_quiz_started_in_a_group_continues_in_the_direct_chat,
    one_quiz_at_a_time_and_quit,
    missed_questions_come_back_and_a_follow_up_is_sent,
    the_default_bank_is_imported_once_per_content,
);
