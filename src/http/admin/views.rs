//! The sign-in pages: the login page (DingTalk, and "sign in as" under
//! `serve --dev`) and the page that tells how a sign-in ended.

use maud::{Markup, html};

use super::layout::{bare, link};
use crate::i18n::Lang;
use crate::tr;

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    }
}

/// The login page: the DingTalk sign-in link when set up, and under
/// `--dev` the people one may sign in as.
pub fn login(lang: Lang, dingtalk: Option<&str>, dev: Option<&[(String, String)]>) -> Markup {
    let title = tr!(lang, "登录", "Sign in");
    let body = html! {
        div.card.login {
            h1 { "dingwarden" }
            p.muted { (tr!(lang, "管理后台仅供管理员和人事使用。", "The console is for administrators and HR.")) }
            @if let Some(href) = dingtalk {
                a.primary href=(href) { (tr!(lang, "使用钉钉登录", "Sign in with DingTalk")) }
            }
            @if let Some(people) = dev {
                div.dev {
                    p.muted { (tr!(lang, "开发模式（serve --dev）：以下列身份登录", "Development mode (serve --dev): sign in as")) }
                    @if people.is_empty() {
                        p.muted { (tr!(lang, "还没有管理员或人事。", "No administrators or HR yet.")) }
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
            p.muted { a href=(link("/admin/login", other(lang))) lang=(other(lang).code()) { (lang.pick("English", "中文")) } }
        }
    };
    bare(lang, &title, &body)
}

/// How a sign-in ended (refused, expired, failed): `why`, and the way back.
pub fn outcome(lang: Lang, why: &str) -> Markup {
    let title = tr!(lang, "登录", "Sign in");
    let body = html! {
        div.card.login {
            h1 { "dingwarden" }
            p role="alert" { (why) }
            p { a href=(link("/admin/login", lang)) { (tr!(lang, "返回登录页", "Back to sign-in")) } }
        }
    };
    bare(lang, &title, &body)
}

/// "Too many attempts" with the wait.
pub fn too_many(lang: Lang, wait_secs: u64) -> String {
    tr!(
        lang,
        "失败次数过多，请 {wait_secs} 秒后再试。",
        "Too many failed attempts from your address; try again in {wait_secs} s."
    )
}
