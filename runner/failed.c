/* failed.c: the record of the tests that failed (see failed.h). One line
 * per test, "PATH\tNAME", in _galley/failed, replaced whole. */
#include "failed.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *S_path(const char *root)
{
    return galley__xasprintf("%s/_galley/failed", root);
}

void galley__failed_load(const char *root, galley__words *keys)
{
    char *p = S_path(root);
    galley__buf b;
    galley__buf_init(&b);
    if (galley__read_file(p, &b) == 0 && b.ptr)
        for (char *line = b.ptr, *nl; *line; line = nl + 1) {
            nl = strchr(line, '\n');
            if (!nl)
                break;
            *nl = '\0';
            if (strchr(line, '\t'))
                galley__words_add(keys, line);
        }
    galley__buf_fini(&b);
    free(p);
}

int galley__failed_save(const char *root, const galley__words *ran,
                        const galley__words *failed)
{
    galley__words old = {0};
    galley__failed_load(root, &old);
    galley__buf out;
    galley__buf_init(&out);
    galley__buf_grow(&out, 0);
    /* A file gone takes its tests with it. */
    for (size_t i = 0; i < old.n; i++) {
        char *path = galley__xstrndup(old.v[i], strcspn(old.v[i], "\t"));
        if (!galley__words_has(ran, old.v[i]) && access(path, F_OK) == 0)
            galley__buf_printf(&out, "%s\n", old.v[i]);
        free(path);
    }
    for (size_t i = 0; i < failed->n; i++)
        galley__buf_printf(&out, "%s\n", failed->v[i]);
    char *p = S_path(root);
    int rc = galley__write_file_replace(p, out.ptr, out.len, 0644, 0);
    free(p);
    galley__buf_fini(&out);
    galley__words_fini(&old);
    return rc;
}
