/*  gl_facts.c: figures and statements found in narrative prose.
 *
 *  Section 一 of a report restates its tables in words: how many
 *  applications came in, how they were answered, whether anyone sought an
 *  administrative review (行政复议) or sued (行政诉讼), how many items were
 *  published and where.  This file finds such statements in one line of
 *  normalised text, so that the consistency rules can hold them against the
 *  tables.
 *
 *  How it reads: the line is cut into sentences at 。 ; ! ? and each
 *  sentence into clauses at commas.  Every detector is anchored on a fixed
 *  phrase (收到, 行政复议, 部分公开, 合计, a four-digit year …) and looks
 *  only a bounded number of characters around it, so the scan is linear in
 *  the line's length.  All matching is on UTF-8 bytes: the text is valid
 *  UTF-8, so a literal matched at a character boundary is a character match.
 *
 *  The detectors are deliberately narrow.  A statement they do not
 *  recognise gives no fact, and no fact means no diagnostic; a fact that is
 *  wrong gives a false alarm.  When in doubt they say nothing: approximate
 *  figures ("500余条"), ordinals ("第3次"), previous-year figures (上年,
 *  去年), and applications that are complaints (投诉, 举报) or ask for a
 *  licence (行政许可) rather than for information are all skipped.
 *
 *  Facts of one sentence are collected, sorted by position and handed to
 *  the callback, so the callback sees them in text order.
 */
#include "gl_facts.h"

#include <string.h>

/*  Facts buffered per sentence before they are sorted and passed on.  A
 *  sentence with more facts than this is passed on in batches, each sorted. */
#define S_FACT_BUF 32

/*  Windows, in characters.                                                  */
#define S_WIN_CLAUSE 40     /* clause checks look this far either side      */
#define S_WIN_RECEIVED 25   /* from 收到 to the count                       */
#define S_WIN_NEG_VERB 6    /* from a negation to the verb it negates       */
#define S_WIN_NEG_APPLY 20  /* from a negated verb to 申请                  */
#define S_WIN_NONE_NOUN 12  /* from 无 to 申请                              */
#define S_WIN_NEG_LEGAL 32  /* from a negation to 复议 / 诉讼               */
#define S_WIN_FILLER 6      /* from a phrase to its count                   */
#define S_WIN_WHOLE 14      /* from 合计 to the whole of an itemisation     */
#define S_WIN_PERIOD 10     /* from 统计期限 to the first date              */

/*  The bit of a character in a set of characters' low six bits.           */
#define S_BIT(cp) (UINT64_C (1) << ((cp) & 63))

/*  Anchors examined per sentence by the costlier detectors.  Prose never
 *  comes near these; they bound the work on garbage such as one megabyte of
 *  "收到申请" without a full stop.                                         */
#define S_MAX_VERBS 16
#define S_MAX_NEGATIONS 32

typedef struct {
    const char *s;              /* the line                                   */
    size_t len;
    uint32_t base;              /* offset of s in the document's text         */
    gl_fact_fn *fn;
    void *ctx;
    gl_fact_t buf[S_FACT_BUF];  /* facts of the current sentence              */
    size_t n;
} s_scan_t;

/*  A count: a figure followed by a unit, e.g. "12件".                      */
typedef struct {
    size_t start, end;          /* the figure                                 */
    size_t after;               /* just past the unit                         */
    int64_t value;
    const char *unit;           /* the unit matched, from the caller's list   */
} s_count_t;

static const char *const s_units_received[] = { "件", "次", "个", "份", NULL };
static const char *const s_units_legal[] = { "件", "起", "次", "宗", "个",
                                             NULL };
static const char *const s_units_answer[] = { "件", "次", "个", "份", "条",
                                              "起", NULL };
static const char *const s_units_whole[] = { "条", "件", "个", "篇", "次",
                                             "期", NULL };

/*  Words that make a sentence about something other than this year's
 *  disclosure applications.                                                */
static const char *const s_other_matter[] = {
    "投诉", "举报", "提案", "建议", "复议", "诉讼", "信访", "咨询", "许可",
    "审批", "办件", NULL
};
/*  One of these must be in the clause: an application for disclosure, not
 *  for a licence.                                                          */
static const char *const s_disclosure[] = { "公开", "信息", NULL };
static const char *const s_last_year[] = { "上年", "上一年", "去年", NULL };
static const char *const s_recv_verbs[] = { "收到", "接到", "受理", "接收",
                                            "新收", NULL };
/*  What may stand between 无 and 申请 in "无政府信息公开申请".              */
static const char *const s_none_filler[] = { "政府信息公开", "政府信息",
                                             "信息公开", "依", "公开", "相关",
                                             "任何", "各类", "的", NULL };

/*  ---------------------------------------------------------------------
 *  Byte-level helpers.  Positions are byte offsets into the line; lim is
 *  an exclusive bound.                                                     */

static bool
s_at (const s_scan_t *sc, size_t i, size_t lim, const char *lit)
{
    /* The first byte decides almost every call: test it before strlen. */
    if (i >= lim || sc->s[i] != lit[0])
        return false;
    size_t n = strlen (lit);
    return n <= lim - i && memcmp (sc->s + i, lit, n) == 0;
}

/*  Length of the first literal of list found at i, or 0.                   */
static size_t
s_at_any (const s_scan_t *sc, size_t i, size_t lim, const char *const *list)
{
    for (; *list; list++)
        if (s_at (sc, i, lim, *list))
            return strlen (*list);
    return 0;
}

/*  The code point of the three-byte character at i, or 0 when there is
 *  none (ASCII, another length, the end of the line).                      */
