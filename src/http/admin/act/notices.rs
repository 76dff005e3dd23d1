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
use crate::tr;

fn compose_page(who: &Principal, lang: Lang, status: StatusCode, body: &Markup) -> Response {
    let title = tr!(lang, "写通知", "New notice");
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
        return Err(tr!(
            lang,
            "请填写标题（一行）。",
            "Give the notice a title (one line)."
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
            let t = tr!(lang, "已保存草稿 #{id}", "Draft #{id} saved");
            let b = html! {
                p { (tr!(lang, "通知「{title}」已保存为草稿，尚未发送。", "The notice \"{title}\" is saved as a draft; nothing was sent yet.")) }
                p { a.btn href=(link(&format!("/admin/notices/{id}"), lang)) { (tr!(lang, "选择收件人并发送", "Choose recipients and send")) } }
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
        h2 { (tr!(lang, "预览", "Preview")) }
        p.muted { (tr!(lang, "保存后通知编号会替换 #0。", "Once saved, the notice's number replaces #0.")) }
        (forms::preview(&notice_card(&view, lang), lang))
        h2 { (tr!(lang, "修改", "Edit")) }
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
        h2 { (tr!(lang, "操作", "Actions")) }
        div.panel {
            details {
                summary { (tr!(lang, "收件人看到的消息", "The message recipients get")) }
                (forms::preview(&notice_card(&n.view(items), lang), lang))
            }
            @if who.is_admin() {
                form.stack method="post" action=(link(&format!("/admin/notices/{id}/send"), lang)) {
                    (who.csrf_input())
                    (forms::audience(lang, departments, &Chosen { kind: "all".into(), ..Chosen::default() }))
                    button.primary type="submit" name="do" value="count" { (tr!(lang, "下一步：确认人数", "Next: see how many people")) }
                }
            }
            div.actions {
                @if n.is_sent() { (forms::button(who, lang, &format!("/admin/notices/{id}/remind"), &tr!(lang, "立即提醒未确认的人", "Remind everyone who has not acknowledged"))) }
                @if who.is_admin() { (forms::button(who, lang, &format!("/admin/notices/{id}/close"), &tr!(lang, "关闭通知", "Close the notice"))) }
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
                Err(tr!(
                    lang,
                    "请填写至少一个工号。",
                    "Give at least one staff id."
                ))
            } else {
                Ok(Audience::Users(ids))
            }
        }
        "departments" => Err(tr!(
            lang,
            "请至少选择一个部门。",
            "Choose at least one department."
        )),
        _ => Err(tr!(lang, "请选择发给谁。", "Choose who gets it.")),
    }
}

fn bad_request(who: &Principal, lang: Lang, why: &str, back: &str) -> Response {
    let t = tr!(lang, "请求有误", "Bad request");
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
        return refused(
            &p.who,
            lang,
            tz,
            &Refusal::NoSuchNotice { id: 0 },
            "/admin/notices",
        );
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
            let t = tr!(lang, "已发送通知 #{id}", "Notice #{id} sent");
            let b = html! {
                p { (tr!(lang, "已排队发送给 {n} 人；{already} 人之前已收到。", "Queued for {n} people; {already} had it already.")) }
                @if !s.unknown.is_empty() { p.warn { (tr!(lang, "未知或已离职的工号：", "Unknown staff ids or people who left: ")) (s.unknown.join(", ")) } }
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
    let t = tr!(lang, "确认发送通知 #{id}", "Send notice #{id}?");
    let body = html! {
        p.big { (tr!(lang, "将发送给 {n} 人。", "It goes to {n} people.")) }
        @if !unknown.is_empty() { p.warn { (tr!(lang, "未知或已离职的工号：", "Unknown staff ids or people who left: ")) (unknown.join(", ")) } }
        form.inline method="post" action=(link(&format!("/admin/notices/{id}/send"), lang)) {
            (who.csrf_input())
            (forms::chosen_hidden(c))
            button.primary type="submit" name="do" value="send" { (tr!(lang, "确认发送", "Send it")) }
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
        return refused(
            &p.who,
            lang,
            tz,
            &Refusal::NoSuchNotice { id: 0 },
            "/admin/notices",
        );
    };
    let back = format!("/admin/notices/{id}");
    match notices::remind_now(&p.who.ctx(&state), id, false).await {
        Ok(r) => {
            let n = r.recipients;
            let t = tr!(lang, "已提醒", "Reminded");
            let b = html! {
                p { (tr!(lang, "已提醒 {n} 位尚未确认的人。", "{n} people who had not acknowledged are reminded.")) }
                @if let Some(at) = r.quiet_until { p.muted { (tr!(lang, "现在是免打扰时段，提醒将在 {} 发出。", "It is quiet hours; the reminders go at {}.", layout::when(tz, at.timestamp_millis()))) } }
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
        return refused(
            &p.who,
            lang,
            tz,
            &Refusal::NoSuchNotice { id: 0 },
            "/admin/notices",
        );
    };
    let back = format!("/admin/notices/{id}");
    match notices::close(&p.who.ctx(&state), id).await {
        Ok(c) => {
            let t = tr!(lang, "已关闭通知 #{id}", "Notice #{id} closed");
            let b = html! {
                p { (tr!(lang, "不再提醒，也不再接受确认。", "No more reminders or acknowledgements.")) }
                @if let Some(who) = c.offboarded { p { (tr!(lang, "离职流程已完成：{who} 已标记为离职。", "Offboarding is complete: {who} is marked as left.")) } }
            };
            outcome(&p.who, lang, StatusCode::OK, &t, &b, &back)
        }
        Err(e) => failed(&p.who, lang, tz, e, &back),
    }
}
