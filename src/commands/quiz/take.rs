//! Taking a quiz: start or resume, answer (by button or letter), quit, and
//! the list of banks. State lives in the database; a quiz started in a
//! group continues in the 1:1 chat through the outbox.

use rand::SeedableRng as _;
use rand::rngs::StdRng;
use sqlx::AnyConnection;

use super::super::{Ctx, HandlerResult};
use crate::domain::quiz::bank::{DEFAULT_BANK, letter, letter_index};
use crate::domain::quiz::pick::{self, Candidate, Plan};
use crate::domain::quiz::render;
use crate::domain::{Button, Message, Reply};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::attempts::{self, Attempt, Kind, NewAttempt};
use crate::store::quiz::banks::{self, BankVersion};
use crate::store::quiz::{campaigns, review};
use crate::{tr, user_error};

/// Words after `quiz` that start the follow-up quiz.
const REVIEW_WORDS: &[&str] = &["review", "复习"];

/// `quiz [BANK]`: resumes the quiz in progress or starts one.
pub async fn start(ctx: &Ctx<'_>, bank: Option<String>) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    banks::ensure_builtin(&ctx.state.store, now_ms).await?;
    let staff = ctx.user.staff_id.as_str();
    let bank = bank.map(|b| b.to_lowercase());
    let mut tx = ctx.state.store.begin_write().await?;
    let (attempt_id, card) = match attempts::active(tx.conn(), staff).await? {
        Some(active) => resume(tx.conn(), &active, bank.as_deref(), lang).await?,
        None => match begin(ctx, tx.conn(), bank.as_deref()).await? {
            Some(started) => started,
            // Another message started one at the same moment: resume that.
            None => {
                let active = attempts::active(tx.conn(), staff).await?;
                let Some(active) = active else {
                    return Err(anyhow::anyhow!("attempt vanished").into());
                };
                resume(tx.conn(), &active, None, lang).await?
            }
        },
    };
    if ctx.msg.conversation.is_group() {
        let to = [ctx.user.staff_id.clone()];
        let out = Outbound::direct(&to, &card)
            .priority(Priority::Reply)
            .reference("quiz_attempt", attempt_id);
        outbox::enqueue(tx.conn(), &out, now_ms).await?;
        tx.commit().await?;
        return Ok(Reply::text(tr!(
            lang,
            "测验在我们的单聊中进行，我已经把题目私信发给你了。",
            "Quizzes happen in our 1:1 chat; I have sent you the question there."
        )));
    }
    tx.commit().await?;
    Ok(Reply::message(card))
}

/// The current question of a quiz in progress, with a note if another bank was asked for.
async fn resume(
    conn: &mut AnyConnection,
    active: &Attempt,
    asked_for: Option<&str>,
    lang: Lang,
) -> anyhow::Result<(i64, Message)> {
    let Some(q) = attempts::current(conn, active.id).await? else {
        anyhow::bail!("active attempt {} has no unanswered question", active.id);
    };
    let title = active.title().get(lang).to_owned();
    let other = asked_for.is_some_and(|b| b != active.bank_key && !REVIEW_WORDS.contains(&b));
    let intro = if other {
        tr!(
            lang,
            "你还有一个未完成的测验《{title}》，请先完成它，或发送「测验 退出」放弃后再开始新的测验。",
            "You still have a quiz in progress, \"{title}\". Finish it first, or send \"quiz quit\" to stop it and start another."
        )
    } else {
        tr!(
            lang,
            "继续你的测验《{title}》。",
            "Continuing your quiz \"{title}\"."
        )
    };
    Ok((active.id, render::question_card(&q, lang, Some(&intro))))
}

/// Which bank a new attempt uses, and the follow-up it takes, if any.
async fn target_bank(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    bank: Option<&str>,
) -> Result<(BankVersion, Option<review::Followup>), HandlerError> {
    let lang = ctx.lang();
    let staff = ctx.user.staff_id.as_str();
    let mut followup = None;
    let version = if bank.is_some_and(|b| REVIEW_WORDS.contains(&b)) {
        let now_ms = ctx.now.timestamp_millis();
        let Some(f) = review::ready_followup(conn, staff, now_ms).await? else {
            user_error!(
                lang,
                "目前没有等你完成的复习测验。发送「测验」开始一次完整的测验。",
                "No follow-up quiz is waiting for you. Send \"quiz\" to take a full quiz."
            );
        };
        let version = banks::current_by_id(conn, f.bank_id).await?;
        followup = Some(f);
        version
    } else {
        let key = match bank {
            Some(b) => b.to_owned(),
            None => default_key(conn, staff).await?,
        };
        banks::current(conn, &key).await?
    };
    let Some(version) = version else {
        let name = crate::domain::inert::inert(bank.unwrap_or(DEFAULT_BANK));
        user_error!(
            lang,
            "没有名为「{name}」的题库。发送「测验 列表」查看可用的题库。",
            "There is no quiz bank called \"{name}\". Send \"quiz list\" to see the banks."
        );
    };
    Ok((version, followup))
}

