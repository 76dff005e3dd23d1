//! Unit tests of the contacts client.

use super::*;

fn client(base: &str) -> ContactsClient {
    ContactsClient::new(
        reqwest::Client::new(),
        Url::parse(base).unwrap(),
        "key",
        SecretString::from("secret"),
    )
}

#[test]
fn endpoints_join_the_base_path() {
    assert_eq!(
        client("https://oapi.dingtalk.com")
            .endpoint("topapi/user/listid")
            .as_str(),
        "https://oapi.dingtalk.com/topapi/user/listid"
    );
    assert_eq!(
        client("http://127.0.0.1:9/fake/")
            .endpoint("gettoken")
            .as_str(),
        "http://127.0.0.1:9/fake/gettoken"
    );
}

#[test]
fn busy_and_limits_are_retried_refusals_are_not() {
    let api = |errcode| ContactsError::Api {
        api: "user/get",
        errcode,
        errmsg: String::new(),
    };
    assert!(api(-1).retryable());
    assert!(api(90_018).retryable());
    assert!(!api(60_011).retryable());
    assert!(!api(40_014).retryable(), "token errors renew instead");
    let status = |status| ContactsError::Status { api: "x", status };
    assert!(status(429).retryable() && status(502).retryable());
    assert!(!status(403).retryable());
    assert!(!ContactsError::Banned { api: "x" }.retryable());
}
