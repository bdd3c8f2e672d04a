/*  gl_parse.c: lines, section headings, title, year and narrative.
 *
 *  The parser works on lines of the normalised text.  A section heading is
 *  a line whose text, once Markdown marks are removed, is a Chinese numeral,
 *  a separator and (tolerantly) one of the six titles of the format.  The
 *  rows of the section 三 table are numbered the same way
 *  ("三、本年度办理结果"), so the title must match, not only the numeral.
 *  Everything between two headings is the first one's body.  The tables are
 *  read by gl_table.c.
 */
#include "gl_internal.h"
#include "gl_facts.h"

#include <string.h>

/*  A heading's title must be at least this similar to the format's.        */
#define GL_HEADING_SIM 0.72

static bool
s_space (char c)
{
    return c == ' ' || c == '\t';
}

static bool
s_starts (const char *s, size_t n, const char *lit)
{
    size_t k = strlen (lit);
    return n >= k && memcmp (s, lit, k) == 0;
}

/*  Strips white space and Markdown marks from both ends of [b, e).        */
static gl_span_t
s_content (const char *s, uint32_t b, uint32_t e)
{
    for (;;) {
        uint32_t ob = b, oe = e;
        while (b < e && s_space (s[b]))
            b++;
        while (e > b && s_space (s[e - 1]))
            e--;
        if (b < e && s[b] == '#') {
            while (b < e && s[b] == '#')
                b++;
        }
        if (b < e && s[b] == '>' && (b + 1 == e || s[b + 1] == ' '))
            b++;
        if (e - b >= 2 && (memcmp (s + b, "**", 2) == 0
                           || memcmp (s + b, "__", 2) == 0))
            b += 2;
        if (e - b >= 2 && (memcmp (s + e - 2, "**", 2) == 0
                           || memcmp (s + e - 2, "__", 2) == 0))
            e -= 2;
        if (b == ob && e == oe)
            break;
    }
    return (gl_span_t) { b, e };
}

static gl_err_t
s_split_lines (gl_doc_t *doc)
{
    const char *s = doc->text.s;
    size_t len = doc->text.len;
    GL_VEC (gl_line_t) lines = { 0 };
    size_t b = 0;
    while (b <= len) {
        const char *nl = memchr (s + b, '\n', len - b);
        size_t e = nl ? (size_t) (nl - s) : len;
        gl_line_t *line = GL_VEC_PUSH (&doc->arena, &lines);
        if (!line)
            return GL_ENOMEM;
        line->span = (gl_span_t) { (uint32_t) b, (uint32_t) e };
        line->content = s_content (s, (uint32_t) b, (uint32_t) e);
        if (!nl)
            break;
        b = e + 1;
    }
    GL_VEC_FIT (&doc->arena, &lines);
    if (!lines.v)
        return GL_ENOMEM;
    doc->lines = lines.v;
    doc->n_lines = lines.n;
    return GL_OK;
}

typedef struct {
    gl_section_id_t id;
    double sim;
    bool exact;
    bool numeral_ok;
} gl_heading_t;

/*  The six titles' keys, computed once per document, with the hash
 *  buckets (code point % 64) of their characters for a cheap bound, and
 *  the longest title: a line's key is never read beyond it plus the
 *  prefix slack, so a long line costs no more than a short one.           */
#define GL_PREFIX_SLACK 4
typedef struct {
    gl_key_t titles[GL_SEC_COUNT];
    uint64_t buckets[GL_SEC_COUNT];
    uint64_t firsts;            /* buckets of the titles' first characters */
    size_t max_n;
} gl_titles_t;

static void
s_titles_init (gl_titles_t *t)
{
    t->max_n = 0;
    t->firsts = 0;
    for (int sec = GL_SEC_1; sec < GL_SEC_COUNT; sec++) {
        const char *title = gl_canon_section_title ((gl_section_id_t) sec);
        gl_key_t *k = &t->titles[sec];
        gl_key (title, strlen (title), k);
        t->buckets[sec] = 0;
        for (size_t i = 0; i < k->n; i++)
            t->buckets[sec] |= UINT64_C (1) << (k->cp[i] % 64);
        if (k->n)
            t->firsts |= UINT64_C (1) << (k->cp[0] % 64);
        if (k->n > t->max_n)
            t->max_n = k->n;
    }
}

