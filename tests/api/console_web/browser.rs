//! A browser signed in to the console as a person (through the sign-in
//! action the DingTalk callback uses): its cookie, its form token, and form
//! POSTs from the console's origin.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};

use crate::dashboard::{get, send};
use crate::helpers::TestApp;
use crate::helpers::console::PUBLIC_URL;

pub(crate) const HOST: (&str, &str) = ("host", "ops.example.com");
pub(crate) const ORIGIN: (&str, &str) = ("origin", PUBLIC_URL);

/// A browser signed in to the console: its cookie and its form token.
pub(crate) struct Browser {
    pub cookie: String,
    pub csrf: String,
}

/// `staff_id` signed in.
pub(crate) async fn sign_in_as(app: &TestApp, staff_id: &str) -> Browser {
    let cookie = app.console_cookie(staff_id).await;
    Browser {
        csrf: TestApp::console_csrf(&cookie),
        cookie,
    }
}

/// The administrator `admin1` signed in.
pub(crate) async fn sign_in(app: &TestApp) -> Browser {
    sign_in_as(app, "admin1").await
}

impl Browser {
    /// A form POST from the console's own origin with the form token.
    pub(crate) async fn post(
        &self,
        app: &TestApp,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let mut fields = vec![("csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        let (status, _, body) = self.post_raw(app, path, &fields, &[ORIGIN]).await;
        (status, body)
    }

    pub(crate) async fn post_raw(
        &self,
        app: &TestApp,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, String) {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &self.cookie)
            .header(HOST.0, HOST.1);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        send(app, req.body(Body::from(body)).unwrap()).await
    }

    /// A `multipart/form-data` POST (a form with a file input) from the
    /// console's origin: `fields` (the form token is not added), then the
    /// file `(field, file name, bytes)`.
    pub(crate) async fn post_multipart(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> (StatusCode, String) {
        const BOUNDARY: &str = "----dwTestBoundary7MA4YWxk";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let (name, filename, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("cookie", &self.cookie)
            .header(HOST.0, HOST.1)
            .header(ORIGIN.0, ORIGIN.1)
            .body(Body::from(body))
            .unwrap();
        let (status, _, body) = send(app, req).await;
        (status, body)
    }

    pub(crate) async fn page(&self, app: &TestApp, path: &str) -> (StatusCode, String) {
        let (status, _, body) = get(app, path, &[("cookie", &self.cookie), HOST]).await;
        (status, body)
    }
}
