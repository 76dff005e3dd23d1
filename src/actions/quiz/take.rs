//! Starting (or resuming) and quitting a quiz. State lives in the database:
//! one active attempt per person. A quiz asked for in a group continues in
//! the 1:1 chat: its first card goes out through the outbox.

use rand::SeedableRng as _;
use rand::rngs::StdRng;
use sqlx::AnyConnection;

use super::ensure_builtin;
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::pick::{self, Candidate, Plan};
use crate::domain::quiz::{AttemptKind, Text, intro, render};
use crate::domain::{Message, User};
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::attempts::{self, Attempt, NewAttempt};
use crate::store::quiz::banks::{self, BankVersion};
use crate::store::quiz::{campaigns, review};

/// Words after `quiz` that start the follow-up quiz.
const REVIEW_WORDS: &[&str] = &["review", "复习"];

/// `quiz [BANK]` from a chat.
#[derive(Clone, Debug)]
pub struct Start {
    /// The bank asked for (any case), `review`/`复习`, or none.
    pub bank: Option<String>,
    /// Asked in a group chat: the question goes to the 1:1 chat.
    pub in_group: bool,
}

/// The quiz in progress, started or resumed.
#[derive(Clone, Debug)]
pub struct Started {
    pub attempt_id: i64,
    /// The current question with its introduction, in the person's language.
    pub card: Message,
    /// The card was queued for the 1:1 chat (asked in a group).
    pub sent_direct: bool,
}

/// A quiz abandoned with `quiz quit`.
#[derive(Clone, Debug)]
pub struct Quit {
    pub title: Text,
    pub answered: i64,
    pub total: i64,
}

/// Resumes the acting person's quiz in progress, or starts one.
#[tracing::instrument(skip_all, fields(attempt = tracing::field::Empty))]
pub async fn start(ctx: &Ctx<'_>, start: Start) -> ActionResult<Started> {
    let user = ctx.person_who("takes a quiz")?;
    ensure_builtin(ctx.store, ctx.now_ms()).await?;
    let asked = start.bank.map(|b| b.to_lowercase());
    let mut tx = ctx.begin().await?;
    let (attempt_id, card) = match attempts::active(tx.conn(), &user.staff_id).await? {
        Some(active) => resume(tx.conn(), &active, asked.as_deref(), user).await?,
        None => match begin(ctx, tx.conn(), asked.as_deref()).await? {
            Some(started) => started,
            // Another message started one at the same moment: resume that.
            None => {
                let active = attempts::active(tx.conn(), &user.staff_id).await?;
                let active = active.ok_or_else(|| anyhow::anyhow!("attempt vanished"))?;
                resume(tx.conn(), &active, None, user).await?
            }
        },
    };
    tracing::Span::current().record("attempt", attempt_id);
    if start.in_group {
        let to = [user.staff_id.clone()];
        let out = Outbound::direct(&to, &card)
            .priority(Priority::Reply)
            .reference(crate::store::outbox::Reference::QuizAttempt(attempt_id));
        outbox::enqueue(tx.conn(), &out, ctx.now_ms()).await?;
    }
    tx.commit().await?;
    Ok(Started {
        attempt_id,
        card,
        sent_direct: start.in_group,
    })
}

/// The current question of a quiz in progress, with a note if another bank was asked for.
async fn resume(
    conn: &mut AnyConnection,
    active: &Attempt,
    asked_for: Option<&str>,
    user: &User,
) -> anyhow::Result<(i64, Message)> {
    let Some(q) = attempts::current(conn, active.id).await? else {
        anyhow::bail!("active attempt {} has no unanswered question", active.id);
    };
    let other = asked_for.is_some_and(|b| b != active.bank_key && !REVIEW_WORDS.contains(&b));
    let intro = intro::resuming(&active.title(), other, user.lang);
    Ok((
        active.id,
        render::question_card(&q, user.lang, Some(&intro)),
    ))
}

/// Which bank a new attempt uses, and the follow-up it takes, if any.
async fn target_bank(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    staff: &str,
    asked: Option<&str>,
) -> ActionResult<(BankVersion, Option<review::Followup>)> {
    if asked.is_some_and(|b| REVIEW_WORDS.contains(&b)) {
        let Some(f) = review::ready_followup(conn, staff, ctx.now_ms()).await? else {
            return Err(Refusal::NoFollowupWaiting.into());
        };
        let Some(version) = banks::current_by_id(conn, f.bank_id).await? else {
            let key = asked.unwrap_or(DEFAULT_BANK).to_owned();
            return Err(Refusal::NoSuchBank { key }.into());
        };
        return Ok((version, Some(f)));
    }
    let key = match asked {
        Some(b) => b.to_owned(),
        None => default_key(conn, staff).await?,
    };
    match banks::current(conn, &key).await? {
        Some(version) => Ok((version, None)),
        None => {
            let key = asked.unwrap_or(DEFAULT_BANK).to_owned();
            Err(Refusal::NoSuchBank { key }.into())
        }
    }
}

/// Starts a new attempt; `None` if another one became active meanwhile.
async fn begin(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    asked: Option<&str>,
) -> ActionResult<Option<(i64, Message)>> {
    let user = ctx.person_who("takes a quiz")?;
    let staff = user.staff_id.as_str();
    let (version, followup) = target_bank(ctx, conn, staff, asked).await?;
    let topics = followup.as_ref().map(review::Followup::topic_keys);
    let picks = choose(conn, staff, &version, topics.as_deref()).await?;
    if picks.is_empty() {
        return Err(Refusal::EmptyBank.into());
    }
    let (kind, campaign_id) = match &followup {
        Some(_) => (AttemptKind::Followup, None),
        None => {
            let pending = campaigns::pending_for(conn, staff, Some(version.bank_id)).await?;
            (AttemptKind::Regular, pending.first().map(|c| c.id))
        }
    };
    let new = NewAttempt {
        staff_id: staff,
        bank: &version,
        kind,
        campaign_id,
        picks: &picks,
    };
    let Some(id) = attempts::create(conn, &new, ctx.now_ms()).await? else {
        return Ok(None);
    };
    if let Some(f) = &followup {
        review::attach_followup(conn, f.id, id).await?;
    }
    let Some(first) = attempts::current(conn, id).await? else {
        return Err(anyhow::anyhow!("new attempt {id} has no question").into());
    };
    let (title, pp) = (version.title(), version.pass_percent);
    let intro = intro::starting(&title, picks.len(), pp, kind, user.lang);
    let card = render::question_card(&first, user.lang, Some(&intro));
    Ok(Some((id, card)))
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
    let mut questions = banks::questions(conn, version.version_id).await?;
    if let Some(topics) = topics {
        questions.retain(|q| topics.contains(&q.topic));
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
    let candidates: Vec<Candidate<'_>> = questions
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
            let q = &questions[i];
            (q.id, pick::shuffle_options(q.option_count(), &mut rng))
        })
        .collect())
}

/// Abandons the acting person's quiz in progress (no score is recorded).
#[tracing::instrument(skip_all)]
pub async fn quit(ctx: &Ctx<'_>) -> ActionResult<Quit> {
    let user = ctx.person_who("takes a quiz")?;
    let mut tx = ctx.begin().await?;
    let Some(active) = attempts::active(tx.conn(), &user.staff_id).await? else {
        return Err(Refusal::NoQuizInProgress.into());
    };
    attempts::quit(tx.conn(), active.id, ctx.now_ms()).await?;
    tx.commit().await?;
    Ok(Quit {
        title: active.title(),
        answered: active.answered,
        total: active.total,
    })
}
