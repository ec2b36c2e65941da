/* main.c — the kfplint binary: everything lives in the library; this only calls it. */
#include "kfplint/cli.h"

int main(int argc, char **argv)
{
    return kfp_cli_main(argc, argv);
}
