/* expr.h — a syntax checker for expr-lang (github.com/expr-lang/expr), the expression language
 * Argo Workflows evaluates in `{{=…}}` tags, `when`-free expression fields (retryStrategy,
 * hooks, outputs valueFrom, labelsFrom, CronWorkflow `when`) (kfp_expr_*).
 *
 * It parses as expr's own lexer and parser do (parser/lexer/state.go, parser/parser.go of
 * expr v1.17): literals, identifiers and member chains, calls and builtins with predicates
 * (`all(list, {# > 1})`), unary and binary operators with expr's precedences, ternaries, `??`,
 * pipes, ranges, slices, arrays, maps, `let`, `if … {…} else {…}`, sequences with `;` and
 * comments. It evaluates nothing. It allocates nothing: the state lives on the caller's stack,
 * time is linear in the text, and nesting deeper than KFP_EXPR_MAX_DEPTH is reported as an
 * error instead of growing the stack.
 */
#ifndef KFPLINT_EXPR_H
#define KFPLINT_EXPR_H

#include <stddef.h>
#include <stdint.h>

/* Nesting (parentheses, operands of unary operators, arguments, …) the parser follows. */
#define KFP_EXPR_MAX_DEPTH 200
/* Segments of a member chain handed to the path hook (the rest is cut). */
#define KFP_EXPR_MAX_SEGS 8

/* The first syntax error: byte offset and length (at least 1 where the text has a byte there)
 * into the text parsed, and a message in expr's words. */
struct kfp_expr_error {
    uint32_t off;
    uint32_t len;
    char msg[200];
};

/* One segment of a member chain: an identifier (`a`, `.b`, `?.b`) or a quoted name in brackets
 * (`['b']`, `["b"]`: off/len are the bytes between the quotes, as written). */
struct kfp_expr_seg {
    uint32_t off;
    uint32_t len;
    uint8_t quoted;   /* the bracket form */
    uint8_t escaped;  /* the quoted name holds a backslash escape */
};

/* What a parse reports besides the verdict (any hook may be NULL). */
struct kfp_expr_hooks {
    /* A chain that starts at an identifier of the environment (not a literal, a call, a
     * predicate's `#` or a `let` variable): `inputs.parameters['x']` is 3 segments. n is at
     * most KFP_EXPR_MAX_SEGS. */
    void (*path)(void *ud, const struct kfp_expr_seg *segs, size_t n);
    /* An identifier called as a function, `f(…)` or `x | f(…)`, that is not one of expr's
     * predicate builtins: off/len name it. */
    void (*call)(void *ud, uint32_t off, uint32_t len);
};

/* Parses s[0..len) as one expr-lang program. Returns KFP_OK (0) when it is valid, KFP_ERR (-1)
 * with *err filled (when err is non-NULL) at the first error. The hooks are called while parsing,
 * in source order: on an error, those before it have been called. Allocates nothing. */
int kfp_expr_parse(const char *s, size_t len, const struct kfp_expr_hooks *hooks, void *ud,
                   struct kfp_expr_error *err);

#endif
