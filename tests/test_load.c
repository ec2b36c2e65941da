/* test_load.c — loader: exact positions (CRLF, BOM, multi-byte UTF-8, flow and block, JSON),
 * scalar typing, duplicate keys, JSON strictness, aliases and merge keys, bad input, and the
 * block-YAML fast path against libyaml (every construct it takes, what it leaves to libyaml, and
 * every YAML file of the fixtures and the corpus). */
#include "testutil.h"
#include "tree_cmp.h"
#include "kfplint/load.h"

#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pos_case {
    const char *text;
    const char *key;   /* find the value of this top-level key… */
    const char *sub;   /* …or of this key inside it */
    size_t line, col;  /* expected 1-based position of the value */
    uint32_t byte;     /* expected byte offset */
};

static const struct pos_case pos_cases[] = {
    {"a: 1\nb: hello\n", "b", NULL, 2, 4, 8},
    {"a: 1\r\nb: hello\r\n", "b", NULL, 2, 4, 9},                         /* CRLF */
    {"\xEF\xBB\xBF" "a: 1\nb: x\n", "b", NULL, 2, 4, 11},                 /* BOM */
    {"\xEF\xBB\xBF" "a: 1\nb: x\n", "a", NULL, 1, 4, 6},                  /* BOM, line 1 */
    {"\xEF\xBB\xBF" "a: {b: x}\n", "a", "b", 1, 8, 10},                    /* BOM, libyaml */
    {"\xEF\xBB\xBF" "{\"a\": {\"b\": 1}}", "a", "b", 1, 13, 15},            /* BOM, JSON */
    {"a: \"h\xC3\xA9llo w\xC3\xB6rld\"\nb: [1, 2]\n", "b", NULL, 2, 4, 22}, /* UTF-8 before */
    {"a: {x: \xE2\x82\xAC\xE2\x82\xAC, y: z}\n", "a", "y", 1, 15, 18},     /* flow, 3-byte chars */
    {"{\n  \"a\": {\"x\": 1,\n    \"y\": \"\xF0\x9F\x98\x80z\"}\n}\n", "a", "y", 3, 10, 27}, /* JSON */
    {"a:\r  b: 1\r  c: 2\r", "a", "c", 3, 6, 15},                         /* lone CR */
    {"x: |\n  line one\n  line two\nb: 2\n", "b", NULL, 4, 4, 30},
};

static void test_positions(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2 * sizeof(pos_cases) / sizeof(pos_cases[0]); i++) {
        const struct pos_case *c = &pos_cases[i / 2];
        unsigned flags = i % 2 ? KFP_LOAD_LIBYAML : 0; /* our parsers, then libyaml alone */
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        assert_int_equal(kfp_load_ex(&a, "t", c->text, strlen(c->text), flags, &doc, &err),
                         KFP_LOAD_OK);
        const struct kfp_node *v = kfp_map_get(doc.roots[0], c->key, NULL);
        if (c->sub)
            v = kfp_map_get(v, c->sub, NULL);
        assert_non_null(v);
        size_t line, col;
        kfp_source_pos(&doc.src, v->span.start, &line, &col);
        if (line != c->line || col != c->col || v->span.start != c->byte)
            fail_msg("case %zu%s: got %zu:%zu byte %u, want %zu:%zu byte %u", i / 2,
                     flags ? " (libyaml)" : "", line, col,
                     v->span.start, c->line, c->col, c->byte);
        kfp_arena_free(&a);
    }
}

static void test_scalar_types(void **state)
{
    (void)state;
    static const struct { const char *text; enum kfp_scalar_type t; } cases[] = {
        {"v: 5", KFP_SCALAR_INT},     {"v: -12", KFP_SCALAR_INT},   {"v: 1.5", KFP_SCALAR_FLOAT},
        {"v: 1e3", KFP_SCALAR_FLOAT}, {"v: .inf", KFP_SCALAR_FLOAT}, {"v: true", KFP_SCALAR_BOOL},
        {"v: False", KFP_SCALAR_BOOL}, {"v: yes", KFP_SCALAR_BOOL},  {"v: YES", KFP_SCALAR_BOOL},
        {"v: yEs", KFP_SCALAR_STRING}, {"v: '5'", KFP_SCALAR_STRING}, {"v: null", KFP_SCALAR_NULL},
        {"v: ~", KFP_SCALAR_NULL},    {"v:", KFP_SCALAR_NULL},      {"v: hello", KFP_SCALAR_STRING},
        {"v: 0x1F", KFP_SCALAR_INT},  {"v: 1.2.3", KFP_SCALAR_STRING},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        assert_int_equal(kfp_load(&a, "t", cases[i].text, strlen(cases[i].text), &doc, NULL), KFP_LOAD_OK);
        if (kfp_scalar_type(kfp_map_get(doc.roots[0], "v", NULL)) != cases[i].t)
            fail_msg("'%s': wrong type", cases[i].text);
        kfp_arena_free(&a);
    }
}

