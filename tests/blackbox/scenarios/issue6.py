"""Issue 6 (quizzes): a broken bank through `quiz check`, a default-bank
quiz answered by letter until the N/M score, an answer after the end,
`me`, a quiz started in a group continuing by DM, and stats as an admin."""

import re
import time

from urllib.parse import unquote

from dwbb.bot import Bot, buttons
from dwbb.fake import Fake, body_text

BROKEN = '''id = "broken"
title = { zh = "坏题库", en = "Broken" }
pass_percent = 80

[topics]
t = { zh = "主题", en = "Topic" }

[[questions]]
id = "q1"
topic = "t"
prompt = { zh = "问题一？" }
options = [ { zh = "甲", en = "A" }, { zh = "乙", en = "B" } ]
correct = "A"
explanation = { zh = "因为。", en = "Because." }

[[questions]]
id = "q1"
topic = "t"
prompt = { zh = "问题二？", en = "Question two?" }
options = [ { zh = "甲", en = "A" } ]
correct = "C"
explanation = { zh = "因为。", en = "Because." }

[[questions]]
id = "q3"
topic = "t"
prompt = { zh = "问题三？", en = "Question three?" }
options = [ { zh = "1", en = "1" }, { zh = "2", en = "2" }, { zh = "3", en = "3" }, { zh = "4", en = "4" }, { zh = "5", en = "5" }, { zh = "6", en = "6" }, { zh = "7", en = "7" } ]
explanation = { zh = "因为。", en = "Because." }
'''

GOOD = '''id = "phishing-drill"
title = { zh = "钓鱼演练", en = "Phishing drill" }
pass_percent = 50
questions_per_attempt = 2

[topics]
phishing = { zh = "钓鱼", en = "Phishing" }

[[questions]]
id = "p1"
topic = "phishing"
prompt = { zh = "收到要求输入密码的陌生链接，应该？", en = "A strange link asks for your password. You should?" }
options = [ { zh = "不点击并上报", en = "Not click it and report it" }, { zh = "点击看看", en = "Click to see" } ]
correct = "A"
explanation = { zh = "陌生链接可能是钓鱼。", en = "Strange links may be phishing." }

[[questions]]
id = "p2"
topic = "phishing"
prompt = { zh = "陌生人打电话索要验证码，应该？", en = "A stranger calls asking for your code. You should?" }
options = [ { zh = "告诉他", en = "Tell them" }, { zh = "拒绝并上报", en = "Refuse and report" } ]
correct = "B"
explanation = { zh = "验证码不能告诉任何人。", en = "Never share codes." }
'''


def run(r, work):
    fake = Fake().start()
    bot = Bot(fake, work / "quiz", admins="boss", hr="hrx").start()
    try:
        scenario(r, bot, fake, work)
    finally:
        bot.stop()
        fake.stop()


def take(r, bot, staff, label, **kw):
    """Answers by letter until the score; returns (replies, corrects, answered, score, taps)."""
    bodies = bot.say(staff, "quiz", **kw)
    t = "\n---\n".join(body_text(b) for b in bodies)
    taps = [unquote(u.split("content=", 1)[1]) for _, u in buttons(bodies)]
    corrects = answered = 0
    replies = [t]
    for _ in range(12):
        letter = "ABCD"[answered % 3]
        bodies = bot.say(staff, letter)
        t = "\n---\n".join(body_text(b) for b in bodies)
        replies.append(t)
        answered += 1
        if t.startswith("✅"):
            corrects += 1
        score = re.search(r"(测验完成|Quiz finished)[\s\S]*?(\*\*)(\d+)/(\d+)\*\*", t)
        if score:
            return replies, corrects, answered, score, taps
    r.check(False, f"{label}: quiz ended with a score", replies[-3:])
    return replies, corrects, answered, None, taps


