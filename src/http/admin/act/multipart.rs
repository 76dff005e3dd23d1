//! `multipart/form-data` bodies (RFC 7578), as a browser sends a form with
//! a file input: the text fields and the files, each whole in memory (the
//! body is already bounded by the router's body limit). Anything that does
//! not parse is `None`: the caller then finds no form token and refuses.

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
    let mut params = ct.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The fields and files of `body`, or `None` when it is not a well-formed
/// multipart body with `boundary`.
pub fn parse(body: &[u8], boundary: &str) -> Option<Fields> {
    let open = format!("--{boundary}");
    let next = format!("\r\n--{boundary}");
    let mut rest = body.strip_prefix(open.as_bytes())?;
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    loop {
        if rest.starts_with(b"--") {
            return Some((fields, files));
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        rest = &rest[head_end + 4..];
        let end = find(rest, next.as_bytes())?;
        let data = rest[..end].to_vec();
        rest = &rest[end + next.len()..];
        let (name, filename) = disposition(head)?;
        match filename {
            Some(_) => files.push(Part {
                name,
                filename,
                data,
            }),
            None => fields.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
}

/// The `name` and `filename` of a part's `Content-Disposition: form-data`.
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-disposition")
            .then_some(v)
    })?;
    let mut params = line.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut filename) = (None, None);
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"').to_owned();
        match k.trim() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            _ => {}
        }
    }
    Some((name?, filename))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xe8\x8a\xb1\xe5\x90\x8d.csv\"\r\n\
Content-Type: text/csv\r\n\r\nstaff_id,name\r\nu1,\xe5\xbc\xa0\xe4\xb8\x89\r\n\r\n--XyZ--\r\n";

    #[test]
    fn fields_and_files_are_read() {
        let (fields, files) = parse(BODY, "XyZ").unwrap();
        assert_eq!(fields, [("csrf".to_owned(), "abc".to_owned())]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "file");
        assert_eq!(files[0].filename.as_deref(), Some("花名.csv"));
        assert_eq!(files[0].data, "staff_id,name\r\nu1,张三\r\n".as_bytes());
    }

    #[test]
    fn malformed_bodies_are_none() {
        assert!(parse(BODY, "other").is_none());
        assert!(parse(&BODY[..60], "XyZ").is_none());
        assert!(parse(b"--XyZ\r\nno head end", "XyZ").is_none());
        let no_disposition = b"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--";
        assert!(parse(no_disposition, "XyZ").is_none());
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
