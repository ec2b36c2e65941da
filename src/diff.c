/* diff.c — unified diffs for --diff (kfp_diff_unified): Myers' O(ND) line diff after trimming
 * the common head and tail, so the cost follows the size of the change, not of the file. */
#include "kfplint/alloc.h"
#include "kfplint/fix.h"
#include "kfplint/report.h"

#include <stdio.h>
#include <string.h>

struct lines {
    const char **at; /* line starts */
    size_t *len;     /* lengths including the line break */
    size_t n;
};

static int split(const char *s, size_t len, struct lines *l)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n')
            n++;
    n += len && s[len - 1] != '\n';
    l->at = kfp_malloc((n ? n : 1) * sizeof(*l->at));
    l->len = kfp_malloc((n ? n : 1) * sizeof(*l->len));
    if (!l->at || !l->len)
        return KFP_ERR;
    l->n = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : len;
        l->at[l->n] = s + i;
        l->len[l->n] = e - i;
        l->n++;
        i = e;
    }
    return KFP_OK;
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
    return a->len[i] == b->len[j] && !memcmp(a->at[i], b->at[j], a->len[i]);
}

enum op { KEEP, DEL, ADD };

/* Beyond this many differing lines, a diff is shown as one replacement (memory stays O(MAX_D^2)). */
#define MAX_D 2000

/* Myers: the edit script between a[0..n) and b[0..m) as ops (caller frees *ops). */
static int myers(const struct lines *a, size_t a0, size_t n, const struct lines *b, size_t b0, size_t m,
                 unsigned char **ops, size_t *n_ops)
{
    size_t max = n + m;
    size_t width = 2 * max + 1;
    long *v = kfp_malloc(width * sizeof(*v));
    /* trace[d] = copy of v's range [-d, d] before step d */
    long **trace = kfp_malloc((max + 1) * sizeof(*trace));
    if (!v || !trace) {
        kfp_free(v);
        kfp_free(trace);
        return KFP_ERR;
    }
    long off = (long)max;
    memset(v, 0, width * sizeof(*v));
    size_t d_final = 0;
    bool found = false;
    size_t limit = max < MAX_D ? max : MAX_D;
    for (size_t d = 0; d <= limit && !found; d++) {
        trace[d] = kfp_malloc((2 * d + 3) * sizeof(long));
        if (!trace[d]) {
            for (size_t k = 0; k < d; k++)
                kfp_free(trace[k]);
            kfp_free(trace);
            kfp_free(v);
            return KFP_ERR;
        }
        for (long k = -(long)d - 1; k <= (long)d + 1; k++)
            trace[d][k + (long)d + 1] = (k + off >= 0 && k + off < (long)width) ? v[k + off] : 0;
        for (long k = -(long)d; k <= (long)d; k += 2) {
            long x;
            if (k == -(long)d || (k != (long)d && v[k - 1 + off] < v[k + 1 + off]))
                x = v[k + 1 + off];
            else
                x = v[k - 1 + off] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && same(a, a0 + (size_t)x, b, b0 + (size_t)y)) {
                x++;
                y++;
            }
            v[k + off] = x;
            if (x >= (long)n && y >= (long)m) {
                d_final = d;
                found = true;
                break;
            }
        }
    }
    if (!found) { /* too different to be worth it: replace the whole middle */
        for (size_t d = 0; d <= limit; d++)
            kfp_free(trace[d]);
        kfp_free(trace);
        kfp_free(v);
        unsigned char *all = kfp_malloc(n + m + 1);
        if (!all)
            return KFP_ERR;
        memset(all, DEL, n);
        memset(all + n, ADD, m);
        *ops = all;
        *n_ops = n + m;
        return KFP_OK;
    }
    /* backtrack */
    size_t cap = n + m + 1, len = 0;
    unsigned char *rev = kfp_malloc(cap);
    long x = (long)n, y = (long)m;
    for (size_t d = d_final; rev && d > 0; d--) {
        long *pv = trace[d]; /* v before step d, indexed k + d + 1 */
        long k = x - y;
        long prev_k;
        if (k == -(long)d || (k != (long)d && pv[k - 1 + (long)d + 1] < pv[k + 1 + (long)d + 1]))
            prev_k = k + 1;
        else
            prev_k = k - 1;
        long px = pv[prev_k + (long)d + 1], py = px - prev_k;
        while (x > px && y > py) {
            rev[len++] = KEEP;
            x--;
            y--;
        }
        rev[len++] = x == px ? ADD : DEL;
        x = px;
        y = py;
    }
    while (rev && x > 0 && y > 0) {
        rev[len++] = KEEP;
        x--;
        y--;
    }
    for (size_t d = 0; d <= d_final; d++)
        kfp_free(trace[d]);
    kfp_free(trace);
    kfp_free(v);
    if (!rev)
        return KFP_ERR;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned char t = rev[i];
        rev[i] = rev[len - 1 - i];
        rev[len - 1 - i] = t;
    }
    *ops = rev;
    *n_ops = len;
    return KFP_OK;
}

