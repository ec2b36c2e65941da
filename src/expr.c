/* expr.c — a syntax checker for expr-lang as Argo Workflows uses it (see kfplint/expr.h).
 *
 * The lexer and the recursive-descent parser follow expr's own (parser/lexer/state.go,
 * parser/lexer/lexer.go, parser/parser.go, parser/operator/operator.go) token for token, so an
 * expression is accepted exactly when expr's parser accepts it and the first error is the one
 * expr reports, at the same token. Tokens are lexed on demand with one token of lookahead (two
 * for `x['name']`), so the parser keeps no token list and allocates nothing; every recursion
 * goes through a depth counter bounded by KFP_EXPR_MAX_DEPTH.
 */
#include "kfplint/expr.h"
#include "kfplint/common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tkind { T_EOF, T_IDENT, T_NUM, T_STR, T_OP, T_BR };

struct tok {
    uint8_t kind;
    uint32_t off, len;
};

/* Where the lexer stands: enough to lex ahead and come back. */
struct lexpos {
    uint32_t pos;
    uint8_t after_hash; /* the previous token was `#`: a word right after it is its name */
};

#define MAX_LETS 16

struct parser {
    const char *s;
    uint32_t n;
    struct lexpos lx;
    struct tok cur;
    int depth;        /* nesting followed now */
    int pred_depth;   /* inside a predicate: `#` and `.name` are allowed */
    bool failed;
    struct kfp_expr_error *err;
    const struct kfp_expr_hooks *hooks;
    void *ud;
    struct tok lets[MAX_LETS]; /* names bound by `let` so far (not environment paths) */
    size_t n_lets;
};

