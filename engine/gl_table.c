/*  gl_table.c: the three statistical tables.
 *
 *  However a table arrives (one cell per line, tab-separated rows, Markdown
 *  pipe tables, cells separated by runs of spaces, labels split over lines,
 *  spurious empty cells), its section reads as one stream of tokens: text
 *  tokens (labels and column headers) and value tokens (numbers and
 *  placeholders).  A row is a run of text tokens followed by a run of value
 *  tokens.  The row's label is the suffix of the text run that best matches
 *  a canonical row of the format; what precedes it are headers.
 *
 *  Then the edition is inferred from the labels (2019 and 2021 differ in
 *  section 二 and in row （六） of section 三), and each row's values are
 *  checked against the number of columns the edition gives it.  Values run
 *  together ("000" for three zeros) are split when the digit count is
 *  exactly the number of values due (GID207).
 */
#include "gl_internal.h"

#include <string.h>

/*  Below this similarity a label matches no row of the format.            */
#define GL_ROW_SIM 0.6
/*  How many trailing text tokens a row label may span.                    */
#define GL_LABEL_TOKENS 6

typedef struct {
    gl_span_t span;
    bool value;
} gl_tok_t;

typedef GL_VEC (gl_tok_t) gl_toks_t;

typedef struct {
    size_t lab_b, lab_e;        /* text tokens [lab_b, lab_e)                */
    size_t val_b, val_e;        /* value tokens [val_b, val_e)               */
} gl_run_t;


/*  A row found in phase 1, before the edition is known.                    */
typedef struct {
    gl_row_id_t id;
    size_t label_b;             /* first token of the label                  */
    size_t lab_e;
    size_t val_b, val_e;
    bool exact;
    int variant;
} gl_found_t;

typedef struct {
    gl_doc_t *doc;
    gl_arena_t tmp;             /* tokens, runs, matches: freed when done    */
    const char *s;
    const gl_row_keys_t *rk;
} gl_tctx_t;

static bool
s_space (char c)
{
    return c == ' ' || c == '\t';
}

