/* test_load.c — loader: exact positions (CRLF, BOM, multi-byte UTF-8, flow and block, JSON),
 * scalar typing, duplicate keys, JSON strictness, aliases and merge keys, bad input. */
#include "testutil.h"
#include "kfplint/load.h"

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
    {"a: \"h\xC3\xA9llo w\xC3\xB6rld\"\nb: [1, 2]\n", "b", NULL, 2, 4, 22}, /* UTF-8 before */
    {"a: {x: \xE2\x82\xAC\xE2\x82\xAC, y: z}\n", "a", "y", 1, 15, 18},     /* flow, 3-byte chars */
    {"{\n  \"a\": {\"x\": 1,\n    \"y\": \"\xF0\x9F\x98\x80z\"}\n}\n", "a", "y", 3, 10, 27}, /* JSON */
    {"a:\r  b: 1\r  c: 2\r", "a", "c", 3, 6, 15},                         /* lone CR */
    {"x: |\n  line one\n  line two\nb: 2\n", "b", NULL, 4, 4, 30},
};

static void test_positions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(pos_cases) / sizeof(pos_cases[0]); i++) {
        const struct pos_case *c = &pos_cases[i];
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        assert_int_equal(kfp_load(&a, "t", c->text, strlen(c->text), &doc, &err), KFP_LOAD_OK);
        const struct kfp_node *v = kfp_map_get(doc.roots[0], c->key, NULL);
        if (c->sub)
            v = kfp_map_get(v, c->sub, NULL);
        assert_non_null(v);
        size_t line, col;
        kfp_source_pos(&doc.src, v->span.start, &line, &col);
        if (line != c->line || col != c->col || v->span.start != c->byte)
            fail_msg("case %zu: got %zu:%zu byte %u, want %zu:%zu byte %u", i, line, col,
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

static void test_json_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "{\"a\": 'x'}", "{\"a\": x}", "{\"a\": [1, 2,]}", "{\"a\": &x 1}", "{a: 1}",
        "{\"a\": 1} {\"b\": 2}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct kfp_arena a;
        kfp_arena_init(&a);
        struct kfp_doc doc;
        struct kfp_error err;
        if (kfp_load(&a, "t", bad[i], strlen(bad[i]), &doc, &err) != KFP_LOAD_SYNTAX)
            fail_msg("accepted invalid JSON: %s", bad[i]);
        assert_true(err.has_span);
        kfp_arena_free(&a);
    }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),     cmocka_unit_test(test_scalar_types),
        cmocka_unit_test(test_snake_case_keys), cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_json_strict),   cmocka_unit_test(test_alias_and_merge),
        cmocka_unit_test(test_bad_input),     cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
