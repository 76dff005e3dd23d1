//! Notices in the browser: `GET|POST /admin/notices/new` (compose, preview
//! as recipients will see it, save a draft), `POST /admin/notices/{id}/send`
//! (first the number of people the audience names, then the send),
//! `…/remind` (HR too) and `…/close`; and the controls the notice page shows.
//! Each write calls the notice action chat uses.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::forms::{self, Chosen, DraftForm};
use super::{Posted, Principal, admins_only, failed, outcome, refused};
use crate::actions::Refusal;
use crate::actions::audience::{Purpose, preview as count_audience};
use crate::actions::notices::{self, Draft, SendToPeople};
use crate::domain::audience::Audience;
use crate::domain::notice::compose::compose_fields;
use crate::domain::notice::messages::{NoticeView, notice_card};
use crate::domain::notice::{NoticeKind, parse_body};
use crate::http::admin::layout::{self, Nav, Page, PageLang, link};
use crate::http::api::respond::parse_id;
use crate::i18n::Lang;
use crate::reports::notices::NoticeRow;
use crate::state::AppState;
use crate::t;

fn compose_page(who: &Principal, lang: Lang, status: StatusCode, body: &Markup) -> Response {
    let title = t!(lang, "http-admin-notices-new-notice");
    let p = Page {
        lang,
        title: &title,
        nav: Nav::Notices,
        path: "/admin/notices/new",
        session: Some(who.session()),
    };
    (status, layout::page(&p, body)).into_response()
}

/// `GET /admin/notices/new`.
pub async fn compose(who: Principal, PageLang(lang): PageLang) -> Response {
    if !who.is_admin() {
        return admins_only(lang);
    }
    let form = forms::compose(&who, lang, &DraftForm::default(), None);
    compose_page(&who, lang, StatusCode::OK, &form)
}

fn draft_form(p: &Posted) -> DraftForm {
    DraftForm {
        kind: p.text("kind").to_owned(),
        title: p.text("title").to_owned(),
        body: p.text("body").to_owned(),
        checklist: p.text("checklist").to_owned(),
        deadline: p.text("deadline").to_owned(),
    }
}

/// The refusal `r` in words for the page's reader.
fn words(r: &Refusal, lang: Lang, tz: chrono_tz::Tz) -> String {
    r.message(crate::actions::refusal::Viewer {
        lang,
        tz,
        staff: true,
    })
}

/// The kind, title and body (with its deadline and checklist) a form asks
/// for, or what is wrong with it in words.
fn validated(
    f: &DraftForm,
    lang: Lang,
    tz: chrono_tz::Tz,
) -> Result<(NoticeKind, String, String), String> {
    let kind = NoticeKind::parse(f.kind.trim()).unwrap_or_default();
    let body = compose_fields(&f.body, &f.deadline, &f.items())
        .map_err(|error| words(&Refusal::BadNoticeBody { error }, lang, tz))?;
    let title = f.title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        return Err(t!(
            lang,
            "http-admin-act-notices-give-notice-title-one-line"
        ));
    }
    Ok((kind, title.to_owned(), body))
}

/// `POST /admin/notices/new`: `do=preview` shows the card, `do=create`
/// stores the draft through the create action.
pub async fn compose_post(State(state): State<AppState>, p: Posted) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    if !p.who.is_admin() {
        return admins_only(lang);
    }
    let f = draft_form(&p);
    let again = |e: &str| {
        let form = forms::compose(&p.who, lang, &f, Some(e));
        compose_page(&p.who, lang, StatusCode::BAD_REQUEST, &form)
    };
    let (kind, title, body) = match validated(&f, lang, tz) {
        Ok(v) => v,
        Err(e) => return again(&e),
    };
    if p.get("do") != Some("create") {
        return preview_page(&p.who, lang, &f, kind, &title, &body);
    }
    let draft = Draft {
        kind,
        title: &title,
        body: &body,
    };
    match notices::create(&p.who.ctx(&state), draft).await {
        Ok(c) => {
            let id = c.id;
            let t = t!(lang, "http-admin-act-notices-draft-saved", id);
            let b = html! {
                p { (t!(lang, "http-admin-act-notices-notice-is-saved-as-draft-nothing", title)) }
                p { a.btn href=(link(&format!("/admin/notices/{id}"), lang)) { (t!(lang, "http-admin-act-notices-choose-recipients-and-send")) } }
            };
            outcome(
                &p.who,
                lang,
                StatusCode::CREATED,
                &t,
                &b,
                &format!("/admin/notices/{id}"),
            )
        }
        Err(crate::actions::ActionError::Refused(r)) => again(&words(&r, lang, tz)),
        Err(e) => failed(&p.who, lang, tz, e, "/admin/notices/new"),
    }
}

