/*  gl_json.h: a linted document as a JSON object.
 *
 *  The one place that decides which fields a document and its diagnostics
 *  have on the outside: the CLI's --format json writes these objects one per
 *  line, and the daemon will send the same field set.
 */
#ifndef GIDLINT_CLI_JSON_H_INCLUDED
#define GIDLINT_CLI_JSON_H_INCLUDED

#include <gidlint/gidlint.h>
#include <jansson.h>

/*  Builds {"file", "title", "body", "year", "edition", "diagnostics": [...]}
 *  for doc.  Absent fields are omitted, never null: a NULL title or body, year
 *  0, edition unknown, no section, no table, no row or column label, and
 *  expected/actual of kind GL_VAL_NONE.  file may be NULL (omitted too).
 *  Returns a new reference the caller owns (json_decref()), or NULL when out
 *  of memory.                                                               */
json_t *gl_cli_doc_json (const char *file, const gl_doc_t *doc);

/*  One diagnostic as a JSON object (the elements of "diagnostics").  Caller
 *  owns the result; NULL when out of memory.                                */
json_t *gl_cli_diag_json (const gl_diag_t *diag);

#endif
