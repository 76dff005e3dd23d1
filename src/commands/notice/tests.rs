//! What the domain writes for people to send back (notice templates,
//! card buttons) parses as the command it stands for.

use chrono::NaiveDate;

use crate::commands::command::{Command as C, NoticeKind};
use crate::commands::parse;
use crate::domain::notice::{self, messages, templates};
use crate::i18n::Lang;

fn dec_14() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
}

#[test]
fn exit_template_parses_as_a_notice_with_the_six_steps() {
    for lang in [Lang::Zh, Lang::En] {
        let text = templates::exit_template(lang, dec_14());
        let cmd = parse(&text).unwrap();
        let C::NoticeNew { kind, body, .. } = cmd else {
            panic!("not notice new: {cmd:?}");
        };
        assert_eq!(kind, NoticeKind::Exit);
        let parsed = notice::parse_body(&body).unwrap();
        assert_eq!(parsed.items.len(), 6);
        assert_eq!(parsed.deadline, Some(dec_14()));
    }
    let en = templates::exit_template(Lang::En, dec_14()).to_lowercase();
    for step in [
        "back up",
        "chat records",
        "contacts",
        "new tool",
        "shared documents",
        "new account",
        "feedback",
    ] {
        assert!(en.contains(step), "{step}");
    }
}

#[test]
fn replies_parse_back_to_the_commands() {
    for lang in [Lang::Zh, Lang::En] {
        assert_eq!(
            parse(&messages::ack_text(lang, 3)),
            Ok(C::Ack { notice: Some(3) })
        );
        assert_eq!(
            parse(&messages::done_text(lang, 3, 2)),
            Ok(C::Done { notice: 3, item: 2 })
        );
    }
}
