/* test_expr.c — the expr-lang syntax checker (src/expr.c): expressions from Argo's examples and
 * expr's documentation that must parse, broken ones with the offset and message of their first
 * error, the member chains and calls it reports, hostile nesting and size, and
 * kfp_node_value_span (value offsets to source offsets through YAML and JSON quoting). */
#include "testutil.h"
#include "kfplint/expr.h"
#include "kfplint/arena.h"
#include "kfplint/load.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const valid[] = {
    /* Argo's examples and docs */
    "jsonpath(workflow.parameters.config, '$.a')",
    "jsonpath(inputs.parameters['week-temps'], '$.avg')",
    "\n  map([\n      jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), "
    "'$.temps')\n    ], {\n      toJson({\n        avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,\n"
    "        min: sprig.min(#[0], #[1], #[2], #[3], #[4]),\n        max: sprig.max(#[0], #[1], "
    "#[2], #[3], #[4])\n      })\n  })[0]\n",
    "steps.flipcoin.outputs.result == 'heads'? steps.heads.outputs.result : steps.tails.outputs.result",
    " cronworkflows.lastScheduledTimeNull || (now() - cronworkflows.lastScheduledTime).Seconds() > 360 ",
    "lastRetry.exitCode != '2'",
    "workflow.status == \"Running\"",
    "steps[\"step-1\"].status == \"Succeeded\"",
    "workflow.parameters.foo",
    "asInt(lastRetry.exitCode) > 1",
    "lastRetry.status == \"Error\" or (lastRetry.status == \"Failed\" and asInt(lastRetry.exitCode) not in [1, 2, 127])",
    "lastRetry.message matches 'imminent node shutdown|node is draining'",
    "sprig.trim(inputs.parameters['my-string-param'])",
    "asFloat(inputs.parameters.x) * 1.5",
    "inputs.parameters.foo == 'bar' ? 1 : 0",
    "toJson(filter(items, {#.age > 18}))",
    "tasks['generate-artifact'].outputs.artifacts.hello-art",
    "inputs.parameters.my-param",
    "sprig.int(retries) + 1",
    "workflow.creationTimestamp.RFC3339",
    "string(1) + \"x\"",
    /* expr's Language-Definition: literals */
    "42", "0x2A", "0o52", "0b101010", "1_000_000", "3.14", "1e3", "1.e3", ".5", "1E-3",
    "\"hello\\n\\t\\\"x\\\"\"", "'it\\'s'", "`raw \\n string`", "\"\\x41\\101\\u00e9\\U0001F600\"",
    "true", "false", "nil", "[1, 2, 3]", "[1, 2, 3,]", "[]", "{}", "{a: 1, \"b\": 2, 3: 'c', (1+1): 4}",
    "{a: 1,}",
    /* operators and precedence */
    "1 + 2 * 3 - 4 / 5 % 6", "2 ** 3 ^ 2", "-x", "+x", "!x", "not x", "- - x", "not not x",
    "a or b || c and d && e", "a == b != c", "1 < x < 10", "1 <= x >= 0",
    "'a' in ['a']", "'a' not in ['b']", "name matches '^[a-z]+$'", "name not matches 'x'",
    "s contains 'x'", "s not contains 'x'", "s startsWith 'a'", "s not startsWith 'a'",
    "s endsWith 'z'", "s not endsWith 'z'", "1..10", "(1..10)[2]", "a ?? b ?? 'c'",
    "(a ?? b) + 1", "x ? y : z", "x ? y ? 1 : 2 : 3", "x ?: 'default'",
    /* members, calls, pipes, predicates */
    "user.Name", "user?.Address?.City", "user['Name']", "arr[0]", "arr[-1]", "arr[1:3]", "arr[:2]",
    "arr[1:]", "arr[:]", "m?.['k']", "foo.bar()", "foo.bar(1, 2)", "foo.not", "foo.matches(1)",
    "len(arr)", "abs(-1)", "upper(trim(s))", "s | trim() | upper()", "arr | filter(# > 1) | map(# * 2)",
    "all(tweets, {.Size < 280})", "any(arr, # > 0)", "one(arr, #.x)", "none(arr, {# == 0})",
    "map(arr, {#index})", "filter(arr, .Enabled)", "count(arr, # > 1)", "count(arr)", "sum(arr)",
    "sum(arr, #.n)", "find(arr, # > 1)", "findIndex(arr, # > 1)", "findLast(arr, # > 1)",
    "findLastIndex(arr, # > 1)", "groupBy(users, .Age)", "sortBy(users, .Age, 'desc')",
    "sortBy(users, .Age)", "reduce(1..9, #acc + #, 0)", "reduce(arr, #acc + #)",
    "map(arr, {let y = # * 2; y + 1})", "filter(arr, {# > 1; # < 5})", "map(arr, # + 1,)",
    "::len(arr)", "date('2023-08-14').Year()", "now().Sub(x).Hours() > 1",
    /* let, if, sequences, comments */
    "let x = 1; x + 2", "let x = 1; let y = x; y", "if x > 1 { 'a' } else { 'b' }",
    "if a { 1 } else if b { 2 } else { 3 }", "1; 2; 3", "1;", "(1; 2)",
    "1 /* inline */ + // comment\n 2", "// only a comment\n1",
    /* names */
    "$env", "_x", "café", "x1.y2",
};

