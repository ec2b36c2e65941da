/* load_block.c — the loader's fast path for block-style YAML (kfp_load_block).
 *
 * Compilers (KFP's, through PyYAML) write block mappings and sequences of plain, quoted and block
 * scalars, with `{}` and `[]` for empty collections. This parser reads that subset straight into
 * the tree with byte offsets, where libyaml would allocate a token and an event per scalar and
 * count code points (the whole lint of a compiled pipeline now costs about what libyaml's parse
 * alone did). It reproduces libyaml's tree exactly: node kinds, styles, values, and spans from
 * libyaml's marks (a block collection ends where the token after it starts, and so does an empty
 * value; a plain scalar ends after its last non-space byte). Everything else — tabs, CR, line
 * breaks and marks outside ASCII (NEL, LS, PS, a BOM after the first byte), anchors, aliases,
 * tags, flow collections with content, complex keys, directives, empty documents, and every syntax
 * error — makes it give up (KFP_BLOCK_FALLBACK) so that libyaml parses the file and reports errors
 * in its own words. Other UTF-8 is plain content: columns (which count characters) are only
 * compared where everything before them on the line is ASCII indentation and `- `.
 * tests/test_load.c and fuzz/fuzz_load.c compare both parsers' trees on every input this one
 * accepts.
 *
 * No recursion: block structure lives on the builder's frame stack, and compact forms on one line
 * (`- - a: b`) are handled by a loop.
 */
#include "kfplint/alloc.h"
#include "load_int.h"

#include <string.h>

enum pending {
    P_NONE,  /* nothing awaited */
    P_ROOT,  /* a document's root node */
    P_VALUE, /* the value of the innermost mapping's last key, on a later line */
    P_ITEM,  /* the item after the innermost sequence's last `-`, on a later line */
};

/* What a node position admits. */
enum mode {
    M_NODE,  /* any block node: at a line's start or after `- ` */
    M_VALUE, /* after `key: ` on the same line: a scalar, `{}` or `[]` */
    M_KEY,   /* the next key of the innermost (open) mapping */
};

struct bp {
    struct builder *b;
    const char *d;
    size_t len;
    size_t pos;  /* the cursor */
    size_t line; /* offset of the first byte of pos's line */
    enum pending pending;
    size_t pending_mark; /* where an empty value or item goes: after its `:` or `-` */
    bool explicit_doc; /* the current document started with `---` */
    char *buf;         /* scalar text being assembled (kfp_malloc'd) */
    size_t n_buf, cap_buf;
};

#define OK KFP_BLOCK_OK
#define NOMEM KFP_BLOCK_NOMEM
#define FALLBACK KFP_BLOCK_FALLBACK
#define TRY(x)               \
    do {                     \
        int rc_ = (x);       \
        if (rc_ != OK)       \
            return rc_;      \
    } while (0)

/* Longest implicit key: libyaml allows 1024 characters; stay clear of the edge. */
#define MAX_KEY 1000

static inline char at(const struct bp *s, size_t i)
{
    return i < s->len ? s->d[i] : '\0'; /* the text has no NUL: kfp_load rejects those first */
}

static inline bool blank_or_end(const struct bp *s, size_t i)
{
    char c = at(s, i);
    return c == ' ' || c == '\n' || c == '\0';
}

static inline size_t skip_spaces(const struct bp *s, size_t i)
{
    while (i < s->len && s->d[i] == ' ')
        i++;
    return i;
}

static inline int col_of(const struct bp *s, size_t i)
{
    return (int)(i - s->line);
}

static int top_indent(const struct bp *s)
{
    return s->b->n_frames ? s->b->frames[s->b->n_frames - 1].indent : -1;
}

/* `---` or `...` followed by a blank, at i (the caller knows i is at column 0). */
static bool doc_marker(const struct bp *s, size_t i)
{
    char c = at(s, i);
    return (c == '-' || c == '.') && at(s, i + 1) == c && at(s, i + 2) == c && blank_or_end(s, i + 3);
}

static int put(struct bp *s, const char *p, size_t n)
{
    if (s->n_buf + n + 1 > s->cap_buf) {
        size_t cap = s->cap_buf ? s->cap_buf : 256;
        while (cap < s->n_buf + n + 1)
            cap *= 2;
        char *nb = kfp_realloc(s->buf, cap);
        if (!nb)
            return NOMEM;
        s->buf = nb;
        s->cap_buf = cap;
    }
    memcpy(s->buf + s->n_buf, p, n);
    s->n_buf += n;
    return OK;
}