/*  Decides whether content is a section heading: a numeral, a separator
 *  and a title close to one of the format's ("一、总体情况"), possibly
 *  running on into text ("一、总体情况。2021年…"); or, without numeral, the
 *  exact title alone on its line.                                          */
static bool
s_heading (const gl_titles_t *t, const char *s, size_t n, gl_heading_t *h)
{
    int num = 0;
    size_t i = gl_cn_numeral (s, n, &num);
    bool numbered = false;
    if (i) {
        if (s_starts (s + i, n - i, "、"))
            i += strlen ("、"), numbered = true;
        else if (i < n && (s[i] == '.' || s[i] == ' ' || s[i] == ','))
            i++, numbered = true;
        if (!numbered)
            return false;
    }
    gl_key_t rest;
    if (!numbered) {
        /* Without a numeral the key must be a title's: its first character
         * decides for nearly every line. */
        bool lead = false;
        const unsigned char *u = (const unsigned char *) s + i;
        uint32_t cp = 0;
        /* A line starts with a letter, a digit or an ideograph nearly
         * always: that is its key's first character (as gl_key_cap() reads
         * it) without a call. */
        if (i < n && ((u[0] >= '0' && u[0] <= '9') || (u[0] >= 'a' && u[0] <= 'z')))
            cp = u[0];
        else if (i < n && u[0] >= 'A' && u[0] <= 'Z')
            cp = u[0] + ('a' - 'A');
        else if (n - i >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80
                 && (u[2] & 0xC0) == 0x80)
            cp = ((uint32_t) (u[0] & 0x0F) << 12) | ((uint32_t) (u[1] & 0x3F) << 6)
                 | (u[2] & 0x3F);
        if (cp && (cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF))) {
            rest.n = 1;
            rest.cp[0] = cp;
        }
        else
            gl_key_cap (s + i, n - i, &rest, 1);
        if (rest.n && !((t->firsts >> (rest.cp[0] % 64)) & 1))
            return false;
        for (int sec = GL_SEC_1; sec < GL_SEC_COUNT && rest.n; sec++)
            lead = lead || (t->titles[sec].n && t->titles[sec].cp[0] == rest.cp[0]);
        if (!lead)
            return false;
    }
    gl_key_cap (s + i, n - i, &rest, t->max_n + GL_PREFIX_SLACK + 1);
    if (rest.n == 0)
        return false;
    h->id = GL_SEC_NONE;
    h->sim = 0;
    h->numeral_ok = false;
    if (!numbered) {
        for (int sec = GL_SEC_1; sec < GL_SEC_COUNT; sec++)
            if (gl_key_eq (&t->titles[sec], &rest)) {
                h->id = (gl_section_id_t) sec;
                h->sim = 1;
                h->exact = true;
                return true;
            }
        return false;
    }
    for (int sec = GL_SEC_1; sec < GL_SEC_COUNT; sec++) {
        const gl_key_t *title = &t->titles[sec];
        size_t lo = title->n > 2 ? title->n - 2 : 1;
        size_t hi = title->n + GL_PREFIX_SLACK;
        /* A common subsequence only has characters whose bucket the title
         * has: when even all of them could not reach the threshold (most
         * numbered table rows), skip the LCS. */
        size_t common = 0;
        for (size_t j = 0; j < rest.n && j < hi; j++)
            common += (t->buckets[sec] >> (rest.cp[j] % 64)) & 1;
        if (common > title->n)
            common = title->n;
        if (2.0 * (double) common / (double) (title->n + lo) < GL_HEADING_SIM)
            continue;
        size_t k;
        double sim = gl_key_prefix_sim (title, &rest, lo, hi, &k);
        if (sim > h->sim) {
            h->sim = sim;
            h->id = (gl_section_id_t) sec;
            h->exact = sim == 1.0;
        }
    }
    if (h->id == GL_SEC_NONE || h->sim < GL_HEADING_SIM)
        return false;
    h->numeral_ok = num == (int) h->id;
    /* A wrong numeral is accepted only with a near-exact title. */
    return h->numeral_ok || h->sim >= 0.9;
}

