/* cli_files.c — finding the inputs (fts over directories) and reading them (kfp_files_*).
 *
 * Directories are walked with fts without following symbolic links, so a link loop cannot trap
 * the walk; only regular files with a YAML or JSON name are taken from a directory.
 */
#include "kfplint/cli.h"
#include "kfplint/alloc.h"
#include "kfplint/common.h"
#include "kfplint/report.h"

#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int push(struct kfp_inputs *in, const char *path, bool explicit_path, bool is_stdin)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 16;
        struct kfp_input *n = kfp_realloc(in->items, cap * sizeof(*n));
        if (!n)
            return KFP_ERR;
        in->items = n;
        in->cap = cap;
    }
    size_t len = strlen(path);
    char *copy = kfp_malloc(len + 1);
    if (!copy)
        return KFP_ERR;
    memcpy(copy, path, len + 1);
    in->items[in->n].path = copy;
    in->items[in->n].explicit_path = explicit_path;
    in->items[in->n].is_stdin = is_stdin;
    in->n++;
    return KFP_OK;
}

static bool kfp_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")) ||
           (n > 5 && !strcmp(name + n - 5, ".json"));
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int walk(struct kfp_inputs *in, const char *dir)
{
    char *paths[] = {(char *)dir, NULL};
    FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    if (!fts) {
        kfp_diag(stderr, "kfplint: cannot walk '%s': %s", dir, strerror(errno));
        in->errors++;
        return KFP_OK;
    }
    size_t before = in->n;
    FTSENT *e;
    int rc = KFP_OK;
    while ((e = fts_read(fts)) && rc == KFP_OK) {
        switch (e->fts_info) {
        case FTS_D:
            if (e->fts_level > 0 && (!strcmp(e->fts_name, ".git") || !strcmp(e->fts_name, "node_modules")))
                fts_set(fts, e, FTS_SKIP);
            break;
        case FTS_F:
            if (kfp_name(e->fts_name))
                rc = push(in, e->fts_path, false, false);
            break;
        case FTS_DNR:
        case FTS_ERR:
            kfp_diag(stderr, "kfplint: cannot read '%s': %s", e->fts_path, strerror(e->fts_errno));
            in->errors++;
            break;
        case FTS_DC:
            kfp_diag(stderr, "kfplint: directory cycle at '%s': skipped", e->fts_path);
            break;
        default:
            break; /* symlinks (not followed), FIFOs, sockets, devices: not taken from a walk */
        }
    }
    fts_close(fts);
    if (rc == KFP_OK && in->n == before) {
        kfp_diag(stderr, "kfplint: no *.yaml, *.yml or *.json files in '%s'", dir);
        in->errors++;
    }
    return rc;
}

int kfp_files_add(struct kfp_inputs *in, const char *path, const char *stdin_name)
{
    if (!strcmp(path, "-"))
        return push(in, stdin_name ? stdin_name : "<stdin>", true, true);
    struct stat st;
    if (stat(path, &st) != 0) {
        kfp_diag(stderr, "kfplint: cannot read '%s': %s", path, strerror(errno));
        in->errors++;
        return KFP_OK;
    }
    if (S_ISDIR(st.st_mode))
        return walk(in, path);
    return push(in, path, true, false);
}

void kfp_files_free(struct kfp_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        kfp_free(in->items[i].path);
    kfp_free(in->items);
    in->items = NULL;
    in->n = in->cap = 0;
}

int kfp_files_read(const char *path, size_t max, char **data, size_t *len, char *msg,
                   size_t msg_cap)
{
    int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY) : STDIN_FILENO;
    *data = NULL;
    *len = 0;
    if (fd < 0) {
        snprintf(msg, msg_cap, "%s", strerror(errno));
        return KFP_ERR;
    }
    struct stat st;
    if (path && fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            close(fd);
            snprintf(msg, msg_cap, "is a directory");
            return KFP_ERR;
        }
        if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
            close(fd);
            snprintf(msg, msg_cap, "not a regular file");
            return KFP_ERR;
        }
        /* regular files and character devices are read, bounded by max */
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    size_t cap = 65536, n = 0;
    if (path && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < max)
        cap = (size_t)st.st_size + 1;
    char *buf = kfp_malloc(cap);
    if (!buf) {
        if (path)
            close(fd);
        snprintf(msg, msg_cap, "out of memory");
        return KFP_ERR;
    }
    kfp_populate(buf, cap); /* read() would fault each page of a large file in on its own */
    for (;;) {
        if (n == cap) {
            if (n > max)
                break;
            size_t nc = cap * 2;
            char *nb = kfp_realloc(buf, nc);
            if (!nb) {
                kfp_free(buf);
                if (path)
                    close(fd);
                snprintf(msg, msg_cap, "out of memory");
                return KFP_ERR;
            }
            buf = nb;
            cap = nc;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            snprintf(msg, msg_cap, "%s", strerror(errno));
            kfp_free(buf);
            if (path)
                close(fd);
            return KFP_ERR;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max)
            break;
    }
    if (path)
        close(fd);
    *data = buf;
    *len = n;
    return KFP_OK;
}