static bool
s_digits_only (const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/*  True if one of the eight bytes of w is c.                              */
static inline bool
s_has_byte (uint64_t w, unsigned char c)
{
    const uint64_t ones = UINT64_C (0x0101010101010101);
    w ^= ones * c;
    return ((w - ones) & ~w & (ones * 0x80)) != 0;
}

/*  Steps from i over whole words of eight bytes that hold no c, never past
 *  e: where c may be, the caller goes on byte by byte.                    */
static uint32_t
s_skip_without (const char *s, uint32_t i, uint32_t e, char c)
{
    for (; i + 8 <= e; i += 8) {
        uint64_t w;
        memcpy (&w, s + i, 8);
        if (s_has_byte (w, (unsigned char) c))
            break;
    }
    return i;
}

static gl_err_t
s_push_tok (gl_tctx_t *x, gl_toks_t *toks, uint32_t b, uint32_t e)
{
    const char *s = x->s;
    while (b < e && s_space (s[b]))
        b++;
    while (e > b && s_space (s[e - 1]))
        e--;
    if (e - b >= 4 && memcmp (s + b, "**", 2) == 0
        && memcmp (s + e - 2, "**", 2) == 0)
        b += 2, e -= 2;
    if (b == e)
        return GL_OK;           /* empty cells say nothing */
    /* "0 0 0" (single spaces between numbers) is three cells, unless it is
     * one number written with space separators ("1 234"). */
    gl_cell_t probe;
    bool spaced = false;        /* cells are short: no memchr call */
    for (uint32_t i = s_skip_without (s, b, e, ' '); i < e && !spaced; i++)
        spaced = s[i] == ' ';
    if (spaced && !gl_number_parse (s + b, e - b, &probe)) {
        bool all_num = true;
        uint32_t i = b;
        while (i < e && all_num) {
            uint32_t j = i;
            while (j < e && s[j] != ' ')
                j++;
            if (j > i && !gl_number_parse (s + i, j - i, &probe))
                all_num = false;
            i = j + 1;
        }
        if (all_num) {
            i = b;
            while (i < e) {
                uint32_t j = i;
                while (j < e && s[j] != ' ')
                    j++;
                if (j > i) {
                    gl_tok_t *t = GL_VEC_PUSH (&x->tmp, toks);
                    if (!t)
                        return GL_ENOMEM;
                    t->span = (gl_span_t) { i, j };
                    t->value = true;
                }
                i = j + 1;
            }
            return GL_OK;
        }
    }
    gl_tok_t *t = GL_VEC_PUSH (&x->tmp, toks);
    if (!t)
        return GL_ENOMEM;
    t->span = (gl_span_t) { b, e };
    t->value = gl_is_valueish (s + b, e - b);
    return GL_OK;
}

static bool
s_pipe_separator (const char *s, uint32_t b, uint32_t e)
{
    for (uint32_t i = b; i < e; i++)
        if (s[i] != '|' && s[i] != '-' && s[i] != ':' && !s_space (s[i]))
            return false;
    return true;
}

/*  Splits one line into tokens.                                           */
static gl_err_t
s_line_tokens (gl_tctx_t *x, gl_toks_t *toks, gl_span_t c)
{
    const char *s = x->s;
    uint32_t b = c.start, e = c.end;
    if (b == e)
        return GL_OK;
    char sep = 0;
    if (s[b] == '|') {
        if (s_pipe_separator (s, b, e))
            return GL_OK;
        sep = '|';
    }
    else if (memchr (s + b, '\t', e - b))
        sep = '\t';
    uint32_t i = b;
    while (i < e) {
        uint32_t j = i;
        if (sep) {
            j = s_skip_without (s, j, e, sep);
            while (j < e && s[j] != sep)
                j++;
            if (s_push_tok (x, toks, i, j) != GL_OK)
                return GL_ENOMEM;
            i = j + 1;
            continue;
        }
        /* Runs of two or more spaces separate cells (PDF extraction). */
        j = s_skip_without (s, j, e, ' ');
        while (j < e && !(s[j] == ' ' && j + 1 < e && s[j + 1] == ' '))
            j++;
        if (s_push_tok (x, toks, i, j) != GL_OK)
            return GL_ENOMEM;
        while (j < e && s[j] == ' ')
            j++;
        i = j;
    }
    return GL_OK;
}

static gl_err_t
s_tokens (gl_tctx_t *x, gl_section_id_t sec, gl_toks_t *toks)
{
    const gl_doc_t *doc = x->doc;
    /* Only the lines from the section's first to its last. */
    for (size_t li = doc->sec_lines[sec][0]; li < doc->sec_lines[sec][1];
         li++) {
        const gl_line_t *line = &doc->lines[li];
        if (line->section != sec || line->heading)
            continue;
        if (s_line_tokens (x, toks, line->content) != GL_OK)
            return GL_ENOMEM;
    }
    return GL_OK;
}

/*  Skips a leading item number ("一、", "(三)", "1.", "2、", "(1)") and
 *  drops parenthetical notes, then keys what is left.                     */
static void
s_body_key (const char *s, size_t n, gl_key_t *key)
{
    size_t i = 0;
    while (i < n && s_space (s[i]))
        i++;
    int v;
    size_t k;
    if (i < n && s[i] == '(') {
        size_t j = i + 1;
        if ((k = gl_cn_numeral (s + j, n - j, &v)))
            j += k;
        else
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
        if (j > i + 1 && j < n && s[j] == ')')
            i = j + 1;
    }
    else if ((k = gl_cn_numeral (s + i, n - i, &v)) && n - i - k >= 3
             && memcmp (s + i + k, "、", 3) == 0)
        i += k + 3;
    else {
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j > i && j < n && (s[j] == '.' || s[j] == ')'))
            i = j + 1;
        else if (j > i && n - j >= 3 && memcmp (s + j, "、", 3) == 0)
            i = j + 3;
    }
    /* Copy without parenthetical notes, then key. */
    char buf[GL_KEY_MAX * 4];
    size_t m = 0;
    int depth = 0;
    for (; i < n && m < sizeof buf; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && depth)
            depth--;
        else if (!depth)
            buf[m++] = s[i];
    }
    gl_key (buf, m, key);
}