static gl_err_t
s_find_sections (gl_doc_t *doc)
{
    const char *s = doc->text.s;
    gl_titles_t titles;
    s_titles_init (&titles);
    for (size_t li = 0; li < doc->n_lines; li++) {
        gl_line_t *line = &doc->lines[li];
        gl_span_t c = line->content;
        gl_heading_t h;
        if (!s_heading (&titles, s + c.start, c.end - c.start, &h))
            continue;
        line->heading = true;
        gl_section_t *sec = &doc->sections[h.id];
        if (sec->present) {
            if (sec->occurrences++ == 1)
                sec->second = c;
        }
        else {
            sec->id = h.id;
            sec->present = true;
            sec->occurrences = 1;
            sec->heading = c;
            sec->heading_text = gl_arena_strndup (&doc->arena, s + c.start,
                                                  c.end - c.start);
            sec->title_exact = h.exact;
            sec->numeral_ok = h.numeral_ok;
            doc->order[doc->n_order++] = h.id;
        }
    }
    /* Bodies: from the end of each first heading to the next heading. */
    for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
        gl_section_t *sec = &doc->sections[id];
        if (!sec->present)
            continue;
        uint32_t end = (uint32_t) doc->text.len;
        for (size_t li = 0; li < doc->n_lines; li++) {
            const gl_line_t *line = &doc->lines[li];
            if (line->heading && line->span.start > sec->heading.start) {
                end = line->span.start;
                break;
            }
        }
        sec->body = (gl_span_t) { sec->heading.end, end };
    }
    /* A line's section only changes where a heading starts or a body
     * ends: it is looked up again only past the next such point. */
    gl_section_id_t cur = GL_SEC_NONE;
    uint32_t next = 0;
    for (size_t li = 0; li < doc->n_lines; li++) {
        gl_line_t *line = &doc->lines[li];
        uint32_t at = line->span.start;
        if (li == 0 || at >= next) {
            cur = gl_doc_section_at (doc, at);
            next = UINT32_MAX;
            for (int id = GL_SEC_1; id < GL_SEC_COUNT; id++) {
                const gl_section_t *sec = &doc->sections[id];
                if (!sec->present)
                    continue;
                if (sec->heading.start > at && sec->heading.start < next)
                    next = sec->heading.start;
                if (sec->body.end > at && sec->body.end < next)
                    next = sec->body.end;
            }
        }
        line->section = cur;
        size_t *range = doc->sec_lines[line->section];
        if (range[1] == 0)
            range[0] = li;
        range[1] = li + 1;
        /* The heading of a repeated section belongs to no body. */
    }
    return doc->arena.failed ? GL_ENOMEM : GL_OK;
}

/*  Finds lit in s[0, n) (memmem is not in POSIX).                          */
static const char *
s_find (const char *s, size_t n, const char *lit)
{
    size_t k = strlen (lit);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == lit[0] && memcmp (s + i, lit, k) == 0)
            return s + i;
    return NULL;
}

