//! A person in the console: `GET /admin/people/{staff_id}` (their notices,
//! quiz results, password state, roles) with the administrators' forms,
//! `POST …/offboard` and `POST …/roles` (`role`, `do=grant|revoke`), which
//! — as in chat — only ask: the page shows a one-time code, and `POST
//! /admin/confirm` with it executes the request through its action. Reading the page is
//! audited (`person.view`): it names the person and what they did.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::json;

use super::{Posted, Principal, admins_only, failed, outcome};
use crate::actions::confirm::{self, Confirmed, Venue};
use crate::actions::{passwords, quiz};
use crate::domain::Role;
use crate::domain::confirm::Request;
use crate::domain::password::Standing as Password;
use crate::error::AppError;
use crate::http::admin::layout::{self, Nav, Page, PageLang, department, link, when};
use crate::http::api::respond::audited;
use crate::i18n::Lang;
use crate::reports::people::{self, PersonReport};
use crate::state::AppState;
use crate::t;

/// Notices and quiz results listed.
const LISTED: i64 = 50;

/// `GET /admin/people/{staff_id}`.
pub async fn show(
    who: Principal,
    State(state): State<AppState>,
    Path(staff_id): Path<String>,
    PageLang(lang): PageLang,
) -> Response {
    match load(&who, &state, &staff_id).await {
        Ok((r, user_roles, quiz, pw)) => {
            let t = crate::domain::Person {
                staff_id: &r.profile.staff_id,
                name: &r.profile.name,
            }
            .label_as_typed(lang);
            let path = format!("/admin/people/{}", r.profile.staff_id);
            let p = Page {
                lang,
                title: &t,
                nav: Nav::None,
                path: &path,
                session: Some(who.session()),
            };
            let tz = state.config.timezone;
            let body = html! {
                (profile(&r, &user_roles, lang))
                (notices_table(&r, lang, tz, state.clock.now().timestamp_millis()))
                (quiz_table(&quiz, lang, tz))
                (password(&pw, lang))
                (manage_forms(&who, &r.profile.staff_id, r.profile.active == 1, lang))
            };
            layout::page(&p, &body).into_response()
        }
        Err(e) => layout::error_page(lang, &e),
    }
}

type Loaded = (
    PersonReport,
    Vec<Role>,
    crate::actions::quiz::Standing,
    passwords::PersonStanding,
);

async fn load(who: &Principal, state: &AppState, staff_id: &str) -> Result<Loaded, AppError> {
    let failed = crate::http::api::respond::failed;
    let r = people::person(&state.store, staff_id, LISTED)
        .await
        .map_err(failed)?
        .ok_or_else(|| AppError::not_found(format!("nobody with staff id {staff_id} is known")))?;
    let ctx = who.ctx(state);
    let user = state.store.user(staff_id).await.map_err(failed)?;
    let user_roles = user.map(|u| u.roles).unwrap_or_default();
    let quiz = quiz::standing_of(&ctx, staff_id, LISTED)
        .await
        .map_err(failed)?;
    let pw = passwords::standing_of(&ctx, staff_id)
        .await
        .map_err(failed)?;
    let details = json!({"notices": r.notices.len(), "quiz_results": quiz.recent.len()});
    audited(
        state,
        who.audit_name(),
        "person.view",
        &format!("user:{staff_id}"),
        details,
    )
    .await?;
    Ok((r, user_roles, quiz, pw))
}

fn profile(r: &PersonReport, user_roles: &[Role], lang: Lang) -> Markup {
    let p = &r.profile;
    html! {
        p.meta {
            (department(&p.department, lang))
            @if let Some(m) = &p.manager_staff_id { " · " (t!(lang, "http-admin-act-people-manager", m)) }
            " · " @if p.active == 1 { span.chip.ok { (t!(lang, "http-admin-act-people-active")) } } @else { span.chip.muted { (t!(lang, "http-admin-recipients-left")) } }
            @for role in user_roles { " " span.chip { (role.label(lang)) } }
        }
    }
}

fn notices_table(r: &PersonReport, lang: Lang, tz: chrono_tz::Tz, now_ms: i64) -> Markup {
    html! {
        h2 { (t!(lang, "http-admin-act-people-notices")) }
        div.panel {
            @if r.notices.is_empty() { p.muted { (t!(lang, "http-admin-act-people-no-notices")) } } @else {
                div.scroll { table {
                    thead { tr { th { "#" } th { (t!(lang, "http-admin-notices-title")) } th { (t!(lang, "http-admin-act-people-acknowledged")) } th { (t!(lang, "http-admin-recipients-checklist")) } } }
                    tbody { @for n in &r.notices { tr {
                        td.num { "#" (n.id) }
                        td { a href=(link(&format!("/admin/notices/{}", n.id), lang)) { (n.title) } }
                        td { @match (n.acked_at, n.deadline_at) {
                            (Some(at), _) => span.ok { (when(tz, at)) },
                            (None, Some(d)) if now_ms >= d => span.bad { (t!(lang, "http-admin-recipients-overdue")) },
                            _ => span.warn { (t!(lang, "http-admin-recipients-pending")) },
                        } }
                        td.num { (n.checklist_done) "/" (n.checklist_total) }
                    } } }
                } }
            }
        }
    }
}