static void test_snake_case_keys(void **state)
{
    (void)state;
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    const char *t = "{\"pipeline_info\": {\"name\": \"x\"}}";
    assert_int_equal(kfp_load(&a, "t", t, strlen(t), &doc, NULL), KFP_LOAD_OK);
    assert_non_null(kfp_map_get(doc.roots[0], "pipelineInfo", NULL));
    assert_null(kfp_map_get(doc.roots[0], "pipelineInfoX", NULL));
    kfp_arena_free(&a);
}

static void test_duplicates(void **state)
{
    (void)state;
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    /* a large mapping takes the hashed path */
    char big[4096] = "{";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof(big) - strlen(big), "\"k%d\": %d, ", i, i);
    strcat(big, "\"k7\": 0}");
    assert_int_equal(kfp_load(&a, "t", big, strlen(big), &doc, NULL), KFP_LOAD_OK);
    assert_int_equal(doc.n_dups, 1);
    assert_string_equal(doc.dups[0].second->u.str, "k7");
    kfp_arena_free(&a);
}

/* Equal scalar texts share one copy, in every parser, also after the fast path gave up half-way
 * (the texts it had shared lived in arena memory that was released). */
static void test_shared_texts(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "k: same\nl: same\nm: \"same\"\nn: other\n",                 /* fast path */
        "k: same\nl: [same]\nm: \"same\"\nn: other\n",               /* libyaml */
        "k: same\nl: same\nm: \"same\"\nn: other\no: &x 1\n",         /* fast path, then libyaml */
        "{\"k\": \"same\", \"l\": [\"s\\u0061me\"], \"m\": \"same\", \"n\": \"other\"}", /* JSON */
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        assert_int_equal(kfp_load(&a, "t", docs[i], strlen(docs[i]), &doc, NULL), KFP_LOAD_OK);
        assert_int_equal(doc.fast, i == 0);
        const char *k = kfp_scalar(kfp_map_get(doc.roots[0], "k", NULL));
        const struct kfp_node *l = kfp_map_get(doc.roots[0], "l", NULL);
        const char *m = kfp_scalar(kfp_map_get(doc.roots[0], "m", NULL));
        const char *n = kfp_scalar(kfp_map_get(doc.roots[0], "n", NULL));
        if (l->kind == KFP_NODE_SEQ)
            l = &l->u.items[0];
        assert_string_equal(k, "same");
        assert_string_equal(n, "other");
        assert_ptr_equal(k, kfp_scalar(l));
        assert_ptr_equal(k, m);
        assert_ptr_not_equal(k, n);
        kfp_arena_free(&a);
    }
}

static void test_json_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"a\": 'x'}", "{\"a\": x}", "{\"a\": [1, 2,]}", "{\"a\": &x 1}", "{a: 1}",
        "{\"a\": 1} {\"b\": 2}", "{\"a\": 1}x", "{\"a\": 1}          \n x",
        /* the string scanner's eight-byte steps stop at a control byte, bad UTF-8, the end */
        "{\"a\": \"0123456789abcdef\x01\"}", "{\"a\": \"0123456789\x01" "abcdef\"}",
        "{\"a\": \"01234567\xff" "89abcdef\"}", "{\"a\": \"0123456789abcdef",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        if (kfp_load(&a, "t.json", bad[i], strlen(bad[i]), &doc, &err) != KFP_LOAD_SYNTAX)
            fail_msg("accepted invalid JSON: %s", bad[i]);
        assert_true(err.has_span);
        assert_non_null(strstr(err.msg, "JSON"));
        kfp_arena_free(&a);
    }
}