static void fail_at(struct parser *p, uint32_t off, uint32_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(struct parser *p, uint32_t off, uint32_t len, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->err)
        return;
    p->err->off = off;
    p->err->len = len;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ characters */

/* Decodes the UTF-8 sequence at s[i] (n bytes in all): its code point, *len its length.
 * An invalid byte reads as U+FFFD of length 1. */
static uint32_t decode(const char *s, uint32_t n, uint32_t i, uint32_t *len)
{
    const unsigned char *u = (const unsigned char *)s + i;
    uint32_t left = n - i;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    uint32_t need = u[0] >= 0xF0 && u[0] < 0xF5 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 && u[0] < 0xE0 ? 2 : 0;
    if (!need || need > left) {
        *len = 1;
        return 0xFFFD;
    }
    uint32_t cp = u[0] & (need == 2 ? 0x1F : need == 3 ? 0x0F : 0x07);
    for (uint32_t k = 1; k < need; k++) {
        if ((u[k] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        cp = cp << 6 | (u[k] & 0x3F);
    }
    *len = need;
    return cp;
}

/* unicode.IsSpace */
static bool is_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/* expr's IsAlphaNumeric: '_', '$', letters and digits. Outside ASCII, the punctuation, symbol
 * and space blocks a text may hold by accident (typographic quotes and dashes, arrows, math
 * symbols, box drawing, emoji, CJK and full-width punctuation) are not; every other character
 * counts as a letter, so no valid name is refused. */
static bool is_alnum(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$';
    if (is_space(c) || c == 0xFFFD || c < 0xA0)
        return false;
    if (c <= 0xBF)
        return c == 0xAA || c == 0xB5 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7)
        return false;
    if ((c >= 0x2010 && c <= 0x206F) || (c >= 0x2190 && c <= 0x23FF) ||
        (c >= 0x2500 && c <= 0x27BF) || (c >= 0x2900 && c <= 0x2BFF) ||
        (c >= 0x3001 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF01 && c <= 0xFF0F) ||
        (c >= 0xFF1A && c <= 0xFF20) || (c >= 0x1F000 && c <= 0x1FAFF))
        return false;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 16;
}

/* ------------------------------------------------------------------ lexer */

static bool tok_is(const struct parser *p, const struct tok *t, int kind, const char *v)
{
    if (t->kind != kind)
        return false;
    if (!v)
        return true;
    size_t l = strlen(v);
    return t->len == l && memcmp(p->s + t->off, v, l) == 0;
}

static bool cur_is(const struct parser *p, int kind, const char *v)
{
    return tok_is(p, &p->cur, kind, v);
}

/* The word operators of expr's identifier state. */
static bool keyword(const char *w, uint32_t l)
{
    static const char *const kw[] = {"not", "in", "or", "and", "matches", "contains",
                                     "startsWith", "endsWith", "let", "if", "else"};
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (strlen(kw[i]) == l && memcmp(w, kw[i], l) == 0)
            return true;
    return false;
}

/* The run of alphanumeric characters from i: its end. */
static uint32_t word_end(const char *s, uint32_t n, uint32_t i)
{
    while (i < n) {
        uint32_t l;
        if (!is_alnum(decode(s, n, i, &l)))
            break;
        i += l;
    }
    return i;
}

static bool accept(const char *s, uint32_t n, uint32_t *i, const char *set)
{
    if (*i < n && s[*i] && strchr(set, s[*i])) {
        (*i)++;
        return true;
    }
    return false;
}

static void accept_run(const char *s, uint32_t n, uint32_t *i, const char *set)
{
    while (accept(s, n, i, set))
        ;
}

/* expr's scanNumber from i (a digit, or a '.' before a digit): returns the end, or 0 with *bad
 * set when an alphanumeric character follows ("bad number syntax"). */
static uint32_t scan_number(const char *s, uint32_t n, uint32_t i, bool *bad)
{
    const char *digits = "0123456789_";
    if (accept(s, n, &i, "0")) {
        if (accept(s, n, &i, "xX"))
            digits = "0123456789abcdefABCDEF_";
        else if (accept(s, n, &i, "oO"))
            digits = "01234567_";
        else if (accept(s, n, &i, "bB"))
            digits = "01_";
    }
    accept_run(s, n, &i, digits);
    uint32_t end = i;
    if (accept(s, n, &i, ".")) {
        if (i < n && s[i] == '.')
            return end; /* 1..2: a range */
        accept_run(s, n, &i, digits);
    }
    if (accept(s, n, &i, "eE")) {
        accept(s, n, &i, "+-");
        accept_run(s, n, &i, digits);
    }
    uint32_t l;
    *bad = i < n && is_alnum(decode(s, n, i, &l));
    return i;
}

/* Scans the escape after a backslash at s[i] (i is the backslash) in a string quoted with q:
 * returns the index after it, or 0 when it is not one of Go's. */
static uint32_t scan_escape(const char *s, uint32_t n, uint32_t i, char q)
{
    i++;
    if (i >= n)
        return 0;
    char c = s[i];
    int base = 0, digits = 0;
    uint32_t start;
    switch (c) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
        return i + 1;
    case 'x': base = 16; digits = 2; start = i + 1; break;
    case 'u': base = 16; digits = 4; start = i + 1; break;
    case 'U': base = 16; digits = 8; start = i + 1; break;
    default:
        if (c == q)
            return i + 1;
        if (c >= '0' && c <= '7') {
            base = 8;
            digits = 3;
            start = i;
            break;
        }
        return 0;
    }
    uint32_t v = 0;
    for (int k = 0; k < digits; k++) {
        if (start + (uint32_t)k >= n || hexval(s[start + k]) >= base)
            return 0;
        v = v * (uint32_t)base + (uint32_t)hexval(s[start + k]);
    }
    /* strconv.UnquoteChar: octal at most \377; \u and \U a valid code point, no surrogate */
    if ((base == 8 && v > 255) || (c == 'u' || c == 'U' ? v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) : false))
        return 0;
    return start + (uint32_t)digits;
}

static bool lex_one(struct parser *p, struct lexpos *lx, struct tok *t, bool quiet);

/* Lexes the token at the lexer's position into *t and advances. On a lexing error *t and the
 * position are left as they were and: with `quiet` returns false; otherwise fails the parse
 * (and returns false). */
static bool lex(struct parser *p, struct lexpos *lx, struct tok *t, bool quiet)
{
    struct lexpos l = *lx;
    struct tok nt;
    if (!lex_one(p, &l, &nt, quiet))
        return false;
    *lx = l;
    *t = nt;
    return true;
}

