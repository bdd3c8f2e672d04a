/*  fuzz_engine.c: the engine under libFuzzer, checking invariants, not only
 *  crashes.
 *
 *  Every input is linted three times, twice in Chinese and once in English,
 *  and must give:
 *   (1) a model that passes gl_doc_check();
 *   (2) diagnostics with a code, a rule and a message, sorted by span start,
 *       each span inside the normalised text (the input, when it could not
 *       be decoded) and each position 1-based, with byte offsets inside the
 *       input and start <= end;
 *   (3) the same diagnostics each time (code, span, severity): linting is
 *       deterministic and the language changes the words, not the findings.
 *  The sanitizers see the rest (memory errors, leaks of the document arena).
 *
 *  Built with GL_FUZZING_ENGINE it is a libFuzzer target (tests/fuzz/
 *  CMakeLists.txt); without, main() replays every file of a directory
 *  through the same checks, which is how CTest runs the seed corpus
 *  (fuzz_replay) in every build.  Failures abort(): assert() would vanish
 *  under NDEBUG.
 */
#include <gidlint/gidlint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define S_CHECK(cond)                                                      \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__,    \
                     __LINE__, #cond);                                     \
            abort ();                                                      \
        }                                                                  \
    } while (0)

/*  Checks invariants (1) and (2) of one document.                          */
static void
s_check_doc (const gl_doc_t *doc, size_t size)
{
    S_CHECK (gl_doc_check (doc));
    /* A document that was never decoded (bad encoding, too large) has no
     * text; its diagnostics' spans are in input bytes (gl_doc_pos()).       */
    gl_doc_status_t status = gl_doc_status (doc);
    size_t text_len, n;
    (void) gl_doc_text (doc, &text_len);
    if (status == GL_DOC_BAD_ENCODING || status == GL_DOC_TOO_LARGE)
        text_len = size;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    S_CHECK (n == 0 || d);
    for (size_t i = 0; i < n; i++) {
        S_CHECK (d[i].code && d[i].rule && d[i].message);
        S_CHECK (strcmp (d[i].code, d[i].rule->code) == 0);
        S_CHECK (d[i].severity >= GL_SEV_INFO
                 && d[i].severity <= GL_SEV_ERROR);
        S_CHECK (d[i].span.start <= d[i].span.end);
        S_CHECK (d[i].span.end <= text_len);
        S_CHECK (i == 0 || d[i - 1].span.start <= d[i].span.start);
        const gl_pos_t *p = &d[i].pos;
        S_CHECK (p->line >= 1 && p->column >= 1);
        S_CHECK (p->end_line > p->line
                 || (p->end_line == p->line && p->end_column >= p->column));
        S_CHECK (p->byte_start <= p->byte_end && p->byte_end <= size);
    }
}

/*  Invariant (3): a and b found the same things.                           */
static void
s_check_same (const gl_doc_t *a, const gl_doc_t *b)
{
    size_t na, nb;
    const gl_diag_t *da = gl_doc_diags (a, &na);
    const gl_diag_t *db = gl_doc_diags (b, &nb);
    S_CHECK (na == nb);
    for (size_t i = 0; i < na; i++) {
        S_CHECK (strcmp (da[i].code, db[i].code) == 0);
        S_CHECK (da[i].severity == db[i].severity);
        S_CHECK (da[i].span.start == db[i].span.start
                 && da[i].span.end == db[i].span.end);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    gl_engine_t *engine = gl_engine_new ();
    gl_doc_t *docs[3] = { NULL, NULL, NULL };
    static const gl_lang_t langs[3] = { GL_LANG_ZH, GL_LANG_ZH, GL_LANG_EN };
    bool ok = engine != NULL;
    for (int i = 0; i < 3 && ok; i++) {
        /* Out of memory is the one acceptable failure.                    */
        gl_err_t err = gl_engine_lint (engine, data, size, langs[i], &docs[i]);
        S_CHECK (err == GL_OK || err == GL_ENOMEM);
        ok = err == GL_OK;
        if (ok)
            s_check_doc (docs[i], size);
    }
    if (ok) {
        s_check_same (docs[0], docs[1]);
        s_check_same (docs[0], docs[2]);
    }
    for (int i = 0; i < 3; i++)
        gl_doc_destroy (&docs[i]);
    gl_engine_destroy (&engine);
    return 0;
}

#ifndef GL_FUZZING_ENGINE
/*  Replay: every regular file of a directory through the target.           */
#include <dirent.h>
#include <sys/stat.h>

static int
s_replay_file (const char *path)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        return -1;
    uint8_t *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *bigger = realloc (data, cap);
            if (!bigger)
                break;
            data = bigger;
        }
        size_t got = fread (data + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int rc = ferror (f) || len == cap ? -1 : 0;
    fclose (f);
    if (rc == 0)
        LLVMFuzzerTestOneInput (data, len);
    free (data);
    return rc;
}

int
main (int argc, char **argv)
{
    char fallback[4096];
    const char *dir = argc > 1 ? argv[1] : NULL;
    if (!dir) {
        const char *src = getenv ("GL_SOURCE_DIR");
        snprintf (fallback, sizeof fallback, "%s/tests/fuzz/corpus",
                  src ? src : ".");
        dir = fallback;
    }
    DIR *d = opendir (dir);
    if (!d) {
        perror (dir);
        return 2;
    }
    int n = 0, failed = 0;
    for (struct dirent *e; (e = readdir (d)) != NULL;) {
        char path[4096];
        struct stat st;
        int len = snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t) len >= sizeof path
            || stat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
        printf ("  %s\n", path);     /* names the one that aborts        */
        fflush (stdout);
        if (s_replay_file (path) != 0) {
            fprintf (stderr, "%s: cannot read\n", path);
            failed++;
        }
        n++;
    }
    closedir (d);
    printf ("replayed %d inputs from %s\n", n - failed, dir);
    return failed || n == 0 ? 1 : 0;
}
#endif
