"""Issue 4 (roster, roles, incidents, audit): good and bad rosters through
`dingwarden roster import`, roles granted and used from chat, an incident,
then audit rows edited/deleted in the SQLite file and `audit verify`."""

import json
import re
import shutil
import sqlite3
import time

from dwbb.bot import Bot
from dwbb.fake import Fake

GOOD = (
    "\ufeffstaff_id,name,department,manager_staff_id,role,password_changed_at,active\n"
    'boss,"Zhang, San",总部,,admin,2026-09-01,true\n'
    "u1,李四,总部/研发部,boss,,2026-10-15,\n"
    "u2,王五,总部/研发部/平台组,u1,,,true\n"
    "u3,赵六,总部/人事部,boss,hr,,\n"
    "u4,Gone,总部/研发部,u1,,,false\n"
)
BAD = (
    "staff_id,name,department,manager_staff_id,role,password_changed_at,active\n"
    "x1,甲,总部,,,2026-13-01,\n"
    "x2,乙,总部,,superuser,,\n"
    "x1,丙,总部,,,,\n"
    ",丁,总部,,,,\n"
    "x3,戊,总部,,,,maybe\n"
    "x4,己,总部,,,2099-01-01,\n"
)


def run(r, work):
    fake = Fake().start()
    bot = Bot(fake, work / "roster").start()
    try:
        scenario(r, bot, fake, work)
    finally:
        bot.stop()
        fake.stop()