fn quiz_table(q: &crate::actions::quiz::Standing, lang: Lang, tz: chrono_tz::Tz) -> Markup {
    html! {
        h2 { (t!(lang, "http-admin-act-people-quiz-results")) }
        div.panel {
            @if q.recent.is_empty() { p.muted { (t!(lang, "http-admin-act-people-no-finished-quizzes")) } } @else {
                div.scroll { table {
                    thead { tr { th { (t!(lang, "http-admin-overview-bank")) } th { (t!(lang, "http-admin-act-people-score")) } th { (t!(lang, "http-admin-act-people-result")) } th { (t!(lang, "http-admin-act-people-finished")) } } }
                    tbody { @for a in &q.recent { tr {
                        td { (lang.pick(&a.title_zh, &a.title_en)) }
                        td.num { (a.score.unwrap_or(0)) "/" (a.total) }
                        td { @if a.passed == Some(1) { span.ok { (t!(lang, "commands-quiz-passed")) } } @else { span.bad { (t!(lang, "commands-quiz-not-passed")) } } }
                        td.num { @if let Some(at) = a.finished_at { (when(tz, at)) } }
                    } } }
                } }
            }
            @if !q.campaigns.is_empty() { p.warn { (t!(lang, "http-admin-act-people-campaigns-not-passed-yet", campaigns = q.campaigns.len())) } }
        }
    }
}

fn password(pw: &passwords::PersonStanding, lang: Lang) -> Markup {
    let state = match &pw.due {
        None => t!(lang, "http-admin-act-people-not-applicable-not-active"),
        Some(Password::Current { due: Some(d) } | Password::Confirmed { due: Some(d) }) => {
            t!(lang, "http-admin-act-people-fine-due", d)
        }
        Some(Password::Current { due: None } | Password::Confirmed { due: None }) => {
            t!(lang, "http-admin-act-people-fine")
        }
        Some(Password::DueSoon { due, days_left }) => t!(
            lang,
            "http-admin-act-people-due-soon-days-left",
            due,
            days_left
        ),
        Some(Password::Overdue { due, days }) => {
            t!(lang, "http-admin-act-people-overdue-since-days", due, days)
        }
    };
    html! {
        h2 { (t!(lang, "http-admin-act-people-password")) }
        div.panel {
            p { (state) }
            @if !pw.resets.is_empty() { p.bad { (t!(lang, "http-admin-act-people-forced-changes-still-owed", resets = pw.resets.len())) } }
        }
    }
}

/// Roles (administrators) and offboarding (administrators and HR, as in
/// chat): each asks for the one-time code first.
fn manage_forms(who: &Principal, staff_id: &str, active: bool, lang: Lang) -> Markup {
    let base = format!("/admin/people/{staff_id}");
    if !who.is_admin() && !active {
        return html! {};
    }
    html! {
        h2 { (t!(lang, "http-admin-act-people-manage")) }
        div.panel {
            @if who.is_admin() { form.inline method="post" action=(link(&format!("{base}/roles"), lang)) {
                (who.csrf_input())
                label for="role" { (t!(lang, "http-admin-act-people-role")) }
                select #role name="role" {
                    option value="admin" { (Role::Admin.label(lang)) }
                    option value="hr" { (Role::Hr.label(lang)) }
                }
                button.secondary type="submit" name="do" value="grant" { (t!(lang, "http-admin-act-people-grant")) }
                button.secondary type="submit" name="do" value="revoke" { (t!(lang, "http-admin-tokens-revoke")) }
            } }
            @if active {
                form.inline method="post" action=(link(&format!("{base}/offboard"), lang)) {
                    (who.csrf_input())
                    button.secondary type="submit" { (t!(lang, "http-admin-act-people-start-offboarding")) }
                }
            }
        }
    }
}

