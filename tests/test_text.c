/*  test_text.c: unit tests of gl_text.c.
 *
 *  Covers decoding (UTF-8, UTF-8 with BOM, GB18030, invalid input),
 *  normalisation (line ends, NFKC width folding, dropped zero-width
 *  characters), the offset maps and line index, span -> position
 *  resolution, and the UTF-8 helpers.  Every test asserts exact values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gl_internal.h"

/*  Decodes a string literal (embedded NULs included) into t.               */
#define DECODE(a, lit, t)                                                   \
    assert_int_equal (gl_text_decode ((a), (lit), sizeof (lit) - 1, (t)),    \
                      GL_OK)

static int
setup (void **state)
{
    gl_arena_t *a = malloc (sizeof *a);
    if (!a)
        return -1;
    gl_arena_init (a);
    *state = a;
    return 0;
}

static int
teardown (void **state)
{
    gl_arena_t *a = *state;
    gl_arena_fini (a);
    free (a);
    return 0;
}

static gl_pos_t
pos_of (const gl_text_t *t, uint32_t start, uint32_t end)
{
    gl_pos_t p;
    memset (&p, 0xAB, sizeof p);
    gl_text_pos (t, (gl_span_t) { start, end }, &p);
    return p;
}

/*  Asserts every field of the position of [start, end).                    */
static void
check_pos (const gl_text_t *t, uint32_t start, uint32_t end, uint32_t line,
           uint32_t col, uint32_t end_line, uint32_t end_col,
           uint64_t byte_start, uint64_t byte_end)
{
    gl_pos_t p = pos_of (t, start, end);
    assert_int_equal (p.line, line);
    assert_int_equal (p.column, col);
    assert_int_equal (p.end_line, end_line);
    assert_int_equal (p.end_column, end_col);
    assert_int_equal (p.byte_start, byte_start);
    assert_int_equal (p.byte_end, byte_end);
}

