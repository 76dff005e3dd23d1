### dingwarden: the Chinese texts (default language).
### Every key here must also be in en.ftl, with the same { $variables }.
### An organisation overrides single keys with its own zh.ftl in
### DINGWARDEN_LOCALE_DIR (see README "Texts and translations").
### Sections (## src/…) name the source file that uses the texts.

## src/i18n/mod.rs

list-separator = 、

## src/commands/catalogue/table.rs

command-help-usage = 帮助
command-help-help = 查看可用的命令。
command-hello-usage = 你好
command-hello-help = 打个招呼：我能做什么、从哪里开始。
command-quiz-usage = 测验 [题库|复习]
command-quiz-help = 开始或继续安全测验；「测验 复习」参加为你准备的复习测验。
command-quiz-list-usage = 测验 列表
command-quiz-list-help = 查看题库列表。
command-quiz-quit-usage = 测验 退出
command-quiz-quit-help = 放弃当前测验。
command-answer-usage = A–F 或 答 B
command-answer-help = 回答当前测验题目。
command-me-usage = 我的
command-me-help = 查看待确认的通知、待办清单、测验成绩和密码到期日。
command-ack-usage = 确认 [编号]
command-ack-help = 确认已阅读通知。
command-confirm-usage = 确认执行 确认码
command-confirm-help = 用收到的确认码执行你发起的角色变更或离职流程（5 分钟内有效）。
command-done-usage = 完成 编号 事项
command-done-help = 勾选通知清单中的一项。
command-password-done-usage = 已改密
command-password-done-help = 确认已修改密码（切勿发送密码本身）。
command-report-usage = 上报 内容
command-report-help = 向管理员上报安全事件。
command-feedback-usage = 反馈 内容
command-feedback-help = 向管理员提交反馈。
command-lang-usage = 语言 zh|en
command-lang-help = 设置机器人回复的语言。
command-notice-new-usage = 通知 新建 [退出|制度|安全] 标题（正文另起一行）
command-notice-new-help = 新建通知；正文中「截止: YYYY-MM-DD」一行设置截止日期，「- [ ] 事项」添加清单。
command-notice-template-exit-usage = 通知 模板 退出
command-notice-template-exit-help = 生成可编辑的平台退出通知模板。
command-notice-send-usage = 通知 发送 编号 给 全员|部门 名称|用户 工号|本群
command-notice-send-help = 发送通知，并回复发送给了多少人。
command-notice-status-usage = 通知 状态 编号
command-notice-status-help = 查看通知的确认进度。
command-notice-remind-usage = 通知 提醒 编号 [立即]
command-notice-remind-help = 立即提醒尚未确认的人（距上一轮提醒不到一小时时，加「立即」）。
command-notice-close-usage = 通知 关闭 编号
command-notice-close-help = 关闭通知：不再提醒或接受确认。
command-notices-usage = 通知列表
command-notices-help = 查看通知列表及进度。
command-export-usage = 导出 编号
command-export-help = 获取通知确认记录（CSV）的下载地址。
command-quiz-assign-usage = 测验 布置 题库 给 全员|部门 名称|用户 工号 [截止 YYYY-MM-DD]
command-quiz-assign-help = 布置测验任务，可设截止日期。
command-quiz-stats-usage = 测验 统计 [题库]
command-quiz-stats-help = 按部门查看完成率、通过率和易错题。
command-password-policy-usage = 密码 策略 [天数 [提醒 7,3,1] | nist]
command-password-policy-help = 查看或设置密码轮换策略。
command-password-status-usage = 密码 状态
command-password-status-help = 按部门查看密码即将到期、已逾期和已确认的人数。
command-password-reset-required-usage = 密码 强制改密 全员|部门 名称|用户 工号 原因
command-password-reset-required-help = 要求立即修改密码（例如发生泄露后）。
command-offboard-usage = 离职 工号
command-offboard-help = 为离职同事发起离职流程（需确认码）：离职须知、主管交接清单、管理员清单，并通知人事。
command-role-list-usage = 角色 列表
command-role-list-help = 查看谁拥有管理员和人事角色，以及角色的来源。
command-role-grant-usage = 角色 授予 工号 admin|hr
command-role-grant-help = 授予管理员或人事角色。
command-role-revoke-usage = 角色 撤销 工号 admin|hr
command-role-revoke-help = 撤销管理员或人事角色。
command-incidents-usage = 事件列表
command-incidents-help = 查看上报的安全事件。
command-incident-close-usage = 事件 关闭 编号 [备注]
command-incident-close-help = 关闭安全事件，可附备注。
command-feedback-list-usage = 反馈 列表
command-feedback-list-help = 查看反馈。
command-outbox-usage = 发件箱
command-outbox-help = 查看待发送、发送失败和已放弃的消息。
command-outbox-retry-usage = 发件箱 重试 编号
command-outbox-retry-help = 重试一条已放弃的消息。
command-console-usage = 控制台
command-console-help = 获取网页控制台的链接（通知、测验、密码、导出）。

## src/actions/refusal/confirm.rs

actions-refusal-confirm-sorry-only-administrators-and-hr-can = 抱歉，这项操作仅限管理员和人事使用，未执行任何操作。
actions-refusal-confirm-sorry-only-administrators-can-do-that = 抱歉，这项操作仅限管理员使用，未执行任何操作。
actions-refusal-confirm-that-code-does-not-match-it = 确认码不对：它不正确，或不是你在本会话中申请的。未执行任何操作。
actions-refusal-confirm-that-code-does-not-match-and = 确认码不对，且错误次数过多：你所有待确认的操作都已作废，未执行任何操作。如仍需要，请重新发送原命令。
actions-refusal-confirm-that-code-has-expired-codes-last = 确认码已过期（有效期 5 分钟），未执行任何操作。如仍需要，请重新发送原命令。
actions-refusal-confirm-that-code-was-used-already-it = 这个确认码已经用过了，不会再执行一次。
actions-refusal-confirm-that-code-was-voided-after-too = 这个确认码因错误次数过多已作废，未执行任何操作。如仍需要，请重新发送原命令。

## src/actions/refusal/incidents.rs

actions-refusal-incidents-that-is-too-long-at-most = 内容太长了（最多 { $max } 字），请精简后再发。
actions-refusal-incidents-there-is-no-incident-send-incidents = 没有编号为 #{ $id } 的安全事件。发送「事件列表」查看。
actions-refusal-incidents-incident-was-already-closed-at = 安全事件 #{ $id } 已于 { $at } 关闭。
actions-refusal-incidents-there-is-no-delivery = 没有编号为 #{ $id } 的发送记录。
actions-refusal-incidents-waiting = 待发送
actions-refusal-incidents-sent = 已发送
actions-refusal-incidents-is-not-dead-letter-nothing-to = #{ $id } 不是已放弃的消息（{ $status }），无需重试。
actions-refusal-incidents-can-no-longer-be-sent-its = #{ $id } 的内容已按保留期限删除，无法重发。

## src/actions/refusal/mod.rs

actions-refusal-no-department-or-name-is-ambiguous = 找不到部门「{ $name }」（或名称不唯一，请写完整路径，如 总部/研发部）。
actions-refusal-there-is-no-notice-send-notices = 没有编号为 #{ $id } 的通知。发送「通知列表」查看所有通知。
actions-refusal-there-is-no-notice-send-me = 没有编号为 #{ $id } 的通知。发送「我的」查看你的待办。
actions-refusal-notice-is-closed = 通知 #{ $id } 已关闭。
actions-refusal-notice-was-reminded-at-to-remind = 通知 #{ $id } 在 { $when } 刚提醒过。如确需再提醒一次，请发送「notice remind { $id } now」。
actions-refusal-notice-is-closed-and-no-longer = 通知 #{ $id } 已关闭，不再接受确认或勾选。
actions-refusal-notice-was-not-addressed-to-you = 通知 #{ $id } 不是发给你的，无需确认。发送「我的」查看你的待办。
actions-refusal-you-already-acknowledged-notice-at = 你已于 { $when } 确认过通知 #{ $id }，无需重复确认。
actions-refusal-you-already-acknowledged-notice = 你已经确认过通知 #{ $id }。
actions-refusal-notice-has-no-checklist = 通知 #{ $id } 没有清单。
actions-refusal-notice-has-only-checklist-items = 通知 #{ $id } 的清单只有 { $total } 项。
actions-refusal-item-of-notice-was-already-done = 通知 #{ $id } 第 { $n } 项已于 { $when } 完成。
actions-refusal-notice-goes-to-people-or-to = 通知只能发给具体的人或本群。
actions-refusal-quiz-campaigns-go-to-people-use = 测验任务要布置给具体的人：请用「全员」「部门 名称」或「用户 工号」。
actions-refusal-forced-change-goes-to-all-department = 强制改密只能发给 全员、部门 或 用户。

## src/actions/refusal/notices.rs

