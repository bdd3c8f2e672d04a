/*  gl_text.c: decoding, normalisation and positions of a document's text.
 *
 *  This module owns the first stage of the pipeline and the gl_text_t it
 *  fills.  The input bytes are decoded to UTF-8 (dec): strict UTF-8 with or
 *  without a BOM, else GB18030 through glibc iconv, else the input is
 *  reported as badly encoded (GID001).  dec is then normalised into the text
 *  the parser reads (s): CR LF and lone CR become LF, every code point is
 *  folded by NFKC (full-width digits, letters, brackets, colons and U+3000
 *  become ASCII) and zero-width characters are dropped.  Two maps, s -> dec
 *  and dec -> input, and a line index over dec let gl_text_pos() resolve a
 *  span of s to lines, columns and input byte offsets of the text as sent.
 *
 *  It also owns the UTF-8 helpers gl_utf8_next(), gl_utf8_put() and
 *  gl_is_cjk().  Every allocation comes from the document's arena; the work
 *  is linear in the size of the input, and there is no global state (the
 *  iconv handle is opened and closed within one call).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gl_internal.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <utf8proc.h>

/*  Offsets are stored in 32 bits, so no text may reach 4 GiB.  A text that
 *  would is reported as GL_ENOMEM (the engine's input size limit keeps real
 *  documents far below this).                                              */
#define GL_TEXT_MAX ((size_t) UINT32_MAX - 8)


/*  ---------------------------------------------------------------------
 *  UTF-8.                                                                  */

/*  Returns the length (1 to 4) of the well-formed UTF-8 sequence at p, of
 *  at most n bytes, and stores its code point in *cp; returns 0 if the
 *  sequence is ill-formed or truncated.  Overlong forms, surrogates and code
 *  points above U+10FFFF are ill-formed.  NUL is accepted here; the input
 *  check rejects it separately.                                            */
