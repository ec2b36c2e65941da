/* graph.c — compressed graphs built in node order and their cycles (kfp_graph_*).
 *
 * Tarjan's strongly connected components with an explicit stack (real DAGs can be deep: no
 * recursion), then, per cyclic component, a breadth-first search restricted to the component
 * from its smallest node back to itself, which yields one shortest cycle through that node.
 */
#include "kfplint/graph.h"
#include "kfplint/common.h"

#include <stdbool.h>
#include <string.h>

#define NONE UINT32_MAX

int kfp_graph_init(struct kfp_arena *a, struct kfp_graph *g, size_t n, size_t cap)
{
    g->n = 0;
    g->off = kfp_arena_alloc(a, (n + 1) * sizeof(*g->off));
    g->adj = kfp_arena_alloc(a, (cap ? cap : 1) * sizeof(*g->adj));
    g->tag = kfp_arena_alloc(a, (cap ? cap : 1) * sizeof(*g->tag));
    if (!g->off || !g->adj || !g->tag)
        return KFP_ERR;
    g->off[0] = 0;
    return KFP_OK;
}

void kfp_graph_begin(struct kfp_graph *g)
{
    g->off[g->n + 1] = g->off[g->n];
    g->n++;
}

void kfp_graph_edge(struct kfp_graph *g, size_t w, const void *tag)
{
    uint32_t e = g->off[g->n]++;
    g->adj[e] = (uint32_t)w;
    g->tag[e] = tag;
}

static void report_scc(const struct kfp_graph *g, const uint32_t *comp_of, uint32_t comp,
                       uint32_t start, uint32_t *parent_edge, uint32_t *queue, const uint32_t *from,
                       uint32_t *path, kfp_cycle_fn fn, void *user)
{
    /* BFS from start over nodes of this component; stop at an edge back to start */
    uint32_t head = 0, tail = 0;
    queue[tail++] = start;
    parent_edge[start] = NONE;
    uint32_t closing = NONE;
    while (head < tail && closing == NONE) {
        uint32_t v = queue[head++];
        for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t w = g->adj[e];
            if (comp_of[w] != comp)
                continue;
            if (w == start) {
                closing = e;
                break;
            }
            if (parent_edge[w] == NONE && w != start) {
                parent_edge[w] = e;
                queue[tail++] = w;
            }
        }
    }
    if (closing == NONE)
        return;
    size_t len = 0;
    path[len++] = closing;
    for (uint32_t v = from[closing]; v != start; v = from[parent_edge[v]])
        path[len++] = parent_edge[v];
    for (size_t i = 0; i < len / 2; i++) { /* reverse into walking order */
        uint32_t t = path[i];
        path[i] = path[len - 1 - i];
        path[len - 1 - i] = t;
    }
    fn(user, g, from, path, len);
    for (uint32_t i = 0; i < tail; i++)
        parent_edge[queue[i]] = NONE;
}

int kfp_graph_cycles(struct kfp_arena *a, const struct kfp_graph *g, kfp_cycle_fn fn, void *user)
{
    uint32_t n = g->n, m = g->off[n];
    if (n == 0)
        return KFP_OK;
    uint32_t *index = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *low = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *comp_of = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *stack = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *call = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *pos = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *parent_edge = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *queue = kfp_arena_alloc(a, n * sizeof(uint32_t));
    uint32_t *path = kfp_arena_alloc(a, ((size_t)n + 1) * sizeof(uint32_t));
    uint32_t *from = kfp_arena_alloc(a, (m ? m : 1) * sizeof(uint32_t));
    unsigned char *on = kfp_arena_calloc(a, n, 1);
    if (!index || !low || !comp_of || !stack || !call || !pos || !parent_edge || !queue || !path ||
        !from || !on)
        return KFP_ERR;
    for (uint32_t v = 0; v < n; v++) {
        index[v] = NONE;
        comp_of[v] = NONE;
        parent_edge[v] = NONE;
        for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++)
            from[e] = v;
    }
    uint32_t next = 0, sp = 0, ncomp = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != NONE)
            continue;
        uint32_t depth = 0;
        call[depth] = root;
        pos[depth] = g->off[root];
        depth++;
        index[root] = low[root] = next++;
        stack[sp++] = root;
        on[root] = 1;
        while (depth) {
            uint32_t v = call[depth - 1];
            if (pos[depth - 1] < g->off[v + 1]) {
                uint32_t w = g->adj[pos[depth - 1]++];
                if (index[w] == NONE) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w;
                    on[w] = 1;
                    call[depth] = w;
                    pos[depth] = g->off[w];
                    depth++;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            /* v is the root of a component: pop it, remember its smallest node */
            uint32_t smallest = v, size = 0;
            uint32_t w;
            do {
                w = stack[--sp];
                on[w] = 0;
                comp_of[w] = ncomp;
                if (w < smallest)
                    smallest = w;
                size++;
            } while (w != v);
            bool cyclic = size > 1;
            for (uint32_t e = g->off[v]; !cyclic && e < g->off[v + 1]; e++)
                cyclic = g->adj[e] == v;
            if (cyclic)
                report_scc(g, comp_of, ncomp, smallest, parent_edge, queue, from, path, fn, user);
            ncomp++;
        }
    }
    return KFP_OK;
}