actions-refusal-notices-title-is-too-long-at-most = 标题太长了（最多 { $max } 个字）。
actions-refusal-notices-deadline-is-in-past-use-today = 截止日期 { $d } 已经过去了，请写今天（{ $today }）或之后的日期。
actions-refusal-notices-notice-is-already-closed = 通知 #{ $id } 已经关闭了。
actions-refusal-notices-deadline-of-notice-has-passed = 通知 #{ $id } 的截止日期已过。
actions-refusal-notices-nobody-to-send-it-to-no = 没有可以发送的对象（花名册中没有符合条件的在职人员）。
actions-refusal-notices-group-works-only-in-group-chat = 「本群」只能在群聊里使用：请在要通知的群里 @我 发送这条命令。
actions-refusal-notices-notice-was-already-posted-to-this = 通知 #{ $id } 已经发到本群过了。
actions-refusal-notices-notice-has-not-been-sent-yet = 通知 #{ $id } 还没有发送。
actions-refusal-notices-reminder-was-just-sent = 刚刚已经提醒过了。
actions-refusal-notices-there-is-no-on-roster = 花名册中没有工号 { $staff_id }。
actions-refusal-notices-has-already-left = { $staff_id } 已经离职。
actions-refusal-notices-offboarding-of-has-already-started-send = { $staff_id } 的离职流程已经开始了。发送「通知列表」查看相关通知。
actions-refusal-notices-is-last-administrator-so-their-offboarding = { $staff_id } 是最后一位管理员，不能完成其离职。请先把管理员角色授予另一位同事。
actions-refusal-notices-cannot-read-deadline-write-it-as = 截止日期「{ $v }」看不懂，请写成「截止: YYYY-MM-DD」。
actions-refusal-notices-body-has-two-deadline-lines-keep = 正文里有两行截止日期，请只保留一行。
actions-refusal-notices-checklist-has-at-most-items = 清单最多 { $max_items } 项。
actions-refusal-notices-checklist-item-is-empty-or-too = 清单第 { $n } 项是空的或太长（最多 { $max_item_chars } 个字）。
actions-refusal-notices-body-is-too-long = 正文太长了。

## src/actions/refusal/passwords.rs

actions-refusal-passwords-reason-is-too-long-at-most = 原因太长了（最多 { $max } 个字）。
actions-refusal-passwords-nobody-active-matches-that-audience-nothing = 没有找到需要通知的在职人员，未发出任何通知。

## src/actions/refusal/quiz.rs

actions-refusal-quiz-there-is-no-quiz-bank-called = 没有名为「{ $key }」的题库。发送「测验 列表」查看可用的题库。
actions-refusal-quiz-deadline-is-in-past = 截止日期 { $d } 已经过去了。
actions-refusal-quiz-nobody-active-matches-that-audience = 没有找到可以布置测验的在职人员。
actions-refusal-quiz-you-have-no-quiz-in-progress = 你现在没有进行中的测验。发送「测验」开始。
actions-refusal-quiz-no-follow-up-quiz-is-waiting = 目前没有等你完成的复习测验。发送「测验」开始一次完整的测验。
actions-refusal-quiz-that-bank-has-no-questions-to = 这个题库里没有可用的题目。
actions-refusal-quiz-please-answer-in-our-1-1 = 请在与我的单聊中作答。
actions-refusal-quiz-i-can-t-find-that-question = 找不到这道题，可能已经过期。发送「测验」继续或开始测验。
actions-refusal-quiz-that-quiz-is-over-score-this = 这次测验已经结束了（得分 { $score }/{ $total }），这个答案不再计分。发送「测验」开始新的测验。
actions-refusal-quiz-that-quiz-is-over-this-answer = 这次测验已经结束了，这个答案不再计分。发送「测验」开始新的测验。
actions-refusal-quiz-you-have-already-answered-that-question = 这道题你已经答过了（你选了 { $l }），不会重复计分。发送「测验」查看当前题目。
actions-refusal-quiz-please-answer-question-first-send-quiz = 请先回答第 { $k } 题。发送「测验」查看当前题目。
actions-refusal-quiz-this-question-has-options-please-choose = 这道题的选项是 A–{ $last }，请重新选择。
actions-refusal-quiz-you-have-already-answered-that-question-2 = 这道题你已经答过了。

## src/actions/refusal/roster.rs

actions-refusal-roster-i-don-t-know-staff-id = 我还不认识工号 { $staff_id }：请先导入花名册，或请对方先给我发一条消息。
actions-refusal-roster-has-left-organisation-roles-cannot-be = { $staff_id } 已离职，不能授予角色。
actions-refusal-roster-already-has-role = { $name } 已拥有「{ $r }」角色，无需重复授予。
actions-refusal-roster-does-not-have-role = { $name } 没有「{ $r }」角色。
actions-refusal-roster-is-last-administrator-so-role-stays = { $name } 是最后一位管理员，不能撤销。请先把管理员角色授予另一位同事。
actions-refusal-roster-import = 导入
actions-refusal-roster-sync = 同步
actions-refusal-roster-this-would-leave-no-active-administrator = 这次{ $what }会使组织没有在职的管理员，因此没有做任何更改；请先把管理员角色授予一位留任的同事。
actions-refusal-roster-and-more = {""} 等 { $more } 人
actions-refusal-roster-this-would-mark-of-active-users = 这次{ $what }会把 { $leaving } 人（在职 { $active } 人）标记为离职，超过上限（{ $max_percent }% 或 20 人），因此没有做任何更改：{ $list }{ $more }。确认无误后，用 --allow-leavers { $leaving } 重新运行。

## src/commands/audience.rs

commands-audience-skipped-not-on-roster-or-left =
    {""}
    以下工号不存在或已离职，已跳过：{ $list }

## src/commands/help.rs

commands-help-dingwarden-security-assistant =
    ### 钉钉安全助手 dingwarden
    {""}
commands-help-everyone = {""}**所有人**
commands-help-admins-and-hr = {""}**管理员与人事**
commands-help-admins = {""}**管理员**
commands-help-commands-are-case-insensitive-in-chinese =
    {""}
    命令不区分大小写，中英文均可。切勿在聊天中发送密码。
commands-help-help = 帮助
commands-help-or-say = 也可以说：{ $list }
commands-help-hello-i-am-security-assistant-i =
    你好！我是安全助手：发送安全通知与离职须知、安全测验和密码提醒，并记录你的确认。
    发送「我的」查看等你处理的事项。
    发送「帮助」查看全部命令。
commands-help-me = 我的
commands-help-me-2 = 我的
commands-help-help-2 = 帮助
commands-help-hello = 你好
commands-help-is-not-valid-date-format-2026 = { $value } 不是有效日期（格式 2026-12-31）
commands-help-is-not-valid-number-whole-number = { $value } 不是有效数字（{ $min } 到 { $max } 之间的整数）
commands-help-is-not-valid-number-whole-number-2 = { $value } 不是有效数字（不小于 { $min } 的整数）
commands-help-usage =
    { $what }。
    用法：{ $usage }
    { $help }
commands-help-usage-2 =
    用法：{ $usage }
    { $help }
commands-help-sorry-i-didn-t-understand-that = 没看懂这条消息。发送「帮助」查看可用的命令。
commands-help-is-not-valid-id-e-g = { $value } 不是有效编号（例如 3 或 #3）

## src/commands/incident.rs

commands-incident-thank-you-for-reporting-this-it = 谢谢你的上报！已记录为安全事件 #{ $id }，管理员会尽快处理。如情况紧急，请同时直接联系安全负责人。
commands-incident-security-incidents-open =
    ### 安全事件

    {""}**未处理（{ $open_total }）**

    {""}
commands-incident-nothing-open =
    暂无未处理的事件。
    {""}
commands-incident-and-more =
    - ……另有 { $more } 条
    {""}
commands-incident-recently-closed =
    {""}
    {""}**最近关闭**

    {""}
commands-incident-when-one-is-handled-send-incident =
    {""}
    处理完毕后发送「事件 关闭 编号 [备注]」。
commands-incident-incidents = 安全事件
commands-incident-id-at-who-what = - #{ $id } { $at } { $who }：{ $what }
commands-incident-closed = （{ $closed } 已关闭）
commands-incident-incident-is-closed-i-have-let = 已关闭安全事件 #{ $id }，并已通知上报人。
commands-incident-incident-is-closed = 已关闭安全事件 #{ $id }。
commands-incident-thank-you-for-feedback-it-is = 谢谢你的反馈！已记录为 #{ $id }，管理员会认真查看。
commands-incident-feedback-in-all =
    ### 反馈（共 { $total } 条）

    {""}
commands-incident-no-feedback-yet = 还没有收到反馈。
commands-incident-id-at-who-what-2 =
    - #{ $id } { $at } { $who }：{ $what }
    {""}
commands-incident-showing-latest =
    {""}
    只显示最新的 { $feedback_shown } 条。
commands-incident-feedback = 反馈

## src/commands/me.rs

commands-me-what-is-pending-for-you =
    ### 我的待办
    {""}
commands-me-nothing-is-pending =
    {""}
    目前没有待办事项。

## src/commands/mod.rs

commands-sorry-i-only-serve-members-of = 抱歉，我只为本组织的成员服务。
commands-i-can-only-read-text-messages = 目前我只能读文字消息。发送「帮助」查看可用的命令。
commands-sorry-only-administrators-and-hr-can = 抱歉，这项操作仅限管理员和人事使用。发送「帮助」查看你可以使用的命令。
commands-sorry-only-administrators-can-do-that = 抱歉，这项操作仅限管理员使用。发送「帮助」查看你可以使用的命令。
commands-that-feature-is-not-available-yet = 这个功能还没有开放。发送「帮助」查看可用的命令。
commands-sorry-something-went-wrong-please-try = 抱歉，出了点问题，请稍后再试（参考编号 { $reference }）。