static size_t
s_utf8_seq (const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 < 0xC2)
        return 0;
    if (b0 < 0xE0) {
        if (n < 2 || (p[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t) (b0 & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (b0 < 0xF0) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
        if (n < 2 || p[1] < lo || p[1] > hi)
            return 0;
        if (n < 3 || (p[2] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t) (b0 & 0x0F) << 12) | ((uint32_t) (p[1] & 0x3F) << 6)
              | (p[2] & 0x3F);
        return 3;
    }
    if (b0 < 0xF5) {
        unsigned char lo = 0x80, hi = 0xBF;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
        if (n < 2 || p[1] < lo || p[1] > hi)
            return 0;
        if (n < 3 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (n < 4 || (p[3] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t) (b0 & 0x07) << 18) | ((uint32_t) (p[1] & 0x3F) << 12)
              | ((uint32_t) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        return 4;
    }
    return 0;
}

/*  Returns the offset of the first byte of p[0, n) that is not valid input
 *  UTF-8, or n if all of it is.  A NUL byte counts as invalid: a report is
 *  text, a NUL in it means a binary file or a wrong encoding (UTF-16), and
 *  keeping NUL out of dec and s lets both be used as C strings.  The same
 *  rule applies to GB18030 input, so any NUL yields GID001.                 */
/*  The 64-bit word whose bytes in memory are b0 … b7 (a constant once
 *  folded, on either byte order).                                          */
static inline uint64_t
s_word (unsigned b0, unsigned b1, unsigned b2, unsigned b3, unsigned b4,
        unsigned b5, unsigned b6, unsigned b7)
{
    const unsigned char b[8] = { (unsigned char) b0, (unsigned char) b1,
                                 (unsigned char) b2, (unsigned char) b3,
                                 (unsigned char) b4, (unsigned char) b5,
                                 (unsigned char) b6, (unsigned char) b7 };
    uint64_t w;
    memcpy (&w, b, 8);
    return w;
}

/*  True for the leads E1-EC and EE-EF: with any two continuation bytes
 *  they make a valid, non-NUL three-byte character.                        */
static inline bool
s_lead3 (unsigned char c)
{
    return c >= 0xE1 && c <= 0xEF && c != 0xED;
}

static size_t
s_utf8_check (const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        /* Three bytes under a lead of E1-EC or EE-EF (ideographs, most
         * punctuation): any two continuation bytes make a valid, non-NUL
         * character. */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
            /* Two such characters at once while they last: one load
             * checks their four continuation bytes (a byte's two high
             * bits sit in the same place of the word whatever the byte
             * order). */
            const uint64_t cmask = s_word (0, 0xC0, 0xC0, 0, 0xC0, 0xC0, 0, 0);
            const uint64_t cbits = s_word (0, 0x80, 0x80, 0, 0x80, 0x80, 0, 0);
            size_t from = i;
            uint64_t w;
            while (i + 8 <= n && (memcpy (&w, p + i, 8), (w & cmask) == cbits)
                   && s_lead3 (p[i]) && s_lead3 (p[i + 3]))
                i += 6;
            if (i != from)
                continue;
            if (i + 2 < n && (p[i + 1] & 0xC0) == 0x80
                && (p[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
        }
        if (c >= 0x01 && c < 0x80) {
            /* Eight ASCII bytes, none of them NUL, at once. */
            uint64_t w;
            const uint64_t hi = UINT64_C (0x8080808080808080);
            const uint64_t lo = UINT64_C (0x0101010101010101);
            if (i + 8 <= n && (memcpy (&w, p + i, 8), !(w & hi))
                && !((w - lo) & ~w & hi))
                i += 8;
            else
                i++;
            continue;
        }
        uint32_t cp;
        size_t k = s_utf8_seq (p + i, n - i, &cp);
        if (k == 0 || cp == 0)
            return i;
        i += k;
    }
    return n;
}

uint32_t
gl_utf8_next (const char *s, size_t n, size_t *i)
{
    if (*i >= n)
        return 0;
    uint32_t cp;
    size_t k = s_utf8_seq ((const unsigned char *) s + *i, n - *i, &cp);
    if (k == 0) {
        (*i)++;
        return 0xFFFD;
    }
    *i += k;
    return cp;
}

size_t
gl_utf8_put (uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char) (0xC0 | (cp >> 6));
        out[1] = (char) (0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char) (0xE0 | (cp >> 12));
        out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char) (0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char) (0xF0 | (cp >> 18));
    out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char) (0x80 | (cp & 0x3F));
    return 4;
}

bool
gl_is_cjk (uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
           || (cp >= 0x20000 && cp <= 0x2FA1F)
           || (cp >= 0xF900 && cp <= 0xFAFF);
}

/*  ---------------------------------------------------------------------
 *  GB18030.                                                                */

/*  Returns the length (1, 2 or 4) of the GB18030 character at p, of at most
 *  n bytes, by its structure alone, or 0 if it is malformed.  Single bytes
 *  are 0x01-0x7F (NUL is rejected as for UTF-8; 0x80 and 0xFF are invalid).
 *  A lead byte 0x81-0xFE followed by 0x30-0x39 starts a four-byte
 *  character (lead, digit, lead, digit); otherwise it starts a two-byte one
 *  whose trail is 0x40-0x7E or 0x80-0xFE.  Whether the character is mapped
 *  is left to iconv.                                                       */
static size_t
s_gb_len (const unsigned char *p, size_t n)
{
    unsigned char b0 = p[0];
    if (b0 >= 0x01 && b0 < 0x80)
        return 1;
    if (b0 < 0x81 || b0 == 0xFF)
        return 0;
    if (n < 2)
        return 0;
    unsigned char b1 = p[1];
    if (b1 >= 0x30 && b1 <= 0x39) {
        if (n < 4 || p[2] < 0x81 || p[2] == 0xFF || p[3] < 0x30 || p[3] > 0x39)
            return 0;
        return 4;
    }
    if ((b1 >= 0x40 && b1 <= 0x7E) || (b1 >= 0x80 && b1 != 0xFF))
        return 2;
    return 0;
}

/*  Decodes in[0, n) as GB18030 into t->dec, t->dec_len and t->dec_to_orig.
 *  Returns GL_OK and sets *ok when the input is valid GB18030; GL_OK with
 *  *ok false when it is not; GL_ENOMEM when out of memory.  The whole buffer
 *  goes through iconv at once, then source and output are walked in
 *  parallel: every GB18030 character is exactly one code point.            */
static gl_err_t
s_gb18030 (gl_arena_t *a, const unsigned char *in, size_t n, gl_text_t *t,
           bool *ok)
{
    *ok = false;
    for (size_t i = 0; i < n;) {
        size_t k = s_gb_len (in + i, n - i);
        if (k == 0)
            return GL_OK;
        i += k;
    }

    /* A character of 1 byte gives 1 byte of UTF-8, one of 2 or 4 bytes
     * gives at most 4, so 2 n bytes always suffice. */
    if (n > GL_TEXT_MAX / 2)
        return GL_ENOMEM;
    size_t cap = 2 * n + 4;
    char *out = gl_arena_alloc (a, cap + 1);
    if (!out)
        return GL_ENOMEM;

    /* Without a GB18030 converter the input is treated as not GB18030. */
    iconv_t cd = iconv_open ("UTF-8", "GB18030");
    if (cd == (iconv_t) -1)
        return GL_OK;
    char *ip = (char *) (uintptr_t) in;
    size_t ileft = n;
    char *op = out;
    size_t oleft = cap;
    size_t r = n ? iconv (cd, &ip, &ileft, &op, &oleft) : 0;
    if (r != (size_t) -1)
        r = iconv (cd, NULL, NULL, &op, &oleft);
    iconv_close (cd);
    if (r == (size_t) -1 || ileft != 0)
        return GL_OK;
    size_t dec_len = cap - oleft;
    out[dec_len] = '\0';

    uint32_t *map = gl_arena_alloc (a, (dec_len + 1) * sizeof *map);
    if (!map)
        return GL_ENOMEM;
    const unsigned char *o = (const unsigned char *) out;
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        size_t k = s_gb_len (in + i, n - i);
        uint32_t cp;
        size_t m = j < dec_len ? s_utf8_seq (o + j, dec_len - j, &cp) : 0;
        if (m == 0 || cp == 0)
            return GL_OK;
        for (size_t x = 0; x < m; x++)
            map[j + x] = (uint32_t) i;
        j += m;
        i += k;
    }
    if (j != dec_len)
        return GL_OK;
    map[dec_len] = (uint32_t) n;

    t->dec = out;
    t->dec_len = dec_len;
    t->dec_to_orig = map;
    *ok = true;
    return GL_OK;
}

/*  ---------------------------------------------------------------------
 *  Normalisation.                                                          */

/*  The output buffer and its map back to dec, kept as segments (see
 *  gl_text_t): a new segment starts only where the offset between s and
 *  dec changes, at a folded, dropped or expanded character or a CR.       */
typedef struct {
    gl_arena_t *a;
    char *s;
    size_t n;
    size_t cap;                 /* room for cap bytes plus NUL               */
    GL_VEC (gl_seg_t) segs;
    int64_t delta;              /* dec - s of the open identity segment      */
    bool open;                  /* an identity segment is open               */
} gl_buf_t;

/*  Makes room for k more bytes; doubling keeps the total linear.           */
static bool
s_buf_reserve (gl_buf_t *b, size_t k)
{
    if (b->n + k <= b->cap)
        return true;
    size_t ncap = b->cap * 2;
    if (ncap < b->n + k)
        ncap = b->n + k;
    if (ncap > GL_TEXT_MAX)
        ncap = GL_TEXT_MAX;
    if (b->n + k > ncap)
        return false;
    char *ns = gl_arena_grow (b->a, b->s, b->cap + 1, ncap + 1);
    if (!ns)
        return false;
    b->s = ns;
    b->cap = ncap;
    return true;
}

/*  Maps the next output bytes to dec offset from: as an identity segment
 *  when the bytes are a copy of dec's character at from, or one byte;
 *  else (an expansion) as a constant segment.                             */
static bool
s_buf_map (gl_buf_t *b, uint32_t from, bool ident)
{
    if (ident && b->open && b->delta == (int64_t) from - (int64_t) b->n)
        return true;
    gl_seg_t *g = GL_VEC_PUSH (b->a, &b->segs);
    if (!g)
        return false;
    g->s = (uint32_t) b->n;
    g->dec = from;
    g->konst = !ident;
    b->open = ident;
    b->delta = (int64_t) from - (int64_t) b->n;
    return true;
}

static bool
s_buf_put (gl_buf_t *b, const char *p, size_t k, uint32_t from, bool ident)
{
    if (!s_buf_reserve (b, k) || !s_buf_map (b, from, ident))
        return false;
    memcpy (b->s + b->n, p, k);
    b->n += k;
    return true;
}

/*  True for the characters dropped from s: zero-width space, non-joiner,
 *  joiner, word joiner, a BOM inside the text, and the soft hyphen.        */
static bool
s_is_dropped (uint32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060
           || cp == 0xFEFF || cp == 0x00AD;
}

/*  True for characters copied as they are without asking utf8proc: CJK
 *  ideographs of the BMP, and the Chinese punctuation that must never be
 *  folded (、 。 “ ”; NFKC leaves them alone too).                          */
static bool
s_is_kept (uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
           || cp == 0x3001 || cp == 0x3002 || cp == 0x201C || cp == 0x201D;
}

/*  The reference folding of one code point: kept characters as they are,
 *  dropped ones to nothing, every other one by utf8proc (NFKC of the one
 *  character; a character utf8proc cannot fold stays as it is).            */
size_t
gl_fold_slow (uint32_t cp, uint32_t out[GL_FOLD_MAX])
{
    if (s_is_kept (cp)) {
        out[0] = cp;
        return 1;
    }
    if (s_is_dropped (cp))
        return 0;
    utf8proc_int32_t f[GL_FOLD_MAX];
    utf8proc_ssize_t m = utf8proc_decompose_char (
        (utf8proc_int32_t) cp, f, GL_FOLD_MAX,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, NULL);
    if (m > 0 && m <= GL_FOLD_MAX)
        m = utf8proc_normalize_utf32 (f, m, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (m <= 0 || m > GL_FOLD_MAX) {
        out[0] = cp;
        return 1;
    }
    for (utf8proc_ssize_t x = 0; x < m; x++)
        out[x] = (uint32_t) f[x];
    return (size_t) m;
}

/*  The fast paths of the folding, for the characters reports are made of:
 *  GL_FAST_SAME for a character NFKC leaves alone (ideographs, 、。“” and
 *  the usual Chinese punctuation 《》【】「」『』— ‘’ ·), GL_FAST_ASCII for
 *  the full-width forms U+FF01-U+FF5E and the ideographic space, which fold
 *  to one ASCII character (*ascii); GL_FAST_NONE sends the character to
 *  utf8proc.  test_text checks every code point of the BMP against
 *  gl_fold_slow().                                                         */
enum { GL_FAST_NONE, GL_FAST_SAME, GL_FAST_ASCII };

static int
s_fold_fast (uint32_t cp, char *ascii)
{
    if (s_is_kept (cp) || (cp >= 0x300A && cp <= 0x3011) || cp == 0x2014
        || cp == 0x2018 || cp == 0x2019 || cp == 0x00B7)
        return GL_FAST_SAME;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        *ascii = (char) (cp - 0xFEE0);
        return GL_FAST_ASCII;
    }
    if (cp == 0x3000) {
        *ascii = ' ';
        return GL_FAST_ASCII;
    }
    return GL_FAST_NONE;
}

size_t
gl_fold (uint32_t cp, uint32_t out[GL_FOLD_MAX])
{
    char ascii;
    switch (s_fold_fast (cp, &ascii)) {
    case GL_FAST_SAME:
        out[0] = cp;
        return 1;
    case GL_FAST_ASCII:
        out[0] = (unsigned char) ascii;
        return 1;
    default:
        return gl_fold_slow (cp, out);
    }
}

/*  Normalises t->dec into t->s and t->segs.  ASCII and the common
 *  three-byte characters take the fast paths; the rest goes through
 *  gl_fold_slow().                                                         */
/*  True if the three-byte character at u (continuation bytes checked by
 *  the caller) is in U+4E00-U+9FFF: a lead of E5-E9, or E4 from B8 on.     */
static inline bool
s_ideograph (const unsigned char *u)
{
    return (u[0] >= 0xE5 && u[0] <= 0xE9) || (u[0] == 0xE4 && u[1] >= 0xB8);
}

static gl_err_t
s_normalise (gl_arena_t *a, gl_text_t *t)
{
    const unsigned char *d = (const unsigned char *) t->dec;
    size_t n = t->dec_len;
    gl_buf_t b = { .a = a, .n = 0, .cap = n + 16 };
    if (b.cap > GL_TEXT_MAX)
        return GL_ENOMEM;
    b.s = gl_arena_alloc (a, b.cap + 1);
    if (!b.s)
        return GL_ENOMEM;

    size_t i = 0;
    while (i < n) {
        /* The longest run of characters copied as they are (ASCII but CR,
         * and three-byte characters NFKC leaves alone) goes over at once:
         * one copy, one identity segment. */
        const uint64_t cmask = s_word (0, 0xC0, 0xC0, 0, 0xC0, 0xC0, 0, 0);
        const uint64_t cbits = s_word (0, 0x80, 0x80, 0, 0x80, 0x80, 0, 0);
        size_t j = i;
        while (j < n) {
            unsigned char c = d[j];
            uint64_t w;
            /* Two ideographs (U+4E00-U+9FFF: NFKC leaves the whole block
             * alone) at once (see s_utf8_check()). */
            if (c >= 0xE4 && c <= 0xE9 && j + 8 <= n
                && (memcpy (&w, d + j, 8), (w & cmask) == cbits)
                && s_ideograph (d + j) && s_ideograph (d + j + 3)) {
                j += 6;
                continue;
            }
            if (c < 0x80) {
                if (c == '\r')
                    break;
                /* Eight ASCII bytes without CR at once. */
                const uint64_t hi = UINT64_C (0x8080808080808080);
                const uint64_t lo = UINT64_C (0x0101010101010101);
                uint64_t x;
                if (j + 8 <= n && (memcpy (&w, d + j, 8), !(w & hi))
                    && (x = w ^ (lo * '\r'), !((x - lo) & ~x & hi)))
                    j += 8;
                else
                    j++;
                continue;
            }
            if ((c & 0xF0) != 0xE0 || j + 2 >= n || (d[j + 1] & 0xC0) != 0x80
                || (d[j + 2] & 0xC0) != 0x80)
                break;
            if (c >= 0xE5 && c <= 0xE9) {
                j += 3;         /* U+5000-U+9FFF: ideographs, kept */
                continue;
            }
            uint32_t cp = ((uint32_t) (c & 0x0F) << 12)
                          | ((uint32_t) (d[j + 1] & 0x3F) << 6)
                          | (d[j + 2] & 0x3F);
            char ascii;
            if (cp < 0x800 || s_fold_fast (cp, &ascii) != GL_FAST_SAME)
                break;
            j += 3;
        }
        if (j > i) {
            if (!s_buf_put (&b, (const char *) d + i, j - i, (uint32_t) i,
                            true))
                return GL_ENOMEM;
            i = j;
            continue;
        }
        unsigned char c = d[i];
        uint32_t from = (uint32_t) i;
        if (c == '\r') {
            if (!s_buf_put (&b, "\n", 1, from, true))
                return GL_ENOMEM;
            i += (i + 1 < n && d[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if ((c & 0xF0) == 0xE0 && i + 2 < n && (d[i + 1] & 0xC0) == 0x80
            && (d[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = ((uint32_t) (c & 0x0F) << 12)
                          | ((uint32_t) (d[i + 1] & 0x3F) << 6)
                          | (d[i + 2] & 0x3F);
            char ascii;
            if (cp >= 0x800 && s_fold_fast (cp, &ascii) == GL_FAST_ASCII) {
                if (!s_buf_put (&b, &ascii, 1, from, true))
                    return GL_ENOMEM;
                i += 3;
                continue;
            }
        }
        /* dec is valid UTF-8, but were it not, gl_utf8_next() would give
         * U+FFFD for the bad byte and move on. */
        uint32_t cp = gl_utf8_next (t->dec, n, &i);
        size_t k = i - from;
        uint32_t f[GL_FOLD_MAX];
        size_t m = gl_fold_slow (cp, f);
        char out[GL_FOLD_MAX * 4];
        size_t ol = 0;
        for (size_t x = 0; x < m; x++)
            ol += gl_utf8_put (f[x], out + ol);
        if (ol == 0)
            continue;           /* dropped */
        bool ident = ol == 1 || (ol == k && memcmp (out, d + from, k) == 0);
        if (!s_buf_put (&b, out, ol, from, ident))
            return GL_ENOMEM;
    }
    b.s[b.n] = '\0';
    t->s = b.s;
    t->len = b.n;
    t->segs = b.segs.v;
    t->n_segs = b.segs.n;
    return GL_OK;
}

/*  The last of n sorted uint32_t keys, the first of each stride bytes from
 *  base, that is at or before off: searched from *at on (galloping, then
 *  halving) when that key is at or before off, else from the start; *at
 *  receives it.  Lookups in increasing order cost O(1) each on average,
 *  any lookup O(log n).                                                    */
static uint32_t
s_key_at (const unsigned char *base, size_t stride, size_t i)
{
    uint32_t k;
    memcpy (&k, base + i * stride, sizeof k);
    return k;
}

static size_t
s_gallop (const void *keys, size_t stride, size_t n, size_t off, size_t *at)
{
    const unsigned char *base = keys;
    size_t lo = *at < n && s_key_at (base, stride, *at) <= off ? *at : 0;
    size_t step = 1, hi = lo + 1;
    while (hi < n && s_key_at (base, stride, hi) <= off) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    if (hi > n)
        hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s_key_at (base, stride, mid) <= off)
            lo = mid;
        else
            hi = mid;
    }
    *at = lo;
    return lo;
}

/*  The last segment starting at or before off.                             */
static size_t
s_seg_of (const gl_text_t *t, size_t off, size_t *at)
{
    if (t->n_segs == 0)
        return 0;
    return s_gallop ((const unsigned char *) t->segs + offsetof (gl_seg_t, s),
                     sizeof (gl_seg_t), t->n_segs, off, at);
}

static uint32_t
s_to_dec (const gl_text_t *t, size_t off, size_t *at)
{
    if (off >= t->len || t->n_segs == 0)
        return (uint32_t) t->dec_len;
    const gl_seg_t *g = &t->segs[s_seg_of (t, off, at)];
    if (g->konst)
        return g->dec;
    /* The start of the dec character holding the byte: a copied character
     * maps every one of its bytes to its first. */
    size_t p = g->dec + (off - g->s);
    const unsigned char *d = (const unsigned char *) t->dec;
    while (p > g->dec && (d[p] & 0xC0) == 0x80)
        p--;
    return (uint32_t) p;
}

uint32_t
gl_text_to_dec (const gl_text_t *t, size_t off)
{
    size_t at = 0;
    return s_to_dec (t, off, &at);
}

/*  Code points of d[0, n): the bytes that are not UTF-8 continuation
 *  bytes.                                                                  */
static size_t
s_count_cps (const unsigned char *d, size_t n)
{
    /* A continuation byte has its high bit set and the next one clear:
     * eight bytes are tested at once, and their flags summed by one
     * multiplication. */
    const uint64_t hi = UINT64_C (0x8080808080808080);
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy (&w, d + i, 8);
        cont += (size_t) ((((w & ~(w << 1) & hi) >> 7)
                           * UINT64_C (0x0101010101010101)) >> 56);
    }
    for (; i < n; i++)
        cont += (d[i] & 0xC0) == 0x80;
    return n - cont;
}

/*  Fills t->line_starts with the dec offsets at which lines start: 0, and
 *  after every LF, CR LF (once) and lone CR; and t->cp_marks.  Text without
 *  CR (nearly all) is split with memchr.                                   */
static gl_err_t
s_lines (gl_arena_t *a, gl_text_t *t)
{
    const char *d = t->dec;
    size_t n = t->dec_len;
    bool cr = memchr (d, '\r', n) != NULL;
    GL_VEC (uint32_t) ls = { 0 };
    uint32_t *first = GL_VEC_PUSH (a, &ls);
    size_t nm = n / GL_CP_STEP + 1;
    uint32_t *marks = gl_arena_alloc (a, nm * sizeof *marks);
    if (!first || !marks)
        return GL_ENOMEM;
    if (!cr) {
        for (const char *p = d; (p = memchr (p, '\n', n - (size_t) (p - d)));
             p++) {
            uint32_t *l = GL_VEC_PUSH (a, &ls);
            if (!l)
                return GL_ENOMEM;
            *l = (uint32_t) (p - d + 1);
        }
    }
    else {
        for (size_t i = 0; i < n; i++)
            if (d[i] == '\n' || (d[i] == '\r' && d[i + 1] != '\n')) {
                uint32_t *l = GL_VEC_PUSH (a, &ls);
                if (!l)
                    return GL_ENOMEM;
                *l = (uint32_t) (i + 1);
            }
    }
    marks[0] = 0;
    for (size_t m = 1; m < nm; m++)
        marks[m] = marks[m - 1]
                   + (uint32_t) s_count_cps ((const unsigned char *) d
                                                 + (m - 1) * GL_CP_STEP,
                                             GL_CP_STEP);
    GL_VEC_FIT (a, &ls);
    if (!ls.v)
        return GL_ENOMEM;
    t->line_starts = ls.v;
    t->n_lines = ls.n;
    t->cp_marks = marks;
    return GL_OK;
}

/*  Makes t an empty text, for input that could not be decoded.             */
static gl_err_t
s_empty (gl_arena_t *a, gl_text_t *t)
{
    char *z = gl_arena_calloc (a, 1, 1);
    gl_seg_t *m = gl_arena_calloc (a, 1, sizeof *m);
    uint32_t *ls = gl_arena_calloc (a, 1, sizeof *ls);
    uint32_t *marks = gl_arena_calloc (a, 1, sizeof *marks);
    if (!z || !m || !ls || !marks)
        return GL_ENOMEM;
    t->cp_marks = marks;
    t->s = z;
    t->len = 0;
    t->segs = m;
    t->n_segs = 0;
    t->dec = z;
    t->dec_len = 0;
    t->dec_to_orig = NULL;
    t->line_starts = ls;
    t->n_lines = 1;
    return GL_OK;
}

gl_err_t
gl_text_decode (gl_arena_t *a, const void *bytes, size_t len, gl_text_t *t)
{
    memset (t, 0, sizeof *t);
    const unsigned char *in = bytes;
    if (len > GL_TEXT_MAX)
        return GL_ENOMEM;
    if (len == 0)
        in = (const unsigned char *) "";

    bool has_bom = len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF;
    size_t skip = has_bom ? 3 : 0;
    size_t bad = skip + s_utf8_check (in + skip, len - skip);
    if (bad == len) {
        char *dec = gl_arena_strndup (a, (const char *) in + skip, len - skip);
        if (!dec)
            return GL_ENOMEM;
        t->dec = dec;
        t->dec_len = len - skip;
        t->bom = (uint32_t) skip;
        t->enc = has_bom ? GL_ENC_UTF8_BOM : GL_ENC_UTF8;
    }
    else {
        /* A BOM declares UTF-8, so such input is not tried as GB18030. */
        bool ok = false;
        if (!has_bom) {
            gl_err_t err = s_gb18030 (a, in, len, t, &ok);
            if (err != GL_OK)
                return err;
        }
        if (!ok) {
            t->enc = GL_ENC_INVALID;
            t->bad_byte = bad;
            return s_empty (a, t);
        }
        t->enc = GL_ENC_GB18030;
    }

    gl_err_t err = s_lines (a, t);
    if (err == GL_OK)
        err = s_normalise (a, t);
    return err;
}

/*  ---------------------------------------------------------------------
 *  Positions.                                                              */

/*  Returns the 0-based index of the line containing dec offset off,
 *  searched from *at as s_seg_of() does; *at receives it.                  */
static size_t
s_line_of (const gl_text_t *t, size_t off, size_t *at)
{
    return s_gallop (t->line_starts, sizeof t->line_starts[0], t->n_lines,
                     off, at);
}

/*  Code points of dec before offset off: a mark, then at most GL_CP_STEP
 *  bytes.                                                                  */
static size_t
s_cps_before (const gl_text_t *t, size_t off)
{
    size_t m = off / GL_CP_STEP;
    return t->cp_marks[m]
           + s_count_cps ((const unsigned char *) t->dec + m * GL_CP_STEP,
                          off - m * GL_CP_STEP);
}

/*  Resolves dec offset off to a 1-based line and column.  The column counts
 *  the code points (bytes that are not UTF-8 continuation bytes) from the
 *  start of the line; the marks keep this constant on a line of any
 *  length.                                                                 */
static void
s_line_col (const gl_text_t *t, size_t off, uint32_t *line, uint32_t *col,
            size_t *at)
{
    size_t l = s_line_of (t, off, at);
    size_t ls = t->line_starts[l];
    size_t c;
    if (off - ls <= GL_CP_STEP)
        c = s_count_cps ((const unsigned char *) t->dec + ls, off - ls);
    else
        c = s_cps_before (t, off) - s_cps_before (t, ls);
    *line = (uint32_t) (l + 1);
    *col = (uint32_t) (c + 1);
}

static uint64_t
s_orig (const gl_text_t *t, size_t off)
{
    if (t->dec_to_orig)
        return t->dec_to_orig[off];
    return (uint64_t) off + t->bom;
}

void
gl_text_pos (const gl_text_t *t, gl_span_t span, gl_pos_t *pos)
{
    gl_pos_hint_t hint = { 0, 0 };
    gl_text_pos_hinted (t, span, pos, &hint);
}

void
gl_text_pos_hinted (const gl_text_t *t, gl_span_t span, gl_pos_t *pos,
                    gl_pos_hint_t *hint)
{
    size_t start = span.start, end = span.end;
    if (start > t->len)
        start = t->len;
    if (end > t->len)
        end = t->len;
    if (end < start)
        end = start;

    size_t ds = s_to_dec (t, start, &hint->seg);
    size_t seg = hint->seg;
    /* The end is the end of the dec character that gave the last byte of
     * the span, so characters dropped just after the span (a zero-width
     * space) are not counted in it, and a span ending inside the expansion
     * of one character (㈠ -> "(一)") covers that whole character.  A "\n"
     * from CR LF covers both bytes, so the span ends at the next line. */
    size_t de = ds;
    if (end > start) {
        size_t last = s_to_dec (t, end - 1, &seg);
        size_t i = last;
        const unsigned char *d = (const unsigned char *) t->dec;
        if (d[i] == '\r' && i + 1 < t->dec_len && d[i + 1] == '\n')
            i += 2;
        else
            (void) gl_utf8_next (t->dec, t->dec_len, &i);
        de = i > ds ? i : ds;
    }

    s_line_col (t, ds, &pos->line, &pos->column, &hint->line);
    size_t line = hint->line;
    s_line_col (t, de, &pos->end_line, &pos->end_column, &line);
    pos->byte_start = s_orig (t, ds);
    pos->byte_end = s_orig (t, de);
}
