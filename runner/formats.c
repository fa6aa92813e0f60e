/* formats.c: the machine reports of a run (TAP 13, JUnit XML, JSON lines)
 * and GitHub Actions annotations. Test output is arbitrary bytes, so every
 * writer decodes UTF-8 and escapes or drops what its format cannot hold:
 * a report that a CI server rejects is worse than a lossy one. */
#define _GNU_SOURCE
#include "formats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "report.h"

/* ---- the tally ---- */

void galley__tally_add(galley__tally *t, const char *file, int line,
                      const char *name, int error, const char *message)
{
    t->items = galley__xrealloc(t->items, (t->n_items + 1) * sizeof *t->items);
    galley__tally_item *it = &t->items[t->n_items++];
    it->file = galley__xstrdup(file);
    it->line = line;
    it->name = galley__xstrdup(name);
    it->error = error;
    it->message = galley__xstrdup(message);
}

void galley__tally_broken(galley__tally *t, const char *file, const char *log)
{
    size_t n = t->n_broken + 1;
    t->broken = galley__xrealloc(t->broken, n * sizeof *t->broken);
    t->logs = galley__xrealloc(t->logs, n * sizeof *t->logs);
    t->broken[t->n_broken] = galley__xstrdup(file);
    t->logs[t->n_broken++] = galley__xstrdup(log ? log : "");
}

void galley__tally_paths(galley__tally *t, const char *cwd, const char *repo)
{
    free(t->cwd);
    free(t->repo);
    t->cwd = galley__xstrdup(cwd);
    t->repo = repo ? galley__xstrdup(repo) : NULL;
}

void galley__tally_fini(galley__tally *t)
{
    for (size_t i = 0; i < t->n_items; i++) {
        free(t->items[i].file);
        free(t->items[i].name);
        free(t->items[i].message);
    }
    for (size_t i = 0; i < t->n_broken; i++) {
        free(t->broken[i]);
        free(t->logs[i]);
    }
    free(t->items);
    free(t->broken);
    free(t->logs);
    free(t->cwd);
    free(t->repo);
    memset(t, 0, sizeof *t);
}