static void test_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
        struct kfp_expr_error e = {0};
        int rc = kfp_expr_parse(valid[i], strlen(valid[i]), NULL, NULL, &e);
        if (rc != KFP_OK)
            fail_msg("valid expression rejected: %s -> at %u: %s", valid[i], e.off, e.msg);
    }
}

struct bad {
    const char *text;
    uint32_t off;
    const char *msg; /* a piece of the message */
};

static const struct bad invalid[] = {
    {"", 0, "empty expression"},
    {"   ", 0, "empty expression"},
    {"1 +", 3, "unexpected end of expression"},
    {"(1 + 2", 6, "expected ')'"},
    {"1 + 2)", 5, "unexpected token ')'"},
    {"f(1, 2", 6, "unexpected end of expression: expected ','"},
    {"[1, 2", 5, "unexpected end"},
    {"[1 2]", 3, "expected ','"},
    {"{a 1}", 3, "expected ':'"},
    {"{a: 1,, b: 2}", 6, "unexpected token ','"},
    {"{-1: 2}", 1, "a map key must be"},
    {"\"abc", 0, "unterminated string"},
    {"'abc", 0, "unterminated string"},
    {"`abc", 0, "unterminated string"},
    {"'a\nb'", 0, "unterminated string"},
    {"x == 'a\\qb'", 7, "invalid char escape"},
    {"\"it\\'s\"", 3, "invalid char escape"},
    {"'\\400'", 1, "invalid char escape"},
    {"'\\uD800'", 1, "invalid char escape"},
    {"'\\x4'", 1, "invalid char escape"},
    {"a = 1", 2, "did you mean '=='?"},
    {"a & b", 2, "did you mean '&&'?"},
    {"a @ b", 2, "unrecognized character '@'"},
    {"x == \xE2\x80\x9Cy\xE2\x80\x9D", 5, "unrecognized character U+201C"},
    {"12abc", 0, "bad number syntax"},
    {"0x", 0, "invalid hex literal"},
    {"0b", 0, "invalid binary literal"},
    {"1e", 0, "invalid float literal"},
    {"99999999999999999999", 0, "out of range"},
    {"0x8000000000000000", 0, "out of range"},
    {"1e400", 0, "invalid float literal"},
    {"a ?? b + c", 7, "coalesce expressions"},
    {"a not b", 6, "unexpected token 'b'"},
    {"#", 0, "cannot use pointer accessor outside predicate"},
    {".x", 0, "cannot use pointer accessor"},
    {"a.", 2, "unexpected end of expression"},
    {"a.1", 1, "unexpected token '.1'"},
    {"a.(b)", 2, "expected name"},
    {"a |", 3, "unexpected end"},
    {"a | 1", 4, "unexpected token '1'"},
    {"all(arr)", 7, "expected at least 2 arguments"},
    {"filter(arr, # > 1; # < 2)", 17, "wrap predicate with brackets"},
    {"map(arr, {# + 1)", 15, "expected '}'"},
    {"let x = 1 x", 10, "expected ';'"},
    {"let 1 = 2; 3", 4, "unexpected token '1'"},
    {"if x { 1 }", 10, "expected 'else'"},
    {"if x { 1 } else 2", 16, "expected '{'"},
    {"x ? y", 5, "expected ':'"},
    {"1 /* open", 2, "unclosed comment"},
    {"true.x", 4, "unexpected token '.'"},
    {"1 2", 2, "unexpected token '2'"},
    {"inputs.parameters.x ==", 22, "unexpected end of expression"},
    {"(1 +  \n // c\n", 4, "unexpected end of expression"}, /* right after the last token */
    {"a; ;", 3, "unexpected token ';'"},
    {"{1: 2", 5, "unexpected end"},
    {"<", 0, "unexpected token '<'"},
    {" 1; if\x1a", 6, "unrecognized character U+001A"}, /* fuzz_expr: a failed lex kept a stale token */
    {"contains(tags, 'x')", 0, "'contains' is an operator, not a function: write a contains b"},
};

