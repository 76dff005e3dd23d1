#!/usr/bin/env python3
"""Moves inline texts into the locale files.

Every `tr!(lang, "中文", "English", args…)` and `lang.pick("中文", "English")`
in src/ (outside test code) becomes `t!(lang, "key", args…)`, and the two
texts become entries `key = …` in locales/zh.ftl and locales/en.ftl, under a
section naming the source file.

    python3 tools/locale_convert.py            # convert, then run cargo fmt
    python3 tools/locale_convert.py --check    # list what is left, exit 1 if any
    python3 tools/locale_convert.py --leftovers  # Chinese literals outside texts

Keys: the module path and a slug of the English text
(`commands-notice-status-who-has-not-acknowledged`); a pair of texts that is
already in the files (same Chinese, same English) reuses its key. Rust format
placeholders become Fluent variables: `{n}` -> `{ $n }` with `n` passed,
positional `{}` -> a variable named after the argument, `{x:.1}` -> the
argument pre-formatted at the call site (`x = format!("{x:.1}")`), `{{`/`}}`
-> literal braces.

Idempotent: an already converted tree has no `tr!` left, so a second run only
converts calls added since and appends their keys; existing entries (and any
edits made to them) are left alone.

Why Python: it runs anywhere the repository is checked out, without
compiling a second crate on a two-core machine, and the Rust it has to read
(string literals, macro arguments, `#[cfg(test)]` modules) is a small
lexical subset that a hand-written tokenizer covers exactly.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
LOCALES = os.path.join(ROOT, "locales")
LANGS = ("zh", "en")


class ConvertError(Exception):
    pass


# ---------------------------------------------------------------- lexing


class Tok:
    __slots__ = ("kind", "start", "end", "text", "value")

    def __init__(self, kind, start, end, text, value=None):
        self.kind, self.start, self.end, self.text, self.value = kind, start, end, text, value

    def is_p(self, c):
        return self.kind == "punct" and self.text == c

    def is_i(self, name):
        return self.kind == "ident" and self.text == name


RAW_RE = re.compile(r'b?r(#*)"')
CHAR_RE = re.compile(r"b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]+\}|.)|[^\\'\n])'")
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUM_RE = re.compile(r"[0-9][0-9A-Za-z_]*")
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "0": "\0", "'": "'", '"': '"'}


def decode_string(body):
    """The value of a (non-raw) Rust string literal's body."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        if n in ESCAPES:
            out.append(ESCAPES[n])
            i += 2
        elif n == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif n == "u":
            j = body.index("}", i)
            out.append(chr(int(body[i + 3 : j].replace("_", ""), 16)))
            i = j + 1
        elif n == "\n" or n == "\r":
            # Line continuation: the newline and the next line's indentation go.
            i += 2
            while i < len(body) and body[i] in " \t\r\n":
                i += 1
        else:
            raise ConvertError(f"unknown escape \\{n}")
    return "".join(out)


def lex(src):
    toks, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while depth and i < n:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif (m := RAW_RE.match(src, i)) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            close = '"' + m.group(1)
            j = src.index(close, m.end())
            kind = "bytes" if c == "b" else "str"
            toks.append(Tok(kind, i, j + len(close), src[i : j + len(close)], src[m.end() : j]))
            i = j + len(close)
        elif c == '"' or (c == "b" and src.startswith('b"', i)):
            j = i + (2 if c == "b" else 1)
            while src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            kind = "bytes" if c == "b" else "str"
            body = src[i + (2 if c == "b" else 1) : j]
            value = decode_string(body) if kind == "str" else None
            toks.append(Tok(kind, i, j + 1, src[i : j + 1], value))
            i = j + 1
        elif (c == "'" or src.startswith("b'", i)) and (m := CHAR_RE.match(src, i)):
            toks.append(Tok("char", i, m.end(), m.group(0)))
            i = m.end()
        elif c == "'":
            m = IDENT_RE.match(src, i + 1)
            end = m.end() if m else i + 1
            toks.append(Tok("lifetime", i, end, src[i:end]))
            i = end
        elif m := IDENT_RE.match(src, i):
            toks.append(Tok("ident", i, m.end(), m.group(0)))
            i = m.end()
        elif m := NUM_RE.match(src, i):
            toks.append(Tok("num", i, m.end(), m.group(0)))
            i = m.end()
        else:
            toks.append(Tok("punct", i, i + 1, c))
            i += 1
    return toks


