### dingwarden: the English texts.
### Every key here must also be in zh.ftl, with the same { $variables }.
### An organisation overrides single keys with its own en.ftl in
### DINGWARDEN_LOCALE_DIR (see README "Texts and translations").
### Sections (## src/…) name the source file that uses the texts.

## src/i18n/mod.rs

list-separator = , {""}

## src/commands/catalogue/table.rs

command-help-usage = help
command-help-help = Show what you can do.
command-hello-usage = hello
command-hello-help = Say hello: what the bot does and where to start.
command-quiz-usage = quiz [BANK|review]
command-quiz-help = Start or resume a security quiz; "quiz review" takes the follow-up quiz waiting for you.
command-quiz-list-usage = quiz list
command-quiz-list-help = List the quiz banks.
command-quiz-quit-usage = quiz quit
command-quiz-quit-help = Stop the quiz in progress.
command-answer-usage = A–F or answer B
command-answer-help = Answer the current quiz question.
command-me-usage = me
command-me-help = Your pending notices, checklist items, quiz results and password due date.
command-ack-usage = ack [ID]
command-ack-help = Acknowledge a notice.
command-confirm-usage = confirm CODE
command-confirm-help = Carry out a role change or offboarding you asked for, with the code it gave you (within 5 minutes).
command-done-usage = done ID ITEM
command-done-help = Tick a checklist item of a notice.
command-password-done-usage = password done
command-password-done-help = Confirm you changed your password (never send the password itself).
command-report-usage = report TEXT
command-report-help = Report a security incident to the admins.
command-feedback-usage = feedback TEXT
command-feedback-help = Send feedback to the admins.
command-lang-usage = lang zh|en
command-lang-help = Choose the language the bot answers in.
command-notice-new-usage = notice new [exit|policy|security] TITLE (body on the next lines)
command-notice-new-help = Create a notice; "deadline: YYYY-MM-DD" and "- [ ] item" lines add a deadline and a checklist.
command-notice-template-exit-usage = notice template exit
command-notice-template-exit-help = Print a ready-to-edit exit announcement.
command-notice-send-usage = notice send ID to all|dept NAME|users IDS|group
command-notice-send-help = Send a notice; answers with how many people it is sent to.
command-notice-status-usage = notice status ID
command-notice-status-help = Who acknowledged a notice, by department and checklist item.
command-notice-remind-usage = notice remind ID [now]
command-notice-remind-help = Remind everyone who has not acknowledged, now (within an hour of the last round: add now).
command-notice-close-usage = notice close ID
command-notice-close-help = Close a notice: no more reminders or acknowledgements.
command-notices-usage = notices
command-notices-help = List notices with their progress.
command-export-usage = export ID
command-export-help = Where to download a notice's acknowledgement records (CSV).
command-quiz-assign-usage = quiz assign BANK to all|dept NAME|users IDS [by YYYY-MM-DD]
command-quiz-assign-help = Run a quiz campaign with an optional deadline.
command-quiz-stats-usage = quiz stats [BANK]
command-quiz-stats-help = Completion and pass rates by department; the most missed questions.
command-password-policy-usage = password policy [DAYS [remind 7,3,1] | nist]
command-password-policy-help = Show or set the password rotation policy.
command-password-status-usage = password status
command-password-status-help = Who is due soon, overdue or confirmed, by department.
command-password-reset-required-usage = password reset-required all|dept NAME|users IDS REASON
command-password-reset-required-help = Require a password change now (e.g. after a breach).
command-offboard-usage = offboard STAFF_ID
command-offboard-help = Start a colleague's offboarding (after a confirmation code): their leaver's notice, their manager's handover checklist, the admin checklist and a summary for HR.
command-role-list-usage = role list
command-role-list-help = Who holds the admin and HR roles, and where each role came from.
command-role-grant-usage = role grant STAFF_ID admin|hr
command-role-grant-help = Give someone the admin or HR role.
command-role-revoke-usage = role revoke STAFF_ID admin|hr
command-role-revoke-help = Take the admin or HR role away.
command-incidents-usage = incidents
command-incidents-help = List reported security incidents.
command-incident-close-usage = incident close ID [NOTE]
command-incident-close-help = Close an incident with an optional note.
command-feedback-list-usage = feedback list
command-feedback-list-help = List feedback.
command-outbox-usage = outbox
command-outbox-help = Deliveries pending, failing and dead-lettered.
command-outbox-retry-usage = outbox retry ID
command-outbox-retry-help = Retry a dead-lettered delivery.
command-console-usage = console
command-console-help = The link to the web console (notices, quizzes, passwords, exports).

## src/actions/refusal/confirm.rs

actions-refusal-confirm-sorry-only-administrators-and-hr-can = Sorry, only administrators and HR can do that; nothing was done.
actions-refusal-confirm-sorry-only-administrators-can-do-that = Sorry, only administrators can do that; nothing was done.
actions-refusal-confirm-that-code-does-not-match-it = That code does not match: it is wrong, or not one you asked for in this chat. Nothing was done.
actions-refusal-confirm-that-code-does-not-match-and = That code does not match, and there were too many wrong codes: all your operations waiting for confirmation are void. Nothing was done; send the original command again if you still need it.
actions-refusal-confirm-that-code-has-expired-codes-last = That code has expired (codes last 5 minutes). Nothing was done; send the original command again if you still need it.
actions-refusal-confirm-that-code-was-used-already-it = That code was used already; it does not run twice.
actions-refusal-confirm-that-code-was-voided-after-too = That code was voided after too many wrong codes. Nothing was done; send the original command again if you still need it.

## src/actions/refusal/incidents.rs

actions-refusal-incidents-that-is-too-long-at-most = That is too long (at most { $max } characters); please shorten it.
actions-refusal-incidents-there-is-no-incident-send-incidents = There is no incident #{ $id }. Send "incidents" to see them.
actions-refusal-incidents-incident-was-already-closed-at = Incident #{ $id } was already closed at { $at }.
actions-refusal-incidents-there-is-no-delivery = There is no delivery #{ $id }.
actions-refusal-incidents-waiting = waiting
actions-refusal-incidents-sent = sent
actions-refusal-incidents-is-not-dead-letter-nothing-to = #{ $id } is not a dead letter ({ $status }); nothing to retry.
actions-refusal-incidents-can-no-longer-be-sent-its = #{ $id } can no longer be sent: its content was dropped under the retention period.

## src/actions/refusal/mod.rs

actions-refusal-no-department-or-name-is-ambiguous = No department "{ $name }" (or the name is ambiguous: give the full path, e.g. 总部/研发部).
actions-refusal-there-is-no-notice-send-notices = There is no notice #{ $id }. Send "notices" to list them.
actions-refusal-there-is-no-notice-send-me = There is no notice #{ $id }. Send "me" to see what is pending for you.
actions-refusal-notice-is-closed = Notice #{ $id } is closed.
actions-refusal-notice-was-reminded-at-to-remind = Notice #{ $id } was reminded at { $when }. To remind again anyway, send "notice remind { $id } now".
actions-refusal-notice-is-closed-and-no-longer = Notice #{ $id } is closed and no longer takes acknowledgements or ticks.
actions-refusal-notice-was-not-addressed-to-you = Notice #{ $id } was not addressed to you. Send "me" to see what is pending for you.
actions-refusal-you-already-acknowledged-notice-at = You already acknowledged notice #{ $id } at { $when }.
actions-refusal-you-already-acknowledged-notice = You already acknowledged notice #{ $id }.
actions-refusal-notice-has-no-checklist = Notice #{ $id } has no checklist.
actions-refusal-notice-has-only-checklist-items = Notice #{ $id } has only { $total } checklist items.
actions-refusal-item-of-notice-was-already-done = Item { $n } of notice #{ $id } was already done at { $when }.
actions-refusal-notice-goes-to-people-or-to = A notice goes to people or to this group.
actions-refusal-quiz-campaigns-go-to-people-use = Quiz campaigns go to people: use all, dept NAME or users IDS.
actions-refusal-forced-change-goes-to-all-department = A forced change goes to all, a department or users.

## src/actions/refusal/notices.rs