int galley__format_parse(const char *s)
{
    static const char *const names[] = {"pretty", "tap", "junit", "json"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* ---- text: decoding and escaping ---- */

/* Decodes the UTF-8 character at s[0..n) (n > 0) into *cp and returns its
 * length; a malformed sequence (overlong, surrogate, truncated, stray
 * byte) is one byte long with *cp = -1. */
static size_t S_utf8(const unsigned char *s, size_t n, long *cp)
{
    static const long min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2
             : s[0] >= 0xe0 && s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5
                                                   ? 4 : 0;
    *cp = -1;
    if (len == 0 || len > n)
        return 1;
    long c = len == 1 ? s[0] : s[0] & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 1;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
        return 1;
    *cp = c;
    return len;
}

typedef enum S_esc {
    S_ESC_JSON,      /* inside a JSON string */
    S_ESC_YAML,      /* inside a YAML double-quoted string (see S_yaml_str) */
    S_ESC_XML_TEXT,  /* XML character data */
    S_ESC_XML_ATTR,  /* an XML attribute value in double quotes */
    S_ESC_PLAIN,     /* the lines of a YAML block scalar: controls dropped */
} S_esc;

/* Returns whether YAML cannot hold c raw: a C1 control (YAML counts them
 * unprintable, and PyYAML rejects a stream that holds one), or NEL, U+2028
 * and U+2029, which YAML 1.1 readers (PyYAML) take for line breaks. */
static int S_yaml_unsafe(long c)
{
    return (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
}

/* Writes control character c (below 0x20, DEL, or for YAML one that
 * S_yaml_unsafe names) escaped for mode e, or nothing where the format
 * cannot hold it. */
static void S_put_control(FILE *out, long c, S_esc e)
{
    if (e == S_ESC_JSON || e == S_ESC_YAML) {
        const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t"
                          : c == '\r' ? "\\r" : NULL;
        if (named)
            fputs(named, out);
        else if (e == S_ESC_YAML && c > 0xff)
            fprintf(out, "\\u%04lx", (unsigned long)c); /* not in YAMLish */
        else if (e == S_ESC_YAML)
            fprintf(out, "\\x%02lx", (unsigned long)c);
        else
            fprintf(out, "\\u%04lx", (unsigned long)c);
    } else if (e == S_ESC_XML_ATTR && (c == '\n' || c == '\t' || c == '\r')) {
        fprintf(out, "&#%ld;", c); /* literal ones would become spaces */
    } else if (e == S_ESC_XML_TEXT && (c == '\n' || c == '\t')) {
        fputc((int)c, out);
    } else if (e == S_ESC_XML_TEXT && c == '\r') {
        fputs("&#13;", out);
    } else if (e == S_ESC_PLAIN && (c == '\n' || c == '\t')) {
        fputc((int)c, out);
    }
    /* XML 1.0 has no other controls; a YAML block scalar none at all. */
}

/* Writes one decoded character c (spelled as s[0..len)) escaped for e. */
static void S_put_char(FILE *out, const char *s, size_t len, long c, S_esc e)
{
    const char *x = NULL;
    if (c < 0)
        x = e == S_ESC_JSON ? "\\ufffd" : "\xef\xbf\xbd"; /* U+FFFD */
    else if (c < 0x20 || c == 0x7f || (e == S_ESC_YAML && S_yaml_unsafe(c))) {
        S_put_control(out, c, e);
        return;
    } else if (e == S_ESC_JSON || e == S_ESC_YAML)
        x = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : NULL;
    else if (e == S_ESC_XML_TEXT || e == S_ESC_XML_ATTR)
        x = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
          : c == '"' ? "&quot;" : NULL;
    if (!x && (c == 0xfffe || c == 0xffff) && e != S_ESC_JSON)
        return; /* not characters in XML or YAML */
    if (x)
        fputs(x, out);
    else
        fwrite(s, 1, len, out);
}

/* Writes s[0..n) escaped for e. */
static void S_put(FILE *out, const char *s, size_t n, S_esc e)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        long c;
        size_t len = S_utf8(p + i, n - i, &c);
        S_put_char(out, s + i, len, c, e);
        i += len;
    }
}

/* Writes s as a JSON string in quotes, or null for NULL. */
static void S_json_str(FILE *out, const char *s, size_t n)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    S_put(out, s, n, S_ESC_JSON);
    fputc('"', out);
}

#define S_JSTR(out, s) S_json_str(out, s, (s) ? strlen(s) : 0)

/* ---- YAML that TAP 13 and TAP 14 readers both take ----
 *
 * TAP 14 reads its YAML blocks as YAML 1.2; TAP 13 harnesses such as
 * Perl's TAP::Parser (prove) read "YAMLish", a subset: a block scalar's
 * header is a bare "|" (not "|2", "|-" or "|+"), its first line sets the
 * indentation (leading spaces there are lost), a line that starts with a
 * tab counts the tab as indentation, an empty line ends the whole YAML
 * block, and a double-quoted string knows the escapes \n \t \r \\ \"
 * and \xNN but not \uNNNN. So a text is a "|" block only when both read
 * it back exactly; otherwise it is a double-quoted string on one line. */

/* Writes text as a YAML double-quoted string. */
static void S_yaml_str(FILE *out, const char *text, size_t n)
{
    fputc('"', out);
    S_put(out, text, n, S_ESC_YAML);
    fputc('"', out);
}

#define S_YSTR(out, s) S_yaml_str(out, s, strlen(s))

/* Returns whether text[0..n) reads back exactly as a "|" block scalar in
 * YAML and in TAP::Parser: it ends with one newline (the clipping that "|"
 * does), its first line does not start with a space or a newline, no line
 * starts with a tab, and it holds no character that YAML cannot hold raw
 * (controls other than tab and newline, S_yaml_unsafe's). Malformed UTF-8
 * and U+FFFE are written the same way in either form. */