OPEN, CLOSE = "([{", ")]}"


def matching(toks, k):
    """Index of the bracket closing the one at toks[k]."""
    depth = 0
    for j in range(k, len(toks)):
        t = toks[j]
        if t.kind == "punct" and t.text in OPEN:
            depth += 1
        elif t.kind == "punct" and t.text in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise ConvertError("unbalanced brackets")


def split_args(toks, open_k, close_k):
    """Top-level comma-separated arguments as lists of token indices."""
    args, cur, depth = [], [], 0
    for j in range(open_k + 1, close_k):
        t = toks[j]
        if t.kind == "punct" and t.text in OPEN:
            depth += 1
        elif t.kind == "punct" and t.text in CLOSE:
            depth -= 1
        if depth == 0 and t.is_p(","):
            args.append(cur)
            cur = []
        else:
            cur.append(j)
    if cur:
        args.append(cur)
    return args


def test_ranges(toks):
    """Character ranges of items under `#[cfg(test)]` (test modules)."""
    ranges, k = [], 0
    pat = ["#", "[", "cfg", "(", "test", ")", "]"]
    while k < len(toks):
        if all(k + d < len(toks) and toks[k + d].text == p for d, p in enumerate(pat)):
            j = k + len(pat)
            while j < len(toks) and not (toks[j].is_p("{") or toks[j].is_p(";")):
                j += 1
            if j < len(toks) and toks[j].is_p("{"):
                end = matching(toks, j)
                ranges.append((toks[k].start, toks[end].end))
                k = end
        k += 1
    return ranges


def is_test_file(rel):
    base = os.path.basename(rel)
    return base == "tests.rs" or base.endswith("_tests.rs") or "/tests/" in rel


# ---------------------------------------------------------------- calls


# Macros taking (lang, "中文", "English", args…), and what they become.
TEXT_MACROS = {"tr": "t", "user_error": "user_error"}


class Call:
    """One inline text: its span in the source and what replaces it."""

    def __init__(self, start, end, lang, zh, en, args, pick, borrow, line, macro="t"):
        self.start, self.end, self.lang = start, end, lang
        self.zh, self.en, self.args = zh, en, args
        self.pick, self.borrow, self.line = pick, borrow, line
        self.macro = macro
        # Comments written before a format argument, kept with its variable.
        self.notes = {}


def find_calls(src, rel):
    """Innermost convertible calls (those with no other call inside) and problems."""
    toks = lex(src)
    skip = test_ranges(toks)
    calls, problems = [], []
    for k, t in enumerate(toks):
        if any(a <= t.start < b for a, b in skip):
            continue
        try:
            if t.text in TEXT_MACROS and k + 2 < len(toks) and toks[k + 1].is_p("!") and toks[k + 2].is_p("("):
                if k > 0 and toks[k - 1].is_p("!"):
                    continue  # `macro_rules! tr`
                c = tr_call(src, toks, k)
            elif t.is_i("pick") and k > 0 and toks[k - 1].is_p(".") and toks[k + 1].is_p("("):
                c = pick_call(src, toks, k)
            else:
                continue
        except ConvertError as e:
            problems.append(f"src/{rel}:{line_of(src, t.start)}: {e}")
            continue
        if c is not None:
            calls.append(c)
    inner = [c for c in calls if not any(o is not c and c.start <= o.start and o.end <= c.end for o in calls)]
    return inner, problems


def line_of(src, pos):
    return src.count("\n", 0, pos) + 1


