//! Campaigns and reports: `quiz assign BANK to … [by DATE]` (invitations
//! through the outbox, audited) and `quiz stats [BANK]`.

use crate::actions::audience::{Purpose, Targets, resolve};
use crate::commands::audience::skipped_line;
use chrono::NaiveDate;
use serde_json::json;
use sqlx::AnyConnection;

use super::super::{Audience, Ctx, HandlerResult};
use super::report;
use crate::domain::Reply;
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::render::{self, CampaignView};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::error::HandlerError;
use crate::i18n::{Lang, en_count};
use crate::store::audit::{self, AuditEntry};
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::banks::{self, BankVersion};
use crate::store::quiz::campaigns::{self, NewCampaign};
use crate::store::quiz::stats;
use crate::{tr, user_error};

/// Most missed questions listed by `quiz stats`.
const MOST_MISSED: i64 = 5;
/// Campaigns listed by `quiz stats`.
const CAMPAIGNS_SHOWN: usize = 5;

async fn bank_or_error(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    key: &str,
) -> Result<BankVersion, HandlerError> {
    match banks::current(conn, key).await? {
        Some(b) => Ok(b),
        None => user_error!(
            ctx.lang(),
            "没有名为「{key}」的题库。发送「测验 列表」查看可用的题库。",
            "There is no quiz bank called \"{key}\". Send \"quiz list\" to see the banks."
        ),
    }
}

/// `quiz assign BANK to all|dept NAME|users IDS [by DATE]`.
pub async fn assign(
    ctx: &Ctx<'_>,
    bank: String,
    target: Audience,
    by: Option<NaiveDate>,
) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let tz = ctx.state.config.timezone;
    banks::ensure_builtin(&ctx.state.store, now_ms).await?;
    if let Some(d) = by.filter(|d| *d < local_date(tz, ctx.now)) {
        user_error!(
            lang,
            "截止日期 {d} 已经过去了。",
            "The deadline {d} is in the past."
        );
    }
    let key = bank.to_lowercase();
    let mut tx = ctx.state.store.begin_write().await?;
    let version = bank_or_error(ctx, tx.conn(), &key).await?;
    let Targets {
        staff_ids: members,
        unknown,
    } = resolve(tx.conn(), &target, Purpose::QuizCampaign).await?;
    let described = target.label();
    if members.is_empty() {
        user_error!(
            lang,
            "没有找到可以布置测验的在职人员。",
            "Nobody active matches that audience."
        );
    }
    let deadline = by.map(|d| (d.to_string(), end_of_local_day(tz, d).timestamp_millis()));
    let new = NewCampaign {
        bank_id: version.bank_id,
        audience: &described,
        assigned_by: &ctx.user.staff_id,
        deadline,
        members: &members,
    };
    let id = campaigns::create(tx.conn(), &new, now_ms).await?;
    let view = CampaignView {
        id,
        bank_key: version.bank_key.clone(),
        bank_title: version.title(),
        deadline: by,
        per_attempt: version.questions_per_attempt,
        pass_percent: version.pass_percent,
    };
    invite(tx.conn(), &view, now_ms).await?;
    audit_assign(ctx, tx.conn(), &view, &described, members.len(), &unknown).await?;
    tx.commit().await?;
    Ok(Reply::text(assigned_text(
        &view,
        members.len(),
        &unknown,
        lang,
    )))
}

/// Records the campaign in the audit log.
async fn audit_assign(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    view: &CampaignView,
    described: &str,
    members: usize,
    unknown: &[String],
) -> anyhow::Result<()> {
    let details = json!({"bank": view.bank_key, "audience": described, "members": members,
        "deadline": view.deadline.map(|d| d.to_string()), "unknown": unknown});
    let subject = format!("quiz_campaign:{}", view.id);
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "quiz.assign",
        subject: &subject,
        details,
    };
    audit::append(conn, &entry, ctx.now.timestamp_millis()).await?;
    Ok(())
}

/// Queues the invitation DMs, one message per language.
async fn invite(conn: &mut AnyConnection, view: &CampaignView, now_ms: i64) -> anyhow::Result<()> {
    let members = campaigns::member_langs(conn, view.id).await?;
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = members
            .iter()
            .filter(|(_, l)| Lang::from_code(l) == lang)
            .map(|(s, _)| s.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let message = render::invitation(view, lang);
        let key = format!("quiz-invite-{}-{}", view.id, lang.code());
        let out = Outbound::direct(&ids, &message)
            .priority(Priority::Bulk)
            .dedupe_key(&key)
            .reference("quiz_campaign", view.id);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(())
}

fn assigned_text(view: &CampaignView, n: usize, unknown: &[String], lang: Lang) -> String {
    let (id, title) = (view.id, view.bank_title.get(lang));
    let by = match view.deadline {
        Some(d) => tr!(lang, "，截止日期 {d}", ", due {d}"),
        None => String::new(),
    };
    let people = en_count(n, "person", "people");
    let mut text = tr!(
        lang,
        "已创建测验任务 #{id}：《{title}》布置给 {n} 人{by}。邀请已排队发送，未通过的人会收到提醒，截止后会通知其上级和人事。",
        "Created quiz campaign #{id}: \"{title}\" for {people}{by}. Invitations are queued; people who have not passed get reminders, and their managers and HR are told at the deadline."
    );
    text.push_str(&skipped_line(unknown, lang));
    text
}

/// `quiz stats [BANK]`: completion and pass rate per department, campaigns,
/// and the most missed questions.
pub async fn stats(ctx: &Ctx<'_>, bank: Option<String>) -> HandlerResult {
    let lang = ctx.lang();
    banks::ensure_builtin(&ctx.state.store, ctx.now.timestamp_millis()).await?;
    let key = bank.map_or_else(|| DEFAULT_BANK.to_owned(), |b| b.to_lowercase());
    let mut conn = ctx.state.store.pool().acquire().await?;
    let version = bank_or_error(ctx, &mut conn, &key).await?;
    let depts = stats::by_department(&mut conn, version.bank_id).await?;
    let missed = stats::most_missed(&mut conn, version.bank_id, MOST_MISSED).await?;
    let mut camps = Vec::new();
    let all = campaigns::of_bank(&mut conn, version.bank_id).await?;
    for c in all.into_iter().take(CAMPAIGNS_SHOWN) {
        let (members, passed) = campaigns::counts(&mut conn, c.id).await?;
        camps.push((c, members, passed));
    }
    let (title, v) = (version.title().get(lang).to_owned(), version.version);
    let mut text = tr!(
        lang,
        "### 测验统计：《{title}》（第 {v} 版）\n",
        "### Quiz stats: \"{title}\" (version {v})\n"
    );
    text.push_str(&report::departments(&depts, lang));
    text.push_str(&report::campaigns(&camps, lang));
    text.push_str(&report::missed(&missed, lang));
    Ok(Reply::markdown(tr!(lang, "测验统计", "Quiz stats"), text))
}