static int S_yaml_fits_block(const char *text, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    if (n == 0 || p[n - 1] != '\n' || (n > 1 && p[n - 2] == '\n') ||
        p[0] == ' ' || p[0] == '\n')
        return 0;
    for (size_t i = 0; i < n;) {
        long c;
        size_t len = S_utf8(p + i, n - i, &c);
        int bol = i == 0 || p[i - 1] == '\n';
        int control = c >= 0 && c < 0x20 && c != '\t' && c != '\n';
        if ((bol && c == '\t') || control || c == 0x7f || S_yaml_unsafe(c))
            return 0;
        i += len;
    }
    return 1;
}

/* Writes "KEY: VALUE" at indent spaces: text[0..n) as a "|" block scalar
 * with its lines indented by indent + 2 spaces when it fits one, else as a
 * double-quoted string. An empty line of the block keeps its indentation
 * (as trailing spaces): TAP::Parser ends the YAML at a line without it. */
static void S_yaml_text(FILE *out, int indent, const char *key,
                        const char *text, size_t n)
{
    fprintf(out, "%*s%s: ", indent, "", key);
    if (!S_yaml_fits_block(text, n)) {
        S_yaml_str(out, text, n);
        fputc('\n', out);
        return;
    }
    fputs("|\n", out);
    for (const char *p = text, *end = text + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)(nl - p); /* there is one: the text ends so */
        fprintf(out, "%*s", indent + 2, "");
        S_put(out, p, len, S_ESC_PLAIN);
        fputc('\n', out);
        p = nl + 1;
    }
}

/* ---- the tests of a report ---- */

typedef enum S_status { S_PASSED, S_FAILED, S_SKIPPED, S_ERROR } S_status;
static const char *const S_status_names[] = {"passed", "failed", "skipped",
                                             "error"};

/* One test as the machine reports list it. */
typedef struct S_item {
    const char *file;
    int line;
    const char *name;
    S_status status;
    const galley__verdict *v;   /* NULL for the tally's items */
    const char *message;       /* skipped or error: why */
    const char *log;           /* compiler diagnostics, or NULL */
    long ms;
    const galley__tally *repo; /* non-NULL: paths from the repository */
} S_item;

typedef struct S_items {
    S_item *v;
    size_t n;
    char **files;              /* the items' paths from the repository */
    size_t count[4];           /* by status */
    long ms;                   /* the sum */
} S_items;

/* Returns the compiler's log for file when it did not compile, or NULL. */
static const char *S_broken_log(const galley__tally *t, const char *file)
{
    for (size_t i = 0; i < t->n_broken; i++)
        if (!strcmp(t->broken[i], file))
            return t->logs[i];
    return NULL;
}

static int S_item_cmp(const void *pa, const void *pb)
{
    const S_item *a = pa, *b = pb;
    return galley__place_cmp(a->file, a->line, a->name, b->file, b->line,
                            b->name);
}

/* Returns the heap form of display path file for a report whose paths
 * start at the top of the repository (t->repo; else at the cwd). */
static char *S_repo_path(const galley__tally *t, const char *file)
{
    return t->cwd ? galley__path_from(file, t->cwd, t->repo)
                  : galley__xstrdup(file);
}

/* Makes the paths of the items start at the top of the repository. */
static void S_items_from_repo(S_items *it, const galley__tally *t)
{
    it->files = galley__xcalloc(it->n + 1, sizeof *it->files);
    for (size_t i = 0; i < it->n; i++) {
        it->files[i] = S_repo_path(t, it->v[i].file);
        it->v[i].file = it->files[i];
        it->v[i].repo = t;
    }
}

/* Gathers the verdicts and the tally's items in file, line, name order,
 * their paths as shown or, with repo 1, from the top of the repository.
 * The verdicts of a file that did not compile are errors: none of its
 * tests ran. */