def leading_comment(src, toks, idx):
    """A comment written before an argument (`// Typed by the user: shown inert.`)."""
    before = src[toks[idx[0] - 1].end : toks[idx[0]].start].strip()
    return before if before.startswith(("//", "/*")) else ""


def arg_text(src, toks, idx):
    return src[toks[idx[0]].start : toks[idx[-1]].end]


def literal(toks, idx, what):
    if len(idx) != 1 or toks[idx[0]].kind != "str":
        raise ConvertError(f"the {what} text is not a single string literal; convert by hand")
    return toks[idx[0]].value


def tr_call(src, toks, k):
    open_k = k + 2
    close_k = matching(toks, open_k)
    args = split_args(toks, open_k, close_k)
    if any(toks[j].is_p("$") for j in range(open_k, close_k)):
        return None  # inside a macro definition: `tr!($lang, $zh, $en)`
    is_lit = lambda a: len(a) == 1 and toks[a[0]].kind == "str"
    if toks[k].text != "tr" and not (len(args) >= 3 and is_lit(args[1]) and is_lit(args[2])):
        return None  # already `user_error!(lang, "key", …)`
    if len(args) < 3:
        raise ConvertError(f"{toks[k].text}! needs a language and two texts")
    start = toks[k].start
    # `crate::tr!` / `$crate::tr!`: the path goes too.
    j = k
    while j >= 2 and toks[j - 1].is_p(":") and toks[j - 2].is_p(":"):
        j -= 3
        if j >= 0 and toks[j].kind == "ident":
            start = toks[j].start
            if j > 0 and toks[j - 1].is_p("$"):
                start = toks[j - 1].start
        else:
            break
    fmt_args = [(leading_comment(src, toks, a), arg_text(src, toks, a)) for a in args[3:]]
    prefix = src[start : toks[k].start]  # `crate::` stays
    return Call(
        start, toks[close_k].end, arg_text(src, toks, args[0]),
        literal(toks, args[1], "Chinese"), literal(toks, args[2], "English"),
        fmt_args, False, False, line_of(src, start), prefix + TEXT_MACROS[toks[k].text],
    )


def pick_call(src, toks, k):
    open_k = k + 1
    close_k = matching(toks, open_k)
    args = split_args(toks, open_k, close_k)
    if len(args) != 2 or any(len(a) != 1 or toks[a[0]].kind != "str" for a in args):
        return None  # picks between data (quiz bank fields): not a text of ours
    # The receiver: a postfix chain such as `lang`, `self.lang`, `ctx.lang()`.
    j = k - 2
    while j >= 0:
        t = toks[j]
        if t.kind == "punct" and t.text in ")]":
            j = opening(toks, j) - 1
            continue
        if t.kind == "ident":
            if j > 0 and (toks[j - 1].is_p(".") or toks[j - 1].is_p(":")):
                j -= 2
                while j >= 0 and toks[j].is_p(":"):
                    j -= 1
                continue
            break
        raise ConvertError("cannot tell which language .pick( is called on; convert by hand")
    start = toks[j].start
    recv = src[start : toks[k - 1].start]
    follows_method = close_k + 1 < len(toks) and toks[close_k + 1].is_p(".")
    zh, en = toks[args[0][0]].value, toks[args[1][0]].value
    return Call(start, toks[close_k].end, recv, zh, en, [], True, not follows_method, line_of(src, start))


def opening(toks, k):
    depth = 0
    for j in range(k, -1, -1):
        t = toks[j]
        if t.kind == "punct" and t.text in CLOSE:
            depth += 1
        elif t.kind == "punct" and t.text in OPEN:
            depth -= 1
            if depth == 0:
                return j
    raise ConvertError("unbalanced brackets")


# ---------------------------------------------------------------- format strings

NAMED_ARG = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$", re.S)


