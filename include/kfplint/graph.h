/* graph.h — directed graphs in compressed adjacency form and their cycles (kfp_graph_*). */
#ifndef KFPLINT_GRAPH_H
#define KFPLINT_GRAPH_H

#include "kfplint/arena.h"

#include <stddef.h>
#include <stdint.h>

/* Node and edge indices are 32-bit: half the memory of size_t on the largest pipelines. */
#define KFP_GRAPH_MAX (UINT32_MAX - 1)

struct kfp_graph {
    uint32_t n;        /* nodes 0..n-1 (at most KFP_GRAPH_MAX, and as many edges) */
    uint32_t *off;     /* edges of v are adj[off[v]..off[v+1]) */
    uint32_t *adj;     /* edge targets */
    const void **tag;  /* per edge: caller's data (e.g. the node that wrote the reference) */
};

/* Starts an empty graph of at most n nodes and cap edges in arena a, built in node order: the
 * edges of each node follow its kfp_graph_begin(), so they land in compressed form directly.
 * Returns KFP_OK or KFP_ERR on allocation failure. */
int kfp_graph_init(struct kfp_arena *a, struct kfp_graph *g, size_t n, size_t cap);

/* Adds the next node (at most the n of kfp_graph_init). */
void kfp_graph_begin(struct kfp_graph *g);

/* Adds an edge from the last node to w (within the cap of kfp_graph_init), with its tag. */
void kfp_graph_edge(struct kfp_graph *g, size_t w, const void *tag);

/* Called once per cycle: `cycle` lists edge indices e0..ek-1 where adj[e_i] is the source of
 * e_{i+1} and the last edge returns to the first node; the first node is the smallest in the
 * cycle's strongly connected component. */
typedef void (*kfp_cycle_fn)(void *user, const struct kfp_graph *g, const uint32_t *from,
                             const uint32_t *cycle, size_t len);

/* Finds every strongly connected component with a cycle (Tarjan's algorithm, iterative) and
 * reports one cycle through its smallest node. Linear in nodes + edges; works memory from the
 * arena. Returns KFP_OK or KFP_ERR on allocation failure. `from` passed to fn maps an edge index
 * to its source node. */
int kfp_graph_cycles(struct kfp_arena *a, const struct kfp_graph *g, kfp_cycle_fn fn, void *user);

#endif