/// Asks for confirmation of `request` as chat does (the same one-time
/// code, for this console session): a page with what it will do, the code
/// and a form to type it into.
async fn ask(state: &AppState, p: &Posted, request: Request, back: &str) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    let venue = p.who.venue();
    match confirm::request(&p.who.ctx(state), Venue::Console(&venue), request).await {
        Ok(r) => {
            let effect = r.request.effect(r.who.person(), lang);
            let until = layout::when(tz, r.expires_at.timestamp_millis());
            let t = t!(lang, "http-admin-act-people-please-confirm");
            let b = html! {
                p { (effect) }
                p { (t!(lang, "http-admin-act-people-confirmation-code")) strong.code { (r.code) } }
                p.muted { (t!(lang, "http-admin-act-people-type-code-above-before-nothing-happens", until)) }
                form.inline method="post" action=(link("/admin/confirm", lang)) {
                    (p.who.csrf_input())
                    label for="code" { (t!(lang, "http-admin-act-people-code")) }
                    input #code type="text" name="code" autocomplete="off" required;
                    button.primary type="submit" { (t!(lang, "http-admin-act-people-confirm")) }
                }
            };
            outcome(&p.who, lang, StatusCode::OK, &t, &b, back)
        }
        Err(e) => failed(&p.who, lang, tz, e, back),
    }
}

/// `POST /admin/people/{staff_id}/offboard` (admins and HR, as in chat):
/// asks for confirmation.
pub async fn offboard(
    State(state): State<AppState>,
    Path(staff_id): Path<String>,
    p: Posted,
) -> Response {
    let back = format!("/admin/people/{staff_id}");
    let lang = p.lang;
    ask(&state, &p, Request::Offboard { staff_id, lang }, &back).await
}

/// `POST /admin/people/{staff_id}/roles`: `role=admin|hr`,
/// `do=grant|revoke` (admins): asks for confirmation.
pub async fn role(
    State(state): State<AppState>,
    Path(staff_id): Path<String>,
    p: Posted,
) -> Response {
    let lang = p.lang;
    if !p.who.is_admin() {
        return admins_only(lang);
    }
    let back = format!("/admin/people/{staff_id}");
    let Ok(role) = p.text("role").parse::<Role>() else {
        let t = t!(lang, "http-admin-layout-bad-request");
        let b = html! { p.error { (t!(lang, "http-admin-act-people-role-must-be-admin-or-hr")) } };
        return outcome(&p.who, lang, StatusCode::BAD_REQUEST, &t, &b, &back);
    };
    let request = if p.get("do") == Some("revoke") {
        Request::RoleRevoke { staff_id, role }
    } else {
        Request::RoleGrant { staff_id, role }
    };
    ask(&state, &p, request, &back).await
}

/// `POST /admin/confirm`: `code` — executes the request this session asked
/// for, through its action.
pub async fn confirm_code(State(state): State<AppState>, p: Posted) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    let venue = p.who.venue();
    let code = p.text("code").trim().to_owned();
    match confirm::confirm(&p.who.ctx(&state), Venue::Console(&venue), &code).await {
        Ok(done) => {
            let (words, back) = match &done {
                Confirmed::Granted(g) => (
                    t!(
                        lang,
                        "http-admin-act-people-now-holds-role",
                        staff_id = g.user.staff_id,
                        label = g.role.label(lang)
                    ),
                    format!("/admin/people/{}", g.user.staff_id),
                ),
                Confirmed::Revoked(r) => (
                    t!(
                        lang,
                        "http-admin-act-people-no-longer-holds-role",
                        staff_id = r.who.staff_id
                    ),
                    format!("/admin/people/{}", r.who.staff_id),
                ),
                Confirmed::Offboarded(o) => (
                    offboarded(o, lang),
                    format!("/admin/notices/{}", o.admin_notice),
                ),
            };
            let t = t!(lang, "http-admin-act-people-done");
            outcome(
                &p.who,
                lang,
                StatusCode::OK,
                &t,
                &html! { p { (words) } },
                &back,
            )
        }
        Err(e) => failed(&p.who, lang, tz, e, "/admin/"),
    }
}

/// What a confirmed offboarding started, in one paragraph.
fn offboarded(o: &crate::actions::notices::Offboarded, lang: Lang) -> String {
    let (name, leaver, admin, d) = (&o.name, o.leaver_notice, o.admin_notice, o.deadline);
    let mut text = t!(
        lang,
        "http-admin-act-people-offboarding-of-started-due-leaver-s",
        name,
        d,
        leaver,
        admin
    );
    text.push_str(&match &o.manager {
        Some((id, m)) => {
            let m = m.person().label(lang);
            t!(
                lang,
                "http-admin-act-people-manager-s-handover-checklist",
                id,
                m
            )
        }
        None => t!(
            lang,
            "http-admin-act-people-roster-names-no-active-manager-so"
        ),
    });
    let hr = o.hr;
    text + &t!(lang, "http-admin-act-people-hr-people-told", hr)
}
