/*  gl_json.c: a linted document as a JSON object (see gl_json.h).
 *
 *  json_object_set_new() takes the value's reference even when it fails, and
 *  fails on a NULL value (a constructor out of memory, or a string that is
 *  not UTF-8), so each setter below is one call that cannot leak; the results
 *  are or-ed together and any failure drops the whole object rather than
 *  handing out a document with a field silently missing.
 */
#include "gl_json.h"

static int
s_set_str (json_t *obj, const char *key, const char *value)
{
    return value ? json_object_set_new (obj, key, json_string (value)) : 0;
}

static int
s_set_int (json_t *obj, const char *key, json_int_t value)
{
    return json_object_set_new (obj, key, json_integer (value));
}

static int
s_set_section (json_t *obj, const char *key, gl_section_id_t id)
{
    return id == GL_SEC_NONE ? 0
                             : s_set_str (obj, key, gl_section_numeral (id));
}

static int
s_set_value (json_t *obj, const char *key, const gl_value_t *value)
{
    switch (value->kind) {
    case GL_VAL_INT:
        return s_set_int (obj, key, (json_int_t) value->i);
    case GL_VAL_NUM:
        return json_object_set_new (obj, key, json_real (value->d));
    case GL_VAL_STR:
        return s_set_str (obj, key, value->s);
    case GL_VAL_NONE:
        break;
    }
    return 0;
}

json_t *
gl_cli_diag_json (const gl_diag_t *diag)
{
    json_t *obj = json_object ();
    if (!obj)
        return NULL;
    int rc = 0;
    rc |= s_set_str (obj, "code", diag->code);
    rc |= s_set_str (obj, "name", diag->rule ? diag->rule->name : NULL);
    rc |= s_set_str (obj, "severity", gl_severity_name (diag->severity));
    rc |= s_set_str (obj, "message", diag->message);
    rc |= s_set_int (obj, "line", diag->pos.line);
    rc |= s_set_int (obj, "column", diag->pos.column);
    rc |= s_set_int (obj, "end_line", diag->pos.end_line);
    rc |= s_set_int (obj, "end_column", diag->pos.end_column);
    rc |= s_set_int (obj, "byte_start", (json_int_t) diag->pos.byte_start);
    rc |= s_set_int (obj, "byte_end", (json_int_t) diag->pos.byte_end);
    rc |= s_set_section (obj, "section", diag->section);
    rc |= s_set_section (obj, "table", diag->table);
    rc |= s_set_str (obj, "row", diag->row);
    rc |= s_set_str (obj, "column_label", diag->column);
    rc |= s_set_value (obj, "expected", &diag->expected);
    rc |= s_set_value (obj, "actual", &diag->actual);
    if (rc != 0) {
        json_decref (obj);
        return NULL;
    }
    return obj;
}

json_t *
gl_cli_doc_json (const char *file, const gl_doc_t *doc)
{
    json_t *obj = json_object ();
    json_t *diags = json_array ();
    if (!obj || !diags) {
        json_decref (obj);
        json_decref (diags);
        return NULL;
    }
    int rc = s_set_str (obj, "file", file);
    rc |= s_set_str (obj, "title", gl_doc_title (doc, NULL));
    rc |= s_set_str (obj, "body", gl_doc_body (doc));
    if (gl_doc_year (doc) != 0)
        rc |= s_set_int (obj, "year", gl_doc_year (doc));
    if (gl_doc_edition (doc) != GL_EDITION_UNKNOWN)
        rc |= s_set_int (obj, "edition", (json_int_t) gl_doc_edition (doc));

    size_t n;
    const gl_diag_t *d = gl_doc_diags (doc, &n);
    for (size_t i = 0; i < n; i++)
        rc |= json_array_append_new (diags, gl_cli_diag_json (&d[i]));
    /* Last, so that it comes last in the output; this consumes diags.      */
    rc |= json_object_set_new (obj, "diagnostics", diags);
    if (rc != 0) {
        json_decref (obj);
        return NULL;
    }
    return obj;
}
