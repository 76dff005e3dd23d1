//! Commands: a chat message becomes a [`Command`], is authorised against the
//! catalogue, and is handled against the domain and store; the result is a
//! [`Reply`] for the conversation. Errors meant for the user become replies;
//! anything else becomes a generic reply with a reference id.

pub mod audience;
pub mod catalogue;
pub mod command;
mod confirm;
pub mod help;
pub mod incident;
mod me;
pub mod notice;
mod outbox;
pub mod parse;
pub mod password;
mod private;
pub mod quiz;
pub mod roster;
mod settings;
pub mod suggest;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::Instrument as _;

pub use command::{Audience, Command, NoticeKind, PolicySpec, Privacy};
pub use parse::{ParseError, ValueKind, parse};

use crate::actions::roles::{ChatKind, RefusedCommand};
use crate::actions::{self, InboxRun, refusal::Viewer};
use crate::domain::chat::{Body, ChatMessage};
use crate::domain::{Access, Reply, User};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::t;

/// What a handler knows about the message it is answering.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub user: User,
    pub msg: &'a ChatMessage,
    pub now: DateTime<Utc>,
    /// The message's inbox run: the first action that commits marks it done.
    pub inbox: Option<&'a Arc<InboxRun>>,
}

impl Ctx<'_> {
    pub fn lang(&self) -> Lang {
        self.user.lang
    }

    /// How refusals are worded for this user.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            lang: self.user.lang,
            tz: self.state.config.timezone,
            staff: self.user.may(Access::Staff),
        }
    }

    /// The context an action runs in for this message: the sender acts.
    pub fn action(&self) -> actions::Ctx<'_> {
        actions::Ctx::new(
            &self.state.store,
            &self.state.config,
            self.now,
            actions::Actor::Person(&self.user),
        )
        .in_inbox(self.inbox)
    }
}

/// The result of a handler.
pub type HandlerResult = Result<Reply, HandlerError>;

/// Handles one verified, new chat message at `now` (when it arrived) and
/// returns the reply. Under an inbox run, the action that changes state
/// marks the message done in its own transaction. An internal failure is
/// returned as the error (the caller may run the message again, or answer
/// it with [`failure_reply`]); user errors and refusals are replies.
pub async fn handle_message(
    state: &AppState,
    msg: &ChatMessage,
    now: DateTime<Utc>,
    inbox: Option<&Arc<InboxRun>>,
) -> anyhow::Result<Reply> {
    let span =
        tracing::info_span!("message", msg_id = %msg.msg_id, command = tracing::field::Empty);
    async move {
        match answer(state, msg, now, inbox).await {
            Ok(reply) => Ok(reply),
            Err(HandlerError::User(text)) => Ok(Reply::text(text)),
            Err(HandlerError::Internal(e)) => Err(e),
            // Refusals are put into words where the user is known (`answer`).
            Err(HandlerError::Refused(r)) => Err(anyhow::anyhow!(r)),
        }
    }
    .instrument(span)
    .await
}

async fn answer(
    state: &AppState,
    msg: &ChatMessage,
    now: DateTime<Utc>,
    inbox: Option<&Arc<InboxRun>>,
) -> HandlerResult {
    let Some(staff_id) = msg.sender_staff_id.as_deref() else {
        // The sender's language is unknown: both.
        let [zh, en] =
            [Lang::Zh, Lang::En].map(|l| t!(l, "commands-sorry-i-only-serve-members-of"));
        return Ok(Reply::text(format!("{zh}\n{en}")));
    };
    let user = sender(state, msg, staff_id, now).await?;
    let lang = user.lang;
    let text = match &msg.body {
        Body::Text(t) => t,
        Body::Withheld => return password::withhold(state, &user, msg, now, inbox).await,
        Body::Other(_) => {
            return Ok(Reply::text(t!(
                lang,
                "commands-i-can-only-read-text-messages"
            )));
        }
    };
    // Before anything else reads it: a pasted password is neither processed
    // nor kept, only warned about.
    if password::carries_credential(text) {
        return password::withhold(state, &user, msg, now, inbox).await;
    }
    let cmd = match parse(text) {
        Ok(cmd) => cmd,
        Err(e) => return Ok(misunderstood(&user, text, e)),
    };
    tracing::Span::current().record("command", cmd.key());
    let ctx = Ctx {
        state,
        user,
        msg,
        now,
        inbox,
    };
    authorise(&ctx, &cmd).await?;
    let privacy = cmd.privacy();
    match dispatch(&ctx, cmd).await {
        Err(HandlerError::Refused(r)) => Ok(Reply::text(r.message(ctx.viewer()))),
        Ok(reply) if privacy == Privacy::Personal && msg.conversation.is_group() => {
            private::send(&ctx, reply).await
        }
        other => other,
    }
}

/// The answer to text that did not parse: "did you mean" for unknown
/// commands; for a command the sender may run, what was wrong and its
/// usage; otherwise the hint to send `help`.
fn misunderstood(user: &User, text: &str, e: ParseError) -> Reply {
    let lang = user.lang;
    let runnable =
        |key: &str| catalogue::spec(key).filter(|spec| spec.available && user.may(spec.access));
    match e {
        ParseError::Unknown => suggest::did_you_mean(text, user),
        ParseError::Usage(key) => {
            runnable(key).map_or_else(|| help::hint(lang), |s| help::usage(s, lang))
        }
        ParseError::Invalid { key, value, kind } => runnable(key).map_or_else(
            || help::hint(lang),
            |s| help::invalid(s, &value, kind, lang),
        ),
    }
}

