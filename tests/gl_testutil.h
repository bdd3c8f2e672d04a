/*  gl_testutil.h: helpers shared by the CMocka tests.
 *
 *  Fixtures are read relative to the source tree (CTest runs the tests
 *  there; GL_SOURCE_DIR overrides).  A test document is usually a fixture
 *  with a few string replacements applied: gl_t_mutate().
 */
#ifndef GL_TESTUTIL_H_INCLUDED
#define GL_TESTUTIL_H_INCLUDED

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gidlint/gidlint.h"

/*  Reads a file below the source tree; the caller frees.  Fails the test
 *  if it cannot be read.                                                   */
static inline char *
gl_t_read (const char *rel, size_t *len)
{
    const char *root = getenv ("GL_SOURCE_DIR");
    char path[4096];
    snprintf (path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen (path, "rb");
    if (!f)
        fail_msg ("cannot open %s", path);
    fseek (f, 0, SEEK_END);
    long n = ftell (f);
    rewind (f);
    char *buf = malloc ((size_t) n + 1);
    assert_non_null (buf);
    assert_int_equal (fread (buf, 1, (size_t) n, f), (size_t) n);
    buf[n] = '\0';
    fclose (f);
    if (len)
        *len = (size_t) n;
    return buf;
}

/*  Replaces the first occurrence of from with to in *s (reallocated).
 *  Fails the test if from does not occur: a mutation that changes nothing
 *  would make a test that cannot fail.                                     */
static inline void
gl_t_replace (char **s, const char *from, const char *to)
{
    char *at = strstr (*s, from);
    if (!at)
        fail_msg ("mutation target not found: %s", from);
    size_t pre = (size_t) (at - *s), fl = strlen (from), tl = strlen (to);
    size_t rest = strlen (at + fl);
    char *out = malloc (pre + tl + rest + 1);
    assert_non_null (out);
    memcpy (out, *s, pre);
    memcpy (out + pre, to, tl);
    memcpy (out + pre + tl, at + fl, rest + 1);
    free (*s);
    *s = out;
}

/*  Lints text with a fresh engine; the caller destroys the document.      */
static inline gl_doc_t *
gl_t_lint_n (const char *text, size_t len, gl_lang_t lang)
{
    gl_engine_t *e = gl_engine_new ();
    assert_non_null (e);
    gl_doc_t *doc = NULL;
    assert_int_equal (gl_engine_lint (e, text, len, lang, &doc), GL_OK);
    gl_engine_destroy (&e);
    assert_true (gl_doc_check (doc));
    return doc;
}

static inline gl_doc_t *
gl_t_lint (const char *text)
{
    return gl_t_lint_n (text, strlen (text), GL_LANG_ZH);
}

/*  The first diagnostic with code, or NULL.                               */
static inline const gl_diag_t *
gl_t_find (const gl_doc_t *doc, const char *code)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp (d[i].code, code) == 0)
            return &d[i];
    return NULL;
}

static inline size_t
gl_t_count (const gl_doc_t *doc, const char *code)
{
    size_t n, k = 0;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        k += code == NULL || strcmp (d[i].code, code) == 0;
    return k;
}

/*  Prints every diagnostic: for failing tests.                             */
static inline void
gl_t_dump (const gl_doc_t *doc)
{
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        print_message ("  %u:%u %s %s\n", d[i].pos.line, d[i].pos.column,
                       d[i].code, d[i].message);
}

#endif