static void S_items_init(S_items *it, const galley__verdict *v, size_t n,
                         const galley__tally *t, int repo)
{
    memset(it, 0, sizeof *it);
    it->v = galley__xcalloc(n + t->n_items + 1, sizeof *it->v);
    for (size_t i = 0; i < n; i++) {
        S_item *x = &it->v[it->n++];
        x->file = v[i].file, x->line = v[i].line, x->name = v[i].shown;
        x->v = &v[i], x->ms = v[i].ms;
        x->log = v[i].n_fails ? S_broken_log(t, v[i].file) : NULL;
        x->status = v[i].n_fails ? (x->log ? S_ERROR : S_FAILED)
                    : v[i].skipped ? S_SKIPPED
                                   : S_PASSED;
        if (x->status == S_SKIPPED)
            x->message = v[i].skip_reason;
    }
    for (size_t i = 0; i < t->n_items; i++) {
        const galley__tally_item *ti = &t->items[i];
        S_item *x = &it->v[it->n++];
        x->file = ti->file, x->line = ti->line, x->name = ti->name;
        x->message = ti->message;
        x->status = ti->error ? S_ERROR : S_SKIPPED;
    }
    if (repo)
        S_items_from_repo(it, t);
    qsort(it->v, it->n, sizeof *it->v, S_item_cmp);
    for (size_t i = 0; i < it->n; i++) {
        it->count[it->v[i].status]++;
        it->ms += it->v[i].ms;
    }
}

/* Returns the heap message of an item: its failures' headers joined by
 * "; ", or the tally's message (or a skip's reason). */
static char *S_message(const S_item *x)
{
    if (!x->v || x->status == S_SKIPPED)
        return galley__xstrdup(x->message ? x->message : "");
    galley__buf b;
    galley__buf_init(&b);
    for (size_t i = 0; i < x->v->n_fails; i++)
        galley__buf_printf(&b, "%s%s", i ? "; " : "", x->v->fails[i].what);
    return galley__buf_detach(&b, NULL);
}

/* Returns the heap text that explains a failed item as the human report
 * would: a "FILE:LINE: TEST: what" header and the diff for each failure
 * (*len: its length). */
static char *S_details(const S_item *x, size_t *len)
{
    char *text = NULL;
    *len = 0;
    FILE *m = open_memstream(&text, len);
    if (!m)
        galley__xmalloc((size_t)-1); /* aborts: out of memory */
    for (size_t i = 0; x->v && i < x->v->n_fails; i++) {
        const galley__failure *f = &x->v->fails[i];
        char *file = x->repo ? S_repo_path(x->repo, f->file)
                             : galley__xstrdup(f->file);
        fprintf(m, "%s:%d: %s: %s\n", file, f->line, x->name, f->what);
        free(file);
        galley__report_diff(m, f, 0);
    }
    fclose(m);
    return text;
}

/* ---- TAP: version 13, written by the rules of TAP 14 ----
 *
 * The version line says 13: TAP::Harness (prove) refuses a stream that
 * says 14, and TAP 14 harnesses may read 13 as 14. Nothing here is TAP 14
 * only: no subtests, no pragmas, YAML that both read (above), and the
 * escapes below, which Test::Harness honoured long before TAP 14 wrote
 * them down. */

/* Writes s as a TAP description (hash 1) or directive reason (hash 0),
 * newlines dropped. TAP 14 reads "\#" as '#' and "\\" as '\', and any other
 * backslash as itself; TAP::Parser honours "\#" (no directive there) but
 * shows both escapes as written. So a '\' is doubled only before a '#' or
 * another '\', where TAP 14 needs it; a description's '#' is "\#", so that
 * it starts no directive, while a reason's is left alone: after "# SKIP"
 * it is text to both readers, and prove shows "#if", not "\#if". */
static void S_tap_text(FILE *out, const char *s, int hash)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r')
            continue;
        const char *next = s + 1 + strspn(s + 1, "\n\r"); /* as written */
        if ((*s == '#' && hash) ||
            (*s == '\\' && (*next == '\\' || *next == '#')))
            fputc('\\', out);
        fputc(*s, out);
    }
}

