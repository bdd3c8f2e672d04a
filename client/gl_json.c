/*  gl_json.c: a linted document as a JSON object (see gl_json.h).
 *
 *  Which fields a document and a diagnostic have is decided in one place,
 *  gl_doc_fields() and gl_diag_fields() of the engine; this file only writes
 *  them with jansson.  json_object_set_new() takes the value's reference even
 *  when it fails, and fails on a NULL value (out of memory, or a string that
 *  is not UTF-8), so a failure is remembered and drops the whole object
 *  rather than handing out a document with a field silently missing.
 */
#include "gl_json.h"

typedef struct {
    json_t *obj;
    int rc;
} gl_jctx_t;

static void
s_str (void *ctx, const char *key, const char *value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_string (value));
}

static void
s_num (void *ctx, const char *key, int64_t value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_integer ((json_int_t) value));
}

static void
s_real (void *ctx, const char *key, double value)
{
    gl_jctx_t *j = ctx;
    j->rc |= json_object_set_new (j->obj, key, json_real (value));
}

static const gl_field_sink_t s_sink = { s_str, s_num, s_real };

json_t *
gl_cli_diag_json (const gl_diag_t *diag)
{
    gl_jctx_t j = { json_object (), 0 };
    if (!j.obj)
        return NULL;
    gl_diag_fields (diag, &s_sink, &j);
    if (j.rc != 0) {
        json_decref (j.obj);
        return NULL;
    }
    return j.obj;
}

json_t *
gl_cli_doc_json (const char *file, const gl_doc_t *doc)
{
    gl_jctx_t j = { json_object (), 0 };
    json_t *diags = json_array ();
    if (!j.obj || !diags) {
        json_decref (j.obj);
        json_decref (diags);
        return NULL;
    }
    if (file)
        s_str (&j, "file", file);
    gl_doc_fields (doc, &s_sink, &j);
    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        j.rc |= json_array_append_new (diags, gl_cli_diag_json (&d[i]));
    /* Last, so that it comes last in the output; this consumes diags. */
    j.rc |= json_object_set_new (j.obj, "diagnostics", diags);
    if (j.rc != 0) {
        json_decref (j.obj);
        return NULL;
    }
    return j.obj;
}
