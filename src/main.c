/* main.c — the kfplint binary: everything lives in the library; this only calls it, then makes
 * sure what it printed reached standard output (--help, --list-rules, --explain, --version
 * return before the CLI's own check): a lost write is exit 2, never a silent success. */
#include "kfplint/cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int rc = kfp_cli_main(argc, argv);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc != KFP_EXIT_USAGE) /* otherwise the CLI has said what failed */
            fprintf(stderr, "kfplint: writing to standard output failed: %s\n",
                    errno ? strerror(errno) : "write error");
        rc = KFP_EXIT_USAGE;
    }
    return rc;
}