static bool lex_one(struct parser *p, struct lexpos *lx, struct tok *t, bool quiet)
{
    const char *s = p->s;
    uint32_t n = p->n, i = lx->pos, l;
    if (lx->after_hash) {
        lx->after_hash = 0;
        uint32_t e = word_end(s, n, i);
        if (e > i) {
            *t = (struct tok){T_IDENT, i, e - i};
            lx->pos = e;
            return true;
        }
    }
    for (;;) {
        while (i < n && is_space(decode(s, n, i, &l)))
            i += l;
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            const char *e = NULL;
            for (uint32_t k = i + 2; k + 1 < n; k++)
                if (s[k] == '*' && s[k + 1] == '/') {
                    e = s + k;
                    break;
                }
            if (!e) {
                if (!quiet)
                    fail_at(p, i, 2, "unclosed comment: '/*' has no closing '*/'");
                return false;
            }
            i = (uint32_t)(e - s) + 2;
            continue;
        }
        break;
    }
    t->off = i;
    if (i >= n) { /* the end: placed right after the last token, before white space and comments */
        t->kind = T_EOF;
        t->off = lx->pos;
        t->len = 0;
        lx->pos = n;
        return true;
    }
    uint32_t start = i;
    char c = s[i];
    uint32_t cp = decode(s, n, i, &l);
    if (c == '"' || c == '\'') {
        i++;
        for (;;) {
            if (i >= n || s[i] == '\n') {
                if (!quiet)
                    fail_at(p, start, 1, "unterminated string: the quote %c opened here is never closed "
                            "(expr: literal not terminated)", c);
                return false;
            }
            if (s[i] == c)
                break;
            if (s[i] == '\\') {
                uint32_t e = scan_escape(s, n, i, c);
                if (!e) {
                    if (!quiet)
                        fail_at(p, i, i + 1 < n ? 2 : 1, "invalid char escape '\\%c' in a string literal%s",
                                i + 1 < n && s[i + 1] >= ' ' && s[i + 1] < 0x7F ? s[i + 1] : '?',
                                i + 1 < n && s[i + 1] == (c == '"' ? '\'' : '"')
                                    ? " (this quote needs no backslash here)" : "");
                    return false;
                }
                i = e;
            } else {
                i++;
            }
        }
        *t = (struct tok){T_STR, start, i + 1 - start};
        lx->pos = i + 1;
        return true;
    }
    if (c == '`') {
        const char *e = memchr(s + i + 1, '`', n - i - 1);
        if (!e) {
            if (!quiet)
                fail_at(p, start, 1, "unterminated string: the quote ` opened here is never closed "
                        "(expr: literal not terminated)");
            return false;
        }
        i = (uint32_t)(e - s) + 1;
        *t = (struct tok){T_STR, start, i - start};
        lx->pos = i;
        return true;
    }
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(s[i + 1]))) {
        bool bad = false;
        uint32_t e = scan_number(s, n, c == '.' ? i + 1 : i, &bad); /* expr's dot state reads on
                                                                     * from the digit */
        if (bad) {
            uint32_t we = word_end(s, n, e);
            if (!quiet)
                fail_at(p, start, we - start, "bad number syntax: '%.*s'", (int)(we - start > 40 ? 40 : we - start),
                        s + start);
            return false;
        }
        *t = (struct tok){T_NUM, start, e - start};
        lx->pos = e;
        return true;
    }
    uint8_t kind = T_OP;
    i++;
    switch (c) {
    case '?': accept(s, n, &i, ".?"); break;
    case '/': break;
    case '#': accept(s, n, &i, "#"); lx->after_hash = 1; break;
    case '|': accept(s, n, &i, "|"); break;
    case ':': accept(s, n, &i, ":"); break;
    case '(': case '[': case '{': case ')': case ']': case '}': kind = T_BR; break;
    case ',': case ';': case '%': case '+': case '-': case '^': break;
    case '&': case '!': case '=': case '*': case '<': case '>': accept(s, n, &i, "&=*"); break;
    case '.': accept(s, n, &i, "."); break;
    default:
        if (is_alnum(cp)) {
            i = word_end(s, n, start);
            kind = keyword(s + start, i - start) ? T_OP : T_IDENT;
            break;
        }
        if (!quiet) {
            if (cp >= 0x21 && cp < 0x7F)
                fail_at(p, start, 1, "unrecognized character '%c'", c);
            else
                fail_at(p, start, l, "unrecognized character U+%04X", (unsigned)cp);
        }
        return false;
    }
    *t = (struct tok){kind, start, i - start};
    lx->pos = i;
    return true;
}

/* Describes token t for a message: 'text' (cut to 40 bytes) or "end of expression". */
static void tok_text(const struct parser *p, const struct tok *t, char *buf, size_t cap)
{
    if (t->kind == T_EOF)
        snprintf(buf, cap, "end of expression");
    else
        snprintf(buf, cap, "'%.*s%s'", (int)(t->len > 40 ? 40 : t->len), p->s + t->off,
                 t->len > 40 ? "…" : "");
}

static bool negate_suffix(const struct parser *p, const struct tok *t);

