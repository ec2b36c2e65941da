/* report.c — what the reporters share: regions, fingerprints (ours and GitHub's line hash),
 * UTF-8-safe JSON strings. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"

#include <stdlib.h>
#include <string.h>

void kfp_region_of(const struct kfp_source *src, struct kfp_span span, struct kfp_region *r)
{
    uint32_t end = span.end;
    if (end <= span.start && span.start < src->len && src->data[span.start] != '\n' &&
        src->data[span.start] != '\r') {
        /* an empty span marks a point: show the character there */
        end = span.start + 1;
        while (end < src->len && ((unsigned char)src->data[end] & 0xC0) == 0x80)
            end++;
    }
    if (end < span.start)
        end = span.start;
    kfp_source_pos(src, span.start, &r->start_line, &r->start_col);
    kfp_source_pos(src, end, &r->end_line, &r->end_col);
    r->start_byte = span.start;
    r->end_byte = end;
}

/* Counts occurrences of 64-bit values (open addressing, sized for `expected` distinct ones). */
struct counter {
    uint64_t *keys;
    unsigned *counts;
    size_t cap;
};

static int counter_init(struct counter *c, size_t expected)
{
    c->cap = 64;
    while (c->cap < expected * 2 + 4)
        c->cap *= 2;
    c->keys = kfp_malloc(c->cap * sizeof(*c->keys));
    c->counts = kfp_malloc(c->cap * sizeof(*c->counts));
    if (!c->keys || !c->counts) {
        kfp_free(c->keys);
        kfp_free(c->counts);
        return KFP_ERR;
    }
    memset(c->counts, 0, c->cap * sizeof(*c->counts));
    return KFP_OK;
}

/* Returns how many times h has been seen, this time included. */
static unsigned counter_bump(struct counter *c, uint64_t h)
{
    size_t i = (size_t)(h * 0x9E3779B97F4A7C15ull) & (c->cap - 1);
    while (c->counts[i] && c->keys[i] != h)
        i = (i + 1) & (c->cap - 1);
    c->keys[i] = h;
    return ++c->counts[i];
}

static void counter_free(struct counter *c)
{
    kfp_free(c->keys);
    kfp_free(c->counts);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* Message with "line N" references taken out, hashed. */
static uint64_t hash_message(uint64_t h, const char *m)
{
    while (*m) {
        if (!strncmp(m, "line ", 5) && m[5] >= '0' && m[5] <= '9') {
            h = fnv(h, "line #", 6);
            m += 5;
            while (*m >= '0' && *m <= '9')
                m++;
            continue;
        }
        h = fnv(h, m, 1);
        m++;
    }
    return h;
}

void kfp_fingerprints(const struct kfp_result *res, char (*out)[24])
{
    kfp_fingerprints_for(res, res->path, out);
}

void kfp_fingerprints_for(const struct kfp_result *res, const char *path, char (*out)[24])
{
    struct counter seen;
    bool counting = counter_init(&seen, res->n_findings) == KFP_OK;
    for (size_t i = 0; i < res->n_findings; i++) {
        const struct kfp_finding *f = res->findings[i];
        uint64_t h = 1469598103934665603ull;
        h = fnv(h, f->rule->id, strlen(f->rule->id) + 1);
        h = fnv(h, path, strlen(path) + 1);
        h = hash_message(h, f->msg);
        if (f->span.end > f->span.start && f->span.end <= res->doc.src.len)
            h = fnv(h, res->doc.src.data + f->span.start, f->span.end - f->span.start);
        unsigned count = counting ? counter_bump(&seen, h) : 1;
        snprintf(out[i], sizeof(out[i]), "%016llx:%u", (unsigned long long)h, count);
    }
    if (counting)
        counter_free(&seen);
}

/* ---------------------------------------------------------------- GitHub's line hash */

#define BLOCK 100

struct lh {
    const size_t *lines;
    size_t n, next;        /* wanted lines, and the next one to fill */
    char (*hashes)[32];
    uint32_t window[BLOCK];
    long line_at[BLOCK];   /* line number starting at that window slot, or -1 */
    uint64_t hash, first_mod;
    size_t index;
    long line;
    bool line_start, prev_cr;
    struct counter seen; /* hash values so far, to number identical ones */
};

static void output_hash(struct lh *s)
{
    unsigned c = counter_bump(&s->seen, s->hash);
    long line = s->line_at[s->index];
    /* lines are produced in order, so the wanted list is walked once */
    while (s->next < s->n && (long)s->lines[s->next] < line)
        s->next++;
    while (s->next < s->n && (long)s->lines[s->next] == line) {
        snprintf(s->hashes[s->next], 32, "%llx:%u", (unsigned long long)s->hash, c);
        s->next++;
    }
    s->line_at[s->index] = -1;
}

static void update_hash(struct lh *s, uint32_t cur)
{
    uint32_t begin = s->window[s->index];
    s->window[s->index] = cur;
    s->hash = 37 * s->hash + cur - s->first_mod * begin;
    s->index = (s->index + 1) % BLOCK;
}

static void process(struct lh *s, uint32_t cur)
{
    if (cur == ' ' || cur == '\t' || (s->prev_cr && cur == '\n')) {
        s->prev_cr = false;
        return;
    }
    if (cur == '\r') {
        cur = '\n';
        s->prev_cr = true;
    } else {
        s->prev_cr = false;
    }
    if (s->line_at[s->index] != -1)
        output_hash(s);
    if (s->line_start) {
        s->line_start = false;
        s->line_at[s->index] = ++s->line;
    }
    if (cur == '\n')
        s->line_start = true;
    update_hash(s, cur);
}

int kfp_line_hashes(const struct kfp_source *src, const size_t *lines, size_t n, char (*hashes)[32])
{
    struct lh s;
    memset(&s, 0, sizeof(s));
    s.lines = lines;
    s.n = n;
    s.hashes = hashes;
    for (size_t i = 0; i < n; i++)
        hashes[i][0] = '\0';
    if (counter_init(&s.seen, src->n_lines))
        return KFP_ERR;
    s.first_mod = 1;
    for (int i = 0; i < BLOCK; i++) {
        s.first_mod *= 37;
        s.line_at[i] = -1;
    }
    s.line_start = true;
    /* the action reads the file as UTF-8 text and hashes UTF-16 code units */
    const unsigned char *d = (const unsigned char *)src->data;
    size_t len = src->len;
    for (size_t i = 0; i < len;) {
        uint32_t cp = d[i];
        size_t w = 1;
        if (cp >= 0x80) {
            w = (cp & 0xE0) == 0xC0 ? 2 : (cp & 0xF0) == 0xE0 ? 3 : (cp & 0xF8) == 0xF0 ? 4 : 0;
            bool ok = w && i + w <= len;
            for (size_t k = 1; ok && k < w; k++)
                ok = (d[i + k] & 0xC0) == 0x80;
            if (!ok) {
                cp = 0xFFFD;
                w = 1;
            } else {
                cp = w == 2 ? (cp & 0x1F) : w == 3 ? (cp & 0x0F) : (cp & 0x07);
                for (size_t k = 1; k < w; k++)
                    cp = (cp << 6) | (d[i + k] & 0x3F);
            }
        }
        i += w;
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            process(&s, 0xD800 + (cp >> 10));
            process(&s, 0xDC00 + (cp & 0x3FF));
        } else {
            process(&s, cp);
        }
    }
    process(&s, 65535);
    for (int i = 0; i < BLOCK; i++) {
        if (s.line_at[s.index] != -1)
            output_hash(&s);
        update_hash(&s, 0);
    }
    counter_free(&s.seen);
    return KFP_OK;
}