/*  The offset of the last item number ("1." "2、" "(一)") after the start
 *  of s, or 0 if there is none.                                           */
static size_t
s_last_marker (const char *s, size_t n)
{
    size_t last = 0;
    for (size_t i = 1; i < n; i++) {
        int v;
        if (s[i] == '(' && gl_cn_numeral (s + i + 1, n - i - 1, &v))
            last = i;
        else if (s[i] >= '0' && s[i] <= '9' && !(s[i - 1] >= '0' && s[i - 1] <= '9')
                 && i + 1 < n && (s[i + 1] == '.' || (n - i - 1 >= 3
                                  && memcmp (s + i + 1, "、", 3) == 0)))
            last = i;
    }
    return last;
}

void
gl_row_keys_init (gl_row_keys_t *rk)
{
    memset (rk->n_variants, 0, sizeof rk->n_variants);
    for (int id = 0; id < GL_ROW_COUNT; id++) {
        const char *const *v = gl_canon_row_variants ((gl_row_id_t) id);
        for (size_t k = 0; k < 2 && v[k]; k++) {
            gl_key (v[k], strlen (v[k]), &rk->keys[id][k]);
            s_body_key (v[k], strlen (v[k]), &rk->bodies[id][k]);
            gl_key_prof (&rk->keys[id][k], &rk->keys_p[id][k]);
            gl_key_prof (&rk->bodies[id][k], &rk->bodies_p[id][k]);
            rk->n_variants[id] = k + 1;
        }
    }
}

/*  The keys a label is compared by: all its letters and ideographs; its
 *  wording without item number and notes; and, for a cell that carries its
 *  group before the item ("(三)不予公开 1.属于国家秘密"), the wording from
 *  its last item number on.                                                */
typedef struct {
    gl_key_t full, body, tail;
    gl_key_prof_t full_p, body_p, tail_p;
    bool has_tail;
} gl_lkeys_t;

static void
s_label_keys (const gl_tctx_t *x, const gl_tok_t *t, size_t b, size_t e,
              bool full, bool keep_body, gl_lkeys_t *k)
{
    char buf[GL_KEY_MAX * 4];
    buf[0] = '\0';
    size_t m = 0;
    for (size_t i = b; i < e && m < sizeof buf; i++) {
        size_t n = t[i].span.end - t[i].span.start;
        if (n > sizeof buf - m)
            n = sizeof buf - m;
        memcpy (buf + m, x->s + t[i].span.start, n);
        m += n;
    }
    if (full)
        gl_key (buf, m, &k->full);
    if (full && keep_body)
        return;                 /* body and tail are already there */
    s_body_key (buf, m, &k->body);
    size_t at = s_last_marker (buf, m);
    k->has_tail = at > 0;
    if (at)
        s_body_key (buf + at, m - at, &k->tail);
}

/*  The profiles of a label's keys, for the bounds of s_label_sim(): only
 *  computed when a label goes past the exact-wording fast path.           */
static void
s_label_profs (gl_lkeys_t *k)
{
    gl_key_prof (&k->full, &k->full_p);
    gl_key_prof (&k->body, &k->body_p);
    if (k->has_tail)
        gl_key_prof (&k->tail, &k->tail_p);
}

/*  True when the label has the row's wording (numbering aside).            */
static bool
s_label_exact (const gl_lkeys_t *k, const gl_key_t *body)
{
    return gl_key_eq (&k->body, body) || (k->has_tail && gl_key_eq (&k->tail, body));
}