/// Starts a new attempt; `None` if another one became active meanwhile.
async fn begin(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    bank: Option<&str>,
) -> Result<Option<(i64, Message)>, HandlerError> {
    let lang = ctx.lang();
    let staff = ctx.user.staff_id.as_str();
    let (version, followup) = target_bank(ctx, conn, bank).await?;
    let topics = followup.as_ref().map(review::Followup::topic_keys);
    let picks = choose(conn, staff, &version, topics.as_deref()).await?;
    if picks.is_empty() {
        user_error!(
            lang,
            "这个题库里没有可用的题目。",
            "That bank has no questions to ask."
        );
    }
    let (kind, campaign_id) = match &followup {
        Some(_) => (Kind::Followup, None),
        None => {
            let pending = campaigns::pending_for(conn, staff, Some(version.bank_id)).await?;
            (Kind::Regular, pending.first().map(|c| c.id))
        }
    };
    let new = NewAttempt {
        staff_id: staff,
        bank: &version,
        kind,
        campaign_id,
        picks: &picks,
    };
    let Some(id) = attempts::create(conn, &new, ctx.now.timestamp_millis()).await? else {
        return Ok(None);
    };
    if let Some(f) = &followup {
        review::attach_followup(conn, f.id, id).await?;
    }
    let Some(first) = attempts::current(conn, id).await? else {
        return Err(anyhow::anyhow!("new attempt {id} has no question").into());
    };
    let intro = intro(&version, picks.len(), kind, lang);
    Ok(Some((
        id,
        render::question_card(&first, lang, Some(&intro)),
    )))
}

/// The bank `quiz` starts without a name: an assigned one not yet passed, else the default.
async fn default_key(conn: &mut AnyConnection, staff: &str) -> anyhow::Result<String> {
    let pending = campaigns::pending_for(conn, staff, None).await?;
    Ok(pending
        .first()
        .map_or_else(|| DEFAULT_BANK.to_owned(), |c| c.bank_key.clone()))
}

/// Samples the questions of a new attempt with their option order.
async fn choose(
    conn: &mut AnyConnection,
    staff: &str,
    version: &BankVersion,
    topics: Option<&[String]>,
) -> anyhow::Result<Vec<(i64, Vec<usize>)>> {
    let mut pool = banks::questions(conn, version.version_id).await?;
    if let Some(topics) = topics {
        pool.retain(|q| topics.contains(&q.topic));
    }
    let review = review::keys(conn, staff, version.bank_id).await?;
    let seen = attempts::seen_keys(conn, staff, version.bank_id).await?;
    let (count, max_review) = match topics {
        Some(_) => {
            let n = usize::try_from(version.followup_questions).unwrap_or(1);
            (n, n)
        }
        None => {
            let n = usize::try_from(version.questions_per_attempt).unwrap_or(1);
            (n, (n / 2).max(1))
        }
    };
    let candidates: Vec<Candidate<'_>> = pool
        .iter()
        .map(|q| Candidate {
            key: &q.question_key,
            topic: &q.topic,
        })
        .collect();
    let plan = Plan {
        count,
        review: &review,
        max_review,
        seen: &seen,
    };
    let mut rng = StdRng::from_entropy();
    let chosen = pick::sample(&candidates, &plan, &mut rng);
    Ok(chosen
        .into_iter()
        .map(|i| {
            (
                pool[i].id,
                pick::shuffle_options(pool[i].option_count(), &mut rng),
            )
        })
        .collect())
}

fn intro(version: &BankVersion, n: usize, kind: Kind, lang: Lang) -> String {
    let (title, pp) = (version.title().get(lang).to_owned(), version.pass_percent);
    match kind {
        Kind::Regular => tr!(
            lang,
            "开始测验《{title}》：共 {n} 题，答对 {pp}% 即通过。答错的题目会在以后的测验中再次出现。",
            "Starting \"{title}\": {n} questions, {pp}% to pass. Questions you miss will come back in later quizzes."
        ),
        Kind::Followup => tr!(
            lang,
            "开始复习测验《{title}》：共 {n} 题，针对你上次答错的主题。",
            "Starting a follow-up on \"{title}\": {n} questions on the topics you missed last time."
        ),
    }
}