actions-refusal-notices-title-is-too-long-at-most = The title is too long (at most { $max } characters).
actions-refusal-notices-deadline-is-in-past-use-today = The deadline { $d } is in the past; use today ({ $today }) or later.
actions-refusal-notices-notice-is-already-closed = Notice #{ $id } is already closed.
actions-refusal-notices-deadline-of-notice-has-passed = The deadline of notice #{ $id } has passed.
actions-refusal-notices-nobody-to-send-it-to-no = Nobody to send it to (no active roster users match).
actions-refusal-notices-group-works-only-in-group-chat = "group" works only in a group chat: @mention me with this command in that group.
actions-refusal-notices-notice-was-already-posted-to-this = Notice #{ $id } was already posted to this group.
actions-refusal-notices-notice-has-not-been-sent-yet = Notice #{ $id } has not been sent yet.
actions-refusal-notices-reminder-was-just-sent = A reminder was just sent.
actions-refusal-notices-there-is-no-on-roster = There is no { $staff_id } on the roster.
actions-refusal-notices-has-already-left = { $staff_id } has already left.
actions-refusal-notices-offboarding-of-has-already-started-send = Offboarding of { $staff_id } has already started. Send "notices" to see its notices.
actions-refusal-notices-is-last-administrator-so-their-offboarding = { $staff_id } is the last administrator, so their offboarding cannot complete. Grant the role to someone else first.
actions-refusal-notices-cannot-read-deadline-write-it-as = Cannot read the deadline "{ $v }"; write it as "deadline: YYYY-MM-DD".
actions-refusal-notices-body-has-two-deadline-lines-keep = The body has two deadline lines; keep one.
actions-refusal-notices-checklist-has-at-most-items = A checklist has at most { $max_items } items.
actions-refusal-notices-checklist-item-is-empty-or-too = Checklist item { $n } is empty or too long (at most { $max_item_chars } characters).
actions-refusal-notices-body-is-too-long = The body is too long.

## src/actions/refusal/passwords.rs

actions-refusal-passwords-reason-is-too-long-at-most = The reason is too long (at most { $max } characters).
actions-refusal-passwords-nobody-active-matches-that-audience-nothing = Nobody active matches that audience; nothing was sent.

## src/actions/refusal/quiz.rs

actions-refusal-quiz-there-is-no-quiz-bank-called = There is no quiz bank called "{ $key }". Send "quiz list" to see the banks.
actions-refusal-quiz-deadline-is-in-past = The deadline { $d } is in the past.
actions-refusal-quiz-nobody-active-matches-that-audience = Nobody active matches that audience.
actions-refusal-quiz-you-have-no-quiz-in-progress = You have no quiz in progress. Send "quiz" to start one.
actions-refusal-quiz-no-follow-up-quiz-is-waiting = No follow-up quiz is waiting for you. Send "quiz" to take a full quiz.
actions-refusal-quiz-that-bank-has-no-questions-to = That bank has no questions to ask.
actions-refusal-quiz-please-answer-in-our-1-1 = Please answer in our 1:1 chat.
actions-refusal-quiz-i-can-t-find-that-question = I can't find that question; it may be out of date. Send "quiz" to continue or start a quiz.
actions-refusal-quiz-that-quiz-is-over-score-this = That quiz is over (score { $score }/{ $total }); this answer does not count. Send "quiz" to start a new one.
actions-refusal-quiz-that-quiz-is-over-this-answer = That quiz is over; this answer does not count. Send "quiz" to start a new one.
actions-refusal-quiz-you-have-already-answered-that-question = You have already answered that question (you chose { $l }); it is not scored twice. Send "quiz" to see the current question.
actions-refusal-quiz-please-answer-question-first-send-quiz = Please answer question { $k } first. Send "quiz" to see it.
actions-refusal-quiz-this-question-has-options-please-choose = This question has options A–{ $last }; please choose one of them.
actions-refusal-quiz-you-have-already-answered-that-question-2 = You have already answered that question.

## src/actions/refusal/roster.rs

actions-refusal-roster-i-don-t-know-staff-id = I don't know staff id { $staff_id } yet: import the roster, or ask them to message me once.
actions-refusal-roster-has-left-organisation-roles-cannot-be = { $staff_id } has left the organisation; roles cannot be granted to them.
actions-refusal-roster-already-has-role = { $name } already has the { $r } role.
actions-refusal-roster-does-not-have-role = { $name } does not have the { $r } role.
actions-refusal-roster-is-last-administrator-so-role-stays = { $name } is the last administrator, so the role stays. Grant it to someone else first.
actions-refusal-roster-import = import
actions-refusal-roster-sync = sync
actions-refusal-roster-this-would-leave-no-active-administrator = this { $what } would leave no active administrator (nothing was changed); grant the admin role to someone who stays first
actions-refusal-roster-and-more = {""} and { $more } more
actions-refusal-roster-this-would-mark-of-active-users = this { $what } would mark { $leaving } of { $active } active users as left, more than allowed ({ $max_percent }% or 20 people), so nothing was changed: { $list }{ $more }. If that is right, run it again with --allow-leavers { $leaving }

## src/commands/audience.rs

commands-audience-skipped-not-on-roster-or-left =
    {""}
    Skipped (not on the roster, or left): { $list }

## src/commands/help.rs

commands-help-dingwarden-security-assistant =
    ### dingwarden security assistant
    {""}
commands-help-everyone = {""}**Everyone**
commands-help-admins-and-hr = {""}**Admins and HR**
commands-help-admins = {""}**Admins**
commands-help-commands-are-case-insensitive-in-chinese =
    {""}
    Commands are case-insensitive, in Chinese or English. Never send a password in chat.
commands-help-help = Help
commands-help-or-say = {""} Or say: { $list }
commands-help-hello-i-am-security-assistant-i =
    Hello! I am the security assistant: I send security and offboarding notices, quizzes and password reminders, and keep your acknowledgements.
    Send "me" to see what is waiting for you.
    Send "help" to see every command.
commands-help-me = Me
commands-help-me-2 = me
commands-help-help-2 = help
commands-help-hello = Hello
commands-help-is-not-valid-date-format-2026 = { $value } is not a valid date (format 2026-12-31)
commands-help-is-not-valid-number-whole-number = { $value } is not a valid number (a whole number from { $min } to { $max })
commands-help-is-not-valid-number-whole-number-2 = { $value } is not a valid number (a whole number from { $min })
commands-help-usage =
    { $what }.
    Usage: { $usage }
    { $help }
commands-help-usage-2 =
    Usage: { $usage }
    { $help }