static void test_invalid(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        const struct bad *b = &invalid[i];
        struct kfp_expr_error e = {0};
        int rc = kfp_expr_parse(b->text, strlen(b->text), NULL, NULL, &e);
        if (rc != KFP_ERR) {
            print_error("invalid expression accepted: %s\n", b->text);
            bad++;
        } else if (e.off != b->off || !strstr(e.msg, b->msg) || e.off + e.len > strlen(b->text)) {
            print_error("%s: got at %u+%u '%s', want at %u '%s'\n", b->text, e.off, e.len, e.msg,
                        b->off, b->msg);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* NULL error record: the verdict alone */
    assert_int_equal(kfp_expr_parse("1 +", 3, NULL, NULL, NULL), KFP_ERR);
    /* the length bounds the text: a NUL inside is a character, the rest is not read */
    assert_int_equal(kfp_expr_parse("1 + 2 )", 5, NULL, NULL, NULL), KFP_OK);
    assert_int_equal(kfp_expr_parse("1\0", 2, NULL, NULL, NULL), KFP_ERR);
}

struct seen {
    const char *text;
    char out[1024];
};

static void on_path(void *ud, const struct kfp_expr_seg *segs, size_t n)
{
    struct seen *s = ud;
    size_t l = strlen(s->out);
    l += (size_t)snprintf(s->out + l, sizeof(s->out) - l, "P");
    for (size_t i = 0; i < n; i++)
        l += (size_t)snprintf(s->out + l, sizeof(s->out) - l, "%s%s%.*s", i ? "." : ":",
                              segs[i].quoted ? "'" : "", (int)segs[i].len, s->text + segs[i].off);
    snprintf(s->out + l, sizeof(s->out) - l, " ");
}

static void on_call(void *ud, uint32_t off, uint32_t len)
{
    struct seen *s = ud;
    size_t l = strlen(s->out);
    snprintf(s->out + l, sizeof(s->out) - l, "C:%.*s ", (int)len, s->text + off);
}

static void test_hooks(void **state)
{
    (void)state;
    static const struct { const char *text, *want; } cases[] = {
        {"inputs.parameters.x == 'a'", "P:inputs.parameters.x "},
        {"inputs.parameters['my-p'] + 1", "P:inputs.parameters.'my-p "},
        {"steps[\"a\"].outputs.result", "P:steps.'a.outputs.result "},
        {"asInt(inputs.parameters.n)", "C:asInt P:inputs.parameters.n "},
        {"sprig.trim(x)", "P:sprig P:x "},
        {"a[b].c", "P:a P:b "},
        {"a?.b?.c", "P:a.b.c "},
        {"let x = 1; x.y + z.w", "P:z.w "},
        {"map(items, #.a) | lenght()", "P:items C:lenght "},
        {"{a: b}", "P:b "},
        {"x[1:2]", "P:x "},
        {"'lit'.x", ""},
        {"a.b.c.d.e.f.g.h.i.j", "P:a.b.c.d.e.f.g.h "},
        {"tasks.A.outputs.parameters.x-y", "P:tasks.A.outputs.parameters.x P:y "},
    };
    struct kfp_expr_hooks h = {on_path, on_call};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct seen s = {.text = cases[i].text, .out = ""};
        assert_int_equal(kfp_expr_parse(cases[i].text, strlen(cases[i].text), &h, &s, NULL), KFP_OK);
        if (strcmp(s.out, cases[i].want) != 0)
            fail_msg("%s: hooks saw '%s', want '%s'", cases[i].text, s.out, cases[i].want);
    }
}