static int put_breaks(struct bp *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        TRY(put(s, "\n", 1));
    return OK;
}

static int from_load(enum kfp_load_status st)
{
    return st == KFP_LOAD_OK ? OK : st == KFP_LOAD_NOMEM ? NOMEM : FALLBACK;
}

/* Makes a scalar node of text[0..n) spanning [start, end) and attaches it. */
static int scalar(struct bp *s, enum kfp_style style, size_t start, size_t end, const char *text,
                  size_t n)
{
    struct kfp_node *nd = kfp_load_scalar(s->b, style, (uint32_t)start, (uint32_t)end, text, n);
    return nd ? from_load(kfp_load_attach(s->b, nd)) : NOMEM;
}

/* The awaited value or item is empty (null): libyaml places it right after its `:` or `-`. */
static int empty(struct bp *s)
{
    s->pending = P_NONE;
    return scalar(s, KFP_STYLE_PLAIN, s->pending_mark, s->pending_mark, "", 0);
}

/* Opens a block collection starting at `start`, at column `indent`. */
static int open_block(struct bp *s, enum kfp_node_kind kind, size_t start, int indent, bool indentless)
{
    struct kfp_node *nd = kfp_load_node(s->b, kind, KFP_STYLE_BLOCK, (uint32_t)start, 0);
    if (!nd)
        return NOMEM;
    TRY(from_load(kfp_load_open(s->b, nd, NULL)));
    s->b->frames[s->b->n_frames - 1].indent = indent;
    s->b->frames[s->b->n_frames - 1].indentless = indentless;
    return OK;
}

/* Closes every open collection at `end` (an awaited value or item becomes empty). */
static int close_all(struct bp *s, size_t end)
{
    if (s->pending == P_VALUE || s->pending == P_ITEM)
        TRY(empty(s));
    s->pending = P_NONE;
    while (s->b->n_frames)
        TRY(from_load(kfp_load_close(s->b, (uint32_t)end)));
    return OK;
}

/* After a node at i: only spaces and a comment may follow on the line. Leaves pos at the line
 * break (or the end). */
static int line_end(struct bp *s, size_t i)
{
    size_t j = skip_spaces(s, i);
    if (j < s->len && s->d[j] == '#') {
        if (j > s->line && s->d[j - 1] != ' ')
            return FALLBACK; /* `"a"#b`: left to libyaml */
        const char *nl = memchr(s->d + j, '\n', s->len - j);
        j = nl ? (size_t)(nl - s->d) : s->len;
    }
    if (j < s->len && s->d[j] != '\n')
        return FALLBACK;
    s->pos = j;
    return OK;
}

/* Moves pos past spaces, line breaks and comment lines to the next token. */
static void next_content(struct bp *s)
{
    size_t i = s->pos;
    for (;;) {
        i = skip_spaces(s, i);
        if (i >= s->len)
            break;
        if (s->d[i] == '\n') {
            s->line = ++i;
        } else if (s->d[i] == '#') {
            const char *nl = memchr(s->d + i, '\n', s->len - i);
            i = nl ? (size_t)(nl - s->d) : s->len;
        } else {
            break;
        }
    }
    s->pos = i;
}

/* Skips the line break at i and the empty lines after it. Returns the first content position
 * (or len) and sets *breaks to the number of empty lines and *ls to that line's start. */
static size_t skip_breaks(const struct bp *s, size_t i, size_t *breaks, size_t *ls)
{
    size_t n = 0;
    *ls = ++i;
    for (;;) {
        i = skip_spaces(s, i);
        if (i < s->len && s->d[i] == '\n') {
            n++;
            *ls = ++i;
            continue;
        }
        break;
    }
    *breaks = n;
    return i;
}

/* One line of a plain scalar from i: returns the end of its text (trailing spaces dropped) and
 * sets *stop to ':' (a `: ` key indicator at *stop_at), '#' (a comment) or '\n' (line end). */
static size_t plain_line(const struct bp *s, size_t i, char *stop, size_t *stop_at)
{
    const char *d = s->d;
    size_t len = s->len, last = i;
    while (i < len) {
        char c = d[i];
        if (c == '\n')
            break;
        if (c == ':' && blank_or_end(s, i + 1)) {
            *stop = ':';
            *stop_at = i;
            return last;
        }
        if (c == ' ') {
            if (at(s, i + 1) == '#') {
                *stop = '#';
                return last;
            }
            i++;
            continue;
        }
        last = ++i;
    }
    *stop = '\n';
    return last;
}