static void unexpected(struct parser *p, const struct tok *t)
{
    if (t->kind == T_EOF) {
        fail_at(p, t->off, 0, "unexpected end of expression");
        return;
    }
    char b[80];
    tok_text(p, t, b, sizeof(b));
    const char *hint = tok_is(p, t, T_OP, "=") ? ": did you mean '=='?"
                       : tok_is(p, t, T_OP, "&") ? ": did you mean '&&'?" : "";
    if (t->kind == T_OP && negate_suffix(p, t) && t->off + t->len < p->n && p->s[t->off + t->len] == '(') {
        /* contains(a, b): the word is an operator */
        fail_at(p, t->off, t->len, "unexpected token %s: '%.*s' is an operator, not a function: "
                "write a %.*s b", b, (int)t->len, p->s + t->off, (int)t->len, p->s + t->off);
        return;
    }
    fail_at(p, t->off, t->len, "unexpected token %s%s", b, hint);
}

static void next(struct parser *p)
{
    if (p->failed)
        return;
    if (p->cur.kind == T_EOF) {
        fail_at(p, p->cur.off, 0, "unexpected end of expression");
        return;
    }
    lex(p, &p->lx, &p->cur, false);
}

static void expect(struct parser *p, int kind, const char *v)
{
    if (p->failed)
        return;
    if (cur_is(p, kind, v)) {
        next(p);
        return;
    }
    if (v && p->cur.kind == T_EOF) {
        fail_at(p, p->cur.off, 0, "unexpected end of expression: expected '%s'", v);
        return;
    }
    char b[80];
    tok_text(p, &p->cur, b, sizeof(b));
    if (v)
        fail_at(p, p->cur.off, p->cur.len, "unexpected token %s: expected '%s'", b, v);
    else
        unexpected(p, &p->cur);
}

/* ------------------------------------------------------------------ operators */

/* operator.Binary: precedence, or -1; *right for right-associative operators. */
static int binary_prec(const struct parser *p, const struct tok *t, bool *right)
{
    static const struct { const char *op; int prec; } ops[] = {
        {"|", 0}, {"or", 10}, {"||", 10}, {"and", 15}, {"&&", 15}, {"==", 20}, {"!=", 20},
        {"<", 20}, {">", 20}, {">=", 20}, {"<=", 20}, {"in", 20}, {"matches", 20},
        {"contains", 20}, {"startsWith", 20}, {"endsWith", 20}, {"..", 25}, {"+", 30},
        {"-", 30}, {"*", 60}, {"/", 60}, {"%", 60}, {"**", 100}, {"^", 100}, {"??", 500},
    };
    *right = false;
    if (t->kind != T_OP)
        return -1;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (tok_is(p, t, T_OP, ops[i].op)) {
            *right = ops[i].prec == 100;
            return ops[i].prec;
        }
    return -1;
}

static int unary_prec(const struct parser *p, const struct tok *t)
{
    if (tok_is(p, t, T_OP, "not") || tok_is(p, t, T_OP, "!"))
        return 50;
    if (tok_is(p, t, T_OP, "-") || tok_is(p, t, T_OP, "+"))
        return 90;
    return -1;
}

static bool negate_suffix(const struct parser *p, const struct tok *t)
{
    return tok_is(p, t, T_OP, "in") || tok_is(p, t, T_OP, "contains") ||
           tok_is(p, t, T_OP, "matches") || tok_is(p, t, T_OP, "startsWith") ||
           tok_is(p, t, T_OP, "endsWith");
}

/* ------------------------------------------------------------------ parser */

static void parse_expr(struct parser *p, int prec);
static void parse_seq(struct parser *p);

static bool enter(struct parser *p, const struct tok *t)
{
    if (p->failed)
        return false;
    if (++p->depth > KFP_EXPR_MAX_DEPTH) {
        fail_at(p, t->off, t->len ? t->len : 0, "expression nested too deeply (more than %d levels)",
                KFP_EXPR_MAX_DEPTH);
        return false;
    }
    return true;
}

/* A member chain being read: its segments so far. */
struct chain {
    struct kfp_expr_seg segs[KFP_EXPR_MAX_SEGS];
    size_t n;
    bool live;
};

static void chain_add(struct chain *c, uint32_t off, uint32_t len, bool quoted, bool escaped)
{
    if (!c->live || c->n == KFP_EXPR_MAX_SEGS)
        return;
    c->segs[c->n++] = (struct kfp_expr_seg){off, len, quoted, escaped};
}

