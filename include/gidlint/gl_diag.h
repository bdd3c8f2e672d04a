/*  gl_diag.h: diagnostics, the engine's findings about a document.
 *
 *  A diagnostic is a value owned by its document: code, rule, severity, a
 *  message in the language asked for, a position, and where it applies the
 *  section, table, row and column, and the expected and actual values.
 */
#ifndef GIDLINT_DIAG_H_INCLUDED
#define GIDLINT_DIAG_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GL_VAL_NONE = 0,
    GL_VAL_INT,                 /* i                                          */
    GL_VAL_NUM,                 /* d (amounts)                                */
    GL_VAL_STR                  /* s, e.g. an edition "2021"                  */
} gl_val_kind_t;

typedef struct {
    gl_val_kind_t kind;
    int64_t i;
    double d;
    const char *s;
} gl_value_t;

typedef struct {
    const gl_rule_t *rule;      /* code, name, documentation                  */
    const char *code;           /* == rule->code, e.g. "GID301"               */
    gl_severity_t severity;     /* effective severity (after overrides)       */
    const char *message;        /* in the language of the lint call           */
    gl_span_t span;             /* in the normalised text                     */
    gl_pos_t pos;               /* resolved position                          */
    gl_section_id_t section;    /* GL_SEC_NONE when not in a section          */
    gl_section_id_t table;      /* the table's section, or GL_SEC_NONE        */
    const char *row;            /* canonical row label, or NULL               */
    const char *column;         /* column label, or NULL                      */
    gl_value_t expected;
    gl_value_t actual;
} gl_diag_t;

/*  Serialising: gl_diag_fields() calls the sink once per field of d that
 *  applies, absent ones skipped, in this order and with these names (the
 *  names of the JSON output and of the wire protocol): code, name,
 *  severity, message (str); line, column, end_line, end_column, byte_start,
 *  byte_end (int); section, table (str: the numeral 一…六); row,
 *  column_label (str); expected, actual (int, real or str).  With a NULL
 *  sink it only counts.  Returns the number of fields.                     */
typedef struct {
    void (*str) (void *ctx, const char *key, const char *value);
    void (*num) (void *ctx, const char *key, int64_t value);
    void (*real) (void *ctx, const char *key, double value);
} gl_field_sink_t;

size_t gl_diag_fields (const gl_diag_t *d, const gl_field_sink_t *sink,
                       void *ctx);
/*  The same for the document's own fields: title, body (str), year,
 *  edition (int); absent ones skipped.                                     */
size_t gl_doc_fields (const gl_doc_t *doc, const gl_field_sink_t *sink,
                      void *ctx);

/*  The diagnostics of doc, sorted by position then code.                   */
const gl_diag_t *gl_doc_diags (const gl_doc_t *doc, size_t *n);
/*  How many diagnostics of severity sev doc has.                           */
size_t gl_doc_count (const gl_doc_t *doc, gl_severity_t sev);

#ifdef __cplusplus
}
#endif
#endif