/* A plain scalar value from i whose first line's text ends at e (stop as from plain_line): folds
 * the continuation lines indented deeper than `indent`, and attaches the node. */
static int plain_value(struct bp *s, size_t i, size_t e, char stop, int indent)
{
    size_t end = e;
    bool folded = false;
    s->n_buf = 0;
    while (stop == '\n') {
        const char *nl = memchr(s->d + end, '\n', s->len - end);
        if (!nl)
            break;
        size_t breaks, ls;
        size_t r = skip_breaks(s, (size_t)(nl - s->d), &breaks, &ls);
        int col = (int)(r - ls);
        if (r >= s->len || col <= indent || s->d[r] == '#' || (col == 0 && doc_marker(s, r)))
            break;
        size_t stop_at;
        size_t e2 = plain_line(s, r, &stop, &stop_at);
        if (stop == ':')
            return FALLBACK; /* `a\n  b: c`: mapping values are not allowed there */
        if (!folded) {
            TRY(put(s, s->d + i, end - i));
            folded = true;
        }
        TRY(breaks ? put_breaks(s, breaks) : put(s, " ", 1));
        TRY(put(s, s->d + r, e2 - r));
        end = e2;
        s->line = ls;
    }
    if (folded)
        TRY(scalar(s, KFP_STYLE_PLAIN, i, end, s->buf, s->n_buf));
    else
        TRY(scalar(s, KFP_STYLE_PLAIN, i, end, s->d + i, end - i));
    return line_end(s, end);
}

/* Folds a line break inside a quoted scalar: q is at the '\n'. Appends a space (or one '\n' per
 * empty line) unless `escaped` (after a backslash: only the empty lines count). Returns the
 * position of the text that continues, or 0 to fall back. libyaml does not check the
 * indentation of the continuation lines; only a document marker ends the scalar (an error). */
static size_t quoted_fold(struct bp *s, size_t q, bool escaped, int *rc)
{
    size_t breaks, ls;
    size_t t = skip_breaks(s, q, &breaks, &ls);
    *rc = OK;
    if (t >= s->len || (t == ls && doc_marker(s, t))) {
        *rc = FALLBACK;
        return 0;
    }
    *rc = breaks ? put_breaks(s, breaks) : escaped ? OK : put(s, " ", 1);
    s->line = ls;
    return t;
}

/* Appends code point cp as UTF-8. */
static int put_utf8(struct bp *s, uint32_t cp)
{
    char o[4];
    size_t n;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return put(s, o, n);
}

/* A double-quoted escape at q (the backslash). Returns the position after it, or 0 to fall back
 * (a NUL, an unknown escape, a bad code point: libyaml's errors and corner cases). */
static size_t escape(struct bp *s, size_t q, int *rc)
{
    static const char simple_in[] = "abtnvfre \"/\\";
    static const char simple_out[] = "\a\b\t\n\v\f\r\x1b \"/\\";
    char e = at(s, q + 1);
    const char *hit = e ? strchr(simple_in, e) : NULL;
    *rc = OK;
    if (hit) {
        *rc = put(s, &simple_out[hit - simple_in], 1);
        return q + 2;
    }
    uint32_t cp;
    size_t digits = 0;
    switch (e) {
    case 'N': cp = 0x85; break;
    case '_': cp = 0xA0; break;
    case 'L': cp = 0x2028; break;
    case 'P': cp = 0x2029; break;
    case 'x': digits = 2; cp = 0; break;
    case 'u': digits = 4; cp = 0; break;
    case 'U': digits = 8; cp = 0; break;
    default: *rc = FALLBACK; return 0;
    }
    for (size_t k = 0; k < digits; k++) {
        char c = at(s, q + 2 + k);
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0 || cp > 0x10FFFF) {
            *rc = FALLBACK;
            return 0;
        }
        cp = cp * 16 + (uint32_t)v;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *rc = FALLBACK;
        return 0;
    }
    *rc = put_utf8(s, cp);
    return q + 2 + digits;
}

/* The quoted scalar at i. Sets *end after the closing quote and *multi when it spans lines; its
 * value is d[i+1 .. *end-1) when *direct, else s->buf. */
