//! Importing a roster in the browser (issue 16.4): a file (or pasted text)
//! is read as `roster import` reads it, its dry run lists new, changed,
//! leaving and rejoining people and role changes and writes nothing; the
//! apply form carries the same bytes, needs the leaver guard's number
//! confirmed when it asks for it, and is audited under the person who
//! signed in. Bad rows change nothing; HR may not import; forms without
//! their token are refused.

use axum::http::StatusCode;
use sha2::{Digest as _, Sha256};

use super::{sign_in, sign_in_as};
use crate::api_write::people;
use crate::dashboard::with_token;
use crate::dual_backend;
use crate::helpers::TestApp;

/// u1 renamed and made HR, u2 moved, u3 missing (leaving), u4 back, u5 new.
const FILE: &str = "staff_id,name,department,role\r\n\
admin1,管理员,总部/信息部,\r\n\
hr1,人事,总部/人事部,\r\n\
u1,张三丰,总部/研发部,hr\r\n\
u2,李四,总部/销售部,\r\n\
u4,赵六,总部/研发部,\r\n\
u5,<b>孙七</b>,总部/研发部,\r\n";

/// The value of the hidden field `name` in `page`.
fn hidden(page: &str, name: &str) -> String {
    let at = page
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {page}"));
    let rest = &page[at + name.len() + 15..];
    rest.split('"').next().unwrap().to_owned()
}

async fn active(app: &TestApp, staff_id: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT active FROM users WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_optional(app.store.pool())
        .await
        .unwrap()
}

/// The roster and role entries the people signed in caused:
/// `(actor, action, subject)`.
async fn roster_entries(app: &TestApp) -> Vec<(String, String, String)> {
    app.audit_entries()
        .await
        .into_iter()
        .filter(|(actor, action, _)| {
            ["admin1", "hr1"].contains(&actor.as_str())
                && (action.starts_with("roster.") || action.starts_with("role."))
        })
        .collect()
}

async fn setup(app: TestApp) -> TestApp {
    let app = with_token(app).await;
    people(&app).await;
    app.seed_user("u4", "赵六", Some("总部/研发部"), None).await;
    sqlx::query("UPDATE users SET active = 0, left_at = 1 WHERE staff_id = 'u4'")
        .execute(app.store.pool())
        .await
        .unwrap();
    app
}