/* Hostile input: nesting is an error, not a crash; long flat input parses in linear time. */
static void test_hostile(void **state)
{
    (void)state;
    size_t n = 100000;
    char *s = malloc(3 * n + 8);
    assert_non_null(s);
    static const char *const openers[] = {"(", "[", "-", "!", "f(", "{a:", "a[", "all(x,{"};
    for (size_t k = 0; k < sizeof(openers) / sizeof(openers[0]); k++) {
        size_t l = 0, ol = strlen(openers[k]);
        for (size_t i = 0; i < n / ol; i++, l += ol)
            memcpy(s + l, openers[k], ol);
        s[l++] = '1';
        struct kfp_expr_error e;
        assert_int_equal(kfp_expr_parse(s, l, NULL, NULL, &e), KFP_ERR);
        if (!strstr(e.msg, "nested too deeply"))
            fail_msg("opener %s: %s", openers[k], e.msg);
    }
    /* just under the bound is fine */
    size_t l = 0;
    for (int i = 0; i < KFP_EXPR_MAX_DEPTH / 2 - 1; i++)
        s[l++] = '(';
    s[l++] = '1';
    for (int i = 0; i < KFP_EXPR_MAX_DEPTH / 2 - 1; i++)
        s[l++] = ')';
    assert_int_equal(kfp_expr_parse(s, l, NULL, NULL, NULL), KFP_OK);
    /* a long flat expression: 1+1+1… and a chain a.a.a… */
    l = 0;
    for (size_t i = 0; i < n; i++) {
        s[l++] = '1';
        s[l++] = '+';
    }
    s[l++] = '1';
    assert_int_equal(kfp_expr_parse(s, l, NULL, NULL, NULL), KFP_OK);
    l = 0;
    for (size_t i = 0; i < n; i++) {
        s[l++] = 'a';
        s[l++] = '.';
    }
    s[l++] = 'a';
    assert_int_equal(kfp_expr_parse(s, l, NULL, NULL, NULL), KFP_OK);
    /* right-associative ** and chained comparisons recurse per operator: bounded too */
    l = 0;
    for (size_t i = 0; i < n; i++) {
        s[l++] = '2';
        s[l++] = '^';
    }
    s[l++] = '2';
    struct kfp_expr_error e;
    assert_int_equal(kfp_expr_parse(s, l, NULL, NULL, &e), KFP_ERR);
    assert_non_null(strstr(e.msg, "nested too deeply"));
    free(s);
}

