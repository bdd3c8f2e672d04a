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
 *  Linked with -fsanitize=fuzzer it is a libFuzzer target (tests/fuzz/
 *  CMakeLists.txt); linked with replay_main.c it replays every file of a
 *  directory through the same checks, which is how CTest runs the seed corpus
 *  (fuzz_replay) in every build.  Failures abort(): assert() would vanish
 *  under NDEBUG.
 */
#include <gidlint/gidlint.h>

#include "gl_fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