static int quoted(struct bp *s, size_t i, size_t *end, bool *multi, bool *direct)
{
    const char *d = s->d;
    char qc = d[i];
    bool dq = qc == '"';
    size_t q = i + 1;
    *multi = false;
    /* the common case: one line, nothing to unescape */
    while (q < s->len && d[q] != qc && d[q] != '\n' && !(dq && d[q] == '\\'))
        q++;
    if (q < s->len && d[q] == qc && (dq || at(s, q + 1) != '\'')) {
        *end = q + 1;
        *direct = true;
        return OK;
    }
    *direct = false;
    if (q < s->len && d[q] == '\n') /* spaces before a line break are folded away below */
        while (q > i + 1 && d[q - 1] == ' ')
            q--;
    s->n_buf = 0;
    TRY(put(s, d + i + 1, q - i - 1));
    for (;;) {
        if (q >= s->len)
            return FALLBACK; /* unterminated */
        char c = d[q];
        if (c == qc) {
            if (!dq && at(s, q + 1) == '\'') {
                TRY(put(s, "'", 1));
                q += 2;
                continue;
            }
            *end = q + 1;
            return *multi ? from_load(kfp_load_in_scalar(s->b, (uint32_t)i, (uint32_t)*end)) : OK;
        }
        int rc;
        if (c == ' ' || c == '\n') {
            size_t r = skip_spaces(s, q);
            if (r < s->len && d[r] == '\n') { /* spaces before a break are dropped */
                q = quoted_fold(s, r, false, &rc);
                TRY(rc);
                *multi = true;
            } else {
                TRY(put(s, d + q, r - q));
                q = r;
            }
            continue;
        }
        if (dq && c == '\\') {
            if (at(s, q + 1) == '\n') {
                q = quoted_fold(s, q + 1, true, &rc);
                TRY(rc);
                *multi = true;
            } else {
                q = escape(s, q, &rc);
                TRY(rc);
            }
            continue;
        }
        size_t r = q + 1;
        while (r < s->len && d[r] != qc && d[r] != ' ' && d[r] != '\n' && !(dq && d[r] == '\\'))
            r++;
        TRY(put(s, d + q, r - q));
        q = r;
    }
}

/* Attaches the quoted scalar [i, end) that quoted() scanned. */
static int quoted_scalar(struct bp *s, size_t i, size_t end, bool direct)
{
    uint8_t style = s->d[i] == '"' ? KFP_STYLE_DOUBLE : KFP_STYLE_SINGLE;
    if (direct)
        return scalar(s, style, i, end, s->d + i + 1, end - i - 2);
    return scalar(s, style, i, end, s->buf, s->n_buf);
}

/* Eats indentation — up to `indent` spaces, or all of them while indent is 0 — and empty lines
 * from q, where *ls is q's line start; counts the empty lines' breaks in *trailing and, while
 * indent is 0, keeps the deepest indentation in *max_indent. Returns where it stopped. */
static size_t block_breaks(const struct bp *s, size_t q, size_t *ls, int indent, size_t *trailing,
                           int *max_indent)
{
    for (;;) {
        size_t t = q;
        while (t < s->len && s->d[t] == ' ' && (indent == 0 || (int)(t - *ls) < indent))
            t++;
        if (indent == 0 && (int)(t - *ls) > *max_indent)
            *max_indent = (int)(t - *ls);
        q = t;
        if (t >= s->len || s->d[t] != '\n')
            return q;
        (*trailing)++;
        *ls = ++q;
    }
}

/* A literal (|) or folded (>) block scalar whose indicator is at i, inside a collection at
 * column `parent` (-1 at the root). Follows libyaml's scan_block_scalar. */