def scenario(r, bot, fake, work):
    good = work / "good.csv"
    good.write_text(GOOD, "utf-8")
    res = bot.cli("roster", "import", str(good))
    r.check(res.returncode == 0, "good roster imports", res.out + res.err)
    print("     ", res.out.strip().replace("\n", "\n      "))
    rows = dict(bot.sql("SELECT staff_id, name FROM users"))
    r.check(rows.get("boss") == "Zhang, San" and rows.get("u2") == "王五", "names incl. quoted comma", rows)
    res2 = bot.cli("roster", "import", str(good))
    r.check(res2.returncode == 0, "re-import succeeds", res2.err)
    bad = work / "bad.csv"
    bad.write_text(BAD, "utf-8")
    before = bot.sql("SELECT COUNT(*) FROM users")[0][0]
    res = bot.cli("roster", "import", str(bad))
    print("     ", res.err.strip().replace("\n", "\n      "))
    r.check(res.returncode != 0, "bad roster exits non-zero")
    for line in (2, 3, 4, 5, 6, 7):
        r.check(f"{bad}:{line}:" in res.err or f"bad.csv:{line}:" in res.err, f"bad row reported as file:{line}: reason",
                res.err)
    r.check(bot.sql("SELECT COUNT(*) FROM users")[0][0] == before, "bad roster imports nothing")
    missing = work / "nostaff.csv"
    missing.write_text("name,department\n甲,总部\n", "utf-8")
    res = bot.cli("roster", "import", str(missing))
    r.check(res.returncode != 0 and res.err.count("\n") <= 3, "no staff_id column: one clear error", res.err)
    res = bot.cli("roster", "import", str(work / "does-not-exist.csv"))
    r.check(res.returncode != 0 and res.err.startswith("dingwarden:"), "missing file: one line", res.err)

    # Roles from chat.
    t = bot.say_text("u1", "notice new exit Test")
    r.check("管理员" in t and "notice" not in t.lower(), "employee refused politely for notice new", t)
    t = bot.say_confirmed("admin1", "role grant u2 hr")
    r.check("u2" in t or "王五" in t, "admin grants hr", t)
    t = bot.say_text("u2", "incidents")
    r.check("拒" not in t and "仅限" not in t, "new hr can list incidents", t)
    t = bot.say_text("u2", "incident close 1")
    r.check("仅限" in t, "hr cannot close incidents", t)
    t = bot.say_confirmed("boss", "role revoke admin1 admin")
    t = bot.say_confirmed("boss", "role revoke boss admin")
    r.check("最后" in t or "last" in t.lower(), "last admin cannot be removed", t)
    t = bot.say_confirmed("boss", "role grant admin1 admin")

    # Incident.
    t = bot.say_text("u1", "上报 收到可疑邮件，要求提供工资卡号")
    m = re.search(r"#(\d+)", t)
    r.check(m is not None and ("谢" in t), "report answered with #N and thanks", t)
    n = m.group(1) if m else "1"
    ok = fake.wait_for(lambda: any(f"#{n}" in x for x in fake.dm_texts("boss")), 15)
    r.check(ok, "admins notified through the outbox", fake.dm_texts("boss"))
    t = bot.say_text("u3", "incidents")
    r.check(f"#{n}" in t, "hr lists the incident", t)
    t = bot.say_text("boss", f"incident close #{n} 已封禁发件人")
    r.check(f"#{n}" in t, "admin closes the incident", t)
    ok = fake.wait_for(lambda: any(f"#{n}" in x for x in fake.dm_texts("u1")), 15)
    r.check(ok, "reporter told of the close", fake.dm_texts("u1"))
    t = bot.say_text("u1", "反馈 机器人很好用")
    t = bot.say_text("boss", "feedback list")
    r.check("机器人很好用" in t, "feedback listed for admins", t)

    # Roster sync against the fake contacts API.
    fake.depts.update({2: ("研发部", 1), 3: ("平台组", 2)})
    fake.users.update({
        "boss": {"name": "张三", "dept_id_list": [1], "active": True, "admin": False, "manager_userid": ""},
        "u1": {"name": "李四", "dept_id_list": [2], "active": True, "admin": False, "manager_userid": "boss"},
        "s9": {"name": "新人", "dept_id_list": [3], "active": True, "admin": False, "manager_userid": "u1"},
    })
    res = bot.cli("roster", "sync")
    r.check(res.returncode == 0, "roster sync against the fake contacts API", res.out + res.err)
    print("     ", res.out.strip().replace("\n", "\n      "))
    rows = dict(bot.sql("SELECT staff_id, active FROM users"))
    r.check(rows.get("s9") == 1, "sync adds the new user", rows)
    r.check(rows.get("u2") == 0, "sync marks users DingTalk no longer lists as left", rows)

    # Audit verify, then tamper.
    res = bot.cli("audit", "verify")
    r.check(res.returncode == 0 and "intact" in res.out, "audit verify: intact", res.out + res.err)
    res = bot.cli("audit", "export")
    lines = [json.loads(x) for x in res.out.splitlines() if x.strip()]
    r.check(res.returncode == 0 and lines and all("hash" in x for x in lines), "audit export writes JSON lines")
    actions = {x["action"] for x in lines}
    for a in ("roster.import", "role.grant", "command.refused"):
        r.check(a in actions, f"audited: {a}", sorted(actions))
    bot.stop()
    pristine = work / "pristine.db"
    src, dst = sqlite3.connect(bot.db), sqlite3.connect(pristine)
    src.backup(dst)
    src.close()
    dst.close()

    def restore():
        for suffix in ("-wal", "-shm"):
            p = bot.db.with_name(bot.db.name + suffix)
            if p.exists():
                p.unlink()
        shutil.copy(pristine, bot.db)

    total = bot.sql("SELECT MAX(seq) FROM audit_log")[0][0]
    target = max(2, total // 2)
    bot.sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = ?", (target,))
    res = bot.cli("audit", "verify")
    r.check(res.returncode != 0 and f"#{target}" in (res.out + res.err), f"edited entry #{target} caught",
            res.out + res.err)
    print("      edit:", (res.out + res.err).strip())
    restore()
    bot.sql("DELETE FROM audit_log WHERE seq = ?", (target,))
    res = bot.cli("audit", "verify")
    r.check(res.returncode != 0 and f"#{target}" in (res.out + res.err), f"deleted entry #{target} caught",
            res.out + res.err)
    print("      delete:", (res.out + res.err).strip())
    restore()
    # Edit the details JSON of an entry.
    bot.sql("UPDATE audit_log SET details = replace(details, '\"', '\"') || '' WHERE seq = ?", (target,))
    d = bot.sql("SELECT details FROM audit_log WHERE seq = ?", (target,))[0][0]
    bot.sql("UPDATE audit_log SET details = ? WHERE seq = ?", (d.replace("}", ',"x":1}', 1) if "}" in d else d + "x",
                                                               target))
    res = bot.cli("audit", "verify")
    r.check(res.returncode != 0, "edited details caught", res.out + res.err)
    restore()
    # Change the timestamp of an entry.
    bot.sql("UPDATE audit_log SET at = at + 1 WHERE seq = ?", (target,))
    res = bot.cli("audit", "verify")
    r.check(res.returncode != 0, "edited time caught", res.out + res.err)
    restore()
    # Remove the last entry: caught only with the anchor.
    res = bot.cli("audit", "verify")
    head = re.search(r"head (\d+:[0-9a-f]+)", res.out)
    bot.sql("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
    if head:
        res = bot.cli("audit", "verify", "--anchor", head.group(1))
        r.check(res.returncode != 0, "truncation caught with --anchor", res.out + res.err)
    restore()
    bot.start()
    time.sleep(0.5)
    r.check(not fake.violations, "fake DingTalk saw no malformed requests", fake.violations)
