//! A small YAML reader for pipeline packages, into `serde_json` values.
//!
//! It reads what the KFP SDK writes (PyYAML's block style), JSON, and what people write by hand,
//! as `yaml-rust2` (which it replaced, for code size) read them: the same values for every text
//! `yaml-rust2` read, with the limits of [`super::package`] on depth, nodes (aliases expanded)
//! and documents. It is one recursive-descent pass over the bytes; plain, quoted and block
//! scalars are scanned with `yaml-rust2`'s own folding rules.
//!
//! - Plain scalars resolve by the YAML 1.2 core schema ([`plain_scalar`]); quoted and block
//!   scalars are strings, and so is a plain scalar tagged `!!str` (or `!str`, `!<str>`). Other
//!   tags are read and ignored.
//! - Anchors and aliases are resolved. An alias must follow its anchor's node in the same
//!   document; the first 10 000 anchored nodes are kept for aliases.
//! - Mapping keys must be scalars; a later duplicate key replaces the earlier one.
//! - `%YAML` and `%TAG` directives are skipped (tag handles are not checked against them).
//! - A leading BOM is skipped; a NUL ends the input; a tab may not indent a line of block
//!   content; lines end with LF, CRLF or CR.
//!
//! Where `yaml-rust2` differed, it refused the text: a tab at exactly the column of the
//! enclosing block collection, which it took; a leading BOM, which it kept in the first scalar.
//! This reader also takes some texts `yaml-rust2` refused: JSON's `\uD83D\uDE00` surrogate
//! pairs, flow collections nested 256 deep, a `[a: [b]]` pair, the continuation lines of a
//! quoted scalar at any column, keys over 1024 characters, `a:\tb`, undeclared `!e!` tag
//! handles. Errors say where: "it is not valid YAML: ... at line N".

use serde_json::{Map, Number, Value};

use super::package::{MAX_DEPTH, MAX_DOCUMENTS, MAX_NODES};
use crate::core::error::Error;

/// `None` on an error, whose message is the parser's `msg`, at its line. Messages that start
/// with "it " are about the content (limits, keys, anchors), the others about the syntax.
type R<T> = Option<T>;

/// Context of a block node: a mapping value (an indentless `- ` sequence may follow on the next
/// line at the mapping's indentation).
const VAL: u8 = 1;
/// Context of a block node: after `- `, `? ` or a `:` without a simple key (a block collection
/// may start on the same line).
const ENT: u8 = 2;
/// How many anchored nodes are kept for aliases.
const MAX_ANCHORS: usize = 10_000;

// The byte classes and accessors below are called from a hundred places: `inline(never)` keeps
// one copy of each (1.5 kB less wasm).

#[inline(never)]
fn blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

#[inline(never)]
fn brk(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// A blank, a line break or the end of the input.
#[inline(never)]
fn blankz(c: u8) -> bool {
    blank(c) || brk(c) || c == 0
}

#[inline(never)]
fn flow_ind(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

/// Every document of a YAML stream as JSON values.
///
/// # Errors
/// [`Error::InvalidPipeline`]: a syntax error ("it is not valid YAML: ... at line N"), too deep
/// nesting, too many nodes or documents, a mapping key that is not a scalar, an alias to an
/// unknown anchor.
pub fn documents(text: &str) -> Result<Vec<Value>, Error> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let t = t.split('\0').next().unwrap_or(t);
    let mut p = P {
        t,
        s: t.as_bytes(),
        i: 0,
        line: 1,
        ls: 0,
        flow: 0,
        depth: 0,
        nodes: 0,
        anchors: Map::new(),
        serial: 0,
        stored: 0,
        skipped: usize::MAX,
        first: false,
        msg: "",
    };
    p.stream().ok_or_else(|| {
        let msg = p.msg;
        let syntax = if msg.starts_with("it ") {
            ""
        } else {
            "it is not valid YAML: "
        };
        Error::InvalidPipeline {
            reason: format!("{syntax}{msg} at line {}", p.line),
        }
    })
}

/// A node's anchor (its name's place in the text and its serial; 0: none) and tag (0: none,
/// 1: a tag, 2: `str`).
#[derive(Clone, Copy, Default)]
struct Props {
    at: u32,
    end: u32,
    serial: u32,
    tag: u8,
}

impl Props {
    fn any(self) -> bool {
        self.serial > 0 || self.tag > 0
    }
}

/// A scanned scalar's value: plain text resolves by the core schema unless tagged `str`.
fn resolve(v: Value, plain: bool, tag: u8) -> Value {
    match v {
        Value::String(t) if plain && tag != 2 => plain_scalar(t),
        v => v,
    }
}

/// The nodes of a value (an alias's copy) and how deep its collections nest. Bounded by
/// MAX_NODES through the parser's own count of what it built.
fn node_count(value: &Value) -> (usize, usize) {
    let mut stack = vec![(value, 0usize)];
    let (mut n, mut deep) = (0usize, 0usize);
    while let Some((v, d)) = stack.pop() {
        n += 1;
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, d + 1))),
            _ => {}
        }
        deep = deep.max(d + usize::from(v.is_array() || v.is_object()));
        if n > MAX_NODES {
            break;
        }
    }
    (n, deep)
}

