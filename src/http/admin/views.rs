//! The sign-in pages: the login page (DingTalk, and "sign in as" under
//! `serve --dev`) and the page that tells how a sign-in ended.

use maud::{Markup, html};

use super::layout::{bare, link};
use crate::i18n::Lang;
use crate::t;

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// The login page: the DingTalk sign-in link when set up, and under
/// `--dev` the people one may sign in as.
pub fn login(lang: Lang, dingtalk: Option<&str>, dev: Option<&[(String, String)]>) -> Markup {
    let title = t!(lang, "http-admin-views-sign-in");
    let body = html! {
        div.card.login {
            h1 { "dingwarden" }
            p.muted { (t!(lang, "http-admin-views-console-is-for-administrators-and-hr")) }
            @if let Some(href) = dingtalk {
                a.primary href=(href) { (t!(lang, "http-admin-views-sign-in-with-dingtalk")) }
            }
            @if let Some(people) = dev {
                div.dev {
                    p.muted { (t!(lang, "http-admin-views-development-mode-serve-dev-sign-in")) }
                    @if people.is_empty() {
                        p.muted { (t!(lang, "http-admin-views-no-administrators-or-hr-yet")) }
                    }
                    @for (staff_id, name) in people {
                        form method="post" action="/admin/login/dev" {
                            input type="hidden" name="staff_id" value=(staff_id);
                            input type="hidden" name="lang" value=(lang.code());
                            button type="submit" {
                                (crate::domain::Person { staff_id, name }.label_as_typed(lang))
                            }
                        }
                    }
                }
            }
            p.muted { a href=(link("/admin/login", other(lang))) lang=(other(lang).code()) { (&t!(lang, "http-admin-views-punctuation")) } }
        }
    };
    bare(lang, &title, &body)
}

/// How a sign-in ended (refused, expired, failed): `why`, and the way back.
pub fn outcome(lang: Lang, why: &str) -> Markup {
    let title = t!(lang, "http-admin-views-sign-in");
    let body = html! {
        div.card.login {
            h1 { "dingwarden" }
            p role="alert" { (why) }
            p { a href=(link("/admin/login", lang)) { (t!(lang, "http-admin-views-back-to-sign-in")) } }
        }
    };
    bare(lang, &title, &body)
}

/// "Too many attempts" with the wait.
pub fn too_many(lang: Lang, wait_secs: u64) -> String {
    t!(
        lang,
        "http-admin-views-too-many-failed-attempts-from-your",
        wait_secs
    )
}
