//! Table tests for input habits: normalised input, one-word Chinese
//! commands, the catalogue's phrasings, free text kept as typed, and the
//! errors that name what was wrong.

use crate::commands::Command as C;
use crate::commands::catalogue::CATALOGUE;
use crate::commands::parse::{ParseError, ValueKind, parse};

fn ok(text: &str) -> C {
    parse(text).unwrap_or_else(|e| panic!("{text:?} did not parse: {e:?}"))
}

#[test]
fn full_width_and_punctuated_input_parses_as_plain() {
    let table: &[(&str, C)] = &[
        ("确认 １", C::Ack { notice: Some(1) }),
        ("确认１", C::Ack { notice: Some(1) }),
        ("完成　１　２", C::Done { notice: 1, item: 2 }),
        ("我的。", C::Me),
        ("帮助！", C::Help),
        ("帮助！！", C::Help),
        ("确认 1。", C::Ack { notice: Some(1) }),
        ("ack #3.", C::Ack { notice: Some(3) }),
        ("ＡＣＫ　＃３", C::Ack { notice: Some(3) }),
        ("确认  ＃3 ～", C::Ack { notice: Some(3) }),
        ("通知　状态　＃２？", C::NoticeStatus { notice: 2 }),
        ("／ｈｅｌｐ", C::Help),
        ("?", C::Help),
        ("？", C::Help),
        (
            "Ｂ",
            C::Answer {
                choice: 'B',
                question: None,
            },
        ),
        ("me~", C::Me),
        ("测验 列表…", C::QuizList),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

#[test]
fn chinese_commands_in_one_word() {
    let table: &[(&str, C)] = &[
        ("测验列表", C::QuizList),
        ("反馈列表", C::FeedbackList),
        ("通知列表", C::Notices),
        ("通知 列表", C::Notices),
        ("事件列表", C::Incidents),
        ("事件 列表", C::Incidents),
        ("通知状态3", C::NoticeStatus { notice: 3 }),
        ("通知状态 #3", C::NoticeStatus { notice: 3 }),
        ("密码状态", C::PasswordStatus),
        ("通知模板退出", C::NoticeTemplateExit),
        ("发件箱重试 9", C::OutboxRetry { id: 9 }),
        ("测试", C::QuizStart { bank: None }),
        ("导出3", C::Export { notice: 3 }),
        ("export acks 3", C::Export { notice: 3 }),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

/// Every list command with a Chinese alias of two words also has the
/// one-word form in the catalogue.
#[test]
fn every_chinese_list_command_has_its_one_word_form() {
    for spec in CATALOGUE {
        for alias in spec.aliases.iter().filter(|a| a.ends_with(" 列表")) {
            let joined = alias.replace(' ', "");
            assert!(
                spec.aliases.contains(&joined.as_str()),
                "{}: {joined} missing",
                spec.name
            );
        }
    }
}

/// The phrasings, from the catalogue: each alone (and as people dress it:
/// punctuated, spaced, full-width) means its command without arguments.
#[test]
fn every_phrasing_means_its_command() {
    let mut seen = 0;
    for spec in CATALOGUE.iter().filter(|s| s.phrasings().next().is_some()) {
        let plain = ok(spec.name);
        for p in spec.phrasings() {
            seen += 1;
            assert!(!CATALOGUE.iter().any(|s| s.name == p), "{p} is a name");
            for dressed in [
                p.to_owned(),
                format!("{p}。"),
                format!(" {p}！"),
                p.to_uppercase(),
                format!("@dingwarden {p}"),
            ] {
                assert_eq!(ok(&dressed), plain, "{dressed:?} for {}", spec.name);
            }
        }
    }
    assert!(seen >= 20, "only {seen} phrasings");
}

#[test]
fn the_phrasings_the_issue_names_are_there() {
    let table: &[(&str, C)] = &[
        ("确认已读", C::Ack { notice: None }),
        ("已读", C::Ack { notice: None }),
        ("收到", C::Ack { notice: None }),
        ("知道了", C::Ack { notice: None }),
        ("我已修改密码", C::PasswordDone),
        ("已修改密码", C::PasswordDone),
        ("改好了", C::PasswordDone),
        ("密码改了", C::PasswordDone),
        ("I changed it", C::PasswordDone),
        ("你好", C::Hello),
        ("在吗", C::Hello),
        ("在吗？", C::Hello),
        ("hi", C::Hello),
        ("Hello!", C::Hello),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

#[test]
fn free_text_is_kept_as_typed() {
    let table: &[(&str, C)] = &[
        (
            "上报　收到可疑邮件！！请看：ｈｔｔｐ://x。",
            C::Report {
                text: "收到可疑邮件！！请看：ｈｔｔｐ://x。".into(),
            },
        ),
        (
            "ｒｅｐｏｒｔ  two  spaces  kept.",
            C::Report {
                text: "two  spaces  kept.".into(),
            },
        ),
        (
            "反馈 很好用！",
            C::Feedback {
                text: "很好用！".into(),
            },
        ),
        (
            "事件 关闭 ＃2 误报。",
            C::IncidentClose {
                incident: 2,
                note: Some("误报。".into()),
            },
        ),
        (
            "密码 强制改密 全员 供应商泄露！",
            C::PasswordResetRequired {
                audience: crate::commands::Audience::All,
                reason: "供应商泄露！".into(),
            },
        ),
        (
            "通知 新建 安全 钓鱼邮件提醒！\r\n第一行。\r\n- [ ] 改密码～",
            C::NoticeNew {
                kind: crate::commands::NoticeKind::Security,
                title: "钓鱼邮件提醒！".into(),
                body: "第一行。\r\n- [ ] 改密码～".into(),
            },
        ),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

#[test]
fn bad_values_are_named() {
    let num = |min, max| ValueKind::Number { min, max };
    let table: &[(&str, &str, &str, ValueKind)] = &[
        ("ack x", "ack", "x", ValueKind::Id),
        ("ack 0", "ack", "0", ValueKind::Id),
        ("确认 #-1", "ack", "#-1", ValueKind::Id),
        ("done 3 x", "done", "x", num(1, None)),
        ("done y 1", "done", "y", ValueKind::Id),
        ("notice status abc", "notice status", "abc", ValueKind::Id),
        ("通知 发送 x 给 全员", "notice send", "x", ValueKind::Id),
        ("export three", "export", "three", ValueKind::Id),
        (
            "quiz assign default to all by 2026-13-45",
            "quiz assign",
            "2026-13-45",
            ValueKind::Date,
        ),
        (
            "测验 布置 default 给 全员 截止 明天",
            "quiz assign",
            "明天",
            ValueKind::Date,
        ),
        (
            "password policy 0",
            "password policy",
            "0",
            num(1, Some(3650)),
        ),
        (
            "password policy 9999",
            "password policy",
            "9999",
            num(1, Some(3650)),
        ),
        (
            "password policy 30 remind 30",
            "password policy",
            "30",
            num(1, Some(29)),
        ),
        (
            "password policy 90 remind x",
            "password policy",
            "x",
            num(1, Some(89)),
        ),
        ("incident close #x", "incident close", "#x", ValueKind::Id),
        ("outbox retry 1.5", "outbox retry", "1.5", ValueKind::Id),
    ];
    for (text, key, value, kind) in table {
        let want = ParseError::Invalid {
            key,
            value: (*value).to_owned(),
            kind: *kind,
        };
        assert_eq!(parse(text), Err(want), "{text:?}");
    }
}

#[test]
fn mistyped_subcommands_are_unknown_not_another_usage() {
    for text in [
        "notice stauts 1",
        "通知 撤回 1",
        "password polcy",
        "密码 侧略",
        "quiz asign default to all",
        "quiz asign",
        "测验 布直",
        "role grnat u1 admin",
        "incident clsoe 2",
        "outbox retyr 9",
        "密码",
        "notcie status 3",
    ] {
        assert_eq!(parse(text), Err(ParseError::Unknown), "{text:?}");
    }
}
