//! Quiz campaigns in the browser: `GET /admin/quiz/assign` (bank, audience,
//! deadline) and `POST /admin/quiz/assign` (`do=count` shows how many
//! people it reaches and asks to confirm, `do=assign` runs the assign
//! action chat's `quiz assign` uses). Administrators only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::forms::{self, Chosen};
use super::notices::audience_of;
use super::{Posted, Principal, admins_only, failed, outcome};
use crate::actions::Refusal;
use crate::actions::audience::{Purpose, preview as count_audience};
use crate::actions::quiz::{self, Assign};
use crate::domain::notice::compose::parse_deadline;
use crate::http::admin::layout::{self, Nav, Page, PageLang, link};
use crate::i18n::Lang;
use crate::reports::people::departments;
use crate::state::AppState;
use crate::store::quiz::banks::BankVersion;
use crate::t;

const BACK: &str = "/admin/quiz/assign";

fn form(who: &Principal, lang: Lang, banks: &[BankVersion], depts: &[String]) -> Markup {
    let all = Chosen {
        kind: "all".into(),
        ..Chosen::default()
    };
    html! {
        form.stack method="post" action=(link(BACK, lang)) {
            (who.csrf_input())
            label for="bank" { (t!(lang, "http-admin-overview-bank")) }
            select #bank name="bank" {
                @for b in banks { option value=(b.bank_key) { (lang.pick(&b.title_zh, &b.title_en)) " (" (b.bank_key) ")" } }
            }
            (forms::audience(lang, depts, &all))
            label for="deadline" { (t!(lang, "http-admin-act-forms-deadline-optional")) }
            input #deadline type="date" name="deadline";
            button.primary type="submit" name="do" value="count" { (t!(lang, "http-admin-act-notices-next-see-how-many-people")) }
        }
    }
}

/// `GET /admin/quiz/assign`.
pub async fn page(
    who: Principal,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    if !who.is_admin() {
        return admins_only(lang);
    }
    let loaded = async {
        let banks = quiz::list(&who.ctx(&state)).await?;
        let depts = departments(&state.store).await?;
        anyhow::Ok((banks, depts))
    };
    match loaded.await {
        Ok((banks, depts)) => {
            let t = t!(lang, "http-admin-quiz-assign-quiz");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Quiz,
                path: BACK,
                session: Some(who.session()),
            };
            layout::page(&p, &form(&who, lang, &banks, &depts)).into_response()
        }
        Err(e) => layout::error_page(lang, &crate::http::api::respond::failed(e)),
    }
}

/// `POST /admin/quiz/assign`.
pub async fn assign(State(state): State<AppState>, p: Posted) -> Response {
    let (lang, tz) = (p.lang, state.config.timezone);
    if !p.who.is_admin() {
        return admins_only(lang);
    }
    let c = Chosen {
        kind: p.text("audience").to_owned(),
        depts: p.all("dept").into_iter().map(str::to_owned).collect(),
        users: p.text("users").to_owned(),
    };
    let bad = |why: String| {
        let t = t!(lang, "http-admin-layout-bad-request");
        outcome(
            &p.who,
            lang,
            StatusCode::BAD_REQUEST,
            &t,
            &html! { p.error { (why) } },
            BACK,
        )
    };
    let audience = match audience_of(&c, lang) {
        Ok(a) => a,
        Err(why) => return bad(why),
    };
    let by = match parse_deadline(p.text("deadline")) {
        Ok(by) => by,
        Err(error) => {
            return super::refused(&p.who, lang, tz, &Refusal::BadNoticeBody { error }, BACK);
        }
    };
    let bank = p.text("bank").trim().to_owned();
    let ctx = p.who.ctx(&state);
    if p.get("do") != Some("assign") {
        return match count_audience(&ctx, &audience, Purpose::QuizCampaign).await {
            Ok(t) => confirm(&p, lang, &c, &bank, t.staff_ids.len()),
            Err(e) => failed(&p.who, lang, tz, e, BACK),
        };
    }
    match quiz::assign(&ctx, Assign { bank, audience, by }).await {
        Ok(a) => {
            let (id, n) = (a.campaign.id, a.members);
            let t = t!(lang, "http-admin-act-quiz-quiz-campaign-created", id);
            let b = html! { p { (t!(lang, "http-admin-act-quiz-assigned-to-people-invitations-are-queued", n)) } };
            outcome(&p.who, lang, StatusCode::CREATED, &t, &b, "/admin/quiz")
        }
        Err(e) => failed(&p.who, lang, tz, e, BACK),
    }
}

fn confirm(p: &Posted, lang: Lang, c: &Chosen, bank: &str, n: usize) -> Response {
    let t = t!(lang, "http-admin-act-quiz-assign-quiz");
    let body = html! {
        p.big { (t!(lang, "http-admin-act-quiz-bank-goes-to-people", bank, n)) }
        form.inline method="post" action=(link(BACK, lang)) {
            (p.who.csrf_input())
            (forms::chosen_hidden(c))
            input type="hidden" name="bank" value=(bank);
            input type="hidden" name="deadline" value=(p.text("deadline"));
            button.primary type="submit" name="do" value="assign" { (t!(lang, "http-admin-act-quiz-assign-it")) }
        }
    };
    outcome(&p.who, lang, StatusCode::OK, &t, &body, BACK)
}