def parse_format(s):
    """Rust format string -> list of ('text', str) and ('ref', name, spec)."""
    out, buf, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "{" and s.startswith("{{", i):
            buf.append("{")
            i += 2
        elif c == "}" and s.startswith("}}", i):
            buf.append("}")
            i += 2
        elif c == "{":
            j = s.find("}", i)
            if j < 0:
                raise ConvertError("unclosed { in format string")
            name, _, spec = s[i + 1 : j].partition(":")
            if "$" in spec or "*" in spec:
                raise ConvertError("width/precision arguments ($, *) are not converted; convert by hand")
            if buf:
                out.append(("text", "".join(buf)))
                buf = []
            out.append(("ref", name.strip(), spec))
            i = j + 1
        elif c == "}":
            raise ConvertError("unmatched } in format string")
        else:
            buf.append(c)
            i += 1
    if buf:
        out.append(("text", "".join(buf)))
    return out


def derive_name(expr):
    """A readable variable name for a positional argument."""
    e = re.sub(r"^[&*\s]+", "", expr.strip())
    e = re.sub(r"^mut\s+", "", e)
    for suffix in (".to_string()", ".as_str()", ".display()", ".trim()", ".clone()", ".to_owned()", ".len()", ".count()"):
        if e.endswith(suffix):
            return derive_name(e[: -len(suffix)])
    if re.fullmatch(r"[A-Za-z_][\w]*(\s*(\.|::)\s*[A-Za-z_0-9][\w]*)*", e):
        name = re.split(r"\.|::", e)[-1].strip()
        return None if name.isdigit() or name == "self" else name
    m = re.fullmatch(r"([A-Za-z_][\w]*(?:::[A-Za-z_]\w*)*)\((.*)\)", e, re.S)
    if m:
        inner = m.group(2)
        if inner and "," not in inner:
            return derive_name(inner) or m.group(1).split("::")[-1]
        return m.group(1).split("::")[-1]
    m = re.fullmatch(r".*\.([A-Za-z_]\w*)\((.*)\)", e, re.S)
    if m:
        return m.group(1)
    return None


def clean_name(name):
    name = (name or "").lstrip("_")
    if not name or not re.match(r"[A-Za-z]", name):
        return None
    return name.lower() if name.isupper() else name


EN_COUNT = re.compile(r'let\s+([A-Za-z_]\w*)\s*=\s*(?:(?:crate|i18n|super)::)*en_count\(\s*([A-Za-z_]\w*)\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*\)\s*;')


def plural_bindings(src, before):
    """`let V = en_count(X, "one", "many");` before a call: V -> (X, one, many)."""
    return {m.group(1): m.groups()[1:] for m in EN_COUNT.finditer(src, 0, before)}


def use_plurals(pieces, values, binds):
    """An English-only `{V}` bound to `en_count(X, …)` becomes a Fluent plural
    selector on `$X`, so both languages use the same variables."""
    zh_vars = {s for kind, s in pieces["zh"] if kind == "var"}
    for i, (kind, v) in enumerate(pieces["en"]):
        if kind != "var" or v in zh_vars or v not in binds or values.get(v) != v:
            continue
        x, one, many = binds[v]
        if values.get(x, x) != x:
            continue
        pieces["en"][i] = ("plural", (x, one, many))
        values[x] = x
    used = {s for lang in LANGS for kind, s in pieces[lang] if kind == "var"}
    used |= {s[0] for kind, s in pieces["en"] if kind == "plural"}
    for v in [v for v in values if v not in used]:
        del values[v]