/* ---------------------------------------------------------------- skipped files */

size_t kfp_count_skipped(struct kfp_result *const *results, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += results[i]->skipped && !results[i]->io_error;
    return k;
}

static const char *reason_of(const struct kfp_result *r)
{
    return r->skip_reason ? r->skip_reason : "not a KFP document";
}

static int by_reason(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct group {
    const char *reason;
    size_t count;
};

static int by_count(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->reason, y->reason);
}

int kfp_skip_summary(struct kfp_result *const *results, size_t n, char **text)
{
    *text = NULL;
    size_t k = kfp_count_skipped(results, n);
    if (!k)
        return KFP_OK;
    const char **reasons = kfp_malloc(k * sizeof(*reasons));
    struct group *groups = kfp_malloc(k * sizeof(*groups));
    char *buf = NULL;
    size_t n_groups = 0, len = 64;
    if (!reasons || !groups)
        goto fail;
    for (size_t i = 0, j = 0; i < n; i++)
        if (results[i]->skipped && !results[i]->io_error)
            reasons[j++] = reason_of(results[i]);
    qsort(reasons, k, sizeof(*reasons), by_reason);
    for (size_t i = 0; i < k; i++) {
        if (n_groups && !strcmp(groups[n_groups - 1].reason, reasons[i])) {
            groups[n_groups - 1].count++;
            continue;
        }
        groups[n_groups++] = (struct group){reasons[i], 1};
        len += strlen(reasons[i]) + 32;
    }
    qsort(groups, n_groups, sizeof(*groups), by_count);
    if (!(buf = kfp_malloc(len)))
        goto fail;
    size_t o = (size_t)snprintf(buf, len, "%zu file%s skipped: ", k, k == 1 ? "" : "s");
    for (size_t g = 0; g < n_groups; g++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s (%zu)", g ? "; " : "", groups[g].reason,
                              groups[g].count);
    kfp_free(reasons);
    kfp_free(groups);
    *text = buf;
    return KFP_OK;
fail:
    kfp_free(reasons);
    kfp_free(groups);
    return KFP_ERR;
}

/* ---------------------------------------------------------------- JSON strings */

json_t *kfp_json_str(const char *s)
{
    size_t len = strlen(s);
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    /* invalid UTF-8: replace each bad byte with U+FFFD */
    char *buf = kfp_malloc(len * 3 + 1);
    if (!buf)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        size_t w = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
        bool ok = w && i + w <= len;
        for (size_t k = 1; ok && k < w; k++)
            ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && w > 1) {
            /* reject overlong, surrogate and out-of-range forms the way jansson does */
            json_t *t = json_stringn((const char *)p + i, w);
            ok = t != NULL;
            json_decref(t);
        }
        if (ok) {
            memcpy(buf + o, p + i, w);
            o += w;
            i += w;
        } else {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    j = json_stringn(buf, o);
    kfp_free(buf);
    return j;
}