def scenario(r, bot, fake, work):
    broken = work / "broken.toml"
    broken.write_text(BROKEN, "utf-8")
    res = bot.cli("quiz", "check", str(broken))
    print("      ", res.out.strip().replace("\n", "\n       "), res.err.strip().replace("\n", "\n       "))
    out = res.out + res.err
    r.check(res.returncode != 0, "broken bank: exit non-zero")
    r.check(re.search(r"broken.toml:\d+: .*(translation|en|English)", out, re.I) is not None,
            "missing translation reported with file:line", out)
    r.check(re.search(r"broken.toml:\d+: .*duplicate", out, re.I) is not None, "duplicate id reported", out)
    r.check(re.search(r"broken.toml:\d+: .*(2|two).*6|option", out, re.I) is not None, "option count reported", out)
    r.check(re.search(r"broken.toml:\d+: .*correct", out, re.I) is not None, "missing/unknown correct reported", out)
    good = work / "good.toml"
    good.write_text(GOOD, "utf-8")
    res = bot.cli("quiz", "check", str(good))
    r.check(res.returncode == 0, "good bank passes quiz check", res.out + res.err)
    res = bot.cli("quiz", "import", str(good))
    r.check(res.returncode == 0, "quiz import", res.out + res.err)

    # Chinese quiz by letter.
    replies, corrects, answered, score, taps = take(r, bot, "e1", "zh quiz")
    print("       first question:\n       " + replies[0][:700].replace("\n", "\n       "))
    print("       last reply:\n       " + replies[-1][:700].replace("\n", "\n       "))
    if score:
        n, m = int(score.group(3)), int(score.group(4))
        r.check(m == 5 and answered == 5, "5 questions per attempt", (answered, m))
        r.check(n == corrects, "score N/M counts the right answers", (n, corrects))
        r.check(("通过" in replies[-1]) or ("未通过" in replies[-1]), "pass/fail shown", replies[-1][-300:])
    t = bot.say_text("e1", "B")
    r.check("结束" in t or "没有" in t or "测验" in t, "an answer after the end is answered, not scored", t)
    rows = bot.sql("SELECT score, total FROM quiz_attempts WHERE staff_id = 'e1'") if _has_col(bot) else []
    t = bot.say_text("e1", "me")
    r.check(re.search(r"\d+/5", t) is not None, "`me` shows the quiz result", t)

    # English, by button reply texts.
    bot.say("e2", "lang en")
    replies, corrects, answered, score, taps = take(r, bot, "e2", "en quiz")
    r.check(score is not None and "Security" in replies[0], "English quiz works", replies[0][:200])

    # Stale tap: replay the first answer of a finished quiz.
    r.check(bool(taps) and taps[0].startswith("answer A #"), "buttons send `answer X #id`", taps)
    t = bot.say_text("e2", taps[0] if taps else "answer A #1")
    r.check("over" in t.lower() or "already" in t.lower() or "no quiz" in t.lower(), "stale tap answered", t)

    # Quit.
    bot.say("e3", "quiz")
    t = bot.say_text("e3", "quiz quit")
    r.check("退出" in t or "放弃" in t or "结束" in t, "quiz quit", t)

    # Group -> DM.
    bodies = bot.say("e4", "quiz", group="G1")
    t = "\n".join(body_text(b) for b in bodies)
    r.check(len(t) < 400, "group gets a brief answer", t)
    ok = fake.wait_for(lambda: fake.dm_texts("e4"), 15)
    r.check(bool(ok) and ("1/5" in fake.dm_texts("e4")[0] or "1/" in fake.dm_texts("e4")[0]),
            "the first question arrives by DM (batchSend)", fake.dm_texts("e4"))
    t = bot.say_text("e4", "A")
    r.check("✅" in t or "❌" in t, "answering in 1:1 continues the group-started quiz", t)

    # Stats as admin and HR.
    t = bot.say_text("boss", "quiz stats")
    print("       stats:\n       " + t[:900].replace("\n", "\n       "))
    r.check(re.search(r"\d", t) is not None and ("通过" in t), "quiz stats as admin", t)
    t = bot.say_text("hrx", "quiz stats default")
    r.check("通过" in t, "quiz stats as HR", t)
    t = bot.say_text("e1", "quiz stats")
    r.check("仅限" in t, "employee refused stats", t)
    res = bot.cli("export", "quiz", "default", "--format", "csv")
    r.check(res.returncode == 0 and res.stdout.startswith(b"\xef\xbb\xbf") and b"e1" in res.stdout,
            "export quiz csv", res.err)
    t = bot.say_text("e5", "quiz list")
    r.check("phishing-drill" in t or "钓鱼演练" in t, "quiz list shows the imported bank", t)
    t = bot.say_text("boss", "quiz assign phishing-drill to all")
    r.check("#" in t, "quiz assign creates a campaign", t)
    time.sleep(3)
    r.check(fake.dm_texts("e5"), "campaign invitation DMed", fake.dm_texts("e5"))
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)


def _has_col(bot):
    return False