commands-help-sorry-i-didn-t-understand-that = Sorry, I didn't understand that. Send "help" to see what I can do.
commands-help-is-not-valid-id-e-g = { $value } is not a valid ID (e.g. 3 or #3)

## src/commands/incident.rs

commands-incident-thank-you-for-reporting-this-it = Thank you for reporting this! It is recorded as security incident #{ $id } and the administrators have been told. If it is urgent, please also contact the security team directly.
commands-incident-security-incidents-open =
    ### Security incidents

    {""}**Open ({ $open_total })**

    {""}
commands-incident-nothing-open =
    Nothing open.
    {""}
commands-incident-and-more =
    - …and { $more } more
    {""}
commands-incident-recently-closed =
    {""}
    {""}**Recently closed**

    {""}
commands-incident-when-one-is-handled-send-incident =
    {""}
    When one is handled, send "incident close ID [note]".
commands-incident-incidents = Incidents
commands-incident-id-at-who-what = - #{ $id } { $at } { $who }: { $what }
commands-incident-closed = {""} (closed { $closed })
commands-incident-incident-is-closed-i-have-let = Incident #{ $id } is closed; I have let the reporter know.
commands-incident-incident-is-closed = Incident #{ $id } is closed.
commands-incident-thank-you-for-feedback-it-is = Thank you for the feedback! It is recorded as #{ $id } for the administrators.
commands-incident-feedback-in-all =
    ### Feedback ({ $total } in all)

    {""}
commands-incident-no-feedback-yet = No feedback yet.
commands-incident-id-at-who-what-2 =
    - #{ $id } { $at } { $who }: { $what }
    {""}
commands-incident-showing-latest =
    {""}
    Showing the latest { $feedback_shown }.
commands-incident-feedback = Feedback

## src/commands/me.rs

commands-me-what-is-pending-for-you =
    ### What is pending for you
    {""}
commands-me-nothing-is-pending =
    {""}
    Nothing is pending.

## src/commands/mod.rs

commands-sorry-i-only-serve-members-of = Sorry, I only serve members of this organisation.
commands-i-can-only-read-text-messages = I can only read text messages for now. Send "help" to see what I can do.
commands-sorry-only-administrators-and-hr-can = Sorry, only administrators and HR can do that. Send "help" to see what you can do.
commands-sorry-only-administrators-can-do-that = Sorry, only administrators can do that. Send "help" to see what you can do.
commands-that-feature-is-not-available-yet = That feature is not available yet. Send "help" to see what I can do.
commands-sorry-something-went-wrong-please-try = Sorry, something went wrong; please try again later (ref { $reference }).

## src/commands/outbox.rs

commands-outbox-outbox-waiting =
    ### Outbox

    Waiting: { $pending }
commands-outbox-longest-waiting-one-has-been-due = , the longest-waiting one has been due for { $secs } s
commands-outbox-failing-will-retry =
    {""}

    {""}**Failing, will retry ({ $failing_n })**
    {""}
commands-outbox-dead-letters =
    {""}

    {""}**Dead letters ({ $dead_n })**
    {""}
commands-outbox-send-outbox-retry-id-to-send =
    {""}

    Send "outbox retry ID" to send a dead letter again.
commands-outbox-outbox = Outbox
commands-outbox-none = - none
commands-outbox-attempt-s = - #{ $id } { $to } · { $attempts } attempt(s)
commands-outbox-next = {""} · next { $at }
commands-outbox-error = {""} · error: { $e }
commands-outbox-1-1-to = 1:1 to { $n }
commands-outbox-group = group
commands-outbox-custom-robot = custom robot
commands-outbox-ok-is-queued-again-and-will = OK, #{ $id } is queued again and will be sent shortly.

## src/commands/roster.rs

commands-roster-please-mention-exactly-one-colleague-or = Please @mention exactly one colleague, or write their staff id.
commands-roster-roles =
    ### Roles
    {""}
commands-roster-from =
    {""}
    - { $who }: { $role } (from { $from })
commands-roster-left = {""} · left
commands-roster-role-grant-staff-id-admin-hr =
    {""}

    "role grant STAFF_ID admin|hr" grants, "role revoke STAFF_ID admin|hr" takes away.
commands-roster-roles-2 = Roles
commands-roster-configuration = the configuration
commands-roster-grant-in-chat = a grant in chat
commands-roster-roster-import = the roster import
commands-roster-dingtalk-admin = DingTalk admin
commands-roster-now-has-role-i-have-let = { $name } now has the { $r } role; I have let them know.
commands-roster-no-longer-has-role = { $name } no longer has the { $r } role.
commands-roster-note-role-comes-from-service-configuration =
    {""}
    Note: the role comes from the service configuration (DINGWARDEN_ADMINS / DINGWARDEN_HR); remove it there too, or it returns at the next restart.
commands-roster-note-they-administer-dingtalk-organisation-and =
    {""}
    Note: they administer the DingTalk organisation and DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS is on, so the role returns with their next message or sync.

## src/commands/settings.rs

commands-settings-current-language-english-send-lang-zh = Current language: English. Send "lang zh" to switch to Chinese.
commands-settings-ok-i-will-answer-you-in = OK, I will answer you in English from now on.

## src/commands/notice/ack.rs

commands-notice-ack-you-have-no-notices-to-acknowledge = You have no notices to acknowledge.
commands-notice-ack-you-have-notices-to-acknowledge-which = You have { $n } notices to acknowledge; which one?
commands-notice-ack-notices-to-acknowledge = Notices to acknowledge
commands-notice-ack-acknowledged-notice-thank-you = Acknowledged notice #{ $id } "{ $title }". Thank you!
commands-notice-ack-checklist-items-left =
    {""}

    { $k } checklist items left:
commands-notice-ack-checklist-is-complete =
    {""}

    The checklist is complete.
commands-notice-ack-don-t-forget-to-acknowledge-notice =
    {""}

    Don't forget to acknowledge the notice: reply "{ $ack }".
commands-notice-ack-notice = Notice #{ $id }
commands-notice-ack-done-item-of-notice = Done: item { $n } of notice #{ $id }, { $what } ({ $done }/{ $total })
commands-notice-ack-notices = {""}**Notices**
commands-notice-ack-due-overdue = {""} (due { $d }, overdue)
commands-notice-ack-due = {""} (due { $d })
commands-notice-ack-to-acknowledge-reply =
    {""}
    - to acknowledge: reply "{ $ack }"
commands-notice-ack-reply =
    {""}
    - ☐ { $n }. { $item } (reply "{ $done }")

## src/commands/notice/author.rs

commands-notice-author-deadline = deadline { $d }
commands-notice-author-no-deadline = no deadline
commands-notice-author-created-notice-checklist-items = Created notice #{ $id } "{ $title }" ({ $deadline }, { $items } checklist items).
commands-notice-author-send-it-notice-send-to-all =
    {""}

    Send it: notice send { $id } to all | dept NAME | users ID,ID | group
commands-notice-author-here-is-exit-announcement-template-copy = Here is an exit announcement template: copy the whole next message, edit the [bracketed] parts and the deadline, and send it back to create the notice.
commands-notice-author-closed-notice-no-more-reminders-or = Closed notice #{ $id }: no more reminders or acknowledgements. Send "notice status { $id }" for the final figures.
commands-notice-author-offboarding-is-complete-is-marked-as =
    {""}
    Offboarding is complete: { $shown } is marked as left and holds no role any more.
domain-notice-messages-tip-lines-starting-with-are-plain =
    {""}

    Tip: lines starting with "- " are a plain list. For items people tick one by one, write each as "- [ ] item".

## src/commands/notice/export.rs

commands-notice-export-acknowledgements-of-notice =
    ### Acknowledgements of notice #{ $id } "{ $title }"

    {""}
commands-notice-export-download-csv-sign-in-to-console =
    {""}[Download the CSV]({ $csv }) (sign in to the console first; every download is audited)

    {""}[See the notice in the console]({ $page })
commands-notice-export-on-server-run-dingwarden-export-acks =
    On the server, run:

    dingwarden export acks { $id } > notice-{ $id }.csv

    or through the API (needs DINGWARDEN_ADMIN_TOKEN):

    curl -H "Authorization: Bearer $DINGWARDEN_ADMIN_TOKEN" -o notice-{ $id }.csv https://SERVICE/api/v1/notices/{ $id }/acks.csv

    With DINGWARDEN_PUBLIC_URL set, this answer links to the download in the console.
commands-notice-export-export-notice = Export notice #{ $id }
commands-notice-export-open-console-sign-in-required-notice = {""}[Open the console]({ $link }) (sign-in required): notice progress, quizzes, password status and exports.
commands-notice-export-console-is-at-admin-on-this = The console is at /admin/ on this service (e.g. https://SERVICE/admin/). With DINGWARDEN_PUBLIC_URL set, this answer links to it.
commands-notice-export-console = Console

## src/commands/notice/offboard.rs

commands-notice-offboard-offboarding-of-started-due-leaver-s =
    Offboarding of { $name } started (due { $d }):
    - leaver's notice #{ $leaver } is sent to them
    - admin checklist #{ $admin } is sent to { $admins ->
        [one] { $admins } admin
       *[other] { $admins } admins
    }
commands-notice-offboard-handover-checklist-is-sent-to-their =
    {""}
    - handover checklist #{ $id } is sent to their manager { $m }
commands-notice-offboard-roster-names-no-active-manager-so =
    {""}
    - the roster names no active manager, so no handover checklist was sent
commands-notice-offboard-hr-told =
    {""}
    - HR told ({ $hr ->
        [one] { $hr } person
       *[other] { $hr } people
    })
commands-notice-offboard-send-notice-status-to-see-who =
    {""}
    Send "notice status { $admin }" to see who did what.

## src/commands/notice/send.rs

commands-notice-send-notice-is-sent-to = Notice #{ $id } is sent to { $n ->
        [one] { $n } person
       *[other] { $n } people
    }.
commands-notice-send-had-already-received-it-and-are =
    {""}
    { $already } had already received it and are not sent it again.
commands-notice-send-notice-is-sent-to-this-group = Notice #{ $id } is sent to this group. Members acknowledge it by replying "ack #{ $id }" in their 1:1 chat with me, or by @mentioning me with it in the group; whoever does is counted.
commands-notice-send-nobody-to-remind-for-notice-everyone = Nobody to remind for notice #{ $id }: everyone has acknowledged.
commands-notice-send-reminded = Reminded { $n ->
        [one] { $n } person
       *[other] { $n } people
    }.
commands-notice-send-it-is-quiet-hours-will-be = It is quiet hours; { $n ->
        [one] { $n } person
       *[other] { $n } people
    } will be reminded at { $when }.

## src/commands/notice/status.rs

commands-notice-status-draft = draft
commands-notice-status-closed = closed
commands-notice-status-no-notices-yet-send-notice-template = No notices yet. Send "notice template exit" for a template, or "notice new TITLE".
commands-notice-status-notices =
    ### Notices
    {""}
commands-notice-status-acked = {""} · acked { $acked }/{ $total } ({ $pct }%)
commands-notice-status-due = {""} · due { $d }
commands-notice-status-notices-2 = Notices
commands-notice-status-not-acknowledged-yet-first =
    {""}

    {""}**Not acknowledged yet (first { $shown })**
    { $list }
commands-notice-status-notice-status = Notice #{ $id } status
commands-notice-status-notice-status-2 =
    ### Notice #{ $id }: { $title }

    Status: { $state }
commands-notice-status-first-sent = {""} (first sent { $when })
commands-notice-status-no-deadline = {""} · no deadline
commands-notice-status-acknowledged-pending-overdue-left-delivered-unde =
    {""}

    {""}**Acknowledged { $acked }/{ $total } ({ $pct }%)**
    - pending { $pending } · overdue { $overdue } · left { $left }
    - delivered { $delivered } · undeliverable { $failed }