def resolve(call):
    """Fluent pieces per language and the t! arguments: (pieces, args)."""
    named, positional, notes = {}, [], {}
    for note, a in call.args:
        m = NAMED_ARG.match(a)
        if m:
            named[m.group(1)] = m.group(2).strip()
            notes[m.group(1)] = note
        else:
            notes[len(positional)] = note
            positional.append(a)
    texts = {"zh": parse_format(call.zh), "en": parse_format(call.en)}
    # (kind, id, spec) for every placeholder, in order of appearance.
    refs = {}
    for lang in LANGS:
        counter = 0
        resolved = []
        for p in texts[lang]:
            if p[0] == "text":
                resolved.append(p)
                continue
            name, spec = p[1], p[2]
            if name == "":
                ref = ("pos", counter, spec)
                counter += 1
            elif name.isdigit():
                ref = ("pos", int(name), spec)
            elif name in named:
                ref = ("named", name, spec)
            else:
                ref = ("capture", name, spec)
            if ref[0] == "pos" and ref[1] >= len(positional):
                raise ConvertError("more {} than arguments")
            refs.setdefault(ref, None)
            resolved.append(("ref",) + ref)
        texts[lang] = resolved
    base = {}
    taken = set(named) | {r[1] for r in refs if r[0] == "capture"}
    for i, expr in enumerate(positional):
        name = clean_name(derive_name(expr)) or "value"
        cand, n = name, 2
        while cand in taken:
            cand, n = f"{name}{n}", n + 1
        taken.add(cand)
        base[("pos", i)] = cand
    specs = {}
    for kind, ident, spec in refs:
        b = base[(kind, ident)] if kind == "pos" else ident
        specs.setdefault((kind, ident), set()).add(spec)
    var_of, values = {}, {}
    used_names = set()
    for kind, ident, spec in refs:
        b = base[(kind, ident)] if kind == "pos" else clean_name(ident) or "value"
        if len(specs[(kind, ident)]) > 1 and spec:
            var = f"{b}_{re.sub(r'[^A-Za-z0-9]+', '', spec) or 'fmt'}"
        else:
            var = b
        if kind == "pos":
            expr = positional[ident]
        elif kind == "named":
            expr = named[ident]
        else:
            expr = ident
        if spec:
            value = f'format!("{{{ident}:{spec}}}")' if kind == "capture" else f'format!("{{:{spec}}}", {expr})'
        else:
            value = expr
        if var in values and values[var] != value:
            raise ConvertError(f"two placeholders would both be called ${var}; convert by hand")
        var_of[(kind, ident, spec)] = var
        values[var] = value
        if notes.get(ident):
            call.notes[var] = notes[ident]
        used_names.add(var)
    pieces = {}
    for lang in LANGS:
        pieces[lang] = [
            ("text", p[1]) if p[0] == "text" else ("var", var_of[(p[1], p[2], p[3])])
            for p in texts[lang]
        ]
    return pieces, values


# ---------------------------------------------------------------- Fluent


def fluent_line(segs):
    out = []
    for kind, s in segs:
        if kind == "var":
            out.append("{ $" + s + " }")
        elif kind == "plural":
            x, one, many = (esc(p) for p in s)
            out.append(
                f"{{ ${x} ->\n        [one] {{ ${x} }} {one}\n       *[other] {{ ${x} }} {many}\n    }}"
            )
        else:
            out.append(esc(s))
    line = "".join(out)
    if not line:
        return line
    if line[0] in " \t[*.":
        line = '{""}' + line
    if line[-1] in " \t":
        line += '{""}'
    return line


def esc(s):
    """Literal text in a Fluent pattern: braces as string literals."""
    return s.replace("{", "\x00").replace("}", '{"}"}').replace("\x00", '{"{"}')


def fluent_value(pieces):
    """The Fluent source of a value (without `key =`), possibly multi-line."""
    lines = [[]]
    for kind, s in pieces:
        if kind != "text":
            lines[-1].append((kind, s))
            continue
        parts = s.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append(("text", part))
    rendered = [fluent_line(l) for l in lines]
    if len(rendered) == 1:
        return " " + (rendered[0] or '{""}')
    if not rendered[0]:
        rendered[0] = '{""}'
    if not rendered[-1]:
        rendered[-1] = '{""}'
    return "\n" + "\n".join(("    " + l) if l else "" for l in rendered)


def slug(pieces, limit=6):
    words = []
    for kind, s in pieces:
        if kind == "text":
            words += re.findall(r"[a-z0-9]+", s.lower())
    words = [w for w in words if w not in ("the", "a", "an")] or words
    if not words:
        words = [s.replace("_", "-").lower() for kind, s in pieces if kind == "var"]
    out = "-".join(words[:limit])[:48].strip("-")
    return out or "punctuation"


