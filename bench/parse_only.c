/* parse_only.c — the reference for the benchmark: read a file and parse it with the libraries
 * kfplint uses, doing nothing else. YAML: libyaml's event parser. JSON: the faster of libyaml's
 * event parser and jansson's json_loadb over the same bytes (--json-both picks per run).
 * Usage: parse_only [--libyaml|--jansson] FILE... */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static long libyaml_events(const char *data, size_t len)
{
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    long events = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            events = -1;
            break;
        }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        events++;
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return events;
}

int main(int argc, char **argv)
{
    int mode = 0; /* 0 libyaml, 1 jansson */
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "--jansson"))
        mode = 1, first = 2;
    else if (argc > 1 && !strcmp(argv[1], "--libyaml"))
        first = 2;
    long total = 0;
    for (int i = first; i < argc; i++) {
        size_t len;
        char *d = slurp(argv[i], &len);
        if (!d)
            return 2;
        if (mode == 1) {
            json_error_t e;
            json_t *j = json_loadb(d, len, 0, &e);
            total += j != NULL;
            json_decref(j);
        } else {
            total += libyaml_events(d, len);
        }
        free(d);
    }
    printf("%ld\n", total);
    return 0;
}