static void chain_end(struct parser *p, struct chain *c)
{
    if (c->live && c->n && !p->failed && p->hooks && p->hooks->path)
        p->hooks->path(p->ud, c->segs, c->n);
    c->live = false;
}

/* The optional `.b` / `?.b` / `[…]` / `(…)` after an operand. A live chain grows with each
 * static member and is handed to the path hook where it ends. */
static void parse_postfix(struct parser *p, struct chain *c);

static void parse_arguments(struct parser *p)
{
    expect(p, T_BR, "(");
    int count = 0;
    while (!p->failed && !cur_is(p, T_BR, ")")) {
        if (count > 0)
            expect(p, T_OP, ",");
        if (cur_is(p, T_BR, ")"))
            break;
        parse_expr(p, 0);
        count++;
    }
    expect(p, T_BR, ")");
}

static void parse_predicate(struct parser *p)
{
    bool braces = false;
    if (cur_is(p, T_BR, "{")) {
        next(p);
        braces = true;
    }
    p->pred_depth++;
    if (braces) {
        parse_seq(p);
    } else {
        parse_expr(p, 0);
        if (!p->failed && cur_is(p, T_OP, ";"))
            fail_at(p, p->cur.off, 1, "wrap predicate with brackets { and }");
    }
    p->pred_depth--;
    if (braces)
        expect(p, T_BR, "}");
}

/* The builtins that take a predicate (parser.go's `predicates`): argument shapes, E for an
 * expression, P for a predicate, lower case optional. */
static const char *predicate_args(const struct parser *p, const struct tok *t)
{
    static const struct { const char *name, *args; } preds[] = {
        {"all", "EP"}, {"none", "EP"}, {"any", "EP"}, {"one", "EP"}, {"filter", "EP"},
        {"map", "EP"}, {"count", "Ep"}, {"sum", "Ep"}, {"find", "EP"}, {"findIndex", "EP"},
        {"findLast", "EP"}, {"findLastIndex", "EP"}, {"groupBy", "EP"}, {"sortBy", "EPe"},
        {"reduce", "EPe"},
    };
    for (size_t i = 0; i < sizeof(preds) / sizeof(preds[0]); i++)
        if (tok_is(p, t, T_IDENT, preds[i].name))
            return preds[i].args;
    return NULL;
}

/* A call of identifier t, its `(` current; `piped`: the left side of `|` is its first argument. */
static void parse_call(struct parser *p, const struct tok *t, bool piped)
{
    const char *args = predicate_args(p, t);
    if (!args) {
        if (!p->failed && p->hooks && p->hooks->call)
            p->hooks->call(p->ud, t->off, t->len);
        parse_arguments(p);
        return;
    }
    expect(p, T_BR, "(");
    const char *a = args + (piped ? 1 : 0);
    size_t want = strlen(a);
    for (size_t i = 0; a[i] && !p->failed; i++) {
        bool optional = a[i] >= 'a';
        if (cur_is(p, T_BR, ")")) {
            if (optional)
                break;
            fail_at(p, p->cur.off, 1, "expected at least %zu arguments", want);
            return;
        }
        if (i > 0)
            expect(p, T_OP, ",");
        if (a[i] == 'P' || a[i] == 'p')
            parse_predicate(p);
        else
            parse_expr(p, 0);
    }
    if (cur_is(p, T_OP, ","))
        next(p);
    expect(p, T_BR, ")");
}

static void parse_array(struct parser *p)
{
    expect(p, T_BR, "[");
    int count = 0;
    while (!p->failed && !cur_is(p, T_BR, "]")) {
        if (count > 0) {
            expect(p, T_OP, ",");
            if (cur_is(p, T_BR, "]"))
                break;
        }
        parse_expr(p, 0);
        count++;
    }
    expect(p, T_BR, "]");
}

static void parse_map(struct parser *p)
{
    expect(p, T_BR, "{");
    int count = 0;
    while (!p->failed && !cur_is(p, T_BR, "}")) {
        if (count > 0) {
            expect(p, T_OP, ",");
            if (cur_is(p, T_BR, "}"))
                break;
            if (cur_is(p, T_OP, ",")) {
                unexpected(p, &p->cur);
                return;
            }
        }
        if (p->cur.kind == T_NUM || p->cur.kind == T_STR || p->cur.kind == T_IDENT) {
            next(p);
        } else if (cur_is(p, T_BR, "(")) {
            parse_expr(p, 0);
        } else if (!p->failed) {
            char b[80];
            tok_text(p, &p->cur, b, sizeof(b));
            fail_at(p, p->cur.off, p->cur.len, "a map key must be a quoted string, a number, an "
                    "identifier, or an expression enclosed in parentheses (unexpected token %s)", b);
            return;
        }
        expect(p, T_OP, ":");
        parse_expr(p, 0);
        count++;
    }
    expect(p, T_BR, "}");
}

