/*  gl_internal.h: the engine's private umbrella header.
 *
 *  Modules:
 *    gl_arena.c    per-document bump allocator; nothing else calls malloc
 *    gl_text.c     bytes -> decoded UTF-8 -> normalised text, offset maps,
 *                  line index, span -> position
 *    gl_match.c    comparison keys and similarity of labels, numbers
 *    gl_canon.c    the format: section titles, canonical rows and columns
 *    gl_parse.c    sections, title, year, paragraphs
 *    gl_table.c    the three statistical tables
 *    gl_facts.c    figures stated in narrative prose
 *    gl_doc.c      accessors, invariants
 *    gl_engine.c   configuration, the lint pipeline, the emitter
 *    rules/        one file per rule family, registered in rules.def
 */
#ifndef GL_INTERNAL_H_INCLUDED
#define GL_INTERNAL_H_INCLUDED

#include "gidlint/gidlint.h"

#include <stdarg.h>
#include <string.h>

/*  ---------------------------------------------------------------------
 *  Arena: every allocation of a document lives here and is released at
 *  once by gl_arena_fini().  On failure an allocation returns NULL and the
 *  arena remembers it (failed), so a long pipeline checks once at the end. */

typedef struct gl_chunk gl_chunk_t;
typedef struct {
    gl_chunk_t *head;
    char *ptr;
    size_t left;
    size_t bytes;               /* malloc'd by the arena, headers included   */
    bool failed;
} gl_arena_t;

void gl_arena_init (gl_arena_t *a);
void gl_arena_fini (gl_arena_t *a);
/*  Aligned to max_align_t.  NULL when out of memory (sets a->failed).      */
void *gl_arena_alloc (gl_arena_t *a, size_t size);
void *gl_arena_calloc (gl_arena_t *a, size_t n, size_t size);
/*  Resizes p (old_size bytes, from gl_arena_alloc or gl_arena_grow) to
 *  new_size, keeping its contents (up to new_size).  A large block that
 *  stays large is resized by realloc (growing or shrinking), a small one
 *  copied (the old copy stays until gl_arena_fini).
 *  Pointers into p are invalid afterwards.  NULL when out of memory.      */
