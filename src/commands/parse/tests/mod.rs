//! Table tests for the command parser; [`habits`] has the input habits
//! (normalisation, one-word commands, phrasings, named bad values).

mod habits;

use chrono::NaiveDate;

use super::{ParseError, parse};
use crate::commands::catalogue::CATALOGUE;
use crate::commands::command::{Audience, Command as C, NoticeKind, PolicySpec};
use crate::domain::Role;
use crate::i18n::Lang;

fn ok(text: &str) -> C {
    parse(text).unwrap_or_else(|e| panic!("{text:?} did not parse: {e:?}"))
}

#[test]
fn everyone_commands_in_both_languages() {
    let table: &[(&str, C)] = &[
        ("help", C::Help),
        ("  HELP ", C::Help),
        ("/help", C::Help),
        ("帮助", C::Help),
        ("@dingwarden 帮助", C::Help),
        ("\u{3000}帮助", C::Help),
        ("lang en", C::Lang(Some(Lang::En))),
        ("语言 中文", C::Lang(Some(Lang::Zh))),
        ("LANG", C::Lang(None)),
        ("me", C::Me),
        ("我的", C::Me),
        ("quiz", C::QuizStart { bank: None }),
        (
            "测验 phishing",
            C::QuizStart {
                bank: Some("phishing".into()),
            },
        ),
        ("quiz list", C::QuizList),
        ("测验 列表", C::QuizList),
        ("quiz quit", C::QuizQuit),
        ("测验 退出", C::QuizQuit),
        (
            "b",
            C::Answer {
                choice: 'B',
                question: None,
            },
        ),
        (
            "Ｃ",
            C::Answer {
                choice: 'C',
                question: None,
            },
        ),
        (
            "答 B",
            C::Answer {
                choice: 'B',
                question: None,
            },
        ),
        (
            "答B",
            C::Answer {
                choice: 'B',
                question: None,
            },
        ),
        (
            "answer f #42",
            C::Answer {
                choice: 'F',
                question: Some(42),
            },
        ),
        ("ack", C::Ack { notice: None }),
        ("ack #3", C::Ack { notice: Some(3) }),
        ("确认3", C::Ack { notice: Some(3) }),
        ("确认 ＃3", C::Ack { notice: Some(3) }),
        ("done 3 2", C::Done { notice: 3, item: 2 }),
        ("完成 #3 2", C::Done { notice: 3, item: 2 }),
        ("password done", C::PasswordDone),
        ("已改密", C::PasswordDone),
        ("密码 已改", C::PasswordDone),
        (
            "report got a phishing mail\nfrom x@y.z",
            C::Report {
                text: "got a phishing mail\nfrom x@y.z".into(),
            },
        ),
        (
            "上报 收到可疑邮件",
            C::Report {
                text: "收到可疑邮件".into(),
            },
        ),
        (
            "feedback Nice Bot",
            C::Feedback {
                text: "Nice Bot".into(),
            },
        ),
        (
            "反馈 list of things",
            C::Feedback {
                text: "list of things".into(),
            },
        ),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

#[test]
fn admin_commands_in_both_languages() {
    let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let table: &[(&str, C)] = &[
        (
            "notice new exit Leaving OldChat\nBack up files.\n- [ ] export contacts",
            C::NoticeNew {
                kind: NoticeKind::Exit,
                title: "Leaving OldChat".into(),
                body: "Back up files.\n- [ ] export contacts".into(),
            },
        ),
        (
            "通知 新建 安全 钓鱼提醒",
            C::NoticeNew {
                kind: NoticeKind::Security,
                title: "钓鱼提醒".into(),
                body: String::new(),
            },
        ),
        (
            "notice new Quarterly update",
            C::NoticeNew {
                kind: NoticeKind::General,
                title: "Quarterly update".into(),
                body: String::new(),
            },
        ),
        ("notice template exit", C::NoticeTemplateExit),
        ("通知 模板 退出", C::NoticeTemplateExit),
        (
            "notice send 3 to all",
            C::NoticeSend {
                notice: 3,
                audience: Audience::All,
            },
        ),
        (
            "notice send #3 to dept 总部/研发部",
            C::NoticeSend {
                notice: 3,
                audience: Audience::Dept("总部/研发部".into()),
            },
        ),
        (
            "通知 发送 3 给 部门 Sales Team",
            C::NoticeSend {
                notice: 3,
                audience: Audience::Dept("Sales Team".into()),
            },
        ),
        (
            "notice send 3 to users a, b,c",
            C::NoticeSend {
                notice: 3,
                audience: Audience::Users(vec!["a".into(), "b".into(), "c".into()]),
            },
        ),
        (
            "通知 发送 3 给 用户 a，b、c",
            C::NoticeSend {
                notice: 3,
                audience: Audience::Users(vec!["a".into(), "b".into(), "c".into()]),
            },
        ),
        (
            "notice send 3 to group",
            C::NoticeSend {
                notice: 3,
                audience: Audience::Group,
            },
        ),
        ("notice status 3", C::NoticeStatus { notice: 3 }),
        ("通知 状态 #3", C::NoticeStatus { notice: 3 }),
        (
            "notice remind 3",
            C::NoticeRemind {
                notice: 3,
                repeat: false,
            },
        ),
        (
            "notice remind 3 now",
            C::NoticeRemind {
                notice: 3,
                repeat: true,
            },
        ),
        (
            "通知 提醒 #3 立即",
            C::NoticeRemind {
                notice: 3,
                repeat: true,
            },
        ),
        ("notice close 3", C::NoticeClose { notice: 3 }),
        ("notices", C::Notices),
        ("通知列表", C::Notices),
        (
            "quiz assign default to dept R&D by 2026-12-31",
            C::QuizAssign {
                bank: "default".into(),
                audience: Audience::Dept("R&D".into()),
                by: Some(d("2026-12-31")),
            },
        ),
        (
            "测验 布置 default 给 全员",
            C::QuizAssign {
                bank: "default".into(),
                audience: Audience::All,
                by: None,
            },
        ),
        ("quiz stats", C::QuizStats { bank: None }),
        (
            "测验 统计 default",
            C::QuizStats {
                bank: Some("default".into()),
            },
        ),
        ("password policy", C::PasswordPolicy { policy: None }),
        (
            "password policy nist",
            C::PasswordPolicy {
                policy: Some(PolicySpec::Nist),
            },
        ),
        (
            "password policy 90",
            C::PasswordPolicy {
                policy: Some(PolicySpec::Periodic {
                    days: 90,
                    remind: vec![7, 3, 1],
                }),
            },
        ),
        (
            "密码 策略 60 提醒 1,14,3",
            C::PasswordPolicy {
                policy: Some(PolicySpec::Periodic {
                    days: 60,
                    remind: vec![14, 3, 1],
                }),
            },
        ),
        ("password status", C::PasswordStatus),
        (
            "password reset-required users a,b vendor breach",
            C::PasswordResetRequired {
                audience: Audience::Users(vec!["a".into(), "b".into()]),
                reason: "vendor breach".into(),
            },
        ),
        (
            "密码 强制改密 部门 研发部 供应商泄露",
            C::PasswordResetRequired {
                audience: Audience::Dept("研发部".into()),
                reason: "供应商泄露".into(),
            },
        ),
        (
            "offboard u123",
            C::Offboard {
                staff_id: "u123".into(),
            },
        ),
        (
            "离职 u123",
            C::Offboard {
                staff_id: "u123".into(),
            },
        ),
        (
            "role grant u1 admin",
            C::RoleGrant {
                staff_id: "u1".into(),
                role: Role::Admin,
            },
        ),
        (
            "角色 撤销 u1 人事",
            C::RoleRevoke {
                staff_id: "u1".into(),
                role: Role::Hr,
            },
        ),
        ("incidents", C::Incidents),
        (
            "incident close 2 false alarm",
            C::IncidentClose {
                incident: 2,
                note: Some("false alarm".into()),
            },
        ),
        (
            "事件 关闭 #2",
            C::IncidentClose {
                incident: 2,
                note: None,
            },
        ),
        ("feedback list", C::FeedbackList),
        ("反馈 列表", C::FeedbackList),
        ("outbox", C::Outbox),
        ("发件箱 重试 9", C::OutboxRetry { id: 9 }),
    ];
    for (text, want) in table {
        assert_eq!(&ok(text), want, "{text:?}");
    }
}

#[test]
fn misuse_names_the_command() {
    let table: &[(&str, &str)] = &[
        ("done 3", "done"),
        ("lang fr", "lang"),
        ("notice send 3 all", "notice send"),
        ("notice send 3 to nobody", "notice send"),
        ("notice send 3 to dept", "notice send"),
        ("notice new", "notice new"),
        ("notice status", "notice status"),
        ("quiz assign default all", "quiz assign"),
        ("password reset-required all", "password reset-required"),
        (
            "password reset-required everyone now",
            "password reset-required",
        ),
        ("role grant u1 king", "role grant"),
        ("role revoke u1", "role revoke"),
        ("report", "report"),
        ("feedback   ", "feedback"),
        ("outbox retry", "outbox retry"),
        ("answer G", "answer"),
        ("offboard", "offboard"),
        ("quiz list now", "quiz list"),
    ];
    for (text, key) in table {
        assert_eq!(parse(text), Err(ParseError::Usage(key)), "{text:?}");
    }
}

#[test]
fn ordinary_text_is_not_a_command() {
    for text in [
        "",
        "   ",
        "G",
        "AB",
        "what is phishing?",
        "@bot",
        "确认一下",
    ] {
        assert_eq!(parse(text), Err(ParseError::Unknown), "{text:?}");
    }
}

#[test]
fn every_catalogue_example_parses_to_its_command() {
    for spec in CATALOGUE {
        assert!(!spec.examples.is_empty(), "{} has no examples", spec.name);
        for ex in spec.examples {
            assert_eq!(ok(ex).key(), spec.name, "example {ex:?}");
        }
        for alias in spec.aliases {
            assert!(
                spec.examples.iter().any(|e| e.starts_with(alias)),
                "{}: no example uses {alias}",
                spec.name
            );
        }
    }
}

#[test]
fn catalogue_names_are_unique() {
    let mut names: Vec<_> = CATALOGUE.iter().map(|s| s.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}