static double
s_label_sim (const gl_lkeys_t *k, const gl_row_keys_t *rk, int id, size_t v,
             double floor)
{
    const gl_key_t *full = &rk->keys[id][v], *body = &rk->bodies[id][v];
    const gl_key_prof_t *full_p = &rk->keys_p[id][v];
    const gl_key_prof_t *body_p = &rk->bodies_p[id][v];
    double best = gl_key_sim_prof (&k->full, &k->full_p, full, full_p, floor);
    double sim = gl_key_sim_prof (&k->body, &k->body_p, body, body_p,
                                  floor > best ? floor : best);
    if (sim > best)
        best = sim;
    if (k->has_tail
        && (sim = gl_key_sim_prof (&k->tail, &k->tail_p, body, body_p,
                                   floor > best ? floor : best))
               > best)
        best = sim;
    return best;
}

/*  Matches the text run [b, e) against rows [first, last_row] of the
 *  format: the suffix of the run and the row that are most alike, the
 *  shortest suffix and the row nearest after cursor winning ties.          */
static bool
s_match (const gl_tctx_t *x, const gl_tok_t *t, size_t b, size_t e,
         int first, int last_row, int cursor, gl_found_t *f)
{
    /* Fast path: the last token has a row's exact wording. */
    gl_lkeys_t lk;
    s_label_keys (x, t, e - 1, e, false, false, &lk);
    for (int id = first; id <= last_row; id++)
        for (size_t v = 0; v < x->rk->n_variants[id]; v++)
            if (s_label_exact (&lk, &x->rk->bodies[id][v])) {
                f->id = (gl_row_id_t) id;
                f->label_b = e - 1;
                f->variant = (int) v;
                f->exact = true;
                return true;
            }
    double best = 0;
    size_t lo = e - b > GL_LABEL_TOKENS ? e - GL_LABEL_TOKENS : b;
    for (size_t k = e; k-- > lo;) {
        /* The fast path keyed the last token but for its full key. */
        s_label_keys (x, t, k, e, true, k == e - 1, &lk);
        s_label_profs (&lk);
        for (int id = first; id <= last_row; id++) {
            for (size_t v = 0; v < x->rk->n_variants[id]; v++) {
                bool exact = s_label_exact (&lk, &x->rk->bodies[id][v]);
                /* Only candidates that could reach the best so far (ties
                 * included) or the threshold are worth an LCS. */
                double floor = (best > GL_ROW_SIM ? best : GL_ROW_SIM) - 1e-6;
                double sim = exact ? 1.0
                                   : s_label_sim (&lk, x->rk, id, v, floor);
                bool better = sim > best + 1e-9;
                if (!better && sim > best - 1e-9 && f->id >= 0 && id >= cursor
                    && (f->id < cursor || id < f->id))
                    better = true;
                if (better) {
                    best = sim;
                    f->id = (gl_row_id_t) id;
                    f->label_b = k;
                    f->variant = (int) v;
                    f->exact = exact;
                }
            }
        }
        if (f->id >= 0 && f->exact)
            break;
    }
    if (best < GL_ROW_SIM) {
        f->id = GL_ROW_UNKNOWN;
        f->label_b = e;
        f->exact = false;
        return false;
    }
    return true;
}

/*  The run of text tokens then value tokens that starts at token i;
 *  returns the token after it.                                             */
static size_t
s_next_run (const gl_toks_t *toks, size_t i, gl_run_t *r)
{
    size_t n = toks->n;
    r->lab_b = i;
    while (i < n && !toks->v[i].value)
        i++;
    r->lab_e = r->val_b = i;
    while (i < n && toks->v[i].value)
        i++;
    r->val_e = i;
    return i;
}

/*  Edition evidence in header tokens: a token (or two adjacent tokens, for
 *  headers split over lines) that starts with a word typical of one
 *  edition; each word counts once.  Each token is keyed once.              */
#define GL_EDITION_WORDS 16

/*  True if the key k followed by the key next (NULL: nothing) starts with
 *  prefix, without joining the two: most words already differ from k in
 *  its first character, and a joined copy costs more than the test.       */
