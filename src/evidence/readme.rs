//! `README.txt` of every bundle: what each file is and how to check it, in
//! Chinese and English, for an auditor who has only the ZIP.

/// The text (UTF-8).
pub const TEXT: &str = r#"dingwarden 证据包 / dingwarden evidence bundle
==============================================

【中文】

本压缩包由 dingwarden（钉钉安全运营机器人）导出，供审计使用：发布了哪些通知、
发给了谁、谁在何时确认并完成了哪些步骤、谁参加了哪些培训测验、密码轮换的执行
情况、上报了哪些安全事件，以及记录这一切的防篡改审计日志。导出时间、导出人、
覆盖期间与各项数量见 manifest.json。时间均为 RFC 3339 格式（含时区）。

文件说明
  manifest.json                    清单：内容、期间（period）、导出时间与导出人、各项数量
                                   （counts）、审计日志区段（audit），以及其余每个文件的
                                   SHA-256 与字节数（files）
  manifest.sig                     （机构配置了签名密钥时）manifest.json 原始字节的
                                   Ed25519 签名，Base64 编码
  README.txt                       本说明
  notices/notices.json             通知：类型、标题、正文、截止日期、状态、发布人，检查清单
                                   各项及勾选人数，收件人数与已确认人数
  notices/notice-N-acks.csv, .json 第 N 号通知每位收件人一行：送达、确认时间与方式、清单进度、
                                   提醒次数、状态（acked 已确认 / pending 待确认 /
                                   overdue 逾期 / left 已离职）。CSV 为带 BOM 的 UTF-8，
                                   可直接用 Excel 打开
  quiz/campaigns.json              测验活动：题库、对象、截止日期、人数与通过人数
  quiz/attempts.csv, .json         每次测验：人员、部门、得分、及格线、是否通过、起止时间
  passwords/policy-changes.json    密码策略的每次变更：时间、操作人、变更前后（只有天数与
                                   提醒设置——本系统从不索取、接收或保存密码）
  passwords/confirmations.csv, .json  员工确认“已改密”的时间
  passwords/forced-changes.json    强制改密：原因、对象、人数、已完成人数
  passwords/forced-change-targets.csv  强制改密的每位对象：通知时间、完成时间
  incidents/incidents.json         安全事件：类别、上报人、时间、状态、关闭时间与关闭人；
                                   正文在保留期限内保留，到期后按保留规定抹除
  incidents/feedback.json          反馈，规则同上
  roster/users.csv, .json          导出时的人员名册快照：部门、上级、角色、在职或离职日期。
                                   已离职并超过保留期限的人员以“已离职用户 #XXXX”和假名
                                   工号出现
  audit/audit.jsonl                审计日志，每行一条 JSON，含哈希链（见下）

如何核验
  1. 最简单：dingwarden evidence verify 本文件.zip [--pubkey 公钥]
     不需要数据库和配置；核对每个文件与清单、审计哈希链，以及（给出公钥时）签名；
     每个问题一行，注明文件（和审计序号），全部无误时才以 0 退出。
  2. 文件：逐个计算 SHA-256（如 sha256sum），与 manifest.json 中 files 的 sha256 和
     size 对比；压缩包中不应有清单之外的文件（manifest.json、manifest.sig 除外）。
  3. 签名：向机构索取公钥（`dingwarden evidence pubkey` 的输出，PEM 格式），然后
       base64 -d manifest.sig > manifest.sig.bin
       openssl pkeyutl -verify -pubin -inkey pubkey.pem -rawin -in manifest.json -sigfile manifest.sig.bin
     没有签名时，清单只能证明各文件与它一致：能改动文件的人也能重写清单。此时请把
     manifest.json 中 audit.head（序号:哈希）与机构另行留存的记录核对，或核对机构审计
     日志中本次导出的 evidence.export 条目所记的 manifest_sha256。
  4. 审计哈希链：audit.jsonl 按 seq 递增，每行的 prev_hash 等于上一行的 hash；第一行
     链接到 manifest.json 的 audit.first_prev_hash（从第 1 条开始时为 64 个 0），最后
     一行的 hash 等于 audit.head。各 hash 均为 SHA-256 的十六进制小写：
       seq 小于 audit.current_form_from 的条目（旧格式）：
         hash = SHA-256( [seq, at_ms, actor, action, subject, details, prev_hash] )
       其余条目：
         payload_hash = SHA-256( [payload_salt, actor, subject, details] )
         hash = SHA-256( [seq, at_ms, action, payload_hash, prev_hash] )
     方括号为紧凑 JSON 数组（无空格），details 为该行 details 字段的紧凑 JSON 文本。
     details 为 {"at":…,"redacted":"retention"} 的条目，其内容已按保留期限抹除
     （操作人、对象可能已替换为假名，payload_salt 为空）：链仍然成立，它的内容只由
     payload_hash 证明。这类条目会被单独计数（audit.redacted），其他任何改动都会使
     核验失败。