commands-notice-status-by-department =
    {""}

    {""}**By department**
commands-notice-status-no-department = (no department)
commands-notice-status-name-acked-total-pct =
    {""}
    - { $name }: { $acked }/{ $total } ({ $pct }%)
commands-notice-status-and-more-departments =
    {""}
    - and { $more } more departments
commands-notice-status-checklist =
    {""}

    {""}**Checklist**
commands-notice-status-n-item-done-total-pct =
    {""}
    { $n }. { $item }: { $done }/{ $total } ({ $pct }%)
commands-notice-status-all-items-done =
    {""}
    All items done: { $complete }/{ $total }
commands-notice-status-who-did-what =
    {""}

    {""}**Who did what**
commands-notice-status-who-at = { $who } ({ $at })
commands-notice-status-not-done-yet = not done yet
commands-notice-status-n-by =
    {""}
    { $n }. { $by }

## src/commands/password/mod.rs

commands-password-current-password-policy-change-it-with =
    Current password policy: { $desc }. { $escalation }
    Change it with: password policy DAYS [remind 7,3,1], or password policy nist.
commands-password-password-policy-updated = Password policy updated: { $desc }. { $escalation }
commands-password-managers-are-told-once-when-password = Managers are told once when a password is { $days } days overdue (or a forced change is { $days } days old).
commands-password-managers-are-not-told = Managers are not told.
commands-password-recorded-thank-you-your-next-password = Recorded, thank you! Your next password change is due on { $due }.
commands-password-recorded-thank-you-current-policy-has = Recorded, thank you! The current policy has no periodic changes; the administrators will tell you if a change is needed.
commands-password-required-change-is-marked-as-done =
    {""}
    The required change ({ $ids }) is marked as done.
commands-password-remember-nobody-will-ever-ask-for =
    {""}
    Remember: nobody will ever ask for your password; never send it in chat.
commands-password-forced-password-change-is-sent-to = Forced password change #{ $id } is sent to { $n ->
        [one] { $n } person
       *[other] { $n } people
    }. They are reminded daily (outside quiet hours) until they reply "password done".
commands-password-after-their-manager-is-told = {""} After { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, their manager is told.
commands-password-required-password-change-administrators-require = - **Required password change #{ $id }**: the administrators require you to change your password now (reason: { $reason }). Reply "password done" when done.
commands-password-password = {""}**Password**
commands-password-should-be-changed-by-please-change = - Should be changed by { $due }: please change it now, then reply "password done".
commands-password-was-due-on-overdue-please-change = - Was due on { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue): please change it now, then reply "password done".
commands-password-due-on-left-reply-password-done = - Due on { $due } ({ $days_left ->
        [one] { $days_left } day
       *[other] { $days_left } days
    } left). Reply "password done" once changed.
commands-password-next-change-due-on = - Next change due on { $due }.

## src/commands/password/status.rs

commands-password-status-staff-due-soon-overdue-confirmed-forced = { $total } staff, { $due_soon } due soon, { $overdue } overdue, { $confirmed } confirmed, { $forced } forced change pending
commands-password-status-staff-confirmed-forced-change-pending = { $total } staff, { $confirmed } confirmed, { $forced } forced change pending
commands-password-status-punctuation = : {""}
commands-password-status-password-status = Password status
commands-password-status-password-status-policy-in-total-by =
    ### Password status

    Policy: { $desc }.

    In total: { $totals }.

    {""}**By department**

    {""}
commands-password-status-overdue-first-of =
    {""}
    {""}**Overdue (first { $shown } of { $n })**

    {""}
commands-password-status-due-overdue =
    - { $who }: due { $due }, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue
    {""}
commands-password-status-forced-change-pending-first-of =
    {""}
    {""}**Forced change pending (first { $shown } of { $n })**

    {""}
commands-password-status-name-id-dept = { $name } ({ $id }, { $dept })
commands-password-status-name-id = { $name } ({ $id })

## src/commands/quiz/admin.rs

commands-quiz-admin-due = , due { $d }
commands-quiz-admin-created-quiz-campaign-for-invitations-are = Created quiz campaign #{ $id }: "{ $title }" for { $n ->
        [one] { $n } person
       *[other] { $n } people
    }{ $by }. Invitations are sent; people who have not passed get reminders, and their managers and HR are told at the deadline.
commands-quiz-admin-passed-this-bank-recently-counted-as =
    {""}
    { $passed ->
        [one] { $passed } person
       *[other] { $passed } people
    } passed this bank recently: counted as passed, not invited.
commands-quiz-admin-quiz-stats-version =
    ### Quiz stats: "{ $title }" (version { $v })
    {""}
commands-quiz-admin-quiz-stats = Quiz stats

## src/commands/quiz/mod.rs

commands-quiz-quiz-in-progress-question-send-quiz = - Quiz in progress: "{ $title }", question { $k }/{ $n }; send "quiz" to continue
commands-quiz-follow-up-quiz-is-ready-send = - A follow-up quiz is ready: send "quiz review"
commands-quiz-when-title-score-total-verdict = - { $when } "{ $title }" { $score }/{ $total } { $verdict }
commands-quiz-security-quizzes = {""}**Security quizzes**
commands-quiz-quiz-was-due-on-and-is = - Quiz #{ $id } "{ $title }" was due on { $date } and is not passed yet: send "quiz { $key }"
commands-quiz-quiz-due-not-passed-yet-send = - Quiz #{ $id } "{ $title }" due { $date }, not passed yet: send "quiz { $key }"
commands-quiz-quiz-not-passed-yet-send-quiz = - Quiz #{ $id } "{ $title }" not passed yet: send "quiz { $key }"
commands-quiz-passed = passed
commands-quiz-not-passed = not passed

## src/commands/quiz/report.rs

commands-quiz-report-by-department-completed-finished-at-least =
    {""}
    {""}**By department** (completed: finished at least one full quiz)

    {""}
commands-quiz-report-total = {""}**Total**
commands-quiz-report-completed-passed =
    - { $name }: completed { $completed }/{ $members } ({ $cp }%), passed { $passed }/{ $members } ({ $pp }%)
    {""}
commands-quiz-report-campaigns =
    {""}
    {""}**Campaigns**

    {""}
commands-quiz-report-open = open
commands-quiz-report-past-deadline = past deadline
commands-quiz-report-none = none
commands-quiz-report-due-passed =
    - #{ $id } due { $due }: passed { $passed }/{ $members } ({ $state })
    {""}
commands-quiz-report-most-missed-questions =
    {""}
    {""}**Most missed questions**

    {""}
commands-quiz-report-no-wrong-answers-yet =
    No wrong answers yet.
    {""}
commands-quiz-report-missed-times =
    { $n }. { $prompt } ({ $key }): missed { $wrong }/{ $of } times
    {""}

## src/commands/quiz/take.rs

commands-quiz-take-quizzes-happen-in-our-1-1 = Quizzes happen in our 1:1 chat; I have sent you the question there.
commands-quiz-take-stopped-quiz-answered-no-score-recorded = Stopped the quiz "{ $title }" ({ $k }/{ $n } answered; no score recorded). Send "quiz" to start again at any time.
commands-quiz-take-quiz-banks =
    ### Quiz banks

    {""}
commands-quiz-take-questions-per-quiz-to-pass =
    - **{ $key }** "{ $title }": { $n } questions, { $per } per quiz, { $pp }% to pass
    {""}
commands-quiz-take-send-quiz-bank-to-start-one =
    {""}
    Send "quiz BANK" to start one, e.g. "quiz default".
commands-quiz-take-quiz-banks-2 = Quiz banks

## src/commands/suggest/mod.rs

commands-suggest-i-didn-t-understand-did-you =
    I didn't understand "{ $typed }". Did you mean:
    {""}
commands-suggest-did-you-mean = Did you mean…
commands-suggest-goes-with =
    "{ $word }" goes with:
    {""}
commands-suggest-send-help-to-see-every-command =
    {""}

    Send "help" to see every command.
commands-suggest-commands = Commands

## src/domain/confirm.rs

domain-confirm-this-will-give-role = This will give { $name } the { $r } role.
domain-confirm-this-will-take-role-away-from = This will take the { $r } role away from { $name }.
domain-confirm-this-will-start-offboarding-of-they = This will start the offboarding of { $name }: they are marked as leaving and get the leaver's notice; their manager, the admins and HR get their checklists or notice.
domain-confirm-this-needs-your-confirmation-within-5 =
    This needs your confirmation. Within 5 minutes (before { $until }), send in this chat:
    confirm { $code }
    Nothing happens otherwise.

## src/domain/incident.rs