## src/commands/outbox.rs

commands-outbox-outbox-waiting =
    ### 发件箱

    待发送：{ $pending } 条
commands-outbox-longest-waiting-one-has-been-due = ，最早到期的一条已等待 { $secs } 秒
commands-outbox-failing-will-retry =
    {""}

    {""}**正在重试（{ $failing_n }）**
    {""}
commands-outbox-dead-letters =
    {""}

    {""}**已放弃（{ $dead_n }）**
    {""}
commands-outbox-send-outbox-retry-id-to-send =
    {""}

    发送「发件箱 重试 编号」重新发送一条已放弃的消息。
commands-outbox-outbox = 发件箱
commands-outbox-none = - 无
commands-outbox-attempt-s = - #{ $id } { $to } · 已尝试 { $attempts } 次
commands-outbox-next = {""} · 下次 { $at }
commands-outbox-error = {""} · 错误：{ $e }
commands-outbox-1-1-to = 单聊 { $n } 人
commands-outbox-group = 群聊
commands-outbox-custom-robot = 群机器人
commands-outbox-ok-is-queued-again-and-will = 好的，#{ $id } 已重新排队，稍后发送。

## src/commands/roster.rs

commands-roster-please-mention-exactly-one-colleague-or = 请只 @ 一位同事，或直接写对方的工号。
commands-roster-roles =
    ### 角色
    {""}
commands-roster-from =
    {""}
    - { $who }：{ $role }（来源：{ $from }）
commands-roster-left = {""} · 已离职
commands-roster-role-grant-staff-id-admin-hr =
    {""}

    「角色 授予 工号 admin|hr」授予，「角色 撤销 工号 admin|hr」撤销。
commands-roster-roles-2 = 角色
commands-roster-configuration = 服务配置
commands-roster-grant-in-chat = 聊天授予
commands-roster-roster-import = 名单导入
commands-roster-dingtalk-admin = 钉钉管理员
commands-roster-now-has-role-i-have-let = 已授予 { $name }「{ $r }」角色，并已通知对方。
commands-roster-no-longer-has-role = 已撤销 { $name } 的「{ $r }」角色。
commands-roster-note-role-comes-from-service-configuration =
    {""}
    注意：该角色写在服务配置中（DINGWARDEN_ADMINS / DINGWARDEN_HR），请同时从配置中删除，否则重启后会恢复。
commands-roster-note-they-administer-dingtalk-organisation-and =
    {""}
    注意：对方是钉钉组织管理员，且已开启 DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS，下次同步或发消息时会重新获得该角色。

## src/commands/settings.rs

commands-settings-current-language-english-send-lang-zh = 当前语言：中文。发送「语言 en」切换为英文。
commands-settings-ok-i-will-answer-you-in = 好的，今后我用中文回复你。

## src/commands/notice/ack.rs

commands-notice-ack-you-have-no-notices-to-acknowledge = 你没有待确认的通知。
commands-notice-ack-you-have-notices-to-acknowledge-which = 你有 { $n } 条通知待确认，请指定编号：
commands-notice-ack-notices-to-acknowledge = 待确认的通知
commands-notice-ack-acknowledged-notice-thank-you = 已确认通知 #{ $id }「{ $title }」，谢谢！
commands-notice-ack-checklist-items-left =
    {""}

    清单还剩 { $k } 项：
commands-notice-ack-checklist-is-complete =
    {""}

    清单已全部完成。
commands-notice-ack-don-t-forget-to-acknowledge-notice =
    {""}

    别忘了确认这条通知：回复「{ $ack }」。
commands-notice-ack-notice = 通知 #{ $id }
commands-notice-ack-done-item-of-notice = 已完成通知 #{ $id } 第 { $n } 项：{ $what }（{ $done }/{ $total }）
commands-notice-ack-notices = {""}**通知**
commands-notice-ack-due-overdue = （截止 { $d }，已逾期）
commands-notice-ack-due = （截止 { $d }）
commands-notice-ack-to-acknowledge-reply =
    {""}
    - 待确认：回复「{ $ack }」
commands-notice-ack-reply =
    {""}
    - ☐ { $n }. { $item }（回复「{ $done }」）

## src/commands/notice/author.rs

commands-notice-author-deadline = 截止 { $d }
commands-notice-author-no-deadline = 未设截止日期
commands-notice-author-created-notice-checklist-items = 已创建通知 #{ $id }「{ $title }」（{ $deadline }，清单 { $items } 项）。
commands-notice-author-send-it-notice-send-to-all =
    {""}

    发送：通知 发送 { $id } 给 全员｜部门 名称｜用户 工号,工号｜本群
commands-notice-author-here-is-exit-announcement-template-copy = 下面是平台退出通知的模板：复制整条消息，修改【】中的内容和截止日期，再发给我即可创建通知。
commands-notice-author-closed-notice-no-more-reminders-or = 已关闭通知 #{ $id }：不再提醒，也不再接受确认。发送「通知 状态 { $id }」查看最终结果。
commands-notice-author-offboarding-is-complete-is-marked-as =
    {""}
    离职流程已完成：{ $shown } 已标记为离职，其角色已全部暂停。
domain-notice-messages-tip-lines-starting-with-are-plain =
    {""}

    提示：以 "- " 开头的行只是普通列表。要让员工逐项勾选，请把每项写成 "- [ ] 事项"。

## src/commands/notice/export.rs

commands-notice-export-acknowledgements-of-notice =
    ### 通知 #{ $id }「{ $title }」的确认记录

    {""}
commands-notice-export-download-csv-sign-in-to-console =
    {""}[下载 CSV]({ $csv })（需先登录控制台；每次下载都记入审计日志）

    {""}[在控制台查看通知]({ $page })
commands-notice-export-on-server-run-dingwarden-export-acks =
    在服务器上运行：

    dingwarden export acks { $id } > notice-{ $id }.csv

    或通过 API（需要 DINGWARDEN_ADMIN_TOKEN）：

    curl -H "Authorization: Bearer $DINGWARDEN_ADMIN_TOKEN" -o notice-{ $id }.csv https://服务地址/api/v1/notices/{ $id }/acks.csv

    设置 DINGWARDEN_PUBLIC_URL 后，这里会直接给出控制台的下载链接。
commands-notice-export-export-notice = 导出通知 #{ $id }
commands-notice-export-open-console-sign-in-required-notice = {""}[打开控制台]({ $link })（需先登录）：通知进度、测验、密码状态和导出。
commands-notice-export-console-is-at-admin-on-this = 控制台在本服务地址的 /admin/ 下（例如 https://服务地址/admin/）。设置 DINGWARDEN_PUBLIC_URL 后，这里会直接给出链接。
commands-notice-export-console = 控制台

## src/commands/notice/offboard.rs

commands-notice-offboard-offboarding-of-started-due-leaver-s =
    已为 { $name } 发起离职流程（截止 { $d }）：
    - 离职须知 #{ $leaver } 已发送给本人
    - 管理员清单 #{ $admin } 已发送给 { $admins } 位管理员
commands-notice-offboard-handover-checklist-is-sent-to-their =
    {""}
    - 主管交接清单 #{ $id } 已发送给 { $m }
commands-notice-offboard-roster-names-no-active-manager-so =
    {""}
    - 花名册中没有其在职主管，未发送主管交接清单
commands-notice-offboard-hr-told =
    {""}
    - 已通知 { $hr } 位人事
commands-notice-offboard-send-notice-status-to-see-who =
    {""}
    发送「通知 状态 { $admin }」查看谁完成了哪一项。

## src/commands/notice/send.rs

commands-notice-send-notice-is-sent-to = 通知 #{ $id } 已发送给 { $n } 人。
commands-notice-send-had-already-received-it-and-are =
    {""}
    另有 { $already } 人此前已收到，不再重复发送。
commands-notice-send-notice-is-sent-to-this-group = 通知 #{ $id } 已发到本群。群成员在与我的单聊中回复「确认 #{ $id }」，或在群里 @我 发送，即可确认；确认的人会计入统计。
commands-notice-send-nobody-to-remind-for-notice-everyone = 通知 #{ $id } 没有需要提醒的人：大家都已确认。
commands-notice-send-reminded = 已提醒 { $n } 人。
commands-notice-send-it-is-quiet-hours-will-be = 现在是免打扰时段，将在 { $when } 提醒 { $n } 人。

## src/commands/notice/status.rs

commands-notice-status-draft = 草稿
commands-notice-status-closed = 已关闭
commands-notice-status-no-notices-yet-send-notice-template = 还没有通知。发送「通知 模板 退出」获取模板，或「通知 新建 标题」新建。
commands-notice-status-notices =
    ### 通知列表
    {""}
commands-notice-status-acked = {""} · 已确认 { $acked }/{ $total }（{ $pct }%）
commands-notice-status-due = {""} · 截止 { $d }
commands-notice-status-notices-2 = 通知列表
commands-notice-status-not-acknowledged-yet-first =
    {""}

    {""}**尚未确认（前 { $shown } 位）**
    { $list }
commands-notice-status-notice-status = 通知 #{ $id } 状态
commands-notice-status-notice-status-2 =
    ### 通知 #{ $id }：{ $title }

    状态：{ $state }