static int block_scalar(struct bp *s, size_t i, int parent)
{
    const char *d = s->d;
    bool folded = d[i] == '>';
    int chomp = 0, incr = 0; /* chomp: -1 strip, 0 clip, 1 keep */
    size_t q = i + 1;
    for (int k = 0; k < 2; k++) {
        char c = at(s, q);
        if ((c == '+' || c == '-') && !chomp) {
            chomp = c == '+' ? 1 : -1;
            q++;
        } else if (c >= '1' && c <= '9' && !incr) {
            incr = c - '0';
            q++;
        }
    }
    if (!blank_or_end(s, q))
        return FALLBACK;
    TRY(line_end(s, q));
    if (s->pos >= s->len)
        return FALLBACK; /* nothing after the header */
    q = s->pos + 1;
    size_t body = q, ls = q, trailing = 0;
    int indent = incr ? (parent >= 0 ? parent + incr : incr) : 0, max_indent = 0;
    q = block_breaks(s, q, &ls, indent, &trailing, &max_indent); /* auto-detects the indent */
    if (indent == 0) {
        indent = max_indent;
        if (indent < parent + 1)
            indent = parent + 1;
        if (indent < 1)
            indent = 1;
    }
    if (q >= s->len || (int)(q - ls) != indent)
        return FALLBACK; /* an empty block scalar */
    s->n_buf = 0;
    size_t end = q;
    bool leading_break = false, leading_blank = false;
    while (q < s->len && (int)(q - ls) == indent) {
        bool trailing_blank = d[q] == ' ';
        if (folded && leading_break && !leading_blank && !trailing_blank) {
            if (trailing == 0)
                TRY(put(s, " ", 1));
        } else if (leading_break) {
            TRY(put(s, "\n", 1));
        }
        leading_break = false;
        TRY(put_breaks(s, trailing));
        trailing = 0;
        leading_blank = trailing_blank;
        const char *nl = memchr(d + q, '\n', s->len - q);
        size_t e = nl ? (size_t)(nl - d) : s->len;
        TRY(put(s, d + q, e - q));
        q = e;
        if (q >= s->len) {
            end = q;
            break;
        }
        leading_break = true;
        ls = ++q;
        q = block_breaks(s, q, &ls, indent, &trailing, &max_indent);
        end = ls; /* libyaml ends the token after the last line break it read */
    }
    if (chomp != -1) {
        if (leading_break)
            TRY(put(s, "\n", 1));
        if (chomp == 1)
            TRY(put_breaks(s, trailing));
    }
    TRY(scalar(s, folded ? KFP_STYLE_FOLDED : KFP_STYLE_LITERAL, i, end, s->buf, s->n_buf));
    TRY(from_load(kfp_load_in_scalar(s->b, (uint32_t)body, (uint32_t)end)));
    s->pos = q;
    s->line = ls;
    return OK;
}

/* `{}` or `[]` at i. */
static int empty_flow(struct bp *s, size_t i)
{
    char open = s->d[i];
    if (at(s, i + 1) != (open == '{' ? '}' : ']'))
        return FALLBACK;
    size_t k = skip_spaces(s, i + 2);
    if (at(s, k) == ':')
        return FALLBACK; /* a flow collection as a key */
    struct kfp_node *nd = kfp_load_node(s->b, open == '{' ? KFP_NODE_MAP : KFP_NODE_SEQ,
                                        KFP_STYLE_FLOW, (uint32_t)i, 0);
    if (!nd)
        return NOMEM;
    TRY(from_load(kfp_load_open(s->b, nd, NULL)));
    TRY(from_load(kfp_load_close(s->b, (uint32_t)(i + 2))));
    return line_end(s, i + 2);
}

/* Whether nothing but a comment follows on the line from j. */
static bool rest_empty(const struct bp *s, size_t j)
{
    return j >= s->len || s->d[j] == '\n' || s->d[j] == '#';
}

/* After the `-` at i: sets *next to the item's content on this line, or to 0 with pending =
 * P_ITEM when the item starts on a later line. */
static int after_dash(struct bp *s, size_t i, size_t *next)
{
    size_t j = skip_spaces(s, i + 1);
    if (rest_empty(s, j)) {
        s->pending = P_ITEM;
        s->pending_mark = i + 1;
        *next = 0;
        return line_end(s, i + 1);
    }
    *next = j;
    return OK;
}

/* The node at i, in mode m (see enum mode). Loops over compact forms on one line: `- - x`,
 * `- key: value`, `key: value`. */
