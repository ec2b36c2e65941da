/* fix.c — the fix engine and the atomic writer (kfp_fix_buffer, kfp_atomic_*, kfp_fix_write_checked). */
#include "kfplint/fix.h"
#include "kfplint/alloc.h"
#include "kfplint/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static _Thread_local int fail_step; /* test hook: 0 off */

void kfp_fix_fail_step(int n)
{
    fail_step = n;
}

static bool failing(int step)
{
    if (fail_step == step) {
        errno = EIO;
        return true;
    }
    return false;
}

struct pick {
    const struct kfp_fix *fix;
    uint32_t start; /* of its first edit */
};

static int by_start(const void *a, const void *b)
{
    const struct pick *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int by_edit(const void *a, const void *b)
{
    const struct kfp_edit *x = *(const struct kfp_edit *const *)a, *y = *(const struct kfp_edit *const *)b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether two edits touch: overlapping ranges, an insertion strictly inside a range, or two
 * edits at the same offset (their order would be ambiguous). */
static bool overlap(const struct kfp_edit *x, const struct kfp_edit *y)
{
    if (x->start == y->start)
        return true;
    if (x->start == x->end)
        return y->start < x->start && x->start < y->end;
    if (y->start == y->end)
        return x->start < y->start && y->start < x->end;
    return x->start < y->end && y->start < x->end;
}

/* One round: applies the non-overlapping fixes of res to its text. Returns the number applied
 * (0: nothing to do) and the new text in *out, or -1 on allocation failure. */
static long apply_round(const struct kfp_result *res, bool unsafe, char **out, size_t *out_len)
{
    size_t n = 0, n_edits = 0;
    for (size_t i = 0; i < res->n_findings; i++) {
        const struct kfp_fix *f = res->findings[i]->fix;
        if (f && f->n_edits && (f->safe || unsafe)) {
            n++;
            n_edits += f->n_edits;
        }
    }
    if (!n)
        return 0;
    struct pick *picks = kfp_malloc(n * sizeof(*picks));
    const struct kfp_edit **edits = kfp_malloc(n_edits * sizeof(*edits));
    if (!picks || !edits) {
        kfp_free(picks);
        kfp_free(edits);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < res->n_findings; i++) {
        const struct kfp_fix *f = res->findings[i]->fix;
        if (!f || !f->n_edits || !(f->safe || unsafe))
            continue;
        uint32_t s = f->edits[0].start;
        for (size_t e = 1; e < f->n_edits; e++)
            if (f->edits[e].start < s)
                s = f->edits[e].start;
        picks[k].fix = f;
        picks[k].start = s;
        k++;
    }
    qsort(picks, n, sizeof(*picks), by_start);
    /* accept fixes in order unless one of their edits touches an accepted edit */
    size_t n_acc = 0, applied = 0;
    for (size_t i = 0; i < n; i++) {
        const struct kfp_fix *f = picks[i].fix;
        bool clash = false;
        for (size_t e = 0; e < f->n_edits && !clash; e++)
            for (size_t a = 0; a < n_acc && !clash; a++)
                clash = overlap(&f->edits[e], edits[a]);
        if (clash)
            continue;
        for (size_t e = 0; e < f->n_edits; e++)
            edits[n_acc++] = &f->edits[e];
        applied++;
    }
    qsort(edits, n_acc, sizeof(*edits), by_edit);
    size_t len = res->len;
    for (size_t a = 0; a < n_acc; a++)
        len += strlen(edits[a]->text);
    char *buf = kfp_malloc(len + 1);
    if (!buf) {
        kfp_free(picks);
        kfp_free(edits);
        return -1;
    }
    size_t o = 0;
    uint32_t at = 0;
    for (size_t a = 0; a < n_acc; a++) {
        memcpy(buf + o, res->data + at, edits[a]->start - at); /* untouched bytes, verbatim */
        o += edits[a]->start - at;
        size_t tl = strlen(edits[a]->text);
        memcpy(buf + o, edits[a]->text, tl);
        o += tl;
        at = edits[a]->end;
    }
    memcpy(buf + o, res->data + at, res->len - at);
    o += res->len - at;
    buf[o] = '\0';
    kfp_free(picks);
    kfp_free(edits);
    *out = buf;
    *out_len = o;
    return (long)applied;
}

/* Lints a copy of text (kfp_lint_buffer takes ownership of its buffer). */
static int lint_copy(const struct kfp_lint_opts *opts, const char *path, const char *text, size_t len,
                     struct kfp_result *res)
{
    char *copy = kfp_malloc(len + 1);
    if (!copy) {
        memset(res, 0, sizeof(*res));
        return KFP_ERR;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    return kfp_lint_buffer(opts, path, copy, len, true, res);
}

/* Identity of a finding for "no new findings": rule and message, line numbers left out. */
static void finding_key(const struct kfp_finding *f, char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s:", f->rule->id);
    for (const char *m = f->msg; *m && o + 1 < cap; m++) {
        if (!strncmp(m, "line ", 5) && m[5] >= '0' && m[5] <= '9') {
            m += 5;
            while (m[1] >= '0' && m[1] <= '9')
                m++;
            continue;
        }
        buf[o++] = *m;
    }
    buf[o < cap ? o : cap - 1] = '\0';
}

static bool has_new_finding(const struct kfp_result *before, const struct kfp_result *after,
                            char *why, size_t cap)
{
    char k1[1100], k2[1100];
    for (size_t i = 0; i < after->n_findings; i++) {
        finding_key(after->findings[i], k1, sizeof(k1));
        bool seen = false;
        for (size_t j = 0; j < before->n_findings && !seen; j++) {
            finding_key(before->findings[j], k2, sizeof(k2));
            seen = !strcmp(k1, k2);
        }
        if (!seen) {
            snprintf(why, cap, "the fixed text would have a new finding: %s [%s]",
                     after->findings[i]->msg, after->findings[i]->rule->id);
            return true;
        }
    }
    return false;
}

void kfp_fix_buffer(const struct kfp_lint_opts *opts, const char *path, const char *data, size_t len,
                    bool unsafe, struct kfp_fix_outcome *out)
{
    memset(out, 0, sizeof(*out));
    struct kfp_result orig, cur;
    if (lint_copy(opts, path, data, len, &orig)) {
        kfp_result_free(&orig);
        out->status = KFP_FIX_NOMEM;
        return;
    }
    if (orig.load_status != KFP_LOAD_OK) {
        kfp_result_free(&orig);
        out->status = KFP_FIX_NOT_PARSED;
        return;
    }
    char *text = NULL;
    size_t text_len = 0;
    const struct kfp_result *round = &orig;
    bool have_cur = false;
    for (int iter = 0;; iter++) {
        char *next;
        size_t next_len;
        long n = apply_round(round, unsafe, &next, &next_len);
        if (n < 0) {
            out->status = KFP_FIX_NOMEM;
            goto done;
        }
        if (n == 0)
            break;
        if (iter == KFP_FIX_MAX_ITERATIONS) {
            kfp_free(next);
            out->status = KFP_FIX_NO_CONVERGE;
            snprintf(out->why, sizeof(out->why), "fixes did not converge after %d rounds",
                     KFP_FIX_MAX_ITERATIONS);
            goto done;
        }
        out->applied += (size_t)n;
        kfp_free(text);
        text = next;
        text_len = next_len;
        if (have_cur)
            kfp_result_free(&cur);
        have_cur = true;
        if (lint_copy(opts, path, text, text_len, &cur)) {
            out->status = KFP_FIX_NOMEM;
            goto done;
        }
        if (cur.load_status != KFP_LOAD_OK) {
            out->status = KFP_FIX_REJECTED;
            snprintf(out->why, sizeof(out->why), "the fixed text would not parse: %s", cur.load_err.msg);
            goto done;
        }
        round = &cur;
    }
    if (!text) {
        out->status = KFP_FIX_NONE;
        goto done;
    }
    if (has_new_finding(&orig, &cur, out->why, sizeof(out->why))) {
        out->status = KFP_FIX_REJECTED;
        goto done;
    }
    out->status = KFP_FIX_APPLIED;
    out->out = text;
    out->out_len = text_len;
    text = NULL;
done:
    kfp_free(text);
    if (have_cur)
        kfp_result_free(&cur);
    kfp_result_free(&orig);
}

/* Whether the file at `path` still holds exactly expect[0..len) and is the file (device, inode)
 * that was checked when the replacement began. Reads it in blocks; allocates nothing. */
static bool unchanged(const struct kfp_atomic *a, const char *expect, size_t len)
{
    int fd = open(a->target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && st.st_dev == a->dev && st.st_ino == a->ino &&
                (off_t)len == st.st_size;
    char buf[65536];
    size_t at = 0;
    while (same) {
        ssize_t r = read(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            same = false;
        else if (r == 0)
            break;
        else if ((size_t)r > len - at || memcmp(buf, expect + at, (size_t)r) != 0)
            same = false;
        else
            at += (size_t)r;
    }
    close(fd);
    return same && at == len;
}

int kfp_atomic_begin(struct kfp_atomic *a, const char *path, struct kfp_error *err)
{
    memset(a, 0, sizeof(*a));
    a->fd = -1;
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT)
            return kfp_error_set(err, "cannot stat '%s': %s", path, strerror(errno));
        if (strlen(path) >= sizeof(a->target))
            return kfp_error_set(err, "cannot write '%s': the path is too long", path);
        strcpy(a->target, path); /* a new file */
    } else {
        if (S_ISLNK(st.st_mode)) { /* write the file the link names and keep the link */
            if (!realpath(path, a->target))
                return kfp_error_set(err, "cannot resolve the symbolic link '%s': %s; nothing written",
                                     path, strerror(errno));
            if (stat(a->target, &st) != 0)
                return kfp_error_set(err, "cannot stat '%s': %s", a->target, strerror(errno));
        } else {
            if (strlen(path) >= sizeof(a->target))
                return kfp_error_set(err, "cannot write '%s': the path is too long", path);
            strcpy(a->target, path);
        }
        if (!S_ISREG(st.st_mode))
            return kfp_error_set(err, "'%s' is not a regular file; nothing written", path);
        if (st.st_nlink > 1)
            return kfp_error_set(err,
                                 "'%s' has %lu hard links; replacing it would split them, so it is "
                                 "not written (write through the link yourself: kfplint --fix - < "
                                 "FILE > FILE.new && cat FILE.new > FILE)",
                                 path, (unsigned long)st.st_nlink);
        if ((st.st_mode & 0222) == 0 || access(a->target, W_OK) != 0)
            return kfp_error_set(err, "'%s' is read-only; it is not written (make it writable "
                                      "first if it should be)", path);
        a->existed = true;
        a->mode = st.st_mode & 07777;
        a->uid = st.st_uid;
        a->gid = st.st_gid;
        a->dev = st.st_dev;
        a->ino = st.st_ino;
    }
    /* the temporary file goes beside the target, so the rename stays on one file system */
    const char *slash = strrchr(a->target, '/');
    int dl = slash ? (int)(slash - a->target) + 1 : 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long seed = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
                         (unsigned long)(uintptr_t)a;
    for (int attempt = 0; attempt < 100 && a->fd < 0; attempt++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        int w = snprintf(a->tmp, sizeof(a->tmp), "%.*s.kfplint-%08lx.tmp", dl, a->target,
                         (seed >> 24) & 0xFFFFFFFFul);
        if (w < 0 || (size_t)w >= sizeof(a->tmp))
            return kfp_error_set(err, "cannot write '%s': the path is too long", path);
        /* a new file gets 0666 less the umask, as any new file; a replaced one its own mode */
        a->fd = failing(1) ? -1
                           : open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                                  a->existed ? 0600 : 0666);
        if (a->fd < 0 && errno != EEXIST)
            break;
    }
    if (a->fd < 0)
        return kfp_error_set(err, "cannot create a temporary file beside '%s' (%s); %s", path,
                             strerror(errno), a->existed ? "the file is unchanged" : "nothing written");
    return KFP_OK;
}

FILE *kfp_atomic_stream(struct kfp_atomic *a)
{
    if (!a->stream && a->fd >= 0)
        a->stream = fdopen(a->fd, "w");
    return a->stream;
}

void kfp_atomic_abort(struct kfp_atomic *a)
{
    if (a->stream)
        fclose(a->stream);
    else if (a->fd >= 0)
        close(a->fd);
    if (a->fd >= 0)
        unlink(a->tmp);
    a->stream = NULL;
    a->fd = -1;
}

int kfp_atomic_commit(struct kfp_atomic *a, const char *expect, size_t expect_len,
                      struct kfp_error *err)
{
    const char *step = NULL;
    int saved = 0;
    if (a->stream && (fflush(a->stream) != 0 || ferror(a->stream)))
        step = "write";
    struct stat mine;
    /* the owner first: chown clears set-user-ID bits, which the chmod below restores */
    if (!step && a->existed && fstat(a->fd, &mine) == 0 && (mine.st_uid != a->uid || mine.st_gid != a->gid) &&
        (failing(6) || fchown(a->fd, a->uid, a->gid) != 0))
        step = "keep the owner and group";
    if (!step && a->existed && (failing(3) || fchmod(a->fd, a->mode) != 0))
        step = "keep the file mode";
    if (!step && (failing(4) || fsync(a->fd) != 0))
        step = "fsync";
    if (step)
        saved = errno;
    int fd = a->fd;
    int closed = a->stream ? fclose(a->stream) : close(fd);
    a->stream = NULL;
    a->fd = -1;
    if (closed != 0 && !step) {
        step = "close";
        saved = errno;
    }
    if (!step && expect && !unchanged(a, expect, expect_len)) {
        unlink(a->tmp);
        return kfp_error_set(err, "'%s' changed after it was read; it is not overwritten (run "
                                  "kfplint again)", a->target);
    }
    if (!step && (failing(5) || rename(a->tmp, a->target) != 0)) {
        step = "rename";
        saved = errno;
    }
    if (step) {
        unlink(a->tmp);
        return kfp_error_set(err, "cannot write '%s' (%s failed: %s); the file is unchanged", a->target,
                             step, strerror(saved));
    }
    /* make the rename itself durable (best effort: some file systems refuse to sync a directory) */
    const char *slash = strrchr(a->target, '/');
    char dir[sizeof(a->target)];
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - a->target) + 1 : 1, slash ? a->target : ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return KFP_OK;
}

int kfp_fix_write_checked(const char *path, const char *expect, size_t expect_len,
                          const char *data, size_t len, struct kfp_error *err)
{
    struct kfp_atomic a;
    if (kfp_atomic_begin(&a, path, err))
        return KFP_ERR;
    if (!a.existed) { /* --fix replaces a file it read; it never creates one */
        kfp_atomic_abort(&a);
        return kfp_error_set(err, "'%s' no longer exists; nothing written", path);
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = failing(2) ? -1 : write(a.fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int saved = w < 0 ? errno : EIO;
            kfp_atomic_abort(&a);
            return kfp_error_set(err, "cannot write '%s' (write failed: %s); the file is unchanged",
                                 path, strerror(saved));
        }
        done += (size_t)w;
    }
    return kfp_atomic_commit(&a, expect, expect_len, err);
}

int kfp_fix_write(const char *path, const char *data, size_t len, struct kfp_error *err)
{
    return kfp_fix_write_checked(path, NULL, 0, data, len, err);
}