commands-notice-status-first-sent = （首次发送 { $when }）
commands-notice-status-no-deadline = {""} · 未设截止日期
commands-notice-status-acknowledged-pending-overdue-left-delivered-unde =
    {""}

    {""}**已确认 { $acked }/{ $total }（{ $pct }%）**
    - 待确认 { $pending } · 逾期 { $overdue } · 已离职 { $left }
    - 已送达 { $delivered } · 无法送达 { $failed }
commands-notice-status-by-department =
    {""}

    {""}**按部门**
commands-notice-status-no-department = （未分配部门）
commands-notice-status-name-acked-total-pct =
    {""}
    - { $name }：{ $acked }/{ $total }（{ $pct }%）
commands-notice-status-and-more-departments =
    {""}
    - 另有 { $more } 个部门
commands-notice-status-checklist =
    {""}

    {""}**清单完成情况**
commands-notice-status-n-item-done-total-pct =
    {""}
    { $n }. { $item }：{ $done }/{ $total }（{ $pct }%）
commands-notice-status-all-items-done =
    {""}
    全部完成：{ $complete }/{ $total }
commands-notice-status-who-did-what =
    {""}

    {""}**谁完成了哪一项**
commands-notice-status-who-at = { $who }（{ $at }）
commands-notice-status-not-done-yet = 尚未完成
commands-notice-status-n-by =
    {""}
    { $n }. { $by }

## src/commands/password/mod.rs

commands-password-current-password-policy-change-it-with =
    当前密码策略：{ $desc }。{ $escalation }
    修改：发送「密码 策略 天数 [提醒 7,3,1]」，或「密码 策略 nist」。
commands-password-password-policy-updated = 已更新密码策略：{ $desc }。{ $escalation }
commands-password-managers-are-told-once-when-password = 逾期（或强制改密未完成）{ $days } 天后通知其直属主管一次。
commands-password-managers-are-not-told = 不通知主管。
commands-password-recorded-thank-you-your-next-password = 已记录，谢谢！你的下一次改密到期日是 { $due }。
commands-password-recorded-thank-you-current-policy-has = 已记录，谢谢！当前策略不要求定期修改密码；如发现泄露迹象，管理员会通知你。
commands-password-required-change-is-marked-as-done =
    {""}
    管理员要求的改密（{ $ids }）已标记为完成。
commands-password-remember-nobody-will-ever-ask-for =
    {""}
    提醒：任何人都不会向你索要密码，切勿在聊天中发送密码。
commands-password-forced-password-change-is-sent-to = 强制改密通知 #{ $id } 已发送给 { $n } 人。在他们回复「已改密」之前，每天（免打扰时段外）都会提醒。
commands-password-after-their-manager-is-told = { $days } 天后仍未完成的，会通知其直属主管。
commands-password-required-password-change-administrators-require = - **强制改密 #{ $id }**：管理员要求你立即修改密码（原因：{ $reason }）。改完后回复「已改密」。
commands-password-password = {""}**密码**
commands-password-should-be-changed-by-please-change = - 应于 { $due } 前更换：请尽快修改，然后回复「已改密」。
commands-password-was-due-on-overdue-please-change = - 已于 { $due } 到期（逾期 { $days } 天）：请尽快修改，然后回复「已改密」。
commands-password-due-on-left-reply-password-done = - 将于 { $due } 到期（还有 { $days_left } 天）。改完后回复「已改密」。
commands-password-next-change-due-on = - 下次到期日：{ $due }。

## src/commands/password/status.rs

commands-password-status-staff-due-soon-overdue-confirmed-forced = { $total } 人，即将到期 { $due_soon }，已逾期 { $overdue }，已确认 { $confirmed }，强制改密待完成 { $forced }
commands-password-status-staff-confirmed-forced-change-pending = { $total } 人，已确认 { $confirmed }，强制改密待完成 { $forced }
commands-password-status-punctuation = ：
commands-password-status-password-status = 密码状态
commands-password-status-password-status-policy-in-total-by =
    ### 密码状态

    策略：{ $desc }。

    合计：{ $totals }。

    {""}**按部门**

    {""}
commands-password-status-overdue-first-of =
    {""}
    {""}**已逾期（前 { $shown } 位，共 { $n } 位）**

    {""}
commands-password-status-due-overdue =
    - { $who }：{ $due } 到期，已逾期 { $days } 天
    {""}
commands-password-status-forced-change-pending-first-of =
    {""}
    {""}**强制改密待完成（前 { $shown } 位，共 { $n } 位）**

    {""}
commands-password-status-name-id-dept = { $name }（{ $id }，{ $dept }）
commands-password-status-name-id = { $name }（{ $id }）

## src/commands/quiz/admin.rs

commands-quiz-admin-due = ，截止日期 { $d }
commands-quiz-admin-created-quiz-campaign-for-invitations-are = 已创建测验任务 #{ $id }：《{ $title }》布置给 { $n } 人{ $by }。邀请已发出，未通过的人会收到提醒，截止后会通知其上级和人事。
commands-quiz-admin-passed-this-bank-recently-counted-as =
    {""}
    其中 { $passed } 人近期已通过该题库，计为已通过，不再邀请。
commands-quiz-admin-quiz-stats-version =
    ### 测验统计：《{ $title }》（第 { $v } 版）
    {""}
commands-quiz-admin-quiz-stats = 测验统计

## src/commands/quiz/mod.rs

commands-quiz-quiz-in-progress-question-send-quiz = - 测验进行中：《{ $title }》第 { $k }/{ $n } 题，发送「测验」继续
commands-quiz-follow-up-quiz-is-ready-send = - 复习测验已准备好：发送「测验 复习」
commands-quiz-when-title-score-total-verdict = - { $when }《{ $title }》{ $score }/{ $total } { $verdict }
commands-quiz-security-quizzes = {""}**安全测验**
commands-quiz-quiz-was-due-on-and-is = - 测验任务 #{ $id }《{ $title }》已于 { $date } 截止，尚未通过：发送「测验 { $key }」
commands-quiz-quiz-due-not-passed-yet-send = - 测验任务 #{ $id }《{ $title }》截止 { $date }，尚未通过：发送「测验 { $key }」
commands-quiz-quiz-not-passed-yet-send-quiz = - 测验任务 #{ $id }《{ $title }》尚未通过：发送「测验 { $key }」
commands-quiz-passed = 通过
commands-quiz-not-passed = 未通过

## src/commands/quiz/report.rs

commands-quiz-report-by-department-completed-finished-at-least =
    {""}
    {""}**按部门**（完成：至少完成过一次完整测验）

    {""}
commands-quiz-report-total = {""}**合计**
commands-quiz-report-completed-passed =
    - { $name }：完成 { $completed }/{ $members }（{ $cp }%），通过 { $passed }/{ $members }（{ $pp }%）
    {""}
commands-quiz-report-campaigns =
    {""}
    {""}**测验任务**

    {""}
commands-quiz-report-open = 进行中
commands-quiz-report-past-deadline = 已截止
commands-quiz-report-none = 无
commands-quiz-report-due-passed =
    - #{ $id } 截止 { $due }：通过 { $passed }/{ $members }（{ $state }）
    {""}
commands-quiz-report-most-missed-questions =
    {""}
    {""}**最常答错的题目**

    {""}
commands-quiz-report-no-wrong-answers-yet =
    暂无答错记录。
    {""}
commands-quiz-report-missed-times =
    { $n }. { $prompt }（{ $key }）答错 { $wrong }/{ $of } 次
    {""}

## src/commands/quiz/take.rs

commands-quiz-take-quizzes-happen-in-our-1-1 = 测验在我们的单聊中进行，我已经把题目私信发给你了。
commands-quiz-take-stopped-quiz-answered-no-score-recorded = 已放弃测验《{ $title }》（已答 { $k }/{ $n } 题，不计成绩）。随时发送「测验」重新开始。
commands-quiz-take-quiz-banks =
    ### 题库列表

    {""}
commands-quiz-take-questions-per-quiz-to-pass =
    - **{ $key }**《{ $title }》：题库共 { $n } 题，每次 { $per } 题，及格线 { $pp }%
    {""}
commands-quiz-take-send-quiz-bank-to-start-one =
    {""}
    发送「测验 题库名」开始，例如「测验 default」。
commands-quiz-take-quiz-banks-2 = 题库列表

## src/commands/suggest/mod.rs

commands-suggest-i-didn-t-understand-did-you =
    没看懂「{ $typed }」。你是不是想发：
    {""}
commands-suggest-did-you-mean = 你是不是想…
commands-suggest-goes-with =
    「{ $word }」后面可以接：
    {""}
commands-suggest-send-help-to-see-every-command =
    {""}

    发送「帮助」查看全部命令。
commands-suggest-commands = 可用的命令

## src/domain/confirm.rs

domain-confirm-this-will-give-role = 将授予 { $name }「{ $r }」角色。
domain-confirm-this-will-take-role-away-from = 将撤销 { $name }的「{ $r }」角色。
domain-confirm-this-will-start-offboarding-of-they = 将为 { $name }发起离职流程：对方被标记为离职中，并收到离职须知；其主管、管理员和人事收到各自的清单或通知。
domain-confirm-this-needs-your-confirmation-within-5 =
    这项操作需要确认。请在 5 分钟内（{ $until } 前）在本会话发送：
    确认执行 { $code }
    不确认则不会执行任何操作。

