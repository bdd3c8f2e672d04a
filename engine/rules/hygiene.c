/*  hygiene.c: GID5xx hygiene: conversion debris, personal data.
 *  (stub: descriptors only, checks to be written.) */
#include "gl_internal.h"

static void
check_gid501 (const gl_doc_t *doc, gl_emit_t *out)
{
    (void) doc;
    (void) out;
}

const gl_rule_t gl_rule_gid501 = {
    .code = "GID501",
    .name = "extraction-noise",
    .severity = GL_SEV_WARNING,
    .summary_zh = "TODO",
    .summary_en = "TODO",
    .doc_zh = "TODO",
    .doc_en = "TODO",
    .example = "TODO",
    .check = check_gid501,
};

static void
check_gid502 (const gl_doc_t *doc, gl_emit_t *out)
{
    (void) doc;
    (void) out;
}

const gl_rule_t gl_rule_gid502 = {
    .code = "GID502",
    .name = "personal-data",
    .severity = GL_SEV_ERROR,
    .summary_zh = "TODO",
    .summary_en = "TODO",
    .doc_zh = "TODO",
    .doc_en = "TODO",
    .example = "TODO",
    .check = check_gid502,
};