fn preview_page(
    who: &Principal,
    lang: Lang,
    f: &DraftForm,
    kind: NoticeKind,
    title: &str,
    body: &str,
) -> Response {
    let parsed = parse_body(body).unwrap_or_default();
    let view = NoticeView {
        id: 0,
        kind,
        title,
        body,
        deadline: parsed.deadline,
        items: &parsed.items,
    };
    let page = html! {
        h2 { (t!(lang, "http-admin-act-forms-preview")) }
        p.muted { (t!(lang, "http-admin-act-notices-once-saved-notice-s-number-replaces")) }
        (forms::preview(&notice_card(&view, lang), lang))
        h2 { (t!(lang, "http-admin-act-notices-edit")) }
        (forms::compose(who, lang, f, None))
    };
    compose_page(who, lang, StatusCode::OK, &page)
}

/// What the notice page offers `who` for notice `n`: the card as
/// recipients get it, sending (admins), remind now, close (admins).
pub fn controls(
    who: &Principal,
    n: &NoticeRow,
    items: &[String],
    departments: &[String],
    lang: Lang,
) -> Markup {
    if n.is_closed() {
        return html! {};
    }
    let id = n.id;
    html! {
        h2 { (t!(lang, "http-admin-act-notices-actions")) }
        div.panel {
            details {
                summary { (t!(lang, "http-admin-act-forms-message-recipients-get")) }
                (forms::preview(&notice_card(&n.view(items), lang), lang))
            }
            @if who.is_admin() {
                form.stack method="post" action=(link(&format!("/admin/notices/{id}/send"), lang)) {
                    (who.csrf_input())
                    (forms::audience(lang, departments, &Chosen { kind: "all".into(), ..Chosen::default() }))
                    button.primary type="submit" name="do" value="count" { (t!(lang, "http-admin-act-notices-next-see-how-many-people")) }
                }
            }
            div.actions {
                @if n.is_sent() { (forms::button(who, lang, &format!("/admin/notices/{id}/remind"), &t!(lang, "http-admin-act-notices-remind-everyone-who-has-not-acknowledged"))) }
                @if who.is_admin() { (forms::button(who, lang, &format!("/admin/notices/{id}/close"), &t!(lang, "http-admin-act-notices-close-notice"))) }
            }
        }
    }
}

/// The audience chosen in a posted form.
fn chosen(p: &Posted) -> Chosen {
    Chosen {
        kind: p.text("audience").to_owned(),
        depts: p.all("dept").into_iter().map(str::to_owned).collect(),
        users: p.text("users").to_owned(),
    }
}

/// The audience a form names, or what is missing, in words.
pub fn audience_of(c: &Chosen, lang: Lang) -> Result<Audience, String> {
    match c.kind.as_str() {
        "all" => Ok(Audience::All),
        "departments" if !c.depts.is_empty() => Ok(match c.depts.as_slice() {
            [one] => Audience::Dept(one.clone()),
            many => Audience::Depts(many.to_vec()),
        }),
        "users" => {
            let ids: Vec<String> = c
                .users
                .split([',', '，', '、', ' ', '\n', '\r', '\t'])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if ids.is_empty() {
                Err(t!(
                    lang,
                    "http-admin-act-notices-give-at-least-one-staff-id"
                ))
            } else {
                Ok(Audience::Users(ids))
            }
        }
        "departments" => Err(t!(
            lang,
            "http-admin-act-notices-choose-at-least-one-department"
        )),
        _ => Err(t!(lang, "http-admin-act-notices-choose-who-gets-it")),
    }
}

fn bad_request(who: &Principal, lang: Lang, why: &str, back: &str) -> Response {
    let t = t!(lang, "http-admin-layout-bad-request");
    outcome(
        who,
        lang,
        StatusCode::BAD_REQUEST,
        &t,
        &html! { p.error { (why) } },
        back,
    )
}