static uint32_t
s_cp3 (const s_scan_t *sc, size_t i)
{
    const unsigned char *u = (const unsigned char *) sc->s;
    if (i + 2 >= sc->len || (u[i] & 0xF0) != 0xE0)
        return 0;
    return ((uint32_t) (u[i] & 0x0F) << 12) | ((uint32_t) (u[i + 1] & 0x3F) << 6)
           | (u[i + 2] & 0x3F);
}

static size_t
s_next (const s_scan_t *sc, size_t i)
{
    /* The lead byte gives the length; the loop after it only runs when i
     * was not at the start of a character. */
    if (i >= sc->len)
        return i + 1;
    static const unsigned char len[16] = { 1, 1, 1, 1, 1, 1, 1, 1,
                                           1, 1, 1, 1, 2, 2, 3, 4 };
    i += len[(unsigned char) sc->s[i] >> 4];
    if (i > sc->len)
        return sc->len;
    while (i < sc->len && ((unsigned char) sc->s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static size_t
s_prev (const s_scan_t *sc, size_t i)
{
    while (i > 0) {
        i--;
        if (((unsigned char) sc->s[i] & 0xC0) != 0x80)
            break;
    }
    return i;
}

/*  Moves back from i by up to n characters, never before floor.            */
static size_t
s_back (const s_scan_t *sc, size_t i, size_t floor, size_t n)
{
    while (n-- > 0 && i > floor)
        i = s_prev (sc, i);
    return i < floor ? floor : i;
}

/*  Moves on from i by up to n characters, never past lim.                  */
static size_t
s_fwd (const s_scan_t *sc, size_t i, size_t lim, size_t n)
{
    while (n-- > 0 && i < lim)
        i = s_next (sc, i);
    return i > lim ? lim : i;
}

/*  True if the character at i is one of the characters of set.             */
static bool
s_char_in (const s_scan_t *sc, size_t i, size_t lim, const char *set)
{
    if (i >= lim)
        return false;
    size_t n = s_next (sc, i) - i;
    /* strncmp (p, c, n) == 0 byte by byte: the first byte or two rule out
     * nearly every candidate, and no byte of c is NUL. */
    const char *c = sc->s + i;
    for (const char *p = set; *p; p++)
        if (p[0] == c[0]
            && (n == 1
                || (p[1] == c[1]
                    && (n == 2
                        || (p[2] == c[2] && (n == 3 || p[3] == c[3]))))))
            return true;
    return false;
}

static bool
s_digit_at (const s_scan_t *sc, size_t i, size_t lim)
{
    return i < lim && sc->s[i] >= '0' && sc->s[i] <= '9';
}

/*  First position of lit in [from, to) at or after from, or SIZE_MAX.     */
/*  The first ASCII digit in [i, e), or e (i when i >= e).  Digits are
 *  ASCII, so they are looked for eight bytes at a time: a byte below 0x80
 *  lies between '0' and '9' exactly when both sums below set its high bit
 *  (no sum carries into the next byte).                                    */
static size_t
s_next_digit (const s_scan_t *sc, size_t i, size_t e)
{
    const uint64_t ones = UINT64_C (0x0101010101010101);
    while (i + 8 <= e) {
        uint64_t w;
        memcpy (&w, sc->s + i, 8);
        uint64_t t = w & (ones * 127);
        if (((ones * (127 + '9' + 1) - t) & ~w & (t + ones * (127 - ('0' - 1)))
             & (ones * 128)) != 0)
            break;
        i += 8;
    }
    while (i < e && !s_digit_at (sc, i, e))
        i++;
    return i;
}

/*  Steps from i, never past e, over what a detector that acts only at a
 *  few three-byte characters never acts at: ASCII (eight bytes at a time)
 *  and three-byte characters whose low six bits are not in set (see
 *  S_BIT), the bulk of prose.  The set needs only the third byte, and
 *  i + 3 is what s_next() gives when no continuation byte follows.  Past
 *  ASCII it may stop on a stray continuation byte, which such a detector
 *  ignores as well, and from which s_next() lands where it would have.    */
static inline size_t
s_skip3 (const s_scan_t *sc, size_t i, size_t e, uint64_t set)
{
    const unsigned char *u = (const unsigned char *) sc->s;
    const uint64_t hi = UINT64_C (0x8080808080808080);
    while (i < e) {
        unsigned char c = u[i];
        uint64_t w;
        if ((c & 0xF0) == 0xE0) {
            if (i + 3 >= sc->len || (u[i + 3] & 0xC0) == 0x80
                || ((set >> (u[i + 2] & 63)) & 1))
                break;
            i += 3;
        }
        else if (c >= 0x80)
            break;
        else if (i + 8 <= e && (memcpy (&w, u + i, 8), !(w & hi)))
            i += 8;
        else
            i++;
    }
    return i;
}

static size_t
s_find (const s_scan_t *sc, size_t from, size_t to, const char *lit)
{
    size_t n = strlen (lit);
    if (n < 2) {
        const char *p = from < to ? memchr (sc->s + from, lit[0], to - from)
                                  : NULL;
        return p ? (size_t) (p - sc->s) : SIZE_MAX;
    }
    /* Look for the second byte: in Chinese text a continuation byte is far
     * rarer than a lead byte such as 0xE7 that thousands of ideographs
     * share. */
    for (size_t i = from; i + n <= to; i++) {
        const char *p = memchr (sc->s + i + 1, lit[1], to - n + 1 - i);
        if (!p)
            break;
        i = (size_t) (p - 1 - sc->s);
        if (memcmp (p - 1, lit, n) == 0)
            return i;
    }
    return SIZE_MAX;
}

static bool
s_has_any (const s_scan_t *sc, size_t from, size_t to,
           const char *const *list)
{
    for (; *list; list++)
        if (s_find (sc, from, to, *list) != SIZE_MAX)
            return true;
    return false;
}

/*  Bytes of a sentence end at i (。 ; ! ? and their full-width forms).     */
static inline __attribute__ ((always_inline)) size_t
s_stop_len (const s_scan_t *sc, size_t i, size_t lim)
{
    /* The stops 。 ; ； ! ！ ? ？ and LF, byte by byte: 。 is E3 80 82;
     * ； ！ ？ are EF BC 9B, 81, 9F (a normalised text has them folded to
     * ASCII already). */
    if (i >= lim)
        return 0;
    const unsigned char *u = (const unsigned char *) sc->s + i;
    switch (u[0]) {
    case ';':
    case '!':
    case '?':
    case '\n':
        return 1;
    case 0xE3:
        return i + 2 < lim && u[1] == 0x80 && u[2] == 0x82 ? 3 : 0;
    case 0xEF:
        return i + 2 < lim && u[1] == 0xBC
                       && (u[2] == 0x9B || u[2] == 0x81 || u[2] == 0x9F)
                   ? 3
                   : 0;
    default:
        return 0;
    }
}

/*  True at a clause break: a comma (but not one grouping digits, "1,234")
 *  or a sentence end.                                                      */
static bool
s_break_at (const s_scan_t *sc, size_t i, size_t lim)
{
    if (s_at (sc, i, lim, ","))
        return !(i > 0 && sc->s[i - 1] >= '0' && sc->s[i - 1] <= '9'
                 && i + 1 < sc->len && sc->s[i + 1] >= '0'
                 && sc->s[i + 1] <= '9');
    return s_at (sc, i, lim, "，") || s_stop_len (sc, i, lim) > 0;
}

/*  Start of the clause holding i: just after the previous break, at most
 *  S_WIN_CLAUSE characters back and never before a.                        */
static size_t
s_clause_start (const s_scan_t *sc, size_t a, size_t i)
{
    size_t j = i;
    for (size_t k = 0; k < S_WIN_CLAUSE && j > a; k++) {
        size_t p = s_prev (sc, j);
        if (p < a || s_break_at (sc, p, sc->len))
            break;
        j = p;
    }
    return j;
}

/*  End of the clause holding i (the next break), at most S_WIN_CLAUSE
 *  characters on and never past e.                                         */
static size_t
s_clause_end (const s_scan_t *sc, size_t i, size_t e)
{
    size_t j = i;
    for (size_t k = 0; k < S_WIN_CLAUSE && j < e; k++) {
        if (s_break_at (sc, j, e))
            break;
        j = s_next (sc, j);
    }
    return j > e ? e : j;
}

/*  ---------------------------------------------------------------------
 *  Numbers.                                                                */

/*  A Chinese digit 一…九 (两 = 2) at i: its value, or 0.                    */
static int
s_cn_digit (const s_scan_t *sc, size_t i, size_t lim, size_t *end)
{
    static const char *const digits[] = { "一", "二", "三", "四", "五", "六",
                                          "七", "八", "九", "两", NULL };
    for (int d = 0; digits[d]; d++)
        if (s_at (sc, i, lim, digits[d])) {
            *end = i + strlen (digits[d]);
            return d == 9 ? 2 : d + 1;
        }
    return 0;
}

static bool
s_cn_numeral_char (const s_scan_t *sc, size_t i, size_t lim)
{
    return s_char_in (sc, i, lim, "零〇一二两三四五六七八九十百千万亿");
}

/*  Reads a figure at i: ASCII digits (thousands grouped "1,234" allowed) or,
 *  with cn, a small Chinese numeral (一 … 九十九).  The figure must start a
 *  number (no digit, decimal point, digit group or 第 just before it) and
 *  must not run on into a decimal or a larger numeral.  Returns its end, or
 *  i.                                                                      */
static size_t
s_figure (const s_scan_t *sc, size_t i, size_t lim, bool cn, int64_t *value)
{
    /* A figure starts with a digit, or with cn with 一…九, 两 or 十: any
     * other character is no figure, whatever precedes it. */
    if (!s_digit_at (sc, i, lim)) {
        if (!cn)
            return i;
        uint32_t c = s_cp3 (sc, i);
        if (c != 0x4E00 && c != 0x4E8C && c != 0x4E09 && c != 0x56DB
            && c != 0x4E94 && c != 0x516D && c != 0x4E03 && c != 0x516B
            && c != 0x4E5D && c != 0x4E24 && c != 0x5341)
            return i;
    }
    if (i > 0) {
        size_t p = s_prev (sc, i);
        if (s_digit_at (sc, p, lim) || sc->s[p] == '.'
            || (sc->s[p] == ',' && p > 0 && s_digit_at (sc, p - 1, lim))
            || s_at (sc, p, lim, "第"))
            return i;
    }
    if (s_digit_at (sc, i, lim)) {
        int64_t v = 0;
        size_t j = i;
        while (s_digit_at (sc, j, lim)) {
            if (j - i >= 15)
                return i;
            v = v * 10 + (sc->s[j] - '0');
            j++;
        }
        /* Thousands groups: a lead of one to three digits, then ",ddd". */
        bool grouping = j - i <= 3;
        while (grouping && j + 3 < lim && sc->s[j] == ','
               && s_digit_at (sc, j + 1, lim) && s_digit_at (sc, j + 2, lim)
               && s_digit_at (sc, j + 3, lim) && !s_digit_at (sc, j + 4, lim)
               && v < INT64_C (1000000000000)) {
            v = v * 1000 + (sc->s[j + 1] - '0') * 100
                + (sc->s[j + 2] - '0') * 10 + (sc->s[j + 3] - '0');
            j += 4;
        }
        if (j < lim && sc->s[j] == '.' && s_digit_at (sc, j + 1, lim))
            return i;
        *value = v;
        return j;
    }
    if (!cn)
        return i;
    if (i > 0 && s_cn_numeral_char (sc, s_prev (sc, i), lim))
        return i;
    size_t j = i, k;
    int v = 0, d = s_cn_digit (sc, j, lim, &k);
    if (d) {
        j = k;
        v = d;
        if (s_at (sc, j, lim, "十")) {
            j += strlen ("十");
            v *= 10;
            if ((d = s_cn_digit (sc, j, lim, &k)) != 0) {
                j = k;
                v += d;
            }
        }
    } else if (s_at (sc, j, lim, "十")) {
        j += strlen ("十");
        v = 10;
        if ((d = s_cn_digit (sc, j, lim, &k)) != 0) {
            j = k;
            v += d;
        }
    } else
        return i;
    if (s_cn_numeral_char (sc, j, lim))
        return i;
    *value = v;
    return j;
}

/*  A count at i: a figure and then (after at most one space) one of units.
 *  Rejects units that begin another word: 一次性, 3个工作日, 2个月.        */
static bool
s_count (const s_scan_t *sc, size_t i, size_t lim, bool cn,
         const char *const *units, s_count_t *c)
{
    int64_t v = 0;
    size_t j = s_figure (sc, i, lim, cn, &v);
    if (j == i)
        return false;
    size_t u = j;
    if (u < lim && sc->s[u] == ' ')
        u++;
    for (const char *const *p = units; *p; p++) {
        if (!s_at (sc, u, lim, *p))
            continue;
        size_t after = u + strlen (*p);
        static const char *const not_counts[] = {
            "性", "工作日", "月", "小时", "人", "百分点", "季度", NULL
        };
        if (s_at_any (sc, after, lim, not_counts))
            return false;
        c->start = i;
        c->end = j;
        c->after = after;
        c->value = v;
        c->unit = *p;
        return true;
    }
    return false;
}

/*  ---------------------------------------------------------------------
 *  The fact buffer.                                                        */

static bool
s_before (const gl_fact_t *a, const gl_fact_t *b)
{
    if (a->span.start != b->span.start)
        return a->span.start < b->span.start;
    if (a->span.end != b->span.end)
        return a->span.end < b->span.end;
    return a->kind < b->kind;
}

static void
s_flush (s_scan_t *sc)
{
    /* Insertion sort: stable, and the buffer is small. */
    for (size_t i = 1; i < sc->n; i++) {
        gl_fact_t f = sc->buf[i];
        size_t j = i;
        while (j > 0 && s_before (&f, &sc->buf[j - 1])) {
            sc->buf[j] = sc->buf[j - 1];
            j--;
        }
        sc->buf[j] = f;
    }
    for (size_t i = 0; i < sc->n; i++)
        sc->fn (&sc->buf[i], sc->ctx);
    sc->n = 0;
}

static gl_fact_t *
s_push (s_scan_t *sc, gl_fact_kind_t kind, size_t start, size_t end,
        int64_t value)
{
    if (sc->n == S_FACT_BUF)
        s_flush (sc);
    gl_fact_t *f = &sc->buf[sc->n++];
    memset (f, 0, sizeof *f);
    f->kind = kind;
    f->span.start = sc->base + (uint32_t) start;
    f->span.end = sc->base + (uint32_t) end;
    f->value = value;
    return f;
}

/*  ---------------------------------------------------------------------
 *  Negations.                                                              */

/*  True if a negation character (未 没 无) at i really negates: not 无法,
 *  无论, 无关, 未经 (未经复议直接起诉), 未来, nor 尚未审结 and the like.    */
static bool
s_negation_at (const s_scan_t *sc, size_t i, size_t lim)
{
    static const char *const not_neg[] = { "无法", "无论", "无关", "无正当",
                                           "未经", "未来", "未审结", "未结",
                                           "未办结", "未予", NULL };
    /* 未 没 无 all start with 0xE6. */
    if (i >= lim || (unsigned char) sc->s[i] != 0xE6
        || !s_char_in (sc, i, lim, "未没无"))
        return false;
    return !s_at_any (sc, i, lim, not_neg);
}

/*  Widens a negation at i to the adverb before it (尚未, 均未, 从未 …).     */
static size_t
s_negation_start (const s_scan_t *sc, size_t floor, size_t i)
{
    if (i > floor) {
        size_t p = s_prev (sc, i);
        if (p >= floor && s_char_in (sc, p, sc->len, "尚均从并暂还也亦"))
            return p;
    }
    return i;
}

/*  The negation governing a verb at v, looking back at most S_WIN_NEG_VERB
 *  characters within the clause [cs, v); its start, or SIZE_MAX.           */
static size_t
s_negation_before (const s_scan_t *sc, size_t cs, size_t v)
{
    size_t from = s_back (sc, v, cs, S_WIN_NEG_VERB);
    for (size_t i = from; i < v; i = s_next (sc, i))
        if (s_negation_at (sc, i, v))
            return s_negation_start (sc, cs, i);
    return SIZE_MAX;
}

/*  ---------------------------------------------------------------------
 *  Detectors.  Each looks at one sentence [a, e).                          */

/*  "2021年" (1990-2100, exactly four digits) and the statistics period
 *  "统计期限为2021年1月1日至2021年12月31日".                                */

/*  A date "[YYYY年]M月[D日]" at i.  Sets *year (0 when absent) and returns
 *  its end, or i.                                                          */
static size_t
s_date (const s_scan_t *sc, size_t i, size_t lim, int *year)
{
    size_t j = i;
    *year = 0;
    int64_t v = 0;
    size_t k = s_figure (sc, j, lim, false, &v);
    if (k - j == 4 && s_at (sc, k, lim, "年")) {
        *year = (int) v;
        j = k + strlen ("年");
        k = s_figure (sc, j, lim, false, &v);
    }
    if (k == j || k - j > 2 || !s_at (sc, k, lim, "月") || v < 1 || v > 12)
        return i;
    j = k + strlen ("月");
    k = s_figure (sc, j, lim, false, &v);
    if (k != j && k - j <= 2 && v >= 1 && v <= 31) {
        if (s_at (sc, k, lim, "日"))
            j = k + strlen ("日");
        else if (s_at (sc, k, lim, "号"))
            j = k + strlen ("号");
    }
    return j;
}

static void
s_period_at (s_scan_t *sc, size_t a, size_t e, size_t p, int year1)
{
    static const char *const keys[] = {
        "统计期", "统计时", "统计区间", "统计周期", "时间为", "时间是",
        "期限为", "期间为", "时段为", "时限为", "时间范围", NULL
    };
    size_t from = s_back (sc, p, a, S_WIN_PERIOD);
    bool keyed = s_has_any (sc, from, p, keys);
    if (!keyed && p > a) {
        size_t q = s_prev (sc, p);
        keyed = s_char_in (sc, q, e, "自从");
    }
    if (!keyed)
        return;
    int y;
    size_t j = s_date (sc, p, e, &y);
    if (j == p)
        return;
    static const char *const starts[] = { "起", "开始", NULL };
    static const char *const seps[] = { "至", "到", "-", "—", "–", "~", NULL };
    j += s_at_any (sc, j, e, starts);
    size_t n = s_at_any (sc, j, e, seps);
    if (!n)
        return;
    j += n;
    int year2;
    size_t k = s_date (sc, j, e, &year2);
    if (k == j)
        return;
    s_push (sc, GL_FACT_PERIOD, p, k, year1)->value2 = year2 ? year2 : year1;
}

static void
s_years (s_scan_t *sc, size_t a, size_t e)
{
    for (size_t i = a; i < e; i = s_next (sc, i)) {
        i = s_next_digit (sc, i, e);
        if (i >= e)
            break;
        int64_t v;
        size_t k = s_figure (sc, i, e, false, &v);
        if (k == i) {
            while (s_digit_at (sc, i + 1, e))
                i++;
            continue;
        }
        if (k - i == 4 && s_at (sc, k, e, "年") && v >= 1990 && v <= 2100) {
            s_push (sc, GL_FACT_YEAR, i, k, v);
            s_period_at (sc, a, e, i, (int) v);
        }
        i = s_prev (sc, k);
    }
}

/*  Applications received: "共收到政府信息公开申请0件", "共接到3次…的申请";
 *  and the negations "没有收到并受理依申请公开案例", "无政府信息公开申请".  */
static bool
s_off_topic (const s_scan_t *sc, size_t cs, size_t ce)
{
    return s_has_any (sc, cs, ce, s_other_matter)
           || s_has_any (sc, cs, ce, s_last_year)
           || !s_has_any (sc, cs, ce, s_disclosure);
}

static void
s_received_none_noun (s_scan_t *sc, size_t a, size_t e)
{
    size_t negations = 0;
    for (size_t i = a; i < e && negations < S_MAX_NEGATIONS;
         i = s_next (sc, i)) {
        /* Only at 没 and 无. */
        i = s_skip3 (sc, i, e, S_BIT (0x6CA1) | S_BIT (0x65E0));
        if (i >= e)
            break;
        size_t j;
        if (s_at (sc, i, e, "没有"))
            j = i + strlen ("没有");
        else if (s_at (sc, i, e, "无") && s_negation_at (sc, i, e))
            j = i + strlen ("无");
        else
            continue;
        negations++;
        size_t lim = s_fwd (sc, j, e, S_WIN_NONE_NOUN);
        while (j < lim && !s_at (sc, j, e, "申请")) {
            size_t n = s_at_any (sc, j, lim, s_none_filler);
            if (!n)
                break;
            j += n;
        }
        if (!s_at (sc, j, e, "申请"))
            continue;
        size_t cs = s_clause_start (sc, a, i);
        size_t ce = s_clause_end (sc, j, e);
        if (s_off_topic (sc, cs, ce))
            continue;
        s_push (sc, GL_FACT_RECEIVED_NONE, s_negation_start (sc, cs, i),
                j + strlen ("申请"), 0);
        return;
    }
}

static void
s_received (s_scan_t *sc, size_t a, size_t e)
{
    /* Every statement about applications names them (a sentence shorter
     * than the word, such as a line of one character, is done at once). */
    if (e - a < strlen ("申请") || s_find (sc, a, e, "申请") == SIZE_MAX)
        return;
    bool got = false, got_none = false;
    size_t verbs = 0;
    for (size_t i = a; i < e && !(got && got_none) && verbs < S_MAX_VERBS;
         i = s_next (sc, i)) {
        /* Only 收 接 受 新 begin a verb (see s_answers() for the set). */
        static const uint64_t leads = S_BIT (0x6536) | S_BIT (0x63A5)
                                      | S_BIT (0x53D7) | S_BIT (0x65B0);
        i = s_skip3 (sc, i, e, leads);
        if (i >= e)
            break;
        uint32_t lead = s_cp3 (sc, i);
        if (!((leads >> (lead & 63)) & 1)
            || (lead != 0x6536 && lead != 0x63A5 && lead != 0x53D7
                && lead != 0x65B0))
            continue;
        size_t vlen = s_at_any (sc, i, e, s_recv_verbs);
        if (!vlen)
            continue;
        verbs++;
        size_t ve = i + vlen;
        /* 不予受理 is a refusal, neither a receipt nor its negation. */
        if (i > a && s_char_in (sc, s_prev (sc, i), e, "不予"))
            continue;
        size_t cs = s_clause_start (sc, a, i);
        size_t ce = s_clause_end (sc, ve, e);
        if (s_off_topic (sc, cs, ce))
            continue;
        size_t neg = s_negation_before (sc, cs, i);
        if (neg != SIZE_MAX) {
            if (got_none)
                continue;
            size_t lim = s_fwd (sc, ve, ce, S_WIN_NEG_APPLY);
            size_t p = s_find (sc, ve, ce, "申请");
            if (p == SIZE_MAX || p >= lim)
                continue;
            s_push (sc, GL_FACT_RECEIVED_NONE, neg, p + strlen ("申请"), 0);
            got_none = true;
            continue;
        }
        if (got || s_find (sc, cs, ce, "申请") == SIZE_MAX)
            continue;
        size_t lim = s_fwd (sc, ve, ce, S_WIN_RECEIVED);
        for (size_t j = ve; j < lim; j = s_next (sc, j)) {
            s_count_t c;
            if (!s_count (sc, j, ce, true, s_units_received, &c))
                continue;
            /* "共收到申请答复6件" counts answers, not applications. */
            if (s_find (sc, ve, j, "答复") != SIZE_MAX
                || s_find (sc, ve, j, "办结") != SIZE_MAX)
                break;
            s_push (sc, GL_FACT_RECEIVED, c.start, c.end, c.value);
            got = true;
            break;
        }
    }
    if (!got_none)
        s_received_none_noun (sc, a, e);
}

/*  What may stand between 行政复议 and its count: "行政复议案件共1件".     */
static const char s_legal_filler[] = "共计合总案件申请为是的数量有发生了: ";

/*  Reviews and suits: "行政复议1件", "行政诉讼案件2起"; and the negations
 *  "未被提起行政复议、行政诉讼", "没有发生行政复议案件".                   */
static void
s_legal (s_scan_t *sc, size_t a, size_t e)
{
    /* A negation is reported once per sentence, and only in a sentence
     * that names 复议 or 诉讼 at all. */
    if (e - a < strlen ("复议"))
        return;                 /* too short for either word */
    bool done_r = s_find (sc, a, e, "复议") == SIZE_MAX;
    bool done_s = s_find (sc, a, e, "诉讼") == SIZE_MAX;
    /* Without either word there is neither a figure nor a negation. */
    if (done_r && done_s)
        return;
    size_t negations = 0, mentions = 0;
    for (size_t i = a; i < e; i = s_next (sc, i)) {
        /* Only 行 (行政…) and the negations 未 没 无 do anything here. */
        i = s_skip3 (sc, i, e, S_BIT (0x884C) | S_BIT (0x672A)
                                   | S_BIT (0x6CA1) | S_BIT (0x65E0));
        if (i >= e)
            break;
        bool review = s_at (sc, i, e, "行政复议");
        if ((review || s_at (sc, i, e, "行政诉讼"))
            && mentions++ < S_MAX_VERBS) {
            size_t cs = s_clause_start (sc, a, i);
            size_t j = i + strlen ("行政复议");
            size_t lim = s_fwd (sc, j, e, S_WIN_FILLER);
            while (j < lim && s_char_in (sc, j, lim, s_legal_filler))
                j = s_next (sc, j);
            s_count_t c;
            if (!s_has_any (sc, cs, i, s_last_year)
                && s_count (sc, j, e, true, s_units_legal, &c))
                s_push (sc, review ? GL_FACT_REVIEWS : GL_FACT_SUITS, c.start,
                        c.end, c.value);
        }
        if ((done_r && done_s) || negations >= S_MAX_NEGATIONS
            || !s_negation_at (sc, i, e))
            continue;
        negations++;
        size_t cs = s_clause_start (sc, a, i);
        if (s_has_any (sc, cs, i, s_last_year))
            continue;
        size_t lim = s_fwd (sc, i, e, S_WIN_NEG_LEGAL);
        size_t r = SIZE_MAX, t = SIZE_MAX;
        for (size_t j = s_next (sc, i); j < lim; j = s_next (sc, j)) {
            if (s_break_at (sc, j, lim) || s_digit_at (sc, j, lim))
                break;
            if (r == SIZE_MAX && s_at (sc, j, e, "复议"))
                r = j + strlen ("复议");
            if (t == SIZE_MAX && s_at (sc, j, e, "诉讼"))
                t = j + strlen ("诉讼");
        }
        size_t start = s_negation_start (sc, cs, i);
        if (r != SIZE_MAX && !done_r) {
            s_push (sc, GL_FACT_REVIEWS_NONE, start, r, 0);
            done_r = true;
        }
        if (t != SIZE_MAX && !done_s) {
            s_push (sc, GL_FACT_SUITS_NONE, start, t, 0);
            done_s = true;
        }
    }
}

/*  Answers: "部分公开答复1件", "申请信息不存在5件", "不予公开2件" ….  At
 *  each position the longest phrase wins, and the scan resumes after it, so
 *  "同意部分公开" is one PARTIAL and not also a GRANTED.                    */
static void
s_answers (s_scan_t *sc, size_t a, size_t e)
{
    static const struct {
        const char *phrase;
        gl_answer_t answer;
    } phrases[] = {
        /* Longest first where one phrase starts another. */
        { "同意部分公开", GL_ANS_PARTIAL },
        { "部分予以公开", GL_ANS_PARTIAL },
        { "部分公开", GL_ANS_PARTIAL },
        { "全部予以公开", GL_ANS_GRANTED },
        { "全部公开", GL_ANS_GRANTED },
        { "同意公开", GL_ANS_GRANTED },
        { "予以公开", GL_ANS_GRANTED },
        { "不予公开", GL_ANS_DENIED },
        { "无法提供", GL_ANS_UNABLE },
        { "申请信息不存在", GL_ANS_NOT_EXIST },
        { "信息不存在", GL_ANS_NOT_EXIST },
        { "不掌握相关政府信息", GL_ANS_NOT_EXIST },
        { "不掌握相关信息", GL_ANS_NOT_EXIST },
        { "不掌握", GL_ANS_NOT_EXIST },
        { "不予处理", GL_ANS_NOT_HANDLED },
    };
    size_t i = a;
    while (i < e) {
        /* Only 同 部 全 予 不 无 申 信 begin a phrase: a set of their
         * low six bits (none of them 0, as for no character) rules out
         * most others at once. */
        static const uint64_t leads = S_BIT (0x540C) | S_BIT (0x90E8)
                                      | S_BIT (0x5168) | S_BIT (0x4E88)
                                      | S_BIT (0x4E0D) | S_BIT (0x65E0)
                                      | S_BIT (0x7533) | S_BIT (0x4FE1);
        i = s_skip3 (sc, i, e, leads);
        if (i >= e)
            break;
        uint32_t lead = s_cp3 (sc, i);
        if (!((leads >> (lead & 63)) & 1)
            || (lead != 0x540C && lead != 0x90E8 && lead != 0x5168
                && lead != 0x4E88 && lead != 0x4E0D && lead != 0x65E0
                && lead != 0x7533 && lead != 0x4FE1)) {
            i = s_next (sc, i);
            continue;
        }
        size_t k = 0;
        for (; k < sizeof phrases / sizeof phrases[0]; k++)
            if (s_at (sc, i, e, phrases[k].phrase))
                break;
        if (k == sizeof phrases / sizeof phrases[0]) {
            i = s_next (sc, i);
            continue;
        }
        size_t j = i + strlen (phrases[k].phrase);
        i = j;
        size_t lim = s_fwd (sc, j, e, S_WIN_FILLER);
        while (j < lim && s_char_in (sc, j, lim, "答复的共计为申请了是: "))
            j = s_next (sc, j);
        s_count_t c;
        if (s_count (sc, j, e, true, s_units_answer, &c))
            s_push (sc, GL_FACT_ANSWER, c.start, c.end, c.value)->answer
                = phrases[k].answer;
    }
}

/*  Itemised counts: a whole introduced by 合计/共计/总计/累计/共, a unit,
 *  then "其中" and parts with the same unit up to the end of the sentence
 *  that holds 其中 (which may be the next one: "合计910条。其中…").       */

/*  True if a whole keyword ends the text just before p within the clause:
 *  looks back at most S_WIN_WHOLE characters over text without digits.     */
static bool
s_whole_keyword (const s_scan_t *sc, size_t a, size_t p)
{
    static const char *const keys[] = { "合计", "共计", "总计", "累计", NULL };
    size_t j = p;
    for (size_t k = 0; k < S_WIN_WHOLE && j > a; k++) {
        j = s_prev (sc, j);
        if (s_break_at (sc, j, p) || s_digit_at (sc, j, p))
            return false;
        /* Every key starts with 合 共 总 or 累. */
        uint32_t c = s_cp3 (sc, j);
        if (c != 0x5408 && c != 0x5171 && c != 0x603B && c != 0x7D2F)
            continue;
        if (s_at_any (sc, j, p, keys))
            return true;
        /* A lone 共, but not 公共, 共同, 共享, 共产党 … */
        if (s_at (sc, j, p, "共")) {
            size_t after = j + strlen ("共");
            bool word = s_char_in (sc, after, p,
                                   "同享建产识性青商治担赢济鸣振用");
            if (j > a && s_char_in (sc, s_prev (sc, j), p, "公"))
                word = true;
            if (!word)
                return true;
        }
    }
    return false;
}

/*  Sums the parts of an itemisation with the unit of the whole, from from
 *  to the end of the sentence.  Returns false when the parts cannot be
 *  trusted: an approximate part ("10余条") or a second 其中 (a nested
 *  breakdown).  Figures in brackets are details of a part, not parts.
 *  Stopping at the next 其中 keeps the scan linear.                        */
/*  Characters that may start something s_parts() acts on: brackets, 其,
 *  and the numerals s_figure() reads.  0 (not a three-byte character)
 *  never does.                                                             */
static bool
s_parts_lead (uint32_t c)
{
    switch (c) {
    case 0xFF08: case 0xFF09: case 0x3010: case 0x3011: /* （ ） 【 】 */
    case 0x5176:                                        /* 其 */
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x4E24:
    case 0x5341:                                        /* 一…九 两 十 */
        return true;
    default:
        return false;
    }
}

static bool
s_parts (const s_scan_t *sc, size_t from, const char *unit, int64_t *sum,
         size_t *n)
{
    const char *const units[] = { unit, NULL };
    size_t to = sc->len;
    int depth = 0;
    *sum = 0;
    *n = 0;
    size_t i = from;
    while (i < to && !s_stop_len (sc, i, to)) {
        /* Only a bracket, 其, a digit or a Chinese numeral does anything
         * here: step over every other character at once. */
        unsigned char b = (unsigned char) sc->s[i];
        if (b < 0x80 ? !(s_digit_at (sc, i, to) || b == '(' || b == ')'
                         || b == '[' || b == ']')
                     : !s_parts_lead (s_cp3 (sc, i))) {
            i = s_next (sc, i);
            continue;
        }
        if (s_char_in (sc, i, to, "(（[【")) {
            depth++;
        } else if (s_char_in (sc, i, to, ")）]】")) {
            if (depth > 0)
                depth--;
        } else if (s_at (sc, i, to, "其中")) {
            return false;
        } else {
            s_count_t c;
            int64_t v;
            size_t k = s_figure (sc, i, to, true, &v);
            if (k != i && s_char_in (sc, k, to, "余多"))
                return false;
            if (s_count (sc, i, to, true, units, &c)) {
                if (depth == 0) {
                    *sum += c.value;
                    (*n)++;
                }
                i = c.after;
                continue;
            }
            if (k != i) {
                i = k;
                continue;
            }
        }
        i = s_next (sc, i);
    }
    return true;
}

static void
s_itemised (s_scan_t *sc, size_t a, size_t e)
{
    for (size_t i = a; i < e; i = s_next (sc, i)) {
        i = s_next_digit (sc, i, e);
        if (i >= e)
            break;
        s_count_t c;
        if (!s_count (sc, i, e, false, s_units_whole, &c)) {
            while (s_digit_at (sc, i + 1, e))
                i++;
            continue;
        }
        size_t next = s_prev (sc, c.after);
        if (!s_whole_keyword (sc, a, i)) {
            i = next;
            continue;
        }
        /* 其中 must follow at once, after punctuation or space. */
        size_t j = c.after;
        while (j < sc->len && s_char_in (sc, j, sc->len, ",，。:： "))
            j = s_next (sc, j);
        if (!s_at (sc, j, sc->len, "其中")) {
            i = next;
            continue;
        }
        int64_t sum;
        size_t n;
        if (s_parts (sc, j + strlen ("其中"), c.unit, &sum, &n) && n > 0) {
            gl_fact_t *f = s_push (sc, GL_FACT_ITEMISED, c.start, c.end,
                                   c.value);
            f->parts_sum = sum;
            f->n_parts = n;
            size_t ul = strlen (c.unit);
            if (ul >= sizeof f->unit)
                ul = sizeof f->unit - 1;
            memcpy (f->unit, c.unit, ul);
            f->unit[ul] = '\0';
        }
        i = next;
    }
}

/*  ---------------------------------------------------------------------
 *  Entry point.                                                            */

void
gl_facts_scan (const char *text, size_t len, uint32_t base, gl_fact_fn *fn,
               void *ctx)
{
    if (!text || !fn)
        return;
    /* Fields one by one: an initialiser would clear the fact buffer, a few
     * kilobytes, on every line. */
    s_scan_t sc;
    sc.s = text;
    sc.len = len;
    sc.base = base;
    sc.fn = fn;
    sc.ctx = ctx;
    sc.n = 0;
    /* Bytes that may start a sentence stop (see s_stop_len). */
    static const bool lead[256] = { [';'] = true, ['!'] = true,
                                    ['?'] = true, ['\n'] = true,
                                    [0xE3] = true, [0xEF] = true };
    /* The continuation bytes of two three-byte characters in a word (the
     * same bits of the word on either byte order). */
    static const unsigned char mb[8] = { 0, 0xC0, 0xC0, 0, 0xC0, 0xC0, 0, 0 };
    static const unsigned char cb[8] = { 0, 0x80, 0x80, 0, 0x80, 0x80, 0, 0 };
    uint64_t cmask, cbits;
    memcpy (&cmask, mb, 8);
    memcpy (&cbits, cb, 8);
    size_t a = 0;
    while (a < len) {
        size_t e = a, stop = 0;
        while (e < len) {
            unsigned char c = (unsigned char) text[e];
            uint64_t w;
            /* Two ideographs (leads E4-E9 and their continuation bytes,
             * none of them a stop) per word test. */
            if (c >= 0xE4 && c <= 0xE9 && e + 8 <= len
                && (memcpy (&w, text + e, 8), (w & cmask) == cbits)
                && (unsigned char) text[e + 3] >= 0xE4
                && (unsigned char) text[e + 3] <= 0xE9) {
                e += 6;
                continue;
            }
            if (lead[c] && (stop = s_stop_len (&sc, e, len)) != 0)
                break;
            e++;
        }
        s_years (&sc, a, e);
        s_received (&sc, a, e);
        s_legal (&sc, a, e);
        s_answers (&sc, a, e);
        s_itemised (&sc, a, e);
        s_flush (&sc);
        a = e + stop;
    }
}

/*  ---------------------------------------------------------------------
 *  Once per document.                                                     */

typedef struct {
    gl_doc_t *doc;
    const gl_para_t *para;
    GL_VEC (gl_doc_fact_t) facts;
} gl_collect_t;

static void
s_keep (const gl_fact_t *fact, void *arg)
{
    gl_collect_t *c = arg;
    gl_doc_fact_t *f = GL_VEC_PUSH (&c->doc->arena, &c->facts);
    if (f) {
        f->fact = *fact;
        f->para = c->para;
    }
}

gl_err_t
gl_facts_collect (gl_doc_t *doc)
{
    gl_collect_t c = { .doc = doc };
    for (size_t i = 0; i < doc->n_paras; i++) {
        c.para = &doc->paras[i];
        gl_facts_scan (c.para->text, c.para->span.end - c.para->span.start,
                       c.para->span.start, s_keep, &c);
    }
    doc->facts = c.facts.v;
    doc->n_facts = c.facts.n;
    return doc->arena.failed ? GL_ENOMEM : GL_OK;
}

const gl_doc_fact_t *
gl_doc_facts (const gl_doc_t *doc, size_t *n)
{
    *n = doc->n_facts;
    return doc->facts;
}