/* Writes the YAML diagnostics of a test that did not pass. */
static void S_tap_yaml(FILE *out, const S_item *x)
{
    char *msg = S_message(x);
    const galley__failure *f = x->v && x->v->n_fails ? &x->v->fails[0] : NULL;
    fputs("  ---\n  message: ", out);
    S_YSTR(out, msg);
    fprintf(out, "\n  severity: %s\n  file: ",
            x->status == S_ERROR ? "error" : "fail");
    S_YSTR(out, f ? f->file : x->file);
    fprintf(out, "\n  line: %d\n", f ? f->line : x->line);
    fprintf(out, "  duration_ms: %ld\n", x->ms);
    if (x->v && !x->log) {
        size_t n;
        char *d = S_details(x, &n);
        S_yaml_text(out, 2, "diff", d, n);
        free(d);
    }
    if (x->log && *x->log)
        S_yaml_text(out, 2, "log", x->log, strlen(x->log));
    if (x->v && x->v->err_len)
        S_yaml_text(out, 2, "stderr", x->v->err, x->v->err_len);
    fputs("  ...\n", out);
    free(msg);
}

static void S_tap(FILE *out, const S_items *it)
{
    fprintf(out, "TAP version 13\n1..%zu\n", it->n);
    for (size_t i = 0; i < it->n; i++) {
        const S_item *x = &it->v[i];
        int bad = x->status == S_FAILED || x->status == S_ERROR;
        fprintf(out, "%sok %zu - ", bad ? "not " : "", i + 1);
        S_tap_text(out, x->file, 1);
        fputc(':', out);
        S_tap_text(out, x->name, 1);
        if (x->status == S_SKIPPED) {
            fputs(" # SKIP ", out);
            S_tap_text(out, x->message ? x->message : "", 0);
        }
        fputc('\n', out);
        if (bad)
            S_tap_yaml(out, x);
    }
}

/* ---- JUnit XML ---- */

static void S_xml_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    S_put(out, value, strlen(value), S_ESC_XML_ATTR);
    fputc('"', out);
}

/* Writes the class name of a test file: its path without ".c", with dots
 * for slashes (tests/io_test.c: tests.io_test), as JUnit readers group
 * classes into packages at the dots; a dot of the file's own name is '_'
 * (docs/guide.md: docs.guide_md). */
static void S_classname(FILE *out, const char *file)
{
    size_t n = strlen(file);
    if (n > 2 && !strcmp(file + n - 2, ".c"))
        n -= 2;
    while (n && (*file == '.' || *file == '/'))
        file++, n--;
    char *c = galley__xstrndup(file, n);
    char *base = strrchr(c, '/');
    for (char *p = base ? base : c; *p; p++)
        if (*p == '.')
            *p = '_';
    for (char *p = c; *p; p++)
        if (*p == '/')
            *p = '.';
    S_xml_attr(out, "classname", c);
    free(c);
}

static const char *S_fail_type(const galley__verdict *v)
{
    static const char *const types[] = {"mismatch", "trailing", "varying",
                                        "not-reached", "ended", "truncated",
                                        "error", "leak"};
    return types[v->fails[0].kind];
}

/* Writes the child element of a testcase that did not pass. */
static void S_junit_outcome(FILE *out, const S_item *x)
{
    char *msg = S_message(x);
    const char *tag = x->status == S_SKIPPED ? "skipped"
                    : x->status == S_ERROR ? "error" : "failure";
    fprintf(out, "      <%s", tag);
    S_xml_attr(out, "message", msg);
    if (x->status != S_SKIPPED)
        S_xml_attr(out, "type", x->log ? "compile" : x->v ? S_fail_type(x->v)
                                                          : "error");
    size_t n = 0;
    char *d = x->status == S_FAILED ? S_details(x, &n) : NULL;
    const char *body = d ? d : x->log;
    if (body && *body) {
        fputc('>', out);
        S_put(out, body, d ? n : strlen(body), S_ESC_XML_TEXT);
        fprintf(out, "</%s>\n", tag);
    } else {
        fputs("/>\n", out);
    }
    free(d);
    free(msg);
}

/* Writes one <testcase>; with locations, the file and line attributes
 * of the TEST that GitLab and pytest's xunit1 family write (the schemas
 * of Jenkins's xUnit and Surefire reject them). */
