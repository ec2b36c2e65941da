/* lsp.h — `kfplint lsp` (kfp_lsp_*): a Language Server Protocol 3.17 server over a byte stream.
 *
 * JSON-RPC 2.0 messages framed by `Content-Length` headers (jansson parses and writes them).
 * Documents are synchronised in full (incremental changes are applied too, should a client send
 * them); each open, change and save lints the document exactly as the CLI lints a file — the
 * nearest .kfplint.yaml, inline suppressions, the same rules — and publishes the findings as
 * diagnostics. Code actions are the fix engine's fixes (safe ones preferred, unsafe ones
 * labelled, plus "fix all" with the result of `kfplint --fix`); hover on a finding shows its
 * rule's documentation. Positions use the encoding negotiated at initialize: UTF-16 (the
 * default) or UTF-8 when the client offers it. Hostile input (bad JSON, bad framing, huge
 * messages, requests out of order, unknown methods) gets JSON-RPC errors, never a crash or a
 * hang; nothing but protocol is written to `out`.
 */
#ifndef KFPLINT_LSP_H
#define KFPLINT_LSP_H

#include <stdio.h>

/* Largest message body accepted; a bigger one is read past and answered with an error. */
#define KFP_LSP_MAX_MESSAGE (256u << 20)

/* Serves the protocol on in/out until `exit` or the end of `in`. Returns the process exit code:
 * 0 after shutdown + exit, 1 when the stream ended or exit came without shutdown (LSP 3.17), 2
 * when writing to `out` failed or memory ran out. */
int kfp_lsp_serve(FILE *in, FILE *out);

#endif
