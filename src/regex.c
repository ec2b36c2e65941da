/* regex.c — built-in patterns, compiled together once (pthread_once) into immutable pcre2
 * code objects; each match uses its own match data (kfp_re_match). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "kfplint/regex.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdbool.h>

static const char *const patterns[KFP_RE__COUNT] = {
    /* ORDER kfp_re */
    [KFP_RE_IMAGE] =
        "^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
        "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?"
        "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
        "(?::([\\w][\\w.-]{0,127}))?"
        "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
    [KFP_RE_SECRET_NAME] =
        "(?i)(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|"
        "CREDENTIALS?|AUTH_?KEY)",
    [KFP_RE_SECRET_VALUE] =
        "(?:\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"              /* AWS access key id */
        "|-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"         /* PEM private key */
        "|\\bgh[pousr]_[A-Za-z0-9]{36}\\b"                 /* GitHub token */
        "|\\bgithub_pat_[A-Za-z0-9_]{40,}"                 /* GitHub fine-grained token */
        "|\\bxox[abprs]-[A-Za-z0-9-]{10,}"                 /* Slack token */
        "|\\bAIza[0-9A-Za-z_-]{35}\\b"                     /* Google API key */
        "|\\bsk_live_[0-9a-zA-Z]{24,}"                     /* Stripe secret key */
        "|\"private_key\":\\s*\"-----BEGIN)",               /* GCP service-account JSON */
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pcre2_code *codes[KFP_RE__COUNT]; /* written once under `once`, then only read */

static void compile_all(void)
{
    for (int i = 0; i < KFP_RE__COUNT; i++) {
        int errcode;
        PCRE2_SIZE erroff;
        codes[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                 &errcode, &erroff, NULL);
        if (codes[i])
            pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE); /* optional: falls back if absent */
    }
}

int kfp_re_match(enum kfp_re re, const char *s, size_t len, long *ov, int n_ov)
{
    pthread_once(&once, compile_all);
    if ((unsigned)re >= KFP_RE__COUNT || !codes[re])
        return -1;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(codes[re], NULL);
    if (!md)
        return -1;
    int rc = pcre2_match(codes[re], (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* a long value outgrew JIT's 32 KiB stack: the
                                           * interpreter keeps its backtracking on the heap */
        rc = pcre2_match(codes[re], (PCRE2_SPTR)s, len, 0, PCRE2_NO_JIT, md, NULL);
    if (rc > 0 && ov) {
        PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
        for (int i = 0; i < n_ov; i++) {
            bool set = i < rc && v[2 * i] != PCRE2_UNSET;
            ov[2 * i] = set ? (long)v[2 * i] : -1;
            ov[2 * i + 1] = set ? (long)v[2 * i + 1] : -1;
        }
    }
    pcre2_match_data_free(md);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return rc > 0 ? rc : -1;
}
