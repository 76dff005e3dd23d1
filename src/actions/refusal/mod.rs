//! Refusals: every reason an action says no, typed, and the one place where
//! each is put into words (Chinese or English) for chat, and into a stable
//! code for the API (`codes.rs`). A refused action changed nothing.
//!
//! Sections per feature keep additions from colliding; keep the matches
//! here and in `codes.rs` in the same order as the enum.

mod codes;
mod confirm;
mod console;
mod incidents;
mod notices;
mod passwords;
mod quiz;
mod roster;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::actions::audience::Purpose;
use crate::clock::from_ms;
use crate::domain::console::Scope;
use crate::domain::notice::BodyError;
use crate::domain::schedule::format_local;
use crate::domain::{Access, Named, Role};
use crate::i18n::Lang;
use crate::store::outbox::OutboxStatus;
use crate::store::roster::RosterSource;
use crate::t;

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.code())]
pub enum Refusal {
    // ── audiences ──────────────────────────────────────────────────────
    /// No department has this name (or the name is ambiguous).
    NoSuchDepartment { name: String },
    /// `group` is not an audience for this purpose.
    GroupAudience { purpose: Purpose },
    // ── notices ────────────────────────────────────────────────────────
    /// No notice has this id.
    NoSuchNotice { id: i64 },
    /// The notice is closed: nothing is sent or reminded any more.
    NoticeClosed { id: i64 },
    /// The notice is closed: acknowledgements and ticks are no longer taken.
    NoticeNotTakingAcks { id: i64 },
    /// The notice was not addressed to this person.
    NotAddressed { id: i64 },
    /// Acknowledged before (`at`, when known).
    AlreadyAcked { id: i64, at_ms: Option<i64> },
    /// The notice has no checklist.
    NoChecklist { id: i64 },
    /// The checklist has fewer items.
    NoSuchItem { id: i64, total: i64 },
    /// This item was ticked before.
    ItemAlreadyDone { id: i64, item: i64, at_ms: i64 },
    // ── roles and roster ───────────────────────────────────────────────
    /// Nobody with this staff id is on the roster or has written to the bot.
    UnknownStaff { staff_id: String },
    /// The person has left the organisation.
    LeftOrganisation { staff_id: String },
    /// The person holds the role already.
    AlreadyHasRole { who: Named, role: Role },
    /// The person does not hold the role.
    NoSuchRole { who: Named, role: Role },
    /// The last active administrator keeps the role.
    LastAdmin { who: Named },
    /// Applying this roster would leave no active administrator.
    RosterLeavesNoAdmin { kind: RosterSource },
    /// The run would mark more people as left than
    /// `DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT` (or 20) allows, and
    /// `--allow-leavers` did not name at least `leaving`; `names`: the first ten.
    TooManyLeavers {
        kind: RosterSource,
        leaving: usize,
        active: usize,
        max_percent: u32,
        names: Vec<String>,
    },
    // ── incidents and feedback ─────────────────────────────────────────
    /// A report, note or feedback longer than `max` characters.
    TooLong { max: usize },
    /// No incident has this id.
    NoSuchIncident { id: i64 },
    /// The incident was closed before (`at`, when known).
    IncidentClosed { id: i64, at_ms: Option<i64> },
    // ── outbox ─────────────────────────────────────────────────────────
    /// No outbox row has this id.
    NoSuchDelivery { id: i64 },
    /// The row is not a dead letter (its status, when known).
    NotDeadLetter {
        id: i64,
        status: Option<OutboxStatus>,
    },
    /// A dead letter whose content retention dropped: nothing left to send.
    PayloadDropped { id: i64 },
    /// The title is longer than `max` characters.
    TitleTooLong { max: usize },
    /// The body cannot be read (its deadline, checklist or length).
    BadNoticeBody { error: BodyError },
    /// The deadline lies before `today` (local date).
    DeadlineInPast {
        deadline: NaiveDate,
        today: NaiveDate,
    },
    /// The notice was closed before.
    NoticeAlreadyClosed { id: i64 },
    /// The deadline has passed: the notice is not sent any more.
    PastDeadline { id: i64 },
    /// The audience names nobody active on the roster.
    NobodyToSend { id: i64 },
    /// `group` was asked for outside a group chat.
    NotInGroupChat { id: i64 },
    /// The notice was posted to this group before.
    AlreadyPostedToGroup { id: i64 },
    /// The notice has not been sent: nobody to remind.
    NotSentYet { id: i64 },
    /// A reminder of this notice was claimed at this very instant.
    JustReminded { id: i64 },
    /// A reminder round of this notice went out within the hour (at
    /// `at_ms`); `notice remind ID now` repeats it anyway.
    RemindedRecently { id: i64, at_ms: i64 },
    /// Offboarding: nobody on the roster has this staff id.
    LeaverNotOnRoster { staff_id: String },
    /// Offboarding: this person has left already.
    LeaverAlreadyLeft { staff_id: String },
    /// Offboarding of this person started before.
    OffboardingStarted { staff_id: String },
    /// Completing this offboarding would leave no active administrator.
    OffboardingLastAdmin { staff_id: String },
    // ── quiz ───────────────────────────────────────────────────────────
    /// No bank has this key.
    NoSuchBank { key: String },
    /// A campaign deadline before today.
    DeadlinePast { date: NaiveDate },
    /// Nobody active is in the campaign's audience.
    NobodyToAssign,
    /// The person has no quiz in progress.
    NoQuizInProgress,
    /// `quiz review` without a follow-up waiting.
    NoFollowupWaiting,
    /// The bank has no questions to ask.
    EmptyBank,
    /// Answers are taken in the 1:1 chat only.
    AnswerInGroup,
    /// The tapped question is unknown or someone else's.
    StaleQuestion,
    /// The tapped question's quiz has ended (with its score if completed).
    QuizOver { score: Option<(i64, i64)> },
    /// The tapped question was answered before, with this letter.
    QuestionAnswered { letter: char },
    /// An earlier question of the quiz is still open.
    AnswerInOrder { position: i64 },
    /// The question has no option with that letter (`last` is its last one).
    NoSuchOption { last: char },
    /// The same answer arrived twice at the same moment.
    AnsweredTwice,
    // ── passwords ──────────────────────────────────────────────────────
    /// A forced change's reason is longer than `max` characters.
    ReasonTooLong { max: usize },
    /// Nobody active is in a forced change's audience.
    NobodyToReset,
    // ── confirmations ──────────────────────────────────────────────────
    /// The acting person may not make (or confirm) this request now.
    NotPermitted { needs: Access },
    /// No confirmation of this person, here, has this code (also: someone
    /// else's code, or another conversation's); `locked` when this wrong
    /// code voided their open confirmations.
    ConfirmationWrong { locked: bool },
    /// The code was right but its five minutes are over.
    ConfirmationExpired,
    /// The code was used before.
    ConfirmationUsed,
    /// The code was voided by too many wrong codes.
    ConfirmationLocked,
    // ── console and API tokens ─────────────────────────────────────────
    /// Only active admins and HR use the console (sign-in refused).
    ConsoleNotAllowed { staff_id: String },
    /// A token's label is empty or longer than `max` characters.
    TokenLabel { max: usize },
    /// The owner is not (or no longer) allowed what the scope gives.
    TokenOwnerCannotHold { staff_id: String, scope: Scope },
    /// No API token has this id.
    NoSuchToken { id: i64 },
    /// The token was revoked before.
    TokenRevoked { id: i64 },
}