static bool
s_keys_start (const gl_key_t *k, const gl_key_t *next, const gl_key_t *prefix)
{
    size_t a = k->n < prefix->n ? k->n : prefix->n;
    if (a && k->cp[0] != prefix->cp[0])
        return false;
    if (memcmp (k->cp, prefix->cp, a * sizeof k->cp[0]) != 0)
        return false;
    if (a == prefix->n)
        return true;
    size_t rest = prefix->n - a;
    return next && next->n >= rest
           && memcmp (next->cp, prefix->cp + a, rest * sizeof next->cp[0]) == 0;
}

/*  The column-header votes of both editions in one pass over the tokens:
 *  each edition's words that start a token's key, or two tokens' keys
 *  joined, each word counting once.                                        */
static void
s_votes (const gl_tctx_t *x, const gl_tok_t *t, size_t n, const bool *is_label,
         unsigned *v19, unsigned *v21)
{
    gl_key_t wk[2][GL_EDITION_WORDS];
    bool found[2][GL_EDITION_WORDS] = { { false } };
    size_t nw[2] = { 0, 0 }, cap = 0;
    unsigned votes[2] = { 0, 0 };
    for (int ed = 0; ed < 2; ed++) {
        const char *const *words = gl_canon_edition_words (
            ed == 0 ? GL_EDITION_2019 : GL_EDITION_2021);
        for (; words[nw[ed]] && nw[ed] < GL_EDITION_WORDS; nw[ed]++) {
            gl_key_t *k = &wk[ed][nw[ed]];
            gl_key (words[nw[ed]], strlen (words[nw[ed]]), k);
            if (k->n > cap)
                cap = k->n;
        }
    }
    /* Key each token once, and only as far as the longest word; a token's
     * key is joined with the next one's only while it is shorter than the
     * longest word (every word is at most cap long, so what a join would
     * cut off never decides). */
    gl_key_t keys[2];
    gl_key_t *cur = &keys[0], *next = &keys[1];
    bool have_next = false;
    for (size_t i = 0; i < n && (votes[0] < nw[0] || votes[1] < nw[1]); i++) {
        if (t[i].value || is_label[i]) {
            have_next = false;
            continue;
        }
        if (have_next) {
            gl_key_t *tmp = cur;
            cur = next;
            next = tmp;
        }
        else
            gl_key_cap (x->s + t[i].span.start,
                        t[i].span.end - t[i].span.start, cur, cap);
        have_next = false;
        if (i + 1 < n && cur->n < cap) {
            gl_key_cap (x->s + t[i + 1].span.start,
                        t[i + 1].span.end - t[i + 1].span.start, next, cap);
            have_next = true;
        }
        for (int ed = 0; ed < 2; ed++)
            for (size_t w = 0; w < nw[ed]; w++)
                if (!found[ed][w]
                    && s_keys_start (cur, have_next ? next : NULL,
                                     &wk[ed][w])) {
                    found[ed][w] = true;
                    votes[ed]++;
                }
    }
    *v19 += votes[0];
    *v21 += votes[1];
}

