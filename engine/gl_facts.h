/*  gl_facts.h: figures and statements found in narrative prose.
 *
 *  Reports restate their tables in words ("共收到政府信息公开申请6件",
 *  "行政复议1件", "未被提起行政复议、行政诉讼", "合计910条。其中…").  The
 *  scanner finds such statements in one line of normalised text and hands
 *  each to a callback; the consistency rules compare them with the tables.
 *  It is pure: no allocation, no state kept between calls.
 */
#ifndef GL_FACTS_H_INCLUDED
#define GL_FACTS_H_INCLUDED

#include "gl_internal.h"

typedef enum {
    GL_FACT_RECEIVED = 0,       /* applications received this year: value     */
    GL_FACT_RECEIVED_NONE,      /* "未收到…申请": none received               */
    GL_FACT_REVIEWS,            /* 行政复议 N 件: value                       */
    GL_FACT_SUITS,              /* 行政诉讼 N 件: value                       */
    GL_FACT_REVIEWS_NONE,       /* no 行政复议 ("未被提起行政复议")           */
    GL_FACT_SUITS_NONE,         /* no 行政诉讼                                */
    GL_FACT_ANSWER,             /* an answer kind and its count: answer, value */
    GL_FACT_ITEMISED,           /* a whole (value) and its parts              */
    GL_FACT_YEAR,               /* a year mentioned, "2021年": value          */
    GL_FACT_PERIOD              /* statistics period: value .. value2 (years) */
} gl_fact_kind_t;

typedef enum {
    GL_ANS_GRANTED = 0,         /* 予以公开 / 同意公开    -> （一）           */
    GL_ANS_PARTIAL,             /* 部分公开               -> （二）           */
    GL_ANS_DENIED,              /* 不予公开               -> Σ（三）          */
    GL_ANS_UNABLE,              /* 无法提供               -> Σ（四）          */
    GL_ANS_NOT_EXIST,           /* 信息不存在 / 不掌握    -> （四）1          */
    GL_ANS_NOT_HANDLED          /* 不予处理               -> Σ（五）          */
} gl_answer_t;

typedef struct {
    gl_fact_kind_t kind;
    gl_span_t span;             /* the figure (or the negation) in the text   */
    int64_t value;
    int64_t value2;
    gl_answer_t answer;         /* GL_FACT_ANSWER                             */
    int64_t parts_sum;          /* GL_FACT_ITEMISED: sum of the parts         */
    size_t n_parts;             /* GL_FACT_ITEMISED: how many parts           */
    char unit[8];               /* GL_FACT_ITEMISED: the unit, e.g. "条"      */
} gl_fact_t;

typedef void gl_fact_fn (const gl_fact_t *fact, void *ctx);

/*  The facts of a document's narrative, found once when it is parsed:
 *  each with the paragraph it was found in.                                */
typedef struct gl_doc_fact {
    gl_fact_t fact;
    const gl_para_t *para;
} gl_doc_fact_t;

/*  Scans every paragraph of doc and keeps the facts (gl_parse() calls it). */
gl_err_t gl_facts_collect (gl_doc_t *doc);
/*  The facts gl_facts_collect() kept, in text order.                       */
const gl_doc_fact_t *gl_doc_facts (const gl_doc_t *doc, size_t *n);

/*  Scans text[0, len) (valid UTF-8, normalised; it sits at byte offset base
 *  of the document's normalised text, so spans are base-relative) and calls
 *  fn once per fact, in text order.                                         */
void gl_facts_scan (const char *text, size_t len, uint32_t base,
                    gl_fact_fn *fn, void *ctx);

#endif