/// An answer `A`–`F`, by button (with the question's id) or typed.
pub async fn answer(ctx: &Ctx<'_>, choice: char, question: Option<i64>) -> HandlerResult {
    let lang = ctx.lang();
    if ctx.msg.conversation.is_group() {
        user_error!(
            lang,
            "请在与我的单聊中作答。",
            "Please answer in our 1:1 chat."
        );
    }
    let mut tx = ctx.state.store.begin_write().await?;
    let (attempt, q) = super::answer::target(ctx, tx.conn(), question).await?;
    let now_ms = ctx.now.timestamp_millis();
    let Some(option) = letter_index(choice).and_then(|i| pick::option_at(&q.order, i)) else {
        let last = letter(q.order.len().saturating_sub(1));
        user_error!(
            lang,
            "这道题的选项是 A–{last}，请重新选择。",
            "This question has options A–{last}; please choose one of them."
        );
    };
    if !attempts::record_answer(tx.conn(), &q, option, now_ms).await? {
        user_error!(
            lang,
            "这道题你已经答过了。",
            "You have already answered that question."
        );
    }
    let mut q = q;
    q.answer = Some(option);
    let correct = option == q.correct;
    review::note_answer(
        tx.conn(),
        &attempt.staff_id,
        attempt.bank_id,
        &q.question_key,
        correct,
        now_ms,
    )
    .await?;
    let feedback = render::feedback(&q, lang);
    let next = match attempts::current(tx.conn(), attempt.id).await? {
        Some(next) => render::question_card(&next, lang, None),
        None => render::result(
            &super::answer::finish(ctx, tx.conn(), &attempt).await?,
            lang,
        ),
    };
    tx.commit().await?;
    Ok(Reply::message(feedback).then(next))
}

/// `quiz quit`: abandons the quiz in progress.
pub async fn quit(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let mut tx = ctx.state.store.begin_write().await?;
    let Some(active) = attempts::active(tx.conn(), &ctx.user.staff_id).await? else {
        user_error!(
            lang,
            "你现在没有进行中的测验。发送「测验」开始。",
            "You have no quiz in progress. Send \"quiz\" to start one."
        );
    };
    attempts::quit(tx.conn(), active.id, ctx.now.timestamp_millis()).await?;
    tx.commit().await?;
    let (title, k, n) = (
        active.title().get(lang).to_owned(),
        active.answered,
        active.total,
    );
    Ok(Reply::text(tr!(
        lang,
        "已放弃测验《{title}》（已答 {k}/{n} 题，不计成绩）。随时发送「测验」重新开始。",
        "Stopped the quiz \"{title}\" ({k}/{n} answered; no score recorded). Send \"quiz\" to start again at any time."
    )))
}

/// `quiz list`: the banks, each with a button to start it.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    banks::ensure_builtin(&ctx.state.store, ctx.now.timestamp_millis()).await?;
    let mut conn = ctx.state.store.pool().acquire().await?;
    let all = banks::list(&mut conn).await?;
    let mut text = tr!(lang, "### 题库列表\n\n", "### Quiz banks\n\n");
    let mut buttons = Vec::new();
    for b in &all {
        let (key, title, n, per, pp) = (
            &b.bank_key,
            b.title().get(lang).to_owned(),
            b.question_count,
            b.questions_per_attempt,
            b.pass_percent,
        );
        text.push_str(&tr!(
            lang,
            "- **{key}**《{title}》：题库共 {n} 题，每次 {per} 题，及格线 {pp}%\n",
            "- **{key}** \"{title}\": {n} questions, {per} per quiz, {pp}% to pass\n"
        ));
        buttons.push(Button::new(title, render::start_reply(lang, key)));
    }
    text.push_str(&tr!(
        lang,
        "\n发送「测验 题库名」开始，例如「测验 default」。",
        "\nSend \"quiz BANK\" to start one, e.g. \"quiz default\"."
    ));
    buttons.truncate(crate::dingtalk::message::MAX_OPENAPI_BUTTONS);
    Ok(Reply::message(Message::card(
        tr!(lang, "题库列表", "Quiz banks"),
        text,
        buttons,
    )))
}