static int node_at(struct bp *s, size_t i, enum mode m)
{
    s->pending = P_NONE;
    for (;;) {
        const char *d = s->d;
        char c = d[i];
        int indent = top_indent(s);
        if (c == '-' && blank_or_end(s, i + 1)) {
            if (m != M_NODE)
                return FALLBACK; /* `key: - x` */
            TRY(open_block(s, KFP_NODE_SEQ, i, col_of(s, i), false));
            size_t j;
            TRY(after_dash(s, i, &j));
            if (!j)
                return OK;
            i = j;
            continue;
        }
        switch (c) {
        case '|':
        case '>':
            return m == M_KEY ? FALLBACK : block_scalar(s, i, indent);
        case '{':
        case '[':
            return m == M_KEY ? FALLBACK : empty_flow(s, i);
        case '?': case ':': case ',': case ']': case '}': case '#': case '&': case '*': case '!':
        case '%': case '@': case '`':
            return FALLBACK;
        default:
            break;
        }
        size_t key_end, colon;
        bool multi = false, direct = true, is_key;
        char stop = '\n';
        if (c == '\'' || c == '"') {
            TRY(quoted(s, i, &key_end, &multi, &direct));
            colon = skip_spaces(s, key_end);
            is_key = at(s, colon) == ':' && blank_or_end(s, colon + 1);
        } else {
            key_end = plain_line(s, i, &stop, &colon);
            is_key = stop == ':';
        }
        if (!is_key) {
            if (m == M_KEY)
                return FALLBACK; /* libyaml: could not find expected ':' */
            if (c != '\'' && c != '"')
                return plain_value(s, i, key_end, stop, indent);
            TRY(quoted_scalar(s, i, key_end, direct));
            return line_end(s, key_end);
        }
        if (m == M_VALUE || multi || key_end - i > MAX_KEY)
            return FALLBACK; /* `a: b: c`, a key over several lines or too long */
        if (m == M_NODE)
            TRY(open_block(s, KFP_NODE_MAP, i, col_of(s, i), false));
        if (c == '\'' || c == '"')
            TRY(quoted_scalar(s, i, key_end, direct));
        else
            TRY(scalar(s, KFP_STYLE_PLAIN, i, key_end, d + i, key_end - i));
        size_t j = skip_spaces(s, colon + 1);
        if (rest_empty(s, j)) {
            s->pending = P_VALUE;
            s->pending_mark = colon + 1;
            return line_end(s, colon + 1);
        }
        i = j;
        m = M_VALUE;
    }
}

/* Places the token at p (column col) in the open structure. */
static int dispatch(struct bp *s, size_t p, int col)
{
    struct builder *b = s->b;
    bool dash = s->d[p] == '-' && blank_or_end(s, p + 1);
    if (s->pending == P_ROOT)
        return node_at(s, p, M_NODE);
    if (s->pending == P_VALUE || s->pending == P_ITEM) {
        int ind = top_indent(s);
        if (col > ind)
            return node_at(s, p, M_NODE);
        if (col == ind && dash && s->pending == P_VALUE) { /* PyYAML's `key:\n- item` */
            s->pending = P_NONE;
            TRY(open_block(s, KFP_NODE_SEQ, p, col, true));
            size_t j;
            TRY(after_dash(s, p, &j));
            return j ? node_at(s, j, M_NODE) : OK;
        }
        TRY(empty(s));
    }
    while (b->n_frames) {
        const struct frame *f = &b->frames[b->n_frames - 1];
        if (f->node->kind == KFP_NODE_MAP) {
            if (col == f->indent)
                return dash ? FALLBACK : node_at(s, p, M_KEY);
            if (col > f->indent)
                return FALLBACK;
        } else {
            if (col == f->indent && dash) {
                size_t j;
                TRY(after_dash(s, p, &j));
                return j ? node_at(s, j, M_NODE) : OK;
            }
            if (col >= f->indent && !f->indentless)
                return FALLBACK;
        }
        TRY(from_load(kfp_load_close(b, (uint32_t)p)));
    }
    return FALLBACK; /* more content after the document's root */
}

static int run(struct bp *s)
{
    s->pending = P_ROOT;
    for (;;) {
        next_content(s);
        size_t p = s->pos;
        if (p >= s->len)
            return s->pending == P_ROOT ? FALLBACK /* an empty document */ : close_all(s, p);
        int col = col_of(s, p);
        if (col == 0 && doc_marker(s, p)) {
            if (s->d[p] == '.' || (s->pending == P_ROOT && s->explicit_doc))
                return FALLBACK;
            TRY(close_all(s, p));
            s->pending = P_ROOT;
            s->explicit_doc = true;
            TRY(line_end(s, p + 3));
            continue;
        }
        TRY(dispatch(s, p, col));
    }
}

enum kfp_block_status kfp_load_block(struct builder *b, const char *d, size_t len, size_t start)
{
    struct bp s;
    memset(&s, 0, sizeof(s));
    s.b = b;
    s.d = d;
    s.len = len;
    s.pos = start;
    s.line = start;
    int rc = run(&s);
    kfp_free(s.buf);
    return (enum kfp_block_status)rc;
}
