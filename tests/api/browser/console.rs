//! The console in a real browser: an administrator signs in through the
//! fake DingTalk sign-in page, composes a notice, previews it, chooses the
//! audience, sees the count and sends it, and imports a roster after its
//! dry run; HR signs in, watches progress and exports it; a form posted
//! from another site and a form without its token are refused; logging out
//! ends the session; an administrator makes an API token. A screenshot of
//! every page.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::Browser;
use crate::dashboard::seed;
use crate::fake_oauth::FakeOAuth;
use crate::helpers::TestApp;

/// Signs in with DingTalk as `staff_id` from the login page; ends on the overview.
async fn sign_in(b: &Browser, oauth: &FakeOAuth, staff_id: &str) {
    oauth.sign_in_as(staff_id);
    b.goto("/admin/login").await;
    b.client
        .find(Locator::LinkText("使用钉钉登录"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_path("/admin/").await;
}

/// A page on another origin (the fake's) with a form that posts to the
/// console's logout without a form token.
async fn mount_cross_site_form(app: &TestApp, base: &str) -> String {
    let html = format!(
        "<!DOCTYPE html><html><body><form method=post action=\"{base}/admin/logout\">\
         <button id=go type=submit>win a prize</button></form></body></html>"
    );
    Mock::given(method("GET"))
        .and(path("/evil"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html"))
        .mount(&app.fake)
        .await;
    format!("{}/evil", app.fake.uri())
}

/// Types `text` into the field with id `id`.
async fn type_into(b: &Browser, id: &str, text: &str) {
    b.client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn an_admin_composes_previews_and_sends(b: &Browser, app: &TestApp, oauth: &FakeOAuth) {
    b.goto("/admin/").await;
    b.wait_for_path("/admin/login").await;
    sign_in(b, oauth, "admin1").await;
    b.goto("/admin/notices/new").await;
    type_into(b, "title", "停用旧 VPN").await;
    type_into(b, "body", "请在本周内改用新的 VPN 客户端。").await;
    type_into(b, "checklist", "卸载旧客户端\n安装新客户端").await;
    b.screenshot("compose").await;
    b.click("button[value='preview']").await;
    let text = b.wait_for_text("保存后通知编号会替换 #0").await;
    assert!(
        text.contains("停用旧 VPN") && text.contains("1. 卸载旧客户端"),
        "{text}"
    );
    b.screenshot("preview").await;
    b.click("button[value='create']").await;
    b.wait_for_text("已保存草稿 #2").await;
    assert_eq!(app.count("notices").await, 2);
    b.goto("/admin/notices/2").await;
    b.click("input[name='audience'][value='departments']").await;
    b.click("input[name='dept'][value='总部/研发部']").await;
    b.screenshot("audience").await;
    b.click("button[value='count']").await;
    b.wait_for_text("将发送给 2 人").await;
    b.screenshot("count").await;
    assert_eq!(app.count("notice_recipients WHERE notice_id = 2").await, 0);
    b.click("button[value='send']").await;
    b.wait_for_text("已排队发送给 2 人").await;
    b.screenshot("sent").await;
    assert_eq!(app.count("notice_recipients WHERE notice_id = 2").await, 2);
}

async fn an_admin_imports_a_roster(b: &Browser, app: &TestApp) {
    let csv = "staff_id,name,department\nadmin1,管理员,总部/信息部\nhr1,人事,总部/人事部\n\
               u1,张三,总部/研发部\nu2,李四,总部/研发部\nu3,王五,总部/销售部\nu6,钱八,总部/销售部\n";
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-roster.csv");
    std::fs::write(&file, csv).unwrap();
    b.click("a[href='/admin/roster']").await;
    b.wait_for_path("/admin/roster").await;
    b.screenshot("roster").await;
    type_into(b, "file", file.to_str().unwrap()).await;
    b.click("button[value='plan']").await;
    let text = b.wait_for_text("试运行：browser-roster.csv").await;
    assert!(
        text.contains("新增 1") && text.contains("钱八（u6）"),
        "{text}"
    );
    b.screenshot("roster-dry-run").await;
    let left_alone: i64 = app.count("users WHERE staff_id = 'u6'").await;
    assert_eq!(left_alone, 0, "a dry run writes nothing");
    b.click("button[value='apply']").await;
    b.wait_for_text("已导入 browser-roster.csv").await;
    b.screenshot("roster-imported").await;
    assert_eq!(app.count("users WHERE staff_id = 'u6'").await, 1);
    let e = (
        "admin1".to_owned(),
        "roster.import".to_owned(),
        "browser-roster.csv".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e));
    b.click("form[action='/admin/logout'] button").await;
    b.wait_for_path("/admin/login").await;
}

async fn hr_watches_progress_and_exports(b: &Browser, app: &TestApp, oauth: &FakeOAuth) {
    b.goto("/admin/").await;
    b.wait_for_path("/admin/login").await;
    b.screenshot("login").await;
    sign_in(b, oauth, "hr1").await;
    let cookies = b.client.get_all_cookies().await.unwrap();
    let session = cookies
        .iter()
        .find(|c| c.name() == "dw_session")
        .expect("session cookie kept");
    assert_eq!(
        (session.secure(), session.http_only()),
        (Some(true), Some(true))
    );
    b.wait_for_text("人事").await;
    b.screenshot("overview").await;
    b.goto("/admin/notices").await;
    b.screenshot("notices").await;
    b.click("a[href='/admin/notices/1']").await;
    b.wait_for_path("/admin/notices/1").await;
    let text = b.wait_for_text("李四（u2）").await;
    assert!(
        text.contains("1/5") && text.contains("李四（u2）"),
        "{text}"
    );
    b.screenshot("notice").await;
    b.goto("/admin/notices/2").await;
    let text = b.wait_for_text("符合条件的有 2 人").await;
    assert!(text.contains("张三（u1）") && text.contains("0%"), "{text}");
    b.screenshot("notice-sent-by-admin").await;
    b.goto("/admin/notices/1").await;
    let _ = std::fs::remove_file(b.downloads.join("notice-1-acks.csv"));
    b.click("a[href='/admin/notices/1/acks.csv']").await;
    let file = b.downloads.join("notice-1-acks.csv");
    let until = Instant::now() + Duration::from_secs(20);
    while !file.exists() {
        assert!(Instant::now() < until, "the export was not downloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(
        csv.contains("notice_id,staff_id") && csv.contains(",u1,"),
        "{csv}"
    );
    let e = (
        "hr1".to_owned(),
        "acks.export".to_owned(),
        "notice:1".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e), "exported by hr1");
    for (page, name) in [
        ("/admin/quiz", "quiz"),
        ("/admin/passwords", "passwords"),
        ("/admin/incidents", "incidents"),
        ("/admin/?lang=en", "overview-en"),
    ] {
        b.goto(page).await;
        b.screenshot(name).await;
    }
}

async fn forms_without_their_token_are_refused(b: &Browser, app: &TestApp) {
    let evil = mount_cross_site_form(app, &b.base).await;
    b.client.goto(&evil).await.unwrap();
    b.click("#go").await;
    b.wait_for_path("/admin/logout").await;
    b.wait_for_text("拒绝来自其他网站的请求").await;
    b.screenshot("cross-site-refused").await;
    // Our own logout form, its token taken out.
    b.goto("/admin/").await;
    b.client
        .execute(
            "document.querySelector('input[name=csrf]').remove(); \
             document.querySelector('form[action=\"/admin/logout\"]').submit();",
            vec![],
        )
        .await
        .unwrap();
    b.wait_for_path("/admin/logout").await;
    b.wait_for_text("表单已失效").await;
    b.screenshot("csrf-refused").await;
    b.goto("/admin/").await;
    assert_eq!(b.path().await, "/admin/", "still signed in");
    b.wait_for_text("概览").await;
    // The real button logs out; the session is gone for good.
    b.click("form[action='/admin/logout'] button").await;
    b.wait_for_path("/admin/login").await;
    b.goto("/admin/notices").await;
    b.wait_for_path("/admin/login").await;
}

async fn an_admin_makes_an_api_token(b: &Browser, oauth: &FakeOAuth) {
    sign_in(b, oauth, "admin1").await;
    b.click("a[href='/admin/tokens']").await;
    b.wait_for_path("/admin/tokens").await;
    b.screenshot("tokens").await;
    b.client
        .find(Locator::Id("label"))
        .await
        .unwrap()
        .send_keys("SIEM 导出")
        .await
        .unwrap();
    b.click("form.form button").await;
    b.wait_for_text("请立即复制").await;
    let token = b.client.find(Locator::Id("token")).await.unwrap();
    let token = token.text().await.unwrap();
    assert!(token.starts_with("dwt_") && token.len() == 47, "{token}");
    b.screenshot("token-created").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_a_browser() {
    let app = TestApp::sqlite().await;
    let Some((b, app)) = Browser::start(app).await else {
        return;
    };
    seed(&app).await;
    let oauth = FakeOAuth::mount(&app.fake, &app.dingtalk).await;
    an_admin_composes_previews_and_sends(&b, &app, &oauth).await;
    an_admin_imports_a_roster(&b, &app).await;
    hr_watches_progress_and_exports(&b, &app, &oauth).await;
    forms_without_their_token_are_refused(&b, &app).await;
    an_admin_makes_an_api_token(&b, &oauth).await;
    b.close().await;
}