/* kfp_node_value_span: value byte → source bytes for each scalar style. */
static void test_value_span(void **state)
{
    (void)state;
    static const struct { const char *doc, *key, *needle, *want; } cases[] = {
        {"k: a{{=x +}}b\n", "k", "+", "+"},
        {"k: 'it''s {{=x +}}'\n", "k", "+", "+"},
        {"k: \"tab\\t{{=x +}}\"\n", "k", "+", "+"},
        {"k: \"\\u00e9\\u00e9 {{=x +}}\"\n", "k", "+", "+"},
        {"{\"k\": \"q\\\"\\\\ {{=x +}}\"}", "k", "+", "+"},
        {"{\"k\": \"\\ud83d\\ude00 {{=x +}}\"}", "k", "+", "+"},
        {"k: |\n  line one\n  {{=x +}}\n", "k", "+", "+"},
        {"k: |-\n    a\n\n    b {{=x +}}\n", "k", "+", "+"},
        {"k: \"folded\n  line {{=x +}}\"\n", "k", "+", "+"},
        {"k: \"esc \\\n  aped {{=x +}}\"\n", "k", "+", "+"},
        {"k: plain\n  multi {{=x +}}\n", "k", "+", "+"},
        {"k: 'a   \n\n  b {{=x +}}'\n", "k", "+", "+"},
        {"k: >-\n  {{=\n    map([1], {\n      # + 1\n    })[0] +\n  }}\n", "k", "] +", "] +"},
        {"k: >\n  folded\n  text\n\n  para {{=x +}}\n", "k", "+", "+"},
        {"k: >\n  a\n    more\n  b {{=x +}}\n", "k", "+", "+"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kfp_arena ar;
        kfp_arena_init(&ar);
        struct kfp_arena *a = &ar;
        struct kfp_doc d;
        struct kfp_error err;
        const char *text = cases[i].doc;
        if (kfp_load(a, strchr(text, '{') == text ? "t.json" : "t.yaml", text, strlen(text), &d, &err) != KFP_LOAD_OK)
            fail_msg("case %zu does not load: %s", i, err.msg);
        const struct kfp_node *v = kfp_map_get(d.roots[0], cases[i].key, NULL);
        assert_non_null(v);
        const char *at = strstr(v->u.str, cases[i].needle);
        assert_non_null(at);
        struct kfp_span sp = kfp_node_value_span(&d.src, v, (size_t)(at - v->u.str), strlen(cases[i].needle));
        size_t wl = strlen(cases[i].want);
        if (sp.end - sp.start != wl || memcmp(text + sp.start, cases[i].want, wl) != 0)
            fail_msg("case %zu (%s): span %u..%u is '%.*s'", i, text, sp.start, sp.end,
                     (int)(sp.end - sp.start), text + sp.start);
        kfp_arena_free(a);
    }
}

/* Every value byte of every scalar of every fixture and corpus file maps to a source byte that
 * spells it (the byte itself, the backslash of its escape, or the line break it was folded
 * from), in order; a scalar the mapping gives up on has an explicit indentation indicator. */
static size_t vs_scalars, vs_bytes, vs_whole;
static const char *vs_path;

static void vs_scalar(const struct kfp_source *src, const struct kfp_node *n)
{
    struct kfp_value_cursor cur = {0};
    uint32_t prev = 0;
    vs_scalars++;
    for (size_t i = 0; i < n->len; i++) {
        struct kfp_span sp = kfp_node_value_span_from(src, n, i, 1, &cur);
        if (sp.start == n->span.start && sp.end == n->span.end && sp.end - sp.start != 1) {
            const char *h = src->data + n->span.start;
            bool indicator = (n->style == KFP_STYLE_LITERAL || n->style == KFP_STYLE_FOLDED) &&
                             (strpbrk(h, "123456789") && strpbrk(h, "123456789") < (const char *)memchr(h, '\n', n->span.end - n->span.start));
            if (!indicator)
                fail_msg("%s: scalar at byte %u (style %d): value byte %zu is not mapped", vs_path,
                         n->span.start, n->style, i);
            vs_whole++;
            return;
        }
        char c = n->u.str[i], b = src->data[sp.start];
        bool ok = b == c || (n->style == KFP_STYLE_DOUBLE && b == '\\') ||
                  ((c == ' ' || c == '\n') && (b == '\n' || b == '\r'));
        if (!ok || sp.start < prev)
            fail_msg("%s: scalar at byte %u (style %d): value byte %zu '%c' maps to byte %u '%c'%s",
                     vs_path, n->span.start, n->style, i, c, sp.start, b,
                     sp.start < prev ? " (backwards)" : "");
        prev = sp.start;
        vs_bytes++;
    }
}

static void vs_walk(const struct kfp_source *src, const struct kfp_node *n)
{
    if (!n || n->kind == KFP_NODE_ALIAS)
        return;
    if (n->kind == KFP_NODE_SCALAR) {
        vs_scalar(src, n);
    } else if (n->kind == KFP_NODE_MAP) {
        for (uint32_t i = 0; i < n->len; i++) {
            vs_walk(src, &n->u.pairs[i].key);
            vs_walk(src, &n->u.pairs[i].value);
        }
    } else {
        for (uint32_t i = 0; i < n->len; i++)
            vs_walk(src, &n->u.items[i]);
    }
}

static int vs_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || !((n > 5 && !strcmp(path + n - 5, ".json")) || (n > 5 && !strcmp(path + n - 5, ".yaml"))))
        return 0;
    size_t len;
    char *text = tu_read(path, &len);
    assert_non_null(text);
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc d;
    struct kfp_error err;
    vs_path = path;
    if (kfp_load(&a, path, text, len, &d, &err) == KFP_LOAD_OK)
        for (size_t i = 0; i < d.n_roots; i++)
            vs_walk(&d.src, d.roots[i]);
    kfp_arena_free(&a);
    free(text);
    return 0;
}

static void test_value_span_files(void **state)
{
    (void)state;
    assert_int_equal(nftw(FIXTURES_DIR, vs_file, 16, FTW_PHYS), 0);
    print_message("value spans: %zu bytes of %zu scalars mapped, %zu scalars with an indentation "
                  "indicator left whole\n", vs_bytes, vs_scalars, vs_whole);
    assert_true(vs_bytes > 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),   cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_hooks),   cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_value_span), cmocka_unit_test(test_value_span_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