/// `POST /admin/notices/{id}/send`: `do=count` shows how many people the
/// audience names and asks to confirm; `do=send` sends.
pub async fn send(State(state): State<AppState>, Path(id): Path<String>, p: Posted) -> Response {
    let lang = p.lang;
    if !p.who.is_admin() {
        return admins_only(lang);
    }
    let tz = state.config.timezone;
    let Ok(id) = parse_id(&id, "notice") else {
        return no_such_notice(&p, tz);
    };
    let back = format!("/admin/notices/{id}");
    let c = chosen(&p);
    let to = match audience_of(&c, lang) {
        Ok(to) => to,
        Err(why) => return bad_request(&p.who, lang, &why, &back),
    };
    let ctx = p.who.ctx(&state);
    if p.get("do") != Some("send") {
        return match count_audience(&ctx, &to, Purpose::Notice).await {
            Ok(t) => confirm_page(&p.who, lang, id, &c, t.staff_ids.len(), &t.unknown),
            Err(e) => failed(&p.who, lang, tz, e, &back),
        };
    }
    match notices::send(
        &ctx,
        SendToPeople {
            notice: id,
            to: &to,
        },
    )
    .await
    {
        Ok(s) => {
            let (n, already) = (s.queued.added, s.already);
            let t = t!(lang, "http-admin-act-notices-notice-sent", id);
            let b = html! {
                p { (t!(lang, "http-admin-act-notices-queued-for-people-had-it-already", n, already)) }
                @if !s.unknown.is_empty() { p.warn { (t!(lang, "http-admin-act-notices-unknown-staff-ids-or-people-who")) (s.unknown.join(", ")) } }
            };
            outcome(&p.who, lang, StatusCode::ACCEPTED, &t, &b, &back)
        }
        Err(e) => failed(&p.who, lang, tz, e, &back),
    }
}

fn confirm_page(
    who: &Principal,
    lang: Lang,
    id: i64,
    c: &Chosen,
    n: usize,
    unknown: &[String],
) -> Response {
    let t = t!(lang, "http-admin-act-notices-send-notice", id);
    let body = html! {
        p.big { (t!(lang, "http-admin-act-notices-it-goes-to-people", n)) }
        @if !unknown.is_empty() { p.warn { (t!(lang, "http-admin-act-notices-unknown-staff-ids-or-people-who")) (unknown.join(", ")) } }
        form.inline method="post" action=(link(&format!("/admin/notices/{id}/send"), lang)) {
            (who.csrf_input())
            (forms::chosen_hidden(c))
            button.primary type="submit" name="do" value="send" { (t!(lang, "http-admin-act-notices-send-it")) }
        }
    };
    outcome(
        who,
        lang,
        StatusCode::OK,
        &t,
        &body,
        &format!("/admin/notices/{id}"),
    )
}

/// `POST /admin/notices/{id}/remind` (admins and HR).
pub async fn remind(State(state): State<AppState>, Path(id): Path<String>, p: Posted) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    let Ok(id) = parse_id(&id, "notice") else {
        return no_such_notice(&p, tz);
    };
    let back = format!("/admin/notices/{id}");
    match notices::remind_now(&p.who.ctx(&state), id, false).await {
        Ok(r) => {
            let n = r.recipients;
            let t = t!(lang, "http-admin-recipients-reminded");
            let b = html! {
                p { (t!(lang, "http-admin-act-notices-people-who-had-not-acknowledged-are", n)) }
                @if let Some(at) = r.quiet_until { p.muted { (t!(lang, "http-admin-act-notices-it-is-quiet-hours-reminders-go", when = layout::when(tz, at.timestamp_millis()))) } }
            };
            outcome(&p.who, lang, StatusCode::ACCEPTED, &t, &b, &back)
        }
        Err(e) => failed(&p.who, lang, tz, e, &back),
    }
}

/// `POST /admin/notices/{id}/close` (admins).
pub async fn close(State(state): State<AppState>, Path(id): Path<String>, p: Posted) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    if !p.who.is_admin() {
        return admins_only(lang);
    }
    let Ok(id) = parse_id(&id, "notice") else {
        return no_such_notice(&p, tz);
    };
    let back = format!("/admin/notices/{id}");
    match notices::close(&p.who.ctx(&state), id).await {
        Ok(c) => {
            let t = t!(lang, "http-admin-act-notices-notice-closed", id);
            let b = html! {
                p { (t!(lang, "http-admin-act-notices-no-more-reminders-or-acknowledgements")) }
                @if let Some(who) = c.offboarded { p { (t!(lang, "http-admin-act-notices-offboarding-is-complete-is-marked-as", who)) } }
            };
            outcome(&p.who, lang, StatusCode::OK, &t, &b, &back)
        }
        Err(e) => failed(&p.who, lang, tz, e, &back),
    }
}

/// The page for a notice id in a form's path that is not one.
fn no_such_notice(p: &Posted, tz: chrono_tz::Tz) -> Response {
    let no_such = Refusal::NoSuchNotice { id: 0 };
    refused(&p.who, p.lang, tz, &no_such, "/admin/notices")
}