def module_of(rel):
    mod = rel[:-3]
    if mod.endswith("/mod"):
        mod = mod[:-4]
    if mod in ("lib", "main"):
        mod = "app"
    return mod.replace("/", "-").replace("_", "-")


class Ftl:
    """One locale file: its lines, keys and sections."""

    KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*=")

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.values = self.parse()

    def parse(self):
        values, key, buf = {}, None, []
        for line in self.lines + ["#end"]:
            if key is not None and (line == "" or line[0] in " \t"):
                buf.append(line)
                continue
            if key is not None:
                while buf and buf[-1] == "":
                    buf.pop()
                values[key] = "\n".join(buf)
                key = None
            m = self.KEY.match(line)
            if m:
                key, buf = m.group(1), [line[m.end() :]]
        return values

    def insert(self, section, entry_lines):
        header = f"## src/{section}"
        if header not in self.lines:
            if self.lines and self.lines[-1] != "":
                self.lines.append("")
            self.lines += [header, ""]
            at = len(self.lines)
        else:
            at = self.lines.index(header) + 1
            while at < len(self.lines) and not self.lines[at].startswith("## "):
                at += 1
            while at > 0 and self.lines[at - 1] == "":
                at -= 1
        self.lines[at:at] = entry_lines

    def write(self):
        text = "\n".join(self.lines).rstrip("\n") + "\n"
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(text)


class Catalogue:
    def __init__(self):
        self.ftl = {lang: Ftl(os.path.join(LOCALES, f"{lang}.ftl")) for lang in LANGS}
        zh, en = self.ftl["zh"].values, self.ftl["en"].values
        self.keys = set(zh) | set(en)
        self.pairs = {(zh[k], en[k]): k for k in zh if k in en}
        self.added = 0

    def key_for(self, rel, pieces):
        zh, en = fluent_value(pieces["zh"]), fluent_value(pieces["en"])
        if (zh, en) in self.pairs:
            return self.pairs[(zh, en)]
        base = f"{module_of(rel)}-{slug(pieces['en'])}"
        key, n = base, 2
        while key in self.keys:
            key, n = f"{base}-{n}", n + 1
        self.keys.add(key)
        self.pairs[(zh, en)] = key
        for lang, value in (("zh", zh), ("en", en)):
            self.ftl[lang].values[key] = value
            self.ftl[lang].insert(rel, f"{key} ={value}".split("\n"))
        self.added += 1
        return key

    def add(self, rel, key, pieces):
        """An entry under a fixed key (the catalogue's); an existing key
        keeps its (possibly edited) text."""
        if key in self.keys:
            return
        self.keys.add(key)
        for lang in LANGS:
            value = fluent_value(pieces[lang])
            self.ftl[lang].values[key] = value
            self.ftl[lang].insert(rel, f"{key} ={value}".split("\n"))
        self.added += 1

    def write(self):
        for f in self.ftl.values():
            f.write()


# ---------------------------------------------------------------- driver


def rust_files():
    for dirpath, dirs, files in os.walk(SRC):
        dirs.sort()  # a stable order, so a re-run names keys the same way
        for name in sorted(files):
            if name.endswith(".rs"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, SRC).replace(os.sep, "/")
                if not is_test_file(rel):
                    yield path, rel


def replacement(call, key, values):
    args = [name if value == name else f"{name} = {value}" for name, value in values.items()]
    args = [f"{call.notes[n]}\n{a}" if call.notes.get(n) else a for n, a in zip(values, args)]
    inner = ", ".join([call.lang.strip(), f'"{key}"'] + args)
    text = f"{call.macro}!({inner})"
    return "&" + text if call.pick and call.borrow else text