static void put_line(FILE *out, char tag, const char *s, size_t len)
{
    fputc(tag, out);
    fwrite(s, 1, len, out);
    if (!len || s[len - 1] != '\n')
        fputs("\n\\ No newline at end of file\n", out);
}

int kfp_diff_unified(FILE *out, const char *path, const char *a, size_t alen, const char *b, size_t blen)
{
    struct lines la = {0}, lb = {0};
    unsigned char *ops = NULL;
    size_t n_ops = 0;
    int rc = KFP_ERR;
    if (split(a, alen, &la) || split(b, blen, &lb))
        goto done;
    size_t head = 0;
    while (head < la.n && head < lb.n && same(&la, head, &lb, head))
        head++;
    size_t tail = 0;
    while (tail < la.n - head && tail < lb.n - head && same(&la, la.n - 1 - tail, &lb, lb.n - 1 - tail))
        tail++;
    size_t n = la.n - head - tail, m = lb.n - head - tail;
    if (myers(&la, head, n, &lb, head, m, &ops, &n_ops))
        goto done;
    /* full op list over the whole files: head keeps, middle ops, tail keeps */
    size_t total = head + n_ops + tail;
    unsigned char *all = kfp_malloc(total ? total : 1);
    if (!all)
        goto done;
    memset(all, KEEP, head);
    memcpy(all + head, ops, n_ops);
    memset(all + head + n_ops, KEEP, tail);
    const char *shown = path[0] == '/' ? path + 1 : path;
    /* the file name is untrusted: a newline in it would end the header early */
    fputs("--- a/", out);
    kfp_write_safe(out, shown, strlen(shown));
    fputs("\n+++ b/", out);
    kfp_write_safe(out, shown, strlen(shown));
    fputc('\n', out);
    const size_t ctx = 3;
    size_t i = 0, ai = 0, bi = 0;
    while (i < total) {
        if (all[i] == KEEP) {
            i++, ai++, bi++;
            continue;
        }
        /* a hunk: from ctx lines before this change to ctx lines after the last change that is
         * within 2*ctx lines of the previous one */
        size_t back = ai < ctx ? ai : ctx;
        back = back < bi ? back : bi;
        size_t hs = i - back, has = ai - back, hbs = bi - back;
        size_t j = i, keep_run = 0, last_change = i;
        size_t aj = ai, bj = bi;
        while (j < total) {
            if (all[j] == KEEP) {
                keep_run++;
                if (keep_run > 2 * ctx)
                    break;
            } else {
                keep_run = 0;
                last_change = j;
            }
            j++;
        }
        size_t he = last_change + 1 + ctx;
        if (he > total)
            he = total;
        size_t ac = 0, bc = 0;
        for (size_t k = hs; k < he; k++) {
            ac += all[k] != ADD;
            bc += all[k] != DEL;
        }
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? has + 1 : has, ac, bc ? hbs + 1 : hbs, bc);
        aj = has;
        bj = hbs;
        for (size_t k = hs; k < he; k++) {
            if (all[k] == KEEP) {
                put_line(out, ' ', la.at[aj], la.len[aj]);
                aj++, bj++;
            } else if (all[k] == DEL) {
                put_line(out, '-', la.at[aj], la.len[aj]);
                aj++;
            } else {
                put_line(out, '+', lb.at[bj], lb.len[bj]);
                bj++;
            }
        }
        i = he;
        ai = aj;
        bi = bj;
    }
    kfp_free(all);
    rc = ferror(out) ? KFP_ERR : KFP_OK;
done:
    kfp_free(ops);
    kfp_free(la.at);
    kfp_free(la.len);
    kfp_free(lb.at);
    kfp_free(lb.len);
    return rc;
}
