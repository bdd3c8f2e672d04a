/*  gl_gen.h: a generator of synthetic annual reports, for benchmarks and
 *  tests.
 *
 *  gl_gen_report() writes one distinct, realistic 政府信息公开工作年度报告:
 *  a random issuing body, a report year 2019-2024 laid out in the edition
 *  that fits it, random but consistent figures (every identity of the
 *  format holds), narrative that restates them, in one of the layouts
 *  reports arrive in.  Optionally it injects defects and records the codes
 *  the engine is expected to report.
 *
 *  Deterministic: the same seed and options give the same bytes.  No
 *  global state; safe to call from several threads at once.
 */
#ifndef GL_GEN_H_INCLUDED
#define GL_GEN_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GL_GEN_LAYOUT_ANY = 0,      /* drawn from the seed                       */
    GL_GEN_LAYOUT_CELLS,        /* one cell per line, tab-indented           */
    GL_GEN_LAYOUT_TABS,         /* one row per line, tab-separated           */
    GL_GEN_LAYOUT_PIPES,        /* Markdown pipe tables, # headings          */
    GL_GEN_LAYOUT_SPACES,       /* cells separated by runs of spaces         */
    GL_GEN_LAYOUT_COUNT
} gl_gen_layout_t;

/*  Defects (bit mask).  Each names the code it provokes.                   */
enum {
    GL_GEN_D_ROW_TOTAL = 1u << 0,       /* GID301 (with GID302)              */
    GL_GEN_D_BALANCE = 1u << 1,         /* GID303                            */
    GL_GEN_D_PROSE = 1u << 2,           /* GID401                            */
    GL_GEN_D_MISSING_SECTION = 1u << 3, /* GID102                            */
    GL_GEN_D_LABEL = 1u << 4,           /* GID204                            */
    GL_GEN_D_MERGED = 1u << 5,          /* GID207 (forces the cells layout)  */
    GL_GEN_D_IMAGE = 1u << 6,           /* GID501                            */
    GL_GEN_D_EDITION = 1u << 7,         /* GID201                            */
    GL_GEN_D_COUNT = 8
};
#define GL_GEN_D_ALL ((1u << GL_GEN_D_COUNT) - 1u)

typedef struct {
    gl_gen_layout_t layout;     /* GL_GEN_LAYOUT_ANY: drawn from the seed    */
    unsigned defects;           /* GL_GEN_D_* mask; 0 for a clean report     */
    int year;                   /* 2019..2024, or 0: drawn from the seed     */
} gl_gen_opts_t;

#define GL_GEN_MAX_CODES 16

typedef struct {
    gl_gen_layout_t layout;     /* the layout written                       */
    int year;                   /* the report year                          */
    int edition;                /* the edition of the tables: 2019 or 2021  */
    size_t n_codes;             /* codes the engine must report             */
    char codes[GL_GEN_MAX_CODES][8];
    size_t n_also;              /* codes it may report besides (side
                                   effects of the defects, e.g. GID302 with
                                   a broken row total)                      */
    char also[GL_GEN_MAX_CODES][8];
} gl_gen_expect_t;

/*  Writes one report.  opts may be NULL (any layout, no defect, any year);
 *  len and expect may be NULL.  Returns a malloc'd NUL-terminated UTF-8
 *  string the caller frees, or NULL when out of memory.                   */
char *gl_gen_report (uint64_t seed, const gl_gen_opts_t *opts, size_t *len,
                     gl_gen_expect_t *expect);

/*  "cells", "tabs", "pipes", "spaces" ("any" for GL_GEN_LAYOUT_ANY).      */
/*  The writer the generator is built on, public so that tests can lay out
 *  a report of their own the same way.  A growable text buffer: s is
 *  NUL-terminated and malloc'd (the caller frees it); after a failed
 *  allocation oom is set and further writes are ignored.                  */
typedef struct {
    char *s;
    size_t n, cap;
    bool oom;
} gl_gen_buf_t;

void gl_gen_putn (gl_gen_buf_t *b, const char *s, size_t n);
void gl_gen_put (gl_gen_buf_t *b, const char *s);

/*  One table row in layout: the label's pieces ("|"-separated: a group and
 *  its item, or header cells) then the n values.  gap: spaces between
 *  cells in the spaces layout (at least 2).  split_at: in the cells layout,
 *  a cell longer than this many bytes is broken over two lines on a
 *  character boundary, as extraction from Word does (0: never).           */
void gl_gen_row (gl_gen_buf_t *b, gl_gen_layout_t layout, int gap,
                 size_t split_at, const char *label, const char *const *vals,
                 size_t n);

/*  The 2021 edition's row labels as the generator writes them, for tests
 *  that lay out reports of their own ("|" separates cells): section 二's
 *  six rows, each after its group line and its header line (NULL: none),
 *  and section 三's 25 rows.                                              */
extern const char *const gl_gen_r2_label_2021[6];
extern const char *const gl_gen_r2_group_2021[6];
extern const char *const gl_gen_r2_hdr_2021[6];
extern const char *const gl_gen_r3_label_2021[25];

const char *gl_gen_layout_name (gl_gen_layout_t layout);
/*  Parses a layout name; returns -1 for an unknown one.                    */
int gl_gen_layout_parse (const char *name);
/*  The code a defect bit provokes ("GID301"), or NULL.                     */
const char *gl_gen_defect_code (unsigned bit);
/*  The defect bit for a code ("GID301") or a short name ("row-total",
 *  "balance", "prose", "missing-section", "label", "merged", "image",
 *  "edition"); 0 when unknown.                                            */
unsigned gl_gen_defect_parse (const char *name);

#ifdef __cplusplus
}
#endif
#endif