def convert_file(path, rel, cat, problems):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    original, converted = src, 0
    while True:
        calls, found = find_calls(src, rel)
        ok = []
        for c in calls:
            try:
                pieces, values = resolve(c)
                use_plurals(pieces, values, plural_bindings(src, c.start))
            except ConvertError as e:
                found.append(f"src/{rel}:{c.line}: {e}")
                continue
            ok.append((c, pieces, values))
        if not ok:
            problems += found
            break
        # Keys in source order (so the file reads like the code), edits from the end.
        edits = []
        for c, pieces, values in ok:
            key = cat.key_for(rel, pieces)
            DUMP.append({"key": key, "vars": sorted(values), **{l: expected(pieces[l]) for l in LANGS}})
            edits.append((c, replacement(c, key, values)))
        for c, text in sorted(edits, key=lambda x: -x[0].start):
            src = src[: c.start] + text + src[c.end :]
            converted += 1
    if src != original:
        src = fix_imports(drop_dead_en_counts(src))
        with open(path, "w", encoding="utf-8") as f:
            f.write(src)
    return converted


DUMP = []


def expected(pieces):
    """What the Fluent text gives with each variable set to `<name>`."""
    out = []
    for kind, s in pieces:
        if kind == "text":
            out.append(s)
        elif kind == "var":
            out.append(f"<{s}>")
        else:
            out.append(f"<{s[0]}> {s[2]}")
    return "".join(out)


def fix_imports(src):
    """`use crate::t;` where `t!` is now used bare; `use crate::tr;` only
    while `tr!` still is."""
    toks = lex(src)

    def bare(name):
        return any(
            t.is_i(name) and toks[i + 1].is_p("!") and not (i > 0 and toks[i - 1].is_p(":"))
            for i, t in enumerate(toks[:-1])
        )

    tr_import = re.search(r"^use crate::tr;\n", src, re.M)
    if bare("t") and not re.search(r"^use crate::t;$", src, re.M):
        if tr_import:
            at = tr_import.start()
        else:
            last = list(re.finditer(r"^use crate::[^;]*;\n", src, re.M))
            if not last:
                raise ConvertError("no `use crate::…;` to put `use crate::t;` after")
            at = last[-1].end()
        src = src[:at] + "use crate::t;\n" + src[at:]
    tr_import = re.search(r"^use crate::tr;\n", src, re.M)
    if tr_import and not bare("tr"):
        src = src[: tr_import.start()] + src[tr_import.end() :]
    return src


def block_end(src, pos):
    """The end of the `{…}` block that contains `pos`."""
    depth = 0
    for t in lex(src[pos:]):
        if t.is_p("{"):
            depth += 1
        elif t.is_p("}"):
            depth -= 1
            if depth < 0:
                return pos + t.start
    return len(src)


def drop_dead_en_counts(src):
    """Removes `let V = en_count(…);` whose V no code uses any more (the
    texts now choose the plural), then an `en_count` import nothing uses."""
    changed = True
    while changed:
        changed = False
        for m in EN_COUNT.finditer(src):
            scope = src[m.end() : block_end(src, m.end())]
            if any(t.is_i(m.group(1)) for t in lex(scope)):
                continue
            start, end = m.start(), m.end()
            line_start = src.rfind("\n", 0, start) + 1
            if not src[line_start:start].strip() and src[end : end + 1] == "\n":
                start, end = line_start, end + 1
            src = src[:start] + src[end:]
            changed = True
            break
    uses = list(re.finditer(r"\buse\s[^;]*;", src))
    outside = src
    for u in reversed(uses):
        outside = outside[: u.start()] + outside[u.end() :]
    if any(t.is_i("en_count") for t in lex(outside)):
        return src
    for u in reversed(uses):
        stmt = u.group(0)
        if "en_count" not in stmt:
            continue
        new = re.sub(r"\s*,\s*en_count\b|\ben_count\s*,\s*", "", stmt)
        new = re.sub(r"\{\s*([\w:]+)\s*\}", r"\1", new)
        if re.search(r"\ben_count\b", new):
            line_start = src.rfind("\n", 0, u.start()) + 1
            end = u.end() + (1 if src[u.end() : u.end() + 1] == "\n" else 0)
            src = src[:line_start] + src[end:]
        else:
            src = src[: u.start()] + new + src[u.end() :]
    return src


