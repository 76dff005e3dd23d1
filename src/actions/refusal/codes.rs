//! What a refusal is to machines: its stable code (API errors, logs,
//! metrics) and whether it means "no such thing".

use super::Refusal;

impl Refusal {
    /// A stable machine-readable code (API errors, logs, metrics).
    pub fn code(&self) -> &'static str {
        match self {
            // audiences
            Refusal::NoSuchDepartment { .. } => "no_such_department",
            Refusal::GroupAudience { .. } => "group_audience",
            // notices
            Refusal::NoSuchNotice { .. } => "no_such_notice",
            Refusal::NoticeClosed { .. } | Refusal::NoticeNotTakingAcks { .. } => "notice_closed",
            Refusal::NotAddressed { .. } => "not_addressed",
            Refusal::AlreadyAcked { .. } => "already_acknowledged",
            Refusal::NoChecklist { .. } | Refusal::NoSuchItem { .. } => "no_such_item",
            Refusal::ItemAlreadyDone { .. } => "item_already_done",
            // roles and roster
            Refusal::UnknownStaff { .. } => "unknown_staff",
            Refusal::LeftOrganisation { .. } => "left_organisation",
            Refusal::AlreadyHasRole { .. } => "already_has_role",
            Refusal::NoSuchRole { .. } => "no_such_role",
            Refusal::LastAdmin { .. } => "last_admin",
            Refusal::RosterLeavesNoAdmin { .. } => "no_admin_left",
            Refusal::TooManyLeavers { .. } => "too_many_leavers",
            // incidents and feedback
            Refusal::TooLong { .. } => "too_long",
            Refusal::NoSuchIncident { .. } => "no_such_incident",
            Refusal::IncidentClosed { .. } => "incident_closed",
            // outbox
            Refusal::NoSuchDelivery { .. } => "no_such_delivery",
            Refusal::NotDeadLetter { .. } => "not_dead_letter",
            Refusal::PayloadDropped { .. } => "payload_dropped",
            Refusal::TitleTooLong { .. } => "title_too_long",
            Refusal::BadNoticeBody { .. } => "bad_notice_body",
            Refusal::DeadlineInPast { .. } => "deadline_in_past",
            Refusal::NoticeAlreadyClosed { .. } => "already_closed",
            Refusal::PastDeadline { .. } => "past_deadline",
            Refusal::NobodyToSend { .. } => "nobody_addressed",
            Refusal::NotInGroupChat { .. } => "not_in_group_chat",
            Refusal::AlreadyPostedToGroup { .. } => "already_posted_to_group",
            Refusal::NotSentYet { .. } => "not_sent_yet",
            Refusal::JustReminded { .. } => "just_reminded",
            Refusal::RemindedRecently { .. } => "reminded_recently",
            Refusal::LeaverNotOnRoster { .. } => "no_such_user",
            Refusal::LeaverAlreadyLeft { .. } => "already_left",
            Refusal::OffboardingStarted { .. } => "offboarding_started",
            Refusal::OffboardingLastAdmin { .. } => "last_admin",
            // quiz
            Refusal::NoSuchBank { .. } => "no_such_bank",
            Refusal::DeadlinePast { .. } => "deadline_past",
            Refusal::NobodyToAssign | Refusal::NobodyToReset => "nobody_addressed",
            Refusal::NoQuizInProgress => "no_quiz_in_progress",
            Refusal::NoFollowupWaiting => "no_followup_waiting",
            Refusal::EmptyBank => "empty_bank",
            Refusal::AnswerInGroup => "answer_in_group",
            Refusal::StaleQuestion => "no_such_question",
            Refusal::QuizOver { .. } => "quiz_over",
            Refusal::QuestionAnswered { .. } | Refusal::AnsweredTwice => "already_answered",
            Refusal::AnswerInOrder { .. } => "answer_in_order",
            Refusal::NoSuchOption { .. } => "no_such_option",
            // passwords
            Refusal::ReasonTooLong { .. } => "reason_too_long",
            // confirmations
            Refusal::NotPermitted { .. } => "not_permitted",
            Refusal::ConfirmationWrong { .. } => "wrong_code",
            Refusal::ConfirmationExpired => "code_expired",
            Refusal::ConfirmationUsed => "code_used",
            Refusal::ConfirmationLocked => "code_locked",
            // console and API tokens
            Refusal::ConsoleNotAllowed { .. } => "forbidden",
            Refusal::TokenLabel { .. } => "bad_label",
            Refusal::TokenOwnerCannotHold { .. } => "owner_cannot_hold_scope",
            Refusal::NoSuchToken { .. } => "no_such_token",
            Refusal::TokenRevoked { .. } => "already_revoked",
        }
    }

    /// Whether the refusal means "there is no such thing" (HTTP 404) rather
    /// than "not in this state" (409) or "not allowed" (403).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Refusal::NoSuchDepartment { .. }
                | Refusal::NoSuchNotice { .. }
                | Refusal::NoChecklist { .. }
                | Refusal::NoSuchItem { .. }
                | Refusal::UnknownStaff { .. }
                | Refusal::NoSuchRole { .. }
                | Refusal::NoSuchIncident { .. }
                | Refusal::NoSuchDelivery { .. }
                | Refusal::LeaverNotOnRoster { .. }
                | Refusal::NoSuchBank { .. }
                | Refusal::StaleQuestion
                | Refusal::NoSuchToken { .. }
        )
    }
}
