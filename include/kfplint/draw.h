/* draw.h — the picture of a pipeline (kfp_draw_*): its DAGs as Graphviz DOT or Mermaid, with the
 * findings of a lint run drawn on the tasks and edges they concern.
 *
 * Tasks are nodes (labelled with their component), a task that runs a sub-DAG (a condition, a
 * loop, an exit handler, a nested pipeline) is a cluster holding that DAG, dependency and data
 * edges join them (data edges labelled "output → input"), and a reference to a task that does not
 * exist is a dashed ghost node with a red edge. Every finding lands on the innermost thing whose
 * source it lies in — an edge, a task, the component or executor a task runs — and colours it by
 * its worst severity; what lies outside every task is listed in a node of its own. The work is
 * linear in tasks, references and findings (one sorted sweep maps findings to places).
 */
#ifndef KFPLINT_DRAW_H
#define KFPLINT_DRAW_H

#include "kfplint/rule.h"

#include <stdio.h>

enum kfp_draw_format { KFP_DRAW_DOT, KFP_DRAW_MERMAID };

/* Writes the picture of res (a linted file whose model is still there: not compacted) to out.
 * Allocates only scratch memory, freed before it returns. Returns KFP_OK, or KFP_ERR with a
 * message in err when memory ran out or writing to out failed. */
int kfp_draw(FILE *out, const struct kfp_result *res, enum kfp_draw_format fmt,
             struct kfp_error *err);

#endif