CATALOGUE = "commands/catalogue/table.rs"


def catalogue_key(name, what):
    """`quiz list`, `usage` -> `command-quiz-list-usage` (as CommandSpec::text_key)."""
    stem = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in name)
    return f"command-{stem}-{what}"


def convert_catalogue(cat, problems):
    """`spec!(name, [aliases], usage_en, usage_zh, Access, help_en, help_zh,
    [examples], available [, [phrasings zh], [phrasings en]])` ->
    `spec!(name, [aliases], Access, [examples], available [, …])`, the four
    texts going to the locale files."""
    path = os.path.join(SRC, CATALOGUE)
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        src = f.read()
    toks = lex(src)
    edits = []
    for k, t in enumerate(toks):
        if not (t.is_i("spec") and toks[k + 1].is_p("!") and toks[k + 2].is_p("(")):
            continue
        if k > 0 and toks[k - 1].is_p("!"):
            continue  # macro_rules! spec
        close_k = matching(toks, k + 2)
        args = split_args(toks, k + 2, close_k)
        lit = lambda i: len(args[i]) == 1 and toks[args[i][0]].kind == "str"
        if len(args) not in (9, 11) or not all(lit(i) for i in (0, 2, 3, 5, 6)):
            continue  # already converted
        name = toks[args[0][0]].value
        for what, en_i, zh_i in (("usage", 2, 3), ("help", 5, 6)):
            pieces = {"zh": [("text", toks[args[zh_i][0]].value)], "en": [("text", toks[args[en_i][0]].value)]}
            try:
                cat.add(CATALOGUE, catalogue_key(name, what), pieces)
            except ConvertError as e:
                problems.append(f"src/{CATALOGUE}:{line_of(src, t.start)}: {e}")
        # name, aliases, access, examples, available [, phrasings zh, en]
        keep = [arg_text(src, toks, args[i]) for i in (0, 1, 4, 7, 8) + tuple(range(9, len(args)))]
        edits.append((toks[k + 2].start, toks[close_k].end, "(" + ", ".join(keep) + ")"))
    for start, end, text in reversed(edits):
        src = src[:start] + text + src[end:]
    if edits:
        with open(path, "w", encoding="utf-8") as f:
            f.write(src)
    return len(edits)


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def leftovers():
    """Chinese string literals outside texts and tests: to move by hand."""
    for path, rel in rust_files():
        with open(path, encoding="utf-8") as f:
            src = f.read()
        toks = lex(src)
        skip = test_ranges(toks)
        for t in toks:
            if t.kind == "str" and CJK.search(t.value) and not any(a <= t.start < b for a, b in skip):
                print(f"src/{rel}:{line_of(src, t.start)}: {t.value[:70]!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="list inline texts left; exit 1 if any")
    ap.add_argument("--leftovers", action="store_true", help="list Chinese literals outside texts")
    ap.add_argument("--dump", metavar="FILE", help="write what was converted as JSON (to check the Fluent)")
    opts = ap.parse_args()
    if opts.leftovers:
        leftovers()
        return 0
    problems, total = [], 0
    if opts.check:
        for path, rel in rust_files():
            with open(path, encoding="utf-8") as f:
                src = f.read()
            calls, found = find_calls(src, rel)
            problems += found + [f"src/{rel}:{c.line}: inline text" for c in calls]
        print("\n".join(problems))
        return 1 if problems else 0
    cat = Catalogue()
    total += convert_catalogue(cat, problems)
    for path, rel in rust_files():
        total += convert_file(path, rel, cat, problems)
    cat.write()
    if opts.dump:
        import json

        with open(opts.dump, "w", encoding="utf-8") as f:
            json.dump(DUMP, f, ensure_ascii=False, indent=1)
    print(f"converted {total} calls; {cat.added} new keys", file=sys.stderr)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
