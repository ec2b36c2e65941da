/* edit.h — format-preserving edits on the original text (kfp_edit_*): remove a sequence item or
 * a mapping entry, append an item or an entry, in block YAML, flow YAML and JSON alike. Each
 * helper computes byte-range edits and changes nothing else: comments, quoting, indentation and
 * line endings of the rest of the file stay as they are. */
#ifndef KFPLINT_EDIT_H
#define KFPLINT_EDIT_H

#include "kfplint/rule.h"

/* Fills *e with the edit that removes item `index` of sequence `seq`. Returns KFP_OK, or KFP_ERR
 * when the layout is not one it can edit safely. */
int kfp_edit_remove_item(const struct kfp_source *src, const struct kfp_node *seq, uint32_t index,
                         struct kfp_edit *e);

/* Fills *e with the edit that removes entry `index` of mapping `map`. */
int kfp_edit_remove_pair(const struct kfp_source *src, const struct kfp_node *map, uint32_t index,
                         struct kfp_edit *e);

/* Appends a mapping {key1: val1, key2: val2} (key2 may be NULL) as a new item of `seq`, in the
 * style of the sequence's last item. Values are written quoted. `text` of *e is arena-owned. */
int kfp_edit_append_item(struct kfp_arena *a, const struct kfp_source *src, const struct kfp_node *seq,
                         const char *key1, const char *val1, const char *key2, const char *val2,
                         struct kfp_edit *e);

/* Appends `key: value` (value already formatted for the file's syntax: e.g. a flow list) as the
 * last entry of mapping `map`, in its style. */
int kfp_edit_append_pair(struct kfp_arena *a, const struct kfp_source *src, const struct kfp_node *map,
                         bool json, const char *key, const char *value, struct kfp_edit *e);

/* The line break the file uses ("\r\n" or "\n"). */
const char *kfp_edit_eol(const struct kfp_source *src);

/* `s` as a double-quoted YAML/JSON string (arena). */
char *kfp_edit_quote(struct kfp_arena *a, const char *s);

#endif
