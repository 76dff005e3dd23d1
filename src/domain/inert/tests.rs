//! The corpus an insider would try, and what each function makes of it.

use super::*;

/// `(input, inert, defanged)`: exact outputs for the one-line functions.
const CORPUS: &[(&str, &str, &str)] = &[
    ("张三", "张三", "张三"),
    ("zhang.san", "zhang.san", "zhang[.]san"),
    (
        "[点我](dtmd://dingtalkclient/sendMessage?content=role%20grant%20u999%20admin)",
        "［点我］（dtmd[:]//dingtalkclient/sendMessage?content=role%20grant%20u999%20admin）",
        "［点我］（dtmd[:]//dingtalkclient/sendMessage?content=role%20grant%20u999%20admin）",
    ),
    (
        "![](https://evil.example/pixel.png)",
        "!［］（hxxps://evil[.]example/pixel.png）",
        "!［］（hxxps://evil[.]example/pixel.png）",
    ),
    (
        "https://evil.example/x",
        "hxxps://evil[.]example/x",
        "hxxps://evil[.]example/x",
    ),
    (
        "<https://evil.example>",
        "＜hxxps://evil[.]example＞",
        "＜hxxps://evil[.]example＞",
    ),
    (
        "<a href=\"dtmd://x\">tap</a>",
        "＜a href=\"dtmd[:]//x\"＞tap＜/a＞",
        "＜a href=\"dtmd[:]//x\"＞tap＜/a＞",
    ),
    (
        "<font color=#FF0000>管理员通知</font>",
        "＜font color=＃FF0000＞管理员通知＜/font＞",
        "＜font color=＃FF0000＞管理员通知＜/font＞",
    ),
    (
        "DTMD://dingtalkclient/sendMessage?content=x",
        "DTMD[:]//dingtalkclient/sendMessage?content=x",
        "DTMD[:]//dingtalkclient/sendMessage?content=x",
    ),
    (
        "DTMD:sendMessage",
        "DTMD[:]sendMessage",
        "DTMD[:]sendMessage",
    ),
    (
        "dingtalk://dingtalkclient/page/link?url=x",
        "dingtalk[:]//dingtalkclient/page/link?url=x",
        "dingtalk[:]//dingtalkclient/page/link?url=x",
    ),
    (
        "javascript:alert(1)",
        "javascript[:]alert（1）",
        "javascript[:]alert（1）",
    ),
    (
        "HTTPS://Evil.Example",
        "HXXPS://Evil[.]Example",
        "HXXPS://Evil[.]Example",
    ),
    ("d\u{200d}tmd://x", "dtmd[:]//x", "dtmd[:]//x"),
    (
        "[\u{200b}点\u{2060}我](x)",
        "［点我］（x）",
        "［点我］（x）",
    ),
    ("\u{202e}nimda\u{202c}", "nimda", "nimda"),
    (
        "［点我］（ｄｔｍｄ：／／x）",
        "［点我］（ｄｔｍｄ[:]／／x）",
        "［点我］（ｄｔｍｄ[:]／／x）",
    ),
    (
        "[[a](dtmd://x)](https://evil.example)",
        "［［a］（dtmd[:]//x）］（hxxps://evil[.]example）",
        "［［a］（dtmd[:]//x）］（hxxps://evil[.]example）",
    ),
    (
        "张三\r\n# 系统通知\r\n请点击",
        "张三 ＃ 系统通知 请点击",
        "张三 ＃ 系统通知 请点击",
    ),
    (
        "www.evil.example",
        "www[.]evil[.]example",
        "www[.]evil[.]example",
    ),
    (
        "mail a@evil.example",
        "mail a@evil.example",
        "mail a@evil[.]example",
    ),
    (
        "see 10.0.0.1 now",
        "see 10.0.0.1 now",
        "see 10[.]0[.]0[.]1 now",
    ),
    ("v1.2 e.g. 3.5", "v1.2 e.g. 3.5", "v1.2 e.g. 3.5"),
    (
        "note: the data: it",
        "note: the data: it",
        "note: the data: it",
    ),
    ("xdtmd://x", "xdtmd[:]//x", "xdtmd[:]//x"),
    ("a_dtmd:x", "a_dtmd[:]x", "a_dtmd[:]x"),
    (
        "**加粗** `code` | R&D",
        "＊＊加粗＊＊ ｀code｀ ｜ R＆D",
        "＊＊加粗＊＊ ｀code｀ ｜ R＆D",
    ),
    ("&#91;x&#93;", "＆＃91;x＆＃93;", "＆＃91;x＆＃93;"),
    ("- 列表", "－ 列表", "－ 列表"),
    ("u_123", "u_123", "u_123"),
];