domain-incident-security-incident = Security incident #{ $id }
domain-incident-new-security-incident-reported-at =
    ### New security incident #{ $id }

    { $reporter } reported at { $at }:

    { $body }
domain-incident-list-incidents = List incidents
domain-incident-incidents = incidents
domain-incident-incident-closed = Incident #{ $id } closed
domain-incident-security-incident-you-reported-has-been = The security incident #{ $id } you reported has been handled and closed. Thank you for being vigilant!{ $extra }

## src/domain/user.rs

domain-user-administrator = administrator
domain-user-hr = HR
domain-user-name-staff-id = { $name } ({ $staff_id })
domain-user-gave-you-role-send-help-to = { $by } gave you the { $r } role. Send "help" to see what you can do now.
domain-user-took-away-your-role = { $by } took away your { $r } role.

## src/domain/notice/messages.rs

domain-notice-messages-ack = ack #{ $id }
domain-notice-messages-done = done #{ $id } { $n }
domain-notice-messages-acknowledge = Acknowledge
domain-notice-messages-done-2 = Done { $n }. { $item }
domain-notice-messages-deadline =
    {""}

    {""}**Deadline: { $d }**
domain-notice-messages-notice = Notice #{ $id }: { $t }
domain-notice-messages-notice-tap-acknowledge-or-reply-ack =
    {""}

    ---
    Notice #{ $id }: tap "Acknowledge" or reply "ack #{ $id }".
domain-notice-messages-tick-each-checklist-item-as-you = {""} Tick each checklist item as you finish it with its button or "done #{ $id } N".
domain-notice-messages-please-reply-ack-in-your-1 =
    {""}

    ---
    Please reply "ack #{ $id }" in your 1:1 chat with me to acknowledge (or @mention me here).
domain-notice-messages-tick-checklist-items-with-done-n = {""} Tick checklist items with "done #{ $id } N".
domain-notice-messages-you-have-not-acknowledged-this-notice =
    ### { $title }

    You have not acknowledged this notice (#{ $id }) yet.
domain-notice-messages-tap-acknowledge-or-reply-ack-send =
    {""}

    Tap "Acknowledge" or reply "ack #{ $id }"; send "me" to see everything pending.
domain-notice-messages-reminder-please-acknowledge-notice = Reminder: please acknowledge notice #{ $id }
domain-notice-messages-overdue-notice-was-due-of-your =
    ### Overdue: notice #{ $id }

    {""}**{ $title }** was due { $deadline }; { $count } of your reports have not acknowledged it: { $names }.

    Please ask them to act on it.
domain-notice-messages-overdue-notice = Overdue: notice #{ $id }
domain-notice-messages-deadline-summary-notice-acknowledged-overdue-lef =
    ### Deadline summary: notice #{ $id }

    {""}**{ $title }**

    - acknowledged { $acked }/{ $total } ({ $pct }%)
    - overdue { $overdue }
    - left the organisation { $left }
    - managers notified { $managers }
domain-notice-messages-overdue =
    {""}

    Overdue: { $names }
domain-notice-messages-send-notice-status-for-details =
    {""}

    Send "notice status { $id }" for details.
domain-notice-messages-deadline-summary-notice = Deadline summary: notice #{ $id }
domain-notice-messages-reminders-over-notice-has-no-deadline =
    ### Reminders over: notice #{ $id }

    {""}**{ $title }** has no deadline; after { $reminders ->
        [one] { $reminders } reminder
       *[other] { $reminders } reminders
    } the bot stops reminding. { $pending ->
        [one] { $pending } person
       *[other] { $pending } people
    } still pending: { $names }.

    To remind them again, send "notice remind { $id }"; send "notice status { $id }" for details.
domain-notice-messages-reminders-over-notice = Reminders over: notice #{ $id }

## src/domain/notice/mod.rs

domain-notice-exit = Exit
domain-notice-offboarding = Offboarding
domain-notice-policy = Policy
domain-notice-security = Security

## src/domain/notice/templates.rs

domain-notice-templates-notice-new-exit-leaving-old-platform =
    notice new exit Leaving [old platform]
    Dear colleagues,

    We stop using [old platform] on { $deadline }: accounts will then be closed and their data deleted. Please finish these steps before the deadline:

    - [ ] Back up your files and chat records
    - [ ] Export your contacts
    - [ ] Move your ongoing work to [new tool]
    - [ ] Hand over the shared documents and groups you own
    - [ ] Sign in to [new tool] and confirm your new account works
    - [ ] Give feedback so we can improve the move

    deadline: { $deadline }

    Questions? Contact the IT service desk.
domain-notice-templates-before-you-leave = Before you leave: { $name }
domain-notice-templates-hello-thank-you-for-your-work =
    Hello { $name },

    Thank you for your work here. Before you leave, please:

    - [ ] Hand over your work files, documents and shared spaces to your manager or successor
    - [ ] Hand over the accounts, groups and app permissions you manage
    - [ ] Return company devices (laptop, phone, badge, security keys)
    - [ ] Export what you may keep (payslips, personal certificates); company data stays here

    deadline: { $deadline }
domain-notice-templates-offboarding-checklist = Offboarding checklist: { $name } ({ $staff_id })
domain-notice-templates-is-leaving-admins-please-revoke-their =
    { $name } ({ $staff_id }) is leaving. Admins, please:

    - [ ] Revoke their system, app and data permissions
    - [ ] Transfer their group ownerships and group admin rights
    - [ ] Transfer ownership of their documents and shared spaces
    - [ ] Archive the work data that must be kept
    - [ ] Remove them from the roster (deactivate the account)

    deadline: { $deadline }
domain-notice-templates-handover-checklist = Handover checklist: { $name } ({ $staff_id })
domain-notice-templates-who-reports-to-you-is-leaving =
    { $name } ({ $staff_id }), who reports to you, is leaving. As their manager, please take over:

    - [ ] Their work files, documents and shared spaces
    - [ ] The business accounts they manage (take over or close)
    - [ ] Their group ownerships and group admin rights
    - [ ] Their customer and partner contacts, telling them who their new contact is

    deadline: { $deadline }
domain-notice-templates-offboarding-started-by-due-leaver-s =
    Offboarding started: { $leaver } (by { $by }, due { $d })
    - leaver's notice #{ $ln } went to them
    - admin checklist #{ $an } went to { $admins ->
        [one] { $admins } admin
       *[other] { $admins } admins
    }
domain-notice-templates-handover-checklist-went-to-their-manager =
    {""}
    - handover checklist #{ $id } went to their manager { $m }
domain-notice-templates-send-notice-status-to-see-who =
    {""}
    Send "notice status { $an }" to see who did what.

## src/domain/password/messages.rs

domain-password-messages-how-to-change-it-dingtalk-open =
    {""}**How to change it:**

    - DingTalk: open My → Settings → Account and Security and change your login password;
    - Other company systems (email, VPN, OA…): use that system's account settings or the company's single sign-on portal, or ask the IT service desk;
    - Choose a long password that you use nowhere else; a company-approved password manager helps.

    When you are done, reply "password done". This bot and IT staff will **never** ask for your password: never send it in any chat.
domain-password-messages-i-changed-it = I changed it
domain-password-messages-password-done = password done
domain-password-messages-your-password-is-due-soon = Your password is due soon
domain-password-messages-your-password-is-due-on-from = Your password is due on **{ $due }** ({ $n ->
        [one] { $n } day
       *[other] { $n } days
    } from now). Please change it before then.