## src/domain/incident.rs

domain-incident-security-incident = 安全事件 #{ $id }
domain-incident-new-security-incident-reported-at =
    ### 新的安全事件 #{ $id }

    { $reporter } 于 { $at } 上报：

    { $body }
domain-incident-list-incidents = 查看事件列表
domain-incident-incidents = 事件列表
domain-incident-incident-closed = 安全事件 #{ $id } 已关闭
domain-incident-security-incident-you-reported-has-been = 你上报的安全事件 #{ $id } 已处理并关闭，谢谢你的警惕！{ $extra }

## src/domain/user.rs

domain-user-administrator = 管理员
domain-user-hr = 人事
domain-user-name-staff-id = { $name }（{ $staff_id }）
domain-user-gave-you-role-send-help-to = { $by } 授予了你「{ $r }」角色。发送「帮助」查看你现在可以使用的命令。
domain-user-took-away-your-role = { $by } 撤销了你的「{ $r }」角色。

## src/domain/notice/messages.rs

domain-notice-messages-ack = 确认 #{ $id }
domain-notice-messages-done = 完成 #{ $id } { $n }
domain-notice-messages-acknowledge = 确认已读
domain-notice-messages-done-2 = 完成 { $n }. { $item }
domain-notice-messages-deadline =
    {""}

    {""}**截止日期：{ $d }**
domain-notice-messages-notice = 通知 #{ $id }：{ $t }
domain-notice-messages-notice-tap-acknowledge-or-reply-ack =
    {""}

    ---
    通知 #{ $id }：请点击「确认已读」或回复「确认 #{ $id }」。
domain-notice-messages-tick-each-checklist-item-as-you = 每完成一项清单事项，点击对应按钮或回复「完成 #{ $id } 序号」。
domain-notice-messages-please-reply-ack-in-your-1 =
    {""}

    ---
    请在与我的单聊中回复「确认 #{ $id }」确认已读（或在群里 @我 并发送）。
domain-notice-messages-tick-checklist-items-with-done-n = 完成清单事项后回复「完成 #{ $id } 序号」。
domain-notice-messages-you-have-not-acknowledged-this-notice =
    ### { $title }

    你还没有确认这条通知（#{ $id }）。
domain-notice-messages-tap-acknowledge-or-reply-ack-send =
    {""}

    点击「确认已读」或回复「确认 #{ $id }」；发送「我的」查看全部待办。
domain-notice-messages-reminder-please-acknowledge-notice = 提醒：请确认通知 #{ $id }
domain-notice-messages-overdue-notice-was-due-of-your =
    ### 逾期未确认：通知 #{ $id }

    {""}**{ $title }** 的截止日期（{ $deadline }）已过，你的 { $count } 位下属仍未确认：{ $names }。

    请提醒他们尽快处理。
domain-notice-messages-overdue-notice = 逾期：通知 #{ $id }
domain-notice-messages-deadline-summary-notice-acknowledged-overdue-lef =
    ### 截止汇总：通知 #{ $id }

    {""}**{ $title }**

    - 已确认 { $acked }/{ $total }（{ $pct }%）
    - 逾期未确认 { $overdue }
    - 已离职 { $left }
    - 已通知主管 { $managers } 位
domain-notice-messages-overdue =
    {""}

    逾期：{ $names }
domain-notice-messages-send-notice-status-for-details =
    {""}

    发送「通知 状态 { $id }」查看详情。
domain-notice-messages-deadline-summary-notice = 截止汇总：通知 #{ $id }
domain-notice-messages-reminders-over-notice-has-no-deadline =
    ### 提醒已结束：通知 #{ $id }

    {""}**{ $title }** 没有截止日期，已自动提醒 { $reminders } 次，之后不再自动提醒。仍有 { $pending } 人未确认：{ $names }。

    如需再提醒一次，请发送「通知 提醒 { $id }」；发送「通知 状态 { $id }」查看详情。
domain-notice-messages-reminders-over-notice = 提醒已结束：通知 #{ $id }

## src/domain/notice/mod.rs

domain-notice-exit = 退出
domain-notice-offboarding = 离职
domain-notice-policy = 制度
domain-notice-security = 安全

## src/domain/notice/templates.rs

domain-notice-templates-notice-new-exit-leaving-old-platform =
    通知 新建 退出 关于停止使用【旧平台】的通知
    各位同事：

    公司将于 { $deadline } 停止使用【旧平台】，届时账号将被关闭、数据将被删除。请在截止日期前完成以下事项：

    - [ ] 备份个人文件和聊天记录
    - [ ] 导出通讯录联系人
    - [ ] 将进行中的工作迁移到【新平台】
    - [ ] 移交你负责的共享文档和群组
    - [ ] 登录【新平台】，确认新账号可以正常使用
    - [ ] 提交使用反馈，帮助我们改进迁移

    截止: { $deadline }

    如有疑问，请联系 IT 服务台。
domain-notice-templates-before-you-leave = 离职须知：{ $name }
domain-notice-templates-hello-thank-you-for-your-work =
    { $name }，你好：

    感谢你为公司所做的一切。离职前请完成以下事项：

    - [ ] 将工作文件、文档和共享空间移交给主管或接手的同事
    - [ ] 移交你管理的账号、群组和应用权限
    - [ ] 归还公司设备（电脑、手机、门禁卡、U 盾等）
    - [ ] 导出允许个人保留的资料（如工资单、个人证明）；公司数据请勿带走

    截止: { $deadline }
domain-notice-templates-offboarding-checklist = 离职清单：{ $name }（{ $staff_id }）
domain-notice-templates-is-leaving-admins-please-revoke-their =
    { $name }（{ $staff_id }）正在办理离职，请管理员完成：

    - [ ] 撤销其系统、应用和数据权限
    - [ ] 转移其群主身份和群管理权限
    - [ ] 转移其文档和共享空间的所有权
    - [ ] 归档需要保留的工作数据
    - [ ] 从花名册中移除（停用账号）

    截止: { $deadline }
domain-notice-templates-handover-checklist = 交接清单：{ $name }（{ $staff_id }）
domain-notice-templates-who-reports-to-you-is-leaving =
    你的下属 { $name }（{ $staff_id }）正在办理离职，请作为主管完成交接：

    - [ ] 接手其工作文件、文档和共享空间
    - [ ] 接手或停用其负责的业务账号
    - [ ] 接手其群主身份和群管理权限
    - [ ] 接手其客户和合作伙伴联系人，并告知对方新的联系人

    截止: { $deadline }
domain-notice-templates-offboarding-started-by-due-leaver-s =
    离职流程已发起：{ $leaver }（由 { $by } 发起，截止 { $d }）
    - 离职须知 #{ $ln } 已发送给本人
    - 管理员清单 #{ $an } 已发送给 { $admins } 位管理员
domain-notice-templates-handover-checklist-went-to-their-manager =
    {""}
    - 主管交接清单 #{ $id } 已发送给 { $m }
domain-notice-templates-send-notice-status-to-see-who =
    {""}
    发送「通知 状态 { $an }」查看谁完成了哪一项。

## src/domain/password/messages.rs

domain-password-messages-how-to-change-it-dingtalk-open =
    {""}**如何修改：**

    - 钉钉：打开「我的 → 设置 → 账号与安全」，修改登录密码；
    - 公司其他系统（邮箱、VPN、OA 等）：在该系统的账号设置或公司统一身份认证（SSO）门户中修改，或联系 IT 服务台；
    - 新密码要足够长，且不要与其他网站或系统重复；可以使用公司认可的密码管理器。

    改完后回复「已改密」确认。本机器人和 IT 人员**绝不会**向你索要密码，请勿在任何聊天中发送密码。
domain-password-messages-i-changed-it = 我已修改密码
domain-password-messages-password-done = 已改密
domain-password-messages-your-password-is-due-soon = 密码即将到期
domain-password-messages-your-password-is-due-on-from = 你的密码将于 **{ $due }** 到期（还有 { $n } 天），请在到期前修改。
domain-password-messages-your-password-is-due-today = 密码今天到期
domain-password-messages-your-password-is-due-today-please = 你的密码今天（**{ $due }**）到期，请今天修改。
domain-password-messages-your-password-is-overdue = 密码已逾期
domain-password-messages-your-password-was-due-on-and = 你的密码已于 **{ $due }** 到期，已逾期 { $days } 天，请尽快修改。
domain-password-messages-time-to-change-your-password = 请更换密码
domain-password-messages-under-company-s-password-policy-your = 按照公司的密码策略，你的密码应在 **{ $due }** 前更换（按花名册记录的上次修改日期计算）。请尽快修改。
domain-password-messages-your-password-still-needs-changing = 密码尚未更换
domain-password-messages-we-asked-you-on-to-change = 我们在 **{ $since }** 提醒你更换密码，{ $days } 天过去了，还没有收到你的确认。请尽快修改。
domain-password-messages-colleague-s-password-is-overdue = 同事密码已逾期
domain-password-messages-has-not-confirmed-password-change-they = { $name }（{ $staff_id }）的密码需要更换：本人于 { $since } 收到提醒，{ $days } 天后仍未确认修改。
domain-password-messages-has-not-confirmed-password-change-it = { $name }（{ $staff_id }）的密码已于 { $due } 到期，已逾期 { $days } 天，尚未确认修改。
domain-password-messages-please-remind-them-to-change-it =
    ### { $title }

    { $fact }

    请提醒其尽快修改密码并在钉钉中回复本机器人「已改密」。请勿让其把密码发给你或任何人。
