/* source.c: the kinds of source (see source.h). */
#include "source.h"

#include <string.h>
#include <strings.h>

#include "markdown.h"

static const galley__source_kind S_c = {"C", galley__scan_text,
                                        galley__rewrite, NULL};
static const galley__source_kind S_md = {"Markdown", galley__md_scan,
                                         galley__md_rewrite,
                                         galley__md_program};

/* Returns 1 if path ends in suffix, in any case (README.MD). */
static int S_ends(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    return n > k && !strcasecmp(path + n - k, suffix);
}

const galley__source_kind *galley__source_kind_of(const char *path)
{
    return S_ends(path, ".md") || S_ends(path, ".markdown") ? &S_md : &S_c;
}

int galley__source_is_candidate(const char *path)
{
    size_t n = strlen(path);
    return (n > 2 && !strcmp(path + n - 2, ".c")) || S_ends(path, ".md") ||
           S_ends(path, ".markdown");
}