static void S_junit_case(FILE *out, const S_item *x, int locations)
{
    char line[24], time[32];
    snprintf(line, sizeof line, "%d", x->line);
    snprintf(time, sizeof time, "%.3f", (double)x->ms / 1000);
    fputs("    <testcase", out);
    S_classname(out, x->file);
    S_xml_attr(out, "name", x->name);
    if (locations) {
        S_xml_attr(out, "file", x->file);
        S_xml_attr(out, "line", line);
    }
    S_xml_attr(out, "time", time);
    if (x->status == S_PASSED) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    S_junit_outcome(out, x);
    if (x->v && x->v->err_len) {
        fputs("      <system-err>", out);
        S_put(out, x->v->err, x->v->err_len, S_ESC_XML_TEXT);
        fputs("</system-err>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* Writes the counts and time attributes of a suite of items (skipped
 * only for a <testsuite>: junit-10.xsd has no such total on
 * <testsuites>). */
static void S_junit_counts(FILE *out, const S_items *it, int skipped)
{
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", it->n,
            it->count[S_FAILED], it->count[S_ERROR]);
    if (skipped)
        fprintf(out, " skipped=\"%zu\"", it->count[S_SKIPPED]);
    fprintf(out, " time=\"%.3f\"", (double)it->ms / 1000);
}

/* Returns when the run's first JUnit report was written, in UTC as
 * xs:dateTime spells it (2026-01-31T12:00:00Z): every report of a run
 * (--junit, XML_OUTPUT_FILE) holds the same bytes. */
static const char *S_junit_timestamp(void)
{
    static char stamp[32];
    if (!*stamp) {
        time_t now = time(NULL);
        struct tm tm;
        if (!gmtime_r(&now, &tm) ||
            !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
            snprintf(stamp, sizeof stamp, "1970-01-01T00:00:00Z");
    }
    return stamp;
}

/* Writes a suite's <properties>: the host that ran it. Surefire's schema
 * has no hostname attribute on <testsuite> (junit-10.xsd has), so it is
 * a property, which both schemas allow. */
static void S_junit_properties(FILE *out)
{
    char host[256] = "";
    if (gethostname(host, sizeof host) != 0 || !*host)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0'; /* gethostname may truncate unended */
    fputs("    <properties>\n      <property", out);
    S_xml_attr(out, "name", "hostname");
    S_xml_attr(out, "value", host);
    fputs("/>\n    </properties>\n", out);
}

/* Writes the <testsuite> of the items it[i..j), one test file's. */
static void S_junit_suite(FILE *out, const S_items *it, size_t i, size_t j,
                          int locations)
{
    S_items suite = {.v = it->v + i, .n = j - i};
    for (size_t k = i; k < j; k++) {
        suite.count[it->v[k].status]++;
        suite.ms += it->v[k].ms;
    }
    fputs("  <testsuite", out);
    S_xml_attr(out, "name", it->v[i].file);
    S_junit_counts(out, &suite, 1);
    S_xml_attr(out, "timestamp", S_junit_timestamp());
    fputs(">\n", out);
    S_junit_properties(out);
    for (size_t k = i; k < j; k++)
        S_junit_case(out, &it->v[k], locations);
    fputs("  </testsuite>\n", out);
}

/* Writes one <testsuite> per test file, in order. Each is valid against
 * Jenkins xUnit's junit-10.xsd and, on its own, Maven Surefire's
 * surefire-test-report.xsd (tests/support/junit/). */
static void S_junit(FILE *out, const S_items *it)
{
    const char *loc = getenv("GALLEY_JUNIT_LOCATIONS");
    int locations = loc && *loc && strcmp(loc, "0") != 0;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
    S_xml_attr(out, "name", "galley");
    S_junit_counts(out, it, 0);
    fputs(">\n", out);
    for (size_t i = 0; i < it->n;) {
        size_t j = i;
        while (j < it->n && !strcmp(it->v[j].file, it->v[i].file))
            j++;
        S_junit_suite(out, it, i, j, locations);
        i = j;
    }
    fputs("</testsuites>\n", out);
}

/* ---- JSON lines ---- */

static void S_json_failures(FILE *out, const galley__verdict *v)
{
    fputs(",\"failures\":[", out);
    for (size_t i = 0; i < v->n_fails; i++) {
        const galley__failure *f = &v->fails[i];
        fputs(i ? ",{\"file\":" : "{\"file\":", out);
        S_JSTR(out, f->file);
        fprintf(out, ",\"line\":%d,\"what\":", f->line);
        S_JSTR(out, f->what);
        fputs(",\"expected\":", out);
        S_json_str(out, f->expected, f->expected_len);
        fputs(",\"actual\":", out);
        S_json_str(out, f->actual, f->actual_len);
        fputc('}', out);
    }
    fputc(']', out);
}

/* The version of the JSON lines' schema, in every record: it changes
 * when a field changes meaning or goes (a field added does not). */
#define S_JSON_SCHEMA 1

static void S_json_item(FILE *out, const S_item *x)
{
    fprintf(out, "{\"schema\":%d,\"type\":\"test\",\"file\":",
            S_JSON_SCHEMA);
    S_JSTR(out, x->file);
    fprintf(out, ",\"line\":%d,\"test\":", x->line);
    S_JSTR(out, x->v ? x->v->name : x->name);
    if (x->v && x->v->device) /* the run of a test with .devices */
        fprintf(out, ",\"device\":\"%s\"",
                galley__device_word(x->v->device));
    fprintf(out, ",\"status\":\"%s\",\"duration_ms\":%ld",
            S_status_names[x->status], x->ms);
    if (x->v && x->v->cached) /* duration_ms is then the run it came from */
        fputs(",\"cached\":true", out);
    if (x->v && x->v->n_fails)
        S_json_failures(out, x->v);
    if (x->message) {
        fputs(x->status == S_SKIPPED ? ",\"reason\":" : ",\"message\":", out);
        S_JSTR(out, x->message);
    }
    if (x->log) {
        fputs(",\"log\":", out);
        S_JSTR(out, x->log);
    }
    if (x->v && x->v->n_fails && x->v->err_len) {
        fputs(",\"stderr\":", out);
        S_json_str(out, x->v->err, x->v->err_len);
    }
    fputs("}\n", out);
}

/* The last record: the totals, as the summary line counts them (failed
 * holds the tests that did not compile too, which errors counts apart). */
static void S_json_summary(FILE *out, const S_items *it)
{
    size_t cached = 0;
    for (size_t i = 0; i < it->n; i++)
        cached += it->v[i].v && it->v[i].v->cached;
    fprintf(out, "{\"schema\":%d,\"type\":\"summary\",\"tests\":%zu,"
                 "\"passed\":%zu,\"failed\":%zu,\"errors\":%zu,"
                 "\"skipped\":%zu,\"cached\":%zu,\"duration_ms\":%ld}\n",
            S_JSON_SCHEMA, it->n, it->count[S_PASSED],
            it->count[S_FAILED] + it->count[S_ERROR], it->count[S_ERROR],
            it->count[S_SKIPPED], cached, it->ms);
}

/* ---- entry points ---- */

void galley__format_write(FILE *out, galley__format f, const galley__verdict *v,
                         size_t n, const galley__tally *t)
{
    S_items it;
    S_items_init(&it, v, n, t, f == GALLEY__FORMAT_JUNIT);
    if (f == GALLEY__FORMAT_TAP)
        S_tap(out, &it);
    else if (f == GALLEY__FORMAT_JUNIT)
        S_junit(out, &it);
    else if (f == GALLEY__FORMAT_JSON) {
        for (size_t i = 0; i < it.n; i++)
            S_json_item(out, &it.v[i]);
        S_json_summary(out, &it);
    }
    for (size_t i = 0; it.files && i < it.n; i++)
        free(it.files[i]);
    free(it.files);
    free(it.v);
    fflush(out);
}

int galley__format_junit_file(const char *path, const galley__verdict *v,
                             size_t n, const galley__tally *t)
{
    char *dir = galley__xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = galley__mkdirs(dir);
    }
    free(dir);
    FILE *out = rc == 0 ? fopen(path, "w") : NULL;
    if (out) {
        galley__format_write(out, GALLEY__FORMAT_JUNIT, v, n, t);
        rc = ferror(out) ? -EIO : 0;
        if (fclose(out) != 0 && rc == 0)
            rc = -errno;
    } else if (rc == 0) {
        rc = -errno;
    }
    if (rc != 0)
        galley__error_at(NULL, 0, "cannot write the JUnit report %s: %s",
                         path, strerror(-rc));
    return rc;
}

/* ---- GitHub Actions annotations ---- */

/* Writes s escaped as a workflow command's property value (prop 1) or
 * message (prop 0): '%', CR and LF always, ':' and ',' in properties. */
static void S_gh_put(FILE *out, const char *s, size_t n, int prop)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' || c == '\r' || c == '\n' ||
            (prop && (c == ':' || c == ',')))
            fprintf(out, "%%%02X", (unsigned char)c);
        else
            fputc(c, out);
    }
}