/* A text that opens with '{' or '[' is JSON only when it is valid JSON; otherwise (unless the
 * file is named *.json) it is YAML: flow mappings with plain keys, single quotes, comments,
 * trailing commas, anchors, or block content after a flow key. */
static void test_json_or_flow_yaml(void **state)
{
    (void)state;
    static const struct { const char *text, *name; } yaml[] = {
        {"{pipelineInfo: {name: x}, schemaVersion: 2.1.0}\n", "x"},
        {"{'pipelineInfo': {'name': 'x'}}", "x"},
        {"{\"pipelineInfo\": {\"name\": \"x\"}, # a comment\n \"b\": 1}", "x"},
        {"{\"pipelineInfo\": {\"name\": \"x\",},}", "x"},
        {"{\"pipelineInfo\": &p {\"name\": \"x\"}, \"c\": *p}", "x"},
        {"  {\"pipelineInfo\": {\"name\": \"x\"}}\n# trailing comment\n", "x"},
        {"\xEF\xBB\xBF{pipelineInfo: {name: \"x\"}}", "x"},
        {"{pipelineInfo: {name: \"multi\n  line\"}}", "multi line"},
    };
    for (size_t i = 0; i < 2 * sizeof(yaml) / sizeof(yaml[0]); i++) {
        const char *t = yaml[i / 2].text;
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        enum kfp_load_status st = kfp_load(&a, i % 2 ? "-" : "p.yaml", t, strlen(t), &doc, &err);
        if (st != KFP_LOAD_OK)
            fail_msg("flow YAML %zu not loaded: %s", i / 2, err.msg);
        assert_int_equal(doc.format, KFP_FORMAT_YAML);
        assert_string_equal(kfp_scalar(kfp_map_get(kfp_map_get(doc.roots[0], "pipelineInfo", NULL),
                                                   "name", NULL)), yaml[i / 2].name);
        kfp_arena_free(&a);
        /* named *.json it must be JSON */
        kfp_arena_init(&a);
        assert_int_equal(kfp_load(&a, "p.json", t, strlen(t), &doc, &err), KFP_LOAD_SYNTAX);
        assert_non_null(strstr(err.msg, "JSON"));
        kfp_arena_free(&a);
    }
    /* valid JSON stays JSON whatever the name; invalid YAML too gets libyaml's error */
    static const char *const json[] = {"{\"a\": [1, 2]}", "[{\"a\": 1}]", " \n{}\n"};
    for (size_t i = 0; i < sizeof(json) / sizeof(json[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        assert_int_equal(kfp_load(&a, "p.yaml", json[i], strlen(json[i]), &doc, NULL), KFP_LOAD_OK);
        assert_int_equal(doc.format, KFP_FORMAT_JSON);
        kfp_arena_free(&a);
    }
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    struct kfp_error err;
    const char *t = "{\"a\": 1\n";
    assert_int_equal(kfp_load(&a, "p.yaml", t, strlen(t), &doc, &err), KFP_LOAD_SYNTAX);
    assert_non_null(strstr(err.msg, "YAML syntax error"));
    assert_true(err.has_span);
    kfp_arena_free(&a);
}

static void test_alias_and_merge(void **state)
{
    (void)state;
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    const char *t = "base: &b {image: 'python:3.11', command: [echo]}\n"
                    "c: {<<: *b, args: [hi]}\n"
                    "d: *b\n";
    assert_int_equal(kfp_load(&a, "t", t, strlen(t), &doc, NULL), KFP_LOAD_OK);
    assert_string_equal(kfp_scalar(kfp_map_get(kfp_map_get(doc.roots[0], "c", NULL), "image", NULL)),
                        "python:3.11");
    assert_string_equal(kfp_scalar(kfp_map_get(kfp_map_get(doc.roots[0], "d", NULL), "image", NULL)),
                        "python:3.11");
    kfp_arena_free(&a);

    /* keys live in their mapping's entries: an anchored key stays where aliases point, and keys
     * that are collections (with keys of their own) come through whole */
    kfp_arena_init(&a);
    t = "outer:\n  &k key: 1\n  ? {x: {y: 2}}\n  : complex\n  ? [p, q]\n  : list\nalias: *k\n"
        "*k : by-alias\n";
    assert_int_equal(kfp_load(&a, "t", t, strlen(t), &doc, NULL), KFP_LOAD_OK);
    const struct kfp_node *outer = kfp_map_get(doc.roots[0], "outer", NULL);
    assert_int_equal(outer->len, 3);
    assert_string_equal(kfp_scalar(kfp_deref(kfp_map_get(doc.roots[0], "alias", NULL))), "key");
    const struct kfp_node *ck = &outer->u.pairs[1].key;
    assert_int_equal(ck->kind, KFP_NODE_MAP);
    assert_string_equal(kfp_scalar(kfp_map_get(kfp_map_get(ck, "x", NULL), "y", NULL)), "2");
    assert_string_equal(kfp_scalar(&outer->u.pairs[1].value), "complex");
    assert_int_equal(outer->u.pairs[2].key.kind, KFP_NODE_SEQ);
    assert_string_equal(kfp_scalar(&outer->u.pairs[2].key.u.items[1]), "q");
    assert_string_equal(kfp_scalar(&outer->u.pairs[2].value), "list");
    const struct kfp_pair *last = &doc.roots[0]->u.pairs[2];
    assert_int_equal(last->key.kind, KFP_NODE_ALIAS);
    assert_string_equal(kfp_scalar(kfp_deref(&last->key)), "key");
    assert_string_equal(kfp_scalar(&last->value), "by-alias");
    kfp_arena_free(&a);
}

/* Offset of the first occurrence of `needle` in t. */
static uint32_t off_of(const char *t, const char *needle)
{
    const char *p = strstr(t, needle);
    assert_non_null(p);
    return (uint32_t)(p - t);
}

/* Anchored and tagged values span the value itself, an alias's value spans the alias, and a key
 * written as an alias is a duplicate of the same key written out. */
static void test_anchor_alias_spans(void **state)
{
    (void)state;
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    const char *t = "a: &x value\n"
                    "b: &y !!str 2\n"
                    "c: &m # a comment\n"
                    "  k: v\n"
                    "d: &s [1]\n"
                    "e: !!map {k: v}\n"
                    "f: &e\n"
                    "g: &l\n"
                    "- item\n"
                    "h: &bs |\n"
                    "  # kfplint: disable=x\n"
                    "i: *x\n"
                    "j: *m\n"
                    "k: [*s, *e]\n";
    assert_int_equal(kfp_load(&a, "t", t, strlen(t), &doc, NULL), KFP_LOAD_OK);
    static const struct { const char *key, *at; } starts[] = {
        {"a", "value"}, {"b", "2\n"}, {"c", "k: v"}, {"d", "[1]"}, {"e", "{k: v}"},
        {"g", "- item"}, {"h", "|\n"}, {"i", "*x"}, {"j", "*m"},
    };
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        const struct kfp_node *v = kfp_map_get(doc.roots[0], starts[i].key, NULL);
        assert_non_null(v);
        if (v->span.start != off_of(t, starts[i].at))
            fail_msg("%s: starts at byte %u, want %u", starts[i].key, v->span.start,
                     off_of(t, starts[i].at));
        assert_int_equal(kfp_node_is_alias(&doc.src, v), starts[i].at[0] == '*');
    }
    /* an empty value with properties is empty where they end */
    const struct kfp_node *f = kfp_map_get(doc.roots[0], "f", NULL);
    assert_int_equal(f->span.start, off_of(t, "&e\n") + 2);
    assert_int_equal(f->span.end, f->span.start);
    /* an alias's value is the anchor's, at the alias */
    assert_string_equal(kfp_scalar(kfp_map_get(doc.roots[0], "i", NULL)), "value");
    const struct kfp_node *j = kfp_map_get(doc.roots[0], "j", NULL);
    assert_int_equal(j->kind, KFP_NODE_MAP);
    assert_string_equal(kfp_scalar(kfp_map_get(j, "k", NULL)), "v");
    assert_int_equal(kfp_node_subspan(&doc.src, j, "x", 1).start, j->span.start);
    const struct kfp_node *k = kfp_map_get(doc.roots[0], "k", NULL);
    assert_int_equal(kfp_deref(&k->u.items[0])->span.start, off_of(t, "*s"));
    assert_int_equal(kfp_deref(&k->u.items[0])->u.items[0].span.start, off_of(t, "1]"));
    assert_int_equal(kfp_deref(&k->u.items[1])->span.start, off_of(t, "*e"));
    assert_int_equal(kfp_node_subspan(&doc.src, kfp_deref(&k->u.items[1]), "", 0).start,
                     off_of(t, "*e"));
    kfp_arena_free(&a);

    /* duplicate keys through an alias: pairwise (small map) and hashed (more than 16 keys) */
    for (int big = 0; big < 2; big++) {
        char text[1024];
        size_t n = (size_t)snprintf(text, sizeof(text), "m:\n  &k key: 1\n");
        for (int i = 0; big && i < 20; i++)
            n += (size_t)snprintf(text + n, sizeof(text) - n, "  k%d: %d\n", i, i);
        snprintf(text + n, sizeof(text) - n, "  *k : 2\n");
        kfp_arena_init(&a);
        assert_int_equal(kfp_load(&a, "t", text, strlen(text), &doc, NULL), KFP_LOAD_OK);
        assert_int_equal(doc.n_dups, 1);
        assert_int_equal(doc.dups[0].first->span.start, off_of(text, "key: 1"));
        assert_int_equal(doc.dups[0].second->span.start, off_of(text, "*k : 2"));
        assert_string_equal(doc.dups[0].second->u.str, "key");
        kfp_arena_free(&a);
    }
}

/* The loader records the text of multi-line quoted and block scalars (no comment there): the
 * same spans from the fast path and from libyaml; none for one-line and plain scalars. */
static void test_in_scalars(void **state)
{
    (void)state;
    const char *t = "a: |  # header comment\n  x\n  # y\nb: \"p\n  # q\"\nc: 'r # s'\n"
                    "d: plain\n  more\ne: >-\n  f\n";
    const struct kfp_span want[] = {
        {off_of(t, "  x"), off_of(t, "b: ")},
        {off_of(t, "\"p"), off_of(t, "\nc: ")},
        {off_of(t, "  f"), (uint32_t)strlen(t)},
    };
    for (unsigned flags = 0; flags <= KFP_LOAD_LIBYAML; flags += KFP_LOAD_LIBYAML) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        assert_int_equal(kfp_load_ex(&a, "t", t, strlen(t), flags, &doc, NULL), KFP_LOAD_OK);
        assert_int_equal(doc.fast, flags == 0);
        assert_int_equal(doc.n_in_scalars, 3);
        for (size_t i = 0; i < 3; i++)
            if (doc.in_scalars[i].start != want[i].start || doc.in_scalars[i].end != want[i].end)
                fail_msg("%s: scalar %zu spans %u-%u, want %u-%u", flags ? "libyaml" : "fast path",
                         i, doc.in_scalars[i].start, doc.in_scalars[i].end, want[i].start,
                         want[i].end);
        kfp_arena_free(&a);
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    static const struct { const char *text; size_t len; enum kfp_load_status st; } cases[] = {
        {"", 0, KFP_LOAD_EMPTY},
        {"# comment only\n\n", 16, KFP_LOAD_EMPTY},
        {"a: 1\0b", 6, KFP_LOAD_BINARY},
        {"\xFF\xFE" "a\0", 4, KFP_LOAD_BINARY},
        {"a: [1, 2\n", 9, KFP_LOAD_SYNTAX},
        {"a: \xC3\x28\n", 6, KFP_LOAD_SYNTAX}, /* invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        if (kfp_load(&a, "t", cases[i].text, cases[i].len, &doc, &err) != cases[i].st)
            fail_msg("case %zu: wrong status", i);
        kfp_arena_free(&a);
    }
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *t = malloc(depth * 2 + 1);
    assert_non_null(t);
    memset(t, '[', depth);
    memset(t + depth, ']', depth);
    t[depth * 2] = '\0';
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_doc doc;
    struct kfp_error err;
    assert_int_equal(kfp_load(&a, "t", t, depth * 2, &doc, &err), KFP_LOAD_SYNTAX);
    assert_non_null(strstr(err.msg, "nesting"));
    kfp_arena_free(&a);
    free(t);
}

/* The sparse line table against a plain reference: every offset of a text of a few hundred
 * lines mixing LF, CRLF and lone CR breaks and multi-byte characters. */
static void test_line_table(void **state)
{
    (void)state;
    static const char *const breaks[] = {"\n", "\r\n", "\r", "\n\n", "\r\r\n"};
    char text[40000];
    size_t n = 0;
    for (int i = 0; i < 700; i++) {
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%*s%s%d", i % 7, "", i % 5 ? "k" : "\xC3\xA9", i);
        const char *br = breaks[(i / 3) % 5];
        memcpy(text + n, br, strlen(br));
        n += strlen(br);
    }
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_source src;
    assert_int_equal(kfp_source_init(&a, &src, "t", text, n), KFP_OK);
    size_t line = 1, col = 1, starts[4000], n_starts = 1;
    starts[0] = 0;
    for (size_t off = 0; off <= n; off++) {
        size_t l, c;
        kfp_source_pos(&src, (uint32_t)off, &l, &c);
        if (l != line || c != col)
            fail_msg("offset %zu: %zu:%zu, expected %zu:%zu", off, l, c, line, col);
        if (off == n)
            break;
        bool br = text[off] == '\n' || (text[off] == '\r' && (off + 1 >= n || text[off + 1] != '\n'));
        if (br) {
            line++;
            col = 1;
            starts[n_starts++] = off + 1;
        } else if (((unsigned char)text[off] & 0xC0) != 0x80) {
            col++; /* columns count code points */
        }
    }
    assert_int_equal(src.n_lines, n_starts);
    for (size_t li = 0; li < n_starts; li++) {
        uint32_t s0, e0, e1;
        kfp_source_line(&src, li + 1, &s0, &e0);
        assert_int_equal(s0, starts[li]);
        uint32_t next = kfp_source_next_line(&src, s0, &e1);
        assert_int_equal(e1, e0);
        assert_int_equal(next, li + 1 < n_starts ? starts[li + 1] : n);
        while (e1 > s0 && (text[e1 - 1] == '\n' || text[e1 - 1] == '\r'))
            e1--;
        assert_int_equal(e0, e1);
    }
    kfp_arena_free(&a);
}

/* Long lines (a minified file): positions come from the block table, at most one block's scan
 * each; they must agree with a walk from the start, at block edges too (line breaks of every
 * kind and multi-byte characters straddle them), and kfp_source_line_at() bounds its work. */
static void long_lines(bool lf_only)
{
    static const char *const mixed[] = {"\n", "\r\n", "\r"}, *const lf[] = {"\n", "\n", "\n"};
    const char *const *breaks = lf_only ? lf : mixed;
    size_t cap = 400000, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int i = 0; n + 80000 < cap; i++) {
        size_t len = i % 3 == 0 ? 70000 + (size_t)i * 13 : (size_t)(i % 50);
        for (size_t k = 0; k < len; k++) {
            if (k % 4093 == 7) { /* a 3-byte character now and then, crossing block edges */
                memcpy(text + n, "\xE2\x82\xAC", 3);
                n += 3;
            } else {
                text[n++] = (char)('a' + k % 26);
            }
        }
        const char *br = breaks[i % 3];
        memcpy(text + n, br, strlen(br));
        n += strlen(br);
    }
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct kfp_source src;
    assert_int_equal(kfp_source_init(&a, &src, "t", text, n), KFP_OK);
    assert_non_null(src.blocks);
    size_t line = 1, col = 1, line_start = 0, line_end = 0, end_of = SIZE_MAX;
    for (size_t off = 0; off <= n; off++) {
        size_t in_block = off % KFP_POS_BLOCK;
        if (off % 61 == 0 || in_block < 4 || in_block > KFP_POS_BLOCK - 4 || off == n) {
            size_t l, c;
            kfp_source_pos(&src, (uint32_t)off, &l, &c);
            if (l != line || c != col)
                fail_msg("offset %zu: %zu:%zu, expected %zu:%zu", off, l, c, line, col);
            uint32_t s0, e0;
            if (end_of != line_start) { /* the line's end, once per line */
                end_of = line_start;
                for (line_end = line_start; line_end < n && text[line_end] != '\n' && text[line_end] != '\r';)
                    line_end++;
            }
            size_t end = line_end;
            bool fits = kfp_source_line_at(&src, (uint32_t)off, 400, &s0, &e0);
            assert_int_equal(fits, end - line_start <= 400);
            if (fits) {
                assert_int_equal(s0, line_start);
                assert_int_equal(e0, end);
            }
        }
        if (off == n)
            break;
        bool br = text[off] == '\n' || (text[off] == '\r' && (off + 1 >= n || text[off + 1] != '\n'));
        if (br) {
            line++;
            col = 1;
            line_start = off + 1;
        } else if (((unsigned char)text[off] & 0xC0) != 0x80) {
            col++;
        }
    }
    kfp_arena_free(&a);
    free(text);
}

static void test_long_line_table(void **state)
{
    (void)state;
    long_lines(false);
    long_lines(true);
}

/* Loads text both ways; returns whether the fast path took it, and fails when the fast path
 * took it but the trees differ, or when it left it and the results differ. */
static bool fast_matches_libyaml(const char *what, const char *text, size_t len)
{
    struct kfp_arena fa, la;
    kfp_arena_init(&fa);
    kfp_arena_init(&la);
    struct kfp_doc fd, ld;
    enum kfp_load_status fs = kfp_load_ex(&fa, "t", text, len, 0, &fd, NULL);
    enum kfp_load_status ls = kfp_load_ex(&la, "t", text, len, KFP_LOAD_LIBYAML, &ld, NULL);
    assert_false(ld.fast);
    if (fs != ls)
        fail_msg("%s: status %d with the fast path, %d with libyaml", what, (int)fs, (int)ls);
    if (fd.fast && fs == KFP_LOAD_OK) {
        uint32_t where;
        const char *diff = kfp_tree_diff(&fd, &ld, &where);
        if (diff)
            fail_msg("%s: the fast path differs from libyaml: %s at byte %u", what, diff, (unsigned)where);
    }
    bool fast = fd.fast;
    kfp_arena_free(&fa);
    kfp_arena_free(&la);
    return fast;
}

static void test_fast_path_constructs(void **state)
{
    (void)state;
    static const char *const taken[] = {
        "a: 1\nb: two words\n",
        "a:\n  b:\n    c: d\n  e: f\ng: h\n",
        "a:\n- x\n- y\nb:\n  - z\n",                      /* indentless and indented lists */
        "- a: 1\n  b: 2\n- - x\n  - y\n-\n  c: 3\n- \n",   /* compact forms, empty items */
        "a:\nb:\n  c:\nd: 1\n",                            /* empty values */
        "k: plain\n  folded over\n\n  lines\n",            /* multi-line plain */
        "k: 'it''s'\nq: 'two\n  lines\n\n  and more'\n",
        "k: \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\x41 \\U0001F600 \\N \\_ \\/\"\n",
        "k: \"long \\\n  continued\\\n  \\ with space\"\n",
        "k: \"a  \n  b\"\n",                               /* spaces before a fold */
        "a: |\n  line 1\n\n   indented\n  line 3\nb: 1\n",
        "a: |-\n  strip\n\n\nb: >\n  folded\n  text\n\n  para\n   kept\nc: |+\n  keep\n\n",
        "a: |2\n   two plus\n",                              /* explicit indentation */
        "- |\n  item\n- >-\n  item two\n",
        "a: |\n  no newline at the end",
        "a: {}\nb: []\nc: {}  # comment\n",
        "# head\na: 1 # trailing\n  # indented comment\nb: x#y\n",
        "---\na: 1\n---\nb: 2\n",
        "just a scalar\n",
        "\"quoted\": 1\n'single': 2\n",
        "key with spaces   : v\n",
        "a: b\nb: c\na: d\n",                              /* duplicate key */
        "a: --flag\nb: -1\nc: http://x:8080/y\nd: a:b\n",
        "a:\n  - b:\n    - c\n    - d\n  - e\n",
        "a: \xC3\xA9\n\xE2\x82\xAC: 'caf\xC3\xA9'\nc: \"\xF0\x9F\x98\x80 x\"\n", /* UTF-8 */
        "- caf\xC3\xA9 cr\xC3\xA8me\n  br\xC3\xBBl\xC3\xA9\x65\n- |\n  \xE4\xB8\xAD\xE6\x96\x87\n- k\xC3\xA9y: v\n",
        "\xEF\xBB\xBF\x61: 1\nb:\n  c: 'x\n    y'\n", "\xEF\xBB\xBF- a\n- |\n  b\n", /* a BOM */
    };
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
        if (!fast_matches_libyaml(taken[i], taken[i], strlen(taken[i])))
            fail_msg("the fast path should take: %s", taken[i]);
    static const char *const left[] = {
        "a:\tb\n", "a: 1\r\nb: 2\r\n",
        "a: x\xC2\x85y\n", "a: x\xE2\x80\xA8y\n", "a: x\xEF\xBB\xBFy\n", /* NEL, LS, BOM */
        "a: \xC3\x28\n", "a: \xC2\x80\n", "a: \xED\xA0\x80\n",     /* bad UTF-8, C1, surrogate */
        "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: [1, 2]\n", "a: {b: c}\n", "? a\n: b\n",
        "%YAML 1.1\n---\na: 1\n", "a: 1\n...\n", "---\n---\na: 1\n", "a: 1\n---\n",
        "a: b: c\n", "a:\n  b: 1\n c: 2\n", "a: 'x\n", "a: \"\\q\"\n", "a: \"\\u0000\"\n",
        "a: |\nb: 1\n", "- a\nb: 1\n", "a: 1\n- b\n", "key: - x\n",
        "a: 'x'y\n", "a: \"x\"#c\n",
    };
    for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++)
        if (fast_matches_libyaml(left[i], left[i], strlen(left[i])))
            fail_msg("the fast path should leave this to libyaml: %s", left[i]);
}

static size_t n_fast, n_files, n_json;
static bool styles_walk; /* walking tests/yaml_styles.py's output: *.block.yaml must be fast */

static int compare_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    bool json = n > 5 && !strcmp(path + n - 5, ".json");
    if (type != FTW_F || !(json || (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"))))
        return 0;
    size_t len;
    char *text = tu_read(path, &len);
    assert_non_null(text);
    if (json) { /* the JSON parser builds libyaml's tree (aborts with the difference if not) */
        kfp_compare_parsers(text, len);
        n_json++;
        free(text);
        return 0;
    }
    n_files++;
    bool fast = fast_matches_libyaml(path, text, len);
    n_fast += fast;
    if (styles_walk && strstr(path, ".block.yaml") && !fast)
        fail_msg("%s: PyYAML's block style must take the fast path", path);
    free(text);
    return 0;
}

static void test_fast_path_files(void **state)
{
    (void)state;
    n_fast = n_files = n_json = 0;
    assert_int_equal(nftw(FIXTURES_DIR, compare_file, 16, FTW_PHYS), 0);
    struct stat st; /* the real corpus lives under fixtures/ and was walked with them */
    assert_int_equal(stat(CORPUS_DIR, &st), 0);
    print_message("fast path: %zu of %zu YAML files, identical to libyaml; %zu JSON files\n", n_fast,
                  n_files, n_json);
    const char *styles = getenv("KFPLINT_YAML_DIR"); /* tests/test_yaml_styles.sh */
    if (styles) {
        size_t before = n_files, fast_before = n_fast;
        styles_walk = true;
        assert_int_equal(nftw(styles, compare_file, 16, FTW_PHYS), 0);
        styles_walk = false;
        print_message("PyYAML styles: %zu of %zu files take the fast path, all identical to libyaml\n",
                      n_fast - fast_before, n_files - before);
        assert_true(n_files > before);
    }
    /* about half of these files are hand-written with flow lists ([a, b]) and go to libyaml */
    assert_true(n_fast * 5 >= n_files * 2);
    /* the shipped compiled example is compiler output: it must take the fast path */
    size_t len;
    char *text = tu_read(FIXTURES_DIR "/examples/ml_pipeline.yaml", &len);
    assert_non_null(text);
    assert_true(fast_matches_libyaml("ml_pipeline.yaml", text, len));
    /* and so must the same file with a byte-order mark */
    char *bom = malloc(len + 3);
    assert_non_null(bom);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, len);
    assert_true(fast_matches_libyaml("ml_pipeline.yaml with a BOM", bom, len + 3));
    free(bom);
    free(text);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]); /* run one test: tests/test_yaml_styles.sh */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),     cmocka_unit_test(test_scalar_types),
        cmocka_unit_test(test_snake_case_keys), cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_json_strict),   cmocka_unit_test(test_alias_and_merge),
        cmocka_unit_test(test_json_or_flow_yaml), cmocka_unit_test(test_in_scalars),
        cmocka_unit_test(test_shared_texts),  cmocka_unit_test(test_anchor_alias_spans),
        cmocka_unit_test(test_bad_input),     cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_fast_path_constructs), cmocka_unit_test(test_fast_path_files),
        cmocka_unit_test(test_line_table),    cmocka_unit_test(test_long_line_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
