/*  consistency.c: GID4xx consistency: prose against tables, years.
 *  (stub: descriptors only, checks to be written.) */
#include "gl_internal.h"

static void
check_gid401 (const gl_doc_t *doc, gl_emit_t *out)
{
    (void) doc;
    (void) out;
}

const gl_rule_t gl_rule_gid401 = {
    .code = "GID401",
    .name = "narrative-table",
    .severity = GL_SEV_ERROR,
    .summary_zh = "TODO",
    .summary_en = "TODO",
    .doc_zh = "TODO",
    .doc_en = "TODO",
    .example = "TODO",
    .check = check_gid401,
};

static void
check_gid402 (const gl_doc_t *doc, gl_emit_t *out)
{
    (void) doc;
    (void) out;
}

const gl_rule_t gl_rule_gid402 = {
    .code = "GID402",
    .name = "year-mismatch",
    .severity = GL_SEV_WARNING,
    .summary_zh = "TODO",
    .summary_en = "TODO",
    .doc_zh = "TODO",
    .doc_en = "TODO",
    .example = "TODO",
    .check = check_gid402,
};

static void
check_gid403 (const gl_doc_t *doc, gl_emit_t *out)
{
    (void) doc;
    (void) out;
}

const gl_rule_t gl_rule_gid403 = {
    .code = "GID403",
    .name = "none-but-counted",
    .severity = GL_SEV_ERROR,
    .summary_zh = "TODO",
    .summary_en = "TODO",
    .doc_zh = "TODO",
    .doc_en = "TODO",
    .example = "TODO",
    .check = check_gid403,
};