static void
test_utf8_plain (void **state)
{
    gl_text_t t;
    DECODE (*state, "ab\xe4\xb8\xad\xe6\x96\x87\n"
                    "\xe7\xac\xac\xe4\xba\x8c\xe8\xa1\x8cx", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_int_equal (t.bom, 0);
    assert_null (t.dec_to_orig);
    assert_int_equal (t.len, 19);
    assert_int_equal (t.dec_len, 19);
    assert_string_equal (t.s, "ab中文\n第二行x");
    assert_string_equal (t.dec, "ab中文\n第二行x");
    assert_int_equal (gl_text_to_dec (&t, 0), 0);
    assert_int_equal (gl_text_to_dec (&t, 6), 5);
    assert_int_equal (gl_text_to_dec (&t, 19), 19);
    assert_int_equal (t.n_lines, 2);
    assert_int_equal (t.line_starts[0], 0);
    assert_int_equal (t.line_starts[1], 9);
    /* 文 */
    check_pos (&t, 5, 8, 1, 4, 1, 5, 5, 8);
    /* The "\n". */
    check_pos (&t, 8, 9, 1, 5, 2, 1, 8, 9);
    /* 行 */
    check_pos (&t, 15, 18, 2, 3, 2, 4, 15, 18);
    /* x */
    check_pos (&t, 18, 19, 2, 4, 2, 5, 18, 19);
}

static void
test_empty (void **state)
{
    gl_text_t t;
    assert_int_equal (gl_text_decode (*state, NULL, 0, &t), GL_OK);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_int_equal (t.len, 0);
    assert_string_equal (t.s, "");
    assert_int_equal (gl_text_to_dec (&t, 0), 0);
    assert_int_equal (t.n_lines, 1);
    assert_int_equal (t.line_starts[0], 0);
    check_pos (&t, 0, 0, 1, 1, 1, 1, 0, 0);
}

static void
test_bom (void **state)
{
    gl_text_t t;
    DECODE (*state, "\xef\xbb\xbf\xe4\xb8\xad" "a\nb", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8_BOM);
    assert_int_equal (t.bom, 3);
    assert_string_equal (t.s, "中a\nb");
    assert_int_equal (t.dec_len, 6);
    assert_int_equal (t.n_lines, 2);
    assert_int_equal (t.line_starts[1], 5);
    /* 中 is the first character: column 1, input byte 3. */
    check_pos (&t, 0, 3, 1, 1, 1, 2, 3, 6);
    check_pos (&t, 3, 4, 1, 2, 1, 3, 6, 7);
    check_pos (&t, 5, 6, 2, 1, 2, 2, 8, 9);

    /* A BOM alone is an empty UTF-8 text. */
    DECODE (*state, "\xef\xbb\xbf", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8_BOM);
    assert_int_equal (t.len, 0);
    check_pos (&t, 0, 0, 1, 1, 1, 1, 3, 3);
}

static void
test_gb18030 (void **state)
{
    /* a 中 € U+0080 U+20000 b: 1 + 2 + 2 + 4 + 4 + 1 bytes. */
    gl_text_t t;
    DECODE (*state, "a\xd6\xd0\xa2\xe3\x81\x30\x81\x30\x95\x32\x82\x36" "b",
            &t);
    assert_int_equal (t.enc, GL_ENC_GB18030);
    assert_int_equal (t.bom, 0);
    assert_int_equal (t.dec_len, 14);
    assert_string_equal (t.dec, "a中€\xc2\x80\xf0\xa0\x80\x80" "b");
    assert_string_equal (t.s, "a中€\xc2\x80\xf0\xa0\x80\x80" "b");
    assert_non_null (t.dec_to_orig);
    static const uint32_t want[15] = { 0, 1, 1, 1, 3, 3, 3, 5, 5,
                                       9, 9, 9, 9, 13, 14 };
    for (size_t i = 0; i < 15; i++)
        assert_int_equal (t.dec_to_orig[i], want[i]);
    /* 中 */
    check_pos (&t, 1, 4, 1, 2, 1, 3, 1, 3);
    /* € */
    check_pos (&t, 4, 7, 1, 3, 1, 4, 3, 5);
    /* U+0080, from four bytes. */
    check_pos (&t, 7, 9, 1, 4, 1, 5, 5, 9);
    /* U+20000 */
    check_pos (&t, 9, 13, 1, 5, 1, 6, 9, 13);
    /* b */
    check_pos (&t, 13, 14, 1, 6, 1, 7, 13, 14);
    /* The whole text. */
    check_pos (&t, 0, 14, 1, 1, 1, 7, 0, 14);
}

static void
test_gb18030_lines (void **state)
{
    /* 中 CR LF 文 CR 中 */
    gl_text_t t;
    DECODE (*state, "\xd6\xd0\r\n\xce\xc4\r\xd6\xd0", &t);
    assert_int_equal (t.enc, GL_ENC_GB18030);
    assert_string_equal (t.dec, "中\r\n文\r中");
    assert_string_equal (t.s, "中\n文\n中");
    assert_int_equal (t.n_lines, 3);
    assert_int_equal (t.line_starts[0], 0);
    assert_int_equal (t.line_starts[1], 5);
    assert_int_equal (t.line_starts[2], 9);
    check_pos (&t, 4, 7, 2, 1, 2, 2, 4, 6);
    check_pos (&t, 8, 11, 3, 1, 3, 2, 7, 9);
    /* The "\n" from CR LF starts at the CR and covers both bytes. */
    check_pos (&t, 3, 4, 1, 2, 2, 1, 2, 4);
}

static void
test_invalid (void **state)
{
    gl_text_t t;
    DECODE (*state, "\xff\xfe\xfd", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 0);
    assert_int_equal (t.len, 0);
    assert_string_equal (t.s, "");
    assert_int_equal (t.n_lines, 1);
    check_pos (&t, 0, 5, 1, 1, 1, 1, 0, 0);

    /* A truncated sequence at the end. */
    DECODE (*state, "ab\xe4", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 2);

    DECODE (*state, "\xf0\x9f\x98", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 0);

    /* Well-formed GB18030 that maps to no character. */
    DECODE (*state, "\xfe\x39\xfe\x39", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 0);

    /* A NUL byte is invalid in both encodings. */
    DECODE (*state, "ab\0cd", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 2);

    /* A BOM declares UTF-8: the GBK 中 after it is not tried as GB18030. */
    DECODE (*state, "\xef\xbb\xbf" "a\xd6\xd0", &t);
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 4);
}