/*  Turns value tokens [b, e) into cells; splits run-together digits.      */
static gl_err_t
s_cells (gl_tctx_t *x, const gl_tok_t *t, size_t b, size_t e, size_t expected,
         gl_row_t *row)
{
    gl_arena_t *a = &x->doc->arena;
    const char *s = x->s;
    size_t n = e - b, digits = 0;
    bool all_digits = true;
    for (size_t i = b; i < e; i++) {
        size_t len = t[i].span.end - t[i].span.start;
        all_digits = all_digits && s_digits_only (s + t[i].span.start, len);
        digits += len;
    }
    bool split = n < expected && all_digits && digits == expected;
    size_t ncells = split ? digits : n;
    gl_cell_t *cells = gl_arena_calloc (a, ncells ? ncells : 1, sizeof *cells);
    gl_span_t *merged = NULL;
    size_t nmerged = 0;
    if (split) {
        merged = gl_arena_calloc (a, n, sizeof *merged);
        if (!merged)
            return GL_ENOMEM;
    }
    if (!cells)
        return GL_ENOMEM;
    size_t c = 0;
    for (size_t i = b; i < e; i++) {
        gl_span_t sp = t[i].span;
        size_t len = sp.end - sp.start;
        if (split && len > 1) {
            merged[nmerged++] = sp;
            for (size_t k = 0; k < len; k++) {
                gl_cell_t *cell = &cells[c++];
                cell->span = (gl_span_t) { sp.start + (uint32_t) k,
                                           sp.start + (uint32_t) k + 1 };
                cell->text = gl_arena_strndup (a, s + sp.start + k, 1);
                gl_number_parse (s + sp.start + k, 1, cell);
                cell->merged = true;
            }
            continue;
        }
        gl_cell_t *cell = &cells[c++];
        cell->span = sp;
        cell->text = gl_arena_strndup (a, s + sp.start, len);
        gl_number_parse (s + sp.start, len, cell);
    }
    row->cells = cells;
    row->n_cells = ncells;
    row->n_expected = expected;
    row->merged_spans = merged;
    row->n_merged_tokens = nmerged;
    return a->failed ? GL_ENOMEM : GL_OK;
}

static gl_err_t
s_label (gl_tctx_t *x, const gl_tok_t *t, size_t b, size_t e, gl_row_t *row)
{
    if (b >= e) {
        /* No label: an empty span where the values start (t[e] is the
         * first value token). */
        row->label = "";
        row->label_span = (gl_span_t) { t[e].span.start, t[e].span.start };
        return GL_OK;
    }
    /* Join the label's tokens: pieces of one cell split over lines. */
    size_t len = 0;
    for (size_t i = b; i < e; i++)
        len += t[i].span.end - t[i].span.start;
    char *p = gl_arena_alloc (&x->doc->arena, len + 1);
    if (!p)
        return GL_ENOMEM;
    size_t m = 0;
    for (size_t i = b; i < e; i++) {
        size_t n = t[i].span.end - t[i].span.start;
        memcpy (p + m, x->s + t[i].span.start, n);
        m += n;
    }
    p[m] = '\0';
    row->label = p;
    row->label_span = (gl_span_t) { t[b].span.start, t[e - 1].span.end };
    return GL_OK;
}

static gl_err_t
s_headers (gl_tctx_t *x, const gl_tok_t *t, size_t n, const bool *is_label,
           gl_table_t *table)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !t[i].value && !is_label[i];
    gl_header_t *h = gl_arena_calloc (&x->doc->arena, k ? k : 1, sizeof *h);
    if (!h)
        return GL_ENOMEM;
    k = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].value || is_label[i])
            continue;
        h[k].span = t[i].span;
        h[k].text = gl_arena_strndup (&x->doc->arena, x->s + t[i].span.start,
                                      t[i].span.end - t[i].span.start);
        k++;
    }
    table->headers = h;
    table->n_headers = k;
    return GL_OK;
}

typedef struct {
    gl_toks_t toks;
    GL_VEC (gl_found_t) found;
    bool *is_label;
} gl_sect_t;