domain-password-messages-change-your-password-now = 请立即修改密码
domain-password-messages-administrators-require-you-to-change-your =
    ### { $title }（#{ $reset_id }）

    管理员要求你立即修改密码。原因：{ $reason }

    { $how }
domain-password-messages-password-change-still-pending = 强制改密尚未完成
domain-password-messages-administrators-asked-you-ago-to-change =
    ### { $title }（#{ $reset_id }）

    管理员 { $days } 天前要求你修改密码（原因：{ $reason }），你还没有确认。

    { $how }
domain-password-messages-colleague-has-not-changed-their-password = 同事尚未完成强制改密
domain-password-messages-was-asked-ago-to-change-their =
    ### { $title }

    { $name }（{ $staff_id }）{ $days } 天前被要求修改密码（#{ $reset_id }），至今尚未确认。

    请提醒其尽快修改并回复本机器人「已改密」。请勿让其把密码发给你或任何人。
domain-password-messages-your-message-looks-like-it-contains =
    ⚠️ 你的消息看起来包含密码或密钥。为了安全，我没有处理也没有保存这条消息。

    请立即修改这个密码（如果是密钥或令牌，请立即作废并重新生成），因为它已经出现在聊天记录中。
    今后请不要在任何聊天中粘贴密码——本机器人和 IT 人员都不会向你索要密码。

    如果这只是示例，请把其中的密码换成 *** 后重新发送。修改完成后回复「已改密」。
domain-password-messages-this-is-group-chat-and-others =
    {""}

    这是群聊，其他成员也能看到：请尽快撤回那条消息。

## src/domain/password/mod.rs

domain-password-change-passwords-every-days-no-reminders = 每 { $days } 天更换一次密码，到期前不提醒（到期后每天提醒）
domain-password-change-passwords-every-days-reminders-days = 每 { $days } 天更换一次密码，到期前 { $list } 天提醒，逾期后每天提醒
domain-password-nist-sp-800-63b-no-forced = NIST SP 800-63B：不强制定期更换，仅在疑似泄露时更换

## src/domain/quiz/intro.rs

domain-quiz-intro-starting-questions-to-pass-questions-you = 开始测验《{ $title }》：共 { $n } 题，答对 { $pp }% 即通过。答错的题目会在以后的测验中再次出现。
domain-quiz-intro-starting-follow-up-on-questions-on = 开始复习测验《{ $title }》：共 { $n } 题，针对你上次答错的主题。
domain-quiz-intro-you-still-have-quiz-in-progress = 你还有一个未完成的测验《{ $title }》，请先完成它，或发送「测验 退出」放弃后再开始新的测验。
domain-quiz-intro-continuing-your-quiz = 继续你的测验《{ $title }》。

## src/domain/quiz/render.rs

domain-quiz-render-answer = 答 { $letter } #{ $id }
domain-quiz-render-quiz = 测验 { $bank_key }
domain-quiz-render-quiz-review = 测验 复习
domain-quiz-render-question-topic =
    #### 《{ $bank }》第 { $pos }/{ $total } 题
    {""}**主题**：{ $topic }

    {""}
domain-quiz-render-tap-button-below-or-reply-with = 点击下方按钮作答，或直接回复字母（如「B」）。
domain-quiz-render-security-quiz = 安全测验 { $pos }/{ $total }
domain-quiz-render-correct = ✅ 回答正确：{ $right }. { $right_text }
domain-quiz-render-not-quite-you-chose-right-answer = ❌ 回答错误。你选了 { $chose }，正确答案是 { $right }：{ $right_text }
domain-quiz-render-why =
    {""}

    {""}**解析**：{ $explanation }
domain-quiz-render-source =
    {""}

    {""}**依据**：{ $source }
domain-quiz-render-answer-2 = 答题结果
domain-quiz-render-passed = {""}**通过** 🎉
domain-quiz-render-not-passed = {""}**未通过**
domain-quiz-render-follow-up-quiz-finished =
    ### 复习测验完成
    {""}
domain-quiz-render-quiz-finished =
    ### 测验完成
    {""}
domain-quiz-render-pass-mark = 《{ $bank }》得分 **{ $score }/{ $total }**（{ $pct }%），及格线 { $pp }%：{ $verdict }
domain-quiz-render-questions-you-missed-will-come-back =
    {""}

    答错的题目会在之后的测验中再次出现，帮你巩固。发送「我的」可查看成绩。
domain-quiz-render-in-i-will-send-you-short =
    {""}

    { $days } 天后我会发给你一份针对薄弱主题的简短复习测验。你也可以随时发送「测验」再试一次。
domain-quiz-render-send-quiz-to-try-again-at =
    {""}

    随时发送「测验」再试一次，答错的题目会再次出现。
domain-quiz-render-quiz-result = 测验结果
domain-quiz-render-start-quiz = 开始测验
domain-quiz-render-by = ，截止日期 { $d }
domain-quiz-render-security-quiz-please-complete-quiz-questions =
    ### 安全测验任务 #{ $id }
    请完成测验《{ $bank }》{ $by }。

    共 { $n } 题，答对 { $pp }% 即通过，几分钟即可完成。点击下方按钮开始，或发送「测验 { $key }」。
domain-quiz-render-security-quiz-2 = 安全测验任务
domain-quiz-render-deadline-is-today = 今天是截止日。
domain-quiz-render-deadline-is-from-now = 截止日期 { $d }，还剩 { $left } 天。
domain-quiz-render-quiz-reminder-you-have-not-passed =
    ### 测验提醒 #{ $id }
    你还没有通过测验《{ $bank }》。{ $when }

    点击下方按钮开始，几分钟即可完成。
domain-quiz-render-quiz-reminder = 测验提醒
domain-quiz-render-name-id-d = - { $name }（{ $id }）· { $d }
domain-quiz-render-name-id = - { $name }（{ $id }）
domain-quiz-render-and-more = - ……另有 { $more } 人
domain-quiz-render-quiz-overdue-quiz-was-due-on =
    ### 测验逾期 #{ $id }
    测验《{ $bank }》已于 { $date } 截止，你的以下下属尚未通过：

    { $list }

    请提醒他们尽快完成。
domain-quiz-render-quiz-overdue = 测验逾期
domain-quiz-render-quiz-campaign-is-past-its-deadline =
    ### 测验任务 #{ $id } 已截止
    《{ $bank }》截止日期 { $date }：{ $passed }/{ $total } 人已通过。
domain-quiz-render-not-passed-2 =
    {""}

    未通过（{ $k } 人）：

    { $list }
domain-quiz-render-quiz-campaign-due = 测验任务截止
domain-quiz-render-follow-up-quiz-in-your-last =
    ### 复习测验
    在上次的测验《{ $bank }》中，你在这些主题上有答错的题目：{ $list }。

    这里有一份 { $n } 道题的简短复习测验。点击下方按钮开始，或发送「测验 复习」。
domain-quiz-render-start-follow-up = 开始复习
domain-quiz-render-follow-up-quiz = 复习测验

## src/http/admin/incidents.rs

http-admin-incidents-security-incidents = 安全事件
http-admin-incidents-open = 未处理（{ $value } 件）
http-admin-incidents-no-open-incidents = 没有未处理的安全事件。
http-admin-incidents-recently-closed-in-all = 最近关闭（共 { $value } 件）
http-admin-incidents-reported-by = 上报人
http-admin-incidents-report = 内容
http-admin-incidents-closed = 关闭

## src/http/admin/layout.rs

http-admin-layout-overview = 概览
http-admin-layout-notices = 通知
http-admin-layout-quizzes = 测验
http-admin-layout-passwords = 密码
http-admin-layout-log-out = 退出登录
http-admin-layout-number-in-link-is-not-valid = 链接中的编号无效。
http-admin-layout-logging-in-and-out-works-only = 只能在本站的页面上登录或退出。
http-admin-layout-service-is-temporarily-unavailable-please-try = 服务暂时不可用，请稍后再试。
http-admin-layout-there-is-no-such-page-or = 没有这个页面或记录：链接可能有误，或记录已被删除。
http-admin-layout-link-or-form-has-something-that = 链接或表单中有无效的内容。
http-admin-layout-something-went-wrong-please-try-again = 出了点问题，请稍后再试。
http-admin-layout-not-found = 找不到
http-admin-layout-bad-request = 请求有误
http-admin-layout-something-went-wrong = 出错了
http-admin-layout-error-code = 错误代码：{ $code }
http-admin-layout-back-to-overview = 返回概览
http-admin-layout-api-tokens = API 令牌
http-admin-layout-dingwarden-console = dingwarden 管理后台
http-admin-layout-not-allowed-2 = 无权访问
http-admin-layout-roster = 花名册
http-admin-layout-too-large = 太大了

## src/http/admin/notices.rs