/// The sender, recorded on first contact, with the admin role in step with
/// DingTalk's organisation-admin flag (as the settings allow).
async fn sender(
    state: &AppState,
    msg: &ChatMessage,
    staff_id: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<User> {
    let dingtalk = actions::Ctx::new(
        &state.store,
        &state.config,
        now,
        actions::Actor::System("dingtalk"),
    );
    let mut user = actions::roster::user_on_contact(&dingtalk, staff_id, &msg.sender_nick).await?;
    let org_admin = msg.sender_is_org_admin;
    if let Some(roles) = actions::roles::apply_org_admin_flag(&dingtalk, &user, org_admin).await? {
        user.roles = roles;
    }
    Ok(user)
}

/// Checks the catalogue: the user must hold the role the command needs
/// (refusals are polite, name no internals, and are audited), and the
/// command must work in this build.
async fn authorise(ctx: &Ctx<'_>, cmd: &Command) -> Result<(), HandlerError> {
    let lang = ctx.lang();
    let Some(spec) = catalogue::spec(cmd.key()) else {
        return Err(HandlerError::Internal(anyhow::anyhow!(
            "command {} missing from catalogue",
            cmd.key()
        )));
    };
    if !ctx.user.may(spec.access) {
        tracing::info!(command = cmd.key(), "command refused: missing role");
        record_refusal(ctx, spec).await?;
        if spec.access == Access::Staff {
            crate::user_error!(lang, "commands-sorry-only-administrators-and-hr-can");
        }
        crate::user_error!(lang, "commands-sorry-only-administrators-can-do-that");
    }
    if !spec.available {
        crate::user_error!(lang, "commands-that-feature-is-not-available-yet");
    }
    Ok(())
}

/// Audits that the sender was refused `spec` for lack of a role.
async fn record_refusal(ctx: &Ctx<'_>, spec: &catalogue::CommandSpec) -> anyhow::Result<()> {
    let chat = if ctx.msg.conversation.is_group() {
        ChatKind::Group
    } else {
        ChatKind::Direct
    };
    let refused = RefusedCommand {
        command: spec.name,
        needs: spec.access,
        chat,
    };
    actions::roles::command_refused(&ctx.action(), refused).await
}

async fn dispatch(ctx: &Ctx<'_>, cmd: Command) -> HandlerResult {
    match cmd {
        Command::Help => Ok(help::help(&ctx.user, ctx.lang())),
        Command::Hello => Ok(help::welcome(ctx.lang())),
        Command::Lang(lang) => settings::lang(ctx, lang).await,
        Command::Me => me::me(ctx).await,
        Command::PasswordPolicy { policy } => password::policy(ctx, policy).await,
        Command::PasswordDone => password::done(ctx).await,
        Command::PasswordStatus => password::status::status(ctx).await,
        Command::PasswordResetRequired { audience, reason } => {
            password::reset_required(ctx, audience, reason).await
        }
        Command::RoleList => roster::list(ctx).await,
        Command::RoleGrant { staff_id, role } => roster::grant(ctx, &staff_id, role).await,
        Command::RoleRevoke { staff_id, role } => roster::revoke(ctx, &staff_id, role).await,
        Command::Report { text } => incident::report(ctx, &text).await,
        Command::Incidents => incident::list(ctx).await,
        Command::IncidentClose { incident: id, note } => {
            incident::close(ctx, id, note.as_deref()).await
        }
        Command::Feedback { text } => incident::feedback(ctx, &text).await,
        Command::FeedbackList => incident::feedback_list(ctx).await,
        Command::QuizStart { bank } => quiz::start(ctx, bank).await,
        Command::QuizList => quiz::list(ctx).await,
        Command::QuizQuit => quiz::quit(ctx).await,
        Command::Answer { choice, question } => quiz::answer(ctx, choice, question).await,
        Command::QuizAssign { bank, audience, by } => quiz::assign(ctx, bank, audience, by).await,
        Command::QuizStats { bank } => quiz::stats(ctx, bank).await,
        Command::NoticeNew { kind, title, body } => notice::new(ctx, kind, &title, &body).await,
        Command::NoticeTemplateExit => notice::template_exit(ctx),
        Command::NoticeSend {
            notice: id,
            audience,
        } => notice::send(ctx, id, &audience).await,
        Command::NoticeStatus { notice: id } => notice::status(ctx, id).await,
        Command::NoticeRemind { notice: id, repeat } => notice::remind(ctx, id, repeat).await,
        Command::NoticeClose { notice: id } => notice::close(ctx, id).await,
        Command::Notices => notice::list(ctx).await,
        Command::Export { notice: id } => notice::export(ctx, id).await,
        Command::Console => Ok(notice::console(ctx)),
        Command::Ack { notice: id } => notice::ack(ctx, id).await,
        Command::Confirm { code } => confirm::confirm(ctx, &code).await,
        Command::Done { notice: id, item } => notice::done(ctx, id, item).await,
        Command::Offboard { staff_id } => notice::offboard(ctx, &staff_id).await,
        Command::Outbox => outbox::show(ctx).await,
        Command::OutboxRetry { id } => outbox::retry(ctx, id).await,
    }
}

/// The reply to a message whose handling failed for good: a generic apology
/// with a reference id, logged with the error.
pub fn failure_reply(e: &anyhow::Error, msg: &ChatMessage) -> Reply {
    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    tracing::error!(error = ?e, reference = %reference, msg_id = %msg.msg_id, "command failed");
    // Said in both languages: the failure may have been reading the sender's.
    let [zh, en] = [Lang::Zh, Lang::En].map(|l| {
        t!(
            l,
            "commands-sorry-something-went-wrong-please-try",
            reference
        )
    });
    Reply::text(format!("{zh}\n{en}"))
}
