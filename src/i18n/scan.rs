//! Test support: finds the texts the code uses (`t!(lang, "key", args…)`,
//! `user_error!(lang, "key", …)`) and the inline texts still left (`tr!`,
//! `.pick("…", "…")`) in src/, outside test code. A small Rust lexer: only
//! string literals, comments, brackets and identifiers matter here.

use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
    Other,
}

fn lex(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let (mut i, mut out) = (0, Vec::new());
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| b.get(i + k) == Some(&c));
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if at(i, "//") {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if at(i, "/*") {
            let (mut depth, mut j) = (1, i + 2);
            while depth > 0 && j < b.len() {
                if at(j, "/*") {
                    (depth, j) = (depth + 1, j + 2);
                } else if at(j, "*/") {
                    (depth, j) = (depth - 1, j + 2);
                } else {
                    j += 1;
                }
            }
            i = j;
        } else if let Some((end, value)) = raw_string(&b, i) {
            out.push(Tok::Str(value));
            i = end;
        } else if c == '"' || (c == 'b' && b.get(i + 1) == Some(&'"')) {
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let start = j;
            while b[j] != '"' {
                j += if b[j] == '\\' { 2 } else { 1 };
            }
            out.push(Tok::Str(b[start..j].iter().collect()));
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            let close = if b.get(i + 1) == Some(&'\\') {
                (i + 3..b.len().min(i + 12)).find(|&j| b[j] == '\'')
            } else {
                (b.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            out.push(Tok::Other);
            i = close.map_or(i + 1, |j| j + 1);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

/// `r"…"`, `r#"…"#`, `br"…"`: the end and the content.
fn raw_string(b: &[char], i: usize) -> Option<(usize, String)> {
    if i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_') {
        return None;
    }
    let mut j = i + usize::from(b[i] == 'b');
    if b.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = b[j..].iter().take_while(|c| **c == '#').count();
    j += hashes;
    if b.get(j) != Some(&'"') {
        return None;
    }
    let start = j + 1;
    let mut k = start;
    while k < b.len() {
        if b[k] == '"'
            && b[k + 1..]
                .iter()
                .take(hashes)
                .filter(|c| **c == '#')
                .count()
                == hashes
        {
            return Some((k + 1 + hashes, b[start..k].iter().collect()));
        }
        k += 1;
    }
    None
}

/// One use of a text in code.
#[derive(Debug)]
pub struct Use {
    pub file: String,
    pub key: String,
    /// The names of the arguments passed (`n` in `n = 3` or a bare `n`).
    pub args: Vec<String>,
}

/// What the code holds: texts it uses, and inline texts left over.
#[derive(Debug, Default)]
pub struct Scan {
    pub uses: Vec<Use>,
    pub inline: Vec<String>,
}

/// Scans every non-test `.rs` file under `src`.
pub fn scan(src: &Path) -> Scan {
    let mut out = Scan::default();
    let mut files = Vec::new();
    collect(src, &mut files);
    for path in files {
        let rel = path
            .strip_prefix(src)
            .unwrap_or(&path)
            .display()
            .to_string();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read source file");
        scan_file(&rel, &without_tests(&lex(&text)), &mut out);
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src/") {
        let p = e.expect("dir entry").path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The tokens without `#[cfg(test)]` items.
fn without_tests(toks: &[Tok]) -> Vec<Tok> {
    let pat = ["#", "[", "cfg", "(", "test", ")", "]"];
    let is = |t: &Tok, s: &str| match t {
        Tok::Ident(x) => x == s,
        Tok::Punct(c) => s.len() == 1 && s.starts_with(*c),
        _ => false,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if pat
            .iter()
            .enumerate()
            .all(|(d, p)| toks.get(i + d).is_some_and(|t| is(t, p)))
        {
            let mut j = i + pat.len();
            while j < toks.len() && !is(&toks[j], "{") && !is(&toks[j], ";") {
                j += 1;
            }
            if j < toks.len() && is(&toks[j], "{") {
                i = close_of(toks, j) + 1;
                continue;
            }
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

fn close_of(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0;
    for (j, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    toks.len() - 1
}

/// The top-level arguments of the bracket group opening at `open`.
fn args(toks: &[Tok], open: usize) -> Vec<&[Tok]> {
    let close = close_of(toks, open);
    let (mut out, mut start, mut depth) = (Vec::new(), open + 1, 0);
    for j in open + 1..close {
        match toks[j] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                out.push(&toks[start..j]);
                start = j + 1;
            }
            _ => {}
        }
    }
    if start < close {
        out.push(&toks[start..close]);
    }
    out
}

fn scan_file(rel: &str, toks: &[Tok], out: &mut Scan) {
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Ident(name) = tok else { continue };
        let next = |d: usize| toks.get(i + d);
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        let text_macro = matches!(name.as_str(), "t" | "user_error" | "tr");
        if text_macro
            && next(1) == Some(&Tok::Punct('!'))
            && next(2) == Some(&Tok::Punct('('))
            && prev != Some(&Tok::Punct('!'))
        {
            macro_use(rel, name, &args(toks, i + 2), out);
        } else if name == "spec"
            && next(1) == Some(&Tok::Punct('!'))
            && next(2) == Some(&Tok::Punct('('))
            && prev != Some(&Tok::Punct('!'))
        {
            // The catalogue's old form carried its texts inline.
            let a = args(toks, i + 2);
            if a.len() > 5 && a.iter().skip(2).take(2).all(|x| matches!(x, [Tok::Str(_)])) {
                out.inline.push(format!("{rel}: spec! with inline texts"));
            }
        } else if name == "pick"
            && next(1) == Some(&Tok::Punct('('))
            && prev == Some(&Tok::Punct('.'))
        {
            let a = args(toks, i + 1);
            if a.len() == 2 && a.iter().all(|x| matches!(x, [Tok::Str(_)])) {
                out.inline.push(format!("{rel}: .pick(\"…\", \"…\")"));
            }
        }
    }
}

fn macro_use(rel: &str, name: &str, a: &[&[Tok]], out: &mut Scan) {
    if a.iter()
        .flat_map(|x| x.iter())
        .any(|t| *t == Tok::Punct('$'))
    {
        return; // a macro's own definition: `$crate::t!($($t)+)`
    }
    let lit = |k: usize| matches!(a.get(k), Some([Tok::Str(_)]));
    if name == "tr" || (lit(1) && lit(2)) {
        out.inline.push(format!("{rel}: {name}!"));
        return;
    }
    let Some([Tok::Str(key)]) = a.get(1) else {
        out.inline
            .push(format!("{rel}: {name}! without a literal key"));
        return;
    };
    let names = a[2..].iter().filter_map(|arg| match arg.first() {
        Some(Tok::Ident(n)) => Some(n.clone()),
        _ => None,
    });
    out.uses.push(Use {
        file: rel.to_owned(),
        key: key.clone(),
        args: names.collect(),
    });
}
