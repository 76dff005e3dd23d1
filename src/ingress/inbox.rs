//! Running messages from the durable inbox. A claimed row (or one the sweep
//! took) waits for its sender's turn ([`crate::keyed::Turns`]: one message
//! per sender at a time, in arrival order) and for a handler slot
//! (`DINGWARDEN_MAX_HANDLERS`), then its command runs at the time the message
//! arrived. The action that changes state marks the row handled in its own
//! transaction; for a command that changed nothing the mark is
//! group-committed with the dedupe writer's next batch of claims
//! ([`crate::store::inbound::Deduper::finish`]) before the reply. A
//! failed run gives the row back for the sweep to run again (up to
//! [`MAX_ATTEMPTS`], then the sender is told it failed); a run whose row was
//! taken over by another commits nothing and stays silent.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;
use tracing::Instrument as _;

use crate::actions::{self, Actor, InboxRun};
use crate::clock::from_ms;
use crate::domain::Reply;
use crate::domain::chat::ChatMessage;
use crate::state::AppState;
use crate::store::inbox::{Held, RunKey};

/// Runs of one message before it is answered with an apology and dropped.
pub const MAX_ATTEMPTS: i64 = 5;

/// How long a failed run's row waits before the sweep may take it again.
pub const RETRY_IN: Duration = Duration::from_secs(5);

/// Queues a held row behind its sender's earlier ones; starts a runner for
/// the sender when none is running. Returns at once. `room` is the admitted
/// message's place in `DINGWARDEN_MAX_QUEUED`, given back when its run ends.
pub fn dispatch(state: &AppState, held: Held, room: Option<OwnedSemaphorePermit>) {
    let key = if held.sender.is_empty() {
        format!("msg:{}", held.msg_id)
    } else {
        held.sender.clone()
    };
    let hold = state.holding.hold(&held.msg_id);
    let Some(first) = state.turns.push(&key, (held, hold, room)) else {
        return;
    };
    let task_state = state.clone();
    let span = tracing::Span::current();
    state.tasks.spawn(
        async move {
            let mut job = first;
            loop {
                let (held, hold, room) = job;
                run(&task_state, held).await;
                drop((hold, room));
                match task_state.turns.next(&key) {
                    Some(next) => job = next,
                    None => break,
                }
            }
        }
        .instrument(span),
    );
}

/// One run of one row: wait for a slot, handle, settle, reply.
async fn run(state: &AppState, held: Held) {
    let Ok(_slot) = Arc::clone(&state.handlers).acquire_owned().await else {
        return;
    };
    let run = Arc::new(InboxRun::new(RunKey {
        msg_id: held.msg_id.clone(),
        holder: state.inbox_lease.holder.clone(),
        attempt: held.attempt,
    }));
    let received = from_ms(held.received_at);
    let ctx = actions::Ctx::new(
        &state.store,
        &state.config,
        received,
        Actor::System("dingtalk"),
    )
    .in_inbox(Some(&run));
    let msg = match decode(&held) {
        Ok(msg) => msg,
        Err(e) => {
            // Nothing can run it, ever: mark it handled so it stops coming back.
            tracing::error!(msg_id = %held.msg_id, error = %e, "inbox row unreadable; dropped");
            state.metrics.inbox_run("unreadable");
            let _ = finish(state, &run, held.received_at).await;
            return;
        }
    };
    let result = handle(state, &msg, received, &run).await;
    let (outcome, reply) = settle(state, &ctx, &run, &msg, result).await;
    state.metrics.inbox_run(outcome);
    if let Some(reply) = reply {
        // Whatever the sessionWebhook did not take (expired, as after a
        // recovery, refused or failing) goes through the outbox.
        if let Err(unposted) = state.delivery.reply(&msg.reply, &reply, received).await {
            super::fallback::fall_back(state, &msg.reply, unposted).await;
        }
    }
}

/// Runs the command in a task of its own, so a panic is a failed run, not
/// a lost runner.
async fn handle(
    state: &AppState,
    msg: &ChatMessage,
    received: chrono::DateTime<chrono::Utc>,
    run: &Arc<InboxRun>,
) -> anyhow::Result<Reply> {
    let handler = tokio::spawn({
        let (state, msg, run) = (state.clone(), msg.clone(), Arc::clone(run));
        async move { crate::commands::handle_message(&state, &msg, received, Some(&run)).await }
            .in_current_span()
    });
    match handler.await {
        Ok(result) => result,
        Err(e) => Err(anyhow::anyhow!("handler panicked: {e}")),
    }
}

fn decode(held: &Held) -> anyhow::Result<ChatMessage> {
    let json = held
        .command
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("no command kept"))?;
    Ok(serde_json::from_str(json)?)
}

/// What became of a run: the outcome counted, and the reply to send now.
type Settled = (&'static str, Option<Reply>);

/// Marks the row handled (if the command has not) and returns the reply to
/// send; none when there is nothing to say now (taken over, or given back
/// for another run).
async fn settle(
    state: &AppState,
    ctx: &actions::Ctx<'_>,
    run: &InboxRun,
    msg: &ChatMessage,
    result: anyhow::Result<Reply>,
) -> Settled {
    let id = &msg.msg_id;
    if run.is_lost() {
        tracing::info!(msg_id = %id, "inbox row taken over by another run; this one changed nothing");
        return ("taken_over", None);
    }
    let error = match result {
        Ok(reply) => match finish(state, run, ctx.now_ms()).await {
            Ok(true) => return ("handled", Some(reply)),
            Ok(false) => {
                tracing::info!(msg_id = %id, "inbox row taken over by another run");
                return ("taken_over", None);
            }
            Err(e) => e,
        },
        // Its effects are committed: nothing to run again.
        Err(e) if run.is_done() => {
            return ("handled", Some(crate::commands::failure_reply(&e, msg)));
        }
        Err(e) => e,
    };
    retry_or_give_up(state, ctx, run, msg, error).await
}

/// Marks the run's row handled unless its command's transaction did
/// (group-committed: nothing else is atomic with it); `Ok(false)` when the
/// run no longer holds the row.
async fn finish(state: &AppState, run: &InboxRun, now_ms: i64) -> anyhow::Result<bool> {
    if run.is_done() {
        return Ok(true);
    }
    state.deduper.finish(run.key().clone(), now_ms).await
}

/// A run that failed before committing: its row goes back to the inbox, or,
/// after [`MAX_ATTEMPTS`], is marked handled and the sender is told.
async fn retry_or_give_up(
    state: &AppState,
    ctx: &actions::Ctx<'_>,
    run: &InboxRun,
    msg: &ChatMessage,
    error: anyhow::Error,
) -> Settled {
    let (id, attempt) = (&msg.msg_id, run.key().attempt);
    if attempt >= MAX_ATTEMPTS {
        let reply = match finish(state, run, ctx.now_ms()).await {
            Ok(true) => Some(crate::commands::failure_reply(&error, msg)),
            Ok(false) => None,
            Err(e) => {
                tracing::error!(msg_id = %id, error = ?e, "failed message not marked handled");
                None
            }
        };
        return ("failed", reply);
    }
    tracing::warn!(
        msg_id = %id,
        attempt,
        error = ?error,
        "message handling failed; it stays in the inbox for another run"
    );
    let clock_ms = state.clock.now().timestamp_millis();
    if let Err(e) = actions::inbox::give_back(ctx, RETRY_IN, clock_ms).await {
        // Its lease is no longer renewed once this run ends: it runs out.
        tracing::error!(msg_id = %id, error = ?e, "inbox row not given back");
    }
    ("retry", None)
}