http-admin-notices-no-notices = 没有通知。
http-admin-notices-title = 标题
http-admin-notices-status = 状态
http-admin-notices-due = 截止
http-admin-notices-acknowledged = 已确认
http-admin-notices-notice = 通知 #{ $id }：{ $title }
http-admin-notices-first-sent = 首次发送 { $when }
http-admin-notices-due-2 = 截止 { $d }
http-admin-notices-not-acknowledged = 尚未确认
http-admin-notices-pending-overdue-left = 待确认 { $pending }，逾期 { $overdue }，已离职 { $left_count }
http-admin-notices-delivery = 送达
http-admin-notices-undeliverable = 无法送达 { $undeliverable }
http-admin-notices-export-csv = 导出 CSV
http-admin-notices-export-json = 导出 JSON
http-admin-notices-notice-text = 通知正文
http-admin-notices-by-department = 按部门
http-admin-notices-department = 部门
http-admin-notices-left = 已离职
http-admin-notices-undeliverable-2 = 无法送达
http-admin-notices-checklist-done = 清单全部完成
http-admin-notices-checklist = 清单完成情况
http-admin-notices-item = 事项
http-admin-notices-done = 已完成
http-admin-notices-all-items = 全部完成
http-admin-notices-new-notice = 写通知
http-admin-notices-done-by = 谁完成的

## src/http/admin/overview.rs

http-admin-overview-open-notices = 进行中的通知
http-admin-overview-security-quizzes = 安全测验
http-admin-overview-no-quiz-banks-yet = 还没有题库。
http-admin-overview-bank = 题库
http-admin-overview-completed = 完成
http-admin-overview-passed = 通过
http-admin-overview-acknowledgements-outstanding = 待确认 { $waiting } 人次
http-admin-overview-quiz-pass-rate = 测验通过率
http-admin-overview-passwords-overdue = 密码已逾期
http-admin-overview-due-soon = 即将到期 { $due_soon }，
http-admin-overview-forced-changes-pending = 强制改密待完成 { $forced }
http-admin-overview-open-incidents = 未处理的安全事件
http-admin-overview-view = 查看
http-admin-overview-healthy = 正常
http-admin-overview-delayed-or-retrying = 有延迟或重试
http-admin-overview-messages-failed = 有发送失败
http-admin-overview-waiting-retrying-dead = 待发送 { $pending }，重试中 { $failing }，已放弃 { $dead }
http-admin-overview-oldest-due-for-s = 最早一条已等待 { $s } 秒
http-admin-overview-last-7-days-acknowledgements-quizzes-finished = 最近 7 天：确认数/完成测验数
http-admin-overview-this-week = 本周趋势
http-admin-overview-acknowledgements = 通知确认
http-admin-overview-quizzes-finished = 完成测验
http-admin-overview-day = 日期
http-admin-overview-acks = 确认

## src/http/admin/passwords.rs

http-admin-passwords-policy = 策略：{ $describe }
http-admin-passwords-staff = 人数
http-admin-passwords-due-soon = 即将到期
http-admin-passwords-overdue = 已逾期
http-admin-passwords-confirmed = 已确认
http-admin-passwords-forced-change-pending = 强制改密待完成
http-admin-passwords-total = 合计
http-admin-passwords-overdue-2 = 已逾期（{ $overdue } 人）
http-admin-passwords-name = 姓名
http-admin-passwords-due = 到期日
http-admin-passwords-days-overdue = 逾期天数
http-admin-passwords-forced-change-pending-2 = 强制改密待完成（{ $forced } 人）
http-admin-passwords-forced-changes = 强制改密

## src/http/admin/quiz.rs

http-admin-quiz-version-pass-mark-questions-per-attempt = 第 { $version } 版 · 及格线 { $pass_percent }% · 每次 { $questions_per_attempt } 题
http-admin-quiz-completed-at-least-one-full-quiz = 完成（至少完成一次完整测验）
http-admin-quiz-export-attempts-csv = 导出答题记录 CSV
http-admin-quiz-campaigns = 测验任务
http-admin-quiz-most-missed-questions = 最常答错的题目
http-admin-quiz-no-wrong-answers-yet = 暂无答错记录。
http-admin-quiz-question = 题目
http-admin-quiz-missed = 答错
http-admin-quiz-assign-quiz = 布置测验

## src/actions/refusal/console.rs

actions-refusal-console-sorry-console-is-for-active-administrators = 抱歉，管理后台仅供在职的管理员和人事使用（你的工号：{ $staff_id }）。如需使用，请联系管理员在钉钉中为你授予角色。
actions-refusal-console-give-token-label-1-to-characters = 请为令牌填写用途说明（1 到 { $max } 个字）。
actions-refusal-console-is-not-active-administrator-and-cannot = { $staff_id } 不是在职管理员，不能持有 admin 范围的令牌。
actions-refusal-console-is-not-active-administrator-or-hr = { $staff_id } 不是在职的管理员或人事，不能持有令牌。
actions-refusal-console-there-is-no-api-token = 没有编号为 #{ $id } 的 API 令牌。
actions-refusal-console-api-token-was-revoked-already = API 令牌 #{ $id } 已经撤销。

## src/commands/private.rs

commands-private-sent-to-you-in-direct-message = 已私信发给你。

## src/http/admin/login.rs

http-admin-login-this-sign-in-link-has-expired = 登录链接已过期或不是从本浏览器发起的，请重新登录。
http-admin-login-dingtalk-returned-no-authorisation-code-sign = 钉钉没有返回授权码（登录已取消？），请重新登录。
http-admin-login-dingtalk-could-not-confirm-who-you = 无法通过钉钉确认你的身份，请重新登录。

## src/http/admin/tokens.rs

http-admin-tokens-all-tokens = 所有令牌
http-admin-tokens-new-token = 新建令牌
http-admin-tokens-what-it-is-for = 用途
http-admin-tokens-e-g-siem-export = 例如：SIEM 导出
http-admin-tokens-owner-s-staff-id-empty-yourself = 持有人工号（留空为自己）
http-admin-tokens-scope = 范围
http-admin-tokens-read-reads-and-exports = read：只读与导出
http-admin-tokens-admin-reads-and-writes = admin：读写
http-admin-tokens-create-token = 生成令牌
http-admin-tokens-no-tokens-yet = 还没有令牌。
http-admin-tokens-label = 用途
http-admin-tokens-owner = 持有人
http-admin-tokens-created = 创建
http-admin-tokens-last-used = 最近使用
http-admin-tokens-state = 状态
http-admin-tokens-revoked = 已撤销
http-admin-tokens-revoke = 撤销
http-admin-tokens-token-created = 令牌 #{ $id } 已生成
http-admin-tokens-copy-it-now-it-cannot-be = 请立即复制，离开本页后将无法再次查看：
http-admin-tokens-owner-scope-use-authorization-bearer-token = 持有人 { $owner }，范围 { $scope }。用法：Authorization: Bearer <令牌>
http-admin-tokens-scope-must-be-read-or-admin = 范围须为 read 或 admin。

## src/http/admin/views.rs

http-admin-views-sign-in = 登录
http-admin-views-console-is-for-administrators-and-hr = 管理后台仅供管理员和人事使用。
http-admin-views-sign-in-with-dingtalk = 使用钉钉登录
http-admin-views-development-mode-serve-dev-sign-in = 开发模式（serve --dev）：以下列身份登录
http-admin-views-no-administrators-or-hr-yet = 还没有管理员或人事。
http-admin-views-punctuation = English
http-admin-views-back-to-sign-in = 返回登录页
http-admin-views-too-many-failed-attempts-from-your = 失败次数过多，请 { $wait_secs } 秒后再试。

## src/http/admin/auth/mod.rs

http-admin-auth-requests-from-other-sites-are-refused = 拒绝来自其他网站的请求。
http-admin-auth-this-form-has-expired-go-back = 表单已失效，请返回页面刷新后重试。
http-admin-auth-this-page-is-for-administrators-only = 这一页仅供管理员使用。

## src/http/admin/recipients.rs

http-admin-recipients-acknowledged = 已确认
http-admin-recipients-pending = 待确认
http-admin-recipients-overdue = 逾期
http-admin-recipients-left = 已离职
http-admin-recipients-not-acknowledged = 未确认
http-admin-recipients-pending-2 = 待确认
http-admin-recipients-overdue-2 = 逾期
http-admin-recipients-everyone = 全部
http-admin-recipients-all-departments = 全部部门
http-admin-recipients-filter = 筛选
http-admin-recipients-recipients = 收件人
http-admin-recipients-people-match = 符合条件的有 { $n } 人。
http-admin-recipients-only-first-are-shown-export-for = 只显示前 { $shown } 位；完整名单请导出。
http-admin-recipients-checklist = 清单
http-admin-recipients-reminded = 已提醒

## src/http/admin/act/forms.rs

http-admin-act-forms-general = 一般
http-admin-act-forms-exit = 退出/离职
http-admin-act-forms-kind = 类型
http-admin-act-forms-body-markdown = 正文（Markdown）
http-admin-act-forms-checklist-one-item-per-line-optional = 清单（每行一项，可留空）
http-admin-act-forms-one-item-per-line-at-most = 每项一行，最多 20 项。
http-admin-act-forms-deadline-optional = 截止日期（可留空）
http-admin-act-forms-preview = 预览
http-admin-act-forms-save-draft = 保存草稿
http-admin-act-forms-message-recipients-get = 收件人看到的消息
http-admin-act-forms-who-gets-it = 发给谁
http-admin-act-forms-everyone = 全员
http-admin-act-forms-these-departments-with-their-sub-departments = 以下部门（含下级部门）
http-admin-act-forms-departments = 部门
http-admin-act-forms-these-staff-ids = 指定工号
http-admin-act-forms-staff-ids-separated-by-commas-spaces = 工号（用逗号、空格或换行分隔）

