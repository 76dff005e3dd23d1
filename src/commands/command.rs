//! The command language as a type: every command a user or admin can send.

use chrono::NaiveDate;

use crate::domain::Role;
pub use crate::domain::audience::Audience;
pub use crate::domain::notice::NoticeKind;
use crate::i18n::Lang;

/// A password rotation policy as typed by an admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySpec {
    /// Rotate every `days`, reminding the given number of days before.
    Periodic { days: u32, remind: Vec<u32> },
    /// NIST SP 800-63B: no periodic rotation.
    Nist,
}

/// One parsed chat command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    /// A greeting: what the bot does and where to start.
    Hello,
    /// `lang` alone shows the current language.
    Lang(Option<Lang>),
    Me,
    QuizStart {
        bank: Option<String>,
    },
    QuizList,
    QuizQuit,
    /// An answer `A`–`F`, optionally naming the question it answers (buttons do).
    Answer {
        choice: char,
        question: Option<i64>,
    },
    Ack {
        notice: Option<i64>,
    },
    /// `确认执行 CODE` / `confirm CODE`: executes a request that waits for
    /// its code (distinct from `确认`, which acknowledges a notice).
    Confirm {
        code: String,
    },
    Done {
        notice: i64,
        item: u32,
    },
    PasswordDone,
    Report {
        text: String,
    },
    Feedback {
        text: String,
    },
    NoticeNew {
        kind: NoticeKind,
        title: String,
        body: String,
    },
    NoticeTemplateExit,
    NoticeSend {
        notice: i64,
        audience: Audience,
    },
    NoticeStatus {
        notice: i64,
    },
    NoticeRemind {
        notice: i64,
        /// `now`: even within an hour of the last round.
        repeat: bool,
    },
    NoticeClose {
        notice: i64,
    },
    Notices,
    /// Where to get a notice's acknowledgement CSV.
    Export {
        notice: i64,
    },
    QuizAssign {
        bank: String,
        audience: Audience,
        by: Option<NaiveDate>,
    },
    QuizStats {
        bank: Option<String>,
    },
    /// `password policy` alone shows the current policy.
    PasswordPolicy {
        policy: Option<PolicySpec>,
    },
    PasswordStatus,
    PasswordResetRequired {
        audience: Audience,
        reason: String,
    },
    Offboard {
        staff_id: String,
    },
    RoleList,
    RoleGrant {
        staff_id: String,
        role: Role,
    },
    RoleRevoke {
        staff_id: String,
        role: Role,
    },
    Incidents,
    IncidentClose {
        incident: i64,
        note: Option<String>,
    },
    FeedbackList,
    Outbox,
    OutboxRetry {
        id: i64,
    },
}

impl Command {
    /// The command's name in the catalogue (and in bot-manifest/).
    pub fn key(&self) -> &'static str {
        match self {
            Command::Help => "help",
            Command::Hello => "hello",
            Command::Lang(_) => "lang",
            Command::Me => "me",
            Command::QuizStart { .. } => "quiz",
            Command::QuizList => "quiz list",
            Command::QuizQuit => "quiz quit",
            Command::Answer { .. } => "answer",
            Command::Ack { .. } => "ack",
            Command::Confirm { .. } => "confirm",
            Command::Done { .. } => "done",
            Command::PasswordDone => "password done",
            Command::Report { .. } => "report",
            Command::Feedback { .. } => "feedback",
            Command::NoticeNew { .. } => "notice new",
            Command::NoticeTemplateExit => "notice template exit",
            Command::NoticeSend { .. } => "notice send",
            Command::NoticeStatus { .. } => "notice status",
            Command::NoticeRemind { .. } => "notice remind",
            Command::NoticeClose { .. } => "notice close",
            Command::Notices => "notices",
            Command::Export { .. } => "export",
            Command::QuizAssign { .. } => "quiz assign",
            Command::QuizStats { .. } => "quiz stats",
            Command::PasswordPolicy { .. } => "password policy",
            Command::PasswordStatus => "password status",
            Command::PasswordResetRequired { .. } => "password reset-required",
            Command::Offboard { .. } => "offboard",
            Command::RoleList => "role list",
            Command::RoleGrant { .. } => "role grant",
            Command::RoleRevoke { .. } => "role revoke",
            Command::Incidents => "incidents",
            Command::IncidentClose { .. } => "incident close",
            Command::FeedbackList => "feedback list",
            Command::Outbox => "outbox",
            Command::OutboxRetry { .. } => "outbox retry",
        }
    }
}