/* parser.go's number checks after lexing: the value fits, the form parses. */
static void check_number(struct parser *p, const struct tok *t)
{
    char buf[400];
    size_t bl = 0;
    for (uint32_t i = 0; i < t->len && bl + 1 < sizeof(buf); i++)
        if (p->s[t->off + i] != '_')
            buf[bl++] = p->s[t->off + i];
    buf[bl] = 0;
    bool long_text = bl + 1 >= sizeof(buf);
    const char *what = NULL;
    char lower1 = bl > 1 ? (char)(buf[1] | 0x20) : 0;
    bool prefixed = bl > 1 && buf[0] == '0' && (lower1 == 'x' || lower1 == 'b' || lower1 == 'o');
    if (prefixed && lower1 == 'x') {
        what = "hex";
    } else if (strpbrk(buf, ".eE")) {
        /* strconv.ParseFloat: digits, an optional fraction, an optional exponent with digits */
        const char *q = buf;
        size_t dig = 0;
        while (is_digit(*q))
            q++, dig++;
        if (*q == '.')
            for (q++; is_digit(*q); q++)
                dig++;
        bool ok = dig > 0;
        if (*q == 'e' || *q == 'E') {
            q++;
            if (*q == '+' || *q == '-')
                q++;
            ok &= is_digit(*q);
            while (is_digit(*q))
                q++;
        }
        ok &= *q == 0;
        if (ok && !long_text) {
            errno = 0;
            double d = strtod(buf, NULL);
            ok = !(errno == ERANGE && isinf(d));
        }
        if (!ok)
            fail_at(p, t->off, t->len, "invalid float literal '%.*s'", (int)(t->len > 40 ? 40 : t->len),
                    p->s + t->off);
        return;
    } else if (prefixed) {
        what = lower1 == 'b' ? "binary" : "octal";
    } else {
        what = "integer";
    }
    int base = prefixed ? (lower1 == 'x' ? 16 : lower1 == 'b' ? 2 : 8) : 10;
    const char *d = prefixed ? buf + 2 : buf;
    if (!*d) {
        fail_at(p, t->off, t->len, "invalid %s literal '%.*s': no digits", what,
                (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
        return;
    }
    /* strconv.ParseInt(…, 64): every digit of the base, and the value fits */
    uint64_t v = 0;
    bool over = long_text;
    for (; *d && !over; d++) {
        int dv = hexval(*d);
        if (dv >= base) {
            fail_at(p, t->off, t->len, "invalid %s literal '%.*s'", what, (int)(t->len > 40 ? 40 : t->len),
                    p->s + t->off);
            return;
        }
        if (v > (UINT64_C(0x7FFFFFFFFFFFFFFF) - (uint64_t)dv) / (uint64_t)base)
            over = true;
        v = v * (uint64_t)base + (uint64_t)dv;
    }
    if (over)
        fail_at(p, t->off, t->len, "%s literal '%.*s' is out of range (at most 9223372036854775807)",
                what, (int)(t->len > 40 ? 40 : t->len), p->s + t->off);
}

static bool is_let(const struct parser *p, const struct tok *t)
{
    for (size_t i = 0; i < p->n_lets; i++)
        if (p->lets[i].len == t->len && !memcmp(p->s + p->lets[i].off, p->s + t->off, t->len))
            return true;
    return false;
}

static void parse_secondary(struct parser *p)
{
    struct tok t = p->cur;
    struct chain c = {.n = 0, .live = false};
    switch (t.kind) {
    case T_IDENT:
        next(p);
        if (tok_is(p, &t, T_IDENT, "true") || tok_is(p, &t, T_IDENT, "false") ||
            tok_is(p, &t, T_IDENT, "nil"))
            return;
        if (cur_is(p, T_BR, "(")) {
            parse_call(p, &t, false);
        } else {
            c.live = !is_let(p, &t);
            chain_add(&c, t.off, t.len, false, false);
        }
        break;
    case T_NUM:
        next(p);
        check_number(p, &t);
        return;
    case T_STR:
        next(p);
        break;
    default:
        if (cur_is(p, T_BR, "[")) {
            parse_array(p);
        } else if (cur_is(p, T_BR, "{")) {
            parse_map(p);
        } else {
            unexpected(p, &t);
            return;
        }
    }
    parse_postfix(p, &c);
}

static void parse_postfix(struct parser *p, struct chain *c)
{
    while (!p->failed && (p->cur.kind == T_OP || p->cur.kind == T_BR)) {
        struct tok pt = p->cur;
        bool optional = cur_is(p, T_OP, "?.");
        if (cur_is(p, T_OP, ".") || optional) {
            next(p);
            struct tok prop = p->cur;
            if (optional && cur_is(p, T_BR, "[")) {
                pt = prop; /* a?.[i] */
                goto bracket;
            }
            next(p);
            bool word = prop.kind == T_IDENT;
            if (prop.kind == T_OP) { /* `not`, `matches` … are names too */
                uint32_t l;
                word = prop.len > 0 && is_alnum(decode(p->s, p->n, prop.off, &l)) &&
                       !is_digit(p->s[prop.off]) && word_end(p->s, p->n, prop.off) == prop.off + prop.len;
            }
            if (!word) {
                if (prop.kind == T_EOF)
                    fail_at(p, prop.off, 0, "unexpected end of expression: expected a name after '%.*s'",
                            (int)pt.len, p->s + pt.off);
                else
                    fail_at(p, prop.off, prop.len, "expected name after '%.*s'", (int)pt.len, p->s + pt.off);
                return;
            }
            if (cur_is(p, T_BR, "(")) { /* a method call ends the chain */
                chain_end(p, c);
                parse_arguments(p);
            } else {
                chain_add(c, prop.off, prop.len, false, false);
            }
            continue;
        }
        if (!cur_is(p, T_BR, "["))
            break;
    bracket:
        next(p);
        if (cur_is(p, T_OP, ":")) { /* [:to] */
            chain_end(p, c);
            next(p);
            if (!cur_is(p, T_BR, "]"))
                parse_expr(p, 0);
            expect(p, T_BR, "]");
            continue;
        }
        if (c->live && p->cur.kind == T_STR) {
            /* x['name']: a static member when `]` follows the string */
            struct lexpos save = p->lx;
            struct tok after;
            bool ok = lex(p, &save, &after, true);
            if (ok && tok_is(p, &after, T_BR, "]")) {
                bool esc = memchr(p->s + p->cur.off, '\\', p->cur.len) != NULL;
                chain_add(c, p->cur.off + 1, p->cur.len - 2, true, esc);
            } else {
                chain_end(p, c);
            }
        } else {
            chain_end(p, c);
        }
        parse_expr(p, 0);
        if (cur_is(p, T_OP, ":")) { /* [from:to] */
            chain_end(p, c);
            next(p);
            if (!cur_is(p, T_BR, "]"))
                parse_expr(p, 0);
        }
        expect(p, T_BR, "]");
    }
    chain_end(p, c);
}

static void parse_primary(struct parser *p)
{
    struct tok t = p->cur;
    struct chain none = {.n = 0, .live = false};
    int up = unary_prec(p, &t);
    if (up >= 0) {
        next(p);
        parse_expr(p, up);
        parse_postfix(p, &none);
        return;
    }
    if (cur_is(p, T_BR, "(")) {
        next(p);
        parse_seq(p);
        expect(p, T_BR, ")");
        parse_postfix(p, &none);
        return;
    }
    if (cur_is(p, T_OP, "#") || cur_is(p, T_OP, ".")) {
        if (p->pred_depth == 0) {
            fail_at(p, t.off, t.len, "cannot use pointer accessor outside predicate: '%.*s' "
                    "stands for the element only inside all(), map(), filter() and the like",
                    (int)t.len, p->s + t.off);
            return;
        }
        if (cur_is(p, T_OP, "#")) {
            next(p);
            if (p->cur.kind == T_IDENT)
                next(p);
        }
        parse_postfix(p, &none);
        return;
    }
    if (cur_is(p, T_OP, "::")) {
        next(p);
        struct tok f = p->cur;
        expect(p, T_IDENT, NULL);
        if (p->failed)
            return;
        parse_call(p, &f, false);
        parse_postfix(p, &none);
        return;
    }
    parse_secondary(p);
}

static void parse_if(struct parser *p)
{
    if (!enter(p, &p->cur))
        return;
    next(p); /* if */
    parse_expr(p, 0);
    expect(p, T_BR, "{");
    parse_seq(p);
    expect(p, T_BR, "}");
    expect(p, T_OP, "else");
    if (cur_is(p, T_OP, "if")) {
        parse_if(p);
    } else {
        expect(p, T_BR, "{");
        parse_seq(p);
        expect(p, T_BR, "}");
    }
    p->depth--;
}

static void parse_let(struct parser *p)
{
    next(p); /* let */
    struct tok name = p->cur;
    expect(p, T_IDENT, NULL);
    expect(p, T_OP, "=");
    parse_expr(p, 0);
    expect(p, T_OP, ";");
    if (p->failed)
        return;
    if (p->n_lets < MAX_LETS)
        p->lets[p->n_lets++] = name;
    parse_seq(p);
}

static void parse_conditional(struct parser *p)
{
    while (!p->failed && cur_is(p, T_OP, "?")) {
        next(p);
        if (!cur_is(p, T_OP, ":")) {
            parse_expr(p, 0);
            expect(p, T_OP, ":");
            parse_expr(p, 0);
        } else {
            next(p);
            parse_expr(p, 0);
        }
    }
}

static void parse_expr(struct parser *p, int prec)
{
    if (!enter(p, &p->cur))
        return;
    if (prec == 0 && cur_is(p, T_OP, "let")) {
        parse_let(p);
        p->depth--;
        return;
    }
    if (prec == 0 && cur_is(p, T_OP, "if")) {
        parse_if(p);
        p->depth--;
        return;
    }
    parse_primary(p);
    struct tok prev = {T_EOF, 0, 0};
    while (!p->failed && p->cur.kind == T_OP) {
        struct tok op = p->cur;
        if (cur_is(p, T_OP, "not")) {
            struct lexpos save = p->lx;
            next(p);
            if (p->failed)
                break;
            if (!negate_suffix(p, &p->cur)) {
                unexpected(p, &p->cur);
                break;
            }
            if (20 < prec) { /* `not in` binds as `in`: leave it to the caller */
                p->lx = save;
                p->cur = op;
                break;
            }
            op = p->cur;
        }
        bool right;
        int bp = binary_prec(p, &op, &right);
        if (bp < 0 || bp < prec)
            break;
        next(p);
        if (tok_is(p, &op, T_OP, "|")) {
            struct tok f = p->cur;
            expect(p, T_IDENT, NULL);
            if (p->failed)
                break;
            parse_call(p, &f, true);
        } else if (tok_is(p, &prev, T_OP, "??") && !tok_is(p, &op, T_OP, "??")) {
            fail_at(p, op.off, op.len, "Operator (%.*s) and coalesce expressions (?\?) cannot be mixed. "
                    "Wrap either by parentheses.", (int)op.len, p->s + op.off);
            break;
        } else if (bp == 20) {
            /* comparisons chain: a < b < c */
            for (;;) {
                parse_expr(p, 21);
                if (p->failed || p->cur.kind != T_OP || binary_prec(p, &p->cur, &right) != 20 ||
                    cur_is(p, T_OP, "not"))
                    break;
                next(p);
            }
        } else {
            parse_expr(p, right ? bp : bp + 1);
        }
        prev = op;
    }
    if (prec == 0)
        parse_conditional(p);
    p->depth--;
}

static void parse_seq(struct parser *p)
{
    parse_expr(p, 0);
    while (!p->failed && cur_is(p, T_OP, ";")) {
        next(p);
        if (p->cur.kind == T_EOF)
            break;
        parse_expr(p, 0);
    }
}

int kfp_expr_parse(const char *s, size_t len, const struct kfp_expr_hooks *hooks, void *ud,
                   struct kfp_expr_error *err)
{
    struct parser p;
    memset(&p, 0, sizeof(p));
    p.s = s;
    p.hooks = hooks;
    p.ud = ud;
    p.err = err;
    if (len > UINT32_MAX - 1) {
        fail_at(&p, 0, 0, "expression too long");
        return KFP_ERR;
    }
    p.n = (uint32_t)len;
    if (lex(&p, &p.lx, &p.cur, false)) {
        if (p.cur.kind == T_EOF)
            fail_at(&p, 0, 0, "empty expression");
        parse_seq(&p);
        if (!p.failed && p.cur.kind != T_EOF)
            unexpected(&p, &p.cur);
    }
    return p.failed ? KFP_ERR : KFP_OK;
}
