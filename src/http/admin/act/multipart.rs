//! `multipart/form-data` bodies (RFC 7578), as a browser sends a form with
//! a file input, read with `multer` (the parser behind axum's `Multipart`):
//! the text fields and the files, each whole in memory (the body is already
//! bounded by the router's body limit). Anything that does not parse is
//! `None`: the caller then finds no form token and refuses.

use std::convert::Infallible;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;

/// A file sent with a form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file's name on the sender's machine, as the browser gives it.
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// Text fields in order, then files.
pub type Fields = (Vec<(String, String)>, Vec<Part>);

/// The boundary of a `multipart/form-data` request, if it is one.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(ct).ok()
}

/// The fields and files of `body`, or `None` when it is not a well-formed
/// multipart body with `boundary`.
pub async fn parse(body: Bytes, boundary: &str) -> Option<Fields> {
    let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name()?.to_owned();
        let filename = field.file_name().map(str::to_owned);
        let data = field.bytes().await.ok()?;
        match filename {
            Some(_) => files.push(Part {
                name,
                filename,
                data: data.to_vec(),
            }),
            None => fields.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    Some((fields, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xe8\x8a\xb1\xe5\x90\x8d.csv\"\r\n\
Content-Type: text/csv\r\n\r\nstaff_id,name\r\nu1,\xe5\xbc\xa0\xe4\xb8\x89\r\n\r\n--XyZ--\r\n";

    async fn parsed(body: &[u8], boundary: &str) -> Option<Fields> {
        parse(Bytes::copy_from_slice(body), boundary).await
    }

    #[tokio::test]
    async fn fields_and_files_are_read() {
        let (fields, files) = parsed(BODY, "XyZ").await.unwrap();
        assert_eq!(fields, [("csrf".to_owned(), "abc".to_owned())]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "file");
        assert_eq!(files[0].filename.as_deref(), Some("花名.csv"));
        assert_eq!(files[0].data, "staff_id,name\r\nu1,张三\r\n".as_bytes());
    }

    #[tokio::test]
    async fn malformed_bodies_are_none() {
        assert!(parsed(BODY, "other").await.is_none());
        assert!(parsed(&BODY[..60], "XyZ").await.is_none());
        assert!(parsed(b"--XyZ\r\nno head end", "XyZ").await.is_none());
        let no_disposition = b"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--";
        assert!(parsed(no_disposition, "XyZ").await.is_none());
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let mut h = HeaderMap::new();
        h.insert(
            CONTENT_TYPE,
            "multipart/form-data; boundary=\"----abc\"".parse().unwrap(),
        );
        assert_eq!(boundary(&h).as_deref(), Some("----abc"));
        h.insert(
            CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        assert_eq!(boundary(&h), None);
    }
}
