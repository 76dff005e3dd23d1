//! The console's same-origin check on POSTs.

use super::*;
use axum::http::HeaderValue;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_static(v));
    }
    h
}

#[test]
fn same_origin_posts_pass() {
    let ok = [
        vec![
            ("host", "ops.example.com"),
            ("origin", "https://ops.example.com"),
        ],
        vec![
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ],
        vec![
            ("host", "OPS.example.com:443"),
            ("origin", "https://ops.example.com"),
        ],
        vec![
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "ops.example.com"),
            ("origin", "https://ops.example.com"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("referer", "https://ops.example.com/admin/login"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![("host", "ops.example.com")],
    ];
    for h in ok {
        assert!(same_origin(&headers(&h)), "{h:?}");
    }
}

#[test]
fn cross_site_posts_are_refused() {
    let bad = [
        vec![
            ("host", "ops.example.com"),
            ("origin", "https://evil.example"),
        ],
        vec![("host", "ops.example.com"), ("origin", "null")],
        vec![
            ("host", "ops.example.com"),
            ("origin", "http://ops.example.com:8443"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("referer", "https://evil.example/x"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("sec-fetch-site", "same-site"),
            ("origin", "https://ops.example.com"),
        ],
        vec![("origin", "https://ops.example.com")],
    ];
    for h in bad {
        assert!(!same_origin(&headers(&h)), "{h:?}");
    }
}