static void
test_utf8_strict (void **state)
{
    /* Each is ill-formed UTF-8; the trailing 0xFF makes GB18030 fail too,
     * so bad_byte shows where UTF-8 failed. */
    gl_text_t t;
    DECODE (*state, "a\xc0\x80\xff", &t);      /* overlong NUL */
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 1);
    DECODE (*state, "ab\xe0\x80\xaf\xff", &t); /* overlong "/" */
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 2);
    DECODE (*state, "a\xed\xa0\x80\xff", &t);  /* surrogate D800 */
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 1);
    DECODE (*state, "a\xf4\x90\x80\x80\xff", &t); /* U+110000 */
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 1);
    DECODE (*state, "abc\x80\xff", &t);        /* stray continuation */
    assert_int_equal (t.enc, GL_ENC_INVALID);
    assert_int_equal (t.bad_byte, 3);

    /* An overlong form alone is not UTF-8 but is a GB18030 character. */
    DECODE (*state, "\xc0\x80", &t);
    assert_int_equal (t.enc, GL_ENC_GB18030);
    assert_string_equal (t.s, "\xe7\xba\xae");

    /* The largest code point and the last before the surrogates are fine. */
    DECODE (*state, "\xf4\x8f\xbf\xbf\xed\x9f\xbf", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8);
}