## src/http/admin/act/mod.rs

http-admin-act-only-administrators-can-do-that = 这项操作仅限管理员。
http-admin-act-back = 返回
http-admin-act-not-done = 未完成
http-admin-act-what-was-sent-is-too-large = 发送的内容太大：文件最大 { $mib } MiB，其他表单最大 { $kib } KiB。什么都没有改变。请把花名册拆成几个文件，或只导出需要的列。

## src/http/admin/act/notices.rs

http-admin-act-notices-give-notice-title-one-line = 请填写标题（一行）。
http-admin-act-notices-draft-saved = 已保存草稿 #{ $id }
http-admin-act-notices-notice-is-saved-as-draft-nothing = 通知「{ $title }」已保存为草稿，尚未发送。
http-admin-act-notices-choose-recipients-and-send = 选择收件人并发送
http-admin-act-notices-once-saved-notice-s-number-replaces = 保存后通知编号会替换 #0。
http-admin-act-notices-edit = 修改
http-admin-act-notices-actions = 操作
http-admin-act-notices-next-see-how-many-people = 下一步：确认人数
http-admin-act-notices-remind-everyone-who-has-not-acknowledged = 立即提醒未确认的人
http-admin-act-notices-close-notice = 关闭通知
http-admin-act-notices-give-at-least-one-staff-id = 请填写至少一个工号。
http-admin-act-notices-choose-at-least-one-department = 请至少选择一个部门。
http-admin-act-notices-choose-who-gets-it = 请选择发给谁。
http-admin-act-notices-notice-sent = 已发送通知 #{ $id }
http-admin-act-notices-queued-for-people-had-it-already = 已排队发送给 { $n } 人；{ $already } 人之前已收到。
http-admin-act-notices-unknown-staff-ids-or-people-who = 未知或已离职的工号：
http-admin-act-notices-send-notice = 确认发送通知 #{ $id }
http-admin-act-notices-it-goes-to-people = 将发送给 { $n } 人。
http-admin-act-notices-send-it = 确认发送
http-admin-act-notices-people-who-had-not-acknowledged-are = 已提醒 { $n } 位尚未确认的人。
http-admin-act-notices-it-is-quiet-hours-reminders-go = 现在是免打扰时段，提醒将在 { $when } 发出。
http-admin-act-notices-notice-closed = 已关闭通知 #{ $id }
http-admin-act-notices-no-more-reminders-or-acknowledgements = 不再提醒，也不再接受确认。
http-admin-act-notices-offboarding-is-complete-is-marked-as = 离职流程已完成：{ $who } 已标记为离职。

## src/http/admin/act/people.rs

http-admin-act-people-manager = 上级 { $m }
http-admin-act-people-active = 在职
http-admin-act-people-notices = 收到的通知
http-admin-act-people-no-notices = 没有收到过通知。
http-admin-act-people-acknowledged = 确认
http-admin-act-people-quiz-results = 测验成绩
http-admin-act-people-no-finished-quizzes = 还没有完成的测验。
http-admin-act-people-score = 得分
http-admin-act-people-result = 结果
http-admin-act-people-finished = 完成时间
http-admin-act-people-campaigns-not-passed-yet = 未通过的测验任务：{ $campaigns }
http-admin-act-people-not-applicable-not-active = 不适用（不在职）
http-admin-act-people-fine-due = 正常，{ $d } 到期
http-admin-act-people-fine = 正常
http-admin-act-people-due-soon-days-left = 即将到期：{ $due }（还有 { $days_left } 天）
http-admin-act-people-overdue-since-days = 已逾期：{ $due }（{ $days } 天）
http-admin-act-people-password = 密码
http-admin-act-people-forced-changes-still-owed = 尚未完成的强制改密：{ $resets }
http-admin-act-people-manage = 管理
http-admin-act-people-role = 角色
http-admin-act-people-grant = 授予
http-admin-act-people-start-offboarding = 开始离职流程
http-admin-act-people-please-confirm = 请确认
http-admin-act-people-confirmation-code = 确认码：
http-admin-act-people-type-code-above-before-nothing-happens = 请在 { $until } 前输入上面的确认码；不确认则不会执行任何操作。
http-admin-act-people-code = 确认码
http-admin-act-people-confirm = 确认执行
http-admin-act-people-role-must-be-admin-or-hr = 角色只能是 admin 或 hr。
http-admin-act-people-now-holds-role = 已授予 { $staff_id } { $label }角色。
http-admin-act-people-no-longer-holds-role = 已撤销 { $staff_id } 的角色。
http-admin-act-people-done = 已执行
http-admin-act-people-offboarding-of-started-due-leaver-s = 已开始 { $name } 的离职流程（截止 { $d }）：离职须知 #{ $leaver }，管理员清单 #{ $admin }
http-admin-act-people-manager-s-handover-checklist = ，主管交接清单 #{ $id }（{ $m }）
http-admin-act-people-roster-names-no-active-manager-so = ；花名册中没有其在职主管，未发送主管交接清单
http-admin-act-people-hr-people-told = ；已通知 { $hr } 位人事。

## src/http/admin/act/quiz.rs

http-admin-act-quiz-quiz-campaign-created = 已创建测验任务 #{ $id }
http-admin-act-quiz-assigned-to-people-invitations-are-queued = 已布置给 { $n } 人，邀请已排队发送。
http-admin-act-quiz-assign-quiz = 确认布置测验
http-admin-act-quiz-bank-goes-to-people = 题库 { $bank } 将布置给 { $n } 人。
http-admin-act-quiz-assign-it = 确认布置

## src/http/admin/act/roster/mod.rs

http-admin-act-roster-import-roster = 导入花名册
http-admin-act-roster-form-was-damaged-choose-file-again = 表单内容已损坏，请重新选择文件。
http-admin-act-roster-choose-csv-file-or-paste-its = 请选择一个 CSV 文件，或粘贴 CSV 内容。

## src/http/admin/act/roster/view.rs

http-admin-act-roster-view-dry-run-comes-first-page-lists = 先试运行：页面会列出新增、变更、离职、重新入职的人员和角色变更，确认后才会写入。
http-admin-act-roster-view-utf-8-csv-with-header-line = UTF-8 CSV，首行为列名：staff_id（必填）、name、department、manager_staff_id、role、password_changed_at、active。
http-admin-act-roster-view-roster-csv-file = 花名册 CSV 文件
http-admin-act-roster-view-or-paste-csv = 或粘贴 CSV 内容
http-admin-act-roster-view-dry-run-changes-nothing = 试运行（不做更改）
http-admin-act-roster-view-has-bad-rows-nothing-was-imported = { $name } 有 { $bad_rows } 行有误，没有导入任何内容：
http-admin-act-roster-view-line = 第 { $line } 行：
http-admin-act-roster-view-name = 姓名
http-admin-act-roster-view-department = 部门
http-admin-act-roster-view-manager = 上级
http-admin-act-roster-view-password-date = 改密日期
http-admin-act-roster-view-only-first-are-listed = 只列出前 { $listed } 位。
http-admin-act-roster-view-new-changed-leaving-rejoining-role-changes = 新增 { $new }，变更 { $changed }，离职 { $leaving }，重新入职 { $back }，角色变更 { $roles }，不变 { $same }（现有在职 { $active } 人）。
http-admin-act-roster-view-new = 新增
http-admin-act-roster-view-changed = 变更
http-admin-act-roster-view-leaving = 离职
http-admin-act-roster-view-rejoining = 重新入职
http-admin-act-roster-view-role-changes = 角色变更
http-admin-act-roster-view-warnings = 提醒
http-admin-act-roster-view-people-who-get-password-reminder-within = 导入后一天内将收到改密提醒的人数：{ $soon }
http-admin-act-roster-view-grant = 授予{ $role }
http-admin-act-roster-view-revoke = 撤销{ $role }
http-admin-act-roster-view-line-2 = 第 { $l } 行：
http-admin-act-roster-view-manager-of-is-neither-in-this = { $staff_id } 的上级 { $manager } 既不在此文件中，也不是在职用户
http-admin-act-roster-view-not-imported-tick-confirmation-box-below = 没有导入：请先勾选下面的确认框。
http-admin-act-roster-view-dry-run = 试运行：{ $name }
http-admin-act-roster-view-nothing-was-changed-yet-file-sha = 尚未做任何更改。文件 SHA-256：
http-admin-act-roster-view-of-active-users-would-be-marked = 将有 { $n } 人（在职 { $active } 人）被标记为离职，超过上限（{ $max }% 或 20 人）。
http-admin-act-roster-view-i-have-checked-mark-these-people = 我已核对，确认将这 { $n } 人标记为离职
http-admin-act-roster-view-apply-import = 确认导入
http-admin-act-roster-view-choose-another-file = 换一个文件
http-admin-act-roster-view-is-imported = 已导入 { $name }。
http-admin-act-roster-view-users-new-updated-unchanged-left-rejoined = 共 { $users } 人：新增 { $added }，更新 { $updated }，不变 { $same }，离职 { $left }，重新入职 { $back }；授予角色 { $granted }，撤销角色 { $revoked }。