/* Writes one ::error line about display path file, named from the top of
 * the repository (t); line 0 leaves the line out. The message is head,
 * then at most max_lines lines of body. */
static void S_gh_error(FILE *out, const galley__tally *t, const char *file,
                       int line, const char *title, const char *head,
                       const char *body, size_t body_len)
{
    enum { max_lines = 12 };
    char *path = S_repo_path(t, file);
    fputs("::error file=", out);
    S_gh_put(out, path, strlen(path), 1);
    free(path);
    if (line > 0)
        fprintf(out, ",line=%d", line);
    fputs(",title=", out);
    S_gh_put(out, title, strlen(title), 1);
    fputs("::", out);
    S_gh_put(out, head, strlen(head), 0);
    const char *p = body, *end = body + body_len;
    for (int k = 0; p && p < end && k < max_lines; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        S_gh_put(out, "\n", 1, 0);
        S_gh_put(out, p, len, 0);
        p += len + 1;
    }
    if (p && p < end)
        S_gh_put(out, "\n...", 4, 0);
    fputc('\n', out);
}

/* Returns the line of the first diagnostic about file in a compiler log
 * ("FILE:LINE:", or the "In file included from FILE:LINE" of an error in
 * a header it includes), or 1. */
static int S_log_line(const char *log, const char *file)
{
    static const char inc[] = "In file included from ";
    size_t n = strlen(file), k = strlen(inc);
    for (const char *p = log; (p = strstr(p, file)); p += n) {
        int starts = p == log || p[-1] == '\n' ||
                     ((size_t)(p - log) >= k && !memcmp(p - k, inc, k) &&
                      (p - k == log || p[-k - 1] == '\n'));
        if (starts && p[n] == ':' && p[n + 1] >= '1' && p[n + 1] <= '9')
            return atoi(p + n + 1);
    }
    return 1;
}