/*  Finds "YYYY年" at s[i]; returns the year or 0.                         */
static int
s_year_at (const char *s, size_t n, size_t i)
{
    if (i + 4 + 3 > n || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
        return 0;
    int y = 0;
    for (size_t k = 0; k < 4; k++) {
        if (s[i + k] < '0' || s[i + k] > '9')
            return 0;
        y = y * 10 + (s[i + k] - '0');
    }
    if (!s_starts (s + i + 4, n - i - 4, "年") || y < 1990 || y > 2100)
        return 0;
    return y;
}

static void
s_find_title (gl_doc_t *doc)
{
    const char *s = doc->text.s;
    size_t limit = doc->n_lines;
    for (size_t li = 0; li < doc->n_lines; li++)
        if (doc->lines[li].heading) {
            limit = li;
            break;
        }
    /* Without any heading, look at the first lines only. */
    if (limit == doc->n_lines && limit > 8)
        limit = 8;
    for (size_t li = 0; li < limit; li++) {
        gl_span_t c = doc->lines[li].content;
        const char *t = s + c.start;
        size_t n = c.end - c.start;
        if (n == 0 || n > 300)
            continue;
        const char *hit = NULL;
        static const char *const marks[] = {
            "政府信息公开工作年度报告", "政府信息公开年度报告",
            "政府信息公开工作报告", NULL
        };
        for (size_t k = 0; marks[k] && !hit; k++) {
            const char *p = s_find (t, n, marks[k]);
            if (p)
                hit = p;
        }
        if (!hit)
            continue;
        doc->title = gl_arena_strndup (&doc->arena, t, n);
        doc->title_span = c;
        for (size_t i = 0; i + 4 < (size_t) (hit - t); i++) {
            int y = s_year_at (t, n, i);
            if (y) {
                doc->title_year = y;
                size_t b = 0, e = i;
                while (e > b && s_space (t[e - 1]))
                    e--;
                if (e > b)
                    doc->body = gl_arena_strndup (&doc->arena, t + b, e - b);
                break;
            }
        }
        return;
    }
}

static gl_err_t
s_paras (gl_doc_t *doc)
{
    GL_VEC (gl_para_t) paras = { 0 };
    const char *s = doc->text.s;
    for (size_t li = 0; li < doc->n_lines; li++) {
        const gl_line_t *line = &doc->lines[li];
        gl_section_id_t sec = line->section;
        if (line->heading || line->content.start == line->content.end)
            continue;
        if (sec != GL_SEC_NONE && sec != GL_SEC_1 && sec != GL_SEC_5
            && sec != GL_SEC_6)
            continue;
        if (doc->title && line->content.start == doc->title_span.start)
            continue;
        gl_para_t *p = GL_VEC_PUSH (&doc->arena, &paras);
        if (!p)
            return GL_ENOMEM;
        p->section = sec;
        p->span = line->content;
        p->text = gl_arena_strndup (&doc->arena, s + line->content.start,
                                    line->content.end - line->content.start);
    }
    GL_VEC_FIT (&doc->arena, &paras);
    if (paras.n && !paras.v)
        return GL_ENOMEM;
    doc->paras = paras.v;
    doc->n_paras = paras.n;
    return doc->arena.failed ? GL_ENOMEM : GL_OK;
}

/*  The report year: the title's, else the statistics period's, else the
 *  year most often named in the narrative of section 一.                  */
static void
s_find_year (gl_doc_t *doc)
{
    if (doc->title_year) {
        doc->year = doc->title_year;
        return;
    }
    int years[16] = { 0 }, counts[16] = { 0 };
    size_t ny = 0;
    for (size_t p = 0; p < doc->n_paras; p++) {
        const gl_para_t *para = &doc->paras[p];
        if (para->section != GL_SEC_1 && para->section != GL_SEC_NONE)
            continue;
        size_t n = para->span.end - para->span.start;   /* its length */
        for (size_t i = 0; i + 4 < n; i++) {
            int y = s_year_at (para->text, n, i);
            if (!y)
                continue;
            size_t k = 0;
            while (k < ny && years[k] != y)
                k++;
            if (k == ny && ny < 16)
                years[ny++] = y;
            if (k < ny)
                counts[k]++;
        }
    }
    int best = 0;
    for (size_t k = 0; k < ny; k++)
        if (!best || counts[k] > counts[best - 1])
            best = (int) k + 1;
    doc->year = best ? years[best - 1] : 0;
}

gl_err_t
gl_parse (gl_doc_t *doc)
{
    gl_err_t rc = s_split_lines (doc);
    if (rc == GL_OK)
        rc = s_find_sections (doc);
    if (rc != GL_OK)
        return rc;
    s_find_title (doc);
    rc = s_paras (doc);
    if (rc == GL_OK)
        rc = gl_facts_collect (doc);
    if (rc != GL_OK)
        return rc;
    s_find_year (doc);
    rc = gl_parse_tables (doc);
    if (rc != GL_OK)
        return rc;
    if (doc->n_order == 0 && !doc->title)
        doc->status = GL_DOC_NOT_REPORT;
    return doc->arena.failed ? GL_ENOMEM : GL_OK;
}
