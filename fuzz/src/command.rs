//! `commands::parse`: any text either is not a command, misuses a command the
//! catalogue knows, or parses to a command whose key is in the catalogue;
//! spaces around a message change nothing.

use dingwarden::commands::catalogue::spec;
use dingwarden::commands::{ParseError, parse};

/// Checks one chat text (bytes that are not UTF-8 are read lossily, as
/// nothing but valid text reaches the parser).
pub fn check(data: &[u8]) {
    text(&String::from_utf8_lossy(data));
}

/// Checks one chat text.
pub fn text(text: &str) {
    let parsed = parse(text);
    match &parsed {
        Ok(cmd) => assert!(
            spec(cmd.key()).is_some(),
            "{:?} not in the catalogue",
            cmd.key()
        ),
        Err(ParseError::Usage(key)) => assert!(spec(key).is_some(), "usage of unknown {key:?}"),
        Err(ParseError::Invalid { key, value, .. }) => {
            assert!(spec(key).is_some(), "invalid value of unknown {key:?}");
            assert!(!value.is_empty(), "an empty value named as invalid");
        }
        Err(ParseError::Unknown) => {}
    }
    assert_eq!(
        parse(&format!(" {text} ")),
        parsed,
        "spaces around {text:?}"
    );
}