async fn a_dry_run_shows_everything_and_changes_nothing(app: TestApp) {
    let app = setup(app).await;
    let b = sign_in(&app).await;
    let (status, form) = b.page(&app, "/admin/roster").await;
    assert_eq!(status, StatusCode::OK, "{form}");
    for part in [
        "enctype=\"multipart/form-data\"",
        "<label for=\"file\"",
        "type=\"file\"",
        "name=\"csrf\"",
        "href=\"/admin/roster\"",
    ] {
        assert!(form.contains(part), "{part}: {form}");
    }
    let fields = [("csrf", b.csrf.as_str()), ("do", "plan")];
    let file = ("file", "花名册.csv", FILE.as_bytes());
    let (status, page) = b.post_multipart(&app, "/admin/roster", &fields, file).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for part in [
        "新增 1，变更 2，离职 1，重新入职 1，角色变更 1，不变 2（现有在职 5 人）",
        "&lt;b&gt;孙七&lt;/b&gt;（u5）",
        "张三丰（u1）：姓名",
        "李四（u2）：部门",
        "王五（u3）",
        "赵六（u4）",
        "张三丰（u1）：授予人事",
        "试运行：花名册.csv",
        "name=\"allow_leavers\" value=\"1\"",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    assert!(!page.contains("<b>孙七"), "{page}");
    let digest: String = Sha256::digest(FILE.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(page.contains(&digest), "{page}");
    assert_eq!(active(&app, "u5").await, None, "a dry run writes nothing");
    assert_eq!(active(&app, "u3").await, Some(1));
    assert!(roster_entries(&app).await.is_empty());

    // Pasted text plans the same, in English.
    let (status, en) = b
        .post(
            &app,
            "/admin/roster?lang=en",
            &[("csv", FILE), ("do", "plan")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{en}");
    assert!(
        en.contains("1 new, 2 changed, 1 leaving, 1 rejoining, 1 role changes"),
        "{en}"
    );
    assert!(
        en.contains("name=\"filename\" value=\"pasted.csv\""),
        "{en}"
    );

    // Applying without ticking the leaver box is refused; nothing changes.
    let data = hidden(&page, "data");
    let apply = [
        ("data", data.as_str()),
        ("filename", "花名册.csv"),
        ("do", "apply"),
    ];
    let (status, again) = b.post(&app, "/admin/roster", &apply).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert!(again.contains("请先勾选下面的确认框"), "{again}");
    assert_eq!(active(&app, "u3").await, Some(1));
    assert!(roster_entries(&app).await.is_empty());

    // Ticked: applied through the roster action, audited under admin1.
    let mut ticked = apply.to_vec();
    ticked.push(("allow_leavers", "1"));
    let (status, done) = b.post(&app, "/admin/roster", &ticked).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("已导入 花名册.csv"), "{done}");
    assert!(
        done.contains("共 6 人：新增 1，")
            && done.contains("离职 1，重新入职 1；授予角色 1，撤销角色 0"),
        "{done}"
    );
    assert_eq!(active(&app, "u3").await, Some(0));
    assert_eq!(active(&app, "u4").await, Some(1));
    assert_eq!(active(&app, "u5").await, Some(1));
    let u1 = app.store.user("u1").await.unwrap().unwrap();
    assert!(u1.roles.contains(&dingwarden::domain::Role::Hr));
    let entries = roster_entries(&app).await;
    let e =
        |action: &str, subject: &str| ("admin1".to_owned(), action.to_owned(), subject.to_owned());
    for want in [
        e("roster.left", "u3"),
        e("roster.rejoined", "u4"),
        e("role.grant", "u1"),
        e("roster.import", "花名册.csv"),
    ] {
        assert!(entries.contains(&want), "{want:?}: {entries:?}");
    }
    let details = &app.audit_details("roster.import").await[0];
    assert_eq!(details["sha256"], digest.as_str());
    assert_eq!(details["allow_leavers"], 1);
    assert_eq!(details["left"], 1);
}

async fn bad_files_change_nothing(app: TestApp) {
    let app = setup(app).await;
    let b = sign_in(&app).await;
    let bad = "staff_id,name,role\nu 1,甲,\nu9,乙,boss\n";
    let (status, page) = b
        .post(&app, "/admin/roster", &[("csv", bad), ("do", "plan")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(
        page.contains("pasted.csv 有 2 行有误，没有导入任何内容")
            && page.contains("第 2 行：")
            && page.contains("第 3 行："),
        "{page}"
    );
    assert!(
        roster_entries(&app).await.is_empty(),
        "a dry run is not audited"
    );
    let data = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bad);
    let apply = [
        ("data", data.as_str()),
        ("filename", "x.csv"),
        ("do", "apply"),
    ];
    let (status, _) = b.post(&app, "/admin/roster", &apply).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        roster_entries(&app).await,
        [(
            "admin1".to_owned(),
            "roster.import.rejected".to_owned(),
            "x.csv".to_owned()
        )]
    );
    assert_eq!(active(&app, "u9").await, None);
    for form in [vec![("do", "plan")], vec![("data", "%%%"), ("do", "apply")]] {
        let (status, page) = b.post(&app, "/admin/roster", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}: {page}");
        assert!(page.contains("role=\"alert\""), "{page}");
    }
}

async fn only_admins_import_and_only_with_the_token(app: TestApp) {
    let app = setup(app).await;
    let hr = sign_in_as(&app, "hr1").await;
    assert_eq!(
        hr.page(&app, "/admin/roster").await.0,
        StatusCode::FORBIDDEN
    );
    let (_, nav) = hr.page(&app, "/admin/").await;
    assert!(!nav.contains("href=\"/admin/roster\""), "{nav}");
    let (status, _) = hr
        .post(&app, "/admin/roster", &[("csv", FILE), ("do", "plan")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let b = sign_in(&app).await;
    let file = ("file", "r.csv", FILE.as_bytes());
    for fields in [
        vec![("do", "plan")],
        vec![("csrf", "forged"), ("do", "plan")],
    ] {
        let (status, _) = b.post_multipart(&app, "/admin/roster", &fields, file).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{fields:?}");
    }
    let data = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, FILE);
    let form = [
        ("data", data.as_str()),
        ("allow_leavers", "9"),
        ("do", "apply"),
    ];
    let (status, _, _) = b
        .post_raw(&app, "/admin/roster", &form, &[super::ORIGIN])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no form token");
    assert_eq!(active(&app, "u5").await, None);
    assert!(roster_entries(&app).await.is_empty());
}

/// An HR extract of a few thousand people is over the 64 KiB of other
/// routes: it is planned and applied; a file over the upload limit gets a
/// page that says so, and nothing changes.
async fn a_large_roster_is_imported_and_one_over_the_limit_is_refused(app: TestApp) {
    let app = setup(app).await;
    let b = sign_in(&app).await;
    let mut csv = format!("{FILE}u3,王五,总部/研发部,\r\n");
    for n in 10_000..12_000 {
        csv.push_str(&format!("u{n},员工{n},总部/研发部/一组,\r\n"));
    }
    assert!(csv.len() > 64 * 1024, "{}", csv.len());
    let fields = [("csrf", b.csrf.as_str()), ("do", "plan")];
    let file = ("file", "全员.csv", csv.as_bytes());
    let (status, page) = b.post_multipart(&app, "/admin/roster", &fields, file).await;
    let head: String = page.chars().take(2000).collect();
    assert_eq!(status, StatusCode::OK, "{head}");
    assert!(page.contains("新增 2001"), "{head}");
    let data = hidden(&page, "data");
    let apply = [
        ("data", data.as_str()),
        ("filename", "全员.csv"),
        ("do", "apply"),
    ];
    let (status, done) = b.post(&app, "/admin/roster", &apply).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(active(&app, "u11999").await, Some(1));
    let users = app.count("users").await;

    let huge = vec![b'x'; dingwarden::http::MAX_UPLOAD_BYTES + 1];
    let file = ("file", "huge.csv", huge.as_slice());
    let (status, page) = b.post_multipart(&app, "/admin/roster", &fields, file).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{page}");
    assert!(
        page.contains("文件最大 8 MiB") && page.contains("<html"),
        "{page}"
    );
    let big = "y".repeat(70 * 1024);
    let form = [("csv", big.as_str()), ("do", "plan")];
    let (status, page) = b.post(&app, "/admin/notices/new", &form).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{page}");
    assert!(page.contains("其他表单最大 64 KiB"), "{page}");
    assert_eq!(app.count("users").await, users);
}

dual_backend!(
    a_large_roster_is_imported_and_one_over_the_limit_is_refused,
    a_dry_run_shows_everything_and_changes_nothing,
    bad_files_change_nothing,
    only_admins_import_and_only_with_the_token,
);