domain-password-messages-your-password-is-due-today = Your password is due today
domain-password-messages-your-password-is-due-today-please = Your password is due today (**{ $due }**). Please change it today.
domain-password-messages-your-password-is-overdue = Your password is overdue
domain-password-messages-your-password-was-due-on-and = Your password was due on **{ $due }** and is { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue. Please change it now.
domain-password-messages-time-to-change-your-password = Time to change your password
domain-password-messages-under-company-s-password-policy-your = Under the company's password policy your password should have been changed by **{ $due }** (counted from the last change on the roster). Please change it soon.
domain-password-messages-your-password-still-needs-changing = Your password still needs changing
domain-password-messages-we-asked-you-on-to-change = We asked you on **{ $since }** to change your password; { $days ->
        [one] { $days } day
       *[other] { $days } days
    } later we have no confirmation yet. Please change it now.
domain-password-messages-colleague-s-password-is-overdue = A colleague's password is overdue
domain-password-messages-has-not-confirmed-password-change-they = { $name } ({ $staff_id }) has not confirmed a password change: they were reminded on { $since }, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } ago.
domain-password-messages-has-not-confirmed-password-change-it = { $name } ({ $staff_id }) has not confirmed a password change: it was due on { $due } and is { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue.
domain-password-messages-please-remind-them-to-change-it =
    ### { $title }

    { $fact }

    Please remind them to change it and to reply "password done" to this bot. Never ask them to send you the password.
domain-password-messages-change-your-password-now = Change your password now
domain-password-messages-administrators-require-you-to-change-your =
    ### { $title } (#{ $reset_id })

    The administrators require you to change your password now. Reason: { $reason }

    { $how }
domain-password-messages-password-change-still-pending = Password change still pending
domain-password-messages-administrators-asked-you-ago-to-change =
    ### { $title } (#{ $reset_id })

    The administrators asked you { $days ->
        [one] { $days } day
       *[other] { $days } days
    } ago to change your password (reason: { $reason }), and you have not confirmed yet.

    { $how }
domain-password-messages-colleague-has-not-changed-their-password = A colleague has not changed their password
domain-password-messages-was-asked-ago-to-change-their =
    ### { $title }

    { $name } ({ $staff_id }) was asked { $days ->
        [one] { $days } day
       *[other] { $days } days
    } ago to change their password (#{ $reset_id }) and has not confirmed yet.

    Please remind them to change it and to reply "password done" to this bot. Never ask them to send you the password.
domain-password-messages-your-message-looks-like-it-contains =
    ⚠️ Your message looks like it contains a password or key. To be safe I did not process or keep it.

    Change that password now (revoke and regenerate it if it is a key or token): it is in the chat history now.
    Never paste a password into any chat: this bot and IT staff will never ask you for one.

    If it was only an example, replace the password with *** and send it again. Reply "password done" once you have changed it.
domain-password-messages-this-is-group-chat-and-others =
    {""}

    This is a group chat and others can see it: recall that message now.

## src/domain/password/mod.rs

domain-password-change-passwords-every-days-no-reminders = change passwords every { $days } days, no reminders before the due date (daily once overdue)
domain-password-change-passwords-every-days-reminders-days = change passwords every { $days } days, reminders { $list } days before the due date, daily once overdue
domain-password-nist-sp-800-63b-no-forced = NIST SP 800-63B: no forced periodic changes; change only when a compromise is suspected

## src/domain/quiz/intro.rs

domain-quiz-intro-starting-questions-to-pass-questions-you = Starting "{ $title }": { $n } questions, { $pp }% to pass. Questions you miss will come back in later quizzes.
domain-quiz-intro-starting-follow-up-on-questions-on = Starting a follow-up on "{ $title }": { $n } questions on the topics you missed last time.
domain-quiz-intro-you-still-have-quiz-in-progress = You still have a quiz in progress, "{ $title }". Finish it first, or send "quiz quit" to stop it and start another.
domain-quiz-intro-continuing-your-quiz = Continuing your quiz "{ $title }".

## src/domain/quiz/render.rs

domain-quiz-render-answer = answer { $letter } #{ $id }
domain-quiz-render-quiz = quiz { $bank_key }
domain-quiz-render-quiz-review = quiz review
domain-quiz-render-question-topic =
    #### { $bank } · question { $pos }/{ $total }
    {""}**Topic:** { $topic }

    {""}
domain-quiz-render-tap-button-below-or-reply-with = Tap a button below or reply with the letter (e.g. "B").
domain-quiz-render-security-quiz = Security quiz { $pos }/{ $total }
domain-quiz-render-correct = ✅ Correct: { $right }. { $right_text }
domain-quiz-render-not-quite-you-chose-right-answer = ❌ Not quite. You chose { $chose }; the right answer is { $right }. { $right_text }
domain-quiz-render-why =
    {""}

    {""}**Why:** { $explanation }
domain-quiz-render-source =
    {""}

    {""}**Source:** { $source }
domain-quiz-render-answer-2 = Answer
domain-quiz-render-passed = {""}**passed** 🎉
domain-quiz-render-not-passed = {""}**not passed**
domain-quiz-render-follow-up-quiz-finished =
    ### Follow-up quiz finished
    {""}
domain-quiz-render-quiz-finished =
    ### Quiz finished
    {""}
domain-quiz-render-pass-mark = { $bank }: **{ $score }/{ $total }** ({ $pct }%), pass mark { $pp }%: { $verdict }
domain-quiz-render-questions-you-missed-will-come-back =
    {""}

    Questions you missed will come back in later quizzes. Send "me" to see your results.
domain-quiz-render-in-i-will-send-you-short =
    {""}

    In { $days ->
        [one] { $days } day
       *[other] { $days } days
    } I will send you a short follow-up quiz on the topics you missed. You can also send "quiz" to try again at any time.
domain-quiz-render-send-quiz-to-try-again-at =
    {""}

    Send "quiz" to try again at any time; the questions you missed will come back.
domain-quiz-render-quiz-result = Quiz result
domain-quiz-render-start-quiz = Start the quiz
domain-quiz-render-by = {""} by { $d }
domain-quiz-render-security-quiz-please-complete-quiz-questions =
    ### Security quiz #{ $id }
    Please complete the quiz "{ $bank }"{ $by }.

    { $n } questions, { $pp }% to pass; it takes a few minutes. Tap the button below or send "quiz { $key }".
domain-quiz-render-security-quiz-2 = Security quiz
domain-quiz-render-deadline-is-today = The deadline is today.
domain-quiz-render-deadline-is-from-now = The deadline is { $d }, { $left ->
        [one] { $left } day
       *[other] { $left } days
    } from now.
domain-quiz-render-quiz-reminder-you-have-not-passed =
    ### Quiz reminder #{ $id }
    You have not passed the quiz "{ $bank }" yet. { $when }

    Tap the button below; it takes a few minutes.
domain-quiz-render-quiz-reminder = Quiz reminder
domain-quiz-render-name-id-d = - { $name } ({ $id }) · { $d }
domain-quiz-render-name-id = - { $name } ({ $id })
domain-quiz-render-and-more = - …and { $more } more
domain-quiz-render-quiz-overdue-quiz-was-due-on =
    ### Quiz overdue #{ $id }
    The quiz "{ $bank }" was due on { $date }. These people reporting to you have not passed it:

    { $list }

    Please remind them to complete it soon.
domain-quiz-render-quiz-overdue = Quiz overdue
domain-quiz-render-quiz-campaign-is-past-its-deadline =
    ### Quiz campaign #{ $id } is past its deadline
    "{ $bank }", due { $date }: { $passed }/{ $total } passed.
domain-quiz-render-not-passed-2 =
    {""}

    Not passed ({ $k }):

    { $list }
domain-quiz-render-quiz-campaign-due = Quiz campaign due
domain-quiz-render-follow-up-quiz-in-your-last =
    ### Follow-up quiz
    In your last quiz "{ $bank }" you missed questions on: { $list }.

    Here is a short { $n }-question follow-up. Tap the button below or send "quiz review".
domain-quiz-render-start-follow-up = Start the follow-up
domain-quiz-render-follow-up-quiz = Follow-up quiz

## src/http/admin/incidents.rs

http-admin-incidents-security-incidents = Security incidents
http-admin-incidents-open = Open ({ $value })
http-admin-incidents-no-open-incidents = No open incidents.
http-admin-incidents-recently-closed-in-all = Recently closed ({ $value } in all)
http-admin-incidents-reported-by = Reported by
http-admin-incidents-report = Report
http-admin-incidents-closed = Closed

## src/http/admin/layout.rs

http-admin-layout-overview = Overview
http-admin-layout-notices = Notices
http-admin-layout-quizzes = Quizzes
http-admin-layout-passwords = Passwords
http-admin-layout-log-out = Log out
http-admin-layout-number-in-link-is-not-valid = The number in the link is not valid.
http-admin-layout-logging-in-and-out-works-only = Logging in and out works only from this site's own pages.
http-admin-layout-service-is-temporarily-unavailable-please-try = The service is temporarily unavailable; please try again later.
http-admin-layout-there-is-no-such-page-or = There is no such page or record: the link may be wrong, or the record was removed.
http-admin-layout-link-or-form-has-something-that = The link or the form has something that is not valid.
http-admin-layout-something-went-wrong-please-try-again = Something went wrong; please try again later.
http-admin-layout-not-found = Not found
http-admin-layout-bad-request = Bad request
http-admin-layout-something-went-wrong = Something went wrong
http-admin-layout-error-code = Error code: { $code }
http-admin-layout-back-to-overview = Back to the overview
http-admin-layout-api-tokens = API tokens
http-admin-layout-dingwarden-console = dingwarden console
http-admin-layout-not-allowed-2 = Not allowed
http-admin-layout-roster = Roster
http-admin-layout-too-large = Too large

## src/http/admin/notices.rs

http-admin-notices-no-notices = No notices.
http-admin-notices-title = Title
http-admin-notices-status = Status
http-admin-notices-due = Due
http-admin-notices-acknowledged = Acknowledged
http-admin-notices-notice = Notice #{ $id }: { $title }
http-admin-notices-first-sent = first sent { $when }
http-admin-notices-due-2 = due { $d }
http-admin-notices-not-acknowledged = Not acknowledged
http-admin-notices-pending-overdue-left = { $pending } pending, { $overdue } overdue, { $left_count } left
http-admin-notices-delivery = Delivery
http-admin-notices-undeliverable = { $undeliverable } undeliverable
http-admin-notices-export-csv = Export CSV
http-admin-notices-export-json = Export JSON
http-admin-notices-notice-text = Notice text
http-admin-notices-by-department = By department
http-admin-notices-department = Department
http-admin-notices-left = Left
http-admin-notices-undeliverable-2 = Undeliverable
http-admin-notices-checklist-done = Checklist done
http-admin-notices-checklist = Checklist
http-admin-notices-item = Item
http-admin-notices-done = Done
http-admin-notices-all-items = All items
http-admin-notices-new-notice = New notice
http-admin-notices-done-by = Done by

## src/http/admin/overview.rs

http-admin-overview-open-notices = Open notices
http-admin-overview-security-quizzes = Security quizzes
http-admin-overview-no-quiz-banks-yet = No quiz banks yet.
http-admin-overview-bank = Bank
http-admin-overview-completed = Completed
http-admin-overview-passed = Passed
http-admin-overview-acknowledgements-outstanding = { $waiting } acknowledgements outstanding
http-admin-overview-quiz-pass-rate = Quiz pass rate
http-admin-overview-passwords-overdue = Passwords overdue
http-admin-overview-due-soon = { $due_soon } due soon, {""}
http-admin-overview-forced-changes-pending = { $forced } forced changes pending
http-admin-overview-open-incidents = Open incidents
http-admin-overview-view = View
http-admin-overview-healthy = healthy
http-admin-overview-delayed-or-retrying = delayed or retrying
http-admin-overview-messages-failed = messages failed
http-admin-overview-waiting-retrying-dead = { $pending } waiting, { $failing } retrying, { $dead } dead
http-admin-overview-oldest-due-for-s = oldest due for { $s } s
http-admin-overview-last-7-days-acknowledgements-quizzes-finished = Last 7 days: acknowledgements/quizzes finished
http-admin-overview-this-week = This week
http-admin-overview-acknowledgements = Acknowledgements
http-admin-overview-quizzes-finished = Quizzes finished
http-admin-overview-day = Day
http-admin-overview-acks = Acks

## src/http/admin/passwords.rs

http-admin-passwords-policy = Policy: { $describe }
http-admin-passwords-staff = Staff
http-admin-passwords-due-soon = Due soon
http-admin-passwords-overdue = Overdue
http-admin-passwords-confirmed = Confirmed
http-admin-passwords-forced-change-pending = Forced change pending
http-admin-passwords-total = Total
http-admin-passwords-overdue-2 = Overdue ({ $overdue })
http-admin-passwords-name = Name
http-admin-passwords-due = Due
http-admin-passwords-days-overdue = Days overdue
http-admin-passwords-forced-change-pending-2 = Forced change pending ({ $forced })
http-admin-passwords-forced-changes = Forced changes

## src/http/admin/quiz.rs

http-admin-quiz-version-pass-mark-questions-per-attempt = version { $version } · pass mark { $pass_percent }% · { $questions_per_attempt } questions per attempt
http-admin-quiz-completed-at-least-one-full-quiz = Completed (at least one full quiz)
http-admin-quiz-export-attempts-csv = Export attempts CSV
http-admin-quiz-campaigns = Campaigns
http-admin-quiz-most-missed-questions = Most missed questions
http-admin-quiz-no-wrong-answers-yet = No wrong answers yet.
http-admin-quiz-question = Question
http-admin-quiz-missed = Missed
http-admin-quiz-assign-quiz = Assign a quiz

## src/actions/refusal/console.rs

actions-refusal-console-sorry-console-is-for-active-administrators = Sorry, the console is for active administrators and HR only (your staff id: { $staff_id }). Ask an administrator to grant you a role in DingTalk if you need it.
actions-refusal-console-give-token-label-1-to-characters = Give the token a label (1 to { $max } characters).
actions-refusal-console-is-not-active-administrator-and-cannot = { $staff_id } is not an active administrator and cannot hold an admin token.
actions-refusal-console-is-not-active-administrator-or-hr = { $staff_id } is not an active administrator or HR person and cannot hold a token.
actions-refusal-console-there-is-no-api-token = There is no API token #{ $id }.
actions-refusal-console-api-token-was-revoked-already = API token #{ $id } was revoked already.

## src/commands/private.rs

commands-private-sent-to-you-in-direct-message = Sent to you in a direct message.

## src/http/admin/login.rs

http-admin-login-this-sign-in-link-has-expired = This sign-in link has expired or was not started in this browser. Please sign in again.
http-admin-login-dingtalk-returned-no-authorisation-code-sign = DingTalk returned no authorisation code (sign-in cancelled?). Please sign in again.
http-admin-login-dingtalk-could-not-confirm-who-you = DingTalk could not confirm who you are. Please sign in again.

## src/http/admin/tokens.rs

http-admin-tokens-all-tokens = All tokens
http-admin-tokens-new-token = New token
http-admin-tokens-what-it-is-for = What it is for
http-admin-tokens-e-g-siem-export = e.g. SIEM export
http-admin-tokens-owner-s-staff-id-empty-yourself = Owner's staff id (empty: yourself)
http-admin-tokens-scope = Scope
http-admin-tokens-read-reads-and-exports = read: reads and exports
http-admin-tokens-admin-reads-and-writes = admin: reads and writes
http-admin-tokens-create-token = Create token
http-admin-tokens-no-tokens-yet = No tokens yet.
http-admin-tokens-label = Label
http-admin-tokens-owner = Owner
http-admin-tokens-created = Created
http-admin-tokens-last-used = Last used
http-admin-tokens-state = State
http-admin-tokens-revoked = revoked
http-admin-tokens-revoke = Revoke
http-admin-tokens-token-created = Token #{ $id } created
http-admin-tokens-copy-it-now-it-cannot-be = Copy it now; it cannot be shown again:
http-admin-tokens-owner-scope-use-authorization-bearer-token = Owner { $owner }, scope { $scope }. Use: Authorization: Bearer <token>
http-admin-tokens-scope-must-be-read-or-admin = The scope must be read or admin.

## src/http/admin/views.rs

http-admin-views-sign-in = Sign in
http-admin-views-console-is-for-administrators-and-hr = The console is for administrators and HR.
http-admin-views-sign-in-with-dingtalk = Sign in with DingTalk
http-admin-views-development-mode-serve-dev-sign-in = Development mode (serve --dev): sign in as
http-admin-views-no-administrators-or-hr-yet = No administrators or HR yet.
http-admin-views-punctuation = 中文
http-admin-views-back-to-sign-in = Back to sign-in
http-admin-views-too-many-failed-attempts-from-your = Too many failed attempts from your address; try again in { $wait_secs } s.

## src/http/admin/auth/mod.rs

http-admin-auth-requests-from-other-sites-are-refused = Requests from other sites are refused.
http-admin-auth-this-form-has-expired-go-back = This form has expired; go back, reload the page and try again.
http-admin-auth-this-page-is-for-administrators-only = This page is for administrators only.

## src/http/admin/recipients.rs

http-admin-recipients-acknowledged = acknowledged
http-admin-recipients-pending = pending
http-admin-recipients-overdue = overdue
http-admin-recipients-left = left
http-admin-recipients-not-acknowledged = Not acknowledged
http-admin-recipients-pending-2 = Pending
http-admin-recipients-overdue-2 = Overdue
http-admin-recipients-everyone = Everyone
http-admin-recipients-all-departments = All departments
http-admin-recipients-filter = Filter
http-admin-recipients-recipients = Recipients
http-admin-recipients-people-match = { $n } people match.
http-admin-recipients-only-first-are-shown-export-for = Only the first { $shown } are shown; export for the full list.
http-admin-recipients-checklist = Checklist
http-admin-recipients-reminded = Reminded

## src/http/admin/act/forms.rs

http-admin-act-forms-general = General
http-admin-act-forms-exit = Exit
http-admin-act-forms-kind = Kind
http-admin-act-forms-body-markdown = Body (markdown)
http-admin-act-forms-checklist-one-item-per-line-optional = Checklist (one item per line, optional)
http-admin-act-forms-one-item-per-line-at-most = One item per line, at most 20.
http-admin-act-forms-deadline-optional = Deadline (optional)
http-admin-act-forms-preview = Preview
http-admin-act-forms-save-draft = Save draft
http-admin-act-forms-message-recipients-get = The message recipients get
http-admin-act-forms-who-gets-it = Who gets it
http-admin-act-forms-everyone = Everyone
http-admin-act-forms-these-departments-with-their-sub-departments = These departments (with their sub-departments)
http-admin-act-forms-departments = Departments
http-admin-act-forms-these-staff-ids = These staff ids
http-admin-act-forms-staff-ids-separated-by-commas-spaces = Staff ids (separated by commas, spaces or lines)

## src/http/admin/act/mod.rs

http-admin-act-only-administrators-can-do-that = Only administrators can do that.
http-admin-act-back = Back
http-admin-act-not-done = Not done
http-admin-act-what-was-sent-is-too-large = What was sent is too large: a file may be at most { $mib } MiB, any other form { $kib } KiB. Nothing was changed. Split the roster into several files, or export only the columns it needs.

## src/http/admin/act/notices.rs

http-admin-act-notices-give-notice-title-one-line = Give the notice a title (one line).
http-admin-act-notices-draft-saved = Draft #{ $id } saved
http-admin-act-notices-notice-is-saved-as-draft-nothing = The notice "{ $title }" is saved as a draft; nothing was sent yet.
http-admin-act-notices-choose-recipients-and-send = Choose recipients and send
http-admin-act-notices-once-saved-notice-s-number-replaces = Once saved, the notice's number replaces #0.
http-admin-act-notices-edit = Edit
http-admin-act-notices-actions = Actions
http-admin-act-notices-next-see-how-many-people = Next: see how many people
http-admin-act-notices-remind-everyone-who-has-not-acknowledged = Remind everyone who has not acknowledged
http-admin-act-notices-close-notice = Close the notice
http-admin-act-notices-give-at-least-one-staff-id = Give at least one staff id.
http-admin-act-notices-choose-at-least-one-department = Choose at least one department.
http-admin-act-notices-choose-who-gets-it = Choose who gets it.
http-admin-act-notices-notice-sent = Notice #{ $id } sent
http-admin-act-notices-queued-for-people-had-it-already = Queued for { $n } people; { $already } had it already.
http-admin-act-notices-unknown-staff-ids-or-people-who = Unknown staff ids or people who left: {""}
http-admin-act-notices-send-notice = Send notice #{ $id }?
http-admin-act-notices-it-goes-to-people = It goes to { $n } people.
http-admin-act-notices-send-it = Send it
http-admin-act-notices-people-who-had-not-acknowledged-are = { $n } people who had not acknowledged are reminded.
http-admin-act-notices-it-is-quiet-hours-reminders-go = It is quiet hours; the reminders go at { $when }.
http-admin-act-notices-notice-closed = Notice #{ $id } closed
http-admin-act-notices-no-more-reminders-or-acknowledgements = No more reminders or acknowledgements.
http-admin-act-notices-offboarding-is-complete-is-marked-as = Offboarding is complete: { $who } is marked as left.

## src/http/admin/act/people.rs

http-admin-act-people-manager = manager { $m }
http-admin-act-people-active = active
http-admin-act-people-notices = Notices
http-admin-act-people-no-notices = No notices.
http-admin-act-people-acknowledged = Acknowledged
http-admin-act-people-quiz-results = Quiz results
http-admin-act-people-no-finished-quizzes = No finished quizzes.
http-admin-act-people-score = Score
http-admin-act-people-result = Result
http-admin-act-people-finished = Finished
http-admin-act-people-campaigns-not-passed-yet = Campaigns not passed yet: { $campaigns }
http-admin-act-people-not-applicable-not-active = not applicable (not active)
http-admin-act-people-fine-due = fine, due { $d }
http-admin-act-people-fine = fine
http-admin-act-people-due-soon-days-left = due soon: { $due } ({ $days_left } days left)
http-admin-act-people-overdue-since-days = overdue since { $due } ({ $days } days)
http-admin-act-people-password = Password
http-admin-act-people-forced-changes-still-owed = Forced changes still owed: { $resets }
http-admin-act-people-manage = Manage
http-admin-act-people-role = Role
http-admin-act-people-grant = Grant
http-admin-act-people-start-offboarding = Start offboarding
http-admin-act-people-please-confirm = Please confirm
http-admin-act-people-confirmation-code = Confirmation code: {""}
http-admin-act-people-type-code-above-before-nothing-happens = Type the code above before { $until }; nothing happens otherwise.
http-admin-act-people-code = Code
http-admin-act-people-confirm = Confirm
http-admin-act-people-role-must-be-admin-or-hr = The role must be admin or hr.
http-admin-act-people-now-holds-role = { $staff_id } now holds the { $label } role.
http-admin-act-people-no-longer-holds-role = { $staff_id } no longer holds the role.
http-admin-act-people-done = Done
http-admin-act-people-offboarding-of-started-due-leaver-s = Offboarding of { $name } started (due { $d }): leaver's notice #{ $leaver }, admins' checklist #{ $admin }
http-admin-act-people-manager-s-handover-checklist = , manager's handover checklist #{ $id } ({ $m })
http-admin-act-people-roster-names-no-active-manager-so = ; the roster names no active manager, so no handover checklist was sent
http-admin-act-people-hr-people-told = ; { $hr } HR people told.

## src/http/admin/act/quiz.rs

http-admin-act-quiz-quiz-campaign-created = Quiz campaign #{ $id } created
http-admin-act-quiz-assigned-to-people-invitations-are-queued = Assigned to { $n } people; the invitations are queued.
http-admin-act-quiz-assign-quiz = Assign the quiz?
http-admin-act-quiz-bank-goes-to-people = Bank { $bank } goes to { $n } people.
http-admin-act-quiz-assign-it = Assign it

## src/http/admin/act/roster/mod.rs

http-admin-act-roster-import-roster = Import a roster
http-admin-act-roster-form-was-damaged-choose-file-again = The form was damaged; choose the file again.
http-admin-act-roster-choose-csv-file-or-paste-its = Choose a CSV file or paste its contents.

## src/http/admin/act/roster/view.rs

http-admin-act-roster-view-dry-run-comes-first-page-lists = A dry run comes first: the page lists new, changed, leaving and rejoining people and role changes; nothing is written until you apply it.
http-admin-act-roster-view-utf-8-csv-with-header-line = UTF-8 CSV with a header line: staff_id (required), name, department, manager_staff_id, role, password_changed_at, active.
http-admin-act-roster-view-roster-csv-file = Roster CSV file
http-admin-act-roster-view-or-paste-csv = Or paste the CSV
http-admin-act-roster-view-dry-run-changes-nothing = Dry run (changes nothing)
http-admin-act-roster-view-has-bad-rows-nothing-was-imported = { $name } has { $bad_rows } bad rows; nothing was imported:
http-admin-act-roster-view-line = line { $line }: {""}
http-admin-act-roster-view-name = name
http-admin-act-roster-view-department = department
http-admin-act-roster-view-manager = manager
http-admin-act-roster-view-password-date = password date
http-admin-act-roster-view-only-first-are-listed = Only the first { $listed } are listed.
http-admin-act-roster-view-new-changed-leaving-rejoining-role-changes = { $new } new, { $changed } changed, { $leaving } leaving, { $back } rejoining, { $roles } role changes, { $same } unchanged ({ $active } active users now).
http-admin-act-roster-view-new = New
http-admin-act-roster-view-changed = Changed
http-admin-act-roster-view-leaving = Leaving
http-admin-act-roster-view-rejoining = Rejoining
http-admin-act-roster-view-role-changes = Role changes
http-admin-act-roster-view-warnings = Warnings
http-admin-act-roster-view-people-who-get-password-reminder-within = People who get a password reminder within a day of applying: { $soon }
http-admin-act-roster-view-grant = grant { $role }
http-admin-act-roster-view-revoke = revoke { $role }
http-admin-act-roster-view-line-2 = line { $l }: {""}
http-admin-act-roster-view-manager-of-is-neither-in-this = the manager { $manager } of { $staff_id } is neither in this file nor an active user
http-admin-act-roster-view-not-imported-tick-confirmation-box-below = Not imported: tick the confirmation box below first.
http-admin-act-roster-view-dry-run = Dry run: { $name }
http-admin-act-roster-view-nothing-was-changed-yet-file-sha = Nothing was changed yet. File SHA-256: {""}
http-admin-act-roster-view-of-active-users-would-be-marked = { $n } of { $active } active users would be marked as left, more than allowed ({ $max }% or 20 people).
http-admin-act-roster-view-i-have-checked-mark-these-people = I have checked: mark these { $n } people as left
http-admin-act-roster-view-apply-import = Apply the import
http-admin-act-roster-view-choose-another-file = Choose another file
http-admin-act-roster-view-is-imported = { $name } is imported.
http-admin-act-roster-view-users-new-updated-unchanged-left-rejoined = { $users } users: { $added } new, { $updated } updated, { $same } unchanged, { $left } left, { $back } rejoined; { $granted } roles granted, { $revoked } revoked.