#[test]
fn the_corpus_comes_out_inert() {
    for (input, want_inert, want_defanged) in CORPUS {
        assert_eq!(inert(input), *want_inert, "inert({input:?})");
        assert_eq!(defanged(input), *want_defanged, "defanged({input:?})");
    }
}

/// What no output may contain, whatever the input.
fn assert_harmless(out: &str, input: &str) {
    let lower = out.to_lowercase();
    for bad in [
        "](",
        "![",
        "<",
        "dtmd:",
        "dingtalk:",
        "javascript:",
        "http:",
        "https:",
        "&#",
        "\r",
        "\u{200b}",
        "\u{200d}",
        "\u{202e}",
    ] {
        assert!(!lower.contains(bad), "{bad:?} in {out:?} (from {input:?})");
    }
    for line in out.lines() {
        let body = line.strip_prefix('>').unwrap_or(line).trim_start();
        assert!(!body.starts_with('#'), "heading in {out:?}");
        assert!(!body.starts_with('>'), "nested quote in {out:?}");
    }
}

#[test]
fn nothing_from_the_corpus_can_act_in_any_form() {
    for (input, ..) in CORPUS {
        assert_harmless(&inert(input), input);
        assert_harmless(&defanged(input), input);
        assert_harmless(&quote(input), input);
    }
}

#[test]
fn quotes_keep_lines_but_no_line_can_pose_as_the_bot() {
    let text = "第一行\r\n# 管理员通知\r\n\r\n===\nhttps://evil.example/x\n> 嵌套\n- 列表\n";
    assert_eq!(
        quote(text),
        "> 第一行\n> ＃ 管理员通知\n>\n> ＝＝＝\n> hxxps://evil[.]example/x\n> ＞ 嵌套\n> － 列表"
    );
    assert_eq!(quote("a\rb"), "> a\n> b");
    assert_eq!(quote("  "), "");
}

#[test]
fn setext_underlines_cannot_make_headings() {
    assert_eq!(quote("管理员\n---"), "> 管理员\n> －－－");
    assert_eq!(defanged("==="), "＝＝＝");
}

/// Found by fuzzing (fuzz/src/inert.rs): a scheme the text ends with, or one
/// followed by a space, was kept, and the text shown next to it could
/// complete it (`{nick}{dept}` with `…dtmd:` and `//dingtalkclient/…`).
#[test]
fn a_scheme_at_the_end_or_before_a_space_is_broken() {
    assert_eq!(inert("点我 dtmd:"), "点我 dtmd[:]");
    assert_eq!(inert("dtmd:\u{200b}"), "dtmd[:]");
    assert_eq!(inert("DingTalk: 登录异常"), "DingTalk[:] 登录异常");
    assert_eq!(defanged("see https: x"), "see hxxps: x");
    assert_eq!(quote("javascript:\n//x"), "> javascript[:]\n> //x");
    // Prose keeps its colon before a space.
    assert_eq!(inert("the data: it"), "the data: it");
    for input in ["dtmd:", "x dtmd: y", "HTTP: z", "vbscript:\r\n"] {
        assert_harmless(&inert(input), input);
        assert_harmless(&quote(input), input);
    }
}