static void
test_crlf_cr (void **state)
{
    gl_text_t t;
    DECODE (*state, "a\r\nb\rcd", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_string_equal (t.s, "a\nb\ncd");
    assert_int_equal (t.len, 6);
    assert_int_equal (t.n_lines, 3);
    assert_int_equal (t.line_starts[0], 0);
    assert_int_equal (t.line_starts[1], 3);
    assert_int_equal (t.line_starts[2], 5);
    static const uint32_t want[7] = { 0, 1, 3, 4, 5, 6, 7 };
    for (size_t i = 0; i < 7; i++)
        assert_int_equal (gl_text_to_dec (&t, i), want[i]);
    /* d: line 3, column 2. */
    check_pos (&t, 5, 6, 3, 2, 3, 3, 6, 7);
    /* b */
    check_pos (&t, 2, 3, 2, 1, 2, 2, 3, 4);
    /* The "\n" from CR LF maps to the CR. */
    check_pos (&t, 1, 2, 1, 2, 2, 1, 1, 3);
    /* The "\n" from the lone CR. */
    check_pos (&t, 3, 4, 2, 2, 3, 1, 4, 5);

    /* A trailing CR LF starts one more (empty) line; CR CR LF two. */
    DECODE (*state, "x\r\n", &t);
    assert_int_equal (t.n_lines, 2);
    assert_int_equal (t.line_starts[1], 3);
    check_pos (&t, 2, 2, 2, 1, 2, 1, 3, 3);
    DECODE (*state, "\r\r\n\n", &t);
    assert_string_equal (t.s, "\n\n\n");
    assert_int_equal (t.n_lines, 4);
    assert_int_equal (t.line_starts[1], 1);
    assert_int_equal (t.line_starts[2], 3);
    assert_int_equal (t.line_starts[3], 4);
}

static void
test_fullwidth_digits (void **state)
{
    gl_text_t t;
    DECODE (*state, "x\xef\xbc\x90\xef\xbc\x91\xef\xbc\x92y", &t);
    assert_string_equal (t.s, "x012y");
    assert_int_equal (t.len, 5);
    assert_int_equal (gl_text_to_dec (&t, 3), 7);
    assert_int_equal (gl_text_to_dec (&t, 5), 11);
    /* 2 is the fourth character of the line as sent. */
    check_pos (&t, 3, 4, 1, 4, 1, 5, 7, 10);
    check_pos (&t, 4, 5, 1, 5, 1, 6, 10, 11);
    check_pos (&t, 1, 4, 1, 2, 1, 5, 1, 10);
}

static void
test_fullwidth_brackets (void **state)
{
    gl_text_t t;
    DECODE (*state, "\xef\xbc\x88\xe4\xb8\x80\xef\xbc\x89", &t); /* （一） */
    assert_string_equal (t.s, "(一)");
    check_pos (&t, 0, 1, 1, 1, 1, 2, 0, 3);
    check_pos (&t, 1, 4, 1, 2, 1, 3, 3, 6);
    check_pos (&t, 4, 5, 1, 3, 1, 4, 6, 9);
}

static void
test_ideographic_space (void **state)
{
    gl_text_t t;
    DECODE (*state, "a\xe3\x80\x80" "b", &t);
    assert_string_equal (t.s, "a b");
    check_pos (&t, 1, 2, 1, 2, 1, 3, 1, 4);
    check_pos (&t, 2, 3, 1, 3, 1, 4, 4, 5);
}

static void
test_punctuation (void **state)
{
    gl_text_t t;
    /* ：，Ａｂ fold; 、。“” stay. */
    DECODE (*state, "\xef\xbc\x9a\xef\xbc\x8c\xef\xbc\xa1\xef\xbd\x82"
                    "\xe3\x80\x81\xe3\x80\x82\xe2\x80\x9c\xe2\x80\x9d", &t);
    assert_string_equal (t.s, ":,Ab、。“”");
    check_pos (&t, 4, 7, 1, 5, 1, 6, 12, 15);
    check_pos (&t, 13, 16, 1, 8, 1, 9, 21, 24);
}

static void
test_zero_width (void **state)
{
    gl_text_t t;
    DECODE (*state, "a\xe2\x80\x8b" "b", &t);
    assert_string_equal (t.s, "ab");
    assert_int_equal (t.len, 2);
    /* b still counts the zero-width space before it. */
    check_pos (&t, 1, 2, 1, 3, 1, 4, 4, 5);
    /* a ends before the zero-width space. */
    check_pos (&t, 0, 1, 1, 1, 1, 2, 0, 1);
    /* The span of both covers it. */
    check_pos (&t, 0, 2, 1, 1, 1, 4, 0, 5);

    /* ZWNJ, ZWJ, WJ, an inner BOM and a soft hyphen are dropped, NBSP is a
     * space, and a tab is kept. */
    DECODE (*state, "1\xe2\x80\x8c" "2\xe2\x80\x8d" "3\xe2\x81\xa0"
                    "4\xef\xbb\xbf" "5\xc2\xad" "6\xc2\xa0" "7\t8", &t);
    assert_string_equal (t.s, "123456 7\t8");
    check_pos (&t, 6, 7, 1, 12, 1, 13, 20, 22);
    check_pos (&t, 9, 10, 1, 15, 1, 16, 24, 25);
}

static void
test_nfkc_expansion (void **state)
{
    gl_text_t t;
    /* ㈠ becomes "(一)": five bytes from one character. */
    DECODE (*state, "\xe3\x88\xa0x", &t);
    assert_string_equal (t.s, "(一)x");
    check_pos (&t, 0, 5, 1, 1, 1, 2, 0, 3);
    /* A span inside the expansion covers the whole character. */
    check_pos (&t, 1, 4, 1, 1, 1, 2, 0, 3);
    check_pos (&t, 5, 6, 1, 2, 1, 3, 3, 4);

    /* U+FDFA expands to 18 code points; many of them make s grow past the
     * size of dec. */
    DECODE (*state, "\xef\xb7\xba", &t);
    size_t one = t.len;
    const char *exp = t.s;
    assert_true (one > 3);
    enum { N = 20000 };
    char *in = malloc (3 * N);
    assert_non_null (in);
    for (size_t i = 0; i < N; i++)
        memcpy (in + 3 * i, "\xef\xb7\xba", 3);
    assert_int_equal (gl_text_decode (*state, in, 3 * N, &t), GL_OK);
    free (in);
    assert_int_equal (t.len, one * N);
    assert_int_equal (strlen (t.s), one * N);
    for (size_t i = 0; i < N; i++) {
        assert_memory_equal (t.s + i * one, exp, one);
        assert_int_equal (gl_text_to_dec (&t, i * one), 3 * i);
        assert_int_equal (gl_text_to_dec (&t, i * one + one - 1), 3 * i);
    }
    assert_int_equal (gl_text_to_dec (&t, one * N), 3 * N);
    check_pos (&t, (uint32_t) (one * (N - 1)), (uint32_t) (one * N), 1, N, 1,
               N + 1, 3 * (N - 1), 3 * N);
}

static void
test_span_end (void **state)
{
    gl_text_t t;
    DECODE (*state, "\xe4\xb8\x80\xe3\x80\x81\xe4\xba\x8c\n"
                    "\xef\xbc\x88\xe4\xb8\x89\xef\xbc\x89z", &t);
    /* 一、二\n(三)z */
    assert_string_equal (t.s, "一、二\n(三)z");
    /* 、二 */
    check_pos (&t, 3, 9, 1, 2, 1, 4, 3, 9);
    /* From 二 to 三: ends before ）. */
    check_pos (&t, 6, 14, 1, 3, 2, 3, 6, 16);
    /* The whole text. */
    check_pos (&t, 0, 16, 1, 1, 2, 5, 0, 20);
    /* An empty span. */
    check_pos (&t, 10, 10, 2, 1, 2, 1, 10, 10);
    /* Out of range spans are clamped. */
    check_pos (&t, 100, 200, 2, 5, 2, 5, 20, 20);
    check_pos (&t, 15, 200, 2, 4, 2, 5, 19, 20);
    check_pos (&t, 15, 14, 2, 4, 2, 4, 19, 19);
}

static void
test_astral (void **state)
{
    gl_text_t t;
    /* a 😀 𠀀 b */
    DECODE (*state, "a\xf0\x9f\x98\x80\xf0\xa0\x80\x80" "b", &t);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_string_equal (t.s, "a😀𠀀b");
    check_pos (&t, 1, 5, 1, 2, 1, 3, 1, 5);
    check_pos (&t, 5, 9, 1, 3, 1, 4, 5, 9);
    check_pos (&t, 9, 10, 1, 4, 1, 5, 9, 10);
}

static void
test_large (void **state)
{
    /* About 1 MB of full-width zeros on one line. */
    enum { N = 350000 };
    gl_text_t t;
    char *in = malloc (3 * N);
    assert_non_null (in);
    for (size_t i = 0; i < N; i++)
        memcpy (in + 3 * i, "\xef\xbc\x90", 3);
    assert_int_equal (gl_text_decode (*state, in, 3 * N, &t), GL_OK);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_int_equal (t.len, N);
    assert_int_equal (t.dec_len, 3 * N);
    assert_int_equal (t.n_lines, 1);
    assert_int_equal (strspn (t.s, "0"), N);
    check_pos (&t, N - 1, N, 1, N, 1, N + 1, 3 * (N - 1), 3 * N);

    /* About 1 MB of GBK 中 with a line break in the middle. */
    size_t half = 250000;
    size_t n = 4 * half + 2;
    char *gb = malloc (n);
    assert_non_null (gb);
    for (size_t i = 0; i < half; i++)
        memcpy (gb + 2 * i, "\xd6\xd0", 2);
    memcpy (gb + 2 * half, "\r\n", 2);
    for (size_t i = 0; i < half; i++)
        memcpy (gb + 2 * half + 2 + 2 * i, "\xd6\xd0", 2);
    assert_int_equal (gl_text_decode (*state, gb, n, &t), GL_OK);
    assert_int_equal (t.enc, GL_ENC_GB18030);
    assert_int_equal (t.dec_len, 6 * half + 2);
    assert_int_equal (t.len, 6 * half + 1);
    assert_int_equal (t.n_lines, 2);
    check_pos (&t, (uint32_t) (t.len - 3), (uint32_t) t.len, 2,
               (uint32_t) half, 2, (uint32_t) half + 1, n - 2, n);
    free (in);
    free (gb);
}

static void
test_utf8_helpers (void **state)
{
    (void) state;
    const char *s = "a\xe4\xb8\xad\xf0\x9f\x98\x80\xc2\x80";
    size_t n = strlen (s), i = 0;
    assert_int_equal (gl_utf8_next (s, n, &i), 'a');
    assert_int_equal (i, 1);
    assert_int_equal (gl_utf8_next (s, n, &i), 0x4E2D);
    assert_int_equal (i, 4);
    assert_int_equal (gl_utf8_next (s, n, &i), 0x1F600);
    assert_int_equal (i, 8);
    assert_int_equal (gl_utf8_next (s, n, &i), 0x80);
    assert_int_equal (i, 10);

    /* Never past n: a sequence cut by n is malformed. */
    i = 0;
    assert_int_equal (gl_utf8_next ("\xe4\xb8\xad", 2, &i), 0xFFFD);
    assert_int_equal (i, 1);
    i = 0;
    assert_int_equal (gl_utf8_next ("\xc0\x80", 2, &i), 0xFFFD);
    assert_int_equal (i, 1);
    i = 0;
    assert_int_equal (gl_utf8_next ("\xb8z", 2, &i), 0xFFFD);
    assert_int_equal (gl_utf8_next ("\xb8z", 2, &i), 'z');
    assert_int_equal (i, 2);

    char out[4];
    assert_int_equal (gl_utf8_put ('A', out), 1);
    assert_memory_equal (out, "A", 1);
    assert_int_equal (gl_utf8_put (0x80, out), 2);
    assert_memory_equal (out, "\xc2\x80", 2);
    assert_int_equal (gl_utf8_put (0x4E2D, out), 3);
    assert_memory_equal (out, "\xe4\xb8\xad", 3);
    assert_int_equal (gl_utf8_put (0x10FFFF, out), 4);
    assert_memory_equal (out, "\xf4\x8f\xbf\xbf", 4);
    assert_int_equal (gl_utf8_put (0xD800, out), 3);
    assert_memory_equal (out, "\xef\xbf\xbd", 3);
    assert_int_equal (gl_utf8_put (0x110000, out), 3);
    assert_memory_equal (out, "\xef\xbf\xbd", 3);

    assert_true (gl_is_cjk (0x4E00));
    assert_true (gl_is_cjk (0x9FFF));
    assert_true (gl_is_cjk (0x3400));
    assert_true (gl_is_cjk (0x4DBF));
    assert_true (gl_is_cjk (0x20000));
    assert_true (gl_is_cjk (0x2FA1F));
    assert_true (gl_is_cjk (0xF900));
    assert_true (gl_is_cjk (0xFAFF));
    assert_false (gl_is_cjk ('A'));
    assert_false (gl_is_cjk (0x3001));
    assert_false (gl_is_cjk (0xFF10));
    assert_false (gl_is_cjk (0xA000));
    assert_false (gl_is_cjk (0x2FA20));
}

/*  The fast paths of the folding agree with utf8proc on every code point,
 *  one at a time and in the normaliser's loop over a text holding every
 *  character of the BMP (offset maps included).                          */
static void
test_fold_fast_paths (void **state)
{
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        uint32_t f[GL_FOLD_MAX], g[GL_FOLD_MAX];
        size_t m = gl_fold (cp, f), k = gl_fold_slow (cp, g);
        if (m != k || memcmp (f, g, m * sizeof f[0]) != 0)
            fail_msg ("U+%04X folds differently on the fast path",
                      (unsigned) cp);
    }
    size_t cap = 0x10000 * 4 + 1, n = 0, en = 0;
    char *in = malloc (cap);
    char *want = malloc (0x10000 * GL_FOLD_MAX * 4);
    uint32_t *want_map = malloc (0x10000 * GL_FOLD_MAX * 4 * sizeof *want_map);
    assert_non_null (in);
    assert_non_null (want);
    assert_non_null (want_map);
    for (uint32_t cp = 1; cp <= 0xFFFF; cp++) {
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == '\r')
            continue;
        uint32_t f[GL_FOLD_MAX];
        size_t m = gl_fold_slow (cp, f);
        for (size_t x = 0; x < m; x++) {
            size_t ul = gl_utf8_put (f[x], want + en);
            for (size_t y = 0; y < ul; y++)
                want_map[en + y] = (uint32_t) n;
            en += ul;
        }
        n += gl_utf8_put (cp, in + n);
    }
    gl_text_t t;
    assert_int_equal (gl_text_decode (*state, in, n, &t), GL_OK);
    assert_int_equal (t.enc, GL_ENC_UTF8);
    assert_int_equal (t.len, en);
    assert_memory_equal (t.s, want, en);
    for (size_t i = 0; i <= en; i++)
        assert_int_equal (gl_text_to_dec (&t, i), i < en ? want_map[i] : n);
    free (in);
    free (want);
    free (want_map);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_utf8_plain, setup, teardown),
        cmocka_unit_test_setup_teardown (test_empty, setup, teardown),
        cmocka_unit_test_setup_teardown (test_bom, setup, teardown),
        cmocka_unit_test_setup_teardown (test_gb18030, setup, teardown),
        cmocka_unit_test_setup_teardown (test_gb18030_lines, setup, teardown),
        cmocka_unit_test_setup_teardown (test_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown (test_utf8_strict, setup, teardown),
        cmocka_unit_test_setup_teardown (test_crlf_cr, setup, teardown),
        cmocka_unit_test_setup_teardown (test_fullwidth_digits, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_fullwidth_brackets, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_ideographic_space, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_punctuation, setup, teardown),
        cmocka_unit_test_setup_teardown (test_zero_width, setup, teardown),
        cmocka_unit_test_setup_teardown (test_nfkc_expansion, setup,
                                         teardown),
        cmocka_unit_test_setup_teardown (test_span_end, setup, teardown),
        cmocka_unit_test_setup_teardown (test_astral, setup, teardown),
        cmocka_unit_test_setup_teardown (test_large, setup, teardown),
        cmocka_unit_test (test_utf8_helpers),
        cmocka_unit_test_setup_teardown (test_fold_fast_paths, setup,
                                         teardown),
    };
    return cmocka_run_group_tests_name ("text", tests, NULL, NULL);
}
