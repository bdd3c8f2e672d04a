/*  gidlint.h: the public interface of the gidlint engine.
 *
 *  The engine turns the bytes of one government information disclosure
 *  annual report (政府信息公开工作年度报告) into a read-only document model
 *  and a list of diagnostics.  It is a pure library: no I/O, no sockets, no
 *  threads, no global state.  An engine handle is immutable once configured,
 *  so several threads may lint with the same handle at once.
 *
 *  Ownership: every pointer reachable from a gl_doc_t is owned by that
 *  document and stays valid until gl_doc_destroy().
 *
 *  Positions: every diagnostic and every model element carries a span of
 *  byte offsets into the document's normalised text.  gl_doc_pos() turns a
 *  span into a line and column (1-based, counted in Unicode characters of the
 *  text as sent, CR LF counting as one line end) plus byte offsets into the
 *  original input bytes.  End positions are exclusive.
 */
#ifndef GIDLINT_H_INCLUDED
#define GIDLINT_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GL_VERSION_MAJOR 0
#define GL_VERSION_MINOR 1
#define GL_VERSION_PATCH 0
#define GL_VERSION_STRING "0.1.0"

/*  Errors: "the engine could not do the work".  A defect in the document is
 *  never an error; it is a diagnostic.                                      */
#define GL_ERR_MAP(XX)                                   \
    XX(OK, "success")                                    \
    XX(ENOMEM, "out of memory")                          \
    XX(EINVAL, "invalid argument")                       \
    XX(ENOENT, "no such rule")                           \
    XX(EPROTO, "malformed message")

typedef enum {
#define GL_ERR_ENUM(name, text) GL_##name,
    GL_ERR_MAP(GL_ERR_ENUM)
#undef GL_ERR_ENUM
} gl_err_t;

/*  Returns a static English description of err.                             */
const char *gl_strerror (gl_err_t err);
/*  Returns the static name of err, e.g. "ENOMEM".                           */
const char *gl_err_name (gl_err_t err);

typedef enum {
    GL_SEV_OFF = 0,             /* rule disabled                              */
    GL_SEV_INFO = 1,
    GL_SEV_WARNING = 2,
    GL_SEV_ERROR = 3
} gl_severity_t;

/*  Returns "info", "warning", "error" (or "off").                           */
const char *gl_severity_name (gl_severity_t sev);
/*  Parses a severity name; returns -1 for an unknown one.                   */
int gl_severity_parse (const char *name);

typedef enum { GL_LANG_ZH = 0, GL_LANG_EN = 1 } gl_lang_t;

typedef enum {
    GL_EDITION_UNKNOWN = 0,
    GL_EDITION_2019 = 2019,     /* 国办公开办函〔2019〕60号                    */
    GL_EDITION_2021 = 2021      /* 国办公开办函〔2021〕30号                    */
} gl_edition_t;

/*  A span of the normalised text: [start, end) in bytes.                    */
typedef struct {
    uint32_t start;
    uint32_t end;
} gl_span_t;

/*  A resolved position.  line/column are 1-based, columns count Unicode
 *  characters; end_line/end_column point just past the span.  byte_start and
 *  byte_end are offsets into the original input.                            */
typedef struct {
    uint32_t line;
    uint32_t column;
    uint32_t end_line;
    uint32_t end_column;
    uint64_t byte_start;
    uint64_t byte_end;
} gl_pos_t;

typedef struct gl_doc gl_doc_t;
typedef struct gl_engine gl_engine_t;
typedef struct gl_rule gl_rule_t;

#ifdef __cplusplus
}
#endif

#include "gl_doc.h"
#include "gl_diag.h"
#include "gl_rule.h"
#include "gl_engine.h"

#endif