/*  Phase 1 for section 二 or 三: tokens, runs and row matches.             */
static gl_err_t
s_phase1 (gl_tctx_t *x, gl_section_id_t sec, gl_sect_t *st)
{
    if (s_tokens (x, sec, &st->toks) != GL_OK)
        return GL_ENOMEM;
    st->is_label = gl_arena_calloc (&x->tmp, st->toks.n + 1, sizeof (bool));
    if (!st->is_label)
        return GL_ENOMEM;
    int first = sec == GL_SEC_2 ? GL_R2_REGULATION : GL_R3_NEW;
    int last = sec == GL_SEC_2 ? GL_R2_PROCUREMENT : GL_R3_CARRY_OVER;
    int cursor = first;
    for (size_t ti = 0; ti < st->toks.n;) {
        gl_run_t one;
        ti = s_next_run (&st->toks, ti, &one);
        const gl_run_t *run = &one;
        if (run->val_b == run->val_e)
            continue;           /* text with no values: headers */
        gl_found_t *f = GL_VEC_PUSH (&x->tmp, &st->found);
        if (!f)
            return GL_ENOMEM;
        f->id = GL_ROW_UNKNOWN;
        f->lab_e = run->lab_e;
        f->val_b = run->val_b;
        f->val_e = run->val_e;
        if (run->lab_b < run->lab_e
            && s_match (x, st->toks.v, run->lab_b, run->lab_e, first, last,
                        cursor, f))
            cursor = f->id + 1;
        for (size_t i = f->label_b; i < f->lab_e; i++)
            st->is_label[i] = true;
    }
    return GL_OK;
}

static void
s_edition (gl_doc_t *doc, const gl_tctx_t *x, const gl_sect_t *st2,
           const gl_sect_t *st3)
{
    unsigned v19 = 0, v21 = 0;
    const gl_sect_t *sts[2] = { st2, st3 };
    for (int k = 0; k < 2; k++) {
        const gl_sect_t *st = sts[k];
        s_votes (x, st->toks.v, st->toks.n, st->is_label, &v19, &v21);
        for (size_t i = 0; i < st->found.n; i++) {
            const gl_found_t *f = &st->found.v[i];
            switch (f->id) {
            case GL_R2_OTHER_SERVICE:
            case GL_R2_PROCUREMENT:
            case GL_R3_OTHER:
                v19++;
                break;
            case GL_R3_OTHER_1:
            case GL_R3_OTHER_2:
            case GL_R3_OTHER_3:
                v21++;
                break;
            case GL_R2_NORMATIVE:
                if (f->exact)
                    f->variant == 0 ? v21++ : v19++;
                break;
            default:
                break;
            }
        }
    }
    doc->votes_2019 = v19;
    doc->votes_2021 = v21;
    if (v19 > v21)
        doc->edition = GL_EDITION_2019;
    else if (v21 > v19)
        doc->edition = GL_EDITION_2021;
    else if (v19 && doc->year)
        doc->edition = doc->year >= 2021 ? GL_EDITION_2021 : GL_EDITION_2019;
    else
        doc->edition = GL_EDITION_UNKNOWN;
}

/*  Phase 2 for section 二 or 三: rows with cells, in the doc's edition.    */
static gl_err_t
s_phase2 (gl_tctx_t *x, gl_section_id_t sec, gl_sect_t *st)
{
    gl_doc_t *doc = x->doc;
    int k = sec - GL_SEC_2;
    gl_table_t *table = &doc->tables[k];
    table->section = sec;
    if (st->found.n == 0)
        return GL_OK;
    gl_row_t *rows = gl_arena_calloc (&doc->arena, st->found.n, sizeof *rows);
    if (!rows)
        return GL_ENOMEM;
    gl_edition_t ed = doc->edition ? doc->edition : GL_EDITION_2021;
    const gl_tok_t *t = st->toks.v;
    for (size_t i = 0; i < st->found.n; i++) {
        const gl_found_t *f = &st->found.v[i];
        gl_row_t *row = &rows[i];
        row->id = f->id;
        row->label_exact = f->id != GL_ROW_UNKNOWN && f->exact;
        if (f->id == GL_R2_NORMATIVE && f->exact)
            row->label_exact = (f->variant == 0) == (ed == GL_EDITION_2021);
        size_t expected = f->id == GL_ROW_UNKNOWN ? 0
                                                  : gl_row_columns (f->id, ed);
        if (f->id != GL_ROW_UNKNOWN && expected == 0) {
            /* A row of the other edition: count it as found, keep its
             * values as they are. */
            expected = gl_row_columns (f->id, ed == GL_EDITION_2021
                                                  ? GL_EDITION_2019
                                                  : GL_EDITION_2021);
        }
        if (s_label (x, t, f->label_b, f->lab_e, row) != GL_OK
            || s_cells (x, t, f->val_b, f->val_e, expected, row) != GL_OK)
            return GL_ENOMEM;
        uint32_t start = f->label_b < f->lab_e ? t[f->label_b].span.start
                                               : t[f->val_b].span.start;
        row->span = (gl_span_t) { start, t[f->val_e - 1].span.end };
        if (row->id != GL_ROW_UNKNOWN && !doc->row_index[row->id])
            doc->row_index[row->id] = row;
    }
    table->rows = rows;
    table->n_rows = st->found.n;
    table->span = (gl_span_t) { t[0].span.start, t[st->toks.n - 1].span.end };
    if (s_headers (x, t, st->toks.n, st->is_label, table) != GL_OK)
        return GL_ENOMEM;
    doc->has_table[k] = true;
    return GL_OK;
}

