//! Table tests for "did you mean".

use super::{Suggestions, suggest};
use crate::commands::ParseError;
use crate::commands::catalogue::CommandSpec;
use crate::commands::parse;
use crate::domain::Access;

fn may(level: Access) -> impl Fn(&CommandSpec) -> bool {
    move |s: &CommandSpec| match level {
        Access::Admin => true,
        Access::Staff => s.access != Access::Admin,
        Access::Everyone => s.access == Access::Everyone,
    }
}

/// What the buttons would send, nearest first.
fn sends(text: &str, level: Access) -> Vec<String> {
    match suggest(text, may(level)) {
        Suggestions::Near(near) => near.into_iter().map(|n| n.send).collect(),
        other => panic!("{text:?}: {other:?}"),
    }
}

#[test]
fn typos_get_the_nearest_command_with_the_rest_of_the_text() {
    use Access::{Admin, Everyone, Staff};
    let table: &[(&str, Access, &str)] = &[
        ("notice stauts 1", Staff, "notice status 1"),
        ("notice stauts 1", Admin, "notice status 1"),
        ("notcie status 3", Staff, "notice status 3"),
        ("通知 状太 1", Staff, "通知 状态 1"),
        ("password polcy", Admin, "password policy"),
        ("password polcy 90", Admin, "password policy 90"),
        ("密码 侧略", Admin, "密码 策略"),
        (
            "quiz asign default to all",
            Admin,
            "quiz assign default to all",
        ),
        ("quiz asign", Admin, "quiz assign"),
        (
            "测验 布直 default 给 全员",
            Admin,
            "测验 布置 default 给 全员",
        ),
        ("role grnat u1 admin", Admin, "role grant u1 admin"),
        ("incident clsoe 2", Admin, "incident close 2"),
        ("hepl", Everyone, "help"),
        ("帮主", Everyone, "帮助"),
        ("我地", Everyone, "我的"),
        ("确认以读", Everyone, "确认已读"),
        ("改好", Everyone, "改好了"),
        ("hallo", Everyone, "hello"),
        ("测验列彪", Everyone, "测验 列表"),
    ];
    for (text, level, want) in table {
        assert_eq!(
            parse(text),
            Err(ParseError::Unknown),
            "{text:?} should not parse"
        );
        let got = sends(text, *level);
        assert_eq!(
            got.first().map(String::as_str),
            Some(*want),
            "{text:?}: {got:?}"
        );
        let again = parse(&got[0]);
        assert!(
            !matches!(again, Err(ParseError::Unknown)),
            "{text:?}: the suggestion {:?} is no command",
            got[0]
        );
    }
}

#[test]
fn only_commands_the_sender_may_run_are_offered() {
    for text in [
        "notice stauts 1",
        "通知 撤回 1",
        "password polcy",
        "quiz asign",
    ] {
        match suggest(text, may(Access::Everyone)) {
            Suggestions::Near(near) => {
                for n in near {
                    assert_eq!(n.spec.access, Access::Everyone, "{text:?}: {}", n.send);
                }
            }
            Suggestions::Family { members, .. } => {
                for (spec, _) in members {
                    assert_eq!(spec.access, Access::Everyone, "{text:?}: {}", spec.name);
                }
            }
            Suggestions::Nothing => {}
        }
    }
}

#[test]
fn a_known_command_with_an_unknown_subcommand_lists_its_subcommands() {
    let Suggestions::Family { word, members } = suggest("通知 撤回 1", may(Access::Admin))
    else {
        panic!("no family");
    };
    assert_eq!(word, "通知");
    let names: Vec<&str> = members.iter().map(|(s, _)| s.name).collect();
    for want in [
        "notice close",
        "notice status",
        "notice remind",
        "notice new",
    ] {
        assert!(names.contains(&want), "{names:?}");
    }
    assert!(members.iter().all(|(_, send)| send.starts_with("通知 ")));
    let Suggestions::Family { members, .. } = suggest("quiz default extra", may(Access::Everyone))
    else {
        panic!("no family");
    };
    let names: Vec<&str> = members.iter().map(|(s, _)| s.name).collect();
    assert_eq!(names, ["quiz list", "quiz quit"]);
}

#[test]
fn plain_talk_gets_no_suggestion() {
    for text in [
        "what is phishing",
        "谢谢",
        "好",
        "the weather is nice today",
        "确认一下",
        "我忘记密码了怎么办",
        "我的密码过期了怎么改",
        "密码策略是多少天",
        "帮助我一下",
    ] {
        assert_eq!(
            suggest(text, may(Access::Admin)),
            Suggestions::Nothing,
            "{text:?}"
        );
    }
}

#[test]
fn long_or_multi_line_rests_are_not_carried_into_buttons() {
    let long = format!("notice stauts 1 {}", "x".repeat(80));
    assert_eq!(sends(&long, Access::Admin)[0], "notice status");
    assert_eq!(
        sends("notice nwe Title\nbody line", Access::Admin)[0],
        "notice new"
    );
}