/// Who reads a refusal: their language, the organisation's time zone, and
/// whether they may see the lists that admins and HR see.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub lang: Lang,
    pub tz: Tz,
    pub staff: bool,
}

impl Refusal {
    /// The refusal in words, for `viewer`.
    pub fn message(&self, viewer: Viewer) -> String {
        let lang = viewer.lang;
        let when = |ms: i64| format_local(viewer.tz, from_ms(ms));
        match self {
            // audiences
            Refusal::NoSuchDepartment { name } => t!(
                lang,
                "actions-refusal-no-department-or-name-is-ambiguous", // Typed by the user: shown inert.
                name = crate::domain::inert::inert(name)
            ),
            Refusal::GroupAudience { purpose } => group_audience(*purpose, lang),
            // notices
            Refusal::NoSuchNotice { id } if viewer.staff => {
                t!(lang, "actions-refusal-there-is-no-notice-send-notices", id)
            }
            Refusal::NoSuchNotice { id } => {
                t!(lang, "actions-refusal-there-is-no-notice-send-me", id)
            }
            Refusal::NoticeClosed { id } => {
                t!(lang, "actions-refusal-notice-is-closed", id)
            }
            Refusal::RemindedRecently { id, at_ms } => {
                let when = when(*at_ms);
                t!(
                    lang,
                    "actions-refusal-notice-was-reminded-at-to-remind",
                    id,
                    when
                )
            }
            Refusal::NoticeNotTakingAcks { id } => {
                t!(lang, "actions-refusal-notice-is-closed-and-no-longer", id)
            }
            Refusal::NotAddressed { id } => {
                t!(lang, "actions-refusal-notice-was-not-addressed-to-you", id)
            }
            Refusal::AlreadyAcked {
                id,
                at_ms: Some(at),
            } => {
                let when = when(*at);
                t!(
                    lang,
                    "actions-refusal-you-already-acknowledged-notice-at",
                    when,
                    id
                )
            }
            Refusal::AlreadyAcked { id, at_ms: None } => {
                t!(lang, "actions-refusal-you-already-acknowledged-notice", id)
            }
            Refusal::NoChecklist { id } => t!(lang, "actions-refusal-notice-has-no-checklist", id),
            Refusal::NoSuchItem { id, total } => t!(
                lang,
                "actions-refusal-notice-has-only-checklist-items",
                id,
                total
            ),
            Refusal::ItemAlreadyDone { id, item, at_ms } => {
                let (n, when) = (item, when(*at_ms));
                t!(
                    lang,
                    "actions-refusal-item-of-notice-was-already-done",
                    id,
                    n,
                    when
                )
            }
            // roles and roster
            Refusal::UnknownStaff { .. }
            | Refusal::LeftOrganisation { .. }
            | Refusal::AlreadyHasRole { .. }
            | Refusal::NoSuchRole { .. }
            | Refusal::LastAdmin { .. }
            | Refusal::RosterLeavesNoAdmin { .. }
            | Refusal::TooManyLeavers { .. } => roster::message(self, lang),
            // incidents and feedback; outbox
            Refusal::TooLong { .. }
            | Refusal::NoSuchIncident { .. }
            | Refusal::IncidentClosed { .. }
            | Refusal::NoSuchDelivery { .. }
            | Refusal::NotDeadLetter { .. }
            | Refusal::PayloadDropped { .. } => incidents::message(self, viewer),
            Refusal::TitleTooLong { .. }
            | Refusal::BadNoticeBody { .. }
            | Refusal::DeadlineInPast { .. }
            | Refusal::NoticeAlreadyClosed { .. }
            | Refusal::PastDeadline { .. }
            | Refusal::NobodyToSend { .. }
            | Refusal::NotInGroupChat { .. }
            | Refusal::AlreadyPostedToGroup { .. }
            | Refusal::NotSentYet { .. }
            | Refusal::JustReminded { .. }
            | Refusal::LeaverNotOnRoster { .. }
            | Refusal::LeaverAlreadyLeft { .. }
            | Refusal::OffboardingStarted { .. }
            | Refusal::OffboardingLastAdmin { .. } => notices::message(self, lang),
            // quiz
            Refusal::NoSuchBank { .. }
            | Refusal::DeadlinePast { .. }
            | Refusal::NobodyToAssign
            | Refusal::NoQuizInProgress
            | Refusal::NoFollowupWaiting
            | Refusal::EmptyBank
            | Refusal::AnswerInGroup
            | Refusal::StaleQuestion
            | Refusal::QuizOver { .. }
            | Refusal::QuestionAnswered { .. }
            | Refusal::AnswerInOrder { .. }
            | Refusal::NoSuchOption { .. }
            | Refusal::AnsweredTwice => quiz::message(self, lang),
            // passwords
            Refusal::ReasonTooLong { .. } | Refusal::NobodyToReset => {
                passwords::message(self, lang)
            }
            // confirmations
            Refusal::NotPermitted { .. }
            | Refusal::ConfirmationWrong { .. }
            | Refusal::ConfirmationExpired
            | Refusal::ConfirmationUsed
            | Refusal::ConfirmationLocked => confirm::message(self, lang),
            // console and API tokens
            Refusal::ConsoleNotAllowed { .. }
            | Refusal::TokenLabel { .. }
            | Refusal::TokenOwnerCannotHold { .. }
            | Refusal::NoSuchToken { .. }
            | Refusal::TokenRevoked { .. } => console::message(self, lang),
        }
    }
}

fn group_audience(purpose: Purpose, lang: Lang) -> String {
    match purpose {
        Purpose::Notice => t!(lang, "actions-refusal-notice-goes-to-people-or-to"),
        Purpose::QuizCampaign => t!(lang, "actions-refusal-quiz-campaigns-go-to-people-use"),
        Purpose::PasswordReset => t!(lang, "actions-refusal-forced-change-goes-to-all-department"),
    }
}

#[cfg(test)]
mod tests;
