/*  gl_match.c: comparing labels and reading numbers.
 *
 *  Labels are compared by key (letters, digits and ideographs only) and a
 *  similarity built on the longest common subsequence, so that spacing,
 *  punctuation, full-width forms and a changed word do not lose a row.
 *  Numbers are read as report writers type them: "1,234", "1 234", "-3",
 *  "0.5".
 */
#include "gl_internal.h"

#include <string.h>
#include <utf8proc.h>

static bool
s_keep (uint32_t cp)
{
    if (cp < 128)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')
               || (cp >= 'A' && cp <= 'Z');
    if (gl_is_cjk (cp))
        return true;
    utf8proc_category_t c = utf8proc_category ((utf8proc_int32_t) cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO)
           || (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

void
gl_key_cap (const char *s, size_t n, gl_key_t *key, size_t cap)
{
    if (cap > GL_KEY_MAX)
        cap = GL_KEY_MAX;
    key->n = 0;
    const unsigned char *u = (const unsigned char *) s;
    size_t i = 0;
    while (i < n && key->n < cap) {
        unsigned char c = u[i];
        if (c < 0x80) {
            /* ASCII: letters (lower-cased) and digits only. */
            i++;
            if (c >= 'A' && c <= 'Z')
                key->cp[key->n++] = c + ('a' - 'A');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                key->cp[key->n++] = c;
            continue;
        }
        if ((c & 0xF0) == 0xE0 && i + 2 < n && (u[i + 1] & 0xC0) == 0x80
            && (u[i + 2] & 0xC0) == 0x80) {
            /* Three bytes: ideographs of the BMP need no table look-up. */
            uint32_t cp = ((uint32_t) (c & 0x0F) << 12)
                          | ((uint32_t) (u[i + 1] & 0x3F) << 6)
                          | (u[i + 2] & 0x3F);
            if (cp >= 0x4E00 && cp <= 0x9FFF) {
                i += 3;
                key->cp[key->n++] = cp;
                continue;
            }
        }
        uint32_t cp = gl_utf8_next (s, n, &i);
        if (s_keep (cp))
            key->cp[key->n++] = cp;
    }
}

void
gl_key (const char *s, size_t n, gl_key_t *key)
{
    gl_key_cap (s, n, key, GL_KEY_MAX);
}

bool
gl_key_eq (const gl_key_t *a, const gl_key_t *b)
{
    return a->n == b->n && memcmp (a->cp, b->cp, a->n * sizeof a->cp[0]) == 0;
}

double
gl_key_sim_over (const gl_key_t *a, const gl_key_t *b, double floor)
{
    /* LCS <= min(|a|, |b|): when even that cannot beat floor, skip the
     * quadratic part.  Most candidate rows of a table fail here. */
    size_t lo = a->n < b->n ? a->n : b->n;
    if (a->n + b->n == 0 || 2.0 * lo / (double) (a->n + b->n) <= floor)
        return 0;
    /* A finer bound: only characters of a whose hash bucket occurs in b
     * (and the other way round) can be in a common subsequence. */
    uint64_t sa = 0, sb = 0;
    for (size_t i = 0; i < a->n; i++)
        sa |= UINT64_C (1) << (a->cp[i] % 64);
    for (size_t i = 0; i < b->n; i++)
        sb |= UINT64_C (1) << (b->cp[i] % 64);
    size_t ca = 0, cb = 0;
    for (size_t i = 0; i < a->n; i++)
        ca += (sb >> (a->cp[i] % 64)) & 1;
    for (size_t i = 0; i < b->n; i++)
        cb += (sa >> (b->cp[i] % 64)) & 1;
    size_t common = ca < cb ? ca : cb;
    if (2.0 * common / (double) (a->n + b->n) <= floor)
        return 0;
    return gl_key_sim (a, b);
}

void
gl_key_prof (const gl_key_t *k, gl_key_prof_t *p)
{
    p->set = 0;
    memset (p->count, 0, sizeof p->count);
    for (size_t i = 0; i < k->n; i++) {
        unsigned b = k->cp[i] % 64;
        p->set |= UINT64_C (1) << b;
        p->count[b]++;          /* at most GL_KEY_MAX: fits */
    }
}

double
gl_key_sim_prof (const gl_key_t *a, const gl_key_prof_t *pa, const gl_key_t *b,
                 const gl_key_prof_t *pb, double floor)
{
    size_t lo = a->n < b->n ? a->n : b->n;
    if (a->n + b->n == 0 || 2.0 * lo / (double) (a->n + b->n) <= floor)
        return 0;
    size_t common = 0;
    for (uint64_t m = pa->set & pb->set; m; m &= m - 1) {
        unsigned k = (unsigned) __builtin_ctzll (m);
        common += pa->count[k] < pb->count[k] ? pa->count[k] : pb->count[k];
    }
    if (2.0 * common / (double) (a->n + b->n) <= floor)
        return 0;
    return gl_key_sim (a, b);
}

double
gl_key_sim (const gl_key_t *a, const gl_key_t *b)
{
    if (a->n == 0 || b->n == 0)
        return a->n == b->n ? 1.0 : 0.0;
    if (gl_key_eq (a, b))
        return 1.0;
    const gl_key_t *p = a->n <= b->n ? a : b, *q = p == a ? b : a;
    if (p->n <= 64) {
        /* Bit-parallel LCS with the shorter key as the pattern (see
         * gl_key_prefix_sim). */
        uint64_t v = ~UINT64_C (0);
        uint64_t low = p->n == 64 ? ~UINT64_C (0) : (UINT64_C (1) << p->n) - 1;
        for (size_t k = 0; k < q->n; k++) {
            uint32_t c = q->cp[k];
            uint64_t m = 0;
            for (size_t j = 0; j < p->n; j++)
                m |= (uint64_t) (p->cp[j] == c) << j;
            uint64_t u = v & m;
            v = (v + u) | (v - u);
        }
        size_t lcs = p->n - (size_t) __builtin_popcountll (v & low);
        return 2.0 * (double) lcs / (double) (a->n + b->n);
    }
    /* LCS with two rolling rows; keys are at most GL_KEY_MAX long. */
    uint16_t prev[GL_KEY_MAX + 1], cur[GL_KEY_MAX + 1];
    memset (prev, 0, sizeof prev);
    for (size_t i = 1; i <= a->n; i++) {
        cur[0] = 0;
        for (size_t j = 1; j <= b->n; j++) {
            if (a->cp[i - 1] == b->cp[j - 1])
                cur[j] = (uint16_t) (prev[j - 1] + 1);
            else
                cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
        memcpy (prev, cur, (b->n + 1) * sizeof cur[0]);
    }
    return 2.0 * prev[b->n] / (double) (a->n + b->n);
}

double
gl_key_prefix_sim (const gl_key_t *a, const gl_key_t *b, size_t lo, size_t hi,
                   size_t *best_k)
{
    if (a->n <= 64) {
        /* Bit-parallel LCS (Crochemore, Iliopoulos, Pinzon and Reid): bit
         * j of V is 0 where column j of the LCS table steps up, so after k
         * characters of b, LCS (a, b[0, k)) is the number of zero bits
         * among the low a->n.  One word operation per character of b. */
        uint64_t v = ~UINT64_C (0);
        uint64_t low = a->n == 64 ? ~UINT64_C (0)
                                  : (UINT64_C (1) << a->n) - 1;
        double best = 0;
        *best_k = 0;
        if (hi > b->n)
            hi = b->n;
        for (size_t k = 1; k <= hi; k++) {
            uint32_t c = b->cp[k - 1];
            uint64_t m = 0;
            for (size_t j = 0; j < a->n; j++)
                m |= (uint64_t) (a->cp[j] == c) << j;
            uint64_t u = v & m;
            v = (v + u) | (v - u);
            if (k < lo)
                continue;
            size_t lcs = a->n - (size_t) __builtin_popcountll (v & low);
            double sim = 2.0 * (double) lcs / (double) (a->n + k);
            if (sim > best) {
                best = sim;
                *best_k = k;
            }
        }
        return best;
    }
    /* One LCS table, b outer: after k characters of b, prev[a->n] is
     * LCS (a, b[0, k)), so every prefix length costs nothing extra. */
    uint16_t prev[GL_KEY_MAX + 1], cur[GL_KEY_MAX + 1];
    memset (prev, 0, sizeof prev);
    double best = 0;
    *best_k = 0;
    if (hi > b->n)
        hi = b->n;
    for (size_t k = 1; k <= hi; k++) {
        cur[0] = 0;
        for (size_t j = 1; j <= a->n; j++) {
            if (b->cp[k - 1] == a->cp[j - 1])
                cur[j] = (uint16_t) (prev[j - 1] + 1);
            else
                cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
        memcpy (prev, cur, (a->n + 1) * sizeof cur[0]);
        if (k < lo)
            continue;
        double sim = 2.0 * prev[a->n] / (double) (a->n + k);
        if (sim > best) {
            best = sim;
            *best_k = k;
        }
    }
    return best;
}

static bool
s_digit (char c)
{
    return c >= '0' && c <= '9';
}

/*  Reads digit groups separated by sep (',' or ' '): the first of 1-3
 *  digits, the rest of exactly 3.  Returns bytes read, 0 if not grouped.  */
static size_t
s_grouped (const char *s, size_t n, char sep)
{
    size_t i = 0;
    while (i < n && s_digit (s[i]))
        i++;
    if (i == 0 || i > 3 || i >= n || s[i] != sep)
        return 0;
    size_t groups = 0;
    while (i < n && s[i] == sep) {
        size_t j = i + 1;
        while (j < n && s_digit (s[j]))
            j++;
        if (j - i - 1 != 3)
            return 0;
        i = j;
        groups++;
    }
    return groups ? i : 0;
}

static bool s_number_parse (const char *s, size_t n, gl_cell_t *cell);

/*  Up to fifteen plain digits, nearly every table cell, read at once
 *  (fifteen digits add up exactly in a double as in an integer).          */
static inline bool
s_plain_digits (const char *s, size_t n, gl_cell_t *cell)
{
    if (n > 15)
        return false;
    int64_t v = 0;
    size_t k = 0;
    while (k < n && s_digit (s[k]))
        v = v * 10 + (s[k++] - '0');
    if (k != n)
        return false;
    cell->kind = GL_CELL_INT;
    cell->ival = v;
    cell->dval = (double) v;
    cell->grouped = false;
    return true;
}

bool
gl_number_parse (const char *s, size_t n, gl_cell_t *cell)
{
    /* Plain digits, nearly every table cell, without the full parser's
     * prologue (no spaces to trim). */
    if (n && s_plain_digits (s, n, cell))
        return true;
    return s_number_parse (s, n, cell);
}

static __attribute__ ((noinline)) bool
s_number_parse (const char *s, size_t n, gl_cell_t *cell)
{
    cell->kind = GL_CELL_BAD;
    cell->ival = 0;
    cell->dval = 0;
    cell->grouped = false;
    while (n && (s[0] == ' ' || s[0] == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 40)
        return false;
    if (s_plain_digits (s, n, cell))
        return true;
    bool neg = false;
    size_t i = 0;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    else if (n >= 3 && memcmp (s, "\xe2\x88\x92", 3) == 0) { /* U+2212 */
        neg = true;
        i = 3;
    }
    while (i < n && s[i] == ' ')
        i++;
    size_t start = i;
    size_t g = s_grouped (s + i, n - i, ',');
    if (!g)
        g = s_grouped (s + i, n - i, ' ');
    char digits[48];
    size_t nd = 0;
    if (g) {
        for (size_t k = i; k < i + g; k++)
            if (s_digit (s[k]))
                digits[nd++] = s[k];
        cell->grouped = true;
        i += g;
    }
    else {
        while (i < n && s_digit (s[i]) && nd < 40)
            digits[nd++] = s[i++];
    }
    if (nd == 0 || i == start)
        return false;
    size_t int_digits = nd;
    bool dec = false;
    if (i < n && s[i] == '.') {
        i++;
        size_t f = 0;
        while (i < n && s_digit (s[i]) && nd < 40)
            digits[nd++] = s[i++], f++;
        if (f == 0)
            return false;
        dec = true;
    }
    if (i != n)
        return false;
    double d = 0;
    int64_t v = 0;
    bool overflow = int_digits > 18;
    for (size_t k = 0; k < int_digits; k++) {
        d = d * 10 + (digits[k] - '0');
        if (!overflow)
            v = v * 10 + (digits[k] - '0');
    }
    double scale = 1;
    for (size_t k = int_digits; k < nd; k++) {
        scale /= 10;
        d += (digits[k] - '0') * scale;
    }
    if (neg) {
        d = -d;
        v = -v;
    }
    cell->dval = d;
    if (dec) {
        cell->kind = GL_CELL_DEC;
        return true;
    }
    if (overflow)
        return false;
    cell->kind = GL_CELL_INT;
    cell->ival = v;
    return true;
}

bool
gl_is_valueish (const char *s, size_t n)
{
    gl_cell_t c;
    if (gl_number_parse (s, n, &c))
        return true;
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (n == 0 || n > 12)
        return false;
    /* Placeholders: dashes, slashes, "无", and digit soup without any
     * ideograph ("0.0.0", "1o"). */
#define GL_WORD(w) { w, sizeof w - 1 }
    static const struct {
        const char *w;
        size_t n;
    } words[] = {
        GL_WORD ("-"), GL_WORD ("--"), GL_WORD ("\xe2\x80\x94"),
        GL_WORD ("\xe2\x80\x94\xe2\x80\x94"), GL_WORD ("\xe2\x80\x93"),
        GL_WORD ("/"), GL_WORD ("\\"), GL_WORD ("\xc3\x97"), GL_WORD ("*"),
        GL_WORD ("\xe6\x97\xa0"), GL_WORD ("\xe7\xa9\xba"),
    };
#undef GL_WORD
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (words[k].n == n && memcmp (words[k].w, s, n) == 0)
            return true;
    bool digit = false;
    size_t i = 0;
    while (i < n) {
        uint32_t cp = gl_utf8_next (s, n, &i);
        if (gl_is_cjk (cp))
            return false;
        if (cp >= '0' && cp <= '9')
            digit = true;
    }
    return digit && n <= 8;
}

size_t
gl_cn_numeral (const char *s, size_t n, int *value)
{
    static const char *const digits[] = {
        "\xe4\xb8\x80", "\xe4\xba\x8c", "\xe4\xb8\x89", "\xe5\x9b\x9b",
        "\xe4\xba\x94", "\xe5\x85\xad", "\xe4\xb8\x83", "\xe5\x85\xab",
        "\xe4\xb9\x9d"
    };
    static const char ten[] = "\xe5\x8d\x81";
    /* Every numeral starts with 0xE4 or 0xE5. */
    if (n < 3 || ((unsigned char) s[0] != 0xE4 && (unsigned char) s[0] != 0xE5))
        return 0;
    size_t i = 0;
    int v = 0, d = 0;
    for (int k = 0; k < 9 && !d; k++)
        if (n >= 3 && memcmp (s, digits[k], 3) == 0)
            d = k + 1;
    if (d)
        i = 3;
    if (n >= i + 3 && memcmp (s + i, ten, 3) == 0) {
        v = (d ? d : 1) * 10;
        i += 3;
        int u = 0;
        for (int k = 0; k < 9 && !u; k++)
            if (n >= i + 3 && memcmp (s + i, digits[k], 3) == 0)
                u = k + 1;
        if (u) {
            v += u;
            i += 3;
        }
    }
    else
        v = d;
    if (v == 0)
        return 0;
    *value = v;
    return i;
}