/// The core schema's null and booleans.
fn keyword(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A plain scalar by the YAML 1.2 core schema: null, booleans, integers, floats, else a string.
pub fn plain_scalar(text: String) -> Value {
    if let Some(v) = keyword(&text) {
        return v;
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    let n = match (text.strip_prefix("0x"), text.strip_prefix("0o")) {
        (Some(hex), _) => i64::from_str_radix(hex, 16),
        (_, Some(oct)) => i64::from_str_radix(oct, 8),
        _ => text.parse(),
    };
    if let Ok(n) = n {
        return Value::Number(n.into());
    }
    let (mut any, mut all) = (false, true);
    for b in digits.bytes() {
        any |= b.is_ascii_digit();
        all &= b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+');
    }
    if any && all {
        if let Some(n) = float(text.as_bytes()).and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    // .inf and .nan have no JSON form; kept as text.
    Value::String(text)
}

/// A decimal number as `str::parse::<f64>` reads it (`[+-]` digits, `.`, `e[+-]` digits; the
/// nearest double, ties to even), without its tables: exact in `f64` when it can be (Clinger's
/// fast path), else by dividing big integers.
fn float(t: &[u8]) -> Option<f64> {
    let (neg, t) = match t {
        [b'-', t @ ..] => (true, t),
        [b'+', t @ ..] => (false, t),
        t => (false, t),
    };
    // The significant digits as a big integer (at most 800 of them, then whether a dropped one
    // is not 0), their count, and the power of ten they are multiplied by.
    let mut p = vec![0u32];
    let (mut n, mut sticky, mut exp) = (0i64, false, 0i64);
    let (mut i, mut seen, mut dot) = (0, false, false);
    loop {
        match t.get(i) {
            Some(&c @ b'0'..=b'9') => {
                seen = true;
                if n < 800 {
                    if c > b'0' || n > 0 {
                        mul_small(&mut p, 10, u32::from(c - b'0'));
                        n += 1;
                    }
                    exp -= i64::from(dot);
                } else {
                    sticky |= c > b'0';
                    exp += i64::from(!dot);
                }
            }
            Some(b'.') if !dot => dot = true,
            _ => break,
        }
        i += 1;
    }
    if let Some(b'e' | b'E') = t.get(i) {
        i += 1;
        let minus = t.get(i) == Some(&b'-');
        i += usize::from(matches!(t.get(i), Some(b'-' | b'+')));
        let (mut e, from) = (0i64, i);
        while let Some(&c @ b'0'..=b'9') = t.get(i) {
            if e < 0x10000 {
                e = 10 * e + i64::from(c - b'0');
            }
            i += 1;
        }
        seen &= i > from;
        exp += if minus { -e } else { e };
    }
    if !seen || i != t.len() {
        return None;
    }
    let f = if n == 0 {
        0.0
    } else if n <= 15 && !sticky && (-22..=22).contains(&exp) {
        let m = p.iter().rev().fold(0u64, |m, &x| m << 32 | u64::from(x));
        let ten = (0..exp.abs()).fold(1.0f64, |t, _| t * 10.0);
        if exp < 0 {
            m as f64 / ten
        } else {
            m as f64 * ten
        }
    } else {
        if sticky {
            mul_small(&mut p, 10, 1);
            exp -= 1;
            n += 1;
        }
        if n + exp > 310 {
            f64::INFINITY
        } else if n + exp < -330 {
            0.0
        } else {
            slow(p, exp)
        }
    };
    Some(if neg { -f } else { f })
}

/// `p × 10^exp` rounded to the nearest double: the quotient of two big integers to 64 bits,
/// and a sticky bit.
fn slow(mut p: Vec<u32>, exp: i64) -> f64 {
    let mut q = vec![1u32];
    let (up, down) = if exp < 0 {
        (&mut q, -exp)
    } else {
        (&mut p, exp)
    };
    for _ in 0..down / 9 {
        mul_small(up, 1_000_000_000, 0);
    }
    for _ in 0..down % 9 {
        mul_small(up, 10, 0);
    }
    let s = 63 - (bits(&p) - bits(&q));
    if s > 0 {
        p = shl(&p, s as usize);
    } else {
        q = shl(&q, (-s) as usize);
    }
    // p / q is in [2^62, 2^64): 64 bits of quotient, from q << 63 down.
    let mut n = 0u64;
    let mut t = shl(&q, 63);
    for _ in 0..64 {
        n <<= 1;
        if cmp(&p, &t) {
            sub(&mut p, &t);
            n |= 1;
        }
        shr1(&mut t);
    }
    let sticky = p.iter().any(|&x| x > 0);
    let len = 64 - i64::from(n.leading_zeros());
    let mut e = (len - 53 - s).max(-1074);
    let shift = (e + s) as u32;
    if shift > 64 {
        return 0.0;
    }
    let m = n.checked_shr(shift).unwrap_or(0);
    let rem = n.wrapping_sub(m.checked_shl(shift).unwrap_or(0));
    let half = 1u64 << (shift - 1);
    let mut m = m + u64::from(rem > half || rem == half && (sticky || m & 1 == 1));
    if m == 1 << 53 {
        m >>= 1;
        e += 1;
    }
    if m >> 52 == 0 {
        return f64::from_bits(m);
    }
    let biased = e + 1075;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits((biased as u64) << 52 | (m & ((1 << 52) - 1)))
}

/// `v = v * m + add`, little-endian base 2^32.
fn mul_small(v: &mut Vec<u32>, m: u32, add: u32) {
    let mut carry = u64::from(add);
    for x in v.iter_mut() {
        let t = u64::from(*x) * u64::from(m) + carry;
        *x = t as u32;
        carry = t >> 32;
    }
    if carry > 0 {
        v.push(carry as u32);
    }
}

/// The number of bits of `v`.
fn bits(v: &[u32]) -> i64 {
    let top = v.iter().rposition(|&x| x > 0).unwrap_or(0);
    let x = v.get(top).copied().unwrap_or(0);
    32 * top as i64 + 32 - i64::from(x.leading_zeros())
}

fn shl(v: &[u32], n: usize) -> Vec<u32> {
    let mut out = vec![0u32; n / 32];
    let r = n % 32;
    let mut carry = 0u32;
    for &x in v {
        out.push(if r == 0 { x } else { x << r | carry });
        carry = if r == 0 { 0 } else { x >> (32 - r) };
    }
    out.push(carry);
    out
}

/// `v >>= 1`.
fn shr1(v: &mut [u32]) {
    let mut carry = 0;
    for x in v.iter_mut().rev() {
        let low = *x & 1;
        *x = *x >> 1 | carry << 31;
        carry = low;
    }
}

/// `a >= b`.
fn cmp(a: &[u32], b: &[u32]) -> bool {
    for k in (0..a.len().max(b.len())).rev() {
        let (x, y) = (
            a.get(k).copied().unwrap_or(0),
            b.get(k).copied().unwrap_or(0),
        );
        if x != y {
            return x > y;
        }
    }
    true
}

/// `a -= b`, for `a >= b`.
fn sub(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0i64;
    for (k, x) in a.iter_mut().enumerate() {
        let t = i64::from(*x) - i64::from(b.get(k).copied().unwrap_or(0)) - borrow;
        *x = t as u32;
        borrow = i64::from(t < 0);
    }
}

/// What a block node starts with: a mapping key and the context of its value, or a value.
enum Head {
    Key(String, u8),
    Val(Value, bool),
}

/// The parser: a cursor over the text (`i`, its line and the line's start `ls`).
struct P<'a> {
    t: &'a str,
    s: &'a [u8],
    i: usize,
    line: usize,
    ls: usize,
    /// Open flow collections.
    flow: usize,
    /// Open collections.
    depth: usize,
    /// Nodes built, aliases expanded.
    nodes: usize,
    /// This document's anchors: a name's latest anchor, as its serial while its node is being
    /// read, then as `[node]`.
    anchors: Map<String, Value>,
    serial: u32,
    /// Anchored nodes finished (only the first MAX_ANCHORS are kept).
    stored: usize,
    /// Where the last `skip` stopped, and whether that token was the first of its line.
    skipped: usize,
    first: bool,
    /// The error, when a step returned `None`.
    msg: &'static str,
}

impl P<'_> {
    /// Fails with `msg`.
    #[inline(never)]
    fn fail<T>(&mut self, msg: &'static str) -> R<T> {
        self.msg = msg;
        None
    }

    /// The properties of one node given on two lines (`&a` then, below, `!!str x`).
    fn merge(&mut self, a: Props, b: Props) -> R<Props> {
        if a.serial > 0 && b.serial > 0 || a.tag > 0 && b.tag > 0 {
            return self.fail("a node has two anchors or two tags");
        }
        Some(Props {
            tag: a.tag.max(b.tag),
            ..if a.serial > 0 { a } else { b }
        })
    }

    /// A scalar as a mapping key.
    fn key_of(&mut self, v: Value) -> R<String> {
        Some(match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if b { "true" } else { "false" }.into(),
            Value::Null => "null".into(),
            _ => return self.fail("it has a mapping key that is not a scalar"),
        })
    }

    fn text(&mut self, bytes: Vec<u8>) -> R<String> {
        match String::from_utf8(bytes) {
            Ok(t) => Some(t),
            Err(_) => self.fail("invalid UTF-8"),
        }
    }

    #[inline(never)]
    fn b(&self, j: usize) -> u8 {
        self.s.get(j).copied().unwrap_or(0)
    }

    #[inline(never)]
    fn ch(&self) -> u8 {
        self.b(self.i)
    }

    #[inline(never)]
    fn at(&self, k: usize) -> u8 {
        self.b(self.i.saturating_add(k))
    }

    fn col(&self) -> usize {
        self.i.saturating_sub(self.ls)
    }

    fn icol(&self) -> isize {
        self.col() as isize
    }

    fn eat_break(&mut self) {
        if self.ch() == b'\r' && self.at(1) == b'\n' {
            self.i += 1;
        }
        self.i += 1;
        self.line += 1;
        self.ls = self.i;
    }

    /// The end of the input, or `---` or `...` at the start of a line.
    fn end(&self) -> bool {
        let c = self.ch();
        c == 0
            || self.i == self.ls
                && (c == b'-' || c == b'.')
                && self.at(1) == c
                && self.at(2) == c
                && blankz(self.at(3))
    }

    /// `- ` (a block sequence entry).
    fn entry(&self) -> bool {
        self.ch() == b'-' && blankz(self.at(1))
    }

    /// A `:` value indicator (in a flow collection, also before `,[]{}`, or right after a
    /// JSON-like key when `adj`).
    fn value_ind(&self, adj: bool) -> bool {
        let n = self.at(1);
        self.ch() == b':' && (blankz(n) || self.flow > 0 && (adj || flow_ind(n)))
    }

    fn enter(&mut self) -> R<()> {
        if self.depth >= MAX_DEPTH {
            return self.fail("it nests deeper than 256 levels");
        }
        self.depth += 1;
        self.count(1)
    }

    fn count(&mut self, n: usize) -> R<()> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return self.fail("it has too many YAML nodes (aliases expanded)");
        }
        Some(())
    }

    /// Skips blanks, comments and line breaks to the next token; returns whether it is the first
    /// of its line. `bi` is the indentation of the enclosing block collection (-1 at the top):
    /// a tab that indents a line with content up to that column is an error.
    fn skip(&mut self, bi: isize) -> R<bool> {
        if self.i == self.skipped {
            return Some(self.first);
        }
        let mut first = self.i == self.ls;
        loop {
            let c = self.ch();
            if c == b'\t' && first && self.icol() <= bi {
                while blank(self.ch()) {
                    self.i += 1;
                }
                if !blankz(self.ch()) && self.ch() != b'#' {
                    return self.fail("tabs are not allowed in indentation");
                }
            } else if blank(c) {
                self.i += 1;
            } else if brk(c) {
                self.eat_break();
                first = true;
            } else if c == b'#' {
                self.comment();
            } else {
                break;
            }
        }
        self.skipped = self.i;
        self.first = first;
        Some(first)
    }

    fn comment(&mut self) {
        while !blankz(self.ch()) || blank(self.ch()) {
            self.i += 1;
        }
    }

    /// Blanks and a comment to the end of the line; a comment must follow a blank.
    fn eol_ws(&mut self) -> R<()> {
        let from = self.i;
        while blank(self.ch()) {
            self.i += 1;
        }
        if self.ch() == b'#' {
            if self.i == from {
                return self.fail("a comment must follow a blank");
            }
            self.comment();
        }
        Some(())
    }

    /// Inside a flow collection: skips to the next token, which must be there.
    fn fskip(&mut self, bi: isize) -> R<()> {
        self.skip(bi)?;
        if self.end() {
            return self.fail("a flow collection is not closed");
        }
        Some(())
    }

    fn stream(&mut self) -> R<Vec<Value>> {
        let mut docs = Vec::new();
        loop {
            self.skip(-1)?;
            if self.end() && self.ch() == b'.' {
                self.i += 3;
                self.eol_ws()?;
                if !blankz(self.ch()) {
                    return self.fail("content after the document");
                }
                continue;
            }
            if self.ch() == 0 {
                return Some(docs);
            }
            let mut directives = false;
            while self.ch() == b'%' && self.i == self.ls {
                self.comment();
                self.skip(-1)?;
                directives = true;
            }
            if self.end() && self.ch() == b'-' {
                self.i += 3;
            } else if directives {
                return self.fail("directives without a document start marker");
            }
            self.anchors = Map::new();
            let doc = self.node(-1, 0)?;
            if docs.len() >= MAX_DOCUMENTS {
                return self.fail("it has too many YAML documents");
            }
            docs.push(doc);
            self.skip(-1)?;
            if !self.end() {
                return self.fail("content after the document");
            }
        }
    }

    /// A block node after an indicator (or at the start of a document), in the block collection
    /// indented by `bi`.
    fn node(&mut self, bi: isize, ctx: u8) -> R<Value> {
        let first = self.skip(bi)?;
        self.node_at(bi, ctx, first, Props::default())
    }

    /// A block node at the next token; `first`: it starts a line; `outer`: properties given on
    /// an earlier line.
    fn node_at(&mut self, bi: isize, ctx: u8, first: bool, outer: Props) -> R<Value> {
        let c = self.icol();
        if self.end() || first && c <= bi {
            if ctx & VAL != 0 && first && c == bi && self.entry() {
                return self.block_seq(self.col(), outer);
            }
            return self.empty(outer);
        }
        let compact = first || ctx & ENT != 0;
        let start = self.col();
        let props = self.props()?;
        if props.any() && (self.skip(bi)? || self.ch() == 0) {
            // The node itself starts on a later line.
            let p = self.merge(outer, props)?;
            return self.node_at(bi, ctx, true, p);
        }
        let c = self.ch();
        if c == b'|' || c == b'>' {
            let v = Value::String(self.block_scalar(bi)?);
            let p = self.merge(outer, props)?;
            return self.finish(p, v);
        }
        if self.entry() && compact && !props.any() {
            return self.block_seq(start, outer);
        }
        match self.head(bi, props)? {
            Head::Key(k, vctx) if compact => self.block_map(start, k, vctx, outer),
            Head::Val(v, plain) => {
                let p = self.merge(outer, props)?;
                self.finish(p, resolve(v, plain, p.tag))
            }
            Head::Key(..) => self.fail("a block collection or mapping cannot start here"),
        }
    }

    /// A node's content (after its properties) in a block: a key (explicit `? k`, empty `: `,
    /// or simple `k:`), with the context of its value (0: an explicit key, whose `:` is not read
    /// yet), or a value (plain text unresolved).
    fn head(&mut self, bi: isize, props: Props) -> R<Head> {
        let c = self.ch();
        if blankz(self.at(1)) && (c == b'-' || c == b'?' && props.any()) {
            return self.fail("a block collection or mapping cannot start here");
        }
        if c == b'?' && blankz(self.at(1)) {
            // The mapping starts here, at the `?`.
            let ind = self.icol();
            self.i += 1;
            let k = self.node(ind, ENT)?;
            return Some(Head::Key(self.key_of(k)?, 0));
        }
        if c == b':' && blankz(self.at(1)) {
            self.i += 1;
            let k = self.empty(props)?;
            return Some(Head::Key(self.key_of(k)?, VAL | ENT));
        }
        let (v, keyable, plain) = self.simple(bi, props)?;
        if keyable && self.colon() {
            let v = self.finish(props, resolve(v, plain, props.tag))?;
            return Some(Head::Key(self.key_of(v)?, VAL));
        }
        Some(Head::Val(v, plain))
    }

    /// A node without content (`a:`, `- `, `&x` alone): null, or "" when tagged `str`.
    fn empty(&mut self, p: Props) -> R<Value> {
        self.count(1)?;
        let v = if p.tag == 2 {
            Value::String(String::new())
        } else {
            Value::Null
        };
        self.finish(p, v)
    }

    /// The node of an anchor is finished: aliases may now refer to it.
    fn finish(&mut self, p: Props, v: Value) -> R<Value> {
        if p.serial > 0 && self.stored < MAX_ANCHORS {
            self.stored += 1;
            if let Some(name) = self.t.get(p.at as usize..p.end as usize) {
                if self.anchors.get(name).and_then(Value::as_u64) == Some(u64::from(p.serial)) {
                    self.anchors
                        .insert(name.to_owned(), Value::Array(vec![v.clone()]));
                }
            }
        }
        Some(v)
    }

    /// Anchor and tag (either order), with the blanks after them.
    fn props(&mut self) -> R<Props> {
        let mut p = Props::default();
        loop {
            let c = self.ch();
            if c == b'&' && p.serial == 0 {
                let (at, end) = self.name()?;
                self.serial = self.serial.wrapping_add(1).max(1);
                let name = self.t.get(at..end).unwrap_or_default();
                self.anchors
                    .insert(name.to_owned(), Value::from(self.serial));
                p = Props {
                    at: at as u32,
                    end: end as u32,
                    serial: self.serial,
                    ..p
                };
            } else if c == b'!' && p.tag == 0 {
                p.tag = 1 + u8::from(self.tag()?);
            } else if c == b'&' || c == b'!' {
                return self.fail("a node has two anchors or two tags");
            } else {
                return Some(p);
            }
            while blank(self.ch()) {
                self.i += 1;
            }
        }
    }

    /// Where the name of an anchor (`&name`) or alias (`*name`) is.
    fn name(&mut self) -> R<(usize, usize)> {
        self.i += 1;
        let from = self.i;
        while !blankz(self.ch()) && !flow_ind(self.ch()) {
            self.i += 1;
        }
        if self.i == from {
            return self.fail("an anchor or alias without a name");
        }
        Some((from, self.i))
    }

    /// A tag: `!x`, `!!x`, `!h!x`, `!<x>`; whether its suffix (`%` escapes decoded) is `str`.
    fn tag(&mut self) -> R<bool> {
        self.i += 1;
        let verbatim = self.ch() == b'<';
        self.i += usize::from(verbatim);
        let mut suffix = Vec::new();
        loop {
            let c = self.ch();
            let uri = c.is_ascii_alphanumeric() || b"-#;/?:@&=+$,_.!~*'()[]%".contains(&c);
            if !uri || !verbatim && flow_ind(c) {
                break;
            }
            if c == b'%' {
                let hex = |c: u8| (c as char).to_digit(16);
                let (Some(a), Some(b)) = (hex(self.at(1)), hex(self.at(2))) else {
                    return self.fail("a bad tag");
                };
                suffix.push((a * 16 + b) as u8);
                self.i += 2;
            } else if c == b'!' && !verbatim {
                // The end of a handle (`!!`, `!e!`).
                suffix.clear();
            } else {
                suffix.push(c);
            }
            self.i += 1;
        }
        if verbatim {
            if self.ch() != b'>' {
                return self.fail("a bad tag");
            }
            self.i += 1;
        }
        let c = self.ch();
        if !(blankz(c) || self.flow > 0 && flow_ind(c)) {
            return self.fail("a bad tag");
        }
        Some(suffix == b"str")
    }

    /// A node that may be a simple key: flow collection, quoted or plain scalar, alias. Returns
    /// it (plain text unresolved), whether it can be a key (one line), whether it is plain.
    fn simple(&mut self, bi: isize, props: Props) -> R<(Value, bool, bool)> {
        let line = self.line;
        let c = self.ch();
        if c == b'[' || c == b'{' {
            return Some((self.flow_coll(bi)?, true, false));
        }
        if c == b'"' || c == b'\'' {
            let t = self.quoted()?;
            self.count(1)?;
            return Some((Value::String(t), self.line == line, false));
        }
        if c == b'*' && !props.any() {
            let (at, end) = self.name()?;
            let v = match self.t.get(at..end).and_then(|n| self.anchors.get(n)) {
                Some(Value::Array(a)) => a.first().cloned(),
                _ => None,
            }
            .or_else(|| self.fail("it refers to an unknown YAML anchor"))?;
            let (n, deep) = node_count(&v);
            self.count(n)?;
            // Its copy must not nest deeper than the limit either (dropping or writing the
            // values recurses).
            if self.depth + deep > MAX_DEPTH {
                return self.fail("it nests deeper than 256 levels");
            }
            return Some((v, true, false));
        }
        if b"*%@`]},".contains(&c) || self.flow == 0 && (c == b'|' || c == b'>') {
            return self.fail("a character that cannot start a node");
        }
        let (t, multi) = self.plain(bi)?;
        self.count(1)?;
        Some((Value::String(t), !multi, true))
    }

    /// After a simple key: blanks and a `:` indicator, consumed.
    fn colon(&mut self) -> bool {
        let mut j = self.i;
        while blank(self.b(j)) {
            j += 1;
        }
        let ok = self.b(j) == b':' && blankz(self.b(j + 1));
        if ok {
            self.i = j + 1;
        }
        ok
    }

    /// A block sequence whose `-` are at column `ind`.
    fn block_seq(&mut self, ind: usize, outer: Props) -> R<Value> {
        self.enter()?;
        let bi = ind as isize;
        let mut items = Vec::new();
        loop {
            self.i += 1;
            items.push(self.node(bi, ENT)?);
            if self.next(bi, ind)? || !self.entry() {
                break;
            }
        }
        self.depth -= 1;
        self.finish(outer, Value::Array(items))
    }

    /// After an entry of a block collection at column `ind`: whether the collection ends (the
    /// next line is less indented, or at `ind` but not a `- ` for a sequence).
    fn next(&mut self, bi: isize, ind: usize) -> R<bool> {
        let first = self.skip(bi)?;
        if self.end() || first && self.col() < ind {
            return Some(true);
        }
        if !first || self.col() > ind {
            return self.fail("bad indentation");
        }
        Some(false)
    }

    /// A block mapping whose keys are at column `ind`, from its first key (read, with the
    /// context of its value).
    fn block_map(&mut self, ind: usize, key: String, ctx: u8, outer: Props) -> R<Value> {
        self.enter()?;
        let bi = ind as isize;
        let mut map = Map::new();
        let (mut k, mut ctx) = (key, ctx);
        loop {
            let v = if ctx > 0 {
                self.node(bi, ctx)?
            } else if self.skip(bi)? && self.col() == ind && self.ch() == b':' && blankz(self.at(1))
            {
                self.i += 1;
                self.node(bi, VAL | ENT)?
            } else {
                self.empty(Props::default())?
            };
            map.insert(k, v);
            if self.next(bi, ind)? {
                break;
            }
            let props = self.props()?;
            match self.head(bi, props)? {
                Head::Key(key, c) => (k, ctx) = (key, c),
                Head::Val(..) => return self.fail("a mapping key without ':'"),
            }
        }
        self.depth -= 1;
        self.finish(outer, Value::Object(map))
    }

    /// A node inside a flow collection, and whether it is JSON-like (a `:` right after it is a
    /// value indicator); `empty`: it may be empty before `,]}` (it may always be before `:`).
    fn flow_node(&mut self, bi: isize, empty: bool) -> R<(Value, bool)> {
        let mut props = Props::default();
        loop {
            self.fskip(bi)?;
            let more = self.props()?;
            if !more.any() {
                break;
            }
            props = self.merge(props, more)?;
        }
        let c = self.ch();
        let colon = self.value_ind(false);
        if matches!(c, b',' | b']' | b'}') || colon {
            if !empty && !colon && !props.any() {
                return self.fail("a node without content");
            }
            return Some((self.empty(props)?, false));
        }
        if matches!(c, b'-' | b'?') && blankz(self.at(1)) {
            return self.fail("a character that cannot start a node");
        }
        let (v, _, plain) = self.simple(bi, props)?;
        let v = self.finish(props, resolve(v, plain, props.tag))?;
        Some((v, matches!(c, b'"' | b'\'' | b'[' | b'{')))
    }

    /// A flow sequence `[...]` or mapping `{...}`; `bi`: the enclosing block collection's
    /// indentation.
    fn flow_coll(&mut self, bi: isize) -> R<Value> {
        let map = self.ch() == b'{';
        let close = if map { b'}' } else { b']' };
        self.enter()?;
        self.flow += 1;
        self.i += 1;
        let mut items = Vec::new();
        let mut obj = Map::new();
        loop {
            self.eol_ws()?;
            self.fskip(bi)?;
            if self.ch() == close {
                break;
            }
            let explicit = self.ch() == b'?' && blankz(self.at(1));
            self.i += usize::from(explicit);
            let (k, adj) = self.flow_node(bi, explicit)?;
            self.fskip(bi)?;
            let pair = self.value_ind(adj);
            if map || pair || explicit {
                // A pair in a sequence is a mapping of its own.
                if !map {
                    self.enter()?;
                }
                self.i += usize::from(pair);
                let v = if pair {
                    self.flow_node(bi, true)?.0
                } else {
                    self.empty(Props::default())?
                };
                let k = self.key_of(k)?;
                if map {
                    obj.insert(k, v);
                } else {
                    self.depth -= 1;
                    let mut one = Map::new();
                    one.insert(k, v);
                    items.push(Value::Object(one));
                }
            } else {
                items.push(k);
            }
            self.fskip(bi)?;
            if self.ch() == b',' {
                self.i += 1;
            } else if self.ch() != close {
                return self.fail("a flow collection entry without ',' or its end");
            }
        }
        self.i += 1;
        self.flow -= 1;
        self.depth -= 1;
        self.eol_ws()?;
        Some(if map {
            Value::Object(obj)
        } else {
            Value::Array(items)
        })
    }

    /// A plain scalar (`yaml-rust2`'s `scan_plain_scalar`): its lines folded, up to `: `, ` #`,
    /// a flow indicator inside a flow collection, a line indented no more than `bi`, or a
    /// document marker. Returns its text and whether it spans lines; the cursor is left after
    /// its last character.
    fn plain(&mut self, bi: isize) -> R<(String, bool)> {
        let indent = bi + 1;
        if self.flow > 0 && self.icol() < indent {
            return self.fail("bad indentation");
        }
        let from = self.i;
        let mut out = Vec::new();
        let mut end = (self.i, self.line, self.ls);
        let mut breaks = 0usize;
        let mut ws = self.i;
        let mut multi = false;
        loop {
            if self.end() || self.ch() == b'#' {
                break;
            }
            if self.flow > 0 && self.ch() == b'-' && flow_ind(self.at(1)) {
                return self.fail("a character that cannot start a node");
            }
            if !blankz(self.ch()) && self.plain_ok() {
                match breaks {
                    0 => out.extend_from_slice(self.s.get(ws..self.i).unwrap_or_default()),
                    1 => out.push(b' '),
                    _ => out.resize(out.len() + breaks - 1, b'\n'),
                }
                multi |= breaks > 0;
                while !blankz(self.ch()) && self.plain_ok() {
                    out.push(self.ch());
                    self.i += 1;
                }
                end = (self.i, self.line, self.ls);
            }
            if !(blank(self.ch()) || brk(self.ch())) {
                break;
            }
            breaks = 0;
            ws = self.i;
            while blank(self.ch()) || brk(self.ch()) {
                if brk(self.ch()) {
                    self.eat_break();
                    breaks += 1;
                } else if breaks > 0 && self.ch() == b'\t' && self.icol() < indent {
                    // Tabs may not indent, unless the line is empty; as in yaml-rust2, a
                    // comment after them is skipped with its line.
                    while blank(self.ch()) {
                        self.i += 1;
                    }
                    if self.ch() == b'#' {
                        breaks -= 1;
                        self.comment();
                    }
                    if !blankz(self.ch()) {
                        return self.fail("tabs are not allowed in indentation");
                    }
                } else {
                    self.i += 1;
                }
            }
            if self.flow == 0 && self.icol() < indent {
                break;
            }
        }
        if end.0 == from {
            return self.fail("a node without content");
        }
        (self.i, self.line, self.ls) = end;
        self.skipped = usize::MAX;
        Some((self.text(out)?, multi))
    }

    /// Whether the current (non-blank) character continues a plain scalar.
    fn plain_ok(&self) -> bool {
        !(self.flow > 0 && flow_ind(self.ch()) || self.value_ind(false))
    }

    /// A single- or double-quoted scalar (`yaml-rust2`'s `scan_flow_scalar`).
    fn quoted(&mut self) -> R<String> {
        let quote = self.ch();
        let single = quote == b'\'';
        let start = (self.i, self.line, self.ls);
        self.i += 1;
        let mut out = Vec::new();
        loop {
            if self.end() {
                // Told where the scalar starts.
                (self.i, self.line, self.ls) = start;
                return self.fail("a quoted scalar is not closed");
            }
            let mut leading = false;
            while !blankz(self.ch()) {
                let c = self.ch();
                if single && c == b'\'' && self.at(1) == b'\'' {
                    out.push(b'\'');
                    self.i += 2;
                } else if c == quote {
                    break;
                } else if !single && c == b'\\' && brk(self.at(1)) {
                    self.i += 1;
                    self.eat_break();
                    leading = true;
                    break;
                } else if !single && c == b'\\' {
                    self.escape(&mut out)?;
                } else {
                    out.push(c);
                    self.i += 1;
                }
            }
            if self.ch() == quote {
                break;
            }
            let ws = self.i;
            let mut first_break = false;
            let mut breaks = 0usize;
            while blank(self.ch()) || brk(self.ch()) {
                if brk(self.ch()) {
                    breaks += usize::from(leading);
                    first_break |= !leading;
                    leading = true;
                    self.eat_break();
                } else {
                    self.i += 1;
                }
            }
            if !leading {
                out.extend_from_slice(self.s.get(ws..self.i).unwrap_or_default());
            } else if first_break && breaks == 0 {
                out.push(b' ');
            } else {
                out.resize(out.len() + breaks, b'\n');
            }
        }
        self.i += 1;
        self.eol_ws()?;
        let c = self.ch();
        if !(blankz(c)
            || self.flow > 0 && b",}]:".contains(&c)
            || c == b':' && self.line == start.1)
        {
            return self.fail("content after a quoted scalar");
        }
        self.text(out)
    }

    /// An escape sequence of a double-quoted scalar, at its `\`.
    fn escape(&mut self, out: &mut Vec<u8>) -> R<()> {
        let c = self.at(1);
        self.i += 2;
        // Each escape and its character (`x`, `u`, `U`: the number of hexadecimal digits).
        const ESCAPES: &[u8] = b"0abt\tnvfre \"/\\N_LP";
        const CODES: [u16; 18] = [
            0, 7, 8, 9, 9, 10, 11, 12, 13, 27, 32, 34, 47, 92, 0x85, 0xa0, 0x2028, 0x2029,
        ];
        let mut code = match c {
            b'x' => self.hex(2)?,
            b'u' => self.hex(4)?,
            b'U' => self.hex(8)?,
            _ => match ESCAPES
                .iter()
                .position(|&e| e == c)
                .and_then(|k| CODES.get(k))
            {
                Some(&code) => u32::from(code),
                None => return self.fail("a bad escape in a double-quoted scalar"),
            },
        };
        // A UTF-16 surrogate pair, as JSON writes characters beyond the BMP.
        if (0xd800..0xdc00).contains(&code) && self.ch() == b'\\' && self.at(1) == b'u' {
            let back = self.i;
            self.i += 2;
            let low = self.hex(4)?;
            if (0xdc00..0xe000).contains(&low) {
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            } else {
                self.i = back;
            }
        }
        let Some(c) = char::from_u32(code) else {
            return self.fail("a bad escape in a double-quoted scalar");
        };
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        Some(())
    }

    fn hex(&mut self, n: usize) -> R<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let Some(d) = (self.ch() as char).to_digit(16) else {
                return self.fail("a bad escape in a double-quoted scalar");
            };
            v = v << 4 | d;
            self.i += 1;
        }
        Some(v)
    }

    /// A literal (`|`) or folded (`>`) block scalar (`yaml-rust2`'s `scan_block_scalar`) in the
    /// block collection indented by `bi`. The cursor is left at the start of the line after it.
    fn block_scalar(&mut self, bi: isize) -> R<String> {
        let literal = self.ch() == b'|';
        let line = self.line;
        self.i += 1;
        // 0: clip, 1: strip (`-`), 2: keep (`+`).
        let mut chomp = 0u8;
        let mut inc = 0usize;
        for _ in 0..2 {
            let c = self.ch();
            if (c == b'+' || c == b'-') && chomp == 0 {
                chomp = 1 + u8::from(c == b'+');
            } else if c.is_ascii_digit() && inc == 0 {
                if c == b'0' {
                    return self.fail("a bad block scalar");
                }
                inc = usize::from(c - b'0');
            } else {
                break;
            }
            self.i += 1;
        }
        self.eol_ws()?;
        if !blankz(self.ch()) {
            return self.fail("a bad block scalar");
        }
        let chomping_break = brk(self.ch());
        if chomping_break {
            self.eat_break();
        }
        if self.ch() == b'\t' {
            return self.fail("a bad block scalar");
        }
        let mut trailing = 0usize;
        let given = bi.max(0) as usize + inc;
        // Without an indentation indicator, that of its first line, or of a longer blank one.
        let max = self.block_indent(if inc > 0 { given } else { usize::MAX }, &mut trailing);
        let indent = if inc > 0 {
            given
        } else {
            max.max((bi + 1) as usize)
        };
        if self.ch() == 0 {
            let n = match chomp {
                1 => 0,
                _ if self.line == line => 0,
                2 if trailing > 0 => trailing,
                _ => usize::from(chomping_break),
            };
            return self.text(vec![b'\n'; n]);
        }
        if self.col() < indent && self.icol() > bi {
            return self.fail("a bad block scalar");
        }
        let mut out = Vec::new();
        let mut lead_break = false;
        let mut lead_blank = false;
        while self.col() == indent && self.ch() != 0 {
            if indent == 0 && self.end() && self.ch() == b'.' {
                break;
            }
            let tb = blank(self.ch());
            if !literal && lead_break && !lead_blank && !tb {
                if trailing == 0 {
                    out.push(b' ');
                }
            } else if lead_break {
                out.push(b'\n');
            }
            out.resize(out.len() + trailing, b'\n');
            trailing = 0;
            lead_blank = tb;
            while !blankz(self.ch()) || blank(self.ch()) {
                out.push(self.ch());
                self.i += 1;
            }
            lead_break = self.ch() != 0;
            if !lead_break {
                break;
            }
            self.eat_break();
            self.block_indent(indent, &mut trailing);
        }
        if chomp != 1 {
            if lead_break {
                out.push(b'\n');
            }
            if self.ch() == 0 && self.col() >= indent.max(1) {
                out.push(b'\n');
            }
        }
        if chomp == 2 {
            out.resize(out.len() + trailing, b'\n');
        }
        if self.col() <= indent {
            // Only spaces before the cursor: the next token is read from the line's start.
            (self.i, self.skipped) = (self.ls, usize::MAX);
        }
        self.text(out)
    }

    /// A block scalar's indentation (up to `indent`) and empty lines; the longest indentation.
    fn block_indent(&mut self, indent: usize, trailing: &mut usize) -> usize {
        let mut max = 0;
        loop {
            while self.col() < indent && self.ch() == b' ' {
                self.i += 1;
            }
            max = max.max(self.col());
            if !brk(self.ch()) {
                return max;
            }
            self.eat_break();
            *trailing += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::{Marker, TScalarStyle};

    /// The reader this module replaced: `yaml-rust2`'s events into values, with the same bounds.
    fn reference(text: &str) -> Result<Vec<Value>, String> {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        parser
            .load(&mut builder, true)
            .map_err(|e| format!("it is not valid YAML: {e}"))?;
        match builder.error {
            Some(reason) => Err(reason),
            None => Ok(builder.documents),
        }
    }

    enum Frame {
        Seq(Vec<Value>, usize),
        Map(Map<String, Value>, Option<String>, usize),
    }

    #[derive(Default)]
    struct Builder {
        stack: Vec<Frame>,
        documents: Vec<Value>,
        anchors: Vec<(usize, Value)>,
        nodes: usize,
        error: Option<String>,
    }

    impl Builder {
        fn fail(&mut self, reason: &str) {
            if self.error.is_none() {
                self.error = Some(reason.to_owned());
            }
            self.stack.clear();
        }

        fn count(&mut self, n: usize) -> bool {
            self.nodes = self.nodes.saturating_add(n);
            if self.nodes > MAX_NODES {
                self.fail("it has too many YAML nodes (aliases expanded)");
                return false;
            }
            true
        }

        fn push_value(&mut self, value: Value, anchor: usize) {
            if anchor > 0 && self.anchors.len() < 10_000 {
                self.anchors.push((anchor, value.clone()));
            }
            match self.stack.last_mut() {
                None => {
                    if self.documents.len() < MAX_DOCUMENTS {
                        self.documents.push(value);
                    } else {
                        self.fail("it has too many YAML documents");
                    }
                }
                Some(Frame::Seq(items, _)) => items.push(value),
                Some(Frame::Map(map, key, _)) => match key.take() {
                    Some(k) => {
                        map.insert(k, value);
                    }
                    None => match value {
                        Value::String(s) => *key = Some(s),
                        Value::Number(n) => *key = Some(n.to_string()),
                        Value::Bool(b) => *key = Some(b.to_string()),
                        Value::Null => *key = Some("null".into()),
                        _ => self.fail("it has a mapping key that is not a scalar"),
                    },
                },
            }
        }
    }

    impl MarkedEventReceiver for Builder {
        fn on_event(&mut self, ev: Event, _mark: Marker) {
            if self.error.is_some() {
                return;
            }
            match ev {
                Event::SequenceStart(..) | Event::MappingStart(..)
                    if self.stack.len() >= MAX_DEPTH =>
                {
                    self.fail("it nests deeper than 256 levels");
                }
                Event::SequenceStart(anchor, _) if self.count(1) => {
                    self.stack.push(Frame::Seq(Vec::new(), anchor));
                }
                Event::MappingStart(anchor, _) if self.count(1) => {
                    self.stack.push(Frame::Map(Map::new(), None, anchor));
                }
                Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                    Some(Frame::Seq(items, anchor)) => self.push_value(Value::Array(items), anchor),
                    Some(Frame::Map(map, _, anchor)) => self.push_value(Value::Object(map), anchor),
                    None => self.fail("it has an unbalanced collection"),
                },
                Event::Scalar(text, style, anchor, tag) if self.count(1) => {
                    let quoted = style != TScalarStyle::Plain
                        || tag.as_ref().is_some_and(|t| t.suffix == "str");
                    let value = if quoted {
                        Value::String(text)
                    } else {
                        old_plain_scalar(text)
                    };
                    self.push_value(value, anchor);
                }
                Event::Alias(id) => {
                    let found = self
                        .anchors
                        .iter()
                        .rev()
                        .find(|(a, _)| *a == id)
                        .map(|(_, v)| v.clone());
                    match found {
                        Some(value) => {
                            if self.count(node_count(&value).0) {
                                self.push_value(value, 0);
                            }
                        }
                        None => self.fail("it refers to an unknown YAML anchor"),
                    }
                }
                _ => {}
            }
        }
    }

    /// `plain_scalar` as it was, with `str::parse::<f64>`.
    fn old_plain_scalar(text: String) -> Value {
        if let Some(v) = keyword(&text) {
            return v;
        }
        let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = text.parse::<i64>() {
                return Value::Number(n.into());
            }
        }
        if let Some(hex) = text.strip_prefix("0x") {
            if let Ok(n) = i64::from_str_radix(hex, 16) {
                return Value::Number(n.into());
            }
        }
        if let Some(oct) = text.strip_prefix("0o") {
            if let Ok(n) = i64::from_str_radix(oct, 8) {
                return Value::Number(n.into());
            }
        }
        let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
            && digits
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
        if looks_float {
            if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
                return Value::Number(n);
            }
        }
        Value::String(text)
    }

    /// `float` is `str::parse::<f64>` on the texts `plain_scalar` gives it.
    fn same_float(t: &str) {
        let want = t.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(float(t.as_bytes()).map(f64::to_bits), want, "{t:?}");
    }

    /// Random decimal texts: digits, a dot, an exponent, signs, in odd places.
    fn float_text(rng: &mut Rng) -> String {
        let mut t = String::new();
        let part = |rng: &mut Rng, t: &mut String| {
            let n = [0, 1, 2, 5, 15, 16, 17, 19, 20, 25, 40, 400, 790, 801, 1200][rng.below(15)];
            for k in 0..n {
                let d = if k > 0 && rng.below(3) == 0 {
                    b'0'
                } else {
                    b'0' + rng.below(10) as u8
                };
                t.push(d as char);
            }
        };
        if rng.below(3) == 0 {
            t.push(['-', '+'][rng.below(2)]);
        }
        if rng.below(4) == 0 {
            t.push_str(&"0".repeat(rng.below(30)));
        }
        part(rng, &mut t);
        if rng.below(2) == 0 {
            t.push('.');
            if rng.below(3) == 0 {
                t.push_str(&"0".repeat(rng.below(400)));
            }
            part(rng, &mut t);
        }
        if rng.below(2) == 0 {
            t.push(['e', 'E'][rng.below(2)]);
            if rng.below(2) == 0 {
                t.push(['-', '+'][rng.below(2)]);
            }
            let e = [
                0, 1, 5, 22, 23, 290, 307, 308, 309, 320, 323, 324, 325, 340, 400, 1100, 70000,
                10_000_000,
            ][rng.below(18)];
            t.push_str(&(e as i64 + rng.below(5) as i64 - 2).max(0).to_string());
        }
        if rng.below(30) == 0 {
            t.push(['.', 'e', '-', '+', '1'][rng.below(5)]);
        }
        t
    }

    #[test]
    fn floats_round_as_str_parse() {
        for t in [
            "0",
            "-0",
            "+0.0",
            "1.",
            ".5",
            "-.5e-3",
            "1e5",
            "1E+05",
            "1e-0",
            ".",
            "1e",
            "1e+",
            "e5",
            "1.2.3",
            "1e5e5",
            "--1",
            "1-2",
            "0.1",
            "0.2",
            "0.3",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "2e308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "9007199254740993",
            "9007199254740992.5",
            "123456789012345678901234567890",
            "1e-400",
            "1e400",
            "0.000001e6",
            "3.0",
            "1.0e+20",
            "4503599627370496.5",
            "4503599627370497.5",
            "1e22",
            "1e23",
            "8.98846567431158e307",
        ] {
            same_float(t);
        }
        // A tie broken by the 800th-and-later digits.
        same_float(&format!("9007199254740993{}1", "0".repeat(900)));
        same_float(&format!("9007199254740993{}", "0".repeat(900)));
        let mut rng = Rng(11);
        for _ in 0..20_000 {
            same_float(&float_text(&mut rng));
        }
    }

    fn ok(text: &str) -> Vec<Value> {
        match documents(text) {
            Ok(docs) => docs,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn one(text: &str) -> Value {
        let mut docs = ok(text);
        assert_eq!(docs.len(), 1, "{text:?}");
        docs.remove(0)
    }

    fn err(text: &str) -> String {
        match documents(text) {
            Err(Error::InvalidPipeline { reason }) => reason,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    /// Both readers give the same documents, or both refuse the text.
    fn same(text: &str) {
        let new = documents(text).map_err(|e| e.to_string());
        let old = reference(text);
        match (&new, &old) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}:\n new {new:?}\n old {old:?}"),
        }
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const SOUP: &[&str] = &[
        "a",
        "b",
        "key",
        " ",
        "  ",
        "   ",
        "\n",
        "\n",
        "\n  ",
        "\n- ",
        "- ",
        "-",
        ": ",
        ":",
        "? ",
        "'x'",
        "'it''s'",
        "\"q\\n\\\"\"",
        "\"",
        "'",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ",",
        "&a ",
        "*a",
        "&b ",
        "*b ",
        "!!str ",
        "!x ",
        "|",
        "|-",
        "|+",
        ">",
        ">-",
        "|2",
        "#c",
        " #c",
        "---",
        "---\n",
        "...\n",
        "\t",
        "1",
        "-1.5",
        "0x1f",
        "~",
        "true",
        "null",
        "\\",
        "\r\n",
        "x y",
        "é",
        "\"\\u00e9\"",
        "%YAML 1.2\n",
        "\"a\\\n  b\"",
        "'l1\n  l2'",
        "{a: 1}",
        "[1, 2]",
    ];

    /// Random token soup: mostly broken YAML, where the two readers must agree on what they
    /// both accept.
    fn soup(rng: &mut Rng) -> String {
        let n = 1 + rng.below(24);
        (0..n).map(|_| SOUP[rng.below(SOUP.len())]).collect()
    }

    const WORDS: &[&str] = &[
        "a",
        "key",
        "x y",
        "1",
        "-2",
        "0o17",
        "1e3",
        ".inf",
        "~",
        "null",
        "True",
        "é ü",
        "a:b",
        "a #b",
        "-x",
        "?x",
        ":x",
        "it's",
        "q\"uote",
        "back\\slash",
        "",
        " lead",
        "trail ",
        "two  spaces",
        "tab\there",
        "line\nbreak",
        "#hash",
        "[x]",
        "{y}",
        "a,b",
        "*star",
        "&amp",
        "!bang",
        "|pipe",
        ">gt",
        "%pct",
        "@at",
        "`tick",
        "---",
        "...",
        "- d",
        "12:30",
        "0x1F",
        "+1",
        "1_000",
        "1.5e-3",
        "'",
        "\"",
        "\\",
        "\u{1F600}",
        "\r",
    ];

    /// A random scalar written in a random style.
    fn any_scalar(rng: &mut Rng, ind: usize, flow: bool) -> String {
        let t = scalar(rng);
        emit_scalar(rng, &t, ind, flow)
    }

    fn scalar(rng: &mut Rng) -> String {
        let w = WORDS[rng.below(WORDS.len())];
        match rng.below(8) {
            0 if !w.is_empty() => format!("{w} {}", WORDS[rng.below(WORDS.len())]),
            1 => format!("{w}\n{}", WORDS[rng.below(WORDS.len())]),
            2 => format!("{w}\n\n{}\n", WORDS[rng.below(WORDS.len())]),
            _ => w.to_string(),
        }
    }

    /// A scalar written in a random style, for a node whose lines are indented by `ind`.
    fn emit_scalar(rng: &mut Rng, t: &str, ind: usize, flow: bool) -> String {
        let pad = " ".repeat(ind);
        match rng.below(if flow { 4 } else { 7 }) {
            0 | 1 => t.replace('\n', " "),
            2 => format!(
                "'{}'",
                t.replace('\'', "''").replace('\n', &format!("\n\n{pad}"))
            ),
            3 => {
                let mut q = String::from("\"");
                for c in t.chars() {
                    match c {
                        '"' => q.push_str("\\\""),
                        '\\' => q.push_str("\\\\"),
                        '\n' => q.push_str(["\\n", "\\n\\\n", "\n\n"][rng.below(3)]),
                        '\t' => q.push_str("\\t"),
                        '\r' => q.push_str("\\r"),
                        ' ' if rng.below(4) == 0 => {
                            q.push_str(["\n", "\\\n"][rng.below(2)]);
                            q.push_str(&pad);
                            q.push_str("\\ ");
                        }
                        c if (c as u32) > 0xffff => q.push_str(&format!("\\U{:08x}", c as u32)),
                        c if (c as u32) > 0x7f && rng.below(2) == 0 => {
                            q.push_str(&format!("\\u{:04x}", c as u32))
                        }
                        c => q.push(c),
                    }
                }
                q.push('"');
                q.replace('\n', &format!("\n{pad}"))
                    .replace(&format!("\n{pad}\n"), "\n\n")
            }
            n => {
                let head = ["|", "|-", "|+", ">", ">-", "|2", ">+", "|1-"][rng.below(8)];
                let mut b = format!("{head}{}\n", if n == 6 { " # c" } else { "" });
                for l in t.split('\n') {
                    if !l.is_empty() || rng.below(2) == 0 {
                        b.push_str(&pad);
                        b.push_str(["", " ", "  "][rng.below(3)]);
                    }
                    b.push_str(l);
                    b.push('\n');
                }
                b
            }
        }
    }

    /// A random node written as YAML at indentation `ind`: a block collection starts on a new
    /// line; `anchors`: the anchors defined so far.
    fn emit(
        rng: &mut Rng,
        depth: usize,
        ind: usize,
        flow: bool,
        anchors: &mut Vec<String>,
    ) -> String {
        emit_in(rng, depth, ind, flow, false, anchors)
    }

    /// `emit`, for a node that is a mapping's value when `in_map` (its block sequence may then
    /// be indentless).
    fn emit_in(
        rng: &mut Rng,
        depth: usize,
        ind: usize,
        flow: bool,
        in_map: bool,
        anchors: &mut Vec<String>,
    ) -> String {
        let mut pre = String::new();
        if rng.below(10) == 0 {
            let name = format!("n{}", anchors.len());
            pre = format!("&{name} ");
            anchors.push(name);
        } else if rng.below(12) == 0 && !anchors.is_empty() {
            return format!("*{}", anchors[rng.below(anchors.len())]);
        } else if rng.below(15) == 0 {
            pre = "!!str ".into();
        }
        let kind = if depth == 0 { 0 } else { rng.below(4) };
        if kind == 0 {
            return pre + &any_scalar(rng, ind, flow);
        }
        let n = rng.below(4);
        if flow || rng.below(5) == 0 {
            let (o, c) = if kind == 1 { ("[", "]") } else { ("{", "}") };
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let v = emit(rng, depth - 1, ind + 2, true, anchors);
                    if kind == 1 {
                        v
                    } else {
                        format!("{}: {v}", any_scalar(rng, ind + 2, true))
                    }
                })
                .collect();
            let sep = [", ", ",\n", " , ", ",\n  "][rng.below(4)];
            let sep = sep.replace('\n', &format!("\n{}", " ".repeat(ind + 1)));
            return format!("{pre}{o}{}{c}", items.join(&sep));
        }
        if n == 0 {
            return pre + if kind == 1 { "[]" } else { "{}" };
        }
        let step = 1 + rng.below(3);
        let (ind, step) = if kind == 1 && in_map && rng.below(2) == 0 {
            (ind.saturating_sub(step), step)
        } else {
            (ind, step)
        };
        let pad = " ".repeat(ind);
        let mut out = pre.trim_end().to_string();
        for _ in 0..n {
            out.push('\n');
            if rng.below(8) == 0 {
                out.push_str(&format!("{pad}# comment\n\n"));
            }
            out.push_str(&pad);
            if kind == 1 {
                out.push_str("- ");
            } else {
                let k = any_scalar(rng, ind, true);
                out.push_str(&k.replace('\n', " "));
                out.push_str(": ");
            }
            let mut v = emit_in(rng, depth - 1, ind + step, false, kind != 1, anchors);
            // `- a: b` and `- - c`: a collection on the entry's line.
            let lead = format!("\n{}", " ".repeat(ind + step));
            if kind == 1 && step == 2 && v.starts_with(&lead) && rng.below(2) == 0 {
                v = v.split_off(lead.len());
            }
            out.push_str(&v);
        }
        out
    }

    fn structured(rng: &mut Rng) -> String {
        let mut anchors = Vec::new();
        let mut text = String::new();
        for d in 0..1 + rng.below(2) {
            if d > 0 || rng.below(3) == 0 {
                text.push_str(["---\n", "--- ", "---\n# c\n"][rng.below(3)]);
            }
            anchors.clear();
            text.push_str(emit(rng, 4, 0, false, &mut anchors).trim_start_matches('\n'));
            text.push('\n');
        }
        if rng.below(6) == 0 {
            text = text.replace('\n', "\r\n");
        }
        // Now and then a mutation: a character dropped, doubled or replaced.
        if rng.below(3) == 0 && !text.is_empty() {
            let mut b = text.into_bytes();
            let at = rng.below(b.len());
            match rng.below(3) {
                0 => {
                    b.remove(at);
                }
                1 => b.insert(at, b[at]),
                _ => {
                    let set = b" \n-:'\"#[]{},&*!|>\t?";
                    b[at] = set[rng.below(set.len())];
                }
            }
            text = String::from_utf8_lossy(&b).into_owned();
        }
        text
    }

    fn json_value(rng: &mut Rng, depth: usize) -> Value {
        match if depth == 0 {
            rng.below(4)
        } else {
            rng.below(6)
        } {
            0 => Value::String(scalar(rng)),
            1 => json!(rng.next() as i64 >> rng.below(64)),
            2 => [
                json!(1.5),
                json!(-0.25),
                json!(1e300),
                json!(3.0),
                json!(true),
                Value::Null,
            ][rng.below(6)]
            .clone(),
            3 => Value::String(WORDS[rng.below(WORDS.len())].into()),
            4 => Value::Array(
                (0..rng.below(4))
                    .map(|_| json_value(rng, depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..rng.below(4))
                    .map(|_| (scalar(rng), json_value(rng, depth - 1)))
                    .collect(),
            ),
        }
    }

    /// A JSON document, compact, pretty or indented with tabs.
    fn json_text(rng: &mut Rng) -> String {
        let v = json_value(rng, 4);
        match rng.below(3) {
            0 => v.to_string(),
            1 => serde_json::to_string_pretty(&v).unwrap_or_default(),
            _ => serde_json::to_string_pretty(&v)
                .unwrap_or_default()
                .replace("  ", "\t"),
        }
    }

    /// Compares the readers on `n` generated texts: the texts both read to different values,
    /// and those only `yaml-rust2` read.
    fn differential(seed: u64, n: usize) -> (Vec<String>, Vec<String>) {
        let mut rng = Rng(seed);
        let (mut differ, mut refused) = (Vec::new(), Vec::new());
        for case in 0..n {
            let text = match case % 3 {
                0 => soup(&mut rng),
                1 => structured(&mut rng),
                _ => json_text(&mut rng),
            };
            if let Ok(old) = reference(&text) {
                match documents(&text) {
                    Ok(new) if new == old => {}
                    Ok(new) => differ.push(format!("{text:?}\n  new {new:?}\n  old {old:?}")),
                    Err(e) => refused.push(format!("{text:?}\n  new {e}\n  old {old:?}")),
                }
            }
        }
        (differ, refused)
    }

    /// The fixtures' directory: the crate's own copy, and the shared one beside the checkout.
    fn fixtures() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for dir in [root.join("tests/fixtures"), root.join("../shared/fixtures")] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.push((path.display().to_string(), text));
                }
            }
        }
        found
    }

    #[test]
    fn fixtures_read_as_before() {
        let all = fixtures();
        assert!(all.len() >= 2, "{all:?}");
        for (path, text) in &all {
            let new = documents(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(Ok(&new), reference(text).as_ref(), "{path}");
            assert!(new[0].get("pipelineInfo").is_some(), "{path}");
            // Every prefix: no panic, and the same reading wherever yaml-rust2 reads it.
            for end in (0..text.len()).filter(|&e| text.is_char_boundary(e)) {
                let part = &text[..end];
                if let Ok(old) = reference(part) {
                    assert_eq!(documents(part).ok(), Some(old), "{path} up to {end}");
                }
            }
        }
    }

    /// Hand-written YAML where the details matter, read as yaml-rust2 read it.
    const CORPUS: &[&str] = &[
        // Block structure.
        "a: 1\nb:\n  c: [x, y]\n  d:\n  - 1\n  - e: f\n    g: h\n",
        "- - a\n  - b\n- - c\n-\n  - d\n- k: v\n  l: w\n",
        "a:\n- x\n-\n- y\nb: 2\n",
        "? complex key\n: its value\n? only a key\nplain: v\n",
        "a: 1\n: empty key\n",
        "- &x a: 1\n  b: *x\n",
        "key:    value with   spaces   \nother: \tvalue\n",
        "a:\n  b:\n    c:\n      d: deep\n  e: back\nf: top\n",
        "a: b\n  c\n  d\ne: f\n",
        "- a\n  - b\n",
        // Plain scalars.
        "a: x:y\nb: x #y\nc: x#y\nd: -x\ne: ?x\nf: :x\ng: [x]y\n",
        "plain: first\n  second\n\n  third\n\n\n  fourth\n",
        "top level\ntext\n",
        "n: [1, -2, +3, 0x1f, 0o17, 1.5, -1e3, .5, 1_000, 12:30, .inf, -.inf, .nan, ~, null, Null, true, False]\n",
        "big: 123456789012345678901234567890\nneg: -0\nfloat: 1.0e+20\n",
        // Quoted scalars.
        "s: 'it''s'\nd: \"\\\"\\\\\\/\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\N\\_\\L\\P\\x41\\u00e9\\U0001F600\"\n",
        "s: 'one\n  two\n\n  three'\nd: \"one\n  two\n\n\n  three\"\n",
        "d: \"no \\\n  space\"\ne: \"keep\\\n  \\ space\"\nf: \"a\\\n\n  b\"\n",
        "- \"x\n  y\"\n- 'x\n  y'\n",
        "'quoted key': 1\n\"dq\": 2\n'': empty\n",
        "t: \"tab\there\"\nu: 'trail  '\nv: \"  lead\"\n",
        // Block scalars.
        "l: |\n  line 1\n   more\n\n  line 3\n\nn: next\n",
        "f: >\n  folded\n  text\n\n  para\n    indented\n  back\n",
        "a: |-\n  strip\n\n\nb: |+\n  keep\n\n\nc: >-\n  x\n  y\nd: >+\n  z\n\n",
        "- |2-\n    two more\n   one more\n- >1\n  x\n",
        "a: | # comment\n  text\n# not in it\nb: |\n\n\n  after blanks\n",
        "a: |\nb: >\n",
        "--- |\n  top\n--- >\n folded\n top\n",
        "a:\n  - |\n    in seq\n  - >-\n    folded\n    in seq\n",
        "a: |\n  x\n  ",
        // Flow collections.
        "f: [a, 'b', \"c\", [d, e], {f: g}, , ]\n",
        "f: {a: 1, b, c: , 'd': [1, 2], ? e : f}\n",
        "[a: 1, b, c: d, e: 'f']\n",
        "f: [\n  a,\n  b\n  ]\ng: {\n  x: 1,\n  y: 2,\n  }\n",
        "{\"json\": [1, 2.5, true, null, \"s\"], \"nested\": {\"k\":\"v\"}, \"e\": {}, \"l\": []}\n",
        "{\n\t\"tabs\": [\n\t\t1\n\t]\n}\n",
        "f: [a # comment\n  , b]\n",
        "f: {a: b c, d e: f}\n",
        // Comments and documents.
        "# c\na: 1 # c\n# c\nb: 2\n  # indented comment\nc: 3\n",
        "a: 1\n---\nb: 2\n...\n---\nc: 3\n...\n",
        "---\n---\n",
        "--- text\n--- [x]\n--- 'q'\n",
        "%YAML 1.2\n%TAG ! tag:example.com,2000:\n---\na: 1\n",
        "a: 1\n...\n%YAML 1.2\n---\nb: 2\n",
        "",
        "# only a comment\n",
        "...\n",
        // Tags.
        "a: !!str 1\nb: !!str\nc: !!int '2'\nd: !custom 3\ne: !<tag:yaml.org,2002:str> 4\nf: !str 5\n",
        "!!str 1: a\n!!map\n",
        "a: !!seq\n- 1\nb: !!map\n  c: 1\n",
        // Anchors and aliases.
        "a: &x 1\nb: *x\nc: &y [*x, 2]\nd: *y\n",
        "&k key: *k\n",
        "a: &x 1\nb: &x 2\nc: *x\n",
        "a: &x [&x inner, *x]\nb: *x\n",
        "base: &b {x: 1, y: 2}\nderived: *b\n",
        "a: &x\n  b: 1\nc: *x\n",
        "a: &x\nb: *x\n",
        "- &a !!str 1\n- !!str &b 2\n- *a\n- *b\n",
        // Keys.
        "1: one\n1.0: float\ntrue: bool\n~: null\nnull: again\n0x10: hex\n",
        "a: 1\na: 2\n",
        // Line endings, tabs, odd characters.
        "a: 1\r\nb:\r\n  - x\r\n  - 'y\r\n    z'\r\nc: |\r\n  l1\r\n  l2\r\n",
        "a: 1\rb: 2\r",
        "- \tx\n-\ty\na:\t\n",
        "a: é\nü: 😀\n\"\\u00e9\": x\n",
        "a: b\u{85}c\nd: e\u{2028}f\n",
        // Errors both refuse.
        "a: 1\n b: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "- a\n b\n- c\nd: e\n",
        "a: 'open\n",
        "a: \"open\n",
        "a:\n\tb: 1\n",
        "a: [1, 2\n",
        "a: {x: 1\n",
        "a: *nope\n",
        "a: &x [*x]\n",
        "a: 1\n---\nb: *a\n",
        "a: b: c\n",
        "a: - b\n",
        "[a]: b\n",
        "{a: 1}: b\n",
        "a: \"bad \\q escape\"\n",
        "a: \"\\uD800\"\n",
        "a: '1' x\n",
        "a: [b] c\n",
        "a: |0\n  x\n",
        "%YAML 1.2\na: 1\n",
        "a\nb: c\n",
        "@a: 1\n",
        "`a`: 1\n",
    ];

    #[test]
    fn corpus_reads_as_before() {
        for text in CORPUS {
            same(text);
        }
        // And generated texts: token soup, random YAML (some mutated), JSON.
        let (differ, _) = differential(7, 20_000);
        assert!(differ.is_empty(), "{differ:#?}");
    }

    #[test]
    fn differences_from_yaml_rust2() {
        // Read here, refused by yaml-rust2.
        let long_key = "k".repeat(1100);
        for (text, value) in [
            ("a:\tb\n", json!({"a": "b"})),
            (
                &format!("{long_key}: v\n"),
                json!({ long_key.as_str(): "v" }),
            ),
            (
                "[a: [1], b: {c: d}]",
                json!([{"a": [1]}, {"b": {"c": "d"}}]),
            ),
            (r#"["\ud83d\ude00"]"#, json!(["😀"])),
            ("a: \"x\ny\"\n", json!({"a": "x y"})),
            ("- k: 'x\n y'\n", json!([{"k": "x y"}])),
            ("a: !e!str 1\n", json!({"a": "1"})),
            ("a: [\n]\n", json!({"a": []})),
            ("-\t- a\n", json!([["a"]])),
            (&("[".repeat(256) + &"]".repeat(256)), json!(null)),
        ] {
            assert!(reference(text).is_err(), "{text:?}");
            let docs = ok(text);
            if !value.is_null() {
                assert_eq!(docs, vec![value], "{text:?}");
            }
        }
        // Read otherwise: a leading BOM is not text.
        assert_eq!(
            reference("\u{feff}a: 1").unwrap(),
            vec![json!({"\u{feff}a": 1})]
        );
        assert_eq!(one("\u{feff}a: 1"), json!({"a": 1}));
        // Refused here, read by yaml-rust2: a tab at the column of the enclosing collection.
        for text in ["- &a\n\t  b: 1\n", "- &a\n\t  x\n"] {
            assert!(reference(text).is_ok(), "{text:?}");
            assert!(err(text).contains("tabs are not allowed"), "{text:?}");
        }
    }

    #[test]
    fn block_collections() {
        assert_eq!(
            one("a: 1\nb:\n  c: [x, y]\n  d:\n  - 1\n  - e: f\n    g: h\ni:\n"),
            json!({"a": 1, "b": {"c": ["x", "y"], "d": [1, {"e": "f", "g": "h"}]}, "i": null})
        );
        assert_eq!(
            one("- - a\n  - b\n-\n- k: v\n  l: w\n"),
            json!([["a", "b"], null, {"k": "v", "l": "w"}])
        );
        assert_eq!(one("? long\n: v\n? k\n"), json!({"long": "v", "k": null}));
        assert_eq!(one("a: 1\na: 2\n"), json!({"a": 2}));
        assert_eq!(
            one("1: a\n1.5: b\ntrue: c\n~: d\n"),
            json!({"1": "a", "1.5": "b", "true": "c", "null": "d"})
        );
    }

    #[test]
    fn plain_scalars() {
        assert_eq!(
            one("a: x:y\nb: x #c\nc: x#y\nd: -x\ne: one\n  two\n\n  three\n"),
            json!({"a": "x:y", "b": "x", "c": "x#y", "d": "-x", "e": "one two\nthree"})
        );
        assert_eq!(
            one("[1, -2, 0x1f, 0o17, 1.5, 1e3, .inf, ~, null, true, FALSE, 12:30]"),
            json!([1, -2, 31, 15, 1.5, 1000.0, ".inf", null, null, true, false, "12:30"])
        );
    }

    #[test]
    fn quoted_scalars() {
        assert_eq!(one("'it''s'"), json!("it's"));
        assert_eq!(
            one(r#""\"\\\/\0\a\b\t\n\v\f\r\e\ \N\_\L\P\x41\u00e9\U0001F600""#),
            json!("\"\\/\0\x07\x08\t\n\x0b\x0c\r\x1b \u{85}\u{a0}\u{2028}\u{2029}Aé😀")
        );
        // JSON's UTF-16 surrogate pairs are one character.
        assert_eq!(one(r#""\ud83d\ude00""#), json!("😀"));
        assert_eq!(one("'one\n  two\n\n  three'"), json!("one two\nthree"));
        assert_eq!(one("\"a\\\n  b\\\n  \\ c\""), json!("ab c"));
        assert_eq!(one("k: \"1\"\nl: '~'\n"), json!({"k": "1", "l": "~"}));
    }

    #[test]
    fn block_scalars() {
        let docs = one("a: |\n  x\n   y\n\n  z\n\nb: >\n  f\n  g\n\n  h\n    i\nc: |-\n  s\n\nd: |+\n  k\n\ne: >-\n  q\n");
        assert_eq!(
            docs,
            json!({"a": "x\n y\n\nz\n", "b": "f g\nh\n  i\n", "c": "s", "d": "k\n\n", "e": "q"})
        );
        assert_eq!(one("- |2-\n    x\n   y\n"), json!(["  x\n y"]));
        assert_eq!(one("a: |1\n  x\n"), json!({"a": " x\n"}));
        assert_eq!(one("--- |\n  top\n"), json!("top\n"));
    }

    #[test]
    fn flow_collections() {
        assert_eq!(
            one("f: [a, 'b', [c, {d: e}], {}, [], ]\ng: {a, b: , c: 1}\n"),
            json!({"f": ["a", "b", ["c", {"d": "e"}], {}, []], "g": {"a": null, "b": null, "c": 1}})
        );
        assert_eq!(one("[a: 1, b]"), json!([{"a": 1}, "b"]));
        // yaml-rust2 refused a pair whose value is a flow collection.
        assert_eq!(
            one("[a: [1], b: {c: d}]"),
            json!([{"a": [1]}, {"b": {"c": "d"}}])
        );
        assert_eq!(
            one("{\n\t\"k\":\"v\", \"n\": [1,\n 2.5, null]}\n"),
            json!({"k": "v", "n": [1, 2.5, null]})
        );
        assert_eq!(one("{a:1}"), json!({"a:1": null}));
    }

    #[test]
    fn documents_comments_tags_and_line_ends() {
        assert_eq!(
            ok("# c\na: 1 # c\n---\n# c\nb: [x] # c\n...\n"),
            vec![json!({"a": 1}), json!({"b": ["x"]})]
        );
        assert_eq!(ok(""), Vec::<Value>::new());
        assert_eq!(ok("---\n---\n"), vec![Value::Null, Value::Null]);
        assert_eq!(
            ok("%YAML 1.2\n%TAG !e! tag:e,2000:\n---\nx\n"),
            vec![json!("x")]
        );
        assert_eq!(
            one("a: !!str 1\nb: !!str\nc: !!int '2'\nd: !e 3\ne: !<tag:x> 4\n"),
            json!({"a": "1", "b": "", "c": "2", "d": 3, "e": 4})
        );
        assert_eq!(
            one("\u{feff}a: 1\r\nb: |\r\n  x\r\n  y\r\nc: 'p\r\n  q'\r\n"),
            json!({"a": 1, "b": "x\ny\n", "c": "p q"})
        );
        assert_eq!(one("a: 1\rb: 2\r"), json!({"a": 1, "b": 2}));
        assert_eq!(one("- \tx\n-\ty # c\n"), json!(["x", "y"]));
    }

    #[test]
    fn anchors_and_aliases() {
        assert_eq!(
            one("a: &x 1\nb: *x\nc: &y [*x, {k: *x}]\nd: *y\n&k e: *k\n"),
            json!({"a": 1, "b": 1, "c": [1, {"k": 1}], "d": [1, {"k": 1}], "e": "e"})
        );
        // The latest anchor of a name wins, as soon as its node is read.
        assert_eq!(
            one("a: &x [&x inner, *x]\nb: *x\n"),
            json!({"a": ["inner", "inner"], "b": "inner"})
        );
        assert!(err("a: &x [*x]\n").contains("unknown YAML anchor"));
        assert!(err("a: *x\n").contains("unknown YAML anchor"));
        assert!(err("a: &x 1\n---\nb: *x\n").contains("unknown YAML anchor"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        for (text, line) in [
            ("a: 1\n b: 2\n", 2),
            ("a:\n  b: 1\n c: 2\n", 3),
            ("a: 1\nb: 'open\n", 2),
            ("a: \"open\n\n", 1),
            ("a: 1\nb:\n\tc: 1\n", 3),
            ("a: [1, 2\n", 2),
            ("a: {x: 1\n\n", 3),
            ("a: b: c\n", 1),
            ("x: \"\\q\"\n", 1),
        ] {
            let reason = err(text);
            assert!(
                reason.starts_with("it is not valid YAML: "),
                "{text:?}: {reason}"
            );
            assert!(
                reason.ends_with(&format!(" at line {line}")),
                "{text:?}: {reason}"
            );
        }
        assert!(err("a:\n\tb: 1\n").contains("tabs are not allowed in indentation"));
        assert!(err("a: 1\n---\nb: *a\n").ends_with("unknown YAML anchor at line 3"));
        assert!(err("a: [1, 2\n").contains("not closed"));
        assert!(err("[a]: b\n").contains("not a scalar"));
    }

    #[test]
    fn limits() {
        let nest = |n: usize| "- ".repeat(n) + "x\n";
        assert!(documents(&nest(256)).is_ok());
        assert!(err(&nest(257)).contains("deeper than 256"));
        let block: String = (0..257).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(err(&block).contains("deeper than 256"));
        assert!(err(&("[".repeat(300) + &"]".repeat(300))).contains("deeper than 256"));
        let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            laughs.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        assert!(err(&laughs).contains("too many YAML nodes"));
        assert_eq!(ok(&("a\n---\n".repeat(63) + "a\n")).len(), 64);
        assert!(err(&"a\n---\n".repeat(64)).contains("too many YAML documents"));
        // Aliases cannot nest deeper either: yaml-rust2 let each copy add up to 256 levels.
        let mut deep = format!("a0: &a0 {}x{}\n", "[".repeat(200), "]".repeat(200));
        for i in 1..10 {
            let (o, c) = ("[".repeat(200), "]".repeat(200));
            deep.push_str(&format!("a{i}: &a{i} {o}*a{}{c}\n", i - 1));
        }
        assert!(reference(&deep).is_ok());
        assert!(err(&deep).contains("deeper than 256"));
        assert!(documents("a: &a [[[x]]]\nb: [[*a]]\n").is_ok());
        // Only the first 10 000 anchored nodes are kept for aliases, as before.
        let anchors: String = (0..10_001).map(|i| format!("- &a{i} {i}\n")).collect();
        same(&(anchors.clone() + "- *a9999\n"));
        same(&(anchors + "- *a10000\n"));
    }
}
