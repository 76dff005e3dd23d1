//! Same answer on both backends: `dept NAME` matches case-insensitively by
//! rule, and every ordering people see is by code point, on SQLite and on a
//! PostgreSQL database whose default collation is ICU `en-US` (where `amy`
//! sorts before `Zed`, and `alpha` before `Beta`).

use crate::helpers::TestApp;

/// Where `needle` first appears in `hay` (panics if it does not).
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing from {hay}"))
}

async fn orderings_and_department_names_do_not_depend_on_the_database(app: TestApp) {
    app.seed_user("Zed", "Zed", Some("总部/Beta"), None).await;
    app.seed_user("amy", "amy", Some("总部/alpha"), None).await;
    app.seed_user("Émile", "Émile", Some("总部/alpha/ops"), None)
        .await;
    app.say("admin1", "notice new 测试\n正文").await;
    let sent = app.say_text("admin1", "notice send 1 to dept ALPHA").await;
    assert!(
        sent.contains('2'),
        "amy and Émile (a sub-department): {sent}"
    );
    app.say("admin1", "notice send 1 to all").await;
    let status = app.say_text("admin1", "notice status 1").await;
    assert!(
        at(&status, "总部/Beta") < at(&status, "总部/alpha"),
        "{status}"
    );
    assert!(
        at(&status, "Zed（Zed）") < at(&status, "amy（amy）"),
        "{status}"
    );
    assert!(
        at(&status, "amy（amy）") < at(&status, "Émile（Émile）"),
        "{status}"
    );
    let stats = app.say_text("admin1", "quiz stats").await;
    assert!(
        at(&stats, "总部/Beta") < at(&stats, "总部/alpha"),
        "{stats}"
    );
    let unknown = app.say_text("admin1", "notice send 1 to dept 市场部").await;
    assert!(unknown.contains("找不到部门"), "{unknown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    orderings_and_department_names_do_not_depend_on_the_database(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(any(pg_tests, feature = "pg-tests")),
    ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
)]
async fn postgres_with_an_icu_collation() {
    let app = TestApp::postgres_icu().await;
    let url = app.db.url();
    orderings_and_department_names_do_not_depend_on_the_database(app).await;
    crate::helpers::drop_pg_database(&url).await;
}