void *gl_arena_grow (gl_arena_t *a, void *p, size_t old_size, size_t new_size);
char *gl_arena_strndup (gl_arena_t *a, const char *s, size_t n);
char *gl_arena_vprintf (gl_arena_t *a, const char *fmt, va_list ap);
char *gl_arena_printf (gl_arena_t *a, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  A growable array in an arena: GL_VEC(gl_cell_t) cells = {0};
 *  gl_cell_t *c = GL_VEC_PUSH (arena, &cells);  (zeroed; NULL on OOM)      */
#define GL_VEC(T) struct { T *v; size_t n, cap; }
void *gl__vec_push (gl_arena_t *a, void **v, size_t *n, size_t *cap,
                    size_t elem);
/*  Gives back the unused capacity of a large array (in place).            */
#define GL_VEC_FIT(a, vec)                                                 \
    ((vec)->n && (vec)->cap > (vec)->n                                     \
         ? (void) ((vec)->v = gl_arena_grow ((a), (vec)->v,                \
                                             (vec)->cap * sizeof *(vec)->v, \
                                             (vec)->n * sizeof *(vec)->v), \
                   (vec)->cap = (vec)->n)                                  \
         : (void) 0)
/*  The common case, room left, inline: the slot's size is a constant at
 *  each call, so the clearing is a few stores.                             */
static inline void *
gl__vec_push_inline (gl_arena_t *a, void **v, size_t *n, size_t *cap,
                     size_t elem)
{
    if (*n < *cap) {
        char *slot = (char *) *v + *n * elem;
        memset (slot, 0, elem);
        (*n)++;
        return slot;
    }
    return gl__vec_push (a, v, n, cap, elem);
}
#define GL_VEC_PUSH(a, vec)                                                \
    ((__typeof__ ((vec)->v)) gl__vec_push_inline ((a), (void **) &(vec)->v, \
                                                  &(vec)->n, &(vec)->cap,  \
                                                  sizeof *(vec)->v))

/*  ---------------------------------------------------------------------
 *  Text.  Three texts and two maps:
 *    original bytes --decode--> dec (UTF-8, BOM removed) --fold--> s
 *  s is what the parser reads: LF line ends, NFKC width folding (full-width
 *  digits, brackets, colons, U+3000 become ASCII), zero-width characters
 *  dropped.  Every byte of s maps back to a byte of dec, and every byte of
 *  dec to a byte of the input, so positions survive normalisation.          */

/*  The map from s to dec, in segments: from s offset s on (to the next
 *  segment), byte s + x maps to the dec character holding dec + x (an
 *  identity segment: copied text, or one byte a character folded to), or
 *  every byte maps to dec (konst: the expansion of one character).        */
typedef struct {
    uint32_t s, dec;
    uint32_t konst;
} gl_seg_t;

typedef struct {
    const char *s;              /* normalised, NUL-terminated                 */
    size_t len;
    gl_seg_t *segs;             /* s -> dec, see gl_seg_t                     */
    size_t n_segs;
    const char *dec;            /* decoded UTF-8, NUL-terminated              */
    size_t dec_len;
    uint32_t *dec_to_orig;      /* dec_len + 1 entries, or NULL: dec + bom    */
    uint32_t bom;               /* bytes of BOM skipped                       */
    uint32_t *line_starts;      /* dec offsets at which lines start           */
    size_t n_lines;
    uint32_t *cp_marks;         /* code points in dec before every
                                   GL_CP_STEP-th byte, so a column on a long
                                   line costs at most GL_CP_STEP bytes      */
    gl_encoding_t enc;
    uint64_t bad_byte;          /* enc == GL_ENC_INVALID: first bad byte      */
} gl_text_t;

#define GL_CP_STEP 64

/*  Decodes and normalises len bytes into t, all allocated in a.  Bad
 *  encoding is not an error: t->enc = GL_ENC_INVALID and t->bad_byte set.
 *  Returns GL_OK or GL_ENOMEM.                                             */
gl_err_t gl_text_decode (gl_arena_t *a, const void *bytes, size_t len,
                         gl_text_t *t);
/*  The folding of one code point into s: writes the code points it
 *  becomes to out and returns how many (0: dropped).  gl_fold() takes the
 *  fast paths the normaliser takes; gl_fold_slow() asks utf8proc for every
 *  character but the kept and dropped ones.  They agree on every code
 *  point (test_text).  The longest NFKC expansion of one code point is 18
 *  (U+FDFA).                                                               */
#define GL_FOLD_MAX 32
size_t gl_fold (uint32_t cp, uint32_t out[GL_FOLD_MAX]);
size_t gl_fold_slow (uint32_t cp, uint32_t out[GL_FOLD_MAX]);
/*  The dec offset of the character that gave byte off of t->s (dec_len
 *  for off >= len).                                                        */
uint32_t gl_text_to_dec (const gl_text_t *t, size_t off);
/*  Resolves a span of t->s to a position.  Spans are clamped to the text.  */
void gl_text_pos (const gl_text_t *t, gl_span_t span, gl_pos_t *pos);
/*  The same, searching from where the last call left off: spans resolved
 *  in order of their start cost O(1) each on average.  Start with a zeroed
 *  hint.                                                                   */
typedef struct {
    size_t seg, line;
} gl_pos_hint_t;
void gl_text_pos_hinted (const gl_text_t *t, gl_span_t span, gl_pos_t *pos,
                         gl_pos_hint_t *hint);

/*  ---------------------------------------------------------------------
 *  Matching.  A key keeps letters, digits and CJK ideographs of a label
 *  (lower-cased), dropping space and punctuation: "（二）部分公开 (区分…)"
 *  and "(二)部分公开(区分…)" have one key.                                 */

#define GL_KEY_MAX 96
typedef struct {
    uint32_t cp[GL_KEY_MAX];
    size_t n;
} gl_key_t;

void gl_key (const char *s, size_t n, gl_key_t *key);
/*  The first cap (at most GL_KEY_MAX) characters of the key: enough to
 *  compare with keys shorter than cap, and no more work.                  */
void gl_key_cap (const char *s, size_t n, gl_key_t *key, size_t cap);
/*  Similarity in [0, 1]: 2 * LCS / (|a| + |b|); 1 for equal keys.          */
double gl_key_sim (const gl_key_t *a, const gl_key_t *b);
bool gl_key_eq (const gl_key_t *a, const gl_key_t *b);
/*  gl_key_sim(), or 0 when it cannot exceed floor (a cheap bound first).  */
double gl_key_sim_over (const gl_key_t *a, const gl_key_t *b, double floor);
/*  What the cheap bound of gl_key_sim_prof() needs of a key: the hash
 *  buckets (code point % 64) its characters fall in, and how many fall in
 *  each.  A common subsequence pairs equal characters, so it has at most
 *  min(count a, count b) characters of each bucket.                       */
typedef struct {
    uint64_t set;
    uint8_t count[64];
} gl_key_prof_t;

void gl_key_prof (const gl_key_t *k, gl_key_prof_t *p);
/*  gl_key_sim_over() with the bound taken from the keys' profiles.        */
double gl_key_sim_prof (const gl_key_t *a, const gl_key_prof_t *pa,
                        const gl_key_t *b, const gl_key_prof_t *pb,
                        double floor);
/*  The best similarity of a to a prefix of b of length lo..hi; *best_k
 *  receives that length.  One LCS pass for all lengths.                   */
double gl_key_prefix_sim (const gl_key_t *a, const gl_key_t *b, size_t lo,
                          size_t hi, size_t *best_k);

/*  Numbers as written in table cells: "12", "-3", "1,234", "1 234",
 *  "0.5", "１２" (already folded).  Fills kind/ival/dval/grouped of cell;
 *  returns false if s is not a number (cell->kind = GL_CELL_BAD).          */
bool gl_number_parse (const char *s, size_t n, gl_cell_t *cell);
/*  True when s looks like a value cell rather than a label: a number, or a
 *  short placeholder such as "-", "—", "/", "无", "0.0.0".                  */
bool gl_is_valueish (const char *s, size_t n);

/*  UTF-8 helpers over valid UTF-8 (the texts above are always valid).     */
uint32_t gl_utf8_next (const char *s, size_t n, size_t *i);
size_t gl_utf8_put (uint32_t cp, char out[4]);
bool gl_is_cjk (uint32_t cp);

/*  Chinese numerals 一…十 -> 1…10 at s; returns bytes used (0 if none).    */
size_t gl_cn_numeral (const char *s, size_t n, int *value);

/*  ---------------------------------------------------------------------
 *  Canonical format (gl_canon.c).                                          */

/*  Label variants used for matching a row; NULL-terminated.                */
const char *const *gl_canon_row_variants (gl_row_id_t id);
/*  Column header words typical of each edition, for edition inference.     */
const char *const *gl_canon_edition_words (gl_edition_t edition);
/*  Section titles used for matching headings.                              */
const char *gl_canon_section_title (gl_section_id_t id);
/*  Money columns: true if column col of row id holds an amount (万元).     */
bool gl_canon_is_money (gl_row_id_t id, gl_edition_t edition, size_t col);
/*  True if column col of row id may be negative (本年增/减).               */
bool gl_canon_may_be_negative (gl_row_id_t id, gl_edition_t edition,
                               size_t col);

/*  Keys of the format's row labels (gl_table.c): the same for every
 *  document, so the engine computes them once and lends them to each lint
 *  (gl_doc_t.row_keys).                                                    */
typedef struct {
    gl_key_t keys[GL_ROW_COUNT][2];     /* variant keys                      */
    gl_key_t bodies[GL_ROW_COUNT][2];   /* variant keys without numbering   */
    gl_key_prof_t keys_p[GL_ROW_COUNT][2];
    gl_key_prof_t bodies_p[GL_ROW_COUNT][2];
    size_t n_variants[GL_ROW_COUNT];
} gl_row_keys_t;
void gl_row_keys_init (gl_row_keys_t *rk);

/*  ---------------------------------------------------------------------
 *  The document (gl_doc.c defines the accessors).                          */

/*  A line of the normalised text.  content is the line without markup:
 *  leading/trailing space, Markdown "#" heading marks, "**" bold marks and
 *  "> " quote marks removed.                                               */
typedef struct {
    gl_span_t span;             /* the whole line, without its "\n"          */
    gl_span_t content;
    gl_section_id_t section;    /* the section the line belongs to           */
    bool heading;               /* a section heading                         */
} gl_line_t;

struct gl_doc {
    gl_arena_t arena;
    const gl_row_keys_t *row_keys;  /* the engine's, during gl_engine_lint */
    gl_doc_status_t status;
    uint64_t input_size;
    uint64_t size_limit;
    gl_text_t text;

    const char *title;
    gl_span_t title_span;
    const char *body;
    int year;
    int title_year;
    gl_edition_t edition;
    unsigned votes_2019, votes_2021;

    gl_section_t sections[GL_SEC_COUNT];
    gl_section_id_t order[GL_SEC_COUNT];
    size_t n_order;

    gl_table_t tables[3];       /* sections 二, 三, 四                        */
    bool has_table[3];
    const gl_row_t *row_index[GL_ROW_COUNT];

    gl_line_t *lines;
    size_t n_lines;
    size_t sec_lines[GL_SEC_COUNT][2]; /* lines [first, end) of each section */
    gl_para_t *paras;
    size_t n_paras;
    struct gl_doc_fact *facts;  /* gl_facts.h                                */
    size_t n_facts;

    gl_diag_t *diags;
    size_t n_diags;
};

/*  Parses t into doc (gl_parse.c, gl_table.c).  Returns GL_ENOMEM or GL_OK;
 *  a document that is not a report gets status GL_DOC_NOT_REPORT.          */
gl_err_t gl_parse (gl_doc_t *doc);
gl_err_t gl_parse_tables (gl_doc_t *doc);

/*  ---------------------------------------------------------------------
 *  Emitting diagnostics (gl_engine.c).                                     */

typedef struct {
    gl_span_t span;
    gl_section_id_t table;      /* GL_SEC_NONE if not about a table           */
    gl_row_id_t row;            /* GL_ROW_UNKNOWN if none                     */
    int column;                 /* -1 if none                                 */
    gl_value_t expected;
    gl_value_t actual;
} gl_where_t;

#define GL_WHERE_SPAN(sp)                                                   \
    ((gl_where_t) { .span = (sp), .table = GL_SEC_NONE,                     \
                    .row = GL_ROW_UNKNOWN, .column = -1 })
#define GL_INT(v) ((gl_value_t) { .kind = GL_VAL_INT, .i = (v) })
#define GL_NUM(v) ((gl_value_t) { .kind = GL_VAL_NUM, .d = (v) })
#define GL_STR(v) ((gl_value_t) { .kind = GL_VAL_STR, .s = (v) })

/*  Emits one diagnostic of rule at where.  The message is formatted from
 *  fmt_zh or fmt_en (same arguments) by the language of the lint call.     */
void gl_emit (gl_emit_t *out, const gl_rule_t *rule, const gl_where_t *where,
              const char *fmt_zh, const char *fmt_en, ...);
/*  The language of the lint call, for rules that build text themselves.    */
gl_lang_t gl_emit_lang (const gl_emit_t *out);
/*  The document's arena, for rules that build text themselves.             */
gl_arena_t *gl_emit_arena (gl_emit_t *out);

/*  Checks both format strings against the arguments at compile time.      */
#define GL_EMIT(out, rule, where, zh, en, ...)                              \
    do {                                                                    \
        if (0) {                                                            \
            (void) __builtin_printf (zh, __VA_ARGS__);                      \
            (void) __builtin_printf (en, __VA_ARGS__);                      \
        }                                                                   \
        gl_emit ((out), (rule), (where), (zh), (en), __VA_ARGS__);          \
    } while (0)
#define GL_EMIT0(out, rule, where, zh, en)                                  \
    gl_emit ((out), (rule), (where), (zh), (en))

/*  Every rule descriptor, declared from the registry.                      */
#define GL_RULE(id) extern const gl_rule_t gl_rule_##id;
#include "rules/rules.def"
#undef GL_RULE

#endif
