//! Every refusal reads in both languages, has a code, and names what it
//! is about.

use super::*;

impl Refusal {
    /// Refusals whose words name no id, number or date.
    fn names_nothing(&self) -> bool {
        matches!(
            self,
            Refusal::GroupAudience { .. }
                | Refusal::RosterLeavesNoAdmin { .. }
                | Refusal::BadNoticeBody {
                    error: BodyError::TwoDeadlines | BodyError::TooManyItems | BodyError::TooLong
                }
                | Refusal::NobodyToSend { .. }
                | Refusal::NotInGroupChat { .. }
                | Refusal::JustReminded { .. }
                | Refusal::NobodyToAssign
                | Refusal::NoQuizInProgress
                | Refusal::NoFollowupWaiting
                | Refusal::EmptyBank
                | Refusal::AnswerInGroup
                | Refusal::StaleQuestion
                | Refusal::QuizOver { score: None }
                | Refusal::QuestionAnswered { .. }
                | Refusal::NoSuchOption { .. }
                | Refusal::AnsweredTwice
                | Refusal::NobodyToReset
                | Refusal::NotPermitted { .. }
                | Refusal::ConfirmationWrong { .. }
                | Refusal::ConfirmationExpired
                | Refusal::ConfirmationUsed
                | Refusal::ConfirmationLocked
        )
    }
}

fn named() -> Named {
    Named {
        staff_id: "u1".into(),
        name: "张三".into(),
    }
}

#[test]
fn every_refusal_reads_in_both_languages_and_has_a_code() {
    let all = [
        Refusal::NoSuchDepartment { name: "1".into() },
        Refusal::GroupAudience {
            purpose: Purpose::Notice,
        },
        Refusal::NoSuchNotice { id: 1 },
        Refusal::NoticeClosed { id: 1 },
        Refusal::NoticeNotTakingAcks { id: 1 },
        Refusal::NotAddressed { id: 1 },
        Refusal::AlreadyAcked { id: 1, at_ms: None },
        Refusal::AlreadyAcked {
            id: 1,
            at_ms: Some(0),
        },
        Refusal::NoChecklist { id: 1 },
        Refusal::NoSuchItem { id: 1, total: 2 },
        Refusal::ItemAlreadyDone {
            id: 1,
            item: 1,
            at_ms: 0,
        },
        Refusal::UnknownStaff {
            staff_id: "u1".into(),
        },
        Refusal::LeftOrganisation {
            staff_id: "u1".into(),
        },
        Refusal::AlreadyHasRole {
            who: named(),
            role: Role::Hr,
        },
        Refusal::NoSuchRole {
            who: named(),
            role: Role::Admin,
        },
        Refusal::LastAdmin { who: named() },
        Refusal::RosterLeavesNoAdmin {
            kind: RosterSource::Import,
        },
        Refusal::RosterLeavesNoAdmin {
            kind: RosterSource::Sync,
        },
        Refusal::TooManyLeavers {
            kind: RosterSource::Import,
            leaving: 21,
            active: 100,
            max_percent: 10,
            names: vec!["u1".into()],
        },
        Refusal::TooLong { max: 1 },
        Refusal::NoSuchIncident { id: 1 },
        Refusal::IncidentClosed {
            id: 1,
            at_ms: Some(0),
        },
        Refusal::NoSuchDelivery { id: 1 },
        Refusal::NotDeadLetter {
            id: 1,
            status: Some(OutboxStatus::Pending),
        },
        Refusal::PayloadDropped { id: 1 },
        Refusal::TitleTooLong { max: 100 },
        Refusal::BadNoticeBody {
            error: BodyError::BadDeadline("1".into()),
        },
        Refusal::BadNoticeBody {
            error: BodyError::TwoDeadlines,
        },
        Refusal::BadNoticeBody {
            error: BodyError::TooManyItems,
        },
        Refusal::BadNoticeBody {
            error: BodyError::BadItem(1),
        },
        Refusal::BadNoticeBody {
            error: BodyError::TooLong,
        },
        Refusal::DeadlineInPast {
            deadline: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        },
        Refusal::NoticeAlreadyClosed { id: 1 },
        Refusal::PastDeadline { id: 1 },
        Refusal::NobodyToSend { id: 1 },
        Refusal::NotInGroupChat { id: 1 },
        Refusal::AlreadyPostedToGroup { id: 1 },
        Refusal::NotSentYet { id: 1 },
        Refusal::JustReminded { id: 1 },
        Refusal::RemindedRecently { id: 1, at_ms: 0 },
        Refusal::LeaverNotOnRoster {
            staff_id: "u1".into(),
        },
        Refusal::LeaverAlreadyLeft {
            staff_id: "u1".into(),
        },
        Refusal::OffboardingStarted {
            staff_id: "u1".into(),
        },
        Refusal::OffboardingLastAdmin {
            staff_id: "u1".into(),
        },
        // quiz
        Refusal::NoSuchBank { key: "q1".into() },
        Refusal::DeadlinePast {
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        },
        Refusal::NobodyToAssign,
        Refusal::NoQuizInProgress,
        Refusal::NoFollowupWaiting,
        Refusal::EmptyBank,
        Refusal::AnswerInGroup,
        Refusal::StaleQuestion,
        Refusal::QuizOver {
            score: Some((1, 5)),
        },
        Refusal::QuizOver { score: None },
        Refusal::QuestionAnswered { letter: 'B' },
        Refusal::AnswerInOrder { position: 1 },
        Refusal::NoSuchOption { last: 'D' },
        Refusal::AnsweredTwice,
        // passwords
        Refusal::ReasonTooLong { max: 100 },
        Refusal::NobodyToReset,
        // console and API tokens
        Refusal::ConsoleNotAllowed {
            staff_id: "u1".into(),
        },
        Refusal::TokenLabel { max: 100 },
        Refusal::TokenOwnerCannotHold {
            staff_id: "u1".into(),
            scope: Scope::Admin,
        },
        Refusal::NoSuchToken { id: 1 },
        Refusal::TokenRevoked { id: 1 },
    ];
    for r in all {
        for lang in [Lang::Zh, Lang::En] {
            let viewer = Viewer {
                lang,
                tz: chrono_tz::Asia::Shanghai,
                staff: false,
            };
            let text = r.message(viewer);
            let names_it = text.contains('1') || r.names_nothing();
            assert!(names_it && !text.is_empty(), "{r:?} {lang}: {text}");
            assert_ne!(text, r.code(), "{r:?} has no words");
        }
        assert!(!r.code().is_empty());
    }
}
