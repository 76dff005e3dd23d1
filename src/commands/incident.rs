//! Security incidents and feedback in chat: `report TEXT` / `上报`,
//! `incidents` (admins and HR), `incident close ID [NOTE]` (admins),
//! `feedback TEXT` / `反馈` and `feedback list` (admins). Each calls its
//! action (which records, audits and notifies) and answers in the sender's
//! language.

use super::{Ctx, HandlerResult};
use crate::actions::feedback;
use crate::actions::incidents::{self, Close, Report, Shown};
use crate::clock::from_ms;
use crate::domain::inert;
use crate::domain::schedule::format_local;
use crate::domain::{Person, Reply, Role};
use crate::store::incidents::IncidentRow;
use crate::t;

/// Open incidents `incidents` lists.
const OPEN_SHOWN: i64 = 20;
/// Recently closed incidents `incidents` lists.
const CLOSED_SHOWN: i64 = 5;
/// Feedback `feedback list` shows.
const FEEDBACK_SHOWN: i64 = 20;

/// A local time for people, from epoch milliseconds.
fn when(ctx: &Ctx<'_>, ms: i64) -> String {
    format_local(ctx.state.config.timezone, from_ms(ms))
}

/// One line of reported text for a list: newlines flattened, long text cut
/// (before it is made inert, so a cut cannot split a defanged URL).
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        inert::defanged(&flat)
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{}…", inert::defanged(&cut))
    }
}

/// `report TEXT`: records the incident, notifies every active admin, thanks the reporter.
pub async fn report(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    let in_group = ctx.msg.conversation.is_group();
    let reported = incidents::report(&ctx.action(), Report { text, in_group }).await?;
    let id = reported.id;
    Ok(Reply::text(t!(
        ctx.lang(),
        "commands-incident-thank-you-for-reporting-this-it",
        id
    )))
}

/// `incidents`: open incidents, and the latest closed ones (admins and HR).
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let shown = Shown {
        open: OPEN_SHOWN,
        closed: CLOSED_SHOWN,
    };
    let l = incidents::list(&ctx.action(), shown).await?;
    let open_total = l.open_total;
    let mut text = t!(
        lang,
        "commands-incident-security-incidents-open",
        open_total
    );
    if l.open.is_empty() {
        text.push_str(&t!(lang, "commands-incident-nothing-open"));
    }
    for i in &l.open {
        text.push_str(&incident_line(ctx, i));
    }
    if open_total > OPEN_SHOWN {
        let more = open_total - OPEN_SHOWN;
        text.push_str(&t!(lang, "commands-incident-and-more", more));
    }
    if !l.closed.is_empty() {
        text.push_str(&t!(lang, "commands-incident-recently-closed"));
        for i in &l.closed {
            text.push_str(&incident_line(ctx, i));
        }
    }
    if ctx.user.has(Role::Admin) && !l.open.is_empty() {
        text.push_str(&t!(
            lang,
            "commands-incident-when-one-is-handled-send-incident"
        ));
    }
    Ok(Reply::markdown(
        t!(lang, "commands-incident-incidents"),
        text,
    ))
}

fn incident_line(ctx: &Ctx<'_>, i: &IncidentRow) -> String {
    let lang = ctx.lang();
    let (id, at) = (i.id, when(ctx, i.created_at));
    let who = Person {
        staff_id: &i.reporter,
        name: &i.reporter_name,
    }
    .label(lang);
    let what = excerpt(&i.text, 60);
    let mut line = t!(lang, "commands-incident-id-at-who-what", id, at, who, what);
    if !i.is_open() {
        let closed = i.closed_at.map(|ms| when(ctx, ms)).unwrap_or_default();
        line.push_str(&t!(lang, "commands-incident-closed", closed));
    }
    line.push('\n');
    line
}

/// `incident close ID [NOTE]` (admins): closes it and tells the reporter.
pub async fn close(ctx: &Ctx<'_>, id: i64, note: Option<&str>) -> HandlerResult {
    let closed = incidents::close(&ctx.action(), Close { id, note }).await?;
    let lang = ctx.lang();
    Ok(Reply::text(if closed.reporter_told {
        t!(lang, "commands-incident-incident-is-closed-i-have-let", id)
    } else {
        t!(lang, "commands-incident-incident-is-closed", id)
    }))
}

/// `feedback TEXT`: stored for the admins.
pub async fn feedback(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    let id = feedback::submit(&ctx.action(), text).await?;
    Ok(Reply::text(t!(
        ctx.lang(),
        "commands-incident-thank-you-for-feedback-it-is",
        id
    )))
}

/// `feedback list` (admins): the latest feedback, newest first.
pub async fn feedback_list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let (rows, total) = feedback::list(&ctx.action(), FEEDBACK_SHOWN).await?;
    let mut text = t!(lang, "commands-incident-feedback-in-all", total);
    if rows.is_empty() {
        text.push_str(&t!(lang, "commands-incident-no-feedback-yet"));
    }
    for f in &rows {
        let (id, at) = (f.id, when(ctx, f.created_at));
        let who = Person {
            staff_id: &f.staff_id,
            name: &f.name,
        }
        .label(lang);
        let what = excerpt(&f.text, 200);
        text.push_str(&t!(
            lang,
            "commands-incident-id-at-who-what-2",
            id,
            at,
            who,
            what
        ));
    }
    if total > FEEDBACK_SHOWN {
        text.push_str(&t!(
            lang,
            "commands-incident-showing-latest",
            feedback_shown = FEEDBACK_SHOWN
        ));
    }
    Ok(Reply::markdown(
        t!(lang, "commands-incident-feedback"),
        text,
    ))
}