/* Annotates each failure of a failed verdict at its own line. */
static void S_gh_verdict(FILE *out, const galley__verdict *v,
                         const galley__tally *t)
{
    for (size_t i = 0; i < v->n_fails; i++) {
        const galley__failure *f = &v->fails[i];
        char *diff = NULL;
        size_t n = 0;
        FILE *m = open_memstream(&diff, &n);
        if (!m)
            galley__xmalloc((size_t)-1); /* aborts: out of memory */
        galley__report_diff(m, f, 0);
        fclose(m);
        /* A crash has no diff: its stderr says more. */
        int err = !f->expected && !f->actual && v->err_len;
        S_gh_error(out, t, f->file, f->line, v->shown, f->what,
                   err ? v->err : diff, err ? v->err_len : n);
        free(diff);
    }
}

void galley__format_github(FILE *out, const galley__verdict *v, size_t n,
                          const galley__tally *t)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].n_fails && !S_broken_log(t, v[i].file))
            S_gh_verdict(out, &v[i], t);
    for (size_t i = 0; i < t->n_broken; i++)
        S_gh_error(out, t, t->broken[i], S_log_line(t->logs[i], t->broken[i]),
                   "compile error", "did not compile", t->logs[i],
                   strlen(t->logs[i]));
    for (size_t i = 0; i < t->n_items; i++)
        if (t->items[i].error)
            S_gh_error(out, t, t->items[i].file, t->items[i].line,
                       t->items[i].name, t->items[i].message, NULL, 0);
    fflush(out);
}
