//! Text generators: arbitrary bytes and printable junk, chat commands made
//! of the catalogue's words, and the hostile text an insider would type
//! into a report or a display name.

use dingwarden::commands::catalogue::CATALOGUE;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Arbitrary bytes.
pub fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..512)
}

/// Short printable text, line breaks and all.
pub fn junk() -> BoxedStrategy<String> {
    prop_oneof![
        "\\PC{0,8}",
        any::<String>(),
        Just(String::new()),
        "[ \t\r\n\u{3000}\u{a0}\u{200b}]{1,3}",
    ]
    .boxed()
}

/// A word of a chat command: the catalogue's words, ids, letters, dates.
fn command_word() -> BoxedStrategy<String> {
    let words: Vec<String> = CATALOGUE
        .iter()
        .flat_map(|s| {
            let texts = std::iter::once(s.name).chain(s.aliases.iter().copied());
            texts.chain(s.examples.iter().copied())
        })
        .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    prop_oneof![
        6 => select(words),
        2 => "[#＃]?-?[0-9]{1,20}",
        1 => "[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}",
        1 => "[a-gA-Gａ-ｆＡ-Ｆ]",
        1 => "@[a-z]{1,5}",
        1 => "[a-z0-9]{1,6}([,，、][a-z0-9]{1,6}){0,3}",
        1 => junk(),
    ]
    .boxed()
}

/// A chat text made of command words.
pub fn command_text() -> impl Strategy<Value = String> {
    let prefix = select(vec!["", "", "/", "／", "@bot ", " \n"]);
    let sep = select(vec![
        " ", " ", "  ", "\u{3000}", "\u{a0}", "\n", "\r\n", "\t", "",
    ]);
    (prefix, vec((command_word(), sep), 0..8)).prop_map(|(prefix, words)| {
        let mut text = prefix.to_owned();
        for (w, sep) in words {
            text.push_str(&w);
            text.push_str(sep);
        }
        text
    })
}

/// Text an insider would try: markdown and HTML metacharacters, schemes in
/// every case and in full width, hosts, zero-width and bidi characters,
/// every kind of line break, rules and list markers, glued together.
pub fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = vec![
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "#",
        "*",
        "`",
        "|",
        "\\",
        "&",
        "&#58;",
        "%3A",
        ":",
        "：",
        "//",
        "／／",
        "\\\\",
        "dtmd",
        "DtMd",
        "ｄｔｍｄ",
        "dingtalk",
        "javascript",
        "data",
        "http",
        "HTTPS",
        "ｈｔｔｐｓ",
        "ftp",
        "www.",
        "evil.example",
        ".",
        "。",
        "1.2.3.4",
        "a@b.co",
        "\u{200b}",
        "\u{200d}",
        "\u{2060}",
        "\u{202e}",
        "\u{feff}",
        "\u{ad}",
        "\r\n",
        "\n",
        "\r",
        "\u{2028}",
        "\u{85}",
        " ",
        "\t",
        "\u{3000}",
        "===",
        "---",
        "- ",
        "+ ",
        "> ",
        "张三",
        "点我",
    ];
    let piece = prop_oneof![8 => select(pieces).prop_map(str::to_owned), 1 => junk()];
    vec(piece, 0..24).prop_map(|p| p.concat())
}