【English】

This archive was exported by dingwarden (a DingTalk security-operations bot)
for audit: which notices were announced, to whom, who acknowledged them and
completed which step when, who took which training quiz, how password
rotation went, which security incidents were reported, and the tamper-evident
audit log that records all of it. When, by whom, for which period and the
counts are in manifest.json. Times are RFC 3339 with their offset.

The files
  manifest.json                    what this is, the period, when and by whom it was made, counts,
                                   the audit log segment (audit), and the SHA-256 and size of
                                   every other file (files)
  manifest.sig                     when the organisation configured a signing key: the Ed25519
                                   signature of manifest.json's exact bytes, base64
  README.txt                       this text
  notices/notices.json             notices: kind, title, body, deadline, status, author, each
                                   checklist item with how many ticked it, recipients, acknowledged
  notices/notice-N-acks.csv, .json one row per recipient of notice N: delivered, acknowledged (when,
                                   how), checklist progress, reminders, status (acked, pending,
                                   overdue, left). The CSV is UTF-8 with a BOM, for Excel
  quiz/campaigns.json              quiz campaigns: bank, audience, deadline, members, passed
  quiz/attempts.csv, .json         every quiz attempt: person, department, score, pass mark,
                                   passed, start and end
  passwords/policy-changes.json    every password policy change: when, by whom, before and after
                                   (days and reminder settings only: the bot never asks for,
                                   accepts or stores a password)
  passwords/confirmations.csv, .json  when people confirmed they changed their password
  passwords/forced-changes.json    forced changes: reason, audience, targets, done
  passwords/forced-change-targets.csv  each target of a forced change: told when, done when
  incidents/incidents.json         security incidents: category, reporter, dates, status, who
                                   closed them; the text while retention keeps it, erased after
  incidents/feedback.json          feedback, likewise
  roster/users.csv, .json          the roster at export time: department, manager, roles, active
                                   or the date they left. People who left longer ago than the
                                   retention period appear as "已离职用户 #XXXX" with a
                                   pseudonymous staff id
  audit/audit.jsonl                the audit log, one JSON object per line, with its hash chain

How to check it
  1. Simplest: dingwarden evidence verify THIS.zip [--pubkey KEY]
     It needs no database and no configuration; it checks every file against the manifest,
     the audit chain, and (given a public key) the signature; it prints one line per problem
     naming the file (and the audit seq), and exits 0 only if everything holds.
  2. Files: compute each file's SHA-256 (e.g. sha256sum) and compare with the sha256 and size
     listed under files in manifest.json; the archive holds no other files (apart from
     manifest.json and manifest.sig).
  3. Signature: get the organisation's public key (the PEM that `dingwarden evidence pubkey`
     prints), then
       base64 -d manifest.sig > manifest.sig.bin
       openssl pkeyutl -verify -pubin -inkey pubkey.pem -rawin -in manifest.json -sigfile manifest.sig.bin
     Without a signature the manifest proves only that the files agree with it: whoever can
     change a file can rewrite the manifest too. Then compare audit.head (seq:hash) in
     manifest.json with a head the organisation recorded elsewhere, or with the
     manifest_sha256 of this export's evidence.export entry in the organisation's audit log.
  4. The audit chain: lines go up by seq; each prev_hash is the hash of the line before; the
     first links to audit.first_prev_hash in manifest.json (64 zeros when it starts at #1), and
     the last hash is audit.head. Every hash is lowercase hex SHA-256:
       entries with seq below audit.current_form_from (the old form):
         hash = SHA-256( [seq, at_ms, actor, action, subject, details, prev_hash] )
       all others:
         payload_hash = SHA-256( [payload_salt, actor, subject, details] )
         hash = SHA-256( [seq, at_ms, action, payload_hash, prev_hash] )
     The brackets are a compact JSON array (no spaces); details is the compact JSON text of the
     line's details field. An entry whose details is {"at":…,"redacted":"retention"} had its
     contents erased under retention (its actor and subject may be pseudonyms, its
     payload_salt is empty): the chain still holds and only its payload_hash vouches for what
     it said. Such entries are counted (audit.redacted); any other change fails the check.
"#;