/*  Section 四: one row of fifteen values under a two-level header.         */
static gl_err_t
s_table4 (gl_tctx_t *x)
{
    gl_doc_t *doc = x->doc;
    gl_toks_t toks = { 0 };
    if (s_tokens (x, GL_SEC_4, &toks) != GL_OK)
        return GL_ENOMEM;
    GL_VEC (gl_tok_t) vals = { 0 };
    for (size_t i = 0; i < toks.n; i++)
        if (toks.v[i].value) {
            gl_tok_t *v = GL_VEC_PUSH (&x->tmp, &vals);
            if (!v)
                return GL_ENOMEM;
            *v = toks.v[i];
        }
    if (vals.n == 0)
        return GL_OK;
    gl_table_t *table = &doc->tables[2];
    table->section = GL_SEC_4;
    gl_row_t *row = gl_arena_calloc (&doc->arena, 1, sizeof *row);
    bool *no_labels = gl_arena_calloc (&x->tmp, toks.n, sizeof (bool));
    if (!row || !no_labels)
        return GL_ENOMEM;
    row->id = GL_R4_ALL;
    row->label = gl_row_info (GL_R4_ALL)->label;
    row->label_exact = true;
    row->label_span = vals.v[0].span;
    if (s_cells (x, vals.v, 0, vals.n, GL_C4_COUNT, row) != GL_OK)
        return GL_ENOMEM;
    row->span = (gl_span_t) { vals.v[0].span.start,
                              vals.v[vals.n - 1].span.end };
    table->rows = row;
    table->n_rows = 1;
    table->span = (gl_span_t) { toks.v[0].span.start,
                                toks.v[toks.n - 1].span.end };
    if (s_headers (x, toks.v, toks.n, no_labels, table) != GL_OK)
        return GL_ENOMEM;
    doc->has_table[2] = true;
    doc->row_index[GL_R4_ALL] = row;
    return GL_OK;
}

gl_err_t
gl_parse_tables (gl_doc_t *doc)
{
    gl_tctx_t x = { .doc = doc, .s = doc->text.s, .rk = doc->row_keys };
    gl_arena_init (&x.tmp);
    gl_sect_t st2 = { 0 }, st3 = { 0 };
    gl_err_t rc = GL_ENOMEM;
    if (!x.rk) {
        gl_row_keys_t *rk = gl_arena_alloc (&x.tmp, sizeof *rk);
        if (!rk)
            goto done;
        gl_row_keys_init (rk);
        x.rk = rk;
    }
    if (s_phase1 (&x, GL_SEC_2, &st2) != GL_OK
        || s_phase1 (&x, GL_SEC_3, &st3) != GL_OK)
        goto done;
    s_edition (doc, &x, &st2, &st3);
    if (s_phase2 (&x, GL_SEC_2, &st2) != GL_OK
        || s_phase2 (&x, GL_SEC_3, &st3) != GL_OK || s_table4 (&x) != GL_OK)
        goto done;
    rc = x.tmp.failed ? GL_ENOMEM : GL_OK;
done:
    gl_arena_fini (&x.tmp);
    return rc;
}
