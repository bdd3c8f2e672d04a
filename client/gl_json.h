/*  gl_json.h: a linted document as a JSON object.
 *
 *  The one place that decides which fields a document and its diagnostics
 *  have on the outside: the CLI's --format json writes these objects one per
 *  line, and the daemon sends the same field set in MessagePack, which
 *  gl_cli_msgpack_json() turns back into JSON.
 */
#ifndef GIDLINT_CLI_JSON_H_INCLUDED
#define GIDLINT_CLI_JSON_H_INCLUDED

#include <gidlint/gidlint.h>
#include <jansson.h>
#include <msgpack.h>

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

/*  Any decoded MessagePack object as JSON, generically (the client's view of
 *  a wire message): map -> object, array -> array, str -> string (bytes
 *  that are not UTF-8 become U+FFFD), bin -> base64 string, integers ->
 *  integers (beyond the int64 range, as a decimal string: jansson holds
 *  int64), float -> real (not finite: null), bool, nil and ext -> null.
 *  A map key that is not a string is written as its text (an integer, true,
 *  false, null) or, when it is an array or map, the entry is left out.
 *  Caller owns the result; NULL when out of memory.                        */
json_t *gl_cli_msgpack_json (const msgpack_object *o);

#endif
